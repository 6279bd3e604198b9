/* sink.c: an HTTP receiver on loopback that is not the bottleneck
 *
 * Takes PUT (and POST) bodies of a Content-Length with 1 MiB reads,
 * discards them (recv with MSG_TRUNC) and answers 200; one thread per connection. Prints its port
 * on stdout, then serves until killed or, with a count, until that many
 * requests were answered. Loopback only. Not a test: bench/transfer/run.
 *
 * Usage: sink [PORT [COUNT]]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUFFER_SIZE (1024 * 1024)
#define MAX_HEAD 16384

static long remaining = -1;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int
send_all (int fd, const char *data, size_t len)
{
  while (len > 0)
    {
      ssize_t n = send (fd, data, len, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return -1;
      data += n;
      len -= n;
    }
  return 0;
}

/* The value of header @name in @head (NUL-terminated), or NULL. */
static const char *
header (const char *head, const char *name)
{
  size_t len = strlen (name);
  const char *p = strstr (head, "\r\n");

  while (p != NULL && p[2] != '\r')
    {
      p += 2;
      if (strncasecmp (p, name, len) == 0 && p[len] == ':')
        {
          p += len + 1;
          while (*p == ' ')
            p++;
          return p;
        }
      p = strstr (p, "\r\n");
    }
  return NULL;
}

static void *
serve (void *arg)
{
  int fd = (int) (long) arg;
  char *buffer = malloc (BUFFER_SIZE);
  static const char ok[] =
    "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

  for (;;)
    {
      size_t have = 0;
      char *end = NULL;
      const char *value;
      long long length = 0, left;
      ssize_t n;

      /* The head, then what of the body came with it. */
      while (end == NULL)
        {
          if (have >= MAX_HEAD)
            goto out;
          n = recv (fd, buffer + have, BUFFER_SIZE - have - 1, 0);
          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            goto out;
          have += n;
          buffer[have] = '\0';
          end = strstr (buffer, "\r\n\r\n");
        }
      *end = '\0';
      value = header (buffer, "Content-Length");
      if (value != NULL)
        length = atoll (value);
      if (header (buffer, "Transfer-Encoding") != NULL)
        {
          static const char refused[] =
            "HTTP/1.1 411 Length Required\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
          send_all (fd, refused, sizeof refused - 1);
          goto out;
        }
      value = header (buffer, "Expect");
      if (value != NULL && strncasecmp (value, "100-continue", 12) == 0)
        {
          static const char go_on[] = "HTTP/1.1 100 Continue\r\n\r\n";
          if (send_all (fd, go_on, sizeof go_on - 1) < 0)
            goto out;
        }

      left = length - (long long) (have - (end + 4 - buffer));
      while (left > 0)
        {
          /* MSG_TRUNC: TCP drops what was read without copying it out, so
           * the sink spends less of the CPU the client is measured on. */
          n = recv (fd, buffer, left < BUFFER_SIZE ? (size_t) left : BUFFER_SIZE, MSG_TRUNC);
          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            goto out;
          left -= n;
        }
      send_all (fd, ok, sizeof ok - 1);

      pthread_mutex_lock (&lock);
      if (remaining > 0 && --remaining == 0)
        exit (0);
      pthread_mutex_unlock (&lock);
      break;
    }

out:
  free (buffer);
  close (fd);
  return NULL;
}

int
main (int argc, char *argv[])
{
  struct sockaddr_in addr = { 0 };
  socklen_t len = sizeof addr;
  int one = 1;
  int listener = socket (AF_INET, SOCK_STREAM, 0);

  if (argc > 2)
    remaining = atol (argv[2]);
  addr.sin_family = AF_INET;
  addr.sin_port = htons (argc > 1 ? atoi (argv[1]) : 0);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  setsockopt (listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind (listener, (struct sockaddr *) &addr, sizeof addr) < 0 || listen (listener, 16) < 0)
    {
      perror ("sink");
      return 1;
    }
  getsockname (listener, (struct sockaddr *) &addr, &len);
  printf ("%d\n", ntohs (addr.sin_port));
  fflush (stdout);

  for (;;)
    {
      pthread_t thread;
      int fd = accept (listener, NULL, NULL);

      if (fd < 0)
        {
          if (errno == EINTR)
            continue;
          perror ("sink: accept");
          return 1;
        }
      pthread_create (&thread, NULL, serve, (void *) (long) fd);
      pthread_detach (thread);
    }
}
