/* test-cli-keyring.c: a keyring that never answers, from the command line
 *
 * The CLI with no MAGIC_HOUR_API_KEY asks the keyring, here a Secret
 * Service on a private bus that never replies (mh-test-silent-keyring.h).
 * Within the keyring's time limit it says on stderr that the keyring did
 * not answer and how to get round it (MAGIC_HOUR_API_KEY), and exits as it
 * does with no key at all (status 2); the API was not called.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "mh-cli-test-util.h"
#include "mh-keyring.h"
#include "mh-test-silent-keyring.h"

/* The machine is busy: the CLI may end late, never early. */
#define SLACK_SECONDS 10.0

static void
test_silent_keyring (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(MhTestSilentKeyring) keyring = mh_test_silent_keyring_new ();
  g_autoptr(Run) text = NULL, json = NULL;
  g_autofree char *sentence = g_strdup_printf ("The keyring did not answer within %d seconds",
                                               MH_KEYRING_TIMEOUT_SECONDS);

  text = run_cli_with_key (f, NULL, "headshot", "--image", f->photo, "--no-face-check", NULL);
  g_test_message ("%s", text->err);
  g_assert_cmpint (text->status, ==, 2);
  g_assert_nonnull (strstr (text->err, sentence));
  g_assert_nonnull (strstr (text->err, "export MAGIC_HOUR_API_KEY="));
  g_assert_null (strstr (text->err, "Preferences"));
  /* It waited for the keyring, and no longer than its limit. */
  g_assert_cmpfloat (text->seconds, >=, MH_KEYRING_TIMEOUT_SECONDS - 0.5);
  g_assert_cmpfloat (text->seconds, <=, MH_KEYRING_TIMEOUT_SECONDS + SLACK_SECONDS);
  /* It was this keyring that said nothing. */
  g_assert_cmpuint (mh_test_silent_keyring_count_calls (keyring), >, 0);

  /* The same in JSON: an error event, and the sentence on stderr. */
  json = run_cli_with_key (f, NULL, "--json", "headshot", "--image", f->photo, "--no-face-check", NULL);
  g_assert_cmpint (json->status, ==, 2);
  g_assert_nonnull (strstr (json->err, sentence));
  {
    g_autoptr(JsonObject) event = last_event (json);

    g_assert_cmpstr (json_object_get_string_member (event, "event"), ==, "error");
    g_assert_nonnull (strstr (json_object_get_string_member (event, "message"), sentence));
  }

  g_assert_cmpuint (mh_simulator_get_requests (f->sim)->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GTestDBus) bus = NULL;
  int status;

  setlocale (LC_ALL, "");
  /* The CLI's libsecret talks to the Secret Service on this test's bus
   * (the runs inherit the environment), not to its file backend. */
  g_setenv ("SECRET_BACKEND", "service", TRUE);
  g_unsetenv ("MAGIC_HOUR_API_KEY");
  g_test_init (&argc, &argv, NULL);

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  g_test_add ("/cli-keyring/silent-keyring", Fixture, NULL, fixture_setup, test_silent_keyring, fixture_teardown);

  status = g_test_run ();
  g_test_dbus_down (bus);
  return status;
}
