/* mh-job-poll.c: a job's wait at Magic Hour, the status asked for at the
 * tool's pace until the render ends
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mh-error.h"
#include "mh-job-private.h"
#include "mh-project.h"
#include "mh-retry.h"

static void poll_schedule (MhJob *self, double delay);

static double
poll_interval (MhJob *self)
{
  const MhPollPolicy *policy = &self->tool->poll;
  double elapsed = (g_get_monotonic_time () - self->poll_started) / (double) G_USEC_PER_SEC;
  double scale = mh_client_get_poll_scale (self->client);

  /* Scaled elapsed time: the policy speaks of real renders. */
  return mh_poll_policy_interval (policy, elapsed / scale) * scale;
}

static void
polled_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  MhJob *self = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(MhProject) project = NULL;
  GError *error = NULL;
  double waited;

  node = mh_client_call_finish (self->client, result, &error);
  if (node != NULL)
    project = mh_project_parse (node, &error);

  waited = (g_get_monotonic_time () - self->poll_started) / (double) G_USEC_PER_SEC;

  if (project == NULL)
    {
      /* A render goes on whatever the network does: transient trouble only
       * delays the next check. Anything else (key revoked, project gone) ends it. */
      if (mh_error_is_transient (error) &&
          waited < self->tool->poll.timeout * mh_client_get_poll_scale (self->client))
        {
          g_autofree char *text = g_error_matches (error, MH_ERROR, MH_ERROR_NETWORK)
            ? g_strdup_printf (_("Cannot reach Magic Hour right now (%s); still waiting…"), error->message)
            : g_strdup_printf (_("Magic Hour is having trouble right now (%s); still waiting…"), error->message);

          mh_job_set_message (self, text);
          g_error_free (error);
          poll_schedule (self, poll_interval (self));
          return;
        }

      /* Answers that cannot be read are not waited out, but the project
       * may well go on: say how to pick it up. */
      if (g_error_matches (error, MH_ERROR, MH_ERROR_MALFORMED) && self->project_id != NULL)
        {
          GError *wrapped = g_error_new (MH_ERROR, MH_ERROR_MALFORMED,
                                         _("%s The render may go on at Magic Hour: pick it up later with its project ID, %s."),
                                         error->message, self->project_id);

          g_error_free (error);
          error = wrapped;
        }
      mh_job_fail (self, error);
      return;
    }

  mh_job_set_project (self, NULL, project->credits_charged);

  switch (project->status)
    {
    case MH_PROJECT_STATUS_COMPLETE:
      if (!self->download)
        {
          mh_job_done (self);
          return;
        }
      if (project->downloads->len == 0)
        {
          mh_job_fail (self, g_error_new_literal (MH_ERROR, MH_ERROR_NOT_FOUND,
                       _("The render finished but Magic Hour offers no file to download. It may have been deleted.")));
          return;
        }
      mh_job_download_start (self, project);
      return;

    case MH_PROJECT_STATUS_ERROR:
      {
        g_autofree char *sentence = mh_error_describe_render_code (project->error_code,
                                                                   project->error_message);
        mh_job_fail (self, g_error_new_literal (MH_ERROR, MH_ERROR_RENDER_FAILED, sentence));
      }
      return;

    case MH_PROJECT_STATUS_CANCELED:
      mh_job_fail (self, g_error_new_literal (MH_ERROR, MH_ERROR_PROJECT_CANCELED,
                   _("The job was canceled at Magic Hour (for example from the web app). Start it again if you still want it.")));
      return;

    case MH_PROJECT_STATUS_RENDERING:
      self->was_rendering = TRUE;
      mh_job_set_state (self, MH_JOB_STATE_RENDERING, _("Rendering at Magic Hour…"));
      break;

    case MH_PROJECT_STATUS_QUEUED:
    case MH_PROJECT_STATUS_DRAFT:
      mh_job_set_state (self, MH_JOB_STATE_QUEUED, _("Waiting in Magic Hour's queue…"));
      break;

    case MH_PROJECT_STATUS_UNKNOWN:
    default:
      {
        /* A status added to the API after this version: keep waiting. */
        g_autofree char *text = g_strdup_printf (_("Magic Hour reports the status “%s”; waiting…"),
                                                 project->status_text);
        mh_job_set_message (self, text);
      }
      break;
    }

  if (waited >= self->tool->poll.timeout * mh_client_get_poll_scale (self->client))
    {
      mh_job_fail (self, g_error_new (MH_ERROR, MH_ERROR_TIMED_OUT,
                   _("The render is still not finished after %d minutes. It goes on at Magic Hour: pick it up later with its project ID, %s."),
                   (int) (self->tool->poll.timeout / 60), self->project_id));
      return;
    }

  poll_schedule (self, poll_interval (self));
}

static void
poll_now_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  MhJob *self = user_data;
  g_autofree char *path = NULL;
  GError *error = NULL;

  if (!mh_sleep_finish (result, &error))
    {
      mh_job_fail (self, error);
      return;
    }

  path = g_strconcat (mh_project_kind_to_path (self->tool->kind), self->project_id, NULL);
  self->status_checks++;
  mh_client_call_async (self->client, "GET", path, NULL, MH_CALL_IDEMPOTENT,
                        _("Checking the job"), self->cancellable, polled_cb, self);
}

static void
poll_schedule (MhJob  *self,
               double  delay)
{
  mh_sleep_async (delay, self->cancellable, poll_now_cb, self);
}

void
mh_job_poll_start (MhJob  *self,
                   double  first_delay)
{
  self->poll_started = g_get_monotonic_time ();
  if (self->state != MH_JOB_STATE_QUEUED)
    mh_job_set_state (self, MH_JOB_STATE_QUEUED, _("Waiting in Magic Hour's queue…"));
  poll_schedule (self, first_delay);
}
