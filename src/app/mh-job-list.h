/* mh-job-list.h: the running and finished jobs of this session
 *
 * A list (for the header's popover) of every job started since the app
 * opened, newest first: tool, name, when it started (or ended) and its state
 * in words, progress, and Open for a result. Activating a row raises
 * "job-activated" so the window shows that job. "Clear Finished" removes the
 * jobs that ended from the model when it is a GListStore (the session's
 * list): their records stay in History and their results on disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mh-job.h"

G_BEGIN_DECLS

#define MH_TYPE_JOB_LIST (mh_job_list_get_type ())
G_DECLARE_FINAL_TYPE (MhJobList, mh_job_list, MH, JOB_LIST, AdwBin)

/* Properties: "model" (GListModel of MhJob). Signal: "job-activated" (MhJob *). */
GtkWidget  *mh_job_list_new       (void);
void        mh_job_list_set_model (MhJobList  *self,
                                   GListModel *model);

G_END_DECLS
