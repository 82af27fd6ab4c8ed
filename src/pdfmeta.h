/*
 * pdfmeta.h — what both PDF writers say about a document besides its
 * pages: PDF/A-2b's XMP packet and sRGB output intent, text fit for both
 * Info and XMP, and the dates of SOURCE_DATE_EPOCH (no clock otherwise).
 */
#ifndef JX_PDFMETA_H
#define JX_PDFMETA_H

#include "deflate.h"
#include <stddef.h>
#include <time.h>

/* The output intent: its condition identifier and ICC profile (sRGB,
 * ICC version 2, from Debian's icc-profiles-free; srgb-icc.h). */
#define JX_SRGB_NAME "sRGB IEC61966-2.1"
const unsigned char *jx_srgb_profile(size_t *len);

/* A malloc'd copy of UTF-8 text `s` that the Info dictionary and XMP can
 * both carry alike: malformed bytes, and the characters XML 1.0 cannot
 * hold (controls other than tab, LF and CR; U+FFFE; U+FFFF), each become
 * U+FFFD.  NULL for NULL. */
char *jx_pdfa_text(const char *s);

/* What the XMP metadata of a PDF/A document says, each the same as in its
 * Info dictionary (Title = dc:title, Subject = dc:description, Author =
 * dc:creator, Creator = xmp:CreatorTool, Producer = pdf:Producer, the
 * dates = xmp:CreateDate and xmp:ModifyDate).  NULL or "" = absent. */
typedef struct jx_xmp {
  const char *title, *subject, *author; /* jx_pdfa_text strings */
  const char *creator_tool, *producer;
  const char *date; /* "YYYY-MM-DDThh:mm:ssZ" (jx_source_date_xmp) */
} jx_xmp;

/* The XMP packet (UTF-8, no padding) of `x`, with pdfaid:part 2 and
 * pdfaid:conformance B.  out->data is malloc'd. */
void jx_xmp_packet(const jx_xmp *x, jx_bytes *out);

/* The PDF date ("D:YYYYMMDDHHmmSSZ") of the SOURCE_DATE_EPOCH variable
 * in out (size >= 20): returns 1, or 0 with out "" when it is unset, or
 * -1 with out "" when it is not a whole number of seconds from 1970 to
 * the end of 9999 (no date is written then). */
int jx_source_date(char *out, size_t size);
/* SOURCE_DATE_EPOCH as a time: 1 (set in *t), 0 (unset) or -1 (not a
 * whole number of seconds from 1970 to the end of 9999).  Every date
 * jxform writes comes from here, or is fixed. */
int jx_source_epoch(time_t *t);
/* The same date as XMP writes it ("YYYY-MM-DDThh:mm:ssZ", out of size >=
 * 21), with the same results. */
int jx_source_date_xmp(char *out, size_t size);

#endif
