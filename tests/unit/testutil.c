/*
 * testutil.c — the arena + diagnostics fixture (see testutil.h).
 */
#include "testutil.h"

#include <setjmp.h> /* cmocka needs these three first */
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <stdlib.h>

int fixture_setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  jx_arena_init(&f->arena);
  *state = f;
  return 0;
}

int fixture_teardown(void **state) {
  fixture *f = *state;
  jx_diag_list_free(&f->diags);
  jx_arena_free(&f->arena);
  free(f);
  return 0;
}
