/* mh-cli-test-util.h: running magic-hour-studio-cli against the simulator
 *
 * A fixture with a simulator on loopback, input files and folders of its
 * own, and runs of the real binary ($MH_CLI) whose exit status, output and
 * JSON events the tests look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mh-simulator.h"
#include "mh-test-util.h"

#define KEY "mhk_live_cli_test_SECRET_0123456789"

typedef struct
{
  MhSimulator *sim;
  char        *dir;       /* inputs */
  char        *out;       /* outputs */
  char        *data;      /* XDG_DATA_HOME of the CLI: its job history */
  char        *photo;
  char        *speech;
  char        *video;
  gboolean     no_debug;  /* runs without G_MESSAGES_DEBUG=all, whose lines
                           * go to stdout: for tests that read it whole */
} Fixture;

typedef struct
{
  gboolean  done;
  int       status;
  char     *out;
  char     *err;
  double    seconds;     /* from start to exit */
  gboolean  timed_out;   /* killed at the deadline */
} Run;

/* Seconds a run of the CLI may take before it is killed and the test fails. */
#define RUN_DEADLINE 120

void                 fixture_setup         (Fixture       *f,
                                            gconstpointer  data);
void                 fixture_teardown      (Fixture       *f,
                                            gconstpointer  data);
/* The environment of a run: the simulator's address, @key (NULL: none),
 * the fixture's folders, the engine's debug messages unless f->no_debug. */
GSubprocessLauncher *make_launcher         (Fixture       *f,
                                            const char    *key);
/* Runs the CLI with the arguments (NULL-terminated) while the simulator
 * serves, with @key; killed (and the test failed) after RUN_DEADLINE s. */
Run                 *run_cli_with_key      (Fixture       *f,
                                            const char    *key,
                                            const char    *first,
                                            ...);
/* With the key, killed after @deadline seconds. */
Run                 *run_cli_within_va     (Fixture       *f,
                                            guint          deadline,
                                            const char    *first,
                                            ...);
void                 run_free              (Run           *run);
/* The last JSON line of the output. */
JsonObject          *last_event            (Run           *run);
/* The JSON body of the last request to @endpoint. */
JsonObject          *last_body             (Fixture       *f,
                                            const char    *endpoint);
void                 assert_file_is_output (Fixture       *f,
                                            JsonObject    *result);
guint                count_files           (const char    *dir);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

#define run_cli(f, ...) run_cli_with_key ((f), KEY, __VA_ARGS__, NULL)
