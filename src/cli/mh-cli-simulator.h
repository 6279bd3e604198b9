/* mh-cli-simulator.h: `magic-hour-studio-cli simulator`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-cli-private.h"

G_BEGIN_DECLS

/* Runs the simulator on 127.0.0.1 until SIGTERM or SIGINT; its base URL is
 * printed on the first line of stdout. */
int mh_cli_simulator_run (Cli   *cli,
                          int    argc,
                          char **argv);

G_END_DECLS
