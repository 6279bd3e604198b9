/* mh-window.h: the main window, a tab per tool
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mh-application.h"

G_BEGIN_DECLS

#define MH_TYPE_WINDOW (mh_window_get_type ())
G_DECLARE_FINAL_TYPE (MhWindow, mh_window, MH, WINDOW, AdwApplicationWindow)

MhWindow  *mh_window_new        (MhApplication  *application);
/* Shows @tool_id (NULL: the one the files suit best, else the last one used)
 * with @files placed in its slots by type. */
void       mh_window_open       (MhWindow       *self,
                                 const char     *tool_id,
                                 GFile         **files,
                                 guint           n_files);
void       mh_window_show_tool  (MhWindow       *self,
                                 const char     *tool_id);
GtkWidget *mh_window_get_form   (MhWindow       *self,
                                 const char     *tool_id);
/* The History page (the tabs' last): every job run on this computer. */
void       mh_window_show_history     (MhWindow *self);
GtkWidget *mh_window_get_history_page (MhWindow *self);
void       mh_window_add_toast  (MhWindow       *self,
                                 AdwToast       *toast);

G_END_DECLS
