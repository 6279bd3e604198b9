/* mh-probe-parse.c: which streams a file holds, read from its headers
 *
 * Validating an input needs little: whether it has a picture, moving or
 * still, and sound; its length; a video's frame rate and size. Every
 * container the API takes states those in a header, so reading a few
 * KiB answers them. GStreamer's discoverer answers them too, but by
 * plugging decoders: for an H.264 MP4 that loads libav and a hundred
 * libraries with it, 50 MiB and 150 ms before the first byte is sent
 * (the CLI's peak RSS went from 10 to 65 MiB for that alone).
 *
 * So the probe asks these parsers first and the discoverer only for what
 * they do not know (another container, a header that does not say its
 * length, a file that is no media at all, whose sentence the discoverer's
 * error decides). An answer from here must be one the discoverer would
 * give: anything unsure returns FALSE instead of a guess.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "mh-media.h"
#include "mh-media-private.h"
#include "mh-probe-private.h"

/* Top-level boxes walked to the end of an ISO file: a fragmented MP4 has
 * two per fragment (moof, mdat), 14,400 for two hours of 1-second ones. */
#define MAX_TOP_LEVEL_BOXES 100000
/* stts entries read for a frame rate (one per change of frame length). */
#define MAX_STTS_ENTRIES 4096
/* JPEG segments stepped over before the frame header. */
#define MAX_JPEG_SEGMENTS 1024

static inline guint32
be16 (const guint8 *p)
{
  return (guint32) p[0] << 8 | p[1];
}

static inline guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

static inline guint32
le32 (const guint8 *p)
{
  return (guint32) p[3] << 24 | (guint32) p[2] << 16 | (guint32) p[1] << 8 | p[0];
}

static inline guint64
be64 (const guint8 *p)
{
  return (guint64) be32 (p) << 32 | be32 (p + 4);
}

/* The frame rate the GStreamer demuxers report for a frame of @ns
 * nanoseconds (gst_video_guess_framerate): a common rate, integer or
 * NTSC's x/1001, when within 0.1 % of it. */
static double
framerate_for_frame_length (double ns)
{
  double fps;

  if (!(ns > 0))
    return 0;
  fps = 1e9 / ns;
  for (guint rate = 1; rate <= 240; rate++)
    {
      double ntsc = rate * 1000.0 / 1001.0;

      if (fabs (fps - rate) < rate * 0.001)
        return rate;
      if (fabs (fps - ntsc) < ntsc * 0.0001)
        return ntsc;
    }
  return fps;
}

/* ---- Codecs this computer decodes ---------------------------------------------- */

/* The discoverer refuses a stream no installed plugin decodes ("this
 * computer has no decoder for what it holds"), and a speech that is cut
 * here must be decoded here. So the headers answer only for codecs that
 * GStreamer's base, good and libav plugins decode (the app's dependencies,
 * build-aux/install-deps); any other is the discoverer's to judge. */
static const char *const iso_video_codecs[] = {
  "avc1", "avc3", "hvc1", "hev1", "mp4v", "vp08", "vp09", "jpeg", "mjpa",
  "apch", "apcn", "apcs", "apco", "ap4h",
};
static const char *const iso_audio_codecs[] = {
  "mp4a", ".mp3", "ac-3", "ec-3", "Opus", "fLaC", "alac", "sowt", "twos", "lpcm",
  "in24", "in32", "fl32", "fl64", "raw ", "ulaw", "alaw",
};
/* Matroska CodecIDs, each a whole ID or, ending in "/", a family. */
static const char *const mkv_codecs[] = {
  "V_MPEG4/ISO/AVC", "V_MPEGH/ISO/HEVC", "V_MPEG4/ISO/ASP", "V_MPEG4/ISO/SP", "V_VP8",
  "V_VP9", "V_MJPEG", "V_THEORA", "A_AAC", "A_AAC/", "A_OPUS", "A_VORBIS", "A_MPEG/L3",
  "A_MPEG/L2", "A_FLAC", "A_PCM/", "A_AC3", "A_EAC3",
};

static gboolean
is_iso_codec_known (const guint8      *format,
                    const char *const *codecs,
                    gsize              n_codecs)
{
  for (gsize i = 0; i < n_codecs; i++)
    if (memcmp (format, codecs[i], 4) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_mkv_codec_known (const char *codec_id)
{
  for (gsize i = 0; i < G_N_ELEMENTS (mkv_codecs); i++)
    if (g_str_has_suffix (mkv_codecs[i], "/") ? g_str_has_prefix (codec_id, mkv_codecs[i])
                                              : g_str_equal (codec_id, mkv_codecs[i]))
      return TRUE;
  return FALSE;
}

/* ---- ISO base media (MP4, MOV, M4A, M4V) ------------------------------------ */

/* The first sample entry of a track (mdia > minf > stbl > stsd): its size
 * and format, then for a picture 6 + 2 + 16 bytes, its width and height. */
static gboolean
read_iso_sample_entry (MhMediaReader *r,
                       goffset        mdia,
                       goffset        mdia_end,
                       guint8         entry[36],
                       goffset       *stbl,
                       goffset       *stbl_end)
{
  goffset minf, minf_end, body, end;

  memset (entry, 0, 36);
  return mh_media_mp4_find_box (r, mdia, mdia_end, MH_FOURCC ("minf"), &minf, &minf_end) &&
         mh_media_mp4_find_box (r, minf, minf_end, MH_FOURCC ("stbl"), stbl, stbl_end) &&
         mh_media_mp4_find_box (r, *stbl, *stbl_end, MH_FOURCC ("stsd"), &body, &end) &&
         end - body >= 8 + 8 &&
         mh_media_reader_read (r, body + 8, entry, (gsize) MIN (36, end - body - 8));
}

/* The first video track's picture size (its first sample description) and
 * frame rate, as qtdemux computes it: the media length without the first
 * sample (sometimes cut) over the other samples. */
static void
read_iso_video_track (MhMediaReader *r,
                      goffset        mdia,
                      goffset        mdia_end,
                      goffset        stbl,
                      goffset        stbl_end,
                      const guint8   entry[36],
                      MhMediaInfo   *info)
{
  goffset body, end;
  guint8 b[32];
  guint32 timescale = 0;
  guint64 duration = 0, samples = 0, first = 0;

  if (mh_media_mp4_find_box (r, mdia, mdia_end, MH_FOURCC ("mdhd"), &body, &end) &&
      end - body >= 20 && mh_media_reader_read (r, body, b, MIN (32, end - body)))
    {
      gboolean v1 = b[0] == 1 && end - body >= 32;

      timescale = be32 (b + (v1 ? 20 : 12));
      duration = v1 ? be64 (b + 24) : be32 (b + 16);
    }

  info->width = be16 (entry + 32);
  info->height = be16 (entry + 34);

  /* stts: runs of (sample count, sample length). */
  if (mh_media_mp4_find_box (r, stbl, stbl_end, MH_FOURCC ("stts"), &body, &end) &&
      end - body >= 8 && mh_media_reader_read (r, body, b, 8))
    {
      guint32 entries = MIN (be32 (b + 4), MAX_STTS_ENTRIES);

      for (guint32 i = 0; i < entries && body + 8 + (goffset) (i + 1) * 8 <= end; i++)
        {
          if (!mh_media_reader_read (r, body + 8 + (goffset) i * 8, b, 8))
            break;
          if (i == 0)
            first = be32 (b + 4);
          samples += be32 (b);
        }
    }

  if (timescale > 0 && samples > 1 && duration > first && duration != G_MAXUINT32)
    {
      /* In whole nanoseconds, as GStreamer rounds it. */
      guint64 ns = (guint64) llround ((double) (duration - first) * 1e9 / timescale);

      info->fps = framerate_for_frame_length ((double) (ns / (samples - 1)));
    }
}

static gboolean
parse_iso (MhMediaReader *r,
           MhMediaInfo   *info)
{
  goffset pos = 0, body, end, moov = -1, moov_end = -1;
  guint32 type;

  /* Every top-level box, to the end of the file: one that runs past it (the
   * media data of a copy cut short after its index) is the discoverer's to
   * judge, as it was before; a sparse tail of zeros is one last box. */
  for (guint i = 0; i < MAX_TOP_LEVEL_BOXES &&
       mh_media_mp4_next_box (r, &pos, r->size, &type, &body, &end); i++)
    if (type == MH_FOURCC ("moov") && moov < 0)
      {
        moov = body;
        moov_end = end;
      }
  if (moov < 0 || pos != r->size)
    return FALSE;

  pos = moov;
  end = moov_end;
  for (guint i = 0; i < MH_MEDIA_MAX_ITEMS; i++)
    {
      goffset trak_end, mdia, mdia_end, hdlr, hdlr_end, stbl = 0, stbl_end = 0;
      guint8 h[12], entry[36];
      gboolean sound, picture;

      if (!mh_media_mp4_next_box (r, &pos, end, &type, &body, &trak_end))
        break;

      if (type != MH_FOURCC ("trak") ||
          !mh_media_mp4_find_box (r, body, trak_end, MH_FOURCC ("mdia"), &mdia, &mdia_end) ||
          !mh_media_mp4_find_box (r, mdia, mdia_end, MH_FOURCC ("hdlr"), &hdlr, &hdlr_end) ||
          hdlr_end - hdlr < 12 || !mh_media_reader_read (r, hdlr, h, 12))
        continue;

      /* hdlr: version and flags, pre_defined, then the handler type. */
      sound = memcmp (h + 8, "soun", 4) == 0;
      picture = memcmp (h + 8, "vide", 4) == 0;
      if (!sound && !picture)
        continue;
      if (!read_iso_sample_entry (r, mdia, mdia_end, entry, &stbl, &stbl_end) ||
          !(sound ? is_iso_codec_known (entry + 4, iso_audio_codecs, G_N_ELEMENTS (iso_audio_codecs))
                  : is_iso_codec_known (entry + 4, iso_video_codecs, G_N_ELEMENTS (iso_video_codecs))))
        return FALSE;

      if (sound)
        info->has_audio = TRUE;
      else if (!info->has_video)
        {
          info->has_video = TRUE;
          read_iso_video_track (r, mdia, mdia_end, stbl, stbl_end, entry, info);
        }
    }

  return info->has_video || info->has_audio;
}

/* ---- Matroska / WebM ---------------------------------------------------------- */

#define EBML_HEADER          0x1A45DFA3
#define MKV_SEGMENT          0x18538067
#define MKV_TRACKS           0x1654AE6B
#define MKV_CLUSTER          0x1F43B675
#define MKV_TRACK_ENTRY      0xAE
#define MKV_TRACK_TYPE       0x83
#define MKV_DEFAULT_DURATION 0x23E383
#define MKV_VIDEO            0xE0
#define MKV_PIXEL_WIDTH      0xB0
#define MKV_PIXEL_HEIGHT     0xBA
#define MKV_CODEC_ID         0x86

static guint64
ebml_uint (MhMediaReader *r,
           goffset        body,
           goffset        end)
{
  guint8 v[8];
  guint64 value = 0;

  if (end - body < 1 || end - body > 8 || !mh_media_reader_read (r, body, v, end - body))
    return 0;
  for (goffset i = 0; i < end - body; i++)
    value = value << 8 | v[i];
  return value;
}

/* FALSE when the track's codec is not one decoded here. */
static gboolean
read_mkv_track (MhMediaReader *r,
                goffset        pos,
                goffset        end,
                MhMediaInfo   *info)
{
  guint64 track_type = 0, frame_ns = 0, width = 0, height = 0;
  char codec_id[33] = "";
  goffset body, element_end;
  guint32 id;

  for (guint i = 0; i < MH_MEDIA_MAX_ITEMS &&
       mh_media_ebml_next (r, &pos, end, &id, &body, &element_end); i++)
    {
      if (id == MKV_TRACK_TYPE)
        track_type = ebml_uint (r, body, element_end);
      else if (id == MKV_DEFAULT_DURATION)
        frame_ns = ebml_uint (r, body, element_end);
      else if (id == MKV_CODEC_ID && element_end - body > 0 && element_end - body < (goffset) sizeof codec_id)
        {
          if (!mh_media_reader_read (r, body, codec_id, element_end - body))
            return FALSE;
          codec_id[element_end - body] = '\0';
        }
      else if (id == MKV_VIDEO)
        {
          goffset video_pos = body, video_end = element_end;

          for (guint k = 0; k < MH_MEDIA_MAX_ITEMS &&
               mh_media_ebml_next (r, &video_pos, video_end, &id, &body, &element_end); k++)
            if (id == MKV_PIXEL_WIDTH)
              width = ebml_uint (r, body, element_end);
            else if (id == MKV_PIXEL_HEIGHT)
              height = ebml_uint (r, body, element_end);
        }
    }

  if ((track_type == 1 || track_type == 2) && !is_mkv_codec_known (codec_id))
    return FALSE;
  if (track_type == 2)
    info->has_audio = TRUE;
  else if (track_type == 1 && !info->has_video)
    {
      info->has_video = TRUE;
      info->width = (guint) MIN (width, G_MAXUINT);
      info->height = (guint) MIN (height, G_MAXUINT);
      info->fps = framerate_for_frame_length ((double) frame_ns);
    }
  return TRUE;
}

static gboolean
parse_matroska (MhMediaReader *r,
                MhMediaInfo   *info)
{
  goffset pos = 0, body, element_end, segment_end;
  guint32 id;

  if (!mh_media_ebml_next (r, &pos, r->size, &id, &body, &element_end) || id != EBML_HEADER ||
      !mh_media_ebml_next (r, &pos, r->size, &id, &body, &segment_end) || id != MKV_SEGMENT)
    return FALSE;

  /* Segment > Tracks, which muxers write before the first Cluster. */
  pos = body;
  for (guint i = 0; i < MH_MEDIA_MAX_ITEMS &&
       mh_media_ebml_next (r, &pos, segment_end, &id, &body, &element_end); i++)
    {
      goffset tracks_pos = body, tracks_end = element_end;

      if (id == MKV_CLUSTER)
        break;
      if (id != MKV_TRACKS)
        continue;
      for (guint k = 0; k < MH_MEDIA_MAX_ITEMS &&
           mh_media_ebml_next (r, &tracks_pos, tracks_end, &id, &body, &element_end); k++)
        if (id == MKV_TRACK_ENTRY && !read_mkv_track (r, body, element_end, info))
          return FALSE;
      break;
    }

  return info->has_video || info->has_audio;
}

/* ---- Audio-only containers ------------------------------------------------------ */

/* A WAV's "fmt " chunk says its coding: PCM, float, A-law or mu-law
 * (wavparse decodes them), also as WAVE_FORMAT_EXTENSIBLE's subformat. */
static gboolean
wav_coding_is_known (MhMediaReader *r)
{
  goffset pos = 12;

  for (guint i = 0; i < 64; i++)
    {
      guint8 chunk[8], fmt[26];
      guint32 size, coding;

      if (!mh_media_reader_read (r, pos, chunk, sizeof chunk))
        return FALSE;
      size = le32 (chunk + 4);
      if (memcmp (chunk, "fmt ", 4) != 0)
        {
          pos += 8 + (goffset) size + (size & 1);
          continue;
        }
      if (size < 16 || !mh_media_reader_read (r, pos + 8, fmt, MIN (size, sizeof fmt)))
        return FALSE;
      coding = fmt[0] | (guint32) fmt[1] << 8;
      if (coding == 0xFFFE)
        coding = size >= 26 ? (fmt[24] | (guint32) fmt[25] << 8) : 0;
      return coding == 1 || coding == 3 || coding == 6 || coding == 7;
    }
  return FALSE;
}

/* Ogg's first page holds the first packet of its first stream: one of the
 * audio codecs, or something else (Theora video) for the discoverer. */
static gboolean
ogg_starts_with_audio (MhMediaReader *r)
{
  static const struct { const char *magic; gsize len; } codecs[] = {
    { "\001vorbis", 7 }, { "OpusHead", 8 }, { "\177FLAC", 5 }, { "Speex   ", 8 },
  };
  guint8 page[27], segments[255], packet[8];

  if (!mh_media_reader_read (r, 0, page, sizeof page) || page[26] == 0 ||
      !mh_media_reader_read (r, 27, segments, page[26]) ||
      !mh_media_reader_read (r, 27 + page[26], packet, sizeof packet))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (codecs); i++)
    if (memcmp (packet, codecs[i].magic, codecs[i].len) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_audio_container (MhMediaReader *r,
                    const guint8  *head,
                    gsize          n)
{
  if (n < 12)
    return FALSE;
  if ((memcmp (head, "RIFF", 4) == 0 || memcmp (head, "RF64", 4) == 0 ||
       memcmp (head, "BW64", 4) == 0) && memcmp (head + 8, "WAVE", 4) == 0)
    return wav_coding_is_known (r);
  if (memcmp (head, "FORM", 4) == 0 &&
      (memcmp (head + 8, "AIFF", 4) == 0 || memcmp (head + 8, "AIFC", 4) == 0))
    return TRUE;
  if (memcmp (head, "OggS", 4) == 0)
    return ogg_starts_with_audio (r);
  /* FLAC, MP3 after an ID3 tag, or an MPEG audio frame at the start (AAC's
   * ADTS has the same sync: mh-media.c then finds no duration). */
  return memcmp (head, "fLaC", 4) == 0 || memcmp (head, "ID3", 3) == 0 ||
         (head[0] == 0xFF && (head[1] & 0xE0) == 0xE0);
}

/* ---- Still images -------------------------------------------------------------- */

static gboolean
parse_png (const guint8 *head,
           gsize         n,
           MhMediaInfo  *info)
{
  if (n < 24 || memcmp (head, "\211PNG\r\n\032\n", 8) != 0 || memcmp (head + 12, "IHDR", 4) != 0)
    return FALSE;
  info->is_image = TRUE;
  info->width = be32 (head + 16);
  info->height = be32 (head + 20);
  return TRUE;
}

/* The size is in the frame header (SOF0-SOF15 but DHT, JPG and DAC), after
 * the application segments (Exif, whose thumbnail is inside its own). */
static gboolean
parse_jpeg (MhMediaReader *r,
            const guint8  *head,
            gsize          n,
            MhMediaInfo   *info)
{
  goffset pos = 2;

  if (n < 3 || head[0] != 0xFF || head[1] != 0xD8 || head[2] != 0xFF)
    return FALSE;

  for (guint i = 0; i < MAX_JPEG_SEGMENTS; i++)
    {
      guint8 m[9];
      guint marker;

      if (!mh_media_reader_read (r, pos, m, 4) || m[0] != 0xFF)
        return FALSE;
      marker = m[1];
      if (marker == 0xFF)   /* fill byte */
        {
          pos++;
          continue;
        }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))   /* no length */
        {
          pos += 2;
          continue;
        }
      if (marker == 0xDA || marker == 0xD9)   /* image data before any frame header */
        return FALSE;
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
        {
          if (!mh_media_reader_read (r, pos, m, sizeof m))
            return FALSE;
          info->is_image = TRUE;
          info->height = be16 (m + 5);
          info->width = be16 (m + 7);
          return info->width > 0 && info->height > 0;
        }
      pos += 2 + be16 (m + 2);
    }
  return FALSE;
}

/* ---- Dispatch ------------------------------------------------------------------ */

gboolean
mh_probe_parse_headers (GInputStream  *stream,
                        MhMediaInfo   *info,
                        GCancellable  *cancellable)
{
  MhMediaReader r;
  MhMediaInfo found = { 0 };
  gboolean known = FALSE;
  guint8 head[64] = { 0 };
  gsize n;
  double seconds = 0;

  g_return_val_if_fail (G_IS_SEEKABLE (stream), FALSE);

  if (!mh_media_reader_init (&r, stream, cancellable, NULL))
    return FALSE;
  n = (gsize) MIN (r.size, (goffset) sizeof head);
  if (n == 0 || !mh_media_reader_read (&r, 0, head, n))
    {
      g_clear_error (&r.error);
      return FALSE;
    }

  if (n >= 8 && (memcmp (head + 4, "ftyp", 4) == 0 || memcmp (head + 4, "moov", 4) == 0 ||
                 memcmp (head + 4, "wide", 4) == 0 || memcmp (head + 4, "mdat", 4) == 0))
    known = parse_iso (&r, &found);
  else if (n >= 4 && be32 (head) == EBML_HEADER)
    known = parse_matroska (&r, &found);
  else if (parse_png (head, n, &found) || parse_jpeg (&r, head, n, &found))
    known = TRUE;
  else if (is_audio_container (&r, head, n))
    known = found.has_audio = TRUE;

  g_clear_error (&r.error);
  if (!known)
    return FALSE;

  /* A length the header does not give (or gives as 0) is the discoverer's
   * to find or to report as 0: both decide a sentence. */
  if (!found.is_image && !mh_media_read_duration_from_stream (stream, &seconds, cancellable, NULL))
    return FALSE;

  info->duration = found.is_image ? 0 : seconds;
  info->has_video = found.has_video;
  info->has_audio = found.has_audio;
  info->is_image = found.is_image;
  info->fps = found.fps;
  info->width = found.width;
  info->height = found.height;
  return TRUE;
}
