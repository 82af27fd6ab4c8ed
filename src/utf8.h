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
uint32_t jx_utf8_next(const unsigned char *s, size_t len, size_t *i);

/* Length (1 to 4) of the well-formed sequence at s[0..avail), or 0 when
 * there is none. */
size_t jx_utf8_seq(const unsigned char *s, size_t avail);

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

#endif
