/* mh-spinner.c: spinners that turn only where someone can see them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "mh-spinner.h"

/* 0: never set (no handlers yet), 1: not wanted, 2: wanted. */
#define WANTED_KEY "mh-spinner-wanted"

static void
apply (GtkSpinner *spinner)
{
  gboolean wanted = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (spinner), WANTED_KEY)) == 2;

  gtk_spinner_set_spinning (spinner, wanted && gtk_widget_get_mapped (GTK_WIDGET (spinner)));
}

void
mh_spinner_set_spinning (GtkSpinner *spinner,
                         gboolean    spinning)
{
  g_return_if_fail (GTK_IS_SPINNER (spinner));

  if (g_object_get_data (G_OBJECT (spinner), WANTED_KEY) == NULL)
    {
      /* "map" and "unmap" are emitted after the widget's own map/unmap,
       * so gtk_widget_get_mapped() already tells the new state. */
      g_signal_connect (spinner, "map", G_CALLBACK (apply), NULL);
      g_signal_connect (spinner, "unmap", G_CALLBACK (apply), NULL);
    }
  g_object_set_data (G_OBJECT (spinner), WANTED_KEY, GINT_TO_POINTER (spinning ? 2 : 1));
  apply (spinner);
}

gboolean
mh_spinner_get_wanted (GtkSpinner *spinner)
{
  g_return_val_if_fail (GTK_IS_SPINNER (spinner), FALSE);

  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (spinner), WANTED_KEY)) == 2;
}
