/* test-face-check.c: a headshot or a talking photo asks for the faces in its
 * photo before anything is charged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mh-error.h"
#include "mh-face-check.h"
#include "mh-job-record.h"
#include "mh-job-store.h"
#include "mh-test-util.h"

#define FD MH_SIM_ENDPOINT_FACE_DETECTION
#define FS MH_SIM_ENDPOINT_FACE_STATUS
#define CR MH_SIM_ENDPOINT_CREATE

static gint64
sim_credits (MhTestFixture *fixture)
{
  gint64 credits;

  g_object_get (fixture->sim, "credits", &credits, NULL);
  return credits;
}

/* The index in the request log of the first request to @endpoint. */
static guint
first_index (MhTestFixture *fixture,
             const char    *endpoint)
{
  GPtrArray *requests = mh_simulator_get_requests (fixture->sim);

  for (guint i = 0; i < requests->len; i++)
    if (g_strcmp0 (((MhSimRequest *) g_ptr_array_index (requests, i))->endpoint, endpoint) == 0)
      return i;

  g_assert_not_reached ();
}

/* The face detection was asked about the photo the create would have used:
 * the file uploaded for the slot. */
static void
assert_detection_request (MhTestFixture *fixture)
{
  MhSimRequest *req = mh_test_request (fixture->sim, FD, 0);
  const char *target = mh_test_json_get_string (req->json, "assets.target_file_path");
  JsonNode *score = mh_test_json_get (req->json, "confidence_score");

  g_assert_cmpstr (req->method, ==, "POST");
  g_assert_nonnull (target);
  g_assert_true (g_str_has_prefix (target, "api-assets/"));
  g_assert_true (mh_simulator_lookup_upload (fixture->sim, target, NULL, NULL));
  g_assert_nonnull (score);
  g_assert_cmpfloat (json_node_get_double (score), ==, 0.5);
}

static MhJob *
run_refused (MhTestFixture *fixture,
             const char    *tool_id,
             guint          faces,
             const char    *sentence)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, tool_id);
  MhJob *job = mh_test_fixture_new_job (fixture, tool_id, params);
  g_autoptr(GError) error = NULL;
  gint64 credits = sim_credits (fixture);

  g_object_set (fixture->sim, "faces", faces, NULL);
  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_UNPROCESSABLE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, sentence));
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_FAILED);
  g_assert_cmpstr (mh_job_get_message (job), ==, error->message);
  g_assert_cmpstr (mh_job_get_bad_key (job), ==, "image");
  g_assert_null (mh_job_get_face_url (job));

  /* Asked, waited for, and nothing created or charged */
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, FD), ==, 1);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, FS), >=, 1);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, CR), ==, 0);
  g_assert_cmpuint (mh_simulator_count_projects (fixture->sim), ==, 0);
  g_assert_cmpint (sim_credits (fixture), ==, credits);
  g_assert_null (mh_job_get_project_id (job));
  assert_detection_request (fixture);
  g_assert_false (g_file_test (fixture->out, G_FILE_TEST_EXISTS));

  return job;
}

static void
test_headshot_no_face (MhTestFixture *fixture,
                       gconstpointer  data)
{
  g_autoptr(MhJob) job = run_refused (fixture, "headshot", 0, "No face was found in this photo");
}

static void
test_headshot_two_faces (MhTestFixture *fixture,
                         gconstpointer  data)
{
  g_autoptr(MhJob) job = run_refused (fixture, "headshot", 2,
                                      "This photo has 2 faces; a headshot needs exactly one");
}

static void
test_talking_photo_no_face (MhTestFixture *fixture,
                            gconstpointer  data)
{
  g_autoptr(MhJob) job = run_refused (fixture, "talking-photo", 0,
                                      "No face was found in this photo");
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
run_passing (MhTestFixture *fixture,
             const char    *tool_id,
             guint          faces)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, tool_id);
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, tool_id, params);
  g_autoptr(GError) error = NULL;
  g_autofree char *face_url = NULL;
  MhSimRequest *create;
  MhSimRequest *detection;
  guint notified = 0;

  g_object_set (fixture->sim, "faces", faces, NULL);
  g_signal_connect (job, "notify::face-url", G_CALLBACK (count_notify), &notified);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  mh_test_assert_job_output (fixture, job);

  /* The check came before the create, about the same photo */
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, FD), ==, 1);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, CR), ==, 1);
  g_assert_cmpuint (first_index (fixture, FD), <, first_index (fixture, CR));
  g_assert_cmpuint (first_index (fixture, FS), <, first_index (fixture, CR));
  assert_detection_request (fixture);
  create = mh_test_request (fixture->sim, CR, 0);
  detection = mh_test_request (fixture->sim, FD, 0);
  g_assert_cmpstr (mh_test_json_get_string (create->json, "assets.image_file_path"), ==,
                   mh_test_json_get_string (detection->json, "assets.target_file_path"));

  /* The crop of the (first) face, as a property */
  g_object_get (job, "face-url", &face_url, NULL);
  g_assert_nonnull (face_url);
  g_assert_cmpstr (face_url, ==, mh_job_get_face_url (job));
  g_assert_true (g_str_has_prefix (face_url, mh_simulator_get_base_url (fixture->sim)));
  g_assert_nonnull (strstr (face_url, "/face-0.png"));
  g_assert_cmpuint (notified, ==, 1);
}

static void
test_headshot_one_face (MhTestFixture *fixture,
                        gconstpointer  data)
{
  run_passing (fixture, "headshot", 1);
}

static void
test_talking_photo_two_faces (MhTestFixture *fixture,
                              gconstpointer  data)
{
  run_passing (fixture, "talking-photo", 2);
}

/* A photo given as a URL is checked as it is, without an upload; the
 * marker in its name decides. */
static void
test_url_photo (MhTestFixture *fixture,
                gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_params ("image", "https://example.com/no-face.jpg", NULL);
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  g_autoptr(GError) error = NULL;

  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_UNPROCESSABLE);
  g_assert_true (g_str_has_prefix (error->message, "No face was found in this photo"));
  g_assert_cmpstr (mh_test_json_get_string (mh_test_request (fixture->sim, FD, 0)->json,
                                            "assets.target_file_path"),
                   ==, "https://example.com/no-face.jpg");
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_UPLOAD_URLS), ==, 0);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, CR), ==, 0);
}

/* A detection that ends in error cannot tell: the job goes on, as it did
 * before there was a check. */
static void
test_detection_error (MhTestFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_params ("image", "https://example.com/face-error.jpg", NULL);
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  g_autoptr(GError) error = NULL;

  mh_job_set_download (job, FALSE);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, FD), ==, 1);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, CR), ==, 1);
  g_assert_null (mh_job_get_face_url (job));
}

/* A server from before face detection answers 404: the job goes on. */
static void
test_server_without_endpoint (MhTestFixture *fixture,
                              gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  g_autoptr(GError) error = NULL;

  g_object_set (fixture->sim, "faces", 0u, NULL);
  mh_simulator_add_fault (fixture->sim, FD, MH_SIM_FAULT_STATUS, 1, 404, NULL);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  mh_test_assert_job_output (fixture, job);

  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, FD), ==, 1);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, FS), ==, 0);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, CR), ==, 1);
  g_assert_null (mh_job_get_face_url (job));
}

/* A refusal of the check (other than 404) fails the job before the create:
 * the create would meet it too. */
static void
test_check_fails (MhTestFixture *fixture,
                  gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  g_autoptr(GError) error = NULL;

  mh_simulator_add_fault (fixture->sim, FD, MH_SIM_FAULT_STATUS, 1, 401, NULL);
  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, CR), ==, 0);
}

/* When Magic Hour cannot answer the check (a server error on every retry,
 * an answer that cannot be read), the job goes on and the create decides:
 * a free courtesy never stops a job by itself. */
static void
test_check_unavailable (MhTestFixture *fixture,
                        gconstpointer  data)
{
  const struct { MhSimFaultKind kind; guint code; const char *endpoint; } faults[] = {
    { MH_SIM_FAULT_STATUS, 503, FD },
    { MH_SIM_FAULT_MALFORMED, 0, FD },
    { MH_SIM_FAULT_STATUS, 500, FS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
      g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
      g_autoptr(GError) error = NULL;
      guint creates = mh_simulator_count_requests (fixture->sim, CR);

      mh_simulator_add_fault (fixture->sim, faults[i].endpoint, faults[i].kind,
                              mh_client_get_max_attempts (fixture->client), faults[i].code, NULL);
      g_assert_true (mh_test_run_job (job, NULL, &error));
      g_assert_no_error (error);
      mh_test_assert_job_output (fixture, job);
      g_assert_null (mh_job_get_face_url (job));
      g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, CR), ==, creates + 1);
    }
}

static void
test_turned_off (MhTestFixture *fixture,
                 gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  g_autoptr(GError) error = NULL;

  g_object_set (fixture->sim, "faces", 0u, NULL);
  mh_job_set_face_check (job, FALSE);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  mh_test_assert_job_output (fixture, job);

  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, FD), ==, 0);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, FS), ==, 0);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, CR), ==, 1);
}

/* Lip sync has no photo: no check. */
static void
test_lip_sync_unchecked (MhTestFixture *fixture,
                         gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "lip-sync");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "lip-sync", params);
  g_autoptr(GError) error = NULL;

  g_assert_null (mh_face_check_slot (mh_tool_lookup ("lip-sync")));
  g_assert_cmpstr (mh_face_check_slot (mh_tool_lookup ("headshot")), ==, "image");
  g_assert_cmpstr (mh_face_check_slot (mh_tool_lookup ("talking-photo")), ==, "image");

  g_object_set (fixture->sim, "faces", 0u, NULL);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, FD), ==, 0);
}

/* The sentences, in their plural forms */
static void
test_verdicts (void)
{
  const MhTool *headshot = mh_tool_lookup ("headshot");
  const MhTool *talking = mh_tool_lookup ("talking-photo");
  g_autoptr(GError) none = mh_face_check_verdict (headshot, 0);
  g_autoptr(GError) three = mh_face_check_verdict (headshot, 3);
  g_autoptr(GError) none_talking = mh_face_check_verdict (talking, 0);

  g_assert_error (none, MH_ERROR, MH_ERROR_UNPROCESSABLE);
  g_assert_true (g_str_has_prefix (none->message, "No face was found in this photo"));
  g_assert_true (g_str_has_prefix (three->message,
                                   "This photo has 3 faces; a headshot needs exactly one"));
  g_assert_nonnull (none_talking);
  g_assert_no_error (mh_face_check_verdict (headshot, 1));
  g_assert_no_error (mh_face_check_verdict (talking, 1));
  g_assert_no_error (mh_face_check_verdict (talking, 5));
}

/* ---- With a record ------------------------------------------------------- */

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  MhTestRan *ran = user_data;

  ran->ok = mh_job_store_load_finish (MH_JOB_STORE (source), result, &ran->error);
  ran->done = TRUE;
}

static gboolean
looking_for_face (gpointer user_data)
{
  return mh_simulator_count_requests (MH_SIMULATOR (user_data), FS) > 0;
}

/* Interrupted while it waits for the check (the app quits): the record is
 * not left at the create, and the job run again checks again and creates
 * one project. */
static void
test_interrupted_and_resumed (MhTestFixture *fixture,
                              gconstpointer  data)
{
  g_autofree char *jobs = g_build_filename (fixture->tmp, "jobs", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (jobs);
  g_autoptr(GFile) out = g_file_new_for_path (fixture->out);
  g_autoptr(MhJobStore) store = mh_job_store_new (dir);
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = NULL;
  g_autoptr(MhJob) again = NULL;
  MhJobRecord *record;
  MhTestRan loaded = { FALSE, }, first = { FALSE, }, second = { FALSE, };

  mh_job_store_load_async (store, NULL, loaded_cb, &loaded);
  mh_test_wait_for_flag (&loaded.done, MH_TEST_TIMEOUT, "the store to load");
  g_assert_no_error (loaded.error);

  /* The status answer is held back long enough to interrupt */
  mh_simulator_add_fault (fixture->sim, FS, MH_SIM_FAULT_SLOW, 1, 2000, NULL);
  job = mh_job_store_new_job (store, fixture->client, mh_tool_lookup ("headshot"), params);
  mh_job_set_output_dir (job, out);
  mh_job_run_async (job, NULL, mh_test_job_ran_cb, &first);
  mh_test_wait_for (looking_for_face, fixture->sim, MH_TEST_TIMEOUT, "the face check");
  g_assert_cmpstr (mh_job_get_message (job), ==, "Looking for a face in the photo…");
  mh_job_interrupt (job);
  mh_test_wait_for_flag (&first.done, MH_TEST_TIMEOUT, "the interrupted job");
  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&first.error);
  g_assert_cmpstr (mh_job_get_message (job), ==,
                   "Interrupted before Magic Hour received the job. Nothing was charged; it can be run again.");

  record = mh_job_get_record (job);
  g_assert_cmpint (mh_job_record_get_state (record), <, MH_JOB_STATE_CREATING);
  g_assert_null (mh_job_record_get_project_id (record));
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, CR), ==, 0);

  again = mh_job_store_continue_job (store, fixture->client, record, FALSE);
  mh_job_set_output_dir (again, out);
  mh_job_run_async (again, NULL, mh_test_job_ran_cb, &second);
  mh_test_wait_for_flag (&second.done, MH_TEST_TIMEOUT, "the job run again");
  g_assert_no_error (second.error);
  g_assert_true (second.ok);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, FD), ==, 2);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, CR), ==, 1);
  g_assert_nonnull (mh_job_get_face_url (again));
  mh_job_store_flush (store);
}

/* A job that follows an existing project never checks again. */
static void
test_existing_project (MhTestFixture *fixture,
                       gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  g_autoptr(MhJob) follow = NULL;
  g_autoptr(GError) error = NULL;

  mh_job_set_wait (job, FALSE);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, FD), ==, 1);

  g_object_set (fixture->sim, "faces", 0u, NULL);
  follow = mh_job_new_for_project (fixture->client, mh_tool_lookup ("headshot"),
                                   mh_job_get_project_id (job));
  mh_job_set_download (follow, FALSE);
  g_assert_true (mh_test_run_job (follow, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, FD), ==, 1);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, CR), ==, 1);
}

/* Canceled while it waits: nothing created. */
static void
test_canceled (MhTestFixture *fixture,
               gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  MhTestRan ran = { FALSE, };

  mh_simulator_add_fault (fixture->sim, FS, MH_SIM_FAULT_SLOW, 1, 2000, NULL);
  mh_job_run_async (job, NULL, mh_test_job_ran_cb, &ran);
  mh_test_wait_for (looking_for_face, fixture->sim, MH_TEST_TIMEOUT, "the face check");
  mh_job_cancel (job);
  mh_test_wait_for_flag (&ran.done, MH_TEST_TIMEOUT, "the canceled job");
  g_assert_error (ran.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&ran.error);
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_CANCELED);
  g_assert_cmpstr (mh_job_get_message (job), ==,
                   "Canceled. Nothing was sent to Magic Hour for rendering.");
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, CR), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, MhTestFixture, NULL, mh_test_fixture_setup, func, mh_test_fixture_teardown)

  ADD ("/face-check/headshot-no-face", test_headshot_no_face);
  ADD ("/face-check/headshot-two-faces", test_headshot_two_faces);
  ADD ("/face-check/headshot-one-face", test_headshot_one_face);
  ADD ("/face-check/talking-photo-no-face", test_talking_photo_no_face);
  ADD ("/face-check/talking-photo-two-faces", test_talking_photo_two_faces);
  ADD ("/face-check/url-photo", test_url_photo);
  ADD ("/face-check/server-without-endpoint", test_server_without_endpoint);
  ADD ("/face-check/detection-error", test_detection_error);
  ADD ("/face-check/check-fails", test_check_fails);
  ADD ("/face-check/check-unavailable", test_check_unavailable);
  ADD ("/face-check/turned-off", test_turned_off);
  ADD ("/face-check/lip-sync-unchecked", test_lip_sync_unchecked);
  ADD ("/face-check/interrupted-and-resumed", test_interrupted_and_resumed);
  ADD ("/face-check/existing-project", test_existing_project);
  ADD ("/face-check/canceled", test_canceled);
  g_test_add_func ("/face-check/verdicts", test_verdicts);

#undef ADD

  return g_test_run ();
}
