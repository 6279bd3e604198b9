/* mh-job-view-result.c: a job's result, and what can be done with it
 *
 * The preview of the file on disk (with what to install when it cannot
 * play), and the buttons under it: Open, Show in Folder, Save As.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mh-a11y.h"
#include "mh-job-view-private.h"
#include "mh-launch.h"

#define CODEC_HINT N_("Preview unavailable: install the H.264 decoder (gstreamer1.0-libav)")
/* Without GStreamer's GL elements GTK 4.8 finds no video sink, and without
 * the decoder no frame comes: the picture stays black and no error is raised. */
#define NO_FRAME_HINT N_("Preview unavailable: install the H.264 decoder (gstreamer1.0-libav) and GStreamer's OpenGL elements (gstreamer1.0-gl)")
/* How long a prepared video may go without its first picture. */
#define FIRST_FRAME_SECONDS 5


/* A path as people read it: UTF-8, the home folder as "~". */
static char *
display_path (const char *path)
{
  const char *home = g_get_home_dir ();
  gsize home_len = strlen (home);

  if (home_len > 1 && g_str_has_prefix (path, home) && path[home_len] == G_DIR_SEPARATOR)
    {
      g_autofree char *rest = g_filename_display_name (path + home_len);

      return g_strconcat ("~", rest, NULL);
    }

  return g_filename_display_name (path);
}

/* ------------------------------------------------------------------------ */
/* Preview                                                                  */

static void check_media_cb (MhJobView *self);

static gboolean
frame_timeout_cb (gpointer user_data)
{
  MhJobView *self = user_data;

  self->frame_timeout_id = 0;
  self->frame_missing = TRUE;
  check_media_cb (self);

  return G_SOURCE_REMOVE;
}

static void
check_media_cb (MhJobView *self)
{
  const GError *error;
  g_autofree char *text = NULL;

  if (self->media == NULL)
    return;

  error = gtk_media_stream_get_error (self->media);
  if (error != NULL)
    {
      g_autofree char *lower = g_utf8_strdown (error->message, -1);

      /* GStreamer says "missing a plug-in" or names the decoder. */
      if (strstr (lower, "plug") != NULL || strstr (lower, "decod") != NULL ||
          strstr (lower, "codec") != NULL)
        text = g_strdup (_(CODEC_HINT));
      else
        text = g_strdup_printf (_("Preview unavailable: %s"), error->message);
    }
  else if (gtk_media_stream_is_prepared (self->media))
    {
      if (!gtk_media_stream_has_video (self->media))
        {
          text = g_strdup (_(CODEC_HINT));
        }
      else if (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (self->media)) > 0)
        {
          /* A picture came: the preview works. */
          g_clear_handle_id (&self->frame_timeout_id, g_source_remove);
          self->frame_missing = FALSE;
        }
      else if (self->frame_missing)
        {
          text = g_strdup (_(NO_FRAME_HINT));
        }
      else if (self->frame_timeout_id == 0)
        {
          /* Paused, it still shows its first picture: wait for it. */
          self->frame_timeout_id = g_timeout_add_seconds (FIRST_FRAME_SECONDS, frame_timeout_cb, self);
        }
    }

  gtk_label_set_label (self->preview_error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->preview_error_label), text != NULL);
}

void
mh_job_view_clear_preview (MhJobView *self)
{
  if (self->media != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->media, self);
      gtk_media_stream_pause (self->media);
      g_clear_object (&self->media);
    }
  g_clear_handle_id (&self->frame_timeout_id, g_source_remove);
  self->frame_missing = FALSE;

  g_clear_pointer (&self->preview_path, g_free);
  self->video = NULL;

  /* Disposed already: the template's widgets are gone. */
  if (self->preview_frame == NULL)
    return;

  gtk_frame_set_child (self->preview_frame, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_frame), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_error_label), FALSE);
}

static void
video_clicked_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  MhJobView       *self)
{
  GtkWidget *video = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *picked = gtk_widget_pick (video, x, y, GTK_PICK_DEFAULT);
  GtkMediaStream *media = gtk_video_get_media_stream (GTK_VIDEO (video));

  if (media == NULL || n_press != 1 ||
      (picked != NULL && gtk_widget_get_ancestor (picked, GTK_TYPE_MEDIA_CONTROLS) != NULL))
    return;

  gtk_media_stream_set_playing (media, !gtk_media_stream_get_playing (media));
}

static void
build_preview (MhJobView  *self,
               const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkGesture *click;
  GtkWidget *child;

  if (mh_job_get_tool (self->job)->kind == MH_PROJECT_IMAGE)
    {
      child = gtk_picture_new_for_file (file);
      gtk_picture_set_content_fit (GTK_PICTURE (child), GTK_CONTENT_FIT_CONTAIN);
      gtk_picture_set_can_shrink (GTK_PICTURE (child), TRUE);
      gtk_picture_set_alternative_text (GTK_PICTURE (child), _("The generated picture"));
      gtk_widget_set_size_request (child, -1, 320);
    }
  else
    {
      child = gtk_video_new_for_file (file);
      gtk_video_set_autoplay (GTK_VIDEO (child), FALSE);
      gtk_video_set_loop (GTK_VIDEO (child), TRUE);
      mh_a11y_name_video_controls (GTK_VIDEO (child));
      gtk_widget_set_size_request (child, -1, 320);

      /* GTK 4.8 draws a big ▶ over a paused video but does nothing when
       * it is clicked: a click on the picture plays or pauses, as in every
       * player (the controls under it keep their own clicks). */
      click = gtk_gesture_click_new ();
      gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (click), "mh-play-click");
      gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
      g_signal_connect_object (click, "released", G_CALLBACK (video_clicked_cb), self, 0);
      gtk_widget_add_controller (child, GTK_EVENT_CONTROLLER (click));
      self->video = child;

      self->media = gtk_video_get_media_stream (GTK_VIDEO (child));
      if (self->media != NULL)
        {
          g_object_ref (self->media);
          g_signal_connect_swapped (self->media, "notify::error",
                                    G_CALLBACK (check_media_cb), self);
          g_signal_connect_swapped (self->media, "notify::prepared",
                                    G_CALLBACK (check_media_cb), self);
          g_signal_connect_swapped (self->media, "invalidate-size",
                                    G_CALLBACK (check_media_cb), self);
        }
    }

  gtk_frame_set_child (self->preview_frame, child);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_frame), TRUE);
  self->preview_path = g_strdup (path);
  check_media_cb (self);
}

void
mh_job_view_update_result (MhJobView *self)
{
  const char *path = mh_job_view_get_output_path (self);
  const char *message;

  if (self->job == NULL || mh_job_get_state (self->job) != MH_JOB_STATE_DONE)
    {
      mh_job_view_clear_preview (self);
      return;
    }

  if (g_strcmp0 (path, self->preview_path) != 0)
    {
      mh_job_view_clear_preview (self);
      if (path != NULL)
        build_preview (self, path);
    }

  gtk_widget_set_visible (self->file_buttons, path != NULL);

  if (path != NULL)
    {
      g_autofree char *shown = display_path (path);
      g_autofree char *text = g_strdup_printf (_("Saved to %s"), shown);

      gtk_label_set_label (self->saved_label, text);
    }
  else
    {
      message = mh_job_get_message (self->job);
      gtk_label_set_label (self->saved_label, message != NULL ? message : "");
    }
}

/* ------------------------------------------------------------------------ */
/* Buttons                                                                  */

/* ---- Open, Open With… --------------------------------------------------- */

/* The file Open was pressed for, even if the job changes meanwhile. */
typedef struct
{
  MhJobView *self;
  char      *path;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_object_unref (data->self);
  g_free (data->path);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenData, open_data_free)

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OpenData) data = user_data;
  MhJobView *self = data->self;
  const char *path = data->path;
  g_autoptr(GError) error = NULL;

  if (mh_launch_finish (result, &error) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  mh_job_view_emit_toast (self, mh_launch_failure_toast (GTK_WIDGET (self), path, error));
}

static void
open_clicked_cb (MhJobView *self)
{
  const char *path = mh_job_view_get_output_path (self);

  OpenData *data;

  if (path == NULL)
    return;

  data = g_new0 (OpenData, 1);
  data->self = g_object_ref (self);
  data->path = g_strdup (path);
  mh_launch_open_async (GTK_WIDGET (self), path, self->cancellable, opened_cb, data);
}

/* ---- Show in Folder ------------------------------------------------------ */

static void
shown_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(MhJobView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mh_launch_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("Could not show the folder: %s"), error->message);

      mh_job_view_emit_toast_text (self, text);
    }
}

static void
show_in_folder_clicked_cb (MhJobView *self)
{
  const char *path = mh_job_view_get_output_path (self);

  if (path != NULL)
    mh_launch_show_in_folder_async (GTK_WIDGET (self), path, self->cancellable,
                                    shown_cb, g_object_ref (self));
}

/* ---- Save As… ------------------------------------------------------------ */

static void
copy_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(MhJobView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_copy_finish (G_FILE (source), result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      text = g_strdup_printf (_("Could not save a copy: %s"), error->message);
      gtk_label_set_label (self->save_error_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->save_error_label), TRUE);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->save_error_label), FALSE);
  mh_job_view_emit_toast_text (self, _("Saved a copy"));
}

static void
save_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  MhJobView       *self)
{
  g_autoptr(GFile) destination = NULL;
  g_autoptr(GFile) source = NULL;

  /* The file shown when Save As… was pressed, even if the job changed. */
  source = g_object_steal_data (G_OBJECT (chooser), "mh-source");
  if (response == GTK_RESPONSE_ACCEPT)
    destination = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->save_chooser);

  if (destination == NULL || source == NULL || g_file_equal (source, destination))
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->save_error_label), FALSE);
  /* The chooser has already asked whether to replace an existing file. */
  g_file_copy_async (source, destination, G_FILE_COPY_OVERWRITE, G_PRIORITY_DEFAULT,
                     self->cancellable, NULL, NULL, copy_cb, g_object_ref (self));
}

/* Save As… starts where the result is, under its name: the folder the
 * person chose for results (or the default one), never the folder the app
 * happened to be started from. */
void
mh_job_view_configure_save_chooser (GtkFileChooser *chooser,
                                    const char     *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *name = g_filename_display_name (basename);

  if (folder != NULL)
    gtk_file_chooser_set_current_folder (chooser, folder, NULL);
  gtk_file_chooser_set_current_name (chooser, name);
}

static void
save_as_clicked_cb (MhJobView *self)
{
  const char *path = mh_job_view_get_output_path (self);
  GtkFileChooserNative *chooser;

  if (path == NULL || self->save_chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Save As"), mh_job_view_get_parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  mh_job_view_configure_save_chooser (GTK_FILE_CHOOSER (chooser), path);

  g_object_set_data_full (G_OBJECT (chooser), "mh-source", g_file_new_for_path (path),
                          g_object_unref);
  g_signal_connect_object (chooser, "response", G_CALLBACK (save_response_cb), self, 0);
  self->save_chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->save_chooser);
}

/* ------------------------------------------------------------------------ */
/* Set up and torn down with the view                                       */

void
mh_job_view_dispose_result (MhJobView *self)
{
  if (self->save_chooser != NULL)
    gtk_native_dialog_destroy (self->save_chooser);
  g_clear_object (&self->save_chooser);
  mh_job_view_clear_preview (self);
}

void
mh_job_view_class_init_result (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, MhJobView, result_title);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, preview_frame);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, preview_error_label);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, saved_label);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, result_credits_label);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, file_buttons);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, open_button);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, show_button);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, save_button);
  gtk_widget_class_bind_template_child (widget_class, MhJobView, save_error_label);
  gtk_widget_class_bind_template_callback (widget_class, open_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_in_folder_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_as_clicked_cb);
}

static void
ellipsize_button (GtkButton *button)
{
  GtkWidget *label = gtk_button_get_child (button);

  if (GTK_IS_LABEL (label))
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
}

void
mh_job_view_init_result (MhJobView *self)
{
  /* Below 360 px the labels shorten rather than the row being clipped
   * (their tooltips keep the whole text). */
  ellipsize_button (self->open_button);
  ellipsize_button (self->show_button);
  ellipsize_button (self->save_button);
}
