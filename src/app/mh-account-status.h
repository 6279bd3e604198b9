/* mh-account-status.h: the balance and the plan, next to Generate
 *
 * "1,250 credits · Pro plan", and a subscription whose payment is past due
 * said plainly with a link to magichour.ai. Hidden while the account is not
 * available (no key, an error, a server without GET /v1/account).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mh-account.h"

G_BEGIN_DECLS

#define MH_TYPE_ACCOUNT_STATUS (mh_account_status_get_type ())
G_DECLARE_FINAL_TYPE (MhAccountStatus, mh_account_status, MH, ACCOUNT_STATUS, GtkBox)

/* Where the account's payment is put right. */
#define MH_ACCOUNT_URL "https://magichour.ai"

GtkWidget *mh_account_status_new         (void);
/* Follows @account (NULL: none) from now on. */
void       mh_account_status_set_account (MhAccountStatus *self,
                                          MhAccount       *account);

G_END_DECLS
