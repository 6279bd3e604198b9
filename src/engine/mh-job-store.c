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

#include "mh-job-store-private.h"
#include "mh-json.h"

G_DEFINE_FINAL_TYPE (MhJobStore, mh_job_store, G_TYPE_OBJECT)

enum {
  SIGNAL_WRITE_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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
  g_hash_table_unref (self->by_id);
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
  self->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
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

/* The list holds the records: the returned pointer is borrowed. */
static MhJobRecord *
record_at (MhJobStore *self,
           guint       position)
{
  MhJobRecord *record = g_list_model_get_item (G_LIST_MODEL (self->records), position);

  g_object_unref (record);
  return record;
}

static void
insert_record (MhJobStore  *self,
               MhJobRecord *record)
{
  g_hash_table_insert (self->by_id, g_strdup (mh_job_record_get_id (record)), record);
  g_list_store_insert_sorted (self->records, record, compare_records, NULL);
}

static void
remove_record_at (MhJobStore *self,
                  guint       position)
{
  g_hash_table_remove (self->by_id, mh_job_record_get_id (record_at (self, position)));
  g_list_store_remove (self->records, position);
}

MhJobRecord *
mh_job_store_lookup (MhJobStore *self,
                     const char *id)
{
  g_return_val_if_fail (MH_IS_JOB_STORE (self), NULL);

  return g_hash_table_lookup (self->by_id, id);
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

/* Takes a record read from disk into the list: a new one is inserted in
 * order, a known one takes the disk's fields unless this process is running
 * it (then this process is the one writing it). */
static void
merge_record (MhJobStore  *self,
              MhJobRecord *loaded)
{
  MhJobRecord *known = g_hash_table_lookup (self->by_id, mh_job_record_get_id (loaded));

  if (known != NULL)
    {
      if (!mh_job_record_get_running (known))
        mh_job_record_update_from (known, loaded);
      return;
    }
  insert_record (self, loaded);
}

static void
forget_record (MhJobStore *self,
               const char *id)
{
  MhJobRecord *known = g_hash_table_lookup (self->by_id, id);
  guint position;

  if (known != NULL && !mh_job_record_get_running (known) &&
      g_list_store_find (self->records, known, &position))
    remove_record_at (self, position);
}

void
mh_job_store_add (MhJobStore  *self,
                  MhJobRecord *record)
{
  g_return_if_fail (MH_IS_JOB_STORE (self));
  g_return_if_fail (MH_IS_JOB_RECORD (record));

  if (mh_job_store_lookup (self, mh_job_record_get_id (record)) == NULL)
    insert_record (self, record);
  mh_job_store_save (self, record);
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
        remove_record_at (self, i - 1);
    }

  g_ptr_array_set_size (self->problems, 0);
  for (guint i = 0; i < loaded->problems->len; i++)
    {
      const char *problem = g_ptr_array_index (loaded->problems, i);

      /* Said to the user by the app and the command-line tool. */
      g_debug ("%s", problem);
      g_ptr_array_add (self->problems, g_strdup (problem));
    }

  mh_job_store_load_result_free (loaded);
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
  store_run (self, mh_job_store_load_op, g_new0 (StoreOp, 1), mh_job_store_load_op, cancellable, loaded_cb, outer);
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
  store_run (self, mh_job_store_write_op, op_for_record (record, TRUE), mh_job_store_write_op, NULL, written_cb, outer);
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
      store_run (MH_JOB_STORE (source), mh_job_store_unlock_op, op_for_record (record, FALSE), mh_job_store_unlock_op,
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
  store_run (self, mh_job_store_claim_op, op_for_record (record, FALSE), mh_job_store_claim_op, NULL, claimed_cb, outer);
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
  store_run (self, mh_job_store_release_op, op_for_record (record, TRUE), mh_job_store_release_op, NULL, released_cb, outer);
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
  store_run (self, mh_job_store_remove_op, op_for_record (record, FALSE), mh_job_store_remove_op, NULL, removed_cb, outer);
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
  store_run (self, mh_job_store_sweep_op, op, mh_job_store_sweep_parts_async, cancellable, callback, user_data);
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
  store_run (self, mh_job_store_read_op, op, mh_job_store_read_op, NULL, reread_cb, g_strdup (op->id));
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
    insert_record (self, record);
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
