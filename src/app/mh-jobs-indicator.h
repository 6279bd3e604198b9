/* mh-jobs-indicator.h: the running jobs, seen from every page
 *
 * The content of the header's jobs button: the list icon with a count of the
 * jobs still running (uploading, waiting or downloading) over its corner,
 * hidden when none runs. Given the window's view stack, it also marks the tab
 * of each tool that has a running job (the page's badge number and
 * needs-attention), until that job ends.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MH_TYPE_JOBS_INDICATOR (mh_jobs_indicator_get_type ())
G_DECLARE_FINAL_TYPE (MhJobsIndicator, mh_jobs_indicator, MH, JOBS_INDICATOR, AdwBin)

/* Properties: "model" (GListModel of MhJob), "view-stack" (AdwViewStack, its
 * pages named by tool id), "n-running" (guint, read-only, notified). */
GtkWidget *mh_jobs_indicator_new            (void);
void       mh_jobs_indicator_set_model      (MhJobsIndicator *self,
                                             GListModel      *model);
void       mh_jobs_indicator_set_view_stack (MhJobsIndicator *self,
                                             AdwViewStack    *view_stack);
guint      mh_jobs_indicator_get_n_running  (MhJobsIndicator *self);
/* The running jobs of @tool_id (NULL: of every tool). */
guint      mh_jobs_indicator_count_running  (MhJobsIndicator *self,
                                             const char      *tool_id);

G_END_DECLS
