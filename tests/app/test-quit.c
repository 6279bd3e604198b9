/* test-quit.c: quitting and closing the window while jobs run
 *
 * The app runs for real (g_application_run, in a process of its own per
 * test) against the simulator, in real mode (MAGIC_HOUR_API_BASE_URL and
 * MAGIC_HOUR_API_KEY set) or in the demo. With no job running, Ctrl+Q and
 * closing the window quit at once. With a job uploading, waiting in the
 * queue, rendering or downloading, Ctrl+Q asks first and the dialog says which job
 * runs, at which step, and what quitting does to it; Keep Running keeps the
 * job and the window. Closing the window asks the same question and says
 * that it quits the app; Quit ends the app with the waiting job's record
 * kept, and the next start resumes it (no second create, the simulator's
 * bytes on disk) and says so in a toast that says where to look. In the
 * demo the dialog says the demo's jobs and history are not kept.
 *
 * Screenshots of the dialogs go to $MH_SCREENSHOT_DIR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <string.h>

#include "mh-application.h"
#include "mh-app-test-util.h"
#include "mh-job-store.h"
#include "mh-jobs-indicator.h"
#include "mh-params.h"
#include "mh-quit-dialog.h"
#include "mh-test-bus.h"
#include "mh-test-util.h"
#include "mh-window.h"

#define WIDTH 1000
#define HEIGHT 760

/* The simulator, a client of it and a temporary folder, per process;
 * XDG_DATA_HOME points into it, so the history is this test's own. */
static MhTestFixture fx;

typedef struct _Run Run;
typedef void (*RunStep) (Run *run);

/* One run of the app: @step drives it once its window is up. */
struct _Run
{
  MhApplication *app;
  MhWindow      *window;
  RunStep        step;
  gboolean       stepped;
  char          *id;         /* the record a step leaves behind */
  char          *project_id;
  char          *demo_dir;
};

/* ------------------------------------------------------------------------ */
/* Looking at the app                                                       */

/* The quit dialog on screen, or NULL. */
static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (MH_IS_QUIT_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return find_dialog () == NULL;
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("“%s” does not say “%s”", text, part);
}

static void
assert_lacks (const char *text,
              const char *part)
{
  if (strstr (text, part) != NULL)
    g_error ("“%s” should not say “%s”", text, part);
}

static gboolean
button_label_is (GtkWidget     *widget,
                 gconstpointer  label)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Clicks the dialog's button labelled @label, as a person would, and waits
 * until the dialog has gone, for good: the next question is a new one. */
static void
click_response (AdwMessageDialog *dialog,
                const char       *label)
{
  GtkWidget *button = mh_app_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, button_label_is, label);
  gpointer weak = dialog;

  g_assert_nonnull (button);
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  g_assert_true (gtk_widget_activate (button));
  mh_test_wait_for (dialog_gone, NULL, MH_TEST_TIMEOUT, "the dialog to close");
  mh_test_wait_for (pointer_cleared, &weak, MH_TEST_TIMEOUT, "the dialog to be freed");
}

/* Ctrl+Q: what its accelerator activates. */
static void
press_ctrl_q (Run *run)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (run->app), "app.quit");

  g_assert_true (g_strv_contains ((const char *const *) accels, "<Control>q"));
  g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
}

static void
screenshot_dialog (AdwMessageDialog *dialog,
                   const char       *name)
{
  mh_app_test_wait_until_still (GTK_WIDGET (dialog));
  mh_app_test_save_screenshot (GTK_WIDGET (dialog), name);
}

/* ------------------------------------------------------------------------ */
/* Jobs                                                                     */

static MhJob *
start_job (Run        *run,
           const char *tool_id,
           const char *name)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&fx, tool_id);
  g_autoptr(GFile) out = g_file_new_for_path (fx.out);
  MhJob *job;

  mh_params_set (params, "name", name);
  job = mh_job_store_new_job (mh_application_get_store (run->app), mh_application_get_client (run->app),
                              mh_tool_lookup (tool_id), params);
  mh_job_set_output_dir (job, out);
  mh_application_run_job (run->app, job);

  return job;
}

static void
wait_for_state (MhJob      *job,
                MhJobState  state)
{
  mh_app_test_wait_for_job_state (job, state);
  if (mh_job_get_state (job) != state)
    g_error ("The job is %s (%s), not %s", mh_job_state_to_string (mh_job_get_state (job)),
             mh_job_get_message (job), mh_job_state_to_string (state));
}

/* The history as the next start will read it. */
static MhJobStore *
read_store (void)
{
  g_autoptr(GFile) dir = mh_job_store_default_dir ();
  MhJobStore *store = mh_job_store_new (dir);

  mh_app_test_load_store (store);
  return store;
}

/* ------------------------------------------------------------------------ */
/* Running the app                                                          */

static gboolean
app_ready (gpointer data)
{
  return mh_application_get_key_checked (data) && mh_application_get_store_loaded (data);
}

static gboolean
step_idle_cb (gpointer data)
{
  Run *run = data;

  run->window = MH_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (run->app)));
  g_assert_nonnull (run->window);
  gtk_window_set_default_size (GTK_WINDOW (run->window), WIDTH, HEIGHT);
  mh_app_test_wait_for_frames (GTK_WIDGET (run->window));
  mh_test_wait_for (app_ready, run->app, MH_TEST_TIMEOUT, "the key and the history");

  /* Fast polls. */
  mh_client_set_poll_scale (mh_application_get_client (run->app), 0.05);
  mh_client_set_retry_policy (mh_application_get_client (run->app), 4, 0.01, 0.05);

  run->step (run);
  run->stepped = TRUE;
  return G_SOURCE_REMOVE;
}

static void
activate_cb (GApplication *application,
             Run          *run)
{
  if (!run->stepped)
    g_idle_add (step_idle_cb, run);
}

/* Runs the app until it quits; the step must make it quit. */
static void
run_app (Run     *run,
         RunStep  step)
{
  char *argv[] = { (char *) "test-app-quit", NULL };

  run->step = step;
  run->stepped = FALSE;
  run->app = mh_application_new ();
  g_application_set_flags (G_APPLICATION (run->app),
                           g_application_get_flags (G_APPLICATION (run->app)) | G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (run->app, "activate", G_CALLBACK (activate_cb), run);
  g_assert_cmpint (g_application_run (G_APPLICATION (run->app), 1, argv), ==, 0);
  g_assert_true (run->stepped);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (run->app)));
  g_clear_object (&run->app);
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->id, g_free);
  g_clear_pointer (&run->project_id, g_free);
  g_clear_pointer (&run->demo_dir, g_free);
}

/* Each test in a process of its own: an application runs once. */
#define IN_SUBPROCESS(body)                                                      \
  G_STMT_START {                                                                 \
    if (g_test_subprocess ())                                                    \
      {                                                                          \
        body;                                                                    \
        return;                                                                  \
      }                                                                          \
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT |          \
                                     G_TEST_SUBPROCESS_INHERIT_STDERR);          \
    g_test_trap_assert_passed ();                                                \
  } G_STMT_END

/* ------------------------------------------------------------------------ */
/* No job: nothing to ask                                                   */

static void
quit_at_once_step (Run *run)
{
  g_assert_cmpuint (g_list_model_get_n_items (mh_application_get_jobs (run->app)), ==, 0);
  press_ctrl_q (run);
  g_assert_null (find_dialog ());
}

static void
close_at_once_step (Run *run)
{
  gtk_window_close (GTK_WINDOW (run->window));
  g_assert_null (find_dialog ());
}

static void
no_job (void)
{
  Run run = { 0 };

  run_app (&run, quit_at_once_step);
  run_app (&run, close_at_once_step);
  run_clear (&run);
}

static void
test_no_job (void)
{
  IN_SUBPROCESS (no_job ());
}

/* ------------------------------------------------------------------------ */
/* A job at each step: the question, and Keep Running                       */

/* Ctrl+Q while @job runs: the dialog, its text, then Keep Running. Returns
 * the dialog's body for more checks. */
static char *
ask_and_keep (Run        *run,
              MhJob      *job,
              const char *screenshot)
{
  AdwMessageDialog *dialog;
  MhJobState state = mh_job_get_state (job);
  char *body;

  press_ctrl_q (run);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (run->window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Quit with 1 Job Running?");
  /* Keep Running is the safe default, and what Escape does. */
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "keep");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "keep");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "quit"), ==, ADW_RESPONSE_DESTRUCTIVE);
  body = g_strdup (adw_message_dialog_get_body (dialog));
  g_test_message ("%s: %s", mh_job_state_to_string (state), body);
  /* Not asked from the window's close button. */
  assert_lacks (body, "Closing the window");
  if (screenshot != NULL)
    screenshot_dialog (dialog, screenshot);

  /* Ctrl+Q again while it asks: the same dialog, not a second one. */
  press_ctrl_q (run);
  g_assert_true (find_dialog () == dialog);

  click_response (dialog, "_Keep Running");

  /* The job goes on, in the same step, and the window stays. */
  g_assert_cmpint (mh_job_get_state (job), ==, state);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (run->window)));
  g_assert_true (g_list_find (gtk_application_get_windows (GTK_APPLICATION (run->app)), run->window) != NULL);

  return body;
}

static void
cancel_job (MhJob *job)
{
  mh_job_cancel (job);
  mh_test_wait_for (mh_app_test_job_finished, job, MH_TEST_TIMEOUT, "the job to stop");
  mh_simulator_clear_faults (fx.sim);
}

static void
stages_step (Run *run)
{
  g_autoptr(MhJob) job = NULL;
  g_autofree char *body = NULL;

  /* Uploading: the upload stalls half-way. */
  mh_simulator_add_fault (fx.sim, MH_SIM_ENDPOINT_UPLOAD, MH_SIM_FAULT_STALL, 1, -1, NULL);
  job = start_job (run, "headshot", "Passport photo");
  wait_for_state (job, MH_JOB_STATE_UPLOADING);
  body = ask_and_keep (run, job, "quit-dialog-uploading.png");
  assert_contains (body, "Running now: “Passport photo” (uploading).");
  assert_contains (body, "An upload in progress is stopped. History offers the job to run again.");
  assert_lacks (body, "keeps rendering");
  assert_lacks (body, "demo");
  cancel_job (job);
  g_clear_object (&job);
  g_clear_pointer (&body, g_free);

  /* Waiting in Magic Hour's queue: a long render. */
  mh_simulator_set_render_seconds (fx.sim, 300);
  job = start_job (run, "talking-photo", "Greeting for Anna");
  wait_for_state (job, MH_JOB_STATE_QUEUED);
  body = ask_and_keep (run, job, "quit-dialog-queued.png");
  assert_contains (body, "Running now: “Greeting for Anna” (waiting in Magic Hour's queue).");
  assert_contains (body, "A job already at Magic Hour keeps rendering there. The app picks it up "
                         "the next time it starts and downloads the result then.");
  assert_lacks (body, "upload");
  cancel_job (job);
  g_clear_object (&job);
  g_clear_pointer (&body, g_free);

  /* Rendering: queued for the first fifth of the render, then rendering. */
  mh_simulator_set_render_seconds (fx.sim, 30);
  job = start_job (run, "headshot", "Profile picture");
  wait_for_state (job, MH_JOB_STATE_RENDERING);
  body = ask_and_keep (run, job, NULL);
  assert_contains (body, "Running now: “Profile picture” (rendering at Magic Hour).");
  assert_contains (body, "A job already at Magic Hour keeps rendering there.");
  cancel_job (job);
  g_clear_object (&job);
  g_clear_pointer (&body, g_free);

  /* Downloading: the result stalls half-way. */
  mh_simulator_set_render_seconds (fx.sim, MH_TEST_RENDER_SECONDS);
  mh_simulator_add_fault (fx.sim, MH_SIM_ENDPOINT_DOWNLOAD, MH_SIM_FAULT_STALL, 1, -1, NULL);
  job = start_job (run, "headshot", "Team page");
  wait_for_state (job, MH_JOB_STATE_DOWNLOADING);
  body = ask_and_keep (run, job, NULL);
  assert_contains (body, "Running now: “Team page” (downloading its result).");
  assert_contains (body, "A download in progress starts again the next time the app starts.");
  assert_lacks (body, "upload");
  cancel_job (job);
  g_clear_object (&job);

  /* Every job has ended (canceled): Ctrl+Q quits without a word. */
  press_ctrl_q (run);
  g_assert_null (find_dialog ());
}

static void
stages (void)
{
  Run run = { 0 };

  run_app (&run, stages_step);
  run_clear (&run);
}

static void
test_stages (void)
{
  IN_SUBPROCESS (stages ());
}

/* ------------------------------------------------------------------------ */
/* Closing the window mid-render, Quit, and the next start                  */

static void
close_and_quit_step (Run *run)
{
  g_autoptr(MhJob) job = NULL;
  g_autoptr(MhJob) second = NULL;
  AdwMessageDialog *dialog;
  const char *body;

  mh_simulator_set_render_seconds (fx.sim, 300);
  job = start_job (run, "talking-photo", "Greeting for Anna");
  wait_for_state (job, MH_JOB_STATE_QUEUED);
  /* A second one, still uploading: both are named, each with its step. */
  mh_simulator_add_fault (fx.sim, MH_SIM_ENDPOINT_UPLOAD, MH_SIM_FAULT_STALL, 1, -1, NULL);
  second = start_job (run, "headshot", "Passport photo");
  wait_for_state (second, MH_JOB_STATE_UPLOADING);

  gtk_window_close (GTK_WINDOW (run->window));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Quit with 2 Jobs Running?");
  body = adw_message_dialog_get_body (dialog);
  g_test_message ("%s", body);
  assert_contains (body, "Running now: “Passport photo” (uploading), "
                         "“Greeting for Anna” (waiting in Magic Hour's queue).");
  assert_contains (body, "keeps rendering there");
  assert_contains (body, "An upload in progress is stopped.");
  assert_contains (body, "Closing the window quits Magic Hour Studio.");
  screenshot_dialog (dialog, "quit-dialog-closing.png");
  /* The window waits for the answer. */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (run->window)));

  run->id = g_strdup (mh_job_record_get_id (mh_job_get_record (job)));
  run->project_id = g_strdup (mh_job_get_project_id (job));
  g_assert_nonnull (run->project_id);
  click_response (dialog, "_Quit");
}

static gboolean
resumed_shown (gpointer data)
{
  Run *run = data;
  MhJobRecord *record = mh_job_store_lookup (mh_application_get_store (run->app), run->id);

  return record != NULL && mh_application_find_job (run->app, record) != NULL;
}

static void
close_and_resume (void)
{
  Run run = { 0 };
  g_autoptr(MhJobStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;
  MhJobRecord *record;
  GtkWidget *indicator;
  MhJob *resumed;

  run_app (&run, close_and_quit_step);

  /* Nothing lost: the record keeps its step and its project, ready to be
   * resumed, and the upload is offered for a retry. */
  g_assert_cmpuint (mh_simulator_count_requests (fx.sim, MH_SIM_ENDPOINT_CREATE), ==, 1);
  store = read_store ();
  record = mh_job_store_lookup (store, run.id);
  g_assert_nonnull (record);
  g_assert_true (mh_job_record_get_state (record) == MH_JOB_STATE_QUEUED ||
                 mh_job_record_get_state (record) == MH_JOB_STATE_RENDERING);
  g_assert_cmpstr (mh_job_record_get_project_id (record), ==, run.project_id);
  g_assert_true (mh_job_record_needs_resume (record));
  g_clear_object (&store);
  mh_simulator_clear_faults (fx.sim);

  /* The next start, with a window. */
  run.app = mh_application_new ();
  g_application_set_flags (G_APPLICATION (run.app),
                           g_application_get_flags (G_APPLICATION (run.app)) | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (run.app), NULL, &error));
  g_assert_no_error (error);
  mh_client_set_poll_scale (mh_application_get_client (run.app), 0.05);
  run.window = mh_window_new (run.app);
  gtk_window_set_default_size (GTK_WINDOW (run.window), WIDTH, HEIGHT);
  gtk_window_present (GTK_WINDOW (run.window));
  mh_app_test_wait_for_frames (GTK_WIDGET (run.window));
  mh_test_wait_for (app_ready, run.app, MH_TEST_TIMEOUT, "the key and the history");

  /* It runs again as a job of this session, and the person is told where
   * to follow it. */
  mh_test_wait_for (resumed_shown, &run, MH_TEST_TIMEOUT, "the job to be resumed");
  mh_app_test_wait_for_label (GTK_WIDGET (run.window), "Resuming 1 job from last time: follow it in History");
  g_assert_nonnull (mh_app_test_find_widget (GTK_WIDGET (run.window), GTK_TYPE_BUTTON,
                                             button_label_is, "Show _History"));
  indicator = mh_app_test_find_widget (GTK_WIDGET (run.window), MH_TYPE_JOBS_INDICATOR, NULL, NULL);
  g_assert_nonnull (indicator);
  g_assert_cmpuint (mh_jobs_indicator_get_n_running (MH_JOBS_INDICATOR (indicator)), ==, 1);
  mh_app_test_wait_until_still (GTK_WIDGET (run.window));
  mh_app_test_save_screenshot (GTK_WIDGET (run.window), "quit-resumed.png");

  /* Magic Hour finishes it: downloaded, never created again. */
  record = mh_job_store_lookup (mh_application_get_store (run.app), run.id);
  resumed = mh_application_find_job (run.app, record);
  mh_simulator_finish_project_now (fx.sim, run.project_id);
  mh_test_wait_for (mh_app_test_record_settled, record, MH_TEST_TIMEOUT, "the resumed job to end");
  g_assert_cmpint (mh_job_record_get_state (record), ==, MH_JOB_STATE_DONE);
  g_assert_cmpint (mh_job_get_state (resumed), ==, MH_JOB_STATE_DONE);
  g_assert_cmpuint (mh_simulator_count_requests (fx.sim, MH_SIM_ENDPOINT_CREATE), ==, 1);
  expected = mh_simulator_dup_output_sha256 (fx.sim, run.project_id, NULL);
  actual = mh_test_file_sha256 (mh_job_record_get_output_files (record)[0]);
  g_assert_cmpstr (actual, ==, expected);
  g_assert_cmpuint (mh_jobs_indicator_get_n_running (MH_JOBS_INDICATOR (indicator)), ==, 0);

  gtk_window_destroy (GTK_WINDOW (run.window));
  mh_job_store_flush (mh_application_get_store (run.app));
  g_clear_object (&run.app);
  run_clear (&run);
}

static void
test_close_and_resume (void)
{
  IN_SUBPROCESS (close_and_resume ());
}

/* ------------------------------------------------------------------------ */
/* The demo                                                                 */

static void
demo_step (Run *run)
{
  MhSimulator *sim;
  g_autoptr(MhJob) job = NULL;
  AdwMessageDialog *dialog;
  const char *body;

  g_action_group_activate_action (G_ACTION_GROUP (run->app), "demo", NULL);
  g_assert_true (mh_application_get_demo (run->app));
  run->demo_dir = g_file_get_path (mh_job_store_get_dir (mh_application_get_store (run->app)));
  sim = mh_application_get_simulator (run->app);
  mh_simulator_set_render_seconds (sim, 300);
  mh_client_set_poll_scale (mh_application_get_client (run->app), 0.05);

  job = start_job (run, "headshot", "Demo portrait");
  wait_for_state (job, MH_JOB_STATE_QUEUED);

  press_ctrl_q (run);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  body = adw_message_dialog_get_body (dialog);
  g_test_message ("%s", body);
  assert_contains (body, "Running now: “Demo portrait” (waiting in Magic Hour's queue).");
  assert_contains (body, "This is the demo: its jobs and its history are not kept. "
                         "They are gone when the app quits.");
  /* Nothing of the demo is picked up again. */
  assert_lacks (body, "picks it up");
  screenshot_dialog (dialog, "quit-dialog-demo.png");
  click_response (dialog, "_Quit");
}

static void
demo (void)
{
  Run run = { 0 };

  run_app (&run, demo_step);
  g_assert_nonnull (run.demo_dir);
  g_assert_false (g_file_test (run.demo_dir, G_FILE_TEST_EXISTS));
  run_clear (&run);
}

static void
test_demo (void)
{
  IN_SUBPROCESS (demo ());
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_dir = NULL;
  g_autofree char *keyring = NULL;
  int status;

  /* Cairo draws the screenshots the same everywhere. */
  if (g_getenv ("GDK_DEBUG") == NULL)
    g_setenv ("GDK_DEBUG", "gl-disable", TRUE);

  mh_test_fixture_setup (&fx, NULL);
  mh_simulator_set_required_key (fx.sim, MH_TEST_KEY);

  /* Before anything reads them: the history, the keyring and the API are
   * this test's own. */
  data_dir = g_build_filename (fx.tmp, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  keyring = g_build_filename (fx.tmp, "keyring.secrets", NULL);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("MAGIC_HOUR_API_BASE_URL", mh_simulator_get_base_url (fx.sim), TRUE);
  g_setenv ("MAGIC_HOUR_API_KEY", MH_TEST_KEY, TRUE);

  g_test_init (&argc, &argv, NULL);

  /* A bus of this process's own, before GTK connects to one: the app
   * notifies there when a job ends and no window of it is focused. */
  mh_test_bus_up ();

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      mh_test_fixture_teardown (&fx, NULL);
      mh_test_bus_down ();
      return 77;
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/app/quit/no-job", test_no_job);
  g_test_add_func ("/app/quit/stages", test_stages);
  g_test_add_func ("/app/quit/close-and-resume", test_close_and_resume);
  g_test_add_func ("/app/quit/demo", test_demo);

  status = g_test_run ();

  mh_test_fixture_teardown (&fx, NULL);
  mh_test_bus_down ();

  return status;
}
