/* test-partial-upload.c: a talking photo uploads only the speech it uses
 *
 * A 3 s range of a 10-minute WAV is cut locally and only that is uploaded:
 * the simulator receives a file that decodes to 3 s, the create says 0 to
 * 3, the job's params and its history keep the file and the range as
 * given, and the cut is gone from the temporary folder when the job ends,
 * however it ends. A small file, a range of half the file or more, and a
 * lip sync's video go whole.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/app/gstappsink.h>
#include <gst/audio/audio.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <stdio.h>
#include <string.h>

#include "mh-cut.h"
#include "mh-error.h"
#include "mh-gst.h"
#include "mh-job-record.h"
#include "mh-job-store.h"
#include "mh-media.h"
#include "mh-params.h"
#include "mh-test-util.h"
#include "mh-sim-media.h"

#define MINUTES(m) ((m) * 60.0)
/* 8 kHz mono 16-bit: 16000 bytes a second. */
#define WAV_BYTES_PER_SECOND 16000

typedef struct
{
  MhTestFixture  t;
  GPtrArray     *tmp_before;  /* what the temporary folder held before the test */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->tmp_before = mh_test_list_dir (g_get_tmp_dir ());
  mh_test_fixture_setup (&f->t, data);
  /* Enough to keep a 3 s cut whole, to decode it. */
  g_object_set (f->t.sim, "upload-keep-bytes", (guint64) 1024 * 1024, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  mh_test_fixture_teardown (&f->t, data);
  g_clear_pointer (&f->tmp_before, g_ptr_array_unref);
}

/* Nothing but the fixture's own folder was added to the temporary folder:
 * no cut is left behind. */
static void
assert_no_cut_left (Fixture *f)
{
  g_autoptr(GPtrArray) now = mh_test_list_dir (g_get_tmp_dir ());
  g_autofree char *fixture_dir = g_path_get_basename (f->t.tmp);

  for (guint i = 0; i < now->len; i++)
    {
      const char *name = g_ptr_array_index (now, i);

      if (g_str_equal (name, fixture_dir))
        continue;
      g_assert_false (g_str_has_prefix (name, "magic-hour-cut-"));
      g_assert_true (g_ptr_array_find_with_equal_func (f->tmp_before, name, g_str_equal, NULL));
    }
}

/* ------------------------------------------------------------------------ */
/* Decoding what was uploaded                                               */

/* The length of @path's sound, decoded to its last sample (not what its
 * header says). */
static double
decoded_seconds (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) sink = NULL;
  guint64 frames = 0;
  int rate = 0;

  g_assert_true (mh_gst_ensure_init (NULL));
  description = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! audioconvert ! "
                                 "appsink name=sink sync=false", path);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=, GST_STATE_CHANGE_FAILURE);

  for (;;)
    {
      g_autoptr(GstSample) sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
                                                                  MH_TEST_TIMEOUT * GST_SECOND);
      GstAudioInfo info;

      if (sample == NULL)
        break;
      g_assert_true (gst_audio_info_from_caps (&info, gst_sample_get_caps (sample)));
      rate = GST_AUDIO_INFO_RATE (&info);
      frames += gst_buffer_get_size (gst_sample_get_buffer (sample)) / GST_AUDIO_INFO_BPF (&info);
    }
  g_assert_true (gst_app_sink_is_eos (GST_APP_SINK (sink)));
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_assert_cmpint (rate, >, 0);
  return (double) frames / rate;
}

/* A 16-bit mono 8 kHz WAV of @seconds whose every sample says which second
 * it is in: 50 * the second. */
static char *
write_counting_wav (const char *dir,
                    const char *name,
                    guint       seconds)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GByteArray) data = g_byte_array_sized_new (44 + seconds * WAV_BYTES_PER_SECOND);
  guint32 data_size = seconds * WAV_BYTES_PER_SECOND;
  guint8 h[44] = { 0 };
  g_autoptr(GError) error = NULL;

  memcpy (h, "RIFF", 4);
  GST_WRITE_UINT32_LE (h + 4, 36 + data_size);
  memcpy (h + 8, "WAVEfmt ", 8);
  GST_WRITE_UINT32_LE (h + 16, 16);
  GST_WRITE_UINT16_LE (h + 20, 1);
  GST_WRITE_UINT16_LE (h + 22, 1);
  GST_WRITE_UINT32_LE (h + 24, 8000);
  GST_WRITE_UINT32_LE (h + 28, WAV_BYTES_PER_SECOND);
  GST_WRITE_UINT16_LE (h + 32, 2);
  GST_WRITE_UINT16_LE (h + 34, 16);
  memcpy (h + 36, "data", 4);
  GST_WRITE_UINT32_LE (h + 40, data_size);
  g_byte_array_append (data, h, sizeof h);
  for (guint s = 0; s < seconds; s++)
    for (guint i = 0; i < 8000; i++)
      {
        guint8 sample[2];

        GST_WRITE_UINT16_LE (sample, (guint16) (s * 50));
        g_byte_array_append (data, sample, 2);
      }
  g_file_set_contents (path, (const char *) data->data, data->len, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* The first and the last sample of a 16-bit mono WAV's data (as written by
 * wavenc: a 44-byte header, the data, maybe tags after it), and the data's
 * size. */
static guint32
wav_first_last (const char *path,
                gint16     *first,
                gint16     *last)
{
  g_autofree char *contents = NULL;
  guint32 data_size;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, >=, 48);
  g_assert_cmpmem (contents + 36, 4, "data", 4);
  data_size = GST_READ_UINT32_LE (contents + 40);
  g_assert_cmpuint (44 + (gsize) data_size, <=, len);
  *first = (gint16) GST_READ_UINT16_LE (contents + 44);
  *last = (gint16) GST_READ_UINT16_LE (contents + 44 + data_size - 2);
  return data_size;
}

/* The upload the create named for @slot_key: its size, its length as the
 * simulator read it, and its bytes decoded. */
static void
check_upload (Fixture    *f,
              const char *slot_key,
              guint64    *size,
              double     *seconds)
{
  MhSimRequest *create = mh_test_request (f->t.sim, MH_SIM_ENDPOINT_CREATE, 0);
  g_autofree char *json_path = g_strdup_printf ("assets.%s_file_path", slot_key);
  const char *file_path = mh_test_json_get_string (create->json, json_path);
  g_autoptr(GBytes) head = NULL;
  g_autofree char *copy = NULL;
  double simulator_seconds;

  g_assert_nonnull (file_path);
  g_assert_true (mh_simulator_lookup_upload (f->t.sim, file_path, size, NULL));
  simulator_seconds = mh_simulator_get_upload_seconds (f->t.sim, file_path);
  head = mh_simulator_dup_upload_head (f->t.sim, file_path);
  g_assert_nonnull (head);

  if (g_bytes_get_size (head) < *size)
    {
      /* Too big to keep whole: only the simulator's reading of its header. */
      *seconds = simulator_seconds;
      return;
    }
  copy = mh_test_write_file (f->t.tmp, "uploaded.wav", g_bytes_get_data (head, NULL),
                             g_bytes_get_size (head));
  *seconds = decoded_seconds (copy);
  g_assert_cmpfloat_with_epsilon (simulator_seconds, *seconds, 0.01);
}

static guint64
file_size (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_size;
}

/* "Uploading speech.wav (1.9 MB)", with the size of @path. */
static const char *
expected_note (const char *name,
               const char *path)
{
  static char *note;
  g_autofree char *size = g_format_size (file_size (path));

  g_free (note);
  note = g_strdup_printf ("Uploading %s (%s)", name, size);
  return note;
}

static double
body_number (const char *member,
             JsonNode   *body)
{
  JsonNode *node = mh_test_json_get (body, member);

  g_assert_nonnull (node);
  return json_node_get_double (node);
}

/* ------------------------------------------------------------------------ */
/* The decision                                                             */

static void
test_decision (void)
{
  const MhTool *talking = mh_tool_lookup ("talking-photo");
  const MhTool *lip = mh_tool_lookup ("lip-sync");
  const MhAssetSlot *speech = mh_tool_find_slot (talking, "audio");
  const MhAssetSlot *photo = mh_tool_find_slot (talking, "image");
  const MhAssetSlot *video = mh_tool_find_slot (lip, "video");
  const MhAssetSlot *lip_audio = mh_tool_find_slot (lip, "audio");
  guint64 big = 460 * 1000 * 1000;

  /* A 3 s part of a 2-hour file: cut. */
  g_assert_true (mh_cut_is_worth_it (speech, big, 7200, 100, 103));
  /* Just under half, and half or more. */
  g_assert_true (mh_cut_is_worth_it (speech, big, 600, 0, 299.9));
  g_assert_false (mh_cut_is_worth_it (speech, big, 600, 0, 300));
  g_assert_false (mh_cut_is_worth_it (speech, big, 600, 100, 500));
  /* A range that runs past the end counts what is left of the file. */
  g_assert_true (mh_cut_is_worth_it (speech, big, 600, 500, 900));
  g_assert_false (mh_cut_is_worth_it (speech, big, 600, 200, 900));
  /* Small files go whole, whatever the range. */
  g_assert_false (mh_cut_is_worth_it (speech, MH_CUT_MIN_FILE_BYTES, 7200, 0, 3));
  g_assert_true (mh_cut_is_worth_it (speech, MH_CUT_MIN_FILE_BYTES + 1, 7200, 0, 3));
  /* Length unknown, or a range that makes no sense: whole. */
  g_assert_false (mh_cut_is_worth_it (speech, big, -1, 0, 3));
  g_assert_false (mh_cut_is_worth_it (speech, big, 7200, 7300, 7303));
  g_assert_false (mh_cut_is_worth_it (speech, big, 7200, 5, 5));
  /* Where cutting would change the result, or the range is not the file's. */
  g_assert_false (mh_cut_is_worth_it (video, big, 7200, 0, 3));
  g_assert_false (mh_cut_is_worth_it (lip_audio, big, 7200, 0, 3));
  g_assert_false (mh_cut_is_worth_it (photo, big, 7200, 0, 3));

  /* The tool table says which slots may be cut: one in all. */
  {
    guint n_tools, n = 0;
    const MhTool *const *tools = mh_tools (&n_tools);

    for (guint i = 0; i < n_tools; i++)
      for (guint j = 0; j < tools[i]->n_slots; j++)
        n += tools[i]->slots[j].cut_to_range;
    g_assert_cmpuint (n, ==, 1);
  }
}

/* ------------------------------------------------------------------------ */
/* The cut                                                                  */

typedef struct
{
  gboolean  done;
  MhCut    *cut;
  GError   *error;
} CutResult;

static void
cut_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  CutResult *r = user_data;

  r->cut = mh_cut_audio_finish (result, &r->error);
  r->done = TRUE;
}

static void
cut_file (const char   *path,
          double        start,
          double        end,
          gboolean      cancel,
          CutResult    *r)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  mh_cut_audio_async (file, start, end, cancellable, cut_cb, r);
  if (cancel)
    g_cancellable_cancel (cancellable);
  mh_test_wait_for_flag (&r->done, MH_TEST_TIMEOUT, "the cut");
}

static void
test_cut (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *wav = mh_test_write_wav (f->t.tmp, "speech.wav", MINUTES (10));
  g_autofree char *cut_path = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  CutResult r = { 0 };

  cut_file (wav, 200, 203, FALSE, &r);
  g_assert_no_error (r.error);
  g_assert_nonnull (r.cut);

  cut_path = g_file_get_path (r.cut->file);
  name = g_path_get_basename (cut_path);
  g_assert_cmpstr (name, ==, "speech.wav");
  g_assert_true (g_str_has_prefix (cut_path, g_get_tmp_dir ()));
  g_assert_cmpfloat_with_epsilon (r.cut->seconds, 3.0, 0.05);
  g_assert_cmpfloat_with_epsilon (decoded_seconds (cut_path), 3.0, 0.05);
  /* 3 s of 8 kHz 16-bit mono and a header, not the 9.6 MB file. */
  g_assert_cmpuint (r.cut->size, >=, 3 * WAV_BYTES_PER_SECOND);
  g_assert_cmpuint (r.cut->size, <, 3 * WAV_BYTES_PER_SECOND + 1024);

  g_assert_true (mh_cut_remove (r.cut, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (cut_path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&r.cut, mh_cut_free);
  assert_no_cut_left (f);
}

/* The part cut is the one asked for, to the sample: from the first sample
 * of second 200 to the last of second 202. */
static void
test_cut_is_the_range (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *wav = write_counting_wav (f->t.tmp, "count.wav", 300);
  g_autofree char *cut_path = NULL;
  g_autoptr(GError) error = NULL;
  CutResult r = { 0 };
  gint16 first, last;

  cut_file (wav, 200, 203, FALSE, &r);
  g_assert_no_error (r.error);
  cut_path = g_file_get_path (r.cut->file);
  g_assert_cmpuint (wav_first_last (cut_path, &first, &last), ==, 3 * WAV_BYTES_PER_SECOND);
  g_assert_cmpint (first, ==, 200 * 50);
  g_assert_cmpint (last, ==, 202 * 50);
  g_assert_cmpfloat_with_epsilon (r.cut->seconds, 3.0, 1e-6);

  g_assert_true (mh_cut_remove (r.cut, &error));
  g_clear_pointer (&r.cut, mh_cut_free);
  assert_no_cut_left (f);
}

/* Speech is often MP3: a cut of it decodes to the range's length too. */
static void
test_cut_mp3 (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *mp3 = g_build_filename (f->t.tmp, "speech.mp3", NULL);
  g_autofree char *description = NULL;
  g_autofree char *cut_path = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) end = NULL;
  g_autoptr(GError) error = NULL;
  CutResult r = { 0 };

  /* 60 s of a tone at 22.05 kHz, in tenths of a second. */
  g_assert_true (mh_gst_ensure_init (NULL));
  description = g_strdup_printf ("audiotestsrc num-buffers=600 samplesperbuffer=2205 ! "
                                 "audio/x-raw,rate=22050,channels=1 ! lamemp3enc ! "
                                 "filesink location=\"%s\"", mp3);
  pipeline = gst_parse_launch (description, &error);
  if (pipeline == NULL)
    {
      g_test_skip ("no MP3 encoder here (lamemp3enc, gstreamer1.0-plugins-good)");
      return;
    }
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  end = gst_bus_timed_pop_filtered (bus, MH_TEST_TIMEOUT * GST_SECOND,
                                    GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (end);
  g_assert_cmpint (GST_MESSAGE_TYPE (end), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  cut_file (mp3, 20, 23, FALSE, &r);
  g_assert_no_error (r.error);
  cut_path = g_file_get_path (r.cut->file);
  name = g_path_get_basename (cut_path);
  g_assert_cmpstr (name, ==, "speech.wav");
  g_assert_cmpfloat_with_epsilon (r.cut->seconds, 3.0, 0.05);
  g_assert_cmpfloat_with_epsilon (decoded_seconds (cut_path), 3.0, 0.05);

  g_assert_true (mh_cut_remove (r.cut, &error));
  g_clear_pointer (&r.cut, mh_cut_free);
  assert_no_cut_left (f);
}

/* Cutting @path from @start to @end is refused as bad input, the reason
 * naming @name and saying @reason (either NULL: not checked), and no cut
 * is left behind. */
static void
assert_cut_refused (Fixture    *f,
                    const char *path,
                    double      start,
                    double      end,
                    const char *name,
                    const char *reason)
{
  CutResult r = { 0 };

  cut_file (path, start, end, FALSE, &r);
  g_assert_error (r.error, MH_ERROR, MH_ERROR_INVALID_INPUT);
  if (name != NULL)
    g_assert_nonnull (strstr (r.error->message, name));
  if (reason != NULL)
    g_assert_nonnull (strstr (r.error->message, reason));
  g_assert_null (r.cut);
  g_test_message ("%s", r.error->message);
  g_clear_error (&r.error);
  assert_no_cut_left (f);
}

static void
test_cut_errors (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *wav = mh_test_write_wav (f->t.tmp, "speech.wav", MINUTES (1));
  g_autofree char *junk = mh_test_write_file (f->t.tmp, "noise.wav", "not a sound at all", 18);
  g_autofree char *photo = mh_test_write_png (f->t.tmp, "photo.wav");

  /* A range past the end of the file, and one that ends past it. */
  assert_cut_refused (f, wav, 70, 73, "speech.wav", "past the end");
  assert_cut_refused (f, wav, 58, 61, NULL, "past the end");

  /* Files that are not sound. */
  assert_cut_refused (f, junk, 0, 1, "noise.wav", NULL);
  assert_cut_refused (f, photo, 0, 1, "photo.wav", NULL);
}

static void
test_cut_cancel (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *wav = mh_test_write_wav (f->t.tmp, "speech.wav", MINUTES (10));
  CutResult r = { 0 };

  /* A long part, cancelled as it starts. */
  cut_file (wav, 10, 290, TRUE, &r);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (r.cut);
  g_clear_error (&r.error);
  assert_no_cut_left (f);
}

/* How long a cut of 3 s out of $MH_CUT_MEASURE_FILE takes, at its middle:
 * reported, never asserted (skipped without the variable). */
static void
test_cut_measure (Fixture       *f,
                  gconstpointer  data)
{
  const char *path = g_getenv ("MH_CUT_MEASURE_FILE");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  CutResult r = { 0 };
  double seconds = 0;
  gint64 started;

  if (path == NULL)
    {
      g_test_skip ("set MH_CUT_MEASURE_FILE to a long sound file to measure a cut");
      return;
    }
  file = g_file_new_for_path (path);
  g_assert_true (mh_media_read_duration (file, &seconds, NULL, &error));

  started = g_get_monotonic_time ();
  cut_file (path, seconds / 2, seconds / 2 + 3, FALSE, &r);
  g_assert_no_error (r.error);
  g_test_message ("3 s out of %s (%.0f s long): %.3f s to cut, %" G_GUINT64_FORMAT " bytes, %.3f s decoded",
                  path, seconds, (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC,
                  r.cut->size, r.cut->seconds);
  g_assert_true (mh_cut_remove (r.cut, &error));
  g_clear_pointer (&r.cut, mh_cut_free);
}

/* ------------------------------------------------------------------------ */
/* The job                                                                  */

static MhJobStore *
store_open (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->t.tmp, "history", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (path);

  return mh_job_store_new (dir);
}

static void
store_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (mh_job_store_load_finish (MH_JOB_STORE (source), result, NULL));
  *done = TRUE;
}

/* The record of @id as a store reading the history from disk has it. */
static GHashTable *
stored_params (Fixture    *f,
               const char *id)
{
  g_autoptr(MhJobStore) store = store_open (f);
  gboolean done = FALSE;
  MhJobRecord *record;

  mh_job_store_load_async (store, NULL, store_loaded_cb, &done);
  mh_test_wait_for_flag (&done, MH_TEST_TIMEOUT, "the history to load");
  record = mh_job_store_lookup (store, id);
  g_assert_nonnull (record);
  return g_hash_table_ref (mh_job_record_get_params (record));
}

typedef struct
{
  GPtrArray *messages;
  gboolean   cancel_when_cutting;
  const char *cancel_at_prefix;
} Watch;

static void
message_cb (MhJob      *job,
            GParamSpec *pspec,
            Watch      *w)
{
  const char *message = mh_job_get_message (job);

  if (message == NULL)
    return;
  g_ptr_array_add (w->messages, g_strdup (message));
  if (w->cancel_at_prefix != NULL && g_str_has_prefix (message, w->cancel_at_prefix))
    mh_job_cancel (job);
}

static guint
count_prefixed (GPtrArray  *messages,
                const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < messages->len; i++)
    n += g_str_has_prefix (g_ptr_array_index (messages, i), prefix);
  return n;
}

static const char *
find_prefixed (GPtrArray  *messages,
               const char *prefix)
{
  for (guint i = 0; i < messages->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (messages, i), prefix))
      return g_ptr_array_index (messages, i);
  return NULL;
}

static GHashTable *
talking_photo_params (Fixture    *f,
                      double      audio_seconds,
                      const char *start,
                      const char *end,
                      char      **audio_out)
{
  g_autofree char *image = mh_test_write_png (f->t.tmp, "face.png");
  g_autofree char *audio = mh_test_write_wav (f->t.tmp, "speech.wav", audio_seconds);
  GHashTable *params = mh_test_params ("image", image, "audio", audio,
                                       "start", start, "end", end, NULL);

  if (audio_out != NULL)
    *audio_out = g_steal_pointer (&audio);
  return params;
}

/* A job kept in a history in the fixture's folder. */
static MhJob *
recorded_job (Fixture     *f,
              MhJobStore  *store,
              const char  *tool_id,
              GHashTable  *params)
{
  g_autoptr(GFile) out = g_file_new_for_path (f->t.out);
  MhJob *job = mh_job_store_new_job (store, f->t.client, mh_tool_lookup (tool_id), params);

  mh_job_set_output_dir (job, out);
  return job;
}

static void
test_job_cuts (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *audio = NULL;
  g_autoptr(GHashTable) params = talking_photo_params (f, MINUTES (10), "200", "203", &audio);
  g_autoptr(MhJobStore) store = store_open (f);
  g_autoptr(MhJob) job = recorded_job (f, store, "talking-photo", params);
  g_autoptr(GHashTable) stored = NULL;
  g_autoptr(GError) error = NULL;
  Watch w = { .messages = g_ptr_array_new_with_free_func (g_free) };
  MhSimRequest *create;
  GHashTable *record_params;
  const char *note;
  guint64 size;
  double seconds;

  g_signal_connect (job, "notify::message", G_CALLBACK (message_cb), &w);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  mh_test_assert_job_output (&f->t, job);

  /* The simulator got 3 s of sound, not 10 minutes. */
  check_upload (f, "audio", &size, &seconds);
  g_assert_cmpfloat_with_epsilon (seconds, 3.0, 0.05);
  g_assert_cmpuint (size, <, 3 * WAV_BYTES_PER_SECOND + 1024);

  /* The create speaks of the cut: 0 to 3. */
  create = mh_test_request (f->t.sim, MH_SIM_ENDPOINT_CREATE, 0);
  g_assert_cmpfloat_with_epsilon (body_number ("start_seconds", create->json), 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (body_number ("end_seconds", create->json), 3, 0.001);
  g_assert_cmpint (mh_job_get_credits_charged (job), ==, 3 * 48);

  /* What was said while it went. */
  g_assert_cmpuint (count_prefixed (w.messages, "Cutting 3 s out of speech.wav"), ==, 1);
  note = find_prefixed (w.messages, "Uploading 3 s of speech.wav");
  g_assert_nonnull (note);
  g_test_message ("%s", note);
  {
    /* g_format_size() puts a no-break space before the unit. */
    g_autofree char *whole = g_format_size (file_size (audio));
    g_autofree char *suffix = g_strdup_printf ("instead of %s", whole);

    g_assert_true (g_str_has_suffix (note, suffix));
  }
  g_assert_nonnull (find_prefixed (w.messages, "Uploading face.png ("));

  /* The job, its record and the history on disk keep the file and range
   * as given: Run Again cuts again from the same file. */
  g_assert_cmpstr (mh_params_get (mh_job_get_params (job), "audio"), ==, audio);
  g_assert_cmpstr (mh_params_get (mh_job_get_params (job), "start"), ==, "200");
  g_assert_cmpstr (mh_params_get (mh_job_get_params (job), "end"), ==, "203");
  record_params = mh_job_record_get_params (mh_job_get_record (job));
  g_assert_cmpstr (mh_params_get (record_params, "audio"), ==, audio);
  g_assert_cmpstr (mh_params_get (record_params, "start"), ==, "200");
  g_assert_cmpstr (mh_params_get (record_params, "end"), ==, "203");
  stored = stored_params (f, mh_job_record_get_id (mh_job_get_record (job)));
  g_assert_cmpstr (mh_params_get (stored, "audio"), ==, audio);
  g_assert_cmpstr (mh_params_get (stored, "start"), ==, "200");
  g_assert_cmpstr (mh_params_get (stored, "end"), ==, "203");

  assert_no_cut_left (f);
  g_ptr_array_unref (w.messages);
}

/* A transient failure of the upload sends the same cut again. */
static void
test_job_retry (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GHashTable) params = talking_photo_params (f, MINUTES (10), "30", "32.5", NULL);
  g_autoptr(MhJob) job = mh_test_fixture_new_job (&f->t, "talking-photo", params);
  g_autoptr(GError) error = NULL;
  Watch w = { .messages = g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(GPtrArray) puts = NULL;
  MhSimRequest *create;
  guint64 size;
  double seconds;

  /* The photo goes, then the speech fails once. */
  mh_simulator_add_fault (f->t.sim, MH_SIM_ENDPOINT_UPLOAD, MH_SIM_FAULT_SLOW, 1, 1, NULL);
  mh_simulator_add_fault (f->t.sim, MH_SIM_ENDPOINT_UPLOAD, MH_SIM_FAULT_STATUS, 1, 503, NULL);
  g_signal_connect (job, "notify::message", G_CALLBACK (message_cb), &w);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);

  puts = mh_test_requests (f->t.sim, MH_SIM_ENDPOINT_UPLOAD);
  g_assert_cmpuint (puts->len, ==, 3);
  g_assert_cmpuint (count_prefixed (w.messages, "Cutting "), ==, 1);
  check_upload (f, "audio", &size, &seconds);
  g_assert_cmpfloat_with_epsilon (seconds, 2.5, 0.05);
  create = mh_test_request (f->t.sim, MH_SIM_ENDPOINT_CREATE, 0);
  g_assert_cmpfloat_with_epsilon (body_number ("end_seconds", create->json), 2.5, 0.001);
  assert_no_cut_left (f);
  g_ptr_array_unref (w.messages);
}

static void
test_job_cancel_cutting (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GHashTable) params = talking_photo_params (f, MINUTES (10), "10", "290", NULL);
  g_autoptr(MhJob) job = mh_test_fixture_new_job (&f->t, "talking-photo", params);
  g_autoptr(GError) error = NULL;
  Watch w = { .messages = g_ptr_array_new_with_free_func (g_free),
              .cancel_at_prefix = "Cutting " };

  g_signal_connect (job, "notify::message", G_CALLBACK (message_cb), &w);
  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_CANCELED);
  /* Cut before anything is uploaded: nothing was. */
  g_assert_cmpuint (mh_simulator_count_requests (f->t.sim, MH_SIM_ENDPOINT_UPLOAD), ==, 0);
  g_assert_cmpuint (mh_simulator_count_requests (f->t.sim, MH_SIM_ENDPOINT_CREATE), ==, 0);
  assert_no_cut_left (f);
  g_ptr_array_unref (w.messages);
}

static gboolean
uploading_cut (gpointer user_data)
{
  MhJob *job = user_data;

  return g_str_has_prefix (mh_job_get_message (job) ?: "", "Uploading 3 s of speech.wav") &&
         mh_job_get_bytes_done (job) > 0;
}

static void
test_job_cancel_uploading (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GHashTable) params = talking_photo_params (f, MINUTES (10), "200", "203", NULL);
  g_autoptr(MhJob) job = NULL;
  MhTestRan ran = { 0 };

  /* The photo by its address: the speech is the only upload, and it stalls. */
  mh_params_set (params, "image", "https://example.com/face.png");
  job = mh_test_fixture_new_job (&f->t, "talking-photo", params);
  mh_job_set_face_check (job, FALSE);
  mh_simulator_add_fault (f->t.sim, MH_SIM_ENDPOINT_UPLOAD, MH_SIM_FAULT_STALL, 1, 1000, NULL);

  mh_job_run_async (job, NULL, mh_test_job_ran_cb, &ran);
  mh_test_wait_for (uploading_cut, job, MH_TEST_TIMEOUT, "the cut's upload");
  /* The cut is there while it is being sent. */
  {
    g_autoptr(GPtrArray) now = mh_test_list_dir (g_get_tmp_dir ());
    gboolean found = FALSE;

    for (guint i = 0; i < now->len; i++)
      found |= g_str_has_prefix (g_ptr_array_index (now, i), "magic-hour-cut-");
    g_assert_true (found);
  }
  mh_job_cancel (job);
  mh_test_wait_for_flag (&ran.done, MH_TEST_TIMEOUT, "the job to end");
  g_assert_error (ran.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&ran.error);
  assert_no_cut_left (f);
}

static void
test_job_render_fails (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *audio = NULL;
  g_autoptr(GHashTable) params = talking_photo_params (f, MINUTES (10), "200", "203", &audio);
  g_autoptr(MhJobStore) store = store_open (f);
  g_autoptr(MhJob) job = recorded_job (f, store, "talking-photo", params);
  g_autoptr(GHashTable) stored = NULL;
  g_autoptr(GError) error = NULL;

  mh_simulator_add_fault (f->t.sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_RENDER_ERROR, 1, 0,
                          "no_face_detected");
  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_RENDER_FAILED);
  assert_no_cut_left (f);

  stored = stored_params (f, mh_job_record_get_id (mh_job_get_record (job)));
  g_assert_cmpstr (mh_params_get (stored, "audio"), ==, audio);
  g_assert_cmpstr (mh_params_get (stored, "start"), ==, "200");
  g_assert_cmpstr (mh_params_get (stored, "end"), ==, "203");
}

/* A speech file this machine cannot decode (a codec no plugin here
 * knows) is neither cut nor sent: the probe refuses it before anything
 * reaches Magic Hour, so no credit is spent on a file no one can hear. */
static void
test_cut_undecodable_refused (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *audio = NULL;
  g_autoptr(GHashTable) params = talking_photo_params (f, MINUTES (10), "200", "203", &audio);
  g_autoptr(MhJob) job = NULL;
  g_autoptr(GError) error = NULL;
  Watch w = { .messages = g_ptr_array_new_with_free_func (g_free) };
  FILE *fp;

  /* The WAV's format code says a codec that does not exist. */
  fp = fopen (audio, "r+b");
  g_assert_nonnull (fp);
  g_assert_cmpint (fseek (fp, 20, SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite ("\x34\x12", 1, 2, fp), ==, 2);
  g_assert_cmpint (fclose (fp), ==, 0);

  job = mh_test_fixture_new_job (&f->t, "talking-photo", params);
  g_signal_connect (job, "notify::message", G_CALLBACK (message_cb), &w);
  g_assert_false (mh_test_run_job (job, NULL, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "speech.wav"));

  g_assert_cmpuint (count_prefixed (w.messages, "Cutting"), ==, 0);
  g_assert_cmpuint (mh_simulator_get_requests (f->t.sim)->len, ==, 0);
  assert_no_cut_left (f);
  g_ptr_array_unref (w.messages);
}

/* Run @params to its end, and return the speech upload's size. */
static guint64
run_and_get_audio_size (Fixture    *f,
                        const char *tool_id,
                        GHashTable *params,
                        const char *slot_key,
                        GPtrArray  *messages)
{
  g_autoptr(MhJob) job = mh_test_fixture_new_job (&f->t, tool_id, params);
  g_autoptr(GError) error = NULL;
  Watch w = { .messages = messages };
  MhSimRequest *create;
  const char *file_path;
  guint64 size = 0;

  g_signal_connect (job, "notify::message", G_CALLBACK (message_cb), &w);
  g_assert_true (mh_test_run_job (job, NULL, &error));
  g_assert_no_error (error);
  create = mh_test_request (f->t.sim, MH_SIM_ENDPOINT_CREATE, 0);
  file_path = mh_test_json_get_string (create->json,
                                       g_str_equal (slot_key, "audio") ? "assets.audio_file_path"
                                                                       : "assets.video_file_path");
  g_assert_true (mh_simulator_lookup_upload (f->t.sim, file_path, &size, NULL));
  return size;
}

/* A Talking Photo of @audio_seconds of speech with the range @start to
 * @end: the speech is uploaded whole, not cut, and the range is sent. */
static void
assert_speech_sent_whole (Fixture    *f,
                          double      audio_seconds,
                          const char *start,
                          const char *end)
{
  g_autofree char *audio = NULL;
  g_autoptr(GHashTable) params = talking_photo_params (f, audio_seconds, start, end, &audio);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  MhSimRequest *create;

  g_assert_cmpuint (run_and_get_audio_size (f, "talking-photo", params, "audio", messages), ==,
                    file_size (audio));
  create = mh_test_request (f->t.sim, MH_SIM_ENDPOINT_CREATE, 0);
  g_assert_cmpfloat_with_epsilon (body_number ("start_seconds", create->json),
                                  g_ascii_strtod (start, NULL), 1e-9);
  g_assert_cmpfloat_with_epsilon (body_number ("end_seconds", create->json),
                                  g_ascii_strtod (end, NULL), 1e-9);
  g_assert_cmpuint (count_prefixed (messages, "Cutting "), ==, 0);
  g_assert_nonnull (find_prefixed (messages, expected_note ("speech.wav", audio)));
  assert_no_cut_left (f);
}

static void
test_small_file_whole (Fixture       *f,
                       gconstpointer  data)
{
  /* 2 minutes: 1.9 MB, under the threshold. */
  assert_speech_sent_whole (f, MINUTES (2), "10", "13");
}

static void
test_half_range_whole (Fixture       *f,
                       gconstpointer  data)
{
  /* 300 s of a 10-minute file is half of it. */
  assert_speech_sent_whole (f, MINUTES (10), "100", "400");
}

/* A lip sync's range is the video's: the video goes whole, however big,
 * and so does its speech. */
static void
test_lip_sync_whole (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GHashTable) params = mh_test_fixture_params (&f->t, "lip-sync");
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *video = g_build_filename (f->t.tmp, "video.mp4", NULL);
  g_autofree char *audio = mh_test_write_wav (f->t.tmp, "long-speech.wav", MINUTES (10));
  g_autoptr(MhSimOutput) padded = mh_sim_output_new (MH_SIM_MEDIA_MP4, 6 * 1024 * 1024);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (video);
  g_autoptr(GError) error = NULL;
  guint64 total = mh_sim_output_get_size (padded);

  /* The sample video, padded past the threshold (a valid MP4 still). */
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  for (guint64 offset = 0; offset < total; )
    {
      gsize len = MIN (total - offset, 1024 * 1024);
      g_autoptr(GBytes) bytes = mh_sim_output_read_bytes (padded, offset, len);

      g_output_stream_write_all (G_OUTPUT_STREAM (out), g_bytes_get_data (bytes, NULL), len,
                                 NULL, NULL, &error);
      g_assert_no_error (error);
      offset += len;
    }
  g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error);
  g_assert_no_error (error);
  mh_params_set (params, "video", video);
  mh_params_set (params, "audio", audio);

  g_assert_cmpuint (run_and_get_audio_size (f, "lip-sync", params, "video", messages), ==, total);
  g_assert_cmpuint (count_prefixed (messages, "Cutting "), ==, 0);
  g_assert_nonnull (find_prefixed (messages, expected_note ("video.mp4", video)));
  g_assert_nonnull (find_prefixed (messages, expected_note ("long-speech.wav", audio)));
  assert_no_cut_left (f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/partial-upload/decision", test_decision);
#define ADD(path, func) \
  g_test_add ("/partial-upload/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("cut", test_cut);
  ADD ("cut-is-the-range", test_cut_is_the_range);
  ADD ("cut-mp3", test_cut_mp3);
  ADD ("cut-errors", test_cut_errors);
  ADD ("cut-cancel", test_cut_cancel);
  ADD ("cut-measure", test_cut_measure);
  ADD ("job-cuts", test_job_cuts);
  ADD ("job-retry", test_job_retry);
  ADD ("job-cancel-cutting", test_job_cancel_cutting);
  ADD ("job-cancel-uploading", test_job_cancel_uploading);
  ADD ("job-render-fails", test_job_render_fails);
  ADD ("undecodable-refused", test_cut_undecodable_refused);
  ADD ("small-file-whole", test_small_file_whole);
  ADD ("half-range-whole", test_half_range_whole);
  ADD ("lip-sync-whole", test_lip_sync_whole);
#undef ADD

  return g_test_run ();
}
