/* mh-test-silent-keyring.h: a Secret Service that never answers
 *
 * It owns org.freedesktop.secrets on the session bus at
 * $DBUS_SESSION_BUS_ADDRESS (a private one: GTestDBus, or mh_test_bus_up()
 * in the GUI tests) and takes every method call sent to it without ever
 * replying, as a keyring daemon that hangs does, or as libsecret 0.20.5
 * behaves when it loses the Secret portal's answer inside Flatpak. It
 * serves from its connection's own thread: it needs no main loop, so a
 * test may wait for a child process synchronously meanwhile.
 *
 * The prompting variant is a locked keyring instead: it answers until an
 * unlock prompt is on screen, then waits for the person.
 *
 * libsecret must talk to it, not to its file backend: the caller sets
 * SECRET_BACKEND=service before the first keyring call.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _MhTestSilentKeyring MhTestSilentKeyring;

MhTestSilentKeyring *mh_test_silent_keyring_new         (void);
/* A keyring that is locked: it answers what leads libsecret to show an
 * unlock prompt (the item it looks for is in a locked collection), shows
 * it, and then says nothing, as while the person types the password. */
MhTestSilentKeyring *mh_test_silent_keyring_new_prompting (void);
/* The person typed the password: the prompt completes, the item is
 * unlocked and holds @secret. */
void                 mh_test_silent_keyring_unlock        (MhTestSilentKeyring *self,
                                                           const char          *secret);
/* Prompts it was asked to show so far. */
guint                mh_test_silent_keyring_count_prompts (MhTestSilentKeyring *self);
/* Method calls it received (and never answered) so far. */
guint                mh_test_silent_keyring_count_calls (MhTestSilentKeyring *self);
/* Lets go of the name and of the calls, still unanswered. */
void                 mh_test_silent_keyring_free        (MhTestSilentKeyring *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhTestSilentKeyring, mh_test_silent_keyring_free)

G_END_DECLS
