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
#include "mh-media-cache.h"
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

static CacheEntry *
cache_entry_copy (const CacheEntry *entry)
{
  CacheEntry *copy = g_new0 (CacheEntry, 1);

  copy->peaks = g_bytes_ref (entry->peaks);
  copy->duration = entry->duration;
  return copy;
}

static void
cache_entry_free (CacheEntry *entry)
{
  g_bytes_unref (entry->peaks);
  g_free (entry);
}

static MhMediaCache cache = MH_MEDIA_CACHE_INIT (CACHE_SIZE, (GBoxedCopyFunc) cache_entry_copy,
                                                 (GDestroyNotify) cache_entry_free);

static gboolean
cache_lookup (const char  *key,
              GBytes     **peaks,
              double      *duration)
{
  CacheEntry *entry = mh_media_cache_lookup (&cache, key);

  if (entry == NULL)
    return FALSE;

  *peaks = g_steal_pointer (&entry->peaks);
  *duration = entry->duration;
  g_free (entry);
  return TRUE;
}

static void
cache_store (const char *key,
             GBytes     *peaks,
             double      duration)
{
  CacheEntry *entry = g_new0 (CacheEntry, 1);

  entry->peaks = g_bytes_ref (peaks);
  entry->duration = duration;
  mh_media_cache_store (&cache, key, entry);
}

void
mh_waveform_clear_cache (void)
{
  mh_media_cache_clear (&cache);
}

/* ---- Loading ---------------------------------------------------------------
 *
 * The pipeline is built and its state changed on the loading thread's main
 * context (state changes made from a worker thread left GTK's frame clock
 * stalled under X11 when GTK's own media player ran beside it); the
 * samples are reduced in GStreamer's streaming thread, and the peaks reach
 * the main context every tenth of a second. Only the file's size and time
 * are read in a GTask thread, for the cache key. */

typedef struct
{
  GTask        *task;        /* source object: the MhWaveform */
  GMainContext *context;
  char         *key;
  GstElement   *pipeline;
  GSource      *bus_source;
  gulong        cancel_id;
  gboolean      done;

  GMutex        lock;        /* guards what the streaming thread writes */
  GByteArray   *all;         /* every peak so far */
  double        duration;
  gboolean      flush_pending;

  /* The streaming thread's own */
  int           min, max;
  guint         count;
  gint64        last_flush;
} Load;

static void
load_clear (Load *load)
{
  g_clear_object (&load->task);
  g_clear_pointer (&load->context, g_main_context_unref);
  g_free (load->key);
  g_clear_pointer (&load->all, g_byte_array_unref);
  g_mutex_clear (&load->lock);
}

static Load *
load_ref (Load *load)
{
  return g_rc_box_acquire (load);
}

static void
load_unref (Load *load)
{
  g_rc_box_release_full (load, (GDestroyNotify) load_clear);
}

static void
attach_idle (GMainContext   *context,
             GSourceFunc     function,
             gpointer        data,
             GDestroyNotify  notify)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, function, data, notify);
  g_source_set_static_name (source, "[mh] waveform");
  g_source_attach (source, context);
}

/* On the main context: the peaks that came since the last time. */
static void
deliver_peaks (MhWaveform   *self,
               const guint8 *bytes,
               gsize         size,
               double        duration)
{
  guint first = self->peaks->len / 2;

  g_object_freeze_notify (G_OBJECT (self));
  if (duration >= 0 && duration != self->duration)
    {
      self->duration = duration;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
    }
  if (size >= 2)
    {
      g_byte_array_append (self->peaks, bytes, size - size % 2);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PEAKS]);
      g_signal_emit (self, signals[CHUNK], 0, first, (guint) (size / 2));
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
flush_load (Load *load)
{
  MhWaveform *self = g_task_get_source_object (load->task);
  g_autoptr(GBytes) bytes = NULL;
  gsize have = self->peaks->len;
  double duration;

  g_mutex_lock (&load->lock);
  load->flush_pending = FALSE;
  if (load->all->len > have)
    bytes = g_bytes_new (load->all->data + have, load->all->len - have);
  duration = load->duration;
  g_mutex_unlock (&load->lock);

  if (bytes != NULL)
    deliver_peaks (self, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), duration);
  else
    deliver_peaks (self, NULL, 0, duration);
}

static gboolean
flush_idle_cb (gpointer data)
{
  Load *load = data;

  /* Nothing more after a cancel, though flushes asked for before it run. */
  if (!load->done && !g_cancellable_is_cancelled (g_task_get_cancellable (load->task)))
    flush_load (load);
  return G_SOURCE_REMOVE;
}

static void
close_peak (Load *load)
{
  gint8 pair[2];

  /* Round outwards so a quiet sound still shows a line. */
  pair[0] = (gint8) CLAMP ((int) floor (load->min / 256.0), -128, 127);
  pair[1] = (gint8) CLAMP ((int) ceil (load->max / 256.0), -128, 127);
  g_byte_array_append (load->all, (const guint8 *) pair, 2);
  load->min = G_MAXINT;
  load->max = G_MININT;
  load->count = 0;
}

/* GStreamer's streaming thread. */
static GstFlowReturn
new_sample_cb (GstAppSink *sink,
               gpointer    user_data)
{
  Load *load = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  GstBuffer *buffer = sample != NULL ? gst_sample_get_buffer (sample) : NULL;
  GstMapInfo map;
  gboolean flush = FALSE;

  /* A cancel stops the decoding here and now: the main context, which
   * tears the pipeline down, may be busy for a while yet, and a long WAV
   * decodes at hundreds of MB a second. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (load->task)))
    return GST_FLOW_FLUSHING;

  if (buffer == NULL || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return GST_FLOW_OK;

  g_mutex_lock (&load->lock);
  for (gsize i = 0; i < map.size / 2; i++)
    {
      int s = GINT16_FROM_LE (((const gint16 *) map.data)[i]);

      load->min = MIN (load->min, s);
      load->max = MAX (load->max, s);
      if (++load->count == SAMPLES_PER_PEAK)
        close_peak (load);
    }
  if (g_get_monotonic_time () - load->last_flush >= CHUNK_INTERVAL_US && !load->flush_pending)
    {
      load->flush_pending = TRUE;
      load->last_flush = g_get_monotonic_time ();
      flush = TRUE;
    }
  g_mutex_unlock (&load->lock);
  gst_buffer_unmap (buffer, &map);

  if (flush)
    attach_idle (load->context, flush_idle_cb, load_ref (load), (GDestroyNotify) load_unref);

  return GST_FLOW_OK;
}

/* On the main context: stops everything and reports. */
static void
finish_load (Load   *load,
             GError *error)
{
  GTask *task;

  if (load->done)
    {
      g_clear_error (&error);
      return;
    }
  load->done = TRUE;

  if (load->bus_source != NULL)
    {
      g_source_destroy (load->bus_source);
      g_clear_pointer (&load->bus_source, g_source_unref);
    }
  if (load->pipeline != NULL)
    {
      gst_element_set_state (load->pipeline, GST_STATE_NULL);
      g_clear_object (&load->pipeline);
    }
  g_cancellable_disconnect (g_task_get_cancellable (load->task), load->cancel_id);
  load->cancel_id = 0;

  task = g_object_ref (load->task);
  if (error != NULL)
    {
      g_task_return_error (task, error);
    }
  else
    {
      g_autoptr(GBytes) all = NULL;

      flush_load (load);
      g_mutex_lock (&load->lock);
      all = g_bytes_new (load->all->data, load->all->len);
      g_mutex_unlock (&load->lock);
      cache_store (load->key, all, load->duration);
      g_task_return_boolean (task, TRUE);
    }
  g_object_unref (task);
}

static gboolean
bus_cb (GstBus     *bus,
        GstMessage *message,
        gpointer    user_data)
{
  Load *load = user_data;
  gint64 duration = -1;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_EOS:
      /* Every sample went through the sink before its end did. */
      g_mutex_lock (&load->lock);
      if (load->count > 0)
        close_peak (load);
      load->duration = (double) (load->all->len / 2) / MH_WAVEFORM_RATE;
      g_mutex_unlock (&load->lock);
      /* The last peaks go out as a chunk before the end is reported, so
       * that every reading has one; a cancel from its handler counts. */
      flush_load (load);
      if (g_cancellable_is_cancelled (g_task_get_cancellable (load->task)))
        finish_load (load, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Canceled")));
      else
        finish_load (load, NULL);
      return G_SOURCE_REMOVE;

    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) gst_error = NULL;

        gst_message_parse_error (message, &gst_error, NULL);
        finish_load (load, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                        _("The sound of this file cannot be read: %s"), gst_error->message));
        return G_SOURCE_REMOVE;
      }

    case GST_MESSAGE_ASYNC_DONE:
    case GST_MESSAGE_DURATION_CHANGED:
      if (load->pipeline != NULL &&
          gst_element_query_duration (load->pipeline, GST_FORMAT_TIME, &duration) && duration > 0)
        {
          g_mutex_lock (&load->lock);
          load->duration = (double) duration / GST_SECOND;
          g_mutex_unlock (&load->lock);
          flush_load (load);
        }
      break;

    default:
      break;
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
cancel_idle_cb (gpointer data)
{
  Load *load = data;

  finish_load (load, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Canceled")));
  return G_SOURCE_REMOVE;
}

/* Any thread. */
static void
cancelled_cb (GCancellable *cancellable,
              Load         *load)
{
  attach_idle (load->context, cancel_idle_cb, load_ref (load), (GDestroyNotify) load_unref);
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

static void
start_pipeline (Load *load)
{
  MhWaveform *self = g_task_get_source_object (load->task);
  g_autoptr(GstElement) decoder = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_file_get_uri (self->file);
  g_autofree char *description = NULL;
  GstAppSinkCallbacks callbacks = { .new_sample = new_sample_cb };

  description = g_strdup_printf ("uridecodebin name=decoder ! audioconvert ! audioresample ! "
                                 "audio/x-raw,format=S16LE,channels=1,rate=%d ! "
                                 "appsink name=sink sync=false max-buffers=16", DECODE_RATE);
  load->pipeline = gst_parse_launch (description, &error);
  if (load->pipeline == NULL)
    {
      finish_load (load, g_steal_pointer (&error));
      return;
    }
  gst_object_ref_sink (load->pipeline);

  decoder = gst_bin_get_by_name (GST_BIN (load->pipeline), "decoder");
  sink = gst_bin_get_by_name (GST_BIN (load->pipeline), "sink");
  g_object_set (decoder, "uri", uri, NULL);
  g_signal_connect (decoder, "element-added", G_CALLBACK (element_added_cb), NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, load_ref (load), (GDestroyNotify) load_unref);

  bus = gst_element_get_bus (load->pipeline);
  load->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (load->bus_source, (GSourceFunc) G_CALLBACK (bus_cb), load_ref (load),
                         (GDestroyNotify) load_unref);
  g_source_attach (load->bus_source, load->context);

  load->cancel_id = g_cancellable_connect (g_task_get_cancellable (load->task), G_CALLBACK (cancelled_cb),
                                           load_ref (load), (GDestroyNotify) load_unref);
  if (load->done)
    return;

  if (gst_element_set_state (load->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    finish_load (load, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                            _("The sound of this file cannot be read.")));
}

/* ---- The cache key, in a worker ------------------------------------------- */

typedef struct
{
  char   *key;
  GBytes *cached;
  double  duration;
} KeyResult;

static void
key_result_free (KeyResult *result)
{
  g_free (result->key);
  g_clear_pointer (&result->cached, g_bytes_unref);
  g_free (result);
}

static void
key_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GFile *file = task_data;
  KeyResult *result = g_new0 (KeyResult, 1);
  GError *error = NULL;

  result->duration = -1;
  result->key = mh_media_cache_make_key (file, cancellable, &error);
  if (result->key == NULL)
    {
      key_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  cache_lookup (result->key, &result->cached, &result->duration);
  g_task_return_pointer (task, result, (GDestroyNotify) key_result_free);
}

static void
key_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Load *load = user_data;
  MhWaveform *self = MH_WAVEFORM (source);
  KeyResult *key;
  GError *error = NULL;

  key = g_task_propagate_pointer (G_TASK (result), &error);
  if (key == NULL)
    {
      finish_load (load, error);
      load_unref (load);
      return;
    }

  load->key = g_steal_pointer (&key->key);
  if (key->cached != NULL)
    {
      gsize size;
      const guint8 *bytes = g_bytes_get_data (key->cached, &size);

      /* From the cache: in one piece, at once. */
      g_mutex_lock (&load->lock);
      g_byte_array_append (load->all, bytes, size);
      load->duration = key->duration;
      g_mutex_unlock (&load->lock);
      deliver_peaks (self, bytes, size, key->duration);
      load->done = TRUE;
      g_task_return_boolean (load->task, TRUE);
    }
  else if (!mh_gst_ensure_init (&error))
    {
      finish_load (load, error);
    }
  else
    {
      start_pipeline (load);
    }

  key_result_free (key);
  load_unref (load);
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

/* Reads the peaks; "chunk" comes on the calling thread's main context as
 * they do. Cancelling stops the decoder; what arrived stays. */
void
mh_waveform_load_async (MhWaveform          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) key_task = NULL;
  g_autoptr(GCancellable) own = NULL;
  GTask *outer;
  Load *load;

  g_return_if_fail (MH_IS_WAVEFORM (self));
  g_return_if_fail (!self->loading);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, mh_waveform_load_async);

  /* Again from the start, a cancelled load's peaks forgotten. */
  g_byte_array_set_size (self->peaks, 0);
  self->complete = FALSE;
  self->loading = TRUE;

  if (cancellable == NULL)
    cancellable = own = g_cancellable_new ();

  /* The inner task reports through load_done_cb to the outer one. */
  load = g_rc_box_new0 (Load);
  g_mutex_init (&load->lock);
  load->task = g_task_new (self, cancellable, load_done_cb, outer);
  g_task_set_check_cancellable (load->task, FALSE);
  load->context = g_main_context_ref_thread_default ();
  load->all = g_byte_array_new ();
  load->duration = -1;
  load->min = G_MAXINT;
  load->max = G_MININT;
  load->last_flush = g_get_monotonic_time ();

  key_task = g_task_new (self, cancellable, key_done_cb, load);
  g_task_set_task_data (key_task, g_object_ref (self->file), g_object_unref);
  g_task_run_in_thread (key_task, key_thread);
}

gboolean
mh_waveform_load_finish (MhWaveform    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
