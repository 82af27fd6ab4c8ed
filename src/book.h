/*
 * book.h — a workbook read into memory: sheets of cells, as Excel, WPS
 * and LibreOffice store them.
 *
 * Three formats are read (book.c picks one by the file's first bytes, not
 * its name):
 *   .xlsx  OOXML, with minizip (the zip) and expat (the XML): shared and
 *          inline strings, numbers with their number format, formulas'
 *          cached values, merged cells (book-xlsx.c);
 *   .xls   BIFF 8, with libfreexl (book-xls.c);
 *   .csv   one sheet, UTF-8 (with or without BOM) or GB18030, detected
 *          and said in `encoding` (book-csv.c).
 * The file is untrusted: sizes, ratios, counts and depths are limited
 * (jxlimits.h) and each breach is a diagnostic, never a crash or a hang.
 *
 * Everything lives in the arena given to jx_book_read: free the arena to
 * free the book.
 */
#ifndef JX_BOOK_H
#define JX_BOOK_H

#include "arena.h"
#include "diag.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum {
  JX_CELL_TEXT,   /* a string (shared, inline, or a formula's text) */
  JX_CELL_NUMBER, /* a number: `number`, shown per `format` */
  JX_CELL_BOOL,   /* TRUE / FALSE: number 1 or 0 */
  JX_CELL_ERROR   /* #N/A, #DIV/0!, … (text holds it) */
} jx_cell_kind;

/* How a number cell is shown, as far as an import cares. */
typedef enum {
  JX_NUMFMT_GENERAL,  /* General, 0, 0.00, #,##0, #,##0.00 … */
  JX_NUMFMT_PERCENT,  /* 0%, 0.00%: 1 is shown as 100% */
  JX_NUMFMT_DATE,     /* a date format: the number is a serial day */
  JX_NUMFMT_DATETIME, /* date and time */
  JX_NUMFMT_TIME,     /* time only */
  JX_NUMFMT_TEXT      /* @: the cell was formatted as text */
} jx_numfmt;

typedef struct jx_cell {
  uint32_t row, col; /* 0-based: A1 is row 0, col 0 */
  jx_cell_kind kind;
  /* TEXT and ERROR: the text (UTF-8, never NULL).  NUMBER and BOOL: the
   * number as General shows it ("34060000", "0.95", "1"), never in
   * exponent form for |x| < 1e15. */
  const char *text;
  double number;    /* NUMBER and BOOL */
  jx_numfmt format; /* NUMBER: how it is shown */
  int decimals;     /* NUMBER: decimals the format shows, -1 when General */
  bool thousands;   /* NUMBER: the format groups thousands (#,##0) */
  bool formula;     /* the value is a formula's cached result */
} jx_cell;

/* A merged range, inclusive; the value is in its top-left cell. */
typedef struct jx_merge {
  uint32_t row0, col0, row1, col1;
} jx_merge;

typedef struct jx_sheet {
  const char *name;
  jx_cell *cells; /* non-empty cells, sorted by row, then column */
  size_t cell_count;
  jx_merge *merges;
  size_t merge_count;
  uint32_t rows, cols; /* one past the last row and column used (cells
                          and merged ranges) */
  /* The readers' index of `merges` for jx_sheet_merge; NULL (a sheet
   * made by hand) makes it look through every merge. */
  const void *merge_index;
} jx_sheet;

typedef struct jx_book {
  const char *path;     /* as given, for diagnostics */
  const char *format;   /* "xlsx", "xls" or "csv" */
  const char *encoding; /* csv: "UTF-8" or "GB18030"; else NULL */
  bool date1904;        /* serial dates count from 1904 (old Mac Excel) */
  jx_sheet *sheets;     /* in workbook order */
  size_t sheet_count;
} jx_book;

/* True if `path` names a workbook by its extension (.xlsx, .xlsm, .xls,
 * .csv, any letter case). */
bool jx_book_path(const char *path);

/* Reads the workbook at `path` (or, when data is not NULL, held in
 * data[0..size), named `path` in diagnostics).  Returns the book, or NULL
 * after recording errors in `diags` (file `path`, with the sheet and
 * cell where there is one: jx_diag_set_cell).  Errors about single cells
 * (a formula with no saved result) leave those cells out and the book is
 * still returned.  Everything is allocated in `arena`. */
jx_book *jx_book_read(jx_arena *arena, jx_diag_list *diags, const char *path,
                      const char *data, size_t size);

/* The cell at (row, col), or NULL when it is empty.  O(log n). */
const jx_cell *jx_sheet_cell(const jx_sheet *sheet, uint32_t row, uint32_t col);
/* The merged range holding (row, col), or NULL. */
const jx_merge *jx_sheet_merge(const jx_sheet *sheet, uint32_t row,
                               uint32_t col);
/* Writes the A1-style name of (row, col) — "C12" — into buf (at least
 * 16 bytes); returns buf. */
char *jx_cell_name(uint32_t row, uint32_t col, char *buf);
/* "Sheet!C12" in `arena` (the sheet name quoted as Excel does when it
 * has spaces or punctuation: 'My sheet'!C12). */
const char *jx_cell_place(jx_arena *arena, const jx_sheet *sheet, uint32_t row,
                          uint32_t col);
/* The calendar date of serial day `serial` (Excel's 1900 system with
 * its 1900-02-29, or the 1904 system): sets y, m, d; false when out of
 * range (before 1900-01-01 or after 9999-12-31). */
bool jx_serial_date(double serial, bool date1904, int *y, int *m, int *d);

/* Prints the book in a stable text form, for tests and debugging:
 *   book xlsx [encoding=UTF-8] [date1904]
 *   sheet "My sheet" rows=3 cols=4 cells=5 merges=1
 *   'My sheet'!A1 text "Name"
 *   'My sheet'!B2 number percent 0.95 decimals=0 [thousands] [formula]
 *   'My sheet'!C2 bool 1 | 'My sheet'!D2 error "#N/A"
 *   merge 'My sheet'!A3:C3
 * Text is quoted with \" \\ \n \r \t escaped; a number's decimals are
 * left out when General (-1). */
void jx_book_dump(const jx_book *book, FILE *out);

#endif
