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
#include "mh-job.h"
#include "mh-job-store.h"
#include "mh-project.h"

G_BEGIN_DECLS

/* One run of the command-line tool: what every command shares. */
typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  MhCliOutput   output;
  char         *base_url;
  gboolean      interrupted;
  int           exit_code;
  MhClient     *client;
  MhJobStore   *store;
  MhJob        *job;
  /* status / delete */
  char         *project_id;
  const char   *command;
  JsonNode     *project_node;
  MhProjectKind kind;
} Cli;

extern GOptionEntry mh_cli_global_entries[];

/* Parses a command's options, the global ones among them. */
gboolean      mh_cli_parse_with_globals  (GOptionContext   *context,
                                          int              *argc,
                                          char           ***argv,
                                          GError          **error);
void          mh_cli_apply_output_options (Cli            *cli);
void          mh_cli_report_error        (Cli              *cli,
                                          const char       *message);
int           mh_cli_exit_code_for_error (Cli              *cli,
                                          const GError     *error);
/* Runs @job to its end (its record kept in the history), printing as it goes. */
void          mh_cli_run_job             (Cli              *cli,
                                          MhJob            *job);
gboolean      mh_cli_prepare_client      (Cli              *cli);
/* A store operation started with mh_cli_async_done_cb as its callback and
 * @cli as its data: mh_cli_wait_for_store() runs the loop until it ends. */
void          mh_cli_async_done_cb       (GObject          *source,
                                          GAsyncResult     *result,
                                          gpointer          user_data);
GAsyncResult *mh_cli_wait_for_store      (Cli              *cli);
/* The job history, shared with the app. */
gboolean      mh_cli_open_store          (Cli              *cli);
/* status, download and delete: mh-cli-project.c */
int           mh_cli_run_project_command (Cli              *cli,
                                          const char       *command,
                                          int               argc,
                                          char            **argv);

/* A client for @base_url (NULL: the environment's or the default) with
 * the key loaded (the environment, else the keyring), ready for API calls;
 * NULL, with the reason printed, when it is not (no key, an insecure
 * address). "Using the API at …" is said when it is not Magic Hour's. */
MhClient *mh_cli_client_new   (const char    *base_url,
                               MhCliOutput    output,
                               GCancellable  *cancellable);

G_END_DECLS
