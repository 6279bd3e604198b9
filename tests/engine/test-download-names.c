/* test-download-names.c: safe names for results, never overwriting, and the
 * tolerant reading of projects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "mh-download.h"
#include "mh-error.h"
#include "mh-params.h"
#include "mh-project.h"
#include "mh-result-name.h"
#include "mh-test-util.h"
#include "mh-validate.h"

/* ---- mh_download_safe_name ------------------------------------------------ */

static void
assert_safe (const char *name)
{
  g_assert_nonnull (name);
  g_assert_cmpuint (strlen (name), >, 0);
  g_assert_cmpuint (strlen (name), <=, 200);
  g_assert_cmpstr (name, !=, ".");
  g_assert_cmpstr (name, !=, "..");
  g_assert_null (strchr (name, '/'));
  g_assert_null (strchr (name, '\\'));
  g_assert_cmpint (name[0], !=, '.');
  g_assert_cmpint (name[0], !=, '-');
  g_assert_cmpint (name[0], !=, ' ');
  g_assert_true (g_utf8_validate (name, -1, NULL));
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_false (g_unichar_iscntrl (c));
      g_assert_cmpint (g_unichar_type (c), !=, G_UNICODE_FORMAT);
    }
}

static void
test_safe_name (void)
{
  static const struct { const char *url; const char *expected; } cases[] = {
    /* The last segment of the path, decoded, without the query. */
    { "https://cdn.example.com/out/result.mp4?X-Amz-Signature=abc&x=/y", "result.mp4" },
    { "https://cdn.example.com/a/b/My%20Video.mp4", "My Video.mp4" },
    { "https://cdn.example.com/a/b/vid%C3%A9o.mp4", "vidéo.mp4" },
    { "https://cdn.example.com/a/result.mp4#frag", "result.mp4" },
    /* Separators, encoded or not, do not make a path. */
    { "https://cdn.example.com/a/..%2F..%2Fevil.mp4", "_.._evil.mp4" },
    { "https://cdn.example.com/a/%2Fetc%2Fpasswd", "_etc_passwd.mp4" },
    { "https://cdn.example.com/a/..%5C..%5Cevil.mp4", "_.._evil.mp4" },
    { "https://cdn.example.com/a/C:%5Cwindows%5Cx.mp4", "C:_windows_x.mp4" },
    /* Control and format characters. */
    { "https://cdn.example.com/a/bad%0Aname%1B%5B31m.mp4", "bad_name_[31m.mp4" },
    { "https://cdn.example.com/a/a%00b.mp4", "fallback.mp4" },
    { "https://cdn.example.com/a/evil%E2%80%AEgnp.mp4", "evil_gnp.mp4" },
    { "https://cdn.example.com/a/tab%09.mp4", "tab_.mp4" },
    /* Hidden files, options, dots. */
    { "https://cdn.example.com/a/.bashrc", "bashrc.mp4" },
    { "https://cdn.example.com/a/...mp4", "mp4.mp4" },
    { "https://cdn.example.com/a/-rf.mp4", "rf.mp4" },
    { "https://cdn.example.com/a/--help", "help.mp4" },
    { "https://cdn.example.com/a/%20%20spaced.mp4%20", "spaced.mp4" },
    /* Nothing usable: the fallback. */
    { "https://cdn.example.com/a/", "fallback.mp4" },
    { "https://cdn.example.com", "fallback.mp4" },
    { "https://cdn.example.com/a/%2E%2E", "fallback.mp4" },
    { "https://cdn.example.com/a/..", "fallback.mp4" },
    { "https://cdn.example.com/a/...", "fallback.mp4" },
    { "https://cdn.example.com/a/%FF%FE.mp4", "fallback.mp4" },
    { "not a url at all", "fallback.mp4" },
    { "", "fallback.mp4" },
    /* A name without an extension gets the fallback's, so that it opens. */
    { "https://cdn.example.com/a/result", "result.mp4" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = mh_download_safe_name (cases[i].url, "fallback.mp4");

      assert_safe (name);
      if (g_strcmp0 (name, cases[i].expected) != 0)
        g_error ("mh_download_safe_name (“%s”) is “%s”, expected “%s”",
                 cases[i].url, name, cases[i].expected);
    }
}

static void
test_safe_name_long (void)
{
  g_autofree char *stem = g_strnfill (300, 'a');
  g_autofree char *url = g_strdup_printf ("https://cdn.example.com/x/%s.mp4", stem);
  g_autofree char *name = mh_download_safe_name (url, "fallback.mp4");
  g_autofree char *utf8_stem = NULL;
  GString *s = g_string_new ("https://cdn.example.com/x/");
  g_autofree char *utf8_url = NULL;
  g_autofree char *utf8_name = NULL;

  assert_safe (name);
  g_assert_true (g_str_has_suffix (name, ".mp4"));
  g_assert_true (g_str_has_prefix (name, "aaaa"));

  /* Cut on a character boundary, never inside "é". */
  for (guint i = 0; i < 150; i++)
    g_string_append (s, "%C3%A9");
  g_string_append (s, ".mp4");
  utf8_url = g_string_free (s, FALSE);
  utf8_name = mh_download_safe_name (utf8_url, "fallback.mp4");
  assert_safe (utf8_name);
  g_assert_true (g_str_has_suffix (utf8_name, ".mp4"));
  (void) utf8_stem;
}

/* ---- mh_file_move_unique -------------------------------------------------- */

static void
test_move_unique (void)
{
  g_autofree char *tmp = mh_test_make_tmp_dir ();
  g_autoptr(GFile) dir = g_file_new_for_path (tmp);
  g_autofree char *existing = mh_test_write_file (tmp, "result.mp4", "old", 3);

  for (guint i = 2; i <= 4; i++)
    {
      g_autofree char *name = g_strdup_printf (".part-%u", i);
      g_autofree char *part = mh_test_write_file (tmp, name, "new", 3);
      g_autoptr(GFile) source = g_file_new_for_path (part);
      g_autoptr(GError) error = NULL;
      g_autoptr(GFile) moved = mh_file_move_unique (source, dir, "result.mp4", &error);
      g_autofree char *base = NULL;
      g_autofree char *expected = g_strdup_printf ("result (%u).mp4", i);

      g_assert_no_error (error);
      g_assert_nonnull (moved);
      base = g_file_get_basename (moved);
      g_assert_cmpstr (base, ==, expected);
      g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
    }

  /* No extension, and a name that starts with a dot-less stem. */
  {
    g_autofree char *part = mh_test_write_file (tmp, ".p", "x", 1);
    g_autofree char *plain = mh_test_write_file (tmp, "README", "r", 1);
    g_autoptr(GFile) source = g_file_new_for_path (part);
    g_autoptr(GError) error = NULL;
    g_autoptr(GFile) moved = mh_file_move_unique (source, dir, "README", &error);
    g_autofree char *base = g_file_get_basename (moved);

    g_assert_no_error (error);
    g_assert_cmpstr (base, ==, "README (2)");
    (void) plain;
  }

  {
    g_autofree char *content = mh_test_read_text (existing);

    g_assert_cmpstr (content, ==, "old");
  }

  mh_test_rm_rf (tmp);
}

/* Thousands of results of one name: each finds its free name in a few
 * attempts, not one per file already there (which made naming n files cost
 * n²/2 link() calls: 12.5 million for 5,000). The bound is loose on
 * purpose, many times what it takes; before, it took longer still. */
static void
test_move_unique_many (void)
{
  g_autofree char *tmp = mh_test_make_tmp_dir ();
  g_autoptr(GFile) dir = g_file_new_for_path (tmp);
  const guint n = 5000;
  gint64 naming = 0;
  double seconds;

  g_autofree char *seed = mh_test_write_file (tmp, ".seed", "x", 1);
  g_autofree char *part = g_build_filename (tmp, ".result.mp4.part", NULL);
  g_autoptr(GFile) source = g_file_new_for_path (part);

  /* Every result a new link to one file: creating 5,000 inodes would take
   * longer than the naming measured. */
  for (guint i = 1; i <= n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GFile) moved = NULL;
      g_autofree char *base = NULL;
      g_autofree char *expected = i == 1 ? g_strdup ("many.mp4") : g_strdup_printf ("many (%u).mp4", i);
      gint64 started;

      g_assert_cmpint (link (seed, part), ==, 0);
      started = g_get_monotonic_time ();

      moved = mh_file_move_unique (source, dir, "many.mp4", &error);
      naming += g_get_monotonic_time () - started;
      g_assert_no_error (error);
      base = g_file_get_basename (moved);
      g_assert_cmpstr (base, ==, expected);
    }
  /* The naming alone, not the writing of the files. */
  seconds = naming / (double) G_USEC_PER_SEC;
  g_test_message ("%u files of one name named in %.3f s", n, seconds);
  g_assert_cmpfloat (seconds, <, 10.0);

  /* A name freed meanwhile is used again. */
  {
    g_autofree char *plain = g_build_filename (tmp, "many.mp4", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GFile) moved = NULL;
    g_autofree char *base = NULL;

    g_assert_cmpint (g_unlink (plain), ==, 0);
    g_assert_cmpint (link (seed, part), ==, 0);
    moved = mh_file_move_unique (source, dir, "many.mp4", &error);
    g_assert_no_error (error);
    base = g_file_get_basename (moved);
    g_assert_cmpstr (base, ==, "many.mp4");
  }

  mh_test_rm_rf (tmp);
}

/* ---- mh_project_parse ----------------------------------------------------- */

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static MhProject *
parse (const char *text)
{
  g_autoptr(JsonNode) node = parse_json (text);
  g_autoptr(GError) error = NULL;
  MhProject *project = mh_project_parse (node, &error);

  g_assert_no_error (error);
  g_assert_nonnull (project);
  return project;
}

static void
test_project_complete (void)
{
  g_autoptr(MhProject) project = parse (
    "{\"id\":\"cm0abc\",\"name\":\"Hello\",\"status\":\"complete\",\"type\":\"TALKING_PHOTO\","
    "\"created_at\":\"2026-08-01T10:00:00.000Z\",\"width\":512,\"height\":512,\"enabled\":true,"
    "\"start_seconds\":0,\"end_seconds\":5.5,\"fps\":30,\"credits_charged\":165,"
    "\"total_frame_cost\":165,\"error\":null,"
    "\"downloads\":[{\"url\":\"https://cdn.example.com/a.mp4\",\"expires_at\":\"2026-08-02T10:00:00Z\"},"
    "{\"url\":\"https://cdn.example.com/b.mp4\",\"expires_at\":\"2026-08-02T10:00:00Z\"}],"
    "\"download\":{\"url\":\"https://cdn.example.com/a.mp4\",\"expires_at\":\"2026-08-02T10:00:00Z\"}}");

  g_assert_cmpstr (project->id, ==, "cm0abc");
  g_assert_cmpstr (project->name, ==, "Hello");
  g_assert_cmpstr (project->type, ==, "TALKING_PHOTO");
  g_assert_cmpint (project->status, ==, MH_PROJECT_STATUS_COMPLETE);
  g_assert_cmpstr (project->status_text, ==, "complete");
  g_assert_cmpint (project->credits_charged, ==, 165);
  g_assert_true (project->enabled);
  g_assert_null (project->error_code);
  g_assert_null (project->error_message);
  /* `downloads` wins over the deprecated `download`: no duplicate. */
  g_assert_cmpuint (project->downloads->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (project->downloads, 0), ==, "https://cdn.example.com/a.mp4");
  g_assert_cmpstr (g_ptr_array_index (project->downloads, 1), ==, "https://cdn.example.com/b.mp4");
  g_assert_true (mh_project_status_is_terminal (project->status));
}

/* Each link's expires_at, in real time: UTC when no zone is given, 0 when
 * absent or unreadable (the link is used as it is then). */
static void
test_project_expires_at (void)
{
  g_autoptr(MhProject) project = parse (
    "{\"status\":\"complete\",\"downloads\":["
    "{\"url\":\"https://cdn.example.com/a.mp4\",\"expires_at\":\"2026-12-06T19:00:30.250Z\"},"
    "{\"url\":\"https://cdn.example.com/b.mp4\",\"expires_at\":\"2026-12-06T20:00:30+01:00\"},"
    "{\"url\":\"https://cdn.example.com/c.mp4\",\"expires_at\":\"2026-12-06T19:00:30\"},"
    "{\"url\":\"https://cdn.example.com/d.mp4\",\"expires_at\":\"tomorrow\"},"
    "{\"url\":\"https://cdn.example.com/e.mp4\",\"expires_at\":1765047630},"
    "{\"url\":\"https://cdn.example.com/f.mp4\"},"
    "{\"expires_at\":\"2026-12-06T19:00:30Z\"}]}");
  /* 2026-12-06T19:00:30Z */
  gint64 at = G_GINT64_CONSTANT (1796583630) * G_USEC_PER_SEC;

  g_assert_cmpuint (project->downloads->len, ==, 6);
  g_assert_cmpuint (project->download_expiry->len, ==, 6);
  g_assert_cmpint (g_array_index (project->download_expiry, gint64, 0), ==, at + 250000);
  g_assert_cmpint (g_array_index (project->download_expiry, gint64, 1), ==, at);
  g_assert_cmpint (g_array_index (project->download_expiry, gint64, 2), ==, at);
  g_assert_cmpint (g_array_index (project->download_expiry, gint64, 3), ==, 0);
  g_assert_cmpint (g_array_index (project->download_expiry, gint64, 4), ==, 0);
  g_assert_cmpint (g_array_index (project->download_expiry, gint64, 5), ==, 0);
}

static void
test_project_unknown_status_and_fields (void)
{
  g_autoptr(MhProject) project = parse (
    "{\"id\":\"cm0abc\",\"status\":\"warming_up\",\"type\":\"LIP_SYNC\",\"name\":null,"
    "\"eta_seconds\":12.5,\"gpu\":{\"kind\":\"h100\",\"tags\":[1,2,null]},"
    "\"downloads\":[],\"credits_charged\":null,\"enabled\":\"yes\"}");

  g_assert_cmpint (project->status, ==, MH_PROJECT_STATUS_UNKNOWN);
  g_assert_cmpstr (project->status_text, ==, "warming_up");
  g_assert_false (mh_project_status_is_terminal (project->status));
  g_assert_cmpstr (mh_project_status_to_string (project->status), ==, "unknown");
  g_assert_null (project->name);
  g_assert_cmpint (project->credits_charged, ==, -1);
  g_assert_true (project->enabled);
  g_assert_cmpuint (project->downloads->len, ==, 0);
}

static void
test_project_deprecated_download (void)
{
  g_autoptr(MhProject) project = parse (
    "{\"id\":\"x\",\"status\":\"complete\","
    "\"download\":{\"url\":\"https://cdn.example.com/only.mp4\",\"expires_at\":\"2026-08-02T10:00:00Z\"}}");

  g_assert_cmpuint (project->downloads->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (project->downloads, 0), ==, "https://cdn.example.com/only.mp4");
  g_assert_cmpint (project->credits_charged, ==, -1);
}

static void
test_project_missing_downloads (void)
{
  g_autoptr(MhProject) complete = parse ("{\"id\":\"x\",\"status\":\"complete\"}");
  g_autoptr(MhProject) nulls = parse ("{\"id\":\"x\",\"status\":\"complete\",\"downloads\":null,\"download\":null}");
  g_autoptr(MhProject) junk = parse (
    "{\"id\":\"x\",\"status\":\"complete\",\"downloads\":[1,\"s\",null,{\"url\":7},{\"url\":\"\"},"
    "{\"expires_at\":\"x\"},{\"url\":\"https://ok.example/r.png\"}]}");

  g_assert_cmpuint (complete->downloads->len, ==, 0);
  g_assert_cmpuint (nulls->downloads->len, ==, 0);
  g_assert_cmpuint (junk->downloads->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (junk->downloads, 0), ==, "https://ok.example/r.png");
}

static void
test_project_error_object (void)
{
  g_autoptr(MhProject) project = parse (
    "{\"id\":\"x\",\"status\":\"error\",\"credits_charged\":0,"
    "\"error\":{\"code\":\"no_source_face\",\"message\":\"No face was detected in the source image.\"},"
    "\"downloads\":[],\"enabled\":false}");
  g_autoptr(MhProject) odd = parse ("{\"status\":\"error\",\"error\":\"boom\"}");
  g_autofree char *sentence = NULL;

  g_assert_cmpint (project->status, ==, MH_PROJECT_STATUS_ERROR);
  g_assert_cmpstr (project->error_code, ==, "no_source_face");
  g_assert_cmpstr (project->error_message, ==, "No face was detected in the source image.");
  g_assert_cmpint (project->credits_charged, ==, 0);
  g_assert_false (project->enabled);
  g_assert_true (mh_project_status_is_terminal (project->status));

  sentence = mh_error_describe_render_code (project->error_code, project->error_message);
  g_assert_nonnull (strstr (sentence, "No face was found"));

  /* An error that is not an object: no code, no crash. */
  g_assert_null (odd->error_code);
  g_assert_null (odd->id);
}

static void
test_project_statuses (void)
{
  static const struct { const char *text; MhProjectStatus status; gboolean terminal; } statuses[] = {
    { "draft", MH_PROJECT_STATUS_DRAFT, FALSE },
    { "queued", MH_PROJECT_STATUS_QUEUED, FALSE },
    { "rendering", MH_PROJECT_STATUS_RENDERING, FALSE },
    { "complete", MH_PROJECT_STATUS_COMPLETE, TRUE },
    { "error", MH_PROJECT_STATUS_ERROR, TRUE },
    { "canceled", MH_PROJECT_STATUS_CANCELED, TRUE },
    { "COMPLETE", MH_PROJECT_STATUS_COMPLETE, TRUE },
    { "cancelled", MH_PROJECT_STATUS_UNKNOWN, FALSE },
    { "", MH_PROJECT_STATUS_UNKNOWN, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"status\":\"%s\"}", statuses[i].text);
      g_autoptr(MhProject) project = parse (json);

      g_assert_cmpint (project->status, ==, statuses[i].status);
      g_assert_cmpstr (project->status_text, ==, statuses[i].text);
      g_assert_cmpint (mh_project_status_is_terminal (project->status), ==, statuses[i].terminal);
    }
}

static void
test_project_malformed (void)
{
  const char *bad[] = { "[]", "\"complete\"", "42", "null", "{}", "{\"status\":3}", "{\"status\":null}" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = parse_json (bad[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(MhProject) project = mh_project_parse (node, &error);

      g_assert_null (project);
      g_assert_error (error, MH_ERROR, MH_ERROR_MALFORMED);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MhProject) project = mh_project_parse (NULL, &error);

    g_assert_null (project);
    g_assert_error (error, MH_ERROR, MH_ERROR_MALFORMED);
  }
}

static void
test_project_credits_as_double (void)
{
  g_autoptr(MhProject) project = parse ("{\"status\":\"queued\",\"credits_charged\":120.0}");

  g_assert_cmpint (project->credits_charged, ==, 120);
}

/* A charge below zero (the answer fuzzer's find) is unknown, not shown. */
static void
test_project_credits_negative (void)
{
  g_autoptr(MhProject) project = parse ("{\"status\":\"complete\",\"credits_charged\":-2.0}");
  g_autoptr(MhProject) integer = parse ("{\"status\":\"complete\",\"credits_charged\":-50}");

  g_assert_cmpint (project->credits_charged, ==, -1);
  g_assert_cmpint (integer->credits_charged, ==, -1);
}

/* ---- Small formatting helpers the messages use ----------------------------- */

static void
test_format_time (void)
{
  static const struct { double seconds; const char *text; } cases[] = {
    { 0, "0:00.0" }, { 5, "0:05.0" }, { 59.96, "1:00.0" }, { 65.3, "1:05.3" },
    { 180, "3:00.0" }, { -3, "0:00.0" }, { 3599.96, "1:00:00.0" },
    { 7200, "2:00:00.0" }, { 3723.45, "1:02:03.5" }, { 36000, "10:00:00.0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = mh_format_time (cases[i].seconds);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* ---- mh_result_name ------------------------------------------------------- */

#define LINK "https://cdn.example.com/out/talking-photo-abc123.mp4?signature=x"

/* Whose name a result gets: the job's, else the input's and the tool's,
 * else the link's, else the project's; numbered when there are several. */
static void
test_result_name (void)
{
  static const struct {
    const char *tool;
    const char *name;       /* params "name", NULL: none */
    const char *image;      /* params "image" (talking-photo, headshot) */
    const char *url;        /* the download link, NULL: none */
    guint       index, n;
    const char *expected;
  } cases[] = {
    /* The person's name wins over the link's, with the link's extension. */
    { "talking-photo", "Holiday card", "/home/me/portrait.jpg", LINK, 0, 1, "Holiday card.mp4" },
    { "talking-photo", "Holiday card.mp4", "/home/me/portrait.jpg", LINK, 0, 1, "Holiday card.mp4" },
    { "headshot", "Me", "/home/me/portrait.jpg", "https://cdn.example.com/x/out.jpg", 0, 1, "Me.jpg" },
    /* Made safe: no path, no hidden file, no option. */
    { "talking-photo", "../../etc/passwd", NULL, LINK, 0, 1, "_.._etc_passwd.mp4" },
    { "talking-photo", ".hidden", NULL, LINK, 0, 1, "hidden.mp4" },
    { "talking-photo", "-rf", NULL, LINK, 0, 1, "rf.mp4" },
    { "talking-photo", "a\nb\x1b", NULL, LINK, 0, 1, "a_b_.mp4" },
    /* No name (or nothing left of it): the input's and the tool's. */
    { "talking-photo", NULL, "/home/me/portrait.jpg", LINK, 0, 1, "portrait-talking-photo.mp4" },
    { "talking-photo", "   ", "/home/me/portrait.jpg", LINK, 0, 1, "portrait-talking-photo.mp4" },
    { "talking-photo", "...", "/home/me/portrait.jpg", LINK, 0, 1, "portrait-talking-photo.mp4" },
    { "headshot", NULL, "https://example.com/pics/Selfie%20one.png?x=1", NULL, 0, 1, "Selfie one-headshot.png" },
    { "headshot", NULL, "file:///home/me/caf%C3%A9.png", NULL, 0, 1, "café-headshot.png" },
    /* Several results: numbered. */
    { "headshot", NULL, "/home/me/portrait.jpg", NULL, 0, 3, "portrait-headshot-1.png" },
    { "headshot", NULL, "/home/me/portrait.jpg", NULL, 2, 3, "portrait-headshot-3.png" },
    { "headshot", "Team", "/home/me/portrait.jpg", NULL, 1, 2, "Team-2.png" },
    /* Nothing named (`download ID`): the link's, then the project's. */
    { "talking-photo", NULL, NULL, LINK, 0, 1, "talking-photo-abc123.mp4" },
    { "talking-photo", NULL, NULL, "https://cdn.example.com/a/..%2F..%2Fevil.mp4", 0, 1, "_.._evil.mp4" },
    { "talking-photo", NULL, NULL, "https://cdn.example.com/a/", 0, 1, "magic-hour-p1.mp4" },
    { "talking-photo", NULL, NULL, NULL, 0, 1, "magic-hour-p1.mp4" },
    { "headshot", NULL, NULL, NULL, 1, 2, "magic-hour-p1-2.png" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GHashTable) params = mh_params_new ();
      g_autofree char *name = NULL;

      if (cases[i].name != NULL)
        mh_params_set (params, "name", cases[i].name);
      if (cases[i].image != NULL)
        mh_params_set (params, "image", cases[i].image);
      name = mh_result_name (mh_tool_lookup (cases[i].tool), params, cases[i].url, "p1",
                             cases[i].index, cases[i].n);
      assert_safe (name);
      if (g_strcmp0 (name, cases[i].expected) != 0)
        g_error ("case %u: the result is named “%s”, expected “%s”", i, name, cases[i].expected);
    }
}

/* A lip sync from YouTube is named after its speech (a YouTube link names
 * a page, not a file); a saved item after its name in the library. */
static void
test_result_name_inputs (void)
{
  g_autoptr(GHashTable) params = mh_params_new ();
  g_autoptr(GHashTable) saved = mh_params_new ();
  g_autofree char *lip = NULL;
  g_autofree char *head = NULL;
  g_autofree char *none = NULL;

  mh_params_set (params, "youtube", "https://www.youtube.com/watch?v=abc");
  mh_params_set (params, "audio", "/tmp/speech.wav");
  lip = mh_result_name (mh_tool_lookup ("lip-sync"), params, LINK, "p1", 0, 1);
  g_assert_cmpstr (lip, ==, "speech-lip-sync.mp4");

  mh_params_set (saved, "image", "saved-items/abc/def.png");
  mh_params_set_input_name (saved, "image", "Anna");
  head = mh_result_name (mh_tool_lookup ("headshot"), saved, NULL, "p1", 0, 1);
  g_assert_cmpstr (head, ==, "Anna-headshot.png");

  none = mh_result_name (mh_tool_lookup ("headshot"), NULL, NULL, "p2", 0, 1);
  g_assert_cmpstr (none, ==, "magic-hour-p2.png");
}

/* A name as long as a person may type keeps its extension and leaves room
 * for " (9999)" within the 200 bytes of a name. */
static void
test_result_name_long (void)
{
  g_autoptr(GHashTable) params = mh_params_new ();
  g_autoptr(GString) long_name = g_string_new (NULL);
  g_autofree char *name = NULL;

  for (guint i = 0; i < 300; i++)
    g_string_append (long_name, "\xc3\xa9");
  mh_params_set (params, "name", long_name->str);
  name = mh_result_name (mh_tool_lookup ("headshot"), params, NULL, "p1", 0, 1);
  assert_safe (name);
  g_assert_true (g_str_has_suffix (name, ".png"));
  g_assert_cmpuint (strlen (name) + strlen (" (9999)"), <=, 200);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/download-names/safe-name", test_safe_name);
  g_test_add_func ("/download-names/safe-name-long", test_safe_name_long);
  g_test_add_func ("/download-names/move-unique", test_move_unique);
  g_test_add_func ("/download-names/move-unique-many", test_move_unique_many);
  g_test_add_func ("/download-names/result-name", test_result_name);
  g_test_add_func ("/download-names/result-name-inputs", test_result_name_inputs);
  g_test_add_func ("/download-names/result-name-long", test_result_name_long);
  g_test_add_func ("/project/complete", test_project_complete);
  g_test_add_func ("/project/expires-at", test_project_expires_at);
  g_test_add_func ("/project/unknown-status-and-fields", test_project_unknown_status_and_fields);
  g_test_add_func ("/project/deprecated-download", test_project_deprecated_download);
  g_test_add_func ("/project/missing-downloads", test_project_missing_downloads);
  g_test_add_func ("/project/error-object", test_project_error_object);
  g_test_add_func ("/project/statuses", test_project_statuses);
  g_test_add_func ("/project/malformed", test_project_malformed);
  g_test_add_func ("/project/credits-as-double", test_project_credits_as_double);
  g_test_add_func ("/project/credits-negative", test_project_credits_negative);
  g_test_add_func ("/format-time", test_format_time);

  return g_test_run ();
}
