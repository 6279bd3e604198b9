/* mh-library.h: the user's Magic Hour library (GET /v1/saved-items)
 *
 * Saved items (characters, references, voices, moodboards, brand kits) are
 * files kept in the user's account. Each asset's "saved-items/..." file_path
 * goes into a create's asset field as it is, never uploaded. The list comes a
 * page at a time, newest first; a page's next_cursor asks for the next one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-client.h"
#include "mh-tool.h"

G_BEGIN_DECLS

/* The types of saved items the API knows. */
#define MH_SAVED_ITEM_TYPES "character", "reference", "voice", "moodboard", "brand_kit"
#define MH_LIBRARY_DEFAULT_LIMIT 20
#define MH_LIBRARY_MAX_LIMIT 100

typedef struct
{
  char        *file_path;   /* "saved-items/..." */
  MhAssetType  media_kind;
  char        *url;         /* the signed preview URL; NULL when none */
} MhSavedAsset;

typedef struct
{
  char      *id;
  char      *type;          /* "character", "voice"... */
  char      *name;          /* NULL when the item has none */
  GPtrArray *assets;        /* of MhSavedAsset; never empty */
} MhSavedItem;

typedef struct
{
  GPtrArray *items;         /* of MhSavedItem (references) */
  char      *next_cursor;   /* NULL on the last page */
} MhLibraryPage;

#define MH_TYPE_SAVED_ITEM (mh_saved_item_get_type ())
GType               mh_saved_item_get_type        (void) G_GNUC_CONST;
MhSavedItem        *mh_saved_item_ref             (MhSavedItem   *item);
void                mh_saved_item_unref           (MhSavedItem   *item);
/* The item's first asset of @kind, NULL when it has none. */
const MhSavedAsset *mh_saved_item_find_asset      (MhSavedItem   *item,
                                                   MhAssetType    kind);
/* The item's name, or a stand-in made of its type when it has none. */
char               *mh_saved_item_dup_display_name (MhSavedItem  *item);

/* "IMAGE", "VIDEO" or "AUDIO", as the API writes a media kind. */
const char         *mh_saved_asset_media_kind_to_string (MhAssetType kind);

void                mh_library_page_free          (MhLibraryPage *page);

/* Whether @type is one of MH_SAVED_ITEM_TYPES. */
gboolean            mh_library_type_is_valid      (const char    *type);

/* Reads one answer of GET /v1/saved-items. Items or assets that cannot be
 * used (no id, no saved-items/ path, an unknown media kind) are left out;
 * an answer that is not the contract's shape is MH_ERROR_MALFORMED. */
MhLibraryPage      *mh_library_page_from_json     (JsonNode      *node,
                                                   GError       **error);

/* One page: @type NULL for every type, @limit 0 for the API's default,
 * @cursor NULL for the first page. */
void                mh_library_list_async         (MhClient            *client,
                                                   const char          *type,
                                                   guint                limit,
                                                   const char          *cursor,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
MhLibraryPage      *mh_library_list_finish        (GAsyncResult        *result,
                                                   GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhSavedItem, mh_saved_item_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhLibraryPage, mh_library_page_free)

G_END_DECLS
