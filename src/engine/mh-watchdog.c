/* mh-watchdog.c: an inactivity limit for one transfer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mh-watchdog.h"

struct _MhWatchdog
{
  GCancellable *cancellable;
  GCancellable *outer;
  gulong        outer_handler;
  GSource      *timer;
  gint64        timeout_us;
  gint64        last_activity;
  gboolean      fired;
};

/* Looks a few times per limit whether bytes still move: cheaper than a new
 * timer for every chunk, and late by a quarter of the limit at most. */
static gboolean
timer_cb (gpointer user_data)
{
  MhWatchdog *self = user_data;

  if (g_get_monotonic_time () - self->last_activity < self->timeout_us)
    return G_SOURCE_CONTINUE;

  self->fired = TRUE;
  g_clear_pointer (&self->timer, g_source_unref);
  g_cancellable_cancel (self->cancellable);
  return G_SOURCE_REMOVE;
}

static void
outer_cancelled_cb (GCancellable *outer,
                    GCancellable *inner)
{
  g_cancellable_cancel (inner);
}

MhWatchdog *
mh_watchdog_new (double        seconds,
                 GCancellable *outer)
{
  MhWatchdog *self = g_new0 (MhWatchdog, 1);

  self->cancellable = g_cancellable_new ();
  self->timeout_us = MAX (seconds, 0.001) * G_USEC_PER_SEC;
  self->last_activity = g_get_monotonic_time ();

  self->timer = g_timeout_source_new (MAX (10, self->timeout_us / 4 / 1000));
  g_source_set_callback (self->timer, timer_cb, self, NULL);
  g_source_attach (self->timer, g_main_context_get_thread_default ());

  if (outer != NULL)
    {
      self->outer = g_object_ref (outer);
      /* Runs at once when @outer is cancelled already. */
      self->outer_handler = g_cancellable_connect (outer, G_CALLBACK (outer_cancelled_cb),
                                                   self->cancellable, NULL);
    }
  return self;
}

void
mh_watchdog_free (MhWatchdog *self)
{
  if (self == NULL)
    return;

  mh_watchdog_stop (self);
  if (self->outer != NULL)
    g_cancellable_disconnect (self->outer, self->outer_handler);
  g_clear_object (&self->outer);
  g_clear_object (&self->cancellable);
  g_free (self);
}

GCancellable *
mh_watchdog_get_cancellable (MhWatchdog *self)
{
  return self->cancellable;
}

void
mh_watchdog_kick (MhWatchdog *self)
{
  self->last_activity = g_get_monotonic_time ();
}

void
mh_watchdog_stop (MhWatchdog *self)
{
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
}

gboolean
mh_watchdog_fired (MhWatchdog *self)
{
  return self->fired;
}
