/* mh-window-private.h: what the window's parts share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-window.h"

G_BEGIN_DECLS

AdwViewStack *mh_window_get_view_stack    (MhWindow *self);

/* mh-window-actions.c: the window's keyboard. */
void          mh_window_actions_init      (MhWindow *self);
void          mh_window_actions_setup     (MhWindow *self);
/* After the tab shown changed or was asked for again: the focus goes to
 * its first empty input (History: its search). */
void          mh_window_actions_focus_page (MhWindow *self);

G_END_DECLS
