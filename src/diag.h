/*
 * diag.h — diagnostics as data.
 *
 * Stages record problems with a position; only the CLI prints them.
 * Messages are copied into the list's own storage.
 */
#ifndef JX_DIAG_H
#define JX_DIAG_H

#include "arena.h"
#include "jxform/jxform.h"
#include <stdint.h>

/* Where a value came from: file, 1-based line and column. */
typedef struct jx_pos {
  const char *file;
  uint32_t line;
  uint32_t col;
} jx_pos;

typedef struct jx_diag_list {
  jx_diagnostic *items;
  size_t count, cap;
  size_t errors;
} jx_diag_list;

void jx_diag_list_free(jx_diag_list *list);
/* Records a diagnostic; `file` and the message are copied. */
void jx_diag_add(jx_diag_list *list, jx_severity sev, jx_pos pos,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Puts the diagnostics added from index `first` on in source order (line,
 * then column; arrival order among equals).  Its scratch memory comes
 * from `arena`. */
void jx_diag_sort(jx_diag_list *list, size_t first, jx_arena *arena);
#define jx_error(list, pos, ...)                                               \
  jx_diag_add(list, JX_SEV_ERROR, pos, __VA_ARGS__)
#define jx_warning(list, pos, ...)                                             \
  jx_diag_add(list, JX_SEV_WARNING, pos, __VA_ARGS__)

#endif
