/* mh-gst.c: GStreamer, started once for the engine's media work
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/gst.h>

#include "mh-gst.h"

gboolean
mh_gst_ensure_init (GError **error)
{
  static gsize started = 0;
  static GError *start_error = NULL;

  if (g_once_init_enter (&started))
    {
      /* No argv: GStreamer's own options are not the app's or the CLI's. */
      gst_init_check (NULL, NULL, &start_error);
      g_once_init_leave (&started, 1);
    }

  if (start_error != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, start_error->message);
      return FALSE;
    }

  return TRUE;
}
