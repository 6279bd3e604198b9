/* mh-timeline-strip.c: the timeline's picture, its handles and gestures
 *
 * Everything is drawn from the timeline's state in one snapshot: the lanes
 * (filmstrip or waveform, and the speech's waveform under a filmstrip), the
 * part outside the selection dimmed, the selection framed in the accent
 * colour, the playhead, and a ruler whose step follows the zoom so its
 * labels never crowd. The waveform is drawn a pixel column at a time from
 * the peaks that have arrived, so it fills in as they do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "mh-timeline-handle.h"
#include "mh-timeline-private.h"
#include "mh-validate.h"

#define PAD_X        8     /* room for a handle at either end */
#define TOP          6
#define MAIN_H       64
#define SECONDARY_H  36
#define LANE_GAP     4
#define RULER_H      20
#define HANDLE_W     14
#define HANDLE_OUT   4     /* how far a handle reaches past the lanes */
#define GRAB_SLOP    4
#define LABEL_GAP    72    /* the least room for a ruler label */

typedef enum
{
  DRAG_NONE,
  DRAG_START,
  DRAG_END,
  DRAG_SELECTION,
  DRAG_PLAYHEAD,
} DragTarget;

struct _MhTimelineStrip
{
  GtkWidget    parent_instance;

  MhTimeline  *timeline;      /* not owned: the strip is inside it */
  GtkWidget   *handles[2];

  DragTarget   drag;
  double       drag_x;        /* where the drag began */
  double       drag_offset;   /* from the handle's middle to the pointer */
  double       drag_start;    /* the selection's start when it began */
  gboolean     drag_moved;
  double       pointer_x;

  GPtrArray   *textures;      /* GdkTexture or NULL, one per filmstrip frame */
  MhFilmstrip *textures_for;
};

G_DEFINE_FINAL_TYPE (MhTimelineStrip, mh_timeline_strip, GTK_TYPE_WIDGET)

/* ---- Geometry ------------------------------------------------------------- */

static gboolean
has_secondary (MhTimelineStrip *self)
{
  return self->timeline != NULL && self->timeline->secondary_waveform != NULL;
}

static double
lanes_height (MhTimelineStrip *self)
{
  return MAIN_H + (has_secondary (self) ? LANE_GAP + SECONDARY_H : 0);
}

static graphene_rect_t
lanes_rect (MhTimelineStrip *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  return GRAPHENE_RECT_INIT (PAD_X, TOP, MAX (0, width - 2 * PAD_X), lanes_height (self));
}

double
mh_timeline_strip_time_to_x (MhTimelineStrip *self,
                             double           seconds)
{
  double view_start, span;
  graphene_rect_t lanes = lanes_rect (self);

  mh_timeline_get_view (self->timeline, &view_start, &span);
  if (span <= 0)
    return lanes.origin.x;

  return lanes.origin.x + (seconds - view_start) / span * lanes.size.width;
}

double
mh_timeline_strip_x_to_time (MhTimelineStrip *self,
                             double           x)
{
  double view_start, span;
  graphene_rect_t lanes = lanes_rect (self);

  mh_timeline_get_view (self->timeline, &view_start, &span);
  if (lanes.size.width <= 0)
    return view_start;

  return view_start + (x - lanes.origin.x) / lanes.size.width * span;
}

static double
pixels_per_second (MhTimelineStrip *self)
{
  double view_start, span;

  mh_timeline_get_view (self->timeline, &view_start, &span);
  return span > 0 ? lanes_rect (self).size.width / span : 0;
}

/* ---- Colours -------------------------------------------------------------- */

static void
lookup_color (GtkWidget  *widget,
              const char *name,
              GdkRGBA    *color,
              const char *fallback)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, color))
    gdk_rgba_parse (color, fallback);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static GdkRGBA
with_alpha (GdkRGBA color,
            float   alpha)
{
  color.alpha *= alpha;
  return color;
}

/* ---- Drawing -------------------------------------------------------------- */

static void
waveform_path (MhTimelineStrip *self,
               cairo_t         *cr,
               MhWaveform      *waveform,
               double           x0,
               double           x1,
               double           top,
               double           height)
{
  double mid = top + height / 2;
  double half = height / 2 - 2;

  for (double x = floor (x0); x < x1; x++)
    {
      float min, max;
      double t0 = mh_timeline_strip_x_to_time (self, x);
      double t1 = mh_timeline_strip_x_to_time (self, x + 1);
      double y0, y1;

      if (t1 <= 0 || !mh_waveform_get_span (waveform, MAX (t0, 0), t1, &min, &max))
        continue;

      y0 = mid - max * half;
      y1 = mid - min * half;
      /* Silence still shows as a line. */
      if (y1 - y0 < 1)
        {
          y0 = mid - 0.5;
          y1 = mid + 0.5;
        }
      cairo_rectangle (cr, x, y0, 1, y1 - y0);
    }
}

static void
draw_waveform (MhTimelineStrip       *self,
               GtkSnapshot           *snapshot,
               MhWaveform            *waveform,
               const graphene_rect_t *lane,
               double                 sel_x0,
               double                 sel_x1)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GdkRGBA accent, fg;
  cairo_t *cr;
  double x0 = lane->origin.x, x1 = lane->origin.x + lane->size.width;
  double top = lane->origin.y, height = lane->size.height;

  lookup_color (widget, "accent_color", &accent, "#3584e4");
  lookup_color (widget, "window_fg_color", &fg, "#000000");

  cr = gtk_snapshot_append_cairo (snapshot, lane);

  /* Inside the part: the accent colour; outside: grey. */
  cairo_save (cr);
  cairo_rectangle (cr, sel_x0, top, sel_x1 - sel_x0, height);
  cairo_clip (cr);
  waveform_path (self, cr, waveform, MAX (x0, sel_x0), MIN (x1, sel_x1), top, height);
  gdk_cairo_set_source_rgba (cr, &accent);
  cairo_fill (cr);
  cairo_restore (cr);

  cairo_save (cr);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_rectangle (cr, x0, top, x1 - x0, height);
  cairo_rectangle (cr, sel_x0, top, sel_x1 - sel_x0, height);
  cairo_clip (cr);
  waveform_path (self, cr, waveform, x0, x1, top, height);
  fg.alpha *= 0.4;
  gdk_cairo_set_source_rgba (cr, &fg);
  cairo_fill (cr);
  cairo_restore (cr);

  cairo_destroy (cr);
}

static void
texture_free (gpointer texture)
{
  if (texture != NULL)
    g_object_unref (texture);
}

static GdkTexture *
get_texture (MhTimelineStrip *self,
             MhFilmstrip     *filmstrip,
             guint            index)
{
  GdkTexture *texture;
  GBytes *pixels;
  int width, height;
  gsize stride;

  if (self->textures_for != filmstrip)
    {
      g_clear_pointer (&self->textures, g_ptr_array_unref);
      self->textures = g_ptr_array_new_with_free_func (texture_free);
      g_ptr_array_set_size (self->textures, mh_filmstrip_get_n_frames (filmstrip));
      self->textures_for = filmstrip;
    }

  texture = g_ptr_array_index (self->textures, index);
  if (texture != NULL)
    return texture;

  pixels = mh_filmstrip_get_frame (filmstrip, index, &width, &height, &stride);
  if (pixels == NULL)
    return NULL;

  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, pixels, stride);
  g_ptr_array_index (self->textures, index) = texture;
  return texture;
}

static void
draw_filmstrip (MhTimelineStrip       *self,
                GtkSnapshot           *snapshot,
                MhFilmstrip           *filmstrip,
                const graphene_rect_t *lane)
{
  guint n = mh_filmstrip_get_n_frames (filmstrip);
  double extent = mh_timeline_get_extent (self->timeline);
  double tile_w = lane->size.height * 16 / 9;
  GdkTexture *any = NULL;

  for (guint i = 0; i < n && any == NULL; i++)
    any = get_texture (self, filmstrip, i);
  if (any != NULL)
    tile_w = lane->size.height * gdk_texture_get_width (any) / MAX (1, gdk_texture_get_height (any));
  if (extent <= 0 || tile_w < 4)
    return;

  for (double x = lane->origin.x; x < lane->origin.x + lane->size.width; x += tile_w)
    {
      double t = mh_timeline_strip_x_to_time (self, x + tile_w / 2);
      int index = (int) floor (t / extent * n);
      GdkTexture *texture;

      index = CLAMP (index, 0, (int) n - 1);
      texture = get_texture (self, filmstrip, index);
      if (texture != NULL)
        gtk_snapshot_append_texture (snapshot, texture,
                                     &GRAPHENE_RECT_INIT (x, lane->origin.y, tile_w, lane->size.height));
    }
}

static char *
format_ruler_time (double seconds,
                   double step)
{
  int total;

  if (step < 1)
    return mh_format_time (seconds);

  total = (int) round (seconds);
  if (total >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60);
  return g_strdup_printf ("%d:%02d", total / 60, total % 60);
}

static void
draw_ruler (MhTimelineStrip *self,
            GtkSnapshot     *snapshot,
            double           top)
{
  static const double steps[] = { 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900,
                                  1800, 3600, 7200 };
  GtkWidget *widget = GTK_WIDGET (self);
  graphene_rect_t lanes = lanes_rect (self);
  double pps = pixels_per_second (self);
  double extent = mh_timeline_get_extent (self->timeline);
  double view_start, span, step = steps[G_N_ELEMENTS (steps) - 1];
  GdkRGBA fg;
  GdkRGBA tick;

  if (pps <= 0 || extent <= 0)
    return;

  mh_timeline_get_view (self->timeline, &view_start, &span);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] * pps >= LABEL_GAP)
      {
        step = steps[i];
        break;
      }

  lookup_color (widget, "window_fg_color", &fg, "#000000");
  tick = with_alpha (fg, 0.3);
  fg = with_alpha (fg, 0.65);

  for (gint64 k = (gint64) floor (view_start / step * 2); k * step / 2 <= MIN (extent, view_start + span) + 1e-6; k++)
    {
      double t = k * step / 2;
      double x = mh_timeline_strip_time_to_x (self, t);
      gboolean major = (k % 2) == 0;

      if (t < 0 || x < lanes.origin.x - 0.5 || x > lanes.origin.x + lanes.size.width + 0.5)
        continue;

      gtk_snapshot_append_color (snapshot, &tick,
                                 &GRAPHENE_RECT_INIT (round (x), top, 1, major ? 5 : 3));
      if (major)
        {
          g_autofree char *text = format_ruler_time (t, step);
          g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
          PangoRectangle ink, logical;
          double lx;

          pango_layout_get_pixel_extents (layout, &ink, &logical);
          lx = x - logical.width / 2.0;
          /* The first and last labels stay inside. */
          lx = CLAMP (lx, 0, gtk_widget_get_width (widget) - logical.width);
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (lx, top + 4));
          gtk_snapshot_append_layout (snapshot, layout, &fg);
          gtk_snapshot_restore (snapshot);
        }
    }
}

static void
mh_timeline_strip_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  MhTimelineStrip *self = MH_TIMELINE_STRIP (widget);
  MhTimeline *timeline = self->timeline;
  graphene_rect_t lanes = lanes_rect (self);
  graphene_rect_t main_lane = GRAPHENE_RECT_INIT (lanes.origin.x, lanes.origin.y, lanes.size.width, MAIN_H);
  graphene_rect_t second_lane = GRAPHENE_RECT_INIT (lanes.origin.x, lanes.origin.y + MAIN_H + LANE_GAP,
                                                    lanes.size.width, SECONDARY_H);
  GskRoundedRect rounded;
  double extent = mh_timeline_get_extent (timeline);
  double sel_x0, sel_x1;
  GdkRGBA fg, accent, card, dim, ground, tint;

  if (timeline == NULL || lanes.size.width <= 0)
    return;

  lookup_color (widget, "window_fg_color", &fg, "#000000");
  lookup_color (widget, "accent_bg_color", &accent, "#3584e4");
  /* The view's ground is opaque in both styles (the card's is not, in
   * the dark one): what lies outside the part fades into it. */
  lookup_color (widget, "view_bg_color", &card, "#ffffff");
  dim = with_alpha (card, 0.62);
  ground = with_alpha (fg, 0.06);
  tint = with_alpha (accent, 0.10);

  sel_x0 = mh_timeline_strip_time_to_x (self, timeline->start);
  sel_x1 = mh_timeline_strip_time_to_x (self, timeline->end);
  if (extent <= 0 || timeline->end <= timeline->start)
    sel_x0 = sel_x1 = lanes.origin.x - 1;

  /* The lanes, rounded, on a faint ground. */
  gsk_rounded_rect_init_from_rect (&rounded, &lanes, 6);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, &ground, &main_lane);
  if (timeline->secondary_waveform != NULL)
    gtk_snapshot_append_color (snapshot, &ground, &second_lane);

  if (timeline->filmstrip != NULL)
    draw_filmstrip (self, snapshot, timeline->filmstrip, &main_lane);
  else if (timeline->waveform != NULL)
    draw_waveform (self, snapshot, timeline->waveform, &main_lane, sel_x0, sel_x1);
  if (timeline->secondary_waveform != NULL)
    {
      draw_waveform (self, snapshot, timeline->secondary_waveform, &second_lane, sel_x0, sel_x1);
    }

  /* Outside the part: dimmed. */
  if (sel_x1 > sel_x0)
    {
      gtk_snapshot_append_color (snapshot, &dim,
                                 &GRAPHENE_RECT_INIT (lanes.origin.x, lanes.origin.y,
                                                      MAX (0, sel_x0 - lanes.origin.x), lanes.size.height));
      gtk_snapshot_append_color (snapshot, &dim,
                                 &GRAPHENE_RECT_INIT (sel_x1, lanes.origin.y,
                                                      MAX (0, lanes.origin.x + lanes.size.width - sel_x1),
                                                      lanes.size.height));
      gtk_snapshot_append_color (snapshot, &tint,
                                 &GRAPHENE_RECT_INIT (sel_x0, lanes.origin.y, sel_x1 - sel_x0, lanes.size.height));
    }
  else if (extent <= 0)
    {
      gtk_snapshot_append_color (snapshot, &dim, &lanes);
    }
  gtk_snapshot_pop (snapshot);

  /* Nothing to cut yet: say what brings the strip to life. */
  if (extent <= 0)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget,
                                                                      _("Choose a file to pick the part to use here"));
      GdkRGBA hint = with_alpha (fg, 0.55);
      PangoRectangle logical;

      pango_layout_set_width (layout, (int) lanes.size.width * PANGO_SCALE);
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_extents (layout, NULL, &logical);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (lanes.origin.x,
                                                    lanes.origin.y + (lanes.size.height - logical.height) / 2));
      gtk_snapshot_append_layout (snapshot, layout, &hint);
      gtk_snapshot_restore (snapshot);
    }

  /* The part's frame: the accent colour above and below, between the handles. */
  if (sel_x1 > sel_x0)
    {
      gtk_snapshot_append_color (snapshot, &accent,
                                 &GRAPHENE_RECT_INIT (sel_x0, lanes.origin.y - 2, sel_x1 - sel_x0, 3));
      gtk_snapshot_append_color (snapshot, &accent,
                                 &GRAPHENE_RECT_INIT (sel_x0, lanes.origin.y + lanes.size.height - 1,
                                                      sel_x1 - sel_x0, 3));
    }

  /* The playhead: a thin line with a small cap. */
  if (extent > 0)
    {
      double x = round (mh_timeline_strip_time_to_x (self, timeline->position));

      if (x >= lanes.origin.x - 1 && x <= lanes.origin.x + lanes.size.width + 1)
        {
          GdkRGBA line = fg;

          gtk_snapshot_append_color (snapshot, &line,
                                     &GRAPHENE_RECT_INIT (x - 1, lanes.origin.y, 2, lanes.size.height));
          gtk_snapshot_append_color (snapshot, &line,
                                     &GRAPHENE_RECT_INIT (x - 3, lanes.origin.y - 4, 6, 4));
        }
    }

  draw_ruler (self, snapshot, lanes.origin.y + lanes.size.height + HANDLE_OUT);

  for (guint i = 0; i < 2; i++)
    gtk_widget_snapshot_child (widget, self->handles[i], snapshot);
}

/* ---- Layout --------------------------------------------------------------- */

static void
mh_timeline_strip_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  MhTimelineStrip *self = MH_TIMELINE_STRIP (widget);

  for (guint i = 0; i < 2; i++)
    gtk_widget_measure (self->handles[i], orientation, -1, NULL, NULL, NULL, NULL);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 2 * PAD_X + 100;
      *natural = 2 * PAD_X + 400;
    }
  else
    {
      *minimum = *natural = TOP + lanes_height (self) + HANDLE_OUT + RULER_H;
    }
}

static void
mh_timeline_strip_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  MhTimelineStrip *self = MH_TIMELINE_STRIP (widget);
  graphene_rect_t lanes = lanes_rect (self);
  double times[2] = { self->timeline->start, self->timeline->end };
  gboolean known = mh_timeline_get_extent (self->timeline) > 0;

  for (guint i = 0; i < 2; i++)
    {
      double x = mh_timeline_strip_time_to_x (self, times[i]);
      GtkAllocation allocation = {
        .x = (int) round (x - HANDLE_W / 2.0),
        .y = (int) lanes.origin.y - HANDLE_OUT,
        .width = HANDLE_W,
        .height = (int) lanes.size.height + 2 * HANDLE_OUT,
      };
      /* A handle scrolled out of the view is hidden, not squeezed in. */
      gboolean shown = known && x >= lanes.origin.x - 0.5 && x <= lanes.origin.x + lanes.size.width + 0.5;

      gtk_widget_set_child_visible (self->handles[i], shown);
      gtk_widget_size_allocate (self->handles[i], &allocation, -1);
    }
}

/* ---- Accessibility -------------------------------------------------------- */

static void
update_accessible (MhTimelineStrip *self)
{
  for (guint i = 0; i < 2; i++)
    {
      MhTimeline *timeline = self->timeline;
      double value = i == 0 ? timeline->start : timeline->end;
      double lower, upper;
      g_autofree char *text = mh_format_time (value);
      g_autofree char *label = NULL;

      mh_timeline_get_limits (timeline, i, &lower, &upper);
      /* Translators: the accessible name of a handle, with its time */
      label = g_strdup_printf (i == 0 ? _("Start of the clip, %s") : _("End of the clip, %s"), text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->handles[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, lower,
                                      GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, MAX (lower, upper),
                                      GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, value,
                                      GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text,
                                      -1);
      gtk_widget_set_tooltip_text (self->handles[i], label);
    }
}

void
mh_timeline_strip_update (MhTimelineStrip *self)
{
  g_return_if_fail (MH_IS_TIMELINE_STRIP (self));

  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- Input ---------------------------------------------------------------- */

static void
handle_move_cb (GtkWidget       *handle,
                GtkScrollType    scroll,
                MhTimelineStrip *self)
{
  MhTimelineWhich which = handle == self->handles[0] ? MH_TIMELINE_START : MH_TIMELINE_END;
  double value = which == MH_TIMELINE_START ? self->timeline->start : self->timeline->end;
  double lower, upper;

  mh_timeline_get_limits (self->timeline, which, &lower, &upper);

  switch ((int) scroll)
    {
    case GTK_SCROLL_STEP_BACKWARD:
      value -= 0.1;
      break;
    case GTK_SCROLL_STEP_FORWARD:
      value += 0.1;
      break;
    case GTK_SCROLL_PAGE_BACKWARD:
      value -= 1;
      break;
    case GTK_SCROLL_PAGE_FORWARD:
      value += 1;
      break;
    case GTK_SCROLL_START:
      value = lower;
      break;
    case GTK_SCROLL_END:
      value = upper;
      break;
    default:
      return;
    }

  mh_timeline_move_handle (self->timeline, which, value);
}

static void
drag_begin_cb (GtkGestureDrag  *gesture,
               double           x,
               double           y,
               MhTimelineStrip *self)
{
  MhTimeline *timeline = self->timeline;
  double xs, xe;
  double ds, de;
  graphene_rect_t lanes = lanes_rect (self);

  self->drag = DRAG_NONE;
  if (mh_timeline_get_extent (timeline) <= 0)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  xs = mh_timeline_strip_time_to_x (self, timeline->start);
  xe = mh_timeline_strip_time_to_x (self, timeline->end);
  ds = fabs (x - xs);
  de = fabs (x - xe);
  self->drag_x = x;
  self->drag_moved = FALSE;

  /* The nearer handle; when they touch, the end (it can move right). */
  if (gtk_widget_get_child_visible (self->handles[1]) && de <= HANDLE_W / 2.0 + GRAB_SLOP && (de <= ds || x > xe))
    {
      self->drag = DRAG_END;
      self->drag_offset = x - xe;
    }
  else if (gtk_widget_get_child_visible (self->handles[0]) && ds <= HANDLE_W / 2.0 + GRAB_SLOP)
    {
      self->drag = DRAG_START;
      self->drag_offset = x - xs;
    }
  else if (x > xs && x < xe && y <= lanes.origin.y + lanes.size.height + HANDLE_OUT)
    {
      self->drag = DRAG_SELECTION;
      self->drag_start = timeline->start;
    }
  else
    {
      self->drag = DRAG_PLAYHEAD;
      mh_timeline_seek (timeline, mh_timeline_strip_x_to_time (self, x));
    }

  if (self->drag == DRAG_START || self->drag == DRAG_END)
    gtk_widget_grab_focus (self->handles[self->drag == DRAG_START ? 0 : 1]);

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
drag_update_cb (GtkGestureDrag  *gesture,
                double           offset_x,
                double           offset_y,
                MhTimelineStrip *self)
{
  double x = self->drag_x + offset_x;
  double pps = pixels_per_second (self);

  if (fabs (offset_x) > 3)
    self->drag_moved = TRUE;

  switch (self->drag)
    {
    case DRAG_START:
    case DRAG_END:
      mh_timeline_move_handle (self->timeline,
                               self->drag == DRAG_START ? MH_TIMELINE_START : MH_TIMELINE_END,
                               mh_timeline_strip_x_to_time (self, x - self->drag_offset));
      break;

    case DRAG_SELECTION:
      if (self->drag_moved && pps > 0)
        mh_timeline_move_selection (self->timeline, self->drag_start + offset_x / pps);
      break;

    case DRAG_PLAYHEAD:
      mh_timeline_seek (self->timeline, mh_timeline_strip_x_to_time (self, x));
      break;

    case DRAG_NONE:
    default:
      break;
    }
}

static void
drag_end_cb (GtkGestureDrag  *gesture,
             double           offset_x,
             double           offset_y,
             MhTimelineStrip *self)
{
  /* A click inside the part, without moving it, moves the playhead. */
  if (self->drag == DRAG_SELECTION && !self->drag_moved)
    mh_timeline_seek (self->timeline, mh_timeline_strip_x_to_time (self, self->drag_x));
  self->drag = DRAG_NONE;
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           MhTimelineStrip          *self)
{
  self->pointer_x = x;
}

/* Ctrl+scroll zooms about the pointer; scrolling alone pans a zoomed view
 * and otherwise leaves the page to scroll. */
static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           MhTimelineStrip          *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  MhTimeline *timeline = self->timeline;
  double view_start, span;

  if (mh_timeline_get_extent (timeline) <= 0)
    return FALSE;

  mh_timeline_get_view (timeline, &view_start, &span);

  if (state & GDK_CONTROL_MASK)
    {
      mh_timeline_set_zoom (timeline, timeline->zoom * pow (1.25, -dy),
                            mh_timeline_strip_x_to_time (self, self->pointer_x));
      return TRUE;
    }

  if (timeline->zoom > 1.0001 && (dx != 0 || (state & GDK_SHIFT_MASK)))
    {
      mh_timeline_scroll_view (timeline, view_start + (dx != 0 ? dx : dy) * span * 0.05);
      return TRUE;
    }

  return FALSE;
}

/* ---- The object ----------------------------------------------------------- */

static void
mh_timeline_strip_dispose (GObject *object)
{
  MhTimelineStrip *self = MH_TIMELINE_STRIP (object);

  for (guint i = 0; i < 2; i++)
    g_clear_pointer (&self->handles[i], gtk_widget_unparent);
  g_clear_pointer (&self->textures, g_ptr_array_unref);
  self->textures_for = NULL;

  G_OBJECT_CLASS (mh_timeline_strip_parent_class)->dispose (object);
}

static void
mh_timeline_strip_class_init (MhTimelineStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_timeline_strip_dispose;
  widget_class->measure = mh_timeline_strip_measure;
  widget_class->size_allocate = mh_timeline_strip_size_allocate;
  widget_class->snapshot = mh_timeline_strip_snapshot;

  gtk_widget_class_set_css_name (widget_class, "strip");
}

static void
mh_timeline_strip_init (MhTimelineStrip *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkEventController *motion = gtk_event_controller_motion_new ();

  for (guint i = 0; i < 2; i++)
    {
      self->handles[i] = mh_timeline_handle_new ();
      gtk_widget_add_css_class (self->handles[i], i == 0 ? "start" : "end");
      gtk_widget_set_parent (self->handles[i], GTK_WIDGET (self));
      g_signal_connect (self->handles[i], "move", G_CALLBACK (handle_move_cb), self);
    }

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "enter", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}

void
mh_timeline_strip_set_timeline (MhTimelineStrip *self,
                                MhTimeline      *timeline)
{
  g_return_if_fail (MH_IS_TIMELINE_STRIP (self));

  self->timeline = timeline;
  mh_timeline_strip_update (self);
}

GtkWidget *
mh_timeline_strip_get_handle (MhTimelineStrip *self,
                              guint            which)
{
  g_return_val_if_fail (MH_IS_TIMELINE_STRIP (self), NULL);
  g_return_val_if_fail (which < 2, NULL);

  return self->handles[which];
}
