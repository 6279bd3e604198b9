/* mh-launch.c: opening a result, and showing it in its folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "mh-launch.h"
#include "mh-renderer.h"
#include "mh-window.h"

/* The task's data: the launch context of the widget's display. */
static void
launched_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_app_info_launch_default_for_uri_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
launch_uri (GTask      *task,
            const char *uri)
{
  GAppLaunchContext *context = g_task_get_task_data (task);

  g_app_info_launch_default_for_uri_async (uri, context, g_task_get_cancellable (task),
                                           launched_cb, task);
}

/* The app's own choice of renderer stays the app's: what it launches gets
 * the environment the person started it with. */
static GdkAppLaunchContext *
mh_launch_context_new (GtkWidget *widget)
{
  GdkAppLaunchContext *context = gdk_display_get_app_launch_context (gtk_widget_get_display (widget));

  if (mh_renderer_was_chosen ())
    g_app_launch_context_unsetenv (G_APP_LAUNCH_CONTEXT (context), "GSK_RENDERER");
  return context;
}

static GTask *
new_task (GtkWidget           *widget,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  GdkAppLaunchContext *context = mh_launch_context_new (widget);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, context, g_object_unref);
  return task;
}

void
mh_launch_open_async (GtkWidget           *widget,
                      const char          *path,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *uri = NULL;
  GTask *task;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (path != NULL);

  task = new_task (widget, cancellable, callback, user_data, mh_launch_open_async);
  file = g_file_new_for_path (path);
  uri = g_file_get_uri (file);
  launch_uri (task, uri);
}

/* Ends @task when the way just tried worked (@done) or was cancelled;
 * FALSE when it failed otherwise and the next way is to be tried. */
static gboolean
return_if_over (GTask    *task,
                gboolean  done,
                GError  **error)
{
  if (done)
    g_task_return_boolean (task, TRUE);
  else if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (error));
  else
    return FALSE;

  g_object_unref (task);
  return TRUE;
}

/* No file manager on the bus: open the folder itself. */
static void
show_folder_fallback (GTask *task)
{
  GFile *file = g_object_get_data (G_OBJECT (task), "mh-file");
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autofree char *folder_uri = NULL;

  if (folder == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  folder_uri = g_file_get_uri (folder);
  launch_uri (task, folder_uri);
}

/* The portal's OpenDirectory: the folder opened with the file selected,
 * from inside a sandbox too (where FileManager1 is out of reach), or from
 * any desktop that has the portal. Its answer comes later as a Request
 * signal; that the call was taken is enough here. */
static void
open_directory_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_with_unix_fd_list_finish (G_DBUS_CONNECTION (source), NULL,
                                                           result, &error);
  if (!return_if_over (task, reply != NULL, &error))
    {
      g_debug ("The portal's OpenDirectory failed: %s", error->message);
      show_folder_fallback (task);
    }
}

static void
open_directory (GTask           *task,
                GDBusConnection *bus)
{
  GFile *file = g_object_get_data (G_OBJECT (task), "mh-file");
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GUnixFDList) fds = NULL;
  g_autoptr(GError) error = NULL;
  GVariantBuilder options;
  int fd, handle;

  fd = path != NULL ? g_open (path, O_RDONLY | O_CLOEXEC, 0) : -1;
  if (fd < 0)
    {
      show_folder_fallback (task);
      return;
    }

  fds = g_unix_fd_list_new ();
  handle = g_unix_fd_list_append (fds, fd, &error);
  g_close (fd, NULL);
  if (handle < 0)
    {
      show_folder_fallback (task);
      return;
    }

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_dbus_connection_call_with_unix_fd_list (bus,
                                            "org.freedesktop.portal.Desktop",
                                            "/org/freedesktop/portal/desktop",
                                            "org.freedesktop.portal.OpenURI",
                                            "OpenDirectory",
                                            g_variant_new ("(sha{sv})", "", handle, &options),
                                            G_VARIANT_TYPE ("(o)"),
                                            G_DBUS_CALL_FLAGS_NONE,
                                            -1,
                                            fds,
                                            g_task_get_cancellable (task),
                                            open_directory_cb,
                                            task);
}

static void
show_items_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (!return_if_over (task, reply != NULL, &error))
    open_directory (task, g_object_get_data (G_OBJECT (task), "mh-bus"));
}

static void
session_bus_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  GFile *file = g_object_get_data (G_OBJECT (task), "mh-file");
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_file_get_uri (file);
  const char *uris[] = { uri, NULL };

  bus = g_bus_get_finish (result, &error);
  if (bus == NULL)
    {
      if (!return_if_over (task, FALSE, &error))
        show_folder_fallback (task);
      return;
    }

  g_object_set_data_full (G_OBJECT (task), "mh-bus", g_object_ref (bus), g_object_unref);

  /* In a sandbox the file manager's own interface is not reachable: the
   * portal is the way. */
  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      open_directory (task, bus);
      return;
    }

  g_dbus_connection_call (bus,
                          "org.freedesktop.FileManager1",
                          "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1",
                          "ShowItems",
                          g_variant_new ("(^ass)", uris, ""),
                          NULL,
                          G_DBUS_CALL_FLAGS_NONE,
                          -1,
                          g_task_get_cancellable (task),
                          show_items_cb,
                          task);
}

void
mh_launch_show_in_folder_async (GtkWidget           *widget,
                                const char          *path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (path != NULL);

  task = new_task (widget, cancellable, callback, user_data, mh_launch_show_in_folder_async);
  g_object_set_data_full (G_OBJECT (task), "mh-file", g_file_new_for_path (path), g_object_unref);
  g_bus_get (G_BUS_TYPE_SESSION, cancellable, session_bus_cb, task);
}

gboolean
mh_launch_finish (GAsyncResult  *result,
                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* When no app opens it                                                     */

/* Said in the window the chooser belongs to. */
static void
add_toast_text (GtkWindow  *window,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  if (MH_IS_WINDOW (window))
    mh_window_add_toast (MH_WINDOW (window), adw_toast_new (escaped));
  else
    g_message ("%s", text);
}

static void
app_chosen_cb (GtkDialog *dialog,
               int        response,
               gpointer   user_data)
{
  g_autoptr(GAppInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  GFile *file = g_object_get_data (G_OBJECT (dialog), "mh-file");
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));
  GList files = { file, NULL, NULL };

  if (response == GTK_RESPONSE_OK)
    info = gtk_app_chooser_get_app_info (GTK_APP_CHOOSER (dialog));

  if (info != NULL)
    {
      g_autoptr(GdkAppLaunchContext) context = mh_launch_context_new (GTK_WIDGET (dialog));

      if (!g_app_info_launch (info, &files, G_APP_LAUNCH_CONTEXT (context), &error))
        {
          /* Translators: "Could not open it with Videos: <reason>" */
          g_autofree char *text = g_strdup_printf (_("Could not open it with %s: %s"),
                                                   g_app_info_get_display_name (info), error->message);

          add_toast_text (parent, text);
        }
    }

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
chooser_destroy_cb (GtkWidget *dialog,
                    GtkWindow *parent)
{
  if (g_object_get_data (G_OBJECT (parent), "mh-app-chooser") == dialog)
    g_object_set_data (G_OBJECT (parent), "mh-app-chooser", NULL);
}

void
mh_launch_open_with (GtkWidget  *widget,
                     const char *path)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWindow *parent = GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
  GtkWidget *dialog = parent != NULL ? g_object_get_data (G_OBJECT (parent), "mh-app-chooser") : NULL;
  g_autoptr(GFile) file = NULL;

  g_return_if_fail (path != NULL);

  if (dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  file = g_file_new_for_path (path);
  dialog = gtk_app_chooser_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, file);
  gtk_window_set_title (GTK_WINDOW (dialog), _("Open With"));
  g_object_set_data_full (G_OBJECT (dialog), "mh-file", g_steal_pointer (&file), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (app_chosen_cb), NULL);
  if (parent != NULL)
    {
      /* Forgotten by the window when the chooser goes. */
      g_object_set_data (G_OBJECT (parent), "mh-app-chooser", dialog);
      g_signal_connect_object (dialog, "destroy", G_CALLBACK (chooser_destroy_cb), parent, 0);
    }
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_with_clicked_cb (AdwToast  *toast,
                      GtkWidget *widget)
{
  const char *path = g_object_get_data (G_OBJECT (toast), "mh-path");

  if (path != NULL)
    mh_launch_open_with (widget, path);
}

AdwToast *
mh_launch_failure_toast (GtkWidget    *widget,
                         const char   *path,
                         const GError *error)
{
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error != NULL, NULL);

  name = g_filename_display_basename (path);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    text = g_strdup_printf (_("“%s” is no longer in its folder"), name);
  else
    /* No app is registered for the file's type: GLib's sentence names a
     * MIME type; the app chooser helps. */
    text = g_strdup_printf (_("No app is set to open “%s”"), name);
  g_debug ("Opening %s failed: %s", path, error->message);

  escaped = g_markup_escape_text (text, -1);
  toast = adw_toast_new (escaped);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      adw_toast_set_button_label (toast, _("Open _With…"));
      g_object_set_data_full (G_OBJECT (toast), "mh-path", g_strdup (path), g_free);
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (open_with_clicked_cb), widget, 0);
    }
  return toast;
}
