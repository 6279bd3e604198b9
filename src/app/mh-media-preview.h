/* mh-media-preview.h: the chosen photo or video, shown large
 *
 * A photo is decoded in a worker thread; a video plays through GStreamer
 * with its own play/pause button and the time. Either is fitted to the
 * width given, no taller than "max-height", on a rounded card. With nothing
 * chosen (or a link, which is not fetched) a small placeholder says what
 * will show here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  MH_MEDIA_PREVIEW_NONE,
  MH_MEDIA_PREVIEW_PHOTO,
  MH_MEDIA_PREVIEW_VIDEO,
} MhMediaPreviewKind;

#define MH_TYPE_MEDIA_PREVIEW_KIND (mh_media_preview_kind_get_type ())
GType mh_media_preview_kind_get_type (void);

#define MH_TYPE_MEDIA_PREVIEW (mh_media_preview_get_type ())
G_DECLARE_FINAL_TYPE (MhMediaPreview, mh_media_preview, MH, MEDIA_PREVIEW, GtkWidget)

/* Properties:
 *   "file"          GFile, nullable: the local file shown
 *   "value"         string, nullable: an asset value as the file rows hold
 *                   it; a local path is shown, a link or a saved item is not
 *   "kind"          MhMediaPreviewKind, read-only: what "file" is, by its
 *                   extension (the tool table's types)
 *   "media-stream"  GtkMediaStream, read-only: the video playing here, to
 *                   bind other controls to; NULL for a photo or nothing
 *   "max-height"    int: the tallest the media is shown, in pixels
 *   "icon-name"     string: the placeholder's icon (the kind of file asked for)
 */
GtkWidget          *mh_media_preview_new              (void);
void                mh_media_preview_set_file         (MhMediaPreview *self,
                                                       GFile          *file);
GFile              *mh_media_preview_get_file         (MhMediaPreview *self);
void                mh_media_preview_set_value        (MhMediaPreview *self,
                                                       const char     *value);
const char         *mh_media_preview_get_value        (MhMediaPreview *self);
MhMediaPreviewKind  mh_media_preview_get_kind         (MhMediaPreview *self);
GtkMediaStream     *mh_media_preview_get_media_stream (MhMediaPreview *self);
/* The photo once decoded, or the video's stream: what is drawn; NULL while
 * loading, with nothing chosen, or when the file cannot be shown. */
GdkPaintable       *mh_media_preview_get_paintable    (MhMediaPreview *self);
void                mh_media_preview_set_max_height   (MhMediaPreview *self,
                                                       int             max_height);
int                 mh_media_preview_get_max_height   (MhMediaPreview *self);
void                mh_media_preview_set_icon_name    (MhMediaPreview *self,
                                                       const char     *icon_name);
void                mh_media_preview_set_empty_text   (MhMediaPreview *self,
                                                       const char     *text);

G_END_DECLS
