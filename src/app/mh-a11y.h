/* mh-a11y.h: names for the parts of GTK's and libadwaita's widgets that
 * GTK 4.8 leaves unnamed
 *
 * A screen reader hears "GtkToggleButton" on a drop-down's button,
 * "GtkImage" on a video's play button and a password row's eye, "GtkScale"
 * on a video's position: those parts are inside the widgets, out of reach
 * of a .ui file. These name them once the widget is built.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The button inside @drop_down, which takes the focus, gets @name. */
void mh_a11y_name_drop_down      (GtkDropDown         *drop_down,
                                  const char          *name);
/* The play button, the position and the volume of @video's controls. */
void mh_a11y_name_video_controls (GtkVideo            *video);
/* The button that shows and hides the text of @row. */
void mh_a11y_name_password_peek  (AdwPasswordEntryRow *row);

/* Every button under @root (itself included) whose label has a mnemonic
 * is named by its label alone, also after the label changes; GTK 4.8 read
 * "_Open Open". */
void mh_a11y_fix_mnemonic_names  (GtkWidget           *root);

G_END_DECLS
