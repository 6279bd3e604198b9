/* mh-test-media.c: media files with something in them, made by the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "mh-test-media.h"

static void
put_le16 (guint8  *p,
          guint16  v)
{
  p[0] = v & 0xff;
  p[1] = v >> 8;
}

static void
put_le32 (guint8  *p,
          guint32  v)
{
  put_le16 (p, v & 0xffff);
  put_le16 (p + 2, v >> 16);
}

char *
mh_test_write_tone_wav (const char *dir,
                        const char *name,
                        double      seconds,
                        double      amplitude,
                        gboolean    speech)
{
  const guint32 rate = 8000;
  guint32 n = (guint32) (seconds * rate);
  g_autofree guint8 *data = g_malloc (44 + (gsize) n * 2);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  memcpy (data, "RIFF", 4);
  put_le32 (data + 4, 36 + n * 2);
  memcpy (data + 8, "WAVEfmt ", 8);
  put_le32 (data + 16, 16);
  put_le16 (data + 20, 1);
  put_le16 (data + 22, 1);
  put_le32 (data + 24, rate);
  put_le32 (data + 28, rate * 2);
  put_le16 (data + 32, 2);
  put_le16 (data + 34, 16);
  memcpy (data + 36, "data", 4);
  put_le32 (data + 40, n * 2);

  for (guint32 i = 0; i < n; i++)
    {
      double t = (double) i / rate;
      double envelope = 1.0;
      double s;

      if (speech)
        {
          /* Syllables of about a fifth of a second, louder and softer
           * phrases, and a pause every few seconds. */
          double syllable = fabs (sin (G_PI * t * 4.7));
          double phrase = 0.55 + 0.45 * sin (2 * G_PI * t * 0.23 + 1.0);
          double pause = fmod (t, 4.0) > 3.4 ? 0.05 : 1.0;

          envelope = pow (syllable, 1.5) * phrase * pause;
        }
      s = amplitude * envelope * sin (2 * G_PI * 220 * t);
      put_le16 (data + 44 + i * 2, (guint16) (gint16) lround (s * 32767));
    }

  g_file_set_contents (path, (const char *) data, 44 + (gssize) n * 2, &error);
  g_assert_no_error (error);

  return path;
}

char *
mh_test_write_video (const char *dir,
                     const char *name,
                     double      seconds,
                     gboolean    with_audio)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *video = NULL;
  g_autofree char *audio = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  int status = 0;

  /* H.264 and AAC in MP4, as phones make them (GStreamer here has no H.264
   * encoder): a key frame a second. */
  g_ascii_formatd (buf, sizeof buf, "%.2f", seconds);
  video = g_strdup_printf ("testsrc2=size=320x180:rate=10:duration=%s", buf);
  audio = g_strdup_printf ("sine=frequency=220:duration=%s", buf);
  g_ptr_array_add (argv, "ffmpeg");
  g_ptr_array_add (argv, "-hide_banner");
  g_ptr_array_add (argv, "-loglevel");
  g_ptr_array_add (argv, "error");
  g_ptr_array_add (argv, "-nostdin");
  g_ptr_array_add (argv, "-y");
  g_ptr_array_add (argv, "-f");
  g_ptr_array_add (argv, "lavfi");
  g_ptr_array_add (argv, "-i");
  g_ptr_array_add (argv, video);
  if (with_audio)
    {
      g_ptr_array_add (argv, "-f");
      g_ptr_array_add (argv, "lavfi");
      g_ptr_array_add (argv, "-i");
      g_ptr_array_add (argv, audio);
    }
  g_ptr_array_add (argv, "-c:v");
  g_ptr_array_add (argv, "libx264");
  g_ptr_array_add (argv, "-preset");
  g_ptr_array_add (argv, "ultrafast");
  g_ptr_array_add (argv, "-g");
  g_ptr_array_add (argv, "10");
  g_ptr_array_add (argv, "-pix_fmt");
  g_ptr_array_add (argv, "yuv420p");
  if (with_audio)
    {
      g_ptr_array_add (argv, "-c:a");
      g_ptr_array_add (argv, "aac");
    }
  if (with_audio)
    g_ptr_array_add (argv, "-shortest");
  g_ptr_array_add (argv, path);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("ffmpeg failed: %s\n%s", error->message, err);

  return path;
}
