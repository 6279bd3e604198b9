/* mh-cli-demo.c: a whole job against the built-in simulator
 *
 * Shows what the tool does on a machine with no API key: the simulator runs
 * in this process on loopback, sample inputs are written to a temporary
 * folder, and the job goes through every stage to a real file on disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>

#include "mh-cli-demo.h"
#include "mh-params.h"
#include "mh-simulator.h"

#define SAMPLES "/io/github/mhstudio/MagicHourStudio/simulator/"

/* A few seconds of a rising tone as 16-bit mono PCM WAV: something to speak. */
static void
append_le32 (GByteArray *array,
             guint32     value)
{
  guint8 b[4] = { value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >> 24 };

  g_byte_array_append (array, b, 4);
}

static void
append_le16 (GByteArray *array,
             guint16     value)
{
  guint8 b[2] = { value & 0xff, value >> 8 };

  g_byte_array_append (array, b, 2);
}

static gboolean
write_tone_wav (const char  *path,
                double       seconds,
                GError     **error)
{
  const guint32 rate = 16000;
  guint32 samples = (guint32) (seconds * rate);
  g_autoptr(GByteArray) wav = g_byte_array_sized_new (44 + samples * 2);

  g_byte_array_append (wav, (const guint8 *) "RIFF", 4);
  append_le32 (wav, 36 + samples * 2);
  g_byte_array_append (wav, (const guint8 *) "WAVEfmt ", 8);
  append_le32 (wav, 16);
  append_le16 (wav, 1);         /* PCM */
  append_le16 (wav, 1);         /* mono */
  append_le32 (wav, rate);
  append_le32 (wav, rate * 2);  /* bytes per second */
  append_le16 (wav, 2);         /* block align */
  append_le16 (wav, 16);        /* bits per sample */
  g_byte_array_append (wav, (const guint8 *) "data", 4);
  append_le32 (wav, samples * 2);

  for (guint32 i = 0; i < samples; i++)
    {
      double t = (double) i / rate;

      append_le16 (wav, (guint16) (gint16) (8000 * sin (2 * G_PI * (220 + 40 * t) * t)));
    }

  return g_file_set_contents (path, (char *) wav->data, wav->len, error);
}

static gboolean
write_resource (const char  *resource,
                const char  *path,
                GError     **error)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, error);

  if (bytes == NULL)
    return FALSE;
  return g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error);
}

typedef struct
{
  GMainLoop *loop;
  GError    *error;
} DemoWait;

static void
demo_job_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  DemoWait *wait = user_data;

  mh_job_run_finish (MH_JOB (source), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

int
mh_cli_demo_run (int            argc,
                 char         **argv,
                 MhCliOutput    output,
                 GCancellable  *cancellable)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MhSimulator) simulator = NULL;
  g_autoptr(MhClient) client = NULL;
  g_autoptr(MhJob) job = NULL;
  g_autoptr(GHashTable) params = mh_params_new ();
  g_autoptr(GFile) out_dir = NULL;
  g_autofree char *tool_id = NULL;
  g_autofree char *output_dir = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *photo = NULL, *speech = NULL, *video = NULL;
  const MhTool *tool;
  double render_seconds = 5;
  MhCliProgress *progress;
  DemoWait wait = { 0 };
  GOptionEntry entries[] = {
    { "tool", 't', 0, G_OPTION_ARG_STRING, &tool_id,
      N_("talking-photo, lip-sync or headshot (default: talking-photo)"), N_("TOOL") },
    { "output-dir", 'o', 0, G_OPTION_ARG_FILENAME, &output_dir,
      N_("Folder for the result (default: a “Magic Hour Studio Demo” folder in Videos or Pictures)"), N_("DIR") },
    { "render-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &render_seconds,
      N_("How long the simulated render takes (default: 5)"), N_("S") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Run one whole job (upload, queue, render, download) against the built-in simulator of the API. Nothing is sent to Magic Hour and no credits are used."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, _("Error: %s\n"), error->message);
      return 2;
    }

  tool = mh_tool_lookup (tool_id != NULL ? tool_id : "talking-photo");
  if (tool == NULL)
    {
      fprintf (stderr, _("Error: unknown tool “%s”. Use talking-photo, lip-sync or headshot.\n"), tool_id);
      return 2;
    }

  tmp = g_dir_make_tmp ("magic-hour-demo-XXXXXX", &error);
  if (tmp == NULL)
    {
      fprintf (stderr, _("Error: %s\n"), error->message);
      return 1;
    }
  photo = g_build_filename (tmp, "photo.png", NULL);
  speech = g_build_filename (tmp, "speech.wav", NULL);
  video = g_build_filename (tmp, "video.mp4", NULL);
  if (!write_resource (SAMPLES "sample.png", photo, &error) ||
      !write_resource (SAMPLES "sample.mp4", video, &error) ||
      !write_tone_wav (speech, 3.0, &error))
    {
      fprintf (stderr, _("Error: %s\n"), error->message);
      remove_tree (tmp);
      return 1;
    }

  if (g_str_equal (tool->id, "talking-photo"))
    {
      mh_params_set (params, "image", photo);
      mh_params_set (params, "audio", speech);
      mh_params_set (params, "start", "0");
      mh_params_set (params, "end", "3");
    }
  else if (g_str_equal (tool->id, "lip-sync"))
    {
      mh_params_set (params, "video", video);
      mh_params_set (params, "audio", speech);
      mh_params_set (params, "start", "0");
      mh_params_set (params, "end", "2.5");
    }
  else
    mh_params_set (params, "image", photo);
  mh_params_set (params, "name", _("Demo"));

  if (output_dir != NULL)
    out_dir = g_file_new_for_commandline_arg (output_dir);
  else
    {
      const char *base = g_get_user_special_dir (tool->kind == MH_PROJECT_IMAGE ? G_USER_DIRECTORY_PICTURES
                                                                                : G_USER_DIRECTORY_VIDEOS);
      g_autofree char *path = g_build_filename (base != NULL ? base : g_get_home_dir (),
                                                "Magic Hour Studio Demo", NULL);
      out_dir = g_file_new_for_path (path);
    }

  simulator = mh_simulator_new ();
  mh_simulator_set_render_seconds (simulator, render_seconds);
  if (!mh_simulator_start (simulator, 0, &error))
    {
      fprintf (stderr, _("Error: %s\n"), error->message);
      remove_tree (tmp);
      return 1;
    }

  if (output == MH_CLI_OUTPUT_TEXT)
    fprintf (stderr, _("Demo: %s against the built-in simulator at %s. Nothing is sent to Magic Hour.\n"),
             _(tool->name), mh_simulator_get_base_url (simulator));

  client = mh_client_new (mh_simulator_get_base_url (simulator));
  mh_client_set_api_key (client, "demo");
  job = mh_job_new (client, tool, params);
  mh_job_set_output_dir (job, out_dir);

  progress = mh_cli_progress_new (job, output);
  wait.loop = g_main_loop_new (NULL, FALSE);
  mh_job_run_async (job, cancellable, demo_job_done_cb, &wait);
  g_main_loop_run (wait.loop);
  g_main_loop_unref (wait.loop);
  mh_cli_progress_finish (progress);
  mh_cli_print_result (job, output);
  mh_cli_progress_free (progress);

  mh_simulator_stop (simulator);
  remove_tree (tmp);

  if (wait.error != NULL)
    {
      int code = g_error_matches (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? 130 : 1;
      g_error_free (wait.error);
      return code;
    }

  if (output == MH_CLI_OUTPUT_TEXT)
    fprintf (stderr, "%s\n", _("This result came from the simulator: a sample clip, not a real render."));
  return 0;
}
