/* mh-preferences-window.h: the API key, the output folders, the API address
 *
 * The key in a password row, stored in the keyring (libsecret) and checked
 * against the API ("Key accepted" or the reason); the output folders
 * (GSettings, per kind of result); the API base URL in an advanced group.
 * Values that the environment overrides are shown as such.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mh-application.h"

G_BEGIN_DECLS

#define MH_TYPE_PREFERENCES_WINDOW (mh_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (MhPreferencesWindow, mh_preferences_window, MH, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *mh_preferences_window_new (MhApplication *application);

G_END_DECLS
