/* test-account.c: the account as GET /v1/account tells it
 *
 * Credits and tier read from the simulator; a server without the endpoint
 * (404) leaves the account unavailable with no error; a refused key (401)
 * is an error and leaves it unavailable; the subscription's fields are read
 * from an answer as the contract describes it; nothing is fetched unless a
 * refresh is asked for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mh-account.h"
#include "mh-error.h"
#include "mh-json.h"
#include "mh-test-util.h"

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} RefreshResult;

static void
refresh_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  RefreshResult *r = user_data;

  r->ok = mh_account_refresh_finish (MH_ACCOUNT (source), result, &r->error);
  r->done = TRUE;
}

static gboolean
refresh (MhAccount    *account,
         MhClient     *client,
         GError      **error)
{
  RefreshResult r = { 0 };

  mh_account_refresh_async (account, client, NULL, refresh_cb, &r);
  mh_test_wait_for_flag (&r.done, MH_TEST_TIMEOUT, "the account");
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.ok;
}

static void
count_cb (MhAccount *account,
          guint     *count)
{
  (*count)++;
}

static void
test_credits_and_tier (MhTestFixture *fixture,
                       gconstpointer  data)
{
  g_autoptr(MhAccount) account = mh_account_new ();
  g_autoptr(GError) error = NULL;
  guint changed = 0;
  MhSimRequest *req;

  g_object_set (fixture->sim, "tier", "free", "credits", (gint64) 100, NULL);
  g_signal_connect (account, "changed", G_CALLBACK (count_cb), &changed);

  /* Nothing is known, and nothing asked, before a refresh. */
  g_assert_false (mh_account_get_available (account));
  g_assert_cmpint (mh_account_get_credits (account), ==, -1);
  g_assert_null (mh_account_get_tier (account));
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, NULL), ==, 0);

  g_assert_true (refresh (account, fixture->client, &error));
  g_assert_no_error (error);
  g_assert_true (mh_account_get_available (account));
  g_assert_cmpint (mh_account_get_credits (account), ==, 100);
  g_assert_cmpstr (mh_account_get_tier (account), ==, "free");
  g_assert_cmpuint (changed, ==, 1);

  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, NULL), ==, 1);
  req = mh_test_request (fixture->sim, MH_SIM_ENDPOINT_ACCOUNT, 0);
  g_assert_cmpstr (req->method, ==, "GET");
  g_assert_cmpstr (req->path, ==, "/v1/account");
  g_assert_cmpstr (req->authorization, ==, "Bearer " MH_TEST_KEY);

  /* A second refresh reads the new balance, and asks once more. */
  g_object_set (fixture->sim, "tier", "pro", "credits", (gint64) 1250, NULL);
  g_assert_true (refresh (account, fixture->client, &error));
  g_assert_cmpint (mh_account_get_credits (account), ==, 1250);
  g_assert_cmpstr (mh_account_get_tier (account), ==, "pro");
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, NULL), ==, 2);
}

static void
test_not_found (MhTestFixture *fixture,
                gconstpointer  data)
{
  g_autoptr(MhAccount) account = mh_account_new ();
  g_autoptr(GError) error = NULL;
  guint changed = 0;

  g_signal_connect (account, "changed", G_CALLBACK (count_cb), &changed);
  g_assert_true (refresh (account, fixture->client, &error));
  g_assert_true (mh_account_get_available (account));

  /* An older server: 404 is no error, the account just is not there. */
  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_STATUS,
                          1, 404, NULL);
  g_assert_true (refresh (account, fixture->client, &error));
  g_assert_no_error (error);
  g_assert_false (mh_account_get_available (account));
  g_assert_cmpint (mh_account_get_credits (account), ==, -1);
  g_assert_null (mh_account_get_tier (account));
  g_assert_cmpuint (changed, ==, 2);
  /* Asked once, not retried. */
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_ACCOUNT), ==, 2);
}

static void
test_unauthorized (MhTestFixture *fixture,
                   gconstpointer  data)
{
  g_autoptr(MhAccount) account = mh_account_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (refresh (account, fixture->client, &error));
  g_assert_true (mh_account_get_available (account));

  mh_simulator_set_required_key (fixture->sim, "mhk_live_another_key");
  g_assert_false (refresh (account, fixture->client, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_UNAUTHORIZED);
  /* What was shown for the old key is not kept for a refused one. */
  g_assert_false (mh_account_get_available (account));
  g_assert_cmpint (mh_account_get_credits (account), ==, -1);
}

static void
test_cancelled (MhTestFixture *fixture,
                gconstpointer  data)
{
  g_autoptr(MhAccount) account = mh_account_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  RefreshResult r = { 0 };
  guint changed = 0;

  g_signal_connect (account, "changed", G_CALLBACK (count_cb), &changed);
  g_cancellable_cancel (cancellable);
  mh_account_refresh_async (account, fixture->client, cancellable, refresh_cb, &r);
  mh_test_wait_for_flag (&r.done, MH_TEST_TIMEOUT, "the cancelled refresh");
  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  g_assert_cmpuint (changed, ==, 0);
}

/* Two refreshes at once: the later one's answer stays. */
static void
test_overlapping (MhTestFixture *fixture,
                  gconstpointer  data)
{
  g_autoptr(MhAccount) account = mh_account_new ();
  RefreshResult first = { 0 }, second = { 0 };

  g_object_set (fixture->sim, "credits", (gint64) 10, NULL);
  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_SLOW,
                          1, 300, NULL);
  mh_account_refresh_async (account, fixture->client, NULL, refresh_cb, &first);
  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_STATUS,
                          1, 404, NULL);
  mh_account_refresh_async (account, fixture->client, NULL, refresh_cb, &second);
  mh_test_wait_for_flag (&first.done, MH_TEST_TIMEOUT, "the first refresh");
  mh_test_wait_for_flag (&second.done, MH_TEST_TIMEOUT, "the second refresh");
  g_assert_true (first.ok);
  g_assert_true (second.ok);
  g_assert_false (mh_account_get_available (account));
}

/* A key removed (the account cleared) while a refresh is under way: the
 * old key's answer, when it comes, does not bring the account back. */
static void
test_clear_in_flight (MhTestFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(MhAccount) account = mh_account_new ();
  RefreshResult r = { 0 };

  g_object_set (fixture->sim, "credits", (gint64) 10, NULL);
  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_SLOW,
                          1, 200, NULL);
  mh_account_refresh_async (account, fixture->client, NULL, refresh_cb, &r);
  mh_account_clear (account);
  mh_test_wait_for_flag (&r.done, MH_TEST_TIMEOUT, "the refresh");
  g_assert_true (r.ok);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_ACCOUNT), ==, 1);
  g_assert_false (mh_account_get_available (account));
  g_assert_cmpint (mh_account_get_credits (account), ==, -1);
}

/* The simulator's subscription, as the December 2026 contract has it. */
static void
test_past_due_from_simulator (MhTestFixture *fixture,
                              gconstpointer  data)
{
  g_autoptr(MhAccount) account = mh_account_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_object_set (fixture->sim, "tier", "pro", NULL);
  g_assert_true (refresh (account, fixture->client, &error));
  g_assert_cmpstr (mh_account_get_tier (account), ==, "pro");
  g_assert_cmpstr (mh_account_get_subscription_status (account), ==, "active");
  g_assert_cmpstr (mh_account_get_subscription_name (account), ==, "Pro");
  g_assert_cmpstr (mh_account_get_billing_interval (account), ==, "month");
  g_assert_nonnull (mh_account_get_current_period_end (account));
  g_assert_cmpint (g_date_time_compare (mh_account_get_current_period_end (account), now), >, 0);
  g_assert_false (mh_account_is_past_due (account));
  g_assert_null (mh_account_get_past_due_message (account));

  /* A payment that failed: served as free until it is paid. */
  g_object_set (fixture->sim, "past-due", TRUE, NULL);
  g_assert_true (refresh (account, fixture->client, &error));
  g_assert_cmpstr (mh_account_get_tier (account), ==, "free");
  g_assert_true (mh_account_is_past_due (account));
  g_assert_nonnull (mh_account_get_past_due_message (account));

  /* The free plan has none. */
  g_object_set (fixture->sim, "past-due", FALSE, "tier", "free", NULL);
  g_assert_true (refresh (account, fixture->client, &error));
  g_assert_null (mh_account_get_subscription_status (account));
  g_assert_null (mh_account_get_current_period_end (account));

  /* An older server, by the simulator's own switch. */
  g_object_set (fixture->sim, "no-account", TRUE, NULL);
  g_assert_true (refresh (account, fixture->client, &error));
  g_assert_no_error (error);
  g_assert_false (mh_account_get_available (account));
}

static void
test_subscription (void)
{
  g_autoptr(MhAccount) account = mh_account_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *when = NULL;
  const char *text =
    "{\"id\":\"cm0acct\",\"email\":null,\"tier\":\"free\",\"credits\":42,"
    "\"subscription\":{\"name\":\"Creator\",\"status\":\"past_due\","
    "\"price\":{\"amount\":1000,\"currency\":\"usd\"},\"discount\":null,"
    "\"billing_interval\":\"month\",\"current_period_end\":\"2027-01-05T10:00:00Z\","
    "\"cancel_at_period_end\":true},\"future_field\":[1,2]}";

  node = json_from_string (text, &error);
  g_assert_no_error (error);
  mh_account_update_from_json (account, node);
  g_assert_true (mh_account_get_available (account));
  g_assert_cmpint (mh_account_get_credits (account), ==, 42);
  g_assert_cmpstr (mh_account_get_tier (account), ==, "free");
  g_assert_null (mh_account_get_email (account));
  g_assert_cmpstr (mh_account_get_subscription_status (account), ==, "past_due");
  g_assert_true (mh_account_is_past_due (account));
  g_assert_cmpstr (mh_account_get_subscription_name (account), ==, "Creator");
  g_assert_cmpstr (mh_account_get_billing_interval (account), ==, "month");
  g_assert_true (mh_account_get_cancel_at_period_end (account));
  g_assert_nonnull (mh_account_get_current_period_end (account));
  when = g_date_time_format_iso8601 (mh_account_get_current_period_end (account));
  g_assert_cmpstr (when, ==, "2027-01-05T10:00:00Z");

  /* No subscription: each of its fields goes. */
  g_clear_pointer (&node, json_node_unref);
  node = json_from_string ("{\"tier\":\"pro\",\"credits\":7,\"subscription\":null}", &error);
  g_assert_no_error (error);
  mh_account_update_from_json (account, node);
  g_assert_null (mh_account_get_subscription_status (account));
  g_assert_false (mh_account_is_past_due (account));
  g_assert_null (mh_account_get_current_period_end (account));
  g_assert_false (mh_account_get_cancel_at_period_end (account));

  /* A balance that is not a number is unknown, not zero. */
  g_clear_pointer (&node, json_node_unref);
  node = json_from_string ("{\"tier\":\"pro\",\"credits\":\"lots\"}", &error);
  mh_account_update_from_json (account, node);
  g_assert_true (mh_account_get_available (account));
  g_assert_cmpint (mh_account_get_credits (account), ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, MhTestFixture, NULL, mh_test_fixture_setup, func, mh_test_fixture_teardown)

  ADD ("/account/credits-and-tier", test_credits_and_tier);
  ADD ("/account/not-found", test_not_found);
  ADD ("/account/unauthorized", test_unauthorized);
  ADD ("/account/cancelled", test_cancelled);
  ADD ("/account/overlapping", test_overlapping);
  ADD ("/account/clear-in-flight", test_clear_in_flight);
  ADD ("/account/past-due-from-simulator", test_past_due_from_simulator);
  g_test_add_func ("/account/subscription", test_subscription);

  return g_test_run ();
}
