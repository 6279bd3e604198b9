/* test-cli-library.c: `magic-hour-studio-cli library` and saved-items paths
 *
 * Runs the real binary against the simulator (in this process, on loopback)
 * and checks what its user would: the listing on stdout, the exit status,
 * the requests the simulator received.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "mh-cli-test-util.h"

/* The shared fixture, the CLI's stdout only its listing; with @data, the
 * simulator's library is a folder of 105 photos: two pages of at most 100. */
static void
library_setup (Fixture       *f,
               gconstpointer  data)
{
  fixture_setup (f, data);
  f->no_debug = TRUE;
  if (data != NULL)
    {
      g_autofree char *library = g_build_filename (f->dir, "library", NULL);

      g_assert_cmpint (g_mkdir (library, 0700), ==, 0);
      for (guint i = 0; i < 105; i++)
        {
          g_autofree char *name = g_strdup_printf ("Face %03u.png", i);

          g_free (mh_test_write_png (library, name));
        }
      g_object_set (f->sim, "library-dir", library, NULL);
    }
}

static JsonNode *
parse_line (const char *line)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (line, &error);

  g_assert_no_error (error);
  return node;
}

/* The table: every built-in item, its type and its path. */
static void
test_table (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(Run) run = run_cli (f, "library");
  g_auto(GStrv) lines = NULL;
  static const char *const names[][2] = {
    { "Ava", "character" }, { "Narrator", "voice" }, { "Studio Clip", "reference" },
    { "Ben", "character" }, { "Calm Voice", "voice" }, { "Office Backdrop", "reference" },
    { "Untitled moodboard", "moodboard" },
  };

  g_assert_cmpint (run->status, ==, 0);
  lines = g_strsplit (g_strchomp (run->out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + G_N_ELEMENTS (names));
  g_assert_true (g_str_has_prefix (lines[0], "Name"));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {

      g_test_message ("%s", lines[i + 1]);
      g_assert_true (g_str_has_prefix (lines[i + 1], names[i][0]));
      g_assert_nonnull (strstr (lines[i + 1], names[i][1]));
      g_assert_nonnull (strstr (lines[i + 1], " saved-items/"));
    }
}

/* --json with --type: the voices as objects, their paths as served. */
static void
test_json_type (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Run) run = run_cli (f, "library", "--type", "voice", "--json");
  g_autoptr(JsonNode) node = NULL;
  JsonArray *items;
  MhSimRequest *request;

  g_assert_cmpint (run->status, ==, 0);
  node = parse_line (g_strchomp (run->out));
  g_assert_cmpstr (mh_test_json_get_string (node, "event"), ==, "library");
  items = json_node_get_array (mh_test_json_get (node, "items"));
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      JsonObject *asset = json_array_get_object_element (json_object_get_array_member (item, "assets"), 0);

      g_assert_cmpstr (json_object_get_string_member (item, "type"), ==, "voice");
      g_assert_true (g_str_has_prefix (json_object_get_string_member (asset, "file_path"), "saved-items/"));
      g_assert_cmpstr (json_object_get_string_member (asset, "media_kind"), ==, "AUDIO");
    }
  request = mh_test_request (f->sim, MH_SIM_ENDPOINT_SAVED_ITEMS, 0);
  g_assert_nonnull (strstr (request->query, "type=voice"));
}

/* More than one page: every item is listed. */
static void
test_all_pages (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Run) run = run_cli (f, "--quiet", "library");
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (run->status, ==, 0);
  lines = g_strsplit (g_strchomp (run->out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 105);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_true (g_str_has_prefix (lines[i], "saved-items/"));
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_SAVED_ITEMS), ==, 2);
}

static void
test_bad_type (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(Run) run = run_cli (f, "library", "--type", "voices");
  g_autoptr(Run) help = run_cli (f, "--help");

  g_assert_cmpint (run->status, ==, 2);
  g_assert_nonnull (strstr (run->err, "Unknown type “voices”"));
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, NULL), ==, 0);

  g_assert_cmpint (help->status, ==, 0);
  g_assert_nonnull (strstr (help->out, "library"));
}

/* A saved item's path given to a tool goes into the create as it is, and
 * nothing is uploaded. */
static void
test_saved_item_passthrough (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Run) listing = run_cli (f, "--quiet", "library", "--type", "character");
  g_auto(GStrv) paths = g_strsplit (g_strchomp (listing->out), "\n", -1);
  g_autoptr(Run) run = NULL;
  MhSimRequest *create;
  g_autoptr(GPtrArray) files = NULL;

  g_assert_cmpint (listing->status, ==, 0);
  g_assert_true (g_str_has_prefix (paths[0], "saved-items/"));
  mh_simulator_clear_requests (f->sim);
  run = run_cli (f, "headshot", "--image", paths[0], "-o", "out");
  g_assert_cmpint (run->status, ==, 0);
  create = mh_test_request (f->sim, MH_SIM_ENDPOINT_CREATE, 0);
  g_assert_cmpstr (mh_test_json_get_string (create->json, "assets.image_file_path"), ==, paths[0]);
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_UPLOAD_URLS), ==, 0);
  g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_UPLOAD), ==, 0);
  files = mh_test_list_dir (f->out);
  g_assert_cmpuint (files->len, ==, 1);

  /* One the library does not hold: the API's refusal, exit status 3. */
  {
    g_autoptr(Run) unknown = run_cli (f, "headshot", "--image", "saved-items/cnosuch/face.png");

    g_assert_cmpint (unknown->status, ==, 3);
    g_assert_cmpuint (mh_simulator_count_requests (f->sim, MH_SIM_ENDPOINT_UPLOAD_URLS), ==, 0);
  }
}

typedef struct
{
  gboolean  done;
  char     *line;
} LineWait;

static void
line_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineWait *wait = user_data;

  wait->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  wait->done = TRUE;
}

static void
exited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

/* `simulator --library DIR` serves DIR's files; a DIR that is not a folder
 * is a usage error. Its --request-log, written when it stops, has every
 * request with the SHA-256 of what a PUT carried, and never the key (what
 * build-aux/test-flatpak checks a sandboxed run with). */
static void
test_simulator_library_option (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *library = g_build_filename (f->dir, "my library", NULL);
  g_autofree char *not_a_folder = g_build_filename (f->dir, "nothing-here", NULL);
  g_autofree char *log_path = g_build_filename (f->dir, "requests.jsonl", NULL);
  g_autofree char *log = NULL;
  g_autofree char *photo = NULL;
  g_autofree char *photo_sha256 = NULL;
  g_autoptr(Run) job = NULL;
  gsize photo_length;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Run) listing = NULL;
  g_autoptr(Run) bad = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *items;
  LineWait wait = { FALSE, };
  gboolean exited = FALSE;

  g_assert_cmpint (g_mkdir (library, 0700), ==, 0);
  g_free (mh_test_write_png (library, "Grace Hopper.png"));
  g_free (mh_test_write_wav (library, "Keynote.wav", 1.0));

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              g_getenv ("MH_CLI"), "simulator", "--render-seconds", "0.2",
                              "--library", library, "--request-log", log_path, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, line_read_cb, &wait);
  mh_test_wait_for_flag (&wait.done, 30, "the simulator's address");
  g_assert_nonnull (wait.line);
  g_assert_true (g_str_has_prefix (wait.line, "http://127.0.0.1:"));

  listing = run_cli (f, "--api-base-url", wait.line, "library", "--json");
  g_assert_cmpint (listing->status, ==, 0);
  node = parse_line (g_strchomp (listing->out));
  items = json_node_get_array (mh_test_json_get (node, "items"));
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  {
    gboolean grace = FALSE, keynote = FALSE;

    for (guint i = 0; i < 2; i++)
      {
        JsonObject *item = json_array_get_object_element (items, i);
        const char *name = json_object_get_string_member (item, "name");

        if (g_str_equal (name, "Grace Hopper"))
          grace = g_str_equal (json_object_get_string_member (item, "type"), "character");
        if (g_str_equal (name, "Keynote"))
          keynote = g_str_equal (json_object_get_string_member (item, "type"), "voice");
      }
    g_assert_true (grace);
    g_assert_true (keynote);
  }

  job = run_cli (f, "--api-base-url", wait.line, "headshot", "--image", f->photo, "-o", f->out);
  g_assert_cmpint (job->status, ==, 0);

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait_async (process, NULL, exited_cb, &exited);
  mh_test_wait_for_flag (&exited, 30, "the simulator to stop");
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_free (wait.line);

  g_assert_true (g_file_get_contents (log_path, &log, NULL, NULL));
  g_assert_true (g_file_get_contents (f->photo, &photo, &photo_length, NULL));
  photo_sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) photo, photo_length);
  {
    g_auto(GStrv) lines = g_strsplit (g_strchomp (log), "\n", -1);
    gboolean put_seen = FALSE;

    g_assert_cmpuint (g_strv_length (lines), >=, 4);  /* library, face check, upload URL, PUT, create… */
    for (guint i = 0; lines[i] != NULL; i++)
      {
        g_autoptr(JsonNode) line = parse_line (lines[i]);
        JsonObject *request = json_node_get_object (line);

        g_assert_null (strstr (lines[i], KEY));
        if (g_str_equal (json_object_get_string_member (request, "method"), "PUT"))
          {
            g_assert_cmpstr (json_object_get_string_member (request, "body_sha256"), ==, photo_sha256);
            g_assert_cmpint (json_object_get_int_member (request, "body_bytes"), ==, photo_length);
            put_seen = TRUE;
          }
        /* The key goes to the API, never to storage. */
        g_assert_true (json_object_get_boolean_member (request, "authorization") ==
                       g_str_has_prefix (json_object_get_string_member (request, "path"), "/v1/"));
      }
    g_assert_true (put_seen);
  }

  bad = run_cli (f, "simulator", "--library", not_a_folder);
  g_assert_cmpint (bad->status, ==, 2);
  g_assert_nonnull (strstr (bad->err, "is not a folder"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, fn) g_test_add ("/cli-library/" path, Fixture, data, library_setup, fn, fixture_teardown)
  ADD ("table", NULL, test_table);
  ADD ("json-type", NULL, test_json_type);
  ADD ("all-pages", "folder", test_all_pages);
  ADD ("bad-type", NULL, test_bad_type);
  ADD ("saved-item-passthrough", NULL, test_saved_item_passthrough);
  ADD ("simulator-library-option", NULL, test_simulator_library_option);
#undef ADD

  return g_test_run ();
}
