/* main.c: magic-hour-studio
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "mh-application.h"
#include "mh-renderer.h"
#include "mh-startup-trace.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MhApplication) app = NULL;
  const char *localedir;

  mh_startup_trace_mark ("main");
  setlocale (LC_ALL, "");
  /* An uninstalled build's translations (<build>/po), for the tests and
   * build-aux/run-app; installed, LOCALEDIR has them. */
  localedir = g_getenv ("MAGIC_HOUR_STUDIO_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE,
                  localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* No GPU: cairo, not GL drawn in software (mh-renderer.c). */
  mh_renderer_choose ();
  app = mh_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
