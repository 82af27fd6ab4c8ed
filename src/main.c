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
    "       jxform help [COMMAND] | COMMAND --help | --version\n"
    "\n"
    "Renders 项目支出绩效目标表 forms from YAML project files.\n"
    "\n"
    "  render            render each FILE.yaml to FILE.pdf beside it, or all\n"
    "                    of them into one PDF with -o; '-' reads standard\n"
    "                    input\n"
    "  -o, --output PDF  write all forms, in order, into PDF ('-': standard\n"
    "                    output)\n"
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
    "  -q, --quiet       (packet) no progress line on a terminal; (render)\n"
    "                    no 'wrote …' line\n"
    "  --strict          (render, check, packet) count consistency warnings\n"
    "                    as errors\n"
    "  --template-dir D  look for templates in D\n"
    "  -h, --help        show this help\n"
    "  --version         show the version\n"
    "\n"
    "Exit status: 0 success, 1 input or render error, 2 usage error.\n";

/* Each command's own help: `jxform help CMD` and `jxform CMD --help`. */
static const struct {
  const char *command, *text;
} command_help[] = {
    {"render",
     "usage: jxform render FILE.yaml... [-o OUT.pdf] [--dump=model|layout]\n"
     "                     [--strict] [-q] [--template-dir D]\n"
     "\n"
     "Renders each project file to FILE.pdf beside it, or all of them, in\n"
     "order, into OUT.pdf with -o.  '-' reads a project from standard input\n"
     "(then -o is needed); '-o -' writes the PDF to standard output.\n"
     "  --dump=model    print the loaded project(s) as text, no PDF\n"
     "  --dump=layout   print the laid-out pages as text, no PDF\n"
     "  --strict        count consistency warnings as errors\n"
     "  -q, --quiet     no 'wrote …' line\n"},
    {"check",
     "usage: jxform check FILE.yaml... [--strict] [--format=text|json]\n"
     "\n"
     "Checks each project file against its template (keys, types, the\n"
     "consistency rules, and that the form can be laid out) without\n"
     "writing anything; exit 1 on any error.  '-' reads standard input.\n"
     "  --strict        count warnings as errors\n"
     "  --format=json   the diagnostics as JSON on standard output\n"},
    {"new",
     "usage: jxform new [--template T] [--year YYYY] [-o FILE.yaml]\n"
     "\n"
     "Writes a commented skeleton of a project file of template T (default\n"
     "yangquan-2025): every field with its label, ready to fill in.  -o\n"
     "never overwrites a file.\n"},
    {"schema",
     "usage: jxform schema [--template T] [-o FILE.json]\n"
     "\n"
     "Writes the JSON Schema of template T's project files, for editors\n"
     "with yaml-language-server (completion and checks while typing).\n"},
    {"packet",
     "usage: jxform packet INPUTS... -o PACKET.pdf | --split DIR [options]\n"
     "\n"
     "Many projects in one PDF with a cover, contents, bookmarks and page\n"
     "numbers; INPUTS are YAML files, folders (searched recursively) or\n"
     "@LIST files (one input a line).  Options: --order=input, --duplex,\n"
     "--split DIR [--name PATTERN], --fail-fast, --threads N, --title TEXT,\n"
     "-q.  See 'jxform --help'.\n"},
};

int cli_help(const char *command) {
  if (!command) {
    fputs(usage_text, stdout);
    return EXIT_OK;
  }
  for (size_t i = 0; i < sizeof command_help / sizeof *command_help; i++)
    if (!strcmp(command, command_help[i].command)) {
      fputs(command_help[i].text, stdout);
      return EXIT_OK;
    }
  return cli_usage_error("help: no such command", command);
}

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

char *cli_read_stdin(size_t *size) {
  size_t cap = 65536, n = 0;
  char *data = malloc(cap);
  while (data) {
    size_t got = fread(data + n, 1, cap - n, stdin);
    n += got;
    if (got == 0)
      break;
    if (n == cap) {
      char *bigger = cap > (64u << 20) ? NULL : realloc(data, cap * 2);
      if (!bigger) {
        free(data);
        return NULL;
      }
      data = bigger;
      cap *= 2;
    }
  }
  if (data && ferror(stdin)) {
    free(data);
    return NULL;
  }
  *size = n;
  return data;
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
  if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help"))
    return cli_help(NULL);
  if (!strcmp(cmd, "help"))
    return cli_help(argc > 2 ? argv[2] : NULL);
  /* CMD --help (before a "--") is the command's own help */
  for (int i = 2; i < argc && strcmp(argv[i], "--"); i++)
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
      return cli_help(cmd);
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
