/* mh-face-picture.c: the crop of the face Magic Hour found in a photo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "mh-client.h"
#include "mh-face-picture.h"
#include "mh-image-loader.h"

/* The widest the crop is shown, in pixels (its height follows). */
#define FACE_SIZE 112

struct _MhFacePicture
{
  AdwBin        parent_instance;

  GtkPicture   *picture;
  char         *url;
  SoupSession  *session;
  GCancellable *cancellable;   /* the fetch of the current URL */
};

G_DEFINE_FINAL_TYPE (MhFacePicture, mh_face_picture, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_URL,
  PROP_PAINTABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_texture (MhFacePicture *self,
              GdkTexture    *texture)
{
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self), texture != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAINTABLE]);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(MhFacePicture) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = mh_image_loader_finish (result, &error);
  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("The face's crop could not be shown: %s", error->message);
      return;
    }

  show_texture (self, texture);
}

static void
fetch (MhFacePicture *self)
{
  if (self->session == NULL)
    self->session = soup_session_new_with_options ("timeout", 60, NULL);

  self->cancellable = g_cancellable_new ();
  mh_image_loader_fetch_async (self->session, self->url, MH_FACE_PICTURE_MAX_BYTES, 0,
                               G_PRIORITY_DEFAULT, self->cancellable,
                               loaded_cb, g_object_ref (self));
}

void
mh_face_picture_set_url (MhFacePicture *self,
                         const char    *url)
{
  g_return_if_fail (MH_IS_FACE_PICTURE (self));

  if (g_strcmp0 (self->url, url) == 0)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_free (self->url);
  self->url = g_strdup (url);
  if (gtk_picture_get_paintable (self->picture) != NULL)
    show_texture (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);

  /* Only a web address is fetched: never a local file. */
  if (self->url != NULL && mh_client_is_web_url (self->url))
    fetch (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
}

const char *
mh_face_picture_get_url (MhFacePicture *self)
{
  g_return_val_if_fail (MH_IS_FACE_PICTURE (self), NULL);
  return self->url;
}

GdkPaintable *
mh_face_picture_get_paintable (MhFacePicture *self)
{
  g_return_val_if_fail (MH_IS_FACE_PICTURE (self), NULL);
  return gtk_picture_get_paintable (self->picture);
}

GtkWidget *
mh_face_picture_new (void)
{
  return g_object_new (MH_TYPE_FACE_PICTURE, NULL);
}

static void
mh_face_picture_dispose (GObject *object)
{
  MhFacePicture *self = MH_FACE_PICTURE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (mh_face_picture_parent_class)->dispose (object);
}

static void
mh_face_picture_finalize (GObject *object)
{
  MhFacePicture *self = MH_FACE_PICTURE (object);

  g_free (self->url);

  G_OBJECT_CLASS (mh_face_picture_parent_class)->finalize (object);
}

static void
mh_face_picture_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MhFacePicture *self = MH_FACE_PICTURE (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_PAINTABLE:
      g_value_set_object (value, gtk_picture_get_paintable (self->picture));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_face_picture_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_URL:
      mh_face_picture_set_url (MH_FACE_PICTURE (object), g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_face_picture_class_init (MhFacePictureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mh_face_picture_dispose;
  object_class->finalize = mh_face_picture_finalize;
  object_class->get_property = mh_face_picture_get_property;
  object_class->set_property = mh_face_picture_set_property;

  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAINTABLE] =
    g_param_spec_object ("paintable", NULL, NULL, GDK_TYPE_PAINTABLE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "mh-face-picture");
}

static void
mh_face_picture_init (MhFacePicture *self)
{
  const char *name = _("The face Magic Hour found");
  GtkWidget *clamp;

  self->picture = GTK_PICTURE (gtk_picture_new ());
  gtk_widget_set_name (GTK_WIDGET (self->picture), "face-picture");
  gtk_picture_set_content_fit (self->picture, GTK_CONTENT_FIT_COVER);
  gtk_picture_set_can_shrink (self->picture, TRUE);
  gtk_picture_set_alternative_text (self->picture, name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->picture), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_widget_add_css_class (GTK_WIDGET (self->picture), "card");
  gtk_widget_set_overflow (GTK_WIDGET (self->picture), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);

  /* A picture asks for its image's size: the clamp keeps it small. */
  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), FACE_SIZE);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), FACE_SIZE);
  gtk_widget_set_size_request (clamp, FACE_SIZE, -1);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (self->picture));
  adw_bin_set_child (ADW_BIN (self), clamp);
}
