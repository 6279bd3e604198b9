/* mh-job-record-private.h: what a record's accessors and its JSON share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-job-record.h"

G_BEGIN_DECLS

struct _MhJobRecord
{
  GObject       parent_instance;

  char         *id;
  const MhTool *tool;
  char         *name;
  GHashTable   *params;
  char         *api_base_url;
  MhJobState    state;
  char         *project_id;
  gint64        credits;
  GDateTime    *created;
  GDateTime    *updated;
  char         *output_dir;
  GPtrArray    *output_files;   /* NULL-terminated */
  char         *error_message;
  char         *error_domain;
  int           error_code;
  gboolean      deleted;
  gboolean      running;
};

/* Text kept in a record is valid UTF-8: copied, or made valid. */
char *mh_job_record_text_dup (const char *text);

G_END_DECLS
