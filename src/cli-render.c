/*
 * cli-render.c — `jxform render FILE.yaml|FOLDER... [-o OUT.pdf]
 * [--dump=...]`.  A folder stands for the project files in it, searched
 * recursively as `packet` does (cli_inputs, cli-common.c): each is
 * rendered to FILE.pdf beside it, or all into OUT.pdf with -o.  "-" as an
 * input reads a project from standard input; `-o -` writes the PDF to
 * standard output.  Every input is loaded first and the rules across
 * files run on them, so render shows the warnings check shows.  On
 * success a line says what was written (stderr), unless --quiet.
 *
 * Memory: one PDF of all the inputs (-o) needs every project at once.
 * Otherwise (a PDF beside each input, --dump) the first pass keeps only
 * what the rules across files read of each project (jx_across, session.h)
 * and frees it; the second loads each file again, quietly (its
 * diagnostics were shown), renders it and frees it.  What cannot be read
 * twice (standard input, a pipe) is held from the first pass.
 */
#include "cli.h"
#include "i18n.h"
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* "dir/name.yaml" → "dir/name.pdf", "dir/book.xlsx#2" (project 2 of a
 * workbook) → "dir/book-2.pdf" (malloc'd). */
static char *pdf_path_for(const char *input) {
  size_t n;
  size_t index = cli_project_index(input, &n);
  const char *dot = NULL, *slash = NULL;
  for (size_t i = 0; i < n; i++)
    if (input[i] == '.')
      dot = input + i;
    else if (input[i] == '/')
      slash = input + i;
  size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - input) : n;
  size_t cap = stem + 32;
  char *out = malloc(cap);
  if (!out)
    abort();
  memcpy(out, input, stem);
  if (index)
    snprintf(out + stem, cap - stem, "-%zu.pdf", index);
  else
    memcpy(out + stem, ".pdf", 5);
  return out;
}

typedef enum { DUMP_NONE, DUMP_MODEL, DUMP_LAYOUT } dump_kind;

/* True if `input` can be read a second time as it was the first: a
 * regular file, not standard input, a pipe (<(…)) or a device. */
static bool rereadable(const char *input) {
  struct stat st;
  return strcmp(input, "-") && stat(input, &st) == 0 && S_ISREG(st.st_mode);
}

/* The name a project's diagnostics carry. */
static const char *diag_name(const char *input) {
  return strcmp(input, "-") ? input : "<stdin>";
}

int cmd_render(int argc, char **argv) {
  const char *output = NULL, *template_dir = NULL;
  dump_kind dump = DUMP_NONE;
  bool strict = false, quiet = false, pdfa = false;
  cli_inputs files = {0};
  size_t unreadable = 0; /* folders that could not be searched */
  bool options_done = false;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (options_done || a[0] != '-' || !strcmp(a, "-")) {
      unreadable += !cli_inputs_add(&files, a);
    } else if (!strcmp(a, "--")) {
      options_done = true;
    } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
      if (i + 1 >= argc) {
        cli_inputs_free(&files);
        return cli_usage_error(_("missing file name after"), a);
      }
      output = argv[++i];
    } else if (!strncmp(a, "--output=", 9)) {
      output = a + 9;
    } else if (!strcmp(a, "--template-dir")) {
      if (i + 1 >= argc) {
        cli_inputs_free(&files);
        return cli_usage_error(_("missing folder after"), a);
      }
      template_dir = argv[++i];
    } else if (!strcmp(a, "--strict")) {
      strict = true;
    } else if (!strcmp(a, "--pdfa")) {
      pdfa = true;
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
      quiet = true;

    } else if (!strcmp(a, "--dump=model")) {
      dump = DUMP_MODEL;
    } else if (!strcmp(a, "--dump=layout")) {
      dump = DUMP_LAYOUT;
    } else {
      cli_inputs_free(&files);
      return cli_usage_error(_("unknown option"), a);
    }
  }
  const char *const *inputs = (const char *const *)files.items;
  size_t ninputs = files.count;
  const char *usage = NULL;
  size_t from_stdin = 0;
  for (size_t i = 0; i < ninputs; i++)
    from_stdin += !strcmp(inputs[i], "-");
  if (ninputs == 0 && !unreadable)
    usage = _("render needs at least one YAML file");
  else if (output && !*output)
    usage = _("-o needs a file name, not an empty one");
  else if (from_stdin > 1)
    usage = _("standard input ('-') can be read only once");
  else if (from_stdin && !output && dump == DUMP_NONE)
    usage = _("reading standard input: say where the PDF goes with -o "
              "FILE.pdf (or -o - for standard output)");
  if (usage) {
    cli_inputs_free(&files);
    return cli_usage_error(usage, NULL);
  }
  bool to_stdout = output && !strcmp(output, "-");
  if (output && !to_stdout) {
    for (size_t i = 0; i < ninputs; i++)
      if (cli_same_file(inputs[i], output) || !strcmp(inputs[i], output)) {
        fprintf(stderr,
                _("jxform: refusing to write the output over the input '%s'\n"),
                inputs[i]);
        cli_inputs_free(&files);
        return EXIT_USAGE;
      }
  }
  /* What one form's render touches: 2.5 MiB of heap and large blocks
   * of up to 1 MiB freed on the way (fonts, compressors); measured by
   * page faults, 1,000 without and 410 with this (samples/02). */
  cli_reserve_memory((size_t)4 << 20);
  jx_session *s = cli_session_new(template_dir);
  if (!s) {
    cli_inputs_free(&files);
    return EXIT_INPUT;
  }
  jx_session_set_strict(s, strict);
  jx_session_set_pdfa(s, pdfa);
  size_t shown = 0;
  int status = unreadable ? EXIT_INPUT : EXIT_OK;
  /* good[i]: input i loaded (and is not refused by the rules across
   * files); projects[i]: its project, while it is held */
  bool *good = calloc(ninputs + 1, sizeof *good);
  jx_project **projects = calloc(ninputs + 1, sizeof *projects);
  jx_project **loaded = calloc(ninputs + 1, sizeof *loaded);
  if (!good || !projects || !loaded)
    abort();
  bool all_at_once = output && dump == DUMP_NONE;
  jx_across *across_files = jx_across_new();
  size_t nloaded = 0;
  for (size_t i = 0; i < ninputs; i++) {
    jx_project *p = NULL;
    if (!strcmp(inputs[i], "-")) {
      size_t size = 0;
      char *data = cli_read_stdin(&size);
      if (data)
        p = jx_project_load_buffer(s, diag_name(inputs[i]), data, size);
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
    good[i] = true;
    nloaded++;
    jx_across_add(across_files, p);
    /* held: a pipe cannot be read twice, nor need one file be */
    if (all_at_once || ninputs == 1 || !rereadable(inputs[i]))
      projects[i] = p;
    else
      jx_project_free(p);
  }
  /* The rules across files, as `check` runs them on the same files: their
   * warnings are shown, and with --strict an input they name as an error
   * is not rendered. */
  size_t across = jx_diagnostic_count(s);
  if (nloaded > 1 && !jx_across_check(s, across_files)) {
    status = EXIT_INPUT;
    for (size_t k = across; k < jx_diagnostic_count(s); k++) {
      const jx_diagnostic *d = jx_diagnostic_at(s, k);
      for (size_t i = 0; i < ninputs && d->severity == JX_SEV_ERROR; i++)
        if (good[i] && d->file && !strcmp(d->file, diag_name(inputs[i]))) {
          good[i] = false;
          jx_project_free(projects[i]);
          projects[i] = NULL;
        }
    }
  }
  jx_across_free(across_files);
  cli_print_diagnostics(s, &shown);
  nloaded = 0;
  /* the PDFs written beside their inputs, and those inputs */
  char **written = calloc(ninputs + 1, sizeof *written);
  const char **written_by = calloc(ninputs + 1, sizeof *written_by);
  size_t nwritten = 0;
  if (!written || !written_by)
    abort();
  for (size_t i = 0; i < ninputs; i++) {
    if (!good[i])
      continue;
    if (!projects[i]) {
      projects[i] = jx_project_reload(s, inputs[i]);
      if (!projects[i]) { /* changed since the first pass */
        status = EXIT_INPUT;
        cli_print_diagnostics(s, &shown);
        continue;
      }
    }
    jx_project *p = projects[i];
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
      const char *again = NULL; /* an input whose PDF this was */
      for (size_t k = 0; k < nwritten && !again; k++)
        if (!strcmp(written[k], pdf))
          again = written_by[k];
      if (clash) {
        fprintf(stderr,
                _("jxform: refusing to write %s over the input '%s' (rename "
                  "the input or choose the output with -o)\n"),
                pdf, clash);
        status = EXIT_INPUT;
      } else if (again) {
        fprintf(stderr,
                _("jxform: refusing to write %s again: it is the PDF of '%s' "
                  "as well as of '%s' (rename one of them, or put both in one "
                  "PDF with -o)\n"),
                pdf, inputs[i], again);
        status = EXIT_INPUT;
      } else if (!jx_render_pdf(s, &p, 1, pdf)) {
        status = EXIT_INPUT;
      } else if (!quiet) {
        fprintf(stderr, _("jxform: wrote %s\n"), pdf);
      }
      if (!clash && !again) {
        written_by[nwritten] = inputs[i];
        written[nwritten++] = pdf;
        pdf = NULL;
      }
      free(pdf);
    }
    cli_print_diagnostics(s, &shown);
    if (all_at_once) {
      loaded[nloaded++] = p;
    } else {
      jx_project_free(p);
      projects[i] = NULL;
    }
  }
  if (all_at_once) {
    bool ok = status == EXIT_OK &&
              (to_stdout ? jx_render_pdf_stream(s, loaded, nloaded, stdout)
                         : jx_render_pdf(s, loaded, nloaded, output));
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
  for (size_t i = 0; i < ninputs; i++)
    jx_project_free(projects[i]);
  for (size_t k = 0; k < nwritten; k++)
    free(written[k]);
  free(written);
  free(written_by);
  free(loaded);
  free(projects);
  free(good);
  cli_inputs_free(&files);
  jx_session_free(s);
  return status;
}
