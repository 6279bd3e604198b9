/* mh-file-row-a11y.c: what a screen reader hears of a file row's buttons
 *
 * The row's buttons are icons, the same in every row: each is named with
 * its slot ("Choose a File for Photo…", "Remove Photo", "Play Speech").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mh-file-row-private.h"

static void
set_name (GtkWidget  *widget,
          const char *format,
          const char *slot_label)
{
  g_autofree char *name = g_strdup_printf (format, slot_label);

  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* The row's buttons are icons, one set per slot: a screen reader hears
 * which slot each acts on ("Choose a File for Photo…"), not four times
 * the same words. */
void
mh_file_row_name_buttons (MhFileRow *self)
{
  const char *slot_label = _(self->slot->label);

  /* Translators: read by a screen reader, %s is a slot, e.g. "Photo".
   * (The menu button's inner toggle, which takes the focus, is labelled by
   * the menu button.) */
  set_name (self->link_button, _("Use a Link for %s…"), slot_label);
  /* Translators: read by a screen reader, %s is a slot, e.g. "Photo". */
  set_name (self->library_button, _("Choose %s From Your Library…"), slot_label);
  /* Translators: read by a screen reader, %s is a slot, e.g. "Photo". */
  set_name (self->pick_button, _("Choose a File for %s…"), slot_label);
  /* Translators: read by a screen reader, %s is a slot, e.g. "Photo". */
  set_name (self->clear_button, _("Remove %s"), slot_label);
  /* Translators: read by a screen reader, %s is a slot, e.g. "Photo". */
  set_name (self->link_entry, _("Link for %s"), slot_label);
}

void
mh_file_row_name_play_button (MhFileRow *self,
                              gboolean   playing)
{
  if (self->slot == NULL)
    return;

  /* Translators: read by a screen reader, %s is a slot, e.g. "Play Speech". */
  set_name (self->play_button, playing ? _("Pause %s") : _("Play %s"), _(self->slot->label));
}
