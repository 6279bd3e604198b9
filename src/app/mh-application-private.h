/* mh-application-private.h: what the application's parts share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-application.h"
#include "mh-simulator.h"

G_BEGIN_DECLS

struct _MhApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  MhClient       *client;
  MhAccount      *account;         /* refreshed on start, a new key or address, a job's end */
  MhSimulator    *simulator;
  GListStore     *jobs;
  GCancellable   *cancellable;
  gboolean        key_checked;
  gboolean        start_demo;
  char           *start_tool;

  MhJobStore     *store;
  GPtrArray      *stores;          /* every store used, flushed at shutdown */
  char           *demo_store_path; /* removed at shutdown */
  gboolean        store_loaded;
  GStrv           store_problems;
  gboolean        resumed;         /* jobs of last time were looked at */
  GPtrArray      *pending_toasts;  /* AdwToast, for the next window */
  guint           n_running;       /* jobs whose run has not returned */
  guint           signal_ids[3];   /* SIGINT, SIGTERM, SIGHUP: quit */
};

/* The job history: mh-application-history.c */
/* Makes @store (taken) the history and reads it. */
void mh_application_set_store         (MhApplication *self,
                                       MhJobStore    *store);
/* The demo's history lives as long as the app. */
void mh_application_remove_demo_store (MhApplication *self);
/* Resumes the jobs of last time, once the history and the key are there. */
void mh_application_maybe_resume      (MhApplication *self);

G_END_DECLS
