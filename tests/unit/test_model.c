/*
 * test_model.c — the loaded model (src/model.c): amounts formatted as a
 * money block prints them, values looked up by field id, what a field
 * prints as, and the stable text dump.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_cents_format(void **state) {
  fixture *f = *state;
  static const struct {
    int64_t cents;
    const char *text;
  } cases[] = {
      {0, "0"},
      {100, "1"},
      {5, "0.05"},
      {123450, "1,234.50"},
      {3406000000, "34,060,000"},
      {99999999, "999,999.99"},
      {100000000, "1,000,000"},
      {INT64_C(900000000000000000), "9,000,000,000,000,000"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    assert_string_equal(jx_cents_format(&f->arena, cases[i].cents),
                        cases[i].text);
}

static void test_money_format_by_block(void **state) {
  fixture *f = *state;
  jx_money_block plain = {.thousands = false, .decimals = JX_DECIMALS_AUTO};
  jx_money_block fixed = {.thousands = true, .decimals = JX_DECIMALS_FIXED};
  jx_money_block written = {.thousands = true, .decimals = JX_DECIMALS_WRITTEN};
  assert_string_equal(jx_money_format(&f->arena, &plain, 3406000000),
                      "34060000");
  assert_string_equal(jx_money_format(&f->arena, &plain, 123450), "1234.50");
  assert_string_equal(jx_money_format(&f->arena, &fixed, 3406000000),
                      "34,060,000.00");
  assert_string_equal(jx_money_format(&f->arena, &fixed, 6080), "60.80");
  /* an amount alone has no "as written": auto decimals */
  assert_string_equal(jx_money_format(&f->arena, &written, 6080), "60.80");
  assert_string_equal(jx_money_format(&f->arena, &written, 6000), "60");
  /* no block: the default, thousands and auto decimals */
  assert_string_equal(jx_money_format(&f->arena, NULL, 123450), "1,234.50");
}

static const char project[] =
    "schema: 1\n"
    "year: 2025\n"
    "project:\n"
    "  name: 测试项目\n"
    "  department: {code: \"045\", name: 某某局}\n"
    "  implementer: 某某局\n"
    "  attribute: 经常性项目（长期开展）\n"
    "  duration: 1年\n"
    "funds:\n"
    "  period: {total: 1234.5, city_county: 1234.5}\n"
    "  annual: {total: 1000, city_county: 1000}\n"
    "overview: 概况\n"
    "indicators:\n"
    "  period:\n"
    "    - {level1: 产出指标, level2: 数量指标, level3: 条数, value: 117条}\n"
    "    - {level1: 效益指标, level2: 社会效益指标, level3: 效果, "
    "value: 提高}\n";

static void test_lookup_print_and_dump(void **state) {
  fixture *f = *state;
  const jx_template *used = NULL;
  jx_model *m = test_load(&f->arena, &f->diags, NULL, "p.yaml", project,
                          strlen(project), &used);
  if (!m)
    for (size_t i = 0; i < f->diags.count; i++)
      fprintf(stderr, "%s\n", f->diags.items[i].message);
  assert_non_null(m);
  const jx_text *name = jx_model_text(m, "project.name");
  assert_non_null(name);
  assert_true(name->present);
  assert_string_equal(name->str, "测试项目");
  assert_int_equal(name->pos.line, 4);
  assert_int_equal(name->pos.col, 9);
  const jx_text *total = jx_model_text(m, "funds.period.total");
  assert_non_null(total);
  assert_int_equal(total->cents, 123450);
  assert_string_equal(total->str, "1234.5");
  /* an id the template does not declare */
  assert_null(jx_model_text(m, "funds.period.nothing"));
  assert_null(jx_model_field(m, -1));
  /* absent: present false, str "" */
  const jx_text *basis = jx_model_text(m, "basis");
  assert_non_null(basis);
  assert_false(basis->present);
  assert_string_equal(basis->str, "");

  /* what it prints as: the block's format */
  int field = -1;
  for (size_t i = 0; i < m->content->field_count; i++)
    if (!strcmp(m->content->fields[i].id, "funds.period.total"))
      field = (int)i;
  assert_true(field >= 0);
  assert_string_equal(jx_model_print(&f->arena, m, field), "1,234.50");

  /* the dump: one line per value, items counted from 1 */
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);
  jx_model_dump(m, out);
  fclose(out);
  assert_non_null(strstr(text, "project.name @4:9 \"测试项目\"\n"));
  assert_non_null(strstr(text, "indicators.period count=2\n"));
  assert_non_null(strstr(text, "indicators.period[1] @15:7 "));
  assert_non_null(strstr(text, "indicators.period[2] @16:7 "));
  assert_null(strstr(text, "indicators.period[0]"));
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_cents_format, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_money_format_by_block, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_lookup_print_and_dump, fixture_setup,
                                      fixture_teardown),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  test_templates_free();
  return failed;
}
