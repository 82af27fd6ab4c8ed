/*
 * test_text.c — fonts.c and text.c: face loading, widths, line breaking
 * and the checks before drawing.
 *
 * The breaking tests replay paragraphs of the original 阳泉 forms
 * (/work/shared/seed, tools/seed-wraps.tsv): each case is a cell's content
 * width in em at 8 pt (FORM-SPEC §3) and the lines the original printed;
 * the text is the lines joined, and breaking it must give the same lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fonts.h"
#include "text.h"

#define SIZE 8.0 /* body font size, points */

typedef struct fixture {
  jx_fonts fonts;
  jx_measure ms; /* over fonts */
  jx_diag_list diags;
  uint16_t uming, hana_a;
  uint16_t chain_faces[2];
  jx_font_chain body;     /* uming alone */
  jx_font_chain fallback; /* uming, HanaMinA */
  jx_break_rules rules;   /* the 阳泉 rules */
} fixture;

static const jx_pos here = {"test.yaml", 1, 1};

static int setup(void **state) {
  fixture *fx = calloc(1, sizeof *fx);
  if (!fx || !jx_fonts_init(&fx->fonts))
    return -1;
  jx_measure_init(&fx->ms, &fx->fonts);
  int u = jx_fonts_load(&fx->fonts, &fx->diags, here, "AR PL UMing CN");
  int h = jx_fonts_load(&fx->fonts, &fx->diags, here, "HanaMinA");
  if (u < 0 || h < 0)
    return -1;
  fx->uming = (uint16_t)u;
  fx->hana_a = (uint16_t)h;
  fx->chain_faces[0] = fx->uming;
  fx->chain_faces[1] = fx->hana_a;
  fx->body = (jx_font_chain){fx->chain_faces, 1, SIZE, false};
  fx->fallback = (jx_font_chain){fx->chain_faces, 2, SIZE, false};
  fx->rules = (jx_break_rules){"，；。、：！？", "", 100, 51, false};
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  fixture *fx = *state;
  jx_measure_free(&fx->ms);
  jx_fonts_free(&fx->fonts);
  jx_diag_list_free(&fx->diags);
  free(fx);
  return 0;
}

/* ------------------------------------------------------------------ */
/* Fonts                                                                */

static void test_load_family(void **state) {
  fixture *fx = *state;
  const jx_face *f = &fx->fonts.faces[fx->uming];
  assert_string_equal(f->path, "/usr/share/fonts/truetype/arphic/uming.ttc");
  assert_int_equal(f->index, 0);
  assert_string_equal(f->family, "AR PL UMing CN");
  assert_int_equal(f->upem, 1024);
  assert_non_null(f->ft);
  assert_non_null(f->hb);
  /* the same spec, another spelling of the family, and the file itself
   * all give the same face */
  size_t before = fx->fonts.count;
  assert_int_equal(
      jx_fonts_load(&fx->fonts, &fx->diags, here, "AR PL UMing CN"), fx->uming);
  assert_int_equal(
      jx_fonts_load(&fx->fonts, &fx->diags, here, "ar pl uming cn"), fx->uming);
  assert_int_equal(
      jx_fonts_load(&fx->fonts, &fx->diags, here,
                    "/usr/share/fonts/truetype/arphic/uming.ttc#0"),
      fx->uming);
  assert_int_equal(fx->fonts.count, before);
  /* face 2 of the collection is another face: AR PL UMing TW */
  int tw = jx_fonts_load(&fx->fonts, &fx->diags, here,
                         "/usr/share/fonts/truetype/arphic/uming.ttc#2");
  assert_true(tw >= 0);
  assert_string_equal(fx->fonts.faces[tw].family, "AR PL UMing TW");
  assert_int_equal(fx->fonts.faces[tw].index, 2);
  int b = jx_fonts_load(&fx->fonts, &fx->diags, here, "HanaMinB");
  assert_true(b >= 0);
  assert_string_equal(fx->fonts.faces[b].family, "HanaMinB");
  assert_int_equal(fx->diags.errors, 0);
}

/* Returns the message of the last diagnostic. */
static const char *last_message(const fixture *fx) {
  assert_true(fx->diags.count > 0);
  return fx->diags.items[fx->diags.count - 1].message;
}

static void test_load_errors(void **state) {
  fixture *fx = *state;
  size_t errors = fx->diags.errors;
  /* no silent substitution: a near miss of an installed family fails */
  assert_int_equal(jx_fonts_load(&fx->fonts, &fx->diags, here, "AR PL UMing"),
                   -1);
  assert_string_equal(
      last_message(fx),
      "font family 'AR PL UMing' is not installed (install the Debian "
      "package that provides it, e.g. fonts-arphic-uming for AR PL UMing "
      "CN, or name a font file in the template; 'fc-list :lang=zh family' "
      "lists the Chinese families installed)");
  assert_int_equal(jx_fonts_load(&fx->fonts, &fx->diags, here, "SimSun"), -1);
  assert_non_null(strstr(last_message(fx), "'SimSun' is not installed"));
  /* a missing file, a file that is not a font, an index past the end */
  assert_int_equal(
      jx_fonts_load(&fx->fonts, &fx->diags, here, "/nonexistent/x.ttf"), -1);
  assert_non_null(strstr(last_message(fx), "/nonexistent/x.ttf"));
  assert_int_equal(jx_fonts_load(&fx->fonts, &fx->diags, here,
                                 JX_SOURCE_DIR "/CMakeLists.txt"),
                   -1);
  assert_non_null(strstr(last_message(fx), "CMakeLists.txt"));
  assert_non_null(strstr(last_message(fx), "not a font file"));
  assert_int_equal(
      jx_fonts_load(&fx->fonts, &fx->diags, here,
                    "/usr/share/fonts/truetype/arphic/uming.ttc#7"),
      -1);
  assert_non_null(strstr(last_message(fx), "face index 7 is out of range"));
  assert_int_equal(fx->diags.errors, errors + 5);
}

/* A TrueType file whose 'glyf' and 'loca' tables are renamed stands in
 * for a CFF font (none is installed here): libharu could not embed it. */
static void test_load_no_outlines(void **state) {
  fixture *fx = *state;
  FILE *in = fopen("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "rb");
  if (!in)
    skip();
  static unsigned char data[1 << 21];
  size_t n = fread(data, 1, sizeof data, in);
  fclose(in);
  assert_true(n > 12 && n < sizeof data);
  unsigned tables = (unsigned)data[4] << 8 | data[5];
  for (unsigned i = 0; i < tables; i++) {
    unsigned char *tag = data + 12 + 16 * i;
    if (memcmp(tag, "glyf", 4) == 0 || memcmp(tag, "loca", 4) == 0)
      tag[0] = 'x';
  }
  char path[] = "/tmp/jx-test-text-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *out = fdopen(fd, "wb");
  assert_non_null(out);
  assert_int_equal(fwrite(data, 1, n, out), n);
  fclose(out);
  assert_int_equal(jx_fonts_load(&fx->fonts, &fx->diags, here, path), -1);
  remove(path);
  assert_non_null(strstr(last_message(fx), path));
  assert_non_null(strstr(last_message(fx), "has no TrueType outlines"));
}

static void test_face_metrics(void **state) {
  fixture *fx = *state;
  assert_true(jx_face_has_char(&fx->fonts, fx->uming, 0x4E2D));  /* 中 */
  assert_false(jx_face_has_char(&fx->fonts, fx->uming, 0x3400)); /* 㐀 */
  assert_true(jx_face_has_char(&fx->fonts, fx->hana_a, 0x3400));
  assert_int_equal(jx_face_advance(&fx->fonts, fx->uming, 0x4E2D), 1024);
  assert_int_equal(jx_face_advance(&fx->fonts, fx->uming, 'A'), 512);
  assert_int_equal(jx_face_advance(&fx->fonts, fx->uming, 0x3400), 0);
  /* the measuring context gives the same, remembered in the context
   * (the face table is not written to) */
  assert_true(jx_measure_has_char(&fx->ms, fx->uming, 0x4E2D));
  assert_false(jx_measure_has_char(&fx->ms, fx->uming, 0x3400));
  assert_true(jx_measure_has_char(&fx->ms, fx->hana_a, 0x3400));
  assert_int_equal(jx_measure_advance(&fx->ms, fx->uming, 0x4E2D), 1024);
  assert_int_equal(jx_measure_advance(&fx->ms, fx->uming, 'A'), 512);
  assert_int_equal(jx_measure_advance(&fx->ms, fx->uming, 0x3400), 0);
  assert_true(fx->ms.memo_count > fx->uming);
  assert_int_equal((int16_t)~fx->ms.memo[fx->uming].advance[0x4E2D], 1024);
  assert_int_equal(jx_measure_advance(&fx->ms, fx->uming, 0x4E2D), 1024);
}

/* ------------------------------------------------------------------ */
/* Widths                                                               */

static double width_of(fixture *fx, const char *s) {
  return jx_text_width(&fx->ms, &fx->body, s, strlen(s));
}

static void test_widths(void **state) {
  fixture *fx = *state;
  assert_float_equal(width_of(fx, "中"), 8.0, 1e-9);
  assert_float_equal(width_of(fx, "项目支出绩效目标表"), 72.0, 1e-9);
  assert_float_equal(width_of(fx, "A"), 4.0, 1e-9); /* drawn: 0.5 em */
  assert_float_equal(width_of(fx, "34,060,000"), 40.0, 1e-9);
  assert_float_equal(width_of(fx, "“≥≤＞”"), 40.0, 1e-9);
  assert_float_equal(width_of(fx, "≥95%"), 20.0, 1e-9);
  assert_float_equal(width_of(fx, ""), 0.0, 1e-9);
  /* fallback: 㐀 comes from HanaMinA (1 em there too) */
  assert_float_equal(jx_text_width(&fx->ms, &fx->fallback, "中㐀a", 7), 20.0,
                     1e-9);
}

/* ------------------------------------------------------------------ */
/* Breaking                                                             */

/* Breaks the concatenation of `expected` at `em` em (8 pt) and checks
 * that it gives exactly those lines; on a mismatch prints both. */
static void check_lines(fixture *fx, double em, const jx_font_chain *chain,
                        const char *const *expected, size_t n) {
  char text[8192];
  size_t len = 0;
  for (size_t i = 0; i < n; i++) {
    size_t m = strlen(expected[i]);
    assert_true(len + m < sizeof text);
    memcpy(text + len, expected[i], m);
    len += m;
  }
  text[len] = '\0';
  jx_arena arena;
  jx_arena_init(&arena);
  jx_line *lines;
  size_t count = jx_text_break(&fx->ms, &arena, text, len, chain, em * SIZE,
                               &fx->rules, &lines);
  bool same = count == n;
  for (size_t i = 0; same && i < n; i++)
    same = lines[i].end - lines[i].start == strlen(expected[i]) &&
           memcmp(text + lines[i].start, expected[i], strlen(expected[i])) == 0;
  if (!same) {
    print_message("at %.2f em, expected %zu lines:\n", em, n);
    for (size_t i = 0; i < n; i++)
      print_message("  [%s]\n", expected[i]);
    print_message("got %zu:\n", count);
    for (size_t i = 0; i < count; i++)
      print_message("  [%.*s]\n", (int)(lines[i].end - lines[i].start),
                    text + lines[i].start);
  }
  /* no line is wider than the cell when drawn */
  for (size_t i = 0; i < count; i++)
    assert_true(lines[i].width <= em * SIZE + 1e-9);
  jx_arena_free(&arena);
  assert_true(same);
}

#define LINES(em, ...)                                                         \
  do {                                                                         \
    static const char *const expect_[] = {__VA_ARGS__};                        \
    check_lines(fx, em, &fx->body, expect_,                                    \
                sizeof expect_ / sizeof expect_[0]);                           \
  } while (0)

/* Content widths of the cells (FORM-SPEC §3), em. */
#define WIDE 47.01
#define GOAL_PERIOD 36.30
#define GOAL_ANNUAL 22.95
#define L2 6.85
#define L3 11.25
#define R2 7.80
#define R3 7.05
#define RVALUE 7.10
#define ORG_DEPT 19.50
#define ORG_IMPL 14.50
#define FUND_PERIOD 11.00
#define FUND_ANNUAL 12.50

/* The wide value cells (项目概况, 立项依据, ...): 47.01 em. */
static void test_seed_wide(void **state) {
  fixture *fx = *state;
  /* form 1 项目概况: digit runs like 173.02km stay whole */
  LINES(WIDE,
        "1、道路设施日常养护维修：市内83条、华阳117条、漾泉大道等3条，工作"
        "内容包括为保持道路功能和设施",
        "完好所进行的日常小修保养；2、道路照明设施日常养护维修：市内约7787盏"
        "、华阳约1989盏、漾泉大道等",
        "三路2324盏，工作内容主要包括城市道路照明变配电设施、照明线路设施及"
        "照明设施的日常小修维护；3、",
        "排水管渠等设施日常养护维修：市内173.02km、华阳38.19km、漾泉大道等"
        "三路100.07km，工作内容主要包",
        "括包括排水管渠的疏通、排水井室清掏、设施运行正常损耗的局部井室维修"
        "及井盖更换以及设施的防汛工",
        "作；4、桥涵等结构设施日常养护维修：（1）桥梁：市区24座、华阳32座"
        "、漾泉大道等三路4座；（2）隧",
        "道：市区2座；（3）行人涵：市区3座；（4）地下通道：市区9座；（5）箱"
        "涵通道：漾泉大道等三路9座；",
        "工作内容包括为保证设施完好状态所对城市桥梁及附属设施进行日常保养和"
        "修补其轻微损害部分的小修保",
        "养；5、 其他设施养护工作：包括以上道路、排水、桥梁及道路照明设施的"
        "日常巡检，道路照明设施电费",
        "的核表及缴纳工作，桃北西街（赛鱼桥-阳泉高速西收费站）、义泉街及平定"
        "路3条道路标线，桃河景观水",
        "面118个蓄水池的日常保洁及清淤，桥梁等结构设施定期结构性检测。");
  /* form 1 立项依据: an opening bracket ends a line, a closing one starts
   * one, and ； pulls 》 down with it */
  LINES(WIDE,
        "1、市区：按照政府购买服务政策，按2019年底预算安排金额为基数核定； "
        "2、阳财评审字【2021】9号《",
        "阳泉市财政预算评审中心关于报送阳泉市城市管理局华阳集团移交项目年运"
        "营费用项目预算评审报告的函",
        "》； 3、阳财评审字【2022】4号《阳泉市财政预算评审中心关于报送阳泉"
        "市城市管理局漾泉大道（一期、",
        "二期）、宁波北路、平阳街（一期）道路管护费用项目预算评审报告的函》"
        "。");
  LINES(WIDE,
        "1、《养护维修管理规定》；2、《巡查管理规定》；3、内部作业指导书；4"
        "、劳务、材料、设备等管理规",
        "定；");
  LINES(WIDE,
        "对203条道路设施、83座桥涵等结构设施、311km排水设施、12100盏等照明设"
        "施以及118个桃河蓄水池管护",
        "清淤、三路保洁、桥梁定期检测、桥梁和照明日常保洁内容等进行日常管护"
        "保养维修。");
  /* form 3 项目概况 */
  LINES(WIDE,
        "阳泉市公共交通有限责任公司是承担着社会公益性和政府指令性义务的公交"
        "企业，执行政府指令性低票价，",
        "零票价格低于成本价格造成公司每年减收额巨大，导致企业运行资金严重短"
        "缺。2011年报市政府批准每年",
        "给与公交公司一定的财政补贴。按照国家公交都市创建要求，2024年据第三"
        "方交通运输部交科院专家测",
        "算，目前，保障我市公共服务不中断的最低补贴需求为10000万元/年。");
  LINES(WIDE,
        "2011年经政府批准，根据国发【2012】64号、交运发【2013】368号、晋政办"
        "发【2012】23号，对公共交通",
        "有限责任公司的公益性减收在市级重点支出项目预算中给与财政补贴。");
  /* form 3 项目实施计划: IC卡 moves whole with 生 */
  LINES(WIDE,
        "公交政策性亏损补贴包括：零票价格低于成本价形成的减收、实行成人IC卡"
        "优惠票价形成的减收、实行学",
        "生IC卡优惠票价形成的减收、实行普通月票卡优惠票价形成的减收、65岁以"
        "上老年人、现役军人、残疾人",
        "等12类免费群体乘车形成的减收等。");
  /* form 4: ASCII ( after 》, 1.2万元 moves whole */
  LINES(WIDE,
        "按照《关于进一步做好村级组织运转经费保障工作的通知》(晋组通字[2020]"
        "35号）和《关于进一步加强村",
        "级组织运转经费保障工作的通知》（晋组通字[2024]23号）要求，申请市级"
        "财政为全市620个村每村补助",
        "1.2万元组织运转经费，市财政共需安排744万元。");
  /* form 5 项目概况: “ ends a line's last unit */
  LINES(WIDE,
        "1.人才政策补贴、奖励经费；“漾泉英才”计划奖励支持经费；“高校博士阳"
        "泉服务”工作经费；省派科",
        "技博士服务团工作经费；《中国人才》杂志订阅经费；人才政策印制、宣传"
        "工作经费；人才工作相关会议活",
        "动经费。2.“人到山西好风光”人才宣介宣传资料费用、2024年下半年人才"
        "补贴补助、2025年上半年人才",
        "补贴补助、高层次人才体检、阳泉市人才服务信息化建设、急需紧缺人才引"
        "进、“带编入企”急需紧缺人才",
        "引进、青年人才联谊会、驻外人才工作站、“双招双引”工作站、青年人才"
        "沙龙、2024年开展各类培训、",
        "人才工作驿站建设运营、青年人才风采展演系列活动、阳泉人才文创产品的"
        "设计制作。3.省校合作工作经",
        "费。");
  /* form 5 立项依据: ASCII , after 》 */
  LINES(WIDE,
        "《关于加强新时代人才培养引进工作的若干措施（试行）》,《阳泉市教育"
        "领域人才队伍建设专项支持措施",
        "（试行）》（拟出台）和《阳泉市数字人才发展专项支持措施（试行）》（"
        "拟出台）《阳泉市科技博士服务",
        "团成员管理服务办法（试行）》");
  /* form 5 项目设立必要性 */
  LINES(WIDE,
        "根据《关于加强新时代人才培养引进工作的若干措施（试行）》,《阳泉市"
        "教育领域人才队伍建设专项支持",
        "措施（试行）》（拟出台）和《阳泉市数字人才发展专项支持措施（试行）"
        "》（拟出台）《阳泉市科技博士",
        "服务团成员管理服务办法（试行）》,1.人才政策补贴、奖励经费；“漾泉英"
        "才”计划奖励支持经费；“高",
        "校博士阳泉服务”工作经费；省派科技博士服务团工作经费；《中国人才》"
        "杂志订阅经费；人才政策印制、",
        "宣传工作经费；人才工作相关会议活动经费。2.“人到山西好风光”人才宣"
        "介宣传资料费用、2024年下半",
        "年人才补贴补助、2025年上半年人才补贴补助、高层次人才体检、阳泉市人"
        "才服务信息化建设、急需紧缺",
        "人才引进、“带编入企”急需紧缺人才引进、青年人才联谊会、驻外人才工"
        "作站、“双招双引”工作站、青",
        "年人才沙龙、2024年开展各类培训、人才工作驿站建设运营、青年人才风采"
        "展演系列活动、阳泉人才文创",
        "产品的设计制作。3.省校合作工作经费。");
  /* form 6: 110 and 元 may part */
  LINES(WIDE,
        "1、按照《阳泉生活垃圾焚烧发电项目特许经营合同》，甲方同意向乙方支付"
        "垃圾处理费暂定为人民币110",
        "元/吨，由于甲方垃圾供应不足550吨/日，按550吨/日结算，超过550吨/日"
        "按实际供应的垃圾量结算。");
  LINES(WIDE,
        "阳泉生活垃圾焚烧发电项目特许经营合同，阳泉市人民政府办文第Q-055号，"
        "市住建局《关于签订垃圾焚烧",
        "发电项目特许经营合同和暂定垃圾补贴价格的请示》（阳建环字〔2018〕24"
        "号）。");
  /* one-line values stay on one line */
  LINES(WIDE, "主要为保障城市市政设施能够满足正常运行。");
  LINES(WIDE, "为了维持企业的正常运转，缓解运营资金的紧张局面，更好地满足广大"
              "市民的出行需求。");
}

/* 总体目标: 实施期 36.30 em and 年度 22.95 em. */
static void test_seed_goals(void **state) {
  fixture *fx = *state;
  LINES(GOAL_PERIOD,
        "对203条道路设施、83座桥涵等结构设施、311km排水设施、12100盏等照明设"
        "施以",
        "及118个桃河蓄水池管护清淤、三路保洁、桥梁定期检测、桥梁和照明日常保"
        "洁内",
        "容等进行日常管护保养维修。");
  /* …减 / 收，: ， never starts a line and takes 收 with it */
  LINES(GOAL_PERIOD,
        "由于公交的公益性质，公交公司每年亏损严重。政策性亏损补贴主要用于零"
        "票价格",
        "低于成本价形成的减收，实行成人IC卡优惠票价形成的减收，实行学生IC卡"
        "优惠票",
        "价形成的减收，65岁以上老年人、残疾人、现役军人等12类免费群体乘车形"
        "成的减",
        "收，确保满足广大居民的乘车需求。2024年公交车实际行驶里程2994万公里"
        "，客运",
        "量达9297万人次，但实际票款收入仅为5903万元，政策性亏损额巨大，造成"
        "公司运",
        "营资金严重短缺。");
  LINES(GOAL_PERIOD,
        "做好村级组织运转经费保障工作，保障村级组织高效运转，有利于基层组织"
        "提质增",
        "效，有利于基础工作深化根植，有利于基本能力全年提升，促进我市三基建"
        "设工作",
        "抓好抓常，抓实抓优。");
  LINES(GOAL_PERIOD,
        "落实市委市政府关于人才工作的要求，全面深化人才发展体制机制改革，通"
        "过多种",
        "方式培养引进优秀人才，为阳泉的经济发展提供人才保障。");
  LINES(GOAL_PERIOD,
        "每年按照《阳泉生活垃圾焚烧发电项目特许经营合同》，甲方同意向乙方支"
        "付垃圾",
        "处理费暂定为人民币110元／吨，由于甲方垃圾供应不足550吨／日，按550吨"
        "／日",
        "结算，超过550吨／日按实际供应的垃圾量结算，预计焚烧垃圾200750吨。确"
        "保城",
        "市建成区生活垃圾全部焚烧无害化处理。");

  LINES(GOAL_ANNUAL, "对203条道路设施、83座桥涵等结构设施、311km排",
        "水设施、12100盏等照明设施以及118个桃河蓄水池",
        "管护清淤、三路保洁、桥梁定期检测、桥梁和照明",
        "日常保洁内容等进行日常管护保养维修。");
  LINES(GOAL_ANNUAL, "由于公交的公益性质，公交公司亏损严重。政策性",
        "亏损补贴主要用于零票价格低于成本价形成的减",
        "收，实行成人IC卡优惠票价形成的减收，实行学生",
        "IC卡优惠票价形成的减收，65岁以上老年人、残疾",
        "人、现役军人等12类免费群体乘车形成的减收，确",
        "保满足广大居民的乘车需求。2025年公交车行驶里",
        "程预计大于2800万公里，客运量预计超过8000万人",
        "次，票款收入预计超过5500万元。");
  LINES(GOAL_ANNUAL, "做好村级组织运转经费保障工作，保障村级组织高",
        "效运转，有利于基层组织提质增效，有利于基础工",
        "作深化根植，有利于基本能力全年提升，促进我市",
        "三基建设工作抓好抓常，抓实抓优。");
  LINES(GOAL_ANNUAL, "落实市委市政府关于人才工作的要求，全面深化人",
        "才发展体制机制改革，通过多种方式培养引进优秀",
        "人才，为阳泉的经济发展提供人才保障。");
  LINES(GOAL_ANNUAL, "每年按照《阳泉生活垃圾焚烧发电项目特许经营合",
        "同》，甲方同意向乙方支付垃圾处理费暂定为人民",
        "币110元／吨，由于甲方垃圾供应不足550吨／日，",
        "按550吨／日结算，超过550吨／日按实际供应的垃",
        "圾量结算，预计焚烧垃圾200750吨。确保城市建成",
        "区生活垃圾全部焚烧无害化处理。");
}

/* The indicator grid's narrow cells. */
static void test_seed_indicators(void **state) {
  fixture *fx = *state;
  /* 实施期 三级, 11.25 em */
  LINES(L3, "道路设施日常养护维修条", "数");
  LINES(L3, "65岁以上老年人等12类群", "体免费乘车");
  LINES(L3, "成人、学生IC卡及普通月", "票卡等价格优惠");
  LINES(L3, "柔性引进服务阳泉高校博", "士人数");
  LINES(L3, "奖励扶持人才项目验收合", "格率");
  LINES(L3, "柔性引才服务阳泉高校博", "士补助");
  LINES(L3, "营造全市尊重重视人才的", "氛围,调动人才干事创业",
        "的热情,推动全市经济社", "会稳步发展");
  LINES(L3, "提升阳泉市高精尖人才吸", "引力,增强人才留泉工作", "积极性");
  LINES(L3, "优秀人才对我市人才政策", "满意度");
  LINES(L3, "确保生活垃圾全部焚烧无", "害化处理");
  LINES(L3, "博士服务团来泉活动次数");
  LINES(L3, "发放补贴津贴的及时性");
  /* 年度 三级, 7.05 em */
  LINES(R3, "道路设施日常养", "护维修条数");
  LINES(R3, "保持道路功能和", "设施完好");
  LINES(R3, "65岁以上老年人", "等12类群体免费", "乘车");
  LINES(R3, "成人、学生IC卡", "及普通月票卡等", "价格优惠");
  LINES(R3, "人才补助发放人", "数");
  LINES(R3, "博士服务团来泉", "活动次数");
  LINES(R3, "柔性引进服务阳", "泉高校博士人数");
  LINES(R3, "奖励扶持人才项", "目验收合格率");
  LINES(R3, "发放补贴津贴的", "及时性");
  LINES(R3, "中国人才杂志征", "订费");
  LINES(R3, "柔性引才服务阳", "泉高校博士补助");
  LINES(R3, "营造全市尊重重", "视人才的氛围,", "调动人才干事创",
        "业的热情,推动", "全市经济社会稳", "步发展");
  LINES(R3, "提升阳泉市高精", "尖人才吸引力,", "增强人才留泉工", "作积极性");
  LINES(R3, "优秀人才对我市", "人才政策满意度");
  LINES(R3, "垃圾无害化处理", "率");
  LINES(R3, "确保生活垃圾全", "部焚烧无害化处", "理");
  /* 二级 labels */
  LINES(L2, "服务对象满意", "度指标");
  LINES(L2, "可持续影响指", "标");
  LINES(R2, "服务对象满意度", "指标");
  LINES(R2, "可持续影响指标");
  /* 年度 指标值, 7.10 em = 710 units: 706 fit */
  LINES(RVALUE, "≥1500元/人/月");
  LINES(RVALUE, "29000平方米/年");
  /* form 3 prints these 755-unit values on one line on the 年度 side;
   * at 7.10 em the model wraps them.  Forms 1-4 let some cells overflow
   * instead of wrapping (FORM-SPEC §4), so that is no proof the cell is
   * 7.55 em wide; the wrap is what this cell width gives. */
  LINES(RVALUE, "≥2800万公里/", "年");
  LINES(7.55, "≥8000万人次/年");
}

/* Bands B and C. */
static void test_seed_header_cells(void **state) {
  fixture *fx = *state;
  LINES(ORG_DEPT, "005-中国共产党阳泉市委员会组织部（阳泉", "市公务员局）");
  LINES(ORG_DEPT, "045-阳泉市城市管理局");
  LINES(ORG_IMPL, "阳泉市人民政府国有资产监督管", "理委员会");
  LINES(ORG_IMPL, "中国共产党阳泉市委员会组织部", "（阳泉市公务员局）");
  /* five leading spaces are indentation: kept and measured */
  LINES(FUND_PERIOD, "     市县（区）财政资", "金");
  LINES(FUND_ANNUAL, "     市县（区）财政资金");
  LINES(FUND_PERIOD, "     省级财政资金");
}

/* Breaks `text` at `em` em and returns the number of lines; *lines in
 * `arena`. */
static size_t break_at(fixture *fx, jx_arena *arena, const char *text,
                       double em, jx_line **lines) {
  return jx_text_break(&fx->ms, arena, text, strlen(text), &fx->body, em * SIZE,
                       &fx->rules, lines);
}

static void test_break_rules(void **state) {
  fixture *fx = *state;
  /* a Latin string longer than the cell is broken between characters:
   * 7.05 em = 705 units = 13 ASCII characters of 51 */
  LINES(R3, "ABCDEFGHIJKLM", "NOPQRSTUVWXYZ", "abc");
  /* after CJK, the long word starts a new line, then is split */
  LINES(R3, "数量", "ABCDEFGHIJKLM", "NOPQ");
  /* Latin words break at spaces, which are dropped at the break */
  jx_arena arena;
  jx_arena_init(&arena);
  jx_line *l;
  const char *words = "alpha beta gamma delta";
  size_t n = break_at(fx, &arena, words, 6.0, &l); /* 11 ASCII chars */
  assert_int_equal(n, 2);
  assert_int_equal(l[0].start, 0);
  assert_int_equal(l[0].end, 10); /* "alpha beta" */
  assert_int_equal(l[1].start, 11);
  assert_int_equal(l[1].end, 22);
  assert_float_equal(l[0].width, 10 * 4.0, 1e-9);
  /* no_start characters never begin a line: the one before comes along */
  LINES(2.0, "甲", "乙，");
  LINES(2.0, "甲", "乙。");
  LINES(3.0, "甲乙", "丙：丁");
  /* closing brackets may start a line here, opening ones may end it */
  LINES(2.0, "甲乙", "》丙");
  LINES(2.0, "甲《", "乙丙");
  /* digits with . and , stay together; ≥ stays with its number */
  LINES(3.0, "数", "1.25", "万元");
  LINES(5.2, "金额", "34,060,000");
  LINES(3.0, "达到", "≥95%");
  /* a range of dates breaks after its dash, never inside a number */
  LINES(5.0, "2023.07-", "2024.01");
  LINES(5.0, "8:00~", "17:30");
  LINES(3.0, "起止", "2023-", "2024");
  /* exactly full: 3 em holds 3 CJK characters */
  LINES(3.0, "甲乙丙", "丁");
  /* a mandatory break at \n; empty lines survive; indentation of the new
   * paragraph is kept */
  n = break_at(fx, &arena, "甲乙\n\n  丙", 10.0, &l);
  assert_int_equal(n, 3);
  assert_int_equal(l[0].end - l[0].start, 6);
  assert_int_equal(l[1].end - l[1].start, 0);
  assert_int_equal(l[2].start, 8);
  assert_int_equal(l[2].end - l[2].start, 5);
  assert_float_equal(l[2].width, 2 * 4.0 + 8.0, 1e-9);
  /* trailing spaces are not part of a line */
  n = break_at(fx, &arena, "甲乙   ", 10.0, &l);
  assert_int_equal(n, 1);
  assert_int_equal(l[0].end, 6);
  /* empty text: no lines */
  assert_int_equal(break_at(fx, &arena, "", 10.0, &l), 0);
  /* drawn widths: CJK 1 em, ASCII 0.5 em */
  n = break_at(fx, &arena, "IC卡", 10.0, &l);
  assert_int_equal(n, 1);
  assert_float_equal(l[0].width, 16.0, 1e-9);
  jx_arena_free(&arena);
}

/* ASCII measured at 0.51 em is what makes the wide cell wrap like the
 * original: at the font's 0.50 em the line would take one more unit. */
static void test_ascii_units_matter(void **state) {
  fixture *fx = *state;
  jx_break_rules font_widths = fx->rules;
  font_widths.ascii_units = 0;
  const char *text =
      "1、市区：按照政府购买服务政策，按2019年底预算安排金额为基数核定； "
      "2、阳财评审字【2021】9号《阳泉市财政预算评审中心关于报送阳泉市城市"
      "管理局华阳集团移交项目年运营费用项目预算评审报告的函》。";
  jx_arena arena;
  jx_arena_init(&arena);
  jx_line *a, *b;
  size_t na = jx_text_break(&fx->ms, &arena, text, strlen(text), &fx->body,
                            WIDE * SIZE, &fx->rules, &a);
  size_t nb = jx_text_break(&fx->ms, &arena, text, strlen(text), &fx->body,
                            WIDE * SIZE, &font_widths, &b);
  assert_int_equal(na, 3);
  assert_int_equal(nb, 2);
  /* the original ends the line at 9号《; at 0.5 em 阳 would fit too */
  const char *tail = "9号《";
  assert_memory_equal(text + a[0].end - strlen(tail), tail, strlen(tail));
  assert_int_equal(b[0].end, a[0].end + strlen("阳"));
  jx_arena_free(&arena);
}

/* ------------------------------------------------------------------ */
/* Checks and drawing                                                   */

static void test_check(void **state) {
  fixture *fx = *state;
  jx_diag_list d = {0};
  const char *ok = "项目名称 ≥95% “漾泉英才” ＞95% 110元／吨";
  assert_true(jx_text_check(&fx->ms, &fx->body, ok, strlen(ok), here, &d));
  assert_int_equal(d.count, 0);

  const char *astral = "吉𠮷家";
  assert_false(
      jx_text_check(&fx->ms, &fx->body, astral, strlen(astral), here, &d));
  assert_int_equal(d.errors, 1);
  assert_string_equal(d.items[0].message,
                      "character '𠮷' (U+20BB7) is outside the Basic "
                      "Multilingual Plane (a rare character, as in some "
                      "names of people and places), which the form cannot "
                      "print yet; write a common character in its place, "
                      "or describe it in words, like （“土+延”字）");
  assert_string_equal(d.items[0].file, "test.yaml");
  /* even with a fallback face that has it */
  assert_false(
      jx_text_check(&fx->ms, &fx->fallback, astral, strlen(astral), here, &d));
  assert_int_equal(d.errors, 2);

  const char *emoji = "满意😀";
  assert_false(
      jx_text_check(&fx->ms, &fx->body, emoji, strlen(emoji), here, &d));
  assert_int_equal(d.errors, 3);
  assert_string_equal(d.items[2].message,
                      "character '😀' (U+1F600) is outside the Basic "
                      "Multilingual Plane (a rare character, as in some "
                      "names of people and places), which the form cannot "
                      "print yet; write a common character in its place, "
                      "or describe it in words, like （“土+延”字）");

  /* 㐀 (U+3400) is not in uming but is in HanaMinA */
  const char *rare = "村㐀村㐀";
  assert_true(
      jx_text_check(&fx->ms, &fx->fallback, rare, strlen(rare), here, &d));
  assert_int_equal(d.errors, 3);
  assert_false(jx_text_check(&fx->ms, &fx->body, rare, strlen(rare), here, &d));
  assert_int_equal(d.errors, 4); /* one error per character, not per use */
  assert_string_equal(d.items[3].message,
                      "character '㐀' (U+3400) is in none of the fonts of "
                      "this role: AR PL UMing CN");
  /* a role of two faces names both */
  uint16_t two[2] = {fx->uming, fx->uming};
  jx_font_chain chain2 = {two, 2, SIZE, false};
  assert_false(jx_text_check(&fx->ms, &chain2, rare, strlen(rare), here, &d));
  assert_string_equal(d.items[4].message,
                      "character '㐀' (U+3400) is in none of the fonts of "
                      "this role: AR PL UMing CN, AR PL UMing CN");
  /* invalid UTF-8 and control characters */
  const char bad[] = "a\xff"
                     "b\tc";
  assert_false(jx_text_check(&fx->ms, &fx->body, bad, strlen(bad), here, &d));
  assert_int_equal(d.errors, 7);
  jx_diag_list_free(&d);
}

/* 标点挤压: with compress_punctuation, a left-ink mark followed by another
 * mark takes half an em — "）" before "、", "、" before "（", "）" before
 * "。" — for fitting and for drawing: the line is 6.5 em, not 8, fits a
 * 7 em cell, and each compressed mark ends its run so that the next glyph
 * is drawn half an em to the left. */
static void test_compress_punctuation(void **state) {
  fixture *fx = *state;
  const char *text = "（一）、（二）。";
  jx_arena arena;
  jx_arena_init(&arena);
  jx_break_rules rules = fx->rules;
  jx_line *lines = NULL;
  /* without compression: 8 em do not fit in 7 */
  size_t n = jx_text_break(&fx->ms, &arena, text, strlen(text), &fx->body,
                           7.0 * SIZE, &rules, &lines);
  assert_int_equal(n, 2);
  rules.compress_punctuation = true;
  n = jx_text_break(&fx->ms, &arena, text, strlen(text), &fx->body, 7.0 * SIZE,
                    &rules, &lines);
  assert_int_equal(n, 1);
  assert_true(fabs(lines[0].width - 6.5 * SIZE) < 0.01);
  /* runs: "（一）" | "、" | "（二）" | "。" */
  static const double want[] = {2.5, 0.5, 2.5, 1.0};
  assert_int_equal(lines[0].seg_count, 4);
  for (size_t i = 0; i < 4; i++)
    assert_true(fabs(lines[0].segs[i].width - want[i] * SIZE) < 0.01);
  jx_arena_free(&arena);
}

static void test_emit(void **state) {
  fixture *fx = *state;
  jx_arena arena;
  jx_arena_init(&arena);
  jx_dpage page = {0};
  const char *text = "村级㐀组织ab";
  double w = jx_text_emit(&fx->ms, &arena, &page, &fx->fallback, text,
                          strlen(text), 10.0, 20.0);
  assert_float_equal(w, 5 * 8.0 + 2 * 4.0, 1e-9);
  assert_int_equal(page.run_count, 3);
  const jx_drun *r = page.runs;
  assert_int_equal(r[0].face, fx->uming);
  assert_int_equal(r[0].len, 6);
  assert_ptr_equal(r[0].text, text);
  assert_float_equal(r[0].x, 10.0, 1e-9);
  assert_float_equal(r[0].y, 20.0, 1e-9);
  assert_float_equal(r[0].width, 16.0, 1e-9);
  assert_float_equal(r[0].size, SIZE, 1e-9);
  assert_int_equal(r[1].face, fx->hana_a);
  assert_int_equal(r[1].len, 3);
  assert_float_equal(r[1].x, 26.0, 1e-9);
  assert_int_equal(r[2].face, fx->uming);
  assert_int_equal(r[2].len, 8);
  assert_float_equal(r[2].x, 34.0, 1e-9);
  assert_float_equal(r[2].width, 24.0, 1e-9);
  assert_false(r[2].bold);
  assert_float_equal(jx_text_width(&fx->ms, &fx->fallback, text, strlen(text)),
                     w, 1e-9);
  jx_arena_free(&arena);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_load_family),
      cmocka_unit_test(test_load_errors),
      cmocka_unit_test(test_load_no_outlines),
      cmocka_unit_test(test_face_metrics),
      cmocka_unit_test(test_widths),
      cmocka_unit_test(test_seed_wide),
      cmocka_unit_test(test_seed_goals),
      cmocka_unit_test(test_seed_indicators),
      cmocka_unit_test(test_seed_header_cells),
      cmocka_unit_test(test_break_rules),
      cmocka_unit_test(test_ascii_units_matter),
      cmocka_unit_test(test_check),
      cmocka_unit_test(test_compress_punctuation),
      cmocka_unit_test(test_emit),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
