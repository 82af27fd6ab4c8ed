/*
 * filename.h — file names made from what users typed (project names,
 * department codes): shared by `packet --split` (splitname.c, which
 * defines it) and `import` (import.c).
 */
#ifndef JX_FILENAME_H
#define JX_FILENAME_H

#include <stddef.h>

/* Appends `s` to out[0..*len) (capacity `cap`, kept NUL-terminated) made
 * safe as part of a file name on any common file system: no / \ : * ? "
 * < > | or control characters (each becomes _), no leading dots or
 * spaces; cut at `cap`. */
void jx_filename_append(char *out, size_t *len, size_t cap, const char *s);

#endif
