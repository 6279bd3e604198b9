/* mh-media.c: read a media file's duration from its container header
 *
 * Before credits are spent, the app checks that the chosen time range fits in
 * the file. Decoding is not needed for that: every container we accept states
 * its own length in a header (or, for Ogg, in its last page). So this reads a
 * few bounded blocks at known offsets and never the whole file, which may be
 * several GiB.
 *
 * Every number read from the file is untrusted: sizes are checked against
 * the file (or the parent box) before use, loops are bounded, and nothing
 * bigger than OGG_WINDOW is ever allocated. Anything unexpected means
 * "unknown" (FALSE, no error): the API is the judge of codecs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "mh-media.h"
#include "mh-media-private.h"

#include <math.h>
#include <string.h>

#define MAX_ITEMS MH_MEDIA_MAX_ITEMS
/* An Ogg page is at most 27 + 255 + 255 * 255 = 65307 bytes. */
#define OGG_WINDOW 65536
/* How far back from the end to look for the last Ogg page of our stream. */
#define OGG_MAX_WINDOWS 16
/* Where an MP3 may hide its first frame after an ID3v2 tag (padding). */
#define MPA_SCAN 16384
/* Longer than this is nonsense (about three years), not a media file. */
#define MAX_SECONDS 1e8

#define FOURCC(s) MH_FOURCC (s)

typedef MhMediaReader Reader;

static inline guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

static inline guint64
be64 (const guint8 *p)
{
  return (guint64) be32 (p) << 32 | be32 (p + 4);
}

static inline guint32
le16 (const guint8 *p)
{
  return (guint32) p[1] << 8 | p[0];
}

static inline guint32
le32 (const guint8 *p)
{
  return (guint32) p[3] << 24 | (guint32) p[2] << 16 | (guint32) p[1] << 8 | p[0];
}

static inline guint64
le64 (const guint8 *p)
{
  return (guint64) le32 (p + 4) << 32 | le32 (p);
}

/* Reads up to @len bytes at @offset. Returns how many were read (fewer at the
 * end of the file), or -1 on an I/O error, which is kept in @r. */
static gssize
read_at (Reader  *r,
         goffset  offset,
         void    *buf,
         gsize    len)
{
  gsize n = 0;

  if (r->error != NULL)
    return -1;
  if (offset < 0 || offset >= r->size)
    return 0;
  if (!g_seekable_seek (G_SEEKABLE (r->stream), offset, G_SEEK_SET, r->cancellable, &r->error) ||
      !g_input_stream_read_all (r->stream, buf, len, &n, r->cancellable, &r->error))
    return -1;
  return (gssize) n;
}

/* TRUE only when all @len bytes exist at @offset. */
static gboolean
read_exact (Reader  *r,
            goffset  offset,
            void    *buf,
            gsize    len)
{
  return read_at (r, offset, buf, len) == (gssize) len;
}

/* ---- WAV (RIFF, RF64/BW64) ------------------------------------------------ */

static gboolean
parse_wav (Reader *r,
           double *seconds)
{
  guint8 h[24];
  goffset pos = 12;
  goffset data_pos = -1;
  guint64 data_size = 0;
  guint64 ds64_data = 0;
  guint32 fact_samples = 0;
  guint32 format = 0, rate = 0, byte_rate = 0;

  for (guint i = 0; i < MAX_ITEMS && pos <= r->size - 8; i++)
    {
      guint64 size;
      goffset body = pos + 8;

      if (!read_exact (r, pos, h, 8))
        break;
      size = le32 (h + 4);

      if (memcmp (h, "fmt ", 4) == 0 && size >= 16 && read_exact (r, body, h, 16))
        {
          format = le16 (h);
          rate = le32 (h + 4);
          byte_rate = le32 (h + 8);
        }
      else if (memcmp (h, "ds64", 4) == 0 && size >= 24 && read_exact (r, body, h, 24))
        {
          /* RF64: the 32-bit sizes are 0xFFFFFFFF and the real ones live here. */
          ds64_data = le64 (h + 8);
        }
      else if (memcmp (h, "fact", 4) == 0 && size >= 4 && read_exact (r, body, h, 4))
        {
          fact_samples = le32 (h);
        }
      else if (memcmp (h, "data", 4) == 0)
        {
          data_pos = body;
          data_size = size;
          if (size == 0xFFFFFFFF && ds64_data > 0)
            data_size = ds64_data;
          else if (size == 0xFFFFFFFF)
            data_size = G_MAXUINT64;   /* written by a streaming muxer: up to the end */
          /* The data chunk is huge and usually last: no need to step over it. */
          if (byte_rate > 0)
            break;
          size = data_size;
        }
      if (size > (guint64) (r->size - body))
        break;
      pos = body + (goffset) size + (goffset) (size & 1);
    }

  if (data_pos < 0 || byte_rate == 0)
    return FALSE;
  /* A truncated file or a placeholder size: count only the bytes present. */
  data_size = MIN (data_size, (guint64) (r->size - data_pos));

  /* Compressed formats (ADPCM, MP3 in WAV…) give an exact sample count. */
  if (format != 1 && format != 3 && format != 0xFFFE && fact_samples > 0 && rate > 0)
    *seconds = (double) fact_samples / rate;
  else
    *seconds = (double) data_size / byte_rate;
  return TRUE;
}

/* ---- AIFF / AIFC ------------------------------------------------------------ */

/* The 80-bit IEEE 754 extended float AIFF uses for its sample rate. */
static double
ext80_to_double (const guint8 *p)
{
  int exponent = (int) ((p[0] & 0x7F) << 8 | p[1]);
  guint64 mantissa = be64 (p + 2);

  if ((p[0] & 0x80) != 0 || exponent == 0x7FFF)
    return 0;   /* negative, infinite or NaN: not a sample rate */
  return ldexp ((double) mantissa, exponent - 16383 - 63);
}

static gboolean
parse_aiff (Reader *r,
            double *seconds)
{
  guint8 h[26];
  goffset pos = 12;

  for (guint i = 0; i < MAX_ITEMS && pos <= r->size - 8; i++)
    {
      guint64 size;

      if (!read_exact (r, pos, h, 8))
        break;
      size = be32 (h + 4);
      if (memcmp (h, "COMM", 4) == 0)
        {
          double rate;

          if (size < 18 || !read_exact (r, pos + 8, h, 18))
            return FALSE;
          rate = ext80_to_double (h + 8);
          if (rate < 1)
            return FALSE;
          *seconds = be32 (h + 2) / rate;
          return TRUE;
        }
      pos += 8 + (goffset) size + (goffset) (size & 1);
    }
  return FALSE;
}

/* ---- FLAC ------------------------------------------------------------------- */

/* Reads a STREAMINFO block body: 20-bit sample rate, 36-bit sample count. */
static gboolean
flac_streaminfo (const guint8 *si,
                 guint32      *rate,
                 guint64      *samples)
{
  *rate = (guint32) si[10] << 12 | (guint32) si[11] << 4 | si[12] >> 4;
  *samples = (guint64) (si[13] & 0x0F) << 32 | be32 (si + 14);
  return *rate > 0;
}

static gboolean
parse_flac (Reader  *r,
            goffset  start,
            double  *seconds)
{
  guint8 h[8 + 34];
  guint32 rate;
  guint64 samples;

  /* "fLaC", then the mandatory first metadata block: STREAMINFO (type 0). */
  if (!read_exact (r, start, h, sizeof h) || (h[4] & 0x7F) != 0 ||
      !flac_streaminfo (h + 8, &rate, &samples) || samples == 0)
    return FALSE;   /* a sample count of 0 means "not known" */
  *seconds = (double) samples / rate;
  return TRUE;
}

/* ---- Ogg (Vorbis, Opus, FLAC) ----------------------------------------------- */

static gboolean
parse_ogg (Reader *r,
           double *seconds)
{
  g_autofree guint8 *buf = NULL;
  guint8 page[27 + 255 + 64];
  goffset pos = 0;
  guint32 serial = 0, rate = 0, pre_skip = 0;
  gboolean found = FALSE;
  goffset window_end = r->size;

  /* The first pages are the "beginning of stream" pages, one per stream
   * (a video file may start with Theora): pick the first audio stream. */
  for (guint i = 0; i < 8 && !found; i++)
    {
      gssize n = read_at (r, pos, page, sizeof page);
      guint nsegs, body_len = 0;
      const guint8 *pkt;

      if (n < 27 || memcmp (page, "OggS", 4) != 0 || (page[5] & 0x02) == 0)
        return FALSE;
      nsegs = page[26];
      if (n < 27 + nsegs + 19)
        return FALSE;
      for (guint s = 0; s < nsegs; s++)
        body_len += page[27 + s];
      pkt = page + 27 + nsegs;
      serial = le32 (page + 14);

      if (memcmp (pkt, "\x01vorbis", 7) == 0)
        {
          rate = le32 (pkt + 12);
          found = TRUE;
        }
      else if (memcmp (pkt, "OpusHead", 8) == 0)
        {
          rate = 48000;   /* Opus granules always count 48 kHz samples */
          pre_skip = le16 (pkt + 10);
          found = TRUE;
        }
      else if (memcmp (pkt, "\x7F" "FLAC", 5) == 0 && n >= 27 + nsegs + 17 + 34 &&
               memcmp (pkt + 9, "fLaC", 4) == 0)
        {
          guint64 unused;

          flac_streaminfo (pkt + 17, &rate, &unused);
          found = TRUE;
        }
      pos += 27 + nsegs + body_len;
    }
  if (!found || rate == 0)
    return FALSE;

  /* The duration is the granule position of the stream's last page: scan
   * back from the end of the file, one window at a time. The windows overlap
   * by a page header so that no header is split between two of them. */
  buf = g_malloc (OGG_WINDOW);
  for (guint w = 0; w < OGG_MAX_WINDOWS && window_end > 0; w++)
    {
      goffset start = MAX (0, window_end - OGG_WINDOW);
      gssize n = read_at (r, start, buf, (gsize) (window_end - start));

      if (n < 27)
        return FALSE;
      for (gssize i = n - 27; i >= 0; i--)
        {
          guint64 granule;

          if (buf[i] != 'O' || memcmp (buf + i, "OggS", 4) != 0 || buf[i + 4] != 0 ||
              le32 (buf + i + 14) != serial)
            continue;
          granule = le64 (buf + i + 6);
          if (granule == G_MAXUINT64)   /* no packet ends on this page */
            continue;
          if (granule <= pre_skip)
            return FALSE;
          *seconds = (double) (granule - pre_skip) / rate;
          return TRUE;
        }
      if (start == 0)
        break;
      window_end = start + 26;
    }
  return FALSE;
}

/* ---- MPEG audio (MP3, also MP2) --------------------------------------------- */

typedef struct
{
  gboolean mpeg1;
  gboolean mono;
  guint    layer;
  guint    bitrate;   /* bits per second */
  guint    rate;      /* samples per second */
  guint    samples;   /* per frame */
  guint    length;    /* bytes */
} MpaFrame;

static gboolean
mpa_parse_header (guint32   h,
                  MpaFrame *f)
{
  static const guint16 rates[3] = { 44100, 48000, 32000 };
  static const guint16 kbps[2][3][15] = {
    { /* MPEG-1 layers I, II, III */
      { 0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448 },
      { 0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384 },
      { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 } },
    { /* MPEG-2 and 2.5 layers I, II, III */
      { 0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256 },
      { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160 },
      { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160 } },
  };
  guint version = (h >> 19) & 3, layer = (h >> 17) & 3;
  guint bitrate_index = (h >> 12) & 15, rate_index = (h >> 10) & 3;
  guint padding = (h >> 9) & 1;

  /* Layer bits 00 are reserved; that also rules out AAC ADTS. Bit rate 0 is
   * "free format", whose frame length the header does not give. */
  if ((h & 0xFFE00000) != 0xFFE00000 || version == 1 || layer == 0 ||
      bitrate_index == 0 || bitrate_index == 15 || rate_index == 3)
    return FALSE;
  f->mpeg1 = version == 3;
  f->mono = ((h >> 6) & 3) == 3;
  f->layer = 4 - layer;
  f->bitrate = kbps[f->mpeg1 ? 0 : 1][f->layer - 1][bitrate_index] * 1000u;
  f->rate = rates[rate_index] >> (f->mpeg1 ? 0 : version == 2 ? 1 : 2);
  f->samples = f->layer == 1 ? 384 : (f->layer == 3 && !f->mpeg1) ? 576 : 1152;
  if (f->layer == 1)
    f->length = (12 * f->bitrate / f->rate + padding) * 4;
  else
    f->length = f->samples / 8 * f->bitrate / f->rate + padding;
  return TRUE;
}

/* Finds the first frame at or after @start, confirmed by the header of the
 * frame that follows it (a lone 0xFFE sync is too easy to meet by chance). */
static gboolean
mpa_find_frame (Reader   *r,
                goffset   start,
                gboolean  may_scan,
                goffset  *frame_pos,
                MpaFrame *frame)
{
  guint8 buf[MPA_SCAN];
  gssize n = read_at (r, start, buf, may_scan ? sizeof buf : 4);

  for (gssize i = 0; i + 4 <= n; i++)
    {
      guint8 next[4];
      MpaFrame f2;
      goffset next_pos;

      if (buf[i] != 0xFF || !mpa_parse_header (be32 (buf + i), frame))
        continue;
      next_pos = start + i + frame->length;
      if (next_pos == r->size ||
          (read_exact (r, next_pos, next, 4) && mpa_parse_header (be32 (next), &f2) &&
           (be32 (next) & 0xFFFE0C00) == (be32 (buf + i) & 0xFFFE0C00)))
        {
          *frame_pos = start + i;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
parse_mpa (Reader   *r,
           goffset   start,
           gboolean  after_id3,
           double   *seconds)
{
  guint8 b[256];
  guint8 tail[32];
  MpaFrame f;
  goffset pos, end = r->size;
  gssize n;
  guint side;

  /* Without an ID3 tag saying "audio follows", the frame must be at offset 0:
   * scanning arbitrary files for a sync would find MP3 in the wrong places. */
  if (!mpa_find_frame (r, start, after_id3, &pos, &f))
    return FALSE;
  n = read_at (r, pos, b, sizeof b);
  side = f.mpeg1 ? (f.mono ? 17 : 32) : (f.mono ? 9 : 17);

  /* A Xing (VBR) or Info (CBR) header in the first frame: the frame count. */
  if (f.layer == 3 && n >= 4 + side + 12 &&
      (memcmp (b + 4 + side, "Xing", 4) == 0 || memcmp (b + 4 + side, "Info", 4) == 0))
    {
      const guint8 *x = b + 4 + side;
      guint32 flags = be32 (x + 4);
      gssize lame = 4 + side + 8;

      if ((flags & 1) != 0)
        {
          double samples = (double) be32 (x + 8) * f.samples;

          /* The LAME tag after it knows the encoder delay and end padding. */
          lame += 4 + ((flags & 2) ? 4 : 0) + ((flags & 4) ? 100 : 0) + ((flags & 8) ? 4 : 0);
          if (lame + 24 <= n && (memcmp (b + lame, "LAME", 4) == 0 ||
                                 memcmp (b + lame, "Lav", 3) == 0))
            {
              guint delay = (guint) b[lame + 21] << 4 | b[lame + 22] >> 4;
              guint padding = (guint) (b[lame + 22] & 0x0F) << 8 | b[lame + 23];

              if (delay + padding < samples)
                samples -= delay + padding;
            }
          *seconds = samples / f.rate;
          return TRUE;
        }
    }

  /* A VBRI header (Fraunhofer encoders), always 32 bytes after the header. */
  if (n >= 4 + 32 + 18 && memcmp (b + 36, "VBRI", 4) == 0)
    {
      *seconds = (double) be32 (b + 36 + 14) * f.samples / f.rate;
      return TRUE;
    }

  /* Otherwise assume a constant bit rate over the bytes between the tags:
   * an ID3v1 tag (128 bytes) and an APEv2 tag may end the file. */
  if (end - 128 > pos && read_exact (r, end - 128, tail, 3) && memcmp (tail, "TAG", 3) == 0)
    end -= 128;
  if (end - 32 > pos && read_exact (r, end - 32, tail, 32) && memcmp (tail, "APETAGEX", 8) == 0)
    {
      guint64 ape = (guint64) le32 (tail + 12) + (((le32 (tail + 20) >> 31) & 1) ? 32 : 0);

      if (ape < (guint64) (end - pos))
        end -= (goffset) ape;
    }
  *seconds = (double) (end - pos) * 8 / f.bitrate;
  return TRUE;
}

/* ---- ISO base media (MP4, MOV, M4A, M4V) ------------------------------------ */

/* Reads the box at *pos, which must fit before @end, and moves *pos past it.
 * FALSE at the end, on a malformed size, or when the box is cut short. */
static gboolean
mp4_next_box (Reader   *r,
              goffset  *pos,
              goffset   end,
              guint32  *type,
              goffset  *body,
              goffset  *box_end)
{
  guint8 h[16];
  guint64 size;
  goffset header = 8;

  if (end - *pos < 8 || !read_exact (r, *pos, h, 8))
    return FALSE;
  size = be32 (h);
  if (size == 1)   /* a 64-bit "largesize" follows the type */
    {
      if (end - *pos < 16 || !read_exact (r, *pos + 8, h + 8, 8))
        return FALSE;
      size = be64 (h + 8);
      header = 16;
    }
  else if (size == 0)   /* the box runs to the end of its parent (or file) */
    {
      size = (guint64) (end - *pos);
    }
  if (size < (guint64) header || size > (guint64) (end - *pos))
    return FALSE;
  *type = be32 (h + 4);
  *body = *pos + header;
  *box_end = *pos + (goffset) size;
  *pos = *box_end;
  return TRUE;
}

static gboolean
mp4_find_box (Reader   *r,
              goffset   pos,
              goffset   end,
              guint32   wanted,
              goffset  *body,
              goffset  *box_end)
{
  guint32 type;

  for (guint i = 0; i < MAX_ITEMS && mp4_next_box (r, &pos, end, &type, body, box_end); i++)
    if (type == wanted)
      return TRUE;
  return FALSE;
}

/* mvhd and mdhd share their start: version 0 has 32-bit times, 1 has 64. */
static double
mp4_header_seconds (Reader   *r,
                    goffset   body,
                    goffset   end,
                    guint32  *timescale_out)
{
  guint8 b[32];
  guint32 timescale;
  guint64 duration;

  if (end - body < 20 || !read_exact (r, body, b, 20))
    return 0;
  if (b[0] == 1)
    {
      if (end - body < 32 || !read_exact (r, body, b, 32))
        return 0;
      timescale = be32 (b + 20);
      duration = be64 (b + 24);
    }
  else
    {
      timescale = be32 (b + 12);
      duration = be32 (b + 16);
      if (duration == 0xFFFFFFFF)
        duration = G_MAXUINT64;
    }
  if (timescale_out != NULL)
    *timescale_out = timescale;
  if (timescale == 0 || duration == G_MAXUINT64)   /* all ones: "unknown" */
    return 0;
  return (double) duration / timescale;
}

static gboolean
parse_moov (Reader  *r,
            goffset  pos,
            goffset  end,
            double  *seconds)
{
  guint32 type, timescale = 0;
  goffset body, box_end;
  double movie = 0, longest_track = 0, fragments = 0;

  for (guint i = 0; i < MAX_ITEMS && mp4_next_box (r, &pos, end, &type, &body, &box_end); i++)
    {
      goffset b2, e2, b3, e3;

      if (type == FOURCC ("mvhd"))
        {
          movie = mp4_header_seconds (r, body, box_end, &timescale);
        }
      else if (type == FOURCC ("trak"))
        {
          /* trak > mdia > mdhd: each track's own length, in its own timescale. */
          if (mp4_find_box (r, body, box_end, FOURCC ("mdia"), &b2, &e2) &&
              mp4_find_box (r, b2, e2, FOURCC ("mdhd"), &b3, &e3))
            longest_track = MAX (longest_track, mp4_header_seconds (r, b3, e3, NULL));
        }
      else if (type == FOURCC ("mvex") && timescale > 0)
        {
          /* Fragmented MP4: mvex > mehd holds the whole length (mvhd timescale). */
          guint8 b[12];

          if (mp4_find_box (r, body, box_end, FOURCC ("mehd"), &b2, &e2) &&
              e2 - b2 >= 8 && read_exact (r, b2, b, MIN (12, e2 - b2)))
            fragments = (double) (b[0] == 1 && e2 - b2 >= 12 ? be64 (b + 4) : be32 (b + 4)) /
                        timescale;
        }
    }

  /* The movie header is the presentation length (edit lists included); when
   * a muxer left it at 0, the longest track says it best. */
  *seconds = movie > 0 ? movie : longest_track > 0 ? longest_track : fragments;
  return *seconds > 0;
}

static gboolean
parse_mp4 (Reader *r,
           double *seconds)
{
  goffset pos = 0, body, box_end;
  guint32 type;

  /* moov may come after a multi-GiB mdat: stepping over boxes costs one seek
   * each. A box that runs past the end of the file stops the walk: truncated. */
  for (guint i = 0; i < MAX_ITEMS && mp4_next_box (r, &pos, r->size, &type, &body, &box_end); i++)
    if (type == FOURCC ("moov"))
      return parse_moov (r, body, box_end, seconds);
  return FALSE;
}

/* ---- Matroska / WebM ---------------------------------------------------------- */

#define EBML_HEADER         0x1A45DFA3
#define MKV_SEGMENT         0x18538067
#define MKV_INFO            0x1549A966
#define MKV_TIMECODE_SCALE  0x2AD7B1
#define MKV_DURATION        0x4489

/* Reads an EBML element header at *pos: an ID of 1-4 bytes (marker bit kept,
 * as the specification writes IDs) and a size of 1-8 bytes (marker dropped).
 * An "unknown" size (all ones, live streams) or one running past @end is
 * clamped to @end. Moves *pos past the element. */
static gboolean
ebml_next (Reader   *r,
           goffset  *pos,
           goffset   end,
           guint32  *id,
           goffset  *body,
           goffset  *element_end)
{
  guint8 b[12];
  gssize n = read_at (r, *pos, b, (gsize) MIN ((goffset) sizeof b, end - *pos));
  guint id_len, size_len;
  guint64 size, all_ones;

  if (n < 2 || b[0] == 0 || b[0] < 0x10)
    return FALSE;
  id_len = 1 + (b[0] < 0x80) + (b[0] < 0x40) + (b[0] < 0x20);
  if ((gssize) id_len >= n || b[id_len] == 0)
    return FALSE;
  size_len = 1;
  while ((b[id_len] & (0x80 >> (size_len - 1))) == 0)
    size_len++;
  if ((gssize) (id_len + size_len) > n)
    return FALSE;

  *id = 0;
  for (guint k = 0; k < id_len; k++)
    *id = *id << 8 | b[k];
  size = b[id_len] & (0xFF >> size_len);
  for (guint k = 1; k < size_len; k++)
    size = size << 8 | b[id_len + k];
  all_ones = (G_GUINT64_CONSTANT (1) << (7 * size_len)) - 1;

  *body = *pos + id_len + size_len;
  if (size == all_ones || size > (guint64) (end - *body))
    *element_end = end;
  else
    *element_end = *body + (goffset) size;
  *pos = *element_end;
  return TRUE;
}

static gboolean
parse_matroska (Reader *r,
                double *seconds)
{
  goffset pos = 0, body, element_end, segment_end;
  guint32 id;

  if (!ebml_next (r, &pos, r->size, &id, &body, &element_end) || id != EBML_HEADER ||
      !ebml_next (r, &pos, r->size, &id, &body, &segment_end) || id != MKV_SEGMENT)
    return FALSE;

  /* Segment > Info, normally before the first Cluster; Clusters with a known
   * size are stepped over, one with an unknown size ends the walk. */
  pos = body;
  for (guint i = 0; i < MAX_ITEMS && ebml_next (r, &pos, segment_end, &id, &body, &element_end); i++)
    {
      guint64 scale = 1000000;   /* nanoseconds per tick, the default */
      double duration = -1;
      goffset info_end = element_end;

      if (id != MKV_INFO)
        continue;
      pos = body;
      for (guint k = 0; k < MAX_ITEMS && ebml_next (r, &pos, info_end, &id, &body, &element_end); k++)
        {
          guint8 v[8];
          goffset len = element_end - body;

          if (len < 1 || len > 8 || !read_exact (r, body, v, (gsize) len))
            continue;
          if (id == MKV_TIMECODE_SCALE)
            {
              scale = 0;
              for (goffset j = 0; j < len; j++)
                scale = scale << 8 | v[j];
            }
          else if (id == MKV_DURATION && len == 4)
            {
              guint32 bits = be32 (v);
              float f;

              memcpy (&f, &bits, sizeof f);
              duration = f;
            }
          else if (id == MKV_DURATION && len == 8)
            {
              guint64 bits = be64 (v);

              memcpy (&duration, &bits, sizeof duration);
            }
        }
      if (!(duration > 0) || scale == 0)
        return FALSE;
      *seconds = duration * (double) scale / 1e9;
      return TRUE;
    }
  return FALSE;
}

/* ---- Dispatch ----------------------------------------------------------------- */

/* ID3v2 tags (possibly several) precede MP3 and sometimes FLAC data. */
static goffset
skip_id3v2 (Reader *r)
{
  guint8 h[10];
  goffset pos = 0;

  for (guint i = 0; i < 8 && read_exact (r, pos, h, 10); i++)
    {
      if (memcmp (h, "ID3", 3) != 0 || h[3] == 0xFF || h[4] == 0xFF ||
          ((h[6] | h[7] | h[8] | h[9]) & 0x80) != 0)
        break;
      /* A "synchsafe" size: 7 bits per byte; plus a footer when flagged. */
      pos += 10 + ((goffset) h[6] << 21 | (goffset) h[7] << 14 | (goffset) h[8] << 7 | h[9]) +
             ((h[5] & 0x10) ? 10 : 0);
    }
  return pos;
}

static gboolean
is_mp4_box_type (const guint8 *type)
{
  static const char *const types[] = {
    "ftyp", "moov", "mdat", "free", "skip", "wide", "pnot", "pdin", "uuid",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    if (memcmp (type, types[i], 4) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
read_duration (Reader *r,
               double *seconds)
{
  guint8 h[12] = { 0 };
  gssize n = read_at (r, 0, h, sizeof h);
  goffset start;

  if (n < (gssize) sizeof h)
    return FALSE;   /* nothing, or too short to be media */
  if ((memcmp (h, "RIFF", 4) == 0 || memcmp (h, "RF64", 4) == 0 || memcmp (h, "BW64", 4) == 0) &&
      memcmp (h + 8, "WAVE", 4) == 0)
    return parse_wav (r, seconds);
  if (memcmp (h, "FORM", 4) == 0 && (memcmp (h + 8, "AIFF", 4) == 0 || memcmp (h + 8, "AIFC", 4) == 0))
    return parse_aiff (r, seconds);
  if (memcmp (h, "OggS", 4) == 0)
    return parse_ogg (r, seconds);
  if (be32 (h) == EBML_HEADER)
    return parse_matroska (r, seconds);
  if (is_mp4_box_type (h + 4))
    return parse_mp4 (r, seconds);

  start = skip_id3v2 (r);
  if (read_exact (r, start, h, 4) && memcmp (h, "fLaC", 4) == 0)
    return parse_flac (r, start, seconds);
  return parse_mpa (r, start, start > 0, seconds);
}

gboolean
mh_media_read_duration_from_stream (GInputStream  *stream,
                                    double        *seconds,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  Reader r = { stream, 0, cancellable, NULL };
  double value = 0;
  gboolean known;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (G_IS_SEEKABLE (stream), FALSE);
  g_return_val_if_fail (seconds != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* A stream we cannot seek (some remote locations) is "unknown", not an error. */
  if (!g_seekable_can_seek (G_SEEKABLE (stream)))
    return FALSE;
  if (!g_seekable_seek (G_SEEKABLE (stream), 0, G_SEEK_END, cancellable, error))
    return FALSE;
  r.size = g_seekable_tell (G_SEEKABLE (stream));

  known = read_duration (&r, &value);
  if (r.error != NULL)
    {
      g_propagate_error (error, r.error);
      return FALSE;
    }
  if (!known || !isfinite (value) || value <= 0 || value > MAX_SECONDS)
    return FALSE;
  *seconds = value;
  return TRUE;
}

/* ---- For mh-probe-parse.c (mh-media-private.h) -------------------------------- */

gboolean
mh_media_reader_init (MhMediaReader *r,
                      GInputStream  *stream,
                      GCancellable  *cancellable,
                      GError       **error)
{
  *r = (MhMediaReader) { stream, 0, cancellable, NULL };
  if (!g_seekable_seek (G_SEEKABLE (stream), 0, G_SEEK_END, cancellable, error))
    return FALSE;
  r->size = g_seekable_tell (G_SEEKABLE (stream));
  return TRUE;
}

gboolean
mh_media_reader_read (MhMediaReader *r,
                      goffset        offset,
                      void          *buf,
                      gsize          len)
{
  return read_exact (r, offset, buf, len);
}

gboolean
mh_media_mp4_next_box (MhMediaReader *r,
                       goffset       *pos,
                       goffset        end,
                       guint32       *type,
                       goffset       *body,
                       goffset       *box_end)
{
  return mp4_next_box (r, pos, end, type, body, box_end);
}

gboolean
mh_media_mp4_find_box (MhMediaReader *r,
                       goffset        pos,
                       goffset        end,
                       guint32        wanted,
                       goffset       *body,
                       goffset       *box_end)
{
  return mp4_find_box (r, pos, end, wanted, body, box_end);
}

gboolean
mh_media_ebml_next (MhMediaReader *r,
                    goffset       *pos,
                    goffset        end,
                    guint32       *id,
                    goffset       *body,
                    goffset       *element_end)
{
  return ebml_next (r, pos, end, id, body, element_end);
}

gboolean
mh_media_read_duration (GFile         *file,
                        double        *seconds,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (seconds != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return FALSE;
  return mh_media_read_duration_from_stream (G_INPUT_STREAM (stream), seconds, cancellable, error);
}

static void
probe_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  double seconds = -1;

  if (!mh_media_read_duration (G_FILE (task_data), &seconds, cancellable, &error) && error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_memdup2 (&seconds, sizeof seconds), g_free);
}

void
mh_media_probe_duration_async (GFile               *file,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mh_media_probe_duration_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, probe_thread);
}

double
mh_media_probe_duration_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_autofree double *seconds = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), -1);

  seconds = g_task_propagate_pointer (G_TASK (result), error);
  return seconds != NULL ? *seconds : -1;
}
