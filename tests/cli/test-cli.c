/* test-cli.c: magic-hour-studio-cli as a script would use it
 *
 * Runs the real binary against the simulator (in this process, on loopback)
 * and checks what a user of the command would: exit statuses, the files on
 * disk, the JSON events, and the requests the simulator received.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include "mh-job-store.h"
#include "mh-simulator.h"
#include "mh-cli-test-util.h"
#include "mh-test-util.h"

/* ------------------------------------------------------------------------ */

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(Run) none = run_cli_with_key (f, KEY, NULL);
  g_autoptr(Run) help = run_cli (f, "--help");
  g_autoptr(Run) tool_help = run_cli (f, "lip-sync", "--help");
  g_autoptr(Run) unknown = run_cli (f, "frobnicate");
  g_autoptr(Run) extra = run_cli (f, "headshot", "--image", f->photo, "stray");
  /* Every option string given is freed on this early return too (under
   * LeakSanitizer a leak turned the 2 into a 1). */
  g_autoptr(Run) extra_options = run_cli (f, "talking-photo", "--image", f->photo, "--audio", f->speech,
                                          "--start", "0", "--end", "1", "extra");

  g_assert_cmpint (none->status, ==, 2);
  g_assert_cmpint (help->status, ==, 0);
  g_assert_nonnull (strstr (help->out, "talking-photo"));
  g_assert_nonnull (strstr (help->out, "130 interrupted"));
  /* The options come from the tool table. */
  g_assert_cmpint (tool_help->status, ==, 0);
  g_assert_nonnull (strstr (tool_help->out, "--max-fps"));
  g_assert_nonnull (strstr (tool_help->out, "lite|standard|pro"));
  g_assert_nonnull (strstr (tool_help->out, "--youtube"));
  g_assert_cmpint (unknown->status, ==, 2);
  g_assert_cmpint (extra->status, ==, 2);
  g_assert_cmpint (extra_options->status, ==, 2);
  g_assert_nonnull (strstr (extra_options->err, "Unexpected argument “extra”"));
  g_assert_cmpuint (mh_simulator_get_requests (f->sim)->len, ==, 0);
}

/* A global option may be given again after the command: the later one
 * counts, and the earlier string is freed (LeakSanitizer turned exit 0
 * into 1 when it was not). */
static void
test_global_options_after_command (Fixture       *f,
                                   gconstpointer  data)
{
  const char *url = mh_simulator_get_base_url (f->sim);
  g_autoptr(Run) job = run_cli (f, "--api-base-url", "http://127.0.0.1:1", "--quiet",
                                "headshot", "--image", f->photo, "-o", f->out,
                                "--api-base-url", url);
  g_autoptr(Run) history = run_cli (f, "--api-base-url", url, "history", "--api-base-url", url);
  g_autoptr(Run) bad = run_cli (f, "--api-base-url", url, "history", "--api-base-url");

  g_assert_cmpint (job->status, ==, 0);
  g_assert_cmpuint (count_files (f->out), ==, 1);
  g_assert_cmpint (history->status, ==, 0);
  g_assert_nonnull (strstr (history->out, "AI Headshot"));
  g_assert_cmpint (bad->status, ==, 2);
}

static void
test_invalid_input_sends_nothing (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *gif = g_build_filename (f->dir, "anim.gif", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "nope.png", NULL);
  g_autoptr(Run) wrong_type = NULL, absent = NULL, range = NULL, too_long = NULL, past_end = NULL;
  g_autoptr(Run) no_key = NULL, insecure = NULL, intensity = NULL;

  g_file_set_contents (gif, "GIF89a", 6, NULL);
  wrong_type = run_cli (f, "headshot", "--image", gif);
  g_assert_cmpint (wrong_type->status, ==, 2);
  g_assert_nonnull (strstr (wrong_type->err, "anim.gif"));
  g_assert_nonnull (strstr (wrong_type->err, "png"));

  absent = run_cli (f, "headshot", "--image", missing);
  g_assert_cmpint (absent->status, ==, 2);
  g_assert_nonnull (strstr (absent->err, "does not exist"));

  range = run_cli (f, "talking-photo", "--image", f->photo, "--audio", f->speech,
                   "--start", "2", "--end", "1");
  g_assert_cmpint (range->status, ==, 2);
  g_assert_nonnull (strstr (range->err, "must be after the start"));

  too_long = run_cli (f, "talking-photo", "--image", f->photo, "--audio", f->speech,
                      "--start", "0", "--end", "60.1", "--mode", "expressive");
  g_assert_cmpint (too_long->status, ==, 2);
  g_assert_nonnull (strstr (too_long->err, "at most 1:00.0"));

  /* The WAV is 3 s long: its duration bounds the range. */
  past_end = run_cli (f, "talking-photo", "--image", f->photo, "--audio", f->speech,
                      "--start", "0", "--end", "10");
  g_assert_cmpint (past_end->status, ==, 2);
  g_assert_nonnull (strstr (past_end->err, "past the end"));

  intensity = run_cli (f, "talking-photo", "--image", f->photo, "--audio", f->speech,
                       "--start", "0", "--end", "2", "--intensity", "1.5");
  g_assert_cmpint (intensity->status, ==, 2);
  g_assert_nonnull (strstr (intensity->err, "“Intensity” only applies"));

  no_key = run_cli_with_key (f, "   ", "headshot", "--image", f->photo, NULL);
  g_assert_cmpint (no_key->status, ==, 2);
  g_assert_nonnull (strstr (no_key->err, "No API key"));

  insecure = run_cli (f, "--api-base-url", "http://api.example.invalid", "headshot", "--image", f->photo);
  g_assert_cmpint (insecure->status, ==, 2);
  g_assert_nonnull (strstr (insecure->err, "unencrypted"));

  g_assert_cmpuint (mh_simulator_get_requests (f->sim)->len, ==, 0);
}

static void
test_talking_photo_every_option (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(Run) run = run_cli (f, "--json", "talking-photo", "--image", f->photo,
                                "--audio", f->speech, "--start", "0.5", "--end", "2.5",
                                "--mode", "expressive", "--intensity", "1.25",
                                "--prompt", "a warm smile", "--max-resolution", "512",
                                "--name", "CLI talking photo", "--output-dir", f->out);
  g_autoptr(Run) both = NULL;
  g_autoptr(JsonObject) result = NULL;
  JsonObject *body, *style, *assets;

  g_assert_cmpint (run->status, ==, 0);
  result = last_event (run);
  g_assert_cmpstr (json_object_get_string_member (result, "event"), ==, "result");
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "done");
  g_assert_cmpint (json_object_get_int_member (result, "credits_charged"), >, 0);
  assert_file_is_output (f, result);

  body = last_body (f, MH_SIM_ENDPOINT_CREATE);
  assets = json_object_get_object_member (body, "assets");
  style = json_object_get_object_member (body, "style");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (assets, "image_file_path"), "api-assets/"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (assets, "image_file_path"), ".png"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (assets, "audio_file_path"), ".wav"));
  g_assert_cmpfloat (json_object_get_double_member (body, "start_seconds"), ==, 0.5);
  g_assert_cmpfloat (json_object_get_double_member (body, "end_seconds"), ==, 2.5);
  g_assert_cmpstr (json_object_get_string_member (style, "generation_mode"), ==, "prompted");
  g_assert_cmpfloat (json_object_get_double_member (style, "intensity"), ==, 1.25);
  g_assert_cmpstr (json_object_get_string_member (style, "prompt"), ==, "a warm smile");
  /* The deprecated options: intensity goes with the prompted mode, with a
   * note; max_resolution goes as the preset the API maps it to. */
  g_assert_false (json_object_has_member (body, "max_resolution"));
  g_assert_cmpstr (json_object_get_string_member (body, "resolution"), ==, "480p");
  g_assert_nonnull (strstr (run->err, "--intensity is deprecated"));
  g_assert_nonnull (strstr (run->err, "--max-resolution is deprecated: 512 is sent as --resolution 480p"));
  g_assert_cmpstr (json_object_get_string_member (body, "name"), ==, "CLI talking photo");
  g_assert_cmpuint (mh_simulator_count_projects (f->sim), ==, 1);
  /* The result is named after the job, as in the app. */
  {
    g_autofree char *base = g_path_get_basename (json_array_get_string_element (
                                                   json_object_get_array_member (result, "files"), 0));

    g_assert_cmpstr (base, ==, "CLI talking photo.mp4");
  }
  /* Both files asked for in one call. */
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_UPLOAD_URLS), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (last_body (f, MH_SIM_ENDPOINT_UPLOAD_URLS), "items")), ==, 2);

  /* --resolution wins; the two are never sent together. */
  both = run_cli (f, "--json", "talking-photo", "--image", f->photo, "--audio", f->speech,
                  "--start", "0", "--end", "1", "--resolution", "720p",
                  "--max-resolution", "640", "--output-dir", f->out);
  g_assert_cmpint (both->status, ==, 0);
  body = last_body (f, MH_SIM_ENDPOINT_CREATE);
  g_assert_false (json_object_has_member (body, "max_resolution"));
  g_assert_cmpstr (json_object_get_string_member (body, "resolution"), ==, "720p");
  g_assert_nonnull (strstr (both->err, "--max-resolution is deprecated and is not sent, since --resolution is given"));
}

/* --dry-run checks the inputs and tells the cost from the tool table
 * (CONTRACT.md, December 2026), and sends nothing. */
static void
test_dry_run_estimates (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Run) realistic = run_cli (f, "talking-photo", "--image", f->photo, "--audio", f->speech,
                                      "--start", "0", "--end", "2.5", "--dry-run");
  g_autoptr(Run) prompted = run_cli (f, "--json", "talking-photo", "--image", f->photo,
                                     "--audio", f->speech, "--start", "0", "--end", "2.5",
                                     "--mode", "standard", "--dry-run");
  g_autoptr(Run) lip_sync = run_cli (f, "lip-sync", "--video", f->video, "--audio", f->speech,
                                     "--start", "0", "--end", "2", "--mode", "pro",
                                     "--max-fps", "24", "--dry-run");
  g_autoptr(Run) headshot = run_cli (f, "-q", "headshot", "--image", f->photo, "--dry-run");
  g_autoptr(Run) past_end = run_cli (f, "talking-photo", "--image", f->photo, "--audio", f->speech,
                                     "--start", "0", "--end", "10", "--dry-run");
  g_autoptr(JsonObject) event = NULL;

  g_assert_cmpint (realistic->status, ==, 0);
  /* 2.5 s at 48 credits a second */
  g_assert_nonnull (strstr (realistic->out, "About 120 credits."));
  g_assert_nonnull (strstr (realistic->out, "Nothing was sent."));

  g_assert_cmpint (prompted->status, ==, 0);
  event = last_event (prompted);
  g_assert_cmpstr (json_object_get_string_member (event, "event"), ==, "estimate");
  /* 2.5 s at 20 credits a second */
  g_assert_cmpint (json_object_get_int_member (event, "credits"), ==, 50);

  /* 2 s at 24 fps (below 30), 2 credits a frame */
  g_assert_cmpint (lip_sync->status, ==, 0);
  g_assert_nonnull (strstr (lip_sync->out, "About 96 credits, an estimate"));

  g_assert_cmpint (headshot->status, ==, 0);
  g_assert_true (g_str_has_suffix (headshot->out, "\n50\n") || g_str_equal (headshot->out, "50\n"));

  /* The files are read as a job reads them: the WAV is 3 s long. */
  g_assert_cmpint (past_end->status, ==, 2);
  g_assert_nonnull (strstr (past_end->err, "past the end"));

  g_assert_cmpuint (mh_simulator_get_requests (f->sim)->len, ==, 0);
}

static void
test_lip_sync_file_and_youtube (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(Run) file = run_cli (f, "--json", "lip-sync", "--video", f->video, "--audio", f->speech,
                                 "--start", "0", "--end", "2", "--mode", "pro", "--max-fps", "12",
                                 "--name", "dub", "-o", f->out);
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(Run) youtube = NULL;
  JsonObject *body, *assets;

  g_assert_cmpint (file->status, ==, 0);
  result = last_event (file);
  assert_file_is_output (f, result);
  body = last_body (f, MH_SIM_ENDPOINT_CREATE);
  assets = json_object_get_object_member (body, "assets");
  g_assert_cmpstr (json_object_get_string_member (assets, "video_source"), ==, "file");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (assets, "video_file_path"), ".mp4"));
  g_assert_false (json_object_has_member (assets, "youtube_url"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (body, "style"), "generation_mode"), ==, "pro");
  g_assert_cmpfloat (json_object_get_double_member (body, "max_fps_limit"), ==, 12);
  /* Deprecated fields are never offered. */
  g_assert_false (json_object_has_member (body, "width"));

  youtube = run_cli (f, "--json", "lip-sync", "--youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                     "--audio", f->speech, "--start", "1", "--end", "3", "--no-download");
  g_assert_cmpint (youtube->status, ==, 0);
  body = last_body (f, MH_SIM_ENDPOINT_CREATE);
  assets = json_object_get_object_member (body, "assets");
  g_assert_cmpstr (json_object_get_string_member (assets, "video_source"), ==, "youtube");
  g_assert_cmpstr (json_object_get_string_member (assets, "youtube_url"), ==, "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
  g_assert_false (json_object_has_member (assets, "video_file_path"));
  /* Unset options are left out, never null. */
  g_assert_false (json_object_has_member (body, "style"));
  g_assert_false (json_object_has_member (body, "max_fps_limit"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (last_body (f, MH_SIM_ENDPOINT_UPLOAD_URLS), "items")), ==, 1);
  g_assert_cmpuint (count_files (f->dir), ==, 4);  /* the three inputs and out/ */
}

static void
test_headshot_and_url_passthrough (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(Run) run = run_cli (f, "--json", "headshot", "--image", f->photo, "--prompt", "studio light",
                                "--name", "me", "-o", f->out);
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(Run) url = NULL;
  JsonObject *body;

  g_assert_cmpint (run->status, ==, 0);
  result = last_event (run);
  assert_file_is_output (f, result);
  g_assert_cmpint (json_object_get_int_member (result, "credits_charged"), ==, 50);
  body = last_body (f, MH_SIM_ENDPOINT_CREATE);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (body, "style"), "prompt"), ==, "studio light");
  g_assert_cmpstr (json_object_get_string_member (body, "name"), ==, "me");

  /* A URL is passed through untouched: nothing is uploaded. */
  mh_simulator_clear_requests (f->sim);
  url = run_cli (f, "--json", "headshot", "--image", "https://example.com/me.jpg?size=large", "--no-wait");
  g_assert_cmpint (url->status, ==, 0);
  body = last_body (f, MH_SIM_ENDPOINT_CREATE);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (body, "assets"), "image_file_path"),
                   ==, "https://example.com/me.jpg?size=large");
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_UPLOAD_URLS), ==, 0);
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_PROJECT), ==, 0);
}

static void
test_exit_statuses (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Run) render = NULL, refused = NULL, payment = NULL, network = NULL;

  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_RENDER_ERROR, 1, 0, "no_source_face");
  render = run_cli (f, "headshot", "--image", f->photo, "-o", f->out);
  g_assert_cmpint (render->status, ==, 1);
  g_assert_nonnull (strstr (render->err, "No face was found in the photo"));
  g_assert_cmpuint (count_files (f->out), ==, 0);

  mh_simulator_set_required_key (f->sim, "mhk_live_other");
  refused = run_cli (f, "headshot", "--image", f->photo);
  g_assert_cmpint (refused->status, ==, 3);
  g_assert_nonnull (strstr (refused->err, "API key was not accepted"));
  mh_simulator_set_required_key (f->sim, NULL);

  g_object_set (f->sim, "credits", (gint64) 10, NULL);
  payment = run_cli (f, "headshot", "--image", f->photo);
  g_assert_cmpint (payment->status, ==, 3);
  g_assert_nonnull (strstr (payment->err, "enough credits"));

  /* Nothing listens there: retried with backoff, then exit 4. */
  network = run_cli (f, "--api-base-url", "http://127.0.0.1:9", "status", "abc");
  g_assert_cmpint (network->status, ==, 4);
  g_assert_nonnull (strstr (network->err, "refused the connection"));
}

static void
status_line_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data);

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *lines;
  gboolean          signaled;
  gboolean          read_all;  /* no read pending: end of output or an error */
} Watch;

static void
status_line_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Watch *watch = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (watch->lines, result, NULL, NULL);

  if (line == NULL)
    {
      watch->read_all = TRUE;
      return;
    }
  if (!watch->signaled && strstr (line, "\"state\":\"rendering\"") != NULL)
    {
      watch->signaled = TRUE;
      g_subprocess_send_signal (watch->process, SIGINT);
    }
  g_data_input_stream_read_line_async (watch->lines, G_PRIORITY_DEFAULT, NULL, status_line_cb, watch);
}

static void
waited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

static void
test_interrupt_and_pick_up_later (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = make_launcher (f, KEY);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *project_id = NULL;
  g_autoptr(Run) status = NULL, download = NULL, removed = NULL, gone = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(GInputStream) err_stream = NULL;
  Watch watch = { 0 };
  gboolean done = FALSE;
  GPtrArray *requests;
  gsize len;

  mh_simulator_set_render_seconds (f->sim, 60);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("MH_CLI"), "--json",
                                         "lip-sync", "--video", f->video, "--audio", f->speech,
                                         "--start", "0", "--end", "2", "-o", f->out, NULL);
  g_assert_no_error (error);
  watch.process = process;
  watch.lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (watch.lines, G_PRIORITY_DEFAULT, NULL, status_line_cb, &watch);
  g_subprocess_wait_async (process, NULL, waited_cb, &done);
  /* Its exit and the end of its output come in either order: the last read
   * must have returned before the stream and @watch go. */
  while (!done || !watch.read_all)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (watch.signaled);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 130);
  err_stream = g_object_ref (g_subprocess_get_stderr_pipe (process));
  err = g_malloc0 (65536);
  g_input_stream_read_all (err_stream, err, 65535, &len, NULL, NULL);
  g_assert_null (strstr (err, KEY));
  g_assert_cmpuint (count_files (f->out), ==, 0);
  g_clear_object (&watch.lines);

  /* The project ID was printed, and it is all it takes to pick the job up. */
  requests = mh_simulator_get_requests (f->sim);
  for (guint i = 0; i < requests->len; i++)
    {
      MhSimRequest *request = g_ptr_array_index (requests, i);
      if (g_strcmp0 (request->endpoint, MH_SIM_ENDPOINT_PROJECT) == 0)
        {
          g_free (project_id);
          project_id = g_path_get_basename (request->path);
        }
    }
  g_assert_nonnull (project_id);
  g_assert_nonnull (strstr (err, project_id));

  status = run_cli (f, "--json", "status", project_id);
  g_assert_cmpint (status->status, ==, 0);
  g_assert_nonnull (strstr (status->out, "\"status\":\"rendering\""));

  mh_simulator_finish_project_now (f->sim, project_id);
  download = run_cli (f, "--json", "download", project_id, "--output-dir", f->out);
  g_assert_cmpint (download->status, ==, 0);
  result = last_event (download);
  assert_file_is_output (f, result);
  g_assert_cmpuint (mh_simulator_count_projects (f->sim), ==, 1);

  removed = run_cli (f, "delete", project_id);
  g_assert_cmpint (removed->status, ==, 0);
  g_assert_nonnull (strstr (removed->out, project_id));
  gone = run_cli (f, "status", project_id);
  g_assert_cmpint (gone->status, ==, 0);
  g_assert_nonnull (strstr (gone->out, "deleted"));
}

/* The result's name, as the app gives it (mh-result-name.h): the job's
 * name, else the input's and the tool's; a second job of the same name
 * leaves the first file as it was. */
static const char *
result_basename (Run  *run,
                 char **out)
{
  g_autoptr(JsonObject) result = last_event (run);
  JsonArray *files = json_object_get_array_member (result, "files");

  g_assert_cmpuint (json_array_get_length (files), ==, 1);
  *out = g_path_get_basename (json_array_get_string_element (files, 0));
  return *out;
}

static void
test_result_names (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Run) named = run_cli (f, "--json", "headshot", "--image", f->photo,
                                  "--name", "Team page", "--output-dir", f->out);
  g_autoptr(Run) again = NULL;
  g_autoptr(Run) unnamed = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *first_path = g_build_filename (f->out, "Team page.png", NULL);
  g_autofree char *first_sha = NULL;
  g_autofree char *first_sha_after = NULL;

  g_assert_cmpint (named->status, ==, 0);
  g_assert_cmpstr (result_basename (named, &first), ==, "Team page.png");
  first_sha = mh_test_file_sha256 (first_path);

  again = run_cli (f, "--json", "headshot", "--image", f->photo,
                   "--name", "Team page", "--output-dir", f->out);
  g_assert_cmpint (again->status, ==, 0);
  g_assert_cmpstr (result_basename (again, &second), ==, "Team page (2).png");
  first_sha_after = mh_test_file_sha256 (first_path);
  g_assert_cmpstr (first_sha_after, ==, first_sha);

  unnamed = run_cli (f, "--json", "headshot", "--image", f->photo, "--output-dir", f->out);
  g_assert_cmpint (unnamed->status, ==, 0);
  g_assert_cmpstr (result_basename (unnamed, &third), ==, "photo-headshot.png");
  g_assert_cmpuint (count_files (f->out), ==, 3);
}

static void
test_unknown_project (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Run) run = run_cli (f, "status", "does-not-exist");

  g_assert_cmpint (run->status, ==, 3);
  g_assert_nonnull (strstr (run->err, "does-not-exist"));
  /* Asked as a video, then as an image. */
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_PROJECT), ==, 2);
}


/* ------------------------------------------------------------------------ */
/* Killed, then resumed                                                     */

typedef enum
{
  KILL_UPLOADING,
  KILL_RENDERING,
  KILL_DOWNLOADING,
} KillStage;

typedef struct
{
  Fixture          *f;
  GSubprocess      *process;
  GDataInputStream *lines;
  KillStage         stage;
  gboolean          killed;
  gboolean          part_seen;
  char             *project_id;
} Killer;

/* The hidden partial downloads in @dir. */
static guint
count_part_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (name[0] == '.' && g_str_has_suffix (name, ".part"))
      n++;
  return n;
}

static void
killer_line_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Killer *k = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (k->lines, result, NULL, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *event;
  const char *state;

  if (line == NULL || k->killed)
    return;
  /* With G_MESSAGES_DEBUG=all, GLib's debug lines share stdout. */
  if (line[0] != '{')
    {
      g_data_input_stream_read_line_async (k->lines, G_PRIORITY_DEFAULT, NULL, killer_line_cb, k);
      return;
    }
  g_assert_true (json_parser_load_from_data (parser, line, -1, NULL));
  event = json_node_get_object (json_parser_get_root (parser));
  state = json_object_get_string_member_with_default (event, "state", "");
  if (json_object_has_member (event, "project_id") && k->project_id == NULL)
    k->project_id = g_strdup (json_object_get_string_member (event, "project_id"));

  if ((k->stage == KILL_UPLOADING && g_str_equal (state, "uploading")) ||
      (k->stage == KILL_RENDERING && g_str_equal (state, "rendering")) ||
      (k->stage == KILL_DOWNLOADING && g_str_equal (state, "downloading") &&
       json_object_get_int_member_with_default (event, "bytes_done", 0) > 0))
    {
      /* Stopped first, so what it left can be looked at before it dies:
       * during a download, a partial file must be there. */
      g_subprocess_send_signal (k->process, SIGSTOP);
      k->part_seen = count_part_files (k->f->out) > 0;
      g_subprocess_force_exit (k->process);
      k->killed = TRUE;
      return;
    }
  g_data_input_stream_read_line_async (k->lines, G_PRIORITY_DEFAULT, NULL, killer_line_cb, k);
}

/* The job id `history --json` gives for the newest job. */
static char *
newest_job_id (Fixture *f)
{
  g_autoptr(Run) history = run_cli (f, "--json", "history");
  g_autoptr(JsonObject) event = last_event (history);
  JsonArray *jobs;

  g_assert_cmpint (history->status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (event, "event"), ==, "history");
  jobs = json_object_get_array_member (event, "jobs");
  g_assert_cmpuint (json_array_get_length (jobs), >, 0);
  return g_strdup (json_object_get_string_member (json_array_get_object_element (jobs, 0), "id"));
}

static void
test_killed_then_resumed (Fixture       *f,
                          gconstpointer  data)
{
  KillStage stage = GPOINTER_TO_INT (data);
  g_autoptr(GSubprocessLauncher) launcher = make_launcher (f, KEY);
  g_autoptr(GError) error = NULL;
  g_autoptr(Run) resumed = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autofree char *job_id = NULL;
  Killer k = { .f = f, .stage = stage };
  gboolean done = FALSE;

  if (stage == KILL_UPLOADING)
    mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_UPLOAD, MH_SIM_FAULT_SLOW, 1, 5000, NULL);
  if (stage == KILL_RENDERING)
    mh_simulator_set_render_seconds (f->sim, 60);
  /* The first download stops after a few MiB and holds the connection:
   * however busy the machine, the CLI is killed with the file half
   * written (a whole file on loopback takes a fraction of a second, and a
   * slow reader of its events saw it finished). */
  if (stage == KILL_DOWNLOADING)
    {
      mh_simulator_set_output_bytes (f->sim, 256 * 1024 * 1024);
      mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_DOWNLOAD, MH_SIM_FAULT_STALL,
                              1, 4 * 1024 * 1024, NULL);
    }

  k.process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("MH_CLI"), "--json",
                                           "talking-photo", "--image", f->photo, "--audio", f->speech,
                                           "--start", "0", "--end", "2", "-o", f->out, NULL);
  g_assert_no_error (error);
  k.lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (k.process));
  g_data_input_stream_read_line_async (k.lines, G_PRIORITY_DEFAULT, NULL, killer_line_cb, &k);
  g_subprocess_wait_async (k.process, NULL, waited_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&k.lines);

  g_assert_true (k.killed);
  g_assert_true (g_subprocess_get_if_signaled (k.process));
  g_assert_cmpint (g_subprocess_get_term_sig (k.process), ==, SIGKILL);
  if (stage == KILL_DOWNLOADING)
    g_assert_true (k.part_seen);
  job_id = newest_job_id (f);

  if (stage == KILL_UPLOADING)
    {
      g_autoptr(Run) first = NULL;

      /* Nothing existed at Magic Hour: `resume` names the job and how to
       * run it again, and creates nothing by itself. */
      g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_CREATE), ==, 0);
      first = run_cli (f, "resume");
      g_assert_cmpint (first->status, ==, 0);
      g_assert_nonnull (strstr (first->err, job_id));
      g_assert_nonnull (strstr (first->err, "nothing was charged"));
      g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_CREATE), ==, 0);

      resumed = run_cli (f, "--json", "resume", job_id);
    }
  else
    {
      g_assert_nonnull (k.project_id);
      if (stage == KILL_RENDERING)
        mh_simulator_finish_project_now (f->sim, k.project_id);
      resumed = run_cli (f, "--json", "resume");
    }

  g_assert_cmpint (resumed->status, ==, 0);
  result = last_event (resumed);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "done");
  if (k.project_id != NULL)
    g_assert_cmpstr (json_object_get_string_member (result, "project_id"), ==, k.project_id);

  /* One create, ever; the bytes the simulator serves; nothing half-written. */
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_CREATE), ==, 1);
  g_assert_cmpuint (mh_simulator_count_projects (f->sim), ==, 1);
  assert_file_is_output (f, result);
  g_assert_cmpuint (count_files (f->out), ==, 1);
  g_assert_cmpuint (count_part_files (f->out), ==, 0);

  /* The history says so, and a second resume has nothing left to do. */
  {
    g_autoptr(Run) history = run_cli (f, "history");
    g_autoptr(Run) again = run_cli (f, "resume");

    g_assert_nonnull (strstr (history->out, "Done"));
    g_assert_nonnull (strstr (again->out, "Nothing to resume."));
    g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_CREATE), ==, 1);
  }
  g_free (k.project_id);
  g_object_unref (k.process);
}

static void
cli_exited_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  guint *running = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  g_assert_true (g_subprocess_get_successful (G_SUBPROCESS (source)));
  (*running)--;
}

static void
store_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (mh_job_store_load_finish (MH_JOB_STORE (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* The app and the command-line tool share the history: while several CLI
 * jobs write their records, this process writes its own through the same
 * store code the app uses; no entry may be lost. */
static void
test_history_written_at_once (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = make_launcher (f, KEY);
  g_autofree char *jobs_path = g_build_filename (f->data, "magic-hour-studio", "jobs", NULL);
  g_autoptr(GFile) jobs_dir = g_file_new_for_path (jobs_path);
  g_autoptr(MhJobStore) ours = mh_job_store_new (jobs_dir);
  g_autoptr(MhJobStore) fresh = mh_job_store_new (jobs_dir);
  g_autoptr(GPtrArray) processes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(Run) history = NULL;
  g_autoptr(JsonObject) event = NULL;
  gboolean loaded = FALSE;
  guint running = 0;

  mh_simulator_set_render_seconds (f->sim, 0.3);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(GError) error = NULL;
      GSubprocess *process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("MH_CLI"), "--quiet",
                                                          "headshot", "--image", f->photo, "-o", f->out, NULL);
      g_assert_no_error (error);
      g_ptr_array_add (processes, process);
      running++;
      g_subprocess_wait_async (process, NULL, cli_exited_cb, &running);
    }

  /* Ours, written while they run, through the main loop they are served by. */
  for (guint i = 0; i < 40 || running > 0; i++)
    {
      if (i < 40)
        {
          g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
          g_autoptr(MhJobRecord) record = NULL;

          g_hash_table_insert (params, "image", f->photo);
          record = mh_job_record_new (mh_tool_lookup ("headshot"), params);
          mh_job_store_add (ours, record);
        }
      g_main_context_iteration (NULL, i >= 40);
    }
  mh_job_store_flush (ours);

  mh_job_store_load_async (fresh, NULL, store_loaded_cb, &loaded);
  while (!loaded)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (g_list_model_get_n_items (mh_job_store_get_records (fresh)), ==, 44);

  /* And `history` lists all of them too. */
  history = run_cli (f, "--json", "history");
  event = last_event (history);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (event, "jobs")), ==, 44);
  g_assert_cmpuint (mh_simulator_count_projects (f->sim), ==, 4);
}

static void
test_history_table (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Run) empty = run_cli (f, "history");
  g_autoptr(Run) job = run_cli (f, "--quiet", "headshot", "--image", f->photo, "-o", f->out);
  g_autoptr(Run) table = run_cli (f, "history");
  g_autoptr(Run) other = run_cli (f, "history", "--tool", "lip-sync");
  g_autoptr(Run) bad = run_cli (f, "history", "--tool", "nope");

  g_assert_cmpint (empty->status, ==, 0);
  g_assert_nonnull (strstr (empty->out, "No jobs yet."));
  g_assert_cmpint (job->status, ==, 0);
  g_assert_cmpint (table->status, ==, 0);
  g_assert_nonnull (strstr (table->out, "AI Headshot"));
  g_assert_nonnull (strstr (table->out, "photo"));
  g_assert_nonnull (strstr (table->out, "Done"));
  g_assert_nonnull (strstr (table->out, f->out));
  g_assert_nonnull (strstr (other->out, "No jobs yet."));
  g_assert_cmpint (bad->status, ==, 2);
  g_assert_nonnull (strstr (bad->err, "nope"));
}

/* Things in the jobs folder named like a record that are not one: history
 * ends at once, lists the rest, and says what it moved aside and why. */
static const char *const damaged_kinds[] = {
  "fifo", "symlink-to-device", "huge", "folder", "socket",
};

static char *
jobs_dir (Fixture *f)
{
  return g_build_filename (f->data, "magic-hour-studio", "jobs", NULL);
}

/* A record of a job that never started, as the app would leave it. */
static MhJobRecord *
write_good_record (Fixture *f)
{
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *jobs = jobs_dir (f);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  MhJobRecord *record;
  gsize len;

  g_hash_table_insert (params, g_strdup ("image"), g_strdup ("https://cdn.example.com/goodname.jpg"));
  record = mh_job_record_new (mh_tool_lookup ("headshot"), params);
  name = g_strconcat (mh_job_record_get_id (record), ".json", NULL);
  path = g_build_filename (jobs, name, NULL);
  g_assert_cmpint (g_mkdir_with_parents (jobs, 0700), ==, 0);
  data = mh_job_record_to_data (record, &len);
  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  return record;
}

static void
test_history_damaged (Fixture       *f,
                      gconstpointer  data)
{
  const char *kind = data;
  g_autoptr(MhJobRecord) good = write_good_record (f);
  g_autofree char *jobs = jobs_dir (f);
  g_autofree char *damaged = g_build_filename (jobs, "damaged", NULL);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *name = g_strconcat (id, ".json", NULL);
  g_autofree char *bad = g_build_filename (jobs, name, NULL);
  g_autofree char *moved_to = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(Run) first = NULL;
  g_autoptr(Run) again = NULL;
  g_autoptr(JsonObject) event = NULL;
  const char *reason;
  GStatBuf st;
  mode_t type;

  if (g_str_equal (kind, "fifo"))
    {
      g_assert_cmpint (mkfifo (bad, 0600), ==, 0);
      type = S_IFIFO;
      reason = "it is not a regular file";
    }
  else if (g_str_equal (kind, "symlink-to-device"))
    {
      g_assert_cmpint (symlink ("/dev/zero", bad), ==, 0);
      type = S_IFLNK;
      reason = "it is a symbolic link";
    }
  else if (g_str_equal (kind, "huge"))
    {
      /* 2 GiB, sparse: nothing on disk. */
      FILE *file = fopen (bad, "w");

      g_assert_nonnull (file);
      g_assert_cmpint (ftruncate (fileno (file), (off_t) 2 << 30), ==, 0);
      fclose (file);
      type = S_IFREG;
      reason = "it is larger than 1 MiB";
    }
  else if (g_str_equal (kind, "folder"))
    {
      g_assert_cmpint (g_mkdir (bad, 0700), ==, 0);
      type = S_IFDIR;
      reason = "it is not a regular file";
    }
  else if (g_str_equal (kind, "socket"))
    {
      socket = mh_test_bind_unix_socket (bad);
      type = S_IFSOCK;
      reason = "it is not a regular file";
    }
  else
    g_assert_not_reached ();

  first = run_cli_within_va (f, 20, "history", NULL);
  g_test_message ("%s: %.2f s, stderr: %s", kind, first->seconds, first->err);
  g_assert_cmpint (first->status, ==, 0);
  g_assert_cmpfloat (first->seconds, <, 10);
  g_assert_nonnull (strstr (first->out, "goodname"));
  g_assert_nonnull (strstr (first->out, mh_job_record_get_id (good)));

  /* Moved aside as it was, and the sentence says why and where to. */
  g_assert_cmpint (g_lstat (bad, &st), !=, 0);
  g_assert_cmpuint (count_files (damaged), ==, 1);
  {
    g_autoptr(GDir) dir = g_dir_open (damaged, 0, NULL);
    moved_to = g_build_filename (damaged, g_dir_read_name (dir), NULL);
  }
  g_assert_cmpint (g_lstat (moved_to, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & S_IFMT, ==, type);
  expected = g_strdup_printf ("Warning: A job record could not be read (%s", reason);
  g_assert_nonnull (strstr (first->err, expected));
  g_assert_nonnull (strstr (first->err, moved_to));

  /* Nothing left to say the next time. */
  again = run_cli_within_va (f, 20, "--json", "history", NULL);
  g_assert_cmpint (again->status, ==, 0);
  g_assert_null (strstr (again->err, "Warning"));
  event = last_event (again);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (event, "jobs")), ==, 1);
}

/* Paths are file names, not text: a result saved in a folder whose name is
 * not UTF-8 is printed as text, given to scripts as a file:// URI in JSON,
 * and its record survives being read and saved again. */
static void
test_history_paths_not_utf8 (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->dir, "R\xe9sultats", NULL);
  g_autofree char *shown = g_filename_display_name (out);
  g_autofree char *jobs = jobs_dir (f);
  g_autofree char *damaged = g_build_filename (jobs, "damaged", NULL);
  g_autofree char *project = NULL;
  g_autoptr(Run) job = run_cli (f, "headshot", "--image", f->photo, "-o", out);
  g_autoptr(Run) table = NULL;
  g_autoptr(Run) json = NULL;
  g_autoptr(Run) again = NULL;
  g_autoptr(Run) after = NULL;
  g_autoptr(JsonObject) event = NULL;
  g_autoptr(JsonObject) last = NULL;

  /* (Every run's output is checked to be UTF-8.) */
  g_assert_cmpint (job->status, ==, 0);
  g_assert_nonnull (strstr (job->out, shown));

  table = run_cli (f, "history");
  g_assert_cmpint (table->status, ==, 0);
  g_assert_nonnull (strstr (table->out, shown));
  g_assert_null (strstr (table->err, "Warning"));

  json = run_cli (f, "--json", "history");
  g_assert_cmpint (json->status, ==, 0);
  event = last_event (json);
  {
    JsonArray *list = json_object_get_array_member (event, "jobs");
    JsonObject *record;
    JsonArray *files;
    g_autofree char *dir = NULL;
    g_autofree char *file = NULL;
    g_autofree char *parent = NULL;

    g_assert_cmpuint (json_array_get_length (list), ==, 1);
    record = json_array_get_object_element (list, 0);
    dir = g_filename_from_uri (json_object_get_string_member (record, "output_dir"), NULL, NULL);
    g_assert_cmpstr (dir, ==, out);
    files = json_object_get_array_member (record, "output_files");
    g_assert_cmpuint (json_array_get_length (files), ==, 1);
    file = g_filename_from_uri (json_array_get_string_element (files, 0), NULL, NULL);
    g_assert_nonnull (file);
    parent = g_path_get_dirname (file);
    g_assert_cmpstr (parent, ==, out);
    g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
    project = g_strdup (json_object_get_string_member (json_object_get_object_member (record, "project"), "id"));
  }

  /* Downloading it again reads the record, and writes it again. */
  again = run_cli (f, "download", project);
  g_assert_cmpint (again->status, ==, 0);
  g_assert_null (strstr (again->err, "Warning"));

  after = run_cli (f, "--json", "history");
  g_assert_cmpint (after->status, ==, 0);
  g_assert_null (strstr (after->err, "Warning"));
  last = last_event (after);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (last, "jobs")), ==, 1);
  g_assert_false (g_file_test (damaged, G_FILE_TEST_EXISTS));
}

/* A record that failed without a reason ("error": null, as a hand-edited
 * or older file may have it) is described in words, never "(null)". */
static void
test_history_failed_without_error (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(MhJobRecord) record = write_good_record (f);
  g_autofree char *jobs = jobs_dir (f);
  g_autofree char *name = g_strconcat (mh_job_record_get_id (record), ".json", NULL);
  g_autofree char *path = g_build_filename (jobs, name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Run) table = NULL;
  g_autoptr(Run) json = NULL;
  g_autoptr(JsonObject) event = NULL;
  JsonObject *listed;
  gsize len;

  /* A project that failed to reach its end, and no error saved. */
  mh_job_record_set_project (record, "cm0nullerror", 5);
  mh_job_record_set_state (record, MH_JOB_STATE_FAILED);
  text = mh_job_record_to_data (record, &len);
  g_assert_nonnull (strstr (text, "\"error\" : null"));
  g_file_set_contents (path, text, len, &error);
  g_assert_no_error (error);

  table = run_cli (f, "history");
  g_assert_cmpint (table->status, ==, 0);
  g_assert_null (strstr (table->out, "(null)"));
  g_assert_null (strstr (table->err, "(null)"));
  g_assert_nonnull (strstr (table->out, "Not finished, will be resumed"));

  json = run_cli (f, "--json", "history");
  event = last_event (json);
  listed = json_array_get_object_element (json_object_get_array_member (event, "jobs"), 0);
  g_assert_cmpstr (json_object_get_string_member (listed, "status"), ==, "Not finished, will be resumed");
  g_assert_true (json_object_get_boolean_member (listed, "needs_resume"));
}

int
main (int   argc,
      char *argv[])
{
  /* Status checks come at a real render's pace (the first after 3-5 s):
   * a fifth of every wait keeps these jobs of half-second renders quick. */
  g_setenv ("MAGIC_HOUR_STUDIO_TIME_SCALE", "0.2", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/cli/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("usage", test_usage);
  ADD ("result-names", test_result_names);
  ADD ("global-options-after-command", test_global_options_after_command);
  ADD ("invalid-input-sends-nothing", test_invalid_input_sends_nothing);
  ADD ("talking-photo-every-option", test_talking_photo_every_option);
  ADD ("dry-run-estimates", test_dry_run_estimates);
  ADD ("lip-sync-file-and-youtube", test_lip_sync_file_and_youtube);
  ADD ("headshot-and-url-passthrough", test_headshot_and_url_passthrough);
  ADD ("exit-statuses", test_exit_statuses);
  ADD ("interrupt-and-pick-up-later", test_interrupt_and_pick_up_later);
  ADD ("unknown-project", test_unknown_project);
  ADD ("history-table", test_history_table);
  ADD ("history-written-at-once", test_history_written_at_once);
  ADD ("history-paths-not-utf8", test_history_paths_not_utf8);
  ADD ("history-failed-without-error", test_history_failed_without_error);
#undef ADD
  for (guint i = 0; i < G_N_ELEMENTS (damaged_kinds); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/history-damaged/%s", damaged_kinds[i]);
      g_test_add (path, Fixture, damaged_kinds[i], fixture_setup, test_history_damaged, fixture_teardown);
    }
  g_test_add ("/cli/killed-while-uploading-then-resumed", Fixture, GINT_TO_POINTER (KILL_UPLOADING),
              fixture_setup, test_killed_then_resumed, fixture_teardown);
  g_test_add ("/cli/killed-while-rendering-then-resumed", Fixture, GINT_TO_POINTER (KILL_RENDERING),
              fixture_setup, test_killed_then_resumed, fixture_teardown);
  g_test_add ("/cli/killed-while-downloading-then-resumed", Fixture, GINT_TO_POINTER (KILL_DOWNLOADING),
              fixture_setup, test_killed_then_resumed, fixture_teardown);

  return g_test_run ();
}
