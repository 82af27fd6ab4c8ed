/*
 * book-read.h — what the workbook readers share (book-sheet.c, which
 * builds sheets, and the format readers book-xlsx.c, book-xls.c,
 * book-csv.c, which book.c picks from); not for their callers, which use
 * book.h.
 *
 * A reader fills the jx_book a jx_book_reader holds: it allocates the
 * sheets (jx_book_sheets), adds cells and merges through a jx_sheet_fill
 * (which enforces the book-wide limits of jxlimits.h), and finishes each
 * sheet (jx_book_finish_sheet: sorted cells, extent, merge index).
 */
#ifndef JX_BOOK_READ_H
#define JX_BOOK_READ_H

#include "book.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct jx_book_reader {
  jx_arena *arena;
  jx_diag_list *diags;
  jx_book *book;
  jx_pos pos;            /* the file, for diagnostics: {path, 0, 0} */
  const char *disk_path; /* the regular file the data was read from, or
                            NULL (memory, a pipe) */
  size_t cells;          /* cells of all the sheets so far */
  size_t merges;         /* merges of all the sheets so far */
  size_t cell_diags;     /* diagnostics about single cells so far */
  bool cell_limit_hit;   /* the cell limit's error was recorded */
} jx_book_reader;

/* A sheet being filled: its vectors' capacities. */
typedef struct jx_sheet_fill {
  jx_sheet *sheet;
  size_t cell_cap, merge_cap;
} jx_sheet_fill;

/* The readers, called by jx_book_read with the whole file in
 * data[0..size).  Each returns false after recording why the book cannot
 * be read; true when the book is read (perhaps with errors about single
 * cells, which leave those cells out). */
bool jx_book_read_xlsx(jx_book_reader *r, const char *data, size_t size);
bool jx_book_read_xls(jx_book_reader *r, const char *data, size_t size);
bool jx_book_read_csv(jx_book_reader *r, const char *data, size_t size);

/* How a number format shows numbers (the fields of jx_cell). */
typedef struct jx_numstyle {
  jx_numfmt format;
  int decimals; /* -1: General, or not a plain number (dates, text) */
  bool thousands;
} jx_numstyle;

/* The style of built-in number format `id` (Excel's 0-49, and the dates
 * and times zh-CN Excel writes by id alone: 27-36, 50-58), the same in
 * .xlsx and .xls; General for other ids.  (book-sheet.c) */
jx_numstyle jx_numstyle_builtin(uint32_t id);
/* The style of a format code ("0.00%", "yyyy-mm-dd", "#,##0"): its first
 * section read outside quotes and brackets.  (book-sheet.c) */
jx_numstyle jx_numstyle_of_code(const char *code);

/* Gives the book `count` empty sheets (in the arena).  False, after an
 * error, when count exceeds JX_LIMIT_BOOK_SHEETS. */
bool jx_book_sheets(jx_book_reader *r, size_t count);

/* A new cell at (row, col) of the sheet, zeroed but for its place, with
 * decimals -1; or NULL, after one error for the whole book, when the book
 * already has JX_LIMIT_BOOK_CELLS cells.  Cells may come in any order. */
jx_cell *jx_sheet_add_cell(jx_book_reader *r, jx_sheet_fill *fill, uint32_t row,
                           uint32_t col);
/* Adds a merged range (corners in any order).  False, after an error,
 * past JX_LIMIT_BOOK_MERGES. */
bool jx_sheet_add_merge(jx_book_reader *r, jx_sheet_fill *fill, jx_merge merge);
/* Sorts the sheet's cells by row, then column (of two cells at the same
 * place the later one stays), sets rows and cols, and indexes the merges
 * for jx_sheet_merge. */
void jx_book_finish_sheet(jx_book_reader *r, jx_sheet *sheet);

/* The number as Excel's General format shows it, in the arena: up to 15
 * significant digits, no exponent when |x| < 1e15, "-0" as "0". */
const char *jx_book_number_text(jx_arena *arena, double x);
/* The serial day of a calendar date in the book's date system (1900 with
 * its fake 1900-02-29, or 1904). */
double jx_book_date_serial(int y, int m, int d, bool date1904);
/* Parses "YYYY-MM-DD", "YYYY-MM-DD[T ]HH:MM[:SS[.fff]]" or "HH:MM[:SS]"
 * into a serial day (a time alone is a fraction of a day) and its kind
 * (DATE, DATETIME or TIME).  False when `text` is none of these. */
bool jx_book_parse_datetime(const char *text, bool date1904, double *serial,
                            jx_numfmt *format);

/* Sheet name `name` as a place writes it, in the arena: quoted as Excel
 * does when it has spaces or punctuation ('My sheet'). */
const char *jx_sheet_ref(jx_arena *arena, const char *name);

/* A copy of sheet name `name` in the arena, cut after 31 characters
 * (Excel's limit: a longer name can only come from a crafted file, and it
 * is repeated in every diagnostic's place). */
char *jx_book_sheet_name(jx_arena *arena, const char *name);

/* Sets the place of the diagnostic just added: the sheet and cell, or
 * the sheet alone (its name, quoted as in a reference). */
void jx_book_at_cell(jx_book_reader *r, const jx_sheet *sheet, uint32_t row,
                     uint32_t col);
void jx_book_at_sheet(jx_book_reader *r, const jx_sheet *sheet);
/* True while diagnostics about single cells may still be added (at most
 * JX_LIMIT_DIAGNOSTICS per book); counts one. */
bool jx_book_cell_diag_ok(jx_book_reader *r);

/* True if data[0..size) holds a compound-file (OLE) directory entry for a
 * stream named `name` (ASCII): how an encrypted .xlsx (EncryptionInfo) or
 * a Word .doc (WordDocument) is told apart from an .xls. */
bool jx_ole_has_stream(const char *data, size_t size, const char *name);

#endif
