/*
 * book-csv.c — .csv text files: one sheet, named after the file.
 *
 * Encoding: a UTF-8 byte-order mark or text that is valid UTF-8 is UTF-8;
 * anything else is converted from GB18030 (what Chinese Excel and WPS
 * write as "CSV") with iconv.  UTF-16 ("Unicode text") and binary files
 * are refused with a clear error.
 *
 * Fields as RFC 4180 has them: separated by commas (or by tabs or
 * semicolons when the first line has those and no comma, or by what a
 * first line "sep=;" says, as Excel writes it), quoted with ",
 * a doubled "" in quotes being one ", line breaks (CR LF, LF or CR)
 * inside quotes kept (CR LF as LF).  Every non-empty field is a TEXT
 * cell, but for plain numbers ("-12", "0.95", "34060000"; no leading zero
 * but in "0" and "0.x"; at most 15 significant digits) which are NUMBER
 * cells shown as General: "045", an 18-digit id number and "1,234.50"
 * stay text, so no digit is lost.
 */
#include "book-read.h"
#include "jxlimits.h"
#include "utf8.h"
#include "xalloc.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

/* ---- the encoding -------------------------------------------------------- */

/* data[0..*size) converted from GB18030 to UTF-8 in the arena (*size
 * updated), or NULL when it is not GB18030 text. */
static const char *jx_from_gb18030(jx_arena *arena, const char *data,
                                   size_t *size) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == (iconv_t)-1)
    return NULL;
  /* A GB18030 character of 1, 2 or 4 bytes is at most 1, 3 or 4 bytes of
   * UTF-8. */
  size_t cap = *size / 2 * 3 + 8;
  char *out = jx_arena_alloc(arena, cap);
  char *in = (char *)data, *o = out;
  size_t in_left = *size, out_left = cap - 1;
  size_t rc = iconv(cd, &in, &in_left, &o, &out_left);
  if (rc != (size_t)-1)
    rc = iconv(cd, NULL, NULL, &o, &out_left);
  iconv_close(cd);
  if (rc == (size_t)-1 || in_left)
    return NULL;
  *o = '\0';
  *size = (size_t)(o - out);
  return out;
}

/* The file's text as UTF-8 (*size updated; the book's encoding set), or
 * NULL after an error: binary, UTF-16, or neither UTF-8 nor GB18030. */
static const char *jx_csv_text(jx_book_reader *r, const char *data,
                               size_t *size) {
  const unsigned char *u = (const unsigned char *)data;
  size_t n = *size;
  if (n >= 2 &&
      ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
    jx_error(r->diags, r->pos,
             "the text file is saved as UTF-16 (\"Unicode text\"), which "
             "cannot be read; save it again as \"CSV UTF-8\"");
    return NULL;
  }
  if (memchr(data, '\0', n)) {
    jx_error(r->diags, r->pos,
             "this file is neither a workbook (.xlsx, .xls) nor a text "
             "file (.csv): it holds binary data; is it the right file?");
    return NULL;
  }
  bool bom = n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF;
  if (bom || jx_utf8_valid(u, n, NULL)) {
    if (bom && !jx_utf8_valid(u + 3, n - 3, NULL)) {
      jx_error(r->diags, r->pos,
               "the text file is marked as UTF-8 but is not UTF-8 "
               "throughout; save it again as \"CSV UTF-8\"");
      return NULL;
    }
    r->book->encoding = "UTF-8";
    *size = bom ? n - 3 : n;
    return bom ? data + 3 : data;
  }
  const char *text = jx_from_gb18030(r->arena, data, size);
  if (!text) {
    jx_error(r->diags, r->pos,
             "the text file is neither UTF-8 nor GB18030 (Chinese) text; "
             "save it again as \"CSV UTF-8\"");
    return NULL;
  }
  r->book->encoding = "GB18030";
  /* the encoding was guessed: say so, once, with the way not to guess */
  jx_diag_add(r->diags, JX_SEV_NOTE, r->pos,
              "read as GB18030 (Chinese text, as Excel and WPS save \"CSV\" "
              "on Chinese Windows); a file saved as \"CSV UTF-8\" is read "
              "without guessing");
  return text;
}

/* ---- fields -------------------------------------------------------------- */

typedef struct jx_csv {
  jx_book_reader *r;
  jx_sheet_fill fill;
  const char *p, *end;
  char separator;
  uint32_t row, col;
  char *field; /* malloc'd */
  size_t len, cap;
} jx_csv;

static void jx_csv_put(jx_csv *c, char ch) {
  if (c->len + 2 > c->cap) {
    c->cap = c->cap ? c->cap * 2 : 256;
    c->field = jx_xrealloc(c->field, c->cap);
  }
  c->field[c->len++] = ch;
  c->field[c->len] = '\0';
}

/* The separator: the one a first line "sep=;" names (Excel's hint, then
 * skipped), else a comma, or a tab or semicolon when the first line has
 * one of those and no comma. */
static char jx_csv_separator(const char **start, const char *end) {
  const char *p = *start;
  if (end - p >= 5 && !memcmp(p, "sep=", 4) && p[4] != '\n' && p[4] != '\r' &&
      (end - p == 5 || p[5] == '\n' || p[5] == '\r')) {
    char sep = p[4];
    p += 5;
    p += p < end && *p == '\r';
    p += p < end && *p == '\n';
    *start = p;
    return sep;
  }
  const char *eol = p;
  while (eol < end && *eol != '\n' && *eol != '\r')
    eol++;
  size_t n = (size_t)(eol - p);
  if (memchr(p, ',', n))
    return ',';
  if (memchr(p, '\t', n))
    return '\t';
  if (memchr(p, ';', n))
    return ';';
  return ',';
}

/* True if s is a plain number that keeps every digit as a double: sign,
 * no leading zero (but "0" and "0.x"), decimals, at most 15 significant
 * digits. */
static bool jx_csv_plain_number(const char *s) {
  const char *p = s + (*s == '-' || *s == '+');
  if (!(*p >= '0' && *p <= '9') || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
    return false;
  int significant = 0;
  bool leading = true, point = false;
  for (; *p; p++) {
    if (*p == '.' && !point && p[1] >= '0' && p[1] <= '9') {
      point = true;
      continue;
    }
    if (*p < '0' || *p > '9')
      return false;
    if (*p != '0')
      leading = false;
    if (!leading)
      significant++;
  }
  return significant <= 15;
}

/* Adds the field just read as a cell (none when empty); false after an
 * error. */
static bool jx_csv_emit(jx_csv *c) {
  if (!c->len)
    return true;
  jx_book_reader *r = c->r;
  if (c->row >= JX_LIMIT_BOOK_ROWS || c->col >= JX_LIMIT_BOOK_COLS) {
    if (c->row >= JX_LIMIT_BOOK_ROWS)
      jx_error(r->diags, r->pos,
               "the text file has more than %u rows, more than a sheet can "
               "hold; split it into smaller files",
               JX_LIMIT_BOOK_ROWS);
    else
      jx_error(r->diags, r->pos,
               "a row of the text file has more than %u columns, more than "
               "a sheet can hold",
               JX_LIMIT_BOOK_COLS);
    jx_book_at_sheet(r, c->fill.sheet);
    return false;
  }
  jx_cell *cell = jx_sheet_add_cell(r, &c->fill, c->row, c->col);
  if (!cell)
    return false;
  if (jx_csv_plain_number(c->field)) {
    cell->kind = JX_CELL_NUMBER;
    cell->number = strtod(c->field, NULL);
    if (cell->number == 0)
      cell->number = 0; /* no -0 */
    cell->text = jx_book_number_text(r->arena, cell->number);
  } else {
    cell->kind = JX_CELL_TEXT;
    cell->text = jx_arena_strndup(r->arena, c->field, c->len);
  }
  return true;
}

/* Reads a quoted field from just after its opening quote, then whatever
 * follows the closing quote up to the separator.  Warns when the quote
 * is never closed. */
static void jx_csv_quoted(jx_csv *c) {
  for (;;) {
    if (c->p == c->end) {
      jx_warning(c->r->diags, c->r->pos,
                 "a quote (\") opened in this cell is never closed: the "
                 "rest of the file was read into this cell; check the "
                 "quotes in the file");
      jx_book_at_cell(c->r, c->fill.sheet, c->row, c->col);
      return;
    }
    char ch = *c->p++;
    if (ch == '"') {
      if (c->p < c->end && *c->p == '"') {
        jx_csv_put(c, '"');
        c->p++;
        continue;
      }
      break;
    }
    if (ch == '\r' && c->p < c->end && *c->p == '\n')
      continue; /* CR LF in a cell: LF */
    jx_csv_put(c, ch);
  }
  while (c->p < c->end && *c->p != c->separator && *c->p != '\n' &&
         *c->p != '\r')
    jx_csv_put(c, *c->p++);
}

/* Reads every field; false after an error. */
static bool jx_csv_fields(jx_csv *c) {
  while (c->p < c->end) {
    c->len = 0;
    if (*c->p == '"') {
      c->p++;
      jx_csv_quoted(c);
    } else {
      while (c->p < c->end && *c->p != c->separator && *c->p != '\n' &&
             *c->p != '\r')
        jx_csv_put(c, *c->p++);
    }
    if (!jx_csv_emit(c))
      return false;
    if (c->p < c->end && *c->p == c->separator) {
      c->p++;
      c->col++;
      continue;
    }
    if (c->p < c->end && *c->p == '\r')
      c->p++;
    if (c->p < c->end && *c->p == '\n')
      c->p++;
    c->row++;
    c->col = 0;
  }
  return true;
}

/* The sheet's name: the file's name without folder and extension. */
static const char *jx_csv_sheet_name(jx_arena *arena, const char *path) {
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  const char *dot = strrchr(base, '.');
  size_t n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
  return n ? jx_arena_strndup(arena, base, n) : "Sheet1";
}

bool jx_book_read_csv(jx_book_reader *r, const char *data, size_t size) {
  const char *text = jx_csv_text(r, data, &size);
  if (!text || !jx_book_sheets(r, 1))
    return false;
  jx_sheet *sheet = &r->book->sheets[0];
  sheet->name = jx_csv_sheet_name(r->arena, r->book->path);
  jx_csv c = {.r = r, .fill = {.sheet = sheet}, .p = text, .end = text + size};
  c.separator = jx_csv_separator(&c.p, c.end);
  bool ok = jx_csv_fields(&c);
  free(c.field);
  jx_book_finish_sheet(r, sheet);
  return ok;
}
