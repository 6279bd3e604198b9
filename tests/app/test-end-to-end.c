/* test-end-to-end.c: each tool from its form to the result on disk
 *
 * In demo mode (the simulator in the app, sped up) every tool is filled with
 * real files through the rows, Generate is pressed, the stages the job view
 * shows are recorded, and the result must be on disk, byte for byte what the
 * simulator served, and previewed. Then, with MAGIC_HOUR_API_BASE_URL and
 * MAGIC_HOUR_API_KEY set, the app must send the same requests as the
 * command-line tool for the same inputs.
 *
 * Along the way it writes screenshots (1000x760, light and dark) into
 * $MH_SCREENSHOT_DIR, for anyone to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mh-application.h"
#include "mh-file-row.h"
#include "mh-job-view.h"
#include "mh-params.h"
#include "mh-simulator.h"
#include "mh-app-test-util.h"
#include "mh-test-util.h"
#include "mh-tool-form.h"
#include "mh-window.h"

#define WIDTH 1000
#define HEIGHT 760

static char *tmp_dir;
static char *screenshot_dir;

/* The demo app and its window, shared by the tests in order. */
static MhApplication *app;
static MhWindow *window;

/* ------------------------------------------------------------------------ */
/* Widgets                                                                  */

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}


/* The first widget of @type under @root that is on screen. */
static GtkWidget *
find_shown (GtkWidget *root,
            GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (root, type, found);
  for (guint i = 0; i < found->len; i++)
    if (mh_app_test_is_shown (g_ptr_array_index (found, i), root))
      return g_ptr_array_index (found, i);
  return NULL;
}

/* The stage the job view marks as current (its spinner shows), or NULL. */
static const char *
current_stage (GtkWidget *job_view)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (job_view, ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

      if (!mh_app_test_is_shown (row, job_view))
        continue;
      collect (row, GTK_TYPE_STACK, stacks);
      for (guint j = 0; j < stacks->len; j++)
        if (g_strcmp0 (gtk_stack_get_visible_child_name (g_ptr_array_index (stacks, j)), "current") == 0)
          return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
    }
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Frames and screenshots                                                   */

/* app-@name-light.png and app-@name-dark.png, when $MH_SCREENSHOT_DIR is set. */
static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  const struct { AdwColorScheme scheme; const char *suffix; } variants[] = {
    { ADW_COLOR_SCHEME_FORCE_LIGHT, "light" },
    { ADW_COLOR_SCHEME_FORCE_DARK, "dark" },
  };

  if (screenshot_dir == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autofree char *file = g_strdup_printf ("app-%s-%s.png", name, variants[i].suffix);
      g_autofree char *path = g_build_filename (screenshot_dir, file, NULL);

      adw_style_manager_set_color_scheme (style, variants[i].scheme);
      mh_app_test_wait_until_still (widget);
      mh_app_test_save_png (widget, path);
      g_test_message ("screenshot: %s", path);
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
}

/* ------------------------------------------------------------------------ */
/* The app                                                                  */

static MhApplication *
new_app (void)
{
  MhApplication *application = mh_application_new ();

  mh_app_test_register (application);
  mh_test_wait_for (mh_app_test_key_checked, application, MH_TEST_TIMEOUT, "the key lookup");

  return application;
}

static void
set_output_folders (MhApplication *application,
                    const char    *dir)
{
  g_autofree char *video = g_build_filename (dir, "videos", NULL);
  g_autofree char *image = g_build_filename (dir, "pictures", NULL);
  GSettings *settings = mh_application_get_settings (application);

  g_settings_set_string (settings, "output-folder-video", video);
  g_settings_set_string (settings, "output-folder-image", image);
}

/* ------------------------------------------------------------------------ */
/* Filling a form and running its job                                       */

static void
set_slot (GtkWidget  *form,
          const char *slot,
          const char *path)
{
  GtkWidget *row = mh_tool_form_get_slot_row (MH_TOOL_FORM (form), slot);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (row);
  g_assert_true (mh_file_row_set_file (MH_FILE_ROW (row), file, &error));
  g_assert_no_error (error);
  /* The row checks the file in a thread before it takes it. */
  mh_test_wait_for (mh_app_test_row_has_value, row, MH_TEST_TIMEOUT, "the row to take the file");
  g_assert_cmpstr (mh_file_row_get_value (MH_FILE_ROW (row)), ==, path);
  g_assert_null (mh_file_row_get_error (MH_FILE_ROW (row)));
}

/* Fills @tool_id's form with files written in @dir. */
static void
fill_form (GtkWidget  *form,
           const char *tool_id,
           const char *dir)
{
  if (g_str_equal (tool_id, "talking-photo"))
    {
      g_autofree char *png = mh_test_write_png (dir, "portrait.png");
      g_autofree char *wav = mh_test_write_wav (dir, "voice.wav", 3.0);

      set_slot (form, "image", png);
      set_slot (form, "audio", wav);
    }
  else if (g_str_equal (tool_id, "lip-sync"))
    {
      g_autofree char *mp4 = mh_test_write_mp4 (dir, "speaker.mp4");
      g_autofree char *wav = mh_test_write_wav (dir, "new-speech.wav", 3.0);

      set_slot (form, "video", mp4);
      set_slot (form, "audio", wav);
    }
  else
    {
      g_autofree char *png = mh_test_write_png (dir, "selfie.png");

      set_slot (form, "image", png);
    }
}

typedef struct
{
  MhJob          *job;
  MhTestStateLog *states;
  GPtrArray      *seen;       /* what the job view showed: "Uploading", ..., "result" */
  GtkWidget      *job_view;
  guint           idle_id;
} JobWatch;

static void
record_view (JobWatch *watch)
{
  GtkWidget *stack = gtk_widget_get_first_child (watch->job_view);
  const char *page = GTK_IS_STACK (stack) ? gtk_stack_get_visible_child_name (GTK_STACK (stack)) : NULL;
  const char *shown = g_strcmp0 (page, "running") == 0 ? current_stage (watch->job_view) : page;

  if (shown != NULL &&
      (watch->seen->len == 0 ||
       !g_str_equal (g_ptr_array_index (watch->seen, watch->seen->len - 1), shown)))
    g_ptr_array_add (watch->seen, g_strdup (shown));
}

static gboolean
record_view_idle (gpointer data)
{
  JobWatch *watch = data;

  watch->idle_id = 0;
  record_view (watch);
  return G_SOURCE_REMOVE;
}

/* Right after the job view handled the change. */
static void
job_state_cb (MhJob    *job,
              GParamSpec *pspec,
              JobWatch *watch)
{
  if (watch->idle_id == 0)
    watch->idle_id = g_idle_add_full (G_PRIORITY_HIGH, record_view_idle, watch, NULL);
}

static void
jobs_changed_cb (GListModel *jobs,
                 guint       position,
                 guint       removed,
                 guint       added,
                 JobWatch   *watch)
{
  if (added == 0 || watch->job != NULL)
    return;

  /* The app lists the job before it runs it: no state is missed. */
  watch->job = g_list_model_get_item (jobs, 0);
  watch->states = mh_test_state_log_new (watch->job);
  g_signal_connect (watch->job, "notify::state", G_CALLBACK (job_state_cb), watch);
}

static void
job_watch_clear (JobWatch *watch)
{
  g_clear_handle_id (&watch->idle_id, g_source_remove);
  if (watch->job != NULL)
    g_signal_handlers_disconnect_by_data (watch->job, watch);
  g_clear_pointer (&watch->states, mh_test_state_log_free);
  g_clear_object (&watch->job);
  g_clear_pointer (&watch->seen, g_ptr_array_unref);
}

static gboolean
has_job (gpointer data)
{
  return ((JobWatch *) data)->job != NULL;
}

static gboolean
job_rendering_or_over (gpointer data)
{
  MhJobState state = mh_job_get_state (((JobWatch *) data)->job);

  return state == MH_JOB_STATE_RENDERING || mh_job_state_is_finished (state);
}

static gboolean
job_finished (gpointer data)
{
  return mh_job_state_is_finished (mh_job_get_state (((JobWatch *) data)->job));
}

/* Presses Generate and follows the job to its end; screenshots of the
 * running job under @shot_name-rendering when non-NULL. */
static void
generate_and_wait (MhApplication *application,
                   GtkWidget     *form,
                   JobWatch      *watch,
                   GtkWidget     *shot_window,
                   const char    *shot_name)
{
  GListModel *jobs = mh_application_get_jobs (application);
  GtkWidget *button = mh_tool_form_get_generate_button (MH_TOOL_FORM (form));
  gulong handler;

  memset (watch, 0, sizeof *watch);
  watch->seen = g_ptr_array_new_with_free_func (g_free);
  watch->job_view = mh_tool_form_get_job_view (MH_TOOL_FORM (form));
  handler = g_signal_connect (jobs, "items-changed", G_CALLBACK (jobs_changed_cb), watch);

  mh_test_wait_for (mh_app_test_can_generate, form, MH_TEST_TIMEOUT, "Generate to become available");
  g_assert_null (mh_tool_form_get_problem (MH_TOOL_FORM (form)));

  /* What a click does. */
  g_assert_true (gtk_widget_activate (button));
  mh_test_wait_for (has_job, watch, MH_TEST_TIMEOUT, "the job to start");
  g_signal_handler_disconnect (jobs, handler);

  /* The page now follows the job. */
  g_assert_true (mh_job_view_get_job (MH_JOB_VIEW (watch->job_view)) == watch->job);
  g_assert_true (mh_app_test_is_shown (watch->job_view, GTK_WIDGET (gtk_widget_get_root (form))));

  mh_test_wait_for (job_rendering_or_over, watch, MH_TEST_TIMEOUT, "the render to start");
  if (shot_name != NULL && mh_job_get_state (watch->job) == MH_JOB_STATE_RENDERING)
    {
      g_autofree char *name = g_strdup_printf ("%s-rendering", shot_name);

      screenshot (shot_window, name);
    }

  mh_test_wait_for (job_finished, watch, 4 * MH_TEST_TIMEOUT, "the job to end");
  if (mh_job_get_state (watch->job) != MH_JOB_STATE_DONE)
    g_error ("The job ended %s: %s", mh_job_state_to_string (mh_job_get_state (watch->job)),
             mh_job_get_error (watch->job) != NULL ? mh_job_get_error (watch->job)->message : "no error");

  /* The last idle. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  record_view (watch);
}

/* ------------------------------------------------------------------------ */
/* The result                                                               */

static gboolean
media_settled (gpointer data)
{
  return gtk_media_stream_is_prepared (data) || gtk_media_stream_get_error (data) != NULL;
}

static void
assert_result (MhApplication *application,
               JobWatch      *watch,
               const char    *out_dir,
               guint          n_before)
{
  MhSimulator *sim = mh_application_get_simulator (application);
  const char *const *outputs = mh_job_get_output_files (watch->job);
  g_autofree char *expected_sha = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  guint64 expected_size = 0;
  GStatBuf st;
  GtkWidget *preview;

  g_assert_nonnull (outputs);
  g_assert_nonnull (outputs[0]);
  g_assert_null (outputs[1]);

  /* In the folder Preferences set, and nothing else there. */
  dir = g_path_get_dirname (outputs[0]);
  g_assert_cmpstr (dir, ==, out_dir);
  names = mh_test_list_dir (out_dir);
  g_assert_cmpuint (names->len, ==, n_before + 1);
  mh_test_assert_no_part_files (out_dir);

  g_assert_cmpint (g_stat (outputs[0], &st), ==, 0);
  expected_sha = mh_simulator_dup_output_sha256 (sim, mh_job_get_project_id (watch->job), &expected_size);
  g_assert_nonnull (expected_sha);
  g_assert_cmpuint ((guint64) st.st_size, ==, expected_size);
  sha = mh_test_file_sha256 (outputs[0]);
  g_assert_cmpstr (sha, ==, expected_sha);

  if (mh_job_get_tool (watch->job)->kind == MH_PROJECT_VIDEO)
    {
      GtkMediaStream *stream;

      preview = find_shown (watch->job_view, GTK_TYPE_VIDEO);
      g_assert_nonnull (preview);
      stream = gtk_video_get_media_stream (GTK_VIDEO (preview));
      g_assert_nonnull (stream);
      mh_test_wait_for (media_settled, stream, MH_TEST_TIMEOUT, "the preview to load");
      if (gtk_media_stream_get_error (stream) != NULL)
        g_error ("The preview failed: %s", gtk_media_stream_get_error (stream)->message);
      g_assert_true (gtk_media_stream_has_video (stream));
    }
  else
    {
      GdkPaintable *paintable;

      preview = find_shown (watch->job_view, GTK_TYPE_PICTURE);
      g_assert_nonnull (preview);
      g_assert_null (find_shown (watch->job_view, GTK_TYPE_VIDEO));
      paintable = gtk_picture_get_paintable (GTK_PICTURE (preview));
      g_assert_nonnull (paintable);
      g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), >, 0);
    }
}

static void
assert_seen (JobWatch *watch)
{
  const MhJobState required[] = {
    MH_JOB_STATE_UPLOADING, MH_JOB_STATE_QUEUED, MH_JOB_STATE_RENDERING,
    MH_JOB_STATE_DOWNLOADING, MH_JOB_STATE_DONE,
  };
  const char *shown[] = { "Uploading", "Queued", "Rendering", "Downloading", "result" };
  g_autofree char *states = mh_test_state_log_to_string (watch->states);
  g_autoptr(GString) seen = g_string_new (NULL);
  guint next = 0;

  for (guint i = 0; i < watch->seen->len; i++)
    g_string_append_printf (seen, "%s%s", i > 0 ? ", " : "", (char *) g_ptr_array_index (watch->seen, i));
  g_test_message ("job states: %s", states);
  g_test_message ("job view showed: %s", seen->str);

  mh_test_assert_states (watch->states, required, G_N_ELEMENTS (required));

  /* The view showed each stage, in order, and ended on the result. */
  for (guint i = 0; i < watch->seen->len && next < G_N_ELEMENTS (shown); i++)
    if (g_str_equal (g_ptr_array_index (watch->seen, i), shown[next]))
      next++;
  if (next < G_N_ELEMENTS (shown))
    g_error ("The job view never showed “%s” (it showed: %s)", shown[next], seen->str);
  g_assert_cmpstr (g_ptr_array_index (watch->seen, watch->seen->len - 1), ==, "result");
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                    */

static void
ensure_app (void)
{
  if (app != NULL)
    return;

  app = new_app ();
  window = mh_app_test_new_window (app, WIDTH, HEIGHT);
}

static void
test_welcome (void)
{
  GtkWidget *status;

  ensure_app ();
  g_assert_false (mh_application_get_has_key (app));
  g_assert_false (mh_application_get_demo (app));

  mh_app_test_wait_for_frames (GTK_WIDGET (window));
  status = find_shown (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE);
  g_assert_nonnull (status);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), ==, "Welcome to Magic Hour Studio");
  screenshot (GTK_WIDGET (window), "welcome");
}

static void
start_demo (void)
{
  MhSimulator *sim;
  MhClient *client;

  ensure_app ();
  if (mh_application_get_demo (app))
    return;

  g_action_group_activate_action (G_ACTION_GROUP (app), "demo", NULL);
  g_assert_true (mh_application_get_demo (app));

  /* Sped up: a render takes 1.5 s, polls come four times as often. */
  sim = mh_application_get_simulator (app);
  g_assert_nonnull (sim);
  mh_simulator_set_render_seconds (sim, 1.5);
  client = mh_application_get_client (app);
  mh_client_set_poll_scale (client, 0.25);
  mh_client_set_retry_policy (client, 4, 0.01, 0.05);

  set_output_folders (app, tmp_dir);
}

static void
test_tool (gconstpointer data)
{
  const char *tool_id = data;
  const MhTool *tool = mh_tool_lookup (tool_id);
  g_autofree char *inputs_dir = g_build_filename (tmp_dir, tool_id, NULL);
  g_autofree char *out_dir = NULL;
  g_autofree char *shot = NULL;
  g_autoptr(GFile) out = NULL;
  g_autoptr(GPtrArray) before = NULL;
  GtkWidget *form;
  JobWatch watch;

  start_demo ();
  /* The demo's results go to a folder of their own inside the output
   * folder: never among real ones. */
  out = mh_application_dup_results_dir (app, tool->kind);
  out_dir = g_file_get_path (out);
  g_assert_true (g_str_has_prefix (out_dir, tmp_dir));
  {
    g_autoptr(GFile) output_folder = mh_application_dup_output_dir (app, tool->kind);
    g_autoptr(GFile) demo_folder = g_file_get_child (output_folder, "Demo");

    g_assert_true (g_file_equal (out, demo_folder));
  }

  g_assert_cmpint (g_mkdir_with_parents (inputs_dir, 0700), ==, 0);
  mh_window_show_tool (window, tool_id);
  form = mh_window_get_form (window, tool_id);
  g_assert_nonnull (form);
  g_assert_true (mh_app_test_is_shown (form, GTK_WIDGET (window)));

  fill_form (form, tool_id, inputs_dir);
  mh_test_wait_for (mh_app_test_can_generate, form, MH_TEST_TIMEOUT, "Generate to become available");
  /* The demo's credits are the simulator's: the cost line says so. */
  g_assert_nonnull (strstr (mh_tool_form_get_cost (MH_TOOL_FORM (form)), "Demo credits are simulated."));
  g_assert_nonnull (mh_app_test_find_label (form, "Demo credits are simulated"));
  if (tool->has_time_range)
    {
      GHashTable *params = mh_tool_form_dup_params (MH_TOOL_FORM (form));
      double end = 0;

      /* The range came from the media's length. */
      g_assert_true (mh_params_get_number (params, "end", &end));
      g_assert_cmpfloat (end, >, 0);
      g_hash_table_unref (params);
    }
  screenshot (GTK_WIDGET (window), tool_id);

  before = mh_test_list_dir (out_dir);
  generate_and_wait (app, form, &watch, GTK_WIDGET (window), tool_id);
  assert_seen (&watch);
  /* One more file in the folder Preferences set, nothing else. */
  assert_result (app, &watch, out_dir, before->len);
  /* And the result's cost line says the same. */
  g_assert_nonnull (mh_app_test_find_label (form, "(simulated)"));

  shot = g_strdup_printf ("%s-result", tool_id);
  screenshot (GTK_WIDGET (window), shot);

  job_watch_clear (&watch);
}

/* A phone-sized window: the empty form says what is missing, a filled one
 * still fits. */
static void
test_narrow (void)
{
  g_autofree char *inputs_dir = g_build_filename (tmp_dir, "narrow", NULL);
  g_autofree char *mp4 = NULL;
  g_autofree char *wav = NULL;
  MhWindow *narrow;
  GtkWidget *form;
  GFile *files[2];

  start_demo ();
  g_assert_cmpint (g_mkdir_with_parents (inputs_dir, 0700), ==, 0);

  narrow = mh_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (narrow), 360, 720);
  gtk_window_present (GTK_WINDOW (narrow));
  mh_window_show_tool (narrow, "lip-sync");
  form = mh_window_get_form (narrow, "lip-sync");
  mh_app_test_wait_for_frames (GTK_WIDGET (narrow));

  g_assert_false (mh_tool_form_get_can_generate (MH_TOOL_FORM (form)));
  g_assert_nonnull (mh_tool_form_get_problem (MH_TOOL_FORM (form)));
  screenshot (GTK_WIDGET (narrow), "narrow-lip-sync-empty");

  mp4 = mh_test_write_mp4 (inputs_dir, "a-video-with-a-long-file-name.mp4");
  wav = mh_test_write_wav (inputs_dir, "speech.wav", 2.0);
  files[0] = g_file_new_for_path (mp4);
  files[1] = g_file_new_for_path (wav);
  mh_window_open (narrow, NULL, files, 2);
  mh_test_wait_for (mh_app_test_can_generate, form, MH_TEST_TIMEOUT, "Generate to become available");
  screenshot (GTK_WIDGET (narrow), "narrow-lip-sync");

  g_object_unref (files[0]);
  g_object_unref (files[1]);
  gtk_window_destroy (GTK_WINDOW (narrow));
}

/* ------------------------------------------------------------------------ */
/* The same requests as the command-line tool                               */

/* A request as the comparison sees it: what differs by nature (ids, the
 * upload and download URLs' tokens, how many status checks timing allowed)
 * left out. */
static void
mask_json (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *member = json_object_get_member (object, l->data);

          if (JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING &&
              g_str_has_prefix (json_node_get_string (member), "api-assets/"))
            {
              const char *value = json_node_get_string (member);
              const char *dot = strrchr (value, '.');
              g_autofree char *masked = g_strdup_printf ("api-assets/…%s", dot != NULL ? dot : "");

              json_object_set_string_member (object, l->data, masked);
            }
          else
            mask_json (member);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        mask_json (json_array_get_element (array, i));
    }
}

static GPtrArray *
describe_requests (MhSimulator *sim,
                   gboolean     drop_name)
{
  GPtrArray *requests = mh_simulator_get_requests (sim);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  const char *last = NULL;

  for (guint i = 0; i < requests->len; i++)
    {
      MhSimRequest *request = g_ptr_array_index (requests, i);
      g_autoptr(GString) line = g_string_new (NULL);
      const char *endpoint = request->endpoint != NULL ? request->endpoint : "?";

      /* The app reads the account at start and after a job; the job's
       * requests are what is compared. */
      if (g_strcmp0 (endpoint, MH_SIM_ENDPOINT_ACCOUNT) == 0)
        continue;
      /* How many status checks fit in the render is a matter of timing. */
      if ((g_strcmp0 (endpoint, MH_SIM_ENDPOINT_PROJECT) == 0 ||
           g_strcmp0 (endpoint, MH_SIM_ENDPOINT_FACE_STATUS) == 0) && g_strcmp0 (last, endpoint) == 0)
        continue;
      /* The app shows the crop of the face it found; the CLI has no use for it. */
      if (g_strcmp0 (endpoint, MH_SIM_ENDPOINT_FACE_CROP) == 0)
        continue;
      last = endpoint;

      g_string_append_printf (line, "%s %s", request->method, endpoint);
      if (g_strcmp0 (endpoint, MH_SIM_ENDPOINT_UPLOAD_URLS) == 0 ||
          g_strcmp0 (endpoint, MH_SIM_ENDPOINT_CREATE) == 0 ||
          g_strcmp0 (endpoint, MH_SIM_ENDPOINT_ACCOUNT) == 0)
        g_string_append_printf (line, " %s", request->path);
      g_string_append_printf (line, " auth=%s type=%s -> %u",
                              request->authorization != NULL ? request->authorization : "none",
                              request->content_type != NULL ? request->content_type : "none",
                              request->status);
      if (request->body_sha256 != NULL)
        g_string_append_printf (line, " body=%" G_GUINT64_FORMAT "B sha256=%s",
                                request->body_bytes, request->body_sha256);
      if (request->json != NULL)
        {
          g_autoptr(JsonNode) copy = json_node_copy (request->json);
          g_autofree char *text = NULL;

          mask_json (copy);
          if (drop_name && JSON_NODE_HOLDS_OBJECT (copy))
            json_object_remove_member (json_node_get_object (copy), "name");
          text = json_to_string (copy, FALSE);
          g_string_append_printf (line, " %s", text);
        }
      g_ptr_array_add (lines, g_string_free (g_steal_pointer (&line), FALSE));
    }

  return lines;
}

typedef struct
{
  gboolean done;
  char    *out;
  char    *err;
  int      status;
} CliRun;

static void
cli_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CliRun *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_exited (G_SUBPROCESS (source))
                  ? g_subprocess_get_exit_status (G_SUBPROCESS (source)) : -1;
  run->done = TRUE;
}

static char *
find_cli (void)
{
  const char *app_path = g_getenv ("MH_APP");
  g_autofree char *app_dir = NULL;
  char *cli;

  if (g_getenv ("MH_CLI") != NULL && *g_getenv ("MH_CLI") != '\0')
    return g_strdup (g_getenv ("MH_CLI"));

  g_assert_nonnull (app_path);
  app_dir = g_path_get_dirname (app_path);
  cli = g_build_filename (app_dir, "..", "cli", "magic-hour-studio-cli", NULL);
  if (!g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("No command-line tool at %s", cli);

  return cli;
}


/* The command line the CLI takes for the same inputs: --KEY VALUE for each. */
static GPtrArray *
cli_argv (const char *cli,
          const char *tool_id,
          GHashTable *params,
          const char *out_dir)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  GList *keys = g_list_sort (g_hash_table_get_keys (params), (GCompareFunc) g_strcmp0);

  g_ptr_array_add (argv, g_strdup (cli));
  g_ptr_array_add (argv, g_strdup ("--quiet"));
  g_ptr_array_add (argv, g_strdup (tool_id));
  for (GList *l = keys; l != NULL; l = l->next)
    {
      const char *value = g_hash_table_lookup (params, l->data);

      if (value == NULL || *value == '\0')
        continue;
      g_ptr_array_add (argv, g_strdup_printf ("--%s", (char *) l->data));
      g_ptr_array_add (argv, g_strdup (value));
    }
  g_list_free (keys);
  g_ptr_array_add (argv, g_strdup ("--output-dir"));
  g_ptr_array_add (argv, g_strdup (out_dir));
  g_ptr_array_add (argv, NULL);

  return argv;
}

static gboolean
has_key (gpointer data)
{
  return mh_application_get_has_key (data);
}

static void
same_requests_as_cli (void)
{
  g_autoptr(MhSimulator) sim = mh_test_simulator_new (0.2);
  g_autofree char *dir = g_build_filename (tmp_dir, "cli-compare", NULL);
  g_autofree char *inputs_dir = g_build_filename (dir, "inputs", NULL);
  g_autofree char *cli_out = g_build_filename (dir, "cli-out", NULL);
  g_autofree char *cli = find_cli ();
  g_autoptr(GPtrArray) app_requests = NULL;
  g_autoptr(GPtrArray) cli_requests = NULL;
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) command = g_string_new (NULL);
  g_autoptr(GFile) out = NULL;
  g_autofree char *app_out = NULL;
  GHashTable *params;
  MhApplication *application;
  MhWindow *win;
  GtkWidget *form;
  JobWatch watch;
  CliRun run = { 0 };
  gboolean named;

  mh_simulator_set_required_key (sim, MH_TEST_KEY);
  g_assert_cmpint (g_mkdir_with_parents (inputs_dir, 0700), ==, 0);

  /* Before the app exists: it reads them when it starts. */
  g_setenv ("MAGIC_HOUR_API_BASE_URL", mh_simulator_get_base_url (sim), TRUE);
  g_setenv ("MAGIC_HOUR_API_KEY", MH_TEST_KEY, TRUE);

  application = new_app ();
  mh_test_wait_for (has_key, application, MH_TEST_TIMEOUT, "the key from the environment");
  g_assert_true (mh_application_key_from_env (application));
  g_assert_true (mh_application_base_url_from_env (application));
  g_assert_false (mh_application_get_demo (application));
  g_assert_cmpstr (mh_client_get_base_url (mh_application_get_client (application)), ==,
                   mh_simulator_get_base_url (sim));
  set_output_folders (application, dir);
  out = mh_application_dup_output_dir (application, MH_PROJECT_VIDEO);
  app_out = g_file_get_path (out);

  win = mh_app_test_new_window (application, WIDTH, HEIGHT);
  mh_window_show_tool (win, "talking-photo");
  form = mh_window_get_form (win, "talking-photo");
  fill_form (form, "talking-photo", inputs_dir);

  generate_and_wait (application, form, &watch, NULL, NULL);
  params = mh_job_get_params (watch.job);
  named = mh_params_get (params, "name") != NULL && *mh_params_get (params, "name") != '\0';
  app_requests = describe_requests (sim, !named);
  mh_simulator_clear_requests (sim);

  /* The CLI, its own process and environment, the same inputs. */
  argv = cli_argv (cli, "talking-photo", params, cli_out);
  for (guint i = 0; g_ptr_array_index (argv, i) != NULL; i++)
    g_string_append_printf (command, "%s%s", i > 0 ? " " : "", (char *) g_ptr_array_index (argv, i));
  g_test_message ("CLI: %s", command->str);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "MAGIC_HOUR_API_BASE_URL", mh_simulator_get_base_url (sim), TRUE);
  g_subprocess_launcher_setenv (launcher, "MAGIC_HOUR_API_KEY", MH_TEST_KEY, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  /* The simulator answers from this process's main loop meanwhile. */
  g_subprocess_communicate_utf8_async (process, NULL, NULL, cli_done_cb, &run);
  mh_test_wait_for_flag (&run.done, 4 * MH_TEST_TIMEOUT, "the command-line tool");
  if (run.status != 0)
    g_error ("The CLI exited %d: %s%s", run.status, run.out, run.err);

  cli_requests = describe_requests (sim, !named);

  /* On stderr: a subprocess's messages are not shown. */
  g_printerr ("# CLI: %s\n", command->str);
  for (guint i = 0; i < MAX (app_requests->len, cli_requests->len); i++)
    g_printerr ("# %u\n#   app: %s\n#   cli: %s\n", i,
                    i < app_requests->len ? (char *) g_ptr_array_index (app_requests, i) : "(none)",
                    i < cli_requests->len ? (char *) g_ptr_array_index (cli_requests, i) : "(none)");

  g_assert_cmpuint (app_requests->len, >=, 5);
  for (guint i = 0; i < MAX (app_requests->len, cli_requests->len); i++)
    g_assert_cmpstr (i < app_requests->len ? g_ptr_array_index (app_requests, i) : NULL, ==,
                     i < cli_requests->len ? g_ptr_array_index (cli_requests, i) : NULL);

  /* Both saved the same bytes. */
  {
    g_autoptr(GPtrArray) app_files = mh_test_list_dir (app_out);
    g_autoptr(GPtrArray) cli_files = mh_test_list_dir (cli_out);
    g_autofree char *app_file = NULL;
    g_autofree char *cli_file = NULL;
    g_autofree char *app_sha = NULL;
    g_autofree char *cli_sha = NULL;

    g_assert_cmpuint (app_files->len, ==, 1);
    g_assert_cmpuint (cli_files->len, ==, 1);
    app_file = g_build_filename (app_out, (char *) g_ptr_array_index (app_files, 0), NULL);
    cli_file = g_build_filename (cli_out, (char *) g_ptr_array_index (cli_files, 0), NULL);
    app_sha = mh_test_file_sha256 (app_file);
    cli_sha = mh_test_file_sha256 (cli_file);
    g_assert_cmpstr (app_sha, ==, cli_sha);
  }

  job_watch_clear (&watch);
  gtk_window_destroy (GTK_WINDOW (win));
  g_object_unref (application);
}

static void
test_same_requests_as_cli (void)
{
  /* In a process of its own: the environment is read when the app starts. */
  if (g_test_subprocess ())
    {
      same_requests_as_cli ();
      return;
    }
  g_test_trap_subprocess (NULL, 0,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  const char *shots = g_getenv ("MH_SCREENSHOT_DIR");
  int status;

  /* GStreamer's GL upload can crash on software GL (llvmpipe under Xvfb);
   * with cairo the video sink needs no GL. Set GDK_DEBUG to test with GL. */
  if (g_getenv ("GDK_DEBUG") == NULL)
    g_setenv ("GDK_DEBUG", "gl-disable", TRUE);

  tmp_dir = mh_test_make_tmp_dir ();
  /* A job history of our own: the real-mode part records its job. */
  mh_app_test_isolate (tmp_dir);

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      mh_test_rm_rf (tmp_dir);
      return 77;
    }
  adw_init ();

  if (shots != NULL && *shots != '\0')
    {
      screenshot_dir = g_strdup (shots);
      g_assert_cmpint (g_mkdir_with_parents (screenshot_dir, 0755), ==, 0);
    }

  /* In this order: the welcome page comes before the demo starts. */
  g_test_add_func ("/app/end-to-end/welcome", test_welcome);
  g_test_add_data_func ("/app/end-to-end/talking-photo", "talking-photo", test_tool);
  g_test_add_data_func ("/app/end-to-end/lip-sync", "lip-sync", test_tool);
  g_test_add_data_func ("/app/end-to-end/headshot", "headshot", test_tool);
  g_test_add_func ("/app/end-to-end/narrow", test_narrow);
  g_test_add_func ("/app/end-to-end/same-requests-as-cli", test_same_requests_as_cli);

  status = g_test_run ();

  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  mh_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  g_free (screenshot_dir);

  return status;
}
