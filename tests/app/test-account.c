/* test-account.c: the account in the window, as a new user meets it
 *
 * The app is pointed at the simulator (MAGIC_HOUR_API_BASE_URL, any key),
 * the account at tier free with 100 credits:
 *  - the window says "100 credits · Free plan", fetched once at start;
 *  - Lip Sync's Pro is listed but cannot be picked, with the plan it needs;
 *  - a 5 s realistic Talking Photo costs "About 240 credits" and Generate is
 *    off with the reason and a Buy Credits link; nothing but the account
 *    reached the simulator;
 *  - with 5000 credits (a new key) it runs, the job view shows what the
 *    API charged and the balance shown drops by it (fetched after the job);
 *  - a server without /v1/account (404) shows nothing and no error;
 *  - the cost line against the formula for each tool and mode.
 * Screenshots (light, dark, 360 px) go to $MH_SCREENSHOT_DIR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <string.h>

#include "mh-account.h"
#include "mh-app-test-util.h"
#include "mh-application.h"
#include "mh-file-row.h"
#include "mh-job-view.h"
#include "mh-option-row.h"
#include "mh-test-util.h"
#include "mh-time-range-row.h"
#include "mh-tool-form.h"
#include "mh-window.h"

#define WIDTH 1000
#define HEIGHT 760

static char *tmp_dir;
static MhSimulator *sim;
static MhApplication *app;
static MhWindow *window;

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */

static gboolean
app_ready (gpointer data)
{
  return mh_application_get_key_checked (data) && mh_application_get_has_key (data);
}

static void
settle (void)
{
  for (int i = 0; i < 20; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

static gboolean
account_unavailable (gpointer data)
{
  return !mh_account_get_available (mh_application_get_account (data));
}

static gboolean
account_has_credits (gpointer data)
{
  MhAccount *account = mh_application_get_account (app);

  return mh_account_get_available (account) &&
         mh_account_get_credits (account) == *(gint64 *) data;
}

static MhToolForm *
show_tool (const char *tool_id)
{
  mh_window_show_tool (window, tool_id);
  mh_app_test_wait_for_frames (GTK_WIDGET (window));
  return MH_TOOL_FORM (mh_window_get_form (window, tool_id));
}

static gboolean
row_has_duration (gpointer row)
{
  return mh_file_row_get_duration (row) > 0;
}

static void
set_slot (MhToolForm *form,
          const char *slot,
          const char *path,
          gboolean    timed)
{
  GtkWidget *row = mh_tool_form_get_slot_row (form, slot);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (row);
  g_assert_true (mh_file_row_set_file (MH_FILE_ROW (row), file, &error));
  g_assert_no_error (error);
  mh_test_wait_for (mh_app_test_row_has_value, row, MH_TEST_TIMEOUT, "the row to take the file");
  if (timed)
    mh_test_wait_for (row_has_duration, row, MH_TEST_TIMEOUT, "the file's length");
  settle ();
}

static void
set_option (MhToolForm *form,
            const char *key,
            const char *value)
{
  GtkWidget *row = mh_tool_form_get_option_row (form, key);

  g_assert_nonnull (row);
  mh_option_row_set_value (MH_OPTION_ROW (row), value);
  settle ();
}

static void
set_range (MhToolForm *form,
           double      start,
           double      end)
{
  mh_time_range_row_set_range (MH_TIME_RANGE_ROW (mh_tool_form_get_time_row (form)), start, end);
  settle ();
}

static void
assert_cost (MhToolForm *form,
             const char *expected)
{
  const char *cost = mh_tool_form_get_cost (form);

  if (cost == NULL || strstr (cost, expected) == NULL)
    g_error ("expected the cost “%s”, the form says “%s”", expected, cost);
}

static void
assert_refused (MhToolForm *form,
                const char *expected)
{
  const char *problem = mh_tool_form_get_problem (form);

  if (problem == NULL || strstr (problem, expected) == NULL)
    g_error ("expected the reason “%s”, the form says “%s”", expected, problem);
  g_assert_false (mh_tool_form_get_can_generate (form));
  g_assert_false (gtk_widget_is_sensitive (mh_tool_form_get_generate_button (form)));
  /* Said where the person looks: next to Generate. */
  g_assert_nonnull (mh_app_test_find_label (GTK_WIDGET (form), expected));
}

static void
assert_ready (MhToolForm *form)
{
  if (!mh_tool_form_get_can_generate (form))
    g_error ("Generate is off: %s", mh_tool_form_get_problem (form));
  g_assert_true (gtk_widget_is_sensitive (mh_tool_form_get_generate_button (form)));
}

/* Every request so far was GET /v1/account. */
static void
assert_only_account_requests (void)
{
  GPtrArray *requests = mh_simulator_get_requests (sim);

  g_assert_cmpuint (requests->len, >, 0);
  for (guint i = 0; i < requests->len; i++)
    {
      MhSimRequest *req = g_ptr_array_index (requests, i);

      if (g_strcmp0 (req->endpoint, MH_SIM_ENDPOINT_ACCOUNT) != 0)
        g_error ("%s %s reached the simulator", req->method, req->path);
    }
}

static gboolean
is_link_button (GtkWidget     *widget,
                gconstpointer  label)
{
  return GTK_IS_LINK_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0 &&
         mh_app_test_is_shown (widget, GTK_WIDGET (window));
}

/* The toasts of the start (the API address from the environment) would
 * hide the footer. */
static void
dismiss_toasts (void)
{
  GtkWidget *toast;

  while ((toast = mh_app_test_find_toast (GTK_WIDGET (window))) != NULL)
    {
      GtkWidget *close = NULL;

      /* Its last button is the close button. */
      for (GtkWidget *child = gtk_widget_get_first_child (toast); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        if (GTK_IS_BUTTON (child))
          close = child;
      g_assert_nonnull (close);
      g_signal_emit_by_name (close, "clicked");
      mh_app_test_wait_until_still (GTK_WIDGET (window));
      settle ();
    }
}

static void
save_png (const char *name)
{
  mh_app_test_wait_until_still (GTK_WIDGET (window));
  mh_app_test_save_screenshot (GTK_WIDGET (window), name);
}

/* account-@name-{light,dark}.png at full width, and -360-light at 360 px. */
static void
screenshots (const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light = g_strdup_printf ("account-%s-light.png", name);
  g_autofree char *dark = g_strdup_printf ("account-%s-dark.png", name);
  g_autofree char *narrow = g_strdup_printf ("account-%s-360-light.png", name);

  if (g_getenv ("MH_SCREENSHOT_DIR") == NULL)
    return;

  dismiss_toasts ();
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  save_png (light);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  save_png (dark);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);

  gtk_window_set_default_size (GTK_WINDOW (window), 360, HEIGHT);
  save_png (narrow);
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  mh_app_test_wait_until_still (GTK_WIDGET (window));
}

/* ------------------------------------------------------------------------ */
/* Tests, in order: they share the app and the simulator                   */

static void
test_shown_at_start (void)
{
  MhToolForm *form = show_tool ("talking-photo");

  mh_app_test_wait_for_label (GTK_WIDGET (form), "100 credits · Free plan");
  /* Asked once at start, and nothing else. */
  g_assert_cmpuint (mh_simulator_count_requests (sim, MH_SIM_ENDPOINT_ACCOUNT), ==, 1);
  assert_only_account_requests ();
  g_assert_null (mh_app_test_find_label (GTK_WIDGET (window), "payment did not go through"));
}

static void
test_plan_gates_choice (void)
{
  MhToolForm *form = show_tool ("lip-sync");
  GtkWidget *row = mh_tool_form_get_option_row (form, "mode");
  GtkWidget *drop_down = mh_option_row_get_input_widget (MH_OPTION_ROW (row));
  GtkWidget *popover = NULL;
  GtkWidget *label;
  g_autofree char *video = mh_test_write_mp4 (tmp_dir, "speaker.mp4");
  g_autofree char *speech = mh_test_write_wav (tmp_dir, "speech.wav", 3.0);

  g_assert_false (mh_option_row_is_choice_allowed (MH_OPTION_ROW (row), "pro"));
  g_assert_true (mh_option_row_is_choice_allowed (MH_OPTION_ROW (row), "standard"));
  g_assert_true (mh_option_row_is_choice_allowed (MH_OPTION_ROW (row), "lite"));

  /* The list shows Pro, greyed, with the plan it needs. */
  for (GtkWidget *child = gtk_widget_get_first_child (drop_down); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      popover = child;
  g_assert_nonnull (popover);
  gtk_popover_popup (GTK_POPOVER (popover));
  mh_app_test_wait_for_frames (popover);
  label = mh_app_test_find_label (popover, "Pro — needs the Creator plan");
  g_assert_nonnull (label);
  g_assert_false (gtk_widget_is_sensitive (label));
  label = mh_app_test_find_label (popover, "Standard");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_is_sensitive (label));
  g_assert_null (mh_app_test_find_label (popover, "Standard — needs"));
  gtk_popover_popdown (GTK_POPOVER (popover));

  /* Chosen another way (a past job's options): refused with the reason. */
  set_slot (form, "video", video, TRUE);
  set_slot (form, "audio", speech, TRUE);
  set_range (form, 0, 2);
  set_option (form, "mode", "standard");
  assert_ready (form);
  set_option (form, "mode", "pro");
  assert_refused (form, "Pro needs the Creator plan; this account is on the Free plan.");
  g_assert_null (mh_tool_form_generate (form));
  set_option (form, "mode", "lite");
  assert_ready (form);
  assert_only_account_requests ();
}

static void
test_balance_too_low (void)
{
  MhToolForm *form = show_tool ("talking-photo");
  g_autofree char *photo = mh_test_write_png (tmp_dir, "portrait.png");
  g_autofree char *speech = mh_test_write_wav (tmp_dir, "five.wav", 5.0);
  GtkWidget *buy;

  set_slot (form, "image", photo, FALSE);
  set_slot (form, "audio", speech, TRUE);
  set_range (form, 0, 5);
  set_option (form, "mode", "realistic");

  assert_cost (form, "About 240 credits");
  assert_refused (form, "This job needs about 240 credits; you have 100.");
  buy = mh_app_test_find_widget (GTK_WIDGET (window), GTK_TYPE_LINK_BUTTON, is_link_button, "Buy Credits");
  g_assert_nonnull (buy);
  g_assert_cmpstr (gtk_link_button_get_uri (GTK_LINK_BUTTON (buy)), ==, "https://magichour.ai/pricing");

  /* Ctrl+Return does no more than the button. */
  g_assert_null (mh_tool_form_generate (form));
  settle ();
  assert_only_account_requests ();
  g_assert_cmpuint (mh_simulator_count_projects (sim), ==, 0);

  screenshots ("too-few-credits");

  /* Prompted costs 20 a second: 100 credits are enough for 5 s. */
  set_option (form, "mode", "prompted");
  assert_cost (form, "About 100 credits");
  assert_ready (form);
  g_assert_null (mh_app_test_find_widget (GTK_WIDGET (window), GTK_TYPE_LINK_BUTTON, is_link_button, "Buy Credits"));
  set_option (form, "mode", "realistic");
  assert_refused (form, "you have 100");
}

static void
test_runs_and_balance_drops (void)
{
  MhToolForm *form = show_tool ("talking-photo");
  g_autofree char *expected = NULL;
  g_autofree char *cost = NULL;
  gint64 credits = 5000;
  gint64 after;
  gint64 charged;
  MhJob *job;

  /* A new key is one of the events that fetch the account again. */
  g_object_set (sim, "credits", (gint64) 5000, NULL);
  mh_application_set_api_key (app, MH_TEST_KEY);
  mh_test_wait_for (account_has_credits, &credits, MH_TEST_TIMEOUT, "the new balance");
  {
    /* "5,000" where the locale groups thousands. */
    g_autofree char *number = mh_format_credits (5000);
    g_autofree char *summary = g_strdup_printf ("%s credits · Free plan", number);

    mh_app_test_wait_for_label (GTK_WIDGET (form), summary);
  }
  settle ();
  assert_cost (form, "About 240 credits");
  assert_ready (form);

  job = mh_tool_form_generate (form);
  g_assert_nonnull (job);
  mh_test_wait_for (mh_app_test_job_finished, job, MH_TEST_TIMEOUT, "the job to end");
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_DONE);

  /* The job view shows what the API charged. */
  charged = mh_job_get_credits_charged (job);
  g_assert_cmpint (charged, >, 0);
  cost = g_strdup_printf ("Cost: %" G_GINT64_FORMAT " credits", charged);
  mh_app_test_wait_for_label (mh_tool_form_get_job_view (form), cost);

  /* Fetched again after the job: the balance shown dropped by the charge. */
  after = 5000 - charged;
  mh_test_wait_for (account_has_credits, &after, MH_TEST_TIMEOUT, "the balance after the job");
  {
    g_autofree char *number = mh_format_credits (after);

    expected = g_strdup_printf ("%s credits · Free plan", number);
  }
  mh_tool_form_show_inputs (form);
  mh_app_test_wait_for_label (GTK_WIDGET (form), expected);
  screenshots ("balance-after-job");
}

static gboolean
account_requests_reach (gpointer data)
{
  return mh_simulator_count_requests (sim, MH_SIM_ENDPOINT_ACCOUNT) >= GPOINTER_TO_UINT (data);
}

/* The job view: the estimate until the create answers, then what the API
 * charged; a render that failed says the credits came back, and the balance
 * shown (fetched after the job) is whole again. */
static void
test_estimate_charge_and_refund (void)
{
  MhToolForm *form = show_tool ("talking-photo");
  GtkWidget *view = mh_tool_form_get_job_view (form);
  gint64 credits = 5000;
  guint reads;
  MhJob *job;

  g_object_set (sim, "credits", credits, NULL);
  mh_application_set_api_key (app, MH_TEST_KEY);
  mh_test_wait_for (account_has_credits, &credits, MH_TEST_TIMEOUT, "the balance");
  set_option (form, "mode", "realistic");
  set_range (form, 0, 5);
  assert_ready (form);

  /* The create takes its time: meanwhile the view shows the estimate. */
  mh_simulator_add_fault (sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_SLOW, 1, 1500, NULL);
  job = mh_tool_form_generate (form);
  g_assert_nonnull (job);
  mh_app_test_wait_for_label (view, "Estimate: about 240 credits");
  g_assert_cmpint (mh_job_get_credits_charged (job), <, 0);
  mh_app_test_wait_for_label (view, "Cost: 240 credits");
  g_assert_null (mh_app_test_find_label (view, "Estimate"));
  mh_test_wait_for (mh_app_test_job_finished, job, MH_TEST_TIMEOUT, "the first job to end");
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_DONE);
  credits -= 240;
  mh_test_wait_for (account_has_credits, &credits, MH_TEST_TIMEOUT, "the balance after the charge");

  /* A render that fails: the charge comes back. */
  mh_tool_form_show_inputs (form);
  settle ();
  mh_simulator_add_fault (sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_RENDER_ERROR, 1, 0, "unknown_error");
  reads = mh_simulator_count_requests (sim, MH_SIM_ENDPOINT_ACCOUNT);
  job = mh_tool_form_generate (form);
  g_assert_nonnull (job);
  mh_test_wait_for (mh_app_test_job_finished, job, MH_TEST_TIMEOUT, "the second job to end");
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_FAILED);
  mh_app_test_wait_for_label (view, "The 240 credits charged for this job were refunded.");
  /* Fetched once after the job: the refund is in the balance. */
  mh_test_wait_for (account_requests_reach, GUINT_TO_POINTER (reads + 1), MH_TEST_TIMEOUT,
                    "the account read after the job");
  mh_test_wait_for (account_has_credits, &credits, MH_TEST_TIMEOUT, "the balance after the refund");
  settle ();
  g_assert_cmpuint (mh_simulator_count_requests (sim, MH_SIM_ENDPOINT_ACCOUNT), ==, reads + 1);
  mh_tool_form_show_inputs (form);
}

/* A new API address is an event that reads the account again, once. */
static void
test_address_change (void)
{
  guint before = mh_simulator_count_requests (sim, MH_SIM_ENDPOINT_ACCOUNT);

  mh_application_reload_client (app);
  mh_test_wait_for (account_requests_reach, GUINT_TO_POINTER (before + 1), MH_TEST_TIMEOUT,
                    "the account read for the new address");
  mh_test_wait_for (app_ready, app, MH_TEST_TIMEOUT, "the key");
  settle ();
  mh_app_test_wait_for_frames (GTK_WIDGET (window));
  g_assert_cmpuint (mh_simulator_count_requests (sim, MH_SIM_ENDPOINT_ACCOUNT), ==, before + 1);
  g_assert_true (mh_account_get_available (mh_application_get_account (app)));
}

static void
test_no_account_endpoint (void)
{
  MhToolForm *form = show_tool ("talking-photo");
  guint before = mh_simulator_count_requests (sim, MH_SIM_ENDPOINT_ACCOUNT);

  g_object_set (sim, "credits", (gint64) 100, NULL);
  g_object_set (sim, "no-account", TRUE, NULL);
  mh_application_set_api_key (app, MH_TEST_KEY);
  mh_test_wait_for (account_unavailable, app, MH_TEST_TIMEOUT, "the 404");
  settle ();
  mh_app_test_wait_for_frames (GTK_WIDGET (window));

  g_assert_cmpuint (mh_simulator_count_requests (sim, MH_SIM_ENDPOINT_ACCOUNT), ==, before + 1);
  /* Nothing about the account, and no error: the estimate stays, Generate is on. */
  g_assert_null (mh_app_test_find_label (GTK_WIDGET (window), "credits ·"));
  g_assert_null (mh_app_test_find_label (GTK_WIDGET (window), "Free plan"));
  g_assert_null (mh_app_test_find_label (GTK_WIDGET (window), "you have"));
  g_assert_null (mh_app_test_find_widget (GTK_WIDGET (window), GTK_TYPE_LINK_BUTTON, is_link_button, "Buy Credits"));
  assert_cost (form, "About 240 credits");
  assert_ready (form);
  g_assert_null (mh_tool_form_get_problem (form));
}

/* The cost line against the formula: 48 or 20 credits a second of Talking
 * Photo; Lip Sync frames at min (30, max fps) × 1 or 2; Headshot 50. */
static void
test_cost_formula (void)
{
  MhToolForm *form = show_tool ("talking-photo");
  const struct { const char *mode; double start, end; const char *expected; } talking[] = {
    { "realistic", 0, 5, "About 240 credits." },
    { "pro", 0, 5, "About 240 credits." },          /* an alias of realistic */
    { "stable", 0, 2.5, "About 120 credits." },
    { "prompted", 0, 5, "About 100 credits." },
    { "expressive", 0, 1, "About 20 credits." },
    { "standard", 1, 3.5, "About 50 credits." },
  };
  const struct { const char *mode; const char *fps; const char *expected; } lip[] = {
    { "lite", NULL, "About 60 credits" },             /* 2 s × 30 fps × 1 */
    { "standard", NULL, "About 60 credits" },
    { "pro", NULL, "About 120 credits" },             /* × 2 */
    { "lite", "24", "About 48 credits" },              /* 2 s × 24 fps */
    { "pro", "12.5", "About 50 credits" },             /* 2 s × 12.5 × 2 */
    { "lite", "60", "About 60 credits" },              /* never above 30 fps */
  };

  for (guint i = 0; i < G_N_ELEMENTS (talking); i++)
    {
      set_option (form, "mode", talking[i].mode);
      set_range (form, talking[i].start, talking[i].end);
      g_assert_cmpstr (mh_tool_form_get_cost (form), ==, talking[i].expected);
    }

  form = show_tool ("lip-sync");
  for (guint i = 0; i < G_N_ELEMENTS (lip); i++)
    {
      set_option (form, "mode", lip[i].mode);
      set_option (form, "max-fps", lip[i].fps);
      set_range (form, 0, 2);
      assert_cost (form, lip[i].expected);
    }

  form = show_tool ("headshot");
  g_assert_cmpstr (mh_tool_form_get_cost (form), ==, "Costs 50 credits.");
}

static void
test_past_due (void)
{
  MhToolForm *form = show_tool ("talking-photo");
  gint64 credits = 1250;
  GtkWidget *link;

  /* The simulator's subscription, past due: a new key reads it. */
  g_object_set (sim, "tier", "creator", "past-due", TRUE, "no-account", FALSE,
                "credits", credits, NULL);
  mh_application_set_api_key (app, MH_TEST_KEY);
  mh_test_wait_for (account_has_credits, &credits, MH_TEST_TIMEOUT, "the past-due account");
  {
    g_autofree char *number = mh_format_credits (1250);
    g_autofree char *summary = g_strdup_printf ("%s credits · Free plan", number);

    mh_app_test_wait_for_label (GTK_WIDGET (form), summary);
  }
  mh_app_test_wait_for_label (GTK_WIDGET (form), "Your last payment did not go through; Magic Hour treats the account as Free until it is paid.");
  link = mh_app_test_find_widget (GTK_WIDGET (window), GTK_TYPE_LINK_BUTTON, is_link_button, "Pay on magichour.ai");
  g_assert_nonnull (link);
  g_assert_true (g_str_has_prefix (gtk_link_button_get_uri (GTK_LINK_BUTTON (link)), "https://magichour.ai"));
  screenshots ("past-due");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring = NULL;
  int status;

  if (g_getenv ("GDK_DEBUG") == NULL)
    g_setenv ("GDK_DEBUG", "gl-disable", TRUE);

  tmp_dir = mh_test_make_tmp_dir ();
  keyring = g_build_filename (tmp_dir, "keyring.secrets", NULL);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("XDG_DATA_HOME", tmp_dir, TRUE);

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      mh_test_rm_rf (tmp_dir);
      return 77;
    }
  adw_init ();

  /* A new user's account: free, 100 credits. */
  sim = mh_test_simulator_new (0.2);
  g_object_set (sim, "tier", "free", "credits", (gint64) 100, NULL);
  g_setenv ("MAGIC_HOUR_API_BASE_URL", mh_simulator_get_base_url (sim), TRUE);
  g_setenv ("MAGIC_HOUR_API_KEY", MH_TEST_KEY, TRUE);

  app = mh_application_new ();
  mh_app_test_register (app);
  mh_client_set_poll_scale (mh_application_get_client (app), 0.05);
  mh_client_set_retry_policy (mh_application_get_client (app), 4, 0.01, 0.05);
  mh_test_wait_for (app_ready, app, MH_TEST_TIMEOUT, "the key");
  {
    g_autofree char *out = g_build_filename (tmp_dir, "out", NULL);
    GSettings *settings = mh_application_get_settings (app);

    g_settings_set_string (settings, "output-folder-video", out);
    g_settings_set_string (settings, "output-folder-image", out);
  }

  window = mh_app_test_new_window (app, WIDTH, HEIGHT);

  g_test_add_func ("/app/account/shown-at-start", test_shown_at_start);
  g_test_add_func ("/app/account/plan-gates-choice", test_plan_gates_choice);
  g_test_add_func ("/app/account/balance-too-low", test_balance_too_low);
  g_test_add_func ("/app/account/runs-and-balance-drops", test_runs_and_balance_drops);
  g_test_add_func ("/app/account/estimate-charge-and-refund", test_estimate_charge_and_refund);
  g_test_add_func ("/app/account/address-change", test_address_change);
  g_test_add_func ("/app/account/no-account-endpoint", test_no_account_endpoint);
  g_test_add_func ("/app/account/cost-formula", test_cost_formula);
  g_test_add_func ("/app/account/past-due", test_past_due);

  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
  g_clear_object (&app);
  mh_simulator_stop (sim);
  g_clear_object (&sim);
  mh_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  return status;
}
