/* test-keyring.c: a keyring that never answers does not hold anyone up
 *
 * A Secret Service on a private session bus takes every call and never
 * replies (mh-test-silent-keyring.h). Each keyring operation then fails
 * with G_IO_ERROR_TIMED_OUT and a sentence saying so after the time limit,
 * not before and not much after; libsecret's call is cancelled, so it lets
 * go of the operation (its task is freed); the caller's own cancel ends it
 * at once with G_IO_ERROR_CANCELLED. The client goes on without a key and
 * keeps why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsecret/secret.h>
#include <string.h>
#include <unistd.h>

#include "mh-client.h"
#include "mh-error.h"
#include "mh-keyring.h"
#include "mh-test-silent-keyring.h"
#include "mh-test-util.h"

#define LIMIT_USEC ((gint64) MH_KEYRING_TIMEOUT_SECONDS * G_USEC_PER_SEC)
/* The machine is busy: an answer may come late, never early. */
#define SLACK_SECONDS 10.0
#define EARLY_USEC (G_USEC_PER_SEC / 2)

typedef struct
{
  gboolean      done;
  gboolean      ok;
  char         *key;
  GError       *error;
  gint64        started;
  gint64        finished;
  GAsyncResult *result;   /* weak: NULL once the operation is freed */
} Op;

static void
op_cb (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  Op *op = user_data;
  gpointer tag = g_task_get_source_tag (G_TASK (result));

  op->finished = g_get_monotonic_time ();
  if (tag == mh_keyring_lookup_async)
    {
      op->key = mh_keyring_lookup_finish (result, &op->error);
      op->ok = op->error == NULL;
    }
  else if (tag == mh_keyring_store_async)
    op->ok = mh_keyring_store_finish (result, &op->error);
  else
    op->ok = mh_keyring_clear_finish (result, &op->error);

  op->result = result;
  g_object_add_weak_pointer (G_OBJECT (result), (gpointer *) &op->result);
  op->done = TRUE;
}

static void
op_start (Op           *op,
          const char   *what,
          GCancellable *cancellable)
{
  memset (op, 0, sizeof *op);
  op->started = g_get_monotonic_time ();
  if (g_str_equal (what, "lookup"))
    mh_keyring_lookup_async (cancellable, op_cb, op);
  else if (g_str_equal (what, "store"))
    mh_keyring_store_async (MH_TEST_KEY, cancellable, op_cb, op);
  else
    mh_keyring_clear_async (cancellable, op_cb, op);
}

static gboolean
op_freed (gpointer data)
{
  return ((Op *) data)->result == NULL;
}

/* Nothing of the operation is left: libsecret answered its cancel and
 * dropped its reference, the time limit's source went with it. */
static void
op_finish (Op *op)
{
  mh_test_wait_for (op_freed, op, MH_TEST_TIMEOUT, "the keyring operation freed");
  g_clear_error (&op->error);
  mh_keyring_free_key (op->key);
}

static gboolean
was_called (gpointer data)
{
  return mh_test_silent_keyring_count_calls (data) > 0;
}

static void
assert_timed_out (Op *op)
{
  g_autofree char *sentence = g_strdup_printf ("did not answer within %d seconds", MH_KEYRING_TIMEOUT_SECONDS);

  g_assert_false (op->ok);
  g_assert_null (op->key);
  g_assert_error (op->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (op->error->message, sentence));
  /* The limit, not an early give-up nor D-Bus's own 25 s. */
  g_assert_cmpint (op->finished - op->started, >=, LIMIT_USEC - EARLY_USEC);
  g_assert_cmpint (op->finished - op->started, <=, LIMIT_USEC + SLACK_SECONDS * G_USEC_PER_SEC);
}

static void
test_times_out (gconstpointer data)
{
  const char *what = data;
  g_autoptr(MhTestSilentKeyring) keyring = mh_test_silent_keyring_new ();
  Op op;

  op_start (&op, what, NULL);
  mh_test_wait_for_flag (&op.done, MH_KEYRING_TIMEOUT_SECONDS + SLACK_SECONDS, "the keyring's time limit");
  assert_timed_out (&op);
  /* It was this keyring that said nothing, not libsecret's file backend. */
  g_assert_cmpuint (mh_test_silent_keyring_count_calls (keyring), >, 0);
  op_finish (&op);
}

/* Cancelled by the caller while the keyring says nothing: at once. */
static void
test_caller_cancel (void)
{
  g_autoptr(MhTestSilentKeyring) keyring = mh_test_silent_keyring_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 cancelled;
  Op op;

  op_start (&op, "lookup", cancellable);
  mh_test_wait_for (was_called, keyring, MH_TEST_TIMEOUT, "the keyring asked");
  g_assert_false (op.done);

  cancelled = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  mh_test_wait_for_flag (&op.done, MH_KEYRING_TIMEOUT_SECONDS + SLACK_SECONDS, "the cancelled lookup");
  g_assert_error (op.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (op.key);
  /* Well before the limit would have ended it. */
  g_assert_cmpint (op.finished - cancelled, <, G_USEC_PER_SEC);
  g_assert_cmpint (op.finished - op.started, <, LIMIT_USEC);
  op_finish (&op);
}

/* Cancelled before it began: libsecret is not even waited for. */
static void
test_cancelled_before (void)
{
  g_autoptr(MhTestSilentKeyring) keyring = mh_test_silent_keyring_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Op op;

  g_cancellable_cancel (cancellable);
  op_start (&op, "store", cancellable);
  mh_test_wait_for_flag (&op.done, MH_KEYRING_TIMEOUT_SECONDS + SLACK_SECONDS, "the cancelled store");
  g_assert_false (op.ok);
  g_assert_error (op.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (op.finished - op.started, <, G_USEC_PER_SEC);
  op_finish (&op);
}

static gboolean
prompted (gpointer data)
{
  return mh_test_silent_keyring_count_prompts (data) > 0;
}

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* A locked keyring shows an unlock prompt, and the person takes longer
 * than the limit to type the password: the look-up waits for them (the
 * keyring did answer; the prompt is on screen, they can dismiss it), and
 * then has the key. */
static void
prompt_lookup (void)
{
  g_autoptr(MhTestSilentKeyring) keyring = mh_test_silent_keyring_new_prompting ();
  gboolean past_limit = FALSE;
  Op op;

  op_start (&op, "lookup", NULL);
  mh_test_wait_for (prompted, keyring, MH_TEST_TIMEOUT, "the unlock prompt");
  g_assert_false (op.done);

  /* Well past the limit: still waiting for the person. */
  g_timeout_add (MH_KEYRING_TIMEOUT_SECONDS * 1000 + 2000, set_flag_cb, &past_limit);
  mh_test_wait_for_flag (&past_limit, MH_TEST_TIMEOUT, "the time past the limit");
  g_assert_false (op.done);

  mh_test_silent_keyring_unlock (keyring, MH_TEST_KEY);
  mh_test_wait_for_flag (&op.done, MH_TEST_TIMEOUT, "the lookup after the prompt");
  g_assert_no_error (op.error);
  g_assert_cmpstr (op.key, ==, MH_TEST_KEY);
  op_finish (&op);
}

/* In a process of its own: libsecret keeps the Secret Service it reached
 * (this keyring) for the process's life. Under AddressSanitizer that
 * process ends without the leak check, which the others have: libsecret
 * 0.20.5 leaks on its unlock path (the array of on_xlock_called() and
 * message bodies it keeps), a few hundred bytes per prompt, none of them
 * this project's. */
static void
test_prompt_has_no_limit (void)
{
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  prompt_lookup ();
#if MH_TEST_ASAN
  _exit (0);
#endif
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  MhTestRan *ran = user_data;

  ran->ok = mh_client_load_api_key_finish (MH_CLIENT (source), result, &ran->error);
  ran->done = TRUE;
}

/* The client goes on without a key, as with no keyring, and keeps why:
 * the app and the CLI say it. */
static void
test_client_without_key (void)
{
  g_autoptr(MhTestSilentKeyring) keyring = mh_test_silent_keyring_new ();
  g_autoptr(MhClient) client = mh_client_new (NULL);
  g_autoptr(GError) error = NULL;
  MhTestRan ran = { 0 };
  gint64 started = g_get_monotonic_time ();

  g_assert_cmpstr (g_getenv ("MAGIC_HOUR_API_KEY"), ==, NULL);
  mh_client_load_api_key_async (client, NULL, loaded_cb, &ran);
  mh_test_wait_for_flag (&ran.done, MH_KEYRING_TIMEOUT_SECONDS + SLACK_SECONDS, "the key loaded");
  g_assert_cmpint (g_get_monotonic_time () - started, >=, LIMIT_USEC - EARLY_USEC);

  g_assert_no_error (ran.error);
  g_assert_false (ran.ok);
  g_assert_false (mh_client_has_api_key (client));
  g_assert_true (mh_client_keyring_timed_out (client));
  g_assert_error (mh_client_get_keyring_error (client), G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_false (mh_client_check_ready (client, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_NO_KEY);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GTestDBus) bus = NULL;
  int status;

  /* libsecret talks to the Secret Service on a bus of this test's own,
   * and no key comes from the environment. */
  g_setenv ("SECRET_BACKEND", "service", TRUE);
  g_unsetenv ("MAGIC_HOUR_API_KEY");
  g_test_init (&argc, &argv, NULL);

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  g_test_add_data_func ("/keyring/silent/lookup", "lookup", test_times_out);
  g_test_add_data_func ("/keyring/silent/store", "store", test_times_out);
  g_test_add_data_func ("/keyring/silent/clear", "clear", test_times_out);
  g_test_add_func ("/keyring/silent/caller-cancel", test_caller_cancel);
  g_test_add_func ("/keyring/silent/cancelled-before", test_cancelled_before);
  g_test_add_func ("/keyring/silent/client-without-key", test_client_without_key);
  g_test_add_func ("/keyring/prompt/no-limit", test_prompt_has_no_limit);

  status = g_test_run ();
  /* The bus goes once nothing holds its connection: libsecret keeps a
   * Secret Service it reached until told. */
  secret_service_disconnect ();
  g_test_dbus_down (bus);
  return status;
}
