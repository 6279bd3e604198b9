/* test-transfer.c: storage PUTs on the transfer thread, as a job sees them
 *
 * Progress arrives on the caller's context, no more often than every 50 ms,
 * and ends with the whole size; a cancel stops a PUT that storage stopped
 * reading at once; memory does not grow with the file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "mh-download.h"
#include "mh-error.h"
#include "mh-test-util.h"
#include "mh-transfer.h"
#include "mh-upload.h"

#define MB (1024 * 1024)
#define UP MH_SIM_ENDPOINT_UPLOAD

typedef struct
{
  gboolean  done;
  JsonNode *answer;
  GError   *error;
} Call;

static void
called_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Call *call = user_data;

  call->answer = mh_client_call_finish (MH_CLIENT (source), result, &call->error);
  call->done = TRUE;
}

/* A fresh upload link of the simulator, and where it stores the file. */
static char *
new_upload_url (MhTestFixture  *fixture,
                char          **file_path)
{
  g_autoptr(JsonNode) body = json_from_string ("{\"items\":[{\"type\":\"video\",\"extension\":\"mp4\"}]}", NULL);
  Call call = { 0 };
  JsonObject *item;
  char *url;

  mh_client_call_async (fixture->client, "POST", "/v1/files/upload-urls", body,
                        MH_CALL_IDEMPOTENT, "Asking for an upload link", NULL, called_cb, &call);
  mh_test_wait_for_flag (&call.done, MH_TEST_TIMEOUT, "the upload link");
  g_assert_no_error (call.error);
  item = json_array_get_object_element (json_object_get_array_member (json_node_get_object (call.answer),
                                                                      "items"), 0);
  url = g_strdup (json_object_get_string_member (item, "upload_url"));
  *file_path = g_strdup (json_object_get_string_member (item, "file_path"));
  json_node_unref (call.answer);
  return url;
}

typedef struct
{
  GThread  *thread;       /* the caller's */
  guint     reports;
  guint     wrong_thread;
  guint64   done;
  guint64   total;
  gint64    last_report;
  gboolean  finished;
  gboolean  ok;
  GError   *error;
  gint64    finished_time;
} Put;

static void
progress_cb (guint64  done,
             guint64  total,
             gpointer user_data)
{
  Put *put = user_data;

  if (g_thread_self () != put->thread || !g_main_context_is_owner (g_main_context_default ()))
    put->wrong_thread++;
  put->reports++;
  put->done = done;
  put->total = total;
  put->last_report = g_get_monotonic_time ();
}

static void
put_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Put *put = user_data;

  put->ok = mh_upload_put_finish (result, &put->error);
  put->finished = TRUE;
  put->finished_time = g_get_monotonic_time ();
}

static void
put_start (MhTestFixture *fixture,
           Put           *put,
           const char    *path,
           const char    *url,
           GCancellable  *cancellable)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  memset (put, 0, sizeof *put);
  put->thread = g_thread_self ();
  mh_upload_put_async (fixture->client, file, url, progress_cb, put, cancellable, put_cb, put);
}

/* A multi-MiB PUT: reports on this thread, at most one per 50 ms (plus the
 * first and the last), the last one the whole size; storage has the file. */
static void
test_progress_rate (MhTestFixture *fixture,
                    gconstpointer  data)
{
  const guint64 size = 48 * MB;
  g_autofree char *path = mh_test_write_sparse (fixture->tmp, "big.mp4", size);
  g_autofree char *file_path = NULL;
  g_autofree char *url = new_upload_url (fixture, &file_path);
  g_autofree char *sha = NULL;
  guint64 stored = 0;
  gint64 started;
  double ms;
  Put put;

  started = g_get_monotonic_time ();
  put_start (fixture, &put, path, url, NULL);
  mh_test_wait_for_flag (&put.finished, MH_TEST_TIMEOUT, "the upload");
  ms = (put.finished_time - started) / 1000.0;
  g_test_message ("%u reports in %.0f ms", put.reports, ms);

  g_assert_no_error (put.error);
  g_assert_true (put.ok);
  g_assert_cmpuint (put.wrong_thread, ==, 0);
  g_assert_cmpuint (put.reports, >=, 1);
  g_assert_cmpuint (put.reports, <=, (guint) (ms / 50.0) + 2);
  g_assert_cmpuint (put.done, ==, size);
  g_assert_cmpuint (put.total, ==, size);

  g_assert_true (mh_simulator_lookup_upload (fixture->sim, file_path, &stored, &sha));
  g_assert_cmpuint (stored, ==, size);
}

static gboolean
tick_cb (gpointer user_data)
{
  /* Only wakes the loop, so that the waits below look at the clock. */
  return G_SOURCE_CONTINUE;
}

static gboolean
put_stalled (gpointer user_data)
{
  Put *put = user_data;

  /* Bytes went out, and none for a while: storage holds the rest. */
  return put->finished ||
         (put->done >= MB && g_get_monotonic_time () - put->last_report > 300 * 1000);
}

/* Storage stops reading and never answers; the transfer timeout is far
 * off. A cancel ends the PUT at once with CANCELLED, and storage keeps
 * nothing. */
static void
test_cancel_stalled (MhTestFixture *fixture,
                     gconstpointer  data)
{
  const guint64 size = 64 * MB;
  g_autofree char *path = mh_test_write_sparse (fixture->tmp, "big.mp4", size);
  g_autofree char *file_path = NULL;
  g_autofree char *url = new_upload_url (fixture, &file_path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  guint tick = g_timeout_add (20, tick_cb, NULL);
  guint64 stored = 0;
  gint64 cancelled;
  double ms;
  Put put;

  mh_client_set_transfer_timeout (fixture->client, 60);
  mh_simulator_add_fault (fixture->sim, UP, MH_SIM_FAULT_STALL, 1, MB, NULL);

  put_start (fixture, &put, path, url, cancellable);
  mh_test_wait_for (put_stalled, &put, MH_TEST_TIMEOUT, "the upload to stall");
  g_assert_false (put.finished);
  g_assert_cmpuint (put.done, <, size);

  cancelled = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  mh_test_wait_for_flag (&put.finished, MH_TEST_TIMEOUT, "the canceled upload to end");
  ms = (put.finished_time - cancelled) / 1000.0;
  g_test_message ("stalled at %" G_GUINT64_FORMAT " bytes, ended %.1f ms after the cancel",
                  put.done, ms);
  g_source_remove (tick);

  g_assert_false (put.ok);
  g_assert_error (put.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&put.error);
  g_assert_cmpfloat (ms, <, 500);
  g_assert_false (mh_simulator_lookup_upload (fixture->sim, file_path, &stored, NULL));
}


/* The nice value of the thread named "mh-transfer", -100 if there is none. */
static int
transfer_thread_nice (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;

  while (dir != NULL && (tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *comm_path = g_build_filename ("/proc/self/task", tid, "comm", NULL);
      g_autofree char *stat_path = g_build_filename ("/proc/self/task", tid, "stat", NULL);
      g_autofree char *comm = NULL;
      g_autofree char *stat = NULL;
      g_auto(GStrv) fields = NULL;
      const char *after_name;

      if (!g_file_get_contents (comm_path, &comm, NULL, NULL) ||
          !g_str_equal (g_strstrip (comm), "mh-transfer") ||
          !g_file_get_contents (stat_path, &stat, NULL, NULL) ||
          (after_name = strrchr (stat, ')')) == NULL)
        continue;
      /* After "pid (comm)": state is field 3, nice field 19. */
      fields = g_strsplit (after_name + 2, " ", -1);
      if (g_strv_length (fields) > 16)
        return (int) g_ascii_strtoll (fields[16], NULL, 10);
    }
  return -100;
}

/* The app runs its transfers below its window's thread: the thread that
 * moves the bytes has the nice value asked for, this one keeps its own. */
static void
test_thread_nice (MhTestFixture *fixture,
                  gconstpointer  data)
{
  const guint64 size = 64 * MB;
  g_autofree char *path = mh_test_write_sparse (fixture->tmp, "big.mp4", size);
  g_autofree char *file_path = NULL;
  g_autofree char *url = new_upload_url (fixture, &file_path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  guint tick = g_timeout_add (20, tick_cb, NULL);
  int own_nice = getpriority (PRIO_PROCESS, 0);
  int nice;
  Put put;

  mh_client_set_transfer_timeout (fixture->client, 60);
  mh_simulator_add_fault (fixture->sim, UP, MH_SIM_FAULT_STALL, 1, MB, NULL);
  mh_transfer_set_thread_nice (7);
  put_start (fixture, &put, path, url, cancellable);
  mh_test_wait_for (put_stalled, &put, MH_TEST_TIMEOUT, "the upload to stall");
  mh_transfer_set_thread_nice (0);
  nice = transfer_thread_nice ();
  g_cancellable_cancel (cancellable);
  mh_test_wait_for_flag (&put.finished, MH_TEST_TIMEOUT, "the canceled upload to end");
  g_source_remove (tick);
  g_clear_error (&put.error);

  g_assert_cmpint (nice, ==, MIN (own_nice + 7, 19));
  g_assert_cmpint (getpriority (PRIO_PROCESS, 0), ==, own_nice);
}

typedef struct
{
  GThread  *thread;
  guint     reports;
  guint     wrong_thread;
  guint64   done;
  guint64   total;
  gboolean  finished;
  GFile    *file;
  GError   *error;
  gint64    finished_time;
} Get;

static void
get_progress_cb (guint64  done,
                 guint64  total,
                 gpointer user_data)
{
  Get *get = user_data;

  if (g_thread_self () != get->thread || !g_main_context_is_owner (g_main_context_default ()))
    get->wrong_thread++;
  get->reports++;
  get->done = done;
  get->total = total;
}

static void
get_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Get *get = user_data;

  get->file = mh_download_finish (result, &get->error);
  get->finished = TRUE;
  get->finished_time = g_get_monotonic_time ();
}

/* A multi-MiB GET of a finished project's result: the same reporting, and
 * the file byte for byte where it belongs. */
static void
test_download_progress_rate (MhTestFixture *fixture,
                             gconstpointer  data)
{
  const guint64 size = 48 * MB;
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  g_autoptr(GError) error = NULL;
  g_autofree char *project_path = NULL;
  g_autofree char *first = NULL;
  g_autofree char *first_sha = NULL;
  g_autofree char *got_path = NULL;
  g_autofree char *got_sha = NULL;
  g_autoptr(GFile) dir = NULL;
  JsonObject *download;
  Call call = { 0 };
  gint64 started;
  double ms;
  Get get = { 0 };

  mh_simulator_set_render_seconds (fixture->sim, 0);
  mh_simulator_set_output_bytes (fixture->sim, size);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  first = g_strdup (mh_job_get_output_files (job)[0]);
  first_sha = mh_test_file_sha256 (first);

  /* The project again, for a download link of its result. */
  project_path = g_strdup_printf ("/v1/video-projects/%s", mh_job_get_project_id (job));
  mh_client_call_async (fixture->client, "GET", project_path, NULL, MH_CALL_IDEMPOTENT,
                        "Getting the project", NULL, called_cb, &call);
  mh_test_wait_for_flag (&call.done, MH_TEST_TIMEOUT, "the project");
  g_assert_no_error (call.error);
  download = json_array_get_object_element (json_object_get_array_member (json_node_get_object (call.answer),
                                                                          "downloads"), 0);

  dir = g_file_new_for_path (fixture->tmp);
  get.thread = g_thread_self ();
  started = g_get_monotonic_time ();
  mh_download_async (fixture->client, json_object_get_string_member (download, "url"), dir,
                     "again.mp4", NULL, get_progress_cb, &get, NULL, get_cb, &get);
  json_node_unref (call.answer);
  mh_test_wait_for_flag (&get.finished, MH_TEST_TIMEOUT, "the download");
  ms = (get.finished_time - started) / 1000.0;
  g_test_message ("%u reports in %.0f ms", get.reports, ms);

  g_assert_no_error (get.error);
  g_assert_nonnull (get.file);
  g_assert_cmpuint (get.wrong_thread, ==, 0);
  g_assert_cmpuint (get.reports, >=, 1);
  g_assert_cmpuint (get.reports, <=, (guint) (ms / 50.0) + 2);
  g_assert_cmpuint (get.done, ==, size);
  g_assert_cmpuint (get.total, ==, size);
  got_path = g_file_get_path (get.file);
  g_assert_true (g_str_has_suffix (got_path, "/again.mp4"));
  got_sha = mh_test_file_sha256 (got_path);
  g_assert_cmpstr (got_sha, ==, first_sha);
  g_object_unref (get.file);
  mh_test_assert_no_part_files (fixture->tmp);
}

/* Resets the peak RSS (VmHWM) so that it measures what follows (Linux >= 4.0). */
static gboolean
reset_peak_rss (void)
{
  FILE *file = fopen ("/proc/self/clear_refs", "w");
  gboolean ok;

  if (file == NULL)
    return FALSE;
  ok = fputs ("5", file) >= 0;
  return fclose (file) == 0 && ok;
}

static gint64
read_status_kib (const char *field)
{
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &contents, NULL, NULL))
    return -1;
  line = strstr (contents, field);
  return line != NULL ? g_ascii_strtoll (line + strlen (field), NULL, 10) : -1;
}

/* A 256 MiB PUT (storage is in this process too): the peak RSS grows by
 * less than 16 MiB. */
static void
test_memory_flat (MhTestFixture *fixture,
                  gconstpointer  data)
{
  const guint64 size = 256 * MB;
  g_autofree char *path = mh_test_write_sparse (fixture->tmp, "big.mp4", size);
  g_autofree char *file_path = NULL;
  g_autofree char *url = new_upload_url (fixture, &file_path);
  guint64 stored = 0;
  gint64 rss_before, hwm_after;
  gboolean hwm_reset;
  Put put;

  hwm_reset = reset_peak_rss ();
  rss_before = read_status_kib ("VmRSS:");
  put_start (fixture, &put, path, url, NULL);
  mh_test_wait_for_flag (&put.finished, MH_TEST_TIMEOUT * 2, "the upload");
  hwm_after = read_status_kib ("VmHWM:");
  g_test_message ("256 MiB PUT: RSS before %" G_GINT64_FORMAT " KiB, peak after %"
                  G_GINT64_FORMAT " KiB (peak reset: %d)", rss_before, hwm_after, hwm_reset);

  g_assert_no_error (put.error);
  g_assert_true (put.ok);
  g_assert_true (mh_simulator_lookup_upload (fixture->sim, file_path, &stored, NULL));
  g_assert_cmpuint (stored, ==, size);
  if (!hwm_reset)
    g_test_skip ("the peak RSS cannot be reset here (/proc/self/clear_refs)");
  else if (mh_test_rss_is_meaningful ())
    g_assert_cmpint (hwm_after - rss_before, <, 16 * 1024);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, MhTestFixture, NULL, mh_test_fixture_setup, func, mh_test_fixture_teardown)
  ADD ("/transfer/progress-rate", test_progress_rate);
  ADD ("/transfer/cancel-stalled", test_cancel_stalled);
  ADD ("/transfer/thread-nice", test_thread_nice);
  ADD ("/transfer/download-progress-rate", test_download_progress_rate);
  ADD ("/transfer/memory-flat", test_memory_flat);
#undef ADD

  return g_test_run ();
}
