/* mh-timeline-playback.c: playing the part to use
 *
 * Seek to its start and play; every timestamp the stream reports (each
 * tenth of a second) schedules the stop for the time left, so the stream
 * is paused at the end rather than up to a tenth after it. The stream is
 * "media-stream" when given (the preview's), or a GtkMediaFile of the
 * timeline's own for "file" (Talking Photo's speech).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mh-timeline-private.h"

#define END_SLACK 0.005

GtkMediaStream *
mh_timeline_get_player (MhTimeline *self)
{
  g_return_val_if_fail (MH_IS_TIMELINE (self), NULL);

  return self->player;
}

void
mh_timeline_sync_play_button (MhTimeline *self)
{
  const char *icon = self->playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic";

  self->syncing_button = TRUE;
  gtk_toggle_button_set_active (self->play_button, self->playing);
  self->syncing_button = FALSE;
  adw_button_content_set_icon_name (self->play_content, icon);
  gtk_image_set_from_icon_name (self->play_icon, icon);
  gtk_widget_set_sensitive (GTK_WIDGET (self->play_button),
                            (self->media_stream != NULL || self->file != NULL) &&
                            mh_timeline_get_extent (self) > 0);
}

static void
set_playing (MhTimeline *self,
             gboolean    playing)
{
  if (self->playing == playing)
    return;

  self->playing = playing;
  if (!playing)
    {
      g_clear_handle_id (&self->stop_timeout_id, g_source_remove);
      self->start_when_prepared = FALSE;
      self->awaiting_seek = FALSE;
    }
  mh_timeline_sync_play_button (self);
  g_object_notify (G_OBJECT (self), "playing");
}

void
mh_timeline_set_position_internal (MhTimeline *self,
                       double      position)
{
  if (position == self->position)
    return;

  self->position = position;
  gtk_widget_queue_draw (GTK_WIDGET (self->strip));
  g_object_notify (G_OBJECT (self), "position");
}

static void
begin_playing (MhTimeline *self)
{
  self->start_when_prepared = FALSE;
  self->awaiting_seek = TRUE;
  gtk_media_stream_seek (self->player, (gint64) (self->start * G_USEC_PER_SEC));
  gtk_media_stream_play (self->player);
}

/* The end of the part: again from its start, or pause there. */
static void
reach_end (MhTimeline *self)
{
  g_clear_handle_id (&self->stop_timeout_id, g_source_remove);

  if (self->loop)
    {
      begin_playing (self);
      return;
    }

  set_playing (self, FALSE);
  if (self->player != NULL)
    gtk_media_stream_pause (self->player);
}

static gboolean
stop_timeout_cb (gpointer user_data)
{
  MhTimeline *self = user_data;

  self->stop_timeout_id = 0;
  if (self->playing)
    reach_end (self);

  return G_SOURCE_REMOVE;
}

static void
player_timestamp_cb (MhTimeline *self)
{
  double t = gtk_media_stream_get_timestamp (self->player) / (double) G_USEC_PER_SEC;

  if (self->playing && self->awaiting_seek)
    {
      /* A timestamp from before the seek landed says nothing. */
      if (gtk_media_stream_is_seeking (self->player) || t < self->start - 0.25 || t >= self->end - END_SLACK)
        return;
      self->awaiting_seek = FALSE;
    }

  mh_timeline_set_position_internal (self, t);

  if (!self->playing || self->start_when_prepared)
    return;

  if (t >= self->end - END_SLACK)
    {
      reach_end (self);
      return;
    }

  /* The next report comes a tenth of a second later: stop on time. */
  if (gtk_media_stream_get_playing (self->player))
    {
      g_clear_handle_id (&self->stop_timeout_id, g_source_remove);
      self->stop_timeout_id = g_timeout_add_full (G_PRIORITY_HIGH,
                                                  (guint) MAX (1, (self->end - t) * 1000),
                                                  stop_timeout_cb, self, NULL);
    }
}

static void
player_prepared_cb (MhTimeline *self)
{
  if (gtk_media_stream_is_prepared (self->player) && self->start_when_prepared && self->playing)
    begin_playing (self);
}

static void
player_playing_cb (MhTimeline *self)
{
  /* Paused by someone else (the preview's own controls, say). */
  if (self->playing && !self->start_when_prepared && !gtk_media_stream_get_playing (self->player) &&
      !gtk_media_stream_get_ended (self->player))
    set_playing (self, FALSE);
}

static void
player_ended_cb (MhTimeline *self)
{
  if (self->playing && gtk_media_stream_get_ended (self->player))
    reach_end (self);
}

void
mh_timeline_disconnect_player (MhTimeline *self)
{
  if (self->player == NULL)
    return;

  if (self->playing)
    gtk_media_stream_pause (self->player);
  set_playing (self, FALSE);
  g_signal_handlers_disconnect_by_data (self->player, self);
  g_clear_object (&self->player);
}

/* The stream to play: the one given, or one of our own for the file. */
void
mh_timeline_connect_player (MhTimeline *self)
{
  GtkMediaStream *stream = self->media_stream;

  if (stream == NULL && self->file != NULL)
    {
      if (self->own_stream == NULL)
        self->own_stream = gtk_media_file_new_for_file (self->file);
      stream = self->own_stream;
    }

  if (stream == self->player)
    return;

  mh_timeline_disconnect_player (self);
  if (stream == NULL)
    return;

  self->player = g_object_ref (stream);
  g_signal_connect_swapped (stream, "notify::timestamp", G_CALLBACK (player_timestamp_cb), self);
  g_signal_connect_swapped (stream, "notify::prepared", G_CALLBACK (player_prepared_cb), self);
  g_signal_connect_swapped (stream, "notify::playing", G_CALLBACK (player_playing_cb), self);
  g_signal_connect_swapped (stream, "notify::ended", G_CALLBACK (player_ended_cb), self);
}

void
mh_timeline_play_selection (MhTimeline *self)
{
  g_return_if_fail (MH_IS_TIMELINE (self));

  if (mh_timeline_get_extent (self) <= 0 || self->end <= self->start)
    {
      mh_timeline_sync_play_button (self);
      return;
    }

  mh_timeline_connect_player (self);
  if (self->player == NULL)
    {
      mh_timeline_sync_play_button (self);
      return;
    }

  set_playing (self, TRUE);
  if (!gtk_media_stream_is_prepared (self->player))
    {
      self->start_when_prepared = TRUE;
      return;
    }
  begin_playing (self);
}

void
mh_timeline_stop (MhTimeline *self)
{
  g_return_if_fail (MH_IS_TIMELINE (self));

  if (!self->playing)
    return;

  set_playing (self, FALSE);
  if (self->player != NULL)
    gtk_media_stream_pause (self->player);
}

void
mh_timeline_seek (MhTimeline *self,
                  double      seconds)
{
  double extent = mh_timeline_get_extent (self);

  seconds = CLAMP (seconds, 0, MAX (0, extent));
  mh_timeline_stop (self);
  mh_timeline_set_position_internal (self, seconds);

  mh_timeline_connect_player (self);
  if (self->player != NULL && gtk_media_stream_is_prepared (self->player))
    gtk_media_stream_seek (self->player, (gint64) (seconds * G_USEC_PER_SEC));
}

