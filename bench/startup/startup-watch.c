/* startup-watch.c: launches a program and says, from the X server's side,
 * when its first window was mapped and when its first pixels reached it.
 *
 *   startup-watch [--timeout MS] [--linger MS] -- PROGRAM [ARG…]
 *
 * The clock starts (CLOCK_MONOTONIC) just before the fork that execs
 * PROGRAM. The watcher is an ordinary X client: it asks for the root
 * window's SubstructureNotify events, puts an XDamage watch on every
 * top-level window as it is created, and stops at the first damage of a
 * mapped one after which the window holds more than one colour: the moment
 * the window's first frame was drawn into it (on Xvfb, the GL or cairo
 * renderer's present). The server's own fill of a new window with its
 * background colour also counts as damage, at the map: the colour check
 * tells it from a frame. With no window manager the app's toplevels are
 * children of the root. It prints one line:
 *
 *   map_us=N frame_us=N t0_us=N
 *
 * (microseconds after the launch; t0_us is the launch on CLOCK_MONOTONIC,
 * which is the clock of g_get_monotonic_time (), so the app's own trace can
 * be lined up with it). Then it leaves the program running --linger ms
 * (default 0) so that work it does after its first frame can finish, sends
 * it SIGTERM, and SIGKILL if it has not gone 5 s later.
 *
 * Exit status: 0 measured; 1 no frame within --timeout (default 10000 ms)
 * or the program ended first; 2 usage, no display, no XDamage.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/Xdamage.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t
now_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* A window may be gone by the time the watch is put on it. */
static int
ignore_x_error (Display     *display,
                XErrorEvent *event)
{
  return 0;
}

#define MAX_WINDOWS 64

typedef struct
{
  Window  window;
  Damage  damage;
  int     mapped;
} Watched;

static Watched watched[MAX_WINDOWS];
static int n_watched;

static Watched *
find_watched (Window window)
{
  for (int i = 0; i < n_watched; i++)
    if (watched[i].window == window)
      return &watched[i];
  return NULL;
}

/* The server's background fill is one colour; any frame of an app's
 * window (a title, text, a border) is not. */
static int
window_has_content (Display *display,
                    Window   window)
{
  XWindowAttributes attributes;
  XImage *image;
  int content = 0;

  if (!XGetWindowAttributes (display, window, &attributes))
    return 0;
  image = XGetImage (display, window, 0, 0, attributes.width, attributes.height, AllPlanes, ZPixmap);
  if (image == NULL)
    return 0;

  if (image->bits_per_pixel == 32)
    {
      for (int y = 0; y < image->height && !content; y++)
        {
          const uint32_t *row = (const uint32_t *) (image->data + (size_t) y * image->bytes_per_line);
          const uint32_t first = *(const uint32_t *) image->data;

          for (int x = 0; x < image->width; x++)
            if (row[x] != first)
              {
                content = 1;
                break;
              }
        }
    }
  else
    {
      unsigned long first = XGetPixel (image, 0, 0);

      for (int y = 0; y < image->height && !content; y++)
        for (int x = 0; x < image->width; x++)
          if (XGetPixel (image, x, y) != first)
            {
              content = 1;
              break;
            }
    }

  XDestroyImage (image);
  return content;
}

static void
stop_child (pid_t pid)
{
  int64_t deadline;
  int status;

  if (pid <= 0)
    return;
  kill (pid, SIGTERM);
  deadline = now_us () + 5000000;
  while (now_us () < deadline)
    {
      pid_t r = waitpid (pid, &status, WNOHANG);

      if (r == pid || (r < 0 && errno == ECHILD))
        return;
      usleep (10000);
    }
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
}

int
main (int   argc,
      char *argv[])
{
  long timeout_ms = 10000;
  long linger_ms = 0;
  int damage_event, damage_error;
  int64_t t0, map_us = -1, frame_us = -1;
  Display *display;
  Window root;
  pid_t pid;
  int i;

  for (i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--timeout") == 0 && i + 1 < argc)
        timeout_ms = atol (argv[++i]);
      else if (strcmp (argv[i], "--linger") == 0 && i + 1 < argc)
        linger_ms = atol (argv[++i]);
      else if (strcmp (argv[i], "--") == 0)
        {
          i++;
          break;
        }
      else
        break;
    }
  if (i >= argc)
    {
      fprintf (stderr, "Usage: %s [--timeout MS] [--linger MS] -- PROGRAM [ARG…]\n", argv[0]);
      return 2;
    }

  display = XOpenDisplay (NULL);
  if (display == NULL)
    {
      fprintf (stderr, "startup-watch: cannot open the display\n");
      return 2;
    }
  if (!XDamageQueryExtension (display, &damage_event, &damage_error))
    {
      fprintf (stderr, "startup-watch: the X server has no DAMAGE extension\n");
      return 2;
    }
  XSetErrorHandler (ignore_x_error);
  root = DefaultRootWindow (display);
  XSelectInput (display, root, SubstructureNotifyMask);
  /* The server must have taken the request before the program can make a
   * window, or its CreateNotify could be missed. */
  XSync (display, False);

  t0 = now_us ();
  pid = fork ();
  if (pid < 0)
    {
      perror ("startup-watch: fork");
      return 2;
    }
  if (pid == 0)
    {
      close (ConnectionNumber (display));
      execvp (argv[i], argv + i);
      fprintf (stderr, "startup-watch: cannot run %s: %s\n", argv[i], strerror (errno));
      _exit (127);
    }

  while (frame_us < 0)
    {
      struct pollfd pfd = { ConnectionNumber (display), POLLIN, 0 };
      int64_t left = t0 + timeout_ms * 1000 - now_us ();
      int status;

      if (waitpid (pid, &status, WNOHANG) == pid)
        {
          fprintf (stderr, "startup-watch: the program ended before its first frame\n");
          return 1;
        }
      if (left <= 0)
        {
          fprintf (stderr, "startup-watch: no frame within %ld ms\n", timeout_ms);
          stop_child (pid);
          return 1;
        }
      if (XPending (display) == 0)
        {
          /* Short waits: the child's exit is noticed too. */
          poll (&pfd, 1, left > 50000 ? 50 : (int) (left / 1000) + 1);
          continue;
        }

      while (XPending (display) > 0 && frame_us < 0)
        {
          XEvent event;
          Watched *w;

          XNextEvent (display, &event);
          if (event.type == CreateNotify && event.xcreatewindow.parent == root &&
              !event.xcreatewindow.override_redirect && n_watched < MAX_WINDOWS)
            {
              w = &watched[n_watched++];
              w->window = event.xcreatewindow.window;
              w->damage = XDamageCreate (display, w->window, XDamageReportNonEmpty);
              w->mapped = 0;
            }
          else if (event.type == MapNotify && event.xmap.event == root &&
                   (w = find_watched (event.xmap.window)) != NULL)
            {
              w->mapped = 1;
              if (map_us < 0)
                map_us = now_us () - t0;
            }
          else if (event.type == damage_event + XDamageNotify)
            {
              XDamageNotifyEvent *damage = (XDamageNotifyEvent *) &event;
              int64_t at = now_us () - t0;

              w = find_watched (damage->drawable);
              if (w == NULL)
                continue;
              /* Taken now: the next drawing is reported again. */
              XDamageSubtract (display, w->damage, None, None);
              if (w->mapped && window_has_content (display, w->window))
                frame_us = at;
            }
        }
    }

  printf ("map_us=%lld frame_us=%lld t0_us=%lld\n",
          (long long) map_us, (long long) frame_us, (long long) t0);
  fflush (stdout);

  if (linger_ms > 0)
    usleep ((useconds_t) linger_ms * 1000);
  stop_child (pid);
  XCloseDisplay (display);
  return 0;
}
