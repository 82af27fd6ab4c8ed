/*
 * utf8.h — the one UTF-8 decoder and its helpers (RFC 3629: no overlong
 * forms, no surrogates, nothing past U+10FFFF), shared by the loader,
 * the text engine, the PDF writers, packets and the workbook import.
 */
#ifndef JX_UTF8_H
#define JX_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What jx_utf8_next returns for a byte that does not start a well-formed
 * sequence: one past the last code point, so never a character. */
#define JX_UTF8_BAD 0x110000u

/* Decodes the code point at s[*i] (len bytes in all) and advances *i past
 * it.  For an ill-formed or truncated sequence returns JX_UTF8_BAD and
 * advances *i by one byte. */
static inline uint32_t jx_utf8_next(const unsigned char *s, size_t len,
                                    size_t *i);

/* Length (1 to 4) of the well-formed sequence at s[0..avail), or 0 when
 * there is none. */
static inline size_t jx_utf8_seq(const unsigned char *s, size_t avail);

/* True if s[0..size) is well-formed UTF-8; otherwise false with *bad
 * (when not NULL) the offset of the first byte that is not. */
bool jx_utf8_valid(const unsigned char *s, size_t size, size_t *bad);

/* Code points in NUL-terminated UTF-8 `s` (continuation bytes are not
 * counted; ill-formed bytes count as one each). */
size_t jx_utf8_chars(const char *s);

/* Writes code point `cp` (at most U+10FFFF) as UTF-8 into out; returns
 * the number of bytes (1 to 4). */
size_t jx_utf8_put(uint32_t cp, char out[4]);

/* Cuts NUL-terminated `s` to at most `max` bytes at a character
 * boundary. */
void jx_utf8_cut(char *s, size_t max);

/* The two above are inline: they run on every byte of every text. */
static inline size_t jx_utf8_seq(const unsigned char *s, size_t avail) {
  if (!avail)
    return 0;
  unsigned char c = s[0];
  if (c < 0x80)
    return 1;
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c >= 0xE0 && c <= 0xEF)
    n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
  else if (c >= 0xF0 && c <= 0xF4)
    n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
  else
    return 0;
  if (n > avail || s[1] < lo || s[1] > hi)
    return 0;
  for (size_t k = 2; k < n; k++)
    if ((s[k] & 0xC0) != 0x80)
      return 0;
  return n;
}

static inline uint32_t jx_utf8_next(const unsigned char *s, size_t len,
                                    size_t *i) {
  size_t p = *i;
  size_t n = jx_utf8_seq(s + p, len - p);
  if (!n) {
    *i = p + 1;
    return JX_UTF8_BAD;
  }
  *i = p + n;
  static const unsigned char lead_mask[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  uint32_t cp = s[p] & lead_mask[n];
  for (size_t k = 1; k < n; k++)
    cp = (cp << 6) | (s[p + k] & 0x3F);
  return cp;
}

#endif
