/* mh-test-util.h: shared helpers of the engine tests
 *
 * Temporary folders, hand-made media files, a simulator on loopback, a client
 * with fast timings pointed at it, and a way to run a job to its end by
 * iterating the main context (never by sleeping) with a generous guard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mh-client.h"
#include "mh-job.h"
#include "mh-simulator.h"
#include "mh-tool.h"

G_BEGIN_DECLS

#define MH_TEST_KEY "mhk_test_secret_key_123"
/* Seconds a single wait may take before the test fails. */
#define MH_TEST_TIMEOUT 30.0
/* The simulator's render time in most tests. */
#define MH_TEST_RENDER_SECONDS 0.2

/* ---- Files ---------------------------------------------------------------- */

char        *mh_test_make_tmp_dir          (void);
void         mh_test_rm_rf                 (const char   *path);
char        *mh_test_write_file            (const char   *dir,
                                            const char   *name,
                                            const void   *data,
                                            gsize         len);
/* A 16-bit mono 8 kHz PCM WAV of @seconds of silence (sparse on disk). */
char        *mh_test_write_wav             (const char   *dir,
                                            const char   *name,
                                            double        seconds);
/* The same at @rate with @channels (16-bit PCM silence, sparse on disk). */
char        *mh_test_write_wav_format      (const char   *dir,
                                            const char   *name,
                                            double        seconds,
                                            guint32       rate,
                                            guint16       channels);
/* The simulator's sample PNG / MP4. */
char        *mh_test_write_png             (const char   *dir,
                                            const char   *name);
char        *mh_test_write_mp4             (const char   *dir,
                                            const char   *name);
/* The simulator's PNG made @size bytes long by a hole after its end: a
 * big image that is still a real one (the probe reads the picture). */
char        *mh_test_write_big_png         (const char   *dir,
                                            const char   *name,
                                            guint64       size);
/* A sparse file of @size bytes. */
char        *mh_test_write_sparse          (const char   *dir,
                                            const char   *name,
                                            guint64       size);
/* A real media file made by ffmpeg from @args (its options between the
 * inputs and the output, as one string split at spaces: "-f lavfi -i
 * sine=d=2 -c:a flac"); NULL when ffmpeg or the encoder it needs is missing
 * (the caller skips). */
char        *mh_test_make_media            (const char   *dir,
                                            const char   *name,
                                            const char   *args);
/* A Unix socket file at @path, however long the path: bind() takes at most
 * 107 bytes, so the socket is bound by its name, inside its folder. */
GSocket     *mh_test_bind_unix_socket      (const char   *path);
char        *mh_test_file_sha256           (const char   *path);
char        *mh_test_read_text             (const char   *path);
/* Sorted names in @dir (hidden ones too); empty when @dir does not exist. */
GPtrArray   *mh_test_list_dir              (const char   *dir);
void         mh_test_assert_no_part_files  (const char   *dir);
void         mh_test_assert_dir_empty      (const char   *dir);

/* ---- Simulator and client ------------------------------------------------- */

MhSimulator *mh_test_simulator_new         (double        render_seconds);
/* Key MH_TEST_KEY, retry policy (4, 0.01, 0.05), poll scale 0.05. */
MhClient    *mh_test_client_new            (MhSimulator  *sim);

/* Requests the simulator received for @endpoint (NULL: all), oldest first;
 * borrowed MhSimRequest pointers. */
GPtrArray   *mh_test_requests              (MhSimulator  *sim,
                                            const char   *endpoint);
MhSimRequest *mh_test_request              (MhSimulator  *sim,
                                            const char   *endpoint,
                                            guint         index);
/* Prints the request log with g_test_message(), to explain a failure. */
void         mh_test_dump_requests         (MhSimulator  *sim);
/* The member at a dotted path ("style.generation_mode"), NULL when absent. */
JsonNode    *mh_test_json_get              (JsonNode     *root,
                                            const char   *path);
const char  *mh_test_json_get_string       (JsonNode     *root,
                                            const char   *path);

/* Key/value pairs, NULL-terminated. */
GHashTable  *mh_test_params                (const char   *first_key,
                                            ...) G_GNUC_NULL_TERMINATED;

/* ---- Memory measurements ------------------------------------------------- */

/* TRUE in a build with AddressSanitizer (-Db_sanitize=address, gcc or clang). */
#if defined(__SANITIZE_ADDRESS__)
# define MH_TEST_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define MH_TEST_ASAN 1
# endif
#endif
#ifndef MH_TEST_ASAN
# define MH_TEST_ASAN 0
#endif

/* Whether the process's RSS says something about the code under test. Under
 * AddressSanitizer (shadow memory, redzones, a quarantine of freed blocks) or
 * Valgrind it does not: then the reason goes to the test's log and the
 * caller leaves out its RSS assertions; the rest of the test still runs and
 * counts, so it is not marked skipped (in a g_test_trap_subprocess() child,
 * a skip is exit status 77, which the parent reads as a failure). */
gboolean     mh_test_rss_is_meaningful     (void);

/* ---- Waiting -------------------------------------------------------------- */

typedef gboolean (*MhTestCondition) (gpointer user_data);

/* Iterates the default main context until @condition holds; fails the test
 * (aborting it) after @timeout seconds. */
void         mh_test_wait_for              (MhTestCondition  condition,
                                            gpointer         user_data,
                                            double           timeout,
                                            const char      *what);
void         mh_test_wait_for_flag         (gboolean        *flag,
                                            double           timeout,
                                            const char      *what);
/* An asynchronous call's end, for a test that does things while it goes:
 * mh_job_run_async (job, NULL, mh_test_job_ran_cb, &ran), then
 * mh_test_wait_for_flag (&ran.done, ...). */
typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} MhTestRan;

void         mh_test_job_ran_cb            (GObject        *source,
                                            GAsyncResult   *result,
                                            gpointer        user_data);
/* Runs @job to its end. */
gboolean     mh_test_run_job               (MhJob          *job,
                                            GCancellable   *cancellable,
                                            GError        **error);

/* ---- The states a job went through --------------------------------------- */

typedef struct
{
  MhJob  *job;
  GArray *states;   /* MhJobState, in the order seen */
  gulong  handler;
} MhTestStateLog;

MhTestStateLog *mh_test_state_log_new      (MhJob          *job);
void         mh_test_state_log_free        (MhTestStateLog *log);
char        *mh_test_state_log_to_string   (MhTestStateLog *log);
gboolean     mh_test_state_log_contains    (MhTestStateLog *log,
                                            MhJobState      state);
/* Asserts that the states seen come in the workflow's order, each at most
 * once, and that every state of @required was seen. */
void         mh_test_assert_states         (MhTestStateLog   *log,
                                            const MhJobState *required,
                                            guint             n_required);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhTestStateLog, mh_test_state_log_free)

/* ---- A fixture: a temporary folder, a simulator and a client ------------- */

typedef struct
{
  char        *tmp;     /* removed at teardown */
  char        *out;     /* tmp/out, the jobs' output folder (not created) */
  MhSimulator *sim;
  MhClient    *client;
} MhTestFixture;

void         mh_test_fixture_setup         (MhTestFixture *fixture,
                                            gconstpointer  data);
void         mh_test_fixture_teardown      (MhTestFixture *fixture,
                                            gconstpointer  data);
/* A job for @tool_id whose output goes to fixture->out. */
MhJob       *mh_test_fixture_new_job       (MhTestFixture *fixture,
                                            const char    *tool_id,
                                            GHashTable    *params);
/* Standard valid inputs of each tool, files written in fixture->tmp. */
GHashTable  *mh_test_fixture_params        (MhTestFixture *fixture,
                                            const char    *tool_id);

/* Asserts the job finished DONE with one output file inside @out_dir that is
 * byte-exact with what the simulator serves, and no temporary file left. */
void         mh_test_assert_job_output     (MhTestFixture *fixture,
                                            MhJob         *job);

G_END_DECLS
