/* test-simulator-library.c: the simulator's saved items (GET /v1/saved-items)
 *
 * Drives the simulator with a plain SoupSession on the same main context:
 * paging, the type filter, bad parameters, the signed preview URLs, and
 * creates that name a saved item's file_path.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sim-test-http.h"

/* The shared fixture; its simulator's library @library_dir (NULL: the
 * built-in items). */
static Fixture *
library_fixture_new (const char *library_dir)
{
  Fixture *f = fixture_new ();

  if (library_dir != NULL)
    g_object_set (f->sim, "library-dir", library_dir, NULL);
  return f;
}

static JsonArray *
reply_items (Reply *reply)
{
  return json_object_get_array_member (reply_object (reply), "items");
}

/* The next_cursor of a page, NULL when it is null. */
static const char *
reply_next_cursor (Reply *reply)
{
  JsonObject *object = reply_object (reply);

  g_assert_true (json_object_has_member (object, "next_cursor"));
  if (json_object_get_null_member (object, "next_cursor"))
    return NULL;
  return json_object_get_string_member (object, "next_cursor");
}

static Reply *
list (Fixture    *f,
      const char *query)
{
  g_autofree char *path = g_strconcat ("/v1/saved-items", query != NULL ? "?" : "",
                                       query, NULL);

  return api (f, "GET", path, NULL);
}

/* Every item of every page of @type (NULL: all) with pages of @limit. */
static GPtrArray *
list_all (Fixture    *f,
          const char *type,
          guint       limit,
          guint      *n_pages)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *cursor = NULL;

  *n_pages = 0;
  do
    {
      g_autofree char *escaped = cursor != NULL ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
      g_autofree char *query = g_strdup_printf ("limit=%u%s%s%s%s", limit,
                                                type != NULL ? "&type=" : "",
                                                type != NULL ? type : "",
                                                escaped != NULL ? "&cursor=" : "",
                                                escaped != NULL ? escaped : "");
      g_autoptr(Reply) reply = list (f, query);
      JsonArray *page;
      const char *next;

      g_assert_cmpuint (reply->status, ==, 200);
      page = reply_items (reply);
      g_assert_cmpuint (json_array_get_length (page), <=, limit);
      for (guint i = 0; i < json_array_get_length (page); i++)
        g_ptr_array_add (items, json_object_ref (json_array_get_object_element (page, i)));
      (*n_pages)++;
      next = reply_next_cursor (reply);
      g_free (cursor);
      cursor = g_strdup (next);
      if (next != NULL)
        g_assert_cmpuint (json_array_get_length (page), ==, limit);
      g_assert_cmpuint (*n_pages, <, 100);
    }
  while (cursor != NULL);

  return items;
}

static JsonObject *
item_asset (JsonObject *item)
{
  JsonArray *assets = json_object_get_array_member (item, "assets");

  g_assert_cmpuint (json_array_get_length (assets), >=, 1);
  return json_array_get_object_element (assets, 0);
}

/* A folder with five media files, oldest first: a.png ... e.mp4, plus a
 * file of no media type. */
static char *
make_library (void)
{
  char *dir = mh_test_make_tmp_dir ();
  static const char *const names[] = {
    "Alice Smith.png", "Bob.jpg", "Narration.wav", "Clip.mp4", "Second Voice.mp3",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = NULL;

      if (g_str_has_suffix (names[i], ".png") || g_str_has_suffix (names[i], ".jpg"))
        path = mh_test_write_png (dir, names[i]);
      else if (g_str_has_suffix (names[i], ".mp4"))
        path = mh_test_write_mp4 (dir, names[i]);
      else if (g_str_has_suffix (names[i], ".wav"))
        path = mh_test_write_wav (dir, names[i], 1.0);
      else
        path = mh_test_write_file (dir, names[i], "ID3 not really", 14);

      {
        g_autoptr(GFile) file = g_file_new_for_path (path);
        g_autoptr(GError) error = NULL;

        g_file_set_attribute_uint64 (file, G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                     1700000000 + i * 100, G_FILE_QUERY_INFO_NONE,
                                     NULL, &error);
        g_assert_no_error (error);
      }
    }
  g_free (mh_test_write_file (dir, "notes.txt", "hello", 5));

  return dir;
}

/* ------------------------------------------------------------------------ */

/* Built-in items: 7 of them, pages of 3 = 3 pages, none twice, newest first;
 * every item has the contract's fields. */
static void
test_paging (void)
{
  g_autoptr(Fixture) f = library_fixture_new (NULL);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(Reply) first = NULL;
  guint n_pages;

  items = list_all (f, NULL, 3, &n_pages);
  g_assert_cmpuint (n_pages, ==, 3);
  g_assert_cmpuint (items->len, ==, 7);

  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);
      JsonObject *asset = item_asset (item);
      const char *id = json_object_get_string_member (item, "id");
      const char *kind = json_object_get_string_member (asset, "media_kind");
      g_autofree char *prefix = g_strdup_printf ("saved-items/%s/", id);

      g_assert_false (g_hash_table_contains (seen, id));
      g_hash_table_add (seen, (gpointer) id);
      g_assert_true (json_object_has_member (item, "name"));
      g_assert_true (json_object_has_member (item, "type"));
      g_assert_true (g_str_has_prefix (json_object_get_string_member (asset, "file_path"), prefix));
      g_assert_true (g_str_equal (kind, "IMAGE") || g_str_equal (kind, "VIDEO") ||
                     g_str_equal (kind, "AUDIO"));
      g_assert_true (g_str_has_prefix (json_object_get_string_member (asset, "url"),
                                       mh_simulator_get_base_url (f->sim)));
    }

  /* The default limit (20) holds them all; the answer ends with a null. */
  first = list (f, NULL);
  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (reply_items (first)), ==, 7);
  g_assert_null (reply_next_cursor (first));
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_SAVED_ITEMS), ==, 4);
}

/* --library DIR: one item a media file, newest first, typed by its file,
 * named after it; a type filter pages on its own. */
static void
test_library_dir (void)
{
  g_autofree char *dir = make_library ();
  g_autoptr(Fixture) f = library_fixture_new (dir);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) voices = NULL;
  static const char *const expected[][3] = {
    { "Second Voice", "voice", "AUDIO" },
    { "Clip", "reference", "VIDEO" },
    { "Narration", "voice", "AUDIO" },
    { "Bob", "character", "IMAGE" },
    { "Alice Smith", "character", "IMAGE" },
  };
  guint n_pages;

  f->tmp = g_strdup (dir);
  items = list_all (f, NULL, 2, &n_pages);
  g_assert_cmpuint (n_pages, ==, 3);
  g_assert_cmpuint (items->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);
      JsonObject *asset = item_asset (item);

      g_assert_cmpstr (json_object_get_string_member (item, "name"), ==, expected[i][0]);
      g_assert_cmpstr (json_object_get_string_member (item, "type"), ==, expected[i][1]);
      g_assert_cmpstr (json_object_get_string_member (asset, "media_kind"), ==, expected[i][2]);
    }
  g_assert_true (g_str_has_suffix (json_object_get_string_member (
                   item_asset (g_ptr_array_index (items, 4)), "file_path"), "/alice-smith.png"));

  voices = list_all (f, "voice", 1, &n_pages);
  g_assert_cmpuint (n_pages, ==, 2);
  g_assert_cmpuint (voices->len, ==, 2);
  for (guint i = 0; i < voices->len; i++)
    g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (voices, i), "type"),
                     ==, "voice");
  g_ptr_array_unref (voices);

  voices = list_all (f, "brand_kit", 5, &n_pages);
  g_assert_cmpuint (n_pages, ==, 1);
  g_assert_cmpuint (voices->len, ==, 0);
}

static void
test_bad_parameters (void)
{
  g_autoptr(Fixture) f = library_fixture_new (NULL);
  static const char *const bad[] = {
    "type=voices", "type=", "type=CHARACTER", "limit=0", "limit=101", "limit=-1",
    "limit=abc", "limit=", "limit=2.5", "cursor=nonsense", "cursor=%2F%2F%2F",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(Reply) reply = list (f, bad[i]);

      g_test_message ("%s", bad[i]);
      g_assert_cmpuint (reply->status, ==, 400);
      g_assert_true (json_object_has_member (reply_object (reply), "message"));
    }

  {
    g_autoptr(Reply) ok = list (f, "limit=100&type=character");
    g_autoptr(Reply) other = list (f, "limit=1&type=voice");
    g_autofree char *query = NULL;
    g_autoptr(Reply) mixed = NULL;

    g_assert_cmpuint (ok->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (reply_items (ok)), ==, 2);
    /* A cursor from one type's pages does not page another type. */
    g_assert_nonnull (reply_next_cursor (other));
    query = g_strdup_printf ("type=character&cursor=%s", reply_next_cursor (other));
    mixed = list (f, query);
    g_assert_cmpuint (mixed->status, ==, 400);
  }

  /* Faults apply to the endpoint, by name too (`simulator --fault`). */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(Reply) refused = NULL;
    g_autoptr(Reply) served = NULL;

    g_assert_true (mh_simulator_add_fault_from_string (f->sim, "saved-items:status:1:503", &error));
    g_assert_no_error (error);
    refused = list (f, NULL);
    g_assert_cmpuint (refused->status, ==, 503);
    served = list (f, NULL);
    g_assert_cmpuint (served->status, ==, 200);
  }

  /* A key is needed, like every API call. */
  {
    g_autofree char *url = g_strconcat (mh_simulator_get_base_url (f->sim), "/v1/saved-items", NULL);
    g_autoptr(Reply) reply = plain (f, "GET", url);

    g_assert_cmpuint (reply->status, ==, 401);
  }
  {
    g_autoptr(Reply) reply = api (f, "POST", "/v1/saved-items", "{}");

    g_assert_cmpuint (reply->status, ==, 405);
  }
}

/* The preview URL serves the item's bytes, without a key; a tampered
 * signature does not. */
static void
test_preview_download (void)
{
  g_autofree char *dir = make_library ();
  g_autoptr(Fixture) f = library_fixture_new (dir);
  g_autoptr(Reply) reply = NULL;
  guint n_pages;
  g_autoptr(GPtrArray) items = NULL;

  f->tmp = g_strdup (dir);
  items = list_all (f, NULL, 100, &n_pages);
  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);
      const char *url = json_object_get_string_member (item_asset (item), "url");
      const char *name = json_object_get_string_member (item, "name");
      g_autoptr(Reply) got = plain (f, "GET", url);
      g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, got->body);
      g_autofree char *expected = NULL;
      g_autoptr(GPtrArray) names = mh_test_list_dir (dir);

      g_assert_cmpuint (got->status, ==, 200);
      for (guint j = 0; j < names->len; j++)
        if (g_str_has_prefix (g_ptr_array_index (names, j), name) &&
            ((const char *) g_ptr_array_index (names, j))[strlen (name)] == '.')
          {
            g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, j), NULL);

            expected = mh_test_file_sha256 (path);
          }
      g_assert_nonnull (expected);
      g_assert_cmpstr (sha, ==, expected);
    }

  {
    const char *url = json_object_get_string_member (item_asset (g_ptr_array_index (items, 0)), "url");
    g_autofree char *tampered = g_strconcat (url, "0", NULL);

    reply = plain (f, "GET", tampered);
    g_assert_cmpuint (reply->status, ==, 403);
  }
}

/* A built-in item's preview is the sample media; a PNG for a character. */
static void
test_builtin_preview (void)
{
  g_autoptr(Fixture) f = library_fixture_new (NULL);
  g_autoptr(Reply) page = list (f, "type=character&limit=1");
  const char *url = json_object_get_string_member (
    item_asset (json_array_get_object_element (reply_items (page), 0)), "url");
  g_autoptr(Reply) got = plain (f, "GET", url);
  const guint8 *data;
  gsize len;

  g_assert_cmpuint (got->status, ==, 200);
  data = g_bytes_get_data (got->body, &len);
  g_assert_cmpuint (len, >, 8);
  g_assert_true (memcmp (data, "\x89PNG", 4) == 0);
}

static const char *
first_path (Fixture    *f,
            const char *type,
            const char *media_kind)
{
  g_autofree char *query = g_strdup_printf ("type=%s&limit=100", type);
  g_autoptr(Reply) page = list (f, query);
  JsonArray *items = reply_items (page);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *asset = item_asset (json_array_get_object_element (items, i));

      if (g_str_equal (json_object_get_string_member (asset, "media_kind"), media_kind))
        return g_intern_string (json_object_get_string_member (asset, "file_path"));
    }
  g_assert_not_reached ();
}

static void
test_create_with_saved_items (void)
{
  g_autoptr(Fixture) f = library_fixture_new (NULL);
  const char *image = first_path (f, "character", "IMAGE");
  const char *audio = first_path (f, "voice", "AUDIO");
  const char *video = first_path (f, "reference", "VIDEO");
  g_autofree char *talking = g_strdup_printf (
    "{\"assets\":{\"image_file_path\":\"%s\",\"audio_file_path\":\"%s\"},"
    "\"start_seconds\":0,\"end_seconds\":1}", image, audio);
  g_autofree char *lip_sync = g_strdup_printf (
    "{\"assets\":{\"video_source\":\"file\",\"video_file_path\":\"%s\",\"audio_file_path\":\"%s\"},"
    "\"start_seconds\":0,\"end_seconds\":1}", video, audio);
  g_autofree char *headshot = g_strdup_printf ("{\"assets\":{\"image_file_path\":\"%s\"}}", image);
  g_autoptr(Reply) r1 = api (f, "POST", "/v1/ai-talking-photo", talking);
  g_autoptr(Reply) r2 = api (f, "POST", "/v1/lip-sync", lip_sync);
  g_autoptr(Reply) r3 = api (f, "POST", "/v1/ai-headshot-generator", headshot);

  g_assert_cmpuint (r1->status, ==, 200);
  g_assert_cmpuint (r2->status, ==, 200);
  g_assert_cmpuint (r3->status, ==, 200);
  g_assert_cmpuint (mh_simulator_count_projects (f->sim), ==, 3);
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_UPLOAD_URLS), ==, 0);
}

static void
test_create_with_unknown_saved_item (void)
{
  g_autoptr(Fixture) f = library_fixture_new (NULL);
  const char *audio = first_path (f, "voice", "AUDIO");
  const char *image = first_path (f, "character", "IMAGE");
  struct
  {
    const char *json;
    const char *needle;
  } cases[] = {
    /* An item that does not exist */
    { "{\"assets\":{\"image_file_path\":\"saved-items/cnosuchitem/face.png\"}}", "not found" },
    /* The audio of a voice given as a photo */
    { NULL, "not image" },
  };
  g_autofree char *wrong_kind = g_strdup_printf ("{\"assets\":{\"image_file_path\":\"%s\"}}", audio);

  cases[1].json = wrong_kind;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Reply) reply = api (f, "POST", "/v1/ai-headshot-generator", cases[i].json);
      const char *message;

      g_assert_cmpuint (reply->status, ==, 422);
      message = json_object_get_string_member (reply_object (reply), "message");
      g_assert_nonnull (strstr (message, cases[i].needle));
    }

  /* Served by another simulator (its own ids): refused here. */
  {
    g_autoptr(Fixture) other = library_fixture_new (NULL);
    g_autofree char *json = g_strdup_printf ("{\"assets\":{\"image_file_path\":\"%s\"}}", image);
    g_autoptr(Reply) reply = api (other, "POST", "/v1/ai-headshot-generator", json);

    g_assert_cmpuint (reply->status, ==, 422);
  }
  g_assert_cmpuint (mh_simulator_count_projects (f->sim), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/simulator-library/paging", test_paging);
  g_test_add_func ("/simulator-library/library-dir", test_library_dir);
  g_test_add_func ("/simulator-library/bad-parameters", test_bad_parameters);
  g_test_add_func ("/simulator-library/preview-download", test_preview_download);
  g_test_add_func ("/simulator-library/builtin-preview", test_builtin_preview);
  g_test_add_func ("/simulator-library/create", test_create_with_saved_items);
  g_test_add_func ("/simulator-library/create-unknown", test_create_with_unknown_saved_item);

  return g_test_run ();
}
