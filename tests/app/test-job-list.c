/* test-job-list.c: the session's jobs, as the header's popover lists them
 *
 * Real jobs against the simulator in a GListStore: the rows show each job's
 * name or tool, its state as the engine words it, a progress bar or a
 * spinner while it runs and Open once it is done; they follow the jobs live,
 * and activating one raises "job-activated". An empty store shows the empty
 * state. Screenshots (light and dark) go to $MH_SCREENSHOT_DIR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "mh-app-resources.h"
#include "mh-job-list.h"
#include "mh-job-store.h"
#include "mh-params.h"
#include "mh-app-test-util.h"
#include "mh-test-util.h"

typedef struct
{
  MhTestFixture  base;
  GtkWidget     *window;
  MhJobList     *list;
  GListStore    *store;
  MhJob         *activated;
  guint          activations;
} Fixture;

/* ------------------------------------------------------------------------ */
/* Looking at widgets                                                       */





static GtkWidget *
find_row (Fixture    *f,
          const char *title)
{
  return mh_app_test_find_row (GTK_WIDGET (f->list), title);
}

static gboolean
button_has_label (GtkWidget     *widget,
                  gconstpointer  text)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), text) == 0;
}

/* The rows as they stand, top to bottom. */
static GPtrArray *
visible_rows (Fixture *f)
{
  GPtrArray *rows = g_ptr_array_new ();
  GtkWidget *box = mh_app_test_find_widget (GTK_WIDGET (f->list), GTK_TYPE_LIST_BOX, NULL, NULL);

  if (box == NULL)
    return rows;

  for (GtkWidget *child = gtk_widget_get_first_child (box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (ADW_IS_ACTION_ROW (child) && gtk_widget_get_mapped (child))
      g_ptr_array_add (rows, child);

  return rows;
}

static guint
count_rows (Fixture *f)
{
  g_autoptr(GPtrArray) rows = visible_rows (f);

  return rows->len;
}

/* ------------------------------------------------------------------------ */
/* Screenshots                                                              */

static void
take_shots (Fixture    *f,
            const char *state)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  const struct { AdwColorScheme scheme; const char *name; } schemes[] = {
    { ADW_COLOR_SCHEME_FORCE_LIGHT, "light" },
    { ADW_COLOR_SCHEME_FORCE_DARK, "dark" },
  };

  for (guint s = 0; s < G_N_ELEMENTS (schemes); s++)
    {
      g_autofree char *name = g_strdup_printf ("job-list-%s-%s.png", state, schemes[s].name);

      adw_style_manager_set_color_scheme (style, schemes[s].scheme);
      mh_app_test_wait_for_frames (f->window);
      mh_app_test_save_screenshot (f->window, name);
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* ------------------------------------------------------------------------ */
/* The fixture                                                              */

static void
job_activated_cb (MhJobList *list,
                  MhJob     *job,
                  Fixture   *f)
{
  f->activated = job;
  f->activations++;
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  mh_test_fixture_setup (&f->base, data);

  f->store = g_list_store_new (MH_TYPE_JOB);
  f->window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (f->window), "Jobs");
  gtk_window_set_titlebar (GTK_WINDOW (f->window), adw_header_bar_new ());
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 420);
  f->list = MH_JOB_LIST (mh_job_list_new ());
  g_object_ref (f->list);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->list));
  g_signal_connect (f->list, "job-activated", G_CALLBACK (job_activated_cb), f);
  gtk_window_present (GTK_WINDOW (f->window));
  mh_test_wait_for (mh_app_test_widget_mapped, f->window, MH_TEST_TIMEOUT, "the window to show");
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->list);
  g_clear_object (&f->store);
  mh_test_fixture_teardown (&f->base, data);
}

static MhJob *
add_job (Fixture    *f,
         const char *tool_id,
         const char *name)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->base, tool_id);
  MhJob *job;

  if (name != NULL)
    mh_params_set (params, "name", name);
  job = mh_test_fixture_new_job (&f->base, tool_id, params);
  /* Newest first, as the application keeps them. */
  g_list_store_insert (f->store, 0, job);

  return job;
}

typedef struct
{
  MhJob    *job;
  gboolean  done;
} Run;

static void
ran_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Run *run = user_data;

  mh_job_run_finish (MH_JOB (source), result, NULL);
  run->done = TRUE;
}

/* ------------------------------------------------------------------------ */
/* Cases                                                                    */

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(MhJob) job = NULL;
  GtkWidget *view = GTK_WIDGET (f->list);

  /* No model, then an empty one: the empty state. */
  g_assert_nonnull (mh_app_test_find_label (view, "No Jobs Yet"));
  mh_job_list_set_model (f->list, G_LIST_MODEL (f->store));
  g_assert_nonnull (mh_app_test_find_label (view, "No Jobs Yet"));
  g_assert_nonnull (mh_app_test_find_label (view, "appear here"));
  g_assert_cmpuint (count_rows (f), ==, 0);
  take_shots (f, "empty");

  /* A job: its row replaces the empty state. */
  job = g_object_ref (add_job (f, "headshot", NULL));
  g_assert_null (mh_app_test_find_label (view, "No Jobs Yet"));
  g_assert_cmpuint (count_rows (f), ==, 1);

  /* Gone again: the empty state is back. */
  g_list_store_remove_all (f->store);
  g_assert_nonnull (mh_app_test_find_label (view, "No Jobs Yet"));
  g_assert_cmpuint (count_rows (f), ==, 0);

  /* The model is a property too. */
  g_object_set (f->list, "model", NULL, NULL);
  g_assert_nonnull (mh_app_test_find_label (view, "No Jobs Yet"));
}

static gboolean
job_rendering (gpointer user_data)
{
  Run *run = user_data;

  return mh_job_get_state (run->job) == MH_JOB_STATE_RENDERING || run->done;
}

static gboolean
run_done (gpointer user_data)
{
  return ((Run *) user_data)->done;
}

static void
test_rows (Fixture       *f,
           gconstpointer  data)
{
  GtkWidget *view = GTK_WIDGET (f->list);
  g_autoptr(GPtrArray) rows = NULL;
  MhJob *named, *photo, *failing;
  GtkWidget *row, *open, *spinner;
  Run run = { NULL, FALSE };
  Run fail = { NULL, FALSE };
  const char *subtitle;

  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gtk_widget_get_display (view)),
                                    "/io/github/mhstudio/MagicHourStudio/icons");
  mh_job_list_set_model (f->list, G_LIST_MODEL (f->store));

  named = add_job (f, "headshot", "Portrait for the website");
  photo = add_job (f, "talking-photo", NULL);
  g_object_unref (named);
  g_object_unref (photo);

  /* Newest first; named jobs by their name, others by their input's file
   * name: the one name the job has everywhere. */
  rows = visible_rows (f);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (adw_preferences_row_get_title (rows->pdata[0]), ==, "face");
  g_assert_cmpstr (adw_preferences_row_get_title (rows->pdata[1]), ==, "Portrait for the website");
  g_assert_cmpstr (adw_action_row_get_subtitle (rows->pdata[1]), ==, "Not started yet");

  /* Each row wears its tool's icon, found in the app's resource. */
  g_assert_nonnull (mh_app_test_find_widget (rows->pdata[0], GTK_TYPE_IMAGE, mh_app_test_image_has_icon,
                                             "mh-talking-photo-symbolic"));
  g_assert_nonnull (mh_app_test_find_widget (rows->pdata[1], GTK_TYPE_IMAGE, mh_app_test_image_has_icon,
                                             "mh-headshot-symbolic"));
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gtk_widget_get_display (view)),
                                          "mh-talking-photo-symbolic"));

  /* The talking photo runs: its row follows it. */
  mh_simulator_set_render_seconds (f->base.sim, 3.0);
  run.job = photo;
  mh_job_run_async (photo, NULL, ran_cb, &run);
  mh_test_wait_for (job_rendering, &run, MH_TEST_TIMEOUT, "the render");
  row = find_row (f, "face");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Rendering at Magic Hour…");
  spinner = mh_app_test_find_widget (row, GTK_TYPE_SPINNER, NULL, NULL);
  g_assert_nonnull (spinner);
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  g_assert_null (mh_app_test_find_widget (row, GTK_TYPE_BUTTON, button_has_label, "_Open"));

  /* A third job fails meanwhile. */
  mh_simulator_add_fault (f->base.sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_RENDER_ERROR,
                          1, 0, "no_source_face");
  failing = add_job (f, "headshot", "Passport photo");
  g_object_unref (failing);
  fail.job = failing;
  mh_job_run_async (failing, NULL, ran_cb, &fail);
  take_shots (f, "running");

  mh_test_wait_for (run_done, &fail, MH_TEST_TIMEOUT, "the failing job");
  row = find_row (f, "Passport photo");
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_assert_true (g_str_has_prefix (subtitle, "Failed at "));
  g_assert_nonnull (strstr (subtitle, "No face was found in the photo"));
  g_assert_nonnull (mh_app_test_find_widget (row, GTK_TYPE_IMAGE, mh_app_test_image_has_icon, "dialog-error-symbolic"));

  mh_test_wait_for (run_done, &run, MH_TEST_TIMEOUT, "the talking photo");
  g_assert_cmpint (mh_job_get_state (photo), ==, MH_JOB_STATE_DONE);
  row = find_row (f, "face");
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  /* A state in words, not the result's file name. */
  g_assert_true (g_str_has_prefix (subtitle, "Done at "));
  g_assert_null (strstr (subtitle, "talking-photo-"));
  g_assert_null (strstr (subtitle, ".mp4"));
  g_assert_null (mh_app_test_find_widget (row, GTK_TYPE_SPINNER, NULL, NULL));
  open = mh_app_test_find_widget (row, GTK_TYPE_BUTTON, button_has_label, "_Open");
  g_assert_nonnull (open);
  g_assert_true (gtk_widget_get_focusable (open));
  take_shots (f, "done");

  /* Activating a row says which job. */
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = visible_rows (f);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (adw_preferences_row_get_title (rows->pdata[0]), ==, "Passport photo");
  gtk_widget_activate (find_row (f, "Portrait for the website"));
  g_assert_cmpuint (f->activations, ==, 1);
  g_assert_true (f->activated == named);
  gtk_widget_activate (find_row (f, "face"));
  g_assert_cmpuint (f->activations, ==, 2);
  g_assert_true (f->activated == photo);

  /* A job removed from the model takes its row along. */
  g_list_store_remove (f->store, 0);
  g_assert_null (find_row (f, "Passport photo"));
  g_assert_null (mh_app_test_find_label (view, "No Jobs Yet"));
}

static gboolean
one_job_left (gpointer model)
{
  return g_list_model_get_n_items (model) == 1;
}

static char *
local_clock (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);

  return g_date_time_format (local, "%H:%M");
}

static GtkWidget *
clear_button (Fixture *f)
{
  return mh_app_test_find_widget (GTK_WIDGET (f->list), GTK_TYPE_BUTTON, button_has_label, "Clear _Finished");
}

static gboolean
job_done (gpointer job)
{
  return mh_job_state_is_finished (mh_job_get_state (job));
}

/* Recorded jobs, as the app runs them: when each started, then when it
 * ended; Clear Finished takes the ended ones out of the list, never out of
 * the history or off the disk. */
static void
test_time_and_clear (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *store_path = g_build_filename (f->base.tmp, "jobs", NULL);
  g_autoptr(GFile) store_dir = g_file_new_for_path (store_path);
  g_autoptr(MhJobStore) store = mh_job_store_new (store_dir);
  g_autoptr(GFile) out = g_file_new_for_path (f->base.out);
  g_autoptr(GHashTable) first_params = mh_test_fixture_params (&f->base, "headshot");
  g_autoptr(GHashTable) second_params = mh_test_fixture_params (&f->base, "headshot");
  g_autoptr(MhJob) first = NULL;
  g_autoptr(MhJob) second = NULL;
  g_autoptr(GtkFilterListModel) filtered = NULL;
  g_autofree char *started = NULL;
  g_autofree char *expected = NULL;
  const char *output;
  GtkWidget *row, *button;
  Run run = { NULL, FALSE };
  int minimum, natural;

  mh_app_test_load_store (store);
  mh_job_list_set_model (f->list, G_LIST_MODEL (f->store));

  /* Wide enough for a name beside its state, where the screen allows. */
  gtk_widget_measure (GTK_WIDGET (f->list), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (natural, >=, 400);
  g_assert_cmpint (minimum, <=, 360);

  mh_params_set (first_params, "name", "Team page");
  first = mh_job_store_new_job (store, f->base.client, mh_tool_lookup ("headshot"), first_params);
  mh_job_set_output_dir (first, out);
  g_list_store_insert (f->store, 0, first);
  mh_params_set (second_params, "name", "Passport photo");
  second = mh_job_store_new_job (store, f->base.client, mh_tool_lookup ("headshot"), second_params);
  mh_job_set_output_dir (second, out);
  g_list_store_insert (f->store, 0, second);

  /* Nothing has ended: nothing to clear. */
  button = clear_button (f);
  g_assert_nonnull (button);
  g_assert_false (gtk_widget_get_sensitive (button));

  /* The first one renders: when it started, and its step. */
  mh_simulator_set_render_seconds (f->base.sim, 60.0);
  run.job = first;
  mh_job_run_async (first, NULL, ran_cb, &run);
  mh_test_wait_for (job_rendering, &run, MH_TEST_TIMEOUT, "the render");
  g_assert_cmpint (mh_job_get_state (first), ==, MH_JOB_STATE_RENDERING);
  started = local_clock (mh_job_record_get_created (mh_job_get_record (first)));
  expected = g_strdup_printf ("Started %s · Rendering at Magic Hour…", started);
  row = find_row (f, "Team page");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, expected);
  g_assert_false (gtk_widget_get_sensitive (button));
  take_shots (f, "started");

  /* It ends: when, in words; now there is something to clear. */
  {
    g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) after = NULL;
    g_autofree char *clock_before = local_clock (before);
    g_autofree char *clock_after = NULL;
    g_autofree char *done_before = NULL;
    g_autofree char *done_after = NULL;
    const char *subtitle;

    mh_simulator_finish_project_now (f->base.sim, mh_job_get_project_id (first));
    mh_test_wait_for (run_done, &run, MH_TEST_TIMEOUT, "the job");
    g_assert_cmpint (mh_job_get_state (first), ==, MH_JOB_STATE_DONE);
    after = g_date_time_new_now_utc ();
    clock_after = local_clock (after);
    /* The minute may have turned meanwhile. */
    done_before = g_strdup_printf ("Done at %s", clock_before);
    done_after = g_strdup_printf ("Done at %s", clock_after);
    subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (find_row (f, "Team page")));
    if (g_strcmp0 (subtitle, done_before) != 0)
      g_assert_cmpstr (subtitle, ==, done_after);
  }
  g_assert_true (gtk_widget_get_sensitive (button));

  /* Clear Finished: the job that ended leaves the list, the one not run
   * yet stays; its record and its result stay. */
  output = mh_job_get_output_files (first)[0];
  g_assert_true (gtk_widget_activate (button));
  mh_test_wait_for (one_job_left, f->store, MH_TEST_TIMEOUT, "Clear Finished");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 1);
  g_assert_null (find_row (f, "Team page"));
  g_assert_nonnull (find_row (f, "Passport photo"));
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_nonnull (mh_job_store_lookup (store, mh_job_record_get_id (mh_job_get_record (first))));
  g_assert_true (g_file_test (output, G_FILE_TEST_IS_REGULAR));

  /* A list that is not the session's own cannot lose items: no button. */
  filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (f->store)), NULL);
  mh_job_list_set_model (f->list, G_LIST_MODEL (filtered));
  g_assert_null (clear_button (f));
  g_assert_nonnull (find_row (f, "Passport photo"));

  mh_job_list_set_model (f->list, NULL);
  mh_job_store_flush (store);
  g_assert_true (job_done (first));
}

int
main (int   argc,
      char *argv[])
{
  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return 77;
    }

  adw_init ();
  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (mh_app_get_resource ());
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/job-list/empty", Fixture, NULL, setup, test_empty, teardown);
  g_test_add ("/job-list/rows", Fixture, NULL, setup, test_rows, teardown);
  g_test_add ("/job-list/time-and-clear", Fixture, NULL, setup, test_time_and_clear, teardown);

  return g_test_run ();
}
