/* test-accessibility.c: what a screen reader hears, page by page
 *
 * Each page and state a person meets (the welcome page, the three tool
 * forms empty and filled, a running job, a result, a failure, History with
 * records, the open jobs popover, Preferences) is read the way a screen
 * reader reads it: over AT-SPI on D-Bus, from the registry's desktop down,
 * Name and Role as GTK serves them. Any interactive object (button, toggle,
 * entry, spin button, slider, link, tab, drop-down, activatable row, menu
 * item) whose name is empty, a type name ("GtkMenuButton", "AdwGizmo",
 * "MhToolForm": what GTK 4.8 falls back to) or the same words twice
 * ("Name Name", "_Open Open": a label property read before the label the
 * widget is labelled by) fails the test, each one printed with its path.
 *
 * Why AT-SPI and not the widgets: GTK 4.8 has no public API to read the name
 * it computes (label, else labelled-by, else the content), and that
 * computation is where names go wrong ("Name Name"). The test runs its own
 * session bus (mh-test-bus.c), which also serves as the accessibility bus
 * (AT_SPI_BUS_ADDRESS), with at-spi2-core's registry daemon on it, as on a
 * desktop. The walk runs in a thread with its own connection; GTK answers
 * from this thread's main loop.
 *
 * GTK 4.8 marks every object "visible", hidden stack pages included, and
 * never "showing": what is not on screen is told by its extents, 0x0 for a
 * widget never allocated. Those subtrees are skipped; a page shown before
 * and hidden since keeps its old extents and is checked again, which only
 * makes the test stricter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "mh-application.h"
#include "mh-file-row.h"
#include "mh-job-view.h"
#include "mh-preferences-window.h"
#include "mh-simulator.h"
#include "mh-app-test-util.h"
#include "mh-test-bus.h"
#include "mh-test-util.h"
#include "mh-tool-form.h"
#include "mh-window.h"

#define WIDTH 1000
#define HEIGHT 760

/* AtspiRole and AtspiStateType values (atspi-constants.h; libatspi's
 * headers are not needed for a handful of numbers). */
enum {
  ROLE_CHECK_BOX = 7,
  ROLE_CHECK_MENU_ITEM = 8,
  ROLE_COMBO_BOX = 11,
  ROLE_LIST_ITEM = 32,
  ROLE_MENU_ITEM = 35,
  ROLE_PAGE_TAB = 37,
  ROLE_PASSWORD_TEXT = 40,
  ROLE_PUSH_BUTTON = 43,
  ROLE_RADIO_BUTTON = 44,
  ROLE_RADIO_MENU_ITEM = 45,
  ROLE_SLIDER = 51,
  ROLE_SPIN_BUTTON = 52,
  ROLE_TEXT = 61,
  ROLE_TOGGLE_BUTTON = 62,
  ROLE_ENTRY = 79,
  ROLE_LINK = 88,
};
enum {
  STATE_EDITABLE = 7,
  STATE_FOCUSABLE = 11,
};

#define ACCESSIBLE "org.a11y.atspi.Accessible"

static char *tmp_dir;
static GSubprocess *registry;
static MhApplication *app;
static MhWindow *window;

/* ------------------------------------------------------------------------ */
/* Reading the tree over AT-SPI                                             */

typedef struct
{
  GDBusConnection *bus;
  GString         *tree;      /* everything read, for the log */
  GPtrArray       *offenders; /* "path: why" */
  guint            n_checked;
  guint            n_read;
  gboolean         done;
} Walk;

static GVariant *
call (Walk       *walk,
      const char *dest,
      const char *path,
      const char *iface,
      const char *method,
      GVariant   *args,
      const char *reply_type)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply;

  reply = g_dbus_connection_call_sync (walk->bus, dest, path, iface, method, args,
                                       G_VARIANT_TYPE (reply_type), G_DBUS_CALL_FLAGS_NONE,
                                       10000, NULL, &error);
  if (reply == NULL)
    /* An object can go while the tree is read (a spinner's page, a
     * progress label): said in the log, not an offender. */
    g_string_append_printf (walk->tree, "(%s %s on %s: %s)\n", iface, method, path, error->message);
  return reply;
}

static gboolean
is_interactive (guint32 role,
                guint64 states)
{
  switch (role)
    {
    case ROLE_PUSH_BUTTON:
    case ROLE_TOGGLE_BUTTON:
    case ROLE_CHECK_BOX:
    case ROLE_RADIO_BUTTON:
    case ROLE_COMBO_BOX:
    case ROLE_ENTRY:
    case ROLE_PASSWORD_TEXT:
    case ROLE_SPIN_BUTTON:
    case ROLE_SLIDER:
    case ROLE_LINK:
    case ROLE_PAGE_TAB:
    case ROLE_MENU_ITEM:
    case ROLE_CHECK_MENU_ITEM:
    case ROLE_RADIO_MENU_ITEM:
      return TRUE;
    case ROLE_TEXT:
      /* Text one can type in (a label is ROLE_LABEL). */
      return (states & (G_GUINT64_CONSTANT (1) << STATE_EDITABLE)) != 0;
    case ROLE_LIST_ITEM:
      /* A row one can reach and activate. */
      return (states & (G_GUINT64_CONSTANT (1) << STATE_FOCUSABLE)) != 0;
    default:
      return FALSE;
    }
}

/* The fallback GTK 4.8 gives an object that has no name of its own. */
static gboolean
is_type_name (const char *name)
{
  return g_str_has_prefix (name, "Gtk") || g_str_has_prefix (name, "Adw") || g_str_has_prefix (name, "Mh");
}

/* "Name Name", "_Open Open": GTK 4.8 reads a label property and the
 * label the widget is labelled by one after the other. */
static gboolean
is_doubled (const char *name)
{
  g_autofree char *plain = g_strdup (name);
  char *from = plain, *to = plain;
  size_t length;

  for (; *from != '\0'; from++)
    if (*from != '_')
      *to++ = *from;
  *to = '\0';

  length = strlen (plain);
  return length % 2 == 1 && plain[length / 2] == ' ' &&
         strncmp (plain, plain + length / 2 + 1, length / 2) == 0;
}

static void
walk_node (Walk       *walk,
           const char *dest,
           const char *path,
           const char *trail,
           const char *parents,
           int         depth)
{
  g_autoptr(GVariant) name_reply = NULL;
  g_autoptr(GVariant) name_value = NULL;
  g_autoptr(GVariant) role_reply = NULL;
  g_autoptr(GVariant) role_name_reply = NULL;
  g_autoptr(GVariant) state_reply = NULL;
  g_autoptr(GVariant) extents = NULL;
  g_autoptr(GVariant) children = NULL;
  g_autoptr(GVariantIter) state_iter = NULL;
  g_autofree char *here = NULL;
  g_autofree char *parents_here = NULL;
  const char *name = "";
  const char *role_name = "";
  guint32 role = 0, word;
  guint64 states = 0;
  guint i = 0;
  int x = 0, y = 0, w = -1, h = -1;

  name_reply = call (walk, dest, path, "org.freedesktop.DBus.Properties", "Get",
                     g_variant_new ("(ss)", ACCESSIBLE, "Name"), "(v)");
  role_reply = call (walk, dest, path, ACCESSIBLE, "GetRole", NULL, "(u)");
  role_name_reply = call (walk, dest, path, ACCESSIBLE, "GetRoleName", NULL, "(s)");
  state_reply = call (walk, dest, path, ACCESSIBLE, "GetState", NULL, "(au)");
  if (name_reply == NULL || role_reply == NULL || role_name_reply == NULL || state_reply == NULL)
    return;
  walk->n_read++;

  g_variant_get (name_reply, "(v)", &name_value);
  name = g_variant_get_string (name_value, NULL);
  g_variant_get (role_reply, "(u)", &role);
  g_variant_get (role_name_reply, "(&s)", &role_name);
  g_variant_get (state_reply, "(au)", &state_iter);
  while (g_variant_iter_next (state_iter, "u", &word))
    states |= (guint64) word << (32 * i++);

  /* Objects without extents (a stack page) are read through. */
  if (depth > 1)
    {
      g_autoptr(GError) error = NULL;

      extents = g_dbus_connection_call_sync (walk->bus, dest, path, "org.a11y.atspi.Component", "GetExtents",
                                             g_variant_new ("(u)", 1 /* ATSPI_COORD_TYPE_WINDOW */),
                                             G_VARIANT_TYPE ("((iiii))"), G_DBUS_CALL_FLAGS_NONE,
                                             10000, NULL, &error);
      if (extents != NULL)
        g_variant_get (extents, "((iiii))", &x, &y, &w, &h);
    }

  g_string_append_printf (walk->tree, "%*s[%s] '%s'", depth * 2, "", role_name, name);
  if (w >= 0)
    g_string_append_printf (walk->tree, " %dx%d", w, h);
  g_string_append_c (walk->tree, '\n');

  if (w == 0 || h == 0)
    return;  /* never on screen in this state */

  /* The path keeps the named objects, enough to find the place. */
  if (*name != '\0' && !is_type_name (name))
    here = g_strdup_printf ("%s > %s '%s'", trail, role_name, name);
  else
    here = g_strdup (trail);

  if (is_interactive (role, states))
    {
      const char *why = *name == '\0' ? "no name" :
                        is_type_name (name) ? "a type name for a name" :
                        is_doubled (name) ? "the same words twice" : NULL;

      walk->n_checked++;
      if (why != NULL)
        g_ptr_array_add (walk->offenders,
                         g_strdup_printf ("%s > … > %s > %s '%s': %s", trail, parents, role_name, name, why));
    }

  children = call (walk, dest, path, ACCESSIBLE, "GetChildren", NULL, "(a(so))");
  if (children != NULL)
    {
      g_autoptr(GVariantIter) iter = NULL;
      const char *child_dest, *child_path;

      const char *first = strstr (parents, " > ");
      const char *kept = first != NULL && strstr (first + 3, " > ") != NULL ? first + 3 : parents;

      /* The last three parents, named or not: the place among its neighbours. */
      parents_here = *kept != '\0' ? g_strdup_printf ("%s > %s '%s'", kept, role_name, name)
                                   : g_strdup_printf ("%s '%s'", role_name, name);
      g_variant_get (children, "(a(so))", &iter);
      while (g_variant_iter_next (iter, "(&s&o)", &child_dest, &child_path))
        walk_node (walk, child_dest, child_path, here, parents_here, depth + 1);
    }
}

static gpointer
walk_thread (gpointer data)
{
  Walk *walk = data;
  g_autoptr(GVariant) apps = NULL;
  g_autoptr(GVariantIter) iter = NULL;
  const char *dest, *path;
  gint64 deadline = g_get_monotonic_time () + (gint64) (MH_TEST_TIMEOUT * G_USEC_PER_SEC);

  /* The desktop, as a screen reader starts from it. GTK registers the app
   * with the registry on its own after the first window is realized: until
   * the desktop lists it, asked again (this thread may wait; the main loop
   * goes on in the test's thread). */
  while (TRUE)
    {
      g_autoptr(GVariant) list = NULL;

      apps = call (walk, "org.a11y.atspi.Registry", "/org/a11y/atspi/accessible/root", ACCESSIBLE,
                   "GetChildren", NULL, "(a(so))");
      if (apps != NULL)
        list = g_variant_get_child_value (apps, 0);
      if ((list != NULL && g_variant_n_children (list) > 0) || g_get_monotonic_time () > deadline)
        break;
      g_clear_pointer (&apps, g_variant_unref);
      g_usleep (G_USEC_PER_SEC / 50);
    }
  if (apps != NULL)
    {
      g_variant_get (apps, "(a(so))", &iter);
      while (g_variant_iter_next (iter, "(&s&o)", &dest, &path))
        walk_node (walk, dest, path, "", "", 0);
    }

  g_atomic_int_set (&walk->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

/* Reads the whole tree and fails on every unnamed interactive object;
 * @state says which page and state, for the message. */
static void
assert_all_named (const char *state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  Walk walk = { 0 };

  /* What is on screen is settled: nothing half-way in a transition. */
  mh_app_test_wait_until_still (GTK_WIDGET (window));

  walk.bus = g_dbus_connection_new_for_address_sync (g_getenv ("AT_SPI_BUS_ADDRESS"),
                                                     G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                     G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                     NULL, NULL, &error);
  g_assert_no_error (error);
  walk.tree = g_string_new (NULL);
  walk.offenders = g_ptr_array_new_with_free_func (g_free);

  thread = g_thread_new ("atspi-walk", walk_thread, &walk);
  while (!g_atomic_int_get (&walk.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (g_steal_pointer (&thread));

  /* The application, its window and what is in it were read at all. */
  g_assert_cmpuint (walk.n_read, >, 20);
  g_assert_cmpuint (walk.n_checked, >, 3);

  if (walk.offenders->len > 0)
    {
      g_autoptr(GString) message = g_string_new (NULL);

      g_string_append_printf (message, "%s: %u interactive objects without a name:\n", state, walk.offenders->len);
      for (guint i = 0; i < walk.offenders->len; i++)
        g_string_append_printf (message, "  %s\n", (char *) g_ptr_array_index (walk.offenders, i));
      /* The whole tree read, to see the offenders among their neighbours. */
      g_test_message ("The accessibility tree (%s):\n%s", state, walk.tree->str);
      g_printerr ("%s", message->str);
      g_test_fail_printf ("%s", message->str);
    }

  g_ptr_array_unref (walk.offenders);
  g_string_free (walk.tree, TRUE);
  g_dbus_connection_close_sync (walk.bus, NULL, NULL);
  g_object_unref (walk.bus);
}

/* ------------------------------------------------------------------------ */
/* The accessibility bus                                                    */

static void
end_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
registry_appeared_cb (GDBusConnection *connection,
                      const char      *name,
                      const char      *owner,
                      gpointer         data)
{
  *(gboolean *) data = TRUE;
}

/* The test's session bus doubles as the accessibility bus, with the
 * registry at-spi2-core puts on it; before GTK starts, so it registers. */
static void
accessibility_bus_up (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  gboolean appeared = FALSE;
  guint watch;

  /* Not a reason to skip: build-aux/install-deps installs at-spi2-core. */
  if (!g_file_test ("/usr/libexec/at-spi2-registryd", G_FILE_TEST_IS_EXECUTABLE))
    g_error ("No /usr/libexec/at-spi2-registryd: install at-spi2-core (build-aux/install-deps)");

  g_setenv ("AT_SPI_BUS_ADDRESS", address, TRUE);
  g_setenv ("GTK_A11Y", "atspi", TRUE);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, end_with_parent, NULL, NULL);
  registry = g_subprocess_launcher_spawn (launcher, &error, "/usr/libexec/at-spi2-registryd", NULL);
  g_assert_no_error (error);

  bus = g_dbus_connection_new_for_address_sync (address,
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, &error);
  g_assert_no_error (error);
  /* Told by NameOwnerChanged, which wakes the main loop. */
  watch = g_bus_watch_name_on_connection (bus, "org.a11y.atspi.Registry", G_BUS_NAME_WATCHER_FLAGS_NONE,
                                          registry_appeared_cb, NULL, &appeared, NULL);
  mh_test_wait_for_flag (&appeared, MH_TEST_TIMEOUT, "the AT-SPI registry");
  g_bus_unwatch_name (watch);
  g_dbus_connection_close_sync (bus, NULL, NULL);
}

static void
accessibility_bus_down (void)
{
  if (registry == NULL)
    return;
  g_subprocess_send_signal (registry, SIGTERM);
  g_subprocess_wait (registry, NULL, NULL);
  g_clear_object (&registry);
}

/* ------------------------------------------------------------------------ */
/* Getting the app into each state                                          */

static void
set_slot (GtkWidget  *form,
          const char *slot,
          const char *path)
{
  GtkWidget *row = mh_tool_form_get_slot_row (MH_TOOL_FORM (form), slot);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (row);
  g_assert_true (mh_file_row_set_file (MH_FILE_ROW (row), file, &error));
  g_assert_no_error (error);
  mh_test_wait_for (mh_app_test_row_has_value, row, MH_TEST_TIMEOUT, "the row to take the file");
}

static GtkWidget *
fill_form (const char *tool_id)
{
  g_autofree char *dir = g_build_filename (tmp_dir, tool_id, NULL);
  GtkWidget *form;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  mh_window_show_tool (window, tool_id);
  form = mh_window_get_form (window, tool_id);

  if (g_str_equal (tool_id, "talking-photo"))
    {
      g_autofree char *png = mh_test_write_png (dir, "portrait.png");
      g_autofree char *wav = mh_test_write_wav (dir, "voice.wav", 3.0);

      set_slot (form, "image", png);
      set_slot (form, "audio", wav);
    }
  else if (g_str_equal (tool_id, "lip-sync"))
    {
      g_autofree char *mp4 = mh_test_write_mp4 (dir, "speaker.mp4");
      g_autofree char *wav = mh_test_write_wav (dir, "new-speech.wav", 3.0);

      set_slot (form, "video", mp4);
      set_slot (form, "audio", wav);
    }
  else
    {
      g_autofree char *png = mh_test_write_png (dir, "selfie.png");

      set_slot (form, "image", png);
    }
  mh_test_wait_for (mh_app_test_can_generate, form, MH_TEST_TIMEOUT, "Generate to become available");
  return form;
}

static MhJob *
generate (GtkWidget *form)
{
  GListModel *jobs = mh_application_get_jobs (app);
  guint before = g_list_model_get_n_items (jobs);

  g_assert_true (gtk_widget_activate (mh_tool_form_get_generate_button (MH_TOOL_FORM (form))));
  while (g_list_model_get_n_items (jobs) == before)
    g_main_context_iteration (NULL, TRUE);
  /* The newest job comes first. */
  return g_list_model_get_item (jobs, 0);
}

/* At Magic Hour: queued, then rendering. */
static gboolean
job_rendering (gpointer job)
{
  MhJobState state = mh_job_get_state (job);

  return state == MH_JOB_STATE_QUEUED || state == MH_JOB_STATE_RENDERING;
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                    */

static void
test_welcome (void)
{
  g_assert_false (mh_application_get_demo (app));
  mh_app_test_wait_for_label (GTK_WIDGET (window), "Welcome to Magic Hour Studio");
  assert_all_named ("the welcome page");
}

static void
start_demo (void)
{
  MhClient *client;

  if (mh_application_get_demo (app))
    return;

  g_action_group_activate_action (G_ACTION_GROUP (app), "demo", NULL);
  g_assert_true (mh_application_get_demo (app));
  client = mh_application_get_client (app);
  mh_client_set_poll_scale (client, 0.25);
  mh_client_set_retry_policy (client, 4, 0.01, 0.05);
}

static void
test_form (gconstpointer data)
{
  const char *tool_id = data;
  g_autofree char *empty = g_strdup_printf ("the %s form, empty", tool_id);
  g_autofree char *filled = g_strdup_printf ("the %s form, filled", tool_id);

  start_demo ();
  mh_window_show_tool (window, tool_id);
  g_assert_true (mh_app_test_is_shown (mh_window_get_form (window, tool_id), GTK_WIDGET (window)));
  assert_all_named (empty);

  fill_form (tool_id);
  assert_all_named (filled);
}

/* A running job, then its result. */
static void
test_running_and_result (void)
{
  MhSimulator *sim;
  g_autoptr(MhJob) job = NULL;
  GtkWidget *form;

  start_demo ();
  sim = mh_application_get_simulator (app);
  /* Long enough to be read while it renders; ended by hand. */
  mh_simulator_set_render_seconds (sim, 600);

  form = fill_form ("talking-photo");
  job = generate (form);
  mh_test_wait_for (job_rendering, job, MH_TEST_TIMEOUT, "the render to start");
  assert_all_named ("a running job");

  mh_simulator_finish_project_now (sim, mh_job_get_project_id (job));
  mh_test_wait_for (mh_app_test_job_finished, job, 4 * MH_TEST_TIMEOUT, "the job to end");
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_DONE);
  assert_all_named ("a result");
}

static void
test_failure (void)
{
  MhSimulator *sim;
  g_autoptr(MhJob) job = NULL;
  GtkWidget *form;

  start_demo ();
  sim = mh_application_get_simulator (app);
  mh_simulator_set_render_seconds (sim, 0.2);
  mh_simulator_add_fault (sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_RENDER_ERROR, 1, 0, "no_source_face");

  form = fill_form ("headshot");
  job = generate (form);
  mh_test_wait_for (mh_app_test_job_finished, job, 4 * MH_TEST_TIMEOUT, "the job to end");
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_FAILED);
  mh_app_test_wait_for_label (GTK_WIDGET (window), "Generation Failed");
  assert_all_named ("a failure");
}

static gboolean
popover_shown (gpointer data)
{
  GtkPopover *popover = gtk_menu_button_get_popover (data);

  return popover != NULL && gtk_widget_get_mapped (GTK_WIDGET (popover));
}

static void
test_jobs_popover (void)
{
  GtkWidget *button;

  start_demo ();
  mh_window_show_tool (window, "talking-photo");
  /* The first menu button of the header bar. */
  button = mh_app_test_find_widget (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON, NULL, NULL);
  g_assert_nonnull (button);
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  mh_test_wait_for (popover_shown, button, MH_TEST_TIMEOUT, "the jobs popover");
  mh_app_test_wait_for_frames (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button))));
  assert_all_named ("the jobs popover");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
}

static void
test_history (void)
{
  start_demo ();
  /* The jobs above are its records. */
  mh_window_show_history (window);
  assert_all_named ("History");
}

static void
test_preferences (void)
{
  GtkWidget *prefs;

  start_demo ();
  prefs = mh_preferences_window_new (app);
  gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (prefs));
  mh_app_test_wait_until_still (prefs);
  assert_all_named ("Preferences");
  gtk_window_destroy (GTK_WINDOW (prefs));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* GStreamer's GL upload can crash on software GL (llvmpipe under Xvfb). */
  if (g_getenv ("GDK_DEBUG") == NULL)
    g_setenv ("GDK_DEBUG", "gl-disable", TRUE);

  tmp_dir = mh_test_make_tmp_dir ();
  mh_app_test_isolate (tmp_dir);

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display\n");
      mh_test_rm_rf (tmp_dir);
      return 77;
    }

  mh_test_bus_up ();
  accessibility_bus_up ();

  if (!gtk_init_check ())
    g_error ("GTK could not start on the display");
  adw_init ();

  app = mh_application_new ();
  mh_app_test_register (app);
  mh_test_wait_for (mh_app_test_key_checked, app, MH_TEST_TIMEOUT, "the key lookup");

  window = mh_app_test_new_window (app, WIDTH, HEIGHT);

  /* In this order: the welcome page before the demo, History after jobs. */
  g_test_add_func ("/app/accessibility/welcome", test_welcome);
  g_test_add_data_func ("/app/accessibility/talking-photo", "talking-photo", test_form);
  g_test_add_data_func ("/app/accessibility/lip-sync", "lip-sync", test_form);
  g_test_add_data_func ("/app/accessibility/headshot", "headshot", test_form);
  g_test_add_func ("/app/accessibility/running-and-result", test_running_and_result);
  g_test_add_func ("/app/accessibility/failure", test_failure);
  g_test_add_func ("/app/accessibility/jobs-popover", test_jobs_popover);
  g_test_add_func ("/app/accessibility/history", test_history);
  g_test_add_func ("/app/accessibility/preferences", test_preferences);

  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  accessibility_bus_down ();
  mh_test_bus_down ();
  mh_test_rm_rf (tmp_dir);
  g_free (tmp_dir);

  return status;
}
