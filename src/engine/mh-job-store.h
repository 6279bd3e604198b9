/* mh-job-store.h: every job ever run on this machine, on disk
 *
 * The store is a folder (by default ~/.local/share/magic-hour-studio/jobs)
 * with one JSON file per job, "<id>.json", each replaced atomically (temporary
 * file + rename) at every change. One file per job is what makes the app and
 * the command-line tool safe together: they never write the same file at the
 * same time, because whoever changes a job holds its lock ("<id>.lock",
 * flock()), and the kernel drops the lock when a process dies, so a lock
 * that can be taken means nobody is working on that job.
 *
 * All file work runs in order on one worker thread; the main loop never
 * waits for the disk. A record that cannot be read is moved to "damaged/"
 * with a message saying so, never deleted and never fatal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mh-client.h"
#include "mh-job-record.h"

G_BEGIN_DECLS

#define MH_TYPE_JOB_STORE (mh_job_store_get_type ())
G_DECLARE_FINAL_TYPE (MhJobStore, mh_job_store, MH, JOB_STORE, GObject)

/* ~/.local/share/magic-hour-studio/jobs (the user data folder). */
GFile        *mh_job_store_default_dir     (void);

MhJobStore   *mh_job_store_new             (GFile               *dir);
GFile        *mh_job_store_get_dir         (MhJobStore          *self);

/* The records, newest first (a GListModel of MhJobRecord). */
GListModel   *mh_job_store_get_records     (MhJobStore          *self);
MhJobRecord  *mh_job_store_lookup          (MhJobStore          *self,
                                            const char          *id);
/* The newest record of @project_id, or NULL. */
MhJobRecord  *mh_job_store_lookup_project  (MhJobStore          *self,
                                            const char          *project_id);

/* Reads every record. Records that cannot be read are moved aside and
 * described in the problems; a store that cannot be read at all is moved
 * aside and started afresh. Fails only when the folder cannot be made. */
void          mh_job_store_load_async      (MhJobStore          *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      mh_job_store_load_finish     (MhJobStore          *self,
                                            GAsyncResult        *result,
                                            GError             **error);
/* Sentences about what loading found wrong (moved-aside files, records of
 * newer versions), for a banner or stderr. */
const char *const *mh_job_store_get_problems (MhJobStore        *self);

/* Follows other processes' changes (the command-line tool's jobs appear in
 * the app's history as they run). */
void          mh_job_store_watch           (MhJobStore          *self);

/* Adds @record (new) and writes it. */
void          mh_job_store_add             (MhJobStore          *self,
                                            MhJobRecord         *record);

/* Writes @record as it is now; writes are done in the order asked. */
void          mh_job_store_save_async      (MhJobStore          *self,
                                            MhJobRecord         *record,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      mh_job_store_save_finish     (MhJobStore          *self,
                                            GAsyncResult        *result,
                                            GError             **error);
/* Writes without waiting; a failure is reported once with ::write-failed. */
void          mh_job_store_save            (MhJobStore          *self,
                                            MhJobRecord         *record);

/* Takes @record's lock, so this process alone works on it, and reloads it
 * from disk. Fails with G_IO_ERROR_BUSY (message for people) when another
 * window or the command-line tool is working on it. */
void          mh_job_store_claim_async     (MhJobStore          *self,
                                            MhJobRecord         *record,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      mh_job_store_claim_finish    (MhJobStore          *self,
                                            GAsyncResult        *result,
                                            GError             **error);
/* Writes @record a last time and gives its lock back. */
void          mh_job_store_release_async   (MhJobStore          *self,
                                            MhJobRecord         *record,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      mh_job_store_release_finish  (MhJobStore          *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Forgets @record: its file is deleted (results on disk are kept). Fails
 * with G_IO_ERROR_BUSY while it runs elsewhere. */
void          mh_job_store_remove_async    (MhJobStore          *self,
                                            MhJobRecord         *record,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      mh_job_store_remove_finish   (MhJobStore          *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Deletes partial downloads a killed process left of @record in its output
 * folder (hidden "*.<id>.part" files). Run while holding its lock. */
void          mh_job_store_sweep_parts_async (MhJobStore        *self,
                                              MhJobRecord       *record,
                                              GCancellable      *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer           user_data);
gboolean      mh_job_store_sweep_parts_finish (MhJobStore       *self,
                                               GAsyncResult     *result,
                                               GError          **error);

/* A new job for @tool with @params, recorded in the store as it runs. */
MhJob        *mh_job_store_new_job         (MhJobStore          *self,
                                            MhClient            *client,
                                            const MhTool        *tool,
                                            GHashTable          *params);
/* A job that continues @record: resumes its project (polls, downloads with
 * fresh links), or, for a record that never reached Magic Hour, runs it
 * again with the same inputs. Never creates a second project for a record
 * that has one. With @download_again, a finished project's result is
 * downloaded again. */
MhJob        *mh_job_store_continue_job    (MhJobStore          *self,
                                            MhClient            *client,
                                            MhJobRecord         *record,
                                            gboolean             download_again);

/* Blocks until every write asked for so far is on disk (for tests and for
 * processes about to exit). */
void          mh_job_store_flush           (MhJobStore          *self);

G_END_DECLS
