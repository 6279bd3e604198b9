/* mh-app-test-util.h: what the GUI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Renders @window as it is now into $MH_SCREENSHOT_DIR/@name (PNG), so anyone
 * can look at what the test saw; does nothing when the variable is unset. */
void mh_app_test_save_screenshot (GtkWidget  *window,
                                  const char *name);

G_END_DECLS
