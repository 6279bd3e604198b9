/* mh-cli-library.c: `magic-hour-studio-cli library`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "mh-cli-library.h"
#include "mh-library.h"

typedef struct
{
  gboolean       done;
  MhLibraryPage *page;
  GError        *error;
} PageWait;

static void
page_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  PageWait *wait = user_data;

  wait->page = mh_library_list_finish (result, &wait->error);
  wait->done = TRUE;
}

static void
print_json (GPtrArray *items)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, "library");
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    {
      MhSavedItem *item = g_ptr_array_index (items, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, item->id);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, item->type);
      json_builder_set_member_name (builder, "name");
      if (item->name != NULL)
        json_builder_add_string_value (builder, item->name);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "assets");
      json_builder_begin_array (builder);
      for (guint j = 0; j < item->assets->len; j++)
        {
          MhSavedAsset *asset = g_ptr_array_index (item->assets, j);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "file_path");
          json_builder_add_string_value (builder, asset->file_path);
          json_builder_set_member_name (builder, "media_kind");
          json_builder_add_string_value (builder, mh_saved_asset_media_kind_to_string (asset->media_kind));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  mh_cli_json_event (builder);
}

/* @text cut or padded to @width characters (names are UTF-8). */
static void
print_cell (const char *text,
            guint       width)
{
  glong length = g_utf8_strlen (text, -1);

  if ((guint) length > width)
    {
      g_autofree char *cut = g_utf8_substring (text, 0, width - 1);

      printf ("%s… ", cut);
      return;
    }
  printf ("%s%*s ", text, (int) (width - length), "");
}

static void
print_table (GPtrArray *items)
{
  guint name_width = g_utf8_strlen (_("Name"), -1);
  guint type_width = g_utf8_strlen (_("Type"), -1);

  if (items->len == 0)
    {
      printf ("%s\n", _("No saved items."));
      return;
    }

  for (guint i = 0; i < items->len; i++)
    {
      MhSavedItem *item = g_ptr_array_index (items, i);
      g_autofree char *name = mh_saved_item_dup_display_name (item);

      name_width = MAX (name_width, MIN ((guint) g_utf8_strlen (name, -1), 32));
      type_width = MAX (type_width, (guint) g_utf8_strlen (item->type, -1));
    }

  print_cell (_("Name"), name_width);
  print_cell (_("Type"), type_width);
  printf ("%s\n", _("File"));
  for (guint i = 0; i < items->len; i++)
    {
      MhSavedItem *item = g_ptr_array_index (items, i);
      g_autofree char *name = mh_saved_item_dup_display_name (item);

      for (guint j = 0; j < item->assets->len; j++)
        {
          MhSavedAsset *asset = g_ptr_array_index (item->assets, j);

          /* An item's further files go under its first, without its name. */
          print_cell (j == 0 ? name : "", name_width);
          print_cell (j == 0 ? item->type : "", type_width);
          printf ("%s\n", asset->file_path);
        }
    }
}

gboolean
mh_cli_library_list (MhClient      *client,
                     const char    *type,
                     MhCliOutput    output,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) mh_saved_item_unref);
  g_autofree char *cursor = NULL;

  do
    {
      PageWait wait = { FALSE, };

      mh_library_list_async (client, type, MH_LIBRARY_MAX_LIMIT, cursor, cancellable,
                             page_cb, &wait);
      while (!wait.done)
        g_main_context_iteration (NULL, TRUE);
      if (wait.error != NULL)
        {
          g_propagate_error (error, wait.error);
          return FALSE;
        }

      for (guint i = 0; i < wait.page->items->len; i++)
        g_ptr_array_add (items, mh_saved_item_ref (g_ptr_array_index (wait.page->items, i)));
      /* A server that hands out the same cursor again would page for ever. */
      if (wait.page->next_cursor != NULL && g_strcmp0 (wait.page->next_cursor, cursor) == 0)
        {
          mh_library_page_free (wait.page);
          break;
        }
      g_free (cursor);
      cursor = g_strdup (wait.page->next_cursor);
      mh_library_page_free (wait.page);
    }
  while (cursor != NULL);

  switch (output)
    {
    case MH_CLI_OUTPUT_JSON:
      print_json (items);
      break;
    case MH_CLI_OUTPUT_QUIET:
      for (guint i = 0; i < items->len; i++)
        {
          MhSavedItem *item = g_ptr_array_index (items, i);

          for (guint j = 0; j < item->assets->len; j++)
            printf ("%s\n", ((MhSavedAsset *) g_ptr_array_index (item->assets, j))->file_path);
        }
      break;
    case MH_CLI_OUTPUT_TEXT:
    default:
      print_table (items);
      break;
    }

  return TRUE;
}
