/* sink.c: a loopback HTTP/1.1 receiver that is not the bottleneck (bench/run)
 *
 *   sink [--port N] [--log FILE] [--get-bytes N | --get-file FILE]
 *
 * Listens on 127.0.0.1 (port 0, the default, picks a free one) and prints
 * "http://127.0.0.1:PORT" on its first line. One thread per connection;
 * keep-alive, pipelining, "Expect: 100-continue" and HEAD are handled.
 *
 * - PUT / POST with a Content-Length: the body is read in pieces of up to
 *   1 MiB and thrown away (recv (MSG_TRUNC): TCP drops it without copying it
 *   out); answers 200 once all of it arrived. A body without a length
 *   (chunked) gets 411, as object storage answers.
 * - GET / HEAD of any path: 200 with the bytes of --get-file (sent with
 *   sendfile(), so a sparse file costs no disk) or --get-bytes N zero bytes
 *   (written from a 1 MiB buffer); 404 when neither was given.
 *
 * Every request is logged to --log as one line "METHOD PATH BYTES STATUS"
 * (PATH without its query; BYTES of body received for a PUT / POST, sent for
 * a GET; STATUS 0 when the connection ended first), so the benchmark can
 * check that what a client sent arrived whole.
 *
 * It exists because the project's simulator checksums every upload on one
 * main loop: curl needs seconds to put 1 GiB into it, which hides the
 * client's own cost. Here curl -T reaches several GB/s. Not a test, not
 * installed; built by bench/meson.build.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUF_SIZE (1024 * 1024)
#define MAX_HEADER (64 * 1024)

static FILE *log_file;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *get_file;
static long long get_bytes = -1;

typedef struct
{
  int     fd;
  char   *buf;
  size_t  start;   /* unread bytes are buf[start, end) */
  size_t  end;
} Conn;

static void
log_request (const char *method, const char *path, long long bytes, int status)
{
  if (log_file == NULL)
    return;
  pthread_mutex_lock (&log_lock);
  fprintf (log_file, "%s %s %lld %d\n", method, path, bytes, status);
  fflush (log_file);
  pthread_mutex_unlock (&log_lock);
}

static int
write_all (int fd, const char *data, size_t len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return -1;
      data += n;
      len -= (size_t) n;
    }
  return 0;
}

/* Reads more into the buffer (compacting it first); 0 on EOF or error. */
static ssize_t
fill (Conn *c)
{
  ssize_t n;

  if (c->start > 0)
    {
      memmove (c->buf, c->buf + c->start, c->end - c->start);
      c->end -= c->start;
      c->start = 0;
    }
  if (c->end == BUF_SIZE)
    return 0;
  do
    n = read (c->fd, c->buf + c->end, BUF_SIZE - c->end);
  while (n < 0 && errno == EINTR);
  if (n <= 0)
    return 0;
  c->end += (size_t) n;
  return n;
}

/* Reads up to @len bytes of body and forgets them. TCP's MSG_TRUNC drops
 * them in the kernel without copying them out (the sink's own cost stays
 * well below the client's); where it is refused, a plain read. */
static ssize_t
discard (Conn *c, size_t len)
{
  static int no_trunc;
  ssize_t n;

  do
    n = no_trunc ? read (c->fd, c->buf, len) : recv (c->fd, NULL, len, MSG_TRUNC);
  while (n < 0 && errno == EINTR);
  if (n < 0 && !no_trunc && (errno == EINVAL || errno == EOPNOTSUPP || errno == EFAULT))
    {
      no_trunc = 1;
      return discard (c, len);
    }
  return n;
}

static int
respond (Conn *c, int status, const char *reason, long long length, const char *type,
         int close_after)
{
  char head[512];
  int n = snprintf (head, sizeof head,
                    "HTTP/1.1 %d %s\r\nContent-Length: %lld\r\n%s%s%s%s\r\n",
                    status, reason, length,
                    type != NULL ? "Content-Type: " : "", type != NULL ? type : "",
                    type != NULL ? "\r\n" : "",
                    close_after ? "Connection: close\r\n" : "");

  return write_all (c->fd, head, (size_t) n);
}

static const char *
type_of (const char *path)
{
  const char *dot = strrchr (path, '.');

  if (dot != NULL && strcasecmp (dot, ".mp4") == 0)
    return "video/mp4";
  if (dot != NULL && strcasecmp (dot, ".png") == 0)
    return "image/png";
  return "application/octet-stream";
}

/* Streams the GET body; returns the bytes sent. */
static long long
send_body (Conn *c, long long total)
{
  long long sent = 0;

  if (get_file != NULL)
    {
      int fd = open (get_file, O_RDONLY | O_CLOEXEC);
      off_t offset = 0;

      if (fd < 0)
        return 0;
      while (sent < total)
        {
          size_t want = total - sent > (1 << 30) ? (1 << 30) : (size_t) (total - sent);
          ssize_t n = sendfile (c->fd, fd, &offset, want);

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            break;
          sent += n;
        }
      close (fd);
      return sent;
    }

  {
    static char zeros[BUF_SIZE];   /* in .bss: not 1 MiB of binary */

    while (sent < total)
      {
        size_t want = total - sent > BUF_SIZE ? BUF_SIZE : (size_t) (total - sent);
        ssize_t n = write (c->fd, zeros, want);

        if (n < 0 && errno == EINTR)
          continue;
        if (n <= 0)
          break;
        sent += n;
      }
  }
  return sent;
}

/* One request; returns 1 to keep the connection, 0 to close it. */
static int
serve_one (Conn *c)
{
  char *head_end;
  char *line, *save = NULL;
  char method[16] = "", path[2048] = "";
  long long length = -1;
  int chunked = 0, expect_continue = 0, close_after = 0, http10 = 0;
  char *q;

  /* Until the end of the headers is in the buffer. */
  for (;;)
    {
      head_end = memmem (c->buf + c->start, c->end - c->start, "\r\n\r\n", 4);
      if (head_end != NULL)
        break;
      if (c->end - c->start > MAX_HEADER || fill (c) == 0)
        return 0;
    }
  *head_end = '\0';
  line = strtok_r (c->buf + c->start, "\r\n", &save);
  c->start = (size_t) (head_end + 4 - c->buf);
  if (line == NULL || sscanf (line, "%15s %2047s", method, path) != 2)
    return 0;
  http10 = strstr (line, "HTTP/1.0") != NULL;
  q = strchr (path, '?');
  if (q != NULL)
    *q = '\0';

  while ((line = strtok_r (NULL, "\r\n", &save)) != NULL)
    {
      char *colon = strchr (line, ':');
      char *value;

      if (colon == NULL)
        continue;
      *colon = '\0';
      value = colon + 1;
      while (*value == ' ' || *value == '\t')
        value++;
      if (strcasecmp (line, "Content-Length") == 0)
        length = strtoll (value, NULL, 10);
      else if (strcasecmp (line, "Transfer-Encoding") == 0 && strcasestr (value, "chunked"))
        chunked = 1;
      else if (strcasecmp (line, "Expect") == 0 && strcasecmp (value, "100-continue") == 0)
        expect_continue = 1;
      else if (strcasecmp (line, "Connection") == 0 && strcasestr (value, "close"))
        close_after = 1;
    }
  if (http10)
    close_after = 1;

  if (strcmp (method, "PUT") == 0 || strcmp (method, "POST") == 0)
    {
      long long received = 0;

      if (chunked || length < 0)
        {
          log_request (method, path, 0, 411);
          respond (c, 411, "Length Required", 0, NULL, 1);
          return 0;
        }
      if (expect_continue && length > 0 && c->end == c->start &&
          write_all (c->fd, "HTTP/1.1 100 Continue\r\n\r\n", 25) < 0)
        return 0;
      /* What came with the headers, then straight reads of the rest. */
      while (received < length)
        {
          size_t have = c->end - c->start;

          if (have == 0)
            {
              ssize_t n;

              c->start = c->end = 0;
              n = discard (c, length - received > BUF_SIZE ? BUF_SIZE : (size_t) (length - received));
              if (n <= 0)
                {
                  log_request (method, path, received, 0);
                  return 0;
                }
              received += n;
              continue;
            }
          if ((long long) have > length - received)
            have = (size_t) (length - received);
          c->start += have;
          received += (long long) have;
        }
      log_request (method, path, received, 200);
      if (respond (c, 200, "OK", 0, NULL, close_after) < 0)
        return 0;
      return !close_after;
    }

  if (strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0)
    {
      long long total = get_bytes;
      long long sent = 0;
      struct stat st;

      if (get_file != NULL)
        total = stat (get_file, &st) == 0 ? (long long) st.st_size : -1;
      if (total < 0)
        {
          log_request (method, path, 0, 404);
          if (respond (c, 404, "Not Found", 0, NULL, close_after) < 0)
            return 0;
          return !close_after;
        }
      if (respond (c, 200, "OK", total, type_of (path), close_after) < 0)
        return 0;
      if (strcmp (method, "GET") == 0)
        {
          sent = send_body (c, total);
          if (sent < total)
            {
              log_request (method, path, sent, 0);
              return 0;
            }
        }
      log_request (method, path, sent, 200);
      return !close_after;
    }

  log_request (method, path, 0, 405);
  respond (c, 405, "Method Not Allowed", 0, NULL, 1);
  return 0;
}

static void *
serve (void *data)
{
  Conn *c = data;

  c->buf = malloc (BUF_SIZE);
  if (c->buf != NULL)
    while (serve_one (c))
      ;
  close (c->fd);
  free (c->buf);
  free (c);
  return NULL;
}

static void
usage (void)
{
  fprintf (stderr, "usage: sink [--port N] [--log FILE] [--get-bytes N | --get-file FILE]\n");
  exit (2);
}

int
main (int argc, char **argv)
{
  int port = 0;
  int listener, one = 1;
  struct sockaddr_in addr = { 0 };
  socklen_t len = sizeof addr;

  for (int i = 1; i < argc; i++)
    {
      if (i + 1 >= argc)
        usage ();
      if (strcmp (argv[i], "--port") == 0)
        port = atoi (argv[++i]);
      else if (strcmp (argv[i], "--log") == 0)
        {
          log_file = fopen (argv[++i], "a");
          if (log_file == NULL)
            {
              perror (argv[i]);
              return 1;
            }
        }
      else if (strcmp (argv[i], "--get-bytes") == 0)
        get_bytes = strtoll (argv[++i], NULL, 10);
      else if (strcmp (argv[i], "--get-file") == 0)
        get_file = argv[++i];
      else
        usage ();
    }

  signal (SIGPIPE, SIG_IGN);
  listener = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0)
    {
      perror ("socket");
      return 1;
    }
  setsockopt (listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  addr.sin_family = AF_INET;
  addr.sin_port = htons ((uint16_t) port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (bind (listener, (struct sockaddr *) &addr, sizeof addr) < 0 || listen (listener, 64) < 0 ||
      getsockname (listener, (struct sockaddr *) &addr, &len) < 0)
    {
      perror ("bind");
      return 1;
    }
  printf ("http://127.0.0.1:%d\n", ntohs (addr.sin_port));
  fflush (stdout);

  for (;;)
    {
      int fd = accept4 (listener, NULL, NULL, SOCK_CLOEXEC);
      Conn *c;
      pthread_t thread;
      pthread_attr_t attr;

      if (fd < 0)
        {
          if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE)
            continue;
          perror ("accept");
          return 1;
        }
      c = calloc (1, sizeof *c);
      c->fd = fd;
      pthread_attr_init (&attr);
      pthread_attr_setdetachstate (&attr, PTHREAD_CREATE_DETACHED);
      if (pthread_create (&thread, &attr, serve, c) != 0)
        {
          close (fd);
          free (c);
        }
      pthread_attr_destroy (&attr);
    }
}
