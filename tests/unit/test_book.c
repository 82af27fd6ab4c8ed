/*
 * test_book.c — the workbook readers (src/book*.c) on the fixtures of
 * tests/book/ (made by tests/book/make-fixtures.py) and on workbooks
 * built in memory for the limits too large for a fixture.
 *
 * What is proven: .xlsx shared strings (rich text, phonetic runs left
 * out, _xHHHH_ escapes), inline strings, cells without references,
 * numbers as General shows them, number formats (percent, date, time,
 * thousands, decimals, text, zh-CN built-ins), formulas' saved results,
 * merges and their lookup, sheets in workbook order, the 1904 date
 * system, files from openpyxl and LibreOffice; .xls through freexl (from
 * disk and from memory) with the formula results and merges freexl skips,
 * and a file that crashes freexl; CSV in UTF-8 with a BOM, in GB18030, with
 * quotes and other separators; and every hostile or broken file giving
 * its one diagnostic, naming the sheet or cell when there is one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "book-read.h"
#include "jxlimits.h"
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define FIXTURES JX_SOURCE_DIR "/tests/book/"

/* ---- helpers ------------------------------------------------------------- */

static jx_book *read_fixture(fixture *f, const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s%s", FIXTURES, name);
  return jx_book_read(&f->arena, &f->diags, path, NULL, 0);
}

/* The book's dump (malloc'd). */
static char *dump(const jx_book *book) {
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);
  assert_non_null(out);
  jx_book_dump(book, out);
  fclose(out);
  return text;
}

static const jx_sheet *sheet_named(const jx_book *book, const char *name) {
  for (size_t i = 0; i < book->sheet_count; i++)
    if (!strcmp(book->sheets[i].name, name))
      return &book->sheets[i];
  fail_msg("no sheet '%s'", name);
  return NULL;
}

/* The cell named like "C12" (asserted to be there). */
static const jx_cell *cell_at(const jx_sheet *sheet, const char *ref) {
  uint32_t col = 0, row = 0;
  const char *p = ref;
  for (; *p >= 'A' && *p <= 'Z'; p++)
    col = col * 26 + (uint32_t)(*p - 'A' + 1);
  row = (uint32_t)atoi(p);
  const jx_cell *c = jx_sheet_cell(sheet, row - 1, col - 1);
  if (!c)
    fail_msg("no cell %s in sheet '%s'", ref, sheet->name);
  return c;
}

static void assert_text_cell(const jx_sheet *sheet, const char *ref,
                             const char *text) {
  const jx_cell *c = cell_at(sheet, ref);
  assert_int_equal(c->kind, JX_CELL_TEXT);
  assert_string_equal(c->text, text);
}

static void assert_number_cell(const jx_sheet *sheet, const char *ref,
                               double number, const char *text,
                               jx_numfmt format, int decimals, bool thousands) {
  const jx_cell *c = cell_at(sheet, ref);
  assert_int_equal(c->kind, JX_CELL_NUMBER);
  assert_true(fabs(c->number - number) < 1e-9);
  assert_string_equal(c->text, text);
  assert_int_equal(c->format, format);
  assert_int_equal(c->decimals, decimals);
  assert_int_equal(c->thousands, thousands);
}

/* Asserts that the diagnostics hold exactly one error, whose message
 * contains `words` and whose cell is `cell` (NULL: none). */
static void assert_one_error(const fixture *f, const char *words,
                             const char *cell) {
  if (f->diags.errors != 1 || !strstr(f->diags.items[0].message, words)) {
    for (size_t i = 0; i < f->diags.count; i++)
      fprintf(stderr, "diagnostic: %s\n", f->diags.items[i].message);
    fail_msg("expected one error saying '%s'", words);
  }
  const jx_diagnostic *d = &f->diags.items[0];
  assert_true(d->severity == JX_SEV_ERROR);
  assert_non_null(d->file);
  if (cell)
    assert_string_equal(d->cell, cell);
  else
    assert_null(d->cell);
}

/* ---- a zip built in memory (stored entries) ---------------------------------
 * For the limits whose files would be megabytes: entries are stored, not
 * packed, so the ratio check lets them through.  An entry with data NULL
 * is an alias: a second directory entry for the local entry of the part
 * `alias_of` (entries may overlap, as in "better" zip bombs). */

typedef struct zpart {
  const char *name;
  const char *data;
  size_t size;
  int alias_of; /* with data NULL: the index of the part it repeats */
} zpart;

static void put16(unsigned char *p, unsigned v) {
  p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, unsigned long v) {
  put16(p, (unsigned)(v & 0xFFFF));
  put16(p + 2, (unsigned)(v >> 16));
}

/* The zip of the parts (malloc'd); *size set. */
static char *zip_build(const zpart *parts, size_t n, size_t *size) {
  size_t cap = 22;
  for (size_t i = 0; i < n; i++)
    cap += 30 + 46 + 2 * strlen(parts[i].name) +
           (parts[i].data ? parts[i].size : 0);
  unsigned char *zip = malloc(cap), *p = zip;
  assert_non_null(zip);
  unsigned long *offsets = calloc(n, sizeof *offsets),
                *crcs = calloc(n, sizeof *crcs);
  size_t *sizes = calloc(n, sizeof *sizes);
  for (size_t i = 0; i < n; i++) {
    const zpart *z = &parts[i];
    if (!z->data) {
      offsets[i] = offsets[z->alias_of], crcs[i] = crcs[z->alias_of];
      sizes[i] = sizes[z->alias_of];
      continue;
    }
    size_t len = strlen(z->name);
    offsets[i] = (unsigned long)(p - zip);
    crcs[i] = crc32(0, (const Bytef *)z->data, (uInt)z->size);
    sizes[i] = z->size;
    memset(p, 0, 30);
    put32(p, 0x04034b50), put16(p + 4, 20), put16(p + 12, 0x21);
    put32(p + 14, crcs[i]), put32(p + 18, z->size), put32(p + 22, z->size);
    put16(p + 26, (unsigned)len);
    memcpy(p + 30, z->name, len);
    memcpy(p + 30 + len, z->data, z->size);
    p += 30 + len + z->size;
  }
  unsigned char *directory = p;
  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(parts[i].name);
    memset(p, 0, 46);
    put32(p, 0x02014b50), put16(p + 4, 20), put16(p + 6, 20);
    put16(p + 14, 0x21), put32(p + 16, crcs[i]);
    put32(p + 20, sizes[i]), put32(p + 24, sizes[i]);
    put16(p + 28, (unsigned)len), put32(p + 42, offsets[i]);
    memcpy(p + 46, parts[i].name, len);
    p += 46 + len;
  }
  memset(p, 0, 22);
  put32(p, 0x06054b50), put16(p + 8, (unsigned)n), put16(p + 10, (unsigned)n);
  put32(p + 12, (unsigned long)(p - directory));
  put32(p + 16, (unsigned long)(directory - zip));
  p += 22;
  free(offsets), free(crcs), free(sizes);
  *size = (size_t)(p - zip);
  return (char *)zip;
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define RNS                                                                    \
  "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"           \
  "relationships\""
#define REL_TYPE                                                               \
  "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const char one_sheet_workbook[] =
    "<workbook " NS " " RNS "><sheets><sheet name=\"S\" sheetId=\"1\" "
    "r:id=\"rId1\"/></sheets></workbook>";
static const char one_sheet_rels[] =
    "<Relationships><Relationship Id=\"rId1\" Type=\"" REL_TYPE
    "worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship "
    "Id=\"rId2\" Type=\"" REL_TYPE
    "sharedStrings\" Target=\"sharedStrings.xml\"/><Relationship Id=\"rId3\" "
    "Type=\"" REL_TYPE "styles\" Target=\"styles.xml\"/></Relationships>";

/* Reads a one-sheet workbook (sheet "S") whose sheet, shared strings and
 * styles are the given XML (NULL: no such part). */
static jx_book *read_built(fixture *f, const char *sheet, const char *strings,
                           const char *styles) {
  zpart parts[5] = {
      {"xl/workbook.xml", one_sheet_workbook, strlen(one_sheet_workbook), 0},
      {"xl/_rels/workbook.xml.rels", one_sheet_rels, strlen(one_sheet_rels),
       0}};
  size_t n = 2;
  if (sheet)
    parts[n++] = (zpart){"xl/worksheets/sheet1.xml", sheet, strlen(sheet), 0};
  if (strings)
    parts[n++] = (zpart){"xl/sharedStrings.xml", strings, strlen(strings), 0};
  if (styles)
    parts[n++] = (zpart){"xl/styles.xml", styles, strlen(styles), 0};
  size_t size;
  char *zip = zip_build(parts, n, &size);
  jx_book *book = jx_book_read(&f->arena, &f->diags, "built.xlsx", zip, size);
  free(zip);
  return book;
}

/* `head`, then `item` `count` times, then `tail` (malloc'd). */
static char *repeat(const char *head, const char *item, size_t count,
                    const char *tail) {
  size_t h = strlen(head), i = strlen(item), t = strlen(tail);
  char *s = malloc(h + i * count + t + 1), *p = s;
  assert_non_null(s);
  memcpy(p, head, h), p += h;
  for (size_t k = 0; k < count; k++, p += i)
    memcpy(p, item, i);
  memcpy(p, tail, t + 1);
  return s;
}

/* ---- places, numbers and dates ------------------------------------------- */

static void test_book_path(void **state) {
  (void)state;
  assert_true(jx_book_path("a/项目.xlsx"));
  assert_true(jx_book_path("B.XLSM"));
  assert_true(jx_book_path("old.Xls"));
  assert_true(jx_book_path("list.csv"));
  assert_false(jx_book_path("p.yaml"));
  assert_false(jx_book_path("dir.xlsx/file"));
  assert_false(jx_book_path("xlsx"));
  assert_false(jx_book_path(NULL));
}

static void test_cell_names_and_places(void **state) {
  fixture *f = *state;
  char buf[16];
  assert_string_equal(jx_cell_name(0, 0, buf), "A1");
  assert_string_equal(jx_cell_name(11, 2, buf), "C12");
  assert_string_equal(jx_cell_name(0, 25, buf), "Z1");
  assert_string_equal(jx_cell_name(0, 26, buf), "AA1");
  assert_string_equal(jx_cell_name(1048575, 16383, buf), "XFD1048576");
  /* the largest place still fits the 16 bytes */
  jx_cell_name(UINT32_MAX, UINT32_MAX, buf);
  assert_true(strlen(buf) < 16);
  jx_sheet plain = {.name = "项目表"}, spaced = {.name = "绩效 指标"},
           quote = {.name = "Bob's"}, like_cell = {.name = "AB12"},
           digit = {.name = "2025"};
  assert_string_equal(jx_cell_place(&f->arena, &plain, 11, 2), "项目表!C12");
  assert_string_equal(jx_cell_place(&f->arena, &spaced, 0, 0),
                      "'绩效 指标'!A1");
  assert_string_equal(jx_cell_place(&f->arena, &quote, 0, 0), "'Bob''s'!A1");
  assert_string_equal(jx_cell_place(&f->arena, &like_cell, 0, 0), "'AB12'!A1");
  assert_string_equal(jx_cell_place(&f->arena, &digit, 0, 0), "'2025'!A1");
}

static void test_number_text(void **state) {
  fixture *f = *state;
  static const struct {
    double x;
    const char *text;
  } cases[] = {
      {34060000, "34060000"},
      {0.95, "0.95"},
      {123.45, "123.45"},
      {0.1 + 0.2, "0.3"}, /* 15 significant digits, as Excel */
      {-1234.5, "-1234.5"},
      {1e-7, "0.0000001"},
      {-0.0, "0"},
      {999999999999999, "999999999999999"},
      {123456789.123456789, "123456789.123457"},
      {1e15, "1E+15"},
      {2.5e20, "2.5E+20"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    assert_string_equal(jx_book_number_text(&f->arena, cases[i].x),
                        cases[i].text);
}

static void assert_date(double serial, bool date1904, int y, int m, int d) {
  int yy = 0, mm = 0, dd = 0;
  assert_true(jx_serial_date(serial, date1904, &yy, &mm, &dd));
  assert_int_equal(yy, y);
  assert_int_equal(mm, m);
  assert_int_equal(dd, d);
  if (!(y == 1900 && m == 2 && d == 29))
    assert_true(jx_book_date_serial(y, m, d, date1904) == floor(serial));
}

static void test_serial_dates(void **state) {
  (void)state;
  int y, m, d;
  assert_date(1, false, 1900, 1, 1);
  assert_date(59, false, 1900, 2, 28);
  assert_date(60, false, 1900, 2, 29); /* Excel's day that never was */
  assert_date(61, false, 1900, 3, 1);
  assert_date(45674, false, 2025, 1, 17);
  assert_date(45674.75, false, 2025, 1, 17);
  assert_date(2958465, false, 9999, 12, 31);
  assert_date(0, true, 1904, 1, 1);
  assert_date(44212, true, 2025, 1, 17);
  assert_false(jx_serial_date(0, false, &y, &m, &d));
  assert_false(jx_serial_date(-1, false, &y, &m, &d));
  assert_false(jx_serial_date(2958466, false, &y, &m, &d));
  assert_false(jx_serial_date(NAN, false, &y, &m, &d));
  assert_false(jx_serial_date(1e300, true, &y, &m, &d));
  double serial;
  jx_numfmt format;
  assert_true(jx_book_parse_datetime("1900-02-29", false, &serial, &format));
  assert_true(serial == 60 && format == JX_NUMFMT_DATE);
  assert_true(
      jx_book_parse_datetime("2025-01-17 12:00:00", false, &serial, &format));
  assert_true(serial == 45674.5 && format == JX_NUMFMT_DATETIME);
  assert_true(jx_book_parse_datetime("06:00:00", false, &serial, &format));
  assert_true(serial == 0.25 && format == JX_NUMFMT_TIME);
  assert_false(jx_book_parse_datetime("2025-02-29", false, &serial, &format));
  assert_false(jx_book_parse_datetime("2025-1-17", false, &serial, &format));
}

/* ---- .xlsx --------------------------------------------------------------- */

static void test_xlsx_strings(void **state) {
  fixture *f = *state;
  jx_book *book = read_fixture(f, "basic.xlsx");
  assert_non_null(book);
  assert_int_equal(f->diags.count, 0);
  assert_string_equal(book->format, "xlsx");
  assert_null(book->encoding);
  const jx_sheet *s = sheet_named(book, "项目表");
  /* shared strings; rich text runs joined, the phonetic run left out */
  assert_text_cell(s, "A1", "项目名称");
  assert_text_cell(s, "B1", "道路改造 ");
  assert_text_cell(s, "C7", "第一行\r\n第二行"); /* _x000D_ */
  /* inline strings, plain and rich */
  assert_text_cell(s, "A3", "完成率");
  assert_text_cell(s, "A4", "日期");
  /* cells without a reference follow from column A of their row */
  assert_text_cell(s, "A6", "无引用");
  assert_number_cell(s, "B6", 7, "7", JX_NUMFMT_GENERAL, -1, false);
  /* an empty styled cell is no cell */
  assert_null(jx_sheet_cell(s, 6, 1));
}

static void test_xlsx_numbers_and_formats(void **state) {
  fixture *f = *state;
  jx_book *book = read_fixture(f, "basic.xlsx");
  assert_non_null(book);
  const jx_sheet *s = sheet_named(book, "项目表");
  assert_number_cell(s, "B2", 34060000, "34060000", JX_NUMFMT_GENERAL, -1,
                     false);
  assert_number_cell(s, "C2", 1234.5, "1234.5", JX_NUMFMT_GENERAL, 2, true);
  assert_number_cell(s, "D2", 1234567, "1234567", JX_NUMFMT_GENERAL, 0, true);
  assert_number_cell(s, "E2", -12.25, "-12.25", JX_NUMFMT_GENERAL, 1, true);
  assert_number_cell(s, "B3", 0.95, "0.95", JX_NUMFMT_PERCENT, 0, false);
  assert_number_cell(s, "C3", 0.9512, "0.9512", JX_NUMFMT_PERCENT, 2, false);
  assert_number_cell(s, "B4", 45674, "45674", JX_NUMFMT_DATE, -1, false);
  assert_number_cell(s, "C4", 45674.5, "45674.5", JX_NUMFMT_DATETIME, -1,
                     false);
  assert_number_cell(s, "D4", 0.5, "0.5", JX_NUMFMT_TIME, -1, false);
  /* zh-CN built-in 31 (yyyy"年"m"月"d"日") and a custom Chinese date */
  assert_number_cell(s, "E4", 45674, "45674", JX_NUMFMT_DATE, -1, false);
  assert_number_cell(s, "F4", 45674, "45674", JX_NUMFMT_DATE, -1, false);
  int y, m, d;
  assert_true(
      jx_serial_date(cell_at(s, "B4")->number, book->date1904, &y, &m, &d));
  assert_true(y == 2025 && m == 1 && d == 17);
  assert_number_cell(s, "A7", 45, "45", JX_NUMFMT_TEXT, -1, false);
  assert_number_cell(s, "A8", 1e-5, "0.00001", JX_NUMFMT_GENERAL, -1, false);
  assert_number_cell(s, "B8", -0.5, "-0.5", JX_NUMFMT_GENERAL, -1, false);
  assert_number_cell(s, "D8", 123456789012345, "123456789012345",
                     JX_NUMFMT_GENERAL, -1, false);
  assert_string_equal(cell_at(s, "E8")->text, "0.123456789012346");
  assert_string_equal(cell_at(s, "F8")->text, "0"); /* -0 */
}

static void test_xlsx_formulas(void **state) {
  fixture *f = *state;
  jx_book *book = read_fixture(f, "basic.xlsx");
  assert_non_null(book);
  const jx_sheet *s = sheet_named(book, "项目表");
  const jx_cell *c = cell_at(s, "A5");
  assert_true(c->kind == JX_CELL_NUMBER && c->formula);
  assert_string_equal(c->text, "68120000");
  c = cell_at(s, "B5");
  assert_true(c->kind == JX_CELL_TEXT && c->formula);
  assert_string_equal(c->text, "项目名称x");
  c = cell_at(s, "C5");
  assert_true(c->kind == JX_CELL_BOOL && !c->formula && c->number == 1);
  c = cell_at(s, "D5");
  assert_true(c->kind == JX_CELL_ERROR && c->formula);
  assert_string_equal(c->text, "#DIV/0!");
  c = cell_at(s, "E5"); /* a shared formula */
  assert_true(c->kind == JX_CELL_NUMBER && c->formula);
  assert_string_equal(c->text, "34060001");
  assert_false(cell_at(s, "B2")->formula);
}

static void test_xlsx_merges(void **state) {
  fixture *f = *state;
  jx_book *book = read_fixture(f, "basic.xlsx");
  assert_non_null(book);
  const jx_sheet *s = sheet_named(book, "项目表");
  assert_int_equal(s->merge_count, 2);
  const jx_merge *m = jx_sheet_merge(s, 9, 1); /* B10 in A10:C10 */
  assert_non_null(m);
  assert_true(m->row0 == 9 && m->col0 == 0 && m->row1 == 9 && m->col1 == 2);
  assert_ptr_equal(jx_sheet_merge(s, 9, 0), m);
  assert_ptr_equal(jx_sheet_merge(s, 9, 2), m);
  assert_null(jx_sheet_merge(s, 9, 3));
  assert_null(jx_sheet_merge(s, 8, 0));
  m = jx_sheet_merge(s, 2, 6); /* G3 in G1:G3 */
  assert_true(m && m->row0 == 0 && m->row1 == 2 && m->col0 == 6);
  assert_null(jx_sheet_merge(s, 3, 6));
  /* merges count in the extent: G is the last column */
  assert_int_equal(s->rows, 10);
  assert_int_equal(s->cols, 7);
}

/* The merge index answers as a look at every merge does, for merges of
 * every shape (tall, wide, single cells) and every cell around them. */
static void test_merge_index_agrees(void **state) {
  fixture *f = *state;
  static const char *const refs[] = {
      "A1:B2",    "C1:C40", "D3:F3",   "G7:G7",   "A5:B9",      "H1:Z1",
      "H2:H1000", "I2:K4",  "D10:F30", "L50:N50", "A100:C2000", "J5:J9",
  };
  char sheet[2048];
  size_t n = (size_t)snprintf(sheet, sizeof sheet,
                              "<worksheet " NS "><sheetData/><mergeCells>");
  for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++)
    n += (size_t)snprintf(sheet + n, sizeof sheet - n,
                          "<mergeCell ref=\"%s\"/>", refs[i]);
  snprintf(sheet + n, sizeof sheet - n, "</mergeCells></worksheet>");
  jx_book *book = read_built(f, sheet, NULL, NULL);
  assert_non_null(book);
  const jx_sheet *s = &book->sheets[0];
  assert_non_null(s->merge_index);
  jx_sheet plain = *s;
  plain.merge_index = NULL; /* looks at every merge */
  for (uint32_t row = 0; row < 2100; row++)
    for (uint32_t col = 0; col < 28; col++)
      assert_ptr_equal(jx_sheet_merge(s, row, col),
                       jx_sheet_merge(&plain, row, col));
  assert_null(jx_sheet_merge(s, UINT32_MAX, 0));
}

static void test_xlsx_sheets_in_order(void **state) {
  fixture *f = *state;
  jx_book *book = read_fixture(f, "basic.xlsx");
  assert_non_null(book);
  assert_int_equal(book->sheet_count, 2);
  /* workbook order, not part order (项目表 is sheet2.xml) */
  assert_string_equal(book->sheets[0].name, "项目表");
  assert_string_equal(book->sheets[1].name, "绩效 指标");
  assert_text_cell(&book->sheets[1], "A1", "指标");
  assert_string_equal(jx_cell_place(&f->arena, &book->sheets[1], 0, 0),
                      "'绩效 指标'!A1");
  assert_false(book->date1904);
}

static void test_xlsx_date1904(void **state) {
  fixture *f = *state;
  jx_book *book = read_fixture(f, "date1904.xlsx");
  assert_non_null(book);
  assert_true(book->date1904);
  const jx_sheet *s = &book->sheets[0];
  int y, m, d;
  assert_true(jx_serial_date(cell_at(s, "A1")->number, true, &y, &m, &d));
  assert_true(y == 1904 && m == 1 && d == 1);
  assert_true(jx_serial_date(cell_at(s, "B1")->number, true, &y, &m, &d));
  assert_true(y == 2025 && m == 1 && d == 17);
  assert_int_equal(cell_at(s, "B1")->format, JX_NUMFMT_DATE);
}

static const char openpyxl_dump[] =
    "book xlsx\n"
    "sheet \"项目表\" rows=5 cols=4 cells=10 merges=1\n"
    "项目表!A1 text \"项目名称\"\n"
    "项目表!B1 text \"城市道路改造\"\n"
    "项目表!A2 text \"实施期资金总额\"\n"
    "项目表!B2 number general 34060000\n"
    "项目表!A3 text \"完成率\"\n"
    "项目表!B3 number percent 0.95 decimals=0\n"
    "项目表!A4 text \"开工日期\"\n"
    "项目表!B4 number date 45674\n"
    "项目表!A5 text \"单价\"\n"
    "项目表!B5 number general 1234.5 decimals=2 thousands\n"
    "merge 项目表!B1:D1\n"
    "sheet \"绩效指标\" rows=2 cols=2 cells=4 merges=0\n"
    "绩效指标!A1 text \"一级指标\"\n"
    "绩效指标!B1 text \"指标值\"\n"
    "绩效指标!A2 text \"产出指标\"\n"
    "绩效指标!B2 text \"≥95%\"\n";

/* The formulas LibreOffice saved with their results in libreoffice.xlsx
 * and libreoffice.xls: a number, a text, an error and TRUE. */
static void assert_saved_results(const jx_sheet *s) {
  const jx_cell *c = cell_at(s, "B6");
  assert_true(c->kind == JX_CELL_NUMBER && c->formula);
  assert_string_equal(c->text, "68120000");
  c = cell_at(s, "A7");
  assert_true(c->kind == JX_CELL_TEXT && c->formula);
  assert_string_equal(c->text, "项目名称！");
  c = cell_at(s, "B7");
  assert_true(c->kind == JX_CELL_ERROR && c->formula);
  assert_string_equal(c->text, "#DIV/0!");
  c = cell_at(s, "C7");
  assert_true(c->kind == JX_CELL_BOOL && c->formula && c->number == 1);
  assert_false(cell_at(s, "B2")->formula);
}

/* openpyxl writes inline strings; LibreOffice shared strings, explicit
 * types and the formula's saved result: the same book either way. */
static void test_xlsx_openpyxl_and_libreoffice(void **state) {
  fixture *f = *state;
  jx_book *book = read_fixture(f, "openpyxl.xlsx");
  assert_non_null(book);
  char *text = dump(book);
  assert_string_equal(text, openpyxl_dump);
  free(text);
  book = read_fixture(f, "libreoffice.xlsx");
  assert_non_null(book);
  assert_int_equal(f->diags.count, 0);
  const jx_sheet *s = sheet_named(book, "项目表");
  assert_text_cell(s, "A1", "项目名称");
  assert_number_cell(s, "B3", 0.95, "0.95", JX_NUMFMT_PERCENT, 0, false);
  assert_number_cell(s, "B4", 45674, "45674", JX_NUMFMT_DATE, -1, false);
  assert_number_cell(s, "B5", 1234.5, "1234.5", JX_NUMFMT_GENERAL, 2, true);
  assert_saved_results(s);
  assert_non_null(jx_sheet_merge(s, 0, 3));
}

/* ---- .xls ---------------------------------------------------------------- */

/* LibreOffice saved the same workbook as .xlsx and .xls: read through
 * freexl and the BIFF records it skips (number formats, formula results,
 * merges), the .xls is the same book. */
static void test_xls_libreoffice(void **state) {
  fixture *f = *state;
  jx_book *book = read_fixture(f, "libreoffice.xls");
  assert_non_null(book);
  assert_int_equal(f->diags.count, 0);
  assert_string_equal(book->format, "xls");
  assert_int_equal(book->sheet_count, 2);
  assert_string_equal(book->sheets[0].name, "项目表");
  assert_string_equal(book->sheets[1].name, "绩效指标");
  const jx_sheet *s = &book->sheets[0];
  assert_text_cell(s, "A1", "项目名称");
  assert_number_cell(s, "B2", 34060000, "34060000", JX_NUMFMT_GENERAL, -1,
                     false);
  /* freexl gives dates as text: back to a serial day with its format */
  assert_number_cell(s, "B4", 45674, "45674", JX_NUMFMT_DATE, -1, false);
  assert_number_cell(s, "B3", 0.95, "0.95", JX_NUMFMT_PERCENT, 0, false);
  assert_number_cell(s, "B5", 1234.5, "1234.5", JX_NUMFMT_GENERAL, 2, true);
  assert_saved_results(s);
  const jx_merge *m = jx_sheet_merge(s, 0, 2); /* C1 in B1:D1 */
  assert_true(m && m->row0 == 0 && m->col0 == 1 && m->col1 == 3);
  jx_book *xlsx = read_fixture(f, "libreoffice.xlsx");
  assert_non_null(xlsx);
  char *a = dump(book), *b = dump(xlsx);
  assert_string_equal(strchr(a, '\n'), strchr(b, '\n')); /* all but "book" */
  free(b);

  /* the same workbook from memory (through a temporary file) */
  size_t size;
  char *data = test_read_file(FIXTURES "libreoffice.xls", &size);
  jx_book *again = jx_book_read(&f->arena, &f->diags, "memory.xls", data, size);
  free(data);
  assert_non_null(again);
  b = dump(again);
  assert_string_equal(a, b);
  free(a), free(b);
}

static void test_xls_password(void **state) {
  fixture *f = *state;
  assert_null(read_fixture(f, "password.xls"));
  assert_one_error(f, "protected by a password", NULL);
}

/* A file that makes libfreexl read past a buffer (found by fuzz_book):
 * freexl runs in a child process, so this process lives on and says the
 * file is damaged.  An OLE file holding a Word document says so. */
static void test_xls_hostile(void **state) {
  fixture *f = *state;
  assert_null(read_fixture(f, "freexl-crash.xls"));
  assert_one_error(f, "is damaged and cannot be read", NULL);
  jx_diag_list_free(&f->diags);
  assert_null(read_fixture(f, "word-doc.xls"));
  assert_one_error(f, "Word document (.doc)", NULL);
}

/* ---- CSV ----------------------------------------------------------------- */

static void test_csv_utf8_bom(void **state) {
  fixture *f = *state;
  jx_book *book = read_fixture(f, "utf8-bom.csv");
  assert_non_null(book);
  assert_string_equal(book->format, "csv");
  assert_string_equal(book->encoding, "UTF-8");
  assert_int_equal(book->sheet_count, 1);
  const jx_sheet *s = &book->sheets[0];
  assert_string_equal(s->name, "utf8-bom");
  assert_text_cell(s, "A1", "项目名称"); /* no BOM in the text */
  assert_number_cell(s, "B2", 34060000, "34060000", JX_NUMFMT_GENERAL, -1,
                     false);
  assert_text_cell(s, "C2", "045"); /* a code keeps its zero */
  assert_true(s->rows == 2 && s->cols == 3);
}

static void test_csv_gb18030(void **state) {
  fixture *f = *state;
  jx_book *book = read_fixture(f, "gb18030.csv");
  assert_non_null(book);
  assert_string_equal(book->encoding, "GB18030");
  const jx_sheet *s = &book->sheets[0];
  assert_text_cell(s, "A1", "项目名称");
  assert_text_cell(s, "A2", "道路改造");
  assert_number_cell(s, "B2", 1234.5, "1234.5", JX_NUMFMT_GENERAL, -1, false);
  assert_text_cell(s, "C2", "045");
  assert_null(jx_sheet_cell(s, 2, 0)); /* CR LF ends the last line */
}

static void test_csv_quoting(void **state) {
  fixture *f = *state;
  jx_book *book = read_fixture(f, "quoting.csv");
  assert_non_null(book);
  assert_int_equal(f->diags.count, 0);
  const jx_sheet *s = &book->sheets[0];
  assert_text_cell(s, "B1", "say \"hi\"");
  assert_text_cell(s, "A2", "two\nlines");
  assert_text_cell(s, "B2", "a,b");
  /* 1,234.50 unquoted is two fields; quoted it is text */
  assert_number_cell(s, "C2", 1, "1", JX_NUMFMT_GENERAL, -1, false);
  assert_text_cell(s, "A3", "1,234.50");
  assert_text_cell(s, "B3", "110101199001011234"); /* 18 digits: text */
  assert_number_cell(s, "C3", -0.25, "-0.25", JX_NUMFMT_GENERAL, -1, false);
  assert_null(jx_sheet_cell(s, 3, 0)); /* empty fields are no cells */
  assert_text_cell(s, "C4", "xy");
  assert_number_cell(s, "A5", 0.5, "0.5", JX_NUMFMT_GENERAL, -1, false);
  assert_text_cell(s, "B5", "007");
  assert_number_cell(s, "C5", 3, "3", JX_NUMFMT_GENERAL, -1, false);
}

static void test_csv_separators_and_quotes(void **state) {
  fixture *f = *state;
  jx_book *book = read_fixture(f, "semicolon.csv");
  assert_non_null(book);
  assert_text_cell(&book->sheets[0], "B1", "金额");
  assert_number_cell(&book->sheets[0], "B2", 12, "12", JX_NUMFMT_GENERAL, -1,
                     false);
  static const char tabs[] = "a\tb,c\n1\t2\n";
  book = jx_book_read(&f->arena, &f->diags, "t.csv", tabs, sizeof tabs - 1);
  assert_non_null(book);
  assert_text_cell(&book->sheets[0], "A1", "a\tb"); /* a comma wins */
  static const char hint[] = "sep=;\r\nx;1,5\r\n";
  book = jx_book_read(&f->arena, &f->diags, "h.csv", hint, sizeof hint - 1);
  assert_non_null(book);
  assert_text_cell(&book->sheets[0], "A1", "x"); /* Excel's "sep=" line */
  assert_text_cell(&book->sheets[0], "B1", "1,5");
  /* a quote never closed: a warning at its cell, the rest read into it */
  book = read_fixture(f, "unclosed.csv");
  assert_non_null(book);
  assert_int_equal(f->diags.errors, 0);
  assert_int_equal(f->diags.count, 1);
  assert_string_equal(f->diags.items[0].cell, "unclosed!B1");
  assert_text_cell(&book->sheets[0], "B1", "open\nnext line\n");
}

static void test_csv_refused(void **state) {
  fixture *f = *state;
  static const char utf16[] = "\xff\xfe"
                              "a\0,\0b\0";
  assert_null(
      jx_book_read(&f->arena, &f->diags, "u.csv", utf16, sizeof utf16 - 1));
  assert_one_error(f, "UTF-16", NULL);
  jx_diag_list_free(&f->diags);
  static const char binary[] = "%PDF-1.7\n\0\1\2";
  assert_null(
      jx_book_read(&f->arena, &f->diags, "b.csv", binary, sizeof binary - 1));
  assert_one_error(f, "binary data", NULL);
  jx_diag_list_free(&f->diags);
  static const char bad_bom[] = "\xef\xbb\xbf\xff\xfe";
  assert_null(
      jx_book_read(&f->arena, &f->diags, "b.csv", bad_bom, sizeof bad_bom - 1));
  assert_one_error(f, "marked as UTF-8", NULL);
}

/* ---- broken and hostile files -------------------------------------------- */

static void test_zip_bomb(void **state) {
  fixture *f = *state;
  assert_null(read_fixture(f, "zip-bomb.xlsx"));
  assert_one_error(f, "100 times its packed size", "Sheet1");
}

static void test_part_too_large(void **state) {
  fixture *f = *state;
  assert_null(read_fixture(f, "part-too-large.xlsx"));
  assert_one_error(f, "larger than the 64 MiB limit once unpacked", "Sheet1");
}

static void test_deep_xml(void **state) {
  fixture *f = *state;
  assert_null(read_fixture(f, "deep.xlsx"));
  assert_one_error(f, "nests more than 64 levels", "Sheet1");
}

static void test_doctype(void **state) {
  fixture *f = *state;
  assert_null(read_fixture(f, "doctype.xlsx"));
  assert_one_error(f, "<!DOCTYPE>", "Sheet1");
}

static void test_broken_central_directory(void **state) {
  fixture *f = *state;
  assert_null(read_fixture(f, "broken-cd.xlsx"));
  assert_one_error(f, "table of contents is missing or broken", NULL);
}

static void test_not_a_workbook(void **state) {
  fixture *f = *state;
  assert_null(read_fixture(f, "plain-zip.xlsx"));
  assert_one_error(f, "it has no xl/workbook.xml", NULL);
  jx_diag_list_free(&f->diags);
  assert_null(read_fixture(f, "word.xlsx"));
  assert_one_error(f, "Word document (.docx)", NULL);
}

static void test_password_protected(void **state) {
  fixture *f = *state;
  assert_null(read_fixture(f, "encrypted.xlsx")); /* an OLE file */
  assert_one_error(f, "protected by a password", NULL);
  jx_diag_list_free(&f->diags);
  assert_null(read_fixture(f, "zip-encrypted.xlsx")); /* zip encryption */
  assert_one_error(f, "protected by a password", NULL);
}

static void test_cell_beyond_xfd(void **state) {
  fixture *f = *state;
  assert_null(read_fixture(f, "beyond.xlsx"));
  assert_one_error(f, "names cell XFE1, beyond the last cell", "Sheet1");
  jx_diag_list_free(&f->diags);
  assert_null(read_built(f,
                         "<worksheet " NS "><sheetData><row r=\"1048577\"/>"
                         "</sheetData></worksheet>",
                         NULL, NULL));
  assert_one_error(f, "beyond the last cell", "S");
  jx_diag_list_free(&f->diags);
  assert_null(read_built(f,
                         "<worksheet " NS "><sheetData><row><c r=\"12\">"
                         "<v>1</v></c></row></sheetData></worksheet>",
                         NULL, NULL));
  assert_one_error(f, "'12' should name a cell", "S");
}

/* Each formula without a saved result is an error at its cell; the rest
 * of the book is read. */
static void test_formula_without_result(void **state) {
  fixture *f = *state;
  jx_book *book = read_fixture(f, "no-result.xlsx");
  assert_non_null(book);
  assert_int_equal(f->diags.errors, 2);
  assert_string_equal(f->diags.items[0].message,
                      "the formula in this cell has no saved result: open "
                      "the workbook in Excel or WPS and save it again");
  assert_string_equal(f->diags.items[0].cell, "Sheet1!B3");
  assert_string_equal(f->diags.items[1].cell, "Sheet1!C3");
  const jx_sheet *s = &book->sheets[0];
  assert_int_equal(s->cell_count, 2);
  assert_null(jx_sheet_cell(s, 2, 1));
}

static void test_missing_shared_string(void **state) {
  fixture *f = *state;
  jx_book *book = read_built(f,
                             "<worksheet " NS
                             "><sheetData><row><c r=\"B2\" t=\"s\"><v>5</v></c>"
                             "</row></sheetData></worksheet>",
                             "<sst " NS "><si><t>only</t></si></sst>", NULL);
  assert_non_null(book);
  assert_one_error(f, "the text of this cell is missing", "S!B2");
}

static void test_file_level(void **state) {
  fixture *f = *state;
  assert_null(
      jx_book_read(&f->arena, &f->diags, FIXTURES "nothing.xlsx", NULL, 0));
  assert_one_error(f, "No such file or directory", NULL);
  jx_diag_list_free(&f->diags);
  assert_null(jx_book_read(&f->arena, &f->diags, FIXTURES, NULL, 0));
  assert_one_error(f, "this is a folder", NULL);
  jx_diag_list_free(&f->diags);
  assert_null(jx_book_read(&f->arena, &f->diags, "e.csv", "", 0));
  assert_one_error(f, "the file is empty", NULL);
  jx_diag_list_free(&f->diags);
  size_t big = JX_LIMIT_BOOK_BYTES + 1;
  char *data = calloc(1, big);
  assert_non_null(data);
  assert_null(jx_book_read(&f->arena, &f->diags, "big.csv", data, big));
  free(data);
  assert_one_error(f, "larger than the 64 MiB limit", NULL);
}

/* ---- limits too large for a fixture -------------------------------------- */

static void test_limit_cells(void **state) {
  fixture *f = *state;
  /* 2,000,001 cells of "1": 2,000 rows of 1,000 and one more */
  char *csv = repeat("", "1,", 2000001, "");
  for (size_t row = 1; row <= 2000; row++)
    csv[row * 2000 - 1] = '\n';
  assert_null(
      jx_book_read(&f->arena, &f->diags, "cells.csv", csv, strlen(csv)));
  free(csv);
  assert_one_error(f, "more than 2000000 cells", "cells");
}

static void test_limit_shared_strings(void **state) {
  fixture *f = *state;
  char *sst = repeat("<sst " NS ">", "<si><t>a</t></si>",
                     JX_LIMIT_BOOK_STRINGS + 1, "</sst>");
  assert_null(read_built(f, "<worksheet " NS "/>", sst, NULL));
  free(sst);
  assert_one_error(f, "more than 1000000 different texts", NULL);
}

static void test_limit_merges_and_styles(void **state) {
  fixture *f = *state;
  char *sheet =
      repeat("<worksheet " NS "><mergeCells>", "<mergeCell ref=\"A1:B1\"/>",
             JX_LIMIT_BOOK_MERGES + 1, "</mergeCells></worksheet>");
  assert_null(read_built(f, sheet, NULL, NULL));
  free(sheet);
  assert_one_error(f, "more than 100000 merged ranges", "S");
  jx_diag_list_free(&f->diags);
  char *styles = repeat("<styleSheet " NS "><cellXfs>", "<xf numFmtId=\"9\"/>",
                        JX_LIMIT_BOOK_STYLES + 1, "</cellXfs></styleSheet>");
  assert_null(read_built(f, "<worksheet " NS "/>", NULL, styles));
  free(styles);
  assert_one_error(f, "more than 200000 cell formats", NULL);
}

static void test_limit_sheets_and_entries(void **state) {
  fixture *f = *state;
  char *workbook = repeat("<workbook " NS " " RNS "><sheets>",
                          "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>",
                          JX_LIMIT_BOOK_SHEETS + 1, "</sheets></workbook>");
  zpart parts[] = {{"xl/workbook.xml", workbook, strlen(workbook), 0}};
  size_t size;
  char *zip = zip_build(parts, 1, &size);
  free(workbook);
  assert_null(jx_book_read(&f->arena, &f->diags, "s.xlsx", zip, size));
  free(zip);
  assert_one_error(f, "more than 1000 sheets", NULL);
  jx_diag_list_free(&f->diags);

  size_t n = JX_LIMIT_BOOK_ENTRIES + 1;
  zpart *many = calloc(n, sizeof *many);
  char(*names)[16] = calloc(n, sizeof *names);
  for (size_t i = 0; i < n; i++) {
    snprintf(names[i], sizeof names[i], "f%zu", i);
    many[i] = (zpart){names[i], "x", 1, 0};
  }
  zip = zip_build(many, n, &size);
  free(many), free(names);
  assert_null(jx_book_read(&f->arena, &f->diags, "e.xlsx", zip, size));
  free(zip);
  assert_one_error(f, "more than 10000 inner files", NULL);
}

/* Five sheets whose directory entries all point at one stored 60 MiB
 * part: each passes on its own, the fifth goes past 256 MiB unpacked. */
static void test_limit_total_unpacked(void **state) {
  fixture *f = *state;
  size_t big = 60u * 1024u * 1024u;
  char *sheet = malloc(big);
  assert_non_null(sheet);
  static const char head[] = "<worksheet " NS "><!--",
                    tail[] = "--></worksheet>";
  memcpy(sheet, head, sizeof head - 1);
  memset(sheet + sizeof head - 1, ' ',
         big - (sizeof head - 1) - (sizeof tail - 1));
  memcpy(sheet + big - (sizeof tail - 1), tail, sizeof tail - 1);
  static const char wb[] =
      "<workbook " NS " " RNS "><sheets>"
      "<sheet name=\"A\" r:id=\"r1\"/><sheet name=\"B\" r:id=\"r2\"/>"
      "<sheet name=\"C\" r:id=\"r3\"/><sheet name=\"D\" r:id=\"r4\"/>"
      "<sheet name=\"E\" r:id=\"r5\"/></sheets></workbook>";
  static const char rels[] = "<Relationships>"
                             "<Relationship Id=\"r1\" Type=\"" REL_TYPE
                             "worksheet\" Target=\"s1.xml\"/>"
                             "<Relationship Id=\"r2\" Type=\"" REL_TYPE
                             "worksheet\" Target=\"s2.xml\"/>"
                             "<Relationship Id=\"r3\" Type=\"" REL_TYPE
                             "worksheet\" Target=\"s3.xml\"/>"
                             "<Relationship Id=\"r4\" Type=\"" REL_TYPE
                             "worksheet\" Target=\"s4.xml\"/>"
                             "<Relationship Id=\"r5\" Type=\"" REL_TYPE
                             "worksheet\" Target=\"s5.xml\"/>"
                             "</Relationships>";
  zpart parts[] = {
      {"xl/workbook.xml", wb, sizeof wb - 1, 0},
      {"xl/_rels/workbook.xml.rels", rels, sizeof rels - 1, 0},
      {"xl/s1.xml", sheet, big, 0},
      {"xl/s2.xml", NULL, 0, 2},
      {"xl/s3.xml", NULL, 0, 2},
      {"xl/s4.xml", NULL, 0, 2},
      {"xl/s5.xml", NULL, 0, 2},
  };
  size_t size;
  char *zip = zip_build(parts, sizeof parts / sizeof parts[0], &size);
  free(sheet);
  assert_null(jx_book_read(&f->arena, &f->diags, "t.xlsx", zip, size));
  free(zip);
  assert_one_error(f, "larger than the 256 MiB limit once unpacked", NULL);
}

int main(void) {
#define T(name)                                                                \
  cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
  const struct CMUnitTest tests[] = {
      T(test_book_path),
      T(test_cell_names_and_places),
      T(test_number_text),
      T(test_serial_dates),
      T(test_xlsx_strings),
      T(test_xlsx_numbers_and_formats),
      T(test_xlsx_formulas),
      T(test_xlsx_merges),
      T(test_merge_index_agrees),
      T(test_xlsx_sheets_in_order),
      T(test_xlsx_date1904),
      T(test_xlsx_openpyxl_and_libreoffice),
      T(test_xls_libreoffice),
      T(test_xls_password),
      T(test_xls_hostile),
      T(test_csv_utf8_bom),
      T(test_csv_gb18030),
      T(test_csv_quoting),
      T(test_csv_separators_and_quotes),
      T(test_csv_refused),
      T(test_zip_bomb),
      T(test_part_too_large),
      T(test_deep_xml),
      T(test_doctype),
      T(test_broken_central_directory),
      T(test_not_a_workbook),
      T(test_password_protected),
      T(test_cell_beyond_xfd),
      T(test_formula_without_result),
      T(test_missing_shared_string),
      T(test_file_level),
      T(test_limit_cells),
      T(test_limit_shared_strings),
      T(test_limit_merges_and_styles),
      T(test_limit_sheets_and_entries),
      T(test_limit_total_unpacked),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
