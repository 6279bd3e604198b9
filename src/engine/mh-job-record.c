/* mh-job-record.c: what the job store remembers of one job
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mh-engine-enums.h"
#include "mh-error.h"
#include "mh-job-record-private.h"
#include "mh-params.h"
#include "mh-result-name.h"


G_DEFINE_FINAL_TYPE (MhJobRecord, mh_job_record, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_PROJECT_ID,
  PROP_CREDITS,
  PROP_UPDATED,
  PROP_OUTPUT_FILES,
  PROP_ERROR_MESSAGE,
  PROP_DELETED,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mh_job_record_finalize (GObject *object)
{
  MhJobRecord *self = MH_JOB_RECORD (object);

  g_free (self->id);
  g_free (self->name);
  g_clear_pointer (&self->params, g_hash_table_unref);
  g_free (self->api_base_url);
  g_free (self->project_id);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->updated, g_date_time_unref);
  g_free (self->output_dir);
  g_clear_pointer (&self->output_files, g_ptr_array_unref);
  g_free (self->error_message);
  g_free (self->error_domain);

  G_OBJECT_CLASS (mh_job_record_parent_class)->finalize (object);
}

static void
mh_job_record_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MhJobRecord *self = MH_JOB_RECORD (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PROJECT_ID:
      g_value_set_string (value, self->project_id);
      break;
    case PROP_CREDITS:
      g_value_set_int64 (value, self->credits);
      break;
    case PROP_UPDATED:
      g_value_set_boxed (value, self->updated);
      break;
    case PROP_OUTPUT_FILES:
      g_value_set_boxed (value, self->output_files->pdata);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_DELETED:
      g_value_set_boolean (value, self->deleted);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_job_record_class_init (MhJobRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = mh_job_record_finalize;
  object_class->get_property = mh_job_record_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, MH_TYPE_JOB_STATE, MH_JOB_STATE_IDLE, flags);
  properties[PROP_PROJECT_ID] =
    g_param_spec_string ("project-id", NULL, NULL, NULL, flags);
  properties[PROP_CREDITS] =
    g_param_spec_int64 ("credits", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_UPDATED] =
    g_param_spec_boxed ("updated", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_OUTPUT_FILES] =
    g_param_spec_boxed ("output-files", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL, flags);
  properties[PROP_DELETED] =
    g_param_spec_boolean ("deleted", NULL, NULL, FALSE, flags);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mh_job_record_init (MhJobRecord *self)
{
  self->credits = -1;
  self->output_files = g_ptr_array_new_null_terminated (1, g_free, TRUE);
}

/* Every string a record keeps is UTF-8, except paths (file names, in the
 * file system's bytes), so its file is always text the loader takes back:
 * text from elsewhere (an error message naming a file, an address, an ID
 * from an answer) is made valid here, and paths are written as
 * mh_path_to_text() gives them. */
char *
mh_job_record_text_dup (const char *text)
{
  if (text == NULL || g_utf8_validate (text, -1, NULL))
    return g_strdup (text);
  return g_utf8_make_valid (text, -1);
}

static void
touch (MhJobRecord *self)
{
  g_clear_pointer (&self->updated, g_date_time_unref);
  self->updated = g_date_time_new_now_utc ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED]);
}

/* The name a person recognizes the job by: the name its first input goes
 * by (the same its result file is named after), else the tool's. */
static char *
name_for_params (const MhTool *tool,
                 GHashTable   *params)
{
  char *stem = mh_result_input_stem (tool, params);

  return stem != NULL ? stem : g_strdup (_(tool->name));
}

MhJobRecord *
mh_job_record_new (const MhTool *tool,
                   GHashTable   *params)
{
  MhJobRecord *self;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (tool != NULL, NULL);

  self = g_object_new (MH_TYPE_JOB_RECORD, NULL);
  self->id = g_uuid_string_random ();
  self->tool = tool;
  self->params = mh_params_new ();
  self->created = g_date_time_new_now_utc ();
  self->updated = g_date_time_ref (self->created);

  /* Absolute paths, so running it again works from any folder. */
  if (params != NULL)
    {
      g_hash_table_iter_init (&iter, params);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_autofree char *text = NULL;

          if (mh_tool_find_slot (tool, key) != NULL &&
              mh_asset_value_classify (value) == MH_ASSET_VALUE_FILE)
            {
              g_autoptr(GFile) file = mh_asset_value_get_file (value);
              g_autofree char *path = g_file_get_path (file);

              if (path != NULL)
                {
                  mh_params_set (self->params, key, path);
                  continue;
                }
            }
          text = mh_job_record_text_dup (value);
          mh_params_set (self->params, key, text);
        }
    }
  self->name = name_for_params (tool, self->params);

  return self;
}

/* ------------------------------------------------------------------------ */
/* Accessors                                                                */

const char *mh_job_record_get_id (MhJobRecord *self) { return self->id; }
const MhTool *mh_job_record_get_tool (MhJobRecord *self) { return self->tool; }
const char *mh_job_record_get_name (MhJobRecord *self) { return self->name; }

const char *
mh_job_record_get_title (MhJobRecord *self)
{
  const char *name = mh_params_get (self->params, "name");

  return name != NULL && *name != '\0' ? name : self->name;
}

char *
mh_job_record_title_for_params (const MhTool *tool,
                                GHashTable   *params)
{
  const char *name = mh_params_get (params, "name");

  g_return_val_if_fail (tool != NULL, NULL);

  return name != NULL && *name != '\0' ? g_strdup (name) : name_for_params (tool, params);
}
GHashTable *mh_job_record_get_params (MhJobRecord *self) { return self->params; }
const char *mh_job_record_get_api_base_url (MhJobRecord *self) { return self->api_base_url; }
MhJobState mh_job_record_get_state (MhJobRecord *self) { return self->state; }
const char *mh_job_record_get_project_id (MhJobRecord *self) { return self->project_id; }
gint64 mh_job_record_get_credits (MhJobRecord *self) { return self->credits; }
GDateTime *mh_job_record_get_created (MhJobRecord *self) { return self->created; }
GDateTime *mh_job_record_get_updated (MhJobRecord *self) { return self->updated; }
const char *mh_job_record_get_output_dir (MhJobRecord *self) { return self->output_dir; }
const char *const *mh_job_record_get_output_files (MhJobRecord *self) { return (const char *const *) self->output_files->pdata; }
const char *mh_job_record_get_error_message (MhJobRecord *self) { return self->error_message; }
gboolean mh_job_record_get_deleted (MhJobRecord *self) { return self->deleted; }
gboolean mh_job_record_get_running (MhJobRecord *self) { return self->running; }

void
mh_job_record_set_api_base_url (MhJobRecord *self,
                                const char  *base_url)
{
  g_return_if_fail (MH_IS_JOB_RECORD (self));
  g_free (self->api_base_url);
  self->api_base_url = mh_job_record_text_dup (base_url);
}

void
mh_job_record_set_state (MhJobRecord *self,
                         MhJobState   state)
{
  g_return_if_fail (MH_IS_JOB_RECORD (self));

  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  touch (self);
}

void
mh_job_record_set_project (MhJobRecord *self,
                           const char  *project_id,
                           gint64       credits)
{
  g_autofree char *id = NULL;

  g_return_if_fail (MH_IS_JOB_RECORD (self));

  id = mh_job_record_text_dup (project_id);
  if (g_strcmp0 (self->project_id, id) != 0)
    {
      g_free (self->project_id);
      self->project_id = g_steal_pointer (&id);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT_ID]);
      touch (self);
    }
  if (credits != self->credits && (credits >= 0 || project_id == NULL))
    {
      self->credits = credits;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREDITS]);
    }
}

void
mh_job_record_set_output_dir (MhJobRecord *self,
                              const char  *path)
{
  g_return_if_fail (MH_IS_JOB_RECORD (self));
  g_free (self->output_dir);
  self->output_dir = g_strdup (path);
}

void
mh_job_record_add_output_file (MhJobRecord *self,
                               const char  *path)
{
  g_return_if_fail (MH_IS_JOB_RECORD (self));
  g_return_if_fail (path != NULL);

  g_ptr_array_add (self->output_files, g_strdup (path));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTPUT_FILES]);
  touch (self);
}

void
mh_job_record_clear_output_files (MhJobRecord *self)
{
  g_return_if_fail (MH_IS_JOB_RECORD (self));

  if (self->output_files->len == 0)
    return;
  g_ptr_array_set_size (self->output_files, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTPUT_FILES]);
  touch (self);
}

void
mh_job_record_set_error (MhJobRecord  *self,
                         const GError *error)
{
  g_return_if_fail (MH_IS_JOB_RECORD (self));

  if (error == NULL && self->error_message == NULL)
    return;
  g_free (self->error_message);
  g_free (self->error_domain);
  self->error_message = error != NULL ? mh_job_record_text_dup (error->message) : NULL;
  self->error_domain = error != NULL ? mh_job_record_text_dup (g_quark_to_string (error->domain)) : NULL;
  self->error_code = error != NULL ? error->code : 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
  touch (self);
}

void
mh_job_record_set_deleted (MhJobRecord *self,
                           gboolean     deleted)
{
  g_return_if_fail (MH_IS_JOB_RECORD (self));

  if (self->deleted == !!deleted)
    return;
  self->deleted = !!deleted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELETED]);
  touch (self);
}

void
mh_job_record_set_running (MhJobRecord *self,
                           gboolean     running)
{
  g_return_if_fail (MH_IS_JOB_RECORD (self));

  if (self->running == !!running)
    return;
  self->running = !!running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* ------------------------------------------------------------------------ */
/* What happened to it                                                      */

/* A failure that says nothing about the project itself: the network, the
 * server or expired links. The project may well have finished meanwhile. */
static gboolean
error_is_passing (MhJobRecord *self)
{
  if (self->error_domain == NULL || !g_str_equal (self->error_domain, g_quark_to_string (MH_ERROR)))
    return self->error_domain == NULL || !g_str_equal (self->error_domain, "g-io-error-quark") ||
           self->error_code != G_IO_ERROR_CANCELLED;

  switch (self->error_code)
    {
    case MH_ERROR_RATE_LIMITED:
    case MH_ERROR_SERVER:
    case MH_ERROR_NETWORK:
    case MH_ERROR_MALFORMED:
    case MH_ERROR_TIMED_OUT:
    case MH_ERROR_EXPIRED:
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
mh_job_record_needs_resume (MhJobRecord *self)
{
  g_return_val_if_fail (MH_IS_JOB_RECORD (self), FALSE);

  if (self->project_id == NULL || self->deleted || self->output_files->len > 0)
    return FALSE;

  switch (self->state)
    {
    case MH_JOB_STATE_CREATING:
    case MH_JOB_STATE_QUEUED:
    case MH_JOB_STATE_RENDERING:
    case MH_JOB_STATE_DOWNLOADING:
      return TRUE;
    case MH_JOB_STATE_FAILED:
      return error_is_passing (self);
    default:
      return FALSE;
    }
}

gboolean
mh_job_record_needs_retry (MhJobRecord *self)
{
  g_return_val_if_fail (MH_IS_JOB_RECORD (self), FALSE);

  return self->project_id == NULL &&
         (self->state == MH_JOB_STATE_IDLE ||
          self->state == MH_JOB_STATE_VALIDATING ||
          self->state == MH_JOB_STATE_UPLOADING ||
          self->state == MH_JOB_STATE_CREATING);
}

gboolean
mh_job_record_may_exist (MhJobRecord *self)
{
  g_return_val_if_fail (MH_IS_JOB_RECORD (self), FALSE);
  return self->project_id == NULL && self->state == MH_JOB_STATE_CREATING;
}

char *
mh_job_record_describe_status (MhJobRecord *self)
{
  g_return_val_if_fail (MH_IS_JOB_RECORD (self), NULL);

  if (self->running)
    {
      switch (self->state)
        {
        case MH_JOB_STATE_UPLOADING: return g_strdup (_("Uploading"));
        case MH_JOB_STATE_CREATING: return g_strdup (_("Creating"));
        case MH_JOB_STATE_QUEUED: return g_strdup (_("Queued"));
        case MH_JOB_STATE_RENDERING: return g_strdup (_("Rendering"));
        case MH_JOB_STATE_DOWNLOADING: return g_strdup (_("Downloading"));
        case MH_JOB_STATE_DONE:
        case MH_JOB_STATE_FAILED:
        case MH_JOB_STATE_CANCELED:
          break;
        case MH_JOB_STATE_IDLE:
        case MH_JOB_STATE_VALIDATING:
        default:
          return g_strdup (_("Starting"));
        }
    }

  if (self->state == MH_JOB_STATE_DONE)
    {
      if (self->deleted)
        return g_strdup (_("Done, deleted at Magic Hour"));
      if (self->output_files->len == 0)
        return g_strdup (_("Done, not downloaded"));
      return g_strdup (_("Done"));
    }
  if (self->deleted)
    return g_strdup (_("Deleted at Magic Hour"));
  if (mh_job_record_needs_resume (self))
    {
      /* A record may say it failed without saying why ("error": null). */
      if (self->state == MH_JOB_STATE_FAILED && self->error_message != NULL)
        return g_strdup_printf (_("Not finished: %s"), self->error_message);
      if (self->state == MH_JOB_STATE_FAILED)
        return g_strdup (_("Not finished, will be resumed"));
      return g_strdup (_("Interrupted, will be resumed"));
    }
  if (mh_job_record_may_exist (self))
    return g_strdup (_("Interrupted while being created, may have been charged"));
  if (mh_job_record_needs_retry (self))
    return g_strdup (_("Interrupted before it started, nothing charged"));
  if (self->state == MH_JOB_STATE_CANCELED)
    return g_strdup (self->project_id != NULL ? _("Canceled, may still finish at Magic Hour") : _("Canceled"));
  if (self->state == MH_JOB_STATE_FAILED && self->error_message != NULL)
    return g_strdup_printf (_("Failed: %s"), self->error_message);
  if (self->state == MH_JOB_STATE_FAILED)
    return g_strdup (_("Failed"));
  return g_strdup (mh_job_state_to_string (self->state));
}
