/* test-waveform.c: a file's waveform and filmstrip, read in a worker
 *
 * Peaks are checked against a sine of known loudness, progress against a
 * 2-hour file (many chunks before the end, Cancel heard within a fraction
 * of a second), the cache by the time a second reading takes, and the
 * filmstrip by the number and size of its pictures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "mh-filmstrip.h"
#include "mh-test-media.h"
#include "mh-test-util.h"
#include "mh-waveform.h"

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} MhTestRun;

static void
ran_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  MhTestRun *run = user_data;

  run->result = g_object_ref (result);
  run->done = TRUE;
}

typedef struct
{
  guint    chunks;
  guint    peaks;
  gboolean contiguous;
} ChunkLog;

static void
chunk_cb (MhWaveform *waveform,
          guint       first,
          guint       n,
          ChunkLog   *log)
{
  if (first != log->peaks)
    log->contiguous = FALSE;
  log->chunks++;
  log->peaks += n;
}

static gboolean
load_waveform (MhWaveform    *waveform,
               GCancellable  *cancellable,
               ChunkLog      *log,
               GError       **error)
{
  MhTestRun run = { 0 };
  gulong id;
  gboolean ok;

  *log = (ChunkLog) { .contiguous = TRUE };
  id = g_signal_connect (waveform, "chunk", G_CALLBACK (chunk_cb), log);
  mh_waveform_load_async (waveform, cancellable, ran_cb, &run);
  mh_test_wait_for_flag (&run.done, MH_TEST_TIMEOUT, "the waveform");
  ok = mh_waveform_load_finish (waveform, run.result, error);
  g_clear_object (&run.result);
  g_signal_handler_disconnect (waveform, id);

  return ok;
}

static void
test_sine_peaks (void)
{
  g_autofree char *dir = mh_test_make_tmp_dir ();
  g_autofree char *path = mh_test_write_tone_wav (dir, "tone.wav", 3.0, 0.5, FALSE);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(MhWaveform) waveform = mh_waveform_new (file);
  g_autoptr(GError) error = NULL;
  const gint8 *peaks;
  ChunkLog log;
  guint n;
  float min, max;

  mh_waveform_clear_cache ();
  g_assert_true (load_waveform (waveform, NULL, &log, &error));
  g_assert_no_error (error);
  g_assert_true (mh_waveform_get_complete (waveform));

  /* A peak per 10 ms, each reaching the sine's height both ways. */
  peaks = mh_waveform_get_peaks (waveform, &n);
  g_assert_cmpuint (n, ==, 300);
  g_assert_cmpuint (log.peaks, ==, 300);
  g_assert_true (log.contiguous);
  g_assert_cmpfloat_with_epsilon (mh_waveform_get_duration (waveform), 3.0, 0.02);
  for (guint i = 1; i < n - 1; i++)
    {
      g_assert_cmpint (peaks[2 * i + 1], >=, 62);
      g_assert_cmpint (peaks[2 * i + 1], <=, 66);
      g_assert_cmpint (peaks[2 * i], <=, -62);
      g_assert_cmpint (peaks[2 * i], >=, -66);
    }

  g_assert_true (mh_waveform_get_span (waveform, 1.0, 2.0, &min, &max));
  g_assert_cmpfloat_with_epsilon (max, 0.5, 0.02);
  g_assert_cmpfloat_with_epsilon (min, -0.5, 0.02);
  g_assert_false (mh_waveform_get_span (waveform, 3.5, 4.0, &min, &max));

  mh_test_rm_rf (dir);
}

static void
test_progressive_and_cached (void)
{
  g_autofree char *dir = mh_test_make_tmp_dir ();
  g_autofree char *path = mh_test_write_wav (dir, "long.wav", 2 * 60 * 60);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(MhWaveform) waveform = mh_waveform_new (file);
  g_autoptr(MhWaveform) again = NULL;
  g_autoptr(GError) error = NULL;
  ChunkLog log;
  gint64 started;
  double first_read, second_read;

  mh_waveform_clear_cache ();
  started = g_get_monotonic_time ();
  g_assert_true (load_waveform (waveform, NULL, &log, &error));
  g_assert_no_error (error);
  first_read = (g_get_monotonic_time () - started) / 1e6;

  /* Two hours of peaks, in many pieces, in order. */
  g_assert_cmpuint (mh_waveform_get_n_peaks (waveform), ==, 2 * 60 * 60 * MH_WAVEFORM_RATE);
  g_assert_cmpuint (log.chunks, >=, 3);
  g_assert_true (log.contiguous);
  g_assert_cmpfloat_with_epsilon (mh_waveform_get_duration (waveform), 7200, 0.05);

  /* The same file again: from the cache, in one piece, at once. */
  again = mh_waveform_new (file);
  started = g_get_monotonic_time ();
  g_assert_true (load_waveform (again, NULL, &log, &error));
  second_read = (g_get_monotonic_time () - started) / 1e6;
  g_test_message ("2-hour WAV: read in %.2f s, from the cache in %.3f s", first_read, second_read);
  g_assert_cmpuint (log.chunks, ==, 1);
  g_assert_cmpuint (mh_waveform_get_n_peaks (again), ==, 2 * 60 * 60 * MH_WAVEFORM_RATE);
  g_assert_cmpfloat (second_read, <, 0.5);
  g_assert_cmpfloat (second_read, <, first_read / 4);

  mh_test_rm_rf (dir);
}

static void
test_changed_file_read_again (void)
{
  g_autofree char *dir = mh_test_make_tmp_dir ();
  g_autofree char *path = mh_test_write_tone_wav (dir, "voice.wav", 2.0, 0.5, FALSE);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(MhWaveform) first = mh_waveform_new (file);
  g_autoptr(MhWaveform) second = mh_waveform_new (file);
  g_autoptr(GError) error = NULL;
  g_autofree char *replaced = NULL;
  ChunkLog log;

  mh_waveform_clear_cache ();
  g_assert_true (load_waveform (first, NULL, &log, &error));
  g_assert_cmpuint (mh_waveform_get_n_peaks (first), ==, 200);

  /* Saved again, longer: its size and time differ, so it is read again. */
  replaced = mh_test_write_tone_wav (dir, "voice.wav", 4.0, 0.25, FALSE);
  g_assert_true (load_waveform (second, NULL, &log, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mh_waveform_get_n_peaks (second), ==, 400);

  mh_test_rm_rf (dir);
}

static void
cancel_on_first_chunk_cb (MhWaveform   *waveform,
                          guint         first,
                          guint         n,
                          GCancellable *cancellable)
{
  /* What had come when the cancel was asked for. */
  g_object_set_data (G_OBJECT (cancellable), "peaks-at-cancel", GUINT_TO_POINTER (first + n));
  g_cancellable_cancel (cancellable);
}

static void
test_cancel (void)
{
  g_autofree char *dir = mh_test_make_tmp_dir ();
  g_autofree char *path = mh_test_write_wav (dir, "long.wav", 2 * 60 * 60);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(MhWaveform) waveform = mh_waveform_new (file);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  ChunkLog log;
  gint64 started = g_get_monotonic_time ();
  double took;

  mh_waveform_clear_cache ();
  g_signal_connect (waveform, "chunk", G_CALLBACK (cancel_on_first_chunk_cb), cancellable);
  g_assert_false (load_waveform (waveform, cancellable, &log, &error));
  took = (g_get_monotonic_time () - started) / 1e6;
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (mh_waveform_get_complete (waveform));
  /* Nothing came after the cancel. (How much the first chunk holds depends
   * on how fast the file decodes and how soon the main loop gets to it:
   * under load, most of it; the end itself always comes after a chunk.) */
  g_assert_cmpuint (mh_waveform_get_n_peaks (waveform), ==,
                    GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cancellable), "peaks-at-cancel")));
  g_test_message ("cancelled after %.2f s with %u peaks", took, mh_waveform_get_n_peaks (waveform));
  g_assert_cmpfloat (took, <, 2.0);
  g_clear_error (&error);

  /* Nothing half-read was kept: the next reading decodes again, whole. */
  g_signal_handlers_disconnect_by_func (waveform, cancel_on_first_chunk_cb, cancellable);
  g_assert_true (load_waveform (waveform, NULL, &log, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mh_waveform_get_n_peaks (waveform), ==, 2 * 60 * 60 * MH_WAVEFORM_RATE);
  g_assert_cmpuint (log.chunks, >, 1);

  mh_test_rm_rf (dir);
}

static void
test_not_media (void)
{
  g_autofree char *dir = mh_test_make_tmp_dir ();
  g_autofree char *path = mh_test_write_file (dir, "notes.wav", "just text\n", 10);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(MhWaveform) waveform = mh_waveform_new (file);
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/voice.wav");
  g_autoptr(MhWaveform) none = mh_waveform_new (missing);
  g_autoptr(GError) error = NULL;
  ChunkLog log;

  g_assert_false (load_waveform (waveform, NULL, &log, &error));
  g_assert_nonnull (error);
  g_test_message ("not media: %s", error->message);
  g_clear_error (&error);

  g_assert_false (load_waveform (none, NULL, &log, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  mh_test_rm_rf (dir);
}

/* ---- Filmstrip ------------------------------------------------------------ */

static void
frame_cb (MhFilmstrip *filmstrip,
          guint        index,
          guint       *count)
{
  (*count)++;
}

static void
test_filmstrip (void)
{
  g_autofree char *dir = mh_test_make_tmp_dir ();
  g_autofree char *path = mh_test_write_video (dir, "clip.mp4", 12.0, TRUE);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(MhFilmstrip) filmstrip = mh_filmstrip_new (file, 8, 48);
  g_autoptr(MhFilmstrip) again = mh_filmstrip_new (file, 8, 48);
  g_autoptr(GError) error = NULL;
  MhTestRun run = { 0 };
  guint frames = 0;
  gint64 started;

  mh_filmstrip_clear_cache ();
  g_signal_connect (filmstrip, "frame", G_CALLBACK (frame_cb), &frames);
  mh_filmstrip_load_async (filmstrip, NULL, ran_cb, &run);
  mh_test_wait_for_flag (&run.done, MH_TEST_TIMEOUT, "the filmstrip");
  mh_filmstrip_load_finish (filmstrip, run.result, &error);
  g_assert_no_error (error);
  g_clear_object (&run.result);

  g_assert_cmpuint (frames, ==, 8);
  g_assert_cmpfloat_with_epsilon (mh_filmstrip_get_duration (filmstrip), 12.0, 0.2);
  g_assert_cmpfloat_with_epsilon (mh_filmstrip_get_frame_time (filmstrip, 0), 0.75, 0.02);
  for (guint i = 0; i < 8; i++)
    {
      int width = 0, height = 0;
      gsize stride = 0;
      GBytes *pixels = mh_filmstrip_get_frame (filmstrip, i, &width, &height, &stride);

      /* 16:9 at 48 pixels high. */
      g_assert_nonnull (pixels);
      g_assert_cmpint (height, ==, 48);
      g_assert_cmpint (width, >=, 84);
      g_assert_cmpint (width, <=, 86);
      g_assert_cmpuint (stride, ==, (gsize) width * 4);
      g_assert_cmpuint (g_bytes_get_size (pixels), ==, stride * height);
    }

  /* The pattern moves: the first and last pictures differ. */
  g_assert_false (g_bytes_equal (mh_filmstrip_get_frame (filmstrip, 0, NULL, NULL, NULL),
                                 mh_filmstrip_get_frame (filmstrip, 7, NULL, NULL, NULL)));

  /* Again: from the cache. */
  frames = 0;
  g_signal_connect (again, "frame", G_CALLBACK (frame_cb), &frames);
  started = g_get_monotonic_time ();
  mh_filmstrip_load_async (again, NULL, ran_cb, &run);
  run.done = FALSE;
  mh_test_wait_for_flag (&run.done, MH_TEST_TIMEOUT, "the filmstrip again");
  g_assert_true (mh_filmstrip_load_finish (again, run.result, &error));
  g_clear_object (&run.result);
  g_assert_cmpuint (frames, ==, 8);
  g_assert_cmpint (g_get_monotonic_time () - started, <, G_USEC_PER_SEC / 4);

  mh_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/waveform/sine-peaks", test_sine_peaks);
  g_test_add_func ("/waveform/progressive-and-cached", test_progressive_and_cached);
  g_test_add_func ("/waveform/changed-file", test_changed_file_read_again);
  g_test_add_func ("/waveform/cancel", test_cancel);
  g_test_add_func ("/waveform/not-media", test_not_media);
  g_test_add_func ("/filmstrip/frames", test_filmstrip);

  return g_test_run ();
}
