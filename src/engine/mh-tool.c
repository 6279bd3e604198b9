/* mh-tool.c: the one table that describes each Magic Hour tool
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "mh-params.h"
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

/* The two modes offered (CONTRACT.md, December 2026); the other four names
 * are aliases. What goes on the wire is the `wire` column of the two offered
 * rows. Clip limits and prices: realistic 300 s at 48 credits per second,
 * prompted 60 s at 20 credits per second, charged at creation. Each mode
 * also says what the server renders when no resolution is sent. */
static const MhChoice talking_photo_modes[] = {
  {
    .name = "realistic",
    .wire = "realistic",
    .label = N_("Realistic"),
    .description = N_("Accurate lip sync, high fidelity; slower; 48 credits per second"),
    .max_clip_seconds = 300,
    .credits_per_second = 48,
    .default_description = N_("Default: your plan’s best, at most 720p"),
  },
  {
    .name = "prompted",
    .wire = "prompted",
    .label = N_("Expressive"),
    .description = N_("More motion and expression, guided by a prompt; 20 credits per second"),
    .max_clip_seconds = 60,
    .credits_per_second = 20,
    .default_description = N_("Default: 480p"),
  },
  { .name = "pro", .canonical = "realistic" },
  { .name = "stable", .canonical = "realistic" },
  { .name = "expressive", .canonical = "prompted" },
  { .name = "standard", .canonical = "prompted" },
};

/* The output presets; every plan is capped at 720p. */
static const MhChoice talking_photo_resolutions[] = {
  {
    .name = "480p",
    .wire = "480p",
    .label = N_("480p"),
    .description = N_("Smaller and quicker to share"),
  },
  {
    .name = "720p",
    .wire = "720p",
    .label = N_("720p"),
    .description = N_("Sharper; the most any plan renders"),
  },
};

/* What the API does with the deprecated max_resolution (CONTRACT.md,
 * December 2026): below 1280 px it means 480p, from 1280 px on 720p. */
static const MhReplacement max_resolution_presets[] = {
  { .below = 1280, .value = "480p" },
  { .below = G_MAXDOUBLE, .value = "720p" },
  { .value = NULL },
};

static const MhAssetSlot talking_photo_slots[] = {
  {
    .key = "image",
    .json_path = "assets.image_file_path",
    .type = MH_ASSET_IMAGE,
    .label = N_("Photo"),
    .description = N_("A photo with one clearly visible face"),
    .previewed = TRUE,
  },
  {
    .key = "audio",
    .json_path = "assets.audio_file_path",
    .type = MH_ASSET_AUDIO,
    .label = N_("Speech"),
    .description = N_("The voice the photo will speak"),
    .bounds_time_range = TRUE,
    .cut_to_range = TRUE,
  },
};

static const MhOption talking_photo_options[] = {
  {
    .key = "start",
    .json_path = "start_seconds",
    .type = MH_OPTION_NUMBER,
    .label = N_("Start"),
    .description = N_("Where the clip starts in the audio, in seconds"),
    .required = TRUE,
    .min = 0,
    .max = G_MAXDOUBLE,
    .max_decimals = -1,
  },
  {
    .key = "end",
    .json_path = "end_seconds",
    .type = MH_OPTION_NUMBER,
    .label = N_("End"),
    .description = N_("Where the clip ends in the audio, in seconds"),
    .required = TRUE,
    .min = 0.1,
    .max = G_MAXDOUBLE,
    .max_decimals = -1,
  },
  {
    .key = "mode",
    .json_path = "style.generation_mode",
    .type = MH_OPTION_CHOICE,
    .label = N_("Style"),
    .description = N_("How the photo moves"),
    .max_decimals = -1,
    .choices = talking_photo_modes,
    .n_choices = G_N_ELEMENTS (talking_photo_modes),
    .default_value = "realistic",
  },
  {
    .key = "resolution",
    .json_path = "resolution",
    .type = MH_OPTION_CHOICE,
    .label = N_("Resolution"),
    .description = N_("The size of the video"),
    .max_decimals = -1,
    .choices = talking_photo_resolutions,
    .n_choices = G_N_ELEMENTS (talking_photo_resolutions),
    .default_from_option = "mode",
  },
  {
    .key = "prompt",
    .json_path = "style.prompt",
    .type = MH_OPTION_STRING,
    .label = N_("Prompt"),
    .description = N_("Describe the scene or the mood"),
    .max_decimals = -1,
    .only_with_option = "mode",
    .only_with_value = "prompted",
  },
  {
    .key = "intensity",
    .json_path = "style.intensity",
    .type = MH_OPTION_NUMBER,
    .label = N_("Intensity"),
    .description = N_("Deprecated, prompted mode only: lower is steadier, higher moves more"),
    .min = 0.1,
    .max = 2,
    .max_decimals = 2,
    .only_with_option = "mode",
    .only_with_value = "prompted",
    .deprecated = TRUE,
  },
  {
    .key = "max-resolution",
    .json_path = "max_resolution",
    .type = MH_OPTION_INTEGER,
    .label = N_("Maximum resolution"),
    .description = N_("Deprecated: use --resolution; below 1280 px means 480p, else 720p"),
    .min = 64,
    .max = 4096,
    .max_decimals = 0,
    .deprecated = TRUE,
    .replaced_by = "resolution",
    .replacement = max_resolution_presets,
  },
  {
    .key = "name",
    .json_path = "name",
    .type = MH_OPTION_STRING,
    .label = N_("Name"),
    .description = N_("Names the result file, and the project in your Magic Hour library"),
    .max_decimals = -1,
  },
};

/* ------------------------------------------------------------------------ */
/* Lip Sync                                                                 */

static const MhChoice lip_sync_modes[] = {
  {
    .name = "lite",
    .wire = "lite",
    .label = N_("Lite"),
    .description = N_("Fast and affordable, for simple videos; 1 credit per frame"),
    .credits_per_frame = 1,
  },
  {
    .name = "standard",
    .wire = "standard",
    .label = N_("Standard"),
    .description = N_("Natural, accurate lip sync; 1 credit per frame"),
    .credits_per_frame = 1,
  },
  {
    .name = "pro",
    .wire = "pro",
    .label = N_("Pro"),
    .description = N_("Premium fidelity with enhanced detail; 2 credits per frame; Creator plan or higher"),
    .credits_per_frame = 2,
    .min_plan = "creator",
  },
};

static const MhAssetSlot lip_sync_slots[] = {
  {
    .key = "video",
    .json_path = "assets.video_file_path",
    .type = MH_ASSET_VIDEO,
    .label = N_("Video"),
    .description = N_("The video whose lips will move"),
    .bounds_time_range = TRUE,
    .source_group = "video",
    .source_json_path = "assets.video_source",
    .source_value = "file",
    .previewed = TRUE,
  },
  {
    .key = "youtube",
    .json_path = "assets.youtube_url",
    .type = MH_ASSET_VIDEO,
    .label = N_("YouTube video"),
    .description = N_("A link to a YouTube video instead of a file"),
    .url_only = TRUE,
    .url_hosts = "youtube.com,youtu.be",
    .source_group = "video",
    .source_json_path = "assets.video_source",
    .source_value = "youtube",
  },
  {
    .key = "audio",
    .json_path = "assets.audio_file_path",
    .type = MH_ASSET_AUDIO,
    .label = N_("Speech"),
    .description = N_("The new speech"),
  },
};

static const MhOption lip_sync_options[] = {
  {
    .key = "start",
    .json_path = "start_seconds",
    .type = MH_OPTION_NUMBER,
    .label = N_("Start"),
    .description = N_("Where the clip starts in the video, in seconds"),
    .required = TRUE,
    .min = 0,
    .max = G_MAXDOUBLE,
    .max_decimals = -1,
  },
  {
    .key = "end",
    .json_path = "end_seconds",
    .type = MH_OPTION_NUMBER,
    .label = N_("End"),
    .description = N_("Where the clip ends in the video, in seconds"),
    .required = TRUE,
    .min = 0.1,
    .max = G_MAXDOUBLE,
    .max_decimals = -1,
  },
  {
    .key = "mode",
    .json_path = "style.generation_mode",
    .type = MH_OPTION_CHOICE,
    .label = N_("Quality"),
    .description = N_("Which lip sync model renders the video"),
    .max_decimals = -1,
    .choices = lip_sync_modes,
    .n_choices = G_N_ELEMENTS (lip_sync_modes),
    .default_value = "lite",
  },
  {
    .key = "max-fps",
    .json_path = "max_fps_limit",
    .type = MH_OPTION_NUMBER,
    .label = N_("Maximum frame rate"),
    .description = N_("Fewer frames per second cost fewer credits"),
    .min = 1,
    .max = 60,
    .max_decimals = 2,
  },
  {
    .key = "name",
    .json_path = "name",
    .type = MH_OPTION_STRING,
    .label = N_("Name"),
    .description = N_("Names the result file, and the project in your Magic Hour library"),
    .max_decimals = -1,
  },
};

/* ------------------------------------------------------------------------ */
/* AI Headshot                                                              */

static const MhAssetSlot headshot_slots[] = {
  {
    .key = "image",
    .json_path = "assets.image_file_path",
    .type = MH_ASSET_IMAGE,
    .label = N_("Photo"),
    .description = N_("A photo with exactly one face"),
    .previewed = TRUE,
  },
};

static const MhOption headshot_options[] = {
  {
    .key = "prompt",
    .json_path = "style.prompt",
    .type = MH_OPTION_STRING,
    .label = N_("Style prompt"),
    .description = N_("Leave empty for the default Professional look"),
    .max_decimals = -1,
  },
  {
    .key = "name",
    .json_path = "name",
    .type = MH_OPTION_STRING,
    .label = N_("Name"),
    .description = N_("Names the result file, and the project in your Magic Hour library"),
    .max_decimals = -1,
  },
};

/* ------------------------------------------------------------------------ */

/* Polling (CONTRACT.md, section 3; MhPollPolicy in mh-tool.h). Median
 * renders of 28 September 2026: headshot 16 s, talking photo 41 s, lip sync
 * 90 s, and short ones of a few seconds. The SDKs ask every 0.5 s, about
 * 2T + 1 calls for a render of T s. The schedules are held to: a finished
 * render noticed within 5 s, whatever its length (max at most 4 s, with room
 * for the request's own time); for renders of 6, 16, 20, 41 and 90 s at most
 * a fifth of the SDKs' calls for a video and a third for an image
 * (tests/engine/test-poll-schedule.c checks both from this table, and
 * bench/polling measures them).
 * - Video: no render is expected before 5 s, so the first check waits that
 *   long; then every 3 s, growing with a quarter of the time waited up to
 *   4 s (below the docs' 5-10 s, which would miss the 5 s goal; a second
 *   left for the request itself on a slow network). A 6 s render takes 2
 *   checks (the SDK 13), a 90 s one 24 (181).
 * - Image: the docs' 2-3 s, from 3 s on (a 6 s render: 3 checks, 16 s: 8).
 * Both give up after the docs' 10-30 minutes; a render still going on then
 * can be picked up later with its project ID. */
static const MhTool tools[] = {
  {
    .id = "talking-photo",
    .name = N_("AI Talking Photo"),
    .summary = N_("Make a photo speak with a voice recording"),
    .icon_name = "mh-talking-photo-symbolic",
    .endpoint = "/v1/ai-talking-photo",
    .kind = MH_PROJECT_VIDEO,
    .project_type = "TALKING_PHOTO",
    .output_extension = "mp4",
    .slots = talking_photo_slots,
    .n_slots = G_N_ELEMENTS (talking_photo_slots),
    .options = talking_photo_options,
    .n_options = G_N_ELEMENTS (talking_photo_options),
    .has_time_range = TRUE,
    .clip_option = "mode",
    .credits_option = "mode",
    .default_fps = 30,
    .median_render_seconds = 41,
    .poll = { .first = 5.0, .min = 3.0, .max = 4.0, .growth = 0.25, .timeout = 30 * 60 },
    .face_slot = "image",
  },
  {
    .id = "lip-sync",
    .name = N_("Lip Sync"),
    .summary = N_("Make the people in a video say something new"),
    .icon_name = "mh-lip-sync-symbolic",
    .endpoint = "/v1/lip-sync",
    .kind = MH_PROJECT_VIDEO,
    .project_type = "LIP_SYNC",
    .output_extension = "mp4",
    .slots = lip_sync_slots,
    .n_slots = G_N_ELEMENTS (lip_sync_slots),
    .options = lip_sync_options,
    .n_options = G_N_ELEMENTS (lip_sync_options),
    .has_time_range = TRUE,
    .clip_option = "mode",
    .credits_option = "mode",
    .fps_option = "max-fps",
    .default_fps = 30,
    .median_render_seconds = 90,
    .poll = { .first = 5.0, .min = 3.0, .max = 4.0, .growth = 0.25, .timeout = 30 * 60 },
  },
  {
    .id = "headshot",
    .name = N_("AI Headshot"),
    .summary = N_("Turn a selfie into a professional headshot"),
    .icon_name = "mh-headshot-symbolic",
    .endpoint = "/v1/ai-headshot-generator",
    .kind = MH_PROJECT_IMAGE,
    .project_type = "AI_HEADSHOT",
    .output_extension = "png",
    .slots = headshot_slots,
    .n_slots = G_N_ELEMENTS (headshot_slots),
    .options = headshot_options,
    .n_options = G_N_ELEMENTS (headshot_options),
    .fixed_credits = 50,
    .median_render_seconds = 16,
    .poll = { .first = 3.0, .min = 2.0, .max = 3.0, .growth = 0.2, .timeout = 10 * 60 },
    .face_slot = "image",
    .max_faces = 1,
  },
};

double
mh_poll_policy_interval (const MhPollPolicy *policy,
                         double              elapsed)
{
  return CLAMP (elapsed * policy->growth, policy->min, policy->max);
}

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
mh_tool_describe_default (const MhTool   *tool,
                          const MhOption *option,
                          GHashTable     *params)
{
  const MhChoice *choice;

  if (option->default_from_option == NULL)
    return NULL;

  choice = tool_current_choice (tool, option->default_from_option, params);
  if (choice == NULL || choice->default_description == NULL)
    return NULL;

  return _(choice->default_description);
}

const char *
mh_option_map_replacement (const MhOption *option,
                           double          number)
{
  if (option->replacement == NULL)
    return NULL;

  for (const MhReplacement *row = option->replacement; row->value != NULL; row++)
    if (number < row->below)
      return row->value;

  return NULL;
}

/* CONTRACT.md: the create charges the whole clip at the frame rate it will be
 * rendered at (source fps unknown then: min (30, max_fps)); lip sync settles
 * to the source's lower frame rate once it is known. Talking photo is priced
 * per second of clip, a headshot per job. */
gboolean
mh_tool_estimate_cost (const MhTool   *tool,
                       GHashTable     *params,
                       double          source_fps,
                       MhCostEstimate *out)
{
  const MhChoice *choice;
  double start = 0, end = 0, seconds;

  g_return_val_if_fail (tool != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  out->at_create = -1;
  out->settled = -1;
  out->per_frame = FALSE;

  if (tool->fixed_credits > 0)
    {
      out->at_create = tool->fixed_credits;
      return TRUE;
    }

  if (!tool->has_time_range ||
      !mh_params_get_number (params, "start", &start) ||
      !mh_params_get_number (params, "end", &end) ||
      end <= start)
    return FALSE;

  seconds = end - start;
  choice = tool_current_choice (tool, tool->credits_option != NULL ? tool->credits_option
                                                                   : tool->clip_option,
                                params);
  if (choice == NULL)
    return FALSE;

  if (choice->credits_per_second > 0)
    {
      out->at_create = (gint64) ceil (seconds * choice->credits_per_second - 1e-9);
      return TRUE;
    }

  if (choice->credits_per_frame > 0)
    {
      double fps = tool->default_fps > 0 ? tool->default_fps : 30;
      double limit;

      if (tool->fps_option != NULL &&
          mh_params_get_number (params, tool->fps_option, &limit) && limit > 0 && limit < fps)
        fps = limit;

      out->per_frame = TRUE;
      out->at_create = (gint64) ceil (seconds * fps - 1e-9) * choice->credits_per_frame;
      if (source_fps > 0 && source_fps < fps)
        out->settled = (gint64) ceil (seconds * source_fps - 1e-9) * choice->credits_per_frame;
      return TRUE;
    }

  return FALSE;
}

char *
mh_format_credits (gint64 credits)
{
  /* "1,250": thousands grouped as the locale groups them. */
  return g_strdup_printf ("%'" G_GINT64_FORMAT, credits);
}

char *
mh_cost_estimate_describe (const MhCostEstimate *estimate,
                           gboolean              fixed)
{
  g_autofree char *at_create = NULL;
  gulong n;

  if (estimate->at_create < 0)
    return NULL;

  at_create = mh_format_credits (estimate->at_create);
  n = (gulong) MIN ((guint64) estimate->at_create, G_MAXULONG);

  if (fixed)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Costs %s credit.", "Costs %s credits.", n),
                            at_create);

  if (estimate->settled >= 0 && estimate->settled < estimate->at_create)
    {
      g_autofree char *settled = mh_format_credits (estimate->settled);

      /* TRANSLATORS: the first %s is charged when the job is created, the
       * second is what it comes to once the video's own frame rate counts */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "About %s credits at the start, settled to %s credit for the video’s frame rate.",
                                           "About %s credits at the start, settled to %s credits for the video’s frame rate.",
                                           (gulong) MIN ((guint64) estimate->settled, G_MAXULONG)),
                              at_create, settled);
    }

  if (estimate->per_frame)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "About %s credit, an estimate: Magic Hour charges for the frames that render.",
                                         "About %s credits, an estimate: Magic Hour charges for the frames that render.",
                                         n),
                            at_create);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "About %s credit.", "About %s credits.", n),
                          at_create);
}

#define MEGABYTE (G_GUINT64_CONSTANT (1000) * 1000)
#define GIGABYTE (MEGABYTE * 1000)

/* The plans, lowest first (their rank is their index), with the largest
 * file each may upload (CONTRACT.md: "Plan size limits: Free 200 MB,
 * Creator 2 GB, Pro 5 GB, Business 10 GB"; decimal units, as
 * g_format_size() shows them). */
static const struct
{
  const char *tier;
  guint64     upload_limit;
} plans[] = {
  { .tier = "free",     .upload_limit = 200 * MEGABYTE },
  { .tier = "creator",  .upload_limit = 2 * GIGABYTE },
  { .tier = "pro",      .upload_limit = 5 * GIGABYTE },
  { .tier = "business", .upload_limit = 10 * GIGABYTE },
};

static int
plan_rank (const char *tier)
{
  if (tier == NULL)
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (plans); i++)
    if (g_ascii_strcasecmp (plans[i].tier, tier) == 0)
      return (int) i;
  return 0;
}

guint64
mh_plan_upload_limit (const char *tier)
{
  return plans[plan_rank (tier)].upload_limit;
}

char *
mh_plan_describe_upload_size (const char *tier,
                              const char *display_name,
                              guint64     size)
{
  g_autofree char *size_text = NULL;
  g_autofree char *limit_text = NULL;
  guint64 limit = mh_plan_upload_limit (tier);

  if (size <= limit)
    return NULL;

  size_text = g_format_size (size);
  limit_text = g_format_size (limit);
  if (tier == NULL)
    /* Translators: "speech.wav is 460.0 MB: the Free plan allows uploads of at most 200.0 MB." */
    return g_strdup_printf (_("%s is %s: the %s allows uploads of at most %s."),
                            display_name, size_text, mh_plan_label (NULL), limit_text);

  /* Translators: "speech.wav is 460.0 MB: your Free plan allows uploads of at most 200.0 MB." */
  return g_strdup_printf (_("%s is %s: your %s allows uploads of at most %s."),
                          display_name, size_text, mh_plan_label (tier), limit_text);
}

gboolean
mh_plan_allows (const char *tier,
                const char *min_plan)
{
  if (min_plan == NULL)
    return TRUE;
  return plan_rank (tier) >= plan_rank (min_plan);
}

const char *
mh_plan_label (const char *tier)
{
  switch (plan_rank (tier))
    {
    case 1: return _("Creator plan");
    case 2: return _("Pro plan");
    case 3: return _("Business plan");
    default: return _("Free plan");
    }
}

const char *
mh_plan_name (const char *tier)
{
  switch (plan_rank (tier))
    {
    case 1: return C_("plan", "Creator");
    case 2: return C_("plan", "Pro");
    case 3: return C_("plan", "Business");
    default: return C_("plan", "Free");
    }
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
