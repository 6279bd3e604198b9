/* test-faults.c: transient trouble on each step is survived, persistent
 * trouble fails cleanly
 *
 * After a transient fault the job still succeeds with exactly one project,
 * the result byte-exact and no temporary file left behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mh-error.h"
#include "mh-params.h"
#include "mh-test-util.h"

typedef struct
{
  const char     *path;
  const char     *tool;
  const char     *endpoint;
  MhSimFaultKind  kind;
  guint           count;
  int             code;
  guint           expected;      /* requests to @endpoint; 0: not checked */
  guint64         output_bytes;  /* 0: the sample */
  double          render;        /* < 0: the default */
} Transient;

#define UU MH_SIM_ENDPOINT_UPLOAD_URLS
#define UP MH_SIM_ENDPOINT_UPLOAD
#define PR MH_SIM_ENDPOINT_PROJECT
#define DL MH_SIM_ENDPOINT_DOWNLOAD
#define MB (1024 * 1024)

static const Transient transients[] = {
  { "/faults/upload-urls/429", "talking-photo", UU, MH_SIM_FAULT_STATUS, 1, 429, 2, 0, -1 },
  { "/faults/upload-urls/500", "talking-photo", UU, MH_SIM_FAULT_STATUS, 1, 500, 2, 0, -1 },
  { "/faults/upload-urls/502", "talking-photo", UU, MH_SIM_FAULT_STATUS, 1, 502, 2, 0, -1 },
  { "/faults/upload-urls/503", "talking-photo", UU, MH_SIM_FAULT_STATUS, 1, 503, 2, 0, -1 },
  { "/faults/upload-urls/503x3", "headshot", UU, MH_SIM_FAULT_STATUS, 3, 503, 4, 0, -1 },
  { "/faults/upload-urls/malformed", "talking-photo", UU, MH_SIM_FAULT_MALFORMED, 1, 0, 2, 0, -1 },
  { "/faults/upload-urls/drop", "talking-photo", UU, MH_SIM_FAULT_DROP, 1, 0, 2, 0, -1 },
  { "/faults/upload-urls/slow", "headshot", UU, MH_SIM_FAULT_SLOW, 1, 300, 1, 0, -1 },
  { "/faults/upload/429", "headshot", UP, MH_SIM_FAULT_STATUS, 1, 429, 2, 0, -1 },
  { "/faults/upload/500", "headshot", UP, MH_SIM_FAULT_STATUS, 1, 500, 2, 0, -1 },
  { "/faults/upload/502", "headshot", UP, MH_SIM_FAULT_STATUS, 1, 502, 2, 0, -1 },
  { "/faults/upload/503", "headshot", UP, MH_SIM_FAULT_STATUS, 1, 503, 2, 0, -1 },
  { "/faults/upload/503-two-files", "talking-photo", UP, MH_SIM_FAULT_STATUS, 2, 503, 4, 0, -1 },
  { "/faults/upload/drop", "headshot", UP, MH_SIM_FAULT_DROP, 1, 0, 0, 0, -1 },
  { "/faults/upload/drop-two-files", "talking-photo", UP, MH_SIM_FAULT_DROP, 2, 0, 0, 0, -1 },
  { "/faults/project/429", "talking-photo", PR, MH_SIM_FAULT_STATUS, 1, 429, 0, 0, -1 },
  { "/faults/project/500", "talking-photo", PR, MH_SIM_FAULT_STATUS, 1, 500, 0, 0, -1 },
  { "/faults/project/502", "talking-photo", PR, MH_SIM_FAULT_STATUS, 1, 502, 0, 0, -1 },
  { "/faults/project/503", "headshot", PR, MH_SIM_FAULT_STATUS, 1, 503, 0, 0, -1 },
  /* More than the retries of one call: the poll goes on regardless. */
  { "/faults/project/503x9", "headshot", PR, MH_SIM_FAULT_STATUS, 9, 503, 0, 0, -1 },
  { "/faults/project/drop", "talking-photo", PR, MH_SIM_FAULT_DROP, 1, 0, 0, 0, -1 },
  { "/faults/project/drop-complete", "talking-photo", PR, MH_SIM_FAULT_DROP, 2, 0, 3, 0, 0 },
  { "/faults/project/malformed", "talking-photo", PR, MH_SIM_FAULT_MALFORMED, 1, 0, 0, 0, -1 },
  { "/faults/project/malformed-complete", "headshot", PR, MH_SIM_FAULT_MALFORMED, 2, 0, 3, 0, 0 },
  { "/faults/project/slow", "talking-photo", PR, MH_SIM_FAULT_SLOW, 1, 500, 1, 0, -1 },
  { "/faults/download/429", "talking-photo", DL, MH_SIM_FAULT_STATUS, 1, 429, 2, 0, -1 },
  { "/faults/download/500", "talking-photo", DL, MH_SIM_FAULT_STATUS, 1, 500, 2, 0, -1 },
  { "/faults/download/502", "headshot", DL, MH_SIM_FAULT_STATUS, 1, 502, 2, 0, -1 },
  { "/faults/download/503", "lip-sync", DL, MH_SIM_FAULT_STATUS, 1, 503, 2, 0, -1 },
  { "/faults/download/503x3", "headshot", DL, MH_SIM_FAULT_STATUS, 3, 503, 4, 0, -1 },
  { "/faults/download/drop", "talking-photo", DL, MH_SIM_FAULT_DROP, 1, 0, 2, 0, -1 },
  { "/faults/download/drop-big", "talking-photo", DL, MH_SIM_FAULT_DROP, 2, 0, 3, 3 * MB, -1 },
  { "/faults/download/slow", "headshot", DL, MH_SIM_FAULT_SLOW, 1, 300, 1, 0, -1 },
};

static void
assert_success (MhTestFixture *fixture,
                MhJob         *job)
{
  g_autoptr(GPtrArray) names = NULL;

  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_DONE);
  g_assert_cmpuint (mh_simulator_count_projects (fixture->sim), ==, 1);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_CREATE), ==, 1);
  mh_test_assert_job_output (fixture, job);
  names = mh_test_list_dir (fixture->out);
  g_assert_cmpuint (names->len, ==, 1);
}

static void
test_transient (MhTestFixture *fixture,
                gconstpointer  data)
{
  const Transient *t = data;
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, t->tool);
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, t->tool, params);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;

  if (t->render >= 0)
    mh_simulator_set_render_seconds (fixture->sim, t->render);
  if (t->output_bytes > 0)
    mh_simulator_set_output_bytes (fixture->sim, t->output_bytes);
  mh_simulator_add_fault (fixture->sim, t->endpoint, t->kind, t->count, t->code, NULL);

  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  assert_success (fixture, job);

  if (t->expected > 0)
    g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, t->endpoint), ==, t->expected);
  else
    g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, t->endpoint), >, t->count);

  /* Every upload stored is complete and right. */
  if (g_str_equal (t->endpoint, UP))
    {
      MhSimRequest *create = mh_test_request (fixture->sim, MH_SIM_ENDPOINT_CREATE, 0);
      const char *image = mh_test_json_get_string (create->json, "assets.image_file_path");
      g_autofree char *sha = NULL;
      g_autofree char *expected = mh_test_file_sha256 (mh_params_get (params, "image"));

      g_autoptr(GPtrArray) puts = mh_test_requests (fixture->sim, UP);

      g_assert_true (mh_simulator_lookup_upload (fixture->sim, image, NULL, &sha));
      if (g_strcmp0 (sha, expected) != 0)
        mh_test_dump_requests (fixture->sim);
      g_assert_cmpstr (sha, ==, expected);

      /* No PUT was ever accepted with less than the whole file, resends
       * included. */
      for (guint i = 0; i < puts->len; i++)
        {
          MhSimRequest *req = g_ptr_array_index (puts, i);

          if (req->status == 200)
            {
              g_assert_cmpint (req->content_length, >, 0);
              g_assert_cmpuint (req->body_bytes, ==, (guint64) req->content_length);
            }
        }
    }

  names = mh_test_list_dir (fixture->out);
  g_assert_cmpuint (names->len, ==, 1);
}

/* Upload URLs handed out already expired: a new one is asked for each file,
 * one at a time, in order. */
static void
test_expired_upload_urls (MhTestFixture *fixture,
                          gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) urls = NULL;
  g_autoptr(GPtrArray) puts = NULL;
  JsonArray *items;

  mh_simulator_add_fault (fixture->sim, UU, MH_SIM_FAULT_EXPIRED_URL, 1, 0, NULL);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  assert_success (fixture, job);

  urls = mh_test_requests (fixture->sim, UU);
  g_assert_cmpuint (urls->len, ==, 3);
  items = json_node_get_array (mh_test_json_get (((MhSimRequest *) urls->pdata[0])->json, "items"));
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  items = json_node_get_array (mh_test_json_get (((MhSimRequest *) urls->pdata[1])->json, "items"));
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "type"), ==, "image");
  items = json_node_get_array (mh_test_json_get (((MhSimRequest *) urls->pdata[2])->json, "items"));
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "type"), ==, "audio");

  /* Two refused PUTs (403), two accepted. */
  puts = mh_test_requests (fixture->sim, UP);
  g_assert_cmpuint (puts->len, ==, 4);
  g_assert_cmpuint (((MhSimRequest *) puts->pdata[0])->status, ==, 403);
  g_assert_cmpuint (((MhSimRequest *) puts->pdata[1])->status, ==, 200);
  g_assert_cmpuint (((MhSimRequest *) puts->pdata[2])->status, ==, 403);
  g_assert_cmpuint (((MhSimRequest *) puts->pdata[3])->status, ==, 200);
}

/* The project hands out download URLs that have already expired, and says
 * so in expires_at: fresh ones are fetched before any GET of the old ones.
 * The render is instant so the first check gets them. */
static void
test_expired_download_urls (MhTestFixture *fixture,
                            gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) downloads = NULL;

  mh_simulator_set_render_seconds (fixture->sim, 0);
  mh_simulator_add_fault (fixture->sim, PR, MH_SIM_FAULT_EXPIRED_URL, 1, 0, NULL);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  assert_success (fixture, job);

  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, PR), ==, 2);
  downloads = mh_test_requests (fixture->sim, DL);
  g_assert_cmpuint (downloads->len, ==, 1);
  g_assert_cmpuint (((MhSimRequest *) downloads->pdata[0])->status, ==, 200);
}

static void
expire_on_download_cb (MhJob       *job,
                       GParamSpec  *pspec,
                       MhSimulator *sim)
{
  if (mh_job_get_state (job) == MH_JOB_STATE_DOWNLOADING)
    mh_simulator_expire_downloads (sim);
}

/* The download URLs expire between the status check and the download. */
static void
test_downloads_expire_midway (MhTestFixture *fixture,
                              gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) downloads = NULL;
  guint gets;

  g_signal_connect (job, "notify::state", G_CALLBACK (expire_on_download_cb), fixture->sim);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  assert_success (fixture, job);

  downloads = mh_test_requests (fixture->sim, DL);
  g_assert_cmpuint (downloads->len, ==, 2);
  g_assert_cmpuint (((MhSimRequest *) downloads->pdata[0])->status, ==, 403);
  g_assert_cmpuint (((MhSimRequest *) downloads->pdata[1])->status, ==, 200);
  /* The last status check was the one for fresh URLs. */
  gets = mh_simulator_count_requests (fixture->sim, PR);
  g_assert_cmpuint (mh_job_get_status_checks (job), ==, gets);
}

/* ---- More trouble than the retries allow ---------------------------------- */

typedef struct
{
  const char     *path;
  const char     *tool;
  const char     *endpoint;
  MhSimFaultKind  kind;
  int             code;
  int             error_code;
  guint           projects;      /* projects that exist at the end */
  guint64         output_bytes;
} Persistent;

static const Persistent persistents[] = {
  { "/faults/persistent/upload-urls-503", "talking-photo", UU, MH_SIM_FAULT_STATUS, 503, MH_ERROR_SERVER, 0, 0 },
  { "/faults/persistent/upload-urls-429", "headshot", UU, MH_SIM_FAULT_STATUS, 429, MH_ERROR_RATE_LIMITED, 0, 0 },
  { "/faults/persistent/upload-urls-malformed", "headshot", UU, MH_SIM_FAULT_MALFORMED, 0, MH_ERROR_MALFORMED, 0, 0 },
  { "/faults/persistent/upload-503", "talking-photo", UP, MH_SIM_FAULT_STATUS, 503, MH_ERROR_SERVER, 0, 0 },
  { "/faults/persistent/upload-drop", "headshot", UP, MH_SIM_FAULT_DROP, 0, MH_ERROR_NETWORK, 0, 0 },
  { "/faults/persistent/download-503", "talking-photo", DL, MH_SIM_FAULT_STATUS, 503, MH_ERROR_SERVER, 1, 0 },
  { "/faults/persistent/download-drop", "talking-photo", DL, MH_SIM_FAULT_DROP, 0, MH_ERROR_NETWORK, 1, 2 * MB },
};

static void
test_persistent (MhTestFixture *fixture,
                 gconstpointer  data)
{
  const Persistent *p = data;
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, p->tool);
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, p->tool, params);
  g_autoptr(GError) error = NULL;
  guint max_attempts = mh_client_get_max_attempts (fixture->client);
  guint sent;

  /* An answer that cannot be read is asked for fewer times. */
  if (p->kind == MH_SIM_FAULT_MALFORMED)
    max_attempts = MIN (max_attempts, MH_CLIENT_UNREADABLE_ATTEMPTS);

  if (p->output_bytes > 0)
    mh_simulator_set_output_bytes (fixture->sim, p->output_bytes);
  mh_simulator_add_fault (fixture->sim, p->endpoint, p->kind, 50, p->code, NULL);

  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_error (error, MH_ERROR, p->error_code);
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_FAILED);
  g_assert_cmpstr (mh_job_get_message (job), ==, error->message);
  g_test_message ("%s", error->message);

  /* Bounded: the policy's attempts, no more. */
  sent = mh_simulator_count_requests (fixture->sim, p->endpoint);
  g_assert_cmpuint (sent, >=, max_attempts);
  g_assert_cmpuint (sent, <=, max_attempts + 1);

  g_assert_cmpuint (mh_simulator_count_projects (fixture->sim), ==, p->projects);
  if (p->projects == 0)
    g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_CREATE), ==, 0);
  else
    g_assert_nonnull (mh_job_get_project_id (job));

  /* Nothing half-written. */
  mh_test_assert_dir_empty (fixture->out);
  g_assert_true (mh_job_get_output_files (job) == NULL || mh_job_get_output_files (job)[0] == NULL);
}

/* Links that are always already expired: renewed a bounded number of times,
 * then a clear failure. */
static void
test_upload_urls_always_expired (MhTestFixture *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  g_autoptr(GError) error = NULL;
  guint max_attempts = mh_client_get_max_attempts (fixture->client);

  mh_simulator_add_fault (fixture->sim, UU, MH_SIM_FAULT_EXPIRED_URL, 50, 0, NULL);
  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_EXPIRED);
  g_test_message ("%s", error->message);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, UU), ==, max_attempts);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, UP), ==, max_attempts);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_CREATE), ==, 0);
  g_assert_false (g_file_test (fixture->out, G_FILE_TEST_EXISTS));
}

static void
test_download_urls_always_expired (MhTestFixture *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  g_autoptr(GError) error = NULL;
  guint max_attempts = mh_client_get_max_attempts (fixture->client);

  mh_simulator_set_render_seconds (fixture->sim, 0);
  mh_simulator_add_fault (fixture->sim, PR, MH_SIM_FAULT_EXPIRED_URL, 50, 0, NULL);
  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_EXPIRED);
  g_test_message ("%s", error->message);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, DL), ==, max_attempts);
  /* One more: the first links, said to be expired, were renewed before any
   * GET; the renewed ones are tried all the same (the two clocks may
   * disagree), and renewed after each 403. */
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, PR), ==, max_attempts + 1);
  g_assert_nonnull (mh_job_get_project_id (job));
  mh_test_assert_dir_empty (fixture->out);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (transients); i++)
    g_test_add (transients[i].path, MhTestFixture, &transients[i],
                mh_test_fixture_setup, test_transient, mh_test_fixture_teardown);
  for (guint i = 0; i < G_N_ELEMENTS (persistents); i++)
    g_test_add (persistents[i].path, MhTestFixture, &persistents[i],
                mh_test_fixture_setup, test_persistent, mh_test_fixture_teardown);

#define ADD(path, func) \
  g_test_add (path, MhTestFixture, NULL, mh_test_fixture_setup, func, mh_test_fixture_teardown)
  ADD ("/faults/upload-urls/expired", test_expired_upload_urls);
  ADD ("/faults/project/expired-download-urls", test_expired_download_urls);
  ADD ("/faults/download/expire-midway", test_downloads_expire_midway);
  ADD ("/faults/persistent/upload-urls-expired", test_upload_urls_always_expired);
  ADD ("/faults/persistent/download-urls-expired", test_download_urls_always_expired);
#undef ADD

  return g_test_run ();
}
