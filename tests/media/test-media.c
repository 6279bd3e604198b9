/* test-media.c: mh_media_read_duration on hand-built and tool-made files
 *
 * The hand-built files (written byte by byte below) need no tool and always
 * run. The tool-made ones use ffmpeg or sox when installed, and are skipped
 * otherwise. Everything is written in a private temporary folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "mh-media.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

static char *tmp_dir;

/* ---- Helpers ---------------------------------------------------------------- */

static void
put (GByteArray *b,
     const void *data,
     gsize       len)
{
  g_byte_array_append (b, data, (guint) len);
}

static void
put_str (GByteArray *b,
         const char *s)
{
  put (b, s, strlen (s));
}

static void
put_u8 (GByteArray *b,
        guint8      v)
{
  put (b, &v, 1);
}

static void
put_zeros (GByteArray *b,
           gsize       n)
{
  for (gsize i = 0; i < n; i++)
    put_u8 (b, 0);
}

static void
put_be (GByteArray *b,
        guint64     v,
        guint       bytes)
{
  for (guint i = bytes; i > 0; i--)
    put_u8 (b, (guint8) (v >> (8 * (i - 1))));
}

static void
put_le (GByteArray *b,
        guint64     v,
        guint       bytes)
{
  for (guint i = 0; i < bytes; i++)
    put_u8 (b, (guint8) (v >> (8 * i)));
}

static void
patch_be32 (GByteArray *b,
            gsize       at,
            guint32     v)
{
  for (guint i = 0; i < 4; i++)
    b->data[at + i] = (guint8) (v >> (8 * (3 - i)));
}

static char *
write_fixture (const char *name,
               const void *data,
               gsize       len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmp_dir, name, NULL);

  g_file_set_contents (path, data, (gssize) len, &error);
  g_assert_no_error (error);
  return path;
}

static char *
write_bytes (const char *name,
             GByteArray *b)
{
  return write_fixture (name, b->data, b->len);
}

/* The same file as bytes in memory (the fuzz target's way in) gives the
 * same answer; fixtures too big to hold (sparse ones) are left out. */
static void
assert_same_from_memory (const char *path,
                         gboolean    known,
                         double      seconds)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  double from_memory = -1;
  gsize length;

  if (!g_file_get_contents (path, &data, &length, NULL) || length > 1024 * 1024)
    return;
  stream = g_memory_input_stream_new_from_data (g_steal_pointer (&data), length, g_free);
  g_assert_cmpint (mh_media_read_duration_from_stream (stream, &from_memory, NULL, &error), ==, known);
  g_assert_no_error (error);
  g_assert_cmpfloat (from_memory, ==, known ? seconds : -1);
}

static void
assert_duration (const char *path,
                 double      expected,
                 double      tolerance)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  double seconds = -1;
  gboolean known;

  known = mh_media_read_duration (file, &seconds, NULL, &error);
  g_assert_no_error (error);
  if (!known)
    g_error ("%s: duration not found (expected %.3f s)", path, expected);
  if (fabs (seconds - expected) > tolerance)
    g_error ("%s: %.4f s, expected %.4f ± %.3f s", path, seconds, expected, tolerance);
  assert_same_from_memory (path, TRUE, seconds);
}

static void
assert_unknown (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  double seconds = -1;

  g_assert_false (mh_media_read_duration (file, &seconds, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (seconds, ==, -1);
  assert_same_from_memory (path, FALSE, -1);
}

/* ---- WAV, AIFF, FLAC ---------------------------------------------------------- */

static void
put_wav_fmt (GByteArray *b,
             guint32     rate,
             guint16     channels)
{
  put_str (b, "fmt ");
  put_le (b, 16, 4);
  put_le (b, 1, 2);                      /* PCM */
  put_le (b, channels, 2);
  put_le (b, rate, 4);
  put_le (b, rate * channels * 2, 4);    /* byte rate */
  put_le (b, channels * 2, 2);
  put_le (b, 16, 2);
}

static void
test_wav (void)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autoptr(GByteArray) s = g_byte_array_new ();
  g_autoptr(GByteArray) rf = g_byte_array_new ();
  g_autofree char *path = NULL, *stream_path = NULL, *rf64_path = NULL;

  /* 8 kHz mono 16-bit, a LIST chunk between fmt and data: 20000 bytes = 1.25 s */
  put_str (b, "RIFF");
  put_le (b, 4 + 24 + 8 + 10 + 8 + 20000, 4);
  put_str (b, "WAVE");
  put_wav_fmt (b, 8000, 1);
  put_str (b, "LIST");
  put_le (b, 9, 4);
  put_str (b, "INFOabcde");
  put_u8 (b, 0);                         /* pad to an even size */
  put_str (b, "data");
  put_le (b, 20000, 4);
  put_zeros (b, 20000);
  path = write_bytes ("hand.wav", b);
  assert_duration (path, 1.25, 0.01);

  /* A streaming muxer's placeholder sizes: the data runs to the end. */
  put_str (s, "RIFF");
  put_le (s, 0xFFFFFFFF, 4);
  put_str (s, "WAVE");
  put_wav_fmt (s, 8000, 2);
  put_str (s, "data");
  put_le (s, 0xFFFFFFFF, 4);
  put_zeros (s, 24000);
  stream_path = write_bytes ("stream.wav", s);
  assert_duration (stream_path, 0.75, 0.01);

  /* RF64: the real data size is in ds64. */
  put_str (rf, "RF64");
  put_le (rf, 0xFFFFFFFF, 4);
  put_str (rf, "WAVE");
  put_str (rf, "ds64");
  put_le (rf, 28, 4);
  put_le (rf, 4 + 36 + 24 + 8 + 16000, 8);
  put_le (rf, 16000, 8);
  put_le (rf, 8000, 8);
  put_le (rf, 0, 4);
  put_wav_fmt (rf, 8000, 1);
  put_str (rf, "data");
  put_le (rf, 0xFFFFFFFF, 4);
  put_zeros (rf, 16000);
  put_str (rf, "junk");                  /* trailing bytes not counted */
  put_le (rf, 100, 4);
  put_zeros (rf, 100);
  rf64_path = write_bytes ("hand-rf64.wav", rf);
  assert_duration (rf64_path, 1.0, 0.01);
}

/* The 80-bit extended float of AIFF's sample rate. */
static void
put_ext80 (GByteArray *b,
           double      v)
{
  int exponent;
  double mantissa = frexp (v, &exponent);   /* v = mantissa * 2^exponent */

  put_be (b, (guint64) (exponent - 1 + 16383), 2);
  put_be (b, (guint64) ldexp (mantissa, 64), 8);
}

static void
test_aiff (void)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autofree char *path = NULL;

  put_str (b, "FORM");
  put_be (b, 4 + 8 + 4 + 26 + 8 + 8 + 16, 4);
  put_str (b, "AIFF");
  put_str (b, "NAME");                   /* an odd-sized chunk first */
  put_be (b, 3, 4);
  put_str (b, "abc");
  put_u8 (b, 0);
  put_str (b, "COMM");
  put_be (b, 18, 4);
  put_be (b, 1, 2);                      /* channels */
  put_be (b, 44100, 4);                  /* sample frames */
  put_be (b, 16, 2);                     /* bits */
  put_ext80 (b, 22050);
  put_str (b, "SSND");
  put_be (b, 8 + 16, 4);
  put_zeros (b, 8 + 16);
  path = write_bytes ("hand.aiff", b);
  assert_duration (path, 2.0, 0.01);
}

static void
put_flac (GByteArray *b,
          guint32     rate,
          guint64     samples)
{
  put_str (b, "fLaC");
  put_u8 (b, 0x80);                      /* last block, STREAMINFO */
  put_be (b, 34, 3);
  put_be (b, 4096, 2);
  put_be (b, 4096, 2);
  put_zeros (b, 6);                      /* frame sizes */
  put_be (b, (guint64) rate << 44 | (guint64) 1 << 41 | (guint64) 15 << 36 | samples, 8);
  put_zeros (b, 16);                     /* MD5 */
  put_be (b, 0xFFF8, 2);                 /* the start of a frame */
  put_zeros (b, 30);
}

static void
put_id3v2 (GByteArray *b,
           guint32     size)
{
  put_str (b, "ID3");
  put_u8 (b, 4);
  put_u8 (b, 0);
  put_u8 (b, 0);                         /* flags */
  put_u8 (b, (size >> 21) & 0x7F);       /* "synchsafe": 7 bits a byte */
  put_u8 (b, (size >> 14) & 0x7F);
  put_u8 (b, (size >> 7) & 0x7F);
  put_u8 (b, size & 0x7F);
  put_zeros (b, size);
}

static void
test_flac (void)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autoptr(GByteArray) tagged = g_byte_array_new ();
  g_autoptr(GByteArray) unknown = g_byte_array_new ();
  g_autofree char *path = NULL, *tagged_path = NULL, *unknown_path = NULL;

  put_flac (b, 44100, 154350);
  path = write_bytes ("hand.flac", b);
  assert_duration (path, 3.5, 0.01);

  put_id3v2 (tagged, 300);
  put_flac (tagged, 96000, 96000 * 10);
  tagged_path = write_bytes ("hand-id3.flac", tagged);
  assert_duration (tagged_path, 10.0, 0.01);

  put_flac (unknown, 44100, 0);          /* 0 samples: "not known" */
  unknown_path = write_bytes ("hand-unknown.flac", unknown);
  assert_unknown (unknown_path);
}

/* ---- MP4 ---------------------------------------------------------------------- */

static gsize
box_begin (GByteArray *b,
           const char *type)
{
  gsize start = b->len;

  put_be (b, 0, 4);
  put_str (b, type);
  return start;
}

static void
box_end (GByteArray *b,
         gsize       start)
{
  patch_be32 (b, start, (guint32) (b->len - start));
}

static void
put_ftyp (GByteArray *b)
{
  gsize box = box_begin (b, "ftyp");

  put_str (b, "isom");
  put_be (b, 512, 4);
  put_str (b, "isomiso2mp41");
  box_end (b, box);
}

/* mvhd or mdhd, version 0 (32-bit) or 1 (64-bit times). */
static void
put_time_header (GByteArray *b,
                 const char *type,
                 guint       version,
                 guint32     timescale,
                 guint64     duration)
{
  gsize box = box_begin (b, type);

  put_u8 (b, (guint8) version);
  put_zeros (b, 3);
  put_zeros (b, version == 1 ? 16 : 8);  /* creation, modification */
  put_be (b, timescale, 4);
  put_be (b, duration, version == 1 ? 8 : 4);
  if (strcmp (type, "mvhd") == 0)
    put_zeros (b, 80);                   /* rate, volume, matrix, next track */
  else
    put_zeros (b, 4);                    /* language, pre-defined */
  box_end (b, box);
}

static void
put_trak (GByteArray *b,
          guint       version,
          guint32     timescale,
          guint64     duration)
{
  gsize trak = box_begin (b, "trak");
  gsize tkhd = box_begin (b, "tkhd");
  gsize mdia;

  put_zeros (b, 84);
  box_end (b, tkhd);
  mdia = box_begin (b, "mdia");
  put_time_header (b, "mdhd", version, timescale, duration);
  box_end (b, mdia);
  box_end (b, trak);
}

static void
test_mp4 (void)
{
  g_autoptr(GByteArray) a = g_byte_array_new ();
  g_autoptr(GByteArray) l = g_byte_array_new ();
  g_autoptr(GByteArray) t = g_byte_array_new ();
  g_autoptr(GByteArray) f = g_byte_array_new ();
  gsize box;
  g_autofree char *a_path = NULL, *l_path = NULL, *t_path = NULL, *f_path = NULL;

  /* moov after mdat (not "fast start"), mvhd version 0: 4.2 s */
  put_ftyp (a);
  box = box_begin (a, "mdat");
  put_zeros (a, 1000);
  box_end (a, box);
  box = box_begin (a, "moov");
  put_time_header (a, "mvhd", 0, 1000, 4200);
  put_trak (a, 0, 44100, 44100);
  box_end (a, box);
  a_path = write_bytes ("hand-end.mp4", a);
  assert_duration (a_path, 4.2, 0.01);

  /* A 64-bit "largesize" mdat and mvhd version 1: 7.5 s */
  put_ftyp (l);
  put_be (l, 1, 4);
  put_str (l, "mdat");
  put_be (l, 16 + 500, 8);
  put_zeros (l, 500);
  box = box_begin (l, "moov");
  put_time_header (l, "mvhd", 1, 600, 4500);
  box_end (l, box);
  l_path = write_bytes ("hand-large.mov", l);
  assert_duration (l_path, 7.5, 0.01);

  /* mvhd says 0: the longest track (3 s), version 0 and 1 mdhd */
  put_ftyp (t);
  box = box_begin (t, "moov");
  put_time_header (t, "mvhd", 0, 1000, 0);
  put_trak (t, 0, 44100, 88200);
  put_trak (t, 1, 90000, 270000);
  box_end (t, box);
  box = box_begin (t, "mdat");
  put_zeros (t, 100);
  box_end (t, box);
  t_path = write_bytes ("hand-tracks.m4a", t);
  assert_duration (t_path, 3.0, 0.01);

  /* Fragmented: mvex > mehd holds the length (6 s) */
  put_ftyp (f);
  box = box_begin (f, "moov");
  put_time_header (f, "mvhd", 0, 1000, 0);
  put_trak (f, 0, 1000, 0);
  {
    gsize mvex = box_begin (f, "mvex");
    gsize mehd = box_begin (f, "mehd");

    put_zeros (f, 4);
    put_be (f, 6000, 4);
    box_end (f, mehd);
    box_end (f, mvex);
  }
  box_end (f, box);
  f_path = write_bytes ("hand-frag.mp4", f);
  assert_duration (f_path, 6.0, 0.01);
}

static void
test_mp4_truncated (void)
{
  g_autoptr(GByteArray) m = g_byte_array_new ();
  g_autoptr(GByteArray) d = g_byte_array_new ();
  g_autofree char *m_path = NULL, *d_path = NULL;

  /* The moov box claims 1000 bytes, the file ends inside it. */
  put_ftyp (m);
  put_be (m, 1000, 4);
  put_str (m, "moov");
  put_time_header (m, "mvhd", 0, 1000, 4200);
  m_path = write_bytes ("trunc-moov.mp4", m);
  assert_unknown (m_path);

  /* An mdat of 1 GiB, cut after 100 bytes: the moov that followed is gone. */
  put_ftyp (d);
  put_be (d, 1u << 30, 4);
  put_str (d, "mdat");
  put_zeros (d, 100);
  d_path = write_bytes ("trunc-mdat.mp4", d);
  assert_unknown (d_path);
}

/* ---- Ogg ---------------------------------------------------------------------- */

static void
put_ogg_page (GByteArray   *b,
              guint8        type,
              guint64       granule,
              guint32       serial,
              guint32       sequence,
              const guint8 *packet,
              gsize         len)
{
  g_assert_cmpuint (len, <, 255 * 255);
  put_str (b, "OggS");
  put_u8 (b, 0);
  put_u8 (b, type);
  put_le (b, granule, 8);
  put_le (b, serial, 4);
  put_le (b, sequence, 4);
  put_le (b, 0, 4);                      /* CRC: not checked */
  put_u8 (b, (guint8) (len / 255 + 1));
  for (gsize i = 0; i < len / 255; i++)
    put_u8 (b, 255);
  put_u8 (b, (guint8) (len % 255));
  put (b, packet, len);
}

static void
test_ogg (void)
{
  static const guint8 audio[300] = { 0 };
  g_autoptr(GByteArray) opus = g_byte_array_new ();
  g_autoptr(GByteArray) vorbis = g_byte_array_new ();
  g_autoptr(GByteArray) head = g_byte_array_new ();
  g_autoptr(GByteArray) o = g_byte_array_new ();
  g_autoptr(GByteArray) v = g_byte_array_new ();
  g_autofree char *o_path = NULL, *v_path = NULL;

  /* Opus, after a (fake) video stream whose page ends the file: the
   * granule counts 48 kHz samples, pre-skip (312) included: 2.0 s */
  put_str (opus, "OpusHead");
  put_u8 (opus, 1);
  put_u8 (opus, 2);
  put_le (opus, 312, 2);
  put_le (opus, 44100, 4);               /* the input rate: not the granule rate */
  put_le (opus, 0, 2);
  put_u8 (opus, 0);
  put_str (head, "\x80theora");
  put_zeros (head, 34);
  put_ogg_page (o, 0x02, 0, 7, 0, head->data, head->len);
  put_ogg_page (o, 0x02, 0, 1234, 0, opus->data, opus->len);
  put_ogg_page (o, 0x00, 0, 1234, 1, (const guint8 *) "OpusTags\0\0\0\0\0\0\0\0", 16);
  put_ogg_page (o, 0x00, 48312, 1234, 2, audio, sizeof audio);
  put_ogg_page (o, 0x04, 96312, 1234, 3, audio, sizeof audio);
  put_ogg_page (o, 0x04, 999999999, 7, 1, audio, 100);
  o_path = write_bytes ("hand.opus", o);
  assert_duration (o_path, 2.0, 0.01);

  /* Vorbis at 44.1 kHz, last granule 66150: 1.5 s */
  put_str (vorbis, "\x01vorbis");
  put_le (vorbis, 0, 4);
  put_u8 (vorbis, 1);
  put_le (vorbis, 44100, 4);
  put_zeros (vorbis, 12);
  put_u8 (vorbis, 0xB8);
  put_u8 (vorbis, 1);
  put_ogg_page (v, 0x02, 0, 42, 0, vorbis->data, vorbis->len);
  put_ogg_page (v, 0x02, 0, 99, 0, head->data, head->len);
  for (guint i = 1; i <= 10; i++)
    put_ogg_page (v, 0, i * 100, 42, i, audio, sizeof audio);
  put_ogg_page (v, 0x04, 66150, 42, 11, audio, sizeof audio);
  for (guint i = 1; i <= 400; i++)       /* ~130 KiB of another stream after it */
    put_ogg_page (v, 0, i * 100, 99, i, audio, sizeof audio);
  v_path = write_bytes ("hand.ogg", v);
  assert_duration (v_path, 1.5, 0.01);
}

/* ---- MP3 ---------------------------------------------------------------------- */

/* MPEG-1 layer III, 128 kbit/s, 44.1 kHz, stereo: 417-byte frames of 1152
 * samples. @tag is put where a Xing/Info (offset 36) or VBRI header goes. */
static void
put_mp3_frame (GByteArray *b,
               GByteArray *tag)
{
  gsize start = b->len;

  put_be (b, 0xFFFB9000, 4);
  put_zeros (b, 32);                     /* side information */
  if (tag != NULL)
    put (b, tag->data, tag->len);
  put_zeros (b, 417 - (b->len - start));
}

static void
test_mp3 (void)
{
  g_autoptr(GByteArray) xing = g_byte_array_new ();
  g_autoptr(GByteArray) info = g_byte_array_new ();
  g_autoptr(GByteArray) vbri = g_byte_array_new ();
  g_autoptr(GByteArray) x = g_byte_array_new ();
  g_autoptr(GByteArray) i = g_byte_array_new ();
  g_autoptr(GByteArray) v = g_byte_array_new ();
  g_autoptr(GByteArray) c = g_byte_array_new ();
  g_autofree char *x_path = NULL, *i_path = NULL, *v_path = NULL, *c_path = NULL;

  /* Xing with a frame count, after an ID3v2 tag and some padding */
  put_str (xing, "Xing");
  put_be (xing, 1, 4);
  put_be (xing, 100, 4);
  put_id3v2 (x, 200);
  put_zeros (x, 37);
  put_mp3_frame (x, xing);
  for (guint k = 0; k < 5; k++)
    put_mp3_frame (x, NULL);
  x_path = write_bytes ("hand-xing.mp3", x);
  assert_duration (x_path, 100 * 1152 / 44100.0, 0.01);

  /* Info with every field and a LAME tag: delay 576 and padding 1000 */
  put_str (info, "Info");
  put_be (info, 0xF, 4);
  put_be (info, 200, 4);
  put_be (info, 200 * 417, 4);
  put_zeros (info, 100 + 4);             /* TOC, quality */
  put_str (info, "LAME3.100");
  put_zeros (info, 12);
  put_be (info, 576 << 12 | 1000, 3);
  put_mp3_frame (i, info);
  put_mp3_frame (i, NULL);
  i_path = write_bytes ("hand-info.mp3", i);
  assert_duration (i_path, (200 * 1152 - 1576) / 44100.0, 0.01);

  /* VBRI (Fraunhofer) with 50 frames */
  put_str (vbri, "VBRI");
  put_be (vbri, 1, 2);
  put_be (vbri, 0, 2);
  put_be (vbri, 75, 2);
  put_be (vbri, 50 * 417, 4);
  put_be (vbri, 50, 4);
  put_mp3_frame (v, vbri);
  put_mp3_frame (v, NULL);
  v_path = write_bytes ("hand-vbri.mp3", v);
  assert_duration (v_path, 50 * 1152 / 44100.0, 0.01);

  /* No header at all: constant bit rate over the bytes, ID3v1 tag excluded */
  for (guint k = 0; k < 20; k++)
    put_mp3_frame (c, NULL);
  put_str (c, "TAG");
  put_zeros (c, 125);
  c_path = write_bytes ("hand-cbr.mp3", c);
  assert_duration (c_path, 20 * 417 * 8 / 128000.0, 0.01);
}

/* ---- Matroska / WebM ---------------------------------------------------------- */

static void
put_ebml (GByteArray *b,
          guint32     id,
          const void *data,
          gsize       len)
{
  put_be (b, id, id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1);
  put_u8 (b, (guint8) (0x80 | len));     /* a 1-byte size: len < 127 */
  put (b, data, len);
}

static void
put_webm (GByteArray *b,
          guint32     scale,
          gboolean    as_float,
          double      duration)
{
  g_autoptr(GByteArray) header = g_byte_array_new ();
  g_autoptr(GByteArray) info = g_byte_array_new ();
  g_autoptr(GByteArray) value = g_byte_array_new ();
  float f = (float) duration;
  guint64 bits = 0;

  put_ebml (header, 0x4286, "\x01", 1);  /* EBMLVersion */
  put_ebml (header, 0x4282, "webm", 4);  /* DocType */
  put_ebml (b, 0x1A45DFA3, header->data, header->len);

  put_be (b, 0x18538067, 4);             /* Segment, of unknown size */
  put_be (b, G_GUINT64_CONSTANT (0x01FFFFFFFFFFFFFF), 8);
  put_ebml (b, 0xEC, "\0\0\0\0\0", 5);   /* Void */

  put_be (value, scale, 4);
  put_ebml (info, 0x2AD7B1, value->data, value->len);
  g_byte_array_set_size (value, 0);
  if (as_float)
    {
      guint32 bits32;

      memcpy (&bits32, &f, 4);
      put_be (value, bits32, 4);
    }
  else
    {
      memcpy (&bits, &duration, 8);
      put_be (value, bits, 8);
    }
  put_ebml (info, 0x4489, value->data, value->len);
  put_ebml (info, 0x4D80, "hand", 4);    /* MuxingApp */
  put_ebml (b, 0x1549A966, info->data, info->len);

  put_be (b, 0x1F43B675, 4);             /* a Cluster of unknown size */
  put_u8 (b, 0xFF);
  put_zeros (b, 64);
}

static void
test_webm (void)
{
  g_autoptr(GByteArray) d = g_byte_array_new ();
  g_autoptr(GByteArray) f = g_byte_array_new ();
  g_autoptr(GByteArray) n = g_byte_array_new ();
  g_autofree char *d_path = NULL, *f_path = NULL, *n_path = NULL;

  put_webm (d, 1000000, FALSE, 5300.0);  /* milliseconds, a double */
  d_path = write_bytes ("hand.webm", d);
  assert_duration (d_path, 5.3, 0.01);

  put_webm (f, 1000, TRUE, 2.5e6);       /* microseconds, a float */
  f_path = write_bytes ("hand.mkv", f);
  assert_duration (f_path, 2.5, 0.01);

  put_webm (n, 1000000, FALSE, 0);       /* a live recording: no duration */
  n_path = write_bytes ("hand-live.webm", n);
  assert_unknown (n_path);
}

/* ---- Not media, or not there -------------------------------------------------- */

static void
test_garbage (void)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autoptr(GByteArray) id3 = g_byte_array_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);
  g_autofree char *path = NULL, *id3_path = NULL, *text_path = NULL;

  for (guint i = 0; i < 256 * 1024; i++)
    put_u8 (b, (guint8) g_rand_int (rand));
  path = write_bytes ("garbage.bin", b);
  assert_unknown (path);

  put_id3v2 (id3, 100);
  put (id3, b->data, 64 * 1024);
  id3_path = write_bytes ("garbage-id3.mp3", id3);
  assert_unknown (id3_path);

  text_path = write_fixture ("notes.txt", "This is not a media file.\n", 26);
  assert_unknown (text_path);
}

static void
test_empty (void)
{
  g_autofree char *path = write_fixture ("empty.wav", "", 0);
  g_autofree char *tiny = write_fixture ("tiny.mp4", "\0\0\0\x08" "ftyp", 8);

  assert_unknown (path);
  assert_unknown (tiny);
}

static void
test_png (void)
{
  static const guint8 png[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n',
    0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0,
    0x90, 0x77, 0x53, 0xDE,
    0, 0, 0, 12, 'I', 'D', 'A', 'T', 0x08, 0xD7, 0x63, 0xF8, 0xCF, 0xC0, 0, 0, 3, 1, 1, 0,
    0x18, 0xDD, 0x8D, 0xB0,
    0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82,
  };
  g_autofree char *path = write_fixture ("pixel.png", png, sizeof png);

  assert_unknown (path);
}

static void
test_missing (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "no-such-file.mp4", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  double seconds = -1;

  g_assert_false (mh_media_read_duration (file, &seconds, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* ---- Async -------------------------------------------------------------------- */

typedef struct
{
  gboolean  done;
  double    seconds;
  GError   *error;
} Probe;

static void
on_probed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Probe *probe = user_data;

  probe->seconds = mh_media_probe_duration_finish (result, &probe->error);
  probe->done = TRUE;
}

static Probe
probe (const char   *path,
       GCancellable *cancellable)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  Probe p = { FALSE, 0, NULL };

  mh_media_probe_duration_async (file, cancellable, on_probed, &p);
  while (!p.done)
    g_main_context_iteration (NULL, TRUE);
  return p;
}

static void
test_async (void)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = NULL, *garbage = NULL, *missing = NULL;
  Probe p;

  put_flac (b, 48000, 48000 * 4);
  path = write_bytes ("async.flac", b);
  garbage = write_fixture ("async.bin", "0123456789abcdef", 16);
  missing = g_build_filename (tmp_dir, "async-missing.wav", NULL);

  p = probe (path, NULL);
  g_assert_no_error (p.error);
  g_assert_cmpfloat_with_epsilon (p.seconds, 4.0, 0.01);

  p = probe (garbage, NULL);
  g_assert_no_error (p.error);
  g_assert_cmpfloat (p.seconds, <, 0);

  p = probe (missing, NULL);
  g_assert_error (p.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpfloat (p.seconds, <, 0);
  g_clear_error (&p.error);

  g_cancellable_cancel (cancellable);
  p = probe (path, cancellable);
  g_assert_error (p.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpfloat (p.seconds, <, 0);
  g_clear_error (&p.error);
}

/* ---- Files made by ffmpeg and sox --------------------------------------------- */

#define SINE "-f lavfi -i sine=duration=3.5 "
#define VIDEO "-f lavfi -i testsrc=size=160x120:rate=25 -f lavfi -i sine -t 2.4 " \
              "-c:v libx264 -pix_fmt yuv420p -c:a aac "

typedef struct
{
  const char *path;      /* of the test */
  const char *tool;      /* "ffmpeg" or "sox" */
  const char *args;      /* before the output file for ffmpeg, after it for sox */
  const char *file;
  double      seconds;
  double      tolerance;
} ToolCase;

static const ToolCase tool_cases[] = {
  { "/media/tool/wav", "ffmpeg", SINE, "x.wav", 3.5, 0.05 },
  { "/media/tool/rf64", "ffmpeg", SINE "-rf64 always", "x-rf64.wav", 3.5, 0.05 },
  { "/media/tool/flac", "ffmpeg", SINE, "x.flac", 3.5, 0.05 },
  { "/media/tool/aiff", "ffmpeg", SINE, "x.aiff", 3.5, 0.05 },
  { "/media/tool/ogg-vorbis", "ffmpeg", SINE "-c:a libvorbis", "x.ogg", 3.5, 0.1 },
  { "/media/tool/ogg-flac", "ffmpeg", SINE "-c:a flac", "x-flac.oga", 3.5, 0.05 },
  { "/media/tool/opus", "ffmpeg", SINE "-c:a libopus", "x.opus", 3.5, 0.1 },
  { "/media/tool/mp3", "ffmpeg", SINE "-c:a libmp3lame", "x.mp3", 3.5, 0.1 },
  { "/media/tool/mp3-vbr", "ffmpeg", SINE "-c:a libmp3lame -q:a 4", "x-vbr.mp3", 3.5, 0.1 },
  { "/media/tool/mp3-cbr", "ffmpeg", SINE "-c:a libmp3lame -b:a 96k -write_xing 0",
    "x-cbr.mp3", 3.5, 0.1 },
  { "/media/tool/m4a", "ffmpeg", SINE "-c:a aac", "x.m4a", 3.5, 0.05 },
  { "/media/tool/webm", "ffmpeg", SINE "-c:a libopus", "x.webm", 3.5, 0.05 },
  { "/media/tool/mkv", "ffmpeg", SINE "-c:a flac", "x.mkv", 3.5, 0.05 },
  { "/media/tool/mp4", "ffmpeg", VIDEO, "x.mp4", 2.4, 0.05 },
  { "/media/tool/mp4-faststart", "ffmpeg", VIDEO "-movflags +faststart", "x-fast.mp4", 2.4, 0.05 },
  { "/media/tool/mov", "ffmpeg", VIDEO, "x.mov", 2.4, 0.05 },
  { "/media/tool/webm-video", "ffmpeg",
    "-f lavfi -i testsrc=size=160x120:rate=25 -t 2.4 -c:v libvpx -deadline realtime",
    "x-video.webm", 2.4, 0.05 },
  { "/media/tool/sox-wav", "sox", "synth 1.75 sine 440", "sox.wav", 1.75, 0.05 },
  { "/media/tool/sox-aiff", "sox", "synth 1.75 sine 440", "sox.aiff", 1.75, 0.05 },
};

/* Makes @file with the tool, or skips the test and returns NULL. */
static char *
make_with_tool (const char *tool,
                const char *args,
                const char *file)
{
  g_autofree char *program = g_find_program_in_path (tool);
  g_autofree char *path = g_build_filename (tmp_dir, file, NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) split = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err_output = NULL;
  int status = -1;

  if (program == NULL)
    {
      g_test_skip_printf ("%s is not installed", tool);
      return NULL;
    }
  if (!g_shell_parse_argv (args, NULL, &split, &error))
    g_error ("%s", error->message);

  g_ptr_array_add (argv, program);
  if (strcmp (tool, "ffmpeg") == 0)
    {
      static const char *const opts[] = { "-nostdin", "-hide_banner", "-loglevel", "error", "-y" };

      for (gsize i = 0; i < G_N_ELEMENTS (opts); i++)
        g_ptr_array_add (argv, (char *) opts[i]);
      for (guint i = 0; split[i] != NULL; i++)
        g_ptr_array_add (argv, split[i]);
      g_ptr_array_add (argv, path);
    }
  else
    {
      g_ptr_array_add (argv, (char *) "-n");
      g_ptr_array_add (argv, path);
      for (guint i = 0; split[i] != NULL; i++)
        g_ptr_array_add (argv, split[i]);
    }
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err_output, &status, &error) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      /* An ffmpeg built without this encoder, for instance. */
      g_test_skip_printf ("%s could not make %s: %s", tool, file,
                          error != NULL ? error->message : err_output);
      return NULL;
    }
  return g_steal_pointer (&path);
}

static void
test_tool (gconstpointer data)
{
  const ToolCase *c = data;
  g_autofree char *path = make_with_tool (c->tool, c->args, c->file);

  if (path != NULL)
    assert_duration (path, c->seconds, c->tolerance);
}

/* A real MP4 cut short: as a download interrupted before its moov (at the
 * end) or in the middle of it (at the start, "fast start"). */
static void
test_tool_truncated (void)
{
  g_autofree char *end = make_with_tool ("ffmpeg", VIDEO, "cut-src.mp4");
  g_autofree char *fast = NULL;
  g_autofree char *data = NULL;
  g_autofree char *half = NULL, *head = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  if (end == NULL)
    return;
  g_file_get_contents (end, &data, &len, &error);
  g_assert_no_error (error);
  half = write_fixture ("cut-half.mp4", data, len / 2);
  assert_unknown (half);
  g_clear_pointer (&data, g_free);

  fast = make_with_tool ("ffmpeg", VIDEO "-movflags +faststart", "cut-src-fast.mp4");
  if (fast == NULL)
    return;
  g_file_get_contents (fast, &data, &len, &error);
  g_assert_no_error (error);
  head = write_fixture ("cut-head.mp4", data, MIN (len, 300));
  assert_unknown (head);
}

static void
remove_tmp_dir (void)
{
  g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (tmp_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("mh-media-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/media/wav", test_wav);
  g_test_add_func ("/media/aiff", test_aiff);
  g_test_add_func ("/media/flac", test_flac);
  g_test_add_func ("/media/mp4", test_mp4);
  g_test_add_func ("/media/mp4-truncated", test_mp4_truncated);
  g_test_add_func ("/media/ogg", test_ogg);
  g_test_add_func ("/media/mp3", test_mp3);
  g_test_add_func ("/media/webm", test_webm);
  g_test_add_func ("/media/garbage", test_garbage);
  g_test_add_func ("/media/empty", test_empty);
  g_test_add_func ("/media/png", test_png);
  g_test_add_func ("/media/missing", test_missing);
  g_test_add_func ("/media/async", test_async);
  for (gsize i = 0; i < G_N_ELEMENTS (tool_cases); i++)
    g_test_add_data_func (tool_cases[i].path, &tool_cases[i], test_tool);
  g_test_add_func ("/media/tool/mp4-truncated", test_tool_truncated);

  ret = g_test_run ();
  remove_tmp_dir ();
  g_free (tmp_dir);
  return ret;
}
