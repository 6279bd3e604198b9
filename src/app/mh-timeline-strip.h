/* mh-timeline-strip.h: the timeline's picture, its handles and gestures
 *
 * The filmstrip or waveform, the part to use highlighted and the rest
 * dimmed, the playhead, a ruler of times; the two handles are its children.
 * Pointer drags, clicks and Ctrl+scroll land here and go to the timeline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _MhTimeline MhTimeline;

#define MH_TYPE_TIMELINE_STRIP (mh_timeline_strip_get_type ())
G_DECLARE_FINAL_TYPE (MhTimelineStrip, mh_timeline_strip, MH, TIMELINE_STRIP, GtkWidget)

void       mh_timeline_strip_set_timeline (MhTimelineStrip *self,
                                           MhTimeline      *timeline);
GtkWidget *mh_timeline_strip_get_handle   (MhTimelineStrip *self,
                                           guint            which);
double     mh_timeline_strip_time_to_x    (MhTimelineStrip *self,
                                           double           seconds);
double     mh_timeline_strip_x_to_time    (MhTimelineStrip *self,
                                           double           x);
/* The handles' places, values and names changed. */
void       mh_timeline_strip_update       (MhTimelineStrip *self);

G_END_DECLS
