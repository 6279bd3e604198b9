/* mh-file-row-private.h: what the parts of MhFileRow share
 *
 * mh-file-row.c judges and shows the value; mh-file-row-input.c is every
 * way a value comes in (file chooser, drop, paste, link popover, library).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-file-row.h"
#include "mh-probe.h"

G_BEGIN_DECLS

struct _MhFileRow
{
  AdwActionRow       parent_instance;

  /* Template widgets */
  GtkWidget         *type_image;
  GtkWidget         *picture_frame;
  GtkWidget         *picture;
  GtkWidget         *play_button;
  GtkWidget         *link_button;
  GtkWidget         *link_popover;
  GtkWidget         *link_hint;
  GtkWidget         *link_entry;
  GtkWidget         *use_link_button;
  GtkWidget         *link_error_label;
  GtkWidget         *library_button;
  GtkWidget         *pick_button;
  GtkWidget         *clear_button;

  /* While a drag hovers: the subtitle says "Drop to use as Photo"; what it
   * said before comes back after. */
  char              *drop_hint;
  char              *drop_saved_subtitle;
  guint              drop_saved_error : 1;
  guint              drop_saved_warning : 1;

  /* AdwActionRow's own subtitle label, to show a refusal in the error colour */
  GtkWidget         *subtitle_label;

  char              *tool_id;
  char              *slot_key;
  const MhTool      *tool;
  const MhAssetSlot *slot;

  char              *value;
  char              *display_name;
  char              *item_name;     /* a saved item's name, or NULL */
  goffset            size;          /* -1 for links */
  double             duration;      /* -1 until known */
  MhMediaInfo       *media_info;    /* what the probe read of the local file, or NULL */
  char              *error;
  char              *warning;       /* a file bigger than the plan uploads, or NULL */
  char              *plan;          /* the account's tier, NULL unknown */

  GFile             *file;          /* the current local file, or NULL */
  GtkMediaStream    *media;         /* audio and video, for play/pause */
  GtkNativeDialog   *chooser;

  GCancellable      *cancellable;        /* the row's lifetime */
  GCancellable      *check_cancellable;  /* the file being checked */
  GCancellable      *value_cancellable;  /* thumbnail and duration of the value */
};

/* mh-file-row-input.c */
void     mh_file_row_class_init_input (GtkWidgetClass *widget_class);
void     mh_file_row_init_input       (MhFileRow      *self);
void     mh_file_row_open_chooser     (MhFileRow      *self);

/* mh-file-row-a11y.c */
void     mh_file_row_name_buttons     (MhFileRow      *self);
void     mh_file_row_name_play_button (MhFileRow      *self,
                                       gboolean        playing);

G_END_DECLS
