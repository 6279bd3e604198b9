/* test-tool.c: what the tool table says a job costs, which plan an option
 * needs, and what the server does by default (CONTRACT.md, December 2026)
 *
 * The cost line, the CLI's --dry-run and the account's checks before
 * Generate all read these functions: here they are held to the contract's
 * figures, one row a case.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "mh-params.h"
#include "mh-test-util.h"
#include "mh-tool.h"

typedef struct
{
  const char *tool_id;
  const char *mode;
  const char *start;
  const char *end;
  const char *max_fps;
  double      source_fps;
  gint64      at_create;
  gint64      settled;
} CostCase;

/* Talking Photo: 48 credits a second realistic, 20 prompted, whatever name
 * the mode is given by; Lip Sync: 1 or 2 credits a frame at 30 fps or the
 * lower limit, settling to the source's lower frame rate; Headshot: 50. */
static const CostCase cost_cases[] = {
  { .tool_id = "talking-photo", .start = "0", .end = "5", .at_create = 240, .settled = -1 },
  { .tool_id = "talking-photo", .mode = "realistic", .start = "1", .end = "6", .at_create = 240, .settled = -1 },
  { .tool_id = "talking-photo", .mode = "pro", .start = "0", .end = "5", .at_create = 240, .settled = -1 },
  { .tool_id = "talking-photo", .mode = "stable", .start = "0", .end = "300", .at_create = 14400, .settled = -1 },
  { .tool_id = "talking-photo", .mode = "prompted", .start = "0", .end = "5", .at_create = 100, .settled = -1 },
  { .tool_id = "talking-photo", .mode = "expressive", .start = "0", .end = "60", .at_create = 1200, .settled = -1 },
  { .tool_id = "talking-photo", .mode = "standard", .start = "0", .end = "0.1", .at_create = 2, .settled = -1 },
  /* A part of a second is charged up: 2.51 s × 48 = 120.48 → 121. */
  { .tool_id = "talking-photo", .start = "0", .end = "2.51", .at_create = 121, .settled = -1 },
  { .tool_id = "lip-sync", .start = "0", .end = "2.5", .at_create = 75, .settled = -1 },
  { .tool_id = "lip-sync", .mode = "standard", .start = "0", .end = "2.5", .at_create = 75, .settled = -1 },
  { .tool_id = "lip-sync", .mode = "pro", .start = "0", .end = "2.5", .at_create = 150, .settled = -1 },
  { .tool_id = "lip-sync", .mode = "pro", .start = "0", .end = "2", .max_fps = "24", .at_create = 96, .settled = -1 },
  { .tool_id = "lip-sync", .mode = "lite", .start = "0", .end = "2", .max_fps = "60", .at_create = 60, .settled = -1 },
  { .tool_id = "lip-sync", .mode = "lite", .start = "0", .end = "10", .source_fps = 24, .at_create = 300, .settled = 240 },
  { .tool_id = "lip-sync", .mode = "pro", .start = "0", .end = "10", .max_fps = "12", .source_fps = 24,
    .at_create = 240, .settled = -1 },
  { .tool_id = "lip-sync", .mode = "pro", .start = "0", .end = "1", .source_fps = 29.97, .at_create = 60, .settled = 60 },
  { .tool_id = "headshot", .at_create = 50, .settled = -1 },
};

static void
test_cost (gconstpointer data)
{
  const CostCase *c = data;
  const MhTool *tool = mh_tool_lookup (c->tool_id);
  g_autoptr(GHashTable) params = mh_test_params ("mode", c->mode, "start", c->start,
                                                 "end", c->end, "max-fps", c->max_fps, NULL);
  MhCostEstimate estimate;

  g_assert_nonnull (tool);
  g_assert_true (mh_tool_estimate_cost (tool, params, c->source_fps, &estimate));
  g_assert_cmpint (estimate.at_create, ==, c->at_create);
  g_assert_cmpint (estimate.settled, ==, c->settled);
  g_assert_true (estimate.per_frame == g_str_equal (c->tool_id, "lip-sync"));
}

/* Without a range there is nothing to price (and no made-up figure). */
static void
test_cost_unknown (void)
{
  const char *const ranges[][2] = { { NULL, NULL }, { "5", NULL }, { "5", "5" }, { "6", "5" } };

  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    {
      g_autoptr(GHashTable) params = mh_test_params ("start", ranges[i][0], "end", ranges[i][1], NULL);
      MhCostEstimate estimate;

      g_assert_false (mh_tool_estimate_cost (mh_tool_lookup ("talking-photo"), params, 0, &estimate));
      g_assert_cmpint (estimate.at_create, ==, -1);
      g_assert_false (mh_tool_estimate_cost (mh_tool_lookup ("lip-sync"), params, 0, &estimate));
      g_assert_cmpint (estimate.at_create, ==, -1);
    }
}

static void
test_cost_words (void)
{
  MhCostEstimate fixed = { .at_create = 50, .settled = -1 };
  MhCostEstimate one = { .at_create = 1, .settled = -1 };
  MhCostEstimate seconds = { .at_create = 240, .settled = -1 };
  MhCostEstimate frames = { .at_create = 75, .settled = -1, .per_frame = TRUE };
  MhCostEstimate settles = { .at_create = 300, .settled = 240, .per_frame = TRUE };
  MhCostEstimate unknown = { .at_create = -1, .settled = -1 };
  g_autofree char *a = mh_cost_estimate_describe (&fixed, TRUE);
  g_autofree char *b = mh_cost_estimate_describe (&one, TRUE);
  g_autofree char *c = mh_cost_estimate_describe (&seconds, FALSE);
  g_autofree char *d = mh_cost_estimate_describe (&frames, FALSE);
  g_autofree char *e = mh_cost_estimate_describe (&settles, FALSE);

  g_assert_cmpstr (a, ==, "Costs 50 credits.");
  g_assert_cmpstr (b, ==, "Costs 1 credit.");
  g_assert_cmpstr (c, ==, "About 240 credits.");
  g_assert_cmpstr (d, ==, "About 75 credits, an estimate: Magic Hour charges for the frames that render.");
  g_assert_cmpstr (e, ==, "About 300 credits at the start, settled to 240 credits for the video’s frame rate.");
  g_assert_null (mh_cost_estimate_describe (&unknown, FALSE));
}

/* Plans rank free < creator < pro < business; an unknown tier is taken as
 * the lowest, never as a paid one. */
static void
test_plans (void)
{
  const MhOption *mode = mh_tool_find_option (mh_tool_lookup ("lip-sync"), "mode");

  g_assert_null (mh_option_find_choice (mode, "lite")->min_plan);
  g_assert_null (mh_option_find_choice (mode, "standard")->min_plan);
  g_assert_cmpstr (mh_option_find_choice (mode, "pro")->min_plan, ==, "creator");

  g_assert_false (mh_plan_allows ("free", "creator"));
  g_assert_true (mh_plan_allows ("creator", "creator"));
  g_assert_true (mh_plan_allows ("pro", "creator"));
  g_assert_true (mh_plan_allows ("business", "creator"));
  g_assert_true (mh_plan_allows ("free", NULL));
  g_assert_false (mh_plan_allows ("gold", "creator"));
  g_assert_false (mh_plan_allows (NULL, "creator"));
  g_assert_cmpstr (mh_plan_label ("pro"), ==, "Pro plan");
  g_assert_cmpstr (mh_plan_label ("free"), ==, "Free plan");
  g_assert_cmpstr (mh_plan_name ("creator"), ==, "Creator");
}

/* The resolution's unset default as each mode (or alias) says it. */
static void
test_defaults (void)
{
  const MhTool *tool = mh_tool_lookup ("talking-photo");
  const MhOption *resolution = mh_tool_find_option (tool, "resolution");
  const struct { const char *mode; const char *said; } cases[] = {
    { NULL, "Default: your plan’s best, at most 720p" },
    { "realistic", "Default: your plan’s best, at most 720p" },
    { "stable", "Default: your plan’s best, at most 720p" },
    { "prompted", "Default: 480p" },
    { "standard", "Default: 480p" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GHashTable) params = mh_test_params ("mode", cases[i].mode, NULL);

      g_assert_cmpstr (mh_tool_describe_default (tool, resolution, params), ==, cases[i].said);
    }
  g_assert_null (mh_tool_describe_default (tool, mh_tool_find_option (tool, "mode"), NULL));
}

/* max_resolution as the API maps it: below 1280 px 480p, else 720p. */
static void
test_replacement (void)
{
  const MhOption *option = mh_tool_find_option (mh_tool_lookup ("talking-photo"), "max-resolution");

  g_assert_true (option->deprecated);
  g_assert_cmpstr (option->replaced_by, ==, "resolution");
  g_assert_cmpstr (mh_option_map_replacement (option, 64), ==, "480p");
  g_assert_cmpstr (mh_option_map_replacement (option, 1279), ==, "480p");
  g_assert_cmpstr (mh_option_map_replacement (option, 1280), ==, "720p");
  g_assert_cmpstr (mh_option_map_replacement (option, 4096), ==, "720p");
  g_assert_null (mh_option_map_replacement (mh_tool_find_option (mh_tool_lookup ("lip-sync"), "max-fps"), 10));
  g_assert_true (mh_tool_find_option (mh_tool_lookup ("talking-photo"), "intensity")->deprecated);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cost_cases); i++)
    {
      const CostCase *c = &cost_cases[i];
      g_autofree char *path = g_strdup_printf ("/tool/cost/%s/%s-%s-%s%s%s-%g", c->tool_id,
                                               c->mode != NULL ? c->mode : "default",
                                               c->start != NULL ? c->start : "",
                                               c->end != NULL ? c->end : "",
                                               c->max_fps != NULL ? "-fps" : "",
                                               c->max_fps != NULL ? c->max_fps : "",
                                               c->source_fps);

      g_test_add_data_func (path, c, test_cost);
    }
  g_test_add_func ("/tool/cost/unknown", test_cost_unknown);
  g_test_add_func ("/tool/cost/words", test_cost_words);
  g_test_add_func ("/tool/plans", test_plans);
  g_test_add_func ("/tool/defaults", test_defaults);
  g_test_add_func ("/tool/replacement", test_replacement);

  return g_test_run ();
}
