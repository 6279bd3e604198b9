/* mh-cli.c: magic-hour-studio-cli, the engine from scripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "mh-cli-account.h"
#include "mh-cli-demo.h"
#include "mh-cli-estimate.h"
#include "mh-cli-history.h"
#include "mh-cli-library.h"
#include "mh-cli-private.h"
#include "mh-cli-simulator.h"
#include "mh-cli-progress.h"
#include "mh-client.h"
#include "mh-error.h"
#include "mh-face-check.h"
#include "mh-job.h"
#include "mh-job-store.h"
#include "mh-keyring.h"
#include "mh-library.h"
#include "mh-params.h"
#include "mh-project.h"
#include "mh-validate.h"
#include "mh-tool.h"

static gboolean opt_json;
static gboolean opt_quiet;
static gboolean opt_version;
static char *opt_base_url;

GOptionEntry mh_cli_global_entries[] = {
  { "api-base-url", 0, 0, G_OPTION_ARG_STRING, &opt_base_url,
    N_("Address of the Magic Hour API (default: $MAGIC_HOUR_API_BASE_URL or https://api.magichour.ai)"), N_("URL") },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json,
    N_("Print one JSON object per event on standard output"), NULL },
  { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet,
    N_("Print only the result and errors"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version,
    N_("Print the version and exit"), NULL },
  { NULL }
};

/* --json and --quiet, given before or after the command. */
void
mh_cli_apply_output_options (Cli *cli)
{
  if (opt_json)
    cli->output = MH_CLI_OUTPUT_JSON;
  else if (opt_quiet)
    cli->output = MH_CLI_OUTPUT_QUIET;
}

/* Parses a command's options, the global ones among them: they may be
 * given again after the command. GOption does not free a string that
 * another context stored, so the one given before the command is kept
 * aside here, and dropped if the command gives its own. */
gboolean
mh_cli_parse_with_globals (GOptionContext   *context,
                           int              *argc,
                           char           ***argv,
                           GError          **error)
{
  g_autofree char *before = g_steal_pointer (&opt_base_url);
  gboolean parsed = g_option_context_parse (context, argc, argv, error);

  if (opt_base_url == NULL)
    opt_base_url = g_steal_pointer (&before);
  return parsed;
}

void
mh_cli_report_error (Cli        *cli,
                     const char *message)
{
  mh_cli_print_error (cli->output, message);
}

int
mh_cli_exit_code_for_error (Cli          *cli,
                            const GError *error)
{
  return mh_cli_exit_status (error, cli->interrupted);
}

static gboolean
interrupt_cb (gpointer user_data)
{
  Cli *cli = user_data;

  if (cli->interrupted)
    {
      /* A second Ctrl+C: the person really wants out. */
      exit (EXIT_INTERRUPTED);
    }

  cli->interrupted = TRUE;
  if (cli->output == MH_CLI_OUTPUT_TEXT)
    fprintf (stderr, "\n%s\n", _("Canceling…"));
  g_cancellable_cancel (cli->cancellable);
  /* The job's record keeps the step it was in: `resume` continues it. */
  if (cli->job != NULL)
    mh_job_interrupt (cli->job);

  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------------ */
/* Jobs                                                                     */

static void
job_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  mh_job_run_finish (MH_JOB (source), result, &error);
  cli->exit_code = mh_cli_exit_code_for_error (cli, error);
  g_main_loop_quit (cli->loop);
}

/* After Ctrl+C, whatever the output mode, on standard error where a person
 * sees it: that the job stopped here, and the command that picks it up
 * (resume takes the project ID, or the job's ID from the history). */
static void
print_canceled (MhJob *job)
{
  const char *project_id = mh_job_get_project_id (job);
  MhJobRecord *record = mh_job_get_record (job);

  fprintf (stderr, "%s\n", _("Canceled."));
  if (project_id != NULL)
    fprintf (stderr, _("The project %s goes on at Magic Hour. To download its result later: magic-hour-studio-cli resume %s\n"),
             project_id, project_id);
  else if (record != NULL && mh_job_record_may_exist (record))
    fprintf (stderr, _("It may have reached Magic Hour and be charged: check your Magic Hour library before running it again with: magic-hour-studio-cli resume %s\n"),
             mh_job_record_get_id (record));
  else if (record != NULL)
    fprintf (stderr, _("Nothing was created at Magic Hour; nothing was charged. To run the job again: magic-hour-studio-cli resume %s\n"),
             mh_job_record_get_id (record));
}

void
mh_cli_run_job (Cli   *cli,
                MhJob *job)
{
  MhCliProgress *progress;

  cli->job = job;
  progress = mh_cli_progress_new (job, cli->output);
  mh_job_run_async (job, cli->cancellable, job_done_cb, cli);
  g_main_loop_run (cli->loop);
  mh_cli_progress_finish (progress);
  /* The text output's "Error: Operation was cancelled" says nothing the
   * person does not know: they pressed Ctrl+C. */
  if (!cli->interrupted || cli->output == MH_CLI_OUTPUT_JSON || mh_job_get_state (job) == MH_JOB_STATE_DONE)
    mh_cli_print_result (job, cli->output);
  mh_cli_progress_free (progress);

  if (cli->interrupted && mh_job_get_state (job) != MH_JOB_STATE_DONE)
    print_canceled (job);
  cli->job = NULL;
}

static void
key_loaded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  mh_client_load_api_key_finish (MH_CLIENT (source), result, NULL);
  g_main_loop_quit (user_data);
}

MhClient *
mh_cli_client_new (const char   *base_url,
                   MhCliOutput   output,
                   GCancellable *cancellable)
{
  g_autoptr(MhClient) client = mh_client_new (base_url);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;

  mh_client_load_api_key_async (client, cancellable, key_loaded_cb, loop);
  g_main_loop_run (loop);

  if (!mh_client_check_ready (client, &error))
    {
      /* No key because the keyring said nothing: the way round it is the
       * environment, with the same exit status as no key at all. */
      if (g_error_matches (error, MH_ERROR, MH_ERROR_NO_KEY) && mh_client_keyring_timed_out (client))
        {
          g_autofree char *message =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "The keyring did not answer within %d second, so a saved API key could not be read. Set the key in the environment instead: export MAGIC_HOUR_API_KEY=…",
                                          "The keyring did not answer within %d seconds, so a saved API key could not be read. Set the key in the environment instead: export MAGIC_HOUR_API_KEY=…",
                                          MH_KEYRING_TIMEOUT_SECONDS),
                             MH_KEYRING_TIMEOUT_SECONDS);

          mh_cli_print_error (output, message);
          return NULL;
        }
      mh_cli_print_error (output, error->message);
      return NULL;
    }

  if (output == MH_CLI_OUTPUT_TEXT && g_strcmp0 (mh_client_get_base_url (client), MH_DEFAULT_BASE_URL) != 0)
    fprintf (stderr, _("Using the API at %s\n"), mh_client_get_base_url (client));

  return g_steal_pointer (&client);
}

gboolean
mh_cli_prepare_client (Cli *cli)
{
  cli->client = mh_cli_client_new (opt_base_url, cli->output, cli->cancellable);
  if (cli->client == NULL)
    {
      cli->exit_code = EXIT_USAGE;
      return FALSE;
    }

  return TRUE;
}

void
mh_cli_async_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Cli *cli = user_data;
  GAsyncResult **out = g_object_get_data (G_OBJECT (source), "mh-cli-result");

  *out = g_object_ref (result);
  g_main_loop_quit (cli->loop);
}

/* Runs the main loop until the store operation started with mh_cli_async_done_cb
 * finishes; returns its result. */
GAsyncResult *
mh_cli_wait_for_store (Cli *cli)
{
  GAsyncResult *result = NULL;

  g_object_set_data (G_OBJECT (cli->store), "mh-cli-result", &result);
  while (result == NULL)
    g_main_loop_run (cli->loop);
  g_object_set_data (G_OBJECT (cli->store), "mh-cli-result", NULL);
  return result;
}

static void
write_failed_cb (MhJobStore *store,
                 const char *message,
                 gpointer    user_data)
{
  fprintf (stderr, _("Warning: the job history could not be written, so this job cannot be resumed if interrupted: %s\n"),
           message);
}

/* The job history, shared with the app: every job run from here is in it. */
gboolean
mh_cli_open_store (Cli *cli)
{
  g_autoptr(GFile) dir = mh_job_store_default_dir ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cli->store = mh_job_store_new (dir);
  g_signal_connect (cli->store, "write-failed", G_CALLBACK (write_failed_cb), cli);
  mh_job_store_load_async (cli->store, NULL, mh_cli_async_done_cb, cli);
  result = mh_cli_wait_for_store (cli);
  if (!mh_job_store_load_finish (cli->store, result, &error))
    {
      mh_cli_report_error (cli, error->message);
      cli->exit_code = EXIT_JOB_FAILED;
      return FALSE;
    }
  mh_cli_history_print_problems (cli->store, cli->output);
  return TRUE;
}

static char *
option_arg_description (const MhOption *option)
{
  switch (option->type)
    {
    case MH_OPTION_CHOICE:
      {
        g_autoptr(GString) names = g_string_new (NULL);

        for (guint i = 0; i < option->n_choices; i++)
          g_string_append_printf (names, "%s%s", i > 0 ? "|" : "", option->choices[i].name);
        return g_string_free (g_steal_pointer (&names), FALSE);
      }
    case MH_OPTION_NUMBER:
      return g_strdup (g_str_has_suffix (option->json_path, "seconds") ? "S" : "X");
    case MH_OPTION_INTEGER:
      return g_strdup (g_str_has_suffix (option->key, "resolution") ? "PX" : "N");
    case MH_OPTION_STRING:
    default:
      return g_strdup (_("TEXT"));
    }
}

/* The strings GOption stores for a tool's --KEY options, freed on every
 * return (an option not given stays NULL, so this is no GStrv). */
typedef struct
{
  char  **values;
  guint   n;
} OptionValues;

static void
option_values_clear (OptionValues *values)
{
  for (guint i = 0; i < values->n; i++)
    g_free (values->values[i]);
  g_clear_pointer (&values->values, g_free);
  values->n = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OptionValues, option_values_clear)

/* The options of a tool command come from the tool table: one --KEY per
 * asset slot and per option, so a new option is one line in mh-tool.c. */
static int
run_tool (Cli          *cli,
          const MhTool *tool,
          int           argc,
          char        **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GArray) entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  g_autoptr(GPtrArray) arg_descriptions = g_ptr_array_new_with_free_func (g_free);
  g_auto(OptionValues) options = { g_new0 (char *, tool->n_slots + tool->n_options),
                                    tool->n_slots + tool->n_options };
  char **values = options.values;
  g_autoptr(GHashTable) params = mh_params_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MhJob) job = NULL;
  g_autofree char *output_dir = NULL;
  gboolean no_wait = FALSE, no_download = FALSE, dry_run = FALSE, no_face_check = FALSE;
  GOptionEntry face_check_entry[] = {
    { "no-face-check", 0, 0, G_OPTION_ARG_NONE, &no_face_check,
      N_("Do not ask Magic Hour (free) whether the photo has the face it needs before the job is created"), NULL },
  };
  GOptionEntry extra[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Check the inputs and tell what the job would cost, without sending anything"), NULL },
    { "output-dir", 'o', 0, G_OPTION_ARG_FILENAME, &output_dir,
      N_("Folder for the result (default: the current folder)"), N_("DIR") },
    { "no-wait", 0, 0, G_OPTION_ARG_NONE, &no_wait,
      N_("Create the job and print its project ID without waiting for it"), NULL },
    { "no-download", 0, 0, G_OPTION_ARG_NONE, &no_download,
      N_("Wait for the render but do not download the result"), NULL },
  };

  for (guint i = 0; i < tool->n_slots; i++)
    {
      const MhAssetSlot *slot = &tool->slots[i];
      GOptionEntry entry = { slot->key, 0, 0, G_OPTION_ARG_STRING, &values[i],
                             slot->description, slot->url_only ? "URL" : "FILE|URL" };
      g_array_append_val (entries, entry);
    }
  for (guint i = 0; i < tool->n_options; i++)
    {
      const MhOption *option = &tool->options[i];
      char *arg = option_arg_description (option);
      GOptionEntry entry = { option->key, 0, 0, G_OPTION_ARG_STRING, &values[tool->n_slots + i],
                             option->description, arg };
      g_ptr_array_add (arg_descriptions, arg);
      g_array_append_val (entries, entry);
    }
  g_array_append_vals (entries, extra, G_N_ELEMENTS (extra));
  if (mh_face_check_slot (tool) != NULL)
    g_array_append_vals (entries, face_check_entry, G_N_ELEMENTS (face_check_entry));

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _(tool->summary));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, (GOptionEntry *) entries->data, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, mh_cli_global_entries, GETTEXT_PACKAGE);

  if (!mh_cli_parse_with_globals (context, &argc, &argv, &error))
    {
      mh_cli_report_error (cli, error->message);
      return EXIT_USAGE;
    }
  if (argc > 1)
    {
      g_autofree char *message = g_strdup_printf (_("Unexpected argument “%s”. Run “%s --help”."),
                                                  argv[1], tool->id);
      mh_cli_report_error (cli, message);
      return EXIT_USAGE;
    }
  mh_cli_apply_output_options (cli);

  for (guint i = 0; i < tool->n_slots; i++)
    mh_params_set (params, tool->slots[i].key, values[i]);
  for (guint i = 0; i < tool->n_options; i++)
    mh_params_set (params, tool->options[i].key, values[tool->n_slots + i]);

  /* Input first: a mistake is reported even when no key is configured. The
   * option to fix is named, since the message speaks of the field's label. */
  {
    g_autofree char *bad_key = NULL;

    if (!mh_validate_params (tool, params, NULL, &bad_key, &error))
      {
        g_autofree char *message = bad_key != NULL
          ? g_strdup_printf ("--%s: %s", bad_key, error->message)
          : g_strdup (error->message);

        mh_cli_report_error (cli, message);
        return EXIT_USAGE;
      }
  }

  mh_cli_print_deprecation_notes (cli->output, tool, params);
  mh_params_apply_replacements (tool, params);

  if (dry_run)
    return mh_cli_print_estimate (cli->output, cli->cancellable, tool, params);

  if (!mh_cli_prepare_client (cli) || !mh_cli_open_store (cli))
    return cli->exit_code;

  job = mh_job_store_new_job (cli->store, cli->client, tool, params);
  mh_job_set_wait (job, !no_wait);
  mh_job_set_download (job, !no_download);
  mh_job_set_face_check (job, !no_face_check);
  if (output_dir != NULL)
    {
      g_autoptr(GFile) dir = g_file_new_for_commandline_arg (output_dir);
      mh_job_set_output_dir (job, dir);
    }

  mh_cli_run_job (cli, job);
  return cli->exit_code;
}

/* ------------------------------------------------------------------------ */
/* history, resume                                                          */

static gboolean
parse_command_options (Cli             *cli,
                       GOptionContext  *context,
                       int             *argc,
                       char          ***argv)
{
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, mh_cli_global_entries, GETTEXT_PACKAGE);
  if (!mh_cli_parse_with_globals (context, argc, argv, &error))
    {
      mh_cli_report_error (cli, error->message);
      cli->exit_code = EXIT_USAGE;
      return FALSE;
    }
  mh_cli_apply_output_options (cli);
  return TRUE;
}

static int
run_history (Cli   *cli,
             int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autofree char *tool_id = NULL;
  int limit = 0;
  GOptionEntry entries[] = {
    { "tool", 't', 0, G_OPTION_ARG_STRING, &tool_id,
      N_("Only the jobs of this tool (talking-photo, lip-sync, headshot)"), N_("TOOL") },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("Only the newest N jobs"), N_("N") },
    { NULL }
  };

  g_option_context_set_summary (context, _("List every job run on this computer, newest first, by the app or this tool."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_command_options (cli, context, &argc, &argv))
    return cli->exit_code;
  if (argc > 1 || limit < 0 || (tool_id != NULL && mh_tool_lookup (tool_id) == NULL))
    {
      g_autofree char *message = tool_id != NULL && mh_tool_lookup (tool_id) == NULL
        ? g_strdup_printf (_("Unknown tool “%s”: use talking-photo, lip-sync or headshot."), tool_id)
        : g_strdup (_("Usage: magic-hour-studio-cli history [--tool TOOL] [--limit N] [--json]"));
      mh_cli_report_error (cli, message);
      return EXIT_USAGE;
    }

  if (!mh_cli_open_store (cli))
    return cli->exit_code;
  mh_cli_history_print (cli->store, tool_id, (guint) limit, cli->output);
  return EXIT_DONE;
}

static int
run_library (Cli   *cli,
             int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;
  GOptionEntry entries[] = {
    { "type", 't', 0, G_OPTION_ARG_STRING, &type,
      N_("Only the saved items of this type (character, reference, voice, moodboard, brand_kit)"), N_("TYPE") },
    { NULL }
  };

  g_option_context_set_summary (context, _("List the saved items of your Magic Hour library, newest first. Give a file path as it is to --image, --audio or --video to use the item without uploading it again."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_command_options (cli, context, &argc, &argv))
    return cli->exit_code;
  if (argc > 1 || (type != NULL && !mh_library_type_is_valid (type)))
    {
      g_autofree char *message = type != NULL && !mh_library_type_is_valid (type)
        ? g_strdup_printf (_("Unknown type “%s”: use character, reference, voice, moodboard or brand_kit."), type)
        : g_strdup (_("Usage: magic-hour-studio-cli library [--type TYPE] [--json]"));
      mh_cli_report_error (cli, message);
      return EXIT_USAGE;
    }

  if (!mh_cli_prepare_client (cli))
    return cli->exit_code;
  if (!mh_cli_library_list (cli->client, type, cli->output, cli->cancellable, &error))
    {
      mh_cli_report_error (cli, error->message);
      return mh_cli_exit_code_for_error (cli, error);
    }
  return EXIT_DONE;
}

/* How bad an exit status is, to report the worst of several jobs. */
static int
exit_severity (int code)
{
  switch (code)
    {
    case EXIT_DONE: return 0;
    case EXIT_JOB_FAILED: return 1;
    case EXIT_NETWORK: return 2;
    case EXIT_REFUSED: return 3;
    case EXIT_USAGE: return 4;
    case EXIT_INTERRUPTED: return 5;
    default: return 1;
    }
}

static void
print_retry_hint (Cli         *cli,
                  MhJobRecord *record)
{
  if (cli->output == MH_CLI_OUTPUT_JSON)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "event");
      json_builder_add_string_value (builder, "not-resumed");
      json_builder_set_member_name (builder, "job");
      json_builder_add_string_value (builder, mh_job_record_get_id (record));
      json_builder_set_member_name (builder, "may_exist");
      json_builder_add_boolean_value (builder, mh_job_record_may_exist (record));
      json_builder_end_object (builder);
      mh_cli_json_event (builder);
      return;
    }

  if (mh_job_record_may_exist (record))
    fprintf (stderr, _("“%s” (%s) was interrupted while it was being created: it may exist at Magic Hour and be charged. Check your Magic Hour library; to run it again anyway: magic-hour-studio-cli resume %s\n"),
             mh_job_record_get_name (record), _(mh_job_record_get_tool (record)->name),
             mh_job_record_get_id (record));
  else
    fprintf (stderr, _("“%s” (%s) was interrupted before it reached Magic Hour; nothing was charged. To run it again: magic-hour-studio-cli resume %s\n"),
             mh_job_record_get_name (record), _(mh_job_record_get_tool (record)->name),
             mh_job_record_get_id (record));
}

/* Continues every job of the history that has a project at Magic Hour but
 * no result on disk yet; jobs that never reached Magic Hour are named, and
 * run again only when asked for by ID. Nothing is ever created twice. */
static int
run_resume (Cli   *cli,
            int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("[JOB…]"));
  g_autoptr(GPtrArray) chosen = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *records;
  int worst = EXIT_DONE;
  guint n;

  g_option_context_set_summary (context, _("Finish the jobs that were interrupted: wait for their projects at Magic Hour and download the results. Name a job (its ID from “history”) to run it again if it was interrupted before it reached Magic Hour."));
  if (!parse_command_options (cli, context, &argc, &argv))
    return cli->exit_code;

  if (!mh_cli_prepare_client (cli) || !mh_cli_open_store (cli))
    return cli->exit_code;

  records = mh_job_store_get_records (cli->store);
  n = g_list_model_get_n_items (records);

  if (argc > 1)
    {
      for (int a = 1; a < argc; a++)
        {
          MhJobRecord *record = mh_job_store_lookup (cli->store, argv[a]);

          if (record == NULL)
            record = mh_job_store_lookup_project (cli->store, argv[a]);
          if (record == NULL)
            {
              g_autofree char *message = g_strdup_printf (_("No job “%s” in the history. “magic-hour-studio-cli history” lists them."), argv[a]);
              mh_cli_report_error (cli, message);
              return EXIT_USAGE;
            }
          g_ptr_array_add (chosen, g_object_ref (record));
        }
    }
  else
    {
      /* Oldest first: the order they were started in. */
      for (guint i = n; i > 0; i--)
        {
          g_autoptr(MhJobRecord) record = g_list_model_get_item (records, i - 1);

          if (mh_job_record_needs_resume (record))
            g_ptr_array_add (chosen, g_steal_pointer (&record));
          else if (mh_job_record_needs_retry (record))
            print_retry_hint (cli, record);
        }
    }

  if (chosen->len == 0)
    {
      if (cli->output == MH_CLI_OUTPUT_TEXT)
        printf ("%s\n", _("Nothing to resume."));
      return EXIT_DONE;
    }

  for (guint i = 0; i < chosen->len && !cli->interrupted; i++)
    {
      MhJobRecord *record = g_ptr_array_index (chosen, i);
      gboolean again = argc > 1 && mh_job_record_get_state (record) == MH_JOB_STATE_DONE;
      g_autoptr(MhJob) job = mh_job_store_continue_job (cli->store, cli->client, record, again);

      if (cli->output == MH_CLI_OUTPUT_TEXT)
        fprintf (stderr, mh_job_record_get_project_id (record) != NULL
                           ? _("Resuming “%s” (%s), project %s\n")
                           : _("Running “%s” (%s) again\n"),
                 mh_job_record_get_name (record), _(mh_job_record_get_tool (record)->name),
                 mh_job_record_get_project_id (record));
      cli->exit_code = EXIT_DONE;
      mh_cli_run_job (cli, job);
      if (exit_severity (cli->exit_code) > exit_severity (worst))
        worst = cli->exit_code;
    }

  return worst;
}

/* ------------------------------------------------------------------------ */

static void
print_usage (FILE *out)
{
  guint n;
  const MhTool *const *tools = mh_tools (&n);

  fprintf (out, "%s\n\n", _("Usage: magic-hour-studio-cli [--api-base-url URL] [--json] [--quiet] COMMAND …"));
  fprintf (out, "%s\n", _("Make AI media with the Magic Hour API."));
  fprintf (out, "\n%s\n", _("Commands:"));
  for (guint i = 0; i < n; i++)
    fprintf (out, "  %-14s %s\n", tools[i]->id, _(tools[i]->summary));
  fprintf (out, "  %-14s %s\n", "status", _("Show a project's status"));
  fprintf (out, "  %-14s %s\n", "download", _("Wait for a project and download its result"));
  fprintf (out, "  %-14s %s\n", "delete", _("Delete a project's result at Magic Hour"));
  fprintf (out, "  %-14s %s\n", "account", _("Show the account's credits, plan and subscription"));
  fprintf (out, "  %-14s %s\n", "history", _("List the jobs run on this computer"));
  fprintf (out, "  %-14s %s\n", "resume", _("Finish the jobs that were interrupted"));
  fprintf (out, "  %-14s %s\n", "library", _("List the saved items of your Magic Hour library"));
  fprintf (out, "  %-14s %s\n", "simulator", _("Run a local simulator of the API"));
  fprintf (out, "  %-14s %s\n", "demo", _("Run a whole job against the built-in simulator"));
  fprintf (out, "\n%s\n", _("Run “magic-hour-studio-cli COMMAND --help” for a command's options."));
  fprintf (out, "%s\n", _("The API key comes from $MAGIC_HOUR_API_KEY, else from the keyring."));
  fprintf (out, "\n%s\n", _("Exit status: 0 done, 1 the job failed or was canceled, 2 invalid input, 3 refused by the API, 4 network or server failure, 130 interrupted."));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Cli cli = { 0 };
  const char *command;
  const MhTool *tool;
  const char *localedir;
  int status;

  setlocale (LC_ALL, "");
  /* An uninstalled build's translations (<build>/po), for the tests and
   * build-aux/run-app; installed, LOCALEDIR has them. */
  localedir = g_getenv ("MAGIC_HOUR_STUDIO_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE,
                  localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* "Preferences" is the app's word: here the key is MAGIC_HOUR_API_KEY. */
  mh_error_use_cli_words ();

  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      print_usage (stdout);
      return EXIT_DONE;
    }

  /* Global options stop at the command; each command parses the rest. */
  context = g_option_context_new (_("COMMAND …"));
  g_option_context_set_strict_posix (context, TRUE);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, mh_cli_global_entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, _("Error: %s\n"), error->message);
      print_usage (stderr);
      return EXIT_USAGE;
    }

  if (opt_version)
    {
      printf ("magic-hour-studio-cli %s\n", PACKAGE_VERSION);
      return EXIT_DONE;
    }

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? EXIT_USAGE : EXIT_DONE;
    }

  command = argv[1];
  cli.loop = g_main_loop_new (NULL, FALSE);
  cli.cancellable = g_cancellable_new ();
  cli.output = opt_json ? MH_CLI_OUTPUT_JSON : opt_quiet ? MH_CLI_OUTPUT_QUIET : MH_CLI_OUTPUT_TEXT;
  cli.command = command;

  if (!g_str_equal (command, "simulator"))
    {
      g_unix_signal_add (SIGINT, interrupt_cb, &cli);
      g_unix_signal_add (SIGTERM, interrupt_cb, &cli);
    }

  /* The command sees itself as argv[0], and its --help names it:
   * "Usage: magic-hour-studio-cli talking-photo [OPTION…]". */
  argv++;
  argc--;
  {
    g_autofree char *prgname = g_strdup_printf ("%s %s", g_get_prgname (), command);

    g_set_prgname (prgname);
  }

  if ((tool = mh_tool_lookup (command)) != NULL)
    status = run_tool (&cli, tool, argc, argv);
  else if (g_str_equal (command, "status") || g_str_equal (command, "download") ||
           g_str_equal (command, "delete"))
    status = mh_cli_run_project_command (&cli, command, argc, argv);
  else if (g_str_equal (command, "account"))
    status = mh_cli_account_run (argc, argv, opt_base_url, cli.output, cli.cancellable);
  else if (g_str_equal (command, "history"))
    status = run_history (&cli, argc, argv);
  else if (g_str_equal (command, "resume"))
    status = run_resume (&cli, argc, argv);
  else if (g_str_equal (command, "library"))
    status = run_library (&cli, argc, argv);
  else if (g_str_equal (command, "simulator"))
    status = mh_cli_simulator_run (&cli, argc, argv);
  else if (g_str_equal (command, "demo"))
    status = mh_cli_demo_run (argc, argv, cli.output, cli.cancellable);
  else
    {
      fprintf (stderr, _("Error: unknown command “%s”.\n"), command);
      print_usage (stderr);
      status = EXIT_USAGE;
    }

  g_clear_object (&cli.client);
  g_clear_object (&cli.store);
  g_clear_pointer (&cli.project_node, json_node_unref);
  g_free (cli.project_id);
  g_clear_object (&cli.cancellable);
  g_main_loop_unref (cli.loop);

  return status;
}
