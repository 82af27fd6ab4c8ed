/*
 * utf8.c — the one UTF-8 decoder and its helpers (see utf8.h).
 */
#include "utf8.h"

#include <string.h>

size_t jx_utf8_seq(const unsigned char *s, size_t avail) {
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

uint32_t jx_utf8_next(const unsigned char *s, size_t len, size_t *i) {
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

bool jx_utf8_valid(const unsigned char *s, size_t size, size_t *bad) {
  for (size_t i = 0; i < size;) {
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    size_t n = jx_utf8_seq(s + i, size - i);
    if (!n) {
      if (bad)
        *bad = i;
      return false;
    }
    i += n;
  }
  return true;
}

size_t jx_utf8_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

size_t jx_utf8_put(uint32_t cp, char out[4]) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | cp >> 6);
    out[1] = (char)(0x80 | (cp & 63));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | cp >> 12);
    out[1] = (char)(0x80 | ((cp >> 6) & 63));
    out[2] = (char)(0x80 | (cp & 63));
    return 3;
  }
  out[0] = (char)(0xF0 | cp >> 18);
  out[1] = (char)(0x80 | ((cp >> 12) & 63));
  out[2] = (char)(0x80 | ((cp >> 6) & 63));
  out[3] = (char)(0x80 | (cp & 63));
  return 4;
}

void jx_utf8_cut(char *s, size_t max) {
  if (strlen(s) <= max)
    return;
  while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
    max--;
  s[max] = '\0';
}
