/* mh-talking-photo-page.c: the talking photo tab
 *
 * The page is its template: the shared form, set up for this tool.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mh-talking-photo-page.h"
#include "mh-tool-form.h"

struct _MhTalkingPhotoPage
{
  AdwBin      parent_instance;
  MhToolForm *form;
};

G_DEFINE_FINAL_TYPE (MhTalkingPhotoPage, mh_talking_photo_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_FORM,
  N_PROPS
};

static void
mh_talking_photo_page_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  MhTalkingPhotoPage *self = MH_TALKING_PHOTO_PAGE (object);

  if (prop_id == PROP_FORM)
    g_value_set_object (value, self->form);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
mh_talking_photo_page_class_init (MhTalkingPhotoPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mh_talking_photo_page_get_property;
  g_object_class_install_property (object_class, PROP_FORM,
                                   g_param_spec_object ("form", NULL, NULL, MH_TYPE_TOOL_FORM,
                                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_type_ensure (MH_TYPE_TOOL_FORM);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/mhstudio/MagicHourStudio/mh-talking-photo-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MhTalkingPhotoPage, form);
}

static void
mh_talking_photo_page_init (MhTalkingPhotoPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
