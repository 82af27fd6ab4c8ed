/*
 * fuzz_book.c — libFuzzer target for the workbook path: the readers
 * (src/book*.c): bytes → jx_book_read (the format told by the first
 * bytes: a zip is read as .xlsx, an OLE file as .xls through a temporary
 * file, anything else as CSV) → the dump, which walks every cell and
 * merge, and a lookup of every cell and of the merge holding it; then the
 * import (src/import.c) of a book that reads: its projects mapped to the
 * default template, each loaded and validated as `render` would.
 *
 * A refused input must say why (an error), every diagnostic must carry a
 * message, and a book's cells must be sorted and found again by
 * jx_sheet_cell.  The .xls reader forks a child to run libfreexl, which
 * crashes or runs out of memory on some inputs: libFuzzer's hooks in the
 * child may then leave a crash- or oom- file although this process is
 * fine; run the target on the file to tell (it exits 0 when it is).
 * Seeds: tests/book/ (the fixtures of test_book.c):
 *   CC=clang cmake -S . -B build-fuzz -DJXFORM_FUZZ=ON && \
 *   cmake --build build-fuzz --target fuzz_book && \
 *   build-fuzz/fuzz/fuzz_book -max_len=1048576 corpus-book tests/book
 */
#include "book.h"
#include "import.h"

#include <pthread.h>
#include <sanitizer/common_interface_defs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The .xls reader runs libfreexl in a forked child, which may crash on
 * purpose-made input: the child must not report that as this process's
 * crash (libFuzzer's death callback would write a crash file). */
static void quiet_child(void) { __sanitizer_set_death_callback(NULL); }

/* Checks that every cell is found where it says it is, in order. */
static void check_sheet(const jx_sheet *sheet) {
  for (size_t i = 0; i < sheet->cell_count; i++) {
    const jx_cell *c = &sheet->cells[i];
    if (jx_sheet_cell(sheet, c->row, c->col) != c || !c->text)
      abort();
    if (c->row >= sheet->rows || c->col >= sheet->cols)
      abort();
    const jx_merge *m = jx_sheet_merge(sheet, c->row, c->col);
    if (m && (c->row < m->row0 || c->row > m->row1 || c->col < m->col0 ||
              c->col > m->col1))
      abort();
  }
}

/* Imports the book held in data[0..size) (read again from a temporary
 * file, as jx_session_import reads its path) and loads its first
 * projects.  Every diagnostic must carry a message. */
static void import_book(const uint8_t *data, size_t size) {
  static jx_session *session;
  if (!session) {
    jx_options opt = {.template_dir = JX_TEMPLATE_DIR};
    session = jx_session_new(&opt);
    if (!session)
      abort();
  }
  char path[] = "/tmp/fuzz-book-XXXXXX"; /* the format is told by the bytes */
  int fd = mkstemp(path);
  if (fd < 0)
    return;
  bool written = write(fd, data, size) == (ssize_t)size;
  close(fd);
  jx_arena arena;
  jx_arena_init(&arena);
  jx_diag_list diags = {0};
  jx_import imp = {0};
  const struct jx_template *tpl = NULL;
  if (written &&
      jx_session_import(session, &arena, &diags, path, NULL, &imp, &tpl)) {
    for (size_t i = 0; i < imp.count && i < 4; i++)
      jx_session_load_import(session, &arena, &diags, &imp, i, path, tpl);
  }
  jx_import_free(&imp);
  for (size_t i = 0; i < diags.count; i++)
    if (!diags.items[i].message || !diags.items[i].message[0])
      abort();
  jx_diag_list_free(&diags);
  jx_arena_free(&arena);
  unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int forked;
  if (!forked++)
    pthread_atfork(NULL, NULL, quiet_child);
  jx_arena arena;
  jx_arena_init(&arena);
  jx_diag_list diags = {0};
  jx_book *book =
      jx_book_read(&arena, &diags, "fuzz.xlsx", (const char *)data, size);
  if (book) {
    FILE *sink = fopen("/dev/null", "w");
    if (sink) {
      jx_book_dump(book, sink);
      fclose(sink);
    }
    for (size_t i = 0; i < book->sheet_count; i++)
      check_sheet(&book->sheets[i]);
    import_book(data, size);
  } else if (diags.errors == 0) {
    abort(); /* refused without saying why */
  }
  for (size_t i = 0; i < diags.count; i++)
    if (!diags.items[i].message || !diags.items[i].message[0])
      abort();
  jx_diag_list_free(&diags);
  jx_arena_free(&arena);
  return 0;
}
