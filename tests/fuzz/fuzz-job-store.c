/* fuzz-job-store.c: the job store's loading over any file
 *
 * The bytes are the one file "fuzz.json" of a jobs folder, and a new store
 * loads that folder the way the app and `history` do: read, check, parse,
 * and either keep the record or move the file aside with a sentence. It
 * must end, never crash, and say what it did in words people can read.
 * The seeds are records whose id is "fuzz", so that they load.
 *
 * The folder lives under $TMPDIR (the fuzz runs point it into the build
 * folder), is emptied after each input and removed at exit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>

#include "mh-fuzz.h"
#include "mh-job-store.h"

static char *top_dir;

static void
remove_top_dir (void)
{
  mh_fuzz_rm_rf (top_dir);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean *done = user_data;

  /* Loading fails only when the folder cannot be made. */
  g_assert_true (mh_job_store_load_finish (MH_JOB_STORE (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *jobs = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(MhJobStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *const *problems;
  GListModel *records;
  gboolean done = FALSE;

  if (top_dir == NULL)
    {
      top_dir = g_dir_make_tmp ("mh-fuzz-store-XXXXXX", &error);
      g_assert_no_error (error);
      atexit (remove_top_dir);
    }
  jobs = g_build_filename (top_dir, "jobs", NULL);
  path = g_build_filename (jobs, "fuzz.json", NULL);
  g_assert_cmpint (g_mkdir_with_parents (jobs, 0700), ==, 0);
  g_file_set_contents (path, (const char *) data, (gssize) size, &error);
  g_assert_no_error (error);

  dir = g_file_new_for_path (jobs);
  store = mh_job_store_new (dir);
  mh_job_store_load_async (store, NULL, loaded_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  /* One record, or a sentence about the file (never both, never neither). */
  records = mh_job_store_get_records (store);
  problems = mh_job_store_get_problems (store);
  g_assert_cmpuint (g_list_model_get_n_items (records), <=, 1);
  if (g_list_model_get_n_items (records) == 1)
    {
      g_autoptr(MhJobRecord) record = g_list_model_get_item (records, 0);

      g_assert_cmpstr (mh_job_record_get_id (record), ==, "fuzz");
      mh_fuzz_check_record (record);
      g_assert_null (problems[0]);
    }
  else
    {
      g_assert_nonnull (problems[0]);
    }
  for (gsize i = 0; problems[i] != NULL; i++)
    mh_fuzz_assert_text (problems[i]);

  mh_job_store_flush (store);
  g_clear_object (&store);
  mh_fuzz_rm_rf (top_dir);
  g_assert_cmpint (g_mkdir_with_parents (top_dir, 0700), ==, 0);
  return 0;
}
