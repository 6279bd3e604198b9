/* fuzz-api-answer.c: what the engine makes of an answer from the API
 *
 * The bytes are an answer's body. Parsed as JSON, they go where the client
 * sends an answer: mh_project_parse() for a project's status (every field
 * checked, downloads taken, the render error explained), and, for an error
 * status, its "message" (mh_error_message_from_body(), as the client does)
 * into the sentence people read. An answer may
 * be anything; the engine must turn each into a project or an error, never
 * a crash, and what it keeps must be text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "mh-error.h"
#include "mh-fuzz.h"
#include "mh-project.h"

static void
check_project (JsonNode *root)
{
  g_autoptr(MhProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = mh_project_parse (root, &error);
  if (project == NULL)
    {
      g_assert_error (error, MH_ERROR, MH_ERROR_MALFORMED);
      mh_fuzz_assert_text (error->message);
      return;
    }
  g_assert_no_error (error);

  mh_fuzz_assert_text (project->status_text);
  /* A charge, or -1 for none known: never below that. */
  g_assert_cmpint (project->credits_charged, >=, -1);
  mh_fuzz_assert_text (mh_project_status_to_string (project->status));
  g_assert_nonnull (project->downloads);
  for (guint i = 0; i < project->downloads->len; i++)
    {
      const char *url = g_ptr_array_index (project->downloads, i);

      mh_fuzz_assert_text (url);
      g_assert_cmpstr (url, !=, "");
    }
  if (project->id != NULL)
    mh_fuzz_assert_text (project->id);
  if (project->error_code != NULL || project->error_message != NULL)
    {
      g_autofree char *sentence = mh_error_describe_render_code (project->error_code,
                                                                 project->error_message);

      mh_fuzz_assert_text (sentence);
    }
}

static void
check_error_body (JsonNode *root)
{
  static const guint statuses[] = { 400, 401, 402, 403, 404, 422, 429, 500, 503, 418 };
  g_autofree char *message = mh_error_message_from_body (root);

  for (gsize i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(GError) error = mh_error_new_for_status (statuses[i], message, "Checking the job");

      g_assert_true (error->domain == MH_ERROR);
      mh_fuzz_assert_text (error->message);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = mh_fuzz_parse_json (data, size);

  /* Not JSON at all is the client's case too: no project, no message. */
  check_project (root);
  check_error_body (root);
  return 0;
}
