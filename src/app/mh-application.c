/* mh-application.c: Magic Hour Studio
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mh-app-resources.h"
#include "mh-application.h"
#include "mh-engine-enums.h"
#include "mh-keyring.h"
#include "mh-preferences-window.h"
#include "mh-simulator.h"
#include "mh-window.h"

/* A demo render is long enough to watch every stage, short enough not to bore. */
#define DEMO_RENDER_SECONDS 8.0

struct _MhApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  MhClient       *client;
  MhSimulator    *simulator;
  GListStore     *jobs;
  GCancellable   *cancellable;
  gboolean        key_checked;
  gboolean        start_demo;
  char           *start_tool;
};

G_DEFINE_FINAL_TYPE (MhApplication, mh_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_DEMO,
  PROP_HAS_KEY,
  PROP_KEY_CHECKED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mh_application_dispose (GObject *object)
{
  MhApplication *self = MH_APPLICATION (object);

  g_cancellable_cancel (self->cancellable);
  if (self->simulator != NULL)
    mh_simulator_stop (self->simulator);

  G_OBJECT_CLASS (mh_application_parent_class)->dispose (object);
}

static void
mh_application_finalize (GObject *object)
{
  MhApplication *self = MH_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->client);
  g_clear_object (&self->simulator);
  g_clear_object (&self->jobs);
  g_clear_object (&self->cancellable);
  g_free (self->start_tool);

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

  self->key_checked = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_CHECKED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_KEY]);
}

/* ------------------------------------------------------------------------ */
/* Actions                                                                  */

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  MhApplication *self = user_data;
  GtkWidget *window = mh_preferences_window_new (self);

  gtk_window_set_transient_for (GTK_WINDOW (window),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
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

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "preferences", preferences_action },
  { "about", about_action },
  { "demo", demo_action },
  { "quit", quit_action },
};

/* ------------------------------------------------------------------------ */
/* GApplication                                                             */

static void
mh_application_startup (GApplication *application)
{
  MhApplication *self = MH_APPLICATION (application);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (mh_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);

  self->settings = g_settings_new (APPLICATION_ID);
  self->client = create_client (self);
  mh_client_load_api_key_async (self->client, self->cancellable, key_loaded_cb, g_object_ref (self));
}

static void
mh_application_activate (GApplication *application)
{
  MhApplication *self = MH_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (mh_window_new (self));

  gtk_window_present (window);
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

  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, MH_TYPE_CLIENT, flags);
  properties[PROP_DEMO] = g_param_spec_boolean ("demo", NULL, NULL, FALSE, flags);
  properties[PROP_HAS_KEY] = g_param_spec_boolean ("has-key", NULL, NULL, FALSE, flags);
  /* FALSE until the keyring answered: the window waits before asking for a key. */
  properties[PROP_KEY_CHECKED] = g_param_spec_boolean ("key-checked", NULL, NULL, FALSE, flags);
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

  client = mh_client_new (mh_simulator_get_base_url (self->simulator));
  mh_client_set_api_key (client, "demo");
  set_client (self, client);
  self->key_checked = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_CHECKED]);

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
}

static void
reloaded_key_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(MhApplication) self = user_data;

  mh_client_load_api_key_finish (MH_CLIENT (source), result, NULL);
  if (MH_CLIENT (source) == self->client)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_KEY]);
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

  g_list_store_insert (self->jobs, 0, job);
  /* The job is not tied to a window's cancellable: closing a window does not
   * lose a render the person paid for. Cancel is the job's own. */
  mh_job_run_async (job, NULL, job_finished_cb, g_object_ref (self));
}
