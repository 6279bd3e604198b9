/* mh-startup-trace.h: the stages of the app's start, for bench/startup and
 * the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Notes that @stage (a static string) happened now. With MH_STARTUP_TRACE=1
 * in the environment it also prints "mh-startup-trace: STAGE USEC CPU" on
 * standard error, USEC on the clock of g_get_monotonic_time () (the
 * benchmark lines it up with the moment it launched the app), CPU the
 * calling thread's CPU time in microseconds. */
void                mh_startup_trace_mark       (const char *stage);
/* The stages noted so far, oldest first (NULL-terminated, owned). */
const char *const  *mh_startup_trace_get_stages (void);
/* Where @stage is in the stages noted, or -1: tests compare the order. */
int                 mh_startup_trace_index_of   (const char *stage);
/* Forgets the stages noted (a test starting an app again). */
void                mh_startup_trace_reset      (void);

G_END_DECLS
