/* mh-history-page.h: every job run on this computer
 *
 * The job store's records, newest first, searchable by name and tool, with
 * what each allows: open the result, show it in its folder, download it
 * again with fresh links, run it again from the tool's form, resume or
 * retry a job that was interrupted, remove it from the list (with Undo) and
 * delete it at Magic Hour (after a question). Jobs the command-line tool
 * runs appear as they run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mh-application.h"

G_BEGIN_DECLS

#define MH_TYPE_HISTORY_PAGE (mh_history_page_get_type ())
G_DECLARE_FINAL_TYPE (MhHistoryPage, mh_history_page, MH, HISTORY_PAGE, AdwBin)

/* Signals:
 *   "toast"     (AdwToast *): for the window's overlay
 *   "run-again" (MhJobRecord *): fill the record's tool with its inputs
 *   "show-job"  (MhJob *): show a job of this session in its tool
 */
void        mh_history_page_set_application  (MhHistoryPage *self,
                                              MhApplication *application);
/* For tests: the row of @record, if it is shown. */
GtkWidget  *mh_history_page_find_row         (MhHistoryPage *self,
                                              MhJobRecord   *record);
GtkWidget  *mh_history_page_get_search_entry (MhHistoryPage *self);
GtkWidget  *mh_history_page_get_tool_filter  (MhHistoryPage *self);

G_END_DECLS
