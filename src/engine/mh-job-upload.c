/* mh-job-upload.c: a job's local files, sent to Magic Hour's storage
 *
 * Upload URLs asked for in one call, each file streamed by a PUT with its
 * progress, an expired URL renewed, and the file paths the create sends.
 * Part of MhJob (mh-job-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mh-error.h"
#include "mh-job-private.h"
#include "mh-params.h"
#include "mh-upload.h"
#include "mh-validate.h"

static void upload_next (MhJob *self);
static void request_upload_urls (MhJob *self, guint first, guint count);

static void
renew_upload_url (MhJob *self)
{
  request_upload_urls (self, self->upload_index, 1);
}

static void
upload_progress_cb (guint64  done,
                    guint64  total,
                    gpointer user_data)
{
  MhJob *self = user_data;

  mh_job_set_bytes (self, self->upload_base + done, self->bytes_total);
}

static void
uploaded_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  MhJob *self = user_data;
  UploadItem *item = g_ptr_array_index (self->uploads, self->upload_index);
  GError *error = NULL;

  if (!mh_upload_put_finish (result, &error))
    {
      /* Progress goes back to where this file started. */
      mh_job_set_bytes (self, self->upload_base, self->bytes_total);
      mh_job_transfer_failed (self, error, renew_upload_url, upload_next);
      return;
    }

  g_hash_table_insert (self->assets, (gpointer) item->slot->key, g_strdup (item->file_path));
  self->upload_base += item->size;
  self->upload_index++;
  self->attempt = 0;
  upload_next (self);
}

static void
upload_next (MhJob *self)
{
  UploadItem *item;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  if (self->upload_index >= self->uploads->len)
    {
      mh_job_create_start (self);
      return;
    }

  item = g_ptr_array_index (self->uploads, self->upload_index);
  name = g_file_get_basename (item->file);
  /* Translators: %s is a file name */
  text = g_strdup_printf (_("Uploading %s…"), name);
  mh_job_set_message (self, text);

  mh_upload_put_async (self->client, item->file, item->upload_url,
                       upload_progress_cb, self, self->cancellable, uploaded_cb, self);
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
upload_urls_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  MhJob *self = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  guint first = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self), "mh-urls-first"));
  guint count = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self), "mh-urls-count"));
  JsonNode *items_node;
  JsonArray *items;

  node = mh_client_call_finish (self->client, result, &error);
  if (node == NULL)
    {
      mh_job_fail (self, error != NULL ? error
                   : g_error_new_literal (MH_ERROR, MH_ERROR_MALFORMED,
                   _("Magic Hour gave no upload links.")));
      return;
    }

  items_node = json_object_get_member (json_node_get_object (node), "items");
  if (items_node == NULL || !JSON_NODE_HOLDS_ARRAY (items_node) ||
      json_array_get_length (items = json_node_get_array (items_node)) != count)
    {
      mh_job_fail (self, g_error_new_literal (MH_ERROR, MH_ERROR_MALFORMED,
                   _("Magic Hour's answer with the upload links could not be read. Try again later.")));
      return;
    }

  for (guint i = 0; i < count; i++)
    {
      UploadItem *item = g_ptr_array_index (self->uploads, first + i);
      JsonNode *element = json_array_get_element (items, i);
      const char *url = NULL, *path = NULL;

      if (JSON_NODE_HOLDS_OBJECT (element))
        {
          url = get_string_member (json_node_get_object (element), "upload_url");
          path = get_string_member (json_node_get_object (element), "file_path");
        }
      if (url == NULL || path == NULL)
        {
          mh_job_fail (self, g_error_new_literal (MH_ERROR, MH_ERROR_MALFORMED,
                       _("Magic Hour's answer with the upload links could not be read. Try again later.")));
          return;
        }
      g_free (item->upload_url);
      item->upload_url = g_strdup (url);
      g_free (item->file_path);
      item->file_path = g_strdup (path);
    }

  upload_next (self);
}

/* One call for all the files (or for one whose link expired). */
static void
request_upload_urls (MhJob *self,
                     guint  first,
                     guint  count)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = first; i < first + count; i++)
    {
      UploadItem *item = g_ptr_array_index (self->uploads, i);
      g_autofree char *path = g_file_get_path (item->file);
      g_autofree char *ext = mh_path_get_extension (path);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, mh_asset_type_to_string (item->slot->type));
      json_builder_set_member_name (builder, "extension");
      json_builder_add_string_value (builder, ext);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  g_object_set_data (G_OBJECT (self), "mh-urls-first", GUINT_TO_POINTER (first));
  g_object_set_data (G_OBJECT (self), "mh-urls-count", GUINT_TO_POINTER (count));
  mh_client_call_async (self->client, "POST", "/v1/files/upload-urls", body, MH_CALL_IDEMPOTENT,
                        _("Preparing the upload"), self->cancellable, upload_urls_cb, self);
}

static void
sizes_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GPtrArray *uploads = task_data;
  GError *error = NULL;

  for (guint i = 0; i < uploads->len; i++)
    {
      UploadItem *item = g_ptr_array_index (uploads, i);
      goffset size;

      if (!mh_validate_local_file (item->slot, item->file, &size, cancellable, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      item->size = size;
    }
  g_task_return_boolean (task, TRUE);
}

static void
sized_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  MhJob *self = user_data;
  GError *error = NULL;
  guint64 total = 0;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      mh_job_fail (self, error);
      return;
    }

  for (guint i = 0; i < self->uploads->len; i++)
    total += ((UploadItem *) g_ptr_array_index (self->uploads, i))->size;

  self->upload_index = 0;
  self->upload_base = 0;
  self->attempt = 0;
  mh_job_set_state (self, MH_JOB_STATE_UPLOADING, _("Uploading…"));
  mh_job_set_bytes (self, 0, total);
  request_upload_urls (self, 0, self->uploads->len);
}

void
mh_job_upload_start (MhJob *self)
{
  GTask *task;

  /* A job run again (after a failure) starts its uploads afresh. */
  self->face_checked = FALSE;
  g_clear_pointer (&self->assets, g_hash_table_unref);
  g_clear_pointer (&self->uploads, g_ptr_array_unref);
  self->assets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  self->uploads = g_ptr_array_new_with_free_func ((GDestroyNotify) mh_job_upload_item_free);

  for (guint i = 0; i < self->tool->n_slots; i++)
    {
      const MhAssetSlot *slot = &self->tool->slots[i];
      const char *value = mh_params_get (self->params, slot->key);
      UploadItem *item;

      if (value == NULL || mh_asset_value_classify (value) != MH_ASSET_VALUE_FILE)
        continue;

      item = g_new0 (UploadItem, 1);
      item->slot = slot;
      item->file = mh_asset_value_get_file (value);
      g_ptr_array_add (self->uploads, item);
    }

  if (self->uploads->len == 0)
    {
      mh_job_create_start (self);
      return;
    }

  task = g_task_new (NULL, self->cancellable, sized_cb, self);
  g_task_set_task_data (task, g_ptr_array_ref (self->uploads), (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, sizes_thread);
  g_object_unref (task);
}
