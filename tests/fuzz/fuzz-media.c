/* fuzz-media.c: the media header reader over any bytes
 *
 * The bytes are the whole "file": mh_media_read_duration_from_stream() reads
 * them through a GMemoryInputStream, exactly as it reads a file on disk (the
 * same seeks, the same short reads at the end). Whatever the bytes, it must
 * return, never read out of bounds, and a duration it reports is one the
 * app can use. The probe's stream reader (mh-probe-parse.c) gets the same
 * bytes: what it reports is a kind of media with sane numbers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "mh-fuzz.h"
#include "mh-media.h"
#include "mh-probe-private.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, size, NULL);
  g_autoptr(GInputStream) again = g_memory_input_stream_new_from_data (data, size, NULL);
  g_autoptr(GError) error = NULL;
  MhMediaInfo info = { 0 };
  double seconds = -1;

  if (mh_media_read_duration_from_stream (stream, &seconds, NULL, &error))
    g_assert_true (isfinite (seconds) && seconds > 0);
  else
    g_assert_cmpfloat (seconds, ==, -1);
  /* Memory does not fail to read: an error would be the reader's own. */
  g_assert_no_error (error);

  if (mh_probe_parse_headers (again, &info, NULL))
    {
      g_assert_true (info.has_video || info.has_audio || info.is_image);
      g_assert_true (isfinite (info.duration) && info.duration >= 0);
      g_assert_true (isfinite (info.fps) && info.fps >= 0);
      g_assert_true (info.is_image || info.duration > 0);
    }
  g_assert_null (info.unreadable);
  return 0;
}
