/* mh-timeline.c: the part of a recording to use, picked on its picture
 *
 * The timeline holds the part (start, end), the media's length and the
 * style's limit, loads what the strip draws (MhWaveform, MhFilmstrip: in
 * workers, drawn as they arrive), and plays the part. Values set from
 * outside (the typed fields, bound both ways) are shown as they are; only
 * a person's moves of the handles are bounded, and the reason shows when
 * the style's limit is what stopped one.
 *
 * Playing a part: seek to its start and play; every timestamp the stream
 * reports (each tenth of a second) schedules the stop for the time left,
 * so the stream is paused at the end rather than up to a tenth after it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "mh-gst.h"
#include "mh-timeline-private.h"
#include "mh-validate.h"

#define FILMSTRIP_FRAMES  24
#define FILMSTRIP_HEIGHT  64
#define MIN_SPAN          1.0     /* seconds shown at the most zoomed in */
#define SELECTION_SHARE   0.6     /* of the view, after Zoom to Selection */

G_DEFINE_FINAL_TYPE (MhTimeline, mh_timeline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_START,
  PROP_END,
  PROP_DURATION,
  PROP_MAX_CLIP,
  PROP_MAX_CLIP_LABEL,
  PROP_FILE,
  PROP_KIND,
  PROP_SECONDARY_FILE,
  PROP_MEDIA_STREAM,
  PROP_LOOP,
  PROP_PLAYING,
  PROP_POSITION,
  PROP_ZOOM,
  PROP_REASON,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


/* ---- The view ------------------------------------------------------------- */

double
mh_timeline_get_extent (MhTimeline *self)
{
  if (self->duration > 0)
    return self->duration;
  if (self->waveform != NULL && mh_waveform_get_duration (self->waveform) > 0)
    return mh_waveform_get_duration (self->waveform);
  if (self->filmstrip != NULL && mh_filmstrip_get_duration (self->filmstrip) > 0)
    return mh_filmstrip_get_duration (self->filmstrip);
  return 0;
}

static double
max_zoom (MhTimeline *self)
{
  return MAX (1, mh_timeline_get_extent (self) / MIN_SPAN);
}

void
mh_timeline_get_view (MhTimeline *self,
                      double     *view_start,
                      double     *span)
{
  double extent = mh_timeline_get_extent (self);
  double zoom = CLAMP (self->zoom, 1, max_zoom (self));

  *span = extent / zoom;
  *view_start = CLAMP (self->view_start, 0, MAX (0, extent - *span));
}

static void
update_zoom_buttons (MhTimeline *self)
{
  gboolean known = mh_timeline_get_extent (self) > 0;

  gtk_widget_set_sensitive (self->zoom_in_button, known && self->zoom < max_zoom (self) - 1e-6);
  gtk_widget_set_sensitive (self->zoom_out_button, known && self->zoom > 1 + 1e-6);
  gtk_widget_set_sensitive (self->zoom_all_button, known && self->zoom > 1 + 1e-6);
  gtk_widget_set_sensitive (self->zoom_selection_button, known && self->end > self->start);
}

void
mh_timeline_scroll_view (MhTimeline *self,
                         double      view_start)
{
  double old_start, span;

  mh_timeline_get_view (self, &old_start, &span);
  self->view_start = CLAMP (view_start, 0, MAX (0, mh_timeline_get_extent (self) - span));
  if (self->view_start != old_start)
    mh_timeline_strip_update (self->strip);
}

/* A part changed from outside that is out of a zoomed view: bring it in. */
static void
keep_selection_in_view (MhTimeline *self)
{
  double view_start, span;

  if (self->zoom <= 1 || self->end <= self->start)
    return;

  mh_timeline_get_view (self, &view_start, &span);
  if (self->end - self->start > span)
    return;
  if (self->start < view_start)
    mh_timeline_scroll_view (self, self->start - span * 0.1);
  else if (self->end > view_start + span)
    mh_timeline_scroll_view (self, self->end - span * 0.9);
}

/* ---- The part ------------------------------------------------------------- */

static void
set_reason (MhTimeline *self,
            char       *reason)
{
  if (g_strcmp0 (reason, self->reason) == 0)
    {
      g_free (reason);
      return;
    }

  g_free (self->reason);
  self->reason = reason;
  gtk_label_set_label (self->reason_label, reason != NULL ? reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), reason != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
}

static char *
describe_limit (MhTimeline *self)
{
  g_autofree char *max = mh_format_time (self->max_clip);

  if (self->max_clip_label != NULL)
    /* Translators: "Realistic clips are at most 5:00.0": the style, the longest clip */
    return g_strdup_printf (_("%s clips are at most %s"), self->max_clip_label, max);

  return g_strdup_printf (_("Clips are at most %s in this style"), max);
}

static void
set_range_internal (MhTimeline *self,
                    double      start,
                    double      end)
{
  gboolean start_changed = start != self->start;
  gboolean end_changed = end != self->end;

  if (!start_changed && !end_changed)
    return;

  self->start = start;
  self->end = end;

  g_object_freeze_notify (G_OBJECT (self));
  if (start_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START]);
  if (end_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END]);
  g_object_thaw_notify (G_OBJECT (self));

  update_zoom_buttons (self);
  mh_timeline_strip_update (self->strip);
}

void
mh_timeline_get_limits (MhTimeline      *self,
                        MhTimelineWhich  which,
                        double          *lower,
                        double          *upper)
{
  double extent = mh_timeline_get_extent (self);

  if (extent <= 0)
    extent = MAX (self->end, self->start);

  if (which == MH_TIMELINE_START)
    {
      *lower = 0;
      if (self->max_clip > 0)
        *lower = MAX (0, self->end - self->max_clip);
      *upper = MAX (*lower, self->end - MH_TIMELINE_MIN_LENGTH);
    }
  else
    {
      *lower = MIN (self->start + MH_TIMELINE_MIN_LENGTH, extent);
      *upper = extent;
      if (self->max_clip > 0)
        *upper = MIN (*upper, self->start + self->max_clip);
      *upper = MAX (*upper, *lower);
    }
}

void
mh_timeline_move_handle (MhTimeline      *self,
                         MhTimelineWhich  which,
                         double           value)
{
  double extent = mh_timeline_get_extent (self);
  double lower, upper;
  gboolean stopped_by_style = FALSE;

  if (extent <= 0)
    return;

  /* Tenths, as the times are shown and typed. */
  value = round (value * 10) / 10;
  mh_timeline_get_limits (self, which, &lower, &upper);

  if (self->max_clip > 0)
    {
      if (which == MH_TIMELINE_END)
        {
          double bound = self->start + self->max_clip;

          stopped_by_style = bound < extent - 1e-6 && value >= bound - 1e-6;
        }
      else
        {
          double bound = self->end - self->max_clip;

          stopped_by_style = bound > 1e-6 && value <= bound + 1e-6;
        }
    }

  value = CLAMP (value, lower, upper);
  set_reason (self, stopped_by_style ? describe_limit (self) : NULL);

  if (which == MH_TIMELINE_START)
    set_range_internal (self, value, self->end);
  else
    set_range_internal (self, self->start, value);
}

void
mh_timeline_move_selection (MhTimeline *self,
                            double      start)
{
  double extent = mh_timeline_get_extent (self);
  double length = self->end - self->start;

  if (extent <= 0 || length <= 0)
    return;

  start = round (start * 10) / 10;
  start = CLAMP (start, 0, MAX (0, extent - length));
  set_reason (self, NULL);
  set_range_internal (self, start, start + length);
}

/* ---- Loading what is drawn ------------------------------------------------ */

static void
update_loaded (MhTimeline *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MhTimeline) self = user_data;
  g_autoptr(GError) error = NULL;

  if (MH_IS_WAVEFORM (source))
    mh_waveform_load_finish (MH_WAVEFORM (source), result, &error);
  else
    mh_filmstrip_load_finish (MH_FILMSTRIP (source), result, &error);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Timeline: %s", error->message);

  /* A load of a file since replaced has its count reset already. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      (source != (GObject *) self->waveform && source != (GObject *) self->secondary_waveform &&
       source != (GObject *) self->filmstrip))
    return;

  if (self->pending_loads > 0)
    self->pending_loads--;
  if (self->pending_loads == 0)
    update_loaded (self);
}

static void
drawn_changed_cb (MhTimeline *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self->strip));
}

static void
drawn_duration_cb (MhTimeline *self)
{
  /* Only matters while "duration" is not given. */
  update_zoom_buttons (self);
  mh_timeline_sync_play_button (self);
  mh_timeline_strip_update (self->strip);
}

static MhWaveform *
start_waveform (MhTimeline *self,
                GFile      *file)
{
  MhWaveform *waveform = mh_waveform_new (file);

  g_signal_connect_object (waveform, "chunk", G_CALLBACK (drawn_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (waveform, "notify::duration", G_CALLBACK (drawn_duration_cb), self, G_CONNECT_SWAPPED);
  self->pending_loads++;
  mh_waveform_load_async (waveform, self->cancellable, load_done_cb, g_object_ref (self));

  return waveform;
}

static MhTimelineKind
guess_kind (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *type = g_content_type_guess (name, NULL, 0, NULL);
  g_autofree char *mime = g_content_type_get_mime_type (type);

  return mime != NULL && g_str_has_prefix (mime, "video/") ? MH_TIMELINE_KIND_VIDEO : MH_TIMELINE_KIND_AUDIO;
}

static void
reload (MhTimeline *self)
{
  MhTimelineKind kind = self->kind;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->waveform);
  g_clear_object (&self->secondary_waveform);
  g_clear_object (&self->filmstrip);
  self->pending_loads = 0;
  self->cancellable = g_cancellable_new ();

  if (self->file != NULL)
    {
      /* GStreamer started from a worker thread (the first waveform) leaves
       * GTK's frame clock stalled under X11 once a pipeline runs (seen on
       * GTK 4.8 + GStreamer 1.22 under Xvfb): start it here, on the main
       * thread, before the workers use it. Not when the page is built: that
       * is before the window's first frame, and GStreamer's start (its
       * registry; all its plugins on a first launch) is not for it. */
      mh_gst_ensure_init (NULL);
      if (kind == MH_TIMELINE_KIND_AUTO)
        kind = guess_kind (self->file);

      if (kind == MH_TIMELINE_KIND_VIDEO)
        {
          self->filmstrip = mh_filmstrip_new (self->file, FILMSTRIP_FRAMES, FILMSTRIP_HEIGHT);
          g_signal_connect_object (self->filmstrip, "frame", G_CALLBACK (drawn_changed_cb), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (self->filmstrip, "notify::duration", G_CALLBACK (drawn_duration_cb), self,
                                   G_CONNECT_SWAPPED);
          self->pending_loads++;
          mh_filmstrip_load_async (self->filmstrip, self->cancellable, load_done_cb, g_object_ref (self));
        }
      else
        {
          self->waveform = start_waveform (self, self->file);
        }

      /* The speech under a video's pictures. */
      if (self->secondary_file != NULL && kind == MH_TIMELINE_KIND_VIDEO)
        self->secondary_waveform = start_waveform (self, self->secondary_file);
    }

  update_loaded (self);
  update_zoom_buttons (self);
  mh_timeline_sync_play_button (self);
  mh_timeline_strip_update (self->strip);
}

/* ---- Template callbacks --------------------------------------------------- */

static void
play_toggled_cb (MhTimeline *self)
{
  if (self->syncing_button)
    return;

  if (gtk_toggle_button_get_active (self->play_button))
    mh_timeline_play_selection (self);
  else
    mh_timeline_stop (self);
}

static void
zoom_in_cb (MhTimeline *self)
{
  mh_timeline_set_zoom (self, self->zoom * 2, -1);
}

static void
zoom_out_cb (MhTimeline *self)
{
  mh_timeline_set_zoom (self, self->zoom / 2, -1);
}

static void
zoom_selection_cb (MhTimeline *self)
{
  mh_timeline_zoom_to_selection (self);
}

static void
zoom_all_cb (MhTimeline *self)
{
  mh_timeline_set_zoom (self, 1, -1);
}

/* ---- The object ----------------------------------------------------------- */

static void
mh_timeline_dispose (GObject *object)
{
  MhTimeline *self = MH_TIMELINE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  mh_timeline_disconnect_player (self);
  g_clear_object (&self->own_stream);
  g_clear_object (&self->media_stream);
  gtk_widget_dispose_template (GTK_WIDGET (self), MH_TYPE_TIMELINE);
  /* GTK 4.8 leaves the template's unnamed children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (mh_timeline_parent_class)->dispose (object);
}

static void
mh_timeline_finalize (GObject *object)
{
  MhTimeline *self = MH_TIMELINE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->waveform);
  g_clear_object (&self->secondary_waveform);
  g_clear_object (&self->filmstrip);
  g_clear_object (&self->file);
  g_clear_object (&self->secondary_file);
  g_free (self->max_clip_label);
  g_free (self->reason);

  G_OBJECT_CLASS (mh_timeline_parent_class)->finalize (object);
}

static void
mh_timeline_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MhTimeline *self = MH_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_START:
      g_value_set_double (value, self->start);
      break;
    case PROP_END:
      g_value_set_double (value, self->end);
      break;
    case PROP_DURATION:
      g_value_set_double (value, self->duration);
      break;
    case PROP_MAX_CLIP:
      g_value_set_double (value, self->max_clip);
      break;
    case PROP_MAX_CLIP_LABEL:
      g_value_set_string (value, self->max_clip_label);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case PROP_SECONDARY_FILE:
      g_value_set_object (value, self->secondary_file);
      break;
    case PROP_MEDIA_STREAM:
      g_value_set_object (value, self->media_stream);
      break;
    case PROP_LOOP:
      g_value_set_boolean (value, self->loop);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    case PROP_POSITION:
      g_value_set_double (value, self->position);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, mh_timeline_get_loaded (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_timeline_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  MhTimeline *self = MH_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_START:
      mh_timeline_set_range (self, g_value_get_double (value), self->end);
      break;
    case PROP_END:
      mh_timeline_set_range (self, self->start, g_value_get_double (value));
      break;
    case PROP_DURATION:
      mh_timeline_set_duration (self, g_value_get_double (value));
      break;
    case PROP_MAX_CLIP:
      mh_timeline_set_max_clip (self, g_value_get_double (value), self->max_clip_label);
      break;
    case PROP_MAX_CLIP_LABEL:
      mh_timeline_set_max_clip (self, self->max_clip, g_value_get_string (value));
      break;
    case PROP_FILE:
      mh_timeline_set_file (self, g_value_get_object (value), self->kind);
      break;
    case PROP_KIND:
      if (self->kind != (MhTimelineKind) g_value_get_int (value))
        {
          self->kind = g_value_get_int (value);
          reload (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_SECONDARY_FILE:
      mh_timeline_set_secondary_file (self, g_value_get_object (value));
      break;
    case PROP_MEDIA_STREAM:
      mh_timeline_set_media_stream (self, g_value_get_object (value));
      break;
    case PROP_LOOP:
      mh_timeline_set_loop (self, g_value_get_boolean (value));
      break;
    case PROP_POSITION:
      mh_timeline_set_position (self, g_value_get_double (value));
      break;
    case PROP_ZOOM:
      mh_timeline_set_zoom (self, g_value_get_double (value), -1);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_timeline_class_init (MhTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_timeline_dispose;
  object_class->finalize = mh_timeline_finalize;
  object_class->get_property = mh_timeline_get_property;
  object_class->set_property = mh_timeline_set_property;

  g_type_ensure (MH_TYPE_TIMELINE_STRIP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mhstudio/MagicHourStudio/mh-timeline.ui");
  gtk_widget_class_bind_template_child (widget_class, MhTimeline, strip);
  gtk_widget_class_bind_template_child (widget_class, MhTimeline, reason_label);
  gtk_widget_class_bind_template_child (widget_class, MhTimeline, play_button);
  gtk_widget_class_bind_template_child (widget_class, MhTimeline, play_content);
  gtk_widget_class_bind_template_child (widget_class, MhTimeline, play_icon);
  gtk_widget_class_bind_template_child (widget_class, MhTimeline, loop_button);
  gtk_widget_class_bind_template_child (widget_class, MhTimeline, zoom_out_button);
  gtk_widget_class_bind_template_child (widget_class, MhTimeline, zoom_in_button);
  gtk_widget_class_bind_template_child (widget_class, MhTimeline, zoom_selection_button);
  gtk_widget_class_bind_template_child (widget_class, MhTimeline, zoom_all_button);
  gtk_widget_class_bind_template_callback (widget_class, play_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, zoom_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, zoom_out_cb);
  gtk_widget_class_bind_template_callback (widget_class, zoom_selection_cb);
  gtk_widget_class_bind_template_callback (widget_class, zoom_all_cb);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  properties[PROP_START] =
    g_param_spec_double ("start", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_END] =
    g_param_spec_double ("end", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DURATION] =
    g_param_spec_double ("duration", NULL, NULL, -1, G_MAXDOUBLE, -1,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_CLIP] =
    g_param_spec_double ("max-clip", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_CLIP_LABEL] =
    g_param_spec_string ("max-clip-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL, MH_TIMELINE_KIND_AUTO, MH_TIMELINE_KIND_VIDEO, MH_TIMELINE_KIND_AUTO,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECONDARY_FILE] =
    g_param_spec_object ("secondary-file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MEDIA_STREAM] =
    g_param_spec_object ("media-stream", NULL, NULL, GTK_TYPE_MEDIA_STREAM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOOP] =
    g_param_spec_boolean ("loop", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_POSITION] =
    g_param_spec_double ("position", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, 1, G_MAXDOUBLE, 1,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mh_timeline_init (MhTimeline *self)
{
  self->duration = -1;
  self->zoom = 1;
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  mh_timeline_strip_set_timeline (self->strip, self);
  g_object_bind_property (self, "loop", self->loop_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  update_zoom_buttons (self);
  mh_timeline_sync_play_button (self);
}

GtkWidget *
mh_timeline_new (void)
{
  return g_object_new (MH_TYPE_TIMELINE, NULL);
}

double
mh_timeline_get_start (MhTimeline *self)
{
  g_return_val_if_fail (MH_IS_TIMELINE (self), 0);

  return self->start;
}

double
mh_timeline_get_end (MhTimeline *self)
{
  g_return_val_if_fail (MH_IS_TIMELINE (self), 0);

  return self->end;
}

/* From outside (the typed fields): shown as given. */
void
mh_timeline_set_range (MhTimeline *self,
                       double      start,
                       double      end)
{
  g_return_if_fail (MH_IS_TIMELINE (self));

  start = isfinite (start) ? MAX (0, start) : 0;
  end = isfinite (end) ? MAX (0, end) : 0;
  if (start == self->start && end == self->end)
    return;

  set_reason (self, NULL);
  set_range_internal (self, start, end);
  keep_selection_in_view (self);
}

double
mh_timeline_get_duration (MhTimeline *self)
{
  g_return_val_if_fail (MH_IS_TIMELINE (self), -1);

  return self->duration;
}

void
mh_timeline_set_duration (MhTimeline *self,
                          double      duration)
{
  g_return_if_fail (MH_IS_TIMELINE (self));

  if (duration <= 0 || !isfinite (duration))
    duration = -1;
  if (duration == self->duration)
    return;

  self->duration = duration;
  self->zoom = CLAMP (self->zoom, 1, max_zoom (self));
  update_zoom_buttons (self);
  mh_timeline_sync_play_button (self);
  mh_timeline_strip_update (self->strip);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
}

void
mh_timeline_set_max_clip (MhTimeline *self,
                          double      max_clip,
                          const char *label)
{
  g_return_if_fail (MH_IS_TIMELINE (self));

  if (max_clip < 0 || !isfinite (max_clip))
    max_clip = 0;

  if (max_clip != self->max_clip)
    {
      self->max_clip = max_clip;
      set_reason (self, NULL);
      mh_timeline_strip_update (self->strip);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CLIP]);
    }
  if (g_strcmp0 (label, self->max_clip_label) != 0)
    {
      g_free (self->max_clip_label);
      self->max_clip_label = g_strdup (label);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CLIP_LABEL]);
    }
}

GFile *
mh_timeline_get_file (MhTimeline *self)
{
  g_return_val_if_fail (MH_IS_TIMELINE (self), NULL);

  return self->file;
}

static gboolean
same_file (GFile *a,
           GFile *b)
{
  return a == b || (a != NULL && b != NULL && g_file_equal (a, b));
}

void
mh_timeline_set_file (MhTimeline     *self,
                      GFile          *file,
                      MhTimelineKind  kind)
{
  g_return_if_fail (MH_IS_TIMELINE (self));

  if (same_file (file, self->file) && kind == self->kind)
    return;

  /* A new file: its own player, the whole of it in view. */
  if (self->player == self->own_stream)
    mh_timeline_disconnect_player (self);
  g_clear_object (&self->own_stream);
  g_set_object (&self->file, file);
  self->kind = kind;
  self->zoom = 1;
  self->view_start = 0;
  mh_timeline_set_position_internal (self, 0);
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

void
mh_timeline_set_secondary_file (MhTimeline *self,
                                GFile      *file)
{
  g_return_if_fail (MH_IS_TIMELINE (self));

  if (same_file (file, self->secondary_file))
    return;

  g_set_object (&self->secondary_file, file);
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECONDARY_FILE]);
}

GtkMediaStream *
mh_timeline_get_media_stream (MhTimeline *self)
{
  g_return_val_if_fail (MH_IS_TIMELINE (self), NULL);

  return self->media_stream;
}

void
mh_timeline_set_media_stream (MhTimeline     *self,
                              GtkMediaStream *stream)
{
  g_return_if_fail (MH_IS_TIMELINE (self));

  if (stream == self->media_stream)
    return;

  mh_timeline_disconnect_player (self);
  g_set_object (&self->media_stream, stream);
  if (stream != NULL)
    mh_timeline_connect_player (self);
  mh_timeline_sync_play_button (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEDIA_STREAM]);
}

void
mh_timeline_set_loop (MhTimeline *self,
                      gboolean    loop)
{
  g_return_if_fail (MH_IS_TIMELINE (self));

  loop = !!loop;
  if (loop == self->loop)
    return;

  self->loop = loop;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOP]);
}

gboolean
mh_timeline_get_playing (MhTimeline *self)
{
  g_return_val_if_fail (MH_IS_TIMELINE (self), FALSE);

  return self->playing;
}

double
mh_timeline_get_position (MhTimeline *self)
{
  g_return_val_if_fail (MH_IS_TIMELINE (self), 0);

  return self->position;
}

void
mh_timeline_set_position (MhTimeline *self,
                          double      position)
{
  g_return_if_fail (MH_IS_TIMELINE (self));

  mh_timeline_seek (self, position);
}

double
mh_timeline_get_zoom (MhTimeline *self)
{
  g_return_val_if_fail (MH_IS_TIMELINE (self), 1);

  return self->zoom;
}

void
mh_timeline_set_zoom (MhTimeline *self,
                      double      zoom,
                      double      center)
{
  double view_start, span, fraction = 0.5;
  double extent;

  g_return_if_fail (MH_IS_TIMELINE (self));

  extent = mh_timeline_get_extent (self);
  zoom = CLAMP (zoom, 1, max_zoom (self));
  mh_timeline_get_view (self, &view_start, &span);

  /* The buttons zoom about the selection, so it stays in view. */
  if (center < 0)
    center = self->end > self->start ? (self->start + self->end) / 2 : view_start + span / 2;
  if (span > 0 && center >= view_start && center <= view_start + span)
    fraction = (center - view_start) / span;

  self->zoom = zoom;
  if (extent > 0)
    self->view_start = CLAMP (center - fraction * extent / zoom, 0, extent - extent / zoom);

  update_zoom_buttons (self);
  mh_timeline_strip_update (self->strip);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

/* The part fills most of the strip, in the middle. */
void
mh_timeline_zoom_to_selection (MhTimeline *self)
{
  double extent, span;

  g_return_if_fail (MH_IS_TIMELINE (self));

  extent = mh_timeline_get_extent (self);
  if (extent <= 0 || self->end <= self->start)
    return;

  span = (self->end - self->start) / SELECTION_SHARE;
  self->zoom = CLAMP (extent / span, 1, max_zoom (self));
  span = extent / self->zoom;
  self->view_start = CLAMP ((self->start + self->end) / 2 - span / 2, 0, extent - span);

  update_zoom_buttons (self);
  mh_timeline_strip_update (self->strip);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

const char *
mh_timeline_get_reason (MhTimeline *self)
{
  g_return_val_if_fail (MH_IS_TIMELINE (self), NULL);

  return self->reason;
}

GtkWidget *
mh_timeline_get_handle (MhTimeline *self,
                        guint       which)
{
  g_return_val_if_fail (MH_IS_TIMELINE (self), NULL);

  return mh_timeline_strip_get_handle (self->strip, which);
}

double
mh_timeline_time_to_x (MhTimeline *self,
                       double      seconds)
{
  double x = 0, y = 0;

  g_return_val_if_fail (MH_IS_TIMELINE (self), 0);

  if (!gtk_widget_translate_coordinates (GTK_WIDGET (self->strip), GTK_WIDGET (self),
                                         mh_timeline_strip_time_to_x (self->strip, seconds), 0, &x, &y))
    return 0;
  return x;
}

gboolean
mh_timeline_get_loaded (MhTimeline *self)
{
  g_return_val_if_fail (MH_IS_TIMELINE (self), FALSE);

  return self->pending_loads == 0;
}
