/* mh-upload.c: one streamed PUT of a local file to a presigned URL
 *
 * The SDKs read the whole file into memory first; this sends it from disk
 * on a transfer thread (mh-transfer.c), so memory does not grow with the
 * file and the main loop does not carry the bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <gio/gfiledescriptorbased.h>
#include <glib/gi18n-lib.h>

#include "mh-error.h"
#include "mh-upload.h"
#include "mh-transfer.h"

typedef struct
{
  MhClient         *client;
  GFile            *file;
  char             *url;
  MhProgressFunc    progress;
  gpointer          progress_data;
  GFileInputStream *stream;
  goffset           size;
} PutData;

static void
put_data_free (PutData *data)
{
  g_clear_object (&data->client);
  g_clear_object (&data->file);
  g_free (data->url);
  g_clear_object (&data->stream);
  g_free (data);
}

static const char *
what_upload (void)
{
  return _("Uploading");
}

static void
put_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PutData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  MhTransferResult sent;
  guint status;

  if (!mh_transfer_finish (result, &sent, &error))
    {
      g_autoptr(GUri) uri = g_uri_parse (data->url, G_URI_FLAGS_NONE, NULL);
      const char *host = uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : data->url;

      /* No byte taken and no answer for the transfer timeout. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_task_return_new_error (task, MH_ERROR, MH_ERROR_NETWORK,
                                 _("%s failed: %s stopped receiving the file. Check your internet connection and try again."),
                                 what_upload (), host);
      else if (sent.local_error)
        {
          g_autofree char *name = g_file_get_parse_name (data->file);

          g_task_return_new_error (task, MH_ERROR, MH_ERROR_INVALID_INPUT,
                                   _("“%s” could not be read: %s"), name, error->message);
        }
      else
        g_task_return_error (task, mh_client_wrap_network_error (data->client, data->url,
                                                                 what_upload (), error));
      return;
    }

  status = sent.status;
  if (SOUP_STATUS_IS_SUCCESSFUL (status) &&
      (sent.bytes != (guint64) data->size || sent.handed != (guint64) data->size))
    {
      /* Storage accepts whatever Content-Length said; a body cut short
       * would be stored as a broken file. Never call that success. */
      g_task_return_new_error (task, MH_ERROR, MH_ERROR_NETWORK,
                               _("%s failed: only %llu of %lld bytes were sent."),
                               what_upload (),
                               (unsigned long long) MIN (sent.bytes, sent.handed),
                               (long long) data->size);
    }
  else if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      /* The transfer's last report said the whole size; an empty file
       * made none. */
      if (data->progress != NULL && data->size == 0)
        data->progress (0, 0, data->progress_data);
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
  /* Checked first: the file goes nowhere but to a web address. */
  if (!mh_client_is_web_url (data->url))
    {
      g_task_return_new_error (task, MH_ERROR, MH_ERROR_UNUSABLE,
                               _("Magic Hour offered an upload link that is not a web address, so nothing was sent. Try again later; if it happens again, contact Magic Hour support."));
      g_object_unref (task);
      return;
    }
  if (!G_IS_FILE_DESCRIPTOR_BASED (data->stream))
    {
      g_autofree char *name = g_file_get_parse_name (data->file);

      g_task_return_new_error (task, MH_ERROR, MH_ERROR_INVALID_INPUT,
                               _("“%s” could not be read: %s"), name,
                               g_strerror (EOPNOTSUPP));
      g_object_unref (task);
      return;
    }

  /* On a thread of its own, in big pieces, straight from the file: the
   * main loop sees progress and the result, not every piece. The real
   * size, no Authorization, a fresh connection (mh-transfer.h). */
  mh_transfer_put_async (data->url,
                         g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (data->stream)),
                         data->size, mh_client_get_transfer_timeout (data->client),
                         data->progress, data->progress_data,
                         g_task_get_cancellable (task), put_done_cb, task);
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
