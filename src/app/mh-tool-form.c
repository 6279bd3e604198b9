/* mh-tool-form.c: everything a tool's page repeats, built from the tool table
 *
 * This file builds the rows, keeps the form's state (what is valid, the
 * problem, the cost) and runs the jobs; mh-tool-form-media.c is the big
 * preview and the timeline, mh-tool-form-cost.c what the job costs and what
 * the account allows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "mh-error.h"
#include "mh-form-panes.h"
#include "mh-params.h"
#include "mh-tool-form-private.h"
#include "mh-validate.h"

G_DEFINE_FINAL_TYPE (MhToolForm, mh_tool_form, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TOOL_ID,
  PROP_INTRO,
  PROP_CAN_GENERATE,
  PROP_PROBLEM,
  PROP_COST,
  N_PROPS
};

enum {
  TOAST,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void schedule_update (MhToolForm *self);

/* ------------------------------------------------------------------------ */
/* Inputs                                                                   */

static MhFileRow *
find_slot_row (MhToolForm *self,
               const char *key)
{
  for (guint i = 0; self->slot_rows != NULL && i < self->slot_rows->len; i++)
    {
      MhFileRow *row = g_ptr_array_index (self->slot_rows, i);

      if (g_str_equal (mh_file_row_get_slot (row)->key, key))
        return row;
    }
  return NULL;
}

static void
format_seconds (char    *buffer,
                gsize    size,
                double   seconds)
{
  /* Tenths are what the row shows; two decimals keep rounding out of it. */
  g_ascii_formatd (buffer, size, "%.2f", seconds);
}

/* The inputs as they stand, including options that may not apply. */
static GHashTable *
collect_params (MhToolForm *self)
{
  GHashTable *params = mh_params_new ();

  for (guint i = 0; i < self->slot_rows->len; i++)
    {
      MhFileRow *row = g_ptr_array_index (self->slot_rows, i);

      mh_params_set (params, mh_file_row_get_slot (row)->key, mh_file_row_get_value (row));
      mh_params_set_input_name (params, mh_file_row_get_slot (row)->key,
                                mh_file_row_get_item_name (row));
    }

  if (self->time_row != NULL && mh_time_range_row_get_end (self->time_row) > 0)
    {
      char start[G_ASCII_DTOSTR_BUF_SIZE], end[G_ASCII_DTOSTR_BUF_SIZE];

      format_seconds (start, sizeof start, mh_time_range_row_get_start (self->time_row));
      format_seconds (end, sizeof end, mh_time_range_row_get_end (self->time_row));
      mh_params_set (params, "start", start);
      mh_params_set (params, "end", end);
    }

  for (guint i = 0; i < self->option_rows->len; i++)
    {
      MhOptionRow *row = g_ptr_array_index (self->option_rows, i);

      mh_params_set (params, mh_option_row_get_option (row)->key, mh_option_row_get_value (row));
    }

  return params;
}

GHashTable *
mh_tool_form_dup_params (MhToolForm *self)
{
  GHashTable *params;

  g_return_val_if_fail (MH_IS_TOOL_FORM (self), NULL);

  params = collect_params (self);

  /* An option of another mode keeps its value in its (hidden) row, but is
   * not part of this job. */
  for (guint i = 0; i < self->option_rows->len; i++)
    {
      const MhOption *option = mh_option_row_get_option (g_ptr_array_index (self->option_rows, i));

      if (!mh_tool_option_applies (self->tool, option, params))
        g_hash_table_remove (params, option->key);
    }

  return params;
}

static GHashTable *
collect_durations (MhToolForm *self)
{
  GHashTable *durations = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  for (guint i = 0; i < self->slot_rows->len; i++)
    {
      MhFileRow *row = g_ptr_array_index (self->slot_rows, i);
      double duration = mh_file_row_get_duration (row);

      if (duration > 0 && mh_file_row_get_value (row) != NULL)
        {
          double *copy = g_new (double, 1);

          *copy = duration;
          g_hash_table_insert (durations, (gpointer) mh_file_row_get_slot (row)->key, copy);
        }
    }

  return durations;
}

static void
set_string (char       **field,
            const char  *value,
            GObject     *object,
            GParamSpec  *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (object, pspec);
}

static gboolean
update (gpointer user_data)
{
  MhToolForm *self = user_data;
  g_autoptr(GHashTable) params = collect_params (self);
  g_autoptr(GHashTable) durations = collect_durations (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *bad_key = NULL;
  g_autofree char *refusal = NULL;
  MhCostEstimate estimate = { -1, -1 };
  gboolean buy = FALSE;
  gboolean valid;
  gboolean can_generate;
  gboolean missing;

  self->update_id = 0;

  /* Options show only for the modes they apply to. */
  for (guint i = 0; i < self->option_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->option_rows, i);
      const MhOption *option = mh_option_row_get_option (MH_OPTION_ROW (row));
      gboolean applies = mh_tool_option_applies (self->tool, option, params);

      gtk_widget_set_visible (row, applies);
      if (!applies)
        g_hash_table_remove (params, option->key);
      mh_option_row_set_default_description (MH_OPTION_ROW (row),
                                             mh_tool_describe_default (self->tool, option, params));
    }

  /* One of two alternative sources: the other steps aside. */
  for (guint i = 0; i < self->slot_rows->len; i++)
    {
      MhFileRow *row = g_ptr_array_index (self->slot_rows, i);
      const MhAssetSlot *slot = mh_file_row_get_slot (row);
      gboolean other_given = FALSE;

      if (slot->source_group == NULL)
        continue;
      for (guint j = 0; j < self->tool->n_slots; j++)
        if (&self->tool->slots[j] != slot &&
            g_strcmp0 (self->tool->slots[j].source_group, slot->source_group) == 0 &&
            mh_params_get (params, self->tool->slots[j].key) != NULL)
          other_given = TRUE;
      gtk_widget_set_sensitive (GTK_WIDGET (row), !other_given);
    }
  /* A YouTube link instead of the video: nothing to show. */
  gtk_widget_set_visible (GTK_WIDGET (self->preview),
                          self->preview_row != NULL && gtk_widget_get_sensitive (GTK_WIDGET (self->preview_row)));

  if (self->time_row != NULL)
    {
      double duration = -1;

      for (guint i = 0; i < self->slot_rows->len; i++)
        {
          MhFileRow *row = g_ptr_array_index (self->slot_rows, i);

          if (mh_file_row_get_slot (row)->bounds_time_range && mh_file_row_get_value (row) != NULL)
            duration = mh_file_row_get_duration (row);
        }
      mh_time_range_row_set_max_clip (self->time_row, mh_tool_max_clip_seconds (self->tool, params));
      mh_time_range_row_set_duration (self->time_row, duration);
      mh_tool_form_update_timeline (self, params);
      if (self->pending_range && (self->pending_ready || self->pending_value == NULL))
        {
          self->pending_range = FALSE;
          mh_time_range_row_set_range (self->time_row, self->pending_start, self->pending_end);
          /* The range changes the cost and what is valid. */
          g_hash_table_unref (params);
          params = collect_params (self);
          for (guint i = 0; i < self->option_rows->len; i++)
            {
              const MhOption *option = mh_option_row_get_option (g_ptr_array_index (self->option_rows, i));

              if (!mh_tool_option_applies (self->tool, option, params))
                g_hash_table_remove (params, option->key);
            }
        }
    }

  valid = mh_validate_params (self->tool, params, durations, &bad_key, &error);
  can_generate = valid && self->application != NULL &&
                 (mh_application_get_has_key (self->application) ||
                  mh_application_get_demo (self->application));

  if (valid && !can_generate)
    error = g_error_new_literal (MH_ERROR, MH_ERROR_NO_KEY,
                                 _("Enter your API key in Preferences, or try the demo."));

  mh_tool_form_update_plan (self);

  /* Nothing is sent that the account would refuse. */
  cost = mh_tool_form_describe_cost (self, params, &estimate);
  refusal = can_generate ? mh_tool_form_account_problem (self, params, &estimate, &buy) : NULL;
  if (refusal != NULL)
    {
      can_generate = FALSE;
      error = g_error_new_literal (MH_ERROR, buy ? MH_ERROR_INSUFFICIENT_CREDITS
                                                 : MH_ERROR_PLAN_UPGRADE_REQUIRED, refusal);
    }
  mh_tool_form_show_buy_credits (self, buy ? error : NULL);

  set_string (&self->problem, error != NULL ? error->message : NULL,
              G_OBJECT (self), properties[PROP_PROBLEM]);
  gtk_label_set_label (self->problem_label, self->problem != NULL ? self->problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), self->problem != NULL);

  /* Something not given yet is the next step, said calmly; something given
   * wrong is a mistake, in red. */
  missing = bad_key != NULL && mh_params_get (params, bad_key) == NULL;
  if (missing || (valid && refusal == NULL))
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->problem_label), "problem");
      gtk_widget_add_css_class (GTK_WIDGET (self->problem_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->problem_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->problem_label), "problem");
    }

  set_string (&self->cost, cost, G_OBJECT (self), properties[PROP_COST]);
  gtk_label_set_label (self->cost_label, self->cost);

  if (can_generate != self->can_generate)
    {
      self->can_generate = can_generate;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_GENERATE]);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.generate", can_generate);

  return G_SOURCE_REMOVE;
}

/* Many notifications arrive together (a file brings a value, then a
 * duration, which moves the range): one update for them all. */
static void
schedule_update (MhToolForm *self)
{
  if (self->update_id == 0)
    self->update_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update, self, NULL);
}

/* ------------------------------------------------------------------------ */
/* Jobs                                                                     */

void
mh_tool_form_show_job (MhToolForm *self,
                       MhJob      *job)
{
  g_return_if_fail (MH_IS_TOOL_FORM (self));

  mh_job_view_set_job (self->job_view, job);
  gtk_stack_set_visible_child_name (self->stack, "job");
}

void
mh_tool_form_show_inputs (MhToolForm *self)
{
  g_return_if_fail (MH_IS_TOOL_FORM (self));
  gtk_stack_set_visible_child_name (self->stack, "inputs");
}

/* Every job is recorded in the history as it runs. */
static MhJob *
start_job (MhToolForm *self,
           GHashTable *params)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(MhJob) job = NULL;

  job = mh_job_store_new_job (mh_application_get_store (self->application),
                              mh_application_get_client (self->application),
                              self->tool, params);
  dir = mh_application_dup_results_dir (self->application, self->tool->kind);
  mh_job_set_output_dir (job, dir);
  mh_application_run_job (self->application, job);
  mh_tool_form_show_job (self, job);

  /* The application's list of jobs keeps it. */
  return job;
}

MhJob *
mh_tool_form_generate (MhToolForm *self)
{
  g_autoptr(GHashTable) params = NULL;

  g_return_val_if_fail (MH_IS_TOOL_FORM (self), NULL);

  /* Ctrl+Return arrives before an idle update may have run. */
  g_clear_handle_id (&self->update_id, g_source_remove);
  update (self);
  if (!self->can_generate)
    return NULL;

  params = mh_tool_form_dup_params (self);
  return start_job (self, params);
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  mh_tool_form_generate (MH_TOOL_FORM (widget));
}

static void
show_inputs_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  mh_tool_form_show_inputs (MH_TOOL_FORM (widget));
}

static void
retry_cb (MhToolForm *self)
{
  MhJob *failed = mh_job_view_get_job (self->job_view);
  MhJobRecord *record;

  if (failed == NULL || self->application == NULL)
    return;

  /* A project that exists at Magic Hour (the network failed while waiting
   * for it) is followed again, never created a second time. */
  record = mh_job_get_record (failed);
  if (record != NULL && mh_job_record_needs_resume (record) && !mh_job_record_get_running (record) &&
      g_strcmp0 (mh_job_record_get_api_base_url (record),
                 mh_client_get_base_url (mh_application_get_client (self->application))) == 0)
    {
      g_autoptr(MhJob) job = NULL;

      job = mh_job_store_continue_job (mh_application_get_store (self->application),
                                       mh_application_get_client (self->application),
                                       record, FALSE);
      mh_application_run_job (self->application, job);
      mh_tool_form_show_job (self, job);
      return;
    }

  start_job (self, mh_job_get_params (failed));
}

static void
toast_cb (MhToolForm *self,
          AdwToast   *toast)
{
  g_signal_emit (self, signals[TOAST], 0, toast);
}

/* ------------------------------------------------------------------------ */
/* Files from outside: drop, paste, the command line                        */

static void
toast_text (MhToolForm *self,
            const char *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 6);
  g_signal_emit (self, signals[TOAST], 0, toast);
}

const MhAssetSlot *
mh_tool_form_slot_for_file (MhToolForm *self,
                            GFile      *file,
                            GHashTable *taken)
{
  g_autofree char *name = g_file_get_basename (file);
  const MhAssetSlot *slot;

  if (name == NULL)
    return NULL;
  slot = mh_tool_slot_for_path (self->tool, name, taken);
  /* Every slot of that type was filled by an earlier file: the last wins. */
  if (slot == NULL)
    slot = mh_tool_slot_for_path (self->tool, name, NULL);
  return slot;
}

void
mh_tool_form_add_files (MhToolForm  *self,
                        GFile      **files,
                        guint        n_files)
{
  g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_if_fail (MH_IS_TOOL_FORM (self));

  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *name = g_file_get_basename (files[i]);
      const MhAssetSlot *slot = mh_tool_form_slot_for_file (self, files[i], taken);
      g_autoptr(GError) error = NULL;
      MhFileRow *row;

      if (slot == NULL)
        {
          g_autofree char *text = g_strdup_printf (_("“%s” cannot be used by %s: it is not a type this tool takes."),
                                                   name, _(self->tool->name));
          toast_text (self, text);
          continue;
        }

      row = find_slot_row (self, slot->key);
      if (!mh_file_row_set_file (row, files[i], &error))
        toast_text (self, error->message);
      g_hash_table_add (taken, (gpointer) slot->key);
    }

  mh_tool_form_show_inputs (self);
}

static void
slot_duration_cb (MhToolForm *self,
                  GParamSpec *pspec,
                  MhFileRow  *row)
{
  if (!self->pending_range || self->pending_value == NULL ||
      !mh_file_row_get_slot (row)->bounds_time_range)
    return;

  if (g_strcmp0 (mh_file_row_get_value (row), self->pending_value) != 0)
    return;
  if (mh_file_row_get_duration (row) >= 0)
    self->pending_ready = TRUE;
}

/* Fills the form with @params (a job's inputs and options, as
 * mh_tool_form_dup_params() gives them) and shows it; nothing is started. */
void
mh_tool_form_set_params (MhToolForm *self,
                         GHashTable *params)
{
  g_autoptr(GHashTable) options = NULL;
  const char *start, *end;
  double start_value, end_value;

  g_return_if_fail (MH_IS_TOOL_FORM (self));
  g_return_if_fail (params != NULL);

  for (guint i = 0; i < self->slot_rows->len; i++)
    {
      MhFileRow *row = g_ptr_array_index (self->slot_rows, i);
      const char *value = mh_params_get (params, mh_file_row_get_slot (row)->key);
      g_autoptr(GError) error = NULL;
      gboolean taken;

      if (value == NULL || *value == '\0')
        {
          mh_file_row_clear (row);
          continue;
        }

      if (mh_asset_value_classify (value) == MH_ASSET_VALUE_FILE)
        {
          g_autoptr(GFile) file = mh_asset_value_get_file (value);

          taken = mh_file_row_set_file (row, file, &error);
        }
      else if (mh_asset_value_classify (value) == MH_ASSET_VALUE_SAVED_ITEM)
        taken = mh_file_row_set_saved_item (row, value,
                                            mh_params_get_input_name (params, mh_file_row_get_slot (row)->key),
                                            NULL, &error);
      else
        taken = mh_file_row_set_uri (row, value, &error);

      if (!taken)
        toast_text (self, error->message);
    }

  /* A past job's deprecated options come back as what they are sent as. */
  options = mh_params_copy (params);
  mh_params_apply_replacements (self->tool, options);
  for (guint i = 0; i < self->option_rows->len; i++)
    {
      MhOptionRow *row = g_ptr_array_index (self->option_rows, i);

      mh_option_row_set_value (row, mh_params_get (options, mh_option_row_get_option (row)->key));
    }

  self->pending_range = FALSE;
  self->pending_ready = FALSE;
  g_clear_pointer (&self->pending_value, g_free);
  start = mh_params_get (params, "start");
  end = mh_params_get (params, "end");
  if (self->time_row != NULL && start != NULL && end != NULL &&
      mh_params_get_number (params, "start", &start_value) &&
      mh_params_get_number (params, "end", &end_value))
    {
      mh_time_range_row_set_range (self->time_row, start_value, end_value);
      self->pending_range = TRUE;
      /* A local file that bounds the range resets it when its length
       * comes: the range is set again then. */
      for (guint i = 0; i < self->tool->n_slots; i++)
        {
          const char *value = mh_params_get (params, self->tool->slots[i].key);

          if (self->tool->slots[i].bounds_time_range && value != NULL &&
              mh_asset_value_classify (value) == MH_ASSET_VALUE_FILE)
            self->pending_value = g_strdup (value);
        }
      self->pending_start = start_value;
      self->pending_end = end_value;
    }

  mh_tool_form_show_inputs (self);
  schedule_update (self);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         MhToolForm    *self)
{
  GSList *list;
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  list = g_value_get_boxed (value);
  for (GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, l->data);
  mh_tool_form_add_files (self, (GFile **) files->pdata, files->len);

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Construction                                                             */

static void
build_rows (MhToolForm *self)
{
  const MhTool *tool = self->tool;

  gtk_label_set_label (self->title_label, _(tool->name));

  for (guint i = 0; i < tool->n_slots; i++)
    {
      GtkWidget *row = mh_file_row_new (tool->id, tool->slots[i].key);

      g_ptr_array_add (self->slot_rows, row);
      adw_preferences_group_add (self->inputs_group, row);
      g_signal_connect_object (row, "notify::value", G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (row, "notify::duration", G_CALLBACK (slot_duration_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (row, "notify::duration", G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);

      /* The table says which file is shown large. */
      if (tool->slots[i].previewed && self->preview_row == NULL)
        mh_tool_form_build_preview (self, MH_FILE_ROW (row));
      g_signal_connect_object (row, "notify::fps", G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);
    }

  if (tool->has_time_range)
    {
      mh_tool_form_build_timeline (self);
      g_signal_connect_object (self->time_row, "notify::start", G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->time_row, "notify::end", G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->clip_group), tool->has_time_range);
  mh_tool_form_init_drop (self);

  for (guint i = 0; i < tool->n_options; i++)
    {
      const MhOption *option = &tool->options[i];
      GtkWidget *row;

      /* The time range has its own row; deprecated options are for old
       * scripts (the command-line tool), not offered here. */
      if (tool->has_time_range && (g_str_equal (option->key, "start") || g_str_equal (option->key, "end")))
        continue;
      if (option->deprecated)
        continue;

      row = mh_option_row_new (tool->id, option->key);
      g_ptr_array_add (self->option_rows, row);
      adw_preferences_group_add (self->options_group, row);
      g_signal_connect_object (row, "notify::value", G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);
    }

  update (self);
}

static void
mh_tool_form_constructed (GObject *object)
{
  MhToolForm *self = MH_TOOL_FORM (object);

  G_OBJECT_CLASS (mh_tool_form_parent_class)->constructed (object);

  self->tool = mh_tool_lookup (self->tool_id != NULL ? self->tool_id : "");
  g_return_if_fail (self->tool != NULL);
  build_rows (self);
}

static void
mh_tool_form_dispose (GObject *object)
{
  MhToolForm *self = MH_TOOL_FORM (object);

  g_clear_handle_id (&self->update_id, g_source_remove);
  /* AdwBin would unparent its child again after the template did. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), MH_TYPE_TOOL_FORM);

  G_OBJECT_CLASS (mh_tool_form_parent_class)->dispose (object);
}

static void
mh_tool_form_finalize (GObject *object)
{
  MhToolForm *self = MH_TOOL_FORM (object);

  g_free (self->tool_id);
  g_free (self->problem);
  g_free (self->cost);
  g_free (self->pending_value);
  g_clear_pointer (&self->slot_rows, g_ptr_array_unref);
  g_clear_pointer (&self->option_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (mh_tool_form_parent_class)->finalize (object);
}

static void
mh_tool_form_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MhToolForm *self = MH_TOOL_FORM (object);

  switch (prop_id)
    {
    case PROP_TOOL_ID:
      g_value_set_string (value, self->tool_id);
      break;
    case PROP_INTRO:
      g_value_set_string (value, gtk_label_get_label (self->intro_label));
      break;
    case PROP_CAN_GENERATE:
      g_value_set_boolean (value, self->can_generate);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    case PROP_COST:
      g_value_set_string (value, self->cost);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_tool_form_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MhToolForm *self = MH_TOOL_FORM (object);

  switch (prop_id)
    {
    case PROP_TOOL_ID:
      self->tool_id = g_value_dup_string (value);
      break;
    case PROP_INTRO:
      gtk_label_set_label (self->intro_label, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_tool_form_class_init (MhToolFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags read_only = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = mh_tool_form_constructed;
  object_class->dispose = mh_tool_form_dispose;
  object_class->finalize = mh_tool_form_finalize;
  object_class->get_property = mh_tool_form_get_property;
  object_class->set_property = mh_tool_form_set_property;

  g_type_ensure (MH_TYPE_JOB_VIEW);
  g_type_ensure (MH_TYPE_ACCOUNT_STATUS);
  g_type_ensure (MH_TYPE_FORM_PANES);
  g_type_ensure (MH_TYPE_MEDIA_PREVIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/mhstudio/MagicHourStudio/mh-tool-form.ui");
  gtk_widget_class_bind_template_child (widget_class, MhToolForm, stack);
  gtk_widget_class_bind_template_child (widget_class, MhToolForm, inputs_box);
  gtk_widget_class_bind_template_child (widget_class, MhToolForm, title_label);
  gtk_widget_class_bind_template_child (widget_class, MhToolForm, intro_label);
  gtk_widget_class_bind_template_child (widget_class, MhToolForm, preview);
  gtk_widget_class_bind_template_child (widget_class, MhToolForm, inputs_group);
  gtk_widget_class_bind_template_child (widget_class, MhToolForm, clip_group);
  gtk_widget_class_bind_template_child (widget_class, MhToolForm, options_group);
  gtk_widget_class_bind_template_child (widget_class, MhToolForm, problem_label);
  gtk_widget_class_bind_template_child (widget_class, MhToolForm, generate_button);
  gtk_widget_class_bind_template_child (widget_class, MhToolForm, cost_label);
  gtk_widget_class_bind_template_child (widget_class, MhToolForm, account_status);
  gtk_widget_class_bind_template_child (widget_class, MhToolForm, buy_credits_button);
  gtk_widget_class_bind_template_child (widget_class, MhToolForm, job_view);
  gtk_widget_class_bind_template_child (widget_class, MhToolForm, footer);

  gtk_widget_class_install_action (widget_class, "form.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "form.show-inputs", NULL, show_inputs_action);
  /* Ctrl+Return is the window's (win.generate): from anywhere in it. */

  properties[PROP_TOOL_ID] =
    g_param_spec_string ("tool-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTRO] =
    g_param_spec_string ("intro", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_GENERATE] =
    g_param_spec_boolean ("can-generate", NULL, NULL, FALSE, read_only);
  properties[PROP_PROBLEM] = g_param_spec_string ("problem", NULL, NULL, NULL, read_only);
  properties[PROP_COST] = g_param_spec_string ("cost", NULL, NULL, NULL, read_only);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);
}

static void
mh_tool_form_init (MhToolForm *self)
{
  GtkDropTarget *target;

  self->slot_rows = g_ptr_array_new ();
  self->option_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.generate", FALSE);

  /* A file dropped anywhere on the page goes to the slot that takes it. */
  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (self->inputs_box, GTK_EVENT_CONTROLLER (target));

  g_signal_connect_object (self->job_view, "retry", G_CALLBACK (retry_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job_view, "start-over", G_CALLBACK (mh_tool_form_show_inputs),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job_view, "toast", G_CALLBACK (toast_cb), self, G_CONNECT_SWAPPED);
}

void
mh_tool_form_set_application (MhToolForm    *self,
                              MhApplication *application)
{
  g_return_if_fail (MH_IS_TOOL_FORM (self));

  self->application = application;
  g_signal_connect_object (application, "notify::has-key", G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "notify::demo", G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);
  /* The balance and the plan decide what can be generated. */
  g_signal_connect_object (mh_application_get_account (application), "changed",
                           G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);
  mh_account_status_set_account (self->account_status, mh_application_get_account (application));
  schedule_update (self);
}

const char *
mh_tool_form_get_tool_id (MhToolForm *self)
{
  return self->tool_id;
}

gboolean
mh_tool_form_get_can_generate (MhToolForm *self)
{
  return self->can_generate;
}

const char *
mh_tool_form_get_problem (MhToolForm *self)
{
  return self->problem;
}

const char *
mh_tool_form_get_cost (MhToolForm *self)
{
  return self->cost;
}

GtkWidget *
mh_tool_form_get_slot_row (MhToolForm *self,
                           const char *slot_key)
{
  return GTK_WIDGET (find_slot_row (self, slot_key));
}

GtkWidget *
mh_tool_form_get_option_row (MhToolForm *self,
                             const char *option_key)
{
  for (guint i = 0; i < self->option_rows->len; i++)
    {
      MhOptionRow *row = g_ptr_array_index (self->option_rows, i);

      if (g_str_equal (mh_option_row_get_option (row)->key, option_key))
        return GTK_WIDGET (row);
    }
  return NULL;
}

GtkWidget *
mh_tool_form_get_time_row (MhToolForm *self)
{
  return GTK_WIDGET (self->time_row);
}

GtkWidget *
mh_tool_form_get_preview (MhToolForm *self)
{
  return GTK_WIDGET (self->preview);
}

GtkWidget *
mh_tool_form_get_timeline (MhToolForm *self)
{
  return GTK_WIDGET (self->timeline);
}

GtkWidget *
mh_tool_form_get_job_view (MhToolForm *self)
{
  return GTK_WIDGET (self->job_view);
}

GtkWidget *
mh_tool_form_get_generate_button (MhToolForm *self)
{
  return self->generate_button;
}

/* The bar with Generate, which toasts must leave free. */
GtkWidget *
mh_tool_form_get_footer (MhToolForm *self)
{
  g_return_val_if_fail (MH_IS_TOOL_FORM (self), NULL);
  return self->footer;
}

/* The inputs, not a job, are shown (or coming). */
gboolean
mh_tool_form_get_showing_inputs (MhToolForm *self)
{
  g_return_val_if_fail (MH_IS_TOOL_FORM (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "inputs") == 0;
}
