/*
 * outfile.h — atomic output: a file is written under a temporary name
 * (or none, O_TMPFILE) beside its target and renamed into place only when
 * complete, so a failed or killed run never leaves half a file.
 */
#ifndef JX_OUTFILE_H
#define JX_OUTFILE_H

#include "diag.h"
#include <stdbool.h>
#include <stdio.h>

/* A file being written: a temporary file beside `path`, renamed over it
 * by jx_out_commit, so `path` is either the whole new file or left as it
 * was.  Strings are malloc'ed and freed by jx_out_free. */
typedef struct jx_out {
  char *path;     /* the target (also the position of diagnostics) */
  char *tmp_path; /* hidden temporary beside it: "<dir>/.<name>.XXXXXX" */
  char *dir;      /* path's folder */
  int fd;         /* the temporary file, -1 when closed */
  bool anonymous; /* the file has no name yet (O_TMPFILE) */
  bool named;     /* tmp_path names the file (remove it on failure) */
  bool keep;      /* jx_out_open_unique: commit leaves it at tmp_path */
} jx_out;

/* Refuses a path naming a folder or a non-regular file, then creates the
 * temporary file (out->fd, mode 0600) in path's folder.  Returns true, or
 * false after recording an error (nothing to free then). */
bool jx_out_open(jx_out *out, const char *path, jx_diag_list *diags);
/* Like jx_out_open, but for a file whose final name is chosen later:
 * creates it with a unique hidden name in folder `dir`; jx_out_commit
 * then syncs, closes and names it (out->tmp_path) without renaming it.
 * Diagnostics are placed at `where`. */
bool jx_out_open_unique(jx_out *out, const char *dir, const char *where,
                        jx_diag_list *diags);
/* Syncs the file, gives it the mode open(…, 0666) would, closes it (with
 * fclose when `f`, the stream over out->fd, is not NULL) and renames it
 * to out->path.  A nonzero `write_errno` (an earlier write error) fails
 * it at once.  Returns true, or false after recording an error, the
 * temporary file removed.  The caller still calls jx_out_free. */
bool jx_out_commit(jx_out *out, FILE *f, int write_errno, jx_diag_list *diags);
/* Closes the file (through `f` if not NULL) and removes it. */
void jx_out_abort(jx_out *out, FILE *f);
/* Frees out's strings. */
void jx_out_free(jx_out *out);

#endif
