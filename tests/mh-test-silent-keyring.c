/* mh-test-silent-keyring.c: a Secret Service that never answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "mh-test-silent-keyring.h"

#define SECRETS_NAME "org.freedesktop.secrets"

struct _MhTestSilentKeyring
{
  GDBusConnection *connection;
  guint            filter_id;
  GMutex           lock;
  GPtrArray       *calls;   /* GDBusMessage: every call, kept unanswered */
  GMainContext    *context; /* the test's, woken on each call */
  gboolean         prompting;
  guint            prompts;  /* Prompt() calls answered */
  char            *secret;   /* given once the prompt is answered */
};

#define ITEM_PATH "/org/freedesktop/secrets/collection/login/1"
#define PROMPT_PATH "/org/freedesktop/secrets/prompt/u1"

/* In the prompting keyring, what gets libsecret to an unlock prompt: the
 * service's properties, a plain session, an item found locked, an unlock
 * that needs a prompt, and the prompt shown. NULL for the rest. */
static GVariant *
prompting_answer (MhTestSilentKeyring *self,
                  GDBusMessage        *call)
{
  const char *member = g_dbus_message_get_member (call);
  const char *empty[] = { NULL };
  const char *items[] = { ITEM_PATH, NULL };

  if (g_strcmp0 (member, "GetAll") == 0)
    return g_variant_new ("(@a{sv})", g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
  if (g_strcmp0 (member, "OpenSession") == 0)
    return g_variant_new ("(vo)", g_variant_new_string (""), "/org/freedesktop/secrets/session/s1");
  if (g_strcmp0 (member, "SearchItems") == 0)
    return g_variant_new ("(^ao^ao)", empty, items);
  if (g_strcmp0 (member, "GetSecrets") == 0 && self->secret != NULL)
    {
      GVariantBuilder secrets;

      g_variant_builder_init (&secrets, G_VARIANT_TYPE ("a{o(oayays)}"));
      g_variant_builder_add (&secrets, "{o(o@ay@ays)}", ITEM_PATH, "/org/freedesktop/secrets/session/s1",
                             g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                             g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, self->secret, strlen (self->secret), 1),
                             "text/plain");
      return g_variant_new ("(a{o(oayays)})", &secrets);
    }
  if (g_strcmp0 (member, "Unlock") == 0)
    return g_variant_new ("(^aoo)", empty, PROMPT_PATH);
  /* The person closed it: as gnome-keyring, the prompt says so. */
  if (g_strcmp0 (member, "Dismiss") == 0)
    {
      g_dbus_connection_emit_signal (self->connection, NULL, PROMPT_PATH, "org.freedesktop.Secret.Prompt",
                                     "Completed", g_variant_new ("(bv)", TRUE, g_variant_new_objv (NULL, 0)),
                                     NULL);
      return g_variant_new ("()");
    }
  if (g_strcmp0 (member, "Prompt") == 0)
    {
      g_mutex_lock (&self->lock);
      self->prompts++;
      g_mutex_unlock (&self->lock);
      return g_variant_new ("()");
    }
  return NULL;
}

/* In the connection's worker thread, before GDBus would dispatch the call
 * (or answer it itself, as it does Peer.Ping or an unknown object): each
 * call addressed to this connection is kept and goes no further. */
static GDBusMessage *
filter_cb (GDBusConnection *connection,
           GDBusMessage    *message,
           gboolean         incoming,
           gpointer         user_data)
{
  MhTestSilentKeyring *self = user_data;

  if (!incoming || g_dbus_message_get_message_type (message) != G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    return message;

  if (self->prompting)
    {
      GVariant *body = prompting_answer (self, message);
      const char *algorithm = NULL;

      /* Only plain sessions: libsecret then asks again for one. */
      if (g_strcmp0 (g_dbus_message_get_member (message), "OpenSession") == 0)
        g_variant_get_child (g_dbus_message_get_body (message), 0, "&s", &algorithm);
      if (g_strcmp0 (algorithm, "plain") != 0 && algorithm != NULL)
        {
          g_autoptr(GDBusMessage) reply =
            g_dbus_message_new_method_error (message, "org.freedesktop.DBus.Error.NotSupported",
                                             "Only plain sessions");

          g_clear_pointer (&body, g_variant_unref);
          g_dbus_connection_send_message (connection, reply, G_DBUS_SEND_MESSAGE_FLAGS_NONE, NULL, NULL);
          g_object_unref (message);
          return NULL;
        }
      if (body != NULL)
        {
          g_autoptr(GDBusMessage) reply = g_dbus_message_new_method_reply (message);

          g_dbus_message_set_body (reply, body);
          g_dbus_connection_send_message (connection, reply, G_DBUS_SEND_MESSAGE_FLAGS_NONE, NULL, NULL);
          g_object_unref (message);
          g_main_context_wakeup (self->context);
          return NULL;
        }
    }

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->calls, message);
  g_mutex_unlock (&self->lock);
  /* A test waiting for a call iterates its context: it sees this one. */
  g_main_context_wakeup (self->context);
  return NULL;
}

static MhTestSilentKeyring *
silent_keyring_new (gboolean prompting)
{
  MhTestSilentKeyring *self = g_new0 (MhTestSilentKeyring, 1);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  guint owned = 0;

  self->prompting = prompting;
  g_mutex_init (&self->lock);
  self->context = g_main_context_ref_thread_default ();
  self->calls = g_ptr_array_new_with_free_func (g_object_unref);

  /* A connection of its own, as a keyring daemon has: the code under test
   * reaches it through the bus, not in-process. */
  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  self->connection = g_dbus_connection_new_for_address_sync (address,
                                                             G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                             G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                             NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_set_exit_on_close (self->connection, FALSE);
  self->filter_id = g_dbus_connection_add_filter (self->connection, filter_cb, self, NULL);

  /* Owned before anyone asks for it: 4 is DBUS_NAME_FLAG_DO_NOT_QUEUE. The
   * bus daemon answers this one (the filter lets replies through). */
  reply = g_dbus_connection_call_sync (self->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", SECRETS_NAME, 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &owned);
  g_assert_cmpuint (owned, ==, 1);  /* DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER */

  return self;
}

MhTestSilentKeyring *
mh_test_silent_keyring_new (void)
{
  return silent_keyring_new (FALSE);
}

MhTestSilentKeyring *
mh_test_silent_keyring_new_prompting (void)
{
  return silent_keyring_new (TRUE);
}

guint
mh_test_silent_keyring_count_prompts (MhTestSilentKeyring *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->prompts;
  g_mutex_unlock (&self->lock);
  return n;
}

void
mh_test_silent_keyring_unlock (MhTestSilentKeyring *self,
                               const char          *secret)
{
  const char *items[] = { ITEM_PATH, NULL };

  g_assert_true (self->prompting);
  self->secret = g_strdup (secret);
  g_dbus_connection_emit_signal (self->connection, NULL, PROMPT_PATH, "org.freedesktop.Secret.Prompt",
                                 "Completed", g_variant_new ("(bv)", FALSE, g_variant_new_objv (items, -1)),
                                 NULL);
}

guint
mh_test_silent_keyring_count_calls (MhTestSilentKeyring *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->calls->len;
  g_mutex_unlock (&self->lock);
  return n;
}

void
mh_test_silent_keyring_free (MhTestSilentKeyring *self)
{
  if (self == NULL)
    return;

  g_dbus_connection_remove_filter (self->connection, self->filter_id);
  /* Closing it gives the name up; the callers' calls then fail at once
   * (the bus says the name has no owner any more). */
  g_dbus_connection_close_sync (self->connection, NULL, NULL);
  g_clear_object (&self->connection);
  g_ptr_array_unref (self->calls);
  g_free (self->secret);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  g_free (self);
}
