/* mh-cli-library.h: `magic-hour-studio-cli library`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-cli-progress.h"
#include "mh-client.h"

G_BEGIN_DECLS

/* Lists every page of the user's saved items (@type NULL for all types) and
 * prints them: a table of names, types and file paths, one JSON event with
 * every item, or (quiet) the file paths alone. Iterates the thread-default
 * main context until done; FALSE with @error when a page could not be had. */
gboolean mh_cli_library_list (MhClient      *client,
                              const char    *type,
                              MhCliOutput    output,
                              GCancellable  *cancellable,
                              GError       **error);

G_END_DECLS
