/* mh-app-test-util.c: what the GUI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "mh-app-test-util.h"
#include "mh-application.h"
#include "mh-file-row.h"
#include "mh-job.h"
#include "mh-tool-form.h"
#include "mh-test-util.h"

void
mh_app_test_isolate (const char *dir)
{
  g_autofree char *keyring = g_build_filename (dir, "keyring.secrets", NULL);

  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("MAGIC_HOUR_API_KEY", "", TRUE);
  g_setenv ("MAGIC_HOUR_API_BASE_URL", "", TRUE);
  g_setenv ("XDG_DATA_HOME", dir, TRUE);
}

void
mh_app_test_register (MhApplication *app)
{
  g_autoptr(GError) error = NULL;

  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("Could not register the application: %s", error->message);
}

MhWindow *
mh_app_test_new_window (MhApplication *app,
                        int            width,
                        int            height)
{
  MhWindow *window = mh_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  mh_app_test_wait_for_frames (GTK_WIDGET (window));

  return window;
}

/* The window's drawing is read right after a frame painted it: a widget
 * paintable shows the window's last render node, which any queued draw
 * drops (a playing video, a spinner, a pulsing bar queue one per frame), so
 * read later it may be gone. */
typedef struct
{
  GtkWidget     *window;
  GskRenderNode *node;
} ShotWait;

static void
shot_after_paint_cb (GdkFrameClock *clock,
                     ShotWait      *wait)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  GtkSnapshot *snapshot;

  if (wait->node != NULL)
    return;

  paintable = gtk_widget_paintable_new (wait->window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot,
                          gtk_widget_get_width (wait->window), gtk_widget_get_height (wait->window));
  wait->node = gtk_snapshot_free_to_node (snapshot);
  if (wait->node == NULL)
    gtk_widget_queue_draw (wait->window);
}

static gboolean
shot_taken (gpointer data)
{
  return ((ShotWait *) data)->node != NULL;
}

void
mh_app_test_save_png (GtkWidget  *widget,
                      const char *path)
{
  g_autoptr(GdkTexture) texture = NULL;
  ShotWait wait = { widget, NULL };
  GdkFrameClock *clock;
  gulong handler;

  mh_test_wait_for ((MhTestCondition) gtk_widget_get_mapped, widget, MH_TEST_TIMEOUT, "the widget to map");
  clock = gtk_widget_get_frame_clock (widget);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (shot_after_paint_cb), &wait);
  gtk_widget_queue_draw (widget);
  mh_test_wait_for (shot_taken, &wait, MH_TEST_TIMEOUT, "a frame to read");
  g_signal_handler_disconnect (clock, handler);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), wait.node,
                                         &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                              gtk_widget_get_height (widget)));
  gsk_render_node_unref (wait.node);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

void
mh_app_test_save_screenshot (GtkWidget  *window,
                             const char *name)
{
  const char *dir = g_getenv ("MH_SCREENSHOT_DIR");
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, name, NULL);
  mh_app_test_save_png (window, path);
  g_test_message ("Screenshot: %s (%d×%d)", path, gtk_widget_get_width (window), gtk_widget_get_height (window));
}

GtkWidget *
mh_app_test_find_widget (GtkWidget      *root,
                         GType           type,
                         MhAppTestMatch  match,
                         gconstpointer   data)
{
  if (!gtk_widget_get_mapped (root))
    return NULL;

  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (match == NULL || match (root, data)))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = mh_app_test_find_widget (child, type, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
mh_app_test_find_named (GtkWidget  *widget,
                        const char *name)
{
  GtkWidget *popover;

  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = mh_app_test_find_named (child, name);

      if (found != NULL)
        return found;
    }

  /* A menu button's popover is its child in the widget tree only once built. */
  if (GTK_IS_MENU_BUTTON (widget) &&
      (popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (widget)))) != NULL &&
      gtk_widget_get_parent (popover) != widget)
    return mh_app_test_find_named (popover, name);

  return NULL;
}

static gboolean
label_contains (GtkWidget     *widget,
                gconstpointer  text)
{
  return strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

GtkWidget *
mh_app_test_find_label (GtkWidget  *root,
                        const char *text)
{
  return mh_app_test_find_widget (root, GTK_TYPE_LABEL, label_contains, text);
}

static char *
strip_underline (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (*p != '_')
      g_string_append_c (s, *p);

  return g_string_free (s, FALSE);
}

static gboolean
button_has_label (GtkWidget     *widget,
                  gconstpointer  text)
{
  g_autofree char *label = strip_underline (gtk_button_get_label (GTK_BUTTON (widget)));

  return g_strcmp0 (label, text) == 0;
}

GtkWidget *
mh_app_test_find_button (GtkWidget  *root,
                         const char *label)
{
  return mh_app_test_find_widget (root, GTK_TYPE_BUTTON, button_has_label, label);
}

void
mh_app_test_click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
row_has_title (GtkWidget     *widget,
               gconstpointer  title)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

GtkWidget *
mh_app_test_find_row (GtkWidget  *root,
                      const char *title)
{
  return mh_app_test_find_widget (root, ADW_TYPE_ACTION_ROW, row_has_title, title);
}

gboolean
mh_app_test_image_has_icon (GtkWidget     *widget,
                            gconstpointer  icon)
{
  return g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), icon) == 0;
}

gboolean
mh_app_test_is_toast (GtkWidget     *widget,
                      gconstpointer  data)
{
  return g_strcmp0 (gtk_widget_get_css_name (widget), "toast") == 0;
}

GtkWidget *
mh_app_test_find_toast (GtkWidget *root)
{
  return mh_app_test_find_widget (root, GTK_TYPE_WIDGET, mh_app_test_is_toast, NULL);
}

gboolean
mh_app_test_is_shown (GtkWidget *widget,
                      GtkWidget *root)
{
  for (GtkWidget *w = widget; w != NULL && w != root; w = gtk_widget_get_parent (w))
    {
      GtkWidget *parent = gtk_widget_get_parent (w);

      if (!gtk_widget_get_visible (w) || !gtk_widget_get_child_visible (w))
        return FALSE;
      if (GTK_IS_STACK (parent) && gtk_stack_get_visible_child (GTK_STACK (parent)) != w)
        return FALSE;
      if (ADW_IS_VIEW_STACK (parent) && adw_view_stack_get_visible_child (ADW_VIEW_STACK (parent)) != w)
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *w = data;
  GtkWidget *label = mh_app_test_find_label (w->root, w->text);

  return label != NULL && mh_app_test_is_shown (label, w->root);
}

void
mh_app_test_wait_for_label (GtkWidget  *root,
                            const char *text)
{
  LabelWait w = { root, text };
  g_autofree char *what = g_strdup_printf ("“%s” on screen", text);

  mh_test_wait_for (label_shown, &w, MH_TEST_TIMEOUT, what);
}

typedef struct
{
  GtkWidget *widget;
  guint      frames;
} FrameWait;

/* Each frame asks for the next: an idle window draws nothing by itself. */
static void
after_paint_cb (GdkFrameClock *clock,
                FrameWait     *wait)
{
  if (++wait->frames < 2)
    gtk_widget_queue_draw (wait->widget);
}

static gboolean
two_frames (gpointer data)
{
  return ((FrameWait *) data)->frames >= 2;
}

void
mh_app_test_wait_for_frames (GtkWidget *widget)
{
  GdkFrameClock *clock;
  FrameWait wait = { widget, 0 };
  gulong handler;

  mh_test_wait_for ((MhTestCondition) gtk_widget_get_mapped, widget, MH_TEST_TIMEOUT, "the window to map");
  clock = gtk_widget_get_frame_clock (widget);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &wait);
  gtk_widget_queue_draw (widget);
  mh_test_wait_for (two_frames, &wait, MH_TEST_TIMEOUT, "two frames");
  g_signal_handler_disconnect (clock, handler);
}

static gboolean
animating (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if (GTK_IS_STACK (widget) && gtk_stack_get_transition_running (GTK_STACK (widget)))
    return TRUE;
  if (GTK_IS_REVEALER (widget) &&
      gtk_revealer_get_reveal_child (GTK_REVEALER (widget)) != gtk_revealer_get_child_revealed (GTK_REVEALER (widget)))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (animating (child))
      return TRUE;

  return FALSE;
}

/* Frames until the crossfades and reveals are over. */
void
mh_app_test_wait_until_still (GtkWidget *widget)
{
  mh_app_test_wait_for_frames (widget);
  for (guint i = 0; i < 200 && animating (widget); i++)
    mh_app_test_wait_for_frames (widget);
}

GtkWidget *
mh_app_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WIDGET (window);
    }

  return NULL;
}

void
mh_app_test_xdotool (const char *first,
                     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  va_list args;
  int status = 0;

  g_ptr_array_add (argv, g_strdup ("xdotool"));
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("xdotool failed: %s %s", error->message, err);
}

gboolean
mh_app_test_widget_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

gboolean
mh_app_test_key_checked (gpointer app)
{
  return mh_application_get_key_checked (app);
}

gboolean
mh_app_test_row_has_value (gpointer row)
{
  return mh_file_row_get_value (row) != NULL;
}

gboolean
mh_app_test_can_generate (gpointer form)
{
  return mh_tool_form_get_can_generate (form) &&
         gtk_widget_is_sensitive (mh_tool_form_get_generate_button (form));
}

gboolean
mh_app_test_job_finished (gpointer job)
{
  return mh_job_state_is_finished (mh_job_get_state (job));
}

gboolean
mh_app_test_record_settled (gpointer record)
{
  return !mh_job_record_get_running (record) &&
         mh_job_state_is_finished (mh_job_record_get_state (record));
}

gboolean
mh_app_test_chooser_has_folder (gpointer chooser)
{
  g_autoptr(GFile) folder = gtk_file_chooser_get_current_folder (chooser);

  return folder != NULL;
}

typedef struct
{
  MhJob      *job;
  MhJobState  state;
} StateWait;

static gboolean
job_reached (gpointer data)
{
  StateWait *wait = data;
  MhJobState state = mh_job_get_state (wait->job);

  return state == wait->state || mh_job_state_is_finished (state);
}

void
mh_app_test_wait_for_job_state (MhJob      *job,
                                MhJobState  state)
{
  StateWait wait = { job, state };
  g_autofree char *what = g_strdup_printf ("the job to reach %s", mh_job_state_to_string (state));

  mh_test_wait_for (job_reached, &wait, MH_TEST_TIMEOUT, what);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_assert_true (mh_job_store_load_finish (MH_JOB_STORE (source), result, NULL));
  *(gboolean *) user_data = TRUE;
}

void
mh_app_test_load_store (MhJobStore *store)
{
  gboolean loaded = FALSE;

  mh_job_store_load_async (store, NULL, loaded_cb, &loaded);
  mh_test_wait_for_flag (&loaded, MH_TEST_TIMEOUT, "the job store to load");
}

void
mh_app_test_wait_until_in_place (GtkWidget       *root,
                                 GType            type,
                                 MhAppTestMatch   match,
                                 gconstpointer    data,
                                 graphene_rect_t *bounds)
{
  graphene_rect_t last = GRAPHENE_RECT_INIT (0, 0, 0, 0);
  graphene_rect_t here = GRAPHENE_RECT_INIT (0, 0, 0, 0);
  guint same = 0;

  for (guint i = 0; i < 300 && same < 3; i++)
    {
      GtkWidget *widget;

      mh_app_test_wait_for_frames (root);
      widget = mh_app_test_find_widget (root, type, match, data);
      g_assert_nonnull (widget);
      g_assert_true (gtk_widget_compute_bounds (widget, root, &here));
      same = graphene_rect_equal (&here, &last) ? same + 1 : 0;
      last = here;
    }
  g_assert_cmpuint (same, >=, 3);
  if (bounds != NULL)
    *bounds = here;
}
