/* mh-probe.c: what a media file really holds
 *
 * The headers of the containers the API takes answer first
 * (mh-probe-parse.c): GStreamer's discoverer plugs decoders to answer the
 * same (libav for an H.264 MP4: 50 MiB and 150 ms), so it is started only
 * for files those parsers do not know: another container, a header that
 * does not give the length, a file that is no media, cut short or empty,
 * whose sentence then is the one it always was.
 *
 * The discoverer answers "OK" for files a slot cannot use (MEDIA.md): a WAV
 * header with no samples is OK with a duration of 0, a PNG is a video
 * stream flagged as an image, an audio-only MP4 is OK with no video. So the
 * probe only reports what it found; mh_probe_check_slot() judges it against
 * the slot.
 *
 * Some containers the API takes have no decoder in a stock GStreamer 1.22
 * (WebP, HEIC/AVIF, JPEG 2000, TIFF and BMP images need plugins-bad or
 * none; AIFF needs plugins-bad). When the discoverer cannot read those, the
 * file's signature still tells what it is (and the header its size or
 * length): a real photo is not refused because this computer cannot decode
 * it; those signatures are read before the discoverer too, as it could not
 * tell more. PNG and JPEG are read by plugins-good, so their failure is
 * the file's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gst/pbutils/pbutils.h>
#include <string.h>

#include "mh-error.h"
#include "mh-gst.h"
#include "mh-media.h"
#include "mh-probe.h"
#include "mh-probe-private.h"

/* The discoverer's own limit for one file. A 2-hour WAV reads in 3 ms and a
 * 720p MP4 in 150 ms (MEDIA.md); the margin is for a loaded machine. */
#define PROBE_TIMEOUT_SECONDS 8

G_DEFINE_BOXED_TYPE (MhMediaInfo, mh_media_info, mh_media_info_copy, mh_media_info_free)

MhMediaInfo *
mh_media_info_copy (const MhMediaInfo *info)
{
  MhMediaInfo *copy = g_new (MhMediaInfo, 1);

  *copy = *info;
  copy->unreadable = g_strdup (info->unreadable);

  return copy;
}

void
mh_media_info_free (MhMediaInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->unreadable);
  g_free (info);
}

/* ---- The discoverer, on a context of this thread -------------------------- */

typedef struct
{
  GstDiscovererInfo *info;
  GError            *error;
  gboolean           finished;
} Discovery;

static void
discovered_cb (GstDiscoverer     *discoverer,
               GstDiscovererInfo *info,
               const GError      *error,
               gpointer           user_data)
{
  Discovery *discovery = user_data;

  g_clear_object (&discovery->info);
  discovery->info = info != NULL ? g_object_ref (info) : NULL;
  g_clear_error (&discovery->error);
  discovery->error = error != NULL ? g_error_copy (error) : NULL;
}

static void
finished_cb (GstDiscoverer *discoverer,
             gpointer       user_data)
{
  Discovery *discovery = user_data;

  discovery->finished = TRUE;
}

/* How long a canceled probe may still finish the file it reads. */
#define CANCEL_GRACE_MS 500

static gboolean
cancelled_cb (gpointer user_data)
{
  /* Only wakes the loop below, which sees the cancellable (or the time). */
  return G_SOURCE_CONTINUE;
}

/* The discoverer's asynchronous mode on a private main context, so that a
 * cancel stops it at once instead of waiting for its timeout. */
static gboolean
discover (const char    *uri,
          Discovery     *discovery,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GstDiscoverer) discoverer = NULL;
  GSource *cancel_source = NULL;

  g_main_context_push_thread_default (context);

  discoverer = gst_discoverer_new (PROBE_TIMEOUT_SECONDS * GST_SECOND, error);
  if (discoverer == NULL)
    {
      g_main_context_pop_thread_default (context);
      return FALSE;
    }

  g_signal_connect (discoverer, "discovered", G_CALLBACK (discovered_cb), discovery);
  g_signal_connect (discoverer, "finished", G_CALLBACK (finished_cb), discovery);

  if (cancellable != NULL)
    {
      cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (cancel_source, G_SOURCE_FUNC (cancelled_cb), NULL, NULL);
      g_source_attach (cancel_source, context);
    }

  gst_discoverer_start (discoverer);
  if (!gst_discoverer_discover_uri_async (discoverer, uri))
    discovery->finished = TRUE;

  while (!discovery->finished && !g_cancellable_is_cancelled (cancellable))
    g_main_context_iteration (context, TRUE);

  if (cancel_source != NULL)
    {
      g_source_destroy (cancel_source);
      g_source_unref (cancel_source);
    }

  /* Canceled while it reads: a moment more to finish (a local file takes
   * milliseconds), because GStreamer 1.22's discoverer, stopped half-way,
   * leaks the info of the file it was reading (LeakSanitizer in CI). */
  if (!discovery->finished)
    {
      gint64 until = g_get_monotonic_time () + CANCEL_GRACE_MS * 1000;
      GSource *grace = g_timeout_source_new (CANCEL_GRACE_MS / 10);

      g_source_set_callback (grace, G_SOURCE_FUNC (cancelled_cb), NULL, NULL);
      g_source_attach (grace, context);
      while (!discovery->finished && g_get_monotonic_time () < until)
        g_main_context_iteration (context, TRUE);
      g_source_destroy (grace);
      g_source_unref (grace);
    }

  gst_discoverer_stop (discoverer);
  g_signal_handlers_disconnect_by_data (discoverer, discovery);
  g_clear_object (&discoverer);
  g_main_context_pop_thread_default (context);

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static void
read_streams (GstDiscovererInfo *discovered,
              MhMediaInfo       *info)
{
  GList *videos = gst_discoverer_info_get_video_streams (discovered);
  GList *audios = gst_discoverer_info_get_audio_streams (discovered);
  GstClockTime duration = gst_discoverer_info_get_duration (discovered);

  for (GList *l = videos; l != NULL; l = l->next)
    {
      GstDiscovererVideoInfo *video = l->data;
      gboolean first = !info->has_video && !info->is_image;

      if (gst_discoverer_video_info_is_image (video))
        info->is_image = TRUE;
      else
        info->has_video = TRUE;

      if (first)
        {
          guint num = gst_discoverer_video_info_get_framerate_num (video);
          guint denom = gst_discoverer_video_info_get_framerate_denom (video);

          info->width = gst_discoverer_video_info_get_width (video);
          info->height = gst_discoverer_video_info_get_height (video);
          if (!info->is_image && num > 0 && denom > 0)
            info->fps = (double) num / denom;
        }
    }
  /* A video's picture stream wins over a cover image found beside it. */
  if (info->has_video)
    info->is_image = FALSE;

  info->has_audio = audios != NULL;
  if (GST_CLOCK_TIME_IS_VALID (duration) && !info->is_image)
    info->duration = (double) duration / GST_SECOND;

  gst_discoverer_stream_info_list_free (videos);
  gst_discoverer_stream_info_list_free (audios);
}

/* ---- Signatures of what GStreamer may not decode here ------------------- */

static guint32
read_le (const guint8 *p,
         guint         n)
{
  guint32 v = 0;

  for (guint i = n; i > 0; i--)
    v = (v << 8) | p[i - 1];
  return v;
}

static guint32
read_be (const guint8 *p,
         guint         n)
{
  guint32 v = 0;

  for (guint i = 0; i < n; i++)
    v = (v << 8) | p[i];
  return v;
}

static gboolean
is_heif_brand (const guint8 *brand)
{
  static const char *const brands[] = {
    "heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", "avif", "avis",
  };

  for (guint i = 0; i < G_N_ELEMENTS (brands); i++)
    if (memcmp (brand, brands[i], 4) == 0)
      return TRUE;
  return FALSE;
}

/* Fills @info from the first bytes of an image or AIFF file whose format
 * needs a plugin this computer may not have. FALSE when the bytes are none
 * of those. */
static gboolean
sniff_signature (GFile        *file,
                 const guint8 *head,
                 gsize         n,
                 MhMediaInfo  *info,
                 GCancellable *cancellable)
{
  if (n >= 30 && memcmp (head, "RIFF", 4) == 0 && memcmp (head + 8, "WEBP", 4) == 0)
    {
      info->is_image = TRUE;
      if (memcmp (head + 12, "VP8X", 4) == 0)
        {
          info->width = read_le (head + 24, 3) + 1;
          info->height = read_le (head + 27, 3) + 1;
        }
      else if (memcmp (head + 12, "VP8 ", 4) == 0)
        {
          info->width = read_le (head + 26, 2) & 0x3fff;
          info->height = read_le (head + 28, 2) & 0x3fff;
        }
      else if (memcmp (head + 12, "VP8L", 4) == 0 && n >= 25)
        {
          guint32 bits = read_le (head + 21, 4);

          info->width = (bits & 0x3fff) + 1;
          info->height = ((bits >> 14) & 0x3fff) + 1;
        }
      return TRUE;
    }

  if (n >= 12 && memcmp (head + 4, "ftyp", 4) == 0 && is_heif_brand (head + 8))
    {
      info->is_image = TRUE;
      return TRUE;
    }

  if ((n >= 12 && memcmp (head, "\0\0\0\x0cjP  \r\n\x87\n", 12) == 0) ||
      (n >= 4 && memcmp (head, "\xff\x4f\xff\x51", 4) == 0) ||
      (n >= 4 && (memcmp (head, "II*\0", 4) == 0 || memcmp (head, "MM\0*", 4) == 0)))
    {
      info->is_image = TRUE;
      return TRUE;
    }

  if (n >= 26 && head[0] == 'B' && head[1] == 'M' && read_le (head + 14, 4) >= 12)
    {
      info->is_image = TRUE;
      info->width = read_le (head + 18, 4);
      info->height = ABS ((gint32) read_le (head + 22, 4));
      return TRUE;
    }

  if (n >= 12 && memcmp (head, "FORM", 4) == 0 &&
      (memcmp (head + 8, "AIFF", 4) == 0 || memcmp (head + 8, "AIFC", 4) == 0))
    {
      double seconds = 0;

      info->has_audio = TRUE;
      if (mh_media_read_duration (file, &seconds, cancellable, NULL))
        info->duration = seconds;
      return TRUE;
    }

  return FALSE;
}

/* An MP4, MOV or M4A (an ISO file that starts with its "ftyp" box and is
 * no HEIF image) whose top-level boxes end before a whole "moov" box, the
 * index without which nothing plays: ffmpeg writes it last, so a copy cut
 * short has none. Such files are told here, not by the discoverer: qtdemux
 * finds no index at once and posts its error while decodebin is still
 * bringing it up, and decodebin 1.22 then drops that error (it filters the
 * errors of an element it is trying), so the discoverer waits for its whole
 * timeout instead (measured: 4 of 30 discoveries of the same cut file). */
static gboolean
iso_file_lacks_index (GFile         *file,
                      const guint8  *head,
                      gsize          n,
                      guint64        size,
                      GCancellable  *cancellable)
{
  g_autoptr(GFileInputStream) stream = NULL;
  guint64 offset = 0;

  if (n < 12 || memcmp (head + 4, "ftyp", 4) != 0 || is_heif_brand (head + 8))
    return FALSE;

  stream = g_file_read (file, cancellable, NULL);
  if (stream == NULL)
    return FALSE;

  for (guint boxes = 0; boxes < 100000 && offset + 8 <= size; boxes++)
    {
      guint8 box[16];
      gsize got = 0;
      guint64 box_size;

      if (!g_seekable_seek (G_SEEKABLE (stream), offset, G_SEEK_SET, cancellable, NULL) ||
          !g_input_stream_read_all (G_INPUT_STREAM (stream), box, sizeof box, &got, cancellable, NULL) ||
          got < 8)
        return FALSE;

      box_size = read_be (box, 4);
      if (box_size == 1 && got == 16)
        box_size = ((guint64) read_be (box + 8, 4) << 32) | read_be (box + 12, 4);
      else if (box_size == 0)
        box_size = size - offset;
      if (box_size < 8)
        return TRUE;

      if (memcmp (box + 4, "moov", 4) == 0)
        return offset + box_size > size;

      offset += box_size;
    }

  return TRUE;
}

static gboolean
read_head (GFile         *file,
           guint8        *head,
           gsize          size,
           gsize         *n,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFileInputStream) stream = g_file_read (file, cancellable, error);

  if (stream == NULL)
    return FALSE;

  return g_input_stream_read_all (G_INPUT_STREAM (stream), head, size, n, cancellable, error);
}

/* A short clause for a file the discoverer could not read; GStreamer's own
 * words go to the debug log (they are neither translated nor for people). */
static char *
describe_failure (GstDiscovererResult  result,
                  const GError        *error,
                  const MhMediaInfo   *info)
{
  if (info->size == 0)
    return g_strdup (_("it is empty"));

  switch (result)
    {
    case GST_DISCOVERER_TIMEOUT:
      return g_strdup (_("reading it took too long"));
    case GST_DISCOVERER_MISSING_PLUGINS:
      return g_strdup (_("this computer has no decoder for what it holds"));
    default:
      break;
    }

  if (g_error_matches (error, GST_STREAM_ERROR, GST_STREAM_ERROR_TYPE_NOT_FOUND) ||
      g_error_matches (error, GST_STREAM_ERROR, GST_STREAM_ERROR_WRONG_TYPE))
    return g_strdup (_("its content is no known kind of media"));

  return g_strdup (_("it is damaged or cut short"));
}

MhMediaInfo *
mh_probe_file (GFile         *file,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(MhMediaInfo) info = g_new0 (MhMediaInfo, 1);
  g_autoptr(GFileInfo) file_info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree char *uri = NULL;
  Discovery discovery = { NULL, NULL, FALSE };
  GstDiscovererResult result = GST_DISCOVERER_ERROR;
  guint8 head[64];
  gsize n = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  file_info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                                 cancellable, error);
  if (file_info == NULL)
    return NULL;
  info->size = g_file_info_get_size (file_info);

  /* Opening it here tells an unreadable file (an I/O error) from one whose
   * content is no media (a sentence about the file). */
  if (!read_head (file, head, sizeof head, &n, cancellable, error))
    return NULL;

  if (info->size == 0)
    {
      info->unreadable = g_strdup (_("it is empty"));
      return g_steal_pointer (&info);
    }

  if (iso_file_lacks_index (file, head, n, info->size, cancellable))
    {
      info->unreadable = g_strdup (_("it is damaged or cut short"));
      return g_steal_pointer (&info);
    }

  /* The headers first: what validation needs is in them, and the
   * discoverer would load decoders to tell it (mh-probe-parse.c). The
   * images GStreamer may not decode are told by their signature. */
  if (n >= 12 && memcmp (head, "FORM", 4) != 0 && sniff_signature (file, head, n, info, cancellable))
    return g_steal_pointer (&info);
  stream = g_file_read (file, cancellable, NULL);
  if (stream != NULL && mh_probe_parse_headers (G_INPUT_STREAM (stream), info, cancellable))
    return g_steal_pointer (&info);
  g_clear_object (&stream);

  uri = g_file_get_uri (file);
  g_debug ("The headers of %s do not tell its streams: asking GStreamer", uri);
  if (!mh_gst_ensure_init (error))
    return NULL;

  if (!discover (uri, &discovery, cancellable, error))
    {
      g_clear_object (&discovery.info);
      g_clear_error (&discovery.error);
      return NULL;
    }

  if (discovery.info != NULL)
    {
      result = gst_discoverer_info_get_result (discovery.info);
      if (result == GST_DISCOVERER_OK)
        read_streams (discovery.info, info);
    }

  if (result != GST_DISCOVERER_OK)
    {
      g_debug ("GStreamer could not read %s (result %d): %s", uri, result,
               discovery.error != NULL ? discovery.error->message : "no message");
      if (!sniff_signature (file, head, n, info, cancellable))
        info->unreadable = describe_failure (result, discovery.error, info);
    }

  g_clear_object (&discovery.info);
  g_clear_error (&discovery.error);

  return g_steal_pointer (&info);
}

static void
probe_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  MhMediaInfo *info = mh_probe_file (task_data, cancellable, &error);

  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, (GDestroyNotify) mh_media_info_free);
}

void
mh_probe_file_async (GFile               *file,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (G_IS_FILE (file));

  g_task_set_source_tag (task, mh_probe_file_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, probe_thread);
}

MhMediaInfo *
mh_probe_file_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Judging a file for a slot ------------------------------------------- */

static gboolean
refuse (GError    **error,
        char       *message)
{
  g_set_error_literal (error, MH_ERROR, MH_ERROR_INVALID_INPUT, message);
  g_free (message);
  return FALSE;
}

gboolean
mh_probe_check_slot (const MhMediaInfo  *info,
                     const MhAssetSlot  *slot,
                     const char         *display_name,
                     GError            **error)
{
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (slot != NULL, FALSE);
  g_return_val_if_fail (display_name != NULL, FALSE);

  switch (slot->type)
    {
    case MH_ASSET_VIDEO:
      if (info->unreadable != NULL)
        /* Translators: "fake.mp4 could not be read as a video: it is damaged or cut short." */
        return refuse (error, g_strdup_printf (_("%s could not be read as a video: %s."),
                                               display_name, info->unreadable));
      if (info->is_image)
        return refuse (error, g_strdup_printf (_("%s is an image, not a video."), display_name));
      if (!info->has_video)
        return refuse (error, g_strdup_printf (_("%s is not a video: it holds no video stream."),
                                               display_name));
      /* A video of unknown length (a live recording's WebM) is the API's
       * to judge: the time range is then checked by the server. */
      return TRUE;

    case MH_ASSET_AUDIO:
      if (info->unreadable != NULL)
        return refuse (error, g_strdup_printf (_("%s could not be read as audio: %s."),
                                               display_name, info->unreadable));
      if (!info->has_audio)
        return refuse (error, g_strdup_printf (_("%s is not an audio file: it holds no sound."),
                                               display_name));
      if (info->duration <= 0)
        /* A WAV header with no samples: the discoverer reads it fine. */
        return refuse (error, g_strdup_printf (_("%s has no sound in it: its audio lasts 0 seconds."),
                                               display_name));
      return TRUE;

    case MH_ASSET_IMAGE:
      if (info->unreadable != NULL)
        return refuse (error, g_strdup_printf (_("%s could not be read as an image: %s."),
                                               display_name, info->unreadable));
      if (info->has_video)
        return refuse (error, g_strdup_printf (_("%s is a video, not an image."), display_name));
      if (!info->is_image)
        return refuse (error, g_strdup_printf (_("%s is not an image: it holds no picture."),
                                               display_name));
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}
