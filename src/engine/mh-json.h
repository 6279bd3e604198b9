/* mh-json.h: the one place JSON text from outside is parsed
 *
 * json-glib has no depth limit (a text nested 100,000 deep overflows the
 * stack inside it) and reads a stream whole, however long. Every answer of
 * the API, every job record and every request the simulator receives goes
 * through here instead: its size is bounded while it is read, and its depth
 * is checked by a cheap scan before json-glib sees it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deeper than this is not an answer of the API, nor a job record. */
#define MH_JSON_MAX_DEPTH 64
/* The largest text read: API answers and records are a few KiB. */
#define MH_JSON_MAX_BYTES (4 * 1024 * 1024)

#define MH_JSON_ERROR (mh_json_error_quark ())

typedef enum
{
  MH_JSON_ERROR_EMPTY,       /* no text at all */
  MH_JSON_ERROR_TOO_LARGE,   /* more than the size limit */
  MH_JSON_ERROR_TOO_DEEP,    /* nested deeper than MH_JSON_MAX_DEPTH */
  MH_JSON_ERROR_NOT_TEXT,    /* not UTF-8 */
  MH_JSON_ERROR_INVALID,     /* not JSON, or cut short */
} MhJsonError;

GQuark       mh_json_error_quark           (void);

/* The nesting depth of @data (arrays and objects; strings are skipped),
 * scanning no further than @max_depth + 1. */
guint        mh_json_scan_depth            (const char           *data,
                                            gsize                 length,
                                            guint                 max_depth);

/* Parses @data (@length bytes, no NUL needed) after checking its size
 * against @max_bytes (0: MH_JSON_MAX_BYTES), its encoding and its depth.
 * The error's message is a short phrase a person can read ("it is not
 * valid JSON"), to be put in a sentence. */
JsonNode    *mh_json_parse                 (const char           *data,
                                            gsize                 length,
                                            gsize                 max_bytes,
                                            GError              **error);

/* Reads @stream to its end, failing as soon as more than @max_bytes
 * (0: MH_JSON_MAX_BYTES) arrived, whatever the headers said, then parses
 * it as mh_json_parse() does, on a worker thread. The stream is closed. */
void         mh_json_read_stream_async     (GInputStream         *stream,
                                            gsize                 max_bytes,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
JsonNode    *mh_json_read_stream_finish    (GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
