/* exit-at-stage.c: an LD_PRELOAD module for bench/startup/instructions.
 *
 * The app (and bench/idle-cpu/minimal-window) print their start's stages
 * with MH_STARTUP_TRACE=1, through fprintf to stderr. This module passes
 * those lines on and ends the process at once (_exit, as a crash would:
 * what an orderly quit runs is not part of the start) when the stage
 * named in MH_EXIT_AT is printed, so `valgrind --tool=callgrind` counts
 * the instructions from the exec to that stage, first-frame say. Counted
 * instructions compare two builds on a busy machine, where the clock
 * cannot; no change to the app is needed, older builds work too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PREFIX "mh-startup-trace: "

static int
print_and_check (FILE       *file,
                 const char *format,
                 va_list     args)
{
  const char *stage = getenv ("MH_EXIT_AT");
  char line[1024];
  size_t len;
  int n;

  if (file != stderr || stage == NULL)
    return vfprintf (file, format, args);

  n = vsnprintf (line, sizeof line, format, args);
  fputs (line, file);
  len = strlen (stage);
  if (strncmp (line, PREFIX, strlen (PREFIX)) == 0 &&
      strncmp (line + strlen (PREFIX), stage, len) == 0 && line[strlen (PREFIX) + len] == ' ')
    {
      fflush (file);
      _exit (0);
    }
  return n;
}

int
fprintf (FILE       *file,
         const char *format,
         ...)
{
  va_list args;
  int n;

  va_start (args, format);
  n = print_and_check (file, format, args);
  va_end (args);
  return n;
}

/* What fprintf becomes with _FORTIFY_SOURCE. */
int
__fprintf_chk (FILE       *file,
               int         flag,
               const char *format,
               ...)
{
  va_list args;
  int n;

  va_start (args, format);
  n = print_and_check (file, format, args);
  va_end (args);
  return n;
}
