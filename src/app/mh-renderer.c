/* mh-renderer.c: GTK's cairo renderer where GL would be drawn in software
 *
 * Without a GPU, GTK 4.8's GL renderer runs on Mesa's software rasterizer
 * (llvmpipe): every frame redraws the whole window on the CPU (tens of
 * milliseconds for this window, a whole core while a progress bar moves),
 * and a first launch compiles its shaders (about half a second before the
 * first frame, measured by bench/startup). The cairo renderer draws the
 * same window in a few milliseconds. So where no GPU can be reached, and
 * the person has not chosen a renderer (GSK_RENDERER), the app uses cairo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mh-renderer.h"

static gboolean chosen;

/* "cairo" when @dri_dir (/dev/dri) holds no render node (renderD*): no GPU
 * this process may use (a Flatpak without --device=dri sees none either),
 * so GL would be software. NULL: leave GTK's default. */
const char *
mh_renderer_for_machine (const char *dri_dir)
{
  g_autoptr(GDir) dir = g_dir_open (dri_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return NULL;
  return "cairo";
}

/* Before GTK starts: GSK_RENDERER is read when a window is realized. */
void
mh_renderer_choose (void)
{
  const char *renderer;

  if (g_getenv ("GSK_RENDERER") != NULL)
    return;
  renderer = mh_renderer_for_machine ("/dev/dri");
  if (renderer != NULL)
    chosen = g_setenv ("GSK_RENDERER", renderer, FALSE);
}

/* TRUE when GSK_RENDERER is the app's choice, not the person's: apps it
 * launches must not inherit it (mh-launch.c). */
gboolean
mh_renderer_was_chosen (void)
{
  return chosen;
}
