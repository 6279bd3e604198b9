/* test-probe.c: every input is probed, not trusted by its extension
 *
 * Fake files of every slot type are refused with the sentence a person
 * reads; real files of each container the API takes (made by ffmpeg here)
 * are accepted with their duration (within 0.05 s), frame rate and size.
 * Reading those takes their headers, never GStreamer's decoders: a probe
 * of an H.264 MP4 once loaded libav and 50 MiB with it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/gst.h>
#include <locale.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mh-error.h"
#include "mh-probe.h"
#include "mh-test-util.h"

static char *files_dir;

typedef struct
{
  const char *name;
  const char *ffmpeg;     /* NULL: written by the test itself */
  const char *tool_id;
  const char *slot_key;
  double      duration;   /* 0: none expected */
  double      fps;
  guint       width;
  guint       height;
} RealCase;

#define TONE(secs) "-f lavfi -i sine=frequency=440:duration=" secs
#define PICTURE(size, rate, secs) "-f lavfi -i testsrc=size=" size ":rate=" rate ":duration=" secs

static const RealCase real_cases[] = {
  { .name = "speech.mp3", .ffmpeg = TONE ("2.5") " -c:a libmp3lame",
    .tool_id = "lip-sync", .slot_key = "audio", .duration = 2.5 },
  { .name = "speech.flac", .ffmpeg = TONE ("1.75") " -c:a flac",
    .tool_id = "lip-sync", .slot_key = "audio", .duration = 1.75 },
  { .name = "speech.m4a", .ffmpeg = TONE ("3") " -c:a aac",
    .tool_id = "talking-photo", .slot_key = "audio", .duration = 3 },
  { .name = "speech.ogg", .ffmpeg = TONE ("2") " -c:a libvorbis",
    .tool_id = "talking-photo", .slot_key = "audio", .duration = 2 },
  { .name = "speech.wav", .ffmpeg = TONE ("1.5"),
    .tool_id = "lip-sync", .slot_key = "audio", .duration = 1.5 },
  { .name = "clip.mp4", .ffmpeg = PICTURE ("160x120", "25", "2") " " TONE ("2")
                                  " -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest",
    .tool_id = "lip-sync", .slot_key = "video", .duration = 2, .fps = 25, .width = 160, .height = 120 },
  { .name = "clip.webm", .ffmpeg = PICTURE ("176x144", "30", "1.5") " -c:v libvpx",
    .tool_id = "lip-sync", .slot_key = "video", .duration = 1.5, .fps = 30, .width = 176, .height = 144 },
  { .name = "clip.mov", .ffmpeg = PICTURE ("128x96", "24", "3") " -c:v mpeg4",
    .tool_id = "lip-sync", .slot_key = "video", .duration = 3, .fps = 24, .width = 128, .height = 96 },
  { .name = "face.png", .ffmpeg = PICTURE ("320x240", "1", "1") " -frames:v 1",
    .tool_id = "headshot", .slot_key = "image", .width = 320, .height = 240 },
  { .name = "face.jpg", .ffmpeg = PICTURE ("200x150", "1", "1") " -frames:v 1",
    .tool_id = "talking-photo", .slot_key = "image", .width = 200, .height = 150 },
  { .name = "face.webp", .ffmpeg = PICTURE ("90x60", "1", "1") " -frames:v 1 -c:v libwebp",
    .tool_id = "headshot", .slot_key = "image", .width = 90, .height = 60 },
  { .name = "face.bmp", .ffmpeg = PICTURE ("40x30", "1", "1") " -frames:v 1",
    .tool_id = "headshot", .slot_key = "image", .width = 40, .height = 30 },
  { .name = "speech.aiff", .ffmpeg = TONE ("1.25"),
    .tool_id = "lip-sync", .slot_key = "audio", .duration = 1.25 },
};

typedef struct
{
  const char *name;
  const char *tool_id;
  const char *slot_key;
  const char *sentence;
} FakeCase;

static const FakeCase fake_cases[] = {
  { "text.mp4", "lip-sync", "video", "text.mp4 could not be read as a video: its content is no known kind of media." },
  { "text.wav", "lip-sync", "audio", "text.wav could not be read as audio: its content is no known kind of media." },
  { "text.png", "headshot", "image", "text.png could not be read as an image: its content is no known kind of media." },
  { "cut.mp4", "lip-sync", "video", "cut.mp4 could not be read as a video: it is damaged or cut short." },
  { "early.mp4", "lip-sync", "video", "early.mp4 could not be read as a video: it is damaged or cut short." },
  { "empty.mp4", "lip-sync", "video", "empty.mp4 could not be read as a video: it is empty." },
  { "empty.wav", "talking-photo", "audio", "empty.wav could not be read as audio: it is empty." },
  { "header.wav", "lip-sync", "audio", "header.wav has no sound in it: its audio lasts 0 seconds." },
  { "sound.mp4", "lip-sync", "video", "sound.mp4 is not a video: it holds no video stream." },
  { "photo.mp4", "lip-sync", "video", "photo.mp4 is an image, not a video." },
  { "picture.wav", "lip-sync", "audio", "picture.wav is not an audio file: it holds no sound." },
  { "movie.png", "headshot", "image", "movie.png is a video, not an image." },
  { "sound.png", "headshot", "image", "sound.png is not an image: it holds no picture." },
};

static MhMediaInfo *
probe (const char *name)
{
  g_autofree char *path = g_build_filename (files_dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  MhMediaInfo *info = mh_probe_file (file, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
  return info;
}

static void
test_real (gconstpointer data)
{
  const RealCase *c = data;
  const MhAssetSlot *slot = mh_tool_find_slot (mh_tool_lookup (c->tool_id), c->slot_key);
  g_autofree char *path = mh_test_make_media (files_dir, c->name, c->ffmpeg);
  g_autoptr(MhMediaInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  if (path == NULL)
    {
      g_test_skip ("ffmpeg or its encoder for this format is missing");
      return;
    }

  info = probe (c->name);
  g_assert_null (info->unreadable);
  g_assert_true (mh_probe_check_slot (info, slot, c->name, &error));
  g_assert_no_error (error);

  g_assert_cmpfloat_with_epsilon (info->duration, c->duration, 0.05);
  g_assert_cmpfloat_with_epsilon (info->fps, c->fps, 0.001);
  g_assert_cmpuint (info->width, ==, c->width);
  g_assert_cmpuint (info->height, ==, c->height);
  g_assert_true (info->is_image == (slot->type == MH_ASSET_IMAGE));
  g_assert_true (info->has_video == (slot->type == MH_ASSET_VIDEO));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (info->size, ==, st.st_size);
}

static void
test_fake (gconstpointer data)
{
  const FakeCase *c = data;
  const MhAssetSlot *slot = mh_tool_find_slot (mh_tool_lookup (c->tool_id), c->slot_key);
  g_autoptr(MhMediaInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (files_dir, c->name, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("ffmpeg or its encoder for this fixture is missing");
      return;
    }

  info = probe (c->name);
  g_assert_false (mh_probe_check_slot (info, slot, c->name, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, c->sentence);
}

/* An MP4 of 2 s (index at the end, ffmpeg's default) cut in the middle,
 * and one of 4 s with its index in front cut after 4 % of it. */
static void
write_cut_mp4s (void)
{
  g_autofree char *whole = mh_test_make_media (files_dir, "whole.mp4",
                                               PICTURE ("160x120", "25", "2") " -c:v libx264 -pix_fmt yuv420p");
  g_autofree char *faststart = mh_test_make_media (files_dir, "faststart.mp4",
                                                   PICTURE ("320x240", "25", "4")
                                                   " -c:v libx264 -pix_fmt yuv420p -movflags +faststart");
  g_autofree char *contents = NULL;
  gsize len;

  if (whole == NULL || faststart == NULL)
    return;
  g_assert_true (g_file_get_contents (whole, &contents, &len, NULL));
  g_free (mh_test_write_file (files_dir, "cut.mp4", contents, len / 2));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (faststart, &contents, &len, NULL));
  g_free (mh_test_write_file (files_dir, "early.mp4", contents, len * 4 / 100));
}

static void
write_fakes (void)
{
  static const char text[] = "This is not media, just a note someone renamed.\n";
  g_autofree char *png = NULL;

  g_free (mh_test_write_file (files_dir, "text.mp4", text, sizeof text - 1));
  g_free (mh_test_write_file (files_dir, "text.wav", text, sizeof text - 1));
  g_free (mh_test_write_file (files_dir, "text.png", text, sizeof text - 1));
  g_free (mh_test_write_file (files_dir, "empty.mp4", "", 0));
  g_free (mh_test_write_file (files_dir, "empty.wav", "", 0));
  /* The header alone: 44 bytes saying "no samples". */
  g_free (mh_test_write_wav (files_dir, "header.wav", 0));
  write_cut_mp4s ();
  g_free (mh_test_make_media (files_dir, "sound.mp4", TONE ("2") " -c:a aac"));
  g_free (mh_test_make_media (files_dir, "sound.png", TONE ("2") " -c:a aac -f mp4"));
  g_free (mh_test_make_media (files_dir, "movie.png",
                              PICTURE ("64x48", "25", "1") " -c:v libx264 -pix_fmt yuv420p -f mp4"));
  /* The simulator's PNG, named as a video and as audio. */
  png = mh_test_write_png (files_dir, "photo.mp4");
  g_free (mh_test_write_png (files_dir, "picture.wav"));
}

/* A cancel stops the probe: the call returns G_IO_ERROR_CANCELLED. */
static void
test_cancelled (void)
{
  g_autofree char *path = mh_test_write_wav (files_dir, "cancel.wav", 2);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MhMediaInfo) info = NULL;

  g_cancellable_cancel (cancellable);
  info = mh_probe_file (file, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (info);
}

typedef struct
{
  gboolean     done;
  MhMediaInfo *info;
  GError      *error;
} Probed;

static void
probed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Probed *probed = user_data;

  probed->info = mh_probe_file_finish (result, &probed->error);
  probed->done = TRUE;
}

/* The async form, and a missing file is an I/O error, not a sentence. */
static void
test_async (void)
{
  g_autofree char *path = mh_test_write_wav (files_dir, "async.wav", 3.25);
  g_autofree char *missing_path = g_build_filename (files_dir, "missing.wav", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  Probed probed = { 0 };
  Probed gone = { 0 };

  mh_probe_file_async (file, NULL, probed_cb, &probed);
  mh_probe_file_async (missing, NULL, probed_cb, &gone);
  mh_test_wait_for_flag (&probed.done, MH_TEST_TIMEOUT, "the probe of a WAV");
  mh_test_wait_for_flag (&gone.done, MH_TEST_TIMEOUT, "the probe of a missing file");

  g_assert_no_error (probed.error);
  g_assert_true (probed.info->has_audio);
  g_assert_cmpfloat_with_epsilon (probed.info->duration, 3.25, 0.05);
  g_assert_error (gone.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (gone.info);

  mh_media_info_free (probed.info);
  g_clear_error (&gone.error);
}

/* A two-hour WAV reads at once (3 ms in MEDIA.md), with its whole length. */
static void
test_long_wav (void)
{
  g_autofree char *path = mh_test_write_wav (files_dir, "long.wav", 7200);
  g_autoptr(MhMediaInfo) info = probe ("long.wav");

  g_assert_nonnull (path);
  g_assert_cmpfloat_with_epsilon (info->duration, 7200, 0.05);
}

/* A real picture with a hole after it: what the tests use as a big image. */
static void
test_big_png (void)
{
  g_autofree char *path = mh_test_write_big_png (files_dir, "big.png", 256 * 1024 * 1024);
  g_autoptr(MhMediaInfo) info = probe ("big.png");
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (path);
  g_assert_true (mh_probe_check_slot (info, mh_tool_find_slot (mh_tool_lookup ("headshot"), "image"),
                                      "big.png", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (info->size, ==, 256 * 1024 * 1024);
}

/* The most this process has held in memory, in KiB (VmHWM). */
static guint64
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10);
}

/* Every real file of every container, probed in a process of its own:
 * GStreamer never starts, no plugin (demuxer or decoder) is mapped, and
 * the process stays small. */
static void
test_headers_only (void)
{
  g_autofree char *maps = NULL;
  guint probed = 0;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT |
                                       G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (real_cases); i++)
    {
      const RealCase *c = &real_cases[i];
      const MhAssetSlot *slot = mh_tool_find_slot (mh_tool_lookup (c->tool_id), c->slot_key);
      g_autofree char *path = mh_test_make_media (files_dir, c->name, c->ffmpeg);
      g_autoptr(MhMediaInfo) info = NULL;
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        continue;
      info = probe (c->name);
      g_assert_true (mh_probe_check_slot (info, slot, c->name, &error));
      g_assert_no_error (error);
      probed++;
    }
  g_free (mh_test_write_mp4 (files_dir, "sample.mp4"));
  mh_media_info_free (probe ("sample.mp4"));
  probed++;
  g_test_message ("%u files probed", probed);

  g_assert_false (gst_is_initialized ());
  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  g_assert_null (strstr (maps, "/gstreamer-1.0/"));
  g_assert_null (strstr (maps, "libavcodec"));
  /* 12 MiB here; the discoverer took it past 60 MiB. */
  if (mh_test_rss_is_meaningful ())
    g_assert_cmpuint (peak_rss_kib (), <, 40 * 1024);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, NULL);

  files_dir = mh_test_make_tmp_dir ();
  write_fakes ();

  for (guint i = 0; i < G_N_ELEMENTS (real_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/probe/real/%s", real_cases[i].name);

      g_test_add_data_func (path, &real_cases[i], test_real);
    }
  for (guint i = 0; i < G_N_ELEMENTS (fake_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/probe/fake/%s", fake_cases[i].name);

      g_test_add_data_func (path, &fake_cases[i], test_fake);
    }
  g_test_add_func ("/probe/cancelled", test_cancelled);
  g_test_add_func ("/probe/async", test_async);
  g_test_add_func ("/probe/long-wav", test_long_wav);
  g_test_add_func ("/probe/big-png", test_big_png);
  g_test_add_func ("/probe/headers-only", test_headers_only);

  status = g_test_run ();
  mh_test_rm_rf (files_dir);
  g_free (files_dir);
  return status;
}
