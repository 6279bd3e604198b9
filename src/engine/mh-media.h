/* mh-media.h: read a media file's duration from its container header
 *
 * Pure GLib/GIO; no GStreamer. Supports what the API accepts where the
 * container says its own length: MP4/MOV/M4A/M4V, WAV, AIFF, FLAC, Ogg
 * (Vorbis, Opus), MP3 (Xing/Info/VBRI or constant bit rate), WebM/Matroska.
 * A file it cannot read returns FALSE with no error set: the API is the judge
 * of codecs, so an unknown duration never refuses a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Reads only headers (a few KiB, plus a seek for Ogg/MP3); blocking I/O:
 * call from a worker thread (mh_media_probe_duration_async does). Returns
 * TRUE and sets *seconds when the duration is known. Sets @error only for I/O
 * failures (missing file, permission denied). */
gboolean mh_media_read_duration        (GFile               *file,
                                        double              *seconds,
                                        GCancellable        *cancellable,
                                        GError             **error);

/* The same over any seekable stream (a GMemoryInputStream of a header in
 * the tests and the fuzz target): reads from wherever it is, leaves it
 * positioned anywhere. */
gboolean mh_media_read_duration_from_stream (GInputStream    *stream,
                                             double          *seconds,
                                             GCancellable    *cancellable,
                                             GError         **error);

void     mh_media_probe_duration_async (GFile               *file,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
/* Returns the duration in seconds, or a negative value when unknown. */
double   mh_media_probe_duration_finish(GAsyncResult        *result,
                                        GError             **error);

G_END_DECLS
