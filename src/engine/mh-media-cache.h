/* mh-media-cache.h: a small cache of what was read from media files
 *
 * The waveform and the filmstrip decode a file once and keep the result,
 * keyed by the file's location, size and modification time (a file saved
 * again is read again), for the few files a session goes back and forth
 * between. A cache is a static MhMediaCache made with MH_MEDIA_CACHE_INIT;
 * every call is safe from any thread. The key is made in a worker: it
 * reads the file's information.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  /*< private >*/
  GMutex          lock;
  GHashTable     *entries;   /* key -> value */
  GQueue          order;     /* keys, oldest first */
  guint           size;
  GBoxedCopyFunc  copy;
  GDestroyNotify  free;
} MhMediaCache;

/* At most @n_entries values, the oldest stored dropped first; @copy_func
 * gives a lookup its own copy of a value, @free_func frees one. */
#define MH_MEDIA_CACHE_INIT(n_entries, copy_func, free_func) \
  { .order = G_QUEUE_INIT, .size = (n_entries), .copy = (copy_func), .free = (free_func) }

char     *mh_media_cache_make_key (GFile         *file,
                                   GCancellable  *cancellable,
                                   GError       **error);
gpointer  mh_media_cache_lookup   (MhMediaCache  *cache,
                                   const char    *key);
void      mh_media_cache_store    (MhMediaCache  *cache,
                                   const char    *key,
                                   gpointer       value);
void      mh_media_cache_clear    (MhMediaCache  *cache);

G_END_DECLS
