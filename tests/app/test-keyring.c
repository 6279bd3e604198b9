/* test-keyring.c: the app with a keyring that never answers
 *
 * The app runs for real (g_application_run, in a process of its own) with
 * no key in the environment, against a Secret Service on its own session
 * bus that takes every call and never replies (mh-test-silent-keyring.h),
 * as a hung keyring daemon does, or libsecret 0.20.5 in Flatpak when it
 * loses the Secret portal's answer. Within the keyring's time limit the
 * window leaves its loading page for the welcome page, which says the
 * keyring did not answer. Preferences, opened from there, says the same
 * in its key row instead of waiting; a key entered is checked, then its
 * store gives up in turn: the row says it was not saved and can be used
 * again, and the app uses the key until it quits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <locale.h>

#include "mh-app-resources.h"
#include "mh-app-test-util.h"
#include "mh-application.h"
#include "mh-keyring.h"
#include "mh-preferences-window.h"
#include "mh-test-bus.h"
#include "mh-test-silent-keyring.h"
#include "mh-test-util.h"

#define LIMIT_SECONDS ((double) MH_KEYRING_TIMEOUT_SECONDS)
/* The machine is busy: the window may get there late, never early. */
#define SLACK_SECONDS 10.0
#define WELCOME_SENTENCE "Your keyring did not answer, so a saved key could not be read."

static MhTestFixture fx;

typedef struct
{
  MhApplication       *app;
  MhWindow            *window;
  MhTestSilentKeyring *keyring;
  gint64               started;
  gboolean             stepped;
} Run;

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

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

static const char *
main_page (MhWindow *window)
{
  GtkStack *stack = find_stack_with_page (GTK_WIDGET (window), "welcome");

  g_assert_nonnull (stack);
  return gtk_stack_get_visible_child_name (stack);
}

static gboolean
welcome_shown (gpointer data)
{
  Run *run = data;

  return run->window != NULL && g_strcmp0 (main_page (run->window), "welcome") == 0;
}

static gboolean
tools_shown (gpointer data)
{
  return g_strcmp0 (main_page (((Run *) data)->window), "tools") == 0;
}

/* ---- Preferences ---------------------------------------------------------- */

static GtkWidget *
get_named (GtkWidget  *root,
           const char *name)
{
  GtkWidget *widget = mh_app_test_find_named (root, name);

  if (widget == NULL)
    g_error ("No widget named “%s”", name);
  return widget;
}

typedef struct
{
  GtkWidget  *window;
  const char *prefix;
} RowWait;

/* The key status row shows an outcome starting with @prefix, its spinner
 * gone. */
static gboolean
key_status_is (gpointer data)
{
  RowWait *wait = data;
  GtkWidget *row = get_named (wait->window, "key-status-row");

  return gtk_widget_get_visible (row) &&
         !gtk_widget_get_visible (get_named (wait->window, "key-spinner")) &&
         g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), wait->prefix);
}

static GtkWidget *
find_text (GtkWidget *root)
{
  if (GTK_IS_TEXT (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_text (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Opened from the welcome page, as a person does; its look-up gives up,
 * then the store of a key typed in. */
static void
check_preferences (Run *run)
{
  GtkWidget *prefs;
  GtkWidget *key_row;
  RowWait wait = { NULL, NULL };
  gint64 opened;

  opened = g_get_monotonic_time ();
  mh_app_test_click (mh_app_test_find_button (GTK_WIDGET (run->window), "Enter API Key"));
  prefs = mh_app_test_find_toplevel (MH_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (prefs);
  wait.window = prefs;

  wait.prefix = WELCOME_SENTENCE;
  mh_test_wait_for (key_status_is, &wait, LIMIT_SECONDS + SLACK_SECONDS, "the key row to say the keyring did not answer");
  g_assert_cmpfloat (seconds_since (opened), >=, LIMIT_SECONDS - 0.5);
  key_row = get_named (prefs, "key-row");
  g_assert_true (gtk_widget_get_sensitive (key_row));
  mh_app_test_wait_for_frames (prefs);
  mh_app_test_save_screenshot (prefs, "keyring-silent-preferences.png");

  /* A key typed in and applied: checked by the API (the simulator), then
   * not saved, and said so; the row can be used again. */
  gtk_widget_grab_focus (key_row);
  gtk_editable_set_text (GTK_EDITABLE (key_row), MH_TEST_KEY);
  g_signal_emit_by_name (find_text (key_row), "activate");
  opened = g_get_monotonic_time ();
  wait.prefix = "The key works, but your keyring did not answer, so it was not saved.";
  mh_test_wait_for (key_status_is, &wait, LIMIT_SECONDS + SLACK_SECONDS, "the key row to say the key was not saved");
  g_assert_cmpfloat (seconds_since (opened), >=, LIMIT_SECONDS - 0.5);
  g_assert_true (gtk_widget_get_sensitive (key_row));
  mh_app_test_wait_for_frames (prefs);
  mh_app_test_save_screenshot (prefs, "keyring-silent-preferences-store.png");

  /* Used until the app quits: the main window shows the tools. */
  g_assert_true (mh_application_get_has_key (run->app));
  mh_test_wait_for (tools_shown, run, MH_TEST_TIMEOUT, "the tools");
  gtk_window_destroy (GTK_WINDOW (prefs));
}

/* ---- The start ------------------------------------------------------------ */

static gboolean
step_idle_cb (gpointer data)
{
  Run *run = data;
  GtkWidget *label;
  double took;

  mh_test_wait_for (welcome_shown, run, LIMIT_SECONDS + SLACK_SECONDS, "the welcome page");
  took = seconds_since (run->started);
  g_test_message ("The welcome page after %.2f s", took);
  /* It waited for the keyring up to its limit, not for ever. */
  g_assert_cmpfloat (took, >=, LIMIT_SECONDS - 0.5);
  g_assert_cmpfloat (took, <=, LIMIT_SECONDS + SLACK_SECONDS);
  g_assert_cmpuint (mh_test_silent_keyring_count_calls (run->keyring), >, 0);
  g_assert_false (mh_application_get_has_key (run->app));

  /* And it says why there is no key, above the ways in. */
  mh_app_test_wait_until_still (GTK_WIDGET (run->window));
  label = mh_app_test_find_label (GTK_WIDGET (run->window), WELCOME_SENTENCE);
  g_assert_nonnull (label);
  g_assert_true (mh_app_test_is_shown (label, GTK_WIDGET (run->window)));
  g_assert_nonnull (mh_app_test_find_button (GTK_WIDGET (run->window), "Enter API Key"));
  g_assert_nonnull (mh_app_test_find_button (GTK_WIDGET (run->window), "Try the Demo"));
  mh_app_test_save_screenshot (GTK_WIDGET (run->window), "keyring-silent-welcome.png");

  check_preferences (run);

  run->stepped = TRUE;
  g_application_quit (G_APPLICATION (run->app));
  return G_SOURCE_REMOVE;
}

static void
window_added_cb (GtkApplication *application,
                 GtkWindow      *window,
                 Run            *run)
{
  if (!MH_IS_WINDOW (window) || run->window != NULL)
    return;
  run->window = MH_WINDOW (window);
  gtk_window_set_default_size (window, 1000, 760);
}

static void
activate_cb (GApplication *application,
             Run          *run)
{
  if (!run->stepped)
    g_idle_add (step_idle_cb, run);
}

static void
silent_start (void)
{
  Run run = { 0 };
  char *argv[] = { (char *) "test-app-keyring", NULL };

  run.keyring = mh_test_silent_keyring_new ();
  run.app = mh_application_new ();
  g_application_set_flags (G_APPLICATION (run.app),
                           g_application_get_flags (G_APPLICATION (run.app)) | G_APPLICATION_NON_UNIQUE);
  g_signal_connect (run.app, "window-added", G_CALLBACK (window_added_cb), &run);
  g_signal_connect_after (run.app, "activate", G_CALLBACK (activate_cb), &run);
  run.started = g_get_monotonic_time ();
  g_assert_cmpint (g_application_run (G_APPLICATION (run.app), 1, argv), ==, 0);
  g_assert_true (run.stepped);

  g_clear_object (&run.app);
  mh_test_silent_keyring_free (run.keyring);
}

static void
test_silent_start (void)
{
  /* In a process of its own: an application runs once. */
  if (g_test_subprocess ())
    {
      silent_start ();
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
  int status;

  setlocale (LC_ALL, "");
  mh_test_fixture_setup (&fx, NULL);

  /* Before anything reads them: a history of this test's own, the
   * simulator as the API, no key from the environment, and libsecret
   * talking to the Secret Service on this test's bus. */
  data_dir = g_build_filename (fx.tmp, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  g_setenv ("MAGIC_HOUR_API_BASE_URL", mh_simulator_get_base_url (fx.sim), TRUE);
  g_unsetenv ("MAGIC_HOUR_API_KEY");
  g_setenv ("SECRET_BACKEND", "service", TRUE);

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
  g_assert_nonnull (mh_app_get_resource ());

  g_test_add_func ("/app/keyring/silent-start", test_silent_start);

  status = g_test_run ();
  mh_test_fixture_teardown (&fx, NULL);
  mh_test_bus_down ();
  return status;
}
