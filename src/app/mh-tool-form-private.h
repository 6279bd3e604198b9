/* mh-tool-form-private.h: what the parts of MhToolForm share
 *
 * mh-tool-form.c builds the rows, keeps the form's state and runs the jobs;
 * mh-tool-form-media.c is the big preview and the timeline;
 * mh-tool-form-cost.c is what the job costs and what the account allows;
 * mh-tool-form-drop.c is files dragged over the page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-account-status.h"
#include "mh-file-row.h"
#include "mh-job-view.h"
#include "mh-media-preview.h"
#include "mh-option-row.h"
#include "mh-time-range-row.h"
#include "mh-timeline.h"
#include "mh-tool-form.h"

G_BEGIN_DECLS

struct _MhToolForm
{
  AdwBin               parent_instance;

  GtkStack            *stack;
  GtkWidget           *inputs_box;
  GtkLabel            *title_label;
  GtkLabel            *intro_label;
  MhMediaPreview      *preview;
  AdwPreferencesGroup *inputs_group;
  AdwPreferencesGroup *clip_group;
  AdwPreferencesGroup *options_group;
  GtkLabel            *problem_label;
  GtkWidget           *generate_button;
  GtkWidget           *footer;
  GtkLabel            *cost_label;
  MhAccountStatus     *account_status;
  GtkLinkButton       *buy_credits_button;
  MhJobView           *job_view;

  char                *tool_id;
  const MhTool        *tool;
  MhApplication       *application;
  GPtrArray           *slot_rows;     /* MhFileRow, in the table's order */
  GPtrArray           *option_rows;   /* MhOptionRow */
  MhTimeRangeRow      *time_row;
  MhFileRow           *preview_row;   /* the slot the preview shows, or NULL */
  MhTimeline          *timeline;      /* above the time row, bound to it */

  gboolean             can_generate;
  char                *problem;
  char                *cost;
  guint                update_id;

  /* mh_tool_form_set_params(): the range to restore once the file that
   * bounds it has its length (a new length resets the range). */
  gboolean             pending_range;
  gboolean             pending_ready;   /* the file's length came */
  char                *pending_value;   /* the file that bounds it */
  double               pending_start;
  double               pending_end;
};

/* mh-tool-form-media.c */
void  mh_tool_form_build_preview     (MhToolForm     *self,
                                      MhFileRow      *row);
void  mh_tool_form_build_timeline    (MhToolForm     *self);
void  mh_tool_form_update_timeline   (MhToolForm     *self,
                                      GHashTable     *params);

/* mh-tool-form-drop.c */
void  mh_tool_form_init_drop         (MhToolForm     *self);
guint mh_tool_form_update_drop_hint  (MhToolForm     *self,
                                      const GValue   *value);

/* mh-tool-form-cost.c */
char *mh_tool_form_describe_cost     (MhToolForm     *self,
                                      GHashTable     *params,
                                      MhCostEstimate *estimate);
char *mh_tool_form_account_problem   (MhToolForm     *self,
                                      GHashTable     *params,
                                      MhCostEstimate *estimate,
                                      gboolean       *buy);
void  mh_tool_form_update_plan       (MhToolForm     *self);
void  mh_tool_form_show_buy_credits  (MhToolForm     *self,
                                      const GError   *error);

/* The slot @file goes to when files are given to the page (opened,
 * dropped): the first free slot of its type (@taken: the keys of the slots
 * earlier files took), else the last of that type; NULL if none takes it. */
const MhAssetSlot *mh_tool_form_slot_for_file (MhToolForm *self,
                                               GFile      *file,
                                               GHashTable *taken);

G_END_DECLS
