/* test-layout.c: the big preview, and the form in two panes or one column
 *
 * At 1400 px the chosen photo or video is shown large beside the inputs;
 * at 360 px everything stacks in one column with nothing clipped and no
 * sideways scrolling. A video plays from its own button. Every state is
 * saved as a screenshot, light and dark, to be looked at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "mh-app-test-util.h"
#include "mh-application.h"
#include "mh-file-row.h"
#include "mh-form-panes.h"
#include "mh-media-preview.h"
#include "mh-test-media.h"
#include "mh-test-util.h"
#include "mh-time-range-row.h"
#include "mh-timeline.h"
#include "mh-tool-form.h"
#include "mh-window.h"

static MhApplication *app;
static char *tmp_dir;

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */

static MhWindow *
new_window (const char *tool_id,
            int         width,
            int         height)
{
  MhWindow *window = mh_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  /* GTK keeps a window's default size within the screen (Xvfb's is 1280 ×
   * 800 in the test runs); asked for as its content's least size, the
   * window is as large as the test needs. Without a compositor its frame
   * takes some pixels of the default size: the content is what counts. */
  gtk_widget_set_size_request (adw_application_window_get_content (ADW_APPLICATION_WINDOW (window)),
                                 width, height);
  mh_window_show_tool (window, tool_id);
  gtk_window_present (GTK_WINDOW (window));
  mh_app_test_wait_until_still (GTK_WIDGET (window));
  g_test_message ("window %d × %d", gtk_widget_get_width (GTK_WIDGET (window)),
                  gtk_widget_get_height (GTK_WIDGET (window)));
  return window;
}

static void
destroy_window (MhWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static MhToolForm *
get_form (MhWindow   *window,
          const char *tool_id)
{
  GtkWidget *form = mh_window_get_form (window, tool_id);

  g_assert_nonnull (form);
  return MH_TOOL_FORM (form);
}

static MhMediaPreview *
get_preview (MhWindow   *window,
             const char *tool_id)
{
  GtkWidget *preview = mh_tool_form_get_preview (get_form (window, tool_id));

  g_assert_nonnull (preview);
  return MH_MEDIA_PREVIEW (preview);
}

static GtkWidget *
get_group (MhWindow   *window,
           const char *tool_id,
           const char *slot)
{
  GtkWidget *row = mh_tool_form_get_slot_row (get_form (window, tool_id), slot);
  GtkWidget *group;

  g_assert_nonnull (row);
  group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);
  g_assert_nonnull (group);
  return group;
}

static graphene_rect_t
bounds_in (GtkWidget *widget,
           GtkWidget *window)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  return bounds;
}

static gboolean
paintable_shown (gpointer preview)
{
  return mh_media_preview_get_paintable (preview) != NULL;
}

static gboolean
stream_prepared (gpointer preview)
{
  GtkMediaStream *stream = mh_media_preview_get_media_stream (preview);

  return stream != NULL && gtk_media_stream_is_prepared (stream) &&
         gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (stream)) > 0;
}

static void
open_files (MhWindow    *window,
            const char  *tool_id,
            const char **paths)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; paths[i] != NULL; i++)
    g_ptr_array_add (files, g_file_new_for_path (paths[i]));
  mh_window_open (window, tool_id, (GFile **) files->pdata, files->len);
}

/* Light, then dark (as AdwStyleManager forces it), then back. */
static void
screenshots (MhWindow   *window,
             const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light = g_strdup_printf ("layout-%s-light.png", name);
  g_autofree char *dark = g_strdup_printf ("layout-%s-dark.png", name);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  mh_app_test_wait_until_still (GTK_WIDGET (window));
  mh_app_test_save_screenshot (GTK_WIDGET (window), light);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  mh_app_test_wait_until_still (GTK_WIDGET (window));
  mh_app_test_save_screenshot (GTK_WIDGET (window), dark);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  mh_app_test_wait_until_still (GTK_WIDGET (window));
}

/* Every mapped widget lies within @width; a scrolling view that scrolls
 * sideways on purpose (none in the form) would say so by its viewport. */
static void
assert_within (GtkWidget *widget,
               GtkWidget *root,
               int        width)
{
  graphene_rect_t bounds;

  if (!gtk_widget_get_mapped (widget) || GTK_IS_SCROLLBAR (widget) || GTK_IS_POPOVER (widget))
    return;
  if (ADW_IS_SQUEEZER (gtk_widget_get_parent (widget)) &&
      adw_squeezer_get_visible_child (ADW_SQUEEZER (gtk_widget_get_parent (widget))) != widget)
    return;

  /* 2 px of slack: Adwaita gives the header bar -1 px margins without a
   * compositor. */
  if (gtk_widget_compute_bounds (widget, root, &bounds) &&
      (bounds.origin.x < -2 || bounds.origin.x + bounds.size.width > width + 2))
    g_error ("%s (%s%s%s) at x %.0f, %.0f px wide sticks out of %d px",
             G_OBJECT_TYPE_NAME (widget), gtk_widget_get_css_name (widget),
             GTK_IS_LABEL (widget) ? ": " : "",
             GTK_IS_LABEL (widget) ? gtk_label_get_label (GTK_LABEL (widget)) : "",
             bounds.origin.x, bounds.size.width, width);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_within (child, root, width);
}

/* One column at 360 px: the window can be that narrow, nothing in the form
 * sticks out, and the form does not scroll sideways. */
static void
assert_fits_360 (MhWindow   *window,
                 const char *tool_id)
{
  GtkWidget *content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  MhToolForm *form = get_form (window, tool_id);
  GtkWidget *scroller = gtk_widget_get_ancestor (mh_tool_form_get_slot_row (form, tool_id[0] == 'l' ? "video" : "image"),
                                                 GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *h;
  GtkPolicyType policy;
  int min = 0;

  mh_app_test_wait_until_still (GTK_WIDGET (window));
  /* The content is held at 360 px by new_window(): what the form itself
   * needs is what tells. */
  gtk_widget_measure (GTK_WIDGET (form), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  g_assert_cmpint (min, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (content), <=, 360);
  assert_within (GTK_WIDGET (form), content, gtk_widget_get_width (content));

  g_assert_nonnull (scroller);
  gtk_scrolled_window_get_policy (GTK_SCROLLED_WINDOW (scroller), &policy, NULL);
  g_assert_cmpint (policy, ==, GTK_POLICY_NEVER);
  h = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller));
  g_assert_cmpfloat (gtk_adjustment_get_upper (h), <=, gtk_adjustment_get_page_size (h) + 0.5);
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                    */

static void
test_wide_photo (void)
{
  MhWindow *window = new_window ("talking-photo", 1400, 900);
  g_autofree char *png = mh_test_write_png (tmp_dir, "portrait.png");
  g_autofree char *wav = mh_test_write_wav (tmp_dir, "speech.wav", 4.0);
  const char *paths[] = { png, wav, NULL };
  MhMediaPreview *preview = get_preview (window, "talking-photo");
  GtkWidget *inputs = get_group (window, "talking-photo", "image");
  GtkWidget *clip = gtk_widget_get_ancestor (mh_tool_form_get_time_row (get_form (window, "talking-photo")),
                                             ADW_TYPE_PREFERENCES_GROUP);
  GtkWidget *panes = gtk_widget_get_ancestor (inputs, MH_TYPE_FORM_PANES);
  graphene_rect_t p, in, cl;

  /* Nothing chosen: the placeholder says what will show. */
  g_assert_true (mh_app_test_is_shown (GTK_WIDGET (preview), GTK_WIDGET (window)));
  g_assert_nonnull (mh_app_test_find_label (GTK_WIDGET (preview), "Choose a photo to see it here"));
  g_assert_true (mh_form_panes_get_wide (MH_FORM_PANES (panes)));
  screenshots (window, "talking-photo-1400-empty");

  open_files (window, "talking-photo", paths);
  mh_test_wait_for (paintable_shown, preview, MH_TEST_TIMEOUT, "the photo in the preview");
  g_assert_cmpint (mh_media_preview_get_kind (preview), ==, MH_MEDIA_PREVIEW_PHOTO);
  g_assert_null (mh_media_preview_get_media_stream (preview));
  mh_app_test_wait_until_still (GTK_WIDGET (window));

  /* Two panes: the preview (and the part to use under it) left of the
   * inputs, all of them in sight. */
  p = bounds_in (GTK_WIDGET (preview), GTK_WIDGET (window));
  in = bounds_in (inputs, GTK_WIDGET (window));
  cl = bounds_in (clip, GTK_WIDGET (window));
  g_test_message ("preview %.0f+%.0f × %.0f, inputs %.0f+%.0f", p.origin.x, p.size.width, p.size.height,
                  in.origin.x, in.size.width);
  g_assert_cmpfloat (p.origin.x + p.size.width, <=, in.origin.x);
  g_assert_cmpfloat (p.size.width, >=, 500);
  g_assert_cmpfloat (in.origin.x + in.size.width, <=, 1400);
  g_assert_cmpfloat (p.origin.y, <, in.origin.y + in.size.height);
  g_assert_cmpfloat (cl.origin.x, ==, p.origin.x);
  g_assert_cmpfloat (cl.origin.y, >=, p.origin.y + p.size.height);
  g_assert_true (mh_app_test_is_shown (GTK_WIDGET (preview), GTK_WIDGET (window)));
  g_assert_true (mh_app_test_is_shown (inputs, GTK_WIDGET (window)));
  /* Large: the square photo fills the preview's height, far beyond the
   * row's 46 px thumbnail. */
  g_assert_cmpfloat (p.size.height, >=, 400);
  g_assert_cmpfloat (p.origin.y + p.size.height, <=, gtk_widget_get_height (GTK_WIDGET (window)));

  screenshots (window, "talking-photo-1400");
  destroy_window (window);
}

static void
test_narrow_photo (void)
{
  MhWindow *window = new_window ("talking-photo", 360, 800);
  g_autofree char *png = mh_test_write_png (tmp_dir, "A portrait with a rather long file name.png");
  g_autofree char *wav = mh_test_write_wav (tmp_dir, "A voice recording with a long name.wav", 3.0);
  const char *paths[] = { png, wav, NULL };
  MhMediaPreview *preview = get_preview (window, "talking-photo");
  GtkWidget *inputs = get_group (window, "talking-photo", "image");
  GtkWidget *panes = gtk_widget_get_ancestor (inputs, MH_TYPE_FORM_PANES);
  graphene_rect_t p, in;

  assert_fits_360 (window, "talking-photo");
  screenshots (window, "talking-photo-360-empty");

  open_files (window, "talking-photo", paths);
  mh_test_wait_for (paintable_shown, preview, MH_TEST_TIMEOUT, "the photo in the preview");
  assert_fits_360 (window, "talking-photo");

  /* One column: the preview above the inputs, as wide as they are. */
  g_assert_false (mh_form_panes_get_wide (MH_FORM_PANES (panes)));
  p = bounds_in (GTK_WIDGET (preview), GTK_WIDGET (window));
  in = bounds_in (inputs, GTK_WIDGET (window));
  g_assert_cmpfloat (p.origin.y + p.size.height, <=, in.origin.y);
  g_assert_cmpfloat (p.origin.x, ==, in.origin.x);
  g_assert_cmpfloat (p.size.width, ==, in.size.width);
  g_assert_cmpfloat (p.size.height, >=, 250);

  screenshots (window, "talking-photo-360");
  destroy_window (window);
}

static gboolean
timestamp_past_half_second (gpointer stream)
{
  return gtk_media_stream_get_timestamp (stream) > G_USEC_PER_SEC / 2;
}

static gboolean
set_true (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Something that must not happen is watched for a while: the main loop
 * runs (GStreamer's messages arrive) for @ms. */
static void
run_main_loop_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_true, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
not_playing (gpointer stream)
{
  return !gtk_media_stream_get_playing (stream);
}

static gboolean
is_play_button (GtkWidget     *widget,
                gconstpointer  data)
{
  const char *icon = gtk_button_get_icon_name (GTK_BUTTON (widget));

  return icon != NULL && strstr (icon, "media-playback") != NULL;
}

static void
test_video_plays (void)
{
  MhWindow *window = new_window ("lip-sync", 1400, 900);
  g_autofree char *mp4 = mh_test_write_mp4 (tmp_dir, "talk.mp4");
  g_autofree char *wav = mh_test_write_wav (tmp_dir, "new-speech.wav", 2.0);
  const char *paths[] = { mp4, wav, NULL };
  MhMediaPreview *preview = get_preview (window, "lip-sync");
  GtkWidget *inputs = get_group (window, "lip-sync", "video");
  GtkMediaStream *stream;
  GtkWidget *button;
  graphene_rect_t p, in;
  gint64 paused_at;

  open_files (window, "lip-sync", paths);
  mh_test_wait_for (stream_prepared, preview, MH_TEST_TIMEOUT, "the video to load");
  g_assert_cmpint (mh_media_preview_get_kind (preview), ==, MH_MEDIA_PREVIEW_VIDEO);
  stream = mh_media_preview_get_media_stream (preview);
  g_assert_false (gtk_media_stream_get_playing (stream));
  mh_app_test_wait_until_still (GTK_WIDGET (window));

  p = bounds_in (GTK_WIDGET (preview), GTK_WIDGET (window));
  in = bounds_in (inputs, GTK_WIDGET (window));
  g_assert_cmpfloat (p.origin.x + p.size.width, <=, in.origin.x);
  g_assert_cmpfloat (p.size.width, >=, 500);
  g_assert_cmpfloat (p.size.height, >=, 250);

  /* The play button: shown, named for a screen reader, and it plays. */
  button = mh_app_test_find_widget (GTK_WIDGET (preview), GTK_TYPE_BUTTON, is_play_button, NULL);
  g_assert_nonnull (button);
  g_assert_true (mh_app_test_is_shown (button, GTK_WIDGET (window)));
  g_assert_true (gtk_widget_get_focusable (button));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Play");
  g_assert_true (gtk_widget_activate (button));
  mh_test_wait_for ((MhTestCondition) gtk_media_stream_get_playing, stream, MH_TEST_TIMEOUT, "playing");
  mh_test_wait_for (timestamp_past_half_second, stream, MH_TEST_TIMEOUT, "the video to advance");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Pause");

  /* And pauses: the position stays. (A button shows the press for a
   * moment before it acts.) */
  g_assert_true (gtk_widget_activate (button));
  mh_test_wait_for (not_playing, stream, MH_TEST_TIMEOUT, "paused");
  paused_at = gtk_media_stream_get_timestamp (stream);
  run_main_loop_for (300);
  /* The backend reports where it stopped up to a tenth later (MEDIA.md). */
  g_assert_cmpint (gtk_media_stream_get_timestamp (stream), <=, paused_at + G_USEC_PER_SEC / 5);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Play");

  screenshots (window, "lip-sync-1400");

  /* Another tab: the video stops. */
  g_assert_true (gtk_widget_activate (button));
  mh_test_wait_for ((MhTestCondition) gtk_media_stream_get_playing, stream, MH_TEST_TIMEOUT, "playing");
  mh_window_show_tool (window, "headshot");
  g_assert_false (gtk_media_stream_get_playing (stream));

  destroy_window (window);
}

static gboolean
timeline_loaded (gpointer timeline)
{
  return mh_timeline_get_loaded (timeline) && mh_timeline_get_file (timeline) != NULL &&
         mh_timeline_get_duration (timeline) > 0;
}

static gboolean
played_past_start (gpointer stream)
{
  return gtk_media_stream_get_playing (stream) &&
         gtk_media_stream_get_timestamp (stream) >= 1.1 * G_USEC_PER_SEC;
}

/* The timeline in the real form: the file row's speech is what it draws,
 * its handles and the typed fields are one range, the window keeps
 * painting while the waveform is read beside the row's own player; in Lip
 * Sync, Play Selection plays the part in the big preview and stops at its
 * end. */
static void
test_timeline_in_form (void)
{
  MhWindow *window = new_window ("talking-photo", 1400, 900);
  MhToolForm *form = get_form (window, "talking-photo");
  MhTimeline *timeline = MH_TIMELINE (mh_tool_form_get_timeline (form));
  MhTimeRangeRow *row = MH_TIME_RANGE_ROW (mh_tool_form_get_time_row (form));
  g_autofree char *png = mh_test_write_png (tmp_dir, "portrait.png");
  g_autofree char *speech = mh_test_write_tone_wav (tmp_dir, "speech.wav", 12.0, 0.8, TRUE);
  g_autofree char *mp4 = mh_test_write_mp4 (tmp_dir, "talk.mp4");
  g_autofree char *new_speech = mh_test_write_tone_wav (tmp_dir, "new-speech.wav", 3.0, 0.8, TRUE);
  const char *photo_paths[] = { png, speech, NULL };
  const char *video_paths[] = { mp4, new_speech, NULL };
  g_autofree char *drawn = NULL;
  MhMediaPreview *preview;
  GtkMediaStream *stream;
  GtkWidget *last;
  double stopped_at;

  open_files (window, "talking-photo", photo_paths);
  mh_test_wait_for (timeline_loaded, timeline, MH_TEST_TIMEOUT, "the speech's waveform");
  drawn = g_file_get_path (mh_timeline_get_file (timeline));
  g_assert_cmpstr (drawn, ==, speech);
  g_assert_cmpfloat_with_epsilon (mh_timeline_get_duration (timeline), 12.0, 0.05);
  /* Still painting: a frame clock stopped by the two players would hang here. */
  mh_app_test_wait_for_frames (GTK_WIDGET (window));

  /* One range: handles to fields, fields to handles, and the cost follows. */
  mh_timeline_set_range (timeline, 2.0, 5.5);
  g_assert_cmpfloat_with_epsilon (mh_time_range_row_get_start (row), 2.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (mh_time_range_row_get_end (row), 5.5, 1e-9);
  mh_time_range_row_set_range (row, 3.0, 4.0);
  g_assert_cmpfloat_with_epsilon (mh_timeline_get_start (timeline), 3.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (mh_timeline_get_end (timeline), 4.0, 1e-9);
  mh_app_test_wait_for_label (GTK_WIDGET (window), "About 48 credits");
  mh_app_test_wait_until_still (GTK_WIDGET (window));

  /* Tab goes from the last input to the part to use beside it, as the
   * task goes, not down to the options first. */
  /* The row's last button is Choose a File… (Remove comes first, so it
   * never takes the place of another under the pointer). */
  last = mh_app_test_find_named (mh_tool_form_get_slot_row (form, "audio"), "pick-button");
  g_assert_nonnull (last);
  g_assert_null (gtk_widget_get_next_sibling (last));
  gtk_widget_grab_focus (last);
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == mh_timeline_get_handle (timeline, 0));

  /* Lip Sync: the preview's video is what Play Selection plays. */
  mh_window_show_tool (window, "lip-sync");
  form = get_form (window, "lip-sync");
  timeline = MH_TIMELINE (mh_tool_form_get_timeline (form));
  preview = get_preview (window, "lip-sync");
  open_files (window, "lip-sync", video_paths);
  mh_test_wait_for (stream_prepared, preview, MH_TEST_TIMEOUT, "the video to load");
  mh_test_wait_for (timeline_loaded, timeline, MH_TEST_TIMEOUT, "the video's filmstrip");
  stream = mh_media_preview_get_media_stream (preview);
  g_assert_true (mh_timeline_get_media_stream (timeline) == stream);
  g_assert_true (mh_timeline_get_player (timeline) == stream);

  mh_timeline_set_range (timeline, 1.0, 2.0);
  mh_timeline_play_selection (timeline);
  mh_test_wait_for (played_past_start, stream, MH_TEST_TIMEOUT, "the selection to play");
  mh_test_wait_for (not_playing, stream, MH_TEST_TIMEOUT, "the selection to end");
  stopped_at = gtk_media_stream_get_timestamp (stream) / (double) G_USEC_PER_SEC;
  g_test_message ("the selection 1.0-2.0 stopped at %.3f", stopped_at);
  /* The backend reports its position every tenth of a second (MEDIA.md). */
  g_assert_cmpfloat (stopped_at, >=, 1.8);
  g_assert_cmpfloat (stopped_at, <=, 2.2);
  g_assert_false (mh_timeline_get_playing (timeline));

  destroy_window (window);
}

static void
test_narrow_video (void)
{
  MhWindow *window = new_window ("lip-sync", 360, 800);
  g_autofree char *mp4 = mh_test_write_mp4 (tmp_dir, "a-video-with-a-long-file-name.mp4");
  const char *paths[] = { mp4, NULL };
  MhMediaPreview *preview = get_preview (window, "lip-sync");
  GtkWidget *inputs = get_group (window, "lip-sync", "video");
  graphene_rect_t p, in;

  assert_fits_360 (window, "lip-sync");
  open_files (window, "lip-sync", paths);
  mh_test_wait_for (stream_prepared, preview, MH_TEST_TIMEOUT, "the video to load");
  assert_fits_360 (window, "lip-sync");

  p = bounds_in (GTK_WIDGET (preview), GTK_WIDGET (window));
  in = bounds_in (inputs, GTK_WIDGET (window));
  g_assert_cmpfloat (p.origin.y + p.size.height, <=, in.origin.y);
  g_assert_cmpfloat (p.size.width, ==, in.size.width);

  screenshots (window, "lip-sync-360");
  destroy_window (window);
}

static void
test_youtube_hides_preview (void)
{
  MhWindow *window = new_window ("lip-sync", 1400, 900);
  MhToolForm *form = get_form (window, "lip-sync");
  MhMediaPreview *preview = get_preview (window, "lip-sync");
  GtkWidget *row = mh_tool_form_get_slot_row (form, "youtube");
  g_autoptr(GError) error = NULL;

  g_assert_true (mh_app_test_is_shown (GTK_WIDGET (preview), GTK_WIDGET (window)));
  g_assert_true (mh_file_row_set_uri (MH_FILE_ROW (row), "https://www.youtube.com/watch?v=dQw4w9WgXcQ", &error));
  g_assert_no_error (error);
  mh_app_test_wait_until_still (GTK_WIDGET (window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (preview)));

  mh_file_row_clear (MH_FILE_ROW (row));
  mh_app_test_wait_until_still (GTK_WIDGET (window));
  g_assert_true (mh_app_test_is_shown (GTK_WIDGET (preview), GTK_WIDGET (window)));

  destroy_window (window);
}

/* Headshot shows its photo too; the table, not the page, says so. */
static void
test_headshot_preview (void)
{
  MhWindow *window = new_window ("headshot", 1400, 900);
  g_autofree char *png = mh_test_write_png (tmp_dir, "headshot.png");
  const char *paths[] = { png, NULL };
  MhMediaPreview *preview = get_preview (window, "headshot");

  open_files (window, "headshot", paths);
  mh_test_wait_for (paintable_shown, preview, MH_TEST_TIMEOUT, "the photo in the preview");
  mh_app_test_wait_until_still (GTK_WIDGET (window));
  g_assert_cmpfloat (bounds_in (GTK_WIDGET (preview), GTK_WIDGET (window)).size.height, >=, 400);

  destroy_window (window);
}

/* Between the two: one column of at most 640 px, centred, and Generate at
 * its right edge; from about 1000 px two panes, Generate under the inputs. */
static void
test_footer_follows_column (void)
{
  const struct { int width; gboolean wide; } cases[] = { { 800, FALSE }, { 1000, TRUE } };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MhWindow *window = new_window ("talking-photo", cases[i].width, 700);
      MhToolForm *form = get_form (window, "talking-photo");
      GtkWidget *inputs = get_group (window, "talking-photo", "image");
      GtkWidget *panes = gtk_widget_get_ancestor (inputs, MH_TYPE_FORM_PANES);
      GtkWidget *generate = mh_tool_form_get_generate_button (form);
      graphene_rect_t in = bounds_in (inputs, GTK_WIDGET (window));
      graphene_rect_t gen = bounds_in (generate, GTK_WIDGET (window));
      graphene_rect_t p = bounds_in (GTK_WIDGET (get_preview (window, "talking-photo")), GTK_WIDGET (window));

      g_test_message ("%d px: inputs %.0f+%.0f, Generate ends at %.0f", cases[i].width,
                      in.origin.x, in.size.width, gen.origin.x + gen.size.width);
      g_assert_cmpint (mh_form_panes_get_wide (MH_FORM_PANES (panes)), ==, cases[i].wide);
      g_assert_cmpfloat (fabs (gen.origin.x + gen.size.width - (in.origin.x + in.size.width)), <, 1);
      if (cases[i].wide)
        {
          g_assert_cmpfloat (p.origin.x + p.size.width, <=, in.origin.x);
          g_assert_cmpfloat (p.size.width, >=, 500);
        }
      else
        {
          g_assert_cmpfloat (in.size.width, ==, 640);
          g_assert_cmpfloat (fabs (in.origin.x - (cases[i].width - in.origin.x - in.size.width)), <=, 1);
          g_assert_cmpfloat (p.origin.y + p.size.height, <=, in.origin.y);
        }
      destroy_window (window);
    }
}

/* The preview alone: what it says when it cannot show a file, and a photo
 * replaced while it decodes is never shown. */
static void
test_preview_states (void)
{
  GtkWidget *window = gtk_window_new ();
  MhMediaPreview *preview = MH_MEDIA_PREVIEW (mh_media_preview_new ());
  g_autofree char *png = mh_test_write_png (tmp_dir, "first.png");
  g_autofree char *broken = g_build_filename (tmp_dir, "broken.png", NULL);
  g_autofree char *wide_png = g_build_filename (tmp_dir, "wide.png", NULL);
  g_autoptr(GdkPixbuf) wide = NULL;
  g_autofree char *sound = mh_test_write_wav (tmp_dir, "sound-only.mp4", 2.0);
  g_autoptr(GFile) file = NULL;

  g_object_ref_sink (preview);
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 600);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (preview));
  gtk_window_present (GTK_WINDOW (window));
  mh_app_test_wait_for_frames (window);
  mh_app_test_wait_for_label (window, "Choose a photo or a video to see it here");

  /* A link or a library item is not fetched to be looked at. */
  mh_media_preview_set_value (preview, "https://example.com/face.png");
  g_assert_null (mh_media_preview_get_file (preview));
  mh_app_test_wait_for_label (window, "Only files on this computer are shown here");
  mh_media_preview_set_value (preview, "saved-items/abc/face.png");
  mh_app_test_wait_for_label (window, "Only files on this computer are shown here");

  /* Not a picture, whatever its name says. */
  g_assert_true (g_file_set_contents (broken, "not a picture", -1, NULL));
  mh_media_preview_set_value (preview, broken);
  g_assert_cmpint (mh_media_preview_get_kind (preview), ==, MH_MEDIA_PREVIEW_PHOTO);
  mh_app_test_wait_for_label (window, "This file cannot be shown here");
  g_assert_null (mh_media_preview_get_paintable (preview));

  /* Replaced before it is decoded: the first photo never shows, the
   * second (twice as wide as tall) does. */
  wide = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 32);
  gdk_pixbuf_fill (wide, 0x3584e4ff);
  g_assert_true (gdk_pixbuf_save (wide, wide_png, "png", NULL, NULL));
  mh_media_preview_set_value (preview, png);
  mh_media_preview_set_value (preview, NULL);
  mh_app_test_wait_for_label (window, "Choose a photo or a video to see it here");
  mh_media_preview_set_value (preview, png);
  mh_media_preview_set_value (preview, wide_png);
  mh_test_wait_for (paintable_shown, preview, MH_TEST_TIMEOUT, "the second photo");
  g_assert_cmpfloat (gdk_paintable_get_intrinsic_aspect_ratio (mh_media_preview_get_paintable (preview)), ==, 2.0);
  run_main_loop_for (300);
  g_assert_cmpfloat (gdk_paintable_get_intrinsic_aspect_ratio (mh_media_preview_get_paintable (preview)), ==, 2.0);
  g_assert_cmpstr (mh_media_preview_get_value (preview), ==, wide_png);

  /* Sound alone under a video's name: nothing to look at, said so. */
  mh_media_preview_set_value (preview, sound);
  g_assert_cmpint (mh_media_preview_get_kind (preview), ==, MH_MEDIA_PREVIEW_VIDEO);
  g_assert_nonnull (mh_media_preview_get_media_stream (preview));
  mh_app_test_wait_for_label (window, "This file cannot be shown here");
  g_assert_null (mh_media_preview_get_paintable (preview));

  /* A GFile works as well as a path. */
  file = g_file_new_for_path (png);
  mh_media_preview_set_file (preview, file);
  mh_test_wait_for (paintable_shown, preview, MH_TEST_TIMEOUT, "the photo");
  g_assert_null (mh_media_preview_get_media_stream (preview));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (preview);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* GStreamer's GL upload can crash on software GL (llvmpipe under Xvfb);
   * with cairo the video sink needs no GL. */
  if (g_getenv ("GDK_DEBUG") == NULL)
    g_setenv ("GDK_DEBUG", "gl-disable", TRUE);

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
  /* The demo: the tools are shown, no key needed. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "demo", NULL);
  g_assert_true (mh_application_get_demo (app));

  g_test_add_func ("/app/layout/preview-states", test_preview_states);
  g_test_add_func ("/app/layout/wide-photo", test_wide_photo);
  g_test_add_func ("/app/layout/narrow-photo", test_narrow_photo);
  g_test_add_func ("/app/layout/video-plays", test_video_plays);
  g_test_add_func ("/app/layout/narrow-video", test_narrow_video);
  g_test_add_func ("/app/layout/timeline-in-form", test_timeline_in_form);
  g_test_add_func ("/app/layout/footer-follows-column", test_footer_follows_column);
  g_test_add_func ("/app/layout/youtube-hides-preview", test_youtube_hides_preview);
  g_test_add_func ("/app/layout/headshot-preview", test_headshot_preview);

  status = g_test_run ();

  g_object_unref (app);
  mh_test_rm_rf (tmp_dir);
  g_free (tmp_dir);

  return status;
}
