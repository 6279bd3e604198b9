/* mh-project.c: a video or image project as the API reports it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mh-error.h"
#include "mh-project.h"

static const struct { const char *text; MhProjectStatus status; } statuses[] = {
  { "draft", MH_PROJECT_STATUS_DRAFT },
  { "queued", MH_PROJECT_STATUS_QUEUED },
  { "rendering", MH_PROJECT_STATUS_RENDERING },
  { "complete", MH_PROJECT_STATUS_COMPLETE },
  { "error", MH_PROJECT_STATUS_ERROR },
  { "canceled", MH_PROJECT_STATUS_CANCELED },
};

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* An ISO 8601 date and time (UTC when it names no zone) as real time in
 * microseconds, 0 when it cannot be read. */
gint64
mh_project_parse_time (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) time = NULL;

  if (text == NULL)
    return 0;
  time = g_date_time_new_from_iso8601 (text, utc);
  if (time == NULL)
    return 0;

  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

static void
add_download (MhProject *project,
              JsonNode  *node)
{
  const char *url;
  gint64 expiry;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  url = get_string (json_node_get_object (node), "url");
  if (url == NULL || *url == '\0')
    return;

  g_ptr_array_add (project->downloads, g_strdup (url));
  expiry = mh_project_parse_time (get_string (json_node_get_object (node), "expires_at"));
  g_array_append_val (project->download_expiry, expiry);
}

MhProject *
mh_project_parse (JsonNode  *node,
                  GError   **error)
{
  g_autoptr(MhProject) project = NULL;
  JsonObject *object;
  JsonNode *member;
  const char *status;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, MH_ERROR, MH_ERROR_MALFORMED,
                           _("Magic Hour's answer about the project could not be read."));
      return NULL;
    }

  object = json_node_get_object (node);
  status = get_string (object, "status");
  if (status == NULL)
    {
      g_set_error_literal (error, MH_ERROR, MH_ERROR_MALFORMED,
                           _("Magic Hour's answer about the project has no status."));
      return NULL;
    }

  project = g_new0 (MhProject, 1);
  project->downloads = g_ptr_array_new_with_free_func (g_free);
  project->download_expiry = g_array_new (FALSE, FALSE, sizeof (gint64));
  project->id = g_strdup (get_string (object, "id"));
  project->name = g_strdup (get_string (object, "name"));
  project->type = g_strdup (get_string (object, "type"));
  project->status_text = g_strdup (status);
  project->status = MH_PROJECT_STATUS_UNKNOWN;
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (g_ascii_strcasecmp (status, statuses[i].text) == 0)
      project->status = statuses[i].status;

  member = json_object_get_member (object, "credits_charged");
  project->credits_charged = -1;
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
      (json_node_get_value_type (member) == G_TYPE_INT64 ||
       json_node_get_value_type (member) == G_TYPE_DOUBLE))
    project->credits_charged = json_node_get_int (member);
  /* Below zero is no charge anyone could have made: unknown, as when absent. */
  if (project->credits_charged < 0)
    project->credits_charged = -1;

  member = json_object_get_member (object, "enabled");
  project->enabled = member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
                     json_node_get_value_type (member) != G_TYPE_BOOLEAN ||
                     json_node_get_boolean (member);

  member = json_object_get_member (object, "error");
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonObject *err = json_node_get_object (member);

      project->error_code = g_strdup (get_string (err, "code"));
      project->error_message = g_strdup (get_string (err, "message"));
    }

  member = json_object_get_member (object, "downloads");
  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *array = json_node_get_array (member);

      for (guint i = 0; i < json_array_get_length (array); i++)
        add_download (project, json_array_get_element (array, i));
    }
  if (project->downloads->len == 0)
    add_download (project, json_object_get_member (object, "download"));

  return g_steal_pointer (&project);
}

void
mh_project_free (MhProject *project)
{
  if (project == NULL)
    return;

  g_free (project->id);
  g_free (project->name);
  g_free (project->type);
  g_free (project->status_text);
  g_free (project->error_code);
  g_free (project->error_message);
  g_clear_pointer (&project->downloads, g_ptr_array_unref);
  g_clear_pointer (&project->download_expiry, g_array_unref);
  g_free (project);
}

gboolean
mh_project_status_is_terminal (MhProjectStatus status)
{
  return status == MH_PROJECT_STATUS_COMPLETE ||
         status == MH_PROJECT_STATUS_ERROR ||
         status == MH_PROJECT_STATUS_CANCELED;
}

const char *
mh_project_status_to_string (MhProjectStatus status)
{
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (statuses[i].status == status)
      return statuses[i].text;

  return "unknown";
}
