/* mh-simulator.h: a local simulator of the Magic Hour API
 *
 * A SoupServer on loopback that speaks the contract of docs/CONTRACT.md (the
 * project's copy of the HTTP contract): upload URLs and the presigned PUT
 * target, the three creates, video and image project GETs with a
 * queued -> rendering -> complete progression, DELETE, output downloads and
 * the account. Used by the tests, the benchmarks, `magic-hour-studio-cli
 * simulator` and the app's demo mode. Bodies are streamed both ways: memory
 * does not grow with the size of an upload or a download.
 *
 * It runs on the thread-default main context of the thread that starts it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define MH_TYPE_SIMULATOR (mh_simulator_get_type ())
G_DECLARE_FINAL_TYPE (MhSimulator, mh_simulator, MH, SIMULATOR, GObject)

/* What a fault applies to. */
#define MH_SIM_ENDPOINT_UPLOAD_URLS "upload-urls"  /* POST /v1/files/upload-urls */
#define MH_SIM_ENDPOINT_UPLOAD      "upload"       /* PUT to a presigned upload URL */
#define MH_SIM_ENDPOINT_CREATE      "create"       /* POST of any of the three creates */
#define MH_SIM_ENDPOINT_PROJECT     "project"      /* GET /v1/{video,image}-projects/{id} */
#define MH_SIM_ENDPOINT_DELETE      "delete"       /* DELETE /v1/{video,image}-projects/{id} */
#define MH_SIM_ENDPOINT_DOWNLOAD    "download"     /* GET of an output URL */
#define MH_SIM_ENDPOINT_ACCOUNT     "account"      /* GET /v1/account */
#define MH_SIM_ENDPOINT_SAVED_ITEMS "saved-items"  /* GET /v1/saved-items */
#define MH_SIM_ENDPOINT_SAVED_ITEM_FILE "saved-item-file" /* GET of a saved item's preview URL */

typedef enum
{
  MH_SIM_FAULT_STATUS,        /* answer with status @code and {"message": @text or a default} */
  MH_SIM_FAULT_DROP,          /* break the connection mid-body (after about half of it) */
  MH_SIM_FAULT_MALFORMED,     /* answer 200 with a body that is not valid JSON */
  MH_SIM_FAULT_SLOW,          /* hold the answer back for @code milliseconds */
  MH_SIM_FAULT_EXPIRED_URL,   /* upload-urls / project: hand out URLs that have already expired */
  MH_SIM_FAULT_RENDER_ERROR,  /* create: the project ends in status "error" with code @text */
  MH_SIM_FAULT_HOSTILE_NAME,  /* create: the project's download URL ends in the name @text */
  MH_SIM_FAULT_CANCELED,      /* create: the project ends in status "canceled" */
  MH_SIM_FAULT_STALL,         /* download: stop sending after @code bytes (< 0: half) and keep
                               * the connection open; upload: stop reading after @code bytes
                               * (< 0: half) and never answer */
  MH_SIM_FAULT_DOWNLOADS,     /* create: the project offers @code download URLs (of one file) */
  MH_SIM_FAULT_DOWNLOAD_URL,  /* create: the project's download URL is @text, as it is */
} MhSimFaultKind;

/* One request as the simulator received it. */
typedef struct
{
  char     *method;
  char     *path;            /* without the query */
  char     *query;           /* NULL when none */
  char     *authorization;   /* the Authorization header, NULL when absent */
  char     *content_type;    /* NULL when absent */
  gint64    content_length;  /* -1 when the request had none */
  gboolean  chunked;         /* Transfer-Encoding: chunked */
  guint64   body_bytes;      /* bytes of body received */
  char     *body_sha256;     /* hex, for PUT bodies; NULL otherwise */
  JsonNode *json;            /* the parsed body of API calls; NULL otherwise */
  char     *endpoint;        /* one of MH_SIM_ENDPOINT_*, or NULL for unknown paths */
  guint     status;          /* the status it was answered with (0: connection dropped) */
} MhSimRequest;

MhSimulator  *mh_simulator_new                 (void);

/* Listens on 127.0.0.1:@port (0 picks a free port). */
gboolean      mh_simulator_start               (MhSimulator     *self,
                                                guint            port,
                                                GError         **error);
void          mh_simulator_stop                (MhSimulator     *self);
/* "http://127.0.0.1:PORT", no trailing slash; NULL until started. */
const char   *mh_simulator_get_base_url        (MhSimulator     *self);

/* Properties, also settable with g_object_set():
 *   "render-seconds"         double, how long a project takes from create to complete (default 20);
 *                            queued for the first fifth of that, then rendering
 *   "required-key"           string, the only key accepted; NULL (default): any non-empty key
 *   "credits"                int64, the account's balance (default 1000000); creates are refused
 *                            with 402 when it is too low; refunded when a render fails
 *   "tier"                   string, "free" | "creator" | "pro" | "business" (default "creator");
 *                            on "free", lip-sync standard/pro answer 403
 *   "output-bytes"           uint64, size of each output file; 0 (default) serves the built-in
 *                            sample as it is; larger pads a valid MP4 / PNG up to that size
 *                            (read when a project is created; a size less than 8 (MP4) or 12
 *                            (PNG) bytes above the sample's cannot be padded: the sample is served)
 *   "upload-url-lifetime"    double seconds (default 900)
 *   "download-url-lifetime"  double seconds (default 86400)
 *   "library-dir"            string, a folder whose files GET /v1/saved-items serves as the
 *                            user's library (images: characters, audio: voices, videos:
 *                            references; named after the file); NULL (default): a few built-in
 *                            items. Read on the first request that needs the library
 */
void          mh_simulator_set_render_seconds  (MhSimulator     *self,
                                                double           seconds);
void          mh_simulator_set_required_key    (MhSimulator     *self,
                                                const char      *key);
void          mh_simulator_set_output_bytes    (MhSimulator     *self,
                                                guint64          bytes);

/* The next @count requests to @endpoint get the fault. Faults on one endpoint
 * are used up in the order they were added. A request takes its fault when its
 * headers arrive, before authentication: a STATUS fault answers even a request
 * without a key. */
void          mh_simulator_add_fault           (MhSimulator     *self,
                                                const char      *endpoint,
                                                MhSimFaultKind   kind,
                                                guint            count,
                                                int              code,
                                                const char      *text);
/* Parses "ENDPOINT:KIND[:COUNT[:ARG]]", KIND one of status, drop, malformed, slow,
 * expired-url, render-error, hostile-name, canceled, stall, downloads, download-url;
 * ARG is the status code, the delay in ms, the error code, the name, the bytes
 * before the stall, the number of downloads or the URL (which may hold ":").
 * Used by `simulator --fault`. */
gboolean      mh_simulator_add_fault_from_string (MhSimulator   *self,
                                                  const char    *spec,
                                                  GError       **error);
void          mh_simulator_clear_faults        (MhSimulator     *self);

/* Every request received, oldest first; owned by the simulator. */
GPtrArray    *mh_simulator_get_requests        (MhSimulator     *self);
guint         mh_simulator_count_requests      (MhSimulator     *self,
                                                const char      *endpoint);
void          mh_simulator_clear_requests      (MhSimulator     *self);

/* The number of projects created (successful creates). */
guint         mh_simulator_count_projects      (MhSimulator     *self);
/* What was stored by PUT at an upload's file_path ("api-assets/..."):
 * FALSE if nothing complete was uploaded there. */
gboolean      mh_simulator_lookup_upload       (MhSimulator     *self,
                                                const char      *file_path,
                                                guint64         *size,
                                                char           **sha256);
/* The SHA-256 (hex) and size of the output file the project serves. */
char         *mh_simulator_dup_output_sha256   (MhSimulator     *self,
                                                const char      *project_id,
                                                guint64         *size);
/* Moves the project's clock so that it completes now (tests of long renders). */
void          mh_simulator_finish_project_now  (MhSimulator     *self,
                                                const char      *project_id);
/* Makes every download URL handed out so far expire now. */
void          mh_simulator_expire_downloads    (MhSimulator     *self);

G_END_DECLS
