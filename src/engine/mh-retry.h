/* mh-retry.h: backoff with jitter, and a cancellable wait
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The wait before attempt @attempt + 1 (attempt counts from 0): base * 2^attempt,
 * capped at @max, with "equal jitter" (half fixed, half random) so that many
 * clients failing together do not come back together. */
double    mh_retry_backoff   (double               base,
                              double               max,
                              guint                attempt);

/* Completes after @seconds, or at once with G_IO_ERROR_CANCELLED. */
void      mh_sleep_async     (double               seconds,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
gboolean  mh_sleep_finish    (GAsyncResult        *result,
                              GError             **error);

G_END_DECLS
