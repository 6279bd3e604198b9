/* mh-cli-simulator.c: `magic-hour-studio-cli simulator`
 *
 * The project's simulator of the API as a process of its own, for scripts
 * and for tests that run the app or the CLI elsewhere (build-aux/test-flatpak
 * runs them in a Flatpak sandbox): --request-log then tells what arrived.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "mh-cli-simulator.h"
#include "mh-simulator.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* One JSON object per line for each request, oldest first: what a test
 * outside the process checks (the bytes a PUT carried, whether a call was
 * refused). The Authorization header's value is never written: only
 * whether there was one. */
static gboolean
write_request_log (MhSimulator  *simulator,
                   const char   *path,
                   GError      **error)
{
  GPtrArray *requests = mh_simulator_get_requests (simulator);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < requests->len; i++)
    {
      const MhSimRequest *req = g_ptr_array_index (requests, i);
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *line = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, req->method);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, req->path);
      json_builder_set_member_name (builder, "endpoint");
      if (req->endpoint != NULL)
        json_builder_add_string_value (builder, req->endpoint);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "status");
      json_builder_add_int_value (builder, req->status);
      json_builder_set_member_name (builder, "authorization");
      json_builder_add_boolean_value (builder, req->authorization != NULL);
      json_builder_set_member_name (builder, "body_bytes");
      json_builder_add_int_value (builder, (gint64) req->body_bytes);
      json_builder_set_member_name (builder, "body_sha256");
      if (req->body_sha256 != NULL)
        json_builder_add_string_value (builder, req->body_sha256);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);

      node = json_builder_get_root (builder);
      line = json_to_string (node, FALSE);
      g_string_append_printf (text, "%s\n", line);
    }

  return g_file_set_contents (path, text->str, text->len, error);
}

int
mh_cli_simulator_run (Cli   *cli,
                      int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MhSimulator) simulator = NULL;
  g_autofree char *required_key = NULL;
  g_autofree char *tier = NULL;
  g_autofree char *library = NULL;
  g_autofree char *storage_url = NULL;
  g_autofree char *request_log = NULL;
  g_auto(GStrv) faults = NULL;
  int port = 0;
  gboolean past_due = FALSE;
  gboolean no_account = FALSE;
  gboolean legacy_errors = FALSE;
  double render_seconds = 20;
  gint64 output_bytes = 0;
  gint64 credits = -1;
  int faces = 1;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, N_("Port on 127.0.0.1 (default: any free port)"), N_("N") },
    { "render-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &render_seconds,
      N_("How long each render takes (default: 20)"), N_("S") },
    { "require-key", 0, 0, G_OPTION_ARG_STRING, &required_key,
      N_("Accept only this API key (default: any non-empty key)"), N_("KEY") },
    { "output-bytes", 0, 0, G_OPTION_ARG_INT64, &output_bytes,
      N_("Pad every result to this size, keeping it valid (benchmarks)"), N_("N") },
    { "credits", 0, 0, G_OPTION_ARG_INT64, &credits, N_("The account's credit balance"), N_("N") },
    { "tier", 0, 0, G_OPTION_ARG_STRING, &tier, N_("The account's plan: free, creator, pro or business"), N_("TIER") },
    { "past-due", 0, 0, G_OPTION_ARG_NONE, &past_due,
      N_("The subscription's payment is past due (the account is served as a free one)"), NULL },
    { "no-account", 0, 0, G_OPTION_ARG_NONE, &no_account,
      N_("Answer 404 to /v1/account, as an older server"), NULL },
    { "legacy-errors", 0, 0, G_OPTION_ARG_NONE, &legacy_errors,
      N_("Error bodies without a code, as older answers"), NULL },
    { "faces", 0, 0, G_OPTION_ARG_INT, &faces,
      N_("Faces found in a photo whose name does not say (no-face, two-faces, faces-N); default: 1"), N_("N") },
    { "fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &faults,
      N_("Inject a fault: ENDPOINT:KIND[:COUNT[:ARG]], e.g. create:status:1:402:subscription_required, delete:template, project:expiring:1:30 (repeatable)"), N_("SPEC") },
    { "library", 0, 0, G_OPTION_ARG_FILENAME, &library,
      N_("Serve the files of this folder as the account's saved items"), N_("DIR") },
    { "storage-url", 0, 0, G_OPTION_ARG_STRING, &storage_url,
      N_("Benchmarks only: hand out upload and result URLs under this base URL of another server (e.g. bench/sink). The simulator does not see those uploads: a create accepts the file paths it handed out without checking what was uploaded"), N_("URL") },
    { "request-log", 0, 0, G_OPTION_ARG_FILENAME, &request_log,
      N_("When stopped, write every request received to this file, one JSON object per line (never the key)"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Run a local simulator of the Magic Hour API on 127.0.0.1. Its base URL is printed on the first line."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      mh_cli_report_error (cli, error->message);
      return EXIT_USAGE;
    }
  if (port < 0 || port > 65535 || render_seconds < 0 || output_bytes < 0 || faces < 0)
    {
      mh_cli_report_error (cli, _("The port, the render time and the output size must be positive."));
      return EXIT_USAGE;
    }
  if (tier != NULL && !g_strv_contains ((const char *const[]) { "free", "creator", "pro", "business", NULL },
                                        tier))
    {
      g_autofree char *text = g_strdup_printf (_("Unknown plan “%s”: expected free, creator, pro or business."),
                                               tier);

      mh_cli_report_error (cli, text);
      return EXIT_USAGE;
    }

  simulator = mh_simulator_new ();
  g_object_set (simulator, "render-seconds", render_seconds, "output-bytes", (guint64) output_bytes, NULL);
  if (required_key != NULL)
    mh_simulator_set_required_key (simulator, required_key);
  if (credits >= 0)
    g_object_set (simulator, "credits", credits, NULL);
  if (tier != NULL)
    g_object_set (simulator, "tier", tier, NULL);
  g_object_set (simulator, "past-due", past_due, "no-account", no_account,
                "legacy-errors", legacy_errors, NULL);
  g_object_set (simulator, "faces", (guint) MIN (faces, 64), NULL);
  if (library != NULL && !g_file_test (library, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *display = g_filename_display_name (library);
      g_autofree char *message = g_strdup_printf (_("“%s” is not a folder."), display);

      mh_cli_report_error (cli, message);
      return EXIT_USAGE;
    }
  if (library != NULL)
    g_object_set (simulator, "library-dir", library, NULL);
  if (storage_url != NULL && !g_str_has_prefix (storage_url, "http://") &&
      !g_str_has_prefix (storage_url, "https://"))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not an http:// or https:// URL."),
                                                  storage_url);

      mh_cli_report_error (cli, message);
      return EXIT_USAGE;
    }
  if (storage_url != NULL)
    g_object_set (simulator, "storage-url", storage_url, NULL);
  for (guint i = 0; faults != NULL && faults[i] != NULL; i++)
    if (!mh_simulator_add_fault_from_string (simulator, faults[i], &error))
      {
        mh_cli_report_error (cli, error->message);
        return EXIT_USAGE;
      }

  if (!mh_simulator_start (simulator, port, &error))
    {
      mh_cli_report_error (cli, error->message);
      return EXIT_JOB_FAILED;
    }

  printf ("%s\n", mh_simulator_get_base_url (simulator));
  fflush (stdout);
  fprintf (stderr, "%s\n", _("The simulator is running. Press Ctrl+C to stop it."));

  g_unix_signal_add (SIGTERM, quit_cb, cli->loop);
  g_unix_signal_add (SIGINT, quit_cb, cli->loop);
  g_main_loop_run (cli->loop);
  mh_simulator_stop (simulator);
  if (request_log != NULL && !write_request_log (simulator, request_log, &error))
    {
      mh_cli_report_error (cli, error->message);
      return EXIT_JOB_FAILED;
    }
  return EXIT_DONE;
}
