/* mh-job-view.c: a job from the first upload to the result
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mh-a11y.h"
#include "mh-application.h"
#include "mh-error.h"
#include "mh-job-view-private.h"
#include "mh-params.h"
#include "mh-spinner.h"

G_DEFINE_FINAL_TYPE (MhJobView, mh_job_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_JOB,
  N_PROPS
};

enum {
  SIGNAL_RETRY,
  SIGNAL_START_OVER,
  SIGNAL_TOAST,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];


/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */

int
mh_job_view_stage_for_state (MhJobState state)
{
  switch (state)
    {
    case MH_JOB_STATE_IDLE:
      return -1;
    case MH_JOB_STATE_VALIDATING:
    case MH_JOB_STATE_UPLOADING:
      return STAGE_UPLOAD;
    case MH_JOB_STATE_CREATING:
    case MH_JOB_STATE_QUEUED:
      return STAGE_QUEUE;
    case MH_JOB_STATE_RENDERING:
      return STAGE_RENDER;
    case MH_JOB_STATE_DOWNLOADING:
      return STAGE_DOWNLOAD;
    case MH_JOB_STATE_DONE:
    case MH_JOB_STATE_FAILED:
    case MH_JOB_STATE_CANCELED:
    default:
      return N_STAGES;
    }
}

static char *
format_credits (gint64 credits)
{
  g_autofree char *grouped = mh_format_credits (credits);
  g_autofree char *number = g_strdup_printf (ngettext ("%s credit", "%s credits",
                                                       (gulong) MIN ((guint64) credits, G_MAXULONG)),
                                             grouped);

  /* Translators: %s is a number of credits, e.g. "150 credits" */
  return g_strdup_printf (_("Cost: %s"), number);
}

GtkWindow *
mh_job_view_get_parent_window (MhJobView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* The handlers take the toast: a window adds it to its AdwToastOverlay. */
void
mh_job_view_emit_toast (MhJobView *self,
                        AdwToast  *toast)
{
  if (g_signal_has_handler_pending (self, signals[SIGNAL_TOAST], 0, FALSE))
    g_signal_emit (self, signals[SIGNAL_TOAST], 0, toast);
  else
    g_object_unref (toast);
}

void
mh_job_view_emit_toast_text (MhJobView  *self,
                             const char *title)
{
  g_autofree char *escaped = g_markup_escape_text (title, -1);

  mh_job_view_emit_toast (self, adw_toast_new (escaped));
}

const char *
mh_job_view_get_output_path (MhJobView *self)
{
  const char *const *outputs;

  if (self->job == NULL)
    return NULL;

  outputs = mh_job_get_output_files (self->job);
  return outputs != NULL ? outputs[0] : NULL;
}

/* ------------------------------------------------------------------------ */
/* Running                                                                  */

static void
set_stage_status (StageRow   *stage,
                  const char *status)
{
  gboolean current = g_str_equal (status, "current");
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (stage->row));
  g_autofree char *name = NULL;

  /* Read in order, each stage with its state: "Rendering, in progress". */
  if (current)
    /* Translators: a stage of a job and its state, read by a screen reader. */
    name = g_strdup_printf (_("%s, in progress"), title);
  else if (g_str_equal (status, "done"))
    /* Translators: a stage of a job and its state, read by a screen reader. */
    name = g_strdup_printf (_("%s, done"), title);
  else
    /* Translators: a stage of a job and its state, read by a screen reader. */
    name = g_strdup_printf (_("%s, not yet"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (stage->row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  /* The row is also labelled by its title: GTK 4.8 would read both. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (stage->row), GTK_ACCESSIBLE_RELATION_LABELLED_BY);

  gtk_stack_set_visible_child_name (stage->icon, status);
  mh_spinner_set_spinning (stage->spinner, current);

  if (g_str_equal (status, "pending"))
    gtk_widget_add_css_class (GTK_WIDGET (stage->row), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (stage->row), "dim-label");
}

static void
update_message (MhJobView *self)
{
  const char *message = self->job != NULL ? mh_job_get_message (self->job) : NULL;

  if (message == NULL && self->job != NULL && mh_job_get_state (self->job) == MH_JOB_STATE_IDLE)
    message = _("Not started yet.");

  gtk_label_set_label (self->message_label, message != NULL ? message : "");
}

/* Before the create, the estimate of the tool table; after it, what the API
 * says it charged. */
static char *
describe_running_credits (MhJobView *self,
                          gint64     credits)
{
  MhCostEstimate estimate;
  g_autofree char *grouped = NULL;

  if (credits >= 0)
    return format_credits (credits);
  if (self->job == NULL || mh_job_state_is_finished (mh_job_get_state (self->job)) ||
      !mh_tool_estimate_cost (mh_job_get_tool (self->job), mh_job_get_params (self->job), 0, &estimate) ||
      estimate.at_create < 0)
    return NULL;
  grouped = mh_format_credits (estimate.at_create);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Estimate: about %s credit",
                                       "Estimate: about %s credits",
                                       (gulong) MIN ((guint64) estimate.at_create, G_MAXULONG)),
                          grouped);
}

/* A render that failed gives back what its create charged (CONTRACT.md 2). */
static char *
describe_refund (MhJobView *self,
                 gint64     credits)
{
  g_autofree char *grouped = NULL;

  credits = MAX (credits, self->charged_at_create);
  if (self->job == NULL || credits <= 0 || mh_job_get_state (self->job) != MH_JOB_STATE_FAILED ||
      !g_error_matches (mh_job_get_error (self->job), MH_ERROR, MH_ERROR_RENDER_FAILED))
    return NULL;
  grouped = mh_format_credits (credits);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The %s credit charged for this job was refunded.",
                                       "The %s credits charged for this job were refunded.",
                                       (gulong) MIN ((guint64) credits, G_MAXULONG)),
                          grouped);
}

/* Whether the view shows a job of the demo, whose credits are made up. */
static gboolean
in_demo (MhJobView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;

  return MH_IS_APPLICATION (app) && mh_application_get_demo (MH_APPLICATION (app));
}

static void
update_credits (MhJobView *self)
{
  gint64 credits = self->job != NULL ? mh_job_get_credits_charged (self->job) : -1;
  g_autofree char *text = credits >= 0 ? format_credits (credits) : NULL;

  if (text != NULL && in_demo (self))
    {
      /* Translators: "Cost: 50 credits" in the demo, whose credits are made up */
      g_autofree char *simulated = g_strdup_printf (_("%s (simulated)"), text);

      g_free (text);
      text = g_steal_pointer (&simulated);
    }
  g_autofree char *running = describe_running_credits (self, credits);
  g_autofree char *refund = NULL;

  self->charged_at_create = MAX (self->charged_at_create, credits);
  refund = describe_refund (self, credits);

  gtk_label_set_label (self->running_credits_label, running != NULL ? running : "");
  gtk_widget_set_visible (GTK_WIDGET (self->running_credits_label), running != NULL);
  gtk_label_set_label (self->result_credits_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->result_credits_label), text != NULL);
  gtk_label_set_label (self->failure_credits_label, refund != NULL ? refund : "");
  gtk_widget_set_visible (GTK_WIDGET (self->failure_credits_label), refund != NULL);
}

static void
update_stages (MhJobView *self)
{
  MhJobState state = self->job != NULL ? mh_job_get_state (self->job) : MH_JOB_STATE_IDLE;
  int current = mh_job_view_stage_for_state (state);

  for (int i = 0; i < N_STAGES; i++)
    set_stage_status (&self->stages[i],
                      i < current ? "done" : i == current ? "current" : "pending");

  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button),
                            state != MH_JOB_STATE_IDLE && !mh_job_state_is_finished (state));

  mh_job_view_update_clock (self);
  mh_job_view_update_progress (self);
}

/* ------------------------------------------------------------------------ */
/* Failure                                                                  */

static void
update_failure (MhJobView *self)
{
  MhJobState state;
  const GError *error;
  const char *project_id;
  const char *text;
  const char *link;
  gboolean retry_helps;

  if (self->job == NULL)
    return;

  state = mh_job_get_state (self->job);
  error = mh_job_get_error (self->job);
  project_id = mh_job_get_project_id (self->job);

  if (state == MH_JOB_STATE_CANCELED)
    {
      adw_status_page_set_icon_name (self->failure_page, "process-stop-symbolic");
      adw_status_page_set_title (self->failure_page, _("Canceled"));
      /* The engine's sentence starts with "Canceled." for the CLI, which
       * has no title: under this one, only what it means. */
      if (project_id != NULL)
        text = _("The render had already started at Magic Hour: it may still finish and be charged.");
      else if (mh_job_get_create_sent (self->job))
        text = _("The job was stopped while Magic Hour was receiving it: it may exist there and be charged. Check your Magic Hour library.");
      else
        text = _("Nothing was sent to Magic Hour for rendering, and nothing was charged.");
    }
  else
    {
      adw_status_page_set_icon_name (self->failure_page, "dialog-error-symbolic");
      adw_status_page_set_title (self->failure_page, _("Generation Failed"));
      text = error != NULL ? error->message : mh_job_get_message (self->job);
    }

  gtk_label_set_label (self->failure_label, text != NULL ? text : "");

  /* A refusal of the account (credits, subscription, plan) says where on
   * magichour.ai it is put right. */
  link = state == MH_JOB_STATE_CANCELED ? NULL : mh_error_get_link (error);
  if (link != NULL)
    {
      gtk_link_button_set_uri (self->failure_link, link);
      gtk_button_set_label (GTK_BUTTON (self->failure_link), mh_error_get_link_label (error));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->failure_link), link);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->failure_link), link != NULL);

  /* The same job again helps after a failure of the network or the
   * render; after a refusal (credits, plan, the photo, the key) or a
   * cancel something must change first: Start Over is what to press. */
  retry_helps = state != MH_JOB_STATE_CANCELED && !mh_error_is_refusal (error);
  if (retry_helps)
    {
      gtk_widget_add_css_class (self->retry_button, "suggested-action");
      gtk_widget_remove_css_class (self->failure_start_over_button, "suggested-action");
    }
  else
    {
      gtk_widget_remove_css_class (self->retry_button, "suggested-action");
      gtk_widget_add_css_class (self->failure_start_over_button, "suggested-action");
    }
  gtk_label_set_label (self->project_label, project_id != NULL ? project_id : "");
  gtk_widget_set_visible (self->project_box, project_id != NULL);
}

/* ------------------------------------------------------------------------ */
/* The job                                                                  */

static void
close_cancel_dialog (MhJobView *self)
{
  AdwMessageDialog *dialog = self->cancel_dialog;

  if (dialog == NULL)
    return;
  g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->cancel_dialog);
  self->cancel_dialog = NULL;
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
update_page (MhJobView *self)
{
  MhJobState state;
  const char *page;

  if (self->job == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  state = mh_job_get_state (self->job);
  if (state == MH_JOB_STATE_DONE)
    page = "result";
  else if (state == MH_JOB_STATE_FAILED || state == MH_JOB_STATE_CANCELED)
    page = "failure";
  else
    page = "running";

  /* The question was about a job that has ended meanwhile: gone, saying
   * why, so that the person does not wonder what their answer did. */
  if (mh_job_state_is_finished (state) && self->cancel_dialog != NULL)
    {
      close_cancel_dialog (self);
      /* Canceled: that was the answer (or the app is closing). */
      if (state != MH_JOB_STATE_CANCELED)
        mh_job_view_emit_toast_text (self, state == MH_JOB_STATE_DONE
                                           ? _("The job finished before it could be stopped")
                                           : _("The job failed before it could be stopped"));
    }

  mh_job_view_update_result (self);
  update_failure (self);
  gtk_stack_set_visible_child_name (self->stack, page);
}

/* The tab's page @self is on: the child of the window's view stack it is
 * in, else the view itself. */
static GtkWidget *
get_page (MhJobView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  for (GtkWidget *parent = gtk_widget_get_parent (widget); parent != NULL;
       widget = parent, parent = gtk_widget_get_parent (parent))
    if (ADW_IS_VIEW_STACK (parent))
      return widget;

  return GTK_WIDGET (self);
}

/* What to press next, once the job has ended: Open (Start Over without a
 * file), Retry, or Start Over when the same job again would not help. */
static GtkWidget *
get_main_action (MhJobView *self)
{
  MhJobState state = mh_job_get_state (self->job);

  if (state == MH_JOB_STATE_DONE)
    return gtk_widget_get_visible (self->file_buttons) ? GTK_WIDGET (self->open_button)
                                                       : self->result_start_over_button;
  if (gtk_widget_has_css_class (self->retry_button, "suggested-action"))
    return self->retry_button;
  return self->failure_start_over_button;
}

/* When the job ends, the keyboard goes to what comes next, but only where
 * the person is: the job's tab is shown and the focus was on that tab (or
 * nowhere). A person typing in another tab, the header or a dialog keeps
 * their focus. */
static void
focus_main_action (MhJobView *self,
                   GtkWidget *focus_before)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *page = get_page (self);

  if (root == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (focus_before != NULL && focus_before != GTK_WIDGET (root) &&
      focus_before != page && !gtk_widget_is_ancestor (focus_before, page))
    return;

  gtk_widget_grab_focus (get_main_action (self));
}

static void
job_state_cb (MhJobView *self)
{
  MhJobState state = mh_job_get_state (self->job);
  gboolean ended = mh_job_state_is_finished (state) && !mh_job_state_is_finished (self->shown_state);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  /* Taken before the page changes: the running page's Cancel had it. */
  g_autoptr(GtkWidget) focus_before = NULL;

  if (root != NULL && gtk_root_get_focus (root) != NULL)
    focus_before = g_object_ref (gtk_root_get_focus (root));

  self->shown_state = state;
  update_stages (self);
  update_message (self);
  update_page (self);

  if (ended)
    focus_main_action (self, focus_before);
}

static void
job_project_id_cb (MhJobView *self)
{
  update_failure (self);
}

static void
update_all (MhJobView *self)
{
  if (self->job != NULL)
    {
      g_autofree char *title = mh_job_dup_title (self->job);
      const char *tool_name = _(mh_job_get_tool (self->job)->name);

      gtk_label_set_label (self->running_title, tool_name);
      gtk_label_set_label (self->result_title, title);
      gtk_label_set_label (self->running_subtitle, title);
      gtk_widget_set_visible (GTK_WIDGET (self->running_subtitle), TRUE);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->save_error_label), FALSE);
  update_stages (self);
  update_message (self);
  update_credits (self);
  update_page (self);
}

/* ------------------------------------------------------------------------ */
/* Buttons                                                                  */

static void
cancel_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    MhJobView        *self)
{
  if (g_strcmp0 (response, "stop") == 0 && self->job != NULL &&
      !mh_job_state_is_finished (mh_job_get_state (self->job)))
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
      mh_job_cancel (self->job);
    }
}

static void
cancel_clicked_cb (MhJobView *self)
{
  AdwMessageDialog *dialog;

  if (self->job == NULL || mh_job_state_is_finished (mh_job_get_state (self->job)))
    return;

  /* Before Magic Hour has the project, stopping costs nothing: no question. */
  if (mh_job_get_project_id (self->job) == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
      mh_job_cancel (self->job);
      return;
    }

  if (self->cancel_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->cancel_dialog));
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (mh_job_view_get_parent_window (self),
                                                       _("Stop This Job?"),
                                                       _("The render has already started at Magic Hour. "
                                                         "Stopping here only stops waiting for it: it may "
                                                         "still finish on the server and be charged to "
                                                         "your account.")));
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep Waiting"),
                                    "stop", _("_Stop"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "stop", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (cancel_response_cb), self, 0);

  self->cancel_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->cancel_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
copy_clicked_cb (MhJobView *self)
{
  const char *project_id = self->job != NULL ? mh_job_get_project_id (self->job) : NULL;

  if (project_id == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), project_id);
  mh_job_view_emit_toast_text (self, _("Project ID copied"));
}

static void
retry_clicked_cb (MhJobView *self)
{
  g_signal_emit (self, signals[SIGNAL_RETRY], 0);
}

static void
start_over_clicked_cb (MhJobView *self)
{
  g_signal_emit (self, signals[SIGNAL_START_OVER], 0);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
mh_job_view_dispose (GObject *object)
{
  MhJobView *self = MH_JOB_VIEW (object);

  mh_job_view_set_job (self, NULL);
  g_cancellable_cancel (self->cancellable);
  close_cancel_dialog (self);
  mh_job_view_dispose_result (self);

  /* The bin lets go of the stack before the template forgets it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), MH_TYPE_JOB_VIEW);

  G_OBJECT_CLASS (mh_job_view_parent_class)->dispose (object);
}

static void
mh_job_view_finalize (GObject *object)
{
  MhJobView *self = MH_JOB_VIEW (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (mh_job_view_parent_class)->finalize (object);
}

static void
mh_job_view_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MhJobView *self = MH_JOB_VIEW (object);

  switch (prop_id)
    {
    case PROP_JOB:
      g_value_set_object (value, self->job);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_job_view_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  MhJobView *self = MH_JOB_VIEW (object);

  switch (prop_id)
    {
    case PROP_JOB:
      mh_job_view_set_job (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_job_view_class_init (MhJobViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_job_view_dispose;
  object_class->finalize = mh_job_view_finalize;
  object_class->get_property = mh_job_view_get_property;
  object_class->set_property = mh_job_view_set_property;

  g_type_ensure (MH_TYPE_FACE_PICTURE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mhstudio/MagicHourStudio/mh-job-view.ui");
  gtk_widget_class_bind_template_child (widget_class, MhJobView, stack);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, running_title);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, running_subtitle);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, stage_list);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, face_picture);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, message_label);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, running_credits_label);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, failure_credits_label);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, failure_page);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, failure_label);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, retry_button);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, failure_start_over_button);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, result_start_over_button);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, failure_link);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, project_box);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, project_label);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, start_over_clicked_cb);
  mh_job_view_class_init_result (widget_class);

  properties[PROP_JOB] =
    g_param_spec_object ("job", NULL, NULL, MH_TYPE_JOB,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_RETRY] =
    g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_START_OVER] =
    g_signal_new ("start-over", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The handler takes the toast, as adw_toast_overlay_add_toast() does. */
  signals[SIGNAL_TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);
}

static void
add_stage (MhJobView  *self,
           Stage       stage,
           const char *title)
{
  StageRow *row = &self->stages[stage];
  GtkWidget *pending, *done;

  row->row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), title);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row->row), FALSE);
  gtk_widget_set_focusable (GTK_WIDGET (row->row), FALSE);

  /* No crossfade: each frame of one draws both icons off screen, which
   * with GL on a software renderer costs as much as the window. */
  row->icon = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_valign (GTK_WIDGET (row->icon), GTK_ALIGN_CENTER);

  pending = gtk_image_new_from_icon_name ("radio-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (pending),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Not yet"), -1);
  gtk_stack_add_named (row->icon, pending, "pending");

  row->spinner = GTK_SPINNER (gtk_spinner_new ());
  /* Turns in steps (style.css): a few frames a second, not every frame. */
  gtk_widget_add_css_class (GTK_WIDGET (row->spinner), "stage-spinner");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->spinner),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("In progress"), -1);
  gtk_stack_add_named (row->icon, GTK_WIDGET (row->spinner), "current");

  done = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
  gtk_widget_add_css_class (done, "success");
  gtk_accessible_update_property (GTK_ACCESSIBLE (done),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Done"), -1);
  gtk_stack_add_named (row->icon, done, "done");

  adw_action_row_add_prefix (row->row, GTK_WIDGET (row->icon));

  row->detail = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (row->detail), "numeric");
  gtk_widget_add_css_class (GTK_WIDGET (row->detail), "dim-label");
  adw_action_row_add_suffix (row->row, GTK_WIDGET (row->detail));

  gtk_list_box_append (self->stage_list, GTK_WIDGET (row->row));
}


static void
mh_job_view_init (MhJobView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->render_usec = -1;
  self->charged_at_create = -1;

  mh_job_view_init_result (self);
  mh_job_view_init_progress (self);

  add_stage (self, STAGE_UPLOAD, _("Uploading"));
  add_stage (self, STAGE_QUEUE, _("Queued"));
  add_stage (self, STAGE_RENDER, _("Rendering"));
  add_stage (self, STAGE_DOWNLOAD, _("Downloading"));

  update_all (self);
}

/* ------------------------------------------------------------------------ */
/* Public                                                                   */

GtkWidget *
mh_job_view_new (void)
{
  return g_object_new (MH_TYPE_JOB_VIEW, NULL);
}

MhJob *
mh_job_view_get_job (MhJobView *self)
{
  g_return_val_if_fail (MH_IS_JOB_VIEW (self), NULL);

  return self->job;
}

/* The crop of the face the face check found, while the job goes on. */
static void
update_face (MhJobView *self)
{
  mh_face_picture_set_url (self->face_picture,
                           self->job != NULL ? mh_job_get_face_url (self->job) : NULL);
}

void
mh_job_view_set_job (MhJobView *self,
                     MhJob     *job)
{
  g_return_if_fail (MH_IS_JOB_VIEW (self));
  g_return_if_fail (job == NULL || MH_IS_JOB (job));

  if (self->job == job)
    return;

  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);

  mh_job_view_stop_progress (self);
  close_cancel_dialog (self);
  mh_job_view_clear_preview (self);
  self->render_since = 0;
  self->render_usec = -1;

  g_set_object (&self->job, job);
  self->shown_state = job != NULL ? mh_job_get_state (job) : MH_JOB_STATE_IDLE;
  self->charged_at_create = -1;

  if (job != NULL)
    {
      g_signal_connect_swapped (job, "notify::state", G_CALLBACK (job_state_cb), self);
      g_signal_connect_swapped (job, "notify::fraction", G_CALLBACK (mh_job_view_queue_progress), self);
      g_signal_connect_swapped (job, "notify::message", G_CALLBACK (update_message), self);
      g_signal_connect_swapped (job, "notify::credits-charged", G_CALLBACK (update_credits), self);
      g_signal_connect_swapped (job, "notify::state", G_CALLBACK (update_credits), self);
      g_signal_connect_swapped (job, "notify::project-id", G_CALLBACK (job_project_id_cb), self);
      g_signal_connect_swapped (job, "notify::output-files", G_CALLBACK (mh_job_view_update_result), self);
      g_signal_connect_swapped (job, "notify::face-url", G_CALLBACK (update_face), self);
    }

  update_all (self);
  update_face (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
}
