/* sim-test-http.h: talking to the simulator in its tests
 *
 * A simulator on loopback and a plain SoupSession on the same main context,
 * requests sent and answered by iterating the context, and the steps the
 * tests share (upload a file, create a project, read a project).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "mh-simulator.h"
#include "mh-test-util.h"

G_BEGIN_DECLS

#define KEY "mhk_live_test"

typedef struct
{
  MhSimulator *sim;
  SoupSession *session;
  char        *tmp;       /* a folder removed with the fixture, if set */
} Fixture;

typedef struct
{
  SoupMessage *msg;
  guint        status;
  GBytes      *body;
  GError      *error;
  JsonNode    *json;
  double       elapsed;
} Reply;

void
reply_free (Reply *reply);

Fixture *
fixture_new (void);

void
fixture_free (Fixture *f);

void
spin_ms (guint ms);

void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data);

Reply *
send_message (Fixture     *f,
              SoupMessage *msg);

SoupMessage *
new_message (Fixture    *f,
             const char *method,
             const char *path_or_url,
             const char *key,
             const char *json);

Reply *
api (Fixture    *f,
     const char *method,
     const char *path,
     const char *json);

Reply *
plain (Fixture    *f,
       const char *method,
       const char *url);

Reply *
put_bytes (Fixture    *f,
           const char *url,
           const char *data);

JsonObject *
reply_object (Reply *reply);

void
assert_error_reply (Reply *reply,
                    guint  status);

char *
checksum_of (const guint8 *data,
             gsize         len);

char *
upload (Fixture    *f,
        const char *type,
        const char *extension,
        gsize       len);

char *
create_talking_photo (Fixture *f);

char *
create_headshot (Fixture *f);

Reply *
get_project (Fixture    *f,
             const char *kind,
             const char *id);

const char *
first_download_url (Reply *project);

MhSimRequest *
last_request (Fixture *f);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fixture, fixture_free)

G_END_DECLS
