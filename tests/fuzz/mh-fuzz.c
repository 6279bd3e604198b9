/* mh-fuzz.c: what the fuzz targets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "mh-fuzz.h"
#include "mh-json.h"

static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      message = fields[i].value;

  if ((log_level & G_LOG_LEVEL_WARNING) != 0 && message != NULL &&
      (strstr (message, "job record") != NULL || strstr (message, "job history") != NULL))
    return G_LOG_WRITER_HANDLED;

  g_log_writer_default (log_level, fields, n_fields, user_data);
  if ((log_level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR)) != 0)
    abort ();
  return G_LOG_WRITER_HANDLED;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_writer_func (log_writer, NULL, NULL);
  return 0;
}

void
mh_fuzz_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        mh_fuzz_rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

JsonNode *
mh_fuzz_parse_json (const uint8_t *data,
                    size_t         size)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root = mh_json_parse ((const char *) data, size, 0, &error);

  /* Refused with a phrase for a sentence, or a tree. */
  g_assert_true ((root == NULL) != (error == NULL));
  if (error != NULL)
    {
      g_assert_true (error->domain == MH_JSON_ERROR);
      mh_fuzz_assert_text (error->message);
    }
  return root;
}

void
mh_fuzz_assert_text (const char *text)
{
  g_assert_nonnull (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
}

void
mh_fuzz_check_record (MhJobRecord *record)
{
  const char *const *files = mh_job_record_get_output_files (record);
  const char *error_message = mh_job_record_get_error_message (record);
  g_autofree char *status = mh_job_record_describe_status (record);
  GHashTableIter iter;
  gpointer key, value;

  mh_fuzz_assert_text (mh_job_record_get_id (record));
  mh_fuzz_assert_text (mh_job_record_get_name (record));
  g_assert_nonnull (mh_job_record_get_tool (record));
  g_assert_nonnull (mh_job_record_get_created (record));
  g_assert_nonnull (mh_job_record_get_updated (record));
  if (mh_job_record_get_project_id (record) != NULL)
    mh_fuzz_assert_text (mh_job_record_get_project_id (record));
  if (mh_job_record_get_output_dir (record) != NULL)
    mh_fuzz_assert_text (mh_job_record_get_output_dir (record));
  if (mh_job_record_get_api_base_url (record) != NULL)
    mh_fuzz_assert_text (mh_job_record_get_api_base_url (record));
  if (error_message != NULL)
    mh_fuzz_assert_text (error_message);
  for (gsize i = 0; files != NULL && files[i] != NULL; i++)
    mh_fuzz_assert_text (files[i]);
  g_hash_table_iter_init (&iter, mh_job_record_get_params (record));
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      mh_fuzz_assert_text (key);
      mh_fuzz_assert_text (value);
    }

  mh_fuzz_assert_text (status);
  /* A NULL given to %s prints "(null)": a sentence nobody should read. */
  if (error_message == NULL)
    g_assert_null (strstr (status, "(null)"));
}
