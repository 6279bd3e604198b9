/* mh-quit-dialog.c: the question before quitting while jobs run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mh-quit-dialog.h"

struct _MhQuitDialog
{
  AdwMessageDialog  parent_instance;

  GListModel       *jobs;
  GPtrArray        *watched;   /* MhJob, each with our notify::state handler */
  gboolean          demo;
  gboolean          closing;
};

G_DEFINE_FINAL_TYPE (MhQuitDialog, mh_quit_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  PROP_0,
  PROP_JOBS,
  PROP_DEMO,
  PROP_CLOSING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The key under which the application keeps its open question. */
#define DIALOG_KEY "mh-quit-dialog"

static gboolean
job_is_running (MhJob *job)
{
  return !mh_job_state_is_finished (mh_job_get_state (job));
}

gboolean
mh_quit_dialog_jobs_running (GListModel *jobs)
{
  return mh_jobs_count_running (jobs, NULL) > 0;
}

/* The step a job is in, as the list of running jobs says it. */
static const char *
describe_step (MhJobState state)
{
  switch (state)
    {
    case MH_JOB_STATE_IDLE:
    case MH_JOB_STATE_VALIDATING:
      /* Translators: what a job does, in the quit dialog: “portrait” (checking its inputs) */
      return _("checking its inputs");
    case MH_JOB_STATE_UPLOADING:
      return _("uploading");
    case MH_JOB_STATE_CREATING:
      return _("being sent to Magic Hour");
    case MH_JOB_STATE_QUEUED:
      return _("waiting in Magic Hour's queue");
    case MH_JOB_STATE_RENDERING:
      return _("rendering at Magic Hour");
    case MH_JOB_STATE_DOWNLOADING:
      return _("downloading its result");
    case MH_JOB_STATE_DONE:
    case MH_JOB_STATE_FAILED:
    case MH_JOB_STATE_CANCELED:
    default:
      return NULL;
    }
}

/* Queued or rendering: Magic Hour has the project, so quitting only stops
 * following it, and the next start picks it up. Downloading: the next start
 * downloads it again. Before the project exists, quitting stops the job
 * (the upload, or the create about to be sent). */
static gboolean
is_rendering (MhJobState state)
{
  return state == MH_JOB_STATE_QUEUED || state == MH_JOB_STATE_RENDERING;
}

static void
update_text (MhQuitDialog *self)
{
  g_autoptr(GString) list = g_string_new (NULL);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *heading = NULL;
  guint n_running = 0;
  gboolean rendering = FALSE;
  gboolean downloading = FALSE;
  gboolean stopped = FALSE;
  guint n = g_list_model_get_n_items (self->jobs);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MhJob) job = g_list_model_get_item (self->jobs, i);
      MhJobState state = mh_job_get_state (job);
      g_autofree char *title = NULL;

      if (!job_is_running (job))
        continue;

      n_running++;
      if (is_rendering (state))
        rendering = TRUE;
      else if (state == MH_JOB_STATE_DOWNLOADING)
        downloading = TRUE;
      else
        stopped = TRUE;

      title = mh_job_dup_title (job);
      if (list->len > 0)
        /* Translators: between two jobs in the list of running jobs */
        g_string_append (list, _(", "));
      /* Translators: a running job in the quit dialog: its name, and what it does now */
      g_string_append_printf (list, _("“%s” (%s)"), title, describe_step (state));
    }

  if (n_running > 0)
    {
      heading = g_strdup_printf (ngettext ("Quit with %u Job Running?",
                                           "Quit with %u Jobs Running?", n_running),
                                 n_running);
      /* Translators: %s is the list of running jobs: “portrait” (uploading), “greeting” (rendering at Magic Hour) */
      g_string_append_printf (body, _("Running now: %s."), list->str);
    }
  else
    {
      /* The jobs ended while the question was open. */
      heading = g_strdup (_("Quit?"));
      if (!self->demo)
        g_string_append (body, _("Every job has ended: quitting now stops nothing."));
    }

  if (self->demo)
    {
      if (body->len > 0)
        g_string_append (body, "\n\n");
      g_string_append (body, _("This is the demo: its jobs and its history are not kept. "
                                "They are gone when the app quits."));
    }
  else
    {
      if (rendering)
        g_string_append_printf (body, "\n\n%s",
                                _("A job already at Magic Hour keeps rendering there. "
                                  "The app picks it up the next time it starts and downloads "
                                  "the result then."));
      if (downloading)
        g_string_append_printf (body, "\n\n%s",
                                _("A download in progress starts again the next time the app starts."));
      if (stopped)
        g_string_append_printf (body, "\n\n%s",
                                _("An upload in progress is stopped. History offers the job "
                                  "to run again."));
    }

  if (self->closing)
    g_string_append_printf (body, "\n\n%s", _("Closing the window quits Magic Hour Studio."));

  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), heading);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body->str);
}

static void
unwatch_jobs (MhQuitDialog *self)
{
  for (guint i = 0; i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->watched, i), update_text, self);
  g_ptr_array_set_size (self->watched, 0);
}

/* Every job of the list, whichever changed: a session has few. */
static void
watch_jobs (MhQuitDialog *self)
{
  guint n = g_list_model_get_n_items (self->jobs);

  unwatch_jobs (self);
  for (guint i = 0; i < n; i++)
    {
      MhJob *job = g_list_model_get_item (self->jobs, i);

      g_signal_connect_swapped (job, "notify::state", G_CALLBACK (update_text), self);
      g_ptr_array_add (self->watched, job);
    }
  update_text (self);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
mh_quit_dialog_constructed (GObject *object)
{
  MhQuitDialog *self = MH_QUIT_DIALOG (object);

  G_OBJECT_CLASS (mh_quit_dialog_parent_class)->constructed (object);

  if (self->jobs == NULL)
    self->jobs = G_LIST_MODEL (g_list_store_new (MH_TYPE_JOB));
  g_signal_connect_object (self->jobs, "items-changed", G_CALLBACK (watch_jobs), self, G_CONNECT_SWAPPED);
  watch_jobs (self);
}

static void
mh_quit_dialog_dispose (GObject *object)
{
  MhQuitDialog *self = MH_QUIT_DIALOG (object);

  if (self->watched != NULL)
    unwatch_jobs (self);

  G_OBJECT_CLASS (mh_quit_dialog_parent_class)->dispose (object);
}

static void
mh_quit_dialog_finalize (GObject *object)
{
  MhQuitDialog *self = MH_QUIT_DIALOG (object);

  g_clear_pointer (&self->watched, g_ptr_array_unref);
  g_clear_object (&self->jobs);

  G_OBJECT_CLASS (mh_quit_dialog_parent_class)->finalize (object);
}

static void
mh_quit_dialog_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MhQuitDialog *self = MH_QUIT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_JOBS:
      g_value_set_object (value, self->jobs);
      break;
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;
    case PROP_CLOSING:
      g_value_set_boolean (value, self->closing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_quit_dialog_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  MhQuitDialog *self = MH_QUIT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_JOBS:
      self->jobs = g_value_dup_object (value);
      break;
    case PROP_DEMO:
      self->demo = g_value_get_boolean (value);
      break;
    case PROP_CLOSING:
      self->closing = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_quit_dialog_class_init (MhQuitDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = mh_quit_dialog_constructed;
  object_class->dispose = mh_quit_dialog_dispose;
  object_class->finalize = mh_quit_dialog_finalize;
  object_class->get_property = mh_quit_dialog_get_property;
  object_class->set_property = mh_quit_dialog_set_property;

  properties[PROP_JOBS] = g_param_spec_object ("jobs", NULL, NULL, G_TYPE_LIST_MODEL, flags);
  properties[PROP_DEMO] = g_param_spec_boolean ("demo", NULL, NULL, FALSE, flags);
  properties[PROP_CLOSING] = g_param_spec_boolean ("closing", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mh_quit_dialog_init (MhQuitDialog *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);

  self->watched = g_ptr_array_new_with_free_func (g_object_unref);

  /* Keep Running first and by default: Escape or a stray Return loses nothing. */
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep Running"),
                                    "quit", _("_Quit"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "quit", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
}

/* ------------------------------------------------------------------------ */
/* Public                                                                   */

GtkWidget *
mh_quit_dialog_new (GtkWindow  *parent,
                    GListModel *jobs,
                    gboolean    demo,
                    gboolean    closing)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (jobs), NULL);

  return g_object_new (MH_TYPE_QUIT_DIALOG,
                       "transient-for", parent,
                       "jobs", jobs,
                       "demo", demo,
                       "closing", closing,
                       NULL);
}

static void
response_cb (MhQuitDialog  *self,
             const char    *response,
             MhApplication *application)
{
  if (g_strcmp0 (response, "quit") == 0)
    g_application_quit (G_APPLICATION (application));
}

static void
dialog_destroyed_cb (GtkWidget     *dialog,
                     MhApplication *application)
{
  if (g_object_get_data (G_OBJECT (application), DIALOG_KEY) == dialog)
    g_object_set_data (G_OBJECT (application), DIALOG_KEY, NULL);
}

gboolean
mh_quit_dialog_ask (MhApplication *application,
                    GtkWindow     *parent,
                    gboolean       closing)
{
  GListModel *jobs;
  GtkWidget *dialog;

  g_return_val_if_fail (MH_IS_APPLICATION (application), FALSE);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), FALSE);

  jobs = mh_application_get_jobs (application);
  if (!mh_quit_dialog_jobs_running (jobs))
    return FALSE;

  /* Ctrl+Q pressed again, or the window closed while Ctrl+Q asks. */
  dialog = g_object_get_data (G_OBJECT (application), DIALOG_KEY);
  if (dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }

  dialog = mh_quit_dialog_new (parent, jobs, mh_application_get_demo (application), closing);
  g_signal_connect_object (dialog, "response", G_CALLBACK (response_cb), application, 0);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (dialog_destroyed_cb), application, 0);
  g_object_set_data (G_OBJECT (application), DIALOG_KEY, dialog);
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}
