/* mh-job-store-disk.c: the store's worker side, every file operation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mh-job-store-private.h"
#include "mh-json.h"

static char *
record_path (MhJobStore *self,
             const char *id,
             const char *suffix)
{
  g_autofree char *name = g_strconcat (id, suffix, NULL);
  return g_build_filename (self->path, name, NULL);
}

static gboolean
ensure_dir (const char  *path,
            GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved = errno;
      g_autofree char *shown = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not make the job history folder “%s”: %s"),
                   shown, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* Moves @path aside under @dir as "<name>.<when>", never replacing a file;
 * returns the new path. */
static char *
move_aside (const char  *path,
            const char  *dir,
            GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *base = g_path_get_basename (path);

  if (!ensure_dir (dir, error))
    return NULL;

  for (guint i = 1; i < 1000; i++)
    {
      g_autofree char *name = i == 1
        ? g_strdup_printf ("%s.%s", base, when)
        : g_strdup_printf ("%s.%s-%u", base, when, i);
      g_autofree char *target = g_build_filename (dir, name, NULL);

      GStatBuf st;

      /* link() + unlink() never replaces anything, unlike rename(); a folder
       * cannot be linked, so it is renamed after checking. linkat() without
       * AT_SYMLINK_FOLLOW links a symbolic link itself, never what it
       * points to, and works for FIFOs and sockets alike. */
      if (linkat (AT_FDCWD, path, AT_FDCWD, target, 0) == 0)
        {
          g_unlink (path);
          return g_steal_pointer (&target);
        }
      if (errno == EEXIST)
        continue;
      if (g_lstat (target, &st) == 0)
        continue;
      if (g_rename (path, target) == 0)
        return g_steal_pointer (&target);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "%s", g_strerror (errno));
      return NULL;
    }
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, g_strerror (EEXIST));
  return NULL;
}

static gboolean
is_regular_record (const struct stat  *st,
                   GError            **error)
{
  if (S_ISLNK (st->st_mode))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("it is a symbolic link, not a file"));
      return FALSE;
    }
  if (!S_ISREG (st->st_mode))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("it is not a regular file"));
      return FALSE;
    }
  if (st->st_size > RECORD_MAX_BYTES)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("it is larger than 1 MiB"));
      return FALSE;
    }
  return TRUE;
}

static void
set_read_error (GError **error,
                int      saved)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
               _("it cannot be read: %s"), g_strerror (saved));
}

/* Reads a record file, only if it is a regular file of at most
 * RECORD_MAX_BYTES bytes in the folder itself: a FIFO would block the
 * worker for ever, a device or a huge file would fill the memory, and a
 * symbolic link points out of the folder. It is looked at before it is
 * opened (so a device is never opened), and again once open, since it may
 * have been replaced meanwhile. A file that vanished fails with
 * G_FILE_ERROR_NOENT, one that is not a record file with
 * G_IO_ERROR_INVALID_DATA. */
static GBytes *
read_file (const char  *path,
           GError     **error)
{
  g_autofree char *contents = NULL;
  struct stat st;
  gsize length = 0, size;
  int fd;

  if (lstat (path, &st) != 0)
    {
      set_read_error (error, errno);
      return NULL;
    }
  if (!is_regular_record (&st, error))
    return NULL;

  fd = g_open (path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;

      /* O_NOFOLLOW: it became a link since lstat(). */
      if (saved == ELOOP)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("it is a symbolic link, not a file"));
          return NULL;
        }
      set_read_error (error, saved);
      return NULL;
    }
  if (fstat (fd, &st) != 0)
    {
      int saved = errno;
      close (fd);
      set_read_error (error, saved);
      return NULL;
    }
  if (!is_regular_record (&st, error))
    {
      close (fd);
      return NULL;
    }

  /* Up to one byte more than allowed, to notice a file that grew since
   * fstat(); the buffer fits the size fstat() gave, and grows only if the
   * file does. */
  size = (gsize) st.st_size + 1;
  contents = g_malloc (size);
  while (length < RECORD_MAX_BYTES + 1)
    {
      gssize n;

      if (length == size)
        {
          size = MIN (size * 2, RECORD_MAX_BYTES + 1);
          contents = g_realloc (contents, size);
        }
      n = read (fd, contents + length, size - length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          close (fd);
          set_read_error (error, saved);
          return NULL;
        }
      if (n == 0)
        break;
      length += n;
    }
  close (fd);

  if (length > RECORD_MAX_BYTES)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("it is larger than 1 MiB"));
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

static MhJobRecord *
parse_record (GBytes      *bytes,
              const char  *id,
              GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(MhJobRecord) record = NULL;
  g_autoptr(GError) parse_error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  /* Bounded in size and depth: a record that would crash the parser is
   * damaged like any other, and moved aside. */
  root = mh_json_parse (data, length, RECORD_MAX_BYTES, &parse_error);
  if (root == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, parse_error->message);
      return NULL;
    }

  record = mh_job_record_new_from_json (root, error);
  if (record == NULL)
    return NULL;
  if (id != NULL && !g_str_equal (mh_job_record_get_id (record), id))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("its id does not match its file name"));
      return NULL;
    }
  return g_steal_pointer (&record);
}

void
mh_job_store_load_result_free (LoadResult *result)
{
  g_ptr_array_unref (result->records);
  g_ptr_array_unref (result->problems);
  g_free (result);
}

static void
load_one (MhJobStore *self,
          const char *name,
          LoadResult *result)
{
  g_autofree char *path = g_build_filename (self->path, name, NULL);
  g_autofree char *id = g_strndup (name, strlen (name) - strlen (".json"));
  g_autofree char *damaged_dir = g_build_filename (self->path, "damaged", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *shown = g_filename_display_name (path);
  MhJobRecord *record = NULL;

  bytes = read_file (path, &error);
  if (bytes != NULL)
    record = parse_record (bytes, id, &error);
  if (record != NULL)
    {
      g_ptr_array_add (result->records, record);
      return;
    }

  /* Removed by another process since the folder was listed. */
  if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    return;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      g_ptr_array_add (result->problems,
                       g_strdup_printf (_("The job record “%s” is left out: %s. It is kept as it is."),
                                        shown, error->message));
      return;
    }

  {
    g_autoptr(GError) move_error = NULL;
    g_autofree char *moved = move_aside (path, damaged_dir, &move_error);
    g_autofree char *moved_shown = moved != NULL ? g_filename_display_name (moved) : NULL;

    /* Paths are file names: said as text (the app and --json need it). */
    if (moved != NULL)
      g_ptr_array_add (result->problems,
                       g_strdup_printf (_("A job record could not be read (%s). It was moved to “%s”; the rest of the history is kept."),
                                        error->message, moved_shown));
    else
      g_ptr_array_add (result->problems,
                       g_strdup_printf (_("The job record “%s” could not be read (%s) nor moved aside (%s). It is left out."),
                                        shown, error->message, move_error->message));
  }
}

void
mh_job_store_load_op (MhJobStore *self,
                      GTask      *task,
                      StoreOp    *op)
{
  LoadResult *result = g_new0 (LoadResult, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  gint64 now = g_get_real_time ();

  result->records = g_ptr_array_new_with_free_func (g_object_unref);
  result->problems = g_ptr_array_new_with_free_func (g_free);

  /* Something else where the folder should be (a file, an unreadable
   * folder): moved aside whole, and a new history started next to it. */
  if (g_file_test (self->path, G_FILE_TEST_EXISTS) &&
      (!g_file_test (self->path, G_FILE_TEST_IS_DIR) || g_access (self->path, R_OK | W_OK | X_OK) != 0))
    {
      g_autofree char *parent = g_path_get_dirname (self->path);
      g_autoptr(GError) move_error = NULL;
      g_autofree char *moved = move_aside (self->path, parent, &move_error);
      g_autofree char *shown = NULL;

      if (moved == NULL)
        {
          shown = g_filename_display_name (self->path);
          g_task_return_new_error (task, G_IO_ERROR, move_error->code,
                                   _("The job history “%s” cannot be read, nor moved aside: %s"),
                                   shown, move_error->message);
          mh_job_store_load_result_free (result);
          return;
        }
      shown = g_filename_display_name (moved);
      g_ptr_array_add (result->problems,
                       g_strdup_printf (_("The job history could not be read. It was moved to “%s” and a new one was started."),
                                        shown));
    }

  if (!ensure_dir (self->path, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      mh_job_store_load_result_free (result);
      return;
    }

  dir = g_dir_open (self->path, 0, &error);
  if (dir == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      mh_job_store_load_result_free (result);
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (name[0] == '.')
        continue;
      if (g_str_has_suffix (name, ".json") && strlen (name) > strlen (".json"))
        {
          load_one (self, name, result);
          continue;
        }

      /* A "<id>.json.XXXXXX" left by a process killed while writing: the
       * record itself is intact (the rename never happened). Another
       * process may be writing one right now, so only old ones go. */
      if (strstr (name, ".json.") != NULL)
        {
          g_autofree char *path = g_build_filename (self->path, name, NULL);
          GStatBuf st;

          if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode) &&
              now / G_USEC_PER_SEC - st.st_mtime > 60)
            g_unlink (path);
        }
    }

  g_task_return_pointer (task, result, (GDestroyNotify) mh_job_store_load_result_free);
}

/* Takes the lock of @id for this process. The lock file is removed when
 * given back, so after locking it checks that it still holds the file that
 * is there (and not one a releasing process just unlinked). */
static int
lock_take (MhJobStore  *self,
           const char  *id,
           GError     **error)
{
  g_autofree char *path = record_path (self, id, ".lock");

  if (g_hash_table_contains (self->locks, id))
    goto busy;

  for (guint attempt = 0; attempt < 10; attempt++)
    {
      struct stat fd_st, path_st;
      int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

      if (fd < 0)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not lock the job record: %s"), g_strerror (saved));
          return -1;
        }
      if (flock (fd, LOCK_EX | LOCK_NB) != 0)
        {
          int saved = errno;
          close (fd);
          if (saved == EWOULDBLOCK)
            goto busy;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not lock the job record: %s"), g_strerror (saved));
          return -1;
        }
      if (fstat (fd, &fd_st) == 0 && stat (path, &path_st) == 0 &&
          fd_st.st_ino == path_st.st_ino && fd_st.st_dev == path_st.st_dev)
        {
          g_hash_table_insert (self->locks, g_strdup (id), GINT_TO_POINTER (fd));
          return fd;
        }
      close (fd);
    }

busy:
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                       _("Another Magic Hour Studio window or magic-hour-studio-cli is working on this job right now."));
  return -1;
}

static void
lock_give_back (MhJobStore *self,
                const char *id)
{
  gpointer fd;

  if (!g_hash_table_lookup_extended (self->locks, id, NULL, &fd))
    return;

  {
    g_autofree char *path = record_path (self, id, ".lock");
    g_unlink (path);
  }
  close (GPOINTER_TO_INT (fd));
  g_hash_table_remove (self->locks, id);
}

static gboolean
write_record (MhJobStore  *self,
              const char  *id,
              GBytes      *data,
              GError     **error)
{
  g_autofree char *path = record_path (self, id, ".json");
  gsize length;
  const char *contents = g_bytes_get_data (data, &length);

  if (!ensure_dir (self->path, error))
    return FALSE;

  /* Temporary file + rename: a reader sees the old record or the new one,
   * never half of one, even if this process is killed mid-write. */
  if (!g_file_set_contents_full (path, contents, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    {
      g_prefix_error (error, _("Could not write the job history: "));
      return FALSE;
    }
  return TRUE;
}

void
mh_job_store_write_op (MhJobStore *self,
                       GTask      *task,
                       StoreOp    *op)
{
  GError *error = NULL;

  if (write_record (self, op->id, op->data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
mh_job_store_claim_op (MhJobStore *self,
                       GTask      *task,
                       StoreOp    *op)
{
  g_autofree char *path = record_path (self, op->id, ".json");
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  if (!ensure_dir (self->path, &error) || lock_take (self, op->id, &error) < 0)
    {
      g_task_return_error (task, error);
      return;
    }

  /* What is on disk now: another process may have changed it meanwhile. */
  bytes = read_file (path, NULL);
  if (bytes != NULL)
    {
      MhJobRecord *fresh = parse_record (bytes, op->id, NULL);
      if (fresh != NULL)
        {
          g_task_return_pointer (task, fresh, g_object_unref);
          return;
        }
    }
  g_task_return_pointer (task, NULL, NULL);
}

/* Gives a lock back without writing (a claim canceled meanwhile). */
void
mh_job_store_unlock_op (MhJobStore *self,
                        GTask      *task,
                        StoreOp    *op)
{
  lock_give_back (self, op->id);
  g_task_return_boolean (task, TRUE);
}

void
mh_job_store_release_op (MhJobStore *self,
                         GTask      *task,
                         StoreOp    *op)
{
  GError *error = NULL;
  gboolean written = write_record (self, op->id, op->data, &error);

  lock_give_back (self, op->id);
  if (written)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
mh_job_store_remove_op (MhJobStore *self,
                        GTask      *task,
                        StoreOp    *op)
{
  g_autofree char *path = record_path (self, op->id, ".json");
  GError *error = NULL;

  if (lock_take (self, op->id, &error) < 0)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved = errno;
      lock_give_back (self, op->id);
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("Could not remove the job from the history: %s"),
                               g_strerror (saved));
      return;
    }
  lock_give_back (self, op->id);
  g_task_return_boolean (task, TRUE);
}

void
mh_job_store_read_op (MhJobStore *self,
                      GTask      *task,
                      StoreOp    *op)
{
  g_autofree char *path = record_path (self, op->id, ".json");
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  bytes = read_file (path, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  {
    MhJobRecord *record = parse_record (bytes, op->id, &error);

    if (record == NULL)
      g_task_return_error (task, error);
    else
      g_task_return_pointer (task, record, g_object_unref);
  }
}

void
mh_job_store_sweep_op (MhJobStore *self,
                       GTask      *task,
                       StoreOp    *op)
{
  g_autofree char *suffix = g_strdup_printf (".%s.part", op->id);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (op->output_dir == NULL || (dir = g_dir_open (op->output_dir, 0, NULL)) == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] == '.' && g_str_has_suffix (name, suffix))
      {
        g_autofree char *path = g_build_filename (op->output_dir, name, NULL);
        g_unlink (path);
      }
  g_task_return_boolean (task, TRUE);
}
