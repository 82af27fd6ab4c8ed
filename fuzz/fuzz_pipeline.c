/*
 * fuzz_pipeline.c — libFuzzer target for the whole pipeline: bytes →
 * load → validate (jx_project_load_buffer) → layout → render to memory
 * (jx_render_pdf_memory, session.h).
 *
 * One session lives for the whole run, as in a long batch: templates and
 * fonts are loaded once, diagnostics are cleared after each input.  A
 * project that loads must render (or say why); a rendered PDF must start
 * with "%PDF-" and end with "%%EOF".  Templates come from
 * $JXFORM_TEMPLATE_DIR or the build's template folder.
 */
#include "jxform/jxform.h"
#include "session.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static jx_session *session;
static bool verbose;

/* Frees the session at exit so LeakSanitizer only reports real leaks. */
static void free_session(void) {
  jx_session_free(session);
  session = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!session) {
    session = jx_session_new(NULL);
    if (!session)
      abort();
    atexit(free_session);
    verbose = getenv("JXFORM_FUZZ_VERBOSE") != NULL;
  }
  jx_project *p =
      jx_project_load_buffer(session, "fuzz.yaml", (const char *)data, size);
  if (!p) {
    if (jx_error_count(session) == 0)
      abort(); /* refused without saying why */
  } else {
    char *pdf = NULL;
    size_t pdf_size = 0;
    size_t before = jx_error_count(session);
    if (jx_render_pdf_memory(session, &p, 1, &pdf, &pdf_size)) {
      if (pdf_size < 16 || memcmp(pdf, "%PDF-", 5) != 0)
        abort();        /* not a PDF */
      bool eof = false; /* "%%EOF" within the last 8 bytes */
      for (size_t i = pdf_size - 8; i + 5 <= pdf_size; i++)
        eof |= memcmp(pdf + i, "%%EOF", 5) == 0;
      if (!eof)
        abort(); /* truncated PDF */
    } else if (jx_error_count(session) == before) {
      abort(); /* failed without saying why */
    }
    if (verbose)
      fprintf(stderr, "fuzz_pipeline: PDF of %zu bytes\n", pdf_size);
    free(pdf);
    jx_project_free(p);
  }
  if (verbose) /* for triage: JXFORM_FUZZ_VERBOSE=1 fuzz_pipeline FILE */
    for (size_t i = 0; i < jx_diagnostic_count(session); i++)
      jx_diagnostic_print(jx_diagnostic_at(session, i), stderr);
  jx_session_clear_diagnostics(session);
  return 0;
}
