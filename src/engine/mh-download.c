/* mh-download.c: one streamed download into a folder, never overwriting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <gio/gfiledescriptorbased.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "mh-download.h"
#include "mh-error.h"
#include "mh-result-name.h"
#include "mh-transfer.h"

#define MAX_NAME_BYTES 200
/* "name (9999).mp4" is the last name tried. */
#define MAX_NAME_NUMBER 10000

char *
mh_safe_file_name (const char *text)
{
  g_autoptr(GString) name = NULL;
  const char *p;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;

  name = g_string_new (NULL);
  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '/' || c == '\\' || g_unichar_iscntrl (c) ||
          g_unichar_type (c) == G_UNICODE_FORMAT)
        g_string_append_c (name, '_');
      else
        g_string_append_unichar (name, c);
    }

  /* No hidden files, no "." or "..", nothing that starts like an option. */
  while (name->len > 0 && (name->str[0] == '.' || name->str[0] == '-' || name->str[0] == ' '))
    g_string_erase (name, 0, 1);
  g_strstrip (name->str);
  g_string_set_size (name, strlen (name->str));

  if (name->len > MAX_NAME_BYTES)
    {
      const char *end;

      /* Keep the extension, cut in the middle on a character boundary. */
      const char *dot = strrchr (name->str, '.');
      g_autofree char *ext = dot != NULL && strlen (dot) < 16 ? g_strdup (dot) : g_strdup ("");
      end = g_utf8_find_prev_char (name->str, name->str + MAX_NAME_BYTES - strlen (ext));
      g_string_truncate (name, end - name->str);
      g_string_append (name, ext);
    }

  if (name->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&name), FALSE);
}

char *
mh_download_safe_name (const char *url,
                       const char *fallback)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_PATH, NULL);
  g_autofree char *segment = NULL;
  g_autofree char *decoded = NULL;
  char *name;
  const char *path, *slash;

  if (uri == NULL)
    return g_strdup (fallback);

  /* The last segment of the path as sent, before decoding: an encoded "/"
   * (%2F) must not split it into a path later. */
  path = g_uri_get_path (uri);
  slash = strrchr (path, '/');
  segment = g_strdup (slash != NULL ? slash + 1 : path);
  decoded = g_uri_unescape_string (segment, NULL);
  name = mh_safe_file_name (decoded);
  if (name == NULL)
    return g_strdup (fallback);

  /* A name with no extension gets the fallback's, so the file opens. */
  if (strchr (name, '.') == NULL && strchr (fallback, '.') != NULL)
    {
      char *with_ext = g_strconcat (name, strrchr (fallback, '.'), NULL);

      g_free (name);
      name = with_ext;
    }

  return name;
}

/* The number last given to a name in a folder ("dir/name" -> guint), so that
 * naming the n-th file of the same name tries a few names, not n: a batch of
 * n files costs O(n) attempts, not O(n²). Only a hint: link() still decides,
 * and a name freed meanwhile is used again (the plain name is tried first). */
#define MAX_REMEMBERED_NAMES 256
static GMutex taken_lock;
static GHashTable *taken_numbers;

static guint
taken_lookup (const char *key)
{
  guint n;

  g_mutex_lock (&taken_lock);
  n = taken_numbers != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (taken_numbers, key)) : 0;
  g_mutex_unlock (&taken_lock);
  return n;
}

static void
taken_remember (const char *key,
                guint       n)
{
  g_mutex_lock (&taken_lock);
  if (taken_numbers == NULL)
    taken_numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (g_hash_table_size (taken_numbers) >= MAX_REMEMBERED_NAMES)
    g_hash_table_remove_all (taken_numbers);
  g_hash_table_insert (taken_numbers, g_strdup (key), GUINT_TO_POINTER (n));
  g_mutex_unlock (&taken_lock);
}

GFile *
mh_file_move_unique (GFile       *source,
                     GFile       *dir,
                     const char  *name,
                     GError     **error)
{
  g_autofree char *source_path = g_file_get_path (source);
  g_autofree char *dir_path = g_file_get_path (dir);
  g_autofree char *key = g_build_filename (dir_path, name, NULL);
  g_autofree char *stem = NULL;
  const char *dot = strrchr (name, '.');
  const char *ext = dot != NULL && dot != name ? dot : "";
  guint hint = taken_lookup (key);

  if (hint + 1 >= MAX_NAME_NUMBER)
    hint = 0;

  stem = g_strndup (name, strlen (name) - strlen (ext));

  /* The plain name, then on from the last number given (2 when none). */
  for (guint n = 1; n < MAX_NAME_NUMBER; n = n == 1 ? MAX (hint + 1, 2) : n + 1)
    {
      g_autofree char *candidate = n == 1 ? g_strdup (name)
                                          : g_strdup_printf ("%s (%u)%s", stem, n, ext);
      g_autoptr(GFile) target = g_file_get_child (dir, candidate);
      g_autofree char *target_path = g_file_get_path (target);

      /* link() fails if the name exists, atomically; rename() would replace. */
      if (link (source_path, target_path) == 0)
        {
          g_unlink (source_path);
          if (n > 1)
            taken_remember (key, n);
          return g_steal_pointer (&target);
        }

      if (errno == EEXIST)
        continue;

      /* File systems without hard links: rename when the name is free. */
      if (errno == EPERM || errno == ENOTSUP || errno == EOPNOTSUPP || errno == EXDEV)
        {
          if (g_file_test (target_path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK))
            continue;
          if (g_rename (source_path, target_path) == 0)
            {
              if (n > 1)
                taken_remember (key, n);
              return g_steal_pointer (&target);
            }
        }

      {
        int saved = errno;
        g_autofree char *display = g_filename_display_name (target_path);

        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                     _("Could not save “%s”: %s"), display, g_strerror (saved));
      }
      return NULL;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               _("Could not find a free file name for “%s”."), name);
  return NULL;
}

typedef struct
{
  MhClient          *client;
  char              *url;
  GFile             *dir;
  char              *name;
  char              *temp_tag;
  MhProgressFunc     progress;
  gpointer           progress_data;
  /* Made and written on the transfer thread, used here once it is over. */
  GFile             *temp;
  GFileOutputStream *output;
  GError            *error;
} DownloadData;

static void
download_data_free (DownloadData *data)
{
  g_clear_object (&data->client);
  g_free (data->url);
  g_clear_object (&data->dir);
  g_free (data->name);
  g_free (data->temp_tag);
  g_clear_object (&data->temp);
  g_clear_object (&data->output);
  g_clear_error (&data->error);
  g_free (data);
}

static const char *
what_download (void)
{
  return _("Downloading the result");
}

/* The sentence of a download that stopped moving. */
static GError *
stalled_error (DownloadData *data)
{
  g_autoptr(GUri) uri = g_uri_parse (data->url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : data->url;

  return g_error_new (MH_ERROR, MH_ERROR_NETWORK,
                      _("%s failed: %s stopped sending the file. The partial file was removed; check your internet connection and try again."),
                      what_download (), host);
}

static void
cleanup_deleted_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DownloadData *data = g_task_get_task_data (task);

  g_file_delete_finish (G_FILE (source), result, NULL);
  g_task_return_error (task, g_steal_pointer (&data->error));
}

static void
cleanup_closed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  DownloadData *data = g_task_get_task_data (task);

  g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, NULL);
  /* Not the task's cancellable: the partial file goes even after a cancel. */
  g_file_delete_async (data->temp, G_PRIORITY_DEFAULT, NULL, cleanup_deleted_cb, task);
}

/* Every failure after the temporary file exists ends here. */
static void
download_fail (GTask  *task,
               GError *error)
{
  DownloadData *data = g_task_get_task_data (task);

  data->error = error;
  if (data->output != NULL)
    {
      g_autoptr(GCancellable) cancelled = g_cancellable_new ();

      /* Closed with a cancelled cancellable: nothing more is flushed. */
      g_cancellable_cancel (cancelled);
      g_output_stream_close_async (G_OUTPUT_STREAM (data->output), G_PRIORITY_DEFAULT,
                                   cancelled, cleanup_closed_cb, task);
    }
  else if (data->temp != NULL)
    g_file_delete_async (data->temp, G_PRIORITY_DEFAULT, NULL, cleanup_deleted_cb, task);
  else
    {
      g_task_return_error (task, g_steal_pointer (&data->error));
      g_object_unref (task);
    }
}

static void
move_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DownloadData *data = task_data;
  GError *error = NULL;
  GFile *final = mh_file_move_unique (data->temp, data->dir, data->name, &error);

  if (final == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, final, g_object_unref);
}

static void
moved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GFile *final = g_task_propagate_pointer (G_TASK (result), &error);

  if (final == NULL)
    {
      download_fail (g_steal_pointer (&task), error);
      return;
    }

  g_task_return_pointer (task, final, g_object_unref);
}

static void
output_closed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  DownloadData *data = g_task_get_task_data (task);
  GError *error = NULL;
  GTask *move;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error))
    {
      g_clear_object (&data->output);
      download_fail (task, error);
      return;
    }
  g_clear_object (&data->output);

  /* Not cancellable: a complete file is kept. */
  move = g_task_new (NULL, NULL, moved_cb, task);
  g_task_set_task_data (move, data, NULL);
  g_task_run_in_thread (move, move_thread);
  g_object_unref (move);
}

/* On the transfer thread, when a successful answer's body starts: the
 * hidden temporary file it goes to, never one that exists. */
static int
temp_open (gpointer   user_data,
           GError   **error)
{
  DownloadData *data = user_data;

  for (guint attempt = 0;; attempt++)
    {
      /* The tag (a job record's id) lets a resumed job find what a killed
       * one left: ".name.1234abcd.<tag>.part". */
      g_autofree char *temp_name = data->temp_tag != NULL
        ? g_strdup_printf (".%s.%08x.%s.part", data->name, g_random_int (), data->temp_tag)
        : g_strdup_printf (".%s.%08x.part", data->name, g_random_int ());
      g_autoptr(GError) local_error = NULL;

      data->temp = g_file_get_child (data->dir, temp_name);
      data->output = g_file_create (data->temp, G_FILE_CREATE_NONE, NULL, &local_error);
      if (data->output != NULL && G_IS_FILE_DESCRIPTOR_BASED (data->output))
        return g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (data->output));
      if (data->output != NULL)
        {
          g_autofree char *dir = g_file_get_parse_name (data->dir);

          /* Not a local folder: nothing to write to with plain write(). */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("Could not save the result in “%s”: %s"), dir,
                       g_strerror (EOPNOTSUPP));
          return -1;
        }

      g_clear_object (&data->temp);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS) && attempt < 10)
        continue;

      {
        g_autofree char *dir = g_file_get_parse_name (data->dir);

        g_set_error (error, local_error->domain, local_error->code,
                     _("Could not save the result in “%s”: %s"), dir, local_error->message);
      }
      return -1;
    }
}

static void
transfer_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  DownloadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  MhTransferResult got;
  guint status;

  if (!mh_transfer_finish (result, &got, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        download_fail (task, g_steal_pointer (&error));
      else if (got.local_error && data->output != NULL)
        {
          g_autofree char *dir = g_file_get_parse_name (data->dir);

          download_fail (task, g_error_new (error->domain, error->code,
                                            _("Could not write the result into “%s”: %s"),
                                            dir, error->message));
        }
      else if (got.local_error)
        /* The temporary file could not be made: said by temp_open(). */
        download_fail (task, g_steal_pointer (&error));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        download_fail (task, stalled_error (data));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) &&
               got.content_length > 0)
        download_fail (task, g_error_new (MH_ERROR, MH_ERROR_NETWORK,
                                          _("The download stopped early (%llu of %llu bytes)."),
                                          (unsigned long long) got.bytes,
                                          (unsigned long long) got.content_length));
      else
        download_fail (task, mh_client_wrap_network_error (data->client, data->url,
                                                           what_download (), error));
      return;
    }

  status = got.status;
  if (status == 403)
    {
      download_fail (task, g_error_new_literal (MH_ERROR, MH_ERROR_EXPIRED,
                                                _("The download link expired.")));
      return;
    }
  /* Storage, not the API: the file is gone, the project may well be there. */
  if (status == 404)
    {
      download_fail (task, g_error_new_literal (MH_ERROR, MH_ERROR_NOT_FOUND,
                                                _("The result file is no longer on Magic Hour's storage (HTTP 404). Download it again from its project; if it is still missing, it was deleted at Magic Hour.")));
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      download_fail (task, mh_error_new_for_status (status, NULL, what_download ()));
      return;
    }
  if (got.content_length > 0 && got.bytes != (guint64) got.content_length)
    {
      download_fail (task, g_error_new (MH_ERROR, MH_ERROR_NETWORK,
                                        _("The download stopped early (%llu of %llu bytes)."),
                                        (unsigned long long) got.bytes,
                                        (unsigned long long) got.content_length));
      return;
    }

  g_output_stream_close_async (G_OUTPUT_STREAM (data->output), G_PRIORITY_DEFAULT,
                               g_task_get_cancellable (task), output_closed_cb, task);
}

void
mh_download_async (MhClient            *client,
                   const char          *url,
                   GFile               *dir,
                   const char          *name,
                   const char          *temp_tag,
                   MhProgressFunc       progress,
                   gpointer             progress_data,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  DownloadData *data = g_new0 (DownloadData, 1);

  data->client = g_object_ref (client);
  data->url = g_strdup (url);
  data->dir = g_object_ref (dir);
  /* Made safe again: whoever chose it, it must not be a path. */
  data->name = mh_safe_file_name (name);
  if (data->name == NULL)
    data->name = mh_download_safe_name (url, "result");
  data->temp_tag = g_strdup (temp_tag);
  data->progress = progress;
  data->progress_data = progress_data;
  g_task_set_source_tag (task, mh_download_async);
  g_task_set_task_data (task, data, (GDestroyNotify) download_data_free);

  /* Checked first: nothing but the web is fetched (file://, data:,
   * ftp://...). */
  if (!mh_client_is_web_url (url))
    {
      download_fail (task, g_error_new_literal (MH_ERROR, MH_ERROR_UNUSABLE,
                                                _("Magic Hour offered a download link that is not a web address, so nothing was downloaded. Try again later; if it happens again, contact Magic Hour support.")));
      return;
    }

  /* On a thread of its own, straight into the file: the main loop sees
   * progress and the result. No Authorization: storage URLs are
   * presigned. */
  mh_transfer_get_async (url, temp_open, data, mh_client_get_transfer_timeout (client),
                         progress, progress_data, cancellable, transfer_done_cb, task);
}

GFile *
mh_download_finish (GAsyncResult  *result,
                    GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
