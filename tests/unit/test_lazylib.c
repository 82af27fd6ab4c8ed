/*
 * test_lazylib.c — jxform without the libraries src/lazylib.c opens on
 * first use: with ICU missing, a packet's names are in code point order
 * (jx_packet_sort says so by returning false; jx_entries_order gives the
 * loader's reason, which document.c puts in its warning) and --version
 * prints "ICU ?"; with libxlsxwriter missing, `new --xlsx` fails with the
 * loader's reason and leaves no file; with minizip or libfreexl missing,
 * reading an .xlsx or .xls fails with the loader's reason (and a CSV is
 * still read).  The libraries are made missing by
 * pointing lazylib at a file that does not exist, before their first use
 * in this process.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "arena.h"
#include "book.h"
#include "document.h"
#include "jxform/jxform.h"
#include "lazylib.h"
#include "packet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NO_ICU "libjxform-test-no-icu.so.0"
#define NO_XLSXWRITER "libjxform-test-no-xlsxwriter.so.0"
#define NO_MINIZIP "libjxform-test-no-minizip.so.0"
#define NO_FREEXL "libjxform-test-no-freexl.so.0"

/* ICU missing: department code, then names in code point order (安 U+5B89
 * < 张 U+5F20 < 白 U+767D < 赵 U+8D75), not 拼音 order (安 白 张 赵). */
static void test_packet_sort_without_icu(void **state) {
  (void)state;
  jx_packet_key keys[] = {
      {"045", "城管局", "赵庄道路维修", 0}, {"045", "城管局", "安置房配套", 1},
      {"003", "财政局", "白羊墅排水", 2},   {"045", "城管局", "张家巷改造", 3},
      {"045", "城管局", "白羊墅排水", 4},
  };
  assert_false(jx_packet_sort(keys, 5, JX_ORDER_DEPT));
  static const char *const want[] = {"白羊墅排水", "安置房配套", "张家巷改造",
                                     "白羊墅排水", "赵庄道路维修"};
  for (size_t i = 0; i < 5; i++)
    assert_string_equal(keys[i].name, want[i]);
  assert_string_equal(keys[0].dept_code, "003");
}

/* The reason the packet's warning gives is the loader's, naming the file;
 * the order is by code point, departments numbered in code order. */
static void test_entries_order_reason(void **state) {
  (void)state;
  jx_entry e[3] = {
      {.input = 0, .dept_code = "010", .dept_name = "教育局", .name = "赵"},
      {.input = 1, .dept_code = "010", .dept_name = "教育局", .name = "白"},
      {.input = 2, .dept_code = "003", .dept_name = "财政局", .name = "张"},
  };
  jx_entry *es[3] = {&e[0], &e[1], &e[2]};
  const char *why = NULL;
  size_t depts = jx_entries_order(es, 3, JX_ORDER_DEPT, &why);
  assert_int_equal(depts, 2);
  assert_non_null(why);
  assert_non_null(strstr(why, NO_ICU));
  assert_string_equal(es[0]->name, "张");
  assert_string_equal(es[1]->name, "白");
  assert_string_equal(es[2]->name, "赵");
  assert_int_equal(es[0]->dept, 0);
  assert_int_equal(es[2]->dept, 1);
}

/* --version still works, with "?" for ICU's version. */
static void test_version_without_icu(void **state) {
  (void)state;
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);
  assert_non_null(out);
  jx_print_versions(out);
  fclose(out);
  assert_non_null(strstr(text, ", ICU ?"));
  free(text);
}

/* `new --xlsx` without libxlsxwriter: an error with the loader's reason,
 * and no file. */
static void test_workbook_without_xlsxwriter(void **state) {
  (void)state;
  char dir[] = "/tmp/jxform-lazylib-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[128];
  snprintf(path, sizeof path, "%s/book.xlsx", dir);
  jx_session *s = jx_session_new(NULL);
  assert_non_null(s);
  assert_false(jx_write_workbook(s, NULL, 2025, path));
  jx_diag_list *diags = jx_session_diags(s);
  assert_int_equal(diags->errors, 1);
  assert_non_null(strstr(diags->items[0].message, NO_XLSXWRITER));
  struct stat st;
  assert_int_not_equal(stat(path, &st), 0);
  jx_session_free(s);
  assert_int_equal(rmdir(dir), 0); /* empty: no temporary file left */
}

/* Reads workbook `path` (NULL data: from the file) and checks that it
 * fails with one error naming `missing`. */
static void assert_unreadable(const char *path, const char *missing) {
  jx_arena arena;
  jx_arena_init(&arena);
  jx_diag_list diags = {0};
  assert_null(jx_book_read(&arena, &diags, path, NULL, 0));
  assert_int_equal(diags.errors, 1);
  assert_non_null(strstr(diags.items[0].message, missing));
  jx_diag_list_free(&diags);
  jx_arena_free(&arena);
}

/* Workbooks without their readers' libraries. */
static void test_books_without_readers(void **state) {
  (void)state;
  assert_unreadable(JX_SOURCE_DIR "/tests/import/books/xlsxwriter/flat.xlsx",
                    NO_MINIZIP);
  assert_unreadable(JX_SOURCE_DIR "/tests/book/libreoffice.xls", NO_FREEXL);
  /* a CSV needs neither */
  char dir[] = "/tmp/jxform-lazylib-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[128];
  snprintf(path, sizeof path, "%s/book.csv", dir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("a,b\n1,2\n", f);
  fclose(f);
  jx_arena arena;
  jx_arena_init(&arena);
  jx_diag_list diags = {0};
  assert_non_null(jx_book_read(&arena, &diags, path, NULL, 0));
  assert_int_equal(diags.errors, 0);
  jx_diag_list_free(&diags);
  jx_arena_free(&arena);
  unlink(path);
  rmdir(dir);
}

int main(void) {
  jx_lazylib_set_file(JX_LAZY_ICU, NO_ICU);
  jx_lazylib_set_file(JX_LAZY_XLSXWRITER, NO_XLSXWRITER);
  jx_lazylib_set_file(JX_LAZY_MINIZIP, NO_MINIZIP);
  jx_lazylib_set_file(JX_LAZY_FREEXL, NO_FREEXL);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_packet_sort_without_icu),
      cmocka_unit_test(test_entries_order_reason),
      cmocka_unit_test(test_version_without_icu),
      cmocka_unit_test(test_workbook_without_xlsxwriter),
      cmocka_unit_test(test_books_without_readers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
