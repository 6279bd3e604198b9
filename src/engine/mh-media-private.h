/* mh-media-private.h: mh-media.c's bounded header reading, for the probe
 *
 * mh-probe-parse.c reads which streams a container holds with the same
 * careful reads (sizes checked against the parent, loops bounded) that
 * mh-media.c uses for durations, instead of a second copy of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Boxes, chunks or elements walked at one level before giving up. */
#define MH_MEDIA_MAX_ITEMS 4096

#define MH_FOURCC(s) ((guint32) (s)[0] << 24 | (guint32) (s)[1] << 16 | \
                      (guint32) (s)[2] << 8 | (guint32) (s)[3])

typedef struct
{
  GInputStream *stream;
  goffset       size;
  GCancellable *cancellable;
  GError       *error;     /* the first I/O error; the only thing reported */
} MhMediaReader;

/* FALSE with @error when @stream cannot seek to its end. */
gboolean mh_media_reader_init     (MhMediaReader *r,
                                   GInputStream  *stream,
                                   GCancellable  *cancellable,
                                   GError       **error);
/* TRUE only when all @len bytes exist at @offset. */
gboolean mh_media_reader_read     (MhMediaReader *r,
                                   goffset        offset,
                                   void          *buf,
                                   gsize          len);
/* The ISO box at *pos (see mp4_next_box in mh-media.c). */
gboolean mh_media_mp4_next_box    (MhMediaReader *r,
                                   goffset       *pos,
                                   goffset        end,
                                   guint32       *type,
                                   goffset       *body,
                                   goffset       *box_end);
gboolean mh_media_mp4_find_box    (MhMediaReader *r,
                                   goffset        pos,
                                   goffset        end,
                                   guint32        wanted,
                                   goffset       *body,
                                   goffset       *box_end);
/* The EBML element at *pos (see ebml_next in mh-media.c). */
gboolean mh_media_ebml_next       (MhMediaReader *r,
                                   goffset       *pos,
                                   goffset        end,
                                   guint32       *id,
                                   goffset       *body,
                                   goffset       *element_end);

G_END_DECLS
