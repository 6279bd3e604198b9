/* test-history.c: the job history, from the engine's records to the screen
 *
 * Before the app starts, the engine fills the job store the way earlier
 * runs would have: a headshot that finished, a talking photo interrupted
 * while rendering, a lip sync interrupted while uploading, and a record
 * file that is cut short. Then the app starts against the simulator (in
 * real mode, MAGIC_HOUR_API_BASE_URL and MAGIC_HOUR_API_KEY set) and must:
 * resume the talking photo by itself (no second create, the bytes the
 * simulator made on disk), say so, list every job newest first with what a
 * person reads, download a result again after its links expired, delete a
 * result at Magic Hour after a question, remove a job with Undo, filter
 * and search, tell about the damaged record (kept under damaged/), and
 * offer the upload-interrupted job for retry without running it.
 *
 * In processes of their own: quitting with a job rendering interrupts it
 * (the next start resumes it, no second create, and says so with a
 * notification, there being no window), and the demo keeps its history in
 * a temporary folder that is gone after quitting, also when the app is
 * ended by SIGTERM. Notifications go to a session bus of the test's own
 * (mh-test-bus.h).
 *
 * Screenshots of the history (light and dark) go to $MH_SCREENSHOT_DIR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "mh-application.h"
#include "mh-app-test-util.h"
#include "mh-file-row.h"
#include "mh-history-page.h"
#include "mh-history-row.h"
#include "mh-job-store.h"
#include "mh-params.h"
#include "mh-test-bus.h"
#include "mh-test-util.h"
#include "mh-tool-form.h"
#include "mh-window.h"

#define WIDTH 1000
#define HEIGHT 760

/* The simulator, the engine's client and a temporary folder, for the whole
 * process; XDG_DATA_HOME points into it, so the store is ours. */
static MhTestFixture fx;

static MhApplication *app;
static MhWindow *window;

/* What the engine left before the app started. */
static char *id_done;         /* headshot, done */
static char *id_rendering;    /* talking photo, interrupted while rendering */
static char *id_uploading;    /* lip sync, interrupted while uploading */
static char *damaged_id;      /* a record file cut short */

/* ------------------------------------------------------------------------ */
/* Waiting and looking                                                      */

/* history-@name-light.png and -dark.png */
static void
screenshot (const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  const struct { AdwColorScheme scheme; const char *suffix; } variants[] = {
    { ADW_COLOR_SCHEME_FORCE_LIGHT, "light" },
    { ADW_COLOR_SCHEME_FORCE_DARK, "dark" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autofree char *file = g_strdup_printf ("history-%s-%s.png", name, variants[i].suffix);

      adw_style_manager_set_color_scheme (style, variants[i].scheme);
      mh_app_test_wait_until_still (GTK_WIDGET (window));
      mh_app_test_save_screenshot (GTK_WIDGET (window), file);
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
}

static gboolean
name_is (GtkWidget     *widget,
         gconstpointer  data)
{
  return g_strcmp0 (gtk_widget_get_name (widget), data) == 0;
}

/* The text of a row's label: "name", "details" or "status". */
static const char *
label_text (GtkWidget  *row,
            const char *name)
{
  GtkWidget *label = mh_app_test_find_widget (row, GTK_TYPE_LABEL, name_is, name);

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

static gboolean
button_label_is (GtkWidget     *widget,
                 gconstpointer  data)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

static MhHistoryPage *
history_page (void)
{
  return MH_HISTORY_PAGE (mh_window_get_history_page (window));
}

static MhJobRecord *
lookup (const char *id)
{
  MhJobRecord *record = mh_job_store_lookup (mh_application_get_store (app), id);

  g_assert_nonnull (record);
  return record;
}

static GtkWidget *
row_of (const char *id)
{
  return mh_history_page_find_row (history_page (), lookup (id));
}

/* The rows on screen, top to bottom, as record ids. */
static GPtrArray *
shown_ids (void)
{
  GPtrArray *ids = g_ptr_array_new ();
  GtkWidget *list = mh_app_test_find_widget (GTK_WIDGET (history_page ()), GTK_TYPE_LIST_BOX, NULL, NULL);

  g_assert_nonnull (list);
  for (GtkWidget *child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (MH_IS_HISTORY_ROW (child) && gtk_widget_get_mapped (child))
      g_ptr_array_add (ids, (gpointer) mh_job_record_get_id (mh_history_row_get_record (MH_HISTORY_ROW (child))));
  return ids;
}

static char *
record_path (const char *id)
{
  g_autoptr(GFile) dir = mh_job_store_default_dir ();
  g_autofree char *name = g_strconcat (id, ".json", NULL);
  g_autofree char *path = g_file_get_path (dir);

  return g_build_filename (path, name, NULL);
}

static guint
count_creates (void)
{
  return mh_simulator_count_requests (fx.sim, MH_SIM_ENDPOINT_CREATE);
}

static void
assert_bytes_from_simulator (const char *path,
                             const char *project_id)
{
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;
  guint64 size = 0;

  g_assert_nonnull (path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  expected = mh_simulator_dup_output_sha256 (fx.sim, project_id, &size);
  g_assert_nonnull (expected);
  actual = mh_test_file_sha256 (path);
  g_assert_cmpstr (actual, ==, expected);
}

/* ------------------------------------------------------------------------ */
/* What earlier runs left                                                   */

static void
ran_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  mh_job_run_finish (MH_JOB (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

/* Runs a job of @tool_id until it is in @state, then interrupts it, as
 * quitting the app or Ctrl+C in the command-line tool does. */
static char *
interrupt_at (MhJobStore *store,
              const char *tool_id,
              GHashTable *params,
              MhJobState  state)
{
  g_autoptr(MhJob) job = mh_job_store_new_job (store, fx.client, mh_tool_lookup (tool_id), params);
  g_autoptr(GFile) out = g_file_new_for_path (fx.out);
  gboolean finished = FALSE;

  mh_job_set_output_dir (job, out);
  mh_job_run_async (job, NULL, ran_cb, &finished);
  mh_app_test_wait_for_job_state (job, state);
  g_assert_cmpint (mh_job_get_state (job), ==, state);
  mh_job_interrupt (job);
  mh_test_wait_for_flag (&finished, MH_TEST_TIMEOUT, "the job to stop");

  return g_strdup (mh_job_record_get_id (mh_job_get_record (job)));
}

static void
prepare_store (void)
{
  g_autoptr(GFile) dir = mh_job_store_default_dir ();
  g_autoptr(MhJobStore) store = mh_job_store_new (dir);
  g_autoptr(GHashTable) headshot = NULL;
  g_autoptr(GHashTable) talking = NULL;
  g_autoptr(GHashTable) lip_sync = NULL;
  g_autoptr(MhJob) job = NULL;
  g_autoptr(GFile) out = g_file_new_for_path (fx.out);
  g_autoptr(GError) error = NULL;
  g_autofree char *selfie = mh_test_write_png (fx.tmp, "selfie.png");
  g_autofree char *portrait = mh_test_write_png (fx.tmp, "portrait.png");
  g_autofree char *greeting = mh_test_write_wav (fx.tmp, "greeting.wav", 4);
  g_autofree char *dir_path = g_file_get_path (dir);
  g_autofree char *damaged = NULL;
  const char *cut = "{\"version\": 1, \"id\": \"";

  mh_app_test_load_store (store);

  /* A headshot that finished. */
  headshot = mh_test_params ("image", selfie, NULL);
  job = mh_job_store_new_job (store, fx.client, mh_tool_lookup ("headshot"), headshot);
  mh_job_set_output_dir (job, out);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  id_done = g_strdup (mh_job_record_get_id (mh_job_get_record (job)));

  /* A talking photo whose render outlives the run that started it. */
  mh_simulator_set_render_seconds (fx.sim, 3.0);
  talking = mh_test_params ("image", portrait, "audio", greeting, "start", "0", "end", "3", NULL);
  id_rendering = interrupt_at (store, "talking-photo", talking, MH_JOB_STATE_RENDERING);
  mh_simulator_set_render_seconds (fx.sim, MH_TEST_RENDER_SECONDS);

  /* A lip sync stopped while its files went up: nothing at Magic Hour. */
  lip_sync = mh_test_fixture_params (&fx, "lip-sync");
  id_uploading = interrupt_at (store, "lip-sync", lip_sync, MH_JOB_STATE_UPLOADING);

  /* A record cut short, as a full disk or a crash might leave one. */
  damaged_id = g_uuid_string_random ();
  damaged = g_strconcat (damaged_id, ".json", NULL);
  g_free (mh_test_write_file (dir_path, damaged, cut, strlen (cut)));

  mh_job_store_flush (store);

  g_assert_cmpuint (count_creates (), ==, 2);
  g_assert_true (mh_job_record_needs_resume (mh_job_store_lookup (store, id_rendering)));
  g_assert_true (mh_job_record_needs_retry (mh_job_store_lookup (store, id_uploading)));
  g_assert_false (mh_job_record_may_exist (mh_job_store_lookup (store, id_uploading)));
}

/* ------------------------------------------------------------------------ */
/* The app                                                                  */

static gboolean
app_ready (gpointer data)
{
  return mh_application_get_key_checked (data) && mh_application_get_store_loaded (data);
}

static MhApplication *
new_app (void)
{
  MhApplication *application = mh_application_new ();
  MhClient *client;

  mh_app_test_register (application);

  /* Fast polls, before the history is read and anything resumes. */
  client = mh_application_get_client (application);
  mh_client_set_poll_scale (client, 0.05);
  mh_client_set_retry_policy (client, 4, 0.01, 0.05);

  mh_test_wait_for (app_ready, application, MH_TEST_TIMEOUT, "the key and the history");
  return application;
}

static void
ensure_app (void)
{
  if (app != NULL)
    return;

  prepare_store ();
  app = new_app ();
  g_assert_false (mh_application_get_demo (app));
  g_assert_true (mh_application_get_has_key (app));

  window = mh_app_test_new_window (app, WIDTH, HEIGHT);
  mh_window_show_history (window);
  mh_app_test_wait_for_frames (GTK_WIDGET (window));
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                    */

static gboolean
thumbnail_shown (gpointer row)
{
  GtkWidget *image = mh_app_test_find_widget (row, GTK_TYPE_IMAGE, name_is, "thumbnail");

  return image != NULL && gtk_image_get_paintable (GTK_IMAGE (image)) != NULL;
}

/* The job interrupted while rendering is followed to its end at start,
 * never created again; the history lists every job, newest first. */
static void
test_resume_and_list (void)
{
  MhJobRecord *resumed;
  MhJobRecord *done;
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *expected_details = NULL;
  GtkWidget *row;

  ensure_app ();

  resumed = lookup (id_rendering);
  mh_test_wait_for (mh_app_test_record_settled, resumed, 2 * MH_TEST_TIMEOUT,
                    "the interrupted job to be resumed");
  if (mh_job_record_get_state (resumed) != MH_JOB_STATE_DONE)
    g_error ("The resumed job ended %s: %s", mh_job_state_to_string (mh_job_record_get_state (resumed)),
             mh_job_record_get_error_message (resumed));

  /* Polled and downloaded, never created a second time. */
  g_assert_cmpuint (count_creates (), ==, 2);
  g_assert_cmpuint (mh_simulator_count_projects (fx.sim), ==, 2);
  assert_bytes_from_simulator (mh_job_record_get_output_files (resumed)[0],
                               mh_job_record_get_project_id (resumed));
  g_assert_null (mh_job_record_get_output_files (resumed)[1]);

  /* It ran as a job of this session, and the person was told. */
  g_assert_nonnull (mh_application_find_job (app, resumed));
  mh_app_test_wait_for_label (GTK_WIDGET (window), "Resuming 1 job from last time");

  /* Newest first: the lip sync, the talking photo, the headshot. */
  mh_test_wait_for ((MhTestCondition) gtk_widget_get_mapped, row_of (id_uploading), MH_TEST_TIMEOUT,
                    "the rows to show");
  ids = shown_ids ();
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, id_uploading);
  g_assert_cmpstr (g_ptr_array_index (ids, 1), ==, id_rendering);
  g_assert_cmpstr (g_ptr_array_index (ids, 2), ==, id_done);

  /* What a person reads. */
  done = lookup (id_done);
  row = row_of (id_done);
  g_assert_cmpstr (label_text (row, "name"), ==, "selfie");
  {
    g_autoptr(GDateTime) local = g_date_time_to_local (mh_job_record_get_created (done));
    g_autofree char *time = g_date_time_format (local, "%H:%M");

    expected_details = g_strdup_printf ("AI Headshot · Today %s · 50 credits", time);
  }
  g_assert_cmpstr (label_text (row, "details"), ==, expected_details);
  g_assert_cmpstr (label_text (row, "status"), ==, "Done");
  g_assert_cmpstr (mh_history_row_get_primary_action (MH_HISTORY_ROW (row)), ==, "open");

  row = row_of (id_rendering);
  g_assert_cmpstr (label_text (row, "name"), ==, "portrait");
  g_assert_true (g_str_has_prefix (label_text (row, "details"), "AI Talking Photo · Today "));
  g_assert_cmpstr (label_text (row, "status"), ==, "Done");

  row = row_of (id_uploading);
  g_assert_cmpstr (label_text (row, "name"), ==, "clip");
  g_assert_true (g_str_has_prefix (label_text (row, "details"), "Lip Sync · Today "));
  g_assert_cmpstr (label_text (row, "status"), ==, "Interrupted before it started, nothing charged");

  /* The headshot's thumbnail is its picture, loaded without blocking. */
  mh_test_wait_for (thumbnail_shown, row_of (id_done), MH_TEST_TIMEOUT, "the thumbnail");

  screenshot ("list");
}

/* The job interrupted while uploading had no project: it is offered for
 * retry, not run unasked. */
static void
test_upload_interrupted_offered (void)
{
  MhJobRecord *record;
  GtkWidget *row;
  GtkWidget *button;

  ensure_app ();

  record = lookup (id_uploading);
  g_assert_cmpint (mh_job_record_get_state (record), ==, MH_JOB_STATE_UPLOADING);
  g_assert_null (mh_job_record_get_project_id (record));
  g_assert_false (mh_job_record_get_running (record));
  g_assert_null (mh_application_find_job (app, record));
  g_assert_cmpuint (count_creates (), ==, 2);

  row = row_of (id_uploading);
  g_assert_cmpstr (mh_history_row_get_primary_action (MH_HISTORY_ROW (row)), ==, "retry");
  g_assert_true (mh_history_row_get_action_enabled (MH_HISTORY_ROW (row), "retry"));
  g_assert_false (mh_history_row_get_action_enabled (MH_HISTORY_ROW (row), "resume"));
  g_assert_false (mh_history_row_get_action_enabled (MH_HISTORY_ROW (row), "delete"));
  g_assert_false (mh_history_row_get_action_enabled (MH_HISTORY_ROW (row), "open"));
  button = mh_app_test_find_widget (row, GTK_TYPE_BUTTON, button_label_is, "Re_try");
  g_assert_nonnull (button);
  g_assert_nonnull (gtk_widget_get_tooltip_text (button));

  /* The person is told what waits for them. */
  mh_app_test_wait_for_label (GTK_WIDGET (window), "1 job stopped before it reached Magic Hour: retry it from History");
}

/* The damaged record: the app started, says so, and kept the file aside. */
static void
test_damaged_record (void)
{
  g_autoptr(GFile) dir = mh_job_store_default_dir ();
  g_autofree char *path = g_file_get_path (dir);
  g_autofree char *damaged_dir = g_build_filename (path, "damaged", NULL);
  g_autofree char *original = record_path (damaged_id);
  g_autoptr(GPtrArray) names = NULL;
  GtkWidget *label;
  gboolean kept = FALSE;

  ensure_app ();

  g_assert_nonnull (mh_application_get_store_problems (app));
  label = mh_app_test_find_label (GTK_WIDGET (window), "A job record could not be read");
  g_assert_nonnull (label);
  g_assert_true (mh_app_test_is_shown (label, GTK_WIDGET (window)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "damaged"));

  g_assert_false (g_file_test (original, G_FILE_TEST_EXISTS));
  names = mh_test_list_dir (damaged_dir);
  for (guint i = 0; i < names->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (names, i), damaged_id))
      {
        g_autofree char *kept_path = g_build_filename (damaged_dir, (char *) g_ptr_array_index (names, i), NULL);
        g_autofree char *text = mh_test_read_text (kept_path);

        g_assert_cmpstr (text, ==, "{\"version\": 1, \"id\": \"");
        kept = TRUE;
      }
  g_assert_true (kept);

  /* Dismissed, it goes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.dismiss-problems", NULL));
  mh_app_test_wait_until_still (GTK_WIDGET (window));
  g_assert_false (mh_app_test_is_shown (label, GTK_WIDGET (window)));
}

static gboolean
downloaded_again (gpointer data)
{
  MhJobRecord *record = lookup (id_done);
  const char *const *outputs = mh_job_record_get_output_files (record);

  return mh_app_test_record_settled (record) && outputs[0] != NULL && g_strcmp0 (outputs[0], data) != 0;
}

/* Links expire; Download Again asks Magic Hour for new ones and saves a
 * new file next to the old one. */
static void
test_download_again (void)
{
  MhJobRecord *record;
  g_autofree char *old_path = NULL;
  g_autofree char *old_sha = NULL;
  const char *new_path;
  guint creates = count_creates ();
  guint project_gets;
  GtkWidget *row;

  ensure_app ();

  record = lookup (id_done);
  old_path = g_strdup (mh_job_record_get_output_files (record)[0]);
  old_sha = mh_test_file_sha256 (old_path);
  mh_simulator_expire_downloads (fx.sim);
  project_gets = mh_simulator_count_requests (fx.sim, MH_SIM_ENDPOINT_PROJECT);

  row = row_of (id_done);
  g_assert_true (mh_history_row_get_action_enabled (MH_HISTORY_ROW (row), "download-again"));
  /* What the menu item does. */
  g_assert_true (gtk_widget_activate_action (row, "row.download-again", NULL));
  mh_test_wait_for (downloaded_again, old_path, MH_TEST_TIMEOUT, "the result to be downloaded again");

  g_assert_cmpint (mh_job_record_get_state (record), ==, MH_JOB_STATE_DONE);
  new_path = mh_job_record_get_output_files (record)[0];
  g_assert_cmpstr (new_path, !=, old_path);
  assert_bytes_from_simulator (new_path, mh_job_record_get_project_id (record));

  /* Fresh links came from the project; nothing was created or overwritten. */
  g_assert_cmpuint (mh_simulator_count_requests (fx.sim, MH_SIM_ENDPOINT_PROJECT), >, project_gets);
  g_assert_cmpuint (count_creates (), ==, creates);
  {
    g_autofree char *sha = mh_test_file_sha256 (old_path);
    g_assert_cmpstr (sha, ==, old_sha);
  }
  mh_test_assert_no_part_files (fx.out);

  /* The record on disk says so too. */
  mh_job_store_flush (mh_application_get_store (app));
  {
    g_autofree char *json_path = record_path (id_done);
    g_autofree char *json = mh_test_read_text (json_path);
    g_assert_nonnull (strstr (json, new_path));
  }
}

static gboolean
dialog_open (gpointer data)
{
  AdwMessageDialog **dialog = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (item) && gtk_widget_get_visible (GTK_WIDGET (item)))
        {
          *dialog = ADW_MESSAGE_DIALOG (item);
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
dialog_closed (gpointer data)
{
  AdwMessageDialog *dialog = NULL;

  return !dialog_open (&dialog);
}

static gboolean
record_deleted (gpointer data)
{
  return mh_job_record_get_deleted (data) && !mh_job_record_get_running (data);
}

/* Delete at Magic Hour asks first, says it cannot be undone, then sends
 * DELETE for the project and the row says so. */
static void
test_delete_at_magic_hour (void)
{
  MhJobRecord *record;
  AdwMessageDialog *dialog = NULL;
  g_autofree char *expected_path = NULL;
  g_autoptr(GPtrArray) deletes = NULL;
  GtkWidget *button;
  GtkWidget *row;

  ensure_app ();

  record = lookup (id_rendering);
  row = row_of (id_rendering);
  g_assert_true (mh_history_row_get_action_enabled (MH_HISTORY_ROW (row), "delete"));
  g_assert_true (gtk_widget_activate_action (row, "row.delete", NULL));
  mh_test_wait_for (dialog_open, &dialog, MH_TEST_TIMEOUT, "the question");

  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete this result at Magic Hour?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "cannot be undone"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "files on this computer are kept"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "delete"), ==, ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  /* Nothing is sent before the answer. */
  g_assert_cmpuint (mh_simulator_count_requests (fx.sim, MH_SIM_ENDPOINT_DELETE), ==, 0);

  /* A click on Delete. */
  mh_app_test_wait_for_frames (GTK_WIDGET (dialog));
  button = mh_app_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, button_label_is, "_Delete");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_activate (button));
  mh_test_wait_for (dialog_closed, NULL, MH_TEST_TIMEOUT, "the question to close");
  /* Without a window manager (Xvfb) nothing gives the focus back. */
  gtk_window_present (GTK_WINDOW (window));
  mh_test_wait_for ((MhTestCondition) gtk_window_is_active, window, MH_TEST_TIMEOUT, "the window to be focused");
  mh_test_wait_for (record_deleted, record, MH_TEST_TIMEOUT, "the result to be deleted");

  deletes = mh_test_requests (fx.sim, MH_SIM_ENDPOINT_DELETE);
  g_assert_cmpuint (deletes->len, ==, 1);
  expected_path = g_strconcat ("/v1/video-projects/", mh_job_record_get_project_id (record), NULL);
  g_assert_cmpstr (((MhSimRequest *) g_ptr_array_index (deletes, 0))->method, ==, "DELETE");
  g_assert_cmpstr (((MhSimRequest *) g_ptr_array_index (deletes, 0))->path, ==, expected_path);
  g_assert_cmpuint (((MhSimRequest *) g_ptr_array_index (deletes, 0))->status / 100, ==, 2);

  /* The row says it; what makes no sense any more is not offered. */
  g_assert_cmpstr (label_text (row, "status"), ==, "Done, deleted at Magic Hour");
  g_assert_false (mh_history_row_get_action_enabled (MH_HISTORY_ROW (row), "delete"));
  g_assert_false (mh_history_row_get_action_enabled (MH_HISTORY_ROW (row), "download-again"));
  /* The file on this computer is kept and still opens. */
  g_assert_true (g_file_test (mh_job_record_get_output_files (record)[0], G_FILE_TEST_IS_REGULAR));
  g_assert_true (mh_history_row_get_action_enabled (MH_HISTORY_ROW (row), "open"));
  mh_app_test_wait_for_label (GTK_WIDGET (window), "was deleted at Magic Hour");

  /* Its menu: what is offered, and what is not. */
  {
    GtkWidget *menu = mh_app_test_find_widget (row, GTK_TYPE_MENU_BUTTON, NULL, NULL);
    GtkWidget *popover;

    g_assert_nonnull (menu);
    gtk_menu_button_popup (GTK_MENU_BUTTON (menu));
    popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu)));

    mh_app_test_wait_for_label (popover, "Delete at Magic Hour");
    mh_app_test_wait_until_still (popover);
    mh_app_test_save_screenshot (popover, "history-menu.png");
    gtk_menu_button_popdown (GTK_MENU_BUTTON (menu));
  }
}

/* The rows the list shows now. */
static guint
count_rows (void)
{
  GtkWidget *list = mh_app_test_find_widget (GTK_WIDGET (history_page ()), GTK_TYPE_LIST_BOX, NULL, NULL);
  guint n = 0;

  for (GtkWidget *child = list != NULL ? gtk_widget_get_first_child (list) : NULL;
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (MH_IS_HISTORY_ROW (child))
      n++;
  return n;
}

static gboolean
shown_count_is (gpointer data)
{
  return count_rows () == GPOINTER_TO_UINT (data);
}

/* Filter by tool, search by name. */
static void
test_filter_and_search (void)
{
  GtkWidget *entry;
  GtkDropDown *tools;
  guint n_tools, lip_sync = 0;
  const MhTool *const *list = mh_tools (&n_tools);

  ensure_app ();

  entry = mh_history_page_get_search_entry (history_page ());
  tools = GTK_DROP_DOWN (mh_history_page_get_tool_filter (history_page ()));
  for (guint i = 0; i < n_tools; i++)
    if (g_str_equal (list[i]->id, "lip-sync"))
      lip_sync = i + 1;   /* after All Tools */

  g_assert_cmpstr (gtk_string_object_get_string (GTK_STRING_OBJECT (gtk_drop_down_get_selected_item (tools))), ==,
                   "All Tools");
  gtk_drop_down_set_selected (tools, lip_sync);
  mh_test_wait_for (shown_count_is, GUINT_TO_POINTER (1), MH_TEST_TIMEOUT, "one tool's jobs");
  g_assert_nonnull (row_of (id_uploading));
  g_assert_null (row_of (id_done));
  g_assert_null (row_of (id_rendering));

  gtk_drop_down_set_selected (tools, 0);
  mh_test_wait_for (shown_count_is, GUINT_TO_POINTER (3), MH_TEST_TIMEOUT, "every job again");

  /* The search entry waits for a pause in the typing. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "SELF");
  mh_test_wait_for (shown_count_is, GUINT_TO_POINTER (1), MH_TEST_TIMEOUT, "the search to apply");
  g_assert_nonnull (row_of (id_done));

  gtk_editable_set_text (GTK_EDITABLE (entry), "talking portrait");
  mh_test_wait_for (shown_count_is, GUINT_TO_POINTER (1), MH_TEST_TIMEOUT, "a search on name and tool");
  g_assert_nonnull (row_of (id_rendering));

  gtk_editable_set_text (GTK_EDITABLE (entry), "no such job");
  mh_app_test_wait_for_label (GTK_WIDGET (history_page ()), "No Matching Jobs");
  screenshot ("no-match");

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  mh_test_wait_for (shown_count_is, GUINT_TO_POINTER (3), MH_TEST_TIMEOUT, "every job again");
}

static void
toast_cb (MhHistoryPage  *page,
          AdwToast       *toast,
          AdwToast      **out)
{
  g_set_object (out, toast);
}

static gboolean
undo_shown (gpointer data)
{
  return mh_app_test_find_widget (GTK_WIDGET (window), GTK_TYPE_BUTTON, button_label_is, "_Undo") != NULL;
}

/* The toast with Undo has slid in: where it is stays the same from one
 * frame to the next. */
static void
wait_for_toast_in_place (void)
{
  mh_app_test_wait_until_in_place (GTK_WIDGET (window), GTK_TYPE_BUTTON, button_label_is, "_Undo", NULL);
}

static gboolean
undo_gone (gpointer data)
{
  return !undo_shown (data);
}

static gboolean
row_gone (gpointer data)
{
  return row_of (data) == NULL;
}

static gboolean
row_back (gpointer data)
{
  return row_of (data) != NULL;
}

static gboolean
file_gone (gpointer data)
{
  return !g_file_test (data, G_FILE_TEST_EXISTS) &&
         mh_job_store_lookup (mh_application_get_store (app), id_done) == NULL;
}

/* Remove from History goes at once, Undo brings it back; once the toast
 * goes, the record's file is deleted (the result on disk is kept). */
static void
test_remove_and_undo (void)
{
  MhJobRecord *record;
  g_autofree char *json = record_path (id_done);
  g_autofree char *result = NULL;
  g_autoptr(AdwToast) toast = NULL;
  gulong handler;
  GtkWidget *undo;

  ensure_app ();

  record = lookup (id_done);
  result = g_strdup (mh_job_record_get_output_files (record)[0]);
  handler = g_signal_connect (history_page (), "toast", G_CALLBACK (toast_cb), &toast);

  g_assert_true (gtk_widget_activate_action (row_of (id_done), "row.remove", NULL));
  mh_test_wait_for (row_gone, id_done, MH_TEST_TIMEOUT, "the row to go");
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "“selfie” removed from the history");
  g_assert_true (g_file_test (json, G_FILE_TEST_EXISTS));

  /* Undo, as a click on the toast's button. */
  mh_test_wait_for (undo_shown, NULL, MH_TEST_TIMEOUT, "the Undo button");
  /* Shown in full, as a person sees it (libadwaita 1.2 mishandles a toast
   * that goes while it still slides in). */
  wait_for_toast_in_place ();
  undo = mh_app_test_find_widget (GTK_WIDGET (window), GTK_TYPE_BUTTON, button_label_is, "_Undo");
  g_assert_true (gtk_widget_activate (undo));
  mh_test_wait_for (row_back, id_done, MH_TEST_TIMEOUT, "the row to come back");
  mh_test_wait_for (undo_gone, NULL, MH_TEST_TIMEOUT, "the toast to go");
  /* Past the toast's going: still there. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (g_file_test (json, G_FILE_TEST_EXISTS));
  g_assert_nonnull (mh_job_store_lookup (mh_application_get_store (app), id_done));

  /* Removed again, and the toast times out. */
  g_clear_object (&toast);
  g_assert_true (gtk_widget_activate_action (row_of (id_done), "row.remove", NULL));
  mh_test_wait_for (row_gone, id_done, MH_TEST_TIMEOUT, "the row to go");
  g_assert_nonnull (toast);
  mh_test_wait_for (undo_shown, NULL, MH_TEST_TIMEOUT, "the Undo button");
  wait_for_toast_in_place ();
  adw_toast_dismiss (toast);
  mh_test_wait_for (file_gone, json, MH_TEST_TIMEOUT, "the record's file to be deleted");
  g_assert_true (g_file_test (result, G_FILE_TEST_IS_REGULAR));

  g_signal_handler_disconnect (history_page (), handler);
}

static gboolean
form_has_image (gpointer data)
{
  GtkWidget *row = mh_tool_form_get_slot_row (MH_TOOL_FORM (data), "image");

  return mh_file_row_get_value (MH_FILE_ROW (row)) != NULL;
}

/* Delete at Magic Hour of the row of @id, answered: Magic Hour refuses it
 * (the fault is set before). The toast says @sentence; nothing is marked. */
static void
delete_refused (const char *id,
                const char *sentence)
{
  MhJobRecord *record = lookup (id);
  AdwMessageDialog *dialog = NULL;
  g_autoptr(GPtrArray) deletes = NULL;
  GtkWidget *button;
  guint sent = mh_simulator_count_requests (fx.sim, MH_SIM_ENDPOINT_DELETE);

  g_assert_true (gtk_widget_activate_action (row_of (id), "row.delete", NULL));
  mh_test_wait_for (dialog_open, &dialog, MH_TEST_TIMEOUT, "the question");
  mh_app_test_wait_for_frames (GTK_WIDGET (dialog));
  button = mh_app_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, button_label_is, "_Delete");
  g_assert_true (gtk_widget_activate (button));
  mh_test_wait_for (dialog_closed, NULL, MH_TEST_TIMEOUT, "the question to close");
  gtk_window_present (GTK_WINDOW (window));
  mh_app_test_wait_for_label (GTK_WIDGET (window), sentence);

  deletes = mh_test_requests (fx.sim, MH_SIM_ENDPOINT_DELETE);
  g_assert_cmpuint (deletes->len, ==, sent + 1);
  g_assert_cmpuint (((MhSimRequest *) g_ptr_array_index (deletes, sent))->status / 100, ==, 4);
  g_assert_false (mh_job_record_get_deleted (record));
  g_assert_false (mh_job_record_get_running (record));
  g_assert_true (mh_history_row_get_action_enabled (MH_HISTORY_ROW (row_of (id)), "delete"));
}

/* Run Again fills the tool's form with the job's inputs and options; the
 * person presses Generate. Retry runs the upload-interrupted job. */
static void
test_run_again_and_retry (void)
{
  MhJobRecord *record;
  GtkWidget *form;
  g_autoptr(GHashTable) params = NULL;
  guint creates = count_creates ();
  double end = 0;

  ensure_app ();

  record = lookup (id_rendering);
  form = mh_window_get_form (window, "talking-photo");
  g_assert_true (gtk_widget_activate_action (row_of (id_rendering), "row.run-again", NULL));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (gtk_widget_get_ancestor (form, ADW_TYPE_VIEW_STACK))),
                   ==, "talking-photo");
  g_assert_true (mh_app_test_is_shown (form, GTK_WIDGET (window)));
  mh_test_wait_for (form_has_image, form, MH_TEST_TIMEOUT, "the form to take the files");
  mh_test_wait_for ((MhTestCondition) mh_tool_form_get_can_generate, form, MH_TEST_TIMEOUT,
                    "the form to be ready");
  params = mh_tool_form_dup_params (MH_TOOL_FORM (form));
  g_assert_cmpstr (mh_params_get (params, "image"), ==, mh_params_get (mh_job_record_get_params (record), "image"));
  g_assert_cmpstr (mh_params_get (params, "audio"), ==, mh_params_get (mh_job_record_get_params (record), "audio"));
  g_assert_true (mh_params_get_number (params, "end", &end));
  g_assert_cmpfloat_with_epsilon (end, 3.0, 0.01);
  /* Nothing was started. */
  g_assert_cmpuint (count_creates (), ==, creates);

  /* Retry: the same inputs, run again (there was no project to follow). */
  mh_window_show_history (window);
  record = lookup (id_uploading);
  g_assert_true (gtk_widget_activate_action (row_of (id_uploading), "row.retry", NULL));
  mh_test_wait_for (mh_app_test_record_settled, record, 2 * MH_TEST_TIMEOUT, "the retried job to end");
  g_assert_cmpint (mh_job_record_get_state (record), ==, MH_JOB_STATE_DONE);
  g_assert_cmpuint (count_creates (), ==, creates + 1);
  assert_bytes_from_simulator (mh_job_record_get_output_files (record)[0], mh_job_record_get_project_id (record));
  g_assert_cmpstr (mh_history_row_get_primary_action (MH_HISTORY_ROW (row_of (id_uploading))), ==, "open");

  /* Magic Hour refuses a delete: said in a sentence, nothing marked. */
  mh_simulator_add_fault (fx.sim, MH_SIM_ENDPOINT_DELETE, MH_SIM_FAULT_STATUS, 1, 403, "Not allowed for this project");
  delete_refused (id_uploading, "“clip” could not be deleted at Magic Hour");
  /* A video project that is a template (422): it is kept, and said so. */
  mh_simulator_add_fault (fx.sim, MH_SIM_ENDPOINT_DELETE, MH_SIM_FAULT_TEMPLATE, 1, 0, NULL);
  delete_refused (id_uploading,
                  "“clip” could not be deleted at Magic Hour: This video project is a template "
                  "at Magic Hour, and templates cannot be deleted. It was kept.");

  mh_app_test_wait_for_frames (GTK_WIDGET (window));
  screenshot ("done");
}

typedef struct
{
  const char *id;
  const char *status;
} RowWait;

static gboolean
row_says (gpointer data)
{
  RowWait *wait = data;
  MhJobRecord *record = mh_job_store_lookup (mh_application_get_store (app), wait->id);
  GtkWidget *row = record != NULL ? mh_history_page_find_row (history_page (), record) : NULL;

  return row != NULL && gtk_widget_get_mapped (row) &&
         g_strcmp0 (label_text (row, "status"), wait->status) == 0;
}

static gboolean
record_settled_with_file (gpointer data)
{
  const char *const *outputs = mh_job_record_get_output_files (data);

  return mh_app_test_record_settled (data) && outputs[0] != NULL &&
         g_file_test (outputs[0], G_FILE_TEST_IS_REGULAR);
}

/* A job the command-line tool runs (here: the engine with a store of its
 * own on the same folder) appears in the open history as it runs. */
static void
test_live_from_other_process (void)
{
  g_autoptr(GFile) dir = mh_job_store_default_dir ();
  g_autoptr(MhJobStore) other = mh_job_store_new (dir);
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(MhJob) job = NULL;
  g_autoptr(GFile) out = g_file_new_for_path (fx.out);
  g_autoptr(GError) error = NULL;
  g_autofree char *photo = mh_test_write_png (fx.tmp, "from-the-terminal.png");
  RowWait wait;
  MhWindow *narrow;

  ensure_app ();
  mh_window_show_history (window);

  mh_app_test_load_store (other);
  params = mh_test_params ("image", photo, NULL);
  job = mh_job_store_new_job (other, fx.client, mh_tool_lookup ("headshot"), params);
  mh_job_set_output_dir (job, out);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  mh_job_store_flush (other);

  wait.id = mh_job_record_get_id (mh_job_get_record (job));
  wait.status = "Done";
  mh_test_wait_for (row_says, &wait, MH_TEST_TIMEOUT, "the other process's job to show");
  g_assert_cmpstr (label_text (row_of (wait.id), "name"), ==, "from-the-terminal");
  {
    g_autoptr(GPtrArray) ids = shown_ids ();

    /* The newest. */
    g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, wait.id);
  }

  /* Its file deleted behind the app's back: seen when the row is shown
   * again, and Download brings it back. */
  {
    MhJobRecord *record = lookup (wait.id);
    g_autofree char *path = g_strdup (mh_job_record_get_output_files (record)[0]);
    GtkWidget *entry = mh_history_page_get_search_entry (history_page ());
    GtkWidget *row;

    g_assert_cmpint (g_unlink (path), ==, 0);
    gtk_editable_set_text (GTK_EDITABLE (entry), "terminal");
    mh_test_wait_for (shown_count_is, GUINT_TO_POINTER (1), MH_TEST_TIMEOUT, "the search to apply");
    /* Away to a tool and back. */
    mh_window_show_tool (window, "headshot");
    mh_app_test_wait_for_frames (GTK_WIDGET (window));
    mh_window_show_history (window);
    wait.status = "Done, but the file is no longer in its folder";
    mh_test_wait_for (row_says, &wait, MH_TEST_TIMEOUT, "the row to see the file is gone");
    row = row_of (wait.id);
    g_assert_false (mh_history_row_get_action_enabled (MH_HISTORY_ROW (row), "open"));
    g_assert_false (mh_history_row_get_action_enabled (MH_HISTORY_ROW (row), "show-in-folder"));
    g_assert_cmpstr (mh_history_row_get_primary_action (MH_HISTORY_ROW (row)), ==, "download-again");
    g_assert_nonnull (mh_app_test_find_widget (row, GTK_TYPE_BUTTON, button_label_is, "_Download"));

    g_assert_true (gtk_widget_activate (mh_app_test_find_widget (row, GTK_TYPE_BUTTON, button_label_is, "_Download")));
    mh_test_wait_for (record_settled_with_file, record, MH_TEST_TIMEOUT, "the result to come back");
    assert_bytes_from_simulator (mh_job_record_get_output_files (record)[0], mh_job_record_get_project_id (record));
    wait.status = "Done";
    mh_test_wait_for (row_says, &wait, MH_TEST_TIMEOUT, "the row to show the file again");
    g_assert_true (mh_history_row_get_action_enabled (MH_HISTORY_ROW (row_of (wait.id)), "open"));

    gtk_editable_set_text (GTK_EDITABLE (entry), "");
    mh_test_wait_for (shown_count_is, GUINT_TO_POINTER (3), MH_TEST_TIMEOUT, "every job again");
  }

  /* A phone-sized window: everything still fits. */
  narrow = mh_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (narrow), 360, 720);
  gtk_window_present (GTK_WINDOW (narrow));
  mh_window_show_history (narrow);
  mh_app_test_wait_for_frames (GTK_WIDGET (narrow));
  {
    MhWindow *wide = window;

    window = narrow;
    screenshot ("narrow");
    window = wide;
  }
  gtk_window_destroy (GTK_WINDOW (narrow));
}

/* ------------------------------------------------------------------------ */
/* Quitting, and the demo (each needs an app that runs and quits)           */

typedef struct
{
  MhApplication *app;
  MhJob         *job;
  char          *id;
  char          *demo_dir;
  gboolean       demo;
  gboolean       signaled;  /* the demo ends by SIGTERM */
  gboolean       busy;    /* only look at what the start does */
  gboolean       looked;
  guint          jobs_added;
} RunData;

static void
job_state_cb (MhJob      *job,
              GParamSpec *pspec,
              RunData    *data)
{
  if (mh_job_get_state (job) == MH_JOB_STATE_RENDERING)
    {
      g_signal_handlers_disconnect_by_func (job, job_state_cb, data);
      g_application_quit (G_APPLICATION (data->app));
    }
}

/* The demo's history starts empty, and says what it will hold. */
static gboolean
demo_empty_cb (gpointer user_data)
{
  RunData *data = user_data;

  window = MH_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (data->app)));
  g_assert_nonnull (window);
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  mh_window_show_history (window);
  mh_app_test_wait_for_label (GTK_WIDGET (window), "No Jobs Yet");
  mh_app_test_wait_for_label (GTK_WIDGET (window), "kept apart from your real jobs");
  if (data->signaled)
    {
      window = NULL;
      g_assert_cmpint (kill (getpid (), SIGTERM), ==, 0);
      return G_SOURCE_REMOVE;
    }
  screenshot ("empty");
  window = NULL;

  g_application_quit (G_APPLICATION (data->app));
  return G_SOURCE_REMOVE;
}

static gboolean
no_jobs (gpointer data)
{
  return g_list_model_get_n_items (mh_application_get_jobs (data)) == 0;
}

static void
jobs_changed_cb (GListModel *jobs,
                 guint       position,
                 guint       removed,
                 guint       added,
                 RunData    *data)
{
  data->jobs_added += added;
}

/* What a start does with a job another process holds: it tries, finds it
 * busy, and leaves it, without a word. */
static gboolean
busy_cb (gpointer user_data)
{
  RunData *data = user_data;
  MhJobRecord *record;

  mh_test_wait_for (app_ready, data->app, MH_TEST_TIMEOUT, "the key and the history");
  mh_test_wait_for (no_jobs, data->app, MH_TEST_TIMEOUT, "the busy job to be left alone");
  g_assert_cmpuint (data->jobs_added, ==, 1);
  record = mh_job_store_lookup (mh_application_get_store (data->app), data->id);
  g_assert_nonnull (record);
  g_assert_false (mh_job_record_get_running (record));
  g_assert_cmpint (mh_job_record_get_state (record), ==, MH_JOB_STATE_RENDERING);

  g_application_quit (G_APPLICATION (data->app));
  return G_SOURCE_REMOVE;
}

static void
activate_cb (GApplication *application,
             RunData      *data)
{
  MhClient *client = mh_application_get_client (data->app);
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GFile) out = g_file_new_for_path (fx.out);

  if (data->job != NULL || data->demo_dir != NULL || data->looked)
    return;

  if (data->busy)
    {
      data->looked = TRUE;
      /* Before the history is read: the store loads once the loop runs. */
      g_assert_false (mh_application_get_store_loaded (data->app));
      g_signal_connect (mh_application_get_jobs (data->app), "items-changed",
                        G_CALLBACK (jobs_changed_cb), data);
      g_idle_add (busy_cb, data);
      return;
    }

  if (data->demo)
    {
      g_autoptr(GFile) real = mh_job_store_default_dir ();
      GFile *dir;

      g_action_group_activate_action (G_ACTION_GROUP (application), "demo", NULL);
      g_assert_true (mh_application_get_demo (data->app));
      dir = mh_job_store_get_dir (mh_application_get_store (data->app));
      g_assert_false (g_file_equal (dir, real));
      data->demo_dir = g_file_get_path (dir);
      g_assert_true (g_str_has_prefix (data->demo_dir, g_get_tmp_dir ()));
      g_assert_true (g_file_test (data->demo_dir, G_FILE_TEST_IS_DIR));
      g_idle_add (demo_empty_cb, data);
      return;
    }

  mh_client_set_poll_scale (client, 0.05);
  params = mh_test_fixture_params (&fx, "talking-photo");
  data->job = mh_job_store_new_job (mh_application_get_store (data->app), client,
                                    mh_tool_lookup ("talking-photo"), params);
  mh_job_set_output_dir (data->job, out);
  data->id = g_strdup (mh_job_record_get_id (mh_job_get_record (data->job)));
  g_signal_connect (data->job, "notify::state", G_CALLBACK (job_state_cb), data);
  mh_application_run_job (data->app, data->job);
}

static int
run_app (RunData *data)
{
  char *argv[] = { (char *) "test-app-history", NULL };

  data->app = mh_application_new ();
  g_application_set_flags (G_APPLICATION (data->app),
                           g_application_get_flags (G_APPLICATION (data->app)) | G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (data->app, "activate", G_CALLBACK (activate_cb), data);
  return g_application_run (G_APPLICATION (data->app), 1, argv);
}

static void
claimed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (mh_job_store_claim_finish (MH_JOB_STORE (source), result, &error));
  *(gboolean *) user_data = TRUE;
}

static void
released_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (mh_job_store_release_finish (MH_JOB_STORE (source), result, &error));
  *(gboolean *) user_data = TRUE;
}

/* A notification whose title is @data was shown. */
static gboolean
notified (gpointer data)
{
  GPtrArray *shown = mh_test_bus_get_notifications ();
  g_autofree char *prefix = g_strconcat (data, "\n", NULL);

  for (guint i = 0; i < shown->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (shown, i), prefix))
      return TRUE;
  return FALSE;
}

static void
quit_interrupts (void)
{
  RunData data = { 0 };
  g_autoptr(GFile) dir = mh_job_store_default_dir ();
  g_autoptr(MhJobStore) store = mh_job_store_new (dir);
  g_autofree char *lock = NULL;
  g_autofree char *dir_path = g_file_get_path (dir);
  MhJobRecord *record;
  MhApplication *again;

  mh_simulator_set_render_seconds (fx.sim, 3.0);
  g_assert_cmpint (run_app (&data), ==, 0);
  g_assert_nonnull (data.job);
  g_assert_cmpuint (count_creates (), ==, 1);

  /* Interrupted, not canceled: the record keeps its step and project. */
  g_assert_cmpint (mh_job_get_state (data.job), ==, MH_JOB_STATE_CANCELED);
  mh_app_test_load_store (store);
  record = mh_job_store_lookup (store, data.id);
  g_assert_nonnull (record);
  g_assert_cmpint (mh_job_record_get_state (record), ==, MH_JOB_STATE_RENDERING);
  g_assert_nonnull (mh_job_record_get_project_id (record));
  g_assert_true (mh_job_record_needs_resume (record));
  lock = g_strconcat (dir_path, G_DIR_SEPARATOR_S, data.id, ".lock", NULL);
  g_assert_false (g_file_test (lock, G_FILE_TEST_EXISTS));
  g_clear_object (&data.job);
  g_clear_object (&data.app);

  /* While another process works on it (here this test, holding its lock),
   * a start leaves it to that process: no job, nothing asked. */
  {
    RunData busy = { 0 };
    gboolean claimed = FALSE, released = FALSE;
    guint gets = mh_simulator_count_requests (fx.sim, MH_SIM_ENDPOINT_PROJECT);

    mh_job_store_claim_async (store, record, NULL, claimed_cb, &claimed);
    mh_test_wait_for_flag (&claimed, MH_TEST_TIMEOUT, "the lock");
    busy.busy = TRUE;
    busy.id = data.id;
    g_assert_cmpint (run_app (&busy), ==, 0);
    g_assert_true (busy.looked);
    g_assert_cmpuint (mh_simulator_count_requests (fx.sim, MH_SIM_ENDPOINT_PROJECT), ==, gets);
    g_clear_object (&busy.app);

    mh_job_store_release_async (store, record, released_cb, &released);
    mh_test_wait_for_flag (&released, MH_TEST_TIMEOUT, "the lock to be given back");
  }

  /* The next start finishes it, without creating it again. */
  again = new_app ();
  record = mh_job_store_lookup (mh_application_get_store (again), data.id);
  g_assert_nonnull (record);
  mh_test_wait_for (mh_app_test_record_settled, record, 2 * MH_TEST_TIMEOUT, "the job to be resumed");
  g_assert_cmpint (mh_job_record_get_state (record), ==, MH_JOB_STATE_DONE);
  g_assert_cmpuint (count_creates (), ==, 1);
  assert_bytes_from_simulator (mh_job_record_get_output_files (record)[0], mh_job_record_get_project_id (record));

  /* With no window to see it in, the person is told by a notification,
   * once; the run that was interrupted told nothing. */
  mh_test_wait_for (notified, (gpointer) "AI Talking Photo Is Ready", MH_TEST_TIMEOUT, "the notification");
  g_assert_cmpuint (mh_test_bus_get_notifications ()->len, ==, 1);

  g_object_unref (again);
  g_free (data.id);
}

static void
test_quit_interrupts (void)
{
  if (g_test_subprocess ())
    {
      quit_interrupts ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* @signaled: ended by SIGTERM, as the session ending or kill(1) does,
 * rather than from the app's menu; it quits the same way. */
static void
demo_store (gboolean signaled)
{
  RunData data = { 0 };

  data.demo = TRUE;
  data.signaled = signaled;
  g_assert_cmpint (run_app (&data), ==, 0);
  g_assert_nonnull (data.demo_dir);
  /* Gone with the app. */
  g_assert_false (g_file_test (data.demo_dir, G_FILE_TEST_EXISTS));
  g_clear_object (&data.app);
  g_free (data.demo_dir);
}

static void
test_demo_store (gconstpointer data)
{
  if (g_test_subprocess ())
    {
      demo_store (GPOINTER_TO_INT (data));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
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

  /* In this order: one app, the history it found, then what is done with it. */
  g_test_add_func ("/app/history/resume-and-list", test_resume_and_list);
  g_test_add_func ("/app/history/upload-interrupted-offered", test_upload_interrupted_offered);
  g_test_add_func ("/app/history/damaged-record", test_damaged_record);
  g_test_add_func ("/app/history/download-again", test_download_again);
  g_test_add_func ("/app/history/delete-at-magic-hour", test_delete_at_magic_hour);
  g_test_add_func ("/app/history/filter-and-search", test_filter_and_search);
  g_test_add_func ("/app/history/remove-and-undo", test_remove_and_undo);
  g_test_add_func ("/app/history/run-again-and-retry", test_run_again_and_retry);
  g_test_add_func ("/app/history/live-from-other-process", test_live_from_other_process);
  g_test_add_func ("/app/history/quit-interrupts", test_quit_interrupts);
  g_test_add_data_func ("/app/history/demo-store", GINT_TO_POINTER (FALSE), test_demo_store);
  g_test_add_data_func ("/app/history/demo-store-on-signal", GINT_TO_POINTER (TRUE), test_demo_store);

  status = g_test_run ();

  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
  if (app != NULL)
    mh_job_store_flush (mh_application_get_store (app));
  g_clear_object (&app);
  mh_test_fixture_teardown (&fx, NULL);
  mh_test_bus_down ();
  g_free (id_done);
  g_free (id_rendering);
  g_free (id_uploading);
  g_free (damaged_id);

  return status;
}
