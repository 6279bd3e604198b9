/* mh-lip-sync-page.h: the lip sync tab
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MH_TYPE_LIP_SYNC_PAGE (mh_lip_sync_page_get_type ())
G_DECLARE_FINAL_TYPE (MhLipSyncPage, mh_lip_sync_page, MH, LIP_SYNC_PAGE, AdwBin)

/* Property "form": the page's MhToolForm. */

G_END_DECLS
