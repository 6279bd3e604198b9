/* mh-job-upload.c: a job's local files, sent to Magic Hour's storage
 *
 * Upload URLs asked for in one call, each file streamed by a PUT with its
 * progress, an expired URL renewed, and the file paths the create sends.
 * A speech file of which a talking photo uses a small part is cut to that
 * part first (mh-cut.h); the create then sends the cut's range, the job's
 * params (history, Run Again) keep the file and the range as given, and
 * the cut is removed when the job ends. Part of MhJob (mh-job-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "mh-error.h"
#include "mh-job-private.h"
#include "mh-media.h"
#include "mh-params.h"
#include "mh-upload.h"
#include "mh-validate.h"

static void upload_next (MhJob *self);
static void request_upload_urls (MhJob *self, guint first, guint count);

void
mh_job_upload_item_free (UploadItem *item)
{
  g_clear_object (&item->file);
  g_clear_pointer (&item->cut, mh_cut_free);
  g_free (item->upload_url);
  g_free (item->file_path);
  g_free (item);
}

/* What is sent for @item: the file, or the part of it that was cut. */
static GFile *
item_sent_file (UploadItem *item)
{
  return item->cut != NULL ? item->cut->file : item->file;
}

static guint64
item_sent_size (UploadItem *item)
{
  return item->cut != NULL ? item->cut->size : item->size;
}

/* "3 s", "2.5 s", "1:30.0": a part's length, in the words of a sentence. */
static char *
format_length (double seconds)
{
  double tenths = round (seconds * 10) / 10;
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  if (tenths >= 60)
    return mh_format_time (seconds);
  if (tenths == floor (tenths))
    g_snprintf (number, sizeof number, "%d", (int) tenths);
  else
    g_snprintf (number, sizeof number, "%.1f", tenths);
  /* Translators: a length in seconds, as in "Uploading 3 s of speech.wav" */
  return g_strdup_printf (_("%s s"), number);
}

/* "Uploading 3 s of speech.wav (576.0 kB) instead of 460.8 MB",
 * "Uploading video.mp4 (460.8 MB)": what goes, and how much. */
static char *
describe_upload (UploadItem *item)
{
  g_autofree char *path = g_file_get_path (item->file);
  g_autofree char *name = path != NULL ? g_filename_display_basename (path)
                                       : g_file_get_uri (item->file);
  g_autofree char *size = mh_format_size (item->size);

  if (item->cut != NULL)
    {
      g_autofree char *length = format_length (item->cut->seconds);
      g_autofree char *cut_size = mh_format_size (item->cut->size);

      /* Translators: "Uploading 3 s of speech.wav (576.0 kB) instead of
       * 460.8 MB": only the part of the file the job uses is uploaded */
      return g_strdup_printf (_("Uploading %s of %s (%s) instead of %s"),
                              length, name, cut_size, size);
    }
  /* Translators: "Uploading video.mp4 (460.8 MB)" */
  return g_strdup_printf (_("Uploading %s (%s)"), name, size);
}

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
  self->upload_base += item_sent_size (item);
  self->upload_index++;
  self->attempt = 0;
  upload_next (self);
}

static void
upload_next (MhJob *self)
{
  UploadItem *item;
  g_autofree char *text = NULL;

  if (self->upload_index >= self->uploads->len)
    {
      mh_job_create_start (self);
      return;
    }

  item = g_ptr_array_index (self->uploads, self->upload_index);
  text = describe_upload (item);
  mh_job_set_message (self, text);

  mh_upload_put_async (self->client, item_sent_file (item), item->upload_url,
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
      g_autofree char *path = g_file_get_path (item_sent_file (item));
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

      /* Only the length of a file that may be cut: a read of its header. */
      item->seconds = -1;
      if (item->slot->cut_to_range && item->size > MH_CUT_MIN_FILE_BYTES &&
          !mh_media_read_duration (item->file, &item->seconds, cancellable, NULL))
        item->seconds = -1;
    }
  g_task_return_boolean (task, TRUE);
}

static void
upload_all (MhJob *self)
{
  guint64 total = 0;

  for (guint i = 0; i < self->uploads->len; i++)
    total += item_sent_size (g_ptr_array_index (self->uploads, i));

  self->upload_index = 0;
  self->upload_base = 0;
  self->attempt = 0;
  mh_job_set_state (self, MH_JOB_STATE_UPLOADING, _("Uploading…"));
  mh_job_set_bytes (self, 0, total);
  request_upload_urls (self, 0, self->uploads->len);
}

static gboolean
item_get_range (MhJob      *self,
                UploadItem *item,
                double     *start,
                double     *end)
{
  return item->slot->cut_to_range && self->tool->has_time_range &&
         mh_params_get_number (self->params, "start", start) &&
         mh_params_get_number (self->params, "end", end);
}

static void cut_next (MhJob *self, guint from);

static void
cut_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  MhJob *self = user_data;
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self), "mh-cut-index"));
  UploadItem *item = g_ptr_array_index (self->uploads, index);
  GError *error = NULL;

  item->cut = mh_cut_audio_finish (result, &error);
  if (item->cut == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      mh_job_fail (self, error);
      return;
    }

  /* Cutting only saves time: a file this machine cannot cut (a codec
   * GStreamer lacks here) goes whole, and Magic Hour judges it. */
  if (item->cut == NULL)
    {
      g_debug ("Uploading the whole file: %s", error->message);
      g_error_free (error);
    }
  else
    g_debug ("cut %.3f s of %" G_GUINT64_FORMAT " bytes into %" G_GUINT64_FORMAT " bytes",
             item->cut->seconds, item->size, item->cut->size);
  cut_next (self, index + 1);
}

/* Cuts the next file, from the item @from, that is better cut than sent
 * whole; uploads them all once none is left. */
static void
cut_next (MhJob *self,
          guint  from)
{
  for (guint i = from; i < self->uploads->len; i++)
    {
      UploadItem *item = g_ptr_array_index (self->uploads, i);
      g_autofree char *path = NULL, *name = NULL, *length = NULL, *text = NULL;
      double start, end;

      if (item->cut != NULL || !item_get_range (self, item, &start, &end) ||
          !mh_cut_is_worth_it (item->slot, item->size, item->seconds, start, end))
        continue;

      path = g_file_get_path (item->file);
      name = path != NULL ? g_filename_display_basename (path) : g_file_get_uri (item->file);
      length = format_length (MIN (end, item->seconds) - start);
      /* Translators: "Cutting 3 s out of speech.wav…": the part to upload */
      text = g_strdup_printf (_("Cutting %s out of %s…"), length, name);
      mh_job_set_state (self, MH_JOB_STATE_UPLOADING, text);

      g_object_set_data (G_OBJECT (self), "mh-cut-index", GUINT_TO_POINTER (i));
      mh_cut_audio_async (item->file, start, end, self->cancellable, cut_cb, self);
      return;
    }

  upload_all (self);
}

static void
sized_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  MhJob *self = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      mh_job_fail (self, error);
      return;
    }

  cut_next (self, 0);
}

GHashTable *
mh_job_upload_body_params (MhJob *self)
{
  GHashTable *params;

  for (guint i = 0; self->uploads != NULL && i < self->uploads->len; i++)
    {
      UploadItem *item = g_ptr_array_index (self->uploads, i);
      char text[G_ASCII_DTOSTR_BUF_SIZE];
      double start, end, length;

      if (item->cut == NULL || !item_get_range (self, item, &start, &end))
        continue;

      /* The cut's own length, to the millisecond, but never more than the
       * range: the clip, and so the price, stay what was estimated. */
      length = MIN (round (item->cut->seconds * 1000) / 1000, end - start);
      params = mh_params_copy (self->params);
      mh_params_set (params, "start", "0");
      mh_params_set (params, "end", g_ascii_formatd (text, sizeof text, "%.3f", length));
      return params;
    }

  return g_hash_table_ref (self->params);
}

typedef struct
{
  GPtrArray *cuts;
  GTask     *task;
  GError    *error;
  void     (*then) (MhJob *self, GTask *task, GError *error);
} RemoveData;

static void
remove_data_free (RemoveData *data)
{
  g_ptr_array_unref (data->cuts);
  g_clear_object (&data->task);
  g_clear_error (&data->error);
  g_free (data);
}

static void
remove_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RemoveData *data = task_data;

  for (guint i = 0; i < data->cuts->len; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!mh_cut_remove (g_ptr_array_index (data->cuts, i), &error))
        g_warning ("Could not remove the cut speech: %s", error->message);
    }
  g_task_return_boolean (task, TRUE);
}

static void
removed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  MhJob *self = MH_JOB (source);
  RemoveData *data = g_task_get_task_data (G_TASK (result));

  data->then (self, g_steal_pointer (&data->task), g_steal_pointer (&data->error));
}

void
mh_job_upload_remove_cuts (MhJob  *self,
                           GTask  *task,
                           GError *error,
                           void  (*then) (MhJob  *self,
                                          GTask  *task,
                                          GError *error))
{
  g_autoptr(GPtrArray) cuts = g_ptr_array_new_with_free_func ((GDestroyNotify) mh_cut_free);
  g_autoptr(GTask) remove = NULL;
  RemoveData *data;

  for (guint i = 0; self->uploads != NULL && i < self->uploads->len; i++)
    {
      UploadItem *item = g_ptr_array_index (self->uploads, i);

      if (item->cut != NULL)
        g_ptr_array_add (cuts, g_steal_pointer (&item->cut));
    }
  if (cuts->len == 0)
    {
      then (self, task, error);
      return;
    }

  /* Not the job's cancellable: it may be what ended the job. */
  data = g_new0 (RemoveData, 1);
  data->cuts = g_steal_pointer (&cuts);
  data->task = task;
  data->error = error;
  data->then = then;
  remove = g_task_new (self, NULL, removed_cb, NULL);
  g_task_set_task_data (remove, data, (GDestroyNotify) remove_data_free);
  g_task_run_in_thread (remove, remove_thread);
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
