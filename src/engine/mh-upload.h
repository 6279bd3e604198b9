/* mh-upload.h: one streamed PUT of a local file to a presigned URL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-client.h"

G_BEGIN_DECLS

/* Streams @file from disk with its real Content-Length and no Authorization.
 * Fails with MH_ERROR_EXPIRED when the URL has expired (403): ask for a new
 * one. Other failures are the usual MH_ERROR codes; retries are the caller's. */
void      mh_upload_put_async  (MhClient            *client,
                                GFile               *file,
                                const char          *upload_url,
                                MhProgressFunc       progress,
                                gpointer             progress_data,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
gboolean  mh_upload_put_finish (GAsyncResult        *result,
                                GError             **error);

G_END_DECLS
