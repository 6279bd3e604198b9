/* mh-toast-area.h: the page, and the toasts above its bottom bars
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MH_TYPE_TOAST_AREA (mh_toast_area_get_type ())
G_DECLARE_FINAL_TYPE (MhToastArea, mh_toast_area, MH, TOAST_AREA, GtkWidget)

GtkWidget *mh_toast_area_new       (void);
GtkWidget *mh_toast_area_get_child (MhToastArea *self);
void       mh_toast_area_set_child (MhToastArea *self,
                                    GtkWidget   *child);
/* A bar at the bottom of a page, or a button (under @self's child), that
 * toasts must never cover: a toast that would moves up above it. */
void       mh_toast_area_add_bar   (MhToastArea *self,
                                    GtkWidget   *bar);
void       mh_toast_area_add_buttons (MhToastArea *self,
                                      GtkWidget   *root);
void       mh_toast_area_add_toast (MhToastArea *self,
                                    AdwToast    *toast);

G_END_DECLS
