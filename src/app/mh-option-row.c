/* mh-option-row.c: one option of a tool, built from the tool table
 *
 * The suffix depends on the option's type, so it is built in code rather
 * than from a template:
 *
 *  - a choice is a drop-down of the choices offered (aliases are accepted
 *    by mh_option_row_set_value() but never listed); the row's subtitle is
 *    the selected choice's one line, which for priced choices says the cost;
 *  - a number is a spin button with the table's range and decimals. Until
 *    the person sets it, it is empty with "Default" as placeholder and the
 *    value is NULL (the server decides); a reset button beside it, shown
 *    only while it is set, and an emptied field both return it to that;
 *  - text is an entry; empty text is NULL.
 *
 * Nothing is reset when the row is hidden: the form hides options that do
 * not apply to the chosen mode, and they come back as they were.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "mh-option-row.h"

/* The spin button's bound when the table gives none. */
#define UI_MAX 100000.0

struct _MhOptionRow
{
  AdwActionRow     parent_instance;

  char            *tool_id;
  char            *option_key;
  const MhTool    *tool;
  const MhOption  *option;

  GtkWidget       *input;         /* GtkDropDown, GtkSpinButton or GtkEntry */
  GtkWidget       *reset_button;  /* numbers only */
  GtkAdjustment   *adjustment;    /* numbers only */

  GPtrArray       *offered;       /* choices only: (const MhChoice *) in list order */
  int              digits;        /* numbers only */

  char            *value;
  char            *plan;          /* the account's tier; NULL: unknown, every choice offered */
  char            *default_description; /* choices without a default value */

  guint            updating;      /* > 0 while this row moves its widgets itself */
  guint            is_set : 1;    /* numbers: the person (or code) gave a value */
  guint            pending_set : 1;
  guint            formatting : 1;
};

G_DEFINE_FINAL_TYPE (MhOptionRow, mh_option_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_TOOL_ID,
  PROP_OPTION_KEY,
  PROP_VALUE,
  PROP_PLAN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean mh_option_row_choice_allowed (MhOptionRow    *self,
                                              const MhChoice *choice);

/* The table's texts are N_()-marked; a new entry may leave one out. */
static const char *
translate (const char *text)
{
  return text != NULL ? _(text) : NULL;
}

static void
set_value_string (MhOptionRow *self,
                  const char  *value)
{
  if (g_strcmp0 (value, self->value) == 0)
    return;

  g_free (self->value);
  self->value = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

/* ---- Choices ------------------------------------------------------------ */

/* The first item of a choice whose default the server decides (no
 * default_value in the table): selecting it leaves the option unset. */
static const MhChoice server_default = {
  .label = N_("Default"),
};

static const char *
choice_description (MhOptionRow    *self,
                    const MhChoice *choice)
{
  if (choice == &server_default)
    return self->default_description;

  return translate (choice->description);
}

static const MhChoice *
get_selected_choice (MhOptionRow *self)
{
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->input));

  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->offered->len)
    return NULL;

  return g_ptr_array_index (self->offered, selected);
}

/* What a screen reader says on the drop-down's button, the part that
 * takes the focus: GTK 4.8 names it after its type ("GtkToggleButton")
 * and the drop-down's own name does not reach it. */
static void
update_toggle_name (MhOptionRow    *self,
                    const MhChoice *choice)
{
  GtkWidget *toggle = gtk_widget_get_first_child (self->input);
  g_autofree char *name = NULL;

  if (!GTK_IS_TOGGLE_BUTTON (toggle))
    return;

  /* Translators: an option's name and its current choice, read by a
   * screen reader, e.g. "Style: Realistic". */
  name = g_strdup_printf (_("%s: %s"), translate (self->option->label),
                          translate (choice->label != NULL ? choice->label : choice->name));
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
drop_down_selected_cb (MhOptionRow *self)
{
  const MhChoice *choice = get_selected_choice (self);

  if (choice == NULL)
    return;

  update_toggle_name (self, choice);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), choice_description (self, choice));
  set_value_string (self, choice->name);
}

static void
choice_item_setup_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      MhOptionRow              *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *description = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (description), 0);
  gtk_label_set_wrap (GTK_LABEL (description), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (description), PANGO_WRAP_WORD_CHAR);
  /* One width for measuring and drawing, so the list's height is right. */
  gtk_label_set_max_width_chars (GTK_LABEL (description), 28);
  gtk_label_set_width_chars (GTK_LABEL (description), 28);
  gtk_widget_add_css_class (description, "dim-label");
  gtk_widget_add_css_class (description, "caption");
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);

  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), description);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_item_set_child (item, box);
}

static void
update_check (GtkListItem *item,
              GParamSpec  *pspec,
              GtkDropDown *drop_down)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *check = gtk_widget_get_last_child (box);

  gtk_widget_set_opacity (check,
                          gtk_drop_down_get_selected (drop_down) == gtk_list_item_get_position (item));
}

/* A choice the account's plan cannot use is listed, greyed, with the plan
 * it needs, and cannot be picked. */
static void
update_item_plan (GtkListItem *item,
                  GParamSpec  *pspec,
                  MhOptionRow *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *labels = gtk_widget_get_first_child (box);
  guint position = gtk_list_item_get_position (item);
  const MhChoice *choice;
  gboolean allowed;

  if (position >= self->offered->len)
    return;

  choice = g_ptr_array_index (self->offered, position);
  allowed = mh_option_row_choice_allowed (self, choice);
  gtk_list_item_set_activatable (item, allowed);
  gtk_list_item_set_selectable (item, allowed);
  gtk_widget_set_sensitive (box, allowed);
  if (allowed)
    gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (labels)), translate (choice->label));
  else
    {
      /* Translators: a choice the account's plan cannot use, e.g. "Pro — needs the Creator plan" */
      g_autofree char *title = g_strdup_printf (_("%s — needs the %s plan"),
                                                translate (choice->label),
                                                mh_plan_name (choice->min_plan));

      gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (labels)), title);
    }
}

static void
choice_item_bind_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     MhOptionRow              *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *labels = gtk_widget_get_first_child (box);
  guint position = gtk_list_item_get_position (item);
  const MhChoice *choice;

  if (position >= self->offered->len)
    return;

  choice = g_ptr_array_index (self->offered, position);
  gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (labels)), translate (choice->label));
  g_signal_connect_object (self, "notify::plan", G_CALLBACK (update_item_plan), item, G_CONNECT_SWAPPED);
  update_item_plan (item, NULL, self);
  gtk_label_set_label (GTK_LABEL (gtk_widget_get_last_child (labels)), choice_description (self, choice));
  gtk_widget_set_visible (gtk_widget_get_last_child (labels), choice_description (self, choice) != NULL);

  g_signal_connect_object (self->input, "notify::selected",
                           G_CALLBACK (update_check), item, G_CONNECT_SWAPPED);
  update_check (item, NULL, GTK_DROP_DOWN (self->input));
}

static void
choice_item_unbind_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item,
                       MhOptionRow              *self)
{
  g_signal_handlers_disconnect_by_func (self->input, update_check, item);
  g_signal_handlers_disconnect_by_func (self, update_item_plan, item);
}

static void
build_choice (MhOptionRow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkStringList *labels = gtk_string_list_new (NULL);
  const MhChoice *initial;
  guint selected = 0;

  self->offered = g_ptr_array_new ();
  initial = mh_option_resolve_choice (self->option, self->option->default_value);
  if (self->option->default_value == NULL)
    {
      g_ptr_array_add (self->offered, (gpointer) &server_default);
      gtk_string_list_append (labels, _(server_default.label));
    }

  for (guint i = 0; i < self->option->n_choices; i++)
    {
      const MhChoice *choice = &self->option->choices[i];

      if (choice->canonical != NULL)
        continue;
      if (choice == initial)
        selected = self->offered->len;
      g_ptr_array_add (self->offered, (gpointer) choice);
      gtk_string_list_append (labels, translate (choice->label != NULL ? choice->label : choice->name));
    }

  /* The button shows the label; the list also explains each choice. */
  g_signal_connect_object (factory, "setup", G_CALLBACK (choice_item_setup_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (choice_item_bind_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (choice_item_unbind_cb), self, 0);

  self->input = gtk_drop_down_new (G_LIST_MODEL (labels), NULL);
  gtk_drop_down_set_list_factory (GTK_DROP_DOWN (self->input), factory);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->input), selected);
  gtk_widget_set_valign (self->input, GTK_ALIGN_CENTER);

  g_signal_connect_object (self->input, "notify::selected",
                           G_CALLBACK (drop_down_selected_cb), self, G_CONNECT_SWAPPED);
  drop_down_selected_cb (self);
}

static void
set_choice_value (MhOptionRow *self,
                  const char  *value)
{
  const MhChoice *choice;

  if (value == NULL || *value == '\0')
    value = self->option->default_value;

  if (value == NULL)
    choice = &server_default;
  else
    choice = mh_option_resolve_choice (self->option, value);
  if (choice == NULL)
    {
      g_warning ("“%s” is not a choice of option “%s”", value, self->option->key);
      return;
    }

  for (guint i = 0; i < self->offered->len; i++)
    if (g_ptr_array_index (self->offered, i) == choice)
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->input), i);
}

/* ---- Numbers ------------------------------------------------------------ */

static double
round_to_digits (double value,
                 int    digits)
{
  double scale = pow (10, digits);

  return round (value * scale) / scale;
}

/* "1.250" → "1.25", "30.00" → "30": @decimal is the decimal mark in @text. */
static void
trim_zeros (char       *text,
            const char *decimal)
{
  char *mark = strstr (text, decimal);
  char *end;

  if (mark == NULL)
    return;

  end = text + strlen (text);
  while (end > mark + strlen (decimal) && end[-1] == '0')
    *--end = '\0';
  if (end == mark + strlen (decimal))
    *mark = '\0';
}

/* The value as the engine reads it: C locale, at most the spin's digits. */
static char *
format_number_value (MhOptionRow *self,
                     double       value)
{
  char format[16];
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_snprintf (format, sizeof format, "%%.%df", self->digits);
  g_ascii_formatd (buffer, sizeof buffer, format, round_to_digits (value, self->digits));
  trim_zeros (buffer, ".");

  if (g_str_equal (buffer, "-0"))
    return g_strdup ("0");

  return g_strdup (buffer);
}

/* The value as the person reads it: the locale's decimal mark. */
static char *
format_number_text (MhOptionRow *self)
{
  double value = gtk_adjustment_get_value (self->adjustment);
  char *text;

  if (!self->is_set)
    return g_strdup ("");

  text = g_strdup_printf ("%.*f", self->digits, round_to_digits (value, self->digits));
  trim_zeros (text, localeconv ()->decimal_point);

  return text;
}

static gboolean
parse_number (MhOptionRow *self,
              const char  *text,
              double      *value)
{
  g_autoptr(GString) str = g_string_new (text);
  const char *decimal = localeconv ()->decimal_point;
  char *end = NULL;
  double number;

  if (decimal != NULL && *decimal != '\0' && strcmp (decimal, ".") != 0)
    g_string_replace (str, decimal, ".", 0);
  g_string_replace (str, ",", ".", 0);
  g_strstrip (str->str);

  if (*str->str == '\0' || strspn (str->str, "+-0123456789.") != strlen (str->str))
    return FALSE;

  number = g_ascii_strtod (str->str, &end);
  if (end == NULL || *end != '\0' || !isfinite (number))
    return FALSE;

  *value = round_to_digits (number, self->digits);

  return TRUE;
}

static void
sync_number (MhOptionRow *self)
{
  g_autofree char *value = NULL;
  g_autofree char *text = format_number_text (self);

  if (self->is_set)
    value = format_number_value (self, gtk_adjustment_get_value (self->adjustment));

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (self->input))) != 0)
    {
      self->formatting = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->input), text);
      self->formatting = FALSE;
    }

  gtk_widget_set_visible (self->reset_button, self->is_set);
  set_value_string (self, value);
}

static int
spin_input_cb (GtkSpinButton *spin,
               double        *new_value,
               MhOptionRow   *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (spin))));
  double value;

  *new_value = gtk_adjustment_get_value (self->adjustment);

  /* An emptied field goes back to the default. */
  if (*text == '\0')
    {
      self->is_set = FALSE;
      return TRUE;
    }

  if (!parse_number (self, text, &value))
    return GTK_INPUT_ERROR;

  *new_value = value;
  self->pending_set = TRUE;

  return TRUE;
}

static gboolean
spin_output_cb (GtkSpinButton *spin,
                MhOptionRow   *self)
{
  if (self->pending_set)
    {
      self->is_set = TRUE;
      self->pending_set = FALSE;
    }

  sync_number (self);

  return TRUE;
}

/* Connected before the spin button's own handler, so a click on + or -
 * marks the value as set before the text is written. */
static void
adjustment_value_changed_cb (MhOptionRow *self)
{
  if (self->updating > 0)
    return;

  self->is_set = TRUE;
}

static void
reset_clicked_cb (MhOptionRow *self)
{
  self->is_set = FALSE;
  self->pending_set = FALSE;
  sync_number (self);

  /* The button hides itself; keep the keyboard where the person was. */
  if (gtk_widget_get_root (self->input) != NULL)
    gtk_widget_grab_focus (self->input);
}

/* Where the +/- buttons start from while the value is unset. */
static double
get_number_start (MhOptionRow *self,
                  double       lower,
                  double       upper)
{
  double value;
  char *end = NULL;

  if (self->option->default_value != NULL)
    {
      value = g_ascii_strtod (self->option->default_value, &end);
      if (end != NULL && *end == '\0')
        return CLAMP (value, lower, upper);
    }

  if (self->tool->fps_option != NULL && g_str_equal (self->tool->fps_option, self->option->key) &&
      self->tool->default_fps > 0)
    return CLAMP (self->tool->default_fps, lower, upper);

  return round_to_digits ((lower + upper) / 2, self->digits);
}

static void
build_number (MhOptionRow *self)
{
  const MhOption *option = self->option;
  GtkWidget *box;
  GtkWidget *text;
  double lower, upper, range, step;

  if (option->type == MH_OPTION_INTEGER)
    self->digits = 0;
  else
    self->digits = option->max_decimals < 0 ? 2 : option->max_decimals;

  lower = option->min <= -G_MAXDOUBLE ? -UI_MAX : option->min;
  upper = option->max >= G_MAXDOUBLE ? UI_MAX : option->max;
  if (option->min_exclusive)
    lower += pow (10, -self->digits);

  /* A tenth of the order of magnitude of the range: 0.1 for 0-2, 1 for 1-60. */
  range = upper - lower;
  step = range > 0 ? pow (10, floor (log10 (range)) - 1) : 1;
  step = MAX (step, pow (10, -self->digits));

  self->adjustment = gtk_adjustment_new (get_number_start (self, lower, upper),
                                         lower, upper, step, step * 10, 0);
  g_signal_connect_object (self->adjustment, "value-changed",
                           G_CALLBACK (adjustment_value_changed_cb), self, G_CONNECT_SWAPPED);

  self->input = gtk_spin_button_new (self->adjustment, step, self->digits);
  gtk_widget_set_valign (self->input, GTK_ALIGN_CENTER);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->input), 6);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (self->input), FALSE);
  g_signal_connect_object (self->input, "input", G_CALLBACK (spin_input_cb), self, 0);
  g_signal_connect_object (self->input, "output", G_CALLBACK (spin_output_cb), self, 0);

  text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (self->input)));
  if (GTK_IS_TEXT (text))
    gtk_text_set_placeholder_text (GTK_TEXT (text), _("Default"));

  self->reset_button = gtk_button_new_from_icon_name ("edit-undo-symbolic");
  gtk_widget_set_valign (self->reset_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->reset_button, _("Use the default"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reset_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Use the default"),
                                  -1);
  gtk_widget_add_css_class (self->reset_button, "flat");
  g_signal_connect_object (self->reset_button, "clicked",
                           G_CALLBACK (reset_clicked_cb), self, G_CONNECT_SWAPPED);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (box), self->reset_button);
  gtk_box_append (GTK_BOX (box), self->input);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), box);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), self->input);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), translate (option->description));
  sync_number (self);
}

static void
set_number_value (MhOptionRow *self,
                  const char  *value)
{
  double number;

  if (value == NULL || *value == '\0')
    {
      self->is_set = FALSE;
    }
  else if (parse_number (self, value, &number))
    {
      self->updating++;
      gtk_adjustment_set_value (self->adjustment, number);
      self->updating--;
      self->is_set = TRUE;
    }
  else
    {
      g_warning ("“%s” is not a number for option “%s”", value, self->option->key);
      return;
    }

  self->pending_set = FALSE;
  sync_number (self);
}

/* ---- Text --------------------------------------------------------------- */

static void
entry_changed_cb (MhOptionRow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->input));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  set_value_string (self, *stripped == '\0' ? NULL : text);
}

static void
build_string (MhOptionRow *self)
{
  self->input = gtk_entry_new ();
  gtk_widget_set_valign (self->input, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (self->input, TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->input), 8);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->input),
                                  self->option->required ? _("Required") : _("Optional"));
  g_signal_connect_object (self->input, "changed",
                           G_CALLBACK (entry_changed_cb), self, G_CONNECT_SWAPPED);

  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->input);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), self->input);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), translate (self->option->description));
}

/* ---- The row ------------------------------------------------------------ */

static void
mh_option_row_constructed (GObject *object)
{
  MhOptionRow *self = MH_OPTION_ROW (object);

  G_OBJECT_CLASS (mh_option_row_parent_class)->constructed (object);

  if (self->tool_id != NULL)
    self->tool = mh_tool_lookup (self->tool_id);
  if (self->tool != NULL && self->option_key != NULL)
    self->option = mh_tool_find_option (self->tool, self->option_key);

  if (self->option == NULL)
    {
      g_critical ("No option “%s” in tool “%s”", self->option_key, self->tool_id);
      return;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), translate (self->option->label));

  switch (self->option->type)
    {
    case MH_OPTION_CHOICE:
      build_choice (self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->input);
      break;

    case MH_OPTION_NUMBER:
    case MH_OPTION_INTEGER:
      build_number (self);
      break;

    case MH_OPTION_STRING:
      build_string (self);
      break;

    default:
      g_assert_not_reached ();
    }

  /* An activatable row ties its input to its title (labelled-by): a label
   * on top would be read twice ("Name Name"). */
  if (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (self)) != self->input)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->input),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, translate (self->option->label),
                                    -1);
  if (self->option->description != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->input),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, translate (self->option->description),
                                    -1);
}

static void
mh_option_row_finalize (GObject *object)
{
  MhOptionRow *self = MH_OPTION_ROW (object);

  g_clear_pointer (&self->tool_id, g_free);
  g_clear_pointer (&self->option_key, g_free);
  g_clear_pointer (&self->offered, g_ptr_array_unref);
  g_clear_pointer (&self->value, g_free);
  g_clear_pointer (&self->plan, g_free);
  g_clear_pointer (&self->default_description, g_free);

  G_OBJECT_CLASS (mh_option_row_parent_class)->finalize (object);
}

static void
mh_option_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MhOptionRow *self = MH_OPTION_ROW (object);

  switch (prop_id)
    {
    case PROP_TOOL_ID:
      g_value_set_string (value, self->tool_id);
      break;

    case PROP_OPTION_KEY:
      g_value_set_string (value, self->option_key);
      break;

    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;

    case PROP_PLAN:
      g_value_set_string (value, self->plan);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_option_row_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MhOptionRow *self = MH_OPTION_ROW (object);

  switch (prop_id)
    {
    case PROP_TOOL_ID:
      self->tool_id = g_value_dup_string (value);
      break;

    case PROP_OPTION_KEY:
      self->option_key = g_value_dup_string (value);
      break;

    case PROP_VALUE:
      mh_option_row_set_value (self, g_value_get_string (value));
      break;

    case PROP_PLAN:
      mh_option_row_set_plan (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Up and Down from a field go to the field of the row above or below, as
 * they go from row to row in a list: the row itself takes no focus (see
 * mh_option_row_init()). At the first or last row, the list's own keys
 * take over. */
static gboolean
move_to_row_cb (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  gboolean down = g_variant_get_boolean (args);
  GtkWidget *row = widget;

  do
    row = down ? gtk_widget_get_next_sibling (row) : gtk_widget_get_prev_sibling (row);
  while (row != NULL && !gtk_widget_get_visible (row));

  if (row == NULL)
    return GDK_EVENT_PROPAGATE;
  if (MH_IS_OPTION_ROW (row) && MH_OPTION_ROW (row)->input != NULL)
    return gtk_widget_grab_focus (MH_OPTION_ROW (row)->input);
  return gtk_widget_child_focus (row, GTK_DIR_TAB_FORWARD);
}

static void
mh_option_row_class_init (MhOptionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mh_option_row_constructed;
  object_class->finalize = mh_option_row_finalize;
  object_class->get_property = mh_option_row_get_property;
  object_class->set_property = mh_option_row_set_property;

  properties[PROP_TOOL_ID] =
    g_param_spec_string ("tool-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_OPTION_KEY] =
    g_param_spec_string ("option-key", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PLAN] =
    g_param_spec_string ("plan", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Down, 0, move_to_row_cb, "b", TRUE);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Down, 0, move_to_row_cb, "b", TRUE);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Up, 0, move_to_row_cb, "b", FALSE);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Up, 0, move_to_row_cb, "b", FALSE);
}

static void
mh_option_row_init (MhOptionRow *self)
{
  /* Descriptions may hold '&' or '<'; they are text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  /* Tab goes straight to the field. A row that takes the focus first
   * drops what is typed on it, until the space activates the row, which
   * moves the focus to the field: "studio light" became "light". A click
   * on the row still goes to its field. */
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
}

GtkWidget *
mh_option_row_new (const char *tool_id,
                   const char *option_key)
{
  g_return_val_if_fail (tool_id != NULL, NULL);
  g_return_val_if_fail (option_key != NULL, NULL);

  return g_object_new (MH_TYPE_OPTION_ROW,
                       "tool-id", tool_id,
                       "option-key", option_key,
                       NULL);
}

const MhOption *
mh_option_row_get_option (MhOptionRow *self)
{
  g_return_val_if_fail (MH_IS_OPTION_ROW (self), NULL);

  return self->option;
}

const char *
mh_option_row_get_value (MhOptionRow *self)
{
  g_return_val_if_fail (MH_IS_OPTION_ROW (self), NULL);

  return self->value;
}

/* A choice takes any name the table accepts (aliases select the choice
 * they stand for) and NULL for the default; a number takes "1.25" (C locale
 * or the person's) and NULL for unset; text takes anything. */
void
mh_option_row_set_value (MhOptionRow *self,
                         const char  *value)
{
  g_return_if_fail (MH_IS_OPTION_ROW (self));
  g_return_if_fail (self->option != NULL);

  switch (self->option->type)
    {
    case MH_OPTION_CHOICE:
      set_choice_value (self, value);
      break;

    case MH_OPTION_NUMBER:
    case MH_OPTION_INTEGER:
      set_number_value (self, value);
      break;

    case MH_OPTION_STRING:
      gtk_editable_set_text (GTK_EDITABLE (self->input), value != NULL ? value : "");
      break;

    default:
      g_assert_not_reached ();
    }
}

/* What the server does when a choice is left at "Default" (it may depend
 * on another option: the form tells it whenever the inputs change). */
void
mh_option_row_set_default_description (MhOptionRow *self,
                                       const char  *description)
{
  g_return_if_fail (MH_IS_OPTION_ROW (self));

  if (g_strcmp0 (self->default_description, description) == 0)
    return;

  g_free (self->default_description);
  self->default_description = g_strdup (description);
  if (self->option->type == MH_OPTION_CHOICE && get_selected_choice (self) == &server_default)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), description);
}

/* The drop-down, spin button or entry: for tests and for focusing the
 * option a validation message names. */
GtkWidget *
mh_option_row_get_input_widget (MhOptionRow *self)
{
  g_return_val_if_fail (MH_IS_OPTION_ROW (self), NULL);

  return self->input;
}

/* ---- Plans -------------------------------------------------------------- */

static gboolean
mh_option_row_choice_allowed (MhOptionRow    *self,
                              const MhChoice *choice)
{
  return self->plan == NULL || choice == NULL || choice->min_plan == NULL ||
         mh_plan_allows (self->plan, choice->min_plan);
}

void
mh_option_row_set_plan (MhOptionRow *self,
                        const char  *tier)
{
  g_return_if_fail (MH_IS_OPTION_ROW (self));

  if (g_strcmp0 (self->plan, tier) == 0)
    return;
  g_free (self->plan);
  self->plan = g_strdup (tier);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAN]);
}

gboolean
mh_option_row_is_choice_allowed (MhOptionRow *self,
                                 const char  *name)
{
  g_return_val_if_fail (MH_IS_OPTION_ROW (self), FALSE);

  if (self->option->type != MH_OPTION_CHOICE)
    return TRUE;
  return mh_option_row_choice_allowed (self, mh_option_resolve_choice (self->option, name));
}
