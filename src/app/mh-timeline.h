/* mh-timeline.h: the part of a recording to use, picked on its picture
 *
 * A strip the width of the form: a video's filmstrip or a sound's waveform
 * (and, for a video, the waveform of the speech that will replace its sound
 * under it, so the two lengths can be compared), two handles for the start
 * and end of the part to use, the part highlighted, a playhead. Dragging a
 * handle or the part moves it, bounded by the media's length and the
 * style's longest clip (the handle stops there and the reason shows under
 * the strip); each handle takes the keyboard (arrows 0.1 s, Page Up/Down
 * 1 s, Home/End to the limits). "Play Selection" plays exactly that part,
 * once or looping; zoom reaches a few seconds of a 2-hour file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum
{
  MH_TIMELINE_KIND_AUTO,    /* from the file's name */
  MH_TIMELINE_KIND_AUDIO,   /* a waveform */
  MH_TIMELINE_KIND_VIDEO,   /* a filmstrip */
} MhTimelineKind;

#define MH_TYPE_TIMELINE (mh_timeline_get_type ())
G_DECLARE_FINAL_TYPE (MhTimeline, mh_timeline, MH, TIMELINE, GtkWidget)

/* Properties:
 *   "start", "end"     double, seconds
 *   "duration"         double: the media's length, -1 when unknown
 *   "max-clip"         double: the longest part allowed, 0 for no limit
 *   "max-clip-label"   string: the style that sets it ("Realistic"), or NULL
 *   "file"             GFile: the media drawn (a waveform or a filmstrip)
 *   "kind"             MhTimelineKind (int)
 *   "secondary-file"   GFile: speech drawn as a waveform under a filmstrip
 *   "media-stream"     GtkMediaStream: what Play Selection plays; when NULL
 *                      the timeline plays "file" with a GtkMediaFile of its own
 *   "loop"             boolean: Play Selection starts again at the end
 *   "playing"          boolean, read-only: the selection is playing
 *   "position"         double: the playhead, seconds
 *   "zoom"             double: 1 shows the whole media, 2 half of it...
 *   "reason"           string, read-only: why a handle stopped, or NULL
 */
GtkWidget      *mh_timeline_new                (void);

double          mh_timeline_get_start          (MhTimeline     *self);
double          mh_timeline_get_end            (MhTimeline     *self);
void            mh_timeline_set_range          (MhTimeline     *self,
                                                double          start,
                                                double          end);
double          mh_timeline_get_duration       (MhTimeline     *self);
void            mh_timeline_set_duration       (MhTimeline     *self,
                                                double          duration);
void            mh_timeline_set_max_clip       (MhTimeline     *self,
                                                double          max_clip,
                                                const char     *label);
GFile          *mh_timeline_get_file           (MhTimeline     *self);
void            mh_timeline_set_file           (MhTimeline     *self,
                                                GFile          *file,
                                                MhTimelineKind  kind);
void            mh_timeline_set_secondary_file (MhTimeline     *self,
                                                GFile          *file);
GtkMediaStream *mh_timeline_get_media_stream   (MhTimeline     *self);
void            mh_timeline_set_media_stream   (MhTimeline     *self,
                                                GtkMediaStream *stream);
/* The stream Play Selection uses now: "media-stream", or the timeline's own. */
GtkMediaStream *mh_timeline_get_player         (MhTimeline     *self);
void            mh_timeline_set_loop           (MhTimeline     *self,
                                                gboolean        loop);
gboolean        mh_timeline_get_playing        (MhTimeline     *self);
void            mh_timeline_play_selection     (MhTimeline     *self);
void            mh_timeline_stop               (MhTimeline     *self);
double          mh_timeline_get_position       (MhTimeline     *self);
void            mh_timeline_set_position       (MhTimeline     *self,
                                                double          position);
double          mh_timeline_get_zoom           (MhTimeline     *self);
/* Zooms about @center (seconds); a negative @center keeps the selection's
 * middle where it is. */
void            mh_timeline_set_zoom           (MhTimeline     *self,
                                                double          zoom,
                                                double          center);
void            mh_timeline_zoom_to_selection  (MhTimeline     *self);
const char     *mh_timeline_get_reason         (MhTimeline     *self);
/* The handles, for tests: 0 the start, 1 the end. */
GtkWidget      *mh_timeline_get_handle         (MhTimeline     *self,
                                                guint           which);
/* Where a time is drawn, in the timeline's coordinates (tests). */
double          mh_timeline_time_to_x          (MhTimeline     *self,
                                                double          seconds);
/* Loading finished for every file drawn (tests). */
gboolean        mh_timeline_get_loaded         (MhTimeline     *self);

G_END_DECLS
