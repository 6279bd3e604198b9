/* mh-face-check.h: asking Magic Hour whether a photo has a face
 *
 * Before a headshot or a talking photo is created (and charged), the photo
 * goes to the free face detection: POST /v1/face-detection, then its status
 * is polled until it is complete. A headshot needs exactly one face, a
 * talking photo at least one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mh-client.h"
#include "mh-tool.h"

G_BEGIN_DECLS

/* The key of @tool's photo slot when its jobs check the photo for faces
 * first (headshot, talking photo), else NULL. */
const char *mh_face_check_slot    (const MhTool        *tool);

/* Asks for the faces in @target_file_path (an http(s) URL, or an
 * api-assets/ or saved-items/ path). */
void        mh_face_check_async   (MhClient            *client,
                                   const char          *target_file_path,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
/* TRUE with *@face_urls the crop URL of each face found (an empty vector:
 * none), or TRUE with *@face_urls NULL when the check could not be made and
 * is skipped: a server without the endpoint (404), a detection that ended
 * in error or took too long. FALSE with @error otherwise. */
gboolean    mh_face_check_finish  (GAsyncResult        *result,
                                   GStrv               *face_urls,
                                   GError             **error);

/* Whether @tool's job can go on with @n_faces faces in its photo: NULL, or
 * an MH_ERROR_UNPROCESSABLE error (Magic Hour would refuse the photo) with
 * a sentence saying why not. */
GError     *mh_face_check_verdict (const MhTool        *tool,
                                   guint                n_faces);

G_END_DECLS
