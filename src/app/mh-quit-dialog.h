/* mh-quit-dialog.h: the question before quitting while jobs run
 *
 * Ctrl+Q, the menu's Quit and closing the last window ask first while a job
 * of the session has not ended: which jobs run and at which step, that a job
 * already at Magic Hour keeps rendering there and is picked up at the next
 * start, that an upload in progress is stopped (History offers it again), and
 * in demo mode that the demo's jobs and history are not kept. "Keep Running"
 * is the default; "Quit" quits the application. The text follows the jobs
 * while the dialog is open. A signal (Ctrl+C in a terminal, the session
 * ending) never asks: nothing may wait on a dialog then.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mh-application.h"

G_BEGIN_DECLS

#define MH_TYPE_QUIT_DIALOG (mh_quit_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MhQuitDialog, mh_quit_dialog, MH, QUIT_DIALOG, AdwMessageDialog)

/* Whether one of @jobs (a GListModel of MhJob) has not ended. */
gboolean   mh_quit_dialog_jobs_running (GListModel    *jobs);

/* Properties (construct-only): "jobs" (GListModel of MhJob), "demo" and
 * "closing" (asked because the window closes: the text says that this quits
 * the app). Responses: "keep" and "quit". */
GtkWidget *mh_quit_dialog_new          (GtkWindow     *parent,
                                        GListModel    *jobs,
                                        gboolean       demo,
                                        gboolean       closing);

/* Asks before @application quits (@closing: its last window closes) and
 * quits on "Quit". Returns FALSE without asking when no job runs: the caller
 * then quits or closes as it would have. One question at a time: asking
 * again presents the dialog already open. */
gboolean   mh_quit_dialog_ask          (MhApplication *application,
                                        GtkWindow     *parent,
                                        gboolean       closing);

G_END_DECLS
