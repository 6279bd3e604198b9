/* mh-tool-form-drop.c: files dragged over a tool's page
 *
 * A drop on a slot's row goes to that row (mh-file-row-input.c). A drop
 * anywhere else on the page goes where mh_tool_form_add_files() puts it,
 * each file in the first slot of its type; while the drag hovers, those
 * rows are outlined and say "Drop to use as Photo", so nobody has to guess
 * which slot takes the file. The page takes nothing while a job is shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mh-tool-form-private.h"

/* The rows @files would go to, as mh_tool_form_add_files() chooses them:
 * one slot per file in the order given, the last file winning when every
 * slot of its type is taken; files no slot takes go nowhere. */
static GPtrArray *
rows_for_files (MhToolForm *self,
                GSList     *files)
{
  g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *rows = g_ptr_array_new ();

  for (GSList *l = files; l != NULL; l = l->next)
    {
      const MhAssetSlot *slot = mh_tool_form_slot_for_file (self, l->data, taken);
      GtkWidget *row;

      if (slot == NULL || (row = mh_tool_form_get_slot_row (self, slot->key)) == NULL)
        continue;

      g_hash_table_add (taken, (gpointer) slot->key);
      if (!g_ptr_array_find (rows, row, NULL))
        g_ptr_array_add (rows, row);
    }

  return rows;
}

/* The files a drop value holds, or NULL (a GSList the value owns). */
static GSList *
files_of (const GValue *value,
          GSList      **single)
{
  if (value == NULL)
    return NULL;
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) && g_value_get_boxed (value) != NULL)
    return gdk_file_list_get_files (g_value_get_boxed (value));
  if (G_VALUE_HOLDS (value, G_TYPE_FILE) && g_value_get_object (value) != NULL)
    return *single = g_slist_prepend (NULL, g_value_get_object (value));
  return NULL;
}

static gboolean
showing_inputs (MhToolForm *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "inputs") == 0;
}

/* Outlines the rows the files of @value (NULL: none, the drag left) would
 * go to, and only those. Returns how many. */
guint
mh_tool_form_update_drop_hint (MhToolForm   *self,
                               const GValue *value)
{
  g_autoptr(GPtrArray) rows = NULL;
  GSList *single = NULL;
  GSList *files = showing_inputs (self) ? files_of (value, &single) : NULL;

  rows = rows_for_files (self, files);
  g_slist_free (single);

  for (guint i = 0; i < self->slot_rows->len; i++)
    {
      MhFileRow *row = g_ptr_array_index (self->slot_rows, i);

      mh_file_row_set_drop_hint (row, g_ptr_array_find (rows, row, NULL));
    }

  return rows->len;
}

/* GTK reads the dragged value ahead (preload) and tells it here; until
 * then no row is claimed, since the file's type decides the slot. */
static void
value_notify_cb (MhToolForm    *self,
                 GParamSpec    *pspec,
                 GtkDropTarget *target)
{
  mh_tool_form_update_drop_hint (self, gtk_drop_target_get_value (target));
}

static GdkDragAction
enter_cb (GtkDropTarget *target,
          double         x,
          double         y,
          MhToolForm    *self)
{
  if (!showing_inputs (self))
    return 0;

  mh_tool_form_update_drop_hint (self, gtk_drop_target_get_value (target));
  return GDK_ACTION_COPY;
}

static void
leave_cb (GtkDropTarget *target,
          MhToolForm    *self)
{
  mh_tool_form_update_drop_hint (self, NULL);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         MhToolForm    *self)
{
  g_autoptr(GPtrArray) array = g_ptr_array_new ();
  GSList *single = NULL;
  GSList *files;

  mh_tool_form_update_drop_hint (self, NULL);
  if (!showing_inputs (self))
    return FALSE;

  files = files_of (value, &single);
  for (GSList *l = files; l != NULL; l = l->next)
    g_ptr_array_add (array, l->data);
  g_slist_free (single);
  if (array->len == 0)
    return FALSE;

  mh_tool_form_add_files (self, (GFile **) array->pdata, array->len);
  return TRUE;
}

void
mh_tool_form_init_drop (MhToolForm *self)
{
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };
  GtkDropTarget *target;

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  gtk_drop_target_set_preload (target, TRUE);
  g_signal_connect_object (target, "enter", G_CALLBACK (enter_cb), self, 0);
  g_signal_connect_object (target, "motion", G_CALLBACK (enter_cb), self, 0);
  g_signal_connect_object (target, "leave", G_CALLBACK (leave_cb), self, 0);
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, 0);
  g_signal_connect_object (target, "notify::value", G_CALLBACK (value_notify_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}
