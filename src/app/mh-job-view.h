/* mh-job-view.h: a job from the first upload to the result
 *
 * Bound to the engine's job object (it never polls): the stages (Uploading
 * n %, Queued, Rendering with the elapsed time, Downloading n %), a progress
 * bar and Cancel while it runs; then the result (a playing video or the
 * picture, Open, Show in Folder, Save As…, Start Over) or the failure (the
 * engine's sentence, Retry, Start Over).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mh-job.h"

G_BEGIN_DECLS

#define MH_TYPE_JOB_VIEW (mh_job_view_get_type ())
G_DECLARE_FINAL_TYPE (MhJobView, mh_job_view, MH, JOB_VIEW, AdwBin)

/* Properties: "job" (MhJob). Signals: "retry" and "start-over", no arguments;
 * "toast" (AdwToast *) for transient messages (Saved a copy, …). */
GtkWidget *mh_job_view_new     (void);
MhJob     *mh_job_view_get_job (MhJobView *self);
void       mh_job_view_set_job (MhJobView *self,
                                MhJob     *job);

G_END_DECLS
