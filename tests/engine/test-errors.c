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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_case);
  g_test_add_func ("/errors/code-from-body", test_code_from_body);
  g_test_add_func ("/errors/render-codes", test_render_codes);

  return g_test_run ();
}
