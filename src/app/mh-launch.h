/* mh-launch.h: opening a result, and showing it in its folder
 *
 * What the job view and the history do with a file on disk: open it with
 * the default application, or show it selected in the file manager
 * (FileManager1.ShowItems; else, and always in a sandbox, the portal's
 * OpenURI.OpenDirectory; else the folder itself, opened by its URI).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* @widget gives the display to launch on. */
void     mh_launch_open_async           (GtkWidget           *widget,
                                         const char          *path,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
void     mh_launch_show_in_folder_async (GtkWidget           *widget,
                                         const char          *path,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* For both; the error's message is for people. */
gboolean mh_launch_finish               (GAsyncResult        *result,
                                         GError             **error);


/* What to say when opening @path failed with @error (not a cancel): that the
 * file is gone, or, when no app is set for its type (no video player
 * installed, say), a toast that names the file and offers Open With…, the
 * app chooser on @widget's window (one at a time per window). */
AdwToast *mh_launch_failure_toast       (GtkWidget           *widget,
                                         const char          *path,
                                         const GError        *error);
/* The app chooser for @path on @widget's window. */
void     mh_launch_open_with            (GtkWidget           *widget,
                                         const char          *path);

G_END_DECLS
