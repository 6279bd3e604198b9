/* mh-client-call.c: one API call, with its retries and its deadline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mh-client-private.h"
#include "mh-error.h"
#include "mh-json.h"
#include "mh-retry.h"

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

  if (mh_error_get_cli_words ())
    return g_error_new (MH_ERROR, MH_ERROR_MALFORMED,
                        _("%s failed: Magic Hour answered, but its answer could not be read (%s). Try again later; if it keeps happening, check the API address (--api-base-url or MAGIC_HOUR_API_BASE_URL)."),
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

      /* A refusal over D-Bus (the proxy resolver portal in a sandbox without
       * the network permission) is the same on every try. */
      retryable = ((data->flags & MH_CALL_IDEMPOTENT) || (data->flags & MH_CALL_CREATE)) &&
                  !g_dbus_error_is_remote_error (error);
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
