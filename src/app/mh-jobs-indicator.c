/* mh-jobs-indicator.c: the running jobs, seen from every page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"


#include "mh-job.h"
#include "mh-jobs-indicator.h"

struct _MhJobsIndicator
{
  AdwBin        parent_instance;

  GListModel   *model;
  GPtrArray    *watched;      /* MhJob, each with our notify::state handler */
  AdwViewStack *view_stack;   /* weak */
  guint         n_running;

  GtkLabel     *badge;
};

G_DEFINE_FINAL_TYPE (MhJobsIndicator, mh_jobs_indicator, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_VIEW_STACK,
  PROP_N_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------ */
/* Counting                                                                 */

guint
mh_jobs_indicator_count_running (MhJobsIndicator *self,
                                 const char      *tool_id)
{
  g_return_val_if_fail (MH_IS_JOBS_INDICATOR (self), 0);

  return mh_jobs_count_running (self->model, tool_id);
}

/* The tab of each tool that has a running job: its count, and the dot a
 * narrow window's bottom bar shows. History is no tool. */
static void
update_tabs (MhJobsIndicator *self)
{
  g_autoptr(GtkSelectionModel) pages = NULL;
  guint n;

  if (self->view_stack == NULL)
    return;

  pages = adw_view_stack_get_pages (self->view_stack);
  n = g_list_model_get_n_items (G_LIST_MODEL (pages));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      const char *name = adw_view_stack_page_get_name (page);
      guint count;

      if (name == NULL || mh_tool_lookup (name) == NULL)
        continue;

      count = mh_jobs_indicator_count_running (self, name);
      adw_view_stack_page_set_badge_number (page, count);
      adw_view_stack_page_set_needs_attention (page, count > 0);
    }
}

static void
update (MhJobsIndicator *self)
{
  guint n_running = mh_jobs_indicator_count_running (self, NULL);
  g_autofree char *text = NULL;

  /* Two digits at most: a badge is a glance, the list has the rest. */
  text = n_running > 99 ? g_strdup ("99+") : g_strdup_printf ("%u", n_running);
  gtk_label_set_label (self->badge, text);
  gtk_widget_set_visible (GTK_WIDGET (self->badge), n_running > 0);
  update_tabs (self);

  if (n_running != self->n_running)
    {
      self->n_running = n_running;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNNING]);
    }
}

static void
unwatch_jobs (MhJobsIndicator *self)
{
  for (guint i = 0; i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->watched, i), update, self);
  g_ptr_array_set_size (self->watched, 0);
}

/* Every job of the list, whichever changed: a session has few. */
static void
watch_jobs (MhJobsIndicator *self)
{
  guint n = self->model != NULL ? g_list_model_get_n_items (self->model) : 0;

  unwatch_jobs (self);
  for (guint i = 0; i < n; i++)
    {
      MhJob *job = g_list_model_get_item (self->model, i);

      g_signal_connect_swapped (job, "notify::state", G_CALLBACK (update), self);
      g_ptr_array_add (self->watched, job);
    }
  update (self);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
mh_jobs_indicator_dispose (GObject *object)
{
  MhJobsIndicator *self = MH_JOBS_INDICATOR (object);

  mh_jobs_indicator_set_model (self, NULL);
  mh_jobs_indicator_set_view_stack (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), MH_TYPE_JOBS_INDICATOR);

  G_OBJECT_CLASS (mh_jobs_indicator_parent_class)->dispose (object);
}

static void
mh_jobs_indicator_finalize (GObject *object)
{
  MhJobsIndicator *self = MH_JOBS_INDICATOR (object);

  g_clear_pointer (&self->watched, g_ptr_array_unref);

  G_OBJECT_CLASS (mh_jobs_indicator_parent_class)->finalize (object);
}

static void
mh_jobs_indicator_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MhJobsIndicator *self = MH_JOBS_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_VIEW_STACK:
      g_value_set_object (value, self->view_stack);
      break;
    case PROP_N_RUNNING:
      g_value_set_uint (value, self->n_running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_jobs_indicator_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MhJobsIndicator *self = MH_JOBS_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      mh_jobs_indicator_set_model (self, g_value_get_object (value));
      break;
    case PROP_VIEW_STACK:
      mh_jobs_indicator_set_view_stack (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_jobs_indicator_class_init (MhJobsIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = mh_jobs_indicator_dispose;
  object_class->finalize = mh_jobs_indicator_finalize;
  object_class->get_property = mh_jobs_indicator_get_property;
  object_class->set_property = mh_jobs_indicator_set_property;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mhstudio/MagicHourStudio/mh-jobs-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, MhJobsIndicator, badge);

  properties[PROP_MODEL] = g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL, flags);
  properties[PROP_VIEW_STACK] = g_param_spec_object ("view-stack", NULL, NULL, ADW_TYPE_VIEW_STACK, flags);
  properties[PROP_N_RUNNING] = g_param_spec_uint ("n-running", NULL, NULL, 0, G_MAXUINT, 0,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "jobsindicator");
}

static void
mh_jobs_indicator_init (MhJobsIndicator *self)
{
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------------ */
/* Public                                                                   */

GtkWidget *
mh_jobs_indicator_new (void)
{
  return g_object_new (MH_TYPE_JOBS_INDICATOR, NULL);
}

void
mh_jobs_indicator_set_model (MhJobsIndicator *self,
                             GListModel      *model)
{
  g_return_if_fail (MH_IS_JOBS_INDICATOR (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;

  if (self->model != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->model, watch_jobs, self);
      unwatch_jobs (self);
    }
  g_set_object (&self->model, model);
  if (model != NULL)
    g_signal_connect_swapped (model, "items-changed", G_CALLBACK (watch_jobs), self);

  /* Not while disposing: the badge may be gone. */
  if (self->badge != NULL)
    watch_jobs (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

void
mh_jobs_indicator_set_view_stack (MhJobsIndicator *self,
                                  AdwViewStack    *view_stack)
{
  g_return_if_fail (MH_IS_JOBS_INDICATOR (self));
  g_return_if_fail (view_stack == NULL || ADW_IS_VIEW_STACK (view_stack));

  if (self->view_stack == view_stack)
    return;

  g_clear_weak_pointer (&self->view_stack);
  g_set_weak_pointer (&self->view_stack, view_stack);
  update_tabs (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_STACK]);
}

guint
mh_jobs_indicator_get_n_running (MhJobsIndicator *self)
{
  g_return_val_if_fail (MH_IS_JOBS_INDICATOR (self), 0);
  return self->n_running;
}
