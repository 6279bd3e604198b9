/* mh-sim-media.h: the simulator's output files, generated on the fly
 *
 * An output is the built-in sample (a short MP4 or a PNG) optionally padded
 * up to a requested size in a way that keeps the file valid: a top-level
 * `free` box after an MP4, private ancillary `mhPd` chunks before a PNG's
 * IEND. Any byte range can be produced without holding the file in memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  MH_SIM_MEDIA_MP4,
  MH_SIM_MEDIA_PNG,
} MhSimMediaKind;

typedef struct _MhSimOutput MhSimOutput;

/* @requested_size: 0 or anything not larger than the sample (or too little
 * larger to hold the padding's own header) serves the sample as it is. */
MhSimOutput *mh_sim_output_new          (MhSimMediaKind  kind,
                                         guint64         requested_size);
void         mh_sim_output_free         (MhSimOutput    *output);
guint64      mh_sim_output_get_size     (MhSimOutput    *output);
const char  *mh_sim_output_content_type (MhSimOutput    *output);
/* Copies @len bytes from @offset (which must lie within the file). */
void         mh_sim_output_read         (MhSimOutput    *output,
                                         guint64         offset,
                                         guint8         *buffer,
                                         gsize           len);
GBytes      *mh_sim_output_read_bytes   (MhSimOutput    *output,
                                         guint64         offset,
                                         gsize           len);
char        *mh_sim_output_compute_sha256 (MhSimOutput  *output);

/* The built-in sample (from the simulator's GResource). */
GBytes      *mh_sim_media_get_sample    (MhSimMediaKind  kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhSimOutput, mh_sim_output_free)

G_END_DECLS
