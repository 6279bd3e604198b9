/* mh-file-row-input.c: every way a file or a link comes into a file row
 *
 * The file chooser filtered to the slot's types, drag and drop, paste
 * (Ctrl+V, Shift+Insert), the link popover and the user's Magic Hour
 * library. Each ends in the row's public setters, which judge the value.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mh-application.h"
#include "mh-file-row-private.h"
#include "mh-library-dialog.h"

static void chooser_response_cb (MhFileRow       *self,
                                 int              response,
                                 GtkNativeDialog *chooser);

static const char *
type_filter_name (MhAssetType type)
{
  switch (type)
    {
    case MH_ASSET_VIDEO: return _("Videos");
    case MH_ASSET_AUDIO: return _("Audio");
    case MH_ASSET_IMAGE: return _("Images");
    default: return _("Supported Files");
    }
}

/* A local file, a link or a file:// URI, as dropped or pasted. */
static gboolean
take_file_or_link (MhFileRow *self,
                   GFile     *file)
{
  if (g_file_has_uri_scheme (file, "http") || g_file_has_uri_scheme (file, "https"))
    {
      g_autofree char *uri = g_file_get_uri (file);

      return mh_file_row_set_uri (self, uri, NULL);
    }

  return mh_file_row_set_file (self, file, NULL);
}

/* Of several files, the first whose type fits the slot; else the first, to
 * say why it does not. */
static gboolean
take_files (MhFileRow *self,
            GSList    *files)
{
  if (files == NULL)
    return FALSE;

  for (GSList *l = files; l != NULL; l = l->next)
    {
      g_autofree char *name = g_file_get_basename (l->data);
      g_autofree char *ext = mh_path_get_extension (name);

      if (!self->slot->url_only && mh_asset_type_accepts (self->slot->type, ext))
        return take_file_or_link (self, l->data);
    }

  return take_file_or_link (self, files->data);
}

/* The local file that @text names: a file:// URI, an absolute path or a
 * path in the home folder ("~/face.png", as people type it); else NULL. */
static GFile *
local_file_for_text (const char *text)
{
  if (g_ascii_strncasecmp (text, "file:", strlen ("file:")) == 0)
    return g_file_new_for_uri (text);
  if (g_path_is_absolute (text))
    return g_file_new_for_path (text);
  if (text[0] == '~' && (text[1] == '\0' || text[1] == '/'))
    return g_file_new_build_filename (g_get_home_dir (), text + 1, NULL);

  return NULL;
}

/* Text: a link, a file:// URI or a local path; the first line counts. */
static gboolean
take_text (MhFileRow  *self,
           const char *text)
{
  g_auto(GStrv) lines = NULL;

  if (text == NULL)
    return FALSE;

  lines = g_strsplit_set (text, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      g_autoptr(GFile) file = NULL;

      if (*line == '\0' || *line == '#')
        continue;

      file = local_file_for_text (line);
      if (file != NULL)
        return mh_file_row_set_file (self, file, NULL);

      return mh_file_row_set_uri (self, line, NULL);
    }

  return FALSE;
}

void
mh_file_row_open_chooser (MhFileRow *self)
{
  g_autoptr(GtkFileFilter) filter = NULL;
  g_autoptr(GtkFileFilter) all = NULL;
  const char *const *extensions;
  GtkRoot *root;

  if (self->slot->url_only)
    return;

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (self->chooser);
      return;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  self->chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Choose a File"),
                                                                  GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                                  GTK_FILE_CHOOSER_ACTION_OPEN,
                                                                  _("_Open"),
                                                                  _("_Cancel")));
  gtk_native_dialog_set_modal (self->chooser, TRUE);

  /* add_suffix matches without regard to case: "FACE.JPG" is offered too. */
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, type_filter_name (self->slot->type));
  extensions = mh_asset_type_extensions (self->slot->type);
  for (guint i = 0; extensions != NULL && extensions[i] != NULL; i++)
    gtk_file_filter_add_suffix (filter, extensions[i]);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);

  all = gtk_file_filter_new ();
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);

  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (self->chooser), filter);

  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->chooser);
}

static void
library_item_chosen_cb (MhFileRow    *self,
                        MhSavedItem  *item,
                        const char   *file_path,
                        GdkPaintable *preview)
{
  g_autofree char *name = mh_saved_item_dup_display_name (item);

  mh_file_row_set_saved_item (self, file_path, name, preview, NULL);
}

/* The user's Magic Hour library, through the application's client. */
static void
library_button_clicked_cb (MhFileRow *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *application = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;
  MhClient *client = MH_IS_APPLICATION (application) ?
                     mh_application_get_client (MH_APPLICATION (application)) : NULL;
  GtkWidget *dialog;

  if (client == NULL || self->slot->url_only)
    return;

  dialog = mh_library_dialog_new (client, self->slot->type);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "item-chosen", G_CALLBACK (library_item_chosen_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
chooser_response_cb (MhFileRow       *self,
                      int              response,
                      GtkNativeDialog *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        mh_file_row_set_file (self, file, NULL);
    }

  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

static void
show_link_error (MhFileRow  *self,
                 const char *message)
{
  gtk_label_set_text (GTK_LABEL (self->link_error_label), message);
  gtk_widget_set_visible (self->link_error_label, message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (self->link_entry, "error");
  else
    gtk_widget_remove_css_class (self->link_entry, "error");
}

static void
link_popover_show_cb (MhFileRow *self)
{
  const char *text = "";

  if (self->value != NULL && self->file == NULL)
    text = self->value;

  gtk_editable_set_text (GTK_EDITABLE (self->link_entry), text);
  gtk_editable_select_region (GTK_EDITABLE (self->link_entry), 0, -1);
  show_link_error (self, NULL);
}

static void
link_entry_changed_cb (MhFileRow *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->link_entry)));

  gtk_widget_set_sensitive (self->use_link_button, *g_strstrip (text) != '\0');
  show_link_error (self, NULL);
}

static void
use_link_cb (MhFileRow *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->link_entry)));
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  gboolean taken;

  if (*g_strstrip (text) == '\0')
    return;

  /* A path typed or pasted here means the file, as if chosen in the file
   * chooser: the same checks, and it is uploaded, never sent as a link. */
  file = local_file_for_text (text);
  if (file != NULL)
    taken = mh_file_row_set_file (self, file, &error);
  else
    taken = mh_file_row_set_uri (self, text, &error);

  if (!taken)
    {
      show_link_error (self, error->message);
      gtk_widget_grab_focus (self->link_entry);
      return;
    }

  gtk_popover_popdown (GTK_POPOVER (self->link_popover));
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         MhFileRow     *self)
{
  mh_file_row_set_drop_hint (self, FALSE);

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return take_files (self, gdk_file_list_get_files (g_value_get_boxed (value)));
  if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    return take_file_or_link (self, g_value_get_object (value));
  if (G_VALUE_HOLDS (value, G_TYPE_STRING))
    return take_text (self, g_value_get_string (value));

  return FALSE;
}

static void
paste_value_ready_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(MhFileRow) self = user_data;
  g_autoptr(GError) error = NULL;
  const GValue *value;

  value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (object), result, &error);
  if (value == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Cannot paste: %s", error->message);
      return;
    }

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    take_files (self, gdk_file_list_get_files (g_value_get_boxed (value)));
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    take_file_or_link (self, g_value_get_object (value));
}

static void
paste_text_ready_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(MhFileRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  if (text == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Cannot paste: %s", error->message);
      return;
    }

  take_text (self, text);
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  MhFileRow *self = MH_FILE_ROW (widget);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST))
    gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT,
                                    self->cancellable, paste_value_ready_cb, g_object_ref (self));
  else if (gdk_content_formats_contain_gtype (formats, G_TYPE_FILE))
    gdk_clipboard_read_value_async (clipboard, G_TYPE_FILE, G_PRIORITY_DEFAULT,
                                    self->cancellable, paste_value_ready_cb, g_object_ref (self));
  else
    gdk_clipboard_read_text_async (clipboard, self->cancellable,
                                   paste_text_ready_cb, g_object_ref (self));
}

void
mh_file_row_class_init_input (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, library_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, link_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, link_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, use_link_cb);

  /* Paste a file or a link while the row, or one of its buttons, has focus. */
  gtk_widget_class_install_action (widget_class, "file-row.paste", NULL, paste_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK,
                                       "file-row.paste", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Insert, GDK_SHIFT_MASK,
                                       "file-row.paste", NULL);
}

static GdkDragAction
drop_enter_cb (GtkDropTarget *target,
               double         x,
               double         y,
               MhFileRow     *self)
{
  mh_file_row_set_drop_hint (self, TRUE);
  return GDK_ACTION_COPY;
}

static void
drop_leave_cb (GtkDropTarget *target,
               MhFileRow     *self)
{
  mh_file_row_set_drop_hint (self, FALSE);
}

/* A row dropped (closed window) mid-drag: only the strings are left. */
static void
destroy_cb (MhFileRow *self)
{
  g_clear_pointer (&self->drop_hint, g_free);
  g_clear_pointer (&self->drop_saved_subtitle, g_free);
}

void
mh_file_row_init_input (MhFileRow *self)
{
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE, G_TYPE_STRING };
  GtkDropTarget *target;

  /* While a drag hovers the row itself, GTK sets :drop(active) on it,
   * Adwaita draws the accent outline, and the row says what it is for. */
  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect_object (target, "enter", G_CALLBACK (drop_enter_cb), self, 0);
  g_signal_connect_object (target, "leave", G_CALLBACK (drop_leave_cb), self, 0);
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
  g_signal_connect (self, "destroy", G_CALLBACK (destroy_cb), NULL);
}

/* The hint takes the subtitle's place rather than a place of its own, so
 * the row keeps its size and no row moves under the pointer mid-drag. */
void
mh_file_row_set_drop_hint (MhFileRow *self,
                           gboolean   shown)
{
  GtkWidget *label = self->subtitle_label;

  g_return_if_fail (MH_IS_FILE_ROW (self));

  if (!shown == (self->drop_hint == NULL))
    return;

  if (shown)
    {
      /* Translators: shown on a slot while files are dragged over the
       * page, e.g. "Drop to use as Photo" */
      self->drop_hint = g_strdup_printf (_("Drop to use as %s"), _(self->slot->label));
      self->drop_saved_subtitle = g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (self)));
      if (label != NULL)
        {
          self->drop_saved_error = gtk_widget_has_css_class (label, "error");
          self->drop_saved_warning = gtk_widget_has_css_class (label, "warning");
          gtk_widget_remove_css_class (label, "error");
          gtk_widget_remove_css_class (label, "warning");
          gtk_widget_add_css_class (label, "accent");
        }
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self), self->drop_hint);
      /* The same outline as a drag over the row itself: the page's drop
       * target is another widget, so GTK would not set it here. */
      gtk_widget_set_state_flags (GTK_WIDGET (self), GTK_STATE_FLAG_DROP_ACTIVE, FALSE);
      return;
    }

  gtk_widget_unset_state_flags (GTK_WIDGET (self), GTK_STATE_FLAG_DROP_ACTIVE);
  /* A value that came meanwhile wrote its own subtitle: that one stays. */
  if (g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (self)), self->drop_hint) == 0)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self), self->drop_saved_subtitle);
      if (label != NULL && self->drop_saved_error)
        gtk_widget_add_css_class (label, "error");
      if (label != NULL && self->drop_saved_warning)
        gtk_widget_add_css_class (label, "warning");
    }
  if (label != NULL)
    gtk_widget_remove_css_class (label, "accent");
  g_clear_pointer (&self->drop_hint, g_free);
  g_clear_pointer (&self->drop_saved_subtitle, g_free);
}

gboolean
mh_file_row_get_drop_hint (MhFileRow *self)
{
  g_return_val_if_fail (MH_IS_FILE_ROW (self), FALSE);

  return self->drop_hint != NULL;
}
