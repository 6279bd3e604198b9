/* mh-cli-project.c: status, download and delete, the commands that take a
 * project ID
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "mh-cli-private.h"
#include "mh-error.h"
#include "mh-json.h"
#include "mh-tool.h"

static void
project_found_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data);

static void
find_project (Cli           *cli,
              MhProjectKind  kind)
{
  g_autofree char *path = g_strconcat (mh_project_kind_to_path (kind), cli->project_id, NULL);

  cli->kind = kind;
  mh_client_call_async (cli->client, "GET", path, NULL, MH_CALL_IDEMPOTENT,
                        _("Looking up the project"), cli->cancellable, project_found_cb, cli);
}

static void
project_found_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  cli->project_node = mh_client_call_finish (MH_CLIENT (source), result, &error);

  /* The ID does not say whether it is a video or an image: ask both. */
  if (g_error_matches (error, MH_ERROR, MH_ERROR_NOT_FOUND) && cli->kind == MH_PROJECT_VIDEO)
    {
      find_project (cli, MH_PROJECT_IMAGE);
      return;
    }

  if (error != NULL)
    {
      if (g_error_matches (error, MH_ERROR, MH_ERROR_NOT_FOUND))
        {
          g_autofree char *message = g_strdup_printf (_("Magic Hour has no video or image project with the ID “%s”. Check the ID."),
                                                      cli->project_id);
          mh_cli_report_error (cli, message);
        }
      else
        mh_cli_report_error (cli, error->message);
      cli->exit_code = mh_cli_exit_code_for_error (cli, error);
    }

  g_main_loop_quit (cli->loop);
}

static const MhTool *
tool_for_project (JsonNode      *node,
                  MhProjectKind  kind)
{
  g_autoptr(MhProject) project = mh_project_parse (node, NULL);
  const MhTool *const *tools;
  guint n;

  if (project != NULL && project->type != NULL && mh_tool_lookup_by_project_type (project->type))
    return mh_tool_lookup_by_project_type (project->type);

  /* A project made with another tool: any tool of the same kind follows it. */
  tools = mh_tools (&n);
  for (guint i = 0; i < n; i++)
    if (tools[i]->kind == kind)
      return tools[i];
  return NULL;
}

static void
print_status (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MhProject) project = mh_project_parse (cli->project_node, &error);

  if (project == NULL)
    {
      mh_cli_report_error (cli, error->message);
      cli->exit_code = EXIT_NETWORK;
      return;
    }

  if (cli->output == MH_CLI_OUTPUT_JSON)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "event");
      json_builder_add_string_value (builder, "status");
      json_builder_set_member_name (builder, "project_id");
      json_builder_add_string_value (builder, cli->project_id);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, cli->kind == MH_PROJECT_IMAGE ? "image" : "video");
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, project->status_text);
      json_builder_set_member_name (builder, "project");
      json_builder_add_value (builder, json_node_copy (cli->project_node));
      json_builder_end_object (builder);
      mh_cli_json_event (builder);
      return;
    }

  printf (_("Project: %s (%s)\n"), cli->project_id, project->type ? project->type : "?");
  if (project->name != NULL)
    printf (_("Name: %s\n"), project->name);
  printf (_("Status: %s\n"), project->status_text);
  if (project->credits_charged >= 0)
    printf (_("Credits charged: %lld\n"), (long long) project->credits_charged);
  if (!project->enabled)
    printf ("%s\n", _("This project was deleted."));
  if (project->status == MH_PROJECT_STATUS_ERROR)
    {
      g_autofree char *sentence = mh_error_describe_render_code (project->error_code,
                                                                 project->error_message);
      printf (_("Error: %s\n"), sentence);
    }
  /* As many links as a job would download; a project that offers more
   * does not fill the terminal. */
  for (guint i = 0; i < MIN (project->downloads->len, MH_PROJECT_MAX_DOWNLOADS); i++)
    printf (_("Download: %s\n"), (char *) g_ptr_array_index (project->downloads, i));
  if (project->downloads->len > MH_PROJECT_MAX_DOWNLOADS)
    {
      guint more = project->downloads->len - MH_PROJECT_MAX_DOWNLOADS;

      printf (ngettext ("…and %u more download link\n",
                        "…and %u more download links\n", more), more);
    }
}

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = mh_client_call_finish (MH_CLIENT (source), result, &error);
  g_autoptr(GError) template = mh_error_new_for_delete (error, cli->kind);

  if (template != NULL)
    {
      mh_cli_report_error (cli, template->message);
      cli->exit_code = mh_cli_exit_code_for_error (cli, template);
    }
  else if (error != NULL)
    {
      mh_cli_report_error (cli, error->message);
      cli->exit_code = mh_cli_exit_code_for_error (cli, error);
    }
  else if (cli->output == MH_CLI_OUTPUT_JSON)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "event");
      json_builder_add_string_value (builder, "deleted");
      json_builder_set_member_name (builder, "project_id");
      json_builder_add_string_value (builder, cli->project_id);
      json_builder_end_object (builder);
      mh_cli_json_event (builder);
    }
  else if (cli->output == MH_CLI_OUTPUT_TEXT)
    printf (_("Deleted project %s.\n"), cli->project_id);

  g_main_loop_quit (cli->loop);
}

/* The history says the project is gone, so nobody tries to resume it. */
static void
mark_deleted (Cli *cli)
{
  MhJobRecord *record = mh_job_store_lookup_project (cli->store, cli->project_id);
  g_autoptr(GAsyncResult) claimed = NULL;
  g_autoptr(GAsyncResult) released = NULL;
  g_autoptr(GError) error = NULL;

  if (record == NULL)
    return;

  mh_job_store_claim_async (cli->store, record, NULL, mh_cli_async_done_cb, cli);
  claimed = mh_cli_wait_for_store (cli);
  if (!mh_job_store_claim_finish (cli->store, claimed, &error))
    {
      fprintf (stderr, _("Warning: the job history still lists the project: %s\n"), error->message);
      return;
    }
  mh_job_record_set_deleted (record, TRUE);
  mh_job_store_release_async (cli->store, record, mh_cli_async_done_cb, cli);
  released = mh_cli_wait_for_store (cli);
  mh_job_store_release_finish (cli->store, released, NULL);
}

int
mh_cli_run_project_command (Cli         *cli,
                            const char  *command,
                            int          argc,
                            char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output_dir = NULL;
  GOptionEntry download_entries[] = {
    { "output-dir", 'o', 0, G_OPTION_ARG_FILENAME, &output_dir,
      N_("Folder for the result (default: the current folder)"), N_("DIR") },
    { NULL }
  };

  context = g_option_context_new (_("ID"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (g_str_equal (command, "download"))
    {
      g_option_context_set_summary (context, _("Wait for a project to finish and download its result."));
      g_option_context_add_main_entries (context, download_entries, GETTEXT_PACKAGE);
    }
  else if (g_str_equal (command, "status"))
    g_option_context_set_summary (context, _("Show a project's status, credits and download links."));
  else
    g_option_context_set_summary (context, _("Delete a project's result at Magic Hour for good. This does not stop a render."));
  g_option_context_add_main_entries (context, mh_cli_global_entries, GETTEXT_PACKAGE);

  if (!mh_cli_parse_with_globals (context, &argc, &argv, &error))
    {
      mh_cli_report_error (cli, error->message);
      return EXIT_USAGE;
    }
  mh_cli_apply_output_options (cli);

  if (argc != 2 || *argv[1] == '\0')
    {
      g_autofree char *message = g_strdup_printf (_("Give one project ID: %s ID"), command);
      mh_cli_report_error (cli, message);
      return EXIT_USAGE;
    }
  cli->project_id = g_strdup (argv[1]);

  if (!mh_cli_prepare_client (cli))
    return cli->exit_code;
  if (!g_str_equal (command, "status") && !mh_cli_open_store (cli))
    return cli->exit_code;

  find_project (cli, MH_PROJECT_VIDEO);
  g_main_loop_run (cli->loop);
  if (cli->project_node == NULL)
    return cli->exit_code;

  if (g_str_equal (command, "status"))
    {
      print_status (cli);
      return cli->exit_code;
    }

  if (g_str_equal (command, "delete"))
    {
      g_autofree char *path = g_strconcat (mh_project_kind_to_path (cli->kind), cli->project_id, NULL);

      mh_client_call_async (cli->client, "DELETE", path, NULL, MH_CALL_IDEMPOTENT,
                            _("Deleting the project"), cli->cancellable, deleted_cb, cli);
      g_main_loop_run (cli->loop);
      if (cli->exit_code == EXIT_DONE)
        mark_deleted (cli);
      return cli->exit_code;
    }

  /* download: a project of the history is continued there, so the history
   * knows where the result went. */
  {
    g_autoptr(MhJob) job = NULL;
    MhJobRecord *record = cli->store != NULL
      ? mh_job_store_lookup_project (cli->store, cli->project_id) : NULL;

    if (record != NULL && !mh_job_record_get_running (record))
      job = mh_job_store_continue_job (cli->store, cli->client, record,
                                       mh_job_record_get_state (record) == MH_JOB_STATE_DONE ||
                                       output_dir != NULL);
    else
      job = mh_job_new_for_project (cli->client,
                                    tool_for_project (cli->project_node, cli->kind),
                                    cli->project_id);
    if (output_dir != NULL)
      {
        g_autoptr(GFile) dir = g_file_new_for_commandline_arg (output_dir);
        mh_job_set_output_dir (job, dir);
      }
    mh_cli_run_job (cli, job);
  }
  return cli->exit_code;
}
