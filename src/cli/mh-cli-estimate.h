/* mh-cli-estimate.h: what a tool command says before anything is sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-cli-progress.h"
#include "mh-tool.h"

G_BEGIN_DECLS

/* One line on standard error for each deprecated option in @params: what it
 * is sent as now, or that the API may ignore it (nothing with --quiet). */
void mh_cli_print_deprecation_notes (MhCliOutput   output,
                                     const MhTool *tool,
                                     GHashTable   *params);
/* --dry-run: checks the inputs as a job would (files, durations, the
 * range), then prints the cost from the tool table; sends nothing. Returns
 * the exit status. */
int  mh_cli_print_estimate          (MhCliOutput   output,
                                     GCancellable *cancellable,
                                     const MhTool *tool,
                                     GHashTable   *params);

G_END_DECLS
