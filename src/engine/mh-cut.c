/* mh-cut.c: only the part of a speech file that a job uses
 *
 * The cut is `uridecodebin ! audioconvert ! audioresample ! wavenc !
 * filesink` brought to PAUSED, then a flushing, accurate seek with a start
 * and a stop, then PLAYING until EOS: 3 s out of a two-hour WAV take a few
 * hundredths of a second, as only that part is read.
 *
 * The sound is held back at audioconvert's input until the seek is done,
 * so the encoder sees nothing of the file before the range. Else wavenc
 * (plugins-good 1.22) pushes its header with the first buffer, the sink
 * prerolls on that header, the seek's flush makes the push return
 * FLUSHING, and wavenc returns without dropping the buffer it was given: a
 * leak of one buffer per cut (LeakSanitizer, build-aux/run-sanitized-tests).
 * WAV, not FLAC: flacenc's stream header is lost the same way and that
 * pipeline never ends (docs in the media guide).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <string.h>

#include "mh-cut.h"
#include "mh-error.h"
#include "mh-gst.h"
#include "mh-media.h"
#include "mh-validate.h"

/* Containers round their lengths: a range may end this far past the end. */
#define END_SLACK_SECONDS 0.05

gboolean
mh_cut_is_worth_it (const MhAssetSlot *slot,
                    guint64            file_bytes,
                    double             file_seconds,
                    double             start,
                    double             end)
{
  g_return_val_if_fail (slot != NULL, FALSE);

  if (!slot->cut_to_range || file_bytes <= MH_CUT_MIN_FILE_BYTES)
    return FALSE;
  if (file_seconds <= 0 || start < 0 || end <= start || start >= file_seconds)
    return FALSE;

  return MIN (end, file_seconds) - start < MH_CUT_MAX_SHARE * file_seconds;
}

void
mh_cut_free (MhCut *cut)
{
  if (cut == NULL)
    return;
  g_clear_object (&cut->file);
  g_free (cut);
}

gboolean
mh_cut_remove (MhCut   *cut,
               GError **error)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (cut != NULL && cut->file != NULL, FALSE);

  dir = g_file_get_parent (cut->file);
  if (!g_file_delete (cut->file, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_clear_error (&local_error);
  if (dir != NULL && !g_file_delete (dir, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* The pipeline                                                             */

typedef struct
{
  GFile  *source;
  double  start;
  double  end;
} CutData;

static void
cut_data_free (CutData *data)
{
  g_clear_object (&data->source);
  g_free (data);
}

typedef struct
{
  GstElement *pipeline;
  GstElement *convert;
  GstElement *sink;
  GstBus     *bus;
  char       *name;       /* the source's name, for messages */
  GstPad     *gate;       /* audioconvert's input, held until the seek */
  gulong      hold_id;    /* the probe that holds it, 0 once removed */
  gint        held;       /* the first buffer is held (atomic) */
} Pipeline;

/* In a streaming thread: keeps every buffer at the gate (events and
 * queries pass) and tells the cut's thread once the first one is there,
 * when the stream's format and length are known. */
static GstPadProbeReturn
hold_cb (GstPad          *pad,
         GstPadProbeInfo *info,
         gpointer         user_data)
{
  Pipeline *p = user_data;

  if (g_atomic_int_compare_and_exchange (&p->held, 0, 1))
    gst_bus_post (p->bus, gst_message_new_application (NULL, gst_structure_new_empty ("mh-held")));
  return GST_PAD_PROBE_OK;
}

static void
pad_added_cb (GstElement *decoder,
              GstPad     *pad,
              Pipeline   *p)
{
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  const char *media = NULL;
  g_autoptr(GstPad) sink = NULL;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  if (caps != NULL && gst_caps_get_size (caps) > 0)
    media = gst_structure_get_name (gst_caps_get_structure (caps, 0));

  sink = gst_element_get_static_pad (p->convert, "sink");
  if (media != NULL && g_str_has_prefix (media, "audio/") && !gst_pad_is_linked (sink))
    {
      gst_pad_link (pad, sink);
      return;
    }

  /* Anything else (a video track, a second sound track) is read and
   * dropped, so it neither stalls nor fails the stream that is cut. */
  {
    GstElement *fake = gst_element_factory_make ("fakesink", NULL);
    g_autoptr(GstPad) fake_sink = NULL;

    if (fake == NULL)
      return;
    g_object_set (fake, "sync", FALSE, "async", FALSE, NULL);
    gst_bin_add (GST_BIN (p->pipeline), fake);
    gst_element_sync_state_with_parent (fake);
    fake_sink = gst_element_get_static_pad (fake, "sink");
    gst_pad_link (pad, fake_sink);
  }
}

static void
no_more_pads_cb (GstElement *decoder,
                 Pipeline   *p)
{
  g_autoptr(GstPad) sink = gst_element_get_static_pad (p->convert, "sink");

  if (!gst_pad_is_linked (sink))
    gst_bus_post (p->bus, gst_message_new_application (NULL, gst_structure_new_empty ("mh-no-audio")));
}

static void
cancelled_cb (GCancellable *cancellable,
              GstBus       *bus)
{
  gst_bus_post (bus, gst_message_new_application (NULL, gst_structure_new_empty ("mh-cancel")));
}

static gboolean
build (Pipeline    *p,
       GFile       *source,
       const char  *out_path,
       GError     **error)
{
  g_autofree char *uri = g_file_get_uri (source);
  GstElement *decoder = gst_element_factory_make ("uridecodebin", NULL);
  GstElement *resample = gst_element_factory_make ("audioresample", NULL);
  GstElement *encoder = gst_element_factory_make ("wavenc", NULL);
  GstElement *sink = gst_element_factory_make ("filesink", NULL);

  p->sink = sink;
  p->convert = gst_element_factory_make ("audioconvert", NULL);
  p->pipeline = gst_pipeline_new ("mh-cut");
  p->bus = gst_pipeline_get_bus (GST_PIPELINE (p->pipeline));

  if (decoder == NULL || p->convert == NULL || resample == NULL || encoder == NULL || sink == NULL)
    {
      g_clear_object (&decoder);
      g_clear_object (&resample);
      g_clear_object (&encoder);
      g_clear_object (&sink);
      g_clear_object (&p->convert);
      g_set_error_literal (error, MH_ERROR, MH_ERROR_INVALID_INPUT,
                           _("Cannot cut the speech: a part of GStreamer it needs is missing (install gstreamer1.0-plugins-base and gstreamer1.0-plugins-good)."));
      return FALSE;
    }

  g_object_set (decoder, "uri", uri, NULL);
  g_object_set (sink, "location", out_path, "sync", FALSE, NULL);
  gst_bin_add_many (GST_BIN (p->pipeline), decoder, p->convert, resample, encoder, sink, NULL);
  gst_element_link_many (p->convert, resample, encoder, sink, NULL);
  p->gate = gst_element_get_static_pad (p->convert, "sink");
  p->hold_id = gst_pad_add_probe (p->gate,
                                  GST_PAD_PROBE_TYPE_BLOCK | GST_PAD_PROBE_TYPE_BUFFER |
                                  GST_PAD_PROBE_TYPE_BUFFER_LIST,
                                  hold_cb, p, NULL);
  g_signal_connect (decoder, "pad-added", G_CALLBACK (pad_added_cb), p);
  g_signal_connect (decoder, "no-more-pads", G_CALLBACK (no_more_pads_cb), p);
  return TRUE;
}

/* Waits for a message of @type, or for the application message @name if
 * not NULL; FALSE with @error after an error, a file without sound or a
 * cancel. */
static gboolean
wait_for (Pipeline        *p,
          GstMessageType   type,
          const char      *name,
          GError         **error)
{
  for (;;)
    {
      g_autoptr(GstMessage) message =
        gst_bus_timed_pop_filtered (p->bus, GST_CLOCK_TIME_NONE,
                                    type | GST_MESSAGE_ERROR | GST_MESSAGE_APPLICATION);
      const GstStructure *s;

      if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
        {
          g_autoptr(GError) gst_error = NULL;
          g_autofree char *debug = NULL;

          gst_message_parse_error (message, &gst_error, &debug);
          g_debug ("cutting %s: %s (%s)", p->name, gst_error->message, debug);
          if (GST_MESSAGE_SRC (message) == GST_OBJECT (p->sink))
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         _("Could not write the part of “%s” to upload: %s"),
                         p->name, gst_error->message);
          else
            g_set_error (error, MH_ERROR, MH_ERROR_INVALID_INPUT,
                         _("“%s” could not be read as sound: %s"), p->name, gst_error->message);
          return FALSE;
        }

      if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_APPLICATION)
        {
          if (GST_MESSAGE_TYPE (message) == type)
            return TRUE;
          continue;
        }

      s = gst_message_get_structure (message);
      if (name != NULL && gst_structure_has_name (s, name))
        return TRUE;
      if (gst_structure_has_name (s, "mh-cancel"))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Canceled"));
          return FALSE;
        }
      if (gst_structure_has_name (s, "mh-no-audio"))
        {
          g_set_error (error, MH_ERROR, MH_ERROR_INVALID_INPUT,
                       _("“%s” has no sound to cut."), p->name);
          return FALSE;
        }
    }
}

static gboolean
range_error (GError     **error,
             const char  *name,
             gboolean     at_start,
             double       at,
             double       length)
{
  g_autofree char *a = mh_format_time (at);
  g_autofree char *l = mh_format_time (length);

  /* A negative length: the file ends before @at, by how much is unknown. */
  if (at_start && length < 0)
    g_set_error (error, MH_ERROR, MH_ERROR_INVALID_INPUT,
                 _("The range starts at %s, past the end of “%s”."), a, name);
  else if (at_start)
    g_set_error (error, MH_ERROR, MH_ERROR_INVALID_INPUT,
                 _("The range starts at %s, past the end of “%s”, which is %s long."), a, name, l);
  else
    g_set_error (error, MH_ERROR, MH_ERROR_INVALID_INPUT,
                 _("The range ends at %s, past the end of “%s”, which is %s long."), a, name, l);
  return FALSE;
}

static gboolean
run (Pipeline      *p,
     CutData       *data,
     GError       **error)
{
  gint64 duration = -1;
  double seconds = -1;

  /* A failure to start posts its error, which the wait reads. The sink
   * prerolls only if no buffer came to the gate (a file with no samples,
   * which ends at once): then there is nothing to seek in. */
  gst_element_set_state (p->pipeline, GST_STATE_PAUSED);
  if (!wait_for (p, GST_MESSAGE_ASYNC_DONE, "mh-held", error))
    return FALSE;
  if (!g_atomic_int_get (&p->held))
    {
      gst_pad_remove_probe (p->gate, p->hold_id);
      p->hold_id = 0;
      gst_element_set_state (p->pipeline, GST_STATE_PLAYING);
      return wait_for (p, GST_MESSAGE_EOS, NULL, error);
    }

  if (gst_pad_peer_query_duration (p->gate, GST_FORMAT_TIME, &duration) && duration > 0)
    {
      seconds = (double) duration / GST_SECOND;
      if (data->start >= seconds)
        return range_error (error, p->name, TRUE, data->start, seconds);
      if (data->end > seconds + END_SLACK_SECONDS)
        return range_error (error, p->name, FALSE, data->end, seconds);
    }

  /* Upstream from the gate: its flush frees the held buffer, and the
   * first buffer of the range is held again until the probe goes. */
  if (!gst_pad_push_event (p->gate,
                           gst_event_new_seek (1.0, GST_FORMAT_TIME,
                                               GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
                                               GST_SEEK_TYPE_SET,
                                               (GstClockTime) (data->start * GST_SECOND),
                                               GST_SEEK_TYPE_SET,
                                               (GstClockTime) (data->end * GST_SECOND))))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID_INPUT,
                   _("“%s” cannot be cut: its format does not allow going to a time in it."),
                   p->name);
      return FALSE;
    }
  gst_pad_remove_probe (p->gate, p->hold_id);
  p->hold_id = 0;
  if (!wait_for (p, GST_MESSAGE_ASYNC_DONE, NULL, error))
    return FALSE;

  gst_element_set_state (p->pipeline, GST_STATE_PLAYING);
  return wait_for (p, GST_MESSAGE_EOS, NULL, error);
}

static char *
wav_name (GFile *source)
{
  g_autofree char *base = g_file_get_basename (source);
  char *dot;

  if (base == NULL || *base == '\0' || g_str_equal (base, "/"))
    return g_strdup ("speech.wav");
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_strconcat (base, ".wav", NULL);
}

static void
cut_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  CutData *data = task_data;
  Pipeline p = { 0 };
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *out_path = NULL;
  g_autoptr(GFile) out = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(MhCut) cut = NULL;
  GError *error = NULL;
  gulong cancel_id = 0;
  gboolean ok;
  double seconds = 0;

  if (!mh_gst_ensure_init (&error))
    {
      g_task_return_error (task, error);
      return;
    }

  dir = g_dir_make_tmp ("magic-hour-cut-XXXXXX", &error);
  if (dir == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  name = wav_name (data->source);
  out_path = g_build_filename (dir, name, NULL);
  out = g_file_new_for_path (out_path);
  {
    g_autofree char *path = g_file_get_path (data->source);
    p.name = path != NULL ? g_filename_display_basename (path) : g_file_get_uri (data->source);
  }

  ok = build (&p, data->source, out_path, &error);
  if (ok)
    {
      if (cancellable != NULL)
        cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), p.bus, NULL);
      ok = run (&p, data, &error);
      gst_element_set_state (p.pipeline, GST_STATE_NULL);
      if (cancel_id != 0)
        g_cancellable_disconnect (cancellable, cancel_id);
    }
  /* At NULL no streaming thread is left to call the probe. */
  g_clear_object (&p.gate);
  g_clear_object (&p.bus);
  g_clear_object (&p.pipeline);

  if (ok)
    {
      info = g_file_query_info (out, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                                cancellable, &error);
      ok = info != NULL;
    }
  if (ok && g_cancellable_set_error_if_cancelled (cancellable, &error))
    ok = FALSE;
  if (ok && !mh_media_read_duration (out, &seconds, cancellable, &error))
    {
      if (error == NULL)
        g_set_error (&error, MH_ERROR, MH_ERROR_INVALID_INPUT,
                     _("The part of “%s” to upload could not be read back."), p.name);
      ok = FALSE;
    }
  /* A range the container's length did not give away as too long. */
  if (ok && seconds <= 0)
    ok = range_error (&error, p.name, TRUE, data->start, -1);
  else if (ok && seconds + END_SLACK_SECONDS < data->end - data->start)
    ok = range_error (&error, p.name, FALSE, data->end, data->start + seconds);

  if (!ok)
    {
      g_unlink (out_path);
      g_rmdir (dir);
      g_free (p.name);
      g_task_return_error (task, error);
      return;
    }

  cut = g_new0 (MhCut, 1);
  cut->file = g_steal_pointer (&out);
  cut->size = g_file_info_get_size (info);
  cut->seconds = seconds;
  g_free (p.name);
  g_task_return_pointer (task, g_steal_pointer (&cut), (GDestroyNotify) mh_cut_free);
}

void
mh_cut_audio_async (GFile               *source,
                    double               start,
                    double               end,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CutData *data;

  g_return_if_fail (G_IS_FILE (source));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mh_cut_audio_async);
  /* A cut made is always handed over, even if cancelled just after: its
   * owner removes it. Else the task would drop it, and leave its file. */
  g_task_set_check_cancellable (task, FALSE);
  data = g_new0 (CutData, 1);
  data->source = g_object_ref (source);
  data->start = MAX (start, 0);
  data->end = end;
  g_task_set_task_data (task, data, (GDestroyNotify) cut_data_free);
  g_task_run_in_thread (task, cut_thread);
}

MhCut *
mh_cut_audio_finish (GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
