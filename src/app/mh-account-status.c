/* mh-account-status.c: the balance and the plan, next to Generate
 *
 * Built in code: two labels and a link, no template to keep in step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mh-account-status.h"

struct _MhAccountStatus
{
  GtkBox     parent_instance;

  GtkWidget *summary_label;
  GtkWidget *past_due_box;
  GtkWidget *past_due_label;
  GtkWidget *past_due_link;

  MhAccount *account;
};

G_DEFINE_FINAL_TYPE (MhAccountStatus, mh_account_status, GTK_TYPE_BOX)

static void
update (MhAccountStatus *self)
{
  g_autofree char *summary = self->account != NULL ? mh_account_dup_summary (self->account) : NULL;
  const char *past_due = self->account != NULL ? mh_account_get_past_due_message (self->account) : NULL;

  gtk_label_set_label (GTK_LABEL (self->summary_label), summary != NULL ? summary : "");
  gtk_widget_set_visible (self->summary_label, summary != NULL);
  gtk_label_set_label (GTK_LABEL (self->past_due_label), past_due != NULL ? past_due : "");
  gtk_widget_set_visible (self->past_due_box, past_due != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self), summary != NULL || past_due != NULL);
}

static void
mh_account_status_dispose (GObject *object)
{
  MhAccountStatus *self = MH_ACCOUNT_STATUS (object);

  mh_account_status_set_account (self, NULL);

  G_OBJECT_CLASS (mh_account_status_parent_class)->dispose (object);
}

static void
mh_account_status_class_init (MhAccountStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mh_account_status_dispose;
}

static void
mh_account_status_init (MhAccountStatus *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 3);
  gtk_widget_add_css_class (GTK_WIDGET (self), "account-status");

  self->summary_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->summary_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->summary_label), TRUE);
  gtk_widget_add_css_class (self->summary_label, "caption-heading");
  gtk_widget_add_css_class (self->summary_label, "account-summary");
  gtk_box_append (GTK_BOX (self), self->summary_label);

  self->past_due_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (self->past_due_box, "account-past-due");
  self->past_due_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->past_due_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->past_due_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->past_due_label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (self->past_due_label, "problem");
  gtk_box_append (GTK_BOX (self->past_due_box), self->past_due_label);
  self->past_due_link = gtk_link_button_new_with_label (MH_ACCOUNT_URL, _("Pay on magichour.ai"));
  gtk_widget_set_halign (self->past_due_link, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (self->past_due_link, MH_ACCOUNT_URL);
  gtk_box_append (GTK_BOX (self->past_due_box), self->past_due_link);
  gtk_box_append (GTK_BOX (self), self->past_due_box);

  update (self);
}

GtkWidget *
mh_account_status_new (void)
{
  return g_object_new (MH_TYPE_ACCOUNT_STATUS, NULL);
}

void
mh_account_status_set_account (MhAccountStatus *self,
                               MhAccount       *account)
{
  g_return_if_fail (MH_IS_ACCOUNT_STATUS (self));

  if (self->account == account)
    return;
  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_set_object (&self->account, account);
  if (account != NULL)
    g_signal_connect_swapped (account, "changed", G_CALLBACK (update), self);
  update (self);
}
