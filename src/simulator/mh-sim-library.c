/* mh-sim-library.c: the simulator's saved items (the user's library)
 *
 * GET /v1/saved-items (paged, newest first), the signed preview URLs of the
 * items' files (served under /storage/saved/) and the check a create makes
 * of a "saved-items/..." asset. The items are the real files of the
 * "library-dir" property when it is set (one item a file: images are
 * characters, audio files voices, videos references), else a few built-in
 * ones made of the simulator's sample media.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "mh-sim-private.h"

#define LIBRARY_DEFAULT_LIMIT 20
#define LIBRARY_MAX_LIMIT     100
#define PREVIEW_LIFETIME_S    3600

static const char *const saved_item_types[] = {
  "character", "reference", "voice", "moodboard", "brand_kit",
};

typedef struct
{
  char        *file_path;     /* saved-items/<id>/<name>.<ext> */
  MhAssetType  kind;
  char        *content_type;
  GFile       *file;          /* the real file, or NULL: @bytes */
  GBytes      *bytes;
} SavedAsset;

struct _SimSavedItem
{
  char      *id;
  char      *type;
  char      *name;            /* NULL: null */
  GPtrArray *assets;          /* of SavedAsset */
};

static void
saved_asset_free (SavedAsset *asset)
{
  g_free (asset->file_path);
  g_free (asset->content_type);
  g_clear_object (&asset->file);
  g_clear_pointer (&asset->bytes, g_bytes_unref);
  g_free (asset);
}

void
sim_saved_item_free (SimSavedItem *item)
{
  g_free (item->id);
  g_free (item->type);
  g_free (item->name);
  g_ptr_array_unref (item->assets);
  g_free (item);
}

static const char *
media_kind_name (MhAssetType kind)
{
  switch (kind)
    {
    case MH_ASSET_IMAGE: return "IMAGE";
    case MH_ASSET_AUDIO: return "AUDIO";
    case MH_ASSET_VIDEO: return "VIDEO";
    default: g_assert_not_reached ();
    }
}

/* A name made safe for one path segment: letters, digits, '-' and '_'. */
static char *
slug (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '_')
        g_string_append_c (out, g_ascii_tolower (*p));
      else if (out->len > 0 && out->str[out->len - 1] != '-')
        g_string_append_c (out, '-');
    }
  while (out->len > 0 && out->str[out->len - 1] == '-')
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    g_string_append (out, "file");

  return g_string_free (out, FALSE);
}

static SimSavedItem *
saved_item_new (MhSimulator *self,
                const char  *type,
                const char  *name)
{
  SimSavedItem *item = g_new0 (SimSavedItem, 1);

  item->id = sim_new_cuid (self);
  item->type = g_strdup (type);
  item->name = g_strdup (name);
  item->assets = g_ptr_array_new_with_free_func ((GDestroyNotify) saved_asset_free);

  return item;
}

static SavedAsset *
saved_item_add_asset (SimSavedItem *item,
                      const char   *stem,
                      const char   *extension,
                      MhAssetType   kind,
                      const char   *content_type)
{
  SavedAsset *asset = g_new0 (SavedAsset, 1);
  g_autofree char *safe = slug (stem);

  asset->file_path = g_strdup_printf ("saved-items/%s/%s.%s", item->id, safe, extension);
  asset->kind = kind;
  asset->content_type = g_strdup (content_type);
  g_ptr_array_add (item->assets, asset);

  return asset;
}

/* One second of a quiet 440 Hz tone: the built-in voices' audio. */
static GBytes *
make_tone_wav (double frequency)
{
  const guint32 rate = 8000;
  const guint32 n = rate;
  guint32 data_len = n * 2;
  guint8 *buf = g_malloc (44 + data_len);
  guint8 *p = buf;

#define PUT32(v) G_STMT_START { guint32 _v = GUINT32_TO_LE (v); memcpy (p, &_v, 4); p += 4; } G_STMT_END
#define PUT16(v) G_STMT_START { guint16 _v = GUINT16_TO_LE (v); memcpy (p, &_v, 2); p += 2; } G_STMT_END
  memcpy (p, "RIFF", 4); p += 4;
  PUT32 (36 + data_len);
  memcpy (p, "WAVEfmt ", 8); p += 8;
  PUT32 (16);
  PUT16 (1);          /* PCM */
  PUT16 (1);          /* mono */
  PUT32 (rate);
  PUT32 (rate * 2);
  PUT16 (2);
  PUT16 (16);
  memcpy (p, "data", 4); p += 4;
  PUT32 (data_len);
  for (guint32 i = 0; i < n; i++)
    PUT16 ((guint16) (gint16) (2000 * sin (2 * G_PI * frequency * i / rate)));
#undef PUT32
#undef PUT16

  return g_bytes_new_take (buf, 44 + data_len);
}

/* Built-in items, listed newest first. */
static void
load_builtin (MhSimulator *self)
{
  static const struct
  {
    const char  *type;
    const char  *name;
    MhAssetType  kind;
  } builtin[] = {
    { "character", "Ava", MH_ASSET_IMAGE },
    { "voice", "Narrator", MH_ASSET_AUDIO },
    { "reference", "Studio Clip", MH_ASSET_VIDEO },
    { "character", "Ben", MH_ASSET_IMAGE },
    { "voice", "Calm Voice", MH_ASSET_AUDIO },
    { "reference", "Office Backdrop", MH_ASSET_IMAGE },
    { "moodboard", NULL, MH_ASSET_IMAGE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (builtin); i++)
    {
      SimSavedItem *item = saved_item_new (self, builtin[i].type, builtin[i].name);
      const char *stem = builtin[i].name != NULL ? builtin[i].name : "moodboard";
      SavedAsset *asset;

      switch (builtin[i].kind)
        {
        case MH_ASSET_IMAGE:
          asset = saved_item_add_asset (item, stem, "png", MH_ASSET_IMAGE, "image/png");
          asset->bytes = mh_sim_media_get_sample (MH_SIM_MEDIA_PNG);
          break;
        case MH_ASSET_VIDEO:
          asset = saved_item_add_asset (item, stem, "mp4", MH_ASSET_VIDEO, "video/mp4");
          asset->bytes = mh_sim_media_get_sample (MH_SIM_MEDIA_MP4);
          break;
        case MH_ASSET_AUDIO:
          asset = saved_item_add_asset (item, stem, "wav", MH_ASSET_AUDIO, "audio/wav");
          asset->bytes = make_tone_wav (330 + 110 * i);
          break;
        default:
          g_assert_not_reached ();
        }
      g_ptr_array_add (self->library, item);
    }
}

typedef struct
{
  GFile  *file;
  char   *basename;
  gint64  mtime;
} DirEntry;

static void
dir_entry_free (DirEntry *entry)
{
  g_object_unref (entry->file);
  g_free (entry->basename);
  g_free (entry);
}

/* Newest first; the name breaks ties so the order is stable. */
static int
dir_entry_compare (gconstpointer a,
                   gconstpointer b)
{
  const DirEntry *x = *(DirEntry **) a;
  const DirEntry *y = *(DirEntry **) b;

  if (x->mtime != y->mtime)
    return x->mtime > y->mtime ? -1 : 1;
  return g_strcmp0 (x->basename, y->basename);
}

/* The real files of @dir (not its subfolders), one item each. Files of no
 * known media type are left out. */
static void
load_dir (MhSimulator *self,
          const char  *dir)
{
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) dir_entry_free);
  g_autoptr(GError) error = NULL;
  GFileInfo *info;

  enumerator = g_file_enumerate_children (folder,
                                          G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                          G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                                          G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                                          G_FILE_QUERY_INFO_NONE, NULL, &error);
  if (enumerator == NULL)
    {
      g_warning ("The simulator's library %s cannot be read: %s", dir, error->message);
      return;
    }

  while ((info = g_file_enumerator_next_file (enumerator, NULL, NULL)) != NULL)
    {
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR)
        {
          DirEntry *entry = g_new0 (DirEntry, 1);

          entry->basename = g_strdup (g_file_info_get_name (info));
          entry->file = g_file_get_child (folder, entry->basename);
          entry->mtime = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) * G_USEC_PER_SEC +
                         g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
          g_ptr_array_add (entries, entry);
        }
      g_object_unref (info);
    }
  g_ptr_array_sort (entries, dir_entry_compare);

  for (guint i = 0; i < entries->len; i++)
    {
      DirEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *extension = mh_path_get_extension (entry->basename);
      g_autofree char *display = g_filename_display_name (entry->basename);
      g_autofree char *stem = NULL;
      g_autofree char *content_type = NULL;
      const char *type;
      MhAssetType kind;
      SimSavedItem *item;
      SavedAsset *asset;
      char *dot;

      if (extension == NULL)
        continue;
      /* webm is a video first. */
      if (mh_asset_type_accepts (MH_ASSET_VIDEO, extension))
        kind = MH_ASSET_VIDEO, type = "reference";
      else if (mh_asset_type_accepts (MH_ASSET_IMAGE, extension))
        kind = MH_ASSET_IMAGE, type = "character";
      else if (mh_asset_type_accepts (MH_ASSET_AUDIO, extension))
        kind = MH_ASSET_AUDIO, type = "voice";
      else
        continue;

      stem = g_strdup (display);
      dot = strrchr (stem, '.');
      if (dot != NULL && dot != stem)
        *dot = '\0';

      content_type = g_content_type_guess (entry->basename, NULL, 0, NULL);
      item = saved_item_new (self, type, stem);
      asset = saved_item_add_asset (item, stem, extension, kind,
                                    content_type != NULL ? content_type : "application/octet-stream");
      asset->file = g_object_ref (entry->file);
      g_ptr_array_add (self->library, item);
    }
}

/* The items, made on first use. */
static GPtrArray *
library_get (MhSimulator *self)
{
  if (self->library == NULL)
    {
      self->library = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_saved_item_free);
      if (self->library_dir != NULL)
        load_dir (self, self->library_dir);
      else
        load_builtin (self);
    }

  return self->library;
}

static SavedAsset *
library_lookup (MhSimulator   *self,
                const char    *file_path,
                SimSavedItem **item_out)
{
  GPtrArray *library = library_get (self);

  for (guint i = 0; i < library->len; i++)
    {
      SimSavedItem *item = g_ptr_array_index (library, i);

      for (guint j = 0; j < item->assets->len; j++)
        {
          SavedAsset *asset = g_ptr_array_index (item->assets, j);

          if (g_str_equal (asset->file_path, file_path))
            {
              if (item_out != NULL)
                *item_out = item;
              return asset;
            }
        }
    }

  return NULL;
}

/* A create's saved-items/ asset: it must name a served item's file of the
 * slot's media kind. Sets a 422 message otherwise. */
gboolean
sim_check_saved_item (MhSimulator    *self,
                      const SimTool  *tool,
                      const char     *value,
                      const char     *path,
                      MhAssetType     type,
                      char          **message)
{
  SavedAsset *asset = library_lookup (self, value, NULL);

  if (asset == NULL)
    {
      *message = g_strdup_printf ("Unable to create %s: the saved item %s was not found "
                                  "in your library", tool->what, value);
      return FALSE;
    }
  if (asset->kind != type)
    {
      *message = g_strdup_printf ("Unable to create %s: %s is a saved %s file, not %s",
                                  tool->what, path, mh_asset_type_to_string (asset->kind),
                                  mh_asset_type_to_string (type));
      return FALSE;
    }

  return TRUE;
}

/* The cursor is the offset of the next item, with the type it was made for:
 * opaque to the client (base64), checked when it comes back. */
static char *
cursor_encode (guint       offset,
               const char *type)
{
  g_autofree char *plain = g_strdup_printf ("%u:%s", offset, type != NULL ? type : "");

  return g_base64_encode ((const guchar *) plain, strlen (plain));
}

static gboolean
cursor_decode (const char *cursor,
               const char *type,
               guint      *offset)
{
  gsize len = 0;
  g_autofree char *plain = NULL;
  g_autofree guchar *raw = NULL;
  char *colon, *end = NULL;
  guint64 value;

  for (const char *p = cursor; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("+/=", *p) == NULL)
      return FALSE;

  raw = g_base64_decode (cursor, &len);
  if (raw == NULL || len == 0 || len > 64)
    return FALSE;
  plain = g_strndup ((const char *) raw, len);
  colon = strchr (plain, ':');
  if (colon == NULL)
    return FALSE;
  *colon = '\0';
  if (g_strcmp0 (colon + 1, type != NULL ? type : "") != 0)
    return FALSE;
  value = g_ascii_strtoull (plain, &end, 10);
  if (end == plain || *end != '\0' || value > G_MAXUINT)
    return FALSE;

  *offset = (guint) value;
  return TRUE;
}

static char *
preview_url (MhSimulator *self,
             SavedAsset  *asset)
{
  /* file_path is "saved-items/<id>/<slug>.<ext>": nothing to escape. */
  return sim_signed_storage_url (self, asset->file_path, asset->file_path, PREVIEW_LIFETIME_S);
}

void
sim_handle_saved_items (MhSimulator *self,
                        SimExchange *ex)
{
  g_autoptr(GHashTable) params = NULL;
  const char *type = NULL;
  const char *limit_text = NULL;
  const char *cursor = NULL;
  GPtrArray *library = library_get (self);
  guint limit = LIBRARY_DEFAULT_LIMIT;
  guint offset = 0;
  guint index = 0;
  guint returned = 0;
  JsonArray *items = json_array_new ();
  JsonObject *answer = json_object_new ();
  JsonNode *node;

  if (ex->req->query != NULL)
    params = g_uri_parse_params (ex->req->query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params != NULL)
    {
      type = g_hash_table_lookup (params, "type");
      limit_text = g_hash_table_lookup (params, "limit");
      cursor = g_hash_table_lookup (params, "cursor");
    }

  if (type != NULL)
    {
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (saved_item_types); i++)
        known |= g_str_equal (type, saved_item_types[i]);
      if (!known)
        {
          json_array_unref (items);
          json_object_unref (answer);
          sim_respond_error (ex, SOUP_STATUS_BAD_REQUEST,
                             "type must be one of: character, reference, voice, moodboard, brand_kit");
          return;
        }
    }

  if (limit_text != NULL)
    {
      char *end = NULL;
      gint64 value = g_ascii_strtoll (limit_text, &end, 10);

      if (*limit_text == '\0' || end == limit_text || *end != '\0' ||
          value < 1 || value > LIBRARY_MAX_LIMIT)
        {
          json_array_unref (items);
          json_object_unref (answer);
          sim_respond_error (ex, SOUP_STATUS_BAD_REQUEST,
                             "limit must be an integer from 1 to 100");
          return;
        }
      limit = (guint) value;
    }

  if (cursor != NULL && !cursor_decode (cursor, type, &offset))
    {
      json_array_unref (items);
      json_object_unref (answer);
      sim_respond_error (ex, SOUP_STATUS_BAD_REQUEST, "cursor is not valid");
      return;
    }

  /* offset counts the items of @type, newest first. */
  for (guint i = 0; i < library->len; i++)
    {
      SimSavedItem *item = g_ptr_array_index (library, i);
      JsonObject *object;
      JsonArray *assets;

      if (type != NULL && !g_str_equal (item->type, type))
        continue;
      if (index++ < offset)
        continue;
      if (returned == limit)
        {
          g_autofree char *next = cursor_encode (offset + returned, type);

          json_object_set_string_member (answer, "next_cursor", next);
          break;
        }

      object = json_object_new ();
      assets = json_array_new ();
      json_object_set_string_member (object, "id", item->id);
      json_object_set_string_member (object, "type", item->type);
      if (item->name != NULL)
        json_object_set_string_member (object, "name", item->name);
      else
        json_object_set_null_member (object, "name");
      for (guint j = 0; j < item->assets->len; j++)
        {
          SavedAsset *asset = g_ptr_array_index (item->assets, j);
          JsonObject *out = json_object_new ();
          g_autofree char *url = preview_url (self, asset);

          json_object_set_string_member (out, "file_path", asset->file_path);
          json_object_set_string_member (out, "media_kind", media_kind_name (asset->kind));
          json_object_set_string_member (out, "url", url);
          json_array_add_object_element (assets, out);
        }
      json_object_set_array_member (object, "assets", assets);
      json_array_add_object_element (items, object);
      returned++;
    }

  json_object_set_array_member (answer, "items", items);
  if (!json_object_has_member (answer, "next_cursor"))
    json_object_set_null_member (answer, "next_cursor");
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, answer);
  sim_respond_json (ex, SOUP_STATUS_OK, node);
}

/* GET of a preview URL: @file_path is "saved-items/...", as in the URL. */
void
sim_handle_saved_item_file (MhSimulator *self,
                            SimExchange *ex,
                            const char  *file_path)
{
  SavedAsset *asset = library_lookup (self, file_path, NULL);
  g_autoptr(GError) error = NULL;

  if (asset == NULL)
    {
      sim_respond_error (ex, SOUP_STATUS_NOT_FOUND, "Not Found");
      return;
    }

  if (!sim_check_signed_url (self, ex, file_path))
    return;

  g_clear_pointer (&ex->body, g_bytes_unref);
  if (asset->bytes != NULL)
    {
      ex->body = g_bytes_ref (asset->bytes);
    }
  else
    {
      g_autoptr(GMappedFile) mapped = g_mapped_file_new (g_file_peek_path (asset->file), FALSE, &error);

      if (mapped == NULL)
        {
          sim_respond_error (ex, SOUP_STATUS_NOT_FOUND, "Not Found");
          return;
        }
      ex->body = g_mapped_file_get_bytes (mapped);
    }

  sim_exchange_stream (ex, SOUP_STATUS_OK, asset->content_type,
                       g_bytes_get_size (ex->body), g_bytes_get_size (ex->body));
}
