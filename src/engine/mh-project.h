/* mh-project.h: a video or image project as the API reports it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  MH_PROJECT_STATUS_UNKNOWN,
  MH_PROJECT_STATUS_DRAFT,
  MH_PROJECT_STATUS_QUEUED,
  MH_PROJECT_STATUS_RENDERING,
  MH_PROJECT_STATUS_COMPLETE,
  MH_PROJECT_STATUS_ERROR,
  MH_PROJECT_STATUS_CANCELED,
} MhProjectStatus;

/* The most result files a job downloads from one project: the contract's
 * tools make one; a project offering more is refused, nothing downloaded. */
#define MH_PROJECT_MAX_DOWNLOADS 32

typedef struct
{
  char            *id;
  char            *name;
  char            *type;
  char            *status_text;     /* as sent, for unknown statuses */
  MhProjectStatus  status;
  gint64           credits_charged; /* -1 when absent */
  gboolean         enabled;
  char            *error_code;
  char            *error_message;
  GPtrArray       *downloads;       /* char * URLs */
  GArray          *download_expiry; /* gint64 real time (µs) each URL expires at, 0 when not said */
} MhProject;

/* Tolerant: unknown fields are ignored, an unknown status is kept as text,
 * the deprecated `download` object is used when `downloads` is missing.
 * Fails only when there is no object or no status. */
MhProject  *mh_project_parse         (JsonNode    *node,
                                      GError     **error);
void        mh_project_free          (MhProject   *project);
gint64      mh_project_parse_time    (const char  *text);
gboolean    mh_project_status_is_terminal (MhProjectStatus status);
const char *mh_project_status_to_string   (MhProjectStatus status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhProject, mh_project_free)

G_END_DECLS
