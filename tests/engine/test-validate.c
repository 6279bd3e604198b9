/* test-validate.c: every rule of the tool table, before anything is sent
 *
 * Each case is checked three ways: mh_validate_params() (no disk),
 * mh_validate_async() (files and durations) and a whole MhJob against the
 * simulator, which must receive no request at all for an invalid job.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mh-error.h"
#include "mh-params.h"
#include "mh-test-util.h"
#include "mh-validate.h"

static char *files_dir;

typedef struct
{
  const char *path;
  const char *tool;
  const char *params;     /* "key=value|key=value", @NAME@ stands for a test file */
  const char *bad_key;    /* NULL: valid */
  const char *needles[4]; /* in the message */
  gboolean    disk_only;  /* only the disk shows the problem: the sync check accepts it */
} Case;

#define TP_FILES "image=@PNG@|audio=@WAV@"
#define LS_FILES "video=@MP4@|audio=@WAV@"

static const Case cases[] = {
  /* ---- AI Talking Photo: slots ---- */
  { "/validate/tp/valid", "talking-photo", TP_FILES "|start=0|end=5", NULL },
  { "/validate/tp/valid-file-uri", "talking-photo", "image=@PNG_URI@|audio=@WAV@|start=0|end=5", NULL },
  { "/validate/tp/valid-upper-case-extension", "talking-photo", "image=@PNG_UPPER@|audio=@WAV@|start=0|end=5", NULL },
  { "/validate/tp/missing-image", "talking-photo", "audio=@WAV@|start=0|end=5", "image", { "Photo" } },
  { "/validate/tp/missing-audio", "talking-photo", "image=@PNG@|start=0|end=5", "audio", { "Speech" } },
  { "/validate/tp/image-wrong-extension", "talking-photo", "image=@GIF@|audio=@WAV@|start=0|end=5",
    "image", { "Photo", "png, jpg, jpeg, jfif, heic, heif, webp, avif, jp2, tiff, tif, bmp", "face.gif" } },
  { "/validate/tp/image-no-extension", "talking-photo", "image=@NOEXT@|audio=@WAV@|start=0|end=5",
    "image", { "Photo", "png, jpg" } },
  { "/validate/tp/audio-wrong-extension", "talking-photo", "image=@PNG@|audio=@TXT@|start=0|end=5",
    "audio", { "Speech", "mp3, wav, aac, flac, webm, weba, m4a, opus, ogg, oga, aiff, amr", "notes.txt" } },
  { "/validate/tp/audio-given-as-image", "talking-photo", "image=@PNG@|audio=@PNG@|start=0|end=5",
    "audio", { "Speech", "mp3, wav" } },
  { "/validate/tp/image-url-accepted", "talking-photo",
    "image=https://cdn.example.com/photos/face|audio=@WAV@|start=0|end=5", NULL },
  { "/validate/tp/audio-url-accepted", "talking-photo",
    "image=@PNG@|audio=https://cdn.example.com/voice.wav|start=0|end=170", NULL },
  { "/validate/tp/api-assets-accepted", "talking-photo",
    "image=api-assets/cm0abc/face.png|audio=api-assets/cm0abc/voice.mp3|start=0|end=5", NULL },
  { "/validate/tp/api-assets-wrong-extension", "talking-photo",
    "image=api-assets/cm0abc/face.gif|audio=@WAV@|start=0|end=5", "image", { "Photo", "png" } },
  { "/validate/tp/bad-url", "talking-photo", "image=https://|audio=@WAV@|start=0|end=5",
    "image", { "not a valid web address" } },
  { "/validate/tp/missing-file", "talking-photo", "image=@NOPE@|audio=@WAV@|start=0|end=5",
    "image", { "does not exist", "missing.png" }, TRUE },
  { "/validate/tp/directory", "talking-photo", "image=@DIR@|audio=@WAV@|start=0|end=5",
    "image", { "not a regular file", "folder.png" }, TRUE },
  { "/validate/tp/empty-file", "talking-photo", "image=@PNG@|audio=@EMPTY@|start=0|end=5",
    "audio", { "is empty", "empty.wav" }, TRUE },

  /* ---- AI Talking Photo: time range ---- */
  { "/validate/tp/missing-start", "talking-photo", TP_FILES "|end=5", "start", { "Start" } },
  { "/validate/tp/missing-end", "talking-photo", TP_FILES "|start=0", "end", { "End" } },
  { "/validate/tp/start-not-a-number", "talking-photo", TP_FILES "|start=abc|end=5",
    "start", { "Start", "number", "abc" } },
  { "/validate/tp/start-comma", "talking-photo", TP_FILES "|start=1,5|end=5", "start", { "number" } },
  { "/validate/tp/start-nan", "talking-photo", TP_FILES "|start=nan|end=5", "start", { "number" } },
  { "/validate/tp/end-not-a-number", "talking-photo", TP_FILES "|start=0|end=5s",
    "end", { "End", "number", "5s" } },
  { "/validate/tp/end-infinite", "talking-photo", TP_FILES "|start=0|end=inf", "end", { "number" } },
  { "/validate/tp/start-negative", "talking-photo", TP_FILES "|start=-1|end=5",
    "start", { "Start", "at least 0" } },
  { "/validate/tp/end-below-minimum", "talking-photo", TP_FILES "|start=0|end=0.05",
    "end", { "End", "at least 0.1" } },
  { "/validate/tp/end-at-minimum", "talking-photo", TP_FILES "|start=0|end=0.1", NULL },
  { "/validate/tp/end-equals-start", "talking-photo", TP_FILES "|start=5|end=5",
    "end", { "after the start" } },
  { "/validate/tp/end-before-start", "talking-photo", TP_FILES "|start=6|end=5",
    "end", { "after the start", "0:05.0", "0:06.0" } },

  /* ---- AI Talking Photo: clip length per mode (December 2026: realistic 300 s,
   * prompted 60 s; each alias as its mode) ---- */
  { "/validate/tp/clip/default-300", "talking-photo", TP_FILES "|start=10|end=310", NULL },
  { "/validate/tp/clip/default-over", "talking-photo", TP_FILES "|start=0|end=300.1",
    "end", { "5:00.0", "5:00.1" } },
  { "/validate/tp/clip/realistic-300", "talking-photo", TP_FILES "|mode=realistic|start=0|end=300", NULL },
  { "/validate/tp/clip/realistic-over", "talking-photo", TP_FILES "|mode=realistic|start=0|end=300.1",
    "end", { "Realistic", "5:00.0" } },
  { "/validate/tp/clip/pro-300", "talking-photo", TP_FILES "|mode=pro|start=0|end=300", NULL },
  { "/validate/tp/clip/pro-over", "talking-photo", TP_FILES "|mode=pro|start=0|end=300.1",
    "end", { "Realistic", "5:00.0" } },
  { "/validate/tp/clip/stable-300", "talking-photo", TP_FILES "|mode=stable|start=0|end=300", NULL },
  { "/validate/tp/clip/stable-over", "talking-photo", TP_FILES "|mode=stable|start=0|end=300.1",
    "end", { "5:00.0" } },
  { "/validate/tp/clip/prompted-60", "talking-photo", TP_FILES "|mode=prompted|start=0|end=60", NULL },
  { "/validate/tp/clip/prompted-over", "talking-photo", TP_FILES "|mode=prompted|start=0|end=60.1",
    "end", { "Expressive", "1:00.0" } },
  { "/validate/tp/clip/expressive-60", "talking-photo", TP_FILES "|mode=expressive|start=5|end=65", NULL },
  { "/validate/tp/clip/expressive-over", "talking-photo", TP_FILES "|mode=expressive|start=5|end=65.1",
    "end", { "1:00.0" } },
  { "/validate/tp/clip/standard-60", "talking-photo", TP_FILES "|mode=standard|start=0|end=60", NULL },
  { "/validate/tp/clip/standard-over", "talking-photo", TP_FILES "|mode=standard|start=0|end=60.1",
    "end", { "1:00.0" } },
  { "/validate/tp/mode-unknown", "talking-photo", TP_FILES "|mode=cartoon|start=0|end=5",
    "mode", { "cartoon", "realistic", "prompted" } },

  /* ---- AI Talking Photo: options that depend on the mode ---- */
  { "/validate/tp/intensity-realistic", "talking-photo", TP_FILES "|mode=realistic|intensity=1|start=0|end=5",
    "intensity", { "Intensity", "Expressive" } },
  { "/validate/tp/intensity-default-mode", "talking-photo", TP_FILES "|intensity=1|start=0|end=5",
    "intensity", { "Intensity" } },
  { "/validate/tp/intensity-pro", "talking-photo", TP_FILES "|mode=pro|intensity=1|start=0|end=5",
    "intensity", { "Intensity" } },
  { "/validate/tp/prompt-realistic", "talking-photo", TP_FILES "|mode=realistic|prompt=smile|start=0|end=5",
    "prompt", { "Prompt", "Expressive" } },
  { "/validate/tp/prompt-stable", "talking-photo", TP_FILES "|mode=stable|prompt=smile|start=0|end=5",
    "prompt", { "Prompt" } },
  { "/validate/tp/intensity-prompted", "talking-photo", TP_FILES "|mode=prompted|intensity=1.5|start=0|end=5", NULL },
  { "/validate/tp/intensity-expressive", "talking-photo", TP_FILES "|mode=expressive|intensity=1.25|start=0|end=5", NULL },
  { "/validate/tp/prompt-expressive", "talking-photo", TP_FILES "|mode=expressive|prompt=smile|start=0|end=5", NULL },
  { "/validate/tp/prompt-standard", "talking-photo", TP_FILES "|mode=standard|prompt=smile|start=0|end=5", NULL },
  { "/validate/tp/intensity-trailing-zero", "talking-photo", TP_FILES "|mode=prompted|intensity=1.50|start=0|end=5", NULL },
  { "/validate/tp/intensity-lowest", "talking-photo", TP_FILES "|mode=prompted|intensity=0.1|start=0|end=5", NULL },
  { "/validate/tp/intensity-zero", "talking-photo", TP_FILES "|mode=prompted|intensity=0|start=0|end=5",
    "intensity", { "Intensity", "at least 0.1" } },
  { "/validate/tp/intensity-two", "talking-photo", TP_FILES "|mode=prompted|intensity=2|start=0|end=5", NULL },
  { "/validate/tp/intensity-three-decimals", "talking-photo", TP_FILES "|mode=prompted|intensity=1.255|start=0|end=5",
    "intensity", { "Intensity", "2 decimal places" } },
  { "/validate/tp/intensity-too-high", "talking-photo", TP_FILES "|mode=prompted|intensity=2.5|start=0|end=5",
    "intensity", { "Intensity", "at most 2" } },
  { "/validate/tp/intensity-negative", "talking-photo", TP_FILES "|mode=prompted|intensity=-0.5|start=0|end=5",
    "intensity", { "Intensity", "at least 0.1" } },
  { "/validate/tp/intensity-not-a-number", "talking-photo", TP_FILES "|mode=prompted|intensity=high|start=0|end=5",
    "intensity", { "number", "high" } },
  { "/validate/tp/resolution-480p", "talking-photo", TP_FILES "|resolution=480p|start=0|end=5", NULL },
  { "/validate/tp/resolution-720p", "talking-photo", TP_FILES "|mode=prompted|resolution=720p|start=0|end=5", NULL },
  { "/validate/tp/resolution-1080p", "talking-photo", TP_FILES "|resolution=1080p|start=0|end=5",
    "resolution", { "1080p", "480p", "720p" } },
  { "/validate/tp/max-resolution-integer", "talking-photo", TP_FILES "|max-resolution=1024|start=0|end=5", NULL },
  { "/validate/tp/max-resolution-fraction", "talking-photo", TP_FILES "|max-resolution=1024.5|start=0|end=5",
    "max-resolution", { "Maximum resolution", "whole number" } },
  { "/validate/tp/max-resolution-text", "talking-photo", TP_FILES "|max-resolution=big|start=0|end=5",
    "max-resolution", { "number", "big" } },
  { "/validate/tp/unknown-key", "talking-photo", TP_FILES "|start=0|end=5|foo=bar",
    "foo", { "foo", "AI Talking Photo" } },
  { "/validate/tp/lip-sync-key", "talking-photo", TP_FILES "|start=0|end=5|max-fps=24",
    "max-fps", { "max-fps" } },

  /* ---- AI Talking Photo: durations read from the disk ---- */
  { "/validate/tp/end-past-audio", "talking-photo", "image=@PNG@|audio=@WAV3@|start=0|end=5",
    "end", { "past the end", "0:03.0", "Speech" }, TRUE },
  { "/validate/tp/start-past-audio", "talking-photo", "image=@PNG@|audio=@WAV3@|start=3.5|end=4",
    "start", { "past the end", "0:03.0" }, TRUE },
  { "/validate/tp/end-at-audio-end", "talking-photo", "image=@PNG@|audio=@WAV3@|start=0|end=3", NULL },
  { "/validate/tp/end-within-slack", "talking-photo", "image=@PNG@|audio=@WAV3@|start=0|end=3.04", NULL },
  /* ---- Content, not extension: probed before anything is sent ---- */
  { "/validate/tp/not-audio", "talking-photo", "image=@PNG@|audio=@JUNK@|start=0|end=100",
    "audio", { "junk.wav could not be read as audio: its content is no known kind of media." }, TRUE },
  { "/validate/tp/no-samples", "talking-photo", "image=@PNG@|audio=@NOSAMPLES@|start=0|end=1",
    "audio", { "nosamples.wav has no sound in it" }, TRUE },
  { "/validate/tp/not-image", "talking-photo", "image=@FAKEPNG@|audio=@WAV@|start=0|end=1",
    "image", { "fake.png could not be read as an image" }, TRUE },
  { "/validate/ls/not-video", "lip-sync", "video=@FAKEMP4@|audio=@WAV@|start=0|end=1",
    "video", { "fake.mp4 could not be read as a video" }, TRUE },
  { "/validate/ls/image-as-video", "lip-sync", "video=@PNGMP4@|audio=@WAV@|start=0|end=1",
    "video", { "photo.mp4 is an image, not a video." }, TRUE },

  /* ---- Lip Sync ---- */
  { "/validate/ls/valid", "lip-sync", LS_FILES "|start=0|end=2", NULL },
  { "/validate/ls/valid-youtube", "lip-sync",
    "youtube=https://www.youtube.com/watch?v=dQw4w9WgXcQ|audio=@WAV@|start=0|end=200", NULL },
  { "/validate/ls/valid-youtu-be", "lip-sync", "youtube=https://youtu.be/dQw4w9WgXcQ|audio=@WAV@|start=0|end=2", NULL },
  { "/validate/ls/valid-m-youtube", "lip-sync", "youtube=http://m.YouTube.com/watch?v=x|audio=@WAV@|start=0|end=2", NULL },
  { "/validate/ls/video-url", "lip-sync", "video=https://cdn.example.com/clip.mp4|audio=@WAV@|start=0|end=500", NULL },
  { "/validate/ls/video-api-assets", "lip-sync", "video=api-assets/cm0abc/clip.mov|audio=@WAV@|start=0|end=2", NULL },
  { "/validate/ls/missing-video", "lip-sync", "audio=@WAV@|start=0|end=2", "video", { "Video" } },
  { "/validate/ls/missing-audio", "lip-sync", "video=@MP4@|start=0|end=2", "audio", { "Speech" } },
  { "/validate/ls/video-and-youtube", "lip-sync",
    "video=@MP4@|youtube=https://youtu.be/x|audio=@WAV@|start=0|end=2", "youtube", { "not both", "Video", "YouTube" } },
  { "/validate/ls/youtube-other-host", "lip-sync", "youtube=https://vimeo.com/123|audio=@WAV@|start=0|end=2",
    "youtube", { "not a YouTube link", "vimeo.com" } },
  { "/validate/ls/youtube-lookalike-host", "lip-sync", "youtube=https://notyoutube.com/watch?v=x|audio=@WAV@|start=0|end=2",
    "youtube", { "not a YouTube link" } },
  { "/validate/ls/youtube-suffix-trick", "lip-sync", "youtube=https://youtube.com.evil.example/x|audio=@WAV@|start=0|end=2",
    "youtube", { "not a YouTube link" } },
  { "/validate/ls/youtube-as-file", "lip-sync", "youtube=@MP4@|audio=@WAV@|start=0|end=2",
    "youtube", { "must be a link" } },
  { "/validate/ls/youtube-as-api-assets", "lip-sync", "youtube=api-assets/cm0abc/clip.mp4|audio=@WAV@|start=0|end=2",
    "youtube", { "must be a link" } },
  { "/validate/ls/video-wrong-extension", "lip-sync", "video=@AVI@|audio=@WAV@|start=0|end=2",
    "video", { "Video", "mp4, m4v, mov, webm", "clip.avi" } },
  { "/validate/ls/audio-wrong-extension", "lip-sync", "video=@MP4@|audio=@TXT@|start=0|end=2",
    "audio", { "mp3, wav" } },
  { "/validate/ls/mode-unknown", "lip-sync", LS_FILES "|mode=ultra|start=0|end=2",
    "mode", { "ultra", "lite, standard, pro" } },
  { "/validate/ls/mode-lite", "lip-sync", LS_FILES "|mode=lite|start=0|end=2", NULL },
  { "/validate/ls/mode-standard", "lip-sync", LS_FILES "|mode=standard|start=0|end=2", NULL },
  { "/validate/ls/mode-pro", "lip-sync", LS_FILES "|mode=pro|start=0|end=2", NULL },
  { "/validate/ls/max-fps-one", "lip-sync", LS_FILES "|max-fps=1|start=0|end=2", NULL },
  { "/validate/ls/max-fps-24", "lip-sync", LS_FILES "|max-fps=24|start=0|end=2", NULL },
  { "/validate/ls/max-fps-below-one", "lip-sync", LS_FILES "|max-fps=0.5|start=0|end=2",
    "max-fps", { "Maximum frame rate", "at least 1" } },
  { "/validate/ls/max-fps-zero", "lip-sync", LS_FILES "|max-fps=0|start=0|end=2",
    "max-fps", { "at least 1" } },
  { "/validate/ls/max-fps-text", "lip-sync", LS_FILES "|max-fps=fast|start=0|end=2",
    "max-fps", { "number" } },
  { "/validate/ls/missing-start", "lip-sync", LS_FILES "|end=2", "start", { "Start" } },
  { "/validate/ls/missing-end", "lip-sync", LS_FILES "|start=0", "end", { "End" } },
  { "/validate/ls/start-negative", "lip-sync", LS_FILES "|start=-0.5|end=2", "start", { "at least 0" } },
  { "/validate/ls/end-below-minimum", "lip-sync", LS_FILES "|start=0|end=0.09", "end", { "at least 0.1" } },
  { "/validate/ls/end-before-start", "lip-sync", LS_FILES "|start=2|end=1", "end", { "after the start" } },
  { "/validate/ls/end-past-video", "lip-sync", LS_FILES "|start=0|end=5",
    "end", { "past the end", "Video", "0:03.0" }, TRUE },
  { "/validate/ls/intensity-key", "lip-sync", LS_FILES "|start=0|end=2|intensity=1", "intensity", { "intensity" } },

  /* ---- AI Headshot ---- */
  { "/validate/hs/valid", "headshot", "image=@PNG@", NULL },
  { "/validate/hs/valid-prompt-name", "headshot", "image=@PNG@|prompt=Corporate, soft light|name=Me", NULL },
  { "/validate/hs/missing-image", "headshot", "prompt=x", "image", { "Photo" } },
  { "/validate/hs/image-wrong-extension", "headshot", "image=@TXT@", "image", { "Photo", "png, jpg" } },
  { "/validate/hs/image-missing-file", "headshot", "image=@NOPE@", "image", { "does not exist" }, TRUE },
  { "/validate/hs/start-key", "headshot", "image=@PNG@|start=0", "start", { "start" } },
};

static char *
file_for (const char *token)
{
  if (g_str_equal (token, "PNG"))
    return g_build_filename (files_dir, "face.png", NULL);
  if (g_str_equal (token, "PNG_URI"))
    {
      g_autofree char *path = g_build_filename (files_dir, "face.png", NULL);

      return g_filename_to_uri (path, NULL, NULL);
    }
  if (g_str_equal (token, "PNG_UPPER"))
    return g_build_filename (files_dir, "FACE.PNG", NULL);
  if (g_str_equal (token, "GIF"))
    return g_build_filename (files_dir, "face.gif", NULL);
  if (g_str_equal (token, "NOEXT"))
    return g_build_filename (files_dir, "face", NULL);
  if (g_str_equal (token, "WAV"))
    return g_build_filename (files_dir, "voice.wav", NULL);
  if (g_str_equal (token, "WAV3"))
    return g_build_filename (files_dir, "short.wav", NULL);
  if (g_str_equal (token, "JUNK"))
    return g_build_filename (files_dir, "junk.wav", NULL);
  if (g_str_equal (token, "NOSAMPLES"))
    return g_build_filename (files_dir, "nosamples.wav", NULL);
  if (g_str_equal (token, "FAKEPNG"))
    return g_build_filename (files_dir, "fake.png", NULL);
  if (g_str_equal (token, "FAKEMP4"))
    return g_build_filename (files_dir, "fake.mp4", NULL);
  if (g_str_equal (token, "PNGMP4"))
    return g_build_filename (files_dir, "photo.mp4", NULL);
  if (g_str_equal (token, "EMPTY"))
    return g_build_filename (files_dir, "empty.wav", NULL);
  if (g_str_equal (token, "TXT"))
    return g_build_filename (files_dir, "notes.txt", NULL);
  if (g_str_equal (token, "MP4"))
    return g_build_filename (files_dir, "clip.mp4", NULL);
  if (g_str_equal (token, "AVI"))
    return g_build_filename (files_dir, "clip.avi", NULL);
  if (g_str_equal (token, "NOPE"))
    return g_build_filename (files_dir, "missing.png", NULL);
  if (g_str_equal (token, "DIR"))
    return g_build_filename (files_dir, "folder.png", NULL);

  g_error ("Unknown test file @%s@", token);
}

static GHashTable *
case_params (const Case *c)
{
  GHashTable *params = mh_params_new ();
  g_auto(GStrv) pairs = g_strsplit (c->params, "|", -1);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *eq = strchr (pairs[i], '=');
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      g_assert_nonnull (eq);
      key = g_strndup (pairs[i], eq - pairs[i]);
      if (eq[1] == '@')
        {
          g_autofree char *token = g_strndup (eq + 2, strlen (eq + 2) - 1);

          value = file_for (token);
        }
      else
        value = g_strdup (eq + 1);
      mh_params_set (params, key, value);
    }

  return params;
}

static void
assert_message (const Case   *c,
                const GError *error)
{
  for (guint i = 0; i < G_N_ELEMENTS (c->needles) && c->needles[i] != NULL; i++)
    if (strstr (error->message, c->needles[i]) == NULL)
      g_error ("%s: the message “%s” does not mention “%s”", c->path, error->message,
               c->needles[i]);
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  char     *bad_key;
  GError   *error;
} AsyncResult;

static void
validated_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncResult *r = user_data;

  r->ok = mh_validate_finish (result, &r->bad_key, &r->error);
  r->done = TRUE;
}

static void
test_case (MhTestFixture *fixture,
           gconstpointer  data)
{
  const Case *c = data;
  const MhTool *tool = mh_tool_lookup (c->tool);
  g_autoptr(GHashTable) params = case_params (c);
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_key = NULL;
  AsyncResult r = { FALSE, };
  gboolean ok;

  g_assert_nonnull (tool);

  /* Without the disk */
  ok = mh_validate_params (tool, params, NULL, &bad_key, &error);
  if (c->bad_key == NULL || c->disk_only)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, MH_ERROR, MH_ERROR_INVALID_INPUT);
      g_assert_cmpstr (bad_key, ==, c->bad_key);
      assert_message (c, error);
    }

  /* With the disk */
  mh_validate_async (tool, params, NULL, validated_cb, &r);
  mh_test_wait_for_flag (&r.done, MH_TEST_TIMEOUT, "validation");
  if (c->bad_key == NULL)
    {
      g_assert_no_error (r.error);
      g_assert_true (r.ok);
    }
  else
    {
      g_assert_false (r.ok);
      g_assert_error (r.error, MH_ERROR, MH_ERROR_INVALID_INPUT);
      g_assert_cmpstr (r.bad_key, ==, c->bad_key);
      assert_message (c, r.error);
      if (!c->disk_only)
        g_assert_cmpstr (r.error->message, ==, error->message);
    }

  /* A whole job: refused before anything reaches the server. */
  if (c->bad_key != NULL)
    {
      g_autoptr(MhJob) job = mh_test_fixture_new_job (fixture, c->tool, params);
      g_autoptr(MhTestStateLog) log = mh_test_state_log_new (job);
      g_autoptr(GError) job_error = NULL;
      const MhJobState states[] = { MH_JOB_STATE_VALIDATING, MH_JOB_STATE_FAILED };

      g_assert_false (mh_test_run_job (job, NULL, &job_error));
      g_assert_error (job_error, MH_ERROR, MH_ERROR_INVALID_INPUT);
      g_assert_cmpstr (job_error->message, ==, r.error->message);
      g_assert_cmpint (mh_job_get_state (job), ==, MH_JOB_STATE_FAILED);
      g_assert_cmpstr (mh_job_get_bad_key (job), ==, c->bad_key);
      g_assert_cmpstr (mh_job_get_message (job), ==, job_error->message);
      g_assert_null (mh_job_get_project_id (job));
      mh_test_assert_states (log, states, G_N_ELEMENTS (states));
      g_assert_cmpuint (log->states->len, ==, 2);
      g_assert_cmpuint (mh_simulator_count_requests (fixture->sim, NULL), ==, 0);
      g_assert_cmpuint (mh_client_get_requests_sent (fixture->client, NULL), ==, 0);
      g_assert_false (g_file_test (fixture->out, G_FILE_TEST_EXISTS));
    }

  g_free (r.bad_key);
  g_clear_error (&r.error);
}

/* Known durations passed in directly, without a disk. */
static void
test_durations_table (void)
{
  const MhTool *tool = mh_tool_lookup ("talking-photo");
  g_autoptr(GHashTable) params = mh_test_params ("image", "face.png", "audio", "voice.wav",
                                                 "start", "1", "end", "12.5", NULL);
  g_autoptr(GHashTable) durations = g_hash_table_new (g_str_hash, g_str_equal);
  double ten = 10.0, long_enough = 20.0, unknown = -1;
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_key = NULL;

  g_hash_table_insert (durations, "audio", &ten);
  g_assert_false (mh_validate_params (tool, params, durations, &bad_key, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_INVALID_INPUT);
  g_assert_cmpstr (bad_key, ==, "end");
  g_assert_nonnull (strstr (error->message, "0:10.0"));
  g_clear_error (&error);
  g_clear_pointer (&bad_key, g_free);

  /* The image does not bound the time range. */
  g_hash_table_remove (durations, "audio");
  g_hash_table_insert (durations, "image", &ten);
  g_assert_true (mh_validate_params (tool, params, durations, &bad_key, &error));
  g_assert_no_error (error);

  g_hash_table_insert (durations, "audio", &long_enough);
  g_assert_true (mh_validate_params (tool, params, durations, NULL, &error));
  g_assert_no_error (error);

  /* Unknown durations never refuse. */
  g_hash_table_insert (durations, "audio", &unknown);
  g_assert_true (mh_validate_params (tool, params, durations, NULL, &error));
  g_assert_no_error (error);
}

/* The first problem in the table's order is the one reported. */
static void
test_first_problem_first (void)
{
  const MhTool *tool = mh_tool_lookup ("talking-photo");
  g_autoptr(GHashTable) params = mh_test_params ("audio", "voice.txt", "start", "x", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_key = NULL;

  g_assert_false (mh_validate_params (tool, params, NULL, &bad_key, &error));
  g_assert_cmpstr (bad_key, ==, "image");
}

/* Blank values are not set: they are neither validated nor sent. */
static void
test_blank_is_unset (void)
{
  const MhTool *tool = mh_tool_lookup ("talking-photo");
  g_autoptr(GHashTable) params = mh_test_params ("image", "face.png", "audio", "voice.wav",
                                                 "start", "0", "end", "5",
                                                 "intensity", "   ", "prompt", "",
                                                 "name", "\t", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (g_hash_table_contains (params, "intensity"));
  g_assert_false (g_hash_table_contains (params, "prompt"));
  g_assert_false (g_hash_table_contains (params, "name"));
  g_assert_true (mh_validate_params (tool, params, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_prompt_too_long (void)
{
  const MhTool *tool = mh_tool_lookup ("headshot");
  g_autofree char *prompt = g_strnfill (2001, 'a');
  g_autoptr(GHashTable) params = mh_test_params ("image", "face.png", "prompt", prompt, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_key = NULL;

  g_assert_false (mh_validate_params (tool, params, NULL, &bad_key, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_INVALID_INPUT);
  g_assert_cmpstr (bad_key, ==, "prompt");

  prompt[2000] = '\0';
  mh_params_set (params, "prompt", prompt);
  g_clear_error (&error);
  g_assert_true (mh_validate_params (tool, params, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
make_files (void)
{
  g_autofree char *dir = NULL;
  static const char junk[] = "this is not a WAV file at all, but it is not empty either";

  files_dir = mh_test_make_tmp_dir ();
  g_free (mh_test_write_png (files_dir, "face.png"));
  g_free (mh_test_write_png (files_dir, "FACE.PNG"));
  g_free (mh_test_write_png (files_dir, "face.gif"));
  g_free (mh_test_write_png (files_dir, "face"));
  g_free (mh_test_write_wav (files_dir, "voice.wav", 400));
  g_free (mh_test_write_wav (files_dir, "short.wav", 3));
  g_free (mh_test_write_file (files_dir, "junk.wav", junk, sizeof junk - 1));
  g_free (mh_test_write_file (files_dir, "empty.wav", "", 0));
  g_free (mh_test_write_wav (files_dir, "nosamples.wav", 0));
  g_free (mh_test_write_file (files_dir, "fake.png", junk, sizeof junk - 1));
  g_free (mh_test_write_file (files_dir, "fake.mp4", junk, sizeof junk - 1));
  g_free (mh_test_write_png (files_dir, "photo.mp4"));
  g_free (mh_test_write_file (files_dir, "notes.txt", "hello", 5));
  g_free (mh_test_write_mp4 (files_dir, "clip.mp4"));
  g_free (mh_test_write_mp4 (files_dir, "clip.avi"));
  dir = g_build_filename (files_dir, "folder.png", NULL);
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  make_files ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add (cases[i].path, MhTestFixture, &cases[i],
                mh_test_fixture_setup, test_case, mh_test_fixture_teardown);

  g_test_add_func ("/validate/durations-table", test_durations_table);
  g_test_add_func ("/validate/first-problem-first", test_first_problem_first);
  g_test_add_func ("/validate/blank-is-unset", test_blank_is_unset);
  g_test_add_func ("/validate/prompt-too-long", test_prompt_too_long);

  ret = g_test_run ();
  mh_test_rm_rf (files_dir);
  g_free (files_dir);
  return ret;
}
