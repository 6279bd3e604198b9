/* test-cancel.c: a job canceled at each step stops there, cleanly
 *
 * State CANCELED, G_IO_ERROR_CANCELLED, and nothing half-written in the
 * output folder; a render already created keeps its project ID.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mh-error.h"
#include "mh-params.h"
#include "mh-test-util.h"

#define MB (1024 * 1024)

typedef struct
{
  MhTestFixture *fixture;
  MhJob         *job;
  gboolean       done;
  gboolean       ok;
  GError        *error;
  MhJobState     cancel_in;     /* cancel when this state is reached */
  gboolean       on_bytes;      /* ...and bytes have moved */
  gboolean       from_idle;     /* cancel from the main loop, like a button */
  gboolean       canceled;
  MhJobState     canceled_at;
  gint64         canceled_time;
  gint64         done_time;
} Run;

static void
ran_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Run *run = user_data;

  run->ok = mh_job_run_finish (MH_JOB (source), result, &run->error);
  run->done = TRUE;
  run->done_time = g_get_monotonic_time ();
}

static gboolean
cancel_idle_cb (gpointer user_data)
{
  Run *run = user_data;

  run->canceled_at = mh_job_get_state (run->job);
  run->canceled_time = g_get_monotonic_time ();
  mh_job_cancel (run->job);
  return G_SOURCE_REMOVE;
}

static void
cancel_now (Run *run)
{
  if (run->canceled)
    return;
  run->canceled = TRUE;

  if (run->from_idle)
    /* At the default priority, as GDK dispatches a click: at the idle
     * priority it would wait for the in-process simulator to stop sending
     * (always ready to write to a client that keeps up), which a real
     * click does not. */
    g_idle_add_full (G_PRIORITY_DEFAULT, cancel_idle_cb, run, NULL);
  else
    cancel_idle_cb (run);
}

static void
maybe_cancel_cb (MhJob      *job,
                 GParamSpec *pspec,
                 Run        *run)
{
  if (mh_job_get_state (job) != run->cancel_in)
    return;
  if (run->on_bytes && mh_job_get_bytes_done (job) == 0)
    return;
  cancel_now (run);
}

static void
run_init (Run           *run,
          MhTestFixture *fixture,
          MhJob         *job,
          MhJobState     cancel_in,
          gboolean       on_bytes)
{
  memset (run, 0, sizeof *run);
  run->fixture = fixture;
  run->job = job;
  run->cancel_in = cancel_in;
  run->on_bytes = on_bytes;
  /* On bytes: at the first bytes-done notify of that state that shows bytes
   * moved (the state's own notify still shows the previous step's bytes). */
  if (cancel_in != MH_JOB_STATE_IDLE)
    g_signal_connect (job, on_bytes ? "notify::bytes-done" : "notify::state",
                      G_CALLBACK (maybe_cancel_cb), run);
}

static void
run_wait (Run *run)
{
  mh_test_wait_for_flag (&run->done, MH_TEST_TIMEOUT, "the canceled job to end");
}

static void
run_clear (Run *run)
{
  g_signal_handlers_disconnect_by_data (run->job, run);
  g_clear_error (&run->error);
}

/* What every cancel leaves behind. */
static void
assert_canceled (Run *run)
{
  MhTestFixture *fixture = run->fixture;
  const char *const *outputs = mh_job_get_output_files (run->job);

  g_assert_true (run->done);
  g_assert_false (run->ok);
  g_assert_error (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (mh_job_get_state (run->job), ==, MH_JOB_STATE_CANCELED);
  g_assert_nonnull (mh_job_get_error (run->job));
  g_assert_true (g_error_matches (mh_job_get_error (run->job), G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_assert_true (outputs == NULL || outputs[0] == NULL);
  mh_test_assert_dir_empty (fixture->out);
  if (!g_str_has_prefix (mh_job_get_message (run->job), "Canceled"))
    g_error ("Unexpected message after a cancel: %s", mh_job_get_message (run->job));
}

/* ---- Each step ------------------------------------------------------------ */

static void
test_cancel_validating (MhTestFixture *fixture,
                        gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  Run run;

  run_init (&run, fixture, job, MH_JOB_STATE_VALIDATING, FALSE);
  mh_job_run_async (job, NULL, ran_cb, &run);
  g_assert_true (run.canceled);
  g_assert_cmpint (run.canceled_at, ==, MH_JOB_STATE_VALIDATING);
  run_wait (&run);

  assert_canceled (&run);
  g_assert_null (mh_job_get_project_id (job));
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, NULL), ==, 0);
  g_assert_false (g_file_test (fixture->out, G_FILE_TEST_EXISTS));
  run_clear (&run);
}

/* The caller's own cancellable works the same. */
static void
test_cancel_own_cancellable (MhTestFixture *fixture,
                             gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Run run;

  run_init (&run, fixture, job, MH_JOB_STATE_IDLE, FALSE);
  mh_job_run_async (job, cancellable, ran_cb, &run);
  g_cancellable_cancel (cancellable);
  run_wait (&run);

  assert_canceled (&run);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, NULL), ==, 0);
  run_clear (&run);
}

/* A big sparse file, canceled as soon as bytes have gone out. Storage
 * stops reading after 1 MiB: the transfer thread moves a loopback upload
 * faster than a busy main loop sees its first progress report (every
 * 50 ms at most), so without it the whole file could be sent before the
 * cancel, and the cancel would not be one of an upload under way. */
static void
cancel_uploading (MhTestFixture *fixture,
                  gboolean       from_idle)
{
  g_autofree char *big = mh_test_write_big_png (fixture->tmp, "big.png", 256 * MB);
  g_autoptr(GHashTable) params = mh_test_params ("image", big, NULL);
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  Run run;

  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_UPLOAD, MH_SIM_FAULT_STALL, 1, MB, NULL);
  run_init (&run, fixture, job, MH_JOB_STATE_UPLOADING, TRUE);
  run.from_idle = from_idle;
  mh_job_run_async (job, NULL, ran_cb, &run);
  run_wait (&run);

  g_assert_true (run.canceled);
  g_assert_cmpint (run.canceled_at, ==, MH_JOB_STATE_UPLOADING);
  assert_canceled (&run);
  g_assert_cmpuint (mh_job_get_bytes_done (job), <, 256 * MB);
  g_assert_null (mh_job_get_project_id (job));
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_CREATE), ==, 0);
  g_assert_cmpuint (mh_simulator_count_projects (fixture->sim), ==, 0);
  g_assert_nonnull (strstr (mh_job_get_message (job), "Nothing was sent"));
  g_assert_false (g_file_test (fixture->out, G_FILE_TEST_EXISTS));
  run_clear (&run);
}

static void
test_cancel_uploading (MhTestFixture *fixture,
                       gconstpointer  data)
{
  cancel_uploading (fixture, FALSE);
}

static void
test_cancel_uploading_idle (MhTestFixture *fixture,
                            gconstpointer  data)
{
  cancel_uploading (fixture, TRUE);
}

typedef struct
{
  MhSimulator *sim;
  const char  *endpoint;
  guint        count;
} Seen;

static gboolean
simulator_has_seen (gpointer user_data)
{
  Seen *seen = user_data;

  return mh_simulator_count_requests (seen->sim, seen->endpoint) >= seen->count;
}

/* Canceled while the storage holds its answer to the PUT back. */
static void
test_cancel_uploading_slow (MhTestFixture *fixture,
                            gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  Seen seen = { fixture->sim, MH_SIM_ENDPOINT_UPLOAD, 1 };
  Run run;

  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_UPLOAD, MH_SIM_FAULT_SLOW, 1, 20000, NULL);
  run_init (&run, fixture, job, MH_JOB_STATE_IDLE, FALSE);
  mh_job_run_async (job, NULL, ran_cb, &run);
  mh_test_wait_for (simulator_has_seen, &seen, MH_TEST_TIMEOUT, "the PUT");
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_UPLOADING);
  mh_job_cancel (job);
  run_wait (&run);

  assert_canceled (&run);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_UPLOAD), ==, 1);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_CREATE), ==, 0);
  run_clear (&run);
}

/* Canceled while the create is on its way. */
static void
test_cancel_creating (MhTestFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  Seen seen = { fixture->sim, MH_SIM_ENDPOINT_CREATE, 1 };
  Run run;

  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_SLOW, 1, 20000, NULL);
  run_init (&run, fixture, job, MH_JOB_STATE_IDLE, FALSE);
  mh_job_run_async (job, NULL, ran_cb, &run);
  mh_test_wait_for (simulator_has_seen, &seen, MH_TEST_TIMEOUT, "the create");
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_CREATING);
  mh_job_cancel (job);
  run_wait (&run);

  assert_canceled (&run);
  g_assert_null (mh_job_get_project_id (job));
  /* The create went out: the person is not told that nothing was sent. */
  g_assert_null (strstr (mh_job_get_message (job), "Nothing was sent"));
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_CREATE), ==, 1);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_PROJECT), ==, 0);
  g_assert_false (g_file_test (fixture->out, G_FILE_TEST_EXISTS));
  run_clear (&run);
}

/* Canceled right when the create was answered: the project ID is kept. */
static void
cancel_after_create (MhTestFixture *fixture,
                     MhJobState     state,
                     double         render)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  Run run;

  mh_simulator_set_render_seconds (fixture->sim, render);
  run_init (&run, fixture, job, state, FALSE);
  mh_job_run_async (job, NULL, ran_cb, &run);
  run_wait (&run);

  g_assert_true (run.canceled);
  g_assert_cmpint (run.canceled_at, ==, state);
  assert_canceled (&run);
  g_assert_nonnull (mh_job_get_project_id (job));
  g_assert_cmpint (mh_job_get_credits_charged (job), ==, 5 * 48);
  g_assert_nonnull (strstr (mh_job_get_message (job), "may still finish"));
  g_assert_cmpuint (mh_simulator_count_projects (fixture->sim), ==, 1);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_DOWNLOAD), ==, 0);
  g_assert_false (g_file_test (fixture->out, G_FILE_TEST_EXISTS));
  run_clear (&run);
}

static void
test_cancel_queued (MhTestFixture *fixture,
                    gconstpointer  data)
{
  cancel_after_create (fixture, MH_JOB_STATE_QUEUED, 5.0);
  /* Not even one status check went out. */
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_PROJECT), ==, 0);
}

static void
test_cancel_rendering (MhTestFixture *fixture,
                       gconstpointer  data)
{
  cancel_after_create (fixture, MH_JOB_STATE_RENDERING, 1.0);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_PROJECT), >=, 1);
}

/* A 64 MiB result, canceled on the first bytes. Storage stops sending
 * after 1 MiB, for the same reason as in cancel_uploading: the transfer
 * thread could have the whole result before the main loop hears of it. */
static void
cancel_downloading (MhTestFixture *fixture,
                    gboolean       from_idle)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "lip-sync");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "lip-sync", params);
  Run run;

  mh_simulator_set_output_bytes (fixture->sim, 64 * MB);
  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_DOWNLOAD, MH_SIM_FAULT_STALL, 1, MB, NULL);
  run_init (&run, fixture, job, MH_JOB_STATE_DOWNLOADING, TRUE);
  run.from_idle = from_idle;
  mh_job_run_async (job, NULL, ran_cb, &run);
  run_wait (&run);

  g_assert_true (run.canceled);
  g_assert_cmpint (run.canceled_at, ==, MH_JOB_STATE_DOWNLOADING);
  assert_canceled (&run);
  g_assert_nonnull (mh_job_get_project_id (job));
  g_assert_cmpuint (mh_job_get_bytes_done (job), <, 64 * MB);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_DOWNLOAD), ==, 1);
  /* The folder was made, and is left empty. */
  g_assert_true (g_file_test (fixture->out, G_FILE_TEST_IS_DIR));
  run_clear (&run);
}

static void
test_cancel_downloading (MhTestFixture *fixture,
                         gconstpointer  data)
{
  cancel_downloading (fixture, FALSE);
}

static void
test_cancel_downloading_idle (MhTestFixture *fixture,
                              gconstpointer  data)
{
  cancel_downloading (fixture, TRUE);
}

/* Canceled while the download's answer is held back. */
static void
test_cancel_downloading_slow (MhTestFixture *fixture,
                              gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  Seen seen = { fixture->sim, MH_SIM_ENDPOINT_DOWNLOAD, 1 };
  Run run;

  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_DOWNLOAD, MH_SIM_FAULT_SLOW, 1, 20000, NULL);
  run_init (&run, fixture, job, MH_JOB_STATE_IDLE, FALSE);
  mh_job_run_async (job, NULL, ran_cb, &run);
  mh_test_wait_for (simulator_has_seen, &seen, MH_TEST_TIMEOUT, "the download");
  mh_job_cancel (job);
  run_wait (&run);

  assert_canceled (&run);
  g_assert_nonnull (mh_job_get_project_id (job));
  run_clear (&run);
}

static gboolean
first_answered (gpointer user_data)
{
  return mh_test_request (user_data, MH_SIM_ENDPOINT_UPLOAD_URLS, 0)->status == 503;
}

/* Canceled during a retry's backoff: it ends at once, not after the wait. */
static void
test_cancel_backoff (MhTestFixture *fixture,
                     gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  Seen seen = { fixture->sim, MH_SIM_ENDPOINT_UPLOAD_URLS, 1 };
  Run run;
  double took;

  mh_client_set_retry_policy (fixture->client, 4, 20.0, 20.0);
  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_UPLOAD_URLS, MH_SIM_FAULT_STATUS, 1, 503, NULL);
  run_init (&run, fixture, job, MH_JOB_STATE_IDLE, FALSE);
  mh_job_run_async (job, NULL, ran_cb, &run);
  mh_test_wait_for (simulator_has_seen, &seen, MH_TEST_TIMEOUT, "the first upload-urls call");
  /* Let its 503 go out, so that the backoff starts. */
  mh_test_wait_for (first_answered, fixture->sim, MH_TEST_TIMEOUT, "the 503");
  run.canceled_time = g_get_monotonic_time ();
  mh_job_cancel (job);
  run_wait (&run);

  assert_canceled (&run);
  took = (run.done_time - run.canceled_time) / (double) G_USEC_PER_SEC;
  g_assert_cmpfloat (took, <, 5.0);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_UPLOAD_URLS), ==, 1);
  run_clear (&run);
}

/* Cancel after the end changes nothing. */
static void
test_cancel_after_done (MhTestFixture *fixture,
                        gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  g_autoptr(GError) error = NULL;

  g_assert_true (mh_test_run_job (job, NULL, &error));
  mh_job_cancel (job);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_DONE);
  g_assert_null (mh_job_get_error (job));
  mh_test_assert_job_output (fixture, job);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, MhTestFixture, NULL, mh_test_fixture_setup, func, mh_test_fixture_teardown)
  ADD ("/cancel/validating", test_cancel_validating);
  ADD ("/cancel/own-cancellable", test_cancel_own_cancellable);
  ADD ("/cancel/uploading", test_cancel_uploading);
  ADD ("/cancel/uploading-from-idle", test_cancel_uploading_idle);
  ADD ("/cancel/uploading-slow-answer", test_cancel_uploading_slow);
  ADD ("/cancel/creating", test_cancel_creating);
  ADD ("/cancel/queued", test_cancel_queued);
  ADD ("/cancel/rendering", test_cancel_rendering);
  ADD ("/cancel/downloading", test_cancel_downloading);
  ADD ("/cancel/downloading-from-idle", test_cancel_downloading_idle);
  ADD ("/cancel/downloading-slow-answer", test_cancel_downloading_slow);
  ADD ("/cancel/backoff", test_cancel_backoff);
  ADD ("/cancel/after-done", test_cancel_after_done);
#undef ADD

  return g_test_run ();
}
