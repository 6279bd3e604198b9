/* mh-sim-media.c: the simulator's output files, generated on the fly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>
#include <zlib.h>

#include "mh-sim-media.h"
#include "mh-sim-resources.h"

#define SAMPLE_MP4_PATH "/io/github/mhstudio/MagicHourStudio/simulator/sample.mp4"
#define SAMPLE_PNG_PATH "/io/github/mhstudio/MagicHourStudio/simulator/sample.png"

/* PNG chunk data may be at most 2^31 - 1 bytes; smaller pieces keep the
 * arithmetic obvious. */
#define PNG_PAD_CHUNK_MAX ((guint64) 1 << 30)
#define PNG_CHUNK_OVERHEAD 12  /* length, type, CRC */
#define PNG_IEND_SIZE 12
#define MP4_BOX_HEADER 8
#define MP4_LARGE_BOX_HEADER 16

typedef struct
{
  guint64       offset;
  guint64       length;
  const guint8 *data;    /* NULL: zeros */
} Segment;

struct _MhSimOutput
{
  MhSimMediaKind  kind;
  GBytes         *sample;
  guint64         size;
  GArray         *segments;   /* of Segment, in order */
  guint8         *extra;      /* headers and CRCs the segments point into */
};

GBytes *
mh_sim_media_get_sample (MhSimMediaKind kind)
{
  const char *path = kind == MH_SIM_MEDIA_PNG ? SAMPLE_PNG_PATH : SAMPLE_MP4_PATH;
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  bytes = g_resource_lookup_data (mh_sim_get_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    g_error ("Simulator sample %s is missing: %s", path, error->message);

  return bytes;
}

static void
add_segment (MhSimOutput  *self,
             const guint8 *data,
             guint64       length)
{
  Segment segment;

  if (length == 0)
    return;

  segment.offset = self->size;
  segment.length = length;
  segment.data = data;
  g_array_append_val (self->segments, segment);
  self->size += length;
}

static void
put_be32 (guint8  *p,
          guint32  value)
{
  p[0] = value >> 24;
  p[1] = value >> 16;
  p[2] = value >> 8;
  p[3] = value;
}

static void
put_be64 (guint8  *p,
          guint64  value)
{
  put_be32 (p, value >> 32);
  put_be32 (p + 4, value & 0xffffffff);
}

/* CRC-32 of @len zero bytes, in O(log len) with zlib's crc32_combine(). */
static uLong
crc32_of_zeros (guint64 len)
{
  static const Bytef zero = 0;
  uLong result = crc32 (0L, Z_NULL, 0);
  uLong block = crc32 (0L, &zero, 1);
  guint64 block_len = 1;

  while (len > 0)
    {
      if (len & 1)
        result = crc32_combine (result, block, (z_off_t) block_len);
      len >>= 1;
      if (len > 0)
        {
          block = crc32_combine (block, block, (z_off_t) block_len);
          block_len *= 2;
        }
    }

  return result;
}

static void
build_mp4 (MhSimOutput *self,
           guint64      requested)
{
  const guint8 *data;
  gsize sample_len;
  guint64 pad;

  data = g_bytes_get_data (self->sample, &sample_len);
  add_segment (self, data, sample_len);

  if (requested <= sample_len)
    return;

  pad = requested - sample_len;
  if (pad < MP4_BOX_HEADER)
    return;

  self->extra = g_malloc0 (MP4_LARGE_BOX_HEADER);
  if (pad <= G_MAXUINT32)
    {
      put_be32 (self->extra, (guint32) pad);
      memcpy (self->extra + 4, "free", 4);
      add_segment (self, self->extra, MP4_BOX_HEADER);
      add_segment (self, NULL, pad - MP4_BOX_HEADER);
    }
  else
    {
      /* size 1: the real size follows as a 64-bit "largesize" */
      put_be32 (self->extra, 1);
      memcpy (self->extra + 4, "free", 4);
      put_be64 (self->extra + 8, pad);
      add_segment (self, self->extra, MP4_LARGE_BOX_HEADER);
      add_segment (self, NULL, pad - MP4_LARGE_BOX_HEADER);
    }
}

static void
build_png (MhSimOutput *self,
           guint64      requested)
{
  const guint8 *data;
  gsize sample_len;
  guint64 pad, n_chunks, data_total;
  uLong type_crc;

  data = g_bytes_get_data (self->sample, &sample_len);
  g_assert (sample_len > 8 + PNG_IEND_SIZE);
  g_assert (memcmp (data + sample_len - 8, "IEND", 4) == 0);

  if (requested <= sample_len || requested - sample_len < PNG_CHUNK_OVERHEAD)
    {
      add_segment (self, data, sample_len);
      return;
    }

  pad = requested - sample_len;
  n_chunks = (pad + PNG_CHUNK_OVERHEAD + PNG_PAD_CHUNK_MAX - 1) /
             (PNG_CHUNK_OVERHEAD + PNG_PAD_CHUNK_MAX);
  data_total = pad - n_chunks * PNG_CHUNK_OVERHEAD;
  type_crc = crc32 (0L, (const Bytef *) "mhPd", 4);

  self->extra = g_malloc0 (n_chunks * PNG_CHUNK_OVERHEAD);

  add_segment (self, data, sample_len - PNG_IEND_SIZE);
  for (guint64 i = 0; i < n_chunks; i++)
    {
      guint64 chunk_len = data_total / n_chunks + (i < data_total % n_chunks ? 1 : 0);
      guint8 *header = self->extra + i * PNG_CHUNK_OVERHEAD;
      guint8 *crc = header + 8;

      g_assert (chunk_len <= G_MAXINT32);
      put_be32 (header, (guint32) chunk_len);
      memcpy (header + 4, "mhPd", 4);
      put_be32 (crc, (guint32) crc32_combine (type_crc, crc32_of_zeros (chunk_len),
                                              (z_off_t) chunk_len));

      add_segment (self, header, 8);
      add_segment (self, NULL, chunk_len);
      add_segment (self, crc, 4);
    }
  add_segment (self, data + sample_len - PNG_IEND_SIZE, PNG_IEND_SIZE);
}

MhSimOutput *
mh_sim_output_new (MhSimMediaKind kind,
                   guint64        requested_size)
{
  MhSimOutput *self = g_new0 (MhSimOutput, 1);

  self->kind = kind;
  self->sample = mh_sim_media_get_sample (kind);
  self->segments = g_array_new (FALSE, FALSE, sizeof (Segment));

  if (kind == MH_SIM_MEDIA_PNG)
    build_png (self, requested_size);
  else
    build_mp4 (self, requested_size);

  return self;
}

void
mh_sim_output_free (MhSimOutput *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->sample, g_bytes_unref);
  g_clear_pointer (&self->segments, g_array_unref);
  g_clear_pointer (&self->extra, g_free);
  g_free (self);
}

guint64
mh_sim_output_get_size (MhSimOutput *self)
{
  return self->size;
}

const char *
mh_sim_output_content_type (MhSimOutput *self)
{
  return self->kind == MH_SIM_MEDIA_PNG ? "image/png" : "video/mp4";
}

void
mh_sim_output_read (MhSimOutput *self,
                    guint64      offset,
                    guint8      *buffer,
                    gsize        len)
{
  g_return_if_fail (offset + len <= self->size);

  for (guint i = 0; i < self->segments->len && len > 0; i++)
    {
      const Segment *segment = &g_array_index (self->segments, Segment, i);
      guint64 inside, n;

      if (offset >= segment->offset + segment->length)
        continue;

      inside = offset - segment->offset;
      n = MIN ((guint64) len, segment->length - inside);
      if (segment->data != NULL)
        memcpy (buffer, segment->data + inside, n);
      else
        memset (buffer, 0, n);

      buffer += n;
      offset += n;
      len -= n;
    }
}

GBytes *
mh_sim_output_read_bytes (MhSimOutput *self,
                          guint64      offset,
                          gsize        len)
{
  guint8 *buffer = g_malloc (len);

  mh_sim_output_read (self, offset, buffer, len);

  return g_bytes_new_take (buffer, len);
}

char *
mh_sim_output_compute_sha256 (MhSimOutput *self)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (256 * 1024);
  guint64 offset = 0;

  while (offset < self->size)
    {
      gsize n = MIN ((guint64) 256 * 1024, self->size - offset);

      mh_sim_output_read (self, offset, buffer, n);
      g_checksum_update (checksum, buffer, n);
      offset += n;
    }

  return g_strdup (g_checksum_get_string (checksum));
}
