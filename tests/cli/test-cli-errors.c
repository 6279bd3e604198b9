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
#include "mh-test-errors.h"
#include "mh-test-util.h"

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

static void
test_row (Fixture       *f,
          gconstpointer  data)
{
  const MhTestErrorCase *c = data;
  const char *sentence = mh_test_error_case_sentence (c);
  const char *label = mh_test_error_case_label (c);
  g_autoptr(Run) run = NULL;
  g_autoptr(Run) json = NULL;
  g_autoptr(JsonObject) result = NULL;
  JsonObject *error;

  mh_test_error_case_serve (c, f->sim);
  run = run_cli (f, "headshot", "--image", f->photo, "-o", f->out);
  g_test_message ("%s", run->err);

  assert_contains (run->err, "Error: ");
  assert_contains (run->err, sentence);
  g_assert_cmpint (run->status, ==, c->row->exit_status);
  g_assert_cmpuint (mh_simulator_count_projects (f->sim), ==, 0);
  g_assert_cmpuint (count_files (f->out), ==, 0);
  if (label != NULL)
    {
      /* The link on the line under the sentence. */
      g_autofree char *line = g_strdup_printf ("\n%s: %s\n", label, MH_TEST_PRICING_URL);

      assert_contains (run->err, line);
    }
  else
    g_assert_null (strstr (run->err, "magichour.ai/pricing"));

  /* Scripts read the same sentence and link in the JSON result. */
  mh_test_error_case_serve (c, f->sim);
  json = run_cli (f, "--json", "headshot", "--image", f->photo, "-o", f->out);
  g_assert_cmpint (json->status, ==, c->row->exit_status);
  result = last_event (json);
  error = json_object_get_object_member (result, "error");
  g_assert_nonnull (error);
  assert_contains (json_object_get_string_member (error, "message"), sentence);
  if (label != NULL)
    g_assert_cmpstr (json_object_get_string_member_with_default (error, "link", NULL), ==,
                     MH_TEST_PRICING_URL);
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
 * 402 plan_upgrade_required; the sentence names the option and the plan it
 * needs (the tool table's min_plan). */
static void
test_plan_upgrade_names_option (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(Run) run = NULL;

  g_object_set (f->sim, "tier", "free", NULL);
  run = run_cli (f, "lip-sync", "--video", f->video, "--audio", f->speech,
                 "--start", "0", "--end", "2", "--mode", "pro", "-o", f->out);
  g_test_message ("%s", run->err);

  g_assert_cmpint (run->status, ==, 3);
  assert_contains (run->err, "Error: Lip Sync's Pro quality needs the Creator plan or higher. "
                             "Upgrade your plan on magichour.ai, or choose another option.\n"
                             "Upgrade Plan: " MH_TEST_PRICING_URL "\n");
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
  const MhTestErrorCase *cases;
  guint n_cases;

  /* Retried statuses are retried with backoff: a twentieth of it. */
  g_setenv ("MAGIC_HOUR_STUDIO_TIME_SCALE", "0.05", TRUE);
  g_test_init (&argc, &argv, NULL);

  cases = mh_test_error_cases (&n_cases);
  for (guint i = 0; i < n_cases; i++)
    {
      g_autofree char *name = mh_test_error_case_path (&cases[i]);
      g_autofree char *path = g_strconcat ("/cli/errors/", name, NULL);

      g_test_add (path, Fixture, &cases[i], fixture_setup, test_row, fixture_teardown);
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
