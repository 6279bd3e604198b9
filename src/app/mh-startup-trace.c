/* mh-startup-trace.c: the stages of the app's start
 *
 * Always kept in memory (a few pointers: the tests read them to check that
 * nothing slow runs before the first frame); printed only when asked, so a
 * normal start writes nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "mh-startup-trace.h"

static GPtrArray *stages;

void
mh_startup_trace_mark (const char *stage)
{
  static int print = -1;

  g_return_if_fail (stage != NULL);

  if (print < 0)
    print = g_strcmp0 (g_getenv ("MH_STARTUP_TRACE"), "1") == 0;
  if (print)
    {
      struct timespec cpu = { 0, 0 };

      /* The main thread's CPU time too: on a busy machine the wall clock
       * says more about the others than about the app. */
      clock_gettime (CLOCK_THREAD_CPUTIME_ID, &cpu);
      fprintf (stderr, "mh-startup-trace: %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", stage,
               g_get_monotonic_time (), (gint64) cpu.tv_sec * G_USEC_PER_SEC + cpu.tv_nsec / 1000);
    }

  if (stages == NULL)
    {
      stages = g_ptr_array_new ();
      g_ptr_array_add (stages, NULL);
    }
  /* Kept NULL-terminated: the last slot is the terminator. */
  g_ptr_array_index (stages, stages->len - 1) = (gpointer) stage;
  g_ptr_array_add (stages, NULL);
}

const char *const *
mh_startup_trace_get_stages (void)
{
  static const char *const none[] = { NULL };

  return stages != NULL ? (const char *const *) stages->pdata : none;
}

int
mh_startup_trace_index_of (const char *stage)
{
  const char *const *all = mh_startup_trace_get_stages ();

  for (int i = 0; all[i] != NULL; i++)
    if (g_str_equal (all[i], stage))
      return i;
  return -1;
}

void
mh_startup_trace_reset (void)
{
  g_clear_pointer (&stages, g_ptr_array_unref);
}
