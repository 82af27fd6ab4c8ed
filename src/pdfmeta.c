/*
 * pdfmeta.c — PDF/A metadata, the output intent and SOURCE_DATE_EPOCH
 * dates, for both PDF writers (pdfmeta.h).
 */
#include "pdfmeta.h"
#include "pdfbuf.h"
#include "srgb-icc.h"
#include "utf8.h"
#include "xalloc.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int jx_source_epoch(time_t *t) {
  const char *env = getenv("SOURCE_DATE_EPOCH");
  if (!env || !*env)
    return 0;
  char *end;
  errno = 0;
  long long v = strtoll(env, &end, 10);
  /* 253402300799 is 9999-12-31T23:59:59Z: a PDF date has 4 digits of
   * year */
  if (errno || *end || v < 0 || v > 253402300799LL)
    return -1;
  *t = (time_t)v;
  return (long long)*t == v ? 1 : -1;
}

/* SOURCE_DATE_EPOCH in out, as PDF writes dates or (`xmp`) as XMP does;
 * the result of jx_source_epoch, out "" unless 1. */
static int source_date(char *out, size_t size, bool xmp) {
  out[0] = '\0';
  time_t t;
  struct tm tm;
  int r = jx_source_epoch(&t);
  if (r == 1 && !gmtime_r(&t, &tm))
    r = -1;
  if (r == 1 && xmp)
    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
  else if (r == 1)
    strftime(out, size, "D:%Y%m%d%H%M%SZ", &tm);
  return r;
}

int jx_source_date(char *out, size_t size) {
  return source_date(out, size, false);
}

int jx_source_date_xmp(char *out, size_t size) {
  return source_date(out, size, true);
}

const unsigned char *jx_srgb_profile(size_t *len) {
  *len = sizeof jx_srgb_icc;
  return jx_srgb_icc;
}

/* Appends code point `cp` as UTF-8. */
static void buf_utf8(jx_buf *b, uint32_t cp) {
  char u[4];
  buf_put(b, u, jx_utf8_put(cp, u));
}

char *jx_pdfa_text(const char *s) {
  if (!s)
    return NULL;
  jx_buf b = {0};
  buf_reserve(&b, strlen(s));
  b.data[0] = '\0'; /* "" gives "": nothing below may write to it */
  size_t len = strlen(s), i = 0;
  while (i < len) {
    uint32_t cp = jx_utf8_next((const unsigned char *)s, len, &i);
    if (cp == JX_UTF8_BAD)
      cp = 0xFFFD;
    if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE ||
        cp == 0xFFFF)
      cp = 0xFFFD;
    buf_utf8(&b, cp);
  }
  return b.data;
}

/* Appends UTF-8 text `s` as XML character data. */
static void buf_xml(jx_buf *b, const char *s) {
  for (; *s; s++) {
    switch (*s) {
    case '&':
      buf_puts(b, "&amp;");
      break;
    case '<':
      buf_puts(b, "&lt;");
      break;
    case '>':
      buf_puts(b, "&gt;");
      break;
    case '\r': /* a parser would read a raw CR as LF */
      buf_puts(b, "&#13;");
      break;
    default:
      buf_putc(b, *s);
    }
  }
}

/* Appends open, `text` escaped for XML, close; nothing when text is NULL
 * or empty. */
static void xmp_element(jx_buf *b, const char *open, const char *text,
                        const char *close) {
  if (!text || !*text)
    return;
  buf_puts(b, open);
  buf_xml(b, text);
  buf_puts(b, close);
}

void jx_xmp_packet(const jx_xmp *x, jx_bytes *out) {
  jx_buf b = {0};
  /* The xpacket header without the deprecated bytes= and encoding=
   * attributes, which PDF/A forbids. */
  buf_puts(&b, "<?xpacket begin=\"\xEF\xBB\xBF\" "
               "id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
               "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
               "<rdf:RDF "
               "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
               "<rdf:Description rdf:about=\"\"\n"
               " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
               " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
               " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
               " xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
               "<dc:format>application/pdf</dc:format>\n");
  xmp_element(&b, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">",
              x->title, "</rdf:li></rdf:Alt></dc:title>\n");
  xmp_element(&b, "<dc:creator><rdf:Seq><rdf:li>", x->author,
              "</rdf:li></rdf:Seq></dc:creator>\n");
  xmp_element(&b, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">",
              x->subject, "</rdf:li></rdf:Alt></dc:description>\n");
  xmp_element(&b, "<xmp:CreatorTool>", x->creator_tool, "</xmp:CreatorTool>\n");
  if (x->date && *x->date)
    buf_printf(&b,
               "<xmp:CreateDate>%s</xmp:CreateDate>\n"
               "<xmp:ModifyDate>%s</xmp:ModifyDate>\n"
               "<xmp:MetadataDate>%s</xmp:MetadataDate>\n",
               x->date, x->date, x->date);
  xmp_element(&b, "<pdf:Producer>", x->producer, "</pdf:Producer>\n");
  buf_puts(&b, "<pdfaid:part>2</pdfaid:part>\n"
               "<pdfaid:conformance>B</pdfaid:conformance>\n"
               "</rdf:Description>\n"
               "</rdf:RDF>\n"
               "</x:xmpmeta>\n"
               "<?xpacket end=\"w\"?>");
  out->data = (unsigned char *)b.data;
  out->len = b.len;
}
