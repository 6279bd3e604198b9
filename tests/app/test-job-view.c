/* test-job-view.c: a real job against the simulator, as a person sees it
 *
 * Each case runs an MhJob against the simulator on loopback and looks at
 * what the view shows at each step: which stage is current, the progress
 * bar, the clock while rendering, the preview of the file on disk, the
 * engine's sentence after a failure, and the question before stopping a
 * render that has already started. The screenshots case saves PNGs of each
 * page, light and dark, 360 and 800 px wide, into $MH_SCREENSHOT_DIR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mh-app-resources.h"
/* mh_job_set_state () and mh_job_set_bytes (): a transfer's notifications
 * at the pace a test needs, without bytes. */
#include "mh-job-private.h"
#include "mh-job-view.h"
#include "mh-params.h"
#include "mh-app-test-util.h"
#include "mh-test-errors.h"
#include "mh-test-util.h"

#define MB (1024 * 1024)

typedef struct
{
  MhTestFixture  base;
  GtkWidget     *window;
  MhJobView     *view;
  MhJob         *job;
  gboolean       ran;
  gboolean       ok;
  GError        *error;
  guint          retries;
  guint          start_overs;
  guint          toasts;
  char          *last_toast;
  guint          upload_checks;
  guint          bar_updates;   /* the progress bar's fraction was set */
  guint          frames;        /* frames of the window's frame clock */
} Fixture;

/* ------------------------------------------------------------------------ */
/* Looking at widgets                                                       */





static gboolean
button_has_icon (GtkWidget     *widget,
                 gconstpointer  icon)
{
  return g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), icon) == 0;
}

static gboolean
link_is_shown (GtkWidget     *widget,
               gconstpointer  data)
{
  return gtk_widget_get_mapped (widget);
}

static gboolean
has_class (GtkWidget     *widget,
           gconstpointer  name)
{
  return gtk_widget_has_css_class (widget, name);
}

/* What the icon of a stage row shows: a spinner, a check mark or a circle. */
static const char *
stage_status (Fixture    *f,
              const char *title)
{
  GtkWidget *row = mh_app_test_find_row (GTK_WIDGET (f->view), title);
  GtkWidget *spinner;

  g_assert_nonnull (row);
  spinner = mh_app_test_find_widget (row, GTK_TYPE_SPINNER, NULL, NULL);
  if (spinner != NULL)
    {
      g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
      return "current";
    }
  if (mh_app_test_find_widget (row, GTK_TYPE_IMAGE, mh_app_test_image_has_icon, "emblem-ok-symbolic") != NULL)
    return "done";
  if (mh_app_test_find_widget (row, GTK_TYPE_IMAGE, mh_app_test_image_has_icon, "radio-symbolic") != NULL)
    return "pending";

  return "nothing";
}

static void
assert_stages (Fixture    *f,
               const char *upload,
               const char *queue,
               const char *render,
               const char *download)
{
  g_assert_cmpstr (stage_status (f, "Uploading"), ==, upload);
  g_assert_cmpstr (stage_status (f, "Queued"), ==, queue);
  g_assert_cmpstr (stage_status (f, "Rendering"), ==, render);
  g_assert_cmpstr (stage_status (f, "Downloading"), ==, download);
}

/* The figure at the end of a stage row: "42 %", "0:03". */
static const char *
stage_detail (Fixture    *f,
              const char *title)
{
  GtkWidget *row = mh_app_test_find_row (GTK_WIDGET (f->view), title);
  GtkWidget *label;

  g_assert_nonnull (row);
  label = mh_app_test_find_widget (row, GTK_TYPE_LABEL, has_class, "numeric");
  return label != NULL ? gtk_label_get_text (GTK_LABEL (label)) : "";
}

static GtkProgressBar *
find_progress_bar (Fixture *f)
{
  GtkWidget *bar = mh_app_test_find_widget (GTK_WIDGET (f->view), GTK_TYPE_PROGRESS_BAR, NULL, NULL);

  g_assert_nonnull (bar);
  return GTK_PROGRESS_BAR (bar);
}

/* GtkProgressBar marks its bar "pulse" while it is indeterminate. */
static gboolean
progress_bar_pulses (GtkProgressBar *bar)
{
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (bar)); w != NULL;
       w = gtk_widget_get_first_child (w))
    if (gtk_widget_has_css_class (w, "pulse"))
      return TRUE;

  return FALSE;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        found = ADW_MESSAGE_DIALOG (window);
    }

  return found;
}

static gboolean
message_dialog_shown (gpointer user_data)
{
  return find_message_dialog () != NULL;
}

static gboolean
message_dialog_gone (gpointer user_data)
{
  return find_message_dialog () == NULL;
}

static gboolean
file_chooser_shown (gpointer user_data)
{
  return mh_app_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

/* ------------------------------------------------------------------------ */
/* The fixture                                                              */

static void
retry_cb (MhJobView *view,
          Fixture   *f)
{
  f->retries++;
}

static void
start_over_cb (MhJobView *view,
               Fixture   *f)
{
  f->start_overs++;
}

static void
toast_cb (MhJobView *view,
          AdwToast  *toast,
          Fixture   *f)
{
  f->toasts++;
  g_free (f->last_toast);
  f->last_toast = g_strdup (adw_toast_get_title (toast));
  /* The handler takes the toast, as adw_toast_overlay_add_toast() would. */
  g_object_unref (toast);
}

static GtkWidget *
window_new (int         width,
            int         height,
            MhJobView **view)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *header = adw_header_bar_new ();

  gtk_window_set_title (GTK_WINDOW (window), "Magic Hour Studio");
  gtk_window_set_titlebar (GTK_WINDOW (window), header);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  *view = MH_JOB_VIEW (mh_job_view_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (*view));
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  mh_test_fixture_setup (&f->base, data);

  f->window = window_new (480, 760, &f->view);
  g_object_ref (f->view);
  g_signal_connect (f->view, "retry", G_CALLBACK (retry_cb), f);
  g_signal_connect (f->view, "start-over", G_CALLBACK (start_over_cb), f);
  g_signal_connect (f->view, "toast", G_CALLBACK (toast_cb), f);
  mh_test_wait_for (mh_app_test_widget_mapped, f->window, MH_TEST_TIMEOUT, "the window to show");
}

static gboolean
job_ran (gpointer user_data)
{
  return ((Fixture *) user_data)->ran;
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  /* A job still running is stopped and waited for. */
  if (f->job != NULL && mh_job_get_state (f->job) != MH_JOB_STATE_IDLE && !f->ran)
    {
      mh_job_cancel (f->job);
      mh_test_wait_for (job_ran, f, MH_TEST_TIMEOUT, "the job to stop");
    }

  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->view);

  g_clear_object (&f->job);
  g_clear_error (&f->error);
  g_clear_pointer (&f->last_toast, g_free);
  mh_test_fixture_teardown (&f->base, data);
}

static void
ran_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Fixture *f = user_data;

  f->ok = mh_job_run_finish (MH_JOB (source), result, &f->error);
  f->ran = TRUE;
}

static void
start_job (Fixture    *f,
           const char *tool_id,
           GHashTable *params)
{
  f->job = mh_test_fixture_new_job (&f->base, tool_id, params);
  mh_job_view_set_job (f->view, f->job);
  g_assert_true (mh_job_view_get_job (f->view) == f->job);
  mh_job_run_async (f->job, NULL, ran_cb, f);
}

static void
wait_ran (Fixture *f)
{
  mh_test_wait_for (job_ran, f, MH_TEST_TIMEOUT, "the job to end");
}

typedef struct
{
  Fixture    *f;
  MhJobState  state;
} StateWait;

static gboolean
state_reached (gpointer user_data)
{
  StateWait *w = user_data;

  return mh_job_get_state (w->f->job) == w->state || w->f->ran;
}

static void
wait_state (Fixture    *f,
            MhJobState  state)
{
  StateWait w = { f, state };
  g_autofree char *what = g_strdup_printf ("state %s", mh_job_state_to_string (state));

  mh_test_wait_for (state_reached, &w, MH_TEST_TIMEOUT, what);
  g_assert_cmpint (mh_job_get_state (f->job), ==, state);
}

/* Runs a job of @tool_id (with @params, NULL: the standard inputs) that the
 * simulator's faults, set before, make fail, to its end: the view shows the
 * failure. */
static void
run_failing_job (Fixture    *f,
                 const char *tool_id,
                 GHashTable *params)
{
  g_autoptr(GHashTable) standard = params == NULL ? mh_test_fixture_params (&f->base, tool_id) : NULL;

  start_job (f, tool_id, params != NULL ? params : standard);
  wait_ran (f);
  g_assert_false (f->ok);
  g_assert_cmpint (mh_job_get_state (f->job), ==, MH_JOB_STATE_FAILED);
  g_assert_nonnull (mh_app_test_find_label (GTK_WIDGET (f->view), "Generation Failed"));
}

static GFile *
output_file (Fixture *f)
{
  const char *const *outputs = mh_job_get_output_files (f->job);

  g_assert_nonnull (outputs);
  g_assert_nonnull (outputs[0]);
  g_assert_true (g_file_test (outputs[0], G_FILE_TEST_IS_REGULAR));
  return g_file_new_for_path (outputs[0]);
}

static void
assert_result_buttons (Fixture *f)
{
  GtkWidget *view = GTK_WIDGET (f->view);

  g_assert_nonnull (mh_app_test_find_button (view, "Open"));
  g_assert_nonnull (mh_app_test_find_button (view, "Show in Folder"));
  g_assert_nonnull (mh_app_test_find_button (view, "Save As…"));
  g_assert_nonnull (mh_app_test_find_button (view, "Start Over"));
  g_assert_null (mh_app_test_find_button (view, "Cancel"));
  g_assert_null (mh_app_test_find_button (view, "Retry"));
}

/* ------------------------------------------------------------------------ */
/* Cases                                                                    */

static void
bar_fraction_cb (GtkProgressBar *bar,
                 GParamSpec     *pspec,
                 Fixture        *f)
{
  f->bar_updates++;
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  ((Fixture *) user_data)->frames++;
  return G_SOURCE_CONTINUE;
}

/* The percentage at the end of a stage row, as a number; -1 if none. */
static int
stage_percent (Fixture    *f,
               const char *title)
{
  const char *detail = stage_detail (f, title);

  if (!g_str_has_suffix (detail, " %"))
    return -1;
  return atoi (detail);
}

static void
upload_progress_cb (MhJob      *job,
                    GParamSpec *pspec,
                    Fixture    *f)
{
  double fraction = mh_job_get_fraction (job);
  GtkProgressBar *bar;
  int percent;

  if (mh_job_get_state (job) != MH_JOB_STATE_UPLOADING || fraction <= 0 || fraction >= 1)
    return;

  if (f->upload_checks == 0)
    {
      /* Counted from the first bytes on. */
      f->bar_updates = 0;
      f->frames = 0;
      gtk_widget_add_tick_callback (f->window, count_frame_cb, f, NULL);
    }

  /* The view's own handler ran first. The stages and the message follow
   * at once; the bar and the percentage at the next frame: never ahead of
   * the job, never "busy" once bytes move, and set once a frame at most
   * (a transfer notifies many times a frame). */
  g_assert_nonnull (mh_app_test_find_button (GTK_WIDGET (f->view), "Cancel"));
  assert_stages (f, "current", "pending", "pending", "pending");
  bar = find_progress_bar (f);
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (bar), <=, fraction);
  g_assert_false (progress_bar_pulses (bar));
  percent = stage_percent (f, "Uploading");
  g_assert_cmpint (percent, >=, 0);
  g_assert_cmpint (percent, <=, (int) (fraction * 100));
  g_assert_cmpuint (f->bar_updates, <=, f->frames + 1);
  g_assert_true (g_str_has_prefix (mh_job_get_message (job), "Uploading "));
  g_assert_nonnull (mh_app_test_find_label (GTK_WIDGET (f->view), mh_job_get_message (job)));
  f->upload_checks++;
}

static gboolean
preview_settled (gpointer user_data)
{
  Fixture *f = user_data;
  GtkWidget *video = mh_app_test_find_widget (GTK_WIDGET (f->view), GTK_TYPE_VIDEO, NULL, NULL);
  GtkMediaStream *stream = gtk_video_get_media_stream (GTK_VIDEO (video));

  return (gtk_media_stream_is_prepared (stream) &&
          gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (stream)) > 0) ||
         mh_app_test_find_label (GTK_WIDGET (f->view), "Preview unavailable") != NULL;
}

/* Talking photo: the upload's progress, then the video on disk. */
static void
test_talking_photo (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "talking-photo");
  g_autofree char *big = mh_test_write_big_png (f->base.tmp, "face.png", 64 * MB);
  g_autoptr(GFile) output = NULL;
  g_autofree char *saved = NULL;
  GtkWidget *view = GTK_WIDGET (f->view);
  GtkWidget *video;
  GtkMediaStream *stream;
  GFile *shown;

  mh_params_set (params, "image", big);
  f->job = mh_test_fixture_new_job (&f->base, "talking-photo", params);
  mh_job_view_set_job (f->view, f->job);

  /* Not started: every stage waits, Cancel has nothing to stop. */
  assert_stages (f, "pending", "pending", "pending", "pending");
  g_assert_false (gtk_widget_is_sensitive (mh_app_test_find_button (view, "Cancel")));
  g_assert_nonnull (mh_app_test_find_label (view, "AI Talking Photo"));
  g_assert_nonnull (mh_app_test_find_label (view, "Not started yet."));

  g_signal_connect (f->job, "notify::fraction", G_CALLBACK (upload_progress_cb), f);
  g_signal_connect (find_progress_bar (f), "notify::fraction", G_CALLBACK (bar_fraction_cb), f);
  mh_job_run_async (f->job, NULL, ran_cb, f);
  wait_ran (f);
  g_assert_no_error (f->error);
  g_assert_true (f->ok);
  g_assert_cmpuint (f->upload_checks, >, 0);

  /* The result: the video that is on disk, not playing by itself. */
  output = output_file (f);
  video = mh_app_test_find_widget (view, GTK_TYPE_VIDEO, NULL, NULL);
  g_assert_nonnull (video);
  shown = gtk_video_get_file (GTK_VIDEO (video));
  g_assert_nonnull (shown);
  g_assert_true (g_file_equal (shown, output));
  g_assert_false (gtk_video_get_autoplay (GTK_VIDEO (video)));
  g_assert_true (gtk_video_get_loop (GTK_VIDEO (video)));

  saved = g_strdup_printf ("Saved to %s", mh_job_get_output_files (f->job)[0]);
  g_assert_nonnull (mh_app_test_find_label (view, saved));
  /* 5 s of realistic Talking Photo at 48 credits a second, as charged */
  g_assert_nonnull (mh_app_test_find_label (view, "240 credits"));
  assert_result_buttons (f);

  /* Either its first picture shows (paused), or the view says what to
   * install: never a silent black box. */
  stream = gtk_video_get_media_stream (GTK_VIDEO (video));
  g_assert_nonnull (stream);
  mh_test_wait_for (preview_settled, f, MH_TEST_TIMEOUT, "the preview's first picture or a hint");
  if (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (stream)) > 0)
    {
      g_assert_null (gtk_media_stream_get_error (stream));
      g_assert_true (gtk_media_stream_has_video (stream));
      g_assert_null (mh_app_test_find_label (view, "Preview unavailable"));
    }
  else
    {
      g_test_message ("No picture here: %s",
                      gtk_label_get_text (GTK_LABEL (mh_app_test_find_label (view, "Preview unavailable"))));
    }
  g_assert_false (gtk_media_stream_get_playing (stream));

  mh_app_test_click (mh_app_test_find_button (view, "Start Over"));
  g_assert_cmpuint (f->start_overs, ==, 1);
  g_assert_cmpuint (f->retries, ==, 0);
}

typedef struct
{
  Fixture    *f;
  double      fraction;
  const char *percent;
} ProgressWait;

static gboolean
progress_shown (gpointer user_data)
{
  ProgressWait *w = user_data;

  return gtk_progress_bar_get_fraction (find_progress_bar (w->f)) == w->fraction &&
         g_strcmp0 (stage_detail (w->f, "Uploading"), w->percent) == 0;
}

static gboolean
frames_passed (gpointer user_data)
{
  return ((Fixture *) user_data)->frames >= 3;
}

#define TOTAL 1000000

/* A fast transfer notifies many times a frame: the bar and the percentage
 * show the last fraction at the next frame, not each one; hidden (another
 * tab), the view changes nothing, and shown again it shows where the job
 * is. */
static void
test_progress_when_seen (Fixture       *f,
                         gconstpointer  data)
{
  GtkProgressBar *bar;
  GtkWidget *upload_row;
  GtkLabel *upload_detail;
  ProgressWait w = { f, 0.9, "90 %" };

  f->job = mh_test_fixture_new_job (&f->base, "talking-photo", NULL);
  mh_job_view_set_job (f->view, f->job);
  bar = find_progress_bar (f);
  g_signal_connect (bar, "notify::fraction", G_CALLBACK (bar_fraction_cb), f);
  gtk_widget_add_tick_callback (f->window, count_frame_cb, f, NULL);

  mh_job_set_state (f->job, MH_JOB_STATE_UPLOADING, "Uploading the photo");
  g_assert_true (progress_bar_pulses (bar));
  f->bar_updates = 0;
  /* 900 notifications before the next frame: the first leaves "busy" at
   * once, the rest wait for the frame. */
  for (guint i = 1; i <= 900; i++)
    mh_job_set_bytes (f->job, (guint64) i * (TOTAL / 1000), TOTAL);
  g_assert_cmpfloat (mh_job_get_fraction (f->job), ==, 0.9);
  g_assert_cmpuint (f->bar_updates, ==, 1);
  g_assert_false (progress_bar_pulses (bar));
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (bar), <, 0.01);
  mh_test_wait_for (progress_shown, &w, MH_TEST_TIMEOUT, "90 % on the bar and in the row");
  g_assert_cmpuint (f->bar_updates, ==, 2);
  upload_row = mh_app_test_find_row (GTK_WIDGET (f->view), "Uploading");
  upload_detail = GTK_LABEL (mh_app_test_find_widget (upload_row, GTK_TYPE_LABEL, has_class, "numeric"));

  /* Hidden: frames go by, the view stays as it was. */
  gtk_widget_set_visible (GTK_WIDGET (f->view), FALSE);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (f->view)));
  mh_job_set_bytes (f->job, TOTAL / 100 * 95, TOTAL);
  f->frames = 0;
  mh_test_wait_for (frames_passed, f, MH_TEST_TIMEOUT, "three frames");
  g_assert_cmpuint (f->bar_updates, ==, 2);
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (bar), ==, 0.9);
  g_assert_cmpstr (gtk_label_get_text (upload_detail), ==, "90 %");

  /* Shown again: where the job is, at once. */
  gtk_widget_set_visible (GTK_WIDGET (f->view), TRUE);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->view)));
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (bar), ==, 0.95);
  g_assert_cmpstr (stage_detail (f, "Uploading"), ==, "95 %");

  /* The end reaches the bar. */
  mh_job_set_bytes (f->job, TOTAL, TOTAL);
  w.fraction = 1.0;
  w.percent = "100 %";
  mh_test_wait_for (progress_shown, &w, MH_TEST_TIMEOUT, "100 % on the bar and in the row");

  /* Nothing runs: the teardown has nothing to stop. */
  mh_job_set_state (f->job, MH_JOB_STATE_CANCELED, NULL);
  f->ran = TRUE;
}

#undef TOTAL

typedef struct
{
  Fixture    *f;
  const char *text;
} DetailWait;

static gboolean
render_detail_is (gpointer user_data)
{
  DetailWait *w = user_data;

  return mh_job_get_state (w->f->job) != MH_JOB_STATE_RENDERING ||
         g_strcmp0 (stage_detail (w->f, "Rendering"), w->text) == 0;
}

/* Headshot: the queue, the render's clock, then the picture on disk. */
static void
test_headshot (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "headshot");
  g_autoptr(GFile) output = NULL;
  GtkWidget *view = GTK_WIDGET (f->view);
  GtkWidget *picture;
  DetailWait w = { f, "0:01" };

  mh_params_set (params, "name", "Portrait for the website");
  mh_simulator_set_render_seconds (f->base.sim, 3.0);
  start_job (f, "headshot", params);
  g_assert_nonnull (mh_app_test_find_label (view, "AI Headshot"));
  g_assert_nonnull (mh_app_test_find_label (view, "Portrait for the website"));

  wait_state (f, MH_JOB_STATE_QUEUED);
  assert_stages (f, "done", "current", "pending", "pending");
  g_assert_true (progress_bar_pulses (find_progress_bar (f)));
  g_assert_nonnull (mh_app_test_find_label (view, "Waiting in Magic Hour's queue"));
  g_assert_nonnull (mh_app_test_find_label (view, "50 credits"));

  wait_state (f, MH_JOB_STATE_RENDERING);
  assert_stages (f, "done", "done", "current", "pending");
  g_assert_cmpstr (stage_detail (f, "Rendering"), ==, "0:00");
  g_assert_true (progress_bar_pulses (find_progress_bar (f)));
  g_assert_nonnull (mh_app_test_find_label (view, "Rendering at Magic Hour"));
  g_assert_true (gtk_widget_is_sensitive (mh_app_test_find_button (view, "Cancel")));

  /* The clock moves on its own while the render goes on. */
  mh_test_wait_for (render_detail_is, &w, MH_TEST_TIMEOUT, "the clock to show 0:01");
  g_assert_cmpint (mh_job_get_state (f->job), ==, MH_JOB_STATE_RENDERING);

  wait_ran (f);
  g_assert_no_error (f->error);

  output = output_file (f);
  g_assert_null (mh_app_test_find_widget (view, GTK_TYPE_VIDEO, NULL, NULL));
  picture = mh_app_test_find_widget (view, GTK_TYPE_PICTURE, NULL, NULL);
  g_assert_nonnull (picture);
  g_assert_true (g_file_equal (gtk_picture_get_file (GTK_PICTURE (picture)), output));
  g_assert_cmpint (gtk_picture_get_content_fit (GTK_PICTURE (picture)), ==, GTK_CONTENT_FIT_CONTAIN);
  g_assert_nonnull (mh_app_test_find_label (view, "Portrait for the website"));
  g_assert_nonnull (mh_app_test_find_label (view, "50 credits"));
  assert_result_buttons (f);
}

/* A render error: the engine's sentence, the project ID, Retry. */
static void
test_render_error (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *view = GTK_WIDGET (f->view);
  GtkWidget *message;
  GtkWidget *copy;
  const char *id;

  mh_simulator_add_fault (f->base.sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_RENDER_ERROR,
                          1, 0, "no_source_face");
  run_failing_job (f, "headshot", NULL);

  g_assert_nonnull (mh_app_test_find_widget (view, GTK_TYPE_IMAGE, mh_app_test_image_has_icon,
                                             "dialog-error-symbolic"));
  message = mh_app_test_find_label (view, "No face was found in the photo");
  g_assert_nonnull (message);
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (message)));
  g_assert_true (gtk_label_get_wrap (GTK_LABEL (message)));
  g_assert_null (mh_app_test_find_button (view, "Cancel"));
  g_assert_null (mh_app_test_find_widget (view, GTK_TYPE_PICTURE, NULL, NULL));
  g_assert_null (mh_app_test_find_widget (view, GTK_TYPE_LINK_BUTTON, link_is_shown, NULL));

  /* The render was created: its ID can be copied for support. */
  id = mh_job_get_project_id (f->job);
  g_assert_nonnull (id);
  g_assert_nonnull (mh_app_test_find_label (view, "Project ID"));
  g_assert_nonnull (mh_app_test_find_label (view, id));
  copy = mh_app_test_find_widget (view, GTK_TYPE_BUTTON, button_has_icon, "edit-copy-symbolic");
  mh_app_test_click (copy);
  g_assert_cmpuint (f->toasts, ==, 1);
  g_assert_cmpstr (f->last_toast, ==, "Project ID copied");

  /* A render that failed may succeed again: Retry is what to press. */
  g_assert_true (gtk_widget_has_css_class (mh_app_test_find_button (view, "Retry"), "suggested-action"));
  g_assert_false (gtk_widget_has_css_class (mh_app_test_find_button (view, "Start Over"), "suggested-action"));
  mh_app_test_click (mh_app_test_find_button (view, "Retry"));
  g_assert_cmpuint (f->retries, ==, 1);
  mh_app_test_click (mh_app_test_find_button (view, "Start Over"));
  g_assert_cmpuint (f->start_overs, ==, 1);
}

/* A 402 (an older answer, without a code): the sentence says what to do and
 * a link goes where it is done; a render error has no such link. */
static void
test_payment_refused (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *view = GTK_WIDGET (f->view);
  GtkWidget *link;

  g_object_set (f->base.sim, "legacy-errors", TRUE, NULL);
  mh_simulator_add_fault (f->base.sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_STATUS,
                          1, 402, NULL);
  run_failing_job (f, "headshot", NULL);

  g_assert_nonnull (mh_app_test_find_label (view, "Buy credits on magichour.ai"));
  link = mh_app_test_find_widget (view, GTK_TYPE_LINK_BUTTON, link_is_shown, NULL);
  g_assert_nonnull (link);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (link)), ==, "Buy Credits");
  g_assert_cmpstr (gtk_link_button_get_uri (GTK_LINK_BUTTON (link)), ==,
                   "https://magichour.ai/pricing");
  g_assert_cmpuint (mh_simulator_count_projects (f->base.sim), ==, 0);

  /* The same job again would be refused again: Start Over is suggested. */
  g_assert_false (gtk_widget_has_css_class (mh_app_test_find_button (view, "Retry"), "suggested-action"));
  g_assert_true (gtk_widget_has_css_class (mh_app_test_find_button (view, "Start Over"), "suggested-action"));
}

/* Each row of the contract's error table, with and without its code, as
 * the failure view says it: the sentence, and for a refusal of the account
 * the link to where it is put right; never anything read from the answer's
 * message, which names another refusal. */
static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  const MhTestErrorCase *c = data;
  const char *label = mh_test_error_case_label (c);
  GtkWidget *view = GTK_WIDGET (f->view);
  GtkWidget *link;

  mh_test_error_case_serve (c, f->base.sim);
  run_failing_job (f, "headshot", NULL);

  g_assert_nonnull (mh_app_test_find_label (view, mh_test_error_case_sentence (c)));
  link = mh_app_test_find_widget (view, GTK_TYPE_LINK_BUTTON, link_is_shown, NULL);
  if (label != NULL)
    {
      g_assert_nonnull (link);
      g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (link)), ==, label);
      g_assert_cmpstr (gtk_link_button_get_uri (GTK_LINK_BUTTON (link)), ==, MH_TEST_PRICING_URL);
    }
  else
    g_assert_null (link);
  g_assert_cmpuint (mh_simulator_count_projects (f->base.sim), ==, 0);
}

/* Lip Sync's Pro on a free plan, refused by the simulator itself: the
 * sentence names the option and the plan it needs (the tool table's
 * min_plan), and the link is to upgrade. */
static void
test_plan_upgrade (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "lip-sync");
  GtkWidget *view = GTK_WIDGET (f->view);
  GtkWidget *link;

  g_object_set (f->base.sim, "tier", "free", NULL);
  g_hash_table_replace (params, g_strdup ("mode"), g_strdup ("pro"));
  run_failing_job (f, "lip-sync", params);

  g_assert_nonnull (mh_app_test_find_label (view, "Lip Sync's Pro quality needs the Creator plan or higher. "
                                                  "Upgrade your plan on magichour.ai, or choose another option."));
  link = mh_app_test_find_widget (view, GTK_TYPE_LINK_BUTTON, link_is_shown, NULL);
  g_assert_nonnull (link);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (link)), ==, "Upgrade Plan");
  g_assert_cmpuint (mh_simulator_count_projects (f->base.sim), ==, 0);
}

static gboolean
bytes_moving (gpointer user_data)
{
  Fixture *f = user_data;

  return (mh_job_get_state (f->job) == MH_JOB_STATE_UPLOADING &&
          mh_job_get_bytes_done (f->job) > 0) || f->ran;
}

/* Before the create nothing is at stake: Cancel stops at once. */
static void
test_cancel_before_create (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *big = mh_test_write_big_png (f->base.tmp, "big.png", 256 * MB);
  g_autoptr(GHashTable) params = mh_test_params ("image", big, NULL);
  GtkWidget *view = GTK_WIDGET (f->view);

  start_job (f, "headshot", params);
  mh_test_wait_for (bytes_moving, f, MH_TEST_TIMEOUT, "the upload to start");
  g_assert_false (f->ran);
  g_assert_null (mh_job_get_project_id (f->job));

  mh_app_test_click (mh_app_test_find_button (view, "Cancel"));
  g_assert_null (find_message_dialog ());
  wait_ran (f);
  g_assert_null (find_message_dialog ());
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (mh_job_get_state (f->job), ==, MH_JOB_STATE_CANCELED);
  g_assert_cmpuint (mh_simulator_count_requests (f->base.sim, MH_SIM_ENDPOINT_CREATE), ==, 0);

  g_assert_nonnull (mh_app_test_find_label (view, "Canceled"));
  g_assert_nonnull (mh_app_test_find_widget (view, GTK_TYPE_IMAGE, mh_app_test_image_has_icon,
                                             "process-stop-symbolic"));
  g_assert_null (mh_app_test_find_label (view, "Generation Failed"));
  g_assert_nonnull (mh_app_test_find_label (view, "Nothing was sent to Magic Hour"));
  g_assert_null (mh_app_test_find_label (view, "Project ID"));
  g_assert_nonnull (mh_app_test_find_button (view, "Retry"));
  g_assert_nonnull (mh_app_test_find_button (view, "Start Over"));
  /* A job the person stopped is not pressed on them again. */
  g_assert_false (gtk_widget_has_css_class (mh_app_test_find_button (view, "Retry"), "suggested-action"));
  g_assert_true (gtk_widget_has_css_class (mh_app_test_find_button (view, "Start Over"), "suggested-action"));
}

/* The sentence the job says while it uploads @path, as the job view shows
 * it: "Uploading clip.mp4 (1.2 MB)" (g_format_size()'s no-break space). */
static char *
whole_upload_note (const char *name,
                   const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);
  g_autofree char *size = NULL;

  g_assert_nonnull (info);
  size = g_format_size (g_file_info_get_size (info));
  return g_strdup_printf ("Uploading %s (%s)", name, size);
}

static gboolean
cut_dir_exists (gpointer user_data)
{
  g_autoptr(GPtrArray) names = mh_test_list_dir (g_get_tmp_dir ());

  for (guint i = 0; i < names->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (names, i), "magic-hour-cut-"))
      return TRUE;
  return FALSE;
}

/* 3 s of a 10-minute speech: the view says that only they are uploaded,
 * and how much that is instead of the whole file. */
static void
test_partial_upload (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *speech = mh_test_write_wav (f->base.tmp, "speech.wav", 600);
  g_autoptr(GHashTable) params = mh_test_params ("image", "https://example.com/face.png",
                                                 "audio", speech, "start", "200", "end", "203",
                                                 NULL);
  g_autofree char *whole = NULL;
  g_autofree char *suffix = NULL;
  GtkWidget *view = GTK_WIDGET (f->view);
  GtkWidget *label;
  const char *text;

  /* The speech is the only upload; it stalls, so the sentence stays. */
  mh_simulator_add_fault (f->base.sim, MH_SIM_ENDPOINT_UPLOAD, MH_SIM_FAULT_STALL, 1, 1000, NULL);
  f->job = mh_test_fixture_new_job (&f->base, "talking-photo", params);
  mh_job_set_face_check (f->job, FALSE);
  mh_job_view_set_job (f->view, f->job);
  mh_job_run_async (f->job, NULL, ran_cb, f);

  /* About 48 kB (3 s of 8 kHz 16-bit mono, and wavenc's header and tags)
   * instead of the 9.6 MB of 10 minutes. */
  whole = g_format_size (600 * 16000 + 44);
  suffix = g_strdup_printf (") instead of %s", whole);
  mh_app_test_wait_for_label (view, "Uploading 3 s of speech.wav (");
  label = mh_app_test_find_label (view, "Uploading 3 s of speech.wav (");
  text = gtk_label_get_text (GTK_LABEL (label));
  g_test_message ("%s", text);
  g_assert_true (g_str_has_suffix (text, suffix));
  g_assert_nonnull (strstr (text, "kB)"));
  g_assert_cmpstr (mh_job_get_message (f->job), ==, text);
  assert_stages (f, "current", "pending", "pending", "pending");
  g_assert_true (cut_dir_exists (NULL));

  /* Cancel stops it, and the cut goes with it. */
  mh_app_test_click (mh_app_test_find_button (view, "Cancel"));
  wait_ran (f);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (cut_dir_exists (NULL));
}

/* A lip sync's video goes whole (cutting it would change the result): the
 * view says so, and how much. */
static void
test_whole_upload (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "lip-sync");
  g_autofree char *note = whole_upload_note ("clip.mp4", mh_params_get (params, "video"));
  GtkWidget *view = GTK_WIDGET (f->view);

  mh_simulator_add_fault (f->base.sim, MH_SIM_ENDPOINT_UPLOAD, MH_SIM_FAULT_STALL, 1, 1000, NULL);
  start_job (f, "lip-sync", params);
  mh_app_test_wait_for_label (view, note);
  assert_stages (f, "current", "pending", "pending", "pending");
  g_assert_false (cut_dir_exists (NULL));
  mh_app_test_click (mh_app_test_find_button (view, "Cancel"));
  wait_ran (f);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gboolean
project_created (gpointer user_data)
{
  Fixture *f = user_data;
  MhJobState state = mh_job_get_state (f->job);

  return (mh_job_get_project_id (f->job) != NULL &&
          (state == MH_JOB_STATE_QUEUED || state == MH_JOB_STATE_RENDERING)) || f->ran;
}

/* After the create, Cancel asks first: the render may still be charged. */
static void
test_cancel_after_create (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "headshot");
  GtkWidget *view = GTK_WIDGET (f->view);
  AdwMessageDialog *dialog;
  const char *body;

  mh_simulator_set_render_seconds (f->base.sim, 120);
  start_job (f, "headshot", params);
  mh_test_wait_for (project_created, f, MH_TEST_TIMEOUT, "the project");
  g_assert_false (f->ran);

  mh_app_test_click (mh_app_test_find_button (view, "Cancel"));
  mh_test_wait_for (message_dialog_shown, NULL, MH_TEST_TIMEOUT, "the question");
  dialog = find_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Stop This Job?");
  body = adw_message_dialog_get_body (dialog);
  g_assert_nonnull (strstr (body, "may still finish"));
  g_assert_nonnull (strstr (body, "charged"));
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "keep"), ==, "_Keep Waiting");
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "stop"), ==, "_Stop");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "stop"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "keep");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (f->window));

  /* Escape (closing the dialog) keeps waiting. */
  gtk_window_close (GTK_WINDOW (dialog));
  mh_test_wait_for (message_dialog_gone, NULL, MH_TEST_TIMEOUT, "the question to go");
  g_assert_false (f->ran);
  g_assert_false (mh_job_state_is_finished (mh_job_get_state (f->job)));
  g_assert_nonnull (mh_app_test_find_button (view, "Cancel"));

  /* Asked again, and this time stopped. */
  mh_app_test_click (mh_app_test_find_button (view, "Cancel"));
  mh_test_wait_for (message_dialog_shown, NULL, MH_TEST_TIMEOUT, "the question");
  adw_message_dialog_response (find_message_dialog (), "stop");
  wait_ran (f);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (mh_job_get_state (f->job), ==, MH_JOB_STATE_CANCELED);
  mh_test_wait_for (message_dialog_gone, NULL, MH_TEST_TIMEOUT, "the question to go");

  g_assert_nonnull (mh_app_test_find_label (view, "Canceled"));
  g_assert_nonnull (mh_app_test_find_label (view, "may still finish and be charged"));
  g_assert_nonnull (mh_app_test_find_label (view, "Project ID"));
  g_assert_nonnull (mh_app_test_find_label (view, mh_job_get_project_id (f->job)));
}

/* A job that finishes while the question is open closes it. */
static void
test_question_closes_when_done (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "headshot");

  mh_simulator_set_render_seconds (f->base.sim, 120);
  start_job (f, "headshot", params);
  mh_test_wait_for (project_created, f, MH_TEST_TIMEOUT, "the project");

  mh_app_test_click (mh_app_test_find_button (GTK_WIDGET (f->view), "Cancel"));
  mh_test_wait_for (message_dialog_shown, NULL, MH_TEST_TIMEOUT, "the question");
  mh_simulator_finish_project_now (f->base.sim, mh_job_get_project_id (f->job));
  wait_ran (f);
  g_assert_true (f->ok);
  mh_test_wait_for (message_dialog_gone, NULL, MH_TEST_TIMEOUT, "the question to go");
  assert_result_buttons (f);
}

/* A job replaced while it runs no longer reaches the view. */
static void
test_replace_job (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "headshot");
  g_autoptr(MhJob) next = mh_test_fixture_new_job (&f->base, "talking-photo",
                                                    mh_test_fixture_params (&f->base, "talking-photo"));
  GtkWidget *view = GTK_WIDGET (f->view);

  mh_simulator_set_render_seconds (f->base.sim, 120);
  start_job (f, "headshot", params);
  mh_test_wait_for (project_created, f, MH_TEST_TIMEOUT, "the project");

  mh_job_view_set_job (f->view, next);
  g_assert_nonnull (mh_app_test_find_label (view, "AI Talking Photo"));
  assert_stages (f, "pending", "pending", "pending", "pending");

  /* The first job ends; the view still shows the second. */
  mh_job_cancel (f->job);
  wait_ran (f);
  g_assert_cmpint (mh_job_get_state (f->job), ==, MH_JOB_STATE_CANCELED);
  g_assert_null (mh_app_test_find_label (view, "Canceled"));
  assert_stages (f, "pending", "pending", "pending", "pending");
  g_assert_nonnull (mh_app_test_find_label (view, "Not started yet."));

  /* No job: nothing to see, nothing to press. */
  mh_job_view_set_job (f->view, NULL);
  g_assert_null (mh_job_view_get_job (f->view));
  g_assert_null (mh_app_test_find_button (view, "Cancel"));
  g_assert_null (mh_app_test_find_button (view, "Retry"));
  g_assert_null (mh_app_test_find_button (view, "Open"));

  /* The finished job, shown again, shows its end. */
  g_object_set (f->view, "job", f->job, NULL);
  g_assert_nonnull (mh_app_test_find_label (view, "Canceled"));
  g_assert_nonnull (mh_app_test_find_button (view, "Retry"));
}

static gboolean
toast_raised (gpointer user_data)
{
  return ((Fixture *) user_data)->toasts > 0;
}

typedef struct
{
  GtkFileChooser *chooser;
  GFile          *file;
} ChooserWait;

static gboolean
chooser_has_file (gpointer user_data)
{
  ChooserWait *w = user_data;
  g_autoptr(GFile) file = gtk_file_chooser_get_file (w->chooser);

  return file != NULL && g_file_equal (file, w->file);
}

/* Picks @folder and @name in the chooser, as a person would, and presses
 * Save; @doomed (a file) is deleted just before, as if another app had. */
static void
save_through_chooser (GFile      *folder,
                      const char *name,
                      const char *doomed)
{
  g_autoptr(GFile) file = g_file_get_child (folder, name);
  g_autoptr(GError) error = NULL;
  GtkWidget *chooser;
  ChooserWait w;

  mh_test_wait_for (file_chooser_shown, NULL, MH_TEST_TIMEOUT, "the file chooser");
  chooser = mh_app_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==,
                   GTK_FILE_CHOOSER_ACTION_SAVE);
  /* The chooser opens on a folder of its own choosing, in the background:
   * navigating before it has would be overridden. */
  mh_test_wait_for (mh_app_test_chooser_has_folder, chooser, MH_TEST_TIMEOUT, "the chooser's first folder");
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, &error));
  g_assert_no_error (error);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  w.chooser = GTK_FILE_CHOOSER (chooser);
  w.file = file;
  mh_test_wait_for (chooser_has_file, &w, MH_TEST_TIMEOUT, "the chooser to take the name");
  if (doomed != NULL)
    g_assert_cmpint (g_remove (doomed), ==, 0);
  gtk_widget_activate (mh_app_test_find_button (chooser, "Save"));
}

/* Save As… copies the result where the person chose, and says so. */
static void
test_save_as (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "headshot");
  g_autofree char *copies = g_build_filename (f->base.tmp, "copies", NULL);
  g_autofree char *copy = g_build_filename (copies, "mine.png", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (copies);
  GtkWidget *view = GTK_WIDGET (f->view);

  start_job (f, "headshot", params);
  wait_ran (f);
  g_assert_true (f->ok);

  g_assert_cmpint (g_mkdir (copies, 0755), ==, 0);
  mh_app_test_click (mh_app_test_find_button (view, "Save As…"));
  save_through_chooser (folder, "mine.png", NULL);
  mh_test_wait_for (toast_raised, f, MH_TEST_TIMEOUT, "the copy");
  g_assert_cmpstr (f->last_toast, ==, "Saved a copy");
  expected = mh_test_file_sha256 (mh_job_get_output_files (f->job)[0]);
  actual = mh_test_file_sha256 (copy);
  g_assert_cmpstr (actual, ==, expected);
  g_assert_null (mh_app_test_find_label (view, "Could not save a copy"));

  /* The result deleted meanwhile: the error is on the page. */
  mh_app_test_click (mh_app_test_find_button (view, "Save As…"));
  save_through_chooser (folder, "again.png", mh_job_get_output_files (f->job)[0]);
  mh_app_test_wait_for_label (view, "Could not save a copy");
  g_assert_cmpuint (f->toasts, ==, 1);
}

/* Every button of the result can be reached with Tab. */
static void
test_keyboard (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "headshot");
  const char *wanted[] = { "Open", "Show in Folder", "Save As…", "Start Over" };
  gboolean reached[G_N_ELEMENTS (wanted)] = { FALSE, };
  GtkWidget *view = GTK_WIDGET (f->view);

  start_job (f, "headshot", params);
  wait_ran (f);
  g_assert_true (f->ok);

  for (int i = 0; i < 40; i++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (f->window, GTK_DIR_TAB_FORWARD))
        gtk_window_set_focus (GTK_WINDOW (f->window), NULL);
      focus = gtk_root_get_focus (GTK_ROOT (f->window));
      for (guint j = 0; j < G_N_ELEMENTS (wanted); j++)
        if (focus != NULL && focus == mh_app_test_find_button (view, wanted[j]))
          reached[j] = TRUE;
    }

  for (guint j = 0; j < G_N_ELEMENTS (wanted); j++)
    {
      if (!reached[j])
        g_error ("“%s” cannot be reached with Tab", wanted[j]);
    }
}

/* ------------------------------------------------------------------------ */
/* Screenshots                                                              */

typedef struct
{
  GtkWidget *window;
  MhJobView *view;
  int        width;
} Shot;

static void
take_shots (Shot       *shots,
            guint       n_shots,
            const char *state)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  const struct { AdwColorScheme scheme; const char *name; } schemes[] = {
    { ADW_COLOR_SCHEME_FORCE_LIGHT, "light" },
    { ADW_COLOR_SCHEME_FORCE_DARK, "dark" },
  };

  for (guint s = 0; s < G_N_ELEMENTS (schemes); s++)
    {
      adw_style_manager_set_color_scheme (style, schemes[s].scheme);
      for (guint i = 0; i < n_shots; i++)
        {
          g_autofree char *name = g_strdup_printf ("job-view-%s-%s-%d.png", state,
                                                   schemes[s].name, shots[i].width);
          int minimum = 0;

          mh_app_test_wait_for_frames (shots[i].window);
          /* Nothing is clipped down to the narrowest window. */
          gtk_widget_measure (GTK_WIDGET (shots[i].view), GTK_ORIENTATION_HORIZONTAL, -1,
                              &minimum, NULL, NULL, NULL);
          g_assert_cmpint (minimum, <=, 360);
          mh_app_test_save_screenshot (shots[i].window, name);
        }
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

static gboolean
upload_midway (gpointer user_data)
{
  Fixture *f = user_data;

  return (mh_job_get_state (f->job) == MH_JOB_STATE_UPLOADING &&
          mh_job_get_fraction (f->job) >= 0.2) || f->ran;
}

static gboolean
render_clock_moved (gpointer user_data)
{
  Fixture *f = user_data;

  return (mh_job_get_state (f->job) == MH_JOB_STATE_RENDERING &&
          g_get_monotonic_time () - mh_job_get_state_since (f->job) > 1500 * 1000) || f->ran;
}

static gboolean
video_playing (gpointer stream)
{
  return gtk_media_stream_get_timestamp (stream) >= 800 * 1000;
}

static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "talking-photo");
  g_autoptr(GHashTable) failing = mh_test_fixture_params (&f->base, "headshot");
  g_autoptr(GHashTable) portrait = mh_test_fixture_params (&f->base, "headshot");
  /* Big enough for the upload to last through the screenshots. */
  g_autofree char *big = mh_test_write_big_png (f->base.tmp, "grandma.png", 384 * MB);
  Shot shots[2] = { { NULL, NULL, 360 }, { NULL, NULL, 800 } };

  if (g_getenv ("MH_SCREENSHOT_DIR") == NULL)
    {
      g_test_skip ("MH_SCREENSHOT_DIR is not set");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    {
      shots[i].window = window_new (shots[i].width, 720, &shots[i].view);
      mh_test_wait_for (mh_app_test_widget_mapped, shots[i].window, MH_TEST_TIMEOUT, "a window");
    }

  mh_params_set (params, "image", big);
  mh_params_set (params, "name", "Grandma says hello");
  mh_simulator_set_render_seconds (f->base.sim, 4.0);
  f->job = mh_test_fixture_new_job (&f->base, "talking-photo", params);
  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    mh_job_view_set_job (shots[i].view, f->job);
  mh_job_run_async (f->job, NULL, ran_cb, f);

  mh_test_wait_for (upload_midway, f, MH_TEST_TIMEOUT, "the upload midway");
  g_assert_false (f->ran);
  take_shots (shots, G_N_ELEMENTS (shots), "uploading");

  mh_test_wait_for (render_clock_moved, f, MH_TEST_TIMEOUT, "the render");
  g_assert_false (f->ran);
  take_shots (shots, G_N_ELEMENTS (shots), "rendering");

  /* One video at a time: two GStreamer GL pipelines beside GTK's own GL
   * on software Mesa (llvmpipe) crash now and then in the upload. */
  mh_job_view_set_job (shots[1].view, NULL);
  wait_ran (f);
  g_assert_true (f->ok);
  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    {
      GtkWidget *video;
      GtkMediaStream *stream;

      for (guint j = 0; j < G_N_ELEMENTS (shots); j++)
        mh_job_view_set_job (shots[j].view, i == j ? f->job : NULL);
      video = mh_app_test_find_widget (GTK_WIDGET (shots[i].view), GTK_TYPE_VIDEO, NULL, NULL);
      g_assert_nonnull (video);
      stream = gtk_video_get_media_stream (GTK_VIDEO (video));
      gtk_media_stream_play (stream);
      mh_test_wait_for (video_playing, stream, MH_TEST_TIMEOUT, "the video to play");
      /* A black box otherwise: GTK 4.8 needs gstreamer1.0-gl for its video
       * sink and gstreamer1.0-libav for H.264. */
      if (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (stream)) == 0)
        g_error ("The video plays but no picture shows: are gstreamer1.0-gl and "
                 "gstreamer1.0-libav installed?");
      take_shots (&shots[i], 1, "result");
      mh_job_view_set_job (shots[i].view, NULL);
    }

  /* A picture, on a job of its own. */
  g_clear_object (&f->job);
  f->ran = FALSE;
  mh_simulator_set_render_seconds (f->base.sim, 0.2);
  mh_params_set (portrait, "name", "Portrait for the website");
  f->job = mh_test_fixture_new_job (&f->base, "headshot", portrait);
  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    mh_job_view_set_job (shots[i].view, f->job);
  mh_job_run_async (f->job, NULL, ran_cb, f);
  wait_ran (f);
  g_assert_true (f->ok);
  take_shots (shots, G_N_ELEMENTS (shots), "result-picture");

  /* A failure, on a job of its own. */
  g_clear_object (&f->job);
  g_clear_error (&f->error);
  f->ran = FALSE;
  mh_simulator_add_fault (f->base.sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_RENDER_ERROR,
                          1, 0, "no_source_face");
  f->job = mh_test_fixture_new_job (&f->base, "headshot", failing);
  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    mh_job_view_set_job (shots[i].view, f->job);
  mh_job_run_async (f->job, NULL, ran_cb, f);
  wait_ran (f);
  take_shots (shots, G_N_ELEMENTS (shots), "failure");

  /* Each refusal of the account (CONTRACT.md, December 2026), with its
   * link; the plan's names the option chosen that needs it. */
  {
    g_autoptr(GHashTable) pro = mh_test_fixture_params (&f->base, "lip-sync");
    const struct
    {
      const char *code;
      const char *tool_id;
      GHashTable *params;
      const char *state;
    } refusals[] = {
      { .code = "insufficient_credits", .tool_id = "headshot", .params = failing,
        .state = "insufficient-credits" },
      { .code = "subscription_required", .tool_id = "headshot", .params = failing,
        .state = "subscription-required" },
      { .code = "plan_upgrade_required", .tool_id = "lip-sync", .params = pro,
        .state = "plan-upgrade-required" },
    };

    mh_params_set (pro, "mode", "pro");
    for (guint r = 0; r < G_N_ELEMENTS (refusals); r++)
      {
        g_clear_object (&f->job);
        g_clear_error (&f->error);
        f->ran = FALSE;
        mh_simulator_add_status_fault (f->base.sim, MH_SIM_ENDPOINT_CREATE, 1, 402,
                                       refusals[r].code, "Payment required");
        f->job = mh_test_fixture_new_job (&f->base, refusals[r].tool_id, refusals[r].params);
        for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
          mh_job_view_set_job (shots[i].view, f->job);
        mh_job_run_async (f->job, NULL, ran_cb, f);
        wait_ran (f);
        g_assert_false (f->ok);
        take_shots (shots, G_N_ELEMENTS (shots), refusals[r].state);
      }
  }

  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    gtk_window_destroy (GTK_WINDOW (shots[i].window));
}

int
main (int   argc,
      char *argv[])
{
  const MhTestErrorCase *cases;
  guint n_cases;

  /* GStreamer's GL upload beside GTK's GL on software Mesa (llvmpipe, as
   * under Xvfb) crashes now and then; with GL off GTK draws with cairo and
   * its video sink needs no GL. Set GDK_DEBUG (even empty) to test with GL. */
  if (g_getenv ("GDK_DEBUG") == NULL)
    g_setenv ("GDK_DEBUG", "gl-disable", TRUE);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return 77;
    }

  adw_init ();
  g_test_init (&argc, &argv, NULL);
  /* Links the app's resource in (its constructor registers it), and finds
   * the tools' icons there as the application does. */
  g_assert_nonnull (mh_app_get_resource ());
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/io/github/mhstudio/MagicHourStudio/icons");
  /* Pages switch at once: what is mapped is what is shown. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, setup, func, teardown)

  ADD ("/job-view/talking-photo", test_talking_photo);
  ADD ("/job-view/headshot", test_headshot);
  ADD ("/job-view/progress-when-seen", test_progress_when_seen);
  ADD ("/job-view/render-error", test_render_error);
  ADD ("/job-view/payment-refused", test_payment_refused);
  ADD ("/job-view/plan-upgrade", test_plan_upgrade);
  ADD ("/job-view/cancel-before-create", test_cancel_before_create);
  ADD ("/job-view/partial-upload", test_partial_upload);
  ADD ("/job-view/whole-upload", test_whole_upload);
  ADD ("/job-view/cancel-after-create", test_cancel_after_create);
  ADD ("/job-view/question-closes-when-done", test_question_closes_when_done);
  ADD ("/job-view/replace-job", test_replace_job);
  ADD ("/job-view/save-as", test_save_as);
  ADD ("/job-view/keyboard", test_keyboard);
  ADD ("/job-view/screenshots", test_screenshots);

#undef ADD

  cases = mh_test_error_cases (&n_cases);
  for (guint i = 0; i < n_cases; i++)
    {
      g_autofree char *name = mh_test_error_case_path (&cases[i]);
      g_autofree char *path = g_strconcat ("/job-view/refused/", name, NULL);

      g_test_add (path, Fixture, &cases[i], setup, test_refused, teardown);
    }

  return g_test_run ();
}
