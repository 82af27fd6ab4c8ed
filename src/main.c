/*
 * main.c — the jxform command-line tool, a thin layer over libjxform.
 *
 *   jxform render FILE.yaml... [-o OUT.pdf] [--dump=model|layout]
 *
 * Exit status: 0 ok, 1 input or render error, 2 usage error.
 * Diagnostics go to stderr as file:line:col: severity: message.
 */
#include "jxform/jxform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "usage: jxform render FILE.yaml... [-o OUT.pdf] [--dump=model|layout]\n"
    "       jxform --help | --version\n"
    "\n"
    "Renders 项目支出绩效目标表 forms from YAML project files.\n"
    "\n"
    "  render            render each FILE.yaml to FILE.pdf beside it, or all\n"
    "                    of them into one PDF with -o\n"
    "  -o, --output PDF  write all forms, in order, into PDF\n"
    "  --dump=model      print the loaded project(s) as text, no PDF\n"
    "  --dump=layout     print the laid-out pages as text, no PDF\n"
    "  --template-dir D  look for templates in D\n"
    "  -h, --help        show this help\n"
    "  --version         show the version\n"
    "\n"
    "Exit status: 0 success, 1 input or render error, 2 usage error.\n";

/* Prints "jxform: what 'arg'" and a hint; returns the usage exit status. */
static int usage_error(const char *what, const char *arg) {
  fprintf(stderr, "jxform: %s%s%s\nTry 'jxform --help'.\n", what,
          arg ? " " : "", arg ? arg : "");
  return EXIT_USAGE;
}

static void print_diagnostics(jx_session *s, size_t *shown) {
  size_t n = jx_diagnostic_count(s);
  for (; *shown < n; (*shown)++)
    jx_diagnostic_print(jx_diagnostic_at(s, *shown), stderr);
}

/* "dir/name.yaml" → "dir/name.pdf" (malloc'd). */
static char *pdf_path_for(const char *input) {
  size_t n = strlen(input);
  const char *dot = strrchr(input, '.');
  const char *slash = strrchr(input, '/');
  if (dot && (!slash || dot > slash))
    n = (size_t)(dot - input);
  char *out = malloc(n + 5);
  if (!out)
    abort();
  memcpy(out, input, n);
  memcpy(out + n, ".pdf", 5);
  return out;
}

/* True if paths a and b name the same existing file. */
static bool same_file(const char *a, const char *b) {
  struct stat sa, sb;
  if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
    return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

typedef enum { DUMP_NONE, DUMP_MODEL, DUMP_LAYOUT } dump_kind;

static int cmd_render(int argc, char **argv) {
  const char *output = NULL, *template_dir = NULL;
  dump_kind dump = DUMP_NONE;
  const char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
  size_t ninputs = 0;
  bool options_done = false;
  if (!inputs)
    abort();
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (options_done || a[0] != '-' || !strcmp(a, "-")) {
      inputs[ninputs++] = a;
    } else if (!strcmp(a, "--")) {
      options_done = true;
    } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
      if (i + 1 >= argc) {
        free(inputs);
        return usage_error("missing file name after", a);
      }
      output = argv[++i];
    } else if (!strncmp(a, "--output=", 9)) {
      output = a + 9;
    } else if (!strcmp(a, "--template-dir")) {
      if (i + 1 >= argc) {
        free(inputs);
        return usage_error("missing folder after", a);
      }
      template_dir = argv[++i];
    } else if (!strcmp(a, "--dump=model")) {
      dump = DUMP_MODEL;
    } else if (!strcmp(a, "--dump=layout")) {
      dump = DUMP_LAYOUT;
    } else {
      free(inputs);
      return usage_error("unknown option", a);
    }
  }
  if (ninputs == 0) {
    free(inputs);
    return usage_error("render needs at least one YAML file", NULL);
  }
  if (output) {
    for (size_t i = 0; i < ninputs; i++)
      if (same_file(inputs[i], output) || !strcmp(inputs[i], output)) {
        fprintf(stderr,
                "jxform: refusing to write the output over the input '%s'\n",
                inputs[i]);
        free(inputs);
        return EXIT_USAGE;
      }
  }
  jx_options opts = {template_dir};
  jx_session *s = jx_session_new(&opts);
  if (!s) {
    fputs("jxform: out of memory\n", stderr);
    free(inputs);
    return EXIT_INPUT;
  }
  size_t shown = 0;
  int status = EXIT_OK;
  jx_project **projects = calloc(ninputs, sizeof *projects);
  if (!projects)
    abort();
  size_t nloaded = 0;
  for (size_t i = 0; i < ninputs; i++) {
    jx_project *p = jx_project_load(s, inputs[i]);
    print_diagnostics(s, &shown);
    if (!p) {
      status = EXIT_INPUT;
      continue;
    }
    if (dump == DUMP_MODEL) {
      jx_project_dump_model(p, stdout);
    } else if (dump == DUMP_LAYOUT) {
      if (!jx_project_dump_layout(s, p, stdout))
        status = EXIT_INPUT;
    } else if (!output) {
      char *pdf = pdf_path_for(inputs[i]);
      if (same_file(inputs[i], pdf) || !jx_render_pdf(s, &p, 1, pdf))
        status = EXIT_INPUT;
      free(pdf);
    }
    print_diagnostics(s, &shown);
    if (output && dump == DUMP_NONE)
      projects[nloaded++] = p;
    else
      jx_project_free(p);
  }
  if (output && dump == DUMP_NONE) {
    if (status == EXIT_OK && !jx_render_pdf(s, projects, nloaded, output))
      status = EXIT_INPUT;
    else if (status != EXIT_OK)
      fprintf(stderr, "jxform: %s not written: fix the errors above\n", output);
    print_diagnostics(s, &shown);
  }
  for (size_t i = 0; i < nloaded; i++)
    jx_project_free(projects[i]);
  free(projects);
  free(inputs);
  jx_session_free(s);
  return status;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return usage_error("no command given", NULL);
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
  return usage_error("unknown command", cmd);
}
