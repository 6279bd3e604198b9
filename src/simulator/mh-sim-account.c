/* mh-sim-account.c: the simulator's account
 *
 * GET /v1/account.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mh-sim-private.h"

void
sim_handle_account (MhSimulator *self,
                    SimExchange *ex)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  sim_settle_projects (self);
  json_object_set_string_member (object, "id", "cm0simulatoraccount000001");
  json_object_set_string_member (object, "email", "demo@example.com");
  json_object_set_string_member (object, "name", "Demo");
  json_object_set_int_member (object, "credits", self->credits);
  json_object_set_string_member (object, "tier", self->tier);
  json_node_take_object (node, object);

  sim_respond_json (ex, SOUP_STATUS_OK, node);
}
