/* mh-upload.c: one streamed PUT of a local file to a presigned URL
 *
 * The SDKs read the whole file into memory first; this sends it from disk as
 * libsoup reads the stream, so memory does not grow with the file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mh-error.h"
#include "mh-upload.h"
#include "mh-watchdog.h"

typedef struct
{
  MhClient         *client;
  GFile            *file;
  char             *url;
  MhProgressFunc    progress;
  gpointer          progress_data;
  GFileInputStream *stream;
  goffset           size;
  guint64           sent;
  SoupMessage      *message;
  /* Its cancellable serves the PUT: the caller's, or the storage server
   * taking no byte (and giving no answer) for the transfer timeout. */
  MhWatchdog       *watchdog;
} PutData;

static void
put_data_free (PutData *data)
{
  g_clear_object (&data->client);
  g_clear_object (&data->file);
  g_free (data->url);
  g_clear_object (&data->stream);
  g_clear_object (&data->message);
  g_clear_pointer (&data->watchdog, mh_watchdog_free);
  g_free (data);
}

static const char *
what_upload (void)
{
  return _("Uploading");
}

static void
put_sent_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PutData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) body = NULL;
  guint status;

  body = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  mh_watchdog_stop (data->watchdog);
  if (body == NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (data->url, G_URI_FLAGS_NONE, NULL);
      const char *host = uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : data->url;

      /* The watchdog, or the session's own I/O timeout. */
      if ((mh_watchdog_fired (data->watchdog) &&
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_task_return_new_error (task, MH_ERROR, MH_ERROR_NETWORK,
                                 _("%s failed: %s stopped receiving the file. Check your internet connection and try again."),
                                 what_upload (), host);
      else
        g_task_return_error (task, mh_client_wrap_network_error (data->client, data->url,
                                                                 what_upload (), error));
      return;
    }

  /* Storage's answer to a PUT holds nothing the upload needs: it is not
   * read, so however long it is, it takes no memory and no time. */
  g_input_stream_close (body, NULL, NULL);

  status = soup_message_get_status (data->message);
  if (SOUP_STATUS_IS_SUCCESSFUL (status) && data->sent != (guint64) data->size)
    {
      /* Storage accepts whatever Content-Length said; a body cut short by a
       * replay would be stored as a broken file. Never call that success. */
      g_task_return_new_error (task, MH_ERROR, MH_ERROR_NETWORK,
                               _("%s failed: only %llu of %lld bytes were sent."),
                               what_upload (), (unsigned long long) data->sent, (long long) data->size);
    }
  else if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      if (data->progress != NULL)
        data->progress (data->size, data->size, data->progress_data);
      g_task_return_boolean (task, TRUE);
    }
  else if (status == 403)
    g_task_return_new_error (task, MH_ERROR, MH_ERROR_EXPIRED,
                             _("The upload link expired before the upload finished."));
  else if (status == 404)
    /* Storage, not the API: nothing is said about a project. */
    g_task_return_new_error (task, MH_ERROR, MH_ERROR_NOT_FOUND,
                             _("%s failed: Magic Hour's storage does not know the upload link (HTTP 404). Try again; nothing was charged."),
                             what_upload ());
  else
    g_task_return_error (task, mh_error_new_for_status (status, NULL, what_upload ()));
}

static void
wrote_body_data_cb (SoupMessage *message,
                    guint        chunk_size,
                    GTask       *task)
{
  PutData *data = g_task_get_task_data (task);

  data->sent += chunk_size;
  mh_watchdog_kick (data->watchdog);
  if (data->progress != NULL)
    data->progress (MIN (data->sent, (guint64) data->size), data->size, data->progress_data);
}

/* A redirect, an authentication retry or a kept-alive connection found
 * closed (libsoup resends an idempotent PUT by itself then) sends the body
 * again from the start. By then libsoup has closed the stream (it splices
 * with CLOSE_SOURCE) and dropped it: without a fresh one the PUT would go
 * out empty, and storage would keep an empty file as the upload. */
static void
restarted_cb (SoupMessage *message,
              GTask       *task)
{
  PutData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GFileInputStream *stream;

  data->sent = 0;
  stream = g_file_read (data->file, NULL, &error);
  if (stream != NULL)
    {
      g_clear_object (&data->stream);
      data->stream = stream;
    }
  else
    /* The closed stream stays: reading it fails, so the PUT fails rather
     * than storing nothing. */
    g_debug ("The file cannot be read again to resend it: %s", error->message);

  soup_message_set_request_body (message, "application/octet-stream",
                                 G_INPUT_STREAM (data->stream), data->size);
}

static void
put_info_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  PutData *data = g_task_get_task_data (task);
  g_autoptr(GFileInfo) info = NULL;
  GError *error = NULL;

  info = g_file_input_stream_query_info_finish (G_FILE_INPUT_STREAM (source), result, &error);
  if (info == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  data->size = g_file_info_get_size (info);
  /* Checked first: libsoup warns about a URL of another scheme before it
   * fails, and the file goes nowhere but to a web address. */
  if (!mh_client_is_web_url (data->url) ||
      (data->message = soup_message_new ("PUT", data->url)) == NULL)
    {
      g_task_return_new_error (task, MH_ERROR, MH_ERROR_UNUSABLE,
                               _("Magic Hour offered an upload link that is not a web address, so nothing was sent. Try again later; if it happens again, contact Magic Hour support."));
      g_object_unref (task);
      return;
    }

  /* The real size: object stores refuse chunked bodies. No Authorization:
   * the URL is presigned, and the key must not go to storage. */
  soup_message_set_request_body (data->message, "application/octet-stream",
                                 G_INPUT_STREAM (data->stream), data->size);
  /* A fresh connection: libsoup replays a PUT that failed on a reused
   * connection by itself, and the retries are ours to decide. */
  soup_message_add_flags (data->message, SOUP_MESSAGE_NEW_CONNECTION);
  g_signal_connect (data->message, "wrote-body-data", G_CALLBACK (wrote_body_data_cb), task);
  g_signal_connect_after (data->message, "restarted", G_CALLBACK (restarted_cb), task);

  data->watchdog = mh_watchdog_new (mh_client_get_transfer_timeout (data->client),
                                    g_task_get_cancellable (task));
  soup_session_send_async (mh_client_get_session (data->client), data->message,
                           G_PRIORITY_DEFAULT, mh_watchdog_get_cancellable (data->watchdog),
                           put_sent_cb, task);
}

static void
put_opened_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  PutData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->stream = g_file_read_finish (G_FILE (source), result, &error);
  if (data->stream == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (data->file);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, error);
      else
        {
          g_task_return_new_error (task, MH_ERROR, MH_ERROR_INVALID_INPUT,
                                   _("“%s” could not be read: %s"), name, error->message);
          g_error_free (error);
        }
      g_object_unref (task);
      return;
    }

  g_file_input_stream_query_info_async (data->stream, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                        G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                        put_info_cb, task);
}

void
mh_upload_put_async (MhClient            *client,
                     GFile               *file,
                     const char          *upload_url,
                     MhProgressFunc       progress,
                     gpointer             progress_data,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  PutData *data = g_new0 (PutData, 1);

  data->client = g_object_ref (client);
  data->file = g_object_ref (file);
  data->url = g_strdup (upload_url);
  data->progress = progress;
  data->progress_data = progress_data;
  g_task_set_source_tag (task, mh_upload_put_async);
  g_task_set_task_data (task, data, (GDestroyNotify) put_data_free);

  g_file_read_async (file, G_PRIORITY_DEFAULT, cancellable, put_opened_cb, task);
}

gboolean
mh_upload_put_finish (GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
