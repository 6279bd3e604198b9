/* mh-form-panes.c: a tool's form in two panes when wide, one column when not
 *
 * The arrangement is a function of the width given and nothing else: the
 * height asked for a width (measure) and the allocation of that width use
 * the same rule, so a change of layout never feeds back into the width that
 * chose it, and nothing is moved between parents.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mh-form-panes.h"

/* The inputs pane takes this share of the width, within these bounds; the
 * media pane the rest, up to its own bound. */
#define INPUTS_SHARE 0.42
#define INPUTS_MIN_WIDTH 360
#define INPUTS_MAX_WIDTH 560
#define MEDIA_MAX_WIDTH 880

struct _MhFormPanes
{
  GtkWidget  parent_instance;

  int        spacing;
  int        column_spacing;
  int        maximum_size;
  int        wide_threshold;
  gboolean   wide;
};

static void mh_form_panes_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MhFormPanes, mh_form_panes, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, mh_form_panes_buildable_init))

enum {
  PROP_0,
  PROP_SPACING,
  PROP_COLUMN_SPACING,
  PROP_MAXIMUM_SIZE,
  PROP_WIDE_THRESHOLD,
  PROP_WIDE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static GtkBuildableIface *parent_buildable_iface;
static GQuark pane_quark;

/* Where each pane lies for @width: x and width. */
typedef struct
{
  gboolean wide;
  int      media_x, media_width;
  int      inputs_x, inputs_width;
} Columns;

static MhFormPane
child_pane (GtkWidget *child)
{
  return GPOINTER_TO_INT (g_object_get_qdata (G_OBJECT (child), pane_quark));
}

static Columns
columns_for_width (MhFormPanes *self,
                   int          width)
{
  Columns c = { 0 };

  c.wide = mh_form_panes_is_wide_at (self, width);
  if (c.wide)
    {
      int free_width = width - self->column_spacing;
      int total;

      c.inputs_width = CLAMP ((int) (free_width * INPUTS_SHARE), INPUTS_MIN_WIDTH, INPUTS_MAX_WIDTH);
      c.media_width = MIN (free_width - c.inputs_width, MEDIA_MAX_WIDTH);
      total = c.media_width + self->column_spacing + c.inputs_width;
      c.media_x = (width - total) / 2;
      c.inputs_x = c.media_x + c.media_width + self->column_spacing;
    }
  else
    {
      c.inputs_width = c.media_width = MIN (width, self->maximum_size);
      c.inputs_x = c.media_x = (width - c.inputs_width) / 2;
    }

  return c;
}

static int
child_min_width (GtkWidget *child)
{
  int min = 0;

  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  return min;
}

static void
pane_geometry (MhFormPanes *self,
               Columns     *c,
               GtkWidget   *child,
               int         *x,
               int         *width)
{
  gboolean media = c->wide && child_pane (child) == MH_FORM_PANE_MEDIA;

  *x = media ? c->media_x : c->inputs_x;
  *width = media ? c->media_width : c->inputs_width;
  /* Never below what the child needs (a narrow window is held at the
   * column's minimum by measure()). */
  *width = MAX (*width, child_min_width (child));
}

/* The height of the children of @pane (every child when not wide). */
static int
pane_height (MhFormPanes *self,
             Columns     *c,
             int          pane)
{
  int height = 0;
  int n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int x, width, min = 0;

      if (!gtk_widget_should_layout (child) || (c->wide && (int) child_pane (child) != pane))
        continue;
      pane_geometry (self, c, child, &x, &width);
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, &min, NULL, NULL, NULL);
      height += min;
      n++;
    }

  return height + MAX (n - 1, 0) * self->spacing;
}

static void
mh_form_panes_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  MhFormPanes *self = MH_FORM_PANES (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int min = 0, nat = 0;

      /* As narrow as the one column can be; naturally as wide as it is. */
      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          int child_min = 0, child_nat = 0;

          if (!gtk_widget_should_layout (child))
            continue;
          gtk_widget_measure (child, orientation, -1, &child_min, &child_nat, NULL, NULL);
          min = MAX (min, child_min);
          nat = MAX (nat, child_nat);
        }
      *minimum = min;
      *natural = MAX (min, MIN (nat, self->maximum_size));
    }
  else
    {
      Columns c;
      int height;

      int ignored;

      /* The content's own natural width (not gtk_widget_measure()'s, which
       * adds the margins). */
      if (for_size < 0)
        mh_form_panes_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &ignored, &for_size, NULL, NULL);
      c = columns_for_width (self, for_size);
      if (c.wide)
        height = MAX (pane_height (self, &c, MH_FORM_PANE_MEDIA),
                      pane_height (self, &c, MH_FORM_PANE_INPUTS));
      else
        height = pane_height (self, &c, -1);
      *minimum = *natural = height;
    }
}

static GtkSizeRequestMode
mh_form_panes_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
mh_form_panes_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  MhFormPanes *self = MH_FORM_PANES (widget);
  Columns c = columns_for_width (self, width);
  int y_media = 0, y_inputs = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gboolean media = c.wide && child_pane (child) == MH_FORM_PANE_MEDIA;
      int *y = media ? &y_media : &y_inputs;
      int x, child_width, child_height = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      pane_geometry (self, &c, child, &x, &child_width);
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, child_width, &child_height, NULL, NULL, NULL);
      gtk_widget_allocate (child, child_width, child_height, -1,
                           gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (x, *y)));
      *y += child_height + self->spacing;
    }

  if (c.wide != self->wide)
    {
      self->wide = c.wide;
      /* Read by tests and styles; nothing sizes itself by it. */
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIDE]);
    }
}

/* ------------------------------------------------------------------------ */
/* GtkBuildable: <child type="media">                                       */

static void
mh_form_panes_add_child (GtkBuildable *buildable,
                         GtkBuilder   *builder,
                         GObject      *child,
                         const char   *type)
{
  if (!GTK_IS_WIDGET (child))
    {
      parent_buildable_iface->add_child (buildable, builder, child, type);
      return;
    }

  if (type == NULL || g_str_equal (type, "inputs"))
    mh_form_panes_append (MH_FORM_PANES (buildable), GTK_WIDGET (child), MH_FORM_PANE_INPUTS);
  else if (g_str_equal (type, "media"))
    mh_form_panes_append (MH_FORM_PANES (buildable), GTK_WIDGET (child), MH_FORM_PANE_MEDIA);
  else
    g_warning ("MhFormPanes has no pane “%s”", type);
}

static void
mh_form_panes_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = mh_form_panes_add_child;
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
mh_form_panes_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (mh_form_panes_parent_class)->dispose (object);
}

static void
set_int (MhFormPanes *self,
         int         *field,
         int          value,
         int          prop_id)
{
  if (*field == value)
    return;
  *field = value;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
mh_form_panes_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MhFormPanes *self = MH_FORM_PANES (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      g_value_set_int (value, self->spacing);
      break;
    case PROP_COLUMN_SPACING:
      g_value_set_int (value, self->column_spacing);
      break;
    case PROP_MAXIMUM_SIZE:
      g_value_set_int (value, self->maximum_size);
      break;
    case PROP_WIDE_THRESHOLD:
      g_value_set_int (value, self->wide_threshold);
      break;
    case PROP_WIDE:
      g_value_set_boolean (value, self->wide);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_form_panes_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MhFormPanes *self = MH_FORM_PANES (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      set_int (self, &self->spacing, g_value_get_int (value), prop_id);
      break;
    case PROP_COLUMN_SPACING:
      set_int (self, &self->column_spacing, g_value_get_int (value), prop_id);
      break;
    case PROP_MAXIMUM_SIZE:
      set_int (self, &self->maximum_size, g_value_get_int (value), prop_id);
      break;
    case PROP_WIDE_THRESHOLD:
      set_int (self, &self->wide_threshold, g_value_get_int (value), prop_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Tab follows the order of the children (title, preview, inputs, part to
 * use, options: the order of the one column and of the task), not GTK's
 * geometric order, which in two panes would visit the options before the
 * part to use beside the inputs. */
static gboolean
mh_form_panes_focus (GtkWidget        *widget,
                     GtkDirectionType  direction)
{
  gboolean forward = direction == GTK_DIR_TAB_FORWARD;
  GtkWidget *child;

  if (direction != GTK_DIR_TAB_FORWARD && direction != GTK_DIR_TAB_BACKWARD)
    return GTK_WIDGET_CLASS (mh_form_panes_parent_class)->focus (widget, direction);

  child = gtk_widget_get_focus_child (widget);
  if (child != NULL)
    {
      if (gtk_widget_child_focus (child, direction))
        return TRUE;
      child = forward ? gtk_widget_get_next_sibling (child) : gtk_widget_get_prev_sibling (child);
    }
  else
    {
      child = forward ? gtk_widget_get_first_child (widget) : gtk_widget_get_last_child (widget);
    }

  for (; child != NULL;
       child = forward ? gtk_widget_get_next_sibling (child) : gtk_widget_get_prev_sibling (child))
    {
      if (gtk_widget_child_focus (child, direction))
        return TRUE;
    }

  return FALSE;
}

static void
mh_form_panes_class_init (MhFormPanesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = mh_form_panes_dispose;
  object_class->get_property = mh_form_panes_get_property;
  object_class->set_property = mh_form_panes_set_property;

  widget_class->measure = mh_form_panes_measure;
  widget_class->focus = mh_form_panes_focus;
  widget_class->get_request_mode = mh_form_panes_get_request_mode;
  widget_class->size_allocate = mh_form_panes_size_allocate;

  properties[PROP_SPACING] =
    g_param_spec_int ("spacing", NULL, NULL, 0, G_MAXINT, 24, flags);
  properties[PROP_COLUMN_SPACING] =
    g_param_spec_int ("column-spacing", NULL, NULL, 0, G_MAXINT, 36, flags);
  properties[PROP_MAXIMUM_SIZE] =
    g_param_spec_int ("maximum-size", NULL, NULL, 1, G_MAXINT, 640, flags);
  properties[PROP_WIDE_THRESHOLD] =
    g_param_spec_int ("wide-threshold", NULL, NULL, 1, G_MAXINT, 960, flags);
  properties[PROP_WIDE] =
    g_param_spec_boolean ("wide", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "form-panes");
  pane_quark = g_quark_from_static_string ("mh-form-pane");
}

static void
mh_form_panes_init (MhFormPanes *self)
{
  self->spacing = 24;
  self->column_spacing = 36;
  self->maximum_size = 640;
  self->wide_threshold = 960;
}

/* ------------------------------------------------------------------------ */
/* Public                                                                   */

GtkWidget *
mh_form_panes_new (void)
{
  return g_object_new (MH_TYPE_FORM_PANES, NULL);
}

void
mh_form_panes_append (MhFormPanes *self,
                      GtkWidget   *child,
                      MhFormPane   pane)
{
  g_return_if_fail (MH_IS_FORM_PANES (self));
  g_return_if_fail (GTK_IS_WIDGET (child));
  g_return_if_fail (gtk_widget_get_parent (child) == NULL);

  g_object_set_qdata (G_OBJECT (child), pane_quark, GINT_TO_POINTER (pane));
  gtk_widget_insert_before (child, GTK_WIDGET (self), NULL);
}

gboolean
mh_form_panes_get_wide (MhFormPanes *self)
{
  g_return_val_if_fail (MH_IS_FORM_PANES (self), FALSE);
  return self->wide;
}

gboolean
mh_form_panes_is_wide_at (MhFormPanes *self,
                          int          width)
{
  g_return_val_if_fail (MH_IS_FORM_PANES (self), FALSE);
  /* Both panes at their narrowest must fit, whatever the threshold says. */
  return width >= self->wide_threshold &&
         width >= INPUTS_MIN_WIDTH + self->column_spacing + INPUTS_MIN_WIDTH;
}
