/* mh-cli-private.h: what mh-cli.c shares with the files of its commands
 *
 * How every command says an error, the exit status an error maps to, and
 * the client with the stored key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-cli-progress.h"
#include "mh-client.h"

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

/* "Error: @message" on stderr, and an "error" event with --json. */
void      mh_cli_print_error  (MhCliOutput    output,
                               const char    *message);
/* The exit status for @error (NULL: EXIT_DONE); a cancellation is
 * EXIT_INTERRUPTED when the person @interrupted the command. */
int       mh_cli_exit_status  (const GError  *error,
                               gboolean       interrupted);
/* A client for @base_url (NULL: the environment's or the default) with the
 * stored key, or NULL when it cannot be used (no key, an insecure address):
 * the reason is said with mh_cli_print_error() and the exit status is
 * EXIT_USAGE. With text output, names an API address other than the
 * default on stderr. */
MhClient *mh_cli_client_new   (const char    *base_url,
                               MhCliOutput    output,
                               GCancellable  *cancellable);

G_END_DECLS
