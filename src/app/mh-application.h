/* mh-application.h: Magic Hour Studio
 *
 * Owns what the windows share: the engine's client (the key and the API
 * address), the settings, the jobs of this session, and in demo mode the
 * simulator of the API that runs in the app on loopback.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mh-account.h"
#include "mh-client.h"
#include "mh-job.h"
#include "mh-job-store.h"
#include "mh-tool.h"

G_BEGIN_DECLS

#define MH_TYPE_APPLICATION (mh_application_get_type ())
G_DECLARE_FINAL_TYPE (MhApplication, mh_application, MH, APPLICATION, AdwApplication)

/* Properties (read-only, notified):
 *   "client"  MhClient: replaced when the key, the address or demo mode changes
 *   "demo"    gboolean: the simulator serves the jobs
 *   "has-key" gboolean: a key is configured (or demo mode)
 *   "store"   MhJobStore: the history of jobs; in demo mode one of its own in
 *             a temporary folder, so demo jobs never mix with real ones
 *   "store-loaded"   gboolean: the store has been read
 *   "store-problems" GStrv: what reading it found wrong, in sentences
 */
MhApplication *mh_application_new                 (void);
MhClient      *mh_application_get_client          (MhApplication *self);
GSettings     *mh_application_get_settings        (MhApplication *self);
/* The account of the current key and address, fetched on start, when the
 * key or the address changes and when a job ends (never in a loop);
 * unavailable without a key, on an error, or when the server has no
 * GET /v1/account. */
MhAccount     *mh_application_get_account         (MhApplication *self);
gboolean       mh_application_get_demo            (MhApplication *self);
gboolean       mh_application_get_has_key         (MhApplication *self);
/* FALSE until the keyring answered ("key-checked" property). */
gboolean       mh_application_get_key_checked     (MhApplication *self);
/* Which of the key and the address come from the environment. */
gboolean       mh_application_key_from_env        (MhApplication *self);
gboolean       mh_application_base_url_from_env   (MhApplication *self);

/* Starts the simulator (once) and points a new client at it. */
gboolean       mh_application_start_demo          (MhApplication *self,
                                                   GError       **error);
/* Uses @api_key from now on (the caller stored it in the keyring). */
void           mh_application_set_api_key         (MhApplication *self,
                                                   const char    *api_key);
/* Rebuilds the client after the API address setting changed. */
void           mh_application_reload_client       (MhApplication *self);

/* The folder results of @kind go to: the setting, else Videos / Pictures. */
GFile         *mh_application_dup_output_dir      (MhApplication *self,
                                                   MhProjectKind  kind);
/* The folder a new job saves into: the output folder, "Demo" inside it in
 * the demo. */
GFile         *mh_application_dup_results_dir     (MhApplication *self,
                                                   MhProjectKind  kind);

/* The demo's simulator, or NULL (tests speed it up). */
gpointer       mh_application_get_simulator       (MhApplication *self);

/* The job history. Read once the first window has painted (before,
 * "store-loaded" is FALSE and History says it is loading); jobs interrupted last time are then
 * resumed (real mode, once a key is known) and the person is told. */
MhJobStore    *mh_application_get_store           (MhApplication *self);
gboolean       mh_application_get_store_loaded    (MhApplication *self);
const char *const *mh_application_get_store_problems (MhApplication *self);
/* Shown in the active window, or in the next window that opens. */
void           mh_application_add_toast           (MhApplication *self,
                                                   AdwToast      *toast);

/* Every job of this session, newest first (GListModel of MhJob). */
GListModel    *mh_application_get_jobs            (MhApplication *self);
/* Records @job and runs it; a notification says when it ends unfocused. */
void           mh_application_run_job             (MhApplication *self,
                                                   MhJob         *job);
/* The newest job of this session that runs (or ran) @record, or NULL. */
MhJob         *mh_application_find_job            (MhApplication *self,
                                                   MhJobRecord   *record);

/* Calls @func now, or, while the app starts, once its first window has
 * painted its first frame (slow work must not delay it); @destroy, if not
 * NULL, frees @data after the call. */
typedef void (*MhStartupFunc) (MhApplication *self,
                               gpointer       data);
void           mh_application_after_first_frame   (MhApplication  *self,
                                                   MhStartupFunc   func,
                                                   gpointer        data,
                                                   GDestroyNotify  destroy);

G_END_DECLS
