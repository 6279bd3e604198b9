/* mh-simulator.c: a local simulator of the Magic Hour API
 *
 * The GObject: its properties, its life cycle (start, stop) and the public
 * API of mh-simulator.h. The work is done in the mh-sim-*.c files (see
 * mh-sim-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mh-sim-private.h"

G_DEFINE_FINAL_TYPE (MhSimulator, mh_simulator, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RENDER_SECONDS,
  PROP_REQUIRED_KEY,
  PROP_CREDITS,
  PROP_TIER,
  PROP_OUTPUT_BYTES,
  PROP_UPLOAD_URL_LIFETIME,
  PROP_UPLOAD_KEEP_BYTES,
  PROP_DOWNLOAD_URL_LIFETIME,
  PROP_PAST_DUE,
  PROP_NO_ACCOUNT,
  PROP_LEGACY_ERRORS,
  PROP_FACES,
  PROP_LIBRARY_DIR,
  PROP_STORAGE_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
sim_notify_credits (MhSimulator *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREDITS]);
}

/* ------------------------------------------------------------------------ */
/* Small helpers                                                            */

void
sim_fault_clear (SimFault *fault)
{
  g_clear_pointer (&fault->text, g_free);
  g_clear_pointer (&fault->error_code, g_free);
}

void
sim_fault_free (SimFault *fault)
{
  sim_fault_clear (fault);
  g_free (fault);
}

static void
fault_queue_free (GQueue *queue)
{
  g_queue_free_full (queue, (GDestroyNotify) sim_fault_free);
}

static void
upload_slot_free (UploadSlot *slot)
{
  g_free (slot->file_path);
  g_free (slot->signature);
  g_free (slot);
}

static void
upload_record_free (UploadRecord *record)
{
  g_free (record->sha256);
  g_clear_pointer (&record->head, g_bytes_unref);
  g_free (record);
}

void
sim_download_grant_free (DownloadGrant *grant)
{
  g_free (grant->signature);
  g_free (grant->name);
  g_free (grant);
}

static void
sim_project_free (SimProject *project)
{
  g_free (project->id);
  g_free (project->name);
  g_free (project->error_code);
  g_free (project->download_name);
  g_free (project->download_url);
  g_ptr_array_unref (project->grants);
  g_free (project);
}

static void
sim_request_clear (gpointer data)
{
  MhSimRequest *req = data;

  g_free (req->method);
  g_free (req->path);
  g_free (req->query);
  g_free (req->authorization);
  g_free (req->content_type);
  g_free (req->body_sha256);
  g_clear_pointer (&req->json, json_node_unref);
  g_free (req->endpoint);
}

void
sim_request_unref (gpointer data)
{
  g_rc_box_release_full (data, sim_request_clear);
}

char *
sim_random_string (MhSimulator *self,
                   const char  *alphabet,
                   guint        len)
{
  gsize n = strlen (alphabet);
  char *s = g_malloc (len + 1);

  for (guint i = 0; i < len; i++)
    s[i] = alphabet[g_rand_int_range (self->rand, 0, n)];
  s[len] = '\0';

  return s;
}

/* Something that looks like a cuid: "c" and 24 lower-case letters or digits. */
char *
sim_new_cuid (MhSimulator *self)
{
  g_autofree char *tail = sim_random_string (self, "abcdefghijklmnopqrstuvwxyz0123456789", 24);

  return g_strconcat ("c", tail, NULL);
}

char *
sim_sign (MhSimulator *self,
          const char  *what,
          gint64       expires)
{
  g_autoptr(GHmac) hmac = g_hmac_copy (self->hmac);
  g_autofree char *data = g_strdup_printf ("%s\n%" G_GINT64_FORMAT, what, expires);

  g_hmac_update (hmac, (const guchar *) data, -1);

  return g_strdup (g_hmac_get_string (hmac));
}

char *
sim_format_iso8601 (gint64 real_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (real_us / G_USEC_PER_SEC);
  g_autofree char *base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, (int) ((real_us % G_USEC_PER_SEC) / 1000));
}

/* g_set_str() is GLib 2.76. */
static gboolean
set_str (char       **target,
         const char  *value)
{
  if (g_strcmp0 (*target, value) == 0)
    return FALSE;

  g_free (*target);
  *target = g_strdup (value);
  return TRUE;
}
/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
detach_exchanges (MhSimulator *self)
{
  g_autoptr(GList) list = g_hash_table_get_keys (self->exchanges);

  g_hash_table_remove_all (self->exchanges);
  for (GList *l = list; l != NULL; l = l->next)
    {
      SimExchange *ex = l->data;

      ex->self = NULL;
      ex->gone = TRUE;
    }
  /* Removing the sources drops their message references: done apart, as it
   * may free exchanges. */
  for (GList *l = list; l != NULL; l = l->next)
    {
      SimExchange *ex = l->data;
      GSource *source = g_steal_pointer (&ex->source);

      if (source != NULL)
        {
          g_source_destroy (source);
          g_source_unref (source);
        }
    }
}

void
mh_simulator_stop (MhSimulator *self)
{
  g_return_if_fail (MH_IS_SIMULATOR (self));

  if (self->server != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->server, self);
      soup_server_disconnect (self->server);
    }
  detach_exchanges (self);
  g_clear_object (&self->server);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
}

static void
mh_simulator_dispose (GObject *object)
{
  MhSimulator *self = MH_SIMULATOR (object);

  mh_simulator_stop (self);

  G_OBJECT_CLASS (mh_simulator_parent_class)->dispose (object);
}

static void
mh_simulator_finalize (GObject *object)
{
  MhSimulator *self = MH_SIMULATOR (object);

  g_clear_pointer (&self->hmac, g_hmac_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->required_key, g_free);
  g_clear_pointer (&self->tier, g_free);
  g_clear_pointer (&self->faults, g_hash_table_unref);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  g_clear_pointer (&self->upload_slots, g_hash_table_unref);
  g_clear_pointer (&self->uploads, g_hash_table_unref);
  g_clear_pointer (&self->projects, g_hash_table_unref);
  g_clear_pointer (&self->exchanges, g_hash_table_unref);
  g_clear_pointer (&self->detections, g_hash_table_unref);
  g_clear_pointer (&self->library_dir, g_free);
  g_clear_pointer (&self->library, g_ptr_array_unref);
  g_clear_pointer (&self->storage_url, g_free);

  G_OBJECT_CLASS (mh_simulator_parent_class)->finalize (object);
}

static void
mh_simulator_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MhSimulator *self = MH_SIMULATOR (object);

  switch (prop_id)
    {
    case PROP_RENDER_SECONDS:
      g_value_set_double (value, self->render_seconds);
      break;
    case PROP_REQUIRED_KEY:
      g_value_set_string (value, self->required_key);
      break;
    case PROP_CREDITS:
      sim_settle_projects (self);
      g_value_set_int64 (value, self->credits);
      break;
    case PROP_TIER:
      g_value_set_string (value, self->tier);
      break;
    case PROP_OUTPUT_BYTES:
      g_value_set_uint64 (value, self->output_bytes);
      break;
    case PROP_UPLOAD_URL_LIFETIME:
      g_value_set_double (value, self->upload_url_lifetime);
      break;
    case PROP_UPLOAD_KEEP_BYTES:
      g_value_set_uint64 (value, self->upload_keep_bytes);
      break;
    case PROP_DOWNLOAD_URL_LIFETIME:
      g_value_set_double (value, self->download_url_lifetime);
      break;
    case PROP_PAST_DUE:
      g_value_set_boolean (value, self->past_due);
      break;
    case PROP_NO_ACCOUNT:
      g_value_set_boolean (value, self->no_account);
      break;
    case PROP_LEGACY_ERRORS:
      g_value_set_boolean (value, self->legacy_errors);
      break;
    case PROP_FACES:
      g_value_set_uint (value, self->faces);
      break;
    case PROP_LIBRARY_DIR:
      g_value_set_string (value, self->library_dir);
      break;
    case PROP_STORAGE_URL:
      g_value_set_string (value, self->storage_url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_simulator_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MhSimulator *self = MH_SIMULATOR (object);
  gboolean changed = FALSE;

  switch (prop_id)
    {
    case PROP_RENDER_SECONDS:
      changed = self->render_seconds != g_value_get_double (value);
      self->render_seconds = g_value_get_double (value);
      break;
    case PROP_REQUIRED_KEY:
      changed = set_str (&self->required_key, g_value_get_string (value));
      break;
    case PROP_CREDITS:
      changed = self->credits != g_value_get_int64 (value);
      self->credits = g_value_get_int64 (value);
      break;
    case PROP_TIER:
      changed = set_str (&self->tier, g_value_get_string (value) != NULL ?
                                        g_value_get_string (value) : "creator");
      break;
    case PROP_OUTPUT_BYTES:
      changed = self->output_bytes != g_value_get_uint64 (value);
      self->output_bytes = g_value_get_uint64 (value);
      break;
    case PROP_UPLOAD_URL_LIFETIME:
      changed = self->upload_url_lifetime != g_value_get_double (value);
      self->upload_url_lifetime = g_value_get_double (value);
      break;
    case PROP_UPLOAD_KEEP_BYTES:
      changed = self->upload_keep_bytes != g_value_get_uint64 (value);
      self->upload_keep_bytes = g_value_get_uint64 (value);
      break;
    case PROP_DOWNLOAD_URL_LIFETIME:
      changed = self->download_url_lifetime != g_value_get_double (value);
      self->download_url_lifetime = g_value_get_double (value);
      break;
    case PROP_PAST_DUE:
      changed = self->past_due != g_value_get_boolean (value);
      self->past_due = g_value_get_boolean (value);
      break;
    case PROP_NO_ACCOUNT:
      changed = self->no_account != g_value_get_boolean (value);
      self->no_account = g_value_get_boolean (value);
      break;
    case PROP_LEGACY_ERRORS:
      changed = self->legacy_errors != g_value_get_boolean (value);
      self->legacy_errors = g_value_get_boolean (value);
      break;
    case PROP_FACES:
      changed = self->faces != g_value_get_uint (value);
      self->faces = g_value_get_uint (value);
      break;
    case PROP_LIBRARY_DIR:
      changed = set_str (&self->library_dir, g_value_get_string (value));
      if (changed)
        g_clear_pointer (&self->library, g_ptr_array_unref);
      break;
    case PROP_STORAGE_URL:
      {
        /* URLs are made by appending "/path": no trailing slash. */
        g_autofree char *url = g_strdup (g_value_get_string (value));

        if (url != NULL)
          {
            gsize len = strlen (url);

            while (len > 0 && url[len - 1] == '/')
              url[--len] = '\0';
            if (len == 0)
              g_clear_pointer (&url, g_free);
          }
        changed = set_str (&self->storage_url, url);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  if (changed)
    g_object_notify_by_pspec (object, pspec);
}

static void
mh_simulator_class_init (MhSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mh_simulator_dispose;
  object_class->finalize = mh_simulator_finalize;
  object_class->get_property = mh_simulator_get_property;
  object_class->set_property = mh_simulator_set_property;

  properties[PROP_RENDER_SECONDS] =
    g_param_spec_double ("render-seconds", NULL, NULL, 0, G_MAXDOUBLE, 20,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REQUIRED_KEY] =
    g_param_spec_string ("required-key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREDITS] =
    g_param_spec_int64 ("credits", NULL, NULL, G_MININT64, G_MAXINT64, 1000000,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIER] =
    g_param_spec_string ("tier", NULL, NULL, "creator",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTPUT_BYTES] =
    g_param_spec_uint64 ("output-bytes", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPLOAD_URL_LIFETIME] =
    g_param_spec_double ("upload-url-lifetime", NULL, NULL, 0, G_MAXDOUBLE, 900,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPLOAD_KEEP_BYTES] =
    g_param_spec_uint64 ("upload-keep-bytes", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOWNLOAD_URL_LIFETIME] =
    g_param_spec_double ("download-url-lifetime", NULL, NULL, 0, G_MAXDOUBLE, 86400,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAST_DUE] =
    g_param_spec_boolean ("past-due", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NO_ACCOUNT] =
    g_param_spec_boolean ("no-account", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LEGACY_ERRORS] =
    g_param_spec_boolean ("legacy-errors", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FACES] =
    g_param_spec_uint ("faces", NULL, NULL, 0, 64, 1,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIBRARY_DIR] =
    g_param_spec_string ("library-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORAGE_URL] =
    g_param_spec_string ("storage-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mh_simulator_init (MhSimulator *self)
{
  guint32 seed[4];
  guint8 secret[32];

  for (guint i = 0; i < G_N_ELEMENTS (seed); i++)
    seed[i] = g_random_int ();
  self->rand = g_rand_new_with_seed_array (seed, G_N_ELEMENTS (seed));
  for (guint i = 0; i < sizeof secret; i++)
    secret[i] = g_rand_int_range (self->rand, 0, 256);
  self->hmac = g_hmac_new (G_CHECKSUM_SHA256, secret, sizeof secret);

  self->render_seconds = 20;
  self->credits = 1000000;
  self->tier = g_strdup ("creator");
  self->upload_url_lifetime = 900;
  self->download_url_lifetime = 86400;

  self->faults = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) fault_queue_free);
  self->requests = g_ptr_array_new_with_free_func (sim_request_unref);
  self->upload_slots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) upload_slot_free);
  self->uploads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) upload_record_free);
  self->projects = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) sim_project_free);
  self->exchanges = g_hash_table_new (NULL, NULL);
  self->faces = 1;
  self->detections = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) sim_detection_free);
}

/* ------------------------------------------------------------------------ */
/* Public API                                                               */

MhSimulator *
mh_simulator_new (void)
{
  return g_object_new (MH_TYPE_SIMULATOR, NULL);
}

gboolean
mh_simulator_start (MhSimulator  *self,
                    guint         port,
                    GError      **error)
{
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;

  g_return_val_if_fail (MH_IS_SIMULATOR (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, port);

  /* raw-paths: a hostile download name such as "..%2Fevil" must reach the
   * handler as it is instead of being refused by libsoup's own check. */
  self->server = soup_server_new ("server-header", "mh-simulator ",
                                  "raw-paths", TRUE,
                                  NULL);
  soup_server_add_handler (self->server, NULL, sim_server_handler, self, NULL);
  g_signal_connect_object (self->server, "request-started",
                           G_CALLBACK (sim_server_request_started), self, 0);

  /* libsoup's own listener, not soup_server_accept_iostream(): in libsoup
   * 3.2 a connection handed over as a stream is closed after one response
   * without a "Connection: close", so a client reusing it (as every HTTP
   * client does) hits a dead connection, which would make a create
   * ambiguous. The listener keeps connections alive like the real API. */
  self->context = g_main_context_ref_thread_default ();
  if (!soup_server_listen (self->server, address, 0, error))
    {
      g_clear_object (&self->server);
      g_clear_pointer (&self->context, g_main_context_unref);
      return FALSE;
    }

  /* The port the kernel chose, from the listening socket itself: libsoup
   * 3.2's soup_server_get_uris() keeps an address in each listener that it
   * never frees (LeakSanitizer reports it once per simulator). */
  {
    GSList *listeners = soup_server_get_listeners (self->server);

    effective = g_socket_get_local_address (listeners->data, error);
    g_slist_free (listeners);
    if (effective == NULL)
      {
        soup_server_disconnect (self->server);
        g_clear_object (&self->server);
        g_clear_pointer (&self->context, g_main_context_unref);
        return FALSE;
      }
  }

  self->base_url = g_strdup_printf ("http://127.0.0.1:%u",
                                    g_inet_socket_address_get_port (
                                      G_INET_SOCKET_ADDRESS (effective)));

  return TRUE;
}

const char *
mh_simulator_get_base_url (MhSimulator *self)
{
  g_return_val_if_fail (MH_IS_SIMULATOR (self), NULL);

  return self->base_url;
}

void
mh_simulator_set_render_seconds (MhSimulator *self,
                                 double       seconds)
{
  g_return_if_fail (MH_IS_SIMULATOR (self));

  g_object_set (self, "render-seconds", seconds, NULL);
}

void
mh_simulator_set_required_key (MhSimulator *self,
                               const char  *key)
{
  g_return_if_fail (MH_IS_SIMULATOR (self));

  g_object_set (self, "required-key", key, NULL);
}

void
mh_simulator_set_output_bytes (MhSimulator *self,
                               guint64      bytes)
{
  g_return_if_fail (MH_IS_SIMULATOR (self));

  g_object_set (self, "output-bytes", bytes, NULL);
}

GPtrArray *
mh_simulator_get_requests (MhSimulator *self)
{
  g_return_val_if_fail (MH_IS_SIMULATOR (self), NULL);

  return self->requests;
}

guint
mh_simulator_count_requests (MhSimulator *self,
                             const char  *endpoint)
{
  guint n = 0;

  g_return_val_if_fail (MH_IS_SIMULATOR (self), 0);

  for (guint i = 0; i < self->requests->len; i++)
    {
      MhSimRequest *req = g_ptr_array_index (self->requests, i);

      if (endpoint == NULL || g_strcmp0 (req->endpoint, endpoint) == 0)
        n++;
    }

  return n;
}

void
mh_simulator_clear_requests (MhSimulator *self)
{
  g_return_if_fail (MH_IS_SIMULATOR (self));

  g_ptr_array_set_size (self->requests, 0);
}

guint
mh_simulator_count_projects (MhSimulator *self)
{
  g_return_val_if_fail (MH_IS_SIMULATOR (self), 0);

  return g_hash_table_size (self->projects);
}

gboolean
mh_simulator_lookup_upload (MhSimulator  *self,
                            const char   *file_path,
                            guint64      *size,
                            char        **sha256)
{
  UploadRecord *record;

  g_return_val_if_fail (MH_IS_SIMULATOR (self), FALSE);
  g_return_val_if_fail (file_path != NULL, FALSE);

  record = g_hash_table_lookup (self->uploads, file_path);
  if (record == NULL)
    return FALSE;

  if (size != NULL)
    *size = record->size;
  if (sha256 != NULL)
    *sha256 = g_strdup (record->sha256);

  return TRUE;
}

double
mh_simulator_get_upload_seconds (MhSimulator *self,
                                 const char  *file_path)
{
  UploadRecord *record;

  g_return_val_if_fail (MH_IS_SIMULATOR (self), -1);
  g_return_val_if_fail (file_path != NULL, -1);

  record = g_hash_table_lookup (self->uploads, file_path);
  return record != NULL ? record->seconds : -1;
}

GBytes *
mh_simulator_dup_upload_head (MhSimulator *self,
                              const char  *file_path)
{
  UploadRecord *record;

  g_return_val_if_fail (MH_IS_SIMULATOR (self), NULL);
  g_return_val_if_fail (file_path != NULL, NULL);

  record = g_hash_table_lookup (self->uploads, file_path);
  return record != NULL && record->head != NULL ? g_bytes_ref (record->head) : NULL;
}

char *
mh_simulator_dup_output_sha256 (MhSimulator *self,
                                const char  *project_id,
                                guint64     *size)
{
  SimProject *project;
  g_autoptr(MhSimOutput) output = NULL;

  g_return_val_if_fail (MH_IS_SIMULATOR (self), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  project = g_hash_table_lookup (self->projects, project_id);
  if (project == NULL)
    return NULL;

  output = mh_sim_output_new (project->tool->image ? MH_SIM_MEDIA_PNG : MH_SIM_MEDIA_MP4,
                              project->output_bytes);
  if (size != NULL)
    *size = mh_sim_output_get_size (output);

  return mh_sim_output_compute_sha256 (output);
}

const char *
mh_simulator_get_project_resolution (MhSimulator *self,
                                     const char  *project_id)
{
  SimProject *project;

  g_return_val_if_fail (MH_IS_SIMULATOR (self), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  project = g_hash_table_lookup (self->projects, project_id);

  return project != NULL ? project->resolution : NULL;
}

void
mh_simulator_finish_project_now (MhSimulator *self,
                                 const char  *project_id)
{
  SimProject *project;

  g_return_if_fail (MH_IS_SIMULATOR (self));
  g_return_if_fail (project_id != NULL);

  project = g_hash_table_lookup (self->projects, project_id);
  if (project == NULL)
    return;

  project->created_mono_us = MIN (project->created_mono_us,
                                  g_get_monotonic_time () - project->render_us);
  sim_settle_projects (self);
}

void
mh_simulator_expire_downloads (MhSimulator *self)
{
  GHashTableIter iter;
  SimProject *project;
  gint64 now = g_get_real_time ();

  g_return_if_fail (MH_IS_SIMULATOR (self));

  g_hash_table_iter_init (&iter, self->projects);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &project))
    for (guint i = 0; i < project->grants->len; i++)
      {
        DownloadGrant *grant = g_ptr_array_index (project->grants, i);

        grant->expires_us = MIN (grant->expires_us, now);
      }
}
