/*
 * deflate.h — the one compressor of both PDF writers: zlib-format
 * streams for /FlateDecode, through libdeflate (one compressor per thread
 * and level) or zlib.
 */
#ifndef JX_DEFLATE_H
#define JX_DEFLATE_H

#include <stddef.h>

/* Bytes in malloc'd memory (free `data`). */
typedef struct jx_bytes {
  unsigned char *data;
  size_t len;
} jx_bytes;

/* Compresses `len` bytes at `data` into out->data (malloc'd) in zlib
 * format for /FlateDecode, at `level` (1..12; libdeflate when built with
 * it, else zlib capped at 9).  Deterministic; aborts on out of memory. */
void jx_deflate(const void *data, size_t len, int level, jx_bytes *out);

#endif
