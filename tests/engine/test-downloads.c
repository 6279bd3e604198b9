/* test-downloads.c: what a job does with the download links it is given
 *
 * Links that are not web addresses, results gone from storage, storage that
 * stops sending or receiving midway, and projects that offer more files than
 * any tool makes: each ends with its own sentence, in bounded time, with
 * nothing half-written left in the output folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mh-error.h"
#include "mh-project.h"
#include "mh-job-record.h"
#include "mh-test-util.h"

#define DL MH_SIM_ENDPOINT_DOWNLOAD
#define UP MH_SIM_ENDPOINT_UPLOAD
#define MB (1024 * 1024)
/* The transfer timeout of these tests, in seconds. */
#define STALL_LIMIT 0.5

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

/* ---- Links that are not web addresses ----------------------------------- */

static const char *const not_web[] = {
  "file:///etc/passwd",
  "ftp://127.0.0.1/result.mp4",
  "data:video/mp4;base64,AAAA",
  "not a link at all",
  "https:///no-host.mp4",
  "javascript:alert(1)",
};

/* A job failed by an answer that will never do is not picked up again at
 * the next start (nor by "resume"): it would fail the same way every time. */
static void
assert_not_resumed (MhJob        *job,
                    const GError *error)
{
  g_autoptr(MhJobRecord) record = mh_job_record_new (mh_job_get_tool (job), NULL);

  mh_job_record_set_project (record, mh_job_get_project_id (job), 50);
  mh_job_record_set_state (record, MH_JOB_STATE_FAILED);
  mh_job_record_set_error (record, error);
  g_assert_false (mh_job_record_needs_resume (record));
}

/* Before anything is fetched or written, a sentence; libsoup never sees it
 * (its CRITICAL would abort this test: g_test_init() makes them fatal). */
static void
test_not_web_url (MhTestFixture *fixture,
                  gconstpointer  data)
{
  const char *url = data;
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  g_autoptr(GError) error = NULL;

  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_DOWNLOAD_URL, 1, 0, url);
  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_UNUSABLE);
  g_test_message ("%s", error->message);
  assert_contains (error->message, "not a web address");
  assert_not_resumed (job, error);
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_FAILED);
  g_assert_cmpstr (mh_job_get_message (job), ==, error->message);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, DL), ==, 0);
  mh_test_assert_dir_empty (fixture->out);
}

/* ---- Gone from storage ---------------------------------------------------- */

static void
test_download_404 (MhTestFixture *fixture,
                   gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  g_autoptr(GError) error = NULL;

  mh_simulator_add_fault (fixture->sim, DL, MH_SIM_FAULT_STATUS, 50, 404, NULL);
  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_NOT_FOUND);
  g_test_message ("%s", error->message);
  /* The file is gone; the project is known (its ID is named). */
  assert_contains (error->message, "no longer on Magic Hour's storage (HTTP 404)");
  assert_contains (error->message, mh_job_get_project_id (job));
  g_assert_null (strstr (error->message, "does not know this project"));
  /* Not worth another try. */
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, DL), ==, 1);
  mh_test_assert_dir_empty (fixture->out);
}

static void
test_upload_404 (MhTestFixture *fixture,
                 gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  g_autoptr(GError) error = NULL;

  mh_simulator_add_fault (fixture->sim, UP, MH_SIM_FAULT_STATUS, 50, 404, NULL);
  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_NOT_FOUND);
  g_test_message ("%s", error->message);
  assert_contains (error->message, "storage does not know the upload link (HTTP 404)");
  g_assert_null (strstr (error->message, "project"));
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_CREATE), ==, 0);
}

/* ---- Storage that stops midway -------------------------------------------- */

/* Stalls on every attempt: each ends after the limit (late by a quarter of
 * it at most), the job after its attempts, and no partial file is left. */
static void
test_download_stalls (MhTestFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  g_autoptr(GError) error = NULL;
  guint attempts = mh_client_get_max_attempts (fixture->client);
  g_autoptr(GPtrArray) downloads = NULL;
  gint64 started;
  double seconds;

  mh_client_set_transfer_timeout (fixture->client, STALL_LIMIT);
  mh_simulator_set_output_bytes (fixture->sim, 4 * MB);
  mh_simulator_set_render_seconds (fixture->sim, 0);
  mh_simulator_add_fault (fixture->sim, DL, MH_SIM_FAULT_STALL, 50, 256 * 1024, NULL);

  started = g_get_monotonic_time ();
  g_assert_false (mh_test_run_job (job, NULL, &error));
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_test_message ("%s (after %.2f s)", error->message, seconds);

  g_assert_error (error, MH_ERROR, MH_ERROR_NETWORK);
  assert_contains (error->message, "stopped sending the file");
  assert_contains (error->message, "partial file was removed");
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_FAILED);
  downloads = mh_test_requests (fixture->sim, DL);
  g_assert_cmpuint (downloads->len, ==, attempts);
  g_assert_cmpfloat (seconds, >=, attempts * STALL_LIMIT);
  /* Far below the minute of the session's own timeout. */
  g_assert_cmpfloat (seconds, <, attempts * STALL_LIMIT * 1.25 + 10);
  mh_test_assert_dir_empty (fixture->out);
}

/* Stalls once: the next attempt brings the whole file. */
static void
test_download_stalls_once (MhTestFixture *fixture,
                           gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  g_autoptr(GError) error = NULL;

  mh_client_set_transfer_timeout (fixture->client, STALL_LIMIT);
  mh_simulator_set_output_bytes (fixture->sim, 4 * MB);
  mh_simulator_add_fault (fixture->sim, DL, MH_SIM_FAULT_STALL, 1, 256 * 1024, NULL);

  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  mh_test_assert_job_output (fixture, job);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, DL), ==, 2);
}

/* Storage stops reading the body (or never answers): the same limit. */
static void
test_upload_stalls (MhTestFixture *fixture,
                    gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  g_autoptr(GError) error = NULL;
  guint attempts = mh_client_get_max_attempts (fixture->client);
  gint64 started;
  double seconds;

  mh_client_set_transfer_timeout (fixture->client, STALL_LIMIT);
  mh_simulator_add_fault (fixture->sim, UP, MH_SIM_FAULT_STALL, 50, -1, NULL);

  started = g_get_monotonic_time ();
  g_assert_false (mh_test_run_job (job, NULL, &error));
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_test_message ("%s (after %.2f s)", error->message, seconds);

  g_assert_error (error, MH_ERROR, MH_ERROR_NETWORK);
  assert_contains (error->message, "stopped receiving the file");
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, UP), ==, attempts);
  g_assert_cmpfloat (seconds, <, attempts * STALL_LIMIT * 1.25 + 10);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_CREATE), ==, 0);
}

/* ---- Many files ------------------------------------------------------------- */

/* One more than the cap: refused with the number, nothing fetched, not even
 * the output folder made. */
static void
test_too_many_downloads (MhTestFixture *fixture,
                         gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  g_autoptr(GError) error = NULL;
  g_autofree char *count = g_strdup_printf ("%u result files", GPOINTER_TO_UINT (data));

  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_DOWNLOADS, 1,
                          GPOINTER_TO_UINT (data), NULL);
  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_UNUSABLE);
  g_test_message ("%s", error->message);
  assert_contains (error->message, count);
  assert_not_resumed (job, error);
  assert_contains (error->message, "nothing was downloaded");
  assert_contains (error->message, mh_job_get_project_id (job));
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, DL), ==, 0);
  g_assert_false (g_file_test (fixture->out, G_FILE_TEST_EXISTS));
}

/* As many as the cap: every one saved, byte-exact, under its own name. */
static void
test_downloads_at_cap (MhTestFixture *fixture,
                       gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *expected = NULL;
  const char *const *files;

  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_DOWNLOADS, 1,
                          MH_PROJECT_MAX_DOWNLOADS, NULL);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);

  expected = mh_simulator_dup_output_sha256 (fixture->sim, mh_job_get_project_id (job), NULL);
  files = mh_job_get_output_files (job);
  g_assert_cmpuint (g_strv_length ((char **) files), ==, MH_PROJECT_MAX_DOWNLOADS);
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *sha = mh_test_file_sha256 (files[i]);
      g_autofree char *base = g_path_get_basename (files[i]);
      /* The job's name numbered: face-headshot-1.png, face-headshot-2.png... */
      g_autofree char *numbered = g_strdup_printf ("face-headshot-%u.png", i + 1);

      g_assert_cmpstr (sha, ==, expected);
      g_assert_cmpstr (base, ==, numbered);
    }
  names = mh_test_list_dir (fixture->out);
  g_assert_cmpuint (names->len, ==, MH_PROJECT_MAX_DOWNLOADS);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, DL), ==, MH_PROJECT_MAX_DOWNLOADS);
}

/* ---- Links near their end ------------------------------------------------ */

/* The requests after the create, by endpoint: "project project download". */
static char *
steps_after_create (MhSimulator *sim)
{
  GPtrArray *requests = mh_simulator_get_requests (sim);
  g_autoptr(GString) steps = g_string_new (NULL);
  gboolean created = FALSE;

  for (guint i = 0; i < requests->len; i++)
    {
      MhSimRequest *request = g_ptr_array_index (requests, i);

      if (g_strcmp0 (request->endpoint, MH_SIM_ENDPOINT_CREATE) == 0)
        created = TRUE;
      else if (created && request->endpoint != NULL)
        g_string_append_printf (steps, "%s%s", steps->len > 0 ? " " : "", request->endpoint);
    }
  return g_string_free (g_steal_pointer (&steps), FALSE);
}

/* The real time (µs) the download link of @request said it expired at. */
static gint64
download_link_expiry (MhSimRequest *request)
{
  g_autoptr(GHashTable) query = g_uri_parse_params (request->query, -1, "&", G_URI_PARAMS_NONE, NULL);
  const char *expires = query != NULL ? g_hash_table_lookup (query, "expires") : NULL;

  g_assert_nonnull (expires);
  return g_ascii_strtoll (expires, NULL, 10) * G_USEC_PER_SEC;
}

typedef struct
{
  double      lifetime;       /* seconds each link lives; 0: the simulator's day */
  int         expiring;       /* the first answer's links live this long; 0: no such fault */
  const char *steps;          /* the requests after the create */
  guint       status_checks;
  gint64      at_least_left;  /* seconds the link downloaded still had */
} LinkCase;

/* A link with an hour left is downloaded as it is: no second look at the
 * project. */
static const LinkCase hour_left = { 3600, 0, "project download", 1, 3500 };
/* The project's answer holds a cached link with 30 s left: the job asks for
 * the project again before any download, and downloads the fresh link, a
 * day long (the old one would still have worked). */
static const LinkCase expiring_soon = { 0, 30, "project project download", 2, 3600 };
/* Every answer hands out links with 30 s left: the first is asked for
 * again before any GET, and the fresh one, no better, is used as it is (it
 * still works for 30 s) rather than asked for without end. */
static const LinkCase always_near_end = { 30, 0, "project project download", 2, 0 };

static void
test_link_lifetime (MhTestFixture *fixture,
                    gconstpointer  data)
{
  const LinkCase *c = data;
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  g_autoptr(GError) error = NULL;
  g_autofree char *steps = NULL;
  g_autoptr(GPtrArray) downloads = NULL;

  mh_simulator_set_render_seconds (fixture->sim, 0);
  if (c->lifetime > 0)
    g_object_set (fixture->sim, "download-url-lifetime", c->lifetime, NULL);
  if (c->expiring > 0)
    mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_PROJECT, MH_SIM_FAULT_EXPIRING, 1,
                            c->expiring, NULL);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  mh_test_assert_job_output (fixture, job);

  steps = steps_after_create (fixture->sim);
  g_assert_cmpstr (steps, ==, c->steps);
  g_assert_cmpuint (mh_job_get_status_checks (job), ==, c->status_checks);
  downloads = mh_test_requests (fixture->sim, DL);
  g_assert_cmpuint (downloads->len, ==, 1);
  g_assert_cmpuint (((MhSimRequest *) downloads->pdata[0])->status, ==, 200);
  g_assert_cmpint (download_link_expiry (downloads->pdata[0]), >,
                   g_get_real_time () + c->at_least_left * G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (not_web); i++)
    {
      g_autofree char *path = g_strdup_printf ("/downloads/not-web-url/%u", i);

      g_test_add (path, MhTestFixture, not_web[i], mh_test_fixture_setup, test_not_web_url,
                  mh_test_fixture_teardown);
    }

#define ADD(path, func, data) \
  g_test_add (path, MhTestFixture, data, mh_test_fixture_setup, func, mh_test_fixture_teardown)
  ADD ("/downloads/404", test_download_404, NULL);
  ADD ("/uploads/404", test_upload_404, NULL);
  ADD ("/downloads/stalls", test_download_stalls, NULL);
  ADD ("/downloads/stalls-once", test_download_stalls_once, NULL);
  ADD ("/uploads/stalls", test_upload_stalls, NULL);
  ADD ("/downloads/too-many", test_too_many_downloads, GUINT_TO_POINTER (MH_PROJECT_MAX_DOWNLOADS + 1));
  ADD ("/downloads/too-many-10000", test_too_many_downloads, GUINT_TO_POINTER (10000));
  ADD ("/downloads/at-cap", test_downloads_at_cap, NULL);
  ADD ("/downloads/link-hour-left", test_link_lifetime, &hour_left);
  ADD ("/downloads/link-expiring-soon", test_link_lifetime, &expiring_soon);
  ADD ("/downloads/link-always-near-end", test_link_lifetime, &always_near_end);
#undef ADD

  return g_test_run ();
}
