/* test-errors.c: error answers read by their code, else by their status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mh-error.h"
#include "mh-json.h"

typedef struct
{
  const char *path;
  guint       status;
  const char *body;
  MhError     expected;
  const char *sentence_part;   /* what the person reads */
} ErrorCase;

/* The contract's table (Transport, December 2026), with and without code. */
static const ErrorCase cases[] = {
  { .path = "/errors/400/code", .status = 400,
    .body = "{\"code\":\"invalid_request\",\"message\":\"x\"}",
    .expected = MH_ERROR_BAD_REQUEST },
  { .path = "/errors/401/code", .status = 401,
    .body = "{\"code\":\"unauthorized\",\"message\":\"x\"}",
    .expected = MH_ERROR_UNAUTHORIZED, .sentence_part = "API key" },
  { .path = "/errors/402/insufficient-credits", .status = 402,
    .body = "{\"code\":\"insufficient_credits\",\"message\":\"x\"}",
    .expected = MH_ERROR_INSUFFICIENT_CREDITS, .sentence_part = "Buy credits" },
  { .path = "/errors/402/subscription-required", .status = 402,
    .body = "{\"code\":\"subscription_required\",\"message\":\"x\"}",
    .expected = MH_ERROR_SUBSCRIPTION_REQUIRED, .sentence_part = "Subscribe" },
  { .path = "/errors/402/plan-upgrade-required", .status = 402,
    .body = "{\"code\":\"plan_upgrade_required\",\"message\":\"x\"}",
    .expected = MH_ERROR_PLAN_UPGRADE_REQUIRED, .sentence_part = "Upgrade your plan" },
  { .path = "/errors/402/no-code", .status = 402,
    .body = "{\"message\":\"Payment required\"}",
    .expected = MH_ERROR_INSUFFICIENT_CREDITS, .sentence_part = "Buy credits" },
  { .path = "/errors/403/no-code", .status = 403,
    .body = "{\"message\":\"Forbidden\"}",
    .expected = MH_ERROR_NOT_ON_PLAN },
  { .path = "/errors/404/code", .status = 404,
    .body = "{\"code\":\"not_found\",\"message\":\"x\"}",
    .expected = MH_ERROR_NOT_FOUND },
  { .path = "/errors/422/code", .status = 422,
    .body = "{\"code\":\"unprocessable_entity\",\"message\":\"x\"}",
    .expected = MH_ERROR_UNPROCESSABLE },
  { .path = "/errors/500/code", .status = 500,
    .body = "{\"code\":\"internal_server_error\",\"message\":\"x\"}",
    .expected = MH_ERROR_SERVER },
  /* The code wins over the status; the message is never matched on. */
  { .path = "/errors/code-wins", .status = 400,
    .body = "{\"code\":\"subscription_required\",\"message\":\"not enough credits\"}",
    .expected = MH_ERROR_SUBSCRIPTION_REQUIRED, .sentence_part = "Subscribe" },
  { .path = "/errors/message-ignored", .status = 402,
    .body = "{\"message\":\"plan_upgrade_required\"}",
    .expected = MH_ERROR_INSUFFICIENT_CREDITS },
  /* An unknown code: the status decides. */
  { .path = "/errors/unknown-code", .status = 401,
    .body = "{\"code\":\"brand_new\",\"message\":\"x\"}",
    .expected = MH_ERROR_UNAUTHORIZED },
};

static void
test_case (gconstpointer data)
{
  const ErrorCase *c = data;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(JsonNode) body = mh_json_parse (c->body, strlen (c->body), MH_JSON_MAX_BYTES,
                                            &parse_error);
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_no_error (parse_error);
  code = mh_error_code_from_body (body);
  message = mh_error_message_from_body (body);
  error = mh_error_new_for_answer (c->status, code, message, "Creating the job");

  g_assert_error (error, MH_ERROR, (int) c->expected);
  g_assert_true (g_str_has_prefix (error->message, "Creating the job"));
  if (c->sentence_part != NULL && strstr (error->message, c->sentence_part) == NULL)
    g_error ("\"%s\" not in \"%s\"", c->sentence_part, error->message);
  g_assert_true (mh_error_is_refusal (error) || c->expected == MH_ERROR_SERVER);
  if (c->expected == MH_ERROR_INSUFFICIENT_CREDITS ||
      c->expected == MH_ERROR_SUBSCRIPTION_REQUIRED ||
      c->expected == MH_ERROR_PLAN_UPGRADE_REQUIRED)
    {
      /* Each 402 says where on magichour.ai it is put right. */
      g_assert_cmpstr (mh_error_get_link (error), ==, "https://magichour.ai/pricing");
      g_assert_nonnull (mh_error_get_link_label (error));
    }
  else
    g_assert_null (mh_error_get_link (error));
}

static void
test_code_from_body (void)
{
  static const char *const no_code[] = {
    "{\"message\":\"x\"}", "{\"code\":\"\"}", "{\"code\":7}", "{\"code\":null}", "[\"code\"]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (no_code); i++)
    {
      g_autoptr(JsonNode) body = mh_json_parse (no_code[i], strlen (no_code[i]),
                                                MH_JSON_MAX_BYTES, NULL);
      g_autofree char *code = mh_error_code_from_body (body);

      g_assert_nonnull (body);
      g_assert_null (code);
    }
  g_assert_null (mh_error_code_from_body (NULL));
}

/* The three render codes new in December 2026 get sentences of their own;
 * an unknown one quotes the API's message. */
static void
test_render_codes (void)
{
  static const char *const codes[] = { "content_policy_violation", "text_too_long", "invalid_voice" };
  g_autofree char *unknown = mh_error_describe_render_code ("brand_new", "The moon is in the way");

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autofree char *sentence = mh_error_describe_render_code (codes[i], "SERVER TEXT");

      g_assert_null (strstr (sentence, "SERVER TEXT"));
      g_assert_null (strstr (sentence, codes[i]));
    }
  g_assert_nonnull (strstr (unknown, "The moon is in the way"));
}

/* A tool like Lip Sync, whose "pro" quality needs the Creator plan. */
static const MhChoice gated_modes[] = {
  { .name = "lite", .wire = "lite", .label = "Lite" },
  { .name = "fancy", .canonical = "pro", .label = "Fancy" },
  { .name = "pro", .wire = "pro", .label = "Pro", .min_plan = "creator" },
};

static const MhOption gated_options[] = {
  { .key = "name", .json_path = "name", .type = MH_OPTION_STRING, .label = "Name" },
  { .key = "mode", .json_path = "style.generation_mode", .type = MH_OPTION_CHOICE,
    .label = "Quality", .choices = gated_modes, .n_choices = G_N_ELEMENTS (gated_modes),
    .default_value = "lite" },
};

static const MhTool gated_tool = {
  .id = "gated", .name = "Lip Sync", .endpoint = "/v1/lip-sync",
  .options = gated_options, .n_options = G_N_ELEMENTS (gated_options),
};

static GError *
name_option (int         code,
             const char *mode)
{
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = g_error_new_literal (MH_ERROR, code, "generic");

  if (mode != NULL)
    g_hash_table_insert (params, (char *) "mode", (char *) mode);
  return mh_error_name_plan_option (error, &gated_tool, params);
}

/* A refusal of the plan names the option chosen that needs it, and the
 * plan; with no such option the generic sentence stands (NULL). */
static void
test_plan_option_named (void)
{
  g_autoptr(GError) upgrade = name_option (MH_ERROR_PLAN_UPGRADE_REQUIRED, "pro");
  g_autoptr(GError) alias = name_option (MH_ERROR_PLAN_UPGRADE_REQUIRED, "fancy");
  g_autoptr(GError) subscribe = name_option (MH_ERROR_SUBSCRIPTION_REQUIRED, "pro");
  g_autoptr(GError) ungated = name_option (MH_ERROR_PLAN_UPGRADE_REQUIRED, "lite");
  g_autoptr(GError) unset = name_option (MH_ERROR_PLAN_UPGRADE_REQUIRED, NULL);
  g_autoptr(GError) credits = name_option (MH_ERROR_INSUFFICIENT_CREDITS, "pro");

  g_assert_error (upgrade, MH_ERROR, MH_ERROR_PLAN_UPGRADE_REQUIRED);
  g_assert_cmpstr (upgrade->message, ==,
                   "Lip Sync's Pro quality needs the Creator plan or higher. "
                   "Upgrade your plan on magichour.ai, or choose another option.");
  g_assert_cmpstr (mh_error_get_link (upgrade), ==, "https://magichour.ai/pricing");
  g_assert_error (alias, MH_ERROR, MH_ERROR_PLAN_UPGRADE_REQUIRED);
  g_assert_cmpstr (alias->message, ==, upgrade->message);
  g_assert_error (subscribe, MH_ERROR, MH_ERROR_SUBSCRIPTION_REQUIRED);
  g_assert_cmpstr (subscribe->message, ==,
                   "Lip Sync's Pro quality needs a paid subscription (the Creator plan or higher). "
                   "Subscribe on magichour.ai, or choose another option.");
  g_assert_null (ungated);
  g_assert_null (unset);
  g_assert_null (credits);
  g_assert_null (mh_error_name_plan_option (NULL, &gated_tool, NULL));
}

/* A video project refusing its DELETE with 422 is a template, kept. */
static void
test_delete_template (void)
{
  g_autoptr(GError) refused = mh_error_new_for_answer (422, "unprocessable_entity", "x",
                                                       "Deleting the project");
  g_autoptr(GError) legacy = mh_error_new_for_answer (422, NULL, NULL, "Deleting the project");
  g_autoptr(GError) missing = mh_error_new_for_answer (404, "not_found", "x", "Deleting the project");
  g_autoptr(GError) video = mh_error_new_for_delete (refused, MH_PROJECT_VIDEO);
  g_autoptr(GError) video_legacy = mh_error_new_for_delete (legacy, MH_PROJECT_VIDEO);

  g_assert_error (video, MH_ERROR, MH_ERROR_UNPROCESSABLE);
  g_assert_nonnull (strstr (video->message, "template"));
  g_assert_nonnull (strstr (video->message, "kept"));
  g_assert_true (mh_error_is_refusal (video));
  g_assert_cmpstr (video_legacy->message, ==, video->message);
  g_assert_null (mh_error_new_for_delete (refused, MH_PROJECT_IMAGE));
  g_assert_null (mh_error_new_for_delete (missing, MH_PROJECT_VIDEO));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_case);
  g_test_add_func ("/errors/code-from-body", test_code_from_body);
  g_test_add_func ("/errors/render-codes", test_render_codes);
  g_test_add_func ("/errors/plan-option-named", test_plan_option_named);
  g_test_add_func ("/errors/delete-template", test_delete_template);

  return g_test_run ();
}
