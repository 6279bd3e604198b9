/* mh-job.h: one generation, from local files to results on disk
 *
 * A job runs the whole workflow of the SDKs' generate() as GTask steps:
 * validating -> uploading -> creating -> queued -> rendering -> downloading
 * -> done, or failed / canceled. Its properties are the seam the UI and the
 * command-line tool bind to; nothing polls it. One GCancellable stops it at
 * any step, and nothing half-written is left behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mh-client.h"
#include "mh-tool.h"

G_BEGIN_DECLS

typedef enum
{
  MH_JOB_STATE_IDLE,
  MH_JOB_STATE_VALIDATING,
  MH_JOB_STATE_UPLOADING,
  MH_JOB_STATE_CREATING,
  MH_JOB_STATE_QUEUED,
  MH_JOB_STATE_RENDERING,
  MH_JOB_STATE_DOWNLOADING,
  MH_JOB_STATE_DONE,
  MH_JOB_STATE_FAILED,
  MH_JOB_STATE_CANCELED,
} MhJobState;

#define MH_TYPE_JOB (mh_job_get_type ())
G_DECLARE_FINAL_TYPE (MhJob, mh_job, MH, JOB, GObject)

typedef struct _MhJobStore MhJobStore;
typedef struct _MhJobRecord MhJobRecord;

/* A new generation from @params (copied). */
MhJob        *mh_job_new                (MhClient            *client,
                                         const MhTool        *tool,
                                         GHashTable          *params);
/* Follows a project that already exists (status, download, resume): starts
 * at polling, never creates anything. */
MhJob        *mh_job_new_for_project    (MhClient            *client,
                                         const MhTool        *tool,
                                         const char          *project_id);

void          mh_job_set_output_dir     (MhJob               *self,
                                         GFile               *dir);
void          mh_job_set_wait           (MhJob               *self,
                                         gboolean             wait);
void          mh_job_set_download       (MhJob               *self,
                                         gboolean             download);
/* Whether a headshot or talking photo job first asks Magic Hour's face
 * detection (free) whether its photo has the face it needs, and stops
 * before the create when it has not (mh-face-check.h). Default: TRUE. */
void          mh_job_set_face_check     (MhJob               *self,
                                         gboolean             face_check);

/* Keeps @record in @store up to date at every step (mh-job-store.h): the
 * job first takes the record's lock, continues the record's project if it
 * has one, and writes the record before the create is sent and as soon as
 * the project ID is known. */
void          mh_job_set_record         (MhJob               *self,
                                         MhJobStore          *store,
                                         MhJobRecord         *record);
MhJobRecord  *mh_job_get_record         (MhJob               *self);
/* How many jobs of @jobs (a GListModel of MhJob, or NULL) have not ended,
 * of the tool @tool_id only unless it is NULL. */
guint         mh_jobs_count_running     (GListModel          *jobs,
                                         const char          *tool_id);
/* The job's one name (mh_job_record_get_title()), with or without a record. */
char         *mh_job_dup_title          (MhJob               *self);
/* With a record that has a project: download the result again, even when
 * the record lists files an earlier run saved (they are kept on disk). */
void          mh_job_set_download_again (MhJob               *self,
                                         gboolean             download_again);

void          mh_job_run_async          (MhJob               *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean      mh_job_run_finish         (MhJob               *self,
                                         GAsyncResult        *result,
                                         GError             **error);
/* Stops the job at whatever step it is in. A render already started on the
 * server is not stopped (the API cannot) and may still be charged. */
void          mh_job_cancel             (MhJob               *self);
/* Stops the job like mh_job_cancel(), but its record keeps the step it was
 * in: the job is resumed later (quitting, Ctrl+C), not marked canceled. */
void          mh_job_interrupt          (MhJob               *self);

const MhTool *mh_job_get_tool           (MhJob               *self);
GHashTable   *mh_job_get_params         (MhJob               *self);
MhJobState    mh_job_get_state          (MhJob               *self);
double        mh_job_get_fraction       (MhJob               *self);
guint64       mh_job_get_bytes_done     (MhJob               *self);
guint64       mh_job_get_bytes_total    (MhJob               *self);
const char   *mh_job_get_message        (MhJob               *self);
const char   *mh_job_get_project_id     (MhJob               *self);
gint64        mh_job_get_credits_charged(MhJob               *self);
const char *const *mh_job_get_output_files (MhJob            *self);
const GError *mh_job_get_error          (MhJob               *self);
const char   *mh_job_get_bad_key        (MhJob               *self);
/* The "face-url" property: the crop of the face the check found, or NULL. */
const char   *mh_job_get_face_url       (MhJob               *self);
gint64        mh_job_get_state_since    (MhJob               *self);
/* Whether the create was sent: a job stopped after it, before its project
 * ID came back, may exist at Magic Hour and be charged. */
gboolean      mh_job_get_create_sent    (MhJob               *self);
guint         mh_job_get_status_checks  (MhJob               *self);

const char   *mh_job_state_to_string    (MhJobState           state);
gboolean      mh_job_state_is_finished  (MhJobState           state);

G_END_DECLS
