/* mh-retry.c: backoff with jitter, and a cancellable wait
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "mh-retry.h"

double
mh_retry_backoff (double base,
                  double max,
                  guint  attempt)
{
  double delay = base * pow (2.0, MIN (attempt, 30));

  if (delay > max)
    delay = max;

  return delay / 2 + g_random_double_range (0, delay / 2);
}

/* Two sources in the task's context, one for the timeout and one for the
 * cancellable: whichever fires first completes the task and removes both. */
typedef struct
{
  GSource *timeout;
  GSource *cancelled;
} SleepData;

static void
sleep_data_free (SleepData *data)
{
  /* Both are already gone once the task completed. */
  g_assert (data->timeout == NULL && data->cancelled == NULL);
  g_free (data);
}

static void
sleep_complete (GTask *task)
{
  SleepData *data = g_task_get_task_data (task);

  if (data->timeout != NULL)
    {
      g_source_destroy (data->timeout);
      g_clear_pointer (&data->timeout, g_source_unref);
    }
  if (data->cancelled != NULL)
    {
      g_source_destroy (data->cancelled);
      g_clear_pointer (&data->cancelled, g_source_unref);
    }

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static gboolean
sleep_timeout_cb (gpointer user_data)
{
  sleep_complete (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
sleep_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  sleep_complete (user_data);
  return G_SOURCE_REMOVE;
}

void
mh_sleep_async (double               seconds,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  GMainContext *context = g_task_get_context (task);
  SleepData *data = g_new0 (SleepData, 1);

  g_task_set_source_tag (task, mh_sleep_async);
  g_task_set_task_data (task, data, (GDestroyNotify) sleep_data_free);

  data->timeout = g_timeout_source_new ((guint) MAX (0.0, seconds * 1000));
  g_source_set_callback (data->timeout, sleep_timeout_cb, task, NULL);
  g_source_attach (data->timeout, context);

  if (cancellable != NULL)
    {
      data->cancelled = g_cancellable_source_new (cancellable);
      g_source_set_callback (data->cancelled, G_SOURCE_FUNC (sleep_cancelled_cb), task, NULL);
      g_source_attach (data->cancelled, context);
    }
}

gboolean
mh_sleep_finish (GAsyncResult  *result,
                 GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
