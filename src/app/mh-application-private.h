/* mh-application-private.h: what the application's parts share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-application.h"
#include "mh-simulator.h"

G_BEGIN_DECLS

typedef struct _MhStartup MhStartup;

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
  MhStartup      *startup;         /* the slow work waits for the first frame */
  gboolean        key_requested;   /* the first key lookup has begun */
};

/* The job history: mh-application-history.c */
/* Makes @store (taken) the history and reads it. */
void mh_application_set_store         (MhApplication *self,
                                       MhJobStore    *store);
/* The demo's history lives as long as the app. */
void mh_application_remove_demo_store (MhApplication *self);
/* Resumes the jobs of last time, once the history and the key are there. */
void mh_application_maybe_resume      (MhApplication *self);
/* Reads the history, unless it is read or being read. */
void mh_application_load_store        (MhApplication *self);

/* The start: mh-application-startup.c. What is slow (the keyring, the
 * history on disk, the account, the files given) waits for the first
 * window's first frame. */
/* From startup: begins the wait (and ends it from an idle if no window
 * is shown). */
void     mh_application_startup_begin     (MhApplication *self);
/* @window was just presented: its first frame ends the wait. */
void     mh_application_startup_watch     (MhApplication *self,
                                           GtkWindow     *window);
/* TRUE from startup until the first frame. */
gboolean mh_application_startup_waits     (MhApplication *self);
void     mh_application_startup_free      (MhApplication *self);
/* mh-application.c: the slow work, once the wait is over. */
void     mh_application_start_slow_work   (MhApplication *self);

G_END_DECLS
