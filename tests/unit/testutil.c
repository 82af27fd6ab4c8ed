/*
 * testutil.c — the arena + diagnostics fixture and the project loading
 * helper (see testutil.h).
 */
#include "testutil.h"

#include <setjmp.h> /* cmocka needs these three first */
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- templates, loaded once per process ---- */

#define MAX_TEMPLATES 8

static struct {
  bool ready;
  jx_arena arena;
  jx_fonts fonts;
  size_t count;
  const char *names[MAX_TEMPLATES];
  const jx_template *tpls[MAX_TEMPLATES];
} shared;

const jx_template *test_template(const char *name) {
  if (!shared.ready) {
    jx_arena_init(&shared.arena);
    if (!jx_fonts_init(&shared.fonts)) {
      fprintf(stderr, "testutil: cannot initialise the fonts\n");
      return NULL;
    }
    shared.ready = true;
  }
  for (size_t i = 0; i < shared.count; i++)
    if (!strcmp(shared.names[i], name))
      return shared.tpls[i];
  jx_diag_list diags = {0};
  const jx_template *t = jx_template_load(&shared.arena, &diags, &shared.fonts,
                                          JX_SOURCE_DIR "/templates", name);
  for (size_t i = 0; !t && i < diags.count; i++)
    jx_diagnostic_print(&diags.items[i], stderr);
  jx_diag_list_free(&diags);
  if (shared.count < MAX_TEMPLATES) {
    shared.names[shared.count] = jx_arena_strdup(&shared.arena, name);
    shared.tpls[shared.count++] = t;
  }
  return t;
}

void test_templates_free(void) {
  if (!shared.ready)
    return;
  jx_fonts_free(&shared.fonts);
  jx_arena_free(&shared.arena);
  memset(&shared, 0, sizeof shared);
}

jx_model *test_load(jx_arena *arena, jx_diag_list *diags,
                    const jx_template *tpl, const char *name, const char *data,
                    size_t size, const jx_template **used) {
  if (used)
    *used = NULL;
  size_t first_diag = diags->count, errors_before = diags->errors;
  bool complete = false;
  const jx_ynode *root =
      data ? jx_load_tree(arena, diags, name, data, size, &complete)
           : jx_load_tree_file(arena, diags, name, &complete);
  if (!root)
    return NULL;
  jx_pos pos;
  const char *tname = jx_load_template_name(root, "yangquan-2025", &pos);
  if (!tpl)
    tpl = test_template(tname);
  if (!tpl) {
    jx_error(diags, pos, "template '%s' could not be loaded", tname);
    return NULL;
  }
  if (used)
    *used = tpl;
  return jx_load_model(arena, diags, name, false, root, complete, &tpl->content,
                       tname, first_diag, errors_before);
}

char *test_replace(const char *text, const char *from, const char *to) {
  size_t nf = strlen(from), nt = strlen(to), count = 0;
  for (const char *p = strstr(text, from); p; p = strstr(p + nf, from))
    count++;
  assert_true(count > 0);
  char *out = malloc(strlen(text) + count * nt + 1), *o = out;
  assert_non_null(out);
  for (const char *p = text;;) {
    const char *q = strstr(p, from);
    if (!q) {
      strcpy(o, p);
      break;
    }
    memcpy(o, p, (size_t)(q - p));
    o += q - p;
    memcpy(o, to, nt);
    o += nt;
    p = q + nf;
  }
  return out;
}

char *test_read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  size_t cap = 1 << 16, len = 0, n;
  char *data = malloc(cap);
  assert_non_null(data);
  while ((n = fread(data + len, 1, cap - 1 - len, f)) > 0) {
    len += n;
    if (len == cap - 1) {
      data = realloc(data, cap *= 2);
      assert_non_null(data);
    }
  }
  fclose(f);
  data[len] = '\0';
  if (size)
    *size = len;
  return data;
}
