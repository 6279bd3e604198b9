/* mh-history-page.c: every job run on this computer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mh-a11y.h"
#include "mh-error.h"
#include "mh-history-page.h"
#include "mh-history-row.h"
#include "mh-launch.h"
#include "mh-params.h"
#include "mh-spinner.h"

struct _MhHistoryPage
{
  AdwBin              parent_instance;

  MhApplication      *application;
  MhJobStore         *store;
  GtkFilterListModel *filtered;
  GtkCustomFilter    *filter;
  GCancellable       *cancellable;

  /* Removed from view, waiting for the Undo toast to go. */
  GHashTable         *hidden;          /* MhJobRecord set */
  GPtrArray          *removing;        /* MhJobRecord, of the toast shown */
  AdwToast           *removal_toast;

  GtkStack           *stack;
  GtkSpinner         *loading_spinner;
  AdwStatusPage      *empty_page;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *tool_filter;
  GtkStack           *list_stack;
  GtkListBox         *list_box;
};

G_DEFINE_FINAL_TYPE (MhHistoryPage, mh_history_page, ADW_TYPE_BIN)

enum {
  SIGNAL_TOAST,
  SIGNAL_RUN_AGAIN,
  SIGNAL_SHOW_JOB,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Takes @toast. */
static void
emit_toast_object (MhHistoryPage *self,
                   AdwToast      *toast)
{
  if (g_signal_has_handler_pending (self, signals[SIGNAL_TOAST], 0, FALSE))
    g_signal_emit (self, signals[SIGNAL_TOAST], 0, toast);
  else
    g_object_unref (toast);
}

static void
emit_toast (MhHistoryPage *self,
            const char    *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 6);
  emit_toast_object (self, toast);
}

static GtkWindow *
get_parent_window (MhHistoryPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* ------------------------------------------------------------------------ */
/* What is shown                                                            */

/* The tool the drop-down shows, or NULL for all. */
static const MhTool *
selected_tool (MhHistoryPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->tool_filter);
  guint n_tools;
  const MhTool *const *tools = mh_tools (&n_tools);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > n_tools)
    return NULL;
  return tools[selected - 1];
}

static gboolean
contains_folded (const char *haystack,
                 const char *needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  MhHistoryPage *self = user_data;
  MhJobRecord *record = item;
  const MhTool *tool = selected_tool (self);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = NULL;
  g_auto(GStrv) words = NULL;

  if (g_hash_table_contains (self->hidden, record))
    return FALSE;
  if (tool != NULL && mh_job_record_get_tool (record) != tool)
    return FALSE;

  /* Every word somewhere in the name, the tool or the project. */
  needle = g_utf8_casefold (text, -1);
  words = g_strsplit_set (g_strstrip (needle), " \t", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (!contains_folded (mh_job_record_get_title (record), words[i]) &&
          !contains_folded (mh_job_record_get_name (record), words[i]) &&
          !contains_folded (_(mh_job_record_get_tool (record)->name), words[i]) &&
          !contains_folded (mh_job_record_get_project_id (record), words[i]))
        return FALSE;
    }

  return TRUE;
}

static gboolean
searching (MhHistoryPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  return *stripped != '\0' || selected_tool (self) != NULL;
}

static void
update_stack (MhHistoryPage *self)
{
  guint shown = self->filtered != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) : 0;
  guint total = self->store != NULL ? g_list_model_get_n_items (mh_job_store_get_records (self->store)) : 0;
  gboolean loaded = self->application != NULL && mh_application_get_store_loaded (self->application);
  const char *page;

  if (total > g_hash_table_size (self->hidden) || searching (self))
    page = "history";
  else if (!loaded && self->application != NULL && mh_application_get_store_problems (self->application) == NULL)
    page = "loading";
  else
    page = "empty";

  /* The demo's history is its own, and goes when the app quits. */
  if (self->application != NULL && mh_application_get_demo (self->application))
    adw_status_page_set_description (self->empty_page,
                                     _("The jobs of the demo are listed here with their results until you quit. They are kept apart from your real jobs."));
  else
    adw_status_page_set_description (self->empty_page,
                                     _("Every job you run, in this app or with magic-hour-studio-cli, is listed here with its result, and stays after you quit."));

  mh_spinner_set_spinning (self->loading_spinner, g_str_equal (page, "loading"));
  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_stack_set_visible_child_name (self->list_stack, shown > 0 ? "list" : "no-match");
}

static void
filter_changed_cb (MhHistoryPage *self)
{
  if (self->filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_stack (self);
}

static const char *
current_base_url (MhHistoryPage *self)
{
  return mh_client_get_base_url (mh_application_get_client (self->application));
}

static void update_rows_api (MhHistoryPage *self);

/* ------------------------------------------------------------------------ */
/* Running jobs                                                             */

static void
run (MhHistoryPage *self,
     MhJobRecord   *record,
     gboolean       download_again)
{
  g_autoptr(MhJob) job = NULL;

  job = mh_job_store_continue_job (self->store, mh_application_get_client (self->application),
                                   record, download_again);
  mh_application_run_job (self->application, job);
}

static void
retry_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   MhHistoryPage    *self)
{
  MhJobRecord *record = g_object_get_data (G_OBJECT (dialog), "mh-record");

  if (g_strcmp0 (response, "retry") == 0 && !mh_job_record_get_running (record))
    run (self, record, FALSE);
}

/* A job that may exist at Magic Hour already is retried only when the
 * person knows it may be charged twice. */
static void
retry (MhHistoryPage *self,
       MhJobRecord   *record)
{
  AdwMessageDialog *dialog;

  if (!mh_job_record_may_exist (record))
    {
      run (self, record, FALSE);
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_parent_window (self),
                                                       _("Retry This Job?"),
                                                       _("It was interrupted while Magic Hour was creating it: "
                                                         "it may exist there already and be charged. Retrying "
                                                         "creates it again, and may be charged again. Look in "
                                                         "your Magic Hour library first.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "retry", _("_Retry"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "retry", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "mh-record", g_object_ref (record), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (retry_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------ */
/* Opening                                                                  */

/* The file Open or Show in Folder was pressed for. */
typedef struct
{
  MhHistoryPage *self;
  char          *path;
  gboolean       open;   /* else Show in Folder */
} LaunchData;

static void
launch_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  LaunchData *data = user_data;
  g_autoptr(MhHistoryPage) self = data->self;
  g_autofree char *path = data->path;
  g_autoptr(GError) error = NULL;

  if (mh_launch_finish (result, &error) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_free (data);
      return;
    }

  if (data->open)
    emit_toast_object (self, mh_launch_failure_toast (GTK_WIDGET (self), path, error));
  else
    {
      g_autofree char *text = g_strdup_printf (_("Could not show it in its folder: %s"), error->message);

      emit_toast (self, text);
    }
  g_free (data);
}

static LaunchData *
launch_data_new (MhHistoryPage *self,
                 const char    *path,
                 gboolean       open)
{
  LaunchData *data = g_new0 (LaunchData, 1);

  data->self = g_object_ref (self);
  data->path = g_strdup (path);
  data->open = open;
  return data;
}

static const char *
output_path (MhJobRecord *record)
{
  const char *const *outputs = mh_job_record_get_output_files (record);

  return outputs != NULL ? outputs[0] : NULL;
}

/* ------------------------------------------------------------------------ */
/* Removing from the history                                                */

typedef struct
{
  MhHistoryPage *self;
  MhJobRecord   *record;
} RemoveData;

static void
remove_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  RemoveData *data = user_data;
  g_autoptr(MhHistoryPage) self = data->self;
  g_autoptr(MhJobRecord) record = data->record;
  g_autoptr(GError) error = NULL;

  g_free (data);
  if (!mh_job_store_remove_finish (MH_JOB_STORE (source), result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("“%s” could not be removed from the history: %s"),
                                               mh_job_record_get_title (record), error->message);

      emit_toast (self, text);
    }

  /* Gone from the store, or back in view. */
  g_hash_table_remove (self->hidden, record);
  filter_changed_cb (self);
}

/* The toast no longer speaks for this page's removals. */
static void
forget_removal_toast (MhHistoryPage *self)
{
  if (self->removal_toast == NULL)
    return;
  g_object_set_data (G_OBJECT (self->removal_toast), "mh-page", NULL);
  g_clear_object (&self->removal_toast);
}

/* The records of the removal toast leave the store (their files are
 * deleted; the results on disk are kept). */
static void
commit_removals (MhHistoryPage *self)
{
  g_autoptr(GPtrArray) removing = g_steal_pointer (&self->removing);

  self->removing = g_ptr_array_new_with_free_func (g_object_unref);
  forget_removal_toast (self);

  for (guint i = 0; removing != NULL && i < removing->len; i++)
    {
      RemoveData *data = g_new0 (RemoveData, 1);

      data->self = g_object_ref (self);
      data->record = g_object_ref (g_ptr_array_index (removing, i));
      mh_job_store_remove_async (self->store, data->record, NULL, remove_done_cb, data);
    }
}

static void
undo_cb (AdwToast      *toast,
         MhHistoryPage *self)
{
  if (toast != self->removal_toast)
    return;

  for (guint i = 0; i < self->removing->len; i++)
    g_hash_table_remove (self->hidden, g_ptr_array_index (self->removing, i));
  g_ptr_array_set_size (self->removing, 0);
  forget_removal_toast (self);
  filter_changed_cb (self);
}

static gboolean
commit_idle_cb (gpointer user_data)
{
  AdwToast *toast = user_data;
  MhHistoryPage *self = g_object_get_data (G_OBJECT (toast), "mh-page");

  /* Undo, pressed with the dismissal, came first. */
  if (self != NULL && toast == self->removal_toast)
    commit_removals (self);
  return G_SOURCE_REMOVE;
}

static void
toast_dismissed_cb (AdwToast      *toast,
                    MhHistoryPage *self)
{
  /* The button's "button-clicked" may come right after: decide once both
   * have been heard. */
  g_idle_add_full (G_PRIORITY_DEFAULT, commit_idle_cb, g_object_ref (toast), g_object_unref);
}

static void
remove_record (MhHistoryPage *self,
               MhJobRecord   *record)
{
  g_autofree char *title = NULL;

  if (g_hash_table_contains (self->hidden, record))
    return;

  g_hash_table_add (self->hidden, g_object_ref (record));
  g_ptr_array_add (self->removing, g_object_ref (record));
  filter_changed_cb (self);

  if (self->removing->len == 1)
    {
      g_autofree char *escaped = g_markup_escape_text (mh_job_record_get_title (record), -1);

      title = g_strdup_printf (_("“%s” removed from the history"), escaped);
    }
  else
    title = g_strdup_printf (ngettext ("%u job removed from the history",
                                       "%u jobs removed from the history", self->removing->len),
                             self->removing->len);

  /* One toast for a run of removals: Undo brings them all back. */
  if (self->removal_toast != NULL)
    {
      adw_toast_set_title (self->removal_toast, title);
      return;
    }

  self->removal_toast = adw_toast_new (title);
  adw_toast_set_button_label (self->removal_toast, _("_Undo"));
  /* Not ADW_TOAST_PRIORITY_HIGH: libadwaita 1.2 aborts when the toast it
   * put back comes again while still fading out. */
  g_object_set_data (G_OBJECT (self->removal_toast), "mh-page", self);
  g_signal_connect_object (self->removal_toast, "button-clicked", G_CALLBACK (undo_cb), self, 0);
  g_signal_connect_object (self->removal_toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self, 0);
  if (g_signal_has_handler_pending (self, signals[SIGNAL_TOAST], 0, FALSE))
    g_signal_emit (self, signals[SIGNAL_TOAST], 0, g_object_ref (self->removal_toast));
}

/* ------------------------------------------------------------------------ */
/* Deleting at Magic Hour                                                   */

typedef struct
{
  MhHistoryPage *self;
  MhJobStore    *store;
  MhJobRecord   *record;
  MhClient      *client;
  GError        *error;
} DeleteData;

static void
delete_data_free (DeleteData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->store);
  g_object_unref (data->record);
  g_object_unref (data->client);
  g_clear_error (&data->error);
  g_free (data);
}

static void
delete_released_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  DeleteData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  mh_job_store_release_finish (MH_JOB_STORE (source), result, &error);

  if (data->error != NULL)
    text = g_strdup_printf (_("“%s” could not be deleted at Magic Hour: %s"),
                            mh_job_record_get_title (data->record), data->error->message);
  else
    text = g_strdup_printf (_("“%s” was deleted at Magic Hour"), mh_job_record_get_title (data->record));
  emit_toast (data->self, text);

  delete_data_free (data);
}

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  DeleteData *data = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  node = mh_client_call_finish (MH_CLIENT (source), result, &error);
  /* A template is kept at Magic Hour: said so, not as a bad input. */
  if (error != NULL)
    {
      GError *template = mh_error_new_for_delete (error, mh_job_record_get_tool (data->record)->kind);

      if (template != NULL)
        {
          g_error_free (error);
          error = template;
        }
    }
  /* Not found: it is gone already, as asked. */
  if (error != NULL && !g_error_matches (error, MH_ERROR, MH_ERROR_NOT_FOUND))
    data->error = error;
  else
    {
      g_clear_error (&error);
      mh_job_record_set_deleted (data->record, TRUE);
    }

  mh_job_store_release_async (data->store, data->record, delete_released_cb, data);
}

static void
delete_claimed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DeleteData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const MhTool *tool;

  if (!mh_job_store_claim_finish (MH_JOB_STORE (source), result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("“%s” could not be deleted at Magic Hour: %s"),
                                               mh_job_record_get_title (data->record), error->message);

      emit_toast (data->self, text);
      delete_data_free (data);
      return;
    }

  /* The record as on disk now: another process may have deleted it. */
  if (mh_job_record_get_deleted (data->record) || mh_job_record_get_project_id (data->record) == NULL)
    {
      mh_job_store_release_async (data->store, data->record, delete_released_cb, data);
      return;
    }

  tool = mh_job_record_get_tool (data->record);
  path = g_strconcat (mh_project_kind_to_path (tool->kind), mh_job_record_get_project_id (data->record), NULL);
  mh_client_call_async (data->client, "DELETE", path, NULL, MH_CALL_IDEMPOTENT,
                        _("Deleting the result at Magic Hour"), NULL, deleted_cb, data);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    MhHistoryPage    *self)
{
  MhJobRecord *record = g_object_get_data (G_OBJECT (dialog), "mh-record");
  DeleteData *data;

  if (g_strcmp0 (response, "delete") != 0 || self->store == NULL)
    return;

  data = g_new0 (DeleteData, 1);
  data->self = g_object_ref (self);
  data->store = g_object_ref (self->store);
  data->record = g_object_ref (record);
  data->client = g_object_ref (mh_application_get_client (self->application));

  /* Under the record's lock, so no other window or command-line run is
   * downloading it meanwhile, and the record says so afterwards. */
  mh_job_store_claim_async (data->store, data->record, NULL, delete_claimed_cb, data);
}

static void
ask_delete (MhHistoryPage *self,
            MhJobRecord   *record)
{
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  body = g_strdup_printf (_("“%s” will be deleted from your Magic Hour library for good. "
                            "This cannot be undone. The files on this computer are kept."),
                          mh_job_record_get_title (record));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_parent_window (self),
                                                       _("Delete this result at Magic Hour?"),
                                                       body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "mh-record", g_object_ref (record), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------ */
/* Rows                                                                     */

static void
row_action_cb (MhHistoryRow  *row,
               const char    *name,
               MhHistoryPage *self)
{
  MhJobRecord *record = mh_history_row_get_record (row);
  const char *path = output_path (record);

  if (self->application == NULL || self->store == NULL ||
      !mh_history_row_get_action_enabled (row, name))
    return;

  if (g_str_equal (name, "open") && path != NULL)
    mh_launch_open_async (GTK_WIDGET (self), path, self->cancellable, launch_cb,
                          launch_data_new (self, path, TRUE));
  else if (g_str_equal (name, "show-in-folder") && path != NULL)
    mh_launch_show_in_folder_async (GTK_WIDGET (self), path, self->cancellable, launch_cb,
                                    launch_data_new (self, path, FALSE));
  else if (g_str_equal (name, "download-again"))
    run (self, record, TRUE);
  else if (g_str_equal (name, "resume"))
    run (self, record, FALSE);
  else if (g_str_equal (name, "retry"))
    retry (self, record);
  else if (g_str_equal (name, "run-again"))
    g_signal_emit (self, signals[SIGNAL_RUN_AGAIN], 0, record);
  else if (g_str_equal (name, "remove"))
    remove_record (self, record);
  else if (g_str_equal (name, "delete"))
    ask_delete (self, record);
  else if (g_str_equal (name, "show-job"))
    {
      MhJob *job = mh_application_find_job (self->application, record);

      if (job != NULL)
        g_signal_emit (self, signals[SIGNAL_SHOW_JOB], 0, job);
    }
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  MhHistoryPage *self = user_data;
  GtkWidget *row = mh_history_row_new (MH_JOB_RECORD (item));

  if (self->application != NULL)
    mh_history_row_set_api_base_url (MH_HISTORY_ROW (row), current_base_url (self));
  g_signal_connect_object (row, "action", G_CALLBACK (row_action_cb), self, 0);

  return row;
}

static void
row_activated_cb (MhHistoryPage *self,
                  GtkListBoxRow *row)
{
  const char *action;

  if (!MH_IS_HISTORY_ROW (row))
    return;
  action = mh_history_row_get_default_action (MH_HISTORY_ROW (row));
  if (action != NULL)
    row_action_cb (MH_HISTORY_ROW (row), action, self);
}

static void
update_rows_api (MhHistoryPage *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (MH_IS_HISTORY_ROW (child))
      mh_history_row_set_api_base_url (MH_HISTORY_ROW (child), current_base_url (self));
}

/* ------------------------------------------------------------------------ */
/* The store                                                                */

static void
records_changed_cb (MhHistoryPage *self)
{
  update_stack (self);
}

static void
bind_store (MhHistoryPage *self)
{
  MhJobStore *store = mh_application_get_store (self->application);

  if (store == self->store)
    return;

  /* Another store (the demo started): what waited for Undo is dropped. */
  if (self->store != NULL)
    {
      g_signal_handlers_disconnect_by_func (mh_job_store_get_records (self->store), records_changed_cb, self);
      g_ptr_array_set_size (self->removing, 0);
      forget_removal_toast (self);
      g_hash_table_remove_all (self->hidden);
    }

  g_set_object (&self->store, store);
  g_clear_object (&self->filtered);
  self->filtered = gtk_filter_list_model_new (g_object_ref (mh_job_store_get_records (store)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  g_signal_connect_object (mh_job_store_get_records (store), "items-changed",
                           G_CALLBACK (records_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filtered, "items-changed",
                           G_CALLBACK (records_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->filtered), create_row_cb, self, NULL);
  update_stack (self);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
mh_history_page_dispose (GObject *object)
{
  MhHistoryPage *self = MH_HISTORY_PAGE (object);

  /* Removals waiting for their toast are done: the person asked for them. */
  if (self->store != NULL && self->removing != NULL && self->removing->len > 0)
    commit_removals (self);
  g_cancellable_cancel (self->cancellable);

  if (self->list_box != NULL)
    gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
  /* AdwBin would unparent its child again after the template did. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), MH_TYPE_HISTORY_PAGE);

  G_OBJECT_CLASS (mh_history_page_parent_class)->dispose (object);
}

static void
mh_history_page_finalize (GObject *object)
{
  MhHistoryPage *self = MH_HISTORY_PAGE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->cancellable);
  forget_removal_toast (self);
  g_clear_pointer (&self->hidden, g_hash_table_unref);
  g_clear_pointer (&self->removing, g_ptr_array_unref);

  G_OBJECT_CLASS (mh_history_page_parent_class)->finalize (object);
}

static void
mh_history_page_class_init (MhHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_history_page_dispose;
  object_class->finalize = mh_history_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mhstudio/MagicHourStudio/mh-history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MhHistoryPage, stack);
  gtk_widget_class_bind_template_child (widget_class, MhHistoryPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, MhHistoryPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, MhHistoryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MhHistoryPage, tool_filter);
  gtk_widget_class_bind_template_child (widget_class, MhHistoryPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, MhHistoryPage, list_box);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  signals[SIGNAL_TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);
  signals[SIGNAL_RUN_AGAIN] =
    g_signal_new ("run-again", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MH_TYPE_JOB_RECORD);
  signals[SIGNAL_SHOW_JOB] =
    g_signal_new ("show-job", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MH_TYPE_JOB);
}

static void
mh_history_page_init (MhHistoryPage *self)
{
  g_autoptr(GtkStringList) tools = gtk_string_list_new (NULL);
  const MhTool *const *list;
  guint n_tools;

  self->hidden = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, NULL);
  self->removing = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_string_list_append (tools, _("All Tools"));
  list = mh_tools (&n_tools);
  for (guint i = 0; i < n_tools; i++)
    gtk_string_list_append (tools, _(list[i]->name));
  gtk_drop_down_set_model (self->tool_filter, G_LIST_MODEL (tools));
  mh_a11y_name_drop_down (self->tool_filter, _("Tool"));

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  update_stack (self);
}

void
mh_history_page_set_application (MhHistoryPage *self,
                                 MhApplication *application)
{
  g_return_if_fail (MH_IS_HISTORY_PAGE (self));
  g_return_if_fail (MH_IS_APPLICATION (application));

  self->application = application;
  g_signal_connect_object (application, "notify::store", G_CALLBACK (bind_store), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "notify::store-loaded", G_CALLBACK (update_stack), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "notify::store-problems", G_CALLBACK (update_stack), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "notify::client", G_CALLBACK (update_rows_api), self, G_CONNECT_SWAPPED);
  bind_store (self);
}

GtkWidget *
mh_history_page_find_row (MhHistoryPage *self,
                          MhJobRecord   *record)
{
  g_return_val_if_fail (MH_IS_HISTORY_PAGE (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (MH_IS_HISTORY_ROW (child) && mh_history_row_get_record (MH_HISTORY_ROW (child)) == record)
      return child;
  return NULL;
}

GtkWidget *
mh_history_page_get_search_entry (MhHistoryPage *self)
{
  g_return_val_if_fail (MH_IS_HISTORY_PAGE (self), NULL);
  return GTK_WIDGET (self->search_entry);
}

GtkWidget *
mh_history_page_get_tool_filter (MhHistoryPage *self)
{
  g_return_val_if_fail (MH_IS_HISTORY_PAGE (self), NULL);
  return GTK_WIDGET (self->tool_filter);
}
