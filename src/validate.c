/*
 * validate.c — checks of a loaded model against its template.
 *
 * Rules (ids in docs/schema.md):
 *   frame-level1   an indicator's 一级 must be one of the template frame's
 *   frame-level2   its 二级 must belong to that 一级 in the frame
 */
#include "validate.h"

#include <string.h>

/* Finds the frame group of `level1`; NULL if none. */
static const jx_tgroup *find_group(const jx_tgrid *g, const char *level1) {
  for (size_t f = 0; f < g->frame_count; f++)
    if (!strcmp(g->frame[f].level1, level1))
      return &g->frame[f];
  return NULL;
}

static void check_indicators(const jx_model *m, const jx_tgrid *g,
                             jx_diag_list *diags) {
  for (size_t s = 0; s < g->side_count; s++) {
    int side = g->sides[s].side;
    for (size_t i = 0; i < m->indicator_count[side]; i++) {
      const jx_indicator *ind = &m->indicators[side][i];
      const jx_tgroup *grp = find_group(g, ind->level1.str);
      if (!grp) {
        char list[512] = "";
        for (size_t f = 0; f < g->frame_count; f++) {
          if (f)
            strncat(list, "、", sizeof list - strlen(list) - 1);
          strncat(list, g->frame[f].level1, sizeof list - strlen(list) - 1);
        }
        jx_error(diags, ind->level1.pos,
                 "'level1' is '%s', which this form does not have; use one "
                 "of %s [frame-level1]",
                 ind->level1.str, list);
        continue;
      }
      bool found = false;
      for (size_t k = 0; k < grp->level2_count; k++)
        if (!strcmp(grp->level2[k], ind->level2.str))
          found = true;
      if (!found) {
        char list[512] = "";
        for (size_t k = 0; k < grp->level2_count; k++) {
          if (k)
            strncat(list, "、", sizeof list - strlen(list) - 1);
          strncat(list, grp->level2[k], sizeof list - strlen(list) - 1);
        }
        jx_error(diags, ind->level2.pos,
                 "'level2' is '%s', which is not under %s on this form; use "
                 "one of %s [frame-level2]",
                 ind->level2.str, grp->level1, list);
      }
    }
  }
}

bool jx_validate(const jx_model *model, const jx_template *tpl,
                 jx_diag_list *diags) {
  size_t before = diags->errors;
  for (size_t b = 0; b < tpl->band_count; b++)
    if (tpl->bands[b].kind == JX_BAND_INDICATORS)
      check_indicators(model, &tpl->bands[b].grid, diags);
  return diags->errors == before;
}
