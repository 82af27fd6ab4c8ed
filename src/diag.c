/*
 * diag.c — the diagnostic list (see diag.h).
 */
#include "diag.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jx_diag_list_free(jx_diag_list *list) {
  for (size_t i = 0; i < list->count; i++) {
    free((char *)list->items[i].file);
    free((char *)list->items[i].message);
  }
  free(list->items);
  memset(list, 0, sizeof *list);
}

void jx_diag_add(jx_diag_list *list, jx_severity sev, jx_pos pos,
                 const char *fmt, ...) {
  if (list->count == list->cap) {
    size_t ncap = list->cap ? list->cap * 2 : 16;
    list->items = jx_xrealloc(list->items, ncap * sizeof *list->items);
    list->cap = ncap;
  }
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  jx_diagnostic *d = &list->items[list->count++];
  d->severity = sev;
  d->file = pos.file ? jx_xstrdup(pos.file) : NULL;
  d->line = pos.line;
  d->column = pos.col;
  d->message = jx_xstrdup(buf);
  if (sev == JX_SEV_ERROR)
    list->errors++;
}

/* Diagnostic with its arrival order, for a stable sort. */
typedef struct jx_diag_ref {
  jx_diagnostic diag;
  size_t order;
} jx_diag_ref;

static int jx_compare_diag_ref(const void *pa, const void *pb) {
  const jx_diag_ref *a = pa, *b = pb;
  if (a->diag.line != b->diag.line)
    return a->diag.line < b->diag.line ? -1 : 1;
  if (a->diag.column != b->diag.column)
    return a->diag.column < b->diag.column ? -1 : 1;
  return a->order < b->order ? -1 : a->order > b->order;
}

void jx_diag_sort(jx_diag_list *list, size_t first, jx_arena *arena) {
  size_t n = list->count - first;
  if (n < 2)
    return;
  jx_diag_ref *refs = jx_arena_alloc(arena, n * sizeof *refs);
  for (size_t i = 0; i < n; i++) {
    refs[i].diag = list->items[first + i];
    refs[i].order = i;
  }
  qsort(refs, n, sizeof *refs, jx_compare_diag_ref);
  for (size_t i = 0; i < n; i++)
    list->items[first + i] = refs[i].diag;
}

void jx_diagnostic_print(const jx_diagnostic *d, FILE *out) {
  static const char *const names[] = {"note", "warning", "error"};
  if (d->file && d->line)
    fprintf(out, "%s:%u:%u: ", d->file, d->line, d->column ? d->column : 1);
  else if (d->file)
    fprintf(out, "%s: ", d->file);
  fprintf(out, "%s: %s\n", names[d->severity], d->message);
}
