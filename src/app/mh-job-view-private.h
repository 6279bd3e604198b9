/* mh-job-view-private.h: what the parts of MhJobView share
 *
 * mh-job-view.c follows the job (stages, progress, failure, Cancel);
 * mh-job-view-result.c is the result (its preview and what can be done
 * with the file: Open, Open With, Show in Folder, Save As).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-face-picture.h"
#include "mh-job-view.h"

G_BEGIN_DECLS

typedef enum
{
  STAGE_UPLOAD,
  STAGE_QUEUE,
  STAGE_RENDER,
  STAGE_DOWNLOAD,
  N_STAGES
} Stage;

typedef struct
{
  AdwActionRow *row;
  GtkStack     *icon;     /* "pending", "current", "done" */
  GtkSpinner   *spinner;
  GtkLabel     *detail;
} StageRow;

struct _MhJobView
{
  AdwBin            parent_instance;

  MhJob            *job;
  MhJobState        shown_state;   /* the state the view last showed */
  GCancellable     *cancellable;
  StageRow          stages[N_STAGES];
  guint             elapsed_id;    /* the clock's timeout, while rendering and seen */
  guint             pulse_id;      /* the bar's pulse, while seen */
  guint             progress_tick_id; /* a fraction to show at the next frame */
  gboolean          bar_pulsing;   /* the bar shows "busy", not a fraction */
  gboolean          rendering_seen; /* render_since is the running render's */
  gint64            render_since;  /* when the rendering we saw began; 0 if not seen */
  gint64            render_usec;   /* how long it took, once over; -1 unknown */
  AdwMessageDialog *cancel_dialog; /* weak */
  GtkNativeDialog  *save_chooser;
  GtkWidget        *video;         /* the result's GtkVideo, when a video */
  GtkMediaStream   *media;         /* the preview's stream, for its errors */
  guint             frame_timeout_id;
  gboolean          frame_missing; /* prepared, yet no picture came */
  char             *preview_path;

  GtkStack         *stack;
  GtkLabel         *running_title;
  GtkLabel         *running_subtitle;
  GtkListBox       *stage_list;
  MhFacePicture    *face_picture;
  GtkProgressBar   *progress_bar;
  GtkLabel         *message_label;
  GtkLabel         *running_credits_label;
  GtkButton        *cancel_button;
  GtkLabel         *result_title;
  GtkFrame         *preview_frame;
  GtkLabel         *preview_error_label;
  GtkLabel         *saved_label;
  GtkLabel         *result_credits_label;
  GtkLabel         *failure_credits_label;
  gint64            charged_at_create;  /* the create's charge: a refund sets the project's to 0 */
  GtkWidget        *file_buttons;
  GtkButton        *open_button;
  GtkButton        *show_button;
  GtkButton        *save_button;
  GtkLabel         *save_error_label;
  AdwStatusPage    *failure_page;
  GtkLabel         *failure_label;
  GtkWidget        *retry_button;
  GtkWidget        *failure_start_over_button;
  GtkWidget        *result_start_over_button;
  GtkLinkButton    *failure_link;
  GtkWidget        *project_box;
  GtkLabel         *project_label;
};


/* mh-job-view.c */
GtkWindow  *mh_job_view_get_parent_window (MhJobView  *self);
/* Raises @toast through the "toast" signal; takes it. */
void        mh_job_view_emit_toast        (MhJobView  *self,
                                           AdwToast   *toast);
void        mh_job_view_emit_toast_text   (MhJobView  *self,
                                           const char *title);
const char *mh_job_view_get_output_path   (MhJobView  *self);
/* The stage a state belongs to: -1 before the job starts, N_STAGES once
 * every stage is behind it. */
int         mh_job_view_stage_for_state   (MhJobState  state);

/* mh-job-view-progress.c */
void        mh_job_view_init_progress     (MhJobView  *self);
void        mh_job_view_update_progress   (MhJobView  *self);
void        mh_job_view_queue_progress    (MhJobView  *self);
void        mh_job_view_update_clock      (MhJobView  *self);
void        mh_job_view_stop_progress     (MhJobView  *self);

/* mh-job-view-result.c */
void        mh_job_view_update_result     (MhJobView  *self);
void        mh_job_view_clear_preview     (MhJobView  *self);
void        mh_job_view_dispose_result    (MhJobView  *self);
void        mh_job_view_class_init_result (GtkWidgetClass *widget_class);
void        mh_job_view_init_result       (MhJobView  *self);
/* Save As…'s start: @path's folder and name. */
void        mh_job_view_configure_save_chooser (GtkFileChooser *chooser,
                                                const char     *path);

G_END_DECLS
