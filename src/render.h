/*
 * render.h — display list → PDF, by two writers, each a page sink
 * (sink.h): the callers open one, add pages and close it, whichever
 * writer it is.
 *
 *   - render-hpdf.c (jx_sink_hpdf_*): through libharu, the mandated
 *     writer, for `jxform render` and jx_render_pdf* (session.c).
 *     libharu builds the whole document in memory and writes it when
 *     saving, which is fine for the few forms of one render.  It is the
 *     only file that includes hpdf.h.
 *   - render.c (jx_sink_stream_*): PDF written directly and streamed, for
 *     `jxform packet` and its --split files (packet.c, document.c), whose
 *     thousands of pages would make libharu's memory grow with the page
 *     count.
 *
 * Both embed the same fonts the same way (pdffont.h: hb-subset to the
 * characters drawn, unneeded tables dropped, the ToUnicode CMap, compact
 * /W runs), compress through deflate.h, sign the trailer with md5.h,
 * describe PDF/A with pdfmeta.h and write through outfile.h; this header
 * includes them all.
 *
 * render.c writes PDF itself (objects, cross-reference table, Flate
 * streams): each page content is encoded into a compressed content
 * stream as soon as it comes (on the sink's thread, or on a worker
 * through a jx_sink_encoder) and streamed to the output file, so memory
 * does not grow with the number of pages.  Fonts are written last: each
 * face used is subset with hb-subset to exactly the characters drawn,
 * embedded as a CID TrueType font (Identity-H, CID = Unicode code point)
 * with a compact /W array, CIDToGIDMap and ToUnicode CMap.  Output is
 * written to a temporary file beside out_path and renamed into place when
 * complete.  No clock goes into the file: dates appear only when
 * SOURCE_DATE_EPOCH is set.
 */
#ifndef JX_RENDER_H
#define JX_RENDER_H

#include "deflate.h"
#include "diag.h"
#include "display.h"
#include "fonts.h"
#include "md5.h"
#include "outfile.h"
#include "pdffont.h"
#include "pdfmeta.h"
#include "sink.h"
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* PDF/A-2b (ISO 19005-2, level B): XMP metadata in step with the Info
 * dictionary, the sRGB output intent, and embedded fonts that keep their
 * cmap table.  Either way both writers write a PDF 1.7 header and a
 * trailer /ID (jx_md5 of the bytes before the cross-reference table).
 *
 * For tests: while on, both writers write PDF/A-2b whatever info->pdfa
 * says.  Off by default; set it before rendering, not while another
 * thread renders. */
void jx_render_set_pdfa_default(bool on);
/* Whether a document rendered with `info` (may be NULL) is PDF/A-2b. */
bool jx_render_wants_pdfa(const jx_render_info *info);

/* The value of Creator in the Info dictionary and of xmp:CreatorTool. */
#define JX_CREATOR_TOOL "jxform " JXFORM_VERSION

/* Both writers put text positions on a grid of 1/JX_TEXT_GRID pt.  Text
 * is positioned with relative moves (Td); on this grid every move and
 * every sum of moves is exact, in libharu's single precision as in a
 * reader's double, so runs set on one edge stay on exactly one edge in
 * the PDF (pdftotext compares edges exactly when it orders blocks).  The
 * grid is 1/8 pt so that every position and move on a page (under 1000
 * pt) has at most six significant digits: Ghostscript's pdfwrite writes
 * numbers with six (%g), and on a finer grid (1/32 pt was tried) it
 * moves runs of one edge apart by up to 1/2000 pt, which changes the
 * order in which pdftotext reads the blocks of the rewritten file.  A run
 * moves by at most half a step, 1/16 pt. */
#define JX_TEXT_GRID 8

/* `v` points as a whole number of grid steps. */
static inline long long jx_text_grid_steps(double v) {
  return llround(v * JX_TEXT_GRID);
}

#endif
