/* test-idle.c: the idle window draws nothing
 *
 * A window nobody touches has no reason to draw: on every page (the welcome
 * page, each tool empty and with files chosen, a finished job's result, the
 * history, Preferences open) the frame clocks of every window fall silent
 * once the page has settled, and no spinner turns where nobody can see it
 * (a GtkSpinner animates, and redraws its window, even on a hidden page).
 *
 * GTK's own cursor blinking is turned off here: a focused text field blinks
 * for 10 s by design (gtk-cursor-blink-timeout), which is not the app's doing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>

#include "mh-application.h"
#include "mh-client.h"
#include "mh-file-row.h"
#include "mh-job.h"
#include "mh-simulator.h"
#include "mh-app-test-util.h"
#include "mh-test-util.h"
#include "mh-tool-form.h"
#include "mh-window.h"

/* A page is quiet when no frame was drawn for this long... */
#define QUIET_SPAN_MS   600
/* ...within this long after it settled (a thumbnail, a fade may end first). */
#define SETTLE_SECONDS  10.0

static MhApplication *app;
static MhWindow *window;
static char *tmp_dir;

/* ------------------------------------------------------------------------ */
/* Frames                                                                   */

typedef struct
{
  guint       frames;
  const char *last;       /* the type of window that drew last */
} FrameCount;

static void
frame_cb (GdkFrameClock *clock,
          FrameCount    *count)
{
  count->frames++;
  count->last = g_object_get_data (G_OBJECT (clock), "mh-test-window-type");
}

static gboolean
flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The main loop runs, as it would with nobody at the keyboard, for @ms. */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* "ancestor < ... < widget": where a widget is, for a failure message. */
static char *
describe (GtkWidget *widget)
{
  GString *path = g_string_new (G_OBJECT_TYPE_NAME (widget));

  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL; w = gtk_widget_get_parent (w))
    g_string_prepend (g_string_prepend (path, " > "), G_OBJECT_TYPE_NAME (w));
  return g_string_free (path, FALSE);
}

/* No spinner turns unseen, under @widget (popovers included: they are
 * children of their button). */
static void
assert_no_hidden_spinner (GtkWidget  *widget,
                          const char *what)
{
  if (GTK_IS_SPINNER (widget) && gtk_spinner_get_spinning (GTK_SPINNER (widget)) &&
      !gtk_widget_get_mapped (widget))
    {
      g_autofree char *path = describe (widget);

      g_error ("%s: a spinner nobody sees keeps spinning (and the window redrawing): %s", what, path);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_no_hidden_spinner (child, what);
}

/* Every window of the app stops drawing within SETTLE_SECONDS: some span
 * of QUIET_SPAN_MS passes without a single frame of any of them. */
static void
assert_quiet (const char *what)
{
  g_autoptr(GPtrArray) clocks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) handlers = g_array_new (FALSE, FALSE, sizeof (gulong));
  FrameCount count = { 0, NULL };
  gint64 deadline;
  guint spans = 0;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    {
      GtkWidget *toplevel = l->data;
      GdkFrameClock *clock;
      gulong handler;

      if (gtk_widget_get_mapped (toplevel))
        mh_app_test_wait_until_still (toplevel);
      assert_no_hidden_spinner (toplevel, what);
      if (!gtk_widget_get_mapped (toplevel))
        continue;
      clock = gtk_widget_get_frame_clock (toplevel);
      g_object_set_data (G_OBJECT (clock), "mh-test-window-type", (gpointer) G_OBJECT_TYPE_NAME (toplevel));
      /* "update" runs the animations and tick callbacks, "after-paint"
       * follows every frame drawn: either means work. */
      handler = g_signal_connect (clock, "update", G_CALLBACK (frame_cb), &count);
      g_array_append_val (handlers, handler);
      handler = g_signal_connect (clock, "after-paint", G_CALLBACK (frame_cb), &count);
      g_array_append_val (handlers, handler);
      g_ptr_array_add (clocks, g_object_ref (clock));
    }
  g_assert_cmpuint (clocks->len, >, 0);

  deadline = g_get_monotonic_time () + (gint64) (SETTLE_SECONDS * G_USEC_PER_SEC);
  for (;;)
    {
      count.frames = 0;
      run_for (QUIET_SPAN_MS);
      spans++;
      if (count.frames == 0)
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("%s: still drawing after %.0f s with nobody at it: %u frame-clock signals "
                 "in the last %u ms (last from %s)",
                 what, SETTLE_SECONDS, count.frames, QUIET_SPAN_MS, count.last);
    }
  g_test_message ("%s: quiet after %u span(s) of %u ms", what, spans, QUIET_SPAN_MS);

  for (guint i = 0; i < clocks->len; i++)
    {
      g_signal_handler_disconnect (g_ptr_array_index (clocks, i), g_array_index (handlers, gulong, 2 * i));
      g_signal_handler_disconnect (g_ptr_array_index (clocks, i), g_array_index (handlers, gulong, 2 * i + 1));
    }
}

/* ------------------------------------------------------------------------ */
/* Getting to each page                                                     */

static gboolean
slot_filled (gpointer row)
{
  return mh_file_row_get_value (row) != NULL;
}

static void
jobs_changed_cb (GListModel *jobs,
                 guint       position,
                 guint       removed,
                 guint       added,
                 MhJob     **job)
{
  if (added > 0 && *job == NULL)
    *job = g_list_model_get_item (jobs, position);
}

static gboolean
has_job (gpointer data)
{
  return *(MhJob **) data != NULL;
}

static gboolean
job_finished (gpointer data)
{
  return mh_job_state_is_finished (mh_job_get_state (*(MhJob **) data));
}

static gboolean
preferences_shown (gpointer data)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (l->data != (gpointer) window && gtk_widget_get_mapped (l->data))
      return TRUE;
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                    */

static void
test_welcome (void)
{
  g_assert_false (mh_application_get_demo (app));
  mh_test_wait_for (mh_app_test_key_checked, app, MH_TEST_TIMEOUT, "the key lookup");
  mh_app_test_wait_for_label (GTK_WIDGET (window), "Welcome to Magic Hour Studio");

  assert_quiet ("the welcome page");
}

static void
test_tool_pages (void)
{
  const char *tools[] = { "talking-photo", "lip-sync", "headshot" };
  MhClient *client;

  g_action_group_activate_action (G_ACTION_GROUP (app), "demo", NULL);
  g_assert_true (mh_application_get_demo (app));
  /* Sped up, as in the end-to-end test. */
  mh_simulator_set_render_seconds (mh_application_get_simulator (app), 1.5);
  client = mh_application_get_client (app);
  mh_client_set_poll_scale (client, 0.25);

  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      mh_window_show_tool (window, tools[i]);
      g_assert_true (mh_app_test_is_shown (mh_window_get_form (window, tools[i]), GTK_WIDGET (window)));
      assert_quiet (tools[i]);
    }

  mh_window_show_history (window);
  assert_quiet ("the empty history");
}

static void
test_files_result_history (void)
{
  g_autofree char *png = mh_test_write_png (tmp_dir, "face.png");
  g_autofree char *wav = mh_test_write_wav (tmp_dir, "voice.wav", 3.0);
  g_autofree char *videos = g_build_filename (tmp_dir, "videos", NULL);
  g_autofree char *pictures = g_build_filename (tmp_dir, "pictures", NULL);
  GFile *files[2] = { g_file_new_for_path (png), g_file_new_for_path (wav) };
  GListModel *jobs = mh_application_get_jobs (app);
  g_autoptr(MhJob) job = NULL;
  GtkWidget *form;
  gulong handler;

  g_assert_true (mh_application_get_demo (app));
  g_settings_set_string (mh_application_get_settings (app), "output-folder-video", videos);
  g_settings_set_string (mh_application_get_settings (app), "output-folder-image", pictures);

  /* Files chosen: the photo shown large, the speech's waveform. */
  mh_window_open (window, NULL, files, 2);
  form = mh_window_get_form (window, "talking-photo");
  mh_test_wait_for (slot_filled, mh_tool_form_get_slot_row (MH_TOOL_FORM (form), "image"),
                    MH_TEST_TIMEOUT, "the photo");
  mh_test_wait_for (slot_filled, mh_tool_form_get_slot_row (MH_TOOL_FORM (form), "audio"),
                    MH_TEST_TIMEOUT, "the speech");
  mh_test_wait_for (mh_app_test_can_generate, form, MH_TEST_TIMEOUT, "Generate to become available");
  assert_quiet ("talking photo with files chosen");

  /* A finished job, its result on screen. */
  handler = g_signal_connect (jobs, "items-changed", G_CALLBACK (jobs_changed_cb), &job);
  g_assert_true (gtk_widget_activate (mh_tool_form_get_generate_button (MH_TOOL_FORM (form))));
  mh_test_wait_for (has_job, &job, MH_TEST_TIMEOUT, "the job to start");
  g_signal_handler_disconnect (jobs, handler);
  mh_test_wait_for (job_finished, &job, 4 * MH_TEST_TIMEOUT, "the job to end");
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_DONE);
  mh_app_test_wait_for_label (GTK_WIDGET (window), "Saved to");
  assert_quiet ("a talking photo's result");

  mh_window_show_history (window);
  assert_quiet ("the history with a finished job");

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  mh_test_wait_for (preferences_shown, NULL, MH_TEST_TIMEOUT, "Preferences");
  assert_quiet ("Preferences open");

  g_object_unref (files[0]);
  g_object_unref (files[1]);
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
  /* GTK's blinking cursor is GTK's business (see the top of the file). */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  app = mh_application_new ();
  mh_app_test_register (app);

  window = mh_app_test_new_window (app, 1000, 760);

  /* In this order: the welcome page needs the app without the demo. */
  g_test_add_func ("/app/idle/welcome", test_welcome);
  g_test_add_func ("/app/idle/tool-pages", test_tool_pages);
  g_test_add_func ("/app/idle/files-result-history", test_files_result_history);

  status = g_test_run ();

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL;
       l = gtk_application_get_windows (GTK_APPLICATION (app)))
    gtk_window_destroy (l->data);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (app);
  mh_test_rm_rf (tmp_dir);
  g_free (tmp_dir);

  return status;
}
