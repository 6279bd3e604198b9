/* mh-keyring.h: the API key in the user's keyring (libsecret)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Every operation gives up after this long: libsecret's call is cancelled
 * and the operation fails with G_IO_ERROR_TIMED_OUT, a sentence saying the
 * keyring did not answer. A keyring that answers at all answers within
 * milliseconds, or shows an unlock prompt (a locked keyring): from then on
 * the person, not the limit, decides (see mh-keyring.c). The caller's own
 * cancel fails with G_IO_ERROR_CANCELLED, at once too. */
#define MH_KEYRING_TIMEOUT_SECONDS 5


void      mh_keyring_lookup_async  (GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
/* The key, or NULL with no error when none is stored. Free with mh_keyring_free_key(). */
char     *mh_keyring_lookup_finish (GAsyncResult        *result,
                                    GError             **error);
void      mh_keyring_store_async   (const char          *api_key,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  mh_keyring_store_finish  (GAsyncResult        *result,
                                    GError             **error);
void      mh_keyring_clear_async   (GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  mh_keyring_clear_finish  (GAsyncResult        *result,
                                    GError             **error);
/* Overwrites the key's memory before freeing it. */
void      mh_keyring_free_key      (char                *api_key);

G_END_DECLS
