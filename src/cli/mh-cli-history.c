/* mh-cli-history.c: `magic-hour-studio-cli history`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "mh-cli-history.h"

/* @text cut or padded to @width characters (not bytes: names are UTF-8). */
static void
print_cell (const char *text,
            guint       width,
            gboolean    last)
{
  glong length = g_utf8_strlen (text, -1);

  if (last)
    {
      printf ("%s\n", text);
      return;
    }
  if ((guint) length > width)
    {
      g_autofree char *cut = g_utf8_substring (text, 0, width - 1);
      printf ("%s… ", cut);
      return;
    }
  printf ("%s%*s ", text, (int) (width - length), "");
}

static char *
format_when (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static void
print_json (GPtrArray *records)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, "history");
  json_builder_set_member_name (builder, "jobs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < records->len; i++)
    {
      MhJobRecord *record = g_ptr_array_index (records, i);
      JsonNode *node = mh_job_record_to_json (record);
      g_autofree char *status = mh_job_record_describe_status (record);

      /* The stored record, plus what `history` says of it. */
      json_object_set_string_member (json_node_get_object (node), "status", status);
      json_object_set_boolean_member (json_node_get_object (node), "needs_resume",
                                      mh_job_record_needs_resume (record));
      json_object_set_boolean_member (json_node_get_object (node), "needs_retry",
                                      mh_job_record_needs_retry (record));
      json_builder_add_value (builder, node);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  mh_cli_json_event (builder);
}

void
mh_cli_history_print (MhJobStore  *store,
                      const char  *tool_id,
                      guint        limit,
                      MhCliOutput  output)
{
  GListModel *model = mh_job_store_get_records (store);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (model);
  guint tool_width;

  for (guint i = 0; i < n && (limit == 0 || records->len < limit); i++)
    {
      g_autoptr(MhJobRecord) record = g_list_model_get_item (model, i);

      if (tool_id == NULL || g_str_equal (mh_job_record_get_tool (record)->id, tool_id))
        g_ptr_array_add (records, g_steal_pointer (&record));
    }

  if (output == MH_CLI_OUTPUT_JSON)
    {
      print_json (records);
      return;
    }

  if (records->len == 0)
    {
      if (output == MH_CLI_OUTPUT_TEXT)
        printf ("%s\n", _("No jobs yet."));
      return;
    }

  /* Columns: when, tool, name, credits, status, then the job ID and where
   * the result is, on a line of their own, so long paths stay whole. The
   * tool column fits the (translated) tool names. */
  tool_width = g_utf8_strlen (_("Tool"), -1);
  for (guint i = 0; i < records->len; i++)
    tool_width = MAX (tool_width, (guint) g_utf8_strlen (_(mh_job_record_get_tool (g_ptr_array_index (records, i))->name), -1));
  print_cell (_("When"), 16, FALSE);
  print_cell (_("Tool"), tool_width, FALSE);
  print_cell (_("Name"), 20, FALSE);
  print_cell (_("Credits"), 7, FALSE);
  print_cell (_("Status"), 0, TRUE);

  for (guint i = 0; i < records->len; i++)
    {
      MhJobRecord *record = g_ptr_array_index (records, i);
      g_autofree char *when = format_when (mh_job_record_get_created (record));
      g_autofree char *status = mh_job_record_describe_status (record);
      g_autofree char *credits = mh_job_record_get_credits (record) >= 0
        ? g_strdup_printf ("%lld", (long long) mh_job_record_get_credits (record))
        : g_strdup ("–");
      const char *const *files = mh_job_record_get_output_files (record);

      print_cell (when, 16, FALSE);
      print_cell (_(mh_job_record_get_tool (record)->name), tool_width, FALSE);
      print_cell (mh_job_record_get_name (record), 20, FALSE);
      print_cell (credits, 7, FALSE);
      print_cell (status, 0, TRUE);
      printf ("    %s %s", _("Job:"), mh_job_record_get_id (record));
      if (mh_job_record_get_project_id (record) != NULL)
        printf ("  %s %s", _("Project:"), mh_job_record_get_project_id (record));
      printf ("\n");
      /* Paths are file names, which need not be UTF-8: printed as text. */
      for (guint f = 0; files[f] != NULL; f++)
        {
          g_autofree char *display = g_filename_display_name (files[f]);
          printf ("    %s\n", display);
        }
    }
}

void
mh_cli_history_print_problems (MhJobStore  *store,
                               MhCliOutput  output)
{
  const char *const *problems = mh_job_store_get_problems (store);

  for (guint i = 0; problems[i] != NULL; i++)
    {
      if (output == MH_CLI_OUTPUT_JSON)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "event");
          json_builder_add_string_value (builder, "warning");
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, problems[i]);
          json_builder_end_object (builder);
          mh_cli_json_event (builder);
        }
      fprintf (stderr, _("Warning: %s\n"), problems[i]);
    }
}
