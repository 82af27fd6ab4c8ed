/*
 * cli.h — shared pieces of the jxform command-line tool (src/cli-*.c).
 *
 * Each command lives in its own file and is called from main.c with the
 * arguments after the command name.  Commands return the exit status:
 * 0 ok, 1 input or render error, 2 usage error.
 */
#ifndef JX_CLI_H
#define JX_CLI_H

#include "jxform/jxform.h"

#include <stdbool.h>
#include <stddef.h>

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

/* Prints "jxform: what arg" and a hint to stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *what, const char *arg);
/* Grows the heap by `bytes`, all mapped in one system call, and keeps
 * freed memory for reuse (cli-memory.c says why).  Call before the
 * work starts; changes the process's allocator settings. */
void cli_reserve_memory(size_t bytes);
/* Prints the session's diagnostics from index *shown on; advances it. */
void cli_print_diagnostics(jx_session *s, size_t *shown);
/* A session over `template_dir` (NULL: the default), or NULL after
 * printing "jxform: out of memory".  The caller frees it with
 * jx_session_free.  Its workbooks are read with cli_import_template. */
jx_session *cli_session_new(const char *template_dir);
/* Set by main.c before a command runs: the --template T given to render,
 * check or packet (the template of the projects in workbooks; NULL: the
 * one the workbook names, else the default), and the --template-dir
 * given, for cli_inputs to count the projects of a workbook. */
extern const char *cli_import_template, *cli_template_dir;
/* Reads all of standard input (at most 128 MiB) into a malloc'd buffer
 * (*size bytes); NULL on a read error. */
char *cli_read_stdin(size_t *size);
/* Prints the help of `command` (NULL: the whole tool) to stdout; returns
 * EXIT_OK, or EXIT_USAGE for an unknown command. */
int cli_help(const char *command);
/* N when `input` names project N of a workbook as cli_inputs_add
 * expands it ("book.xlsx#2"), with *base_len the length of the workbook's
 * path; 0 (and *base_len the whole length) otherwise. */
size_t cli_project_index(const char *input, size_t *base_len);
/* True if paths a and b name the same existing file. */
bool cli_same_file(const char *a, const char *b);

/* The project files named on a command line (cli-common.c), in order:
 * files as given; folders searched recursively for project files (.yaml,
 * .yml and .json in any letter case, and workbooks: .xlsx, .xlsm, .xls
 * and .csv; names in byte order; a file Notepad saved as NAME.yaml.txt
 * is named in a warning and left out); a workbook holding several
 * projects stands for PATH#1 … PATH#N, one input each; with
 * `lists`, @LIST names a text file of inputs, one a line (blank lines and
 * lines starting with # skipped).  "-" (standard input) is kept as it is.
 * Each file is taken once however often it is reached, each folder
 * searched once, each list read once: the repeats are named in warnings.
 * Zero-initialize, set `lists`, add, then free with cli_inputs_free. */
typedef struct cli_seen {
  struct cli_seen_entry *slots;
  bool *used;
  size_t cap, count;
} cli_seen;
typedef struct cli_inputs {
  char **items; /* the files, in order (owned) */
  size_t count, cap;
  bool lists; /* @LIST names a list of inputs (packet) */
  cli_seen files, folders, seen_lists;
  size_t found;        /* files met, repeats included */
  const char *reading; /* the list being read, or NULL */
  char *root;          /* the folder given (resolved) being searched */
  jx_session *books;   /* counts the projects of workbooks (or NULL) */
} cli_inputs;
/* Adds command-line argument `arg`.  Returns false after saying why when
 * it cannot be read (a folder or list that cannot be opened, a folder
 * with no project file in it); a missing file is added all the same, for
 * the loader to report. */
bool cli_inputs_add(cli_inputs *in, const char *arg);
void cli_inputs_free(cli_inputs *in);

int cmd_render(int argc, char **argv); /* cli-render.c */
int cmd_check(int argc, char **argv);  /* cli-check.c */
int cmd_new(int argc, char **argv);
int cmd_schema(int argc, char **argv); /* cli-check.c */
int cmd_packet(int argc, char **argv); /* cli-packet.c */
int cmd_import(int argc, char **argv); /* cli-import.c */

#endif
