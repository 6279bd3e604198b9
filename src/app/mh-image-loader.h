/* mh-image-loader.h: pictures for the UI, off the main thread
 *
 * A picture from a storage URL (fetched without Authorization, with a cap
 * on its size) or from a file on this computer, decoded in a worker thread
 * into a GdkTexture: scaled to at most @size pixels a side and turned as
 * its EXIF says, or (size 0) as it is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* GETs @url with @session (no Authorization: a storage URL); an answer
 * other than 2xx or larger than @max_bytes is an error. */
void        mh_image_loader_fetch_async (SoupSession         *session,
                                         const char          *url,
                                         gsize                max_bytes,
                                         int                  size,
                                         int                  io_priority,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
void        mh_image_loader_load_async  (GFile               *file,
                                         int                  size,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* The picture of either, or NULL with @error. */
GdkTexture *mh_image_loader_finish      (GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
