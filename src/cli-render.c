/*
 * cli-render.c — `jxform render FILE.yaml... [-o OUT.pdf] [--dump=...]`.
 * "-" as an input reads a project from standard input; `-o -` writes the
 * PDF to standard output.  On success a line says what was written
 * (stderr), unless --quiet.
 */
#include "cli.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

typedef enum { DUMP_NONE, DUMP_MODEL, DUMP_LAYOUT } dump_kind;

int cmd_render(int argc, char **argv) {
  const char *output = NULL, *template_dir = NULL;
  dump_kind dump = DUMP_NONE;
  bool strict = false, quiet = false;
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
        return cli_usage_error(_("missing file name after"), a);
      }
      output = argv[++i];
    } else if (!strncmp(a, "--output=", 9)) {
      output = a + 9;
    } else if (!strcmp(a, "--template-dir")) {
      if (i + 1 >= argc) {
        free(inputs);
        return cli_usage_error(_("missing folder after"), a);
      }
      template_dir = argv[++i];
    } else if (!strcmp(a, "--strict")) {
      strict = true;
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
      quiet = true;

    } else if (!strcmp(a, "--dump=model")) {
      dump = DUMP_MODEL;
    } else if (!strcmp(a, "--dump=layout")) {
      dump = DUMP_LAYOUT;
    } else {
      free(inputs);
      return cli_usage_error(_("unknown option"), a);
    }
  }
  if (ninputs == 0) {
    free(inputs);
    return cli_usage_error(_("render needs at least one YAML file"), NULL);
  }
  if (output && !*output) {
    free(inputs);
    return cli_usage_error(_("-o needs a file name, not an empty one"), NULL);
  }
  size_t from_stdin = 0;
  for (size_t i = 0; i < ninputs; i++)
    from_stdin += !strcmp(inputs[i], "-");
  if (from_stdin > 1) {
    free(inputs);
    return cli_usage_error(_("standard input ('-') can be read only once"),
                           NULL);
  }
  if (from_stdin && !output && dump == DUMP_NONE) {
    free(inputs);
    return cli_usage_error(_("reading standard input: say where the PDF "
                             "goes with -o FILE.pdf (or -o - for standard "
                             "output)"),
                           NULL);
  }
  bool to_stdout = output && !strcmp(output, "-");
  if (output && !to_stdout) {
    for (size_t i = 0; i < ninputs; i++)
      if (cli_same_file(inputs[i], output) || !strcmp(inputs[i], output)) {
        fprintf(stderr,
                _("jxform: refusing to write the output over the input '%s'\n"),
                inputs[i]);
        free(inputs);
        return EXIT_USAGE;
      }
  }
  jx_session *s = cli_session_new(template_dir);
  if (!s) {
    free(inputs);
    return EXIT_INPUT;
  }
  jx_session_set_strict(s, strict);
  size_t shown = 0;
  int status = EXIT_OK;
  jx_project **projects = calloc(ninputs, sizeof *projects);
  if (!projects)
    abort();
  size_t nloaded = 0;
  for (size_t i = 0; i < ninputs; i++) {
    jx_project *p = NULL;
    if (!strcmp(inputs[i], "-")) {
      size_t size = 0;
      char *data = cli_read_stdin(&size);
      if (data)
        p = jx_project_load_buffer(s, "<stdin>", data, size);
      else
        fputs(_("jxform: cannot read standard input\n"), stderr);
      free(data);
    } else {
      p = jx_project_load(s, inputs[i]);
    }
    cli_print_diagnostics(s, &shown);
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
      const char *clash = NULL; /* an input the PDF would overwrite */
      for (size_t k = 0; k < ninputs && !clash; k++)
        if (cli_same_file(inputs[k], pdf) || !strcmp(inputs[k], pdf))
          clash = inputs[k];
      if (clash) {
        fprintf(stderr,
                _("jxform: refusing to write %s over the input '%s' (rename "
                  "the input or choose the output with -o)\n"),
                pdf, clash);
        status = EXIT_INPUT;
      } else if (!jx_render_pdf(s, &p, 1, pdf)) {
        status = EXIT_INPUT;
      } else if (!quiet) {
        fprintf(stderr, _("jxform: wrote %s\n"), pdf);
      }
      free(pdf);
    }
    cli_print_diagnostics(s, &shown);
    if (output && dump == DUMP_NONE)
      projects[nloaded++] = p;
    else
      jx_project_free(p);
  }
  if (output && dump == DUMP_NONE) {
    bool ok = status == EXIT_OK &&
              (to_stdout ? jx_render_pdf_stream(s, projects, nloaded, stdout)
                         : jx_render_pdf(s, projects, nloaded, output));
    if (status == EXIT_OK && !ok)
      status = EXIT_INPUT;
    else if (ok && !quiet)
      fprintf(stderr, _("jxform: wrote %s (%zu form%s)\n"),
              to_stdout ? _("the PDF to standard output") : output, nloaded,
              nloaded == 1 ? "" : "s");
    else if (status != EXIT_OK)
      fprintf(stderr, _("jxform: %s not written: fix the errors above\n"),
              output);
    cli_print_diagnostics(s, &shown);
  }
  for (size_t i = 0; i < nloaded; i++)
    jx_project_free(projects[i]);
  free(projects);
  free(inputs);
  jx_session_free(s);
  return status;
}
