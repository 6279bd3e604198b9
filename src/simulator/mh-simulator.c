/* mh-simulator.c: a local simulator of the Magic Hour API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "mh-json.h"
#include "mh-sim-media.h"
#include "mh-simulator.h"
#include "mh-tool.h"

#define EXCHANGE_KEY "mh-sim-exchange"
#define STREAM_CHUNK_SIZE (128 * 1024)
#define MAX_GRANTS_PER_PROJECT 64
#define SIM_FPS 30.0
#define HEADSHOT_CREDITS 50

/* ------------------------------------------------------------------------ */
/* What the simulated server knows                                          */

typedef struct
{
  MhSimFaultKind  kind;
  guint           remaining;
  int             code;
  char           *text;
} SimFault;

typedef struct
{
  char   *file_path;
  char   *signature;
  gint64  expires_us;     /* real time */
} UploadSlot;

typedef struct
{
  guint64  size;
  char    *sha256;
} UploadRecord;

typedef struct
{
  char   *signature;
  char   *name;           /* the URL's last segment, as it is in the URL */
  gint64  expires_us;     /* real time */
} DownloadGrant;

typedef enum
{
  OUTCOME_COMPLETE,
  OUTCOME_ERROR,
  OUTCOME_CANCELED,
} SimOutcome;

/* The server's own rules for one create endpoint. The simulator models the
 * server, so it does not borrow the client's option table for these (only the
 * lists of file extensions, which are the same facts on both sides). */
typedef struct
{
  const char     *endpoint;
  const char     *what;          /* for messages: "talking photo" */
  const char     *project_type;
  gboolean        image;
  const char     *file_stem;
} SimTool;

static const SimTool sim_tools[] = {
  { "/v1/ai-talking-photo", "talking photo", "TALKING_PHOTO", FALSE, "talking-photo" },
  { "/v1/lip-sync", "lip sync", "LIP_SYNC", FALSE, "lip-sync" },
  { "/v1/ai-headshot-generator", "headshot", "AI_HEADSHOT", TRUE, "headshot" },
};

/* Talking photo generation modes the server accepts, with their clip limits
 * (the August 2026 description: realistic 180 s, prompted 45 s). */
static const struct
{
  const char *name;
  double      max_seconds;
} talking_photo_modes[] = {
  { "realistic", 180 },
  { "prompted", 45 },
  { "pro", 180 },
  { "standard", 45 },
  { "stable", 180 },
  { "expressive", 45 },
};
#define TALKING_PHOTO_DEFAULT_MAX 180

static const struct
{
  const char *name;
  int         credits_per_frame;
  gboolean    paid_only;
} lip_sync_modes[] = {
  { "lite", 1, FALSE },
  { "standard", 1, TRUE },
  { "pro", 2, TRUE },
};

typedef struct
{
  char           *id;
  const SimTool  *tool;
  char           *name;          /* NULL: null */
  gint64          created_real_us;
  gint64          created_mono_us;
  gint64          render_us;
  double          start_seconds;
  double          end_seconds;
  double          fps;
  gint64          credits;       /* charged at creation */
  SimOutcome      outcome;
  char           *error_code;
  char           *download_name; /* URL-encoded last segment */
  char           *download_url;  /* handed out as it is instead; NULL: the storage's */
  guint           n_downloads;   /* URLs of the output in "downloads" */
  guint64         output_bytes;
  gboolean        enabled;
  gboolean        settled;       /* reached its terminal state (refund done) */
  GPtrArray      *grants;        /* of DownloadGrant */
} SimProject;

/* One request in flight: attached to its SoupServerMessage. */
typedef struct
{
  MhSimulator       *self;       /* NULL once the simulator stopped */
  SoupServerMessage *msg;        /* not owned */
  MhSimRequest      *req;        /* a reference (GRcBox) */
  const char        *endpoint;
  gboolean           has_fault;
  SimFault           fault;      /* a copy of the fault that applies */
  GChecksum         *sha;        /* PUT bodies */
  guint64            received;
  gint64             expected;   /* Content-Length, -1 if none */
  gboolean           gone;       /* finished or disconnected */
  gboolean           slow_done;
  gboolean           stalled;    /* a STALL fault holds it for ever */
  GSource           *source;     /* a pending SLOW timeout or drop */

  /* A response body served chunk by chunk */
  MhSimOutput       *output;
  GBytes            *body;
  guint64            out_total;
  guint64            out_limit;  /* < out_total: drop the connection there (or stall) */
  guint64            out_offset;
} SimExchange;

struct _MhSimulator
{
  GObject      parent_instance;

  SoupServer     *server;
  GMainContext   *context;
  char           *base_url;
  GHmac          *hmac;
  GRand          *rand;

  double          render_seconds;
  char           *required_key;
  gint64          credits;
  char           *tier;
  guint64         output_bytes;
  double          upload_url_lifetime;
  double          download_url_lifetime;

  GHashTable     *faults;       /* endpoint -> GQueue of SimFault */
  GPtrArray      *requests;     /* of MhSimRequest (GRcBox) */
  GHashTable     *upload_slots; /* token -> UploadSlot */
  GHashTable     *uploads;      /* file_path -> UploadRecord */
  GHashTable     *projects;     /* id -> SimProject */
  GHashTable     *exchanges;    /* live SimExchange set */
};

G_DEFINE_FINAL_TYPE (MhSimulator, mh_simulator, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RENDER_SECONDS,
  PROP_REQUIRED_KEY,
  PROP_CREDITS,
  PROP_TIER,
  PROP_OUTPUT_BYTES,
  PROP_UPLOAD_URL_LIFETIME,
  PROP_DOWNLOAD_URL_LIFETIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void sim_dispatch (MhSimulator *self,
                          SimExchange *ex);

/* ------------------------------------------------------------------------ */
/* Small helpers                                                            */

static void
sim_fault_clear (SimFault *fault)
{
  g_clear_pointer (&fault->text, g_free);
}

static void
sim_fault_free (SimFault *fault)
{
  sim_fault_clear (fault);
  g_free (fault);
}

static void
fault_queue_free (GQueue *queue)
{
  g_queue_free_full (queue, (GDestroyNotify) sim_fault_free);
}

static void
upload_slot_free (UploadSlot *slot)
{
  g_free (slot->file_path);
  g_free (slot->signature);
  g_free (slot);
}

static void
upload_record_free (UploadRecord *record)
{
  g_free (record->sha256);
  g_free (record);
}

static void
download_grant_free (DownloadGrant *grant)
{
  g_free (grant->signature);
  g_free (grant->name);
  g_free (grant);
}

static void
sim_project_free (SimProject *project)
{
  g_free (project->id);
  g_free (project->name);
  g_free (project->error_code);
  g_free (project->download_name);
  g_free (project->download_url);
  g_ptr_array_unref (project->grants);
  g_free (project);
}

static void
sim_request_clear (gpointer data)
{
  MhSimRequest *req = data;

  g_free (req->method);
  g_free (req->path);
  g_free (req->query);
  g_free (req->authorization);
  g_free (req->content_type);
  g_free (req->body_sha256);
  g_clear_pointer (&req->json, json_node_unref);
  g_free (req->endpoint);
}

static void
sim_request_unref (gpointer data)
{
  g_rc_box_release_full (data, sim_request_clear);
}

static char *
random_string (MhSimulator *self,
               const char  *alphabet,
               guint        len)
{
  gsize n = strlen (alphabet);
  char *s = g_malloc (len + 1);

  for (guint i = 0; i < len; i++)
    s[i] = alphabet[g_rand_int_range (self->rand, 0, n)];
  s[len] = '\0';

  return s;
}

/* Something that looks like a cuid: "c" and 24 lower-case letters or digits. */
static char *
new_cuid (MhSimulator *self)
{
  g_autofree char *tail = random_string (self, "abcdefghijklmnopqrstuvwxyz0123456789", 24);

  return g_strconcat ("c", tail, NULL);
}

static char *
sign (MhSimulator *self,
      const char  *what,
      gint64       expires)
{
  g_autoptr(GHmac) hmac = g_hmac_copy (self->hmac);
  g_autofree char *data = g_strdup_printf ("%s\n%" G_GINT64_FORMAT, what, expires);

  g_hmac_update (hmac, (const guchar *) data, -1);

  return g_strdup (g_hmac_get_string (hmac));
}

static char *
format_iso8601 (gint64 real_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (real_us / G_USEC_PER_SEC);
  g_autofree char *base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, (int) ((real_us % G_USEC_PER_SEC) / 1000));
}

/* g_set_str() is GLib 2.76. */
static gboolean
set_str (char       **target,
         const char  *value)
{
  if (g_strcmp0 (*target, value) == 0)
    return FALSE;

  g_free (*target);
  *target = g_strdup (value);
  return TRUE;
}

static gint64
lifetime_us (double seconds)
{
  return (gint64) (seconds * G_USEC_PER_SEC);
}

/* The Unix time that goes into a URL: rounded up, so a URL never claims to
 * expire before it does. */
static gint64
url_expires (gint64 expires_us)
{
  return (expires_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
}

/* Percent-encodes a path segment: keeps what is already %XX-encoded, encodes
 * '/', controls, spaces, non-ASCII and the segments "." and "..". */
static char *
encode_segment (const char *text)
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

static const char *
render_error_message (const char *code)
{
  static const struct { const char *code; const char *message; } messages[] = {
    { "no_source_face", "No face was detected in the source image." },
    { "invalid_file_format", "The input file format is not supported." },
    { "invalid_video_file", "The input video file could not be processed." },
    { "file_too_large", "The input file exceeds the maximum allowed size." },
    { "insufficient_credits", "Insufficient credits to complete the render." },
    { "invalid_parameters", "The render parameters are invalid." },
    { "processing_timeout", "The render timed out." },
    { "unknown_error", "An unknown error occurred while rendering." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    if (g_strcmp0 (messages[i].code, code) == 0)
      return messages[i].message;

  return "The render failed.";
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

/* Takes the next fault of @endpoint's queue, if any. */
static gboolean
take_fault (MhSimulator *self,
            const char  *endpoint,
            SimFault    *out)
{
  GQueue *queue;
  SimFault *fault;

  if (endpoint == NULL)
    return FALSE;

  queue = g_hash_table_lookup (self->faults, endpoint);
  if (queue == NULL || g_queue_is_empty (queue))
    return FALSE;

  fault = g_queue_peek_head (queue);
  out->kind = fault->kind;
  out->code = fault->code;
  out->text = g_strdup (fault->text);
  out->remaining = 1;

  if (--fault->remaining == 0)
    sim_fault_free (g_queue_pop_head (queue));

  return TRUE;
}

static gboolean
exchange_has_fault (SimExchange    *ex,
                    MhSimFaultKind  kind)
{
  return ex->has_fault && ex->fault.kind == kind;
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

  if (g_str_equal (ex->req->method, "PUT") &&
      exchange_has_fault (ex, MH_SIM_FAULT_DROP) && ex->source == NULL &&
      (ex->expected < 0 || ex->received * 2 >= (guint64) ex->expected))
    {
      soup_server_message_pause (msg);
      exchange_schedule_drop (ex);
    }

  /* Never resumed: the client's writes block once the socket is full. */
  if (g_str_equal (ex->req->method, "PUT") &&
      exchange_has_fault (ex, MH_SIM_FAULT_STALL) && !ex->stalled &&
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
      if (ex->out_limit < ex->out_total && exchange_has_fault (ex, MH_SIM_FAULT_STALL))
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
static void
exchange_stream (SimExchange *ex,
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
static void
respond_json (SimExchange *ex,
              guint        status,
              JsonNode    *node)
{
  g_autoptr(JsonNode) owned = node;
  char *text;
  gsize len;

  if (exchange_has_fault (ex, MH_SIM_FAULT_MALFORMED))
    {
      static const char malformed[] = "{\"id\": \"x\", ";

      soup_server_message_set_status (ex->msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (ex->msg, "application/json", SOUP_MEMORY_STATIC,
                                        malformed, strlen (malformed));
      return;
    }

  text = node != NULL ? json_to_string (node, FALSE) : g_strdup ("");
  len = strlen (text);

  if (exchange_has_fault (ex, MH_SIM_FAULT_DROP))
    {
      if (len == 0)
        {
          soup_server_message_pause (ex->msg);
          exchange_schedule_drop (ex);
          g_free (text);
          return;
        }

      ex->body = g_bytes_new_take (text, len);
      exchange_stream (ex, status, "application/json", len, len / 2);
      return;
    }

  soup_server_message_set_status (ex->msg, status, NULL);
  if (status == SOUP_STATUS_NO_CONTENT)
    g_free (text);
  else
    soup_server_message_set_response (ex->msg, "application/json", SOUP_MEMORY_TAKE,
                                      text, len);
}

static void
respond_error (SimExchange *ex,
               guint        status,
               const char  *message)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "message",
                                 message != NULL ? message : default_message (status));
  json_node_take_object (node, object);

  respond_json (ex, status, node);
}

G_GNUC_PRINTF (3, 4)
static void
respond_errorf (SimExchange *ex,
                guint        status,
                const char  *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  respond_error (ex, status, message);
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
  ex->has_fault = take_fault (self, ex->endpoint, &ex->fault);
  g_hash_table_add (self->exchanges, ex);
  g_object_set_data_full (G_OBJECT (msg), EXCHANGE_KEY, ex,
                          (GDestroyNotify) sim_exchange_free);

  /* Storage bodies are streamed through, never kept. */
  if (g_str_has_prefix (req->path, "/storage/"))
    soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  if (g_str_equal (req->method, "PUT"))
    ex->sha = g_checksum_new (G_CHECKSUM_SHA256);

  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (msg_got_chunk), self, 0);
}

static void
server_request_started (SoupServer        *server,
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
/* Projects                                                                 */

static const char *
project_status (MhSimulator *self,
                SimProject  *project,
                gint64       now_mono)
{
  gint64 elapsed = now_mono - project->created_mono_us;

  if (elapsed < project->render_us / 5)
    return "queued";
  if (elapsed < project->render_us)
    return "rendering";

  switch (project->outcome)
    {
    case OUTCOME_ERROR: return "error";
    case OUTCOME_CANCELED: return "canceled";
    case OUTCOME_COMPLETE:
    default:
      return "complete";
    }
}

/* Refunds the projects whose render failed, once they reach that state. */
static void
settle_projects (MhSimulator *self)
{
  GHashTableIter iter;
  SimProject *project;
  gint64 now = g_get_monotonic_time ();

  g_hash_table_iter_init (&iter, self->projects);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &project))
    {
      if (project->settled || now - project->created_mono_us < project->render_us)
        continue;

      project->settled = TRUE;
      if (project->outcome != OUTCOME_COMPLETE)
        {
          self->credits += project->credits;
          project->credits = 0;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREDITS]);
        }
    }
}

static DownloadGrant *
project_new_grant (MhSimulator *self,
                   SimProject  *project,
                   gboolean     expired)
{
  DownloadGrant *grant = g_new0 (DownloadGrant, 1);
  g_autofree char *what = NULL;
  g_autofree char *nonce = random_string (self, "0123456789abcdef", 16);

  grant->name = g_strdup (project->download_name);
  grant->expires_us = expired ?
                      g_get_real_time () - G_USEC_PER_SEC :
                      g_get_real_time () + lifetime_us (self->download_url_lifetime);
  /* Every GET hands out a new URL, even within the same second. */
  what = g_strdup_printf ("%s/%s/%s", project->id, grant->name, nonce);
  grant->signature = sign (self, what, url_expires (grant->expires_us));

  if (project->grants->len >= MAX_GRANTS_PER_PROJECT)
    g_ptr_array_remove_index (project->grants, 0);
  g_ptr_array_add (project->grants, grant);

  return grant;
}

static JsonNode *
project_to_json (MhSimulator *self,
                 SimProject  *project,
                 gboolean     expired_urls)
{
  JsonObject *object = json_object_new ();
  JsonArray *downloads = json_array_new ();
  JsonNode *node;
  const char *status;
  gboolean complete;
  g_autofree char *created_at = format_iso8601 (project->created_real_us);

  settle_projects (self);
  status = project_status (self, project, g_get_monotonic_time ());
  complete = g_str_equal (status, "complete");

  json_object_set_string_member (object, "id", project->id);
  if (project->name != NULL)
    json_object_set_string_member (object, "name", project->name);
  else
    json_object_set_null_member (object, "name");
  json_object_set_string_member (object, "status", status);
  json_object_set_string_member (object, "type", project->tool->project_type);
  if (project->tool->image)
    json_object_set_int_member (object, "image_count", complete ? 1 : 0);
  json_object_set_string_member (object, "created_at", created_at);
  if (!project->tool->image)
    {
      json_object_set_int_member (object, "width", complete ? 320 : -1);
      json_object_set_int_member (object, "height", complete ? 240 : -1);
    }
  json_object_set_boolean_member (object, "enabled", project->enabled);
  if (!project->tool->image)
    {
      json_object_set_double_member (object, "start_seconds", project->start_seconds);
      json_object_set_double_member (object, "end_seconds", project->end_seconds);
      json_object_set_double_member (object, "fps", project->fps);
    }
  json_object_set_int_member (object, "credits_charged", project->credits);
  json_object_set_int_member (object, "total_frame_cost", project->credits);

  if (g_str_equal (status, "error"))
    {
      JsonObject *error = json_object_new ();

      json_object_set_string_member (error, "code", project->error_code);
      json_object_set_string_member (error, "message",
                                     render_error_message (project->error_code));
      json_object_set_object_member (object, "error", error);
    }
  else
    {
      json_object_set_null_member (object, "error");
    }

  if (complete && project->enabled)
    {
      DownloadGrant *grant = project_new_grant (self, project, expired_urls);
      JsonObject *download = json_object_new ();
      g_autofree char *url = NULL;
      g_autofree char *expires_at = format_iso8601 (grant->expires_us);

      if (project->download_url != NULL)
        url = g_strdup (project->download_url);
      else
        url = g_strdup_printf ("%s/storage/output/%s/%s?expires=%" G_GINT64_FORMAT
                               "&signature=%s",
                               self->base_url, project->id, grant->name,
                               url_expires (grant->expires_us), grant->signature);
      json_object_set_string_member (download, "url", url);
      json_object_set_string_member (download, "expires_at", expires_at);
      if (!project->tool->image)
        json_object_set_object_member (object, "download", json_object_ref (download));
      /* More than one: the same file under one grant, as often as asked. */
      for (guint i = 1; i < project->n_downloads; i++)
        json_array_add_object_element (downloads, json_object_ref (download));
      if (project->n_downloads > 0)
        json_array_add_object_element (downloads, download);
      else
        json_object_unref (download);
    }
  else if (!project->tool->image)
    {
      json_object_set_null_member (object, "download");
    }
  json_object_set_array_member (object, "downloads", downloads);

  /* Clients must ignore what they do not know. */
  json_object_set_boolean_member (object, "x_sim", TRUE);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);

  return node;
}

/* ------------------------------------------------------------------------ */
/* Reading request bodies the way the API does                              */

typedef enum
{
  FIELD_ABSENT,
  FIELD_PRESENT,
  FIELD_INVALID,
} FieldState;

/* Looks up @member; on a problem sets *message (a 400) and returns
 * FIELD_INVALID. Explicit nulls are refused like the real API does. */
static FieldState
get_member (JsonObject  *object,
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

static FieldState
get_string (JsonObject  *object,
            const char  *member,
            const char  *path,
            gboolean     required,
            const char **out,
            char       **message)
{
  JsonNode *node;
  FieldState state = get_member (object, member, path, required, &node, message);

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

static FieldState
get_number (JsonObject  *object,
            const char  *member,
            const char  *path,
            gboolean     required,
            gboolean     integer,
            double      *out,
            char       **message)
{
  JsonNode *node;
  FieldState state = get_member (object, member, path, required, &node, message);
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

static FieldState
get_object (JsonObject  *object,
            const char  *member,
            const char  *path,
            gboolean     required,
            JsonObject **out,
            char       **message)
{
  JsonNode *node;
  FieldState state = get_member (object, member, path, required, &node, message);

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

static char *
extensions_list (MhAssetType type)
{
  return g_strjoinv (", ", (char **) mh_asset_type_extensions (type));
}

/* An asset field: an http(s) URL is taken as it is; an api-assets/ path must
 * have been uploaded. Sets a 422 message on a problem. */
static gboolean
check_asset (MhSimulator    *self,
             const SimTool  *tool,
             const char     *value,
             const char     *path,
             MhAssetType     type,
             char          **message)
{
  g_autofree char *extension = NULL;

  if (g_str_has_prefix (value, "http://") || g_str_has_prefix (value, "https://"))
    return TRUE;

  if (!g_str_has_prefix (value, "api-assets/"))
    {
      *message = g_strdup_printf ("Unable to create %s: %s must be a URL or the file_path "
                                  "of an uploaded file", tool->what, path);
      return FALSE;
    }

  if (!g_hash_table_contains (self->uploads, value))
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
      respond_error (ex, SOUP_STATUS_UNAUTHORIZED, "Unauthorized");
      return FALSE;
    }

  return TRUE;
}

static void
handle_upload_urls (MhSimulator *self,
                    SimExchange *ex)
{
  JsonObject *body;
  JsonNode *items_node;
  JsonArray *items;
  JsonArray *answer_items;
  JsonObject *answer;
  JsonNode *node;
  g_autofree char *message = NULL;
  gboolean expired = exchange_has_fault (ex, MH_SIM_FAULT_EXPIRED_URL);
  guint n;

  if (ex->req->json == NULL || !JSON_NODE_HOLDS_OBJECT (ex->req->json))
    {
      respond_error (ex, SOUP_STATUS_BAD_REQUEST, "The request body must be a JSON object");
      return;
    }
  body = json_node_get_object (ex->req->json);

  if (get_member (body, "items", "items", TRUE, &items_node, &message) == FIELD_INVALID)
    {
      respond_error (ex, SOUP_STATUS_BAD_REQUEST, message);
      return;
    }
  if (!JSON_NODE_HOLDS_ARRAY (items_node))
    {
      respond_error (ex, SOUP_STATUS_BAD_REQUEST, "items must be an array");
      return;
    }
  items = json_node_get_array (items_node);
  n = json_array_get_length (items);
  if (n == 0)
    {
      respond_error (ex, SOUP_STATUS_BAD_REQUEST, "items must contain at least one item");
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
          respond_errorf (ex, SOUP_STATUS_BAD_REQUEST, "items[%u] must be an object", i);
          return;
        }
      item = json_node_get_object (item_node);

      if (get_string (item, "type", type_path, TRUE, &type, &message) == FIELD_INVALID ||
          get_string (item, "extension", ext_path, TRUE, &extension, &message) == FIELD_INVALID)
        {
          respond_error (ex, SOUP_STATUS_BAD_REQUEST, message);
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
          respond_errorf (ex, SOUP_STATUS_BAD_REQUEST,
                          "%s must be one of: video, audio, image", type_path);
          return;
        }

      for (const char *p = extension; *p != '\0'; p++)
        if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p))
          {
            respond_errorf (ex, SOUP_STATUS_BAD_REQUEST,
                            "%s must match ^[a-z0-9]+$ (lower case, without the dot)",
                            ext_path);
            return;
          }

      if (!mh_asset_type_accepts (asset_type, extension))
        {
          g_autofree char *valid = extensions_list (asset_type);

          respond_errorf (ex, 422, "Invalid extension '%s' for %s files; valid extensions: %s",
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
      g_autofree char *token = random_string (self, "0123456789abcdef", 32);
      g_autofree char *asset_id = new_cuid (self);
      g_autofree char *name = random_string (self, "0123456789abcdef", 16);
      g_autofree char *url = NULL;
      g_autofree char *expires_at = NULL;

      slot->file_path = g_strdup_printf ("api-assets/%s/%s.%s", asset_id, name, extension);
      slot->expires_us = expired ?
                         g_get_real_time () - G_USEC_PER_SEC :
                         g_get_real_time () + lifetime_us (self->upload_url_lifetime);
      slot->signature = sign (self, token, url_expires (slot->expires_us));
      url = g_strdup_printf ("%s/storage/upload/%s?expires=%" G_GINT64_FORMAT "&signature=%s",
                             self->base_url, token, url_expires (slot->expires_us),
                             slot->signature);
      expires_at = format_iso8601 (slot->expires_us);

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
  respond_json (ex, SOUP_STATUS_OK, node);
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

static void
handle_upload (MhSimulator *self,
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
      respond_error (ex, SOUP_STATUS_LENGTH_REQUIRED,
                     "Length Required: chunked uploads are not supported");
      return;
    }

  if (slot == NULL || g_strcmp0 (signature, slot->signature) != 0)
    {
      respond_error (ex, SOUP_STATUS_FORBIDDEN,
                     "SignatureDoesNotMatch: the request signature does not match");
      return;
    }

  if (g_get_real_time () >= slot->expires_us)
    {
      respond_error (ex, SOUP_STATUS_FORBIDDEN, "AccessDenied: Request has expired");
      return;
    }

  ex->req->body_sha256 = g_strdup (g_checksum_get_string (ex->sha));

  record = g_new0 (UploadRecord, 1);
  record->size = ex->received;
  record->sha256 = g_strdup (ex->req->body_sha256);
  g_hash_table_replace (self->uploads, g_strdup (slot->file_path), record);

  headers = soup_server_message_get_response_headers (ex->msg);
  soup_message_headers_replace (headers, "ETag", record->sha256);

  if (exchange_has_fault (ex, MH_SIM_FAULT_MALFORMED))
    {
      respond_json (ex, SOUP_STATUS_OK, NULL);
      return;
    }

  soup_server_message_set_status (ex->msg, SOUP_STATUS_OK, NULL);
}

static void
handle_download (MhSimulator *self,
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
      respond_error (ex, SOUP_STATUS_NOT_FOUND, "Not Found");
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
      respond_error (ex, SOUP_STATUS_FORBIDDEN,
                     "SignatureDoesNotMatch: the request signature does not match");
      return;
    }
  if (g_get_real_time () >= grant->expires_us)
    {
      respond_error (ex, SOUP_STATUS_FORBIDDEN, "AccessDenied: Request has expired");
      return;
    }

  if (exchange_has_fault (ex, MH_SIM_FAULT_MALFORMED))
    {
      respond_json (ex, SOUP_STATUS_OK, NULL);
      return;
    }

  ex->output = mh_sim_output_new (project->tool->image ? MH_SIM_MEDIA_PNG : MH_SIM_MEDIA_MP4,
                                  project->output_bytes);
  total = mh_sim_output_get_size (ex->output);
  if (exchange_has_fault (ex, MH_SIM_FAULT_STALL))
    exchange_stream (ex, SOUP_STATUS_OK, mh_sim_output_content_type (ex->output), total,
                     ex->fault.code >= 0 ? MIN ((guint64) ex->fault.code, total - 1) : total / 2);
  else
    exchange_stream (ex, SOUP_STATUS_OK, mh_sim_output_content_type (ex->output), total,
                     exchange_has_fault (ex, MH_SIM_FAULT_DROP) ? total / 2 : total);
}

static void
handle_account (MhSimulator *self,
                SimExchange *ex)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  settle_projects (self);
  json_object_set_string_member (object, "id", "cm0simulatoraccount000001");
  json_object_set_string_member (object, "email", "demo@example.com");
  json_object_set_string_member (object, "name", "Demo");
  json_object_set_int_member (object, "credits", self->credits);
  json_object_set_string_member (object, "tier", self->tier);
  json_node_take_object (node, object);

  respond_json (ex, SOUP_STATUS_OK, node);
}

static void
handle_project (MhSimulator *self,
                SimExchange *ex,
                gboolean     image,
                const char  *id)
{
  SimProject *project = g_hash_table_lookup (self->projects, id);

  if (project == NULL || project->tool->image != image)
    {
      respond_error (ex, SOUP_STATUS_NOT_FOUND, "Not Found");
      return;
    }

  if (g_str_equal (ex->req->method, "DELETE"))
    {
      project->enabled = FALSE;
      g_ptr_array_set_size (project->grants, 0);
      respond_json (ex, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }

  respond_json (ex, SOUP_STATUS_OK,
                project_to_json (self, project,
                                 exchange_has_fault (ex, MH_SIM_FAULT_EXPIRED_URL)));
}

/* The parts common to the three creates. */
typedef struct
{
  double       start;
  double       end;
  const char  *name;
  JsonObject  *assets;
  JsonObject  *style;
} CreateCommon;

static gboolean
read_time_range (JsonObject   *body,
                 CreateCommon *common,
                 char        **message)
{
  if (get_number (body, "start_seconds", "start_seconds", TRUE, FALSE, &common->start,
                  message) == FIELD_INVALID ||
      get_number (body, "end_seconds", "end_seconds", TRUE, FALSE, &common->end,
                  message) == FIELD_INVALID)
    return FALSE;

  if (common->start < 0)
    {
      *message = g_strdup ("start_seconds must be greater than or equal to 0");
      return FALSE;
    }
  if (common->end < 0.1)
    {
      *message = g_strdup ("end_seconds must be greater than or equal to 0.1");
      return FALSE;
    }
  if (common->end <= common->start)
    {
      *message = g_strdup ("end_seconds must be greater than start_seconds");
      return FALSE;
    }

  return TRUE;
}

static gint64
frames_for (double seconds,
            double fps)
{
  /* The small epsilon keeps 0.1 * 30 from becoming 4 frames. */
  return (gint64) ceil (seconds * fps - 1e-9);
}

static void
handle_create (MhSimulator   *self,
               SimExchange   *ex,
               const SimTool *tool)
{
  JsonObject *body;
  CreateCommon common = { 0, };
  g_autofree char *message = NULL;
  const char *mode = NULL;
  double fps = SIM_FPS;
  gint64 cost;
  SimProject *project;
  JsonObject *answer;
  JsonNode *node;

  if (ex->req->json == NULL || !JSON_NODE_HOLDS_OBJECT (ex->req->json))
    {
      respond_error (ex, SOUP_STATUS_BAD_REQUEST, "The request body must be a JSON object");
      return;
    }
  body = json_node_get_object (ex->req->json);

  if (get_object (body, "assets", "assets", TRUE, &common.assets, &message) == FIELD_INVALID ||
      get_string (body, "name", "name", FALSE, &common.name, &message) == FIELD_INVALID ||
      get_object (body, "style", "style", FALSE, &common.style, &message) == FIELD_INVALID)
    goto bad_request;

  if (g_str_equal (tool->project_type, "TALKING_PHOTO"))
    {
      const char *image, *audio, *prompt;
      double intensity, max_resolution, max_seconds = TALKING_PHOTO_DEFAULT_MAX;

      if (get_string (common.assets, "image_file_path", "assets.image_file_path", TRUE,
                      &image, &message) == FIELD_INVALID ||
          get_string (common.assets, "audio_file_path", "assets.audio_file_path", TRUE,
                      &audio, &message) == FIELD_INVALID ||
          !read_time_range (body, &common, &message) ||
          get_string (common.style, "generation_mode", "style.generation_mode", FALSE,
                      &mode, &message) == FIELD_INVALID ||
          get_number (common.style, "intensity", "style.intensity", FALSE, FALSE,
                      &intensity, &message) == FIELD_INVALID ||
          get_string (common.style, "prompt", "style.prompt", FALSE,
                      &prompt, &message) == FIELD_INVALID)
        goto bad_request;

      switch (get_number (body, "max_resolution", "max_resolution", FALSE, TRUE,
                          &max_resolution, &message))
        {
        case FIELD_INVALID:
          goto bad_request;
        case FIELD_PRESENT:
          if (max_resolution < 1)
            {
              message = g_strdup ("max_resolution must be greater than or equal to 1");
              goto bad_request;
            }
          break;
        case FIELD_ABSENT:
        default:
          break;
        }

      if (mode != NULL)
        {
          gboolean found = FALSE;

          for (guint i = 0; i < G_N_ELEMENTS (talking_photo_modes); i++)
            if (g_str_equal (mode, talking_photo_modes[i].name))
              {
                found = TRUE;
                max_seconds = talking_photo_modes[i].max_seconds;
              }
          if (!found)
            {
              message = g_strdup ("style.generation_mode must be one of: realistic, prompted, "
                                  "pro, standard, stable, expressive");
              goto bad_request;
            }
        }

      if (!check_asset (self, tool, image, "assets.image_file_path", MH_ASSET_IMAGE,
                        &message) ||
          !check_asset (self, tool, audio, "assets.audio_file_path", MH_ASSET_AUDIO,
                        &message))
        goto unprocessable;

      if (common.end - common.start > max_seconds + 1e-9)
        {
          message = g_strdup_printf ("Unable to create %s: the clip is %.2f seconds long; "
                                     "the %s mode allows at most %.0f seconds", tool->what,
                                     common.end - common.start,
                                     mode != NULL ? mode : "realistic", max_seconds);
          goto unprocessable;
        }

      cost = frames_for (common.end - common.start, SIM_FPS);
    }
  else if (g_str_equal (tool->project_type, "LIP_SYNC"))
    {
      const char *audio, *source, *video = NULL, *youtube = NULL;
      double max_fps, ignored;
      int per_frame = 1;
      FieldState fps_state = FIELD_ABSENT;

      if (get_string (common.assets, "audio_file_path", "assets.audio_file_path", TRUE,
                      &audio, &message) == FIELD_INVALID ||
          get_string (common.assets, "video_source", "assets.video_source", TRUE,
                      &source, &message) == FIELD_INVALID ||
          get_string (common.assets, "video_file_path", "assets.video_file_path", FALSE,
                      &video, &message) == FIELD_INVALID ||
          get_string (common.assets, "youtube_url", "assets.youtube_url", FALSE,
                      &youtube, &message) == FIELD_INVALID ||
          !read_time_range (body, &common, &message) ||
          get_string (common.style, "generation_mode", "style.generation_mode", FALSE,
                      &mode, &message) == FIELD_INVALID ||
          (fps_state = get_number (body, "max_fps_limit", "max_fps_limit", FALSE, FALSE,
                                   &max_fps, &message)) == FIELD_INVALID ||
          get_number (body, "width", "width", FALSE, TRUE, &ignored, &message) == FIELD_INVALID ||
          get_number (body, "height", "height", FALSE, TRUE, &ignored, &message) == FIELD_INVALID)
        goto bad_request;

      if (g_str_equal (source, "file"))
        {
          if (video == NULL || *video == '\0')
            {
              message = g_strdup ("assets.video_file_path is required when "
                                  "assets.video_source is file");
              goto bad_request;
            }
        }
      else if (g_str_equal (source, "youtube"))
        {
          if (youtube == NULL || *youtube == '\0')
            {
              message = g_strdup ("assets.youtube_url is required when "
                                  "assets.video_source is youtube");
              goto bad_request;
            }
          if (!g_str_has_prefix (youtube, "http://") && !g_str_has_prefix (youtube, "https://"))
            {
              message = g_strdup ("assets.youtube_url must be an http or https URL");
              goto bad_request;
            }
        }
      else
        {
          message = g_strdup ("assets.video_source must be one of: file, youtube");
          goto bad_request;
        }

      if (fps_state == FIELD_PRESENT)
        {
          if (max_fps < 1)
            {
              message = g_strdup ("max_fps_limit must be greater than or equal to 1");
              goto bad_request;
            }
          fps = MIN (max_fps, SIM_FPS);
        }

      if (mode != NULL)
        {
          gboolean found = FALSE;

          for (guint i = 0; i < G_N_ELEMENTS (lip_sync_modes); i++)
            if (g_str_equal (mode, lip_sync_modes[i].name))
              {
                found = TRUE;
                per_frame = lip_sync_modes[i].credits_per_frame;
                if (lip_sync_modes[i].paid_only && g_str_equal (self->tier, "free"))
                  {
                    respond_errorf (ex, SOUP_STATUS_FORBIDDEN,
                                    "The %s generation mode is not available on the free "
                                    "plan; upgrade to use it", mode);
                    return;
                  }
              }
          if (!found)
            {
              message = g_strdup ("style.generation_mode must be one of: lite, standard, pro");
              goto bad_request;
            }
        }

      if (!check_asset (self, tool, audio, "assets.audio_file_path", MH_ASSET_AUDIO,
                        &message) ||
          (g_str_equal (source, "file") &&
           !check_asset (self, tool, video, "assets.video_file_path", MH_ASSET_VIDEO,
                         &message)))
        goto unprocessable;

      cost = frames_for (common.end - common.start, fps) * per_frame;
    }
  else
    {
      const char *image, *prompt;

      if (get_string (common.assets, "image_file_path", "assets.image_file_path", TRUE,
                      &image, &message) == FIELD_INVALID ||
          get_string (common.style, "prompt", "style.prompt", FALSE,
                      &prompt, &message) == FIELD_INVALID)
        goto bad_request;

      if (!check_asset (self, tool, image, "assets.image_file_path", MH_ASSET_IMAGE, &message))
        goto unprocessable;

      cost = HEADSHOT_CREDITS;
      fps = 0;
    }

  settle_projects (self);
  if (cost > self->credits)
    {
      respond_error (ex, SOUP_STATUS_PAYMENT_REQUIRED, "Payment required");
      return;
    }

  project = g_new0 (SimProject, 1);
  project->id = new_cuid (self);
  project->tool = tool;
  project->created_real_us = g_get_real_time ();
  project->created_mono_us = g_get_monotonic_time ();
  project->render_us = lifetime_us (self->render_seconds);
  project->start_seconds = common.start;
  project->end_seconds = common.end;
  project->fps = fps;
  project->credits = cost;
  project->output_bytes = self->output_bytes;
  project->enabled = TRUE;
  project->n_downloads = 1;
  project->grants = g_ptr_array_new_with_free_func ((GDestroyNotify) download_grant_free);
  project->outcome = OUTCOME_COMPLETE;
  project->download_name = g_strdup_printf ("%s-%s.%s", tool->file_stem, project->id,
                                            tool->image ? "png" : "mp4");

  if (common.name != NULL)
    project->name = g_strdup (common.name);
  else if (g_str_equal (tool->project_type, "TALKING_PHOTO"))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      project->name = g_date_time_format (now, "Talking Photo - %Y-%m-%d %H:%M:%S");
    }

  if (exchange_has_fault (ex, MH_SIM_FAULT_RENDER_ERROR))
    {
      project->outcome = OUTCOME_ERROR;
      project->error_code = g_strdup (ex->fault.text != NULL ? ex->fault.text : "unknown_error");
    }
  else if (exchange_has_fault (ex, MH_SIM_FAULT_CANCELED))
    {
      project->outcome = OUTCOME_CANCELED;
    }
  else if (exchange_has_fault (ex, MH_SIM_FAULT_HOSTILE_NAME))
    {
      g_free (project->download_name);
      project->download_name = encode_segment (ex->fault.text != NULL ? ex->fault.text :
                                               "../../evil.mp4");
    }
  else if (exchange_has_fault (ex, MH_SIM_FAULT_DOWNLOADS))
    project->n_downloads = MAX (ex->fault.code, 0);
  else if (exchange_has_fault (ex, MH_SIM_FAULT_DOWNLOAD_URL))
    project->download_url = g_strdup (ex->fault.text != NULL ? ex->fault.text : "file:///etc/passwd");

  self->credits -= cost;
  g_hash_table_insert (self->projects, project->id, project);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREDITS]);

  answer = json_object_new ();
  json_object_set_string_member (answer, "id", project->id);
  json_object_set_int_member (answer, "credits_charged", cost);
  json_object_set_int_member (answer, tool->image ? "frame_cost" : "estimated_frame_cost", cost);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, answer);
  respond_json (ex, SOUP_STATUS_OK, node);
  return;

bad_request:
  respond_error (ex, SOUP_STATUS_BAD_REQUEST, message);
  return;

unprocessable:
  respond_error (ex, 422, message);
}

/* Routes one request whose body has been read. */
static void
sim_dispatch (MhSimulator *self,
              SimExchange *ex)
{
  const char *method = ex->req->method;
  const char *path = ex->req->path;

  if (exchange_has_fault (ex, MH_SIM_FAULT_STATUS))
    {
      guint code = ex->fault.code > 0 ? (guint) ex->fault.code : SOUP_STATUS_SERVICE_UNAVAILABLE;

      respond_error (ex, code, ex->fault.text);
      return;
    }

  if (g_str_has_prefix (path, "/storage/upload/"))
    {
      if (!g_str_equal (method, "PUT"))
        respond_error (ex, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
      else
        handle_upload (self, ex, path + strlen ("/storage/upload/"));
      return;
    }

  if (g_str_has_prefix (path, "/storage/output/"))
    {
      if (!g_str_equal (method, "GET"))
        respond_error (ex, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
      else
        handle_download (self, ex, path + strlen ("/storage/output/"));
      return;
    }

  if (!g_str_has_prefix (path, "/v1/"))
    {
      respond_error (ex, SOUP_STATUS_NOT_FOUND, "Not Found");
      return;
    }

  if (!check_auth (self, ex))
    return;

  if (g_str_equal (path, "/v1/files/upload-urls"))
    {
      if (!g_str_equal (method, "POST"))
        respond_error (ex, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
      else
        handle_upload_urls (self, ex);
      return;
    }

  if (g_str_equal (path, "/v1/account"))
    {
      if (!g_str_equal (method, "GET"))
        respond_error (ex, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
      else
        handle_account (self, ex);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (sim_tools); i++)
    if (g_str_equal (path, sim_tools[i].endpoint))
      {
        if (!g_str_equal (method, "POST"))
          respond_error (ex, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
        else
          handle_create (self, ex, &sim_tools[i]);
        return;
      }

  if (g_str_has_prefix (path, "/v1/video-projects/") ||
      g_str_has_prefix (path, "/v1/image-projects/"))
    {
      gboolean image = g_str_has_prefix (path, "/v1/image-projects/");
      const char *id = path + strlen ("/v1/video-projects/");

      if (*id == '\0' || strchr (id, '/') != NULL)
        respond_error (ex, SOUP_STATUS_NOT_FOUND, "Not Found");
      else if (!g_str_equal (method, "GET") && !g_str_equal (method, "DELETE"))
        respond_error (ex, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
      else
        handle_project (self, ex, image, id);
      return;
    }

  respond_error (ex, SOUP_STATUS_NOT_FOUND, "Not Found");
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

static void
server_handler (SoupServer        *server,
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
  if (exchange_has_fault (ex, MH_SIM_FAULT_STALL) && g_str_equal (ex->req->method, "PUT"))
    {
      ex->stalled = TRUE;
      soup_server_message_pause (msg);
      return;
    }

  /* A PUT dropped halfway never gets here; an empty one is dropped now. */
  if (exchange_has_fault (ex, MH_SIM_FAULT_DROP) && g_str_equal (ex->req->method, "PUT"))
    {
      soup_server_message_pause (msg);
      exchange_schedule_drop (ex);
      return;
    }

  if (exchange_has_fault (ex, MH_SIM_FAULT_SLOW) && !ex->slow_done)
    {
      ex->slow_done = TRUE;
      soup_server_message_pause (msg);
      exchange_attach_source (ex, g_timeout_source_new (MAX (ex->fault.code, 0)), slow_cb);
      return;
    }

  sim_dispatch (self, ex);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
detach_exchanges (MhSimulator *self)
{
  g_autoptr(GList) list = g_hash_table_get_keys (self->exchanges);

  g_hash_table_remove_all (self->exchanges);
  for (GList *l = list; l != NULL; l = l->next)
    {
      SimExchange *ex = l->data;

      ex->self = NULL;
      ex->gone = TRUE;
    }
  /* Removing the sources drops their message references: done apart, as it
   * may free exchanges. */
  for (GList *l = list; l != NULL; l = l->next)
    {
      SimExchange *ex = l->data;
      GSource *source = g_steal_pointer (&ex->source);

      if (source != NULL)
        {
          g_source_destroy (source);
          g_source_unref (source);
        }
    }
}

void
mh_simulator_stop (MhSimulator *self)
{
  g_return_if_fail (MH_IS_SIMULATOR (self));

  if (self->server != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->server, self);
      soup_server_disconnect (self->server);
    }
  detach_exchanges (self);
  g_clear_object (&self->server);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
}

static void
mh_simulator_dispose (GObject *object)
{
  MhSimulator *self = MH_SIMULATOR (object);

  mh_simulator_stop (self);

  G_OBJECT_CLASS (mh_simulator_parent_class)->dispose (object);
}

static void
mh_simulator_finalize (GObject *object)
{
  MhSimulator *self = MH_SIMULATOR (object);

  g_clear_pointer (&self->hmac, g_hmac_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->required_key, g_free);
  g_clear_pointer (&self->tier, g_free);
  g_clear_pointer (&self->faults, g_hash_table_unref);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  g_clear_pointer (&self->upload_slots, g_hash_table_unref);
  g_clear_pointer (&self->uploads, g_hash_table_unref);
  g_clear_pointer (&self->projects, g_hash_table_unref);
  g_clear_pointer (&self->exchanges, g_hash_table_unref);

  G_OBJECT_CLASS (mh_simulator_parent_class)->finalize (object);
}

static void
mh_simulator_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MhSimulator *self = MH_SIMULATOR (object);

  switch (prop_id)
    {
    case PROP_RENDER_SECONDS:
      g_value_set_double (value, self->render_seconds);
      break;
    case PROP_REQUIRED_KEY:
      g_value_set_string (value, self->required_key);
      break;
    case PROP_CREDITS:
      settle_projects (self);
      g_value_set_int64 (value, self->credits);
      break;
    case PROP_TIER:
      g_value_set_string (value, self->tier);
      break;
    case PROP_OUTPUT_BYTES:
      g_value_set_uint64 (value, self->output_bytes);
      break;
    case PROP_UPLOAD_URL_LIFETIME:
      g_value_set_double (value, self->upload_url_lifetime);
      break;
    case PROP_DOWNLOAD_URL_LIFETIME:
      g_value_set_double (value, self->download_url_lifetime);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_simulator_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MhSimulator *self = MH_SIMULATOR (object);
  gboolean changed = FALSE;

  switch (prop_id)
    {
    case PROP_RENDER_SECONDS:
      changed = self->render_seconds != g_value_get_double (value);
      self->render_seconds = g_value_get_double (value);
      break;
    case PROP_REQUIRED_KEY:
      changed = set_str (&self->required_key, g_value_get_string (value));
      break;
    case PROP_CREDITS:
      changed = self->credits != g_value_get_int64 (value);
      self->credits = g_value_get_int64 (value);
      break;
    case PROP_TIER:
      changed = set_str (&self->tier, g_value_get_string (value) != NULL ?
                                        g_value_get_string (value) : "creator");
      break;
    case PROP_OUTPUT_BYTES:
      changed = self->output_bytes != g_value_get_uint64 (value);
      self->output_bytes = g_value_get_uint64 (value);
      break;
    case PROP_UPLOAD_URL_LIFETIME:
      changed = self->upload_url_lifetime != g_value_get_double (value);
      self->upload_url_lifetime = g_value_get_double (value);
      break;
    case PROP_DOWNLOAD_URL_LIFETIME:
      changed = self->download_url_lifetime != g_value_get_double (value);
      self->download_url_lifetime = g_value_get_double (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  if (changed)
    g_object_notify_by_pspec (object, pspec);
}

static void
mh_simulator_class_init (MhSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mh_simulator_dispose;
  object_class->finalize = mh_simulator_finalize;
  object_class->get_property = mh_simulator_get_property;
  object_class->set_property = mh_simulator_set_property;

  properties[PROP_RENDER_SECONDS] =
    g_param_spec_double ("render-seconds", NULL, NULL, 0, G_MAXDOUBLE, 20,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REQUIRED_KEY] =
    g_param_spec_string ("required-key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREDITS] =
    g_param_spec_int64 ("credits", NULL, NULL, G_MININT64, G_MAXINT64, 1000000,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIER] =
    g_param_spec_string ("tier", NULL, NULL, "creator",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTPUT_BYTES] =
    g_param_spec_uint64 ("output-bytes", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPLOAD_URL_LIFETIME] =
    g_param_spec_double ("upload-url-lifetime", NULL, NULL, 0, G_MAXDOUBLE, 900,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOWNLOAD_URL_LIFETIME] =
    g_param_spec_double ("download-url-lifetime", NULL, NULL, 0, G_MAXDOUBLE, 86400,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mh_simulator_init (MhSimulator *self)
{
  guint32 seed[4];
  guint8 secret[32];

  for (guint i = 0; i < G_N_ELEMENTS (seed); i++)
    seed[i] = g_random_int ();
  self->rand = g_rand_new_with_seed_array (seed, G_N_ELEMENTS (seed));
  for (guint i = 0; i < sizeof secret; i++)
    secret[i] = g_rand_int_range (self->rand, 0, 256);
  self->hmac = g_hmac_new (G_CHECKSUM_SHA256, secret, sizeof secret);

  self->render_seconds = 20;
  self->credits = 1000000;
  self->tier = g_strdup ("creator");
  self->upload_url_lifetime = 900;
  self->download_url_lifetime = 86400;

  self->faults = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) fault_queue_free);
  self->requests = g_ptr_array_new_with_free_func (sim_request_unref);
  self->upload_slots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) upload_slot_free);
  self->uploads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) upload_record_free);
  self->projects = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) sim_project_free);
  self->exchanges = g_hash_table_new (NULL, NULL);
}

/* ------------------------------------------------------------------------ */
/* Public API                                                               */

MhSimulator *
mh_simulator_new (void)
{
  return g_object_new (MH_TYPE_SIMULATOR, NULL);
}

gboolean
mh_simulator_start (MhSimulator  *self,
                    guint         port,
                    GError      **error)
{
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;

  g_return_val_if_fail (MH_IS_SIMULATOR (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, port);

  /* raw-paths: a hostile download name such as "..%2Fevil" must reach the
   * handler as it is instead of being refused by libsoup's own check. */
  self->server = soup_server_new ("server-header", "mh-simulator ",
                                  "raw-paths", TRUE,
                                  NULL);
  soup_server_add_handler (self->server, NULL, server_handler, self, NULL);
  g_signal_connect_object (self->server, "request-started",
                           G_CALLBACK (server_request_started), self, 0);

  /* libsoup's own listener, not soup_server_accept_iostream(): in libsoup
   * 3.2 a connection handed over as a stream is closed after one response
   * without a "Connection: close", so a client reusing it (as every HTTP
   * client does) hits a dead connection, which would make a create
   * ambiguous. The listener keeps connections alive like the real API. */
  self->context = g_main_context_ref_thread_default ();
  if (!soup_server_listen (self->server, address, 0, error))
    {
      g_clear_object (&self->server);
      g_clear_pointer (&self->context, g_main_context_unref);
      return FALSE;
    }

  /* The port the kernel chose, from the listening socket itself: libsoup
   * 3.2's soup_server_get_uris() keeps an address in each listener that it
   * never frees (LeakSanitizer reports it once per simulator). */
  {
    GSList *listeners = soup_server_get_listeners (self->server);

    effective = g_socket_get_local_address (listeners->data, error);
    g_slist_free (listeners);
    if (effective == NULL)
      {
        soup_server_disconnect (self->server);
        g_clear_object (&self->server);
        g_clear_pointer (&self->context, g_main_context_unref);
        return FALSE;
      }
  }

  self->base_url = g_strdup_printf ("http://127.0.0.1:%u",
                                    g_inet_socket_address_get_port (
                                      G_INET_SOCKET_ADDRESS (effective)));

  return TRUE;
}

const char *
mh_simulator_get_base_url (MhSimulator *self)
{
  g_return_val_if_fail (MH_IS_SIMULATOR (self), NULL);

  return self->base_url;
}

void
mh_simulator_set_render_seconds (MhSimulator *self,
                                 double       seconds)
{
  g_return_if_fail (MH_IS_SIMULATOR (self));

  g_object_set (self, "render-seconds", seconds, NULL);
}

void
mh_simulator_set_required_key (MhSimulator *self,
                               const char  *key)
{
  g_return_if_fail (MH_IS_SIMULATOR (self));

  g_object_set (self, "required-key", key, NULL);
}

void
mh_simulator_set_output_bytes (MhSimulator *self,
                               guint64      bytes)
{
  g_return_if_fail (MH_IS_SIMULATOR (self));

  g_object_set (self, "output-bytes", bytes, NULL);
}

void
mh_simulator_add_fault (MhSimulator    *self,
                        const char     *endpoint,
                        MhSimFaultKind  kind,
                        guint           count,
                        int             code,
                        const char     *text)
{
  GQueue *queue;
  SimFault *fault;

  g_return_if_fail (MH_IS_SIMULATOR (self));
  g_return_if_fail (endpoint != NULL);

  if (count == 0)
    return;

  queue = g_hash_table_lookup (self->faults, endpoint);
  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (self->faults, g_strdup (endpoint), queue);
    }

  fault = g_new0 (SimFault, 1);
  fault->kind = kind;
  fault->remaining = count;
  fault->code = code;
  fault->text = g_strdup (text);
  g_queue_push_tail (queue, fault);
}

gboolean
mh_simulator_add_fault_from_string (MhSimulator  *self,
                                    const char   *spec,
                                    GError      **error)
{
  static const char *const endpoints[] = {
    MH_SIM_ENDPOINT_UPLOAD_URLS, MH_SIM_ENDPOINT_UPLOAD, MH_SIM_ENDPOINT_CREATE,
    MH_SIM_ENDPOINT_PROJECT, MH_SIM_ENDPOINT_DELETE, MH_SIM_ENDPOINT_DOWNLOAD,
    MH_SIM_ENDPOINT_ACCOUNT, NULL
  };
  static const struct { const char *name; MhSimFaultKind kind; } kinds[] = {
    { "status", MH_SIM_FAULT_STATUS },
    { "drop", MH_SIM_FAULT_DROP },
    { "malformed", MH_SIM_FAULT_MALFORMED },
    { "slow", MH_SIM_FAULT_SLOW },
    { "expired-url", MH_SIM_FAULT_EXPIRED_URL },
    { "render-error", MH_SIM_FAULT_RENDER_ERROR },
    { "hostile-name", MH_SIM_FAULT_HOSTILE_NAME },
    { "canceled", MH_SIM_FAULT_CANCELED },
    { "stall", MH_SIM_FAULT_STALL },
    { "downloads", MH_SIM_FAULT_DOWNLOADS },
    { "download-url", MH_SIM_FAULT_DOWNLOAD_URL },
  };
  g_auto(GStrv) parts = NULL;
  guint n_parts;
  gboolean found = FALSE;
  MhSimFaultKind kind = MH_SIM_FAULT_STATUS;
  guint64 count = 1;
  gint64 code = 0;
  const char *text = NULL;

  g_return_val_if_fail (MH_IS_SIMULATOR (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  parts = g_strsplit (spec, ":", 4);
  n_parts = g_strv_length (parts);
  if (n_parts < 2)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Invalid fault “%s”: expected ENDPOINT:KIND[:COUNT[:ARG]]", spec);
      return FALSE;
    }

  if (!g_strv_contains (endpoints, parts[0]))
    {
      g_autofree char *valid = g_strjoinv (", ", (char **) endpoints);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Invalid fault endpoint “%s”: expected one of %s", parts[0], valid);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (parts[1], kinds[i].name))
      {
        kind = kinds[i].kind;
        found = TRUE;
      }
  if (!found)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Invalid fault kind “%s”: expected one of status, drop, malformed, slow, "
                   "expired-url, render-error, hostile-name, canceled, stall, downloads, "
                   "download-url", parts[1]);
      return FALSE;
    }

  if (n_parts >= 3 && *parts[2] != '\0' &&
      (!g_ascii_string_to_unsigned (parts[2], 10, 1, G_MAXUINT, &count, NULL)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Invalid fault count “%s”", parts[2]);
      return FALSE;
    }

  if (n_parts >= 4)
    {
      switch (kind)
        {
        case MH_SIM_FAULT_STATUS:
          if (!g_ascii_string_to_signed (parts[3], 10, 100, 599, &code, NULL))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Invalid status code “%s”", parts[3]);
              return FALSE;
            }
          break;
        case MH_SIM_FAULT_SLOW:
          if (!g_ascii_string_to_signed (parts[3], 10, 0, G_MAXINT, &code, NULL))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Invalid delay “%s” (milliseconds)", parts[3]);
              return FALSE;
            }
          break;
        case MH_SIM_FAULT_STALL:
        case MH_SIM_FAULT_DOWNLOADS:
          if (!g_ascii_string_to_signed (parts[3], 10, 0, G_MAXINT, &code, NULL))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Invalid number “%s”", parts[3]);
              return FALSE;
            }
          break;
        case MH_SIM_FAULT_DROP:
        case MH_SIM_FAULT_MALFORMED:
        case MH_SIM_FAULT_EXPIRED_URL:
        case MH_SIM_FAULT_RENDER_ERROR:
        case MH_SIM_FAULT_HOSTILE_NAME:
        case MH_SIM_FAULT_CANCELED:
        default:
          text = parts[3];
          break;
        }
    }
  else if (kind == MH_SIM_FAULT_STATUS)
    code = SOUP_STATUS_SERVICE_UNAVAILABLE;
  else if (kind == MH_SIM_FAULT_SLOW)
    code = 2000;
  else if (kind == MH_SIM_FAULT_STALL)
    code = -1;
  else if (kind == MH_SIM_FAULT_DOWNLOADS)
    code = 2;

  mh_simulator_add_fault (self, parts[0], kind, (guint) count, (int) code, text);

  return TRUE;
}

void
mh_simulator_clear_faults (MhSimulator *self)
{
  g_return_if_fail (MH_IS_SIMULATOR (self));

  g_hash_table_remove_all (self->faults);
}

GPtrArray *
mh_simulator_get_requests (MhSimulator *self)
{
  g_return_val_if_fail (MH_IS_SIMULATOR (self), NULL);

  return self->requests;
}

guint
mh_simulator_count_requests (MhSimulator *self,
                             const char  *endpoint)
{
  guint n = 0;

  g_return_val_if_fail (MH_IS_SIMULATOR (self), 0);

  for (guint i = 0; i < self->requests->len; i++)
    {
      MhSimRequest *req = g_ptr_array_index (self->requests, i);

      if (endpoint == NULL || g_strcmp0 (req->endpoint, endpoint) == 0)
        n++;
    }

  return n;
}

void
mh_simulator_clear_requests (MhSimulator *self)
{
  g_return_if_fail (MH_IS_SIMULATOR (self));

  g_ptr_array_set_size (self->requests, 0);
}

guint
mh_simulator_count_projects (MhSimulator *self)
{
  g_return_val_if_fail (MH_IS_SIMULATOR (self), 0);

  return g_hash_table_size (self->projects);
}

gboolean
mh_simulator_lookup_upload (MhSimulator  *self,
                            const char   *file_path,
                            guint64      *size,
                            char        **sha256)
{
  UploadRecord *record;

  g_return_val_if_fail (MH_IS_SIMULATOR (self), FALSE);
  g_return_val_if_fail (file_path != NULL, FALSE);

  record = g_hash_table_lookup (self->uploads, file_path);
  if (record == NULL)
    return FALSE;

  if (size != NULL)
    *size = record->size;
  if (sha256 != NULL)
    *sha256 = g_strdup (record->sha256);

  return TRUE;
}

char *
mh_simulator_dup_output_sha256 (MhSimulator *self,
                                const char  *project_id,
                                guint64     *size)
{
  SimProject *project;
  g_autoptr(MhSimOutput) output = NULL;

  g_return_val_if_fail (MH_IS_SIMULATOR (self), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  project = g_hash_table_lookup (self->projects, project_id);
  if (project == NULL)
    return NULL;

  output = mh_sim_output_new (project->tool->image ? MH_SIM_MEDIA_PNG : MH_SIM_MEDIA_MP4,
                              project->output_bytes);
  if (size != NULL)
    *size = mh_sim_output_get_size (output);

  return mh_sim_output_compute_sha256 (output);
}

void
mh_simulator_finish_project_now (MhSimulator *self,
                                 const char  *project_id)
{
  SimProject *project;

  g_return_if_fail (MH_IS_SIMULATOR (self));
  g_return_if_fail (project_id != NULL);

  project = g_hash_table_lookup (self->projects, project_id);
  if (project == NULL)
    return;

  project->created_mono_us = MIN (project->created_mono_us,
                                  g_get_monotonic_time () - project->render_us);
  settle_projects (self);
}

void
mh_simulator_expire_downloads (MhSimulator *self)
{
  GHashTableIter iter;
  SimProject *project;
  gint64 now = g_get_real_time ();

  g_return_if_fail (MH_IS_SIMULATOR (self));

  g_hash_table_iter_init (&iter, self->projects);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &project))
    for (guint i = 0; i < project->grants->len; i++)
      {
        DownloadGrant *grant = g_ptr_array_index (project->grants, i);

        grant->expires_us = MIN (grant->expires_us, now);
      }
}
