/* mh-test-bus.c: a session bus of the test's own, with a notification service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "mh-test-bus.h"
#include "mh-test-util.h"

/* No service files: nothing is started on demand. On Linux, "tmpdir"
 * listens on an abstract socket, no file is left. */
#define CONFIG \
  "<busconfig>\n" \
  "  <type>session</type>\n" \
  "  <listen>unix:tmpdir=/tmp</listen>\n" \
  "  <policy context=\"default\">\n" \
  "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n" \
  "    <allow eavesdrop=\"true\"/>\n" \
  "    <allow own=\"*\"/>\n" \
  "  </policy>\n" \
  "</busconfig>\n"

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' name='app_name' direction='in'/>"
  "      <arg type='u' name='replaces_id' direction='in'/>"
  "      <arg type='s' name='app_icon' direction='in'/>"
  "      <arg type='s' name='summary' direction='in'/>"
  "      <arg type='s' name='body' direction='in'/>"
  "      <arg type='as' name='actions' direction='in'/>"
  "      <arg type='a{sv}' name='hints' direction='in'/>"
  "      <arg type='i' name='expire_timeout' direction='in'/>"
  "      <arg type='u' name='id' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'>"
  "      <arg type='u' name='id' direction='in'/>"
  "    </method>"
  "    <method name='GetCapabilities'>"
  "      <arg type='as' name='capabilities' direction='out'/>"
  "    </method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' name='name' direction='out'/>"
  "      <arg type='s' name='vendor' direction='out'/>"
  "      <arg type='s' name='version' direction='out'/>"
  "      <arg type='s' name='spec_version' direction='out'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static GSubprocess     *daemon_process;
static GDBusConnection *service;      /* the notification service's own */
static GPtrArray       *notifications;
static char            *config_dir;

static void
notifications_method_call (GDBusConnection       *connection,
                           const char            *sender,
                           const char            *object_path,
                           const char            *interface_name,
                           const char            *method_name,
                           GVariant              *parameters,
                           GDBusMethodInvocation *invocation,
                           gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      const char *summary = NULL, *body = NULL;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_variant_get_child (parameters, 4, "&s", &body);
      g_ptr_array_add (notifications, g_strdup_printf ("%s\n%s", summary, body));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notifications->len));
    }
  else if (g_str_equal (method_name, "CloseNotification"))
    g_dbus_method_invocation_return_value (invocation, NULL);
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "mh-test-bus", "Magic Hour Studio tests",
                                                          "1", "1.2"));
}

static const GDBusInterfaceVTable notifications_vtable = { notifications_method_call, NULL, NULL, { 0 } };

static void
end_with_parent (gpointer user_data)
{
  /* Between fork and exec: the daemon gets SIGTERM when this process
   * ends, also when it aborts. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

void
mh_test_bus_up (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_arg = NULL;
  g_autofree char *address = NULL;
  guint owned = 0;

  g_assert_null (daemon_process);

  config_dir = mh_test_make_tmp_dir ();
  config = mh_test_write_file (config_dir, "session.conf", CONFIG, strlen (CONFIG));
  config_arg = g_strconcat ("--config-file=", config, NULL);

  /* Its stderr says what a container does not let it do (raise its file
   * limit); that it started at all is seen in the address it prints. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, end_with_parent, NULL, NULL);
  daemon_process = g_subprocess_launcher_spawn (launcher, &error, "dbus-daemon", "--nofork", "--nosyslog",
                                                "--print-address", config_arg, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (daemon_process));
  address = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);

  /* The notification service, on a connection of its own as a desktop's
   * would be, serving from the default main context. */
  notifications = g_ptr_array_new_with_free_func (g_free);
  service = g_dbus_connection_new_for_address_sync (address,
                                                    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                    G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                    NULL, NULL, &error);
  g_assert_no_error (error);
  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (service, "/org/freedesktop/Notifications", info->interfaces[0],
                                     &notifications_vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  /* Owned before anyone asks for it: 4 is DBUS_NAME_FLAG_DO_NOT_QUEUE. */
  reply = g_dbus_connection_call_sync (service, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &owned);
  g_assert_cmpuint (owned, ==, 1);  /* DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER */
}

void
mh_test_bus_down (void)
{
  g_autoptr(GDBusConnection) session = NULL;
  g_autoptr(GError) error = NULL;

  if (daemon_process == NULL)
    return;

  /* The session bus closing must not end this process (GDBus raises
   * SIGTERM when the shared connection it made closes). */
  session = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (session != NULL)
    g_dbus_connection_set_exit_on_close (session, FALSE);

  g_dbus_connection_close_sync (service, NULL, NULL);
  g_clear_object (&service);

  g_subprocess_send_signal (daemon_process, SIGTERM);
  g_subprocess_wait (daemon_process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&daemon_process);

  mh_test_rm_rf (config_dir);
  g_clear_pointer (&config_dir, g_free);
  g_clear_pointer (&notifications, g_ptr_array_unref);
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
}

GPtrArray *
mh_test_bus_get_notifications (void)
{
  g_assert_nonnull (notifications);
  return notifications;
}
