/* test-option-row.c: every option of every tool, as a row of the form
 *
 * Each option of the tool table becomes a row whose widget matches its
 * type and whose value goes in and out unchanged. The choices a person is
 * offered, what the subtitle says about them, numbers typed with the
 * table's decimals, and unset numbers are checked as they show.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "mh-app-resources.h"
#include "mh-option-row.h"
#include "mh-tool.h"

/* ---- What a person sees --------------------------------------------------- */

static MhOptionRow *
new_row (const char *tool_id,
         const char *key)
{
  return g_object_ref_sink (MH_OPTION_ROW (mh_option_row_new (tool_id, key)));
}

static GtkWidget *
input_of (MhOptionRow *row)
{
  GtkWidget *input = mh_option_row_get_input_widget (row);

  g_assert_nonnull (input);
  g_assert_true (gtk_widget_is_ancestor (input, GTK_WIDGET (row)));
  return input;
}

static const char *
subtitle_of (MhOptionRow *row)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

/* The labels a person can pick from, in order, joined with '|'. */
static char *
offered_labels (MhOptionRow *row)
{
  GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (input_of (row)));
  g_autoptr(GString) labels = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      g_string_append_printf (labels, "%s%s", i > 0 ? "|" : "", gtk_string_object_get_string (item));
    }

  return g_strdup (labels->str);
}

static const char *
selected_label (MhOptionRow *row)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (input_of (row)));

  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

static const char *
input_text (MhOptionRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (input_of (row)));
}

/* Types @text into the field and presses Enter (the text widget's "activate"). */
static void
enter_text (MhOptionRow *row,
            const char  *text)
{
  GtkEditable *editable = GTK_EDITABLE (input_of (row));

  gtk_editable_set_text (editable, text);
  if (GTK_IS_SPIN_BUTTON (editable))
    g_signal_emit_by_name (gtk_editable_get_delegate (editable), "activate");
}

static GtkWidget *
find_button_with_tooltip (GtkWidget  *root,
                          const char *tooltip)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_widget_get_tooltip_text (root), tooltip) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_tooltip (child, tooltip);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* ---- Every option of the table ------------------------------------------- */

static void
check_choice (MhOptionRow    *row,
              const MhOption *option)
{
  const MhChoice *initial = mh_option_resolve_choice (option, option->default_value);
  GtkWidget *input = input_of (row);
  guint n_offered = 0;

  g_assert_true (GTK_IS_DROP_DOWN (input));
  if (option->default_value == NULL)
    {
      /* The server decides: a first "Default" item leaves it unset, and
       * says what the server does as the form tells it. */
      g_assert_null (initial);
      g_assert_null (mh_option_row_get_value (row));
      g_assert_cmpstr (selected_label (row), ==, "Default");
      mh_option_row_set_default_description (row, "Default: 480p");
      g_assert_cmpstr (subtitle_of (row), ==, "Default: 480p");
      n_offered++;
    }
  else
    {
      g_assert_nonnull (initial);
      g_assert_cmpstr (mh_option_row_get_value (row), ==, initial->name);
      g_assert_cmpstr (selected_label (row), ==, initial->label);
      g_assert_cmpstr (subtitle_of (row), ==, initial->description);
    }

  for (guint i = 0; i < option->n_choices; i++)
    {
      const MhChoice *choice = &option->choices[i];
      const MhChoice *canonical = mh_option_resolve_choice (option, choice->name);

      if (choice->canonical == NULL)
        n_offered++;

      mh_option_row_set_value (row, choice->name);
      g_assert_cmpstr (mh_option_row_get_value (row), ==, canonical->name);
      g_assert_cmpstr (selected_label (row), ==, canonical->label);
      g_assert_cmpstr (subtitle_of (row), ==, canonical->description);
    }

  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (input))), ==, n_offered);

  /* NULL is the default: the table's, or the server's (unset). */
  mh_option_row_set_value (row, NULL);
  if (initial != NULL)
    g_assert_cmpstr (mh_option_row_get_value (row), ==, initial->name);
  else
    {
      g_assert_null (mh_option_row_get_value (row));
      g_assert_cmpstr (selected_label (row), ==, "Default");
      g_assert_cmpstr (subtitle_of (row), ==, "Default: 480p");
    }
}

static void
check_number (MhOptionRow    *row,
              const MhOption *option)
{
  GtkWidget *input = input_of (row);
  GtkAdjustment *adjustment;
  int digits;
  double lower, upper, value;
  g_autofree char *text = NULL;
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_assert_true (GTK_IS_SPIN_BUTTON (input));
  adjustment = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (input));
  digits = gtk_spin_button_get_digits (GTK_SPIN_BUTTON (input));
  lower = gtk_adjustment_get_lower (adjustment);
  upper = gtk_adjustment_get_upper (adjustment);

  if (option->type == MH_OPTION_INTEGER)
    g_assert_cmpint (digits, ==, 0);
  else
    g_assert_cmpint (digits, ==, option->max_decimals < 0 ? 2 : option->max_decimals);
  g_assert_cmpfloat (lower, ==, option->min);
  g_assert_cmpfloat (upper, ==, option->max >= G_MAXDOUBLE ? 100000 : option->max);

  /* Unset until someone sets it; then a value with the table's decimals. */
  g_assert_null (mh_option_row_get_value (row));
  g_assert_cmpstr (input_text (row), ==, "");

  value = lower + (upper - lower) * 0.37;
  value = round (value * pow (10, digits)) / pow (10, digits);
  if (digits > 0 && fmod (round (value * pow (10, digits)), 10) == 0)
    value += pow (10, -digits);   /* keep the last decimal significant */
  g_ascii_formatd (buffer, sizeof buffer, digits == 0 ? "%.0f" : digits == 1 ? "%.1f" : "%.2f", value);
  text = g_strdup (buffer);

  mh_option_row_set_value (row, text);
  g_assert_cmpstr (mh_option_row_get_value (row), ==, text);
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (GTK_SPIN_BUTTON (input)), value, 1e-9);

  mh_option_row_set_value (row, NULL);
  g_assert_null (mh_option_row_get_value (row));
  g_assert_cmpstr (input_text (row), ==, "");

  /* Typed, in the C locale as the engine reads it. */
  enter_text (row, text);
  g_assert_cmpstr (mh_option_row_get_value (row), ==, text);
}

static void
check_string (MhOptionRow    *row,
              const MhOption *option)
{
  GtkWidget *input = input_of (row);

  g_assert_true (GTK_IS_ENTRY (input));
  g_assert_null (mh_option_row_get_value (row));
  g_assert_cmpstr (subtitle_of (row), ==, option->description);
  g_assert_cmpstr (gtk_entry_get_placeholder_text (GTK_ENTRY (input)), ==,
                   option->required ? "Required" : "Optional");

  mh_option_row_set_value (row, "Grandma's birthday & more <3");
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "Grandma's birthday & more <3");
  g_assert_cmpstr (input_text (row), ==, "Grandma's birthday & more <3");

  mh_option_row_set_value (row, NULL);
  g_assert_null (mh_option_row_get_value (row));
  g_assert_cmpstr (input_text (row), ==, "");

  enter_text (row, "  ");
  g_assert_null (mh_option_row_get_value (row));
  enter_text (row, "A summer day");
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "A summer day");
}

static void
test_every_option (void)
{
  guint n_tools;
  const MhTool *const *tools = mh_tools (&n_tools);

  for (guint t = 0; t < n_tools; t++)
    for (guint o = 0; o < tools[t]->n_options; o++)
      {
        const MhOption *option = &tools[t]->options[o];
        MhOptionRow *row = new_row (tools[t]->id, option->key);
        guint notified = 0;

        g_test_message ("%s: %s", tools[t]->id, option->key);
        g_assert_true (mh_option_row_get_option (row) == option);
        g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, option->label);
        g_signal_connect (row, "notify::value", G_CALLBACK (count_notify_cb), &notified);

        switch (option->type)
          {
          case MH_OPTION_CHOICE:
            check_choice (row, option);
            break;
          case MH_OPTION_NUMBER:
          case MH_OPTION_INTEGER:
            check_number (row, option);
            break;
          case MH_OPTION_STRING:
            check_string (row, option);
            break;
          default:
            g_assert_not_reached ();
          }

        g_assert_cmpuint (notified, >, 0);
        g_signal_handlers_disconnect_by_func (row, count_notify_cb, &notified);
        g_assert_finalize_object (row);
      }
}

/* ---- Particular options -------------------------------------------------- */

static void
test_talking_photo_mode (void)
{
  MhOptionRow *row = new_row ("talking-photo", "mode");
  g_autofree char *labels = offered_labels (row);
  guint notified = 0;

  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Style");
  g_assert_cmpstr (labels, ==, "Realistic|Expressive");
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "realistic");
  g_assert_cmpstr (subtitle_of (row), ==, "Accurate lip sync, high fidelity; slower; 48 credits per second");

  g_signal_connect (row, "notify::value", G_CALLBACK (count_notify_cb), &notified);

  /* The person picks the second. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (input_of (row)), 1);
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "prompted");
  g_assert_cmpstr (subtitle_of (row), ==,
                   "More motion and expression, guided by a prompt; 20 credits per second");
  g_assert_cmpuint (notified, ==, 1);

  /* The names from older descriptions select what they stand for. */
  mh_option_row_set_value (row, "pro");
  g_assert_cmpstr (selected_label (row), ==, "Realistic");
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "realistic");
  g_assert_cmpuint (notified, ==, 2);
  mh_option_row_set_value (row, "expressive");
  g_assert_cmpstr (selected_label (row), ==, "Expressive");
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "prompted");
  mh_option_row_set_value (row, "STABLE");
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "realistic");
  g_assert_cmpuint (notified, ==, 4);

  /* The same again: no notification. */
  mh_option_row_set_value (row, "realistic");
  g_assert_cmpuint (notified, ==, 4);

  g_signal_handlers_disconnect_by_func (row, count_notify_cb, &notified);
  g_assert_finalize_object (row);
}

static void
test_lip_sync_mode (void)
{
  MhOptionRow *row = new_row ("lip-sync", "mode");
  g_autofree char *labels = offered_labels (row);

  g_assert_cmpstr (labels, ==, "Lite|Standard|Pro");
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "lite");
  g_assert_nonnull (strstr (subtitle_of (row), "1 credit per frame"));

  gtk_drop_down_set_selected (GTK_DROP_DOWN (input_of (row)), 1);
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "standard");
  g_assert_nonnull (strstr (subtitle_of (row), "1 credit per frame"));

  gtk_drop_down_set_selected (GTK_DROP_DOWN (input_of (row)), 2);
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "pro");
  g_assert_cmpstr (subtitle_of (row), ==,
                   "Premium fidelity with enhanced detail; 2 credits per frame; Creator plan or higher");

  mh_option_row_set_value (row, "lite");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (input_of (row))), ==, 0);

  g_assert_finalize_object (row);
}

static void
test_intensity (void)
{
  MhOptionRow *row = new_row ("talking-photo", "intensity");
  GtkWidget *reset = find_button_with_tooltip (GTK_WIDGET (row), "Use the default");
  guint notified = 0;

  g_assert_nonnull (reset);
  g_assert_cmpint (gtk_spin_button_get_digits (GTK_SPIN_BUTTON (input_of (row))), ==, 2);
  g_assert_null (mh_option_row_get_value (row));
  g_assert_false (gtk_widget_get_visible (reset));
  g_signal_connect (row, "notify::value", G_CALLBACK (count_notify_cb), &notified);

  /* Two decimals kept, never rounded to one. */
  mh_option_row_set_value (row, "1.25");
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "1.25");
  g_assert_cmpstr (input_text (row), ==, "1.25");
  g_assert_true (gtk_widget_get_visible (reset));
  g_assert_cmpuint (notified, ==, 1);

  enter_text (row, "0.5");
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "0.5");
  enter_text (row, "1,75");
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "1.75");
  enter_text (row, "1.257");
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "1.26");
  g_assert_cmpstr (input_text (row), ==, "1.26");

  /* Beyond the table's range: its edge. Not a number: as before. */
  enter_text (row, "3");
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "2");
  enter_text (row, "lots");
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "2");
  g_assert_cmpstr (input_text (row), ==, "2");

  /* The step of the +/- buttons and keys is a tenth. */
  g_signal_emit_by_name (input_of (row), "change-value", GTK_SCROLL_STEP_DOWN);
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "1.9");

  /* Back to the default: the button, or an emptied field. */
  g_signal_emit_by_name (reset, "clicked");
  g_assert_null (mh_option_row_get_value (row));
  g_assert_cmpstr (input_text (row), ==, "");
  g_assert_false (gtk_widget_get_visible (reset));

  enter_text (row, "0.8");
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "0.8");
  enter_text (row, "");
  g_assert_null (mh_option_row_get_value (row));
  g_assert_cmpstr (input_text (row), ==, "");

  /* A value equal to where the field rests still counts as set. */
  enter_text (row, "0.8");
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "0.8");

  g_signal_handlers_disconnect_by_func (row, count_notify_cb, &notified);
  g_assert_finalize_object (row);
}

static void
test_max_resolution (void)
{
  MhOptionRow *row = new_row ("talking-photo", "max-resolution");
  GtkSpinButton *spin = GTK_SPIN_BUTTON (input_of (row));

  g_assert_cmpint (gtk_spin_button_get_digits (spin), ==, 0);
  g_assert_null (mh_option_row_get_value (row));

  mh_option_row_set_value (row, "512");
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "512");
  g_assert_cmpstr (input_text (row), ==, "512");

  enter_text (row, "1080.6");
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "1081");
  enter_text (row, "10");
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "64");
  enter_text (row, "99999");
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "4096");

  g_assert_finalize_object (row);
}

static void
test_unset_numbers (void)
{
  MhOptionRow *row = new_row ("lip-sync", "max-fps");
  GtkWidget *text;

  g_assert_null (mh_option_row_get_value (row));
  g_assert_cmpstr (input_text (row), ==, "");
  text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (input_of (row))));
  g_assert_cmpstr (gtk_text_get_placeholder_text (GTK_TEXT (text)), ==, "Default");

  /* The up key starts from the tool's usual frame rate. */
  g_signal_emit_by_name (input_of (row), "change-value", GTK_SCROLL_STEP_UP);
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "31");
  g_assert_cmpstr (input_text (row), ==, "31");

  mh_option_row_set_value (row, "23.98");
  g_assert_cmpstr (mh_option_row_get_value (row), ==, "23.98");
  mh_option_row_set_value (row, NULL);
  g_assert_null (mh_option_row_get_value (row));

  g_assert_finalize_object (row);
}

static void
test_hidden_keeps_value (void)
{
  MhOptionRow *intensity = new_row ("talking-photo", "intensity");
  MhOptionRow *prompt = new_row ("talking-photo", "prompt");

  mh_option_row_set_value (intensity, "0.75");
  enter_text (prompt, "A windy beach");

  /* The form hides both when the style is Realistic. */
  gtk_widget_set_visible (GTK_WIDGET (intensity), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (prompt), FALSE);
  g_assert_cmpstr (mh_option_row_get_value (intensity), ==, "0.75");
  g_assert_cmpstr (mh_option_row_get_value (prompt), ==, "A windy beach");

  gtk_widget_set_visible (GTK_WIDGET (intensity), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (prompt), TRUE);
  g_assert_cmpstr (mh_option_row_get_value (intensity), ==, "0.75");
  g_assert_cmpstr (input_text (intensity), ==, "0.75");
  g_assert_cmpstr (input_text (prompt), ==, "A windy beach");

  g_assert_finalize_object (intensity);
  g_assert_finalize_object (prompt);
}

static void
test_value_property (void)
{
  MhOptionRow *row = new_row ("lip-sync", "max-fps");
  g_autofree char *value = NULL;
  g_autofree char *tool_id = NULL;
  g_autofree char *key = NULL;

  g_object_set (row, "value", "12.5", NULL);
  g_object_get (row, "value", &value, "tool-id", &tool_id, "option-key", &key, NULL);
  g_assert_cmpstr (value, ==, "12.5");
  g_assert_cmpstr (tool_id, ==, "lip-sync");
  g_assert_cmpstr (key, ==, "max-fps");

  g_assert_finalize_object (row);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");

  /* No session bus is needed; do not let GDBus start one for X11. */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return 77;
    }
  adw_init ();
  g_resources_register (mh_app_get_resource ());

  g_test_add_func ("/option-row/every-option", test_every_option);
  g_test_add_func ("/option-row/talking-photo-mode", test_talking_photo_mode);
  g_test_add_func ("/option-row/lip-sync-mode", test_lip_sync_mode);
  g_test_add_func ("/option-row/intensity", test_intensity);
  g_test_add_func ("/option-row/max-resolution", test_max_resolution);
  g_test_add_func ("/option-row/unset-numbers", test_unset_numbers);
  g_test_add_func ("/option-row/hidden-keeps-value", test_hidden_keeps_value);
  g_test_add_func ("/option-row/value-property", test_value_property);

  return g_test_run ();
}
