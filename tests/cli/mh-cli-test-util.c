/* mh-cli-test-util.c: running magic-hour-studio-cli against the simulator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "mh-cli-test-util.h"

#define SAMPLES "/io/github/mhstudio/MagicHourStudio/simulator/"

static void
write_wav (const char *path,
           double      seconds)
{
  guint32 rate = 8000, n = (guint32) (seconds * rate), data = n * 2;
  g_autoptr(GByteArray) b = g_byte_array_new ();
  guint32 v32;
  guint16 v16;

#define PUT32(x) (v32 = GUINT32_TO_LE (x), g_byte_array_append (b, (guint8 *) &v32, 4))
#define PUT16(x) (v16 = GUINT16_TO_LE (x), g_byte_array_append (b, (guint8 *) &v16, 2))
  g_byte_array_append (b, (guint8 *) "RIFF", 4); PUT32 (36 + data);
  g_byte_array_append (b, (guint8 *) "WAVEfmt ", 8); PUT32 (16); PUT16 (1); PUT16 (1);
  PUT32 (rate); PUT32 (rate * 2); PUT16 (2); PUT16 (16);
  g_byte_array_append (b, (guint8 *) "data", 4); PUT32 (data);
  g_byte_array_set_size (b, b->len + data);
  memset (b->data + b->len - data, 0, data);
#undef PUT32
#undef PUT16
  g_assert_true (g_file_set_contents (path, (char *) b->data, b->len, NULL));
}

static void
write_resource (const char *name,
                const char *path)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data (name, 0, NULL);

  g_assert_nonnull (bytes);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), NULL));
}

/* Never follows a link: a test may leave one to a folder or a device. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      GStatBuf st;

      if (g_lstat (child, &st) == 0 && S_ISDIR (st.st_mode))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  GError *error = NULL;

  f->sim = mh_simulator_new ();
  mh_simulator_set_render_seconds (f->sim, 0.5);
  g_assert_true (mh_simulator_start (f->sim, 0, &error));
  g_assert_no_error (error);

  f->dir = g_dir_make_tmp ("mh-cli-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->out = g_build_filename (f->dir, "out", NULL);
  f->data = g_dir_make_tmp ("mh-cli-data-XXXXXX", &error);
  g_assert_no_error (error);
  f->photo = g_build_filename (f->dir, "photo.png", NULL);
  f->speech = g_build_filename (f->dir, "speech.wav", NULL);
  f->video = g_build_filename (f->dir, "clip.mp4", NULL);
  write_resource (SAMPLES "sample.png", f->photo);
  write_resource (SAMPLES "sample.mp4", f->video);
  write_wav (f->speech, 3.0);
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  mh_simulator_stop (f->sim);
  g_clear_object (&f->sim);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->out);
  remove_tree (f->data);
  g_free (f->data);
  g_free (f->photo);
  g_free (f->speech);
  g_free (f->video);
}

/* What the CLI printed, which must be text (whatever happened). */
static char *
output_text (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (size == 0)
    return g_strdup ("");
  g_assert_true (g_utf8_validate_len (data, size, NULL));
  return g_strndup (data, size);
}

static void
communicated_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  GError *error = NULL;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), result, &out, &err, &error);
  g_assert_no_error (error);
  run->out = output_text (out);
  run->err = output_text (err);
  run->status = g_subprocess_get_if_exited (G_SUBPROCESS (source))
                  ? g_subprocess_get_exit_status (G_SUBPROCESS (source)) : -1;
  run->done = TRUE;
}

static gboolean
deadline_cb (gpointer user_data)
{
  GSubprocess *process = user_data;
  Run *run = g_object_get_data (G_OBJECT (process), "run");

  run->timed_out = TRUE;
  g_subprocess_force_exit (process);
  return G_SOURCE_REMOVE;
}

GSubprocessLauncher *
make_launcher (Fixture    *f,
               const char *key)
{
  GSubprocessLauncher *launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);

  g_subprocess_launcher_setenv (launcher, "MAGIC_HOUR_API_BASE_URL",
                                mh_simulator_get_base_url (f->sim), TRUE);
  if (key != NULL)
    g_subprocess_launcher_setenv (launcher, "MAGIC_HOUR_API_KEY", key, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "MAGIC_HOUR_API_KEY");
  /* Everything the engine logs must be free of the key too. */
  if (f->no_debug)
    g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  else
    g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_set_cwd (launcher, f->dir);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", f->data, TRUE);
  return launcher;
}

/* An address-space limit keeps a CLI that reads without bound from taking
 * the machine's memory with it (the test fails instead). AddressSanitizer
 * reserves terabytes of address space, so not under it. */
#if defined(__SANITIZE_ADDRESS__)
# define UNDER_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define UNDER_ASAN 1
# endif
#endif

static void
limit_memory (gpointer user_data)
{
#ifndef UNDER_ASAN
  struct rlimit limit = { (rlim_t) 4 << 30, (rlim_t) 4 << 30 };

  setrlimit (RLIMIT_AS, &limit);
#endif
}

/* Runs the CLI with @args (NULL-terminated) while the simulator serves;
 * kills it at @deadline seconds (and fails). */
static Run *
run_cli_within (Fixture     *f,
                const char  *key,
                guint        deadline,
                const char  *first,
                va_list      ap)
{
  g_autoptr(GSubprocessLauncher) launcher = make_launcher (f, key);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  GError *error = NULL;
  Run *run = g_new0 (Run, 1);
  gint64 started;
  guint timeout;

  g_ptr_array_add (argv, (char *) g_getenv ("MH_CLI"));
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_child_setup (launcher, limit_memory, NULL, NULL);
  started = g_get_monotonic_time ();
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_object_set_data (G_OBJECT (process), "run", run);
  timeout = g_timeout_add_seconds (deadline, deadline_cb, process);
  g_subprocess_communicate_async (process, NULL, NULL, communicated_cb, run);
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
  if (!run->timed_out)
    g_source_remove (timeout);
  run->seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;

  if (run->timed_out)
    g_error ("“%s” did not end within %u s", (char *) g_ptr_array_index (argv, 1), deadline);
  /* Whatever happened, the key was not printed. */
  g_assert_null (strstr (run->out, KEY));
  g_assert_null (strstr (run->err, KEY));
  return run;
}

Run *
run_cli_with_key (Fixture    *f,
                  const char *key,
                  const char *first,
                  ...)
{
  va_list ap;
  Run *run;

  va_start (ap, first);
  run = run_cli_within (f, key, RUN_DEADLINE, first, ap);
  va_end (ap);
  return run;
}

/* With the key, killed after @deadline seconds. */
Run *
run_cli_within_va (Fixture    *f,
                   guint       deadline,
                   const char *first,
                   ...)
{
  va_list ap;
  Run *run;

  va_start (ap, first);
  run = run_cli_within (f, KEY, deadline, first, ap);
  va_end (ap);
  return run;
}

void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

/* The last JSON line of the output. */
JsonObject *
last_event (Run *run)
{
  g_auto(GStrv) lines = g_strsplit (g_strchomp (run->out), "\n", -1);
  guint n = g_strv_length (lines);
  g_autoptr(JsonParser) parser = json_parser_new ();
  GError *error = NULL;

  g_assert_cmpuint (n, >, 0);
  json_parser_load_from_data (parser, lines[n - 1], -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* The JSON body of the last request to @endpoint. */
JsonObject *
last_body (Fixture    *f,
           const char *endpoint)
{
  GPtrArray *requests = mh_simulator_get_requests (f->sim);

  for (guint i = requests->len; i > 0; i--)
    {
      MhSimRequest *request = g_ptr_array_index (requests, i - 1);

      if (g_strcmp0 (request->endpoint, endpoint) == 0 && request->json != NULL)
        return json_node_get_object (request->json);
    }
  g_assert_not_reached ();
}

void
assert_file_is_output (Fixture    *f,
                       JsonObject *result)
{
  JsonArray *files = json_object_get_array_member (result, "files");
  const char *path;
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;
  gsize length;
  guint64 size;

  g_assert_cmpuint (json_array_get_length (files), ==, 1);
  path = json_array_get_string_element (files, 0);
  g_assert_true (g_str_has_prefix (path, f->out));
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  expected = mh_simulator_dup_output_sha256 (f->sim, json_object_get_string_member (result, "project_id"), &size);
  actual = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) contents, length);
  g_assert_cmpuint (length, ==, size);
  g_assert_cmpstr (actual, ==, expected);
}

guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}
