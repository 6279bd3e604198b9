/* test-window.c: the main window as a person meets it
 *
 * No key: the welcome page with its two ways in. The demo: the three tools,
 * the Demo badge. At 360 px nothing sticks out and the tabs move to the
 * bottom bar. Files given on the command line land in the right tool and
 * slots; Alt+2 goes to Lip Sync.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mh-application.h"
#include "mh-file-row.h"
#include "mh-job-list.h"
#include "mh-jobs-indicator.h"
#include "mh-app-test-util.h"
#include "mh-test-util.h"
#include "mh-tool-form.h"
#include "mh-window.h"

static MhApplication *app;
static char *tmp_dir;

/* ------------------------------------------------------------------------ */
/* Finding what is on screen                                                */

typedef gboolean (*WidgetMatch) (GtkWidget *widget,
                                 gpointer   data);

static void
collect (GtkWidget   *widget,
         GType        type,
         WidgetMatch  match,
         gpointer     data,
         GPtrArray   *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && (match == NULL || match (widget, data)))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, match, data, found);
}

static GtkWidget *
find (GtkWidget   *root,
      GType        type,
      WidgetMatch  match,
      gpointer     data)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (root, type, match, data, found);
  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}


static gboolean
button_label_is (GtkWidget *widget,
                 gpointer   data)
{
  const char *label = gtk_button_get_label (GTK_BUTTON (widget));
  g_autoptr(GString) plain = g_string_new (NULL);

  /* "_Enter API Key" reads "Enter API Key". */
  for (const char *p = label; p != NULL && *p != '\0'; p++)
    if (*p != '_' || !gtk_button_get_use_underline (GTK_BUTTON (widget)))
      g_string_append_c (plain, *p);

  return g_str_equal (plain->str, data);
}

static gboolean
label_is (GtkWidget *widget,
          gpointer   data)
{
  return g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

static gboolean
stack_has_page (GtkWidget *widget,
                gpointer   data)
{
  return gtk_stack_get_child_by_name (GTK_STACK (widget), data) != NULL;
}

static GtkStack *
get_main_stack (MhWindow *window)
{
  GtkWidget *stack = find (GTK_WIDGET (window), GTK_TYPE_STACK, stack_has_page, "welcome");

  g_assert_nonnull (stack);
  return GTK_STACK (stack);
}

static AdwViewStack *
get_view_stack (MhWindow *window)
{
  GtkWidget *stack = find (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL, NULL);

  g_assert_nonnull (stack);
  return ADW_VIEW_STACK (stack);
}

/* ------------------------------------------------------------------------ */
/* Waiting                                                                  */

typedef struct
{
  GtkWidget *widget;
  guint      frames;
} FrameWait;

/* Each frame asks for the next: an idle window draws nothing by itself. */
static void
after_paint_cb (GdkFrameClock *clock,
                FrameWait     *wait)
{
  if (++wait->frames < 2)
    gtk_widget_queue_draw (wait->widget);
}

static gboolean
frames_drawn (gpointer data)
{
  return ((FrameWait *) data)->frames >= 2;
}

/* Lets the window lay itself out and draw twice (sizes settle in the
 * first frame, what depends on them in the second). */
static void
wait_for_frames (GtkWidget *window)
{
  FrameWait wait = { window, 0 };
  GdkFrameClock *clock;
  gulong handler;

  mh_test_wait_for ((MhTestCondition) gtk_widget_get_mapped, window, MH_TEST_TIMEOUT, "the window to map");
  clock = gtk_widget_get_frame_clock (window);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &wait);
  gtk_widget_queue_resize (window);
  mh_test_wait_for (frames_drawn, &wait, MH_TEST_TIMEOUT, "two frames");
  g_signal_handler_disconnect (clock, handler);
}

static MhWindow *
new_window (int width,
            int height)
{
  MhWindow *window = mh_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_frames (GTK_WIDGET (window));

  return window;
}

static void
destroy_window (MhWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                    */

static void
test_welcome_without_key (void)
{
  MhWindow *window;
  GtkStack *main_stack;
  GtkWidget *status, *enter, *demo;

  g_assert_false (mh_application_get_demo (app));

  window = new_window (1000, 760);
  main_stack = get_main_stack (window);

  mh_test_wait_for (mh_app_test_key_checked, app, MH_TEST_TIMEOUT, "the key lookup");
  wait_for_frames (GTK_WIDGET (window));

  g_assert_false (mh_application_get_has_key (app));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "welcome");

  status = find (GTK_WIDGET (main_stack), ADW_TYPE_STATUS_PAGE, NULL, NULL);
  g_assert_nonnull (status);
  g_assert_true (mh_app_test_is_shown (status, GTK_WIDGET (window)));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), ==, "Welcome to Magic Hour Studio");

  enter = find (status, GTK_TYPE_BUTTON, button_label_is, "Enter API Key");
  demo = find (status, GTK_TYPE_BUTTON, button_label_is, "Try the Demo");
  g_assert_nonnull (enter);
  g_assert_nonnull (demo);
  g_assert_true (mh_app_test_is_shown (enter, GTK_WIDGET (window)));
  g_assert_true (mh_app_test_is_shown (demo, GTK_WIDGET (window)));
  g_assert_true (gtk_widget_is_sensitive (enter));
  g_assert_true (gtk_widget_is_sensitive (demo));

  /* The tabs are not offered before there is a way to use them. */
  g_assert_false (mh_app_test_is_shown (GTK_WIDGET (get_view_stack (window)), GTK_WIDGET (window)));
  g_assert_false (adw_view_switcher_title_get_view_switcher_enabled (
                    ADW_VIEW_SWITCHER_TITLE (find (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_TITLE, NULL, NULL))));
  g_assert_false (adw_view_switcher_bar_get_reveal (
                    ADW_VIEW_SWITCHER_BAR (find (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_BAR, NULL, NULL))));

  destroy_window (window);
}

static void
test_demo_shows_tools (void)
{
  MhWindow *window = new_window (1000, 760);
  GtkStack *main_stack = get_main_stack (window);
  GtkWidget *badge;
  GtkWidget *demo_button;

  mh_test_wait_for (mh_app_test_key_checked, app, MH_TEST_TIMEOUT, "the key lookup");
  badge = find (GTK_WIDGET (window), GTK_TYPE_LABEL, label_is, "Demo");
  g_assert_nonnull (badge);
  g_assert_false (mh_app_test_is_shown (badge, GTK_WIDGET (window)));

  demo_button = find (GTK_WIDGET (window), GTK_TYPE_BUTTON, button_label_is, "Try the Demo");
  g_assert_nonnull (demo_button);
  /* What a click on the button does. */
  g_assert_true (gtk_widget_activate (demo_button));
  /* A button shows the press for a moment before it acts. */
  mh_test_wait_for ((MhTestCondition) mh_application_get_demo, app, MH_TEST_TIMEOUT, "the demo to start");
  wait_for_frames (GTK_WIDGET (window));

  g_assert_true (mh_application_get_demo (app));
  g_assert_nonnull (mh_application_get_simulator (app));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "tools");
  g_assert_true (mh_app_test_is_shown (badge, GTK_WIDGET (window)));
  g_assert_true (gtk_widget_has_css_class (badge, "demo-badge"));
  g_assert_true (mh_app_test_is_shown (GTK_WIDGET (get_view_stack (window)), GTK_WIDGET (window)));

  /* Once in the demo, the menu no longer offers it. */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "demo"));

  destroy_window (window);
}

static void
test_four_pages (void)
{
  const struct { const char *name, *title, *icon; } expected[] = {
    { "talking-photo", "Talking Photo", "mh-talking-photo-symbolic" },
    { "lip-sync", "Lip Sync", "mh-lip-sync-symbolic" },
    { "headshot", "Headshot", "mh-headshot-symbolic" },
    { "history", "History", "document-open-recent-symbolic" },
  };
  MhWindow *window = new_window (1000, 760);
  AdwViewStack *stack = get_view_stack (window);
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (stack);
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (window)));
  GtkWidget *switcher_title = find (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_TITLE, NULL, NULL);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pages)), ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      GtkWidget *form = mh_window_get_form (window, expected[i].name);

      g_assert_cmpstr (adw_view_stack_page_get_name (page), ==, expected[i].name);
      g_assert_cmpstr (adw_view_stack_page_get_title (page), ==, expected[i].title);
      g_assert_cmpstr (adw_view_stack_page_get_icon_name (page), ==, expected[i].icon);
      /* The icon is in the app's resources, not missing. */
      g_assert_true (gtk_icon_theme_has_icon (theme, expected[i].icon));
      g_assert_true (adw_view_stack_page_get_visible (page));

      if (g_str_equal (expected[i].name, "history"))
        {
          GtkWidget *history = mh_window_get_history_page (window);

          g_assert_null (form);
          g_assert_true (adw_view_stack_page_get_child (page) == history);
          mh_window_show_history (window);
          g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "history");
          g_assert_true (mh_app_test_is_shown (history, GTK_WIDGET (window)));
          continue;
        }

      g_assert_nonnull (form);
      g_assert_true (MH_IS_TOOL_FORM (form));
      g_assert_cmpstr (mh_tool_form_get_tool_id (MH_TOOL_FORM (form)), ==, expected[i].name);

      mh_window_show_tool (window, expected[i].name);
      g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, expected[i].name);
      g_assert_true (mh_app_test_is_shown (form, GTK_WIDGET (window)));
    }

  /* Wide: the tabs are in the header, the bottom bar is hidden. */
  g_assert_nonnull (switcher_title);
  g_assert_false (adw_view_switcher_title_get_title_visible (ADW_VIEW_SWITCHER_TITLE (switcher_title)));
  g_assert_false (adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (find (GTK_WIDGET (window),
                                                                                ADW_TYPE_VIEW_SWITCHER_BAR,
                                                                                NULL, NULL))));

  destroy_window (window);
}

/* Everything mapped lies within the window's width. */
static void
assert_within (GtkWidget *widget,
               GtkWidget *window,
               int        width)
{
  graphene_rect_t bounds;

  GtkWidget *parent = gtk_widget_get_parent (widget);

  /* Overlay scrollbars float over the edge by design; a squeezer keeps
   * what does not fit, hidden, while it fades out. */
  if (!gtk_widget_get_mapped (widget) || GTK_IS_SCROLLBAR (widget) ||
      (ADW_IS_SQUEEZER (parent) && adw_squeezer_get_visible_child (ADW_SQUEEZER (parent)) != widget))
    return;

  /* 2 px of slack: Adwaita gives the header bar -1 px margins on a window
   * without a compositor. */
  if (gtk_widget_compute_bounds (widget, window, &bounds) &&
      (bounds.origin.x < -2 || bounds.origin.x + bounds.size.width > width + 2) &&
      /* Inside a horizontally scrolling view, the view clips on purpose. */
      gtk_widget_get_ancestor (widget, GTK_TYPE_VIEWPORT) == NULL)
    g_error ("%s (%s) at x %.0f, %.0f px wide sticks out of a %d px window",
             G_OBJECT_TYPE_NAME (widget), gtk_widget_get_css_name (widget),
             bounds.origin.x, bounds.size.width, width);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_within (child, window, width);
}

/* On failure: the chain of widgets that asks for the most width. */
static void
explain_width (GtkWidget *widget,
               int        depth)
{
  GtkWidget *widest = NULL;
  int widest_min = -1;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int min = 0;

      if (!gtk_widget_get_visible (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
      if (min > widest_min)
        {
          widest_min = min;
          widest = child;
        }
    }

  if (widest == NULL)
    return;

  g_test_message ("%*s%s.%s (%s) needs %d px", depth * 2, "", G_OBJECT_TYPE_NAME (widest),
                  gtk_widget_get_css_name (widest),
                  GTK_IS_LABEL (widest) ? gtk_label_get_label (GTK_LABEL (widest)) :
                  GTK_IS_BUTTON (widest) && gtk_button_get_label (GTK_BUTTON (widest)) != NULL
                  ? gtk_button_get_label (GTK_BUTTON (widest)) : "",
                  widest_min);
  explain_width (widest, depth + 1);
}

static void
assert_fits_360 (MhWindow   *window,
                 const char *what)
{
  GtkWidget *content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  int min = 0, nat = 0;

  wait_for_frames (GTK_WIDGET (window));
  gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  g_test_message ("%s: content needs %d px (natural %d)", what, min, nat);
  if (min > 360)
    explain_width (content, 0);
  g_assert_cmpint (min, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (content), <=, 360);
  assert_within (content, content, gtk_widget_get_width (content));
}

static const char *
slot_value (MhWindow   *window,
            const char *tool_id,
            const char *slot)
{
  GtkWidget *form = mh_window_get_form (window, tool_id);
  GtkWidget *row = mh_tool_form_get_slot_row (MH_TOOL_FORM (form), slot);

  g_assert_nonnull (row);
  return mh_file_row_get_value (MH_FILE_ROW (row));
}

typedef struct
{
  MhWindow   *window;
  const char *tool_id;
  const char *slot;
} SlotRef;

static gboolean
slot_filled (gpointer data)
{
  SlotRef *ref = data;

  return slot_value (ref->window, ref->tool_id, ref->slot) != NULL;
}

/* The row checks a file in a thread before it takes it. */
static void
wait_for_slot (MhWindow   *window,
               const char *tool_id,
               const char *slot)
{
  SlotRef ref = { window, tool_id, slot };

  mh_test_wait_for (slot_filled, &ref, MH_TEST_TIMEOUT, slot);
}

static void
test_narrow (void)
{
  MhWindow *window = new_window (360, 720);
  GtkWidget *bar = find (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_BAR, NULL, NULL);
  g_autofree char *png = mh_test_write_png (tmp_dir, "A portrait with a rather long file name.png");
  g_autofree char *wav = mh_test_write_wav (tmp_dir, "A voice recording with a long name.wav", 3.0);
  g_autofree char *mp4 = mh_test_write_mp4 (tmp_dir, "clip.mp4");
  GFile *files[2];
  GFile *video[1];

  g_assert_true (mh_application_get_demo (app));
  g_assert_nonnull (bar);

  for (guint i = 0; i < 3; i++)
    {
      const char *tools[] = { "talking-photo", "lip-sync", "headshot" };

      mh_window_show_tool (window, tools[i]);
      assert_fits_360 (window, tools[i]);
    }

  /* The tabs do not fit in the header: they move to the bottom. */
  g_assert_true (adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (bar)));
  g_assert_true (mh_app_test_is_shown (bar, GTK_WIDGET (window)));

  /* Filled rows, with long names, still fit. */
  files[0] = g_file_new_for_path (png);
  files[1] = g_file_new_for_path (wav);
  mh_window_open (window, NULL, files, 2);
  wait_for_slot (window, "talking-photo", "image");
  wait_for_slot (window, "talking-photo", "audio");
  assert_fits_360 (window, "talking-photo with files");
  video[0] = g_file_new_for_path (mp4);
  mh_window_open (window, NULL, video, 1);
  wait_for_slot (window, "lip-sync", "video");
  assert_fits_360 (window, "lip-sync with a video");
  g_object_unref (files[0]);
  g_object_unref (files[1]);
  g_object_unref (video[0]);

  destroy_window (window);
}

static void
test_open_files (void)
{
  MhWindow *window = new_window (1000, 760);
  AdwViewStack *stack = get_view_stack (window);
  g_autofree char *png = mh_test_write_png (tmp_dir, "face.png");
  g_autofree char *wav = mh_test_write_wav (tmp_dir, "voice.wav", 2.0);
  g_autofree char *mp4 = mh_test_write_mp4 (tmp_dir, "talk.mp4");
  GFile *files[2] = { g_file_new_for_path (png), g_file_new_for_path (wav) };
  GFile *video[1] = { g_file_new_for_path (mp4) };

  /* Start elsewhere, so that the choice is seen. */
  mh_window_show_tool (window, "headshot");

  mh_window_open (window, NULL, files, 2);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "talking-photo");
  wait_for_slot (window, "talking-photo", "image");
  wait_for_slot (window, "talking-photo", "audio");
  g_assert_cmpstr (slot_value (window, "talking-photo", "image"), ==, png);
  g_assert_cmpstr (slot_value (window, "talking-photo", "audio"), ==, wav);
  g_assert_true (mh_app_test_is_shown (mh_tool_form_get_slot_row (MH_TOOL_FORM (mh_window_get_form (window, "talking-photo")), "image"),
                           GTK_WIDGET (window)));

  mh_window_open (window, NULL, video, 1);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "lip-sync");
  wait_for_slot (window, "lip-sync", "video");
  g_assert_cmpstr (slot_value (window, "lip-sync", "video"), ==, mp4);
  g_assert_null (slot_value (window, "lip-sync", "audio"));

  /* The talking photo kept its files. */
  g_assert_cmpstr (slot_value (window, "talking-photo", "image"), ==, png);

  g_object_unref (files[0]);
  g_object_unref (files[1]);
  g_object_unref (video[0]);
  destroy_window (window);
}

/* The window's own Alt+<n> shortcut, activated as a key press would: the
 * class's shortcuts are in one of the widget's shortcut controllers. */
static gboolean
activate_shortcut (GtkWidget       *widget,
                   guint            keyval,
                   GdkModifierType  modifiers)
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

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }

  return FALSE;
}

static void
test_alt_number (void)
{
  MhWindow *window = new_window (1000, 760);
  AdwViewStack *stack = get_view_stack (window);

  mh_window_show_tool (window, "talking-photo");

  g_assert_true (activate_shortcut (GTK_WIDGET (window), GDK_KEY_2, GDK_ALT_MASK));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "lip-sync");
  g_assert_true (activate_shortcut (GTK_WIDGET (window), GDK_KEY_3, GDK_ALT_MASK));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "headshot");
  g_assert_true (activate_shortcut (GTK_WIDGET (window), GDK_KEY_1, GDK_ALT_MASK));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "talking-photo");

  /* The action the shortcut names, as a menu would use it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-tool", "s", "lip-sync"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "lip-sync");

  /* The tool is remembered for the next start. */
  g_assert_cmpstr (g_settings_get_string (mh_application_get_settings (app), "last-tool"), ==, "lip-sync");

  /* Alt+4 is the history, which is no tool to start with. */
  g_assert_true (activate_shortcut (GTK_WIDGET (window), GDK_KEY_4, GDK_ALT_MASK));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "history");
  g_assert_cmpstr (g_settings_get_string (mh_application_get_settings (app), "last-tool"), ==, "lip-sync");

  destroy_window (window);
}

static gboolean
has_css_class (GtkWidget *widget,
               gpointer   data)
{
  return gtk_widget_has_css_class (widget, data);
}

static AdwViewStackPage *
tool_page (MhWindow   *window,
           const char *name)
{
  AdwViewStack *stack = get_view_stack (window);

  return adw_view_stack_get_page (stack, adw_view_stack_get_child_by_name (stack, name));
}

/* Which tabs are marked, as "talking-photo=0 lip-sync=0 headshot=1 history=0". */
static char *
describe_tabs (MhWindow *window)
{
  const char *names[] = { "talking-photo", "lip-sync", "headshot", "history" };
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      AdwViewStackPage *page = tool_page (window, names[i]);

      g_string_append_printf (text, "%s%s=%u%s", i > 0 ? " " : "", names[i],
                              adw_view_stack_page_get_badge_number (page),
                              adw_view_stack_page_get_needs_attention (page) ? "!" : "");
    }
  return g_string_free (text, FALSE);
}

static gboolean
popover_shown (gpointer popover)
{
  return gtk_widget_get_mapped (popover) && gtk_widget_get_width (popover) > 0;
}

static gboolean
job_gone_from_list (gpointer job)
{
  return !g_list_store_find (G_LIST_STORE (mh_application_get_jobs (app)), job, NULL);
}

/* While a job runs, the jobs button counts it and its tool's tab is
 * marked; when it ends both go back. The popover names it, says when it
 * started and what it does, and Clear Finished takes it out of the list
 * (History keeps it). */
static void
test_jobs_button (void)
{
  MhWindow *window = new_window (1000, 760);
  GtkWidget *button = find (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON, has_css_class, (gpointer) "jobs-button");
  GtkWidget *indicator = find (GTK_WIDGET (window), MH_TYPE_JOBS_INDICATOR, NULL, NULL);
  GtkWidget *badge = find (GTK_WIDGET (window), GTK_TYPE_LABEL, has_css_class, (gpointer) "jobs-badge");
  g_autofree char *png = mh_test_write_png (tmp_dir, "team.png");
  g_autofree char *out = g_build_filename (tmp_dir, "results", NULL);
  g_autoptr(GFile) out_dir = g_file_new_for_path (out);
  g_autoptr(GHashTable) params = mh_test_params ("image", png, "name", "Team page", NULL);
  g_autoptr(MhJob) job = NULL;
  g_autofree char *tabs = NULL;
  MhSimulator *sim = mh_application_get_simulator (app);
  GtkPopover *popover;
  GtkWidget *list, *row, *clear;

  g_assert_true (mh_application_get_demo (app));
  g_assert_nonnull (button);
  g_assert_nonnull (indicator);
  g_assert_nonnull (badge);
  g_assert_true (gtk_menu_button_get_child (GTK_MENU_BUTTON (button)) == indicator);
  mh_window_show_tool (window, "talking-photo");

  /* Nothing runs: no count, no marked tab. */
  g_assert_cmpuint (mh_jobs_indicator_get_n_running (MH_JOBS_INDICATOR (indicator)), ==, 0);
  g_assert_false (mh_app_test_is_shown (badge, GTK_WIDGET (window)));
  tabs = describe_tabs (window);
  g_assert_cmpstr (tabs, ==, "talking-photo=0 lip-sync=0 headshot=0 history=0");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Jobs of This Session");

  /* A headshot renders, started from wherever. */
  mh_simulator_set_render_seconds (sim, 300);
  job = mh_job_store_new_job (mh_application_get_store (app), mh_application_get_client (app),
                              mh_tool_lookup ("headshot"), params);
  mh_job_set_output_dir (job, out_dir);
  mh_client_set_poll_scale (mh_application_get_client (app), 0.05);
  mh_application_run_job (app, job);
  mh_app_test_wait_for_job_state (job, MH_JOB_STATE_QUEUED);
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_QUEUED);

  /* Seen from the Talking Photo tab: the count over the jobs button, the
   * Headshot tab marked, the tooltip in words. */
  g_assert_cmpuint (mh_jobs_indicator_get_n_running (MH_JOBS_INDICATOR (indicator)), ==, 1);
  g_assert_true (mh_app_test_is_shown (badge, GTK_WIDGET (window)));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (badge)), ==, "1");
  g_clear_pointer (&tabs, g_free);
  tabs = describe_tabs (window);
  g_assert_cmpstr (tabs, ==, "talking-photo=0 lip-sync=0 headshot=1! history=0");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Jobs of This Session: 1 Running");
  mh_app_test_wait_until_still (GTK_WIDGET (window));
  mh_app_test_save_screenshot (GTK_WIDGET (window), "jobs-button-running.png");

  /* The popover: wide enough for the name, when it started, its step. */
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  mh_test_wait_for (popover_shown, popover, MH_TEST_TIMEOUT, "the popover");
  mh_app_test_wait_until_still (GTK_WIDGET (popover));
  list = find (GTK_WIDGET (popover), MH_TYPE_JOB_LIST, NULL, NULL);
  g_assert_cmpint (gtk_widget_get_width (list), >=, 400);
  row = mh_app_test_find_widget (list, ADW_TYPE_ACTION_ROW, NULL, NULL);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Team page");
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Started "));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Waiting in Magic Hour's queue"));
  mh_app_test_save_screenshot (GTK_WIDGET (popover), "jobs-popover-running.png");

  /* It ends: the count and the mark go. */
  mh_simulator_finish_project_now (sim, mh_job_get_project_id (job));
  mh_app_test_wait_for_job_state (job, MH_JOB_STATE_DONE);
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_DONE);
  g_assert_cmpuint (mh_jobs_indicator_get_n_running (MH_JOBS_INDICATOR (indicator)), ==, 0);
  g_assert_false (mh_app_test_is_shown (badge, GTK_WIDGET (window)));
  g_clear_pointer (&tabs, g_free);
  tabs = describe_tabs (window);
  g_assert_cmpstr (tabs, ==, "talking-photo=0 lip-sync=0 headshot=0 history=0");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Jobs of This Session");
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Done at "));
  mh_app_test_wait_until_still (GTK_WIDGET (popover));
  mh_app_test_save_screenshot (GTK_WIDGET (popover), "jobs-popover-done.png");

  /* Clear Finished: out of the list, still in History with its result. */
  clear = find (list, GTK_TYPE_BUTTON, button_label_is, (gpointer) "Clear Finished");
  g_assert_nonnull (clear);
  g_assert_true (gtk_widget_get_sensitive (clear));
  g_assert_true (gtk_widget_activate (clear));
  mh_test_wait_for (job_gone_from_list, job, MH_TEST_TIMEOUT, "Clear Finished");
  g_assert_nonnull (mh_app_test_find_label (list, "No Jobs Yet"));
  g_assert_nonnull (mh_job_store_lookup (mh_application_get_store (app),
                                         mh_job_record_get_id (mh_job_get_record (job))));
  g_assert_true (g_file_test (mh_job_get_output_files (job)[0], G_FILE_TEST_IS_REGULAR));

  gtk_popover_popdown (popover);
  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tmp_dir = mh_test_make_tmp_dir ();
  mh_app_test_isolate (tmp_dir);

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      mh_test_rm_rf (tmp_dir);
      return 77;
    }
  adw_init ();

  app = mh_application_new ();
  mh_app_test_register (app);

  /* In this order: the welcome page needs the app without the demo. */
  g_test_add_func ("/app/window/welcome-without-key", test_welcome_without_key);
  g_test_add_func ("/app/window/demo-shows-tools", test_demo_shows_tools);
  g_test_add_func ("/app/window/four-pages", test_four_pages);
  g_test_add_func ("/app/window/narrow", test_narrow);
  g_test_add_func ("/app/window/open-files", test_open_files);
  g_test_add_func ("/app/window/alt-number", test_alt_number);
  g_test_add_func ("/app/window/jobs-button", test_jobs_button);

  status = g_test_run ();

  g_object_unref (app);
  mh_test_rm_rf (tmp_dir);
  g_free (tmp_dir);

  return status;
}
