/* mh-spinner.h: spinners that turn only where someone can see them
 *
 * A GtkSpinner animates through CSS, and GTK 4.8 runs that animation (and
 * redraws the window every frame) also while the spinner is unmapped: on a
 * stack page not shown, in a closed popover, on another tab. Every spinner
 * of the app is driven through mh_spinner_set_spinning(), which records
 * whether it should spin and lets it turn only while it is mapped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* @spinning: whether the work it stands for goes on; the spinner turns
 * while that is so and it is mapped. */
void     mh_spinner_set_spinning (GtkSpinner *spinner,
                                  gboolean    spinning);
/* What was last asked of @spinner with mh_spinner_set_spinning(). */
gboolean mh_spinner_get_wanted   (GtkSpinner *spinner);

G_END_DECLS
