/* mh-waveform.c: the loudness of a media file over time, for drawing
 *
 * The worker decodes with `uridecodebin ! audioconvert ! audioresample !
 * S16LE mono 8 kHz ! appsink` (a 2-hour WAV in about 3.4 s, 14 MB of
 * memory) and reduces each 10 ms to its lowest and highest sample as the
 * buffers come. It hands what it has to the loading thread's main context
 * every tenth of a second: no peak is kept twice for long, and the main
 * loop only ever copies a chunk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <math.h>
#include <string.h>

#include "mh-gst.h"
#include "mh-waveform.h"

#define DECODE_RATE        8000
#define SAMPLES_PER_PEAK   (DECODE_RATE / MH_WAVEFORM_RATE)
#define CHUNK_INTERVAL_US  (100 * G_TIME_SPAN_MILLISECOND)
#define CACHE_SIZE         8

struct _MhWaveform
{
  GObject     parent_instance;

  GFile      *file;
  GByteArray *peaks;     /* (min, max) pairs */
  double      duration;
  gboolean    complete;
  gboolean    loading;
};

G_DEFINE_FINAL_TYPE (MhWaveform, mh_waveform, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_DURATION,
  PROP_N_PEAKS,
  PROP_COMPLETE,
  N_PROPS
};

enum {
  CHUNK,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- The cache ------------------------------------------------------------ */

typedef struct
{
  GBytes *peaks;
  double  duration;
} CacheEntry;

static GMutex cache_lock;
static GHashTable *cache;       /* key -> CacheEntry */
static GQueue cache_order = G_QUEUE_INIT;  /* keys, oldest first */

static void
cache_entry_free (CacheEntry *entry)
{
  g_bytes_unref (entry->peaks);
  g_free (entry);
}

static gboolean
cache_lookup (const char  *key,
              GBytes     **peaks,
              double      *duration)
{
  CacheEntry *entry;
  gboolean found = FALSE;

  g_mutex_lock (&cache_lock);
  if (cache != NULL && (entry = g_hash_table_lookup (cache, key)) != NULL)
    {
      *peaks = g_bytes_ref (entry->peaks);
      *duration = entry->duration;
      found = TRUE;
    }
  g_mutex_unlock (&cache_lock);

  return found;
}

static void
cache_store (const char *key,
             GBytes     *peaks,
             double      duration)
{
  CacheEntry *entry = g_new0 (CacheEntry, 1);

  entry->peaks = g_bytes_ref (peaks);
  entry->duration = duration;

  g_mutex_lock (&cache_lock);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) cache_entry_free);
  if (!g_hash_table_contains (cache, key))
    g_queue_push_tail (&cache_order, g_strdup (key));
  g_hash_table_replace (cache, g_strdup (key), entry);
  while (g_queue_get_length (&cache_order) > CACHE_SIZE)
    {
      g_autofree char *oldest = g_queue_pop_head (&cache_order);

      g_hash_table_remove (cache, oldest);
    }
  g_mutex_unlock (&cache_lock);
}

void
mh_waveform_clear_cache (void)
{
  g_mutex_lock (&cache_lock);
  g_clear_pointer (&cache, g_hash_table_unref);
  g_queue_clear_full (&cache_order, g_free);
  g_mutex_unlock (&cache_lock);
}

/* Path, size and modification time: a file saved again is read again. */
static char *
make_cache_key (GFile         *file,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *uri = g_file_get_uri (file);
  g_autoptr(GDateTime) mtime = NULL;

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return NULL;

  mtime = g_file_info_get_modification_date_time (info);

  return g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT, uri,
                          (gint64) g_file_info_get_size (info),
                          mtime != NULL ? g_date_time_to_unix (mtime) * G_USEC_PER_SEC +
                                          g_date_time_get_microsecond (mtime) : 0);
}

/* ---- Chunks, from the worker to the main context -------------------------- */

typedef struct
{
  MhWaveform *self;
  guint       first;
  GBytes     *peaks;
  double      duration;
} Chunk;

static void
chunk_free (gpointer data)
{
  Chunk *chunk = data;

  g_object_unref (chunk->self);
  g_bytes_unref (chunk->peaks);
  g_free (chunk);
}

static gboolean
chunk_deliver_cb (gpointer data)
{
  Chunk *chunk = data;
  MhWaveform *self = chunk->self;
  gsize size;
  const guint8 *bytes = g_bytes_get_data (chunk->peaks, &size);
  guint n = size / 2;

  g_object_freeze_notify (G_OBJECT (self));

  if (chunk->duration >= 0 && chunk->duration != self->duration)
    {
      self->duration = chunk->duration;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
    }

  /* A chunk of a load that was cancelled and started again is dropped. */
  if (n > 0 && chunk->first == self->peaks->len / 2)
    {
      g_byte_array_append (self->peaks, bytes, size);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PEAKS]);
      g_signal_emit (self, signals[CHUNK], 0, chunk->first, n);
    }

  g_object_thaw_notify (G_OBJECT (self));

  return G_SOURCE_REMOVE;
}

static void
send_chunk (GTask      *task,
            guint       first,
            GBytes     *peaks,
            double      duration)
{
  Chunk *chunk = g_new0 (Chunk, 1);

  chunk->self = g_object_ref (g_task_get_source_object (task));
  chunk->first = first;
  chunk->peaks = g_bytes_ref (peaks);
  chunk->duration = duration;
  g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT,
                              chunk_deliver_cb, chunk, chunk_free);
}

/* ---- The worker ----------------------------------------------------------- */

typedef struct
{
  GTask      *task;
  GByteArray *all;        /* every peak so far */
  guint       sent;       /* peaks already handed over */
  gint64      last_sent;  /* monotonic time */
  double      duration;
  int         min, max;   /* the peak being filled */
  guint       count;      /* its samples */
} Reducer;

static void
flush_chunk (Reducer *r)
{
  g_autoptr(GBytes) bytes = NULL;
  guint n = r->all->len / 2;

  if (n == r->sent)
    return;

  bytes = g_bytes_new (r->all->data + r->sent * 2, (n - r->sent) * 2);
  send_chunk (r->task, r->sent, bytes, r->duration);
  r->sent = n;
  r->last_sent = g_get_monotonic_time ();
}

static void
close_peak (Reducer *r)
{
  gint8 pair[2];

  /* Round outwards so a quiet sound still shows a line. */
  pair[0] = (gint8) CLAMP ((int) floor (r->min / 256.0), -128, 127);
  pair[1] = (gint8) CLAMP ((int) ceil (r->max / 256.0), -128, 127);
  g_byte_array_append (r->all, (const guint8 *) pair, 2);
  r->min = G_MAXINT;
  r->max = G_MININT;
  r->count = 0;
}

static void
reduce_samples (Reducer      *r,
                const gint16 *samples,
                gsize         n)
{
  for (gsize i = 0; i < n; i++)
    {
      int s = GINT16_FROM_LE (samples[i]);

      if (s < r->min)
        r->min = s;
      if (s > r->max)
        r->max = s;
      if (++r->count == SAMPLES_PER_PEAK)
        close_peak (r);
    }
}

/* Decoding stops at raw audio; a video stream beside it is left as it is
 * in the file rather than decoded for nothing. */
static gboolean
autoplug_continue_cb (GstElement *bin,
                      GstPad     *pad,
                      GstCaps    *caps,
                      gpointer    user_data)
{
  GstStructure *s = gst_caps_get_structure (caps, 0);

  return !g_str_has_prefix (gst_structure_get_name (s), "video/") &&
         !g_str_has_prefix (gst_structure_get_name (s), "image/");
}

static void
element_added_cb (GstBin     *bin,
                  GstElement *element,
                  gpointer    user_data)
{
  if (g_signal_lookup ("autoplug-continue", G_OBJECT_TYPE (element)) != 0)
    g_signal_connect (element, "autoplug-continue", G_CALLBACK (autoplug_continue_cb), NULL);
}

static gboolean
bus_error (GstBus  *bus,
           GError **error)
{
  g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  g_autoptr(GError) gst_error = NULL;

  if (message == NULL)
    return FALSE;

  gst_message_parse_error (message, &gst_error, NULL);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               _("The sound of this file cannot be read: %s"), gst_error->message);
  return TRUE;
}

static gboolean
decode_peaks (Reducer       *r,
              GFile         *file,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) decoder = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *description = NULL;
  gboolean ok = FALSE;
  gint64 duration = -1;

  description = g_strdup_printf ("uridecodebin name=decoder ! audioconvert ! audioresample ! "
                                 "audio/x-raw,format=S16LE,channels=1,rate=%d ! "
                                 "appsink name=sink sync=false max-buffers=16", DECODE_RATE);
  pipeline = gst_parse_launch (description, error);
  if (pipeline == NULL)
    return FALSE;

  decoder = gst_bin_get_by_name (GST_BIN (pipeline), "decoder");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (decoder, "uri", uri, NULL);
  g_signal_connect (decoder, "element-added", G_CALLBACK (element_added_cb), NULL);
  bus = gst_element_get_bus (pipeline);

  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      if (!bus_error (bus, error))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The sound of this file cannot be read."));
      goto out;
    }

  while (TRUE)
    {
      g_autoptr(GstSample) sample = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;

      sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 100 * GST_MSECOND);
      if (sample != NULL)
        {
          GstBuffer *buffer = gst_sample_get_buffer (sample);
          GstMapInfo map;

          if (r->duration < 0 && gst_element_query_duration (pipeline, GST_FORMAT_TIME, &duration) && duration > 0)
            r->duration = (double) duration / GST_SECOND;

          if (buffer != NULL && gst_buffer_map (buffer, &map, GST_MAP_READ))
            {
              reduce_samples (r, (const gint16 *) map.data, map.size / 2);
              gst_buffer_unmap (buffer, &map);
            }
          if (g_get_monotonic_time () - r->last_sent >= CHUNK_INTERVAL_US)
            flush_chunk (r);
          continue;
        }

      if (gst_app_sink_is_eos (GST_APP_SINK (sink)))
        break;
      if (bus_error (bus, error))
        goto out;
    }

  if (r->count > 0)
    close_peak (r);
  /* The samples are the truth for the length. */
  r->duration = (double) (r->all->len / 2) / MH_WAVEFORM_RATE;
  ok = TRUE;

out:
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return ok;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autofree char *key = NULL;
  g_autoptr(GBytes) cached = NULL;
  g_autoptr(GError) error = NULL;
  double duration = -1;
  Reducer r = {
    .task = task,
    .duration = -1,
    .min = G_MAXINT,
    .max = G_MININT,
  };

  if (!mh_gst_ensure_init (&error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  key = make_cache_key (file, cancellable, &error);
  if (key == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (cache_lookup (key, &cached, &duration))
    {
      send_chunk (task, 0, cached, duration);
      g_task_return_boolean (task, TRUE);
      return;
    }

  r.all = g_byte_array_new ();
  r.last_sent = g_get_monotonic_time ();
  if (!decode_peaks (&r, file, cancellable, &error))
    {
      g_byte_array_unref (r.all);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  flush_chunk (&r);
  if (r.sent == 0)
    send_chunk (task, 0, cached = g_bytes_new (NULL, 0), r.duration);
  g_clear_pointer (&cached, g_bytes_unref);
  cached = g_byte_array_free_to_bytes (r.all);
  cache_store (key, cached, r.duration);
  g_task_return_boolean (task, TRUE);
}

/* ---- The object ----------------------------------------------------------- */

static void
mh_waveform_finalize (GObject *object)
{
  MhWaveform *self = MH_WAVEFORM (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->peaks, g_byte_array_unref);

  G_OBJECT_CLASS (mh_waveform_parent_class)->finalize (object);
}

static void
mh_waveform_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MhWaveform *self = MH_WAVEFORM (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_DURATION:
      g_value_set_double (value, self->duration);
      break;

    case PROP_N_PEAKS:
      g_value_set_uint (value, self->peaks->len / 2);
      break;

    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_waveform_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  MhWaveform *self = MH_WAVEFORM (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_waveform_class_init (MhWaveformClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mh_waveform_finalize;
  object_class->get_property = mh_waveform_get_property;
  object_class->set_property = mh_waveform_set_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DURATION] =
    g_param_spec_double ("duration", NULL, NULL, -1, G_MAXDOUBLE, -1,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_PEAKS] =
    g_param_spec_uint ("n-peaks", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHUNK] =
    g_signal_new ("chunk", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
mh_waveform_init (MhWaveform *self)
{
  self->peaks = g_byte_array_new ();
  self->duration = -1;
}

MhWaveform *
mh_waveform_new (GFile *file)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (MH_TYPE_WAVEFORM, "file", file, NULL);
}

GFile *
mh_waveform_get_file (MhWaveform *self)
{
  g_return_val_if_fail (MH_IS_WAVEFORM (self), NULL);

  return self->file;
}

double
mh_waveform_get_duration (MhWaveform *self)
{
  g_return_val_if_fail (MH_IS_WAVEFORM (self), -1);

  return self->duration;
}

guint
mh_waveform_get_n_peaks (MhWaveform *self)
{
  g_return_val_if_fail (MH_IS_WAVEFORM (self), 0);

  return self->peaks->len / 2;
}

gboolean
mh_waveform_get_complete (MhWaveform *self)
{
  g_return_val_if_fail (MH_IS_WAVEFORM (self), FALSE);

  return self->complete;
}

const gint8 *
mh_waveform_get_peaks (MhWaveform *self,
                       guint      *n_peaks)
{
  g_return_val_if_fail (MH_IS_WAVEFORM (self), NULL);

  if (n_peaks != NULL)
    *n_peaks = self->peaks->len / 2;
  return (const gint8 *) self->peaks->data;
}

gboolean
mh_waveform_get_span (MhWaveform *self,
                      double      from,
                      double      to,
                      float      *min,
                      float      *max)
{
  const gint8 *peaks;
  guint n = self->peaks->len / 2;
  gint64 first, last;
  int lo = 127, hi = -128;

  g_return_val_if_fail (MH_IS_WAVEFORM (self), FALSE);

  first = (gint64) floor (from * MH_WAVEFORM_RATE);
  last = (gint64) ceil (to * MH_WAVEFORM_RATE);
  first = MAX (first, 0);
  if (first >= n)
    return FALSE;
  last = CLAMP (last, first + 1, (gint64) n);

  peaks = (const gint8 *) self->peaks->data;
  for (gint64 i = first; i < last; i++)
    {
      lo = MIN (lo, peaks[2 * i]);
      hi = MAX (hi, peaks[2 * i + 1]);
    }

  *min = lo / 128.0f;
  *max = hi / 128.0f;
  return TRUE;
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  MhWaveform *self = MH_WAVEFORM (source);
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  self->loading = FALSE;
  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      self->complete = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
      g_task_return_boolean (task, TRUE);
    }
  else
    {
      g_task_return_error (task, g_steal_pointer (&error));
    }
  g_object_unref (task);
}

/* Reads the peaks in a worker thread; "chunk" comes on the calling thread's
 * main context as they do. Cancelling stops the decoder within a tenth of a
 * second; what arrived stays. */
void
mh_waveform_load_async (MhWaveform          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) inner = NULL;
  GTask *outer;

  g_return_if_fail (MH_IS_WAVEFORM (self));
  g_return_if_fail (!self->loading);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, mh_waveform_load_async);

  /* Again from the start, a cancelled load's peaks forgotten. */
  g_byte_array_set_size (self->peaks, 0);
  self->complete = FALSE;
  self->loading = TRUE;

  /* The inner task runs the thread; the outer one reports after the last
   * chunk, which was queued before the inner task returned. */
  inner = g_task_new (self, cancellable, load_done_cb, outer);
  g_task_set_task_data (inner, g_object_ref (self->file), g_object_unref);
  g_task_run_in_thread (inner, load_thread);
}

gboolean
mh_waveform_load_finish (MhWaveform    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
