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
#define MH_SIM_ENDPOINT_FACE_DETECTION "face-detection"  /* POST /v1/face-detection */
#define MH_SIM_ENDPOINT_FACE_STATUS    "face-status"     /* GET /v1/face-detection/{id} */
#define MH_SIM_ENDPOINT_FACE_CROP      "face-crop"       /* GET of a face's crop URL */
#define MH_SIM_ENDPOINT_SAVED_ITEMS "saved-items"  /* GET /v1/saved-items */
#define MH_SIM_ENDPOINT_SAVED_ITEM_FILE "saved-item-file" /* GET of a saved item's preview URL */

typedef enum
{
  MH_SIM_FAULT_STATUS,        /* answer with status @code and {"code": the status's code (see
                               * below), "message": @text or a default};
                               * mh_simulator_add_status_fault() sets another code */
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
  MH_SIM_FAULT_TEMPLATE,      /* create: the project is a template: a DELETE of it (a video
                               * project) answers 422 unprocessable_entity, every time;
                               * delete: this DELETE answers so, whatever the project */
  MH_SIM_FAULT_EXPIRING,      /* project: the download links of this answer expire in @code
                               * seconds (they work until then); later answers give
                               * long-lived ones again */
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

/* Error answers: {"code": "...", "message": "..."}, the code by the status as
 * the contract's table (December 2026): 400 invalid_request, 401
 * unauthorized, 402 insufficient_credits (or subscription_required,
 * plan_upgrade_required), 404 not_found, 422 unprocessable_entity, 500
 * internal_server_error; 403, 405, 411, 429, 502, 503 and 504 without a code.
 *
 * Talking Photo (December 2026): the six mode names (standard and expressive
 * are prompted, pro and stable realistic); clips of at most 300 s realistic,
 * 60 s prompted (422 beyond); "resolution" "480p" | "720p" (else 400), the
 * deprecated "max_resolution" (an integer >= 1) mapped to 480p below 1280 and
 * to 720p from 1280, and ignored next to "resolution"; by default 480p
 * prompted and the plan's best realistic; the free plan is capped at 480p;
 * "style.intensity" 0.1-2.
 *
 * Properties, also settable with g_object_set():
 *   "render-seconds"         double, how long a project takes from create to complete (default 20);
 *                            queued for the first fifth of that, then rendering
 *   "required-key"           string, the only key accepted; NULL (default): any non-empty key
 *   "credits"                int64, the account's balance (default 1000000); each create is
 *                            charged at once (talking photo: ceil (seconds * 48) credits
 *                            realistic, * 20 prompted; lip sync: frames at 30 fps or
 *                            max_fps_limit when lower, * 1 lite/standard, * 2 pro; headshot
 *                            50); a create costing more than the balance gets 402
 *                            insufficient_credits; refunded when a render fails
 *   "tier"                   string, "free" | "creator" | "pro" | "business" (default "creator");
 *                            on "free", lip-sync pro answers 402 plan_upgrade_required and
 *                            talking photo renders at most at 480p (else 720p)
 *   "past-due"               boolean (default FALSE): the subscription's payment is past due:
 *                            /v1/account gives subscription.status "past_due" (the plan of
 *                            "tier", Creator if that is free) and tier "free", and the
 *                            account is served as a free one
 *   "no-account"             boolean (default FALSE): GET /v1/account answers 404, as an older
 *                            server without the endpoint
 *   "legacy-errors"          boolean (default FALSE): error bodies carry only "message", as
 *                            older answers did
 *   "output-bytes"           uint64, size of each output file; 0 (default) serves the built-in
 *                            sample as it is; larger pads a valid MP4 / PNG up to that size
 *                            (read when a project is created; a size less than 8 (MP4) or 12
 *                            (PNG) bytes above the sample's cannot be padded: the sample is served)
 *   "upload-url-lifetime"    double seconds (default 900)
 *   "upload-keep-bytes"      uint64 (default 0): the first bytes of each upload kept, so a
 *                            test can read a short upload back whole
 *                            (mh_simulator_dup_upload_head()); 0 keeps none
 *   "download-url-lifetime"  double seconds (default 86400)
 *   "faces"                  uint, the faces face detection finds in a photo (default 1) unless
 *                            the photo's file name says otherwise: "no-face" 0, "one-face" 1,
 *                            "two-faces" 2, "faces-N" N (uploads get names of the server's own);
 *                            a detection takes a tenth of "render-seconds", at most 1 s; a name
 *                            with "face-error" makes it end in status "error"
 *   "library-dir"            string, a folder whose files GET /v1/saved-items serves as the
 *                            user's library (images: characters, audio: voices, videos:
 *                            references; named after the file); NULL (default): a few built-in
 *                            items. Read on the first request that needs the library
 *   "storage-url"            string, for benchmarks only: the base URL of an external receiver
 *                            (bench/sink) that takes the uploads and serves the outputs; NULL
 *                            (default): the simulator's own /storage/. Upload URLs become
 *                            STORAGE-URL/api-assets/ID/NAME.EXT?expires=&signature= and output
 *                            URLs STORAGE-URL/output/PROJECT/NAME?expires=&signature=. The
 *                            simulator does not see those uploads, so a create accepts any
 *                            api-assets/ path it handed out without checking that anything
 *                            (or what) was uploaded there, and mh_simulator_lookup_upload()
 *                            knows nothing of them
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
/* A STATUS fault whose body has the code @error_code (NULL: the status's own,
 * "-": none) and the message @message (NULL: a default), e.g. 402
 * "subscription_required". */
void          mh_simulator_add_status_fault    (MhSimulator     *self,
                                                const char      *endpoint,
                                                guint            count,
                                                guint            status,
                                                const char      *error_code,
                                                const char      *message);
/* Parses "ENDPOINT:KIND[:COUNT[:ARG]]", KIND one of status, drop, malformed, slow,
 * expired-url, render-error, hostile-name, canceled, stall, downloads, download-url,
 * template, expiring; ARG is the status (STATUS[:CODE[:MESSAGE]], e.g.
 * "create:status:1:402:subscription_required"; CODE "-" for none), the delay in
 * ms, the error code, the name, the bytes before the stall, the number of
 * downloads, the URL (which may hold ":") or the seconds an expiring link has
 * left (default 30). Used by `simulator --fault`. */
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
/* The length in seconds of the media uploaded at @file_path (WAV, MP3,
 * Ogg... read as mh-media.h reads them), for uploads of at most 1 MiB;
 * -1 when unknown, longer, or nothing was uploaded there. */
double        mh_simulator_get_upload_seconds  (MhSimulator     *self,
                                                const char      *file_path);
/* The first "upload-keep-bytes" bytes uploaded at @file_path (all of a
 * shorter file), or NULL. */
GBytes       *mh_simulator_dup_upload_head     (MhSimulator     *self,
                                                const char      *file_path);
/* The SHA-256 (hex) and size of the output file the project serves. */
char         *mh_simulator_dup_output_sha256   (MhSimulator     *self,
                                                const char      *project_id,
                                                guint64         *size);
/* The preset a talking photo project renders at ("480p" or "720p", what the
 * simulator decided from resolution, max_resolution, the mode and the plan);
 * NULL for other projects. Also in the project's JSON as "x_sim_resolution". */
const char   *mh_simulator_get_project_resolution (MhSimulator  *self,
                                                   const char   *project_id);
/* Moves the project's clock so that it completes now (tests of long renders). */
void          mh_simulator_finish_project_now  (MhSimulator     *self,
                                                const char      *project_id);
/* Makes every download URL handed out so far expire now. */
void          mh_simulator_expire_downloads    (MhSimulator     *self);

G_END_DECLS
