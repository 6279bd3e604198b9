/* mh-window.c: the main window, a tab per tool
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mh-a11y.h"
#include "mh-headshot-page.h"
#include "mh-history-page.h"
#include "mh-job-list.h"
#include "mh-jobs-indicator.h"
#include "mh-lip-sync-page.h"
#include "mh-params.h"
#include "mh-quit-dialog.h"
#include "mh-spinner.h"
#include "mh-startup-trace.h"
#include "mh-talking-photo-page.h"
#include "mh-toast-area.h"
#include "mh-tool-form.h"
#include "mh-window-private.h"

struct _MhWindow
{
  AdwApplicationWindow  parent_instance;

  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkMenuButton        *jobs_button;
  GtkPopover           *jobs_popover;
  MhJobList            *job_list;
  MhJobsIndicator      *jobs_indicator;
  GtkWidget            *demo_badge;
  GtkWidget            *keyring_problem;
  MhToastArea          *toast_area;
  GtkStack             *main_stack;
  GtkSpinner           *loading_spinner;
  AdwViewStack         *view_stack;
  GtkWidget            *talking_photo_page;
  GtkWidget            *lip_sync_page;
  GtkWidget            *headshot_page;
  MhHistoryPage        *history_page;
  GtkRevealer          *problems_revealer;
  GtkLabel             *problems_label;

  MhApplication        *application;
  gboolean              pages_built;
  char                 *pending_page;  /* the tab to show once the pages are built */
  gboolean              problems_dismissed;
  guint                 spinner_delay_id;
};

/* The loading page stays still this long before its spinner turns: the
 * keyring usually answers sooner, and a spinner's frames (on a software
 * renderer, most of a core) would slow the very lookup it waits for. */
#define LOADING_SPINNER_DELAY_MS 500

G_DEFINE_FINAL_TYPE (MhWindow, mh_window, ADW_TYPE_APPLICATION_WINDOW)

/* The tabs are offered only with the tools: in the header when they fit,
 * else in the bar at the bottom. */
static void
update_switchers (MhWindow *self)
{
  gboolean tools = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "tools") == 0;

  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, tools);
  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    tools && adw_view_switcher_title_get_title_visible (self->switcher_title));
}

static gboolean
spinner_delay_cb (gpointer user_data)
{
  MhWindow *self = user_data;

  self->spinner_delay_id = 0;
  mh_spinner_set_spinning (self->loading_spinner,
                           g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "loading") == 0);
  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

/* The shortcuts window (Ctrl+?), built after the first frame: building it
 * costs the main thread about 20 ms that the first frame need not wait. */
static void
add_help_overlay (MhApplication *application,
                  gpointer       data)
{
  g_autoptr(MhWindow) self = g_weak_ref_get (data);
  g_autoptr(GtkBuilder) builder = NULL;

  if (self == NULL || gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (self)) != NULL)
    return;
  builder = gtk_builder_new_from_resource ("/io/github/mhstudio/MagicHourStudio/mh-shortcuts-window.ui");
  gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self),
                                           GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
}

/* Counted from the first frame: before it, nothing is on screen to turn. */
static void
start_spinner_delay (MhApplication *application,
                     gpointer       data)
{
  g_autoptr(MhWindow) self = g_weak_ref_get (data);

  if (self != NULL && self->spinner_delay_id == 0 &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "loading") == 0)
    self->spinner_delay_id = g_timeout_add (LOADING_SPINNER_DELAY_MS, spinner_delay_cb, self);
}

static void form_toast_cb (MhWindow *self, AdwToast *toast);
static void visible_tool_cb (MhWindow *self);
static void history_run_again_cb (MhWindow *self, MhJobRecord *record, MhHistoryPage *page);
static void history_show_job_cb (MhWindow *self, MhJob *job, MhHistoryPage *page);

static void
add_page (MhWindow   *self,
          GtkWidget  *child,
          const char *name,
          const char *title,
          const char *icon_name)
{
  AdwViewStackPage *page = adw_view_stack_add_titled (self->view_stack, child, name, title);

  adw_view_stack_page_set_icon_name (page, icon_name);
}

static void
set_pending_page (MhWindow   *self,
                  const char *name)
{
  char *old = self->pending_page;

  if (g_strcmp0 (name, old) == 0)
    return;
  self->pending_page = g_strdup (name);
  g_free (old);
}

/* The three tools and History, built when first needed: after the first
 * frame (it shows the loading page while the keyring answers), or sooner
 * when the tools are shown or a page is asked for. Building them costs
 * the main thread more than the rest of the window. */
static void
build_pages (MhWindow *self)
{
  GtkWidget *forms[3] = { NULL };
  g_autofree char *pending = NULL;

  if (self->pages_built || self->application == NULL)
    return;
  self->pages_built = TRUE;

  self->talking_photo_page = g_object_new (MH_TYPE_TALKING_PHOTO_PAGE, NULL);
  self->lip_sync_page = g_object_new (MH_TYPE_LIP_SYNC_PAGE, NULL);
  self->headshot_page = g_object_new (MH_TYPE_HEADSHOT_PAGE, NULL);
  self->history_page = g_object_new (MH_TYPE_HISTORY_PAGE, NULL);
  add_page (self, self->talking_photo_page, "talking-photo", _("Talking Photo"), "mh-talking-photo-symbolic");
  add_page (self, self->lip_sync_page, "lip-sync", _("Lip Sync"), "mh-lip-sync-symbolic");
  add_page (self, self->headshot_page, "headshot", _("Headshot"), "mh-headshot-symbolic");
  add_page (self, GTK_WIDGET (self->history_page), "history", _("History"), "document-open-recent-symbolic");
  mh_a11y_fix_mnemonic_names (GTK_WIDGET (self->view_stack));

  pending = g_steal_pointer (&self->pending_page);
  if (pending != NULL && adw_view_stack_get_child_by_name (self->view_stack, pending) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, pending);
  /* A tool chosen before (--tool, files) is the one the next start shows,
   * as when it is chosen later. */
  visible_tool_cb (self);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (visible_tool_cb), self, G_CONNECT_SWAPPED);
  mh_jobs_indicator_set_view_stack (self->jobs_indicator, self->view_stack);

  mh_history_page_set_application (self->history_page, self->application);
  g_signal_connect_object (self->history_page, "toast", G_CALLBACK (form_toast_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history_page, "run-again", G_CALLBACK (history_run_again_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history_page, "show-job", G_CALLBACK (history_show_job_cb),
                           self, G_CONNECT_SWAPPED);

  forms[0] = mh_window_get_form (self, "talking-photo");
  forms[1] = mh_window_get_form (self, "lip-sync");
  forms[2] = mh_window_get_form (self, "headshot");
  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      mh_tool_form_set_application (MH_TOOL_FORM (forms[i]), self->application);
      g_signal_connect_object (forms[i], "toast", G_CALLBACK (form_toast_cb), self, G_CONNECT_SWAPPED);
      mh_toast_area_add_bar (self->toast_area, mh_tool_form_get_footer (MH_TOOL_FORM (forms[i])));
      mh_toast_area_add_buttons (self->toast_area, mh_tool_form_get_job_view (MH_TOOL_FORM (forms[i])));
    }
  mh_window_actions_setup (self);
  mh_startup_trace_mark ("pages-built");
}

static void
build_pages_after_first_frame (MhApplication *application,
                               gpointer       data)
{
  g_autoptr(MhWindow) self = g_weak_ref_get (data);

  if (self != NULL)
    build_pages (self);
}

static void
update_main_page (MhWindow *self)
{
  MhApplication *app = self->application;
  const char *page;

  if (mh_application_get_demo (app) || mh_application_get_has_key (app))
    page = "tools";
  else if (mh_application_get_key_checked (app))
    page = "welcome";
  else
    page = "loading";

  if (g_str_equal (page, "tools"))
    build_pages (self);
  gtk_stack_set_visible_child_name (self->main_stack, page);
  /* Only while its page is shown (see mh-spinner.h), and after a while. */
  if (!g_str_equal (page, "loading"))
    {
      g_clear_handle_id (&self->spinner_delay_id, g_source_remove);
      mh_spinner_set_spinning (self->loading_spinner, FALSE);
    }
  else if (self->spinner_delay_id == 0 && !mh_spinner_get_wanted (self->loading_spinner))
    {
      GWeakRef *ref = g_new0 (GWeakRef, 1);

      g_weak_ref_init (ref, self);
      mh_application_after_first_frame (app, start_spinner_delay, ref, (GDestroyNotify) weak_ref_free);
    }
  update_switchers (self);
  gtk_widget_set_visible (self->demo_badge, mh_application_get_demo (app));
  /* Why there is no key, when the keyring did not answer (it may hold one). */
  gtk_widget_set_visible (self->keyring_problem,
                          g_str_equal (page, "welcome") &&
                          mh_client_keyring_timed_out (mh_application_get_client (app)));
  gtk_widget_set_visible (GTK_WIDGET (self->jobs_button), g_str_equal (page, "tools"));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (app), "demo")),
                               !mh_application_get_demo (app));

  /* The environment wins over what Preferences says: a quiet line under
   * the title (Preferences says it too), not a toast in the way. */
  {
    g_autofree char *text = NULL;

    if (g_str_equal (page, "tools") && !mh_application_get_demo (app) && mh_application_base_url_from_env (app))
      text = g_strdup_printf (_("Using the API at %s (set by MAGIC_HOUR_API_BASE_URL)"),
                              mh_client_get_base_url (mh_application_get_client (app)));
    else if (g_str_equal (page, "tools") && !mh_application_get_demo (app) && mh_application_key_from_env (app))
      text = g_strdup (_("Using the API key from MAGIC_HOUR_API_KEY"));
    adw_view_switcher_title_set_subtitle (self->switcher_title, text != NULL ? text : "");
  }
}

static void
app_notify_cb (MhWindow *self)
{
  update_main_page (self);
}

static void
job_activated_cb (MhWindow  *self,
                  MhJob     *job,
                  MhJobList *list)
{
  const MhTool *tool = mh_job_get_tool (job);
  GtkWidget *form = mh_window_get_form (self, tool->id);

  gtk_popover_popdown (self->jobs_popover);
  mh_window_show_tool (self, tool->id);
  mh_tool_form_show_job (MH_TOOL_FORM (form), job);
}

/* The badge over the jobs button says how many run; the tooltip and the
 * button's name say it in words. */
static void
jobs_running_cb (MhWindow *self)
{
  guint n = mh_jobs_indicator_get_n_running (self->jobs_indicator);
  g_autofree char *text = NULL;

  if (n > 0)
    text = g_strdup_printf (ngettext ("Jobs of This Session: %u Running",
                                      "Jobs of This Session: %u Running", n), n);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->jobs_button),
                               text != NULL ? text : _("Jobs of This Session"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->jobs_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  text != NULL ? text : _("Jobs of This Session"), -1);
}

/* The tool shown at the next start: History is not a tool. */
static void
visible_tool_cb (MhWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);
  g_autofree char *last = NULL;

  if (name == NULL || mh_tool_lookup (name) == NULL || self->application == NULL)
    return;
  /* Not written again when unchanged: the pages call this once built. */
  last = g_settings_get_string (mh_application_get_settings (self->application), "last-tool");
  if (g_strcmp0 (last, name) != 0)
    g_settings_set_string (mh_application_get_settings (self->application), "last-tool", name);
}

static void
history_run_again_cb (MhWindow      *self,
                      MhJobRecord   *record,
                      MhHistoryPage *page)
{
  const MhTool *tool = mh_job_record_get_tool (record);
  GtkWidget *form = mh_window_get_form (self, tool->id);

  mh_window_show_tool (self, tool->id);
  mh_tool_form_set_params (MH_TOOL_FORM (form), mh_job_record_get_params (record));
}

static void
history_show_job_cb (MhWindow      *self,
                     MhJob         *job,
                     MhHistoryPage *page)
{
  const MhTool *tool = mh_job_get_tool (job);

  mh_window_show_tool (self, tool->id);
  mh_tool_form_show_job (MH_TOOL_FORM (mh_window_get_form (self, tool->id)), job);
}

/* What reading the history found wrong, until dismissed: the app works
 * on, with what could be read. */
static void
update_problems (MhWindow *self)
{
  const char *const *problems = mh_application_get_store_problems (self->application);
  g_autofree char *text = problems != NULL ? g_strjoinv ("\n", (char **) problems) : NULL;

  if (g_strcmp0 (text, gtk_label_get_label (self->problems_label)) != 0)
    self->problems_dismissed = FALSE;
  gtk_label_set_label (self->problems_label, text != NULL ? text : "");
  gtk_revealer_set_reveal_child (self->problems_revealer, text != NULL && !self->problems_dismissed);
}

static void
form_toast_cb (MhWindow  *self,
               AdwToast  *toast)
{
  mh_window_add_toast (self, toast);
}

static gboolean
is_last_window (MhWindow *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self->application)); l != NULL; l = l->next)
    if (l->data != self && MH_IS_WINDOW (l->data))
      return FALSE;
  return TRUE;
}

static gboolean
mh_window_close_request (GtkWindow *window)
{
  MhWindow *self = MH_WINDOW (window);
  GSettings *settings = mh_application_get_settings (self->application);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));

  /* The last window closing quits the app: the same question as Ctrl+Q. */
  if (is_last_window (self) && mh_quit_dialog_ask (self->application, window, TRUE))
    return TRUE;

  return GTK_WINDOW_CLASS (mh_window_parent_class)->close_request (window);
}

/* GtkWindow's "application" is not a construct property: g_object_new()
 * sets it after constructed() ran, so the window binds to it from here. */
static void
setup_application (MhWindow      *self,
                   MhApplication *application)
{
  GSettings *settings;
  g_autofree char *last = NULL;

  self->application = application;
  settings = mh_application_get_settings (self->application);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  last = g_settings_get_string (settings, "last-tool");
  if (self->pending_page == NULL)
    self->pending_page = g_steal_pointer (&last);

  mh_job_list_set_model (self->job_list, mh_application_get_jobs (self->application));
  g_signal_connect_object (self->jobs_indicator, "notify::n-running", G_CALLBACK (jobs_running_cb),
                           self, G_CONNECT_SWAPPED);
  mh_jobs_indicator_set_model (self->jobs_indicator, mh_application_get_jobs (self->application));
  g_signal_connect_object (self->job_list, "job-activated", G_CALLBACK (job_activated_cb),
                           self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->application, "notify::store-problems", G_CALLBACK (update_problems),
                           self, G_CONNECT_SWAPPED);
  update_problems (self);

  {
    GWeakRef *ref = g_new0 (GWeakRef, 1);

    g_weak_ref_init (ref, self);
    mh_application_after_first_frame (self->application, build_pages_after_first_frame, ref,
                                      (GDestroyNotify) weak_ref_free);
    ref = g_new0 (GWeakRef, 1);
    g_weak_ref_init (ref, self);
    mh_application_after_first_frame (self->application, add_help_overlay, ref, (GDestroyNotify) weak_ref_free);
  }

  g_signal_connect_object (self->application, "notify::has-key", G_CALLBACK (app_notify_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->application, "notify::demo", G_CALLBACK (app_notify_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->application, "notify::key-checked", G_CALLBACK (app_notify_cb),
                           self, G_CONNECT_SWAPPED);
  update_main_page (self);
}

static void
mh_window_dispose (GObject *object)
{
  MhWindow *self = MH_WINDOW (object);

  g_clear_handle_id (&self->spinner_delay_id, g_source_remove);
  g_clear_pointer (&self->pending_page, g_free);

  G_OBJECT_CLASS (mh_window_parent_class)->dispose (object);
}

static void
mh_window_class_init (MhWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = mh_window_dispose;
  window_class->close_request = mh_window_close_request;

  /* The job list is built from the template; the pages by build_pages(). */
  g_type_ensure (MH_TYPE_JOB_LIST);
  g_type_ensure (MH_TYPE_JOBS_INDICATOR);
  g_type_ensure (MH_TYPE_TOAST_AREA);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/mhstudio/MagicHourStudio/mh-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MhWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, jobs_button);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, jobs_popover);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, job_list);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, jobs_indicator);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, demo_badge);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, keyring_problem);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, toast_area);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, problems_revealer);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, problems_label);
}

static void
show_tool_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  mh_window_show_tool (MH_WINDOW (user_data), g_variant_get_string (parameter, NULL));
  /* Alt+1 on the tab shown goes to its first empty input too. */
  mh_window_actions_focus_page (MH_WINDOW (user_data));
}

static void
show_history_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  mh_window_show_history (MH_WINDOW (user_data));
  mh_window_actions_focus_page (MH_WINDOW (user_data));
}

static void
dismiss_problems_action (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  MhWindow *self = user_data;

  self->problems_dismissed = TRUE;
  gtk_revealer_set_reveal_child (self->problems_revealer, FALSE);
}

static void
mh_window_init (MhWindow *self)
{
  const GActionEntry actions[] = {
    { "show-tool", show_tool_action, "s" },
    { "show-history", show_history_action },
    { "dismiss-problems", dismiss_problems_action },
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  mh_a11y_fix_mnemonic_names (GTK_WIDGET (self));
  g_signal_connect_object (self->switcher_title, "notify::title-visible",
                           G_CALLBACK (update_switchers), self, G_CONNECT_SWAPPED);
  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  mh_window_actions_init (self);
}

MhWindow *
mh_window_new (MhApplication *application)
{
  MhWindow *self;

  g_return_val_if_fail (MH_IS_APPLICATION (application), NULL);

  self = g_object_new (MH_TYPE_WINDOW, "application", application, NULL);
  setup_application (self, application);

  return self;
}

GtkWidget *
mh_window_get_form (MhWindow   *self,
                    const char *tool_id)
{
  GtkWidget *page = NULL;
  GtkWidget *form = NULL;

  g_return_val_if_fail (MH_IS_WINDOW (self), NULL);

  build_pages (self);
  if (g_strcmp0 (tool_id, "talking-photo") == 0)
    page = self->talking_photo_page;
  else if (g_strcmp0 (tool_id, "lip-sync") == 0)
    page = self->lip_sync_page;
  else if (g_strcmp0 (tool_id, "headshot") == 0)
    page = self->headshot_page;

  if (page != NULL)
    g_object_get (page, "form", &form, NULL);
  if (form != NULL)
    g_object_unref (form);  /* owned by the page */

  return form;
}

void
mh_window_show_tool (MhWindow   *self,
                     const char *tool_id)
{
  g_return_if_fail (MH_IS_WINDOW (self));

  if (tool_id == NULL || mh_tool_lookup (tool_id) == NULL)
    return;
  if (self->pages_built)
    adw_view_stack_set_visible_child_name (self->view_stack, tool_id);
  else
    set_pending_page (self, tool_id);
}

/* The tool the files suit: a video means Lip Sync, an image with audio a
 * Talking Photo, an image alone a Headshot. */
static const char *
guess_tool (GFile **files,
            guint   n_files)
{
  gboolean video = FALSE, audio = FALSE, image = FALSE;

  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *name = g_file_get_basename (files[i]);
      g_autofree char *ext = mh_path_get_extension (name);

      video |= mh_asset_type_accepts (MH_ASSET_VIDEO, ext) && !mh_asset_type_accepts (MH_ASSET_AUDIO, ext);
      audio |= mh_asset_type_accepts (MH_ASSET_AUDIO, ext);
      image |= mh_asset_type_accepts (MH_ASSET_IMAGE, ext);
    }

  if (video)
    return "lip-sync";
  if (image && audio)
    return "talking-photo";
  if (image)
    return "headshot";
  if (audio)
    return "talking-photo";
  return NULL;
}

typedef struct
{
  GWeakRef   window;
  char      *tool_id;
  GPtrArray *files;
} OpenFiles;

static void
open_files_free (OpenFiles *open)
{
  g_weak_ref_clear (&open->window);
  g_free (open->tool_id);
  g_ptr_array_unref (open->files);
  g_free (open);
}

static void
add_files_now (MhApplication *application,
               gpointer       data)
{
  OpenFiles *open = data;
  g_autoptr(MhWindow) self = g_weak_ref_get (&open->window);

  if (self == NULL)
    return;
  mh_startup_trace_mark ("files-added");
  mh_tool_form_add_files (MH_TOOL_FORM (mh_window_get_form (self, open->tool_id)),
                          (GFile **) open->files->pdata, open->files->len);
}

void
mh_window_open (MhWindow    *self,
                const char  *tool_id,
                GFile      **files,
                guint        n_files)
{
  g_return_if_fail (MH_IS_WINDOW (self));

  if (tool_id == NULL)
    tool_id = guess_tool (files, n_files);
  if (tool_id == NULL && n_files > 0)
    {
      /* Files for no tool in particular go to the one shown, or, from
       * History, to the last one used. */
      tool_id = self->pages_built ? adw_view_stack_get_visible_child_name (self->view_stack) : self->pending_page;
      if (tool_id == NULL || mh_tool_lookup (tool_id) == NULL)
        {
          g_autofree char *last = g_settings_get_string (mh_application_get_settings (self->application),
                                                         "last-tool");
          const MhTool *tool = mh_tool_lookup (last);

          tool_id = tool != NULL ? tool->id : "talking-photo";
        }
    }
  if (tool_id != NULL)
    mh_window_show_tool (self, tool_id);

  /* The tab is in the first frame; the files are read and previewed
   * after it (probing a video takes longer than drawing the window). */
  if (n_files > 0)
    {
      OpenFiles *open = g_new0 (OpenFiles, 1);

      g_weak_ref_init (&open->window, self);
      open->tool_id = g_strdup (tool_id);
      open->files = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < n_files; i++)
        g_ptr_array_add (open->files, g_object_ref (files[i]));
      mh_application_after_first_frame (self->application, add_files_now, open,
                                        (GDestroyNotify) open_files_free);
    }
}

void
mh_window_add_toast (MhWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (MH_IS_WINDOW (self));
  mh_toast_area_add_toast (self->toast_area, toast);
}

void
mh_window_show_history (MhWindow *self)
{
  g_return_if_fail (MH_IS_WINDOW (self));
  if (self->pages_built)
    adw_view_stack_set_visible_child_name (self->view_stack, "history");
  else
    set_pending_page (self, "history");
}

GtkWidget *
mh_window_get_history_page (MhWindow *self)
{
  g_return_val_if_fail (MH_IS_WINDOW (self), NULL);
  build_pages (self);
  return GTK_WIDGET (self->history_page);
}

AdwViewStack *
mh_window_get_view_stack (MhWindow *self)
{
  g_return_val_if_fail (MH_IS_WINDOW (self), NULL);
  return self->view_stack;
}
