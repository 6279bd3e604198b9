/* mh-job-private.h: what the parts of MhJob share
 *
 * MhJob (mh-job.c: the object, its state, validating, creating, polling and
 * the end of a job) is split by concern: mh-job-upload.c sends the local
 * files, mh-job-download.c saves the results. This header holds the job's
 * state and the functions the parts call in each other. Not installed, not
 * used outside src/engine/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-cut.h"
#include "mh-job.h"
#include "mh-job-store.h"
#include "mh-project.h"

G_BEGIN_DECLS

typedef struct
{
  const MhAssetSlot *slot;
  GFile             *file;
  guint64            size;
  double             seconds;    /* its media length when it may be cut; <= 0 unknown */
  MhCut             *cut;        /* the part sent instead of the whole file; NULL: whole */
  char              *upload_url;
  char              *file_path;
} UploadItem;

struct _MhJob
{
  GObject        parent_instance;

  MhClient      *client;
  const MhTool  *tool;
  GHashTable    *params;
  GFile         *output_dir;
  gboolean       wait;
  gboolean       download;

  MhJobState     state;
  gint64         state_since;
  double         fraction;
  guint64        bytes_done;
  guint64        bytes_total;
  char          *message;
  char          *project_id;
  gint64         credits_charged;
  GStrv          output_files;
  GError        *error;
  char          *bad_key;

  GTask         *task;
  GCancellable  *cancellable;

  /* the job store: written at every change while this job holds the lock */
  MhJobStore    *store;
  MhJobRecord   *record;
  gboolean       claimed;
  gboolean       interrupting;
  guint          download_skip;  /* results a killed run already saved */
  gboolean       download_again; /* ...are downloaded anew all the same */

  /* uploading */
  GPtrArray     *uploads;        /* UploadItem */
  guint          upload_index;
  guint64        upload_base;    /* bytes of the items already sent */
  guint          attempt;
  void         (*retry_step) (MhJob *self);
  GHashTable    *assets;         /* slot key -> file_path sent in the create */

  gboolean       create_sent;

  /* the face check before the create (mh-face-check.h) */
  gboolean       face_check;
  gboolean       face_checked;
  char          *face_url;

  /* polling */
  gint64         poll_started;
  guint          status_checks;
  gboolean       was_rendering;

  /* downloading */
  GPtrArray     *download_urls;
  GArray        *download_expiry;  /* gint64 real µs, 0: not said (MhProject) */
  guint          links_renewed_for; /* download_index + 1 whose links were asked for again */
  guint          download_index;
  guint64        download_base;
  GPtrArray     *outputs;
  GSource       *record_save;    /* a pending write of the results saved */
  gint64         record_saved_at;
};

/* The record is written at most this often while results are saved (and
 * once more when the job ends): a batch of files costs a few writes, not
 * one per file, and a killed run forgets at most the last second's. */
#define RECORD_SAVE_INTERVAL_US (G_USEC_PER_SEC)

typedef void (*JobStep) (MhJob *self);

/* mh-job.c */
void     mh_job_set_message        (MhJob       *self,
                                    const char  *message);
void     mh_job_set_state          (MhJob       *self,
                                    MhJobState   state,
                                    const char  *message);
void     mh_job_set_bytes          (MhJob       *self,
                                    guint64      done,
                                    guint64      total);
void     mh_job_fail               (MhJob       *self,
                                    GError      *error);
void     mh_job_done               (MhJob       *self);
/* A transfer step failed: retried with a backoff when that may help
 * (@renew first when its URL expired, else @again), or the job fails. */
void     mh_job_transfer_failed    (MhJob       *self,
                                    GError      *error,
                                    JobStep      renew,
                                    JobStep      again);
void     mh_job_create_start       (MhJob       *self);
void     mh_job_set_project        (MhJob       *self,
                                    const char  *project_id,
                                    gint64       credits);

/* mh-job-poll.c: in the queue from now, first asked after @first_delay s. */
void     mh_job_poll_start         (MhJob       *self,
                                    double       first_delay);

/* mh-job-upload.c */
void     mh_job_upload_item_free   (UploadItem  *item);
void     mh_job_upload_start       (MhJob       *self);
/* The params the create sends: the job's own, or, when a file was cut to
 * its range, a copy whose range is that of the cut (0 to its length). */
GHashTable *mh_job_upload_body_params (MhJob    *self);
/* Removes the files cut for the uploads (in a thread), then calls @then
 * with @task and @error as they were given. */
void     mh_job_upload_remove_cuts (MhJob       *self,
                                    GTask       *task,
                                    GError      *error,
                                    void       (*then) (MhJob  *self,
                                                        GTask  *task,
                                                        GError *error));

/* mh-job-download.c */
void     mh_job_record_save_cancel (MhJob       *self);
void     mh_job_download_next      (MhJob       *self);
void     mh_job_download_start     (MhJob       *self,
                                    MhProject   *project);

G_END_DECLS
