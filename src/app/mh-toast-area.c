/* mh-toast-area.c: the page, and the toasts above its bottom bars
 *
 * An AdwToastOverlay puts its toasts at its own bottom edge, on top of
 * whatever is there: over a page's bar with Generate, where a click meant
 * for the button lands on the toast. Here the overlay has no child of its
 * own: it is laid over the page, only as large as the toast it shows, at
 * the bottom but above the bars and buttons it would cover there (the bar
 * with Generate; Open, Retry or Start Over at the end of a job's page).
 * Around the toast nothing is covered, so clicks reach the page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mh-toast-area.h"

/* What Adwaita's toast has as margin, kept around it here (the overlay's
 * own toasts have none, see style.css: a margin would catch clicks). */
#define TOAST_GAP 12
/* libadwaita widens a toast to this, when there is room. */
#define TOAST_WIDTH 450

struct _MhToastArea
{
  GtkWidget   parent_instance;

  GtkWidget  *child;
  GtkWidget  *overlay;
  GPtrArray  *bars;    /* (GtkWidget *), weak */
  GPtrArray  *roots;   /* (GtkWidget *), weak: the buttons shown under them count */
  GPtrArray  *toasts;  /* (AdwToast *) added and not yet dismissed, oldest first */
};

static void mh_toast_area_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MhToastArea, mh_toast_area, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, mh_toast_area_buildable_init))

enum {
  PROP_0,
  PROP_CHILD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static GtkBuildableIface *parent_buildable_iface;

/* How low a toast @width wide and @height high at @x can sit: above every
 * bar or button it would cover otherwise, in @self's coordinates. */
static int
get_floor (MhToastArea *self,
           GPtrArray   *bars,
           int          area_height,
           int          x,
           int          width,
           int          height)
{
  int floor = area_height;
  gboolean moved = TRUE;

  /* Moving up for one may put it on another, higher up. */
  for (guint pass = 0; moved && pass <= bars->len; pass++)
    {
      moved = FALSE;
      for (guint i = 0; i < bars->len; i++)
        {
          GtkWidget *bar = g_ptr_array_index (bars, i);
          graphene_rect_t b;
          int top = floor - TOAST_GAP - height;

          if (!gtk_widget_get_mapped (bar) || !gtk_widget_compute_bounds (bar, GTK_WIDGET (self), &b) ||
              b.size.height <= 0 || b.size.width <= 0)
            continue;
          /* Scrolled out of sight, beside the toast, or above it. */
          if (b.origin.y >= floor || b.origin.y + b.size.height <= top ||
              b.origin.x + b.size.width <= x || b.origin.x >= x + width)
            continue;

          floor = (int) floorf (b.origin.y);
          moved = TRUE;
        }
    }

  return MAX (floor, 0);
}

/* The buttons shown under @widget (a list's rows come and go: looked up
 * each time). */
static void
collect_buttons (GtkWidget *widget,
                 GPtrArray *found)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_BUTTON (widget))
    {
      g_ptr_array_add (found, widget);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_buttons (child, found);
}

static void
mh_toast_area_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  MhToastArea *self = MH_TOAST_AREA (widget);
  int toast_min = 0;

  if (self->child != NULL && gtk_widget_should_layout (self->child))
    gtk_widget_measure (self->child, orientation, for_size, minimum, natural,
                        minimum_baseline, natural_baseline);

  /* A toast is as wide as its text needs: the page makes room. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      gtk_widget_measure (self->overlay, orientation, -1, &toast_min, NULL, NULL, NULL);
      *minimum = MAX (*minimum, toast_min);
      *natural = MAX (*natural, toast_min);
    }
}

static void
mh_toast_area_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  MhToastArea *self = MH_TOAST_AREA (widget);
  int floor, toast_min, toast_width, toast_height, x, y;

  if (self->child != NULL && gtk_widget_should_layout (self->child))
    gtk_widget_allocate (self->child, width, height, baseline, NULL);

  gtk_widget_measure (self->overlay, GTK_ORIENTATION_HORIZONTAL, -1, &toast_min, &toast_width, NULL, NULL);
  toast_width = MIN (MAX (MAX (toast_width, TOAST_WIDTH), toast_min), MAX (width - 2 * TOAST_GAP, toast_min));
  toast_width = MIN (toast_width, width);
  gtk_widget_measure (self->overlay, GTK_ORIENTATION_VERTICAL, toast_width, NULL, &toast_height, NULL, NULL);
  x = (width - toast_width) / 2;

  /* The bars are where the page just put them. */
  if (toast_height > 0)
    {
      g_autoptr(GPtrArray) bars = g_ptr_array_copy (self->bars, NULL, NULL);

      for (guint i = 0; i < self->roots->len; i++)
        collect_buttons (g_ptr_array_index (self->roots, i), bars);
      floor = get_floor (self, bars, height, x, toast_width, toast_height) - TOAST_GAP;
    }
  else
    floor = height - TOAST_GAP;
  toast_height = MAX (MIN (toast_height, floor), 0);
  y = MAX (floor - toast_height, 0);
  gtk_widget_allocate (self->overlay, toast_width, toast_height, -1,
                       gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (x, y)));
}

/* Escape dismisses the toast shown, as it does in an AdwToastOverlay that
 * holds the page. */
static gboolean
dismiss_cb (GtkWidget *widget,
            GVariant  *args,
            gpointer   user_data)
{
  MhToastArea *self = MH_TOAST_AREA (widget);

  if (self->toasts->len == 0)
    return GDK_EVENT_PROPAGATE;

  adw_toast_dismiss (g_ptr_array_index (self->toasts, 0));
  return GDK_EVENT_STOP;
}

static void
forget_bar (gpointer  data,
            GObject  *where_the_object_was)
{
  MhToastArea *self = data;

  g_ptr_array_remove (self->bars, where_the_object_was);
  g_ptr_array_remove (self->roots, where_the_object_was);
}

static void
mh_toast_area_dispose (GObject *object)
{
  MhToastArea *self = MH_TOAST_AREA (object);

  for (guint i = 0; i < self->bars->len; i++)
    g_object_weak_unref (g_ptr_array_index (self->bars, i), forget_bar, self);
  g_ptr_array_set_size (self->bars, 0);
  for (guint i = 0; i < self->roots->len; i++)
    g_object_weak_unref (g_ptr_array_index (self->roots, i), forget_bar, self);
  g_ptr_array_set_size (self->roots, 0);
  for (guint i = 0; i < self->toasts->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->toasts, i), self);
  g_ptr_array_set_size (self->toasts, 0);

  g_clear_pointer (&self->child, gtk_widget_unparent);
  g_clear_pointer (&self->overlay, gtk_widget_unparent);

  G_OBJECT_CLASS (mh_toast_area_parent_class)->dispose (object);
}

static void
mh_toast_area_finalize (GObject *object)
{
  MhToastArea *self = MH_TOAST_AREA (object);

  g_ptr_array_unref (self->bars);
  g_ptr_array_unref (self->roots);
  g_ptr_array_unref (self->toasts);

  G_OBJECT_CLASS (mh_toast_area_parent_class)->finalize (object);
}

static void
mh_toast_area_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MhToastArea *self = MH_TOAST_AREA (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      g_value_set_object (value, self->child);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_toast_area_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MhToastArea *self = MH_TOAST_AREA (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      mh_toast_area_set_child (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_toast_area_class_init (MhToastAreaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_toast_area_dispose;
  object_class->finalize = mh_toast_area_finalize;
  object_class->get_property = mh_toast_area_get_property;
  object_class->set_property = mh_toast_area_set_property;

  widget_class->measure = mh_toast_area_measure;
  widget_class->size_allocate = mh_toast_area_size_allocate;

  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "toastarea");
  /* A layout, nothing to interact with: screen readers skip it. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GENERIC);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, dismiss_cb, NULL);
}

static void
mh_toast_area_init (MhToastArea *self)
{
  self->bars = g_ptr_array_new ();
  self->roots = g_ptr_array_new ();
  self->toasts = g_ptr_array_new_with_free_func (g_object_unref);

  self->overlay = adw_toast_overlay_new ();
  gtk_widget_add_css_class (self->overlay, "toast-layer");
  gtk_widget_set_parent (self->overlay, GTK_WIDGET (self));
}

static void
mh_toast_area_buildable_add_child (GtkBuildable *buildable,
                                   GtkBuilder   *builder,
                                   GObject      *child,
                                   const char   *type)
{
  if (type == NULL && GTK_IS_WIDGET (child))
    mh_toast_area_set_child (MH_TOAST_AREA (buildable), GTK_WIDGET (child));
  else
    parent_buildable_iface->add_child (buildable, builder, child, type);
}

static void
mh_toast_area_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = mh_toast_area_buildable_add_child;
}

GtkWidget *
mh_toast_area_new (void)
{
  return g_object_new (MH_TYPE_TOAST_AREA, NULL);
}

GtkWidget *
mh_toast_area_get_child (MhToastArea *self)
{
  g_return_val_if_fail (MH_IS_TOAST_AREA (self), NULL);
  return self->child;
}

void
mh_toast_area_set_child (MhToastArea *self,
                         GtkWidget   *child)
{
  g_return_if_fail (MH_IS_TOAST_AREA (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (self->child == child)
    return;

  g_clear_pointer (&self->child, gtk_widget_unparent);
  self->child = child;
  /* Under the toasts, and first for Tab. */
  if (child != NULL)
    gtk_widget_insert_before (child, GTK_WIDGET (self), self->overlay);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}

/* Scrolling moves what is in a scrolled window without allocating the page
 * again: the toast follows. */
static void
follow_scrolled_window (MhToastArea *self,
                        GtkWidget   *widget)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (widget));

  if (g_signal_handler_find (adjustment, G_SIGNAL_MATCH_FUNC | G_SIGNAL_MATCH_DATA, 0, 0, NULL,
                             gtk_widget_queue_allocate, self) == 0)
    g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (gtk_widget_queue_allocate),
                             self, G_CONNECT_SWAPPED);
}

static void
follow_scrolled_descendants (MhToastArea *self,
                             GtkWidget   *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget))
    follow_scrolled_window (self, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    follow_scrolled_descendants (self, child);
}

static void
follow_scrolling (MhToastArea *self,
                  GtkWidget   *widget,
                  gboolean     descendants)
{
  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL && w != GTK_WIDGET (self);
       w = gtk_widget_get_parent (w))
    if (GTK_IS_SCROLLED_WINDOW (w))
      follow_scrolled_window (self, w);
  if (descendants)
    follow_scrolled_descendants (self, widget);
}

void
mh_toast_area_add_bar (MhToastArea *self,
                       GtkWidget   *bar)
{
  g_return_if_fail (MH_IS_TOAST_AREA (self));
  g_return_if_fail (GTK_IS_WIDGET (bar));

  g_ptr_array_add (self->bars, bar);
  g_object_weak_ref (G_OBJECT (bar), forget_bar, self);
  follow_scrolling (self, bar, FALSE);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
toast_dismissed_cb (MhToastArea *self,
                    AdwToast    *toast)
{
  g_signal_handlers_disconnect_by_data (toast, self);
  g_ptr_array_remove (self->toasts, toast);
}

void
mh_toast_area_add_toast (MhToastArea *self,
                         AdwToast    *toast)
{
  g_return_if_fail (MH_IS_TOAST_AREA (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  g_ptr_array_add (self->toasts, g_object_ref (toast));
  g_signal_connect_swapped (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->overlay), toast);
}

/* Every button shown under @root, now and later (a list's rows). */
void
mh_toast_area_add_buttons (MhToastArea *self,
                           GtkWidget   *root)
{
  g_return_if_fail (MH_IS_TOAST_AREA (self));
  g_return_if_fail (GTK_IS_WIDGET (root));

  g_ptr_array_add (self->roots, root);
  g_object_weak_ref (G_OBJECT (root), forget_bar, self);
  follow_scrolling (self, root, TRUE);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}
