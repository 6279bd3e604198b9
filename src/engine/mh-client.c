/* mh-client.c: one connection to the Magic Hour API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mh-client-private.h"
#include "mh-error.h"
#include "mh-json.h"
#include "mh-keyring.h"
#include "mh-retry.h"

G_DEFINE_FINAL_TYPE (MhClient, mh_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_KEY_SOURCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wipe_key (char **key)
{
  if (*key != NULL)
    {
      explicit_bzero (*key, strlen (*key));
      g_clear_pointer (key, g_free);
    }
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static void
mh_client_finalize (GObject *object)
{
  MhClient *self = MH_CLIENT (object);

  g_free (self->base_url);
  wipe_key (&self->api_key);
  g_clear_error (&self->keyring_error);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (mh_client_parent_class)->finalize (object);
}

static void
mh_client_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  MhClient *self = MH_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_KEY_SOURCE:
      g_value_set_int (value, self->key_source);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_client_class_init (MhClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mh_client_finalize;
  object_class->get_property = mh_client_get_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEY_SOURCE] =
    g_param_spec_int ("key-source", NULL, NULL, MH_KEY_SOURCE_NONE, MH_KEY_SOURCE_EXPLICIT,
                      MH_KEY_SOURCE_NONE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mh_client_init (MhClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("MagicHourStudio/%s", PACKAGE_VERSION);

  /* No request may hang for ever: an I/O timeout of a minute, and idle
   * connections dropped after one. */
  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", 60,
                                                 "idle-timeout", 60,
                                                 "max-conns-per-host", 4,
                                                 NULL);
  self->max_attempts = 5;
  self->base_delay = 0.5;
  self->max_delay = 20.0;
  self->poll_scale = 1.0;
  self->deadline = CALL_DEADLINE_SECONDS;
  self->transfer_timeout = MH_CLIENT_TRANSFER_TIMEOUT;
}

/* MAGIC_HOUR_STUDIO_TIME_SCALE (between 0.001 and 1) shortens every wait
 * of the engine alike (deadlines, backoff, polling), so that tests of the
 * programs can meet a deadline or a poll timeout in seconds. */
static void
apply_time_scale (MhClient *self)
{
  const char *env = g_getenv ("MAGIC_HOUR_STUDIO_TIME_SCALE");
  double scale;

  if (env == NULL || *env == '\0')
    return;
  scale = g_ascii_strtod (env, NULL);
  if (!(scale >= 0.001 && scale <= 1.0))
    return;

  self->base_delay *= scale;
  self->max_delay *= scale;
  self->poll_scale *= scale;
  self->deadline *= scale;
  self->transfer_timeout *= scale;
}

const char *
mh_client_env_base_url (void)
{
  const char *env = g_getenv ("MAGIC_HOUR_API_BASE_URL");

  return env != NULL && *env != '\0' ? env : NULL;
}

MhClient *
mh_client_new (const char *base_url)
{
  MhClient *self = g_object_new (MH_TYPE_CLIENT, NULL);
  g_autoptr(GUri) uri = NULL;
  g_autofree char *url = NULL;

  if (base_url == NULL || *base_url == '\0')
    base_url = mh_client_env_base_url ();
  if (base_url == NULL)
    base_url = MH_DEFAULT_BASE_URL;

  url = g_strstrip (g_strdup (base_url));
  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  self->base_url = g_steal_pointer (&url);

  uri = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL)
    {
      self->loopback = host_is_loopback (g_uri_get_host (uri));
      self->secure = g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0;
    }

  apply_time_scale (self);

  return self;
}

char *
mh_client_normalize_base_url (const char  *text,
                              GError     **error)
{
  g_autofree char *url = g_strstrip (g_strdup (text));
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (uri == NULL && strstr (url, "://") == NULL)
    {
      g_set_error_literal (error, MH_ERROR, MH_ERROR_INVALID_INPUT,
                           _("The address must start with https://, as in https://api.magichour.ai."));
      return NULL;
    }
  if (host == NULL || *host == '\0')
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID_INPUT,
                   _("“%s” is not a web address. Enter one like https://api.magichour.ai."), text);
      return NULL;
    }
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, MH_ERROR, MH_ERROR_INVALID_INPUT,
                           _("The address cannot contain “?” or “#”. Enter only the API’s address, like https://api.magichour.ai."));
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0 ||
      (g_ascii_strcasecmp (scheme, "http") == 0 && host_is_loopback (host)))
    return g_steal_pointer (&url);

  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INSECURE,
                   _("This address would send your key unencrypted to %s. Use https://, or http:// only for this computer (localhost, 127.0.0.1 or ::1)."),
                   host);
      return NULL;
    }

  g_set_error_literal (error, MH_ERROR, MH_ERROR_INVALID_INPUT,
                       _("The address must start with https://, as in https://api.magichour.ai."));
  return NULL;
}

const char *
mh_client_get_base_url (MhClient *self)
{
  g_return_val_if_fail (MH_IS_CLIENT (self), NULL);
  return self->base_url;
}

gboolean
mh_client_is_loopback (MhClient *self)
{
  g_return_val_if_fail (MH_IS_CLIENT (self), FALSE);
  return self->loopback;
}

SoupSession *
mh_client_get_session (MhClient *self)
{
  g_return_val_if_fail (MH_IS_CLIENT (self), NULL);
  return self->session;
}

static void
set_key (MhClient    *self,
         const char  *api_key,
         MhKeySource  source)
{
  g_autofree char *trimmed = api_key != NULL ? g_strstrip (g_strdup (api_key)) : NULL;

  wipe_key (&self->api_key);
  if (trimmed != NULL && *trimmed != '\0')
    {
      self->api_key = g_steal_pointer (&trimmed);
      self->key_source = source;
    }
  else
    {
      if (trimmed != NULL)
        wipe_key (&trimmed);
      self->key_source = MH_KEY_SOURCE_NONE;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_SOURCE]);
}

void
mh_client_set_api_key (MhClient   *self,
                       const char *api_key)
{
  g_return_if_fail (MH_IS_CLIENT (self));
  set_key (self, api_key, MH_KEY_SOURCE_EXPLICIT);
}

gboolean
mh_client_has_api_key (MhClient *self)
{
  g_return_val_if_fail (MH_IS_CLIENT (self), FALSE);
  return self->api_key != NULL;
}

MhKeySource
mh_client_get_key_source (MhClient *self)
{
  g_return_val_if_fail (MH_IS_CLIENT (self), MH_KEY_SOURCE_NONE);
  return self->key_source;
}

static void
keyring_lookup_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MhClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  char *key = mh_keyring_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* No keyring (no Secret Service on this session), or one that did not
   * answer in time, is the same as no key: the person is asked for one.
   * Why is kept, for the app and the CLI to say it. */
  g_clear_error (&self->keyring_error);
  if (error != NULL)
    {
      g_debug ("Keyring lookup failed: %s", error->message);
      self->keyring_error = g_steal_pointer (&error);
    }

  if (key != NULL)
    set_key (self, key, MH_KEY_SOURCE_KEYRING);
  mh_keyring_free_key (key);

  g_task_return_boolean (task, self->api_key != NULL);
}

void
mh_client_load_api_key_async (MhClient            *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  const char *env = g_getenv ("MAGIC_HOUR_API_KEY");

  g_task_set_source_tag (task, mh_client_load_api_key_async);

  g_clear_error (&self->keyring_error);
  if (env != NULL && *env != '\0')
    {
      set_key (self, env, MH_KEY_SOURCE_ENVIRONMENT);
      if (self->api_key != NULL)
        {
          g_task_return_boolean (task, TRUE);
          g_object_unref (task);
          return;
        }
    }

  mh_keyring_lookup_async (cancellable, keyring_lookup_cb, task);
}

const GError *
mh_client_get_keyring_error (MhClient *self)
{
  g_return_val_if_fail (MH_IS_CLIENT (self), NULL);
  return self->keyring_error;
}

gboolean
mh_client_keyring_timed_out (MhClient *self)
{
  g_return_val_if_fail (MH_IS_CLIENT (self), FALSE);
  return g_error_matches (self->keyring_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
}

gboolean
mh_client_load_api_key_finish (MhClient      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
mh_client_check_ready (MhClient  *self,
                       GError   **error)
{
  g_return_val_if_fail (MH_IS_CLIENT (self), FALSE);

  if (!self->secure && !self->loopback)
    {
      g_autoptr(GUri) uri = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL);

      if (uri == NULL || g_uri_get_host (uri) == NULL ||
          g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0)
        g_set_error (error, MH_ERROR, MH_ERROR_INVALID_INPUT,
                     _("The API address “%s” is not a valid https:// address."), self->base_url);
      else
        g_set_error (error, MH_ERROR, MH_ERROR_INSECURE,
                     _("Refusing to send your API key unencrypted to %s. Use an https:// address (plain http:// is only allowed for this computer)."),
                     g_uri_get_host (uri));
      return FALSE;
    }

  if (self->api_key == NULL)
    {
      g_set_error_literal (error, MH_ERROR, MH_ERROR_NO_KEY,
                           mh_error_get_cli_words ()
                           ? _("No API key is set. Create one in Magic Hour's Developer Hub, then set it in the environment: export MAGIC_HOUR_API_KEY=…")
                           : _("No API key is set. Create one in Magic Hour's Developer Hub, then set MAGIC_HOUR_API_KEY or save it in Preferences."));
      return FALSE;
    }

  return TRUE;
}

void
mh_client_set_retry_policy (MhClient *self,
                            guint     max_attempts,
                            double    base_delay,
                            double    max_delay)
{
  g_return_if_fail (MH_IS_CLIENT (self));
  self->max_attempts = MAX (1, max_attempts);
  self->base_delay = base_delay;
  self->max_delay = max_delay;
}

guint
mh_client_get_max_attempts (MhClient *self)
{
  return self->max_attempts;
}

double
mh_client_backoff (MhClient *self,
                   guint     attempt)
{
  return mh_retry_backoff (self->base_delay, self->max_delay, attempt);
}

void
mh_client_set_poll_scale (MhClient *self,
                          double    scale)
{
  g_return_if_fail (MH_IS_CLIENT (self));
  self->poll_scale = scale;
}

double
mh_client_get_poll_scale (MhClient *self)
{
  return self->poll_scale;
}

void
mh_client_set_deadline (MhClient *self,
                        double    seconds)
{
  g_return_if_fail (MH_IS_CLIENT (self));
  g_return_if_fail (seconds > 0);
  self->deadline = seconds;
}

double
mh_client_get_deadline (MhClient *self)
{
  g_return_val_if_fail (MH_IS_CLIENT (self), CALL_DEADLINE_SECONDS);
  return self->deadline;
}

void
mh_client_set_transfer_timeout (MhClient *self,
                                double    seconds)
{
  g_return_if_fail (MH_IS_CLIENT (self));
  g_return_if_fail (seconds > 0);
  self->transfer_timeout = seconds;
}

double
mh_client_get_transfer_timeout (MhClient *self)
{
  return self->transfer_timeout;
}

gboolean
mh_client_is_web_url (const char *url)
{
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL) : NULL;
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  return scheme != NULL && host != NULL && *host != '\0' &&
         (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0);
}

guint
mh_client_get_requests_sent (MhClient   *self,
                             const char *method)
{
  if (g_strcmp0 (method, "GET") == 0)
    return self->gets_sent;
  if (g_strcmp0 (method, "POST") == 0)
    return self->posts_sent;
  if (g_strcmp0 (method, "DELETE") == 0)
    return self->deletes_sent;
  return self->gets_sent + self->posts_sent + self->deletes_sent;
}

GError *
mh_client_wrap_network_error (MhClient   *self,
                              const char *url,
                              const char *what,
                              GError     *error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : url;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND) ||
      g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE))
    return g_error_new (MH_ERROR, MH_ERROR_NETWORK,
                        _("%s failed: could not find %s. Check your internet connection."),
                        what, host);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_error_new (MH_ERROR, MH_ERROR_NETWORK,
                        _("%s failed: %s refused the connection. Check the API address, or try again later."),
                        what, host);

  /* In a Flatpak sandbox without the network permission, GIO asks the
   * proxy resolver portal, which refuses before any connection is tried. */
  if (g_dbus_error_is_remote_error (error))
    {
      g_autofree char *name = g_dbus_error_get_remote_error (error);

      if (g_strcmp0 (name, "org.freedesktop.portal.Error.NotAllowed") == 0)
        return g_error_new (MH_ERROR, MH_ERROR_NETWORK,
                            _("%s failed: this app is not allowed to use the network. Give it network access (for the Flatpak: flatpak override --user --share=network %s), then try again."),
                            what, APPLICATION_ID);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (MH_ERROR, MH_ERROR_NETWORK,
                        _("%s failed: %s stopped answering. Check your internet connection and try again."),
                        what, host);

  if (error->domain == G_TLS_ERROR)
    return g_error_new (MH_ERROR, MH_ERROR_NETWORK,
                        _("%s failed: the secure connection to %s could not be established (%s)."),
                        what, host, error->message);

  return g_error_new (MH_ERROR, MH_ERROR_NETWORK,
                      _("%s failed: the connection to %s broke (%s). Check your internet connection and try again."),
                      what, host, error->message);
}
