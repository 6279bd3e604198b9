/* mh-error.h: the engine's error domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "mh-tool.h"

G_BEGIN_DECLS

#define MH_ERROR (mh_error_quark ())

typedef enum
{
  MH_ERROR_INVALID_INPUT,      /* refused locally, nothing was sent */
  MH_ERROR_NO_KEY,             /* no API key configured */
  MH_ERROR_INSECURE,           /* the key would travel over plain HTTP */
  MH_ERROR_BAD_REQUEST,        /* 400 */
  MH_ERROR_UNAUTHORIZED,       /* 401 */
  MH_ERROR_PAYMENT_REQUIRED,   /* 402 */
  MH_ERROR_NOT_ON_PLAN,        /* 403 on an API call */
  MH_ERROR_NOT_FOUND,          /* 404 */
  MH_ERROR_UNPROCESSABLE,      /* 422 */
  MH_ERROR_RATE_LIMITED,       /* 429, after retries */
  MH_ERROR_SERVER,             /* 5xx, after retries */
  MH_ERROR_NETWORK,            /* connection failures, after retries */
  MH_ERROR_MALFORMED,          /* the server's answer could not be read */
  MH_ERROR_AMBIGUOUS_CREATE,   /* a create may or may not have happened */
  MH_ERROR_RENDER_FAILED,      /* the project ended in status "error" */
  MH_ERROR_PROJECT_CANCELED,   /* the project ended in status "canceled" */
  MH_ERROR_TIMED_OUT,          /* the render did not finish within the limit */
  MH_ERROR_EXPIRED,            /* a presigned URL expired and could not be renewed */
  MH_ERROR_UNUSABLE,           /* an answer that was read but cannot be used, and never will */
  MH_ERROR_SUBSCRIPTION_REQUIRED, /* 402 subscription_required */
  MH_ERROR_PLAN_UPGRADE_REQUIRED, /* 402 plan_upgrade_required */
  /* 402 insufficient_credits, or a 402 without a code */
  MH_ERROR_INSUFFICIENT_CREDITS = MH_ERROR_PAYMENT_REQUIRED,
} MhError;

GQuark       mh_error_quark                (void);

/* The messages name where the person sets the key and the address: the
 * app's Preferences by default; after this call (the command-line tool,
 * once at start) MAGIC_HOUR_API_KEY and --api-base-url instead. */
void         mh_error_use_cli_words        (void);
gboolean     mh_error_get_cli_words        (void);

char        *mh_error_describe_render_code (const char *code,
                                            const char *server_message);
char        *mh_error_message_from_body    (JsonNode   *body);
GError      *mh_error_new_for_status       (guint       status,
                                            const char *server_message,
                                            const char *what);
char        *mh_error_code_from_body       (JsonNode   *body);
GError      *mh_error_new_for_answer       (guint       status,
                                            const char *code,
                                            const char *server_message,
                                            const char *what);
GError      *mh_error_name_plan_option     (const GError *error,
                                            const MhTool *tool,
                                            GHashTable   *params);
GError      *mh_error_new_for_delete       (const GError *error,
                                            MhProjectKind kind);
const char  *mh_error_get_link             (const GError *error);
const char  *mh_error_get_link_label       (const GError *error);
gboolean     mh_error_is_refusal           (const GError *error);
gboolean     mh_error_is_transient         (const GError *error);

G_END_DECLS
