/* mh-job-record.h: what the job store remembers of one job
 *
 * A record is the lasting description of a job: tool, inputs and options,
 * the project at Magic Hour, state, credits, times, the files on disk and the
 * error. It outlives the MhJob that ran it (and the process), so a job can
 * be resumed, downloaded again or run again. Its properties notify, so the
 * history binds to them like the job view binds to MhJob.
 *
 * On disk a record is one JSON object with a "version" member; see
 * mh_job_record_new_from_json() for the formats it reads. Its strings are
 * UTF-8 text; paths are file names, kept as the file system has them, and
 * written as mh_path_to_text() gives them (a file:// URI when they are not
 * UTF-8), so the file is always text and reads back the same paths.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "mh-job.h"
#include "mh-tool.h"

G_BEGIN_DECLS

/* The format written; older ones are migrated when read. */
#define MH_JOB_RECORD_VERSION 1

#define MH_TYPE_JOB_RECORD (mh_job_record_get_type ())
G_DECLARE_FINAL_TYPE (MhJobRecord, mh_job_record, MH, JOB_RECORD, GObject)

/* A new record for a job about to run @tool with @params (copied; local
 * paths are made absolute), created now, with a new id. */
MhJobRecord  *mh_job_record_new                (const MhTool   *tool,
                                                GHashTable     *params);
/* Reads any version up to MH_JOB_RECORD_VERSION. Fails with G_IO_ERROR_INVALID_DATA
 * when @node is not a record, G_IO_ERROR_NOT_SUPPORTED when a newer version
 * of the app wrote it. */
MhJobRecord  *mh_job_record_new_from_json      (JsonNode       *node,
                                                GError        **error);
JsonNode     *mh_job_record_to_json            (MhJobRecord    *self);
char         *mh_job_record_to_data            (MhJobRecord    *self,
                                                gsize          *length);
/* Takes every stored field of @other (a newer copy of the same record). */
void          mh_job_record_update_from        (MhJobRecord    *self,
                                                MhJobRecord    *other);

const char   *mh_job_record_get_id             (MhJobRecord    *self);
const MhTool *mh_job_record_get_tool           (MhJobRecord    *self);
const char   *mh_job_record_get_name           (MhJobRecord    *self);
/* The one name a job goes by everywhere (result page, jobs popover, History,
 * the CLI): the name the person gave it, else the input's file name. */
const char   *mh_job_record_get_title          (MhJobRecord    *self);
/* The same rule for a job that has no record yet. */
char         *mh_job_record_title_for_params   (const MhTool   *tool,
                                                GHashTable     *params);
GHashTable   *mh_job_record_get_params         (MhJobRecord    *self);
const char   *mh_job_record_get_api_base_url   (MhJobRecord    *self);
void          mh_job_record_set_api_base_url   (MhJobRecord    *self,
                                                const char     *base_url);
MhJobState    mh_job_record_get_state          (MhJobRecord    *self);
void          mh_job_record_set_state          (MhJobRecord    *self,
                                                MhJobState      state);
const char   *mh_job_record_get_project_id     (MhJobRecord    *self);
void          mh_job_record_set_project        (MhJobRecord    *self,
                                                const char     *project_id,
                                                gint64          credits);
gint64        mh_job_record_get_credits        (MhJobRecord    *self);
GDateTime    *mh_job_record_get_created        (MhJobRecord    *self);
GDateTime    *mh_job_record_get_updated        (MhJobRecord    *self);
const char   *mh_job_record_get_output_dir     (MhJobRecord    *self);
void          mh_job_record_set_output_dir     (MhJobRecord    *self,
                                                const char     *path);
const char *const *mh_job_record_get_output_files (MhJobRecord *self);
void          mh_job_record_add_output_file    (MhJobRecord    *self,
                                                const char     *path);
void          mh_job_record_clear_output_files (MhJobRecord    *self);
const char   *mh_job_record_get_error_message  (MhJobRecord    *self);
/* @error NULL clears it. */
void          mh_job_record_set_error          (MhJobRecord    *self,
                                                const GError   *error);
gboolean      mh_job_record_get_deleted        (MhJobRecord    *self);
void          mh_job_record_set_deleted        (MhJobRecord    *self,
                                                gboolean        deleted);

/* Running in this process (set by the store while it holds the job's lock). */
gboolean      mh_job_record_get_running        (MhJobRecord    *self);
void          mh_job_record_set_running        (MhJobRecord    *self,
                                                gboolean        running);

/* A project exists at Magic Hour whose result is not on disk yet, and
 * nothing says it never will be: resuming polls and downloads it. */
gboolean      mh_job_record_needs_resume       (MhJobRecord    *self);
/* Stopped before Magic Hour had a project: nothing to resume, may be run
 * again. mh_job_record_may_exist() says whether a create had been sent. */
gboolean      mh_job_record_needs_retry        (MhJobRecord    *self);
gboolean      mh_job_record_may_exist          (MhJobRecord    *self);

/* A sentence for the history and `history`: "Done", "Interrupted while
 * rendering", "Failed: …". */
char         *mh_job_record_describe_status    (MhJobRecord    *self);

G_END_DECLS
