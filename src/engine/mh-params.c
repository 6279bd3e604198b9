/* mh-params.c: a job's inputs and the request body built from them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "mh-params.h"

GHashTable *
mh_params_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

GHashTable *
mh_params_copy (GHashTable *params)
{
  GHashTable *copy = mh_params_new ();
  GHashTableIter iter;
  gpointer key, value;

  if (params == NULL)
    return copy;

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), g_strdup (value));

  return copy;
}

/* An empty or blank value means "not set": it is removed, so it is never sent. */
void
mh_params_set (GHashTable *params,
               const char *key,
               const char *value)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (params != NULL);
  g_return_if_fail (key != NULL);

  if (value != NULL)
    stripped = g_strstrip (g_strdup (value));

  if (stripped == NULL || *stripped == '\0')
    g_hash_table_remove (params, key);
  else
    g_hash_table_insert (params, g_strdup (key), g_steal_pointer (&stripped));
}

const char *
mh_params_get (GHashTable *params,
               const char *key)
{
  return params != NULL ? g_hash_table_lookup (params, key) : NULL;
}

/* A number in C locale, the whole string, finite. */
gboolean
mh_params_get_number (GHashTable *params,
                      const char *key,
                      double     *value)
{
  const char *text = mh_params_get (params, key);
  char *end = NULL;
  double v;

  if (text == NULL)
    return FALSE;

  v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (v))
    return FALSE;

  *value = v;
  return TRUE;
}

#define INPUT_NAME_SUFFIX ":name"

void
mh_params_set_input_name (GHashTable *params,
                          const char *slot_key,
                          const char *name)
{
  g_autofree char *key = NULL;

  g_return_if_fail (params != NULL);
  g_return_if_fail (slot_key != NULL);

  key = g_strconcat (slot_key, INPUT_NAME_SUFFIX, NULL);
  mh_params_set (params, key, name);
}

const char *
mh_params_get_input_name (GHashTable *params,
                          const char *slot_key)
{
  g_autofree char *key = NULL;

  if (params == NULL || slot_key == NULL)
    return NULL;

  key = g_strconcat (slot_key, INPUT_NAME_SUFFIX, NULL);
  return mh_params_get (params, key);
}

gboolean
mh_params_is_input_name_key (const char  *key,
                             char       **slot_key)
{
  gsize len = key != NULL ? strlen (key) : 0;

  if (len <= strlen (INPUT_NAME_SUFFIX) || !g_str_has_suffix (key, INPUT_NAME_SUFFIX))
    return FALSE;

  if (slot_key != NULL)
    *slot_key = g_strndup (key, len - strlen (INPUT_NAME_SUFFIX));
  return TRUE;
}

MhAssetValueKind
mh_asset_value_classify (const char *value)
{
  if (g_str_has_prefix (value, "http://") || g_str_has_prefix (value, "https://") ||
      g_str_has_prefix (value, "HTTP://") || g_str_has_prefix (value, "HTTPS://"))
    return MH_ASSET_VALUE_URL;

  if (g_str_has_prefix (value, "api-assets/"))
    return MH_ASSET_VALUE_API_PATH;

  if (g_str_has_prefix (value, "saved-items/"))
    return MH_ASSET_VALUE_SAVED_ITEM;

  return MH_ASSET_VALUE_FILE;
}

GFile *
mh_asset_value_get_file (const char *value)
{
  if (g_str_has_prefix (value, "file://"))
    return g_file_new_for_uri (value);

  return g_file_new_for_commandline_arg (value);
}

char *
mh_path_to_text (const char *path)
{
  char *uri;

  if (path == NULL || g_utf8_validate (path, -1, NULL))
    return g_strdup (path);
  uri = g_filename_to_uri (path, NULL, NULL);
  /* Only a relative path has no URI: the job's paths are absolute. */
  return uri != NULL ? uri : g_utf8_make_valid (path, -1);
}

char *
mh_path_from_text (const char *text)
{
  g_autofree char *host = NULL;
  char *path;

  if (text == NULL || !g_str_has_prefix (text, "file://"))
    return g_strdup (text);
  path = g_filename_from_uri (text, &host, NULL);
  if (path != NULL && host != NULL && !g_str_equal (host, "localhost"))
    g_clear_pointer (&path, g_free);
  return path;
}

/* Sets a member at a dotted path ("style.generation_mode"), creating the
 * objects on the way. */
static void
set_at_path (JsonObject *root,
             const char *path,
             JsonNode   *value)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *object = root;
  guint n = g_strv_length (parts);

  for (guint i = 0; i + 1 < n; i++)
    {
      JsonObject *child;

      if (!json_object_has_member (object, parts[i]))
        json_object_set_object_member (object, parts[i], json_object_new ());
      child = json_object_get_object_member (object, parts[i]);
      object = child;
    }

  json_object_set_member (object, parts[n - 1], value);
}

JsonNode *
mh_params_build_body (const MhTool *tool,
                      GHashTable   *params,
                      GHashTable   *assets)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonNode *node;

  for (guint i = 0; i < tool->n_slots; i++)
    {
      const MhAssetSlot *slot = &tool->slots[i];
      const char *value = mh_params_get (params, slot->key);
      const char *sent = NULL;

      if (value == NULL)
        continue;

      if (assets != NULL)
        sent = g_hash_table_lookup (assets, slot->key);
      if (sent == NULL)
        sent = value;

      set_at_path (root, slot->json_path, json_node_init_string (json_node_alloc (), sent));
      if (slot->source_json_path != NULL)
        set_at_path (root, slot->source_json_path,
                     json_node_init_string (json_node_alloc (), slot->source_value));
    }

  for (guint i = 0; i < tool->n_options; i++)
    {
      const MhOption *option = &tool->options[i];
      const char *value = mh_params_get (params, option->key);
      JsonNode *member = NULL;
      double number;

      if (value == NULL || !mh_tool_option_applies (tool, option, params))
        continue;

      /* A deprecated option is sent as its replacement, never beside it. */
      if (option->replaced_by != NULL)
        {
          const MhOption *replacement = mh_tool_find_option (tool, option->replaced_by);
          const MhChoice *choice = NULL;

          if (replacement != NULL && mh_params_get (params, replacement->key) == NULL &&
              mh_params_get_number (params, option->key, &number))
            choice = mh_option_resolve_choice (replacement,
                                               mh_option_map_replacement (option, number));
          if (choice != NULL)
            set_at_path (root, replacement->json_path,
                         json_node_init_string (json_node_alloc (), choice->wire));
          continue;
        }

      switch (option->type)
        {
        case MH_OPTION_STRING:
          member = json_node_init_string (json_node_alloc (), value);
          break;

        case MH_OPTION_CHOICE:
          {
            const MhChoice *choice = mh_option_resolve_choice (option, value);

            if (choice != NULL)
              member = json_node_init_string (json_node_alloc (), choice->wire);
          }
          break;

        case MH_OPTION_NUMBER:
          if (mh_params_get_number (params, option->key, &number))
            member = json_node_init_double (json_node_alloc (), number);
          break;

        case MH_OPTION_INTEGER:
          if (mh_params_get_number (params, option->key, &number))
            member = json_node_init_int (json_node_alloc (), (gint64) number);
          break;

        default:
          g_assert_not_reached ();
        }

      if (member != NULL)
        set_at_path (root, option->json_path, member);
    }

  node = json_node_alloc ();
  json_node_init_object (node, root);
  return node;
}

gboolean
mh_params_apply_replacements (const MhTool *tool,
                              GHashTable   *params)
{
  gboolean changed = FALSE;

  for (guint i = 0; i < tool->n_options; i++)
    {
      const MhOption *option = &tool->options[i];
      const MhOption *replacement;
      double number;

      if (option->replaced_by == NULL || mh_params_get (params, option->key) == NULL)
        continue;

      replacement = mh_tool_find_option (tool, option->replaced_by);
      if (replacement != NULL && mh_params_get (params, replacement->key) == NULL &&
          mh_params_get_number (params, option->key, &number))
        mh_params_set (params, replacement->key, mh_option_map_replacement (option, number));
      g_hash_table_remove (params, option->key);
      changed = TRUE;
    }

  return changed;
}

JsonNode *
mh_params_to_json (GHashTable *params)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GList) keys = g_hash_table_get_keys (params);
  JsonNode *node;

  keys = g_list_sort (keys, (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    json_object_set_string_member (object, l->data, g_hash_table_lookup (params, l->data));

  node = json_node_alloc ();
  json_node_init_object (node, object);
  return node;
}

GHashTable *
mh_params_from_json (JsonNode *node)
{
  GHashTable *params = mh_params_new ();
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return params;

  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &key, &value))
    if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
      mh_params_set (params, key, json_node_get_string (value));

  return params;
}
