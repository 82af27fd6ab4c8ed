/*
 * book-sheet.c — a workbook's sheets as the readers build them and its
 * callers read them (book.h, book-read.h): sheets, cells and merges added
 * under the book-wide limits, sorted and indexed; cell and merge lookups;
 * numbers as General shows them, serial dates, number format styles
 * (shared by .xlsx and .xls); places ("Sheet!C12").  The readers
 * (book-xlsx.c, book-xls.c, book-csv.c) build on it; book.c picks the
 * reader and dumps the result.
 */
#include "book-read.h"
#include "i18n.h"
#include "jxlimits.h"
#include "xalloc.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building sheets ----------------------------------------------------- */

bool jx_book_sheets(jx_book_reader *r, size_t count) {
  if (count > JX_LIMIT_BOOK_SHEETS) {
    jx_error(r->diags, r->pos,
             "the workbook has more than %d sheets; split it into smaller "
             "workbooks",
             JX_LIMIT_BOOK_SHEETS);
    return false;
  }
  r->book->sheets =
      jx_arena_alloc(r->arena, (count ? count : 1) * sizeof(jx_sheet));
  r->book->sheet_count = count;
  return true;
}

jx_cell *jx_sheet_add_cell(jx_book_reader *r, jx_sheet_fill *fill, uint32_t row,
                           uint32_t col) {
  jx_sheet *sheet = fill->sheet;
  if (r->cells >= JX_LIMIT_BOOK_CELLS) {
    if (!r->cell_limit_hit) {
      jx_error(r->diags, r->pos,
               "the workbook has more than %d cells with something in "
               "them; split it into smaller workbooks",
               JX_LIMIT_BOOK_CELLS);
      jx_book_at_sheet(r, sheet);
      r->cell_limit_hit = true;
    }
    return NULL;
  }
  sheet->cells = jx_arena_grow(r->arena, sheet->cells, sizeof *sheet->cells,
                               &fill->cell_cap, sheet->cell_count + 1);
  jx_cell *cell = &sheet->cells[sheet->cell_count++];
  memset(cell, 0, sizeof *cell);
  cell->row = row;
  cell->col = col;
  cell->text = "";
  cell->decimals = -1;
  r->cells++;
  return cell;
}

bool jx_sheet_add_merge(jx_book_reader *r, jx_sheet_fill *fill,
                        jx_merge merge) {
  jx_sheet *sheet = fill->sheet;
  if (r->merges >= JX_LIMIT_BOOK_MERGES) {
    jx_error(r->diags, r->pos,
             "the workbook has more than %d merged ranges; split it into "
             "smaller workbooks",
             JX_LIMIT_BOOK_MERGES);
    jx_book_at_sheet(r, sheet);
    return false;
  }
  if (merge.row0 > merge.row1) {
    uint32_t t = merge.row0;
    merge.row0 = merge.row1, merge.row1 = t;
  }
  if (merge.col0 > merge.col1) {
    uint32_t t = merge.col0;
    merge.col0 = merge.col1, merge.col1 = t;
  }
  sheet->merges = jx_arena_grow(r->arena, sheet->merges, sizeof *sheet->merges,
                                &fill->merge_cap, sheet->merge_count + 1);
  sheet->merges[sheet->merge_count++] = merge;
  r->merges++;
  return true;
}

/* A cell's place and its position in arrival order, for sorting. */
typedef struct jx_cell_key {
  uint32_t row, col, index;
} jx_cell_key;

static int jx_cell_key_cmp(const void *a, const void *b) {
  const jx_cell_key *x = a, *y = b;
  if (x->row != y->row)
    return x->row < y->row ? -1 : 1;
  if (x->col != y->col)
    return x->col < y->col ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

static bool jx_cells_sorted(const jx_sheet *sheet) {
  for (size_t i = 1; i < sheet->cell_count; i++) {
    const jx_cell *a = &sheet->cells[i - 1], *b = &sheet->cells[i];
    if (a->row > b->row || (a->row == b->row && a->col >= b->col))
      return false;
  }
  return true;
}

/* Puts the cells in row, column order; of cells at the same place the
 * last one read stays.  The new array is in the arena. */
static void jx_sort_cells(jx_arena *arena, jx_sheet *sheet) {
  if (jx_cells_sorted(sheet))
    return;
  size_t n = sheet->cell_count;
  jx_cell_key *keys = jx_xmalloc(n * sizeof *keys);
  for (size_t i = 0; i < n; i++)
    keys[i] =
        (jx_cell_key){sheet->cells[i].row, sheet->cells[i].col, (uint32_t)i};
  qsort(keys, n, sizeof *keys, jx_cell_key_cmp);
  jx_cell *cells = jx_arena_alloc(arena, n * sizeof *cells);
  size_t kept = 0;
  for (size_t i = 0; i < n; i++) {
    if (i + 1 < n && keys[i + 1].row == keys[i].row &&
        keys[i + 1].col == keys[i].col)
      continue;
    cells[kept++] = sheet->cells[keys[i].index];
  }
  free(keys);
  sheet->cells = cells;
  sheet->cell_count = kept;
}

/* ---- the merge index: a segment tree over rows ------------------------------
 * Rows 0 .. 2^20-1 are the leaves of a complete binary tree numbered as a
 * heap (node 1 the root, leaf of row r: 2^20 + r).  Each merge is kept at
 * the O(log) nodes whose row spans tile its rows; as merges do not
 * overlap, the merges kept at one node have disjoint columns.  A lookup
 * walks from the row's leaf to the root and, at each node, takes the
 * merge with the greatest first column not after the column. */

#define JX_MERGE_LEAVES JX_LIMIT_BOOK_ROWS

typedef struct jx_merge_slot {
  uint32_t node, col0, merge;
} jx_merge_slot;

typedef struct jx_merge_tree {
  jx_merge_slot *slots;
  size_t count;
} jx_merge_tree;

static int jx_merge_slot_cmp(const void *a, const void *b) {
  const jx_merge_slot *x = a, *y = b;
  if (x->node != y->node)
    return x->node < y->node ? -1 : 1;
  if (x->col0 != y->col0)
    return x->col0 < y->col0 ? -1 : 1;
  return x->merge < y->merge ? -1 : x->merge > y->merge;
}

/* The index of the sheet's merges (in the arena), or NULL when a merge
 * lies past the last row. */
static const jx_merge_tree *jx_merge_tree_build(jx_arena *arena,
                                                const jx_sheet *sheet) {
  size_t cap = 0;
  jx_merge_tree *tree = jx_arena_alloc(arena, sizeof *tree);
  for (size_t i = 0; i < sheet->merge_count; i++) {
    const jx_merge *m = &sheet->merges[i];
    if (m->row1 >= JX_MERGE_LEAVES)
      return NULL;
    uint32_t lo = m->row0 + JX_MERGE_LEAVES, hi = m->row1 + JX_MERGE_LEAVES + 1;
    while (lo < hi) {
      uint32_t nodes[2], count = 0;
      if (lo & 1)
        nodes[count++] = lo++;
      if (hi & 1)
        nodes[count++] = --hi;
      for (uint32_t k = 0; k < count; k++) {
        tree->slots = jx_arena_grow(arena, tree->slots, sizeof *tree->slots,
                                    &cap, tree->count + 1);
        tree->slots[tree->count++] =
            (jx_merge_slot){nodes[k], m->col0, (uint32_t)i};
      }
      lo >>= 1, hi >>= 1;
    }
  }
  qsort(tree->slots, tree->count, sizeof *tree->slots, jx_merge_slot_cmp);
  return tree;
}

/* The merge kept at `node` that may hold column `col`, or NULL. */
static const jx_merge *jx_merge_at_node(const jx_sheet *sheet,
                                        const jx_merge_tree *tree,
                                        uint32_t node, uint32_t col) {
  /* the first slot after (node, col) */
  size_t lo = 0, hi = tree->count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const jx_merge_slot *s = &tree->slots[mid];
    if (s->node < node || (s->node == node && s->col0 <= col))
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == 0 || tree->slots[lo - 1].node != node)
    return NULL;
  const jx_merge *m = &sheet->merges[tree->slots[lo - 1].merge];
  return col <= m->col1 ? m : NULL;
}

const jx_merge *jx_sheet_merge(const jx_sheet *sheet, uint32_t row,
                               uint32_t col) {
  const jx_merge_tree *tree = sheet->merge_index;
  if (!tree) {
    for (size_t i = 0; i < sheet->merge_count; i++) {
      const jx_merge *m = &sheet->merges[i];
      if (m->row0 <= row && row <= m->row1 && m->col0 <= col && col <= m->col1)
        return m;
    }
    return NULL;
  }
  if (row >= JX_MERGE_LEAVES)
    return NULL;
  for (uint32_t node = row + JX_MERGE_LEAVES; node >= 1; node >>= 1) {
    const jx_merge *m = jx_merge_at_node(sheet, tree, node, col);
    if (m)
      return m;
  }
  return NULL;
}

void jx_book_finish_sheet(jx_book_reader *r, jx_sheet *sheet) {
  jx_sort_cells(r->arena, sheet);
  uint32_t rows = 0, cols = 0;
  for (size_t i = 0; i < sheet->cell_count; i++) {
    const jx_cell *c = &sheet->cells[i];
    if (c->row >= rows)
      rows = c->row + 1;
    if (c->col >= cols)
      cols = c->col + 1;
  }
  for (size_t i = 0; i < sheet->merge_count; i++) {
    const jx_merge *m = &sheet->merges[i];
    if (m->row1 >= rows)
      rows = m->row1 + 1;
    if (m->col1 >= cols)
      cols = m->col1 + 1;
  }
  sheet->rows = rows;
  sheet->cols = cols;
  sheet->merge_index =
      sheet->merge_count ? jx_merge_tree_build(r->arena, sheet) : NULL;
}

const jx_cell *jx_sheet_cell(const jx_sheet *sheet, uint32_t row,
                             uint32_t col) {
  size_t lo = 0, hi = sheet->cell_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const jx_cell *c = &sheet->cells[mid];
    if (c->row == row && c->col == col)
      return c;
    if (c->row < row || (c->row == row && c->col < col))
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

/* ---- numbers and dates --------------------------------------------------- */

const char *jx_book_number_text(jx_arena *arena, double x) {
  if (isnan(x) || isinf(x))
    return "#NUM!";
  if (x == 0)
    return "0";
  char sci[48];
  snprintf(sci, sizeof sci, "%.14e", x); /* -d.dddddddddddddde+XX */
  const char *p = sci;
  bool negative = *p == '-';
  if (negative)
    p++;
  char digits[16];
  size_t n = 0;
  for (; *p && *p != 'e'; p++)
    if (*p >= '0' && *p <= '9' && n < sizeof digits)
      digits[n++] = *p;
  int exponent = *p == 'e' ? atoi(p + 1) : 0;
  while (n > 1 && digits[n - 1] == '0')
    n--;
  if (exponent >= 15)
    return jx_arena_printf(arena, "%.15G", x);
  size_t cap = n + (size_t)(exponent < 0 ? -exponent : exponent) + 4;
  char *out = jx_arena_alloc(arena, cap), *o = out;
  if (negative)
    *o++ = '-';
  if (exponent < 0) {
    *o++ = '0', *o++ = '.';
    for (int k = -1; k > exponent; k--)
      *o++ = '0';
    memcpy(o, digits, n);
    o += n;
  } else {
    for (size_t k = 0; k <= (size_t)exponent; k++)
      *o++ = k < n ? digits[k] : '0';
    if (n > (size_t)exponent + 1) {
      *o++ = '.';
      memcpy(o, digits + exponent + 1, n - (size_t)exponent - 1);
      o += n - (size_t)exponent - 1;
    }
  }
  *o = '\0';
  return out;
}

/* Days from 1970-01-01 to the proleptic Gregorian date y-m-d (Howard
 * Hinnant's algorithm). */
static int64_t jx_days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* The date `z` days after 1970-01-01. */
static void jx_civil_from_days(int64_t z, int *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

bool jx_serial_date(double serial, bool date1904, int *y, int *m, int *d) {
  if (!(serial >= 0 && serial < 3e6)) /* also NaN */
    return false;
  int64_t day = (int64_t)floor(serial), z;
  if (date1904) {
    z = jx_days_from_civil(1904, 1, 1) + day;
  } else {
    if (day < 1)
      return false;
    if (day == 60) { /* Lotus 1-2-3's 1900-02-29, kept by Excel */
      *y = 1900, *m = 2, *d = 29;
      return true;
    }
    z = jx_days_from_civil(1899, 12, 31) + (day < 60 ? day : day - 1);
  }
  jx_civil_from_days(z, y, m, d);
  return *y >= 1900 && *y <= 9999;
}

double jx_book_date_serial(int y, int m, int d, bool date1904) {
  int64_t z = jx_days_from_civil(y, m, d);
  if (date1904)
    return (double)(z - jx_days_from_civil(1904, 1, 1));
  int64_t n = z - jx_days_from_civil(1899, 12, 31);
  return (double)(n >= 60 ? n + 1 : n);
}

/* Reads exactly `width` digits at *p into *value; advances *p. */
static bool jx_read_digits(const char **p, int width, int *value) {
  int v = 0;
  for (int i = 0; i < width; i++) {
    char c = (*p)[i];
    if (c < '0' || c > '9')
      return false;
    v = v * 10 + (c - '0');
  }
  *p += width;
  *value = v;
  return true;
}

/* "HH:MM[:SS[.fff]]" at *p as a fraction of a day; advances *p. */
static bool jx_parse_time(const char **p, double *fraction) {
  int h, mi, s = 0;
  if (!jx_read_digits(p, 2, &h) || *(*p)++ != ':' || !jx_read_digits(p, 2, &mi))
    return false;
  double seconds = 0;
  if (**p == ':') {
    (*p)++;
    if (!jx_read_digits(p, 2, &s))
      return false;
    seconds = s;
    if (**p == '.') {
      double scale = 0.1;
      for ((*p)++; **p >= '0' && **p <= '9'; (*p)++, scale /= 10)
        seconds += (**p - '0') * scale;
    }
  }
  if (h > 23 || mi > 59 || s > 59)
    return false;
  *fraction = (h * 3600.0 + mi * 60.0 + seconds) / 86400.0;
  return true;
}

bool jx_book_parse_datetime(const char *text, bool date1904, double *serial,
                            jx_numfmt *format) {
  static const int month_days[] = {31, 29, 31, 30, 31, 30,
                                   31, 31, 30, 31, 30, 31};
  const char *p = text;
  double fraction = 0;
  if (strlen(text) >= 5 && text[2] == ':') {
    if (!jx_parse_time(&p, &fraction) || *p)
      return false;
    *serial = fraction;
    *format = JX_NUMFMT_TIME;
    return true;
  }
  int y, m, d;
  if (!jx_read_digits(&p, 4, &y) || *p++ != '-' || !jx_read_digits(&p, 2, &m) ||
      *p++ != '-' || !jx_read_digits(&p, 2, &d))
    return false;
  bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
  bool fake_leap = y == 1900 && !date1904; /* Excel's serial day 60 */
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > month_days[m - 1] ||
      (m == 2 && d == 29 && !leap && !fake_leap))
    return false;
  *format = JX_NUMFMT_DATE;
  if (*p == 'T' || *p == ' ') {
    p++;
    if (!jx_parse_time(&p, &fraction))
      return false;
    *format = JX_NUMFMT_DATETIME;
  }
  if (*p == 'Z')
    p++;
  if (*p)
    return false;
  *serial = (fake_leap && m == 2 && d == 29
                 ? 60
                 : jx_book_date_serial(y, m, d, date1904)) +
            fraction;
  return true;
}

/* ---- places -------------------------------------------------------------- */

char *jx_cell_name(uint32_t row, uint32_t col, char *buf) {
  char letters[8];
  size_t n = 0;
  uint64_t c = (uint64_t)col + 1;
  while (c > 0 && n < sizeof letters) {
    c--;
    letters[n++] = (char)('A' + c % 26);
    c /= 26;
  }
  for (size_t i = 0; i < n; i++)
    buf[i] = letters[n - 1 - i];
  snprintf(buf + n, 16 - n, "%" PRIu64, (uint64_t)row + 1);
  return buf;
}

static bool jx_ascii_letter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool jx_ascii_digit(char c) { return c >= '0' && c <= '9'; }

/* True if Excel quotes the sheet name in a reference: empty, starting
 * with a digit, holding ASCII other than letters, digits, '_' and '.',
 * or looking like a cell name (A1, XFD12). */
static bool jx_sheet_name_quoted(const char *name) {
  if (!name[0] || jx_ascii_digit(name[0]))
    return true;
  for (const char *p = name; *p; p++)
    if ((unsigned char)*p < 0x80 && !jx_ascii_letter(*p) &&
        !jx_ascii_digit(*p) && *p != '_' && *p != '.')
      return true;
  const char *p = name;
  while (jx_ascii_letter(*p))
    p++;
  if (p == name || p - name > 3 || !*p)
    return false;
  while (jx_ascii_digit(*p))
    p++;
  return !*p;
}

/* The sheet name as a reference writes it, in the arena. */
const char *jx_sheet_ref(jx_arena *arena, const char *name) {
  if (!jx_sheet_name_quoted(name))
    return name;
  size_t quotes = 0;
  for (const char *p = name; *p; p++)
    quotes += *p == '\'';
  char *out = jx_arena_alloc(arena, strlen(name) + quotes + 3), *o = out;
  *o++ = '\'';
  for (const char *p = name; *p; p++) {
    *o++ = *p;
    if (*p == '\'')
      *o++ = '\'';
  }
  *o++ = '\'';
  *o = '\0';
  return out;
}

const char *jx_cell_place(jx_arena *arena, const jx_sheet *sheet, uint32_t row,
                          uint32_t col) {
  char cell[16];
  jx_cell_name(row, col, cell);
  return jx_arena_printf(arena, "%s!%s",
                         jx_sheet_ref(arena, sheet->name ? sheet->name : ""),
                         cell);
}

char *jx_book_sheet_name(jx_arena *arena, const char *name) {
  size_t n = 0, chars = 0;
  while (name[n] && chars < 31) {
    n++;
    while (((unsigned char)name[n] & 0xC0) == 0x80)
      n++;
    chars++;
  }
  return jx_arena_strndup(arena, name, n);
}

void jx_book_at_cell(jx_book_reader *r, const jx_sheet *sheet, uint32_t row,
                     uint32_t col) {
  jx_diag_set_cell(r->diags, jx_cell_place(r->arena, sheet, row, col));
}

void jx_book_at_sheet(jx_book_reader *r, const jx_sheet *sheet) {
  if (sheet && sheet->name)
    jx_diag_set_cell(r->diags, jx_sheet_ref(r->arena, sheet->name));
}

bool jx_book_cell_diag_ok(jx_book_reader *r) {
  return r->cell_diags++ < JX_LIMIT_DIAGNOSTICS;
}

/* ---- number formats ---------------------------------------------------------
 */

/* Excel's built-in number formats 0-49, and those zh-CN Excel and WPS
 * write by id alone (27-36, 50-58: 年月日 dates, 时分 times); the same
 * ids in .xlsx and .xls. */
jx_numstyle jx_numstyle_builtin(uint32_t id) {
  jx_numstyle general = {JX_NUMFMT_GENERAL, -1, false};
  switch (id) {
  case 1:
    return (jx_numstyle){JX_NUMFMT_GENERAL, 0, false};
  case 2:
  case 11: /* 0.00E+00 */
    return (jx_numstyle){JX_NUMFMT_GENERAL, 2, false};
  case 3:
  case 5:
  case 6:
  case 37:
  case 38:
  case 41:
  case 42:
    return (jx_numstyle){JX_NUMFMT_GENERAL, 0, true};
  case 4:
  case 7:
  case 8:
  case 39:
  case 40:
  case 43:
  case 44:
    return (jx_numstyle){JX_NUMFMT_GENERAL, 2, true};
  case 9:
    return (jx_numstyle){JX_NUMFMT_PERCENT, 0, false};
  case 10:
    return (jx_numstyle){JX_NUMFMT_PERCENT, 2, false};
  case 48: /* ##0.0E+0 */
    return (jx_numstyle){JX_NUMFMT_GENERAL, 1, false};
  case 14:
  case 15:
  case 16:
  case 17:
  case 27:
  case 28:
  case 29:
  case 30:
  case 31:
  case 36:
  case 50:
  case 51:
  case 54:
  case 57:
  case 58:
    return (jx_numstyle){JX_NUMFMT_DATE, -1, false};
  case 22:
    return (jx_numstyle){JX_NUMFMT_DATETIME, -1, false};
  case 18:
  case 19:
  case 20:
  case 21:
  case 32:
  case 33:
  case 34:
  case 35:
  case 45:
  case 46:
  case 47:
  case 52:
  case 53:
  case 55:
  case 56:
    return (jx_numstyle){JX_NUMFMT_TIME, -1, false};
  case 49:
    return (jx_numstyle){JX_NUMFMT_TEXT, -1, false};
  default:
    return general;
  }
}

static bool jx_placeholder(char c) { return c == '0' || c == '#' || c == '?'; }

/* What the letters of a format code say, outside quotes and brackets. */
typedef struct jx_format_scan {
  bool date, time, month, percent, at, digits, thousands;
  int decimals; /* placeholders right after the decimal point */
} jx_format_scan;

/* Skips a [...] part at *p ("[Red]", "[$-804]", "[>100]"); an elapsed
 * time "[h]", "[mm]", "[ss]" is a time. */
static const char *jx_skip_bracket(const char *p, jx_format_scan *scan) {
  const char *q = p + 1;
  bool elapsed = *q != ']';
  for (; *q && *q != ']'; q++)
    if (!strchr("hHmMsS", *q))
      elapsed = false;
  if (elapsed)
    scan->time = true;
  return *q ? q + 1 : q;
}

/* Scans the first section of a format code (up to ';'). */
static jx_format_scan jx_scan_format(const char *code) {
  jx_format_scan scan = {0};
  bool point = false, counting = false;
  for (const char *p = code; *p && *p != ';';) {
    char c = *p, lower = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    if (c == '"') {
      const char *close = strchr(p + 1, '"');
      p = close ? close + 1 : p + strlen(p);
      counting = false;
      continue;
    }
    if (c == '\\' || c == '_' || c == '*') {
      p += p[1] ? 2 : 1;
      counting = false;
      continue;
    }
    if (c == '[') {
      p = jx_skip_bracket(p, &scan);
      continue;
    }
    if (!strncmp(p, "General", 7) || !strncmp(p, "general", 7)) {
      p += 7;
      continue;
    }
    if (lower == 'e' && (p[1] == '+' || p[1] == '-')) {
      p += 2; /* scientific: E+00 */
      counting = false;
      continue;
    }
    if (lower == 'y' || lower == 'd')
      scan.date = true;
    else if (lower == 'h' || lower == 's')
      scan.time = true;
    else if (lower == 'm')
      scan.month = true;
    else if (c == '%')
      scan.percent = true;
    else if (c == '@')
      scan.at = true;
    if (jx_placeholder(c)) {
      scan.digits = true;
      if (counting)
        scan.decimals++;
    } else if (c == '.' && !point && (scan.digits || jx_placeholder(p[1]))) {
      point = counting = true;
      p++;
      continue;
    } else if (c == ',' && p > code && jx_placeholder(p[-1]) &&
               jx_placeholder(p[1])) {
      scan.thousands = true;
    }
    if (!jx_placeholder(c))
      counting = false;
    p++;
  }
  return scan;
}

/* How a custom format code shows numbers (its first section). */
jx_numstyle jx_numstyle_of_code(const char *code) {
  jx_format_scan s = jx_scan_format(code);
  jx_numstyle style = {JX_NUMFMT_GENERAL, -1, s.thousands};
  bool has_date = s.date || (s.month && !s.time);
  if (has_date && s.time)
    style.format = JX_NUMFMT_DATETIME;
  else if (has_date)
    style.format = JX_NUMFMT_DATE;
  else if (s.time)
    style.format = JX_NUMFMT_TIME;
  else if (s.at && !s.digits)
    style.format = JX_NUMFMT_TEXT;
  else if (s.digits || s.percent)
    style = (jx_numstyle){s.percent ? JX_NUMFMT_PERCENT : JX_NUMFMT_GENERAL,
                          s.decimals, s.thousands};
  if (style.format >= JX_NUMFMT_DATE)
    style.thousands = false;
  return style;
}
