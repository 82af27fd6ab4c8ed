/*
 * pdfbuf.h — a growable byte buffer for building PDF text (objects,
 * content streams, CMaps, XMP): append bytes, strings, printf output and
 * exact decimals.  Small functions, inline.
 */
#ifndef JX_PDFBUF_H
#define JX_PDFBUF_H

#include "xalloc.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* A growable byte buffer (malloc). */
typedef struct jx_buf {
  char *data;
  size_t len, cap;
} jx_buf;

static inline void buf_reserve(jx_buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap)
    return;
  size_t cap = b->cap ? b->cap : 1024;
  while (cap < b->len + extra + 1)
    cap *= 2;
  b->data = jx_xrealloc(b->data, cap);
  b->cap = cap;
}

static inline void buf_put(jx_buf *b, const void *data, size_t len) {
  buf_reserve(b, len);
  memcpy(b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = '\0';
}

static inline void buf_puts(jx_buf *b, const char *s) {
  buf_put(b, s, strlen(s));
}

static inline void buf_putc(jx_buf *b, char c) {
  buf_reserve(b, 1);
  b->data[b->len++] = c;
  b->data[b->len] = '\0';
}

static inline void buf_printf(jx_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline void buf_printf(jx_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  buf_reserve(b, (size_t)n);
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

/* Appends m / 10^digits (digits <= 9) in its shortest form: 12.3, -0.05,
 * 7. */
static inline void buf_decimal(jx_buf *b, long long m, int digits) {
  char tmp[40], *p = tmp + sizeof tmp;
  bool neg = m < 0;
  unsigned long long v = neg ? (unsigned long long)-m : (unsigned long long)m;
  unsigned long long unit = 1;
  for (int i = 0; i < digits; i++)
    unit *= 10;
  unsigned long long frac = v % unit;
  v /= unit;
  if (frac) {
    while (frac % 10 == 0)
      frac /= 10, digits--;
    for (int i = 0; i < digits; i++, frac /= 10)
      *--p = (char)('0' + frac % 10);
    *--p = '.';
  }
  do {
    *--p = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  if (neg)
    *--p = '-';
  buf_put(b, p, (size_t)(tmp + sizeof tmp - p));
}

/* Appends a number given in thousandths. */
static inline void buf_milli(jx_buf *b, long long m) { buf_decimal(b, m, 3); }

#endif
