/* mh-transfer.c: storage PUTs and GETs on a thread of their own (libcurl)
 *
 * libsoup 3.2 splices a request body in 8 KiB pieces, each a read on a
 * worker thread and a wake-up of the main loop: a 1 GiB upload cost 17
 * times curl's time and 15 times its CPU (bench/transfer/RESULTS.md).
 * Storage transfers therefore run here: one thread per transfer, a libcurl
 * multi handle polled with curl_multi_poll() (woken by curl_multi_wakeup()
 * when the caller cancels, so a stalled socket does not hold a cancel
 * back), 512 KiB reads and writes straight on the file descriptor, and the
 * main context touched only for progress (at most every 50 ms) and the
 * result. The API's JSON calls stay on libsoup (mh-client-call.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <curl/curl.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#endif

#include "mh-transfer.h"

/* libcurl's largest read and write sizes bound the memory of a transfer:
 * one upload buffer and one receive buffer, whatever the file's size. */
#define TRANSFER_BUFFER_SIZE (512 * 1024)
#define PROGRESS_INTERVAL_US (50 * 1000)
/* As libsoup's session had it (mh-client.c): no connection attempt hangs
 * for more than a minute. */
#define CONNECT_TIMEOUT_MS (60 * 1000)

typedef struct
{
  GTask              *task;          /* not a reference: it owns this */
  GMainContext       *context;
  int                 nice;          /* added to the thread's nice value */
  char               *url;
  gboolean            put;
  int                 fd;            /* PUT: a dup of the caller's; GET: the caller's once opened */
  guint64             size;
  guint64             offset;
  MhTransferOpenFunc  open;
  gpointer            open_data;
  gint64              stall_us;
  MhProgressFunc      progress;
  gpointer            progress_data;
  GCancellable       *cancellable;

  /* The transfer thread's alone. */
  CURL               *easy;
  CURLM              *multi;
  gint64              last_activity;
  curl_off_t          last_up;
  curl_off_t          last_down;
  gboolean            body_refused;
  char                errbuf[CURL_ERROR_SIZE];

  /* Set from the thread that cancels. */
  gint                cancelled;

  /* Guards the progress fields, shared by both threads. */
  GMutex              lock;
  guint64             progress_done;
  guint64             progress_total;
  GSource            *progress_source;
  guint64             scheduled_done;  /* what the pending report says */
  guint64             scheduled_total;
  gint64              progress_due;    /* when the pending report is due */
  gint64              progress_last;   /* when the last report ran */
  gboolean            progress_any;
  guint64             reported_done;   /* main context only */
  gboolean            reported;

  MhTransferResult    result;
  GError             *error;
} Transfer;

static void
transfer_free (Transfer *t)
{
  g_clear_pointer (&t->context, g_main_context_unref);
  g_free (t->url);
  if (t->put && t->fd >= 0)
    close (t->fd);
  g_clear_object (&t->cancellable);
  g_mutex_clear (&t->lock);
  g_clear_error (&t->error);
  g_free (t);
}

static void
ensure_curl (void)
{
  static gsize initialized = 0;

  /* curl_global_init() is not thread-safe in every build; once is enough. */
  if (g_once_init_enter (&initialized))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&initialized, 1);
    }
}

/* Progress: the transfer thread stores the count; one source at a time
 * carries it to the caller's context, due no sooner than 50 ms after the
 * last report ran. A report says the count at the moment it was due (what
 * had moved by then), and a count that changed after that is reported 50 ms
 * later, or by the final report. Called with the lock held. */
static gboolean progress_dispatch_cb (gpointer user_data);

static void
schedule_report_locked (GTask    *task,
                        Transfer *t)
{
  gint64 now = g_get_monotonic_time ();
  gint64 wait = t->progress_last + PROGRESS_INTERVAL_US - now;

  t->scheduled_done = t->progress_done;
  t->scheduled_total = t->progress_total;
  t->progress_due = now + MAX (wait, 0);
  t->progress_source = wait > 0 ? g_timeout_source_new ((wait + 999) / 1000) : g_idle_source_new ();
  g_source_set_priority (t->progress_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (t->progress_source, progress_dispatch_cb,
                         g_object_ref (task), g_object_unref);
  g_source_attach (t->progress_source, t->context);
}

static gboolean
progress_dispatch_cb (gpointer user_data)
{
  GTask *task = user_data;
  Transfer *t = g_task_get_task_data (task);
  guint64 done, total;

  g_mutex_lock (&t->lock);
  done = t->scheduled_done;
  total = t->scheduled_total;
  g_clear_pointer (&t->progress_source, g_source_unref);
  t->progress_last = g_get_monotonic_time ();
  /* Moved since it was due: the next report says so, even if nothing
   * moves any more (a stalled socket). */
  if (t->progress_done != done || t->progress_total != total)
    schedule_report_locked (task, t);
  g_mutex_unlock (&t->lock);

  /* Canceled: the caller hears of no more bytes, only of the cancel. */
  if (g_cancellable_is_cancelled (t->cancellable))
    return G_SOURCE_REMOVE;
  t->reported = TRUE;
  t->reported_done = done;
  t->progress (done, total, t->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_update (GTask   *task,
                 guint64  done,
                 guint64  total)
{
  Transfer *t = g_task_get_task_data (task);

  if (t->progress == NULL)
    return;

  g_mutex_lock (&t->lock);
  if (!t->progress_any || t->progress_done != done || t->progress_total != total)
    {
      t->progress_any = TRUE;
      t->progress_done = done;
      t->progress_total = total;
      if (t->progress_source == NULL)
        schedule_report_locked (task, t);
      else if (g_get_monotonic_time () < t->progress_due)
        {
          t->scheduled_done = done;
          t->scheduled_total = total;
        }
    }
  g_mutex_unlock (&t->lock);
}

static gboolean
done_cb (gpointer user_data)
{
  GTask *task = user_data;
  Transfer *t = g_task_get_task_data (task);
  guint64 done, total;
  gboolean any;

  g_mutex_lock (&t->lock);
  if (t->progress_source != NULL)
    {
      g_autoptr(GSource) pending = g_steal_pointer (&t->progress_source);
      gboolean due = g_get_monotonic_time () >= t->progress_due;

      /* A report already due is not lost (it says where the transfer
       * was then), then the final one; one not due yet is the final's. */
      g_source_destroy (pending);
      if (due && !g_cancellable_is_cancelled (t->cancellable))
        {
          g_mutex_unlock (&t->lock);
          t->reported = TRUE;
          t->reported_done = t->scheduled_done;
          t->progress (t->scheduled_done, t->scheduled_total, t->progress_data);
          g_mutex_lock (&t->lock);
        }
    }
  done = t->progress_done;
  total = t->progress_total;
  any = t->progress_any;
  g_mutex_unlock (&t->lock);

  /* Always the last count, before the result (unless canceled). */
  if (t->progress != NULL && any && (!t->reported || t->reported_done != done) &&
      !g_cancellable_is_cancelled (t->cancellable))
    t->progress (done, total, t->progress_data);

  if (t->error != NULL)
    g_task_return_error (task, g_steal_pointer (&t->error));
  else
    g_task_return_boolean (task, TRUE);
  return G_SOURCE_REMOVE;
}

static void
set_local_error (Transfer   *t,
                 int         saved_errno,
                 const char *message)
{
  if (t->error != NULL)
    return;
  t->error = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (saved_errno), message);
  t->result.local_error = TRUE;
}

/* The GIO error that mh_client_wrap_network_error() words, for a libcurl
 * failure. */
static GError *
error_from_curl (CURLcode    code,
                 const char *errbuf)
{
  const char *message = errbuf != NULL && *errbuf != '\0' ? errbuf : curl_easy_strerror (code);

  switch (code)
    {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return g_error_new_literal (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, message);
    case CURLE_COULDNT_CONNECT:
      return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, message);
    case CURLE_OPERATION_TIMEDOUT:
      return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, message);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
      return g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, message);
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED:
      return g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_HANDSHAKE, message);
    case CURLE_PARTIAL_FILE:
      return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, message);
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
      return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, message);
    default:
      return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, message);
    }
}

static size_t
read_cb (char   *buffer,
         size_t  size,
         size_t  nitems,
         void   *user_data)
{
  Transfer *t = user_data;
  size_t want = size * nitems;
  ssize_t n;

  if (t->offset >= t->size)
    return 0;
  want = MIN (want, t->size - t->offset);
  do
    n = pread (t->fd, buffer, want, t->offset);
  while (n < 0 && errno == EINTR);

  if (n < 0)
    {
      int saved = errno;

      set_local_error (t, saved, g_strerror (saved));
      return CURL_READFUNC_ABORT;
    }
  /* A file that got shorter: libcurl fails the PUT, and the size check
   * would catch it anyway. */
  t->offset += n;
  t->result.handed += n;
  return n;
}

/* libcurl rewinds the body for a redirect or an authentication retry:
 * it is sent again from the start, never cut short. */
static int
seek_cb (void       *user_data,
         curl_off_t  offset,
         int         origin)
{
  Transfer *t = user_data;

  if (origin != SEEK_SET || offset < 0 || (guint64) offset > t->size)
    return CURL_SEEKFUNC_FAIL;
  t->offset = offset;
  t->result.handed = offset;
  return CURL_SEEKFUNC_OK;
}

static gboolean
open_output (Transfer *t)
{
  GError *error = NULL;

  t->fd = t->open (t->open_data, &error);
  if (t->fd < 0)
    {
      g_clear_error (&t->error);
      t->error = error;
      t->result.local_error = TRUE;
      return FALSE;
    }
  return TRUE;
}

static size_t
write_cb (char   *ptr,
          size_t  size,
          size_t  nmemb,
          void   *user_data)
{
  Transfer *t = user_data;
  size_t len = size * nmemb;
  size_t written = 0;

  /* Storage's answer to a PUT holds nothing the upload needs. */
  if (t->put)
    return len;

  if (t->fd < 0)
    {
      long status = 0;

      /* Only a 2xx body is a file; of any other answer the status is
       * enough, and its body is not read. */
      curl_easy_getinfo (t->easy, CURLINFO_RESPONSE_CODE, &status);
      if (status < 200 || status > 299)
        {
          t->body_refused = TRUE;
          return CURL_WRITEFUNC_ERROR;
        }
      if (!open_output (t))
        return CURL_WRITEFUNC_ERROR;
    }

  while (written < len)
    {
      ssize_t n = write (t->fd, ptr + written, len - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          set_local_error (t, saved, g_strerror (saved));
          return CURL_WRITEFUNC_ERROR;
        }
      written += n;
    }
  t->result.bytes += len;
  t->last_activity = g_get_monotonic_time ();
  {
    curl_off_t total = -1;

    curl_easy_getinfo (t->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &total);
    progress_update (t->task, t->result.bytes, total > 0 ? (guint64) total : 0);
  }
  return len;
}

static size_t
header_cb (char   *buffer,
           size_t  size,
           size_t  nitems,
           void   *user_data)
{
  Transfer *t = user_data;

  /* An answer arriving is activity, as much as body bytes are. */
  t->last_activity = g_get_monotonic_time ();
  return size * nitems;
}

static int
xferinfo_cb (void       *user_data,
             curl_off_t  dltotal,
             curl_off_t  dlnow,
             curl_off_t  ultotal,
             curl_off_t  ulnow)
{
  GTask *task = user_data;
  Transfer *t = g_task_get_task_data (task);

  if (g_atomic_int_get (&t->cancelled))
    return 1;

  if (ulnow != t->last_up || dlnow != t->last_down)
    {
      t->last_up = ulnow;
      t->last_down = dlnow;
      t->last_activity = g_get_monotonic_time ();
      /* A GET's count is what reached the file (write_cb). */
      if (t->put)
        progress_update (task, MIN ((guint64) ulnow, t->size), t->size);
    }
  return 0;
}

static void
cancelled_cb (GCancellable *cancellable,
              Transfer     *t)
{
  g_atomic_int_set (&t->cancelled, 1);
  curl_multi_wakeup (t->multi);
}

/* The proxy that GIO (and so libsoup's session) would use for @url: none
 * unless the desktop's or the environment's settings name one. */
static void
set_proxy (Transfer *t)
{
  g_auto(GStrv) proxies = g_proxy_resolver_lookup (g_proxy_resolver_get_default (), t->url,
                                                   t->cancellable, NULL);

  if (proxies != NULL && proxies[0] != NULL && !g_str_equal (proxies[0], "direct://"))
    curl_easy_setopt (t->easy, CURLOPT_PROXY, proxies[0]);
  else
    /* "" turns off libcurl's own reading of http_proxy and friends. */
    curl_easy_setopt (t->easy, CURLOPT_PROXY, "");
}

static void
setup (GTask              *task,
       struct curl_slist **headers)
{
  Transfer *t = g_task_get_task_data (task);
  CURL *easy = t->easy;
  /* What the API calls send (mh-client.c). */
  g_autofree char *user_agent = g_strdup_printf ("MagicHourStudio/%s", PACKAGE_VERSION);

  curl_easy_setopt (easy, CURLOPT_URL, t->url);
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (easy, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt (easy, CURLOPT_MAXREDIRS, 20L);
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  /* HTTP/1.1, the protocol the benchmarks and tests measured (HTTP/2 over
   * TLS was not): one transfer per connection either way. */
  curl_easy_setopt (easy, CURLOPT_HTTP_VERSION, (long) CURL_HTTP_VERSION_1_1);
  curl_easy_setopt (easy, CURLOPT_USERAGENT, user_agent);
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT_MS, (long) CONNECT_TIMEOUT_MS);
  curl_easy_setopt (easy, CURLOPT_BUFFERSIZE, (long) TRANSFER_BUFFER_SIZE);
  curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, t->errbuf);
  curl_easy_setopt (easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (easy, CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
  curl_easy_setopt (easy, CURLOPT_XFERINFODATA, task);
  curl_easy_setopt (easy, CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt (easy, CURLOPT_HEADERDATA, t);
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, t);
  /* Each transfer has its own connection: libcurl never replays a request
   * on a reused one behind the retry logic's back. */
  curl_easy_setopt (easy, CURLOPT_FRESH_CONNECT, 1L);
  curl_easy_setopt (easy, CURLOPT_FORBID_REUSE, 1L);
  set_proxy (t);

  if (t->put)
    {
      curl_easy_setopt (easy, CURLOPT_UPLOAD, 1L);
      /* The real size, so a Content-Length and never a chunked body:
       * object stores refuse those. */
      curl_easy_setopt (easy, CURLOPT_INFILESIZE_LARGE, (curl_off_t) t->size);
      curl_easy_setopt (easy, CURLOPT_UPLOAD_BUFFERSIZE, (long) TRANSFER_BUFFER_SIZE);
      curl_easy_setopt (easy, CURLOPT_READFUNCTION, read_cb);
      curl_easy_setopt (easy, CURLOPT_READDATA, t);
      curl_easy_setopt (easy, CURLOPT_SEEKFUNCTION, seek_cb);
      curl_easy_setopt (easy, CURLOPT_SEEKDATA, t);
      /* No Authorization: the URL is presigned, and the key must not go to
       * storage. No "Expect: 100-continue": a wait of a second for an
       * answer storage does not send. */
      *headers = curl_slist_append (*headers, "Content-Type: application/octet-stream");
      *headers = curl_slist_append (*headers, "Expect:");
      curl_easy_setopt (easy, CURLOPT_HTTPHEADER, *headers);
    }
}

static void
run (GTask *task)
{
  Transfer *t = g_task_get_task_data (task);
  struct curl_slist *headers = NULL;
  gulong handler = 0;
  CURLcode code = CURLE_OK;
  CURLMcode mc = CURLM_OK;
  CURLMsg *msg;
  int running = 1;
  int left;
  long status = 0;
  curl_off_t value = 0;

  t->easy = curl_easy_init ();
  t->multi = curl_multi_init ();
  if (t->easy == NULL || t->multi == NULL)
    {
      t->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "libcurl could not start");
      goto out;
    }
  setup (task, &headers);
  curl_multi_add_handle (t->multi, t->easy);

  /* Runs at once when it is cancelled already. */
  if (t->cancellable != NULL)
    handler = g_cancellable_connect (t->cancellable, G_CALLBACK (cancelled_cb), t, NULL);

  t->last_activity = g_get_monotonic_time ();
  while (running)
    {
      gint64 idle;
      int wait_ms;

      mc = curl_multi_perform (t->multi, &running);
      if (mc != CURLM_OK || !running)
        break;
      if (g_atomic_int_get (&t->cancelled))
        break;
      idle = g_get_monotonic_time () - t->last_activity;
      if (idle >= t->stall_us)
        break;
      /* Woken by the socket, by a cancel, or in time for the stall limit. */
      wait_ms = CLAMP ((t->stall_us - idle) / 1000 + 1, 1, 1000);
      mc = curl_multi_poll (t->multi, NULL, 0, wait_ms, NULL);
      if (mc != CURLM_OK)
        break;
    }

  if (handler != 0)
    g_cancellable_disconnect (t->cancellable, handler);

  while ((msg = curl_multi_info_read (t->multi, &left)) != NULL)
    if (msg->msg == CURLMSG_DONE)
      code = msg->data.result;

  curl_easy_getinfo (t->easy, CURLINFO_RESPONSE_CODE, &status);
  t->result.status = status;
  if (t->put && curl_easy_getinfo (t->easy, CURLINFO_SIZE_UPLOAD_T, &value) == CURLE_OK)
    t->result.bytes = value;
  if (!t->put &&
      curl_easy_getinfo (t->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &value) == CURLE_OK)
    t->result.content_length = value;

  if (g_atomic_int_get (&t->cancelled) ||
      g_cancellable_is_cancelled (t->cancellable))
    {
      g_clear_error (&t->error);
      t->result.local_error = FALSE;
      t->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
    }
  else if (t->error != NULL)
    ; /* The file's side failed first: that is the error. */
  else if (mc != CURLM_OK)
    t->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, curl_multi_strerror (mc));
  else if (running)
    t->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                    "No data moved for the transfer timeout");
  else if (code != CURLE_OK && !t->body_refused)
    t->error = error_from_curl (code, t->errbuf);
  else if (!t->put && t->fd < 0 && status >= 200 && status <= 299)
    /* A successful empty body is still a file. */
    open_output (t);

out:
  if (t->multi != NULL && t->easy != NULL)
    curl_multi_remove_handle (t->multi, t->easy);
  g_clear_pointer (&t->easy, curl_easy_cleanup);
  g_clear_pointer (&t->multi, curl_multi_cleanup);
  curl_slist_free_all (headers);
}

/* 0, or how much less of a busy CPU the transfer threads get than the
 * thread that started them: added to its nice value (mh_transfer_set_thread_nice). */
static int thread_nice;

void
mh_transfer_set_thread_nice (int nice)
{
  g_atomic_int_set (&thread_nice, CLAMP (nice, 0, 19));
}

static gpointer
transfer_thread (gpointer user_data)
{
  GTask *task = user_data;
  Transfer *t = g_task_get_task_data (task);
  GSource *source;
#ifdef __linux__
  int nice = t->nice;
  id_t tid = (id_t) syscall (SYS_gettid);

  /* On Linux a thread has a nice value of its own: this one only, relative
   * to the one it was started with (the app's, inherited). */
  if (nice > 0)
    {
      errno = 0;
      nice = MIN (getpriority (PRIO_PROCESS, tid) + nice, 19);
      if (errno != 0 || setpriority (PRIO_PROCESS, tid, nice) != 0)
        g_debug ("The transfer thread keeps its priority: %s", g_strerror (errno));
    }
#endif

  run (task);

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, done_cb, task, g_object_unref);
  g_source_attach (source, t->context);
  g_source_unref (source);
  return NULL;
}

static void
start (GTask    *task,
       Transfer *t)
{
  ensure_curl ();
  t->context = g_main_context_ref (g_task_get_context (task));
  t->nice = g_atomic_int_get (&thread_nice);
  t->result.content_length = -1;
  g_mutex_init (&t->lock);
  /* So that the first report is not held back. */
  t->progress_last = g_get_monotonic_time () - PROGRESS_INTERVAL_US;
  g_task_set_task_data (task, t, (GDestroyNotify) transfer_free);
  g_thread_unref (g_thread_new ("mh-transfer", transfer_thread, task));
}

/* What a PUT and a GET have in common; the task owns the Transfer once
 * start() has run. */
static Transfer *
transfer_new (const char          *url,
              double               stall_seconds,
              MhProgressFunc       progress,
              gpointer             progress_data,
              GCancellable        *cancellable,
              gpointer             source_tag,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  Transfer *t = g_new0 (Transfer, 1);

  t->task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (t->task, source_tag);
  t->url = g_strdup (url);
  t->fd = -1;
  t->stall_us = MAX (stall_seconds, 0.001) * G_USEC_PER_SEC;
  t->progress = progress;
  t->progress_data = progress_data;
  t->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  return t;
}

void
mh_transfer_put_async (const char          *url,
                       int                  fd,
                       guint64              size,
                       double               stall_seconds,
                       MhProgressFunc       progress,
                       gpointer             progress_data,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  Transfer *t = transfer_new (url, stall_seconds, progress, progress_data, cancellable,
                              mh_transfer_put_async, callback, user_data);
  GTask *task = t->task;

  t->put = TRUE;
  /* Its own descriptor: the caller may close its stream meanwhile. */
  t->fd = dup (fd);
  t->size = size;
  if (t->fd < 0)
    {
      int saved = errno;

      g_task_set_task_data (task, t, (GDestroyNotify) transfer_free);
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               "%s", g_strerror (saved));
      g_object_unref (task);
      return;
    }
  start (task, t);
}

void
mh_transfer_get_async (const char          *url,
                       MhTransferOpenFunc   open,
                       gpointer             open_data,
                       double               stall_seconds,
                       MhProgressFunc       progress,
                       gpointer             progress_data,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  Transfer *t = transfer_new (url, stall_seconds, progress, progress_data, cancellable,
                              mh_transfer_get_async, callback, user_data);

  t->open = open;
  t->open_data = open_data;
  start (t->task, t);
}

gboolean
mh_transfer_finish (GAsyncResult      *result,
                    MhTransferResult  *out,
                    GError           **error)
{
  Transfer *t = g_task_get_task_data (G_TASK (result));

  if (out != NULL)
    {
      if (t != NULL)
        *out = t->result;
      else
        memset (out, 0, sizeof *out);
    }
  return g_task_propagate_boolean (G_TASK (result), error);
}
