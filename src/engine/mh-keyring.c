/* mh-keyring.c: the API key in the user's keyring (libsecret)
 *
 * The key is stored only through the Secret Service (or libsecret's portal
 * backend inside Flatpak), never in a settings file. A keyring that never
 * answers (one that accepts the D-Bus call and then says nothing, or the
 * portal's answer lost by libsecret) must not hold the app on its loading
 * page: every operation has a time limit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "mh-keyring.h"

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    APPLICATION_ID ".ApiKey", SECRET_SCHEMA_NONE,
    {
      { "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

#define SERVICE "api.magichour.ai"

/* Unlock prompts libsecret has asked the Secret Service to show, counted
 * on the session bus (outgoing Prompt.Prompt calls). A locked keyring
 * answers with a prompt, which waits for the person to type a password:
 * once one is shown, the operation has no time limit any more (the prompt
 * is on screen and can be dismissed there). Inside Flatpak the portal
 * backend shows no prompt of libsecret's own: the limit always applies. */
static gint prompts_shown;

static GDBusMessage *
count_prompts_cb (GDBusConnection *connection,
                  GDBusMessage    *message,
                  gboolean         incoming,
                  gpointer         user_data)
{
  /* In GDBus's worker thread: look, count, let it through. */
  if (!incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL &&
      g_strcmp0 (g_dbus_message_get_interface (message), "org.freedesktop.Secret.Prompt") == 0 &&
      g_strcmp0 (g_dbus_message_get_member (message), "Prompt") == 0)
    g_atomic_int_inc (&prompts_shown);
  return message;
}

/* The session bus connection the filter is on, while it lives (the
 * weak pointer clears it), and whether it is being asked for. */
G_LOCK_DEFINE_STATIC (watched);
static GDBusConnection *watched;
static gboolean asking;

static void
bus_got_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  /* No session bus: no Secret Service prompts to count either. */
  g_autoptr(GDBusConnection) bus = g_bus_get_finish (result, NULL);

  G_LOCK (watched);
  asking = FALSE;
  if (bus != NULL && watched == NULL)
    {
      g_dbus_connection_add_filter (bus, count_prompts_cb, NULL, NULL);
      watched = bus;
      g_object_add_weak_pointer (G_OBJECT (bus), (gpointer *) &watched);
    }
  G_UNLOCK (watched);
}

/* Before libsecret's call: the shared session bus connection (libsecret's
 * too), asked for without blocking, and not kept: libsecret keeps it as
 * long as it needs it. Asked first, the filter is on before libsecret has
 * the connection. */
static void
watch_prompts (void)
{
  G_LOCK (watched);
  if (watched == NULL && !asking)
    {
      asking = TRUE;
      g_bus_get (G_BUS_TYPE_SESSION, NULL, bus_got_cb, NULL);
    }
  G_UNLOCK (watched);
}

/* One keyring operation under way. libsecret is given a cancellable of
 * its own, cancelled by the caller's or by the time limit; the task
 * returns at once then, whether or not libsecret answers its cancel (a
 * lost answer, as with the Secret portal of libsecret 0.20.5, is exactly
 * what it would never answer). */
typedef struct
{
  int           prompts_before;  /* prompts_shown when it began */
  GCancellable *cancellable;   /* libsecret's */
  GCancellable *caller;        /* the caller's, or NULL */
  gulong        caller_id;
  GSource      *timeout;
  GSource      *cancelled;     /* the caller cancelled */
  gboolean      returned;
} Call;

static void
call_free (Call *call)
{
  if (call->caller != NULL)
    g_cancellable_disconnect (call->caller, call->caller_id);
  g_clear_object (&call->caller);
  g_clear_object (&call->cancellable);
  g_free (call);
}

static void
stop_sources (Call *call)
{
  if (call->timeout != NULL)
    g_source_destroy (call->timeout);
  g_clear_pointer (&call->timeout, g_source_unref);
  if (call->cancelled != NULL)
    g_source_destroy (call->cancelled);
  g_clear_pointer (&call->cancelled, g_source_unref);
}

/* FALSE when the task has returned already (the limit or the caller's
 * cancel came first): the caller then drops what libsecret gave. */
static gboolean
call_claim (GTask *task)
{
  Call *call = g_task_get_task_data (task);

  if (call->returned)
    return FALSE;
  call->returned = TRUE;
  stop_sources (call);
  return TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  /* A prompt was shown meanwhile: the keyring answered, the person has
   * the next word. */
  if (g_atomic_int_get (&prompts_shown) != call->prompts_before)
    {
      g_clear_pointer (&call->timeout, g_source_unref);
      return G_SOURCE_REMOVE;
    }

  g_object_ref (task);
  if (call_claim (task))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                             g_dngettext (GETTEXT_PACKAGE,
                                          "The keyring did not answer within %d second. Restart your session’s keyring, or log out and back in.",
                                          "The keyring did not answer within %d seconds. Restart your session’s keyring, or log out and back in.",
                                          MH_KEYRING_TIMEOUT_SECONDS),
                             MH_KEYRING_TIMEOUT_SECONDS);
  /* libsecret stops waiting too; its late answer is dropped. */
  g_cancellable_cancel (call->cancellable);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  GTask *task = user_data;

  /* Only the caller's cancel gets here: the time limit stops this source
   * before it cancels libsecret. GIO's own message. */
  g_object_ref (task);
  if (call_claim (task) && !g_task_return_error_if_cancelled (task))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/* Any thread: only passes the cancel on. */
static void
caller_cancelled_cb (GCancellable *caller,
                     GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

/* A task for one operation, and the cancellable to hand libsecret. The
 * task's sources hold references of their own; the one returned is
 * libsecret's callback's. */
static GTask *
call_new (GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  watch_prompts ();
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  call->prompts_before = g_atomic_int_get (&prompts_shown);
  call->cancellable = g_cancellable_new ();

  call->timeout = g_timeout_source_new_seconds (MH_KEYRING_TIMEOUT_SECONDS);
  g_source_set_static_name (call->timeout, "[mh] keyring time limit");
  g_source_set_callback (call->timeout, timeout_cb, g_object_ref (task), g_object_unref);
  g_source_attach (call->timeout, g_task_get_context (task));

  /* Watched from the task's context, whichever thread cancels. */
  call->cancelled = g_cancellable_source_new (call->cancellable);
  g_source_set_static_name (call->cancelled, "[mh] keyring cancel");
  g_source_set_callback (call->cancelled, G_SOURCE_FUNC (cancelled_cb), g_object_ref (task), g_object_unref);
  g_source_attach (call->cancelled, g_task_get_context (task));

  if (cancellable != NULL)
    {
      call->caller = g_object_ref (cancellable);
      /* Runs at once when it is cancelled already. */
      call->caller_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                               call->cancellable, NULL);
    }

  return task;
}

static GCancellable *
call_get_cancellable (GTask *task)
{
  return ((Call *) g_task_get_task_data (task))->cancellable;
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *key = secret_password_lookup_finish (result, &error);

  if (!call_claim (task))
    {
      g_clear_error (&error);
      mh_keyring_free_key (key);
    }
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, key, (GDestroyNotify) mh_keyring_free_key);
}

void
mh_keyring_lookup_async (GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task = call_new (cancellable, callback, user_data, mh_keyring_lookup_async);

  secret_password_lookup (get_schema (), call_get_cancellable (task), lookup_cb, task,
                          "service", SERVICE, NULL);
}

char *
mh_keyring_lookup_finish (GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean stored = secret_password_store_finish (result, &error);

  if (!call_claim (task))
    g_clear_error (&error);
  else if (!stored)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
mh_keyring_store_async (const char          *api_key,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task = call_new (cancellable, callback, user_data, mh_keyring_store_async);
  g_autofree char *trimmed = g_strstrip (g_strdup (api_key));

  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT,
                         _("Magic Hour API key"), trimmed, call_get_cancellable (task), store_cb, task,
                         "service", SERVICE, NULL);
  explicit_bzero (trimmed, strlen (trimmed));
}

gboolean
mh_keyring_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (!call_claim (task))
    g_clear_error (&error);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
mh_keyring_clear_async (GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task = call_new (cancellable, callback, user_data, mh_keyring_clear_async);

  secret_password_clear (get_schema (), call_get_cancellable (task), clear_cb, task,
                         "service", SERVICE, NULL);
}

gboolean
mh_keyring_clear_finish (GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
mh_keyring_free_key (char *api_key)
{
  if (api_key != NULL)
    secret_password_free (api_key);
}
