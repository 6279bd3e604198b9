/* mh-file-row.h: one asset slot of a tool: a file or a link
 *
 * Pick with a file chooser filtered to the types the tool table allows, drop
 * a file on the row, paste one, give a link where the API takes one, or
 * choose a saved item of the user's Magic Hour library. Shows
 * the name, size and a preview (image thumbnail; audio and video with
 * play/pause), and a clear button. A wrong type, an unreadable file or one
 * whose content is not what the slot needs is refused on the spot with the
 * reason; a file above the plan's upload limit gets a warning.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mh-probe.h"
#include "mh-tool.h"

G_BEGIN_DECLS

#define MH_TYPE_FILE_ROW (mh_file_row_get_type ())
G_DECLARE_FINAL_TYPE (MhFileRow, mh_file_row, MH, FILE_ROW, AdwActionRow)

/* Properties:
 *   "tool-id"   string, construct-only: the tool in the table
 *   "slot-key"  string, construct-only: the slot in that tool ("image", "youtube"...)
 *   "value"     string: a local path, or a URL / api-assets path; NULL when empty
 *   "duration"  double, read-only: the media's length in seconds once read; -1 unknown
 *   "error"     string, read-only: why the last file or link was refused; NULL
 *   "media-info" MhMediaInfo, read-only: what the probe read of the local file; NULL
 *   "fps"       double, read-only: the local video's frame rate; 0 unknown
 *   "warning"   string, read-only: the file is bigger than the plan uploads; NULL
 *   "plan"      string: the account's tier ("free"...), NULL unknown
 */
GtkWidget         *mh_file_row_new          (const char   *tool_id,
                                             const char   *slot_key);
const MhAssetSlot *mh_file_row_get_slot     (MhFileRow    *self);
const char        *mh_file_row_get_value    (MhFileRow    *self);
/* Checks the type, then takes the file once a thread has found it readable
 * and its content what the slot needs (duration, fps and size probed).
 * Returns FALSE and sets "error" (and @error) when the file is refused. */
gboolean           mh_file_row_set_file     (MhFileRow    *self,
                                             GFile        *file,
                                             GError      **error);
/* A URL (http/https) or an api-assets/ path; FALSE when the slot cannot take it. */
gboolean           mh_file_row_set_uri      (MhFileRow    *self,
                                             const char   *uri,
                                             GError      **error);
/* A saved item of the user's library ("saved-items/..."), shown by @name. */
gboolean           mh_file_row_set_saved_item (MhFileRow    *self,
                                               const char   *file_path,
                                               const char   *name,
                                               GdkPaintable *preview,
                                               GError      **error);
/* The saved item's name when the value is one, else NULL. */
const char        *mh_file_row_get_item_name (MhFileRow    *self);
void               mh_file_row_clear        (MhFileRow    *self);
double             mh_file_row_get_duration (MhFileRow    *self);
const char        *mh_file_row_get_error    (MhFileRow    *self);
const MhMediaInfo *mh_file_row_get_media_info (MhFileRow  *self);
double             mh_file_row_get_fps      (MhFileRow    *self);
const char        *mh_file_row_get_warning  (MhFileRow    *self);
void               mh_file_row_set_plan     (MhFileRow    *self,
                                             const char   *plan);

/* While a drag of files hovers the row or its page: the row is outlined as
 * a drop target and says "Drop to use as Photo" (mh-file-row-input.c). */
void               mh_file_row_set_drop_hint (MhFileRow   *self,
                                              gboolean     shown);
gboolean           mh_file_row_get_drop_hint (MhFileRow   *self);

G_END_DECLS
