/* mh-cli-progress.c: how the command-line tool shows a job
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <unistd.h>

#include "mh-cli-progress.h"
#include "mh-error.h"
#include "mh-params.h"
#include "mh-validate.h"

struct _MhCliProgress
{
  MhJob       *job;
  MhCliOutput  output;
  gboolean     tty;
  gboolean     bar_shown;
  gint64       last_draw;
  int          last_percent;
  gulong       handler;
  guint        tick;
  char        *last_message;
  int          last_state;
};

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

/* One JSON object per line on stdout, flushed at once so a reader sees it. */
void
mh_cli_json_event (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, FALSE);

  fprintf (stdout, "%s\n", text);
  fflush (stdout);
}

void
mh_cli_print_error (MhCliOutput  output,
                    const char  *message)
{
  if (output == MH_CLI_OUTPUT_JSON)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "event");
      json_builder_add_string_value (builder, "error");
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, message);
      json_builder_end_object (builder);
      mh_cli_json_event (builder);
    }
  fprintf (stderr, _("Error: %s\n"), message);
}

int
mh_cli_exit_status (const GError *error,
                    gboolean      interrupted)
{
  if (error == NULL)
    return EXIT_DONE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return interrupted ? EXIT_INTERRUPTED : EXIT_JOB_FAILED;

  if (error->domain == G_OPTION_ERROR)
    return EXIT_USAGE;

  if (error->domain != MH_ERROR)
    return EXIT_JOB_FAILED;

  switch (error->code)
    {
    case MH_ERROR_INVALID_INPUT:
    case MH_ERROR_NO_KEY:
    case MH_ERROR_INSECURE:
      return EXIT_USAGE;
    case MH_ERROR_RENDER_FAILED:
    case MH_ERROR_PROJECT_CANCELED:
    case MH_ERROR_TIMED_OUT:
      return EXIT_JOB_FAILED;
    case MH_ERROR_RATE_LIMITED:
    case MH_ERROR_SERVER:
    case MH_ERROR_NETWORK:
    case MH_ERROR_MALFORMED:
    case MH_ERROR_UNUSABLE:
    case MH_ERROR_AMBIGUOUS_CREATE:
    case MH_ERROR_EXPIRED:
      return EXIT_NETWORK;
    default:
      return mh_error_is_refusal (error) ? EXIT_REFUSED : EXIT_JOB_FAILED;
    }
}

static void
clear_bar (MhCliProgress *self)
{
  if (self->bar_shown)
    {
      fprintf (stderr, "\r\033[K");
      self->bar_shown = FALSE;
    }
}

static void
draw_bar (MhCliProgress *self)
{
  MhJob *job = self->job;
  double fraction = mh_job_get_fraction (job);
  const char *message = mh_job_get_message (job);
  char bar[31];
  int filled;

  if (fraction < 0)
    {
      /* No measure: a bar that moves so the person sees it is alive. */
      gint64 t = g_get_monotonic_time () / 150000;

      for (int i = 0; i < 30; i++)
        bar[i] = (i >= t % 30 && i < t % 30 + 4) ? '=' : ' ';
    }
  else
    {
      filled = (int) (fraction * 30);
      for (int i = 0; i < 30; i++)
        bar[i] = i < filled ? '#' : '.';
    }
  bar[30] = '\0';

  if (fraction >= 0 && mh_job_get_bytes_total (job) > 0)
    {
      g_autofree char *done = mh_format_size (mh_job_get_bytes_done (job));
      g_autofree char *total = mh_format_size (mh_job_get_bytes_total (job));

      fprintf (stderr, "\r\033[K[%s] %3d%% %s %s / %s", bar, (int) (fraction * 100),
               message ? message : "", done, total);
    }
  else
    {
      double elapsed = (g_get_monotonic_time () - mh_job_get_state_since (job)) / (double) G_USEC_PER_SEC;

      fprintf (stderr, "\r\033[K[%s] %s %ds", bar, message ? message : "", (int) elapsed);
    }
  fflush (stderr);
  self->bar_shown = TRUE;
}

static void
emit_json (MhCliProgress *self,
           const char    *event)
{
  MhJob *job = self->job;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, event);
  json_builder_set_member_name (builder, "time_ms");
  json_builder_add_int_value (builder, now_ms ());
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, mh_job_state_to_string (mh_job_get_state (job)));
  if (mh_job_get_message (job) != NULL)
    {
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, mh_job_get_message (job));
    }
  if (mh_job_get_fraction (job) >= 0)
    {
      json_builder_set_member_name (builder, "fraction");
      json_builder_add_double_value (builder, mh_job_get_fraction (job));
      json_builder_set_member_name (builder, "bytes_done");
      json_builder_add_int_value (builder, mh_job_get_bytes_done (job));
      json_builder_set_member_name (builder, "bytes_total");
      json_builder_add_int_value (builder, mh_job_get_bytes_total (job));
    }
  if (mh_job_get_project_id (job) != NULL)
    {
      json_builder_set_member_name (builder, "project_id");
      json_builder_add_string_value (builder, mh_job_get_project_id (job));
    }
  json_builder_end_object (builder);

  mh_cli_json_event (builder);
}

static void
job_notify_cb (MhJob         *job,
               GParamSpec    *pspec,
               MhCliProgress *self)
{
  const char *name = g_param_spec_get_name (pspec);
  gboolean is_state = g_str_equal (name, "state");
  gboolean is_message = g_str_equal (name, "message");
  gboolean is_bytes = g_str_equal (name, "bytes-done");

  if (!is_state && !is_message && !is_bytes)
    return;

  /* A stage change also changes the message, and the two notifications come
   * in either order: report each stage once, and a message only when it is
   * news within the same stage. */
  if (is_state || is_message)
    {
      gboolean new_state = (int) mh_job_get_state (job) != self->last_state;
      gboolean new_message = g_strcmp0 (self->last_message, mh_job_get_message (job)) != 0;

      if (!new_state && !new_message)
        return;
      self->last_state = mh_job_get_state (job);
      g_free (self->last_message);
      self->last_message = g_strdup (mh_job_get_message (job));
      is_state = new_state;
      is_message = !new_state;
    }

  switch (self->output)
    {
    case MH_CLI_OUTPUT_QUIET:
      return;

    case MH_CLI_OUTPUT_JSON:
      if (is_state || is_message)
        emit_json (self, is_state ? "state" : "message");
      else
        {
          int percent = (int) (mh_job_get_fraction (job) * 100);

          /* A progress event per percent, not per chunk. */
          if (percent != self->last_percent)
            {
              self->last_percent = percent;
              emit_json (self, "progress");
            }
        }
      return;

    case MH_CLI_OUTPUT_TEXT:
    default:
      if (mh_job_state_is_finished (mh_job_get_state (job)))
        {
          clear_bar (self);
          return;
        }
      if (self->tty)
        {
          /* Redraw at most ten times a second. */
          if (!is_state && now_ms () - self->last_draw < 100)
            return;
          self->last_draw = now_ms ();
          draw_bar (self);
        }
      else if (is_state || is_message)
        {
          fprintf (stderr, "%s\n", mh_job_get_message (job));
        }
      return;
    }
}

static gboolean
tick_cb (gpointer user_data)
{
  MhCliProgress *self = user_data;

  if (!mh_job_state_is_finished (mh_job_get_state (self->job)))
    draw_bar (self);
  return G_SOURCE_CONTINUE;
}

MhCliProgress *
mh_cli_progress_new (MhJob       *job,
                     MhCliOutput  output)
{
  MhCliProgress *self = g_new0 (MhCliProgress, 1);

  self->job = g_object_ref (job);
  self->output = output;
  self->tty = isatty (STDERR_FILENO);
  self->last_percent = -1;
  self->last_state = -1;
  self->handler = g_signal_connect (job, "notify", G_CALLBACK (job_notify_cb), self);

  /* The waiting stages have no bytes to report: the elapsed time still moves. */
  if (self->tty && output == MH_CLI_OUTPUT_TEXT)
    self->tick = g_timeout_add (250, tick_cb, self);

  return self;
}

void
mh_cli_progress_finish (MhCliProgress *self)
{
  g_clear_handle_id (&self->tick, g_source_remove);
  clear_bar (self);
}

void
mh_cli_progress_free (MhCliProgress *self)
{
  mh_cli_progress_finish (self);
  g_signal_handler_disconnect (self->job, self->handler);
  g_object_unref (self->job);
  g_free (self->last_message);
  g_free (self);
}

void
mh_cli_print_result (MhJob       *job,
                     MhCliOutput  output)
{
  const char *const *files = mh_job_get_output_files (job);
  const GError *error = mh_job_get_error (job);
  MhJobState state = mh_job_get_state (job);

  if (output == MH_CLI_OUTPUT_JSON)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "event");
      json_builder_add_string_value (builder, "result");
      json_builder_set_member_name (builder, "time_ms");
      json_builder_add_int_value (builder, now_ms ());
      json_builder_set_member_name (builder, "tool");
      json_builder_add_string_value (builder, mh_job_get_tool (job)->id);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, mh_job_state_to_string (state));
      json_builder_set_member_name (builder, "project_id");
      if (mh_job_get_project_id (job) != NULL)
        json_builder_add_string_value (builder, mh_job_get_project_id (job));
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "credits_charged");
      if (mh_job_get_credits_charged (job) >= 0)
        json_builder_add_int_value (builder, mh_job_get_credits_charged (job));
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "files");
      json_builder_begin_array (builder);
      /* JSON is UTF-8, a file name need not be (a file:// URI then). */
      for (guint i = 0; files != NULL && files[i] != NULL; i++)
        {
          g_autofree char *text = mh_path_to_text (files[i]);
          json_builder_add_string_value (builder, text);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "status_checks");
      json_builder_add_int_value (builder, mh_job_get_status_checks (job));
      if (error != NULL)
        {
          json_builder_set_member_name (builder, "error");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "domain");
          json_builder_add_string_value (builder, g_quark_to_string (error->domain));
          json_builder_set_member_name (builder, "code");
          json_builder_add_int_value (builder, error->code);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, error->message);
          if (mh_error_get_link (error) != NULL)
            {
              json_builder_set_member_name (builder, "link");
              json_builder_add_string_value (builder, mh_error_get_link (error));
            }
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
      mh_cli_json_event (builder);
      return;
    }

  if (state == MH_JOB_STATE_DONE)
    {
      if (output == MH_CLI_OUTPUT_QUIET)
        {
          /* Scripts get the result's path as the file system has it (to
           * open it), or the project id, and nothing else. */
          for (guint i = 0; files != NULL && files[i] != NULL; i++)
            printf ("%s\n", files[i]);
          if (files == NULL || files[0] == NULL)
            printf ("%s\n", mh_job_get_project_id (job));
          return;
        }

      printf (_("Project: %s\n"), mh_job_get_project_id (job));
      if (mh_job_get_credits_charged (job) >= 0)
        printf (_("Credits charged: %lld\n"), (long long) mh_job_get_credits_charged (job));
      for (guint i = 0; files != NULL && files[i] != NULL; i++)
        {
          g_autofree char *display = g_filename_display_name (files[i]);
          printf (_("Saved: %s\n"), display);
        }
      return;
    }

  if (error != NULL)
    fprintf (stderr, _("Error: %s\n"), error->message);
  /* A refusal of the account: where on magichour.ai it is put right. */
  if (mh_error_get_link (error) != NULL)
    /* Translators: "Buy Credits: https://magichour.ai/pricing" */
    fprintf (stderr, _("%s: %s\n"), mh_error_get_link_label (error), mh_error_get_link (error));
  if (mh_job_get_project_id (job) != NULL)
    fprintf (stderr, _("Project ID: %s\n"), mh_job_get_project_id (job));
}
