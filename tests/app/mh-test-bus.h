/* mh-test-bus.h: a session bus of the test's own, with a notification service
 *
 * Without a session bus address, GDBus on X11 starts a bus for the display
 * (dbus-launch --autolaunch) that outlives the test and is shared by every
 * test on that display; the app's notifications then go to a bus where no
 * one serves them, and GLib warns when the error comes back, which is fatal
 * in a test whenever the main loop happens to turn after it arrived. The
 * tests' environment says "disabled:" (tests/meson.build); a test that needs
 * a bus starts this one.
 *
 * mh_test_bus_up() starts a dbus-daemon that offers no services and ends
 * with this process however it ends, points DBUS_SESSION_BUS_ADDRESS at it,
 * and serves org.freedesktop.Notifications on it, keeping what it is shown.
 * Call it before anything connects to the session bus (gtk_init() does).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void       mh_test_bus_up                (void);
/* Ends the daemon; the session bus connection stays closed. */
void       mh_test_bus_down              (void);
/* What was notified so far, oldest first, as "Title\nBody" strings. */
GPtrArray *mh_test_bus_get_notifications (void);

G_END_DECLS
