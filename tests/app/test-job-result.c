/* test-job-result.c: what a person does once a job has ended
 *
 * A real job against the simulator on loopback, shown in a job view, and
 * then: the file on disk under the job's name (or the input's and the
 * tool's), never over another; Save As… starting where the result is,
 * under its name; Open on a computer with no app for the file offering
 * Open With…; the big ▶ playing the video; the keyboard on Open after a
 * success and on Retry after a failure, but never taken from elsewhere;
 * the Cancel question closing, and saying so, when the job ends first;
 * the canceled page saying "Canceled" once.
 *
 * No app at all is registered here: main() points XDG_DATA_HOME,
 * XDG_DATA_DIRS and XDG_CONFIG_DIRS at a folder of their own before GTK
 * starts: /usr/share with everything but its applications (the MIME
 * database, icons and settings schemas are still found).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "mh-app-resources.h"
#include "mh-app-test-util.h"
#include "mh-job-view.h"
#include "mh-launch.h"
#include "mh-params.h"
#include "mh-test-util.h"

typedef struct
{
  MhTestFixture  base;
  GtkWidget     *window;
  GtkWidget     *header_entry;  /* focus that is not the job's */
  MhJobView     *view;
  MhJob         *job;
  gboolean       ran;
  gboolean       ok;
  GError        *error;
  GPtrArray     *toasts;        /* AdwToast, as raised */
} Fixture;

/* ------------------------------------------------------------------------ */
/* Looking at widgets                                                       */

static gboolean
toplevel_shown (gpointer type)
{
  return mh_app_test_find_toplevel (GPOINTER_TO_SIZE (type)) != NULL;
}

static gboolean
toplevel_gone (gpointer type)
{
  return mh_app_test_find_toplevel (GPOINTER_TO_SIZE (type)) == NULL;
}

static GtkWidget *
get_focus (Fixture *f)
{
  return gtk_root_get_focus (GTK_ROOT (f->window));
}

/* ------------------------------------------------------------------------ */
/* The fixture                                                              */

static void
toast_cb (MhJobView *view,
          AdwToast  *toast,
          Fixture   *f)
{
  /* The handler takes the toast, as adw_toast_overlay_add_toast() would. */
  g_ptr_array_add (f->toasts, toast);
}

static AdwToast *
last_toast (Fixture *f)
{
  g_assert_cmpuint (f->toasts->len, >, 0);
  return g_ptr_array_index (f->toasts, f->toasts->len - 1);
}

static gboolean
toast_raised (gpointer user_data)
{
  return ((Fixture *) user_data)->toasts->len > 0;
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  GtkWidget *header = adw_header_bar_new ();

  mh_test_fixture_setup (&f->base, data);
  f->toasts = g_ptr_array_new_with_free_func (g_object_unref);

  f->window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (f->window), "Magic Hour Studio");
  f->header_entry = gtk_search_entry_new ();
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), f->header_entry);
  gtk_window_set_titlebar (GTK_WINDOW (f->window), header);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 640, 760);
  f->view = g_object_ref (MH_JOB_VIEW (mh_job_view_new ()));
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));
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
  if (f->job != NULL && mh_job_get_state (f->job) != MH_JOB_STATE_IDLE && !f->ran)
    {
      mh_job_cancel (f->job);
      mh_test_wait_for (job_ran, f, MH_TEST_TIMEOUT, "the job to stop");
    }

  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->view);

  g_clear_object (&f->job);
  g_clear_error (&f->error);
  g_clear_pointer (&f->toasts, g_ptr_array_unref);
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
  g_clear_object (&f->job);
  f->ran = FALSE;
  g_clear_error (&f->error);
  f->job = mh_test_fixture_new_job (&f->base, tool_id, params);
  mh_job_set_face_check (f->job, FALSE);
  mh_job_view_set_job (f->view, f->job);
  mh_job_run_async (f->job, NULL, ran_cb, f);
}

static void
run_job (Fixture    *f,
         const char *tool_id,
         GHashTable *params)
{
  start_job (f, tool_id, params);
  mh_test_wait_for (job_ran, f, MH_TEST_TIMEOUT, "the job to end");
}

static void
run_good_job (Fixture    *f,
              const char *tool_id,
              GHashTable *params)
{
  run_job (f, tool_id, params);
  g_assert_no_error (f->error);
  g_assert_true (f->ok);
}

static const char *
output_path (Fixture *f)
{
  const char *const *outputs = mh_job_get_output_files (f->job);

  g_assert_nonnull (outputs);
  g_assert_nonnull (outputs[0]);
  g_assert_true (g_file_test (outputs[0], G_FILE_TEST_IS_REGULAR));
  return outputs[0];
}

static void
assert_output_bytes (Fixture *f)
{
  g_autofree char *expected = mh_simulator_dup_output_sha256 (f->base.sim, mh_job_get_project_id (f->job), NULL);
  g_autofree char *actual = mh_test_file_sha256 (output_path (f));

  g_assert_cmpstr (actual, ==, expected);
}

static gboolean
project_created (gpointer user_data)
{
  Fixture *f = user_data;
  MhJobState state = mh_job_get_state (f->job);

  return (mh_job_get_project_id (f->job) != NULL &&
          (state == MH_JOB_STATE_QUEUED || state == MH_JOB_STATE_RENDERING)) || f->ran;
}

/* ------------------------------------------------------------------------ */
/* Names                                                                    */

/* The job's name names the file; a second job of that name leaves the
 * first file as it was. */
static void
test_named_after_job (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "headshot");
  g_autofree char *first = g_build_filename (f->base.out, "Team page.png", NULL);
  g_autofree char *second = g_build_filename (f->base.out, "Team page (2).png", NULL);
  g_autofree char *first_sha = NULL;
  g_autofree char *first_sha_after = NULL;
  g_autoptr(GPtrArray) names = NULL;

  mh_params_set (params, "name", "Team page");
  run_good_job (f, "headshot", params);
  g_assert_cmpstr (output_path (f), ==, first);
  assert_output_bytes (f);
  /* The page says where, by that name. */
  g_assert_nonnull (mh_app_test_find_label (GTK_WIDGET (f->view), "Team page.png"));
  first_sha = mh_test_file_sha256 (first);

  run_good_job (f, "headshot", params);
  g_assert_cmpstr (output_path (f), ==, second);
  assert_output_bytes (f);
  first_sha_after = mh_test_file_sha256 (first);
  g_assert_cmpstr (first_sha_after, ==, first_sha);

  names = mh_test_list_dir (f->base.out);
  g_assert_cmpuint (names->len, ==, 2);
}

/* Without a name: the input's file name and the tool. */
static void
test_named_after_input (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "talking-photo");
  g_autofree char *expected = g_build_filename (f->base.out, "face-talking-photo.mp4", NULL);

  run_good_job (f, "talking-photo", params);
  g_assert_cmpstr (output_path (f), ==, expected);
  assert_output_bytes (f);
}

/* ------------------------------------------------------------------------ */
/* Save As…                                                                 */

/* Save As… opens in the folder of the result, under its name. */
static void
test_save_as_starts_at_result (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "headshot");
  g_autoptr(GFile) out = g_file_new_for_path (f->base.out);
  g_autoptr(GFile) folder = NULL;
  g_autofree char *name = NULL;
  GtkWidget *chooser;

  mh_params_set (params, "name", "For the website");
  run_good_job (f, "headshot", params);

  mh_app_test_click (mh_app_test_find_button (GTK_WIDGET (f->view), "Save As…"));
  mh_test_wait_for (toplevel_shown, GSIZE_TO_POINTER (GTK_TYPE_FILE_CHOOSER_DIALOG),
                    MH_TEST_TIMEOUT, "the file chooser");
  chooser = mh_app_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==,
                   GTK_FILE_CHOOSER_ACTION_SAVE);
  mh_test_wait_for (mh_app_test_chooser_has_folder, chooser, MH_TEST_TIMEOUT, "the chooser's folder");
  folder = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (chooser));
  g_assert_true (g_file_equal (folder, out));
  name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
  g_assert_cmpstr (name, ==, "For the website.png");

  gtk_widget_activate (mh_app_test_find_button (chooser, "Cancel"));
  mh_test_wait_for (toplevel_gone, GSIZE_TO_POINTER (GTK_TYPE_FILE_CHOOSER_DIALOG),
                    MH_TEST_TIMEOUT, "the chooser to close");
  g_assert_cmpuint (f->toasts->len, ==, 0);
}

/* ------------------------------------------------------------------------ */
/* Open With…                                                               */

/* No app opens the file: the toast names it and offers the app chooser,
 * never GLib's sentence about MIME types. */
static void
test_open_with (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "headshot");
  g_autoptr(GAppInfo) handler = g_app_info_get_default_for_type ("image/png", FALSE);
  GtkWidget *dialog;
  AdwToast *toast;

  g_assert_null (handler);
  run_good_job (f, "headshot", params);

  mh_app_test_click (mh_app_test_find_button (GTK_WIDGET (f->view), "Open"));
  mh_test_wait_for (toast_raised, f, MH_TEST_TIMEOUT, "the toast");
  toast = last_toast (f);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "No app is set to open “face-headshot.png”");
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "Open _With…");

  g_signal_emit_by_name (toast, "button-clicked");
  mh_test_wait_for (toplevel_shown, GSIZE_TO_POINTER (GTK_TYPE_APP_CHOOSER_DIALOG),
                    MH_TEST_TIMEOUT, "the app chooser");
  dialog = mh_app_test_find_toplevel (GTK_TYPE_APP_CHOOSER_DIALOG);
  g_assert_cmpstr (gtk_app_chooser_get_content_type (GTK_APP_CHOOSER (dialog)), ==, "image/png");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (f->window));

  /* Asked again, the same chooser comes up, not a second one. */
  g_signal_emit_by_name (toast, "button-clicked");
  g_assert_true (mh_app_test_find_toplevel (GTK_TYPE_APP_CHOOSER_DIALOG) == dialog);

  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  mh_test_wait_for (toplevel_gone, GSIZE_TO_POINTER (GTK_TYPE_APP_CHOOSER_DIALOG),
                    MH_TEST_TIMEOUT, "the app chooser to close");
  g_assert_cmpuint (f->toasts->len, ==, 1);
}

/* The file gone meanwhile: said so, with no chooser on offer. */
static void
test_open_missing (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "headshot");

  run_good_job (f, "headshot", params);
  g_assert_cmpint (g_remove (output_path (f)), ==, 0);
  mh_app_test_click (mh_app_test_find_button (GTK_WIDGET (f->view), "Open"));
  mh_test_wait_for (toast_raised, f, MH_TEST_TIMEOUT, "the toast");
  g_assert_cmpstr (adw_toast_get_title (last_toast (f)), ==, "“face-headshot.png” is no longer in its folder");
  g_assert_null (adw_toast_get_button_label (last_toast (f)));
}

/* History's Open says the same as the job view's, with the same chooser:
 * both take their toast from mh_launch_failure_toast(). */
static void
test_failure_toast_shared (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "headshot");
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "raw GLib text");
  g_autoptr(AdwToast) toast = NULL;
  g_autoptr(AdwToast) gone = NULL;
  g_autofree char *path = NULL;
  GtkWidget *dialog;

  run_good_job (f, "headshot", params);
  path = g_strdup (output_path (f));

  toast = mh_launch_failure_toast (GTK_WIDGET (f->view), path, error);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "No app is set to open “face-headshot.png”");
  g_assert_null (strstr (adw_toast_get_title (toast), "raw GLib text"));
  g_signal_emit_by_name (toast, "button-clicked");
  mh_test_wait_for (toplevel_shown, GSIZE_TO_POINTER (GTK_TYPE_APP_CHOOSER_DIALOG),
                    MH_TEST_TIMEOUT, "the app chooser");
  dialog = mh_app_test_find_toplevel (GTK_TYPE_APP_CHOOSER_DIALOG);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (f->window));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  mh_test_wait_for (toplevel_gone, GSIZE_TO_POINTER (GTK_TYPE_APP_CHOOSER_DIALOG),
                    MH_TEST_TIMEOUT, "the app chooser to close");

  /* Closed, it is forgotten: asked again, a new one comes. */
  mh_launch_open_with (GTK_WIDGET (f->view), path);
  mh_test_wait_for (toplevel_shown, GSIZE_TO_POINTER (GTK_TYPE_APP_CHOOSER_DIALOG),
                    MH_TEST_TIMEOUT, "the app chooser again");
  g_assert_true (mh_app_test_find_toplevel (GTK_TYPE_APP_CHOOSER_DIALOG) != dialog);
  gtk_dialog_response (GTK_DIALOG (mh_app_test_find_toplevel (GTK_TYPE_APP_CHOOSER_DIALOG)), GTK_RESPONSE_CANCEL);
  mh_test_wait_for (toplevel_gone, GSIZE_TO_POINTER (GTK_TYPE_APP_CHOOSER_DIALOG),
                    MH_TEST_TIMEOUT, "the app chooser to close again");

  /* A file gone: said so, nothing to choose. */
  g_assert_cmpint (g_remove (path), ==, 0);
  gone = mh_launch_failure_toast (GTK_WIDGET (f->view), path, error);
  g_assert_cmpstr (adw_toast_get_title (gone), ==, "“face-headshot.png” is no longer in its folder");
  g_assert_null (adw_toast_get_button_label (gone));
}

/* ------------------------------------------------------------------------ */
/* ▶                                                                        */

static GtkGesture *
find_play_click (GtkWidget *video)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (video);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "mh-play-click") == 0)
        return GTK_GESTURE (controller);
    }

  return NULL;
}

/* A click on the result's picture (where GTK draws the big ▶) plays it,
 * and another pauses it. */
static void
test_play (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "talking-photo");
  GtkWidget *video;
  GtkGesture *gesture;
  GtkMediaStream *media;
  double x, y;

  run_good_job (f, "talking-photo", params);
  video = mh_app_test_find_widget (GTK_WIDGET (f->view), GTK_TYPE_VIDEO, NULL, NULL);
  g_assert_nonnull (video);
  mh_app_test_wait_for_frames (video);
  media = gtk_video_get_media_stream (GTK_VIDEO (video));
  g_assert_nonnull (media);
  g_assert_false (gtk_media_stream_get_playing (media));

  gesture = find_play_click (video);
  g_assert_nonnull (gesture);
  x = gtk_widget_get_width (video) / 2.0;
  y = gtk_widget_get_height (video) / 3.0;
  g_signal_emit_by_name (gesture, "released", 1, x, y);
  g_assert_true (gtk_media_stream_get_playing (media));

  g_signal_emit_by_name (gesture, "released", 1, x, y);
  g_assert_false (gtk_media_stream_get_playing (media));
}

/* ------------------------------------------------------------------------ */
/* Focus                                                                    */

/* Success: Open has the keyboard, where Cancel had it. */
static void
test_focus_open (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "headshot");
  GtkWidget *cancel;

  mh_simulator_set_render_seconds (f->base.sim, 120);
  start_job (f, "headshot", params);
  mh_test_wait_for (project_created, f, MH_TEST_TIMEOUT, "the project");
  cancel = mh_app_test_find_button (GTK_WIDGET (f->view), "Cancel");
  g_assert_true (gtk_widget_grab_focus (cancel));
  g_assert_true (get_focus (f) == cancel);

  mh_simulator_finish_project_now (f->base.sim, mh_job_get_project_id (f->job));
  mh_test_wait_for (job_ran, f, MH_TEST_TIMEOUT, "the job to end");
  g_assert_true (f->ok);
  g_assert_true (get_focus (f) == mh_app_test_find_button (GTK_WIDGET (f->view), "Open"));

  /* What a person sees: the focus ring on Open. */
  gtk_window_set_focus_visible (GTK_WINDOW (f->window), TRUE);
  mh_app_test_wait_until_still (f->window);
  mh_app_test_save_screenshot (f->window, "job-result-focus-open.png");
}

/* A failure that another try may mend: Retry has the keyboard; the
 * window had no focus at all before. */
static void
test_focus_retry (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "headshot");
  GtkWidget *retry;

  mh_simulator_add_fault (f->base.sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_RENDER_ERROR,
                          1, 0, "unknown_error");
  gtk_window_set_focus (GTK_WINDOW (f->window), NULL);
  run_job (f, "headshot", params);
  g_assert_false (f->ok);
  retry = mh_app_test_find_button (GTK_WIDGET (f->view), "Retry");
  g_assert_nonnull (retry);
  g_assert_true (gtk_widget_has_css_class (retry, "suggested-action"));
  g_assert_true (get_focus (f) == retry);
}

/* A person typing elsewhere (here the header's search) keeps the keyboard
 * when the job ends. */
static void
test_focus_kept (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "headshot");
  GtkWidget *text;

  g_assert_true (gtk_widget_grab_focus (f->header_entry));
  text = get_focus (f);
  g_assert_true (text == f->header_entry || gtk_widget_is_ancestor (text, f->header_entry));
  run_good_job (f, "headshot", params);
  g_assert_true (get_focus (f) == text);
  g_assert_false (gtk_widget_has_focus (mh_app_test_find_button (GTK_WIDGET (f->view), "Open")));
}

/* Nor is it taken from another tab: the job's tab is not shown. */
static void
test_focus_other_tab (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "headshot");
  AdwViewStack *stack = ADW_VIEW_STACK (adw_view_stack_new ());
  GtkWidget *other = gtk_entry_new ();

  /* The view moves into the first tab; the second, shown, has a field. */
  gtk_window_set_child (GTK_WINDOW (f->window), NULL);
  adw_view_stack_add_titled (stack, GTK_WIDGET (f->view), "job", "Job");
  adw_view_stack_add_titled (stack, other, "other", "Other");
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (stack));
  adw_view_stack_set_visible_child (stack, other);
  mh_test_wait_for (mh_app_test_widget_mapped, other, MH_TEST_TIMEOUT, "the other tab");
  g_assert_true (gtk_widget_grab_focus (other));

  run_good_job (f, "headshot", params);
  g_assert_cmpint (mh_job_get_state (f->job), ==, MH_JOB_STATE_DONE);
  g_assert_true (gtk_widget_has_focus (other) || gtk_widget_is_ancestor (get_focus (f), other));
}

/* ------------------------------------------------------------------------ */
/* Cancel                                                                   */

/* The job ends while "Stop This Job?" is open: the question goes, and a
 * toast says why. */
static void
test_question_closes_and_says_so (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, "headshot");

  mh_simulator_set_render_seconds (f->base.sim, 120);
  start_job (f, "headshot", params);
  mh_test_wait_for (project_created, f, MH_TEST_TIMEOUT, "the project");

  /* Pressed from the keyboard: Cancel had the focus. */
  g_assert_true (gtk_widget_grab_focus (mh_app_test_find_button (GTK_WIDGET (f->view), "Cancel")));
  mh_app_test_click (mh_app_test_find_button (GTK_WIDGET (f->view), "Cancel"));
  mh_test_wait_for (toplevel_shown, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG),
                    MH_TEST_TIMEOUT, "the question");
  mh_simulator_finish_project_now (f->base.sim, mh_job_get_project_id (f->job));
  mh_test_wait_for (job_ran, f, MH_TEST_TIMEOUT, "the job to end");
  g_assert_true (f->ok);
  mh_test_wait_for (toplevel_gone, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG),
                    MH_TEST_TIMEOUT, "the question to go");
  g_assert_cmpuint (f->toasts->len, ==, 1);
  g_assert_cmpstr (adw_toast_get_title (last_toast (f)), ==, "The job finished before it could be stopped");
  g_assert_true (get_focus (f) == mh_app_test_find_button (GTK_WIDGET (f->view), "Open"));
}

static gboolean
upload_started (gpointer user_data)
{
  Fixture *f = user_data;

  return (mh_job_get_state (f->job) == MH_JOB_STATE_UPLOADING &&
          mh_job_get_bytes_done (f->job) > 0) || f->ran;
}

/* Canceled: said once, in the title; Start Over, not Retry, is suggested
 * and has the keyboard. */
static void
test_canceled_page (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *big = mh_test_write_big_png (f->base.tmp, "big.png", 256 * 1024 * 1024);
  g_autoptr(GHashTable) params = mh_test_params ("image", big, NULL);
  GtkWidget *view = GTK_WIDGET (f->view);
  GtkWidget *title, *body, *start_over, *retry;

  start_job (f, "headshot", params);
  mh_test_wait_for (upload_started, f, MH_TEST_TIMEOUT, "the upload");
  g_assert_true (gtk_widget_grab_focus (mh_app_test_find_button (view, "Cancel")));
  mh_app_test_click (mh_app_test_find_button (view, "Cancel"));
  mh_test_wait_for (job_ran, f, MH_TEST_TIMEOUT, "the job to stop");
  g_assert_cmpint (mh_job_get_state (f->job), ==, MH_JOB_STATE_CANCELED);

  title = mh_app_test_find_label (view, "Canceled");
  g_assert_nonnull (title);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (title)), ==, "Canceled");
  /* The engine's "Canceled. Nothing was sent…" is the CLI's: not here. */
  g_assert_null (mh_app_test_find_label (view, "Canceled."));
  body = mh_app_test_find_label (view, "Nothing was sent to Magic Hour");
  g_assert_nonnull (body);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (body)), ==,
                   "Nothing was sent to Magic Hour for rendering, and nothing was charged.");

  start_over = mh_app_test_find_button (view, "Start Over");
  retry = mh_app_test_find_button (view, "Retry");
  g_assert_true (gtk_widget_has_css_class (start_over, "suggested-action"));
  g_assert_false (gtk_widget_has_css_class (retry, "suggested-action"));
  g_assert_true (get_focus (f) == start_over);
  g_assert_cmpuint (f->toasts->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *empty = NULL;
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) share = NULL;
  const char *entry;

  /* No app for any file: what a machine without a video player is. */
  empty = g_dir_make_tmp ("no-apps-XXXXXX", NULL);
  g_assert_nonnull (empty);
  share = g_dir_open ("/usr/share", 0, NULL);
  g_assert_nonnull (share);
  while ((entry = g_dir_read_name (share)) != NULL)
    {
      g_autofree char *target = NULL;
      char *link;

      if (g_str_equal (entry, "applications"))
        continue;
      target = g_build_filename ("/usr/share", entry, NULL);
      link = g_build_filename (empty, entry, NULL);
      g_assert_cmpint (symlink (target, link), ==, 0);
      g_ptr_array_add (links, link);
    }
  g_setenv ("XDG_DATA_HOME", empty, TRUE);
  g_setenv ("XDG_DATA_DIRS", empty, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", empty, TRUE);

  /* As test-job-view.c: GStreamer's GL beside GTK's on software Mesa
   * crashes now and then. */
  if (g_getenv ("GDK_DEBUG") == NULL)
    g_setenv ("GDK_DEBUG", "gl-disable", TRUE);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return 77;
    }

  adw_init ();
  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (mh_app_get_resource ());
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/io/github/mhstudio/MagicHourStudio/icons");
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, setup, func, teardown)

  ADD ("/job-result/named-after-job", test_named_after_job);
  ADD ("/job-result/named-after-input", test_named_after_input);
  ADD ("/job-result/save-as-starts-at-result", test_save_as_starts_at_result);
  ADD ("/job-result/open-with", test_open_with);
  ADD ("/job-result/open-missing", test_open_missing);
  ADD ("/job-result/failure-toast-shared", test_failure_toast_shared);
  ADD ("/job-result/play", test_play);
  ADD ("/job-result/focus-open", test_focus_open);
  ADD ("/job-result/focus-retry", test_focus_retry);
  ADD ("/job-result/focus-kept", test_focus_kept);
  ADD ("/job-result/focus-other-tab", test_focus_other_tab);
  ADD ("/job-result/question-closes-and-says-so", test_question_closes_and_says_so);
  ADD ("/job-result/canceled-page", test_canceled_page);

#undef ADD

  {
    int status = g_test_run ();

    for (guint i = 0; i < links->len; i++)
      g_unlink (g_ptr_array_index (links, i));
    g_rmdir (empty);
    return status;
  }
}
