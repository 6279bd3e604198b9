/* mh-library-dialog.c: choose a saved item of the user's Magic Hour library
 *
 * The pages come from mh-library (engine); the thumbnails are plain GETs of
 * the signed preview URLs (no Authorization: they are storage URLs), decoded
 * in a worker thread. Everything in flight is canceled when the window
 * closes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mh-image-loader.h"
#include "mh-library-dialog.h"
#include "mh-spinner.h"

/* Thumbnails are decoded at twice their size on screen, for HiDPI. */
#define THUMBNAIL_SIZE 80
#define PREVIEW_PIXELS 40
/* A preview larger than this is not a thumbnail worth waiting for. */
#define MAX_PREVIEW_BYTES (16 * 1024 * 1024)

struct _MhLibraryDialog
{
  AdwWindow     parent_instance;

  /* Template widgets */
  GtkWidget    *window_title;
  GtkWidget    *search_entry;
  GtkWidget    *stack;
  GtkWidget    *loading_spinner;
  GtkWidget    *list_box;
  GtkWidget    *page_error_label;
  GtkWidget    *more_button;
  GtkWidget    *empty_page;
  GtkWidget    *error_page;

  MhClient     *client;
  MhAssetType   kind;
  char         *cursor;        /* the next page's; NULL: no more */
  gboolean      loading;
  gboolean      started;
  guint         n_items;
  char         *query;         /* casefolded search text, NULL when empty */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (MhLibraryDialog, mh_library_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

enum {
  ITEM_CHOSEN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define ROW_ITEM_KEY  "mh-saved-item"
#define ROW_PATH_KEY  "mh-saved-item-path"
#define ROW_IMAGE_KEY "mh-saved-item-image"
#define ROW_NAME_KEY  "mh-saved-item-name"

static void load_page (MhLibraryDialog *self);

/* ---- Texts --------------------------------------------------------------- */

static const char *
type_label (const char *type)
{
  if (g_strcmp0 (type, "character") == 0)
    return _("Character");
  if (g_strcmp0 (type, "reference") == 0)
    return _("Reference");
  if (g_strcmp0 (type, "voice") == 0)
    return _("Voice");
  if (g_strcmp0 (type, "moodboard") == 0)
    return _("Moodboard");
  if (g_strcmp0 (type, "brand_kit") == 0)
    return _("Brand Kit");
  return _("Saved Item");
}

static const char *
kind_icon_name (MhAssetType kind)
{
  switch (kind)
    {
    case MH_ASSET_VIDEO: return "video-x-generic-symbolic";
    case MH_ASSET_AUDIO: return "audio-x-generic-symbolic";
    case MH_ASSET_IMAGE:
    default: return "image-x-generic-symbolic";
    }
}

/* Characters and references for a photo; any item with a file of the kind
 * for speech and video. */
static gboolean
item_matches (MhSavedItem *item,
              MhAssetType  kind)
{
  if (mh_saved_item_find_asset (item, kind) == NULL)
    return FALSE;
  if (kind == MH_ASSET_IMAGE)
    return g_strcmp0 (item->type, "character") == 0 || g_strcmp0 (item->type, "reference") == 0;
  return TRUE;
}

static void
set_loading (MhLibraryDialog *self,
             gboolean         loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  gtk_widget_set_sensitive (self->more_button, !loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* ---- Thumbnails ---------------------------------------------------------- */

static void
preview_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GtkWidget) image = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = mh_image_loader_finish (result, &error);
  if (texture == NULL)
    {
      /* An image the previewer cannot read keeps its icon. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No preview: %s", error->message);
      return;
    }

  gtk_image_set_from_paintable (GTK_IMAGE (image), GDK_PAINTABLE (texture));
  gtk_widget_remove_css_class (image, "dim-label");
}

static void
load_preview (MhLibraryDialog    *self,
              GtkWidget          *image,
              const MhSavedAsset *asset)
{
  if (asset->media_kind != MH_ASSET_IMAGE || asset->url == NULL)
    return;

  mh_image_loader_fetch_async (mh_client_get_session (self->client), asset->url,
                               MAX_PREVIEW_BYTES, THUMBNAIL_SIZE, G_PRIORITY_LOW,
                               self->cancellable, preview_loaded_cb, g_object_ref (image));
}

/* ---- Rows ---------------------------------------------------------------- */

static GtkWidget *
new_row (MhLibraryDialog *self,
         MhSavedItem     *item)
{
  const MhSavedAsset *asset = mh_saved_item_find_asset (item, self->kind);
  g_autofree char *name = mh_saved_item_dup_display_name (item);
  g_autofree char *accessible = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *image = gtk_image_new_from_icon_name (kind_icon_name (self->kind));
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), type_label (item->type));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  gtk_image_set_pixel_size (GTK_IMAGE (image), PREVIEW_PIXELS);
  gtk_widget_add_css_class (image, "dim-label");
  gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Preview"), -1);
  gtk_frame_set_child (GTK_FRAME (frame), image);
  gtk_widget_set_valign (frame, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (frame, 6);
  gtk_widget_set_margin_bottom (frame, 6);
  gtk_widget_set_overflow (frame, GTK_OVERFLOW_HIDDEN);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), frame);
  gtk_accessible_update_property (GTK_ACCESSIBLE (arrow),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_widget_set_can_target (arrow, FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);

  /* Translators: how a screen reader names an item of the library: "Ava, Character" */
  accessible = g_strdup_printf (_("%s, %s"), name, type_label (item->type));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  g_object_set_data_full (G_OBJECT (row), ROW_ITEM_KEY, mh_saved_item_ref (item),
                          (GDestroyNotify) mh_saved_item_unref);
  g_object_set_data_full (G_OBJECT (row), ROW_PATH_KEY, g_strdup (asset->file_path), g_free);
  g_object_set_data_full (G_OBJECT (row), ROW_NAME_KEY, g_utf8_casefold (name, -1), g_free);
  g_object_set_data (G_OBJECT (row), ROW_IMAGE_KEY, image);

  load_preview (self, image, asset);

  return row;
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       user_data)
{
  MhLibraryDialog *self = user_data;
  const char *name = g_object_get_data (G_OBJECT (row), ROW_NAME_KEY);

  return self->query == NULL || (name != NULL && strstr (name, self->query) != NULL);
}

/* ---- Pages --------------------------------------------------------------- */

static void
show_state (MhLibraryDialog *self)
{
  if (self->n_items > 0)
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "list");
  else if (self->loading)
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");
  else
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");

  gtk_widget_set_visible (self->more_button, self->n_items > 0 && self->cursor != NULL);
}

static void
page_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(MhLibraryDialog) self = user_data;
  g_autoptr(MhLibraryPage) page = NULL;
  g_autoptr(GError) error = NULL;
  guint added = 0;

  page = mh_library_list_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (page == NULL)
    {
      set_loading (self, FALSE);
      if (self->n_items == 0)
        {
          adw_status_page_set_description (ADW_STATUS_PAGE (self->error_page), error->message);
          gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "error");
        }
      else
        {
          gtk_label_set_text (GTK_LABEL (self->page_error_label), error->message);
          gtk_widget_set_visible (self->page_error_label, TRUE);
          gtk_widget_set_visible (self->more_button, TRUE);
        }
      return;
    }

  for (guint i = 0; i < page->items->len; i++)
    {
      MhSavedItem *item = g_ptr_array_index (page->items, i);

      if (!item_matches (item, self->kind))
        continue;
      gtk_list_box_append (GTK_LIST_BOX (self->list_box), new_row (self, item));
      added++;
    }

  g_free (self->cursor);
  self->cursor = g_strdup (page->next_cursor);
  gtk_widget_set_visible (self->page_error_label, FALSE);

  if (added > 0)
    {
      self->n_items += added;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }

  /* A page with nothing of this kind: the next one may have some. */
  if (self->n_items == 0 && self->cursor != NULL)
    {
      self->loading = FALSE;
      load_page (self);
      return;
    }

  set_loading (self, FALSE);
  show_state (self);
}

static void
load_page (MhLibraryDialog *self)
{
  if (self->loading || self->client == NULL)
    return;

  set_loading (self, TRUE);
  if (self->n_items == 0)
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");
  mh_library_list_async (self->client, NULL, MH_LIBRARY_DEFAULT_LIMIT, self->cursor,
                         self->cancellable, page_cb, g_object_ref (self));
}

/* ---- Callbacks ----------------------------------------------------------- */

static void
row_activated_cb (MhLibraryDialog *self,
                  GtkListBoxRow   *row)
{
  MhSavedItem *item = g_object_get_data (G_OBJECT (row), ROW_ITEM_KEY);
  const char *path = g_object_get_data (G_OBJECT (row), ROW_PATH_KEY);
  GtkWidget *image = g_object_get_data (G_OBJECT (row), ROW_IMAGE_KEY);
  GdkPaintable *preview = NULL;

  if (item == NULL || path == NULL)
    return;

  if (image != NULL && gtk_image_get_storage_type (GTK_IMAGE (image)) == GTK_IMAGE_PAINTABLE)
    preview = gtk_image_get_paintable (GTK_IMAGE (image));

  g_signal_emit (self, signals[ITEM_CHOSEN], 0, item, path, preview);
  gtk_window_close (GTK_WINDOW (self));
}

static void
search_changed_cb (MhLibraryDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->query, g_free);
  if (*stripped != '\0')
    self->query = g_utf8_casefold (stripped, -1);
  gtk_list_box_invalidate_filter (GTK_LIST_BOX (self->list_box));
}

/* Escape: clears the search, or closes the window when there is none. */
static void
stop_search_cb (MhLibraryDialog *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  else
    gtk_window_close (GTK_WINDOW (self));
}

/* Return in the search: the first item that matches. */
static void
search_activate_cb (MhLibraryDialog *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (self->list_box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && filter_row (GTK_LIST_BOX_ROW (child), self))
      {
        row_activated_cb (self, GTK_LIST_BOX_ROW (child));
        return;
      }
}

static void
more_clicked_cb (MhLibraryDialog *self)
{
  load_page (self);
}

/* ---- GObject ------------------------------------------------------------- */

static void
mh_library_dialog_map (GtkWidget *widget)
{
  MhLibraryDialog *self = MH_LIBRARY_DIALOG (widget);

  GTK_WIDGET_CLASS (mh_library_dialog_parent_class)->map (widget);

  if (!self->started)
    {
      self->started = TRUE;
      load_page (self);
    }
}

static gboolean
mh_library_dialog_close_request (GtkWindow *window)
{
  MhLibraryDialog *self = MH_LIBRARY_DIALOG (window);

  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (mh_library_dialog_parent_class)->close_request (window);
}

static void
mh_library_dialog_dispose (GObject *object)
{
  MhLibraryDialog *self = MH_LIBRARY_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MH_TYPE_LIBRARY_DIALOG);

  G_OBJECT_CLASS (mh_library_dialog_parent_class)->dispose (object);
}

static void
mh_library_dialog_finalize (GObject *object)
{
  MhLibraryDialog *self = MH_LIBRARY_DIALOG (object);

  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_free (self->cursor);
  g_free (self->query);

  G_OBJECT_CLASS (mh_library_dialog_parent_class)->finalize (object);
}

static void
mh_library_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MhLibraryDialog *self = MH_LIBRARY_DIALOG (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_library_dialog_class_init (MhLibraryDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = mh_library_dialog_dispose;
  object_class->finalize = mh_library_dialog_finalize;
  object_class->get_property = mh_library_dialog_get_property;
  widget_class->map = mh_library_dialog_map;
  window_class->close_request = mh_library_dialog_close_request;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ITEM_CHOSEN] =
    g_signal_new ("item-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, MH_TYPE_SAVED_ITEM, G_TYPE_STRING, GDK_TYPE_PAINTABLE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mhstudio/MagicHourStudio/mh-library-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MhLibraryDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, MhLibraryDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MhLibraryDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, MhLibraryDialog, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, MhLibraryDialog, list_box);
  gtk_widget_class_bind_template_child (widget_class, MhLibraryDialog, page_error_label);
  gtk_widget_class_bind_template_child (widget_class, MhLibraryDialog, more_button);
  gtk_widget_class_bind_template_child (widget_class, MhLibraryDialog, empty_page);
  gtk_widget_class_bind_template_child (widget_class, MhLibraryDialog, error_page);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, more_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mh_library_dialog_init (MhLibraryDialog *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Turns while its page is shown, not behind the list once it came. */
  mh_spinner_set_spinning (GTK_SPINNER (self->loading_spinner), TRUE);

  gtk_list_box_set_filter_func (GTK_LIST_BOX (self->list_box), filter_row, self, NULL);
  gtk_list_box_set_placeholder (GTK_LIST_BOX (self->list_box),
                                g_object_new (GTK_TYPE_LABEL,
                                              "label", _("No items match the search"),
                                              "margin-top", 18,
                                              "margin-bottom", 18,
                                              "css-classes", (const char *[]) { "dim-label", NULL },
                                              NULL));
  gtk_search_entry_set_key_capture_widget (GTK_SEARCH_ENTRY (self->search_entry), GTK_WIDGET (self));
}

/* ---- Public API ---------------------------------------------------------- */

GtkWidget *
mh_library_dialog_new (MhClient    *client,
                       MhAssetType  kind)
{
  MhLibraryDialog *self;
  const char *subtitle;

  g_return_val_if_fail (MH_IS_CLIENT (client), NULL);

  self = g_object_new (MH_TYPE_LIBRARY_DIALOG, NULL);
  self->client = g_object_ref (client);
  self->kind = kind;

  switch (kind)
    {
    case MH_ASSET_AUDIO:
      subtitle = _("Voices");
      adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_page),
                                       _("Voices you save at magichour.ai show here."));
      break;
    case MH_ASSET_VIDEO:
      subtitle = _("Videos");
      adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_page),
                                       _("Videos you save at magichour.ai show here."));
      break;
    case MH_ASSET_IMAGE:
    default:
      subtitle = _("Characters and References");
      adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_page),
                                       _("Characters and references you save at magichour.ai show here."));
      break;
    }
  adw_window_title_set_subtitle (ADW_WINDOW_TITLE (self->window_title), subtitle);

  return GTK_WIDGET (self);
}

MhAssetType
mh_library_dialog_get_kind (MhLibraryDialog *self)
{
  g_return_val_if_fail (MH_IS_LIBRARY_DIALOG (self), MH_ASSET_IMAGE);

  return self->kind;
}

gboolean
mh_library_dialog_get_loading (MhLibraryDialog *self)
{
  g_return_val_if_fail (MH_IS_LIBRARY_DIALOG (self), FALSE);

  return self->loading;
}

guint
mh_library_dialog_get_n_items (MhLibraryDialog *self)
{
  g_return_val_if_fail (MH_IS_LIBRARY_DIALOG (self), 0);

  return self->n_items;
}
