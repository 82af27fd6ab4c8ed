/*
 * fuzz_template.c — libFuzzer target for templates, which are untrusted
 * input like projects: bytes → template (template.c, content.c; a base it
 * extends comes from the template folder) → a fixed project read against
 * it (load.c) → validation → layout (layout.c, text.c), which must finish
 * whatever the template's numbers are.
 *
 * The face table lives for the whole run (fonts are loaded once); each
 * input gets its own arena and diagnostics.  A refused template must say
 * why.  Templates come from $JXFORM_TEMPLATE_DIR or the build's template
 * folder; seeds are the shipped templates (fuzz/make-seeds.sh).
 */
#include "diag.h"
#include "fonts.h"
#include "layout.h"
#include "model.h"
#include "template.h"
#include "validate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static jx_fonts fonts;
static bool fonts_ready;

static void free_fonts(void) {
  if (fonts_ready)
    jx_fonts_free(&fonts);
  fonts_ready = false;
}

/* A project with a value for every key the shipped forms commonly have;
 * a template declaring other fields reads it with unknown-key errors,
 * which is fine: the loader is exercised either way. */
static const char project[] =
    "schema: 1\n"
    "year: 2025\n"
    "project:\n"
    "  name: 道路挖掘修复费\n"
    "  department: {code: \"045\", name: 阳泉市城市管理局}\n"
    "  implementer: 阳泉市城市管理局\n"
    "  attribute: 经常性项目（长期开展）\n"
    "  duration: 99年\n"
    "funds:\n"
    "  period: {total: 22487000, city_county: 22487000}\n"
    "  annual: {total: 22487000, city_county: 22487000}\n"
    "overview: 对管辖范围内的道路设施进行掘路恢复，破路恢复面积约29000平米；\n"
    "goals: {period: 保障道路设施正常运行。, annual: 保障道路设施正常运行。}\n"
    "indicators:\n"
    "  period:\n"
    "    - {level1: 产出指标, level2: 数量指标, level3: 破路恢复面积, value: "
    "29000平方米/年}\n"
    "  annual:\n"
    "    - {level1: 满意度指标, level2: 服务对象满意度指标, level3: "
    "社会公众满意度, value: ≥95%}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!fonts_ready) {
    if (!jx_fonts_init(&fonts))
      abort();
    fonts_ready = true;
    atexit(free_fonts);
  }
  const char *dir = getenv("JXFORM_TEMPLATE_DIR");
  if (!dir || !*dir)
    dir = JX_TEMPLATE_DIR;
  jx_arena arena;
  jx_arena_init(&arena);
  jx_diag_list diags = {0};
  jx_template *tpl =
      jx_template_load_buffer(&arena, &diags, &fonts, dir, "fuzz-template.yaml",
                              (const char *)data, size);
  if (!tpl && diags.errors == 0)
    abort(); /* refused without saying why */
  if (tpl) {
    size_t first = diags.count, errors = diags.errors;
    bool complete = false;
    const jx_ynode *root = jx_load_tree(&arena, &diags, "p.yaml", project,
                                        strlen(project), &complete);
    jx_model *m =
        root ? jx_load_model(&arena, &diags, "p.yaml", false, root, complete,
                             &tpl->content, "fuzz", first, errors)
             : NULL;
    if (m && jx_validate(m, tpl, false, &diags)) {
      jx_layout layout = {0};
      layout.arena = &arena;
      jx_layout_form(&layout, &fonts, tpl, m, 0, &diags);
    }
  }
  for (size_t i = 0; i < diags.count; i++)
    if (!diags.items[i].message || !diags.items[i].message[0])
      abort();
  jx_diag_list_free(&diags);
  jx_arena_free(&arena);
  return 0;
}
