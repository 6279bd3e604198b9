/* mh-preferences-window.c: the API key, the output folders, the API address
 *
 * The key is checked against the API with a client of its own before it is
 * stored, so a mistyped key never replaces a good one. It lives only in the
 * keyring and, while it is checked, in memory that is wiped afterwards: it is
 * never logged, never written to GSettings and never shown again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mh-a11y.h"
#include "mh-error.h"
#include "mh-keyring.h"
#include "mh-preferences-window.h"
#include "mh-spinner.h"

#define DEVELOPER_HUB_URL "https://magichour.ai/developer"

typedef enum
{
  STATUS_INFO,
  STATUS_OK,
  STATUS_ERROR,
  STATUS_BUSY,
} StatusKind;

struct _MhPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template */
  AdwPasswordEntryRow  *key_row;
  AdwActionRow         *key_status_row;
  GtkImage             *key_status_icon;
  GtkSpinner           *key_spinner;
  GtkButton            *remove_key_button;
  AdwActionRow         *video_folder_row;
  GtkButton            *video_reset_button;
  AdwActionRow         *image_folder_row;
  GtkButton            *image_reset_button;
  AdwEntryRow          *address_row;
  AdwActionRow         *address_status_row;
  GtkImage             *address_status_icon;
  GtkSwitch            *face_check_switch;

  MhApplication        *application;
  GSettings            *settings;
  GCancellable         *cancellable;
  GCancellable         *recheck_cancellable;  /* the key at a new address */
  GtkFileChooserNative *chooser;

  guint                 disposed : 1;
  guint                 checking_key : 1;
  guint                 key_stored : 1;
  /* The key row shows the outcome of something the person did: later
   * changes of the application's state do not overwrite it. */
  guint                 key_status_is_result : 1;
};

G_DEFINE_FINAL_TYPE (MhPreferencesWindow, mh_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static char *dup_check_base_url (MhPreferencesWindow *self);
static void  recheck_key        (MhPreferencesWindow *self);

/* Keyring and key-check work. It holds the window weakly: closing the
 * window disposes it at once, which cancels what can be given up. */
typedef struct
{
  GWeakRef       window;
  MhApplication *application;
  MhClient      *client;
  char          *key;
  gboolean       has_credits;
  gint64         credits;
  gboolean       checked;   /* FALSE: the API has no /v1/account */
} KeyTask;

static void
wipe_string (char *string)
{
  if (string != NULL)
    {
      explicit_bzero (string, strlen (string));
      g_free (string);
    }
}

static KeyTask *
key_task_new (MhPreferencesWindow *self)
{
  KeyTask *task = g_new0 (KeyTask, 1);

  g_weak_ref_init (&task->window, self);
  task->application = g_object_ref (self->application);
  return task;
}

static void
key_task_free (KeyTask *task)
{
  g_weak_ref_clear (&task->window);
  g_clear_object (&task->application);
  g_clear_object (&task->client);
  g_clear_pointer (&task->key, wipe_string);
  g_free (task);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KeyTask, key_task_free)

/* The window, or NULL once it was closed. */
static MhPreferencesWindow *
key_task_dup_window (KeyTask *task)
{
  MhPreferencesWindow *self = g_weak_ref_get (&task->window);

  if (self != NULL && self->disposed)
    g_clear_object (&self);
  return self;
}

/* A copy of @text without surrounding white space, and no other copy. */
static char *
dup_trimmed (const char *text)
{
  const char *start = text;
  const char *end;

  while (g_ascii_isspace (*start))
    start++;
  end = start + strlen (start);
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  return g_strndup (start, end - start);
}

static void
set_status (AdwActionRow *row,
            GtkImage     *icon,
            GtkSpinner   *spinner,
            StatusKind    kind,
            const char   *text)
{
  static const char *classes[] = { "dim-label", "success", "error" };
  static const char *icons[] = { "dialog-information-symbolic", "emblem-ok-symbolic",
                                 "dialog-warning-symbolic" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (icon), classes[i]);

  if (text == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (row), FALSE);
      return;
    }

  if (kind != STATUS_BUSY)
    {
      gtk_image_set_from_icon_name (icon, icons[kind]);
      gtk_widget_add_css_class (GTK_WIDGET (icon), classes[kind]);
    }
  gtk_widget_set_visible (GTK_WIDGET (icon), kind != STATUS_BUSY);
  if (spinner != NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (spinner), kind == STATUS_BUSY);
      mh_spinner_set_spinning (spinner, kind == STATUS_BUSY);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_set_visible (GTK_WIDGET (row), TRUE);
}

static void
set_key_status (MhPreferencesWindow *self,
                StatusKind           kind,
                const char          *text)
{
  set_status (self->key_status_row, self->key_status_icon, self->key_spinner, kind, text);
}

static void
set_address_status (MhPreferencesWindow *self,
                    StatusKind           kind,
                    const char          *text)
{
  set_status (self->address_status_row, self->address_status_icon, NULL, kind, text);
}

/* ------------------------------------------------------------------------ */
/* The API key                                                              */

static void
update_key_sensitivity (MhPreferencesWindow *self)
{
  gboolean from_env = mh_application_key_from_env (self->application);

  gtk_widget_set_sensitive (GTK_WIDGET (self->key_row), !from_env && !self->checking_key);
  gtk_widget_set_visible (GTK_WIDGET (self->remove_key_button),
                          self->key_stored && !from_env && !self->checking_key);
}

/* What is true when nothing was just done: where the key comes from. */
static void
update_key_status (MhPreferencesWindow *self)
{
  update_key_sensitivity (self);

  if (self->key_status_is_result || self->checking_key)
    return;

  if (mh_application_key_from_env (self->application))
    set_key_status (self, STATUS_INFO, _("Set by MAGIC_HOUR_API_KEY in the environment"));
  else if (mh_application_get_demo (self->application))
    set_key_status (self, STATUS_INFO, _("The demo uses the built-in simulator and needs no key."));
  else if (self->key_stored)
    set_key_status (self, STATUS_INFO, _("A key is saved in your keyring."));
  else
    set_key_status (self, STATUS_INFO, _("No key is saved yet."));
}

static void
finish_key_check (MhPreferencesWindow *self,
                  StatusKind           kind,
                  const char          *text)
{
  self->checking_key = FALSE;
  self->key_status_is_result = TRUE;
  set_key_status (self, kind, text);
  update_key_sensitivity (self);

  /* Back where the person was typing, to correct the key. */
  if (kind == STATUS_ERROR && gtk_window_is_active (GTK_WINDOW (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->key_row));
}

static void
key_stored_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KeyTask) check = user_data;
  g_autoptr(MhPreferencesWindow) self = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *base_url = NULL;

  mh_keyring_store_finish (result, &error);

  /* The key works: use it now even if the keyring refused it, and even if
   * the window was closed meanwhile. */
  mh_application_set_api_key (check->application, check->key);

  self = key_task_dup_window (check);
  if (self == NULL)
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      finish_key_check (self, STATUS_ERROR,
                        _("The key works, but your keyring did not answer, so it was not saved. It is used until you quit."));
      return;
    }
  if (error != NULL)
    {
      text = g_strdup_printf (_("The key works, but the keyring could not save it (%s). It is used until you quit."),
                              error->message);
      finish_key_check (self, STATUS_ERROR, text);
      return;
    }

  self->key_stored = TRUE;

  if (!check->checked)
    text = g_strdup (_("Key saved; it will be checked with the first job"));
  else if (check->has_credits)
    {
      g_autofree char *credits = g_strdup_printf ("%'" G_GINT64_FORMAT, check->credits);

      /* Translators: %s is a number of credits, e.g. “1,234” */
      text = g_strdup_printf (ngettext ("Key accepted · %s credit",
                                        "Key accepted · %s credits",
                                        (gulong) CLAMP (check->credits, 0, G_MAXLONG)),
                              credits);
    }
  else
    text = g_strdup (_("Key accepted"));

  finish_key_check (self, STATUS_OK, text);

  /* The address changed while the key was checked: what was said is true
   * of the old one, so the key is checked where jobs now go. */
  base_url = dup_check_base_url (self);
  if (g_strcmp0 (base_url, mh_client_get_base_url (check->client)) != 0)
    recheck_key (self);
}

/* The credits an account answer tells, if it tells them as a number. */
static gboolean
account_get_credits (JsonNode *account,
                     gint64   *credits)
{
  JsonNode *member;

  if (account == NULL || !JSON_NODE_HOLDS_OBJECT (account))
    return FALSE;

  member = json_object_get_member (json_node_get_object (account), "credits");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      (json_node_get_value_type (member) != G_TYPE_INT64 &&
       json_node_get_value_type (member) != G_TYPE_DOUBLE))
    return FALSE;

  *credits = json_node_get_int (member);
  return TRUE;
}

static void
account_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KeyTask) check = user_data;
  g_autoptr(MhPreferencesWindow) self = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) account = NULL;
  const char *key;

  account = mh_client_get_account_finish (MH_CLIENT (source), result, &error);

  /* Closed while checking: nobody saw the answer, nothing is stored. */
  self = key_task_dup_window (check);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (g_error_matches (error, MH_ERROR, MH_ERROR_UNAUTHORIZED))
    {
      finish_key_check (self, STATUS_ERROR,
                        _("This key was not accepted. Check it, or create a new one in Magic Hour's Developer Hub."));
      return;
    }

  if (error != NULL)
    {
      finish_key_check (self, STATUS_ERROR, error->message);
      return;
    }

  check->checked = account != NULL;
  check->has_credits = account_get_credits (account, &check->credits);

  /* Not cancelled with the window: the keyring and the app must agree. */
  key = check->key;
  mh_keyring_store_async (key, NULL, key_stored_cb, g_steal_pointer (&check));
}

/* Where the key is checked: the address the app sends jobs to, or in the
 * demo the address it will send them to afterwards. */
static char *
dup_check_base_url (MhPreferencesWindow *self)
{
  g_autofree char *setting = NULL;

  if (!mh_application_get_demo (self->application))
    return g_strdup (mh_client_get_base_url (mh_application_get_client (self->application)));

  if (mh_client_env_base_url () != NULL)
    return g_strdup (mh_client_env_base_url ());

  setting = g_settings_get_string (self->settings, "api-base-url");
  return *setting != '\0' ? g_steal_pointer (&setting) : g_strdup (MH_DEFAULT_BASE_URL);
}

static void
cancel_recheck (MhPreferencesWindow *self)
{
  if (self->recheck_cancellable != NULL)
    g_cancellable_cancel (self->recheck_cancellable);
  g_clear_object (&self->recheck_cancellable);
}

static void
key_row_apply_cb (MhPreferencesWindow *self)
{
  g_autofree char *base_url = NULL;
  KeyTask *check;
  char *key;

  if (self->application == NULL || self->checking_key ||
      mh_application_key_from_env (self->application))
    return;

  key = dup_trimmed (gtk_editable_get_text (GTK_EDITABLE (self->key_row)));
  if (*key == '\0')
    {
      wipe_string (key);
      finish_key_check (self, STATUS_ERROR, _("Enter a key"));
      return;
    }

  base_url = dup_check_base_url (self);
  /* The key typed now is what counts, not the one checked at a new address. */
  cancel_recheck (self);

  check = key_task_new (self);
  check->key = key;
  check->client = mh_client_new (base_url);
  mh_client_set_api_key (check->client, key);
  /* Someone is waiting for the answer: fewer, shorter retries than a job's. */
  mh_client_set_retry_policy (check->client, 3, 0.5, 2.0);

  self->checking_key = TRUE;
  self->key_status_is_result = FALSE;
  set_key_status (self, STATUS_BUSY, _("Checking the key…"));

  /* Focus goes where the answer will appear before the entry turns
   * insensitive: an insensitive entry must not keep the focus. */
  if (gtk_widget_get_state_flags (GTK_WIDGET (self->key_row)) & GTK_STATE_FLAG_FOCUS_WITHIN)
    gtk_widget_grab_focus (GTK_WIDGET (self->key_status_row));
  update_key_sensitivity (self);

  mh_client_get_account_async (check->client, self->cancellable, account_cb, check);
}

static void
keyring_looked_up_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(KeyTask) lookup = user_data;
  g_autoptr(MhPreferencesWindow) self = key_task_dup_window (lookup);
  g_autoptr(GError) error = NULL;
  char *key = mh_keyring_lookup_finish (result, &error);
  gboolean stored = key != NULL;

  /* Only whether there is one matters here. */
  mh_keyring_free_key (key);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->key_stored = stored;
  /* Whether a key is saved is not known: the row says why instead. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) &&
      !self->checking_key && !self->key_status_is_result)
    {
      self->key_status_is_result = TRUE;
      set_key_status (self, STATUS_ERROR,
                      _("Your keyring did not answer, so a saved key could not be read. Enter your key again, or restart your session’s keyring."));
    }
  update_key_status (self);
}

static void
key_cleared_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KeyTask) clear = user_data;
  g_autoptr(MhPreferencesWindow) self = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean cleared = mh_keyring_clear_finish (result, &error);

  /* Even if the window was closed meanwhile: the keyring and the app agree. */
  if (cleared)
    mh_application_set_api_key (clear->application, NULL);

  self = key_task_dup_window (clear);
  if (self == NULL)
    return;

  if (!cleared)
    {
      text = g_strdup_printf (_("The key could not be removed from the keyring: %s"), error->message);
      finish_key_check (self, STATUS_ERROR, text);
      return;
    }

  self->key_stored = FALSE;
  finish_key_check (self, STATUS_INFO, _("The key was removed from the keyring."));
}

static void
remove_key_response_cb (MhPreferencesWindow *self,
                        const char          *response)
{
  if (g_strcmp0 (response, "remove") != 0)
    return;

  cancel_recheck (self);
  /* Not cancelled with the window: the keyring and the app must agree. */
  mh_keyring_clear_async (NULL, key_cleared_cb, key_task_new (self));
}

static void
remove_key_clicked_cb (MhPreferencesWindow *self)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   _("Remove the API key from the keyring?"),
                                   _("Jobs cannot be started until a key is entered again."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_key_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
create_key_activated_cb (MhPreferencesWindow *self)
{
  gtk_show_uri (GTK_WINDOW (self), DEVELOPER_HUB_URL, GDK_CURRENT_TIME);
}

/* ------------------------------------------------------------------------ */
/* Output folders                                                           */

static const char *
folder_key (MhProjectKind kind)
{
  return kind == MH_PROJECT_IMAGE ? "output-folder-image" : "output-folder-video";
}

/* The folder as a person reads it: “~/Videos/Magic Hour Studio”. */
static char *
dup_display_path (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  const char *home = g_get_home_dir ();
  gsize home_len = home != NULL ? strlen (home) : 0;

  if (path == NULL)
    return g_file_get_parse_name (file);

  if (home_len > 1 && strncmp (path, home, home_len) == 0 &&
      (path[home_len] == '/' || path[home_len] == '\0'))
    return g_strconcat ("~", path + home_len, NULL);

  return g_steal_pointer (&path);
}

static void
update_folder_row (MhPreferencesWindow *self,
                   MhProjectKind        kind)
{
  AdwActionRow *row = kind == MH_PROJECT_IMAGE ? self->image_folder_row : self->video_folder_row;
  GtkButton *reset = kind == MH_PROJECT_IMAGE ? self->image_reset_button : self->video_reset_button;
  g_autoptr(GFile) dir = mh_application_dup_output_dir (self->application, kind);
  g_autofree char *setting = g_settings_get_string (self->settings, folder_key (kind));
  g_autofree char *display = dup_display_path (dir);

  adw_action_row_set_subtitle (row, display);
  gtk_widget_set_visible (GTK_WIDGET (reset), *setting != '\0');
}

static void
chooser_response_cb (MhPreferencesWindow *self,
                     int                  response,
                     GtkNativeDialog     *chooser)
{
  MhProjectKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "mh-kind"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = folder != NULL ? g_file_get_path (folder) : NULL;

      if (path != NULL)
        g_settings_set_string (self->settings, folder_key (kind), path);
      else
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                          adw_toast_new (_("Choose a folder on this computer")));
    }

  gtk_native_dialog_destroy (chooser);
  if (GTK_NATIVE_DIALOG (self->chooser) == chooser)
    g_clear_object (&self->chooser);
}

static void
choose_folder (MhPreferencesWindow *self,
               MhProjectKind        kind)
{
  g_autoptr(GFile) current = mh_application_dup_output_dir (self->application, kind);
  const char *title = kind == MH_PROJECT_IMAGE ? _("Choose a Folder for Pictures")
                                               : _("Choose a Folder for Videos");

  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }

  self->chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_object_set_data (G_OBJECT (self->chooser), "mh-kind", GINT_TO_POINTER (kind));

  /* The folder is made with the first result: start from it or its parent. */
  while (current != NULL && !g_file_query_exists (current, NULL))
    {
      GFile *parent = g_file_get_parent (current);

      g_object_unref (current);
      current = parent;
    }
  if (current != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), current, NULL);

  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
video_choose_clicked_cb (MhPreferencesWindow *self)
{
  choose_folder (self, MH_PROJECT_VIDEO);
}

static void
image_choose_clicked_cb (MhPreferencesWindow *self)
{
  choose_folder (self, MH_PROJECT_IMAGE);
}

static void
video_reset_clicked_cb (MhPreferencesWindow *self)
{
  g_settings_reset (self->settings, folder_key (MH_PROJECT_VIDEO));
  gtk_widget_grab_focus (GTK_WIDGET (self->video_folder_row));
}

static void
image_reset_clicked_cb (MhPreferencesWindow *self)
{
  g_settings_reset (self->settings, folder_key (MH_PROJECT_IMAGE));
  gtk_widget_grab_focus (GTK_WIDGET (self->image_folder_row));
}

/* ------------------------------------------------------------------------ */
/* The API address                                                          */

static void
update_address_row (MhPreferencesWindow *self)
{
  const char *env = mh_client_env_base_url ();
  g_autofree char *setting = g_settings_get_string (self->settings, "api-base-url");
  const char *text = env != NULL ? env : setting;

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->address_row)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->address_row), text);

  gtk_widget_set_sensitive (GTK_WIDGET (self->address_row), env == NULL);

  if (env != NULL)
    set_address_status (self, STATUS_INFO, _("Set by MAGIC_HOUR_API_BASE_URL in the environment"));
  else if (mh_application_get_demo (self->application))
    set_address_status (self, STATUS_INFO,
                        _("The demo uses the built-in simulator; this address is used outside the demo."));
}

/* The key at a new address: what the key row said was true of the old
 * one. Checked with a client of its own, the keyring's key or the
 * environment's as the app loads it; nothing is stored. A newer address,
 * a new key or closing the window cancels it. */
/* As finish_key_check(), but the focus stays where the address was typed. */
static void
finish_recheck (MhPreferencesWindow *self,
                StatusKind           kind,
                const char          *text)
{
  self->key_status_is_result = TRUE;
  set_key_status (self, kind, text);
  update_key_sensitivity (self);
}

static void
recheck_account_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KeyTask) check = user_data;
  g_autoptr(MhPreferencesWindow) self = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) account = NULL;
  g_autofree char *text = NULL;
  gint64 n;

  account = mh_client_get_account_finish (MH_CLIENT (source), result, &error);
  self = key_task_dup_window (check);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (g_error_matches (error, MH_ERROR, MH_ERROR_UNAUTHORIZED))
    {
      finish_recheck (self, STATUS_ERROR,
                        _("This address does not accept your key. Enter a key for it, or go back to the previous address."));
      return;
    }
  if (error != NULL)
    {
      finish_recheck (self, STATUS_ERROR, error->message);
      return;
    }
  if (account == NULL)
    {
      finish_recheck (self, STATUS_INFO, _("This address cannot check the key; it will be checked with the first job."));
      return;
    }

  if (account_get_credits (account, &n))
    {
      g_autofree char *number = g_strdup_printf ("%'" G_GINT64_FORMAT, n);

      /* Translators: %s is a number of credits, e.g. “1,234” */
      text = g_strdup_printf (ngettext ("Key accepted at this address · %s credit",
                                        "Key accepted at this address · %s credits",
                                        (gulong) CLAMP (n, 0, G_MAXLONG)),
                              number);
    }
  else
    text = g_strdup (_("Key accepted at this address"));

  finish_recheck (self, STATUS_OK, text);
}

static void
recheck_key_loaded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(KeyTask) check = user_data;
  g_autoptr(MhPreferencesWindow) self = NULL;
  g_autoptr(GError) error = NULL;
  MhClient *client;

  mh_client_load_api_key_finish (MH_CLIENT (source), result, &error);
  self = key_task_dup_window (check);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Gone from the keyring meanwhile: the row says so. */
  if (!mh_client_has_api_key (check->client))
    {
      cancel_recheck (self);
      self->key_status_is_result = FALSE;
      self->key_stored = FALSE;
      update_key_status (self);
      return;
    }

  /* Read before the task is handed over (arguments have no order). */
  client = check->client;
  mh_client_get_account_async (client, self->recheck_cancellable, recheck_account_cb,
                               g_steal_pointer (&check));
}

static void
recheck_key (MhPreferencesWindow *self)
{
  g_autofree char *base_url = NULL;
  KeyTask *check;

  cancel_recheck (self);

  /* A key being checked is checked where the app sends jobs; with no key
   * or in the demo there is nothing to check. */
  if (self->checking_key || mh_application_get_demo (self->application) ||
      (!self->key_stored && !mh_application_key_from_env (self->application)))
    return;

  base_url = dup_check_base_url (self);
  self->recheck_cancellable = g_cancellable_new ();
  check = key_task_new (self);
  check->client = mh_client_new (base_url);
  mh_client_set_retry_policy (check->client, 3, 0.5, 2.0);

  self->key_status_is_result = FALSE;
  set_key_status (self, STATUS_BUSY, _("Checking the key with the new address…"));
  mh_client_load_api_key_async (check->client, self->recheck_cancellable,
                                recheck_key_loaded_cb, check);
}

static void
address_row_apply_cb (MhPreferencesWindow *self)
{
  g_autofree char *text = NULL;
  g_autofree char *normalized = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (self->application == NULL || mh_application_base_url_from_env (self->application))
    return;

  text = dup_trimmed (gtk_editable_get_text (GTK_EDITABLE (self->address_row)));
  if (*text != '\0' && (normalized = mh_client_normalize_base_url (text, &error)) == NULL)
    {
      set_address_status (self, STATUS_ERROR, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
      return;
    }

  g_settings_set_string (self->settings, "api-base-url", normalized != NULL ? normalized : "");
  mh_application_reload_client (self->application);

  if (mh_application_get_demo (self->application))
    {
      set_address_status (self, STATUS_INFO,
                          _("The demo uses the built-in simulator; this address is used outside the demo."));
      return;
    }

  message = g_strdup_printf (_("Jobs are sent to %s"),
                             mh_client_get_base_url (mh_application_get_client (self->application)));
  set_address_status (self, STATUS_OK, message);
  recheck_key (self);
}

/* ------------------------------------------------------------------------ */
/* The application's state                                                  */

static void
settings_changed_cb (MhPreferencesWindow *self,
                     const char          *key)
{
  if (g_strcmp0 (key, "output-folder-video") == 0)
    update_folder_row (self, MH_PROJECT_VIDEO);
  else if (g_strcmp0 (key, "output-folder-image") == 0)
    update_folder_row (self, MH_PROJECT_IMAGE);
  else if (g_strcmp0 (key, "api-base-url") == 0)
    update_address_row (self);
}

static void
demo_changed_cb (MhPreferencesWindow *self)
{
  /* The demo needs no key: an answer from the old address would be stale. */
  if (mh_application_get_demo (self->application))
    cancel_recheck (self);
  update_key_status (self);
  update_address_row (self);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

/* The "application" property is set after construction (GtkWindow's is
 * not a construct property): everything that needs it starts here. */
static void
application_set_cb (MhPreferencesWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  if (self->application != NULL || !MH_IS_APPLICATION (application))
    return;

  self->application = g_object_ref (MH_APPLICATION (application));
  self->settings = g_object_ref (mh_application_get_settings (self->application));

  g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->application, "notify::demo", G_CALLBACK (demo_changed_cb), self,
                           G_CONNECT_SWAPPED);

  update_folder_row (self, MH_PROJECT_VIDEO);
  update_folder_row (self, MH_PROJECT_IMAGE);
  update_address_row (self);
  update_key_sensitivity (self);
  g_settings_bind (self->settings, "face-check", self->face_check_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);

  /* Whether a key is stored decides what the status says and whether it
   * can be removed; the environment's key hides the keyring's. */
  if (mh_application_key_from_env (self->application))
    update_key_status (self);
  else
    mh_keyring_lookup_async (self->cancellable, keyring_looked_up_cb, key_task_new (self));
}

static void
mh_preferences_window_dispose (GObject *object)
{
  MhPreferencesWindow *self = MH_PREFERENCES_WINDOW (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  cancel_recheck (self);

  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->application != NULL)
    g_signal_handlers_disconnect_by_data (self->application, self);

  G_OBJECT_CLASS (mh_preferences_window_parent_class)->dispose (object);
}

static void
mh_preferences_window_finalize (GObject *object)
{
  MhPreferencesWindow *self = MH_PREFERENCES_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (mh_preferences_window_parent_class)->finalize (object);
}

static void
mh_preferences_window_class_init (MhPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_preferences_window_dispose;
  object_class->finalize = mh_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mhstudio/MagicHourStudio/mh-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MhPreferencesWindow, key_row);
  gtk_widget_class_bind_template_child (widget_class, MhPreferencesWindow, key_status_row);
  gtk_widget_class_bind_template_child (widget_class, MhPreferencesWindow, key_status_icon);
  gtk_widget_class_bind_template_child (widget_class, MhPreferencesWindow, key_spinner);
  gtk_widget_class_bind_template_child (widget_class, MhPreferencesWindow, remove_key_button);
  gtk_widget_class_bind_template_child (widget_class, MhPreferencesWindow, video_folder_row);
  gtk_widget_class_bind_template_child (widget_class, MhPreferencesWindow, video_reset_button);
  gtk_widget_class_bind_template_child (widget_class, MhPreferencesWindow, image_folder_row);
  gtk_widget_class_bind_template_child (widget_class, MhPreferencesWindow, image_reset_button);
  gtk_widget_class_bind_template_child (widget_class, MhPreferencesWindow, address_row);
  gtk_widget_class_bind_template_child (widget_class, MhPreferencesWindow, address_status_row);
  gtk_widget_class_bind_template_child (widget_class, MhPreferencesWindow, address_status_icon);
  gtk_widget_class_bind_template_child (widget_class, MhPreferencesWindow, face_check_switch);

  gtk_widget_class_bind_template_callback (widget_class, key_row_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_key_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_key_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, video_choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, image_choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, video_reset_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, image_reset_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, address_row_apply_cb);
}

static void
mh_preferences_window_init (MhPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  mh_a11y_name_password_peek (self->key_row);
  mh_a11y_fix_mnemonic_names (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  g_signal_connect (self, "notify::application", G_CALLBACK (application_set_cb), NULL);
}

GtkWidget *
mh_preferences_window_new (MhApplication *application)
{
  g_return_val_if_fail (MH_IS_APPLICATION (application), NULL);

  return g_object_new (MH_TYPE_PREFERENCES_WINDOW,
                       "application", application,
                       NULL);
}
