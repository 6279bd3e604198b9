/* mh-file-row.c: one asset slot of a tool: a file or a link
 *
 * The row judges a file with the engine's own rules, so the words a person
 * reads here are the words the command-line tool and the job would use: the
 * type and the link rules run at once (mh_validate_params on this one slot),
 * the disk checks (exists, readable, not empty) in a worker thread. Until a
 * new file has passed them the previous value stays.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mh-error.h"
#include "mh-file-row-private.h"
#include "mh-gst.h"
#include "mh-image-loader.h"
#include "mh-params.h"
#include "mh-validate.h"

/* Thumbnails are decoded at twice the preview's size for HiDPI screens. */
#define THUMBNAIL_SIZE 96


G_DEFINE_FINAL_TYPE (MhFileRow, mh_file_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_TOOL_ID,
  PROP_SLOT_KEY,
  PROP_VALUE,
  PROP_DURATION,
  PROP_ERROR,
  PROP_MEDIA_INFO,
  PROP_FPS,
  PROP_WARNING,
  PROP_PLAN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  const MhAssetSlot *slot;
  GFile             *file;
  char              *value;
  MhMediaInfo       *info;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_clear_pointer (&data->info, mh_media_info_free);
  g_clear_object (&data->file);
  g_free (data->value);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CheckData, check_data_free)

/* ---- Helpers ------------------------------------------------------------- */

static const char *
type_icon_name (MhAssetType type)
{
  switch (type)
    {
    case MH_ASSET_VIDEO: return "video-x-generic-symbolic";
    case MH_ASSET_AUDIO: return "audio-x-generic-symbolic";
    case MH_ASSET_IMAGE: return "image-x-generic-symbolic";
    default: return "text-x-generic-symbolic";
    }
}


static GtkWidget *
find_subtitle_label (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (child) && gtk_widget_has_css_class (child, "subtitle"))
        return child;
      if (GTK_IS_POPOVER (child))
        continue;
      if ((found = find_subtitle_label (child)) != NULL)
        return found;
    }

  return NULL;
}

static void
replace_cancellable (GCancellable **cancellable)
{
  if (*cancellable != NULL)
    g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
  *cancellable = g_cancellable_new ();
}

static void
cancel_and_clear (GCancellable **cancellable)
{
  if (*cancellable != NULL)
    g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
}

/* The engine's slot rules (type by extension, link or file, link hosts) for
 * @value alone: a one-slot copy of the tool, so nothing else is judged. */
static gboolean
check_value (MhFileRow   *self,
             const char  *value,
             GError     **error)
{
  g_autoptr(GHashTable) params = mh_params_new ();
  MhAssetSlot slot = *self->slot;
  MhTool tool = { 0 };

  slot.source_group = NULL;
  tool.id = self->tool->id;
  tool.name = self->tool->name;
  tool.slots = &slot;
  tool.n_slots = 1;

  mh_params_set (params, slot.key, value);

  return mh_validate_params (&tool, params, NULL, NULL, error);
}

static void
update_subtitle (MhFileRow *self)
{
  g_autoptr(GString) text = NULL;

  if (self->slot == NULL)
    return;

  if (self->subtitle_label != NULL)
    {
      if (self->error != NULL)
        gtk_widget_add_css_class (self->subtitle_label, "error");
      else
        gtk_widget_remove_css_class (self->subtitle_label, "error");
      if (self->error == NULL && self->warning != NULL)
        gtk_widget_add_css_class (self->subtitle_label, "warning");
      else
        gtk_widget_remove_css_class (self->subtitle_label, "warning");
    }

  if (self->error != NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self), self->error);
      return;
    }

  if (self->value == NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self), _(self->slot->description));
      return;
    }

  text = g_string_new (self->display_name);
  if (self->item_name != NULL)
    /* Translators: after the name of a saved item in a file row: "Ava · From your library" */
    g_string_append (text, _(" · From your library"));
  if (self->size >= 0)
    {
      g_autofree char *size = mh_format_size (self->size);

      g_string_append_printf (text, " · %s", size);
    }
  if (self->duration >= 0)
    {
      g_autofree char *time = mh_format_time (self->duration);

      g_string_append_printf (text, " · %s", time);
    }
  if (self->warning != NULL)
    g_string_append_printf (text, "\n%s", self->warning);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), text->str);
}

static void
set_error (MhFileRow  *self,
           const char *message)
{
  if (g_strcmp0 (self->error, message) == 0)
    return;

  g_free (self->error);
  self->error = g_strdup (message);
  update_subtitle (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
update_play_button (MhFileRow *self)
{
  gboolean can_play = self->media != NULL && gtk_media_stream_get_error (self->media) == NULL;
  gboolean playing = can_play && gtk_media_stream_get_playing (self->media);
  const char *label = playing ? _("Pause") : _("Play");

  gtk_widget_set_visible (self->play_button, can_play);
  /* Audio has no picture: the button takes the icon's place. */
  if (self->slot != NULL && self->slot->type == MH_ASSET_AUDIO)
    gtk_widget_set_visible (self->type_image, !can_play);
  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (self->play_button, label);
  mh_file_row_name_play_button (self, playing);
}

static void
media_notify_cb (MhFileRow  *self,
                 GParamSpec *pspec,
                 gpointer    media)
{
  update_play_button (self);
}

static void
clear_media (MhFileRow *self)
{
  if (self->media == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->media, self);
  gtk_media_stream_pause (self->media);
  g_clear_object (&self->media);
}

/* Back to the slot type's icon, with nothing playing and nothing loading. */
static void
reset_preview (MhFileRow *self)
{
  cancel_and_clear (&self->value_cancellable);
  clear_media (self);

  gtk_picture_set_paintable (GTK_PICTURE (self->picture), NULL);
  gtk_widget_set_visible (self->picture_frame, FALSE);
  gtk_widget_set_visible (self->type_image, TRUE);
  gtk_widget_remove_css_class (self->play_button, "osd");
  update_play_button (self);
}

static void
thumbnail_ready_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(MhFileRow) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = mh_image_loader_finish (result, &error);
  if (texture == NULL)
    {
      /* A format GdkPixbuf cannot read (HEIC, AVIF...) keeps the type icon:
       * the API, not the preview, is the judge of images. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No thumbnail for %s: %s", self->value, error->message);
      return;
    }

  gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (texture));
  gtk_widget_set_visible (self->picture_frame, TRUE);
  gtk_widget_set_visible (self->type_image, FALSE);
}

static void
load_preview (MhFileRow *self)
{
  if (self->file == NULL)
    return;

  self->value_cancellable = g_cancellable_new ();

  if (self->slot->type == MH_ASSET_IMAGE)
    {
      mh_image_loader_load_async (self->file, THUMBNAIL_SIZE, self->value_cancellable,
                                  thumbnail_ready_cb, g_object_ref (self));
      return;
    }

  self->media = gtk_media_file_new_for_file (self->file);
  g_signal_connect_object (self->media, "notify::playing",
                           G_CALLBACK (media_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->media, "notify::error",
                           G_CALLBACK (media_notify_cb), self, G_CONNECT_SWAPPED);

  if (self->slot->type == MH_ASSET_VIDEO)
    {
      /* The first frame shows once the stream has loaded; the type icon
       * stays beneath until then. */
      gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (self->media));
      gtk_widget_set_visible (self->picture_frame, TRUE);
      gtk_widget_add_css_class (self->play_button, "osd");
    }

  update_play_button (self);
}

/* A file above what the plan uploads is said, not refused: the figures
 * are the contract's and the server is the judge, and only the part of a
 * recording that the time range uses may be uploaded (a 2-hour WAV sends a
 * few seconds), so a big file can still go through. Returns whether the
 * warning changed. */
static gboolean
update_warning (MhFileRow *self)
{
  g_autofree char *warning = NULL;

  if (self->file != NULL && self->size > 0)
    warning = mh_plan_describe_upload_size (self->plan, self->display_name, self->size);

  if (g_strcmp0 (warning, self->warning) == 0)
    return FALSE;

  g_free (self->warning);
  self->warning = g_steal_pointer (&warning);
  return TRUE;
}

/* Makes @value the row's value; @file is the local file it names, or NULL for
 * a link; @item_name the name of the saved item @value is, or NULL. Any
 * refusal shown before is gone. */
static void
take_value (MhFileRow         *self,
            const char        *value,
            GFile             *file,
            const MhMediaInfo *info,
            const char        *item_name)
{
  gboolean value_changed = g_strcmp0 (self->value, value) != 0;
  gboolean had_error = self->error != NULL;
  double old_duration = self->duration;
  double old_fps = mh_file_row_get_fps (self);
  gboolean had_info = self->media_info != NULL;
  gboolean warning_changed;

  cancel_and_clear (&self->check_cancellable);
  reset_preview (self);

  g_free (self->value);
  self->value = g_strdup (value);
  g_set_object (&self->file, file);
  g_clear_pointer (&self->media_info, mh_media_info_free);
  self->media_info = info != NULL ? mh_media_info_copy (info) : NULL;
  self->size = info != NULL ? (goffset) info->size : -1;
  /* A still image has no length; neither has a video the probe could not
   * time (the API judges those). */
  self->duration = info != NULL && info->duration > 0 ? info->duration : -1;

  g_free (self->display_name);
  g_free (self->item_name);
  self->item_name = g_strdup (item_name);
  if (item_name != NULL)
    {
      self->display_name = g_strdup (item_name);
    }
  else if (file != NULL)
    {
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        self->display_name = g_filename_display_basename (path);
      else
        {
          g_autofree char *parse_name = g_file_get_parse_name (file);

          self->display_name = g_path_get_basename (parse_name);
        }
    }
  else
    {
      self->display_name = g_strdup (value);
    }

  g_free (self->error);
  self->error = NULL;
  warning_changed = update_warning (self);

  gtk_widget_set_visible (self->clear_button, self->value != NULL);
  load_preview (self);
  update_subtitle (self);

  g_object_freeze_notify (G_OBJECT (self));
  if (value_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
  if (had_error)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  if (old_duration != self->duration)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
  if (had_info || self->media_info != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEDIA_INFO]);
  if (old_fps != mh_file_row_get_fps (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FPS]);
  if (warning_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WARNING]);
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
refuse (MhFileRow  *self,
        GError     *local_error,
        GError    **error)
{
  set_error (self, local_error->message);
  g_propagate_error (error, local_error);
  return FALSE;
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckData *data = task_data;
  GError *error = NULL;

  /* The disk checks, then the content: a text renamed .mp4 is refused
   * here with the probe's sentence, and the previous value stays. */
  if (!mh_validate_probe_local_file (data->slot, data->file, &data->info, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
check_ready_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  MhFileRow *self = MH_FILE_ROW (object);
  CheckData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_error (self, error->message);
      return;
    }

  take_value (self, data->value, data->file, data->info, NULL);
}





/* ---- Callbacks ----------------------------------------------------------- */




static void
row_activated_cb (MhFileRow *self)
{
  if (self->slot->url_only)
    gtk_menu_button_popup (GTK_MENU_BUTTON (self->link_button));
  else
    mh_file_row_open_chooser (self);
}

static void
row_unmap_cb (MhFileRow *self)
{
  /* Nothing keeps playing on a page nobody sees. */
  if (self->media != NULL)
    gtk_media_stream_pause (self->media);
}

static void
pick_button_clicked_cb (MhFileRow *self)
{
  mh_file_row_open_chooser (self);
}

static void
clear_button_clicked_cb (MhFileRow *self)
{
  mh_file_row_clear (self);
}

static void
play_button_clicked_cb (MhFileRow *self)
{
  if (self->media == NULL)
    return;

  if (gtk_media_stream_get_playing (self->media))
    {
      gtk_media_stream_pause (self->media);
      return;
    }

  if (gtk_media_stream_get_ended (self->media))
    gtk_media_stream_seek (self->media, 0);
  gtk_media_stream_play (self->media);
}









/* ---- GObject ------------------------------------------------------------- */

static void
mh_file_row_constructed (GObject *object)
{
  MhFileRow *self = MH_FILE_ROW (object);

  G_OBJECT_CLASS (mh_file_row_parent_class)->constructed (object);

  self->tool = self->tool_id != NULL ? mh_tool_lookup (self->tool_id) : NULL;
  self->slot = self->tool != NULL && self->slot_key != NULL ?
               mh_tool_find_slot (self->tool, self->slot_key) : NULL;
  g_return_if_fail (self->slot != NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), _(self->slot->label));
  gtk_image_set_from_icon_name (GTK_IMAGE (self->type_image), type_icon_name (self->slot->type));
  mh_file_row_name_buttons (self);

  if (self->slot->url_only)
    {
      gtk_widget_set_visible (self->pick_button, FALSE);
      gtk_widget_set_visible (self->library_button, FALSE);
      gtk_label_set_text (GTK_LABEL (self->link_hint), _(self->slot->description));
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (self->link_hint),
                          _("A web address of the file, starting with https://"));
    }

  update_subtitle (self);
}

static void
mh_file_row_dispose (GObject *object)
{
  MhFileRow *self = MH_FILE_ROW (object);

  cancel_and_clear (&self->cancellable);
  cancel_and_clear (&self->check_cancellable);
  cancel_and_clear (&self->value_cancellable);
  clear_media (self);

  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (self->chooser);
      g_clear_object (&self->chooser);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), MH_TYPE_FILE_ROW);
  self->subtitle_label = NULL;

  G_OBJECT_CLASS (mh_file_row_parent_class)->dispose (object);
}

static void
mh_file_row_finalize (GObject *object)
{
  MhFileRow *self = MH_FILE_ROW (object);

  g_clear_object (&self->file);
  g_free (self->tool_id);
  g_free (self->slot_key);
  g_free (self->value);
  g_free (self->display_name);
  g_free (self->item_name);
  g_free (self->error);
  g_free (self->warning);
  g_free (self->plan);
  g_clear_pointer (&self->media_info, mh_media_info_free);

  G_OBJECT_CLASS (mh_file_row_parent_class)->finalize (object);
}

static void
mh_file_row_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MhFileRow *self = MH_FILE_ROW (object);

  switch (prop_id)
    {
    case PROP_TOOL_ID:
      g_value_set_string (value, self->tool_id);
      break;

    case PROP_SLOT_KEY:
      g_value_set_string (value, self->slot_key);
      break;

    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;

    case PROP_DURATION:
      g_value_set_double (value, self->duration);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    case PROP_MEDIA_INFO:
      g_value_set_boxed (value, self->media_info);
      break;

    case PROP_FPS:
      g_value_set_double (value, mh_file_row_get_fps (self));
      break;

    case PROP_WARNING:
      g_value_set_string (value, self->warning);
      break;

    case PROP_PLAN:
      g_value_set_string (value, self->plan);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_file_row_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  MhFileRow *self = MH_FILE_ROW (object);

  switch (prop_id)
    {
    case PROP_TOOL_ID:
      self->tool_id = g_value_dup_string (value);
      break;

    case PROP_SLOT_KEY:
      self->slot_key = g_value_dup_string (value);
      break;

    case PROP_PLAN:
      mh_file_row_set_plan (self, g_value_get_string (value));
      break;

    case PROP_VALUE:
      {
        const char *text = g_value_get_string (value);

        if (text == NULL || *text == '\0')
          mh_file_row_clear (self);
        else if (mh_asset_value_classify (text) == MH_ASSET_VALUE_FILE)
          {
            g_autoptr(GFile) file = mh_asset_value_get_file (text);

            mh_file_row_set_file (self, file, NULL);
          }
        else
          mh_file_row_set_uri (self, text, NULL);
      }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_file_row_class_init (MhFileRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mh_file_row_constructed;
  object_class->dispose = mh_file_row_dispose;
  object_class->finalize = mh_file_row_finalize;
  object_class->get_property = mh_file_row_get_property;
  object_class->set_property = mh_file_row_set_property;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mhstudio/MagicHourStudio/mh-file-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MhFileRow, type_image);
  gtk_widget_class_bind_template_child (widget_class, MhFileRow, picture_frame);
  gtk_widget_class_bind_template_child (widget_class, MhFileRow, picture);
  gtk_widget_class_bind_template_child (widget_class, MhFileRow, play_button);
  gtk_widget_class_bind_template_child (widget_class, MhFileRow, link_button);
  gtk_widget_class_bind_template_child (widget_class, MhFileRow, link_popover);
  gtk_widget_class_bind_template_child (widget_class, MhFileRow, link_hint);
  gtk_widget_class_bind_template_child (widget_class, MhFileRow, link_entry);
  gtk_widget_class_bind_template_child (widget_class, MhFileRow, use_link_button);
  gtk_widget_class_bind_template_child (widget_class, MhFileRow, link_error_label);
  gtk_widget_class_bind_template_child (widget_class, MhFileRow, library_button);
  gtk_widget_class_bind_template_child (widget_class, MhFileRow, pick_button);
  gtk_widget_class_bind_template_child (widget_class, MhFileRow, clear_button);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_unmap_cb);
  gtk_widget_class_bind_template_callback (widget_class, pick_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, play_button_clicked_cb);

  properties[PROP_TOOL_ID] =
    g_param_spec_string ("tool-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SLOT_KEY] =
    g_param_spec_string ("slot-key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DURATION] =
    g_param_spec_double ("duration", NULL, NULL, -1, G_MAXDOUBLE, -1,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MEDIA_INFO] =
    g_param_spec_boxed ("media-info", NULL, NULL, MH_TYPE_MEDIA_INFO,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FPS] =
    g_param_spec_double ("fps", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WARNING] =
    g_param_spec_string ("warning", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAN] =
    g_param_spec_string ("plan", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  mh_file_row_class_init_input (widget_class);
}

static void
mh_file_row_init (MhFileRow *self)
{
  self->size = -1;
  self->duration = -1;
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* libadwaita 1.2 has no style for a refused row; its subtitle label takes
   * the standard "error" colour class. */
  self->subtitle_label = find_subtitle_label (GTK_WIDGET (self));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self), 0);

  mh_file_row_init_input (self);
}

/* ---- Public API ---------------------------------------------------------- */

GtkWidget *
mh_file_row_new (const char *tool_id,
                 const char *slot_key)
{
  g_return_val_if_fail (tool_id != NULL, NULL);
  g_return_val_if_fail (slot_key != NULL, NULL);

  return g_object_new (MH_TYPE_FILE_ROW,
                       "tool-id", tool_id,
                       "slot-key", slot_key,
                       NULL);
}

const MhAssetSlot *
mh_file_row_get_slot (MhFileRow *self)
{
  g_return_val_if_fail (MH_IS_FILE_ROW (self), NULL);

  return self->slot;
}

const char *
mh_file_row_get_value (MhFileRow *self)
{
  g_return_val_if_fail (MH_IS_FILE_ROW (self), NULL);

  return self->value;
}

/* The type is judged at once (FALSE and "error" on a refusal); existence,
 * permission, size and content (mh_probe_file()) are checked in a thread, after which "value" changes,
 * or "error" says why not and the previous value stays. */
gboolean
mh_file_row_set_file (MhFileRow  *self,
                      GFile      *file,
                      GError    **error)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(CheckData) data = NULL;
  GError *local_error = NULL;
  g_autofree char *value = NULL;

  g_return_val_if_fail (MH_IS_FILE_ROW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (self->slot != NULL, FALSE);

  if (g_file_has_uri_scheme (file, "http") || g_file_has_uri_scheme (file, "https"))
    {
      g_autofree char *uri = g_file_get_uri (file);

      return mh_file_row_set_uri (self, uri, error);
    }

  value = g_file_get_path (file);
  if (value == NULL)
    value = g_file_get_uri (file);

  if (!check_value (self, value, &local_error))
    return refuse (self, local_error, error);

  data = g_new0 (CheckData, 1);
  data->slot = self->slot;
  data->file = g_object_ref (file);
  data->value = g_steal_pointer (&value);

  replace_cancellable (&self->check_cancellable);
  task = g_task_new (self, self->check_cancellable, check_ready_cb, NULL);
  g_task_set_source_tag (task, mh_file_row_set_file);
  g_task_set_task_data (task, g_steal_pointer (&data), (GDestroyNotify) check_data_free);
  /* The check probes with GStreamer: started here, on the main thread,
   * never first from a worker (see mh-timeline.c). */
  mh_gst_ensure_init (NULL);
  g_task_run_in_thread (task, check_thread);

  return TRUE;
}

/* Also takes a file:// URI, as a file. */
gboolean
mh_file_row_set_uri (MhFileRow   *self,
                     const char  *uri,
                     GError     **error)
{
  g_autofree char *text = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (MH_IS_FILE_ROW (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);
  g_return_val_if_fail (self->slot != NULL, FALSE);

  text = g_strstrip (g_strdup (uri));

  if (g_ascii_strncasecmp (text, "file://", strlen ("file://")) == 0)
    {
      g_autoptr(GFile) file = g_file_new_for_uri (text);

      return mh_file_row_set_file (self, file, error);
    }

  /* The engine would take anything else for a local path. */
  if (mh_asset_value_classify (text) == MH_ASSET_VALUE_FILE)
    {
      local_error = g_error_new (MH_ERROR, MH_ERROR_INVALID_INPUT,
                                 _("The %s link “%s” is not a valid web address. Use a full http:// or https:// link."),
                                 _(self->slot->label), text);
      return refuse (self, local_error, error);
    }

  if (!check_value (self, text, &local_error))
    return refuse (self, local_error, error);

  take_value (self, text, NULL, NULL, NULL);

  return TRUE;
}

void
mh_file_row_clear (MhFileRow *self)
{
  g_return_if_fail (MH_IS_FILE_ROW (self));

  cancel_and_clear (&self->check_cancellable);

  if (self->value == NULL && self->error == NULL)
    return;

  take_value (self, NULL, NULL, NULL, NULL);
}

/* A saved item of the user's library: its "saved-items/..." path is the
 * value (sent as it is, never uploaded), its @name is what the row shows;
 * @preview (may be NULL) a picture of it. FALSE when the slot cannot take
 * it. */
gboolean
mh_file_row_set_saved_item (MhFileRow     *self,
                            const char    *file_path,
                            const char    *name,
                            GdkPaintable  *preview,
                            GError       **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (MH_IS_FILE_ROW (self), FALSE);
  g_return_val_if_fail (file_path != NULL, FALSE);
  g_return_val_if_fail (mh_asset_value_classify (file_path) == MH_ASSET_VALUE_SAVED_ITEM, FALSE);

  if (!check_value (self, file_path, &local_error))
    return refuse (self, local_error, error);

  take_value (self, file_path, NULL, NULL, name != NULL && *name != '\0' ? name : NULL);
  if (preview != NULL && self->slot->type == MH_ASSET_IMAGE)
    {
      gtk_picture_set_paintable (GTK_PICTURE (self->picture), preview);
      gtk_widget_set_visible (self->picture_frame, TRUE);
      gtk_widget_set_visible (self->type_image, FALSE);
    }

  return TRUE;
}

const char *
mh_file_row_get_item_name (MhFileRow *self)
{
  g_return_val_if_fail (MH_IS_FILE_ROW (self), NULL);

  return self->item_name;
}

double
mh_file_row_get_duration (MhFileRow *self)
{
  g_return_val_if_fail (MH_IS_FILE_ROW (self), -1);

  return self->duration;
}

const char *
mh_file_row_get_error (MhFileRow *self)
{
  g_return_val_if_fail (MH_IS_FILE_ROW (self), NULL);

  return self->error;
}

const MhMediaInfo *
mh_file_row_get_media_info (MhFileRow *self)
{
  g_return_val_if_fail (MH_IS_FILE_ROW (self), NULL);

  return self->media_info;
}

double
mh_file_row_get_fps (MhFileRow *self)
{
  g_return_val_if_fail (MH_IS_FILE_ROW (self), 0);

  return self->media_info != NULL ? self->media_info->fps : 0;
}

const char *
mh_file_row_get_warning (MhFileRow *self)
{
  g_return_val_if_fail (MH_IS_FILE_ROW (self), NULL);

  return self->warning;
}

/* The account's plan (its tier, "free"...; NULL when unknown) sets the
 * size above which a file gets a warning. */
void
mh_file_row_set_plan (MhFileRow  *self,
                      const char *plan)
{
  g_return_if_fail (MH_IS_FILE_ROW (self));

  if (g_strcmp0 (self->plan, plan) == 0)
    return;

  g_free (self->plan);
  self->plan = g_strdup (plan);
  if (update_warning (self))
    {
      update_subtitle (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WARNING]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAN]);
}
