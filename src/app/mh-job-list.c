/* mh-job-list.c: the running and finished jobs of this session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mh-a11y.h"
#include "mh-job-list.h"
#include "mh-job-record.h"
#include "mh-params.h"
#include "mh-spinner.h"

/* Wide enough for a job's name beside its state, when the screen allows. */
#define NATURAL_WIDTH 400

struct _MhJobList
{
  AdwBin       parent_instance;

  GListModel  *model;

  GtkStack    *stack;
  GtkListBox  *list_box;
  GtkButton   *clear_button;
};

G_DEFINE_FINAL_TYPE (MhJobList, mh_job_list, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

enum {
  SIGNAL_JOB_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* What a row keeps of its job; the row owns it. */
typedef struct
{
  MhJobList      *list;
  MhJob          *job;
  AdwActionRow   *row;
  GtkStack       *status;      /* "none", "progress", "spinner", "open", "failed", "canceled" */
  GtkProgressBar *progress;
  GtkSpinner     *spinner;
} JobRow;

static void
job_row_free (JobRow *data)
{
  g_clear_object (&data->job);
  g_free (data);
}

/* ------------------------------------------------------------------------ */
/* Rows                                                                     */

static const char *
get_output_path (MhJob *job)
{
  const char *const *outputs = mh_job_get_output_files (job);

  return outputs != NULL ? outputs[0] : NULL;
}

/* A time of this session, as the clock says it; with the day when that is
 * not today (a job resumed from an earlier run). */
static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* Translators: a g_date_time_format() format for a time today: "14:02" */
    return g_date_time_format (local, _("%H:%M"));
  /* Translators: a g_date_time_format() format for a time on another day: "3 March, 17:40" */
  return g_date_time_format (local, _("%-d %B, %H:%M"));
}

/* When the job started: its record's creation (which a resumed job keeps). */
static char *
dup_started (MhJob *job)
{
  MhJobRecord *record = mh_job_get_record (job);

  return record != NULL ? format_time (mh_job_record_get_created (record)) : NULL;
}

/* When the job entered the state it is in (the engine counts in monotonic time). */
static char *
dup_state_time (MhJob *job)
{
  gint64 ago = g_get_monotonic_time () - mh_job_get_state_since (job);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) since = g_date_time_add (now, -MAX (ago, 0));

  return format_time (since);
}

static void update_clear_button (MhJobList *self);

/* A sentence a person reads: the step or the outcome, and when; never a
 * file name for a state (the title is the job's name). */
static void
update_row (JobRow *data)
{
  MhJobState state = mh_job_get_state (data->job);
  double fraction = mh_job_get_fraction (data->job);
  const char *message = mh_job_get_message (data->job);
  const char *path = get_output_path (data->job);
  g_autofree char *subtitle = NULL;
  g_autofree char *time = NULL;
  const char *status;

  if (message == NULL)
    message = "";

  switch (state)
    {
    case MH_JOB_STATE_IDLE:
      status = "none";
      subtitle = g_strdup (_("Not started yet"));
      break;
    case MH_JOB_STATE_DONE:
      status = path != NULL ? "open" : "none";
      time = dup_state_time (data->job);
      /* Translators: %s is the time a job ended, e.g. “14:05” */
      subtitle = g_strdup_printf (_("Done at %s"), time);
      break;
    case MH_JOB_STATE_FAILED:
      status = "failed";
      time = dup_state_time (data->job);
      /* Translators: the time a job failed, then why: “14:06 · No face was found in the photo.” */
      subtitle = g_strdup_printf (_("Failed at %s · %s"), time, message);
      break;
    case MH_JOB_STATE_CANCELED:
      status = "canceled";
      time = dup_state_time (data->job);
      /* Translators: %s is the time a job was canceled; the tooltip says what that means */
      subtitle = g_strdup_printf (_("Canceled at %s"), time);
      break;
    case MH_JOB_STATE_VALIDATING:
    case MH_JOB_STATE_UPLOADING:
    case MH_JOB_STATE_CREATING:
    case MH_JOB_STATE_QUEUED:
    case MH_JOB_STATE_RENDERING:
    case MH_JOB_STATE_DOWNLOADING:
    default:
      status = fraction >= 0 ? "progress" : "spinner";
      time = dup_started (data->job);
      if (time != NULL)
        /* Translators: when a job started, then its step: “Started 14:02 · Rendering at Magic Hour…” */
        subtitle = g_strdup_printf (_("Started %s · %s"), time, message);
      else
        subtitle = g_strdup (message);
      break;
    }

  adw_action_row_set_subtitle (data->row, subtitle);
  /* The engine's whole sentence ("Canceled. A render already started at
   * Magic Hour may still finish and be charged."). */
  gtk_widget_set_tooltip_text (GTK_WIDGET (data->row), *message != '\0' ? message : subtitle);

  if (fraction >= 0)
    gtk_progress_bar_set_fraction (data->progress, fraction);
  mh_spinner_set_spinning (data->spinner, g_str_equal (status, "spinner"));
  gtk_stack_set_visible_child_name (data->status, status);
}

static void
job_notify_cb (AdwActionRow *row)
{
  update_row (g_object_get_data (G_OBJECT (row), "mh-job-row"));
}

static void
job_state_cb (AdwActionRow *row)
{
  JobRow *data = g_object_get_data (G_OBJECT (row), "mh-job-row");

  update_row (data);
  update_clear_button (data->list);
}

static void
open_clicked_cb (GtkButton *button,
                 JobRow    *data)
{
  const char *path = get_output_path (data->job);
  g_autoptr(GFile) file = NULL;
  g_autofree char *uri = NULL;
  GtkRoot *root;

  if (path == NULL)
    return;

  file = g_file_new_for_path (path);
  uri = g_file_get_uri (file);
  root = gtk_widget_get_root (GTK_WIDGET (button));
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static GtkWidget *
add_status_image (GtkStack   *stack,
                  const char *name,
                  const char *icon_name,
                  const char *style_class,
                  const char *label)
{
  GtkWidget *image = gtk_image_new_from_icon_name (icon_name);

  gtk_widget_add_css_class (image, style_class);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_stack_add_named (stack, image, name);

  return image;
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  MhJob *job = item;
  const MhTool *tool = mh_job_get_tool (job);
  g_autofree char *title = mh_job_dup_title (job);
  JobRow *data = g_new0 (JobRow, 1);
  GtkWidget *icon, *button;

  /* The row lives in the list's box: never longer than the list. */
  data->list = user_data;
  data->job = g_object_ref (job);
  data->row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (data->row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->row),
                                 title);
  adw_action_row_set_title_lines (data->row, 1);
  adw_action_row_set_subtitle_lines (data->row, 2);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (data->row), TRUE);
  g_object_set_data_full (G_OBJECT (data->row), "mh-job-row", data,
                          (GDestroyNotify) job_row_free);

  icon = gtk_image_new_from_icon_name (tool->icon_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _(tool->name), -1);
  adw_action_row_add_prefix (data->row, icon);

  data->status = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_hhomogeneous (data->status, FALSE);
  gtk_widget_set_valign (GTK_WIDGET (data->status), GTK_ALIGN_CENTER);

  gtk_stack_add_named (data->status, gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0), "none");

  data->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_size_request (GTK_WIDGET (data->progress), 64, -1);
  gtk_widget_set_valign (GTK_WIDGET (data->progress), GTK_ALIGN_CENTER);
  gtk_stack_add_named (data->status, GTK_WIDGET (data->progress), "progress");

  data->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (data->spinner),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("In progress"), -1);
  gtk_stack_add_named (data->status, GTK_WIDGET (data->spinner), "spinner");

  button = gtk_button_new_with_mnemonic (_("_Open"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Open the result in its default app"));
  mh_a11y_fix_mnemonic_names (button);
  g_signal_connect (button, "clicked", G_CALLBACK (open_clicked_cb), data);
  gtk_stack_add_named (data->status, button, "open");

  add_status_image (data->status, "failed", "dialog-error-symbolic", "error", _("Failed"));
  add_status_image (data->status, "canceled", "process-stop-symbolic", "dim-label", _("Canceled"));

  adw_action_row_add_suffix (data->row, GTK_WIDGET (data->status));

  /* The row goes away with its handlers; the job may outlive it. */
  g_signal_connect_object (job, "notify::state", G_CALLBACK (job_state_cb), data->row, G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "notify::fraction", G_CALLBACK (job_notify_cb), data->row, G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "notify::message", G_CALLBACK (job_notify_cb), data->row, G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "notify::output-files", G_CALLBACK (job_notify_cb), data->row, G_CONNECT_SWAPPED);

  update_row (data);

  return GTK_WIDGET (data->row);
}

/* ------------------------------------------------------------------------ */
/* The list                                                                 */

/* Clear Finished: only the session's own list can lose items, and only
 * when one has ended. */
static void
update_clear_button (MhJobList *self)
{
  guint n = self->model != NULL ? g_list_model_get_n_items (self->model) : 0;
  gboolean any_finished = FALSE;

  if (self->clear_button == NULL)
    return;

  for (guint i = 0; i < n && !any_finished; i++)
    {
      g_autoptr(MhJob) job = g_list_model_get_item (self->model, i);

      any_finished = mh_job_state_is_finished (mh_job_get_state (job));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->clear_button), G_IS_LIST_STORE (self->model));
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_button), any_finished);
}

static void
update_empty (MhJobList *self)
{
  gboolean empty = self->model == NULL || g_list_model_get_n_items (self->model) == 0;

  if (self->stack != NULL)
    gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
  update_clear_button (self);
}

/* Only this list forgets them: the history keeps their records, and their
 * results stay where they were saved. */
static void
clear_clicked_cb (MhJobList *self)
{
  GListStore *store;

  if (!G_IS_LIST_STORE (self->model))
    return;

  store = G_LIST_STORE (self->model);
  for (guint i = g_list_model_get_n_items (self->model); i > 0; i--)
    {
      g_autoptr(MhJob) job = g_list_model_get_item (self->model, i - 1);

      if (mh_job_state_is_finished (mh_job_get_state (job)))
        g_list_store_remove (store, i - 1);
    }
}

/* The natural width is the popover's: names get room beside their state;
 * the minimum stays small for a narrow screen. (AdwBin measures through its
 * layout manager, so this one replaces it.) */
static void
layout_measure (GtkWidget      *widget,
                GtkOrientation  orientation,
                int             for_size,
                int            *minimum,
                int            *natural,
                int            *minimum_baseline,
                int            *natural_baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  *minimum = *natural = 0;
  if (child == NULL || !gtk_widget_should_layout (child))
    return;

  gtk_widget_measure (child, orientation, for_size, minimum, natural, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = MAX (*minimum, NATURAL_WIDTH);
}

static void
layout_allocate (GtkWidget *widget,
                 int        width,
                 int        height,
                 int        baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_allocate (child, width, height, baseline, NULL);
}

static void
row_activated_cb (MhJobList     *self,
                  GtkListBoxRow *row)
{
  JobRow *data = g_object_get_data (G_OBJECT (row), "mh-job-row");

  if (data != NULL)
    g_signal_emit (self, signals[SIGNAL_JOB_ACTIVATED], 0, data->job);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
mh_job_list_dispose (GObject *object)
{
  MhJobList *self = MH_JOB_LIST (object);

  mh_job_list_set_model (self, NULL);
  /* The bin lets go of the stack before the template forgets it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), MH_TYPE_JOB_LIST);

  G_OBJECT_CLASS (mh_job_list_parent_class)->dispose (object);
}

static void
mh_job_list_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MhJobList *self = MH_JOB_LIST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_job_list_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  MhJobList *self = MH_JOB_LIST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      mh_job_list_set_model (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_job_list_class_init (MhJobListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_job_list_dispose;
  object_class->get_property = mh_job_list_get_property;
  object_class->set_property = mh_job_list_set_property;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mhstudio/MagicHourStudio/mh-job-list.ui");
  gtk_widget_class_bind_template_child (widget_class, MhJobList, stack);
  gtk_widget_class_bind_template_child (widget_class, MhJobList, list_box);
  gtk_widget_class_bind_template_child (widget_class, MhJobList, clear_button);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_clicked_cb);

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_JOB_ACTIVATED] =
    g_signal_new ("job-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MH_TYPE_JOB);
}

static void
mh_job_list_init (MhJobList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (GTK_WIDGET (self),
                                 gtk_custom_layout_new (NULL, layout_measure, layout_allocate));
  update_empty (self);
}

/* ------------------------------------------------------------------------ */
/* Public                                                                   */

GtkWidget *
mh_job_list_new (void)
{
  return g_object_new (MH_TYPE_JOB_LIST, NULL);
}

void
mh_job_list_set_model (MhJobList  *self,
                       GListModel *model)
{
  g_return_if_fail (MH_IS_JOB_LIST (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);

  g_set_object (&self->model, model);

  if (model != NULL)
    g_signal_connect_swapped (model, "items-changed", G_CALLBACK (update_empty), self);

  if (self->list_box != NULL)
    gtk_list_box_bind_model (self->list_box, model, create_row_cb, self, NULL);
  update_empty (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}
