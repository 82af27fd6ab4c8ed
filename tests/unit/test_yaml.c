/*
 * test_yaml.c — the YAML tree builder (src/yaml.c): shapes, positions,
 * and every refusal with its exact line, column and message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testutil.h" /* fixture, fixture_setup, fixture_teardown */
#include "ynode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jx_ynode *parse(fixture *f, const char *text) {
  return jx_yaml_parse(&f->arena, &f->diags, "t.yaml", text, strlen(text));
}

/* Asserts that some diagnostic is an error at line:col in t.yaml whose
 * message contains `part`. */
static void expect_diag(const fixture *f, unsigned line, unsigned col,
                        const char *part) {
  for (size_t i = 0; i < f->diags.count; i++) {
    const jx_diagnostic *d = &f->diags.items[i];
    if (d->line == line && d->column == col && strstr(d->message, part)) {
      assert_int_equal(d->severity, JX_SEV_ERROR);
      assert_string_equal(d->file, "t.yaml");
      return;
    }
  }
  for (size_t i = 0; i < f->diags.count; i++)
    fprintf(stderr, "  have %u:%u: %s\n", f->diags.items[i].line,
            f->diags.items[i].column, f->diags.items[i].message);
  fail_msg("no diagnostic at %u:%u containing '%s'", line, col, part);
}

static void test_tree_and_positions(void **state) {
  fixture *f = *state;
  jx_ynode *root = parse(f, "a: 1\n"
                            "b:\n"
                            "  c: \"x\"\n"
                            "  d: [1, ~, null, '', NULL]\n"
                            "e: >-\n"
                            "  folded\n"
                            "f:\n");
  assert_non_null(root);
  assert_int_equal(f->diags.count, 0);
  assert_int_equal(root->kind, JX_YMAP);
  assert_int_equal(root->count, 4);
  assert_int_equal(root->pos.line, 1);
  assert_int_equal(root->pos.col, 1);

  const jx_ynode *a = jx_ymap_get(root, "a");
  assert_non_null(a);
  assert_string_equal(a->str, "1");
  assert_int_equal(a->len, 1);
  assert_false(a->quoted);
  assert_false(a->is_null);
  assert_int_equal(a->pos.line, 1);
  assert_int_equal(a->pos.col, 4);
  assert_string_equal(a->pos.file, "t.yaml");

  const jx_ynode *b = jx_ymap_get(root, "b");
  assert_int_equal(b->kind, JX_YMAP);
  assert_int_equal(b->pos.line, 3);
  assert_int_equal(b->pos.col, 3);
  assert_string_equal(b->keys[0]->str, "c");
  assert_int_equal(b->keys[0]->pos.col, 3);
  const jx_ynode *c = jx_ymap_get(b, "c");
  assert_string_equal(c->str, "x");
  assert_true(c->quoted);
  assert_int_equal(c->pos.col, 6);

  const jx_ynode *d = jx_ymap_get(b, "d");
  assert_int_equal(d->kind, JX_YSEQ);
  assert_int_equal(d->count, 5);
  assert_false(d->items[0]->is_null);
  assert_true(d->items[1]->is_null);
  assert_true(d->items[2]->is_null);
  assert_false(d->items[3]->is_null); /* '' is an empty string */
  assert_true(d->items[3]->quoted);
  assert_true(d->items[4]->is_null);
  assert_int_equal(d->items[2]->pos.line, 4);
  assert_int_equal(d->items[2]->pos.col, 13);

  const jx_ynode *e = jx_ymap_get(root, "e");
  assert_string_equal(e->str, "folded");
  assert_true(e->quoted); /* block scalars count as quoted */

  const jx_ynode *fv = jx_ymap_get(root, "f");
  assert_true(fv->is_null);
  assert_string_equal(fv->str, "");

  assert_null(jx_ymap_get(root, "zz"));
  assert_null(jx_ymap_get(a, "a")); /* not a mapping */
  assert_string_equal(jx_ynode_kind_name(root), "a mapping");
  assert_string_equal(jx_ynode_kind_name(d), "a sequence");
  assert_string_equal(jx_ynode_kind_name(a), "a scalar");
}

static void test_chinese_columns_count_characters(void **state) {
  fixture *f = *state;
  jx_ynode *root = parse(f, "名称: 道路 # 注释\nk: [甲, 乙]\n");
  assert_non_null(root);
  const jx_ynode *name = jx_ymap_get(root, "名称");
  assert_non_null(name);
  assert_string_equal(name->str, "道路");
  assert_int_equal(name->pos.col, 5); /* 名称: is 3 characters, 7 bytes */
  const jx_ynode *k = jx_ymap_get(root, "k");
  assert_int_equal(k->items[1]->pos.col, 8);
}

static void test_empty_document_is_null_scalar(void **state) {
  fixture *f = *state;
  jx_ynode *root = parse(f, "# only a comment\n");
  assert_non_null(root);
  assert_int_equal(root->kind, JX_YSCALAR);
  assert_true(root->is_null);
  assert_int_equal(f->diags.count, 0);
  root = parse(f, "");
  assert_non_null(root);
  assert_true(root->is_null);
}

static void test_bom_is_accepted(void **state) {
  fixture *f = *state;
  jx_ynode *root = parse(f, "\xEF\xBB\xBF"
                            "a: 1\n");
  assert_non_null(root);
  const jx_ynode *a = jx_ymap_get(root, "a");
  assert_non_null(a);
  assert_int_equal(a->pos.line, 1);
  assert_int_equal(a->pos.col, 4); /* the BOM takes no column */
}

/* A plain value followed by one space and '#' with text right after it
 * is noted as likely cut short by the comment; ordinary comments are
 * not. */
static void test_comment_cutting_a_value(void **state) {
  fixture *f = *state;
  jx_ynode *root = parse(f, "a: 对 #3 教学楼  \n" /* 1: cut */
                            "b: x  #note\n"       /* 2: two spaces */
                            "c: y # note\n"       /* 3: '# ' */
                            "d: 'q' #x\n"         /* 4: quoted */
                            "e: 第一行\n"
                            "  第二行 #4号\r\n" /* 6: last line */
                            "g:\n"
                            "  - 阳泉 #1\n" /* 8: a list item */
                            "h: z ##\n"     /* 9: '##' */
                            "i: 1 #\n");    /* 10: nothing after */
  assert_non_null(root);
  assert_int_equal(f->diags.count, 0);
  const jx_ynode *a = jx_ymap_get(root, "a");
  assert_string_equal(a->str, "对");
  assert_non_null(a->comment);
  assert_string_equal(a->comment, "#3 教学楼");
  assert_int_equal(a->comment_pos.line, 1);
  assert_int_equal(a->comment_pos.col, 6);
  assert_null(jx_ymap_get(root, "b")->comment);
  assert_null(jx_ymap_get(root, "c")->comment);
  assert_null(jx_ymap_get(root, "d")->comment);
  const jx_ynode *e = jx_ymap_get(root, "e");
  assert_string_equal(e->str, "第一行 第二行");
  assert_string_equal(e->comment, "#4号");
  assert_int_equal(e->comment_pos.line, 6);
  assert_int_equal(e->comment_pos.col, 7);
  const jx_ynode *g = jx_ymap_get(root, "g");
  assert_int_equal(g->kind, JX_YSEQ);
  assert_string_equal(g->items[0]->comment, "#1");
  assert_int_equal(g->items[0]->comment_pos.line, 8);
  assert_int_equal(g->items[0]->comment_pos.col, 8);
  assert_null(jx_ymap_get(root, "h")->comment);
  assert_null(jx_ymap_get(root, "i")->comment);
  for (size_t i = 0; i < root->count; i++)
    assert_null(root->keys[i]->comment);
}

/* The mistakes of a Chinese keyboard that libyaml reports lines later,
 * as a missing ':' or a misplaced key, are named on their own line. */
static void test_chinese_keyboard_syntax_errors(void **state) {
  fixture *f = *state;
  /* a full-width colon after a key */
  assert_null(parse(f, "project:\n"
                       "  name: x\n"
                       "  implementer：阳泉市城市管理局\n"
                       "  attribute: y\n"));
  assert_int_equal(f->diags.count, 1);
  expect_diag(f, 3, 3,
              "the key 'implementer' is followed by a full-width colon '：'");
  expect_diag(f, 3, 3,
              "type a half-width ':' and a space instead: "
              "'implementer: 阳泉市城市管理局'");
  jx_diag_list_free(&f->diags);
  /* … at the end of a mapping, with nothing after it */
  assert_null(parse(f, "project：\n"
                       "  name: x\n"));
  expect_diag(f, 1, 1, "instead: 'project:'");
  jx_diag_list_free(&f->diags);
  /* … the first key of a mapping: its value runs on to the next line */
  assert_null(parse(f, "funds:\n"
                       "  total：22487000\n"
                       "  central: 0\n"));
  assert_int_equal(f->diags.count, 1);
  expect_diag(f, 2, 3, "'total: 22487000'");
  jx_diag_list_free(&f->diags);
  /* indentation typed with full-width spaces (U+3000) */
  assert_null(parse(f, "project:\n"
                       "  name: x\n"
                       "\xE3\x80\x80\xE3\x80\x80implementer: y\n"
                       "  attribute: z\n"));
  assert_int_equal(f->diags.count, 1);
  expect_diag(f, 3, 1, "this line is indented with full-width spaces");
  expect_diag(f, 3, 1, "U+3000, 全角空格");
  jx_diag_list_free(&f->diags);
  /* a full-width colon inside a value is no key's: libyaml's message */
  assert_null(parse(f, "a: 其中：中央\n"
                       "  b: 1\n"));
  assert_int_equal(f->diags.count, 1);
  assert_null(strstr(f->diags.items[0].message, "full-width"));
  jx_diag_list_free(&f->diags);
  /* a paragraph's full-width indentation in a block scalar is text */
  jx_ynode *root = parse(f, "overview: |\n"
                            "  \xE3\x80\x80\xE3\x80\x80第一段：说明\n");
  assert_non_null(root);
  assert_int_equal(f->diags.count, 0);
}

static void test_alias_and_anchor_refused(void **state) {
  fixture *f = *state;
  assert_null(parse(f, "a: &x 1\nb: *x\n"));
  expect_diag(f, 1, 4, "anchors ('&x') are not allowed");
  expect_diag(f, 2, 4, "aliases ('*x') are not allowed");
}

static void test_duplicate_key(void **state) {
  fixture *f = *state;
  assert_null(parse(f, "a: 1\nb:\n  c: 1\n  c: 2\na: 3\n"));
  assert_int_equal(f->diags.count, 2);
  /* Reported in source order, each naming the first occurrence. */
  assert_int_equal(f->diags.items[0].line, 4);
  assert_int_equal(f->diags.items[0].column, 3);
  assert_non_null(strstr(f->diags.items[0].message,
                         "duplicate key 'c' (first given at line 3"));
  expect_diag(f, 5, 1, "duplicate key 'a' (first given at line 1, column 1)");
}

static void test_duplicate_keys_in_large_mapping(void **state) {
  fixture *f = *state;
  char text[4096] = "";
  for (int i = 0; i < 40; i++) {
    char line[32];
    snprintf(line, sizeof line, "k%d: %d\n", i, i);
    strcat(text, line);
  }
  strcat(text, "k7: again\n"); /* line 41 */
  assert_null(parse(f, text));
  assert_int_equal(f->diags.count, 1);
  expect_diag(f, 41, 1, "duplicate key 'k7' (first given at line 8");
}

static void test_non_scalar_key(void **state) {
  fixture *f = *state;
  assert_null(parse(f, "? [1, 2]\n: x\n"));
  expect_diag(f, 1, 3, "a key must be a scalar");
}

static void test_multiple_documents(void **state) {
  fixture *f = *state;
  assert_null(parse(f, "a: 1\n---\nb: 2\n"));
  expect_diag(f, 2, 1, "one YAML document");
}

/* `depth` nested flow sequences: "a: [[...]]". */
static char *nested(int depth) {
  char *text = malloc((size_t)depth * 2 + 8);
  assert_non_null(text);
  strcpy(text, "a: ");
  size_t n = 3;
  for (int i = 0; i < depth; i++)
    text[n++] = '[';
  for (int i = 0; i < depth; i++)
    text[n++] = ']';
  text[n++] = '\n';
  text[n] = '\0';
  return text;
}

static void test_depth_limit(void **state) {
  fixture *f = *state;
  /* The top mapping is one level: 63 sequences inside it fit. */
  char *ok = nested(JX_YAML_MAX_DEPTH - 1);
  assert_non_null(parse(f, ok));
  free(ok);
  char *deep = nested(JX_YAML_MAX_DEPTH);
  assert_null(parse(f, deep));
  expect_diag(f, 1, 4 + JX_YAML_MAX_DEPTH - 1,
              "nesting is deeper than the limit of 64 levels");
  free(deep);
}

static void test_syntax_errors(void **state) {
  fixture *f = *state;
  assert_null(parse(f, "a: b: c\n"));
  expect_diag(f, 1, 5, "syntax error: unexpected ':'");

  assert_null(parse(f, "a: 1\nb: \"open\nc: 2\n"));
  expect_diag(f, 4, 1, "closing quote is missing");
  /* the parser's own words are the detail, not the message */
  {
    const jx_diagnostic *d = &f->diags.items[f->diags.count - 1];
    assert_null(strstr(d->message, "libyaml"));
    assert_non_null(d->detail);
    assert_non_null(strstr(d->detail, "it started at line 2, column 4"));
  }

  assert_null(parse(f, "a:\n  b: 1\n c: 2\n"));
  expect_diag(f, 3, 2, "check the indentation");

  assert_null(parse(f, "a: @x\n"));
  expect_diag(f, 1, 4, "put the value in quotes");
}

/* A value that starts with '!' (a tag), a line that starts with '? '
 * (a key's mark) or '%' (a directive): YAML reads them as its own signs,
 * so each is a syntax error that says to put the value in quotes, at the
 * sign. */
static void test_signs_that_need_quotes(void **state) {
  fixture *f = *state;
  static const struct {
    const char *text;
    unsigned line, col;
    const char *part;
  } cases[] = {
      /* tags libyaml cannot read ... */
      {"a: 1\nplan: !重要\n", 2, 7,
       "a value that starts with '!' must be put in quotes"},
      {"plan: !!重要\n", 1, 7,
       "a value that starts with '!' must be put in quotes"},
      {"k: [1, !重要]\n", 1, 8,
       "a value that starts with '!' must be put in quotes"},
      /* ... and those it reads, leaving them out of the text */
      {"plan: !important 事项\n", 1, 7,
       "a value that starts with '!' must be put in quotes (without quotes "
       "YAML reads '!' as the name of a type, not as text)"},
      {"plan: ! 事项\n", 1, 7,
       "a value that starts with '!' must be put in quotes"},
      {"plan: !<x> 事项\n", 1, 7,
       "a value that starts with '!' must be put in quotes"},
      {"plan: !x\n  a: 1\n", 1, 7,
       "a value that starts with '!' must be put in quotes"},
      /* '? ' starting a line */
      {"plan: 无\n? 待定\n", 2, 1,
       "syntax error: a line that starts with '? ' must be put in quotes "
       "(without quotes YAML reads '? ' as the mark of a key, not as text); "
       "indent the lines of a value under its key"},
      {"plan:\n  ? 待定\n", 2, 3,
       "a line that starts with '? ' must be put in quotes"},
      {"plan:\n  - ?  待定\n", 2, 5,
       "a line that starts with '? ' must be put in quotes"},
      /* '%' starting a line */
      {"plan: 无\n%完成率\n", 2, 1,
       "syntax error: a line that starts with '%' must be put in quotes "
       "(without quotes YAML reads a '%' at the start of a line as a "
       "setting for the whole file); indent the lines of a value under "
       "its key"},
      {"plan: 第一步\n%TAG 第二步\n", 2, 1,
       "a line that starts with '%' must be put in quotes"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    jx_diag_list_free(&f->diags);
    assert_null(parse(f, cases[i].text));
    expect_diag(f, cases[i].line, cases[i].col, cases[i].part);
    if (f->diags.count != 1)
      fail_msg("'%s': %zu diagnostics", cases[i].text, f->diags.count);
  }
  /* YAML's own tags and a directive where one belongs are read */
  static const char *const fine[] = {
      "code: !!str 045\n", "%YAML 1.1\n---\na: 1\n", "a: 为什么? 待定\n",
      "a: 无\n  ? 待定\n", "a: \"? 待定\"\n",        "a: 100%\n",
      "a: '!重要'\n"};
  for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
    jx_diag_list_free(&f->diags);
    jx_ynode *root = parse(f, fine[i]);
    if (!root || f->diags.count)
      fail_msg("'%s' is refused", fine[i]);
  }
  jx_diag_list_free(&f->diags);
  assert_string_equal(jx_ymap_get(parse(f, "code: !!str 045\n"), "code")->str,
                      "045");
  /* the key after '? ' stands at the '?', so that the loader, which
   * reports unknown keys there, says nothing more */
  jx_diag_list_free(&f->diags);
  bool complete;
  const char *text = "plan: 无\n? 待定\n";
  jx_ynode *root = jx_yaml_parse_partial(&f->arena, &f->diags, "t.yaml", text,
                                         strlen(text), &complete);
  assert_non_null(root);
  assert_int_equal(root->count, 2);
  assert_int_equal(root->keys[1]->pos.line, 2);
  assert_int_equal(root->keys[1]->pos.col, 1);
}

/* Asserts that the only diagnostic is a [text-space] warning at
 * line:col between `before` and `after`. */
static void expect_fold(const fixture *f, unsigned line, unsigned col,
                        const char *before, const char *after) {
  char part[64];
  snprintf(part, sizeof part, "space between '%s' and '%s'", before, after);
  if (f->diags.count != 1)
    for (size_t i = 0; i < f->diags.count; i++)
      fprintf(stderr, "  have %u:%u: %s\n", f->diags.items[i].line,
              f->diags.items[i].column, f->diags.items[i].message);
  assert_int_equal(f->diags.count, 1);
  const jx_diagnostic *d = &f->diags.items[0];
  assert_int_equal(d->severity, JX_SEV_WARNING);
  assert_int_equal(d->line, line);
  assert_int_equal(d->column, col);
  assert_non_null(strstr(d->message, part));
  assert_non_null(strstr(d->message, "write the value on one line"));
  assert_string_equal(d->rule, "text-space");
}

/* A project value written over several lines with a line break next to
 * Chinese punctuation: YAML joins the lines with a space, which prints as
 * a gap ("…恢复， 破路…").  A warning at the line after the break, in a
 * project file (jx_yaml_parse_partial) only. */
static void test_line_break_next_to_punctuation(void **state) {
  fixture *f = *state;
  bool complete;
  static const struct {
    const char *text;
    unsigned line, col;
    const char *before, *after;
  } cases[] = {
      {"overview: 对道路进行掘路恢复，\n  破路恢复面积约29000平米；\n", 2, 3,
       "，", "破"},
      {"overview: 对道路进行掘路恢复\n  （含破路）\n", 2, 3, "复", "（"},
      {"overview: 情况如下：\n  2025年完成\n", 2, 3, "：", "2"},
      {"overview: 称为\n    “智慧城市”\n", 2, 5, "为", "“"},
      {"a: 1\noverview: \"恢复。\n  破路\"\n", 3, 3, "。", "破"},
      {"overview: '恢复、\n  破路'\n", 2, 3, "、", "破"},
      {"- {a: 恢复；\n   破路}\n", 2, 4, "；", "破"},
      /* the first break of a value is said */
      {"overview: 甲，\n  乙，\n  丙\n", 2, 3, "，", "乙"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    jx_diag_list_free(&f->diags);
    const char *text = cases[i].text;
    assert_non_null(jx_yaml_parse_partial(&f->arena, &f->diags, "t.yaml", text,
                                          strlen(text), &complete));
    assert_true(complete);
    expect_fold(f, cases[i].line, cases[i].col, cases[i].before,
                cases[i].after);
  }
  static const char *const fine[] = {
      /* typed on one line: as the writer meant it */
      "overview: 恢复， 破路\n",
      /* between two Chinese characters: validate.c's, by field */
      "overview: 道路\n  恢复\n",
      /* no Chinese */
      "overview: Road works (phase\n  2)\n",
      /* a blank line is a line break, not a space */
      "overview: 恢复，\n\n  破路\n",
      /* '\' at the end of a double-quoted line joins without a space */
      "overview: \"恢复，\\\n  破路\"\n",
      /* a literal block keeps its line breaks */
      "overview: |\n  恢复，\n  破路\n",
      /* keys are not values */
      "? 恢复，\n  破路\n: 1\n"};
  for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
    jx_diag_list_free(&f->diags);
    jx_yaml_parse_partial(&f->arena, &f->diags, "t.yaml", fine[i],
                          strlen(fine[i]), &complete);
    for (size_t k = 0; k < f->diags.count; k++)
      if (f->diags.items[k].rule)
        fail_msg("'%s': %s", fine[i], f->diags.items[k].message);
  }
  /* not in a template (jx_yaml_parse) */
  jx_diag_list_free(&f->diags);
  assert_non_null(parse(f, cases[0].text));
  assert_int_equal(f->diags.count, 0);
  /* not after a syntax error: an unclosed quote runs over lines that are
   * no value's */
  jx_diag_list_free(&f->diags);
  const char *runaway = "plan: \"无\n\ngoals:\n  period: 保障。\n  "
                        "annual: 保障。\nx: \"a\"b\n";
  jx_yaml_parse_partial(&f->arena, &f->diags, "t.yaml", runaway,
                        strlen(runaway), &complete);
  assert_false(complete);
  for (size_t k = 0; k < f->diags.count; k++)
    assert_int_not_equal(f->diags.items[k].severity, JX_SEV_WARNING);
}

static void test_tab_indentation(void **state) {
  fixture *f = *state;
  assert_null(parse(f, "a: 1\nb:\n\tc: 2\n"));
  assert_int_equal(f->diags.count, 1);
  expect_diag(f, 3, 1,
              "tab characters are not allowed for indentation; use spaces");
}

static void test_tab_after_spaces(void **state) {
  fixture *f = *state;
  assert_null(parse(f, "a:\n  b: 1\n  \tc: 2\n"));
  expect_diag(f, 3, 3,
              "tab characters are not allowed for indentation; use spaces");
}

/* libyaml's mark index counts characters; the tab must still be found
 * after multi-byte text. */
static void test_tab_after_chinese_text(void **state) {
  fixture *f = *state;
  assert_null(parse(f, "名称: 道路挖掘修复费\nb:\n\tc: 2\n"));
  assert_int_equal(f->diags.count, 1);
  expect_diag(f, 3, 1,
              "tab characters are not allowed for indentation; use spaces");
}

static void test_invalid_utf8(void **state) {
  fixture *f = *state;
  assert_null(parse(f, "a: 1\nb: \xE4\xB8\xAD\xFF\n"));
  expect_diag(f, 2, 5, "invalid UTF-8: byte 0xFF");

  assert_null(parse(f, "a: \xE4\xB8x\n")); /* truncated 3-byte sequence */
  expect_diag(f, 1, 4, "byte 3 is 0x78");

  assert_null(parse(f, "a: \xC0\xAF\n")); /* overlong '/' */
  expect_diag(f, 1, 4, "invalid UTF-8");

  assert_null(parse(f, "a: \xED\xA0\x80\n")); /* a surrogate */
  expect_diag(f, 1, 4, "surrogate");

  assert_null(parse(f, "a: \xE4\xB8")); /* ends mid-character */
  expect_diag(f, 1, 4, "ends in the middle of a character");
}

static void test_control_character(void **state) {
  fixture *f = *state;
  assert_null(parse(f, "a: x\x01y\n"));
  expect_diag(f, 1, 5, "control character U+0001");
}

static void test_nul_in_quoted_string(void **state) {
  fixture *f = *state;
  assert_null(parse(f, "a: \"x\\0y\"\n"));
  expect_diag(f, 1, 4, "NUL character");
}

static void test_all_semantic_errors_reported(void **state) {
  fixture *f = *state;
  assert_null(parse(f, "a: 1\n"
                       "b: &anchor 2\n"
                       "c: *anchor\n"
                       "a: 4\n"
                       "? {k: v}\n"
                       ": 5\n"));
  assert_int_equal(f->diags.count, 4);
  /* In source order. */
  assert_int_equal(f->diags.items[0].line, 2);
  assert_int_equal(f->diags.items[1].line, 3);
  assert_int_equal(f->diags.items[2].line, 4);
  assert_int_equal(f->diags.items[3].line, 5);
  expect_diag(f, 4, 1, "duplicate key 'a'");
  expect_diag(f, 5, 3, "a key must be a scalar");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_tree_and_positions, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_chinese_columns_count_characters,
                                      fixture_setup, fixture_teardown),
      cmocka_unit_test_setup_teardown(test_empty_document_is_null_scalar,
                                      fixture_setup, fixture_teardown),
      cmocka_unit_test_setup_teardown(test_bom_is_accepted, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_comment_cutting_a_value,
                                      fixture_setup, fixture_teardown),
      cmocka_unit_test_setup_teardown(test_chinese_keyboard_syntax_errors,
                                      fixture_setup, fixture_teardown),
      cmocka_unit_test_setup_teardown(test_alias_and_anchor_refused,
                                      fixture_setup, fixture_teardown),
      cmocka_unit_test_setup_teardown(test_duplicate_key, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_duplicate_keys_in_large_mapping,
                                      fixture_setup, fixture_teardown),
      cmocka_unit_test_setup_teardown(test_non_scalar_key, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_multiple_documents, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_depth_limit, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_syntax_errors, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_signs_that_need_quotes,
                                      fixture_setup, fixture_teardown),
      cmocka_unit_test_setup_teardown(test_line_break_next_to_punctuation,
                                      fixture_setup, fixture_teardown),
      cmocka_unit_test_setup_teardown(test_tab_indentation, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_tab_after_spaces, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_tab_after_chinese_text,
                                      fixture_setup, fixture_teardown),
      cmocka_unit_test_setup_teardown(test_invalid_utf8, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_control_character, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_nul_in_quoted_string, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_all_semantic_errors_reported,
                                      fixture_setup, fixture_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
