/*
 * test_template.c — template loading: the 阳泉 template's geometry in
 * points, `extends` (a variant laid over its base), and its errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "template.h"

typedef struct fixture {
  jx_arena arena;
  jx_diag_list diags;
  jx_fonts fonts;
} fixture;

static int setup(void **state) {
  fixture *fx = calloc(1, sizeof *fx);
  jx_arena_init(&fx->arena);
  if (!fx || !jx_fonts_init(&fx->fonts))
    return -1;
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  fixture *fx = *state;
  jx_fonts_free(&fx->fonts);
  jx_diag_list_free(&fx->diags);
  jx_arena_free(&fx->arena);
  free(fx);
  return 0;
}

static jx_template *load(fixture *fx, const char *dir, const char *name) {
  return jx_template_load(&fx->arena, &fx->diags, &fx->fonts, dir, name);
}

/* Column widths are em of em_pt (8 pt); every band spans 65.25 em. */
static void test_geometry_in_points(void **state) {
  fixture *fx = *state;
  jx_template *t = load(fx, JX_SOURCE_DIR "/templates", "yangquan-2025");
  assert_non_null(t);
  assert_true(t->table_width > 521.99 && t->table_width < 522.01);
  assert_true(t->bands[0].columns[1] > 380.07 &&
              t->bands[0].columns[1] < 380.09);
  assert_int_equal(t->rules.ascii_units, 51);
  assert_int_equal(t->band_count, 6);
  assert_int_equal(t->bands[5].kind, JX_BAND_INDICATORS);
  assert_int_equal(t->bands[5].grid.frame_count, 3);
}

/* The centred variant changes styles only: the label cells are centred,
 * the page and the columns are the base's. */
static void test_extends_overlays_base(void **state) {
  fixture *fx = *state;
  jx_template *base = load(fx, JX_SOURCE_DIR "/templates", "yangquan-2025");
  jx_template *t =
      load(fx, JX_SOURCE_DIR "/templates", "yangquan-2025-centred");
  assert_non_null(base);
  assert_non_null(t);
  assert_string_equal(t->name, "yangquan-2025-centred");
  assert_true(t->table_width == base->table_width);
  assert_true(t->page_height == base->page_height);
  assert_int_equal(base->bands[0].rows[0].cells[0].halign, JX_HALIGN_LEFT);
  assert_int_equal(t->bands[0].rows[0].cells[0].halign, JX_HALIGN_CENTER);
  /* a style the variant does not name keeps the base's */
  assert_int_equal(t->bands[0].rows[0].cells[1].halign,
                   base->bands[0].rows[0].cells[1].halign);
}

/* Writes name.yaml into dir. */
static void write_template(const char *dir, const char *name,
                           const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s.yaml", dir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

/* Removes a scratch folder made with mkdtemp. */
static void remove_dir(const char *dir) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  assert_int_equal(system(cmd), 0);
}

/* The shipped template gives the 年度 side of the grid its own 指标值
 * style with exactly this text. */
#define SHIPPED_SIDE_STYLES "styles: {value: annual_value}"

/* Reads templates/yangquan-2025.yaml into text (cap bytes); returns where
 * SHIPPED_SIDE_STYLES stands in it. */
static char *read_shipped(char *text, size_t cap) {
  FILE *f = fopen(JX_SOURCE_DIR "/templates/yangquan-2025.yaml", "r");
  assert_non_null(f);
  size_t n = fread(text, 1, cap - 1, f);
  fclose(f);
  text[n] = '\0';
  char *at = strstr(text, SHIPPED_SIDE_STYLES);
  assert_non_null(at);
  return at;
}

static bool has_message(const fixture *fx, const char *part) {
  for (size_t i = 0; i < fx->diags.count; i++)
    if (strstr(fx->diags.items[i].message, part))
      return true;
  return false;
}

static void test_extends_errors(void **state) {
  fixture *fx = *state;
  char dir[] = "/tmp/jx-template-XXXXXX";
  assert_non_null(mkdtemp(dir));
  write_template(dir, "loop-a", "extends: loop-b\nname: a\n");
  write_template(dir, "loop-b", "extends: loop-a\nname: b\n");
  write_template(dir, "orphan", "extends: not-there\nname: o\n");
  assert_null(load(fx, dir, "loop-a"));
  assert_true(has_message(fx, "more than 8 templates deep"));
  assert_null(load(fx, dir, "orphan"));
  assert_true(has_message(fx, "cannot load the base template 'not-there'"));
  assert_null(load(fx, dir, "../etc"));
  assert_true(has_message(fx, "invalid template name"));
  remove_dir(dir);
}

/* A side of the indicator grid may give its own styles: the shipped
 * template sets the 年度 指标值 apart; here the 年度 side's 三级 and 指标值
 * are overridden, its 二级 and the 实施期 side keep the grid's. */
static void test_side_styles(void **state) {
  fixture *fx = *state;
  static char text[65536];
  char *at = read_shipped(text, sizeof text);
  char *rest = at + strlen(SHIPPED_SIDE_STYLES);
  char *styles = strstr(text, "\nstyles:\n");
  assert_non_null(styles);
  styles += strlen("\nstyles:\n");
  assert_true(styles < at);
  static char out[70000];
  snprintf(out, sizeof out,
           "%.*s  side_only: {align: right, valign: middle, font: body}\n"
           "%.*sstyles: {level3: side_only, value: side_only}%s",
           (int)(styles - text), text, (int)(at - styles), styles, rest);
  char dir[] = "/tmp/jx-template-XXXXXX";
  assert_non_null(mkdtemp(dir));
  write_template(dir, "sided", out);
  jx_template *t = load(fx, dir, "sided");
  assert_non_null(t);
  const jx_tgrid *g = &t->bands[5].grid;
  assert_int_equal(g->side_count, 2);
  /* 实施期 keeps the grid's styles (none of them right-aligned) */
  assert_int_equal(g->sides[0].level3_style.halign, g->level3_style.halign);
  assert_int_equal(g->sides[0].value_style.halign, g->value_style.halign);
  assert_int_not_equal(g->level3_style.halign, JX_HALIGN_RIGHT);
  /* 年度 has its own for 三级 and 指标值, the grid's for 二级 */
  assert_int_equal(g->sides[1].level3_style.halign, JX_HALIGN_RIGHT);
  assert_int_equal(g->sides[1].level3_style.valign, JX_VALIGN_MIDDLE);
  assert_int_equal(g->sides[1].value_style.halign, JX_HALIGN_RIGHT);
  assert_int_equal(g->sides[1].level2_style.halign, g->level2_style.halign);
  remove_dir(dir);
}

/* A side's `styles` that is not a mapping, or names a cell the side does
 * not have, is an error with its position. */
static void test_side_styles_errors(void **state) {
  fixture *fx = *state;
  static char text[65536], out[70000];
  char *at = read_shipped(text, sizeof text);
  static const char *const bad[] = {"styles: 3", "styles: {level9: label}"};
  static const char *const says[] = {
      "a side's 'styles' must be a mapping",
      "a side's styles are level2, level3 and value, not 'level9'"};
  char dir[] = "/tmp/jx-template-XXXXXX";
  assert_non_null(mkdtemp(dir));
  for (int i = 0; i < 2; i++) {
    snprintf(out, sizeof out, "%.*s%s%s", (int)(at - text), text, bad[i],
             at + strlen(SHIPPED_SIDE_STYLES));
    write_template(dir, "bad-side", out);
    assert_null(load(fx, dir, "bad-side"));
    assert_true(has_message(fx, says[i]));
  }
  remove_dir(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_geometry_in_points),
      cmocka_unit_test(test_extends_overlays_base),
      cmocka_unit_test(test_extends_errors),
      cmocka_unit_test(test_side_styles),
      cmocka_unit_test(test_side_styles_errors),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
