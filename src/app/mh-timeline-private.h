/* mh-timeline-private.h: what the timeline and its strip share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-filmstrip.h"
#include "mh-timeline.h"
#include "mh-timeline-strip.h"
#include "mh-waveform.h"

G_BEGIN_DECLS

/* The shortest part the handles leave. */
#define MH_TIMELINE_MIN_LENGTH 0.1

typedef enum
{
  MH_TIMELINE_START,
  MH_TIMELINE_END,
} MhTimelineWhich;

struct _MhTimeline
{
  GtkWidget        parent_instance;

  /* Template */
  MhTimelineStrip *strip;
  GtkLabel        *reason_label;
  GtkToggleButton *play_button;
  AdwButtonContent *play_content;
  GtkImage        *play_icon;
  GtkToggleButton *loop_button;
  GtkWidget       *zoom_out_button;
  GtkWidget       *zoom_in_button;
  GtkWidget       *zoom_selection_button;
  GtkWidget       *zoom_all_button;

  /* The part */
  double           start;
  double           end;
  double           duration;
  double           max_clip;
  char            *max_clip_label;
  char            *reason;

  /* What is drawn */
  GFile           *file;
  MhTimelineKind   kind;
  GFile           *secondary_file;
  MhWaveform      *waveform;
  MhWaveform      *secondary_waveform;
  MhFilmstrip     *filmstrip;
  GCancellable    *cancellable;
  guint            pending_loads;

  /* The view: seconds at the left edge, and how far in */
  double           view_start;
  double           zoom;

  /* Playing */
  GtkMediaStream  *media_stream;   /* given */
  GtkMediaStream  *own_stream;     /* made for "file" when none is given */
  GtkMediaStream  *player;         /* the one connected to */
  double           position;
  gboolean         loop;
  gboolean         playing;
  gboolean         start_when_prepared;
  guint            stop_timeout_id;
  gboolean         awaiting_seek;   /* timestamps before the seek lands are old */
  guint            syncing_button : 1;
};

/* The media's length as drawn: "duration", or what the decoders found. */
double mh_timeline_get_extent        (MhTimeline      *self);
/* The seconds shown, from the left edge. */
void   mh_timeline_get_view          (MhTimeline      *self,
                                      double          *view_start,
                                      double          *span);
void   mh_timeline_scroll_view       (MhTimeline      *self,
                                      double           view_start);
/* Where a handle may go now, given the other one, the media and the style. */
void   mh_timeline_get_limits        (MhTimeline      *self,
                                      MhTimelineWhich  which,
                                      double          *lower,
                                      double          *upper);
/* A person moved a handle: bounded, with the reason when the style stops it. */
void   mh_timeline_move_handle       (MhTimeline      *self,
                                      MhTimelineWhich  which,
                                      double           value);
/* A person moved the whole part: its length kept, inside the media. */
void   mh_timeline_move_selection    (MhTimeline      *self,
                                      double           start);
/* A person clicked the strip at a time. */
void   mh_timeline_seek              (MhTimeline      *self,
                                      double           seconds);

/* mh-timeline-playback.c */
void   mh_timeline_sync_play_button      (MhTimeline      *self);
void   mh_timeline_set_position_internal (MhTimeline      *self,
                                          double           position);
void   mh_timeline_connect_player        (MhTimeline      *self);
void   mh_timeline_disconnect_player     (MhTimeline      *self);

G_END_DECLS
