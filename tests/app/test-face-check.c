/* test-face-check.c: the face check as a person sees it in the app
 *
 * The app, pointed at the simulator with MAGIC_HOUR_API_BASE_URL and
 * MAGIC_HOUR_API_KEY, runs a headshot from its form: a photo with two faces
 * fails with the sentence on screen and no create sent; a photo with one
 * face shows its crop while the job goes on; the switch in Preferences
 * turns the check off for new jobs. Screenshots of the failure (light and
 * dark, 360 and 1000 px) and of the crop go to $MH_SCREENSHOT_DIR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <string.h>

#include "mh-application.h"
#include "mh-face-picture.h"
#include "mh-file-row.h"
#include "mh-job-view.h"
#include "mh-preferences-window.h"
#include "mh-simulator.h"
#include "mh-app-test-util.h"
#include "mh-test-util.h"
#include "mh-tool-form.h"
#include "mh-window.h"

#define TWO_FACES "This photo has 2 faces; a headshot needs exactly one"

typedef struct
{
  MhTestFixture  base;
  MhApplication *app;
  MhWindow      *window;
  GtkWidget     *form;
  MhJob         *job;
} Fixture;

/* ---- The app --------------------------------------------------------------- */

static gboolean
has_key (gpointer data)
{
  return mh_application_get_key_checked (data) && mh_application_get_has_key (data);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *videos = NULL;
  g_autofree char *pictures = NULL;
  GSettings *settings;

  mh_test_fixture_setup (&f->base, data);

  /* Before the app exists: it reads them when it starts. */
  g_setenv ("MAGIC_HOUR_API_BASE_URL", mh_simulator_get_base_url (f->base.sim), TRUE);
  g_setenv ("MAGIC_HOUR_API_KEY", MH_TEST_KEY, TRUE);
  g_setenv ("XDG_DATA_HOME", f->base.tmp, TRUE);

  f->app = mh_application_new ();
  g_application_set_flags (G_APPLICATION (f->app),
                           g_application_get_flags (G_APPLICATION (f->app)) | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (f->app), NULL, &error));
  g_assert_no_error (error);
  mh_test_wait_for (has_key, f->app, MH_TEST_TIMEOUT, "the key from the environment");

  settings = mh_application_get_settings (f->app);
  g_settings_reset (settings, "face-check");
  videos = g_build_filename (f->base.tmp, "videos", NULL);
  pictures = g_build_filename (f->base.tmp, "pictures", NULL);
  g_settings_set_string (settings, "output-folder-video", videos);
  g_settings_set_string (settings, "output-folder-image", pictures);

  f->window = mh_window_new (f->app);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 760);
  gtk_window_present (GTK_WINDOW (f->window));
  mh_app_test_wait_for_frames (GTK_WIDGET (f->window));
  mh_window_show_tool (f->window, "headshot");
  f->form = mh_window_get_form (f->window, "headshot");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  GSettings *settings = mh_application_get_settings (f->app);

  if (f->job != NULL && !mh_job_state_is_finished (mh_job_get_state (f->job)))
    {
      mh_job_cancel (f->job);
      mh_test_wait_for (mh_app_test_job_finished, f->job, MH_TEST_TIMEOUT, "the job to stop");
    }
  g_clear_object (&f->job);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_settings_reset (settings, "face-check");
  g_settings_reset (settings, "output-folder-video");
  g_settings_reset (settings, "output-folder-image");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->app);
  g_setenv ("MAGIC_HOUR_API_KEY", "", TRUE);
  g_setenv ("MAGIC_HOUR_API_BASE_URL", "", TRUE);

  mh_test_fixture_teardown (&f->base, data);
}

/* ---- Filling the form and pressing Generate -------------------------------- */

static void
jobs_changed_cb (GListModel *jobs,
                 guint       position,
                 guint       removed,
                 guint       added,
                 Fixture    *f)
{
  if (added > 0 && f->job == NULL)
    f->job = g_list_model_get_item (jobs, 0);
}

static gboolean
has_job (gpointer data)
{
  return ((Fixture *) data)->job != NULL;
}

/* Chooses a photo in the form and presses Generate, as a person does. */
static void
generate (Fixture *f)
{
  GtkWidget *row = mh_tool_form_get_slot_row (MH_TOOL_FORM (f->form), "image");
  g_autofree char *png = mh_test_write_png (f->base.tmp, "selfie.png");
  g_autoptr(GFile) file = g_file_new_for_path (png);
  g_autoptr(GError) error = NULL;
  GListModel *jobs = mh_application_get_jobs (f->app);
  gulong handler;

  g_clear_object (&f->job);
  g_assert_true (mh_file_row_set_file (MH_FILE_ROW (row), file, &error));
  g_assert_no_error (error);
  mh_test_wait_for (mh_app_test_row_has_value, row, MH_TEST_TIMEOUT, "the row to take the photo");
  mh_test_wait_for (mh_app_test_can_generate, f->form, MH_TEST_TIMEOUT, "Generate to become available");

  handler = g_signal_connect (jobs, "items-changed", G_CALLBACK (jobs_changed_cb), f);
  g_assert_true (gtk_widget_activate (mh_tool_form_get_generate_button (MH_TOOL_FORM (f->form))));
  mh_test_wait_for (has_job, f, MH_TEST_TIMEOUT, "the job to start");
  g_signal_handler_disconnect (jobs, handler);
}

/* ---- Screenshots ------------------------------------------------------------ */

/* face-check-@state-{light,dark}-{1000,360}.png: the window, and a job view
 * of its own 360 px wide following the same job. */
static void
take_shots (Fixture    *f,
            const char *state)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *narrow = gtk_window_new ();
  GtkWidget *view = mh_job_view_new ();
  const struct { AdwColorScheme scheme; const char *name; } schemes[] = {
    { ADW_COLOR_SCHEME_FORCE_LIGHT, "light" },
    { ADW_COLOR_SCHEME_FORCE_DARK, "dark" },
  };

  if (g_getenv ("MH_SCREENSHOT_DIR") == NULL)
    {
      gtk_window_destroy (GTK_WINDOW (narrow));
      return;
    }

  gtk_window_set_titlebar (GTK_WINDOW (narrow), adw_header_bar_new ());
  gtk_window_set_title (GTK_WINDOW (narrow), "Magic Hour Studio");
  gtk_window_set_default_size (GTK_WINDOW (narrow), 360, 700);
  gtk_window_set_child (GTK_WINDOW (narrow), view);
  mh_job_view_set_job (MH_JOB_VIEW (view), f->job);
  gtk_window_present (GTK_WINDOW (narrow));

  for (guint s = 0; s < G_N_ELEMENTS (schemes); s++)
    {
      g_autofree char *wide_name = g_strdup_printf ("face-check-%s-%s-1000.png", state,
                                                    schemes[s].name);
      g_autofree char *narrow_name = g_strdup_printf ("face-check-%s-%s-360.png", state,
                                                      schemes[s].name);

      adw_style_manager_set_color_scheme (style, schemes[s].scheme);
      mh_app_test_wait_until_still (GTK_WIDGET (f->window));
      mh_app_test_wait_until_still (narrow);
      mh_app_test_save_screenshot (GTK_WIDGET (f->window), wide_name);
      mh_app_test_save_screenshot (narrow, narrow_name);
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (narrow));
}

/* ---- The tests -------------------------------------------------------------- */

static void
test_two_faces (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *label;

  g_object_set (f->base.sim, "faces", 2u, NULL);
  generate (f);
  mh_test_wait_for (mh_app_test_job_finished, f->job, 4 * MH_TEST_TIMEOUT, "the job to end");

  /* The sentence, on screen */
  g_assert_cmpint (mh_job_get_state (f->job), ==, MH_JOB_STATE_FAILED);
  mh_app_test_wait_until_still (GTK_WIDGET (f->window));
  label = mh_app_test_find_label (GTK_WIDGET (f->window), TWO_FACES);
  g_assert_nonnull (label);
  g_assert_true (mh_app_test_is_shown (label, GTK_WIDGET (f->window)));

  /* Asked, and nothing created */
  g_assert_cmpuint (mh_simulator_count_requests (f->base.sim, MH_SIM_ENDPOINT_FACE_DETECTION), ==, 1);
  g_assert_cmpuint (mh_simulator_count_requests (f->base.sim, MH_SIM_ENDPOINT_CREATE), ==, 0);

  take_shots (f, "failure");
}

static gboolean
created (gpointer data)
{
  return mh_simulator_count_requests (data, MH_SIM_ENDPOINT_CREATE) > 0;
}

static gboolean
picture_is_face (GtkWidget     *widget,
                 gconstpointer  data)
{
  return g_strcmp0 (gtk_picture_get_alternative_text (GTK_PICTURE (widget)), data) == 0 &&
         gtk_picture_get_paintable (GTK_PICTURE (widget)) != NULL;
}

static gboolean
face_shown_or_over (gpointer data)
{
  Fixture *f = data;

  return mh_app_test_find_widget (GTK_WIDGET (f->window), GTK_TYPE_PICTURE, picture_is_face,
                                  "The face Magic Hour found") != NULL ||
         mh_job_state_is_finished (mh_job_get_state (f->job));
}

static void
test_face_shown (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *picture;
  GdkPaintable *paintable;

  /* Long enough to be seen while it renders */
  mh_simulator_set_render_seconds (f->base.sim, 30);
  generate (f);
  mh_test_wait_for (face_shown_or_over, f, MH_TEST_TIMEOUT, "the face to show");
  g_assert_false (mh_job_state_is_finished (mh_job_get_state (f->job)));

  picture = mh_app_test_find_widget (GTK_WIDGET (f->window), GTK_TYPE_PICTURE, picture_is_face,
                                     "The face Magic Hour found");
  g_assert_true (mh_app_test_is_shown (picture, GTK_WIDGET (f->window)));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (picture), ==, "The face Magic Hour found");
  /* The simulator's crop is its sample PNG */
  paintable = gtk_picture_get_paintable (GTK_PICTURE (picture));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), >, 0);
  g_assert_nonnull (mh_job_get_face_url (f->job));
  g_assert_cmpuint (mh_simulator_count_requests (f->base.sim, MH_SIM_ENDPOINT_FACE_CROP), ==, 1);
  /* A storage URL: the API key never goes with it */
  g_assert_null (mh_test_request (f->base.sim, MH_SIM_ENDPOINT_FACE_CROP, 0)->authorization);

  /* The job went on to the create meanwhile */
  mh_test_wait_for (created, f->base.sim, MH_TEST_TIMEOUT, "the create");
  g_assert_false (mh_job_state_is_finished (mh_job_get_state (f->job)));
  g_assert_true (mh_app_test_is_shown (picture, GTK_WIDGET (f->window)));

  take_shots (f, "running");
}

static gboolean
switch_off (gpointer data)
{
  return !gtk_switch_get_active (data);
}

static void
test_switch_off (Fixture       *f,
                 gconstpointer  data)
{
  GSettings *settings = mh_application_get_settings (f->app);
  GtkWidget *preferences = mh_preferences_window_new (f->app);
  GtkWidget *row;
  GtkWidget *toggle;

  gtk_window_present (GTK_WINDOW (preferences));
  mh_app_test_wait_for_frames (preferences);
  row = mh_app_test_find_named (preferences, "face-check-row");
  toggle = mh_app_test_find_named (preferences, "face-check-switch");
  g_assert_nonnull (row);
  g_assert_nonnull (toggle);
  g_assert_true (mh_app_test_is_shown (toggle, preferences));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Check Photos for a _Face");
  g_assert_true (g_settings_get_boolean (settings, "face-check"));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
  mh_app_test_save_screenshot (preferences, "face-check-preferences.png");

  /* What a click on the row does */
  g_assert_true (gtk_widget_activate (row));
  /* The switch slides over before it changes */
  mh_test_wait_for (switch_off, toggle, MH_TEST_TIMEOUT, "the switch to turn off");
  g_assert_false (g_settings_get_boolean (settings, "face-check"));
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* A photo without a face goes through, unasked */
  g_object_set (f->base.sim, "faces", 0u, NULL);
  generate (f);
  mh_test_wait_for (created, f->base.sim, MH_TEST_TIMEOUT, "the create");
  g_assert_cmpuint (mh_simulator_count_requests (f->base.sim, MH_SIM_ENDPOINT_FACE_DETECTION), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmp = NULL;
  g_autofree char *keyring = NULL;
  int status;

  /* GStreamer's GL upload can crash on software GL (llvmpipe under Xvfb). */
  if (g_getenv ("GDK_DEBUG") == NULL)
    g_setenv ("GDK_DEBUG", "gl-disable", TRUE);

  /* An empty keyring of our own: the key comes from the environment. */
  tmp = mh_test_make_tmp_dir ();
  keyring = g_build_filename (tmp, "keyring.secrets", NULL);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      mh_test_rm_rf (tmp);
      return 77;
    }
  adw_init ();

#define ADD(path, fn) g_test_add ("/app-face-check/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("two-faces", test_two_faces);
  ADD ("face-shown", test_face_shown);
  ADD ("switch-off", test_switch_off);
#undef ADD

  status = g_test_run ();
  mh_test_rm_rf (tmp);
  return status;
}
