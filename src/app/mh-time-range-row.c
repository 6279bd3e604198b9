/* mh-time-range-row.c: the part of the clip to use, start and end
 *
 * The two spin buttons are the truth for the committed values. While the
 * person is still typing, the text that already reads as a time is judged
 * too ("live" values), so the reason a range cannot be used shows up before
 * they leave the field; the properties only change when the spin button
 * commits (Enter, focus leaving, the +/- buttons).
 *
 * What the person typed is never changed behind their back: bounds that
 * move (a shorter maximum for another style, a new start) never clamp a
 * value already there, they only say what is wrong. The one exception is the
 * range this row chose itself (the whole clip, once the duration is known),
 * which follows the maximum until the person edits it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "mh-time-range-row.h"
#include "mh-validate.h"

/* The upper bound while the media's length is unknown: ten hours. */
#define MAX_SECONDS (10 * 60 * 60.0)

struct _MhTimeRangeRow
{
  AdwActionRow    parent_instance;

  GtkSpinButton  *start_spin;
  GtkSpinButton  *end_spin;
  GtkAdjustment  *start_adjustment;
  GtkAdjustment  *end_adjustment;
  GtkWidget      *subtitle_label; /* AdwActionRow's own */

  double          duration;
  double          max_clip;
  char           *error;

  double          live_start;
  double          live_end;

  guint           setting;        /* > 0 while this row moves the values itself */
  guint           formatting : 1; /* the output handler is writing the text */
  guint           has_live_start : 1;
  guint           has_live_end : 1;
  guint           has_end : 1;    /* an end was given: by default, by code or by hand */
  guint           untouched : 1;  /* the range is still the default this row chose */
};

G_DEFINE_FINAL_TYPE (MhTimeRangeRow, mh_time_range_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_START,
  PROP_END,
  PROP_DURATION,
  PROP_MAX_CLIP,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* "1:05.3", "65.3", "65,3", "1:05", "65 s", "2:00:00.0" (past an hour, as
 * mh_format_time() shows it): hours and minutes are optional; the decimal
 * mark may be '.', ',' or the locale's. Rounded to tenths, as shown. */
static gboolean
parse_time (const char *text,
            double     *seconds)
{
  g_autoptr(GString) str = g_string_new (text);
  g_auto(GStrv) parts = NULL;
  const char *decimal = localeconv ()->decimal_point;
  const char *secs;
  char *end = NULL;
  guint64 hours = 0, minutes = 0;
  guint n_parts;
  double value;

  if (decimal != NULL && *decimal != '\0' && strcmp (decimal, ".") != 0)
    g_string_replace (str, decimal, ".", 0);
  g_string_replace (str, ",", ".", 0);
  g_strstrip (str->str);
  str->len = strlen (str->str);

  if (str->len > 0 && str->str[str->len - 1] == 's')
    {
      g_string_truncate (str, str->len - 1);
      g_strchomp (str->str);
      str->len = strlen (str->str);
    }

  if (str->len == 0)
    return FALSE;

  parts = g_strsplit (str->str, ":", -1);
  n_parts = g_strv_length (parts);
  if (n_parts > 3)
    return FALSE;

  if (n_parts == 3)
    {
      /* h:mm:ss: minutes below an hour. */
      if (!g_ascii_string_to_unsigned (parts[0], 10, 0, 100, &hours, NULL) ||
          !g_ascii_string_to_unsigned (parts[1], 10, 0, 59, &minutes, NULL))
        return FALSE;
    }
  else if (n_parts == 2)
    {
      if (!g_ascii_string_to_unsigned (parts[0], 10, 0, 6000, &minutes, NULL))
        return FALSE;
    }
  secs = parts[n_parts - 1];

  /* Only digits and one point: g_ascii_strtod would also take "inf", "-1",
   * "0x10" and "1e3". */
  if (*secs == '\0' || strspn (secs, "0123456789.") != strlen (secs) ||
      strchr (secs, '.') != strrchr (secs, '.') || g_str_equal (secs, "."))
    return FALSE;

  value = g_ascii_strtod (secs, &end);
  if (end == NULL || *end != '\0' || !isfinite (value))
    return FALSE;

  *seconds = round ((hours * 3600 + minutes * 60 + value) * 10) / 10;

  return TRUE;
}

/* AdwActionRow 1.2 has no API for its subtitle label; it is the label with
 * the "subtitle" style class in the row's header. */
static GtkWidget *
find_subtitle_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "subtitle"))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      /* Not inside the suffix. */
      if (GTK_IS_GRID (child))
        continue;
      found = find_subtitle_label (child);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static double
get_effective_start (MhTimeRangeRow *self)
{
  if (self->has_live_start)
    return self->live_start;

  return gtk_adjustment_get_value (self->start_adjustment);
}

static double
get_effective_end (MhTimeRangeRow *self)
{
  if (self->has_live_end)
    return self->live_end;

  return gtk_adjustment_get_value (self->end_adjustment);
}

/* Hard bounds come from the media; the maximum clip length only bounds the
 * end from above when that does not cut a value already there. */
static void
update_bounds (MhTimeRangeRow *self)
{
  double start = gtk_adjustment_get_value (self->start_adjustment);
  double end = gtk_adjustment_get_value (self->end_adjustment);
  double hard = self->duration >= 0 ? self->duration : MAX_SECONDS;
  double soft = hard;

  if (self->max_clip > 0)
    soft = MIN (hard, start + self->max_clip);

  gtk_adjustment_set_upper (self->start_adjustment,
                            self->duration >= 0 ? MAX (0, self->duration - 0.1) : MAX_SECONDS);
  gtk_adjustment_set_upper (self->end_adjustment, MAX (soft, end));
}

/* Returns the reason the range cannot be used, or NULL; *bad_spin is the
 * field at fault, or NULL when the reason is only that nothing was given yet
 * (no red for that). */
static char *
compute_error (MhTimeRangeRow  *self,
               double           start,
               double           end,
               GtkSpinButton  **bad_spin)
{
  *bad_spin = self->end_spin;

  if (!self->has_end && !self->has_live_end)
    {
      *bad_spin = NULL;
      return g_strdup (_("Set where the clip ends."));
    }

  if (self->duration >= 0 && (start >= self->duration || end > self->duration + 0.05))
    {
      g_autofree char *d = mh_format_time (self->duration);

      if (start >= self->duration)
        *bad_spin = self->start_spin;
      return g_strdup_printf (_("The file is only %s long."), d);
    }

  if (end <= start)
    return g_strdup (_("The end must be after the start."));

  if (self->max_clip > 0 && end - start > self->max_clip + 1e-9)
    {
      g_autofree char *len = mh_format_time (end - start);
      g_autofree char *max = mh_format_time (self->max_clip);

      return g_strdup_printf (_("The clip is %s long; at most %s is allowed in this style. Shorten it."),
                              len, max);
    }

  return NULL;
}

static char *
describe_range (MhTimeRangeRow *self,
                double          start,
                double          end)
{
  g_autofree char *len = mh_format_time (end - start);

  if (self->duration >= 0)
    {
      g_autofree char *of = mh_format_time (self->duration);

      /* Say why the default stops short of the end of the file. */
      if (self->max_clip > 0 && self->max_clip < self->duration)
        {
          g_autofree char *max = mh_format_time (self->max_clip);

          /* Translators: "Uses 0:45.0 of 1:00.0; at most 0:45.0 in this style" */
          return g_strdup_printf (_("Uses %s of %s; at most %s in this style"), len, of, max);
        }

      /* Translators: "Uses 0:02.5 of 0:12.0": the clip's length, the file's */
      return g_strdup_printf (_("Uses %s of %s"), len, of);
    }

  if (self->max_clip > 0)
    {
      g_autofree char *max = mh_format_time (self->max_clip);

      return g_strdup_printf (_("The clip is %s long; at most %s in this style"), len, max);
    }

  return g_strdup_printf (_("The clip is %s long"), len);
}

static void
update_state (MhTimeRangeRow *self)
{
  double start = get_effective_start (self);
  double end = get_effective_end (self);
  g_autofree char *error = NULL;
  g_autofree char *subtitle = NULL;
  GtkSpinButton *bad_spin = NULL;

  error = compute_error (self, start, end, &bad_spin);

  if (error != NULL)
    subtitle = g_strdup (error);
  else
    subtitle = describe_range (self, start, end);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  /* Only the sentence and the field at fault turn red, not the whole row. */
  if (self->subtitle_label != NULL)
    {
      if (error != NULL && bad_spin != NULL)
        gtk_widget_add_css_class (self->subtitle_label, "error");
      else
        gtk_widget_remove_css_class (self->subtitle_label, "error");
    }

  if (bad_spin == self->start_spin)
    gtk_widget_add_css_class (GTK_WIDGET (self->start_spin), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->start_spin), "error");

  if (bad_spin == self->end_spin && error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->end_spin), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->end_spin), "error");

  if (g_strcmp0 (error, self->error) != 0)
    {
      g_free (self->error);
      self->error = g_steal_pointer (&error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
}

/* Moves both values without marking the range as edited by hand. */
static void
set_range_internal (MhTimeRangeRow *self,
                    double          start,
                    double          end)
{
  self->setting++;

  update_bounds (self);
  gtk_adjustment_set_value (self->start_adjustment, start);
  /* Open the end's bound first so the new value is cut only by the media. */
  gtk_adjustment_set_upper (self->end_adjustment,
                            self->duration >= 0 ? self->duration : MAX_SECONDS);
  gtk_adjustment_set_value (self->end_adjustment, end);
  update_bounds (self);

  self->setting--;

  self->has_end = TRUE;
  self->has_live_start = FALSE;
  self->has_live_end = FALSE;
}

static void
apply_default_range (MhTimeRangeRow *self)
{
  double end = self->duration;

  if (self->max_clip > 0)
    end = MIN (end, self->max_clip);

  set_range_internal (self, 0, end);
  self->untouched = TRUE;
}

static void
adjustment_value_changed_cb (MhTimeRangeRow *self,
                             GtkAdjustment  *adjustment)
{
  if (self->setting > 0)
    return;

  self->untouched = FALSE;
  if (adjustment == self->end_adjustment)
    self->has_end = TRUE;

  update_bounds (self);
  update_state (self);

  g_object_notify_by_pspec (G_OBJECT (self),
                            adjustment == self->start_adjustment ? properties[PROP_START]
                                                                 : properties[PROP_END]);
}

static int
spin_input_cb (GtkSpinButton  *spin,
               double         *new_value,
               MhTimeRangeRow *self)
{
  double value;

  if (!parse_time (gtk_editable_get_text (GTK_EDITABLE (spin)), &value))
    {
      /* Keep the value; the output handler puts its text back. */
      *new_value = gtk_spin_button_get_value (spin);
      return GTK_INPUT_ERROR;
    }

  /* Typing the same end as before still counts as giving one. */
  if (spin == self->end_spin && !self->has_end)
    {
      self->has_end = TRUE;
      self->untouched = FALSE;
    }

  *new_value = value;

  return TRUE;
}

static gboolean
spin_output_cb (GtkSpinButton  *spin,
                MhTimeRangeRow *self)
{
  g_autofree char *text = mh_format_time (gtk_spin_button_get_value (spin));
  gboolean had_live;

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    {
      self->formatting = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (spin), text);
      self->formatting = FALSE;
    }

  if (spin == self->start_spin)
    {
      had_live = self->has_live_start;
      self->has_live_start = FALSE;
    }
  else
    {
      had_live = self->has_live_end;
      self->has_live_end = FALSE;
    }

  /* The template's spin buttons format once before the row is ready. */
  if (had_live && self->start_adjustment != NULL)
    update_state (self);

  return TRUE;
}

/* Judges the text as it is typed; text that does not read as a time yet
 * ("1:") leaves the last message in place. */
static void
spin_text_changed_cb (MhTimeRangeRow *self,
                      GtkEditable    *editable)
{
  double value;

  if (self->formatting || self->start_adjustment == NULL)
    return;

  if (!parse_time (gtk_editable_get_text (editable), &value))
    return;

  if (editable == GTK_EDITABLE (self->start_spin))
    {
      if (fabs (value - gtk_adjustment_get_value (self->start_adjustment)) < 0.05 && !self->has_live_start)
        return;
      self->live_start = value;
      self->has_live_start = TRUE;
    }
  else
    {
      if (fabs (value - gtk_adjustment_get_value (self->end_adjustment)) < 0.05 && !self->has_live_end && self->has_end)
        return;
      self->live_end = value;
      self->has_live_end = TRUE;
    }

  update_state (self);
}

static void
mh_time_range_row_finalize (GObject *object)
{
  MhTimeRangeRow *self = MH_TIME_RANGE_ROW (object);

  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (mh_time_range_row_parent_class)->finalize (object);
}

static void
mh_time_range_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MhTimeRangeRow *self = MH_TIME_RANGE_ROW (object);

  switch (prop_id)
    {
    case PROP_START:
      g_value_set_double (value, mh_time_range_row_get_start (self));
      break;

    case PROP_END:
      g_value_set_double (value, mh_time_range_row_get_end (self));
      break;

    case PROP_DURATION:
      g_value_set_double (value, self->duration);
      break;

    case PROP_MAX_CLIP:
      g_value_set_double (value, self->max_clip);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_time_range_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MhTimeRangeRow *self = MH_TIME_RANGE_ROW (object);

  switch (prop_id)
    {
    case PROP_START:
      mh_time_range_row_set_range (self, g_value_get_double (value),
                                   mh_time_range_row_get_end (self));
      break;

    case PROP_END:
      mh_time_range_row_set_range (self, mh_time_range_row_get_start (self),
                                   g_value_get_double (value));
      break;

    case PROP_DURATION:
      mh_time_range_row_set_duration (self, g_value_get_double (value));
      break;

    case PROP_MAX_CLIP:
      mh_time_range_row_set_max_clip (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_time_range_row_class_init (MhTimeRangeRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = mh_time_range_row_finalize;
  object_class->get_property = mh_time_range_row_get_property;
  object_class->set_property = mh_time_range_row_set_property;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mhstudio/MagicHourStudio/mh-time-range-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MhTimeRangeRow, start_spin);
  gtk_widget_class_bind_template_child (widget_class, MhTimeRangeRow, end_spin);
  gtk_widget_class_bind_template_child (widget_class, MhTimeRangeRow, start_adjustment);
  gtk_widget_class_bind_template_child (widget_class, MhTimeRangeRow, end_adjustment);
  gtk_widget_class_bind_template_callback (widget_class, adjustment_value_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, spin_input_cb);
  gtk_widget_class_bind_template_callback (widget_class, spin_output_cb);
  gtk_widget_class_bind_template_callback (widget_class, spin_text_changed_cb);

  properties[PROP_START] =
    g_param_spec_double ("start", NULL, NULL,
                         0, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_END] =
    g_param_spec_double ("end", NULL, NULL,
                         0, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_DURATION] =
    g_param_spec_double ("duration", NULL, NULL,
                         -1, G_MAXDOUBLE, -1,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MAX_CLIP] =
    g_param_spec_double ("max-clip", NULL, NULL,
                         0, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mh_time_range_row_init (MhTimeRangeRow *self)
{
  self->duration = -1;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The spin buttons wrote their first text before the output handler was
   * connected: show m:ss.s from the first frame. */
  spin_output_cb (self->start_spin, self);
  spin_output_cb (self->end_spin, self);

  self->subtitle_label = find_subtitle_label (GTK_WIDGET (self));

  update_state (self);
}

GtkWidget *
mh_time_range_row_new (void)
{
  return g_object_new (MH_TYPE_TIME_RANGE_ROW, NULL);
}

double
mh_time_range_row_get_start (MhTimeRangeRow *self)
{
  g_return_val_if_fail (MH_IS_TIME_RANGE_ROW (self), 0);

  return gtk_adjustment_get_value (self->start_adjustment);
}

double
mh_time_range_row_get_end (MhTimeRangeRow *self)
{
  g_return_val_if_fail (MH_IS_TIME_RANGE_ROW (self), 0);

  return gtk_adjustment_get_value (self->end_adjustment);
}

/* Values outside the media are cut to it; a range longer than the maximum
 * is kept and reported in "error". */
void
mh_time_range_row_set_range (MhTimeRangeRow *self,
                             double          start,
                             double          end)
{
  double old_start, old_end;

  g_return_if_fail (MH_IS_TIME_RANGE_ROW (self));

  old_start = mh_time_range_row_get_start (self);
  old_end = mh_time_range_row_get_end (self);

  g_object_freeze_notify (G_OBJECT (self));

  set_range_internal (self, start, end);
  self->untouched = FALSE;
  update_state (self);

  if (mh_time_range_row_get_start (self) != old_start)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START]);
  if (mh_time_range_row_get_end (self) != old_end)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END]);

  g_object_thaw_notify (G_OBJECT (self));
}

/* A new length (a new file) resets the range to the whole clip, cut to the
 * maximum; -1 (no file) keeps the range and lifts the bound. */
void
mh_time_range_row_set_duration (MhTimeRangeRow *self,
                                double          duration)
{
  double old_start, old_end;

  g_return_if_fail (MH_IS_TIME_RANGE_ROW (self));

  if (duration < 0 || !isfinite (duration))
    duration = -1;

  if (duration == self->duration)
    return;

  old_start = mh_time_range_row_get_start (self);
  old_end = mh_time_range_row_get_end (self);

  g_object_freeze_notify (G_OBJECT (self));

  self->duration = duration;
  if (duration >= 0)
    apply_default_range (self);
  else
    update_bounds (self);
  update_state (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
  if (mh_time_range_row_get_start (self) != old_start)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START]);
  if (mh_time_range_row_get_end (self) != old_end)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END]);

  g_object_thaw_notify (G_OBJECT (self));
}

/* Called when the style changes. The default range follows the new
 * maximum; a range the person set is left alone and judged. */
void
mh_time_range_row_set_max_clip (MhTimeRangeRow *self,
                                double          max_clip)
{
  double old_start, old_end;

  g_return_if_fail (MH_IS_TIME_RANGE_ROW (self));

  if (max_clip < 0 || !isfinite (max_clip))
    max_clip = 0;

  if (max_clip == self->max_clip)
    return;

  old_start = mh_time_range_row_get_start (self);
  old_end = mh_time_range_row_get_end (self);

  g_object_freeze_notify (G_OBJECT (self));

  self->max_clip = max_clip;
  if (self->untouched && self->duration >= 0)
    apply_default_range (self);
  else
    update_bounds (self);
  update_state (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CLIP]);
  if (mh_time_range_row_get_start (self) != old_start)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START]);
  if (mh_time_range_row_get_end (self) != old_end)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END]);

  g_object_thaw_notify (G_OBJECT (self));
}

const char *
mh_time_range_row_get_error (MhTimeRangeRow *self)
{
  g_return_val_if_fail (MH_IS_TIME_RANGE_ROW (self), NULL);

  return self->error;
}
