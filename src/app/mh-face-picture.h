/* mh-face-picture.h: the crop of the face Magic Hour found in a photo
 *
 * Given the crop's URL (MhJob's "face-url"), fetches it asynchronously (no
 * Authorization: it is a storage URL; at most MH_FACE_PICTURE_MAX_BYTES),
 * decodes it off the main thread and shows it. Hidden while there is
 * nothing to show, and when the crop cannot be had: it is a courtesy, the
 * job does not depend on it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MH_FACE_PICTURE_MAX_BYTES (8 * 1024 * 1024)

#define MH_TYPE_FACE_PICTURE (mh_face_picture_get_type ())
G_DECLARE_FINAL_TYPE (MhFacePicture, mh_face_picture, MH, FACE_PICTURE, AdwBin)

/* Properties: "url" (string, read-write), "paintable" (GdkPaintable, read:
 * the crop once shown, else NULL). */
GtkWidget    *mh_face_picture_new           (void);
const char   *mh_face_picture_get_url       (MhFacePicture *self);
void          mh_face_picture_set_url       (MhFacePicture *self,
                                             const char    *url);
GdkPaintable *mh_face_picture_get_paintable (MhFacePicture *self);

G_END_DECLS
