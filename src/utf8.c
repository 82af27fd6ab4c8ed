/*
 * utf8.c — the one UTF-8 decoder and its helpers (see utf8.h).
 */
#include "utf8.h"

#include <string.h>

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
