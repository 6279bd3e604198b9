/* test-job.c: whole jobs end to end, and how they follow a render
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "mh-error.h"
#include "mh-params.h"
#include "mh-test-util.h"

typedef struct
{
  MhJobState state;
  guint64    done;
  guint64    total;
} Progress;

static void
bytes_notify_cb (MhJob      *job,
                 GParamSpec *pspec,
                 GArray     *progress)
{
  Progress p = { mh_job_get_state (job), mh_job_get_bytes_done (job), mh_job_get_bytes_total (job) };

  g_array_append_val (progress, p);
}

static guint64
file_size (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);

  g_assert_nonnull (info);
  return g_file_info_get_size (info);
}

/* Byte progress in @state only grows, and ends at @total. */
static void
assert_progress (GArray     *progress,
                 MhJobState  state,
                 guint64     total)
{
  guint64 last = 0;
  guint n = 0;

  for (guint i = 0; i < progress->len; i++)
    {
      Progress *p = &g_array_index (progress, Progress, i);

      if (p->state != state)
        continue;
      g_assert_cmpuint (p->done, >=, last);
      g_assert_cmpuint (p->done, <=, MAX (p->total, total));
      last = p->done;
      n++;
    }

  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (last, ==, total);
}

static void
assert_uploaded (MhTestFixture *fixture,
                 JsonNode      *body,
                 const char    *json_path,
                 const char    *local_path)
{
  const char *file_path = mh_test_json_get_string (body, json_path);
  g_autofree char *sha = NULL;
  g_autofree char *expected = mh_test_file_sha256 (local_path);
  guint64 size = 0;

  g_assert_nonnull (file_path);
  g_assert_true (mh_simulator_lookup_upload (fixture->sim, file_path, &size, &sha));
  g_assert_cmpstr (sha, ==, expected);
  g_assert_cmpuint (size, ==, file_size (local_path));
}

typedef struct
{
  const char *tool;
  const char *variant;   /* NULL, "youtube", "url" */
} EndToEnd;

static void
test_end_to_end (MhTestFixture *fixture,
                 gconstpointer  data)
{
  const EndToEnd *e2e = data;
  const MhTool *tool = mh_tool_lookup (e2e->tool);
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, e2e->tool);
  g_autoptr(MhJob) job = NULL;
  g_autoptr(MhTestStateLog) log = NULL;
  g_autoptr(GArray) progress = g_array_new (FALSE, FALSE, sizeof (Progress));
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *expected_project_path = NULL;
  MhSimRequest *create;
  const char *id;
  guint64 upload_total = 0, output_size = 0;
  gboolean uploads;
  MhJobState with_upload[] = {
    MH_JOB_STATE_VALIDATING, MH_JOB_STATE_UPLOADING, MH_JOB_STATE_CREATING,
    MH_JOB_STATE_QUEUED, MH_JOB_STATE_DOWNLOADING, MH_JOB_STATE_DONE
  };
  MhJobState without_upload[] = {
    MH_JOB_STATE_VALIDATING, MH_JOB_STATE_CREATING,
    MH_JOB_STATE_QUEUED, MH_JOB_STATE_DOWNLOADING, MH_JOB_STATE_DONE
  };

  if (g_strcmp0 (e2e->variant, "youtube") == 0)
    {
      g_hash_table_remove (params, "video");
      mh_params_set (params, "youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
    }
  else if (g_strcmp0 (e2e->variant, "url") == 0)
    {
      mh_params_set (params, "image", "https://cdn.example.com/face.jpg");
    }

  for (guint i = 0; i < tool->n_slots; i++)
    {
      const char *value = mh_params_get (params, tool->slots[i].key);

      if (value != NULL && mh_asset_value_classify (value) == MH_ASSET_VALUE_FILE)
        upload_total += file_size (value);
    }
  uploads = upload_total > 0;

  job = mh_test_fixture_new_job (fixture, e2e->tool, params);
  log = mh_test_state_log_new (job);
  g_signal_connect (job, "notify::bytes-done", G_CALLBACK (bytes_notify_cb), progress);
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_IDLE);

  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);

  /* States in order (rendering may be skipped when the render is quick). */
  if (uploads)
    mh_test_assert_states (log, with_upload, G_N_ELEMENTS (with_upload));
  else
    {
      mh_test_assert_states (log, without_upload, G_N_ELEMENTS (without_upload));
      g_assert_false (mh_test_state_log_contains (log, MH_JOB_STATE_UPLOADING));
    }
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_DONE);
  g_assert_null (mh_job_get_error (job));
  g_assert_cmpfloat (mh_job_get_fraction (job), ==, 1.0);
  g_assert_cmpstr (mh_job_get_message (job), ==, "Done. The result is saved.");

  /* The result on disk, byte-exact. */
  mh_test_assert_job_output (fixture, job);
  id = mh_job_get_project_id (job);
  g_assert_nonnull (id);
  g_free (mh_simulator_dup_output_sha256 (fixture->sim, id, &output_size));
  basename = g_path_get_basename (mh_job_get_output_files (job)[0]);
  /* Named after the first input with a file name, and the tool; a YouTube
   * link has none, so a lip sync from one is named after its speech. */
  {
    const char *stem = g_str_equal (e2e->tool, "lip-sync")
                       ? (g_strcmp0 (e2e->variant, "youtube") == 0 ? "voice" : "clip")
                       : "face";
    g_autofree char *expected_name = g_strdup_printf ("%s-%s.%s", stem, e2e->tool,
                                                      tool->kind == MH_PROJECT_IMAGE ? "png" : "mp4");

    g_assert_cmpstr (basename, ==, expected_name);
  }

  /* Exactly one create, one project, followed at the right path. */
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_CREATE), ==, 1);
  g_assert_cmpuint (mh_simulator_count_projects (fixture->sim), ==, 1);
  create = mh_test_request (fixture->sim, MH_SIM_ENDPOINT_CREATE, 0);
  g_assert_cmpstr (create->path, ==, tool->endpoint);
  g_assert_cmpuint (create->status, ==, 200);
  expected_project_path = g_strconcat (mh_project_kind_to_path (tool->kind), id, NULL);
  g_assert_cmpstr (mh_test_request (fixture->sim, MH_SIM_ENDPOINT_PROJECT, 0)->path, ==,
                   expected_project_path);
  g_assert_cmpuint (mh_job_get_status_checks (job), ==,
                    mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_PROJECT));
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_DOWNLOAD), ==, 1);

  /* The credits charged, as the API computes them. */
  if (g_str_equal (e2e->tool, "headshot"))
    g_assert_cmpint (mh_job_get_credits_charged (job), ==, 50);
  else if (g_str_equal (e2e->tool, "talking-photo"))
    /* 5 s of realistic (the default mode) at 48 credits a second. */
    g_assert_cmpint (mh_job_get_credits_charged (job), ==, 5 * 48);
  else
    {
      double end = 0;

      g_assert_true (mh_params_get_number (params, "end", &end));
      g_assert_cmpint (mh_job_get_credits_charged (job), ==, (gint64) ceil (end * 30 - 1e-9));
    }

  /* What was uploaded is byte for byte what is on disk. */
  for (guint i = 0; i < tool->n_slots; i++)
    {
      const char *value = mh_params_get (params, tool->slots[i].key);

      if (value == NULL)
        continue;
      if (mh_asset_value_classify (value) == MH_ASSET_VALUE_FILE)
        assert_uploaded (fixture, create->json, tool->slots[i].json_path, value);
      else
        g_assert_cmpstr (mh_test_json_get_string (create->json, tool->slots[i].json_path), ==, value);
    }

  if (uploads)
    {
      g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_UPLOAD_URLS), ==, 1);
      assert_progress (progress, MH_JOB_STATE_UPLOADING, upload_total);
    }
  else
    {
      g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_UPLOAD_URLS), ==, 0);
      g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_UPLOAD), ==, 0);
    }
  assert_progress (progress, MH_JOB_STATE_DOWNLOADING, output_size);
}

static const EndToEnd end_to_end[] = {
  { "talking-photo", NULL },
  { "talking-photo", "url" },
  { "lip-sync", NULL },
  { "lip-sync", "youtube" },
  { "headshot", NULL },
  { "headshot", "url" },
};

/* A bigger output, streamed in many pieces. */
static void
test_big_output (MhTestFixture *fixture,
                 gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  g_autoptr(GError) error = NULL;
  guint64 size = 0;

  mh_simulator_set_output_bytes (fixture->sim, 5 * 1024 * 1024 + 17);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  mh_test_assert_job_output (fixture, job);
  g_free (mh_simulator_dup_output_sha256 (fixture->sim, mh_job_get_project_id (job), &size));
  g_assert_cmpuint (size, ==, 5 * 1024 * 1024 + 17);
  g_assert_cmpuint (file_size (mh_job_get_output_files (job)[0]), ==, size);
  g_assert_cmpuint (mh_job_get_bytes_done (job), ==, size);
  g_assert_cmpuint (mh_job_get_bytes_total (job), ==, size);
}

/* The output folder is created when missing. */
static void
test_output_dir_created (MhTestFixture *fixture,
                         gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  g_autofree char *nested = g_build_filename (fixture->out, "a", "b", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (nested);
  g_autofree char *parent = NULL;
  g_autoptr(GError) error = NULL;

  mh_job_set_output_dir (job, dir);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  parent = g_path_get_dirname (mh_job_get_output_files (job)[0]);
  g_assert_cmpstr (parent, ==, nested);
}

/* --no-wait: ends after the create, nothing polled or downloaded. */
static void
test_no_wait (MhTestFixture *fixture,
              gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  g_autoptr(MhTestStateLog) log = mh_test_state_log_new (job);
  g_autoptr(GError) error = NULL;
  const MhJobState states[] = {
    MH_JOB_STATE_VALIDATING, MH_JOB_STATE_UPLOADING, MH_JOB_STATE_CREATING, MH_JOB_STATE_DONE
  };
  const char *const *outputs;

  mh_job_set_wait (job, FALSE);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);

  mh_test_assert_states (log, states, G_N_ELEMENTS (states));
  g_assert_false (mh_test_state_log_contains (log, MH_JOB_STATE_QUEUED));
  g_assert_false (mh_test_state_log_contains (log, MH_JOB_STATE_DOWNLOADING));
  g_assert_nonnull (mh_job_get_project_id (job));
  g_assert_cmpint (mh_job_get_credits_charged (job), ==, 5 * 48);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_CREATE), ==, 1);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_PROJECT), ==, 0);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_DOWNLOAD), ==, 0);
  /* No GET but the face check's before the create */
  g_assert_cmpuint (mh_client_get_requests_sent (fixture->client, "GET"), ==,
                    mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_FACE_STATUS));
  outputs = mh_job_get_output_files (job);
  g_assert_true (outputs == NULL || outputs[0] == NULL);
  g_assert_false (g_file_test (fixture->out, G_FILE_TEST_EXISTS));
}

/* No download: waits for the render, saves nothing. */
static void
test_no_download (MhTestFixture *fixture,
                  gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  g_autoptr(MhTestStateLog) log = mh_test_state_log_new (job);
  g_autoptr(GError) error = NULL;
  const char *const *outputs;

  mh_job_set_download (job, FALSE);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (mh_test_state_log_contains (log, MH_JOB_STATE_QUEUED));
  g_assert_false (mh_test_state_log_contains (log, MH_JOB_STATE_DOWNLOADING));
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_PROJECT), >=, 1);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_DOWNLOAD), ==, 0);
  outputs = mh_job_get_output_files (job);
  g_assert_true (outputs == NULL || outputs[0] == NULL);
  mh_test_assert_dir_empty (fixture->out);
}

/* A project created without waiting is picked up by its ID. */
static void
test_resume (MhTestFixture *fixture,
             gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "lip-sync");
  g_autoptr(MhJob) first = mh_test_fixture_new_job (fixture, "lip-sync", params);
  g_autoptr(MhJob) resumed = NULL;
  g_autoptr(MhTestStateLog) log = NULL;
  g_autoptr(GFile) out = g_file_new_for_path (fixture->out);
  g_autoptr(GError) error = NULL;
  const MhJobState states[] = { MH_JOB_STATE_QUEUED, MH_JOB_STATE_DOWNLOADING, MH_JOB_STATE_DONE };

  mh_job_set_wait (first, FALSE);
  g_assert_true (mh_test_run_job (first, NULL, &error));
  g_assert_no_error (error);

  resumed = mh_job_new_for_project (fixture->client, mh_tool_lookup ("lip-sync"),
                                    mh_job_get_project_id (first));
  mh_job_set_output_dir (resumed, out);
  log = mh_test_state_log_new (resumed);
  g_assert_true (mh_test_run_job (resumed, NULL, &error));
  g_assert_no_error (error);

  mh_test_assert_states (log, states, G_N_ELEMENTS (states));
  g_assert_false (mh_test_state_log_contains (log, MH_JOB_STATE_VALIDATING));
  g_assert_false (mh_test_state_log_contains (log, MH_JOB_STATE_CREATING));
  g_assert_cmpstr (mh_job_get_project_id (resumed), ==, mh_job_get_project_id (first));
  g_assert_cmpint (mh_job_get_credits_charged (resumed), ==, mh_job_get_credits_charged (first));
  mh_test_assert_job_output (fixture, resumed);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_CREATE), ==, 1);
  g_assert_cmpuint (mh_simulator_count_projects (fixture->sim), ==, 1);
}

static void
test_resume_unknown_project (MhTestFixture *fixture,
                             gconstpointer  data)
{
  g_autoptr(MhJob) job = mh_job_new_for_project (fixture->client, mh_tool_lookup ("headshot"),
                                                 "cm0doesnotexist00000000000");
  g_autoptr(GFile) out = g_file_new_for_path (fixture->out);
  g_autoptr(GError) error = NULL;

  mh_job_set_output_dir (job, out);
  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_NOT_FOUND);
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_FAILED);
  /* A refusal is not retried. */
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_PROJECT), ==, 1);
  g_assert_false (g_file_test (fixture->out, G_FILE_TEST_EXISTS));
}

/* A key revoked or a project gone while following it: a refusal ends the
 * poll at once, the project ID is kept. */
static void
poll_refused (MhTestFixture *fixture,
              int            status,
              int            code)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  g_autoptr(GError) error = NULL;

  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_PROJECT, MH_SIM_FAULT_STATUS, 5, status, NULL);
  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_error (error, MH_ERROR, code);
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_FAILED);
  g_assert_nonnull (mh_job_get_project_id (job));
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_PROJECT), ==, 1);
  g_assert_false (g_file_test (fixture->out, G_FILE_TEST_EXISTS));
}

static void
test_poll_unauthorized (MhTestFixture *fixture,
                        gconstpointer  data)
{
  poll_refused (fixture, 401, MH_ERROR_UNAUTHORIZED);
}

static void
test_poll_not_found (MhTestFixture *fixture,
                     gconstpointer  data)
{
  poll_refused (fixture, 404, MH_ERROR_NOT_FOUND);
}

typedef struct
{
  MhTestFixture *fixture;
  gboolean       deleted;
} Delete;

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Delete *d = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = mh_client_call_finish (MH_CLIENT (source), result, &error);

  g_assert_no_error (error);
  g_assert_null (node);   /* 204 */
  d->deleted = TRUE;
}

static void
delete_when_rendering_cb (MhJob      *job,
                          GParamSpec *pspec,
                          Delete     *d)
{
  g_autofree char *path = NULL;

  if (mh_job_get_state (job) != MH_JOB_STATE_RENDERING)
    return;

  path = g_strconcat ("/v1/video-projects/", mh_job_get_project_id (job), NULL);
  mh_client_call_async (d->fixture->client, "DELETE", path, NULL, MH_CALL_IDEMPOTENT,
                        "Deleting", NULL, deleted_cb, d);
}

/* Deleted (from elsewhere) while rendering: it completes with nothing to
 * download, and the job says so. */
static void
test_deleted_while_rendering (MhTestFixture *fixture,
                              gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  g_autoptr(GError) error = NULL;
  Delete d = { fixture, FALSE };

  mh_simulator_set_render_seconds (fixture->sim, 0.6);
  g_signal_connect (job, "notify::state", G_CALLBACK (delete_when_rendering_cb), &d);
  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_true (d.deleted);
  g_assert_error (error, MH_ERROR, MH_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "download"));
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_DELETE), ==, 1);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_DOWNLOAD), ==, 0);
  mh_test_assert_dir_empty (fixture->out);
}

/* The output folder's path is taken by a file: a clear failure, the file
 * untouched. */
static void
test_output_dir_is_a_file (MhTestFixture *fixture,
                           gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = mh_test_write_file (fixture->tmp, "out", "not a folder", 12);
  g_autofree char *content = NULL;
  g_autoptr(GPtrArray) names = NULL;

  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "out"));
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_FAILED);
  g_assert_nonnull (mh_job_get_project_id (job));
  content = mh_test_read_text (path);
  g_assert_cmpstr (content, ==, "not a folder");
  names = mh_test_list_dir (fixture->tmp);
  g_assert_cmpuint (names->len, ==, 2);   /* face.png, out */
}

/* A job that failed can be run again (a Retry button), and then succeeds
 * with one project. */
static void
test_run_again_after_failure (MhTestFixture *fixture,
                              gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  g_autoptr(GError) error = NULL;

  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_UPLOAD, MH_SIM_FAULT_STATUS, 50, 503, NULL);
  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_SERVER);
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_FAILED);
  g_clear_error (&error);

  mh_simulator_clear_faults (fixture->sim);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (mh_job_get_error (job));
  mh_test_assert_job_output (fixture, job);
  g_assert_cmpuint (mh_simulator_count_projects (fixture->sim), ==, 1);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_CREATE), ==, 1);
}

/* ---- Polling -------------------------------------------------------------- */

typedef struct
{
  gint64 created;
  gint64 noticed;
} Timing;

static void
timing_state_cb (MhJob      *job,
                 GParamSpec *pspec,
                 Timing     *timing)
{
  if (mh_job_get_state (job) == MH_JOB_STATE_QUEUED && timing->created == 0)
    timing->created = g_get_monotonic_time ();
  if (mh_job_get_state (job) == MH_JOB_STATE_DOWNLOADING)
    timing->noticed = g_get_monotonic_time ();
}

/* The status checks the tool's policy makes for a render of @render seconds
 * (real time, unscaled), and when the one that sees it complete comes
 * (test-poll-schedule.c holds these to the targets). */
static guint
policy_checks (const MhPollPolicy *policy,
               double              render,
               double             *noticed)
{
  double t = policy->first;
  guint n = 1;

  while (t < render)
    {
      t += mh_poll_policy_interval (policy, t);
      n++;
    }
  *noticed = t;
  return n;
}

/* A 2 s render (40 s at the test's poll scale of 0.05, a short talking photo)
 * is noticed soon after it completes, with the few status checks the policy
 * makes, where the SDKs' fixed half-second poll would make eighty. */
static void
test_poll_long_render (MhTestFixture *fixture,
                       gconstpointer  data)
{
  const MhTool *tool = mh_tool_lookup ("talking-photo");
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  g_autoptr(MhTestStateLog) log = mh_test_state_log_new (job);
  g_autoptr(GError) error = NULL;
  Timing timing = { 0, 0 };
  const double render = 2.0;
  double scale = mh_client_get_poll_scale (fixture->client);
  const MhJobState states[] = {
    MH_JOB_STATE_QUEUED, MH_JOB_STATE_RENDERING, MH_JOB_STATE_DOWNLOADING, MH_JOB_STATE_DONE
  };
  guint gets, expected;
  double waited, noticed;

  expected = policy_checks (&tool->poll, render / scale, &noticed);
  noticed *= scale;

  mh_simulator_set_render_seconds (fixture->sim, render);
  g_signal_connect (job, "notify::state", G_CALLBACK (timing_state_cb), &timing);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  mh_test_assert_states (log, states, G_N_ELEMENTS (states));
  mh_test_assert_job_output (fixture, job);

  waited = (timing.noticed - timing.created) / (double) G_USEC_PER_SEC;
  gets = mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_PROJECT);
  g_test_message ("render of %.1f s noticed after %.2f s with %u status checks "
                  "(the policy: %.2f s, %u checks)", render, waited, gets, noticed, expected);

  /* Not before it completed; not much later than the policy says. */
  g_assert_cmpfloat (waited, >=, render - 0.05);
  g_assert_cmpfloat (waited, <=, noticed + 0.5);
  g_assert_cmpfloat (noticed, <=, render + MAX (render * tool->poll.growth, tool->poll.min * scale) + 1e-6);
  /* Requests take time, so the checks can be fewer, never many more. */
  g_assert_cmpuint (gets, >=, 4);
  g_assert_cmpuint (gets, <=, expected + 2);
  g_assert_cmpuint (gets, <=, 20);
  g_assert_cmpuint (mh_job_get_status_checks (job), ==, gets);
}

static gboolean
three_checks (gpointer user_data)
{
  return mh_job_get_status_checks (user_data) >= 3;
}

/* A very long render (1000 s) keeps being followed; once it completes, the
 * result comes at once. */
static void
test_poll_very_long_render (MhTestFixture *fixture,
                            gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  MhTestRan ran = { FALSE, };
  guint gets;

  mh_simulator_set_render_seconds (fixture->sim, 1000);
  mh_job_run_async (job, NULL, mh_test_job_ran_cb, &ran);
  mh_test_wait_for (three_checks, job, MH_TEST_TIMEOUT, "three status checks");
  g_assert_false (ran.done);
  g_assert_true (mh_job_get_state (job) == MH_JOB_STATE_QUEUED ||
                 mh_job_get_state (job) == MH_JOB_STATE_RENDERING);
  gets = mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_PROJECT);

  mh_simulator_finish_project_now (fixture->sim, mh_job_get_project_id (job));
  mh_test_wait_for_flag (&ran.done, MH_TEST_TIMEOUT, "the job");
  g_assert_no_error (ran.error);
  g_assert_true (ran.ok);
  mh_test_assert_job_output (fixture, job);
  /* Noticed at the next check. */
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_PROJECT), ==, gets + 1);
}

/* The poll gives up after the tool's limit (30 min, scaled down here) and
 * says how to pick the project up later. */
static void
test_poll_timeout (MhTestFixture *fixture,
                   gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  g_autoptr(GError) error = NULL;
  const MhTool *tool = mh_tool_lookup ("talking-photo");
  guint gets, expected;
  double last;

  /* 30 min at a scale of 1/2000 is 0.9 s. */
  mh_client_set_poll_scale (fixture->client, 0.0005);
  mh_simulator_set_render_seconds (fixture->sim, 1000);
  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_TIMED_OUT);
  g_assert_nonnull (mh_job_get_project_id (job));
  g_assert_nonnull (strstr (error->message, mh_job_get_project_id (job)));
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_FAILED);
  g_assert_false (g_file_test (fixture->out, G_FILE_TEST_EXISTS));

  /* The interval grew as the policy says, and the checks stopped at the
   * limit: no more of them than the policy makes in 30 minutes (requests
   * take time, so they can be fewer), far fewer than the SDKs' 3600. */
  expected = policy_checks (&tool->poll, tool->poll.timeout, &last);
  gets = mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_PROJECT);
  g_test_message ("%u status checks before giving up (the policy: %u)", gets, expected);
  g_assert_cmpuint (gets, >=, 3);
  g_assert_cmpuint (gets, <=, expected + 2);
  g_assert_cmpuint (expected, <=, 3600 / 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (end_to_end); i++)
    {
      g_autofree char *path = g_strdup_printf ("/job/end-to-end/%s%s%s", end_to_end[i].tool,
                                               end_to_end[i].variant ? "-" : "",
                                               end_to_end[i].variant ? end_to_end[i].variant : "");

      g_test_add (path, MhTestFixture, &end_to_end[i],
                  mh_test_fixture_setup, test_end_to_end, mh_test_fixture_teardown);
    }

#define ADD(path, func) \
  g_test_add (path, MhTestFixture, NULL, mh_test_fixture_setup, func, mh_test_fixture_teardown)
  ADD ("/job/big-output", test_big_output);
  ADD ("/job/output-dir-created", test_output_dir_created);
  ADD ("/job/no-wait", test_no_wait);
  ADD ("/job/no-download", test_no_download);
  ADD ("/job/resume", test_resume);
  ADD ("/job/resume-unknown-project", test_resume_unknown_project);
  ADD ("/job/output-dir-is-a-file", test_output_dir_is_a_file);
  ADD ("/job/run-again-after-failure", test_run_again_after_failure);
  ADD ("/job/deleted-while-rendering", test_deleted_while_rendering);
  ADD ("/job/poll/unauthorized", test_poll_unauthorized);
  ADD ("/job/poll/not-found", test_poll_not_found);
  ADD ("/job/poll/long-render", test_poll_long_render);
  ADD ("/job/poll/very-long-render", test_poll_very_long_render);
  ADD ("/job/poll/timeout", test_poll_timeout);
#undef ADD

  return g_test_run ();
}
