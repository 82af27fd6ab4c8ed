/*
 * cli-import.c — `jxform import BOOK.xlsx... [--template T] [-o DIR]
 * [--dump=book]`: each project of each workbook (docs/import-layouts.md)
 * written as a project file, "{dept_code}-{name}.yaml", beside the
 * workbook or in DIR.
 *
 * A project is written only when it loads as the YAML it becomes (every
 * problem reported at its cell: `book.xlsx:项目表!C12: error: …`); a
 * file is written to a temporary name and renamed into place, so a
 * reader never sees half of one.  Each value's cell is named in a comment
 * after it.  `--dump=book` prints the cells as read, for finding out why
 * a workbook is read as it is.
 */
#include "book.h"
#include "cli.h"
#include "i18n.h"
#include "import.h"
#include "template.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Prints the diagnostics of `d` from index *shown on; counts them. */
static void print_diags(const jx_diag_list *d, size_t *shown, size_t *errors,
                        size_t *warnings) {
  for (; *shown < d->count; (*shown)++) {
    const jx_diagnostic *x = &d->items[*shown];
    jx_diagnostic_print(x, stderr);
    *errors += x->severity == JX_SEV_ERROR;
    *warnings += x->severity == JX_SEV_WARNING;
  }
}

/* Writes `s` with control characters as '?' (a comment is one line). */
static void put_comment_text(FILE *f, const char *s) {
  for (; *s; s++)
    fputc((unsigned char)*s < 0x20 || *s == 0x7F ? '?' : *s, f);
}

/* Writes project `p` of workbook `book` to `f`: a header, then its YAML
 * with the cell of each value in a comment. */
static void write_yaml(FILE *f, const char *book, const jx_import_project *p) {
  fputs("# ", f);
  fputs(_("Imported by 'jxform import' from"), f);
  fputc(' ', f);
  put_comment_text(f, book);
  fputs(" (", f);
  put_comment_text(f, p->anchor);
  fputs(").\n", f);
  const char *line = p->yaml;
  for (size_t i = 0; i < p->line_count && *line; i++) {
    const char *end = strchr(line, '\n');
    size_t n = end ? (size_t)(end - line) : strlen(line);
    fwrite(line, 1, n, f);
    /* a value's line: the cell it came from */
    const char *colon = memchr(line, ':', n);
    if (colon && (size_t)(colon - line) + 1 < n && p->places[i] != p->anchor) {
      fputs("  # ", f);
      put_comment_text(f, p->places[i]);
    }
    fputc('\n', f);
    line = end ? end + 1 : line + n;
  }
}

/* Writes `path` atomically (a temporary file beside it, renamed into
 * place).  Returns false after saying why. */
static bool write_file(const char *path, const char *book,
                       const jx_import_project *p) {
  size_t n = strlen(path) + 16;
  char *tmp = jx_xmalloc(n);
  const char *slash = strrchr(path, '/');
  size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
  snprintf(tmp, n, "%.*s.jxform-XXXXXX", (int)dir, path);
  int fd = mkstemp(tmp);
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (!f) {
    int err = errno;
    if (fd >= 0)
      close(fd);
    fprintf(stderr, _("jxform: cannot write %s: %s\n"), path, strerror(err));
    if (fd >= 0)
      unlink(tmp);
    free(tmp);
    return false;
  }
  /* mkstemp makes it 0600: a project file is as readable as any other */
  mode_t mask = umask(0);
  umask(mask);
  write_yaml(f, book, p);
  bool ok = fflush(f) == 0 && !ferror(f) &&
            fchmod(fileno(f), 0666 & ~mask) == 0 && fsync(fileno(f)) == 0;
  int err = ok ? 0 : errno;
  if (fclose(f) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (ok && rename(tmp, path) != 0) {
    err = errno;
    ok = false;
  }
  if (!ok) {
    fprintf(stderr, _("jxform: cannot write %s: %s\n"), path,
            err ? strerror(err) : _("a write failed"));
    unlink(tmp);
  }
  free(tmp);
  return ok;
}

/* The folder a workbook's files go to: `out`, else the workbook's own. */
static char *folder_of(const char *book, const char *out) {
  if (out)
    return jx_xstrdup(out);
  const char *slash = strrchr(book, '/');
  if (!slash)
    return jx_xstrdup(".");
  size_t n = slash == book ? 1 : (size_t)(slash - book);
  char *dir = jx_xmalloc(n + 1);
  memcpy(dir, book, n);
  dir[n] = '\0';
  return dir;
}

/* Names written in this run, so that two projects never share one. */
typedef struct names {
  char **items;
  size_t count;
} names;

static bool name_taken(const names *w, const char *path) {
  for (size_t i = 0; i < w->count; i++)
    if (!strcmp(w->items[i], path))
      return true;
  return false;
}

/* "DIR/NAME.yaml", or "DIR/NAME-2.yaml" … when taken in this run
 * (malloc'd; remembered in `w`). */
static char *unique_path(names *w, const char *dir, const char *file) {
  size_t n = strlen(dir) + strlen(file) + 32;
  char *path = jx_xmalloc(n);
  snprintf(path, n, "%s/%s", dir, file);
  size_t stem = strlen(file) - 5; /* ".yaml" */
  for (unsigned k = 2; name_taken(w, path); k++)
    snprintf(path, n, "%s/%.*s-%u.yaml", dir, (int)stem, file, k);
  w->items = jx_xrealloc(w->items, (w->count + 1) * sizeof *w->items);
  w->items[w->count++] = jx_xstrdup(path);
  return path;
}

typedef struct import_run {
  jx_session *session;
  const char *out_dir;
  bool quiet;
  names written;
  size_t files, projects, failed, errors, warnings;
} import_run;

/* Imports workbook input `input` ("PATH" or "PATH#N"). */
static void import_one(import_run *run, const char *input) {
  jx_arena arena;
  jx_arena_init(&arena);
  jx_diag_list diags = {0};
  size_t shown = 0;
  const char *path = NULL;
  size_t index = 0;
  jx_import_split(&arena, input, &path, &index);
  jx_import imp;
  const jx_template *tpl = NULL;
  bool ok =
      jx_session_import(run->session, &arena, &diags, path, NULL, &imp, &tpl);
  print_diags(&diags, &shown, &run->errors, &run->warnings);
  /* an error about the book itself (a cell that could not be read):
   * none of its projects is written, as none of them loads */
  bool book_errors = diags.errors > 0;
  if (ok && index > imp.count) {
    fprintf(stderr,
            _("jxform: %s: there is no project %zu: the workbook holds %zu\n"),
            path, index, imp.count);
    run->errors++;
    ok = false;
  }
  if (!ok) {
    run->failed++;
    jx_import_free(&imp);
    jx_diag_list_free(&diags);
    jx_arena_free(&arena);
    return;
  }
  char *dir = folder_of(path, run->out_dir);
  for (size_t i = index ? index - 1 : 0; i < (index ? index : imp.count); i++) {
    jx_import_project *p = &imp.projects[i];
    run->projects++;
    const char *name =
        imp.count > 1 ? jx_arena_printf(&arena, "%s#%zu", path, i + 1) : path;
    jx_arena scratch;
    jx_arena_init(&scratch);
    size_t before = diags.errors;
    jx_model *m = jx_session_load_import(run->session, &scratch, &diags, &imp,
                                         i, name, tpl);
    print_diags(&diags, &shown, &run->errors, &run->warnings);
    jx_arena_free(&scratch);
    if (!m || diags.errors > before || book_errors) {
      fprintf(stderr,
              _("jxform: %s (%s) is not written: fix the errors above "
                "in the workbook\n"),
              name, p->sheet);
      run->failed++;
      continue;
    }
    char *file =
        unique_path(&run->written, dir, jx_import_file_name(&arena, p, i));
    if (write_file(file, path, p)) {
      run->files++;
      if (!run->quiet)
        fprintf(stderr, _("jxform: wrote %s\n"), file);
    } else {
      run->failed++;
      run->errors++;
    }
    free(file);
  }
  free(dir);
  jx_import_free(&imp);
  jx_diag_list_free(&diags);
  jx_arena_free(&arena);
}

/* --dump=book: the cells of each workbook as read. */
static void dump_one(import_run *run, const char *input) {
  jx_arena arena;
  jx_arena_init(&arena);
  jx_diag_list diags = {0};
  size_t shown = 0;
  const char *path = NULL;
  size_t index = 0;
  jx_import_split(&arena, input, &path, &index);
  jx_book *book = jx_book_read(&arena, &diags, path, NULL, 0);
  print_diags(&diags, &shown, &run->errors, &run->warnings);
  if (book)
    jx_book_dump(book, stdout);
  else
    run->failed++;
  jx_diag_list_free(&diags);
  jx_arena_free(&arena);
}

int cmd_import(int argc, char **argv) {
  const char *out_dir = NULL, *template_dir = NULL;
  bool dump = false, quiet = false, options_done = false;
  const char **inputs = jx_xcalloc((size_t)argc + 1, sizeof *inputs);
  size_t count = 0;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    const char *usage = NULL;
    if (options_done || a[0] != '-') {
      inputs[count++] = a;
    } else if (!strcmp(a, "--")) {
      options_done = true;
    } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
      if (i + 1 < argc)
        out_dir = argv[++i];
      else
        usage = _("missing folder after");
    } else if (!strncmp(a, "--output=", 9)) {
      out_dir = a + 9;
    } else if (!strcmp(a, "--template") || !strcmp(a, "-t")) {
      if (i + 1 < argc)
        cli_import_template = argv[++i];
      else
        usage = _("missing template name after");
    } else if (!strncmp(a, "--template=", 11)) {
      cli_import_template = a + 11;
    } else if (!strcmp(a, "--template-dir")) {
      if (i + 1 < argc)
        template_dir = argv[++i];
      else
        usage = _("missing folder after");
    } else if (!strncmp(a, "--template-dir=", 15)) {
      template_dir = a + 15;
    } else if (!strcmp(a, "--dump=book")) {
      dump = true;
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
      quiet = true;
    } else {
      usage = _("import: unknown option");
    }
    if (usage) {
      free(inputs);
      return cli_usage_error(usage, a);
    }
  }
  const char *usage = NULL;
  if (!count)
    usage = _("import needs at least one workbook (.xlsx, .xls or .csv)");
  else if (out_dir && !*out_dir)
    usage = _("-o needs a folder, not an empty name");
  for (size_t i = 0; i < count && !usage; i++)
    if (!strcmp(inputs[i], "-"))
      usage = _("import reads workbook files, not standard input ('-')");
  if (usage) {
    free(inputs);
    return cli_usage_error(usage, NULL);
  }
  if (out_dir && !dump) {
    struct stat st;
    if (stat(out_dir, &st) != 0 && mkdir(out_dir, 0777) != 0) {
      fprintf(stderr, _("jxform: cannot create folder %s: %s\n"), out_dir,
              strerror(errno));
      free(inputs);
      return EXIT_INPUT;
    }
    if (stat(out_dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
      fprintf(stderr,
              _("jxform: -o %s: not a folder; import writes one file "
                "a project into a folder\n"),
              out_dir);
      free(inputs);
      return EXIT_USAGE;
    }
  }
  import_run run = {.out_dir = out_dir, .quiet = quiet};
  run.session = cli_session_new(template_dir);
  if (!run.session) {
    free(inputs);
    return EXIT_INPUT;
  }
  for (size_t i = 0; i < count; i++) {
    const char *path = NULL;
    size_t index = 0;
    jx_arena arena;
    jx_arena_init(&arena);
    jx_import_split(&arena, inputs[i], &path, &index);
    bool book = jx_import_is_book(path);
    jx_arena_free(&arena);
    if (!book) {
      struct stat st;
      if (stat(inputs[i], &st) != 0)
        fprintf(stderr, "jxform: %s: %s\n", inputs[i], strerror(errno));
      else
        fprintf(stderr,
                _("jxform: %s is not a workbook: import reads .xlsx, .xls "
                  "and .csv files\n"),
                inputs[i]);
      run.failed++;
      run.errors++;
      continue;
    }
    if (dump)
      dump_one(&run, inputs[i]);
    else
      import_one(&run, inputs[i]);
  }
  if (!dump)
    fprintf(stderr,
            _("jxform: imported %zu workbook%s: %zu project file%s written, "
              "%zu error%s, %zu warning%s\n"),
            count, count == 1 ? "" : "s", run.files, run.files == 1 ? "" : "s",
            run.errors, run.errors == 1 ? "" : "s", run.warnings,
            run.warnings == 1 ? "" : "s");
  for (size_t i = 0; i < run.written.count; i++)
    free(run.written.items[i]);
  free(run.written.items);
  jx_session_free(run.session);
  free(inputs);
  return run.failed || run.errors ? EXIT_INPUT : EXIT_OK;
}
