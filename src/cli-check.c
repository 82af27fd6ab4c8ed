/*
 * cli-check.c — `jxform check` (validate without rendering) and
 * `jxform new` (write a commented skeleton of a project file).
 *
 *   jxform check FILE.yaml|FOLDER... [--strict] [--format=text|json]
 *                [--template-dir D]
 *   jxform new [--template T] [--year YYYY] [-o FILE.yaml]
 *              [--template-dir D]
 *   jxform new --xlsx -o FILE.xlsx [--template T] [--year YYYY]
 *
 * check loads and validates every file (all of a file's problems, then
 * the rules across files), prints each diagnostic as
 * "file:line:col: severity: message [rule]" on stderr, or with
 * --format=json one JSON document on stdout for budget systems, and
 * exits 1 if any error was found.  "-" reads a file from standard input;
 * a folder is searched recursively for project files as `packet` does
 * (cli_inputs, cli-common.c).
 */
#include "cli.h"
#include "i18n.h"
#include "session.h"
#include "utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* Writes `s` as a JSON string.  JSON text must be UTF-8, and file names
 * need not be (a GBK name from a Windows zip): each byte that is not part
 * of well-formed UTF-8 is written as \ufffd (U+FFFD, the replacement
 * character), so the document always parses. */
static void json_string(const char *s, FILE *out) {
  if (!s) {
    fputs("null", out);
    return;
  }
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') {
      fprintf(out, "\\%c", *p);
    } else if (*p == '\n') {
      fputs("\\n", out);
    } else if (*p == '\t') {
      fputs("\\t", out);
    } else if (*p < 0x20 || *p == 0x7F) {
      fprintf(out, "\\u%04x", *p);
    } else if (*p < 0x80) {
      fputc(*p, out);
    } else {
      size_t n = jx_utf8_seq(p, strnlen((const char *)p, 4));
      if (n) {
        fwrite(p, 1, n, out);
        p += n - 1;
      } else {
        fputs("\\ufffd", out);
      }
    }
  }
  fputc('"', out);
}

static const char *severity_name(jx_severity sev) {
  return sev == JX_SEV_ERROR     ? "error"
         : sev == JX_SEV_WARNING ? "warning"
                                 : "note";
}

/* One diagnostic as a JSON object: everything it holds as data; only
 * "message" depends on the language. */
static void json_diagnostic(const jx_diagnostic *d, FILE *out) {
  fputs("{\"file\": ", out);
  json_string(d->file, out);
  fprintf(out, ", \"line\": %u, \"column\": %u, \"severity\": \"%s\", ",
          d->line, d->line ? (d->column ? d->column : 1) : 0,
          severity_name(d->severity));
  if (d->cell) { /* only for workbooks: the sheet and cell */
    fputs("\"cell\": ", out);
    json_string(d->cell, out);
    fputs(", ", out);
  }
  fputs("\"rule\": ", out);
  json_string(d->rule, out);
  fputs(", \"field\": ", out);
  json_string(d->field, out);
  fputs(", \"label\": ", out);
  json_string(d->label, out);
  fputs(", \"args\": [", out);
  for (size_t k = 0; k < d->arg_count; k++) {
    if (k)
      fputs(", ", out);
    json_string(d->args[k], out);
  }
  fputs("], \"detail\": ", out);
  json_string(d->detail, out);
  fputs(", \"message\": ", out);
  json_string(d->message, out);
  fputc('}', out);
}

/* One input of `check`: its name and the diagnostics its load recorded. */
typedef struct check_input {
  const char *name;
  size_t first, end; /* diagnostics [first, end) of the session */
  bool unread;       /* standard input could not be read: one error */
} check_input;

/* Counts errors and warnings of input `in`: those recorded while loading
 * it, and those of the rules across files that name it. */
static void count_input(jx_session *s, const check_input *in, size_t across,
                        size_t *errors, size_t *warnings) {
  *errors = in->unread, *warnings = 0;
  size_t n = jx_diagnostic_count(s);
  for (size_t i = 0; i < n; i++) {
    const jx_diagnostic *d = jx_diagnostic_at(s, i);
    bool mine = (i >= in->first && i < in->end) ||
                (i >= across && d->file && !strcmp(d->file, in->name));
    if (!mine)
      continue;
    if (d->severity == JX_SEV_ERROR)
      (*errors)++;
    else if (d->severity == JX_SEV_WARNING)
      (*warnings)++;
  }
}

static void print_json(jx_session *s, const check_input *inputs, size_t count,
                       size_t across, size_t unread) {
  size_t n = jx_diagnostic_count(s), errors = unread, warnings = 0;
  for (size_t i = 0; i < n; i++) {
    jx_severity sev = jx_diagnostic_at(s, i)->severity;
    errors += sev == JX_SEV_ERROR;
    warnings += sev == JX_SEV_WARNING;
  }
  printf("{\n  \"version\": 1,\n  \"ok\": %s,\n  \"errors\": %zu,\n"
         "  \"warnings\": %zu,\n  \"files\": [",
         errors ? "false" : "true", errors, warnings);
  for (size_t i = 0; i < count; i++) {
    size_t e, w;
    count_input(s, &inputs[i], across, &e, &w);
    printf("%s\n    {\"file\": ", i ? "," : "");
    json_string(inputs[i].name, stdout);
    printf(", \"ok\": %s, \"errors\": %zu, \"warnings\": %zu}",
           e ? "false" : "true", e, w);
  }
  printf("%s],\n  \"diagnostics\": [", count ? "\n  " : "");
  for (size_t i = 0; i < n; i++) {
    printf("%s\n    ", i ? "," : "");
    json_diagnostic(jx_diagnostic_at(s, i), stdout);
  }
  printf("%s]\n}\n", n ? "\n  " : "");
}

int cmd_check(int argc, char **argv) {
  const char *template_dir = NULL;
  bool strict = false, json = false, options_done = false;
  cli_inputs files = {0};
  size_t unreadable = 0; /* folders that could not be searched */
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (options_done || a[0] != '-' || !strcmp(a, "-")) {
      unreadable += !cli_inputs_add(&files, a);
    } else if (!strcmp(a, "--")) {
      options_done = true;
    } else if (!strcmp(a, "--strict")) {
      strict = true;
    } else if (!strcmp(a, "--format=json")) {
      json = true;
    } else if (!strcmp(a, "--format=text")) {
      json = false;
    } else if (!strcmp(a, "--template-dir") && i + 1 < argc) {
      template_dir = argv[++i];
    } else if (!strncmp(a, "--template-dir=", 15)) {
      template_dir = a + 15;
    } else {
      cli_inputs_free(&files);
      return cli_usage_error(
          !strncmp(a, "--format", 8)
              ? _("check: --format takes 'text' or 'json', not")
              : _("check: unknown option"),
          a);
    }
  }
  size_t count = files.count;
  if (count == 0 && !unreadable) {
    cli_inputs_free(&files);
    return cli_usage_error(_("check needs at least one YAML file"), NULL);
  }
  check_input *inputs = calloc(count + 1, sizeof *inputs);
  if (!inputs)
    abort();
  for (size_t i = 0; i < count; i++)
    inputs[i].name = files.items[i];
  jx_session *s = cli_session_new(template_dir);
  if (!s) {
    free(inputs);
    cli_inputs_free(&files);
    return EXIT_INPUT;
  }
  jx_session_set_strict(s, strict);
  size_t shown = 0;
  /* Each project is freed once checked: the rules across files read
   * only its summary (memory stays flat in the number of files). */
  jx_across *across_files = jx_across_new();
  size_t nloaded = 0, unread = unreadable;
  for (size_t i = 0; i < count; i++) {
    check_input *in = &inputs[i];
    jx_project *project = NULL;
    in->first = jx_diagnostic_count(s);
    if (!strcmp(in->name, "-")) {
      size_t size = 0;
      char *data = cli_read_stdin(&size);
      in->name = "<stdin>";
      if (data) {
        project = jx_project_load_buffer(s, in->name, data, size);
      } else {
        in->unread = true;
        unread++;
        fprintf(stderr, _("jxform: cannot read standard input: %s\n"),
                strerror(errno));
      }
      free(data);
    } else {
      project = jx_project_load(s, in->name);
    }
    /* What render would refuse, check refuses too: the form is laid out
     * (a character no font has, a form longer than the page limit). */
    if (project && jx_project_check_layout(s, project)) {
      jx_across_add(across_files, project);
      nloaded++;
    }
    jx_project_free(project);
    in->end = jx_diagnostic_count(s);
    if (!json)
      cli_print_diagnostics(s, &shown);
  }
  size_t across = jx_diagnostic_count(s);
  if (nloaded > 1)
    jx_across_check(s, across_files);
  jx_across_free(across_files);
  bool failed = jx_error_count(s) > 0 || nloaded < count || unread;
  if (json) {
    print_json(s, inputs, count, across, unread);
  } else {
    cli_print_diagnostics(s, &shown);
    size_t errors = unread, warnings = 0;
    for (size_t i = 0; i < jx_diagnostic_count(s); i++) {
      jx_severity sev = jx_diagnostic_at(s, i)->severity;
      errors += sev == JX_SEV_ERROR;
      warnings += sev == JX_SEV_WARNING;
    }
    /* workbooks of several projects came as BOOK#1 … BOOK#N: one file */
    size_t nfiles = 0, base_len;
    for (size_t i = 0; i < count; i++)
      nfiles += cli_project_index(files.items[i], &base_len) <= 1;
    if (nfiles != count)
      fprintf(stderr,
              _("jxform: checked %zu projects in %zu file%s: %zu error%s, "
                "%zu warning%s\n"),
              count, nfiles, nfiles == 1 ? "" : "s", errors,
              errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
    else
      fprintf(stderr,
              _("jxform: checked %zu file%s: %zu error%s, %zu warning%s\n"),
              count, count == 1 ? "" : "s", errors, errors == 1 ? "" : "s",
              warnings, warnings == 1 ? "" : "s");
  }
  free(inputs);
  cli_inputs_free(&files);
  jx_session_free(s);
  return failed ? EXIT_INPUT : EXIT_OK;
}

/* True if `name` ends in .xlsx (any letter case). */
static bool xlsx_name(const char *name) {
  size_t n = name ? strlen(name) : 0;
  return n > 5 && !strcasecmp(name + n - 5, ".xlsx");
}

/* `new --xlsx`: the workbook to fill in (book-write.c), to a file only. */
static int write_workbook(const char *template_name, const char *template_dir,
                          int year, const char *output) {
  if (!output || !strcmp(output, "-"))
    return cli_usage_error(
        _("new: a workbook cannot go to standard output; name its file with "
          "-o FILE.xlsx"),
        NULL);
  if (!xlsx_name(output))
    return cli_usage_error(_("new --xlsx: the file name must end in .xlsx:"),
                           output);
  if (access(output, F_OK) == 0) {
    fprintf(stderr, _("jxform: cannot create %s: %s%s\n"), output,
            strerror(EEXIST),
            _(" (choose another name; new never overwrites a file)"));
    return EXIT_INPUT;
  }
  jx_session *s = cli_session_new(template_dir);
  if (!s)
    return EXIT_INPUT;
  bool ok = jx_write_workbook(s, template_name, year, output);
  size_t shown = 0;
  cli_print_diagnostics(s, &shown);
  jx_session_free(s);
  if (ok)
    fprintf(stderr,
            _("jxform: wrote %s; fill it in with Excel, WPS or LibreOffice, "
              "then run 'jxform import %s'\n"),
            output, output);
  return ok ? EXIT_OK : EXIT_INPUT;
}

/* `new` and `schema` share their options; `schema` writes the JSON
 * Schema instead of the skeleton, `new --xlsx` a workbook. */
static int write_description(int argc, char **argv, bool schema) {
  const char *template_name = NULL, *template_dir = NULL, *output = NULL;
  bool xlsx = false;
  time_t now = time(NULL);
  struct tm *tm = localtime(&now);
  int year = tm ? tm->tm_year + 1900 : 2025;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    bool has_next = i + 1 < argc;
    if ((!strcmp(a, "--template") || !strcmp(a, "-t")) && has_next) {
      template_name = argv[++i];
    } else if (!strncmp(a, "--template=", 11)) {
      template_name = a + 11;
    } else if (!strcmp(a, "--template-dir") && has_next) {
      template_dir = argv[++i];
    } else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && has_next) {
      output = argv[++i];
    } else if (!strcmp(a, "--xlsx") && !schema) {
      xlsx = true;
    } else if (!strcmp(a, "--year") && has_next && !schema) {
      char *end;
      long y = strtol(argv[++i], &end, 10);
      if (*end || y < 1000 || y > 9999)
        return cli_usage_error(
            schema ? _("schema: --year is not an option of schema:")
                   : _("new: --year takes a 4-digit year, not"),
            argv[i]);
      year = (int)y;
    } else {
      return cli_usage_error(schema
                                 ? _("schema: unknown option or missing value")
                                 : _("new: unknown option or missing value"),
                             a);
    }
  }
  if (!schema && (xlsx || xlsx_name(output)))
    return write_workbook(template_name, template_dir, year, output);
  FILE *out = stdout;
  if (output) {
    /* "wx": never overwrite a file someone has started filling in. */
    out = fopen(output, "wx");
    if (!out) {
      int err = errno;
      fprintf(stderr, _("jxform: cannot create %s: %s%s\n"), output,
              strerror(err),
              err == EEXIST ? _(" (choose another name; new never "
                                "overwrites a file)")
                            : "");
      return EXIT_INPUT;
    }
  }
  jx_session *s = cli_session_new(template_dir);
  if (!s) {
    if (output)
      fclose(out), remove(output);
    return EXIT_INPUT;
  }
  bool ok = schema ? jx_write_schema(s, template_name, out)
                   : jx_write_skeleton(s, template_name, year, out);
  size_t shown = 0;
  cli_print_diagnostics(s, &shown);
  jx_session_free(s);
  if (output) {
    bool write_failed = ferror(out) != 0;
    errno = 0;
    if (fclose(out) != 0 || write_failed) {
      fprintf(stderr, _("jxform: cannot write %s: %s\n"), output,
              errno ? strerror(errno) : _("a write failed"));
      ok = false;
    }
    if (!ok)
      remove(output);
  } /* standard output: checked, with a message, by main() on exit */
  if (ok && output && !schema)
    fprintf(stderr,
            _("jxform: wrote %s; fill it in, then run 'jxform check %s'\n"),
            output, output);
  return ok ? EXIT_OK : EXIT_INPUT;
}

int cmd_new(int argc, char **argv) {
  return write_description(argc, argv, false);
}

int cmd_schema(int argc, char **argv) {
  return write_description(argc, argv, true);
}
