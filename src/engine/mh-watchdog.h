/* mh-watchdog.h: an inactivity limit for one transfer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _MhWatchdog MhWatchdog;

/* Starts watching on the thread-default main context: when no byte moved
 * (mh_watchdog_kick()) for @seconds, the watchdog's cancellable is
 * cancelled and mh_watchdog_fired() says so. Cancelling @outer (may be
 * NULL) cancels it too. Use its cancellable for every step of the
 * transfer. */
MhWatchdog   *mh_watchdog_new             (double         seconds,
                                           GCancellable  *outer);
void          mh_watchdog_free            (MhWatchdog    *self);
GCancellable *mh_watchdog_get_cancellable (MhWatchdog    *self);
/* Bytes moved: the limit starts again. */
void          mh_watchdog_kick            (MhWatchdog    *self);
/* The transfer is over (or no longer waits on the network). */
void          mh_watchdog_stop            (MhWatchdog    *self);
/* The transfer was cancelled by the watchdog, not by @outer. */
gboolean      mh_watchdog_fired           (MhWatchdog    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhWatchdog, mh_watchdog_free)

G_END_DECLS
