/* test-json.c: the bounded JSON parser every answer and record goes through
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mh-json.h"
#include "mh-test-util.h"

static char *
nested (guint depth)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (text, i % 2 == 0 ? "[" : "{\"a\":");
  g_string_append (text, "1");
  for (guint i = depth; i > 0; i--)
    g_string_append (text, (i - 1) % 2 == 0 ? "]" : "}");
  return g_string_free (text, FALSE);
}

static void
test_depth_scan (void)
{
  static const struct { const char *text; guint depth; } cases[] = {
    { "1", 0 },
    { "{}", 1 },
    { "[[],[[]]]", 3 },
    /* Brackets inside strings, escaped quotes and backslashes do not count. */
    { "{\"a\":\"[[[[{{{{\"}", 1 },
    { "[\"\\\"[[[\"]", 1 },
    { "[\"\\\\\",[[]]]", 3 },
    /* A closing bracket too many does not go below zero. */
    { "]]][[", 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpuint (mh_json_scan_depth (cases[i].text, strlen (cases[i].text), 100), ==,
                      cases[i].depth);

  /* The scan stops as soon as the limit is passed. */
  {
    g_autofree char *deep = nested (100000);

    g_assert_cmpuint (mh_json_scan_depth (deep, strlen (deep), 64), ==, 65);
  }
}

static void
test_limits (void)
{
  g_autofree char *at_limit = nested (MH_JSON_MAX_DEPTH);
  g_autofree char *too_deep = nested (MH_JSON_MAX_DEPTH + 1);
  g_autofree char *very_deep = nested (100000);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  static const char not_text[] = "{\"a\":\"\xff\xfe\"}";
  static const char surrogate[] = "{\"a\":\"\\ud800\"}";

  node = mh_json_parse (at_limit, strlen (at_limit), 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_clear_pointer (&node, json_node_unref);

  g_assert_null (mh_json_parse (too_deep, strlen (too_deep), 0, &error));
  g_assert_error (error, MH_JSON_ERROR, MH_JSON_ERROR_TOO_DEEP);
  g_clear_error (&error);

  /* json-glib alone overflows the stack on this one. */
  g_assert_null (mh_json_parse (very_deep, strlen (very_deep), 0, &error));
  g_assert_error (error, MH_JSON_ERROR, MH_JSON_ERROR_TOO_DEEP);
  g_clear_error (&error);

  g_assert_null (mh_json_parse ("{\"a\": 1}", 8, 4, &error));
  g_assert_error (error, MH_JSON_ERROR, MH_JSON_ERROR_TOO_LARGE);
  g_clear_error (&error);

  g_assert_null (mh_json_parse ("", 0, 0, &error));
  g_assert_error (error, MH_JSON_ERROR, MH_JSON_ERROR_EMPTY);
  g_clear_error (&error);

  g_assert_null (mh_json_parse (not_text, sizeof not_text - 1, 0, &error));
  g_assert_error (error, MH_JSON_ERROR, MH_JSON_ERROR_NOT_TEXT);
  g_clear_error (&error);

  /* Whatever json-glib makes of an escape that is no character, it is not
   * kept: refused as invalid or as not text. */
  g_assert_null (mh_json_parse (surrogate, sizeof surrogate - 1, 0, &error));
  g_assert_true (g_error_matches (error, MH_JSON_ERROR, MH_JSON_ERROR_INVALID) ||
                 g_error_matches (error, MH_JSON_ERROR, MH_JSON_ERROR_NOT_TEXT));
  g_clear_error (&error);

  g_assert_null (mh_json_parse ("<html>", 6, 0, &error));
  g_assert_error (error, MH_JSON_ERROR, MH_JSON_ERROR_INVALID);
}

/* A second value after the first is refused before json-glib sees it: it
 * leaks what it parsed of such a value (LeakSanitizer, in the sanitized
 * run, fails this test without the check). One value with white space
 * around it, or brackets inside strings, are fine. */
static void
test_second_value (void)
{
  static const char *const refused[] = {
    "{\"a\":\"b\"}{\"c\":1}", "0{\"a\":\"b\"}", "[1] [2]", "\"s\"{\"a\":[]}", "null[{}]",
  };
  static const char *const accepted[] = {
    " \n{\"a\":[1,{\"b\":\"}{\"}]}\r\n ", "[]", "\"[x]{\"", "42",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (mh_json_parse (refused[i], strlen (refused[i]), 0, &error));
      g_assert_error (error, MH_JSON_ERROR, MH_JSON_ERROR_INVALID);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = mh_json_parse (accepted[i], strlen (accepted[i]), 0, &error);

      g_assert_no_error (error);
      g_assert_nonnull (node);
    }
}

/* json-glib 1.6 takes comments and single-quoted strings; a double quote
 * inside one must not hide 100,000 levels of nesting from the depth limit
 * (json-glib alone overflows the stack on these). Slashes and single quotes
 * inside real strings are fine. */
static void
test_comments_and_single_quotes (void)
{
  static const char *const broken_escapes[] = {
    "{\"a\":\"\\ud8/\"}", "[\"\\u00\"]", "[\"\\x41\"]", "[\"\\u12g4\"]", "[\"\\",
    /* Surrogates not in a high-low pair ("{\"\\ud800\\ud800}" leaked). */
    "{\"\\ud800\\ud800}", "[\"\\ud800\\ud800\"]", "[\"\\udc00\"]", "[\"\\ud800x\"]",
    "[\"\\ude00\\ud83d\"]", "[\"\\ud800\\u00e9\"]", "[\"\\ud800",
  };
  static const char *const hiding[] = { "['\"', %s, '\"']", "/*\"*/%s/*\"*/", "[//\"\n%s]" };
  g_autofree char *deep = nested (100000);
  static const char *const accepted[] = {
    "{\"url\":\"https://x/y\"}", "[\"it's\"]", "[\"caf\\u00e9 \\\" \\\\ \\/ \\b\\f\\n\\r\\t\"]",
    "[\"\\ud83d\\ude00 \\uD83D\\uDE00\"]",
  };

  /* Escapes JSON does not have are refused before json-glib, which leaks
   * what it read of such a string (the answer fuzzer found it). */
  for (gsize i = 0; i < G_N_ELEMENTS (broken_escapes); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (mh_json_parse (broken_escapes[i], strlen (broken_escapes[i]), 0, &error));
      g_assert_error (error, MH_JSON_ERROR, MH_JSON_ERROR_INVALID);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (hiding); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) text = g_string_new (NULL);

      g_string_printf (text, hiding[i], deep);
      g_assert_null (mh_json_parse (text->str, text->len, 0, &error));
      g_assert_error (error, MH_JSON_ERROR, MH_JSON_ERROR_INVALID);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = mh_json_parse (accepted[i], strlen (accepted[i]), 0, &error);

      g_assert_no_error (error);
      g_assert_nonnull (node);
    }
}

typedef struct
{
  gboolean  done;
  JsonNode *node;
  GError   *error;
} ReadResult;

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ReadResult *r = user_data;

  r->node = mh_json_read_stream_finish (result, &r->error);
  r->done = TRUE;
}

/* A stream that says how much was read from it. */
static gssize
count_read (GInputStream *stream)
{
  return g_seekable_tell (G_SEEKABLE (stream));
}

static void
test_stream (void)
{
  gsize big = 8 * 1024 * 1024;
  char *data = g_malloc (big);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GInputStream) small = NULL;
  ReadResult r = { 0 };
  ReadResult ok = { 0 };

  /* No size is known in advance: the reading stops at the limit. */
  memset (data, ' ', big);
  data[0] = '[';
  data[big - 1] = ']';
  stream = g_memory_input_stream_new_from_data (data, big, g_free);
  mh_json_read_stream_async (stream, 1024 * 1024, NULL, read_cb, &r);
  mh_test_wait_for_flag (&r.done, MH_TEST_TIMEOUT, "the stream");
  g_assert_null (r.node);
  g_assert_error (r.error, MH_JSON_ERROR, MH_JSON_ERROR_TOO_LARGE);
  g_assert_cmpint (count_read (stream), <=, 1024 * 1024 + 64 * 1024);
  g_clear_error (&r.error);

  small = g_memory_input_stream_new_from_data ("{\"id\": \"p\"}", -1, NULL);
  mh_json_read_stream_async (small, 0, NULL, read_cb, &ok);
  mh_test_wait_for_flag (&ok.done, MH_TEST_TIMEOUT, "the stream");
  g_assert_no_error (ok.error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (ok.node), "id"), ==, "p");
  json_node_unref (ok.node);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/depth-scan", test_depth_scan);
  g_test_add_func ("/json/limits", test_limits);
  g_test_add_func ("/json/second-value", test_second_value);
  g_test_add_func ("/json/comments-and-single-quotes", test_comments_and_single_quotes);
  g_test_add_func ("/json/stream", test_stream);

  return g_test_run ();
}
