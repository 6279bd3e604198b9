/* mh-sim-faults.c: the simulator's fault injection
 *
 * Queues of faults per endpoint (mh_simulator_add_fault() and its string
 * form for `simulator --fault`), and how a request takes its fault.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mh-sim-private.h"

/* Takes the next fault of @endpoint's queue, if any. */
gboolean
sim_take_fault (MhSimulator *self,
                const char  *endpoint,
                SimFault    *out)
{
  GQueue *queue;
  SimFault *fault;

  if (endpoint == NULL)
    return FALSE;

  queue = g_hash_table_lookup (self->faults, endpoint);
  if (queue == NULL || g_queue_is_empty (queue))
    return FALSE;

  fault = g_queue_peek_head (queue);
  out->kind = fault->kind;
  out->code = fault->code;
  out->text = g_strdup (fault->text);
  out->error_code = g_strdup (fault->error_code);
  out->remaining = 1;

  if (--fault->remaining == 0)
    sim_fault_free (g_queue_pop_head (queue));

  return TRUE;
}

gboolean
sim_exchange_has_fault (SimExchange    *ex,
                        MhSimFaultKind  kind)
{
  return ex->has_fault && ex->fault.kind == kind;
}

static SimFault *
add_fault (MhSimulator    *self,
           const char     *endpoint,
           MhSimFaultKind  kind,
           guint           count,
           int             code,
           const char     *text)
{
  GQueue *queue;
  SimFault *fault;

  queue = g_hash_table_lookup (self->faults, endpoint);
  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (self->faults, g_strdup (endpoint), queue);
    }

  fault = g_new0 (SimFault, 1);
  fault->kind = kind;
  fault->remaining = count;
  fault->code = code;
  fault->text = g_strdup (text);
  g_queue_push_tail (queue, fault);

  return fault;
}

void
mh_simulator_add_fault (MhSimulator    *self,
                        const char     *endpoint,
                        MhSimFaultKind  kind,
                        guint           count,
                        int             code,
                        const char     *text)
{
  g_return_if_fail (MH_IS_SIMULATOR (self));
  g_return_if_fail (endpoint != NULL);

  if (count == 0)
    return;

  add_fault (self, endpoint, kind, count, code, text);
}

void
mh_simulator_add_status_fault (MhSimulator *self,
                               const char  *endpoint,
                               guint        count,
                               guint        status,
                               const char  *error_code,
                               const char  *message)
{
  SimFault *fault;

  g_return_if_fail (MH_IS_SIMULATOR (self));
  g_return_if_fail (endpoint != NULL);
  g_return_if_fail (status >= 100 && status <= 599);

  if (count == 0)
    return;

  fault = add_fault (self, endpoint, MH_SIM_FAULT_STATUS, count, (int) status, message);
  fault->error_code = g_strdup (error_code);
}

gboolean
mh_simulator_add_fault_from_string (MhSimulator  *self,
                                    const char   *spec,
                                    GError      **error)
{
  static const char *const endpoints[] = {
    MH_SIM_ENDPOINT_UPLOAD_URLS, MH_SIM_ENDPOINT_UPLOAD, MH_SIM_ENDPOINT_CREATE,
    MH_SIM_ENDPOINT_PROJECT, MH_SIM_ENDPOINT_DELETE, MH_SIM_ENDPOINT_DOWNLOAD,
    MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_ENDPOINT_FACE_DETECTION,
    MH_SIM_ENDPOINT_FACE_STATUS, MH_SIM_ENDPOINT_FACE_CROP,
    MH_SIM_ENDPOINT_SAVED_ITEMS, MH_SIM_ENDPOINT_SAVED_ITEM_FILE, NULL
  };
  static const struct { const char *name; MhSimFaultKind kind; } kinds[] = {
    { "status", MH_SIM_FAULT_STATUS },
    { "drop", MH_SIM_FAULT_DROP },
    { "malformed", MH_SIM_FAULT_MALFORMED },
    { "slow", MH_SIM_FAULT_SLOW },
    { "expired-url", MH_SIM_FAULT_EXPIRED_URL },
    { "render-error", MH_SIM_FAULT_RENDER_ERROR },
    { "hostile-name", MH_SIM_FAULT_HOSTILE_NAME },
    { "canceled", MH_SIM_FAULT_CANCELED },
    { "stall", MH_SIM_FAULT_STALL },
    { "downloads", MH_SIM_FAULT_DOWNLOADS },
    { "download-url", MH_SIM_FAULT_DOWNLOAD_URL },
    { "template", MH_SIM_FAULT_TEMPLATE },
    { "expiring", MH_SIM_FAULT_EXPIRING },
  };
  g_auto(GStrv) parts = NULL;
  guint n_parts;
  gboolean found = FALSE;
  MhSimFaultKind kind = MH_SIM_FAULT_STATUS;
  guint64 count = 1;
  gint64 code = 0;
  const char *text = NULL;
  g_auto(GStrv) status_parts = NULL;
  const char *error_code = NULL;

  g_return_val_if_fail (MH_IS_SIMULATOR (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  parts = g_strsplit (spec, ":", 4);
  n_parts = g_strv_length (parts);
  if (n_parts < 2)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Invalid fault “%s”: expected ENDPOINT:KIND[:COUNT[:ARG]]", spec);
      return FALSE;
    }

  if (!g_strv_contains (endpoints, parts[0]))
    {
      g_autofree char *valid = g_strjoinv (", ", (char **) endpoints);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Invalid fault endpoint “%s”: expected one of %s", parts[0], valid);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (parts[1], kinds[i].name))
      {
        kind = kinds[i].kind;
        found = TRUE;
      }
  if (!found)
    {
      g_autoptr(GString) valid = g_string_new (NULL);

      for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        g_string_append_printf (valid, "%s%s", i > 0 ? ", " : "", kinds[i].name);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Invalid fault kind “%s”: expected one of %s", parts[1], valid->str);
      return FALSE;
    }

  if (n_parts >= 3 && *parts[2] != '\0' &&
      (!g_ascii_string_to_unsigned (parts[2], 10, 1, G_MAXUINT, &count, NULL)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Invalid fault count “%s”", parts[2]);
      return FALSE;
    }

  if (n_parts >= 4)
    {
      switch (kind)
        {
        case MH_SIM_FAULT_STATUS:
          /* STATUS[:CODE[:MESSAGE]] */
          status_parts = g_strsplit (parts[3], ":", 3);
          if (status_parts[0] == NULL ||
              !g_ascii_string_to_signed (status_parts[0], 10, 100, 599, &code, NULL))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Invalid status code “%s”", parts[3]);
              return FALSE;
            }
          if (status_parts[0] != NULL && status_parts[1] != NULL && *status_parts[1] != '\0')
            error_code = status_parts[1];
          if (status_parts[0] != NULL && status_parts[1] != NULL && status_parts[2] != NULL)
            text = status_parts[2];
          break;
        case MH_SIM_FAULT_EXPIRING:
          if (!g_ascii_string_to_signed (parts[3], 10, 0, G_MAXINT, &code, NULL))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Invalid number of seconds “%s”", parts[3]);
              return FALSE;
            }
          break;
        case MH_SIM_FAULT_SLOW:
          if (!g_ascii_string_to_signed (parts[3], 10, 0, G_MAXINT, &code, NULL))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Invalid delay “%s” (milliseconds)", parts[3]);
              return FALSE;
            }
          break;
        case MH_SIM_FAULT_STALL:
        case MH_SIM_FAULT_DOWNLOADS:
          if (!g_ascii_string_to_signed (parts[3], 10, 0, G_MAXINT, &code, NULL))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Invalid number “%s”", parts[3]);
              return FALSE;
            }
          break;
        case MH_SIM_FAULT_DROP:
        case MH_SIM_FAULT_MALFORMED:
        case MH_SIM_FAULT_EXPIRED_URL:
        case MH_SIM_FAULT_RENDER_ERROR:
        case MH_SIM_FAULT_HOSTILE_NAME:
        case MH_SIM_FAULT_CANCELED:
        case MH_SIM_FAULT_TEMPLATE:
        default:
          text = parts[3];
          break;
        }
    }
  else if (kind == MH_SIM_FAULT_STATUS)
    code = SOUP_STATUS_SERVICE_UNAVAILABLE;
  else if (kind == MH_SIM_FAULT_SLOW)
    code = 2000;
  else if (kind == MH_SIM_FAULT_STALL)
    code = -1;
  else if (kind == MH_SIM_FAULT_DOWNLOADS)
    code = 2;
  else if (kind == MH_SIM_FAULT_EXPIRING)
    code = 30;

  if (kind == MH_SIM_FAULT_STATUS)
    mh_simulator_add_status_fault (self, parts[0], (guint) count, (guint) code, error_code, text);
  else
    mh_simulator_add_fault (self, parts[0], kind, (guint) count, (int) code, text);

  return TRUE;
}

void
mh_simulator_clear_faults (MhSimulator *self)
{
  g_return_if_fail (MH_IS_SIMULATOR (self));

  g_hash_table_remove_all (self->faults);
}
