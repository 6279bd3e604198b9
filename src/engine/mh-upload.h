/* mh-upload.h: one streamed PUT of a local file to a presigned URL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-client.h"

G_BEGIN_DECLS

/* Streams @file from disk with its real Content-Length and no Authorization.
 * Fails with MH_ERROR_EXPIRED when the URL has expired (403): ask for a new
 * one; MH_ERROR_NOT_FOUND when storage does not know it (404);
 * MH_ERROR_UNUSABLE when it is not an http(s) URL (nothing is sent);
 * MH_ERROR_NETWORK when storage takes no byte and gives no answer for the
 * client's transfer timeout. Other failures are the usual MH_ERROR codes;
 * retries are the caller's. */
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
