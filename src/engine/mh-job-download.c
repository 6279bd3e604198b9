/* mh-job-download.c: a job's results, saved to disk
 *
 * The download links of a complete project (asked for again before a GET
 * when they expire within a minute, and after a 403), each result streamed
 * to a temporary file and renamed into place under a free name, and the
 * record written as results are saved. Part of MhJob (mh-job-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mh-download.h"
#include "mh-error.h"
#include "mh-job-private.h"
#include "mh-params.h"
#include "mh-result-name.h"

static void
record_save_now (MhJob *self)
{
  self->record_saved_at = g_get_monotonic_time ();
  mh_job_store_save (self->store, self->record);
}

static gboolean
record_save_cb (gpointer user_data)
{
  MhJob *self = user_data;

  g_clear_pointer (&self->record_save, g_source_unref);
  if (self->claimed)
    record_save_now (self);
  return G_SOURCE_REMOVE;
}

void
mh_job_record_save_cancel (MhJob *self)
{
  if (self->record_save != NULL)
    g_source_destroy (self->record_save);
  g_clear_pointer (&self->record_save, g_source_unref);
}

/* The record lists a result just saved: on disk now if it was not written
 * for a while, else within RECORD_SAVE_INTERVAL_US (or when the job ends,
 * whichever comes first). */
static void
record_save_soon (MhJob *self)
{
  gint64 since = g_get_monotonic_time () - self->record_saved_at;

  if (!self->claimed || self->record_save != NULL)
    return;
  if (since >= RECORD_SAVE_INTERVAL_US)
    {
      record_save_now (self);
      return;
    }

  self->record_save = g_timeout_source_new ((RECORD_SAVE_INTERVAL_US - since) / 1000 + 1);
  g_source_set_callback (self->record_save, record_save_cb, self, NULL);
  g_source_attach (self->record_save, g_main_context_get_thread_default ());
}

/* More files than any tool makes cannot be right: refused before anything
 * is written, with the number, rather than filling the folder. */
static gboolean
check_download_count (MhJob     *self,
                      GPtrArray *urls)
{
  if (urls->len <= MH_PROJECT_MAX_DOWNLOADS)
    return TRUE;

  mh_job_fail (self, g_error_new (MH_ERROR, MH_ERROR_UNUSABLE,
               _("Magic Hour offered %u result files for project %s, more than the %u a job downloads, so nothing was downloaded. Contact Magic Hour support if the project really has that many."),
               urls->len, self->project_id, (guint) MH_PROJECT_MAX_DOWNLOADS));
  return FALSE;
}

static void
download_progress_cb (guint64  done,
                      guint64  total,
                      gpointer user_data)
{
  MhJob *self = user_data;
  guint n = self->download_urls->len;

  /* Several outputs: the total is only known file by file. */
  mh_job_set_bytes (self, self->download_base + done, self->download_base + total);
  if (n > 1)
    {
      g_autofree char *text = g_strdup_printf (_("Downloading result %u of %u…"),
                                               self->download_index + 1, n);
      mh_job_set_message (self, text);
    }
}

/* The download links of @project, and when each expires. */
static void
set_links (MhJob     *self,
           MhProject *project)
{
  g_clear_pointer (&self->download_urls, g_ptr_array_unref);
  g_clear_pointer (&self->download_expiry, g_array_unref);
  self->download_urls = g_ptr_array_ref (project->downloads);
  self->download_expiry = g_array_ref (project->download_expiry);
}

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  MhJob *self = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(MhProject) project = NULL;
  GError *error = NULL;

  node = mh_client_call_finish (self->client, result, &error);
  if (node != NULL)
    project = mh_project_parse (node, &error);
  if (project == NULL)
    {
      mh_job_fail (self, error);
      return;
    }

  if (project->downloads->len <= self->download_index)
    {
      mh_job_fail (self, g_error_new_literal (MH_ERROR, MH_ERROR_NOT_FOUND,
                   _("Magic Hour no longer offers this result for download. It may have been deleted.")));
      return;
    }

  if (!check_download_count (self, project->downloads))
    return;

  set_links (self, project);
  mh_job_download_next (self);
}

static void
refresh_urls (MhJob *self)
{
  g_autofree char *path = g_strconcat (mh_project_kind_to_path (self->tool->kind),
                                       self->project_id, NULL);

  self->links_renewed_for = self->download_index + 1;
  self->status_checks++;
  mh_client_call_async (self->client, "GET", path, NULL, MH_CALL_IDEMPOTENT,
                        _("Getting fresh download links"), self->cancellable,
                        refreshed_cb, self);
}

/* The project may hand out a cached link close to its end (CONTRACT.md,
 * section 4): one that has expired or will within this is asked for again
 * before its GET, rather than after its 403. */
#define LINK_MARGIN_US ((gint64) 60 * G_USEC_PER_SEC)

/* Whether the current result's link ends too soon to be used, and was not
 * just asked for again: a fresh answer with another such link is tried as
 * it is (and renewed after a 403 if it must be). */
static gboolean
link_needs_renewal (MhJob *self)
{
  gint64 expiry;

  if (self->download_expiry == NULL || self->download_index >= self->download_expiry->len ||
      self->links_renewed_for == self->download_index + 1)
    return FALSE;

  expiry = g_array_index (self->download_expiry, gint64, self->download_index);
  return expiry != 0 && expiry - g_get_real_time () < LINK_MARGIN_US;
}

static void
downloaded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  MhJob *self = user_data;
  g_autoptr(GFile) file = NULL;
  GError *error = NULL;

  file = mh_download_finish (result, &error);
  if (file == NULL)
    {
      /* Download URLs expire: the project hands out fresh ones. */
      mh_job_transfer_failed (self, error, refresh_urls, mh_job_download_next);
      return;
    }

  g_ptr_array_add (self->outputs, g_file_get_path (file));
  self->download_base = self->bytes_total;
  if (self->claimed)
    {
      mh_job_record_add_output_file (self->record, g_ptr_array_index (self->outputs, self->outputs->len - 1));
      record_save_soon (self);
    }
  self->download_index++;
  self->attempt = 0;
  mh_job_download_next (self);
}

void
mh_job_download_next (MhJob *self)
{
  g_autofree char *name = NULL;
  const char *url;

  if (self->download_index >= self->download_urls->len)
    {
      mh_job_done (self);
      return;
    }

  if (link_needs_renewal (self))
    {
      g_debug ("The link of result %u expires within a minute; renewing it", self->download_index + 1);
      refresh_urls (self);
      return;
    }

  /* Named after the job (mh-result-name.h says why not after the link). */
  url = g_ptr_array_index (self->download_urls, self->download_index);
  /* A job resumed or downloaded again has its inputs in its record only. */
  name = mh_result_name (self->tool,
                         self->record != NULL ? mh_job_record_get_params (self->record) : self->params,
                         url, self->project_id,
                         self->download_index, self->download_urls->len);
  mh_job_set_bytes (self, self->download_base, self->download_base);
  mh_download_async (self->client, url, self->output_dir, name,
                     self->record != NULL ? mh_job_record_get_id (self->record) : NULL,
                     download_progress_cb, self,
                     self->cancellable, downloaded_cb, self);
}

static void
make_dir_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GFile *dir = task_data;
  GError *error = NULL;

  /* Said plainly here, rather than as a failure to create a hidden file in it. */
  if (g_file_query_file_type (dir, G_FILE_QUERY_INFO_NONE, cancellable) == G_FILE_TYPE_REGULAR)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                               _("It is a file, not a folder. Choose a folder for the results."));
      return;
    }

  if (!g_file_make_directory_with_parents (dir, cancellable, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_error (&error);
  g_task_return_boolean (task, TRUE);
}

static void
made_dir_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  MhJob *self = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *name = g_file_get_parse_name (self->output_dir);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          GError *wrapped = g_error_new (error->domain, error->code,
                                         _("Could not create the folder “%s”: %s"),
                                         name, error->message);
          g_error_free (error);
          error = wrapped;
        }
      mh_job_fail (self, error);
      return;
    }

  mh_job_download_next (self);
}

void
mh_job_download_start (MhJob     *self,
                       MhProject *project)
{
  GTask *task;

  if (!check_download_count (self, project->downloads))
    return;

  set_links (self, project);
  self->links_renewed_for = 0;
  /* A resumed job skips what a killed run already saved. */
  self->download_index = MIN (self->download_skip, project->downloads->len);
  self->download_base = 0;
  self->attempt = 0;
  if (self->output_dir == NULL)
    self->output_dir = g_file_new_for_path (".");

  self->bytes_total = 0;
  mh_job_set_state (self, MH_JOB_STATE_DOWNLOADING, _("Downloading the result…"));
  self->record_saved_at = g_get_monotonic_time ();
  mh_job_set_bytes (self, 0, 0);

  task = g_task_new (NULL, self->cancellable, made_dir_cb, self);
  g_task_set_task_data (task, g_object_ref (self->output_dir), g_object_unref);
  g_task_run_in_thread (task, make_dir_thread);
  g_object_unref (task);
}
