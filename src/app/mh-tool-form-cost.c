/* mh-tool-form-cost.c: what the form's job costs and what the account allows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mh-error.h"
#include "mh-params.h"
#include "mh-tool-form-private.h"

/* What the job will cost, in words, from the tool table (CONTRACT.md,
 * December 2026): the figure charged at the create, and for lip sync the
 * lower one it settles to when the source's frame rate is known. */
char *
mh_tool_form_describe_cost (MhToolForm     *self,
                            GHashTable     *params,
                            MhCostEstimate *estimate)
{
  const MhTool *tool = self->tool;
  double source_fps = 0;

  /* The create is charged at 30 fps (or max_fps_limit when lower): that
   * figure stays what Generate is judged by. A local video's probed frame
   * rate, when lower, adds what the job settles to, since Magic Hour
   * counts the frames that render. A link or a saved item has no known
   * rate: the figure at the create alone is told. */
  for (guint i = 0; i < self->slot_rows->len; i++)
    {
      MhFileRow *row = g_ptr_array_index (self->slot_rows, i);

      if (mh_file_row_get_slot (row)->type == MH_ASSET_VIDEO && mh_file_row_get_value (row) != NULL &&
          mh_file_row_get_fps (row) > 0)
        source_fps = mh_file_row_get_fps (row);
    }

  if (mh_tool_estimate_cost (tool, params, source_fps, estimate))
    {
      g_autofree char *cost = mh_cost_estimate_describe (estimate, tool->fixed_credits > 0);

      /* The simulator charges its own make-believe balance: said, so that
       * nobody thinks the demo spent their credits. */
      if (cost != NULL && self->application != NULL && mh_application_get_demo (self->application))
        /* Translators: "About 240 credits." and that the demo's are not real */
        return g_strdup_printf (_("%s Demo credits are simulated."), cost);
      return g_steal_pointer (&cost);
    }

  if (tool->has_time_range)
    return g_strdup (_("The cost depends on the clip’s length."));

  return g_strdup (_("Magic Hour tells the charge when it accepts the job."));
}

/* What the account cannot do with these inputs (a choice above its plan, a
 * cost above its balance), or NULL. Sets *buy when credits are the reason. */
char *
mh_tool_form_account_problem (MhToolForm     *self,
                              GHashTable     *params,
                              MhCostEstimate *estimate,
                              gboolean       *buy)
{
  MhAccount *account = self->application != NULL ? mh_application_get_account (self->application) : NULL;
  const char *tier;
  gint64 credits;

  *buy = FALSE;
  if (account == NULL || !mh_account_get_available (account))
    return NULL;

  tier = mh_account_get_tier (account);
  for (guint i = 0; tier != NULL && i < self->tool->n_options; i++)
    {
      const MhOption *option = &self->tool->options[i];
      const MhChoice *choice;

      if (option->type != MH_OPTION_CHOICE || !g_hash_table_contains (params, option->key))
        continue;
      choice = mh_option_resolve_choice (option, mh_params_get (params, option->key));
      if (choice != NULL && choice->min_plan != NULL && !mh_plan_allows (tier, choice->min_plan))
        /* Translators: "Pro needs the Creator plan; this account is on the Free plan." */
        return g_strdup_printf (_("%s needs the %s plan; this account is on the %s."),
                                _(choice->label), mh_plan_name (choice->min_plan),
                                mh_plan_label (tier));
    }

  credits = mh_account_get_credits (account);
  if (credits >= 0 && estimate->at_create > credits)
    {
      g_autofree char *need = mh_format_credits (estimate->at_create);
      g_autofree char *have = mh_format_credits (credits);

      *buy = TRUE;
      /* Translators: "This job needs about 240 credits; you have 100." */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "This job needs about %s credit; you have %s.",
                                           "This job needs about %s credits; you have %s.",
                                           (gulong) MIN (estimate->at_create, G_MAXLONG)),
                              need, have);
    }

  return NULL;
}

/* Choices the plan cannot use are greyed in their lists; files above the
 * plan's upload limit get a warning in their row. */
void
mh_tool_form_update_plan (MhToolForm *self)
{
  MhAccount *account = self->application != NULL ? mh_application_get_account (self->application) : NULL;
  const char *tier = account != NULL && mh_account_get_available (account)
                     ? mh_account_get_tier (account) : NULL;

  for (guint i = 0; i < self->option_rows->len; i++)
    mh_option_row_set_plan (g_ptr_array_index (self->option_rows, i), tier);
  for (guint i = 0; i < self->slot_rows->len; i++)
    mh_file_row_set_plan (g_ptr_array_index (self->slot_rows, i), tier);
}

/* The button next to the problem when credits are what is missing: @error
 * (MH_ERROR_INSUFFICIENT_CREDITS) links to where they are bought; NULL
 * hides it. */
void
mh_tool_form_show_buy_credits (MhToolForm   *self,
                               const GError *error)
{
  if (error != NULL)
    {
      gtk_link_button_set_uri (self->buy_credits_button, mh_error_get_link (error));
      gtk_button_set_label (GTK_BUTTON (self->buy_credits_button), mh_error_get_link_label (error));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->buy_credits_button), mh_error_get_link (error));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->buy_credits_button), error != NULL);
}
