/* test-client.c: the transport rules, as the simulator saw them
 *
 * Bearer on API calls and never on storage URLs, real Content-Length PUTs,
 * one upload-URL call for all files, pass-through of URLs and api-assets
 * paths, no key / blank key / plain HTTP refused before anything is sent,
 * and the key never in a log line or a message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mh-error.h"
#include "mh-params.h"
#include "mh-test-util.h"

/* Everything logged by this process, every field of every message. */
static GString *captured_log;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      g_string_append_printf (captured_log, "%s=", fields[i].key);
      if (fields[i].length < 0)
        g_string_append (captured_log, fields[i].value);
      else
        g_string_append_len (captured_log, fields[i].value, fields[i].length);
      g_string_append_c (captured_log, ' ');
    }
  g_string_append_c (captured_log, '\n');

  /* Warnings and worse are still shown (and still fatal in tests). */
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  return G_LOG_WRITER_HANDLED;
}

static goffset
file_size (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);

  g_assert_nonnull (info);
  return g_file_info_get_size (info);
}

/* Bearer on every API call, nothing on storage URLs. */
static void
assert_authorization (MhSimulator *sim,
                      const char  *key)
{
  g_autofree char *bearer = g_strconcat ("Bearer ", key, NULL);
  GPtrArray *requests = mh_simulator_get_requests (sim);
  guint api = 0, storage = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      MhSimRequest *req = g_ptr_array_index (requests, i);

      if (g_str_has_prefix (req->path, "/v1/"))
        {
          g_assert_cmpstr (req->authorization, ==, bearer);
          api++;
        }
      else
        {
          g_assert_true (g_str_has_prefix (req->path, "/storage/"));
          if (req->authorization != NULL)
            g_error ("%s %s carried an Authorization header", req->method, req->path);
          storage++;
        }
    }

  g_assert_cmpuint (api, >, 0);
  g_assert_cmpuint (storage, >, 0);
}

static void
assert_put (MhSimRequest *req,
            const char   *path)
{
  g_autofree char *sha = mh_test_file_sha256 (path);

  g_assert_cmpstr (req->method, ==, "PUT");
  g_assert_null (req->authorization);
  g_assert_false (req->chunked);
  g_assert_cmpint (req->content_length, ==, file_size (path));
  g_assert_cmpuint (req->body_bytes, ==, (guint64) file_size (path));
  g_assert_cmpstr (req->content_type, ==, "application/octet-stream");
  g_assert_cmpstr (req->body_sha256, ==, sha);
  g_assert_cmpuint (req->status, ==, 200);
}

static void
assert_item (JsonArray  *items,
             guint       index,
             const char *type,
             const char *extension)
{
  JsonObject *item = json_array_get_object_element (items, index);

  g_assert_nonnull (item);
  g_assert_cmpuint (json_object_get_size (item), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (item, "type"), ==, type);
  g_assert_cmpstr (json_object_get_string_member (item, "extension"), ==, extension);
}

static JsonArray *
upload_items (MhSimulator *sim,
              guint        index)
{
  MhSimRequest *req = mh_test_request (sim, MH_SIM_ENDPOINT_UPLOAD_URLS, index);
  JsonNode *items = mh_test_json_get (req->json, "items");

  g_assert_cmpstr (req->method, ==, "POST");
  g_assert_true (g_str_has_prefix (req->content_type, "application/json"));
  g_assert_nonnull (items);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (items));
  return json_node_get_array (items);
}

static void
run_ok (MhJob *job)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
}

/* ---- Headers and bodies --------------------------------------------------- */

static void
test_headshot_transport (MhTestFixture *fixture,
                         gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  JsonArray *items;

  run_ok (job);
  assert_authorization (fixture->sim, MH_TEST_KEY);

  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_UPLOAD_URLS), ==, 1);
  items = upload_items (fixture->sim, 0);
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  assert_item (items, 0, "image", "png");

  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_UPLOAD), ==, 1);
  assert_put (mh_test_request (fixture->sim, MH_SIM_ENDPOINT_UPLOAD, 0), mh_params_get (params, "image"));

  /* The download: a plain GET without a key. */
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_DOWNLOAD), ==, 1);
  g_assert_cmpstr (mh_test_request (fixture->sim, MH_SIM_ENDPOINT_DOWNLOAD, 0)->method, ==, "GET");
  g_assert_null (mh_test_request (fixture->sim, MH_SIM_ENDPOINT_DOWNLOAD, 0)->authorization);
  mh_test_assert_job_output (fixture, job);
}

/* Talking photo: one upload-urls call with the image then the audio. */
static void
test_talking_photo_one_upload_call (MhTestFixture *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  JsonArray *items;

  run_ok (job);
  assert_authorization (fixture->sim, MH_TEST_KEY);

  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_UPLOAD_URLS), ==, 1);
  items = upload_items (fixture->sim, 0);
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  assert_item (items, 0, "image", "png");
  assert_item (items, 1, "audio", "wav");

  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_UPLOAD), ==, 2);
  assert_put (mh_test_request (fixture->sim, MH_SIM_ENDPOINT_UPLOAD, 0), mh_params_get (params, "image"));
  assert_put (mh_test_request (fixture->sim, MH_SIM_ENDPOINT_UPLOAD, 1), mh_params_get (params, "audio"));

  /* Everything was uploaded before the create. */
  {
    GPtrArray *all = mh_simulator_get_requests (fixture->sim);
    gboolean created = FALSE;

    for (guint i = 0; i < all->len; i++)
      {
        MhSimRequest *req = g_ptr_array_index (all, i);

        if (g_strcmp0 (req->endpoint, MH_SIM_ENDPOINT_CREATE) == 0)
          created = TRUE;
        else if (g_strcmp0 (req->endpoint, MH_SIM_ENDPOINT_UPLOAD) == 0 ||
                 g_strcmp0 (req->endpoint, MH_SIM_ENDPOINT_UPLOAD_URLS) == 0)
          g_assert_false (created);
      }
    g_assert_true (created);
  }
  mh_test_assert_job_output (fixture, job);
}

static void
test_lip_sync_one_upload_call (MhTestFixture *fixture,
                               gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "lip-sync");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "lip-sync", params);
  JsonArray *items;

  run_ok (job);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_UPLOAD_URLS), ==, 1);
  items = upload_items (fixture->sim, 0);
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  assert_item (items, 0, "video", "mp4");
  assert_item (items, 1, "audio", "wav");
  assert_put (mh_test_request (fixture->sim, MH_SIM_ENDPOINT_UPLOAD, 0), mh_params_get (params, "video"));
  assert_put (mh_test_request (fixture->sim, MH_SIM_ENDPOINT_UPLOAD, 1), mh_params_get (params, "audio"));
}

/* An upper-case extension is asked for in lower case. */
static void
test_extension_lower_case (MhTestFixture *fixture,
                           gconstpointer  data)
{
  g_autofree char *image = mh_test_write_png (fixture->tmp, "FACE.PNG");
  g_autoptr(GHashTable) params = mh_test_params ("image", image, NULL);
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);

  run_ok (job);
  assert_item (upload_items (fixture->sim, 0), 0, "image", "png");
}

/* URLs and api-assets paths are passed through, not uploaded. */
static void
test_url_not_uploaded (MhTestFixture *fixture,
                       gconstpointer  data)
{
  const char *url = "https://cdn.example.com/people/face.png?token=abc%20def";
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = NULL;
  MhSimRequest *create;
  JsonArray *items;

  mh_params_set (params, "image", url);
  job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  run_ok (job);

  items = upload_items (fixture->sim, 0);
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  assert_item (items, 0, "audio", "wav");
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_UPLOAD), ==, 1);

  create = mh_test_request (fixture->sim, MH_SIM_ENDPOINT_CREATE, 0);
  g_assert_cmpstr (mh_test_json_get_string (create->json, "assets.image_file_path"), ==, url);
  mh_test_assert_job_output (fixture, job);
}

static void
test_api_assets_not_uploaded (MhTestFixture *fixture,
                              gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) first = mh_test_fixture_new_job (fixture, "headshot", params);
  g_autoptr(MhJob) second = NULL;
  g_autofree char *file_path = NULL;
  MhSimRequest *create;

  run_ok (first);
  create = mh_test_request (fixture->sim, MH_SIM_ENDPOINT_CREATE, 0);
  file_path = g_strdup (mh_test_json_get_string (create->json, "assets.image_file_path"));
  g_assert_true (g_str_has_prefix (file_path, "api-assets/"));

  /* The same file again, by its path at Magic Hour: nothing is uploaded. */
  mh_simulator_clear_requests (fixture->sim);
  mh_params_set (params, "image", file_path);
  second = mh_test_fixture_new_job (fixture, "headshot", params);
  run_ok (second);

  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_UPLOAD_URLS), ==, 0);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_UPLOAD), ==, 0);
  create = mh_test_request (fixture->sim, MH_SIM_ENDPOINT_CREATE, 0);
  g_assert_cmpstr (mh_test_json_get_string (create->json, "assets.image_file_path"), ==, file_path);
  g_assert_cmpuint (mh_simulator_count_projects (fixture->sim), ==, 2);
}

/* ---- Keys ----------------------------------------------------------------- */

static void
run_refused (MhTestFixture *fixture,
             MhClient      *client,
             int            code)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_job_new (client, mh_tool_lookup ("headshot"), params);
  g_autoptr(GError) error = NULL;

  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_error (error, MH_ERROR, code);
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_FAILED);
  g_assert_null (mh_job_get_project_id (job));
  g_assert_cmpuint (mh_client_get_requests_sent (client, NULL), ==, 0);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, NULL), ==, 0);
}

typedef struct
{
  gboolean  done;
  JsonNode *node;
  GError   *error;
} CallResult;

static void
called_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CallResult *r = user_data;

  r->node = mh_client_call_finish (MH_CLIENT (source), result, &r->error);
  r->done = TRUE;
}

static void
call (MhClient    *client,
      const char  *method,
      const char  *path,
      CallResult  *r)
{
  memset (r, 0, sizeof *r);
  mh_client_call_async (client, method, path, NULL, MH_CALL_IDEMPOTENT, "Testing",
                        NULL, called_cb, r);
  mh_test_wait_for_flag (&r->done, MH_TEST_TIMEOUT, "an API call");
}

static void
call_result_clear (CallResult *r)
{
  g_clear_pointer (&r->node, json_node_unref);
  g_clear_error (&r->error);
}

static void
test_no_key (MhTestFixture *fixture,
             gconstpointer  data)
{
  g_autoptr(MhClient) client = mh_client_new (mh_simulator_get_base_url (fixture->sim));
  g_autoptr(GError) error = NULL;
  CallResult r;

  g_assert_false (mh_client_has_api_key (client));
  g_assert_cmpint (mh_client_get_key_source (client), ==, MH_KEY_SOURCE_NONE);
  g_assert_false (mh_client_check_ready (client, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_NO_KEY);

  call (client, "GET", "/v1/account", &r);
  g_assert_error (r.error, MH_ERROR, MH_ERROR_NO_KEY);
  call_result_clear (&r);

  run_refused (fixture, client, MH_ERROR_NO_KEY);
}

static void
test_blank_key (MhTestFixture *fixture,
                gconstpointer  data)
{
  const char *blanks[] = { "", "   ", " \t\n\r ", NULL };

  for (guint i = 0; blanks[i] != NULL; i++)
    {
      g_autoptr(MhClient) client = mh_client_new (mh_simulator_get_base_url (fixture->sim));
      CallResult r;

      /* A blank key replaces a real one: it is no key, never "Bearer ". */
      mh_client_set_api_key (client, MH_TEST_KEY);
      mh_client_set_api_key (client, blanks[i]);
      g_assert_false (mh_client_has_api_key (client));
      g_assert_cmpint (mh_client_get_key_source (client), ==, MH_KEY_SOURCE_NONE);

      call (client, "GET", "/v1/account", &r);
      g_assert_error (r.error, MH_ERROR, MH_ERROR_NO_KEY);
      call_result_clear (&r);

      run_refused (fixture, client, MH_ERROR_NO_KEY);
    }
}

static void
test_key_trimmed (MhTestFixture *fixture,
                  gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = NULL;

  mh_simulator_set_required_key (fixture->sim, MH_TEST_KEY);
  mh_client_set_api_key (fixture->client, "  \t" MH_TEST_KEY " \n");
  g_assert_cmpint (mh_client_get_key_source (fixture->client), ==, MH_KEY_SOURCE_EXPLICIT);

  job = mh_test_fixture_new_job (fixture, "headshot", params);
  run_ok (job);
  assert_authorization (fixture->sim, MH_TEST_KEY);
}

static void
test_wrong_key (MhTestFixture *fixture,
                gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "headshot");
  g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, "headshot", params);
  g_autoptr(GError) error = NULL;

  mh_simulator_set_required_key (fixture->sim, "mhk_live_someone_else");
  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "API key"));
  g_assert_null (strstr (error->message, MH_TEST_KEY));

  /* Not retried, nothing else sent. */
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, NULL), ==, 1);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_UPLOAD_URLS), ==, 1);
  g_assert_cmpuint (mh_simulator_count_projects (fixture->sim), ==, 0);
}

typedef struct
{
  gboolean  done;
  gboolean  found;
  GError   *error;
} LoadResult;

static void
key_loaded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  LoadResult *r = user_data;

  r->found = mh_client_load_api_key_finish (MH_CLIENT (source), result, &r->error);
  r->done = TRUE;
}

static void
test_env_key (void)
{
  g_autoptr(MhClient) client = mh_client_new ("http://127.0.0.1:9");
  g_autofree char *saved = g_strdup (g_getenv ("MAGIC_HOUR_API_KEY"));
  g_autoptr(GError) error = NULL;
  LoadResult r = { FALSE, };

  g_setenv ("MAGIC_HOUR_API_KEY", "  mhk_live_from_env \n", TRUE);
  mh_client_load_api_key_async (client, NULL, key_loaded_cb, &r);
  mh_test_wait_for_flag (&r.done, MH_TEST_TIMEOUT, "the key");
  g_assert_no_error (r.error);
  g_assert_true (r.found);
  g_assert_true (mh_client_has_api_key (client));
  g_assert_cmpint (mh_client_get_key_source (client), ==, MH_KEY_SOURCE_ENVIRONMENT);
  g_assert_true (mh_client_check_ready (client, &error));
  g_assert_no_error (error);

  if (saved != NULL)
    g_setenv ("MAGIC_HOUR_API_KEY", saved, TRUE);
  else
    g_unsetenv ("MAGIC_HOUR_API_KEY");
}

/* ---- Base URLs ------------------------------------------------------------ */

static void
test_insecure_base_url (MhTestFixture *fixture,
                        gconstpointer  data)
{
  const char *insecure[] = {
    "http://example.invalid", "http://api.magichour.ai", "http://127.0.0.1.example.invalid",
    "HTTP://example.invalid/", NULL
  };

  for (guint i = 0; insecure[i] != NULL; i++)
    {
      g_autoptr(MhClient) client = mh_client_new (insecure[i]);
      g_autoptr(GError) error = NULL;
      CallResult r;

      mh_client_set_api_key (client, MH_TEST_KEY);
      mh_client_set_retry_policy (client, 4, 0.01, 0.05);
      g_assert_false (mh_client_is_loopback (client));
      g_assert_false (mh_client_check_ready (client, &error));
      g_assert_error (error, MH_ERROR, MH_ERROR_INSECURE);
      g_assert_null (strstr (error->message, MH_TEST_KEY));

      /* Refused before any connection: no lookup, no NETWORK error. */
      call (client, "GET", "/v1/account", &r);
      g_assert_error (r.error, MH_ERROR, MH_ERROR_INSECURE);
      call_result_clear (&r);

      run_refused (fixture, client, MH_ERROR_INSECURE);
    }
}

static void
test_loopback_base_urls (void)
{
  const char *loopback[] = {
    "http://127.0.0.1:8080", "http://127.1.2.3", "http://localhost:1234/", "http://LOCALHOST",
    "http://[::1]:8080", NULL
  };
  const char *secure[] = { "https://api.magichour.ai", "https://example.invalid/", NULL };

  for (guint i = 0; loopback[i] != NULL; i++)
    {
      g_autoptr(MhClient) client = mh_client_new (loopback[i]);
      g_autoptr(GError) error = NULL;

      mh_client_set_api_key (client, MH_TEST_KEY);
      g_assert_true (mh_client_is_loopback (client));
      g_assert_true (mh_client_check_ready (client, &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; secure[i] != NULL; i++)
    {
      g_autoptr(MhClient) client = mh_client_new (secure[i]);
      g_autoptr(GError) error = NULL;

      mh_client_set_api_key (client, MH_TEST_KEY);
      g_assert_false (mh_client_is_loopback (client));
      g_assert_true (mh_client_check_ready (client, &error));
      g_assert_no_error (error);
      g_assert_false (g_str_has_suffix (mh_client_get_base_url (client), "/"));
    }
}

static void
test_default_and_env_base_url (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("MAGIC_HOUR_API_BASE_URL"));
  g_autoptr(MhClient) by_default = NULL;
  g_autoptr(MhClient) by_env = NULL;

  g_setenv ("MAGIC_HOUR_API_BASE_URL", "", TRUE);
  by_default = mh_client_new (NULL);
  g_assert_cmpstr (mh_client_get_base_url (by_default), ==, MH_DEFAULT_BASE_URL);

  g_setenv ("MAGIC_HOUR_API_BASE_URL", "http://127.0.0.1:4567/", TRUE);
  by_env = mh_client_new (NULL);
  g_assert_cmpstr (mh_client_get_base_url (by_env), ==, "http://127.0.0.1:4567");
  g_assert_true (mh_client_is_loopback (by_env));

  if (saved != NULL)
    g_setenv ("MAGIC_HOUR_API_BASE_URL", saved, TRUE);
  else
    g_unsetenv ("MAGIC_HOUR_API_BASE_URL");
}

static void
test_trailing_slash (MhTestFixture *fixture,
                     gconstpointer  data)
{
  g_autofree char *url = g_strconcat (mh_simulator_get_base_url (fixture->sim), "//", NULL);
  g_autoptr(MhClient) client = mh_client_new (url);
  CallResult r;

  mh_client_set_api_key (client, MH_TEST_KEY);
  call (client, "GET", "/v1/account", &r);
  g_assert_no_error (r.error);
  g_assert_nonnull (r.node);
  g_assert_cmpstr (mh_test_request (fixture->sim, NULL, 0)->path, ==, "/v1/account");
  call_result_clear (&r);
}

/* ---- Account and retries of plain calls ----------------------------------- */

typedef struct
{
  gboolean  done;
  JsonNode *node;
  GError   *error;
} AccountResult;

static void
account_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AccountResult *r = user_data;

  r->node = mh_client_get_account_finish (MH_CLIENT (source), result, &r->error);
  r->done = TRUE;
}

static void
test_account (MhTestFixture *fixture,
              gconstpointer  data)
{
  AccountResult r = { FALSE, };
  AccountResult missing = { FALSE, };

  g_object_set (fixture->sim, "credits", (gint64) 4242, NULL);
  mh_client_get_account_async (fixture->client, NULL, account_cb, &r);
  mh_test_wait_for_flag (&r.done, MH_TEST_TIMEOUT, "the account");
  g_assert_no_error (r.error);
  g_assert_nonnull (r.node);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (r.node), "credits"), ==, 4242);
  g_clear_pointer (&r.node, json_node_unref);

  /* Older API: no account endpoint. Not an error. */
  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_STATUS, 1, 404, NULL);
  mh_client_get_account_async (fixture->client, NULL, account_cb, &missing);
  mh_test_wait_for_flag (&missing.done, MH_TEST_TIMEOUT, "the account");
  g_assert_no_error (missing.error);
  g_assert_null (missing.node);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_ACCOUNT), ==, 2);
}

static void
test_call_retries (MhTestFixture *fixture,
                   gconstpointer  data)
{
  CallResult r;

  /* Transient answers are retried up to the policy's 4 attempts... */
  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_STATUS, 1, 503, NULL);
  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_STATUS, 1, 429, NULL);
  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_MALFORMED, 1, 0, NULL);
  call (fixture->client, "GET", "/v1/account", &r);
  g_assert_no_error (r.error);
  g_assert_nonnull (r.node);
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_ACCOUNT), ==, 4);
  call_result_clear (&r);

  /* ...and no more. */
  mh_simulator_clear_requests (fixture->sim);
  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_STATUS, 10, 502, NULL);
  call (fixture->client, "GET", "/v1/account", &r);
  g_assert_error (r.error, MH_ERROR, MH_ERROR_SERVER);
  g_assert_nonnull (strstr (r.error->message, "502"));
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_ACCOUNT), ==, 4);
  call_result_clear (&r);

  /* A refusal is final at once. */
  mh_simulator_clear_faults (fixture->sim);
  mh_simulator_clear_requests (fixture->sim);
  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_STATUS, 1, 400, "bad field x");
  call (fixture->client, "GET", "/v1/account", &r);
  g_assert_error (r.error, MH_ERROR, MH_ERROR_BAD_REQUEST);
  g_assert_nonnull (strstr (r.error->message, "bad field x"));
  g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, MH_SIM_ENDPOINT_ACCOUNT), ==, 1);
  call_result_clear (&r);
}

static void
test_connection_refused (void)
{
  g_autoptr(MhSimulator) sim = mh_test_simulator_new (0.1);
  g_autofree char *url = g_strdup (mh_simulator_get_base_url (sim));
  g_autoptr(MhClient) client = NULL;
  CallResult r;

  /* Nothing listens there any more. */
  mh_simulator_stop (sim);
  client = mh_client_new (url);
  mh_client_set_api_key (client, MH_TEST_KEY);
  mh_client_set_retry_policy (client, 3, 0.01, 0.02);
  call (client, "GET", "/v1/account", &r);
  g_assert_error (r.error, MH_ERROR, MH_ERROR_NETWORK);
  g_assert_nonnull (strstr (r.error->message, "127.0.0.1"));
  g_assert_cmpuint (mh_client_get_requests_sent (client, "GET"), ==, 3);
  call_result_clear (&r);
}

/* What GIO's proxy resolver portal answers in a Flatpak sandbox without the
 * network permission (seen by build-aux/test-flatpak with --unshare=network):
 * a sentence about the permission, not the D-Bus error's text. */
static void
test_network_not_allowed (void)
{
  g_autoptr(MhClient) client = mh_client_new ("http://127.0.0.1:9");
  g_autoptr(GError) portal = g_dbus_error_new_for_dbus_error ("org.freedesktop.portal.Error.NotAllowed",
                                                              "This call is not available inside the sandbox");
  g_autoptr(GError) error = mh_client_wrap_network_error (client, "http://127.0.0.1:9/v1/files/upload-urls",
                                                          "Preparing the upload", portal);

  g_assert_error (error, MH_ERROR, MH_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (error->message,
                                   "Preparing the upload failed: this app is not allowed to use the network."));
  g_assert_nonnull (strstr (error->message, "--share=network " APPLICATION_ID));
  g_assert_null (strstr (error->message, "GDBus"));
}

/* ---- The key never in a log ----------------------------------------------- */

static void
message_notify_cb (MhJob      *job,
                   GParamSpec *pspec,
                   GString    *messages)
{
  g_string_append_printf (messages, "%s\n", mh_job_get_message (job));
}

static void
test_key_never_logged (MhTestFixture *fixture,
                       gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (fixture, "talking-photo");
  g_autoptr(MhJob) job = NULL;
  g_autoptr(MhJob) refused = NULL;
  g_autoptr(GString) messages = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (g_getenv ("G_MESSAGES_DEBUG"), ==, "all");
  g_string_truncate (captured_log, 0);

  /* Faults on every step, so that the retry paths log too. */
  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_UPLOAD_URLS, MH_SIM_FAULT_STATUS, 1, 503, NULL);
  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_UPLOAD, MH_SIM_FAULT_STATUS, 1, 500, NULL);
  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_STATUS, 1, 429, NULL);
  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_PROJECT, MH_SIM_FAULT_DROP, 1, 0, NULL);
  mh_simulator_add_fault (fixture->sim, MH_SIM_ENDPOINT_DOWNLOAD, MH_SIM_FAULT_STATUS, 1, 502, NULL);

  job = mh_test_fixture_new_job (fixture, "talking-photo", params);
  g_signal_connect (job, "notify::message", G_CALLBACK (message_notify_cb), messages);
  run_ok (job);
  mh_test_assert_job_output (fixture, job);

  /* A refused key, too. */
  mh_simulator_set_required_key (fixture->sim, "mhk_live_another_key");
  refused = mh_test_fixture_new_job (fixture, "talking-photo", params);
  g_signal_connect (refused, "notify::message", G_CALLBACK (message_notify_cb), messages);
  g_assert_false (mh_test_run_job (refused, NULL, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_UNAUTHORIZED);
  g_string_append_printf (messages, "%s\n", error->message);

  /* The capture works: the retries were logged. */
  g_assert_cmpuint (captured_log->len, >, 0);
  g_assert_nonnull (strstr (captured_log->str, "again"));

  if (strstr (captured_log->str, MH_TEST_KEY) != NULL)
    g_error ("The API key appears in the log:\n%s", captured_log->str);
  if (strstr (captured_log->str, "Bearer") != NULL)
    g_error ("An Authorization header appears in the log:\n%s", captured_log->str);
  if (strstr (messages->str, MH_TEST_KEY) != NULL)
    g_error ("The API key appears in a message:\n%s", messages->str);
}

int
main (int   argc,
      char *argv[])
{
  /* Before anything can log. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, MhTestFixture, NULL, mh_test_fixture_setup, func, mh_test_fixture_teardown)
  ADD ("/client/transport/headshot", test_headshot_transport);
  ADD ("/client/transport/talking-photo-one-upload-call", test_talking_photo_one_upload_call);
  ADD ("/client/transport/lip-sync-one-upload-call", test_lip_sync_one_upload_call);
  ADD ("/client/transport/extension-lower-case", test_extension_lower_case);
  ADD ("/client/transport/url-not-uploaded", test_url_not_uploaded);
  ADD ("/client/transport/api-assets-not-uploaded", test_api_assets_not_uploaded);
  ADD ("/client/key/none", test_no_key);
  ADD ("/client/key/blank", test_blank_key);
  ADD ("/client/key/trimmed", test_key_trimmed);
  ADD ("/client/key/wrong", test_wrong_key);
  g_test_add_func ("/client/key/environment", test_env_key);
  ADD ("/client/base-url/insecure", test_insecure_base_url);
  g_test_add_func ("/client/base-url/loopback-and-https", test_loopback_base_urls);
  g_test_add_func ("/client/base-url/default-and-environment", test_default_and_env_base_url);
  ADD ("/client/base-url/trailing-slash", test_trailing_slash);
  ADD ("/client/account", test_account);
  ADD ("/client/call-retries", test_call_retries);
  g_test_add_func ("/client/connection-refused", test_connection_refused);
  g_test_add_func ("/client/network-not-allowed", test_network_not_allowed);
  ADD ("/client/key-never-logged", test_key_never_logged);
#undef ADD

  return g_test_run ();
}
