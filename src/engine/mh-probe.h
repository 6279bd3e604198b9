/* mh-probe.h: what a media file really holds
 *
 * A file is judged by its content, not its extension: its streams (video
 * with its frame rate and size, audio, a still image) and its duration.
 * The container's headers tell those for every format the API takes
 * (mh-probe-parse.c, no decoding, no GStreamer); GStreamer's discoverer
 * reads the rest. mh_probe_check_slot() then says, in one sentence, why a
 * file is not what a slot of the tool table needs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mh-tool.h"

G_BEGIN_DECLS

#define MH_TYPE_MEDIA_INFO (mh_media_info_get_type ())

typedef struct
{
  double   duration;    /* seconds; 0 when none or unknown */
  gboolean has_video;   /* a moving-picture stream (a still image is not one) */
  gboolean has_audio;
  gboolean is_image;    /* a still image (a PNG, a JPEG...) */
  double   fps;         /* the first video stream's frame rate; 0 unknown */
  guint    width;       /* of the video or image; 0 unknown */
  guint    height;
  guint64  size;        /* bytes on disk */
  char    *unreadable;  /* why it could not be read as media, a short
                         * translated clause ("it is damaged or cut short");
                         * NULL when it was read */
} MhMediaInfo;

GType        mh_media_info_get_type   (void) G_GNUC_CONST;
MhMediaInfo *mh_media_info_copy       (const MhMediaInfo *info);
void         mh_media_info_free       (MhMediaInfo       *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhMediaInfo, mh_media_info_free)

/* Blocking (milliseconds from the headers, up to a few seconds when the
 * discoverer must read it): call from a worker thread. Returns the info,
 * with ->unreadable set when the content is no media that can be read;
 * NULL with @error only when the file cannot be opened, GStreamer cannot
 * start (when it is needed), or @cancellable was cancelled
 * (G_IO_ERROR_CANCELLED). */
MhMediaInfo *mh_probe_file            (GFile               *file,
                                       GCancellable        *cancellable,
                                       GError             **error);

/* The same in a GTask thread; Cancel stops the discoverer. */
void         mh_probe_file_async      (GFile               *file,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
MhMediaInfo *mh_probe_file_finish     (GAsyncResult        *result,
                                       GError             **error);

/* Whether @info is what @slot needs: a video stream for a video, an audio
 * stream with a length for audio, a still image for an image. FALSE with
 * MH_ERROR_INVALID_INPUT and a sentence that names @display_name
 * ("fake.mp4 is not a video: it holds no video stream.") otherwise. */
gboolean     mh_probe_check_slot      (const MhMediaInfo   *info,
                                       const MhAssetSlot   *slot,
                                       const char          *display_name,
                                       GError             **error);

G_END_DECLS
