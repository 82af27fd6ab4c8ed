/*
 * test_diag.c — diagnostics as data (src/diag.c): the rule id, the
 * arguments and the field are fields of a diagnostic, apart from its
 * text; copies keep them; sorting is by position and stable; printing
 * puts the rule back at the end; a Chinese catalogue changes only the
 * message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "arena.h"
#include "diag.h"
#include "i18n-choose.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const jx_pos at_3_7 = {"p.yaml", 3, 7};

static void test_rule_split_from_message(void **state) {
  (void)state;
  jx_diag_list list = {0};
  jx_error(&list, at_3_7, "'%s' does not add up [funds-sum]", "funds.period");
  assert_int_equal(list.count, 1);
  assert_int_equal(list.errors, 1);
  const jx_diagnostic *d = &list.items[0];
  assert_string_equal(d->message, "'funds.period' does not add up");
  assert_string_equal(d->rule, "funds-sum");
  assert_string_equal(d->file, "p.yaml");
  assert_int_equal(d->line, 3);
  assert_int_equal(d->column, 7);
  /* brackets that are not a rule id stay in the text */
  jx_warning(&list, at_3_7, "write it like [a, b]");
  assert_null(list.items[1].rule);
  assert_string_equal(list.items[1].message, "write it like [a, b]");
  jx_warning(&list, at_3_7, "the list[2]");
  assert_null(list.items[2].rule);
  assert_int_equal(list.errors, 1);
  jx_diag_list_free(&list);
}

static void test_arguments_kept_as_text(void **state) {
  (void)state;
  jx_diag_list list = {0};
  long year = 2025;
  size_t rows = 12;
  jx_error(&list, at_3_7, "%s: %.*s, %ld, %zu rows, %d%%, %c, %04X, %u [r-1]",
           "甲", 3, "abcdef", year, rows, -5, 'x', 0x3000u, 7u);
  const jx_diagnostic *d = &list.items[0];
  assert_string_equal(d->message, "甲: abc, 2025, 12 rows, -5%, x, 3000, 7");
  assert_string_equal(d->rule, "r-1");
  static const char *const want[] = {"甲", "abc", "2025", "12",
                                     "-5", "x",   "3000", "7"};
  assert_int_equal(d->arg_count, 8);
  for (size_t k = 0; k < 8; k++)
    assert_string_equal(d->args[k], want[k]);
  jx_diag_list_free(&list);
}

static void test_subject_and_copy(void **state) {
  (void)state;
  jx_diag_list list = {0}, other = {0};
  jx_diag_subject(&list, "funds.annual.total", "年度资金总额");
  jx_warning(&list, at_3_7, "'%s' is odd [odd-rule]", "x");
  jx_diag_subject(&list, NULL, NULL);
  jx_error(&list, at_3_7, "no field here");
  jx_diag_set_detail(&list, "libyaml: did not find expected key");
  assert_string_equal(list.items[0].field, "funds.annual.total");
  assert_string_equal(list.items[0].label, "年度资金总额");
  assert_null(list.items[0].detail);
  assert_null(list.items[1].field);
  assert_string_equal(list.items[1].detail,
                      "libyaml: did not find expected key");
  for (size_t i = 0; i < list.count; i++)
    jx_diag_add_copy(&other, &list.items[i]);
  jx_diag_list_free(&list); /* the copies own their strings */
  assert_int_equal(other.count, 2);
  assert_int_equal(other.errors, 1);
  assert_string_equal(other.items[0].rule, "odd-rule");
  assert_string_equal(other.items[0].label, "年度资金总额");
  assert_int_equal(other.items[0].arg_count, 1);
  assert_string_equal(other.items[0].args[0], "x");
  assert_string_equal(other.items[1].detail,
                      "libyaml: did not find expected key");
  jx_diag_list_free(&other);
}

static void test_sort_is_stable_by_position(void **state) {
  (void)state;
  jx_diag_list list = {0};
  jx_arena arena;
  jx_arena_init(&arena);
  jx_pos a = {"f", 9, 1}, b = {"f", 2, 5}, c = {"f", 2, 5}, e = {"f", 2, 1};
  jx_error(&list, a, "first");
  jx_error(&list, b, "second");
  jx_error(&list, c, "third");
  jx_error(&list, e, "fourth");
  jx_diag_sort(&list, 0, &arena);
  assert_string_equal(list.items[0].message, "fourth");
  assert_string_equal(list.items[1].message, "second");
  assert_string_equal(list.items[2].message, "third");
  assert_string_equal(list.items[3].message, "first");
  jx_arena_free(&arena);
  jx_diag_list_free(&list);
}

/* Prints `d` to a string (caller frees). */
static char *printed(const jx_diagnostic *d) {
  char *text = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&text, &size);
  jx_diagnostic_print(d, f);
  fclose(f);
  return text;
}

static void test_print_puts_the_rule_back(void **state) {
  (void)state;
  jx_diag_list list = {0};
  jx_error(&list, at_3_7, "bad [x-y]");
  jx_pos no_line = {"q.yaml", 0, 0};
  jx_warning(&list, no_line, "whole file");
  char *one = printed(&list.items[0]), *two = printed(&list.items[1]);
  assert_string_equal(one, "p.yaml:3:7: error: bad [x-y]\n");
  assert_string_equal(two, "q.yaml: warning: whole file\n");
  free(one);
  free(two);
  jx_diag_list_free(&list);
}

/* With the Chinese catalogue only the message changes: the rule, the
 * arguments and the position are the same data. */
static void test_chinese_changes_only_the_message(void **state) {
  (void)state;
  static const char msgid[] =
      "'%s' is '%s'; write %s as digits, like 0353-1234567 or 13812345678 "
      "[phone-format]";
  jx_diag_list en = {0}, zh = {0};
  jx_warning(&en, at_3_7, msgid, "footer.phone", "abc", "联系电话");
  jx_i18n_choose("zh");
  jx_warning(&zh, at_3_7, msgid, "footer.phone", "abc", "联系电话");
  char *line = printed(&zh.items[0]);
  jx_i18n_choose("en");
  assert_string_not_equal(en.items[0].message, zh.items[0].message);
  assert_null(strstr(zh.items[0].message, "write"));
  assert_non_null(strstr(zh.items[0].message, "联系电话"));
  assert_non_null(strstr(line, ": 警告: "));
  assert_string_equal(en.items[0].rule, "phone-format");
  assert_string_equal(zh.items[0].rule, "phone-format");
  assert_int_equal(zh.items[0].arg_count, 3);
  for (size_t k = 0; k < 3; k++)
    assert_string_equal(en.items[0].args[k], zh.items[0].args[k]);
  free(line);
  jx_diag_list_free(&en);
  jx_diag_list_free(&zh);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rule_split_from_message),
      cmocka_unit_test(test_arguments_kept_as_text),
      cmocka_unit_test(test_subject_and_copy),
      cmocka_unit_test(test_sort_is_stable_by_position),
      cmocka_unit_test(test_print_puts_the_rule_back),
      cmocka_unit_test(test_chinese_changes_only_the_message),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
