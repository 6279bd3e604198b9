/* mh-headshot-page.h: the headshot tab
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MH_TYPE_HEADSHOT_PAGE (mh_headshot_page_get_type ())
G_DECLARE_FINAL_TYPE (MhHeadshotPage, mh_headshot_page, MH, HEADSHOT_PAGE, AdwBin)

/* Property "form": the page's MhToolForm. */

G_END_DECLS
