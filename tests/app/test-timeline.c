/* test-timeline.c: picking the part to use on the media's picture
 *
 * The timeline is tested where a person meets it, in the tool's form, with
 * real media: handles dragged with real pointer events (xdotool on the
 * Xvfb display, at the places the handles are drawn), real key presses on
 * a focused handle, the style's limit stopping a handle with the reason
 * shown, the typed fields and the handles in step both ways, Play Selection
 * read from the stream's own timestamps, and a 2-hour recording loaded with
 * the main loop's longest stall measured, then zoomed until a 3-second part
 * is wide enough to grab. Screenshots (Talking Photo's speech, Lip Sync's
 * video with the speech under it; light and dark; 360 and 1400 pixels)
 * go to $MH_SCREENSHOT_DIR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <math.h>
#include <string.h>

#include "mh-app-resources.h"
#include "mh-app-test-util.h"
#include "mh-test-media.h"
#include "mh-test-util.h"
#include "mh-time-range-row.h"
#include "mh-timeline.h"
#include "mh-validate.h"
#include "mh-waveform.h"

static char *dir;

static const char *speech_wav (double seconds);

typedef struct
{
  GtkWidget      *window;
  MhTimeline     *timeline;
  MhTimeRangeRow *row;
} Page;

/* ---- A page with files ---------------------------------------------------- */

static void
warm_cache (const char     *path,
            double          seconds,
            MhTimelineKind  kind,
            const char     *speech)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) secondary = speech != NULL ? g_file_new_for_path (speech) : NULL;
  MhTimeline *timeline = g_object_ref_sink (MH_TIMELINE (mh_timeline_new ()));

  mh_timeline_set_duration (timeline, seconds);
  mh_timeline_set_file (timeline, file, kind);
  mh_timeline_set_secondary_file (timeline, secondary);
  mh_test_wait_for ((MhTestCondition) mh_timeline_get_loaded, timeline, MH_TEST_TIMEOUT, "the media");
  g_object_unref (timeline);
}

/* The "Part to Use" card as the tool form builds it (mh-tool-form.c): the
 * timeline in a row above the typed fields, bound both ways, alone in its
 * window so that pointer positions are the timeline's. The form's own
 * wiring (the file row's speech drawn, Play Selection in Lip Sync's
 * preview) is tested in test-layout.c, /app/layout/timeline-in-form. */
static Page
page_new (int width)
{
  Page page = { 0 };
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *timeline_row = adw_preferences_row_new ();

  page.window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (page.window), "Timeline");
  gtk_window_set_default_size (GTK_WINDOW (page.window), width, 420);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), "Part to Use");
  gtk_widget_set_margin_start (group, 12);
  gtk_widget_set_margin_end (group, 12);
  gtk_widget_set_margin_top (group, 12);
  gtk_widget_set_margin_bottom (group, 12);

  page.timeline = MH_TIMELINE (mh_timeline_new ());
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (timeline_row), FALSE);
  gtk_widget_set_focusable (timeline_row, FALSE);
  gtk_widget_add_css_class (timeline_row, "timeline-row");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (timeline_row), GTK_WIDGET (page.timeline));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), timeline_row);
  page.row = MH_TIME_RANGE_ROW (mh_time_range_row_new ());
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (page.row));
  g_object_bind_property (page.row, "duration", page.timeline, "duration", G_BINDING_SYNC_CREATE);
  g_object_bind_property (page.row, "max-clip", page.timeline, "max-clip", G_BINDING_SYNC_CREATE);
  g_object_bind_property (page.row, "start", page.timeline, "start", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (page.row, "end", page.timeline, "end", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  gtk_box_append (GTK_BOX (box), group);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), box);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_window_set_child (GTK_WINDOW (page.window), scroller);
  gtk_window_present (GTK_WINDOW (page.window));
  mh_app_test_wait_for_frames (page.window);

  return page;
}

static void
page_free (Page *page)
{
  gtk_window_destroy (GTK_WINDOW (page->window));
}

static gboolean
timeline_ready (gpointer data)
{
  MhTimeline *timeline = data;

  return mh_timeline_get_loaded (timeline) && mh_timeline_get_duration (timeline) > 0 &&
         mh_timeline_get_file (timeline) != NULL && gtk_widget_get_width (GTK_WIDGET (timeline)) > 0;
}

/* What picking the file does in the form: its length to the row, the file
 * (and for a video the speech) to the timeline. */
static void
pick_media (Page           *page,
            const char     *path,
            double          seconds,
            MhTimelineKind  kind,
            const char     *speech)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) secondary = speech != NULL ? g_file_new_for_path (speech) : NULL;

  mh_time_range_row_set_duration (page->row, seconds);
  mh_timeline_set_file (page->timeline, file, kind);
  mh_timeline_set_secondary_file (page->timeline, secondary);
  mh_test_wait_for (timeline_ready, page->timeline, MH_TEST_TIMEOUT, "the timeline to load");
  mh_app_test_wait_until_still (page->window);
}

static void
pick_speech (Page   *page,
             double  seconds)
{
  pick_media (page, speech_wav (seconds), seconds, MH_TIMELINE_KIND_AUDIO, NULL);
}

static const char *
speech_wav (double seconds)
{
  static char *paths[4];
  static double lengths[4];

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      if (paths[i] != NULL && lengths[i] == seconds)
        return paths[i];
      if (paths[i] == NULL)
        {
          g_autofree char *name = g_strdup_printf ("speech-%.0f.wav", seconds);

          paths[i] = mh_test_write_tone_wav (dir, name, seconds, 0.8, TRUE);
          lengths[i] = seconds;
          return paths[i];
        }
    }
  g_assert_not_reached ();
}

/* ---- Real input: xdotool on the test's display ---------------------------- */

static char *
window_xid (GtkWidget *widget)
{
  GdkSurface *surface = gtk_native_get_surface (gtk_widget_get_native (widget));

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  return g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
}

/* A point of @widget in its X window's coordinates, as two strings. */
static void
surface_point (GtkWidget *widget,
               double     x,
               double     y,
               char     **sx,
               char     **sy)
{
  GtkNative *native = gtk_widget_get_native (widget);
  double wx, wy, tx, ty;

  g_assert_true (gtk_widget_translate_coordinates (widget, GTK_WIDGET (native), x, y, &wx, &wy));
  gtk_native_get_surface_transform (native, &tx, &ty);
  *sx = g_strdup_printf ("%d", (int) round (wx + tx));
  *sy = g_strdup_printf ("%d", (int) round (wy + ty));
}

typedef struct
{
  MhTimeline *timeline;
  const char *property;
  double      value;
  double      tolerance;
} ValueWait;

static gboolean
value_reached (gpointer data)
{
  ValueWait *w = data;
  double value;

  g_object_get (w->timeline, w->property, &value, NULL);
  return fabs (value - w->value) <= w->tolerance;
}

static void
wait_for_value (MhTimeline *timeline,
                const char *property,
                double      value,
                double      tolerance)
{
  ValueWait w = { timeline, property, value, tolerance };
  g_autofree char *what = g_strdup_printf ("%s to reach %.2f", property, value);

  mh_test_wait_for (value_reached, &w, MH_TEST_TIMEOUT, what);
}

/* Presses the button at (x0, y) of @widget, moves to (x1, y) in steps, and
 * releases it: what a hand on a mouse does. */
static void
drag_with_pointer (GtkWidget *widget,
                   double     x0,
                   double     x1,
                   double     y)
{
  g_autofree char *xid = window_xid (widget);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sx = NULL, *sy = NULL;

  surface_point (widget, x0, y, &sx, &sy);
  mh_app_test_xdotool ("mousemove", "--window", xid, sx, sy, "mousedown", "1", NULL);
  for (int i = 1; i <= 4; i++)
    {
      g_autofree char *mx = NULL, *my = NULL;

      surface_point (widget, x0 + (x1 - x0) * i / 4, y, &mx, &my);
      mh_app_test_xdotool ("mousemove", "--window", xid, mx, my, NULL);
    }
  mh_app_test_xdotool ("mouseup", "1", NULL);
}

static void
click_with_pointer (GtkWidget *widget,
                    double     x,
                    double     y)
{
  g_autofree char *xid = window_xid (widget);
  g_autofree char *sx = NULL, *sy = NULL;

  surface_point (widget, x, y, &sx, &sy);
  mh_app_test_xdotool ("mousemove", "--window", xid, sx, sy, "click", "1", NULL);
}

/* The middle of a handle, in the timeline's coordinates. */
static void
handle_center (MhTimeline *timeline,
               guint       which,
               double     *x,
               double     *y)
{
  GtkWidget *handle = mh_timeline_get_handle (timeline, which);

  g_assert_true (gtk_widget_get_child_visible (handle));
  g_assert_true (gtk_widget_translate_coordinates (handle, GTK_WIDGET (timeline),
                                                   gtk_widget_get_width (handle) / 2.0,
                                                   gtk_widget_get_height (handle) / 2.0, x, y));
}

static void
drag_handle (MhTimeline *timeline,
             guint       which,
             double      to_seconds)
{
  double x, y;

  handle_center (timeline, which, &x, &y);
  drag_with_pointer (GTK_WIDGET (timeline), x, mh_timeline_time_to_x (timeline, to_seconds), y);
}

/* A real key press on the focused handle. */
static void
press_key (GtkWidget  *window,
           const char *key)
{
  g_autofree char *xid = window_xid (window);

  mh_app_test_xdotool ("key", "--window", xid, "--clearmodifiers", key, NULL);
}

static gboolean
has_focus (gpointer data)
{
  return gtk_widget_has_focus (data);
}

static void
focus_handle (Page  *page,
              guint  which)
{
  GtkWidget *handle = mh_timeline_get_handle (page->timeline, which);
  g_autofree char *xid = window_xid (page->window);

  /* No window manager: the X focus is given by hand. */
  mh_app_test_xdotool ("windowfocus", "--sync", xid, NULL);
  gtk_widget_grab_focus (handle);
  mh_test_wait_for (has_focus, handle, MH_TEST_TIMEOUT, "the handle to take the focus");
}

static const char *
spin_text (MhTimeRangeRow *row,
           const char     *name)
{
  GObject *spin = gtk_widget_get_template_child (GTK_WIDGET (row), MH_TYPE_TIME_RANGE_ROW, name);

  return gtk_editable_get_text (GTK_EDITABLE (spin));
}

static void
enter_text (MhTimeRangeRow *row,
            const char     *name,
            const char     *text)
{
  GObject *spin = gtk_widget_get_template_child (GTK_WIDGET (row), MH_TYPE_TIME_RANGE_ROW, name);

  gtk_editable_set_text (GTK_EDITABLE (spin), text);
  g_signal_emit_by_name (gtk_editable_get_delegate (GTK_EDITABLE (spin)), "activate");
}

static const char *
handle_name (MhTimeline *timeline,
             guint       which)
{
  /* The handle's tooltip is its accessible name. */
  return gtk_widget_get_tooltip_text (mh_timeline_get_handle (timeline, which));
}

/* ---- Tests ---------------------------------------------------------------- */

/* The acceptance: the part of a speech picked by dragging, and Generate on,
 * without a number typed. */
static void
test_drag_handles (void)
{
  Page page = page_new (560);
  double x, y, x_end;

  pick_speech (&page, 12);
  g_assert_cmpfloat (mh_timeline_get_duration (page.timeline), ==, 12);
  g_assert_cmpfloat (mh_timeline_get_end (page.timeline), ==, 12);

  /* The start handle, from 0:00 to 0:03. */
  drag_handle (page.timeline, 0, 3.0);
  wait_for_value (page.timeline, "start", 3.0, 0.15);
  g_assert_cmpfloat (mh_time_range_row_get_start (page.row), ==, mh_timeline_get_start (page.timeline));
  g_assert_true (gtk_widget_has_focus (mh_timeline_get_handle (page.timeline, 0)));

  /* The end handle, from 0:12 to 0:08. */
  drag_handle (page.timeline, 1, 8.0);
  wait_for_value (page.timeline, "end", 8.0, 0.15);
  g_assert_cmpfloat (mh_time_range_row_get_end (page.row), ==, mh_timeline_get_end (page.timeline));

  /* The part itself, a second later: its length kept. */
  mh_time_range_row_set_range (page.row, 3, 8);
  mh_app_test_wait_for_frames (page.window);
  handle_center (page.timeline, 0, &x, &y);
  handle_center (page.timeline, 1, &x_end, &y);
  x = (x + x_end) / 2;
  drag_with_pointer (GTK_WIDGET (page.timeline), x,
                     x + mh_timeline_time_to_x (page.timeline, 1) - mh_timeline_time_to_x (page.timeline, 0), y);
  wait_for_value (page.timeline, "start", 4.0, 0.15);
  g_assert_cmpfloat_with_epsilon (mh_timeline_get_end (page.timeline) - mh_timeline_get_start (page.timeline),
                                  5.0, 1e-6);
  g_assert_cmpfloat (mh_time_range_row_get_end (page.row), ==, mh_timeline_get_end (page.timeline));

  /* A click on the strip outside the part moves the playhead there. */
  click_with_pointer (GTK_WIDGET (page.timeline), mh_timeline_time_to_x (page.timeline, 10.5), y);
  wait_for_value (page.timeline, "position", 10.5, 0.15);
  g_assert_cmpfloat_with_epsilon (mh_timeline_get_start (page.timeline), 4.0, 0.15);

  /* Picked by hand: the typed fields agree and have nothing to say. */
  g_assert_null (mh_time_range_row_get_error (page.row));

  page_free (&page);
}

static void
test_keyboard (void)
{
  Page page = page_new (560);

  pick_speech (&page, 12);
  mh_time_range_row_set_range (page.row, 3, 8);

  focus_handle (&page, 0);
  press_key (page.window, "Right");
  wait_for_value (page.timeline, "start", 3.1, 1e-6);
  press_key (page.window, "Page_Up");
  wait_for_value (page.timeline, "start", 4.1, 1e-6);
  press_key (page.window, "Left");
  wait_for_value (page.timeline, "start", 4.0, 1e-6);
  press_key (page.window, "Page_Down");
  wait_for_value (page.timeline, "start", 3.0, 1e-6);
  g_assert_cmpstr (handle_name (page.timeline, 0), ==, "Start of the clip, 0:03.0");
  press_key (page.window, "End");
  wait_for_value (page.timeline, "start", 7.9, 1e-6);
  press_key (page.window, "Home");
  wait_for_value (page.timeline, "start", 0, 1e-6);
  g_assert_cmpstr (spin_text (page.row, "start_spin"), ==, "0:00.0");

  focus_handle (&page, 1);
  press_key (page.window, "Left");
  wait_for_value (page.timeline, "end", 7.9, 1e-6);
  press_key (page.window, "Page_Down");
  wait_for_value (page.timeline, "end", 6.9, 1e-6);
  g_assert_cmpstr (handle_name (page.timeline, 1), ==, "End of the clip, 0:06.9");
  g_assert_cmpstr (spin_text (page.row, "end_spin"), ==, "0:06.9");
  press_key (page.window, "End");
  wait_for_value (page.timeline, "end", 12, 1e-6);
  press_key (page.window, "Home");
  wait_for_value (page.timeline, "end", 0.1, 1e-6);
  g_assert_null (mh_timeline_get_reason (page.timeline));

  /* Tab goes from the start handle to the end handle. */
  focus_handle (&page, 0);
  press_key (page.window, "Tab");
  mh_test_wait_for (has_focus, mh_timeline_get_handle (page.timeline, 1), MH_TEST_TIMEOUT,
                    "Tab to reach the end handle");

  page_free (&page);
}

static gboolean
no_reason (gpointer data)
{
  return mh_timeline_get_reason (data) == NULL;
}

static GtkWidget *
reason_label (MhTimeline *timeline)
{
  return mh_app_test_find_label (GTK_WIDGET (timeline), "clips are at most");
}

static gboolean
reason_shown (gpointer data)
{
  return reason_label (data) != NULL;
}

static gboolean
has_reason (gpointer data)
{
  return mh_timeline_get_reason (data) != NULL;
}

static void
test_max_clip (void)
{
  Page page = page_new (560);

  pick_speech (&page, 120);

  /* Expressive: at most a minute (as the form sets it from the style);
   * the default part is the first minute. */
  mh_time_range_row_set_max_clip (page.row, 60);
  mh_timeline_set_max_clip (page.timeline, 60, "Expressive");
  wait_for_value (page.timeline, "end", 60, 1e-6);
  mh_app_test_wait_for_frames (page.window);
  g_assert_null (reason_label (page.timeline));

  /* Dragged past it: the handle stops at the limit, and says why. */
  drag_handle (page.timeline, 1, 100);
  mh_test_wait_for (reason_shown, page.timeline, MH_TEST_TIMEOUT, "the reason to show");
  g_assert_cmpfloat (mh_timeline_get_end (page.timeline), ==, 60);
  g_assert_cmpstr (mh_timeline_get_reason (page.timeline), ==, "Expressive clips are at most 1:00.0");
  g_assert_true (mh_app_test_is_shown (reason_label (page.timeline), page.window));

  /* The start moved on: the limit moves with it. */
  drag_handle (page.timeline, 0, 10);
  wait_for_value (page.timeline, "start", 10, 0.2);
  drag_handle (page.timeline, 1, 100);
  wait_for_value (page.timeline, "end", mh_timeline_get_start (page.timeline) + 60, 1e-6);
  g_assert_nonnull (mh_timeline_get_reason (page.timeline));
  g_assert_null (mh_time_range_row_get_error (page.row));

  /* The start cannot leave the end more than a minute behind either. */
  drag_handle (page.timeline, 0, 1);
  wait_for_value (page.timeline, "start", mh_timeline_get_end (page.timeline) - 60, 1e-6);
  g_assert_nonnull (mh_timeline_get_reason (page.timeline));

  /* Moving away from the limit: the reason goes. */
  focus_handle (&page, 0);
  press_key (page.window, "Right");
  mh_test_wait_for (no_reason, page.timeline, MH_TEST_TIMEOUT, "the reason to go");

  /* By keyboard, End stops at the limit with the reason. */
  focus_handle (&page, 1);
  press_key (page.window, "End");
  mh_test_wait_for (has_reason, page.timeline, MH_TEST_TIMEOUT, "the reason");
  g_assert_cmpfloat_with_epsilon (mh_timeline_get_end (page.timeline) - mh_timeline_get_start (page.timeline),
                                  60, 1e-6);

  page_free (&page);
}

static void
test_fields_in_step (void)
{
  Page page = page_new (560);
  double x, y;

  pick_speech (&page, 12);

  /* Typed: the handles follow, drawn where the times are. */
  enter_text (page.row, "start_spin", "0:05.5");
  enter_text (page.row, "end_spin", "9,2");
  g_assert_cmpfloat (mh_timeline_get_start (page.timeline), ==, 5.5);
  g_assert_cmpfloat (mh_timeline_get_end (page.timeline), ==, 9.2);
  g_assert_cmpstr (handle_name (page.timeline, 0), ==, "Start of the clip, 0:05.5");
  g_assert_cmpstr (handle_name (page.timeline, 1), ==, "End of the clip, 0:09.2");
  mh_app_test_wait_for_frames (page.window);
  handle_center (page.timeline, 0, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, mh_timeline_time_to_x (page.timeline, 5.5), 1.0);
  handle_center (page.timeline, 1, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, mh_timeline_time_to_x (page.timeline, 9.2), 1.0);

  /* Dragged: the fields follow. */
  drag_handle (page.timeline, 1, 11);
  wait_for_value (page.timeline, "end", 11, 0.15);
  g_assert_cmpfloat (mh_time_range_row_get_end (page.row), ==, mh_timeline_get_end (page.timeline));
  {
    g_autofree char *shown = mh_format_time (mh_timeline_get_end (page.timeline));

    g_assert_cmpstr (spin_text (page.row, "end_spin"), ==, shown);
  }

  /* A new file: the whole of it, in both. */
  pick_speech (&page, 20);
  wait_for_value (page.timeline, "end", 20, 1e-6);
  g_assert_cmpfloat (mh_timeline_get_start (page.timeline), ==, 0);
  g_assert_cmpstr (spin_text (page.row, "end_spin"), ==, "0:20.0");

  page_free (&page);
}

/* ---- Playing -------------------------------------------------------------- */

typedef struct
{
  GArray   *timestamps;   /* double, seconds, as the stream reported them */
  gboolean  saw_end;      /* a timestamp near the end came */
  gboolean  came_back;    /* ...and then one near the start */
  double    start;
  double    end;
} PlayLog;

static void
timestamp_cb (GtkMediaStream *stream,
              GParamSpec     *pspec,
              PlayLog        *log)
{
  double t = gtk_media_stream_get_timestamp (stream) / 1e6;

  g_array_append_val (log->timestamps, t);
  if (t >= log->end - 0.2)
    log->saw_end = TRUE;
  else if (log->saw_end && t <= log->start + 0.2)
    log->came_back = TRUE;
}

static gboolean
is_play_button (GtkWidget     *widget,
                gconstpointer  data)
{
  return g_strcmp0 (gtk_widget_get_tooltip_text (widget), "Play only the part to use") == 0;
}

static GtkWidget *
play_button (MhTimeline *timeline)
{
  GtkWidget *button = mh_app_test_find_widget (GTK_WIDGET (timeline), GTK_TYPE_TOGGLE_BUTTON, is_play_button, NULL);

  g_assert_nonnull (button);
  return button;
}

static gboolean
stream_paused (gpointer data)
{
  return !gtk_media_stream_get_playing (data);
}

static gboolean
not_playing (gpointer data)
{
  return !mh_timeline_get_playing (data);
}

static void
test_play_selection (void)
{
  Page page = page_new (560);
  PlayLog log = { .timestamps = g_array_new (FALSE, FALSE, sizeof (double)), .start = 2.0, .end = 3.5 };
  GtkMediaStream *stream;
  double first = -1, last;
  gint64 started;
  gulong id;

  pick_speech (&page, 12);
  mh_time_range_row_set_range (page.row, log.start, log.end);

  /* The button, as a click ends. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (play_button (page.timeline)), TRUE);
  g_assert_true (mh_timeline_get_playing (page.timeline));
  stream = mh_timeline_get_player (page.timeline);
  g_assert_true (GTK_IS_MEDIA_FILE (stream));
  id = g_signal_connect (stream, "notify::timestamp", G_CALLBACK (timestamp_cb), &log);
  started = g_get_monotonic_time ();
  mh_test_wait_for (not_playing, page.timeline, MH_TEST_TIMEOUT, "the part to play to its end");
  mh_test_wait_for (stream_paused, stream, MH_TEST_TIMEOUT, "the stream to pause");

  /* From the start of the part to its end, in about that long. */
  for (guint i = 0; i < log.timestamps->len; i++)
    {
      double t = g_array_index (log.timestamps, double, i);

      if (t >= log.start - 0.1 && first < 0)
        first = t;
    }
  last = gtk_media_stream_get_timestamp (stream) / 1e6;
  g_test_message ("played %.3f → %.3f (asked %.1f → %.1f) in %.2f s, %u timestamps",
                  first, last, log.start, log.end, (g_get_monotonic_time () - started) / 1e6,
                  log.timestamps->len);
  g_assert_cmpfloat_with_epsilon (first, log.start, 0.1);
  g_assert_cmpfloat_with_epsilon (last, log.end, 0.15);
  g_assert_cmpfloat ((g_get_monotonic_time () - started) / 1e6, >=, (log.end - log.start) * 0.8);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (play_button (page.timeline))));

  /* Looping: past the end it comes back to the start. */
  mh_timeline_set_loop (page.timeline, TRUE);
  g_array_set_size (log.timestamps, 0);
  mh_timeline_play_selection (page.timeline);
  mh_test_wait_for_flag (&log.came_back, MH_TEST_TIMEOUT, "the loop to come back to the start");
  g_assert_true (mh_timeline_get_playing (page.timeline));
  for (guint i = 0; i < log.timestamps->len; i++)
    g_assert_cmpfloat (g_array_index (log.timestamps, double, i), <=, log.end + 0.15);
  mh_timeline_stop (page.timeline);
  g_assert_false (mh_timeline_get_playing (page.timeline));

  g_signal_handler_disconnect (stream, id);
  g_array_unref (log.timestamps);
  page_free (&page);
}

/* ---- A 2-hour recording --------------------------------------------------- */

typedef struct
{
  gint64 last;
  gint64 longest;
} StallProbe;

static gboolean
stall_probe_cb (gpointer data)
{
  StallProbe *probe = data;
  gint64 now = g_get_monotonic_time ();

  if (probe->last > 0)
    probe->longest = MAX (probe->longest, now - probe->last);
  probe->last = now;
  return G_SOURCE_CONTINUE;
}

static void
test_two_hours (void)
{
  /* CD-like sound, 1.4 GB (a hole on disk): reading it takes seconds, so a
   * main loop held while it is read would stall for seconds, far beyond
   * what a busy machine's scheduling ever adds. */
  g_autofree char *long_wav = mh_test_write_wav_format (dir, "two-hours.wav", 2 * 60 * 60, 48000, 2);
  g_autoptr(GFile) file = g_file_new_for_path (long_wav);
  GtkWidget *window = gtk_window_new ();
  MhTimeline *timeline = MH_TIMELINE (mh_timeline_new ());
  StallProbe probe = { 0 };
  guint probe_id;
  gint64 started, loading;
  double width, view_start_x;

  mh_waveform_clear_cache ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 300);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (timeline));
  gtk_window_present (GTK_WINDOW (window));
  mh_app_test_wait_for_frames (window);

  /* Drawn as the peaks come, with the main loop never held for long. */
  mh_timeline_set_duration (timeline, 7200);
  mh_timeline_set_range (timeline, 3600, 3603);
  started = g_get_monotonic_time ();
  probe_id = g_timeout_add (5, stall_probe_cb, &probe);
  mh_timeline_set_file (timeline, file, MH_TIMELINE_KIND_AUDIO);
  mh_test_wait_for ((MhTestCondition) mh_timeline_get_loaded, timeline, 60, "two hours of peaks");
  g_source_remove (probe_id);
  loading = g_get_monotonic_time () - started;
  g_test_message ("2-hour WAV: peaks in %.2f s; longest main-loop stall %.1f ms",
                  loading / 1e6, probe.longest / 1000.0);
  /* Never held for the reading, or any large part of it. */
  g_assert_cmpint (probe.longest, <, 1000 * 1000);
  g_assert_cmpint (probe.longest * 3, <, loading);

  /* The rest with a new timeline, the peaks from the cache, in the same
   * window: a window mapped anew in a process that has just decoded for
   * seconds once never painted its first frame under a loaded Xvfb (1 run
   * in 27, the cause not found), and the window is not what this tests. */
  timeline = MH_TIMELINE (mh_timeline_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (timeline));
  mh_timeline_set_duration (timeline, 7200);
  mh_timeline_set_range (timeline, 3600, 3603);
  mh_timeline_set_file (timeline, file, MH_TIMELINE_KIND_AUDIO);
  mh_test_wait_for ((MhTestCondition) mh_timeline_get_loaded, timeline, MH_TEST_TIMEOUT, "the cached peaks");
  mh_app_test_wait_for_frames (window);

  /* Three seconds of two hours: a fraction of a pixel until zoomed. */
  width = mh_timeline_time_to_x (timeline, 3603) - mh_timeline_time_to_x (timeline, 3600);
  g_assert_cmpfloat (width, <, 2);
  mh_timeline_zoom_to_selection (timeline);
  mh_app_test_wait_for_frames (window);
  width = mh_timeline_time_to_x (timeline, 3603) - mh_timeline_time_to_x (timeline, 3600);
  g_test_message ("3 s of 2 h after Zoom to Selection: %.0f px (zoom %.0f×)", width,
                  mh_timeline_get_zoom (timeline));
  g_assert_cmpfloat (width, >=, 300);
  g_assert_true (gtk_widget_get_child_visible (mh_timeline_get_handle (timeline, 0)));
  g_assert_true (gtk_widget_get_child_visible (mh_timeline_get_handle (timeline, 1)));
  mh_app_test_save_screenshot (window, "timeline-two-hours-zoomed.png");

  /* Zoomed in, a drag moves the handle by fractions of a second. */
  drag_handle (timeline, 1, 3604.5);
  wait_for_value (timeline, "end", 3604.5, 0.1);

  /* Zooming out about the part keeps it in view; Show All is the whole. */
  mh_timeline_set_zoom (timeline, mh_timeline_get_zoom (timeline) / 4, -1);
  view_start_x = mh_timeline_time_to_x (timeline, 3600);
  g_assert_cmpfloat (view_start_x, >, 0);
  g_assert_cmpfloat (mh_timeline_time_to_x (timeline, 3604.5), <, gtk_widget_get_width (GTK_WIDGET (timeline)));
  mh_timeline_set_zoom (timeline, 1, -1);
  g_assert_cmpfloat (mh_timeline_time_to_x (timeline, 7200) - mh_timeline_time_to_x (timeline, 0), <=,
                     gtk_widget_get_width (GTK_WIDGET (timeline)));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- Screenshots ---------------------------------------------------------- */

static gboolean
has_wanted_width (gpointer data)
{
  return gtk_widget_get_width (data) == GPOINTER_TO_INT (g_object_get_data (data, "want-width"));
}

static void
screenshot_group (Page       *page,
                  int         width,
                  const char *name)
{
  GtkWidget *group = gtk_widget_get_ancestor (GTK_WIDGET (page->timeline), ADW_TYPE_PREFERENCES_GROUP);

  gtk_window_set_default_size (GTK_WINDOW (page->window), width, 330);
  g_object_set_data (G_OBJECT (page->window), "want-width", GINT_TO_POINTER (width));
  mh_test_wait_for (has_wanted_width, page->window, MH_TEST_TIMEOUT, "the window's width");
  mh_app_test_wait_until_still (page->window);
  g_assert_nonnull (group);
  mh_app_test_save_screenshot (page->window, name);
}

static void
test_screenshots (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *video = mh_test_write_video (dir, "clip.mp4", 20, TRUE);
  const int widths[] = { 360, 1260 };  /* the widest a 1280-pixel Xvfb screen holds */
  Page photo, lips;

  /* Decoded before any window shows (the pictures then come from the
   * cache): see page_new() for the frame clock that stops otherwise. */
  warm_cache (video, 20, MH_TIMELINE_KIND_VIDEO, speech_wav (12));
  warm_cache (speech_wav (20), 20, MH_TIMELINE_KIND_AUDIO, NULL);
  photo = page_new (560);
  lips = page_new (560);

  pick_speech (&photo, 20);
  mh_time_range_row_set_range (photo.row, 4.2, 11.8);
  mh_timeline_set_position (photo.timeline, 6.5);
  pick_media (&lips, video, 20, MH_TIMELINE_KIND_VIDEO, speech_wav (12));
  mh_test_wait_for ((MhTestCondition) mh_timeline_get_loaded, lips.timeline, MH_TEST_TIMEOUT,
                    "the speech under the video");
  mh_time_range_row_set_range (lips.row, 3, 15);

  for (guint s = 0; s < 2; s++)
    {
      adw_style_manager_set_color_scheme (style, s == 0 ? ADW_COLOR_SCHEME_FORCE_LIGHT
                                                        : ADW_COLOR_SCHEME_FORCE_DARK);
      for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
        {
          g_autofree char *a = g_strdup_printf ("timeline-talking-photo-%d-%s.png", widths[i],
                                                s == 0 ? "light" : "dark");
          g_autofree char *b = g_strdup_printf ("timeline-lip-sync-%d-%s.png", widths[i],
                                                s == 0 ? "light" : "dark");

          screenshot_group (&photo, widths[i], a);
          screenshot_group (&lips, widths[i], b);
        }
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  page_free (&photo);
  page_free (&lips);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);

  g_test_init (&argc, &argv, NULL);
  dir = mh_test_make_tmp_dir ();

  if (!gtk_init_check () || !GDK_IS_X11_DISPLAY (gdk_display_get_default ()) ||
      g_find_program_in_path ("xdotool") == NULL)
    {
      g_print ("1..0 # SKIP no X11 display or no xdotool\n");
      mh_test_rm_rf (dir);
      return 77;
    }
  adw_init ();

  g_resources_register (mh_app_get_resource ());
  {
    /* The app's style sheet, as MhApplication loads it. */
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/io/github/mhstudio/MagicHourStudio/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  /* Every sound the tests pick is decoded once, before any window shows:
   * with a decoding pipeline and a window on screen, GTK 4.8's frame clock
   * under Xvfb sometimes stops painting (see page_new()). The 2-hour test
   * decodes with its window up on purpose and then opens a new one. */
  warm_cache (speech_wav (12), 12, MH_TIMELINE_KIND_AUDIO, NULL);
  warm_cache (speech_wav (20), 20, MH_TIMELINE_KIND_AUDIO, NULL);
  warm_cache (speech_wav (120), 120, MH_TIMELINE_KIND_AUDIO, NULL);

  g_test_add_func ("/timeline/drag-handles", test_drag_handles);
  g_test_add_func ("/timeline/keyboard", test_keyboard);
  g_test_add_func ("/timeline/max-clip", test_max_clip);
  g_test_add_func ("/timeline/fields-in-step", test_fields_in_step);
  g_test_add_func ("/timeline/two-hours", test_two_hours);
  g_test_add_func ("/timeline/screenshots", test_screenshots);
  /* Last: the windows above are mapped before any player exists. */
  g_test_add_func ("/timeline/play-selection", test_play_selection);

  status = g_test_run ();

  mh_test_rm_rf (dir);
  g_free (dir);
  return status;
}
