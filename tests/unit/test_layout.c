/*
 * test_layout.c — layout of the samples: page counts, where form 5 breaks,
 * the labels repeated after the break, row geometry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "layout.h"
#include "model.h"
#include "template.h"

typedef struct fixture {
  jx_arena arena;
  jx_diag_list diags;
  jx_fonts fonts;
  jx_template *tpl;
  jx_layout layout;
} fixture;

static int setup(void **state) {
  static fixture fx;
  memset(&fx, 0, sizeof fx);
  jx_arena_init(&fx.arena);
  if (!jx_fonts_init(&fx.fonts))
    return -1;
  fx.tpl = jx_template_load(&fx.arena, &fx.diags, &fx.fonts,
                            JX_SOURCE_DIR "/templates", "yangquan-2025");
  if (!fx.tpl)
    return -1;
  *state = &fx;
  return 0;
}

static int teardown(void **state) {
  fixture *fx = *state;
  jx_fonts_free(&fx->fonts);
  jx_diag_list_free(&fx->diags);
  jx_arena_free(&fx->arena);
  return 0;
}

/* Lays out samples/NAME.yaml into a fresh layout in the fixture. */
static jx_layout *lay_out(fixture *fx, const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/samples/%s.yaml", JX_SOURCE_DIR, name);
  jx_model *m = jx_load_file(&fx->arena, &fx->diags, path);
  assert_non_null(m);
  memset(&fx->layout, 0, sizeof fx->layout);
  fx->layout.arena = &fx->arena;
  assert_true(
      jx_layout_form(&fx->layout, &fx->fonts, fx->tpl, m, 0, &fx->diags));
  return &fx->layout;
}

/* Number of runs on page `p` whose text is exactly `text`. */
static int count_runs(const jx_layout *l, size_t p, const char *text) {
  int n = 0;
  const jx_dpage *pg = &l->pages[p];
  for (size_t i = 0; i < pg->run_count; i++)
    if (pg->runs[i].len == strlen(text) &&
        !memcmp(pg->runs[i].text, text, pg->runs[i].len))
      n++;
  return n;
}

static void test_page_counts(void **state) {
  fixture *fx = *state;
  static const char *const one_page[] = {"01-chengshi-daolu", "02-daolu-wajue",
                                         "03-gongjiao-butie", "04-cunji-zuzhi",
                                         "06-laji-fenshao"};
  for (size_t i = 0; i < 5; i++)
    assert_int_equal(lay_out(fx, one_page[i])->page_count, 1);
  assert_int_equal(lay_out(fx, "05-rencai-gongzuo")->page_count, 2);
}

static void test_break_repeats_spanning_labels(void **state) {
  fixture *fx = *state;
  jx_layout *l = lay_out(fx, "05-rencai-gongzuo");
  assert_int_equal(l->page_count, 2);
  /* page 1 ends after 时效指标 row 1, page 2 starts with 发放时限 */
  assert_int_equal(count_runs(l, 0, "发放补贴津贴的及时性"), 1);
  assert_int_equal(count_runs(l, 0, "发放时限"), 0);
  assert_int_equal(count_runs(l, 1, "发放时限"), 2);
  /* the labels that span the break are repeated in the second part */
  const char *vertical[] = {"绩", "效", "指", "标"};
  for (size_t i = 0; i < 4; i++) {
    /* a wrapped "可持续影响指" / "标" also makes a one-character run */
    assert_true(count_runs(l, 0, vertical[i]) >= 1);
    assert_true(count_runs(l, 1, vertical[i]) >= 1);
  }
  assert_int_equal(count_runs(l, 0, "绩"), 1);
  assert_int_equal(count_runs(l, 1, "绩"), 1);
  assert_int_equal(count_runs(l, 1, "产出指标"), 1);
  assert_int_equal(count_runs(l, 1, "时效指标"), 2);
  /* the column header and the title are not repeated */
  assert_int_equal(count_runs(l, 0, "一级指标"), 1);
  assert_int_equal(count_runs(l, 1, "一级指标"), 0);
  assert_int_equal(
      count_runs(l, 1, "阳泉市市级预算部门（单位）项目支出绩效目标表"), 0);
  /* the footer follows the last row, on page 2 only */
  assert_int_equal(count_runs(l, 0, "负责人："), 0);
  assert_int_equal(count_runs(l, 1, "负责人："), 1);
}

/* The first rows: a one-line row is 10 × 1 + 4 = 14 pt, the table starts
 * 55 pt below the top margin. */
static void test_row_geometry(void **state) {
  fixture *fx = *state;
  jx_layout *l = lay_out(fx, "02-daolu-wajue");
  const jx_dpage *pg = &l->pages[0];
  double top = 39.69 + 55;
  bool found_top = false, found_second = false;
  for (size_t i = 0; i < pg->rule_count; i++) {
    const jx_drule *r = &pg->rules[i];
    if (r->y0 == r->y1 && r->x0 < 37 && r->x1 > 558) {
      if (r->y0 > top - 0.01 && r->y0 < top + 0.01)
        found_top = true;
      if (r->y0 > top + 13.99 && r->y0 < top + 14.01)
        found_second = true;
    }
  }
  assert_true(found_top);
  assert_true(found_second);
  /* the wide value wraps at 47.01 em: the 3,000-character case is covered
   * by the golden tests; here a short value stays on one line */
  assert_int_equal(count_runs(l, 0, "道路挖掘修复费"), 1);
}

/* An absent amount prints blank, 0 prints "0". */
static void test_blank_is_not_zero(void **state) {
  fixture *fx = *state;
  jx_layout *l = lay_out(fx, "02-daolu-wajue");
  /* 中央, 省级, 单位自筹 are 0 on both sides; 其他资金 is blank */
  assert_int_equal(count_runs(l, 0, "0"), 6);
  assert_int_equal(count_runs(l, 0, "22,487,000"), 4);
}

/* A template with repeat_header draws the column headers again on the
 * grid's continuation page, and the vertical label reaches over them. */
static void test_repeat_header(void **state) {
  fixture *fx = *state;
  jx_template *tpl =
      jx_template_load(&fx->arena, &fx->diags, &fx->fonts,
                       JX_SOURCE_DIR "/templates", "annual-only-2023");
  assert_non_null(tpl);
  jx_model *m =
      jx_load_file(&fx->arena, &fx->diags,
                   JX_SOURCE_DIR "/tests/golden/variant-repeat-header.yaml");
  assert_non_null(m);
  memset(&fx->layout, 0, sizeof fx->layout);
  fx->layout.arena = &fx->arena;
  assert_true(jx_layout_form(&fx->layout, &fx->fonts, tpl, m, 0, &fx->diags));
  jx_layout *l = &fx->layout;
  assert_int_equal(l->page_count, 2);
  assert_int_equal(count_runs(l, 0, "一级指标"), 1);
  assert_int_equal(count_runs(l, 1, "一级指标"), 1);
  assert_int_equal(count_runs(l, 1, "绩效标准"), 1);
  /* the header sits at the top of the continuation page, above the rows */
  double header_y = 0, first_row_y = 1e9;
  const jx_dpage *pg = &l->pages[1];
  for (size_t i = 0; i < pg->run_count; i++) {
    const jx_drun *r = &pg->runs[i];
    if (r->len == strlen("一级指标") && !memcmp(r->text, "一级指标", r->len))
      header_y = r->y;
    if (r->len > 3 && !memcmp(r->text, "第", 3) && r->y < first_row_y)
      first_row_y = r->y;
  }
  assert_true(header_y > 0 && header_y < first_row_y);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_page_counts),
      cmocka_unit_test(test_break_repeats_spanning_labels),
      cmocka_unit_test(test_row_geometry),
      cmocka_unit_test(test_blank_is_not_zero),
      cmocka_unit_test(test_repeat_header),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
