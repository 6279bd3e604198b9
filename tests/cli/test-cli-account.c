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

#include "mh-cli-test-util.h"

static void
test_text (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(Run) run = NULL;

  g_object_set (f->sim, "tier", "pro", "credits", (gint64) 1250, NULL);
  run = run_cli (f, "account");
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
  text = run_cli (f, "account");
  g_assert_cmpint (text->status, ==, 0);
  g_assert_nonnull (strstr (text->out, "Plan: Free plan\n"));
  g_assert_nonnull (strstr (text->out, "Subscription: payment past due. Your last payment did not go through; "
                                       "Magic Hour treats the account as Free until it is paid.\n"));
  g_assert_nonnull (strstr (text->out, "Renews on: "));

  json = run_cli (f, "account", "--json");
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
  run = run_cli (f, "account", "--json");
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
  text = run_cli (f, "account");
  g_assert_cmpint (text->status, ==, 0);
  g_assert_nonnull (strstr (text->out, "This server does not tell the account"));
  g_assert_null (strstr (text->err, "Error"));

  json = run_cli (f, "account", "--json");
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
  run = run_cli (f, "account");
  g_assert_cmpint (run->status, ==, 3);
  g_assert_nonnull (strstr (run->err, "API key was not accepted"));
  g_assert_null (strstr (run->out, "Credits"));

  usage = run_cli (f, "account", "extra");
  g_assert_cmpint (usage->status, ==, 2);
}

static void
test_in_help (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Run) help = NULL, own = NULL;

  help = run_cli (f, "--help");
  g_assert_cmpint (help->status, ==, 0);
  g_assert_nonnull (strstr (help->out, "  account "));

  own = run_cli (f, "account", "--help");
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
