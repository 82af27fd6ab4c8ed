/*
 * md5.h — MD5 (RFC 1321) for the trailer /ID of both PDF writers.
 */
#ifndef JX_MD5_H
#define JX_MD5_H

#include <stddef.h>
#include <stdint.h>

/* MD5 (RFC 1321): the trailer /ID of both writers is the MD5 of every
 * byte before the cross-reference table, so it is derived from the
 * content and the same input gives the same file. */
typedef struct jx_md5 {
  uint32_t h[4];
  uint64_t len;
  unsigned char buf[64];
} jx_md5;

void jx_md5_init(jx_md5 *m);
void jx_md5_update(jx_md5 *m, const void *data, size_t len);
void jx_md5_final(jx_md5 *m, unsigned char out[16]);

#endif
