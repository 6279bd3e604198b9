/* mh-media-preview.c: the chosen photo or video, shown large
 *
 * The widget sizes itself: the media's card is as wide as it is given and
 * as tall as the media's aspect asks, up to "max-height"; past that it
 * narrows and stays centred, so the card always hugs the picture and its
 * rounded corners are the picture's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mh-image-loader.h"
#include "mh-media-preview.h"
#include "mh-params.h"
#include "mh-tool.h"
#include "mh-validate.h"

/* Photos are decoded no larger than this a side: sharp on a HiDPI screen at
 * the largest the preview shows them, and the memory stays bounded. */
#define PHOTO_DECODE_SIZE 1440
#define DEFAULT_MAX_HEIGHT 480
/* A video's shape before its first frame is known. */
#define DEFAULT_ASPECT (16.0 / 9.0)
/* The placeholder is a hint, not a stage: never taller than this. */
#define PLACEHOLDER_MAX_HEIGHT 220
#define PLACEHOLDER_MIN_HEIGHT 120
/* In a scrolling view the media takes at most this share of its height, so
 * that what follows (the inputs, the part to use) is in sight too. */
#define VIEW_SHARE 0.6
#define VIEW_MIN_HEIGHT 240

struct _MhMediaPreview
{
  GtkWidget           parent_instance;

  /* Template widgets */
  GtkWidget          *placeholder;
  GtkWidget          *placeholder_image;
  GtkWidget          *placeholder_label;
  GtkWidget          *frame;
  GtkWidget          *picture;
  GtkWidget          *controls;
  GtkWidget          *play_button;
  GtkWidget          *time_label;

  GFile              *file;
  char               *value;
  char               *empty_text;   /* what the empty preview asks for, or NULL */
  MhMediaPreviewKind  kind;
  GtkMediaStream     *media;
  GdkPaintable       *paintable;   /* what the picture draws: the photo or the media */
  GCancellable       *cancellable; /* the photo being decoded */
  int                 max_height;
  int                 view_height;  /* the cap from the scrolling view; 0: none */
  guint               view_height_id;
};

G_DEFINE_FINAL_TYPE (MhMediaPreview, mh_media_preview, GTK_TYPE_WIDGET)

G_DEFINE_ENUM_TYPE (MhMediaPreviewKind, mh_media_preview_kind,
  G_DEFINE_ENUM_VALUE (MH_MEDIA_PREVIEW_NONE, "none"),
  G_DEFINE_ENUM_VALUE (MH_MEDIA_PREVIEW_PHOTO, "photo"),
  G_DEFINE_ENUM_VALUE (MH_MEDIA_PREVIEW_VIDEO, "video"))

enum {
  PROP_0,
  PROP_FILE,
  PROP_VALUE,
  PROP_KIND,
  PROP_MEDIA_STREAM,
  PROP_MAX_HEIGHT,
  PROP_ICON_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------ */
/* What is shown                                                            */

static void
show_placeholder (MhMediaPreview *self,
                  const char     *text)
{
  gtk_label_set_label (GTK_LABEL (self->placeholder_label),
                       text != NULL ? text
                       : self->empty_text != NULL ? self->empty_text
                       : _("Choose a photo or a video to see it here"));
  /* "": loading, the icon alone. */
  gtk_widget_set_visible (self->placeholder_label, text == NULL || *text != '\0');
  gtk_widget_set_visible (self->frame, FALSE);
  gtk_widget_set_visible (self->placeholder, TRUE);
}

static void
show_frame (MhMediaPreview *self)
{
  gtk_widget_set_visible (self->placeholder, FALSE);
  gtk_widget_set_visible (self->frame, TRUE);
}

static void
set_paintable (MhMediaPreview *self,
               GdkPaintable   *paintable)
{
  if (self->paintable != NULL)
    g_signal_handlers_disconnect_by_func (self->paintable, gtk_widget_queue_resize, self);
  g_set_object (&self->paintable, paintable);
  /* The card follows the media's shape, which a video tells only once its
   * first frame is decoded. */
  if (paintable != NULL)
    g_signal_connect_object (paintable, "invalidate-size",
                             G_CALLBACK (gtk_widget_queue_resize), self, G_CONNECT_SWAPPED);
  gtk_picture_set_paintable (GTK_PICTURE (self->picture), paintable);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
update_controls (MhMediaPreview *self)
{
  GtkMediaStream *media = self->media;
  gboolean playing = media != NULL && gtk_media_stream_get_playing (media);
  const char *label = playing ? _("Pause") : _("Play");
  g_autofree char *position = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *time = NULL;

  gtk_widget_set_visible (self->controls, media != NULL && gtk_media_stream_is_prepared (media));
  if (media == NULL)
    return;

  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (self->play_button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);

  position = mh_format_time (gtk_media_stream_get_timestamp (media) / (double) G_USEC_PER_SEC);
  duration = mh_format_time (gtk_media_stream_get_duration (media) / (double) G_USEC_PER_SEC);
  /* Translators: the position in a video and its length: "0:03.2 / 0:20.0" */
  time = g_strdup_printf (C_("video time", "%s / %s"), position, duration);
  gtk_label_set_label (GTK_LABEL (self->time_label), time);
}

static void
media_changed (MhMediaPreview *self,
               GtkMediaStream *media)
{
  if (gtk_media_stream_get_error (media) != NULL)
    {
      show_placeholder (self, _("This file cannot be shown here"));
      gtk_widget_set_visible (self->controls, FALSE);
      return;
    }

  /* Sound alone: nothing to look at. */
  if (gtk_media_stream_is_prepared (media) && !gtk_media_stream_has_video (media))
    {
      show_placeholder (self, _("This file cannot be shown here"));
      update_controls (self);
      return;
    }

  /* The card shows with the first frame, not as an empty box before it. */
  if (!gtk_widget_get_visible (self->frame) && gtk_media_stream_is_prepared (media) &&
      gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (media)) > 0)
    show_frame (self);
  update_controls (self);
}

static void
media_notify_cb (MhMediaPreview *self,
                 GParamSpec     *pspec,
                 GtkMediaStream *media)
{
  media_changed (self, media);
}

static void
clear_media (MhMediaPreview *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_paintable (self, NULL);

  if (self->media != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->media, self);
      gtk_media_stream_pause (self->media);
      g_clear_object (&self->media);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEDIA_STREAM]);
    }
  update_controls (self);
}

static void
photo_ready_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(MhMediaPreview) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = mh_image_loader_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (texture == NULL)
    {
      /* HEIC, AVIF...: Magic Hour may take what GdkPixbuf cannot show. */
      g_debug ("No preview for the photo: %s", error->message);
      show_placeholder (self, _("This file cannot be shown here"));
      return;
    }

  set_paintable (self, GDK_PAINTABLE (texture));
  show_frame (self);
}

static MhMediaPreviewKind
kind_of_file (GFile *file)
{
  g_autofree char *name = NULL;
  g_autofree char *extension = NULL;

  if (file == NULL)
    return MH_MEDIA_PREVIEW_NONE;

  name = g_file_get_basename (file);
  extension = mh_path_get_extension (name);
  if (extension == NULL)
    return MH_MEDIA_PREVIEW_NONE;
  if (mh_asset_type_accepts (MH_ASSET_IMAGE, extension))
    return MH_MEDIA_PREVIEW_PHOTO;
  if (mh_asset_type_accepts (MH_ASSET_VIDEO, extension))
    return MH_MEDIA_PREVIEW_VIDEO;
  return MH_MEDIA_PREVIEW_NONE;
}

static void
load (MhMediaPreview *self)
{
  MhMediaPreviewKind kind = kind_of_file (self->file);
  g_autofree char *name = NULL;

  clear_media (self);
  if (kind != self->kind)
    {
      self->kind = kind;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
    }

  if (self->file == NULL)
    {
      /* A link or a library item is not fetched just to be looked at. */
      show_placeholder (self, self->value != NULL ? _("Only files on this computer are shown here") : NULL);
      return;
    }

  name = g_file_get_basename (self->file);
  gtk_picture_set_alternative_text (GTK_PICTURE (self->picture), name);

  switch (kind)
    {
    case MH_MEDIA_PREVIEW_PHOTO:
      /* The icon alone until the photo is decoded. */
      show_placeholder (self, "");
      self->cancellable = g_cancellable_new ();
      mh_image_loader_load_async (self->file, PHOTO_DECODE_SIZE, self->cancellable,
                                  photo_ready_cb, g_object_ref (self));
      break;

    case MH_MEDIA_PREVIEW_VIDEO:
      self->media = gtk_media_file_new_for_file (self->file);
      g_signal_connect_object (self->media, "notify", G_CALLBACK (media_notify_cb),
                               self, G_CONNECT_SWAPPED);
      /* The first frame's size comes after "prepared". */
      g_signal_connect_object (self->media, "invalidate-size", G_CALLBACK (media_changed),
                               self, G_CONNECT_SWAPPED);
      set_paintable (self, GDK_PAINTABLE (self->media));
      show_placeholder (self, "");
      update_controls (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEDIA_STREAM]);
      break;

    case MH_MEDIA_PREVIEW_NONE:
    default:
      show_placeholder (self, _("This file cannot be shown here"));
      break;
    }
}

static void
toggle_playing (MhMediaPreview *self)
{
  if (self->media == NULL || !gtk_media_stream_is_prepared (self->media))
    return;

  if (gtk_media_stream_get_playing (self->media))
    {
      gtk_media_stream_pause (self->media);
      return;
    }
  /* Play again from the start once the end was reached. */
  if (gtk_media_stream_get_ended (self->media))
    gtk_media_stream_seek (self->media, 0);
  gtk_media_stream_play (self->media);
}

static void
picture_pressed_cb (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    MhMediaPreview  *self)
{
  if (self->media == NULL)
    return;
  toggle_playing (self);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* ------------------------------------------------------------------------ */
/* Size                                                                     */

static double
media_aspect (MhMediaPreview *self)
{
  double aspect = self->paintable != NULL ? gdk_paintable_get_intrinsic_aspect_ratio (self->paintable) : 0;

  return aspect > 0 ? aspect : DEFAULT_ASPECT;
}

/* The card for @width: as tall as the media asks, capped. */
static int
frame_height_for_width (MhMediaPreview *self,
                        int             width)
{
  int min = 0;
  int height = (int) (width / media_aspect (self) + 0.5);
  int cap = self->view_height > 0 ? MIN (self->max_height, self->view_height) : self->max_height;

  gtk_widget_measure (self->frame, GTK_ORIENTATION_VERTICAL, -1, &min, NULL, NULL, NULL);
  return MAX (min, MIN (height, cap));
}

static void
mh_media_preview_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  MhMediaPreview *self = MH_MEDIA_PREVIEW (widget);
  gboolean framed = gtk_widget_get_visible (self->frame);
  GtkWidget *child = framed ? self->frame : self->placeholder;
  int min = 0, nat = 0;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      gtk_widget_measure (child, orientation, -1, &min, &nat, NULL, NULL);
      /* As wide as the media is at its tallest. */
      if (framed)
        nat = MAX (min, (int) (self->max_height * media_aspect (self)));
    }
  else if (framed)
    {
      int width = for_size;

      int ignored;

      if (width < 0)
        mh_media_preview_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &ignored, &width, NULL, NULL);
      min = nat = frame_height_for_width (self, width);
    }
  else
    {
      gtk_widget_measure (child, orientation, for_size, &min, &nat, NULL, NULL);
      /* Roomier where there is room, but a hint stays small. */
      if (for_size > 0)
        nat = MAX (min, CLAMP (for_size / 2, PLACEHOLDER_MIN_HEIGHT, PLACEHOLDER_MAX_HEIGHT));
      else
        nat = MAX (min, PLACEHOLDER_MIN_HEIGHT);
      min = nat;
    }

  *minimum = min;
  *natural = nat;
}

static GtkSizeRequestMode
mh_media_preview_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* The cap the scrolling view the preview is in sets; 0 outside one. */
static int
compute_view_height (MhMediaPreview *self)
{
  GtkWidget *view = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);

  if (view == NULL)
    return 0;
  return MAX (VIEW_MIN_HEIGHT, (int) (gtk_widget_get_height (view) * VIEW_SHARE));
}

static gboolean
update_view_height (gpointer user_data)
{
  MhMediaPreview *self = user_data;
  int height = compute_view_height (self);

  self->view_height_id = 0;
  if (height != self->view_height)
    {
      self->view_height = height;
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  return G_SOURCE_REMOVE;
}

static void
mh_media_preview_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  MhMediaPreview *self = MH_MEDIA_PREVIEW (widget);
  int frame_width, frame_height, min_width = 0;

  /* The view's height is known only now; a resize from here would be
   * inside this allocation: the next frame takes it. The view's height does
   * not depend on the preview's, so this settles at once. */
  if (self->view_height_id == 0 && compute_view_height (self) != self->view_height)
    self->view_height_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_view_height, self, NULL);

  if (gtk_widget_get_visible (self->placeholder))
    gtk_widget_allocate (self->placeholder, width, height, -1, NULL);

  if (!gtk_widget_get_visible (self->frame))
    return;

  /* Fitted to the media, centred: a tall photo leaves room either side. */
  gtk_widget_measure (self->frame, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  frame_height = MIN (height, frame_height_for_width (self, width));
  frame_width = (int) (frame_height * media_aspect (self) + 0.5);
  frame_width = CLAMP (frame_width, MIN (min_width, width), width);
  gtk_widget_allocate (self->frame, frame_width, frame_height, -1,
                       gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT ((width - frame_width) / 2,
                                                                             (height - frame_height) / 2)));
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
mh_media_preview_unmap (GtkWidget *widget)
{
  MhMediaPreview *self = MH_MEDIA_PREVIEW (widget);

  /* Out of sight (another tab, the job's page): silent. */
  if (self->media != NULL)
    gtk_media_stream_pause (self->media);

  GTK_WIDGET_CLASS (mh_media_preview_parent_class)->unmap (widget);
}

static void
mh_media_preview_dispose (GObject *object)
{
  MhMediaPreview *self = MH_MEDIA_PREVIEW (object);

  /* Once: the template's widgets are gone after the first dispose. */
  if (self->picture != NULL)
    clear_media (self);
  g_clear_handle_id (&self->view_height_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), MH_TYPE_MEDIA_PREVIEW);

  G_OBJECT_CLASS (mh_media_preview_parent_class)->dispose (object);
}

static void
mh_media_preview_finalize (GObject *object)
{
  MhMediaPreview *self = MH_MEDIA_PREVIEW (object);

  g_clear_object (&self->file);
  g_free (self->value);
  g_free (self->empty_text);

  G_OBJECT_CLASS (mh_media_preview_parent_class)->finalize (object);
}

static void
mh_media_preview_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MhMediaPreview *self = MH_MEDIA_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_MEDIA_STREAM:
      g_value_set_object (value, self->media);
      break;
    case PROP_MAX_HEIGHT:
      g_value_set_int (value, self->max_height);
      break;
    case PROP_ICON_NAME:
      g_value_set_string (value, gtk_image_get_icon_name (GTK_IMAGE (self->placeholder_image)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_media_preview_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MhMediaPreview *self = MH_MEDIA_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_FILE:
      mh_media_preview_set_file (self, g_value_get_object (value));
      break;
    case PROP_VALUE:
      mh_media_preview_set_value (self, g_value_get_string (value));
      break;
    case PROP_MAX_HEIGHT:
      mh_media_preview_set_max_height (self, g_value_get_int (value));
      break;
    case PROP_ICON_NAME:
      mh_media_preview_set_icon_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_media_preview_class_init (MhMediaPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags read_only = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags read_write = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = mh_media_preview_dispose;
  object_class->finalize = mh_media_preview_finalize;
  object_class->get_property = mh_media_preview_get_property;
  object_class->set_property = mh_media_preview_set_property;

  widget_class->measure = mh_media_preview_measure;
  widget_class->get_request_mode = mh_media_preview_get_request_mode;
  widget_class->size_allocate = mh_media_preview_size_allocate;
  widget_class->unmap = mh_media_preview_unmap;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/mhstudio/MagicHourStudio/mh-media-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, MhMediaPreview, placeholder);
  gtk_widget_class_bind_template_child (widget_class, MhMediaPreview, placeholder_image);
  gtk_widget_class_bind_template_child (widget_class, MhMediaPreview, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, MhMediaPreview, frame);
  gtk_widget_class_bind_template_child (widget_class, MhMediaPreview, picture);
  gtk_widget_class_bind_template_child (widget_class, MhMediaPreview, controls);
  gtk_widget_class_bind_template_child (widget_class, MhMediaPreview, play_button);
  gtk_widget_class_bind_template_child (widget_class, MhMediaPreview, time_label);

  gtk_widget_class_set_css_name (widget_class, "media-preview");

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE, read_write);
  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, NULL, read_write);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, MH_TYPE_MEDIA_PREVIEW_KIND, MH_MEDIA_PREVIEW_NONE, read_only);
  properties[PROP_MEDIA_STREAM] =
    g_param_spec_object ("media-stream", NULL, NULL, GTK_TYPE_MEDIA_STREAM, read_only);
  properties[PROP_MAX_HEIGHT] =
    g_param_spec_int ("max-height", NULL, NULL, 1, G_MAXINT, DEFAULT_MAX_HEIGHT, read_write);
  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL, NULL, read_write);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mh_media_preview_init (MhMediaPreview *self)
{
  GtkGesture *click;

  self->max_height = DEFAULT_MAX_HEIGHT;
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->play_button, "clicked", G_CALLBACK (toggle_playing),
                           self, G_CONNECT_SWAPPED);

  /* A click on the video plays or pauses it, as in every player. */
  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (picture_pressed_cb), self);
  gtk_widget_add_controller (self->picture, GTK_EVENT_CONTROLLER (click));
}

/* ------------------------------------------------------------------------ */
/* Public                                                                   */

GtkWidget *
mh_media_preview_new (void)
{
  return g_object_new (MH_TYPE_MEDIA_PREVIEW, NULL);
}

void
mh_media_preview_set_file (MhMediaPreview *self,
                           GFile          *file)
{
  g_return_if_fail (MH_IS_MEDIA_PREVIEW (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  if (self->file == file || (self->file != NULL && file != NULL && g_file_equal (self->file, file)))
    return;

  g_set_object (&self->file, file);
  g_clear_pointer (&self->value, g_free);
  if (file != NULL)
    self->value = g_file_get_path (file);
  load (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

GFile *
mh_media_preview_get_file (MhMediaPreview *self)
{
  g_return_val_if_fail (MH_IS_MEDIA_PREVIEW (self), NULL);
  return self->file;
}

void
mh_media_preview_set_value (MhMediaPreview *self,
                            const char     *value)
{
  g_autoptr(GFile) file = NULL;

  g_return_if_fail (MH_IS_MEDIA_PREVIEW (self));

  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (self->value, value) == 0)
    return;

  if (value != NULL && mh_asset_value_classify (value) == MH_ASSET_VALUE_FILE)
    file = mh_asset_value_get_file (value);

  g_set_object (&self->file, file);
  g_free (self->value);
  self->value = g_strdup (value);
  load (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

const char *
mh_media_preview_get_value (MhMediaPreview *self)
{
  g_return_val_if_fail (MH_IS_MEDIA_PREVIEW (self), NULL);
  return self->value;
}

MhMediaPreviewKind
mh_media_preview_get_kind (MhMediaPreview *self)
{
  g_return_val_if_fail (MH_IS_MEDIA_PREVIEW (self), MH_MEDIA_PREVIEW_NONE);
  return self->kind;
}

GtkMediaStream *
mh_media_preview_get_media_stream (MhMediaPreview *self)
{
  g_return_val_if_fail (MH_IS_MEDIA_PREVIEW (self), NULL);
  return self->media;
}

GdkPaintable *
mh_media_preview_get_paintable (MhMediaPreview *self)
{
  g_return_val_if_fail (MH_IS_MEDIA_PREVIEW (self), NULL);
  return gtk_widget_get_visible (self->frame) ? self->paintable : NULL;
}

void
mh_media_preview_set_max_height (MhMediaPreview *self,
                                 int             max_height)
{
  g_return_if_fail (MH_IS_MEDIA_PREVIEW (self));
  g_return_if_fail (max_height > 0);

  if (self->max_height == max_height)
    return;
  self->max_height = max_height;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_HEIGHT]);
}

int
mh_media_preview_get_max_height (MhMediaPreview *self)
{
  g_return_val_if_fail (MH_IS_MEDIA_PREVIEW (self), DEFAULT_MAX_HEIGHT);
  return self->max_height;
}

void
mh_media_preview_set_icon_name (MhMediaPreview *self,
                                const char     *icon_name)
{
  g_return_if_fail (MH_IS_MEDIA_PREVIEW (self));

  if (g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (self->placeholder_image)), icon_name) == 0)
    return;
  gtk_image_set_from_icon_name (GTK_IMAGE (self->placeholder_image), icon_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_NAME]);
}

/* What the empty preview asks for ("Choose a photo to see it here"); NULL
 * for the general sentence. */
void
mh_media_preview_set_empty_text (MhMediaPreview *self,
                                 const char     *text)
{
  g_return_if_fail (MH_IS_MEDIA_PREVIEW (self));

  if (g_strcmp0 (self->empty_text, text) == 0)
    return;
  g_free (self->empty_text);
  self->empty_text = g_strdup (text);
  if (gtk_widget_get_visible (self->placeholder) &&
      gtk_widget_get_visible (self->placeholder_label) &&
      self->value == NULL)
    show_placeholder (self, NULL);
}
