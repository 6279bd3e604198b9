/* mh-cli-progress.h: how the command-line tool shows a job
 *
 * A live bar on a terminal, a line per stage otherwise, JSON events with
 * --json, nothing with --quiet. Listens to the job's properties.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-job.h"

G_BEGIN_DECLS

/* Exit statuses (the README lists them). */
enum {
  EXIT_DONE = 0,
  EXIT_JOB_FAILED = 1,
  EXIT_USAGE = 2,
  EXIT_REFUSED = 3,
  EXIT_NETWORK = 4,
  EXIT_INTERRUPTED = 130,
};

typedef enum
{
  MH_CLI_OUTPUT_TEXT,
  MH_CLI_OUTPUT_JSON,
  MH_CLI_OUTPUT_QUIET,
} MhCliOutput;

typedef struct _MhCliProgress MhCliProgress;

MhCliProgress *mh_cli_progress_new    (MhJob         *job,
                                       MhCliOutput    output);
void           mh_cli_progress_finish (MhCliProgress *self);
void           mh_cli_progress_free   (MhCliProgress *self);
/* The last JSON event / summary line for a finished job. */
void           mh_cli_print_result    (MhJob         *job,
                                       MhCliOutput    output);
void           mh_cli_json_event      (JsonBuilder   *builder);
/* "Error: @message" on standard error, and with --json an "error" event. */
void           mh_cli_print_error     (MhCliOutput    output,
                                       const char    *message);
/* The exit status for @error (EXIT_DONE for NULL); @interrupted: the
 * person pressed Ctrl+C, which is what a cancellation then means. */
int            mh_cli_exit_status     (const GError  *error,
                                       gboolean       interrupted);

G_END_DECLS
