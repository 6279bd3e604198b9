/* mh-result-name.h: the file name a job's result is saved under
 *
 * One rule for the app and the command-line tool, so that a result is
 * found under the same name whichever made it:
 *
 *  1. the name the person gave the job (params "name"): "Holiday card.mp4";
 *  2. else the file name of the job's first named input and the tool:
 *     "portrait-talking-photo.mp4";
 *  3. else (an input with no file name, or `download ID`, which has no
 *     inputs) the name in Magic Hour's download link;
 *  4. else "magic-hour-<project id>.mp4".
 *
 * Ours wins over the link's because the link's is the storage key of the
 * project: the same few words (or an id) for every job, naming nothing a
 * person chose, and different between Magic Hour and the simulator. The
 * person's name wins over everything: it is the one they will look for.
 *
 * Several results of one job end in "-1", "-2"... The extension is the
 * link's when it has a plain one (what was really sent), else the tool's.
 * Every name goes through the rules of mh_download_safe_name(): no path,
 * no hidden file, no control or format characters, at most 200 bytes.
 * Never overwriting is mh_file_move_unique()'s part ("name (2).mp4").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "mh-tool.h"

G_BEGIN_DECLS

/* @params may be NULL (a project downloaded by its id), @url the result's
 * download link (NULL: unknown), @index counts from 0 among @n_results. */
char *mh_result_name      (const MhTool *tool,
                           GHashTable   *params,
                           const char   *url,
                           const char   *project_id,
                           guint         index,
                           guint         n_results);

/* The name a person knows the job's first input by, without folder or
 * extension: a saved item's name, a local file's or a link's file name
 * (a YouTube link has none); NULL when no input has one. */
char *mh_result_input_stem (const MhTool *tool,
                            GHashTable   *params);

/* @name made safe as a file name by the same rules, or NULL when nothing
 * usable is left. */
char *mh_safe_file_name   (const char   *name);

G_END_DECLS
