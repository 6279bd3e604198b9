/* mh-account.h: the Magic Hour account, as GET /v1/account tells it
 *
 * The balance, the plan and the state of the subscription, read-only
 * properties that notify when a refresh changes them. An account is fetched
 * only when its owner calls mh_account_refresh_async() (on the events it
 * chooses: start, a new key or address, the end of a job): never in a loop.
 * A server without the endpoint (404, an older API) leaves the account
 * unavailable, with no error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mh-client.h"

G_BEGIN_DECLS

#define MH_TYPE_ACCOUNT (mh_account_get_type ())
G_DECLARE_FINAL_TYPE (MhAccount, mh_account, MH, ACCOUNT, GObject)

MhAccount   *mh_account_new                       (void);

/* Asks the server for the account. Only the latest of overlapping refreshes
 * changes the properties. On success (or 404) the properties take the
 * answer (404: unavailable) and "changed" is emitted; on any other error
 * the account becomes unavailable, "changed" is emitted and the error is
 * returned; a cancelled refresh changes nothing. */
void         mh_account_refresh_async             (MhAccount           *self,
                                                   MhClient            *client,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean     mh_account_refresh_finish            (MhAccount           *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* Takes the fields of an answer of GET /v1/account (NULL: no account). */
void         mh_account_update_from_json          (MhAccount           *self,
                                                   JsonNode            *node);
/* Forgets everything: unavailable. A refresh under way changes nothing
 * when it ends (it asked for the account of an old key or address). */
void         mh_account_clear                     (MhAccount           *self);

/* TRUE once the server told the account; FALSE before, on 404 and after an error. */
gboolean     mh_account_get_available             (MhAccount           *self);
/* What can be spent now; -1 when unknown. */
gint64       mh_account_get_credits               (MhAccount           *self);
/* "free", "creator", "pro", "business"; NULL when unknown. */
const char  *mh_account_get_tier                  (MhAccount           *self);
const char  *mh_account_get_email                 (MhAccount           *self);
/* "active", "past_due" or another status the server gives; NULL: no subscription. */
const char  *mh_account_get_subscription_status   (MhAccount           *self);
const char  *mh_account_get_subscription_name     (MhAccount           *self);
/* "month", "year" or NULL. */
const char  *mh_account_get_billing_interval      (MhAccount           *self);
/* The end of the current period (the renewal date); NULL when none. */
GDateTime   *mh_account_get_current_period_end    (MhAccount           *self);
gboolean     mh_account_get_cancel_at_period_end  (MhAccount           *self);
gboolean     mh_account_is_past_due               (MhAccount           *self);

/* "1,250 credits · Pro plan" (mh_format_credits: the locale's separators), "100 credits" without a tier; NULL when unavailable. */
char        *mh_account_dup_summary               (MhAccount           *self);
/* The sentence a past_due subscription needs; NULL otherwise. */
const char  *mh_account_get_past_due_message      (MhAccount           *self);

G_END_DECLS
