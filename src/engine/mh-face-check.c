/* mh-face-check.c: asking Magic Hour whether a photo has a face
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mh-error.h"
#include "mh-face-check.h"
#include "mh-retry.h"

/* Detection takes seconds: the first look soon, then less and less often
 * (seconds, times the client's poll scale). A detection still not done
 * after MAX_WAIT is given up and the job goes on without it. */
#define FIRST_DELAY 0.5
#define MAX_DELAY   2.0
#define MAX_WAIT_US (90 * G_USEC_PER_SEC)

/* The confidence the detection asks for: the contract's example value. */
#define CONFIDENCE_SCORE 0.5

typedef struct
{
  MhClient *client;
  char     *path;      /* /v1/face-detection/{id} */
  double    delay;
  gint64    started;
} FaceCheck;

static void
face_check_free (FaceCheck *check)
{
  g_clear_object (&check->client);
  g_free (check->path);
  g_free (check);
}

const char *
mh_face_check_slot (const MhTool *tool)
{
  g_return_val_if_fail (tool != NULL, NULL);

  if (tool->face_slot == NULL || mh_tool_find_slot (tool, tool->face_slot) == NULL)
    return NULL;

  return tool->face_slot;
}

GError *
mh_face_check_verdict (const MhTool *tool,
                       guint         n_faces)
{
  if (n_faces == 0)
    return g_error_new_literal (MH_ERROR, MH_ERROR_UNPROCESSABLE,
                                _("No face was found in this photo. Choose a photo where one face is clearly visible; nothing was charged."));

  /* (Only the headshot limits the faces: its sentence says so.) */
  if (tool->max_faces > 0 && n_faces > tool->max_faces)
    return g_error_new (MH_ERROR, MH_ERROR_UNPROCESSABLE,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "This photo has %u face; a headshot needs exactly one. Choose a photo of one person; nothing was charged.",
                                     "This photo has %u faces; a headshot needs exactly one. Choose a photo of one person; nothing was charged.",
                                     n_faces),
                        n_faces);

  return NULL;
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The task returns a GStrv (NULL: skipped). */
static void
return_skipped (GTask *task)
{
  g_task_return_pointer (task, NULL, NULL);
  g_object_unref (task);
}

static void poll_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
slept_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  FaceCheck *check = g_task_get_task_data (task);
  GError *error = NULL;

  if (!mh_sleep_finish (result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  mh_client_call_async (check->client, "GET", check->path, NULL, MH_CALL_IDEMPOTENT,
                        _("Looking for a face in the photo"),
                        g_task_get_cancellable (task), poll_cb, task);
}

static void
poll_later (GTask *task)
{
  FaceCheck *check = g_task_get_task_data (task);
  double scale = mh_client_get_poll_scale (check->client);

  if (g_get_monotonic_time () - check->started > MAX_WAIT_US)
    {
      g_debug ("Face detection took too long: skipped");
      return_skipped (task);
      return;
    }

  mh_sleep_async (check->delay * scale, g_task_get_cancellable (task), slept_cb, task);
  check->delay = MIN (check->delay * 1.5, MAX_DELAY);
}

/* The check is a free courtesy before the create: when Magic Hour cannot
 * answer it (a server error or the network, after the client's retries; an
 * answer that cannot be read) the job goes on and the create decides, as it
 * did before the check existed. A refusal (the key, the photo) fails the
 * job: the create would meet it too. */
static void
fail_or_skip (GTask  *task,
              GError *error)
{
  if (error == NULL || mh_error_is_transient (error) ||
      g_error_matches (error, MH_ERROR, MH_ERROR_MALFORMED))
    {
      g_debug ("Face detection could not answer (%s): skipped",
               error != NULL ? error->message : "no answer");
      g_clear_error (&error);
      return_skipped (task);
      return;
    }

  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
poll_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  FaceCheck *check = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  JsonObject *object;
  JsonNode *faces_node;
  const char *status;
  g_autoptr(GPtrArray) urls = NULL;

  node = mh_client_call_finish (check->client, result, &error);
  if (node == NULL)
    {
      fail_or_skip (task, error);
      return;
    }

  object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  status = string_member (object, "status");

  if (g_strcmp0 (status, "error") == 0 || g_strcmp0 (status, "canceled") == 0)
    {
      /* Magic Hour could not tell: the create decides, as it did before. */
      g_debug ("Face detection ended in %s: skipped", status);
      return_skipped (task);
      return;
    }
  if (g_strcmp0 (status, "complete") != 0)
    {
      poll_later (task);
      return;
    }

  urls = g_ptr_array_new_with_free_func (g_free);
  faces_node = object != NULL ? json_object_get_member (object, "faces") : NULL;
  if (faces_node != NULL && JSON_NODE_HOLDS_ARRAY (faces_node))
    {
      JsonArray *faces = json_node_get_array (faces_node);

      for (guint i = 0; i < json_array_get_length (faces); i++)
        {
          JsonNode *face = json_array_get_element (faces, i);
          const char *url = JSON_NODE_HOLDS_OBJECT (face) ?
                            string_member (json_node_get_object (face), "url") : NULL;

          /* A face without a usable crop still counts. */
          g_ptr_array_add (urls, g_strdup (url != NULL && mh_client_is_web_url (url) ? url : ""));
        }
    }
  g_ptr_array_add (urls, NULL);

  g_task_return_pointer (task, g_ptr_array_steal (urls, NULL), (GDestroyNotify) g_strfreev);
  g_object_unref (task);
}

static void
posted_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  FaceCheck *check = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  const char *id;

  node = mh_client_call_finish (check->client, result, &error);
  if (node == NULL && g_error_matches (error, MH_ERROR, MH_ERROR_NOT_FOUND))
    {
      /* A server from before face detection. */
      g_debug ("No face detection at this server: skipped");
      g_error_free (error);
      return_skipped (task);
      return;
    }
  if (node == NULL)
    {
      fail_or_skip (task, error);
      return;
    }

  id = string_member (JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL, "id");
  if (id == NULL || *id == '\0' || strchr (id, '/') != NULL || strchr (id, '?') != NULL)
    {
      fail_or_skip (task, g_error_new_literal (MH_ERROR, MH_ERROR_MALFORMED,
                                               "no usable id in the face detection's answer"));
      return;
    }

  check->path = g_strconcat ("/v1/face-detection/", id, NULL);
  check->started = g_get_monotonic_time ();
  check->delay = FIRST_DELAY;
  poll_later (task);
}

void
mh_face_check_async (MhClient            *client,
                     const char          *target_file_path,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task;
  FaceCheck *check;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (MH_IS_CLIENT (client));
  g_return_if_fail (target_file_path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mh_face_check_async);
  check = g_new0 (FaceCheck, 1);
  check->client = g_object_ref (client);
  g_task_set_task_data (task, check, (GDestroyNotify) face_check_free);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "assets");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "target_file_path");
  json_builder_add_string_value (builder, target_file_path);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "confidence_score");
  json_builder_add_double_value (builder, CONFIDENCE_SCORE);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  /* Free, and a second detection harms nothing: safe to send again. */
  mh_client_call_async (client, "POST", "/v1/face-detection", body, MH_CALL_IDEMPOTENT,
                        _("Looking for a face in the photo"), cancellable, posted_cb, task);
}

gboolean
mh_face_check_finish (GAsyncResult  *result,
                      GStrv         *face_urls,
                      GError       **error)
{
  GError *local = NULL;
  GStrv urls;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  urls = g_task_propagate_pointer (G_TASK (result), &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      if (face_urls != NULL)
        *face_urls = NULL;
      return FALSE;
    }

  if (face_urls != NULL)
    *face_urls = urls;
  else
    g_strfreev (urls);

  return TRUE;
}
