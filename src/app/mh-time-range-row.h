/* mh-time-range-row.h: the part of the clip to use, start and end
 *
 * Start and end in seconds, shown as m:ss.s, bounded by the media's duration
 * once it is known and by the tool's maximum clip length for the chosen mode.
 * When the duration becomes known the range defaults to the whole clip
 * (clamped to the maximum), so picking the files is enough. End > start is
 * enforced as the person types, with the reason shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MH_TYPE_TIME_RANGE_ROW (mh_time_range_row_get_type ())
G_DECLARE_FINAL_TYPE (MhTimeRangeRow, mh_time_range_row, MH, TIME_RANGE_ROW, AdwActionRow)

/* Properties:
 *   "start"     double, seconds (default 0)
 *   "end"       double, seconds (default 0: not set yet)
 *   "duration"  double: the media's length, -1 when unknown (no upper bound then)
 *   "max-clip"  double: the longest clip allowed, 0 for no limit
 *   "error"     string, read-only: why the range cannot be used; NULL when it can
 */
GtkWidget  *mh_time_range_row_new          (void);
double      mh_time_range_row_get_start    (MhTimeRangeRow *self);
double      mh_time_range_row_get_end      (MhTimeRangeRow *self);
void        mh_time_range_row_set_range    (MhTimeRangeRow *self,
                                            double          start,
                                            double          end);
void        mh_time_range_row_set_duration (MhTimeRangeRow *self,
                                            double          duration);
void        mh_time_range_row_set_max_clip (MhTimeRangeRow *self,
                                            double          max_clip);
const char *mh_time_range_row_get_error    (MhTimeRangeRow *self);

G_END_DECLS
