/* mh-cli-history.h: `magic-hour-studio-cli history`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-cli-progress.h"
#include "mh-job-store.h"

G_BEGIN_DECLS

/* Prints the store's records, newest first, as a table (or one JSON event
 * with every record); @tool_id NULL for all tools, @limit 0 for all. */
void mh_cli_history_print (MhJobStore  *store,
                           const char  *tool_id,
                           guint        limit,
                           MhCliOutput  output);

/* The store's load problems on stderr (or as JSON "warning" events). */
void mh_cli_history_print_problems (MhJobStore  *store,
                                    MhCliOutput  output);

G_END_DECLS
