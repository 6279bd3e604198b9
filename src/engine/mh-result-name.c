/* mh-result-name.c: the file name a job's result is saved under
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mh-download.h"
#include "mh-params.h"
#include "mh-result-name.h"

/* Room left in a name for "-12" and " (9999)" after the stem, within the
 * 200 bytes of mh_safe_file_name(). */
#define MAX_STEM_BYTES 170

/* The last segment of a link's path, decoded, without its query. */
static char *
url_basename (const char *value)
{
  g_autoptr(GUri) uri = g_uri_parse (value, G_URI_FLAGS_ENCODED_PATH, NULL);
  const char *path, *slash;

  if (uri == NULL)
    return NULL;
  path = g_uri_get_path (uri);
  slash = strrchr (path, '/');
  return g_uri_unescape_string (slash != NULL ? slash + 1 : path, NULL);
}

char *
mh_result_input_stem (const MhTool *tool,
                      GHashTable   *params)
{
  g_return_val_if_fail (tool != NULL, NULL);

  for (guint i = 0; params != NULL && i < tool->n_slots; i++)
    {
      const MhAssetSlot *slot = &tool->slots[i];
      const char *value = mh_params_get (params, slot->key);
      const char *input_name = mh_params_get_input_name (params, slot->key);
      g_autofree char *base = NULL;
      char *dot;

      /* A YouTube link names a page, not a file. */
      if (value == NULL || slot->url_only)
        continue;
      if (input_name != NULL && *input_name != '\0' && g_utf8_validate (input_name, -1, NULL))
        return g_strdup (input_name);

      switch (mh_asset_value_classify (value))
        {
        case MH_ASSET_VALUE_FILE:
          {
            g_autoptr(GFile) file = mh_asset_value_get_file (value);

            base = file != NULL ? g_file_get_basename (file) : NULL;
          }
          break;
        case MH_ASSET_VALUE_URL:
          base = url_basename (value);
          break;
        case MH_ASSET_VALUE_API_PATH:
        case MH_ASSET_VALUE_SAVED_ITEM:
        default:
          base = g_path_get_basename (value);
          break;
        }

      if (base == NULL || *base == '\0' || g_str_equal (base, "/") || g_str_equal (base, "."))
        continue;
      dot = strrchr (base, '.');
      if (dot != NULL && dot != base)
        *dot = '\0';
      if (*base != '\0' && g_utf8_validate (base, -1, NULL))
        return g_steal_pointer (&base);
    }

  return NULL;
}

/* ".mp4" from a safe name when it is a plain extension, else NULL. */
static const char *
plain_extension (const char *name)
{
  const char *dot = name != NULL ? strrchr (name, '.') : NULL;
  gsize len;

  if (dot == NULL || dot == name)
    return NULL;
  len = strlen (dot + 1);
  if (len == 0 || len > 5)
    return NULL;
  for (const char *p = dot + 1; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return NULL;
  return dot;
}

/* @stem cut to MAX_STEM_BYTES on a character boundary, without a trailing
 * @ext the person may have typed ("Holiday.mp4"). */
static void
trim_stem (GString    *stem,
           const char *ext)
{
  if (stem->len > strlen (ext) && g_ascii_strcasecmp (stem->str + stem->len - strlen (ext), ext) == 0)
    g_string_truncate (stem, stem->len - strlen (ext));
  if (stem->len > MAX_STEM_BYTES)
    {
      const char *end = g_utf8_find_prev_char (stem->str, stem->str + MAX_STEM_BYTES);

      g_string_truncate (stem, end - stem->str);
    }
  while (stem->len > 0 && (stem->str[stem->len - 1] == ' ' || stem->str[stem->len - 1] == '.'))
    g_string_truncate (stem, stem->len - 1);
}

static void
string_free (GString *string)
{
  g_string_free (string, TRUE);
}

/* @text made safe and trimmed for @ext; NULL when nothing is left. */
static GString *
safe_stem (const char *text,
           const char *ext)
{
  g_autofree char *safe = mh_safe_file_name (text);
  GString *stem;

  if (safe == NULL)
    return NULL;
  stem = g_string_new (safe);
  trim_stem (stem, ext);
  if (stem->len == 0)
    {
      string_free (stem);
      return NULL;
    }
  return stem;
}

char *
mh_result_name (const MhTool *tool,
                GHashTable   *params,
                const char   *url,
                const char   *project_id,
                guint         index,
                guint         n_results)
{
  g_autofree char *tool_ext = NULL;
  g_autofree char *from_url = NULL;
  g_autofree char *ext = NULL;
  GString *stem = NULL;

  g_return_val_if_fail (tool != NULL, NULL);

  tool_ext = g_strconcat (".", tool->output_extension, NULL);
  if (url != NULL)
    {
      /* Never a safe name itself (a leading "-" is dropped): tells "no name". */
      g_autofree char *none = g_strconcat ("-", tool_ext, NULL);

      from_url = mh_download_safe_name (url, none);
      if (g_strcmp0 (from_url, none) == 0)
        g_clear_pointer (&from_url, g_free);
    }
  ext = g_strdup (plain_extension (from_url) != NULL ? plain_extension (from_url) : tool_ext);

  /* 1. The person's name. */
  if (params != NULL)
    stem = safe_stem (mh_params_get (params, "name"), ext);

  /* 2. The input's name and the tool. */
  if (stem == NULL)
    {
      g_autofree char *input = mh_result_input_stem (tool, params);

      stem = safe_stem (input, ext);
      if (stem != NULL)
        g_string_append_printf (stem, "-%s", tool->id);
    }

  /* 3. The link's name. */
  if (stem == NULL && from_url != NULL)
    {
      if (plain_extension (from_url) != NULL)
        *strrchr (from_url, '.') = '\0';
      stem = safe_stem (from_url, ext);
    }

  /* 4. The project's. */
  if (stem == NULL)
    {
      stem = g_string_new (NULL);
      g_string_printf (stem, "magic-hour-%s", project_id != NULL ? project_id : "result");
    }

  if (n_results > 1)
    g_string_append_printf (stem, "-%u", index + 1);
  g_string_append (stem, ext);

  return g_string_free (stem, FALSE);
}
