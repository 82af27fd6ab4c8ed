/*
 * deflate.c — zlib-format compression for /FlateDecode (deflate.h).
 */
#include "deflate.h"
#include "i18n.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>
#ifdef JX_HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif

#ifdef JX_HAVE_LIBDEFLATE
/* libdeflate compressors, one per thread and level, made on first use
 * (making one costs more than compressing a page) and freed when the
 * thread ends. */
typedef struct jx_compressors {
  struct libdeflate_compressor *by_level[13];
} jx_compressors;

static pthread_key_t compressors_key;
static pthread_once_t compressors_once = PTHREAD_ONCE_INIT;

static void compressors_free(void *p) {
  jx_compressors *cs = p;
  for (int i = 0; i < 13; i++)
    if (cs->by_level[i])
      libdeflate_free_compressor(cs->by_level[i]);
  free(cs);
}

static void compressors_key_init(void) {
  pthread_key_create(&compressors_key, compressors_free);
}

static struct libdeflate_compressor *compressor(int level) {
  pthread_once(&compressors_once, compressors_key_init);
  jx_compressors *cs = pthread_getspecific(compressors_key);
  if (!cs) {
    cs = jx_xcalloc(1, sizeof *cs);
    pthread_setspecific(compressors_key, cs);
  }
  if (!cs->by_level[level])
    cs->by_level[level] = libdeflate_alloc_compressor(level);
  if (!cs->by_level[level]) {
    fputs(_("jxform: out of memory (libdeflate)\n"), stderr);
    abort();
  }
  return cs->by_level[level];
}
#endif

/* Compresses `len` bytes at `data` into *out (zlib format, for
 * /FlateDecode) at `level`: with libdeflate when built with it (smaller
 * and faster), else with zlib (levels above 9 act as 9).  The result
 * depends only on the input: output stays reproducible. */
static void deflate_bytes(const void *data, size_t len, int level,
                          jx_bytes *out) {
#ifdef JX_HAVE_LIBDEFLATE
  if (level < 1 || level > 12)
    level = 6;
  struct libdeflate_compressor *c = compressor(level);
  size_t cap = libdeflate_zlib_compress_bound(c, len);
  out->data = jx_xmalloc(cap);
  out->len = libdeflate_zlib_compress(c, data, len, out->data, cap);
  if (out->len == 0) {
    fputs(_("jxform: libdeflate failed\n"), stderr);
    abort();
  }
#else
  z_stream z = {0};
  if (deflateInit(&z, level > 9 ? 9 : level) != Z_OK) {
    fputs(_("jxform: out of memory (zlib)\n"), stderr);
    abort();
  }
  size_t cap = deflateBound(&z, (uLong)len);
  out->data = jx_xmalloc(cap);
  z.next_in = (Bytef *)data;
  z.avail_in = (uInt)len;
  z.next_out = out->data;
  z.avail_out = (uInt)cap;
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
    fputs(_("jxform: zlib failed\n"), stderr);
    abort();
  }
  out->len = z.total_out;
  deflateEnd(&z);
#endif
}

void jx_deflate(const void *data, size_t len, int level, jx_bytes *out) {
  deflate_bytes(data ? data : "", len, level, out);
}
