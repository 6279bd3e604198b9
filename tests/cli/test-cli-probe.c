/* test-cli-probe.c: magic-hour-studio-cli judges a file by its content
 *
 * A fake file of every slot type (a text renamed, a WAV header with no
 * samples, an audio-only MP4 in the video slot) is refused with the probe's
 * sentence, exit status 2, and the simulator receives no request at all.
 * --dry-run prices Lip Sync at the video's own frame rate when it is below
 * 30 fps. Checking real inputs and sending them loads no GStreamer plugin
 * and keeps the CLI small.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>

#include "mh-cli-test-util.h"

static const char text[] = "Notes for the shoot, not a video.\n";

static void
assert_refused (Fixture    *f,
                Run        *run,
                const char *sentence)
{
  if (strstr (run->err, sentence) == NULL)
    g_test_message ("stderr: %s", run->err);
  g_assert_nonnull (strstr (run->err, sentence));
  g_assert_cmpint (run->status, ==, 2);
  g_assert_cmpuint (mh_simulator_get_requests (f->sim)->len, ==, 0);
  g_assert_false (g_file_test (f->out, G_FILE_TEST_EXISTS));
}

/* A text renamed .mp4 in Lip Sync's video slot, run for real. */
static void
test_fake_video (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *fake = mh_test_write_file (f->dir, "fake.mp4", text, sizeof text - 1);
  g_autoptr(Run) run = run_cli (f, "lip-sync", "--video", fake, "--audio", f->speech,
                                "--start", "0", "--end", "2", "-o", f->out);
  g_autoptr(Run) dry = run_cli (f, "lip-sync", "--video", fake, "--audio", f->speech,
                                "--start", "0", "--end", "2", "--dry-run");

  assert_refused (f, run, "fake.mp4 could not be read as a video");
  assert_refused (f, dry, "fake.mp4 could not be read as a video");
}

/* An MP4 with sound and no picture in the video slot. */
static void
test_audio_only_video (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *sound = mh_test_make_media (f->dir, "sound.mp4",
                                               "-f lavfi -i sine=duration=2 -c:a aac");
  g_autoptr(Run) run = NULL;

  if (sound == NULL)
    {
      g_test_skip ("ffmpeg with an AAC encoder is missing");
      return;
    }

  run = run_cli (f, "lip-sync", "--video", sound, "--audio", f->speech,
                 "--start", "0", "--end", "2", "-o", f->out);
  assert_refused (f, run, "sound.mp4 is not a video: it holds no video stream.");
}

/* Fakes in the audio and image slots. */
static void
test_fake_audio_and_image (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *fake_wav = mh_test_write_file (f->dir, "fake.wav", text, sizeof text - 1);
  g_autofree char *fake_png = mh_test_write_file (f->dir, "fake.png", text, sizeof text - 1);
  g_autofree char *no_samples = mh_test_write_wav (f->dir, "silent.wav", 0);
  g_autoptr(Run) audio = run_cli (f, "talking-photo", "--image", f->photo, "--audio", fake_wav,
                                  "--start", "0", "--end", "2", "-o", f->out);
  g_autoptr(Run) empty = run_cli (f, "lip-sync", "--video", f->video, "--audio", no_samples,
                                  "--start", "0", "--end", "1", "-o", f->out);
  g_autoptr(Run) image = run_cli (f, "headshot", "--image", fake_png, "-o", f->out);

  assert_refused (f, audio, "fake.wav could not be read as audio");
  assert_refused (f, empty, "silent.wav has no sound in it: its audio lasts 0 seconds.");
  assert_refused (f, image, "fake.png could not be read as an image");
}

/* 2 s of a 25 fps video in lite mode: 60 frames charged at the create (30
 * fps), 50 once Magic Hour counts the video's own frames. */
static void
test_lip_sync_cost_at_video_fps (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *video = mh_test_make_media (f->dir, "pal.mp4",
                                               "-f lavfi -i testsrc=size=160x120:rate=25:duration=3"
                                               " -c:v libx264 -pix_fmt yuv420p");
  g_autoptr(Run) run = NULL;
  g_autoptr(Run) json = NULL;
  g_autoptr(JsonObject) event = NULL;

  if (video == NULL)
    {
      g_test_skip ("ffmpeg with an H.264 encoder is missing");
      return;
    }

  run = run_cli (f, "lip-sync", "--video", video, "--audio", f->speech,
                 "--start", "0", "--end", "2", "--mode", "lite", "--dry-run");
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "About 60 credits at the start, settled to 50 credits for the video’s frame rate."));

  /* The JSON tells what the create charges. */
  json = run_cli (f, "--json", "lip-sync", "--video", video, "--audio", f->speech,
                  "--start", "0", "--end", "2", "--mode", "lite", "--dry-run");
  event = last_event (json);
  g_assert_cmpint (json_object_get_int_member (event, "credits"), ==, 60);

  g_assert_cmpuint (mh_simulator_get_requests (f->sim)->len, ==, 0);
}

/* Every library the dynamic loader mapped into the runs (LD_DEBUG=files
 * writes one "file=" line per library to @dir/ld.PID). */
static char *
read_loader_logs (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  g_autoptr(GString) all = g_string_new (NULL);
  guint logs = 0;
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;

      if (!g_str_has_prefix (name, "ld."))
        continue;
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_string_append (all, contents);
      logs++;
    }
  g_assert_cmpuint (logs, >, 0);
  return g_string_free (g_steal_pointer (&all), FALSE);
}

/* A dry run and real runs of Lip Sync and Headshot with real files: the
 * inputs are read from their headers, so no GStreamer plugin is loaded
 * (the discoverer loaded libav and 150 libraries for the MP4, 65 MiB),
 * and no run's peak RSS reaches 40 MiB (11-14 MiB measured). In a
 * process of its own, whose only children are these runs. */
static void
test_no_decoders (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *logs_dir = NULL;
  g_autofree char *logs = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr(Run) dry = NULL;
  g_autoptr(Run) lip_sync = NULL;
  g_autoptr(Run) headshot = NULL;
  struct rusage usage;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT |
                                       G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  logs_dir = g_build_filename (f->dir, "loader", NULL);
  g_assert_cmpint (g_mkdir (logs_dir, 0700), ==, 0);
  prefix = g_build_filename (logs_dir, "ld", NULL);
  g_setenv ("LD_DEBUG", "files", TRUE);
  g_setenv ("LD_DEBUG_OUTPUT", prefix, TRUE);

  dry = run_cli (f, "lip-sync", "--video", f->video, "--audio", f->speech,
                 "--start", "0", "--end", "2", "--dry-run");
  lip_sync = run_cli (f, "lip-sync", "--video", f->video, "--audio", f->speech,
                      "--start", "0", "--end", "2", "--no-wait");
  headshot = run_cli (f, "headshot", "--image", f->photo, "--no-wait");
  g_unsetenv ("LD_DEBUG");
  g_unsetenv ("LD_DEBUG_OUTPUT");
  g_assert_cmpint (dry->status, ==, 0);
  g_assert_cmpint (lip_sync->status, ==, 0);
  g_assert_cmpint (headshot->status, ==, 0);
  /* The runs did send the files: they were checked, not skipped. */
  g_assert_cmpuint (mh_simulator_get_requests (f->sim)->len, >, 0);

  logs = read_loader_logs (logs_dir);
  g_assert_nonnull (strstr (logs, "libglib-2.0.so"));
  if (strstr (logs, "/gstreamer-1.0/") != NULL || strstr (logs, "libavcodec") != NULL)
    g_test_message ("loaded: %s", logs);
  g_assert_null (strstr (logs, "/gstreamer-1.0/"));
  g_assert_null (strstr (logs, "libavcodec"));

  /* The largest of the runs, the only children of this process. */
  g_assert_cmpint (getrusage (RUSAGE_CHILDREN, &usage), ==, 0);
  g_test_message ("peak RSS of the largest run: %ld KiB", usage.ru_maxrss);
  if (mh_test_rss_is_meaningful ())
    g_assert_cmpint (usage.ru_maxrss, <, 40 * 1024);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/cli-probe/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("fake-video", test_fake_video);
  ADD ("audio-only-video", test_audio_only_video);
  ADD ("fake-audio-and-image", test_fake_audio_and_image);
  ADD ("lip-sync-cost-at-video-fps", test_lip_sync_cost_at_video_fps);
  ADD ("no-decoders", test_no_decoders);
#undef ADD

  return g_test_run ();
}
