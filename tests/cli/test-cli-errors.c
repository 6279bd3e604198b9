/* test-cli-errors.c: each error answer of the API, as the CLI says it
 *
 * Every row of the contract's error table (Transport, December 2026) is
 * served by the simulator to a create, once with its `code` and once as an
 * older answer without one (--legacy-errors). What is checked is what a
 * person or a script sees: the sentence on stderr, the link under it for a
 * refusal of the account, and the exit status. The `message` of each answer
 * is written to mislead: nothing may be read from it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "mh-cli-test-util.h"
#include "mh-test-util.h"

#define PRICING "https://magichour.ai/pricing"

typedef struct
{
  const char *name;
  guint       status;
  const char *code;           /* NULL: the row has none */
  const char *sentence;       /* with the code */
  const char *legacy;         /* without it; NULL: the same */
  const char *link_label;     /* with the code; NULL: no link */
  const char *legacy_label;   /* without it */
  int         exit_status;
} Row;

static const Row rows[] = {
  { "400", 400, "invalid_request", "Magic Hour refused the request", NULL, NULL, NULL, 3 },
  { "401", 401, "unauthorized", "the API key was not accepted", NULL, NULL, NULL, 3 },
  { "402-insufficient-credits", 402, "insufficient_credits",
    "does not have enough credits for this job. Buy credits on magichour.ai", NULL,
    "Buy Credits", "Buy Credits", 3 },
  { "402-subscription-required", 402, "subscription_required",
    "needs a paid Magic Hour subscription. Subscribe on magichour.ai",
    "does not have enough credits for this job. Buy credits on magichour.ai",
    "Subscribe", "Buy Credits", 3 },
  { "402-plan-upgrade-required", 402, "plan_upgrade_required",
    "needs a higher plan than your account's. Upgrade your plan on magichour.ai",
    "does not have enough credits for this job. Buy credits on magichour.ai",
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

typedef struct
{
  const Row *row;
  gboolean   legacy;
} Case;

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

/* The answer's message names another refusal: a client that read it would
 * say the wrong thing. */
static const char *
misleading_message (const Row *row)
{
  return row->status == 402 && g_strcmp0 (row->code, "plan_upgrade_required") != 0
    ? "plan_upgrade_required: upgrade your plan"
    : "insufficient_credits: not enough credits";
}

static void
test_row (Fixture       *f,
          gconstpointer  data)
{
  const Case *c = data;
  const Row *row = c->row;
  const char *sentence = c->legacy && row->legacy != NULL ? row->legacy : row->sentence;
  const char *label = c->legacy ? row->legacy_label : row->link_label;
  g_autoptr(Run) run = NULL;
  g_autoptr(Run) json = NULL;
  g_autoptr(JsonObject) result = NULL;
  JsonObject *error;

  g_object_set (f->sim, "legacy-errors", c->legacy, NULL);
  /* Enough for every attempt of a retried status. */
  mh_simulator_add_status_fault (f->sim, MH_SIM_ENDPOINT_CREATE, 50, row->status,
                                 row->code != NULL ? row->code : "-", misleading_message (row));
  run = run_cli (f, "headshot", "--image", f->photo, "-o", f->out);
  g_test_message ("%s", run->err);

  assert_contains (run->err, "Error: ");
  assert_contains (run->err, sentence);
  g_assert_cmpint (run->status, ==, row->exit_status);
  g_assert_cmpuint (mh_simulator_count_projects (f->sim), ==, 0);
  g_assert_cmpuint (count_files (f->out), ==, 0);
  if (label != NULL)
    {
      /* The link on the line under the sentence. */
      g_autofree char *line = g_strdup_printf ("\n%s: %s\n", label, PRICING);

      assert_contains (run->err, line);
    }
  else
    g_assert_null (strstr (run->err, "magichour.ai/pricing"));

  /* Scripts read the same sentence and link in the JSON result. */
  mh_simulator_clear_faults (f->sim);
  mh_simulator_add_status_fault (f->sim, MH_SIM_ENDPOINT_CREATE, 50, row->status,
                                 row->code != NULL ? row->code : "-", misleading_message (row));
  json = run_cli (f, "--json", "headshot", "--image", f->photo, "-o", f->out);
  g_assert_cmpint (json->status, ==, row->exit_status);
  result = last_event (json);
  error = json_object_get_object_member (result, "error");
  g_assert_nonnull (error);
  assert_contains (json_object_get_string_member (error, "message"), sentence);
  if (label != NULL)
    g_assert_cmpstr (json_object_get_string_member_with_default (error, "link", NULL), ==, PRICING);
  else
    g_assert_false (json_object_has_member (error, "link"));
}

/* A render that ends in an error: the three codes new in December 2026
 * have sentences of their own (not the API's message); a code this client
 * does not know quotes the API's message. */
static const struct
{
  const char *code;
  const char *sentence;
  const char *api_message;   /* what the simulator says for it */
} render_codes[] = {
  { "content_policy_violation", "an input breaks its content policy",
    "The input was flagged by the content policy." },
  { "text_too_long", "The text is longer than Magic Hour allows",
    "The text is too long." },
  { "invalid_voice", "Magic Hour does not know the chosen voice",
    "The voice is not valid." },
  { "gpu_melted", "The render failed: The render failed.", NULL },
};

static void
test_render_code (Fixture       *f,
                  gconstpointer  data)
{
  guint i = GPOINTER_TO_UINT (data);
  g_autoptr(Run) run = NULL;

  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_RENDER_ERROR, 1, 0,
                          render_codes[i].code);
  run = run_cli (f, "headshot", "--image", f->photo, "-o", f->out);
  g_test_message ("%s", run->err);

  g_assert_cmpint (run->status, ==, 1);
  assert_contains (run->err, "Error: ");
  assert_contains (run->err, render_codes[i].sentence);
  if (render_codes[i].api_message != NULL)
    g_assert_null (strstr (run->err, render_codes[i].api_message));
  g_assert_null (strstr (run->err, render_codes[i].code));
  g_assert_null (strstr (run->err, "magichour.ai/pricing"));
  assert_contains (run->err, "Project ID: ");
}

/* Lip Sync's Pro on a free plan: the simulator refuses it by itself with
 * 402 plan_upgrade_required; the sentence names the option when the tool
 * table says which plan it needs. */
static void
test_plan_upgrade_names_option (Fixture       *f,
                                gconstpointer  data)
{
  const MhOption *mode = mh_tool_find_option (mh_tool_lookup ("lip-sync"), "mode");
  const MhChoice *pro = mh_option_find_choice (mode, "pro");
  g_autoptr(Run) run = NULL;

  g_object_set (f->sim, "tier", "free", NULL);
  run = run_cli (f, "lip-sync", "--video", f->video, "--audio", f->speech,
                 "--start", "0", "--end", "2", "--mode", "pro", "-o", f->out);
  g_test_message ("%s", run->err);

  g_assert_cmpint (run->status, ==, 3);
  if (pro->min_plan != NULL)
    assert_contains (run->err, "Lip Sync's Pro quality needs the Creator plan or higher. "
                               "Upgrade your plan on magichour.ai");
  else
    assert_contains (run->err, "needs a higher plan than your account's. Upgrade your plan on magichour.ai");
  assert_contains (run->err, "\nUpgrade Plan: " PRICING "\n");
  g_assert_cmpuint (mh_simulator_count_projects (f->sim), ==, 0);
}

/* A video project that is a template is kept: `delete` says so, exits 3,
 * and the history does not call it deleted. */
static void
test_delete_template (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Run) created = NULL;
  g_autoptr(Run) deleted = NULL;
  g_autoptr(Run) again = NULL;
  g_autoptr(JsonObject) result = NULL;
  const char *id;

  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_TEMPLATE, 1, 0, NULL);
  created = run_cli (f, "--json", "talking-photo", "--image", f->photo, "--audio", f->speech,
                     "--start", "0", "--end", "2", "--no-download");
  g_assert_cmpint (created->status, ==, 0);
  result = last_event (created);
  id = json_object_get_string_member (result, "project_id");

  deleted = run_cli (f, "delete", id);
  g_test_message ("%s", deleted->err);
  g_assert_cmpint (deleted->status, ==, 3);
  assert_contains (deleted->err, "Error: This video project is a template at Magic Hour, and templates cannot be deleted. It was kept.");
  g_assert_null (strstr (deleted->out, "Deleted project"));

  /* Its status is still there to read: nothing was deleted. */
  again = run_cli (f, "status", id);
  g_assert_cmpint (again->status, ==, 0);
  g_assert_null (strstr (again->out, "This project was deleted."));
}

int
main (int   argc,
      char *argv[])
{
  static Case cases[G_N_ELEMENTS (rows) * 2];

  /* Retried statuses are retried with backoff: a twentieth of it. */
  g_setenv ("MAGIC_HOUR_STUDIO_TIME_SCALE", "0.05", TRUE);
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    for (guint legacy = 0; legacy < 2; legacy++)
      {
        Case *c = &cases[i * 2 + legacy];
        g_autofree char *path = g_strdup_printf ("/cli/errors/%s/%s", rows[i].name,
                                                 legacy ? "without-code" : "with-code");

        c->row = &rows[i];
        c->legacy = legacy;
        g_test_add (path, Fixture, c, fixture_setup, test_row, fixture_teardown);
      }
  for (guint i = 0; i < G_N_ELEMENTS (render_codes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/errors/render/%s", render_codes[i].code);

      g_test_add (path, Fixture, GUINT_TO_POINTER (i), fixture_setup, test_render_code,
                  fixture_teardown);
    }
  g_test_add ("/cli/errors/plan-upgrade-names-option", Fixture, NULL, fixture_setup,
              test_plan_upgrade_names_option, fixture_teardown);
  g_test_add ("/cli/errors/delete-template", Fixture, NULL, fixture_setup,
              test_delete_template, fixture_teardown);

  return g_test_run ();
}
