/*
 * validate.h — consistency rules of a loaded model, checked against its
 * template (docs/schema.md, "Consistency rules", lists every rule id).
 *
 * Every diagnostic recorded here ends in its rule id in brackets, e.g.
 * "... [funds-sum]", so tools can tell the rules apart.
 */
#ifndef JX_VALIDATE_H
#define JX_VALIDATE_H

#include "model.h"
#include "template.h"

#include <stdio.h>

/* Records errors and warnings for `model` checked against `tpl`; with
 * `strict`, the warnings are recorded as errors.  Returns false if any
 * error was recorded. */
bool jx_validate(const jx_model *model, const jx_template *tpl, bool strict,
                 jx_diag_list *diags);

/* Rules across several projects checked together (`jxform check a b c`):
 * an indicator value that is another project's total.  Records warnings
 * (errors with `strict`); returns false if any error was recorded. */
bool jx_validate_across(const jx_model *const *models, size_t count,
                        bool strict, jx_diag_list *diags);

/* Writes a commented YAML skeleton of a project file for `tpl` (every
 * declared field, money block and grid, commented with its label; the
 * grids' frames), ready to be filled in; `year` goes into the year field.
 * Returns false on a write error.  (describe.c) */
bool jx_skeleton_write(const jx_template *tpl, int year, FILE *out);

/* Writes the JSON Schema of a project file for `tpl`, for editors
 * (yaml-language-server).  Returns false on a write error.  (describe.c) */
bool jx_schema_write(const jx_template *tpl, FILE *out);

#endif
