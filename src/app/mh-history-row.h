/* mh-history-row.h: one past job in the history
 *
 * A thumbnail of the result (or the tool's icon), the job's name, the tool,
 * when it ran, what it cost, and its status as a sentence, all bound to the
 * record, so a job that runs or changes in another process updates in
 * place. The actions a job allows are offered as buttons and in a menu;
 * the row asks for them with "action", the history page does them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mh-job-record.h"

G_BEGIN_DECLS

#define MH_TYPE_HISTORY_ROW (mh_history_row_get_type ())
G_DECLARE_FINAL_TYPE (MhHistoryRow, mh_history_row, MH, HISTORY_ROW, GtkListBoxRow)

/* Signal "action" (const char *name): "open", "show-in-folder",
 * "download-again", "resume", "retry", "run-again", "remove", "delete" or
 * "show-job" (a job of this session runs it). Each is also the row's
 * action "row.NAME", enabled only when it makes sense. */
GtkWidget   *mh_history_row_new               (MhJobRecord  *record);
MhJobRecord *mh_history_row_get_record        (MhHistoryRow *self);
/* The address the app talks to now: a job made against another one cannot
 * be followed, downloaded or deleted from here. */
void         mh_history_row_set_api_base_url  (MhHistoryRow *self,
                                               const char   *base_url);
/* What activating the row does (NULL: nothing), one of the names above. */
const char  *mh_history_row_get_default_action (MhHistoryRow *self);
gboolean     mh_history_row_get_action_enabled (MhHistoryRow *self,
                                                const char   *name);
/* The primary button's action, NULL when none shows. */
const char  *mh_history_row_get_primary_action (MhHistoryRow *self);

G_END_DECLS
