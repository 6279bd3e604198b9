/* mh-job.c: one generation, from local files to results on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "mh-engine-enums.h"
#include "mh-error.h"
#include "mh-face-check.h"
#include "mh-job-private.h"
#include "mh-params.h"
#include "mh-project.h"
#include "mh-retry.h"
#include "mh-validate.h"


G_DEFINE_FINAL_TYPE (MhJob, mh_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_FRACTION,
  PROP_BYTES_DONE,
  PROP_BYTES_TOTAL,
  PROP_MESSAGE,
  PROP_PROJECT_ID,
  PROP_CREDITS_CHARGED,
  PROP_OUTPUT_FILES,
  PROP_ERROR,
  PROP_FACE_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];



static void
mh_job_finalize (GObject *object)
{
  MhJob *self = MH_JOB (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->params, g_hash_table_unref);
  g_clear_object (&self->output_dir);
  g_free (self->message);
  g_free (self->project_id);
  g_strfreev (self->output_files);
  g_clear_error (&self->error);
  g_free (self->bad_key);
  g_free (self->face_url);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->record);
  g_clear_pointer (&self->uploads, g_ptr_array_unref);
  g_clear_pointer (&self->assets, g_hash_table_unref);
  g_clear_pointer (&self->download_urls, g_ptr_array_unref);
  g_clear_pointer (&self->download_expiry, g_array_unref);
  g_clear_pointer (&self->outputs, g_ptr_array_unref);
  if (self->record_save != NULL)
    g_source_destroy (self->record_save);
  g_clear_pointer (&self->record_save, g_source_unref);

  G_OBJECT_CLASS (mh_job_parent_class)->finalize (object);
}

static void
mh_job_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  MhJob *self = MH_JOB (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_BYTES_DONE:
      g_value_set_uint64 (value, self->bytes_done);
      break;
    case PROP_BYTES_TOTAL:
      g_value_set_uint64 (value, self->bytes_total);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_PROJECT_ID:
      g_value_set_string (value, self->project_id);
      break;
    case PROP_CREDITS_CHARGED:
      g_value_set_int64 (value, self->credits_charged);
      break;
    case PROP_OUTPUT_FILES:
      g_value_set_boxed (value, self->output_files);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_FACE_URL:
      g_value_set_string (value, self->face_url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_job_class_init (MhJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = mh_job_finalize;
  object_class->get_property = mh_job_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, MH_TYPE_JOB_STATE, MH_JOB_STATE_IDLE, flags);
  /* Progress of the current stage, 0..1; -1 while it cannot be measured. */
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, -1, 1, -1, flags);
  properties[PROP_BYTES_DONE] =
    g_param_spec_uint64 ("bytes-done", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_BYTES_TOTAL] =
    g_param_spec_uint64 ("bytes-total", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL, flags);
  properties[PROP_PROJECT_ID] =
    g_param_spec_string ("project-id", NULL, NULL, NULL, flags);
  properties[PROP_CREDITS_CHARGED] =
    g_param_spec_int64 ("credits-charged", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_OUTPUT_FILES] =
    g_param_spec_boxed ("output-files", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, flags);
  /* The crop of the face the face check found in the photo (a URL), or NULL. */
  properties[PROP_FACE_URL] =
    g_param_spec_string ("face-url", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mh_job_init (MhJob *self)
{
  self->wait = TRUE;
  self->download = TRUE;
  self->face_check = TRUE;
  self->fraction = -1;
  self->credits_charged = -1;
  self->state_since = g_get_monotonic_time ();
  self->outputs = g_ptr_array_new_with_free_func (g_free);
}

MhJob *
mh_job_new (MhClient     *client,
            const MhTool *tool,
            GHashTable   *params)
{
  MhJob *self;

  g_return_val_if_fail (MH_IS_CLIENT (client), NULL);
  g_return_val_if_fail (tool != NULL, NULL);

  self = g_object_new (MH_TYPE_JOB, NULL);
  self->client = g_object_ref (client);
  self->tool = tool;
  self->params = mh_params_copy (params);

  return self;
}

MhJob *
mh_job_new_for_project (MhClient     *client,
                        const MhTool *tool,
                        const char   *project_id)
{
  MhJob *self = mh_job_new (client, tool, NULL);

  self->project_id = g_strdup (project_id);
  return self;
}

void
mh_job_set_output_dir (MhJob *self,
                       GFile *dir)
{
  g_return_if_fail (MH_IS_JOB (self));
  g_set_object (&self->output_dir, dir);
}

void
mh_job_set_wait (MhJob    *self,
                 gboolean  wait)
{
  g_return_if_fail (MH_IS_JOB (self));
  self->wait = wait;
}

void
mh_job_set_download (MhJob    *self,
                     gboolean  download)
{
  g_return_if_fail (MH_IS_JOB (self));
  self->download = download;
}

void
mh_job_set_face_check (MhJob    *self,
                       gboolean  face_check)
{
  g_return_if_fail (MH_IS_JOB (self));
  self->face_check = face_check;
}

/* ------------------------------------------------------------------------ */
/* State                                                                    */

void
mh_job_set_message (MhJob      *self,
                    const char *message)
{
  if (g_strcmp0 (self->message, message) == 0)
    return;

  g_free (self->message);
  self->message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

static void
set_fraction (MhJob  *self,
              double  fraction)
{
  if (self->fraction == fraction)
    return;

  self->fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

void
mh_job_set_state (MhJob      *self,
                  MhJobState  state,
                  const char *message)
{
  g_object_freeze_notify (G_OBJECT (self));

  if (self->state != state)
    {
      self->state = state;
      self->state_since = g_get_monotonic_time ();
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);

      /* The finished states are written when the lock is given back. */
      if (self->claimed && !mh_job_state_is_finished (state))
        {
          mh_job_record_set_state (self->record, state);
          mh_job_store_save (self->store, self->record);
        }
    }
  mh_job_set_message (self, message);

  if (state != MH_JOB_STATE_UPLOADING && state != MH_JOB_STATE_DOWNLOADING)
    set_fraction (self, state == MH_JOB_STATE_DONE ? 1.0 : -1.0);

  g_object_thaw_notify (G_OBJECT (self));
}

/* Byte progress is throttled to a thousandth of the total, so a 1 GiB
 * transfer wakes the UI a thousand times, not a hundred thousand. */
void
mh_job_set_bytes (MhJob   *self,
                  guint64  done,
                  guint64  total)
{
  gboolean total_changed = self->bytes_total != total;
  guint64 step = total / 1000;

  if (!total_changed && done != total && done < self->bytes_done + step && done >= self->bytes_done)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  self->bytes_done = done;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_DONE]);
  if (total_changed)
    {
      self->bytes_total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_TOTAL]);
    }
  set_fraction (self, total > 0 ? MIN (1.0, (double) done / total) : -1.0);
  g_object_thaw_notify (G_OBJECT (self));
}

void
mh_job_set_project (MhJob      *self,
                    const char *project_id,
                    gint64      credits)
{
  if (project_id != NULL && g_strcmp0 (self->project_id, project_id) != 0)
    {
      g_free (self->project_id);
      self->project_id = g_strdup (project_id);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT_ID]);
    }
  if (credits >= 0 && credits != self->credits_charged)
    {
      self->credits_charged = credits;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREDITS_CHARGED]);
    }
  if (self->claimed)
    mh_job_record_set_project (self->record, self->project_id, self->credits_charged);
}

/* Runs @next once the record is on disk as it is now: before the create is
 * sent (a killed process then knows a project may exist) and once the
 * project ID is known (so it is never created again). */
static void
checkpoint_saved_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  MhJob *self = user_data;
  void (*next) (MhJob *) = g_object_get_data (G_OBJECT (self), "checkpoint-next");
  g_autoptr(GError) error = NULL;

  /* Not being able to write the history does not stop the job; the store
   * reports it once. */
  if (!mh_job_store_save_finish (MH_JOB_STORE (source), result, &error))
    g_debug ("%s", error->message);

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      mh_job_fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Canceled")));
      return;
    }
  next (self);
}

static void
checkpoint (MhJob  *self,
            void  (*next) (MhJob *self))
{
  if (!self->claimed)
    {
      next (self);
      return;
    }
  g_object_set_data (G_OBJECT (self), "checkpoint-next", next);
  mh_job_store_save_async (self->store, self->record, NULL, checkpoint_saved_cb, self);
}

static void
released_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = g_object_steal_data (G_OBJECT (task), "job-error");
  g_autoptr(GError) write_error = NULL;

  if (!mh_job_store_release_finish (MH_JOB_STORE (source), result, &write_error))
    g_debug ("%s", write_error->message);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Returns @task (taken) with @error (taken; NULL: success), once the record
 * says how the job ended and its lock is given back. An interrupted job's
 * record keeps the step it was in, so it is resumed later. */
static void
job_finish_cuts_removed (MhJob  *self,
                         GTask  *task,
                         GError *error)
{
  if (!self->claimed)
    {
      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  /* The release writes the record, results saved so far included. */
  mh_job_record_save_cancel (self);
  self->claimed = FALSE;
  if (!self->interrupting)
    {
      mh_job_record_set_state (self->record, self->state);
      mh_job_record_set_error (self->record, error);
    }
  if (error != NULL)
    g_object_set_data_full (G_OBJECT (task), "job-error", error, (GDestroyNotify) g_error_free);
  mh_job_store_release_async (self->store, self->record, released_cb, task);
}

/* The same, once the files cut for the uploads are gone. */
static void
job_finish (MhJob  *self,
            GTask  *task,
            GError *error)
{
  mh_job_upload_remove_cuts (self, task, error, job_finish_cuts_removed);
}

/* Ends the run with @error (taken). */
void
mh_job_fail (MhJob  *self,
             GError *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_clear_error (&self->error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->error = g_error_copy (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
      const char *message;

      if (self->interrupting && self->record != NULL && self->project_id != NULL)
        message = _("Interrupted. The render goes on at Magic Hour; the job is picked up where it stopped next time.");
      else if (self->interrupting && self->record != NULL && self->create_sent)
        message = _("Interrupted while the job was being created: it may exist at Magic Hour and be charged. Check your Magic Hour library before running it again.");
      else if (self->interrupting && self->record != NULL)
        message = _("Interrupted before Magic Hour received the job. Nothing was charged; it can be run again.");
      else if (self->project_id != NULL)
        message = _("Canceled. A render already started at Magic Hour may still finish and be charged.");
      else if (self->create_sent)
        message = _("Canceled while the job was being created: it may exist at Magic Hour and be charged. Check your Magic Hour library.");
      else
        message = _("Canceled. Nothing was sent to Magic Hour for rendering.");
      mh_job_set_state (self, MH_JOB_STATE_CANCELED, message);
    }
  else
    {
      self->error = g_error_copy (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
      mh_job_set_state (self, MH_JOB_STATE_FAILED, error->message);
    }

  job_finish (self, g_steal_pointer (&task), error);
}

void
mh_job_done (MhJob *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  const char *message;

  g_strfreev (self->output_files);
  g_ptr_array_add (self->outputs, NULL);
  self->output_files = g_strdupv ((char **) self->outputs->pdata);
  g_ptr_array_remove_index (self->outputs, self->outputs->len - 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTPUT_FILES]);

  if (self->outputs->len > 0)
    message = _("Done. The result is saved.");
  else if (!self->wait)
    message = _("The job was created and is rendering at Magic Hour.");
  else
    message = _("Done. The result is ready at Magic Hour.");
  mh_job_set_state (self, MH_JOB_STATE_DONE, message);

  job_finish (self, g_steal_pointer (&task), NULL);
}

/* ------------------------------------------------------------------------ */
/* Transfers                                                                */


static void
retry_slept_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  MhJob *self = user_data;
  GError *error = NULL;

  if (!mh_sleep_finish (result, &error))
    mh_job_fail (self, error);
  else
    self->retry_step (self);
}

/* What a failed upload or download does next (@error is taken): renew an
 * expired link, wait and try again after a transient failure, or give up. */
void
mh_job_transfer_failed (MhJob   *self,
                        GError  *error,
                        JobStep  renew,
                        JobStep  again)
{
  gboolean more = ++self->attempt < mh_client_get_max_attempts (self->client);

  if (more && g_error_matches (error, MH_ERROR, MH_ERROR_EXPIRED))
    {
      g_debug ("%s; renewing the link", error->message);
      g_error_free (error);
      renew (self);
      return;
    }

  if (more && mh_error_is_transient (error))
    {
      g_debug ("%s; trying again", error->message);
      g_error_free (error);
      self->retry_step = again;
      mh_sleep_async (mh_client_backoff (self->client, self->attempt - 1), self->cancellable,
                      retry_slept_cb, self);
      return;
    }

  if (g_error_matches (error, MH_ERROR, MH_ERROR_NOT_FOUND) && self->project_id != NULL)
    {
      GError *wrapped = g_error_new (MH_ERROR, MH_ERROR_NOT_FOUND,
                                     _("The result file is no longer on Magic Hour's storage (HTTP 404). Download it again from its project (ID %s); if it is still missing, it was deleted at Magic Hour."),
                                     self->project_id);
      g_error_free (error);
      error = wrapped;
    }
  else if (g_error_matches (error, MH_ERROR, MH_ERROR_EXPIRED) && self->project_id != NULL)
    {
      GError *wrapped = g_error_new (MH_ERROR, MH_ERROR_EXPIRED,
                                     _("The download links kept expiring before the result could be saved. Try again later: the project ID is %s."),
                                     self->project_id);
      g_error_free (error);
      error = wrapped;
    }
  else if (g_error_matches (error, MH_ERROR, MH_ERROR_EXPIRED))
    {
      GError *wrapped = g_error_new_literal (MH_ERROR, MH_ERROR_EXPIRED,
                                             _("The upload links kept expiring before the files were sent. Check your connection and try again."));
      g_error_free (error);
      error = wrapped;
    }

  mh_job_fail (self, error);
}

/* ------------------------------------------------------------------------ */
/* Creating                                                                 */

static void poll_after_create (MhJob *self);

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  MhJob *self = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  JsonObject *object;
  const char *id = NULL;
  gint64 credits = -1;

  node = mh_client_call_finish (self->client, result, &error);
  if (node == NULL)
    {
      GError *named = mh_error_name_plan_option (error, self->tool, self->params);

      if (error == NULL)
        error = g_error_new_literal (MH_ERROR, MH_ERROR_AMBIGUOUS_CREATE,
                                     _("Magic Hour's answer to the create had no project ID. Check your Magic Hour library before trying again."));
      /* A refusal of the plan names the option that needs a higher one. */
      if (named != NULL)
        {
          g_error_free (error);
          error = named;
        }
      mh_job_fail (self, error);
      return;
    }

  object = json_node_get_object (node);
  if (json_object_has_member (object, "id") &&
      json_node_get_value_type (json_object_get_member (object, "id")) == G_TYPE_STRING)
    id = json_object_get_string_member (object, "id");
  if (json_object_has_member (object, "credits_charged") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "credits_charged")))
    credits = json_object_get_int_member (object, "credits_charged");

  if (id == NULL || *id == '\0')
    {
      mh_job_fail (self, g_error_new_literal (MH_ERROR, MH_ERROR_AMBIGUOUS_CREATE,
                   _("Magic Hour's answer to the create had no project ID. Check your Magic Hour library before trying again.")));
      return;
    }

  mh_job_set_project (self, id, credits);

  if (!self->wait)
    {
      mh_job_done (self);
      return;
    }

  checkpoint (self, poll_after_create);
}

static void
poll_after_create (MhJob *self)
{
  mh_job_poll_start (self, self->tool->poll.first * mh_client_get_poll_scale (self->client));
}

static void
create_send (MhJob *self)
{
  g_autoptr(GHashTable) params = mh_job_upload_body_params (self);
  g_autoptr(JsonNode) body = mh_params_build_body (self->tool, params, self->assets);

  self->create_sent = TRUE;
  mh_client_call_async (self->client, "POST", self->tool->endpoint, body, MH_CALL_CREATE,
                        _("Creating the job"), self->cancellable, created_cb, self);
}

/* Checking the photo for a face (mh-face-check.c): before the create, as
 * nothing is charged yet. A failure keeps the job's state: it is run again
 * from the start, check included. */

static void
face_checked_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  MhJob *self = user_data;
  g_auto(GStrv) urls = NULL;
  GError *error = NULL;

  if (!mh_face_check_finish (result, &urls, &error))
    {
      mh_job_fail (self, error);
      return;
    }

  self->face_checked = TRUE;
  if (urls != NULL && (error = mh_face_check_verdict (self->tool, g_strv_length (urls))) != NULL)
    {
      g_free (self->bad_key);
      self->bad_key = g_strdup (mh_face_check_slot (self->tool));
      mh_job_fail (self, error);
      return;
    }
  if (urls != NULL && urls[0] != NULL && *urls[0] != '\0')
    {
      g_free (self->face_url);
      self->face_url = g_strdup (urls[0]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FACE_URL]);
    }

  mh_job_create_start (self);
}

static gboolean
face_check_start (MhJob *self)
{
  const char *key = mh_face_check_slot (self->tool);
  const char *target = NULL;

  if (!self->face_check || self->face_checked || key == NULL)
    return FALSE;
  if (self->assets != NULL)
    target = g_hash_table_lookup (self->assets, key);
  if (target == NULL)
    target = mh_params_get (self->params, key);
  if (target == NULL)
    return FALSE;

  mh_job_set_message (self, _("Looking for a face in the photo…"));
  set_fraction (self, -1);
  mh_face_check_async (self->client, target, self->cancellable, face_checked_cb, self);
  return TRUE;
}

void
mh_job_create_start (MhJob *self)
{
  if (face_check_start (self))
    return;

  mh_job_set_state (self, MH_JOB_STATE_CREATING, _("Creating the job…"));
  checkpoint (self, create_send);
}

/* ------------------------------------------------------------------------ */
/* Validating                                                               */

static void
validated_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  MhJob *self = user_data;
  GError *error = NULL;

  g_clear_pointer (&self->bad_key, g_free);
  if (!mh_validate_finish (result, &self->bad_key, &error))
    {
      mh_job_fail (self, error);
      return;
    }

  if (!mh_client_check_ready (self->client, &error))
    {
      mh_job_fail (self, error);
      return;
    }

  mh_job_upload_start (self);
}

static void
run_start (MhJob *self)
{
  if (self->project_id != NULL)
    {
      GError *error = NULL;

      if (!mh_client_check_ready (self->client, &error))
        {
          mh_job_fail (self, error);
          return;
        }
      mh_job_poll_start (self, 0);
      return;
    }

  mh_job_set_state (self, MH_JOB_STATE_VALIDATING, _("Checking the inputs…"));
  mh_validate_async (self->tool, self->params, self->cancellable, validated_cb, self);
}

static void
swept_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  MhJob *self = user_data;

  mh_job_store_sweep_parts_finish (MH_JOB_STORE (source), result, NULL);
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      mh_job_fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Canceled")));
      return;
    }
  run_start (self);
}

static void
claimed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  MhJob *self = user_data;
  GError *error = NULL;
  const char *record_project;

  if (!mh_job_store_claim_finish (MH_JOB_STORE (source), result, &error))
    {
      mh_job_fail (self, error);
      return;
    }
  self->claimed = TRUE;

  /* The record, as on disk now, knows best: a job whose project was
   * created by a run that died is followed, never created again. */
  record_project = mh_job_record_get_project_id (self->record);
  if (record_project != NULL && g_strcmp0 (record_project, self->project_id) != 0)
    {
      g_free (self->project_id);
      self->project_id = g_strdup (record_project);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT_ID]);
    }
  if (self->project_id != NULL && self->credits_charged < 0 &&
      mh_job_record_get_credits (self->record) >= 0)
    {
      self->credits_charged = mh_job_record_get_credits (self->record);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREDITS_CHARGED]);
    }

  if (self->output_dir == NULL)
    self->output_dir = g_file_new_for_path (".");
  {
    g_autofree char *dir = g_file_get_path (self->output_dir);
    mh_job_record_set_output_dir (self->record, dir);
  }
  mh_job_record_set_api_base_url (self->record, mh_client_get_base_url (self->client));
  mh_job_record_set_error (self->record, NULL);

  /* Results a killed run saved are kept, and not downloaded twice, unless
   * asked for again (the record on disk still lists them until now). */
  if (self->download_again)
    mh_job_record_clear_output_files (self->record);
  self->download_skip = 0;
  if (self->project_id != NULL)
    {
      const char *const *saved = mh_job_record_get_output_files (self->record);

      for (; saved[self->download_skip] != NULL; self->download_skip++)
        g_ptr_array_add (self->outputs, g_strdup (saved[self->download_skip]));
    }
  mh_job_record_set_state (self->record, self->project_id != NULL ? MH_JOB_STATE_QUEUED
                                                                  : MH_JOB_STATE_VALIDATING);
  mh_job_store_save (self->store, self->record);
  mh_job_store_sweep_parts_async (self->store, self->record, self->cancellable, swept_cb, self);
}

void
mh_job_run_async (MhJob               *self,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_return_if_fail (MH_IS_JOB (self));
  g_return_if_fail (self->task == NULL);

  g_clear_object (&self->cancellable);
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();

  /* The task holds the job alive until it finishes. */
  self->task = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_source_tag (self->task, mh_job_run_async);

  g_clear_error (&self->error);
  g_ptr_array_set_size (self->outputs, 0);
  self->interrupting = FALSE;

  if (self->record != NULL)
    {
      mh_job_store_claim_async (self->store, self->record, self->cancellable, claimed_cb, self);
      return;
    }

  run_start (self);
}

gboolean
mh_job_run_finish (MhJob         *self,
                   GAsyncResult  *result,
                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
mh_job_set_record (MhJob       *self,
                   MhJobStore  *store,
                   MhJobRecord *record)
{
  g_return_if_fail (MH_IS_JOB (self));
  g_return_if_fail (self->task == NULL);

  g_set_object (&self->store, store);
  g_set_object (&self->record, record);
  if (record != NULL && self->output_dir == NULL && mh_job_record_get_output_dir (record) != NULL)
    self->output_dir = g_file_new_for_path (mh_job_record_get_output_dir (record));
}

MhJobRecord *
mh_job_get_record (MhJob *self)
{
  g_return_val_if_fail (MH_IS_JOB (self), NULL);
  return self->record;
}

guint
mh_jobs_count_running (GListModel *jobs,
                       const char *tool_id)
{
  guint n, count = 0;

  g_return_val_if_fail (jobs == NULL || G_IS_LIST_MODEL (jobs), 0);

  n = jobs != NULL ? g_list_model_get_n_items (jobs) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MhJob) job = g_list_model_get_item (jobs, i);

      if (!mh_job_state_is_finished (job->state) &&
          (tool_id == NULL || g_strcmp0 (job->tool->id, tool_id) == 0))
        count++;
    }
  return count;
}

char *
mh_job_dup_title (MhJob *self)
{
  g_return_val_if_fail (MH_IS_JOB (self), NULL);

  if (self->record != NULL)
    return g_strdup (mh_job_record_get_title (self->record));
  return mh_job_record_title_for_params (self->tool, self->params);
}

void
mh_job_set_download_again (MhJob    *self,
                           gboolean  download_again)
{
  g_return_if_fail (MH_IS_JOB (self));
  g_return_if_fail (self->task == NULL);

  self->download_again = !!download_again;
}

void
mh_job_interrupt (MhJob *self)
{
  g_return_if_fail (MH_IS_JOB (self));

  self->interrupting = TRUE;
  mh_job_cancel (self);
}

void
mh_job_cancel (MhJob *self)
{
  g_return_if_fail (MH_IS_JOB (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* ------------------------------------------------------------------------ */
/* Accessors                                                                */

const MhTool *mh_job_get_tool (MhJob *self) { return self->tool; }
GHashTable *mh_job_get_params (MhJob *self) { return self->params; }
MhJobState mh_job_get_state (MhJob *self) { return self->state; }
double mh_job_get_fraction (MhJob *self) { return self->fraction; }
guint64 mh_job_get_bytes_done (MhJob *self) { return self->bytes_done; }
guint64 mh_job_get_bytes_total (MhJob *self) { return self->bytes_total; }
const char *mh_job_get_message (MhJob *self) { return self->message; }
const char *mh_job_get_project_id (MhJob *self) { return self->project_id; }
gint64 mh_job_get_credits_charged (MhJob *self) { return self->credits_charged; }
const char *const *mh_job_get_output_files (MhJob *self) { return (const char *const *) self->output_files; }
const GError *mh_job_get_error (MhJob *self) { return self->error; }
const char *mh_job_get_bad_key (MhJob *self) { return self->bad_key; }
const char *mh_job_get_face_url (MhJob *self) { return self->face_url; }
gint64 mh_job_get_state_since (MhJob *self) { return self->state_since; }
gboolean mh_job_get_create_sent (MhJob *self) { return self->create_sent; }
guint mh_job_get_status_checks (MhJob *self) { return self->status_checks; }

const char *
mh_job_state_to_string (MhJobState state)
{
  static const char *names[] = {
    "idle", "validating", "uploading", "creating", "queued", "rendering",
    "downloading", "done", "failed", "canceled",
  };

  g_return_val_if_fail (state < G_N_ELEMENTS (names), "unknown");
  return names[state];
}

gboolean
mh_job_state_is_finished (MhJobState state)
{
  return state == MH_JOB_STATE_DONE || state == MH_JOB_STATE_FAILED ||
         state == MH_JOB_STATE_CANCELED;
}
