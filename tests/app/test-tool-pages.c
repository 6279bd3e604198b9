/* test-tool-pages.c: the three tabs, as a person fills them
 *
 * Every rule of the tool table has a case here: a page with input that
 * breaks it says so next to Generate, and Generate stays off. Inputs go in
 * through the rows' public API, the same calls a pick, a drop or a paste end
 * in; what is checked is what the page shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <string.h>

#include "mh-application.h"
#include "mh-file-row.h"
#include "mh-headshot-page.h"
#include "mh-lip-sync-page.h"
#include "mh-option-row.h"
#include "mh-talking-photo-page.h"
#include "mh-test-util.h"
#include "mh-time-range-row.h"
#include "mh-params.h"
#include "mh-tool-form.h"
#include "mh-tool-form-private.h"
#include "mh-app-test-util.h"

static MhApplication *app;
static char *dir;

typedef struct
{
  GtkWidget  *window;
  MhToolForm *form;
} Page;

static Page
page_new (GType type)
{
  Page page;
  GtkWidget *widget = g_object_new (type, NULL);

  page.window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (page.window), 480, 900);
  gtk_window_set_child (GTK_WINDOW (page.window), widget);
  g_object_get (widget, "form", &page.form, NULL);
  g_object_unref (page.form);
  mh_tool_form_set_application (page.form, app);
  gtk_window_present (GTK_WINDOW (page.window));
  return page;
}

static void
page_free (Page *page)
{
  gtk_window_destroy (GTK_WINDOW (page->window));
}

/* The form updates from an idle: let it run. */
static void
settle (void)
{
  for (int i = 0; i < 20; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

static gboolean
duration_known (gpointer row)
{
  return mh_file_row_get_duration (MH_FILE_ROW (row)) > 0;
}

static gboolean
value_set (gpointer row)
{
  return mh_file_row_get_value (MH_FILE_ROW (row)) != NULL;
}

static gboolean
value_is_other (gpointer row)
{
  const char *value = mh_file_row_get_value (MH_FILE_ROW (row));

  return value != NULL && g_str_has_suffix (value, "other.png");
}

static void
set_file (Page       *page,
          const char *slot,
          const char *path,
          gboolean    wait_duration)
{
  GtkWidget *row = mh_tool_form_get_slot_row (page->form, slot);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (row);
  g_assert_true (mh_file_row_set_file (MH_FILE_ROW (row), file, &error));
  g_assert_no_error (error);
  mh_test_wait_for (value_set, row, MH_TEST_TIMEOUT, "the file row takes the file");
  if (wait_duration)
    mh_test_wait_for (duration_known, row, MH_TEST_TIMEOUT, "the duration is read");
  settle ();
}

static void
set_option (Page       *page,
            const char *key,
            const char *value)
{
  GtkWidget *row = mh_tool_form_get_option_row (page->form, key);

  g_assert_nonnull (row);
  mh_option_row_set_value (MH_OPTION_ROW (row), value);
  settle ();
}

static void
set_range (Page   *page,
           double  start,
           double  end)
{
  mh_time_range_row_set_range (MH_TIME_RANGE_ROW (mh_tool_form_get_time_row (page->form)), start, end);
  settle ();
}

static void
assert_problem (Page       *page,
                const char *expected)
{
  const char *problem = mh_tool_form_get_problem (page->form);

  g_assert_false (mh_tool_form_get_can_generate (page->form));
  g_assert_false (gtk_widget_is_sensitive (mh_tool_form_get_generate_button (page->form)));
  g_assert_nonnull (problem);
  if (strstr (problem, expected) == NULL)
    g_error ("expected a problem with “%s”, the page says “%s”", expected, problem);
}

static void
assert_ready (Page *page)
{
  if (!mh_tool_form_get_can_generate (page->form))
    g_error ("Generate is off: %s", mh_tool_form_get_problem (page->form));
  g_assert_true (gtk_widget_is_sensitive (mh_tool_form_get_generate_button (page->form)));
  g_assert_null (mh_tool_form_get_problem (page->form));
}

static char *
fixture (const char *name)
{
  if (g_str_has_suffix (name, ".png"))
    return mh_test_write_png (dir, name);
  if (g_str_has_suffix (name, ".mp4"))
    return mh_test_write_mp4 (dir, name);
  return NULL;
}

/* ------------------------------------------------------------------------ */

static void
test_talking_photo_inputs (void)
{
  Page page = page_new (MH_TYPE_TALKING_PHOTO_PAGE);
  g_autofree char *photo = fixture ("face.png");
  g_autofree char *speech = mh_test_write_wav (dir, "speech.wav", 5.0);
  GtkWidget *time_row = mh_tool_form_get_time_row (page.form);

  /* Nothing yet: the first missing input is named. */
  settle ();
  assert_problem (&page, "Photo");
  set_file (&page, "image", photo, FALSE);
  assert_problem (&page, "Speech");

  /* Picking the speech is enough: the range becomes the whole clip. */
  set_file (&page, "audio", speech, TRUE);
  g_assert_cmpfloat_with_epsilon (mh_time_range_row_get_start (MH_TIME_RANGE_ROW (time_row)), 0, 0.01);
  g_assert_cmpfloat_with_epsilon (mh_time_range_row_get_end (MH_TIME_RANGE_ROW (time_row)), 5.0, 0.06);
  assert_ready (&page);
  /* 5 s at 48 credits a second */
  g_assert_cmpstr (mh_tool_form_get_cost (page.form), ==, "About 240 credits.");

  /* End before start. */
  set_range (&page, 3, 2);
  assert_problem (&page, "after the start");
  set_range (&page, 1, 4);
  assert_ready (&page);

  page_free (&page);
}

static void
test_talking_photo_modes (void)
{
  Page page = page_new (MH_TYPE_TALKING_PHOTO_PAGE);
  g_autofree char *photo = fixture ("face.png");
  g_autofree char *speech = mh_test_write_wav (dir, "long.wav", 90.0);
  GtkWidget *prompt = mh_tool_form_get_option_row (page.form, "prompt");
  GtkWidget *resolution = mh_tool_form_get_option_row (page.form, "resolution");
  g_autoptr(GHashTable) params = NULL;

  /* Deprecated options are for old scripts, not offered (CONTRACT.md,
   * December 2026). */
  g_assert_null (mh_tool_form_get_option_row (page.form, "intensity"));
  g_assert_null (mh_tool_form_get_option_row (page.form, "max-resolution"));

  set_file (&page, "image", photo, FALSE);
  set_file (&page, "audio", speech, TRUE);
  assert_ready (&page);

  /* Realistic: no prompt; its clips go up to 5 minutes; the resolution's
   * default is the plan's best. */
  g_assert_false (gtk_widget_get_visible (prompt));
  g_assert_true (gtk_widget_get_visible (resolution));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (resolution)), ==,
                   "Default: your plan’s best, at most 720p");
  set_range (&page, 0, 90);
  assert_ready (&page);
  set_range (&page, 0, 15);
  g_assert_cmpstr (mh_tool_form_get_cost (page.form), ==, "About 720 credits.");

  /* Expressive (prompted): the prompt appears; its clips are at most 60 s;
   * the resolution's default is 480p. */
  set_option (&page, "mode", "prompted");
  g_assert_true (gtk_widget_get_visible (prompt));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (resolution)), ==, "Default: 480p");
  set_range (&page, 0, 60.1);
  assert_problem (&page, "1:00.0");
  set_range (&page, 10, 40);
  assert_ready (&page);
  g_assert_cmpstr (mh_tool_form_get_cost (page.form), ==, "About 600 credits.");

  set_option (&page, "prompt", "a warm smile");
  params = mh_tool_form_dup_params (page.form);
  g_assert_cmpstr (g_hash_table_lookup (params, "prompt"), ==, "a warm smile");
  g_assert_cmpstr (g_hash_table_lookup (params, "mode"), ==, "prompted");
  g_assert_false (g_hash_table_contains (params, "resolution"));
  g_clear_pointer (&params, g_hash_table_unref);

  /* A resolution chosen is sent; "Default" leaves it to the server. */
  set_option (&page, "resolution", "720p");
  params = mh_tool_form_dup_params (page.form);
  g_assert_cmpstr (g_hash_table_lookup (params, "resolution"), ==, "720p");
  g_clear_pointer (&params, g_hash_table_unref);
  set_option (&page, "resolution", NULL);
  params = mh_tool_form_dup_params (page.form);
  g_assert_false (g_hash_table_contains (params, "resolution"));
  g_clear_pointer (&params, g_hash_table_unref);

  /* Back to realistic: the prompt stays in its row but is not sent. */
  set_option (&page, "mode", "realistic");
  g_assert_false (gtk_widget_get_visible (prompt));
  params = mh_tool_form_dup_params (page.form);
  g_assert_false (g_hash_table_contains (params, "prompt"));
  g_assert_cmpstr (mh_option_row_get_value (MH_OPTION_ROW (prompt)), ==, "a warm smile");
  assert_ready (&page);

  /* A past job's max-resolution comes back as the preset it is sent as. */
  {
    g_autoptr(GHashTable) past = mh_tool_form_dup_params (page.form);

    mh_params_set (past, "max-resolution", "1920");
    mh_tool_form_set_params (page.form, past);
    g_clear_pointer (&params, g_hash_table_unref);
    params = mh_tool_form_dup_params (page.form);
    g_assert_cmpstr (g_hash_table_lookup (params, "resolution"), ==, "720p");
    g_assert_false (g_hash_table_contains (params, "max-resolution"));
  }

  page_free (&page);
}

static void
test_lip_sync_sources_and_cost (void)
{
  Page page = page_new (MH_TYPE_LIP_SYNC_PAGE);
  g_autofree char *video = fixture ("clip.mp4");
  g_autofree char *speech = mh_test_write_wav (dir, "dub.wav", 2.0);
  GtkWidget *video_row = mh_tool_form_get_slot_row (page.form, "video");
  GtkWidget *youtube_row = mh_tool_form_get_slot_row (page.form, "youtube");
  GtkWidget *time_row = mh_tool_form_get_time_row (page.form);
  g_autoptr(GError) error = NULL;

  settle ();
  assert_problem (&page, "Video");

  /* A link that is not YouTube is refused on the spot. */
  g_assert_false (mh_file_row_set_uri (MH_FILE_ROW (youtube_row), "https://vimeo.com/1234", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* A video file: the YouTube row steps aside; the video's 3 s bound the range. */
  set_file (&page, "video", video, TRUE);
  set_file (&page, "audio", speech, TRUE);
  g_assert_false (gtk_widget_is_sensitive (youtube_row));
  g_assert_cmpfloat (mh_time_range_row_get_end (MH_TIME_RANGE_ROW (time_row)), <=, 3.05);
  set_range (&page, 0, 2.5);
  assert_ready (&page);

  /* 2.5 s at 30 frames per second, 1 credit a frame in Lite; 2 in Pro; fewer frames, fewer credits. */
  g_assert_nonnull (strstr (mh_tool_form_get_cost (page.form), "About 75 credits"));
  set_option (&page, "mode", "pro");
  g_assert_nonnull (strstr (mh_tool_form_get_cost (page.form), "About 150 credits"));
  set_option (&page, "max-fps", "12");
  g_assert_nonnull (strstr (mh_tool_form_get_cost (page.form), "About 60 credits"));
  g_assert_nonnull (strstr (mh_tool_form_get_cost (page.form), "estimate"));

  /* A YouTube link instead of the file. */
  mh_file_row_clear (MH_FILE_ROW (video_row));
  settle ();
  g_assert_true (gtk_widget_is_sensitive (youtube_row));
  g_assert_true (mh_file_row_set_uri (MH_FILE_ROW (youtube_row), "https://youtu.be/dQw4w9WgXcQ", &error));
  g_assert_no_error (error);
  settle ();
  g_assert_false (gtk_widget_is_sensitive (video_row));
  set_range (&page, 0, 10);
  assert_ready (&page);

  page_free (&page);
}

static void
test_headshot (void)
{
  Page page = page_new (MH_TYPE_HEADSHOT_PAGE);
  g_autofree char *photo = fixture ("selfie.png");
  g_autofree char *gif = mh_test_write_file (dir, "anim.gif", "GIF89a", 6);
  g_autoptr(GFile) gif_file = g_file_new_for_path (gif);
  GtkWidget *row = mh_tool_form_get_slot_row (page.form, "image");
  g_autoptr(GError) error = NULL;

  settle ();
  g_assert_cmpstr (mh_tool_form_get_cost (page.form), ==, "Costs 50 credits.");
  assert_problem (&page, "Photo");

  /* A GIF is not a photo the API takes: refused with the list of types. */
  g_assert_false (mh_file_row_set_file (MH_FILE_ROW (row), gif_file, &error));
  g_assert_nonnull (strstr (error->message, "png"));
  g_assert_nonnull (mh_file_row_get_error (MH_FILE_ROW (row)));
  settle ();
  assert_problem (&page, "Photo");

  set_file (&page, "image", photo, FALSE);
  assert_ready (&page);

  /* Files from a drop or the command line land in the slot of their type. */
  {
    g_autofree char *other = fixture ("other.png");
    GFile *files[] = { g_file_new_for_path (other) };

    mh_tool_form_add_files (page.form, files, 1);
    mh_test_wait_for (value_is_other, row, MH_TEST_TIMEOUT, "the dropped file replaces the photo");
    settle ();
    assert_ready (&page);
    g_object_unref (files[0]);
  }

  page_free (&page);
}

static void
test_no_key (void)
{
  g_autoptr(MhApplication) keyless = mh_application_new ();
  GtkWidget *widget = g_object_new (MH_TYPE_HEADSHOT_PAGE, NULL);
  g_autofree char *photo = fixture ("nokey.png");
  g_autoptr(GFile) file = g_file_new_for_path (photo);
  MhToolForm *form;
  GtkWidget *row;

  g_object_ref_sink (widget);
  g_object_get (widget, "form", &form, NULL);
  g_object_unref (form);
  mh_tool_form_set_application (form, keyless);
  row = mh_tool_form_get_slot_row (form, "image");
  g_assert_true (mh_file_row_set_file (MH_FILE_ROW (row), file, NULL));
  mh_test_wait_for (value_set, row, MH_TEST_TIMEOUT, "the file row takes the file");
  settle ();

  /* Valid input, but nowhere to send it. */
  g_assert_false (mh_tool_form_get_can_generate (form));
  g_assert_nonnull (strstr (mh_tool_form_get_problem (form), "API key"));
  g_object_unref (widget);
}

static GtkDropTarget *
drop_target_of (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }

  g_error ("No drop target on %s", G_OBJECT_TYPE_NAME (widget));
  return NULL;
}

static void
painted_cb (GdkFrameClock *clock,
            gboolean      *painted)
{
  *painted = TRUE;
}

/* Until @window has drawn what it shows now. */
static void
wait_for_paint (GtkWidget *window)
{
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  gulong id;

  mh_test_wait_for ((MhTestCondition) gtk_widget_get_mapped, window, MH_TEST_TIMEOUT, "the window to map");
  clock = gtk_widget_get_frame_clock (window);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (painted_cb), &painted);
  gtk_widget_queue_draw (window);
  mh_test_wait_for_flag (&painted, MH_TEST_TIMEOUT, "a frame");
  g_signal_handler_disconnect (clock, id);
}

static void
set_files_value (GValue *value,
                 GFile  *first,
                 ...)
{
  GSList *files = NULL;
  va_list ap;

  va_start (ap, first);
  for (GFile *file = first; file != NULL; file = va_arg (ap, GFile *))
    files = g_slist_append (files, file);
  va_end (ap);

  g_value_unset (value);
  g_value_init (value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (value, gdk_file_list_new_from_list (files));
  g_slist_free (files);
}

/* Shown on screen: the row's subtitle says it, in the accent colour, and
 * the row is outlined; afterwards the subtitle it had is back. */
static void
assert_drop_hint (Page       *page,
                  const char *slot,
                  const char *text)
{
  GtkWidget *row = mh_tool_form_get_slot_row (page->form, slot);
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  GtkWidget *label = mh_app_test_find_label (row, subtitle);

  g_assert_nonnull (label);
  g_assert_true (mh_app_test_is_shown (label, page->window));
  if (text != NULL)
    {
      g_assert_true (mh_file_row_get_drop_hint (MH_FILE_ROW (row)));
      g_assert_cmpstr (subtitle, ==, text);
      g_assert_true (gtk_widget_has_css_class (label, "accent"));
      g_assert_true (gtk_widget_get_state_flags (row) & GTK_STATE_FLAG_DROP_ACTIVE);
    }
  else
    {
      g_assert_false (mh_file_row_get_drop_hint (MH_FILE_ROW (row)));
      g_assert_null (strstr (subtitle, "Drop to use"));
      g_assert_false (gtk_widget_has_css_class (label, "accent"));
      g_assert_false (gtk_widget_get_state_flags (row) & GTK_STATE_FLAG_DROP_ACTIVE);
    }
}

/* Files dragged over the page say which slot takes them. Xvfb has no
 * drag source to drive, so the page's GtkDropTarget gets its signals as
 * GTK emits them (enter, then the value GTK preloads, leave, drop); the
 * value goes in through the same function its notify::value calls. */
static void
test_drop_over_page (void)
{
  Page page = page_new (MH_TYPE_TALKING_PHOTO_PAGE);
  g_autofree char *photo = fixture ("face.png");
  g_autofree char *speech = mh_test_write_wav (dir, "speech.wav", 2.0);
  g_autofree char *text = g_build_filename (dir, "notes.txt", NULL);
  g_autoptr(GFile) photo_file = g_file_new_for_path (photo);
  g_autoptr(GFile) speech_file = g_file_new_for_path (speech);
  g_autoptr(GFile) text_file = g_file_new_for_path (text);
  GtkDropTarget *target = drop_target_of (GTK_WIDGET (page.form));
  GtkWidget *image_row = mh_tool_form_get_slot_row (page.form, "image");
  GtkWidget *audio_row = mh_tool_form_get_slot_row (page.form, "audio");
  g_auto(GValue) value = G_VALUE_INIT;
  GdkDragAction action = 0;
  gboolean accepted = FALSE;

  settle ();
  g_assert_true (gtk_drop_target_get_preload (target));

  /* A drag comes in: until its files are known, no slot is claimed. */
  g_signal_emit_by_name (target, "enter", 200.0, 100.0, &action);
  g_assert_cmpint (action, ==, GDK_ACTION_COPY);
  assert_drop_hint (&page, "image", NULL);
  assert_drop_hint (&page, "audio", NULL);

  /* A recording: the speech slot says it takes it, the photo's does not. */
  g_value_init (&value, G_TYPE_FILE);
  g_value_set_object (&value, speech_file);
  g_assert_cmpuint (mh_tool_form_update_drop_hint (page.form, &value), ==, 1);
  assert_drop_hint (&page, "audio", "Drop to use as Speech");
  assert_drop_hint (&page, "image", NULL);
  mh_app_test_wait_for_label (page.window, "Drop to use as Speech");

  /* A photo and a recording: each row that takes one says so. */
  set_files_value (&value, photo_file, speech_file, NULL);
  g_assert_cmpuint (mh_tool_form_update_drop_hint (page.form, &value), ==, 2);
  assert_drop_hint (&page, "image", "Drop to use as Photo");
  assert_drop_hint (&page, "audio", "Drop to use as Speech");
  mh_app_test_wait_for_label (page.window, "Drop to use as Photo");
  wait_for_paint (page.window);
  mh_app_test_save_screenshot (page.window, "pages-drop-hint.png");

  /* A file no slot takes claims none. */
  set_files_value (&value, text_file, NULL);
  g_assert_cmpuint (mh_tool_form_update_drop_hint (page.form, &value), ==, 0);
  assert_drop_hint (&page, "image", NULL);
  assert_drop_hint (&page, "audio", NULL);

  /* The drag leaves: nothing stays outlined. */
  set_files_value (&value, photo_file, NULL);
  mh_tool_form_update_drop_hint (page.form, &value);
  assert_drop_hint (&page, "image", "Drop to use as Photo");
  g_signal_emit_by_name (target, "leave");
  assert_drop_hint (&page, "image", NULL);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (image_row)), ==,
                   "A photo with one clearly visible face");

  /* Dropped: the files are where the hints said. */
  set_files_value (&value, photo_file, speech_file, NULL);
  g_signal_emit_by_name (target, "drop", &value, 200.0, 100.0, &accepted);
  g_assert_true (accepted);
  assert_drop_hint (&page, "image", NULL);
  assert_drop_hint (&page, "audio", NULL);
  mh_test_wait_for (value_set, image_row, MH_TEST_TIMEOUT, "the dropped photo");
  mh_test_wait_for (value_set, audio_row, MH_TEST_TIMEOUT, "the dropped speech");
  g_assert_cmpstr (mh_file_row_get_value (MH_FILE_ROW (image_row)), ==, photo);
  g_assert_cmpstr (mh_file_row_get_value (MH_FILE_ROW (audio_row)), ==, speech);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (image_row)), "face.png"));

  /* Over a row itself, that row says what it is for. */
  g_signal_emit_by_name (drop_target_of (image_row), "enter", 10.0, 10.0, &action);
  assert_drop_hint (&page, "image", "Drop to use as Photo");
  g_signal_emit_by_name (drop_target_of (image_row), "leave");
  assert_drop_hint (&page, "image", NULL);

  settle ();
  page_free (&page);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  dir = mh_test_make_tmp_dir ();
  /* A job history of our own. */
  g_setenv ("XDG_DATA_HOME", dir, TRUE);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      mh_test_rm_rf (dir);
      return 77;
    }
  adw_init ();
  g_test_init (&argc, &argv, NULL);

  app = mh_application_new ();
  mh_application_set_api_key (app, MH_TEST_KEY);

  g_test_add_func ("/pages/talking-photo/inputs", test_talking_photo_inputs);
  g_test_add_func ("/pages/talking-photo/modes", test_talking_photo_modes);
  g_test_add_func ("/pages/lip-sync/sources-and-cost", test_lip_sync_sources_and_cost);
  g_test_add_func ("/pages/headshot", test_headshot);
  g_test_add_func ("/pages/no-key", test_no_key);
  g_test_add_func ("/pages/drop-over-page", test_drop_over_page);

  status = g_test_run ();

  g_object_unref (app);
  mh_test_rm_rf (dir);
  g_free (dir);
  return status;
}
