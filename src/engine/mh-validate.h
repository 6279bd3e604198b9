/* mh-validate.h: every rule of the tool table, checked before anything is sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

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
 * file, and reads the duration of the media that bound the time range. */
void      mh_validate_async         (const MhTool         *tool,
                                     GHashTable           *params,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
gboolean  mh_validate_finish        (GAsyncResult         *result,
                                     char                **bad_key,
                                     GError              **error);

/* The checks of one local file for @slot (type by extension, existence,
 * readability); blocking, for worker threads. */
gboolean  mh_validate_local_file    (const MhAssetSlot    *slot,
                                     GFile                *file,
                                     goffset              *size,
                                     GCancellable         *cancellable,
                                     GError              **error);

/* "1:05.3": minutes, seconds and tenths, as the UI shows time; past an
 * hour "2:00:00.0". */
char     *mh_format_time            (double                seconds);
/* "12.3 MB" */
char     *mh_format_size            (guint64               bytes);

G_END_DECLS
