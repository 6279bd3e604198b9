/* test-cli-account.c: `magic-hour-studio-cli account`
 *
 * Against the simulator on loopback: the balance with its separators, the
 * plan, the subscription; --json's fields; a server without /v1/account
 * (404) said plainly with exit status 0; a refused key exit 3; one request
 * and the key never printed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "mh-test-util.h"

#define KEY "mhk_live_cli_account_SECRET_42"

typedef struct
{
  MhSimulator *sim;
  char        *data;   /* XDG_DATA_HOME of the CLI */
} Fixture;

typedef struct
{
  gboolean  done;
  int       status;
  char     *out;
  char     *err;
} Run;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  GError *error = NULL;

  f->sim = mh_simulator_new ();
  g_assert_true (mh_simulator_start (f->sim, 0, &error));
  g_assert_no_error (error);
  f->data = g_dir_make_tmp ("mh-cli-account-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  mh_simulator_stop (f->sim);
  g_clear_object (&f->sim);
  mh_test_rm_rf (f->data);
  g_free (f->data);
}

static void
communicated_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result,
                                        &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (G_SUBPROCESS (source)));
  run->status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
  run->done = TRUE;
}

static gboolean
deadline_cb (gpointer user_data)
{
  g_error ("the CLI did not end within 60 s");
  return G_SOURCE_REMOVE;
}

/* Runs the CLI with the key, iterating the main context (where the
 * simulator answers) until it exits. */
static Run *
run_cli (Fixture    *f,
         const char *first,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  GError *error = NULL;
  Run *run = g_new0 (Run, 1);
  va_list ap;
  guint timeout;

  g_subprocess_launcher_setenv (launcher, "MAGIC_HOUR_API_BASE_URL",
                                mh_simulator_get_base_url (f->sim), TRUE);
  g_subprocess_launcher_setenv (launcher, "MAGIC_HOUR_API_KEY", KEY, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", f->data, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);

  g_ptr_array_add (argv, (char *) g_getenv ("MH_CLI"));
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  timeout = g_timeout_add_seconds (60, deadline_cb, NULL);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated_cb, run);
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);

  g_assert_null (strstr (run->out, KEY));
  g_assert_null (strstr (run->err, KEY));
  return run;
}

static void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

/* The last line of the output: G_MESSAGES_DEBUG sends debug lines to stdout too. */
static JsonObject *
last_event (Run *run)
{
  g_auto(GStrv) lines = g_strsplit (g_strchomp (run->out), "\n", -1);
  guint n = g_strv_length (lines);
  g_autoptr(JsonParser) parser = json_parser_new ();
  GError *error = NULL;

  g_assert_cmpuint (n, >, 0);
  json_parser_load_from_data (parser, lines[n - 1], -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_text (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(Run) run = NULL;

  g_object_set (f->sim, "tier", "pro", "credits", (gint64) 1250, NULL);
  run = run_cli (f, "account", NULL);
  g_assert_cmpint (run->status, ==, 0);
  {
    /* The CLI runs in the locale of the tests: "1,250" where it groups thousands. */
    g_autofree char *number = mh_format_credits (1250);
    g_autofree char *line = g_strdup_printf ("Credits: %s\n", number);

    g_assert_nonnull (strstr (run->out, line));
  }
  g_assert_nonnull (strstr (run->out, "Plan: Pro plan\n"));
  g_assert_nonnull (strstr (run->out, "Subscription: active\n"));
  g_assert_nonnull (strstr (run->out, "Renews on: "));
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, NULL), ==, 1);
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_ACCOUNT), ==, 1);
}

static void
test_past_due (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(Run) text = NULL, json = NULL;
  g_autoptr(JsonObject) object = NULL;
  JsonObject *subscription;

  g_object_set (f->sim, "tier", "creator", "past-due", TRUE, NULL);
  text = run_cli (f, "account", NULL);
  g_assert_cmpint (text->status, ==, 0);
  g_assert_nonnull (strstr (text->out, "Plan: Free plan\n"));
  g_assert_nonnull (strstr (text->out, "Subscription: payment past due. Your last payment did not go through; "
                                       "Magic Hour treats the account as Free until it is paid.\n"));
  g_assert_nonnull (strstr (text->out, "Renews on: "));

  json = run_cli (f, "account", "--json", NULL);
  g_assert_cmpint (json->status, ==, 0);
  object = last_event (json);
  g_assert_cmpstr (json_object_get_string_member (object, "tier"), ==, "free");
  subscription = json_object_get_object_member (object, "subscription");
  g_assert_nonnull (subscription);
  g_assert_cmpstr (json_object_get_string_member (subscription, "status"), ==, "past_due");
  g_assert_cmpstr (json_object_get_string_member (subscription, "name"), ==, "Creator");
  g_assert_cmpstr (json_object_get_string_member (subscription, "billing_interval"), ==, "month");
  g_assert_nonnull (json_object_get_string_member (subscription, "current_period_end"));
  g_assert_false (json_object_get_boolean_member (subscription, "cancel_at_period_end"));
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(Run) run = NULL;
  g_autoptr(JsonObject) object = NULL;

  g_object_set (f->sim, "tier", "free", "credits", (gint64) 100, NULL);
  run = run_cli (f, "account", "--json", NULL);
  g_assert_cmpint (run->status, ==, 0);
  object = last_event (run);
  g_assert_cmpstr (json_object_get_string_member (object, "event"), ==, "account");
  g_assert_true (json_object_get_boolean_member (object, "available"));
  g_assert_cmpint (json_object_get_int_member (object, "credits"), ==, 100);
  g_assert_cmpstr (json_object_get_string_member (object, "tier"), ==, "free");
  g_assert_true (json_object_has_member (object, "subscription"));
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Run) text = NULL, json = NULL;
  g_autoptr(JsonObject) object = NULL;

  g_object_set (f->sim, "no-account", TRUE, NULL);
  text = run_cli (f, "account", NULL);
  g_assert_cmpint (text->status, ==, 0);
  g_assert_nonnull (strstr (text->out, "This server does not tell the account"));
  g_assert_null (strstr (text->err, "Error"));

  json = run_cli (f, "account", "--json", NULL);
  g_assert_cmpint (json->status, ==, 0);
  object = last_event (json);
  g_assert_false (json_object_get_boolean_member (object, "available"));
  g_assert_false (json_object_has_member (object, "credits"));
  /* Each asked once: a 404 is not retried. */
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_ACCOUNT), ==, 2);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Run) run = NULL, usage = NULL;

  mh_simulator_set_required_key (f->sim, "mhk_live_another");
  run = run_cli (f, "account", NULL);
  g_assert_cmpint (run->status, ==, 3);
  g_assert_nonnull (strstr (run->err, "API key was not accepted"));
  g_assert_null (strstr (run->out, "Credits"));

  usage = run_cli (f, "account", "extra", NULL);
  g_assert_cmpint (usage->status, ==, 2);
}

static void
test_in_help (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Run) help = NULL, own = NULL;

  help = run_cli (f, "--help", NULL);
  g_assert_cmpint (help->status, ==, 0);
  g_assert_nonnull (strstr (help->out, "  account "));

  own = run_cli (f, "account", "--help", NULL);
  g_assert_cmpint (own->status, ==, 0);
  g_assert_nonnull (strstr (own->out, "--json"));
  g_assert_nonnull (strstr (own->out, "exit status 0"));
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, NULL), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/cli-account/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("text", test_text);
  ADD ("json", test_json);
  ADD ("past-due", test_past_due);
  ADD ("not-found", test_not_found);
  ADD ("refused", test_refused);
  ADD ("in-help", test_in_help);

  return g_test_run ();
}
