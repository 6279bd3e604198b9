/* mh-a11y.c: names for the parts of GTK's and libadwaita's widgets that
 * GTK 4.8 leaves unnamed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "mh-a11y.h"

static void
set_name (GtkWidget  *widget,
          const char *name)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

void
mh_a11y_name_drop_down (GtkDropDown *drop_down,
                        const char  *name)
{
  GtkWidget *toggle = gtk_widget_get_first_child (GTK_WIDGET (drop_down));

  set_name (GTK_WIDGET (drop_down), name);
  if (GTK_IS_TOGGLE_BUTTON (toggle))
    set_name (toggle, name);
}

static void
name_controls (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_SCALE_BUTTON (child))
        {
          /* The volume: the button inside it is what takes the focus. */
          set_name (child, _("Volume"));
          for (GtkWidget *inner = gtk_widget_get_first_child (child);
               inner != NULL;
               inner = gtk_widget_get_next_sibling (inner))
            if (GTK_IS_BUTTON (inner))
              set_name (inner, _("Volume"));
          continue;
        }
      if (GTK_IS_SCALE (child))
        set_name (child, _("Position"));
      else if (GTK_IS_BUTTON (child))
        /* One button plays and pauses: it says both. */
        set_name (child, _("Play or Pause"));
      name_controls (child);
    }
}

void
mh_a11y_name_video_controls (GtkVideo *video)
{
  name_controls (GTK_WIDGET (video));
}

static void
name_peek (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *icon = GTK_IS_BUTTON (child) ? gtk_button_get_icon_name (GTK_BUTTON (child)) : NULL;

      /* libadwaita 1.2's eye button, by its icon; the apply button has
       * a name of its own. */
      if (icon != NULL && g_str_has_prefix (icon, "view-"))
        set_name (child, _("Show or Hide the Text"));
      name_peek (child);
    }
}

void
mh_a11y_name_password_peek (AdwPasswordEntryRow *row)
{
  name_peek (GTK_WIDGET (row));
}

/* GTK 4.8 names a button made with a mnemonic twice: its LABEL property
 * holds the raw text ("_Open") and it is also labelled by its label
 * ("Open"), read as "_Open Open". Without the property the label alone
 * names it; redone whenever the label changes. */
static void
button_label_cb (GtkButton  *button,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  if (gtk_button_get_use_underline (button) && gtk_button_get_label (button) != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

void
mh_a11y_fix_mnemonic_names (GtkWidget *root)
{
  if (GTK_IS_BUTTON (root) && g_object_get_data (G_OBJECT (root), "mh-a11y-mnemonic") == NULL)
    {
      g_object_set_data (G_OBJECT (root), "mh-a11y-mnemonic", GINT_TO_POINTER (TRUE));
      g_signal_connect_after (root, "notify::label", G_CALLBACK (button_label_cb), NULL);
      g_signal_connect_after (root, "notify::use-underline", G_CALLBACK (button_label_cb), NULL);
      button_label_cb (GTK_BUTTON (root), NULL, NULL);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    mh_a11y_fix_mnemonic_names (child);
}
