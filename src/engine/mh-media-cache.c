/* mh-media-cache.c: a small cache of what was read from media files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mh-media-cache.h"

/* Location, size and modification time: a file saved again is read again.
 * NULL with @error set when the file's information cannot be read. */
char *
mh_media_cache_make_key (GFile         *file,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GDateTime) mtime = NULL;
  g_autofree char *uri = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return NULL;

  uri = g_file_get_uri (file);
  mtime = g_file_info_get_modification_date_time (info);

  return g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT, uri,
                          (gint64) g_file_info_get_size (info),
                          mtime != NULL ? g_date_time_to_unix (mtime) * G_USEC_PER_SEC +
                                          g_date_time_get_microsecond (mtime) : 0);
}

/* A copy of the value stored under @key (the cache's copy function made
 * it; free it with its free function), or NULL. */
gpointer
mh_media_cache_lookup (MhMediaCache *cache,
                       const char   *key)
{
  gpointer value;
  gpointer found = NULL;

  g_return_val_if_fail (cache != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  g_mutex_lock (&cache->lock);
  if (cache->entries != NULL && (value = g_hash_table_lookup (cache->entries, key)) != NULL)
    found = cache->copy (value);
  g_mutex_unlock (&cache->lock);

  return found;
}

/* Keeps @value (the cache owns it) under @key, in place of what was there. */
void
mh_media_cache_store (MhMediaCache *cache,
                      const char   *key,
                      gpointer      value)
{
  g_return_if_fail (cache != NULL);
  g_return_if_fail (key != NULL);
  g_return_if_fail (value != NULL);

  g_mutex_lock (&cache->lock);
  if (cache->entries == NULL)
    cache->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cache->free);
  if (!g_hash_table_contains (cache->entries, key))
    g_queue_push_tail (&cache->order, g_strdup (key));
  g_hash_table_replace (cache->entries, g_strdup (key), value);
  while (g_queue_get_length (&cache->order) > cache->size)
    {
      g_autofree char *oldest = g_queue_pop_head (&cache->order);

      g_hash_table_remove (cache->entries, oldest);
    }
  g_mutex_unlock (&cache->lock);
}

void
mh_media_cache_clear (MhMediaCache *cache)
{
  g_return_if_fail (cache != NULL);

  g_mutex_lock (&cache->lock);
  g_clear_pointer (&cache->entries, g_hash_table_unref);
  g_queue_clear_full (&cache->order, g_free);
  g_mutex_unlock (&cache->lock);
}
