/* test-simulator.c: the API simulator speaks the contract
 *
 * Drives the simulator with a plain SoupSession on the same main context.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

#include "sim-test-http.h"

/* Resets the peak RSS (VmHWM) so that it measures what follows (Linux >= 4.0). */
static gboolean
reset_peak_rss (void)
{
  FILE *file = fopen ("/proc/self/clear_refs", "w");
  gboolean ok;

  if (file == NULL)
    return FALSE;
  ok = fputs ("5", file) >= 0;
  ok = fclose (file) == 0 && ok;

  return ok;
}

static gint64
read_status_kib (const char *field)
{
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &contents, NULL, NULL))
    return -1;
  line = strstr (contents, field);
  if (line == NULL)
    return -1;

  return g_ascii_strtoll (line + strlen (field) + 1, NULL, 10);
}

/* ------------------------------------------------------------------------ */
/* A big body produced on the fly: memory does not hold it                  */

#define MH_TYPE_PATTERN_STREAM (mh_pattern_stream_get_type ())
G_DECLARE_FINAL_TYPE (MhPatternStream, mh_pattern_stream, MH, PATTERN_STREAM, GInputStream)

struct _MhPatternStream
{
  GInputStream parent_instance;
  guint64      size;
  guint64      offset;
};

G_DEFINE_TYPE (MhPatternStream, mh_pattern_stream, G_TYPE_INPUT_STREAM)

static void
pattern_fill (guint64  offset,
              guint8  *buffer,
              gsize    len)
{
  for (gsize i = 0; i < len; i++)
    {
      guint64 o = offset + i;

      buffer[i] = (guint8) ((o * 2654435761u) >> 13);
    }
}

static gssize
mh_pattern_stream_read (GInputStream  *stream,
                        void          *buffer,
                        gsize          count,
                        GCancellable  *cancellable,
                        GError       **error)
{
  MhPatternStream *self = MH_PATTERN_STREAM (stream);
  gsize n = MIN (count, self->size - self->offset);

  pattern_fill (self->offset, buffer, n);
  self->offset += n;

  return n;
}

static void
mh_pattern_stream_class_init (MhPatternStreamClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = mh_pattern_stream_read;
}

static void
mh_pattern_stream_init (MhPatternStream *self)
{
}

static GInputStream *
pattern_stream_new (guint64 size)
{
  MhPatternStream *stream = g_object_new (MH_TYPE_PATTERN_STREAM, NULL);

  stream->size = size;
  return G_INPUT_STREAM (stream);
}

static char *
pattern_sha256 (guint64 size)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (1 << 20);

  for (guint64 offset = 0; offset < size; offset += 1 << 20)
    {
      gsize n = MIN ((guint64) 1 << 20, size - offset);

      pattern_fill (offset, buffer, n);
      g_checksum_update (checksum, buffer, n);
    }

  return g_strdup (g_checksum_get_string (checksum));
}

/* ------------------------------------------------------------------------ */
/* Auth, routing, account                                                   */

static void
test_auth (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(Reply) missing = send_message (f, new_message (f, "GET", "/v1/account", NULL, NULL));
  g_autoptr(Reply) empty = send_message (f, new_message (f, "GET", "/v1/account", "", NULL));
  g_autoptr(Reply) spaces = send_message (f, new_message (f, "GET", "/v1/account", "  ", NULL));
  g_autoptr(Reply) any = api (f, "GET", "/v1/account", NULL);
  g_autoptr(Reply) wrong = NULL;
  g_autoptr(Reply) right = NULL;
  MhSimRequest *req;

  assert_error_reply (missing, 401);
  g_assert_cmpstr (json_object_get_string_member (reply_object (missing), "message"), ==,
                   "Unauthorized");
  assert_error_reply (empty, 401);
  assert_error_reply (spaces, 401);
  g_assert_cmpuint (any->status, ==, 200);

  mh_simulator_set_required_key (f->sim, "mhk_live_right");
  wrong = api (f, "GET", "/v1/account", NULL);
  assert_error_reply (wrong, 401);
  right = send_message (f, new_message (f, "GET", "/v1/account", "mhk_live_right", NULL));
  g_assert_cmpuint (right->status, ==, 200);

  req = last_request (f);
  g_assert_cmpstr (req->authorization, ==, "Bearer mhk_live_right");
  g_assert_cmpstr (req->endpoint, ==, MH_SIM_ENDPOINT_ACCOUNT);
  g_assert_cmpuint (req->status, ==, 200);
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_ACCOUNT), ==, 6);
}

static void
test_routing (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(Reply) unknown = api (f, "GET", "/v1/nothing-here", NULL);
  g_autoptr(Reply) outside = plain (f, "GET", "/elsewhere");
  g_autoptr(Reply) method = api (f, "GET", "/v1/files/upload-urls", NULL);
  g_autoptr(Reply) method2 = api (f, "POST", "/v1/account", "{}");
  g_autoptr(Reply) account = api (f, "GET", "/v1/account", NULL);
  JsonObject *object;

  assert_error_reply (unknown, 404);
  g_assert_cmpstr (json_object_get_string_member (reply_object (unknown), "message"), ==,
                   "Not Found");
  assert_error_reply (outside, 404);
  assert_error_reply (method, 405);
  assert_error_reply (method2, 405);
  g_assert_null (((MhSimRequest *) g_ptr_array_index (mh_simulator_get_requests (f->sim),
                                                      0))->endpoint);

  g_assert_cmpuint (account->status, ==, 200);
  object = reply_object (account);
  g_assert_cmpstr (json_object_get_string_member (object, "email"), ==, "demo@example.com");
  g_assert_cmpstr (json_object_get_string_member (object, "tier"), ==, "creator");
  g_assert_cmpint (json_object_get_int_member (object, "credits"), ==, 1000000);
  g_assert_nonnull (json_object_get_string_member (object, "id"));
}

/* ------------------------------------------------------------------------ */
/* Uploads                                                                  */

static void
test_upload_urls (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(Reply) ok = api (f, "POST", "/v1/files/upload-urls",
                             "{\"items\":[{\"type\":\"video\",\"extension\":\"mp4\"},"
                             "{\"type\":\"audio\",\"extension\":\"wav\"},"
                             "{\"type\":\"image\",\"extension\":\"jpg\"}]}");
  g_autoptr(Reply) bad_ext = api (f, "POST", "/v1/files/upload-urls",
                                  "{\"items\":[{\"type\":\"video\",\"extension\":\"mp3\"}]}");
  g_autoptr(Reply) empty = api (f, "POST", "/v1/files/upload-urls", "{\"items\":[]}");
  g_autoptr(Reply) missing = api (f, "POST", "/v1/files/upload-urls", "{}");
  g_autoptr(Reply) not_json = api (f, "POST", "/v1/files/upload-urls", "{\"items\":");
  g_autoptr(Reply) dot = api (f, "POST", "/v1/files/upload-urls",
                              "{\"items\":[{\"type\":\"video\",\"extension\":\".mp4\"}]}");
  g_autoptr(Reply) bad_type = api (f, "POST", "/v1/files/upload-urls",
                                   "{\"items\":[{\"type\":\"text\",\"extension\":\"txt\"}]}");
  JsonArray *items;
  const char *exts[] = { "mp4", "wav", "jpg" };
  const char *message;
  MhSimRequest *req;

  g_assert_cmpuint (ok->status, ==, 200);
  items = json_object_get_array_member (reply_object (ok), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *path = json_object_get_string_member (item, "file_path");
      const char *url = json_object_get_string_member (item, "upload_url");
      g_autoptr(GDateTime) expires = g_date_time_new_from_iso8601 (
        json_object_get_string_member (item, "expires_at"), NULL);

      g_assert_true (g_str_has_prefix (path, "api-assets/"));
      g_assert_true (g_str_has_suffix (path, exts[i]));
      g_assert_true (g_str_has_prefix (url, mh_simulator_get_base_url (f->sim)));
      g_assert_nonnull (strstr (url, "/storage/upload/"));
      g_assert_nonnull (strstr (url, "expires="));
      g_assert_nonnull (strstr (url, "signature="));
      g_assert_nonnull (expires);
    }

  assert_error_reply (bad_ext, 422);
  message = json_object_get_string_member (reply_object (bad_ext), "message");
  g_assert_nonnull (strstr (message, "mp4"));
  g_assert_nonnull (strstr (message, "webm"));
  assert_error_reply (empty, 400);
  assert_error_reply (missing, 400);
  assert_error_reply (not_json, 400);
  assert_error_reply (dot, 400);
  assert_error_reply (bad_type, 400);

  req = g_ptr_array_index (mh_simulator_get_requests (f->sim), 0);
  g_assert_cmpstr (req->method, ==, "POST");
  g_assert_cmpstr (req->path, ==, "/v1/files/upload-urls");
  g_assert_cmpstr (req->endpoint, ==, MH_SIM_ENDPOINT_UPLOAD_URLS);
  g_assert_cmpstr (req->content_type, ==, "application/json");
  g_assert_cmpint (req->content_length, >, 0);
  g_assert_false (req->chunked);
  g_assert_nonnull (req->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (req->json));
  g_assert_null (req->body_sha256);
  g_assert_cmpuint (req->status, ==, 200);
  /* The body that is not JSON */
  g_assert_null (((MhSimRequest *) g_ptr_array_index (mh_simulator_get_requests (f->sim),
                                                      4))->json);
}

static void
test_upload_put (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(Reply) urls = api (f, "POST", "/v1/files/upload-urls",
                               "{\"items\":[{\"type\":\"audio\",\"extension\":\"mp3\"}]}");
  JsonObject *item = json_array_get_object_element (
    json_object_get_array_member (reply_object (urls), "items"), 0);
  const char *url = json_object_get_string_member (item, "upload_url");
  const char *file_path = json_object_get_string_member (item, "file_path");
  static const char data[] = "ID3 pretend this is speech";
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, strlen (data));
  g_autofree char *expected = checksum_of ((const guint8 *) data, strlen (data));
  g_autoptr(Reply) put = NULL;
  g_autoptr(Reply) again = NULL;
  g_autoptr(Reply) chunked = NULL;
  g_autoptr(Reply) forged = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *forged_url = NULL;
  g_autoptr(GInputStream) stream = NULL;
  guint64 size = 0;
  SoupMessage *msg;
  MhSimRequest *req;

  g_assert_false (mh_simulator_lookup_upload (f->sim, file_path, NULL, NULL));

  /* Content-Length is required: a chunked body is refused. */
  msg = new_message (f, "PUT", url, NULL, NULL);
  stream = g_memory_input_stream_new_from_bytes (bytes);
  soup_message_set_request_body (msg, "application/octet-stream", stream, -1);
  chunked = send_message (f, msg);
  g_assert_cmpuint (chunked->status, ==, 411);
  g_assert_true (last_request (f)->chunked);
  g_assert_false (mh_simulator_lookup_upload (f->sim, file_path, NULL, NULL));

  msg = new_message (f, "PUT", url, NULL, NULL);
  soup_message_set_request_body_from_bytes (msg, "application/octet-stream", bytes);
  put = send_message (f, msg);
  g_assert_no_error (put->error);
  g_assert_cmpuint (put->status, ==, 200);

  req = last_request (f);
  g_assert_cmpstr (req->method, ==, "PUT");
  g_assert_cmpstr (req->endpoint, ==, MH_SIM_ENDPOINT_UPLOAD);
  g_assert_null (req->authorization);
  g_assert_cmpstr (req->content_type, ==, "application/octet-stream");
  g_assert_cmpint (req->content_length, ==, strlen (data));
  g_assert_false (req->chunked);
  g_assert_cmpuint (req->body_bytes, ==, strlen (data));
  g_assert_cmpstr (req->body_sha256, ==, expected);
  g_assert_nonnull (req->query);
  g_assert_null (req->json);
  g_assert_cmpuint (req->status, ==, 200);

  g_assert_true (mh_simulator_lookup_upload (f->sim, file_path, &size, &sha));
  g_assert_cmpuint (size, ==, strlen (data));
  g_assert_cmpstr (sha, ==, expected);
  g_clear_pointer (&sha, g_free);

  /* A retry to the same URL replaces the record. */
  again = put_bytes (f, url, "xy");
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_true (mh_simulator_lookup_upload (f->sim, file_path, &size, NULL));
  g_assert_cmpuint (size, ==, 2);

  /* A URL that was not handed out */
  forged_url = g_strconcat (mh_simulator_get_base_url (f->sim),
                            "/storage/upload/0123?expires=9999999999&signature=00", NULL);
  msg = new_message (f, "PUT", forged_url, NULL, NULL);
  soup_message_set_request_body_from_bytes (msg, "application/octet-stream", bytes);
  forged = send_message (f, msg);
  g_assert_cmpuint (forged->status, ==, 403);
}

static void
test_upload_streaming_memory (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(Reply) urls = api (f, "POST", "/v1/files/upload-urls",
                               "{\"items\":[{\"type\":\"video\",\"extension\":\"mp4\"}]}");
  JsonObject *item = json_array_get_object_element (
    json_object_get_array_member (reply_object (urls), "items"), 0);
  const guint64 size = 64 * 1024 * 1024;
  g_autoptr(GInputStream) stream = pattern_stream_new (size);
  g_autofree char *expected = pattern_sha256 (size);
  g_autofree char *sha = NULL;
  g_autoptr(Reply) put = NULL;
  SoupMessage *msg;
  gint64 rss_before, rss_after, hwm_before, hwm_after;
  guint64 stored = 0;
  gboolean hwm_reset;

  hwm_reset = reset_peak_rss ();
  rss_before = read_status_kib ("VmRSS:");
  hwm_before = read_status_kib ("VmHWM:");

  msg = new_message (f, "PUT", json_object_get_string_member (item, "upload_url"), NULL, NULL);
  soup_message_set_request_body (msg, "application/octet-stream", stream, size);
  put = send_message (f, msg);
  g_assert_no_error (put->error);
  g_assert_cmpuint (put->status, ==, 200);

  rss_after = read_status_kib ("VmRSS:");
  hwm_after = read_status_kib ("VmHWM:");
  g_test_message ("64 MiB PUT: RSS %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT
                  " KiB, peak %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT " KiB (reset: %d)",
                  rss_before, rss_after, hwm_before, hwm_after, hwm_reset);
  if (mh_test_rss_is_meaningful ())
    {
      g_assert_cmpint (rss_after - rss_before, <, 16 * 1024);
      if (hwm_reset)
        g_assert_cmpint (hwm_after - rss_before, <, 16 * 1024);
    }

  g_assert_true (mh_simulator_lookup_upload (f->sim,
                                             json_object_get_string_member (item, "file_path"),
                                             &stored, &sha));
  g_assert_cmpuint (stored, ==, size);
  g_assert_cmpstr (sha, ==, expected);
  g_assert_cmpuint (last_request (f)->body_bytes, ==, size);
}

/* ------------------------------------------------------------------------ */
/* Creates                                                                  */

typedef struct
{
  const char *path;
  const char *body;   /* %1$s: an uploaded image, %2$s: audio, %3$s: video */
  guint       status;
} CreateCase;

static void
test_create_validation (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autofree char *image = upload (f, "image", "png", 10);
  g_autofree char *audio = upload (f, "audio", "wav", 10);
  g_autofree char *video = upload (f, "video", "mp4", 10);
  static const CreateCase cases[] = {
    /* talking photo */
    { "/v1/ai-talking-photo", NULL, 400 },
    { "/v1/ai-talking-photo", "[]", 400 },
    { "/v1/ai-talking-photo", "{\"start_seconds\":0,\"end_seconds\":3}", 400 },
    { "/v1/ai-talking-photo", "{\"assets\":{\"image_file_path\":\"%1$s\"},"
      "\"start_seconds\":0,\"end_seconds\":3}", 400 },
    { "/v1/ai-talking-photo", "{\"assets\":{\"image_file_path\":\"%1$s\","
      "\"audio_file_path\":\"%2$s\"},\"start_seconds\":-1,\"end_seconds\":3}", 400 },
    { "/v1/ai-talking-photo", "{\"assets\":{\"image_file_path\":\"%1$s\","
      "\"audio_file_path\":\"%2$s\"},\"start_seconds\":0,\"end_seconds\":0.05}", 400 },
    { "/v1/ai-talking-photo", "{\"assets\":{\"image_file_path\":\"%1$s\","
      "\"audio_file_path\":\"%2$s\"},\"start_seconds\":5,\"end_seconds\":5}", 400 },
    { "/v1/ai-talking-photo", "{\"assets\":{\"image_file_path\":\"%1$s\","
      "\"audio_file_path\":\"%2$s\"},\"start_seconds\":\"0\",\"end_seconds\":3}", 400 },
    { "/v1/ai-talking-photo", "{\"assets\":{\"image_file_path\":\"%1$s\","
      "\"audio_file_path\":\"%2$s\"},\"start_seconds\":0,\"end_seconds\":3,"
      "\"style\":{\"generation_mode\":\"wild\"}}", 400 },
    { "/v1/ai-talking-photo", "{\"assets\":{\"image_file_path\":\"%1$s\","
      "\"audio_file_path\":\"%2$s\"},\"start_seconds\":0,\"end_seconds\":3,"
      "\"name\":null}", 400 },
    { "/v1/ai-talking-photo", "{\"assets\":{\"image_file_path\":\"%1$s\","
      "\"audio_file_path\":\"%2$s\"},\"start_seconds\":0,\"end_seconds\":3,"
      "\"max_resolution\":1.5}", 400 },
    { "/v1/ai-talking-photo", "{\"assets\":{\"image_file_path\":\"api-assets/nope/x.png\","
      "\"audio_file_path\":\"%2$s\"},\"start_seconds\":0,\"end_seconds\":3}", 422 },
    { "/v1/ai-talking-photo", "{\"assets\":{\"image_file_path\":\"%2$s\","
      "\"audio_file_path\":\"%2$s\"},\"start_seconds\":0,\"end_seconds\":3}", 422 },
    { "/v1/ai-talking-photo", "{\"assets\":{\"image_file_path\":\"%1$s\","
      "\"audio_file_path\":\"%2$s\"},\"start_seconds\":0,\"end_seconds\":61,"
      "\"style\":{\"generation_mode\":\"prompted\"}}", 422 },
    { "/v1/ai-talking-photo", "{\"assets\":{\"image_file_path\":\"%1$s\","
      "\"audio_file_path\":\"%2$s\"},\"start_seconds\":0,\"end_seconds\":301}", 422 },
    { "/v1/ai-talking-photo", "{\"assets\":{\"image_file_path\":\"%1$s\","
      "\"audio_file_path\":\"%2$s\"},\"start_seconds\":0,\"end_seconds\":299,"
      "\"style\":{\"generation_mode\":\"stable\"}}", 200 },
    { "/v1/ai-talking-photo", "{\"assets\":{\"image_file_path\":\"https://example.com/a.png\","
      "\"audio_file_path\":\"%2$s\"},\"start_seconds\":0,\"end_seconds\":59,"
      "\"style\":{\"generation_mode\":\"expressive\",\"intensity\":1.5}}", 200 },
    /* lip sync */
    { "/v1/lip-sync", "{\"assets\":{\"audio_file_path\":\"%2$s\"},"
      "\"start_seconds\":0,\"end_seconds\":3}", 400 },
    { "/v1/lip-sync", "{\"assets\":{\"audio_file_path\":\"%2$s\",\"video_source\":\"file\"},"
      "\"start_seconds\":0,\"end_seconds\":3}", 400 },
    { "/v1/lip-sync", "{\"assets\":{\"audio_file_path\":\"%2$s\",\"video_source\":\"youtube\"},"
      "\"start_seconds\":0,\"end_seconds\":3}", 400 },
    { "/v1/lip-sync", "{\"assets\":{\"audio_file_path\":\"%2$s\",\"video_source\":\"tape\","
      "\"video_file_path\":\"%3$s\"},\"start_seconds\":0,\"end_seconds\":3}", 400 },
    { "/v1/lip-sync", "{\"assets\":{\"audio_file_path\":\"%2$s\",\"video_source\":\"file\","
      "\"video_file_path\":\"%3$s\"},\"start_seconds\":0,\"end_seconds\":3,"
      "\"max_fps_limit\":0.5}", 400 },
    { "/v1/lip-sync", "{\"assets\":{\"audio_file_path\":\"%2$s\",\"video_source\":\"file\","
      "\"video_file_path\":\"%3$s\"},\"start_seconds\":0,\"end_seconds\":3,"
      "\"style\":{\"generation_mode\":\"ultra\"}}", 400 },
    { "/v1/lip-sync", "{\"assets\":{\"audio_file_path\":\"%2$s\",\"video_source\":\"file\","
      "\"video_file_path\":\"%3$s\"},\"start_seconds\":0,\"end_seconds\":3,"
      "\"max_fps_limit\":null}", 400 },
    { "/v1/lip-sync", "{\"assets\":{\"audio_file_path\":\"%2$s\",\"video_source\":\"file\","
      "\"video_file_path\":\"api-assets/x/never.mp4\"},\"start_seconds\":0,"
      "\"end_seconds\":3}", 422 },
    { "/v1/lip-sync", "{\"assets\":{\"audio_file_path\":\"%2$s\",\"video_source\":\"youtube\","
      "\"youtube_url\":\"https://www.youtube.com/watch?v=x\"},\"start_seconds\":0,"
      "\"end_seconds\":3,\"width\":640}", 200 },
    /* headshot */
    { "/v1/ai-headshot-generator", "{}", 400 },
    { "/v1/ai-headshot-generator", "{\"assets\":{\"image_file_path\":\"\"}}", 400 },
    { "/v1/ai-headshot-generator", "{\"assets\":{\"image_file_path\":\"%1$s\"},"
      "\"style\":{\"prompt\":null}}", 400 },
    { "/v1/ai-headshot-generator", "{\"assets\":{\"image_file_path\":\"/home/me/face.png\"}}",
      422 },
    { "/v1/ai-headshot-generator", "{\"assets\":{\"image_file_path\":\"%1$s\"},"
      "\"style\":{\"prompt\":\"studio\"},\"unknown_field\":1}", 200 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = NULL;
      g_autoptr(Reply) reply = NULL;

      if (cases[i].body != NULL)
        {
          GString *s = g_string_new (cases[i].body);

          g_string_replace (s, "%1$s", image, 0);
          g_string_replace (s, "%2$s", audio, 0);
          g_string_replace (s, "%3$s", video, 0);
          body = g_string_free (s, FALSE);
        }

      reply = api (f, "POST", cases[i].path, body);
      if (reply->status != cases[i].status)
        g_error ("case %u (%s %s): expected %u, got %u: %.*s", i, cases[i].path,
                 body != NULL ? body : "(no body)", cases[i].status, reply->status,
                 (int) g_bytes_get_size (reply->body),
                 (const char *) g_bytes_get_data (reply->body, NULL));
      if (cases[i].status != 200)
        assert_error_reply (reply, cases[i].status);
    }

  g_assert_cmpuint (mh_simulator_count_projects (f->sim), ==, 4);
}

static void
test_create_credits (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autofree char *audio = upload (f, "audio", "wav", 10);
  g_autofree char *video = upload (f, "video", "mov", 10);
  g_autofree char *lip = g_strdup_printf (
    "{\"assets\":{\"audio_file_path\":\"%s\",\"video_source\":\"file\","
    "\"video_file_path\":\"%s\"},\"start_seconds\":1,\"end_seconds\":3.5,"
    "\"max_fps_limit\":12,\"style\":{\"generation_mode\":\"pro\"}}", audio, video);
  g_autofree char *talking = g_strdup_printf (
    "{\"assets\":{\"image_file_path\":\"https://example.com/p.png\",\"audio_file_path\":\"%s\"},"
    "\"start_seconds\":0,\"end_seconds\":0.1}", audio);
  g_autoptr(Reply) r1 = api (f, "POST", "/v1/lip-sync", lip);
  g_autoptr(Reply) r2 = api (f, "POST", "/v1/ai-talking-photo", talking);
  g_autoptr(Reply) r3 = NULL;
  g_autoptr(Reply) r4 = NULL;
  g_autoptr(Reply) r5 = NULL;
  g_autoptr(Reply) project = NULL;
  gint64 credits;
  JsonObject *object;

  /* ceil (2.5 s * 12 fps) * 2 credits */
  g_assert_cmpuint (r1->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (reply_object (r1), "credits_charged"), ==, 60);
  g_assert_cmpint (json_object_get_int_member (reply_object (r1), "estimated_frame_cost"), ==, 60);
  /* 0.1 s realistic at 48 credits a second is 5 credits, not 6 */
  g_assert_cmpint (json_object_get_int_member (reply_object (r2), "credits_charged"), ==, 5);

  project = get_project (f, "video", json_object_get_string_member (reply_object (r1), "id"));
  object = reply_object (project);
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "LIP_SYNC");
  g_assert_cmpfloat (json_object_get_double_member (object, "fps"), ==, 12);
  g_assert_cmpfloat (json_object_get_double_member (object, "start_seconds"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (object, "end_seconds"), ==, 3.5);
  g_assert_cmpint (json_object_get_int_member (object, "credits_charged"), ==, 60);
  g_assert_true (json_object_get_null_member (object, "name"));

  g_object_get (f->sim, "credits", &credits, NULL);
  g_assert_cmpint (credits, ==, 1000000 - 65);

  /* Not enough credits: 402, and no project */
  g_object_set (f->sim, "credits", (gint64) 49, NULL);
  r3 = api (f, "POST", "/v1/ai-headshot-generator",
            "{\"assets\":{\"image_file_path\":\"https://example.com/f.jpg\"}}");
  assert_error_reply (r3, 402);
  g_assert_cmpstr (json_object_get_string_member (reply_object (r3), "code"), ==,
                   "insufficient_credits");
  g_assert_cmpuint (mh_simulator_count_projects (f->sim), ==, 2);

  g_object_set (f->sim, "credits", (gint64) 50, NULL);
  r4 = api (f, "POST", "/v1/ai-headshot-generator",
            "{\"assets\":{\"image_file_path\":\"https://example.com/f.jpg\"}}");
  g_assert_cmpuint (r4->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (reply_object (r4), "credits_charged"), ==, 50);
  g_assert_cmpint (json_object_get_int_member (reply_object (r4), "frame_cost"), ==, 50);
  g_object_get (f->sim, "credits", &credits, NULL);
  g_assert_cmpint (credits, ==, 0);

  /* Lip sync pro is refused on the free plan (December 2026) */
  g_object_set (f->sim, "credits", (gint64) 1000, "tier", "free", NULL);
  r5 = api (f, "POST", "/v1/lip-sync", lip);
  assert_error_reply (r5, 402);
  g_assert_cmpstr (json_object_get_string_member (reply_object (r5), "code"), ==,
                   "plan_upgrade_required");
}

/* ------------------------------------------------------------------------ */
/* Projects                                                                 */

static void
test_project_progression (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  const char *order[] = { "queued", "rendering", "complete" };
  guint rank = 0;
  gint64 deadline;

  mh_simulator_set_render_seconds (f->sim, 0.3);
  id = create_talking_photo (f);

  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(Reply) reply = get_project (f, "video", id);
      const char *status = json_object_get_string_member (reply_object (reply), "status");

      if (seen->len == 0 || !g_str_equal (g_ptr_array_index (seen, seen->len - 1), status))
        g_ptr_array_add (seen, g_strdup (status));
      if (g_str_equal (status, "complete"))
        break;
      spin_ms (20);
    }

  /* Statuses only move forward, rendering is seen (it lasts 240 ms), and it completes. */
  for (guint i = 0; i < seen->len; i++)
    {
      guint r = 0;

      while (r < G_N_ELEMENTS (order) && !g_str_equal (order[r], g_ptr_array_index (seen, i)))
        r++;
      g_assert_cmpuint (r, <, G_N_ELEMENTS (order));
      g_assert_cmpuint (r, >=, rank);
      rank = r;
    }
  g_assert_true (g_ptr_array_find_with_equal_func (seen, "rendering", g_str_equal, NULL));
  g_assert_cmpstr (g_ptr_array_index (seen, seen->len - 1), ==, "complete");
}

static void
test_project_fields (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autofree char *video_id = NULL;
  g_autofree char *image_id = NULL;
  g_autoptr(Reply) queued = NULL;
  g_autoptr(Reply) complete = NULL;
  g_autoptr(Reply) complete2 = NULL;
  g_autoptr(Reply) image = NULL;
  g_autoptr(Reply) wrong_kind = NULL;
  g_autoptr(Reply) unknown = NULL;
  JsonObject *object;
  JsonObject *download;
  const char *video_fields[] = {
    "id", "name", "status", "type", "created_at", "width", "height", "enabled",
    "start_seconds", "end_seconds", "fps", "credits_charged", "total_frame_cost", "error",
    "downloads", "download",
  };
  const char *image_fields[] = {
    "id", "name", "status", "type", "image_count", "created_at", "enabled", "credits_charged",
    "total_frame_cost", "error", "downloads",
  };
  g_autoptr(GDateTime) created = NULL;

  mh_simulator_set_render_seconds (f->sim, 1000);
  video_id = create_talking_photo (f);
  image_id = create_headshot (f);

  queued = get_project (f, "video", video_id);
  object = reply_object (queued);
  for (guint i = 0; i < G_N_ELEMENTS (video_fields); i++)
    g_assert_true (json_object_has_member (object, video_fields[i]));
  g_assert_true (json_object_has_member (object, "x_sim"));
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, video_id);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "queued");
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "TALKING_PHOTO");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "name"),
                                   "Talking Photo - "));
  g_assert_cmpint (json_object_get_int_member (object, "width"), ==, -1);
  g_assert_true (json_object_get_boolean_member (object, "enabled"));
  /* 2 s realistic at 48 credits a second */
  g_assert_cmpint (json_object_get_int_member (object, "credits_charged"), ==, 96);
  g_assert_cmpint (json_object_get_int_member (object, "total_frame_cost"), ==, 96);
  g_assert_true (json_object_get_null_member (object, "error"));
  g_assert_true (json_object_get_null_member (object, "download"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "downloads")),
                    ==, 0);
  created = g_date_time_new_from_iso8601 (json_object_get_string_member (object, "created_at"),
                                          NULL);
  g_assert_nonnull (created);

  mh_simulator_finish_project_now (f->sim, video_id);
  complete = get_project (f, "video", video_id);
  object = reply_object (complete);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "complete");
  g_assert_cmpint (json_object_get_int_member (object, "width"), >, 0);
  download = json_object_get_object_member (object, "download");
  g_assert_nonnull (download);
  g_assert_cmpstr (json_object_get_string_member (download, "url"), ==,
                   first_download_url (complete));
  g_assert_nonnull (json_object_get_string_member (download, "expires_at"));
  g_assert_true (g_str_has_prefix (first_download_url (complete),
                                   mh_simulator_get_base_url (f->sim)));

  /* Each GET hands out a fresh URL */
  complete2 = get_project (f, "video", video_id);
  g_assert_cmpstr (first_download_url (complete), !=, first_download_url (complete2));

  mh_simulator_finish_project_now (f->sim, image_id);
  image = get_project (f, "image", image_id);
  object = reply_object (image);
  for (guint i = 0; i < G_N_ELEMENTS (image_fields); i++)
    g_assert_true (json_object_has_member (object, image_fields[i]));
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "AI_HEADSHOT");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "complete");
  g_assert_cmpint (json_object_get_int_member (object, "image_count"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "credits_charged"), ==, 50);
  g_assert_nonnull (first_download_url (image));

  wrong_kind = get_project (f, "image", video_id);
  assert_error_reply (wrong_kind, 404);
  unknown = get_project (f, "video", "cnotaprojectatall000000000");
  assert_error_reply (unknown, 404);
  g_assert_cmpstr (last_request (f)->endpoint, ==, MH_SIM_ENDPOINT_PROJECT);
}

static gboolean
mp4_boxes_ok (const guint8 *data,
              gsize         len,
              const char   *last_type)
{
  gsize offset = 0;
  const guint8 *last = NULL;

  while (offset + 8 <= len)
    {
      guint64 size = ((guint64) data[offset] << 24) | (data[offset + 1] << 16) |
                     (data[offset + 2] << 8) | data[offset + 3];

      if (size == 1)
        return FALSE;  /* not expected at these sizes */
      if (size < 8 || offset + size > len)
        return FALSE;
      last = data + offset + 4;
      offset += size;
    }

  return offset == len && last != NULL && memcmp (last, last_type, 4) == 0;
}

static gboolean
png_chunks_ok (const guint8 *data,
               gsize         len,
               guint        *n_padding)
{
  gsize offset = 8;

  *n_padding = 0;
  if (len < 8 || memcmp (data, "\x89PNG\r\n\x1a\n", 8) != 0)
    return FALSE;

  while (offset + 12 <= len)
    {
      guint32 size = ((guint32) data[offset] << 24) | (data[offset + 1] << 16) |
                     (data[offset + 2] << 8) | data[offset + 3];
      const guint8 *type = data + offset + 4;

      if (offset + 12 + size > len)
        return FALSE;
      if (memcmp (type, "mhPd", 4) == 0)
        (*n_padding)++;
      offset += 12 + size;
      if (memcmp (type, "IEND", 4) == 0)
        return offset == len;
    }

  return FALSE;
}

static void
test_downloads (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autofree char *video_id = create_talking_photo (f);
  g_autofree char *image_id = create_headshot (f);
  g_autofree char *padded_id = NULL;
  g_autofree char *padded_png_id = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *got_sha = NULL;
  g_autoptr(Reply) project = NULL;
  g_autoptr(Reply) video = NULL;
  g_autoptr(Reply) image = NULL;
  g_autoptr(Reply) padded = NULL;
  g_autoptr(Reply) padded_png = NULL;
  g_autoptr(Reply) tampered = NULL;
  g_autofree char *tampered_url = NULL;
  char *last;
  const guint8 *data;
  gsize len;
  guint64 size;
  guint n_padding;
  MhSimRequest *req;

  mh_simulator_finish_project_now (f->sim, video_id);
  mh_simulator_finish_project_now (f->sim, image_id);

  project = get_project (f, "video", video_id);
  video = plain (f, "GET", first_download_url (project));
  g_assert_no_error (video->error);
  g_assert_cmpuint (video->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (
                     soup_message_get_response_headers (video->msg), NULL), ==, "video/mp4");
  data = g_bytes_get_data (video->body, &len);
  g_assert_cmpuint (len, >, 1000);
  g_assert_cmpuint (len, <, 150 * 1024);
  g_assert_cmpmem (data + 4, 4, "ftyp", 4);
  g_assert_cmpint (soup_message_headers_get_content_length (
                     soup_message_get_response_headers (video->msg)), ==, len);
  sha = mh_simulator_dup_output_sha256 (f->sim, video_id, &size);
  got_sha = checksum_of (data, len);
  g_assert_cmpstr (sha, ==, got_sha);
  g_assert_cmpuint (size, ==, len);

  req = last_request (f);
  g_assert_cmpstr (req->endpoint, ==, MH_SIM_ENDPOINT_DOWNLOAD);
  g_assert_null (req->authorization);
  g_assert_cmpuint (req->status, ==, 200);
  g_clear_pointer (&project, reply_free);

  project = get_project (f, "image", image_id);
  image = plain (f, "GET", first_download_url (project));
  g_assert_cmpuint (image->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (
                     soup_message_get_response_headers (image->msg), NULL), ==, "image/png");
  data = g_bytes_get_data (image->body, &len);
  g_assert_true (png_chunks_ok (data, len, &n_padding));
  g_assert_cmpuint (n_padding, ==, 0);

  /* A URL whose signature does not match */
  tampered_url = g_strdup (first_download_url (project));
  last = &tampered_url[strlen (tampered_url) - 1];
  *last = *last == '0' ? '1' : '0';
  tampered = plain (f, "GET", tampered_url);
  assert_error_reply (tampered, 403);
  g_clear_pointer (&project, reply_free);

  /* Padded outputs: exactly output-bytes, still valid */
  mh_simulator_set_output_bytes (f->sim, 300000);
  padded_id = create_talking_photo (f);
  padded_png_id = create_headshot (f);
  mh_simulator_finish_project_now (f->sim, padded_id);
  mh_simulator_finish_project_now (f->sim, padded_png_id);

  project = get_project (f, "video", padded_id);
  padded = plain (f, "GET", first_download_url (project));
  g_assert_cmpuint (padded->status, ==, 200);
  data = g_bytes_get_data (padded->body, &len);
  g_assert_cmpuint (len, ==, 300000);
  g_assert_cmpmem (data + 4, 4, "ftyp", 4);
  g_assert_true (mp4_boxes_ok (data, len, "free"));
  g_clear_pointer (&sha, g_free);
  g_clear_pointer (&got_sha, g_free);
  sha = mh_simulator_dup_output_sha256 (f->sim, padded_id, &size);
  got_sha = checksum_of (data, len);
  g_assert_cmpstr (sha, ==, got_sha);
  g_assert_cmpuint (size, ==, 300000);
  g_clear_pointer (&project, reply_free);

  project = get_project (f, "image", padded_png_id);
  padded_png = plain (f, "GET", first_download_url (project));
  data = g_bytes_get_data (padded_png->body, &len);
  g_assert_cmpuint (len, ==, 300000);
  g_assert_true (png_chunks_ok (data, len, &n_padding));
  g_assert_cmpuint (n_padding, >=, 1);
}

static void
test_download_streaming_memory (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autofree char *id = NULL;
  g_autoptr(Reply) project = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *expected = NULL;
  const guint64 size = 64 * 1024 * 1024;
  guint64 total = 0;
  gint64 rss_before, hwm_after;
  gboolean hwm_reset;
  SoupMessage *msg;

  mh_simulator_set_output_bytes (f->sim, size);
  id = create_talking_photo (f);
  mh_simulator_finish_project_now (f->sim, id);
  project = get_project (f, "video", id);

  hwm_reset = reset_peak_rss ();
  rss_before = read_status_kib ("VmRSS:");

  msg = new_message (f, "GET", first_download_url (project), NULL, NULL);
  soup_session_send_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, got_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  stream = soup_session_send_finish (f->session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpint (soup_message_headers_get_content_length (
                     soup_message_get_response_headers (msg)), ==, size);

  for (;;)
    {
      g_autoptr(GAsyncResult) read_result = NULL;
      g_autoptr(GBytes) bytes = NULL;

      g_input_stream_read_bytes_async (stream, 256 * 1024, G_PRIORITY_DEFAULT, NULL,
                                       got_result, &read_result);
      while (read_result == NULL)
        g_main_context_iteration (NULL, TRUE);
      bytes = g_input_stream_read_bytes_finish (stream, read_result, &error);
      g_assert_no_error (error);
      if (g_bytes_get_size (bytes) == 0)
        break;
      g_checksum_update (checksum, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      total += g_bytes_get_size (bytes);
    }
  g_object_unref (msg);

  hwm_after = read_status_kib (hwm_reset ? "VmHWM:" : "VmRSS:");
  g_test_message ("64 MiB download: RSS before %" G_GINT64_FORMAT " KiB, peak %" G_GINT64_FORMAT
                  " KiB", rss_before, hwm_after);
  if (mh_test_rss_is_meaningful ())
    g_assert_cmpint (hwm_after - rss_before, <, 16 * 1024);

  g_assert_cmpuint (total, ==, size);
  expected = mh_simulator_dup_output_sha256 (f->sim, id, NULL);
  g_assert_cmpstr (g_checksum_get_string (checksum), ==, expected);
}

static void
test_delete (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autofree char *id = create_talking_photo (f);
  g_autofree char *path = g_strdup_printf ("/v1/video-projects/%s", id);
  g_autofree char *url = NULL;
  g_autoptr(Reply) before = NULL;
  g_autoptr(Reply) del = NULL;
  g_autoptr(Reply) after = NULL;
  g_autoptr(Reply) download = NULL;
  g_autoptr(Reply) unknown = NULL;
  g_autoptr(Reply) wrong_kind = NULL;
  JsonObject *object;

  mh_simulator_finish_project_now (f->sim, id);
  before = get_project (f, "video", id);
  url = g_strdup (first_download_url (before));

  del = api (f, "DELETE", path, NULL);
  g_assert_no_error (del->error);
  g_assert_cmpuint (del->status, ==, 204);
  g_assert_cmpstr (last_request (f)->endpoint, ==, MH_SIM_ENDPOINT_DELETE);

  after = get_project (f, "video", id);
  object = reply_object (after);
  g_assert_false (json_object_get_boolean_member (object, "enabled"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "downloads")),
                    ==, 0);

  download = plain (f, "GET", url);
  assert_error_reply (download, 404);

  unknown = api (f, "DELETE", "/v1/video-projects/cnothere000000000000000000", NULL);
  assert_error_reply (unknown, 404);
  g_free (path);
  path = g_strdup_printf ("/v1/image-projects/%s", id);
  wrong_kind = api (f, "DELETE", path, NULL);
  assert_error_reply (wrong_kind, 404);
}

/* ------------------------------------------------------------------------ */
/* Faults                                                                   */

static void
test_fault_status (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(Reply) r1 = NULL;
  g_autoptr(Reply) r2 = NULL;
  g_autoptr(Reply) r3 = NULL;
  g_autoptr(Reply) r4 = NULL;
  g_autoptr(Reply) create = NULL;
  g_autofree char *id = NULL;
  g_autoptr(Reply) project = NULL;
  g_autoptr(Reply) download = NULL;

  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_STATUS, 2, 503, NULL);
  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_STATUS, 1, 429,
                          "Slow down");
  r1 = api (f, "GET", "/v1/account", NULL);
  r2 = api (f, "GET", "/v1/account", NULL);
  r3 = api (f, "GET", "/v1/account", NULL);
  r4 = api (f, "GET", "/v1/account", NULL);
  assert_error_reply (r1, 503);
  assert_error_reply (r2, 503);
  assert_error_reply (r3, 429);
  g_assert_cmpstr (json_object_get_string_member (reply_object (r3), "message"), ==,
                   "Slow down");
  g_assert_cmpuint (r4->status, ==, 200);
  g_assert_cmpuint (((MhSimRequest *) g_ptr_array_index (mh_simulator_get_requests (f->sim),
                                                         0))->status, ==, 503);

  /* A 503 on a create creates nothing */
  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_STATUS, 1, 503, NULL);
  create = api (f, "POST", "/v1/ai-headshot-generator",
                "{\"assets\":{\"image_file_path\":\"https://example.com/f.jpg\"}}");
  assert_error_reply (create, 503);
  g_assert_cmpuint (mh_simulator_count_projects (f->sim), ==, 0);

  /* Storage endpoints answer the status too */
  id = create_headshot (f);
  mh_simulator_finish_project_now (f->sim, id);
  project = get_project (f, "image", id);
  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_DOWNLOAD, MH_SIM_FAULT_STATUS, 1, 500, NULL);
  download = plain (f, "GET", first_download_url (project));
  assert_error_reply (download, 500);

  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_UPLOAD, MH_SIM_FAULT_STATUS, 1, 502, NULL);
  {
    g_autoptr(Reply) urls = api (f, "POST", "/v1/files/upload-urls",
                                 "{\"items\":[{\"type\":\"image\",\"extension\":\"png\"}]}");
    JsonObject *item = json_array_get_object_element (
      json_object_get_array_member (reply_object (urls), "items"), 0);
    g_autoptr(Reply) put = put_bytes (f, json_object_get_string_member (item, "upload_url"), "x");

    assert_error_reply (put, 502);
    g_assert_false (mh_simulator_lookup_upload (f->sim,
                                                json_object_get_string_member (item, "file_path"),
                                                NULL, NULL));
  }
}

static void
test_fault_drop (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autofree char *id = NULL;
  g_autoptr(Reply) project = NULL;
  g_autoptr(Reply) download = NULL;
  g_autoptr(Reply) create = NULL;
  g_autoptr(Reply) account = NULL;
  g_autoptr(Reply) urls = NULL;
  g_autoptr(Reply) put = NULL;
  g_autoptr(GInputStream) stream = NULL;
  JsonObject *item;
  SoupMessage *msg;
  MhSimRequest *req;
  guint n_requests;

  /* Download: about half of the bytes, then the connection closes */
  mh_simulator_set_output_bytes (f->sim, 2 * 1024 * 1024);
  id = create_talking_photo (f);
  mh_simulator_finish_project_now (f->sim, id);
  project = get_project (f, "video", id);
  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_DOWNLOAD, MH_SIM_FAULT_DROP, 1, 0, NULL);
  n_requests = mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_DOWNLOAD);
  msg = new_message (f, "GET", first_download_url (project), NULL, NULL);
  soup_message_add_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);
  download = send_message (f, msg);
  g_assert_nonnull (download->error);
  g_test_message ("dropped download: %s (%s %d)", download->error->message,
                  g_quark_to_string (download->error->domain), download->error->code);
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_DOWNLOAD), ==,
                    n_requests + 1);
  req = last_request (f);
  g_assert_cmpuint (req->status, ==, 0);

  /* Create: the project exists although the answer broke */
  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_DROP, 1, 0, NULL);
  msg = new_message (f, "POST", "/v1/ai-headshot-generator", KEY,
                     "{\"assets\":{\"image_file_path\":\"https://example.com/f.jpg\"}}");
  soup_message_add_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);
  create = send_message (f, msg);
  g_assert_nonnull (create->error);
  g_assert_cmpuint (mh_simulator_count_projects (f->sim), ==, 2);
  g_assert_cmpuint (last_request (f)->status, ==, 0);

  {
    g_autofree char *path = g_strdup_printf ("/v1/video-projects/%s", id);
    g_autoptr(Reply) del = NULL;

    /* An answer with no body at all: the connection closes before the headers */
    mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_DELETE, MH_SIM_FAULT_DROP, 1, 0, NULL);
    msg = new_message (f, "DELETE", path, KEY, NULL);
    /* On a reused connection libsoup would replay the idempotent DELETE by itself. */
    soup_message_add_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);
    del = send_message (f, msg);
    g_assert_nonnull (del->error);
    g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_DELETE), ==, 1);
    g_assert_cmpuint (last_request (f)->status, ==, 0);
  }

  /* The next request works again */
  account = api (f, "GET", "/v1/account", NULL);
  g_assert_cmpuint (account->status, ==, 200);

  /* PUT: the connection breaks after about half of the upload */
  urls = api (f, "POST", "/v1/files/upload-urls",
              "{\"items\":[{\"type\":\"video\",\"extension\":\"mp4\"}]}");
  item = json_array_get_object_element (json_object_get_array_member (reply_object (urls),
                                                                      "items"), 0);
  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_UPLOAD, MH_SIM_FAULT_DROP, 1, 0, NULL);
  msg = new_message (f, "PUT", json_object_get_string_member (item, "upload_url"), NULL, NULL);
  soup_message_add_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);
  stream = pattern_stream_new (4 * 1024 * 1024);
  soup_message_set_request_body (msg, "application/octet-stream", stream, 4 * 1024 * 1024);
  put = send_message (f, msg);
  g_assert_nonnull (put->error);
  g_test_message ("dropped upload: %s (%s %d)", put->error->message,
                  g_quark_to_string (put->error->domain), put->error->code);
  req = last_request (f);
  g_assert_cmpstr (req->endpoint, ==, MH_SIM_ENDPOINT_UPLOAD);
  g_assert_cmpuint (req->status, ==, 0);
  g_assert_cmpuint (req->body_bytes, >=, 2 * 1024 * 1024);
  g_assert_cmpuint (req->body_bytes, <, 4 * 1024 * 1024);
  g_assert_false (mh_simulator_lookup_upload (f->sim,
                                              json_object_get_string_member (item, "file_path"),
                                              NULL, NULL));
}

static void
test_fault_malformed_and_slow (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(Reply) malformed = NULL;
  g_autoptr(Reply) create = NULL;
  g_autoptr(Reply) slow = NULL;
  g_autoptr(Reply) fast = NULL;

  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_MALFORMED, 1, 0, NULL);
  malformed = api (f, "GET", "/v1/account", NULL);
  g_assert_cmpuint (malformed->status, ==, 200);
  g_assert_nonnull (malformed->body);
  g_assert_null (malformed->json);

  /* A malformed answer to a create: the project was created */
  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_MALFORMED, 1, 0, NULL);
  create = api (f, "POST", "/v1/ai-headshot-generator",
                "{\"assets\":{\"image_file_path\":\"https://example.com/f.jpg\"}}");
  g_assert_cmpuint (create->status, ==, 200);
  g_assert_null (create->json);
  g_assert_cmpuint (mh_simulator_count_projects (f->sim), ==, 1);

  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_SLOW, 1, 300, NULL);
  slow = api (f, "GET", "/v1/account", NULL);
  fast = api (f, "GET", "/v1/account", NULL);
  g_assert_cmpuint (slow->status, ==, 200);
  g_assert_nonnull (slow->json);
  g_assert_cmpfloat (slow->elapsed, >=, 0.29);
  g_assert_cmpuint (fast->status, ==, 200);
  g_assert_cmpfloat (fast->elapsed, <, 0.29);

  /* Storage answers can be slow too */
  {
    g_autofree char *id = create_headshot (f);
    g_autoptr(Reply) project = NULL;
    g_autoptr(Reply) download = NULL;
    g_autoptr(Reply) urls = NULL;
    g_autoptr(Reply) put = NULL;
    JsonObject *item;

    mh_simulator_finish_project_now (f->sim, id);
    project = get_project (f, "image", id);
    mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_DOWNLOAD, MH_SIM_FAULT_SLOW, 1, 200, NULL);
    download = plain (f, "GET", first_download_url (project));
    g_assert_cmpuint (download->status, ==, 200);
    g_assert_cmpfloat (download->elapsed, >=, 0.19);
    g_assert_cmpmem (g_bytes_get_data (download->body, NULL), 8, "\x89PNG\r\n\x1a\n", 8);

    urls = api (f, "POST", "/v1/files/upload-urls",
                "{\"items\":[{\"type\":\"image\",\"extension\":\"png\"}]}");
    item = json_array_get_object_element (
      json_object_get_array_member (reply_object (urls), "items"), 0);
    mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_UPLOAD, MH_SIM_FAULT_SLOW, 1, 200, NULL);
    put = put_bytes (f, json_object_get_string_member (item, "upload_url"), "slow bytes");
    g_assert_cmpuint (put->status, ==, 200);
    g_assert_cmpfloat (put->elapsed, >=, 0.19);
    g_assert_true (mh_simulator_lookup_upload (f->sim,
                                               json_object_get_string_member (item, "file_path"),
                                               NULL, NULL));
  }
}

static void
test_fault_expired (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(Reply) urls = NULL;
  g_autoptr(Reply) put = NULL;
  g_autoptr(Reply) project = NULL;
  g_autoptr(Reply) fresh = NULL;
  g_autoptr(Reply) download = NULL;
  g_autoptr(Reply) download2 = NULL;
  g_autoptr(Reply) download3 = NULL;
  g_autofree char *id = NULL;
  g_autofree char *old_url = NULL;
  JsonObject *item;

  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_UPLOAD_URLS, MH_SIM_FAULT_EXPIRED_URL, 1, 0,
                          NULL);
  urls = api (f, "POST", "/v1/files/upload-urls",
              "{\"items\":[{\"type\":\"image\",\"extension\":\"png\"}]}");
  item = json_array_get_object_element (json_object_get_array_member (reply_object (urls),
                                                                      "items"), 0);
  put = put_bytes (f, json_object_get_string_member (item, "upload_url"), "x");
  assert_error_reply (put, 403);

  id = create_headshot (f);
  mh_simulator_finish_project_now (f->sim, id);
  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_PROJECT, MH_SIM_FAULT_EXPIRED_URL, 1, 0, NULL);
  project = get_project (f, "image", id);
  download = plain (f, "GET", first_download_url (project));
  assert_error_reply (download, 403);

  /* A fresh GET gives a URL that works, until the downloads expire */
  fresh = get_project (f, "image", id);
  old_url = g_strdup (first_download_url (fresh));
  download2 = plain (f, "GET", old_url);
  g_assert_cmpuint (download2->status, ==, 200);
  mh_simulator_expire_downloads (f->sim);
  download3 = plain (f, "GET", old_url);
  assert_error_reply (download3, 403);

  /* Short URL lifetimes */
  {
    g_autoptr(Reply) short_urls = NULL;
    g_autoptr(Reply) late = NULL;

    g_object_set (f->sim, "upload-url-lifetime", 0.05, NULL);
    short_urls = api (f, "POST", "/v1/files/upload-urls",
                      "{\"items\":[{\"type\":\"image\",\"extension\":\"png\"}]}");
    item = json_array_get_object_element (
      json_object_get_array_member (reply_object (short_urls), "items"), 0);
    spin_ms (100);
    late = put_bytes (f, json_object_get_string_member (item, "upload_url"), "x");
    assert_error_reply (late, 403);
  }
}

static void
test_fault_render_outcomes (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autofree char *failed = NULL;
  g_autofree char *canceled = NULL;
  g_autofree char *hostile = NULL;
  g_autofree char *hostile2 = NULL;
  g_autoptr(Reply) r1 = NULL;
  g_autoptr(Reply) r2 = NULL;
  g_autoptr(Reply) r3 = NULL;
  g_autoptr(Reply) r4 = NULL;
  g_autoptr(Reply) download = NULL;
  JsonObject *object;
  JsonObject *error;
  gint64 credits;
  const char *url;

  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_RENDER_ERROR, 1, 0,
                          "no_source_face");
  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_CANCELED, 1, 0, NULL);
  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_HOSTILE_NAME, 1, 0,
                          "../../evil.mp4");
  g_assert_true (mh_simulator_add_fault_from_string (f->sim, "create:hostile-name:1:a\nb\x1b.png",
                                                     NULL));
  /* Already encoded text is kept as it is */
  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_HOSTILE_NAME, 1, 0,
                          "%2Fetc%2Fpasswd");

  failed = create_headshot (f);
  g_object_get (f->sim, "credits", &credits, NULL);
  g_assert_cmpint (credits, ==, 1000000 - 50);
  canceled = create_headshot (f);
  hostile = create_talking_photo (f);
  hostile2 = create_headshot (f);

  mh_simulator_finish_project_now (f->sim, failed);
  mh_simulator_finish_project_now (f->sim, canceled);
  mh_simulator_finish_project_now (f->sim, hostile);
  mh_simulator_finish_project_now (f->sim, hostile2);

  r1 = get_project (f, "image", failed);
  object = reply_object (r1);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "error");
  error = json_object_get_object_member (object, "error");
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "no_source_face");
  g_assert_nonnull (json_object_get_string_member (error, "message"));
  g_assert_cmpint (json_object_get_int_member (object, "credits_charged"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "downloads")),
                    ==, 0);

  r2 = get_project (f, "image", canceled);
  g_assert_cmpstr (json_object_get_string_member (reply_object (r2), "status"), ==, "canceled");

  g_object_get (f->sim, "credits", &credits, NULL);
  g_assert_cmpint (credits, ==, 1000000 - 96 - 50);  /* the error and the cancel are refunded */

  r3 = get_project (f, "video", hostile);
  url = first_download_url (r3);
  g_assert_nonnull (strstr (url, "/..%2F..%2Fevil.mp4?"));
  download = plain (f, "GET", url);
  g_assert_cmpuint (download->status, ==, 200);

  r4 = get_project (f, "image", hostile2);
  g_assert_nonnull (strstr (first_download_url (r4), "/a%0Ab%1B.png?"));

  {
    g_autofree char *encoded = create_headshot (f);
    g_autoptr(Reply) r5 = NULL;
    g_autoptr(Reply) fetched = NULL;

    mh_simulator_finish_project_now (f->sim, encoded);
    r5 = get_project (f, "image", encoded);
    g_assert_nonnull (strstr (first_download_url (r5), "/%2Fetc%2Fpasswd?"));
    fetched = plain (f, "GET", first_download_url (r5));
    g_assert_cmpuint (fetched->status, ==, 200);
  }
}

static void
test_fault_parse (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(Reply) r1 = NULL;
  g_autoptr(Reply) r2 = NULL;
  g_autoptr(Reply) r3 = NULL;

  g_assert_true (mh_simulator_add_fault_from_string (f->sim, "account:status:1:502", &error));
  g_assert_no_error (error);
  g_assert_true (mh_simulator_add_fault_from_string (f->sim, "account:status", &error));
  g_assert_true (mh_simulator_add_fault_from_string (f->sim, "project:slow:2:10", &error));
  g_assert_true (mh_simulator_add_fault_from_string (f->sim, "create:render-error:1:file_too_large",
                                                     &error));
  g_assert_true (mh_simulator_add_fault_from_string (f->sim, "download:drop", &error));
  g_assert_true (mh_simulator_add_fault_from_string (f->sim, "upload-urls:expired-url:3",
                                                     &error));
  g_assert_true (mh_simulator_add_fault_from_string (f->sim, "download:stall:1:65536", &error));
  g_assert_true (mh_simulator_add_fault_from_string (f->sim, "upload:stall", &error));
  g_assert_true (mh_simulator_add_fault_from_string (f->sim, "create:downloads:1:10000", &error));
  /* A URL keeps its colons. */
  g_assert_true (mh_simulator_add_fault_from_string (f->sim, "create:download-url:1:ftp://h:21/x",
                                                     &error));
  g_assert_no_error (error);
  g_assert_false (mh_simulator_add_fault_from_string (f->sim, "download:stall:1:half", &error));
  g_clear_error (&error);

  g_assert_false (mh_simulator_add_fault_from_string (f->sim, "nowhere:status", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (mh_simulator_add_fault_from_string (f->sim, "account:explode", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (mh_simulator_add_fault_from_string (f->sim, "account", &error));
  g_clear_error (&error);
  g_assert_false (mh_simulator_add_fault_from_string (f->sim, "account:status:x", &error));
  g_clear_error (&error);
  g_assert_false (mh_simulator_add_fault_from_string (f->sim, "account:status:1:abc", &error));
  g_clear_error (&error);

  r1 = api (f, "GET", "/v1/account", NULL);
  r2 = api (f, "GET", "/v1/account", NULL);
  r3 = api (f, "GET", "/v1/account", NULL);
  g_assert_cmpuint (r1->status, ==, 502);
  g_assert_cmpuint (r2->status, ==, 503);
  g_assert_cmpuint (r3->status, ==, 200);

  mh_simulator_clear_faults (f->sim);
  mh_simulator_clear_requests (f->sim);
  g_assert_cmpuint (mh_simulator_get_requests (f->sim)->len, ==, 0);
  {
    g_autoptr(Reply) r4 = api (f, "GET", "/v1/account", NULL);

    g_assert_cmpuint (r4->status, ==, 200);
    g_assert_cmpuint (mh_simulator_count_requests (f->sim, NULL), ==, 1);
  }
}

static void
test_restart (void)
{
  g_autoptr(MhSimulator) sim = mh_simulator_new ();
  g_autoptr(GError) error = NULL;
  double seconds;

  g_assert_null (mh_simulator_get_base_url (sim));
  g_assert_true (mh_simulator_start (sim, 0, &error));
  g_assert_nonnull (mh_simulator_get_base_url (sim));
  mh_simulator_stop (sim);
  g_assert_null (mh_simulator_get_base_url (sim));
  g_assert_true (mh_simulator_start (sim, 0, &error));
  g_assert_no_error (error);

  mh_simulator_set_render_seconds (sim, 2.5);
  g_object_get (sim, "render-seconds", &seconds, NULL);
  g_assert_cmpfloat (seconds, ==, 2.5);
}

/* The simulator serves from the thread-default context of the thread that
 * started it (as a demo-mode or CLI worker thread would). */
typedef struct
{
  GMutex       lock;
  GCond        cond;
  char        *base_url;
  gboolean      quit;
  MhSimulator  *sim;
  GMainContext *context;
} ThreadData;

static gpointer
simulator_thread (gpointer user_data)
{
  ThreadData *data = user_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (context);
  data->sim = mh_simulator_new ();
  g_assert_true (mh_simulator_start (data->sim, 0, &error));
  mh_simulator_add_fault (data->sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_SLOW, 1, 100, NULL);
  mh_simulator_add_fault (data->sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_DROP, 1, 0, NULL);

  g_mutex_lock (&data->lock);
  data->base_url = g_strdup (mh_simulator_get_base_url (data->sim));
  data->context = g_main_context_ref (context);
  g_cond_signal (&data->cond);
  g_mutex_unlock (&data->lock);

  while (!g_atomic_int_get (&data->quit))
    g_main_context_iteration (context, TRUE);

  mh_simulator_stop (data->sim);
  g_clear_object (&data->sim);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);

  return NULL;
}

static void
test_thread_context (void)
{
  ThreadData data = { 0, };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = NULL;
  GThread *thread;
  const char *outcomes[] = { "slow", "drop" };

  g_mutex_init (&data.lock);
  g_cond_init (&data.cond);
  thread = g_thread_new ("simulator", simulator_thread, &data);
  g_mutex_lock (&data.lock);
  while (data.base_url == NULL)
    g_cond_wait (&data.cond, &data.lock);
  g_mutex_unlock (&data.lock);

  url = g_strconcat (data.base_url, "/v1/account", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    "Bearer " KEY);
      /* Blocking here: the simulator's thread does the serving. */
      body = soup_session_send_and_read (session, msg, NULL, &error);
      if (g_str_equal (outcomes[i], "slow"))
        {
          g_assert_no_error (error);
          g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
        }
      else
        {
          g_assert_nonnull (error);
        }
    }

  g_atomic_int_set (&data.quit, TRUE);
  g_main_context_wakeup (data.context);
  g_thread_join (thread);
  g_main_context_unref (data.context);
  g_free (data.base_url);
  g_mutex_clear (&data.lock);
  g_cond_clear (&data.cond);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/simulator/auth", test_auth);
  g_test_add_func ("/simulator/routing", test_routing);
  g_test_add_func ("/simulator/upload-urls", test_upload_urls);
  g_test_add_func ("/simulator/upload-put", test_upload_put);
  g_test_add_func ("/simulator/upload-streaming-memory", test_upload_streaming_memory);
  g_test_add_func ("/simulator/create-validation", test_create_validation);
  g_test_add_func ("/simulator/create-credits", test_create_credits);
  g_test_add_func ("/simulator/project-progression", test_project_progression);
  g_test_add_func ("/simulator/project-fields", test_project_fields);
  g_test_add_func ("/simulator/downloads", test_downloads);
  g_test_add_func ("/simulator/download-streaming-memory", test_download_streaming_memory);
  g_test_add_func ("/simulator/delete", test_delete);
  g_test_add_func ("/simulator/fault-status", test_fault_status);
  g_test_add_func ("/simulator/fault-drop", test_fault_drop);
  g_test_add_func ("/simulator/fault-malformed-slow", test_fault_malformed_and_slow);
  g_test_add_func ("/simulator/fault-expired", test_fault_expired);
  g_test_add_func ("/simulator/fault-render-outcomes", test_fault_render_outcomes);
  g_test_add_func ("/simulator/fault-parse", test_fault_parse);
  g_test_add_func ("/simulator/restart", test_restart);
  g_test_add_func ("/simulator/thread-context", test_thread_context);

  return g_test_run ();
}
