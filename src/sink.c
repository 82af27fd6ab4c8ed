/*
 * sink.c — the page-sink interface (sink.h): the calls every sink
 * answers.  The sinks themselves are in render.c (streaming) and
 * render-hpdf.c (libharu); what drives them is the document (document.c).
 */
#include "sink.h"

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
