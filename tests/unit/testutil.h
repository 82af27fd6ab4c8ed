/*
 * testutil.h — helpers several unit tests share: an arena and a
 * diagnostic list, fresh for each test (test_load.c, test_yaml.c), and
 * loading a project the way a session does (parse → the template it
 * names → read against the template's content), without validating it.
 */
#ifndef JX_TESTUTIL_H
#define JX_TESTUTIL_H

#include "arena.h"
#include "diag.h"
#include "model.h"
#include "template.h"

typedef struct fixture {
  jx_arena arena;
  jx_diag_list diags;
} fixture;

/* cmocka setup: *state becomes a new fixture (calloc'ed, arena ready).
 * Returns 0. */
int fixture_setup(void **state);
/* cmocka teardown: frees the diagnostics, the arena and the fixture. */
int fixture_teardown(void **state);

/* The source tree's templates/NAME.yaml, loaded once per process (its
 * own arena and fonts) and kept; NULL when it does not load (its
 * diagnostics are printed).  test_templates_free releases them all. */
const jx_template *test_template(const char *name);
void test_templates_free(void);

/* Loads a project from data[0..size) named `name`, or from the file
 * `name` when data is NULL, into arena/diags, as jx_project_load does
 * before validating: jx_load_tree(_file), jx_load_template_name (default
 * yangquan-2025), then jx_load_model against `tpl` — or, when tpl is
 * NULL, against test_template(the name the file asks for), recording an
 * error when that does not load.  *used (may be NULL) gets the template.
 * Returns the model, or NULL when the file has errors. */
jx_model *test_load(jx_arena *arena, jx_diag_list *diags,
                    const jx_template *tpl, const char *name, const char *data,
                    size_t size, const jx_template **used);

/* The whole file `path` (malloc'd, NUL-terminated: the caller frees it);
 * *size (may be NULL) gets its length.  The file must open (asserted). */
char *test_read_file(const char *path, size_t *size);
/* `text` with every `from` replaced by `to` (malloc'd: the caller frees
 * it); `from` must occur (asserted). */
char *test_replace(const char *text, const char *from, const char *to);

#endif
