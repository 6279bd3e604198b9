/* mh-sim-storage.c: the simulator's storage
 *
 * POST /v1/files/upload-urls, the presigned PUT target, the assets a create
 * refers to, signed download grants and the downloads of outputs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mh-media.h"
#include "mh-sim-private.h"

gint64
sim_lifetime_us (double seconds)
{
  return (gint64) (seconds * G_USEC_PER_SEC);
}

/* The Unix time that goes into a URL: rounded up, so a URL never claims to
 * expire before it does. */
gint64
sim_url_expires (gint64 expires_us)
{
  return (expires_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
}

/* A URL of the storage for @path (nothing in it to escape) that
 * sim_check_signed_url() accepts for @what until @lifetime_s from now. */
char *
sim_signed_storage_url (MhSimulator *self,
                        const char  *path,
                        const char  *what,
                        double       lifetime_s)
{
  gint64 expires = sim_url_expires (g_get_real_time () + sim_lifetime_us (lifetime_s));
  g_autofree char *signature = sim_sign (self, what, expires);

  return g_strdup_printf ("%s/storage/%s?expires=%" G_GINT64_FORMAT "&signature=%s",
                          self->base_url, path, expires, signature);
}

/* Whether the query of @ex signs @what and has not expired; otherwise
 * answers 403 as object storage does and returns FALSE. */
gboolean
sim_check_signed_url (MhSimulator *self,
                      SimExchange *ex,
                      const char  *what)
{
  g_autoptr(GHashTable) params = NULL;
  const char *signature = NULL;
  const char *expires_text = NULL;
  g_autofree char *expected = NULL;
  gint64 expires;

  if (ex->req->query != NULL)
    params = g_uri_parse_params (ex->req->query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params != NULL)
    {
      signature = g_hash_table_lookup (params, "signature");
      expires_text = g_hash_table_lookup (params, "expires");
    }
  expires = expires_text != NULL ? g_ascii_strtoll (expires_text, NULL, 10) : 0;
  expected = sim_sign (self, what, expires);
  if (signature == NULL || !g_str_equal (signature, expected))
    {
      sim_respond_error (ex, SOUP_STATUS_FORBIDDEN,
                         "SignatureDoesNotMatch: the request signature does not match");
      return FALSE;
    }
  if (g_get_real_time () / G_USEC_PER_SEC >= expires)
    {
      sim_respond_error (ex, SOUP_STATUS_FORBIDDEN, "AccessDenied: Request has expired");
      return FALSE;
    }

  return TRUE;
}

/* Percent-encodes a path segment: keeps what is already %XX-encoded, encodes
 * '/', controls, spaces, non-ASCII and the segments "." and "..". */
char *
sim_encode_segment (const char *text)
{
  GString *out = g_string_new (NULL);

  if (g_str_equal (text, ".") || g_str_equal (text, ".."))
    {
      for (const char *p = text; *p != '\0'; p++)
        g_string_append (out, "%2E");
      return g_string_free (out, FALSE);
    }

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p == '%' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
        g_string_append_c (out, '%');
      else if (g_ascii_isalnum (*p) || strchr ("-._~!$&'()*+,;=:@", *p) != NULL)
        g_string_append_c (out, *p);
      else
        g_string_append_printf (out, "%%%02X", *p);
    }

  if (out->len == 0)
    g_string_append (out, "%20");

  return g_string_free (out, FALSE);
}

DownloadGrant *
sim_project_new_grant (MhSimulator *self,
                       SimProject  *project,
                       gint64       expires_us)
{
  DownloadGrant *grant = g_new0 (DownloadGrant, 1);
  g_autofree char *what = NULL;
  g_autofree char *nonce = sim_random_string (self, "0123456789abcdef", 16);

  grant->name = g_strdup (project->download_name);
  grant->expires_us = expires_us;
  /* Every GET hands out a new URL, even within the same second. */
  what = g_strdup_printf ("%s/%s/%s", project->id, grant->name, nonce);
  grant->signature = sim_sign (self, what, sim_url_expires (grant->expires_us));

  if (project->grants->len >= MAX_GRANTS_PER_PROJECT)
    g_ptr_array_remove_index (project->grants, 0);
  g_ptr_array_add (project->grants, grant);

  return grant;
}
static char *
extensions_list (MhAssetType type)
{
  return g_strjoinv (", ", (char **) mh_asset_type_extensions (type));
}

/* Whether upload-urls gave out @file_path (its URL need not be used). */
static gboolean
was_handed_out (MhSimulator *self,
                const char  *file_path)
{
  GHashTableIter iter;
  UploadSlot *slot;

  g_hash_table_iter_init (&iter, self->upload_slots);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &slot))
    if (g_str_equal (slot->file_path, file_path))
      return TRUE;

  return FALSE;
}

/* An asset field: an http(s) URL is taken as it is; an api-assets/ path must
 * have been uploaded, a saved-items/ path be in the library. Sets a 422
 * message on a problem. */
gboolean
sim_check_asset (MhSimulator    *self,
                 const SimTool  *tool,
                 const char     *value,
                 const char     *path,
                 MhAssetType     type,
                 char          **message)
{
  g_autofree char *extension = NULL;

  if (g_str_has_prefix (value, "http://") || g_str_has_prefix (value, "https://"))
    return TRUE;

  if (g_str_has_prefix (value, "saved-items/"))
    return sim_check_saved_item (self, tool, value, path, type, message);

  if (!g_str_has_prefix (value, "api-assets/"))
    {
      *message = g_strdup_printf ("Unable to create %s: %s must be a URL, the file_path "
                                  "of an uploaded file or of a saved item", tool->what, path);
      return FALSE;
    }

  /* With an external storage (benchmarks) the uploads go elsewhere: what
   * counts is that this server handed the path out, not what arrived. */
  if (!g_hash_table_contains (self->uploads, value) &&
      !(self->storage_url != NULL && was_handed_out (self, value)))
    {
      *message = g_strdup_printf ("Unable to create %s: the file %s was not found; "
                                  "upload it first", tool->what, value);
      return FALSE;
    }

  extension = mh_path_get_extension (value);
  if (!mh_asset_type_accepts (type, extension))
    {
      g_autofree char *valid = extensions_list (type);

      *message = g_strdup_printf ("Unable to create %s: %s is not a valid %s file; "
                                  "valid extensions: %s", tool->what, path,
                                  mh_asset_type_to_string (type), valid);
      return FALSE;
    }

  return TRUE;
}

void
sim_handle_upload_urls (MhSimulator *self,
                        SimExchange *ex)
{
  JsonObject *body;
  JsonNode *items_node;
  JsonArray *items;
  JsonArray *answer_items;
  JsonObject *answer;
  JsonNode *node;
  g_autofree char *message = NULL;
  gboolean expired = sim_exchange_has_fault (ex, MH_SIM_FAULT_EXPIRED_URL);
  guint n;

  if (ex->req->json == NULL || !JSON_NODE_HOLDS_OBJECT (ex->req->json))
    {
      sim_respond_error (ex, SOUP_STATUS_BAD_REQUEST, "The request body must be a JSON object");
      return;
    }
  body = json_node_get_object (ex->req->json);

  if (sim_get_member (body, "items", "items", TRUE, &items_node, &message) == FIELD_INVALID)
    {
      sim_respond_error (ex, SOUP_STATUS_BAD_REQUEST, message);
      return;
    }
  if (!JSON_NODE_HOLDS_ARRAY (items_node))
    {
      sim_respond_error (ex, SOUP_STATUS_BAD_REQUEST, "items must be an array");
      return;
    }
  items = json_node_get_array (items_node);
  n = json_array_get_length (items);
  if (n == 0)
    {
      sim_respond_error (ex, SOUP_STATUS_BAD_REQUEST, "items must contain at least one item");
      return;
    }

  /* Validate everything before handing anything out. */
  for (guint i = 0; i < n; i++)
    {
      JsonNode *item_node = json_array_get_element (items, i);
      JsonObject *item;
      const char *type, *extension;
      g_autofree char *type_path = g_strdup_printf ("items[%u].type", i);
      g_autofree char *ext_path = g_strdup_printf ("items[%u].extension", i);
      MhAssetType asset_type;

      if (!JSON_NODE_HOLDS_OBJECT (item_node))
        {
          sim_respond_errorf (ex, SOUP_STATUS_BAD_REQUEST, "items[%u] must be an object", i);
          return;
        }
      item = json_node_get_object (item_node);

      if (sim_get_string (item, "type", type_path, TRUE, &type, &message) == FIELD_INVALID ||
          sim_get_string (item, "extension", ext_path, TRUE, &extension, &message) == FIELD_INVALID)
        {
          sim_respond_error (ex, SOUP_STATUS_BAD_REQUEST, message);
          return;
        }

      if (g_str_equal (type, "video"))
        asset_type = MH_ASSET_VIDEO;
      else if (g_str_equal (type, "audio"))
        asset_type = MH_ASSET_AUDIO;
      else if (g_str_equal (type, "image"))
        asset_type = MH_ASSET_IMAGE;
      else
        {
          sim_respond_errorf (ex, SOUP_STATUS_BAD_REQUEST,
                              "%s must be one of: video, audio, image", type_path);
          return;
        }

      for (const char *p = extension; *p != '\0'; p++)
        if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p))
          {
            sim_respond_errorf (ex, SOUP_STATUS_BAD_REQUEST,
                                "%s must match ^[a-z0-9]+$ (lower case, without the dot)",
                                ext_path);
            return;
          }

      if (!mh_asset_type_accepts (asset_type, extension))
        {
          g_autofree char *valid = extensions_list (asset_type);

          sim_respond_errorf (ex, 422, "Invalid extension '%s' for %s files; valid extensions: %s",
                              extension, type, valid);
          return;
        }
    }

  answer_items = json_array_new ();
  for (guint i = 0; i < n; i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *extension = json_object_get_string_member (item, "extension");
      JsonObject *out = json_object_new ();
      UploadSlot *slot = g_new0 (UploadSlot, 1);
      g_autofree char *token = sim_random_string (self, "0123456789abcdef", 32);
      g_autofree char *asset_id = sim_new_cuid (self);
      g_autofree char *name = sim_random_string (self, "0123456789abcdef", 16);
      g_autofree char *url = NULL;
      g_autofree char *expires_at = NULL;

      slot->file_path = g_strdup_printf ("api-assets/%s/%s.%s", asset_id, name, extension);
      slot->expires_us = expired ?
                         g_get_real_time () - G_USEC_PER_SEC :
                         g_get_real_time () + sim_lifetime_us (self->upload_url_lifetime);
      slot->signature = sim_sign (self, token, sim_url_expires (slot->expires_us));
      if (self->storage_url != NULL)
        /* An external receiver: it keeps nothing, so the URL names the
         * file, for its log to tell what arrived where. */
        url = g_strdup_printf ("%s/%s?expires=%" G_GINT64_FORMAT "&signature=%s",
                               self->storage_url, slot->file_path,
                               sim_url_expires (slot->expires_us), slot->signature);
      else
        url = g_strdup_printf ("%s/storage/upload/%s?expires=%" G_GINT64_FORMAT "&signature=%s",
                               self->base_url, token, sim_url_expires (slot->expires_us),
                               slot->signature);
      expires_at = sim_format_iso8601 (slot->expires_us);

      json_object_set_string_member (out, "upload_url", url);
      json_object_set_string_member (out, "expires_at", expires_at);
      json_object_set_string_member (out, "file_path", slot->file_path);
      json_array_add_object_element (answer_items, out);

      g_hash_table_replace (self->upload_slots, g_steal_pointer (&token), slot);
    }

  answer = json_object_new ();
  json_object_set_array_member (answer, "items", answer_items);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, answer);
  sim_respond_json (ex, SOUP_STATUS_OK, node);
}

static const char *
query_param (const char *query,
             const char *name,
             char      **storage)
{
  g_autoptr(GHashTable) params = NULL;

  if (query == NULL)
    return NULL;

  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL)
    return NULL;

  *storage = g_strdup (g_hash_table_lookup (params, name));
  return *storage;
}

/* The length of the media uploaded, read from its bytes when they were
 * all kept; -1 when they were not or do not tell. */
static double
upload_media_seconds (GByteArray *head,
                      guint64     size)
{
  g_autoptr(GInputStream) stream = NULL;
  double seconds = -1;

  if (head == NULL || head->len == 0 || head->len != size)
    return -1;
  stream = g_memory_input_stream_new_from_data (head->data, head->len, NULL);
  if (!mh_media_read_duration_from_stream (stream, &seconds, NULL, NULL))
    return -1;
  return seconds;
}

void
sim_handle_upload (MhSimulator *self,
                   SimExchange *ex,
                   const char  *token)
{
  UploadSlot *slot = g_hash_table_lookup (self->upload_slots, token);
  UploadRecord *record;
  g_autofree char *signature_storage = NULL;
  const char *signature = query_param (ex->req->query, "signature", &signature_storage);
  SoupMessageHeaders *headers;

  if (ex->req->chunked || ex->req->content_length < 0)
    {
      sim_respond_error (ex, SOUP_STATUS_LENGTH_REQUIRED,
                         "Length Required: chunked uploads are not supported");
      return;
    }

  if (slot == NULL || g_strcmp0 (signature, slot->signature) != 0)
    {
      sim_respond_error (ex, SOUP_STATUS_FORBIDDEN,
                         "SignatureDoesNotMatch: the request signature does not match");
      return;
    }

  if (g_get_real_time () >= slot->expires_us)
    {
      sim_respond_error (ex, SOUP_STATUS_FORBIDDEN, "AccessDenied: Request has expired");
      return;
    }

  ex->req->body_sha256 = g_strdup (g_checksum_get_string (ex->sha));

  record = g_new0 (UploadRecord, 1);
  record->size = ex->received;
  record->sha256 = g_strdup (ex->req->body_sha256);
  record->seconds = upload_media_seconds (ex->head, ex->received);
  if (self->upload_keep_bytes > 0)
    record->head = g_bytes_new (ex->head->data, MIN (ex->head->len, self->upload_keep_bytes));
  g_debug ("stored %s: %" G_GUINT64_FORMAT " bytes, %.3f s of media", slot->file_path,
           record->size, record->seconds);
  g_hash_table_replace (self->uploads, g_strdup (slot->file_path), record);

  headers = soup_server_message_get_response_headers (ex->msg);
  soup_message_headers_replace (headers, "ETag", record->sha256);

  if (sim_exchange_has_fault (ex, MH_SIM_FAULT_MALFORMED))
    {
      sim_respond_json (ex, SOUP_STATUS_OK, NULL);
      return;
    }

  soup_server_message_set_status (ex->msg, SOUP_STATUS_OK, NULL);
}

void
sim_handle_download (MhSimulator *self,
                     SimExchange *ex,
                     const char  *rest)
{
  g_auto(GStrv) parts = g_strsplit (rest, "/", -1);
  g_autofree char *signature_storage = NULL;
  const char *signature = query_param (ex->req->query, "signature", &signature_storage);
  SimProject *project;
  DownloadGrant *grant = NULL;
  guint64 total;

  if (g_strv_length (parts) != 2 ||
      (project = g_hash_table_lookup (self->projects, parts[0])) == NULL ||
      !project->enabled)
    {
      sim_respond_error (ex, SOUP_STATUS_NOT_FOUND, "Not Found");
      return;
    }

  for (guint i = 0; i < project->grants->len; i++)
    {
      DownloadGrant *candidate = g_ptr_array_index (project->grants, i);

      if (g_strcmp0 (candidate->signature, signature) == 0 &&
          g_str_equal (candidate->name, parts[1]))
        grant = candidate;
    }

  if (grant == NULL)
    {
      sim_respond_error (ex, SOUP_STATUS_FORBIDDEN,
                         "SignatureDoesNotMatch: the request signature does not match");
      return;
    }
  if (g_get_real_time () >= grant->expires_us)
    {
      sim_respond_error (ex, SOUP_STATUS_FORBIDDEN, "AccessDenied: Request has expired");
      return;
    }

  if (sim_exchange_has_fault (ex, MH_SIM_FAULT_MALFORMED))
    {
      sim_respond_json (ex, SOUP_STATUS_OK, NULL);
      return;
    }

  ex->output = mh_sim_output_new (project->tool->image ? MH_SIM_MEDIA_PNG : MH_SIM_MEDIA_MP4,
                                  project->output_bytes);
  total = mh_sim_output_get_size (ex->output);
  if (sim_exchange_has_fault (ex, MH_SIM_FAULT_STALL))
    sim_exchange_stream (ex, SOUP_STATUS_OK, mh_sim_output_content_type (ex->output), total,
                         ex->fault.code >= 0 ? MIN ((guint64) ex->fault.code, total - 1) : total / 2);
  else
    sim_exchange_stream (ex, SOUP_STATUS_OK, mh_sim_output_content_type (ex->output), total,
                         sim_exchange_has_fault (ex, MH_SIM_FAULT_DROP) ? total / 2 : total);
}
