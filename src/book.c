/*
 * book.c — a workbook read into memory (see book.h).
 *
 * Here: the file read whole under its size limit and its format told by
 * its first bytes; what the three readers share (book-read.h): cells and
 * merges added under the book-wide limits, sheets sorted and their merges
 * indexed, numbers shown as General shows them, serial days, places named
 * "Sheet!C12"; the lookups of book.h and the text dump.
 */
#include "book-read.h"
#include "jxlimits.h"
#include "model.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the file ------------------------------------------------------------ */

bool jx_book_path(const char *path) {
  static const char *const extensions[] = {".xlsx", ".xlsm", ".xls", ".csv"};
  if (!path)
    return false;
  const char *dot = strrchr(path, '.');
  const char *slash = strrchr(path, '/');
  if (!dot || (slash && dot < slash))
    return false;
  for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++)
    if (!strcasecmp(dot, extensions[i]))
      return true;
  return false;
}

/* Records why the file cannot be opened (or, `reading`, read). */
static void jx_book_file_error(jx_book_reader *r, bool reading, int err) {
  if (!reading && err == ENOENT)
    jx_error(r->diags, r->pos,
             "cannot open the file: No such file or directory");
  else if (!reading && err == EACCES)
    jx_error(r->diags, r->pos, "cannot open the file: Permission denied");
  else if (err == EISDIR)
    jx_error(r->diags, r->pos,
             "this is a folder, not a workbook; give the name of the "
             "workbook file (.xlsx, .xls or .csv)");
  else if (reading)
    jx_error(r->diags, r->pos, "cannot read the file: %s", strerror(err));
  else
    jx_error(r->diags, r->pos, "cannot open the file: %s", strerror(err));
}

static void jx_book_too_large(jx_book_reader *r) {
  jx_error(r->diags, r->pos,
           "the workbook is larger than the %s limit; split it into "
           "smaller workbooks",
           JX_LIMIT_BOOK_TEXT);
}

/* Opens `path` for reading without blocking on a FIFO nobody writes to.
 * Returns the descriptor, or -1 with errno set. */
static int jx_book_open(const char *path) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd >= 0 && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
    int err = errno;
    close(fd);
    errno = err;
    return -1;
  }
  return fd;
}

/* Reads fd to its end, or to one byte past JX_LIMIT_BOOK_BYTES, into the
 * arena, starting with room for `cap` bytes; *used set.  NULL on a read
 * error (errno set). */
static char *jx_book_read_fd(jx_arena *arena, int fd, size_t cap,
                             size_t *used) {
  char *data = jx_arena_alloc(arena, cap);
  *used = 0;
  for (;;) {
    if (*used == cap) {
      if (cap > JX_LIMIT_BOOK_BYTES)
        return data;
      size_t grown =
          cap * 2 > JX_LIMIT_BOOK_BYTES + 1 ? JX_LIMIT_BOOK_BYTES + 1 : cap * 2;
      char *bigger = jx_arena_alloc(arena, grown);
      memcpy(bigger, data, *used);
      data = bigger, cap = grown;
    }
    ssize_t n = read(fd, data + *used, cap - *used);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return NULL;
    if (n == 0)
      return data;
    *used += (size_t)n;
  }
}

/* The whole file `path` in the arena (*size set), or NULL after an error:
 * cannot open or read it, a folder, larger than JX_LIMIT_BOOK_BYTES.
 * *regular tells whether it is a regular file (one that can be read
 * again by name; a pipe cannot). */
static char *jx_book_slurp(jx_book_reader *r, const char *path, size_t *size,
                           bool *regular) {
  int fd = jx_book_open(path);
  if (fd < 0) {
    jx_book_file_error(r, false, errno);
    return NULL;
  }
  struct stat st;
  if (fstat(fd, &st) != 0)
    memset(&st, 0, sizeof st);
  *regular = S_ISREG(st.st_mode);
  bool too_large = *regular && st.st_size > (off_t)JX_LIMIT_BOOK_BYTES;
  /* Room for one byte more than a regular file has, to see its end. */
  char *data = NULL;
  int err = S_ISDIR(st.st_mode) ? EISDIR : 0;
  if (!err && !too_large) {
    data = jx_book_read_fd(r->arena, fd,
                           *regular ? (size_t)st.st_size + 1 : 65536, size);
    err = data ? 0 : errno;
  }
  close(fd);
  if (err)
    jx_book_file_error(r, true, err);
  else if (too_large || *size > JX_LIMIT_BOOK_BYTES)
    jx_book_too_large(r);
  return err || too_large || *size > JX_LIMIT_BOOK_BYTES ? NULL : data;
}

/* True if the data starts like a zip archive (an .xlsx). */
static bool jx_looks_zip(const char *data, size_t size) {
  return size >= 4 && data[0] == 'P' && data[1] == 'K' &&
         ((data[2] == 3 && data[3] == 4) || (data[2] == 5 && data[3] == 6) ||
          (data[2] == 7 && data[3] == 8));
}

/* True if the data starts like an OLE compound file (an .xls). */
static bool jx_looks_ole(const char *data, size_t size) {
  static const unsigned char magic[8] = {0xD0, 0xCF, 0x11, 0xE0,
                                         0xA1, 0xB1, 0x1A, 0xE1};
  return size >= 8 && !memcmp(data, magic, 8);
}

jx_book *jx_book_read(jx_arena *arena, jx_diag_list *diags, const char *path,
                      const char *data, size_t size) {
  if (!path)
    path = "";
  jx_book_reader r = {.arena = arena, .diags = diags, .pos = {path, 0, 0}};
  if (!data) {
    bool regular = false;
    data = jx_book_slurp(&r, path, &size, &regular);
    if (!data)
      return NULL;
    r.disk_path = regular ? path : NULL;
  } else if (size > JX_LIMIT_BOOK_BYTES) {
    jx_book_too_large(&r);
    return NULL;
  }
  if (size == 0) {
    jx_error(diags, r.pos, "the file is empty: it holds no workbook");
    return NULL;
  }
  jx_book *book = jx_arena_alloc(arena, sizeof *book);
  book->path = jx_arena_strdup(arena, path);
  r.book = book;
  bool ok;
  if (jx_looks_zip(data, size)) {
    book->format = "xlsx";
    ok = jx_book_read_xlsx(&r, data, size);
  } else if (jx_looks_ole(data, size)) {
    book->format = "xls";
    ok = jx_book_read_xls(&r, data, size);
  } else {
    book->format = "csv";
    ok = jx_book_read_csv(&r, data, size);
  }
  return ok ? book : NULL;
}

/* ---- the dump ------------------------------------------------------------ */

static const char *jx_numfmt_name(jx_numfmt format) {
  switch (format) {
  case JX_NUMFMT_PERCENT:
    return "percent";
  case JX_NUMFMT_DATE:
    return "date";
  case JX_NUMFMT_DATETIME:
    return "datetime";
  case JX_NUMFMT_TIME:
    return "time";
  case JX_NUMFMT_TEXT:
    return "text";
  case JX_NUMFMT_GENERAL:
    break;
  }
  return "general";
}

static void jx_dump_cell(FILE *out, const char *sheet_ref, const jx_cell *c) {
  char name[16];
  fprintf(out, "%s!%s ", sheet_ref, jx_cell_name(c->row, c->col, name));
  switch (c->kind) {
  case JX_CELL_TEXT:
    fputs("text ", out);
    jx_dump_quoted(c->text, out);
    break;
  case JX_CELL_ERROR:
    fputs("error ", out);
    jx_dump_quoted(c->text, out);
    break;
  case JX_CELL_BOOL:
    fprintf(out, "bool %s", c->text);
    break;
  case JX_CELL_NUMBER:
    fprintf(out, "number %s %s", jx_numfmt_name(c->format), c->text);
    if (c->decimals >= 0)
      fprintf(out, " decimals=%d", c->decimals);
    if (c->thousands)
      fputs(" thousands", out);
    break;
  }
  if (c->formula)
    fputs(" formula", out);
  fputc('\n', out);
}

void jx_book_dump(const jx_book *book, FILE *out) {
  jx_arena scratch;
  jx_arena_init(&scratch);
  fprintf(out, "book %s", book->format ? book->format : "?");
  if (book->encoding)
    fprintf(out, " encoding=%s", book->encoding);
  if (book->date1904)
    fputs(" date1904", out);
  fputc('\n', out);
  for (size_t i = 0; i < book->sheet_count; i++) {
    const jx_sheet *sheet = &book->sheets[i];
    const char *ref = jx_sheet_ref(&scratch, sheet->name ? sheet->name : "");
    fputs("sheet ", out);
    jx_dump_quoted(sheet->name ? sheet->name : "", out);
    fprintf(out, " rows=%" PRIu32 " cols=%" PRIu32 " cells=%zu merges=%zu\n",
            sheet->rows, sheet->cols, sheet->cell_count, sheet->merge_count);
    for (size_t k = 0; k < sheet->cell_count; k++)
      jx_dump_cell(out, ref, &sheet->cells[k]);
    for (size_t k = 0; k < sheet->merge_count; k++) {
      const jx_merge *m = &sheet->merges[k];
      char a[16], b[16];
      fprintf(out, "merge %s!%s:%s\n", ref, jx_cell_name(m->row0, m->col0, a),
              jx_cell_name(m->row1, m->col1, b));
    }
  }
  jx_arena_free(&scratch);
}
