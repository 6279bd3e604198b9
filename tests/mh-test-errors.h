/* mh-test-errors.h: the contract's error table, as the tests serve it
 *
 * Each row of the table in CONTRACT.md (Transport, December 2026) with what
 * a person must read when a create is answered so, with its `code` and as an
 * older answer without one. The CLI and the app's tests both go through it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "mh-simulator.h"

G_BEGIN_DECLS

#define MH_TEST_PRICING_URL "https://magichour.ai/pricing"

typedef struct
{
  const char *name;           /* "402-subscription-required": a test path segment */
  guint       status;
  const char *code;           /* NULL: the row has none */
  const char *sentence;       /* part of the sentence, with the code */
  const char *legacy;         /* without it; NULL: the same */
  const char *link_label;     /* with the code; NULL: no link to magichour.ai */
  const char *legacy_label;   /* without it */
  int         exit_status;    /* the CLI's */
} MhTestErrorRow;

typedef struct
{
  const MhTestErrorRow *row;
  gboolean              legacy;  /* served without its code (--legacy-errors) */
} MhTestErrorCase;

/* Every row, each with and without its code. */
const MhTestErrorCase *mh_test_error_cases         (guint                  *n_cases);
/* "402-subscription-required/without-code" */
char                  *mh_test_error_case_path     (const MhTestErrorCase  *c);
const char            *mh_test_error_case_sentence (const MhTestErrorCase  *c);
const char            *mh_test_error_case_label    (const MhTestErrorCase  *c);
/* Makes @sim answer every create so (with or without the code), with a
 * message written to name another refusal: a client that read it would say
 * the wrong thing. */
void                   mh_test_error_case_serve    (const MhTestErrorCase  *c,
                                                    MhSimulator            *sim);

G_END_DECLS
