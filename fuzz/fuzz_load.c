/*
 * fuzz_load.c — libFuzzer target for the loader: bytes → jx_ynode tree
 * (yaml.c) → jx_model read against its template's declared content
 * (load.c, content.c) → validation, then the model dump (model.c).
 *
 * One session lives for the whole run (templates are loaded once, from
 * $JXFORM_TEMPLATE_DIR or the build's template folder); diagnostics are
 * cleared after each input.  A refused input must say why, and every
 * diagnostic must carry a message: an empty one is a bug.
 */
#include "jxform/jxform.h"
#include "session.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static jx_session *session;

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
  }
  jx_project *p =
      jx_project_load_buffer(session, "fuzz.yaml", (const char *)data, size);
  if (p) {
    /* The dump walks every field: a model with a bad pointer crashes. */
    FILE *sink = fopen("/dev/null", "w");
    if (sink) {
      jx_project_dump_model(p, sink);
      fclose(sink);
    }
    jx_project_free(p);
  } else if (jx_error_count(session) == 0) {
    abort(); /* refused without saying why */
  }
  for (size_t i = 0; i < jx_diagnostic_count(session); i++) {
    const jx_diagnostic *d = jx_diagnostic_at(session, i);
    if (!d->message || !d->message[0])
      abort();
  }
  jx_session_clear_diagnostics(session);
  return 0;
}
