/* mh-fuzz.h: what every fuzz target defines
 *
 * A target is one function that takes any bytes and either returns or
 * crashes (a sanitizer report or a failed assertion). libFuzzer calls it in
 * the -Dfuzzing=true build; fuzz-regress.c calls it with each file of the
 * target's corpus in every build, so the crashes found once stay fixed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "mh-job-record.h"

G_BEGIN_DECLS

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);
/* In mh-fuzz.c, for every target; called once before the first input: a
 * CRITICAL (a g_return_if_fail() of GLib, libsoup or the engine) is a crash;
 * the store's warnings about damaged records, which it also reports as
 * problems, are dropped. */
int LLVMFuzzerInitialize   (int           *argc,
                            char        ***argv);

/* The bytes as JSON, through the engine's bounded parser (mh_json_parse())
 * as answers and records are; NULL when it refuses them. */
JsonNode *mh_fuzz_parse_json (const uint8_t *data,
                              size_t         size);

/* Removes @path and everything under it. */
void      mh_fuzz_rm_rf       (const char    *path);

/* Asserts that @text, kept from an input, is a string people can be shown. */
void      mh_fuzz_assert_text (const char    *text);

/* Asserts what the history needs of a record that loaded: every string it
 * kept is text, and its status is a sentence. */
void      mh_fuzz_check_record (MhJobRecord  *record);

G_END_DECLS
