/* mh-sim-account.c: the simulator's account
 *
 * GET /v1/account (December 2026): id, email, tier, credits and the
 * subscription (null on the free plan), and the tier the rest of the
 * simulator serves the account as.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mh-sim-private.h"

/* The paid plans: what each subscription is called and costs (smallest
 * currency unit, per month). */
static const struct
{
  const char *tier;
  const char *name;
  gint64      amount;
} plans[] = {
  { "creator", "Creator", 1200 },
  { "pro", "Pro", 4900 },
  { "business", "Business", 24900 },
};

const char *
sim_account_tier (MhSimulator *self)
{
  return self->past_due ? "free" : self->tier;
}

/* The subscription renews at the start of the next month (UTC): a date that
 * is always ahead and the same all month long. */
static char *
period_end (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  int year = g_date_time_get_year (now);
  int month = g_date_time_get_month (now);
  g_autoptr(GDateTime) end = g_date_time_new_utc (month == 12 ? year + 1 : year,
                                                  month == 12 ? 1 : month + 1, 1, 0, 0, 0);

  return sim_format_iso8601 (g_date_time_to_unix (end) * G_USEC_PER_SEC);
}

static JsonNode *
subscription_to_json (MhSimulator *self)
{
  JsonObject *object;
  JsonObject *price;
  JsonNode *node;
  g_autofree char *end = NULL;
  guint plan = 0;
  gboolean found = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (plans); i++)
    if (g_str_equal (self->tier, plans[i].tier))
      {
        plan = i;
        found = TRUE;
      }

  /* The free plan has no subscription, unless its payment is past due:
   * then it is the Creator plan's. */
  if (!found && !self->past_due)
    return json_node_new (JSON_NODE_NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "name", plans[plan].name);
  json_object_set_string_member (object, "status", self->past_due ? "past_due" : "active");
  price = json_object_new ();
  json_object_set_int_member (price, "amount", plans[plan].amount);
  json_object_set_string_member (price, "currency", "usd");
  json_object_set_object_member (object, "price", price);
  json_object_set_null_member (object, "discount");
  json_object_set_string_member (object, "billing_interval", "month");
  end = period_end ();
  json_object_set_string_member (object, "current_period_end", end);
  json_object_set_boolean_member (object, "cancel_at_period_end", FALSE);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);

  return node;
}

void
sim_handle_account (MhSimulator *self,
                    SimExchange *ex)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  sim_settle_projects (self);
  json_object_set_string_member (object, "id", "cm0simulatoraccount000001");
  json_object_set_string_member (object, "email", "demo@example.com");
  json_object_set_string_member (object, "tier", sim_account_tier (self));
  json_object_set_int_member (object, "credits", MAX (self->credits, 0));
  json_object_set_member (object, "subscription", subscription_to_json (self));
  json_node_take_object (node, object);

  sim_respond_json (ex, SOUP_STATUS_OK, node);
}
