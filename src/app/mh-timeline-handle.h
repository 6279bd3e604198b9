/* mh-timeline-handle.h: one end of the part to use, as a slider
 *
 * A focusable pill with the accessible role of a slider; its keys (arrows,
 * Page Up/Down, Home/End) come out as the "move" signal with a GtkScrollType,
 * which the timeline turns into a time. It knows no time itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MH_TYPE_TIMELINE_HANDLE (mh_timeline_handle_get_type ())
G_DECLARE_FINAL_TYPE (MhTimelineHandle, mh_timeline_handle, MH, TIMELINE_HANDLE, GtkWidget)

GtkWidget *mh_timeline_handle_new (void);

G_END_DECLS
