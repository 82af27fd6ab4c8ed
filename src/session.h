/*
 * session.h — internal entry points of session.c that are not part of
 * the public API: for the fuzz targets (fuzz/) and tests, which run many
 * inputs through one session.
 */
#ifndef JX_SESSION_H
#define JX_SESSION_H

#include "jxform/jxform.h"

/* Lays out the projects and renders them, in order, into one PDF held in
 * memory: *data (malloc'd, the caller frees) and *size.  Returns false
 * (with *data NULL) after recording diagnostics in the session. */
bool jx_render_pdf_memory(jx_session *session, jx_project *const *projects,
                          size_t count, char **data, size_t *size);

/* Forgets every diagnostic recorded so far (templates and fonts stay
 * loaded), so that a long-running caller does not accumulate them. */
void jx_session_clear_diagnostics(jx_session *session);

#endif
