#!/usr/bin/env python3
"""schema/project.schema.json is kept in step with the loader (src/load.c).

  1. For every mapping of the schema, a key no schema knows is put into a
     valid project; the loader must refuse it and list the keys it knows
     there ("expected one of: ...") — exactly the schema's properties.
  2. Every key the schema marks required, left out of a valid project,
     gives "missing required key 'PATH'"; no other key does.
  3. `jxform new` writes a skeleton whose keys are all in the schema.
  4. The six samples and tests/golden/*.yaml start with the modeline that
     points at the schema, and (when python3-jsonschema and python3-yaml
     are installed) they validate against it.

Usage: schema_sync.py JXFORM SOURCE_DIR WORK_DIR
"""
import copy
import glob
import json
import os
import re
import subprocess
import sys

FAR_KEY = 'zzqxjkw'

# A valid project with every key of the schema (JSON is YAML too).
FULL = {
    'schema': 1, 'template': 'yangquan-2025', 'year': 2025,
    'project': {'name': '测试项目', 'department': {'code': '045', 'name': '某局'},
                'implementer': '某局', 'attribute': '经常性项目（长期开展）',
                'duration': '99年'},
    'funds': {side: {'total': 100, 'central': 0, 'provincial': 0,
                     'city_county': 100, 'self_raised': 0, 'other': None}
              for side in ('period', 'annual')},
    'overview': '概况', 'basis': '依据', 'necessity': '必要', 'measures': '措施',
    'plan': '计划', 'goals': {'period': '目标', 'annual': '目标'},
    'indicators': {side: [{'level1': '产出指标', 'level2': '数量指标',
                           'level3': '条数', 'value': '117条', 'note': ''}]
                   for side in ('period', 'annual')},
    'footer': {'responsible': '', 'handler': '', 'phone': '0353-1234567',
               'date': '20250210111110'},
}


def walk(schema, root, node, path):
    """Yields (path, mapping schema) for every object of the schema; a
    list's items are at PATH[0]."""
    if '$ref' in node:
        node = root['definitions'][node['$ref'].split('/')[-1]]
    if 'properties' in node:
        yield path, node
        for key, sub in node['properties'].items():
            yield from walk(schema, root, sub, path + [key])
    elif 'items' in node:
        yield from walk(schema, root, node['items'], path + [0])


def at(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def dotted(path):
    out = ''
    for p in path:
        out += '[%d]' % p if isinstance(p, int) else ('.' if out else '') + p
    return out


def schema_errors(stderr):
    """The loader's errors: those without a consistency rule id."""
    return [line for line in stderr.splitlines() if ': error: ' in line and
            not re.search(r'\[[a-z0-9-]+\]$', line)]


def check(jxform, work, env, doc, name):
    path = os.path.join(work, name + '.yaml')
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(doc, f, ensure_ascii=False)
    r = subprocess.run([jxform, 'check', path], env=env, capture_output=True,
                       text=True, timeout=60)
    return r.returncode, r.stderr


def main():
    jxform, src, work = (os.path.abspath(a) for a in sys.argv[1:4])
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, JXFORM_TEMPLATE_DIR=os.path.join(src, 'templates'))
    schema_path = os.path.join(src, 'schema', 'project.schema.json')
    schema = json.load(open(schema_path, encoding='utf-8'))
    failures, checks = [], 0

    rc, err = check(jxform, work, env, FULL, 'full')
    if rc != 0 or ': error: ' in err:
        failures.append('the full project does not load:\n' + err)

    for path, node in walk(schema, schema, schema, []):
        where = dotted(path)
        props = set(node['properties'])
        # 1. the loader's keys here are the schema's
        doc = copy.deepcopy(FULL)
        at(doc, path)[FAR_KEY] = 'x'
        rc, err = check(jxform, work, env, doc, 'far')
        m = re.search(r"unknown key '%s' (?:in '([^']*)'|at the top level) "
                      r"\(expected one of: ([^)]*)\)" % FAR_KEY, err)
        checks += 1
        if rc != 1 or not m:
            failures.append('%s: the loader did not refuse an unknown key:\n%s'
                            % (where or 'top level', err))
        else:
            loader = set(m.group(2).split(', '))
            if loader != props:
                failures.append('%s: loader keys %s, schema keys %s' %
                                (where or 'top level', sorted(loader),
                                 sorted(props)))
            if (m.group(1) or '') != where:
                failures.append('%s: the loader names the mapping %r' %
                                (where, m.group(1)))
        if node.get('additionalProperties') is not False:
            failures.append('%s: additionalProperties is not false' % where)
        # 2. required keys
        for key in sorted(props):
            doc = copy.deepcopy(FULL)
            del at(doc, path)[key]
            rc, err = check(jxform, work, env, doc, 'missing')
            full = dotted(path + [key])
            said = ("missing required key '%s'" % full) in err
            checks += 1
            if key in node.get('required', []):
                if rc != 1 or not said:
                    failures.append('%s is required by the schema, but the '
                                    'loader said:\n%s' % (full, err))
            elif said or schema_errors(err):
                failures.append('%s is optional in the schema, but the loader '
                                'said:\n%s' % (full, err))

    # 3. the skeleton's keys
    r = subprocess.run([jxform, 'new', '--year', '2025'], env=env,
                       capture_output=True, text=True, timeout=60)
    keys = re.findall(r'^\s*(?:- )?([a-z_0-9]+):', r.stdout, re.M)
    known = set()
    for path, node in walk(schema, schema, schema, []):
        known |= set(node['properties'])
    checks += 1
    if r.returncode != 0 or not keys or set(keys) - known:
        failures.append('jxform new: keys not in the schema: %s' %
                        sorted(set(keys) - known))
    # 'note' is for templates with a 备注 column; yangquan-2025 has none.
    if known - set(keys) - {'note'}:
        failures.append('jxform new: schema keys missing from the skeleton: %s'
                        % sorted(known - set(keys) - {'note'}))

    # 4. modelines and validation
    files = sorted(glob.glob(os.path.join(src, 'samples', '*.yaml')))
    for f in files:
        first = open(f, encoding='utf-8').readline().strip()
        m = re.match(r'# yaml-language-server: \$schema=(\S+)$', first)
        checks += 1
        if not m or os.path.realpath(os.path.join(os.path.dirname(f),
                                                  m.group(1))) != \
                os.path.realpath(schema_path):
            failures.append('%s: first line is not the schema modeline' % f)
    try:
        import jsonschema
        import yaml
    except ImportError:
        print('schema: python3-jsonschema or python3-yaml missing: samples '
              'not validated against the schema')
    else:
        jsonschema.Draft7Validator.check_schema(schema)
        validator = jsonschema.Draft7Validator(schema)
        for f in files + sorted(glob.glob(os.path.join(src, 'tests', 'golden',
                                                       '*.yaml'))):
            checks += 1
            errors = list(validator.iter_errors(
                yaml.safe_load(open(f, encoding='utf-8'))))
            if errors:
                failures.append('%s does not validate: %s' %
                                (f, errors[0].message))
        for bad_doc in ({'schema': 1}, dict(FULL, extra=1)):
            checks += 1
            if validator.is_valid(bad_doc):
                failures.append('the schema accepts %r' % list(bad_doc))

    for f in failures:
        print('FAIL: ' + f)
    print('schema: %d passed, %d failed' % (checks - len(failures),
                                            len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
