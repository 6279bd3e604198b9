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
#include "mh-test-util.h"

#define DL MH_SIM_ENDPOINT_DOWNLOAD
#define UP MH_SIM_ENDPOINT_UPLOAD

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
  g_assert_error (error, MH_ERROR, MH_ERROR_MALFORMED);
  g_test_message ("%s", error->message);
  assert_contains (error->message, "not a web address");
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
#undef ADD

  return g_test_run ();
}
