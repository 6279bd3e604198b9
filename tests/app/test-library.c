/* test-library.c: a saved item of the user's library, chosen in the app
 *
 * In demo mode (the built-in simulator serves a few saved items) the photo
 * row of AI Headshot opens "From Your Library…": the dialog lists the
 * characters and references with their names and previews, filters them by
 * name, and the one chosen goes into the row (shown by its name). Generate
 * sends its saved-items path as it is, with no upload; the history names the
 * job after the item, and "run again" shows the name again.
 *
 * Screenshots of the dialog (light, dark, 360 px wide) go to
 * $MH_SCREENSHOT_DIR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <string.h>

#include "mh-application.h"
#include "mh-file-row.h"
#include "mh-job-record.h"
#include "mh-job-store.h"
#include "mh-library-dialog.h"
#include "mh-params.h"
#include "mh-simulator.h"
#include "mh-app-test-util.h"
#include "mh-test-bus.h"
#include "mh-test-util.h"
#include "mh-tool-form.h"
#include "mh-window.h"

static char *tmp_dir;
/* The demo app, shared by the tests in order (one per process: it exports
 * itself on the bus). */
static MhApplication *app;

static MhApplication *
new_demo_app (void)
{
  MhApplication *application;
  g_autofree char *video = g_build_filename (tmp_dir, "videos", NULL);
  g_autofree char *image = g_build_filename (tmp_dir, "pictures", NULL);
  MhClient *client;

  if (app != NULL)
    return app;
  app = application = mh_application_new ();
  mh_app_test_register (application);
  mh_test_wait_for (mh_app_test_key_checked, application, MH_TEST_TIMEOUT, "the key lookup");

  g_action_group_activate_action (G_ACTION_GROUP (application), "demo", NULL);
  g_assert_true (mh_application_get_demo (application));
  mh_simulator_set_render_seconds (mh_application_get_simulator (application), 0.5);
  client = mh_application_get_client (application);
  mh_client_set_poll_scale (client, 0.1);
  mh_client_set_retry_policy (client, 4, 0.01, 0.05);
  g_settings_set_string (mh_application_get_settings (application), "output-folder-video", video);
  g_settings_set_string (mh_application_get_settings (application), "output-folder-image", image);

  return application;
}

/* ------------------------------------------------------------------------ */

static gboolean
match_name (GtkWidget     *widget,
            gconstpointer  data)
{
  return g_strcmp0 (gtk_widget_get_name (widget), data) == 0;
}

static MhLibraryDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (MH_IS_LIBRARY_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return MH_LIBRARY_DIALOG (window);
    }
  return NULL;
}

static gboolean
dialog_open (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
dialog_closed (gpointer data)
{
  return find_dialog () == NULL;
}

static gboolean
dialog_loaded (gpointer data)
{
  MhLibraryDialog *dialog = data;

  return !mh_library_dialog_get_loading (dialog) && mh_library_dialog_get_n_items (dialog) > 0;
}

/* The rows the list shows now (mapped, so not filtered out). */
static GPtrArray *
shown_rows (MhLibraryDialog *dialog)
{
  GtkWidget *list = mh_app_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_LIST_BOX, NULL, NULL);
  GPtrArray *rows = g_ptr_array_new ();

  g_assert_nonnull (list);
  for (GtkWidget *child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (ADW_IS_ACTION_ROW (child) && gtk_widget_get_mapped (child))
      g_ptr_array_add (rows, child);

  return rows;
}

static gboolean
only_ben_shown (gpointer data)
{
  g_autoptr(GPtrArray) rows = shown_rows (data);

  return rows->len == 1 &&
         g_str_equal (adw_preferences_row_get_title (g_ptr_array_index (rows, 0)), "Ben");
}

static gboolean
image_has_paintable (GtkWidget     *widget,
                     gconstpointer  data)
{
  return gtk_image_get_storage_type (GTK_IMAGE (widget)) == GTK_IMAGE_PAINTABLE;
}

/* Every row's preview was downloaded and decoded (image rows). */
static gboolean
previews_loaded (gpointer data)
{
  g_autoptr(GPtrArray) rows = shown_rows (data);

  for (guint i = 0; i < rows->len; i++)
    if (mh_app_test_find_widget (g_ptr_array_index (rows, i), GTK_TYPE_IMAGE,
                                 image_has_paintable, NULL) == NULL)
      return FALSE;
  return rows->len > 0;
}

static void
screenshots (GtkWidget  *dialog,
             const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light = g_strdup_printf ("app-%s-light.png", name);
  g_autofree char *dark = g_strdup_printf ("app-%s-dark.png", name);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  mh_app_test_wait_until_still (dialog);
  mh_app_test_save_screenshot (dialog, light);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  mh_app_test_wait_until_still (dialog);
  mh_app_test_save_screenshot (dialog, dark);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
}

static gboolean
job_finished (gpointer data)
{
  GListModel *jobs = data;
  g_autoptr(MhJob) job = g_list_model_get_n_items (jobs) > 0 ? g_list_model_get_item (jobs, 0) : NULL;

  return job != NULL && mh_job_state_is_finished (mh_job_get_state (job));
}

static void
test_choose_and_generate (void)
{
  MhSimulator *sim = mh_application_get_simulator (new_demo_app ());
  MhWindow *window = mh_window_new (app);
  GListModel *jobs = mh_application_get_jobs (app);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(MhJob) job = NULL;
  g_autofree char *path = NULL;
  GtkWidget *form, *row, *button, *search;
  MhLibraryDialog *dialog;
  MhSimRequest *create;
  MhJobRecord *record;
  const char *subtitle;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 760);
  gtk_window_present (GTK_WINDOW (window));
  mh_app_test_wait_for_frames (GTK_WIDGET (window));
  mh_window_show_tool (window, "headshot");
  form = mh_window_get_form (window, "headshot");
  row = mh_tool_form_get_slot_row (MH_TOOL_FORM (form), "image");
  mh_app_test_wait_for_frames (row);

  /* The row offers the library next to the file and the link. */
  button = mh_app_test_find_widget (row, GTK_TYPE_BUTTON, match_name, "library-button");
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "From Your Library…");
  g_assert_nonnull (mh_app_test_find_widget (row, GTK_TYPE_BUTTON, match_name, "pick-button"));
  g_assert_nonnull (mh_app_test_find_widget (row, GTK_TYPE_MENU_BUTTON, match_name, "link-button"));
  g_assert_true (gtk_widget_activate (button));
  mh_test_wait_for (dialog_open, NULL, MH_TEST_TIMEOUT, "the library to open");
  dialog = find_dialog ();
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  mh_test_wait_for (dialog_loaded, dialog, MH_TEST_TIMEOUT, "the library's first page");
  mh_app_test_wait_for_frames (GTK_WIDGET (dialog));

  /* The characters and references with a picture, newest first; not the
   * voices, the video reference or the moodboard. */
  rows = shown_rows (dialog);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 0)), ==, "Ava");
  g_assert_cmpstr (adw_action_row_get_subtitle (g_ptr_array_index (rows, 0)), ==, "Character");
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 1)), ==, "Ben");
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 2)), ==, "Office Backdrop");
  g_assert_cmpstr (adw_action_row_get_subtitle (g_ptr_array_index (rows, 2)), ==, "Reference");
  g_assert_null (mh_app_test_find_label (GTK_WIDGET (dialog), "Narrator"));
  g_assert_null (mh_app_test_find_label (GTK_WIDGET (dialog), "Studio Clip"));
  /* One page held them all: no "Load More". */
  g_assert_null (mh_app_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, match_name, "library-more"));

  /* Previews from the signed URLs: storage GETs without the key. */
  mh_test_wait_for (previews_loaded, dialog, MH_TEST_TIMEOUT, "the previews");
  g_assert_cmpuint (mh_simulator_count_requests (sim, MH_SIM_ENDPOINT_SAVED_ITEM_FILE), ==, 3);
  {
    GPtrArray *requests = mh_test_requests (sim, MH_SIM_ENDPOINT_SAVED_ITEM_FILE);

    for (guint i = 0; i < requests->len; i++)
      g_assert_null (((MhSimRequest *) g_ptr_array_index (requests, i))->authorization);
    g_ptr_array_unref (requests);
  }
  screenshots (GTK_WIDGET (dialog), "library-dialog");
  gtk_window_set_default_size (GTK_WINDOW (dialog), 360, 560);
  mh_app_test_wait_for_frames (GTK_WIDGET (dialog));
  screenshots (GTK_WIDGET (dialog), "library-dialog-narrow");

  /* The search filters by name, whatever the case. */
  search = mh_app_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_SEARCH_ENTRY, NULL, NULL);
  g_assert_nonnull (search);
  gtk_editable_set_text (GTK_EDITABLE (search), "bEn");
  mh_test_wait_for (only_ben_shown, dialog, MH_TEST_TIMEOUT, "the search to filter");
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = shown_rows (dialog);

  /* Choosing it (Return on the row) closes the dialog and fills the row. */
  g_assert_true (gtk_widget_activate (g_ptr_array_index (rows, 0)));
  mh_test_wait_for (dialog_closed, NULL, MH_TEST_TIMEOUT, "the library to close");
  path = g_strdup (mh_file_row_get_value (MH_FILE_ROW (row)));
  g_assert_nonnull (path);
  g_assert_true (g_str_has_prefix (path, "saved-items/"));
  g_assert_true (g_str_has_suffix (path, "/ben.png"));
  g_assert_cmpstr (mh_file_row_get_item_name (MH_FILE_ROW (row)), ==, "Ben");
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_assert_true (g_str_has_prefix (subtitle, "Ben"));
  g_assert_null (strstr (subtitle, "saved-items/"));
  g_assert_nonnull (mh_app_test_find_widget (row, GTK_TYPE_PICTURE, NULL, NULL));
  screenshots (GTK_WIDGET (window), "library-chosen");

  /* Generate: the create has the path as it is, and nothing was uploaded. */
  mh_simulator_clear_requests (sim);
  mh_test_wait_for (mh_app_test_can_generate, form, MH_TEST_TIMEOUT, "Generate to become available");
  g_assert_true (gtk_widget_activate (mh_tool_form_get_generate_button (MH_TOOL_FORM (form))));
  mh_test_wait_for (job_finished, jobs, 4 * MH_TEST_TIMEOUT, "the job to end");
  job = g_list_model_get_item (jobs, 0);
  if (mh_job_get_state (job) != MH_JOB_STATE_DONE)
    g_error ("The job ended %s: %s", mh_job_state_to_string (mh_job_get_state (job)),
             mh_job_get_error (job) != NULL ? mh_job_get_error (job)->message : "no error");
  create = mh_test_request (sim, MH_SIM_ENDPOINT_CREATE, 0);
  g_assert_cmpstr (mh_test_json_get_string (create->json, "assets.image_file_path"), ==, path);
  g_assert_null (mh_test_json_get (create->json, "image:name"));
  g_assert_cmpuint (mh_simulator_count_requests (sim, MH_SIM_ENDPOINT_UPLOAD_URLS), ==, 0);
  g_assert_cmpuint (mh_simulator_count_requests (sim, MH_SIM_ENDPOINT_UPLOAD), ==, 0);

  /* The history keeps the path and names the job after the item. */
  record = mh_job_get_record (job);
  g_assert_nonnull (record);
  g_assert_cmpstr (mh_params_get (mh_job_record_get_params (record), "image"), ==, path);
  g_assert_cmpstr (mh_job_record_get_name (record), ==, "Ben");
  mh_window_show_history (window);
  mh_app_test_wait_for_label (GTK_WIDGET (window), "Ben");

  /* Run again fills the form: the row shows the name again. */
  mh_file_row_clear (MH_FILE_ROW (row));
  g_assert_null (mh_file_row_get_item_name (MH_FILE_ROW (row)));
  mh_tool_form_set_params (MH_TOOL_FORM (form), mh_job_record_get_params (record));
  g_assert_cmpstr (mh_file_row_get_value (MH_FILE_ROW (row)), ==, path);
  g_assert_cmpstr (mh_file_row_get_item_name (MH_FILE_ROW (row)), ==, "Ben");

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* An audio slot lists the voices; closing the dialog chooses nothing. */
static void
test_voices_and_close (void)
{
  MhWindow *window = mh_window_new (new_demo_app ());
  GtkWidget *form, *row;
  MhLibraryDialog *dialog;

  gtk_window_present (GTK_WINDOW (window));
  mh_app_test_wait_for_frames (GTK_WIDGET (window));
  mh_window_show_tool (window, "talking-photo");
  form = mh_window_get_form (window, "talking-photo");
  row = mh_tool_form_get_slot_row (MH_TOOL_FORM (form), "audio");
  mh_app_test_wait_for_frames (row);

  g_assert_true (gtk_widget_activate (mh_app_test_find_widget (row, GTK_TYPE_BUTTON, match_name,
                                                               "library-button")));
  mh_test_wait_for (dialog_open, NULL, MH_TEST_TIMEOUT, "the library to open");
  dialog = find_dialog ();
  g_assert_cmpint (mh_library_dialog_get_kind (dialog), ==, MH_ASSET_AUDIO);
  mh_test_wait_for (dialog_loaded, dialog, MH_TEST_TIMEOUT, "the library's first page");
  mh_app_test_wait_for_frames (GTK_WIDGET (dialog));
  /* The voices, with an icon for a preview. */
  {
    g_autoptr(GPtrArray) rows = shown_rows (dialog);

    g_assert_cmpuint (rows->len, ==, 2);
    g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 0)), ==, "Narrator");
    g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 1)), ==, "Calm Voice");
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  mh_test_wait_for (dialog_closed, NULL, MH_TEST_TIMEOUT, "the library to close");
  g_assert_null (mh_file_row_get_value (MH_FILE_ROW (row)));

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
error_page_shown (gpointer data)
{
  return mh_app_test_find_label (data, "Your Library Could Not Be Loaded") != NULL &&
         !mh_library_dialog_get_loading (data);
}

static gboolean
n_items_is (gpointer data)
{
  MhLibraryDialog *dialog = ((gpointer *) data)[0];

  return !mh_library_dialog_get_loading (dialog) &&
         mh_library_dialog_get_n_items (dialog) == GPOINTER_TO_UINT (((gpointer *) data)[1]);
}

/* A library of 25 photos: a first page of 20, then "Load More" for the
 * rest; a refusal of the API says so with "Try Again". */
static void
test_pages_and_errors (void)
{
  MhSimulator *sim = mh_application_get_simulator (new_demo_app ());
  MhWindow *window = mh_window_new (app);
  g_autofree char *library = g_build_filename (tmp_dir, "library", NULL);
  GtkWidget *form, *row, *more, *retry;
  MhLibraryDialog *dialog;
  gpointer wait[2];

  g_assert_cmpint (g_mkdir_with_parents (library, 0700), ==, 0);
  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *name = g_strdup_printf ("Person %02u.png", i);

      g_free (mh_test_write_png (library, name));
    }
  g_object_set (sim, "library-dir", library, NULL);
  /* The first list is refused (an expired key, as the API would say). */
  mh_simulator_add_fault (sim, MH_SIM_ENDPOINT_SAVED_ITEMS, MH_SIM_FAULT_STATUS, 1, 401, NULL);

  gtk_window_present (GTK_WINDOW (window));
  mh_app_test_wait_for_frames (GTK_WIDGET (window));
  mh_window_show_tool (window, "talking-photo");
  form = mh_window_get_form (window, "talking-photo");
  row = mh_tool_form_get_slot_row (MH_TOOL_FORM (form), "image");
  mh_app_test_wait_for_frames (row);
  g_assert_true (gtk_widget_activate (mh_app_test_find_widget (row, GTK_TYPE_BUTTON, match_name,
                                                               "library-button")));
  mh_test_wait_for (dialog_open, NULL, MH_TEST_TIMEOUT, "the library to open");
  dialog = find_dialog ();

  mh_test_wait_for (error_page_shown, dialog, MH_TEST_TIMEOUT, "the error page");
  retry = mh_app_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, match_name, "library-retry");
  g_assert_nonnull (retry);
  g_assert_true (gtk_widget_activate (retry));

  wait[0] = dialog;
  wait[1] = GUINT_TO_POINTER (20);
  mh_test_wait_for (n_items_is, wait, MH_TEST_TIMEOUT, "the first page");
  mh_app_test_wait_for_frames (GTK_WIDGET (dialog));
  more = mh_app_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, match_name, "library-more");
  g_assert_nonnull (more);

  g_assert_true (gtk_widget_activate (more));
  wait[1] = GUINT_TO_POINTER (25);
  mh_test_wait_for (n_items_is, wait, MH_TEST_TIMEOUT, "the second page");
  mh_app_test_wait_for_frames (GTK_WIDGET (dialog));
  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *name = g_strdup_printf ("Person %02u", i);

      g_assert_nonnull (mh_app_test_find_label (GTK_WIDGET (dialog), name));
    }
  g_assert_null (mh_app_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, match_name, "library-more"));
  /* The second page was asked for with the first one's cursor. */
  {
    g_autoptr(GPtrArray) lists = mh_test_requests (sim, MH_SIM_ENDPOINT_SAVED_ITEMS);
    MhSimRequest *last = g_ptr_array_index (lists, lists->len - 1);
    MhSimRequest *before = g_ptr_array_index (lists, lists->len - 2);

    g_assert_null (strstr (before->query, "cursor="));
    g_assert_nonnull (strstr (last->query, "cursor="));
  }

  gtk_window_close (GTK_WINDOW (dialog));
  mh_test_wait_for (dialog_closed, NULL, MH_TEST_TIMEOUT, "the library to close");
  g_object_set (sim, "library-dir", NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (g_getenv ("GDK_DEBUG") == NULL)
    g_setenv ("GDK_DEBUG", "gl-disable", TRUE);

  tmp_dir = mh_test_make_tmp_dir ();
  mh_app_test_isolate (tmp_dir);

  g_test_init (&argc, &argv, NULL);

  /* A bus of this process's own, before GTK connects to one: the app
   * notifies there when a job ends and no window of it is focused. */
  mh_test_bus_up ();

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      mh_test_bus_down ();
      mh_test_rm_rf (tmp_dir);
      return 77;
    }
  adw_init ();

  g_test_add_func ("/app/library/choose-and-generate", test_choose_and_generate);
  g_test_add_func ("/app/library/voices-and-close", test_voices_and_close);
  g_test_add_func ("/app/library/pages-and-errors", test_pages_and_errors);

  status = g_test_run ();

  g_clear_object (&app);
  mh_test_bus_down ();
  mh_test_rm_rf (tmp_dir);
  g_free (tmp_dir);

  return status;
}
