/* mh-waveform.h: the loudness of a media file over time, for drawing
 *
 * Peaks (the lowest and highest sample, as signed bytes) at a fixed time
 * resolution, MH_WAVEFORM_RATE per second over the whole file, so any
 * window can be drawn from them: the whole of a 2-hour file (720,000 peaks,
 * 1.4 MB) and a few seconds of it zoomed in (a peak per 10 ms). Memory
 * grows with the media's length, not its size on disk, and the decoder
 * works on 8 kHz mono whatever the source.
 *
 * Decoding runs in a worker thread with GStreamer; peaks reach the main
 * context of the thread that called mh_waveform_load_async() in chunks, as
 * "chunk" signals, so the waveform can be drawn as it arrives. Peaks of a
 * file already read (same path, size and modification time) come from a
 * cache in one chunk at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Peaks per second of media. */
#define MH_WAVEFORM_RATE 100

#define MH_TYPE_WAVEFORM (mh_waveform_get_type ())
G_DECLARE_FINAL_TYPE (MhWaveform, mh_waveform, MH, WAVEFORM, GObject)

/* Properties (read-only, change on the loading thread's main context):
 *   "file"      GFile, construct-only
 *   "duration"  double, seconds; -1 until known
 *   "n-peaks"   guint: the peaks read so far
 *   "complete"  gboolean: every peak is in
 * Signals:
 *   "chunk" (guint first, guint n): peaks [first, first + n) arrived
 */
MhWaveform   *mh_waveform_new            (GFile               *file);
GFile        *mh_waveform_get_file       (MhWaveform          *self);
double        mh_waveform_get_duration   (MhWaveform          *self);
guint         mh_waveform_get_n_peaks    (MhWaveform          *self);
gboolean      mh_waveform_get_complete   (MhWaveform          *self);
/* @n_peaks pairs (min, max), -128..127; valid until the next chunk. */
const gint8  *mh_waveform_get_peaks      (MhWaveform          *self,
                                          guint               *n_peaks);
/* The lowest and highest sample between two times, -1..1; FALSE when no
 * peak of that span has arrived yet. */
gboolean      mh_waveform_get_span       (MhWaveform          *self,
                                          double               from,
                                          double               to,
                                          float               *min,
                                          float               *max);

void          mh_waveform_load_async     (MhWaveform          *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean      mh_waveform_load_finish    (MhWaveform          *self,
                                          GAsyncResult        *result,
                                          GError             **error);

/* Forgets every file's peaks (tests). */
void          mh_waveform_clear_cache    (void);

G_END_DECLS
