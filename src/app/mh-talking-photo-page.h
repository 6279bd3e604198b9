/* mh-talking-photo-page.h: the talking photo tab
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MH_TYPE_TALKING_PHOTO_PAGE (mh_talking_photo_page_get_type ())
G_DECLARE_FINAL_TYPE (MhTalkingPhotoPage, mh_talking_photo_page, MH, TALKING_PHOTO_PAGE, AdwBin)

/* Property "form": the page's MhToolForm. */

G_END_DECLS
