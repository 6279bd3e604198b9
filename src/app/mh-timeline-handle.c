/* mh-timeline-handle.c: one end of the part to use, as a slider
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mh-timeline-handle.h"

struct _MhTimelineHandle
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (MhTimelineHandle, mh_timeline_handle, GTK_TYPE_WIDGET)

enum {
  MOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Three short lines in the middle: something to take hold of. */
static void
mh_timeline_handle_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA grip = { 1, 1, 1, 0.85 };
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_lookup_color (context, "accent_fg_color", &grip);
  G_GNUC_END_IGNORE_DEPRECATIONS

  for (int i = -1; i <= 1; i++)
    gtk_snapshot_append_color (snapshot, &grip,
                               &GRAPHENE_RECT_INIT (width / 2.0 - 2.5, height / 2.0 + i * 4 - 0.5, 5, 1));
}

static void
add_move_binding (GtkWidgetClass *widget_class,
                  guint           keyval,
                  GtkScrollType   scroll)
{
  gtk_widget_class_add_binding_signal (widget_class, keyval, 0, "move", "(i)", scroll);
}

static void
mh_timeline_handle_class_init (MhTimelineHandleClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = mh_timeline_handle_snapshot;

  /* "move" (GtkScrollType): a key asked for the handle to move. */
  signals[MOVE] =
    g_signal_new ("move", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, GTK_TYPE_SCROLL_TYPE);

  add_move_binding (widget_class, GDK_KEY_Left, GTK_SCROLL_STEP_BACKWARD);
  add_move_binding (widget_class, GDK_KEY_KP_Left, GTK_SCROLL_STEP_BACKWARD);
  add_move_binding (widget_class, GDK_KEY_Down, GTK_SCROLL_STEP_BACKWARD);
  add_move_binding (widget_class, GDK_KEY_KP_Down, GTK_SCROLL_STEP_BACKWARD);
  add_move_binding (widget_class, GDK_KEY_Right, GTK_SCROLL_STEP_FORWARD);
  add_move_binding (widget_class, GDK_KEY_KP_Right, GTK_SCROLL_STEP_FORWARD);
  add_move_binding (widget_class, GDK_KEY_Up, GTK_SCROLL_STEP_FORWARD);
  add_move_binding (widget_class, GDK_KEY_KP_Up, GTK_SCROLL_STEP_FORWARD);
  add_move_binding (widget_class, GDK_KEY_Page_Down, GTK_SCROLL_PAGE_BACKWARD);
  add_move_binding (widget_class, GDK_KEY_KP_Page_Down, GTK_SCROLL_PAGE_BACKWARD);
  add_move_binding (widget_class, GDK_KEY_Page_Up, GTK_SCROLL_PAGE_FORWARD);
  add_move_binding (widget_class, GDK_KEY_KP_Page_Up, GTK_SCROLL_PAGE_FORWARD);
  add_move_binding (widget_class, GDK_KEY_Home, GTK_SCROLL_START);
  add_move_binding (widget_class, GDK_KEY_KP_Home, GTK_SCROLL_START);
  add_move_binding (widget_class, GDK_KEY_End, GTK_SCROLL_END);
  add_move_binding (widget_class, GDK_KEY_KP_End, GTK_SCROLL_END);

  gtk_widget_class_set_css_name (widget_class, "handle");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
mh_timeline_handle_init (MhTimelineHandle *self)
{
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "ew-resize");
}

GtkWidget *
mh_timeline_handle_new (void)
{
  return g_object_new (MH_TYPE_TIMELINE_HANDLE, NULL);
}
