/* put-bench.c: one storage PUT of a file, with libsoup 3.2 at its best or
 * with the engine's upload (libcurl on a transfer thread)
 *
 * Usage: put-bench soup|engine URL FILE
 *
 * soup:   soup_session_send() on a thread of its own with its own
 *         GMainContext, the body a GFileInputStream with the real
 *         Content-Length: no main-loop hop per piece, but libsoup still
 *         splices the body in 8 KiB writes.
 * engine: mh_upload_put_async(), what the CLI and the app call (so also its
 *         progress and result reach this main loop as they reach theirs).
 *
 * Prints "bytes seconds" on success. Not a test: bench/transfer/run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <stdlib.h>

#include "mh-client.h"
#include "mh-upload.h"

typedef struct
{
  const char *url;
  GFile      *file;
  GError     *error;
  guint       status;
} SoupRun;

static gpointer
soup_thread (gpointer user_data)
{
  SoupRun *run = user_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GFileInputStream) body = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GInputStream) answer = NULL;

  g_main_context_push_thread_default (context);
  session = soup_session_new_with_options ("user-agent", "put-bench", NULL);
  body = g_file_read (run->file, NULL, &run->error);
  if (body != NULL)
    info = g_file_input_stream_query_info (body, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, &run->error);
  if (info != NULL)
    {
      message = soup_message_new ("PUT", run->url);
      soup_message_set_request_body (message, "application/octet-stream",
                                     G_INPUT_STREAM (body), g_file_info_get_size (info));
      answer = soup_session_send (session, message, NULL, &run->error);
      if (answer != NULL)
        {
          g_input_stream_close (answer, NULL, NULL);
          run->status = soup_message_get_status (message);
        }
    }
  g_main_context_pop_thread_default (context);
  return NULL;
}

typedef struct
{
  GMainLoop *loop;
  gboolean   ok;
  GError    *error;
  guint      reports;
} EngineRun;

static void
progress_cb (guint64  done,
             guint64  total,
             gpointer user_data)
{
  EngineRun *run = user_data;

  run->reports++;
}

static void
put_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  EngineRun *run = user_data;

  run->ok = mh_upload_put_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start, end;
  gboolean ok;

  if (argc != 4 || (g_strcmp0 (argv[1], "soup") != 0 && g_strcmp0 (argv[1], "engine") != 0))
    {
      g_printerr ("Usage: %s soup|engine URL FILE\n", argv[0]);
      return 2;
    }
  file = g_file_new_for_commandline_arg (argv[3]);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, &error);
  if (info == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  start = g_get_monotonic_time ();
  if (g_str_equal (argv[1], "soup"))
    {
      SoupRun run = { argv[2], file, NULL, 0 };

      g_thread_join (g_thread_new ("soup-put", soup_thread, &run));
      ok = run.error == NULL && SOUP_STATUS_IS_SUCCESSFUL (run.status);
      if (run.error != NULL)
        g_propagate_error (&error, run.error);
      else if (!ok)
        g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "HTTP %u", run.status);
    }
  else
    {
      g_autoptr(MhClient) client = mh_client_new (NULL);
      g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
      EngineRun run = { loop, FALSE, NULL, 0 };

      mh_upload_put_async (client, file, argv[2], progress_cb, &run, NULL, put_cb, &run);
      g_main_loop_run (loop);
      ok = run.ok;
      if (run.error != NULL)
        g_propagate_error (&error, run.error);
      g_printerr ("progress reports: %u\n", run.reports);
    }
  end = g_get_monotonic_time ();

  if (!ok)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_print ("%" G_GINT64_FORMAT " %.3f\n", g_file_info_get_size (info), (end - start) / 1e6);
  return 0;
}
