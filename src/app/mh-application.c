/* mh-application.c: Magic Hour Studio
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>

#include "mh-app-resources.h"
#include "mh-application-private.h"
#include "mh-engine-enums.h"
#include "mh-gst.h"
#include "mh-keyring.h"
#include "mh-preferences-window.h"
#include "mh-quit-dialog.h"
#include "mh-simulator.h"
#include "mh-startup-trace.h"
#include "mh-transfer.h"
#include "mh-window.h"

/* A demo render is long enough to watch every stage, short enough not to bore. */
#define DEMO_RENDER_SECONDS 8.0


G_DEFINE_FINAL_TYPE (MhApplication, mh_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_DEMO,
  PROP_HAS_KEY,
  PROP_KEY_CHECKED,
  PROP_STORE,
  PROP_STORE_LOADED,
  PROP_STORE_PROBLEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void refresh_account (MhApplication *self);

static void
mh_application_dispose (GObject *object)
{
  MhApplication *self = MH_APPLICATION (object);

  g_cancellable_cancel (self->cancellable);
  mh_application_startup_free (self);
  if (self->simulator != NULL)
    mh_simulator_stop (self->simulator);
  /* Registered but never run (tests): no shutdown removed them. */
  for (guint i = 0; i < G_N_ELEMENTS (self->signal_ids); i++)
    g_clear_handle_id (&self->signal_ids[i], g_source_remove);

  G_OBJECT_CLASS (mh_application_parent_class)->dispose (object);
}

static void
mh_application_finalize (GObject *object)
{
  MhApplication *self = MH_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->client);
  g_clear_object (&self->account);
  g_clear_object (&self->simulator);
  g_clear_object (&self->jobs);
  g_clear_object (&self->cancellable);
  g_free (self->start_tool);
  mh_application_remove_demo_store (self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->stores, g_ptr_array_unref);
  g_clear_pointer (&self->store_problems, g_strfreev);
  g_clear_pointer (&self->pending_toasts, g_ptr_array_unref);

  G_OBJECT_CLASS (mh_application_parent_class)->finalize (object);
}

static void
mh_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MhApplication *self = MH_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_DEMO:
      g_value_set_boolean (value, mh_application_get_demo (self));
      break;
    case PROP_HAS_KEY:
      g_value_set_boolean (value, mh_application_get_has_key (self));
      break;
    case PROP_KEY_CHECKED:
      g_value_set_boolean (value, self->key_checked);
      break;
    case PROP_STORE:
      g_value_set_object (value, mh_application_get_store (self));
      break;
    case PROP_STORE_LOADED:
      g_value_set_boolean (value, self->store_loaded);
      break;
    case PROP_STORE_PROBLEMS:
      g_value_set_boxed (value, self->store_problems);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* ------------------------------------------------------------------------ */

static char *
dup_setting_base_url (MhApplication *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "api-base-url");

  return *url != '\0' ? g_steal_pointer (&url) : NULL;
}

/* The environment overrides the setting (mh_client_new reads it for NULL). */
static MhClient *
create_client (MhApplication *self)
{
  g_autofree char *url = NULL;

  if (!mh_application_base_url_from_env (self))
    url = dup_setting_base_url (self);

  return mh_client_new (url);
}

static void
set_client (MhApplication *self,
            MhClient      *client)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_set_object (&self->client, client);
  /* What the old key or address said is not this one's, nor what a
   * refresh still under way will say of it. */
  if (self->account != NULL)
    mh_account_clear (self->account);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_KEY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
key_loaded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(MhApplication) self = user_data;

  mh_client_load_api_key_finish (MH_CLIENT (source), result, NULL);
  if (MH_CLIENT (source) != self->client)
    return;

  mh_startup_trace_mark ("key-checked");
  self->key_checked = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_CHECKED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_KEY]);
  refresh_account (self);
  mh_application_maybe_resume (self);
}

/* ------------------------------------------------------------------------ */
/* The account                                                              */

static void
account_refreshed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A refused key or a failed network leaves the account unavailable, so
   * nothing is shown: the job or Preferences says what went wrong. */
  if (!mh_account_refresh_finish (MH_ACCOUNT (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("The account could not be read: %s", error->message);
}

/* Only on the events that change it: never in a loop, nor before the
 * first frame (the slow start asks then). */
static void
refresh_account (MhApplication *self)
{
  MhAccount *account = mh_application_get_account (self);

  if (self->client == NULL || !mh_client_has_api_key (self->client))
    {
      mh_account_clear (account);
      return;
    }
  if (mh_application_startup_waits (self))
    return;
  mh_startup_trace_mark ("account-request");
  mh_account_refresh_async (account, self->client, self->cancellable,
                            account_refreshed_cb, NULL);
}

/* ------------------------------------------------------------------------ */
/* Actions                                                                  */

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  MhApplication *self = user_data;
  /* Asked before the new window joins the app and becomes the active one. */
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *window = mh_preferences_window_new (self);

  if (parent != GTK_WINDOW (window))
    gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_present (GTK_WINDOW (window));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  MhApplication *self = user_data;
  const char *developers[] = { "Magic Hour Studio contributors", NULL };

  adw_show_about_window (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "application-name", _("Magic Hour Studio"),
                         "application-icon", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("Magic Hour Studio contributors"),
                         "developers", developers,
                         "website", "https://github.com/mhstudio/MagicHourStudio",
                         "issue-url", "https://github.com/mhstudio/MagicHourStudio/issues",
                         "comments", _("Make AI media with the Magic Hour API: talking photos, lip sync and headshots, without writing code."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
demo_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  MhApplication *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mh_application_start_demo (self, &error))
    g_warning ("Could not start the demo: %s", error->message);
}

/* While a job runs, asks first (mh-quit-dialog.h). */
static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *self = user_data;

  if (!mh_quit_dialog_ask (MH_APPLICATION (self), gtk_application_get_active_window (self), FALSE))
    g_application_quit (G_APPLICATION (self));
}

static const GActionEntry app_actions[] = {
  { "preferences", preferences_action },
  { "about", about_action },
  { "demo", demo_action },
  { "quit", quit_action },
};

/* ------------------------------------------------------------------------ */
/* GApplication                                                             */

/* Ctrl+C in the terminal that started the app, the session ending, kill:
 * the app quits as from the dialog's Quit, without asking (nothing may wait
 * on a dialog then), so running jobs are interrupted (the next start resumes
 * them) and the demo's history is removed, not left in the temporary folder. */
static gboolean
quit_signal_cb (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static void
mh_application_startup (GApplication *application)
{
  MhApplication *self = MH_APPLICATION (application);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };
  /* GtkApplication's own for its help overlay, which the window adds after
   * its first frame (mh-window.c). */
  const char *shortcuts_accels[] = { "<Control>question", NULL };
  const int quit_signals[G_N_ELEMENTS (self->signal_ids)] = { SIGINT, SIGTERM, SIGHUP };

  G_APPLICATION_CLASS (mh_application_parent_class)->startup (application);

  /* A transfer at full speed fills a core; with GTK's GL renderer on a
   * software rasterizer, the window's frames need the CPU at the moment
   * they are drawn. The transfer takes what the window leaves: a frame
   * late is a stall the person sees, a millisecond later is not. */
  mh_transfer_set_thread_nice (10);

  for (guint i = 0; i < G_N_ELEMENTS (quit_signals); i++)
    self->signal_ids[i] = g_unix_signal_add (quit_signals[i], quit_signal_cb, self);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay", shortcuts_accels);

  mh_application_startup_begin (self);
  self->settings = g_settings_new (APPLICATION_ID);
  self->client = create_client (self);
  /* A key from the environment needs no keyring: known at once, the first
   * frame shows the tools. The keyring waits (mh-application-startup.c). */
  if (mh_application_key_from_env (self))
    {
      self->key_requested = TRUE;
      mh_client_load_api_key_async (self->client, self->cancellable, key_loaded_cb, g_object_ref (self));
    }

  /* Empty until the first frame has painted: then it is read. */
  {
    g_autoptr(GFile) dir = mh_job_store_default_dir ();

    mh_application_set_store (self, mh_job_store_new (dir));
  }
}

/* Once the first frame is on screen (mh-application-startup.c). */
void
mh_application_start_slow_work (MhApplication *self)
{
  if (!self->key_requested && !mh_application_get_demo (self))
    {
      self->key_requested = TRUE;
      mh_startup_trace_mark ("keyring-lookup");
      mh_client_load_api_key_async (self->client, self->cancellable, key_loaded_cb, g_object_ref (self));
    }
  /* Else the key is known (then ask now) or its lookup has not answered
   * yet (then its answer asks): the account is requested once. */
  else if (mh_application_get_key_checked (self))
    refresh_account (self);
  mh_application_load_store (self);
}

static gboolean
wait_timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Jobs still running are interrupted, not canceled: their records keep
 * the step they were in, and the next start resumes them. */
static void
mh_application_shutdown (GApplication *application)
{
  MhApplication *self = MH_APPLICATION (application);
  GListModel *jobs = G_LIST_MODEL (self->jobs);
  g_autoptr(GList) windows = NULL;
  gboolean timed_out = FALSE;
  guint timeout_id;

  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(MhJob) job = g_list_model_get_item (jobs, i);

      if (!mh_job_state_is_finished (mh_job_get_state (job)))
        mh_job_interrupt (job);
    }

  /* What the windows still hold back (a removal waiting for its Undo
   * toast) is done as they go. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (l->data);

  /* An interrupted job gives its record's lock back within a few turns of
   * the main loop; a bound, in case the network holds on. */
  timeout_id = g_timeout_add_seconds (3, wait_timeout_cb, &timed_out);
  while (self->n_running > 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);

  for (guint i = 0; i < self->stores->len; i++)
    mh_job_store_flush (g_ptr_array_index (self->stores, i));
  mh_application_remove_demo_store (self);

  for (guint i = 0; i < G_N_ELEMENTS (self->signal_ids); i++)
    g_clear_handle_id (&self->signal_ids[i], g_source_remove);

  G_APPLICATION_CLASS (mh_application_parent_class)->shutdown (application);
}

static void
mh_application_window_added (GtkApplication *application,
                             GtkWindow      *window)
{
  MhApplication *self = MH_APPLICATION (application);

  GTK_APPLICATION_CLASS (mh_application_parent_class)->window_added (application, window);

  if (MH_IS_WINDOW (window))
    {
      for (guint i = 0; i < self->pending_toasts->len; i++)
        mh_window_add_toast (MH_WINDOW (window), g_object_ref (g_ptr_array_index (self->pending_toasts, i)));
      g_ptr_array_set_size (self->pending_toasts, 0);
    }
}

static void
mh_application_activate (GApplication *application)
{
  MhApplication *self = MH_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      window = GTK_WINDOW (mh_window_new (self));
      mh_startup_trace_mark ("window-created");
    }

  gtk_window_present (window);
  mh_application_startup_watch (self, window);
}

static int
mh_application_command_line (GApplication            *application,
                             GApplicationCommandLine *command_line)
{
  MhApplication *self = MH_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  /* "^a&ay": the strings belong to the dictionary, only the array is ours. */
  g_autofree const char **arguments = NULL;
  const char *tool_id = NULL;
  gboolean demo = FALSE;
  MhWindow *window;

  g_variant_dict_lookup (options, "demo", "b", &demo);
  g_variant_dict_lookup (options, "tool", "&s", &tool_id);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &arguments);

  if (tool_id != NULL && mh_tool_lookup (tool_id) == NULL)
    {
      g_application_command_line_printerr (command_line,
                                           _("Unknown tool “%s”. Use talking-photo, lip-sync or headshot.\n"),
                                           tool_id);
      return 2;
    }

  for (guint i = 0; arguments != NULL && arguments[i] != NULL; i++)
    g_ptr_array_add (files, g_application_command_line_create_file_for_arg (command_line, arguments[i]));

  if (demo)
    {
      g_autoptr(GError) error = NULL;

      if (!mh_application_start_demo (self, &error))
        {
          g_application_command_line_printerr (command_line, _("Could not start the demo: %s\n"),
                                               error->message);
          return 1;
        }
    }

  g_application_activate (application);
  window = MH_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (self)));
  mh_window_open (window, tool_id, (GFile **) files->pdata, files->len);

  return 0;
}

static void
mh_application_class_init (MhApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  /* The UI's resources live in the static library, registered by its
   * constructor: using them here keeps them in every program linking it. */
  if (mh_app_get_resource () == NULL)
    g_critical ("The application's resources are missing");

  object_class->dispose = mh_application_dispose;
  object_class->finalize = mh_application_finalize;
  object_class->get_property = mh_application_get_property;

  app_class->startup = mh_application_startup;
  app_class->activate = mh_application_activate;
  app_class->command_line = mh_application_command_line;
  app_class->shutdown = mh_application_shutdown;
  gtk_app_class->window_added = mh_application_window_added;

  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, MH_TYPE_CLIENT, flags);
  properties[PROP_DEMO] = g_param_spec_boolean ("demo", NULL, NULL, FALSE, flags);
  properties[PROP_HAS_KEY] = g_param_spec_boolean ("has-key", NULL, NULL, FALSE, flags);
  /* FALSE until the keyring answered: the window waits before asking for a key. */
  properties[PROP_KEY_CHECKED] = g_param_spec_boolean ("key-checked", NULL, NULL, FALSE, flags);
  properties[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, MH_TYPE_JOB_STORE, flags);
  properties[PROP_STORE_LOADED] = g_param_spec_boolean ("store-loaded", NULL, NULL, FALSE, flags);
  properties[PROP_STORE_PROBLEMS] = g_param_spec_boxed ("store-problems", NULL, NULL, G_TYPE_STRV, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mh_application_init (MhApplication *self)
{
  const GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Try the app with a simulator of the API: no key, no credits, sample results"), NULL },
    { "tool", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Open this tool: talking-photo, lip-sync or headshot"), N_("TOOL") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, N_("[FILE…]") },
    { NULL }
  };

  self->jobs = g_list_store_new (MH_TYPE_JOB);
  self->cancellable = g_cancellable_new ();
  self->stores = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending_toasts = g_ptr_array_new_with_free_func (g_object_unref);
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Make AI media with the Magic Hour API. Files given are placed in the tool's slots by type."));
}

MhApplication *
mh_application_new (void)
{
  return g_object_new (MH_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/mhstudio/MagicHourStudio",
                       NULL);
}

/* ------------------------------------------------------------------------ */
/* Public API                                                               */

MhClient *
mh_application_get_client (MhApplication *self)
{
  g_return_val_if_fail (MH_IS_APPLICATION (self), NULL);

  /* Usable before startup too (tests build windows without running). */
  if (self->client == NULL)
    {
      if (self->settings == NULL)
        self->settings = g_settings_new (APPLICATION_ID);
      self->client = create_client (self);
    }
  return self->client;
}

MhAccount *
mh_application_get_account (MhApplication *self)
{
  g_return_val_if_fail (MH_IS_APPLICATION (self), NULL);

  if (self->account == NULL)
    self->account = mh_account_new ();
  return self->account;
}

GSettings *
mh_application_get_settings (MhApplication *self)
{
  g_return_val_if_fail (MH_IS_APPLICATION (self), NULL);

  if (self->settings == NULL)
    self->settings = g_settings_new (APPLICATION_ID);
  return self->settings;
}

gboolean
mh_application_get_demo (MhApplication *self)
{
  g_return_val_if_fail (MH_IS_APPLICATION (self), FALSE);
  return self->simulator != NULL;
}

gboolean
mh_application_get_has_key (MhApplication *self)
{
  g_return_val_if_fail (MH_IS_APPLICATION (self), FALSE);
  return self->client != NULL && mh_client_has_api_key (self->client);
}

gboolean
mh_application_get_key_checked (MhApplication *self)
{
  g_return_val_if_fail (MH_IS_APPLICATION (self), FALSE);
  return self->key_checked || mh_application_get_demo (self);
}

gboolean
mh_application_key_from_env (MhApplication *self)
{
  const char *env = g_getenv ("MAGIC_HOUR_API_KEY");
  g_autofree char *trimmed = env != NULL ? g_strstrip (g_strdup (env)) : NULL;

  return trimmed != NULL && *trimmed != '\0';
}

gboolean
mh_application_base_url_from_env (MhApplication *self)
{
  return mh_client_env_base_url () != NULL;
}

gboolean
mh_application_start_demo (MhApplication  *self,
                           GError        **error)
{
  g_autoptr(MhClient) client = NULL;

  g_return_val_if_fail (MH_IS_APPLICATION (self), FALSE);

  if (self->simulator != NULL)
    return TRUE;

  self->simulator = mh_simulator_new ();
  mh_simulator_set_render_seconds (self->simulator, DEMO_RENDER_SECONDS);
  if (!mh_simulator_start (self->simulator, 0, error))
    {
      g_clear_object (&self->simulator);
      return FALSE;
    }

  /* A history of its own, gone at quit: demo jobs never show among real
   * ones, nor are resumed against the real API. */
  {
    g_autoptr(GError) tmp_error = NULL;
    g_autofree char *path = g_dir_make_tmp ("magic-hour-studio-demo-XXXXXX", &tmp_error);
    g_autoptr(GFile) dir = NULL;

    if (path == NULL)
      {
        g_propagate_error (error, g_steal_pointer (&tmp_error));
        mh_simulator_stop (self->simulator);
        g_clear_object (&self->simulator);
        return FALSE;
      }
    dir = g_file_new_for_path (path);
    mh_application_remove_demo_store (self);
    self->demo_store_path = g_steal_pointer (&path);
    mh_application_set_store (self, mh_job_store_new (dir));
  }

  client = mh_client_new (mh_simulator_get_base_url (self->simulator));
  mh_client_set_api_key (client, "demo");
  set_client (self, client);
  self->key_checked = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_CHECKED]);
  refresh_account (self);

  return TRUE;
}

void
mh_application_set_api_key (MhApplication *self,
                            const char    *api_key)
{
  g_return_if_fail (MH_IS_APPLICATION (self));

  if (mh_application_get_demo (self))
    return;

  mh_client_set_api_key (mh_application_get_client (self), api_key);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_KEY]);
  refresh_account (self);
  mh_application_maybe_resume (self);
}

static void
reloaded_key_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(MhApplication) self = user_data;

  mh_client_load_api_key_finish (MH_CLIENT (source), result, NULL);
  if (MH_CLIENT (source) == self->client)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_KEY]);
      refresh_account (self);
      mh_application_maybe_resume (self);
    }
}

void
mh_application_reload_client (MhApplication *self)
{
  g_autoptr(MhClient) client = NULL;

  g_return_if_fail (MH_IS_APPLICATION (self));

  if (mh_application_get_demo (self))
    return;

  client = create_client (self);
  mh_client_load_api_key_async (client, self->cancellable, reloaded_key_cb, g_object_ref (self));
  set_client (self, client);
}

GFile *
mh_application_dup_output_dir (MhApplication *self,
                               MhProjectKind  kind)
{
  const char *key = kind == MH_PROJECT_IMAGE ? "output-folder-image" : "output-folder-video";
  g_autofree char *setting = g_settings_get_string (mh_application_get_settings (self), key);
  const char *base;

  if (*setting != '\0')
    return g_file_new_for_path (setting);

  /* In the Flatpak sandbox the app has no access to Videos or Pictures (no
   * --filesystem): results go to its own data folder, which it can always
   * write, and Save As… (through the portal) puts them anywhere. */
  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    return g_file_new_build_filename (g_get_user_data_dir (), "results",
                                      kind == MH_PROJECT_IMAGE ? "pictures" : "videos", NULL);

  base = g_get_user_special_dir (kind == MH_PROJECT_IMAGE ? G_USER_DIRECTORY_PICTURES
                                                          : G_USER_DIRECTORY_VIDEOS);
  if (base == NULL)
    base = g_get_home_dir ();

  return g_file_new_build_filename (base, "Magic Hour Studio", NULL);
}

/* Where a new job's results go: the output folder, or in the demo a
 * "Demo" folder inside it, so that the simulator's made-up results never
 * mix with real ones (and can be deleted in one go). Not translated: a
 * path that stays the same whatever the language. */
GFile *
mh_application_dup_results_dir (MhApplication *self,
                                MhProjectKind  kind)
{
  g_autoptr(GFile) dir = mh_application_dup_output_dir (self, kind);

  if (mh_application_get_demo (self))
    return g_file_get_child (dir, "Demo");
  return g_steal_pointer (&dir);
}

gpointer
mh_application_get_simulator (MhApplication *self)
{
  g_return_val_if_fail (MH_IS_APPLICATION (self), NULL);
  return self->simulator;
}

GListModel *
mh_application_get_jobs (MhApplication *self)
{
  g_return_val_if_fail (MH_IS_APPLICATION (self), NULL);
  return G_LIST_MODEL (self->jobs);
}

static void
job_finished_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(MhApplication) self = user_data;
  MhJob *job = MH_JOB (source);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GError) error = NULL;
  const MhTool *tool = mh_job_get_tool (job);
  g_autofree char *title = NULL;
  g_autofree char *id = NULL;

  mh_job_run_finish (job, result, &error);
  self->n_running--;
  /* The balance moved (a charge, a refund): ask once. */
  refresh_account (self);

  /* A job resumed at start that another process follows is left to it. */
  if (g_object_get_data (G_OBJECT (job), "mh-resumed") != NULL &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY))
    return;

  /* Someone looking at the window sees it there; a notification is for the
   * person who went elsewhere while it rendered. */
  if (window != NULL && gtk_window_is_active (window))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error == NULL)
    /* Translators: %s is a tool's name, e.g. “AI Headshot” */
    title = g_strdup_printf (_("%s Is Ready"), _(tool->name));
  else
    title = g_strdup_printf (_("%s Failed"), _(tool->name));

  notification = g_notification_new (title);
  g_notification_set_body (notification, error == NULL ? mh_job_get_message (job) : error->message);
  id = g_strdup_printf ("job-%p", job);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

void
mh_application_run_job (MhApplication *self,
                        MhJob         *job)
{
  g_return_if_fail (MH_IS_APPLICATION (self));
  g_return_if_fail (MH_IS_JOB (job));

  /* Preferences: the face check before the create (a job picked up again
   * too, should it have to be created still). */
  mh_job_set_face_check (job, g_settings_get_boolean (self->settings, "face-check"));
  /* The job may cut or probe media in a thread: GStreamer is started on
   * the main thread first (see mh-timeline.c). */
  mh_gst_ensure_init (NULL);
  g_list_store_insert (self->jobs, 0, job);
  self->n_running++;
  /* The job is not tied to a window's cancellable: closing a window does not
   * lose a render the person paid for. Cancel is the job's own. */
  mh_job_run_async (job, NULL, job_finished_cb, g_object_ref (self));
}

MhJob *
mh_application_find_job (MhApplication *self,
                         MhJobRecord   *record)
{
  guint n;

  g_return_val_if_fail (MH_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (MH_IS_JOB_RECORD (record), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MhJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);

      if (mh_job_get_record (job) == record)
        return job;
    }
  return NULL;
}

MhJobStore *
mh_application_get_store (MhApplication *self)
{
  g_return_val_if_fail (MH_IS_APPLICATION (self), NULL);

  /* Usable before startup too (tests build windows without running): an
   * empty history until startup reads the real one. */
  if (self->store == NULL)
    {
      g_autoptr(GFile) dir = mh_job_store_default_dir ();

      self->store = mh_job_store_new (dir);
      g_ptr_array_add (self->stores, g_object_ref (self->store));
    }
  return self->store;
}

gboolean
mh_application_get_store_loaded (MhApplication *self)
{
  g_return_val_if_fail (MH_IS_APPLICATION (self), FALSE);
  return self->store_loaded;
}

const char *const *
mh_application_get_store_problems (MhApplication *self)
{
  g_return_val_if_fail (MH_IS_APPLICATION (self), NULL);
  return (const char *const *) self->store_problems;
}

void
mh_application_add_toast (MhApplication *self,
                          AdwToast      *toast)
{
  GtkWindow *window;

  g_return_if_fail (MH_IS_APPLICATION (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (!MH_IS_WINDOW (window))
    {
      window = NULL;
      for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
        if (MH_IS_WINDOW (l->data))
          {
            window = l->data;
            break;
          }
    }

  if (window != NULL)
    mh_window_add_toast (MH_WINDOW (window), toast);
  else
    g_ptr_array_add (self->pending_toasts, toast);
}
