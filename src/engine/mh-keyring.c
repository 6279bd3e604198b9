/* mh-keyring.c: the API key in the user's keyring (libsecret)
 *
 * The key is stored only through the Secret Service (or libsecret's portal
 * backend inside Flatpak), never in a settings file.
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

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *key = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, key, (GDestroyNotify) mh_keyring_free_key);
}

void
mh_keyring_lookup_async (GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, mh_keyring_lookup_async);
  secret_password_lookup (get_schema (), cancellable, lookup_cb, task,
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

  if (!secret_password_store_finish (result, &error))
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
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *trimmed = g_strstrip (g_strdup (api_key));

  g_task_set_source_tag (task, mh_keyring_store_async);
  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT,
                         _("Magic Hour API key"), trimmed, cancellable, store_cb, task,
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
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
mh_keyring_clear_async (GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, mh_keyring_clear_async);
  secret_password_clear (get_schema (), cancellable, clear_cb, task, "service", SERVICE, NULL);
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
