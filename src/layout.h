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

#endif
