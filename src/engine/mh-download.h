/* mh-download.h: one streamed download into a folder, never overwriting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-client.h"

G_BEGIN_DECLS

/* Streams @url (no Authorization) into a hidden temporary file in @dir and
 * renames it into place only when complete, under @name (made safe; see
 * mh_result_name() for how a job picks it) or, when it does not exist yet,
 * "name (2).mp4"... On any failure or cancel the
 * temporary file is removed. Fails with MH_ERROR_EXPIRED when the URL has
 * expired (403): fetch the project again for fresh URLs; MH_ERROR_NOT_FOUND
 * when storage no longer has the file (404); MH_ERROR_UNUSABLE when @url is
 * not an http(s) URL (nothing is fetched); MH_ERROR_NETWORK when no byte
 * arrives for the client's transfer timeout. Finishes with the final file. @temp_tag, when given, ends the temporary file's name
 * (".name.XXXXXXXX.<tag>.part") so a later run can find and remove what a
 * killed one left. */
void      mh_download_async     (MhClient            *client,
                                 const char          *url,
                                 GFile               *dir,
                                 const char          *name,
                                 const char          *temp_tag,
                                 MhProgressFunc       progress,
                                 gpointer             progress_data,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
GFile    *mh_download_finish    (GAsyncResult        *result,
                                 GError             **error);

/* The file name to use for @url: its last path segment, decoded, with
 * separators, control characters and leading dots made harmless; @fallback
 * when nothing usable is left. Never "", ".", ".." or a path. */
char     *mh_download_safe_name (const char          *url,
                                 const char          *fallback);

/* Moves @source to a name in @dir built from @name that does not exist yet,
 * atomically (never replacing a file that appears meanwhile). Blocking. */
GFile    *mh_file_move_unique   (GFile               *source,
                                 GFile               *dir,
                                 const char          *name,
                                 GError             **error);

G_END_DECLS
