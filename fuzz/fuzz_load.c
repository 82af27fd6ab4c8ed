/*
 * fuzz_load.c — libFuzzer target for the YAML loader: bytes → jx_ynode
 * tree (yaml.c) → jx_model (load.c), then the model dump (model.c).
 *
 * Each input gets its own arena and diagnostic list, both freed before
 * returning, so LeakSanitizer sees any leak of the loader.  Every
 * diagnostic must carry a message: an empty one is a bug.
 */
#include "arena.h"
#include "diag.h"
#include "model.h"
#include "ynode.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  jx_arena arena;
  jx_arena_init(&arena);
  jx_diag_list diags = {0};
  jx_model *model =
      jx_load_buffer(&arena, &diags, "fuzz.yaml", (const char *)data, size);
  if (model) {
    /* The dump walks every field: a model with a bad pointer crashes. */
    FILE *sink = fopen("/dev/null", "w");
    if (sink) {
      jx_model_dump(model, sink);
      fclose(sink);
    }
  } else if (diags.errors == 0) {
    abort(); /* refused without saying why */
  }
  for (size_t i = 0; i < diags.count; i++)
    if (!diags.items[i].message || !diags.items[i].message[0])
      abort();
  jx_diag_list_free(&diags);
  jx_arena_free(&arena);
  return 0;
}
