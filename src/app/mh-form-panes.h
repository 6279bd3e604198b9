/* mh-form-panes.h: a tool's form in two panes when wide, one column when not
 *
 * libadwaita 1.2 has no AdwBreakpoint; this container decides from the
 * width it is given alone. From "wide-threshold" on, the children of the
 * media pane (the preview, the part to use) stack on the left and the
 * others (the title, the inputs, the options) on the right; below it every
 * child stacks in the order it was added, in one column no wider than
 * "maximum-size". The same widths give the same columns in every instance,
 * so a second one (the footer) lines up with the first.
 *
 * In a .ui file: <child type="media"> for the media pane, <child> for the
 * inputs pane.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  MH_FORM_PANE_INPUTS,
  MH_FORM_PANE_MEDIA,
} MhFormPane;

#define MH_TYPE_FORM_PANES (mh_form_panes_get_type ())
G_DECLARE_FINAL_TYPE (MhFormPanes, mh_form_panes, MH, FORM_PANES, GtkWidget)

/* Properties:
 *   "spacing"         int: between the children of a pane or the column
 *   "column-spacing"  int: between the two panes
 *   "maximum-size"    int: the one column's widest
 *   "wide-threshold"  int: the width from which there are two panes
 *   "wide"            gboolean, read-only: two panes at the last allocation
 */
GtkWidget *mh_form_panes_new        (void);
void       mh_form_panes_append     (MhFormPanes *self,
                                     GtkWidget   *child,
                                     MhFormPane   pane);
gboolean   mh_form_panes_get_wide   (MhFormPanes *self);
/* Whether @width is wide enough for two panes. */
gboolean   mh_form_panes_is_wide_at (MhFormPanes *self,
                                     int          width);

G_END_DECLS
