/* mh-library-dialog.h: choose a saved item of the user's Magic Hour library
 *
 * A modal window listing the saved items (GET /v1/saved-items) that have a
 * file of one media kind: characters and references for a photo, voices
 * for speech, videos for a video. Names and previews (thumbnails loaded
 * from the signed preview URLs; an icon for audio and video), a page at a
 * time ("Load More"), filtered by name as the search entry is typed in.
 * Choosing an item emits "item-chosen" and closes the window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mh-client.h"
#include "mh-library.h"

G_BEGIN_DECLS

#define MH_TYPE_LIBRARY_DIALOG (mh_library_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MhLibraryDialog, mh_library_dialog, MH, LIBRARY_DIALOG, AdwWindow)

/* Properties:
 *   "loading"  gboolean, read-only: a page is being asked for
 *   "n-items"  guint, read-only: the items listed so far (before the search)
 * Signals:
 *   "item-chosen" (MhSavedItem *item, const char *file_path, GdkPaintable *preview or NULL)
 *                 the item and its file of the dialog's media kind
 */
GtkWidget *mh_library_dialog_new          (MhClient        *client,
                                           MhAssetType      kind);
MhAssetType mh_library_dialog_get_kind    (MhLibraryDialog *self);
gboolean   mh_library_dialog_get_loading  (MhLibraryDialog *self);
guint      mh_library_dialog_get_n_items  (MhLibraryDialog *self);

G_END_DECLS
