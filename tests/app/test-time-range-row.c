/* test-time-range-row.c: the clip's start and end, as a person edits them
 *
 * Typing goes through the spin buttons as a person's keys would (text, then
 * the commit that Enter or leaving the field does), and the assertions are
 * about what shows: the fields' text, the row's subtitle and its red.
 * Screenshots of the rows of a tool's form, light and dark, at 420 and 360
 * pixels, go to $MH_SCREENSHOT_DIR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <locale.h>

#include "mh-app-resources.h"
#include "mh-option-row.h"
#include "mh-app-test-util.h"
#include "mh-test-util.h"
#include "mh-time-range-row.h"

/* ---- What a person sees --------------------------------------------------- */

static GtkSpinButton *
get_spin (MhTimeRangeRow *row,
          const char     *name)
{
  GObject *spin = gtk_widget_get_template_child (GTK_WIDGET (row), MH_TYPE_TIME_RANGE_ROW, name);

  g_assert_true (GTK_IS_SPIN_BUTTON (spin));
  return GTK_SPIN_BUTTON (spin);
}

static const char *
spin_text (MhTimeRangeRow *row,
           const char     *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (get_spin (row, name)));
}

/* Types @text into a field, as keys would, without committing it. */
static void
type_text (MhTimeRangeRow *row,
           const char     *name,
           const char     *text)
{
  gtk_editable_set_text (GTK_EDITABLE (get_spin (row, name)), text);
}

/* Presses Enter in a field: its text widget's "activate", as the key does. */
static void
press_enter (GtkSpinButton *spin)
{
  g_signal_emit_by_name (gtk_editable_get_delegate (GTK_EDITABLE (spin)), "activate");
}

/* Types @text and presses Enter. */
static void
enter_text (MhTimeRangeRow *row,
            const char     *name,
            const char     *text)
{
  GtkSpinButton *spin = get_spin (row, name);

  gtk_editable_set_text (GTK_EDITABLE (spin), text);
  press_enter (spin);
}

static GtkWidget *
find_label_with_class (GtkWidget  *root,
                       const char *css_class)
{
  if (GTK_IS_LABEL (root) && gtk_widget_has_css_class (root, css_class))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_with_class (child, css_class);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The subtitle line under "Clip", as shown; NULL when hidden. */
static const char *
shown_subtitle (MhTimeRangeRow *row)
{
  GtkWidget *label = find_label_with_class (GTK_WIDGET (row), "subtitle");

  g_assert_nonnull (label);
  if (!gtk_widget_get_visible (label))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (label));
}

/* The sentence under "Clip" is in the error colour. */
static gboolean
shown_in_red (MhTimeRangeRow *row)
{
  GtkWidget *label = find_label_with_class (GTK_WIDGET (row), "subtitle");

  return gtk_widget_has_css_class (label, "error");
}

static MhTimeRangeRow *
new_row (void)
{
  return g_object_ref_sink (MH_TIME_RANGE_ROW (mh_time_range_row_new ()));
}

typedef struct
{
  guint start;
  guint end;
  guint error;
} NotifyCount;

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 NotifyCount *count)
{
  if (g_str_equal (pspec->name, "start"))
    count->start++;
  else if (g_str_equal (pspec->name, "end"))
    count->end++;
  else if (g_str_equal (pspec->name, "error"))
    count->error++;
}

/* ---- Tests ---------------------------------------------------------------- */

static void
test_initial (void)
{
  MhTimeRangeRow *row = new_row ();

  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Clip");
  g_assert_cmpfloat (mh_time_range_row_get_start (row), ==, 0);
  g_assert_cmpfloat (mh_time_range_row_get_end (row), ==, 0);
  g_assert_cmpstr (spin_text (row, "start_spin"), ==, "0:00.0");
  g_assert_cmpstr (spin_text (row, "end_spin"), ==, "0:00.0");

  /* Nothing picked yet: the range cannot be used, but nothing is wrong. */
  g_assert_cmpstr (mh_time_range_row_get_error (row), ==, "Set where the clip ends.");
  g_assert_cmpstr (shown_subtitle (row), ==, "Set where the clip ends.");
  g_assert_false (shown_in_red (row));

  /* Both fields take the keyboard. */
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (get_spin (row, "start_spin"))) ||
                 gtk_widget_get_focusable (gtk_widget_get_first_child (GTK_WIDGET (get_spin (row, "start_spin")))));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (get_spin (row, "end_spin"))));

  g_assert_finalize_object (row);
}

static void
test_duration_default (void)
{
  MhTimeRangeRow *row = new_row ();
  NotifyCount count = { 0 };

  g_signal_connect (row, "notify", G_CALLBACK (count_notify_cb), &count);

  /* Picking the file is enough: the whole clip. */
  mh_time_range_row_set_duration (row, 12);
  g_assert_cmpfloat (mh_time_range_row_get_start (row), ==, 0);
  g_assert_cmpfloat (mh_time_range_row_get_end (row), ==, 12);
  g_assert_null (mh_time_range_row_get_error (row));
  g_assert_cmpstr (spin_text (row, "start_spin"), ==, "0:00.0");
  g_assert_cmpstr (spin_text (row, "end_spin"), ==, "0:12.0");
  g_assert_cmpstr (shown_subtitle (row), ==, "Uses 0:12.0 of 0:12.0");
  g_assert_false (shown_in_red (row));
  g_assert_cmpuint (count.end, ==, 1);
  g_assert_cmpuint (count.start, ==, 0);
  g_assert_cmpuint (count.error, ==, 1);

  /* The same length again (the same file) changes nothing. */
  enter_text (row, "end_spin", "8");
  g_assert_cmpfloat (mh_time_range_row_get_end (row), ==, 8);
  mh_time_range_row_set_duration (row, 12);
  g_assert_cmpfloat (mh_time_range_row_get_end (row), ==, 8);

  /* Another file: the whole of it. */
  mh_time_range_row_set_duration (row, 20.5);
  g_assert_cmpfloat (mh_time_range_row_get_end (row), ==, 20.5);
  g_assert_cmpstr (shown_subtitle (row), ==, "Uses 0:20.5 of 0:20.5");

  /* The file is gone: the range stays, the bound goes. */
  mh_time_range_row_set_duration (row, -1);
  g_assert_cmpfloat (mh_time_range_row_get_end (row), ==, 20.5);
  g_assert_cmpstr (shown_subtitle (row), ==, "The clip is 0:20.5 long");
  enter_text (row, "end_spin", "1:30");
  g_assert_cmpfloat (mh_time_range_row_get_end (row), ==, 90);

  g_signal_handlers_disconnect_by_func (row, count_notify_cb, &count);
  g_assert_finalize_object (row);
}

static void
test_clamped_to_max_clip (void)
{
  MhTimeRangeRow *row = new_row ();

  mh_time_range_row_set_max_clip (row, 45);
  mh_time_range_row_set_duration (row, 60);
  g_assert_cmpfloat (mh_time_range_row_get_start (row), ==, 0);
  g_assert_cmpfloat (mh_time_range_row_get_end (row), ==, 45);
  g_assert_null (mh_time_range_row_get_error (row));
  g_assert_cmpstr (spin_text (row, "end_spin"), ==, "0:45.0");
  g_assert_cmpstr (shown_subtitle (row), ==, "Uses 0:45.0 of 1:00.0; at most 0:45.0 in this style");

  /* Typing past the limit stops at it; moving the start moves the limit. */
  enter_text (row, "end_spin", "0:50");
  g_assert_cmpfloat (mh_time_range_row_get_end (row), ==, 45);
  enter_text (row, "start_spin", "10");
  enter_text (row, "end_spin", "0:50");
  g_assert_cmpfloat (mh_time_range_row_get_end (row), ==, 50);
  g_assert_null (mh_time_range_row_get_error (row));
  enter_text (row, "end_spin", "2:00");
  g_assert_cmpfloat (mh_time_range_row_get_end (row), ==, 55);
  g_assert_cmpstr (spin_text (row, "end_spin"), ==, "0:55.0");

  /* The media bounds both ends. */
  enter_text (row, "start_spin", "1:10");
  g_assert_cmpfloat (mh_time_range_row_get_start (row), ==, 59.9);

  g_assert_finalize_object (row);
}

static void
test_end_before_start (void)
{
  MhTimeRangeRow *row = new_row ();
  GtkWidget *end_spin;
  NotifyCount count = { 0 };

  mh_time_range_row_set_duration (row, 12);
  end_spin = GTK_WIDGET (get_spin (row, "end_spin"));
  g_signal_connect (row, "notify", G_CALLBACK (count_notify_cb), &count);

  enter_text (row, "start_spin", "5");
  g_assert_cmpfloat (mh_time_range_row_get_start (row), ==, 5);
  g_assert_cmpuint (count.start, ==, 1);
  g_assert_cmpstr (shown_subtitle (row), ==, "Uses 0:07.0 of 0:12.0");

  /* As the person types, before the field is left: the reason shows. */
  type_text (row, "end_spin", "3");
  g_assert_cmpstr (mh_time_range_row_get_error (row), ==, "The end must be after the start.");
  g_assert_cmpstr (shown_subtitle (row), ==, "The end must be after the start.");
  g_assert_true (shown_in_red (row));
  g_assert_true (gtk_widget_has_css_class (end_spin, "error"));
  g_assert_cmpfloat (mh_time_range_row_get_end (row), ==, 12);
  g_assert_cmpuint (count.end, ==, 0);

  /* Half-typed text that is not a time yet leaves the message alone. */
  type_text (row, "end_spin", "0:");
  g_assert_cmpstr (shown_subtitle (row), ==, "The end must be after the start.");
  type_text (row, "end_spin", "0:03");
  press_enter (GTK_SPIN_BUTTON (end_spin));
  g_assert_cmpfloat (mh_time_range_row_get_end (row), ==, 3);
  g_assert_cmpstr (spin_text (row, "end_spin"), ==, "0:03.0");
  g_assert_cmpuint (count.end, ==, 1);
  g_assert_cmpstr (mh_time_range_row_get_error (row), ==, "The end must be after the start.");
  g_assert_cmpstr (shown_subtitle (row), ==, "The end must be after the start.");
  g_assert_true (shown_in_red (row));

  /* Equal is not after. */
  enter_text (row, "end_spin", "5");
  g_assert_cmpstr (mh_time_range_row_get_error (row), ==, "The end must be after the start.");

  /* Fixed: the length again, no red. */
  enter_text (row, "end_spin", "0:07.5");
  g_assert_null (mh_time_range_row_get_error (row));
  g_assert_cmpstr (shown_subtitle (row), ==, "Uses 0:02.5 of 0:12.0");
  g_assert_false (shown_in_red (row));
  g_assert_false (gtk_widget_has_css_class (end_spin, "error"));

  /* Set from code: the same. */
  mh_time_range_row_set_range (row, 8, 2);
  g_assert_cmpfloat (mh_time_range_row_get_start (row), ==, 8);
  g_assert_cmpfloat (mh_time_range_row_get_end (row), ==, 2);
  g_assert_cmpstr (spin_text (row, "start_spin"), ==, "0:08.0");
  g_assert_cmpstr (spin_text (row, "end_spin"), ==, "0:02.0");
  g_assert_true (shown_in_red (row));

  g_signal_handlers_disconnect_by_func (row, count_notify_cb, &count);
  g_assert_finalize_object (row);
}

static void
test_max_clip_untouched (void)
{
  MhTimeRangeRow *row = new_row ();

  mh_time_range_row_set_max_clip (row, 180);
  mh_time_range_row_set_duration (row, 60);
  g_assert_cmpfloat (mh_time_range_row_get_end (row), ==, 60);

  /* Another style with a shorter limit: the default follows it... */
  mh_time_range_row_set_max_clip (row, 45);
  g_assert_cmpfloat (mh_time_range_row_get_end (row), ==, 45);
  g_assert_cmpstr (spin_text (row, "end_spin"), ==, "0:45.0");
  g_assert_null (mh_time_range_row_get_error (row));

  /* ...and back. */
  mh_time_range_row_set_max_clip (row, 180);
  g_assert_cmpfloat (mh_time_range_row_get_end (row), ==, 60);
  g_assert_cmpstr (shown_subtitle (row), ==, "Uses 1:00.0 of 1:00.0");

  g_assert_finalize_object (row);
}

static void
test_max_clip_edited (void)
{
  MhTimeRangeRow *row = new_row ();

  mh_time_range_row_set_max_clip (row, 180);
  mh_time_range_row_set_duration (row, 120);
  enter_text (row, "end_spin", "1:15");
  g_assert_cmpfloat (mh_time_range_row_get_end (row), ==, 75);

  /* What the person typed stays; the reason shows. */
  mh_time_range_row_set_max_clip (row, 45);
  g_assert_cmpfloat (mh_time_range_row_get_start (row), ==, 0);
  g_assert_cmpfloat (mh_time_range_row_get_end (row), ==, 75);
  g_assert_cmpstr (spin_text (row, "end_spin"), ==, "1:15.0");
  g_assert_cmpstr (mh_time_range_row_get_error (row), ==,
                   "The clip is 1:15.0 long; at most 0:45.0 is allowed in this style. Shorten it.");
  g_assert_cmpstr (shown_subtitle (row), ==, mh_time_range_row_get_error (row));
  g_assert_true (shown_in_red (row));

  /* Moving the start up is one way to fix it. */
  enter_text (row, "start_spin", "0:30");
  g_assert_null (mh_time_range_row_get_error (row));
  g_assert_false (shown_in_red (row));
  enter_text (row, "start_spin", "0");
  g_assert_nonnull (mh_time_range_row_get_error (row));

  /* Shortening the end is the other. */
  enter_text (row, "end_spin", "0:40");
  g_assert_cmpfloat (mh_time_range_row_get_end (row), ==, 40);
  g_assert_null (mh_time_range_row_get_error (row));
  g_assert_cmpstr (shown_subtitle (row), ==, "Uses 0:40.0 of 2:00.0; at most 0:45.0 in this style");

  /* A range set from code counts as chosen too. */
  mh_time_range_row_set_max_clip (row, 180);
  mh_time_range_row_set_range (row, 0, 100);
  mh_time_range_row_set_max_clip (row, 45);
  g_assert_cmpfloat (mh_time_range_row_get_end (row), ==, 100);
  g_assert_nonnull (mh_time_range_row_get_error (row));

  g_assert_finalize_object (row);
}

static void
test_input_parsing (void)
{
  MhTimeRangeRow *row = new_row ();
  const struct {
    const char *text;
    double      seconds;
    const char *shown;
  } cases[] = {
    { "1:05.3", 65.3, "1:05.3" },
    { "65.3", 65.3, "1:05.3" },
    { "12,5", 12.5, "0:12.5" },
    { " 1:05 ", 65, "1:05.0" },
    { "7 s", 7, "0:07.0" },
    { "0:07.25", 7.3, "0:07.3" },
    { "10:00", 600, "10:00.0" },
    { "90", 90, "1:30.0" },
    { ".5", 0.5, "0:00.5" },
    /* Past an hour, as the fields show it. */
    { "2:00:00.0", 7200, "2:00:00.0" },
    { "1:02:03", 3723, "1:02:03.0" },
    { "0:59:59,9", 3599.9, "59:59.9" },
  };

  /* No file: only the ten-hour guard bounds the fields. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      enter_text (row, "end_spin", cases[i].text);
      g_assert_cmpfloat_with_epsilon (mh_time_range_row_get_end (row), cases[i].seconds, 1e-9);
      g_assert_cmpstr (spin_text (row, "end_spin"), ==, cases[i].shown);
    }

  /* Not a time: the value stays and its text comes back. */
  enter_text (row, "end_spin", "1:05.3");
  for (guint i = 0; i < 7; i++)
    {
      const char *bad[] = { "abc", "-3", "1:2:3:4", "1:75:00", "inf", "1e3", "" };

      enter_text (row, "end_spin", bad[i]);
      g_assert_cmpfloat_with_epsilon (mh_time_range_row_get_end (row), 65.3, 1e-9);
      g_assert_cmpstr (spin_text (row, "end_spin"), ==, "1:05.3");
    }

  g_assert_finalize_object (row);
}

static void
test_output_formatting (void)
{
  MhTimeRangeRow *row = new_row ();

  mh_time_range_row_set_range (row, 59.96, 125.04);
  g_assert_cmpstr (spin_text (row, "start_spin"), ==, "1:00.0");
  g_assert_cmpstr (spin_text (row, "end_spin"), ==, "2:05.0");

  mh_time_range_row_set_range (row, 0.05, 3599.9);
  g_assert_cmpstr (spin_text (row, "start_spin"), ==, "0:00.1");
  g_assert_cmpstr (spin_text (row, "end_spin"), ==, "59:59.9");

  /* The +/- buttons step a tenth and show it the same way. */
  mh_time_range_row_set_range (row, 9.9, 20);
  g_signal_emit_by_name (get_spin (row, "start_spin"), "change-value", GTK_SCROLL_STEP_UP);
  g_assert_cmpfloat_with_epsilon (mh_time_range_row_get_start (row), 10.0, 1e-9);
  g_assert_cmpstr (spin_text (row, "start_spin"), ==, "0:10.0");

  g_assert_finalize_object (row);
}

static void
test_properties (void)
{
  MhTimeRangeRow *row = new_row ();
  double start, end, duration, max_clip;
  g_autofree char *error = NULL;

  g_object_set (row, "max-clip", 45.0, "duration", 30.0, NULL);
  g_object_set (row, "start", 2.0, NULL);
  g_object_get (row,
                "start", &start, "end", &end, "duration", &duration,
                "max-clip", &max_clip, "error", &error,
                NULL);
  g_assert_cmpfloat (start, ==, 2);
  g_assert_cmpfloat (end, ==, 30);
  g_assert_cmpfloat (duration, ==, 30);
  g_assert_cmpfloat (max_clip, ==, 45);
  g_assert_null (error);

  g_object_set (row, "end", 1.0, NULL);
  g_object_get (row, "error", &error, NULL);
  g_assert_cmpstr (error, ==, "The end must be after the start.");

  g_assert_finalize_object (row);
}

/* ---- Screenshots ---------------------------------------------------------- */

typedef struct
{
  GtkWidget *widget;
  int        width;
  int        last_width;
  gint64     frame;
} SizeWait;

/* The size has stayed the same for a few frames: resizing and the rows'
 * transitions are over. */
static gboolean
settled (gpointer user_data)
{
  SizeWait *w = user_data;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (w->widget);
  int width = gtk_widget_get_width (w->widget);

  if (!gtk_widget_get_mapped (w->widget) || clock == NULL || width == 0)
    return FALSE;

  if (width != w->last_width)
    {
      w->last_width = width;
      w->frame = gdk_frame_clock_get_frame_counter (clock);
    }

  if (gdk_frame_clock_get_frame_counter (clock) > w->frame + 15)
    return TRUE;

  /* Keep frames coming; the last one drawn is what the screenshot shows. */
  gtk_widget_queue_draw (w->widget);
  return FALSE;
}

static void
wait_settled (GtkWidget *widget)
{
  SizeWait wait = { widget, 0, -1, -1 };

  mh_test_wait_for (settled, &wait, MH_TEST_TIMEOUT, "the window's size");
}

/* Gives @content (the window's whole content) @width pixels: the window
 * may add its own frame around it. */
static void
resize_content (GtkWidget *window,
                GtkWidget *content,
                int        width)
{
  gtk_window_set_default_size (GTK_WINDOW (window), width, 1020);
  wait_settled (window);
  if (gtk_widget_get_width (content) != width)
    {
      gtk_window_set_default_size (GTK_WINDOW (window), width + (width - gtk_widget_get_width (content)), 1020);
      wait_settled (window);
    }
  g_assert_cmpint (gtk_widget_get_width (content), ==, width);
}

/* Nothing may be cut: every control of the row, and the row's labels, get
 * at least the width they ask for. */
static void
assert_not_clipped (GtkWidget *widget)
{
  GtkAllocation allocation;
  int min_width;

  if (!gtk_widget_get_visible (widget))
    return;

  /* The allocation holds CSS border and padding; the measure also counts
   * the widget's margins. */
  gtk_widget_get_allocation (widget, &allocation);
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  min_width -= gtk_widget_get_margin_start (widget) + gtk_widget_get_margin_end (widget);
  if (allocation.width < min_width)
    g_error ("%s is %d px wide, narrower than its minimum %d px",
             G_OBJECT_TYPE_NAME (widget), allocation.width, min_width);

  /* A control's insides are its own business. */
  if (GTK_IS_SPIN_BUTTON (widget) || GTK_IS_ENTRY (widget) || GTK_IS_DROP_DOWN (widget))
    return;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_not_clipped (child);
}

static GtkWidget *
add_option (GtkWidget  *group,
            const char *tool_id,
            const char *key,
            const char *value)
{
  GtkWidget *row = mh_option_row_new (tool_id, key);

  if (value != NULL)
    mh_option_row_set_value (MH_OPTION_ROW (row), value);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static void
test_screenshots (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *window = adw_window_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *photo = adw_preferences_group_new ();
  GtkWidget *errors = adw_preferences_group_new ();
  GtkWidget *lips = adw_preferences_group_new ();
  GtkWidget *range, *bad_range, *long_range, *lip_mode, *mode;
  GtkWidget *popover = NULL;
  const int widths[] = { 420, 360 };

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (photo), "AI Talking Photo");
  range = mh_time_range_row_new ();
  mh_time_range_row_set_max_clip (MH_TIME_RANGE_ROW (range), 45);
  mh_time_range_row_set_duration (MH_TIME_RANGE_ROW (range), 72.4);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (photo), range);
  add_option (photo, "talking-photo", "mode", "prompted");
  add_option (photo, "talking-photo", "intensity", "1.25");
  add_option (photo, "talking-photo", "prompt", "A calm, sunny afternoon");
  add_option (photo, "talking-photo", "max-resolution", NULL);
  add_option (photo, "talking-photo", "name", NULL);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (errors), "When the range is wrong");
  bad_range = mh_time_range_row_new ();
  mh_time_range_row_set_duration (MH_TIME_RANGE_ROW (bad_range), 12);
  mh_time_range_row_set_range (MH_TIME_RANGE_ROW (bad_range), 8, 3);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (errors), bad_range);
  long_range = mh_time_range_row_new ();
  mh_time_range_row_set_max_clip (MH_TIME_RANGE_ROW (long_range), 180);
  mh_time_range_row_set_duration (MH_TIME_RANGE_ROW (long_range), 120);
  mh_time_range_row_set_range (MH_TIME_RANGE_ROW (long_range), 0, 75);
  mh_time_range_row_set_max_clip (MH_TIME_RANGE_ROW (long_range), 45);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (errors), long_range);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (lips), "Lip Sync");
  lip_mode = add_option (lips, "lip-sync", "mode", "pro");
  add_option (lips, "lip-sync", "max-fps", "24");

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (photo));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (errors));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (lips));
  adw_window_set_content (ADW_WINDOW (window), page);
  gtk_window_set_title (GTK_WINDOW (window), "Rows");
  gtk_window_present (GTK_WINDOW (window));

  g_assert_nonnull (mh_time_range_row_get_error (MH_TIME_RANGE_ROW (bad_range)));
  g_assert_nonnull (mh_time_range_row_get_error (MH_TIME_RANGE_ROW (long_range)));

  for (guint s = 0; s < 2; s++)
    {
      adw_style_manager_set_color_scheme (style, s == 0 ? ADW_COLOR_SCHEME_FORCE_LIGHT
                                                        : ADW_COLOR_SCHEME_FORCE_DARK);
      for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
        {
          g_autofree char *name = g_strdup_printf ("rows-talking-photo-%d-%s.png", widths[i],
                                                   s == 0 ? "light" : "dark");

          /* Two shots each: the window cannot be taller than the screen. */
          gtk_widget_set_visible (photo, TRUE);
          gtk_widget_set_visible (errors, FALSE);
          gtk_widget_set_visible (lips, FALSE);
          resize_content (window, page, widths[i]);
          mh_app_test_save_screenshot (window, name);
          assert_not_clipped (photo);

          gtk_widget_set_visible (photo, FALSE);
          gtk_widget_set_visible (errors, TRUE);
          gtk_widget_set_visible (lips, TRUE);
          resize_content (window, page, widths[i]);
          g_free (name);
          name = g_strdup_printf ("rows-errors-lip-sync-%d-%s.png", widths[i],
                                  s == 0 ? "light" : "dark");
          mh_app_test_save_screenshot (window, name);
          assert_not_clipped (errors);
          assert_not_clipped (lips);
        }
    }
  /* The list of choices explains each one. */
  gtk_widget_set_visible (photo, FALSE);
  mode = mh_option_row_get_input_widget (MH_OPTION_ROW (lip_mode));
  for (GtkWidget *child = gtk_widget_get_first_child (mode); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_TOGGLE_BUTTON (child))
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child), TRUE);
      if (GTK_IS_POPOVER (child))
        popover = child;
    }
  g_assert_nonnull (popover);
  wait_settled (popover);
  mh_app_test_save_screenshot (popover, "rows-lip-sync-choices-dark.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  wait_settled (popover);
  mh_app_test_save_screenshot (popover, "rows-lip-sync-choices-light.png");
  gtk_popover_popdown (GTK_POPOVER (popover));

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");

  /* No session bus is needed; do not let GDBus start one for X11. */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return 77;
    }
  adw_init ();
  g_resources_register (mh_app_get_resource ());

  g_test_add_func ("/time-range-row/initial", test_initial);
  g_test_add_func ("/time-range-row/duration-default", test_duration_default);
  g_test_add_func ("/time-range-row/clamped-to-max-clip", test_clamped_to_max_clip);
  g_test_add_func ("/time-range-row/end-before-start", test_end_before_start);
  g_test_add_func ("/time-range-row/max-clip/untouched", test_max_clip_untouched);
  g_test_add_func ("/time-range-row/max-clip/edited", test_max_clip_edited);
  g_test_add_func ("/time-range-row/input-parsing", test_input_parsing);
  g_test_add_func ("/time-range-row/output-formatting", test_output_formatting);
  g_test_add_func ("/time-range-row/properties", test_properties);
  g_test_add_func ("/time-range-row/screenshots", test_screenshots);

  return g_test_run ();
}
