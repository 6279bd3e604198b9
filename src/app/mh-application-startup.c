/* mh-application-startup.c: the window first, then what is slow
 *
 * What the first frame needs (the settings, the client's address, the
 * history object the History page binds to, a key set in the environment)
 * is made at once. What takes time or wakes other processes (the keyring
 * over D-Bus, reading the history from disk, the account request, probing
 * the files given on the command line) starts only once the first window
 * has painted its first frame: a person sees the window at once, with its
 * loading states, rather than nothing while the keyring daemon starts. An
 * app that shows no window (tests, a D-Bus activation) starts that work
 * from an idle instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mh-application-private.h"
#include "mh-startup-trace.h"

/* A window that never paints (on a hidden workspace, its frame clock may
 * wait) must not keep the app from reading its key for ever. */
#define FIRST_FRAME_TIMEOUT_MS 1500

typedef struct
{
  MhStartupFunc  func;
  gpointer       data;
  GDestroyNotify destroy;
} Pending;

struct _MhStartup
{
  gboolean       began;
  gboolean       done;
  GWeakRef       window;
  GdkFrameClock *clock;
  gulong         after_paint_id;
  guint          idle_id;
  guint          timeout_id;
  GArray        *pending;  /* Pending */
};

static void
clear_pending (Pending *pending)
{
  if (pending->destroy != NULL)
    pending->destroy (pending->data);
}

static MhStartup *
get_startup (MhApplication *self)
{
  if (self->startup == NULL)
    {
      self->startup = g_new0 (MhStartup, 1);
      g_weak_ref_init (&self->startup->window, NULL);
      self->startup->pending = g_array_new (FALSE, FALSE, sizeof (Pending));
      g_array_set_clear_func (self->startup->pending, (GDestroyNotify) clear_pending);
    }
  return self->startup;
}

static void
stop_watching (MhStartup *startup)
{
  if (startup->clock != NULL)
    g_clear_signal_handler (&startup->after_paint_id, startup->clock);
  g_clear_object (&startup->clock);
  g_clear_handle_id (&startup->idle_id, g_source_remove);
  g_clear_handle_id (&startup->timeout_id, g_source_remove);
}

static void
finish (MhApplication *self)
{
  MhStartup *startup = get_startup (self);
  g_autoptr(GArray) pending = NULL;

  if (startup->done)
    return;
  startup->done = TRUE;
  stop_watching (startup);

  mh_startup_trace_mark ("slow-start");
  mh_application_start_slow_work (self);

  /* Taken first: a call may queue another, which then runs at once. */
  pending = g_steal_pointer (&startup->pending);
  startup->pending = g_array_new (FALSE, FALSE, sizeof (Pending));
  for (guint i = 0; i < pending->len; i++)
    {
      Pending *p = &g_array_index (pending, Pending, i);

      p->func (self, p->data);
    }
  g_array_set_clear_func (pending, (GDestroyNotify) clear_pending);
}

static gboolean
finish_cb (gpointer user_data)
{
  MhApplication *self = user_data;

  get_startup (self)->idle_id = 0;
  finish (self);
  return G_SOURCE_REMOVE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  MhApplication *self = user_data;

  get_startup (self)->timeout_id = 0;
  mh_startup_trace_mark ("first-frame-timeout");
  finish (self);
  return G_SOURCE_REMOVE;
}

/* After the paint, not in it: the frame is handed to the display first,
 * and what starts next runs from the main loop, never inside GTK's frame.
 * At the default priority, above the frame clock's: a window that paints
 * every frame (the loading spinner on a software renderer) would starve
 * an idle of lower priority. */
static void
after_paint_cb (GdkFrameClock *clock,
                MhApplication *self)
{
  MhStartup *startup = get_startup (self);

  mh_startup_trace_mark ("first-frame");
  g_clear_signal_handler (&startup->after_paint_id, startup->clock);
  g_clear_handle_id (&startup->idle_id, g_source_remove);
  startup->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT, finish_cb, self, NULL);
}

/* Startup ran and no window was shown in the same turn of the main loop:
 * nothing to wait for. */
static gboolean
no_window_cb (gpointer user_data)
{
  MhApplication *self = user_data;
  MhStartup *startup = get_startup (self);
  g_autoptr(GtkWidget) window = g_weak_ref_get (&startup->window);

  startup->idle_id = 0;
  if (window == NULL)
    finish (self);
  return G_SOURCE_REMOVE;
}

void
mh_application_startup_begin (MhApplication *self)
{
  MhStartup *startup = get_startup (self);

  mh_startup_trace_mark ("startup");
  startup->began = TRUE;
  /* A window presented by activate or the command line is watched before
   * the main loop first runs (g_application_run calls them right after
   * startup), and removes this. Not lower than the default priority: a
   * window shown by other means (tests) paints every frame while its
   * loading spinner turns, which would starve a lower one. */
  if (!startup->done && startup->idle_id == 0)
    startup->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT, no_window_cb, self, NULL);
}

void
mh_application_startup_watch (MhApplication *self,
                              GtkWindow     *window)
{
  MhStartup *startup = get_startup (self);
  g_autoptr(GtkWidget) watched = g_weak_ref_get (&startup->window);
  GdkFrameClock *clock;

  if (startup->done || watched != NULL)
    return;

  mh_startup_trace_mark ("window-presented");
  g_weak_ref_set (&startup->window, window);
  g_clear_handle_id (&startup->idle_id, g_source_remove);

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  if (clock == NULL)
    {
      /* Not realized (cannot be after present): no frame to wait for. */
      startup->idle_id = g_idle_add (finish_cb, self);
      return;
    }
  startup->clock = g_object_ref (clock);
  startup->after_paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), self);
  startup->timeout_id = g_timeout_add (FIRST_FRAME_TIMEOUT_MS, timeout_cb, self);
}

gboolean
mh_application_startup_waits (MhApplication *self)
{
  return self->startup != NULL && self->startup->began && !self->startup->done;
}

void
mh_application_after_first_frame (MhApplication  *self,
                                  MhStartupFunc   func,
                                  gpointer        data,
                                  GDestroyNotify  destroy)
{
  Pending pending = { func, data, destroy };

  g_return_if_fail (MH_IS_APPLICATION (self));

  /* Done, or never begun (a window made without running the app, in
   * tests): nothing waits. */
  if (!mh_application_startup_waits (self))
    {
      func (self, data);
      if (destroy != NULL)
        destroy (data);
      return;
    }
  g_array_append_val (get_startup (self)->pending, pending);
}

void
mh_application_startup_free (MhApplication *self)
{
  if (self->startup == NULL)
    return;

  stop_watching (self->startup);
  g_weak_ref_clear (&self->startup->window);
  g_clear_pointer (&self->startup->pending, g_array_unref);
  g_clear_pointer (&self->startup, g_free);
}
