/* mh-filmstrip.c: a row of small pictures taken along a video
 *
 * `uridecodebin ! videoconvert ! videoscale ! RGBA at the height asked !
 * appsink` in PAUSED; for each thumbnail a flushing seek, then the preroll
 * is the picture. Key-frame seeks are fast and right for a strip; a short
 * video (a few key frames in all) seeks exactly instead, or its pictures
 * would all be the same.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <string.h>

#include "mh-filmstrip.h"
#include "mh-gst.h"
#include "mh-media-cache.h"

#define CACHE_SIZE         8
#define ACCURATE_BELOW     120.0   /* seconds of video */
#define STATE_TIMEOUT_US   (15 * G_USEC_PER_SEC)

typedef struct
{
  GBytes *pixels;
  int     width;
  int     height;
  gsize   stride;
} Frame;

struct _MhFilmstrip
{
  GObject   parent_instance;

  GFile    *file;
  guint     n_frames;
  int       height;
  Frame    *frames;
  double    duration;
  gboolean  complete;
  gboolean  loading;
};

G_DEFINE_FINAL_TYPE (MhFilmstrip, mh_filmstrip, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_N_FRAMES,
  PROP_HEIGHT,
  PROP_DURATION,
  PROP_COMPLETE,
  N_PROPS
};

enum {
  FRAME,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
frames_clear (Frame *frames,
              guint  n)
{
  for (guint i = 0; i < n; i++)
    g_clear_pointer (&frames[i].pixels, g_bytes_unref);
}

/* ---- The cache ------------------------------------------------------------ */

typedef struct
{
  Frame  *frames;
  guint   n_frames;
  double  duration;
} CacheEntry;

static Frame *
frames_copy (const Frame *frames,
             guint        n)
{
  Frame *copy = g_new0 (Frame, n);

  for (guint i = 0; i < n; i++)
    {
      copy[i] = frames[i];
      if (copy[i].pixels != NULL)
        g_bytes_ref (copy[i].pixels);
    }
  return copy;
}

static CacheEntry *
cache_entry_copy (const CacheEntry *entry)
{
  CacheEntry *copy = g_new0 (CacheEntry, 1);

  copy->frames = frames_copy (entry->frames, entry->n_frames);
  copy->n_frames = entry->n_frames;
  copy->duration = entry->duration;
  return copy;
}

static void
cache_entry_free (CacheEntry *entry)
{
  frames_clear (entry->frames, entry->n_frames);
  g_free (entry->frames);
  g_free (entry);
}

static MhMediaCache cache = MH_MEDIA_CACHE_INIT (CACHE_SIZE, (GBoxedCopyFunc) cache_entry_copy,
                                                 (GDestroyNotify) cache_entry_free);

static Frame *
cache_lookup (const char *key,
              guint       n_frames,
              double     *duration)
{
  CacheEntry *entry = mh_media_cache_lookup (&cache, key);
  Frame *found = NULL;

  if (entry == NULL)
    return NULL;

  if (entry->n_frames == n_frames)
    {
      found = g_steal_pointer (&entry->frames);
      *duration = entry->duration;
    }
  else
    {
      frames_clear (entry->frames, entry->n_frames);
      g_free (entry->frames);
    }
  g_free (entry);

  return found;
}

static void
cache_store (const char  *key,
             const Frame *frames,
             guint        n_frames,
             double       duration)
{
  CacheEntry *entry = g_new0 (CacheEntry, 1);

  entry->frames = frames_copy (frames, n_frames);
  entry->n_frames = n_frames;
  entry->duration = duration;
  mh_media_cache_store (&cache, key, entry);
}

void
mh_filmstrip_clear_cache (void)
{
  mh_media_cache_clear (&cache);
}

/* The file's key (mh_media_cache_make_key()) and the pictures' height. */
static char *
make_cache_key (GFile         *file,
                int            height,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autofree char *file_key = mh_media_cache_make_key (file, cancellable, error);

  if (file_key == NULL)
    return NULL;

  return g_strdup_printf ("%s\n%d", file_key, height);
}

/* ---- Frames, from the worker to the main context -------------------------- */

typedef struct
{
  MhFilmstrip *self;
  guint        index;     /* G_MAXUINT: only the duration */
  Frame        frame;
  double       duration;
} Delivery;

static void
delivery_free (gpointer data)
{
  Delivery *delivery = data;

  g_object_unref (delivery->self);
  g_clear_pointer (&delivery->frame.pixels, g_bytes_unref);
  g_free (delivery);
}

static gboolean
deliver_cb (gpointer data)
{
  Delivery *delivery = data;
  MhFilmstrip *self = delivery->self;

  if (delivery->duration >= 0 && delivery->duration != self->duration)
    {
      self->duration = delivery->duration;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
    }

  if (delivery->index < self->n_frames && delivery->frame.pixels != NULL)
    {
      Frame *frame = &self->frames[delivery->index];

      g_clear_pointer (&frame->pixels, g_bytes_unref);
      *frame = delivery->frame;
      delivery->frame.pixels = NULL;
      g_signal_emit (self, signals[FRAME], 0, delivery->index);
    }

  return G_SOURCE_REMOVE;
}

/* Not g_main_context_invoke(): from a worker thread it runs the function
 * right there whenever the main thread is between two iterations, and the
 * signal would reach GTK from the wrong thread. */
static void
attach_idle (GMainContext   *context,
             GSourceFunc     function,
             gpointer        data,
             GDestroyNotify  notify)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, function, data, notify);
  g_source_set_static_name (source, "[mh] media chunk");
  g_source_attach (source, context);
}

static void
send_frame (GTask       *task,
            guint        index,
            const Frame *frame,
            double       duration)
{
  Delivery *delivery = g_new0 (Delivery, 1);

  delivery->self = g_object_ref (g_task_get_source_object (task));
  delivery->index = index;
  if (frame != NULL)
    {
      delivery->frame = *frame;
      if (frame->pixels != NULL)
        g_bytes_ref (frame->pixels);
    }
  delivery->duration = duration;
  attach_idle (g_task_get_context (task), deliver_cb, delivery, delivery_free);
}

/* ---- The worker ----------------------------------------------------------- */

typedef struct
{
  GFile *file;
  guint  n_frames;
  int    height;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_object_unref (data->file);
  g_free (data);
}

static gboolean
skip_audio_cb (GstElement *bin,
               GstPad     *pad,
               GstCaps    *caps,
               gpointer    user_data)
{
  return !g_str_has_prefix (gst_structure_get_name (gst_caps_get_structure (caps, 0)), "audio/");
}

static void
element_added_cb (GstBin     *bin,
                  GstElement *element,
                  gpointer    user_data)
{
  if (g_signal_lookup ("autoplug-continue", G_OBJECT_TYPE (element)) != 0)
    g_signal_connect (element, "autoplug-continue", G_CALLBACK (skip_audio_cb), NULL);
}

static gboolean
set_error_from_bus (GstElement  *pipeline,
                    GError     **error)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  g_autoptr(GError) gst_error = NULL;

  if (message == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The pictures of this video cannot be read."));
      return FALSE;
    }

  gst_message_parse_error (message, &gst_error, NULL);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               _("The pictures of this video cannot be read: %s"), gst_error->message);
  return TRUE;
}

/* Waits for a state change (a preroll after a seek) a tenth of a second at
 * a time, so Cancel is heard. */
static gboolean
wait_for_state (GstElement    *pipeline,
                GCancellable  *cancellable,
                GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + STATE_TIMEOUT_US;

  while (TRUE)
    {
      GstStateChangeReturn ret = gst_element_get_state (pipeline, NULL, NULL, 100 * GST_MSECOND);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (ret == GST_STATE_CHANGE_SUCCESS || ret == GST_STATE_CHANGE_NO_PREROLL)
        return TRUE;
      if (ret == GST_STATE_CHANGE_FAILURE)
        {
          set_error_from_bus (pipeline, error);
          return FALSE;
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("The pictures of this video took too long to read."));
          return FALSE;
        }
    }
}

static gboolean
sample_to_frame (GstSample *sample,
                 Frame     *frame)
{
  GstVideoInfo info;
  GstVideoFrame vframe;
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstCaps *caps = gst_sample_get_caps (sample);
  guint8 *pixels;
  const guint8 *src;
  int src_stride;

  if (buffer == NULL || caps == NULL || !gst_video_info_from_caps (&info, caps))
    return FALSE;
  if (!gst_video_frame_map (&vframe, &info, buffer, GST_MAP_READ))
    return FALSE;

  frame->width = GST_VIDEO_FRAME_WIDTH (&vframe);
  frame->height = GST_VIDEO_FRAME_HEIGHT (&vframe);
  frame->stride = (gsize) frame->width * 4;
  src = GST_VIDEO_FRAME_PLANE_DATA (&vframe, 0);
  src_stride = GST_VIDEO_FRAME_PLANE_STRIDE (&vframe, 0);
  pixels = g_malloc (frame->stride * frame->height);
  for (int y = 0; y < frame->height; y++)
    memcpy (pixels + y * frame->stride, src + y * src_stride, frame->stride);
  frame->pixels = g_bytes_new_take (pixels, frame->stride * frame->height);
  gst_video_frame_unmap (&vframe);

  return TRUE;
}

static gboolean
take_frames (GTask         *task,
             LoadData      *data,
             Frame         *frames,
             double        *duration_out,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) decoder = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autofree char *uri = g_file_get_uri (data->file);
  g_autofree char *description = NULL;
  GstSeekFlags flags;
  gint64 duration = 0;
  gboolean ok = FALSE;

  description = g_strdup_printf ("uridecodebin name=decoder ! videoconvert ! videoscale ! "
                                 "video/x-raw,format=RGBA,height=%d,pixel-aspect-ratio=1/1 ! "
                                 "appsink name=sink sync=false max-buffers=1", data->height);
  pipeline = gst_parse_launch (description, error);
  if (pipeline == NULL)
    return FALSE;

  decoder = gst_bin_get_by_name (GST_BIN (pipeline), "decoder");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (decoder, "uri", uri, NULL);
  g_signal_connect (decoder, "element-added", G_CALLBACK (element_added_cb), NULL);

  if (gst_element_set_state (pipeline, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE)
    {
      set_error_from_bus (pipeline, error);
      goto out;
    }
  if (!wait_for_state (pipeline, cancellable, error))
    goto out;

  if (!gst_element_query_duration (pipeline, GST_FORMAT_TIME, &duration) || duration <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The length of this video is not known."));
      goto out;
    }
  *duration_out = (double) duration / GST_SECOND;
  send_frame (task, G_MAXUINT, NULL, *duration_out);

  flags = GST_SEEK_FLAG_FLUSH;
  if (*duration_out < ACCURATE_BELOW)
    flags |= GST_SEEK_FLAG_ACCURATE;
  else
    flags |= GST_SEEK_FLAG_KEY_UNIT | GST_SEEK_FLAG_SNAP_NEAREST;

  for (guint i = 0; i < data->n_frames; i++)
    {
      g_autoptr(GstSample) sample = NULL;
      gint64 position = (gint64) ((i + 0.5) * duration / data->n_frames);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;

      if (!gst_element_seek_simple (pipeline, GST_FORMAT_TIME, flags, position))
        continue;
      if (!wait_for_state (pipeline, cancellable, error))
        goto out;

      /* Past the data of a file cut short: EOS, no picture. */
      sample = gst_app_sink_try_pull_preroll (GST_APP_SINK (sink), 2 * GST_SECOND);
      if (sample == NULL || !sample_to_frame (sample, &frames[i]))
        continue;
      send_frame (task, i, &frames[i], *duration_out);
    }
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
  LoadData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  Frame *frames;
  double duration = -1;

  if (!mh_gst_ensure_init (&error) ||
      (key = make_cache_key (data->file, data->height, cancellable, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if ((frames = cache_lookup (key, data->n_frames, &duration)) != NULL)
    {
      send_frame (task, G_MAXUINT, NULL, duration);
      for (guint i = 0; i < data->n_frames; i++)
        if (frames[i].pixels != NULL)
          send_frame (task, i, &frames[i], duration);
      frames_clear (frames, data->n_frames);
      g_free (frames);
      g_task_return_boolean (task, TRUE);
      return;
    }

  frames = g_new0 (Frame, data->n_frames);
  if (take_frames (task, data, frames, &duration, cancellable, &error))
    cache_store (key, frames, data->n_frames, duration);
  frames_clear (frames, data->n_frames);
  g_free (frames);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* ---- The object ----------------------------------------------------------- */

static void
mh_filmstrip_finalize (GObject *object)
{
  MhFilmstrip *self = MH_FILMSTRIP (object);

  frames_clear (self->frames, self->n_frames);
  g_free (self->frames);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (mh_filmstrip_parent_class)->finalize (object);
}

static void
mh_filmstrip_constructed (GObject *object)
{
  MhFilmstrip *self = MH_FILMSTRIP (object);

  G_OBJECT_CLASS (mh_filmstrip_parent_class)->constructed (object);

  self->frames = g_new0 (Frame, self->n_frames);
}

static void
mh_filmstrip_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MhFilmstrip *self = MH_FILMSTRIP (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_N_FRAMES:
      g_value_set_uint (value, self->n_frames);
      break;

    case PROP_HEIGHT:
      g_value_set_int (value, self->height);
      break;

    case PROP_DURATION:
      g_value_set_double (value, self->duration);
      break;

    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_filmstrip_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MhFilmstrip *self = MH_FILMSTRIP (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;

    case PROP_N_FRAMES:
      self->n_frames = g_value_get_uint (value);
      break;

    case PROP_HEIGHT:
      self->height = g_value_get_int (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_filmstrip_class_init (MhFilmstripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = mh_filmstrip_constructed;
  object_class->finalize = mh_filmstrip_finalize;
  object_class->get_property = mh_filmstrip_get_property;
  object_class->set_property = mh_filmstrip_set_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_FRAMES] =
    g_param_spec_uint ("n-frames", NULL, NULL, 1, 1000, 16,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEIGHT] =
    g_param_spec_int ("height", NULL, NULL, 8, 1024, 64,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DURATION] =
    g_param_spec_double ("duration", NULL, NULL, -1, G_MAXDOUBLE, -1,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[FRAME] =
    g_signal_new ("frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
mh_filmstrip_init (MhFilmstrip *self)
{
  self->duration = -1;
  self->n_frames = 16;
  self->height = 64;
}

MhFilmstrip *
mh_filmstrip_new (GFile *file,
                  guint  n_frames,
                  int    height)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (MH_TYPE_FILMSTRIP, "file", file, "n-frames", n_frames, "height", height, NULL);
}

GFile *
mh_filmstrip_get_file (MhFilmstrip *self)
{
  g_return_val_if_fail (MH_IS_FILMSTRIP (self), NULL);

  return self->file;
}

guint
mh_filmstrip_get_n_frames (MhFilmstrip *self)
{
  g_return_val_if_fail (MH_IS_FILMSTRIP (self), 0);

  return self->n_frames;
}

double
mh_filmstrip_get_duration (MhFilmstrip *self)
{
  g_return_val_if_fail (MH_IS_FILMSTRIP (self), -1);

  return self->duration;
}

gboolean
mh_filmstrip_get_complete (MhFilmstrip *self)
{
  g_return_val_if_fail (MH_IS_FILMSTRIP (self), FALSE);

  return self->complete;
}

double
mh_filmstrip_get_frame_time (MhFilmstrip *self,
                             guint        index)
{
  g_return_val_if_fail (MH_IS_FILMSTRIP (self), 0);

  return (index + 0.5) * MAX (self->duration, 0) / self->n_frames;
}

GBytes *
mh_filmstrip_get_frame (MhFilmstrip *self,
                        guint        index,
                        int         *width,
                        int         *height,
                        gsize       *stride)
{
  Frame *frame;

  g_return_val_if_fail (MH_IS_FILMSTRIP (self), NULL);

  if (index >= self->n_frames || self->frames[index].pixels == NULL)
    return NULL;

  frame = &self->frames[index];
  if (width != NULL)
    *width = frame->width;
  if (height != NULL)
    *height = frame->height;
  if (stride != NULL)
    *stride = frame->stride;
  return frame->pixels;
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  MhFilmstrip *self = MH_FILMSTRIP (source);
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

void
mh_filmstrip_load_async (MhFilmstrip         *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) inner = NULL;
  LoadData *data;
  GTask *outer;

  g_return_if_fail (MH_IS_FILMSTRIP (self));
  g_return_if_fail (!self->loading);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, mh_filmstrip_load_async);
  self->loading = TRUE;
  self->complete = FALSE;

  data = g_new0 (LoadData, 1);
  data->file = g_object_ref (self->file);
  data->n_frames = self->n_frames;
  data->height = self->height;

  inner = g_task_new (self, cancellable, load_done_cb, outer);
  g_task_set_task_data (inner, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (inner, load_thread);
}

gboolean
mh_filmstrip_load_finish (MhFilmstrip   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
