#!/usr/bin/env python3
"""Checks the rendered samples through poppler.

For each sample NAME.yaml, WORK/NAME.pdf, WORK/NAME.model and
WORK/NAME.layout (jxform's --dump=model and --dump=layout) must exist.
Asserts:
  - pdftotext and pdffonts print no warning; every font is embedded,
    subset and has a ToUnicode map;
  - every text value of the model (each cell's text, white space removed)
    is drawn: it is a substring of the layout's runs joined in drawing
    order, and so is every label of the form;
  - the PDF's extracted text holds exactly the characters drawn (the same
    multiset), so every drawn character can be extracted;
  - every drawn line (one run) appears whole in the extracted text;
  - the page counts: 人才工作经费 two pages, every other form one;
  - WORK/all.pdf holds all forms: its page count is the sum.
Exit status 0 when all hold; prints each failure otherwise.
"""
import collections
import os
import re
import subprocess
import sys

LABELS = ['项目名称', '主管部门及代码', '实施单位', '项目属性', '项目期',
          '项目资金（元）', '实施期资金总额：', '年度资金总额：',
          '其中：中央财政资金', '省级财政资金', '市县（区）财政资金', '单位自筹',
          '其他资金', '项目概况', '立项依据', '项目设立必要性',
          '保证项目实施的制度、措施', '项目实施计划', '总体目标', '实施期目标',
          '年度目标', '一级指标', '二级指标', '三级指标', '指标值',
          '产出指标', '数量指标', '质量指标', '时效指标', '成本指标', '效益指标',
          '经济效益指标', '社会效益指标', '生态效益指标', '可持续影响指标',
          '满意度指标', '服务对象满意度指标', '负责人：', '经办人：', '联系电话：',
          '填报日期：', '阳泉市市级预算部门（单位）项目支出绩效目标表']

failures = []


def fail(msg):
    failures.append(msg)
    print('FAIL:', msg)


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        fail(f'{" ".join(cmd)} exited {p.returncode}: {p.stderr.strip()}')
    if p.stderr.strip():
        fail(f'{" ".join(cmd)} warned: {p.stderr.strip()[:300]}')
    return p.stdout


def squeeze(s):
    return re.sub(r'\s+', '', s)


def pages(pdf):
    info = run(['pdfinfo', pdf])
    m = re.search(r'^Pages:\s+(\d+)', info, re.M)
    return int(m.group(1)) if m else -1


def layout_runs(path):
    """The text of each run of a --dump=layout file, in drawing order."""
    runs = []
    for line in open(path, encoding='utf-8'):
        m = re.match(r'\s*text .*?"(.*)"$', line.rstrip('\n'))
        if m:
            runs.append(m.group(1))
    return runs


def model_values(path):
    """The quoted values of a --dump=model file (unescaped)."""
    values = []
    for line in open(path, encoding='utf-8'):
        for m in re.finditer(r'"((?:[^"\\]|\\.)*)"', line):
            values.append(m.group(1).encode('utf-8').decode('unicode_escape')
                          .encode('latin-1').decode('utf-8'))
        m = re.match(r'funds\.\S+ @\S+ (\S+)$', line.strip())
        if m and m.group(1) != 'absent':
            values.append(m.group(1))
    return [v for v in values if v.strip()]


def main():
    work, samples = sys.argv[1], sys.argv[2:]
    total = 0
    for yaml in samples:
        name = os.path.basename(yaml)[:-5]
        pdf = os.path.join(work, name + '.pdf')
        text = squeeze(run(['pdftotext', pdf, '-']))
        fonts = run(['pdffonts', pdf]).splitlines()[2:]
        if not fonts:
            fail(f'{name}: no fonts listed')
        for f in fonts:
            cols = f.split()
            if cols[-5:-2] != ['yes', 'yes', 'yes']:
                fail(f'{name}: font not embedded/subset/unicode: {f}')
        runs = layout_runs(os.path.join(work, name + '.layout'))
        drawn = squeeze(''.join(runs))
        for v in model_values(os.path.join(work, name + '.model')):
            if squeeze(v) not in drawn:
                fail(f'{name}: value not drawn: {v[:60]}')
        for label in LABELS:
            if label not in drawn:
                fail(f'{name}: label not drawn: {label}')
        if collections.Counter(drawn) != collections.Counter(text):
            lost = collections.Counter(drawn) - collections.Counter(text)
            more = collections.Counter(text) - collections.Counter(drawn)
            fail(f'{name}: extracted text differs from the drawn text: '
                 f'lost {dict(lost)} extra {dict(more)}')
        for r in runs:
            if squeeze(r) not in text:
                fail(f'{name}: drawn line not extracted whole: {r}')
        n = pages(pdf)
        want = 2 if '人才工作经费' in text else 1
        if n != want:
            fail(f'{name}: {n} pages, expected {want}')
        total += n
    n = pages(os.path.join(work, 'all.pdf'))
    if n != total:
        fail(f'all.pdf: {n} pages, expected {total}')
    print(f'{len(samples)} samples, {total} pages: '
          f'{"ok" if not failures else str(len(failures)) + " failures"}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
