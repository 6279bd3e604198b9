/* test-simulator-faces.c: the simulator's face detection speaks the contract
 *
 * POST /v1/face-detection, GET /v1/face-detection/{id} and the crops of the
 * faces, driven with a plain SoupSession on the same main context.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sim-test-http.h"

/* The shared fixture, its renders 2 s long: a detection takes 0.2 s. */
static Fixture *
faces_fixture_new (void)
{
  Fixture *f = fixture_new ();

  mh_simulator_set_render_seconds (f->sim, 2);
  return f;
}

static char *
detect (Fixture    *f,
        const char *target)
{
  g_autofree char *json = g_strdup_printf ("{\"assets\":{\"target_file_path\":\"%s\"},"
                                           "\"confidence_score\":0.5}", target);
  g_autoptr(Reply) reply = api (f, "POST", "/v1/face-detection", json);

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (reply_object (reply), "credits_charged"), ==, 0);

  return g_strdup (json_object_get_string_member (reply_object (reply), "id"));
}

/* Polls every 20 ms until complete; returns the last answer and the
 * statuses seen, in order, without repeats. */
static Reply *
wait_complete (Fixture    *f,
               const char *id,
               GPtrArray  *seen)
{
  g_autofree char *path = g_strdup_printf ("/v1/face-detection/%s", id);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      Reply *reply = api (f, "GET", path, NULL);
      const char *status = json_object_get_string_member (reply_object (reply), "status");

      g_assert_cmpuint (reply->status, ==, 200);
      g_assert_cmpstr (json_object_get_string_member (reply_object (reply), "id"), ==, id);
      if (seen != NULL &&
          (seen->len == 0 || !g_str_equal (g_ptr_array_index (seen, seen->len - 1), status)))
        g_ptr_array_add (seen, g_strdup (status));
      if (g_str_equal (status, "complete"))
        return reply;

      g_assert_cmpuint (json_array_get_length (
                          json_object_get_array_member (reply_object (reply), "faces")), ==, 0);
      reply_free (reply);
      spin_ms (20);
    }

  g_assert_not_reached ();
}

static guint
count_faces (Fixture    *f,
             const char *target)
{
  g_autofree char *id = detect (f, target);
  g_autoptr(Reply) reply = wait_complete (f, id, NULL);

  return json_array_get_length (json_object_get_array_member (reply_object (reply), "faces"));
}

static void
test_validation (void)
{
  g_autoptr(Fixture) f = faces_fixture_new ();
  g_autoptr(Reply) no_key = send_message (f, new_message (f, "POST", "/v1/face-detection", NULL,
                                                      "{\"assets\":{\"target_file_path\":\"https://x.test/a.jpg\"}}"));
  g_autoptr(Reply) no_body = api (f, "POST", "/v1/face-detection", NULL);
  g_autoptr(Reply) no_assets = api (f, "POST", "/v1/face-detection", "{\"confidence_score\":0.5}");
  g_autoptr(Reply) no_path = api (f, "POST", "/v1/face-detection", "{\"assets\":{}}");
  g_autoptr(Reply) empty_path = api (f, "POST", "/v1/face-detection",
                                     "{\"assets\":{\"target_file_path\":\"\"}}");
  g_autoptr(Reply) text_score = api (f, "POST", "/v1/face-detection",
                                     "{\"assets\":{\"target_file_path\":\"https://x.test/a.jpg\"},"
                                     "\"confidence_score\":\"high\"}");
  g_autoptr(Reply) big_score = api (f, "POST", "/v1/face-detection",
                                    "{\"assets\":{\"target_file_path\":\"https://x.test/a.jpg\"},"
                                    "\"confidence_score\":1.5}");
  g_autoptr(Reply) not_uploaded = api (f, "POST", "/v1/face-detection",
                                       "{\"assets\":{\"target_file_path\":"
                                       "\"api-assets/cnothere/photo.png\"}}");
  g_autoptr(Reply) get = api (f, "GET", "/v1/face-detection", NULL);
  g_autoptr(Reply) unknown = api (f, "GET", "/v1/face-detection/cunknown", NULL);
  g_autoptr(Reply) put = api (f, "PUT", "/v1/face-detection/cunknown", "{}");
  g_autoptr(Reply) no_score = NULL;

  assert_error_reply (no_key, 401);
  assert_error_reply (no_body, 400);
  assert_error_reply (no_assets, 400);
  assert_error_reply (no_path, 400);
  assert_error_reply (empty_path, 400);
  assert_error_reply (text_score, 400);
  assert_error_reply (big_score, 400);
  assert_error_reply (not_uploaded, 422);
  assert_error_reply (get, 405);
  assert_error_reply (unknown, 404);
  assert_error_reply (put, 405);

  /* The score is optional; nothing was charged for anything */
  no_score = api (f, "POST", "/v1/face-detection",
                  "{\"assets\":{\"target_file_path\":\"https://x.test/a.jpg\"}}");
  g_assert_cmpuint (no_score->status, ==, 200);
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_FACE_DETECTION), ==, 10);
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_FACE_STATUS), ==, 2);
  g_assert_cmpuint (mh_simulator_count_projects (f->sim), ==, 0);
}

static void
test_progression_and_crops (void)
{
  g_autoptr(Fixture) f = faces_fixture_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *id = detect (f, "https://example.com/people/two-faces.jpg?size=large");
  g_autoptr(Reply) done = wait_complete (f, id, seen);
  g_autoptr(GBytes) sample = NULL;
  JsonArray *faces = json_object_get_array_member (reply_object (done), "faces");
  const char *url;
  g_autofree char *tampered = NULL;
  g_autofree char *beyond = NULL;
  g_autoptr(Reply) forged = NULL;
  g_autoptr(Reply) missing = NULL;
  gint64 credits;

  /* queued (the first 40 ms), rendering, then complete, in that order */
  g_assert_cmpuint (seen->len, >=, 2);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, "queued");
  g_assert_cmpstr (g_ptr_array_index (seen, seen->len - 1), ==, "complete");
  if (seen->len == 3)
    g_assert_cmpstr (g_ptr_array_index (seen, 1), ==, "rendering");

  g_assert_cmpuint (json_array_get_length (faces), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *face = json_array_get_object_element (faces, i);
      g_autoptr(Reply) crop = NULL;
      gsize len;
      const guint8 *data;

      g_assert_true (g_str_has_prefix (json_object_get_string_member (face, "path"),
                                       "api-assets/"));
      url = json_object_get_string_member (face, "url");
      g_assert_true (g_str_has_prefix (url, mh_simulator_get_base_url (f->sim)));

      /* A plain GET, no key, like object storage */
      crop = plain (f, "GET", url);
      g_assert_cmpuint (crop->status, ==, 200);
      g_assert_cmpstr (soup_message_headers_get_content_type (
                         soup_message_get_response_headers (crop->msg), NULL), ==, "image/png");
      data = g_bytes_get_data (crop->body, &len);
      g_assert_cmpuint (len, >, 8);
      g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
    }
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_FACE_CROP), ==, 2);

  /* A crop's URL is signed */
  tampered = g_strconcat (url, "0", NULL);
  forged = plain (f, "GET", tampered);
  assert_error_reply (forged, 403);
  beyond = g_strdup_printf ("%s/storage/faces/%s/face-2.png", mh_simulator_get_base_url (f->sim), id);
  missing = plain (f, "GET", beyond);
  assert_error_reply (missing, 404);

  /* Free */
  g_object_get (f->sim, "credits", &credits, NULL);
  g_assert_cmpint (credits, ==, 1000000);
}

static void
test_counts (void)
{
  g_autoptr(Fixture) f = faces_fixture_new ();
  g_autofree char *uploaded = NULL;
  guint faces;

  mh_simulator_set_render_seconds (f->sim, 0.1);

  /* Default: one face */
  g_assert_cmpuint (count_faces (f, "https://example.com/portrait.jpg"), ==, 1);

  /* --faces N, for photos whose name says nothing */
  g_object_set (f->sim, "faces", 3u, NULL);
  g_object_get (f->sim, "faces", &faces, NULL);
  g_assert_cmpuint (faces, ==, 3);
  g_assert_cmpuint (count_faces (f, "https://example.com/portrait.jpg"), ==, 3);

  /* An upload's name is the server's own: --faces decides */
  uploaded = upload (f, "image", "png", 16);
  g_assert_cmpuint (count_faces (f, uploaded), ==, 3);

  /* The marker in the name wins over --faces */
  g_assert_cmpuint (count_faces (f, "https://example.com/No-Face.png"), ==, 0);
  g_assert_cmpuint (count_faces (f, "https://example.com/one-face.png"), ==, 1);
  g_assert_cmpuint (count_faces (f, "https://example.com/two-faces.png"), ==, 2);
  g_assert_cmpuint (count_faces (f, "https://example.com/group-faces-5.png"), ==, 5);
  /* Only the name counts, not the folders or the query */
  g_assert_cmpuint (count_faces (f, "https://example.com/no-face/portrait.png?two-faces"), ==, 3);

  g_object_set (f->sim, "faces", 0u, NULL);
  g_assert_cmpuint (count_faces (f, "https://example.com/portrait.jpg"), ==, 0);

  /* A saved item of the library is taken as it is */
  g_assert_cmpuint (count_faces (f, "saved-items/cabc/two-faces.png"), ==, 2);
}

/* A detection can end in error, with no faces */
static void
test_error (void)
{
  g_autoptr(Fixture) f = faces_fixture_new ();
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  gint64 deadline;

  mh_simulator_set_render_seconds (f->sim, 0.1);
  id = detect (f, "https://example.com/face-error.jpg");
  path = g_strdup_printf ("/v1/face-detection/%s", id);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(Reply) reply = api (f, "GET", path, NULL);
      JsonObject *object = reply_object (reply);
      const char *status = json_object_get_string_member (object, "status");

      g_assert_cmpstr (status, !=, "complete");
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "faces")), ==, 0);
      if (g_str_equal (status, "error"))
        {
          JsonObject *error = json_object_get_object_member (object, "error");

          g_assert_nonnull (error);
          g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "unknown_error");
          return;
        }
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_not_reached ();
}

static void
test_faults (void)
{
  g_autoptr(Fixture) f = faces_fixture_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(Reply) gone = NULL;

  /* An older server without the endpoint is a 404 fault away */
  g_assert_true (mh_simulator_add_fault_from_string (f->sim, "face-detection:status:1:404", &error));
  g_assert_no_error (error);
  gone = api (f, "POST", "/v1/face-detection",
              "{\"assets\":{\"target_file_path\":\"https://x.test/a.jpg\"}}");
  assert_error_reply (gone, 404);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/simulator-faces/validation", test_validation);
  g_test_add_func ("/simulator-faces/progression-and-crops", test_progression_and_crops);
  g_test_add_func ("/simulator-faces/counts", test_counts);
  g_test_add_func ("/simulator-faces/error", test_error);
  g_test_add_func ("/simulator-faces/faults", test_faults);

  return g_test_run ();
}
