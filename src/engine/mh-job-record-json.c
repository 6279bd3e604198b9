/* mh-job-record-json.c: a job record on disk, as JSON, read back with
 * every field checked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mh-engine-enums.h"
#include "mh-error.h"
#include "mh-job-record-private.h"
#include "mh-params.h"
#include "mh-result-name.h"

static void
add_time (JsonBuilder *builder,
          const char  *name,
          GDateTime   *time)
{
  json_builder_set_member_name (builder, name);
  if (time != NULL)
    {
      g_autofree char *text = g_date_time_format_iso8601 (time);
      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

/* The setters keep text valid; this keeps the file text even if a string
 * got in some other way. */
static void
add_text (JsonBuilder *builder,
          const char  *value)
{
  g_autofree char *valid = mh_job_record_text_dup (value);
  json_builder_add_string_value (builder, valid);
}

static void
add_member_name (JsonBuilder *builder,
                 const char  *name)
{
  g_autofree char *valid = mh_job_record_text_dup (name);
  json_builder_set_member_name (builder, valid);
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    add_text (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_path (JsonBuilder *builder,
          const char  *path)
{
  g_autofree char *text = mh_path_to_text (path);

  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

JsonNode *
mh_job_record_to_json (MhJobRecord *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (MH_IS_JOB_RECORD (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, MH_JOB_RECORD_VERSION);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "tool");
  json_builder_add_string_value (builder, self->tool->id);
  json_builder_set_member_name (builder, "name");
  add_text (builder, self->name);

  /* Inputs (paths and URLs) apart from options, as the issue describes them. */
  json_builder_set_member_name (builder, "inputs");
  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, self->params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (mh_tool_find_slot (self->tool, key) != NULL)
      {
        add_member_name (builder, key);
        if (mh_asset_value_classify (value) == MH_ASSET_VALUE_FILE)
          add_path (builder, value);
        else
          add_text (builder, value);
      }
  json_builder_end_object (builder);
  /* The names of inputs that have one (saved items), by slot. */
  json_builder_set_member_name (builder, "input_names");
  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, self->params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *slot_key = NULL;

      if (mh_params_is_input_name_key (key, &slot_key) &&
          mh_tool_find_slot (self->tool, slot_key) != NULL)
        {
          add_member_name (builder, slot_key);
          add_text (builder, value);
        }
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "options");
  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, self->params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (mh_tool_find_slot (self->tool, key) == NULL && !mh_params_is_input_name_key (key, NULL))
      {
        add_member_name (builder, key);
        add_text (builder, value);
      }
  json_builder_end_object (builder);

  add_string_or_null (builder, "api", self->api_base_url);
  json_builder_set_member_name (builder, "project");
  if (self->project_id != NULL)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      add_text (builder, self->project_id);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, self->tool->kind == MH_PROJECT_IMAGE ? "image" : "video");
      json_builder_set_member_name (builder, "deleted");
      json_builder_add_boolean_value (builder, self->deleted);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, mh_job_state_to_string (self->state));
  json_builder_set_member_name (builder, "credits");
  if (self->credits >= 0)
    json_builder_add_int_value (builder, self->credits);
  else
    json_builder_add_null_value (builder);
  add_time (builder, "created", self->created);
  add_time (builder, "updated", self->updated);
  json_builder_set_member_name (builder, "output_dir");
  add_path (builder, self->output_dir);
  json_builder_set_member_name (builder, "output_files");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->output_files->len; i++)
    add_path (builder, g_ptr_array_index (self->output_files, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "error");
  if (self->error_message != NULL)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "message");
      add_text (builder, self->error_message);
      add_string_or_null (builder, "domain", self->error_domain);
      json_builder_set_member_name (builder, "code");
      json_builder_add_int_value (builder, self->error_code);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
mh_job_record_to_data (MhJobRecord *self,
                       gsize       *length)
{
  g_autoptr(JsonNode) node = mh_job_record_to_json (self);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, length);
}

/* Readers for untrusted JSON: a member of the wrong type is an error, an
 * absent optional member is not. */
static gboolean
get_string (JsonObject  *object,
            const char  *name,
            gboolean     required,
            const char **value,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is missing"), name);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      !g_utf8_validate (json_node_get_string (node), -1, NULL) ||
      (required && *json_node_get_string (node) == '\0'))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not text"), name);
      return FALSE;
    }
  *value = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_int (JsonObject  *object,
         const char  *name,
         gint64      *value,
         GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not a number"), name);
      return FALSE;
    }
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_object (JsonObject  *object,
            const char  *name,
            JsonObject **value,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not an object"), name);
      return FALSE;
    }
  *value = json_node_get_object (node);
  return TRUE;
}

static gboolean
get_time (JsonObject  *object,
          const char  *name,
          GDateTime  **value,
          GError     **error)
{
  const char *text;

  if (!get_string (object, name, TRUE, &text, error))
    return FALSE;
  *value = g_date_time_new_from_iso8601 (text, NULL);
  if (*value == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not a date"), name);
      return FALSE;
    }
  return TRUE;
}

/* A path as mh_path_to_text() wrote it. */
static gboolean
get_path (JsonObject  *object,
          const char  *name,
          char       **path,
          GError     **error)
{
  const char *text;

  *path = NULL;
  if (!get_string (object, name, FALSE, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  *path = mh_path_from_text (text);
  if (*path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not a path"), name);
      return FALSE;
    }
  return TRUE;
}

/* The inputs (@tool's slots: local paths as mh_path_to_text() wrote them,
 * or URLs) or the options. A member name is text too: a \u escape of half
 * a character pair in it gives bytes that are not. */
static gboolean
read_string_map (JsonObject    *object,
                 const char    *name,
                 const MhTool  *tool,
                 GHashTable    *params,
                 GError       **error)
{
  JsonObject *map;
  g_autoptr(GList) members = NULL;

  if (!get_object (object, name, &map, error))
    return FALSE;
  if (map == NULL)
    return TRUE;

  members = json_object_get_members (map);
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *path = NULL;
      const char *value;

      if (!g_utf8_validate (l->data, -1, NULL))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“%s” is not text"), name);
          return FALSE;
        }
      if (tool != NULL && mh_tool_find_slot (tool, l->data) != NULL)
        {
          if (!get_path (map, l->data, &path, error))
            return FALSE;
          value = path;
        }
      else if (!get_string (map, l->data, FALSE, &value, error))
        return FALSE;
      mh_params_set (params, l->data, value);
    }
  return TRUE;
}

/* "input_names": the name of a slot's input, by slot (absent in records
 * written before saved items). */
static gboolean
read_input_names (JsonObject    *object,
                  const MhTool  *tool,
                  GHashTable    *params,
                  GError       **error)
{
  JsonObject *map;
  g_autoptr(GList) members = NULL;

  if (!get_object (object, "input_names", &map, error))
    return FALSE;
  if (map == NULL)
    return TRUE;

  members = json_object_get_members (map);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *value;

      if (!g_utf8_validate (l->data, -1, NULL) || mh_tool_find_slot (tool, l->data) == NULL)
        continue;
      if (!get_string (map, l->data, FALSE, &value, error))
        return FALSE;
      mh_params_set_input_name (params, l->data, value);
    }
  return TRUE;
}

static gboolean
parse_state (const char *text,
             MhJobState *state)
{
  for (MhJobState s = MH_JOB_STATE_IDLE; s <= MH_JOB_STATE_CANCELED; s++)
    if (g_str_equal (text, mh_job_state_to_string (s)))
      {
        *state = s;
        return TRUE;
      }
  return FALSE;
}

/* Older formats become the current one here, one version at a time, so a
 * record written by any earlier release stays readable. Version 1 is the
 * first, so there is nothing to upgrade yet; a version 2 would add
 * "case 1: ...; G_GNUC_FALLTHROUGH;" above the current one. */
static gboolean
migrate (JsonObject  *object,
         gint64       version,
         GError     **error)
{
  switch (version)
    {
    case MH_JOB_RECORD_VERSION:
      return TRUE;
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("unknown format version %lld"), (long long) version);
      return FALSE;
    }
}

MhJobRecord *
mh_job_record_new_from_json (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(MhJobRecord) self = NULL;
  JsonObject *object, *project, *err;
  const char *id, *tool_id, *name, *state, *text;
  gint64 version = 0;
  JsonNode *files;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("it is not a job record"));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!json_object_has_member (object, "version"))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("it has no format version"));
      return NULL;
    }
  if (!get_int (object, "version", &version, error))
    return NULL;
  if (version > MH_JOB_RECORD_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("a newer version of Magic Hour Studio wrote it (format %lld; this version reads up to %d)"),
                   (long long) version, MH_JOB_RECORD_VERSION);
      return NULL;
    }
  if (version < 1 || !migrate (object, version, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     _("unknown format version %lld"), (long long) version);
      return NULL;
    }

  self = g_object_new (MH_TYPE_JOB_RECORD, NULL);
  self->params = mh_params_new ();

  if (!get_string (object, "id", TRUE, &id, error) ||
      !get_string (object, "tool", TRUE, &tool_id, error) ||
      !get_string (object, "name", TRUE, &name, error) ||
      !get_string (object, "state", TRUE, &state, error))
    return NULL;
  /* The id names the file: nothing that could leave the folder. */
  if (strpbrk (id, "/\\") != NULL || id[0] == '.')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("its id is not valid"));
      return NULL;
    }
  self->id = g_strdup (id);
  self->tool = mh_tool_lookup (tool_id);
  if (self->tool == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("it names an unknown tool “%s”"), tool_id);
      return NULL;
    }
  self->name = g_strdup (name);
  if (!parse_state (state, &self->state))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("it has an unknown state “%s”"), state);
      return NULL;
    }

  if (!read_string_map (object, "inputs", self->tool, self->params, error) ||
      !read_string_map (object, "options", NULL, self->params, error) ||
      !read_input_names (object, self->tool, self->params, error))
    return NULL;

  if (!get_string (object, "api", FALSE, &text, error))
    return NULL;
  self->api_base_url = g_strdup (text);

  if (!get_object (object, "project", &project, error))
    return NULL;
  if (project != NULL)
    {
      JsonNode *deleted = json_object_get_member (project, "deleted");

      if (!get_string (project, "id", TRUE, &text, error))
        return NULL;
      self->project_id = g_strdup (text);
      if (deleted != NULL && JSON_NODE_HOLDS_VALUE (deleted) &&
          json_node_get_value_type (deleted) == G_TYPE_BOOLEAN)
        self->deleted = json_node_get_boolean (deleted);
    }

  if (!get_int (object, "credits", &self->credits, error) ||
      !get_time (object, "created", &self->created, error) ||
      !get_time (object, "updated", &self->updated, error))
    return NULL;

  if (!get_path (object, "output_dir", &self->output_dir, error))
    return NULL;

  files = json_object_get_member (object, "output_files");
  if (files != NULL && !JSON_NODE_HOLDS_NULL (files))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (files))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“%s” is not a list"), "output_files");
          return NULL;
        }
      array = json_node_get_array (files);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          char *path = NULL;

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING &&
              g_utf8_validate (json_node_get_string (element), -1, NULL))
            path = mh_path_from_text (json_node_get_string (element));
          if (path == NULL)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("“%s” is not a list of paths"), "output_files");
              return NULL;
            }
          g_ptr_array_add (self->output_files, path);
        }
    }

  if (!get_object (object, "error", &err, error))
    return NULL;
  if (err != NULL)
    {
      gint64 code = 0;

      if (!get_string (err, "message", TRUE, &text, error))
        return NULL;
      self->error_message = g_strdup (text);
      if (!get_string (err, "domain", FALSE, &text, error) ||
          !get_int (err, "code", &code, error))
        return NULL;
      self->error_domain = g_strdup (text);
      self->error_code = (int) code;
    }

  return g_steal_pointer (&self);
}

void
mh_job_record_update_from (MhJobRecord *self,
                           MhJobRecord *other)
{
  g_return_if_fail (MH_IS_JOB_RECORD (self));
  g_return_if_fail (MH_IS_JOB_RECORD (other));
  g_return_if_fail (g_str_equal (self->id, other->id));

  g_object_freeze_notify (G_OBJECT (self));
  mh_job_record_set_state (self, other->state);
  mh_job_record_set_project (self, other->project_id, other->credits);
  g_free (self->api_base_url);
  self->api_base_url = g_strdup (other->api_base_url);
  g_free (self->output_dir);
  self->output_dir = g_strdup (other->output_dir);

  if (g_strv_equal ((const char *const *) self->output_files->pdata,
                    (const char *const *) other->output_files->pdata) == FALSE)
    {
      g_ptr_array_set_size (self->output_files, 0);
      for (guint i = 0; i < other->output_files->len; i++)
        g_ptr_array_add (self->output_files, g_strdup (g_ptr_array_index (other->output_files, i)));
      g_object_notify (G_OBJECT (self), "output-files");
    }
  if (g_strcmp0 (self->error_message, other->error_message) != 0)
    {
      g_free (self->error_message);
      self->error_message = g_strdup (other->error_message);
      g_object_notify (G_OBJECT (self), "error-message");
    }
  g_free (self->error_domain);
  self->error_domain = g_strdup (other->error_domain);
  self->error_code = other->error_code;
  mh_job_record_set_deleted (self, other->deleted);
  if (!g_date_time_equal (self->updated, other->updated))
    {
      g_date_time_unref (self->updated);
      self->updated = g_date_time_ref (other->updated);
      g_object_notify (G_OBJECT (self), "updated");
    }
  g_object_thaw_notify (G_OBJECT (self));
}
