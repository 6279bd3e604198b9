/* test-library.c: the user's library (GET /v1/saved-items) and saved-items
 * paths as job inputs
 *
 * A saved item's "saved-items/..." path is a fourth kind of asset value: it
 * goes into the create body as it is, is never uploaded and never looked for
 * on the disk. The library is listed a page at a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mh-error.h"
#include "mh-job-record.h"
#include "mh-library.h"
#include "mh-params.h"
#include "mh-test-util.h"
#include "mh-validate.h"

typedef struct
{
  gboolean       done;
  MhLibraryPage *page;
  GError        *error;
} ListResult;

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ListResult *r = user_data;

  r->page = mh_library_list_finish (result, &r->error);
  r->done = TRUE;
}

static MhLibraryPage *
list_page (MhTestFixture *fixture,
           const char    *type,
           guint          limit,
           const char    *cursor,
           GError       **error)
{
  ListResult r = { FALSE, };

  mh_library_list_async (fixture->client, type, limit, cursor, NULL, listed_cb, &r);
  mh_test_wait_for_flag (&r.done, MH_TEST_TIMEOUT, "a page of the library");
  if (r.error != NULL)
    g_propagate_error (error, r.error);

  return r.page;
}

/* The first asset of @kind among the items of @type. */
static char *
first_saved_path (MhTestFixture *fixture,
                  const char    *type,
                  MhAssetType    kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MhLibraryPage) page = list_page (fixture, type, 100, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < page->items->len; i++)
    {
      const MhSavedAsset *asset = mh_saved_item_find_asset (g_ptr_array_index (page->items, i), kind);

      if (asset != NULL)
        return g_strdup (asset->file_path);
    }
  g_assert_not_reached ();
}

static void
test_classify (void)
{
  g_assert_cmpint (mh_asset_value_classify ("saved-items/c123/ava.png"), ==, MH_ASSET_VALUE_SAVED_ITEM);
  g_assert_cmpint (mh_asset_value_classify ("api-assets/c123/ava.png"), ==, MH_ASSET_VALUE_API_PATH);
  /* A local folder that happens to be called so is given as ./saved-items/... */
  g_assert_cmpint (mh_asset_value_classify ("./saved-items/ava.png"), ==, MH_ASSET_VALUE_FILE);
}

/* Every page in order: 7 built-in items in pages of 3; the cursor of the
 * last page is NULL; the query is what the contract says. */
static void
test_paging (MhTestFixture *fixture,
             gconstpointer  data)
{
  g_autofree char *cursor = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint sizes[8];
  guint n_pages = 0;

  do
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MhLibraryPage) page = list_page (fixture, NULL, 3, cursor, &error);

      g_assert_no_error (error);
      g_assert_nonnull (page);
      g_assert_cmpuint (n_pages, <, G_N_ELEMENTS (sizes));
      sizes[n_pages++] = page->items->len;
      for (guint i = 0; i < page->items->len; i++)
        {
          MhSavedItem *item = g_ptr_array_index (page->items, i);

          g_assert_false (g_hash_table_contains (ids, item->id));
          g_hash_table_add (ids, g_strdup (item->id));
          g_assert_cmpuint (item->assets->len, >, 0);
          g_assert_true (g_str_has_prefix (((MhSavedAsset *) g_ptr_array_index (item->assets, 0))->file_path,
                                           "saved-items/"));
          g_assert_nonnull (((MhSavedAsset *) g_ptr_array_index (item->assets, 0))->url);
        }
      g_free (cursor);
      cursor = g_strdup (page->next_cursor);
    }
  while (cursor != NULL);

  g_assert_cmpuint (n_pages, ==, 3);
  g_assert_cmpuint (sizes[0], ==, 3);
  g_assert_cmpuint (sizes[1], ==, 3);
  g_assert_cmpuint (sizes[2], ==, 1);

  {
    MhSimRequest *first = mh_test_request (fixture->sim, MH_SIM_ENDPOINT_SAVED_ITEMS, 0);
    MhSimRequest *second = mh_test_request (fixture->sim, MH_SIM_ENDPOINT_SAVED_ITEMS, 1);
    g_autofree char *auth = g_strconcat ("Bearer ", MH_TEST_KEY, NULL);

    g_assert_cmpstr (first->method, ==, "GET");
    g_assert_cmpstr (first->query, ==, "limit=3");
    g_assert_cmpstr (first->authorization, ==, auth);
    g_assert_true (g_str_has_prefix (second->query, "limit=3&cursor="));
  }
}

/* A type filter, and the name of an item without one. */
static void
test_type_filter (MhTestFixture *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MhLibraryPage) voices = list_page (fixture, "voice", 0, NULL, &error);
  g_autoptr(MhLibraryPage) boards = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (voices->items->len, ==, 2);
  g_assert_null (voices->next_cursor);
  for (guint i = 0; i < voices->items->len; i++)
    {
      MhSavedItem *item = g_ptr_array_index (voices->items, i);

      g_assert_cmpstr (item->type, ==, "voice");
      g_assert_nonnull (mh_saved_item_find_asset (item, MH_ASSET_AUDIO));
      g_assert_null (mh_saved_item_find_asset (item, MH_ASSET_IMAGE));
    }
  g_assert_cmpstr (mh_test_request (fixture->sim, MH_SIM_ENDPOINT_SAVED_ITEMS, 0)->query,
                   ==, "type=voice");

  boards = list_page (fixture, "moodboard", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (boards->items->len, ==, 1);
  {
    MhSavedItem *board = g_ptr_array_index (boards->items, 0);
    g_autofree char *name = mh_saved_item_dup_display_name (board);

    g_assert_null (board->name);
    g_assert_cmpstr (name, ==, "Untitled moodboard");
  }
}

/* An answer of the wrong shape is an error; unusable items are left out. */
static void
test_parse (void)
{
  static const char answer[] =
    "{\"items\":["
    "{\"id\":\"a\",\"type\":\"voice\",\"name\":\"Good\",\"assets\":[{\"file_path\":\"saved-items/a/good.mp3\",\"media_kind\":\"AUDIO\",\"url\":\"https://x.example/good.mp3\"}]},"
    "{\"id\":\"b\",\"type\":\"voice\",\"name\":\"No assets\",\"assets\":[]},"
    "{\"id\":\"c\",\"type\":\"voice\",\"name\":\"Bad path\",\"assets\":[{\"file_path\":\"/etc/passwd\",\"media_kind\":\"AUDIO\"}]},"
    "{\"id\":\"d\",\"type\":\"voice\",\"name\":\"Dots\",\"assets\":[{\"file_path\":\"saved-items/../x.mp3\",\"media_kind\":\"AUDIO\"}]},"
    "{\"id\":\"e\",\"type\":\"character\",\"name\":null,\"assets\":[{\"file_path\":\"saved-items/e/x.png\",\"media_kind\":\"HOLOGRAM\"},"
    "{\"file_path\":\"saved-items/e/y.png\",\"media_kind\":\"IMAGE\",\"url\":\"javascript:alert(1)\"}]},"
    "{\"type\":\"voice\",\"assets\":[]},"
    "42],\"next_cursor\":\"abc\",\"unknown\":true}";
  g_autoptr(JsonNode) node = json_from_string (answer, NULL);
  g_autoptr(JsonNode) bad = json_from_string ("{\"items\":{}}", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MhLibraryPage) page = mh_library_page_from_json (node, &error);
  MhSavedItem *item;

  g_assert_no_error (error);
  g_assert_cmpuint (page->items->len, ==, 2);
  g_assert_cmpstr (page->next_cursor, ==, "abc");
  item = g_ptr_array_index (page->items, 0);
  g_assert_cmpstr (item->name, ==, "Good");
  item = g_ptr_array_index (page->items, 1);
  g_assert_cmpstr (item->id, ==, "e");
  g_assert_cmpuint (item->assets->len, ==, 1);
  g_assert_null (((MhSavedAsset *) g_ptr_array_index (item->assets, 0))->url);

  g_assert_null (mh_library_page_from_json (bad, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_MALFORMED);
}

/* A 400 is reported like every API refusal. */
static void
test_error (MhTestFixture *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MhLibraryPage) page = NULL;

  page = list_page (fixture, "voice", 5, "not-a-cursor", &error);
  g_assert_null (page);
  g_assert_error (error, MH_ERROR, MH_ERROR_BAD_REQUEST);
}

/* Saved items as the inputs of a job: sent as they are, nothing uploaded,
 * nothing looked for on the disk. */
static void
test_job_sends_saved_items (MhTestFixture *fixture,
                            gconstpointer  data)
{
  g_autofree char *image = first_saved_path (fixture, "character", MH_ASSET_IMAGE);
  g_autofree char *audio = first_saved_path (fixture, "voice", MH_ASSET_AUDIO);
  g_autoptr(GHashTable) params = mh_test_params ("image", image, "audio", audio,
                                                 "start", "0", "end", "1", NULL);
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  g_autoptr(GError) error = NULL;
  MhSimRequest *create;

  g_assert_true (mh_validate_params (mh_tool_lookup ("talking-photo"), params, NULL, NULL, &error));
  g_assert_no_error (error);

  mh_simulator_clear_requests (fixture->sim);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  mh_test_assert_job_output (fixture, job);

  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_UPLOAD_URLS), ==, 0);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_UPLOAD), ==, 0);
  create = mh_test_request (fixture->sim, MH_SIM_ENDPOINT_CREATE, 0);
  g_assert_cmpstr (mh_test_json_get_string (create->json, "assets.image_file_path"), ==, image);
  g_assert_cmpstr (mh_test_json_get_string (create->json, "assets.audio_file_path"), ==, audio);
}

/* A saved item next to a local file: only the local file is uploaded. */
static void
test_job_mixed (MhTestFixture *fixture,
                gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autofree char *image = first_saved_path (fixture, "character", MH_ASSET_IMAGE);
  g_autoptr(MhJob) job = NULL;
  g_autoptr(GError) error = NULL;
  MhSimRequest *create;
  JsonArray *items;

  mh_params_set (params, "image", image);
  job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_UPLOAD), ==, 1);
  items = json_node_get_array (mh_test_json_get (
    mh_test_request (fixture->sim, MH_SIM_ENDPOINT_UPLOAD_URLS, 0)->json, "items"));
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "type"),
                   ==, "audio");
  create = mh_test_request (fixture->sim, MH_SIM_ENDPOINT_CREATE, 0);
  g_assert_cmpstr (mh_test_json_get_string (create->json, "assets.image_file_path"), ==, image);
  g_assert_true (g_str_has_prefix (mh_test_json_get_string (create->json, "assets.audio_file_path"),
                                   "api-assets/"));
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  char     *bad_key;
  GError   *error;
} ValidateResult;

static void
validated_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ValidateResult *r = user_data;

  r->ok = mh_validate_finish (result, &r->bad_key, &r->error);
  r->done = TRUE;
}

/* Validation with the disk does not look for a saved item there; its
 * extension must still suit the slot. */
static void
test_validate (void)
{
  const MhTool *tool = mh_tool_lookup ("headshot");
  g_autoptr(GHashTable) params = mh_test_params ("image", "saved-items/cnothere/ava.png", NULL);
  g_autoptr(GHashTable) wrong = mh_test_params ("image", "saved-items/cnothere/voice.mp3", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_key = NULL;
  ValidateResult r = { FALSE, };

  mh_validate_async (tool, params, NULL, validated_cb, &r);
  mh_test_wait_for_flag (&r.done, MH_TEST_TIMEOUT, "validation");
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_free (r.bad_key);

  g_assert_false (mh_validate_params (tool, wrong, NULL, &bad_key, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_INVALID_INPUT);
  g_assert_cmpstr (bad_key, ==, "image");
}

/* A saved item's name rides beside its path: accepted by validation, never
 * sent, kept by the job's record (on disk too) and naming it. */
static void
test_input_names (void)
{
  const MhTool *tool = mh_tool_lookup ("headshot");
  g_autoptr(GHashTable) params = mh_test_params ("image", "saved-items/c1/ben.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(MhJobRecord) record = NULL;
  g_autoptr(MhJobRecord) read_back = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *slot = NULL;

  mh_params_set_input_name (params, "image", "Ben");
  g_assert_cmpstr (mh_params_get_input_name (params, "image"), ==, "Ben");
  g_assert_true (mh_params_is_input_name_key ("image:name", &slot));
  g_assert_cmpstr (slot, ==, "image");
  g_assert_false (mh_params_is_input_name_key ("image", NULL));
  g_assert_false (mh_params_is_input_name_key (":name", NULL));

  g_assert_true (mh_validate_params (tool, params, NULL, NULL, &error));
  g_assert_no_error (error);
  body = mh_params_build_body (tool, params, NULL);
  g_assert_cmpstr (mh_test_json_get_string (body, "assets.image_file_path"), ==, "saved-items/c1/ben.png");
  g_assert_cmpuint (json_object_get_size (json_node_get_object (body)), ==, 1);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (json_node_get_object (body), "assets")), ==, 1);

  /* The name of a slot the tool does not have is still refused. */
  {
    g_autoptr(GHashTable) other = mh_params_copy (params);
    g_autoptr(GError) refused = NULL;

    mh_params_set_input_name (other, "audio", "Narrator");
    g_assert_false (mh_validate_params (tool, other, NULL, NULL, &refused));
  }

  record = mh_job_record_new (tool, params);
  g_assert_cmpstr (mh_job_record_get_name (record), ==, "Ben");
  json = mh_job_record_to_json (record);
  g_assert_cmpstr (mh_test_json_get_string (json, "inputs.image"), ==, "saved-items/c1/ben.png");
  g_assert_cmpstr (mh_test_json_get_string (json, "input_names.image"), ==, "Ben");
  g_assert_null (mh_test_json_get (json, "options.image:name"));

  read_back = mh_job_record_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mh_params_get (mh_job_record_get_params (read_back), "image"), ==, "saved-items/c1/ben.png");
  g_assert_cmpstr (mh_params_get_input_name (mh_job_record_get_params (read_back), "image"), ==, "Ben");
  g_assert_cmpstr (mh_job_record_get_name (read_back), ==, "Ben");

  /* Without a name, the record is named after the file of the path. */
  {
    g_autoptr(GHashTable) unnamed = mh_test_params ("image", "saved-items/c1/ben.png", NULL);
    g_autoptr(MhJobRecord) plain = mh_job_record_new (tool, unnamed);

    g_assert_cmpstr (mh_job_record_get_name (plain), ==, "ben");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/library/classify", test_classify);
  g_test_add_func ("/library/parse", test_parse);
  g_test_add_func ("/library/validate", test_validate);
  g_test_add_func ("/library/input-names", test_input_names);
#define ADD(path, func) \
  g_test_add (path, MhTestFixture, NULL, mh_test_fixture_setup, func, mh_test_fixture_teardown)
  ADD ("/library/paging", test_paging);
  ADD ("/library/type-filter", test_type_filter);
  ADD ("/library/error", test_error);
  ADD ("/library/job-sends-saved-items", test_job_sends_saved_items);
  ADD ("/library/job-mixed", test_job_mixed);
#undef ADD

  return g_test_run ();
}
