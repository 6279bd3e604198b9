/* mh-history-row.c: one past job in the history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <string.h>

#include "mh-history-row.h"
#include "mh-params.h"
#include "mh-spinner.h"

/* Twice the 64 px it shows at, for scaled displays. */
#define THUMBNAIL_SIZE 128

typedef enum
{
  FILE_UNKNOWN,   /* not looked at yet: taken as there */
  FILE_PRESENT,
  FILE_MISSING,
} FileState;

struct _MhHistoryRow
{
  GtkListBoxRow  parent_instance;

  MhJobRecord   *record;
  char          *api_base_url;
  FileState      file_state;
  char          *checked_path;   /* the file the state and thumbnail are of */
  GCancellable  *cancellable;
  const char    *primary_action;
  const char    *default_action;

  GtkStack      *thumbnail_stack;
  GtkImage      *tool_image;
  GtkImage      *thumbnail_image;
  GtkLabel      *name_label;
  GtkLabel      *details_label;
  GtkStack      *status_icon_stack;
  GtkImage      *status_image;
  GtkSpinner    *spinner;
  GtkLabel      *status_label;
  GtkButton     *primary_button;
  GtkMenuButton *menu_button;
};

G_DEFINE_FINAL_TYPE (MhHistoryRow, mh_history_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  SIGNAL_ACTION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const action_names[] = {
  "open", "show-in-folder", "download-again", "resume", "retry",
  "run-again", "remove", "delete", "show-job",
};

static void update (MhHistoryRow *self);

/* ------------------------------------------------------------------------ */
/* Texts                                                                    */

/* "Today 14:02", "Yesterday 09:15", "3 March, 17:40", "3 March 2025". */
static char *
format_date (GDateTime *created)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (created);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  int year, month, day, now_year, now_month, now_day, y_year, y_month, y_day;

  g_date_time_get_ymd (local, &year, &month, &day);
  g_date_time_get_ymd (now, &now_year, &now_month, &now_day);
  g_date_time_get_ymd (yesterday, &y_year, &y_month, &y_day);

  if (year == now_year && month == now_month && day == now_day)
    /* Translators: when a job ran today, a g_date_time_format() format: "Today 14:02" */
    return g_date_time_format (local, _("Today %H:%M"));
  if (year == y_year && month == y_month && day == y_day)
    /* Translators: when a job ran yesterday, a g_date_time_format() format */
    return g_date_time_format (local, _("Yesterday %H:%M"));
  if (year == now_year)
    /* Translators: when a job ran this year, a g_date_time_format() format: "3 March, 17:40" */
    return g_date_time_format (local, _("%-d %B, %H:%M"));
  /* Translators: when a job ran in another year, a g_date_time_format() format */
  return g_date_time_format (local, _("%-d %B %Y"));
}

static const char *
output_path (MhHistoryRow *self)
{
  const char *const *outputs = mh_job_record_get_output_files (self->record);

  return outputs != NULL ? outputs[0] : NULL;
}

static gboolean
same_api (MhHistoryRow *self)
{
  return self->api_base_url != NULL &&
         g_strcmp0 (mh_job_record_get_api_base_url (self->record), self->api_base_url) == 0;
}

/* ------------------------------------------------------------------------ */
/* The file and its thumbnail                                               */

static void
thumbnail_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;
  g_autoptr(GdkPixbuf) square = NULL;
  GError *error = NULL;
  int width, height, side;
  double scale;

  stream = g_file_read (file, cancellable, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Big enough that the middle square still has THUMBNAIL_SIZE pixels. */
  pixbuf = gdk_pixbuf_new_from_stream_at_scale (G_INPUT_STREAM (stream),
                                                4 * THUMBNAIL_SIZE, 4 * THUMBNAIL_SIZE, TRUE,
                                                cancellable, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The middle square, filling the tile as a photo would. */
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  width = gdk_pixbuf_get_width (oriented);
  height = gdk_pixbuf_get_height (oriented);
  side = MIN (width, height);
  scale = MIN (1.0, (double) THUMBNAIL_SIZE / side);
  scaled = gdk_pixbuf_scale_simple (oriented, MAX (1, (int) (width * scale)), MAX (1, (int) (height * scale)),
                                    GDK_INTERP_BILINEAR);
  width = gdk_pixbuf_get_width (scaled);
  height = gdk_pixbuf_get_height (scaled);
  side = MIN (width, height);
  square = gdk_pixbuf_new_subpixbuf (scaled, (width - side) / 2, (height - side) / 2, side, side);
  g_task_return_pointer (task, gdk_texture_new_for_pixbuf (square), g_object_unref);
}

static void
thumbnail_ready_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  MhHistoryRow *self = MH_HISTORY_ROW (source);
  g_autoptr(GdkTexture) texture = NULL;

  /* A picture that cannot be read keeps the tool's icon. */
  texture = g_task_propagate_pointer (G_TASK (result), NULL);
  if (texture == NULL)
    return;

  gtk_image_set_from_paintable (self->thumbnail_image, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->thumbnail_stack, "picture");
}

static void
load_thumbnail (MhHistoryRow *self,
                GFile        *file)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, thumbnail_ready_cb, NULL);

  g_task_set_source_tag (task, load_thumbnail);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, thumbnail_thread);
}

static void
file_info_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MhHistoryRow) self = user_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  const char *thumbnail;

  info = g_file_query_info_finish (G_FILE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->file_state = info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR
                     ? FILE_PRESENT : FILE_MISSING;
  update (self);
  if (self->file_state != FILE_PRESENT)
    {
      gtk_image_clear (self->thumbnail_image);
      gtk_stack_set_visible_child_name (self->thumbnail_stack, "icon");
      return;
    }
  if (gtk_image_get_storage_type (self->thumbnail_image) != GTK_IMAGE_EMPTY)
    return;

  /* A picture is its own thumbnail; a video has one when a file manager
   * made it (the freedesktop thumbnail cache). */
  if (mh_job_record_get_tool (self->record)->kind == MH_PROJECT_IMAGE)
    {
      load_thumbnail (self, G_FILE (source));
      return;
    }

  thumbnail = g_file_info_get_attribute_byte_string (info, G_FILE_ATTRIBUTE_THUMBNAIL_PATH);
  if (thumbnail != NULL &&
      (!g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_THUMBNAIL_IS_VALID) ||
       g_file_info_get_attribute_boolean (info, G_FILE_ATTRIBUTE_THUMBNAIL_IS_VALID)))
    {
      g_autoptr(GFile) thumbnail_file = g_file_new_for_path (thumbnail);

      load_thumbnail (self, thumbnail_file);
    }
}

/* Looks at the result on disk once the row shows (a long history does not
 * read every file at once), each time it shows again (the file may have
 * been moved meanwhile), and when the record lists another file. */
static void
check_file (MhHistoryRow *self,
            gboolean      again)
{
  const char *path = output_path (self);
  gboolean changed = g_strcmp0 (path, self->checked_path) != 0;
  g_autoptr(GFile) file = NULL;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || (!changed && !again))
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (changed)
    {
      g_free (self->checked_path);
      self->checked_path = g_strdup (path);
      self->file_state = FILE_UNKNOWN;
      gtk_image_clear (self->thumbnail_image);
      gtk_stack_set_visible_child_name (self->thumbnail_stack, "icon");
    }

  if (path == NULL)
    return;

  file = g_file_new_for_path (path);
  g_file_query_info_async (file,
                           G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                           G_FILE_ATTRIBUTE_THUMBNAIL_PATH ","
                           G_FILE_ATTRIBUTE_THUMBNAIL_IS_VALID,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_LOW, self->cancellable,
                           file_info_cb, g_object_ref (self));
}

/* ------------------------------------------------------------------------ */
/* State                                                                    */

static void
set_action_enabled (MhHistoryRow *self,
                    const char   *name,
                    gboolean      enabled)
{
  g_autofree char *action = g_strconcat ("row.", name, NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), action, enabled);
  g_object_set_data (G_OBJECT (self), action, GINT_TO_POINTER (enabled));
}

static void
set_status_style (MhHistoryRow *self,
                  const char   *style)
{
  const char *styles[] = { "success", "warning", "error", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    {
      if (g_strcmp0 (style, styles[i]) == 0)
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->status_label), styles[i]);
          gtk_widget_add_css_class (GTK_WIDGET (self->status_image), styles[i]);
        }
      else
        {
          gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), styles[i]);
          gtk_widget_remove_css_class (GTK_WIDGET (self->status_image), styles[i]);
        }
    }
}

static void
set_name (GtkWidget  *widget,
          const char *name)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* A screen reader reads the row as its job and state, and each button
 * with the job it acts on: among twenty rows, "Open" alone says little. */
static void
name_for_screen_reader (MhHistoryRow *self,
                        const char   *status,
                        const char   *primary_label)
{
  const char *title = mh_job_record_get_title (self->record);
  g_autofree char *row_name = NULL;
  g_autofree char *menu_name = NULL;

  /* Translators: a History row read by a screen reader: the job's name
   * and its state, e.g. "portrait.png, Done". */
  row_name = g_strdup_printf (_("%s, %s"), title, status);
  set_name (GTK_WIDGET (self), row_name);

  /* Translators: read by a screen reader, %s is a job's name. */
  menu_name = g_strdup_printf (_("More Actions for %s"), title);
  /* Its inner toggle, which takes the focus, is labelled by it. */
  set_name (GTK_WIDGET (self->menu_button), menu_name);

  if (primary_label != NULL)
    {
      g_autofree char *plain = g_strdup (primary_label);
      g_autofree char *button_name = NULL;
      char *from = plain, *to = plain;

      /* The mnemonic's underscore is not read. */
      for (; *from != '\0'; from++)
        if (*from != '_')
          *to++ = *from;
      *to = '\0';
      /* Translators: a button read by a screen reader: what it does and
       * the job's name, e.g. "Open portrait.png". */
      button_name = g_strdup_printf (_("%s %s"), plain, title);
      set_name (GTK_WIDGET (self->primary_button), button_name);
      /* GTK 4.8 would add the button's own label after it ("… Open"). */
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->primary_button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
    }
}

static void
update (MhHistoryRow *self)
{
  MhJobRecord *record = self->record;
  const MhTool *tool = mh_job_record_get_tool (record);
  MhJobState state = mh_job_record_get_state (record);
  gboolean running = mh_job_record_get_running (record);
  gboolean deleted = mh_job_record_get_deleted (record);
  gboolean has_project = mh_job_record_get_project_id (record) != NULL;
  gboolean has_file = output_path (self) != NULL && self->file_state != FILE_MISSING;
  gboolean missing = output_path (self) != NULL && self->file_state == FILE_MISSING;
  gboolean same = same_api (self);
  gboolean can_open, can_download, can_resume, can_retry;
  gint64 credits = mh_job_record_get_credits (record);
  g_autofree char *date = format_date (mh_job_record_get_created (record));
  g_autofree char *status = NULL;
  g_autoptr(GString) details = g_string_new (_(tool->name));
  const char *icon = NULL;
  const char *style = NULL;
  const char *primary = NULL;
  const char *primary_label = NULL;
  const char *tooltip = NULL;

  gtk_label_set_label (self->name_label, mh_job_record_get_title (record));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), mh_job_record_get_title (record));

  /* Translators: between the parts of a job's details: "AI Headshot · Today 14:02 · 50 credits" */
  g_string_append_printf (details, _(" · %s"), date);
  if (credits >= 0)
    {
      g_autofree char *cost = g_strdup_printf (ngettext ("%lu credit", "%lu credits", (gulong) credits),
                                               (gulong) credits);

      g_string_append_printf (details, _(" · %s"), cost);
    }
  gtk_label_set_label (self->details_label, details->str);

  /* What the job allows now. */
  can_open = !running && state == MH_JOB_STATE_DONE && has_file;
  can_download = !running && same && has_project && !deleted && state == MH_JOB_STATE_DONE;
  can_resume = !running && same && mh_job_record_needs_resume (record);
  can_retry = !running && same && mh_job_record_needs_retry (record);

  set_action_enabled (self, "open", can_open);
  set_action_enabled (self, "show-in-folder", can_open);
  set_action_enabled (self, "download-again", can_download);
  set_action_enabled (self, "resume", can_resume);
  set_action_enabled (self, "retry", can_retry);
  set_action_enabled (self, "run-again", !running);
  set_action_enabled (self, "remove", !running);
  set_action_enabled (self, "delete", !running && same && has_project && !deleted);
  set_action_enabled (self, "show-job", running);

  /* The status, as a sentence with an icon that says how it went. */
  status = mh_job_record_describe_status (record);
  if (running)
    style = NULL;
  else if (state == MH_JOB_STATE_DONE && missing && !deleted)
    {
      g_free (status);
      status = g_strdup (_("Done, but the file is no longer in its folder"));
      icon = "dialog-warning-symbolic";
      style = "warning";
    }
  else if (state == MH_JOB_STATE_DONE && missing)
    {
      g_free (status);
      status = g_strdup (_("Deleted at Magic Hour, and the file is no longer in its folder"));
      icon = "user-trash-symbolic";
      style = "dim-label";
    }
  else if (deleted)
    {
      icon = "user-trash-symbolic";
      style = "dim-label";
    }
  else if (state == MH_JOB_STATE_DONE && output_path (self) != NULL)
    {
      icon = "emblem-ok-symbolic";
      style = "success";
    }
  else if (state == MH_JOB_STATE_DONE)
    {
      icon = "folder-download-symbolic";
      style = "dim-label";
    }
  else if (mh_job_record_needs_resume (record) || mh_job_record_needs_retry (record))
    {
      icon = "dialog-warning-symbolic";
      style = "warning";
    }
  else if (state == MH_JOB_STATE_FAILED)
    {
      icon = "dialog-error-symbolic";
      style = "error";
    }
  else
    {
      icon = "process-stop-symbolic";
      style = "dim-label";
    }

  if (!running && !same && (mh_job_record_needs_resume (record) || mh_job_record_needs_retry (record)))
    {
      g_autofree char *more = g_strdup_printf (_("%s. It was made with another API address."), status);

      g_free (status);
      status = g_steal_pointer (&more);
    }

  gtk_label_set_label (self->status_label, status);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), status);
  set_status_style (self, style);
  mh_spinner_set_spinning (self->spinner, running);
  gtk_stack_set_visible_child_name (self->status_icon_stack, running ? "spinner" : "icon");
  if (icon != NULL)
    gtk_image_set_from_icon_name (self->status_image, icon);

  /* The one thing most wanted next, as a button. */
  if (running)
    ;
  else if (can_open)
    {
      primary = "open";
      primary_label = _("_Open");
      tooltip = _("Open the result");
    }
  else if (can_resume)
    {
      primary = "resume";
      primary_label = _("_Resume");
      tooltip = _("Follow the job at Magic Hour and download its result");
    }
  else if (can_retry)
    {
      primary = "retry";
      primary_label = _("Re_try");
      tooltip = _("Run the job again with the same inputs and options");
    }
  else if (can_download)
    {
      primary = "download-again";
      primary_label = _("_Download");
      tooltip = _("Download the result again from Magic Hour");
    }
  else
    {
      primary = "run-again";
      primary_label = _("Run _Again");
      tooltip = _("Fill the tool with this job’s inputs and options");
    }

  self->primary_action = primary;
  gtk_widget_set_visible (GTK_WIDGET (self->primary_button), primary != NULL);
  if (primary != NULL)
    {
      gtk_button_set_label (self->primary_button, primary_label);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->primary_button), tooltip);
    }

  name_for_screen_reader (self, status, primary_label);

  /* Activating the row shows the running job, or opens the result. */
  self->default_action = running ? "show-job" : can_open ? "open" : NULL;
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), self->default_action != NULL);

  check_file (self, FALSE);
}

static void
record_notify_cb (MhHistoryRow *self)
{
  update (self);
}

/* ------------------------------------------------------------------------ */
/* Actions                                                                  */

static void
row_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_ACTION], 0, action_name + strlen ("row."));
}

static void
primary_clicked_cb (MhHistoryRow *self)
{
  if (self->primary_action != NULL)
    g_signal_emit (self, signals[SIGNAL_ACTION], 0, self->primary_action);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
mh_history_row_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (mh_history_row_parent_class)->map (widget);
  check_file (MH_HISTORY_ROW (widget), TRUE);
}

static void
mh_history_row_dispose (GObject *object)
{
  MhHistoryRow *self = MH_HISTORY_ROW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->record != NULL)
    g_signal_handlers_disconnect_by_data (self->record, self);
  /* The row would unparent its child again after the template did. */
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), MH_TYPE_HISTORY_ROW);

  G_OBJECT_CLASS (mh_history_row_parent_class)->dispose (object);
}

static void
mh_history_row_finalize (GObject *object)
{
  MhHistoryRow *self = MH_HISTORY_ROW (object);

  g_clear_object (&self->record);
  g_clear_object (&self->cancellable);
  g_free (self->api_base_url);
  g_free (self->checked_path);

  G_OBJECT_CLASS (mh_history_row_parent_class)->finalize (object);
}

static void
mh_history_row_class_init (MhHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_history_row_dispose;
  object_class->finalize = mh_history_row_finalize;
  widget_class->map = mh_history_row_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mhstudio/MagicHourStudio/mh-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MhHistoryRow, thumbnail_stack);
  gtk_widget_class_bind_template_child (widget_class, MhHistoryRow, tool_image);
  gtk_widget_class_bind_template_child (widget_class, MhHistoryRow, thumbnail_image);
  gtk_widget_class_bind_template_child (widget_class, MhHistoryRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, MhHistoryRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, MhHistoryRow, status_icon_stack);
  gtk_widget_class_bind_template_child (widget_class, MhHistoryRow, status_image);
  gtk_widget_class_bind_template_child (widget_class, MhHistoryRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, MhHistoryRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, MhHistoryRow, primary_button);
  gtk_widget_class_bind_template_child (widget_class, MhHistoryRow, menu_button);
  gtk_widget_class_bind_template_callback (widget_class, primary_clicked_cb);

  for (guint i = 0; i < G_N_ELEMENTS (action_names); i++)
    {
      g_autofree char *name = g_strconcat ("row.", action_names[i], NULL);

      gtk_widget_class_install_action (widget_class, name, NULL, row_action);
    }

  signals[SIGNAL_ACTION] =
    g_signal_new ("action", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
mh_history_row_init (MhHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
mh_history_row_new (MhJobRecord *record)
{
  MhHistoryRow *self;
  const char *props[] = {
    "state", "running", "deleted", "output-files", "error-message", "credits", "project-id",
  };

  g_return_val_if_fail (MH_IS_JOB_RECORD (record), NULL);

  self = g_object_new (MH_TYPE_HISTORY_ROW, NULL);
  self->record = g_object_ref (record);
  gtk_image_set_from_icon_name (self->tool_image, mh_job_record_get_tool (record)->icon_name);

  for (guint i = 0; i < G_N_ELEMENTS (props); i++)
    {
      g_autofree char *signal = g_strconcat ("notify::", props[i], NULL);

      g_signal_connect_object (record, signal, G_CALLBACK (record_notify_cb), self, G_CONNECT_SWAPPED);
    }
  update (self);

  return GTK_WIDGET (self);
}

MhJobRecord *
mh_history_row_get_record (MhHistoryRow *self)
{
  g_return_val_if_fail (MH_IS_HISTORY_ROW (self), NULL);
  return self->record;
}

void
mh_history_row_set_api_base_url (MhHistoryRow *self,
                                 const char   *base_url)
{
  g_return_if_fail (MH_IS_HISTORY_ROW (self));

  if (g_strcmp0 (self->api_base_url, base_url) == 0)
    return;
  g_free (self->api_base_url);
  self->api_base_url = g_strdup (base_url);
  update (self);
}

const char *
mh_history_row_get_default_action (MhHistoryRow *self)
{
  g_return_val_if_fail (MH_IS_HISTORY_ROW (self), NULL);
  return self->default_action;
}

const char *
mh_history_row_get_primary_action (MhHistoryRow *self)
{
  g_return_val_if_fail (MH_IS_HISTORY_ROW (self), NULL);
  return self->primary_action;
}

gboolean
mh_history_row_get_action_enabled (MhHistoryRow *self,
                                   const char   *name)
{
  g_autofree char *action = NULL;

  g_return_val_if_fail (MH_IS_HISTORY_ROW (self), FALSE);

  action = g_strconcat ("row.", name, NULL);
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (self), action));
}
