/*
 * sink.h — one output PDF, whichever writer makes it: the page-sink
 * interface (private).
 *
 * Every PDF jxform writes goes through a sink, as cmark's renderers share
 * one driver: the caller hands the sink page contents in any order, then
 * at close describes the document — its pages (each made of up to two
 * contents, e.g. a form and its footer), bookmarks, page labels and
 * information — and the sink writes it.  Two sinks:
 *
 *   - the libharu sink (render-hpdf.c, jx_sink_hpdf_*): the mandated
 *     writer, used by `jxform render` and the library's jx_render_pdf*.
 *     It copies the display pages it is given and draws them all at
 *     close (libharu builds the whole document in memory);
 *   - the streaming sink (render.c, jx_sink_stream_*): used by `jxform
 *     packet`, its --split files and the tests of the streaming writer.
 *     It encodes and compresses each content at once and writes it to
 *     the file, keeping only its offset, so memory stays flat however many
 *     pages come; it can also take contents encoded on worker threads
 *     (jx_sink_encoder), so that packets encode in parallel.
 *
 * What drives a sink is the document (document.c): `render`, packets and
 * --split files alike, through the pipeline of packet.c.
 */
#ifndef JX_SINK_H
#define JX_SINK_H

#include "deflate.h"
#include "diag.h"
#include "display.h"
#include "fonts.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct jx_sink jx_sink;
typedef struct jx_sink_encoder jx_sink_encoder;

/* What a document says about itself (its Info dictionary). */
typedef struct jx_render_info {
  const char *title;   /* document title */
  const char *subject; /* document subject */
  const char *author;  /* document author */
  bool pdfa;           /* PDF/A-2b (render.h) */
} jx_render_info;

/* A content added to a sink: 1, 2, … in the order added; 0 = none. */
typedef uint32_t jx_sink_content;

/* One page of the finished document: its contents drawn in order (the
 * second over the first), and its size. */
typedef struct jx_sink_page {
  jx_sink_content contents[2]; /* 0 = none (a blank page has neither) */
  double width, height;        /* points */
} jx_sink_page;

/* One bookmark.  Items are given in document order; a child follows its
 * parent (parent = index of the parent item, -1 for the top level). */
typedef struct jx_sink_outline {
  const char *title; /* UTF-8 */
  size_t page;       /* 0-based index into the pages */
  int parent;
  bool open; /* show the children when the document opens */
} jx_sink_outline;

/* A page label range, from `first_page` to the next range. */
typedef struct jx_sink_label {
  size_t first_page;
  char style;         /* 'D' decimal, 'r'/'R' roman, 0 = prefix only */
  const char *prefix; /* UTF-8 or NULL */
  int start;          /* first number (1 when 0) */
} jx_sink_label;

/* The document as a whole, described at close. */
typedef struct jx_sink_doc {
  const jx_sink_page *pages;
  size_t page_count;
  const jx_sink_outline *outlines;
  size_t outline_count;
  const jx_sink_label *labels;
  size_t label_count;
  jx_render_info info; /* as written (no fallback to the layout's) */
  bool show_outlines;  /* open the outline panel in viewers */
} jx_sink_doc;

/* What a sink does; each sink's struct starts with a jx_sink. */
typedef struct jx_sink_ops {
  /* Adds the drawing of `page` (height `page_height` points); the page
   * may be freed once this returns.  Returns its number, or 0 after
   * recording an error (malformed text, a face not loaded); a write
   * error is reported at close. */
  jx_sink_content (*add_page)(jx_sink *sink, const jx_dpage *page,
                              double page_height);
  /* Optional (NULL: the sink draws at close and cannot take encoded
   * contents): a new encoder for one worker thread laying out with face
   * table `fonts` (the session's faces in the same order), and what goes
   * with it.  See jx_sink_encoder_new. */
  jx_sink_encoder *(*encoder_new)(jx_sink *sink, const jx_fonts *fonts);
  bool (*encode)(jx_sink_encoder *enc, const jx_dpage *page, double page_height,
                 const char *where, jx_diag_list *diags, jx_bytes *out);
  void (*encoder_free)(jx_sink *sink, jx_sink_encoder *enc);
  jx_sink_content (*add_encoded)(jx_sink *sink, const jx_bytes *content);
  /* Writes the document and frees the sink (see jx_sink_close). */
  bool (*close)(jx_sink *sink, const jx_sink_doc *doc);
  /* Abandons the document and frees the sink. */
  void (*abort)(jx_sink *sink);
} jx_sink_ops;

struct jx_sink {
  const jx_sink_ops *ops;
};

/* ---- opening a sink ---- */

/* Options of the streaming sink. */
typedef struct jx_sink_stream_opt {
  int page_level; /* compression of page contents (1..12) */
  int font_level; /* of fonts and maps, written once per document */
} jx_sink_stream_opt;

/* One document: smallest pages and fonts. */
#define JX_SINK_STREAM_ONE ((jx_sink_stream_opt){12, 12})
/* A packet: its many pages fast, its fonts once (speed over 0.2 %). */
#define JX_SINK_STREAM_PACKET ((jx_sink_stream_opt){1, 6})

/* The streaming sink, writing to out_path (a temporary file beside it
 * until close) and drawing with `fonts` (which must outlive the sink; it
 * may gain faces meanwhile).  Returns NULL after recording an error. */
jx_sink *jx_sink_stream_open(const char *out_path, const jx_fonts *fonts,
                             const jx_sink_stream_opt *opt,
                             jx_diag_list *diags);
/* The same into a new file with a unique hidden name in folder `dir`
 * (".jxform-part.XXXXXX", created exclusively: concurrent runs into one
 * folder never share a file), synced and complete after close, which sets
 * *tmp_path (malloc'd; the caller frees it, and renames the file into
 * place or removes it).  Errors are recorded at `where`. */
jx_sink *jx_sink_stream_unique(const char *dir, const char *where,
                               const jx_fonts *fonts,
                               const jx_sink_stream_opt *opt,
                               jx_diag_list *diags, char **tmp_path);
/* The same into memory: close sets *data (malloc'd; the caller frees it)
 * and *size. */
jx_sink *jx_sink_stream_memory(const jx_fonts *fonts,
                               const jx_sink_stream_opt *opt,
                               jx_diag_list *diags, char **data, size_t *size);

/* The libharu sink, writing to out_path atomically at close (nothing at
 * out_path on failure, an existing file left untouched).  `fonts` must
 * outlive the sink.  Never fails to open (errors come at close). */
jx_sink *jx_sink_hpdf_open(const char *out_path, jx_fonts *fonts,
                           jx_diag_list *diags);
/* The same into memory: close sets *data (malloc'd; the caller frees it)
 * and *size, or *data NULL on failure. */
jx_sink *jx_sink_hpdf_memory(jx_fonts *fonts, jx_diag_list *diags, char **data,
                             size_t *size);

/* ---- using it ---- */

/* Adds the drawing of `page` (see jx_sink_ops.add_page). */
jx_sink_content jx_sink_add_page(jx_sink *sink, const jx_dpage *page,
                                 double page_height);

/* Whether the sink takes contents encoded ahead on other threads. */
bool jx_sink_encodes(const jx_sink *sink);
/* An encoder for one worker thread drawing with face table `fonts` (the
 * session's faces in the same order, possibly fewer), or NULL when the
 * sink does not encode.  Made and freed on the sink's thread; used on one
 * worker at a time.  jx_sink_encoder_free hands the sink what the
 * encoder's pages use (the characters to embed) and frees it; call it
 * for every encoder before closing. */
jx_sink_encoder *jx_sink_encoder_new(jx_sink *sink, const jx_fonts *fonts);
void jx_sink_encoder_free(jx_sink *sink, jx_sink_encoder *enc);
/* Encodes `page` into *out (malloc'd; the caller frees out->data), on
 * any thread.  Returns false after recording an error at `where`. */
bool jx_sink_encode(jx_sink *sink, jx_sink_encoder *enc, const jx_dpage *page,
                    double page_height, const char *where, jx_diag_list *diags,
                    jx_bytes *out);
/* Adds a content from jx_sink_encode; returns its number, or 0 after a
 * write error (reported at close). */
jx_sink_content jx_sink_add_encoded(jx_sink *sink, const jx_bytes *content);

/* Writes the document `doc` (every content it names added before), then
 * frees the sink in every case.  Returns false after recording an error;
 * the output is then left as it was. */
bool jx_sink_close(jx_sink *sink, const jx_sink_doc *doc);
/* Abandons the document (nothing written) and frees the sink; NULL is
 * allowed. */
void jx_sink_abort(jx_sink *sink);

#endif
