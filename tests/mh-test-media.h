/* mh-test-media.h: media files with something in them, made by the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A 16-bit mono 8 kHz WAV: with @speech, bursts like syllables whose loudest
 * samples reach @amplitude (0..1); without, a 220 Hz sine of @amplitude. */
char *mh_test_write_tone_wav (const char *dir,
                              const char *name,
                              double      seconds,
                              double      amplitude,
                              gboolean    speech);
/* An H.264 MP4 of @seconds (320×180, 10 frames a second, a moving test
 * pattern with a clock), with an AAC tone when @with_audio. Made with ffmpeg. */
char *mh_test_write_video    (const char *dir,
                              const char *name,
                              double      seconds,
                              gboolean    with_audio);

G_END_DECLS
