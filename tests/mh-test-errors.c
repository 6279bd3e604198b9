/* mh-test-errors.c: the contract's error table, as the tests serve it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "mh-test-errors.h"

#define CREDITS "does not have enough credits for this job. Buy credits on magichour.ai"

static const MhTestErrorRow rows[] = {
  { "400", 400, "invalid_request", "Magic Hour refused the request", NULL, NULL, NULL, 3 },
  { "401", 401, "unauthorized", "the API key was not accepted", NULL, NULL, NULL, 3 },
  { "402-insufficient-credits", 402, "insufficient_credits", CREDITS, NULL,
    "Buy Credits", "Buy Credits", 3 },
  { "402-subscription-required", 402, "subscription_required",
    "needs a paid Magic Hour subscription. Subscribe on magichour.ai", CREDITS,
    "Subscribe", "Buy Credits", 3 },
  { "402-plan-upgrade-required", 402, "plan_upgrade_required",
    "needs a higher plan than your account's. Upgrade your plan on magichour.ai", CREDITS,
    "Upgrade Plan", "Buy Credits", 3 },
  { "403", 403, NULL, "this feature is not on your plan", NULL, NULL, NULL, 3 },
  { "404", 404, "not_found", "Magic Hour does not know this project", NULL, NULL, NULL, 3 },
  { "422", 422, "unprocessable_entity", "Magic Hour could not use the input", NULL, NULL, NULL, 3 },
  { "429", 429, NULL, "receiving too many requests from this key", NULL, NULL, NULL, 4 },
  /* A 500 to a create may have made the project: it is not sent again. */
  { "500", 500, "internal_server_error", "may or may not have been created", NULL, NULL, NULL, 4 },
  { "502", 502, NULL, "server had a problem (HTTP 502)", NULL, NULL, NULL, 4 },
  { "503", 503, NULL, "server had a problem (HTTP 503)", NULL, NULL, NULL, 4 },
};

const MhTestErrorCase *
mh_test_error_cases (guint *n_cases)
{
  static MhTestErrorCase cases[G_N_ELEMENTS (rows) * 2];

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      cases[i].row = &rows[i / 2];
      cases[i].legacy = i % 2;
    }
  *n_cases = G_N_ELEMENTS (cases);
  return cases;
}

char *
mh_test_error_case_path (const MhTestErrorCase *c)
{
  return g_strdup_printf ("%s/%s", c->row->name, c->legacy ? "without-code" : "with-code");
}

const char *
mh_test_error_case_sentence (const MhTestErrorCase *c)
{
  return c->legacy && c->row->legacy != NULL ? c->row->legacy : c->row->sentence;
}

const char *
mh_test_error_case_label (const MhTestErrorCase *c)
{
  return c->legacy ? c->row->legacy_label : c->row->link_label;
}

void
mh_test_error_case_serve (const MhTestErrorCase *c,
                          MhSimulator           *sim)
{
  const char *message = c->row->status == 402 && g_strcmp0 (c->row->code, "plan_upgrade_required") != 0
    ? "plan_upgrade_required: upgrade your plan"
    : "insufficient_credits: not enough credits";

  g_object_set (sim, "legacy-errors", c->legacy, NULL);
  mh_simulator_clear_faults (sim);
  /* Enough for every attempt of a retried status. */
  mh_simulator_add_status_fault (sim, MH_SIM_ENDPOINT_CREATE, 50, c->row->status,
                                 c->row->code != NULL ? c->row->code : "-", message);
}
