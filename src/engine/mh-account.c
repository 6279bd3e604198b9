/* mh-account.c: the Magic Hour account, as GET /v1/account tells it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mh-account.h"
#include "mh-tool.h"

struct _MhAccount
{
  GObject    parent_instance;

  gboolean   available;
  gint64     credits;
  char      *tier;
  char      *email;
  char      *subscription_status;
  char      *subscription_name;
  char      *billing_interval;
  GDateTime *current_period_end;
  gboolean   cancel_at_period_end;

  guint      generation;   /* of the latest refresh started */
};

G_DEFINE_FINAL_TYPE (MhAccount, mh_account, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_AVAILABLE,
  PROP_CREDITS,
  PROP_TIER,
  PROP_EMAIL,
  PROP_SUBSCRIPTION_STATUS,
  PROP_SUBSCRIPTION_NAME,
  PROP_BILLING_INTERVAL,
  PROP_CURRENT_PERIOD_END,
  PROP_CANCEL_AT_PERIOD_END,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
mh_account_finalize (GObject *object)
{
  MhAccount *self = MH_ACCOUNT (object);

  g_free (self->tier);
  g_free (self->email);
  g_free (self->subscription_status);
  g_free (self->subscription_name);
  g_free (self->billing_interval);
  g_clear_pointer (&self->current_period_end, g_date_time_unref);

  G_OBJECT_CLASS (mh_account_parent_class)->finalize (object);
}

static void
mh_account_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  MhAccount *self = MH_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_CREDITS:
      g_value_set_int64 (value, self->credits);
      break;
    case PROP_TIER:
      g_value_set_string (value, self->tier);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_SUBSCRIPTION_STATUS:
      g_value_set_string (value, self->subscription_status);
      break;
    case PROP_SUBSCRIPTION_NAME:
      g_value_set_string (value, self->subscription_name);
      break;
    case PROP_BILLING_INTERVAL:
      g_value_set_string (value, self->billing_interval);
      break;
    case PROP_CURRENT_PERIOD_END:
      g_value_set_boxed (value, self->current_period_end);
      break;
    case PROP_CANCEL_AT_PERIOD_END:
      g_value_set_boolean (value, self->cancel_at_period_end);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_account_class_init (MhAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = mh_account_finalize;
  object_class->get_property = mh_account_get_property;

  properties[PROP_AVAILABLE] =
    g_param_spec_boolean ("available", NULL, NULL, FALSE, flags);
  properties[PROP_CREDITS] =
    g_param_spec_int64 ("credits", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_TIER] =
    g_param_spec_string ("tier", NULL, NULL, NULL, flags);
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL, flags);
  properties[PROP_SUBSCRIPTION_STATUS] =
    g_param_spec_string ("subscription-status", NULL, NULL, NULL, flags);
  properties[PROP_SUBSCRIPTION_NAME] =
    g_param_spec_string ("subscription-name", NULL, NULL, NULL, flags);
  properties[PROP_BILLING_INTERVAL] =
    g_param_spec_string ("billing-interval", NULL, NULL, NULL, flags);
  properties[PROP_CURRENT_PERIOD_END] =
    g_param_spec_boxed ("current-period-end", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_CANCEL_AT_PERIOD_END] =
    g_param_spec_boolean ("cancel-at-period-end", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* After a refresh has finished and its properties have notified. */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
mh_account_init (MhAccount *self)
{
  self->credits = -1;
}

MhAccount *
mh_account_new (void)
{
  return g_object_new (MH_TYPE_ACCOUNT, NULL);
}

static void
set_string (MhAccount  *self,
            char      **field,
            const char *value,
            guint       prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_boolean (MhAccount *self,
             gboolean  *field,
             gboolean   value,
             guint      prop)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_credits (MhAccount *self,
             gint64     credits)
{
  if (self->credits == credits)
    return;
  self->credits = credits;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREDITS]);
}

static void
set_period_end (MhAccount *self,
                GDateTime *when)
{
  if (self->current_period_end == when ||
      (self->current_period_end != NULL && when != NULL &&
       g_date_time_equal (self->current_period_end, when)))
    return;
  g_clear_pointer (&self->current_period_end, g_date_time_unref);
  if (when != NULL)
    self->current_period_end = g_date_time_ref (when);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_PERIOD_END]);
}

/* A string member, NULL when absent, null or of another type. */
static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static gint64
get_credits (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "credits");
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return MAX (json_node_get_int (node), 0);
  if (type == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);

      if (value >= 0 && value < (double) G_MAXINT64)
        return (gint64) value;
    }
  return -1;
}

static gboolean
get_boolean (JsonObject *object,
             const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return FALSE;
  node = json_object_get_member (object, member);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  return json_node_get_boolean (node);
}

void
mh_account_update_from_json (MhAccount *self,
                             JsonNode  *node)
{
  JsonObject *object = NULL;
  JsonObject *subscription;
  const char *period_end;
  g_autoptr(GDateTime) when = NULL;

  g_return_if_fail (MH_IS_ACCOUNT (self));

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    object = json_node_get_object (node);
  subscription = get_object (object, "subscription");
  period_end = get_string (subscription, "current_period_end");
  if (period_end != NULL)
    when = g_date_time_new_from_iso8601 (period_end, NULL);

  g_object_freeze_notify (G_OBJECT (self));
  set_boolean (self, &self->available, object != NULL, PROP_AVAILABLE);
  set_credits (self, object != NULL ? get_credits (object) : -1);
  set_string (self, &self->tier, get_string (object, "tier"), PROP_TIER);
  set_string (self, &self->email, get_string (object, "email"), PROP_EMAIL);
  set_string (self, &self->subscription_status, get_string (subscription, "status"),
              PROP_SUBSCRIPTION_STATUS);
  set_string (self, &self->subscription_name, get_string (subscription, "name"),
              PROP_SUBSCRIPTION_NAME);
  set_string (self, &self->billing_interval, get_string (subscription, "billing_interval"),
              PROP_BILLING_INTERVAL);
  set_period_end (self, when);
  set_boolean (self, &self->cancel_at_period_end,
               get_boolean (subscription, "cancel_at_period_end"),
               PROP_CANCEL_AT_PERIOD_END);
  g_object_thaw_notify (G_OBJECT (self));

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
mh_account_clear (MhAccount *self)
{
  g_return_if_fail (MH_IS_ACCOUNT (self));

  /* A refresh still under way asked with the old key or address: its
   * answer must not bring back what was just forgotten. */
  self->generation++;
  mh_account_update_from_json (self, NULL);
}

static void
refresh_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MhAccount *self = g_task_get_source_object (task);
  guint generation = GPOINTER_TO_UINT (g_task_get_task_data (task));
  GError *error = NULL;
  g_autoptr(JsonNode) node = mh_client_get_account_finish (MH_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }

  /* A newer refresh has the last word. */
  if (generation == self->generation)
    mh_account_update_from_json (self, error == NULL ? node : NULL);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
mh_account_refresh_async (MhAccount           *self,
                          MhClient            *client,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MH_IS_ACCOUNT (self));
  g_return_if_fail (MH_IS_CLIENT (client));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mh_account_refresh_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (++self->generation), NULL);
  mh_client_get_account_async (client, cancellable, refresh_cb, task);
}

gboolean
mh_account_refresh_finish (MhAccount     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
mh_account_get_available (MhAccount *self)
{
  g_return_val_if_fail (MH_IS_ACCOUNT (self), FALSE);
  return self->available;
}

gint64
mh_account_get_credits (MhAccount *self)
{
  g_return_val_if_fail (MH_IS_ACCOUNT (self), -1);
  return self->credits;
}

const char *
mh_account_get_tier (MhAccount *self)
{
  g_return_val_if_fail (MH_IS_ACCOUNT (self), NULL);
  return self->tier;
}

const char *
mh_account_get_email (MhAccount *self)
{
  g_return_val_if_fail (MH_IS_ACCOUNT (self), NULL);
  return self->email;
}

const char *
mh_account_get_subscription_status (MhAccount *self)
{
  g_return_val_if_fail (MH_IS_ACCOUNT (self), NULL);
  return self->subscription_status;
}

const char *
mh_account_get_subscription_name (MhAccount *self)
{
  g_return_val_if_fail (MH_IS_ACCOUNT (self), NULL);
  return self->subscription_name;
}

const char *
mh_account_get_billing_interval (MhAccount *self)
{
  g_return_val_if_fail (MH_IS_ACCOUNT (self), NULL);
  return self->billing_interval;
}

GDateTime *
mh_account_get_current_period_end (MhAccount *self)
{
  g_return_val_if_fail (MH_IS_ACCOUNT (self), NULL);
  return self->current_period_end;
}

gboolean
mh_account_get_cancel_at_period_end (MhAccount *self)
{
  g_return_val_if_fail (MH_IS_ACCOUNT (self), FALSE);
  return self->cancel_at_period_end;
}

gboolean
mh_account_is_past_due (MhAccount *self)
{
  g_return_val_if_fail (MH_IS_ACCOUNT (self), FALSE);
  return g_strcmp0 (self->subscription_status, "past_due") == 0;
}

char *
mh_account_dup_summary (MhAccount *self)
{
  g_autofree char *number = NULL;
  g_autofree char *credits = NULL;

  g_return_val_if_fail (MH_IS_ACCOUNT (self), NULL);

  if (!self->available)
    return NULL;
  if (self->credits >= 0)
    {
      number = mh_format_credits (self->credits);
      /* TRANSLATORS: the account's balance: "1,250 credits" */
      credits = g_strdup_printf (ngettext ("%s credit", "%s credits",
                                           (gulong) MIN (self->credits, G_MAXLONG)),
                                 number);
    }
  if (self->tier == NULL)
    return g_steal_pointer (&credits);
  if (credits == NULL)
    return g_strdup (mh_plan_label (self->tier));
  /* TRANSLATORS: "1,250 credits · Pro plan" */
  return g_strdup_printf (_("%s · %s"), credits, mh_plan_label (self->tier));
}

const char *
mh_account_get_past_due_message (MhAccount *self)
{
  g_return_val_if_fail (MH_IS_ACCOUNT (self), NULL);

  if (!self->available || !mh_account_is_past_due (self))
    return NULL;
  return _("Your last payment did not go through; Magic Hour treats the account as Free until it is paid.");
}
