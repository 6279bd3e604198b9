/* mh-cli-private.h: what mh-cli.c shares with the files of its commands
 *
 * The client with the stored key, set up as every command sets it up (how
 * a command says an error and which exit status it maps to are in
 * mh-cli-progress.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-cli-progress.h"
#include "mh-client.h"

G_BEGIN_DECLS

/* A client for @base_url (NULL: the environment's or the default) with
 * the key loaded (the environment, else the keyring), ready for API calls;
 * NULL, with the reason printed, when it is not (no key, an insecure
 * address). "Using the API at …" is said when it is not Magic Hour's. */
MhClient *mh_cli_client_new   (const char    *base_url,
                               MhCliOutput    output,
                               GCancellable  *cancellable);

G_END_DECLS
