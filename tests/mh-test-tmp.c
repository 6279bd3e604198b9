/* mh-test-tmp.c: every test process in a temporary folder of its own
 *
 * Linked whole into every test program. Before main() runs, the program
 * makes a folder under $TMPDIR (or /tmp) and points TMPDIR at it, before
 * GLib reads it: everything the test and its children make with
 * g_dir_make_tmp() and the like (the fixtures' folders, what a g_test
 * subprocess makes, the command-line tool's temporary files, the demo
 * history of an app that is never shut down) is inside.
 *
 * A small process forked then waits for the test to end, however it ends:
 * returning from main(), a failed assertion, g_error(), a g_test
 * subprocess's _exit(1) after a fatal warning, or the SIGKILL of a timeout.
 * It removes the folder and ends. It keeps the test's stdout and stderr
 * open until then, so whoever reads them to their end (meson, the parent of
 * a g_test subprocess) only sees that end once the folder is gone.
 *
 * Plain POSIX on purpose: this runs before GLib is set up, and the waiting
 * process must not depend on the state of the one it cleans up after.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* pipe2 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Removes @name in @dir_fd, a folder with all it holds; never follows a
 * symbolic link out of it. Folders a test made unreadable are made
 * readable first (root does not need it, everyone else does). */
static void
remove_tree_at (int         dir_fd,
                const char *name)
{
  struct stat st;
  DIR *dir;
  int fd;

  if (fstatat (dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return;

  if (!S_ISDIR (st.st_mode))
    {
      unlinkat (dir_fd, name, 0);
      return;
    }

  fchmodat (dir_fd, name, 0700, 0);
  fd = openat (dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0)
    {
      dir = fdopendir (fd);
      if (dir != NULL)
        {
          struct dirent *entry;

          while ((entry = readdir (dir)) != NULL)
            if (strcmp (entry->d_name, ".") != 0 && strcmp (entry->d_name, "..") != 0)
              remove_tree_at (dirfd (dir), entry->d_name);
          closedir (dir);
        }
      else
        close (fd);
    }
  unlinkat (dir_fd, name, AT_REMOVEDIR);
}

static void
wait_and_remove (int         end_fd,
                 const char *path)
{
  int null_fd;
  char c;

  /* Out of the test's process group and session: a signal meant for the
   * test (a timeout's, Ctrl+C in a terminal) does not end this first. */
  setsid ();
  null_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd >= 0)
    dup2 (null_fd, STDIN_FILENO);

  /* End of file once every copy of the other end is closed: when the test
   * process is gone (the end is close-on-exec, so programs it starts do not
   * hold it). */
  for (;;)
    {
      ssize_t n = read (end_fd, &c, 1);

      if (n == 0 || (n < 0 && errno != EINTR))
        break;
    }

  remove_tree_at (AT_FDCWD, path);
  _exit (0);
}

__attribute__((constructor))
static void
mh_test_tmp_init (void)
{
  const char *base = getenv ("TMPDIR");
  const char *program = "test";
  char path[4096];
  int fds[2];
  pid_t pid;

  if (base == NULL || *base == '\0')
    base = "/tmp";

  {
    FILE *comm = fopen ("/proc/self/comm", "re");
    static char name[64];

    if (comm != NULL)
      {
        if (fgets (name, sizeof name, comm) != NULL)
          {
            name[strcspn (name, "\n/")] = '\0';
            if (*name != '\0')
              program = name;
          }
        fclose (comm);
      }
  }

  if ((size_t) snprintf (path, sizeof path, "%s/%s-XXXXXX", base, program) >= sizeof path ||
      mkdtemp (path) == NULL)
    {
      fprintf (stderr, "Could not make a temporary folder in %s: %s\n", base, strerror (errno));
      abort ();
    }

  if (pipe2 (fds, O_CLOEXEC) != 0)
    {
      fprintf (stderr, "Could not make a pipe: %s\n", strerror (errno));
      abort ();
    }

  pid = fork ();
  if (pid < 0)
    {
      fprintf (stderr, "Could not fork: %s\n", strerror (errno));
      abort ();
    }
  if (pid == 0)
    {
      close (fds[1]);
      wait_and_remove (fds[0], path);
    }

  /* The write end stays open in this process until it ends. */
  close (fds[0]);
  setenv ("TMPDIR", path, 1);
}
