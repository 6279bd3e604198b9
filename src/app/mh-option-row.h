/* mh-option-row.h: one option of a tool, built from the tool table
 *
 * A choice (drop-down whose subtitle explains the selected choice, and for
 * priced choices their cost), a number (spin button, with the table's range
 * and decimals), or text (entry). Its value is text, as the engine's
 * parameters are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mh-tool.h"

G_BEGIN_DECLS

#define MH_TYPE_OPTION_ROW (mh_option_row_get_type ())
G_DECLARE_FINAL_TYPE (MhOptionRow, mh_option_row, MH, OPTION_ROW, AdwActionRow)

/* Properties:
 *   "tool-id"     string, construct-only
 *   "option-key"  string, construct-only
 *   "value"       string: NULL when unset (a choice is never unset: it starts at the
 *                 table's default); numbers in C locale ("1.25")
 *   "plan"        string: the account's tier ("free"...); choices it cannot use
 *                 (MhChoice.min_plan) are listed greyed with the plan they need,
 *                 and cannot be picked; NULL (default): every choice
 */
GtkWidget      *mh_option_row_new        (const char  *tool_id,
                                          const char  *option_key);
const MhOption *mh_option_row_get_option (MhOptionRow *self);
const char     *mh_option_row_get_value  (MhOptionRow *self);
void            mh_option_row_set_value  (MhOptionRow *self,
                                          const char  *value);
void            mh_option_row_set_plan   (MhOptionRow *self,
                                          const char  *tier);
/* FALSE for a choice (any name of it) the row's plan cannot use. */
gboolean        mh_option_row_is_choice_allowed (MhOptionRow *self,
                                                 const char  *name);
/* The drop-down, spin button or entry. */
GtkWidget      *mh_option_row_get_input_widget (MhOptionRow *self);
void            mh_option_row_set_default_description (MhOptionRow *self,
                                                       const char  *description);

G_END_DECLS
