/* test-simulator-storage-url.c: the simulator's "storage-url" (benchmarks)
 *
 * With an external storage the upload and output URLs it hands out point
 * there, and a create takes the file paths it handed out without an upload
 * it could see; without one it keeps checking the uploads as always.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include "sim-test-http.h"

#define STORAGE "http://127.0.0.1:9/sink"

/* Asks for a video and an audio upload URL; returns their file paths and URLs. */
static void
ask_upload_urls (Fixture  *f,
                 char    **video_path,
                 char    **video_url,
                 char    **audio_path,
                 char    **audio_url)
{
  g_autoptr(Reply) urls = api (f, "POST", "/v1/files/upload-urls",
                               "{\"items\":[{\"type\":\"video\",\"extension\":\"mp4\"},"
                               "{\"type\":\"audio\",\"extension\":\"wav\"}]}");
  JsonArray *items;

  g_assert_cmpuint (urls->status, ==, 200);
  items = json_object_get_array_member (reply_object (urls), "items");
  *video_path = g_strdup (json_object_get_string_member (json_array_get_object_element (items, 0),
                                                         "file_path"));
  *video_url = g_strdup (json_object_get_string_member (json_array_get_object_element (items, 0),
                                                        "upload_url"));
  *audio_path = g_strdup (json_object_get_string_member (json_array_get_object_element (items, 1),
                                                         "file_path"));
  *audio_url = g_strdup (json_object_get_string_member (json_array_get_object_element (items, 1),
                                                        "upload_url"));
}

static Reply *
create_lip_sync (Fixture    *f,
                 const char *video,
                 const char *audio)
{
  g_autofree char *json = g_strdup_printf (
    "{\"assets\":{\"video_source\":\"file\",\"video_file_path\":\"%s\","
    "\"audio_file_path\":\"%s\"},\"start_seconds\":0,\"end_seconds\":1}", video, audio);

  return api (f, "POST", "/v1/lip-sync", json);
}

static void
test_external_storage (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autofree char *video_path = NULL, *video_url = NULL;
  g_autofree char *audio_path = NULL, *audio_url = NULL;
  g_autofree char *expected_prefix = NULL;
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) unknown = NULL;
  g_autoptr(Reply) project = NULL;
  g_autofree char *output_prefix = NULL;
  const char *id;
  const char *download;
  guint64 size;

  /* A trailing slash is dropped: URLs are made by appending "/path". */
  g_object_set (f->sim, "storage-url", STORAGE "/", NULL);
  ask_upload_urls (f, &video_path, &video_url, &audio_path, &audio_url);

  /* The URL names the file at the receiver, signed as the simulator's own. */
  expected_prefix = g_strdup_printf (STORAGE "/%s?", video_path);
  g_assert_true (g_str_has_prefix (video_url, expected_prefix));
  g_assert_nonnull (strstr (video_url, "expires="));
  g_assert_nonnull (strstr (video_url, "signature="));
  g_clear_pointer (&expected_prefix, g_free);
  expected_prefix = g_strdup_printf (STORAGE "/%s?", audio_path);
  g_assert_true (g_str_has_prefix (audio_url, expected_prefix));

  /* Nothing reached the simulator, and the create goes through. */
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_UPLOAD), ==, 0);
  g_assert_false (mh_simulator_lookup_upload (f->sim, video_path, &size, NULL));
  created = create_lip_sync (f, video_path, audio_path);
  g_assert_no_error (created->error);
  g_assert_cmpuint (created->status, ==, 200);
  id = json_object_get_string_member (reply_object (created), "id");
  g_assert_cmpuint (mh_simulator_count_projects (f->sim), ==, 1);

  /* A path it never handed out is still refused. */
  unknown = create_lip_sync (f, "api-assets/cnothandedout000000000000000/x.mp4", audio_path);
  assert_error_reply (unknown, 422);
  g_assert_nonnull (strstr (json_object_get_string_member (reply_object (unknown), "message"),
                            "not found"));

  /* The output is served by the receiver too. */
  mh_simulator_finish_project_now (f->sim, id);
  project = get_project (f, "video", id);
  download = first_download_url (project);
  output_prefix = g_strdup_printf (STORAGE "/output/%s/", id);
  g_assert_true (g_str_has_prefix (download, output_prefix));
  g_assert_nonnull (strstr (download, ".mp4?expires="));
  g_assert_nonnull (strstr (download, "signature="));
}

/* The default is unchanged: URLs of its own storage, and a create needs the
 * upload itself. */
static void
test_own_storage_checks_uploads (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autofree char *video_path = NULL, *video_url = NULL;
  g_autofree char *audio_path = NULL, *audio_url = NULL;
  g_autofree char *storage = NULL;
  g_autofree char *storage_url = NULL;
  g_autoptr(Reply) refused = NULL;

  g_object_get (f->sim, "storage-url", &storage_url, NULL);
  g_assert_null (storage_url);
  ask_upload_urls (f, &video_path, &video_url, &audio_path, &audio_url);
  storage = g_strdup_printf ("%s/storage/upload/", mh_simulator_get_base_url (f->sim));
  g_assert_true (g_str_has_prefix (video_url, storage));

  refused = create_lip_sync (f, video_path, audio_path);
  assert_error_reply (refused, 422);
  g_assert_nonnull (strstr (json_object_get_string_member (reply_object (refused), "message"),
                            "upload it first"));
  g_assert_cmpuint (mh_simulator_count_projects (f->sim), ==, 0);
}

/* ------------------------------------------------------------------------ */
/* `magic-hour-studio-cli simulator --storage-url`                           */

static void
got_line (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  char **line = user_data;
  GError *error = NULL;

  *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                     NULL, &error);
  g_assert_no_error (error);
  if (*line == NULL)
    *line = g_strdup ("");
}

static void
waited (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_assert_true (g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL));
  *(gboolean *) user_data = TRUE;
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
test_cli_switch (void)
{
  const char *cli = g_getenv ("MH_CLI");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *base_url = NULL;
  g_autofree char *urls_at = NULL;
  g_autoptr(Reply) urls = NULL;
  Fixture f = { NULL, session, NULL };
  JsonObject *item;
  g_autofree char *expected_prefix = NULL;
  gboolean exited = FALSE;

  if (cli == NULL)
    {
      g_test_skip ("MH_CLI is not set");
      return;
    }

  /* Not a web address: a usage error */
  {
    g_autoptr(GSubprocess) bad = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                   G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                                   cli, "simulator", "--storage-url",
                                                   "ftp://127.0.0.1/sink", NULL);

    g_assert_no_error (error);
    g_assert_true (g_subprocess_wait (bad, NULL, &error));
    g_assert_true (g_subprocess_get_if_exited (bad));
    g_assert_cmpint (g_subprocess_get_exit_status (bad), ==, 2);
  }

  /* The simulator ends with the test, also when an assertion aborts it. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, &error, cli, "simulator",
                                         "--storage-url", STORAGE, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, got_line, &base_url);
  while (base_url == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_str_has_prefix (base_url, "http://127.0.0.1:"));

  urls_at = g_strconcat (base_url, "/v1/files/upload-urls", NULL);
  urls = send_message (&f, new_message (&f, "POST", urls_at, KEY,
                                        "{\"items\":[{\"type\":\"video\",\"extension\":\"mp4\"}]}"));
  g_assert_no_error (urls->error);
  g_assert_cmpuint (urls->status, ==, 200);
  item = json_array_get_object_element (json_object_get_array_member (reply_object (urls), "items"), 0);
  expected_prefix = g_strdup_printf (STORAGE "/%s?",
                                     json_object_get_string_member (item, "file_path"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (item, "upload_url"),
                                   expected_prefix));

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait_async (process, NULL, waited, &exited);
  while (!exited)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/simulator/storage-url/external", test_external_storage);
  g_test_add_func ("/simulator/storage-url/own-storage-checks-uploads",
                   test_own_storage_checks_uploads);
  g_test_add_func ("/simulator/storage-url/cli-switch", test_cli_switch);

  return g_test_run ();
}
