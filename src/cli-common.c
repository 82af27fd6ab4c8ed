/*
 * cli-common.c — helpers the commands of the jxform tool share (see
 * cli.h): usage errors, printing diagnostics, sessions, standard input.
 */
#include "cli.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Prints "jxform: what 'arg'" and a hint; returns the usage exit status. */
int cli_usage_error(const char *what, const char *arg) {
  fprintf(stderr, "jxform: %s%s%s\n", what, arg ? " " : "", arg ? arg : "");
  fputs(_("Try 'jxform --help'.\n"), stderr);
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
    fputs(_("jxform: out of memory\n"), stderr);
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
