/* mh-validate.c: every rule of the tool table, checked before anything is sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "mh-error.h"
#include "mh-media.h"
#include "mh-params.h"
#include "mh-probe.h"
#include "mh-validate.h"

char *
mh_format_time (double seconds)
{
  int minutes;

  if (!isfinite (seconds) || seconds < 0)
    seconds = 0;

  /* Round to tenths first so 59.96 shows as 1:00.0, not 0:60.0. */
  seconds = round (seconds * 10) / 10;
  minutes = (int) (seconds / 60);

  /* Past an hour, hours too: two hours read 2:00:00.0, not 120:00.0. */
  if (minutes >= 60)
    return g_strdup_printf ("%d:%02d:%04.1f", minutes / 60, minutes % 60,
                            seconds - minutes * 60);

  return g_strdup_printf ("%d:%04.1f", minutes, seconds - minutes * 60);
}

char *
mh_format_size (guint64 bytes)
{
  return g_format_size (bytes);
}

static gboolean
fail (GError     **error,
      char       **bad_key,
      const char  *key,
      char        *message)
{
  g_set_error_literal (error, MH_ERROR, MH_ERROR_INVALID_INPUT, message);
  if (bad_key != NULL)
    *bad_key = g_strdup (key);
  g_free (message);
  return FALSE;
}

static char *
join_extensions (MhAssetType type)
{
  return g_strjoinv (", ", (char **) mh_asset_type_extensions (type));
}

static const char *
type_noun (MhAssetType type)
{
  switch (type)
    {
    case MH_ASSET_VIDEO: return _("a video");
    case MH_ASSET_AUDIO: return _("an audio file");
    case MH_ASSET_IMAGE: return _("an image");
    default: return "";
    }
}

static int
count_decimals (const char *text)
{
  const char *dot = strchr (text, '.');
  int n = 0;

  if (dot == NULL)
    return 0;
  for (const char *p = dot + 1; g_ascii_isdigit (*p); p++)
    n++;
  /* "1.50" has two written decimals but one significant one */
  for (const char *p = dot + n; n > 0 && *p == '0'; p--)
    n--;
  return n;
}

static gboolean
url_host_matches (const char *url,
                  const char *hosts)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_auto(GStrv) list = NULL;
  g_autofree char *host = NULL;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return FALSE;

  /* Host names are case-insensitive: "www.YouTube.com" is YouTube. */
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  list = g_strsplit (hosts, ",", -1);
  for (guint i = 0; list[i] != NULL; i++)
    if (g_ascii_strcasecmp (host, list[i]) == 0 ||
        (g_str_has_suffix (host, list[i]) &&
         strlen (host) > strlen (list[i]) &&
         host[strlen (host) - strlen (list[i]) - 1] == '.'))
      return TRUE;

  return FALSE;
}

static gboolean
validate_url (const char *value)
{
  g_autoptr(GUri) uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
  const char *scheme;

  if (uri == NULL)
    return FALSE;
  scheme = g_uri_get_scheme (uri);

  return (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0) &&
         g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

static gboolean
validate_slots (const MhTool  *tool,
                GHashTable    *params,
                char         **bad_key,
                GError       **error)
{
  for (guint i = 0; i < tool->n_slots; i++)
    {
      const MhAssetSlot *slot = &tool->slots[i];
      const char *value = mh_params_get (params, slot->key);
      const char *label = _(slot->label);

      if (slot->source_group != NULL)
        {
          guint given = 0;
          const MhAssetSlot *first = NULL;

          for (guint j = 0; j < tool->n_slots; j++)
            if (g_strcmp0 (tool->slots[j].source_group, slot->source_group) == 0)
              {
                if (first == NULL)
                  first = &tool->slots[j];
                if (mh_params_get (params, tool->slots[j].key) != NULL)
                  given++;
              }

          if (given > 1 && value != NULL && slot != first)
            return fail (error, bad_key, slot->key,
                         g_strdup_printf (_("Give either “%s” or “%s”, not both."),
                                          _(first->label), label));
          if (given == 0 && slot == first)
            return fail (error, bad_key, slot->key,
                         g_strdup_printf (_("Choose “%s”: pick a file or give a link."), label));
        }
      else if (value == NULL)
        {
          return fail (error, bad_key, slot->key,
                       g_strdup_printf (_("Choose a file for “%s”."), label));
        }

      if (value == NULL)
        continue;

      switch (mh_asset_value_classify (value))
        {
        case MH_ASSET_VALUE_URL:
          if (!validate_url (value))
            return fail (error, bad_key, slot->key,
                         g_strdup_printf (_("The link for “%s”, “%s”, is not a valid web address. Use a full http:// or https:// link."),
                                          label, value));
          if (slot->url_hosts != NULL && !url_host_matches (value, slot->url_hosts))
            return fail (error, bad_key, slot->key,
                         g_strdup_printf (_("“%s” is not a YouTube link. Use a link to youtube.com or youtu.be."),
                                          value));
          break;

        case MH_ASSET_VALUE_API_PATH:
        case MH_ASSET_VALUE_SAVED_ITEM:
        case MH_ASSET_VALUE_FILE:
          if (slot->url_only)
            return fail (error, bad_key, slot->key,
                         g_strdup_printf (_("“%s” must be a link (https://…), not a file."), label));
          {
            g_autofree char *ext = mh_path_get_extension (value);

            if (!mh_asset_type_accepts (slot->type, ext))
              {
                g_autofree char *list = join_extensions (slot->type);
                g_autofree char *base = g_path_get_basename (value);

                return fail (error, bad_key, slot->key,
                             g_strdup_printf (_("“%s” must be %s (%s); “%s” is not one."),
                                              label, type_noun (slot->type), list, base));
              }
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return TRUE;
}

static gboolean
validate_option (const MhTool    *tool,
                 const MhOption  *option,
                 GHashTable      *params,
                 char           **bad_key,
                 GError         **error)
{
  const char *value = mh_params_get (params, option->key);
  const char *label = _(option->label);
  double number;

  if (value == NULL)
    {
      if (option->required)
        return fail (error, bad_key, option->key,
                     g_strdup_printf (_("Set “%s”."), label));
      return TRUE;
    }

  if (!mh_tool_option_applies (tool, option, params))
    {
      const MhOption *dep = mh_tool_find_option (tool, option->only_with_option);
      const MhChoice *choice = mh_option_find_choice (dep, option->only_with_value);

      return fail (error, bad_key, option->key,
                   g_strdup_printf (_("“%s” only applies to the %s %s. Choose that %s or leave “%s” empty."),
                                    label, _(choice->label), _(dep->label), _(dep->label), label));
    }

  switch (option->type)
    {
    case MH_OPTION_STRING:
      if (!g_utf8_validate (value, -1, NULL))
        return fail (error, bad_key, option->key,
                     g_strdup_printf (_("“%s” is not valid text."), label));
      if (g_utf8_strlen (value, -1) > 2000)
        return fail (error, bad_key, option->key,
                     g_strdup_printf (_("“%s” is too long: keep it under 2000 characters."), label));
      return TRUE;

    case MH_OPTION_CHOICE:
      if (mh_option_find_choice (option, value) == NULL)
        {
          g_autoptr(GString) names = g_string_new (NULL);

          for (guint i = 0; i < option->n_choices; i++)
            g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", option->choices[i].name);
          return fail (error, bad_key, option->key,
                       g_strdup_printf (_("“%s” is not a choice for “%s”. Use one of: %s."),
                                        value, label, names->str));
        }
      return TRUE;

    case MH_OPTION_NUMBER:
    case MH_OPTION_INTEGER:
      if (!mh_params_get_number (params, option->key, &number))
        return fail (error, bad_key, option->key,
                     g_strdup_printf (_("“%s” must be a number; “%s” is not one."), label, value));
      if (option->type == MH_OPTION_INTEGER && number != floor (number))
        return fail (error, bad_key, option->key,
                     g_strdup_printf (_("“%s” must be a whole number."), label));
      if (option->type == MH_OPTION_NUMBER && option->max_decimals >= 0 &&
          count_decimals (value) > option->max_decimals)
        return fail (error, bad_key, option->key,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "“%s” can have at most %d decimal place.",
                                                   "“%s” can have at most %d decimal places.",
                                                   option->max_decimals),
                                      label, option->max_decimals));
      if (number < option->min || (option->min_exclusive && number == option->min))
        return fail (error, bad_key, option->key,
                     g_strdup_printf (_("“%s” must be at least %g; it is %g."),
                                      label, option->min, number));
      if (number > option->max)
        return fail (error, bad_key, option->key,
                     g_strdup_printf (_("“%s” can be at most %g; it is %g."),
                                      label, option->max, number));
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
validate_time_range (const MhTool  *tool,
                     GHashTable    *params,
                     GHashTable    *durations,
                     char         **bad_key,
                     GError       **error)
{
  double start, end, limit;

  if (!tool->has_time_range ||
      !mh_params_get_number (params, "start", &start) ||
      !mh_params_get_number (params, "end", &end))
    return TRUE;

  if (end <= start)
    {
      g_autofree char *s = mh_format_time (start);
      g_autofree char *e = mh_format_time (end);

      return fail (error, bad_key, "end",
                   g_strdup_printf (_("The end (%s) must be after the start (%s)."), e, s));
    }

  limit = mh_tool_max_clip_seconds (tool, params);
  if (limit > 0 && end - start > limit + 1e-9)
    {
      const MhOption *mode = tool->clip_option ? mh_tool_find_option (tool, tool->clip_option) : NULL;
      const MhChoice *choice = NULL;
      g_autofree char *len = mh_format_time (end - start);
      g_autofree char *max = mh_format_time (limit);

      if (mode != NULL)
        choice = mh_option_resolve_choice (mode, mh_params_get (params, mode->key) ?: mode->default_value);

      if (choice != NULL && choice->max_clip_seconds > 0)
        return fail (error, bad_key, "end",
                     g_strdup_printf (_("The clip is %s long, but the %s style allows at most %s. Shorten the time range."),
                                      len, _(choice->label), max));
      return fail (error, bad_key, "end",
                   g_strdup_printf (_("The clip is %s long, but at most %s is allowed. Shorten the time range."),
                                    len, max));
    }

  for (guint i = 0; durations != NULL && i < tool->n_slots; i++)
    {
      const MhAssetSlot *slot = &tool->slots[i];
      const double *duration;

      if (!slot->bounds_time_range)
        continue;
      duration = g_hash_table_lookup (durations, slot->key);
      if (duration == NULL || *duration <= 0)
        continue;

      /* A twentieth of a second of slack: containers round their durations. */
      if (start >= *duration)
        {
          g_autofree char *s = mh_format_time (start);
          g_autofree char *d = mh_format_time (*duration);

          return fail (error, bad_key, "start",
                       g_strdup_printf (_("The start (%s) is past the end of “%s”, which is %s long."),
                                        s, _(slot->label), d));
        }
      if (end > *duration + 0.05)
        {
          g_autofree char *e = mh_format_time (end);
          g_autofree char *d = mh_format_time (*duration);

          return fail (error, bad_key, "end",
                       g_strdup_printf (_("The end (%s) is past the end of “%s”, which is %s long. Set the end to %s or less."),
                                        e, _(slot->label), d, d));
        }
    }

  return TRUE;
}

/* The name of a slot's input (mh_params_set_input_name()): kept, not judged. */
static gboolean
is_input_name_key (const MhTool *tool,
                   const char   *key)
{
  g_autofree char *slot_key = NULL;

  return mh_params_is_input_name_key (key, &slot_key) && mh_tool_find_slot (tool, slot_key) != NULL;
}

gboolean
mh_validate_params (const MhTool  *tool,
                    GHashTable    *params,
                    GHashTable    *durations,
                    char         **bad_key,
                    GError       **error)
{
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (tool != NULL, FALSE);
  g_return_val_if_fail (params != NULL, FALSE);

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (mh_tool_find_slot (tool, key) == NULL && mh_tool_find_option (tool, key) == NULL &&
        !is_input_name_key (tool, key))
      return fail (error, bad_key, key,
                   g_strdup_printf (_("%s has no setting called “%s”."), _(tool->name), (char *) key));

  if (!validate_slots (tool, params, bad_key, error))
    return FALSE;

  for (guint i = 0; i < tool->n_options; i++)
    if (!validate_option (tool, &tool->options[i], params, bad_key, error))
      return FALSE;

  return validate_time_range (tool, params, durations, bad_key, error);
}

gboolean
mh_validate_local_file (const MhAssetSlot  *slot,
                        GFile              *file,
                        goffset            *size,
                        GCancellable       *cancellable,
                        GError            **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = g_file_get_parse_name (file);

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_ACCESS_CAN_READ,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, MH_ERROR, MH_ERROR_INVALID_INPUT,
                     _("The file “%2$s” for “%1$s” does not exist. Check the path."), _(slot->label), name);
      else
        g_set_error (error, MH_ERROR, MH_ERROR_INVALID_INPUT,
                     _("The file “%2$s” for “%1$s” cannot be read: %3$s"), _(slot->label), name,
                     local_error->message);
      return FALSE;
    }

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID_INPUT,
                   _("“%2$s”, chosen for “%1$s”, is not a regular file. Choose a file, not a folder."),
                   _(slot->label), name);
      return FALSE;
    }

  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ) &&
      !g_file_info_get_attribute_boolean (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID_INPUT,
                   _("The file “%2$s” for “%1$s” cannot be read: permission denied."), _(slot->label), name);
      return FALSE;
    }

  if (g_file_info_get_size (info) == 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID_INPUT,
                   _("The file “%2$s” for “%1$s” is empty. Choose another file."), _(slot->label), name);
      return FALSE;
    }

  if (size != NULL)
    *size = g_file_info_get_size (info);

  return TRUE;
}

gboolean
mh_validate_probe_local_file (const MhAssetSlot  *slot,
                              GFile              *file,
                              MhMediaInfo       **info,
                              GCancellable       *cancellable,
                              GError            **error)
{
  g_autoptr(MhMediaInfo) probed = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;

  if (!mh_validate_local_file (slot, file, NULL, cancellable, error))
    return FALSE;

  probed = mh_probe_file (file, cancellable, error);
  if (probed == NULL)
    return FALSE;

  path = g_file_get_path (file);
  name = path != NULL ? g_filename_display_basename (path) : g_file_get_basename (file);
  if (!mh_probe_check_slot (probed, slot, name, error))
    return FALSE;

  if (info != NULL)
    *info = g_steal_pointer (&probed);
  return TRUE;
}

typedef struct
{
  const MhTool *tool;
  GHashTable   *params;
  char         *bad_key;
  GHashTable   *media;     /* slot key -> MhMediaInfo of its local file */
} ValidateData;

static void
validate_data_free (ValidateData *data)
{
  g_hash_table_unref (data->params);
  g_hash_table_unref (data->media);
  g_free (data->bad_key);
  g_free (data);
}

/* Runs in a worker thread: the checks touch the disk. */
static void
validate_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ValidateData *data = task_data;
  g_autoptr(GHashTable) durations = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  GError *error = NULL;

  /* The cheap rules first, so the message is the same as without a disk. */
  if (!mh_validate_params (data->tool, data->params, NULL, &data->bad_key, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < data->tool->n_slots; i++)
    {
      const MhAssetSlot *slot = &data->tool->slots[i];
      const char *value = mh_params_get (data->params, slot->key);
      g_autoptr(GFile) file = NULL;
      g_autoptr(MhMediaInfo) info = NULL;
      double seconds;

      if (value == NULL || mh_asset_value_classify (value) != MH_ASSET_VALUE_FILE)
        continue;

      /* Its content, not its extension: a text renamed .mp4 or a WAV
       * with no samples stops here, before a byte is sent. */
      file = mh_asset_value_get_file (value);
      if (!mh_validate_probe_local_file (slot, file, &info, cancellable, &error))
        {
          data->bad_key = g_strdup (slot->key);
          g_task_return_error (task, error);
          return;
        }

      /* The probe's duration bounds the range; a container the
       * discoverer gives no length for may still say it in its header. */
      seconds = info->duration;
      if (slot->bounds_time_range && seconds <= 0 &&
          !mh_media_read_duration (file, &seconds, cancellable, NULL))
        seconds = 0;
      if (slot->bounds_time_range && seconds > 0)
        {
          double *copy = g_new (double, 1);

          *copy = seconds;
          g_hash_table_insert (durations, (gpointer) slot->key, copy);
        }
      g_hash_table_insert (data->media, (gpointer) slot->key, g_steal_pointer (&info));
    }

  if (!mh_validate_params (data->tool, data->params, durations, &data->bad_key, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
mh_validate_async (const MhTool        *tool,
                   GHashTable          *params,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ValidateData *data = g_new0 (ValidateData, 1);

  data->tool = tool;
  data->params = mh_params_copy (params);
  data->media = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) mh_media_info_free);
  g_task_set_source_tag (task, mh_validate_async);
  g_task_set_task_data (task, data, (GDestroyNotify) validate_data_free);
  g_task_run_in_thread (task, validate_thread);
}

gboolean
mh_validate_finish (GAsyncResult  *result,
                    char         **bad_key,
                    GError       **error)
{
  ValidateData *data = g_task_get_task_data (G_TASK (result));

  if (bad_key != NULL)
    *bad_key = g_strdup (data->bad_key);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const MhMediaInfo *
mh_validate_get_media (GAsyncResult *result,
                       const char   *slot_key)
{
  ValidateData *data = g_task_get_task_data (G_TASK (result));

  return g_hash_table_lookup (data->media, slot_key);
}
