/*
 * diag.c — the diagnostic list (see diag.h).
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *jx_xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  if (!p) {
    fputs("jxform: out of memory\n", stderr);
    abort();
  }
  return memcpy(p, s, n);
}

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
    jx_diagnostic *n = realloc(list->items, ncap * sizeof *n);
    if (!n) {
      fputs("jxform: out of memory\n", stderr);
      abort();
    }
    list->items = n;
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

void jx_diagnostic_print(const jx_diagnostic *d, FILE *out) {
  static const char *const names[] = {"note", "warning", "error"};
  if (d->file && d->line)
    fprintf(out, "%s:%u:%u: ", d->file, d->line, d->column ? d->column : 1);
  else if (d->file)
    fprintf(out, "%s: ", d->file);
  fprintf(out, "%s: %s\n", names[d->severity], d->message);
}
