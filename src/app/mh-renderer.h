/* mh-renderer.h: GTK's cairo renderer where GL would be drawn in software
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *mh_renderer_for_machine (const char *dri_dir);
void        mh_renderer_choose      (void);
gboolean    mh_renderer_was_chosen  (void);

G_END_DECLS
