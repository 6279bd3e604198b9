/* test-job-store.c: the job store on disk, and jobs that keep it up to date
 *
 * Records as files (what a person finds in the jobs folder), damaged files
 * moved aside with their bytes kept, two stores and a second process on one
 * folder, per-job locks (also after a process is killed), and jobs
 * interrupted at each step and continued from a store read afresh: one
 * project, a byte-exact result, nothing half-written left.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>

#include "mh-error.h"
#include "mh-job-store.h"
#include "mh-params.h"
#include "mh-project.h"
#include "mh-test-util.h"

static char *self_exe;

/* What loading found wrong is asserted through mh_job_store_get_problems();
 * the same sentences logged as warnings do not fail the test. */
static gboolean
problem_log_is_expected (const char     *log_domain,
                         GLogLevelFlags  log_level,
                         const char     *message,
                         gpointer        user_data)
{
  return !((log_level & G_LOG_LEVEL_WARNING) &&
           (strstr (message, "job record") != NULL || strstr (message, "job history") != NULL));
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */

typedef struct
{
  MhTestFixture t;
  char         *jobs;    /* t.tmp/jobs */
  MhJobStore   *store;   /* loaded from jobs */
} Fixture;

typedef struct
{
  gboolean  finished;
  gboolean  ok;
  GError   *error;
} Result;

static void
result_clear (Result *r)
{
  g_clear_error (&r->error);
  r->finished = FALSE;
  r->ok = FALSE;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static void
loaded_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  Result *r = data;
  r->ok = mh_job_store_load_finish (MH_JOB_STORE (source), res, &r->error);
  r->finished = TRUE;
}

static void
claimed_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  Result *r = data;
  r->ok = mh_job_store_claim_finish (MH_JOB_STORE (source), res, &r->error);
  r->finished = TRUE;
}

static void
released_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  Result *r = data;
  r->ok = mh_job_store_release_finish (MH_JOB_STORE (source), res, &r->error);
  r->finished = TRUE;
}

static void
ran_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  Result *r = data;
  r->ok = mh_job_run_finish (MH_JOB (source), res, &r->error);
  r->finished = TRUE;
}

static void
store_load (MhJobStore *store)
{
  Result r = { 0 };

  mh_job_store_load_async (store, NULL, loaded_cb, &r);
  mh_test_wait_for_flag (&r.finished, MH_TEST_TIMEOUT, "the store to load");
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
}

static MhJobStore *
store_open (const char *path)
{
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  MhJobStore *store = mh_job_store_new (dir);

  store_load (store);
  return store;
}

static gboolean
store_claim (MhJobStore   *store,
             MhJobRecord  *record,
             GError      **error)
{
  Result r = { 0 };

  mh_job_store_claim_async (store, record, NULL, claimed_cb, &r);
  mh_test_wait_for_flag (&r.finished, MH_TEST_TIMEOUT, "a claim");
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.ok;
}

static void
store_release (MhJobStore  *store,
               MhJobRecord *record)
{
  Result r = { 0 };

  mh_job_store_release_async (store, record, released_cb, &r);
  mh_test_wait_for_flag (&r.finished, MH_TEST_TIMEOUT, "a release");
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
}

static guint
n_records (MhJobStore *store)
{
  return g_list_model_get_n_items (mh_job_store_get_records (store));
}

static MhJobRecord *
record_at (MhJobStore *store,
           guint       i)
{
  MhJobRecord *record = g_list_model_get_item (mh_job_store_get_records (store), i);

  g_object_unref (record);   /* the store keeps it */
  return record;
}

static char *
record_file (const char *jobs,
             const char *id)
{
  g_autofree char *name = g_strconcat (id, ".json", NULL);
  return g_build_filename (jobs, name, NULL);
}

static GBytes *
read_bytes (const char *path)
{
  char *data = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static JsonNode *
read_record_json (const char *jobs,
                  const char *id)
{
  g_autofree char *path = record_file (jobs, id);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
json_get_checked (JsonNode   *root,
                  const char *path)
{
  JsonNode *node = mh_test_json_get (root, path);

  if (node == NULL)
    g_error ("The record has no “%s”", path);
  return node;
}

/* The file a person would look at: "<id>.json" says @state, and the project
 * (or none). */
static void
assert_record_on_disk (Fixture    *f,
                       const char *id,
                       const char *state,
                       const char *project_id)
{
  g_autoptr(JsonNode) root = read_record_json (f->jobs, id);

  g_assert_cmpstr (mh_test_json_get_string (root, "state"), ==, state);
  if (project_id != NULL)
    g_assert_cmpstr (mh_test_json_get_string (root, "project.id"), ==, project_id);
  else
    g_assert_true (JSON_NODE_HOLDS_NULL (json_get_checked (root, "project")));
}

static GHashTable *
url_params (const char *name)
{
  g_autofree char *url = g_strdup_printf ("https://cdn.example.com/%s.jpg", name);
  return mh_test_params ("image", url, NULL);
}

static MhJobRecord *
url_record (const char *name)
{
  g_autoptr(GHashTable) params = url_params (name);
  return mh_job_record_new (mh_tool_lookup ("headshot"), params);
}

static void
write_record (const char  *jobs,
              MhJobRecord *record)
{
  g_autofree char *path = record_file (jobs, mh_job_record_get_id (record));
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (jobs, 0700), ==, 0);
  data = mh_job_record_to_data (record, &len);
  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
}

/* A recorded job whose results go to the fixture's output folder. */
static MhJob *
recorded_job (Fixture    *f,
              MhJobStore *store,
              const char *tool_id)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->t, tool_id);
  g_autoptr(GFile) out = g_file_new_for_path (f->t.out);
  MhJob *job = mh_job_store_new_job (store, f->t.client, mh_tool_lookup (tool_id), params);

  mh_job_set_output_dir (job, out);
  return job;
}

static void
run_start (MhJob  *job,
           Result *r)
{
  result_clear (r);
  mh_job_run_async (job, NULL, ran_cb, r);
}

static void
run_wait (Result *r)
{
  mh_test_wait_for_flag (&r->finished, MH_TEST_TIMEOUT, "the job to finish");
}

/* The file is what the simulator serves for @project_id. */
static void
assert_output (Fixture    *f,
               const char *path,
               const char *project_id)
{
  g_autofree char *expected = mh_simulator_dup_output_sha256 (f->t.sim, project_id, NULL);
  g_autofree char *actual = mh_test_file_sha256 (path);

  g_assert_cmpstr (actual, ==, expected);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  mh_test_fixture_setup (&f->t, data);
  f->jobs = g_build_filename (f->t.tmp, "jobs", NULL);
  f->store = store_open (f->jobs);
  g_assert_cmpuint (n_records (f->store), ==, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  mh_job_store_flush (f->store);
  g_clear_object (&f->store);
  g_clear_pointer (&f->jobs, g_free);
  mh_test_fixture_teardown (&f->t, data);
}

/* ------------------------------------------------------------------------ */
/* 1. A record as a file                                                    */

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *cwd = g_get_current_dir ();
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(MhJob) job = NULL;
  g_autoptr(MhJobStore) again = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *json_name = NULL;
  g_autofree char *image = NULL;
  g_autofree char *audio = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) updated = NULL;
  g_autoptr(GFile) out = g_file_new_for_path (f->t.out);
  MhJobRecord *record, *loaded;
  JsonArray *files;
  const char *id, *project;

  /* Inputs given relative to the working folder, as on a command line. */
  g_free (mh_test_write_png (f->t.tmp, "face.png"));
  g_free (mh_test_write_wav (f->t.tmp, "voice.wav", 10));
  params = mh_test_params ("image", "face.png", "audio", "voice.wav", "start", "0", "end", "5", NULL);
  g_assert_cmpint (g_chdir (f->t.tmp), ==, 0);
  job = mh_job_store_new_job (f->store, f->t.client, mh_tool_lookup ("talking-photo"), params);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  mh_job_set_output_dir (job, out);
  record = mh_job_get_record (job);
  g_assert_nonnull (record);
  id = mh_job_record_get_id (record);
  g_assert_true (mh_job_store_lookup (f->store, id) == record);

  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  mh_test_assert_job_output (&f->t, job);
  project = mh_job_get_project_id (job);

  /* One "<id>.json" in the folder, nothing else (no lock, no temporary). */
  mh_job_store_flush (f->store);
  names = mh_test_list_dir (f->jobs);
  json_name = g_strconcat (id, ".json", NULL);
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, json_name);

  root = read_record_json (f->jobs, id);
  g_assert_cmpint (json_node_get_int (json_get_checked (root, "version")), ==, 1);
  g_assert_cmpstr (mh_test_json_get_string (root, "id"), ==, id);
  g_assert_cmpstr (mh_test_json_get_string (root, "tool"), ==, "talking-photo");
  g_assert_cmpstr (mh_test_json_get_string (root, "name"), ==, "face");
  image = g_build_filename (f->t.tmp, "face.png", NULL);
  audio = g_build_filename (f->t.tmp, "voice.wav", NULL);
  g_assert_cmpstr (mh_test_json_get_string (root, "inputs.image"), ==, image);
  g_assert_cmpstr (mh_test_json_get_string (root, "inputs.audio"), ==, audio);
  g_assert_cmpuint (json_object_get_size (json_node_get_object (json_get_checked (root, "inputs"))), ==, 2);
  g_assert_cmpstr (mh_test_json_get_string (root, "options.start"), ==, "0");
  g_assert_cmpstr (mh_test_json_get_string (root, "options.end"), ==, "5");
  g_assert_cmpstr (mh_test_json_get_string (root, "api"), ==, mh_simulator_get_base_url (f->t.sim));
  g_assert_cmpstr (mh_test_json_get_string (root, "project.id"), ==, project);
  g_assert_cmpstr (mh_test_json_get_string (root, "project.kind"), ==, "video");
  g_assert_cmpstr (mh_test_json_get_string (root, "state"), ==, "done");
  g_assert_cmpint (json_node_get_int (json_get_checked (root, "credits")), ==, 5 * 48);
  created = g_date_time_new_from_iso8601 (mh_test_json_get_string (root, "created"), NULL);
  updated = g_date_time_new_from_iso8601 (mh_test_json_get_string (root, "updated"), NULL);
  g_assert_nonnull (created);
  g_assert_nonnull (updated);
  g_assert_cmpint (g_date_time_compare (created, updated), <=, 0);
  g_assert_cmpstr (mh_test_json_get_string (root, "output_dir"), ==, f->t.out);
  files = json_node_get_array (json_get_checked (root, "output_files"));
  g_assert_cmpuint (json_array_get_length (files), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (files, 0), ==, mh_job_get_output_files (job)[0]);
  assert_output (f, json_array_get_string_element (files, 0), project);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_get_checked (root, "error")));

  /* A store that reads the folder afresh knows the same job. */
  again = store_open (f->jobs);
  g_assert_cmpuint (n_records (again), ==, 1);
  g_assert_null (mh_job_store_get_problems (again)[0]);
  loaded = mh_job_store_lookup (again, id);
  g_assert_nonnull (loaded);
  g_assert_true (loaded != record);
  g_assert_true (mh_job_record_get_tool (loaded) == mh_tool_lookup ("talking-photo"));
  g_assert_cmpstr (mh_job_record_get_name (loaded), ==, "face");
  g_assert_cmpstr (mh_params_get (mh_job_record_get_params (loaded), "image"), ==, image);
  g_assert_cmpstr (mh_params_get (mh_job_record_get_params (loaded), "audio"), ==, audio);
  g_assert_cmpstr (mh_params_get (mh_job_record_get_params (loaded), "end"), ==, "5");
  g_assert_cmpuint (g_hash_table_size (mh_job_record_get_params (loaded)), ==, 4);
  g_assert_cmpint (mh_job_record_get_state (loaded), ==, MH_JOB_STATE_DONE);
  g_assert_cmpstr (mh_job_record_get_project_id (loaded), ==, project);
  g_assert_cmpint (mh_job_record_get_credits (loaded), ==, 5 * 48);
  g_assert_true (g_date_time_equal (mh_job_record_get_created (loaded), mh_job_record_get_created (record)));
  g_assert_true (g_date_time_equal (mh_job_record_get_updated (loaded), mh_job_record_get_updated (record)));
  g_assert_cmpstr (mh_job_record_get_output_dir (loaded), ==, f->t.out);
  g_assert_true (g_strv_equal (mh_job_record_get_output_files (loaded), mh_job_get_output_files (job)));
  g_assert_null (mh_job_record_get_error_message (loaded));
  g_assert_false (mh_job_record_get_running (loaded));
  g_assert_false (mh_job_record_needs_resume (loaded));
  g_assert_false (mh_job_record_needs_retry (loaded));
  g_assert_true (mh_job_store_lookup_project (again, project) == loaded);
  {
    g_autofree char *status = mh_job_record_describe_status (loaded);
    g_assert_cmpstr (status, ==, "Done");
  }
}

static void
test_newest_first (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(MhJobStore) again = NULL;
  g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("job-%u", i);
      gint64 before = g_get_real_time ();
      MhJobRecord *record;

      /* Distinct creation times (to the microsecond the files keep). */
      while (g_get_real_time () == before)
        ;
      record = url_record (name);
      g_ptr_array_add (made, record);
      mh_job_store_add (f->store, record);
      /* The newest is first at once. */
      g_assert_true (record_at (f->store, 0) == record);
    }
  mh_job_store_flush (f->store);

  again = store_open (f->jobs);
  g_assert_cmpuint (n_records (again), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      MhJobRecord *record = record_at (again, i);
      MhJobRecord *expected = g_ptr_array_index (made, 4 - i);

      g_assert_cmpstr (mh_job_record_get_id (record), ==, mh_job_record_get_id (expected));
      g_assert_cmpstr (mh_job_record_get_name (record), ==, mh_job_record_get_name (expected));
      g_assert_cmpint (mh_job_record_get_state (record), ==, MH_JOB_STATE_IDLE);
      g_assert_true (mh_job_record_needs_retry (record));
    }
}

/* ------------------------------------------------------------------------ */
/* 2. Damaged files                                                         */

static const char *const damage_kinds[] = {
  "empty", "truncated", "binary", "array", "missing-id", "missing-tool",
  "state-number", "unknown-tool", "unknown-state", "id-mismatch", "no-version",
  "deep",
  "surrogate-in-name", "surrogate-in-output-files", "surrogate-in-option-name",
  "output-file-not-a-path",
};

/* The file is UTF-8, but json-glib turns "\ud800" (half a surrogate pair)
 * followed by more text into bytes that are not: text written with this
 * placeholder gets one. */
#define SURROGATE "@SURROGATE@"

/* The bytes of a record damaged in the way @kind says. */
static GBytes *
damaged_bytes (const char  *kind,
               MhJobRecord *record)
{
  g_autoptr(JsonNode) node = mh_job_record_to_json (record);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  JsonObject *object = json_node_get_object (node);
  static const char binary[] = "\x89PNG\r\n\x1a\n\0\xff\xfe{\"id\":\x80\xc3";
  static const char array[] = "[{\"version\": 1, \"id\": \"x\"}]\n";
  gsize len;
  char *data;

  if (g_str_equal (kind, "empty"))
    return g_bytes_new_static ("", 0);
  if (g_str_equal (kind, "binary"))
    return g_bytes_new_static (binary, sizeof binary - 1);
  if (g_str_equal (kind, "array"))
    return g_bytes_new_static (array, strlen (array));
  if (g_str_equal (kind, "truncated"))
    {
      data = mh_job_record_to_data (record, &len);
      return g_bytes_new_take (data, len / 2);
    }
  /* A member nested 100,000 deep (json-glib alone overflows the stack)
   * inside a record that is otherwise good. */
  if (g_str_equal (kind, "deep"))
    {
      g_autofree char *good = mh_job_record_to_data (record, &len);
      GString *text = g_string_new ("{\"junk\": ");

      for (guint i = 0; i < 100000; i++)
        g_string_append_c (text, '[');
      for (guint i = 0; i < 100000; i++)
        g_string_append_c (text, ']');
      g_string_append_c (text, ',');
      g_string_append (text, strchr (good, '{') + 1);
      return g_string_free_to_bytes (text);
    }

  if (g_str_equal (kind, "missing-id"))
    json_object_remove_member (object, "id");
  else if (g_str_equal (kind, "missing-tool"))
    json_object_remove_member (object, "tool");
  else if (g_str_equal (kind, "state-number"))
    json_object_set_int_member (object, "state", 7);
  else if (g_str_equal (kind, "unknown-tool"))
    json_object_set_string_member (object, "tool", "teleport");
  else if (g_str_equal (kind, "unknown-state"))
    json_object_set_string_member (object, "state", "exploded");
  else if (g_str_equal (kind, "id-mismatch"))
    {
      g_autofree char *other = g_uuid_string_random ();
      json_object_set_string_member (object, "id", other);
    }
  else if (g_str_equal (kind, "no-version"))
    json_object_remove_member (object, "version");
  else if (g_str_equal (kind, "surrogate-in-name"))
    json_object_set_string_member (object, "name", "Ph" SURROGATE "oto");
  else if (g_str_equal (kind, "surrogate-in-output-files"))
    {
      JsonArray *files = json_array_new ();

      json_array_add_string_element (files, "/tmp/" SURROGATE ".png");
      json_object_set_array_member (object, "output_files", files);
    }
  else if (g_str_equal (kind, "surrogate-in-option-name"))
    json_object_set_string_member (json_object_get_object_member (object, "options"), "mode" SURROGATE "x", "x");
  else if (g_str_equal (kind, "output-file-not-a-path"))
    {
      JsonArray *files = json_array_new ();

      json_array_add_string_element (files, "file://elsewhere.example.com/x.png");
      json_object_set_array_member (object, "output_files", files);
    }
  else
    g_assert_not_reached ();

  json_generator_set_root (generator, node);
  data = json_generator_to_data (generator, &len);
  {
    g_autoptr(GString) text = g_string_new_len (data, len);

    g_free (data);

    g_string_replace (text, SURROGATE, "\\ud800", 0);
    len = text->len;
    return g_bytes_new_take (g_string_free (g_steal_pointer (&text), FALSE), len);
  }
}

/* Writes one good record into @jobs (the one every damaged folder keeps). */
static MhJobRecord *
folder_with_good_record (const char *jobs)
{
  MhJobRecord *good = url_record ("good");

  write_record (jobs, good);
  return good;
}

static void
test_damaged (Fixture       *f,
              gconstpointer  data)
{
  const char *kind = data;
  g_autofree char *jobs = g_build_filename (f->t.tmp, kind, "jobs", NULL);
  g_autofree char *damaged_dir = g_build_filename (jobs, "damaged", NULL);
  g_autoptr(MhJobRecord) good = folder_with_good_record (jobs);
  g_autoptr(MhJobRecord) victim = url_record ("victim");
  g_autoptr(GBytes) bytes = damaged_bytes (kind, victim);
  g_autofree char *bad_path = record_file (jobs, mh_job_record_get_id (victim));
  g_autoptr(MhJobStore) store = NULL;
  g_autoptr(GPtrArray) moved = NULL;
  g_autoptr(GBytes) kept = NULL;
  g_autoptr(GFile) dir = g_file_new_for_path (jobs);
  g_autofree char *backup = NULL;
  const char *const *problems;

  g_free (mh_test_write_file (jobs, strrchr (bad_path, '/') + 1,
                              g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)));

  store = mh_job_store_new (dir);
  store_load (store);

  /* The rest of the history is there. */
  g_assert_cmpuint (n_records (store), ==, 1);
  g_assert_cmpstr (mh_job_record_get_id (record_at (store, 0)), ==, mh_job_record_get_id (good));

  /* The damaged file was moved, with its bytes, and one sentence says where. */
  g_assert_false (g_file_test (bad_path, G_FILE_TEST_EXISTS));
  moved = mh_test_list_dir (damaged_dir);
  g_assert_cmpuint (moved->len, ==, 1);
  backup = g_build_filename (damaged_dir, g_ptr_array_index (moved, 0), NULL);
  kept = read_bytes (backup);
  g_assert_true (g_bytes_equal (kept, bytes));

  problems = mh_job_store_get_problems (store);
  g_assert_nonnull (problems[0]);
  g_assert_null (problems[1]);
  g_test_message ("%s: %s", kind, problems[0]);
  g_assert_nonnull (strstr (problems[0], backup));

  /* Loading again finds nothing wrong. */
  store_load (store);
  g_assert_null (mh_job_store_get_problems (store)[0]);
  g_assert_cmpuint (n_records (store), ==, 1);
}

/* Things named like a record that are not a record file: never read as
 * one (a FIFO would block the store for ever, /dev/zero fill the memory, a
 * link lead out of the folder, a huge file be read whole), but moved aside
 * as they are, without following a link, and said so. */
static const char *const not_a_file_kinds[] = {
  "fifo", "symlink-to-device", "symlink-to-record", "too-large", "folder", "socket",
};

/* The size limit of a record file, as the store has it. */
#define RECORD_LIMIT (1024 * 1024)

static void
test_not_a_file (Fixture       *f,
                 gconstpointer  data)
{
  const char *kind = data;
  g_autofree char *jobs = g_build_filename (f->t.tmp, kind, "jobs", NULL);
  g_autofree char *elsewhere = g_build_filename (f->t.tmp, kind, "elsewhere", NULL);
  g_autofree char *damaged_dir = g_build_filename (jobs, "damaged", NULL);
  g_autoptr(MhJobRecord) good = folder_with_good_record (jobs);
  g_autoptr(MhJobRecord) victim = url_record ("victim");
  g_autofree char *bad_path = record_file (jobs, mh_job_record_get_id (victim));
  g_autofree char *target = NULL;
  g_autoptr(GBytes) target_bytes = NULL;
  g_autoptr(GFile) dir = g_file_new_for_path (jobs);
  g_autoptr(MhJobStore) store = NULL;
  g_autoptr(GPtrArray) moved = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autofree char *backup = NULL;
  const char *const *problems;
  const char *reason;
  GStatBuf st;
  mode_t type;
  gint64 started;

  if (g_str_equal (kind, "fifo"))
    {
      g_assert_cmpint (mkfifo (bad_path, 0600), ==, 0);
      type = S_IFIFO;
      reason = "it is not a regular file";
    }
  else if (g_str_equal (kind, "symlink-to-device"))
    {
      target = g_strdup ("/dev/zero");
      g_assert_cmpint (symlink (target, bad_path), ==, 0);
      type = S_IFLNK;
      reason = "it is a symbolic link";
    }
  else if (g_str_equal (kind, "symlink-to-record"))
    {
      /* A good record of the same id, out of the folder. */
      g_assert_cmpint (g_mkdir_with_parents (elsewhere, 0700), ==, 0);
      write_record (elsewhere, victim);
      target = record_file (elsewhere, mh_job_record_get_id (victim));
      target_bytes = read_bytes (target);
      g_assert_cmpint (symlink (target, bad_path), ==, 0);
      type = S_IFLNK;
      reason = "it is a symbolic link";
    }
  else if (g_str_equal (kind, "too-large"))
    {
      /* A good record, but padded past the limit. */
      gsize len;
      g_autofree char *text = mh_job_record_to_data (victim, &len);
      g_autoptr(GString) padded = g_string_new_len (text, len);

      while (padded->len <= RECORD_LIMIT)
        g_string_append_c (padded, ' ');
      g_free (mh_test_write_file (jobs, strrchr (bad_path, '/') + 1, padded->str, padded->len));
      type = S_IFREG;
      reason = "it is larger than 1 MiB";
    }
  else if (g_str_equal (kind, "folder"))
    {
      g_assert_cmpint (g_mkdir (bad_path, 0700), ==, 0);
      g_free (mh_test_write_file (bad_path, "note.txt", "kept", 4));
      type = S_IFDIR;
      reason = "it is not a regular file";
    }
  else if (g_str_equal (kind, "socket"))
    {
      socket = mh_test_bind_unix_socket (bad_path);
      type = S_IFSOCK;
      reason = "it is not a regular file";
    }
  else
    g_assert_not_reached ();

  started = g_get_monotonic_time ();
  store = mh_job_store_new (dir);
  store_load (store);
  g_test_message ("%s: loaded in %.3f s", kind, (g_get_monotonic_time () - started) / 1e6);

  /* The rest of the history is there, the thing is not read as a record. */
  g_assert_cmpuint (n_records (store), ==, 1);
  g_assert_cmpstr (mh_job_record_get_id (record_at (store, 0)), ==, mh_job_record_get_id (good));
  g_assert_null (mh_job_store_lookup (store, mh_job_record_get_id (victim)));

  /* Moved aside as it was: the same kind of thing, a link still pointing
   * where it did, and what it points to untouched. */
  g_assert_cmpint (g_lstat (bad_path, &st), !=, 0);
  moved = mh_test_list_dir (damaged_dir);
  g_assert_cmpuint (moved->len, ==, 1);
  backup = g_build_filename (damaged_dir, g_ptr_array_index (moved, 0), NULL);
  g_assert_cmpint (g_lstat (backup, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & S_IFMT, ==, type);
  if (target != NULL)
    {
      g_autofree char *link = g_file_read_link (backup, NULL);
      g_assert_cmpstr (link, ==, target);
    }
  if (target_bytes != NULL)
    {
      g_autoptr(GBytes) after = read_bytes (target);
      g_assert_true (g_bytes_equal (after, target_bytes));
    }
  if (type == S_IFREG)
    g_assert_cmpint (st.st_size, >, RECORD_LIMIT);
  if (type == S_IFDIR)
    {
      g_autofree char *note = g_build_filename (backup, "note.txt", NULL);
      g_assert_true (g_file_test (note, G_FILE_TEST_IS_REGULAR));
    }

  /* One sentence says what it was and where it went. */
  problems = mh_job_store_get_problems (store);
  g_assert_nonnull (problems[0]);
  g_assert_null (problems[1]);
  g_test_message ("%s: %s", kind, problems[0]);
  g_assert_nonnull (strstr (problems[0], "A job record could not be read"));
  g_assert_nonnull (strstr (problems[0], reason));
  g_assert_nonnull (strstr (problems[0], backup));

  /* Loading again finds nothing wrong. */
  store_load (store);
  g_assert_null (mh_job_store_get_problems (store)[0]);
  g_assert_cmpuint (n_records (store), ==, 1);
}

/* A record just under the limit is still one. */
static void
test_large_record (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(MhJobRecord) record = url_record ("large");
  g_autofree char *path = record_file (f->jobs, mh_job_record_get_id (record));
  gsize len;
  g_autofree char *text = mh_job_record_to_data (record, &len);
  g_autoptr(GString) padded = g_string_new_len (text, len);

  while (padded->len < RECORD_LIMIT)
    g_string_append_c (padded, '\n');
  g_free (mh_test_write_file (f->jobs, strrchr (path, '/') + 1, padded->str, padded->len));

  store_load (f->store);
  g_assert_null (mh_job_store_get_problems (f->store)[0]);
  g_assert_nonnull (mh_job_store_lookup (f->store, mh_job_record_get_id (record)));
}

/* The history's own folder need not have a UTF-8 name: what the store
 * says about it is text all the same. */
static void
test_damaged_in_folder_not_utf8 (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *jobs = g_build_filename (f->t.tmp, "Donn\xe9" "es", "jobs", NULL);
  g_autofree char *damaged_dir = g_build_filename (jobs, "damaged", NULL);
  g_autoptr(MhJobRecord) good = folder_with_good_record (jobs);
  g_autoptr(MhJobRecord) victim = url_record ("victim");
  g_autofree char *bad_path = record_file (jobs, mh_job_record_get_id (victim));
  g_autoptr(GFile) dir = g_file_new_for_path (jobs);
  g_autoptr(MhJobStore) store = NULL;
  g_autoptr(GPtrArray) moved = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *shown = NULL;
  const char *const *problems;

  g_free (mh_test_write_file (jobs, strrchr (bad_path, '/') + 1, "", 0));
  store = mh_job_store_new (dir);
  store_load (store);

  g_assert_cmpuint (n_records (store), ==, 1);
  moved = mh_test_list_dir (damaged_dir);
  g_assert_cmpuint (moved->len, ==, 1);
  backup = g_build_filename (damaged_dir, g_ptr_array_index (moved, 0), NULL);
  shown = g_filename_display_name (backup);
  problems = mh_job_store_get_problems (store);
  g_assert_nonnull (problems[0]);
  g_assert_true (g_utf8_validate (problems[0], -1, NULL));
  g_assert_nonnull (strstr (problems[0], shown));
}

/* Paths are file names, and need not be UTF-8 (a folder made on a system
 * with another encoding): the record file stays text, and gives the same
 * bytes back, after each save. */
static void
test_paths_not_utf8 (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->t.tmp, "R\xe9sultats", NULL);
  g_autofree char *image = mh_test_write_png (f->t.tmp, "Ph\xf6to.png");
  g_autoptr(GHashTable) params = mh_test_params ("image", image, NULL);
  g_autoptr(GFile) out_dir = g_file_new_for_path (out);
  g_autoptr(MhJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *output = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;
  const char *project;

  g_assert_false (g_utf8_validate (out, -1, NULL));
  job = mh_job_store_new_job (f->store, f->t.client, mh_tool_lookup ("headshot"), params);
  mh_job_set_output_dir (job, out_dir);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  project = mh_job_get_project_id (job);
  output = g_strdup (mh_job_get_output_files (job)[0]);
  g_assert_true (g_str_has_prefix (output, out));
  id = g_strdup (mh_job_record_get_id (mh_job_get_record (job)));
  mh_job_store_flush (f->store);

  /* The file is text; the paths that are not are URIs of the same bytes. */
  path = record_file (f->jobs, id);
  {
    g_autoptr(GBytes) bytes = read_bytes (path);
    g_assert_true (g_utf8_validate_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
  }
  root = read_record_json (f->jobs, id);
  {
    g_autofree char *dir = g_filename_from_uri (mh_test_json_get_string (root, "output_dir"), NULL, NULL);
    g_autofree char *input = g_filename_from_uri (mh_test_json_get_string (root, "inputs.image"), NULL, NULL);
    JsonArray *files = json_node_get_array (json_get_checked (root, "output_files"));
    g_autofree char *file = g_filename_from_uri (json_array_get_string_element (files, 0), NULL, NULL);

    g_assert_cmpstr (dir, ==, out);
    g_assert_cmpstr (input, ==, image);
    g_assert_cmpstr (file, ==, output);
  }

  /* Read back, saved again (claimed and given back), read back again: the
   * same bytes each time, and nothing moved aside. */
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(MhJobStore) again = store_open (f->jobs);
      MhJobRecord *loaded = mh_job_store_lookup (again, id);
      g_autoptr(GError) claim_error = NULL;

      g_assert_null (mh_job_store_get_problems (again)[0]);
      g_assert_nonnull (loaded);
      g_assert_cmpstr (mh_job_record_get_output_dir (loaded), ==, out);
      g_assert_cmpstr (mh_job_record_get_output_files (loaded)[0], ==, output);
      g_assert_null (mh_job_record_get_output_files (loaded)[1]);
      g_assert_cmpstr (mh_params_get (mh_job_record_get_params (loaded), "image"), ==, image);
      g_assert_cmpstr (mh_job_record_get_project_id (loaded), ==, project);
      g_assert_true (g_utf8_validate (mh_job_record_get_name (loaded), -1, NULL));

      g_assert_true (store_claim (again, loaded, &claim_error));
      g_assert_no_error (claim_error);
      store_release (again, loaded);
      mh_job_store_flush (again);
    }
  {
    g_autofree char *damaged_dir = g_build_filename (f->jobs, "damaged", NULL);
    g_assert_false (g_file_test (damaged_dir, G_FILE_TEST_EXISTS));
  }

  expected = mh_simulator_dup_output_sha256 (f->t.sim, project, NULL);
  actual = mh_test_file_sha256 (output);
  g_assert_cmpstr (actual, ==, expected);
}

/* Text from elsewhere that is not UTF-8 (an error message naming such a
 * file, an ID) is made text before it is kept. */
static void
test_text_not_utf8 (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(MhJobRecord) record = url_record ("text");
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "Could not write \xe9t\xe9.png");
  g_autoptr(MhJobStore) again = NULL;
  MhJobRecord *loaded;

  mh_job_record_set_project (record, "proj-\xff", 5);
  mh_job_record_set_api_base_url (record, "http://127.0.0.1:1/\xfe");
  mh_job_record_set_error (record, error);
  mh_job_record_set_state (record, MH_JOB_STATE_FAILED);
  g_assert_true (g_utf8_validate (mh_job_record_get_project_id (record), -1, NULL));
  g_assert_true (g_utf8_validate (mh_job_record_get_api_base_url (record), -1, NULL));
  g_assert_true (g_utf8_validate (mh_job_record_get_error_message (record), -1, NULL));
  g_assert_nonnull (strstr (mh_job_record_get_error_message (record), "Could not write"));

  mh_job_store_add (f->store, record);
  mh_job_store_flush (f->store);
  again = store_open (f->jobs);
  g_assert_null (mh_job_store_get_problems (again)[0]);
  loaded = mh_job_store_lookup (again, mh_job_record_get_id (record));
  g_assert_nonnull (loaded);
  g_assert_cmpstr (mh_job_record_get_project_id (loaded), ==, mh_job_record_get_project_id (record));
  g_assert_cmpstr (mh_job_record_get_error_message (loaded), ==, mh_job_record_get_error_message (record));
}

/* A record that failed without saying why ("error": null) says so in
 * words, not "(null)". */
static void
test_failed_without_error (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(MhJobRecord) record = url_record ("silent");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(MhJobStore) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = record_file (f->jobs, mh_job_record_get_id (record));
  gsize len;

  mh_job_record_set_project (record, "cm0silent", 5);
  mh_job_record_set_state (record, MH_JOB_STATE_FAILED);
  node = mh_job_record_to_json (record);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (json_node_get_object (node), "error")));
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &len);
  g_free (mh_test_write_file (f->jobs, strrchr (path, '/') + 1, text, len));

  again = store_open (f->jobs);
  g_assert_null (mh_job_store_get_problems (again)[0]);
  {
    MhJobRecord *loaded = mh_job_store_lookup (again, mh_job_record_get_id (record));
    g_autofree char *status = NULL;

    g_assert_nonnull (loaded);
    g_assert_null (mh_job_record_get_error_message (loaded));
    g_assert_true (mh_job_record_needs_resume (loaded));
    status = mh_job_record_describe_status (loaded);
    g_assert_cmpstr (status, ==, "Not finished, will be resumed");
  }
}

static void
test_newer_version (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *damaged_dir = g_build_filename (f->jobs, "damaged", NULL);
  g_autoptr(MhJobRecord) good = folder_with_good_record (f->jobs);
  g_autoptr(MhJobRecord) future = url_record ("future");
  g_autoptr(JsonNode) node = mh_job_record_to_json (future);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *path = record_file (f->jobs, mh_job_record_get_id (future));
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) after = NULL;
  const char *const *problems;
  char *data_;
  gsize len;

  /* Written by a later release: more members, and a new format number. */
  json_object_set_int_member (json_node_get_object (node), "version", 99);
  json_object_set_string_member (json_node_get_object (node), "state", "teleporting");
  json_generator_set_root (generator, node);
  data_ = json_generator_to_data (generator, &len);
  bytes = g_bytes_new_take (data_, len);
  g_free (mh_test_write_file (f->jobs, strrchr (path, '/') + 1, data_, len));

  store_load (f->store);

  g_assert_cmpuint (n_records (f->store), ==, 1);
  g_assert_cmpstr (mh_job_record_get_id (record_at (f->store, 0)), ==, mh_job_record_get_id (good));
  g_assert_null (mh_job_store_lookup (f->store, mh_job_record_get_id (future)));

  /* Left where it is, byte for byte, for the newer version to read. */
  after = read_bytes (path);
  g_assert_true (g_bytes_equal (after, bytes));
  g_assert_false (g_file_test (damaged_dir, G_FILE_TEST_EXISTS));

  problems = mh_job_store_get_problems (f->store);
  g_assert_nonnull (problems[0]);
  g_assert_null (problems[1]);
  g_assert_nonnull (strstr (problems[0], "a newer version of Magic Hour Studio wrote it"));
  g_assert_nonnull (strstr (problems[0], path));
}

static void
test_folder_is_a_file (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *parent = g_build_filename (f->t.tmp, "data", NULL);
  g_autofree char *jobs = g_build_filename (parent, "jobs", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (jobs);
  g_autoptr(MhJobStore) store = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GBytes) kept = NULL;
  g_autoptr(MhJobRecord) record = url_record ("after");
  g_autoptr(MhJobStore) again = NULL;
  g_autofree char *backup = NULL;
  const char *const *problems;
  static const char text[] = "not a folder\n";

  g_assert_cmpint (g_mkdir (parent, 0700), ==, 0);
  g_free (mh_test_write_file (parent, "jobs", text, sizeof text - 1));

  store = mh_job_store_new (dir);
  store_load (store);

  g_assert_cmpuint (n_records (store), ==, 0);
  g_assert_true (g_file_test (jobs, G_FILE_TEST_IS_DIR));
  names = mh_test_list_dir (parent);
  g_assert_cmpuint (names->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "jobs");
  g_assert_true (g_str_has_prefix (g_ptr_array_index (names, 1), "jobs."));
  backup = g_build_filename (parent, g_ptr_array_index (names, 1), NULL);
  kept = read_bytes (backup);
  g_assert_cmpmem (g_bytes_get_data (kept, NULL), g_bytes_get_size (kept), text, sizeof text - 1);

  problems = mh_job_store_get_problems (store);
  g_assert_nonnull (problems[0]);
  g_assert_null (problems[1]);
  g_assert_nonnull (strstr (problems[0], backup));
  g_assert_nonnull (strstr (problems[0], "a new one was started"));

  /* The new history works. */
  mh_job_store_add (store, record);
  mh_job_store_flush (store);
  again = store_open (jobs);
  g_assert_cmpuint (n_records (again), ==, 1);
}

static void
set_age (const char *path,
         int         seconds)
{
  struct utimbuf times;

  times.actime = times.modtime = (time_t) (g_get_real_time () / G_USEC_PER_SEC) - seconds;
  g_assert_cmpint (g_utime (path, &times), ==, 0);
}

static void
test_stale_temporary (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(MhJobRecord) good = folder_with_good_record (f->jobs);
  g_autofree char *id = g_strdup (mh_job_record_get_id (good));
  g_autofree char *old_name = g_strconcat (id, ".json.AB12CD", NULL);
  g_autofree char *new_name = g_strconcat (id, ".json.EF34GH", NULL);
  g_autofree char *old_path = mh_test_write_file (f->jobs, old_name, "{\"vers", 6);
  g_autofree char *new_path = mh_test_write_file (f->jobs, new_name, "{\"vers", 6);
  g_autofree char *damaged_dir = g_build_filename (f->jobs, "damaged", NULL);

  /* A killed writer's leftover is old; another process's is being written. */
  set_age (old_path, 61 + 5);
  set_age (new_path, 2);

  store_load (f->store);
  g_assert_null (mh_job_store_get_problems (f->store)[0]);
  g_assert_cmpuint (n_records (f->store), ==, 1);
  g_assert_false (g_file_test (old_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (new_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (damaged_dir, G_FILE_TEST_EXISTS));
}

/* ------------------------------------------------------------------------ */
/* 3. Several stores, several processes                                     */

/* Another process (the test re-executed): adds @n records to @dir. */
static int
child_add (const char *dir,
           guint       n)
{
  g_autoptr(MhJobStore) store = store_open (dir);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("child-%u", i);
      g_autoptr(MhJobRecord) record = url_record (name);

      mh_job_store_add (store, record);
    }
  mh_job_store_flush (store);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  return 0;
}

/* Another process: claims record @id of @dir, says so, and holds it until
 * killed (or until its stdin closes). */
static int
child_claim (const char *dir,
             const char *id)
{
  g_autoptr(MhJobStore) store = store_open (dir);
  g_autoptr(GError) error = NULL;
  MhJobRecord *record = mh_job_store_lookup (store, id);
  char c;

  if (record == NULL || !store_claim (store, record, &error))
    {
      g_printerr ("child: %s\n", error != NULL ? error->message : "no such record");
      return 1;
    }
  printf ("claimed\n");
  fflush (stdout);
  while (read (STDIN_FILENO, &c, 1) > 0)
    ;
  return 0;
}

static void
child_exited_cb (GPid     pid,
                 int      status,
                 gpointer data)
{
  int *out = data;

  *out = status;
  g_spawn_close_pid (pid);
}

static gboolean
child_exit_is_set (gpointer data)
{
  return *(int *) data != -1;
}

typedef struct
{
  MhJobStore *a, *b;
  guint       i, n;
} Interleave;

static gboolean
interleave_cb (gpointer data)
{
  Interleave *il = data;
  g_autofree char *name_a = g_strdup_printf ("a-%u", il->i);
  g_autofree char *name_b = g_strdup_printf ("b-%u", il->i);
  g_autoptr(MhJobRecord) a = url_record (name_a);
  g_autoptr(MhJobRecord) b = url_record (name_b);

  mh_job_store_add (il->a, a);
  mh_job_store_add (il->b, b);
  return ++il->i < il->n ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
a_sees_all (gpointer data)
{
  return n_records (MH_JOB_STORE (data)) == 150;
}

static void
test_two_stores_and_a_process (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(MhJobStore) b = store_open (f->jobs);
  g_autoptr(MhJobStore) c = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  Interleave il = { f->store, b, 0, 50 };
  const char *argv[] = { self_exe, "--child-add", f->jobs, "50", NULL };
  int status = -1;
  GPid pid;
  guint per[3] = { 0, 0, 0 };

  /* The app's store follows the others' changes. */
  mh_job_store_watch (f->store);

  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  g_child_watch_add (pid, child_exited_cb, &status);

  g_idle_add (interleave_cb, &il);
  mh_test_wait_for (child_exit_is_set, &status, MH_TEST_TIMEOUT, "the other process");
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  while (il.i < il.n)
    g_main_context_iteration (NULL, TRUE);
  mh_job_store_flush (f->store);
  mh_job_store_flush (b);

  /* Everything on disk, each record once, no temporary file or lock left. */
  names = mh_test_list_dir (f->jobs);
  g_assert_cmpuint (names->len, ==, 150);
  for (guint i = 0; i < names->len; i++)
    g_assert_true (g_str_has_suffix (g_ptr_array_index (names, i), ".json"));

  c = store_open (f->jobs);
  g_assert_cmpuint (n_records (c), ==, 150);
  g_assert_null (mh_job_store_get_problems (c)[0]);
  for (guint i = 0; i < 150; i++)
    {
      MhJobRecord *record = record_at (c, i);
      const char *name = mh_job_record_get_name (record);

      g_assert_true (g_hash_table_add (ids, (gpointer) mh_job_record_get_id (record)));
      per[g_str_has_prefix (name, "a-") ? 0 : g_str_has_prefix (name, "b-") ? 1 : 2]++;
    }
  g_assert_cmpuint (per[0], ==, 50);
  g_assert_cmpuint (per[1], ==, 50);
  g_assert_cmpuint (per[2], ==, 50);

  /* The watching store lists the others' records too. */
  mh_test_wait_for (a_sees_all, f->store, MH_TEST_TIMEOUT, "the watching store to list every record");
}

static void
test_claim (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(MhJobRecord) record = url_record ("claimed");
  g_autoptr(MhJobStore) b = NULL;
  g_autoptr(GError) error = NULL;
  MhJobRecord *in_b;

  mh_job_store_add (f->store, record);
  mh_job_store_flush (f->store);
  b = store_open (f->jobs);
  in_b = mh_job_store_lookup (b, mh_job_record_get_id (record));
  g_assert_nonnull (in_b);

  g_assert_true (store_claim (f->store, record, &error));
  g_assert_no_error (error);
  g_assert_true (mh_job_record_get_running (record));

  /* The same store, and another one, are told it is busy. */
  g_assert_false (store_claim (f->store, record, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_false (store_claim (b, in_b, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "working on this job"));
  g_clear_error (&error);
  g_assert_false (mh_job_record_get_running (in_b));

  store_release (f->store, record);
  g_assert_false (mh_job_record_get_running (record));
  g_assert_true (store_claim (b, in_b, &error));
  g_assert_no_error (error);
  g_assert_false (store_claim (f->store, record, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);
  store_release (b, in_b);
}

static void
test_claim_killed_process (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(MhJobRecord) record = url_record ("killed");
  g_autoptr(GError) error = NULL;
  const char *argv[] = { self_exe, "--child-claim", f->jobs, mh_job_record_get_id (record), NULL };
  int in_fd = -1, out_fd = -1, status = -1;
  char line[32] = { 0 };
  gsize got = 0;
  GPid pid;

  mh_job_store_add (f->store, record);
  mh_job_store_flush (f->store);

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, &in_fd, &out_fd, NULL, &error);
  g_assert_no_error (error);
  g_child_watch_add (pid, child_exited_cb, &status);

  /* The other process says it holds the job (a blocking read of a line it
   * writes at once, or EOF if it died). */
  while (got < sizeof line - 1 && strchr (line, '\n') == NULL)
    {
      gssize n = read (out_fd, line + got, sizeof line - 1 - got);

      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >, 0);
      got += n;
    }
  g_assert_cmpstr (line, ==, "claimed\n");

  g_assert_false (store_claim (f->store, record, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);

  /* Killed: the kernel drops its lock. */
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  mh_test_wait_for (child_exit_is_set, &status, MH_TEST_TIMEOUT, "the killed process to end");
  g_assert_true (WIFSIGNALED (status));
  close (in_fd);
  close (out_fd);

  g_assert_true (store_claim (f->store, record, &error));
  g_assert_no_error (error);
  store_release (f->store, record);
}

/* ------------------------------------------------------------------------ */
/* 4. Interrupted, then continued from a store read afresh                  */

static void
interrupt_in_state_cb (MhJob      *job,
                       GParamSpec *pspec,
                       gpointer    data)
{
  if (mh_job_get_state (job) == (MhJobState) GPOINTER_TO_INT (data))
    mh_job_interrupt (job);
}

static void
interrupt_mid_download_cb (MhJob      *job,
                           GParamSpec *pspec,
                           gpointer    data)
{
  guint64 *seen = data;

  if (mh_job_get_state (job) == MH_JOB_STATE_DOWNLOADING &&
      mh_job_get_bytes_done (job) > 0 && mh_job_get_bytes_done (job) < mh_job_get_bytes_total (job))
    {
      *seen = mh_job_get_bytes_done (job);
      mh_job_interrupt (job);
    }
}

static gboolean
record_is_rendering (gpointer data)
{
  MhJobRecord *record = data;

  return mh_job_record_get_state (record) == MH_JOB_STATE_RENDERING &&
         mh_job_record_get_project_id (record) != NULL;
}

/* After an interruption: the job ended canceled, the store's copy is no
 * longer running. */
static void
assert_interrupted (Result      *r,
                    MhJob       *job)
{
  g_assert_false (r->ok);
  g_assert_error (r->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_CANCELED);
  g_assert_false (mh_job_record_get_running (mh_job_get_record (job)));
}

/* Continues @id from a new store loaded from disk, to its end: the record
 * and the result on disk. */
static void
continue_from_disk (Fixture    *f,
                    const char *id,
                    const char *project_id)
{
  g_autoptr(MhJobStore) store = store_open (f->jobs);
  MhJobRecord *record = mh_job_store_lookup (store, id);
  g_autoptr(MhJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *const *files;

  g_assert_nonnull (record);
  job = mh_job_store_continue_job (store, f->t.client, record, FALSE);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  mh_test_assert_job_output (&f->t, job);
  if (project_id != NULL)
    g_assert_cmpstr (mh_job_get_project_id (job), ==, project_id);

  g_assert_cmpint (mh_job_record_get_state (record), ==, MH_JOB_STATE_DONE);
  g_assert_false (mh_job_record_needs_resume (record));
  files = mh_job_record_get_output_files (record);
  g_assert_true (g_strv_equal (files, mh_job_get_output_files (job)));
  mh_job_store_flush (store);
  assert_record_on_disk (f, id, "done", mh_job_get_project_id (job));
  root = read_record_json (f->jobs, id);
  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (json_get_checked (root, "output_files")), 0),
                   ==, files[0]);

  /* One create in all, the result once. */
  g_assert_cmpuint (mh_simulator_count_requests (f->t.sim, MH_SIM_ENDPOINT_CREATE), ==, 1);
  g_assert_cmpuint (mh_simulator_count_projects (f->t.sim), ==, 1);
  g_assert_cmpuint (g_strv_length ((char **) files), ==, 1);
}

static void
test_resume_rendering (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(MhJob) job = NULL;
  g_autoptr(MhJobStore) fresh = NULL;
  g_autofree char *id = NULL;
  g_autofree char *project = NULL;
  MhJobRecord *record, *loaded;
  g_auto(Result) r = { 0 };

  mh_simulator_set_render_seconds (f->t.sim, 3.0);
  job = recorded_job (f, f->store, "talking-photo");
  record = mh_job_get_record (job);
  id = g_strdup (mh_job_record_get_id (record));

  run_start (job, &r);
  mh_test_wait_for (record_is_rendering, record, MH_TEST_TIMEOUT, "the record to say rendering");
  project = g_strdup (mh_job_record_get_project_id (record));
  mh_job_interrupt (job);
  run_wait (&r);
  assert_interrupted (&r, job);

  /* The file keeps the step, not "canceled". */
  assert_record_on_disk (f, id, "rendering", project);
  fresh = store_open (f->jobs);
  loaded = mh_job_store_lookup (fresh, id);
  g_assert_true (mh_job_record_needs_resume (loaded));
  g_assert_false (mh_job_record_needs_retry (loaded));
  g_assert_false (mh_job_record_may_exist (loaded));
  {
    g_autofree char *status = mh_job_record_describe_status (loaded);
    g_assert_cmpstr (status, ==, "Interrupted, will be resumed");
  }
  g_assert_cmpuint (mh_simulator_count_requests (f->t.sim, MH_SIM_ENDPOINT_DOWNLOAD), ==, 0);

  mh_simulator_finish_project_now (f->t.sim, project);
  continue_from_disk (f, id, project);
}

static void
test_resume_downloading (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(MhJob) job = NULL;
  g_autofree char *id = NULL;
  g_autofree char *project = NULL;
  g_autofree char *stale = NULL;
  g_autofree char *stale_name = NULL;
  g_autofree char *others_name = NULL;
  g_autofree char *others = NULL;
  g_autofree char *other_id = g_uuid_string_random ();
  g_autoptr(MhJobStore) fresh = NULL;
  MhJobRecord *record;
  guint64 seen = 0;
  g_auto(Result) r = { 0 };

  mh_simulator_set_output_bytes (f->t.sim, 16 * 1024 * 1024);
  job = recorded_job (f, f->store, "talking-photo");
  record = mh_job_get_record (job);
  id = g_strdup (mh_job_record_get_id (record));
  g_signal_connect (job, "notify::bytes-done", G_CALLBACK (interrupt_mid_download_cb), &seen);

  run_start (job, &r);
  run_wait (&r);
  assert_interrupted (&r, job);
  g_assert_cmpuint (seen, >, 0);
  project = g_strdup (mh_job_get_project_id (job));
  assert_record_on_disk (f, id, "downloading", project);
  fresh = store_open (f->jobs);
  g_assert_true (mh_job_record_needs_resume (mh_job_store_lookup (fresh, id)));
  g_assert_cmpuint (g_strv_length ((char **) mh_job_record_get_output_files (mh_job_store_lookup (fresh, id))), ==, 0);

  /* What a killed run would have left, and another job's download in progress. */
  stale_name = g_strdup_printf (".magic-hour-result.mp4.1a2b3c4d.%s.part", id);
  stale = mh_test_write_file (f->t.out, stale_name, "half", 4);
  others_name = g_strdup_printf (".magic-hour-result.mp4.5e6f7a8b.%s.part", other_id);
  others = mh_test_write_file (f->t.out, others_name, "other", 5);

  {
    g_autoptr(MhJob) resumed = NULL;
    g_autoptr(GError) error = NULL;
    MhJobRecord *loaded = mh_job_store_lookup (fresh, id);

    resumed = mh_job_store_continue_job (fresh, f->t.client, loaded, FALSE);
    g_assert_true (mh_test_run_job (resumed, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (mh_job_get_project_id (resumed), ==, project);
  }
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (others, G_FILE_TEST_EXISTS));
  g_unlink (others);

  /* The checks of continue_from_disk(), on what the resumed job left. */
  {
    g_autoptr(MhJobStore) check = store_open (f->jobs);
    MhJobRecord *done = mh_job_store_lookup (check, id);
    const char *const *files = mh_job_record_get_output_files (done);

    g_assert_cmpint (mh_job_record_get_state (done), ==, MH_JOB_STATE_DONE);
    g_assert_cmpuint (g_strv_length ((char **) files), ==, 1);
    assert_output (f, files[0], project);
    g_autoptr(GPtrArray) names = mh_test_list_dir (f->t.out);

    mh_test_assert_no_part_files (f->t.out);
    g_assert_cmpuint (names->len, ==, 1);
    g_assert_cmpuint (mh_simulator_count_requests (f->t.sim, MH_SIM_ENDPOINT_CREATE), ==, 1);
    g_assert_cmpuint (mh_simulator_count_projects (f->t.sim), ==, 1);
  }
}

static void
test_resume_uploading (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(MhJob) job = NULL;
  g_autoptr(MhJobStore) fresh = NULL;
  g_autofree char *id = NULL;
  MhJobRecord *loaded;
  g_auto(Result) r = { 0 };

  job = recorded_job (f, f->store, "talking-photo");
  id = g_strdup (mh_job_record_get_id (mh_job_get_record (job)));
  g_signal_connect (job, "notify::state", G_CALLBACK (interrupt_in_state_cb),
                    GINT_TO_POINTER (MH_JOB_STATE_UPLOADING));
  run_start (job, &r);
  run_wait (&r);
  assert_interrupted (&r, job);

  assert_record_on_disk (f, id, "uploading", NULL);
  fresh = store_open (f->jobs);
  loaded = mh_job_store_lookup (fresh, id);
  g_assert_false (mh_job_record_needs_resume (loaded));
  g_assert_true (mh_job_record_needs_retry (loaded));
  g_assert_false (mh_job_record_may_exist (loaded));
  g_assert_cmpuint (mh_simulator_count_requests (f->t.sim, MH_SIM_ENDPOINT_CREATE), ==, 0);

  continue_from_disk (f, id, NULL);
}

static gboolean
create_received (gpointer data)
{
  return mh_simulator_count_requests (MH_SIMULATOR (data), MH_SIM_ENDPOINT_CREATE) > 0;
}

static void
test_interrupted_creating (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(MhJob) job = NULL;
  g_autoptr(MhJobStore) fresh = NULL;
  g_autofree char *id = NULL;
  MhJobRecord *loaded;
  g_auto(Result) r = { 0 };

  /* The create reaches Magic Hour, its answer does not come back. */
  mh_simulator_add_fault (f->t.sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_SLOW, 1, 60000, NULL);
  job = recorded_job (f, f->store, "headshot");
  id = g_strdup (mh_job_record_get_id (mh_job_get_record (job)));
  run_start (job, &r);
  mh_test_wait_for (create_received, f->t.sim, MH_TEST_TIMEOUT, "the create to be sent");
  mh_job_interrupt (job);
  run_wait (&r);
  assert_interrupted (&r, job);

  assert_record_on_disk (f, id, "creating", NULL);
  fresh = store_open (f->jobs);
  loaded = mh_job_store_lookup (fresh, id);
  g_assert_true (mh_job_record_may_exist (loaded));
  g_assert_false (mh_job_record_needs_resume (loaded));
  {
    g_autofree char *status = mh_job_record_describe_status (loaded);
    g_assert_cmpstr (status, ==, "Interrupted while being created, may have been charged");
  }
}

/* Interrupted before anything happened (quit right after starting): the
 * lock is given back all the same. */
static void
test_interrupted_at_once (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(MhJob) job = recorded_job (f, f->store, "headshot");
  MhJobRecord *record = mh_job_get_record (job);
  g_autoptr(MhJobStore) other = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Result) r = { 0 };

  run_start (job, &r);
  mh_job_interrupt (job);
  run_wait (&r);
  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (mh_job_record_get_running (record));
  g_assert_cmpuint (mh_simulator_count_requests (f->t.sim, NULL), ==, 0);

  other = store_open (f->jobs);
  if (mh_job_store_lookup (other, mh_job_record_get_id (record)) != NULL)
    {
      MhJobRecord *copy = mh_job_store_lookup (other, mh_job_record_get_id (record));

      g_assert_true (mh_job_record_needs_retry (copy));
      g_assert_true (store_claim (other, copy, &error));
      g_assert_no_error (error);
      store_release (other, copy);
    }
  /* This store can run it again. */
  g_assert_true (store_claim (f->store, record, &error));
  g_assert_no_error (error);
  store_release (f->store, record);
}

/* ------------------------------------------------------------------------ */
/* 5. Download again                                                        */

static void
test_download_again (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(MhJob) job = recorded_job (f, f->store, "talking-photo");
  g_autoptr(MhJob) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *first = NULL;
  g_autofree char *first_sha = NULL;
  g_autofree char *first_base = NULL;
  g_autofree char *dot = NULL;
  g_autofree char *expected_second = NULL;
  MhJobRecord *record = mh_job_get_record (job);
  const char *const *files;
  const char *project;
  JsonArray *on_disk;

  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  project = mh_job_get_project_id (job);
  first = g_strdup (mh_job_get_output_files (job)[0]);
  first_sha = mh_test_file_sha256 (first);

  /* The links the first download used no longer work. */
  mh_simulator_expire_downloads (f->t.sim);

  again = mh_job_store_continue_job (f->store, f->t.client, record, TRUE);
  g_assert_true (mh_test_run_job (again, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mh_job_get_project_id (again), ==, project);

  /* A second copy under a new name; the first untouched. */
  files = mh_job_get_output_files (again);
  g_assert_cmpuint (g_strv_length ((char **) files), ==, 1);
  g_assert_cmpstr (files[0], !=, first);
  first_base = g_strdup (first);
  dot = g_strdup (strrchr (first_base, '.'));
  *strrchr (first_base, '.') = '\0';
  expected_second = g_strdup_printf ("%s (2)%s", first_base, dot);
  g_assert_cmpstr (files[0], ==, expected_second);
  assert_output (f, files[0], project);
  {
    g_autofree char *sha = mh_test_file_sha256 (first);
    g_assert_cmpstr (sha, ==, first_sha);
  }
  names = mh_test_list_dir (f->t.out);
  g_assert_cmpuint (names->len, ==, 2);
  mh_test_assert_no_part_files (f->t.out);

  /* The record lists the new file; one create, two downloads in all. */
  g_assert_true (g_strv_equal (mh_job_record_get_output_files (record), files));
  g_assert_cmpint (mh_job_record_get_state (record), ==, MH_JOB_STATE_DONE);
  mh_job_store_flush (f->store);
  root = read_record_json (f->jobs, mh_job_record_get_id (record));
  on_disk = json_node_get_array (json_get_checked (root, "output_files"));
  g_assert_cmpuint (json_array_get_length (on_disk), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (on_disk, 0), ==, files[0]);
  g_assert_cmpuint (mh_simulator_count_requests (f->t.sim, MH_SIM_ENDPOINT_CREATE), ==, 1);
  g_assert_cmpuint (mh_simulator_count_projects (f->t.sim), ==, 1);
  g_assert_cmpuint (mh_simulator_count_requests (f->t.sim, MH_SIM_ENDPOINT_DOWNLOAD), ==, 2);
}

/* ------------------------------------------------------------------------ */
/* 5b. Many results in one job                                              */

typedef struct
{
  char     *name;        /* "<id>.json" */
  guint     writes;
  gboolean  sentinel;
} WriteCount;

/* g_file_set_contents() writes a temporary file and renames it over the
 * record: one rename per write, as inotifywait would show a person. */
static void
jobs_changed_cb (GFileMonitor      *monitor,
                 GFile             *file,
                 GFile             *other,
                 GFileMonitorEvent  event,
                 gpointer           data)
{
  WriteCount *count = data;
  g_autofree char *base = g_file_get_basename (file);
  g_autofree char *other_base = other != NULL ? g_file_get_basename (other) : NULL;

  if ((event == G_FILE_MONITOR_EVENT_RENAMED && g_strcmp0 (other_base, count->name) == 0) ||
      (event == G_FILE_MONITOR_EVENT_MOVED_IN && g_str_equal (base, count->name)))
    count->writes++;
  if (g_str_equal (base, "sentinel") || g_strcmp0 (other_base, "sentinel") == 0)
    count->sentinel = TRUE;
}

/* Runs a recorded headshot job whose project offers @n_downloads files, and
 * counts the writes of its record. */
static guint
count_record_writes (Fixture *f,
                     guint    n_downloads)
{
  g_autoptr(MhJob) job = recorded_job (f, f->store, "headshot");
  g_autoptr(GFile) jobs = g_file_new_for_path (f->jobs);
  g_autoptr(GFileMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sentinel = NULL;
  g_autoptr(MhJobStore) fresh = NULL;
  WriteCount count = { 0 };
  MhJobRecord *record = mh_job_get_record (job);

  count.name = g_strconcat (mh_job_record_get_id (record), ".json", NULL);
  g_assert_cmpint (g_mkdir_with_parents (f->jobs, 0700), ==, 0);
  monitor = g_file_monitor_directory (jobs, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (monitor, "changed", G_CALLBACK (jobs_changed_cb), &count);

  if (n_downloads > 1)
    mh_simulator_add_fault (f->t.sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_DOWNLOADS, 1,
                            n_downloads, NULL);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length ((char **) mh_job_get_output_files (job)), ==, n_downloads);

  /* Events come in order: once the sentinel's is in, every write's is. */
  mh_job_store_flush (f->store);
  sentinel = mh_test_write_file (f->jobs, "sentinel", "", 0);
  mh_test_wait_for_flag (&count.sentinel, MH_TEST_TIMEOUT, "the sentinel to be seen");
  g_unlink (sentinel);
  g_file_monitor_cancel (monitor);

  /* What was written last lists every result. */
  fresh = store_open (f->jobs);
  g_assert_true (g_strv_equal (mh_job_record_get_output_files (mh_job_store_lookup (fresh, mh_job_record_get_id (record))),
                               mh_job_get_output_files (job)));

  g_free (count.name);
  return count.writes;
}

/* The record is written a few times per batch of results, not once per
 * file (which, with the record growing by a path each time, made a project
 * of n files write n²/2 paths to disk, each write synced). */
static void
test_record_written_per_batch (Fixture       *f,
                               gconstpointer  data)
{
  guint one = count_record_writes (f, 1);
  guint many = count_record_writes (f, MH_PROJECT_MAX_DOWNLOADS);

  g_test_message ("record writes: %u for one result, %u for %u", one, many,
                  (guint) MH_PROJECT_MAX_DOWNLOADS);
  /* A second's worth of writes more at most on a slow machine: one per
   * file was 31 more. */
  g_assert_cmpuint (many, <=, one + 3);
}

static void
interrupt_at_sixth_cb (MhJob      *job,
                       GParamSpec *pspec,
                       gpointer    data)
{
  gboolean *done = data;
  g_autofree char *sixth = g_strdup_printf ("Downloading result 6 of %u", (guint) MH_PROJECT_MAX_DOWNLOADS);

  if (!*done && g_str_has_prefix (mh_job_get_message (job), sixth))
    {
      *done = TRUE;
      mh_job_interrupt (job);
    }
}

/* Interrupted in the middle of a batch: the record lists the five results
 * already saved, and the resumed job fetches only the others. */
static void
test_interrupted_mid_batch (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(MhJob) job = recorded_job (f, f->store, "headshot");
  g_autoptr(MhJobStore) fresh = NULL;
  g_autoptr(MhJob) resumed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *id = g_strdup (mh_job_record_get_id (mh_job_get_record (job)));
  g_auto(GStrv) saved = NULL;
  gboolean interrupted = FALSE;
  g_auto(Result) r = { 0 };

  mh_simulator_set_output_bytes (f->t.sim, 256 * 1024);
  mh_simulator_add_fault (f->t.sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_DOWNLOADS, 1,
                          MH_PROJECT_MAX_DOWNLOADS, NULL);
  g_signal_connect (job, "notify::message", G_CALLBACK (interrupt_at_sixth_cb), &interrupted);
  run_start (job, &r);
  run_wait (&r);
  assert_interrupted (&r, job);
  mh_job_store_flush (f->store);

  fresh = store_open (f->jobs);
  saved = g_strdupv ((char **) mh_job_record_get_output_files (mh_job_store_lookup (fresh, id)));
  g_assert_cmpuint (g_strv_length (saved), ==, 5);
  for (guint i = 0; i < 5; i++)
    assert_output (f, saved[i], mh_job_get_project_id (job));

  resumed = mh_job_store_continue_job (fresh, f->t.client, mh_job_store_lookup (fresh, id), FALSE);
  g_assert_true (mh_test_run_job (resumed, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length ((char **) mh_job_get_output_files (resumed)), ==,
                    MH_PROJECT_MAX_DOWNLOADS);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpstr (mh_job_get_output_files (resumed)[i], ==, saved[i]);

  /* Each result once: five, the one cut short, and the other twenty-six. */
  names = mh_test_list_dir (f->t.out);
  g_assert_cmpuint (names->len, ==, MH_PROJECT_MAX_DOWNLOADS);
  mh_test_assert_no_part_files (f->t.out);
  g_assert_cmpuint (mh_simulator_count_requests (f->t.sim, MH_SIM_ENDPOINT_DOWNLOAD), ==,
                    MH_PROJECT_MAX_DOWNLOADS + 1);
}

/* ------------------------------------------------------------------------ */
/* 6. A job another process works on                                        */

static void
test_claim_failure_touches_nothing (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(MhJob) job = recorded_job (f, f->store, "headshot");
  g_autoptr(MhJob) second = NULL;
  g_autoptr(MhJobStore) cli = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_auto(GStrv) files_before = NULL;
  g_autofree char *path = NULL;
  g_autofree char *updated_before = NULL;
  MhJobRecord *record = mh_job_get_record (job);
  MhJobRecord *in_cli;
  guint requests;
  g_auto(Result) r = { 0 };

  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  mh_job_store_flush (f->store);
  path = record_file (f->jobs, mh_job_record_get_id (record));
  before = read_bytes (path);
  files_before = g_strdupv ((char **) mh_job_record_get_output_files (record));
  updated_before = g_date_time_format_iso8601 (mh_job_record_get_updated (record));
  requests = mh_simulator_get_requests (f->t.sim)->len;

  /* The command-line tool is downloading it again right now. */
  cli = store_open (f->jobs);
  in_cli = mh_job_store_lookup (cli, mh_job_record_get_id (record));
  g_assert_true (store_claim (cli, in_cli, &error));
  g_assert_no_error (error);

  second = mh_job_store_continue_job (f->store, f->t.client, record, TRUE);
  run_start (second, &r);
  run_wait (&r);
  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_cmpint (mh_job_get_state (second), ==, MH_JOB_STATE_FAILED);

  /* Nothing written, nothing asked of Magic Hour, the record as it was. */
  mh_job_store_flush (f->store);
  after = read_bytes (path);
  g_assert_true (g_bytes_equal (after, before));
  g_assert_cmpuint (mh_simulator_get_requests (f->t.sim)->len, ==, requests);
  g_assert_cmpint (mh_job_record_get_state (record), ==, MH_JOB_STATE_DONE);
  g_assert_null (mh_job_record_get_error_message (record));
  g_assert_false (mh_job_record_get_running (record));
  g_assert_true (g_strv_equal (mh_job_record_get_output_files (record), (const char *const *) files_before));
  {
    g_autofree char *updated = g_date_time_format_iso8601 (mh_job_record_get_updated (record));
    g_assert_cmpstr (updated, ==, updated_before);
  }
  store_release (cli, in_cli);
}

/* ------------------------------------------------------------------------ */

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--child-add"))
    return child_add (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));
  if (argc == 4 && g_str_equal (argv[1], "--child-claim"))
    return child_claim (argv[2], argv[3]);

  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_log_set_fatal_handler (problem_log_is_expected, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("/job-store/round-trip", test_round_trip, NULL);
  ADD ("/job-store/newest-first", test_newest_first, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (damage_kinds); i++)
    {
      g_autofree char *path = g_strdup_printf ("/job-store/damaged/%s", damage_kinds[i]);
      ADD (path, test_damaged, damage_kinds[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (not_a_file_kinds); i++)
    {
      g_autofree char *path = g_strdup_printf ("/job-store/damaged/not-a-file/%s", not_a_file_kinds[i]);
      ADD (path, test_not_a_file, not_a_file_kinds[i]);
    }
  ADD ("/job-store/damaged/large-record", test_large_record, NULL);
  ADD ("/job-store/damaged/in-folder-not-utf8", test_damaged_in_folder_not_utf8, NULL);
  ADD ("/job-store/paths-not-utf8", test_paths_not_utf8, NULL);
  ADD ("/job-store/text-not-utf8", test_text_not_utf8, NULL);
  ADD ("/job-store/failed-without-error", test_failed_without_error, NULL);
  ADD ("/job-store/damaged/newer-version", test_newer_version, NULL);
  ADD ("/job-store/damaged/folder-is-a-file", test_folder_is_a_file, NULL);
  ADD ("/job-store/stale-temporary", test_stale_temporary, NULL);
  ADD ("/job-store/concurrent/two-stores-and-a-process", test_two_stores_and_a_process, NULL);
  ADD ("/job-store/concurrent/claim", test_claim, NULL);
  ADD ("/job-store/concurrent/claim-killed-process", test_claim_killed_process, NULL);
  ADD ("/job-store/resume/rendering", test_resume_rendering, NULL);
  ADD ("/job-store/resume/downloading", test_resume_downloading, NULL);
  ADD ("/job-store/resume/uploading", test_resume_uploading, NULL);
  ADD ("/job-store/resume/creating", test_interrupted_creating, NULL);
  ADD ("/job-store/resume/interrupted-at-once", test_interrupted_at_once, NULL);
  ADD ("/job-store/download-again", test_download_again, NULL);
  ADD ("/job-store/claim-failure-touches-nothing", test_claim_failure_touches_nothing, NULL);
  ADD ("/job-store/many-results/record-written-per-batch", test_record_written_per_batch, NULL);
  ADD ("/job-store/many-results/interrupted-mid-batch", test_interrupted_mid_batch, NULL);
#undef ADD

  return g_test_run ();
}
