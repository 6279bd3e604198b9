/* mh-gst.h: GStreamer, started once for the engine's media work
 *
 * Probing, waveforms, filmstrips and cutting use GStreamer from worker
 * threads; each calls mh_gst_ensure_init() first. It is safe from any
 * thread and any number of times; the app and the CLI need not call it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* FALSE with @error set when GStreamer cannot start (no plugins found, say). */
gboolean mh_gst_ensure_init (GError **error);

G_END_DECLS
