/*
 * main.c — the jxform command-line tool, a thin layer over libjxform.
 *
 *   jxform render FILE.yaml... [-o OUT.pdf] [--dump=model|layout]
 *   jxform check FILE.yaml... [--strict] [--format=json]
 *   jxform new [--template T]
 *   jxform schema [--template T]
 *   jxform packet INPUTS... -o packet.pdf
 *
 * Each command is in its own file (cli-*.c); this file dispatches.
 *
 * Exit status: 0 ok, 1 input or render error, 2 usage error.
 * Diagnostics go to stderr as file:line:col: severity: message.  Every
 * write is checked: standard output is flushed and closed before exit,
 * and an error there (a full disk, /dev/full) is exit status 1.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage_text[] =
    "usage: jxform render FILE.yaml... [-o OUT.pdf] [--dump=model|layout]\n"
    "       jxform check FILE.yaml... [--strict] [--format=text|json]\n"
    "       jxform new [--template T] [--year YYYY] [-o FILE.yaml]\n"
    "       jxform schema [--template T] [-o FILE.json]\n"
    "       jxform packet INPUTS... -o PACKET.pdf | --split DIR [options]\n"
    "       jxform --help | --version\n"
    "\n"
    "Renders 项目支出绩效目标表 forms from YAML project files.\n"
    "\n"
    "  render            render each FILE.yaml to FILE.pdf beside it, or all\n"
    "                    of them into one PDF with -o\n"
    "  -o, --output PDF  write all forms, in order, into PDF\n"
    "  --dump=model      print the loaded project(s) as text, no PDF\n"
    "  --dump=layout     print the laid-out pages as text, no PDF\n"
    "  check             validate each FILE.yaml (schema and consistency\n"
    "                    rules, docs/schema.md) without rendering; exit 1\n"
    "                    on any error\n"
    "  --format=json     (check) print the diagnostics as JSON on stdout\n"
    "  new               write a commented project skeleton to stdout, or\n"
    "                    to FILE.yaml with -o (never overwrites)\n"
    "  --template T      (new, schema) the form's template, default\n"
    "                    yangquan-2025 (templates/NAME.yaml)\n"
    "  schema            write the JSON Schema of the template's project\n"
    "                    files (for editors), to stdout or -o FILE.json\n"
    "  packet            many projects into one PDF: cover, contents,\n"
    "                    bookmarks department -> project, page numbers and\n"
    "                    labels; INPUTS are YAML files, folders (searched\n"
    "                    recursively) or @LIST (one input per line)\n"
    "  --order=input     (packet) keep the given order; default: department\n"
    "                    code, then project name\n"
    "  --duplex          (packet) start each project on an odd page\n"
    "  --split DIR       (packet) one PDF per project in DIR instead,\n"
    "  --name PATTERN      named by PATTERN (default {dept_code}-{name}.pdf;\n"
    "                    also {dept_name} {year} {index}), made safe\n"
    "  --fail-fast       (packet) stop at the first broken input; otherwise\n"
    "                    broken inputs are reported, left out and listed\n"
    "  --threads N       (packet) layout threads (default: one per CPU)\n"
    "  --title TEXT      (packet) the cover's title\n"
    "  -q, --quiet       (packet) no progress line on a terminal\n"
    "  --strict          (render, check, packet) count consistency warnings\n"
    "                    as errors\n"
    "  --template-dir D  look for templates in D\n"
    "  -h, --help        show this help\n"
    "  --version         show the version\n"
    "\n"
    "Exit status: 0 success, 1 input or render error, 2 usage error.\n";

/* Prints "jxform: what 'arg'" and a hint; returns the usage exit status. */
int cli_usage_error(const char *what, const char *arg) {
  fprintf(stderr, "jxform: %s%s%s\nTry 'jxform --help'.\n", what,
          arg ? " " : "", arg ? arg : "");
  return EXIT_USAGE;
}

void cli_print_diagnostics(jx_session *s, size_t *shown) {
  size_t n = jx_diagnostic_count(s);
  for (; *shown < n; (*shown)++)
    jx_diagnostic_print(jx_diagnostic_at(s, *shown), stderr);
}

jx_session *cli_session_new(const char *template_dir) {
  jx_options opts = {.template_dir = template_dir};
  jx_session *s = jx_session_new(&opts);
  if (!s)
    fputs("jxform: out of memory\n", stderr);
  return s;
}

bool cli_same_file(const char *a, const char *b) {
  struct stat sa, sb;
  if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
    return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Flushes and closes standard output: output lost to a full disk, a
 * closed descriptor or an I/O error is an error (exit status 1 at least,
 * with a message), never a silent success.  A standard output closed
 * from the start is not an error when nothing was written to it. */
static int close_stdout(int status) {
  bool failed = ferror(stdout) != 0;
  int err = 0;
  if (fflush(stdout) != 0) {
    failed = true;
    err = errno;
  }
  errno = 0;
  if (fclose(stdout) != 0 && (failed || errno != EBADF)) {
    failed = true;
    if (!err)
      err = errno;
  }
  if (!failed)
    return status;
  fprintf(stderr, "jxform: cannot write the output to standard output: %s\n",
          err ? strerror(err) : "a write failed; the output is incomplete");
  return status == EXIT_OK ? EXIT_INPUT : status;
}

static int run(int argc, char **argv) {
  if (argc < 2)
    return cli_usage_error("no command given", NULL);
  const char *cmd = argv[1];
  if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
    fputs(usage_text, stdout);
    return EXIT_OK;
  }
  if (!strcmp(cmd, "--version")) {
    printf("jxform %s\n", JXFORM_VERSION);
    return EXIT_OK;
  }
  if (!strcmp(cmd, "render"))
    return cmd_render(argc - 2, argv + 2);
  if (!strcmp(cmd, "check"))
    return cmd_check(argc - 2, argv + 2);
  if (!strcmp(cmd, "new"))
    return cmd_new(argc - 2, argv + 2);
  if (!strcmp(cmd, "schema"))
    return cmd_schema(argc - 2, argv + 2);
  if (!strcmp(cmd, "packet"))
    return cmd_packet(argc - 2, argv + 2);
  return cli_usage_error("unknown command", cmd);
}

int main(int argc, char **argv) { return close_stdout(run(argc, argv)); }
