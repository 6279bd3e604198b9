/* mh-test-util.c: shared helpers of the engine tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mh-media.h"
#include "mh-params.h"
#include "mh-sim-media.h"
#include "mh-test-util.h"

/* ------------------------------------------------------------------------ */
/* Files                                                                    */

char *
mh_test_make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *path = g_dir_make_tmp ("mh-engine-test-XXXXXX", &error);

  g_assert_no_error (error);
  g_assert_nonnull (path);
  return path;
}

void
mh_test_rm_rf (const char *path)
{
  GDir *dir;
  const char *name;

  if (path == NULL)
    return;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          mh_test_rm_rf (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

char *
mh_test_write_file (const char *dir,
                    const char *name,
                    const void *data,
                    gsize       len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  return path;
}

static void
put_le32 (guint8  *p,
          guint32  v)
{
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
  p[2] = (v >> 16) & 0xff;
  p[3] = (v >> 24) & 0xff;
}

static void
put_le16 (guint8  *p,
          guint16  v)
{
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
}

static char *
write_header_and_extend (const char   *dir,
                         const char   *name,
                         const guint8 *header,
                         gsize         header_len,
                         guint64       total)
{
  char *path = g_build_filename (dir, name, NULL);
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  g_assert_cmpint (fd, >=, 0);
  if (header_len > 0)
    g_assert_cmpint (write (fd, header, header_len), ==, (gssize) header_len);
  g_assert_cmpint (ftruncate (fd, (off_t) total), ==, 0);
  g_assert_cmpint (close (fd), ==, 0);

  return path;
}

char *
mh_test_write_wav (const char *dir,
                   const char *name,
                   double      seconds)
{
  return mh_test_write_wav_format (dir, name, seconds, 8000, 1);
}

char *
mh_test_write_wav_format (const char *dir,
                          const char *name,
                          double      seconds,
                          guint32     rate,
                          guint16     channels)
{
  const guint16 bits = 16;
  guint32 block = channels * bits / 8;
  guint32 data_size = (guint32) (seconds * rate) * block;
  guint8 h[44];

  memcpy (h, "RIFF", 4);
  put_le32 (h + 4, 36 + data_size);
  memcpy (h + 8, "WAVE", 4);
  memcpy (h + 12, "fmt ", 4);
  put_le32 (h + 16, 16);
  put_le16 (h + 20, 1);               /* PCM */
  put_le16 (h + 22, channels);
  put_le32 (h + 24, rate);
  put_le32 (h + 28, rate * block);    /* byte rate */
  put_le16 (h + 32, block);
  put_le16 (h + 34, bits);
  memcpy (h + 36, "data", 4);
  put_le32 (h + 40, data_size);

  /* Zero samples are silence: the data can be a hole in the file. */
  return write_header_and_extend (dir, name, h, sizeof h, sizeof h + (guint64) data_size);
}

static char *
write_sample (const char     *dir,
              const char     *name,
              MhSimMediaKind  kind)
{
  g_autoptr(GBytes) bytes = mh_sim_media_get_sample (kind);
  gsize len;
  const void *data;

  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpuint (len, >, 0);
  return mh_test_write_file (dir, name, data, len);
}

char *
mh_test_write_png (const char *dir,
                   const char *name)
{
  return write_sample (dir, name, MH_SIM_MEDIA_PNG);
}

char *
mh_test_write_big_png (const char *dir,
                       const char *name,
                       guint64     size)
{
  g_autoptr(GBytes) bytes = mh_sim_media_get_sample (MH_SIM_MEDIA_PNG);
  gsize len;
  const void *data = g_bytes_get_data (bytes, &len);

  g_assert_cmpuint (size, >=, len);
  return write_header_and_extend (dir, name, data, len, size);
}

char *
mh_test_write_mp4 (const char *dir,
                   const char *name)
{
  return write_sample (dir, name, MH_SIM_MEDIA_MP4);
}

char *
mh_test_make_media (const char *dir,
                    const char *name,
                    const char *args)
{
  g_autofree char *ffmpeg = g_find_program_in_path ("ffmpeg");
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_auto(GStrv) split = g_strsplit (args, " ", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (ffmpeg == NULL)
    return NULL;

  g_strv_builder_add_many (builder, ffmpeg, "-nostdin", "-v", "error", "-y", NULL);
  g_strv_builder_addv (builder, (const char **) split);
  g_strv_builder_add (builder, path);
  argv = g_strv_builder_end (builder);

  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, &err, &status, &error) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      g_test_message ("ffmpeg could not make %s: %s", name,
                      error != NULL ? error->message : err);
      return NULL;
    }

  return g_steal_pointer (&path);
}

GSocket *
mh_test_bind_unix_socket (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *cwd = g_get_current_dir ();
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (name);
  g_autoptr(GError) error = NULL;
  GSocket *socket;
  GStatBuf st;

  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chdir (dir), ==, 0);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  g_assert_no_error (error);

  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  g_assert_true (S_ISSOCK (st.st_mode));
  return socket;
}

char *
mh_test_write_sparse (const char *dir,
                      const char *name,
                      guint64     size)
{
  return write_header_and_extend (dir, name, NULL, 0, size);
}

char *
mh_test_file_sha256 (const char *path)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (1024 * 1024);
  FILE *f = fopen (path, "rb");
  size_t n;

  g_assert_nonnull (f);
  while ((n = fread (buffer, 1, 1024 * 1024, f)) > 0)
    g_checksum_update (sum, buffer, n);
  g_assert_false (ferror (f));
  fclose (f);

  return g_strdup (g_checksum_get_string (sum));
}

char *
mh_test_read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

GPtrArray *
mh_test_list_dir (const char *path)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return names;

  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);

  g_ptr_array_sort (names, compare_names);
  return names;
}

void
mh_test_assert_no_part_files (const char *dir)
{
  g_autoptr(GPtrArray) names = mh_test_list_dir (dir);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (g_str_has_suffix (name, ".part") || name[0] == '.')
        g_error ("A temporary file was left behind in %s: %s", dir, name);
    }
}

void
mh_test_assert_dir_empty (const char *dir)
{
  g_autoptr(GPtrArray) names = mh_test_list_dir (dir);

  if (names->len > 0)
    g_error ("%s should be empty but holds %s (and %u more)", dir,
             (char *) g_ptr_array_index (names, 0), names->len - 1);
}

/* ------------------------------------------------------------------------ */
/* Simulator and client                                                     */

MhSimulator *
mh_test_simulator_new (double render_seconds)
{
  g_autoptr(GError) error = NULL;
  MhSimulator *sim = mh_simulator_new ();

  mh_simulator_set_render_seconds (sim, render_seconds);
  mh_simulator_start (sim, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (mh_simulator_get_base_url (sim));

  return sim;
}

MhClient *
mh_test_client_new (MhSimulator *sim)
{
  MhClient *client = mh_client_new (mh_simulator_get_base_url (sim));

  mh_client_set_api_key (client, MH_TEST_KEY);
  mh_client_set_retry_policy (client, 4, 0.01, 0.05);
  mh_client_set_poll_scale (client, 0.05);

  return client;
}

GPtrArray *
mh_test_requests (MhSimulator *sim,
                  const char  *endpoint)
{
  GPtrArray *all = mh_simulator_get_requests (sim);
  GPtrArray *list = g_ptr_array_new ();

  for (guint i = 0; i < all->len; i++)
    {
      MhSimRequest *req = g_ptr_array_index (all, i);

      if (endpoint == NULL || g_strcmp0 (req->endpoint, endpoint) == 0)
        g_ptr_array_add (list, req);
    }

  return list;
}

MhSimRequest *
mh_test_request (MhSimulator *sim,
                 const char  *endpoint,
                 guint        index)
{
  g_autoptr(GPtrArray) list = mh_test_requests (sim, endpoint);

  if (index >= list->len)
    g_error ("Expected at least %u requests to %s, the simulator received %u",
             index + 1, endpoint != NULL ? endpoint : "any endpoint", list->len);

  return g_ptr_array_index (list, index);
}

void
mh_test_dump_requests (MhSimulator *sim)
{
  GPtrArray *all = mh_simulator_get_requests (sim);

  for (guint i = 0; i < all->len; i++)
    {
      MhSimRequest *req = g_ptr_array_index (all, i);

      g_test_message ("%u: %s %s -> %u (length %" G_GINT64_FORMAT ", %s, received %"
                      G_GUINT64_FORMAT ", sha256 %s)",
                      i, req->method, req->path, req->status, req->content_length,
                      req->chunked ? "chunked" : "not chunked", req->body_bytes,
                      req->body_sha256 != NULL ? req->body_sha256 : "-");
    }
}

JsonNode *
mh_test_json_get (JsonNode   *root,
                  const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = root;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), parts[i]);
    }

  return node;
}

const char *
mh_test_json_get_string (JsonNode   *root,
                         const char *path)
{
  JsonNode *node = mh_test_json_get (root, path);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

GHashTable *
mh_test_params (const char *first_key,
                ...)
{
  GHashTable *params = mh_params_new ();
  const char *key = first_key;
  va_list args;

  va_start (args, first_key);
  while (key != NULL)
    {
      const char *value = va_arg (args, const char *);

      mh_params_set (params, key, value);
      key = va_arg (args, const char *);
    }
  va_end (args);

  return params;
}

/* ------------------------------------------------------------------------ */
/* Memory measurements                                                      */

gboolean
mh_test_rss_is_meaningful (void)
{
  const char *preload = g_getenv ("LD_PRELOAD");

  if (MH_TEST_ASAN)
    {
      g_test_message ("memory (RSS) checks left out: AddressSanitizer's shadow memory and "
                      "quarantine of freed blocks make the RSS meaningless");
      return FALSE;
    }
  if (preload != NULL && strstr (preload, "vgpreload") != NULL)
    {
      g_test_message ("memory (RSS) checks left out: Valgrind keeps freed blocks aside "
                      "and has its own overhead");
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Waiting                                                                  */

static gboolean
guard_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
mh_test_wait_for (MhTestCondition  condition,
                  gpointer         user_data,
                  double           timeout,
                  const char      *what)
{
  gboolean timed_out = FALSE;
  guint guard = g_timeout_add ((guint) (timeout * 1000), guard_cb, &timed_out);

  while (!condition (user_data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("Timed out after %.1f s waiting for %s", timeout, what);

  g_source_remove (guard);
}

static gboolean
flag_is_set (gpointer user_data)
{
  return *(gboolean *) user_data;
}

void
mh_test_wait_for_flag (gboolean   *flag,
                       double      timeout,
                       const char *what)
{
  mh_test_wait_for (flag_is_set, flag, timeout, what);
}

void
mh_test_job_ran_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  MhTestRan *ran = user_data;

  ran->ok = mh_job_run_finish (MH_JOB (source), result, &ran->error);
  ran->done = TRUE;
}

gboolean
mh_test_run_job (MhJob         *job,
                 GCancellable  *cancellable,
                 GError       **error)
{
  MhTestRan data = { FALSE, FALSE, NULL };
  g_autofree char *what = g_strdup_printf ("a %s job to finish", mh_job_get_tool (job)->id);

  mh_job_run_async (job, cancellable, mh_test_job_ran_cb, &data);
  mh_test_wait_for_flag (&data.done, MH_TEST_TIMEOUT, what);

  /* The result and the job's own record agree. */
  g_assert_true (mh_job_state_is_finished (mh_job_get_state (job)));
  if (data.ok)
    {
      g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_DONE);
      g_assert_null (data.error);
    }
  else
    {
      g_assert_nonnull (data.error);
      g_assert_cmpint (mh_job_get_state (job), !=, MH_JOB_STATE_DONE);
      g_assert_nonnull (mh_job_get_error (job));
      g_assert_true (g_error_matches (mh_job_get_error (job), data.error->domain,
                                      data.error->code));
    }

  if (data.error != NULL)
    g_propagate_error (error, data.error);

  return data.ok;
}

/* ------------------------------------------------------------------------ */
/* States                                                                   */

static void
state_notify_cb (MhJob          *job,
                 GParamSpec     *pspec,
                 MhTestStateLog *log)
{
  MhJobState state = mh_job_get_state (job);

  g_array_append_val (log->states, state);
}

MhTestStateLog *
mh_test_state_log_new (MhJob *job)
{
  MhTestStateLog *log = g_new0 (MhTestStateLog, 1);

  log->job = g_object_ref (job);
  log->states = g_array_new (FALSE, FALSE, sizeof (MhJobState));
  log->handler = g_signal_connect (job, "notify::state", G_CALLBACK (state_notify_cb), log);

  return log;
}

void
mh_test_state_log_free (MhTestStateLog *log)
{
  if (log == NULL)
    return;

  g_clear_signal_handler (&log->handler, log->job);
  g_clear_object (&log->job);
  g_array_unref (log->states);
  g_free (log);
}

char *
mh_test_state_log_to_string (MhTestStateLog *log)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < log->states->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? " -> " : "",
                            mh_job_state_to_string (g_array_index (log->states, MhJobState, i)));

  return g_string_free (text, FALSE);
}

gboolean
mh_test_state_log_contains (MhTestStateLog *log,
                            MhJobState      state)
{
  for (guint i = 0; i < log->states->len; i++)
    if (g_array_index (log->states, MhJobState, i) == state)
      return TRUE;

  return FALSE;
}

void
mh_test_assert_states (MhTestStateLog   *log,
                       const MhJobState *required,
                       guint             n_required)
{
  g_autofree char *seen = mh_test_state_log_to_string (log);

  /* The workflow's order is the enum's order; the end states come last and
   * only one of them. */
  for (guint i = 1; i < log->states->len; i++)
    {
      MhJobState prev = g_array_index (log->states, MhJobState, i - 1);
      MhJobState cur = g_array_index (log->states, MhJobState, i);

      if (cur <= prev || mh_job_state_is_finished (prev))
        g_error ("States out of order: %s", seen);
    }

  for (guint i = 0; i < n_required; i++)
    if (!mh_test_state_log_contains (log, required[i]))
      g_error ("State %s was never seen: %s", mh_job_state_to_string (required[i]), seen);
}

/* ------------------------------------------------------------------------ */
/* Fixture                                                                  */

void
mh_test_fixture_setup (MhTestFixture *fixture,
                       gconstpointer  data)
{
  fixture->tmp = mh_test_make_tmp_dir ();
  fixture->out = g_build_filename (fixture->tmp, "out", NULL);
  fixture->sim = mh_test_simulator_new (MH_TEST_RENDER_SECONDS);
  fixture->client = mh_test_client_new (fixture->sim);
}

void
mh_test_fixture_teardown (MhTestFixture *fixture,
                          gconstpointer  data)
{
  g_clear_object (&fixture->client);
  if (fixture->sim != NULL)
    mh_simulator_stop (fixture->sim);
  g_clear_object (&fixture->sim);

  /* Let closed connections and finished tasks be cleaned up before the
   * next test. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  mh_test_rm_rf (fixture->tmp);
  g_clear_pointer (&fixture->tmp, g_free);
  g_clear_pointer (&fixture->out, g_free);
}

MhJob *
mh_test_fixture_new_job (MhTestFixture *fixture,
                         const char    *tool_id,
                         GHashTable    *params)
{
  const MhTool *tool = mh_tool_lookup (tool_id);
  g_autoptr(GFile) out = g_file_new_for_path (fixture->out);
  MhJob *job;

  g_assert_nonnull (tool);
  job = mh_job_new (fixture->client, tool, params);
  mh_job_set_output_dir (job, out);

  return job;
}

static double
sample_mp4_seconds (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  double seconds = -1;

  if (!mh_media_read_duration (file, &seconds, NULL, &error))
    seconds = -1;
  g_assert_no_error (error);
  return seconds;
}

GHashTable *
mh_test_fixture_params (MhTestFixture *fixture,
                        const char    *tool_id)
{
  if (g_str_equal (tool_id, "talking-photo"))
    {
      g_autofree char *image = mh_test_write_png (fixture->tmp, "face.png");
      g_autofree char *audio = mh_test_write_wav (fixture->tmp, "voice.wav", 10);

      return mh_test_params ("image", image, "audio", audio, "start", "0", "end", "5", NULL);
    }
  else if (g_str_equal (tool_id, "lip-sync"))
    {
      g_autofree char *video = mh_test_write_mp4 (fixture->tmp, "clip.mp4");
      g_autofree char *audio = mh_test_write_wav (fixture->tmp, "voice.wav", 10);
      double seconds = sample_mp4_seconds (video);
      g_autofree char *end = NULL;
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      /* Within the sample video, whatever its length. */
      end = g_strdup (g_ascii_formatd (buf, sizeof buf, "%.1f",
                                       seconds > 0.2 ? MIN (seconds - 0.05, 1.0) : 0.1));
      return mh_test_params ("video", video, "audio", audio, "start", "0", "end", end, NULL);
    }
  else if (g_str_equal (tool_id, "headshot"))
    {
      g_autofree char *image = mh_test_write_png (fixture->tmp, "face.png");

      return mh_test_params ("image", image, NULL);
    }

  g_assert_not_reached ();
}

void
mh_test_assert_job_output (MhTestFixture *fixture,
                           MhJob         *job)
{
  const char *const *outputs = mh_job_get_output_files (job);
  g_autofree char *dir = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;
  guint64 expected_size = 0;
  g_autoptr(GPtrArray) names = NULL;

  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_DONE);
  g_assert_nonnull (mh_job_get_project_id (job));
  g_assert_nonnull (outputs);
  g_assert_cmpuint (g_strv_length ((char **) outputs), ==, 1);

  dir = g_path_get_dirname (outputs[0]);
  g_assert_cmpstr (dir, ==, fixture->out);
  g_assert_true (g_file_test (outputs[0], G_FILE_TEST_IS_REGULAR));

  expected = mh_simulator_dup_output_sha256 (fixture->sim, mh_job_get_project_id (job),
                                             &expected_size);
  g_assert_nonnull (expected);
  actual = mh_test_file_sha256 (outputs[0]);
  g_assert_cmpstr (actual, ==, expected);

  mh_test_assert_no_part_files (fixture->out);
  names = mh_test_list_dir (fixture->out);
  g_assert_cmpuint (names->len, >=, 1);
}
