/* mh-client.c: one connection to the Magic Hour API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mh-client.h"
#include "mh-error.h"
#include "mh-json.h"
#include "mh-keyring.h"
#include "mh-retry.h"

/* An API answer larger than this is not an API answer. */
#define MAX_JSON_BYTES MH_JSON_MAX_BYTES
/* The longest one request may take, its answer read whole: a server that
 * trickles its answer is given up on as one that says nothing. */
#define CALL_DEADLINE_SECONDS 60.0

struct _MhClient
{
  GObject      parent_instance;

  char        *base_url;
  gboolean     loopback;
  gboolean     secure;
  char        *api_key;
  MhKeySource  key_source;
  SoupSession *session;

  guint        max_attempts;
  double       base_delay;
  double       max_delay;
  double       poll_scale;
  double       deadline;
  double       transfer_timeout;

  guint        gets_sent;
  guint        posts_sent;
  guint        deletes_sent;
};

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

  /* No keyring (no Secret Service on this session) is the same as no key:
   * the person is asked for one. The reason goes to the debug log. */
  if (error != NULL)
    g_debug ("Keyring lookup failed: %s", error->message);

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
                           _("No API key is set. Create one in Magic Hour's Developer Hub, then set MAGIC_HOUR_API_KEY or save it in Preferences."));
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

/* ------------------------------------------------------------------------ */
/* API calls                                                                */

typedef struct
{
  char        *method;
  char        *path;
  char        *url;
  GBytes      *body;
  MhCallFlags  flags;
  char        *what;
  guint        attempt;
  guint        unreadable;     /* answers that could not be read */
  gboolean     body_sent;
  SoupMessage *message;

  /* One attempt: cancelled by the caller's cancellable or by the deadline. */
  GCancellable *attempt_cancellable;
  gulong        cancelled_id;
  GSource      *deadline_source;
  gboolean      deadline_hit;
} CallData;

static void
attempt_end (CallData *data,
             GTask    *task)
{
  if (data->deadline_source != NULL)
    {
      g_source_destroy (data->deadline_source);
      g_clear_pointer (&data->deadline_source, g_source_unref);
    }
  if (data->cancelled_id != 0)
    {
      g_cancellable_disconnect (g_task_get_cancellable (task), data->cancelled_id);
      data->cancelled_id = 0;
    }
  g_clear_object (&data->attempt_cancellable);
}

static void
call_data_free (CallData *data)
{
  g_assert (data->attempt_cancellable == NULL);
  g_free (data->method);
  g_free (data->path);
  g_free (data->url);
  g_clear_pointer (&data->body, g_bytes_unref);
  g_free (data->what);
  g_clear_object (&data->message);
  g_free (data);
}

static void call_send (GTask *task);

static void
call_retry_sleep_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!mh_sleep_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  call_send (g_steal_pointer (&task));
}

/* Either tries again after a backoff, or fails with @error. */
static void
call_fail_or_retry (GTask  *task,
                    GError *error,
                    gboolean retryable)
{
  MhClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);

  if (retryable && data->attempt + 1 < self->max_attempts)
    {
      double delay = mh_client_backoff (self, data->attempt);

      g_debug ("%s %s: %s; attempt %u again in %.2f s", data->method, data->path,
               error->message, data->attempt + 2, delay);
      g_error_free (error);
      data->attempt++;
      mh_sleep_async (delay, g_task_get_cancellable (task), call_retry_sleep_cb, task);
      return;
    }

  g_task_return_error (task, error);
  g_object_unref (task);
}

static gboolean
status_is_retryable (guint       status,
                     MhCallFlags flags)
{
  if (flags & MH_CALL_IDEMPOTENT)
    return status == 429 || status >= 500;

  /* On a create, only these mean no project was made (CONTRACT.md). */
  if (flags & MH_CALL_CREATE)
    return status == 429 || status == 502 || status == 503;

  return FALSE;
}

/* An answer arrived but cannot be used (not JSON, too large, too deep, too
 * slow, a redirect the client refuses): Magic Hour was reached, so the
 * sentence says so. @detail is a short phrase ("it is not valid JSON"). */
static GError *
unreadable_error (CallData   *data,
                  const char *detail)
{
  if (data->flags & MH_CALL_CREATE)
    return g_error_new (MH_ERROR, MH_ERROR_AMBIGUOUS_CREATE,
                        _("%s: Magic Hour's answer could not be read (%s), so the job may have been created and charged without its ID. It was not sent again, to avoid paying twice. Check your Magic Hour library before trying again."),
                        data->what, detail);

  return g_error_new (MH_ERROR, MH_ERROR_MALFORMED,
                      _("%s failed: Magic Hour answered, but its answer could not be read (%s). Try again later; if it keeps happening, check the API address in Preferences."),
                      data->what, detail);
}

/* Whether a failed attempt is worth another one, and how many it gets. */
static void
call_fail_unreadable (GTask      *task,
                      const char *detail)
{
  CallData *data = g_task_get_task_data (task);
  gboolean again = (data->flags & MH_CALL_IDEMPOTENT) != 0 &&
                   ++data->unreadable < MH_CLIENT_UNREADABLE_ATTEMPTS;

  call_fail_or_retry (task, unreadable_error (data, detail), again);
}

/* The phrase for a cancelled attempt that the deadline ended. */
static char *
deadline_detail (MhClient *self)
{
  return g_strdup_printf (_("it did not arrive in full within %.0f seconds"), self->deadline);
}

/* An error status: its own sentence, with the API's message when the body
 * (@body, may be NULL) could be read. */
static void
call_fail_status (GTask    *task,
                  guint     status,
                  JsonNode *body)
{
  CallData *data = g_task_get_task_data (task);
  g_autofree char *message = mh_error_message_from_body (body);
  g_autofree char *code = mh_error_code_from_body (body);
  GError *status_error;

  if (status == 500 && (data->flags & MH_CALL_CREATE))
    status_error = g_error_new (MH_ERROR, MH_ERROR_AMBIGUOUS_CREATE,
                                _("%s: Magic Hour's server had a problem (HTTP 500), and the job may or may not have been created. It was not sent again, to avoid paying twice. Check your Magic Hour library before trying again."),
                                data->what);
  else
    status_error = mh_error_new_for_answer (status, code, message, data->what);

  call_fail_or_retry (task, status_error, status_is_retryable (status, data->flags));
}

static void
call_parsed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  MhClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  guint status = soup_message_get_status (data->message);

  root = mh_json_read_stream_finish (result, &error);
  attempt_end (data, task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  /* An error status says what it says, whatever became of its body (too
   * large, too slow, not JSON): the body only adds the API's message. */
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      call_fail_status (task, status, root);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Only the deadline cancels an attempt but the caller. */
      g_autofree char *detail = deadline_detail (self);

      call_fail_unreadable (task, detail);
      return;
    }

  if (status == 204)
    {
      g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
    }
  else if (error != NULL && error->domain != MH_JSON_ERROR)
    {
      /* The connection broke while the answer was on its way. */
      if (data->flags & MH_CALL_CREATE)
        call_fail_or_retry (task, unreadable_error (data, error->message), FALSE);
      else
        call_fail_or_retry (task,
                            mh_client_wrap_network_error (self, data->url, data->what, error),
                            (data->flags & MH_CALL_IDEMPOTENT) != 0);
    }
  else if (error != NULL)
    call_fail_unreadable (task, error->message);
  else if (!JSON_NODE_HOLDS_OBJECT (root))
    call_fail_unreadable (task, _("it is not a JSON object"));
  else
    {
      g_task_return_pointer (task, g_steal_pointer (&root), (GDestroyNotify) json_node_unref);
      g_object_unref (task);
    }
}

static void
call_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  MhClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  guint status;
  goffset length;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (stream == NULL)
    {
      gboolean retryable;
      gboolean timed_out = data->deadline_hit &&
                           !g_cancellable_is_cancelled (g_task_get_cancellable (task));

      attempt_end (data, task);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !timed_out)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      if (timed_out)
        {
          g_clear_error (&error);
          error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "deadline");
        }

      /* A create whose body went out may have been made: never resend it
       * silently. One that never left (connection refused) is safe. */
      if ((data->flags & MH_CALL_CREATE) && data->body_sent)
        {
          g_task_return_new_error (task, MH_ERROR, MH_ERROR_AMBIGUOUS_CREATE,
                                   _("%s: the connection broke after the job was sent, so it may have been created and charged. It was not sent again, to avoid paying twice. Check your Magic Hour library before trying again."),
                                   data->what);
          g_object_unref (task);
          return;
        }

      /* libsoup read an answer it could not make sense of (a garbled
       * header, say): the server was reached. */
      if (error->domain == SOUP_SESSION_ERROR)
        {
          call_fail_unreadable (task, error->message);
          return;
        }

      retryable = (data->flags & MH_CALL_IDEMPOTENT) || (data->flags & MH_CALL_CREATE);
      call_fail_or_retry (task,
                          mh_client_wrap_network_error (self, data->url, data->what, error),
                          retryable);
      return;
    }

  /* An answer that is not one (a redirect, which is never followed, an
   * informational status) is not read further. */
  status = soup_message_get_status (data->message);
  if (status < 200 || (status >= 300 && status < 400))
    {
      g_autofree char *detail = status >= 300
        ? g_strdup_printf (_("it was an HTTP %u redirect, which is never followed with your key"), status)
        : g_strdup_printf (_("HTTP status %u"), status);

      attempt_end (data, task);
      call_fail_unreadable (task, detail);
      return;
    }

  /* The body is read whole (API answers are small), within a size limit
   * that holds with or without a Content-Length. An error status with a
   * body too large to be an API answer is judged by its status alone. */
  length = soup_message_headers_get_content_length (soup_message_get_response_headers (data->message));
  if (length > MAX_JSON_BYTES && !SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      attempt_end (data, task);
      call_fail_status (task, status, NULL);
      return;
    }
  if (length > MAX_JSON_BYTES)
    {
      g_autofree char *detail = g_strdup_printf (_("it is larger than %u KiB"),
                                                 (guint) (MAX_JSON_BYTES / 1024));

      attempt_end (data, task);
      call_fail_unreadable (task, detail);
      return;
    }

  mh_json_read_stream_async (stream, MAX_JSON_BYTES, data->attempt_cancellable,
                             call_parsed_cb, task);
}

static void
wrote_body_cb (SoupMessage *message,
               CallData    *data)
{
  data->body_sent = TRUE;
}

static void
forward_cancel_cb (GCancellable *cancellable,
                   GCancellable *attempt)
{
  g_cancellable_cancel (attempt);
}

static gboolean
deadline_cb (gpointer user_data)
{
  CallData *data = user_data;

  data->deadline_hit = TRUE;
  g_clear_pointer (&data->deadline_source, g_source_unref);
  g_cancellable_cancel (data->attempt_cancellable);
  return G_SOURCE_REMOVE;
}

static void
call_send (GTask *task)
{
  MhClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  g_autofree char *bearer = NULL;
  SoupMessageHeaders *headers;

  g_clear_object (&data->message);
  data->message = soup_message_new (data->method, data->url);
  if (data->message == NULL)
    {
      g_task_return_new_error (task, MH_ERROR, MH_ERROR_INVALID_INPUT,
                               _("The API address “%s” is not valid."), self->base_url);
      g_object_unref (task);
      return;
    }

  headers = soup_message_get_request_headers (data->message);
  bearer = g_strconcat ("Bearer ", self->api_key, NULL);
  soup_message_headers_replace (headers, "Authorization", bearer);
  explicit_bzero (bearer, strlen (bearer));
  soup_message_headers_replace (headers, "Accept", "application/json");

  if (data->body != NULL)
    soup_message_set_request_body_from_bytes (data->message, "application/json", data->body);

  /* A create goes on a fresh connection: one that the server closed while
   * it sat idle in the pool would fail after the body was written, and the
   * create would look ambiguous although the server never saw it. */
  if (data->flags & MH_CALL_CREATE)
    soup_message_add_flags (data->message, SOUP_MESSAGE_NEW_CONNECTION);
  /* The API does not redirect (CONTRACT.md); one that does is not followed
   * with the key to wherever it points. */
  soup_message_add_flags (data->message, SOUP_MESSAGE_NO_REDIRECT);

  data->body_sent = FALSE;
  g_signal_connect (data->message, "wrote-body", G_CALLBACK (wrote_body_cb), data);

  if (g_str_equal (data->method, "GET"))
    self->gets_sent++;
  else if (g_str_equal (data->method, "POST"))
    self->posts_sent++;
  else if (g_str_equal (data->method, "DELETE"))
    self->deletes_sent++;

  /* Each attempt has a deadline for the whole exchange, on top of the
   * session's inactivity timeout: a trickling answer ends too. */
  data->deadline_hit = FALSE;
  data->attempt_cancellable = g_cancellable_new ();
  if (g_task_get_cancellable (task) != NULL)
    data->cancelled_id = g_cancellable_connect (g_task_get_cancellable (task),
                                                G_CALLBACK (forward_cancel_cb),
                                                data->attempt_cancellable, NULL);
  data->deadline_source = g_timeout_source_new ((guint) (self->deadline * 1000));
  g_source_set_callback (data->deadline_source, deadline_cb, data, NULL);
  g_source_set_static_name (data->deadline_source, "[mh] API call deadline");
  g_source_attach (data->deadline_source, g_main_context_get_thread_default ());

  soup_session_send_async (self->session, data->message, G_PRIORITY_DEFAULT,
                           data->attempt_cancellable, call_sent_cb, task);
}

void
mh_client_call_async (MhClient            *self,
                      const char          *method,
                      const char          *path,
                      JsonNode            *body,
                      MhCallFlags          flags,
                      const char          *what,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;
  CallData *data;
  GError *error = NULL;

  g_return_if_fail (MH_IS_CLIENT (self));
  g_return_if_fail (g_str_has_prefix (path, "/v1/"));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mh_client_call_async);

  if (!mh_client_check_ready (self, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  data = g_new0 (CallData, 1);
  data->method = g_strdup (method);
  data->path = g_strdup (path);
  data->url = g_strconcat (self->base_url, path, NULL);
  data->flags = flags;
  data->what = g_strdup (what);
  if (body != NULL)
    {
      g_autofree char *text = json_to_string (body, FALSE);
      gsize len = strlen (text);

      data->body = g_bytes_new_take (g_steal_pointer (&text), len);
    }
  g_task_set_task_data (task, data, (GDestroyNotify) call_data_free);

  call_send (task);
}

JsonNode *
mh_client_call_finish (MhClient      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
account_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  JsonNode *node = mh_client_call_finish (MH_CLIENT (source), result, &error);

  if (g_error_matches (error, MH_ERROR, MH_ERROR_NOT_FOUND))
    {
      g_clear_error (&error);
      g_task_return_pointer (task, NULL, NULL);
    }
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

void
mh_client_get_account_async (MhClient            *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, mh_client_get_account_async);
  mh_client_call_async (self, "GET", "/v1/account", NULL, MH_CALL_IDEMPOTENT,
                        _("Checking the account"), cancellable, account_cb, task);
}

JsonNode *
mh_client_get_account_finish (MhClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
