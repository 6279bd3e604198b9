/* mh-validate.h: every rule of the tool table, checked before anything is sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mh-probe.h"
#include "mh-tool.h"

G_BEGIN_DECLS

/* Checks @params against @tool's table without touching the disk.
 * @durations maps slot keys to the known duration in seconds (a pointer to a
 * double), or is NULL. On failure sets MH_ERROR_INVALID_INPUT with a message
 * that names the field and the fix, and @bad_key (when not NULL) to the slot
 * or option key at fault. Problems are reported in the table's order, so the
 * UI shows the first one. */
gboolean  mh_validate_params        (const MhTool         *tool,
                                     GHashTable           *params,
                                     GHashTable           *durations,
                                     char                **bad_key,
                                     GError              **error);

/* Also checks that each local file exists, is a readable, non-empty regular
 * file whose content is what its slot needs (mh_probe_file()), and bounds
 * the time range by the probed durations. */
void      mh_validate_async         (const MhTool         *tool,
                                     GHashTable           *params,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
gboolean  mh_validate_finish        (GAsyncResult         *result,
                                     char                **bad_key,
                                     GError              **error);
/* What the probe read of @slot_key's local file (its fps feeds the cost
 * estimate); NULL when that slot is no local file or the check stopped
 * before it. Owned by @result. */
const MhMediaInfo *mh_validate_get_media (GAsyncResult      *result,
                                          const char        *slot_key);

/* The checks of one local file for @slot (type by extension, existence,
 * readability); blocking, for worker threads. */
gboolean  mh_validate_local_file    (const MhAssetSlot    *slot,
                                     GFile                *file,
                                     goffset              *size,
                                     GCancellable         *cancellable,
                                     GError              **error);

/* mh_validate_local_file(), then the content: the probe's sentence
 * ("fake.mp4 is not a video: it holds no video stream.") when it is not
 * what @slot needs. Blocking (GStreamer reads the file); @info (may be
 * NULL) receives what was read. */
gboolean  mh_validate_probe_local_file (const MhAssetSlot *slot,
                                        GFile             *file,
                                        MhMediaInfo      **info,
                                        GCancellable      *cancellable,
                                        GError           **error);

/* "1:05.3": minutes, seconds and tenths, as the UI shows time; past an
 * hour "2:00:00.0". */
char     *mh_format_time            (double                seconds);
/* "12.3 MB" */
char     *mh_format_size            (guint64               bytes);

G_END_DECLS
