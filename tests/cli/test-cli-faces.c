/* test-cli-faces.c: the face check as magic-hour-studio-cli shows it
 *
 * Runs the real binary against the simulator (in this process, on loopback):
 * the step in the progress, the sentence on stderr, the exit status, and no
 * create sent when the photo will not do; --no-face-check turns it off.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <string.h>

#include "mh-simulator.h"
#include "mh-test-util.h"

#define KEY "mhk_live_cli_faces_test"

typedef struct
{
  MhSimulator *sim;
  char        *dir;       /* inputs, outputs and the CLI's data */
  char        *photo;
} Fixture;

typedef struct
{
  gboolean  done;
  int       status;
  char     *out;
  char     *err;
} Run;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->sim = mh_test_simulator_new (0.3);
  f->dir = mh_test_make_tmp_dir ();
  f->photo = mh_test_write_png (f->dir, "portrait.png");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  mh_simulator_stop (f->sim);
  g_clear_object (&f->sim);
  mh_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->photo);
}

static void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static char *
bytes_text (GBytes *bytes)
{
  gsize size = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;

  return size > 0 ? g_strndup (data, size) : g_strdup ("");
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
  run->out = bytes_text (out);
  run->err = bytes_text (err);
  run->status = g_subprocess_get_if_exited (G_SUBPROCESS (source))
                  ? g_subprocess_get_exit_status (G_SUBPROCESS (source)) : -1;
  run->done = TRUE;
}

/* Runs the CLI with the arguments (NULL-terminated) while the simulator
 * serves on this thread's main context. */
static Run *
run_cli (Fixture    *f,
         const char *first,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *data = g_build_filename (f->dir, "data", NULL);
  GError *error = NULL;
  Run *run = g_new0 (Run, 1);
  va_list ap;

  g_subprocess_launcher_setenv (launcher, "MAGIC_HOUR_API_BASE_URL",
                                mh_simulator_get_base_url (f->sim), TRUE);
  g_subprocess_launcher_setenv (launcher, "MAGIC_HOUR_API_KEY", KEY, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_set_cwd (launcher, f->dir);

  g_ptr_array_add (argv, (char *) g_getenv ("MH_CLI"));
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_async (process, NULL, NULL, communicated_cb, run);
  mh_test_wait_for_flag (&run->done, 120, "the command to end");
  g_test_message ("exit %d\n%s", run->status, run->err);

  return run;
}

static void
test_two_faces (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Run) run = NULL;
  g_autofree char *out = g_build_filename (f->dir, "out", NULL);

  g_object_set (f->sim, "faces", 2u, NULL);
  run = run_cli (f, "headshot", "--image", f->photo, "-o", out, NULL);

  /* The step shows in the progress, then the sentence; refused: status 3 */
  g_assert_nonnull (strstr (run->err, "Looking for a face in the photo…"));
  g_assert_nonnull (strstr (run->err, "This photo has 2 faces; a headshot needs exactly one"));
  g_assert_cmpint (run->status, ==, 3);
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_FACE_DETECTION), ==, 1);
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_CREATE), ==, 0);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
test_no_face_by_name (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Run) run = run_cli (f, "talking-photo", "--image", "https://example.com/no-face.jpg",
                                "--audio", "https://example.com/voice.mp3",
                                "--start", "0", "--end", "3", NULL);

  g_assert_nonnull (strstr (run->err, "No face was found in this photo"));
  g_assert_cmpint (run->status, ==, 3);
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_CREATE), ==, 0);
}

static void
test_turned_off (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Run) run = NULL;
  g_autoptr(Run) lip_sync = NULL;

  g_object_set (f->sim, "faces", 0u, NULL);
  run = run_cli (f, "headshot", "--image", f->photo, "--no-face-check", "--no-wait", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_null (strstr (run->err, "Looking for a face"));
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_FACE_DETECTION), ==, 0);
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_CREATE), ==, 1);

  /* Lip sync has no photo to check: no such option */
  lip_sync = run_cli (f, "lip-sync", "--no-face-check", NULL);
  g_assert_cmpint (lip_sync->status, ==, 2);
  g_assert_nonnull (strstr (lip_sync->err, "--no-face-check"));
}

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(Run) headshot = run_cli (f, "headshot", "--help", NULL);
  g_autoptr(Run) talking = run_cli (f, "talking-photo", "--help", NULL);

  g_assert_nonnull (strstr (headshot->out, "--no-face-check"));
  g_assert_nonnull (strstr (talking->out, "--no-face-check"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/cli-faces/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("two-faces", test_two_faces);
  ADD ("no-face-by-name", test_no_face_by_name);
  ADD ("turned-off", test_turned_off);
  ADD ("help", test_help);
#undef ADD

  return g_test_run ();
}
