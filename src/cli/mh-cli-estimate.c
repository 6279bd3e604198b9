/* mh-cli-estimate.c: what a tool command says before anything is sent
 *
 * The note for each deprecated option given, and --dry-run: the inputs
 * checked as a job checks them and the cost from the tool table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "mh-cli-estimate.h"
#include "mh-params.h"
#include "mh-validate.h"

/* One line on standard error for each deprecated option given: what it is
 * sent as now, or that the API may ignore it. */
void
mh_cli_print_deprecation_notes (MhCliOutput   output,
                                const MhTool *tool,
                                GHashTable   *params)
{
  if (output == MH_CLI_OUTPUT_QUIET)
    return;

  for (guint i = 0; i < tool->n_options; i++)
    {
      const MhOption *option = &tool->options[i];
      const char *value = mh_params_get (params, option->key);
      g_autofree char *note = NULL;
      double number;

      if (!option->deprecated || value == NULL)
        continue;

      if (option->replaced_by != NULL && mh_params_get (params, option->replaced_by) != NULL)
        note = g_strdup_printf (_("--%s is deprecated and is not sent, since --%s is given."),
                                option->key, option->replaced_by);
      else if (option->replaced_by != NULL && mh_params_get_number (params, option->key, &number))
        note = g_strdup_printf (_("--%s is deprecated: %s is sent as --%s %s."),
                                option->key, value, option->replaced_by,
                                mh_option_map_replacement (option, number));
      else
        note = g_strdup_printf (_("--%s is deprecated: Magic Hour may ignore it."), option->key);

      fprintf (stderr, _("Note: %s\n"), note);
    }
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Waiter;

static void
waiter_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
  g_main_loop_quit (waiter->loop);
}

/* The probed frame rate of the tool's local video, 0 when unknown (a link,
 * a saved item, or a tool without a video). */
static double
source_frame_rate (const MhTool *tool,
                   GAsyncResult *validated)
{
  for (guint i = 0; i < tool->n_slots; i++)
    {
      const MhMediaInfo *info;

      if (tool->slots[i].type != MH_ASSET_VIDEO)
        continue;
      info = mh_validate_get_media (validated, tool->slots[i].key);
      if (info != NULL && info->fps > 0)
        return info->fps;
    }

  return 0;
}

/* --dry-run: the files checked as a job checks them (type, existence,
 * duration against the range), then the cost from the tool table; nothing
 * is sent. */
int
mh_cli_print_estimate (MhCliOutput   output,
                       GCancellable *cancellable,
                       const MhTool *tool,
                       GHashTable   *params)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Waiter waiter = { loop, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_key = NULL;
  MhCostEstimate estimate;
  g_autofree char *text = NULL;
  double source_fps;
  gboolean valid;

  mh_validate_async (tool, params, cancellable, waiter_done_cb, &waiter);
  while (waiter.result == NULL)
    g_main_loop_run (loop);
  valid = mh_validate_finish (waiter.result, &bad_key, &error);
  if (!valid)
    {
      g_autofree char *message = bad_key != NULL
        ? g_strdup_printf ("--%s: %s", bad_key, error->message)
        : g_strdup (error->message);

      g_object_unref (waiter.result);
      mh_cli_print_error (output, message);
      return EXIT_USAGE;
    }

  source_fps = source_frame_rate (tool, waiter.result);
  g_object_unref (waiter.result);

  if (mh_tool_estimate_cost (tool, params, source_fps, &estimate))
    text = mh_cost_estimate_describe (&estimate, tool->fixed_credits > 0);

  if (output == MH_CLI_OUTPUT_JSON)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "event");
      json_builder_add_string_value (builder, "estimate");
      json_builder_set_member_name (builder, "credits");
      if (estimate.at_create >= 0)
        json_builder_add_int_value (builder, estimate.at_create);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      mh_cli_json_event (builder);
    }
  else if (output == MH_CLI_OUTPUT_QUIET)
    {
      if (estimate.at_create >= 0)
        printf ("%" G_GINT64_FORMAT "\n", estimate.at_create);
    }
  else
    {
      printf ("%s\n", text != NULL ? text : _("Magic Hour tells the charge when it accepts the job."));
      printf ("%s\n", _("Nothing was sent."));
    }

  return EXIT_DONE;
}
