/* mh-cut.h: only the part of a speech file that a job uses
 *
 * For a talking photo the time range applies to the speech alone, so when
 * the range is a small part of a big file, the part is cut locally to a
 * lossless WAV and that is uploaded instead (with the range 0 to its
 * length). mh_cut_is_worth_it() says when, from the tool table's
 * cut_to_range flag and the thresholds below; mh_cut_audio_async() cuts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mh-tool.h"

G_BEGIN_DECLS

/* Files up to this size go whole: the cut would save seconds at most. */
#define MH_CUT_MIN_FILE_BYTES (4 * 1024 * 1024)
/* A range of at least this share of the file's length goes whole. */
#define MH_CUT_MAX_SHARE 0.5

/* Whether the range [@start, @end) of the file in @slot (@file_bytes
 * long, @file_seconds of media; <= 0 when unknown) is better cut than
 * uploaded whole. Pure; FALSE when the length is unknown. */
gboolean     mh_cut_is_worth_it     (const MhAssetSlot   *slot,
                                     guint64              file_bytes,
                                     double               file_seconds,
                                     double               start,
                                     double               end);

typedef struct
{
  GFile   *file;      /* the WAV, alone in a temporary folder of its own */
  guint64  size;      /* its bytes */
  double   seconds;   /* its decoded length */
} MhCut;

void         mh_cut_free            (MhCut               *cut);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhCut, mh_cut_free)

/* Cuts [@start, @end) seconds of the audio in @source (any format
 * GStreamer decodes) to a WAV named after @source ("speech.mp3" gives
 * "speech.wav") in a new folder under g_get_tmp_dir(). Streams: memory
 * does not grow with the file. Cancelling stops the pipeline; a failed or
 * cancelled cut leaves nothing behind. Errors: MH_ERROR_INVALID_INPUT for a
 * file that cannot be decoded or a range past its end. */
void         mh_cut_audio_async     (GFile               *source,
                                     double               start,
                                     double               end,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
MhCut       *mh_cut_audio_finish    (GAsyncResult        *result,
                                     GError             **error);

/* Removes the cut's file and its folder. Blocking: call from a thread. */
gboolean     mh_cut_remove          (MhCut               *cut,
                                     GError             **error);

G_END_DECLS
