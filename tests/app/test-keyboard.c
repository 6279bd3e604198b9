/* test-keyboard.c: the app with the keyboard alone, and toasts out of the way
 *
 * The app runs against a simulator of its own, named by the environment
 * (MAGIC_HOUR_API_BASE_URL, MAGIC_HOUR_API_KEY), as a developer starts it.
 * Keys are real: xdotool sends them through the X server to the window, as
 * a keyboard would. Checked: a toast never covers the bar with Generate, at
 * any width, nor a finished job's buttons; what the environment sets is a
 * quiet line, not a toast; Ctrl+Return generates with the focus on a header
 * button; a tab shown puts the focus on its first empty input; Tab goes
 * straight into the prompt and keeps every word typed, Up and Down go from
 * field to field; Ctrl+O opens the chooser of the slot with the focus, then
 * moves on; the shortcuts window lists every shortcut the app has; Ctrl+W
 * closes the window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <math.h>

#include "mh-application.h"
#include "mh-file-row.h"
#include "mh-history-page.h"
#include "mh-job-view.h"
#include "mh-option-row.h"
#include "mh-simulator.h"
#include "mh-app-test-util.h"
#include "mh-test-util.h"
#include "mh-tool-form.h"
#include "mh-window.h"

#define WIDTH 1000
#define HEIGHT 760

static char *tmp_dir;
static MhSimulator *sim;
static MhApplication *app;
static MhWindow *window;

/* ---- Real keys: xdotool on the test's display ------------------------------ */

static gboolean
window_is_active (gpointer data)
{
  return gtk_window_is_active (data);
}

/* No window manager: the X focus is given by hand, then the keys go where
 * a keyboard's would (XTEST, to the focused window). */
static void
focus_window (void)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = NULL;

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  mh_app_test_xdotool ("windowfocus", "--sync", xid, NULL);
  mh_test_wait_for (window_is_active, window, MH_TEST_TIMEOUT, "the window to have the keyboard");
}

static void
press (const char *keys)
{
  focus_window ();
  mh_app_test_xdotool ("key", "--clearmodifiers", keys, NULL);
}

static void
type_text (const char *text)
{
  focus_window ();
  mh_app_test_xdotool ("type", "--clearmodifiers", "--delay", "20", text, NULL);
}

/* ---- The window ---------------------------------------------------------- */

static GtkWidget *
get_focus (void)
{
  return gtk_root_get_focus (GTK_ROOT (window));
}

static MhToolForm *
show_tool (const char *tool_id)
{
  MhToolForm *form = MH_TOOL_FORM (mh_window_get_form (window, tool_id));

  mh_window_show_tool (window, tool_id);
  mh_tool_form_show_inputs (form);
  mh_app_test_wait_until_still (GTK_WIDGET (window));
  return form;
}

static void
resize (int width)
{
  gtk_window_set_default_size (GTK_WINDOW (window), width, HEIGHT);
  mh_app_test_wait_for_frames (GTK_WIDGET (window));
  mh_app_test_wait_until_still (GTK_WIDGET (window));
}

static void
fill_slot (MhToolForm *form,
           const char *slot,
           const char *path)
{
  GtkWidget *row = mh_tool_form_get_slot_row (form, slot);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (mh_file_row_set_file (MH_FILE_ROW (row), file, &error));
  g_assert_no_error (error);
  mh_test_wait_for (mh_app_test_row_has_value, row, MH_TEST_TIMEOUT, slot);
}

static gboolean
no_toast (gpointer data)
{
  return mh_app_test_find_toast (GTK_WIDGET (window)) == NULL;
}

/* ---- Waiting for the focus ------------------------------------------------- */

static gboolean
focus_moved (gpointer data)
{
  return get_focus () != data;
}

/* The focus is @widget or inside it. */
static gboolean
focus_in (gpointer data)
{
  GtkWidget *focus = get_focus ();

  return focus != NULL && (focus == data || gtk_widget_is_ancestor (focus, data));
}

static void
wait_for_focus_in (GtkWidget  *widget,
                   const char *what)
{
  g_autofree char *message = g_strdup_printf ("the focus to go to %s", what);

  mh_test_wait_for (focus_in, widget, MH_TEST_TIMEOUT, message);
}

/* ---- Tests, in order: they share the app and the simulator ---------------- */

/* What the environment sets is said under the title, where it stays, and
 * never as a toast over the page. */
static void
test_env_is_a_line (void)
{
  g_autofree char *line = g_strdup_printf ("Using the API at %s (set by MAGIC_HOUR_API_BASE_URL)",
                                           mh_simulator_get_base_url (sim));
  AdwViewSwitcherTitle *title;

  show_tool ("talking-photo");
  g_assert_null (mh_app_test_find_toast (GTK_WIDGET (window)));

  title = ADW_VIEW_SWITCHER_TITLE (mh_app_test_find_widget (GTK_WIDGET (window),
                                                            ADW_TYPE_VIEW_SWITCHER_TITLE, NULL, NULL));
  g_assert_nonnull (title);
  g_assert_cmpstr (adw_view_switcher_title_get_subtitle (title), ==, line);

  /* Narrow, the title shows instead of the tabs, and the line with it. */
  resize (360);
  g_assert_nonnull (mh_app_test_find_label (GTK_WIDGET (window), line));
  g_assert_null (mh_app_test_find_toast (GTK_WIDGET (window)));
  resize (WIDTH);
}

/* A toast shown on a tool's page stays above the bar with Generate, and a
 * click on Generate reaches it, at every width. */
static void
test_toast_above_bar (void)
{
  const int widths[] = { WIDTH, 700, 360 };
  MhToolForm *form = show_tool ("headshot");
  GtkWidget *footer = mh_tool_form_get_footer (form);
  GtkWidget *generate = mh_tool_form_get_generate_button (form);
  AdwToast *toast;

  toast = adw_toast_new ("“A portrait with a rather long name.png” cannot be used by AI Headshot: "
                         "it is not a type this tool takes.");
  adw_toast_set_button_label (toast, "_Undo");
  adw_toast_set_timeout (toast, 0);
  g_object_ref (toast);
  mh_window_add_toast (window, toast);

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      graphene_rect_t toast_bounds, footer_bounds;
      graphene_point_t center;
      GtkWidget *picked;

      resize (widths[i]);
      mh_app_test_wait_until_in_place (GTK_WIDGET (window), GTK_TYPE_WIDGET, mh_app_test_is_toast, NULL,
                                       &toast_bounds);

      g_assert_true (mh_app_test_is_shown (footer, GTK_WIDGET (window)));
      g_assert_true (gtk_widget_compute_bounds (footer, GTK_WIDGET (window), &footer_bounds));
      g_test_message ("%d px: toast %.0f,%.0f %.0fx%.0f, bar from y %.0f", widths[i],
                      toast_bounds.origin.x, toast_bounds.origin.y,
                      toast_bounds.size.width, toast_bounds.size.height, footer_bounds.origin.y);
      g_assert_false (graphene_rect_intersection (&toast_bounds, &footer_bounds, NULL));
      g_assert_cmpfloat (toast_bounds.origin.y + toast_bounds.size.height, <=, footer_bounds.origin.y);
      /* In the window, and seen. */
      g_assert_cmpfloat (toast_bounds.origin.x, >=, 0);
      g_assert_cmpfloat (toast_bounds.origin.x + toast_bounds.size.width, <=, widths[i]);
      g_assert_cmpfloat (toast_bounds.origin.y, >=, 0);

      /* What a click on Generate's middle reaches (no photo yet: it is greyed). */
      g_assert_true (gtk_widget_compute_point (generate, GTK_WIDGET (window),
                                               &GRAPHENE_POINT_INIT (gtk_widget_get_width (generate) / 2.0f,
                                                                     gtk_widget_get_height (generate) / 2.0f),
                                               &center));
      picked = gtk_widget_pick (GTK_WIDGET (window), center.x, center.y, GTK_PICK_INSENSITIVE);
      g_test_message ("Generate's middle (%.0f, %.0f) reaches %s.%s", center.x, center.y,
                      picked != NULL ? G_OBJECT_TYPE_NAME (picked) : "nothing",
                      picked != NULL ? gtk_widget_get_css_name (picked) : "");
      g_assert_true (picked == generate || gtk_widget_is_ancestor (picked, generate));

      if (widths[i] == WIDTH)
        mh_app_test_save_screenshot (GTK_WIDGET (window), "keyboard-toast-1000.png");
      else if (widths[i] == 360)
        mh_app_test_save_screenshot (GTK_WIDGET (window), "keyboard-toast-360.png");
    }

  /* Escape, as with any toast, sends it away. */
  gtk_widget_grab_focus (mh_option_row_get_input_widget (MH_OPTION_ROW (mh_tool_form_get_option_row (form, "prompt"))));
  press ("Escape");
  mh_test_wait_for (no_toast, NULL, MH_TEST_TIMEOUT, "the toast to go");
  g_object_unref (toast);
  resize (WIDTH);
}

static gboolean
job_created (gpointer data)
{
  return mh_simulator_count_requests (sim, MH_SIM_ENDPOINT_CREATE) >= GPOINTER_TO_UINT (data);
}

static gboolean
showing_job (gpointer form)
{
  return !mh_tool_form_get_showing_inputs (form);
}

static gboolean
is_menu_button (GtkWidget     *widget,
                gconstpointer  tooltip)
{
  return g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0;
}

/* At start the focus is on a header button: Ctrl+Return generates all the
 * same. Once the job is shown, it does not start another one. */
static void
test_generate_from_header (void)
{
  MhToolForm *form = show_tool ("headshot");
  g_autofree char *png = mh_test_write_png (tmp_dir, "selfie.png");
  GtkWidget *menu_button;
  guint created = mh_simulator_count_requests (sim, MH_SIM_ENDPOINT_CREATE);

  fill_slot (form, "image", png);
  mh_test_wait_for ((MhTestCondition) mh_tool_form_get_can_generate, form, MH_TEST_TIMEOUT,
                    "Generate to become available");

  menu_button = mh_app_test_find_widget (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON,
                                         is_menu_button, "Main Menu");
  g_assert_nonnull (menu_button);
  g_assert_true (gtk_widget_grab_focus (menu_button));
  g_assert_true (focus_in (menu_button));

  press ("ctrl+Return");
  mh_test_wait_for (job_created, GUINT_TO_POINTER (created + 1), 4 * MH_TEST_TIMEOUT,
                    "the job to reach the simulator");
  mh_test_wait_for (showing_job, form, MH_TEST_TIMEOUT, "the job to be shown");

  /* On the job's page Ctrl+Return is not "start the same job again". */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "generate"));
  g_assert_cmpuint (mh_simulator_count_requests (sim, MH_SIM_ENDPOINT_CREATE), ==, created + 1);
}

static void
collect_shown_buttons (GtkWidget *widget,
                       GPtrArray *found)
{
  if (GTK_IS_BUTTON (widget) && mh_app_test_is_shown (widget, GTK_WIDGET (window)))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_shown_buttons (child, found);
}

static gboolean
job_done (gpointer form)
{
  MhJob *job = mh_job_view_get_job (MH_JOB_VIEW (mh_tool_form_get_job_view (form)));

  return job != NULL && mh_job_get_state (job) == MH_JOB_STATE_DONE;
}

/* On the finished job's page, scrolled to its end at any width, a toast
 * covers none of its buttons (Open, Save As…, Start Over). */
static void
test_toast_on_result (void)
{
  const int widths[] = { WIDTH, 360 };
  MhToolForm *form = MH_TOOL_FORM (mh_window_get_form (window, "headshot"));
  GtkWidget *job_view = mh_tool_form_get_job_view (form);
  AdwToast *toast = adw_toast_new ("Saved to “headshot.png” in Pictures");

  mh_test_wait_for (job_done, form, 4 * MH_TEST_TIMEOUT, "the job to end");
  adw_toast_set_button_label (toast, "_Open Folder");
  adw_toast_set_timeout (toast, 0);
  g_object_ref (toast);
  mh_window_add_toast (window, toast);

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
      GtkWidget *scroller;
      GtkAdjustment *adjustment;
      graphene_rect_t toast_bounds;

      resize (widths[i]);
      scroller = mh_app_test_find_widget (job_view, GTK_TYPE_SCROLLED_WINDOW, NULL, NULL);
      g_assert_nonnull (scroller);
      adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                            gtk_adjustment_get_page_size (adjustment));
      mh_app_test_wait_until_in_place (GTK_WIDGET (window), GTK_TYPE_WIDGET, mh_app_test_is_toast, NULL,
                                       &toast_bounds);

      collect_shown_buttons (job_view, buttons);
      g_assert_cmpuint (buttons->len, >, 0);
      for (guint j = 0; j < buttons->len; j++)
        {
          GtkWidget *button = g_ptr_array_index (buttons, j);
          graphene_rect_t bounds;

          g_assert_true (gtk_widget_compute_bounds (button, GTK_WIDGET (window), &bounds));
          if (graphene_rect_intersection (&toast_bounds, &bounds, NULL))
            g_error ("At %d px the toast (y %.0f to %.0f) covers %s “%s” (y %.0f to %.0f)", widths[i],
                     toast_bounds.origin.y, toast_bounds.origin.y + toast_bounds.size.height,
                     G_OBJECT_TYPE_NAME (button),
                     gtk_button_get_label (GTK_BUTTON (button)) != NULL ? gtk_button_get_label (GTK_BUTTON (button)) : "",
                     bounds.origin.y, bounds.origin.y + bounds.size.height);
        }
      if (widths[i] == 360)
        mh_app_test_save_screenshot (GTK_WIDGET (window), "keyboard-toast-result-360.png");
    }

  adw_toast_dismiss (toast);
  mh_test_wait_for (no_toast, NULL, MH_TEST_TIMEOUT, "the toast to go");
  g_object_unref (toast);
  resize (WIDTH);
}

static GtkWidget *
slot_row (const char *tool_id,
          const char *slot)
{
  return mh_tool_form_get_slot_row (MH_TOOL_FORM (mh_window_get_form (window, tool_id)), slot);
}

static GtkWidget *
option_input (const char *tool_id,
              const char *option)
{
  GtkWidget *row = mh_tool_form_get_option_row (MH_TOOL_FORM (mh_window_get_form (window, tool_id)), option);

  return mh_option_row_get_input_widget (MH_OPTION_ROW (row));
}

/* Alt+1..4 (and the tabs) put the focus on the tab's first empty input:
 * the first slot without a file, else the prompt; History's search. */
static void
test_alt_number_focus (void)
{
  MhToolForm *headshot = MH_TOOL_FORM (mh_window_get_form (window, "headshot"));
  g_autofree char *png = mh_test_write_png (tmp_dir, "face.png");
  GtkWidget *search = mh_history_page_get_search_entry (MH_HISTORY_PAGE (mh_window_get_history_page (window)));

  mh_tool_form_show_inputs (headshot);

  press ("alt+1");
  wait_for_focus_in (slot_row ("talking-photo", "image"), "the photo of the talking photo");

  /* A photo given: the voice is next. */
  fill_slot (MH_TOOL_FORM (mh_window_get_form (window, "talking-photo")), "image", png);
  press ("alt+2");
  wait_for_focus_in (slot_row ("lip-sync", "video"), "the video of the lip sync");
  press ("alt+1");
  wait_for_focus_in (slot_row ("talking-photo", "audio"), "the voice of the talking photo");

  /* The headshot has its photo: the prompt is the first thing to fill. */
  press ("alt+3");
  wait_for_focus_in (option_input ("headshot", "prompt"), "the prompt of the headshot");

  /* History: its search (there is a job to find). */
  press ("alt+4");
  wait_for_focus_in (search, "the search of History");

  /* A tab chosen with the pointer does the same. */
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (mh_app_test_find_widget (GTK_WIDGET (window),
                                                                                    ADW_TYPE_VIEW_STACK,
                                                                                    NULL, NULL)),
                                         "lip-sync");
  wait_for_focus_in (slot_row ("lip-sync", "video"), "the video of the lip sync");

  /* Ctrl+F, from a tool: History's search. */
  press ("ctrl+f");
  wait_for_focus_in (search, "the search of History");
}

static gboolean
text_is (gpointer data)
{
  return g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (option_input ("headshot", "prompt"))), data) == 0;
}

/* From the photo, Tab lands in the prompt's text, not on its row: two
 * words typed, two words kept. */
static void
test_tab_into_prompt (void)
{
  GtkWidget *prompt = option_input ("headshot", "prompt");
  GtkWidget *prompt_row = mh_tool_form_get_option_row (MH_TOOL_FORM (mh_window_get_form (window, "headshot")),
                                                       "prompt");
  GtkWidget *photo = slot_row ("headshot", "image");
  guint presses = 0;

  show_tool ("headshot");
  gtk_editable_set_text (GTK_EDITABLE (prompt), "");
  gtk_widget_grab_focus (photo);
  g_assert_true (focus_in (photo));

  /* Through the photo's buttons, to the first stop after them. */
  while (focus_in (photo) && presses < 12)
    {
      press ("Tab");
      presses++;
      mh_test_wait_for (focus_moved, get_focus (), MH_TEST_TIMEOUT, "Tab to move the focus");
    }
  g_assert_true (focus_in (prompt_row));
  /* The text itself, where typing goes. */
  g_assert_true (GTK_IS_TEXT (get_focus ()));
  g_assert_true (gtk_widget_is_ancestor (get_focus (), prompt));

  type_text ("studio light");
  mh_test_wait_for (text_is, (gpointer) "studio light", MH_TEST_TIMEOUT, "both words in the prompt");

  /* And back, out of the field to the photo's last button. */
  press ("shift+Tab");
  mh_test_wait_for (focus_moved, get_focus (), MH_TEST_TIMEOUT, "Shift+Tab to move the focus");
  g_assert_true (focus_in (photo));

  /* Down and Up go from field to field, as from row to row in a list. */
  gtk_widget_grab_focus (prompt);
  press ("Down");
  wait_for_focus_in (option_input ("headshot", "name"), "the name, below the prompt");
  press ("Up");
  wait_for_focus_in (prompt, "the prompt, above the name");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (prompt)), ==, "studio light");
}

static GtkWindow *
find_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return toplevel;
    }
  return NULL;
}

static gboolean
chooser_shown (gpointer data)
{
  return find_chooser () != NULL;
}

static gboolean
chooser_gone (gpointer data)
{
  return find_chooser () == NULL;
}

static gboolean
chooser_has_file (gpointer chooser)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);

  return file != NULL;
}

/* The filter a chooser starts with names what the slot takes; @path is
 * chosen, or nothing (Cancel). */
static void
assert_chooser_for (const char *filter_name,
                    const char *path)
{
  GtkWindow *chooser;
  GtkFileFilter *filter;

  mh_test_wait_for (chooser_shown, NULL, MH_TEST_TIMEOUT, "the file chooser");
  chooser = find_chooser ();
  filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (chooser));
  g_assert_nonnull (filter);
  g_assert_cmpstr (gtk_file_filter_get_name (filter), ==, filter_name);
  if (path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;

      g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, &error));
      g_assert_no_error (error);
      /* Selected once its folder is read. */
      mh_test_wait_for (chooser_has_file, chooser, MH_TEST_TIMEOUT, "the file to be selected");
      gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
    }
  else
    gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  mh_test_wait_for (chooser_gone, NULL, MH_TEST_TIMEOUT, "the file chooser to close");
}

/* Ctrl+O: the chooser of the slot with the focus, else of the first empty
 * one; a file chosen, the focus goes on to what is left to fill. */
static void
test_choose_file (void)
{
  g_autofree char *wav = mh_test_write_wav (tmp_dir, "voice.wav", 2.0);

  show_tool ("talking-photo");
  gtk_widget_grab_focus (slot_row ("talking-photo", "image"));
  press ("ctrl+o");
  assert_chooser_for ("Images", NULL);

  /* The photo is given, the voice is not; the focus is in no slot. */
  gtk_widget_grab_focus (option_input ("talking-photo", "mode"));
  g_assert_true (focus_in (option_input ("talking-photo", "mode")));
  press ("ctrl+o");
  wait_for_focus_in (slot_row ("talking-photo", "audio"), "the voice, the first empty slot");
  assert_chooser_for ("Audio", wav);
  mh_test_wait_for (mh_app_test_row_has_value, slot_row ("talking-photo", "audio"), MH_TEST_TIMEOUT, "the voice");
  g_assert_cmpstr (mh_file_row_get_value (MH_FILE_ROW (slot_row ("talking-photo", "audio"))), ==, wav);
  /* In this mode there is no prompt: the name is the text left to fill. */
  g_assert_false (gtk_widget_get_visible (mh_tool_form_get_option_row (MH_TOOL_FORM (mh_window_get_form (window, "talking-photo")),
                                                                      "prompt")));
  wait_for_focus_in (option_input ("talking-photo", "name"), "the name, left to fill");
}

/* ---- The shortcuts window -------------------------------------------------- */

/* The same key by one name: "<Control>Return", the keypad's as the main
 * keyboard's. */
static char *
normalize (guint           keyval,
           GdkModifierType modifiers)
{
  const struct { guint keypad, main; } keypad[] = {
    { GDK_KEY_KP_Enter, GDK_KEY_Return }, { GDK_KEY_KP_Left, GDK_KEY_Left },
    { GDK_KEY_KP_Right, GDK_KEY_Right }, { GDK_KEY_KP_Up, GDK_KEY_Up },
    { GDK_KEY_KP_Down, GDK_KEY_Down }, { GDK_KEY_KP_Page_Up, GDK_KEY_Page_Up },
    { GDK_KEY_KP_Page_Down, GDK_KEY_Page_Down }, { GDK_KEY_KP_Home, GDK_KEY_Home },
    { GDK_KEY_KP_End, GDK_KEY_End },
  };

  keyval = gdk_keyval_to_lower (keyval);
  for (guint i = 0; i < G_N_ELEMENTS (keypad); i++)
    if (keyval == keypad[i].keypad)
      keyval = keypad[i].main;

  return gtk_accelerator_name (keyval, modifiers & gtk_accelerator_get_default_mod_mask ());
}

static void
add_accel (GHashTable *set,
           const char *accel)
{
  guint keyval;
  GdkModifierType modifiers;

  g_assert_true (gtk_accelerator_parse (accel, &keyval, &modifiers));
  g_hash_table_add (set, normalize (keyval, modifiers));
}

static void
collect_listed (GtkWidget  *widget,
                GHashTable *listed)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *accelerator = NULL;
      g_autofree char *action = NULL;

      g_object_get (widget, "accelerator", &accelerator, "action-name", &action, NULL);
      if (accelerator != NULL)
        {
          g_auto(GStrv) accels = g_strsplit (accelerator, " ", -1);

          for (guint i = 0; accels[i] != NULL; i++)
            if (*accels[i] != '\0')
              add_accel (listed, accels[i]);
        }
      else if (action != NULL)
        {
          g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

          g_assert_true (accels[0] != NULL);
          for (guint i = 0; accels[i] != NULL; i++)
            add_accel (listed, accels[i]);
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_listed (child, listed);
}

static void
add_shortcut_keys (GtkWidget  *widget,
                   GHashTable *keys,
                   gpointer    value)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger))
            g_hash_table_insert (keys,
                                 normalize (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)),
                                            gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger))),
                                 value);
        }
    }
}

/* The keys GTK or libadwaita give @type (the inspector's Ctrl+Shift+I on
 * a window, a row's Space): not the app's to list. */
static GHashTable *
inherited_keys (GType type)
{
  GHashTable *keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GtkWidget *plain;

  while (g_str_has_prefix (g_type_name (type), "Mh"))
    type = g_type_parent (type);
  if (G_TYPE_IS_ABSTRACT (type))
    return keys;
  plain = g_object_ref_sink (g_object_new (type, NULL));
  add_shortcut_keys (plain, keys, NULL);
  if (GTK_IS_WINDOW (plain))
    gtk_window_destroy (GTK_WINDOW (plain));
  g_object_unref (plain);

  return keys;
}

/* Every key the app's own widgets bind (their class's shortcuts), each
 * with the widget that has it. */
static void
collect_bindings (GtkWidget  *widget,
                  GHashTable *bound)
{
  if (g_str_has_prefix (G_OBJECT_TYPE_NAME (widget), "Mh"))
    {
      g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr(GHashTable) inherited = inherited_keys (G_OBJECT_TYPE (widget));
      GHashTableIter iter;
      gpointer key;

      add_shortcut_keys (widget, keys, NULL);
      g_hash_table_iter_init (&iter, keys);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!g_hash_table_contains (inherited, key))
          g_hash_table_insert (bound, g_strdup (key), (gpointer) G_OBJECT_TYPE_NAME (widget));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_bindings (child, bound);
}

static gboolean
laid_out (gpointer widget)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

/* Every accelerator of the application, and every key the app's widgets
 * bind, is in the shortcuts window; nothing listed there is missing. */
static void
test_shortcuts_window (void)
{
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) registered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  GHashTableIter iter;
  gpointer key, value;

  g_assert_nonnull (overlay);
  collect_listed (GTK_WIDGET (overlay), listed);

  /* Ctrl+W and Ctrl+F exist, as the application's. */
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        {
          guint keyval;
          GdkModifierType modifiers;

          g_assert_true (gtk_accelerator_parse (accels[j], &keyval, &modifiers));
          g_hash_table_insert (registered, normalize (keyval, modifiers), actions[i]);
        }
    }
  g_assert_cmpstr (g_hash_table_lookup (registered, "<Control>w"), ==, "window.close");
  g_assert_cmpstr (g_hash_table_lookup (registered, "<Control>f"), ==, "win.search-history");
  g_assert_cmpstr (g_hash_table_lookup (registered, "<Control>o"), ==, "win.choose-file");
  g_assert_cmpstr (g_hash_table_lookup (registered, "<Control>Return"), ==, "win.generate");

  collect_bindings (GTK_WIDGET (window), registered);

  g_hash_table_iter_init (&iter, registered);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (listed, key))
      g_error ("%s (%s) is not in the shortcuts window", (char *) key, (char *) value);

  g_hash_table_iter_init (&iter, listed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (registered, key))
      g_error ("The shortcuts window lists %s, which nothing has", (char *) key);

  /* As a person opens it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  mh_test_wait_for (laid_out, overlay, MH_TEST_TIMEOUT, "the shortcuts window");
  mh_app_test_save_screenshot (GTK_WIDGET (overlay), "keyboard-shortcuts.png");
  gtk_window_close (GTK_WINDOW (overlay));
}

/* Ctrl+W closes the window. */
static gboolean
window_gone (gpointer data)
{
  return !gtk_widget_get_visible (data);
}

static gboolean
jobs_over (gpointer data)
{
  GListModel *jobs = mh_application_get_jobs (app);

  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(MhJob) job = g_list_model_get_item (jobs, i);

      if (!mh_job_state_is_finished (mh_job_get_state (job)))
        return FALSE;
    }
  return TRUE;
}

static void
test_ctrl_w (void)
{
  g_autoptr(GtkWidget) ref = g_object_ref (GTK_WIDGET (window));

  /* Nothing running: nothing to ask first. */
  mh_test_wait_for (jobs_over, NULL, 4 * MH_TEST_TIMEOUT, "the jobs to end");
  show_tool ("headshot");
  press ("ctrl+w");
  mh_test_wait_for (window_gone, ref, MH_TEST_TIMEOUT, "the window to close");
  window = NULL;
}

/* ---- Setup ------------------------------------------------------------------ */

static gboolean
app_ready (gpointer data)
{
  return mh_application_get_key_checked (data) && mh_application_get_has_key (data);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring = NULL;
  int status;

  tmp_dir = mh_test_make_tmp_dir ();
  keyring = g_build_filename (tmp_dir, "keyring.secrets", NULL);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("XDG_DATA_HOME", tmp_dir, TRUE);

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check () || !GDK_IS_X11_DISPLAY (gdk_display_get_default ()) ||
      g_find_program_in_path ("xdotool") == NULL)
    {
      g_print ("1..0 # SKIP no X display or no xdotool\n");
      mh_test_rm_rf (tmp_dir);
      return 77;
    }
  adw_init ();

  sim = mh_test_simulator_new (0.2);
  g_setenv ("MAGIC_HOUR_API_BASE_URL", mh_simulator_get_base_url (sim), TRUE);
  g_setenv ("MAGIC_HOUR_API_KEY", MH_TEST_KEY, TRUE);

  app = mh_application_new ();
  mh_app_test_register (app);
  mh_client_set_poll_scale (mh_application_get_client (app), 0.05);
  mh_test_wait_for (app_ready, app, MH_TEST_TIMEOUT, "the key");
  {
    GSettings *settings = mh_application_get_settings (app);
    g_autofree char *out = g_build_filename (tmp_dir, "out", NULL);

    g_settings_set_string (settings, "output-folder-video", out);
    g_settings_set_string (settings, "output-folder-image", out);
    g_settings_set_boolean (settings, "face-check", FALSE);
  }

  window = mh_app_test_new_window (app, WIDTH, HEIGHT);

  g_test_add_func ("/app/keyboard/env-is-a-line", test_env_is_a_line);
  g_test_add_func ("/app/keyboard/toast-above-bar", test_toast_above_bar);
  g_test_add_func ("/app/keyboard/generate-from-header", test_generate_from_header);
  g_test_add_func ("/app/keyboard/toast-on-result", test_toast_on_result);
  g_test_add_func ("/app/keyboard/alt-number-focus", test_alt_number_focus);
  g_test_add_func ("/app/keyboard/tab-into-prompt", test_tab_into_prompt);
  g_test_add_func ("/app/keyboard/choose-file", test_choose_file);
  g_test_add_func ("/app/keyboard/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/app/keyboard/ctrl-w", test_ctrl_w);

  status = g_test_run ();

  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (app);
  mh_simulator_stop (sim);
  g_object_unref (sim);
  mh_test_rm_rf (tmp_dir);
  g_free (tmp_dir);

  return status;
}
