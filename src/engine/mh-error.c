/* mh-error.c: the engine's error domain and the sentences people read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mh-error.h"

G_DEFINE_QUARK (mh-error-quark, mh_error)

/* Render error codes (CONTRACT.md, section 3), as a person would want them
 * explained: what went wrong and what to do next. */
char *
mh_error_describe_render_code (const char *code,
                               const char *server_message)
{
  static const struct { const char *code; const char *sentence; } known[] = {
    { "no_source_face",
      N_("No face was found in the photo. Use a photo where one face is clearly visible, facing the camera.") },
    { "invalid_file_format",
      N_("Magic Hour could not read one of the files. Convert it to a common format (MP4, MP3, WAV, PNG or JPEG) and try again.") },
    { "invalid_video_file",
      N_("The video could not be processed. Check that it plays, or convert it to MP4 (H.264), and try again.") },
    { "file_too_large",
      N_("A file is larger than your plan allows. Use a shorter or smaller file, or upgrade your plan.") },
    { "insufficient_credits",
      N_("Your account ran out of credits during the render. Add credits and try again; the charge for this job was refunded.") },
    { "invalid_parameters",
      N_("Magic Hour rejected the settings of this job. Check the time range and the options, then try again.") },
    { "processing_timeout",
      N_("The render took too long and was stopped on the server. Try a shorter clip, or try again later.") },
    { "content_policy_violation",
      N_("Magic Hour refused to render this job because an input breaks its content policy. Use other inputs and try again.") },
    { "text_too_long",
      N_("The text is longer than Magic Hour allows. Shorten it and try again.") },
    { "invalid_voice",
      N_("Magic Hour does not know the chosen voice. Choose another voice and try again.") },
    { "unknown_error",
      N_("The render failed on Magic Hour's side for an unknown reason. Try again; if it keeps failing, contact Magic Hour support.") },
  };

  if (code != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (known); i++)
      if (g_str_equal (code, known[i].code))
        return g_strdup (_(known[i].sentence));

  if (server_message != NULL && *server_message != '\0')
    /* Translators: %s is the server's own explanation, in English */
    return g_strdup_printf (_("The render failed: %s"), server_message);

  return g_strdup (_("The render failed on Magic Hour's side. Try again; if it keeps failing, contact Magic Hour support."));
}

/* The API's own explanation in an error answer: its string member
 * "message", or NULL. */
char *
mh_error_message_from_body (JsonNode *body)
{
  JsonNode *message;

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    return NULL;
  message = json_object_get_member (json_node_get_object (body), "message");
  if (message == NULL || json_node_get_value_type (message) != G_TYPE_STRING)
    return NULL;

  return g_strdup (json_node_get_string (message));
}

/* The API's machine-readable "code" in an error answer (December 2026
 * contract), or NULL for older answers that carry only "message". */
char *
mh_error_code_from_body (JsonNode *body)
{
  JsonNode *code;

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    return NULL;
  code = json_object_get_member (json_node_get_object (body), "code");
  if (code == NULL || json_node_get_value_type (code) != G_TYPE_STRING ||
      *json_node_get_string (code) == '\0')
    return NULL;

  return g_strdup (json_node_get_string (code));
}

/* The place on magichour.ai where each refusal of the account is put
 * right. Only the pricing page is known to exist; it serves all three. */
static const struct
{
  MhError     code;
  const char *url;
  const char *label;
} links[] = {
  { MH_ERROR_INSUFFICIENT_CREDITS,  "https://magichour.ai/pricing", N_("Buy Credits") },
  { MH_ERROR_SUBSCRIPTION_REQUIRED, "https://magichour.ai/pricing", N_("Subscribe") },
  { MH_ERROR_PLAN_UPGRADE_REQUIRED, "https://magichour.ai/pricing", N_("Upgrade Plan") },
};

static int
find_link (const GError *error)
{
  if (error == NULL || error->domain != MH_ERROR)
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    if ((int) links[i].code == error->code)
      return (int) i;
  return -1;
}

/* The web page where what @error asks for is done, or NULL. */
const char *
mh_error_get_link (const GError *error)
{
  int i = find_link (error);

  return i >= 0 ? links[i].url : NULL;
}

/* The label of a button that opens mh_error_get_link(), or NULL. */
const char *
mh_error_get_link_label (const GError *error)
{
  int i = find_link (error);

  return i >= 0 ? _(links[i].label) : NULL;
}

/* An HTTP error status of an API call, as an error a person understands.
 * @what says which step failed ("Creating the job"). */
GError *
mh_error_new_for_status (guint       status,
                         const char *server_message,
                         const char *what)
{
  return mh_error_new_for_answer (status, NULL, server_message, what);
}

/* An error answer of an API call: by its @code (may be NULL) when it has
 * one this client knows, else by its @status. @server_message is only
 * quoted, never matched on. */
GError *
mh_error_new_for_answer (guint       status,
                         const char *code,
                         const char *server_message,
                         const char *what)
{
  const char *detail = server_message != NULL && *server_message != '\0' ? server_message : NULL;

  if (g_strcmp0 (code, "insufficient_credits") == 0)
    status = 402;
  else if (g_strcmp0 (code, "subscription_required") == 0)
    return g_error_new (MH_ERROR, MH_ERROR_SUBSCRIPTION_REQUIRED,
                        _("%s failed: this tool or option needs a paid Magic Hour subscription. Subscribe on magichour.ai, or choose another option."),
                        what);
  else if (g_strcmp0 (code, "plan_upgrade_required") == 0)
    return g_error_new (MH_ERROR, MH_ERROR_PLAN_UPGRADE_REQUIRED,
                        _("%s failed: this option needs a higher plan than your account's. Upgrade your plan on magichour.ai, or choose another option."),
                        what);
  else if (g_strcmp0 (code, "invalid_request") == 0)
    status = 400;
  else if (g_strcmp0 (code, "unauthorized") == 0)
    status = 401;
  else if (g_strcmp0 (code, "not_found") == 0)
    status = 404;
  else if (g_strcmp0 (code, "unprocessable_entity") == 0)
    status = 422;
  else if (g_strcmp0 (code, "internal_server_error") == 0 && status < 500)
    status = 500;

  switch (status)
    {
    case 400:
      return g_error_new (MH_ERROR, MH_ERROR_BAD_REQUEST,
                          _("%s failed: Magic Hour refused the request (%s). Check the inputs."),
                          what, detail != NULL ? detail : _("bad request"));
    case 401:
      if (mh_error_get_cli_words ())
        return g_error_new (MH_ERROR, MH_ERROR_UNAUTHORIZED,
                            _("%s failed: the API key was not accepted. Check the key in MAGIC_HOUR_API_KEY (or the one Magic Hour Studio saved in the keyring), or create a new one in Magic Hour's Developer Hub."),
                            what);
      return g_error_new (MH_ERROR, MH_ERROR_UNAUTHORIZED,
                          _("%s failed: the API key was not accepted. Check the key in Preferences, or create a new one in Magic Hour's Developer Hub."),
                          what);
    case 402:
      return g_error_new (MH_ERROR, MH_ERROR_INSUFFICIENT_CREDITS,
                          _("%s failed: your account does not have enough credits for this job. Buy credits on magichour.ai and try again."),
                          what);
    case 403:
      return g_error_new (MH_ERROR, MH_ERROR_NOT_ON_PLAN,
                          _("%s failed: this feature is not on your plan (%s). Choose another mode or upgrade your plan."),
                          what, detail != NULL ? detail : _("forbidden"));
    case 404:
      return g_error_new (MH_ERROR, MH_ERROR_NOT_FOUND,
                          _("%s failed: Magic Hour does not know this project. Check the project ID."),
                          what);
    case 422:
      return g_error_new (MH_ERROR, MH_ERROR_UNPROCESSABLE,
                          _("%s failed: Magic Hour could not use the input (%s)."),
                          what, detail != NULL ? detail : _("unprocessable"));
    case 429:
      return g_error_new (MH_ERROR, MH_ERROR_RATE_LIMITED,
                          _("%s failed: Magic Hour is receiving too many requests from this key. Wait a minute and try again."),
                          what);
    default:
      if (status >= 500)
        return g_error_new (MH_ERROR, MH_ERROR_SERVER,
                            _("%s failed: Magic Hour's server had a problem (HTTP %u). Try again in a few minutes."),
                            what, status);
      /* Not an answer of this API (a 405 or 410 from something else at
       * that address): asking again would get the same. */
      return g_error_new (MH_ERROR, MH_ERROR_MALFORMED,
                          _("%s failed with an unexpected answer (HTTP %u)."),
                          what, status);
    }
}

/* The choice of @tool's options in @params (or the server's default when
 * unset) that needs a plan (MhChoice.min_plan), with its option; FALSE when
 * none does. */
static gboolean
find_gated_choice (const MhTool     *tool,
                   GHashTable       *params,
                   const MhOption  **option_out,
                   const MhChoice  **choice_out)
{
  for (guint i = 0; i < tool->n_options; i++)
    {
      const MhOption *option = &tool->options[i];
      const char *value = params != NULL ? g_hash_table_lookup (params, option->key) : NULL;
      const MhChoice *choice;

      if (option->type != MH_OPTION_CHOICE || !mh_tool_option_applies (tool, option, params))
        continue;
      if (value == NULL || *value == '\0')
        value = option->default_value;
      choice = mh_option_resolve_choice (option, value);
      if (choice != NULL && choice->min_plan != NULL)
        {
          *option_out = option;
          *choice_out = choice;
          return TRUE;
        }
    }

  return FALSE;
}

/* A create refused because the account's plan or subscription does not
 * cover an option (402 plan_upgrade_required or subscription_required): a
 * new error whose sentence names the option chosen in @params that needs a
 * plan, and which plan. NULL when @error is not such a refusal or no chosen
 * option is known to need a plan: the generic sentence stands then. */
GError *
mh_error_name_plan_option (const GError *error,
                           const MhTool *tool,
                           GHashTable   *params)
{
  const MhOption *option = NULL;
  const MhChoice *choice = NULL;
  g_autofree char *option_label = NULL;

  if (error == NULL || tool == NULL ||
      !(g_error_matches (error, MH_ERROR, MH_ERROR_PLAN_UPGRADE_REQUIRED) ||
        g_error_matches (error, MH_ERROR, MH_ERROR_SUBSCRIPTION_REQUIRED)) ||
      !find_gated_choice (tool, params, &option, &choice))
    return NULL;

  option_label = g_utf8_strdown (_(option->label), -1);
  if (error->code == MH_ERROR_SUBSCRIPTION_REQUIRED)
    return g_error_new (MH_ERROR, MH_ERROR_SUBSCRIPTION_REQUIRED,
                        /* Translators: "Lip Sync's Pro quality needs a paid subscription
                         * (the Creator plan or higher)...": %1$s is the tool, %2$s the
                         * chosen choice, %3$s the option's name in lower case, %4$s a plan */
                        _("%1$s's %2$s %3$s needs a paid subscription (the %4$s plan or higher). Subscribe on magichour.ai, or choose another option."),
                        _(tool->name), _(choice->label), option_label,
                        mh_plan_name (choice->min_plan));

  return g_error_new (MH_ERROR, MH_ERROR_PLAN_UPGRADE_REQUIRED,
                      /* Translators: "Lip Sync's Pro quality needs the Creator plan or
                       * higher": %1$s is the tool, %2$s the chosen choice, %3$s the
                       * option's name in lower case, %4$s a plan */
                      _("%1$s's %2$s %3$s needs the %4$s plan or higher. Upgrade your plan on magichour.ai, or choose another option."),
                      _(tool->name), _(choice->label), option_label,
                      mh_plan_name (choice->min_plan));
}

/* A DELETE of a project that failed with @error: a video project answering
 * 422 is a template, which Magic Hour keeps (CONTRACT.md, section 5), and a
 * new error says so. NULL for any other failure: @error says it well. */
GError *
mh_error_new_for_delete (const GError  *error,
                         MhProjectKind  kind)
{
  if (kind != MH_PROJECT_VIDEO || !g_error_matches (error, MH_ERROR, MH_ERROR_UNPROCESSABLE))
    return NULL;

  return g_error_new_literal (MH_ERROR, MH_ERROR_UNPROCESSABLE,
                              _("This video project is a template at Magic Hour, and templates cannot be deleted. It was kept."));
}

static gboolean cli_words;

/* Set once, before any thread runs; read-only afterwards. */
void
mh_error_use_cli_words (void)
{
  cli_words = TRUE;
}

gboolean
mh_error_get_cli_words (void)
{
  return cli_words;
}

/* The API said no to the request itself (the CLI's exit status 3). */
gboolean
mh_error_is_refusal (const GError *error)
{
  if (error == NULL || error->domain != MH_ERROR)
    return FALSE;

  switch (error->code)
    {
    case MH_ERROR_BAD_REQUEST:
    case MH_ERROR_UNAUTHORIZED:
    case MH_ERROR_INSUFFICIENT_CREDITS:
    case MH_ERROR_SUBSCRIPTION_REQUIRED:
    case MH_ERROR_PLAN_UPGRADE_REQUIRED:
    case MH_ERROR_NOT_ON_PLAN:
    case MH_ERROR_NOT_FOUND:
    case MH_ERROR_UNPROCESSABLE:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Worth another try with backoff on an idempotent step. An answer that
 * could not be read is not: the client asked again already, and a server
 * that garbles its answers is not waited out. */
gboolean
mh_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != MH_ERROR)
    return FALSE;

  return error->code == MH_ERROR_RATE_LIMITED ||
         error->code == MH_ERROR_SERVER ||
         error->code == MH_ERROR_NETWORK;
}
