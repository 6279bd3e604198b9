/* test-refusals.c: creates that fail or may have happened, refusals, failed
 * and canceled renders, and hostile names for the result
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "mh-error.h"
#include "mh-params.h"
#include "mh-test-util.h"

#define CR MH_SIM_ENDPOINT_CREATE

static MhJob *
run_failing (MhTestFixture *fixture,
             const char    *tool,
             GHashTable    *params,
             int            code,
             GError       **out_error)
{
  g_autoptr(GHashTable) own = NULL;
  MhJob *job;
  g_autoptr(GError) error = NULL;

  if (params == NULL)
    params = own = mh_test_fixture_params (fixture, tool);
  job = mh_test_fixture_new_job (fixture, tool, params);

  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_error (error, MH_ERROR, code);
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_FAILED);
  g_assert_cmpstr (mh_job_get_message (job), ==, error->message);
  g_assert_null (strstr (error->message, MH_TEST_KEY));
  g_test_message ("%s", error->message);

  /* Nothing on disk. */
  mh_test_assert_dir_empty (fixture->out);

  if (out_error != NULL)
    *out_error = g_steal_pointer (&error);
  return job;
}

/* ---- Creates -------------------------------------------------------------- */

typedef struct
{
  const char     *path;
  MhSimFaultKind  kind;
  guint           count;
  int             code;
} CreateRetry;

/* 429, 502 and 503 mean nothing was created: sent again, one project. */
static const CreateRetry create_retries[] = {
  { "/refusals/create/429-retried", MH_SIM_FAULT_STATUS, 1, 429 },
  { "/refusals/create/502-retried", MH_SIM_FAULT_STATUS, 1, 502 },
  { "/refusals/create/503-retried", MH_SIM_FAULT_STATUS, 1, 503 },
  { "/refusals/create/503x3-retried", MH_SIM_FAULT_STATUS, 3, 503 },
  { "/refusals/create/slow", MH_SIM_FAULT_SLOW, 1, 300 },
};

static void
test_create_retried (MhTestFixture *fixture,
                     gconstpointer  data)
{
  const CreateRetry *c = data;
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  g_autoptr(GError) error = NULL;
  guint expected = c->kind == MH_SIM_FAULT_STATUS ? c->count + 1 : 1;

  mh_simulator_add_fault (fixture->sim, CR, c->kind, c->count, c->code, NULL);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, CR), ==, expected);
  g_assert_cmpuint (mh_simulator_count_projects (fixture->sim), ==, 1);
  mh_test_assert_job_output (fixture, job);
}

typedef struct
{
  const char     *path;
  const char     *tool;
  MhSimFaultKind  kind;
  int             code;
  const char     *text;
  int             error_code;
  guint           projects;   /* projects that exist at the end */
  const char     *needle;     /* in the message */
} CreateFail;

static const CreateFail create_fails[] = {
  /* A 500 may have created the project: not sent again. */
  { "/refusals/create/500-ambiguous", "talking-photo", MH_SIM_FAULT_STATUS, 500, NULL,
    MH_ERROR_AMBIGUOUS_CREATE, 0, "Magic Hour library" },
  /* The connection broke after the project was made, or the answer is garbage. */
  { "/refusals/create/drop-ambiguous", "headshot", MH_SIM_FAULT_DROP, 0, NULL,
    MH_ERROR_AMBIGUOUS_CREATE, 1, "not sent again" },
  { "/refusals/create/malformed-ambiguous", "lip-sync", MH_SIM_FAULT_MALFORMED, 0, NULL,
    MH_ERROR_AMBIGUOUS_CREATE, 1, "not sent again" },
  { "/refusals/create/401", "headshot", MH_SIM_FAULT_STATUS, 401, NULL,
    MH_ERROR_UNAUTHORIZED, 0, "API key" },
  { "/refusals/create/402", "talking-photo", MH_SIM_FAULT_STATUS, 402, NULL,
    MH_ERROR_PAYMENT_REQUIRED, 0, "credits" },
  { "/refusals/create/403", "talking-photo", MH_SIM_FAULT_STATUS, 403, "Not on your plan",
    MH_ERROR_NOT_ON_PLAN, 0, "Not on your plan" },
  { "/refusals/create/400", "talking-photo", MH_SIM_FAULT_STATUS, 400, "end_seconds is required",
    MH_ERROR_BAD_REQUEST, 0, "end_seconds is required" },
  { "/refusals/create/404", "talking-photo", MH_SIM_FAULT_STATUS, 404, NULL,
    MH_ERROR_NOT_FOUND, 0, NULL },
  { "/refusals/create/422", "headshot", MH_SIM_FAULT_STATUS, 422, "Unable to create headshot: bad image",
    MH_ERROR_UNPROCESSABLE, 0, "bad image" },
};

static void
test_create_fail (MhTestFixture *fixture,
                  gconstpointer  data)
{
  const CreateFail *c = data;
  g_autoptr(MhJob) job = NULL;
  g_autoptr(GError) error = NULL;

  mh_simulator_add_fault (fixture->sim, CR, c->kind, 5, c->code, c->text);
  job = run_failing (fixture, c->tool, NULL, c->error_code, &error);

  /* Never sent twice, never followed. */
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, CR), ==, 1);
  g_assert_cmpuint (mh_simulator_count_projects (fixture->sim), ==, c->projects);
  g_assert_null (mh_job_get_project_id (job));
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_PROJECT), ==, 0);
  if (c->needle != NULL)
    g_assert_nonnull (strstr (error->message, c->needle));
  g_assert_nonnull (strstr (error->message, "Creating the job"));
}

/* More 503s than the retries allow: a clean failure, nothing created. */
static void
test_create_too_many_503 (MhTestFixture *fixture,
                          gconstpointer  data)
{
  g_autoptr(MhJob) job = NULL;

  mh_simulator_add_fault (fixture->sim, CR, MH_SIM_FAULT_STATUS, 50, 503, NULL);
  job = run_failing (fixture, "headshot", NULL, MH_ERROR_SERVER, NULL);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, CR), ==,
                    mh_client_get_max_attempts (fixture->client));
  g_assert_cmpuint (mh_simulator_count_projects (fixture->sim), ==, 0);
}

/* ---- Account refusals ----------------------------------------------------- */

static void
test_wrong_key_on_create (MhTestFixture *fixture,
                          gconstpointer  data)
{
  g_autoptr(MhJob) job = NULL;

  /* A key refused at the create (after the uploads went through) is final. */
  mh_simulator_add_fault (fixture->sim, CR, MH_SIM_FAULT_STATUS, 3, 401, "Unauthorized");
  job = run_failing (fixture, "lip-sync", NULL, MH_ERROR_UNAUTHORIZED, NULL);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, CR), ==, 1);
}

static void
test_no_credits (MhTestFixture *fixture,
                 gconstpointer  data)
{
  g_autoptr(MhJob) job = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (fixture->sim, "credits", (gint64) 10, NULL);
  job = run_failing (fixture, "headshot", NULL, MH_ERROR_PAYMENT_REQUIRED, &error);
  g_assert_nonnull (strstr (error->message, "credits"));
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, CR), ==, 1);
  g_assert_cmpuint (mh_simulator_count_projects (fixture->sim), ==, 0);
}

/* December 2026: on the free plan only lip sync pro is refused, with 402
 * plan_upgrade_required; standard and lite run. */
static void
test_not_on_plan (MhTestFixture *fixture,
                  gconstpointer  data)
{
  const char *free_modes[] = { "lite", "standard" };

  g_object_set (fixture->sim, "tier", "free", NULL);
  {
    g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "lip-sync");
    g_autoptr(MhJob) job = NULL;
    g_autoptr(GError) error = NULL;

    mh_simulator_clear_requests (fixture->sim);
    mh_params_set (params, "mode", "pro");
    job = run_failing (fixture, "lip-sync", params, MH_ERROR_PLAN_UPGRADE_REQUIRED, &error);
    g_assert_nonnull (strstr (error->message, "plan"));
    g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, CR), ==, 1);
    g_assert_cmpuint (mh_simulator_count_projects (fixture->sim), ==, 0);
  }

  for (guint i = 0; i < G_N_ELEMENTS (free_modes); i++)
    {
      g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "lip-sync");
      g_autoptr(MhJob) job = NULL;
      g_autoptr(GError) error = NULL;

      mh_params_set (params, "mode", free_modes[i]);
      job = mh_test_fixture_new_job (fixture, "lip-sync", params);
      g_assert_true (mh_test_run_job (job, NULL, &error));
      g_assert_no_error (error);
      mh_test_assert_job_output (fixture, job);
      mh_test_rm_rf (fixture->out);
    }
}

/* ---- Renders that fail ---------------------------------------------------- */

typedef struct
{
  const char *code;
  const char *needle;
} RenderError;

static const RenderError render_errors[] = {
  { "no_source_face", "No face was found" },
  { "invalid_file_format", "could not read one of the files" },
  { "invalid_video_file", "video could not be processed" },
  { "file_too_large", "larger than your plan allows" },
  { "insufficient_credits", "ran out of credits" },
  { "invalid_parameters", "rejected the settings" },
  { "processing_timeout", "took too long" },
  { "unknown_error", "unknown reason" },
  { "gpu_on_fire", "The render failed" },
};

static void
test_render_error (MhTestFixture *fixture,
                   gconstpointer  data)
{
  const RenderError *r = data;
  g_autoptr(MhJob) job = NULL;
  g_autoptr(GError) error = NULL;

  mh_simulator_add_fault (fixture->sim, CR, MH_SIM_FAULT_RENDER_ERROR, 1, 0, r->code);
  job = run_failing (fixture, "talking-photo", NULL, MH_ERROR_RENDER_FAILED, &error);
  if (strstr (error->message, r->needle) == NULL)
    g_error ("“%s” does not say “%s”", error->message, r->needle);
  /* A sentence, not the raw code. */
  g_assert_null (strstr (error->message, "no_source_face"));

  /* The project exists and is remembered. */
  g_assert_nonnull (mh_job_get_project_id (job));
  g_assert_cmpuint (mh_simulator_count_projects (fixture->sim), ==, 1);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, CR), ==, 1);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_DOWNLOAD), ==, 0);
}

static void
test_render_canceled (MhTestFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(MhJob) job = NULL;
  g_autoptr(GError) error = NULL;

  mh_simulator_add_fault (fixture->sim, CR, MH_SIM_FAULT_CANCELED, 1, 0, NULL);
  job = run_failing (fixture, "lip-sync", NULL, MH_ERROR_PROJECT_CANCELED, &error);
  g_assert_nonnull (mh_job_get_project_id (job));
  g_assert_nonnull (strstr (error->message, "canceled"));
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_DOWNLOAD), ==, 0);
}

/* ---- Hostile names -------------------------------------------------------- */

/* Each name is both the job's name, as a person typed or a script passed
 * it (it names the result: mh-result-name.h), and the name in the download
 * link (which gives the extension). */
typedef struct
{
  const char *path;
  const char *name;      /* as the job and the server name the file */
  const char *expected;  /* the name saved, NULL: only checked to be safe */
} Hostile;

static const Hostile hostiles[] = {
  { "/refusals/name/parent-dirs", "../../evil.mp4", NULL },
  { "/refusals/name/encoded-slashes", "%2Fetc%2Fpasswd", NULL },
  { "/refusals/name/encoded-parent", "..%2F..%2F..%2Fevil.mp4", NULL },
  { "/refusals/name/control-characters", "bad\nname\x1b[31m\r.mp4", NULL },
  { "/refusals/name/hidden", ".bashrc.mp4", "bashrc.mp4" },
  /* Nothing usable left: the input's name and the tool's */
  { "/refusals/name/dots-only", "...", "face-talking-photo.mp4" },
  { "/refusals/name/option", "-rf.mp4", "rf.mp4" },
  { "/refusals/name/backslash", "..\\..\\evil.mp4", NULL },
  { "/refusals/name/bidi-override", "evil\xe2\x80\xaeplay.mp4", NULL },
  { "/refusals/name/plain", "my result.mp4", "my result.mp4" },
};

static void
assert_safe_name (const char *name)
{
  g_assert_cmpuint (strlen (name), >, 0);
  g_assert_cmpstr (name, !=, ".");
  g_assert_cmpstr (name, !=, "..");
  g_assert_null (strchr (name, '/'));
  g_assert_null (strchr (name, '\\'));
  g_assert_cmpint (name[0], !=, '.');
  g_assert_cmpint (name[0], !=, '-');
  g_assert_true (g_utf8_validate (name, -1, NULL));
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_false (g_unichar_iscntrl (c));
      g_assert_cmpint (g_unichar_type (c), !=, G_UNICODE_FORMAT);
    }
}

static void
test_hostile_name (MhTestFixture *fixture,
                   gconstpointer  data)
{
  const Hostile *h = data;
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = NULL;
  g_autoptr(GError) error = NULL;
  /* Deep enough that "../../" would still land inside the test folder. */
  g_autofree char *deep = g_build_filename (fixture->tmp, "a", "b", "c", "out", NULL);
  g_autofree char *a = g_build_filename (fixture->tmp, "a", NULL);
  g_autofree char *passwd_before = mh_test_file_sha256 ("/etc/passwd");
  g_autofree char *passwd_after = NULL;
  g_autoptr(GFile) out = g_file_new_for_path (deep);
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) top = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;

  mh_simulator_add_fault (fixture->sim, CR, MH_SIM_FAULT_HOSTILE_NAME, 1, 0, h->name);
  mh_params_set (params, "name", h->name);
  job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  mh_job_set_output_dir (job, out);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);

  /* Exactly one file, directly inside the output folder, with a safe name. */
  names = mh_test_list_dir (deep);
  g_assert_cmpuint (names->len, ==, 1);
  dir = g_path_get_dirname (mh_job_get_output_files (job)[0]);
  g_assert_cmpstr (dir, ==, deep);
  base = g_path_get_basename (mh_job_get_output_files (job)[0]);
  g_assert_cmpstr (base, ==, g_ptr_array_index (names, 0));
  {
    g_autofree char *escaped = g_strescape (h->name, NULL);

    g_test_message ("“%s” saved as “%s”", escaped, base);
  }
  assert_safe_name (base);
  if (h->expected != NULL)
    g_assert_cmpstr (base, ==, h->expected);
  g_assert_true (g_file_test (mh_job_get_output_files (job)[0], G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (mh_job_get_output_files (job)[0], G_FILE_TEST_IS_SYMLINK));

  expected = mh_simulator_dup_output_sha256 (fixture->sim, mh_job_get_project_id (job), NULL);
  actual = mh_test_file_sha256 (mh_job_get_output_files (job)[0]);
  g_assert_cmpstr (actual, ==, expected);

  /* Nothing written anywhere else. */
  top = mh_test_list_dir (fixture->tmp);
  g_assert_cmpuint (top->len, ==, 3);   /* a, face.png, voice.wav */
  g_clear_pointer (&names, g_ptr_array_unref);
  names = mh_test_list_dir (a);
  g_assert_cmpuint (names->len, ==, 1);
  passwd_after = mh_test_file_sha256 ("/etc/passwd");
  g_assert_cmpstr (passwd_after, ==, passwd_before);
}

/* A file with the result's name is never overwritten: two jobs named
 * "result" beside a file of that name make "result (2)" and "result (3)". */
static void
test_no_overwrite (MhTestFixture *fixture,
                   gconstpointer  data)
{
  const char original[] = "my own precious file\n";
  g_autofree char *existing = NULL;
  g_autofree char *content = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;

  g_assert_cmpint (g_mkdir (fixture->out, 0755), ==, 0);
  existing = mh_test_write_file (fixture->out, "result.mp4", original, strlen (original));
  second = g_build_filename (fixture->out, "result (2).mp4", NULL);
  third = g_build_filename (fixture->out, "result (3).mp4", NULL);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
      g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *actual = NULL;

      mh_simulator_add_fault (fixture->sim, CR, MH_SIM_FAULT_HOSTILE_NAME, 1, 0, "result.mp4");
      mh_params_set (mh_job_get_params (job), "name", "result");
      g_assert_true (mh_test_run_job (job, NULL, &error));
      g_assert_no_error (error);

      g_assert_cmpstr (mh_job_get_output_files (job)[0], ==, i == 0 ? second : third);
      expected = mh_simulator_dup_output_sha256 (fixture->sim, mh_job_get_project_id (job), NULL);
      actual = mh_test_file_sha256 (mh_job_get_output_files (job)[0]);
      g_assert_cmpstr (actual, ==, expected);
    }

  content = mh_test_read_text (existing);
  g_assert_cmpstr (content, ==, original);
  mh_test_assert_no_part_files (fixture->out);
}

/* Nor is a symbolic link with that name followed. */
static void
test_no_follow_symlink (MhTestFixture *fixture,
                        gconstpointer  data)
{
  const char original[] = "outside the output folder\n";
  g_autofree char *target = mh_test_write_file (fixture->tmp, "target.txt", original, strlen (original));
  g_autofree char *link_path = g_build_filename (fixture->out, "result.mp4", NULL);
  g_autofree char *content = NULL;
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;

  g_assert_cmpint (g_mkdir (fixture->out, 0755), ==, 0);
  g_assert_cmpint (symlink (target, link_path), ==, 0);

  mh_simulator_add_fault (fixture->sim, CR, MH_SIM_FAULT_HOSTILE_NAME, 1, 0, "result.mp4");
  mh_params_set (mh_job_get_params (job), "name", "result");
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);

  base = g_path_get_basename (mh_job_get_output_files (job)[0]);
  g_assert_cmpstr (base, ==, "result (2).mp4");
  content = mh_test_read_text (target);
  g_assert_cmpstr (content, ==, original);
  g_assert_true (g_file_test (link_path, G_FILE_TEST_IS_SYMLINK));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (create_retries); i++)
    g_test_add (create_retries[i].path, MhTestFixture, &create_retries[i],
                mh_test_fixture_setup, test_create_retried, mh_test_fixture_teardown);
  for (guint i = 0; i < G_N_ELEMENTS (create_fails); i++)
    g_test_add (create_fails[i].path, MhTestFixture, &create_fails[i],
                mh_test_fixture_setup, test_create_fail, mh_test_fixture_teardown);
  for (guint i = 0; i < G_N_ELEMENTS (render_errors); i++)
    {
      g_autofree char *path = g_strdup_printf ("/refusals/render-error/%s", render_errors[i].code);

      g_test_add (path, MhTestFixture, &render_errors[i],
                  mh_test_fixture_setup, test_render_error, mh_test_fixture_teardown);
    }
  for (guint i = 0; i < G_N_ELEMENTS (hostiles); i++)
    g_test_add (hostiles[i].path, MhTestFixture, &hostiles[i],
                mh_test_fixture_setup, test_hostile_name, mh_test_fixture_teardown);

#define ADD(path, func) \
  g_test_add (path, MhTestFixture, NULL, mh_test_fixture_setup, func, mh_test_fixture_teardown)
  ADD ("/refusals/create/too-many-503", test_create_too_many_503);
  ADD ("/refusals/create/wrong-key", test_wrong_key_on_create);
  ADD ("/refusals/no-credits", test_no_credits);
  ADD ("/refusals/not-on-plan", test_not_on_plan);
  ADD ("/refusals/render-canceled", test_render_canceled);
  ADD ("/refusals/name/no-overwrite", test_no_overwrite);
  ADD ("/refusals/name/no-follow-symlink", test_no_follow_symlink);
#undef ADD

  return g_test_run ();
}
