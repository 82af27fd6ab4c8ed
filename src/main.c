/*
 * main.c — the jxform command-line tool, a thin layer over libjxform.
 *
 *   jxform render FILE.yaml... [-o OUT.pdf] [--dump=model|layout]
 *   jxform check FILE.yaml... [--strict] [--format=json]
 *   jxform new [--template T]
 *   jxform schema [--template T]
 *   jxform packet INPUTS... -o packet.pdf
 *   jxform import BOOK.xlsx... [-o DIR]
 *
 * Each command is in its own file (cli-render.c, cli-check.c,
 * cli-packet.c, cli-import.c), their shared helpers in cli-common.c and
 * the help texts
 * in cli-help.c; this file chooses the language and dispatches.
 *
 * Exit status: 0 ok, 1 input or render error, 2 usage error.
 * Diagnostics go to stderr as file:line:col: severity: message.  Every
 * write is checked: standard output is flushed and closed before exit,
 * and an error there (a full disk, /dev/full) is exit status 1.
 */
#include "cli.h"
#include "i18n-choose.h"
#include "i18n.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
  fprintf(stderr, _("jxform: cannot write the output to standard output: %s\n"),
          err ? strerror(err) : _("a write failed; the output is incomplete"));
  return status == EXIT_OK ? EXIT_INPUT : status;
}

/* render, check and packet read workbooks too: takes their --template T
 * (the template of the workbooks' projects) out of argv, before a "--",
 * into cli_import_template, and notes their --template-dir for
 * cli_inputs (which counts a workbook's projects).  Returns false after
 * a usage error. */
static bool workbook_options(int *argc, char **argv) {
  int out = 2;
  bool done = false;
  for (int i = 2; i < *argc; i++) {
    const char *a = argv[i];
    if (!done && !strcmp(a, "--"))
      done = true;
    if (!done && !strcmp(a, "--template")) {
      if (i + 1 >= *argc) {
        cli_usage_error(_("missing template name after"), a);
        return false;
      }
      cli_import_template = argv[++i];
      continue;
    }
    if (!done && !strncmp(a, "--template=", 11)) {
      cli_import_template = a + 11;
      continue;
    }
    if (!done && !strcmp(a, "--template-dir") && i + 1 < *argc)
      cli_template_dir = argv[i + 1];
    else if (!done && !strncmp(a, "--template-dir=", 15))
      cli_template_dir = a + 15;
    argv[out++] = argv[i];
  }
  argv[out] = NULL;
  *argc = out;
  return true;
}

static int run(int argc, char **argv) {
  if (argc < 2)
    return cli_usage_error(_("no command given"), NULL);
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
    jx_print_versions(stdout);
    return EXIT_OK;
  }
  if ((!strcmp(cmd, "render") || !strcmp(cmd, "check") ||
       !strcmp(cmd, "packet")) &&
      !workbook_options(&argc, argv))
    return EXIT_USAGE;
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
  if (!strcmp(cmd, "import"))
    return cmd_import(argc - 2, argv + 2);
  return cli_usage_error(_("unknown command"), cmd);
}

/* Takes the global option --lang=zh|en (or "--lang zh") out of argv,
 * wherever it is before a "--", and chooses the language of messages.
 * Returns false, after saying why, for a language it does not know. */
static bool choose_language(int *argc, char **argv) {
  const char *forced = NULL;
  int out = 1;
  bool ok = true, options_done = false;
  for (int i = 1; i < *argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--"))
      options_done = true;
    if (!options_done && !strncmp(a, "--lang=", 7)) {
      forced = a + 7;
      continue;
    }
    if (!options_done && !strcmp(a, "--lang") && i + 1 < *argc) {
      forced = argv[++i];
      continue;
    }
    argv[out++] = argv[i];
  }
  argv[out] = NULL;
  *argc = out;
  if (forced && strcmp(forced, "zh") && strcmp(forced, "en") &&
      strcmp(forced, "zh_CN")) {
    jx_i18n_choose(NULL);
    cli_usage_error(_("--lang takes zh or en, not"), forced);
    ok = false;
  } else {
    jx_i18n_choose(forced);
  }
  return ok;
}

int main(int argc, char **argv) {
  if (!choose_language(&argc, argv))
    return EXIT_USAGE;
  return close_stdout(run(argc, argv));
}
