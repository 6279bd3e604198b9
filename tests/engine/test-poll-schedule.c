/* test-poll-schedule.c: the status checks each tool's schedule makes for
 * today's render times, against the Node SDK's fixed half second
 *
 * Issue 13 and CONTRACT.md, section 3: for renders of 6, 16, 20, 41 and
 * 90 s (the p50s of 28 September 2026 and short ones), a video tool makes at
 * most a fifth of the SDK's status calls, an image tool at most a third,
 * and every tool notices the end of the render within 5 s. The check times
 * are computed from the tool table with mh_poll_policy_interval(), the
 * function the job itself waits by, so this needs no clock and no server;
 * test-job.c runs the same schedule against the simulator and bench/polling
 * measures it through a counting proxy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "mh-test-util.h"
#include "mh-tool.h"

static const double render_lengths[] = { 6, 16, 20, 41, 90 };

/* A request's round trip: none, and a slow network. The server sees the
 * request halfway through it. */
static const double round_trips[] = { 0.0, 0.1 };

#define NOTICE_LIMIT 5.0
#define SDK_INTERVAL 0.5

typedef struct
{
  guint  checks;
  double noticed;       /* seconds from the end of the render to the answer "complete" */
  double max_interval;  /* the longest wait between two checks */
} Checks;

/* The status checks a job makes for a render of @render seconds, each
 * taking @round_trip: the first @first after the create, each next one
 * @policy's interval after the answer to the one before (as mh-job-poll.c
 * does). With @policy NULL, the SDK's loop: a check at once, then every
 * half second after the answer, with no end. */
static Checks
count_checks (const MhPollPolicy *policy,
              double              render,
              double              round_trip)
{
  Checks out = { 0, 0, 0 };
  double sent = policy != NULL ? policy->first : 0;

  for (;;)
    {
      double answered = sent + round_trip;
      double wait;

      out.checks++;
      g_assert_cmpuint (out.checks, <, 10000);
      if (sent + round_trip / 2 >= render)
        {
          out.noticed = answered - render;
          return out;
        }
      wait = policy != NULL ? mh_poll_policy_interval (policy, answered) : SDK_INTERVAL;
      out.max_interval = MAX (out.max_interval, wait);
      sent = answered + wait;
    }
}

/* The SDK's count on an instant network is 2T + 1: the model above is it. */
static void
test_sdk_model (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (render_lengths); i++)
    {
      double render = render_lengths[i];

      g_assert_cmpuint (count_checks (NULL, render, 0).checks, ==, (guint) (2 * render + 1));
    }
}

static void
test_targets (gconstpointer data)
{
  const MhTool *tool = data;
  const MhPollPolicy *policy = &tool->poll;
  /* At most a fifth of the SDK's calls for a video, a third for an image. */
  guint share = tool->kind == MH_PROJECT_VIDEO ? 5 : 3;

  for (guint r = 0; r < G_N_ELEMENTS (round_trips); r++)
    for (guint i = 0; i < G_N_ELEMENTS (render_lengths); i++)
      {
        double render = render_lengths[i];
        Checks cli = count_checks (policy, render, round_trips[r]);
        Checks sdk = count_checks (NULL, render, round_trips[r]);

        g_test_message ("%s, render %2.0f s, round trip %.1f s: %2u status checks, the SDK %3u "
                        "(%.2f, at most 1/%u); noticed after %.2f s",
                        tool->id, render, round_trips[r], cli.checks, sdk.checks,
                        cli.checks / (double) sdk.checks, share, cli.noticed);
        if (round_trips[r] == 0)
          g_assert_cmpuint (sdk.checks, ==, (guint) (2 * render + 1));
        g_assert_cmpuint (cli.checks * share, <=, sdk.checks);
        g_assert_cmpfloat (cli.noticed, >=, 0);
        g_assert_cmpfloat (cli.noticed, <=, NOTICE_LIMIT);
      }
}

/* Whatever the render's length, one that ends just after a check is noticed
 * at the next: the longest interval, plus a second for the request on a slow
 * or busy network, stays within the 5 s. The first check, too, comes within
 * 5 s of the create. */
static void
test_any_length (gconstpointer data)
{
  const MhTool *tool = data;
  const MhPollPolicy *policy = &tool->poll;

  g_assert_cmpfloat (policy->first, >, 0);
  g_assert_cmpfloat (policy->first, <=, NOTICE_LIMIT);
  g_assert_cmpfloat (policy->min, >, 0);
  g_assert_cmpfloat (policy->min, <=, policy->max);
  g_assert_cmpfloat (policy->max + 1.0, <=, NOTICE_LIMIT);

  /* Every length up to 10 minutes, in 0.25 s steps. */
  for (double render = 0.25; render <= 600; render += 0.25)
    {
      Checks cli = count_checks (policy, render, 0);

      g_assert_cmpfloat (cli.max_interval, <=, policy->max);
      g_assert_cmpfloat (cli.noticed, <=, MAX (policy->first - render, policy->max));
    }
}

/* The docs' advice on when to give up: after 10 to 30 minutes. */
static void
test_timeout (gconstpointer data)
{
  const MhTool *tool = data;

  g_assert_cmpfloat (tool->poll.timeout, >=, 10 * 60);
  g_assert_cmpfloat (tool->poll.timeout, <=, 30 * 60);
}

int
main (int   argc,
      char *argv[])
{
  const MhTool *const *tools;
  guint n_tools;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/poll-schedule/sdk-model", test_sdk_model);
  tools = mh_tools (&n_tools);
  g_assert_cmpuint (n_tools, >, 0);
  for (guint i = 0; i < n_tools; i++)
    {
      g_autofree char *targets = g_strdup_printf ("/poll-schedule/%s/targets", tools[i]->id);
      g_autofree char *any = g_strdup_printf ("/poll-schedule/%s/any-length", tools[i]->id);
      g_autofree char *timeout = g_strdup_printf ("/poll-schedule/%s/timeout", tools[i]->id);

      g_test_add_data_func (targets, tools[i], test_targets);
      g_test_add_data_func (any, tools[i], test_any_length);
      g_test_add_data_func (timeout, tools[i], test_timeout);
    }

  return g_test_run ();
}
