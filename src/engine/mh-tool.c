/* mh-tool.c: the one table that describes each Magic Hour tool
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mh-tool.h"

/* The API's accepted extensions (CONTRACT.md, section 1). */
static const char *const video_extensions[] = { "mp4", "m4v", "mov", "webm", NULL };
static const char *const audio_extensions[] = {
  "mp3", "wav", "aac", "flac", "webm", "weba", "m4a", "opus", "ogg", "oga", "aiff", "amr", NULL
};
static const char *const image_extensions[] = {
  "png", "jpg", "jpeg", "jfif", "heic", "heif", "webp", "avif", "jp2", "tiff", "tif", "bmp", NULL
};

/* ------------------------------------------------------------------------ */
/* AI Talking Photo                                                         */

/* The two modes offered; the seeds' and the 2026 description's other names
 * are aliases. What goes on the wire is the `wire` column of the two offered
 * rows: changing it is a one-line change. Clip limits: the 2026 description
 * (realistic 180 s, prompted 45 s) supersedes the seeds' 60 s. */
static const MhChoice talking_photo_modes[] = {
  { "realistic", NULL, "realistic", N_("Realistic"),
    N_("Keeps the likeness, accurate lip sync, high fidelity; slower"), 180, 0 },
  { "prompted", NULL, "prompted", N_("Expressive"),
    N_("More motion and expression, guided by an optional prompt; may show artifacts"), 45, 0 },
  { "pro", "realistic", NULL, NULL, NULL, 0, 0 },
  { "stable", "realistic", NULL, NULL, NULL, 0, 0 },
  { "expressive", "prompted", NULL, NULL, NULL, 0, 0 },
  { "standard", "prompted", NULL, NULL, NULL, 0, 0 },
};

static const MhAssetSlot talking_photo_slots[] = {
  { "image", "assets.image_file_path", MH_ASSET_IMAGE, N_("Photo"),
    N_("A photo with one clearly visible face"), FALSE, NULL, FALSE, NULL, NULL, NULL },
  { "audio", "assets.audio_file_path", MH_ASSET_AUDIO, N_("Speech"),
    N_("The voice the photo will speak"), FALSE, NULL, TRUE, NULL, NULL, NULL },
};

static const MhOption talking_photo_options[] = {
  { "start", "start_seconds", MH_OPTION_NUMBER, N_("Start"),
    N_("Where the clip starts in the audio, in seconds"), TRUE, 0, G_MAXDOUBLE, FALSE, -1 },
  { "end", "end_seconds", MH_OPTION_NUMBER, N_("End"),
    N_("Where the clip ends in the audio, in seconds"), TRUE, 0.1, G_MAXDOUBLE, FALSE, -1 },
  { "mode", "style.generation_mode", MH_OPTION_CHOICE, N_("Style"),
    N_("How the photo moves"), FALSE, 0, 0, FALSE, -1,
    talking_photo_modes, G_N_ELEMENTS (talking_photo_modes), "realistic" },
  { "intensity", "style.intensity", MH_OPTION_NUMBER, N_("Intensity"),
    N_("Lower is steadier, higher moves more but may distort"), FALSE, 0, 2, FALSE, 2,
    NULL, 0, NULL, "mode", "prompted" },
  { "prompt", "style.prompt", MH_OPTION_STRING, N_("Prompt"),
    N_("Describe the scene or the mood"), FALSE, 0, 0, FALSE, -1,
    NULL, 0, NULL, "mode", "prompted" },
  { "max-resolution", "max_resolution", MH_OPTION_INTEGER, N_("Maximum resolution"),
    N_("Caps the longer side of the video, in pixels; your plan may cap it lower"),
    FALSE, 64, 4096, FALSE, 0 },
  { "name", "name", MH_OPTION_STRING, N_("Name"),
    N_("To find the result again in your Magic Hour library"), FALSE, 0, 0, FALSE, -1 },
};

/* ------------------------------------------------------------------------ */
/* Lip Sync                                                                 */

static const MhChoice lip_sync_modes[] = {
  { "lite", NULL, "lite", N_("Lite"),
    N_("Fast and affordable, for simple videos; 1 credit per frame"), 0, 1 },
  { "standard", NULL, "standard", N_("Standard"),
    N_("Natural, accurate lip sync; 1 credit per frame; paid plans"), 0, 1 },
  { "pro", NULL, "pro", N_("Pro"),
    N_("Premium fidelity with enhanced detail; 2 credits per frame; paid plans"), 0, 2 },
};

static const MhAssetSlot lip_sync_slots[] = {
  { "video", "assets.video_file_path", MH_ASSET_VIDEO, N_("Video"),
    N_("The video whose lips will move"), FALSE, NULL, TRUE,
    "video", "assets.video_source", "file" },
  { "youtube", "assets.youtube_url", MH_ASSET_VIDEO, N_("YouTube video"),
    N_("A link to a YouTube video instead of a file"), TRUE,
    "youtube.com,youtu.be", FALSE, "video", "assets.video_source", "youtube" },
  { "audio", "assets.audio_file_path", MH_ASSET_AUDIO, N_("Speech"),
    N_("The new speech"), FALSE, NULL, FALSE, NULL, NULL, NULL },
};

static const MhOption lip_sync_options[] = {
  { "start", "start_seconds", MH_OPTION_NUMBER, N_("Start"),
    N_("Where the clip starts in the video, in seconds"), TRUE, 0, G_MAXDOUBLE, FALSE, -1 },
  { "end", "end_seconds", MH_OPTION_NUMBER, N_("End"),
    N_("Where the clip ends in the video, in seconds"), TRUE, 0.1, G_MAXDOUBLE, FALSE, -1 },
  { "mode", "style.generation_mode", MH_OPTION_CHOICE, N_("Quality"),
    N_("Which lip sync model renders the video"), FALSE, 0, 0, FALSE, -1,
    lip_sync_modes, G_N_ELEMENTS (lip_sync_modes), "lite" },
  { "max-fps", "max_fps_limit", MH_OPTION_NUMBER, N_("Maximum frame rate"),
    N_("Fewer frames per second cost fewer credits"), FALSE, 1, 60, FALSE, 2 },
  { "name", "name", MH_OPTION_STRING, N_("Name"),
    N_("To find the result again in your Magic Hour library"), FALSE, 0, 0, FALSE, -1 },
};

/* ------------------------------------------------------------------------ */
/* AI Headshot                                                              */

static const MhAssetSlot headshot_slots[] = {
  { "image", "assets.image_file_path", MH_ASSET_IMAGE, N_("Photo"),
    N_("A photo with exactly one face"), FALSE, NULL, FALSE, NULL, NULL, NULL },
};

static const MhOption headshot_options[] = {
  { "prompt", "style.prompt", MH_OPTION_STRING, N_("Style prompt"),
    N_("Leave empty for the default Professional look"), FALSE, 0, 0, FALSE, -1 },
  { "name", "name", MH_OPTION_STRING, N_("Name"),
    N_("To find the result again in your Magic Hour library"), FALSE, 0, 0, FALSE, -1 },
};

/* ------------------------------------------------------------------------ */

/* Polling (CONTRACT.md, section 3): median renders are 14 s for a headshot and
 * 3-4 min for video. The interval grows with the time already waited, so a
 * short render is noticed within seconds and a long one costs few calls. */
static const MhTool tools[] = {
  {
    "talking-photo", N_("AI Talking Photo"),
    N_("Make a photo speak with a voice recording"),
    "mh-talking-photo-symbolic",
    "/v1/ai-talking-photo", MH_PROJECT_VIDEO, "TALKING_PHOTO", "mp4",
    talking_photo_slots, G_N_ELEMENTS (talking_photo_slots),
    talking_photo_options, G_N_ELEMENTS (talking_photo_options),
    TRUE, 60, "mode", 0, NULL, NULL, 30, 180,
    { 2.0, 2.0, 15.0, 0.2, 30 * 60 },
  },
  {
    "lip-sync", N_("Lip Sync"),
    N_("Make the people in a video say something new"),
    "mh-lip-sync-symbolic",
    "/v1/lip-sync", MH_PROJECT_VIDEO, "LIP_SYNC", "mp4",
    lip_sync_slots, G_N_ELEMENTS (lip_sync_slots),
    lip_sync_options, G_N_ELEMENTS (lip_sync_options),
    TRUE, 0, "mode", 0, "mode", "max-fps", 30, 240,
    { 2.0, 2.0, 15.0, 0.2, 30 * 60 },
  },
  {
    "headshot", N_("AI Headshot"),
    N_("Turn a selfie into a professional headshot"),
    "mh-headshot-symbolic",
    "/v1/ai-headshot-generator", MH_PROJECT_IMAGE, "AI_HEADSHOT", "png",
    headshot_slots, G_N_ELEMENTS (headshot_slots),
    headshot_options, G_N_ELEMENTS (headshot_options),
    FALSE, 0, NULL, 50, NULL, NULL, 0, 14,
    { 1.0, 1.0, 3.0, 0.2, 10 * 60 },
  },
};

const MhTool *const *
mh_tools (guint *n_tools)
{
  static const MhTool *list[G_N_ELEMENTS (tools) + 1];

  if (list[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
      list[i] = &tools[i];

  if (n_tools != NULL)
    *n_tools = G_N_ELEMENTS (tools);

  return list;
}

const MhTool *
mh_tool_lookup (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    if (g_str_equal (tools[i].id, id))
      return &tools[i];

  return NULL;
}

const MhTool *
mh_tool_lookup_by_project_type (const char *project_type)
{
  g_return_val_if_fail (project_type != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    if (g_str_equal (tools[i].project_type, project_type))
      return &tools[i];

  return NULL;
}

const MhAssetSlot *
mh_tool_find_slot (const MhTool *tool,
                   const char   *key)
{
  for (guint i = 0; i < tool->n_slots; i++)
    if (g_str_equal (tool->slots[i].key, key))
      return &tool->slots[i];

  return NULL;
}

const MhOption *
mh_tool_find_option (const MhTool *tool,
                     const char   *key)
{
  for (guint i = 0; i < tool->n_options; i++)
    if (g_str_equal (tool->options[i].key, key))
      return &tool->options[i];

  return NULL;
}

const MhAssetSlot *
mh_tool_slot_for_path (const MhTool *tool,
                       const char   *path,
                       GHashTable   *taken)
{
  g_autofree char *ext = mh_path_get_extension (path);

  for (guint i = 0; i < tool->n_slots; i++)
    {
      const MhAssetSlot *slot = &tool->slots[i];

      if (slot->url_only || !mh_asset_type_accepts (slot->type, ext))
        continue;
      if (taken != NULL && g_hash_table_contains (taken, slot->key))
        continue;
      return slot;
    }

  return NULL;
}

const MhChoice *
mh_option_find_choice (const MhOption *option,
                       const char     *name)
{
  if (name == NULL)
    return NULL;

  for (guint i = 0; i < option->n_choices; i++)
    if (g_ascii_strcasecmp (option->choices[i].name, name) == 0)
      return &option->choices[i];

  return NULL;
}

/* Follows an alias to the choice that is offered (and carries the wire name,
 * the clip limit and the price). */
const MhChoice *
mh_option_resolve_choice (const MhOption *option,
                          const char     *name)
{
  const MhChoice *choice = mh_option_find_choice (option, name);

  if (choice != NULL && choice->canonical != NULL)
    choice = mh_option_find_choice (option, choice->canonical);

  return choice;
}

static const MhChoice *
tool_current_choice (const MhTool *tool,
                     const char   *option_key,
                     GHashTable   *params)
{
  const MhOption *option;
  const char *value = NULL;

  if (option_key == NULL)
    return NULL;

  option = mh_tool_find_option (tool, option_key);
  if (option == NULL)
    return NULL;

  if (params != NULL)
    value = g_hash_table_lookup (params, option_key);
  if (value == NULL || *value == '\0')
    value = option->default_value;

  return mh_option_resolve_choice (option, value);
}

double
mh_tool_max_clip_seconds (const MhTool *tool,
                          GHashTable   *params)
{
  const MhChoice *choice = tool_current_choice (tool, tool->clip_option, params);

  if (choice != NULL && choice->max_clip_seconds > 0)
    return choice->max_clip_seconds;

  return tool->max_clip_seconds;
}

gboolean
mh_tool_option_applies (const MhTool   *tool,
                        const MhOption *option,
                        GHashTable     *params)
{
  const MhChoice *choice;

  if (option->only_with_option == NULL)
    return TRUE;

  choice = tool_current_choice (tool, option->only_with_option, params);

  return choice != NULL && g_str_equal (choice->name, option->only_with_value);
}

const char *
mh_project_kind_to_path (MhProjectKind kind)
{
  return kind == MH_PROJECT_IMAGE ? "/v1/image-projects/" : "/v1/video-projects/";
}

const char *
mh_asset_type_to_string (MhAssetType type)
{
  switch (type)
    {
    case MH_ASSET_VIDEO: return "video";
    case MH_ASSET_AUDIO: return "audio";
    case MH_ASSET_IMAGE: return "image";
    default: g_return_val_if_reached (NULL);
    }
}

const char *const *
mh_asset_type_extensions (MhAssetType type)
{
  switch (type)
    {
    case MH_ASSET_VIDEO: return video_extensions;
    case MH_ASSET_AUDIO: return audio_extensions;
    case MH_ASSET_IMAGE: return image_extensions;
    default: g_return_val_if_reached (NULL);
    }
}

gboolean
mh_asset_type_accepts (MhAssetType  type,
                       const char  *extension)
{
  const char *const *list = mh_asset_type_extensions (type);

  return extension != NULL && list != NULL && g_strv_contains (list, extension);
}

/* The lower-case extension of a path or URL path, without the dot; NULL when
 * there is none. */
char *
mh_path_get_extension (const char *path)
{
  g_autofree char *base = NULL;
  const char *dot;

  if (path == NULL)
    return NULL;

  base = g_path_get_basename (path);
  dot = strrchr (base, '.');
  if (dot == NULL || dot == base || dot[1] == '\0')
    return NULL;

  return g_ascii_strdown (dot + 1, -1);
}
