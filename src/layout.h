/*
 * layout.h — template + model → display list.
 */
#ifndef JX_LAYOUT_H
#define JX_LAYOUT_H

#include "display.h"
#include "fonts.h"
#include "model.h"
#include "template.h"

/* Lays out one form and appends its pages to `layout` (whose arena holds
 * everything made).  Returns false after recording diagnostics when the
 * form cannot be laid out (a character no font can draw, …); pages already
 * appended for this form are then removed.  Text is measured with `ms`,
 * the calling thread's measuring context. */
bool jx_layout_form(jx_layout *layout, jx_measure *ms, const jx_template *tpl,
                    const jx_model *model, int form_index, jx_diag_list *diags);

/* A row of a table made by the caller from template rows (a packet's
 * cover and contents, frontmatter.c). */
typedef struct jx_row_in {
  const jx_tband *band; /* its columns (and whether it has borders) */
  const jx_trow *row;   /* its cells, each one row tall */
  /* the value of placeholder `name` in its cells (NULL: blank) */
  const char *(*lookup)(const void *arg, const char *name);
  const void *arg;
  bool keep;          /* on one page with the next row */
  bool hidden;        /* drawn only as another row's `repeat` */
  int repeat;         /* a hidden row drawn above this one when it starts a
                         page (as a grid's repeated header); -1: none */
  bool no_rule_above; /* its cells' rule_above left out */
} jx_row_in;

/* Lays out rows[0..n) as one table with `tpl`'s page, margins, padding,
 * fonts and table_top_first/_next (its heading and footer are not drawn)
 * and appends its pages to `layout`, through the same cells, line
 * breaking, row sizing, pagination and drawing as a form's bands.
 * Returns false when a text could not be set (recorded in diags; the
 * pages are made all the same, that text left out). */
bool jx_layout_rows(jx_layout *layout, jx_measure *ms, const jx_template *tpl,
                    const jx_row_in *rows, size_t n, jx_diag_list *diags);

#endif
