/* fuzz-regress.c: runs a fuzz target over its corpus, without libFuzzer
 *
 * Usage: fuzz-regress-TARGET FOLDER|FILE…  Each file is given to the
 * target's LLVMFuzzerTestOneInput() once, in name order, its name printed
 * first so that a crash says which input it was. The corpus holds the seeds
 * and every input that ever crashed a target: this is the plain test that
 * keeps them fixed on machines without clang.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <stdio.h>

#include "mh-fuzz.h"

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static void
add_inputs (GPtrArray  *paths,
            const char *path)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (paths, g_strdup (path));
      return;
    }
  dir = g_dir_open (path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (paths, g_strdup (g_ptr_array_index (names, i)));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  setlocale (LC_ALL, "");
  if (argc < 2)
    {
      fprintf (stderr, "Usage: %s FOLDER|FILE…\n", argv[0]);
      return 2;
    }
  LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    add_inputs (paths, argv[i]);
  if (paths->len == 0)
    {
      fprintf (stderr, "%s: no input files\n", argv[0]);
      return 1;
    }

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      g_autofree guint8 *data = NULL;
      gsize length;

      printf ("%s\n", path);
      fflush (stdout);
      if (!g_file_get_contents (path, &contents, &length, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      /* A copy of the exact size, not NUL-terminated, as libFuzzer gives
       * it: a sanitizer sees a read past the end. */
      data = g_memdup2 (contents, length);
      LLVMFuzzerTestOneInput (data, length);
    }
  printf ("%u inputs, no crash\n", paths->len);
  return 0;
}
