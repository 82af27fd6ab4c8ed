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
#include <stdarg.h>
#include <stdint.h>

/* Where a value came from: file, 1-based line and column. */
typedef struct jx_pos {
  const char *file;
  uint32_t line;
  uint32_t col;
} jx_pos;

/* A position in a workbook: `file` is "BOOK" JX_POS_CELL "Sheet!C12"
 * with line and column 0 (an imported project's model keeps these).  A
 * diagnostic at such a position gets file BOOK and cell "Sheet!C12". */
#define JX_POS_CELL "\x1f"

typedef struct jx_diag_list {
  jx_diagnostic *items;
  size_t count, cap;
  size_t errors;
  /* The field the diagnostics added now are about (jx_diag_subject). */
  const char *subject_field, *subject_label;
} jx_diag_list;

void jx_diag_list_free(jx_diag_list *list);
/* Records a diagnostic.  `fmt` is an English msgid: the message is its
 * translation (i18n.h) formatted with the arguments, which are also kept
 * as text in `args`; a trailing " [rule-id]" becomes the diagnostic's
 * `rule`.  `file` and every string are copied into the list. */
void jx_diag_add(jx_diag_list *list, jx_severity sev, jx_pos pos,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void jx_diag_vadd(jx_diag_list *list, jx_severity sev, jx_pos pos,
                  const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
/* Adds a copy of `d` (from another list). */
void jx_diag_add_copy(jx_diag_list *list, const jx_diagnostic *d);
/* The field (id and label, either may be NULL) the diagnostics added from
 * now on are about, until the next call; NULL, NULL: none.  The strings
 * must outlive those calls (they are copied into each diagnostic). */
void jx_diag_subject(jx_diag_list *list, const char *field, const char *label);
/* Sets the technical detail of the last diagnostic added (copied). */
void jx_diag_set_detail(jx_diag_list *list, const char *detail);
/* Sets the workbook place ("项目表!C12", copied) of the last diagnostic
 * added, and clears its line and column. */
void jx_diag_set_cell(jx_diag_list *list, const char *cell);
/* Puts the diagnostics added from index `first` on in source order (line,
 * then column; arrival order among equals).  Its scratch memory comes
 * from `arena`. */
void jx_diag_sort(jx_diag_list *list, size_t first, jx_arena *arena);
#define jx_error(list, pos, ...)                                               \
  jx_diag_add(list, JX_SEV_ERROR, pos, __VA_ARGS__)
#define jx_warning(list, pos, ...)                                             \
  jx_diag_add(list, JX_SEV_WARNING, pos, __VA_ARGS__)

#endif
