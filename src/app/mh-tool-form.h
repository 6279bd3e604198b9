/* mh-tool-form.h: everything a tool's page repeats, built from the tool table
 *
 * A file row per asset slot, the time range, a row per option (shown only
 * for the modes they apply to), the cost, the first problem in words next to
 * Generate, and the job view once a job runs. Pages put one in their template
 * with its "tool-id"; adding a tool is a table entry and a page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mh-application.h"
#include "mh-job.h"

G_BEGIN_DECLS

#define MH_TYPE_TOOL_FORM (mh_tool_form_get_type ())
G_DECLARE_FINAL_TYPE (MhToolForm, mh_tool_form, MH, TOOL_FORM, AdwBin)

/* Properties:
 *   "tool-id"   string, construct-only
 *   "intro"     string: a line under the title telling what to do
 *   "can-generate"  gboolean, read-only: the inputs are valid
 *   "problem"   string, read-only: the first problem, in words; NULL when none
 *   "cost"      string, read-only: what the job will cost, in words
 * Signals: "toast" (AdwToast *).
 */
void        mh_tool_form_set_application (MhToolForm     *self,
                                          MhApplication  *application);
const char *mh_tool_form_get_tool_id     (MhToolForm     *self);
gboolean    mh_tool_form_get_can_generate(MhToolForm     *self);
const char *mh_tool_form_get_problem     (MhToolForm     *self);
const char *mh_tool_form_get_cost        (MhToolForm     *self);
/* The inputs as the engine takes them (a new table). */
GHashTable *mh_tool_form_dup_params      (MhToolForm     *self);
/* Places each file in the first free slot that takes its type; refused
 * files raise a toast with the reason. */
void        mh_tool_form_add_files       (MhToolForm     *self,
                                          GFile         **files,
                                          guint           n_files);
/* Fills the inputs and options from @params (a past job's, e.g. from the
 * history) and shows them; the person presses Generate. */
void        mh_tool_form_set_params      (MhToolForm     *self,
                                          GHashTable     *params);
/* Starts a job from the inputs (what Generate and Ctrl+Return do). */
MhJob      *mh_tool_form_generate        (MhToolForm     *self);
void        mh_tool_form_show_job        (MhToolForm     *self,
                                          MhJob          *job);
void        mh_tool_form_show_inputs     (MhToolForm     *self);
/* For tests: the rows built from the table. */
GtkWidget  *mh_tool_form_get_slot_row    (MhToolForm     *self,
                                          const char     *slot_key);
GtkWidget  *mh_tool_form_get_option_row  (MhToolForm     *self,
                                          const char     *option_key);
GtkWidget  *mh_tool_form_get_time_row    (MhToolForm     *self);
GtkWidget  *mh_tool_form_get_timeline    (MhToolForm     *self);
GtkWidget  *mh_tool_form_get_job_view    (MhToolForm     *self);
/* The large preview of the slot the tool table marks "previewed". */
GtkWidget  *mh_tool_form_get_preview     (MhToolForm     *self);
GtkWidget  *mh_tool_form_get_generate_button (MhToolForm *self);
GtkWidget  *mh_tool_form_get_footer          (MhToolForm *self);
gboolean    mh_tool_form_get_showing_inputs  (MhToolForm *self);

G_END_DECLS
