/*
 * testutil.h — a fixture several unit tests share: an arena and a
 * diagnostic list, fresh for each test (test_load.c, test_yaml.c).
 */
#ifndef JX_TESTUTIL_H
#define JX_TESTUTIL_H

#include "arena.h"
#include "diag.h"

typedef struct fixture {
  jx_arena arena;
  jx_diag_list diags;
} fixture;

/* cmocka setup: *state becomes a new fixture (calloc'ed, arena ready).
 * Returns 0. */
int fixture_setup(void **state);
/* cmocka teardown: frees the diagnostics, the arena and the fixture. */
int fixture_teardown(void **state);

#endif
