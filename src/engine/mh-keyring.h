/* mh-keyring.h: the API key in the user's keyring (libsecret)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

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
