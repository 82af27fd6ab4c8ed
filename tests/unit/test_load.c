/*
 * test_load.c — the project loader (src/load.c) and the model helpers
 * (src/model.c): the samples load field by field against the fields,
 * money blocks and grids their template declares, amounts parse and
 * format exactly, labels stand for keys, and every schema error carries
 * file:line:col.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model.h"
#include "testutil.h" /* fixture, test_load, test_template */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLE(name) JX_SOURCE_DIR "/samples/" name

static jx_model *load(fixture *f, const char *text) {
  return test_load(&f->arena, &f->diags, NULL, "p.yaml", text, strlen(text),
                   NULL);
}

static jx_model *load_file(fixture *f, const char *path) {
  return test_load(&f->arena, &f->diags, NULL, path, NULL, 0, NULL);
}

static void print_diags(const fixture *f) {
  for (size_t i = 0; i < f->diags.count; i++)
    jx_diagnostic_print(&f->diags.items[i], stderr);
}

/* Asserts that some error is at p.yaml:line:col with `part` in it. */
static void expect_diag(const fixture *f, unsigned line, unsigned col,
                        const char *part) {
  for (size_t i = 0; i < f->diags.count; i++) {
    const jx_diagnostic *d = &f->diags.items[i];
    if (d->line == line && d->column == col && strstr(d->message, part)) {
      assert_int_equal(d->severity, JX_SEV_ERROR);
      assert_string_equal(d->file, "p.yaml");
      return;
    }
  }
  print_diags(f);
  fail_msg("no diagnostic at %u:%u containing '%s'", line, col, part);
}

/* True if some diagnostic contains `part`. */
static bool mentions(const fixture *f, const char *part) {
  for (size_t i = 0; i < f->diags.count; i++)
    if (strstr(f->diags.items[i].message, part))
      return true;
  return false;
}

/* The smallest valid project, then `extra` lines. */
static jx_model *load_with(fixture *f, const char *extra) {
  char text[4096];
  snprintf(text, sizeof text,
           "schema: 1\n"
           "year: 2025\n"
           "project:\n"
           "  name: 测试项目\n"
           "  department: {code: \"005\", name: 某部门}\n"
           "%s",
           extra);
  return load(f, text);
}

/* The value of field `id`; fails the test when the template does not
 * declare it. */
static const jx_text *val(const jx_model *m, const char *id) {
  const jx_text *t = jx_model_text(m, id);
  if (!t)
    fail_msg("the template declares no field '%s'", id);
  return t;
}

/* The rows of side `side` of grid `grid` ("" for a grid without sides). */
static const jx_rows *rows_of(const jx_model *m, const char *grid,
                              const char *side) {
  int g = jx_content_grid(m->content, grid);
  if (g < 0)
    fail_msg("no grid '%s'", grid);
  const jx_grid_def *def = &m->content->grids[g];
  if (!def->side_count && !side[0])
    return &m->lists[g][0];
  for (size_t s = 0; s < def->side_count; s++)
    if (!strcmp(def->side_ids[s], side))
      return &m->lists[g][s];
  fail_msg("grid '%s' has no side '%s'", grid, side);
  return NULL;
}

/* Cell `col` of `row`, a row of grid `grid`. */
static const jx_text *cell(const jx_model *m, const char *grid,
                           const jx_row *row, const char *col) {
  int g = jx_content_grid(m->content, grid);
  assert_true(g >= 0);
  int k = jx_grid_col(&m->content->grids[g], col);
  if (k < 0)
    fail_msg("grid '%s' has no column '%s'", grid, col);
  return &row->cells[k];
}

static void expect_text(const jx_text *text, const char *str, unsigned line,
                        unsigned col) {
  assert_true(text->present);
  assert_string_equal(text->str, str);
  assert_int_equal(text->pos.line, line);
  assert_int_equal(text->pos.col, col);
}

static void test_sample_loads_every_field(void **state) {
  fixture *f = *state;
  jx_model *m = load_file(f, SAMPLE("03-gongjiao-butie.yaml"));
  if (!m)
    print_diags(f);
  assert_non_null(m);
  assert_int_equal(f->diags.count, 0);
  assert_ptr_equal(m->content, &test_template("yangquan-2025")->content);
  assert_non_null(strstr(m->path, "03-gongjiao-butie.yaml"));
  assert_string_equal(m->schema.str, "1");
  expect_text(&m->template_name, "yangquan-2025", 5, 11);
  expect_text(val(m, "year"), "2025", 6, 7);
  expect_text(val(m, "project.name"), "公交政策性亏损补贴", 9, 9);
  expect_text(val(m, "project.department.code"), "040", 11, 11);
  assert_string_equal(val(m, "project.department.name")->str,
                      "阳泉市工业和信息化局");
  assert_string_equal(val(m, "project.implementer")->str,
                      "阳泉市人民政府国有资产监督管理委员会");
  assert_string_equal(val(m, "project.attribute")->str,
                      "经常性项目（长期开展）");
  assert_string_equal(val(m, "project.duration")->str, "99年");

  /* 实施期 and 年度 differ in this form. */
  assert_true(val(m, "funds.period.total")->present);
  assert_int_equal(val(m, "funds.period.total")->cents, INT64_C(10000000000));
  assert_int_equal(val(m, "funds.annual.total")->cents, INT64_C(3077080000));
  assert_int_equal(val(m, "funds.annual.city_county")->cents,
                   INT64_C(3077080000));
  assert_true(val(m, "funds.period.central")->present);
  assert_int_equal(val(m, "funds.period.central")->cents, 0);
  assert_true(val(m, "funds.period.provincial")->present);
  assert_true(val(m, "funds.period.self_raised")->present);
  assert_false(val(m, "funds.period.other")->present); /* blank, not 0 */
  assert_false(val(m, "funds.annual.other")->present);

  assert_true(
      strncmp(val(m, "overview")->str, "阳泉市公共交通有限责任公司", 39) == 0);
  assert_non_null(strstr(val(m, "basis")->str, "晋政办发【2012】23号"));
  assert_string_equal(
      val(m, "necessity")->str,
      "为了维持企业的正常运转，缓解运营资金的紧张局面，更好地满足广大市民的"
      "出行需求。");
  assert_string_equal(
      val(m, "measures")->str,
      "报市政府批准，在市工信局的领导下以及市财政的大力支持下进行。");
  assert_non_null(
      strstr(val(m, "plan")->str, "12类免费群体乘车形成的减收等。"));
  assert_non_null(strstr(val(m, "goals.period")->str, "2994万公里"));
  assert_non_null(strstr(val(m, "goals.annual")->str, "超过5500万元。"));

  const jx_rows *period = rows_of(m, "indicators", "period");
  const jx_rows *annual = rows_of(m, "indicators", "annual");
  assert_int_equal(period->count, 13);
  assert_int_equal(annual->count, 13);
  const jx_row *first = &period->items[0];
  assert_string_equal(cell(m, "indicators", first, "level1")->str, "产出指标");
  assert_string_equal(cell(m, "indicators", first, "level2")->str, "数量指标");
  assert_string_equal(cell(m, "indicators", first, "level3")->str, "公交线路");
  assert_string_equal(cell(m, "indicators", first, "value")->str, "94条/年");
  assert_int_not_equal(first->pos.line, 0);
  const jx_row *last = &annual->items[12];
  assert_string_equal(cell(m, "indicators", last, "level2")->str,
                      "服务对象满意度指标");
  assert_string_equal(cell(m, "indicators", last, "value")->str, "≥95%");

  assert_false(val(m, "footer.responsible")->present);
  assert_string_equal(val(m, "footer.responsible")->str, "");
  assert_false(val(m, "footer.handler")->present);
  assert_false(val(m, "footer.phone")->present);
  assert_string_equal(val(m, "footer.date")->str, "20250116115541");
}

static void test_all_samples_load(void **state) {
  fixture *f = *state;
  static const char *const samples[] = {
      SAMPLE("01-chengshi-daolu.yaml"), SAMPLE("02-daolu-wajue.yaml"),
      SAMPLE("03-gongjiao-butie.yaml"), SAMPLE("04-cunji-zuzhi.yaml"),
      SAMPLE("05-rencai-gongzuo.yaml"), SAMPLE("06-laji-fenshao.yaml")};
  static const size_t period_rows[] = {6, 6, 13, 6, 16, 6};
  static const char *const sources[] = {"central", "provincial", "city_county",
                                        "self_raised", "other"};
  for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
    jx_model *m = load_file(f, samples[i]);
    if (!m)
      print_diags(f);
    assert_non_null(m);
    assert_int_equal(rows_of(m, "indicators", "period")->count, period_rows[i]);
    /* Each side's sources add up to its total. */
    static const char *const sides[] = {"period", "annual"};
    for (int s = 0; s < 2; s++) {
      int64_t sum = 0;
      char id[64];
      for (size_t k = 0; k < 5; k++) {
        snprintf(id, sizeof id, "funds.%s.%s", sides[s], sources[k]);
        sum += val(m, id)->cents;
      }
      snprintf(id, sizeof id, "funds.%s.total", sides[s]);
      assert_int_equal(sum, val(m, id)->cents);
    }
  }
  assert_int_equal(f->diags.count, 0);
}

/* The model stores a value per declared field, at the field's index;
 * money fields column by column from the block's first field; a row list
 * per grid side with a cell per declared column. */
static void test_model_shape(void **state) {
  fixture *f = *state;
  jx_model *m = load_file(f, SAMPLE("01-chengshi-daolu.yaml"));
  assert_non_null(m);
  const jx_content *c = m->content;
  assert_true(c->field_count > 0);
  for (size_t i = 0; i < c->field_count; i++) {
    assert_int_equal(jx_content_field(c, c->fields[i].id), (int)i);
    assert_ptr_equal(jx_model_text(m, c->fields[i].id), &m->fields[i]);
    assert_ptr_equal(jx_model_field(m, (int)i), &m->fields[i]);
  }
  assert_null(jx_model_field(m, -1));
  assert_int_equal(c->money_count, 1);
  const jx_money_block *b = &c->money[0];
  assert_string_equal(b->id, "funds");
  assert_int_equal(b->column_count, 2);
  assert_int_equal(b->row_count, 6);
  assert_int_equal(b->total_row, 0);
  for (size_t k = 0; k < b->column_count; k++)
    for (size_t r = 0; r < b->row_count; r++) {
      const jx_field *fd = &c->fields[b->first_field + k * b->row_count + r];
      char id[64];
      snprintf(id, sizeof id, "funds.%s.%s", b->column_ids[k], b->row_ids[r]);
      assert_string_equal(fd->id, id);
      assert_int_equal(fd->type, JX_FT_MONEY);
      assert_int_equal(fd->money_block, 0);
    }
  assert_string_equal(c->fields[b->first_field + 1 * 6 + 3].id,
                      "funds.annual.city_county");
  assert_string_equal(c->fields[b->first_field + 1 * 6 + 3].label,
                      "年度市县（区）财政资金");
  int g = jx_content_grid(c, "indicators");
  assert_true(g >= 0);
  const jx_grid_def *def = &c->grids[g];
  assert_int_equal(jx_grid_lists(def), 2);
  assert_int_equal(def->col_count, 4);
  assert_int_equal(def->level1, jx_grid_col(def, "level1"));
  assert_int_equal(def->level2, jx_grid_col(def, "level2"));
  assert_int_equal(def->name, jx_grid_col(def, "level3"));
  assert_int_equal(def->value, jx_grid_col(def, "value"));
  assert_int_equal(jx_grid_col(def, "note"), -1);
  const jx_rows *annual = rows_of(m, "indicators", "annual");
  assert_ptr_equal(annual, &m->lists[g][1]);
  assert_string_equal(annual->items[3].cells[def->value].str, "22487000");
  assert_int_equal(annual->items[3].cells[def->value].pos.line, 67);
}

static void test_empty_is_not_zero(void **state) {
  fixture *f = *state;
  jx_model *m = load_with(f, "funds:\n"
                             "  period:\n"
                             "    total: 0\n" /* line 8 */
                             "    central: \"0\"\n"
                             "    provincial:\n" /* line 10 */
                             "    city_county: ~\n"
                             "    self_raised: \"\"\n"
                             "  annual:\n");
  assert_non_null(m);
  assert_true(val(m, "funds.period.total")->present);
  assert_int_equal(val(m, "funds.period.total")->cents, 0);
  assert_true(val(m, "funds.period.central")->present);
  const jx_text *provincial = val(m, "funds.period.provincial");
  assert_false(provincial->present);
  assert_int_equal(provincial->pos.line, 10); /* at the key */
  assert_int_equal(provincial->pos.col, 5);
  assert_false(val(m, "funds.period.city_county")->present);
  assert_false(val(m, "funds.period.self_raised")->present);
  assert_false(val(m, "funds.period.other")->present); /* key left out */
  assert_false(val(m, "funds.annual.total")->present);

  const jx_content *c = m->content;
  const char *zero =
      jx_model_print(&f->arena, m, jx_content_field(c, "funds.period.total"));
  const char *blank = jx_model_print(
      &f->arena, m, jx_content_field(c, "funds.period.provincial"));
  assert_string_equal(zero, "0");
  assert_string_equal(blank, "");
}

/* The formatted text of money field `id`. */
static const char *print_of(fixture *f, const jx_model *m, const char *id) {
  int i = jx_content_field(m->content, id);
  assert_true(i >= 0);
  return jx_model_print(&f->arena, m, i);
}

static void test_amount_forms(void **state) {
  fixture *f = *state;
  jx_model *m = load_with(f, "funds:\n"
                             "  period:\n"
                             "    total: \"34,060,000\"\n"
                             "    central: 1234.5\n"
                             "    provincial: \"1,234.05\"\n"
                             "    city_county: 7\n"
                             "    self_raised: 0.5\n"
                             "    other: '999,999,999,999,999.99'\n");
  if (!m)
    print_diags(f);
  assert_non_null(m);
  assert_int_equal(val(m, "funds.period.total")->cents, INT64_C(3406000000));
  assert_int_equal(val(m, "funds.period.central")->cents, 123450);
  assert_int_equal(val(m, "funds.period.provincial")->cents, 123405);
  assert_int_equal(val(m, "funds.period.city_county")->cents, 700);
  assert_int_equal(val(m, "funds.period.self_raised")->cents, 50);
  assert_int_equal(val(m, "funds.period.other")->cents,
                   INT64_C(99999999999999999));
  assert_int_equal(val(m, "funds.period.total")->pos.line, 8);
  assert_int_equal(val(m, "funds.period.total")->pos.col, 12);
  /* the text is kept as written */
  assert_string_equal(val(m, "funds.period.central")->str, "1234.5");

  assert_string_equal(print_of(f, m, "funds.period.total"), "34,060,000");
  assert_string_equal(print_of(f, m, "funds.period.central"), "1,234.50");
  assert_string_equal(print_of(f, m, "funds.period.provincial"), "1,234.05");
  assert_string_equal(print_of(f, m, "funds.period.city_county"), "7");
  assert_string_equal(print_of(f, m, "funds.period.self_raised"), "0.50");
  assert_string_equal(print_of(f, m, "funds.period.other"),
                      "999,999,999,999,999.99");
  /* a field that is not money prints as written */
  assert_string_equal(print_of(f, m, "project.department.code"), "005");
}

static void test_amount_format(void **state) {
  fixture *f = *state;
  static const struct {
    int64_t cents;
    const char *text;
  } cases[] = {{0, "0"},
               {99900, "999"},
               {100000, "1,000"},
               {2248700000, "22,487,000"},
               {100000000000, "1,000,000,000"},
               {123456, "1,234.56"},
               {-123450, "-1,234.50"},
               {-5, "-0.05"},
               {INT64_MIN, "-92,233,720,368,547,758.08"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    assert_string_equal(jx_cents_format(&f->arena, cases[i].cents),
                        cases[i].text);
  jx_model *m = load_with(f, "");
  assert_non_null(m);
  /* absent prints blank; no field (-1) too */
  assert_string_equal(print_of(f, m, "funds.annual.total"), "");
  assert_string_equal(jx_model_print(&f->arena, m, -1), "");
}

static void test_paths(void **state) {
  fixture *f = *state;
  jx_model *m = load_with(f, "goals: {period: 甲, annual: 乙}\n"
                             "footer: {date: 20250210111110}\n"
                             "funds: {annual: {other: 12}}\n");
  assert_non_null(m);
  const jx_content *c = m->content;
  assert_ptr_equal(jx_model_text(m, "project.name"),
                   &m->fields[jx_content_field(c, "project.name")]);
  assert_ptr_equal(jx_model_text(m, "project.department.code"),
                   &m->fields[jx_content_field(c, "project.department.code")]);
  assert_ptr_equal(jx_model_text(m, "project.department.name"),
                   &m->fields[jx_content_field(c, "project.department.name")]);
  assert_ptr_equal(jx_model_text(m, "goals.annual"),
                   &m->fields[jx_content_field(c, "goals.annual")]);
  assert_string_equal(jx_model_text(m, "goals.period")->str, "甲");
  assert_string_equal(jx_model_text(m, "goals.annual")->str, "乙");
  assert_string_equal(jx_model_text(m, "footer.date")->str, "20250210111110");
  assert_ptr_equal(jx_model_text(m, "template"), &m->template_name);
  assert_ptr_equal(jx_model_text(m, "year"),
                   &m->fields[jx_content_field(c, "year")]);
  assert_string_equal(jx_model_text(m, "project.name")->str, "测试项目");
  /* money is a field like any other */
  assert_ptr_equal(jx_model_text(m, "funds.annual.other"),
                   &m->fields[jx_content_field(c, "funds.annual.other")]);
  assert_int_equal(jx_model_text(m, "funds.annual.other")->cents, 1200);
  assert_false(jx_model_text(m, "funds.period.total")->present);
  /* ids that are not fields: groups, old names, nothing */
  assert_null(jx_model_text(m, "nope"));
  assert_null(jx_model_text(m, "name"));
  assert_null(jx_model_text(m, "department.code"));
  assert_null(jx_model_text(m, "funds.period"));
  assert_null(jx_model_text(m, "funds.periodx.total"));
  assert_null(jx_model_text(m, "goals"));
  assert_null(jx_model_text(m, ""));
  assert_null(jx_model_text(NULL, "year"));
  assert_null(jx_model_text(m, NULL));

  static const char *const known[] = {"year",
                                      "project.name",
                                      "project.department.code",
                                      "project.department.name",
                                      "project.implementer",
                                      "project.attribute",
                                      "project.duration",
                                      "overview",
                                      "basis",
                                      "necessity",
                                      "measures",
                                      "plan",
                                      "goals.period",
                                      "goals.annual",
                                      "footer.responsible",
                                      "footer.handler",
                                      "footer.phone",
                                      "footer.date",
                                      "funds.period.total",
                                      "funds.annual.other",
                                      "funds.annual.self_raised"};
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
    int k = jx_content_field(c, known[i]);
    if (k < 0)
      fail_msg("'%s' is not a field", known[i]);
    assert_ptr_equal(jx_model_text(m, known[i]), &m->fields[k]);
  }
  assert_int_equal(jx_content_field(c, "funds.period"), -1);
  assert_int_equal(jx_content_field(c, "goals"), -1);
  assert_int_equal(jx_content_field(c, ""), -1);
  assert_int_equal(jx_content_field(c, "template"), -1);
  /* groups and grids are known as such */
  assert_non_null(jx_content_group(c, "project.department"));
  assert_string_equal(jx_content_group(c, "project.department")->label,
                      "主管部门及代码");
  assert_non_null(jx_content_group(c, "funds.period"));
  assert_null(jx_content_group(c, "project.name"));
  assert_true(jx_content_grid(c, "indicators") >= 0);
  assert_int_equal(jx_content_grid(c, "funds"), -1);
}

static void test_template_default_and_raw_scalars(void **state) {
  fixture *f = *state;
  jx_model *m = load_with(f, "footer:\n  date: 20250210111110\n"
                             "  phone: 0353-1234567\n");
  assert_non_null(m);
  assert_false(m->template_name.present);
  assert_string_equal(m->template_name.str, "yangquan-2025");
  assert_string_equal(val(m, "year")->str, "2025");
  assert_string_equal(val(m, "project.department.code")->str,
                      "005"); /* leading zeros kept */
  assert_string_equal(val(m, "footer.date")->str, "20250210111110");
  assert_string_equal(val(m, "footer.phone")->str, "0353-1234567");
  assert_false(val(m, "overview")->present);
  assert_string_equal(val(m, "overview")->str, "");
  assert_int_equal(rows_of(m, "indicators", "period")->count, 0);
}

/* A grid column beyond the frame and value (annual-only-2023's 绩效标准,
 * `standard`) loads like the others; '' is written, so present. */
static void test_indicator_extra_column_and_empty_level3(void **state) {
  fixture *f = *state;
  jx_model *m = load(f, "schema: 1\n"
                        "template: annual-only-2023\n"
                        "year: 2025\n"
                        "project:\n"
                        "  name: 测试项目\n"
                        "  department: {code: \"005\", name: 某部门}\n"
                        "indicators:\n"
                        "  annual:\n"
                        "    - level1: 产出指标\n" /* line 9 */
                        "      level2: 数量指标\n"
                        "      standard: 备注文字\n"
                        "    - {level1: 效益指标, level2: 社会效益指标, "
                        "level3: '', value: 保障}\n");
  if (!m)
    print_diags(f);
  assert_non_null(m);
  assert_ptr_equal(m->content, &test_template("annual-only-2023")->content);
  const jx_rows *annual = rows_of(m, "indicators", "annual");
  assert_int_equal(annual->count, 2);
  const jx_row *a = &annual->items[0];
  assert_int_equal(a->pos.line, 9);
  assert_int_equal(a->pos.col, 7);
  assert_false(cell(m, "indicators", a, "level3")->present);
  assert_false(cell(m, "indicators", a, "value")->present);
  expect_text(cell(m, "indicators", a, "standard"), "备注文字", 11, 17);
  const jx_row *b = &annual->items[1];
  assert_true(cell(m, "indicators", b, "level3")->present);
  assert_string_equal(cell(m, "indicators", b, "level3")->str, "");
  assert_false(cell(m, "indicators", b, "standard")->present);

  /* yangquan-2025 has no such column */
  jx_diag_list_free(&f->diags);
  assert_null(load_with(f, "indicators:\n"
                           "  annual:\n"
                           "    - {level1: 产出指标, level2: 数量指标, "
                           "standard: x}\n"));
  expect_diag(f, 8, 36, "unknown key 'standard' in 'indicators.annual[1]'");
}

/* A field's label stands for its key: under its group, and at the top
 * level for a label no other field has; groups, grids, sides and grid
 * columns too.  The values are those of the same file in English keys. */
static void test_labels_as_keys(void **state) {
  fixture *f = *state;
  jx_model *en = load(f, "schema: 1\n"
                         "year: 2025\n"
                         "project:\n"
                         "  name: 测试项目\n"
                         "  department: {code: \"005\", name: 某部门}\n"
                         "  implementer: 某单位\n"
                         "funds:\n"
                         "  period: {total: 100, city_county: 100}\n"
                         "overview: 概况\n"
                         "goals: {annual: 年度的目标}\n"
                         "indicators:\n"
                         "  period:\n"
                         "    - {level1: 产出指标, level2: 数量指标, "
                         "level3: 条数, value: 3条}\n");
  if (!en)
    print_diags(f);
  assert_non_null(en);
  jx_model *zh = load(f, "schema: 1\n"
                         "年度: 2025\n"
                         "项目:\n"
                         "  项目名称: 测试项目\n"
                         "  主管部门及代码: {主管部门代码: \"005\", "
                         "主管部门: 某部门}\n"
                         "实施单位: 某单位\n" /* top level, unique label */
                         "项目资金:\n"
                         "  实施期: {实施期资金总额: 100, "
                         "实施期市县（区）财政资金: 100}\n"
                         "项目概况: 概况\n"
                         "总体目标: {年度目标: 年度的目标}\n"
                         "绩效指标:\n"
                         "  实施期:\n"
                         "    - {一级指标: 产出指标, 二级指标: 数量指标, "
                         "三级指标: 条数, 指标值: 3条}\n");
  if (!zh)
    print_diags(f);
  assert_non_null(zh);
  assert_int_equal(f->diags.count, 0);
  const jx_content *c = en->content;
  assert_ptr_equal(zh->content, c);
  for (size_t i = 0; i < c->field_count; i++) {
    if (en->fields[i].present != zh->fields[i].present ||
        strcmp(en->fields[i].str, zh->fields[i].str) ||
        en->fields[i].cents != zh->fields[i].cents)
      fail_msg("'%s': '%s' in English, '%s' with labels", c->fields[i].id,
               en->fields[i].str, zh->fields[i].str);
  }
  assert_true(val(zh, "project.implementer")->present);
  expect_text(val(zh, "project.name"), "测试项目", 4, 9);
  expect_text(val(zh, "project.implementer"), "某单位", 6, 7);
  const jx_rows *a = rows_of(en, "indicators", "period");
  const jx_rows *b = rows_of(zh, "indicators", "period");
  assert_int_equal(a->count, 1);
  assert_int_equal(b->count, 1);
  int g = jx_content_grid(c, "indicators");
  for (size_t k = 0; k < c->grids[g].col_count; k++)
    assert_string_equal(a->items[0].cells[k].str, b->items[0].cells[k].str);

  /* `项目名称:` at the top level, the rest of `project:` in English; and
   * labels written with half-width brackets */
  jx_model *top = load(f, "schema: 1\n"
                          "year: 2025\n"
                          "项目名称: 测试项目\n"
                          "project:\n"
                          "  department: {code: \"005\", name: 某部门}\n"
                          "funds:\n"
                          "  annual: {年度市县(区)财政资金: 7}\n");
  if (!top)
    print_diags(f);
  assert_non_null(top);
  expect_text(val(top, "project.name"), "测试项目", 3, 7);
  assert_int_equal(val(top, "funds.annual.city_county")->cents, 700);
}

/* A key written both by its id and by its label is written twice. */
static void test_key_and_label_twice(void **state) {
  fixture *f = *state;
  assert_null(load_with(f, "  项目名称: 又一个\n"));
  expect_diag(f, 6, 3,
              "'project.name' (项目名称) is written twice: here and at line "
              "4; keep one");
  assert_int_equal(f->diags.count, 1);
  jx_diag_list_free(&f->diags);
  /* at the top level too */
  assert_null(load_with(f, "项目名称: 又一个\n"));
  expect_diag(f, 6, 1, "'project.name' (项目名称) is written twice");
  jx_diag_list_free(&f->diags);
  /* and for grid columns, inside one item */
  assert_null(load_with(f, "indicators:\n"
                           "  annual:\n"
                           "    - {level1: 产出指标, level2: 数量指标, "
                           "二级指标: 质量指标}\n"));
  expect_diag(f, 8, 36,
              "'level2' (二级指标) is written twice in this item; keep one");
}

static void test_unknown_key_with_suggestion(void **state) {
  fixture *f = *state;
  assert_null(load_with(f, "overveiw: x\n"
                           "footer:\n"
                           "  hander: 张三\n"
                           "funds:\n"
                           "  period: {total: 1, city-county: 1}\n"
                           "zzzzzz: 1\n"));
  expect_diag(f, 6, 1,
              "unknown key 'overveiw' at the top level; did you mean "
              "'overview'?");
  expect_diag(f, 8, 3,
              "unknown key 'hander' in 'footer'; did you mean 'handler'?");
  expect_diag(f, 10, 22,
              "unknown key 'city-county' in 'funds.period'; did you mean "
              "'city_county'?");
  expect_diag(f, 11, 1,
              "unknown key 'zzzzzz' at the top level (expected one of");
}

/* An unknown key with no close match lists the keys the mapping holds,
 * each with its label; a misspelt grid column gets a suggestion too, and
 * so does a misspelt label (one character off). */
static void test_unknown_key_lists_labels(void **state) {
  fixture *f = *state;
  assert_null(load_with(f, "  项目编号: x\n"
                           "indicators:\n"
                           "  annual:\n"
                           "    - {level1: 产出指标, level2: 数量指标, "
                           "valeu: 3条}\n"));
  expect_diag(
      f, 6, 3,
      "unknown key '项目编号' in 'project' (expected one of: name "
      "(项目名称), department (主管部门及代码), implementer (实施单位), "
      "attribute (项目属性), duration (项目期))");
  expect_diag(f, 9, 36,
              "unknown key 'valeu' in 'indicators.annual[1]'; did you mean "
              "'value'?");
  assert_int_equal(f->diags.count, 2);
  jx_diag_list_free(&f->diags);
  assert_null(load_with(f, "  项目名: x\n"));
  expect_diag(f, 6, 3,
              "unknown key '项目名' in 'project'; did you mean '项目名称' "
              "(name)?");
  assert_int_equal(f->diags.count, 1);
}

static void test_misplaced_key(void **state) {
  fixture *f = *state;
  assert_null(load_with(f, "implementer: 某单位\n"));
  expect_diag(f, 6, 1, "it belongs under 'project:'");
}

static void test_wrong_type(void **state) {
  fixture *f = *state;
  assert_null(load(f, "schema: 1\n"
                      "year: 2025\n"
                      "project:\n"
                      "  name:\n"
                      "    zh: 项目\n" /* line 5 */
                      "  department: {code: \"1\", name: [a]}\n"
                      "goals: 只有一句\n"
                      "indicators:\n"
                      "  period: {level1: x}\n"
                      "funds: {period: {total: {a: 1}}}\n"));
  expect_diag(f, 5, 5, "'project.name' must be a string, not a mapping");
  expect_diag(f, 6, 33,
              "'project.department.name' must be a string, not a sequence");
  expect_diag(f, 7, 8, "'goals' must be a mapping");
  expect_diag(f, 9, 11, "'indicators.period' must be a list");
  expect_diag(f, 10, 25,
              "'funds.period.total' must be an amount, not a "
              "mapping");
  /* A wrong type is not also reported as missing. */
  assert_int_equal(f->diags.count, 5);
}

static void test_duplicate_key(void **state) {
  fixture *f = *state;
  assert_null(load_with(f, "overview: a\noverview: b\n"));
  expect_diag(f, 7, 1, "duplicate key 'overview' (first given at line 6");
}

static void test_alias(void **state) {
  fixture *f = *state;
  assert_null(load_with(f, "overview: &o text\nbasis: *o\n"));
  expect_diag(f, 6, 11, "anchors ('&o') are not allowed");
  expect_diag(f, 7, 8, "aliases ('*o') are not allowed");
}

static void test_bad_amounts(void **state) {
  fixture *f = *state;
  assert_null(load_with(f, "funds:\n"
                           "  annual:\n"
                           "    total: 12万\n" /* line 8 */
                           "    central: -5\n"
                           "    provincial: 1.234\n"
                           "    city_county: 12,34\n"
                           "    self_raised: 1000000000000000\n"
                           "    other: 1e6\n"));
  expect_diag(f, 8, 12, "'funds.annual.total' is not a number of 元");
  expect_diag(f, 9, 14, "'funds.annual.central' must not be negative");
  expect_diag(f, 10, 17,
              "'funds.annual.provincial' has more than two decimal places");
  expect_diag(f, 11, 18,
              "'funds.annual.city_county' has a misplaced thousands "
              "separator");
  expect_diag(f, 12, 18, "'funds.annual.self_raised' is too large");
  expect_diag(f, 13, 12, "'funds.annual.other' is not a number");
  assert_int_equal(f->diags.count, 6);
}

static void test_missing_required(void **state) {
  fixture *f = *state;
  assert_null(load(f, "template: yangquan-2025\n"
                      "project:\n"
                      "  name:\n"
                      "  department:\n"
                      "    code: \"045\"\n"
                      "indicators:\n"
                      "  period:\n"
                      "    - {level1: 产出指标, level3: x}\n"));
  expect_diag(f, 1, 1, "missing required key 'schema'");
  expect_diag(f, 1, 1, "missing required key 'year'");
  expect_diag(f, 3, 3, "missing required key 'project.name'");
  expect_diag(f, 5, 5, "missing required key 'project.department.name'");
  expect_diag(f, 8, 7, "missing required key 'indicators.period[1].level2'");
  assert_int_equal(f->diags.count, 5);

  fixture *g = f;
  jx_diag_list_free(&g->diags);
  assert_null(load(g, "schema: 1\nyear: 2025\n"));
  expect_diag(g, 1, 1, "missing required key 'project'");
}

static void test_bad_schema_and_year(void **state) {
  fixture *f = *state;
  assert_null(load(f, "schema: 2\nyear: 25\nproject: {name: a, department: "
                      "{code: '1', name: b}}\n"));
  expect_diag(f, 1, 9, "unsupported schema version '2'");
  expect_diag(f, 2, 7, "'year' must be a 4-digit year like 2025, not '25'");
}

static void test_syntax_error(void **state) {
  fixture *f = *state;
  assert_null(load_with(f, "overview: \"unterminated\nbasis: x\n"));
  expect_diag(f, 8, 1, "syntax error");
  expect_diag(f, 8, 1, "closing quote is missing");
}

/* Asserts that some warning is at p.yaml:line:col with `part` in it. */
static void expect_warning(const fixture *f, unsigned line, unsigned col,
                           const char *part) {
  for (size_t i = 0; i < f->diags.count; i++) {
    const jx_diagnostic *d = &f->diags.items[i];
    if (d->line == line && d->column == col && strstr(d->message, part)) {
      assert_int_equal(d->severity, JX_SEV_WARNING);
      return;
    }
  }
  print_diags(f);
  fail_msg("no warning at %u:%u containing '%s'", line, col, part);
}

/* Notepad's "UTF-8 with BOM" loads like the file without it, with the
 * same positions. */
static void test_bom_is_accepted(void **state) {
  fixture *f = *state;
  FILE *in = fopen(SAMPLE("02-daolu-wajue.yaml"), "rb");
  assert_non_null(in);
  static char text[65536];
  memcpy(text, "\xEF\xBB\xBF", 3);
  size_t n = fread(text + 3, 1, sizeof text - 4, in);
  fclose(in);
  assert_true(n > 0 && n < sizeof text - 4);
  jx_model *with =
      test_load(&f->arena, &f->diags, NULL, "p.yaml", text, n + 3, NULL);
  if (f->diags.count)
    print_diags(f);
  assert_non_null(with);
  assert_int_equal(f->diags.count, 0);
  jx_model *without =
      test_load(&f->arena, &f->diags, NULL, "p.yaml", text + 3, n, NULL);
  assert_non_null(without);
  const jx_text *a = val(with, "project.name"),
                *b = val(without, "project.name");
  assert_string_equal(a->str, b->str);
  assert_int_equal(a->pos.line, b->pos.line);
  assert_int_equal(a->pos.col, b->pos.col);
  /* a BOM alone is an empty file, not a broken one */
  jx_diag_list_free(&f->diags);
  assert_null(load(f, "\xEF\xBB\xBF"));
  expect_diag(f, 1, 1, "the file is empty");
  assert_int_equal(f->diags.count, 1);
}

/* Keys typed on a Chinese keyboard: indentation with full-width spaces
 * (U+3000) ends up in the key, a full-width colon in a { } item makes
 * one key of key and value.  Each is named, and what the key stands for
 * is not also reported missing. */
static void test_chinese_keyboard_keys(void **state) {
  fixture *f = *state;
  assert_null(load_with(f, "  \xE3\x80\x80implementer: 某单位\n" /* 6 */
                           "indicators:\n"
                           "  annual:\n"
                           "    - {level1：产出指标, level2: 数量指标}\n"));
  expect_diag(f, 6, 3,
              "unknown key '\xE3\x80\x80implementer' in 'project': it "
              "starts with full-width spaces '\xE3\x80\x80' (U+3000, "
              "全角空格), which YAML does not count as indentation; delete "
              "them and indent 'implementer' with ordinary half-width "
              "spaces, like the other keys of 'project'");
  expect_diag(f, 9, 8,
              "unknown key 'level1：产出指标' in 'indicators.annual[1]': the "
              "key 'level1' is followed by a full-width colon '：'");
  expect_diag(f, 9, 8, "instead: 'level1: 产出指标'");
  assert_int_equal(f->diags.count, 2); /* level1 is not also missing */
  /* the last line, so no syntax error follows: where the key belongs */
  jx_diag_list_free(&f->diags);
  assert_null(load_with(f, "\xE3\x80\x80\xE3\x80\x80implementer: 某单位\n"));
  expect_diag(f, 6, 1,
              "delete them and indent 'implementer' with ordinary "
              "half-width spaces under 'project:'");
  assert_int_equal(f->diags.count, 1);
  /* a key of the top level has no indentation at all */
  jx_diag_list_free(&f->diags);
  assert_null(load(f, "schema: 1\n"
                      "\xE3\x80\x80year: 2025\n"));
  expect_diag(f, 2, 1,
              "delete them: 'year' belongs at the top level, with no "
              "indentation");
  /* a full-width colon after a key in block style: the parser's error,
   * at the key, and nothing more about it */
  jx_diag_list_free(&f->diags);
  assert_null(load_with(f, "funds:\n"
                           "  period:\n"
                           "    total：22487000\n" /* 8 */
                           "    central: 0\n"));
  expect_diag(f, 8, 5,
              "the key 'total' is followed by a full-width colon '：' "
              "(全角冒号)");
  assert_int_equal(f->diags.count, 1);
}

/* In a { } item a comma ends the value: "value: 1,340元/平方米" is read
 * as 'value: 1' and a key '340元/平方米'.  The unknown key is explained
 * by the comma, with the value to type in quotes, once per value. */
static void test_comma_cuts_a_flow_value(void **state) {
  fixture *f = *state;
  assert_null(load_with(f, "indicators:\n"
                           "  period:\n"
                           "    - {level1: 产出指标, level2: 数量指标, "
                           "level3: 单价, value: 1,340元/平方米}\n")); /* 8 */
  expect_diag(f, 8, 57,
              "unknown key '340元/平方米' in 'indicators.period[1]': inside "
              "{ } a comma separates the entries, so the comma in "
              "'1,340元/平方米' cut the value short; put the value in "
              "quotes: value: \"1,340元/平方米\"");
  assert_int_equal(f->diags.count, 1);
  /* two commas: one message, at the first piece; a space after a comma
   * is kept */
  jx_diag_list_free(&f->diags);
  assert_null(load_with(f, "indicators:\n"
                           "  period:\n"
                           "    - {level1: 产出指标, level2: 数量指标, "
                           "level3: 金额, value: 22,487, 000元, "
                           "level9: x}\n"));
  expect_diag(f, 8, 58,
              "unknown key '487' in 'indicators.period[1]': inside { } a "
              "comma separates the entries, so the comma in '22,487, 000元' "
              "cut the value short; put the value in quotes: value: "
              "\"22,487, 000元\"");
  /* a key of its own after the value is an unknown key as always */
  expect_diag(f, 8, 69,
              "unknown key 'level9' in 'indicators.period[1]'; "
              "did you mean 'level1'?");
  assert_int_equal(f->diags.count, 2);
  /* in a { } group of fields, by its key as written */
  jx_diag_list_free(&f->diags);
  assert_null(load(f, "schema: 1\n"
                      "year: 2025\n"
                      "project:\n"
                      "  name: 测试项目\n"
                      "  department: {code: \"005\", name: 阳泉市,城管局}\n"));
  expect_diag(f, 5, 39,
              "unknown key '城管局' in 'project.department': inside { } a "
              "comma separates the entries, so the comma in '阳泉市,城管局' "
              "cut the value short; put the value in quotes: name: "
              "\"阳泉市,城管局\"");
  assert_int_equal(f->diags.count, 1);
  /* quoted, the value keeps its comma */
  jx_diag_list_free(&f->diags);
  jx_model *m = load_with(f, "indicators:\n"
                             "  period:\n"
                             "    - {level1: 产出指标, level2: 数量指标, "
                             "level3: 单价, value: \"1,340元/平方米\"}\n");
  if (!m)
    print_diags(f);
  assert_non_null(m);
  const jx_rows *rows = rows_of(m, "indicators", "period");
  assert_int_equal(rows->count, 1);
  assert_string_equal(cell(m, "indicators", &rows->items[0], "value")->str,
                      "1,340元/平方米");
}

/* A text written over several lines with a line break next to Chinese
 * punctuation prints a gap there: a warning of the loader, at the line
 * after the break (text-space; --strict makes it an error: validate.c). */
static void test_line_break_next_to_punctuation(void **state) {
  fixture *f = *state;
  jx_model *m = load_with(f, "overview: 对道路进行掘路恢复，\n" /* 6 */
                             "  破路恢复面积约29000平米；\n");
  assert_non_null(m);
  expect_warning(f, 7, 3,
                 "this line continues the value above it, and the line "
                 "break prints as a space between '，' and '破' on the form, "
                 "a gap next to Chinese punctuation; write the value on one "
                 "line");
  assert_int_equal(f->diags.count, 1);
  assert_string_equal(f->diags.items[0].rule, "text-space");
  assert_string_equal(val(m, "overview")->str,
                      "对道路进行掘路恢复， 破路恢复面积约29000平米；");
}

/* Amounts typed with full-width digits, separators or signs: named, with
 * the half-width amount to write, or what is still wrong with it. */
static void test_fullwidth_amounts(void **state) {
  fixture *f = *state;
  assert_null(load_with(f, "funds:\n"
                           "  annual:\n"
                           "    total: ３８６００００\n"            /* 8 */
                           "    central: ３８６万\n"                /* 9 */
                           "    provincial: \"１，２３４．５０\"\n" /* 10 */
                           "    city_county: 1234。5\n"             /* 11 */
                           "    self_raised: －５\n"));             /* 12 */
  expect_diag(f, 8, 12,
              "'funds.annual.total' '３８６００００' is typed with the "
              "full-width (全角) digits '３', '８', '６' and '０'; type them "
              "half-width (半角");
  expect_diag(f, 8, 12, "write 3860000");
  expect_diag(f, 9, 14,
              "in half-width (半角) it is '386万', which is not a number of "
              "元");
  expect_diag(f, 10, 17,
              "characters '１', '，', '２', '３', '４', '．', '５' and '０'");
  expect_diag(f, 10, 17, "write 1,234.50");
  expect_diag(f, 11, 18, "the full-width (全角) character '。'; type it");
  expect_diag(f, 11, 18, "write 1234.5");
  expect_diag(f, 12, 18, "it is '-5', which must not be negative");
  assert_int_equal(f->diags.count, 5);
}

/* " #" followed by text ends a plain value: a warning says what was cut
 * and how to keep it; the value is what YAML read. */
static void test_comment_cuts_a_value(void **state) {
  fixture *f = *state;
  jx_model *m = load_with(f, "measures: 对 #3 教学楼进行加固\n" /* 6 */
                             "basis: 文件  # 一个注释\n"
                             "indicators:\n"
                             "  annual:\n"
                             "    - level1: 产出指标\n"
                             "      level2: 数量指标\n"
                             "      level3: 楼栋数 #2号楼\n"); /* 12 */
  assert_non_null(m);
  assert_int_equal(f->diags.count, 2);
  expect_warning(f, 6, 13,
                 "'measures' (保证项目实施的制度、措施) is cut short at ' #': "
                 "YAML reads the text from ' #' on ('#3 教学楼进行加固') as a "
                 "comment, so only '对' is kept; to keep it all, put the "
                 "whole value in quotes: \"对 #3 教学楼进行加固\"");
  assert_string_equal(f->diags.items[0].rule, "text-comment");
  expect_warning(f, 12, 19,
                 "'indicators.annual[1].level3' (三级指标) is cut short");
  assert_string_equal(val(m, "measures")->str, "对");
  assert_string_equal(val(m, "basis")->str, "文件");
}

static void test_tab_indentation(void **state) {
  fixture *f = *state;
  assert_null(load_with(f, "footer:\n\tdate: x\n"));
  expect_diag(f, 7, 1,
              "tab characters are not allowed for indentation; use spaces");
}

static void test_invalid_utf8(void **state) {
  fixture *f = *state;
  assert_null(load_with(f, "overview: 项目\xFE\n"));
  expect_diag(f, 6, 13, "invalid UTF-8: byte 0xFE");
}

static void test_not_a_mapping(void **state) {
  fixture *f = *state;
  assert_null(load(f, "- a\n- b\n"));
  expect_diag(f, 1, 1, "must be a mapping");
  jx_diag_list_free(&f->diags);
  assert_null(load(f, "\n"));
  expect_diag(f, 1, 1, "the file is empty");
}

static void test_many_errors_all_reported(void **state) {
  fixture *f = *state;
  assert_null(load(f, "schema: 1\n"
                      "yaer: 2025\n" /* 2 unknown + missing */
                      "project:\n"
                      "  name: [x]\n"               /* 4 wrong type */
                      "  department: {code: '1'}\n" /* 5 missing name */
                      "funds:\n"
                      "  period: {total: abc}\n" /* 7 bad amount */
                      "footer: {phon: 1}\n"));   /* 8 unknown key */
  /* the misspelt key stands for 'year': one mistake, one message, so
   * 'year' is not also reported missing */
  expect_diag(f, 2, 1,
              "unknown key 'yaer' at the top level; did you mean "
              "'year'?");
  assert_false(mentions(f, "missing required key 'year'"));
  expect_diag(f, 4, 9, "'project.name' must be a string, not a sequence");
  expect_diag(f, 5, 15, "missing required key 'project.department.name'");
  expect_diag(f, 7, 19, "'funds.period.total' is not a number");
  expect_diag(f, 8, 10, "did you mean 'phone'?");
  assert_int_equal(f->diags.count, 5);
  /* Sorted by position. */
  for (size_t i = 1; i < f->diags.count; i++)
    assert_true(f->diags.items[i - 1].line <= f->diags.items[i].line);
}

static void test_file_limits(void **state) {
  fixture *f = *state;
  size_t size = 4u * 1024u * 1024u + 1u;
  char *big = malloc(size);
  assert_non_null(big);
  memset(big, '#', size);
  bool complete = true;
  assert_null(
      jx_load_tree(&f->arena, &f->diags, "p.yaml", big, size, &complete));
  assert_false(complete);
  free(big);
  assert_int_equal(f->diags.count, 1);
  assert_string_equal(f->diags.items[0].message,
                      "file is larger than the 4 MiB limit");
  assert_string_equal(f->diags.items[0].file, "p.yaml");

  assert_null(jx_load_tree_file(&f->arena, &f->diags,
                                JX_SOURCE_DIR "/samples/no-such-file.yaml",
                                &complete));
  assert_int_equal(f->diags.count, 2);
  assert_non_null(strstr(f->diags.items[1].message, "cannot open the file"));
  /* the same through the whole load */
  assert_null(load_file(f, JX_SOURCE_DIR "/samples/no-such-file.yaml"));
  assert_int_equal(f->diags.count, 3);
}

/* The template a project asks for: `template:`, else the fallback. */
static void test_template_name(void **state) {
  fixture *f = *state;
  static const char text[] = "schema: 1\ntemplate: annual-only-2023\n";
  bool complete = false;
  const jx_ynode *root = jx_load_tree(&f->arena, &f->diags, "p.yaml", text,
                                      strlen(text), &complete);
  assert_non_null(root);
  assert_true(complete);
  jx_pos pos = {0};
  assert_string_equal(jx_load_template_name(root, "fallback", &pos),
                      "annual-only-2023");
  assert_int_equal(pos.line, 2);
  assert_int_equal(pos.col, 11);
  static const char none[] = "schema: 1\ntemplate:\n";
  root = jx_load_tree(&f->arena, &f->diags, "p.yaml", none, strlen(none),
                      &complete);
  assert_non_null(root);
  assert_string_equal(jx_load_template_name(root, "fallback", &pos),
                      "fallback");
  assert_int_equal(f->diags.count, 0);
  /* a template that does not exist is refused, with where it was asked */
  assert_null(load(f, "schema: 1\ntemplate: no-such-template\nyear: 2025\n"));
  expect_diag(f, 2, 11, "template 'no-such-template' could not be loaded");
}

/* The dump of `path` as a string (malloc'd; the caller frees it). */
static char *dump_sample(fixture *f, const char *path) {
  jx_model *m = load_file(f, path);
  assert_non_null(m);
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  assert_non_null(out);
  jx_model_dump(m, out);
  fclose(out);
  return text;
}

static void test_model_dump(void **state) {
  fixture *f = *state;
  char *one = dump_sample(f, SAMPLE("01-chengshi-daolu.yaml"));
  char *two = dump_sample(f, SAMPLE("01-chengshi-daolu.yaml"));
  assert_string_equal(one, two);
  assert_true(strncmp(one, "schema @4:9 1\n", 14) == 0);
  assert_non_null(strstr(one, "template @5:11 yangquan-2025\n"));
  assert_non_null(strstr(one, "\nproject.name @9:9 \"城市道路桥涵、城市照明、"
                              "排水管网设施运维服务费\"\n"));
  assert_non_null(strstr(one, "\nproject.department.code @11:11 \"045\"\n"));
  assert_non_null(strstr(one, "funds.period.total @20:12 34,060,000\n"));
  assert_non_null(strstr(one, "funds.period.central @21:14 0\n"));
  assert_non_null(strstr(one, "funds.period.other @25:5 absent\n"));
  assert_non_null(strstr(one, "indicators.period count=6\n"));
  assert_non_null(strstr(one, "indicators.period[1] @56:7 level1=\"产出指标\" "
                              "level2=\"数量指标\" level3=\"道路设施日常养护"
                              "维修条数\" value=\"117条\"\n"));
  assert_non_null(strstr(one, "footer.responsible @72:3 absent\n"));
  assert_non_null(strstr(one, "footer.date @75:9 \"20250210111110\"\n"));
  free(one);
  free(two);

  jx_diag_list_free(&f->diags);
  jx_model *m = load_with(f, "overview: \"a\\\"b\\\\c\\nd\\te\"\n");
  assert_non_null(m);
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  jx_model_dump(m, out);
  fclose(out);
  assert_non_null(strstr(text, "overview @6:11 \"a\\\"b\\\\c\\nd\\te\"\n"));
  assert_non_null(strstr(text, "template @1:1 default yangquan-2025\n"));
  /* absent with its mapping: at the top level */
  assert_non_null(strstr(text, "funds.period.total @1:1 absent\n"));
  /* absent in a present mapping: at the mapping */
  assert_non_null(strstr(text, "project.implementer @4:3 absent\n"));
  free(text);
}

int main(void) {
#define T(name)                                                                \
  cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
  const struct CMUnitTest tests[] = {
      T(test_sample_loads_every_field),
      T(test_all_samples_load),
      T(test_model_shape),
      T(test_empty_is_not_zero),
      T(test_amount_forms),
      T(test_amount_format),
      T(test_paths),
      T(test_template_default_and_raw_scalars),
      T(test_indicator_extra_column_and_empty_level3),
      T(test_labels_as_keys),
      T(test_key_and_label_twice),
      T(test_unknown_key_with_suggestion),
      T(test_unknown_key_lists_labels),
      T(test_misplaced_key),
      T(test_wrong_type),
      T(test_duplicate_key),
      T(test_alias),
      T(test_bad_amounts),
      T(test_missing_required),
      T(test_bad_schema_and_year),
      T(test_syntax_error),
      T(test_bom_is_accepted),
      T(test_chinese_keyboard_keys),
      T(test_fullwidth_amounts),
      T(test_comma_cuts_a_flow_value),
      T(test_line_break_next_to_punctuation),
      T(test_comment_cuts_a_value),
      T(test_tab_indentation),
      T(test_invalid_utf8),
      T(test_not_a_mapping),
      T(test_many_errors_all_reported),
      T(test_file_limits),
      T(test_template_name),
      T(test_model_dump),
  };
#undef T
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  test_templates_free();
  return failed;
}
