#!/usr/bin/env python3
"""Varied, realistic projects for the benchmark (issue 12, item 5).

usage: gen.py OUT_DIR [-n 600] [--seed 12] [--check JXFORM] [--stats JXFORM]

Writes OUT_DIR/yaml/00000.yaml ... (project files for `jxform packet`) and
OUT_DIR/peers.json (the same projects in the peers' input format, the one
of ../shared/peers/seed-projects.json, read by gen/gen_typst.py,
gen_pdfmake.py and gen_html.py), and OUT_DIR/gen.json (what was drawn).

Everything is drawn from the six samples (samples/*.yaml):
  - each project takes one sample as its model: the length of each of its
    paragraphs is the model's length times a factor in [0.6, 1.4], its
    fields repeat each other where the model's do (04 has five equal
    paragraphs, 05 two pairs, 02 answers "无"), its 年度 indicators equal
    its 实施期 ones when the model's do (5 samples in 6);
  - the number of indicators in each of the nine 二级 groups is drawn from
    the six samples' counts for that group (0 to 4);
  - indicator names are the samples' names (digits redrawn) or new ones
    made of a subject of the project and a metric of the group, some long
    (the samples' lengths: 3 to 38 characters); values take the forms the
    samples use (≥95%, 117条, 340元/平方米, 及时发放, ...);
  - text is the samples' clauses (split at ，；。), recombined across
    samples and fields, their digits redrawn and their subject words
    replaced by the project's, with a few generic clauses naming the
    project's own subject, so strings are mostly distinct;
  - funds: the total is log-normal around the samples' (7.4 to 100 million
    元), sources add up on each side, 年度 <= 实施期, a 一次性项目 (1年)
    has equal totals;
  - 36 departments (code, name, their subjects and subordinate units),
    project names from those subjects, footer names/phones half the time.

Project i depends only on (seed, i): the first 600 of a 6,000-project set
are the 600-project set.  --check JXFORM runs `jxform check` on every file
and fails unless all pass with 0 errors; --stats JXFORM also counts the
distinct strings (and distinct laid-out lines) against the old benchmark's
copies of the six samples.  Standard library only, except that the samples
are read with PyYAML when it is installed (else from the peers' copy of
them, ../shared/peers/seed-projects.json).
"""
import argparse
import json
import math
import os
import random
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SEED_JSON = os.path.join(os.path.dirname(ROOT), "shared", "peers", "seed-projects.json")

# The yangquan-2025 frame (templates/yangquan-2025.yaml `grids: frame`).
FRAME = [("产出指标", ["数量指标", "质量指标", "时效指标", "成本指标"]),
         ("效益指标", ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"]),
         ("满意度指标", ["服务对象满意度指标"])]
# A paragraph is its model's length times a factor drawn in LEN.
LEN = (0.6, 1.4)
GROUPS = [(l1, l2) for l1, l2s in FRAME for l2 in l2s]
PARAS = ["overview", "basis", "necessity", "measures", "plan"]
FUND_KEYS = ["total", "central", "provincial", "city_county", "self_raised", "other"]
ONE_TIME, RECURRING = "一次性项目（1年结束）", "经常性项目（长期开展）"
TITLE = "阳泉市市级预算部门（单位）项目支出绩效目标表"

# ---------------------------------------------------------------- samples


def load_samples():
    """The six samples as plain dicts (one shape whatever the source)."""
    out = []
    try:
        import yaml  # PyYAML
        d = os.path.join(ROOT, "samples")
        for f in sorted(os.listdir(d)):
            if not f.endswith(".yaml"):
                continue
            with open(os.path.join(d, f), encoding="utf-8") as fh:
                y = yaml.safe_load(fh)
            p = y["project"]
            out.append({
                "name": str(p["name"]), "code": str(p["department"]["code"]),
                "dept": str(p["department"]["name"]), "implementer": str(p["implementer"]),
                "attribute": str(p["attribute"]), "duration": str(p["duration"]),
                "funds": {s: {k: y["funds"][s].get(k) for k in FUND_KEYS} for s in ("period", "annual")},
                "paras": {k: str(y[k]) for k in PARAS},
                "goals": {s: str(y["goals"][s]) for s in ("period", "annual")},
                "ind": {s: [(str(r["level1"]), str(r["level2"]), str(r["level3"]), str(r["value"]))
                            for r in y["indicators"][s]] for s in ("period", "annual")},
                "footer": {k: (None if y["footer"].get(k) is None else str(y["footer"][k]))
                           for k in ("responsible", "handler", "phone", "date")},
            })
        if len(out) == 6:
            return out
    except ImportError:
        pass
    with open(SEED_JSON, encoding="utf-8") as fh:
        seed = json.load(fh)
    for p in seed["projects"]:
        code, dept = p["department"].split("-", 1)

        def amt(v):
            return int(v.replace(",", "")) if v else None
        out.append({
            "name": p["name"], "code": code, "dept": dept, "implementer": p["implementer"],
            "attribute": p["attribute"], "duration": p["period"],
            "funds": {s: {k: amt(p["funds"][s][k]) for k in FUND_KEYS} for s in ("period", "annual")},
            "paras": {k: p[k] for k in PARAS},
            "goals": dict(p["goals"]),
            "ind": {s: [(r["level1"], r["level2"], r["level3"], r["value"])
                        for r in p["indicators"][s] if r["level3"] or r["value"]]
                    for s in ("period", "annual")},
            "footer": {"responsible": p["footer"]["responsible"] or None, "handler": p["footer"]["handler"] or None,
                       "phone": p["footer"]["phone"] or None, "date": p["footer"]["fill_date"]},
        })
    return out


def clauses_of(text):
    """Clauses of a paragraph, each with its closing punctuation."""
    text = text.replace(" ", "")
    parts = re.findall(r"[^，；。,;]+[，；。,;]?", text)
    return [p for p in parts if len(p) >= 4]


class Model:
    """What the generator draws from, all taken from the six samples."""

    def __init__(self, samples):
        self.samples = samples
        self.clauses = {k: [] for k in PARAS + ["goal"]}
        for s in samples:
            for k in PARAS:
                if len(s["paras"][k]) > 1:
                    self.clauses[k] += clauses_of(s["paras"][k])
            for g in s["goals"].values():
                self.clauses["goal"] += clauses_of(g)
        self.all_clauses = sorted({c for v in self.clauses.values() for c in v})
        # per group: the samples' counts on the 实施期 side, names, values
        self.counts = {g: [sum(1 for r in s["ind"]["period"] if (r[0], r[1]) == g) for s in samples]
                       for g in GROUPS}
        self.names = {g: sorted({r[2] for s in samples for r in s["ind"]["period"] + s["ind"]["annual"]
                                 if (r[0], r[1]) == g and r[2]}) for g in GROUPS}
        self.name_lens = [len(r[2]) for s in samples for r in s["ind"]["period"] if r[2]]
        totals = [s["funds"]["period"]["total"] for s in samples]
        logs = [math.log(t) for t in totals]
        self.mu = sum(logs) / len(logs)
        self.sigma = (sum((x - self.mu) ** 2 for x in logs) / (len(logs) - 1)) ** 0.5
        self.annual_ratio = [s["funds"]["annual"]["total"] / s["funds"]["period"]["total"] for s in samples]


# ------------------------------------------------------------ vocabulary

# (code, department, subjects of its projects, subordinate units)
DEPTS = [
    ("001", "中国共产党阳泉市委员会办公室", ["机要保密", "党委信息化", "督查督办"], ["阳泉市委机要局"]),
    ("005", "中国共产党阳泉市委员会组织部（阳泉市公务员局）", ["人才工作", "村级组织运转", "干部教育培训", "党员教育"], ["阳泉市人才服务中心"]),
    ("008", "中国共产党阳泉市委员会宣传部", ["精神文明建设", "新闻宣传", "文艺精品创作"], ["阳泉市融媒体中心"]),
    ("010", "阳泉市人民政府办公室", ["政务公开", "12345热线运行", "应急值守"], ["阳泉市政务服务中心"]),
    ("012", "阳泉市发展和改革委员会", ["重点项目前期", "价格监测", "粮食储备"], ["阳泉市粮食和物资储备中心"]),
    ("015", "阳泉市教育局", ["中小学校舍维修", "学生资助", "教师培训", "校园安全"], ["阳泉市第一中学校", "阳泉市教育服务中心"]),
    ("018", "阳泉市科学技术局", ["科技创新平台", "高新技术企业培育", "科普宣传"], ["阳泉市科技创新服务中心"]),
    ("021", "阳泉市公安局", ["交通信号设施", "视频监控运维", "禁毒宣传"], ["阳泉市公安局交通警察支队"]),
    ("023", "阳泉市民政局", ["社区养老服务", "困难群众救助", "殡葬服务管理", "婚姻登记"], ["阳泉市社会福利院", "阳泉市救助管理站"]),
    ("025", "阳泉市司法局", ["法律援助", "人民调解", "普法宣传"], ["阳泉市法律援助中心"]),
    ("027", "阳泉市财政局", ["预算绩效管理", "财政信息化运维", "政府采购监管"], ["阳泉市财政事务中心"]),
    ("029", "阳泉市人力资源和社会保障局", ["就业创业补贴", "职业技能培训", "劳动保障监察"], ["阳泉市就业服务中心"]),
    ("031", "阳泉市规划和自然资源局", ["国土空间规划", "不动产登记", "地质灾害防治"], ["阳泉市不动产登记中心"]),
    ("033", "阳泉市生态环境局", ["大气污染防治", "水环境监测", "固体废物监管"], ["阳泉市生态环境监测站"]),
    ("035", "阳泉市住房和城乡建设局", ["老旧小区改造", "保障性住房", "建筑市场监管"], ["阳泉市住房保障中心"]),
    ("037", "阳泉市交通运输局", ["农村公路养护", "客运站运营", "道路运输安全"], ["阳泉市公路事业发展中心"]),
    ("039", "阳泉市水务局", ["农村饮水安全", "河道治理", "水资源监测"], ["阳泉市水利事务中心"]),
    ("040", "阳泉市工业和信息化局", ["公交政策性亏损补贴", "中小企业服务", "数字经济发展"], ["阳泉市人民政府国有资产监督管理委员会", "阳泉市公共交通有限公司"]),
    ("042", "阳泉市农业农村局", ["高标准农田建设", "动物疫病防控", "农村人居环境整治"], ["阳泉市农业技术推广中心"]),
    ("043", "阳泉市商务局", ["外贸发展", "消费促进", "电子商务进农村"], ["阳泉市商务事务中心"]),
    ("045", "阳泉市城市管理局", ["城市道路桥涵", "城市照明", "排水管网", "生活垃圾处理", "道路挖掘修复"], ["阳泉市市政设施管理中心", "阳泉市环境卫生服务中心"]),
    ("047", "阳泉市文化和旅游局", ["公共文化场馆免费开放", "文物保护", "旅游宣传推介"], ["阳泉市图书馆", "阳泉市博物馆"]),
    ("049", "阳泉市卫生健康委员会", ["基本公共卫生服务", "疾病预防控制", "医疗卫生人才"], ["阳泉市疾病预防控制中心", "阳泉市第一人民医院"]),
    ("051", "阳泉市退役军人事务局", ["优抚对象补助", "退役军人就业培训", "烈士纪念设施"], ["阳泉市退役军人服务中心"]),
    ("053", "阳泉市应急管理局", ["安全生产执法", "应急物资储备", "森林防火"], ["阳泉市应急救援中心"]),
    ("055", "阳泉市审计局", ["审计信息化", "政府投资审计"], ["阳泉市审计事务中心"]),
    ("057", "阳泉市市场监督管理局", ["食品安全抽检", "特种设备检验", "计量检定"], ["阳泉市检验检测中心"]),
    ("059", "阳泉市体育局", ["全民健身设施", "青少年体育训练", "体育赛事"], ["阳泉市体育运动学校"]),
    ("061", "阳泉市统计局", ["经济普查", "统计调查", "统计信息化"], ["阳泉市普查中心"]),
    ("063", "阳泉市医疗保障局", ["医保经办服务", "医保基金监管"], ["阳泉市医疗保险服务中心"]),
    ("065", "阳泉市林业局", ["造林绿化", "林业有害生物防治", "森林资源管护"], ["阳泉市林业事务中心"]),
    ("067", "阳泉市能源局", ["煤矿安全监管", "新能源发展", "电力设施保护"], ["阳泉市能源事务中心"]),
    ("069", "阳泉市行政审批服务管理局", ["政务服务大厅运行", "一网通办平台运维"], ["阳泉市政务服务中心"]),
    ("071", "阳泉市信访局", ["信访接待", "矛盾纠纷化解"], ["阳泉市信访事务中心"]),
    ("073", "阳泉市档案馆", ["档案数字化", "档案保护"], ["阳泉市档案馆"]),
    ("075", "阳泉市气象局", ["气象观测设施", "人工影响天气"], ["阳泉市气象台"]),
]
ACTIVITIES = ["运维服务", "日常养护", "建设", "改造提升", "运行保障", "专项", "补助", "监测", "宣传",
              "培训", "维修", "设备购置", "信息化建设", "管理", "考核奖励", "综合治理"]
NAME_SUFFIX = ["经费", "费", "专项资金", "补助资金", "项目", "服务费", "工作经费", "补贴"]
METRICS = {
    "数量指标": ["数量", "个数", "次数", "人数", "覆盖面积", "完成数", "处数", "条数", "台数"],
    "质量指标": ["合格率", "达标率", "完好率", "准确率", "验收合格率", "正常使用率", "覆盖率"],
    "时效指标": ["完成时间", "及时率", "响应时间", "发放时限", "办结时限"],
    "成本指标": ["成本", "补助标准", "单价", "人均成本", "运行成本", "控制数"],
    "经济效益指标": ["带动就业", "节约资金", "经济效益", "拉动投资"],
    "社会效益指标": ["服务保障能力", "群众获得感", "社会影响", "公共服务水平", "安全保障"],
    "生态效益指标": ["节能减排", "环境改善", "污染减少", "绿化覆盖"],
    "可持续影响指标": ["长效机制", "可持续运行", "持续发挥作用", "制度建设"],
    "服务对象满意度指标": ["群众满意度", "服务对象满意度", "社会公众满意度", "使用单位满意度", "受益群众满意度"],
}
UNITS = ["个", "次", "人", "条", "处", "台", "套", "座", "公里", "平方米", "吨", "户", "场", "家", "项"]
PERIODS = ["", "/年", "/年", "", "/月"]
QUAL = ["提高", "保障", "有效保障", "及时", "长期", "明显提升", "有效提升", "进一步推进", "持续改善", "逐步改善"]
SAMPLE_TOPICS = ["道路设施", "道路", "照明设施", "排水管网", "排水", "桥涵", "公交", "人才", "村级组织",
                 "垃圾", "博士"]
GENERIC = [
    "为进一步做好{s}工作，", "按照{d}年度工作安排，", "加强{s}的日常管理，", "确保{s}正常运行；",
    "提高{s}服务水平，", "完成{s}相关任务{n}项，", "根据《阳泉市{s}管理办法》，",
    "落实{s}各项工作要求。", "建立健全{s}长效机制，", "保障{s}资金按时足额到位，",
    "全年计划开展{s}{n}次，", "对{s}实行动态管理；", "严格执行{s}资金管理制度，",
    "组织专业人员对{s}进行检查，", "切实发挥{s}的社会效益。",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌海波鹏飞宇浩然晨阳慧琳"


# ------------------------------------------------------------- drawing


def redigit(rng, s):
    """The same text with each number redrawn (years stay 2019..2026)."""
    def one(m):
        t = m.group(0)
        if len(t) == 4 and t.startswith("20"):
            return str(rng.randint(2019, 2026))
        first = str(rng.randint(1, 9)) if t[0] != "0" or len(t) == 1 else "0"
        return first + "".join(str(rng.randint(0, 9)) for _ in t[1:])
    return re.sub(r"\d+", one, s)


def retopic(rng, s, subj):
    for w in SAMPLE_TOPICS:
        if w in s and rng.random() < 0.6:
            s = s.replace(w, subj, 1)
    return s


def paragraph(rng, m, field, length, subj, year):
    """About `length` characters of recombined sample clauses."""
    if length <= 1:
        return "无"
    out, n = [], 0
    own = m.clauses.get(field) or m.all_clauses
    while n < length:
        r = rng.random()
        if r < 0.2:
            c = rng.choice(GENERIC).format(s=subj, d=year, n=rng.randint(2, 60))
        elif r < 0.6:
            c = retopic(rng, redigit(rng, rng.choice(own)), subj)
        else:
            c = retopic(rng, redigit(rng, rng.choice(m.all_clauses)), subj)
        out.append(c)
        n += len(c)
    text = "".join(out)
    if len(text) > length + 6:  # cut the last clause, at most a few characters over
        text = text[:max(length, 4)]
    text = text.rstrip("，；、,;：:（《“")
    if not text.endswith(("。", "；", "）", "》", "”")):
        text += "。"
    return text


def value_for(rng, l2):
    n = rng.randint
    if l2 == "数量指标":
        v = str(n(2, 30000) if rng.random() < 0.7 else n(2, 99))
        return rng.choice(["", "≥", "≥", "不少于"]) + v + rng.choice(UNITS) + rng.choice(PERIODS)
    if l2 == "质量指标":
        return rng.choice(["100%", f"≥{n(85, 99)}%", f"{n(90, 100)}%", "合格", f"≥{n(90, 98)}%"])
    if l2 == "时效指标":
        return rng.choice(["及时", "及时发放", f"{n(2, 48)}小时内及时响应", f"≤{n(3, 30)}天",
                           "每年年底前", f"{n(1, 12)}月底前完成", "年底前"])
    if l2 == "成本指标":
        return rng.choice([f"{n(2, 900)}元/{rng.choice(['平方米', '吨', '人次', '套', '人/月', '公里'])}",
                           f"≤{n(1, 500)}万元", f"{n(10000, 9000000)}元", f"≤{n(1, 30)}万/人",
                           f"{n(100, 20000)}元/{rng.choice(['村', '户', '人', '所'])}"])
    if l2 == "服务对象满意度指标":
        return rng.choice(["≥95%", "≥90%", "＞95%", f"≥{n(85, 98)}%", "≥95%"])
    return rng.choice(QUAL)


def indicator_name(rng, m, g, subj):
    l2 = g[1]
    r = rng.random()
    if r < 0.3 and m.names[g]:
        return retopic(rng, redigit(rng, rng.choice(m.names[g])), subj)
    if r < 0.38:  # a long one, as the samples' 18..38-character names
        c = rng.choice(m.all_clauses).rstrip("，；。,;")
        c = retopic(rng, redigit(rng, c), subj)
        return c[:rng.randint(12, 38)].rstrip("，；、,;：:（《“")
    pre = rng.choice(["", "", "", "年度", "全年", "重点"])
    return pre + subj + rng.choice(METRICS[l2])


def indicator_side(rng, m, subj, base):
    rows = []
    for g in GROUPS:
        # half the time the model's own count, else any sample's
        k = m.counts[g][base] if rng.random() < 0.5 else rng.choice(m.counts[g])
        seen = set()
        for _ in range(k):
            for _try in range(20):
                nm = indicator_name(rng, m, g, subj)
                if nm and nm not in seen:
                    break
            seen.add(nm)
            rows.append([g[0], g[1], nm, value_for(rng, g[1])])
    return rows


def split_amount(rng, total, keys):
    """total split over keys (multiples of 100 where possible, exact sum)."""
    w = [rng.random() for _ in keys]
    s = sum(w)
    parts, left = {}, total
    for k, x in zip(keys[:-1], w[:-1]):
        a = int(total * x / s) // 100 * 100
        parts[k] = a
        left -= a
    parts[keys[-1]] = left
    return parts


def funds(rng, m, attribute):
    total = int(min(max(rng.lognormvariate(m.mu, m.sigma), 1e5), 5e8)) // 100 * 100
    if attribute == ONE_TIME:
        annual = total
    else:
        r = rng.choice(m.annual_ratio + [rng.uniform(0.2, 0.9)])
        annual = max(int(total * min(r, 1.0)) // 100 * 100, 100)
    out = {}
    mixed = rng.random() < 0.4
    keys = ["central", "provincial", "city_county", "self_raised"]
    if mixed and rng.random() < 0.3:
        keys.append("other")
    shares = split_amount(rng, 10 ** 6, keys) if mixed else None
    for side, t in (("period", total), ("annual", annual)):
        d = {"total": t, "central": 0, "provincial": 0, "city_county": t, "self_raised": 0, "other": None}
        if mixed:
            left = t
            for k in keys:
                if k != "city_county":
                    d[k] = t * shares[k] // 10 ** 6 // 100 * 100
                    left -= d[k]
            d["city_county"] = left
        out[side] = d
    return out


def person(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))


def project(seed, i, m):
    rng = random.Random(f"jxform-bench:{seed}:{i}")
    base = m.samples[rng.randrange(len(m.samples))]
    code, dept, subjects, units = rng.choice(DEPTS)
    subj = rng.choice(subjects)
    year = 2025
    # name: subject (+ activity) + suffix; sometimes a second subject, a (县区)
    name = subj
    if rng.random() < 0.35:
        other = rng.choice(subjects)
        if other != subj:
            name += "、" + other
    if not name.endswith(("补贴", "补助")):
        name += rng.choice(ACTIVITIES) if rng.random() < 0.8 else ""
        name += rng.choice(NAME_SUFFIX)
    if rng.random() < 0.1:
        name = f"{year}年" + name
    if rng.random() < 0.08:
        name += "（县区）"
    attribute = rng.choice([ONE_TIME, RECURRING])
    duration = "1年" if attribute == ONE_TIME else rng.choice(["99年", "99年", "99年", "3年", "5年"])
    f = funds(rng, m, attribute)
    # paragraphs: the model's lengths x [0.6, 1.4]; repeats where the model repeats
    paras = {}
    for k in PARAS:
        bl = len(base["paras"][k])
        same = [j for j in PARAS[:PARAS.index(k)] if base["paras"][j] == base["paras"][k]]
        if same and bl > 1:
            paras[k] = paras[same[0]]
        else:
            paras[k] = paragraph(rng, m, k, bl if bl <= 1 else max(4, round(bl * rng.uniform(*LEN))), subj, year)
    gp = paragraph(rng, m, "goal", max(4, round(len(base["goals"]["period"]) * rng.uniform(*LEN))), subj, year)
    if base["goals"]["annual"] == base["goals"]["period"]:
        ga = gp
    else:
        ga = paragraph(rng, m, "goal", max(4, round(len(base["goals"]["annual"]) * rng.uniform(*LEN))), subj, year)
    period = indicator_side(rng, m, subj, m.samples.index(base))
    if base["ind"]["annual"] == base["ind"]["period"]:
        annual = [list(r) for r in period]
    else:  # as sample 04: the 年度 side adds a row (or has new values)
        annual = [list(r) for r in period]
        g = rng.choice(GROUPS)
        extra = [g[0], g[1], "年度" + subj + rng.choice(METRICS[g[1]]), value_for(rng, g[1])]
        names = {r[2] for r in annual if (r[0], r[1]) == g}
        if extra[2] not in names:
            at = max([n + 1 for n, r in enumerate(annual) if GROUPS.index((r[0], r[1])) <= GROUPS.index(g)] or [0])
            annual.insert(at, extra)
        for r in annual:
            if rng.random() < 0.3:
                r[3] = value_for(rng, r[1])
    implementer = dept if rng.random() < 0.6 else rng.choice(units)
    month, day = rng.randint(1, 2), rng.randint(1, 28)
    date = f"{year}{month:02d}{day:02d}{rng.randint(8, 18):02d}{rng.randint(0, 59):02d}{rng.randint(0, 59):02d}"
    footer = {"responsible": None, "handler": None, "phone": None, "date": date}
    if rng.random() < 0.5:
        footer.update(responsible=person(rng), handler=person(rng),
                      phone=f"0353-{rng.randint(2000000, 7999999)}")
    return {"i": i, "base": m.samples.index(base), "style": rng.choice("AB"),
            "name": name, "code": code, "dept": dept, "implementer": implementer,
            "attribute": attribute, "duration": duration, "year": year, "funds": f,
            "paras": paras, "goals": {"period": gp, "annual": ga},
            "ind": {"period": period, "annual": annual}, "footer": footer}


# ------------------------------------------------------------- writing

NUMLIKE = re.compile(r"^[-+]?(\d[\d_,]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?$|^0[xo]|"
                     r"^(true|false|yes|no|on|off|null|y|n|~)$", re.I)


def scalar(s, flow=False):
    """s as a YAML scalar: plain where plain reads back as the same string."""
    if s is None:
        return ""
    s = str(s)
    bad = (not s or s[0] in "-?:,[]{}#&*!|>'\"%@` " or s[-1] == " " or ": " in s or " #" in s
           or s.endswith(":") or NUMLIKE.match(s) or "\n" in s
           or (flow and any(c in s for c in ",[]{}")))
    return json.dumps(s, ensure_ascii=False) if bad else s


FUND_LABEL = {"total": "资金总额", "central": "中央财政资金", "provincial": "省级财政资金",
              "city_county": "市县（区）财政资金", "self_raised": "单位自筹", "other": "其他资金"}
PARA_LABEL = {"overview": "项目概况", "basis": "立项依据", "necessity": "项目设立必要性",
              "measures": "保证项目实施的制度、措施", "plan": "项目实施计划"}


def to_yaml(p):
    """Style A: as samples/*.yaml (flow rows); style B: as `jxform new` (block rows)."""
    L = ["# yaml-language-server: $schema=../schema/project.schema.json",
         f"# {TITLE}（{p['year']}年度）, bench/gen.py project {p['i']} (model: sample {p['base'] + 1}).",
         "schema: 1", "template: yangquan-2025  # 表式（模板）", f"year: {p['year']}  # 年度", "",
         "project:", f"  name: {scalar(p['name'])}  # 项目名称",
         "  department:  # 主管部门及代码", f"    code: \"{p['code']}\"  # 代码", f"    name: {scalar(p['dept'])}  # 主管部门",
         f"  implementer: {scalar(p['implementer'])}  # 实施单位",
         f"  attribute: {scalar(p['attribute'])}  # 项目属性", f"  duration: {scalar(p['duration'])}  # 项目期", "",
         "# 项目资金（元）。空 = 表上空白，不同于 0。", "funds:"]
    for side, lab in (("period", "实施期"), ("annual", "年度")):
        L.append(f"  {side}:  # {lab}")
        for k in FUND_KEYS:
            v = p["funds"][side][k]
            L.append(f"    {k}:{'' if v is None else ' ' + str(v)}  # {lab}{FUND_LABEL[k]}")
    L.append("")
    for k in PARAS:
        L += [f"# {PARA_LABEL[k]}", f"{k}: {scalar(p['paras'][k])}"]
    L += ["", "# 总体目标", "goals:", f"  period: {scalar(p['goals']['period'])}  # 实施期目标",
          f"  annual: {scalar(p['goals']['annual'])}  # 年度目标", "",
          "# 绩效指标：一级指标、二级指标、三级指标、指标值。", "indicators:"]
    for side, lab in (("period", "实施期"), ("annual", "年度")):
        L.append(f"  {side}:  # {lab}")
        for r in p["ind"][side]:
            if p["style"] == "A":
                L.append(f"    - {{level1: {r[0]}, level2: {r[1]}, level3: {scalar(r[2], True)}, "
                         f"value: {scalar(r[3], True)}}}")
            else:
                L += [f"    - level1: {r[0]}", f"      level2: {r[1]}",
                      f"      level3: {scalar(r[2])}  # 三级指标", f"      value: {scalar(r[3])}  # 指标值"]
    f = p["footer"]
    L += ["", "footer:  # 表尾"]
    for k, lab in (("responsible", "负责人"), ("handler", "经办人"), ("phone", "联系电话")):
        L.append(f"  {k}:  # {lab}" if f[k] is None else f"  {k}: {scalar(f[k])}  # {lab}")
    L.append(f"  date: \"{f['date']}\"  # 填报日期")
    return "\n".join(L) + "\n"


def money(v):
    return "" if v is None else f"{v:,}"


def to_peer(p):
    """One project in seed-projects.json's shape: every group of the frame
    is listed (an empty one as a row with empty level3/value), as jxform
    prints the whole frame."""
    def side(rows):
        out = []
        for g in GROUPS:
            mine = [r for r in rows if (r[0], r[1]) == g]
            if not mine:
                out.append({"level1": g[0], "level2": g[1], "level3": "", "value": ""})
            out += [{"level1": r[0], "level2": r[1], "level3": r[2], "value": r[3]} for r in mine]
        return out
    f = p["footer"]
    return {"name": p["name"], "department": f"{p['code']}-{p['dept']}", "implementer": p["implementer"],
            "attribute": p["attribute"], "period": p["duration"],
            "funds": {s: {k: money(p["funds"][s][k]) for k in FUND_KEYS} for s in ("period", "annual")},
            **{k: p["paras"][k] for k in PARAS},
            "goals": dict(p["goals"]),
            "indicators": {s: side(p["ind"][s]) for s in ("period", "annual")},
            "notes": [],
            "footer": {"responsible": f["responsible"] or "", "handler": f["handler"] or "",
                       "phone": f["phone"] or "", "fill_date": f["date"]}}


def strings_of(p):
    """The values of a project that jxform lays out as text: every text
    value and every amount as printed (what the distinct-string count
    counts; the form's own labels are not counted)."""
    s = [p["name"], p["code"], p["dept"], p["implementer"], p["attribute"], p["duration"]]
    s += list(p["paras"].values()) + list(p["goals"].values())
    s += [x for side in p["ind"].values() for r in side for x in r]
    s += [v for v in p["footer"].values() if v]
    s += [money(v) for side in p["funds"].values() for v in side.values() if v is not None]
    return [x for x in s if x]


# ------------------------------------------------------------- checks


def run_check(jxform, files):
    """`jxform check --format=json` over all files, 500 at a time."""
    errors, warnings, rules, bad = 0, 0, {}, []
    for k in range(0, len(files), 500):
        r = subprocess.run([jxform, "check", "--format=json"] + files[k:k + 500],
                           capture_output=True, text=True)
        doc = json.loads(r.stdout)
        errors += doc["errors"]
        warnings += doc["warnings"]
        for d in doc["diagnostics"]:
            key = f"{d['severity']} {d['rule']}"
            rules[key] = rules.get(key, 0) + 1
            if d["severity"] == "error" and len(bad) < 10:
                bad.append(f"{d['file']}:{d['line']}:{d['column']}: {d['message']}")
    return errors, warnings, rules, bad


def layout_lines(jxform, files):
    """Distinct laid-out text lines (jxform render --dump=layout)."""
    seen, total = set(), 0
    for k in range(0, len(files), 200):
        r = subprocess.run([jxform, "render", "--dump=layout", "-q"] + files[k:k + 200],
                           capture_output=True, text=True)
        for line in r.stdout.splitlines():
            mt = re.match(r'\s+text .*?"(.*)"$', line)
            if mt:
                seen.add(mt.group(1))
                total += 1
    return len(seen), total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("-n", type=int, default=600)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--check", metavar="JXFORM", help="jxform check every file: 0 errors or exit 1")
    ap.add_argument("--stats", metavar="JXFORM", help="also count distinct strings and laid-out lines")
    a = ap.parse_args()
    m = Model(load_samples())
    ydir = os.path.join(a.out, "yaml")
    os.makedirs(ydir, exist_ok=True)
    for f in os.listdir(ydir):
        if f.endswith(".yaml"):
            os.remove(os.path.join(ydir, f))
    projects = [project(a.seed, i, m) for i in range(a.n)]
    files = []
    for p in projects:
        fn = os.path.join(ydir, f"{p['i']:05d}.yaml")
        with open(fn, "w", encoding="utf-8") as fh:
            fh.write(to_yaml(p))
        files.append(fn)
    peers = {"title": TITLE, "subtitle": f"（{projects[0]['year'] if projects else 2025}年度）",
             "source": f"bench/gen.py -n {a.n} --seed {a.seed}",
             "projects": [to_peer(p) for p in projects]}
    with open(os.path.join(a.out, "peers.json"), "w", encoding="utf-8") as fh:
        json.dump(peers, fh, ensure_ascii=False)
    strs = [s for p in projects for s in strings_of(p)]
    chars = sum(len(s) for s in strs)
    info = {"n": a.n, "seed": a.seed, "strings": len(strs), "distinct_strings": len(set(strs)),
            "chars": chars, "chars_per_project": chars / max(a.n, 1),
            "indicators_per_side": sum(len(p["ind"]["period"]) for p in projects) / max(a.n, 1),
            "models": [sum(1 for p in projects if p["base"] == b) for b in range(6)],
            "departments": len({p["code"] for p in projects})}
    print(f"gen: {a.n} projects in {ydir}, peers' input {os.path.join(a.out, 'peers.json')}; "
          f"{info['distinct_strings']} distinct strings of {info['strings']}, "
          f"{info['chars_per_project']:.0f} characters a project, "
          f"{info['indicators_per_side']:.1f} indicators a side, {info['departments']} departments",
          file=sys.stderr)
    rc = 0
    jx = a.check or a.stats
    if jx:
        e, w, rules, bad = run_check(jx, files)
        info["check"] = {"errors": e, "warnings": w, "by_rule": rules}
        print(f"gen: jxform check: {e} errors, {w} warnings {rules}", file=sys.stderr)
        for b in bad:
            print("  " + b, file=sys.stderr)
        rc = 1 if e else 0
    if a.stats:
        # the old benchmark's inputs: the six samples, copied
        sdir = os.path.join(ROOT, "samples")
        sfiles = sorted(os.path.join(sdir, f) for f in os.listdir(sdir) if f.endswith(".yaml"))
        copies = [s for smp in m.samples for s in strings_of(smp)]
        info["copies_distinct_strings"] = len(set(copies))
        info["distinct_lines"], info["lines"] = layout_lines(jx, files)
        info["copies_distinct_lines"], sl = layout_lines(jx, sfiles)
        info["copies_lines"] = sl * (a.n // 6)
        print(f"gen: distinct strings {info['distinct_strings']} (copies of the samples: "
              f"{info['copies_distinct_strings']}); distinct laid-out lines {info['distinct_lines']} "
              f"of {info['lines']} (copies: {info['copies_distinct_lines']} of {info['copies_lines']})",
              file=sys.stderr)
    with open(os.path.join(a.out, "gen.json"), "w", encoding="utf-8") as fh:
        json.dump(info, fh, ensure_ascii=False, indent=1)
    return rc


if __name__ == "__main__":
    sys.exit(main())
