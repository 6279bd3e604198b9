/* test-params.c: the request bodies, built and as the simulator received them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mh-error.h"
#include "mh-params.h"
#include "mh-test-util.h"

/* ---- Helpers -------------------------------------------------------------- */

static void
assert_no_nulls (JsonNode   *node,
                 const char *where)
{
  if (JSON_NODE_HOLDS_NULL (node))
    g_error ("A null was sent at %s", where);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        {
          g_autofree char *path = g_strconcat (where, ".", name, NULL);

          assert_no_nulls (member, path);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        assert_no_nulls (json_array_get_element (array, i), where);
    }
}

static void
assert_string (JsonNode   *body,
               const char *path,
               const char *expected)
{
  JsonNode *node = mh_test_json_get (body, path);

  if (node == NULL)
    g_error ("%s is missing, expected “%s”", path, expected);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_true (json_node_get_value_type (node) == G_TYPE_STRING);
  g_assert_cmpstr (json_node_get_string (node), ==, expected);
}

/* A JSON number (integer or not), never a string. */
static void
assert_number (JsonNode   *body,
               const char *path,
               double      expected)
{
  JsonNode *node = mh_test_json_get (body, path);
  GType type;

  if (node == NULL)
    g_error ("%s is missing, expected %g", path, expected);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  type = json_node_get_value_type (node);
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    g_error ("%s is a %s, not a number", path, g_type_name (type));
  g_assert_cmpfloat_with_epsilon (json_node_get_double (node), expected, 1e-9);
}

static void
assert_integer (JsonNode   *body,
                const char *path,
                gint64      expected)
{
  JsonNode *node = mh_test_json_get (body, path);

  if (node == NULL)
    g_error ("%s is missing, expected %" G_GINT64_FORMAT, path, expected);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  if (json_node_get_value_type (node) != G_TYPE_INT64)
    g_error ("%s is a %s, not an integer", path, g_type_name (json_node_get_value_type (node)));
  g_assert_cmpint (json_node_get_int (node), ==, expected);
}

static void
assert_absent (JsonNode   *body,
               const char *path)
{
  if (mh_test_json_get (body, path) != NULL)
    {
      g_autofree char *text = json_to_string (body, FALSE);

      g_error ("%s should not be sent: %s", path, text);
    }
}

/* The object at @path has exactly the members listed (NULL-terminated). */
static void
assert_members (JsonNode   *body,
                const char *path,
                ...)
{
  JsonNode *node = path != NULL ? mh_test_json_get (body, path) : body;
  g_autoptr(GList) members = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  g_autofree char *text = json_to_string (body, FALSE);
  const char *name;
  va_list args;

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  va_start (args, path);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      if (!json_object_has_member (json_node_get_object (node), name))
        g_error ("%s.%s is missing: %s", path ? path : "", name, text);
      g_ptr_array_add (expected, (gpointer) name);
    }
  va_end (args);

  members = json_object_get_members (json_node_get_object (node));
  if (g_list_length (members) != expected->len)
    g_error ("%s has %u members, expected %u: %s", path ? path : "(root)",
             g_list_length (members), expected->len, text);
}

static JsonNode *
build (const char *tool_id,
       GHashTable *params,
       GHashTable *assets)
{
  const MhTool *tool = mh_tool_lookup (tool_id);
  JsonNode *body;

  g_assert_nonnull (tool);
  body = mh_params_build_body (tool, params, assets);
  g_assert_nonnull (body);
  assert_no_nulls (body, "body");
  return body;
}

static GHashTable *
assets_new (const char *first_key,
            ...)
{
  GHashTable *assets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *key = first_key;
  va_list args;

  va_start (args, first_key);
  while (key != NULL)
    {
      g_hash_table_insert (assets, g_strdup (key), g_strdup (va_arg (args, const char *)));
      key = va_arg (args, const char *);
    }
  va_end (args);

  return assets;
}

/* ---- mh_params_build_body ------------------------------------------------- */

static void
test_build_talking_photo_full (void)
{
  g_autoptr(GHashTable) params = mh_test_params ("image", "/home/me/face.png",
                                                 "audio", "/home/me/voice.wav",
                                                 "start", "1.5", "end", "10",
                                                 "mode", "pro",
                                                 "max-resolution", "1024",
                                                 "name", "My clip", NULL);
  g_autoptr(GHashTable) assets = assets_new ("image", "api-assets/a1/face.png",
                                             "audio", "api-assets/a1/voice.wav", NULL);
  g_autoptr(JsonNode) body = build ("talking-photo", params, assets);

  /* The deprecated max_resolution goes as the preset the API maps it to. */
  assert_members (body, NULL, "assets", "start_seconds", "end_seconds", "style",
                  "resolution", "name", NULL);
  assert_members (body, "assets", "image_file_path", "audio_file_path", NULL);
  assert_string (body, "assets.image_file_path", "api-assets/a1/face.png");
  assert_string (body, "assets.audio_file_path", "api-assets/a1/voice.wav");
  assert_number (body, "start_seconds", 1.5);
  assert_number (body, "end_seconds", 10);
  assert_members (body, "style", "generation_mode", NULL);
  assert_string (body, "style.generation_mode", "realistic");
  assert_string (body, "resolution", "480p");
  assert_string (body, "name", "My clip");
}

/* CONTRACT.md (December 2026): `resolution` is sent as chosen;
 * max_resolution is mapped (below 1280: 480p, else 720p) and never sent
 * beside resolution, which wins. */
static void
test_build_talking_photo_resolution (void)
{
  static const struct
  {
    const char *resolution;
    const char *max_resolution;
    const char *sent;
  } cases[] = {
    { .resolution = "720p", .sent = "720p" },
    { .resolution = "480p", .sent = "480p" },
    { .max_resolution = "1279", .sent = "480p" },
    { .max_resolution = "1280", .sent = "720p" },
    { .max_resolution = "64", .sent = "480p" },
    { .max_resolution = "4096", .sent = "720p" },
    { .resolution = "480p", .max_resolution = "4096", .sent = "480p" },
    { .resolution = "720p", .max_resolution = "512", .sent = "720p" },
    { .sent = NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GHashTable) params = mh_test_params ("image", "face.png", "audio", "voice.wav",
                                                     "start", "0", "end", "5", NULL);
      g_autoptr(JsonNode) body = NULL;
      g_autoptr(GHashTable) moved = NULL;

      mh_params_set (params, "resolution", cases[i].resolution);
      mh_params_set (params, "max-resolution", cases[i].max_resolution);
      body = build ("talking-photo", params, NULL);
      assert_absent (body, "max_resolution");
      if (cases[i].sent != NULL)
        assert_string (body, "resolution", cases[i].sent);
      else
        assert_absent (body, "resolution");

      /* The command-line tool moves it into the params first: the same. */
      moved = mh_params_copy (params);
      g_assert_true (mh_params_apply_replacements (mh_tool_lookup ("talking-photo"), moved) ==
                     (cases[i].max_resolution != NULL));
      g_assert_null (mh_params_get (moved, "max-resolution"));
      g_assert_cmpstr (mh_params_get (moved, "resolution"), ==, cases[i].sent);
    }
}

static void
test_build_talking_photo_minimal (void)
{
  g_autoptr(GHashTable) params = mh_test_params ("image", "face.png", "audio", "voice.wav",
                                                 "start", "0", "end", "5", NULL);
  g_autoptr(GHashTable) assets = assets_new ("image", "api-assets/x/face.png",
                                             "audio", "api-assets/x/voice.wav", NULL);
  g_autoptr(JsonNode) body = build ("talking-photo", params, assets);

  /* Unset options are left out, never null; the default mode is not sent. */
  assert_members (body, NULL, "assets", "start_seconds", "end_seconds", NULL);
  assert_number (body, "start_seconds", 0);
  assert_number (body, "end_seconds", 5);
}

static void
test_build_talking_photo_modes (void)
{
  static const struct { const char *name; const char *wire; } modes[] = {
    { "realistic", "realistic" },
    { "pro", "realistic" },
    { "stable", "realistic" },
    { "PRO", "realistic" },
    { "prompted", "prompted" },
    { "expressive", "prompted" },
    { "standard", "prompted" },
    { "Expressive", "prompted" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(GHashTable) params = mh_test_params ("image", "https://e.example/f.png",
                                                     "audio", "https://e.example/v.mp3",
                                                     "start", "0", "end", "5",
                                                     "mode", modes[i].name, NULL);
      g_autoptr(JsonNode) body = build ("talking-photo", params, NULL);

      assert_string (body, "style.generation_mode", modes[i].wire);
    }
}

static void
test_build_talking_photo_expressive (void)
{
  g_autoptr(GHashTable) params = mh_test_params ("image", "face.png", "audio", "voice.wav",
                                                 "start", "2", "end", "7.25",
                                                 "mode", "expressive", "intensity", "1.25",
                                                 "prompt", "Smile, then laugh", NULL);
  g_autoptr(GHashTable) assets = assets_new ("image", "api-assets/x/face.png",
                                             "audio", "api-assets/x/voice.wav", NULL);
  g_autoptr(JsonNode) body = build ("talking-photo", params, assets);

  assert_members (body, "style", "generation_mode", "intensity", "prompt", NULL);
  assert_string (body, "style.generation_mode", "prompted");
  assert_number (body, "style.intensity", 1.25);
  assert_string (body, "style.prompt", "Smile, then laugh");
  assert_number (body, "end_seconds", 7.25);
  assert_absent (body, "max_resolution");
  assert_absent (body, "name");
}

/* Options that do not apply to the chosen mode are not sent. */
static void
test_build_talking_photo_not_applicable (void)
{
  g_autoptr(GHashTable) params = mh_test_params ("image", "face.png", "audio", "voice.wav",
                                                 "start", "0", "end", "5",
                                                 "mode", "realistic", "intensity", "1.5",
                                                 "prompt", "smile", NULL);
  g_autoptr(GHashTable) defaults = mh_test_params ("image", "face.png", "audio", "voice.wav",
                                                   "start", "0", "end", "5",
                                                   "intensity", "1.5", NULL);
  g_autoptr(JsonNode) body = build ("talking-photo", params, NULL);
  g_autoptr(JsonNode) body_default = build ("talking-photo", defaults, NULL);

  assert_members (body, "style", "generation_mode", NULL);
  assert_absent (body, "style.intensity");
  assert_absent (body, "style.prompt");
  assert_absent (body_default, "style");
}

static void
test_build_urls_untouched (void)
{
  const char *image = "https://cdn.example.com/Photos/My%20Face.PNG?sig=a+b&x=1";
  const char *audio = "api-assets/cm0abcdef/voice.mp3";
  g_autoptr(GHashTable) params = mh_test_params ("image", image, "audio", audio,
                                                 "start", "0", "end", "5", NULL);
  g_autoptr(JsonNode) body = build ("talking-photo", params, NULL);

  assert_string (body, "assets.image_file_path", image);
  assert_string (body, "assets.audio_file_path", audio);
}

static void
test_build_lip_sync_file (void)
{
  g_autoptr(GHashTable) params = mh_test_params ("video", "clip.mp4", "audio", "voice.wav",
                                                 "start", "0.5", "end", "2.5", "mode", "pro",
                                                 "max-fps", "24", "name", "Dub", NULL);
  g_autoptr(GHashTable) assets = assets_new ("video", "api-assets/v/clip.mp4",
                                             "audio", "api-assets/v/voice.wav", NULL);
  g_autoptr(JsonNode) body = build ("lip-sync", params, assets);

  assert_members (body, NULL, "assets", "start_seconds", "end_seconds", "style",
                  "max_fps_limit", "name", NULL);
  assert_members (body, "assets", "video_source", "video_file_path", "audio_file_path", NULL);
  assert_string (body, "assets.video_source", "file");
  assert_string (body, "assets.video_file_path", "api-assets/v/clip.mp4");
  assert_string (body, "assets.audio_file_path", "api-assets/v/voice.wav");
  assert_string (body, "style.generation_mode", "pro");
  assert_number (body, "max_fps_limit", 24);
  assert_number (body, "start_seconds", 0.5);
  assert_number (body, "end_seconds", 2.5);
  assert_absent (body, "assets.youtube_url");
  assert_absent (body, "width");
  assert_absent (body, "height");
}

static void
test_build_lip_sync_youtube (void)
{
  const char *url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10s";
  g_autoptr(GHashTable) params = mh_test_params ("youtube", url, "audio", "voice.wav",
                                                 "start", "0", "end", "3", NULL);
  g_autoptr(GHashTable) assets = assets_new ("audio", "api-assets/v/voice.wav", NULL);
  g_autoptr(JsonNode) body = build ("lip-sync", params, assets);

  assert_members (body, NULL, "assets", "start_seconds", "end_seconds", NULL);
  assert_members (body, "assets", "video_source", "youtube_url", "audio_file_path", NULL);
  assert_string (body, "assets.video_source", "youtube");
  assert_string (body, "assets.youtube_url", url);
  assert_absent (body, "assets.video_file_path");
}

static void
test_build_lip_sync_modes (void)
{
  const char *modes[] = { "lite", "standard", "pro" };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(GHashTable) params = mh_test_params ("video", "https://e.example/c.mp4",
                                                     "audio", "https://e.example/v.mp3",
                                                     "start", "0", "end", "5",
                                                     "mode", modes[i], NULL);
      g_autoptr(JsonNode) body = build ("lip-sync", params, NULL);

      assert_string (body, "style.generation_mode", modes[i]);
      assert_string (body, "assets.video_source", "file");
      assert_string (body, "assets.video_file_path", "https://e.example/c.mp4");
    }
}

static void
test_build_headshot (void)
{
  g_autoptr(GHashTable) params = mh_test_params ("image", "me.jpg", "prompt", "Studio, grey",
                                                 "name", "Portrait", NULL);
  g_autoptr(GHashTable) minimal = mh_test_params ("image", "me.jpg", NULL);
  g_autoptr(GHashTable) assets = assets_new ("image", "api-assets/h/me.jpg", NULL);
  g_autoptr(JsonNode) body = build ("headshot", params, assets);
  g_autoptr(JsonNode) body_minimal = build ("headshot", minimal, assets);

  assert_members (body, NULL, "assets", "style", "name", NULL);
  assert_members (body, "assets", "image_file_path", NULL);
  assert_string (body, "assets.image_file_path", "api-assets/h/me.jpg");
  assert_members (body, "style", "prompt", NULL);
  assert_string (body, "style.prompt", "Studio, grey");
  assert_string (body, "name", "Portrait");

  assert_members (body_minimal, NULL, "assets", NULL);
}

/* Params survive a round trip through JSON (the job store). */
static void
test_params_json_round_trip (void)
{
  g_autoptr(GHashTable) params = mh_test_params ("image", "/tmp/ä b.png", "start", "0",
                                                 "prompt", "“quoted”", NULL);
  g_autoptr(JsonNode) node = mh_params_to_json (params);
  g_autoptr(GHashTable) back = mh_params_from_json (node);

  g_assert_cmpuint (g_hash_table_size (back), ==, 3);
  g_assert_cmpstr (mh_params_get (back, "image"), ==, "/tmp/ä b.png");
  g_assert_cmpstr (mh_params_get (back, "start"), ==, "0");
  g_assert_cmpstr (mh_params_get (back, "prompt"), ==, "“quoted”");
}

static void
test_asset_classify (void)
{
  g_assert_cmpint (mh_asset_value_classify ("https://x.example/a.png"), ==, MH_ASSET_VALUE_URL);
  g_assert_cmpint (mh_asset_value_classify ("http://x.example/a.png"), ==, MH_ASSET_VALUE_URL);
  g_assert_cmpint (mh_asset_value_classify ("api-assets/x/a.png"), ==, MH_ASSET_VALUE_API_PATH);
  g_assert_cmpint (mh_asset_value_classify ("/home/me/a.png"), ==, MH_ASSET_VALUE_FILE);
  g_assert_cmpint (mh_asset_value_classify ("a.png"), ==, MH_ASSET_VALUE_FILE);
  g_assert_cmpint (mh_asset_value_classify ("file:///home/me/a.png"), ==, MH_ASSET_VALUE_FILE);
}

/* ---- As received by the simulator ----------------------------------------- */

static JsonNode *
create_body (MhTestFixture *fixture)
{
  MhSimRequest *req;

  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_CREATE), ==, 1);
  req = mh_test_request (fixture->sim, MH_SIM_ENDPOINT_CREATE, 0);
  g_assert_cmpstr (req->method, ==, "POST");
  g_assert_nonnull (req->content_type);
  g_assert_true (g_str_has_prefix (req->content_type, "application/json"));
  g_assert_nonnull (req->json);
  assert_no_nulls (req->json, "body");

  return req->json;
}

/* The api-assets path sent for a slot holds exactly the local file. */
static void
assert_uploaded (MhTestFixture *fixture,
                 JsonNode      *body,
                 const char    *json_path,
                 const char    *local_path)
{
  const char *file_path = mh_test_json_get_string (body, json_path);
  g_autofree char *sha = NULL;
  g_autofree char *expected = mh_test_file_sha256 (local_path);
  guint64 size = 0;
  goffset local_size;
  g_autoptr(GFile) file = g_file_new_for_path (local_path);
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);

  g_assert_nonnull (file_path);
  g_assert_true (g_str_has_prefix (file_path, "api-assets/"));
  g_assert_true (mh_simulator_lookup_upload (fixture->sim, file_path, &size, &sha));
  g_assert_cmpstr (sha, ==, expected);
  local_size = g_file_info_get_size (info);
  g_assert_cmpuint (size, ==, (guint64) local_size);
}

static void
test_e2e_talking_photo_expressive (MhTestFixture *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *body;

  mh_params_set (params, "start", "1.5");
  mh_params_set (params, "end", "4");
  mh_params_set (params, "mode", "expressive");
  mh_params_set (params, "intensity", "1.25");
  mh_params_set (params, "prompt", "Smile warmly");
  mh_params_set (params, "resolution", "720p");
  mh_params_set (params, "name", "Greeting");
  job = mh_test_fixture_new_job (fixture, "talking-photo", params);

  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);

  body = create_body (fixture);
  g_assert_cmpstr (mh_test_request (fixture->sim, MH_SIM_ENDPOINT_CREATE, 0)->path, ==,
                   "/v1/ai-talking-photo");
  assert_members (body, NULL, "assets", "start_seconds", "end_seconds", "style",
                  "resolution", "name", NULL);
  assert_uploaded (fixture, body, "assets.image_file_path", mh_params_get (params, "image"));
  assert_uploaded (fixture, body, "assets.audio_file_path", mh_params_get (params, "audio"));
  assert_number (body, "start_seconds", 1.5);
  assert_number (body, "end_seconds", 4);
  assert_members (body, "style", "generation_mode", "intensity", "prompt", NULL);
  assert_string (body, "style.generation_mode", "prompted");
  assert_number (body, "style.intensity", 1.25);
  assert_string (body, "style.prompt", "Smile warmly");
  assert_string (body, "resolution", "720p");
  assert_string (body, "name", "Greeting");
  mh_test_assert_job_output (fixture, job);
}

static void
test_e2e_talking_photo_pro (MhTestFixture *fixture,
                            gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *body;

  mh_params_set (params, "mode", "pro");
  job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);

  body = create_body (fixture);
  assert_members (body, NULL, "assets", "start_seconds", "end_seconds", "style", NULL);
  assert_members (body, "style", "generation_mode", NULL);
  assert_string (body, "style.generation_mode", "realistic");
}

static void
test_e2e_lip_sync_file (MhTestFixture *fixture,
                        gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "lip-sync");
  g_autoptr(MhJob) job = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *body;

  mh_params_set (params, "mode", "pro");
  mh_params_set (params, "max-fps", "24");
  mh_params_set (params, "name", "Dub");
  job = mh_test_fixture_new_job (fixture, "lip-sync", params);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);

  body = create_body (fixture);
  g_assert_cmpstr (mh_test_request (fixture->sim, MH_SIM_ENDPOINT_CREATE, 0)->path, ==,
                   "/v1/lip-sync");
  assert_members (body, NULL, "assets", "start_seconds", "end_seconds", "style",
                  "max_fps_limit", "name", NULL);
  assert_members (body, "assets", "video_source", "video_file_path", "audio_file_path", NULL);
  assert_string (body, "assets.video_source", "file");
  assert_uploaded (fixture, body, "assets.video_file_path", mh_params_get (params, "video"));
  assert_uploaded (fixture, body, "assets.audio_file_path", mh_params_get (params, "audio"));
  assert_string (body, "style.generation_mode", "pro");
  assert_number (body, "max_fps_limit", 24);
  assert_string (body, "name", "Dub");
  mh_test_assert_job_output (fixture, job);
}

static void
test_e2e_lip_sync_youtube (MhTestFixture *fixture,
                           gconstpointer  data)
{
  const char *url = "https://youtu.be/dQw4w9WgXcQ";
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "lip-sync");
  g_autoptr(MhJob) job = NULL;
  g_autoptr(GError) error = NULL;
  MhSimRequest *urls;
  JsonNode *body;
  JsonNode *items;

  g_hash_table_remove (params, "video");
  mh_params_set (params, "youtube", url);
  mh_params_set (params, "end", "8");
  mh_params_set (params, "mode", "lite");
  job = mh_test_fixture_new_job (fixture, "lip-sync", params);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);

  /* Only the audio was uploaded. */
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_UPLOAD_URLS), ==, 1);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_UPLOAD), ==, 1);
  urls = mh_test_request (fixture->sim, MH_SIM_ENDPOINT_UPLOAD_URLS, 0);
  items = mh_test_json_get (urls->json, "items");
  g_assert_nonnull (items);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (items)), ==, 1);

  body = create_body (fixture);
  assert_members (body, "assets", "video_source", "youtube_url", "audio_file_path", NULL);
  assert_string (body, "assets.video_source", "youtube");
  assert_string (body, "assets.youtube_url", url);
  assert_uploaded (fixture, body, "assets.audio_file_path", mh_params_get (params, "audio"));
  assert_string (body, "style.generation_mode", "lite");
  assert_number (body, "end_seconds", 8);
  assert_absent (body, "max_fps_limit");
  mh_test_assert_job_output (fixture, job);
}

static void
test_e2e_headshot (MhTestFixture *fixture,
                   gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *body;

  mh_params_set (params, "prompt", "Studio light");
  mh_params_set (params, "name", "Portrait");
  job = mh_test_fixture_new_job (fixture, "headshot", params);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);

  body = create_body (fixture);
  g_assert_cmpstr (mh_test_request (fixture->sim, MH_SIM_ENDPOINT_CREATE, 0)->path, ==,
                   "/v1/ai-headshot-generator");
  assert_members (body, NULL, "assets", "style", "name", NULL);
  assert_uploaded (fixture, body, "assets.image_file_path", mh_params_get (params, "image"));
  assert_members (body, "style", "prompt", NULL);
  assert_string (body, "style.prompt", "Studio light");
  assert_string (body, "name", "Portrait");
  mh_test_assert_job_output (fixture, job);
}

/* A path that is not UTF-8 becomes a file:// URI of the same bytes and
 * back; one that is, is itself. */
static void
test_path_text (void)
{
  static const char *const paths[] = { "/tmp/R\xe9sultats/a.png", "/tmp/R\xc3\xa9sultats/a b%.png", "/\xff" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *text = mh_path_to_text (paths[i]);
      g_autofree char *back = mh_path_from_text (text);

      g_assert_true (g_utf8_validate (text, -1, NULL));
      g_assert_cmpstr (back, ==, paths[i]);
      if (g_utf8_validate (paths[i], -1, NULL))
        g_assert_cmpstr (text, ==, paths[i]);
      else
        g_assert_true (g_str_has_prefix (text, "file:///"));
    }
  g_assert_null (mh_path_to_text (NULL));
  g_assert_null (mh_path_from_text (NULL));
  g_assert_null (mh_path_from_text ("file://elsewhere.example.com/x.png"));
  g_assert_null (mh_path_from_text ("file://%zz"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/params/build/talking-photo/full", test_build_talking_photo_full);
  g_test_add_func ("/params/build/talking-photo/resolution", test_build_talking_photo_resolution);
  g_test_add_func ("/params/build/talking-photo/minimal", test_build_talking_photo_minimal);
  g_test_add_func ("/params/build/talking-photo/modes", test_build_talking_photo_modes);
  g_test_add_func ("/params/build/talking-photo/expressive", test_build_talking_photo_expressive);
  g_test_add_func ("/params/build/talking-photo/not-applicable", test_build_talking_photo_not_applicable);
  g_test_add_func ("/params/build/urls-untouched", test_build_urls_untouched);
  g_test_add_func ("/params/build/lip-sync/file", test_build_lip_sync_file);
  g_test_add_func ("/params/build/lip-sync/youtube", test_build_lip_sync_youtube);
  g_test_add_func ("/params/build/lip-sync/modes", test_build_lip_sync_modes);
  g_test_add_func ("/params/build/headshot", test_build_headshot);
  g_test_add_func ("/params/json-round-trip", test_params_json_round_trip);
  g_test_add_func ("/params/asset-classify", test_asset_classify);
  g_test_add_func ("/params/path-text", test_path_text);

#define ADD(path, func) \
  g_test_add (path, MhTestFixture, NULL, mh_test_fixture_setup, func, mh_test_fixture_teardown)
  ADD ("/params/e2e/talking-photo/expressive", test_e2e_talking_photo_expressive);
  ADD ("/params/e2e/talking-photo/pro", test_e2e_talking_photo_pro);
  ADD ("/params/e2e/lip-sync/file", test_e2e_lip_sync_file);
  ADD ("/params/e2e/lip-sync/youtube", test_e2e_lip_sync_youtube);
  ADD ("/params/e2e/headshot", test_e2e_headshot);
#undef ADD

  return g_test_run ();
}
