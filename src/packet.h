/*
 * packet.h — internal pieces shared by the packet's files (packet.c,
 * document.c, order.c: jx_packet_sort) and session.c.
 *
 * A packet lays projects out on worker threads, each with its own face
 * table (fonts.c keeps scratch buffers), while the session owns the
 * templates: these entry points let packet.c reach them safely.
 */
#ifndef JX_PACKET_H
#define JX_PACKET_H

#include "jxform/jxform.h"

#include "arena.h"
#include "diag.h"
#include "fonts.h"
#include "model.h"
#include "template.h"

#include <pthread.h>

/* The session's face table and diagnostics (session.c). */
jx_fonts *jx_session_fonts(jx_session *session);
/* The session's measuring context over its face table, for the thread
 * that drives the session (packet workers make their own). */
jx_measure *jx_session_measure(jx_session *session);
jx_diag_list *jx_session_diags(jx_session *session);

/* Loads and validates one project file into `arena`, as jx_project_load
 * does, but records its diagnostics in `diags` and takes `lock` while it
 * looks the template up in the session (loading it on first use).  Sets
 * *tpl and returns the model, or returns NULL when the file has errors.
 * Safe to call from several threads that share `lock`. */
jx_model *jx_session_load_model(jx_session *session, jx_arena *arena,
                                const char *path, jx_diag_list *diags,
                                pthread_mutex_t *lock, const jx_template **tpl);

/* The model and template of a loaded project (its own: valid while it
 * lives). */
jx_model *jx_project_parts(jx_project *project, const jx_template **tpl);

/* jx_packet_render, also setting *form_pages (when not NULL) to the
 * number of pages of the forms: the pages the footers number 第 1 页 to
 * 第 N 页 (with the blank pages of --duplex among them), without the
 * cover, the contents and the blank page after them; with split_dir,
 * every page written.  0 when nothing was written.  For the CLI's last
 * line, which names both counts as the cover does. */
bool jx_packet_render_forms(jx_session *session, const char *const *inputs,
                            size_t count, const jx_packet_options *options,
                            const char *out_path, bool *failed,
                            size_t *form_pages);

/* ---- a packet's order, alone (for tests) ---- */

/* What places a project in a packet's order. */
typedef struct jx_packet_key {
  const char *dept_code, *dept_name, *name;
  size_t input; /* its position among the inputs: the last tie-break */
} jx_packet_key;

/* Puts keys[0..n) in `order` as jx_packet_render orders its projects
 * (JX_ORDER_DEPT: department code, department name, project name, input;
 * JX_ORDER_NAME: project name, department, input; JX_ORDER_INPUT: as
 * given), names compared in 拼音 order (ICU's Chinese collation), then
 * byte by byte.  Returns false when ICU has no Chinese collation: names
 * were then compared byte by byte only. */
bool jx_packet_sort(jx_packet_key *keys, size_t n, jx_packet_order order);

#endif
