/* mh-job-store-private.h: what the store's two halves share
 *
 * The main-thread side (mh-job-store.c) keeps the list of records; the
 * worker side (mh-job-store-disk.c) does every file operation, one at a
 * time, in the order asked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-job-store.h"

G_BEGIN_DECLS

/* A record is a few KiB: anything larger is not one of ours (the reasons
 * given for such a file say the same number). */
#define RECORD_MAX_BYTES (1024 * 1024)

struct _MhJobStore
{
  GObject       parent_instance;

  GFile        *dir;
  char         *path;
  GListStore   *records;
  GHashTable   *by_id;         /* record id -> the record in @records (borrowed):
                                * a history of thousands loads without a
                                * walk of the list per record */
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

typedef struct
{
  GPtrArray *records;
  GPtrArray *problems;
} LoadResult;

void mh_job_store_load_result_free (LoadResult *result);

/* Worker thread only: each returns through @task. */
void mh_job_store_load_op    (MhJobStore *self, GTask *task, StoreOp *op);
void mh_job_store_write_op   (MhJobStore *self, GTask *task, StoreOp *op);
void mh_job_store_claim_op   (MhJobStore *self, GTask *task, StoreOp *op);
void mh_job_store_unlock_op  (MhJobStore *self, GTask *task, StoreOp *op);
void mh_job_store_release_op (MhJobStore *self, GTask *task, StoreOp *op);
void mh_job_store_remove_op  (MhJobStore *self, GTask *task, StoreOp *op);
void mh_job_store_read_op    (MhJobStore *self, GTask *task, StoreOp *op);
void mh_job_store_sweep_op   (MhJobStore *self, GTask *task, StoreOp *op);

G_END_DECLS
