/* mh-client.h: one connection to the Magic Hour API
 *
 * Holds the base URL, the API key and one SoupSession, and enforces the
 * contract's transport rules: never an empty Bearer, never the key over
 * plain HTTP except to loopback, no Authorization to storage URLs, bounded
 * retries with backoff and jitter where a retry is safe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Bytes moved so far, and the total (0 when unknown). */
typedef void (*MhProgressFunc) (guint64  done,
                                guint64  total,
                                gpointer user_data);

#define MH_DEFAULT_BASE_URL "https://api.magichour.ai"

typedef enum
{
  MH_KEY_SOURCE_NONE,
  MH_KEY_SOURCE_ENVIRONMENT,
  MH_KEY_SOURCE_KEYRING,
  MH_KEY_SOURCE_EXPLICIT,
} MhKeySource;

typedef enum
{
  MH_CALL_IDEMPOTENT = 1 << 0,  /* safe to send again: GET, DELETE, upload-urls */
  MH_CALL_CREATE     = 1 << 1,  /* sent again only when the API said nothing was made */
} MhCallFlags;

/* An answer that arrived but could not be read (not JSON, too large, too
 * deep, too slow) is asked for this often at the most on an idempotent
 * call: a server that garbles one answer garbles the next. */
#define MH_CLIENT_UNREADABLE_ATTEMPTS 3

#define MH_TYPE_CLIENT (mh_client_get_type ())
G_DECLARE_FINAL_TYPE (MhClient, mh_client, MH, CLIENT, GObject)

/* @base_url NULL: $MAGIC_HOUR_API_BASE_URL when set, else the default. */
MhClient     *mh_client_new                  (const char          *base_url);
const char   *mh_client_env_base_url         (void);

const char   *mh_client_get_base_url         (MhClient            *self);
/* The transport rule for an API address typed by a person: https://, or
 * http:// only to this computer (the key travels with every request). Returns
 * it without trailing slashes, or NULL with MH_ERROR_INVALID_INPUT /
 * MH_ERROR_INSECURE and a sentence saying why. */
char         *mh_client_normalize_base_url   (const char          *text,
                                              GError             **error);
gboolean      mh_client_is_loopback          (MhClient            *self);
SoupSession  *mh_client_get_session          (MhClient            *self);

void          mh_client_set_api_key          (MhClient            *self,
                                              const char          *api_key);
gboolean      mh_client_has_api_key          (MhClient            *self);
MhKeySource   mh_client_get_key_source       (MhClient            *self);
/* $MAGIC_HOUR_API_KEY when set, else the keyring. Finishes TRUE when a key
 * was found; a keyring that cannot be reached, or does not answer within
 * MH_KEYRING_TIMEOUT_SECONDS, is not an error, just no key (and
 * mh_client_get_keyring_error() says why). */
void          mh_client_load_api_key_async   (MhClient            *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean      mh_client_load_api_key_finish  (MhClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
/* Why the last load found no key in the keyring because the keyring
 * failed, else NULL (a key, none stored, or from the environment). */
const GError *mh_client_get_keyring_error    (MhClient            *self);
/* The keyring did not answer within the limit (G_IO_ERROR_TIMED_OUT). */
gboolean      mh_client_keyring_timed_out    (MhClient            *self);

/* Whether an API call could be sent now (a key, a safe transport). */
gboolean      mh_client_check_ready          (MhClient            *self,
                                              GError             **error);

/* Timing knobs; tests make them small. */
void          mh_client_set_retry_policy     (MhClient            *self,
                                              guint                max_attempts,
                                              double               base_delay,
                                              double               max_delay);
guint         mh_client_get_max_attempts     (MhClient            *self);
double        mh_client_backoff              (MhClient            *self,
                                              guint                attempt);
void          mh_client_set_poll_scale       (MhClient            *self,
                                              double               scale);
double        mh_client_get_poll_scale       (MhClient            *self);
/* The longest one API request may take, its answer read (60 s). */
void          mh_client_set_deadline         (MhClient            *self,
                                              double               seconds);
double        mh_client_get_deadline         (MhClient            *self);
/* A download or upload fails when no byte moved for this long (seconds;
 * default MH_CLIENT_TRANSFER_TIMEOUT). */
#define MH_CLIENT_TRANSFER_TIMEOUT 60.0
void          mh_client_set_transfer_timeout (MhClient            *self,
                                              double               seconds);
double        mh_client_get_transfer_timeout (MhClient            *self);
/* An http:// or https:// URL with a host: the only kind a transfer is
 * started with (libsoup warns about any other before it fails). */
gboolean      mh_client_is_web_url           (const char          *url);

/* One API call with the retries its flags allow. @path starts with "/v1/".
 * @body may be NULL. @what names the step for error messages ("Creating the
 * job"). Finishes with the parsed JSON answer (NULL for 204). The number of
 * attempts made is stored for tests and statistics. */
void          mh_client_call_async           (MhClient            *self,
                                              const char          *method,
                                              const char          *path,
                                              JsonNode            *body,
                                              MhCallFlags          flags,
                                              const char          *what,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonNode     *mh_client_call_finish          (MhClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* A GET of an account's details; 404 (older API) finishes with NULL and
 * no error. */
void          mh_client_get_account_async    (MhClient            *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonNode     *mh_client_get_account_finish   (MhClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* A network failure (GIO/TLS/Soup error) as an MH_ERROR_NETWORK error a
 * person understands; cancellation is passed through unchanged. */
GError       *mh_client_wrap_network_error   (MhClient            *self,
                                              const char          *url,
                                              const char          *what,
                                              GError              *error);
/* Counts every API request sent (status calls per job in the benchmarks). */
guint         mh_client_get_requests_sent    (MhClient            *self,
                                              const char          *method);

G_END_DECLS
