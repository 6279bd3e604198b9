/* mh-sim-faces.c: the simulator's face detection
 *
 * POST /v1/face-detection (free), GET /v1/face-detection/{id} with a
 * queued -> rendering -> complete progression a tenth of the render time
 * long (a second at most: detection does not take as long as a render), and the signed crop of each face found (the built-in sample PNG)
 * under /storage/faces/.
 *
 * How many faces a photo has: a marker in the name of the file the target
 * path names ("no-face" 0, "one-face" 1, "two-faces" 2, "faces-N" N), else
 * the "faces" property (`simulator --faces N`, default 1). The marker wins.
 * A name with "face-error" makes the detection end in status "error".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mh-sim-private.h"

/* For the messages of sim_check_asset(). */
static const SimTool face_tool = {
  "/v1/face-detection", "face detection", "FACE_DETECTION", TRUE, "face",
};

struct _SimDetection
{
  char   *id;
  guint   n_faces;
  gboolean failed;
  gint64  created_mono_us;
  gint64  duration_us;
};

void
sim_detection_free (SimDetection *detection)
{
  g_free (detection->id);
  g_free (detection);
}

/* The number of faces a marker in the last segment of @target asks for, -2
 * for a detection that fails, or -1 when it has none. */
static int
marker_faces (const char *target)
{
  g_autofree char *copy = g_strdup (target);
  g_autofree char *name = NULL;
  const char *slash;
  const char *hit;
  char *end;

  /* A URL's query and fragment are not part of its name. */
  copy[strcspn (copy, "?#")] = '\0';
  slash = strrchr (copy, '/');
  name = g_ascii_strdown (slash != NULL ? slash + 1 : copy, -1);

  if (strstr (name, "face-error") != NULL)
    return -2;
  if (strstr (name, "no-face") != NULL)
    return 0;
  hit = strstr (name, "faces-");
  if (hit != NULL && g_ascii_isdigit (hit[strlen ("faces-")]))
    {
      guint64 n = g_ascii_strtoull (hit + strlen ("faces-"), &end, 10);

      return (int) MIN (n, 64);
    }
  if (strstr (name, "two-faces") != NULL)
    return 2;
  if (strstr (name, "one-face") != NULL)
    return 1;

  return -1;
}

void
sim_handle_face_detection (MhSimulator *self,
                           SimExchange *ex)
{
  JsonObject *body;
  JsonObject *assets;
  const char *target;
  double score;
  g_autofree char *message = NULL;
  SimDetection *detection;
  JsonObject *answer;
  JsonNode *node;
  int marker;

  if (ex->req->json == NULL || !JSON_NODE_HOLDS_OBJECT (ex->req->json))
    {
      sim_respond_error (ex, SOUP_STATUS_BAD_REQUEST, "The request body must be a JSON object");
      return;
    }
  body = json_node_get_object (ex->req->json);

  if (sim_get_object (body, "assets", "assets", TRUE, &assets, &message) == FIELD_INVALID ||
      sim_get_string (assets, "target_file_path", "assets.target_file_path", TRUE,
                      &target, &message) == FIELD_INVALID)
    {
      sim_respond_error (ex, SOUP_STATUS_BAD_REQUEST, message);
      return;
    }

  if (sim_get_number (body, "confidence_score", "confidence_score", FALSE, FALSE,
                      &score, &message) == FIELD_INVALID)
    {
      sim_respond_error (ex, SOUP_STATUS_BAD_REQUEST, message);
      return;
    }
  if (json_object_has_member (body, "confidence_score") && (score < 0 || score > 1))
    {
      sim_respond_error (ex, SOUP_STATUS_BAD_REQUEST,
                         "confidence_score must be between 0 and 1");
      return;
    }

  /* A saved item of the library is taken as it is, like a URL. */
  if (!g_str_has_prefix (target, "saved-items/") &&
      !sim_check_asset (self, &face_tool, target, "assets.target_file_path",
                        MH_ASSET_IMAGE, &message))
    {
      sim_respond_error (ex, 422, message);
      return;
    }

  marker = marker_faces (target);

  detection = g_new0 (SimDetection, 1);
  detection->id = sim_new_cuid (self);
  detection->n_faces = marker >= 0 ? (guint) marker : self->faces;
  detection->failed = marker == -2;
  detection->created_mono_us = g_get_monotonic_time ();
  detection->duration_us = sim_lifetime_us (MIN (self->render_seconds / 10, 1.0));
  g_hash_table_replace (self->detections, detection->id, detection);

  answer = json_object_new ();
  json_object_set_string_member (answer, "id", detection->id);
  json_object_set_int_member (answer, "credits_charged", 0);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, answer);
  sim_respond_json (ex, SOUP_STATUS_OK, node);
}

static char *
crop_url (MhSimulator  *self,
          SimDetection *detection,
          guint         index)
{
  g_autofree char *path = g_strdup_printf ("faces/%s/face-%u.png", detection->id, index);
  g_autofree char *what = g_strdup_printf ("faces/%s/%u", detection->id, index);

  return sim_signed_storage_url (self, path, what, self->download_url_lifetime);
}

void
sim_handle_face_status (MhSimulator *self,
                        SimExchange *ex,
                        const char  *id)
{
  SimDetection *detection = g_hash_table_lookup (self->detections, id);
  gint64 elapsed;
  const char *status;
  JsonObject *answer;
  JsonArray *faces;
  JsonNode *node;

  if (detection == NULL)
    {
      sim_respond_error (ex, SOUP_STATUS_NOT_FOUND, "Not Found");
      return;
    }

  elapsed = g_get_monotonic_time () - detection->created_mono_us;
  if (elapsed < detection->duration_us / 5)
    status = "queued";
  else if (elapsed < detection->duration_us)
    status = "rendering";
  else
    status = detection->failed ? "error" : "complete";

  faces = json_array_new ();
  if (g_str_equal (status, "complete"))
    for (guint i = 0; i < detection->n_faces; i++)
      {
        JsonObject *face = json_object_new ();
        g_autofree char *path = g_strdup_printf ("api-assets/%s/face-%u.png", detection->id, i);
        g_autofree char *url = crop_url (self, detection, i);

        json_object_set_string_member (face, "path", path);
        json_object_set_string_member (face, "url", url);
        json_array_add_object_element (faces, face);
      }

  answer = json_object_new ();
  json_object_set_string_member (answer, "id", detection->id);
  json_object_set_string_member (answer, "status", status);
  json_object_set_int_member (answer, "credits_charged", 0);
  json_object_set_array_member (answer, "faces", faces);
  if (detection->failed && elapsed >= detection->duration_us)
    {
      JsonObject *error = json_object_new ();

      json_object_set_string_member (error, "code", "unknown_error");
      json_object_set_string_member (error, "message", "Face detection failed.");
      json_object_set_object_member (answer, "error", error);
    }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, answer);
  sim_respond_json (ex, SOUP_STATUS_OK, node);
}

/* GET /storage/faces/{id}/face-{n}.png?expires=&signature= */
void
sim_handle_face_crop (MhSimulator *self,
                      SimExchange *ex,
                      const char  *rest)
{
  g_auto(GStrv) parts = g_strsplit (rest, "/", -1);
  SimDetection *detection;
  g_autofree char *what = NULL;
  guint64 index;
  char *end = NULL;
  gsize size;

  if (g_strv_length (parts) != 2 ||
      (detection = g_hash_table_lookup (self->detections, parts[0])) == NULL ||
      !g_str_has_prefix (parts[1], "face-") ||
      (index = g_ascii_strtoull (parts[1] + strlen ("face-"), &end, 10),
       g_strcmp0 (end, ".png") != 0) ||
      index >= detection->n_faces)
    {
      sim_respond_error (ex, SOUP_STATUS_NOT_FOUND, "Not Found");
      return;
    }

  what = g_strdup_printf ("faces/%s/%u", detection->id, (guint) index);
  if (!sim_check_signed_url (self, ex, what))
    return;

  ex->body = mh_sim_media_get_sample (MH_SIM_MEDIA_PNG);
  size = g_bytes_get_size (ex->body);
  sim_exchange_stream (ex, SOUP_STATUS_OK, "image/png", size,
                       sim_exchange_has_fault (ex, MH_SIM_FAULT_DROP) ? size / 2 : size);
}
