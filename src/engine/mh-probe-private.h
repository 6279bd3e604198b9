/* mh-probe-private.h: the probe's header parsers (mh-probe-parse.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-probe.h"

G_BEGIN_DECLS

/* Fills @info's streams, length, frame rate and size from the headers of
 * the media in @stream (seekable; read from its start, left anywhere) when
 * its container is one of the API's and its headers say all of that;
 * FALSE, @info untouched, when the discoverer must judge it. Never decodes,
 * never loads GStreamer. */
gboolean mh_probe_parse_headers (GInputStream  *stream,
                                 MhMediaInfo   *info,
                                 GCancellable  *cancellable);

G_END_DECLS
