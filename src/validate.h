/*
 * validate.h — checks of a loaded model against its template.
 */
#ifndef JX_VALIDATE_H
#define JX_VALIDATE_H

#include "model.h"
#include "template.h"

/* Records errors and warnings for `model` checked against `tpl`.  Returns
 * false if any error was found. */
bool jx_validate(const jx_model *model, const jx_template *tpl,
                 jx_diag_list *diags);

#endif
