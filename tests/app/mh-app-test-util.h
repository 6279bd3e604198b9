/* mh-app-test-util.h: what the GUI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mh-application.h"
#include "mh-job.h"
#include "mh-job-store.h"
#include "mh-window.h"

G_BEGIN_DECLS

/* Before anything reads them: the app gets an empty keyring and a job
 * history of its own in @dir, and no key or API address from outside. */
void mh_app_test_isolate (const char *dir);

/* Registers @app as an instance of its own (tests must not find each other
 * on the session bus); a failure ends the test. */
void mh_app_test_register (MhApplication *app);

/* A main window of @app, @width × @height, shown and drawn twice. */
MhWindow *mh_app_test_new_window (MhApplication *app,
                                  int            width,
                                  int            height);

/* Renders @window as it is now into $MH_SCREENSHOT_DIR/@name (PNG), so anyone
 * can look at what the test saw; does nothing when the variable is unset. */
/* @widget as drawn by its next frame, as a PNG at @path. */
void mh_app_test_save_png        (GtkWidget  *widget,
                                  const char *path);
void mh_app_test_save_screenshot (GtkWidget  *window,
                                  const char *name);

typedef gboolean (*MhAppTestMatch) (GtkWidget     *widget,
                                    gconstpointer  data);

/* The first mapped descendant of @root (itself included) of @type that
 * @match accepts (NULL: any): something a person can see. */
GtkWidget *mh_app_test_find_widget (GtkWidget      *root,
                                    GType           type,
                                    MhAppTestMatch  match,
                                    gconstpointer   data);
/* The first descendant of @root (itself included) named @name, mapped or
 * not, a menu button's popover included. */
GtkWidget *mh_app_test_find_named  (GtkWidget      *root,
                                    const char     *name);
/* The first mapped label under @root whose text contains @text. */
GtkWidget *mh_app_test_find_label  (GtkWidget      *root,
                                    const char     *text);
/* The first mapped button under @root whose label, mnemonic underscores
 * left out, is @label. */
GtkWidget *mh_app_test_find_button (GtkWidget      *root,
                                    const char     *label);
/* Clicks @button as a person can: it must be there and sensitive. */
void       mh_app_test_click       (GtkWidget      *button);
/* The first mapped action row under @root titled @title. */
GtkWidget *mh_app_test_find_row    (GtkWidget      *root,
                                    const char     *title);
/* An MhAppTestMatch: @widget is an image showing the icon named @icon. */
gboolean   mh_app_test_image_has_icon (GtkWidget   *widget,
                                       gconstpointer icon);
/* An MhAppTestMatch: @widget is a toast. */
gboolean   mh_app_test_is_toast    (GtkWidget      *widget,
                                    gconstpointer   data);
/* The first toast shown under @root, or NULL. */
GtkWidget *mh_app_test_find_toast  (GtkWidget      *root);
/* Visible, and the page its stacks show, all the way up to @root. */
gboolean   mh_app_test_is_shown    (GtkWidget      *widget,
                                    GtkWidget      *root);
/* Waits until a label under @root whose text contains @text is shown. */
void       mh_app_test_wait_for_label (GtkWidget   *root,
                                       const char  *text);

/* The first visible toplevel window of @type, or NULL. */
GtkWidget *mh_app_test_find_toplevel (GType type);

/* Runs xdotool with the arguments given (NULL-terminated), so a real key
 * press goes through the X server; fails the test if xdotool does. */
void       mh_app_test_xdotool (const char *first,
                                ...) G_GNUC_NULL_TERMINATED;

/* A condition for mh_test_wait_for(): @widget is mapped. */
gboolean   mh_app_test_widget_mapped    (gpointer   widget);
/* Conditions for mh_test_wait_for() on the app's objects: */
/* the MhApplication @app has asked the keyring for the key; */
gboolean   mh_app_test_key_checked      (gpointer   app);
/* the MhFileRow @row has taken a file (it checks it in a thread first); */
gboolean   mh_app_test_row_has_value    (gpointer   row);
/* the MhToolForm @form can generate and its Generate button is sensitive; */
gboolean   mh_app_test_can_generate     (gpointer   form);
/* the MhJob @job has ended, whichever way; */
gboolean   mh_app_test_job_finished     (gpointer   job);
/* the MhJobRecord @record has ended and no process runs it any more; */
gboolean   mh_app_test_record_settled   (gpointer   record);
/* the GtkFileChooser @chooser shows a folder (it sets one after a while). */
gboolean   mh_app_test_chooser_has_folder (gpointer chooser);

/* Loads @store and waits until it has; a failure fails the test. */
void       mh_app_test_load_store (MhJobStore *store);
/* Waits until @job is in @state or has ended (the caller checks which). */
void       mh_app_test_wait_for_job_state (MhJob      *job,
                                           MhJobState  state);

/* Waits until the widget mh_app_test_find_widget() finds under @root stays
 * at the same place for three frames (a toast has slid in); where it is
 * then goes to @bounds, unless NULL. */
void       mh_app_test_wait_until_in_place (GtkWidget       *root,
                                            GType            type,
                                            MhAppTestMatch   match,
                                            gconstpointer    data,
                                            graphene_rect_t *bounds);

/* Waits until @widget is mapped and has drawn two frames. */
void       mh_app_test_wait_for_frames  (GtkWidget *widget);
/* ...and then until its stack transitions and revealers are over. */
void       mh_app_test_wait_until_still (GtkWidget *widget);

G_END_DECLS
