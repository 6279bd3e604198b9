/* store-key.c: saves an API key in the keyring the way the app's
 * Preferences does (mh_keyring_store_async, the same schema), so that the
 * startup benchmark's app finds one where a person's would.
 *
 *   store-key KEY
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "mh-keyring.h"

typedef struct
{
  GMainLoop *loop;
  GError    *error;
} Store;

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Store *store = user_data;

  mh_keyring_store_finish (result, &store->error);
  g_main_loop_quit (store->loop);
}

int
main (int   argc,
      char *argv[])
{
  Store store = { NULL, NULL };

  if (argc != 2)
    {
      fprintf (stderr, "Usage: %s KEY\n", argv[0]);
      return 2;
    }

  store.loop = g_main_loop_new (NULL, FALSE);
  mh_keyring_store_async (argv[1], NULL, stored_cb, &store);
  g_main_loop_run (store.loop);
  g_main_loop_unref (store.loop);

  if (store.error != NULL)
    {
      fprintf (stderr, "store-key: %s\n", store.error->message);
      g_error_free (store.error);
      return 1;
    }
  return 0;
}
