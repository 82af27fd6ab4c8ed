/*
 * test_load.c — the project loader (src/load.c) and the model helpers
 * (src/model.c): the samples load field by field, amounts parse and
 * format exactly, and every schema error carries file:line:col.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model.h"
#include "testutil.h" /* fixture, fixture_setup, fixture_teardown */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLE(name) JX_SOURCE_DIR "/samples/" name

static jx_model *load(fixture *f, const char *text) {
  return jx_load_buffer(&f->arena, &f->diags, "p.yaml", text, strlen(text));
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

static void expect_text(const jx_text *text, const char *str, unsigned line,
                        unsigned col) {
  assert_true(text->present);
  assert_string_equal(text->str, str);
  assert_int_equal(text->pos.line, line);
  assert_int_equal(text->pos.col, col);
}

static void test_sample_loads_every_field(void **state) {
  fixture *f = *state;
  jx_model *m =
      jx_load_file(&f->arena, &f->diags, SAMPLE("03-gongjiao-butie.yaml"));
  if (!m)
    print_diags(f);
  assert_non_null(m);
  assert_int_equal(f->diags.count, 0);
  assert_non_null(strstr(m->path, "03-gongjiao-butie.yaml"));
  assert_string_equal(m->schema.str, "1");
  expect_text(&m->template_name, "yangquan-2025", 5, 11);
  expect_text(&m->year, "2025", 6, 7);
  expect_text(&m->name, "公交政策性亏损补贴", 9, 9);
  expect_text(&m->dept_code, "040", 11, 11);
  assert_string_equal(m->dept_name.str, "阳泉市工业和信息化局");
  assert_string_equal(m->implementer.str,
                      "阳泉市人民政府国有资产监督管理委员会");
  assert_string_equal(m->attribute.str, "经常性项目（长期开展）");
  assert_string_equal(m->duration.str, "99年");

  /* 实施期 and 年度 differ in this form. */
  const jx_amount *period = m->funds[JX_SIDE_PERIOD];
  const jx_amount *annual = m->funds[JX_SIDE_ANNUAL];
  assert_true(period[JX_FUND_TOTAL].present);
  assert_int_equal(period[JX_FUND_TOTAL].cents, INT64_C(10000000000));
  assert_int_equal(annual[JX_FUND_TOTAL].cents, INT64_C(3077080000));
  assert_int_equal(annual[JX_FUND_CITY_COUNTY].cents, INT64_C(3077080000));
  assert_true(period[JX_FUND_CENTRAL].present);
  assert_int_equal(period[JX_FUND_CENTRAL].cents, 0);
  assert_true(period[JX_FUND_PROVINCIAL].present);
  assert_true(period[JX_FUND_SELF_RAISED].present);
  assert_false(period[JX_FUND_OTHER].present); /* blank, not 0 */
  assert_false(annual[JX_FUND_OTHER].present);

  assert_true(strncmp(m->overview.str, "阳泉市公共交通有限责任公司", 39) == 0);
  assert_non_null(strstr(m->basis.str, "晋政办发【2012】23号"));
  assert_string_equal(
      m->necessity.str,
      "为了维持企业的正常运转，缓解运营资金的紧张局面，更好地满足广大市民的"
      "出行需求。");
  assert_string_equal(
      m->measures.str,
      "报市政府批准，在市工信局的领导下以及市财政的大力支持下进行。");
  assert_non_null(strstr(m->plan.str, "12类免费群体乘车形成的减收等。"));
  assert_non_null(strstr(m->goals[JX_SIDE_PERIOD].str, "2994万公里"));
  assert_non_null(strstr(m->goals[JX_SIDE_ANNUAL].str, "超过5500万元。"));

  assert_int_equal(m->indicator_count[JX_SIDE_PERIOD], 13);
  assert_int_equal(m->indicator_count[JX_SIDE_ANNUAL], 13);
  const jx_indicator *first = &m->indicators[JX_SIDE_PERIOD][0];
  assert_string_equal(first->level1.str, "产出指标");
  assert_string_equal(first->level2.str, "数量指标");
  assert_string_equal(first->level3.str, "公交线路");
  assert_string_equal(first->value.str, "94条/年");
  assert_false(first->note.present);
  assert_int_not_equal(first->pos.line, 0);
  const jx_indicator *last = &m->indicators[JX_SIDE_ANNUAL][12];
  assert_string_equal(last->level2.str, "服务对象满意度指标");
  assert_string_equal(last->value.str, "≥95%");

  assert_false(m->responsible.present);
  assert_string_equal(m->responsible.str, "");
  assert_false(m->handler.present);
  assert_false(m->phone.present);
  assert_string_equal(m->fill_date.str, "20250116115541");
}

static void test_all_samples_load(void **state) {
  fixture *f = *state;
  static const char *const samples[] = {
      SAMPLE("01-chengshi-daolu.yaml"), SAMPLE("02-daolu-wajue.yaml"),
      SAMPLE("03-gongjiao-butie.yaml"), SAMPLE("04-cunji-zuzhi.yaml"),
      SAMPLE("05-rencai-gongzuo.yaml"), SAMPLE("06-laji-fenshao.yaml")};
  static const size_t period_rows[] = {6, 6, 13, 6, 16, 6};
  for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
    jx_model *m = jx_load_file(&f->arena, &f->diags, samples[i]);
    if (!m)
      print_diags(f);
    assert_non_null(m);
    assert_int_equal(m->indicator_count[JX_SIDE_PERIOD], period_rows[i]);
    /* Each side's sources add up to its total. */
    for (int s = 0; s < JX_SIDE_COUNT; s++) {
      int64_t sum = 0;
      for (int k = JX_FUND_CENTRAL; k < JX_FUND_COUNT; k++)
        sum += m->funds[s][k].cents;
      assert_int_equal(sum, m->funds[s][JX_FUND_TOTAL].cents);
    }
  }
  assert_int_equal(f->diags.count, 0);
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
  const jx_amount *p = m->funds[JX_SIDE_PERIOD];
  assert_true(p[JX_FUND_TOTAL].present);
  assert_int_equal(p[JX_FUND_TOTAL].cents, 0);
  assert_true(p[JX_FUND_CENTRAL].present);
  assert_false(p[JX_FUND_PROVINCIAL].present);
  assert_int_equal(p[JX_FUND_PROVINCIAL].pos.line, 10); /* at the key */
  assert_int_equal(p[JX_FUND_PROVINCIAL].pos.col, 5);
  assert_false(p[JX_FUND_CITY_COUNTY].present);
  assert_false(p[JX_FUND_SELF_RAISED].present);
  assert_false(p[JX_FUND_OTHER].present); /* key left out */
  assert_false(m->funds[JX_SIDE_ANNUAL][JX_FUND_TOTAL].present);

  char *zero = jx_amount_format(&f->arena, &p[JX_FUND_TOTAL]);
  char *blank = jx_amount_format(&f->arena, &p[JX_FUND_PROVINCIAL]);
  assert_string_equal(zero, "0");
  assert_string_equal(blank, "");
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
  const jx_amount *p = m->funds[JX_SIDE_PERIOD];
  assert_int_equal(p[JX_FUND_TOTAL].cents, INT64_C(3406000000));
  assert_int_equal(p[JX_FUND_CENTRAL].cents, 123450);
  assert_int_equal(p[JX_FUND_PROVINCIAL].cents, 123405);
  assert_int_equal(p[JX_FUND_CITY_COUNTY].cents, 700);
  assert_int_equal(p[JX_FUND_SELF_RAISED].cents, 50);
  assert_int_equal(p[JX_FUND_OTHER].cents, INT64_C(99999999999999999));
  assert_int_equal(p[JX_FUND_TOTAL].pos.line, 8);
  assert_int_equal(p[JX_FUND_TOTAL].pos.col, 12);

  assert_string_equal(jx_amount_format(&f->arena, &p[JX_FUND_TOTAL]),
                      "34,060,000");
  assert_string_equal(jx_amount_format(&f->arena, &p[JX_FUND_CENTRAL]),
                      "1,234.50");
  assert_string_equal(jx_amount_format(&f->arena, &p[JX_FUND_PROVINCIAL]),
                      "1,234.05");
  assert_string_equal(jx_amount_format(&f->arena, &p[JX_FUND_CITY_COUNTY]),
                      "7");
  assert_string_equal(jx_amount_format(&f->arena, &p[JX_FUND_SELF_RAISED]),
                      "0.50");
  assert_string_equal(jx_amount_format(&f->arena, &p[JX_FUND_OTHER]),
                      "999,999,999,999,999.99");
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
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    jx_amount amount = {cases[i].cents, true, {NULL, 0, 0}};
    assert_string_equal(jx_amount_format(&f->arena, &amount), cases[i].text);
  }
  jx_amount absent = {0, false, {NULL, 0, 0}};
  assert_string_equal(jx_amount_format(&f->arena, &absent), "");
  assert_string_equal(jx_amount_format(&f->arena, NULL), "");
}

static void test_paths(void **state) {
  fixture *f = *state;
  jx_model *m = load_with(f, "goals: {period: 甲, annual: 乙}\n"
                             "footer: {date: 20250210111110}\n"
                             "funds: {annual: {other: 12}}\n");
  assert_non_null(m);
  assert_ptr_equal(jx_model_text(m, "name"), &m->name);
  assert_ptr_equal(jx_model_text(m, "department.code"), &m->dept_code);
  assert_ptr_equal(jx_model_text(m, "department.name"), &m->dept_name);
  assert_ptr_equal(jx_model_text(m, "goals.annual"), &m->goals[1]);
  assert_string_equal(jx_model_text(m, "goals.period")->str, "甲");
  assert_string_equal(jx_model_text(m, "footer.date")->str, "20250210111110");
  assert_ptr_equal(jx_model_text(m, "template"), &m->template_name);
  assert_ptr_equal(jx_model_text(m, "year"), &m->year);
  assert_null(jx_model_text(m, "funds.period.total"));
  assert_null(jx_model_text(m, "nope"));
  assert_null(jx_model_text(m, "project.name"));
  assert_ptr_equal(jx_model_amount(m, "funds.annual.other"),
                   &m->funds[JX_SIDE_ANNUAL][JX_FUND_OTHER]);
  assert_int_equal(jx_model_amount(m, "funds.annual.other")->cents, 1200);
  assert_ptr_equal(jx_model_amount(m, "funds.period.city_county"),
                   &m->funds[JX_SIDE_PERIOD][JX_FUND_CITY_COUNTY]);
  assert_null(jx_model_amount(m, "funds.period"));
  assert_null(jx_model_amount(m, "funds.periodx.total"));
  assert_null(jx_model_amount(m, "name"));

  static const char *const known[] = {"template",
                                      "year",
                                      "name",
                                      "department.code",
                                      "department.name",
                                      "implementer",
                                      "attribute",
                                      "duration",
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
    assert_true(jx_model_path_known(known[i]));
    assert_true(jx_model_text(m, known[i]) || jx_model_amount(m, known[i]));
  }
  assert_false(jx_model_path_known("funds.period"));
  assert_false(jx_model_path_known("goals"));
  assert_false(jx_model_path_known(""));
}

static void test_template_default_and_raw_scalars(void **state) {
  fixture *f = *state;
  jx_model *m = load_with(f, "footer:\n  date: 20250210111110\n"
                             "  phone: 0353-1234567\n");
  assert_non_null(m);
  assert_false(m->template_name.present);
  assert_string_equal(m->template_name.str, "yangquan-2025");
  assert_string_equal(m->year.str, "2025");
  assert_string_equal(m->dept_code.str, "005"); /* leading zeros kept */
  assert_string_equal(m->fill_date.str, "20250210111110");
  assert_string_equal(m->phone.str, "0353-1234567");
  assert_false(m->overview.present);
  assert_string_equal(m->overview.str, "");
  assert_int_equal(m->indicator_count[JX_SIDE_PERIOD], 0);
}

static void test_indicator_note_and_empty_level3(void **state) {
  fixture *f = *state;
  jx_model *m = load_with(f, "indicators:\n"
                             "  annual:\n"
                             "    - level1: 产出指标\n" /* line 8 */
                             "      level2: 成本指标\n"
                             "      note: 备注文字\n"
                             "    - {level1: 效益指标, level2: 社会效益指标, "
                             "level3: '', value: 保障}\n");
  if (!m)
    print_diags(f);
  assert_non_null(m);
  assert_int_equal(m->indicator_count[JX_SIDE_ANNUAL], 2);
  const jx_indicator *a = &m->indicators[JX_SIDE_ANNUAL][0];
  assert_int_equal(a->pos.line, 8);
  assert_int_equal(a->pos.col, 7);
  assert_false(a->level3.present);
  assert_false(a->value.present);
  assert_true(a->note.present);
  assert_string_equal(a->note.str, "备注文字");
  const jx_indicator *b = &m->indicators[JX_SIDE_ANNUAL][1];
  assert_true(b->level3.present); /* '' is written, so present */
  assert_string_equal(b->level3.str, "");
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
  expect_diag(f, 8, 7, "missing required key 'indicators.period[0].level2'");
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
  expect_diag(f, 1, 1, "missing required key 'year'");
  expect_diag(f, 2, 1, "did you mean 'year'?");
  expect_diag(f, 4, 9, "'project.name' must be a string, not a sequence");
  expect_diag(f, 5, 15, "missing required key 'project.department.name'");
  expect_diag(f, 7, 19, "'funds.period.total' is not a number");
  expect_diag(f, 8, 10, "did you mean 'phone'?");
  assert_int_equal(f->diags.count, 6);
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
  assert_null(jx_load_buffer(&f->arena, &f->diags, "p.yaml", big, size));
  free(big);
  assert_int_equal(f->diags.count, 1);
  assert_string_equal(f->diags.items[0].message,
                      "file is larger than the 4 MiB limit");
  assert_string_equal(f->diags.items[0].file, "p.yaml");

  assert_null(jx_load_file(&f->arena, &f->diags,
                           JX_SOURCE_DIR "/samples/no-such-file.yaml"));
  assert_int_equal(f->diags.count, 2);
  assert_non_null(strstr(f->diags.items[1].message, "cannot open the file"));
}

/* The dump of `path` as a string (malloc'd; the caller frees it). */
static char *dump_sample(fixture *f, const char *path) {
  jx_model *m = jx_load_file(&f->arena, &f->diags, path);
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
  assert_non_null(strstr(
      one, "name @9:9 \"城市道路桥涵、城市照明、排水管网设施运维服务费\"\n"));
  assert_non_null(strstr(one, "department.code @11:11 \"045\"\n"));
  assert_non_null(strstr(one, "funds.period.total @20:12 34,060,000\n"));
  assert_non_null(strstr(one, "funds.period.central @21:14 0\n"));
  assert_non_null(strstr(one, "funds.period.other @25:5 absent\n"));
  assert_non_null(strstr(one, "indicators.period count=6\n"));
  assert_non_null(strstr(one, "indicators.period[0] @56:7 level1=\"产出指标\" "
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
  assert_non_null(strstr(text, "funds.period.total @0:0 absent\n"));
  free(text);
}

int main(void) {
#define T(name)                                                                \
  cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
  const struct CMUnitTest tests[] = {
      T(test_sample_loads_every_field),
      T(test_all_samples_load),
      T(test_empty_is_not_zero),
      T(test_amount_forms),
      T(test_amount_format),
      T(test_paths),
      T(test_template_default_and_raw_scalars),
      T(test_indicator_note_and_empty_level3),
      T(test_unknown_key_with_suggestion),
      T(test_misplaced_key),
      T(test_wrong_type),
      T(test_duplicate_key),
      T(test_alias),
      T(test_bad_amounts),
      T(test_missing_required),
      T(test_bad_schema_and_year),
      T(test_syntax_error),
      T(test_tab_indentation),
      T(test_invalid_utf8),
      T(test_not_a_mapping),
      T(test_many_errors_all_reported),
      T(test_file_limits),
      T(test_model_dump),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
