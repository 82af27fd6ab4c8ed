/*
 * sink.c — the page-sink interface (sink.h): the calls every sink
 * answers, and the one driver of a whole display list.  The sinks
 * themselves are in render.c (streaming) and render-hpdf.c (libharu).
 */
#include "sink.h"
#include "xalloc.h"

#include <stdlib.h>

jx_sink_content jx_sink_add_page(jx_sink *sink, const jx_dpage *page,
                                 double page_height) {
  return sink->ops->add_page(sink, page, page_height);
}

bool jx_sink_encodes(const jx_sink *sink) {
  return sink->ops->encoder_new != NULL;
}

jx_sink_encoder *jx_sink_encoder_new(jx_sink *sink, const jx_fonts *fonts) {
  return sink->ops->encoder_new ? sink->ops->encoder_new(sink, fonts) : NULL;
}

void jx_sink_encoder_free(jx_sink *sink, jx_sink_encoder *enc) {
  if (enc)
    sink->ops->encoder_free(sink, enc);
}

bool jx_sink_encode(jx_sink *sink, jx_sink_encoder *enc, const jx_dpage *page,
                    double page_height, const char *where, jx_diag_list *diags,
                    jx_bytes *out) {
  return sink->ops->encode(enc, page, page_height, where, diags, out);
}

jx_sink_content jx_sink_add_encoded(jx_sink *sink, const jx_bytes *content) {
  return sink->ops->add_encoded(sink, content);
}

bool jx_sink_close(jx_sink *sink, const jx_sink_doc *doc) {
  return sink->ops->close(sink, doc);
}

void jx_sink_abort(jx_sink *sink) {
  if (sink)
    sink->ops->abort(sink);
}

bool jx_sink_write_layout(jx_sink *sink, const jx_layout *layout,
                          const jx_render_info *info, const char *where,
                          jx_diag_list *diags) {
  if (layout->page_count == 0) {
    jx_error(diags, ((jx_pos){where, 0, 0}),
             "cannot write the PDF: no pages to write");
    jx_sink_abort(sink);
    return false;
  }
  jx_sink_page *pages = jx_xcalloc(layout->page_count, sizeof *pages);
  bool ok = true;
  for (size_t p = 0; p < layout->page_count && ok; p++) {
    pages[p].contents[0] =
        jx_sink_add_page(sink, &layout->pages[p], layout->page_height);
    pages[p].width = layout->page_width;
    pages[p].height = layout->page_height;
    ok = pages[p].contents[0] != 0;
  }
  jx_sink_doc doc = {.pages = pages, .page_count = layout->page_count};
  doc.info.title = info && info->title ? info->title : layout->title;
  doc.info.subject = info && info->subject ? info->subject : layout->subject;
  doc.info.author = info ? info->author : NULL;
  doc.info.pdfa = info && info->pdfa;
  if (ok)
    ok = jx_sink_close(sink, &doc);
  else
    jx_sink_abort(sink);
  free(pages);
  return ok;
}
