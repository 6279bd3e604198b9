/* mh-image-loader.c: pictures for the UI, off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mh-image-loader.h"

typedef struct
{
  SoupMessage *msg;     /* a fetch */
  gsize        max_bytes;
  GFile       *file;    /* a file on this computer */
  GBytes      *bytes;   /* what was fetched */
  int          size;
} Load;

static void
load_free (Load *load)
{
  g_clear_object (&load->msg);
  g_clear_object (&load->file);
  g_clear_pointer (&load->bytes, g_bytes_unref);
  g_free (load);
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Load *load = task_data;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  GError *error = NULL;

  if (load->size <= 0 && load->bytes != NULL)
    {
      GdkTexture *texture = gdk_texture_new_from_bytes (load->bytes, &error);

      if (texture == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, texture, g_object_unref);
      return;
    }

  if (load->bytes != NULL)
    stream = g_memory_input_stream_new_from_bytes (load->bytes);
  else
    stream = G_INPUT_STREAM (g_file_read (load->file, cancellable, &error));
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (load->size > 0)
    pixbuf = gdk_pixbuf_new_from_stream_at_scale (stream, load->size, load->size, TRUE,
                                                  cancellable, &error);
  else
    pixbuf = gdk_pixbuf_new_from_stream (stream, cancellable, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Phone photos are stored sideways with an EXIF note to turn them. */
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  g_task_return_pointer (task, gdk_texture_new_for_pixbuf (oriented), g_object_unref);
}

static void
spliced_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Load *load = g_task_get_task_data (task);
  GError *error = NULL;

  /* G_IO_ERROR_NO_SPACE: larger than @max_bytes. */
  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error) < 0)
    {
      g_task_return_error (task, error);
      return;
    }

  load->bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (source));
  g_task_run_in_thread (task, decode_thread);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Load *load = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GOutputStream) memory = NULL;
  GCancellable *cancellable;
  GError *error = NULL;
  guint status;
  int priority;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  status = soup_message_get_status (load->msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "HTTP %u", status);
      return;
    }

  /* A fixed buffer: a larger answer fails with G_IO_ERROR_NO_SPACE. */
  memory = g_memory_output_stream_new (g_malloc (load->max_bytes), load->max_bytes, NULL, g_free);
  priority = g_task_get_priority (task);
  cancellable = g_task_get_cancellable (task);
  g_output_stream_splice_async (memory, stream,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                priority, cancellable,
                                spliced_cb, g_steal_pointer (&task));
}

void
mh_image_loader_fetch_async (SoupSession         *session,
                             const char          *url,
                             gsize                max_bytes,
                             int                  size,
                             int                  io_priority,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Load *load;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (url != NULL);
  g_return_if_fail (max_bytes > 0);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mh_image_loader_fetch_async);
  g_task_set_priority (task, io_priority);
  load = g_new0 (Load, 1);
  load->max_bytes = max_bytes;
  load->size = size;
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);

  load->msg = soup_message_new ("GET", url);
  if (load->msg == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "Not a web address: %s", url);
      return;
    }

  soup_session_send_async (session, load->msg, io_priority, cancellable,
                           sent_cb, g_steal_pointer (&task));
}

void
mh_image_loader_load_async (GFile               *file,
                            int                  size,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Load *load;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mh_image_loader_load_async);
  load = g_new0 (Load, 1);
  load->file = g_object_ref (file);
  load->size = size;
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);
  g_task_run_in_thread (task, decode_thread);
}

GdkTexture *
mh_image_loader_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
