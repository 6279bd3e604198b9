/* ui-stall.c: does the main loop stall while the app moves a gigabyte?
 *
 * Opens the app's window, runs a lip-sync job with a 1 GiB (sparse) video
 * through the app's engine against the simulator (1 GiB output), shows it in
 * the window's job view, and measures how late the main loop gets: a 5 ms
 * timeout records every dispatch, and a tick callback keeps the frame clock
 * running and records every frame. The gaps are split by what happened
 * meanwhile (the job's state).
 *
 * References, in the same process and the same window: the main loop idle
 * for a few seconds, and curl (a subprocess) doing the same PUT and GET to
 * the same simulator, so that the machine is as busy (the simulator hashes
 * every upload) but the main loop has nothing to do.
 *
 * The simulator runs in a thread of its own, as a server would be elsewhere
 * (--in-process puts it on the main loop, as in the app's demo mode).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "mh-application.h"
#include "mh-job-view.h"
#include "mh-params.h"
#include "mh-simulator.h"
#include "mh-tool-form.h"
#include "mh-window.h"

#define PERIOD_MS     5
#define TARGET_MS     16.0
#define KEY           "mhk_bench_ui_stall"

static guint64 size_bytes = G_GUINT64_CONSTANT (1) << 30;
static double idle_seconds = 3.0;
static double render_seconds;
static gboolean in_process;
static int simulator_nice;
static char *storage_url;
static char *json_path;

/* ------------------------------------------------------------------------ */
/* The measurement                                                          */

typedef struct
{
  double ms;
  double at;                  /* seconds since the stage began */
} Stall;

typedef struct
{
  const char *name;
  Stall       worst[3];       /* the longest stalls, longest first */
  GArray     *timer_stalls;   /* double ms: gap between 5 ms timeouts, minus 5 ms */
  GArray     *own_stalls;     /* the same less the time the main thread waited for a CPU */
  GArray     *frame_gaps;     /* double ms: gap between frames */
  gint64      started;
  gint64      ended;
  /* CPU seconds spent in the stage, summed over its visits */
  double      cpu_process;    /* getrusage (RUSAGE_SELF): every thread */
  double      cpu_main;       /* the main thread */
  double      cpu_sim;        /* the simulator's thread: not the app's */
} Stage;

/* CPU clocks read when the current stage was entered */
typedef struct
{
  double process;
  double main;
  double sim;
} CpuSample;

static GPtrArray *stages;     /* Stage */
static Stage *current;
static gint64 last_timer;
static gint64 last_frame;
static gint64 last_run_wait;   /* ns the main thread had waited for a CPU */
static int schedstat_fd = -1;
static CpuSample stage_cpu;
static pthread_t sim_pthread;
static gboolean have_sim_pthread;

static double
timespec_seconds (const struct timespec *ts)
{
  return ts->tv_sec + ts->tv_nsec / 1e9;
}

static double
clock_seconds (clockid_t clock)
{
  struct timespec ts;

  if (clock_gettime (clock, &ts) != 0)
    return 0;
  return timespec_seconds (&ts);
}

/* Called on the main thread (enter_stage is). */
static CpuSample
cpu_sample (void)
{
  CpuSample sample = { 0 };
  struct rusage usage;
  clockid_t sim_clock;

  if (getrusage (RUSAGE_SELF, &usage) == 0)
    sample.process = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
                     usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  sample.main = clock_seconds (CLOCK_THREAD_CPUTIME_ID);
  if (have_sim_pthread && pthread_getcpuclockid (sim_pthread, &sim_clock) == 0)
    sample.sim = clock_seconds (sim_clock);
  return sample;
}

static Stage *
stage_get (const char *name)
{
  Stage *stage;

  for (guint i = 0; i < stages->len; i++)
    {
      stage = g_ptr_array_index (stages, i);
      if (g_str_equal (stage->name, name))
        return stage;
    }

  stage = g_new0 (Stage, 1);
  stage->name = g_intern_string (name);
  stage->timer_stalls = g_array_new (FALSE, FALSE, sizeof (double));
  stage->frame_gaps = g_array_new (FALSE, FALSE, sizeof (double));
  stage->own_stalls = g_array_new (FALSE, FALSE, sizeof (double));
  g_ptr_array_add (stages, stage);
  return stage;
}

/* What the main loop does from now on; NULL: not measured. */
static void
enter_stage (const char *name)
{
  gint64 now = g_get_monotonic_time ();
  CpuSample cpu = cpu_sample ();

  if (current != NULL)
    {
      current->ended = now;
      current->cpu_process += cpu.process - stage_cpu.process;
      current->cpu_main += cpu.main - stage_cpu.main;
      current->cpu_sim += cpu.sim - stage_cpu.sim;
    }
  stage_cpu = cpu;
  current = name != NULL ? stage_get (name) : NULL;
  if (current != NULL && current->started == 0)
    current->started = now;
  /* A gap belongs to one stage: start afresh. */
  last_timer = 0;
  last_frame = 0;
}

/* How long the main thread has been runnable without a CPU, in ns: on a
 * loaded machine, a share of every stall that is not the app's. -1: not
 * known (no /proc/thread-self/schedstat). */
static gint64
run_queue_wait (void)
{
  char buf[128];
  gssize n;
  guint64 run = 0, wait = 0;

  if (schedstat_fd < 0)
    return -1;
  n = pread (schedstat_fd, buf, sizeof buf - 1, 0);
  if (n <= 0)
    return -1;
  buf[n] = '\0';
  if (sscanf (buf, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &run, &wait) != 2)
    return -1;
  return (gint64) wait;
}

static gboolean
timer_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 run_wait = run_queue_wait ();

  if (current != NULL && last_timer != 0)
    {
      double stall = MAX (0.0, (now - last_timer) / 1000.0 - PERIOD_MS);
      double own = run_wait >= 0 && last_run_wait >= 0
                   ? MAX (0.0, stall - (run_wait - last_run_wait) / 1e6) : stall;

      g_array_append_val (current->timer_stalls, stall);
      g_array_append_val (current->own_stalls, own);
      for (guint i = 0; i < G_N_ELEMENTS (current->worst); i++)
        if (stall > current->worst[i].ms)
          {
            memmove (&current->worst[i + 1], &current->worst[i],
                     (G_N_ELEMENTS (current->worst) - i - 1) * sizeof (Stall));
            current->worst[i].ms = stall;
            current->worst[i].at = (last_timer - current->started) / 1e6;
            break;
          }
    }
  last_timer = now;
  last_run_wait = run_wait;

  return G_SOURCE_CONTINUE;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  gint64 now = g_get_monotonic_time ();

  if (current != NULL && last_frame != 0)
    {
      double gap = (now - last_frame) / 1000.0;

      g_array_append_val (current->frame_gaps, gap);
    }
  last_frame = now;

  return G_SOURCE_CONTINUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
array_max (GArray *values)
{
  double max = 0;

  for (guint i = 0; i < values->len; i++)
    max = MAX (max, g_array_index (values, double, i));
  return max;
}

static double
percentile (GArray *values,
            double  p)
{
  g_autoptr(GArray) sorted = NULL;
  guint index;

  if (values->len == 0)
    return 0;

  sorted = g_array_copy (values);
  g_array_sort (sorted, compare_doubles);
  index = (guint) MIN ((double) sorted->len - 1, p / 100.0 * sorted->len);
  return g_array_index (sorted, double, index);
}

/* ------------------------------------------------------------------------ */
/* Waiting without blocking                                                 */

typedef gboolean (*Condition) (gpointer data);

static gboolean
timeout_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for (Condition   condition,
          gpointer    data,
          double      timeout,
          const char *what)
{
  gboolean timed_out = FALSE;
  guint guard = g_timeout_add ((guint) (timeout * 1000), timeout_flag_cb, &timed_out);

  while ((condition == NULL || !condition (data)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (condition != NULL && timed_out)
    g_error ("Timed out after %.0f s waiting for %s", timeout, what);
  if (!timed_out)
    g_source_remove (guard);
}

/* The main loop runs, idle, for @seconds. */
static void
run_idle (double seconds)
{
  wait_for (NULL, NULL, seconds, "nothing");
}

/* ------------------------------------------------------------------------ */
/* The simulator                                                            */

typedef struct
{
  GMutex        lock;
  GCond         cond;
  MhSimulator  *sim;
  char         *base_url;
  char         *error;
  GMainContext *context;
  GMainLoop    *loop;
} SimThread;

static gpointer
sim_thread (gpointer data)
{
  SimThread *st = data;
  g_autoptr(GError) error = NULL;
  MhSimulator *sim;

  sim_pthread = pthread_self ();
  have_sim_pthread = TRUE;
  /* A server on another machine takes no CPU from the app: on a small
   * machine, the simulator's hashing of every byte can yield to it. */
  if (simulator_nice != 0 && setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), simulator_nice) != 0)
    g_warning ("Could not renice the simulator's thread: %s", g_strerror (errno));
  st->context = g_main_context_new ();
  g_main_context_push_thread_default (st->context);
  st->loop = g_main_loop_new (st->context, FALSE);

  sim = mh_simulator_new ();
  mh_simulator_set_render_seconds (sim, render_seconds);
  mh_simulator_set_output_bytes (sim, size_bytes);
  mh_simulator_set_required_key (sim, KEY);
  if (storage_url != NULL)
    g_object_set (sim, "storage-url", storage_url, NULL);

  g_mutex_lock (&st->lock);
  if (mh_simulator_start (sim, 0, &error))
    {
      st->sim = sim;
      st->base_url = g_strdup (mh_simulator_get_base_url (sim));
    }
  else
    st->error = g_strdup (error->message);
  g_cond_signal (&st->cond);
  g_mutex_unlock (&st->lock);

  if (st->sim != NULL)
    g_main_loop_run (st->loop);

  if (st->sim != NULL)
    mh_simulator_stop (sim);
  g_object_unref (sim);
  g_main_context_pop_thread_default (st->context);
  return NULL;
}

static gboolean
quit_loop_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------------ */
/* Files                                                                    */

/* The simulator's sample video, then a sparse tail up to @size: the app
 * reads what a file holds before it sends it and refuses zeros, and the
 * tail costs no disk. */
static char *
write_sparse (const char *dir,
              const char *name,
              guint64     size)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GBytes) sample = NULL;
  g_autoptr(GError) error = NULL;
  gsize sample_size;
  const char *data;
  int fd;

  sample = g_resources_lookup_data ("/io/github/mhstudio/MagicHourStudio/simulator/sample.mp4",
                                    G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (sample == NULL)
    g_error ("The simulator's sample video: %s", error->message);
  data = g_bytes_get_data (sample, &sample_size);

  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || write (fd, data, sample_size) != (gssize) sample_size ||
      ftruncate (fd, (off_t) MAX (size, sample_size)) != 0)
    g_error ("Could not make %s: %s", path, g_strerror (errno));
  close (fd);
  return path;
}

/* One second of 8 kHz 16-bit mono silence. */
static char *
write_wav (const char *dir)
{
  const guint32 data_bytes = 16000;
  guint8 header[44];
  g_autofree guint8 *contents = g_malloc0 (sizeof header + data_bytes);
  char *path = g_build_filename (dir, "speech.wav", NULL);
  g_autoptr(GError) error = NULL;

#define LE32(p, v) G_STMT_START { guint32 _v = (v); (p)[0] = _v; (p)[1] = _v >> 8; (p)[2] = _v >> 16; (p)[3] = _v >> 24; } G_STMT_END
#define LE16(p, v) G_STMT_START { guint16 _v = (v); (p)[0] = _v; (p)[1] = _v >> 8; } G_STMT_END
  memcpy (header, "RIFF", 4);
  LE32 (header + 4, 36 + data_bytes);
  memcpy (header + 8, "WAVEfmt ", 8);
  LE32 (header + 16, 16);
  LE16 (header + 20, 1);
  LE16 (header + 22, 1);
  LE32 (header + 24, 8000);
  LE32 (header + 28, 16000);
  LE16 (header + 32, 2);
  LE16 (header + 34, 16);
  memcpy (header + 36, "data", 4);
  LE32 (header + 40, data_bytes);
  memcpy (contents, header, sizeof header);

  if (!g_file_set_contents (path, (char *) contents, sizeof header + data_bytes, &error))
    g_error ("%s", error->message);
  return path;
}

/* ------------------------------------------------------------------------ */
/* curl, the reference                                                      */

typedef struct
{
  gboolean  done;
  int       status;
  char     *out;
  char     *err;
} Run;

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Run *run = data;
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->out, &run->err, &error))
    g_error ("%s", error->message);
  run->status = g_subprocess_get_if_exited (G_SUBPROCESS (source))
                ? g_subprocess_get_exit_status (G_SUBPROCESS (source)) : -1;
  run->done = TRUE;
}

static gboolean
run_done (gpointer data)
{
  return ((Run *) data)->done;
}

/* Runs @argv while the main loop goes on; returns its standard output. */
static char *
run_command (const char *const *argv,
             const char        *stage)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  if (process == NULL)
    g_error ("%s: %s", argv[0], error->message);
  if (stage != NULL)
    enter_stage (stage);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, run_done_cb, &run);
  wait_for (run_done, &run, 600, argv[0]);
  if (stage != NULL)
    enter_stage (NULL);
  if (run.status != 0)
    g_error ("%s exited %d: %s", argv[0], run.status, run.err);
  g_free (run.err);
  return run.out;
}

static JsonNode *
api (const char *base_url,
     const char *method,
     const char *path,
     const char *body)
{
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  const char *argv[] = {
    "curl", "-sS", "--fail-with-body", "-X", method,
    "-H", "Authorization: Bearer " KEY, "-H", "Content-Type: application/json",
    body != NULL ? "-d" : url, body != NULL ? body : NULL, body != NULL ? url : NULL, NULL
  };
  g_autofree char *out = run_command (argv, NULL);
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (out, &error);

  if (node == NULL)
    g_error ("%s %s: %s", method, path, error != NULL ? error->message : "empty answer");
  return node;
}

/* ------------------------------------------------------------------------ */
/* The app's job                                                            */

static void
job_state_cb (MhJob *job)
{
  switch (mh_job_get_state (job))
    {
    case MH_JOB_STATE_UPLOADING:
      enter_stage ("app-upload");
      break;
    case MH_JOB_STATE_DOWNLOADING:
      enter_stage ("app-download");
      break;
    case MH_JOB_STATE_CREATING:
    case MH_JOB_STATE_QUEUED:
    case MH_JOB_STATE_RENDERING:
      enter_stage ("app-waiting");
      break;
    default:
      enter_stage (NULL);
      break;
    }
}

static gboolean
job_finished (gpointer job)
{
  return mh_job_state_is_finished (mh_job_get_state (job));
}

static gboolean
key_checked (gpointer app)
{
  return mh_application_get_key_checked (app) && mh_application_get_has_key (app);
}

/* ------------------------------------------------------------------------ */

/* CPU of the app (every thread but the simulator's) and of its main
 * thread, in % of one core over the stage. */
static double
cpu_percent (Stage  *stage,
             double  seconds)
{
  return seconds > 0 ? 100.0 * (stage->cpu_process - stage->cpu_sim) / seconds : 0;
}

static void
print_row (const char *what,
           Stage      *stage,
           Stage      *curl,
           Stage      *ui)
{
  double max = array_max (stage->timer_stalls);
  double seconds = (stage->ended - stage->started) / 1e6;
  g_autofree char *ratio_curl = NULL;
  g_autofree char *ratio_ui = NULL;

  if (stage->timer_stalls->len == 0)
    {
      g_print ("| %s | – | – | – | – | – | – | – | 0 | – | – | – |\n", what);
      return;
    }

  ratio_curl = curl != NULL && curl->timer_stalls->len > 0
               ? g_strdup_printf ("%.1f", max / MAX (array_max (curl->timer_stalls), 1.0)) : g_strdup ("–");
  ratio_ui = ui != NULL && ui->timer_stalls->len > 0
             ? g_strdup_printf ("%.1f", max / MAX (array_max (ui->timer_stalls), 1.0)) : g_strdup ("–");

  g_print ("| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.0f | %.0f | %u | %s | %s | %s |\n",
           what, seconds, max, array_max (stage->own_stalls), percentile (stage->timer_stalls, 99),
           array_max (stage->frame_gaps), cpu_percent (stage, seconds),
           seconds > 0 ? 100.0 * stage->cpu_main / seconds : 0,
           stage->timer_stalls->len, ratio_curl, ratio_ui,
           max < TARGET_MS ? "yes" : "**no**");
}

static void
print_worst (const char *what,
             Stage      *stage)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (stage->worst) && stage->worst[i].ms > 0; i++)
    g_string_append_printf (line, "%s%.1f ms at +%.2f s", i > 0 ? ", " : "", stage->worst[i].ms, stage->worst[i].at);
  g_print ("- %s: %s\n", what, line->len > 0 ? line->str : "none");
}

typedef struct
{
  MhSimulator *sim;
  double       seconds;
  gboolean     done;
} RenderSet;

static gboolean
set_render_cb (gpointer data)
{
  RenderSet *set = data;

  mh_simulator_set_render_seconds (set->sim, set->seconds);
  g_atomic_int_set (&set->done, TRUE);
  return G_SOURCE_REMOVE;
}

static gboolean
render_set (gpointer data)
{
  return g_atomic_int_get (&((RenderSet *) data)->done);
}

/* Queued for the first fifth of the render time, then rendering: the view
 * animates the same way in both. */
static gboolean
job_waiting (gpointer job)
{
  MhJobState state = mh_job_get_state (job);

  return state == MH_JOB_STATE_QUEUED || state == MH_JOB_STATE_RENDERING || mh_job_state_is_finished (state);
}

int
main (int   argc,
      char *argv[])
{
  gboolean no_window = FALSE;
  const GOptionEntry entries[] = {
    { "size", 0, 0, G_OPTION_ARG_INT64, &size_bytes, "Input and output size in bytes (default 1 GiB)", "BYTES" },
    { "idle-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &idle_seconds, "Length of each reference without a transfer (default 3)", "S" },
    { "render-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &render_seconds, "The simulator's render time (default 3)", "S" },
    { "in-process", 0, 0, G_OPTION_ARG_NONE, &in_process, "Run the simulator on the main loop, as the demo does", NULL },
    { "simulator-nice", 0, 0, G_OPTION_ARG_INT, &simulator_nice, "Nice value of the simulator's thread (default 0)", "N" },
    { "storage-url", 0, 0, G_OPTION_ARG_STRING, &storage_url, "Storage is this receiver (bench/sink), not the simulator's own", "URL" },
    { "no-window", 0, 0, G_OPTION_ARG_NONE, &no_window, "The engine alone: no window (to tell the UI's share)", NULL },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &json_path, "Also write the figures as JSON here", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- the longest main-loop stall during a 1 GiB job");
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *video = NULL;
  g_autofree char *small_video = NULL;
  g_autofree char *wav = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *size_text = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(MhJob) job = NULL;
  g_autoptr(MhJob) ui_job = NULL;
  g_autoptr(GFile) out = NULL;
  SimThread st = { 0 };
  GThread *thread = NULL;
  MhSimulator *local_sim = NULL;
  MhApplication *app;
  MhWindow *window = NULL;
  const char *base_url;
  guint timer;

  render_seconds = 3.0;
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (!gtk_init_check ())
    {
      g_printerr ("No display: run it under xvfb-run (bench/ui-stall/run does).\n");
      return 77;
    }
  adw_init ();

  stages = g_ptr_array_new ();
  tmp = g_dir_make_tmp ("mh-ui-stall-XXXXXX", &error);
  g_assert_no_error (error);
  video = write_sparse (tmp, "input.mp4", size_bytes);
  small_video = write_sparse (tmp, "small.mp4", 64 * 1024);
  wav = write_wav (tmp);
  out_dir = g_build_filename (tmp, "out", NULL);
  size_text = g_format_size_full (size_bytes, G_FORMAT_SIZE_IEC_UNITS);

  /* The simulator */
  if (in_process)
    {
      local_sim = mh_simulator_new ();
      mh_simulator_set_render_seconds (local_sim, render_seconds);
      mh_simulator_set_output_bytes (local_sim, size_bytes);
      mh_simulator_set_required_key (local_sim, KEY);
      if (storage_url != NULL)
        g_object_set (local_sim, "storage-url", storage_url, NULL);
      if (!mh_simulator_start (local_sim, 0, &error))
        g_error ("%s", error->message);
      base_url = mh_simulator_get_base_url (local_sim);
    }
  else
    {
      g_mutex_init (&st.lock);
      g_cond_init (&st.cond);
      g_mutex_lock (&st.lock);
      thread = g_thread_new ("simulator", sim_thread, &st);
      while (st.base_url == NULL && st.error == NULL)
        g_cond_wait (&st.cond, &st.lock);
      g_mutex_unlock (&st.lock);
      if (st.error != NULL)
        g_error ("%s", st.error);
      base_url = st.base_url;
    }

  /* The app, pointed at it as a person would with the environment. */
  g_setenv ("MAGIC_HOUR_API_BASE_URL", base_url, TRUE);
  g_setenv ("MAGIC_HOUR_API_KEY", KEY, TRUE);
  app = mh_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  wait_for (key_checked, app, 30, "the key");

  schedstat_fd = g_open ("/proc/thread-self/schedstat", O_RDONLY, 0);
  timer = g_timeout_add (PERIOD_MS, timer_cb, NULL);
  if (!no_window)
    {
      window = mh_window_new (app);
      gtk_window_set_default_size (GTK_WINDOW (window), 1000, 760);
      gtk_window_present (GTK_WINDOW (window));
      gtk_widget_add_tick_callback (GTK_WIDGET (window), tick_cb, NULL, NULL);
      mh_window_show_tool (window, "lip-sync");
    }
  /* Fonts, icons, first layouts: not what is measured. */
  run_idle (2.0);

  /* 1. Nothing happening. */
  g_print ("idle for %.1f s\n", idle_seconds);
  enter_stage ("idle");
  run_idle (idle_seconds);
  enter_stage (NULL);

  /* 2. The app's job, shown in the Lip Sync page. */
  params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (params, g_strdup ("video"), g_strdup (video));
  g_hash_table_insert (params, g_strdup ("audio"), g_strdup (wav));
  g_hash_table_insert (params, g_strdup ("start"), g_strdup ("0"));
  g_hash_table_insert (params, g_strdup ("end"), g_strdup ("1"));
  job = mh_job_new (mh_application_get_client (app), mh_tool_lookup ("lip-sync"), params);
  out = g_file_new_for_path (out_dir);
  mh_job_set_output_dir (job, out);
  g_signal_connect (job, "notify::state", G_CALLBACK (job_state_cb), NULL);

  g_print ("the app: lip sync, %s up, %.0f s render, %s down\n", size_text, render_seconds, size_text);
  mh_application_run_job (app, job);
  if (window != NULL)
    mh_tool_form_show_job (MH_TOOL_FORM (mh_window_get_form (window, "lip-sync")), job);
  wait_for (job_finished, job, 1200, "the job");
  enter_stage (NULL);
  if (mh_job_get_state (job) != MH_JOB_STATE_DONE)
    g_error ("The job failed: %s", mh_job_get_error (job) != NULL ? mh_job_get_error (job)->message : "?");
  run_idle (0.5);

  /* 3. The references, with the window as it is during a job: a second
   * (small) job waits for a long render, its stages animating. */
  {
    RenderSet set = { local_sim != NULL ? local_sim : st.sim, 3600, FALSE };
    g_autoptr(GHashTable) small = mh_params_copy (params);

    if (local_sim != NULL)
      set_render_cb (&set);
    else
      g_main_context_invoke (st.context, set_render_cb, &set);
    wait_for (render_set, &set, 30, "the simulator");

    mh_params_set (small, "video", small_video);
    ui_job = mh_job_new (mh_application_get_client (app), mh_tool_lookup ("lip-sync"), small);
    mh_job_set_output_dir (ui_job, out);
    mh_application_run_job (app, ui_job);
    if (window != NULL)
      mh_tool_form_show_job (MH_TOOL_FORM (mh_window_get_form (window, "lip-sync")), ui_job);
    wait_for (job_waiting, ui_job, 60, "the second job's render");
    if (mh_job_state_is_finished (mh_job_get_state (ui_job)))
      g_error ("The second job ended: %s", mh_job_get_error (ui_job) != NULL ? mh_job_get_error (ui_job)->message : "?");
    run_idle (0.5);

    g_print ("a job view waiting for a render, %.1f s\n", idle_seconds);
    enter_stage ("ui-waiting");
    run_idle (idle_seconds);
    enter_stage (NULL);
  }

  /* 4. curl: the same PUT and GET, the main loop only waiting for it. */
  {
    g_autoptr(JsonNode) urls = api (base_url, "POST", "/v1/files/upload-urls",
                                    "{\"items\":[{\"type\":\"video\",\"extension\":\"mp4\"}]}");
    g_autofree char *project_path = g_strdup_printf ("/v1/video-projects/%s", mh_job_get_project_id (job));
    g_autoptr(JsonNode) project = api (base_url, "GET", project_path, NULL);
    JsonObject *item = json_array_get_object_element (json_object_get_array_member (json_node_get_object (urls), "items"), 0);
    JsonObject *download = json_array_get_object_element (json_object_get_array_member (json_node_get_object (project), "downloads"), 0);
    const char *upload_url = json_object_get_string_member (item, "upload_url");
    const char *download_url = json_object_get_string_member (download, "url");
    g_autofree char *got_path = g_build_filename (tmp, "curl-output.mp4", NULL);
    const char *put[] = { "curl", "-sS", "--fail", "-o", "/dev/null", "-T", video,
                          "-H", "Content-Type: application/octet-stream", upload_url, NULL };
    const char *get[] = { "curl", "-sS", "--fail", "-o", got_path, download_url, NULL };
    g_autofree char *put_out = NULL;
    g_autofree char *get_out = NULL;

    g_print ("curl: the same PUT and GET\n");
    put_out = run_command (put, "curl-upload");
    get_out = run_command (get, "curl-download");
    g_unlink (got_path);
  }

  mh_job_cancel (ui_job);
  wait_for (job_finished, ui_job, 60, "the second job to stop");
  g_source_remove (timer);

  /* The figures */
  {
    Stage *ui = stage_get ("ui-waiting");

    g_print ("\n| what | seconds | longest stall (ms) | less CPU wait (ms) | p99 stall (ms) | longest frame (ms) "
             "| app CPU (%% of a core) | main thread CPU (%%) | timer samples "
             "| × curl | × %s | < %.0f ms |\n", no_window ? "waiting job" : "job view alone", TARGET_MS);
    g_print ("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:-:|\n");
    if (no_window)
      {
        print_row ("idle main loop (reference)", stage_get ("idle"), NULL, NULL);
        print_row ("a job waiting for a render, no transfer (reference)", ui, NULL, NULL);
        print_row ("curl PUT in a subprocess (reference)", stage_get ("curl-upload"), NULL, ui);
        print_row ("curl GET in a subprocess (reference)", stage_get ("curl-download"), NULL, ui);
      }
    else
      {
        print_row ("idle window (reference)", stage_get ("idle"), NULL, NULL);
        print_row ("job view waiting for a render, no transfer (reference)", ui, NULL, NULL);
        print_row ("curl PUT in a subprocess, job view shown (reference)", stage_get ("curl-upload"), NULL, ui);
        print_row ("curl GET in a subprocess, job view shown (reference)", stage_get ("curl-download"), NULL, ui);
      }
    print_row ("**app: uploading**", stage_get ("app-upload"), stage_get ("curl-upload"), ui);
    print_row ("app: creating, queued, rendering", stage_get ("app-waiting"), NULL, ui);
    print_row ("**app: downloading**", stage_get ("app-download"), stage_get ("curl-download"), ui);

    g_print ("\nLongest stalls (time from the start of the stage):\n\n");
    for (guint i = 0; i < stages->len; i++)
      {
        Stage *stage = g_ptr_array_index (stages, i);

        print_worst (stage->name, stage);
      }

    /* The acceptance, one line each, for bench/ui-stall/run to collect. */
    g_print ("\n");
    for (guint i = 0; i < 2; i++)
      {
        const char *name = i == 0 ? "app-upload" : "app-download";
        Stage *stage = stage_get (name);
        double max = array_max (stage->timer_stalls);
        double seconds = (stage->ended - stage->started) / 1e6;
        gboolean pass = stage->timer_stalls->len > 0 && max < TARGET_MS;

        g_print ("verdict: %s longest stall %.1f ms (%.1f ms less CPU wait), p99 %.1f ms, longest frame %.1f ms, "
                 "app CPU %.0f %% of a core: %s (< %.0f ms)\n",
                 i == 0 ? "upload" : "download", max, array_max (stage->own_stalls),
                 percentile (stage->timer_stalls, 99),
                 array_max (stage->frame_gaps), cpu_percent (stage, seconds),
                 pass ? "PASS" : "FAIL", TARGET_MS);
      }

    if (json_path != NULL)
      {
        g_autoptr(GString) text = g_string_new ("{");

        for (guint i = 0; i < stages->len; i++)
          {
            Stage *stage = g_ptr_array_index (stages, i);

            g_string_append_printf (text, "%s\"%s\":{\"seconds\":%.3f,\"max_ms\":%.3f,\"p99_ms\":%.3f,"
                                    "\"max_own_ms\":%.3f,\"max_frame_ms\":%.3f,\"samples\":%u,\"cpu_process_s\":%.3f,"
                                    "\"cpu_main_s\":%.3f,\"cpu_simulator_s\":%.3f}",
                                    i > 0 ? "," : "", stage->name, (stage->ended - stage->started) / 1e6,
                                    array_max (stage->timer_stalls), percentile (stage->timer_stalls, 99),
                                    array_max (stage->own_stalls), array_max (stage->frame_gaps), stage->timer_stalls->len,
                                    stage->cpu_process, stage->cpu_main, stage->cpu_sim);
          }
        g_string_append_printf (text, ",\"size\":%" G_GUINT64_FORMAT ",\"in_process\":%s,\"window\":%s}\n",
                                size_bytes, in_process ? "true" : "false", no_window ? "false" : "true");
        if (!g_file_set_contents (json_path, text->str, -1, &error))
          g_error ("%s", error->message);
      }
  }

  /* Clean up */
  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&job);
  g_clear_object (&ui_job);
  g_object_unref (app);
  if (thread != NULL)
    {
      g_main_context_invoke (st.context, quit_loop_cb, st.loop);
      g_thread_join (thread);
    }
  if (local_sim != NULL)
    {
      mh_simulator_stop (local_sim);
      g_object_unref (local_sim);
    }
  {
    g_autofree char *rm_out = NULL;
    const char *rm[] = { "rm", "-rf", tmp, NULL };

    rm_out = run_command (rm, NULL);
  }

  return 0;
}
