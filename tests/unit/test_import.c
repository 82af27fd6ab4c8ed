/*
 * test_import.c — workbook → projects (src/import.c): books built in
 * memory, cell by cell, in both layouts of docs/import-layouts.md, mapped
 * against the yangquan-2025 template, loaded as the YAML they become and
 * checked value by value; and every problem at its cell.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "import.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- books in memory ---- */

typedef struct tbook {
  jx_book book;
  jx_sheet sheets[4];
  size_t cell_cap[4], merge_cap[4];
} tbook;

static tbook *book_new(fixture *f, const char *path) {
  tbook *b = jx_arena_alloc(&f->arena, sizeof *b);
  memset(b, 0, sizeof *b);
  b->book.path = path;
  b->book.format = "xlsx";
  b->book.sheets = b->sheets;
  return b;
}

static jx_sheet *sheet_new(tbook *b, const char *name) {
  jx_sheet *sh = &b->sheets[b->book.sheet_count++];
  sh->name = name;
  return sh;
}

/* "C12" → row 11, col 2. */
static void a1(const char *ref, uint32_t *row, uint32_t *col) {
  uint32_t c = 0, r = 0;
  for (; *ref >= 'A' && *ref <= 'Z'; ref++)
    c = c * 26 + (uint32_t)(*ref - 'A' + 1);
  for (; *ref >= '0' && *ref <= '9'; ref++)
    r = r * 10 + (uint32_t)(*ref - '0');
  *row = r - 1;
  *col = c - 1;
}

static jx_cell *add_cell(fixture *f, tbook *b, jx_sheet *sh, const char *ref) {
  size_t s = (size_t)(sh - b->sheets);
  sh->cells = jx_arena_grow(&f->arena, sh->cells, sizeof *sh->cells,
                            &b->cell_cap[s], sh->cell_count + 1);
  jx_cell *c = &sh->cells[sh->cell_count++];
  memset(c, 0, sizeof *c);
  a1(ref, &c->row, &c->col);
  c->decimals = -1;
  if (c->row + 1 > sh->rows)
    sh->rows = c->row + 1;
  if (c->col + 1 > sh->cols)
    sh->cols = c->col + 1;
  return c;
}

static void text(fixture *f, tbook *b, jx_sheet *sh, const char *ref,
                 const char *t) {
  jx_cell *c = add_cell(f, b, sh, ref);
  c->kind = JX_CELL_TEXT;
  c->text = t;
}

static void number(fixture *f, tbook *b, jx_sheet *sh, const char *ref,
                   double x, jx_numfmt fmt, int decimals) {
  jx_cell *c = add_cell(f, b, sh, ref);
  c->kind = JX_CELL_NUMBER;
  c->number = x;
  c->format = fmt;
  c->decimals = decimals;
  char buf[64];
  snprintf(buf, sizeof buf, "%.15g", x);
  c->text = jx_arena_strdup(&f->arena, buf);
}

static void error_cell(fixture *f, tbook *b, jx_sheet *sh, const char *ref,
                       const char *t) {
  jx_cell *c = add_cell(f, b, sh, ref);
  c->kind = JX_CELL_ERROR;
  c->text = t;
}

static void merge(fixture *f, tbook *b, jx_sheet *sh, const char *from,
                  const char *to) {
  size_t s = (size_t)(sh - b->sheets);
  sh->merges = jx_arena_grow(&f->arena, sh->merges, sizeof *sh->merges,
                             &b->merge_cap[s], sh->merge_count + 1);
  jx_merge *m = &sh->merges[sh->merge_count++];
  a1(from, &m->row0, &m->col0);
  a1(to, &m->row1, &m->col1);
  if (m->row1 + 1 > sh->rows)
    sh->rows = m->row1 + 1;
}

static int cmp_cell(const void *pa, const void *pb) {
  const jx_cell *a = pa, *b = pb;
  if (a->row != b->row)
    return a->row < b->row ? -1 : 1;
  return a->col < b->col ? -1 : a->col > b->col;
}

/* Sorts the cells as the readers leave them. */
static void finish(tbook *b) {
  for (size_t s = 0; s < b->book.sheet_count; s++)
    qsort(b->sheets[s].cells, b->sheets[s].cell_count, sizeof(jx_cell),
          cmp_cell);
}

/* ---- importing and loading ---- */

static const jx_template *yq(void) {
  const jx_template *t = test_template("yangquan-2025");
  assert_non_null(t);
  return t;
}

static void print_diags(const jx_diag_list *d) {
  for (size_t i = 0; i < d->count; i++)
    jx_diagnostic_print(&d->items[i], stderr);
}

/* Imports `b`; asserts it maps to `count` projects. */
static jx_import import(fixture *f, tbook *b, size_t count) {
  finish(b);
  jx_import imp;
  const char *titles[8];
  size_t title_count = 0;
  for (size_t i = 0; i < yq()->heading_count && i < 8; i++)
    titles[title_count++] = yq()->heading[i].pattern;
  bool ok = jx_import_book(&f->arena, &f->diags, &b->book, &yq()->content,
                           titles, title_count, "yangquan-2025", &imp);
  if (!ok || imp.count != count) {
    print_diags(&f->diags);
    for (size_t i = 0; i < imp.count; i++)
      fprintf(stderr, "---- project %zu\n%s", i + 1, imp.projects[i].yaml);
    fail_msg("expected %zu projects, got %zu", count, ok ? imp.count : 0);
  }
  return imp;
}

/* Loads project i of `imp` as the session does (diagnostics to cells). */
static jx_model *load(fixture *f, jx_session *s, const jx_import *imp,
                      size_t i) {
  return jx_session_load_import(s, &f->arena, &f->diags, imp, i,
                                imp->book->path, yq());
}

static jx_model *load_ok(fixture *f, jx_session *s, const jx_import *imp,
                         size_t i) {
  jx_model *m = load(f, s, imp, i);
  if (!m) {
    print_diags(&f->diags);
    fprintf(stderr, "%s", imp->projects[i].yaml);
    fail_msg("project %zu does not load", i + 1);
  }
  return m;
}

static const char *value(const jx_model *m, const char *id) {
  const jx_text *t = jx_model_text(m, id);
  if (!t)
    fail_msg("no field %s", id);
  return t->present ? t->str : "(absent)";
}

/* The rows of indicators side `side` (0 period, 1 annual). */
static const jx_rows *rows(const jx_model *m, int side) {
  int g = jx_content_grid(m->content, "indicators");
  assert_true(g >= 0);
  return &m->lists[g][side];
}

static const char *cell(const jx_row *r, const jx_model *m, const char *col) {
  int g = jx_content_grid(m->content, "indicators");
  int k = jx_grid_col(&m->content->grids[g], col);
  assert_true(k >= 0);
  return r->cells[k].present ? r->cells[k].str : "(absent)";
}

/* The diagnostic with `part` in its message (asserted). */
static const jx_diagnostic *find_diag(const jx_diag_list *d, const char *part) {
  for (size_t i = 0; i < d->count; i++)
    if (strstr(d->items[i].message, part))
      return &d->items[i];
  print_diags(d);
  fail_msg("no diagnostic with '%s'", part);
  return NULL;
}

static jx_session *session(void) {
  jx_session *s = jx_session_new(NULL);
  assert_non_null(s);
  return s;
}

/* The head of a form sheet: the four required fields. */
static void form_head(fixture *f, tbook *b, jx_sheet *sh) {
  text(f, b, sh, "A1", "项目名称");
  text(f, b, sh, "B1", "道路挖掘修复费");
  text(f, b, sh, "A2", "主管部门代码");
  text(f, b, sh, "B2", "045");
  text(f, b, sh, "A3", "主管部门");
  text(f, b, sh, "B3", "阳泉市城市管理局");
  text(f, b, sh, "A4", "年度");
  number(f, b, sh, "B4", 2025, JX_NUMFMT_GENERAL, -1);
}

/* ---- tests ---- */

/* Labels are compared normalised: full-width forms, spaces and line
 * breaks, Chinese punctuation, required marks, units, 其中:. */
static void test_norm(void **state) {
  fixture *f = *state;
  const jx_content *c = &yq()->content;
  assert_string_equal(jx_import_norm(&f->arena, c, " 项目名称＊："),
                      "项目名称");
  assert_string_equal(jx_import_norm(&f->arena, c, "*项目\n名称"), "项目名称");
  assert_string_equal(jx_import_norm(&f->arena, c, "实施期资金总额（元）"),
                      "实施期资金总额");
  assert_string_equal(jx_import_norm(&f->arena, c, "其中：中央财政资金"),
                      "中央财政资金");
  /* 其中: stays before what is not a money row */
  assert_string_equal(jx_import_norm(&f->arena, c, "其中：项目概况"),
                      "其中:项目概况");
  assert_string_equal(jx_import_norm(&f->arena, c, "市县（区）\r\n财政资金"),
                      "市县(区)财政资金");
  assert_string_equal(jx_import_norm(&f->arena, c, "【备注】\u3000ＡＢ１"),
                      "[备注]AB1");
  /* a bracket that is not the unit stays */
  assert_string_equal(jx_import_norm(&f->arena, c, "资金（万元）"),
                      "资金(万元)");
}

/* Layout 1: labels with their values right of them (merged label cells
 * too); money by COLUMN+ROW label, and by ROW label (with 其中：) under
 * the COLUMN+ROW label of its column. */
static void test_form_money_labels(void **state) {
  fixture *f = *state;
  tbook *b = book_new(f, "book.xlsx");
  jx_sheet *sh = sheet_new(b, "项目表");
  form_head(f, b, sh);
  text(f, b, sh, "A5", "实施单位");
  merge(f, b, sh, "A5", "B5");
  text(f, b, sh, "C5", "阳泉市城市管理局");
  text(f, b, sh, "A6", "实施期资金总额（元）");
  number(f, b, sh, "B6", 100000, JX_NUMFMT_GENERAL, -1);
  text(f, b, sh, "A7", "其中：中央财政资金");
  number(f, b, sh, "B7", 60000.5, JX_NUMFMT_GENERAL, 2);
  text(f, b, sh, "A8", "省级财政资金");
  text(f, b, sh, "B8", "39,999.50");
  text(f, b, sh, "C6", "年度资金总额");
  number(f, b, sh, "D6", 50000, JX_NUMFMT_GENERAL, -1);
  text(f, b, sh, "C7", "中央财政资金");
  number(f, b, sh, "D7", 50000, JX_NUMFMT_GENERAL, -1);
  text(f, b, sh, "A9", "未知标签"); /* ignored */
  text(f, b, sh, "B9", "whatever");
  jx_import imp = import(f, b, 1);
  jx_session *s = session();
  jx_model *m = load_ok(f, s, &imp, 0);
  assert_string_equal(value(m, "project.name"), "道路挖掘修复费");
  assert_string_equal(value(m, "project.department.code"), "045");
  assert_string_equal(value(m, "year"), "2025");
  assert_string_equal(value(m, "project.implementer"), "阳泉市城市管理局");
  assert_string_equal(value(m, "funds.period.total"), "100000");
  assert_string_equal(value(m, "funds.period.central"), "60000.50");
  assert_string_equal(value(m, "funds.period.provincial"), "39,999.50");
  assert_string_equal(value(m, "funds.annual.total"), "50000");
  assert_string_equal(value(m, "funds.annual.central"), "50000");
  assert_string_equal(value(m, "funds.annual.provincial"), "(absent)");
  /* an amount from a number cell is written as plain digits */
  assert_non_null(strstr(imp.projects[0].yaml, "total: 100000\n"));
  /* positions name the cells */
  assert_string_equal(jx_model_text(m, "funds.period.central")->pos.file,
                      "book.xlsx" JX_POS_CELL "项目表!B7");
  jx_import_free(&imp);
  jx_session_free(s);
}

/* A cross table: a row of column labels (实施期, 年度: 年度 is not the
 * year field here) over a column of row labels. */
static void test_cross_table(void **state) {
  fixture *f = *state;
  tbook *b = book_new(f, "book.xlsx");
  jx_sheet *sh = sheet_new(b, "项目表");
  form_head(f, b, sh);
  text(f, b, sh, "A6", "项目资金（元）");
  text(f, b, sh, "B6", "实施期");
  text(f, b, sh, "C6", "年度");
  text(f, b, sh, "A7", "资金总额");
  number(f, b, sh, "B7", 300, JX_NUMFMT_GENERAL, -1);
  number(f, b, sh, "C7", 100, JX_NUMFMT_GENERAL, -1);
  text(f, b, sh, "A8", "其中：中央财政资金");
  number(f, b, sh, "B8", 200, JX_NUMFMT_GENERAL, -1);
  number(f, b, sh, "C8", 100, JX_NUMFMT_GENERAL, -1);
  text(f, b, sh, "A9", "单位自筹");
  number(f, b, sh, "B9", 100, JX_NUMFMT_GENERAL, -1);
  number(f, b, sh, "C9", 0, JX_NUMFMT_GENERAL, -1);
  jx_import imp = import(f, b, 1);
  jx_session *s = session();
  jx_model *m = load_ok(f, s, &imp, 0);
  assert_string_equal(value(m, "year"), "2025");
  assert_string_equal(value(m, "funds.period.total"), "300");
  assert_string_equal(value(m, "funds.annual.total"), "100");
  assert_string_equal(value(m, "funds.period.central"), "200");
  assert_string_equal(value(m, "funds.annual.central"), "100");
  assert_string_equal(value(m, "funds.period.self_raised"), "100");
  assert_string_equal(value(m, "funds.annual.self_raised"), "0");
  assert_string_equal(jx_model_text(m, "funds.annual.self_raised")->pos.file,
                      "book.xlsx" JX_POS_CELL "项目表!C9");
  jx_import_free(&imp);
  jx_session_free(s);
}

/* A grid in a sheet of its own (named 绩效指标) with a side column; level1
 * merged down, level2 left empty: both taken from above; a frame row
 * with no indicator is left out. */
static void test_grid_side_column(void **state) {
  fixture *f = *state;
  tbook *b = book_new(f, "book.xlsx");
  jx_sheet *sh = sheet_new(b, "项目表");
  form_head(f, b, sh);
  jx_sheet *g = sheet_new(b, "绩效指标");
  text(f, b, g, "A1", "实施期/年度");
  text(f, b, g, "B1", "一级指标");
  text(f, b, g, "C1", "二级指标");
  text(f, b, g, "D1", "三级指标");
  text(f, b, g, "E1", "指标值");
  text(f, b, g, "A2", "实施期");
  text(f, b, g, "B2", "产出指标");
  merge(f, b, g, "B2", "B4");
  text(f, b, g, "C2", "数量指标");
  text(f, b, g, "D2", "破路恢复面积");
  text(f, b, g, "E2", "29000平方米/年");
  text(f, b, g, "A3", "实施期");
  text(f, b, g, "D3", "修复段数"); /* level1 merged, level2 empty */
  number(f, b, g, "E3", 12, JX_NUMFMT_GENERAL, -1);
  text(f, b, g, "A4", "实施期");
  text(f, b, g, "C4", "质量指标");
  number(f, b, g, "E4", 1, JX_NUMFMT_PERCENT, 0);
  text(f, b, g, "D4", "道路正常使用率");
  text(f, b, g, "A5", "年度");
  text(f, b, g, "B5", "效益指标");
  text(f, b, g, "C5", "经济效益指标"); /* frame row: no indicator */
  text(f, b, g, "A6", "年度");
  text(f, b, g, "B6", "满意度指标");
  text(f, b, g, "C6", "服务对象满意度指标");
  text(f, b, g, "D6", "社会公众满意度");
  number(f, b, g, "E6", 0.955, JX_NUMFMT_PERCENT, 1);
  jx_import imp = import(f, b, 1);
  jx_session *s = session();
  jx_model *m = load_ok(f, s, &imp, 0);
  const jx_rows *p = rows(m, 0), *a = rows(m, 1);
  assert_int_equal(p->count, 3);
  assert_int_equal(a->count, 1);
  assert_string_equal(cell(&p->items[1], m, "level1"), "产出指标");
  assert_string_equal(cell(&p->items[1], m, "level2"), "数量指标");
  assert_string_equal(cell(&p->items[1], m, "value"), "12");
  assert_string_equal(cell(&p->items[2], m, "level1"), "产出指标");
  assert_string_equal(cell(&p->items[2], m, "level2"), "质量指标");
  assert_string_equal(cell(&p->items[2], m, "value"), "100%");
  assert_string_equal(cell(&a->items[0], m, "level3"), "社会公众满意度");
  assert_string_equal(cell(&a->items[0], m, "value"), "95.5%");
  /* an inherited level1 names the cell it came from */
  int gi = jx_content_grid(m->content, "indicators");
  int l1 = jx_grid_col(&m->content->grids[gi], "level1");
  assert_string_equal(p->items[1].cells[l1].pos.file,
                      "book.xlsx" JX_POS_CELL "绩效指标!B2");
  jx_import_free(&imp);
  jx_session_free(s);
}

/* A grid in the form sheet itself, under side title rows (实施期绩效指标
 * over its header; 年度 alone between rows after a blank row), ended by
 * a field label. */
static void test_grid_side_titles(void **state) {
  fixture *f = *state;
  tbook *b = book_new(f, "book.xlsx");
  jx_sheet *sh = sheet_new(b, "项目表");
  form_head(f, b, sh);
  text(f, b, sh, "A6", "实施期绩效指标");
  merge(f, b, sh, "A6", "D6");
  text(f, b, sh, "A7", "一级指标");
  text(f, b, sh, "B7", "二级指标");
  text(f, b, sh, "C7", "三级指标");
  text(f, b, sh, "D7", "指标值");
  text(f, b, sh, "A8", "产出指标");
  text(f, b, sh, "B8", "数量指标");
  text(f, b, sh, "C8", "破路恢复面积");
  text(f, b, sh, "D8", "29000平方米/年");
  text(f, b, sh, "A10", "年度");
  text(f, b, sh, "A11", "产出指标");
  text(f, b, sh, "B11", "时效指标");
  text(f, b, sh, "C11", "响应时间");
  text(f, b, sh, "D11", "12小时内");
  text(f, b, sh, "A12", "负责人"); /* a field: the grid has ended */
  text(f, b, sh, "B12", "张三");
  jx_import imp = import(f, b, 1);
  jx_session *s = session();
  jx_model *m = load_ok(f, s, &imp, 0);
  assert_int_equal(rows(m, 0)->count, 1);
  assert_int_equal(rows(m, 1)->count, 1);
  assert_string_equal(cell(&rows(m, 0)->items[0], m, "level3"), "破路恢复面积");
  assert_string_equal(cell(&rows(m, 1)->items[0], m, "level2"), "时效指标");
  assert_string_equal(value(m, "footer.responsible"), "张三");
  assert_string_equal(value(m, "year"), "2025"); /* 年度 B4, not A10 */
  jx_import_free(&imp);
  jx_session_free(s);
}

/* Values: a percent cell, a date cell, a code typed as a number (with a
 * warning at its cell, even in a cell formatted as text since: Excel keeps
 * a number typed before the format changed), a paragraph with a line
 * break and quotes. */
static void test_values(void **state) {
  fixture *f = *state;
  tbook *b = book_new(f, "book.xlsx");
  jx_sheet *sh = sheet_new(b, "项目表");
  text(f, b, sh, "A1", "项目名称");
  text(f, b, sh, "B1", "  名称 \"引号\" \\ 反斜杠  ");
  text(f, b, sh, "A2", "主管部门代码");
  number(f, b, sh, "B2", 45, JX_NUMFMT_TEXT, -1);
  text(f, b, sh, "A3", "主管部门");
  text(f, b, sh, "B3", "某局");
  text(f, b, sh, "A4", "年度");
  number(f, b, sh, "B4", 2025, JX_NUMFMT_GENERAL, -1);
  text(f, b, sh, "A5", "填报日期");
  number(f, b, sh, "B5", 45674, JX_NUMFMT_DATE, -1);
  text(f, b, sh, "A6", "项目概况");
  text(f, b, sh, "B6", "第一行\n第二行: 冒号 # 井号");
  text(f, b, sh, "A7", "实施期资金总额");
  number(f, b, sh, "B7", 1.5e15, JX_NUMFMT_GENERAL, -1);
  jx_import imp = import(f, b, 1);
  jx_session *s = session();
  size_t before = f->diags.count;
  jx_model *m = load(f, s, &imp, 0);
  /* the amount is too large: said at its cell, without an exponent */
  assert_null(m);
  const jx_diagnostic *d = find_diag(&f->diags, "too large");
  assert_string_equal(d->cell, "项目表!B7");
  assert_non_null(strstr(d->message, "1500000000000000"));
  d = find_diag(&f->diags, "loses its 0");
  assert_int_equal(d->severity, JX_SEV_WARNING);
  assert_string_equal(d->cell, "项目表!B2");
  assert_string_equal(d->file, "book.xlsx");
  assert_true(f->diags.count > before);
  jx_import_free(&imp);
  /* the same without the amount loads */
  sh->cell_count -= 2;
  imp = import(f, b, 1);
  m = load_ok(f, s, &imp, 0);
  assert_string_equal(value(m, "project.name"), "名称 \"引号\" \\ 反斜杠");
  assert_string_equal(value(m, "project.department.code"), "45");
  assert_string_equal(value(m, "footer.date"), "2025-01-17");
  assert_string_equal(value(m, "overview"), "第一行\n第二行: 冒号 # 井号");
  jx_import_free(&imp);
  jx_session_free(s);
}

/* A group's label with its value beside it, as the printed form has it:
 * 主管部门及代码 | 045-某局 fills the code and the name (the group is a code
 * and a text field in the template); "045 某局" too; a value that is no
 * code and name is a warning at its cell and leaves both empty. */
static void test_code_and_name_in_one_cell(void **state) {
  fixture *f = *state;
  static const char *const values[] = {"045-某局", "045 某局", "某局"};
  for (int k = 0; k < 3; k++) {
    tbook *b = book_new(f, "book.xlsx");
    jx_sheet *sh = sheet_new(b, "项目表");
    text(f, b, sh, "A1", "项目名称");
    text(f, b, sh, "B1", "某项目");
    text(f, b, sh, "A2", "主管部门及代码");
    text(f, b, sh, "B2", values[k]);
    text(f, b, sh, "A3", "年度");
    number(f, b, sh, "B3", 2025, JX_NUMFMT_GENERAL, -1);
    text(f, b, sh, "A4", "实施单位");
    text(f, b, sh, "B4", "某局");
    text(f, b, sh, "A5", "项目期");
    text(f, b, sh, "B5", "1年");
    jx_import imp = import(f, b, 1);
    jx_session *s = session();
    if (k < 2) {
      jx_model *m = load_ok(f, s, &imp, 0);
      assert_string_equal(value(m, "project.department.code"), "045");
      assert_string_equal(value(m, "project.department.name"), "某局");
    } else {
      assert_null(load(f, s, &imp, 0));
      const jx_diagnostic *d = find_diag(&f->diags, "not a code and a name");
      assert_int_equal(d->severity, JX_SEV_WARNING);
      assert_string_equal(d->cell, "项目表!B2");
    }
    jx_import_free(&imp);
    jx_session_free(s);
  }
}

/* The form's title line copied into the sheet, "（ 2025 年度 ）" (the
 * template's heading "（{year}年度）", spaces and widths aside), gives the
 * year when no 年度 label does. */
static void test_title_line(void **state) {
  fixture *f = *state;
  tbook *b = book_new(f, "book.xlsx");
  jx_sheet *sh = sheet_new(b, "项目表");
  text(f, b, sh, "A1", "（ 2025 年度 ）");
  text(f, b, sh, "A2", "项目名称");
  text(f, b, sh, "B2", "某项目");
  text(f, b, sh, "A3", "主管部门及代码");
  text(f, b, sh, "B3", "045-某局");
  text(f, b, sh, "A4", "实施单位");
  text(f, b, sh, "B4", "某局");
  text(f, b, sh, "A5", "项目期");
  text(f, b, sh, "B5", "1年");
  jx_import imp = import(f, b, 1);
  jx_session *s = session();
  jx_model *m = load_ok(f, s, &imp, 0);
  assert_string_equal(value(m, "year"), "2025");
  jx_import_free(&imp);
  jx_session_free(s);
}

/* A label given twice: the same value is fine, two values are an error
 * at the second label; an error cell (#N/A) is an error at the cell. */
static void test_duplicate_and_error_cells(void **state) {
  fixture *f = *state;
  tbook *b = book_new(f, "book.xlsx");
  jx_sheet *sh = sheet_new(b, "项目表");
  form_head(f, b, sh);
  text(f, b, sh, "C1", "项目名称");
  text(f, b, sh, "D1", "道路挖掘修复费"); /* the same: fine */
  text(f, b, sh, "A6", "主管部门：");
  text(f, b, sh, "B6", "另一个局");
  text(f, b, sh, "A7", "实施单位");
  error_cell(f, b, sh, "B7", "#N/A");
  jx_import imp = import(f, b, 1);
  assert_int_equal(imp.projects[0].errors, 2);
  jx_session *s = session();
  assert_null(load(f, s, &imp, 0));
  const jx_diagnostic *d = find_diag(&f->diags, "given twice");
  assert_string_equal(d->cell, "项目表!A6");
  assert_non_null(strstr(d->message, "另一个局"));
  assert_non_null(strstr(d->message, "项目表!A3"));
  d = find_diag(&f->diags, "#N/A");
  assert_string_equal(d->cell, "项目表!B7");
  assert_int_equal(d->severity, JX_SEV_ERROR);
  for (size_t i = 0; i < f->diags.count; i++)
    assert_null(strstr(f->diags.items[i].message, "项目名称' (project.name) "
                                                  "is given twice"));
  jx_import_free(&imp);
  jx_session_free(s);
}

/* What the loader and then the validator say about the YAML is said at
 * the cell the line came from. */
static void test_diagnostics_to_cells(void **state) {
  fixture *f = *state;
  tbook *b = book_new(f, "dir/book.xlsx");
  jx_sheet *sh = sheet_new(b, "项目表");
  form_head(f, b, sh);
  text(f, b, sh, "A6", "实施期资金总额");
  text(f, b, sh, "B6", "12万");
  text(f, b, sh, "A7", "项目属性");
  text(f, b, sh, "B7", "一次性");
  jx_import imp = import(f, b, 1);
  jx_session *s = session();
  assert_null(load(f, s, &imp, 0));
  const jx_diagnostic *d = find_diag(&f->diags, "funds.period.total");
  assert_string_equal(d->file, "dir/book.xlsx");
  assert_string_equal(d->cell, "项目表!B6");
  assert_int_equal(d->line, 0);
  assert_int_equal(d->column, 0);
  jx_import_free(&imp);
  /* the amount corrected, it loads; the validator's warning about the
   * choice is at its cell, and so is what is missing (at the sheet) */
  for (size_t i = 0; i < sh->cell_count; i++)
    if (!strcmp(sh->cells[i].text, "12万"))
      sh->cells[i].text = "120000";
  imp = import(f, b, 1);
  load_ok(f, s, &imp, 0);
  d = find_diag(&f->diags, "'一次性'");
  assert_int_equal(d->severity, JX_SEV_WARNING);
  assert_string_equal(d->file, "dir/book.xlsx");
  assert_string_equal(d->cell, "项目表!B7");
  d = find_diag(&f->diags, "'overview'");
  assert_string_equal(d->cell, "项目表!A1");
  /* nothing is left pointing into the YAML */
  for (size_t i = 0; i < f->diags.count; i++)
    if (f->diags.items[i].file)
      assert_true(f->diags.items[i].line == 0);
  jx_import_free(&imp);
  jx_session_free(s);
}

/* Layout 2: a header row of labels (money as COLUMN+ROW, a field by its
 * id), one project a row; indicators in another sheet by the project's
 * name, with a side column; a third sheet's stray text is left alone. */
static void test_flat_tables(void **state) {
  fixture *f = *state;
  tbook *b = book_new(f, "list.xlsx");
  jx_sheet *sh = sheet_new(b, "项目");
  text(f, b, sh, "A1", "序号");
  text(f, b, sh, "B1", "项目名称");
  text(f, b, sh, "C1", "主管部门代码");
  text(f, b, sh, "D1", "主管部门");
  text(f, b, sh, "E1", "year");
  text(f, b, sh, "F1", "年度资金总额（元）");
  number(f, b, sh, "A2", 1, JX_NUMFMT_GENERAL, -1);
  text(f, b, sh, "B2", "甲项目");
  text(f, b, sh, "C2", "045");
  text(f, b, sh, "D2", "甲局");
  text(f, b, sh, "E2", "2025");
  number(f, b, sh, "F2", 1000, JX_NUMFMT_GENERAL, -1);
  number(f, b, sh, "A3", 2, JX_NUMFMT_GENERAL, -1);
  text(f, b, sh, "B3", "乙项目");
  text(f, b, sh, "C3", "046");
  text(f, b, sh, "D3", "乙局");
  text(f, b, sh, "E3", "2025");
  number(f, b, sh, "F3", 2000, JX_NUMFMT_GENERAL, -1);
  jx_sheet *g = sheet_new(b, "指标");
  text(f, b, g, "A1", "项目名称");
  text(f, b, g, "B1", "实施期/年度");
  text(f, b, g, "C1", "一级指标");
  text(f, b, g, "D1", "二级指标");
  text(f, b, g, "E1", "三级指标");
  text(f, b, g, "F1", "指标值");
  text(f, b, g, "A2", "乙项目");
  text(f, b, g, "B2", "年度");
  text(f, b, g, "C2", "产出指标");
  text(f, b, g, "D2", "数量指标");
  text(f, b, g, "E2", "乙指标");
  text(f, b, g, "F2", "2个");
  text(f, b, g, "A3", "甲项目");
  text(f, b, g, "B3", "实施期");
  text(f, b, g, "C3", "产出指标");
  text(f, b, g, "D3", "数量指标");
  text(f, b, g, "E3", "甲指标");
  text(f, b, g, "F3", "1个");
  text(f, b, g, "B4", "年度"); /* the same project (key left empty) */
  text(f, b, g, "C4", "产出指标");
  text(f, b, g, "D4", "数量指标");
  text(f, b, g, "E4", "甲年度指标");
  text(f, b, g, "F4", "1个");
  jx_sheet *x = sheet_new(b, "说明");
  text(f, b, x, "A1", "填表说明：每行一个项目。");
  jx_import imp = import(f, b, 2);
  assert_string_equal(imp.projects[0].anchor, "项目!A2");
  assert_string_equal(imp.projects[1].name, "乙项目");
  assert_string_equal(imp.projects[1].dept_code, "046");
  jx_session *s = session();
  jx_model *a = load_ok(f, s, &imp, 0), *c = load_ok(f, s, &imp, 1);
  assert_string_equal(value(a, "project.name"), "甲项目");
  assert_string_equal(value(a, "funds.annual.total"), "1000");
  assert_string_equal(value(c, "funds.annual.total"), "2000");
  assert_string_equal(value(c, "project.department.code"), "046");
  assert_int_equal(rows(a, 0)->count, 1);
  assert_int_equal(rows(a, 1)->count, 1);
  assert_string_equal(cell(&rows(a, 1)->items[0], a, "level3"), "甲年度指标");
  assert_int_equal(rows(c, 0)->count, 0);
  assert_int_equal(rows(c, 1)->count, 1);
  assert_string_equal(cell(&rows(c, 1)->items[0], c, "level3"), "乙指标");
  /* a row is where its first cell is */
  assert_string_equal(rows(c, 1)->items[0].pos.file,
                      "list.xlsx" JX_POS_CELL "指标!C2");
  jx_import_free(&imp);
  jx_session_free(s);
}

/* A row of indicators naming no project is an error at its key cell. */
static void test_flat_unknown_key(void **state) {
  fixture *f = *state;
  tbook *b = book_new(f, "list.csv");
  jx_sheet *sh = sheet_new(b, "list");
  text(f, b, sh, "A1", "项目名称");
  text(f, b, sh, "B1", "主管部门代码");
  text(f, b, sh, "C1", "主管部门");
  text(f, b, sh, "D1", "年度");
  text(f, b, sh, "A2", "甲项目");
  text(f, b, sh, "B2", "045");
  text(f, b, sh, "C2", "甲局");
  text(f, b, sh, "D2", "2025");
  /* the indicators below, in the same sheet (a CSV has one) */
  text(f, b, sh, "A4", "项目名称");
  text(f, b, sh, "B4", "实施期/年度");
  text(f, b, sh, "C4", "一级指标");
  text(f, b, sh, "D4", "二级指标");
  text(f, b, sh, "E4", "三级指标");
  text(f, b, sh, "F4", "指标值");
  text(f, b, sh, "A5", "甲项目");
  text(f, b, sh, "B5", "实施期");
  text(f, b, sh, "C5", "产出指标");
  text(f, b, sh, "D5", "数量指标");
  text(f, b, sh, "E5", "甲指标");
  text(f, b, sh, "F5", "1个");
  text(f, b, sh, "A6", "丙项目");
  text(f, b, sh, "B6", "实施期");
  text(f, b, sh, "E6", "丙指标");
  jx_import imp = import(f, b, 1);
  const jx_diagnostic *d = find_diag(&f->diags, "丙项目");
  assert_string_equal(d->cell, "list!A6");
  jx_session *s = session();
  jx_model *m = load_ok(f, s, &imp, 0);
  assert_int_equal(rows(m, 0)->count, 1);
  jx_import_free(&imp);
  jx_session_free(s);
}

/* A book with nothing of the form: an error naming the sheet and the
 * labels looked for. */
static void test_no_project(void **state) {
  fixture *f = *state;
  tbook *b = book_new(f, "other.xlsx");
  jx_sheet *sh = sheet_new(b, "Sheet1");
  text(f, b, sh, "A1", "姓名");
  text(f, b, sh, "B1", "项目名称");
  text(f, b, sh, "A2", "张三");
  finish(b);
  jx_import imp;
  assert_false(jx_import_book(&f->arena, &f->diags, &b->book, &yq()->content,
                              NULL, 0, "yangquan-2025", &imp));
  assert_int_equal(imp.count, 0);
  const jx_diagnostic *d = find_diag(&f->diags, "Sheet1");
  assert_int_equal(d->severity, JX_SEV_ERROR);
  assert_string_equal(d->file, "other.xlsx");
  assert_string_equal(d->cell, "Sheet1!A1");
  assert_non_null(strstr(d->message, "项目名称"));
  assert_non_null(strstr(d->message, "主管部门代码"));
}

/* The template a book names, and PATH#N. */
static void test_template_cell_and_split(void **state) {
  fixture *f = *state;
  tbook *b = book_new(f, "b.xlsx");
  jx_sheet *sh = sheet_new(b, "说明");
  text(f, b, sh, "A1", "填写说明");
  text(f, b, sh, "A5", "template");
  text(f, b, sh, "B5", " annual-only-2023 ");
  finish(b);
  const char *at = NULL;
  assert_string_equal(jx_import_template_name(&f->arena, &b->book, &at),
                      "annual-only-2023");
  assert_string_equal(at, "说明!A5");
  const char *path;
  size_t n;
  jx_import_split(&f->arena, "dir/b.xlsx#12", &path, &n);
  assert_string_equal(path, "dir/b.xlsx");
  assert_int_equal(n, 12);
  jx_import_split(&f->arena, "dir/b.xlsx", &path, &n);
  assert_string_equal(path, "dir/b.xlsx");
  assert_int_equal(n, 0);
  jx_import_split(&f->arena, "notes#2.yaml", &path, &n);
  assert_int_equal(n, 0);
  jx_import_split(&f->arena, "b.csv#0", &path, &n);
  assert_int_equal(n, 0);
  /* file names: safe on any file system */
  jx_import_project p = {.name = "a/b:c*?", .dept_code = "045"};
  assert_string_equal(jx_import_file_name(&f->arena, &p, 0),
                      "045-a_b_c__.yaml");
  jx_import_project none = {.name = "", .dept_code = ""};
  assert_string_equal(jx_import_file_name(&f->arena, &none, 2),
                      "project-3.yaml");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_norm, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_form_money_labels, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_cross_table, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_grid_side_column, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_grid_side_titles, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_values, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_code_and_name_in_one_cell,
                                      fixture_setup, fixture_teardown),
      cmocka_unit_test_setup_teardown(test_title_line, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_duplicate_and_error_cells,
                                      fixture_setup, fixture_teardown),
      cmocka_unit_test_setup_teardown(test_diagnostics_to_cells, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_flat_tables, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_flat_unknown_key, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_no_project, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_template_cell_and_split,
                                      fixture_setup, fixture_teardown),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  test_templates_free();
  return failed;
}
