/* mh-library.c: the user's Magic Hour library (GET /v1/saved-items)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mh-error.h"
#include "mh-library.h"

static const char *const saved_item_types[] = { MH_SAVED_ITEM_TYPES };

G_DEFINE_BOXED_TYPE (MhSavedItem, mh_saved_item, mh_saved_item_ref, mh_saved_item_unref)

static void
saved_asset_free (MhSavedAsset *asset)
{
  g_free (asset->file_path);
  g_free (asset->url);
  g_free (asset);
}

static void
saved_item_clear (gpointer data)
{
  MhSavedItem *item = data;

  g_free (item->id);
  g_free (item->type);
  g_free (item->name);
  g_ptr_array_unref (item->assets);
}

MhSavedItem *
mh_saved_item_ref (MhSavedItem *item)
{
  return g_rc_box_acquire (item);
}

void
mh_saved_item_unref (MhSavedItem *item)
{
  g_rc_box_release_full (item, saved_item_clear);
}

const MhSavedAsset *
mh_saved_item_find_asset (MhSavedItem *item,
                          MhAssetType  kind)
{
  g_return_val_if_fail (item != NULL, NULL);

  for (guint i = 0; i < item->assets->len; i++)
    {
      const MhSavedAsset *asset = g_ptr_array_index (item->assets, i);

      if (asset->media_kind == kind)
        return asset;
    }

  return NULL;
}

char *
mh_saved_item_dup_display_name (MhSavedItem *item)
{
  static const struct
  {
    const char *type;
    const char *text;
  } untitled[] = {
    { "character", N_("Untitled character") },
    { "reference", N_("Untitled reference") },
    { "voice", N_("Untitled voice") },
    { "moodboard", N_("Untitled moodboard") },
    { "brand_kit", N_("Untitled brand kit") },
  };

  g_return_val_if_fail (item != NULL, NULL);

  if (item->name != NULL && *item->name != '\0')
    return g_strdup (item->name);

  for (guint i = 0; i < G_N_ELEMENTS (untitled); i++)
    if (g_strcmp0 (item->type, untitled[i].type) == 0)
      return g_strdup (_(untitled[i].text));

  return g_strdup (_("Untitled saved item"));
}

const char *
mh_saved_asset_media_kind_to_string (MhAssetType kind)
{
  switch (kind)
    {
    case MH_ASSET_IMAGE: return "IMAGE";
    case MH_ASSET_AUDIO: return "AUDIO";
    case MH_ASSET_VIDEO: return "VIDEO";
    default: g_return_val_if_reached (NULL);
    }
}

void
mh_library_page_free (MhLibraryPage *page)
{
  if (page == NULL)
    return;

  g_ptr_array_unref (page->items);
  g_free (page->next_cursor);
  g_free (page);
}

gboolean
mh_library_type_is_valid (const char *type)
{
  if (type == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (saved_item_types); i++)
    if (g_str_equal (type, saved_item_types[i]))
      return TRUE;

  return FALSE;
}

/* The string member @name, NULL when absent, null or not a string. */
static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
parse_media_kind (const char  *text,
                  MhAssetType *kind)
{
  const MhAssetType kinds[] = { MH_ASSET_IMAGE, MH_ASSET_VIDEO, MH_ASSET_AUDIO };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (text, mh_saved_asset_media_kind_to_string (kinds[i])) == 0)
      {
        *kind = kinds[i];
        return TRUE;
      }

  return FALSE;
}

/* A path that is safe to pass on: "saved-items/" and something, no control
 * characters, no "..", valid UTF-8. */
static gboolean
file_path_is_usable (const char *path)
{
  if (path == NULL || !g_str_has_prefix (path, "saved-items/") ||
      path[strlen ("saved-items/")] == '\0' || !g_utf8_validate (path, -1, NULL))
    return FALSE;

  for (const char *p = path; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p))
      return FALSE;

  return strstr (path, "..") == NULL;
}

static MhSavedItem *
item_from_json (JsonNode *node)
{
  JsonObject *object;
  JsonNode *assets_node;
  JsonArray *assets;
  const char *id, *type, *name;
  MhSavedItem *item;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  id = get_string (object, "id");
  type = get_string (object, "type");
  name = get_string (object, "name");
  assets_node = json_object_get_member (object, "assets");
  if (id == NULL || *id == '\0' || type == NULL ||
      assets_node == NULL || !JSON_NODE_HOLDS_ARRAY (assets_node))
    return NULL;
  assets = json_node_get_array (assets_node);

  item = g_rc_box_new0 (MhSavedItem);
  item->id = g_strdup (id);
  item->type = g_strdup (type);
  item->name = name != NULL && g_utf8_validate (name, -1, NULL) ? g_strstrip (g_strdup (name)) : NULL;
  item->assets = g_ptr_array_new_with_free_func ((GDestroyNotify) saved_asset_free);

  for (guint i = 0; i < json_array_get_length (assets); i++)
    {
      JsonNode *asset_node = json_array_get_element (assets, i);
      JsonObject *asset_object;
      const char *file_path, *url;
      MhSavedAsset *asset;
      MhAssetType kind;

      if (!JSON_NODE_HOLDS_OBJECT (asset_node))
        continue;
      asset_object = json_node_get_object (asset_node);
      file_path = get_string (asset_object, "file_path");
      url = get_string (asset_object, "url");
      if (!file_path_is_usable (file_path) ||
          !parse_media_kind (get_string (asset_object, "media_kind"), &kind))
        continue;

      asset = g_new0 (MhSavedAsset, 1);
      asset->file_path = g_strdup (file_path);
      asset->media_kind = kind;
      asset->url = url != NULL && mh_client_is_web_url (url) ? g_strdup (url) : NULL;
      g_ptr_array_add (item->assets, asset);
    }

  if (item->assets->len == 0)
    {
      mh_saved_item_unref (item);
      return NULL;
    }

  return item;
}

MhLibraryPage *
mh_library_page_from_json (JsonNode  *node,
                           GError   **error)
{
  JsonObject *object;
  JsonNode *items_node;
  JsonArray *items;
  MhLibraryPage *page;
  const char *next;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      (items_node = json_object_get_member (json_node_get_object (node), "items")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (items_node))
    {
      g_set_error_literal (error, MH_ERROR, MH_ERROR_MALFORMED,
                           _("The list of your saved items could not be read."));
      return NULL;
    }
  object = json_node_get_object (node);
  items = json_node_get_array (items_node);

  page = g_new0 (MhLibraryPage, 1);
  page->items = g_ptr_array_new_with_free_func ((GDestroyNotify) mh_saved_item_unref);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      MhSavedItem *item = item_from_json (json_array_get_element (items, i));

      if (item != NULL)
        g_ptr_array_add (page->items, item);
    }

  next = get_string (object, "next_cursor");
  if (next != NULL && *next != '\0')
    page->next_cursor = g_strdup (next);

  return page;
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  MhLibraryPage *page;

  node = mh_client_call_finish (MH_CLIENT (source), result, &error);
  if (node == NULL && error == NULL)
    g_set_error_literal (&error, MH_ERROR, MH_ERROR_MALFORMED,
                         _("The list of your saved items could not be read."));
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  page = mh_library_page_from_json (node, &error);
  if (page == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, page, (GDestroyNotify) mh_library_page_free);
}

void
mh_library_list_async (MhClient            *client,
                       const char          *type,
                       guint                limit,
                       const char          *cursor,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;
  GString *path;
  const char *sep = "?";

  g_return_if_fail (MH_IS_CLIENT (client));
  g_return_if_fail (type == NULL || mh_library_type_is_valid (type));
  g_return_if_fail (limit <= MH_LIBRARY_MAX_LIMIT);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, mh_library_list_async);

  path = g_string_new ("/v1/saved-items");
  if (type != NULL)
    {
      g_string_append_printf (path, "%stype=%s", sep, type);
      sep = "&";
    }
  if (limit > 0)
    {
      g_string_append_printf (path, "%slimit=%u", sep, limit);
      sep = "&";
    }
  if (cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);

      g_string_append_printf (path, "%scursor=%s", sep, escaped);
    }

  mh_client_call_async (client, "GET", path->str, NULL, MH_CALL_IDEMPOTENT,
                        _("Listing your saved items"), cancellable, list_cb, task);
  g_string_free (path, TRUE);
}

MhLibraryPage *
mh_library_list_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
