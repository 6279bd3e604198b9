/* mh-sim-projects.c: the simulator's projects
 *
 * The three creates (with the server's own rules for each tool), project GET
 * and DELETE, the queued -> rendering -> complete progression, rendering a
 * project as JSON, and settling: refunds of failed renders.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mh-sim-private.h"

const SimTool sim_tools[3] = {
  { "/v1/ai-talking-photo", "talking photo", "TALKING_PHOTO", FALSE, "talking-photo" },
  { "/v1/lip-sync", "lip sync", "LIP_SYNC", FALSE, "lip-sync" },
  { "/v1/ai-headshot-generator", "headshot", "AI_HEADSHOT", TRUE, "headshot" },
};

/* Talking photo generation modes the server accepts (December 2026): two
 * modes and their deprecated aliases, with the clip limits and the credits
 * charged per second of clip. The first is the default. */
typedef struct
{
  const char *name;
  const char *mode;                /* the mode it names: realistic or prompted */
  double      max_seconds;
  int         credits_per_second;
} TalkingPhotoMode;

static const TalkingPhotoMode talking_photo_modes[] = {
  { "realistic", "realistic", 300, 48 },
  { "prompted", "prompted", 60, 20 },
  { "pro", "realistic", 300, 48 },
  { "standard", "prompted", 60, 20 },
  { "stable", "realistic", 300, 48 },
  { "expressive", "prompted", 60, 20 },
};

/* Lip sync modes (December 2026: only pro needs a paid plan). */
static const struct
{
  const char *name;
  int         credits_per_frame;
  gboolean    paid_only;
} lip_sync_modes[] = {
  { "lite", 1, FALSE },
  { "standard", 1, FALSE },
  { "pro", 2, TRUE },
};
static const char *
render_error_message (const char *code)
{
  static const struct { const char *code; const char *message; } messages[] = {
    { "no_source_face", "No face was detected in the source image." },
    { "invalid_file_format", "The input file format is not supported." },
    { "invalid_video_file", "The input video file could not be processed." },
    { "file_too_large", "The input file exceeds the maximum allowed size." },
    { "insufficient_credits", "Insufficient credits to complete the render." },
    { "invalid_parameters", "The render parameters are invalid." },
    { "processing_timeout", "The render timed out." },
    { "unknown_error", "An unknown error occurred while rendering." },
    { "content_policy_violation", "The input was flagged by the content policy." },
    { "text_too_long", "The text is too long." },
    { "invalid_voice", "The voice is not valid." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    if (g_strcmp0 (messages[i].code, code) == 0)
      return messages[i].message;

  return "The render failed.";
}
/* ------------------------------------------------------------------------ */
/* Projects                                                                 */

static const char *
project_status (MhSimulator *self,
                SimProject  *project,
                gint64       now_mono)
{
  gint64 elapsed = now_mono - project->created_mono_us;

  if (elapsed < project->render_us / 5)
    return "queued";
  if (elapsed < project->render_us)
    return "rendering";

  switch (project->outcome)
    {
    case OUTCOME_ERROR: return "error";
    case OUTCOME_CANCELED: return "canceled";
    case OUTCOME_COMPLETE:
    default:
      return "complete";
    }
}

/* Refunds the projects whose render failed, once they reach that state. */
void
sim_settle_projects (MhSimulator *self)
{
  GHashTableIter iter;
  SimProject *project;
  gint64 now = g_get_monotonic_time ();

  g_hash_table_iter_init (&iter, self->projects);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &project))
    {
      if (project->settled || now - project->created_mono_us < project->render_us)
        continue;

      project->settled = TRUE;
      if (project->outcome != OUTCOME_COMPLETE)
        {
          self->credits += project->credits;
          project->credits = 0;
          sim_notify_credits (self);
        }
    }
}

/* @links_expire_us: when the download links handed out now expire (real time). */
static JsonNode *
project_to_json (MhSimulator *self,
                 SimProject  *project,
                 gint64       links_expire_us)
{
  JsonObject *object = json_object_new ();
  JsonArray *downloads = json_array_new ();
  JsonNode *node;
  const char *status;
  gboolean complete;
  g_autofree char *created_at = sim_format_iso8601 (project->created_real_us);

  sim_settle_projects (self);
  status = project_status (self, project, g_get_monotonic_time ());
  complete = g_str_equal (status, "complete");

  json_object_set_string_member (object, "id", project->id);
  if (project->name != NULL)
    json_object_set_string_member (object, "name", project->name);
  else
    json_object_set_null_member (object, "name");
  json_object_set_string_member (object, "status", status);
  json_object_set_string_member (object, "type", project->tool->project_type);
  if (project->tool->image)
    json_object_set_int_member (object, "image_count", complete ? 1 : 0);
  json_object_set_string_member (object, "created_at", created_at);
  if (!project->tool->image)
    {
      json_object_set_int_member (object, "width", complete ? 320 : -1);
      json_object_set_int_member (object, "height", complete ? 240 : -1);
    }
  json_object_set_boolean_member (object, "enabled", project->enabled);
  if (!project->tool->image)
    {
      json_object_set_double_member (object, "start_seconds", project->start_seconds);
      json_object_set_double_member (object, "end_seconds", project->end_seconds);
      json_object_set_double_member (object, "fps", project->fps);
    }
  json_object_set_int_member (object, "credits_charged", project->credits);
  json_object_set_int_member (object, "total_frame_cost", project->credits);

  if (g_str_equal (status, "error"))
    {
      JsonObject *error = json_object_new ();

      json_object_set_string_member (error, "code", project->error_code);
      json_object_set_string_member (error, "message",
                                     render_error_message (project->error_code));
      json_object_set_object_member (object, "error", error);
    }
  else
    {
      json_object_set_null_member (object, "error");
    }

  if (complete && project->enabled)
    {
      DownloadGrant *grant = sim_project_new_grant (self, project, links_expire_us);
      JsonObject *download = json_object_new ();
      g_autofree char *url = NULL;
      g_autofree char *expires_at = sim_format_iso8601 (grant->expires_us);

      if (project->download_url != NULL)
        url = g_strdup (project->download_url);
      else if (self->storage_url != NULL)
        url = g_strdup_printf ("%s/output/%s/%s?expires=%" G_GINT64_FORMAT "&signature=%s",
                               self->storage_url, project->id, grant->name,
                               sim_url_expires (grant->expires_us), grant->signature);
      else
        url = g_strdup_printf ("%s/storage/output/%s/%s?expires=%" G_GINT64_FORMAT
                               "&signature=%s",
                               self->base_url, project->id, grant->name,
                               sim_url_expires (grant->expires_us), grant->signature);
      json_object_set_string_member (download, "url", url);
      json_object_set_string_member (download, "expires_at", expires_at);
      if (!project->tool->image)
        json_object_set_object_member (object, "download", json_object_ref (download));
      /* More than one: the same file under one grant, as often as asked. */
      for (guint i = 1; i < project->n_downloads; i++)
        json_array_add_object_element (downloads, json_object_ref (download));
      if (project->n_downloads > 0)
        json_array_add_object_element (downloads, download);
      else
        json_object_unref (download);
    }
  else if (!project->tool->image)
    {
      json_object_set_null_member (object, "download");
    }
  json_object_set_array_member (object, "downloads", downloads);

  /* Clients must ignore what they do not know. What the simulator decided
   * is shown for the tests: the preset a talking photo renders at. */
  json_object_set_boolean_member (object, "x_sim", TRUE);
  if (project->resolution != NULL)
    json_object_set_string_member (object, "x_sim_resolution", project->resolution);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);

  return node;
}
void
sim_handle_project (MhSimulator *self,
                    SimExchange *ex,
                    gboolean     image,
                    const char  *id)
{
  SimProject *project = g_hash_table_lookup (self->projects, id);
  gint64 expires_us;

  if (project == NULL || project->tool->image != image)
    {
      sim_respond_error (ex, SOUP_STATUS_NOT_FOUND, "Not Found");
      return;
    }

  if (g_str_equal (ex->req->method, "DELETE"))
    {
      if (project->template || sim_exchange_has_fault (ex, MH_SIM_FAULT_TEMPLATE))
        {
          g_autofree char *message = g_strdup_printf ("The %s project %s is a template and "
                                                      "cannot be deleted",
                                                      image ? "image" : "video", project->id);

          sim_respond_error_code (ex, 422, "unprocessable_entity", message);
          return;
        }
      project->enabled = FALSE;
      g_ptr_array_set_size (project->grants, 0);
      sim_respond_json (ex, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }

  if (sim_exchange_has_fault (ex, MH_SIM_FAULT_EXPIRED_URL))
    expires_us = g_get_real_time () - G_USEC_PER_SEC;
  else if (sim_exchange_has_fault (ex, MH_SIM_FAULT_EXPIRING))
    expires_us = g_get_real_time () + (gint64) MAX (ex->fault.code, 0) * G_USEC_PER_SEC;
  else
    expires_us = g_get_real_time () + sim_lifetime_us (self->download_url_lifetime);

  sim_respond_json (ex, SOUP_STATUS_OK, project_to_json (self, project, expires_us));
}

/* The parts common to the three creates. */
typedef struct
{
  double       start;
  double       end;
  const char  *name;
  JsonObject  *assets;
  JsonObject  *style;
} CreateCommon;

static gboolean
read_time_range (JsonObject   *body,
                 CreateCommon *common,
                 char        **message)
{
  if (sim_get_number (body, "start_seconds", "start_seconds", TRUE, FALSE, &common->start,
                      message) == FIELD_INVALID ||
      sim_get_number (body, "end_seconds", "end_seconds", TRUE, FALSE, &common->end,
                      message) == FIELD_INVALID)
    return FALSE;

  if (common->start < 0)
    {
      *message = g_strdup ("start_seconds must be greater than or equal to 0");
      return FALSE;
    }
  if (common->end < 0.1)
    {
      *message = g_strdup ("end_seconds must be greater than or equal to 0.1");
      return FALSE;
    }
  if (common->end <= common->start)
    {
      *message = g_strdup ("end_seconds must be greater than start_seconds");
      return FALSE;
    }

  return TRUE;
}

static gint64
frames_for (double seconds,
            double fps)
{
  /* The small epsilon keeps 0.1 * 30 from becoming 4 frames. */
  return (gint64) ceil (seconds * fps - 1e-9);
}

/* The preset a plan renders at, at most. */
static const char *
plan_max_resolution (MhSimulator *self)
{
  return g_str_equal (sim_account_tier (self), "free") ? "480p" : "720p";
}

/* Reads and checks a talking photo create (December 2026): its mode, clip,
 * resolution and cost. Answers the request itself and returns FALSE when it
 * is refused. */
static gboolean
read_talking_photo (MhSimulator    *self,
                    SimExchange    *ex,
                    const SimTool  *tool,
                    JsonObject     *body,
                    CreateCommon   *common,
                    gint64         *cost,
                    const char    **resolution,
                    char          **message)
{
  const char *image, *audio, *prompt, *mode = NULL, *preset = NULL;
  double intensity, max_resolution;
  const TalkingPhotoMode *tp_mode = &talking_photo_modes[0];
  FieldState intensity_state, preset_state, max_state;

  if (sim_get_string (common->assets, "image_file_path", "assets.image_file_path", TRUE,
                      &image, message) == FIELD_INVALID ||
      sim_get_string (common->assets, "audio_file_path", "assets.audio_file_path", TRUE,
                      &audio, message) == FIELD_INVALID ||
      !read_time_range (body, common, message) ||
      sim_get_string (common->style, "generation_mode", "style.generation_mode", FALSE,
                      &mode, message) == FIELD_INVALID ||
      (intensity_state = sim_get_number (common->style, "intensity", "style.intensity", FALSE,
                                         FALSE, &intensity, message)) == FIELD_INVALID ||
      sim_get_string (common->style, "prompt", "style.prompt", FALSE,
                      &prompt, message) == FIELD_INVALID ||
      (preset_state = sim_get_string (body, "resolution", "resolution", FALSE,
                                      &preset, message)) == FIELD_INVALID ||
      (max_state = sim_get_number (body, "max_resolution", "max_resolution", FALSE, TRUE,
                                   &max_resolution, message)) == FIELD_INVALID)
    goto bad_request;

  if (intensity_state == FIELD_PRESENT && (intensity < 0.1 - 1e-9 || intensity > 2 + 1e-9))
    {
      *message = g_strdup ("style.intensity must be between 0.1 and 2");
      goto bad_request;
    }
  if (preset_state == FIELD_PRESENT && !g_str_equal (preset, "480p") &&
      !g_str_equal (preset, "720p"))
    {
      *message = g_strdup ("resolution must be one of: 480p, 720p");
      goto bad_request;
    }
  if (max_state == FIELD_PRESENT && max_resolution < 1)
    {
      *message = g_strdup ("max_resolution must be greater than or equal to 1");
      goto bad_request;
    }

  if (mode != NULL)
    {
      tp_mode = NULL;
      for (guint i = 0; i < G_N_ELEMENTS (talking_photo_modes); i++)
        if (g_str_equal (mode, talking_photo_modes[i].name))
          tp_mode = &talking_photo_modes[i];
      if (tp_mode == NULL)
        {
          *message = g_strdup ("style.generation_mode must be one of: realistic, prompted, "
                               "pro, standard, stable, expressive");
          goto bad_request;
        }
    }

  if (!sim_check_asset (self, tool, image, "assets.image_file_path", MH_ASSET_IMAGE,
                        message) ||
      !sim_check_asset (self, tool, audio, "assets.audio_file_path", MH_ASSET_AUDIO,
                        message))
    goto unprocessable;

  if (common->end - common->start > tp_mode->max_seconds + 1e-9)
    {
      *message = g_strdup_printf ("Unable to create %s: the clip is %.2f seconds long; "
                                  "the %s mode allows at most %.0f seconds", tool->what,
                                  common->end - common->start, tp_mode->name,
                                  tp_mode->max_seconds);
      goto unprocessable;
    }

  /* resolution wins; max_resolution (deprecated) is mapped to a preset; the
   * default depends on the mode; the plan caps it. */
  if (preset_state == FIELD_PRESENT)
    *resolution = g_str_equal (preset, "720p") ? "720p" : "480p";
  else if (max_state == FIELD_PRESENT)
    *resolution = max_resolution >= 1280 ? "720p" : "480p";
  else if (g_str_equal (tp_mode->mode, "prompted"))
    *resolution = "480p";
  else
    *resolution = plan_max_resolution (self);
  if (g_str_equal (plan_max_resolution (self), "480p"))
    *resolution = "480p";

  /* The small epsilon keeps 0.1 * 30 from becoming 4 credits. */
  *cost = (gint64) ceil ((common->end - common->start) * tp_mode->credits_per_second - 1e-9);

  return TRUE;

bad_request:
  sim_respond_error (ex, SOUP_STATUS_BAD_REQUEST, *message);
  return FALSE;

unprocessable:
  sim_respond_error (ex, 422, *message);
  return FALSE;
}

void
sim_handle_create (MhSimulator   *self,
                   SimExchange   *ex,
                   const SimTool *tool)
{
  JsonObject *body;
  CreateCommon common = { 0, };
  g_autofree char *message = NULL;
  const char *mode = NULL;
  const char *resolution = NULL;
  double fps = SIM_FPS;
  gint64 cost;
  SimProject *project;
  JsonObject *answer;
  JsonNode *node;

  if (ex->req->json == NULL || !JSON_NODE_HOLDS_OBJECT (ex->req->json))
    {
      sim_respond_error (ex, SOUP_STATUS_BAD_REQUEST, "The request body must be a JSON object");
      return;
    }
  body = json_node_get_object (ex->req->json);

  if (sim_get_object (body, "assets", "assets", TRUE, &common.assets, &message) == FIELD_INVALID ||
      sim_get_string (body, "name", "name", FALSE, &common.name, &message) == FIELD_INVALID ||
      sim_get_object (body, "style", "style", FALSE, &common.style, &message) == FIELD_INVALID)
    goto bad_request;

  if (g_str_equal (tool->project_type, "TALKING_PHOTO"))
    {
      if (!read_talking_photo (self, ex, tool, body, &common, &cost, &resolution, &message))
        goto refused;
    }
  else if (g_str_equal (tool->project_type, "LIP_SYNC"))
    {
      const char *audio, *source, *video = NULL, *youtube = NULL;
      double max_fps, ignored;
      int per_frame = 1;
      FieldState fps_state = FIELD_ABSENT;

      if (sim_get_string (common.assets, "audio_file_path", "assets.audio_file_path", TRUE,
                          &audio, &message) == FIELD_INVALID ||
          sim_get_string (common.assets, "video_source", "assets.video_source", TRUE,
                          &source, &message) == FIELD_INVALID ||
          sim_get_string (common.assets, "video_file_path", "assets.video_file_path", FALSE,
                          &video, &message) == FIELD_INVALID ||
          sim_get_string (common.assets, "youtube_url", "assets.youtube_url", FALSE,
                          &youtube, &message) == FIELD_INVALID ||
          !read_time_range (body, &common, &message) ||
          sim_get_string (common.style, "generation_mode", "style.generation_mode", FALSE,
                          &mode, &message) == FIELD_INVALID ||
          (fps_state = sim_get_number (body, "max_fps_limit", "max_fps_limit", FALSE, FALSE,
                                       &max_fps, &message)) == FIELD_INVALID ||
          sim_get_number (body, "width", "width", FALSE, TRUE, &ignored, &message) == FIELD_INVALID ||
          sim_get_number (body, "height", "height", FALSE, TRUE, &ignored, &message) == FIELD_INVALID)
        goto bad_request;

      if (g_str_equal (source, "file"))
        {
          if (video == NULL || *video == '\0')
            {
              message = g_strdup ("assets.video_file_path is required when "
                                  "assets.video_source is file");
              goto bad_request;
            }
        }
      else if (g_str_equal (source, "youtube"))
        {
          if (youtube == NULL || *youtube == '\0')
            {
              message = g_strdup ("assets.youtube_url is required when "
                                  "assets.video_source is youtube");
              goto bad_request;
            }
          if (!g_str_has_prefix (youtube, "http://") && !g_str_has_prefix (youtube, "https://"))
            {
              message = g_strdup ("assets.youtube_url must be an http or https URL");
              goto bad_request;
            }
        }
      else
        {
          message = g_strdup ("assets.video_source must be one of: file, youtube");
          goto bad_request;
        }

      if (fps_state == FIELD_PRESENT)
        {
          if (max_fps < 1)
            {
              message = g_strdup ("max_fps_limit must be greater than or equal to 1");
              goto bad_request;
            }
          fps = MIN (max_fps, SIM_FPS);
        }

      if (mode != NULL)
        {
          gboolean found = FALSE;

          for (guint i = 0; i < G_N_ELEMENTS (lip_sync_modes); i++)
            if (g_str_equal (mode, lip_sync_modes[i].name))
              {
                found = TRUE;
                per_frame = lip_sync_modes[i].credits_per_frame;
                if (lip_sync_modes[i].paid_only &&
                    g_str_equal (sim_account_tier (self), "free"))
                  {
                    g_autofree char *text =
                      g_strdup_printf ("The %s generation mode needs the Creator plan or "
                                       "higher", mode);

                    sim_respond_error_code (ex, SOUP_STATUS_PAYMENT_REQUIRED,
                                            "plan_upgrade_required", text);
                    return;
                  }
              }
          if (!found)
            {
              message = g_strdup ("style.generation_mode must be one of: lite, standard, pro");
              goto bad_request;
            }
        }

      if (!sim_check_asset (self, tool, audio, "assets.audio_file_path", MH_ASSET_AUDIO,
                            &message) ||
          (g_str_equal (source, "file") &&
           !sim_check_asset (self, tool, video, "assets.video_file_path", MH_ASSET_VIDEO,
                             &message)))
        goto unprocessable;

      cost = frames_for (common.end - common.start, fps) * per_frame;
    }
  else
    {
      const char *image, *prompt;

      if (sim_get_string (common.assets, "image_file_path", "assets.image_file_path", TRUE,
                          &image, &message) == FIELD_INVALID ||
          sim_get_string (common.style, "prompt", "style.prompt", FALSE,
                          &prompt, &message) == FIELD_INVALID)
        goto bad_request;

      if (!sim_check_asset (self, tool, image, "assets.image_file_path", MH_ASSET_IMAGE, &message))
        goto unprocessable;

      cost = HEADSHOT_CREDITS;
      fps = 0;
    }

  sim_settle_projects (self);
  if (cost > self->credits)
    {
      message = g_strdup_printf ("Not enough credits: this %s costs %" G_GINT64_FORMAT
                                 " credits and the account has %" G_GINT64_FORMAT,
                                 tool->what, cost, MAX (self->credits, 0));
      sim_respond_error_code (ex, SOUP_STATUS_PAYMENT_REQUIRED, "insufficient_credits", message);
      return;
    }

  project = g_new0 (SimProject, 1);
  project->id = sim_new_cuid (self);
  project->tool = tool;
  project->created_real_us = g_get_real_time ();
  project->created_mono_us = g_get_monotonic_time ();
  project->render_us = sim_lifetime_us (self->render_seconds);
  project->start_seconds = common.start;
  project->end_seconds = common.end;
  project->fps = fps;
  project->credits = cost;
  project->resolution = resolution;
  project->output_bytes = self->output_bytes;
  project->enabled = TRUE;
  project->n_downloads = 1;
  project->grants = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_download_grant_free);
  project->outcome = OUTCOME_COMPLETE;
  project->download_name = g_strdup_printf ("%s-%s.%s", tool->file_stem, project->id,
                                            tool->image ? "png" : "mp4");

  if (common.name != NULL)
    project->name = g_strdup (common.name);
  else if (g_str_equal (tool->project_type, "TALKING_PHOTO"))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      project->name = g_date_time_format (now, "Talking Photo - %Y-%m-%d %H:%M:%S");
    }

  if (sim_exchange_has_fault (ex, MH_SIM_FAULT_RENDER_ERROR))
    {
      project->outcome = OUTCOME_ERROR;
      project->error_code = g_strdup (ex->fault.text != NULL ? ex->fault.text : "unknown_error");
    }
  else if (sim_exchange_has_fault (ex, MH_SIM_FAULT_CANCELED))
    {
      project->outcome = OUTCOME_CANCELED;
    }
  else if (sim_exchange_has_fault (ex, MH_SIM_FAULT_HOSTILE_NAME))
    {
      g_free (project->download_name);
      project->download_name = sim_encode_segment (ex->fault.text != NULL ? ex->fault.text :
                                                   "../../evil.mp4");
    }
  else if (sim_exchange_has_fault (ex, MH_SIM_FAULT_DOWNLOADS))
    project->n_downloads = MAX (ex->fault.code, 0);
  else if (sim_exchange_has_fault (ex, MH_SIM_FAULT_DOWNLOAD_URL))
    project->download_url = g_strdup (ex->fault.text != NULL ? ex->fault.text : "file:///etc/passwd");
  else if (sim_exchange_has_fault (ex, MH_SIM_FAULT_TEMPLATE))
    project->template = !tool->image;

  self->credits -= cost;
  g_hash_table_insert (self->projects, project->id, project);
  sim_notify_credits (self);

  answer = json_object_new ();
  json_object_set_string_member (answer, "id", project->id);
  json_object_set_int_member (answer, "credits_charged", cost);
  json_object_set_int_member (answer, tool->image ? "frame_cost" : "estimated_frame_cost", cost);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, answer);
  sim_respond_json (ex, SOUP_STATUS_OK, node);
  return;

bad_request:
  sim_respond_error (ex, SOUP_STATUS_BAD_REQUEST, message);
  return;

refused:
  /* Already answered */
  return;

unprocessable:
  sim_respond_error (ex, 422, message);
}
