/* mh-json.c: the one place JSON text from outside is parsed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mh-json.h"

/* What one read asks for: answers are small, large ones are refused early. */
#define READ_CHUNK (16 * 1024)

G_DEFINE_QUARK (mh-json-error-quark, mh_json_error)

/* One pass over the text's structure, strings skipped: the deepest nesting
 * (stopping as soon as it passes @max_depth), and whether the text is
 * surely not JSON (@invalid):
 * - an array or object starts at the top after something else did ("{}{}",
 *   "0[1]"): json-glib 1.6 leaks what it parsed of that second value when it
 *   refuses the text, so a server could make the client leak at every answer;
 * - a comment or a single-quoted string: json-glib 1.6 accepts both, and a
 *   double quote inside one would hide the nesting after it from this scan,
 *   and so from the depth limit. JSON has neither. */
static guint
scan_structure (const char *data,
                gsize       length,
                guint       max_depth,
                gboolean   *invalid)
{
  gboolean in_string = FALSE;
  gboolean seen = FALSE;   /* anything but white space at the top */
  guint depth = 0;
  guint deepest = 0;

  *invalid = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            {
              /* Only JSON's escapes: json-glib 1.6 leaks what it read of a
               * string with a broken \u escape ("\ud8/") when it refuses it. */
              if (i + 1 < length && data[i + 1] == 'u')
                {
                  guint unit = 0;

                  for (guint k = 2; k < 6; k++)
                    if (i + k >= length || !g_ascii_isxdigit (data[i + k]))
                      {
                        *invalid = TRUE;
                        return deepest;
                      }
                    else
                      unit = unit * 16 + g_ascii_xdigit_value (data[i + k]);
                  i += 5;
                  /* A surrogate only as a pair, high then low: json-glib
                   * 1.6 leaks the string it was reading when it refuses a
                   * broken pair ("\ud800\ud800", found by fuzzing), and a
                   * lone one is no character anyway. */
                  if (unit >= 0xDC00 && unit <= 0xDFFF)
                    {
                      *invalid = TRUE;
                      return deepest;
                    }
                  if (unit >= 0xD800 && unit <= 0xDBFF)
                    {
                      guint low = 0;

                      if (i + 6 >= length || data[i + 1] != '\\' || data[i + 2] != 'u')
                        {
                          *invalid = TRUE;
                          return deepest;
                        }
                      for (guint k = 3; k < 7; k++)
                        if (!g_ascii_isxdigit (data[i + k]))
                          {
                            *invalid = TRUE;
                            return deepest;
                          }
                        else
                          low = low * 16 + g_ascii_xdigit_value (data[i + k]);
                      if (low < 0xDC00 || low > 0xDFFF)
                        {
                          *invalid = TRUE;
                          return deepest;
                        }
                      i += 6;
                    }
                }
              else if (i + 1 < length && strchr ("\"\\/bfnrt", data[i + 1]) != NULL && data[i + 1] != '\0')
                i++;
              else
                {
                  *invalid = TRUE;
                  return deepest;
                }
            }
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '[':
        case '{':
          if (depth == 0 && seen)
            {
              *invalid = TRUE;
              return deepest;
            }
          seen = TRUE;
          if (++depth > deepest)
            {
              deepest = depth;
              if (deepest > max_depth)
                return deepest;
            }
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        case ' ':
        case '\t':
        case '\n':
        case '\r':
          break;
        case '/':
        case '\'':
          *invalid = TRUE;
          return deepest;
        case '"':
          in_string = TRUE;
          G_GNUC_FALLTHROUGH;
        default:
          if (depth == 0)
            seen = TRUE;
          break;
        }
    }

  return deepest;
}

guint
mh_json_scan_depth (const char *data,
                    gsize       length,
                    guint       max_depth)
{
  gboolean invalid;

  return scan_structure (data, length, max_depth, &invalid);
}

/* json-glib turns "\ud800" into bytes that are not UTF-8: every string and
 * member name of the tree is checked, so nothing kept from outside can make
 * a later printf or JSON writer produce broken text. */
static gboolean
node_is_utf8 (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          if (!g_utf8_validate (name, -1, NULL) || !node_is_utf8 (member))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        for (guint i = 0; i < n; i++)
          if (!node_is_utf8 (json_array_get_element (array, i)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return g_utf8_validate (json_node_get_string (node), -1, NULL);
      return TRUE;
    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

JsonNode *
mh_json_parse (const char  *data,
               gsize        length,
               gsize        max_bytes,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  gboolean invalid;
  JsonNode *root;

  if (max_bytes == 0)
    max_bytes = MH_JSON_MAX_BYTES;

  if (length == 0)
    {
      g_set_error_literal (error, MH_JSON_ERROR, MH_JSON_ERROR_EMPTY, _("it is empty"));
      return NULL;
    }
  if (length > max_bytes)
    {
      g_set_error (error, MH_JSON_ERROR, MH_JSON_ERROR_TOO_LARGE,
                   _("it is larger than %u KiB"), (guint) (max_bytes / 1024));
      return NULL;
    }
  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, MH_JSON_ERROR, MH_JSON_ERROR_NOT_TEXT, _("it is not text"));
      return NULL;
    }
  if (scan_structure (data, length, MH_JSON_MAX_DEPTH, &invalid) > MH_JSON_MAX_DEPTH)
    {
      g_set_error (error, MH_JSON_ERROR, MH_JSON_ERROR_TOO_DEEP,
                   _("it is nested more than %u levels deep"), (guint) MH_JSON_MAX_DEPTH);
      return NULL;
    }

  /* The parser's own words (line, column, token) are for developers. */
  parser = json_parser_new_immutable ();
  if (invalid ||
      !json_parser_load_from_data (parser, data, length, NULL) ||
      json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, MH_JSON_ERROR, MH_JSON_ERROR_INVALID,
                           _("it is cut short or not valid JSON"));
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (!node_is_utf8 (root))
    {
      json_node_unref (root);
      g_set_error_literal (error, MH_JSON_ERROR, MH_JSON_ERROR_NOT_TEXT,
                           _("it holds a string that is not valid text"));
      return NULL;
    }

  return root;
}

/* ------------------------------------------------------------------------ */
/* Reading a stream                                                         */

typedef struct
{
  GInputStream *stream;
  GByteArray   *buffer;
  gsize         max_bytes;
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_clear_object (&data->stream);
  g_clear_pointer (&data->buffer, g_byte_array_unref);
  g_free (data);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ReadData *data = task_data;
  GError *error = NULL;
  JsonNode *root;

  root = mh_json_parse ((const char *) data->buffer->data, data->buffer->len,
                        data->max_bytes, &error);
  if (root == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, root, (GDestroyNotify) json_node_unref);
}

static void read_more (GTask *task);

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  gsize length;
  const guint8 *chunk;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  chunk = g_bytes_get_data (bytes, &length);
  if (length == 0)
    {
      /* The end: the stream is done with, and the text parsed off the
       * main loop (a large answer would stall it). */
      g_input_stream_close (data->stream, NULL, NULL);
      g_task_run_in_thread (task, parse_thread);
      g_object_unref (task);
      return;
    }

  if (data->buffer->len + length > data->max_bytes)
    {
      g_task_return_new_error (task, MH_JSON_ERROR, MH_JSON_ERROR_TOO_LARGE,
                               _("it is larger than %u KiB"), (guint) (data->max_bytes / 1024));
      g_object_unref (task);
      return;
    }

  g_byte_array_append (data->buffer, chunk, length);
  read_more (task);
}

static void
read_more (GTask *task)
{
  ReadData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, task);
}

void
mh_json_read_stream_async (GInputStream        *stream,
                           gsize                max_bytes,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  ReadData *data;

  g_return_if_fail (G_IS_INPUT_STREAM (stream));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mh_json_read_stream_async);
  /* A cancel that comes once the whole text is read (a deadline that fires
   * while it is parsed) must not turn a parsed answer into an error: a
   * create's project ID would be lost. A read still under way is stopped. */
  g_task_set_check_cancellable (task, FALSE);

  data = g_new0 (ReadData, 1);
  data->stream = g_object_ref (stream);
  data->buffer = g_byte_array_new ();
  data->max_bytes = max_bytes != 0 ? max_bytes : MH_JSON_MAX_BYTES;
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);

  read_more (task);
}

JsonNode *
mh_json_read_stream_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
