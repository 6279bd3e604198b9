/* mh-client-private.h: what the client's setup and its calls share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mh-client.h"

G_BEGIN_DECLS

/* An API answer larger than this is not an API answer. */
#define MAX_JSON_BYTES MH_JSON_MAX_BYTES
/* The longest one request may take, its answer read whole: a server that
 * trickles its answer is given up on as one that says nothing. */
#define CALL_DEADLINE_SECONDS 60.0

struct _MhClient
{
  GObject      parent_instance;

  char        *base_url;
  gboolean     loopback;
  gboolean     secure;
  char        *api_key;
  MhKeySource  key_source;
  GError      *keyring_error;  /* why the last look-up in the keyring failed */
  SoupSession *session;

  guint        max_attempts;
  double       base_delay;
  double       max_delay;
  double       poll_scale;
  double       deadline;
  double       transfer_timeout;

  guint        gets_sent;
  guint        posts_sent;
  guint        deletes_sent;
};

G_END_DECLS
