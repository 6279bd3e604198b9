/* mh-sim-private.h: what the parts of the simulator share
 *
 * The simulator is one GObject (MhSimulator, mh-simulator.c) whose work is
 * split by concern: mh-sim-http.c (requests in flight, answers, routing),
 * mh-sim-faults.c (fault injection), mh-sim-storage.c (uploads and
 * downloads), mh-sim-projects.c (creates and projects), mh-sim-account.c
 * (the account), mh-sim-faces.c (face detection), mh-sim-library.c (saved
 * items). This header holds the server's state and the functions the
 * parts call in each other. Not installed, not used outside src/simulator/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "mh-json.h"
#include "mh-sim-media.h"
#include "mh-simulator.h"
#include "mh-tool.h"

G_BEGIN_DECLS

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
  char           *error_code;   /* STATUS: the body's "code"; NULL: the status's own */
} SimFault;

typedef struct _SimDetection SimDetection;   /* mh-sim-faces.c */

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
  double   seconds;   /* the media's length, read from it; -1 unknown (or too long to keep) */
  GBytes  *head;      /* its first "upload-keep-bytes" bytes; NULL when none are kept */
} UploadRecord;

/* An upload this long or shorter is kept while it arrives, to read its
 * media length (a few seconds of speech: what a cut sends); a longer one's
 * length is not known (its header alone may not tell it). */
#define SIM_UPLOAD_HEAD_BYTES (1024 * 1024)

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
  const char     *resolution;    /* talking photo: the preset it renders at; NULL otherwise */
  gboolean        template;      /* a DELETE answers 422 */
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
  GByteArray        *head;       /* PUT bodies: the first bytes (SIM_UPLOAD_HEAD_BYTES, or more
                                  * to keep) */
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
  guint64         upload_keep_bytes;
  double          download_url_lifetime;
  gboolean        legacy_errors;
  gboolean        past_due;
  gboolean        no_account;
  char           *storage_url;  /* uploads and outputs live there; NULL: here (see
                                 * "storage-url" in mh-simulator.h) */

  GHashTable     *faults;       /* endpoint -> GQueue of SimFault */
  GPtrArray      *requests;     /* of MhSimRequest (GRcBox) */
  GHashTable     *upload_slots; /* token -> UploadSlot */
  GHashTable     *uploads;      /* file_path -> UploadRecord */
  GHashTable     *projects;     /* id -> SimProject */
  GHashTable     *exchanges;    /* live SimExchange set */

  guint           faces;        /* faces in a photo without a marker */
  GHashTable     *detections;   /* id -> SimDetection */
  char           *library_dir;  /* serves its files as saved items; NULL: built-in */
  GPtrArray      *library;      /* of SimSavedItem, newest first; made on first use */
};
typedef enum
{
  FIELD_ABSENT,
  FIELD_PRESENT,
  FIELD_INVALID,
} FieldState;

/* The create endpoints (mh-sim-projects.c). */
extern const SimTool sim_tools[3];

/* Tells the "credits" property changed (mh-simulator.c). */
void
sim_notify_credits (MhSimulator *self);

/* mh-simulator.c */
void
sim_download_grant_free (DownloadGrant *grant);

char *
sim_format_iso8601 (gint64 real_us);

char *
sim_new_cuid (MhSimulator *self);

char *
sim_random_string (MhSimulator *self,
                   const char  *alphabet,
                   guint        len);

char *
sim_sign (MhSimulator *self,
          const char  *what,
          gint64       expires);

void
sim_fault_clear (SimFault *fault);

void
sim_fault_free (SimFault *fault);

void
sim_request_unref (gpointer data);

/* mh-sim-faults.c */
gboolean
sim_exchange_has_fault (SimExchange    *ex,
                        MhSimFaultKind  kind);

gboolean
sim_take_fault (MhSimulator *self,
                const char  *endpoint,
                SimFault    *out);

/* mh-sim-http.c */
void
sim_exchange_stream (SimExchange *ex,
                     guint        status,
                     const char  *content_type,
                     guint64      total,
                     guint64      limit);

FieldState
sim_get_member (JsonObject  *object,
                const char  *member,
                const char  *path,
                gboolean     required,
                JsonNode   **out,
                char       **message);

FieldState
sim_get_number (JsonObject  *object,
                const char  *member,
                const char  *path,
                gboolean     required,
                gboolean     integer,
                double      *out,
                char       **message);

FieldState
sim_get_object (JsonObject  *object,
                const char  *member,
                const char  *path,
                gboolean     required,
                JsonObject **out,
                char       **message);

FieldState
sim_get_string (JsonObject  *object,
                const char  *member,
                const char  *path,
                gboolean     required,
                const char **out,
                char       **message);

/* The one place that writes error bodies: {"code": @code, "message": @message}.
 * @code NULL: the contract's code for @status (none for 403, 405, 411, 429,
 * 502, 503, 504); "-": no code; @message NULL: a default. With the
 * "legacy-errors" property the body has only "message", as older answers. */
void
sim_respond_error_code (SimExchange *ex,
                        guint        status,
                        const char  *code,
                        const char  *message);

/* An error with the contract's code for @status. */
void
sim_respond_error (SimExchange *ex,
                   guint        status,
                   const char  *message);

G_GNUC_PRINTF (3, 4)
void
sim_respond_errorf (SimExchange *ex,
                    guint        status,
                    const char  *format,
                    ...);

void
sim_respond_json (SimExchange *ex,
                  guint        status,
                  JsonNode    *node);

void
sim_server_handler (SoupServer        *server,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data);

void
sim_server_request_started (SoupServer        *server,
                            SoupServerMessage *msg,
                            MhSimulator       *self);

/* mh-sim-storage.c */
gboolean
sim_check_asset (MhSimulator    *self,
                 const SimTool  *tool,
                 const char     *value,
                 const char     *path,
                 MhAssetType     type,
                 char          **message);

char *
sim_encode_segment (const char *text);

char *
sim_signed_storage_url (MhSimulator *self,
                        const char  *path,
                        const char  *what,
                        double       lifetime_s);

gboolean
sim_check_signed_url (MhSimulator *self,
                      SimExchange *ex,
                      const char  *what);

void
sim_handle_download (MhSimulator *self,
                     SimExchange *ex,
                     const char  *rest);

void
sim_handle_upload (MhSimulator *self,
                   SimExchange *ex,
                   const char  *token);

void
sim_handle_upload_urls (MhSimulator *self,
                        SimExchange *ex);

gint64
sim_lifetime_us (double seconds);

DownloadGrant *
sim_project_new_grant (MhSimulator *self,
                       SimProject  *project,
                       gint64       expires_us);

gint64
sim_url_expires (gint64 expires_us);

/* mh-sim-projects.c */
void
sim_handle_create (MhSimulator   *self,
                   SimExchange   *ex,
                   const SimTool *tool);

void
sim_handle_project (MhSimulator *self,
                    SimExchange *ex,
                    gboolean     image,
                    const char  *id);

void
sim_settle_projects (MhSimulator *self);

/* mh-sim-library.c */
typedef struct _SimSavedItem SimSavedItem;

void
sim_saved_item_free (SimSavedItem *item);

gboolean
sim_check_saved_item (MhSimulator    *self,
                      const SimTool  *tool,
                      const char     *value,
                      const char     *path,
                      MhAssetType     type,
                      char          **message);

void
sim_handle_saved_items (MhSimulator *self,
                        SimExchange *ex);

void
sim_handle_saved_item_file (MhSimulator *self,
                            SimExchange *ex,
                            const char  *file_path);

/* mh-sim-account.c */
/* The tier the account is served as: "free" while a payment is past due. */
const char *
sim_account_tier (MhSimulator *self);

void
sim_handle_account (MhSimulator *self,
                    SimExchange *ex);

/* mh-sim-faces.c */
void
sim_detection_free (SimDetection *detection);

void
sim_handle_face_detection (MhSimulator *self,
                           SimExchange *ex);

void
sim_handle_face_status (MhSimulator *self,
                        SimExchange *ex,
                        const char  *id);

void
sim_handle_face_crop (MhSimulator *self,
                      SimExchange *ex,
                      const char  *rest);

G_END_DECLS
