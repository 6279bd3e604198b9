/* mh-job-view-progress.c: the progress bar, the percentages and the render's clock
 *
 * A 1 GiB transfer notifies its fraction up to a thousand times, and every
 * change the window shows costs a frame: with GTK's GL renderer on a
 * software GL (llvmpipe, as under Xvfb or in a VM) a frame redraws the
 * whole window. So the view takes what the job says at most once per tick
 * of its frame clock, moves the bar only when it would move by a pixel or
 * its percentage changes, leaves labels alone when their text is the same,
 * and does nothing while it is not on screen (another tab, a hidden
 * window): when it is shown again it shows where the job is. The pulse of
 * a job that gives no fraction and the render's clock run only while seen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mh-job-view-private.h"

static char *
format_elapsed (gint64 usec)
{
  guint64 seconds = MAX (usec, 0) / G_USEC_PER_SEC;

  if (seconds >= 3600)
    return g_strdup_printf ("%u:%02u:%02u", (guint) (seconds / 3600),
                            (guint) (seconds / 60 % 60), (guint) (seconds % 60));

  return g_strdup_printf ("%u:%02u", (guint) (seconds / 60), (guint) (seconds % 60));
}

static char *
format_percent (double fraction)
{
  /* Translators: a percentage of a transfer, e.g. "42 %" */
  return g_strdup_printf (_("%d %%"), (int) (CLAMP (fraction, 0.0, 1.0) * 100));
}

/* A new text resizes the label and lays the window out again: only when
 * it differs. */
static void
set_label_text (GtkLabel   *label,
                const char *text)
{
  if (g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_label (label, text);
}

static gboolean
is_seen (MhJobView *self)
{
  return gtk_widget_get_mapped (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------------ */
/* The bar                                                                  */

static gboolean
pulse_cb (gpointer user_data)
{
  MhJobView *self = user_data;

  gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
start_pulse (MhJobView *self)
{
  self->bar_pulsing = TRUE;
  if (self->pulse_id == 0 && is_seen (self))
    {
      gtk_progress_bar_pulse (self->progress_bar);
      self->pulse_id = g_timeout_add (100, pulse_cb, self);
    }
}

static void
stop_pulse (MhJobView *self)
{
  self->bar_pulsing = FALSE;
  g_clear_handle_id (&self->pulse_id, g_source_remove);
}

/* @gated: unless it would look the same, at the same pixel of its width (a
 * 1 GiB transfer's thousandths are fractions of a pixel); the ends and the
 * way out of the pulse are always set. */
static void
set_fraction (MhJobView *self,
              double     fraction,
              gboolean   gated)
{
  GtkProgressBar *bar = self->progress_bar;
  int width = gtk_widget_get_width (GTK_WIDGET (bar));
  double shown = gtk_progress_bar_get_fraction (bar);
  gboolean was_pulsing = self->bar_pulsing;

  stop_pulse (self);
  if (!was_pulsing && fraction == shown)
    return;
  /* Not laid out yet (the running page just shown): no pixel to compare. */
  if (gated && width > 0 && !was_pulsing && fraction > 0.0 && fraction < 1.0 &&
      (int) (shown * width) == (int) (fraction * width))
    return;
  gtk_progress_bar_set_fraction (bar, fraction);
}

static void
remove_tick (MhJobView *self)
{
  if (self->progress_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->progress_bar), self->progress_tick_id);
  self->progress_tick_id = 0;
}

static void
update_progress (MhJobView *self,
                 gboolean   gated)
{
  MhJobState state = self->job != NULL ? mh_job_get_state (self->job) : MH_JOB_STATE_IDLE;
  double fraction = self->job != NULL ? mh_job_get_fraction (self->job) : -1;
  int current = mh_job_view_stage_for_state (state);
  StageRow *upload = &self->stages[STAGE_UPLOAD];
  StageRow *download = &self->stages[STAGE_DOWNLOAD];
  g_autofree char *percent = fraction >= 0 ? format_percent (fraction) : NULL;

  remove_tick (self);

  if (state == MH_JOB_STATE_IDLE || mh_job_state_is_finished (state))
    set_fraction (self, state == MH_JOB_STATE_DONE ? 1.0 : 0.0, FALSE);
  else if (fraction >= 0)
    set_fraction (self, fraction, gated);
  else
    start_pulse (self);

  set_label_text (upload->detail,
                  current == STAGE_UPLOAD && state == MH_JOB_STATE_UPLOADING && percent != NULL
                  ? percent : "");
  set_label_text (download->detail,
                  current == STAGE_DOWNLOAD && percent != NULL ? percent : "");
}

/* Now, exactly: a new state, a new job, the view shown again. */
void
mh_job_view_update_progress (MhJobView *self)
{
  update_progress (self, FALSE);
}

static gboolean
progress_tick_cb (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       user_data)
{
  MhJobView *self = user_data;

  self->progress_tick_id = 0;
  update_progress (self, TRUE);
  return G_SOURCE_REMOVE;
}

/* notify::fraction: the next frame shows the job's latest fraction; none
 * while the view is not seen (mapping it shows it). */
void
mh_job_view_queue_progress (MhJobView *self)
{
  /* From "busy" to a fraction (a transfer's first bytes): once, at once. */
  if (self->bar_pulsing && self->job != NULL && mh_job_get_fraction (self->job) >= 0)
    mh_job_view_update_progress (self);
  else if (self->progress_tick_id == 0 && is_seen (self))
    self->progress_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->progress_bar),
                                                           progress_tick_cb, self, NULL);
}

/* ------------------------------------------------------------------------ */
/* The render's clock                                                       */

static void
update_render_detail (MhJobView *self)
{
  StageRow *stage = &self->stages[STAGE_RENDER];
  g_autofree char *text = NULL;

  if (self->job != NULL && mh_job_get_state (self->job) == MH_JOB_STATE_RENDERING)
    text = format_elapsed (g_get_monotonic_time () - mh_job_get_state_since (self->job));
  else if (self->render_usec >= 0)
    text = format_elapsed (self->render_usec);

  set_label_text (stage->detail, text != NULL ? text : "");
}

static gboolean
elapsed_cb (gpointer user_data)
{
  update_render_detail (user_data);
  return G_SOURCE_CONTINUE;
}

/* The clock runs while rendering; the render's length stays once over. */
void
mh_job_view_update_clock (MhJobView *self)
{
  MhJobState state = self->job != NULL ? mh_job_get_state (self->job) : MH_JOB_STATE_IDLE;

  if (state == MH_JOB_STATE_RENDERING)
    {
      self->render_since = mh_job_get_state_since (self->job);
      self->rendering_seen = TRUE;
      if (self->elapsed_id == 0 && is_seen (self))
        self->elapsed_id = g_timeout_add (1000, elapsed_cb, self);
    }
  else
    {
      if (self->rendering_seen)
        self->render_usec = mh_job_get_state_since (self->job) - self->render_since;
      self->rendering_seen = FALSE;
      g_clear_handle_id (&self->elapsed_id, g_source_remove);
    }
  update_render_detail (self);
}

/* ------------------------------------------------------------------------ */
/* Seen or not                                                              */

static void
map_cb (MhJobView *self)
{
  mh_job_view_update_clock (self);
  mh_job_view_update_progress (self);
}

static void
unmap_cb (MhJobView *self)
{
  /* The pulse and the clock pick up again on map (bar_pulsing and
   * rendering_seen stay as they are). */
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_clear_handle_id (&self->elapsed_id, g_source_remove);
  remove_tick (self);
}

/* Another job, or none. */
void
mh_job_view_stop_progress (MhJobView *self)
{
  stop_pulse (self);
  g_clear_handle_id (&self->elapsed_id, g_source_remove);
  self->rendering_seen = FALSE;
  remove_tick (self);
}

void
mh_job_view_init_progress (MhJobView *self)
{
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
  g_signal_connect (self, "unmap", G_CALLBACK (unmap_cb), NULL);
}
