/* mh-params.h: a job's inputs, as text, and the request body built from them
 *
 * Inputs are a string map keyed by the tool table's slot and option keys
 * ("image", "start", "mode"...): what a person typed or picked, before any
 * parsing. The same map comes from the command line, the UI and the job
 * store; mh-validate.c judges it, mh_params_build_body() turns it into JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "mh-tool.h"

G_BEGIN_DECLS

typedef enum
{
  MH_ASSET_VALUE_FILE,      /* a local path or file:// URI: uploaded first */
  MH_ASSET_VALUE_URL,       /* http(s):// URL: passed through */
  MH_ASSET_VALUE_API_PATH,  /* api-assets/...: already uploaded, passed through */
  MH_ASSET_VALUE_SAVED_ITEM, /* saved-items/...: in the user's library, passed through */
} MhAssetValueKind;

GHashTable       *mh_params_new            (void);
GHashTable       *mh_params_copy           (GHashTable   *params);
void              mh_params_set            (GHashTable   *params,
                                            const char   *key,
                                            const char   *value);
const char       *mh_params_get            (GHashTable   *params,
                                            const char   *key);
gboolean          mh_params_get_number     (GHashTable   *params,
                                            const char   *key,
                                            double       *value);

/* The name a person knows an input by, kept beside its value: a saved
 * item's name for its "saved-items/..." path. Stored in the map under
 * "<slot>:name"; never sent, never judged; NULL @name removes it. */
void              mh_params_set_input_name (GHashTable   *params,
                                            const char   *slot_key,
                                            const char   *name);
const char       *mh_params_get_input_name (GHashTable   *params,
                                            const char   *slot_key);
/* Whether @key is such a name's key ("image:name"); @slot_key, when not
 * NULL, receives the slot's key (free it). */
gboolean          mh_params_is_input_name_key (const char *key,
                                               char      **slot_key);

MhAssetValueKind  mh_asset_value_classify  (const char   *value);
GFile            *mh_asset_value_get_file  (const char   *value);

/* A local path is a file name, in the file system's bytes, and need not be
 * UTF-8; JSON is. mh_path_to_text() gives the path itself when it is UTF-8,
 * else its file:// URI (which escapes the other bytes); mh_path_from_text()
 * gives the path back, or NULL for a file:// URI that is not a local path.
 * Both give NULL for NULL. */
char             *mh_path_to_text          (const char   *path);
char             *mh_path_from_text        (const char   *text);

/* @assets maps slot keys to the value to send (URL or api-assets path) for
 * slots that held local files; other slots are sent as given. Options that
 * are unset, or do not apply to the chosen mode, are left out, never null. */
JsonNode         *mh_params_build_body     (const MhTool *tool,
                                            GHashTable   *params,
                                            GHashTable   *assets);

/* Moves each deprecated option that has a replacement into it, mapped as
 * the API maps it (max-resolution 1024 -> resolution 480p); when the
 * replacement is set too, the deprecated value is dropped. TRUE when
 * something was moved or dropped. */
gboolean          mh_params_apply_replacements (const MhTool *tool,
                                                GHashTable   *params);

JsonNode         *mh_params_to_json        (GHashTable   *params);
GHashTable       *mh_params_from_json      (JsonNode     *node);

G_END_DECLS
