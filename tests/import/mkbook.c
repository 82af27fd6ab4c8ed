/*
 * mkbook.c — writes a workbook with libxlsxwriter from a description, for
 * tests/import/make-books.py (the third writer of the import fixtures).
 *
 *   mkbook DESCRIPTION OUT.xlsx
 *
 * DESCRIPTION is UTF-8 text, one record a line, fields separated by tabs
 * (\t, \n and \\ escaped inside values):
 *   sheet NAME
 *   cell ROW COL n|s VALUE     (0-based; n: a number, s: a string)
 *   merge ROW0 COL0 ROW1 COL1  (inclusive; the value is the top-left cell's)
 * Not part of the build: make-books.py compiles it with cc and pkg-config.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

/* Undoes the escapes of one field, in place. */
static void unescape(char *s) {
  char *o = s;
  for (; *s; s++) {
    if (*s == '\\' && s[1]) {
      s++;
      *o++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s;
    } else {
      *o++ = *s;
    }
  }
  *o = '\0';
}

/* Splits `line` at tabs into at most `max` fields; returns their count. */
static int split(char *line, char **field, int max) {
  int n = 0;
  while (n < max) {
    field[n++] = line;
    char *tab = strchr(line, '\t');
    if (!tab)
      break;
    *tab = '\0';
    line = tab + 1;
  }
  return n;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: mkbook DESCRIPTION OUT.xlsx\n");
    return 2;
  }
  FILE *in = fopen(argv[1], "r");
  if (!in) {
    perror(argv[1]);
    return 1;
  }
  lxw_workbook *wb = workbook_new(argv[2]);
  lxw_worksheet *ws = NULL;
  lxw_format *text = workbook_add_format(wb);
  format_set_num_format(text, "@");
  char line[65536];
  while (fgets(line, sizeof line, in)) {
    line[strcspn(line, "\n")] = '\0';
    char *f[6];
    int n = split(line, f, 6);
    for (int i = 0; i < n; i++)
      unescape(f[i]);
    if (!strcmp(f[0], "sheet") && n == 2) {
      ws = workbook_add_worksheet(wb, f[1]);
    } else if (!strcmp(f[0], "cell") && n == 5 && ws) {
      lxw_row_t r = (lxw_row_t)atol(f[1]);
      lxw_col_t c = (lxw_col_t)atol(f[2]);
      if (f[3][0] == 'n')
        worksheet_write_number(ws, r, c, strtod(f[4], NULL), NULL);
      else
        worksheet_write_string(ws, r, c, f[4], text);
    } else if (!strcmp(f[0], "merge") && n == 5 && ws) {
      /* libxlsxwriter writes "" into the range's first cell: the
       * description lists merges before the cells, whose value then
       * replaces it */
      worksheet_merge_range(ws, (lxw_row_t)atol(f[1]), (lxw_col_t)atol(f[2]),
                            (lxw_row_t)atol(f[3]), (lxw_col_t)atol(f[4]), "",
                            NULL);
    } else {
      fprintf(stderr, "mkbook: bad line: %s\n", f[0]);
      return 1;
    }
  }
  fclose(in);
  return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}
