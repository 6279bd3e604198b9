/* test-renderer.c: the app draws with cairo where GL would be software
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "mh-renderer.h"

static void
touch (const char *dir,
       const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
}

/* What /dev/dri holds decides: a render node is a GPU the app may use. */
static void
test_for_machine (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mh-renderer-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autofree char *card = g_build_filename (dir, "card0", NULL);
  g_autofree char *render = g_build_filename (dir, "renderD128", NULL);
  g_autofree char *by_path = g_build_filename (dir, "by-path", NULL);

  g_assert_nonnull (dir);
  /* No /dev/dri at all (a VM, a container, a Flatpak without --device=dri). */
  g_assert_cmpstr (mh_renderer_for_machine (missing), ==, "cairo");
  /* Empty, or a display-only device (simpledrm): still no GPU. */
  g_assert_cmpstr (mh_renderer_for_machine (dir), ==, "cairo");
  touch (dir, "card0");
  g_assert_true (g_mkdir (by_path, 0700) == 0);
  g_assert_cmpstr (mh_renderer_for_machine (dir), ==, "cairo");
  /* A render node: GTK's default stays. */
  touch (dir, "renderD128");
  g_assert_null (mh_renderer_for_machine (dir));

  g_assert_true (g_remove (render) == 0);
  g_assert_true (g_remove (card) == 0);
  g_assert_true (g_rmdir (by_path) == 0);
  g_assert_true (g_rmdir (dir) == 0);
}

/* A renderer the person chose is never replaced, and is not the app's
 * choice (what the app launches keeps it). */
static void
test_person_chose (void)
{
  g_setenv ("GSK_RENDERER", "gl", TRUE);
  mh_renderer_choose ();
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "gl");
  g_assert_false (mh_renderer_was_chosen ());
}

/* Unset: the app's choice follows this machine's /dev/dri. */
static void
test_app_chooses (void)
{
  const char *expected = mh_renderer_for_machine ("/dev/dri");

  g_unsetenv ("GSK_RENDERER");
  mh_renderer_choose ();
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, expected);
  g_assert_true (mh_renderer_was_chosen () == (expected != NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/renderer/for-machine", test_for_machine);
  g_test_add_func ("/renderer/person-chose", test_person_chose);
  g_test_add_func ("/renderer/app-chooses", test_app_chooses);
  return g_test_run ();
}
