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

#include "mh-cli-test-util.h"

static void
test_two_faces (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Run) run = NULL;

  g_object_set (f->sim, "faces", 2u, NULL);
  run = run_cli (f, "headshot", "--image", f->photo, "-o", f->out);

  /* The step shows in the progress, then the sentence; refused: status 3 */
  g_assert_nonnull (strstr (run->err, "Looking for a face in the photo…"));
  g_assert_nonnull (strstr (run->err, "This photo has 2 faces; a headshot needs exactly one"));
  g_assert_cmpint (run->status, ==, 3);
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_FACE_DETECTION), ==, 1);
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_CREATE), ==, 0);
  g_assert_false (g_file_test (f->out, G_FILE_TEST_EXISTS));
}

static void
test_no_face_by_name (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Run) run = run_cli (f, "talking-photo", "--image", "https://example.com/no-face.jpg",
                                "--audio", "https://example.com/voice.mp3",
                                "--start", "0", "--end", "3");

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
  run = run_cli (f, "headshot", "--image", f->photo, "--no-face-check", "--no-wait");
  g_assert_cmpint (run->status, ==, 0);
  g_assert_null (strstr (run->err, "Looking for a face"));
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_FACE_DETECTION), ==, 0);
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_CREATE), ==, 1);

  /* Lip sync has no photo to check: no such option */
  lip_sync = run_cli (f, "lip-sync", "--no-face-check");
  g_assert_cmpint (lip_sync->status, ==, 2);
  g_assert_nonnull (strstr (lip_sync->err, "--no-face-check"));
}

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(Run) headshot = run_cli (f, "headshot", "--help");
  g_autoptr(Run) talking = run_cli (f, "talking-photo", "--help");

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
