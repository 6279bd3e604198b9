/* mh-sim-http.c: the simulator's requests in flight
 *
 * One SimExchange per request: reading and hashing its body, streaming an
 * answer chunk by chunk, answering JSON and errors (with the DROP, MALFORMED,
 * SLOW and STALL faults applied), reading request bodies the way the API
 * does, authentication and routing to the endpoints.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mh-sim-private.h"

static void sim_dispatch (MhSimulator *self,
                          SimExchange *ex);

static const char *
default_message (guint status)
{
  switch (status)
    {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 411: return "Length Required";
    case 422: return "Unable to create the project";
    case 429: return "Too many requests";
    case 500: return "Internal server error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default:
      return soup_status_get_phrase (status) != NULL ? soup_status_get_phrase (status) : "Error";
    }
}
/* ------------------------------------------------------------------------ */
/* Requests in flight                                                       */

static void
sim_exchange_free (SimExchange *ex)
{
  if (ex->self != NULL)
    g_hash_table_remove (ex->self->exchanges, ex);
  if (ex->source != NULL)
    {
      g_source_destroy (ex->source);
      g_clear_pointer (&ex->source, g_source_unref);
    }
  sim_request_unref (ex->req);
  sim_fault_clear (&ex->fault);
  g_clear_pointer (&ex->sha, g_checksum_free);
  g_clear_pointer (&ex->head, g_byte_array_unref);
  g_clear_pointer (&ex->output, mh_sim_output_free);
  g_clear_pointer (&ex->body, g_bytes_unref);
  g_free (ex);
}

static SimExchange *
exchange_get (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), EXCHANGE_KEY);
}

static const char *
classify (const char *method,
          const char *path)
{
  if (g_str_equal (path, "/v1/files/upload-urls"))
    return MH_SIM_ENDPOINT_UPLOAD_URLS;
  if (g_str_has_prefix (path, "/storage/upload/"))
    return MH_SIM_ENDPOINT_UPLOAD;
  if (g_str_has_prefix (path, "/storage/output/"))
    return MH_SIM_ENDPOINT_DOWNLOAD;
  if (g_str_equal (path, "/v1/account"))
    return MH_SIM_ENDPOINT_ACCOUNT;
  if (g_str_equal (path, "/v1/face-detection"))
    return MH_SIM_ENDPOINT_FACE_DETECTION;
  if (g_str_has_prefix (path, "/v1/face-detection/"))
    return MH_SIM_ENDPOINT_FACE_STATUS;
  if (g_str_has_prefix (path, "/storage/faces/"))
    return MH_SIM_ENDPOINT_FACE_CROP;
  if (g_str_equal (path, "/v1/saved-items"))
    return MH_SIM_ENDPOINT_SAVED_ITEMS;
  if (g_str_has_prefix (path, "/storage/saved-items/"))
    return MH_SIM_ENDPOINT_SAVED_ITEM_FILE;
  for (guint i = 0; i < G_N_ELEMENTS (sim_tools); i++)
    if (g_str_equal (path, sim_tools[i].endpoint))
      return MH_SIM_ENDPOINT_CREATE;
  if (g_str_has_prefix (path, "/v1/video-projects/") ||
      g_str_has_prefix (path, "/v1/image-projects/"))
    {
      if (g_str_equal (method, "GET"))
        return MH_SIM_ENDPOINT_PROJECT;
      if (g_str_equal (method, "DELETE"))
        return MH_SIM_ENDPOINT_DELETE;
    }

  return NULL;
}


static gboolean
drop_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;
  SimExchange *ex = exchange_get (msg);
  g_autoptr(GIOStream) stream = NULL;

  g_clear_pointer (&ex->source, g_source_unref);
  if (ex->self == NULL || ex->gone)
    return G_SOURCE_REMOVE;

  ex->req->status = 0;
  ex->gone = TRUE;
  stream = soup_server_message_steal_connection (msg);
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);

  return G_SOURCE_REMOVE;
}

/* Breaks the connection from an idle: never from inside libsoup's I/O. The
 * message must be paused (or have run out of body to write). */
/* Sources go to the context the simulator was started on, which need not be
 * the global default one. */
static void
exchange_attach_source (SimExchange *ex,
                        GSource     *source,
                        GSourceFunc  func)
{
  g_assert (ex->source == NULL);

  g_source_set_callback (source, func, g_object_ref (ex->msg), g_object_unref);
  g_source_attach (source, ex->self->context);
  ex->source = source;
}

static void
exchange_schedule_drop (SimExchange *ex)
{
  if (ex->source != NULL || ex->self == NULL)
    return;

  exchange_attach_source (ex, g_idle_source_new (), drop_cb);
}

static void
msg_got_chunk (SoupServerMessage *msg,
               GBytes            *chunk,
               MhSimulator       *self)
{
  SimExchange *ex = exchange_get (msg);
  gsize len;
  const guint8 *data;

  if (ex == NULL || ex->gone)
    return;

  data = g_bytes_get_data (chunk, &len);
  ex->received += len;
  ex->req->body_bytes = ex->received;
  if (ex->sha != NULL)
    g_checksum_update (ex->sha, data, len);
  if (ex->head != NULL)
    {
      guint64 keep = MAX (SIM_UPLOAD_HEAD_BYTES, self->upload_keep_bytes);

      if (ex->head->len < keep)
        g_byte_array_append (ex->head, data, MIN (len, keep - ex->head->len));
    }

  if (g_str_equal (ex->req->method, "PUT") &&
      sim_exchange_has_fault (ex, MH_SIM_FAULT_DROP) && ex->source == NULL &&
      (ex->expected < 0 || ex->received * 2 >= (guint64) ex->expected))
    {
      soup_server_message_pause (msg);
      exchange_schedule_drop (ex);
    }

  /* Never resumed: the client's writes block once the socket is full. */
  if (g_str_equal (ex->req->method, "PUT") &&
      sim_exchange_has_fault (ex, MH_SIM_FAULT_STALL) && !ex->stalled &&
      (ex->fault.code >= 0 ? ex->received >= (guint64) ex->fault.code
                           : ex->expected < 0 || ex->received * 2 >= (guint64) ex->expected))
    {
      ex->stalled = TRUE;
      soup_server_message_pause (msg);
    }
}

static void
msg_wrote_headers (SoupServerMessage *msg,
                   MhSimulator       *self)
{
  SimExchange *ex = exchange_get (msg);

  if (ex != NULL)
    ex->req->status = soup_server_message_get_status (msg);
}

static void
msg_gone (SoupServerMessage *msg,
          MhSimulator       *self)
{
  SimExchange *ex = exchange_get (msg);

  if (ex != NULL)
    ex->gone = TRUE;
}

static void
exchange_supply_chunk (SimExchange *ex)
{
  SoupMessageBody *body = soup_server_message_get_response_body (ex->msg);
  guint64 n = MIN ((guint64) STREAM_CHUNK_SIZE, ex->out_limit - ex->out_offset);
  GBytes *chunk;

  if (n == 0)
    {
      /* A stalled answer just sends nothing more, the connection open. */
      if (ex->out_limit < ex->out_total && sim_exchange_has_fault (ex, MH_SIM_FAULT_STALL))
        return;
      if (ex->out_limit < ex->out_total)
        exchange_schedule_drop (ex);
      else
        soup_message_body_complete (body);
      return;
    }

  if (ex->output != NULL)
    chunk = mh_sim_output_read_bytes (ex->output, ex->out_offset, n);
  else
    chunk = g_bytes_new_from_bytes (ex->body, ex->out_offset, n);

  ex->out_offset += n;
  soup_message_body_append_bytes (body, chunk);
  g_bytes_unref (chunk);
}

static void
msg_wrote_chunk (SoupServerMessage *msg,
                 MhSimulator       *self)
{
  SimExchange *ex = exchange_get (msg);

  if (ex == NULL || ex->gone || (ex->output == NULL && ex->body == NULL))
    return;

  exchange_supply_chunk (ex);
}

/* Serves a body of @total bytes chunk by chunk: the next chunk is produced
 * when the previous one has been written, so memory stays flat. Stops at
 * @limit and breaks the connection there when @limit < @total. */
void
sim_exchange_stream (SimExchange *ex,
                     guint        status,
                     const char  *content_type,
                     guint64      total,
                     guint64      limit)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (ex->msg);
  SoupMessageBody *body = soup_server_message_get_response_body (ex->msg);

  soup_server_message_set_status (ex->msg, status, NULL);
  soup_message_headers_set_content_type (headers, content_type, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CONTENT_LENGTH);
  soup_message_headers_set_content_length (headers, total);
  soup_message_body_set_accumulate (body, FALSE);

  ex->out_total = total;
  ex->out_limit = MIN (limit, total);
  ex->out_offset = 0;

  if (ex->out_limit == 0 && total > 0)
    {
      /* Nothing at all to send before the break: hold the answer back and
       * close the connection instead. */
      soup_server_message_pause (ex->msg);
      exchange_schedule_drop (ex);
      return;
    }

  exchange_supply_chunk (ex);
}

/* Answers JSON, with the MALFORMED and DROP faults applied. Takes @node. */
void
sim_respond_json (SimExchange *ex,
                  guint        status,
                  JsonNode    *node)
{
  g_autoptr(JsonNode) owned = node;
  char *text;
  gsize len;

  if (sim_exchange_has_fault (ex, MH_SIM_FAULT_MALFORMED))
    {
      static const char malformed[] = "{\"id\": \"x\", ";

      soup_server_message_set_status (ex->msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (ex->msg, "application/json", SOUP_MEMORY_STATIC,
                                        malformed, strlen (malformed));
      return;
    }

  text = node != NULL ? json_to_string (node, FALSE) : g_strdup ("");
  len = strlen (text);

  if (sim_exchange_has_fault (ex, MH_SIM_FAULT_DROP))
    {
      if (len == 0)
        {
          soup_server_message_pause (ex->msg);
          exchange_schedule_drop (ex);
          g_free (text);
          return;
        }

      ex->body = g_bytes_new_take (text, len);
      sim_exchange_stream (ex, status, "application/json", len, len / 2);
      return;
    }

  soup_server_message_set_status (ex->msg, status, NULL);
  if (status == SOUP_STATUS_NO_CONTENT)
    g_free (text);
  else
    soup_server_message_set_response (ex->msg, "application/json", SOUP_MEMORY_TAKE,
                                      text, len);
}

/* The error table of the contract (December 2026): the code of each status
 * that has one. */
static const char *
default_code (guint status)
{
  switch (status)
    {
    case 400: return "invalid_request";
    case 401: return "unauthorized";
    case 402: return "insufficient_credits";
    case 404: return "not_found";
    case 422: return "unprocessable_entity";
    case 500: return "internal_server_error";
    default:
      return NULL;
    }
}

void
sim_respond_error_code (SimExchange *ex,
                        guint        status,
                        const char  *code,
                        const char  *message)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  gboolean legacy = ex->self != NULL && ex->self->legacy_errors;

  if (code == NULL)
    code = default_code (status);
  else if (g_str_equal (code, "-") || *code == '\0')
    code = NULL;

  if (code != NULL && !legacy)
    json_object_set_string_member (object, "code", code);
  json_object_set_string_member (object, "message",
                                 message != NULL ? message : default_message (status));
  json_node_take_object (node, object);

  sim_respond_json (ex, status, node);
}

void
sim_respond_error (SimExchange *ex,
                   guint        status,
                   const char  *message)
{
  sim_respond_error_code (ex, status, NULL, message);
}

G_GNUC_PRINTF (3, 4)
void
sim_respond_errorf (SimExchange *ex,
                    guint        status,
                    const char  *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  sim_respond_error (ex, status, message);
}

static void
msg_got_headers (SoupServerMessage *msg,
                 MhSimulator       *self)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  SimExchange *ex;
  MhSimRequest *req;
  const char *method = soup_server_message_get_method (msg);
  SoupEncoding encoding;

  if (exchange_get (msg) != NULL)
    return;

  req = g_rc_box_new0 (MhSimRequest);
  req->method = g_strdup (method != NULL ? method : "");
  req->path = g_strdup (uri != NULL ? g_uri_get_path (uri) : "");
  req->query = uri != NULL ? g_strdup (g_uri_get_query (uri)) : NULL;
  req->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  req->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  encoding = soup_message_headers_get_encoding (headers);
  req->chunked = encoding == SOUP_ENCODING_CHUNKED;
  req->content_length = soup_message_headers_get_one (headers, "Content-Length") != NULL ?
                        soup_message_headers_get_content_length (headers) : -1;
  g_ptr_array_add (self->requests, req);

  ex = g_new0 (SimExchange, 1);
  ex->self = self;
  ex->msg = msg;
  ex->req = g_rc_box_acquire (req);
  ex->expected = req->content_length;
  ex->endpoint = classify (req->method, req->path);
  req->endpoint = g_strdup (ex->endpoint);
  ex->has_fault = sim_take_fault (self, ex->endpoint, &ex->fault);
  g_hash_table_add (self->exchanges, ex);
  g_object_set_data_full (G_OBJECT (msg), EXCHANGE_KEY, ex,
                          (GDestroyNotify) sim_exchange_free);

  /* Storage bodies are streamed through, never kept. */
  if (g_str_has_prefix (req->path, "/storage/"))
    soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  if (g_str_equal (req->method, "PUT"))
    {
      ex->sha = g_checksum_new (G_CHECKSUM_SHA256);
      ex->head = g_byte_array_new ();
    }

  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (msg_got_chunk), self, 0);
}

void
sim_server_request_started (SoupServer        *server,
                            SoupServerMessage *msg,
                            MhSimulator       *self)
{
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (msg_got_headers), self, 0);
  g_signal_connect_object (msg, "wrote-headers", G_CALLBACK (msg_wrote_headers), self, 0);
  g_signal_connect_object (msg, "wrote-chunk", G_CALLBACK (msg_wrote_chunk), self, 0);
  g_signal_connect_object (msg, "finished", G_CALLBACK (msg_gone), self, 0);
  g_signal_connect_object (msg, "disconnected", G_CALLBACK (msg_gone), self, 0);
}
/* ------------------------------------------------------------------------ */
/* Reading request bodies the way the API does                              */


/* Looks up @member; on a problem sets *message (a 400) and returns
 * FIELD_INVALID. Explicit nulls are refused like the real API does. */
FieldState
sim_get_member (JsonObject  *object,
                const char  *member,
                const char  *path,
                gboolean     required,
                JsonNode   **out,
                char       **message)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  *out = NULL;
  if (node == NULL)
    {
      if (required)
        {
          *message = g_strdup_printf ("%s is required", path);
          return FIELD_INVALID;
        }
      return FIELD_ABSENT;
    }
  if (JSON_NODE_HOLDS_NULL (node))
    {
      *message = g_strdup_printf ("%s must not be null", path);
      return FIELD_INVALID;
    }

  *out = node;
  return FIELD_PRESENT;
}

FieldState
sim_get_string (JsonObject  *object,
                const char  *member,
                const char  *path,
                gboolean     required,
                const char **out,
                char       **message)
{
  JsonNode *node;
  FieldState state = sim_get_member (object, member, path, required, &node, message);

  *out = NULL;
  if (state != FIELD_PRESENT)
    return state;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *message = g_strdup_printf ("%s must be a string", path);
      return FIELD_INVALID;
    }
  *out = json_node_get_string (node);
  if (required && **out == '\0')
    {
      *message = g_strdup_printf ("%s must not be empty", path);
      return FIELD_INVALID;
    }

  return FIELD_PRESENT;
}

FieldState
sim_get_number (JsonObject  *object,
                const char  *member,
                const char  *path,
                gboolean     required,
                gboolean     integer,
                double      *out,
                char       **message)
{
  JsonNode *node;
  FieldState state = sim_get_member (object, member, path, required, &node, message);
  GType type;

  *out = 0;
  if (state != FIELD_PRESENT)
    return state;

  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_INT64)
    {
      *out = (double) json_node_get_int (node);
    }
  else if (type == G_TYPE_DOUBLE && !integer)
    {
      *out = json_node_get_double (node);
    }
  else
    {
      *message = g_strdup_printf ("%s must be %s", path, integer ? "an integer" : "a number");
      return FIELD_INVALID;
    }

  return FIELD_PRESENT;
}

FieldState
sim_get_object (JsonObject  *object,
                const char  *member,
                const char  *path,
                gboolean     required,
                JsonObject **out,
                char       **message)
{
  JsonNode *node;
  FieldState state = sim_get_member (object, member, path, required, &node, message);

  *out = NULL;
  if (state != FIELD_PRESENT)
    return state;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      *message = g_strdup_printf ("%s must be an object", path);
      return FIELD_INVALID;
    }
  *out = json_node_get_object (node);

  return FIELD_PRESENT;
}

/* ------------------------------------------------------------------------ */
/* Endpoints                                                                */

static gboolean
check_auth (MhSimulator *self,
            SimExchange *ex)
{
  const char *header = ex->req->authorization;
  g_autofree char *key = NULL;

  if (header != NULL && g_ascii_strncasecmp (header, "Bearer ", 7) == 0)
    key = g_strstrip (g_strdup (header + 7));

  if (key == NULL || *key == '\0' ||
      (self->required_key != NULL && !g_str_equal (key, self->required_key)))
    {
      sim_respond_error (ex, SOUP_STATUS_UNAUTHORIZED, "Unauthorized");
      return FALSE;
    }

  return TRUE;
}

/* Routes one request whose body has been read. */
static void
sim_dispatch (MhSimulator *self,
              SimExchange *ex)
{
  const char *method = ex->req->method;
  const char *path = ex->req->path;

  if (sim_exchange_has_fault (ex, MH_SIM_FAULT_STATUS))
    {
      guint code = ex->fault.code > 0 ? (guint) ex->fault.code : SOUP_STATUS_SERVICE_UNAVAILABLE;

      sim_respond_error_code (ex, code, ex->fault.error_code, ex->fault.text);
      return;
    }

  if (g_str_has_prefix (path, "/storage/upload/"))
    {
      if (!g_str_equal (method, "PUT"))
        sim_respond_error (ex, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
      else
        sim_handle_upload (self, ex, path + strlen ("/storage/upload/"));
      return;
    }

  if (g_str_has_prefix (path, "/storage/output/"))
    {
      if (!g_str_equal (method, "GET"))
        sim_respond_error (ex, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
      else
        sim_handle_download (self, ex, path + strlen ("/storage/output/"));
      return;
    }

  if (g_str_has_prefix (path, "/storage/saved-items/"))
    {
      if (!g_str_equal (method, "GET"))
        sim_respond_error (ex, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
      else
        sim_handle_saved_item_file (self, ex, path + strlen ("/storage/"));
      return;
    }

  if (g_str_has_prefix (path, "/storage/faces/"))
    {
      if (!g_str_equal (method, "GET"))
        sim_respond_error (ex, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
      else
        sim_handle_face_crop (self, ex, path + strlen ("/storage/faces/"));
      return;
    }

  if (!g_str_has_prefix (path, "/v1/"))
    {
      sim_respond_error (ex, SOUP_STATUS_NOT_FOUND, "Not Found");
      return;
    }

  if (!check_auth (self, ex))
    return;

  if (g_str_equal (path, "/v1/files/upload-urls"))
    {
      if (!g_str_equal (method, "POST"))
        sim_respond_error (ex, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
      else
        sim_handle_upload_urls (self, ex);
      return;
    }

  if (g_str_equal (path, "/v1/account"))
    {
      /* An older server, without the endpoint. */
      if (self->no_account)
        sim_respond_error (ex, SOUP_STATUS_NOT_FOUND, "Not Found");
      else if (!g_str_equal (method, "GET"))
        sim_respond_error (ex, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
      else
        sim_handle_account (self, ex);
      return;
    }

  if (g_str_equal (path, "/v1/face-detection"))
    {
      if (!g_str_equal (method, "POST"))
        sim_respond_error (ex, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
      else
        sim_handle_face_detection (self, ex);
      return;
    }

  if (g_str_has_prefix (path, "/v1/face-detection/"))
    {
      const char *id = path + strlen ("/v1/face-detection/");

      if (*id == '\0' || strchr (id, '/') != NULL)
        sim_respond_error (ex, SOUP_STATUS_NOT_FOUND, "Not Found");
      else if (!g_str_equal (method, "GET"))
        sim_respond_error (ex, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
      else
        sim_handle_face_status (self, ex, id);
      return;
    }

  if (g_str_equal (path, "/v1/saved-items"))
    {
      if (!g_str_equal (method, "GET"))
        sim_respond_error (ex, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
      else
        sim_handle_saved_items (self, ex);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (sim_tools); i++)
    if (g_str_equal (path, sim_tools[i].endpoint))
      {
        if (!g_str_equal (method, "POST"))
          sim_respond_error (ex, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
        else
          sim_handle_create (self, ex, &sim_tools[i]);
        return;
      }

  if (g_str_has_prefix (path, "/v1/video-projects/") ||
      g_str_has_prefix (path, "/v1/image-projects/"))
    {
      gboolean image = g_str_has_prefix (path, "/v1/image-projects/");
      const char *id = path + strlen ("/v1/video-projects/");

      if (*id == '\0' || strchr (id, '/') != NULL)
        sim_respond_error (ex, SOUP_STATUS_NOT_FOUND, "Not Found");
      else if (!g_str_equal (method, "GET") && !g_str_equal (method, "DELETE"))
        sim_respond_error (ex, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
      else
        sim_handle_project (self, ex, image, id);
      return;
    }

  sim_respond_error (ex, SOUP_STATUS_NOT_FOUND, "Not Found");
}

static gboolean
slow_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;
  SimExchange *ex = exchange_get (msg);

  g_clear_pointer (&ex->source, g_source_unref);
  if (ex->self == NULL || ex->gone)
    return G_SOURCE_REMOVE;

  sim_dispatch (ex->self, ex);
  soup_server_message_unpause (msg);

  return G_SOURCE_REMOVE;
}

void
sim_server_handler (SoupServer        *server,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  MhSimulator *self = user_data;
  SimExchange *ex = exchange_get (msg);

  if (ex == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      return;
    }

  if (g_str_has_prefix (ex->req->path, "/v1/"))
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);

      if (body->length > 0)
        {
          g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
          gsize len;
          const char *data = g_bytes_get_data (bytes, &len);

          /* Bounded like every JSON the project reads: a hostile client
           * cannot crash the simulator either. */
          ex->req->json = mh_json_parse (data, len, 0, NULL);
        }
    }

  /* A PUT stalled before its end never gets here; a small one is held now. */
  if (sim_exchange_has_fault (ex, MH_SIM_FAULT_STALL) && g_str_equal (ex->req->method, "PUT"))
    {
      ex->stalled = TRUE;
      soup_server_message_pause (msg);
      return;
    }

  /* A PUT dropped halfway never gets here; an empty one is dropped now. */
  if (sim_exchange_has_fault (ex, MH_SIM_FAULT_DROP) && g_str_equal (ex->req->method, "PUT"))
    {
      soup_server_message_pause (msg);
      exchange_schedule_drop (ex);
      return;
    }

  if (sim_exchange_has_fault (ex, MH_SIM_FAULT_SLOW) && !ex->slow_done)
    {
      ex->slow_done = TRUE;
      soup_server_message_pause (msg);
      exchange_attach_source (ex, g_timeout_source_new (MAX (ex->fault.code, 0)), slow_cb);
      return;
    }

  sim_dispatch (self, ex);
}
