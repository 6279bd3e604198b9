/* test-startup.c: the window's first frame comes before anything slow
 *
 * The app runs for real (g_application_run, in a process of its own per
 * test) with its key in the keyring (libsecret's file backend), a history
 * of one finished job on disk, and the simulator as its API. At the first
 * frame its window painted, the keyring has not been asked, the history
 * not read, the account not requested (the simulator received nothing) and
 * the files given on the command line not taken yet; the window shows its
 * loading page then (its spinner still: it turns only if the wait is
 * long), not "enter a key", and the tool pages and History, which it does
 * not show, are not built yet. After it, all of that happens, in that
 * order, and the window shows the tools (the tab asked for), the job in
 * History and the files in their slots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>

#include "mh-app-test-util.h"
#include "mh-application.h"
#include "mh-file-row.h"
#include "mh-keyring.h"
#include "mh-simulator.h"
#include "mh-startup-trace.h"
#include "mh-test-bus.h"
#include "mh-test-util.h"
#include "mh-tool-form.h"
#include "mh-window-private.h"

#define WIDTH 1000
#define HEIGHT 760
#define JOB_NAME "Startup portrait"

static MhTestFixture fx;

/* What the first frame showed, taken in its after-paint. */
typedef struct
{
  MhApplication *app;
  MhWindow      *window;
  GdkFrameClock *clock;
  gulong         after_paint_id;
  gboolean       painted;
  gboolean       stepped;
  guint          account_requests;
  gboolean       key_checked;
  gboolean       store_loaded;
  char          *main_page;
  gboolean       spinning;
  gboolean       had_shortcuts;
  gboolean       had_pages;
  int            pages_built;
  char          *visible_tool;
  int            files_added;
  const char    *tool_id;   /* given with --tool, or NULL */
  gboolean       demo;      /* --demo */
} Run;

static GtkStack *
find_stack_with_page (GtkWidget  *root,
                      const char *page)
{
  GtkWidget *found = NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL && found == NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_STACK (child) && gtk_stack_get_child_by_name (GTK_STACK (child), page) != NULL)
        return GTK_STACK (child);
      found = GTK_WIDGET (find_stack_with_page (child, page));
    }
  return GTK_STACK (found);
}

/* The window's stack of loading / welcome / tools. */
static GtkStack *
main_stack (MhWindow *window)
{
  GtkStack *stack = find_stack_with_page (GTK_WIDGET (window), "welcome");

  g_assert_nonnull (stack);
  return stack;
}

/* The History page's stack of loading / empty / history. */
static GtkStack *
history_stack (MhWindow *window)
{
  GtkStack *stack = find_stack_with_page (mh_window_get_history_page (window), "empty");

  g_assert_nonnull (stack);
  return stack;
}

static MhFileRow *
image_row (MhWindow *window)
{
  GtkWidget *form = mh_window_get_form (window, "headshot");

  return MH_FILE_ROW (mh_tool_form_get_slot_row (MH_TOOL_FORM (form), "image"));
}

static void
first_after_paint_cb (GdkFrameClock *clock,
                      Run           *run)
{
  g_clear_signal_handler (&run->after_paint_id, run->clock);
  run->painted = TRUE;
  run->account_requests = mh_simulator_count_requests (fx.sim, MH_SIM_ENDPOINT_ACCOUNT);
  run->key_checked = mh_application_get_key_checked (run->app);
  run->store_loaded = mh_application_get_store_loaded (run->app);
  run->main_page = g_strdup (gtk_stack_get_visible_child_name (main_stack (run->window)));
  run->spinning = gtk_spinner_get_spinning (GTK_SPINNER (gtk_stack_get_child_by_name (main_stack (run->window), "loading")));
  run->had_shortcuts = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (run->window)) != NULL;
  /* Not through mh_window_get_history_page(): asking builds the pages. */
  run->had_pages = adw_view_stack_get_child_by_name (mh_window_get_view_stack (run->window), "history") != NULL;
  run->pages_built = mh_startup_trace_index_of ("pages-built");
  run->visible_tool = g_strdup (adw_view_stack_get_visible_child_name (mh_window_get_view_stack (run->window)));
  run->files_added = mh_startup_trace_index_of ("files-added");
}

/* Connected before the app's own watch (it connects after present): this
 * handler sees the first frame before the app reacts to it. */
static void
window_mapped_cb (GtkWidget *widget,
                  Run       *run)
{
  if (run->clock != NULL)
    return;
  run->clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  run->after_paint_id = g_signal_connect (run->clock, "after-paint", G_CALLBACK (first_after_paint_cb), run);
}

static void
window_added_cb (GtkApplication *application,
                 GtkWindow      *window,
                 Run            *run)
{
  if (!MH_IS_WINDOW (window) || run->window != NULL)
    return;
  run->window = MH_WINDOW (window);
  gtk_window_set_default_size (window, WIDTH, HEIGHT);
  g_signal_connect (window, "map", G_CALLBACK (window_mapped_cb), run);
}

static gboolean
app_ready (gpointer data)
{
  Run *run = data;

  return mh_application_get_key_checked (run->app) && mh_application_get_store_loaded (run->app) &&
         mh_simulator_count_requests (fx.sim, MH_SIM_ENDPOINT_ACCOUNT) > 0 &&
         (run->tool_id == NULL || mh_file_row_get_value (image_row (run->window)) != NULL);
}

static gboolean
painted (gpointer data)
{
  return ((Run *) data)->painted;
}

/* @first happened, and before @then. */
static void
assert_before (const char *first,
               const char *then)
{
  int a = mh_startup_trace_index_of (first);
  int b = mh_startup_trace_index_of (then);

  if (a < 0 || b < 0 || a >= b)
    {
      g_autofree char *stages = g_strjoinv (", ", (char **) mh_startup_trace_get_stages ());

      g_error ("“%s” should come before “%s”; the start went: %s", first, then, stages);
    }
}

static gboolean
step_idle_cb (gpointer data)
{
  Run *run = data;

  mh_test_wait_for (painted, run, MH_TEST_TIMEOUT, "the first frame");

  /* The first frame: nothing slow had begun, and the window said it was
   * loading, not that there is no key nor that the history is empty. */
  g_assert_cmpuint (run->account_requests, ==, 0);
  g_assert_false (run->key_checked);
  g_assert_false (run->store_loaded);
  g_assert_cmpint (mh_startup_trace_index_of ("first-frame"), >=, 0);
  g_assert_cmpstr (run->main_page, ==, "loading");
  /* Still: a short wait needs no spinner, whose frames would slow it. */
  g_assert_false (run->spinning);
  /* The shortcuts window is built after it too. */
  g_assert_false (run->had_shortcuts);
  /* And the pages it does not show: the tools and History. */
  g_assert_false (run->had_pages);
  g_assert_cmpint (run->pages_built, ==, -1);
  /* The files come after it. */
  g_assert_cmpint (run->files_added, ==, -1);

  mh_test_wait_for (app_ready, run, MH_TEST_TIMEOUT, "the key, the history, the account and the file");

  assert_before ("window-presented", "first-frame");
  assert_before ("first-frame", "keyring-lookup");
  assert_before ("keyring-lookup", "key-checked");
  assert_before ("first-frame", "history-load");
  assert_before ("first-frame", "account-request");
  /* Built while the keyring answers, so the tools are there when it has. */
  assert_before ("first-frame", "pages-built");
  assert_before ("pages-built", "key-checked");
  if (run->tool_id != NULL)
    assert_before ("pages-built", "files-added");

  /* Then the window shows what it was loading. */
  g_assert_true (mh_application_get_has_key (run->app));
  mh_app_test_wait_for_frames (GTK_WIDGET (run->window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack (run->window)), ==, "tools");
  /* The tab asked for on the command line, which the next start shows too. */
  if (run->tool_id != NULL)
    {
      g_autofree char *last = g_settings_get_string (mh_application_get_settings (run->app), "last-tool");

      g_assert_cmpstr (adw_view_stack_get_visible_child_name (mh_window_get_view_stack (run->window)), ==,
                       run->tool_id);
      g_assert_cmpstr (last, ==, run->tool_id);
    }
  /* Ctrl+? works. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (run->window)));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (run->window), "show-help-overlay"));
  mh_window_show_history (run->window);
  mh_app_test_wait_for_label (mh_window_get_history_page (run->window), JOB_NAME);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (history_stack (run->window)), ==, "history");
  if (run->tool_id != NULL)
    g_assert_true (g_str_has_suffix (mh_file_row_get_value (image_row (run->window)), "face.png"));

  run->stepped = TRUE;
  g_application_quit (G_APPLICATION (run->app));
  return G_SOURCE_REMOVE;
}

/* The demo needs no key: its first frame shows the tools, so their pages
 * are built before it, with the tab asked for. */
static gboolean
demo_step_idle_cb (gpointer data)
{
  Run *run = data;

  mh_test_wait_for (painted, run, MH_TEST_TIMEOUT, "the first frame");

  g_assert_cmpstr (run->main_page, ==, "tools");
  g_assert_true (run->had_pages);
  g_assert_cmpint (run->pages_built, >=, 0);
  assert_before ("pages-built", "first-frame");
  g_assert_cmpstr (run->visible_tool, ==, run->tool_id);

  run->stepped = TRUE;
  g_application_quit (G_APPLICATION (run->app));
  return G_SOURCE_REMOVE;
}

static void
activate_cb (GApplication *application,
             Run          *run)
{
  if (!run->stepped)
    g_idle_add (run->demo ? demo_step_idle_cb : step_idle_cb, run);
}

static void
run_app (Run   *run,
         char **argv)
{
  run->app = mh_application_new ();
  g_application_set_flags (G_APPLICATION (run->app),
                           g_application_get_flags (G_APPLICATION (run->app)) | G_APPLICATION_NON_UNIQUE);
  g_signal_connect (run->app, "window-added", G_CALLBACK (window_added_cb), run);
  g_signal_connect_after (run->app, "activate", G_CALLBACK (activate_cb), run);
  g_assert_cmpint (g_application_run (G_APPLICATION (run->app), g_strv_length (argv), argv), ==, 0);
  g_assert_true (run->stepped);

  g_clear_object (&run->clock);
  g_clear_object (&run->app);
  g_free (run->main_page);
  g_free (run->visible_tool);
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
/* What the app finds when it starts                                        */

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (mh_keyring_store_finish (result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* The key in the keyring, as Preferences saves it. */
static void
store_key (void)
{
  gboolean stored = FALSE;

  mh_keyring_store_async (MH_TEST_KEY, NULL, stored_cb, &stored);
  mh_test_wait_for_flag (&stored, MH_TEST_TIMEOUT, "the key stored");
}

/* A finished headshot in the history, as the app or the CLI writes it. */
static void
write_history (void)
{
  g_autoptr(GFile) dir = mh_job_store_default_dir ();
  g_autofree char *path = g_file_get_path (dir);
  g_autofree char *record = NULL;
  g_autofree char *file = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  record = g_strdup_printf ("{\n"
                            "  \"version\" : 1,\n"
                            "  \"id\" : \"0f6f1c2e-5a7b-4c1d-9e2f-3a4b5c6d7e8f\",\n"
                            "  \"tool\" : \"headshot\",\n"
                            "  \"name\" : \"" JOB_NAME "\",\n"
                            "  \"inputs\" : { \"image\" : \"%s/face.png\" },\n"
                            "  \"input_names\" : { },\n"
                            "  \"options\" : { },\n"
                            "  \"api\" : \"%s\",\n"
                            "  \"project\" : { \"id\" : \"startupproject1\", \"kind\" : \"image\", \"deleted\" : false },\n"
                            "  \"state\" : \"done\",\n"
                            "  \"credits\" : 50,\n"
                            "  \"created\" : \"2026-12-01T10:00:00Z\",\n"
                            "  \"updated\" : \"2026-12-01T10:00:20Z\",\n"
                            "  \"output_dir\" : \"%s\",\n"
                            "  \"output_files\" : [ ],\n"
                            "  \"error\" : null\n"
                            "}\n",
                            fx.tmp, mh_simulator_get_base_url (fx.sim), fx.out);
  file = g_build_filename (path, "0f6f1c2e-5a7b-4c1d-9e2f-3a4b5c6d7e8f.json", NULL);
  g_file_set_contents (file, record, -1, &error);
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                    */

static void
plain_start (void)
{
  Run run = { 0 };
  char *argv[] = { (char *) "test-app-startup", NULL };

  store_key ();
  write_history ();
  mh_startup_trace_reset ();
  run_app (&run, argv);
}

static void
test_slow_work_after_first_frame (void)
{
  IN_SUBPROCESS (plain_start ());
}

static void
start_with_file (void)
{
  Run run = { 0 };
  g_autofree char *image = mh_test_write_png (fx.tmp, "face.png");
  char *argv[] = { (char *) "test-app-startup", (char *) "--tool", (char *) "headshot", image, NULL };

  store_key ();
  write_history ();
  mh_startup_trace_reset ();
  run.tool_id = "headshot";
  run_app (&run, argv);
}

static void
test_files_after_first_frame (void)
{
  IN_SUBPROCESS (start_with_file ());
}

static void
start_demo (void)
{
  Run run = { 0 };
  char *argv[] = { (char *) "test-app-startup", (char *) "--demo", (char *) "--tool", (char *) "lip-sync", NULL };

  mh_startup_trace_reset ();
  run.tool_id = "lip-sync";
  run.demo = TRUE;
  run_app (&run, argv);
}

static void
test_demo_pages_in_first_frame (void)
{
  IN_SUBPROCESS (start_demo ());
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_dir = NULL;
  g_autofree char *keyring = NULL;
  int status;

  mh_test_fixture_setup (&fx, NULL);
  mh_simulator_set_required_key (fx.sim, MH_TEST_KEY);

  /* Before anything reads them: the history, the keyring and the API are
   * this test's own; the key comes from the keyring, not the environment. */
  data_dir = g_build_filename (fx.tmp, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  keyring = g_build_filename (fx.tmp, "keyring.secrets", NULL);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("MAGIC_HOUR_API_BASE_URL", mh_simulator_get_base_url (fx.sim), TRUE);
  g_setenv ("MAGIC_HOUR_API_KEY", "", TRUE);

  g_test_init (&argc, &argv, NULL);

  /* A bus of this process's own, before GTK connects to one. */
  mh_test_bus_up ();

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      mh_test_fixture_teardown (&fx, NULL);
      mh_test_bus_down ();
      return 77;
    }
  adw_init ();

  g_test_add_func ("/app/startup/slow-work-after-first-frame", test_slow_work_after_first_frame);
  g_test_add_func ("/app/startup/files-after-first-frame", test_files_after_first_frame);
  g_test_add_func ("/app/startup/demo-pages-in-first-frame", test_demo_pages_in_first_frame);

  status = g_test_run ();
  mh_test_fixture_teardown (&fx, NULL);
  mh_test_bus_down ();
  return status;
}
