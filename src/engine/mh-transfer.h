/* mh-transfer.h: storage PUTs and GETs on a thread of their own (libcurl)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-client.h"

G_BEGIN_DECLS

/* Called once on the transfer thread when a successful (2xx) answer's body
 * starts (or ends empty): returns the file descriptor the body is written
 * to, which stays the caller's, or -1 with @error set. */
typedef int (*MhTransferOpenFunc) (gpointer   user_data,
                                   GError   **error);

typedef struct
{
  guint    status;          /* HTTP status of the last answer, 0 if none */
  guint64  bytes;           /* PUT: bytes libcurl sent; GET: bytes written */
  guint64  handed;          /* PUT: bytes read from the file since the last rewind */
  gint64   content_length;  /* GET: the answer's Content-Length, -1 if none */
  gboolean local_error;     /* the error came from the file, not the network */
} MhTransferResult;

/* PUTs @size bytes of @fd (read from offset 0 with pread(); the fd stays
 * the caller's) to @url with that Content-Length, Content-Type
 * application/octet-stream and no Authorization, on a fresh connection.
 * Runs on a thread of its own; @progress is called on the thread-default
 * main context of the caller at most every 50 ms, and once more with the
 * final count before the result. Errors: G_IO_ERROR_CANCELLED (at once,
 * even on a stalled socket), G_IO_ERROR_TIMED_OUT when no byte moved for
 * @stall_seconds, the GIO and resolver and TLS errors of a network
 * failure. A non-2xx status is no error: read it in the result. */
void      mh_transfer_put_async (const char          *url,
                                 int                  fd,
                                 guint64              size,
                                 double               stall_seconds,
                                 MhProgressFunc       progress,
                                 gpointer             progress_data,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);

/* GETs @url; the body of a 2xx answer goes to the fd that @open returns
 * (called on the transfer thread); the body of any other answer is not
 * read. Progress, errors and the stall limit as for a PUT. */
void      mh_transfer_get_async (const char          *url,
                                 MhTransferOpenFunc   open,
                                 gpointer             open_data,
                                 double               stall_seconds,
                                 MhProgressFunc       progress,
                                 gpointer             progress_data,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);

/* Transfers started from now on run this much nicer (0-19, added to the
 * nice value they inherit; Linux): the app gives its window's thread and
 * the renderer's threads the CPU first, and a transfer takes what they
 * leave. 0, the default, changes nothing. */
void      mh_transfer_set_thread_nice (int                  nice);

/* @out is filled also when it fails (what was known by then). */
gboolean  mh_transfer_finish    (GAsyncResult        *result,
                                 MhTransferResult    *out,
                                 GError             **error);

G_END_DECLS
