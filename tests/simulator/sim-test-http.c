/* sim-test-http.c: talking to the simulator in its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sim-test-http.h"

void
reply_free (Reply *reply)
{
  g_clear_object (&reply->msg);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_error (&reply->error);
  g_clear_pointer (&reply->json, json_node_unref);
  g_free (reply);
}


Fixture *
fixture_new (void)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;

  f->sim = mh_simulator_new ();
  g_assert_true (mh_simulator_start (f->sim, 0, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (mh_simulator_get_base_url (f->sim), "http://127.0.0.1:"));
  f->session = soup_session_new ();

  return f;
}

void
fixture_free (Fixture *f)
{
  g_object_unref (f->session);
  mh_simulator_stop (f->sim);
  g_object_unref (f->sim);
  /* Let closed connections finish on the loop. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (f->tmp != NULL)
    mh_test_rm_rf (f->tmp);
  g_free (f->tmp);
  g_free (f);
}


static gboolean
set_true (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms milliseconds (no blocking sleep). */
void
spin_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_true, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* A GAsyncReadyCallback that keeps the result in *(GAsyncResult **) @user_data. */
void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

Reply *
send_message (Fixture     *f,
              SoupMessage *msg)
{
  Reply *reply = g_new0 (Reply, 1);
  g_autoptr(GAsyncResult) result = NULL;
  gint64 start = g_get_monotonic_time ();

  reply->msg = msg;
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    got_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  reply->body = soup_session_send_and_read_finish (f->session, result, &reply->error);
  reply->status = soup_message_get_status (msg);
  reply->elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  if (reply->body != NULL && g_bytes_get_size (reply->body) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize len;
      const char *data = g_bytes_get_data (reply->body, &len);

      if (json_parser_load_from_data (parser, data, len, NULL))
        reply->json = json_node_copy (json_parser_get_root (parser));
    }

  return reply;
}

SoupMessage *
new_message (Fixture    *f,
             const char *method,
             const char *path_or_url,
             const char *key,
             const char *json)
{
  g_autofree char *url = NULL;
  SoupMessage *msg;

  if (g_str_has_prefix (path_or_url, "http"))
    url = g_strdup (path_or_url);
  else
    url = g_strconcat (mh_simulator_get_base_url (f->sim), path_or_url, NULL);

  msg = soup_message_new (method, url);
  g_assert_nonnull (msg);
  if (key != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", key, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "Authorization", value);
    }
  if (json != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  return msg;
}

Reply *
api (Fixture    *f,
     const char *method,
     const char *path,
     const char *json)
{
  return send_message (f, new_message (f, method, path, KEY, json));
}

Reply *
plain (Fixture    *f,
       const char *method,
       const char *url)
{
  return send_message (f, new_message (f, method, url, NULL, NULL));
}

Reply *
put_bytes (Fixture    *f,
           const char *url,
           const char *data)
{
  SoupMessage *msg = new_message (f, "PUT", url, NULL, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (data, strlen (data));

  soup_message_set_request_body_from_bytes (msg, "application/octet-stream", bytes);
  return send_message (f, msg);
}

JsonObject *
reply_object (Reply *reply)
{
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));
  return json_node_get_object (reply->json);
}

void
assert_error_reply (Reply *reply,
                    guint  status)
{
  JsonObject *object;

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, status);
  g_assert_cmpstr (soup_message_headers_get_content_type (
                     soup_message_get_response_headers (reply->msg), NULL),
                   ==, "application/json");
  object = reply_object (reply);
  g_assert_true (json_object_has_member (object, "message"));
  g_assert_nonnull (json_object_get_string_member (object, "message"));
}

char *
checksum_of (const guint8 *data,
             gsize         len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
}

/* Asks for one upload URL and PUTs @len bytes to it; returns the file_path. */
char *
upload (Fixture    *f,
        const char *type,
        const char *extension,
        gsize       len)
{
  g_autofree char *json = g_strdup_printf ("{\"items\":[{\"type\":\"%s\",\"extension\":\"%s\"}]}",
                                           type, extension);
  g_autoptr(Reply) urls = api (f, "POST", "/v1/files/upload-urls", json);
  JsonObject *item;
  g_autoptr(Reply) put = NULL;
  g_autofree guint8 *data = g_malloc (len + 1);
  g_autoptr(GBytes) bytes = NULL;
  SoupMessage *msg;

  g_assert_cmpuint (urls->status, ==, 200);
  item = json_array_get_object_element (
    json_object_get_array_member (reply_object (urls), "items"), 0);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) (i * 7);
  bytes = g_bytes_new (data, len);
  msg = new_message (f, "PUT", json_object_get_string_member (item, "upload_url"), NULL, NULL);
  soup_message_set_request_body_from_bytes (msg, "application/octet-stream", bytes);
  put = send_message (f, msg);
  g_assert_no_error (put->error);
  g_assert_cmpuint (put->status, ==, 200);

  return g_strdup (json_object_get_string_member (item, "file_path"));
}

char *
create_talking_photo (Fixture *f)
{
  g_autofree char *image = upload (f, "image", "png", 100);
  g_autofree char *audio = upload (f, "audio", "mp3", 100);
  g_autofree char *json = g_strdup_printf (
    "{\"assets\":{\"image_file_path\":\"%s\",\"audio_file_path\":\"%s\"},"
    "\"start_seconds\":0,\"end_seconds\":2}", image, audio);
  g_autoptr(Reply) reply = api (f, "POST", "/v1/ai-talking-photo", json);

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 200);

  return g_strdup (json_object_get_string_member (reply_object (reply), "id"));
}

char *
create_headshot (Fixture *f)
{
  g_autoptr(Reply) reply = api (f, "POST", "/v1/ai-headshot-generator",
                                "{\"assets\":{\"image_file_path\":"
                                "\"https://example.com/face.jpg\"}}");

  g_assert_cmpuint (reply->status, ==, 200);

  return g_strdup (json_object_get_string_member (reply_object (reply), "id"));
}

Reply *
get_project (Fixture    *f,
             const char *kind,
             const char *id)
{
  g_autofree char *path = g_strdup_printf ("/v1/%s-projects/%s", kind, id);

  return api (f, "GET", path, NULL);
}

const char *
first_download_url (Reply *project)
{
  JsonArray *downloads = json_object_get_array_member (reply_object (project), "downloads");

  g_assert_cmpuint (json_array_get_length (downloads), ==, 1);
  return json_object_get_string_member (json_array_get_object_element (downloads, 0), "url");
}

MhSimRequest *
last_request (Fixture *f)
{
  GPtrArray *requests = mh_simulator_get_requests (f->sim);

  g_assert_cmpuint (requests->len, >, 0);
  return g_ptr_array_index (requests, requests->len - 1);
}
