/* test-cli-partial-upload.c: the command-line tool says what it uploads
 *
 * A talking photo with 3 s of a 10-minute WAV: the tool cuts the part,
 * says so ("Uploading 3 s of long.wav (48.1 kB) instead of 9.6 MB") in its
 * text and JSON output, the simulator receives about 3 s, and nothing is
 * left in the temporary folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mh-cli-test-util.h"

static void
assert_no_cut_left (void)
{
  g_autoptr(GPtrArray) names = mh_test_list_dir (g_get_tmp_dir ());

  for (guint i = 0; i < names->len; i++)
    g_assert_false (g_str_has_prefix (g_ptr_array_index (names, i), "magic-hour-cut-"));
}

static void
assert_got_three_seconds (Fixture *f)
{
  JsonObject *body = last_body (f, MH_SIM_ENDPOINT_CREATE);
  const char *file_path = json_object_get_string_member (json_object_get_object_member (body, "assets"),
                                                         "audio_file_path");

  g_assert_cmpfloat_with_epsilon (mh_simulator_get_upload_seconds (f->sim, file_path), 3.0, 0.05);
  g_assert_cmpfloat (json_object_get_double_member (body, "start_seconds"), ==, 0);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (body, "end_seconds"), 3.0, 0.001);
}

static void
test_note_printed (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *long_wav = mh_test_write_wav (f->dir, "long.wav", 600);
  g_autoptr(Run) text = NULL;
  g_autoptr(Run) json = NULL;
  gboolean found = FALSE;
  g_auto(GStrv) lines = NULL;

  text = run_cli (f, "talking-photo", "--image", f->photo, "--audio", long_wav,
                  "--start", "200", "--end", "203", "--output-dir", f->out);
  g_assert_cmpint (text->status, ==, 0);
  g_assert_nonnull (strstr (text->err, "Cutting 3 s out of long.wav"));
  g_assert_nonnull (strstr (text->err, "Uploading 3 s of long.wav ("));
  g_assert_nonnull (strstr (text->err, "instead of 9.6"));
  g_assert_nonnull (strstr (text->err, "Uploading photo.png ("));
  assert_got_three_seconds (f);
  assert_no_cut_left ();

  json = run_cli (f, "--json", "talking-photo", "--image", f->photo, "--audio", long_wav,
                  "--start", "200", "--end", "203", "--output-dir", f->out);
  g_assert_cmpint (json->status, ==, 0);
  lines = g_strsplit (json->out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *event;
      const char *message;

      if (lines[i][0] != '{' || !json_parser_load_from_data (parser, lines[i], -1, NULL))
        continue;
      event = json_node_get_object (json_parser_get_root (parser));
      message = json_object_has_member (event, "message")
                ? json_object_get_string_member (event, "message") : NULL;
      if (message != NULL && g_str_has_prefix (message, "Uploading 3 s of long.wav (") &&
          strstr (message, "instead of 9.6") != NULL)
        found = TRUE;
    }
  g_assert_true (found);
  assert_got_three_seconds (f);
  assert_no_cut_left ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/partial-upload/note-printed", Fixture, NULL, fixture_setup,
              test_note_printed, fixture_teardown);

  return g_test_run ();
}
