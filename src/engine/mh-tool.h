/* mh-tool.h: the one table that describes each Magic Hour tool
 *
 * Every fact about a tool (endpoint, project kind, asset slots and the file
 * types they accept, options with their ranges and choices, clip-length
 * limits, costs, polling) lives in mh-tool.c and nowhere else. The
 * command-line tool, the validator, the request builder and the UI all read it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  MH_ASSET_VIDEO,
  MH_ASSET_AUDIO,
  MH_ASSET_IMAGE,
} MhAssetType;

typedef enum
{
  MH_PROJECT_VIDEO,
  MH_PROJECT_IMAGE,
} MhProjectKind;

typedef enum
{
  MH_OPTION_STRING,
  MH_OPTION_CHOICE,
  MH_OPTION_NUMBER,
  MH_OPTION_INTEGER,
} MhOptionType;

typedef struct
{
  const char *name;              /* accepted as input: "pro" */
  const char *canonical;         /* NULL when this is itself offered to users; else the offered one */
  const char *wire;              /* what is sent; NULL for aliases (the canonical's is sent) */
  const char *label;             /* N_() */
  const char *description;       /* N_() one line */
  double      max_clip_seconds;  /* 0: the tool's default */
  int         credits_per_frame; /* 0: not priced per frame */
  int         credits_per_second;/* 0: not priced per second of clip */
  const char *min_plan;          /* "creator": the lowest plan that may use it; NULL: every plan */
  const char *default_description; /* N_() shown for another option's unset default while this is chosen */
} MhChoice;

/* A deprecated number mapped to a choice of its replacement: the first row
 * whose @below is above the number gives the value. Ends with a NULL value. */
typedef struct
{
  double      below;
  const char *value;
} MhReplacement;

typedef struct
{
  const char        *key;              /* params key and CLI option name: "max-fps" */
  const char        *json_path;        /* "max_fps_limit", "style.generation_mode" */
  MhOptionType       type;
  const char        *label;            /* N_() */
  const char        *description;      /* N_() */
  gboolean           required;
  double             min;              /* NUMBER/INTEGER; -G_MAXDOUBLE when unbounded */
  double             max;              /* NUMBER/INTEGER; G_MAXDOUBLE when unbounded */
  gboolean           min_exclusive;
  int                max_decimals;     /* NUMBER: -1 for any */
  const MhChoice    *choices;          /* CHOICE */
  guint              n_choices;
  const char        *default_value;    /* what the server assumes when unset (shown, never sent) */
  const char        *only_with_option; /* key of a CHOICE option this one depends on */
  const char        *only_with_value;  /* canonical choice name that enables this option */
  gboolean           deprecated;       /* still accepted (CLI, with a note), never offered in the UI */
  const char        *replaced_by;      /* deprecated: the option it maps to, never sent with it */
  const MhReplacement *replacement;    /* replaced_by: how its number maps to that option */
  const char        *default_from_option; /* CHOICE without default_value: the CHOICE option whose
                                           choice's default_description tells the unset default */
} MhOption;

typedef struct
{
  const char  *key;                /* params key and CLI option name: "image", "youtube" */
  const char  *json_path;          /* "assets.image_file_path" */
  MhAssetType  type;
  const char  *label;              /* N_() */
  const char  *description;        /* N_() */
  gboolean     url_only;           /* cannot be a local file (YouTube) */
  const char  *url_hosts;          /* url_only: comma-separated host suffixes it must match */
  gboolean     bounds_time_range;  /* its duration bounds start/end */
  const char  *source_group;       /* slots in one group are alternatives: exactly one is given */
  const char  *source_json_path;   /* "assets.video_source" */
  const char  *source_value;       /* "file" / "youtube" */
  gboolean     cut_to_range;       /* the time range applies to this file alone, so only the
                                    * range needs uploading (mh-cut.h); FALSE where cutting
                                    * would change the result (the video of a lip sync) */
  gboolean     previewed;          /* the app shows its local file large, above the timeline */
} MhAssetSlot;

/* How a job's status is asked for while Magic Hour renders (seconds of a
 * real render; tests scale them down alike). The first check comes at
 * @first after the create; each next one @interval later, where
 * interval = clamp (elapsed * growth, min, max) and elapsed is the time
 * since the create (the time since the poll started, for a resumed job):
 * short renders are seen soon, long ones cost few calls. @max is also the
 * longest a finished render can go unnoticed. mh_poll_policy_interval()
 * is the one place that turns a policy into a wait. */
typedef struct
{
  double first;       /* seconds before the first status check */
  double min;         /* smallest interval */
  double max;         /* largest interval */
  double growth;      /* interval = clamp (elapsed * growth, min, max) */
  double timeout;     /* give up after this long */
} MhPollPolicy;

typedef struct
{
  const char         *id;              /* "talking-photo" */
  const char         *name;            /* N_("AI Talking Photo") */
  const char         *summary;         /* N_() one line */
  const char         *icon_name;
  const char         *endpoint;        /* "/v1/ai-talking-photo" */
  MhProjectKind       kind;
  const char         *project_type;    /* "TALKING_PHOTO" */
  const char         *output_extension;/* "mp4" / "png": used when the URL gives no usable name */
  const MhAssetSlot  *slots;
  guint               n_slots;
  const MhOption     *options;
  guint               n_options;
  gboolean            has_time_range;  /* options "start" and "end" exist */
  double              max_clip_seconds;/* default limit when the mode gives none; 0 none */
  const char         *clip_option;     /* CHOICE option whose choice sets the limit */
  int                 fixed_credits;   /* per job, 0 if priced otherwise */
  const char         *credits_option;  /* CHOICE option with credits_per_frame */
  const char         *fps_option;      /* option that caps the fps */
  double              default_fps;     /* for estimates */
  double              median_render_seconds;
  MhPollPolicy        poll;
  const char         *face_slot;       /* its photo is checked for a face before the create; NULL: none */
  guint               max_faces;       /* face_slot: more faces than this stop the job; 0: any number */
} MhTool;

typedef struct
{
  gint64 at_create;  /* credits the create will charge; -1 when it cannot be told yet */
  gint64 settled;    /* the lower figure it settles to (lip sync, source fps known); -1 when none */
  gboolean per_frame; /* settled to the frames that render, after the create */
} MhCostEstimate;

const MhTool      *mh_tool_lookup                 (const char     *id);
const MhTool      *mh_tool_lookup_by_project_type (const char     *project_type);
const MhTool *const *mh_tools                     (guint          *n_tools);

const MhAssetSlot *mh_tool_find_slot              (const MhTool   *tool,
                                                   const char     *key);
const MhOption    *mh_tool_find_option            (const MhTool   *tool,
                                                   const char     *key);
/* The first slot that takes a local file with @path's extension, skipping
 * @taken (a set of slot keys already filled, or NULL). */
const MhAssetSlot *mh_tool_slot_for_path          (const MhTool   *tool,
                                                   const char     *path,
                                                   GHashTable     *taken);
const MhChoice    *mh_option_find_choice          (const MhOption *option,
                                                   const char     *name);
const MhChoice    *mh_option_resolve_choice       (const MhOption *option,
                                                   const char     *name);
double             mh_tool_max_clip_seconds       (const MhTool   *tool,
                                                   GHashTable     *params);
gboolean           mh_tool_option_applies         (const MhTool   *tool,
                                                   const MhOption *option,
                                                   GHashTable     *params);
/* What the server does when @option is left unset, in words (translated), as
 * the current choice of its default_from_option says; NULL when unknown. */
const char        *mh_tool_describe_default       (const MhTool   *tool,
                                                   const MhOption *option,
                                                   GHashTable     *params);
/* The value of @option's replacement for the deprecated @number; NULL when
 * @option has no replacement. */
const char        *mh_option_map_replacement      (const MhOption *option,
                                                   double          number);

/* @source_fps: the frame rate of the source video, 0 when unknown */
gboolean           mh_tool_estimate_cost          (const MhTool   *tool,
                                                   GHashTable     *params,
                                                   double          source_fps,
                                                   MhCostEstimate *out);

/* "About 240 credits.", "Costs 50 credits." (@fixed: a price per job), or
 * with the figure lip sync settles to; NULL when the estimate is unknown. */
char              *mh_cost_estimate_describe      (const MhCostEstimate *estimate,
                                                   gboolean        fixed);
/* @credits with the locale's thousands separators: "1,250". */
char              *mh_format_credits              (gint64          credits);

const char        *mh_plan_label                  (const char     *tier);   /* "Free plan", translated */
gboolean           mh_plan_allows                 (const char     *tier,
                                                   const char     *min_plan); /* free<creator<pro<business */
const char        *mh_plan_name                   (const char     *tier);   /* "Creator", translated */
/* The largest file @tier may upload, in bytes (the Free plan's when @tier
 * is NULL or unknown). */
guint64            mh_plan_upload_limit           (const char     *tier);
/* "speech.wav is 460.0 MB: your Free plan allows uploads of at most 200.0 MB." when
 * @size is above @tier's limit (@tier NULL: the account is unknown, the
 * Free plan's limit is named as such); NULL otherwise. */
char              *mh_plan_describe_upload_size   (const char     *tier,
                                                   const char     *display_name,
                                                   guint64         size);

/* The wait before the next status check, @elapsed seconds after the poll
 * started (both in the policy's seconds). */
double             mh_poll_policy_interval        (const MhPollPolicy *policy,
                                                   double          elapsed);

const char        *mh_project_kind_to_path        (MhProjectKind   kind);
const char        *mh_asset_type_to_string        (MhAssetType     type);
const char *const *mh_asset_type_extensions       (MhAssetType     type);
gboolean           mh_asset_type_accepts          (MhAssetType     type,
                                                   const char     *extension);
char              *mh_path_get_extension          (const char     *path);

G_END_DECLS
