/* mh-application-history.c: the job history, the demo's own, and the jobs
 * resumed at start
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "mh-application-private.h"
#include "mh-startup-trace.h"

static void
write_failed_cb (MhJobStore    *store,
                 const char    *message,
                 MhApplication *self)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 0);
  mh_application_add_toast (self, toast);
}

static void
set_problems (MhApplication     *self,
              const char *const *problems)
{
  if (self->store_problems == NULL && (problems == NULL || problems[0] == NULL))
    return;

  g_clear_pointer (&self->store_problems, g_strfreev);
  if (problems != NULL && problems[0] != NULL)
    self->store_problems = g_strdupv ((char **) problems);
  g_object_notify (G_OBJECT (self), "store-problems");
}

static void
store_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(MhApplication) self = user_data;
  MhJobStore *store = MH_JOB_STORE (source);
  g_autoptr(GError) error = NULL;

  if (!mh_job_store_load_finish (store, result, &error))
    {
      const char *problems[] = { error->message, NULL };

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("%s", error->message);
      if (store == self->store)
        set_problems (self, problems);
    }
  else if (store == self->store)
    set_problems (self, mh_job_store_get_problems (store));

  /* Replaced meanwhile (the demo started). */
  if (store != self->store)
    return;

  mh_startup_trace_mark ("history-loaded");
  mh_job_store_watch (store);
  self->store_loaded = TRUE;
  g_object_notify (G_OBJECT (self), "store-loaded");
  mh_application_maybe_resume (self);
}

/* Makes @store (taken) the history and reads it, at once or, while the app
 * starts, after the first frame (mh_application_load_store). */
void
mh_application_set_store (MhApplication *self,
                          MhJobStore    *store)
{
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, write_failed_cb, self);

  g_clear_object (&self->store);
  self->store = store;
  g_ptr_array_add (self->stores, g_object_ref (store));
  g_signal_connect_object (store, "write-failed", G_CALLBACK (write_failed_cb), self, 0);

  self->store_loaded = FALSE;
  set_problems (self, NULL);
  g_object_notify (G_OBJECT (self), "store");
  g_object_notify (G_OBJECT (self), "store-loaded");

  if (!mh_application_startup_waits (self))
    mh_application_load_store (self);
}

void
mh_application_load_store (MhApplication *self)
{
  if (self->store == NULL || g_object_get_data (G_OBJECT (self->store), "mh-load-started") != NULL)
    return;

  g_object_set_data (G_OBJECT (self->store), "mh-load-started", GINT_TO_POINTER (TRUE));
  mh_startup_trace_mark ("history-load");
  mh_job_store_load_async (self->store, self->cancellable, store_loaded_cb, g_object_ref (self));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* The demo's history lives as long as the app. */
void
mh_application_remove_demo_store (MhApplication *self)
{
  if (self->demo_store_path == NULL)
    return;

  for (guint i = 0; self->stores != NULL && i < self->stores->len; i++)
    mh_job_store_flush (g_ptr_array_index (self->stores, i));
  remove_tree (self->demo_store_path);
  g_clear_pointer (&self->demo_store_path, g_free);
}

/* The jobs resumed at start, until each one either holds its record or
 * finds another process working on it (then it is left to that one). */
typedef struct
{
  MhApplication *self;
  guint          pending;
  guint          resumed;
  guint          n_retry;     /* left for the person to retry */
  gboolean       may_exist;   /* ...some of which may exist at Magic Hour */
} ResumeBatch;

/* Said once it is known what is resumed: first that, then what waits. */
static void
resume_batch_done (ResumeBatch *batch)
{
  MhApplication *self = batch->self;

  if (batch->resumed > 0)
    {
      g_autofree char *text =
        /* Where to look: History (the button), and the header's jobs list. */
        g_strdup_printf (ngettext ("Resuming %u job from last time: follow it in History",
                                   "Resuming %u jobs from last time: follow them in History",
                                   batch->resumed),
                         batch->resumed);
      AdwToast *toast = adw_toast_new (text);

      adw_toast_set_button_label (toast, _("Show _History"));
      adw_toast_set_action_name (toast, "win.show-history");
      mh_application_add_toast (self, toast);
    }

  if (batch->n_retry > 0)
    {
      guint n = batch->n_retry;
      g_autofree char *text = NULL;
      AdwToast *toast;

      /* Short: a toast is one line. The rows and the retry say more. */
      if (batch->may_exist)
        text = g_strdup_printf (ngettext ("%u job stopped while Magic Hour was creating it: see History",
                                          "%u jobs stopped while Magic Hour was creating them: see History",
                                          n),
                                n);
      else
        text = g_strdup_printf (ngettext ("%u job stopped before it reached Magic Hour: retry it from History",
                                          "%u jobs stopped before they reached Magic Hour: retry them from History",
                                          n),
                                n);
      toast = adw_toast_new (text);
      adw_toast_set_timeout (toast, 10);
      adw_toast_set_button_label (toast, _("Show _History"));
      adw_toast_set_action_name (toast, "win.show-history");
      mh_application_add_toast (self, toast);
    }

  g_object_unref (batch->self);
  g_free (batch);
}

static void
resumed_job_state_cb (MhJob       *job,
                      GParamSpec  *pspec,
                      ResumeBatch *batch)
{
  MhJobState state = mh_job_get_state (job);
  const GError *error = mh_job_get_error (job);

  if (state == MH_JOB_STATE_IDLE)
    return;

  g_signal_handlers_disconnect_by_func (job, resumed_job_state_cb, batch);
  if (state == MH_JOB_STATE_FAILED && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY))
    {
      guint position;

      /* Another window or the command-line tool follows it: not ours. */
      if (g_list_store_find (batch->self->jobs, job, &position))
        g_list_store_remove (batch->self->jobs, position);
    }
  else
    batch->resumed++;

  if (--batch->pending == 0)
    resume_batch_done (batch);
}

/* Once the history is read and a key is known, the jobs of last time that
 * have a project at Magic Hour are followed to their result; those that
 * never got one are offered for retry in History, never run unasked. */
void
mh_application_maybe_resume (MhApplication *self)
{
  g_autoptr(GPtrArray) records = NULL;
  ResumeBatch *batch;
  const char *base_url;
  GListModel *model;

  if (self->resumed || !self->store_loaded || mh_application_get_demo (self) ||
      !mh_application_get_has_key (self))
    return;
  self->resumed = TRUE;

  base_url = mh_client_get_base_url (self->client);
  model = mh_job_store_get_records (self->store);
  records = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (records, g_list_model_get_item (model, i));

  batch = g_new0 (ResumeBatch, 1);
  batch->self = g_object_ref (self);
  batch->pending = 1;

  for (guint i = 0; i < records->len; i++)
    {
      MhJobRecord *record = g_ptr_array_index (records, i);
      g_autoptr(MhJob) job = NULL;

      /* Made against another address (another account, the simulator):
       * asking this one about it would be wrong. */
      if (mh_job_record_get_running (record) ||
          g_strcmp0 (mh_job_record_get_api_base_url (record), base_url) != 0)
        continue;

      if (mh_job_record_needs_retry (record))
        {
          batch->n_retry++;
          batch->may_exist |= mh_job_record_may_exist (record);
          continue;
        }
      if (!mh_job_record_needs_resume (record))
        continue;

      job = mh_job_store_continue_job (self->store, self->client, record, FALSE);
      g_object_set_data (G_OBJECT (job), "mh-resumed", GINT_TO_POINTER (TRUE));
      batch->pending++;
      g_signal_connect (job, "notify::state", G_CALLBACK (resumed_job_state_cb), batch);
      mh_application_run_job (self, job);
    }

  if (--batch->pending == 0)
    resume_batch_done (batch);
}
