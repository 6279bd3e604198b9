/* minimal-window.c: the reference of bench/idle-cpu: the least a libadwaita
 * app can be (an AdwApplicationWindow with a header bar and a label), whose
 * idle CPU time the app's idle window is compared with. bench/startup
 * launches it too: with MH_STARTUP_TRACE=1 it prints the stages of its
 * start as the app does (mh-startup-trace.c), so the two line up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <time.h>

#include <adwaita.h>

static void
mark (const char *stage)
{
  struct timespec cpu = { 0, 0 };

  if (g_strcmp0 (g_getenv ("MH_STARTUP_TRACE"), "1") != 0)
    return;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &cpu);
  fprintf (stderr, "mh-startup-trace: %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", stage,
           g_get_monotonic_time (), (gint64) cpu.tv_sec * G_USEC_PER_SEC + cpu.tv_nsec / 1000);
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  mark ("first-frame");
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, data);
}

static void
startup_cb (GApplication *app,
            gpointer      data)
{
  mark ("startup");
}

static void
activate_cb (GApplication *app,
             gpointer      data)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new ("A minimal libadwaita window");

  gtk_widget_set_vexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), label);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), "Minimal Window");
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 740);
  mark ("window-created");
  gtk_window_present (GTK_WINDOW (window));
  mark ("window-presented");
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (after_paint_cb), NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  mark ("main");
  app = adw_application_new ("io.github.mhstudio.MagicHourStudio.BenchMinimal",
                             G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "startup", G_CALLBACK (startup_cb), NULL);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
