/* mh-job-store.c: every job ever run on this machine, on disk
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

#include "mh-job-store.h"
#include "mh-json.h"

/* A record is a few KiB: anything larger is not one of ours (the reasons
 * given for such a file say the same number). */
#define RECORD_MAX_BYTES (1024 * 1024)

struct _MhJobStore
{
  GObject       parent_instance;

  GFile        *dir;
  char         *path;
  GListStore   *records;
  GPtrArray    *problems;      /* NULL-terminated */
  GFileMonitor *monitor;
  gboolean      write_failed;

  /* The worker: every file operation, in the order asked. */
  GThreadPool  *pool;
  GMutex        flush_mutex;
  GCond         flush_cond;
  guint         pending;

  /* Worker thread only: id -> lock file descriptor. */
  GHashTable   *locks;
};

G_DEFINE_FINAL_TYPE (MhJobStore, mh_job_store, G_TYPE_OBJECT)

enum {
  SIGNAL_WRITE_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct _StoreOp StoreOp;
typedef void (*StoreOpFunc) (MhJobStore *self,
                             GTask      *task,
                             StoreOp    *op);

struct _StoreOp
{
  StoreOpFunc  func;
  char        *id;
  GBytes      *data;
  char        *output_dir;
};

static void
store_op_free (StoreOp *op)
{
  g_free (op->id);
  g_clear_pointer (&op->data, g_bytes_unref);
  g_free (op->output_dir);
  g_free (op);
}

static void
worker_func (gpointer data,
             gpointer user_data)
{
  GTask *task = data;
  MhJobStore *self = user_data;
  StoreOp *op = g_task_get_task_data (task);

  op->func (self, task, op);
  g_object_unref (task);

  g_mutex_lock (&self->flush_mutex);
  self->pending--;
  g_cond_broadcast (&self->flush_cond);
  g_mutex_unlock (&self->flush_mutex);
}

static void
store_run (MhJobStore          *self,
           StoreOpFunc          func,
           StoreOp             *op,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  op->func = func;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) store_op_free);

  g_mutex_lock (&self->flush_mutex);
  self->pending++;
  g_mutex_unlock (&self->flush_mutex);
  g_thread_pool_push (self->pool, task, NULL);
}

static void
mh_job_store_dispose (GObject *object)
{
  MhJobStore *self = MH_JOB_STORE (object);

  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (mh_job_store_parent_class)->dispose (object);
}

static void
mh_job_store_finalize (GObject *object)
{
  MhJobStore *self = MH_JOB_STORE (object);
  GHashTableIter iter;
  gpointer fd;

  /* Every task holds the store, so the queue is empty by now. */
  g_thread_pool_free (self->pool, FALSE, TRUE);
  g_hash_table_iter_init (&iter, self->locks);
  while (g_hash_table_iter_next (&iter, NULL, &fd))
    close (GPOINTER_TO_INT (fd));
  g_hash_table_unref (self->locks);

  g_clear_object (&self->dir);
  g_free (self->path);
  g_clear_object (&self->records);
  g_ptr_array_unref (self->problems);
  g_mutex_clear (&self->flush_mutex);
  g_cond_clear (&self->flush_cond);

  G_OBJECT_CLASS (mh_job_store_parent_class)->finalize (object);
}

static void
mh_job_store_class_init (MhJobStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mh_job_store_dispose;
  object_class->finalize = mh_job_store_finalize;

  /* A record could not be written: (message). Emitted once per store. */
  signals[SIGNAL_WRITE_FAILED] =
    g_signal_new ("write-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
mh_job_store_init (MhJobStore *self)
{
  self->records = g_list_store_new (MH_TYPE_JOB_RECORD);
  self->problems = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  self->locks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_mutex_init (&self->flush_mutex);
  g_cond_init (&self->flush_cond);
  self->pool = g_thread_pool_new (worker_func, self, 1, FALSE, NULL);
}

GFile *
mh_job_store_default_dir (void)
{
  return g_file_new_build_filename (g_get_user_data_dir (), "magic-hour-studio", "jobs", NULL);
}

MhJobStore *
mh_job_store_new (GFile *dir)
{
  MhJobStore *self;

  g_return_val_if_fail (G_IS_FILE (dir), NULL);

  self = g_object_new (MH_TYPE_JOB_STORE, NULL);
  self->dir = g_object_ref (dir);
  self->path = g_file_get_path (dir);
  return self;
}

GFile *mh_job_store_get_dir (MhJobStore *self) { return self->dir; }
GListModel *mh_job_store_get_records (MhJobStore *self) { return G_LIST_MODEL (self->records); }
const char *const *
mh_job_store_get_problems (MhJobStore *self)
{
  static const char *const none[] = { NULL };

  /* An empty array may have no storage yet. */
  return self->problems->pdata != NULL ? (const char *const *) self->problems->pdata : none;
}

static gboolean
find_record (MhJobStore  *self,
             const char  *id,
             guint       *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->records));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MhJobRecord) record = g_list_model_get_item (G_LIST_MODEL (self->records), i);

      if (g_str_equal (mh_job_record_get_id (record), id))
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* The list holds the records: the returned pointer is borrowed. */
static MhJobRecord *
record_at (MhJobStore *self,
           guint       position)
{
  MhJobRecord *record = g_list_model_get_item (G_LIST_MODEL (self->records), position);

  g_object_unref (record);
  return record;
}

MhJobRecord *
mh_job_store_lookup (MhJobStore *self,
                     const char *id)
{
  guint position;

  g_return_val_if_fail (MH_IS_JOB_STORE (self), NULL);

  return find_record (self, id, &position) ? record_at (self, position) : NULL;
}

MhJobRecord *
mh_job_store_lookup_project (MhJobStore *self,
                             const char *project_id)
{
  guint n;

  g_return_val_if_fail (MH_IS_JOB_STORE (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->records));
  for (guint i = 0; i < n; i++)
    {
      MhJobRecord *record = record_at (self, i);

      if (g_strcmp0 (mh_job_record_get_project_id (record), project_id) == 0)
        return record;
    }
  return NULL;
}

static int
compare_records (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  MhJobRecord *ra = (MhJobRecord *) a;
  MhJobRecord *rb = (MhJobRecord *) b;
  int order = g_date_time_compare (mh_job_record_get_created (rb), mh_job_record_get_created (ra));

  return order != 0 ? order : strcmp (mh_job_record_get_id (ra), mh_job_record_get_id (rb));
}

/* Takes a record read from disk into the list: a new one is inserted in
 * order, a known one takes the disk's fields unless this process is running
 * it (then this process is the one writing it). */
static void
merge_record (MhJobStore  *self,
              MhJobRecord *loaded)
{
  guint position;

  if (find_record (self, mh_job_record_get_id (loaded), &position))
    {
      MhJobRecord *known = record_at (self, position);

      if (!mh_job_record_get_running (known))
        mh_job_record_update_from (known, loaded);
      return;
    }
  g_list_store_insert_sorted (self->records, loaded, compare_records, NULL);
}

static void
forget_record (MhJobStore *self,
               const char *id)
{
  guint position;

  if (find_record (self, id, &position) && !mh_job_record_get_running (record_at (self, position)))
    g_list_store_remove (self->records, position);
}

void
mh_job_store_add (MhJobStore  *self,
                  MhJobRecord *record)
{
  g_return_if_fail (MH_IS_JOB_STORE (self));
  g_return_if_fail (MH_IS_JOB_RECORD (record));

  if (mh_job_store_lookup (self, mh_job_record_get_id (record)) == NULL)
    g_list_store_insert_sorted (self->records, record, compare_records, NULL);
  mh_job_store_save (self, record);
}

/* ------------------------------------------------------------------------ */
/* Worker side                                                              */

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

typedef struct
{
  GPtrArray *records;
  GPtrArray *problems;
} LoadResult;

static void
load_result_free (LoadResult *result)
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

static void
load_op (MhJobStore *self,
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
          load_result_free (result);
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
      load_result_free (result);
      return;
    }

  dir = g_dir_open (self->path, 0, &error);
  if (dir == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      load_result_free (result);
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

  g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
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

static void
write_op (MhJobStore *self,
          GTask      *task,
          StoreOp    *op)
{
  GError *error = NULL;

  if (write_record (self, op->id, op->data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
claim_op (MhJobStore *self,
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
static void
unlock_op (MhJobStore *self,
           GTask      *task,
           StoreOp    *op)
{
  lock_give_back (self, op->id);
  g_task_return_boolean (task, TRUE);
}

static void
release_op (MhJobStore *self,
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

static void
remove_op (MhJobStore *self,
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

static void
read_op (MhJobStore *self,
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

static void
sweep_op (MhJobStore *self,
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

/* ------------------------------------------------------------------------ */
/* Main-thread side                                                         */

static gboolean
boolean_finish (MhJobStore    *self,
                GAsyncResult  *result,
                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The task a caller waits on for an operation on @record. */
static GTask *
record_task_new (MhJobStore          *self,
                 MhJobRecord         *record,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, g_object_ref (record), g_object_unref);
  return task;
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MhJobStore *self = MH_JOB_STORE (source);
  LoadResult *loaded;
  GError *error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  loaded = g_task_propagate_pointer (G_TASK (result), &error);
  if (loaded == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < loaded->records->len; i++)
    {
      MhJobRecord *record = g_ptr_array_index (loaded->records, i);

      g_hash_table_add (seen, (gpointer) mh_job_record_get_id (record));
      merge_record (self, record);
    }

  /* Records another process removed meanwhile. */
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->records)); i > 0; i--)
    {
      MhJobRecord *record = record_at (self, i - 1);

      if (!g_hash_table_contains (seen, mh_job_record_get_id (record)) &&
          !mh_job_record_get_running (record))
        g_list_store_remove (self->records, i - 1);
    }

  g_ptr_array_set_size (self->problems, 0);
  for (guint i = 0; i < loaded->problems->len; i++)
    {
      const char *problem = g_ptr_array_index (loaded->problems, i);

      /* Said to the user by the app and the command-line tool. */
      g_debug ("%s", problem);
      g_ptr_array_add (self->problems, g_strdup (problem));
    }

  load_result_free (loaded);
  g_task_return_boolean (task, TRUE);
}

void
mh_job_store_load_async (MhJobStore          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *outer;

  g_return_if_fail (MH_IS_JOB_STORE (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, mh_job_store_load_async);
  store_run (self, load_op, g_new0 (StoreOp, 1), load_op, cancellable, loaded_cb, outer);
}

gboolean
mh_job_store_load_finish (MhJobStore    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return boolean_finish (self, result, error);
}

static StoreOp *
op_for_record (MhJobRecord *record,
               gboolean     with_data)
{
  StoreOp *op = g_new0 (StoreOp, 1);

  op->id = g_strdup (mh_job_record_get_id (record));
  if (with_data)
    {
      gsize length;
      char *data = mh_job_record_to_data (record, &length);
      op->data = g_bytes_new_take (data, length);
    }
  return op;
}

static void report_write (MhJobStore *self, const GError *error);

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      report_write (MH_JOB_STORE (source), error);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
mh_job_store_save_async (MhJobStore          *self,
                         MhJobRecord         *record,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *outer;

  g_return_if_fail (MH_IS_JOB_STORE (self));
  g_return_if_fail (MH_IS_JOB_RECORD (record));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, mh_job_store_save_async);
  store_run (self, write_op, op_for_record (record, TRUE), write_op, NULL, written_cb, outer);
}

gboolean
mh_job_store_save_finish (MhJobStore    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return boolean_finish (self, result, error);
}

static void
report_write (MhJobStore   *self,
              const GError *error)
{
  if (error == NULL || self->write_failed)
    return;
  self->write_failed = TRUE;
  g_debug ("%s", error->message);
  g_signal_emit (self, signals[SIGNAL_WRITE_FAILED], 0, error->message);
}

void
mh_job_store_save (MhJobStore  *self,
                   MhJobRecord *record)
{
  mh_job_store_save_async (self, record, NULL, NULL, NULL);
}

static void
claimed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MhJobRecord *record = g_task_get_task_data (task);
  g_autoptr(MhJobRecord) fresh = NULL;
  GError *error = NULL;

  fresh = g_task_propagate_pointer (G_TASK (result), &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Canceled while the lock was being taken: nobody would give it back. */
  if (g_task_return_error_if_cancelled (task))
    {
      store_run (MH_JOB_STORE (source), unlock_op, op_for_record (record, FALSE), unlock_op,
                 NULL, NULL, NULL);
      return;
    }
  if (fresh != NULL)
    mh_job_record_update_from (record, fresh);
  mh_job_record_set_running (record, TRUE);
  g_task_return_boolean (task, TRUE);
}

void
mh_job_store_claim_async (MhJobStore          *self,
                          MhJobRecord         *record,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *outer;

  g_return_if_fail (MH_IS_JOB_STORE (self));
  g_return_if_fail (MH_IS_JOB_RECORD (record));

  outer = record_task_new (self, record, cancellable, callback, user_data, mh_job_store_claim_async);
  /* A claim that succeeded is reported as such, even if @cancellable is
   * canceled before the caller sees it: the caller holds the lock then. */
  g_task_set_check_cancellable (outer, FALSE);
  store_run (self, claim_op, op_for_record (record, FALSE), claim_op, NULL, claimed_cb, outer);
}

gboolean
mh_job_store_claim_finish (MhJobStore    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return boolean_finish (self, result, error);
}

static void
released_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MhJobRecord *record = g_task_get_task_data (task);
  GError *error = NULL;

  mh_job_record_set_running (record, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      report_write (MH_JOB_STORE (source), error);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
mh_job_store_release_async (MhJobStore          *self,
                            MhJobRecord         *record,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *outer;

  g_return_if_fail (MH_IS_JOB_STORE (self));
  g_return_if_fail (MH_IS_JOB_RECORD (record));

  outer = record_task_new (self, record, NULL, callback, user_data, mh_job_store_release_async);
  store_run (self, release_op, op_for_record (record, TRUE), release_op, NULL, released_cb, outer);
}

gboolean
mh_job_store_release_finish (MhJobStore    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return boolean_finish (self, result, error);
}

static void
removed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MhJobStore *self = MH_JOB_STORE (source);
  MhJobRecord *record = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  forget_record (self, mh_job_record_get_id (record));
  g_task_return_boolean (task, TRUE);
}

void
mh_job_store_remove_async (MhJobStore          *self,
                           MhJobRecord         *record,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *outer;

  g_return_if_fail (MH_IS_JOB_STORE (self));
  g_return_if_fail (MH_IS_JOB_RECORD (record));

  outer = record_task_new (self, record, cancellable, callback, user_data, mh_job_store_remove_async);
  if (mh_job_record_get_running (record))
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_BUSY, "%s",
                               _("This job is still running. Cancel it first."));
      g_object_unref (outer);
      return;
    }
  store_run (self, remove_op, op_for_record (record, FALSE), remove_op, NULL, removed_cb, outer);
}

gboolean
mh_job_store_remove_finish (MhJobStore    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return boolean_finish (self, result, error);
}

void
mh_job_store_sweep_parts_async (MhJobStore          *self,
                                MhJobRecord         *record,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (MH_IS_JOB_STORE (self));
  g_return_if_fail (MH_IS_JOB_RECORD (record));

  op = op_for_record (record, FALSE);
  op->output_dir = g_strdup (mh_job_record_get_output_dir (record));
  store_run (self, sweep_op, op, mh_job_store_sweep_parts_async, cancellable, callback, user_data);
}

gboolean
mh_job_store_sweep_parts_finish (MhJobStore    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return boolean_finish (self, result, error);
}

void
mh_job_store_flush (MhJobStore *self)
{
  g_return_if_fail (MH_IS_JOB_STORE (self));

  g_mutex_lock (&self->flush_mutex);
  while (self->pending > 0)
    g_cond_wait (&self->flush_cond, &self->flush_mutex);
  g_mutex_unlock (&self->flush_mutex);
}

/* ------------------------------------------------------------------------ */
/* Other processes                                                          */

static void
reread_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  MhJobStore *self = MH_JOB_STORE (source);
  g_autofree char *id = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MhJobRecord) record = g_task_propagate_pointer (G_TASK (result), &error);

  if (record != NULL)
    merge_record (self, record);
  else if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    forget_record (self, id);
  /* A record that cannot be read is left for the next load to move aside. */
}

static void
changed_cb (GFileMonitor      *monitor,
            GFile             *file,
            GFile             *other_file,
            GFileMonitorEvent  event,
            gpointer           user_data)
{
  MhJobStore *self = user_data;
  g_autofree char *name = NULL;
  StoreOp *op;

  if (event == G_FILE_MONITOR_EVENT_RENAMED && other_file != NULL)
    file = other_file;
  else if (event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT &&
           event != G_FILE_MONITOR_EVENT_CREATED &&
           event != G_FILE_MONITOR_EVENT_MOVED_IN &&
           event != G_FILE_MONITOR_EVENT_DELETED &&
           event != G_FILE_MONITOR_EVENT_MOVED_OUT)
    return;

  name = g_file_get_basename (file);
  if (name[0] == '.' || !g_str_has_suffix (name, ".json") || strlen (name) <= strlen (".json"))
    return;

  op = g_new0 (StoreOp, 1);
  op->id = g_strndup (name, strlen (name) - strlen (".json"));
  store_run (self, read_op, op, read_op, NULL, reread_cb, g_strdup (op->id));
}

void
mh_job_store_watch (MhJobStore *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (MH_IS_JOB_STORE (self));

  if (self->monitor != NULL)
    return;
  self->monitor = g_file_monitor_directory (self->dir, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (self->monitor == NULL)
    {
      g_debug ("Not following the job history: %s", error->message);
      return;
    }
  g_signal_connect_object (self->monitor, "changed", G_CALLBACK (changed_cb), self, 0);
}

/* ------------------------------------------------------------------------ */
/* Jobs                                                                     */

MhJob *
mh_job_store_new_job (MhJobStore   *self,
                      MhClient     *client,
                      const MhTool *tool,
                      GHashTable   *params)
{
  g_autoptr(MhJobRecord) record = NULL;
  MhJob *job;

  g_return_val_if_fail (MH_IS_JOB_STORE (self), NULL);

  record = mh_job_record_new (tool, params);
  mh_job_record_set_api_base_url (record, mh_client_get_base_url (client));
  job = mh_job_new (client, tool, mh_job_record_get_params (record));
  mh_job_set_record (job, self, record);
  if (mh_job_store_lookup (self, mh_job_record_get_id (record)) == NULL)
    g_list_store_insert_sorted (self->records, record, compare_records, NULL);
  return job;
}

MhJob *
mh_job_store_continue_job (MhJobStore  *self,
                           MhClient    *client,
                           MhJobRecord *record,
                           gboolean     download_again)
{
  const MhTool *tool = mh_job_record_get_tool (record);
  const char *project_id = mh_job_record_get_project_id (record);
  MhJob *job;

  g_return_val_if_fail (MH_IS_JOB_STORE (self), NULL);
  g_return_val_if_fail (MH_IS_JOB_RECORD (record), NULL);

  if (project_id != NULL)
    {
      job = mh_job_new_for_project (client, tool, project_id);
      /* Cleared once the job holds the lock: claiming reloads the record
       * from disk, which still lists the files. */
      mh_job_set_download_again (job, download_again);
    }
  else
    job = mh_job_new (client, tool, mh_job_record_get_params (record));

  if (mh_job_record_get_output_dir (record) != NULL)
    {
      g_autoptr(GFile) dir = g_file_new_for_path (mh_job_record_get_output_dir (record));
      mh_job_set_output_dir (job, dir);
    }
  mh_job_set_record (job, self, record);
  return job;
}
