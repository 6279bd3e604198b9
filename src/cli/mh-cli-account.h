/* mh-cli-account.h: `magic-hour-studio-cli account`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-cli-progress.h"

G_BEGIN_DECLS

/* Prints the account's credits, plan and subscription. @base_url is the
 * --api-base-url given before the command (NULL: none). A server without
 * GET /v1/account says so and exits 0. */
int mh_cli_account_run (int            argc,
                        char         **argv,
                        const char    *base_url,
                        MhCliOutput    output,
                        GCancellable  *cancellable);

G_END_DECLS
