/* test-cli-words.c: what the command-line tool tells a person
 *
 * Its own words, not the app's: a refused or missing key names
 * MAGIC_HOUR_API_KEY, never Preferences; Ctrl+C in the middle of a render
 * says "Canceled." and the exact resume command, with exit status 130; each
 * command's --help names the command.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <string.h>

#include "mh-cli-test-util.h"
#include "mh-tool.h"

static void
test_wrong_key (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Run) job = NULL, account = NULL, none = NULL;

  mh_simulator_set_required_key (f->sim, "mhk_live_another");

  job = run_cli (f, "headshot", "--image", f->photo, "--no-face-check");
  g_test_message ("%s", job->err);
  g_assert_cmpint (job->status, ==, 3);
  g_assert_nonnull (strstr (job->err, "API key was not accepted"));
  g_assert_nonnull (strstr (job->err, "MAGIC_HOUR_API_KEY"));
  g_assert_null (strstr (job->err, "Preferences"));

  account = run_cli (f, "account");
  g_assert_cmpint (account->status, ==, 3);
  g_assert_nonnull (strstr (account->err, "MAGIC_HOUR_API_KEY"));
  g_assert_null (strstr (account->err, "Preferences"));

  /* No key at all (none in the environment, none in the test's keyring). */
  none = run_cli_with_key (f, NULL, "headshot", "--image", f->photo, "--no-face-check", NULL);
  g_test_message ("%s", none->err);
  g_assert_cmpint (none->status, ==, 2);
  g_assert_nonnull (strstr (none->err, "export MAGIC_HOUR_API_KEY="));
  g_assert_null (strstr (none->err, "Preferences"));
}

static void
test_help_names_command (Fixture       *f,
                         gconstpointer  data)
{
  static const char *const others[] = { "status", "download", "delete", "account", "history",
                                        "resume", "library", "simulator", "demo" };
  g_autoptr(GPtrArray) commands = g_ptr_array_new ();
  const MhTool *const *tools;
  guint n;

  tools = mh_tools (&n);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (commands, (gpointer) tools[i]->id);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    g_ptr_array_add (commands, (gpointer) others[i]);

  for (guint i = 0; i < commands->len; i++)
    {
      const char *command = g_ptr_array_index (commands, i);
      g_autofree char *usage = g_strdup_printf ("Usage:\n  magic-hour-studio-cli %s [OPTION…]", command);
      g_autoptr(Run) help = run_cli (f, command, "--help");

      g_test_message ("%s --help: %.80s", command, help->out);
      /* What the sanitizers said, if it failed (once, under LeakSanitizer in CI). */
      if (help->status != 0)
        g_test_message ("%s --help exited %d; its stderr:\n%s", command, help->status, help->err);
      g_assert_cmpint (help->status, ==, 0);
      g_assert_nonnull (strstr (help->out, usage));
    }

  /* Nothing was sent for help. */
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, NULL), ==, 0);
}

static void
communicated_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->done = TRUE;
}

static const char *
last_project_id (Fixture *f)
{
  GPtrArray *requests = mh_simulator_get_requests (f->sim);
  const char *path = NULL;

  for (guint i = 0; i < requests->len; i++)
    {
      MhSimRequest *request = g_ptr_array_index (requests, i);

      if (g_strcmp0 (request->endpoint, MH_SIM_ENDPOINT_PROJECT) == 0)
        path = request->path;
    }
  g_assert_nonnull (path);
  return strrchr (path, '/') + 1;
}

typedef struct
{
  Fixture    *f;
  const char *endpoint;
} Stage;

static gboolean
reached (gpointer user_data)
{
  Stage *stage = user_data;

  return mh_simulator_count_requests (stage->f->sim, stage->endpoint) > 0;
}

/* Runs a headshot, presses Ctrl+C once @endpoint was asked, and returns
 * what the CLI wrote on stderr; it exited 130, its own status (not a
 * failed job's 1, not a refusal's 3). */
static char *
interrupt_at (Fixture    *f,
              const char *endpoint)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Stage stage = { f, endpoint };
  Run run = { 0 };

  /* stderr as a person reads it, without the engine's debug lines. */
  f->no_debug = TRUE;
  launcher = make_launcher (f, KEY);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("MH_CLI"),
                                         "headshot", "--image", f->photo, "--no-face-check",
                                         "-o", f->out, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated_cb, &run);

  mh_test_wait_for (reached, &stage, RUN_DEADLINE, endpoint);
  g_subprocess_send_signal (process, SIGINT);
  mh_test_wait_for_flag (&run.done, RUN_DEADLINE, "the CLI to exit");
  g_assert_true (g_subprocess_wait (process, NULL, NULL));

  g_test_message ("stderr: %s", run.err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 130);
  g_assert_nonnull (strstr (run.err, "Canceled."));
  g_assert_null (strstr (run.err, "Operation was cancelled"));
  g_assert_null (strstr (run.err, KEY));
  g_assert_cmpuint (count_files (f->out), ==, 0);

  g_free (run.out);
  return run.err;
}

/* Ctrl+C while Magic Hour renders, as a person sees it in a terminal. */
static void
test_interrupt_says_canceled (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *err = NULL;
  g_autofree char *hint = NULL;
  g_autoptr(Run) history = NULL;

  mh_simulator_set_render_seconds (f->sim, 60);
  err = interrupt_at (f, MH_SIM_ENDPOINT_PROJECT);

  /* The command to type, with the project's ID. */
  hint = g_strdup_printf ("magic-hour-studio-cli resume %s\n", last_project_id (f));
  g_assert_nonnull (strstr (err, hint));

  /* And resume knows that job: the history lists it as one to resume. */
  history = run_cli (f, "history", "--json");
  g_assert_cmpint (history->status, ==, 0);
  g_assert_nonnull (strstr (history->out, last_project_id (f)));
  g_assert_nonnull (strstr (history->out, "\"needs_resume\":true"));
}

/* Ctrl+C before the job was created: the job's own ID, and nothing charged. */
static void
test_interrupt_while_uploading (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *err = NULL;
  g_autofree char *hint = NULL;
  g_autoptr(Run) history = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *jobs;
  const char *id;

  /* The upload is held back long enough to be interrupted. */
  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_UPLOAD, MH_SIM_FAULT_SLOW, 1, 30000, NULL);
  err = interrupt_at (f, MH_SIM_ENDPOINT_UPLOAD);
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_CREATE), ==, 0);
  g_assert_nonnull (strstr (err, "nothing was charged"));

  history = run_cli (f, "history", "--json");
  g_assert_cmpint (history->status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, history->out, -1, &error));
  g_assert_no_error (error);
  jobs = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "jobs");
  g_assert_cmpuint (json_array_get_length (jobs), ==, 1);
  id = json_object_get_string_member (json_array_get_object_element (jobs, 0), "id");
  hint = g_strdup_printf ("magic-hour-studio-cli resume %s\n", id);
  g_assert_nonnull (strstr (err, hint));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/cli-words/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("wrong-key", test_wrong_key);
  ADD ("help-names-command", test_help_names_command);
  ADD ("interrupt-says-canceled", test_interrupt_says_canceled);
  ADD ("interrupt-while-uploading", test_interrupt_while_uploading);
#undef ADD

  return g_test_run ();
}
