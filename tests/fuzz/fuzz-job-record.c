/* fuzz-job-record.c: the job-record loader over any bytes
 *
 * The bytes are a file of the jobs folder. Parsed as JSON, they go to
 * mh_job_record_new_from_json(), which must either refuse them with an
 * error people can read or give a record the history can show: every
 * string it kept is text, its status is a sentence, and written back it
 * reads again as the same record (the store rewrites records at every
 * change, so a record that does not survive its own writing is lost).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "mh-fuzz.h"
#include "mh-job-record.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = mh_fuzz_parse_json (data, size);
  g_autoptr(MhJobRecord) record = NULL;
  g_autoptr(MhJobRecord) again = NULL;
  g_autoptr(JsonNode) written_root = NULL;
  g_autoptr(JsonNode) rewritten_root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;
  g_autofree char *rewritten = NULL;
  gsize length = 0;

  record = mh_job_record_new_from_json (root, &error);
  if (record == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == G_IO_ERROR);
      mh_fuzz_assert_text (error->message);
      return 0;
    }
  g_assert_no_error (error);
  mh_fuzz_check_record (record);

  /* Written and read back: the same record, written the same way (member
   * for member: the order of the options may change). */
  written = mh_job_record_to_data (record, &length);
  written_root = mh_fuzz_parse_json ((const uint8_t *) written, length);
  g_assert_nonnull (written_root);
  again = mh_job_record_new_from_json (written_root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  mh_fuzz_check_record (again);
  rewritten = mh_job_record_to_data (again, &length);
  rewritten_root = mh_fuzz_parse_json ((const uint8_t *) rewritten, length);
  g_assert_nonnull (rewritten_root);
  g_assert_true (json_node_equal (rewritten_root, written_root));
  return 0;
}
