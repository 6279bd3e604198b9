/* mh-cli-demo.h: a whole job against the built-in simulator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-cli-progress.h"

G_BEGIN_DECLS

int mh_cli_demo_run (int            argc,
                     char         **argv,
                     MhCliOutput    output,
                     GCancellable  *cancellable);

G_END_DECLS
