/*
 * test_layout.c — layout of the samples: page counts, where form 5 breaks,
 * the labels repeated after the break, row geometry; a grid column that a
 * template declares, laid out where its band puts it.
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

#include "layout.h"
#include "model.h"
#include "template.h"
#include "testutil.h" /* test_load */
#include "validate.h"

typedef struct lfixture {
  jx_arena arena;
  jx_diag_list diags;
  jx_fonts fonts;
  jx_measure measure;
  jx_template *tpl;
  jx_layout layout;
} lfixture;

static int setup(void **state) {
  static lfixture fx;
  memset(&fx, 0, sizeof fx);
  jx_arena_init(&fx.arena);
  if (!jx_fonts_init(&fx.fonts))
    return -1;
  jx_measure_init(&fx.measure, &fx.fonts);
  fx.tpl = jx_template_load(&fx.arena, &fx.diags, &fx.fonts,
                            JX_SOURCE_DIR "/templates", "yangquan-2025");
  if (!fx.tpl)
    return -1;
  *state = &fx;
  return 0;
}

static int teardown(void **state) {
  lfixture *fx = *state;
  jx_measure_free(&fx->measure);
  jx_fonts_free(&fx->fonts);
  jx_diag_list_free(&fx->diags);
  jx_arena_free(&fx->arena);
  return 0;
}

/* Lays out samples/NAME.yaml into a fresh layout in the lfixture. */
static jx_layout *lay_out(lfixture *fx, const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/samples/%s.yaml", JX_SOURCE_DIR, name);
  jx_model *m = test_load(&fx->arena, &fx->diags, fx->tpl, path, NULL, 0, NULL);
  assert_non_null(m);
  memset(&fx->layout, 0, sizeof fx->layout);
  fx->layout.arena = &fx->arena;
  assert_true(
      jx_layout_form(&fx->layout, &fx->measure, fx->tpl, m, 0, &fx->diags));
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
  lfixture *fx = *state;
  static const char *const one_page[] = {"01-chengshi-daolu", "02-daolu-wajue",
                                         "03-gongjiao-butie", "04-cunji-zuzhi",
                                         "06-laji-fenshao"};
  for (size_t i = 0; i < 5; i++)
    assert_int_equal(lay_out(fx, one_page[i])->page_count, 1);
  assert_int_equal(lay_out(fx, "05-rencai-gongzuo")->page_count, 2);
}

static void test_break_repeats_spanning_labels(void **state) {
  lfixture *fx = *state;
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
  lfixture *fx = *state;
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
  lfixture *fx = *state;
  jx_layout *l = lay_out(fx, "02-daolu-wajue");
  /* 中央, 省级, 单位自筹 are 0 on both sides; 其他资金 is blank */
  assert_int_equal(count_runs(l, 0, "0"), 6);
  assert_int_equal(count_runs(l, 0, "22,487,000"), 4);
}

/* A template with repeat_header draws the column headers again on the
 * grid's continuation page, and the vertical label reaches over them. */
static void test_repeat_header(void **state) {
  lfixture *fx = *state;
  jx_template *tpl =
      jx_template_load(&fx->arena, &fx->diags, &fx->fonts,
                       JX_SOURCE_DIR "/templates", "annual-only-2023");
  assert_non_null(tpl);
  jx_model *m = test_load(
      &fx->arena, &fx->diags, tpl,
      JX_SOURCE_DIR "/tests/golden/variant-repeat-header.yaml", NULL, 0, NULL);
  if (!m)
    for (size_t i = 0; i < fx->diags.count; i++)
      jx_diagnostic_print(&fx->diags.items[i], stderr);
  assert_non_null(m);
  assert_string_equal(m->template_name.str, "annual-only-2023");
  memset(&fx->layout, 0, sizeof fx->layout);
  fx->layout.arena = &fx->arena;
  assert_true(jx_layout_form(&fx->layout, &fx->measure, tpl, m, 0, &fx->diags));
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

/* A grid column the template declares beyond the frame, name and value:
 * a variant of yangquan-2025 whose indicator grid has a 权重 (`weight`,
 * a percentage) column on each side, and one band showing it.  The
 * column is read by its id or its label, checked by its type, and laid
 * out in the band column its side names. */
static const char weighted[] =
    "extends: yangquan-2025\n"
    "name: weighted\n"
    "grids:\n"
    "  - id: indicators\n"
    "    label: 绩效指标\n"
    "    sides:\n"
    "      - {id: period, label: 实施期}\n"
    "      - {id: annual, label: 年度}\n"
    "    columns:\n"
    "      - {id: level1, label: 一级指标, role: level1}\n"
    "      - {id: level2, label: 二级指标, role: level2}\n"
    "      - {id: level3, label: 三级指标, role: name}\n"
    "      - {id: value, label: 指标值, role: value}\n"
    "      - {id: weight, label: 权重, type: percent}\n"
    "    frame:\n"
    "      - level1: 产出指标\n"
    "        level2: [数量指标, 质量指标]\n"
    "      - level1: 满意度指标\n"
    "        level2: [服务对象满意度指标]\n"
    "bands:\n"
    "  - columns: [5.11, 5.61, 6.87, 9.81, 8.40, 4.0, 6.62, 7.53, 7.30, 4.0]\n"
    "    grid:\n"
    "      list: indicators\n"
    "      label: 绩效指标\n"
    "      label_col: 0\n"
    "      header:\n"
    "        - {text: 一级指标, col: 1, style: grid_header}\n"
    "        - {text: 二级指标, style: grid_header}\n"
    "        - {text: 三级指标, style: grid_header}\n"
    "        - {text: 指标值, style: grid_header}\n"
    "        - {text: 权重, style: grid_header}\n"
    "        - {text: 二级指标, style: grid_header}\n"
    "        - {text: 三级指标, style: grid_header}\n"
    "        - {text: 指标值, style: grid_header}\n"
    "        - {text: 权重, style: grid_header}\n"
    "      level1_col: 1\n"
    "      sides:\n"
    "        - {side: period, cols: {level2: 2, level3: 3, value: 4, "
    "weight: 5}}\n"
    "        - {side: annual, cols: {level2: 6, level3: 7, value: 8, "
    "weight: 9}}\n"
    "      styles: {level1: level1, level2: level2, level3: level3, "
    "value: value, weight: value}\n";

static const char weighted_project[] =
    "schema: 1\n"
    "template: weighted\n"
    "year: 2025\n"
    "project:\n"
    "  name: 测试项目\n"
    "  department: {code: \"005\", name: 某部门}\n"
    "indicators:\n"
    "  period:\n"
    "    - {level1: 产出指标, level2: 数量指标, level3: 条数, value: 3条, "
    "weight: 30%}\n"
    "  annual:\n"
    "    - {level1: 产出指标, level2: 质量指标, level3: 合格率, value: ≥95%, "
    "权重: 20%}\n"
    "    - {level1: 满意度指标, level2: 服务对象满意度指标, level3: 满意度, "
    "value: ≥90%}\n";

/* Writes `text` to dir/name.yaml. */
static void write_file(const char *dir, const char *name, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

/* The x of the first run on page `p` whose text is `text`, or -1. */
static double run_x(const jx_layout *l, size_t p, const char *text) {
  const jx_dpage *pg = &l->pages[p];
  for (size_t i = 0; i < pg->run_count; i++)
    if (pg->runs[i].len == strlen(text) &&
        !memcmp(pg->runs[i].text, text, pg->runs[i].len))
      return pg->runs[i].x;
  return -1;
}

static void test_declared_grid_column(void **state) {
  lfixture *fx = *state;
  char dir[] = "/tmp/jx-layout-XXXXXX";
  assert_non_null(mkdtemp(dir));
  write_file(dir, "weighted.yaml", weighted);
  char link[600];
  snprintf(link, sizeof link, "%s/yangquan-2025.yaml", dir);
  assert_int_equal(symlink(JX_SOURCE_DIR "/templates/yangquan-2025.yaml", link),
                   0);
  jx_template *tpl =
      jx_template_load(&fx->arena, &fx->diags, &fx->fonts, dir, "weighted");
  for (size_t i = 0; !tpl && i < fx->diags.count; i++)
    jx_diagnostic_print(&fx->diags.items[i], stderr);
  assert_non_null(tpl);
  /* the base's fields, the variant's grid and band */
  assert_true(jx_content_field(&tpl->content, "project.name") >= 0);
  assert_int_equal(tpl->band_count, 1);
  assert_int_equal(tpl->bands[0].kind, JX_BAND_GRID);
  const jx_grid_def *def = &tpl->content.grids[tpl->bands[0].grid.grid];
  int weight = jx_grid_col(def, "weight");
  assert_int_equal(weight, 4);
  assert_string_equal(def->cols[weight].label, "权重");
  assert_int_equal(def->cols[weight].role, JX_COL_PLAIN);
  assert_int_equal(def->cols[weight].type, JX_FT_PERCENT);
  assert_int_equal(tpl->bands[0].grid.sides[0].col_at[weight], 5);
  assert_int_equal(tpl->bands[0].grid.sides[1].col_at[weight], 9);

  jx_model *m = test_load(&fx->arena, &fx->diags, tpl, "w.yaml",
                          weighted_project, strlen(weighted_project), NULL);
  for (size_t i = 0; !m && i < fx->diags.count; i++)
    jx_diagnostic_print(&fx->diags.items[i], stderr);
  assert_non_null(m);
  assert_string_equal(m->template_name.str, "weighted");
  const jx_row *p0 = &m->lists[0][0].items[0];
  const jx_row *a0 = &m->lists[0][1].items[0];
  const jx_row *a1 = &m->lists[0][1].items[1];
  assert_string_equal(p0->cells[weight].str, "30%");
  assert_string_equal(a0->cells[weight].str, "20%"); /* written as 权重 */
  assert_false(a1->cells[weight].present);
  assert_true(jx_validate(m, tpl, false, &fx->diags));
  assert_int_equal(fx->diags.errors, 0);

  memset(&fx->layout, 0, sizeof fx->layout);
  fx->layout.arena = &fx->arena;
  assert_true(jx_layout_form(&fx->layout, &fx->measure, tpl, m, 0, &fx->diags));
  jx_layout *l = &fx->layout;
  assert_int_equal(l->page_count, 1);
  assert_int_equal(count_runs(l, 0, "权重"), 2);
  assert_int_equal(count_runs(l, 0, "30%"), 1);
  assert_int_equal(count_runs(l, 0, "20%"), 1);
  /* each in its side's band column: 35.80 em (实施期) and 61.25 em (年度)
   * from the table's left edge, 4 em wide */
  double left = tpl->margin_left, em = 8;
  double x = run_x(l, 0, "30%");
  assert_true(x >= left + 35.80 * em && x < left + 39.80 * em);
  x = run_x(l, 0, "20%");
  assert_true(x >= left + 61.25 * em && x < left + 65.25 * em);
  x = run_x(l, 0, "合格率");
  assert_true(x >= left + 46.42 * em && x < left + 53.95 * em);

  /* the column's type is checked */
  jx_diag_list_free(&fx->diags);
  char bad[2048];
  snprintf(bad, sizeof bad, "%s", weighted_project);
  char *at = strstr(bad, "weight: 30%");
  assert_non_null(at);
  memcpy(at, "weight: 3x%", strlen("weight: 3x%"));
  assert_null(
      test_load(&fx->arena, &fx->diags, tpl, "w.yaml", bad, strlen(bad), NULL));
  assert_int_equal(fx->diags.errors, 1);
  assert_non_null(strstr(fx->diags.items[0].message,
                         "'indicators.period[1].weight' must be a "
                         "percentage"));
  jx_diag_list_free(&fx->diags);

  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  assert_int_equal(system(cmd), 0);
}

/* y of the first run of `text` on page p (baseline, points from the top),
 * or -1. */
static double run_y(const jx_layout *l, size_t p, const char *text) {
  const jx_dpage *pg = &l->pages[p];
  for (size_t i = 0; i < pg->run_count; i++)
    if (pg->runs[i].len == strlen(text) &&
        !memcmp(pg->runs[i].text, text, pg->runs[i].len))
      return pg->runs[i].y;
  return -1;
}

/* A form of plain lists, declared only in its template: a two-row grid
 * header (a cell spanning two columns above two), a sub-table whose
 * merged columns print a repeated duty once, a choice printed as check
 * boxes, a row with a minimum height, a vertical label with its own
 * lines, and money printed as written. */
static const char plain_template[] =
    "name: plain\n"
    "page: {width_pt: 595.28, height_pt: 841.89, margin_top_pt: 40,\n"
    "       margin_bottom_pt: 40, margin_left_pt: 50, margin_right_pt: 50}\n"
    "em_pt: 9\n"
    "fonts:\n"
    "  body: {faces: [AR PL UMing CN, HanaMinA, HanaMinB], size_pt: 9,\n"
    "         line_pitch_pt: 12}\n"
    "fields:\n"
    "  - {id: year, label: 年度, type: year, required: true, example: "
    "\"2025\"}\n"
    "  - {id: kind, label: 项目类型, type: choice, choices: [新增项目, "
    "延续项目]}\n"
    "  - {money: funds}\n"
    "  - {id: opinion, label: 审核意见, type: paragraph}\n"
    "money:\n"
    "  - id: funds\n"
    "    label: 资金\n"
    "    unit: 万元\n"
    "    thousands: false\n"
    "    decimals: as_written\n"
    "    columns: [{id: plan, label: 预算}]\n"
    "    rows: [{id: total, label: 总额, total: true}]\n"
    "grids:\n"
    "  - id: duties\n"
    "    label: 履职\n"
    "    columns:\n"
    "      - {id: duty, label: 职能}\n"
    "      - {id: goal, label: 目标}\n"
    "      - {id: project, label: 项目}\n"
    "styles:\n"
    "  t: {align: left, valign: top, font: body}\n"
    "bands:\n"
    "  - columns: [10, 45]\n"
    "    rows:\n"
    "      - [{text: 项目类型, style: t}, {text: \"{kind|check}\", style: t}]\n"
    "      - [{text: 资金总额, style: t}, {text: \"{funds.plan.total}\", "
    "style: "
    "t}]\n"
    "  - columns: [10, 15, 15, 15]\n"
    "    grid:\n"
    "      list: duties\n"
    "      label: \"年度\\n履职\\n目标\"\n"
    "      label_col: 0\n"
    "      header:\n"
    "        - - {text: 部门职能, col: 1, rowspan: 2, style: t}\n"
    "          - {text: 目标与项目, colspan: 2, style: t}\n"
    "        - - {text: 履职目标, col: 2, style: t}\n"
    "          - {text: 对应项目, style: t}\n"
    "      cols: {duty: 1, goal: 2, project: 3}\n"
    "      merge: [duty, goal]\n"
    "  - columns: [10, 45]\n"
    "    rows:\n"
    "      - {min_height_pt: 80, cells: [{text: 审核意见, style: t},\n"
    "                                    {text: \"{opinion}\", style: t}]}\n"
    "      - [{text: 最后一行, style: t}, {text: x, style: t}]\n";

static const char plain_project[] =
    "schema: 1\n"
    "template: plain\n"
    "year: 2025\n"
    "项目类型: 延续项目\n"
    "funds: {plan: {total: 86.50}}\n"
    "duties:\n"
    "  - {duty: 食品安全, goal: 抽检6000批次, project: 抽检监测}\n"
    "  - {duty: 食品安全, goal: 抽检6000批次, project: 风险监测}\n"
    "  - {duty: 特种设备, goal: 抽检6000批次, project: 监督检查}\n"
    "opinion: 同意\n";

static void test_plain_list_features(void **state) {
  lfixture *fx = *state;
  char dir[] = "/tmp/jx-layout-XXXXXX";
  assert_non_null(mkdtemp(dir));
  write_file(dir, "plain.yaml", plain_template);
  jx_template *tpl =
      jx_template_load(&fx->arena, &fx->diags, &fx->fonts, dir, "plain");
  for (size_t i = 0; !tpl && i < fx->diags.count; i++)
    jx_diagnostic_print(&fx->diags.items[i], stderr);
  assert_non_null(tpl);
  assert_int_equal(tpl->bands[1].grid.header_count, 2);
  jx_model *m = test_load(&fx->arena, &fx->diags, tpl, "p.yaml", plain_project,
                          strlen(plain_project), NULL);
  for (size_t i = 0; !m && i < fx->diags.count; i++)
    jx_diagnostic_print(&fx->diags.items[i], stderr);
  assert_non_null(m);
  memset(&fx->layout, 0, sizeof fx->layout);
  fx->layout.arena = &fx->arena;
  assert_true(jx_layout_form(&fx->layout, &fx->measure, tpl, m, 0, &fx->diags));
  jx_layout *l = &fx->layout;
  /* check boxes: every choice, the one written ticked */
  assert_int_equal(count_runs(l, 0, "\u2611"), 1);
  assert_int_equal(count_runs(l, 0, "\u2610"), 1);
  assert_true(run_x(l, 0, "\u2610") < run_x(l, 0, "\u2611"));
  /* money as written */
  assert_int_equal(count_runs(l, 0, "86.50"), 1);
  /* the two-row header: the spanning cell and the two under it */
  assert_int_equal(count_runs(l, 0, "目标与项目"), 1);
  assert_true(run_y(l, 0, "目标与项目") < run_y(l, 0, "履职目标"));
  /* merged: 食品安全 printed once for its two rows; the goal, the same in
   * all three rows, merged only where the duty is (twice) */
  assert_int_equal(count_runs(l, 0, "食品安全"), 1);
  assert_int_equal(count_runs(l, 0, "特种设备"), 1);
  assert_int_equal(count_runs(l, 0, "抽检6000批次"), 2);
  assert_int_equal(count_runs(l, 0, "风险监测"), 1);
  /* the vertical label keeps its three lines */
  assert_int_equal(count_runs(l, 0, "履职"), 1);
  /* the opinion row is at least 80 pt tall */
  assert_true(run_y(l, 0, "最后一行") - run_y(l, 0, "审核意见") >= 80 - 1e-6);
  char path[600];
  snprintf(path, sizeof path, "%s/plain.yaml", dir);
  remove(path);
  rmdir(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_page_counts),
      cmocka_unit_test(test_break_repeats_spanning_labels),
      cmocka_unit_test(test_row_geometry),
      cmocka_unit_test(test_blank_is_not_zero),
      cmocka_unit_test(test_repeat_header),
      cmocka_unit_test(test_declared_grid_column),
      cmocka_unit_test(test_plain_list_features),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
