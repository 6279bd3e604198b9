/* mh-window-actions.c: the window's keyboard
 *
 * Every shortcut of the main window is an application accelerator on an
 * action of the window, so it works wherever the focus is (a header button
 * at start, the tabs) and the shortcuts window can list them all from one
 * table. And the focus follows the tabs: a tab shown is a tab to fill, so
 * the focus goes to its first empty input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mh-file-row.h"
#include "mh-history-page.h"
#include "mh-option-row.h"
#include "mh-tool-form.h"
#include "mh-window-private.h"

typedef struct
{
  MhWindow  *window;
  guint      focus_id;
  GtkWidget *chosen_row;  /* the slot Ctrl+O opened, until it takes a file */
  gulong     chosen_id;
} Actions;

static const struct
{
  const char *action;
  const char *accels[3];
} window_accels[] = {
  { "win.generate", { "<Control>Return", "<Control>KP_Enter", NULL } },
  { "win.choose-file", { "<Control>o", NULL } },
  { "win.search-history", { "<Control>f", NULL } },
  { "window.close", { "<Control>w", NULL } },
  /* As tabs are switched elsewhere in GNOME. */
  { "win.show-tool::talking-photo", { "<Alt>1", NULL } },
  { "win.show-tool::lip-sync", { "<Alt>2", NULL } },
  { "win.show-tool::headshot", { "<Alt>3", NULL } },
  { "win.show-history", { "<Alt>4", NULL } },
};

static Actions *
get_actions (MhWindow *self)
{
  return g_object_get_data (G_OBJECT (self), "mh-window-actions");
}

static void
forget_chosen_row (Actions *actions)
{
  if (actions->chosen_row != NULL)
    {
      g_clear_signal_handler (&actions->chosen_id, actions->chosen_row);
      g_clear_weak_pointer (&actions->chosen_row);
    }
  actions->chosen_id = 0;
}

static void
actions_free (Actions *actions)
{
  g_clear_handle_id (&actions->focus_id, g_source_remove);
  forget_chosen_row (actions);
  g_free (actions);
}

/* The form of the tab shown, if that is a tool. */
static MhToolForm *
get_visible_form (MhWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (mh_window_get_view_stack (self));
  GtkWidget *form = name != NULL ? mh_window_get_form (self, name) : NULL;

  return form != NULL ? MH_TOOL_FORM (form) : NULL;
}

/* The inputs of the visible tool, in sight (not its job, not the welcome
 * page, not a window in the background). */
static MhToolForm *
get_visible_inputs (MhWindow *self)
{
  MhToolForm *form = get_visible_form (self);

  if (form == NULL || !mh_tool_form_get_showing_inputs (form) ||
      !gtk_widget_get_mapped (mh_tool_form_get_generate_button (form)))
    return NULL;
  return form;
}

static void
update_actions (MhWindow *self)
{
  MhToolForm *form = get_visible_inputs (self);
  GActionMap *map = G_ACTION_MAP (self);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (map, "generate")),
                               form != NULL && mh_tool_form_get_can_generate (form));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (map, "choose-file")),
                               form != NULL);
}

/* ---- Inputs -------------------------------------------------------------- */

/* A slot still to fill: empty, and no alternative to it (a video file or a
 * YouTube link) given. */
static gboolean
slot_is_empty (MhToolForm        *form,
               const MhAssetSlot *slot)
{
  const MhTool *tool = mh_tool_lookup (mh_tool_form_get_tool_id (form));
  GtkWidget *row = mh_tool_form_get_slot_row (form, slot->key);

  if (row == NULL || !gtk_widget_get_visible (row) || mh_file_row_get_value (MH_FILE_ROW (row)) != NULL)
    return FALSE;

  for (guint i = 0; slot->source_group != NULL && i < tool->n_slots; i++)
    {
      GtkWidget *other = mh_tool_form_get_slot_row (form, tool->slots[i].key);

      if (g_strcmp0 (tool->slots[i].source_group, slot->source_group) == 0 && other != NULL &&
          mh_file_row_get_value (MH_FILE_ROW (other)) != NULL)
        return FALSE;
    }

  return TRUE;
}

static GtkWidget *
find_empty_slot (MhToolForm *form)
{
  const MhTool *tool = mh_tool_lookup (mh_tool_form_get_tool_id (form));

  for (guint i = 0; i < tool->n_slots; i++)
    if (slot_is_empty (form, &tool->slots[i]))
      return mh_tool_form_get_slot_row (form, tool->slots[i].key);
  return NULL;
}

/* The first slot to fill, else the first text to write (a prompt), else
 * Generate. */
static GtkWidget *
find_first_input (MhToolForm *form)
{
  const MhTool *tool = mh_tool_lookup (mh_tool_form_get_tool_id (form));
  GtkWidget *slot = find_empty_slot (form);

  if (slot != NULL)
    return slot;

  for (guint i = 0; i < tool->n_options; i++)
    {
      GtkWidget *row = mh_tool_form_get_option_row (form, tool->options[i].key);

      if (row != NULL && tool->options[i].type == MH_OPTION_STRING && gtk_widget_get_visible (row) &&
          mh_option_row_get_value (MH_OPTION_ROW (row)) == NULL)
        return mh_option_row_get_input_widget (MH_OPTION_ROW (row));
    }

  if (gtk_widget_is_sensitive (mh_tool_form_get_generate_button (form)))
    return mh_tool_form_get_generate_button (form);
  return tool->n_slots > 0 ? mh_tool_form_get_slot_row (form, tool->slots[0].key) : NULL;
}

static void
focus_form (MhToolForm *form)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (form)));
  GtkWidget *job_view = mh_tool_form_get_job_view (form);
  GtkWidget *input;

  /* A job shown keeps the focus it was given (its main action). */
  if (!mh_tool_form_get_showing_inputs (form))
    {
      if (focus == NULL || !gtk_widget_is_ancestor (focus, job_view))
        gtk_widget_child_focus (job_view, GTK_DIR_TAB_FORWARD);
      return;
    }

  input = find_first_input (form);
  if (input != NULL)
    gtk_widget_grab_focus (input);
}

static void
focus_history (MhWindow *self)
{
  MhHistoryPage *page = MH_HISTORY_PAGE (mh_window_get_history_page (self));
  GtkWidget *search = mh_history_page_get_search_entry (page);

  /* No history yet: no search to make; what the page offers instead. */
  if (gtk_widget_get_mapped (search) && gtk_widget_is_sensitive (search))
    gtk_widget_grab_focus (search);
  else
    gtk_widget_child_focus (GTK_WIDGET (page), GTK_DIR_TAB_FORWARD);
}

static gboolean
focus_page_cb (gpointer user_data)
{
  MhWindow *self = user_data;
  Actions *actions = get_actions (self);
  MhToolForm *form = get_visible_form (self);

  actions->focus_id = 0;
  if (mh_window_get_view_stack (self) == NULL ||
      !gtk_widget_get_mapped (GTK_WIDGET (mh_window_get_view_stack (self))))
    return G_SOURCE_REMOVE;

  if (form != NULL)
    focus_form (form);
  else
    focus_history (self);

  return G_SOURCE_REMOVE;
}

/* Once the switch is over: a job shown from the jobs list or History
 * comes right after its tab. */
void
mh_window_actions_focus_page (MhWindow *self)
{
  Actions *actions = get_actions (self);

  if (actions != NULL && actions->focus_id == 0)
    actions->focus_id = g_idle_add (focus_page_cb, self);
}

/* ---- Actions ------------------------------------------------------------- */

static void
generate_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  MhToolForm *form = get_visible_inputs (user_data);

  if (form != NULL)
    mh_tool_form_generate (form);
}

/* The file taken, the keyboard goes on to what is left to fill (the
 * prompt), rather than through the slot's buttons: unless the focus was
 * moved meanwhile. */
static void
chosen_row_value_cb (GtkWidget  *row,
                     GParamSpec *pspec,
                     MhWindow   *self)
{
  Actions *actions = get_actions (self);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  MhToolForm *form = get_visible_inputs (self);

  if (mh_file_row_get_value (MH_FILE_ROW (row)) == NULL)
    return;

  forget_chosen_row (actions);
  if (form != NULL && focus != NULL && (focus == row || gtk_widget_is_ancestor (focus, row)) &&
      gtk_widget_is_ancestor (row, GTK_WIDGET (form)))
    focus_form (form);
}

static void
watch_chosen_row (MhWindow  *self,
                  GtkWidget *row)
{
  Actions *actions = get_actions (self);

  forget_chosen_row (actions);
  g_set_weak_pointer (&actions->chosen_row, row);
  actions->chosen_id = g_signal_connect (row, "notify::value", G_CALLBACK (chosen_row_value_cb), self);
}

/* The slot with the focus, else the first one to fill, else the first. */
static void
choose_file_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  MhToolForm *form = get_visible_inputs (user_data);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (user_data));
  GtkWidget *row = NULL;

  if (form == NULL)
    return;

  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (form)))
    row = MH_IS_FILE_ROW (focus) ? focus : gtk_widget_get_ancestor (focus, MH_TYPE_FILE_ROW);
  if (row == NULL)
    row = find_empty_slot (form);
  if (row == NULL)
    {
      const MhTool *tool = mh_tool_lookup (mh_tool_form_get_tool_id (form));

      row = mh_tool_form_get_slot_row (form, tool->slots[0].key);
    }

  /* What a click on the row does: the file chooser (a link's popover for a
   * slot that takes links only). */
  gtk_widget_grab_focus (row);
  watch_chosen_row (user_data, row);
  adw_action_row_activate (ADW_ACTION_ROW (row));
}

static void
search_history_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  MhWindow *self = user_data;

  mh_window_show_history (self);
  focus_history (self);
}

void
mh_window_actions_init (MhWindow *self)
{
  const GActionEntry entries[] = {
    { "generate", generate_action },
    { "choose-file", choose_file_action },
    { "search-history", search_history_action },
  };
  Actions *actions = g_new0 (Actions, 1);

  actions->window = self;
  g_object_set_data_full (G_OBJECT (self), "mh-window-actions", actions, (GDestroyNotify) actions_free);
  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  update_actions (self);
}

static void
view_stack_changed_cb (MhWindow *self)
{
  update_actions (self);
  mh_window_actions_focus_page (self);
}

/* With the application: its accelerators, and each form's state. */
void
mh_window_actions_setup (MhWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  AdwViewStack *stack = mh_window_get_view_stack (self);
  const MhTool *const *tools;
  guint n_tools;

  for (guint i = 0; i < G_N_ELEMENTS (window_accels); i++)
    gtk_application_set_accels_for_action (application, window_accels[i].action, window_accels[i].accels);

  tools = mh_tools (&n_tools);
  for (guint i = 0; i < n_tools; i++)
    {
      GtkWidget *form = mh_window_get_form (self, tools[i]->id);
      GtkWidget *button = mh_tool_form_get_generate_button (MH_TOOL_FORM (form));

      g_signal_connect_object (form, "notify::can-generate", G_CALLBACK (update_actions),
                               self, G_CONNECT_SWAPPED);
      /* Mapped: its tab, the inputs and the tools are shown. */
      g_signal_connect_object (button, "map", G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (button, "unmap", G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
    }

  g_signal_connect_object (stack, "notify::visible-child-name", G_CALLBACK (view_stack_changed_cb),
                           self, G_CONNECT_SWAPPED);
  /* The tools shown at start, or after the welcome page. */
  g_signal_connect_object (stack, "map", G_CALLBACK (mh_window_actions_focus_page),
                           self, G_CONNECT_SWAPPED);
  update_actions (self);
}
