#!/usr/bin/env python3
"""The JSON Schemas in schema/ are what the templates declare.

  1. For every template T in templates/, schema/T.schema.json is exactly
     `jxform schema --template T` (the files are written by the program,
     never by hand); schema/project.schema.json is the default template's.
  2. `jxform new --template T | jxform check -` passes (exit 0, no error)
     for every template, and every key of the skeleton is a property of
     the schema (walked object by object).
  3. For every object of the schema, a key no schema knows is refused by
     the loader, which lists the keys it knows there ("expected one of:
     ...") — exactly the schema's properties (checked at the top level,
     where the skeleton gives a valid file to start from).
  4. The samples and tests/golden/*.yaml name, in their modeline, a schema
     that exists; with python3-jsonschema and python3-yaml installed they
     validate against it.

Usage: schema_sync.py JXFORM SOURCE_DIR WORK_DIR
"""
import glob
import json
import os
import re
import subprocess
import sys


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, **kw)


def main():
    jxform, src, work = sys.argv[1:4]
    env = dict(os.environ, JXFORM_TEMPLATE_DIR=os.path.join(src, 'templates'))
    failures = []
    templates = sorted(os.path.basename(p)[:-5]
                       for p in glob.glob(os.path.join(src, 'templates', '*.yaml')))
    assert templates, 'no templates'
    for name in templates:
        got = run([jxform, 'schema', '--template', name], env=env)
        if got.returncode != 0:
            failures.append('%s: schema exited %d: %s' %
                            (name, got.returncode, got.stderr))
            continue
        path = os.path.join(src, 'schema', name + '.schema.json')
        want = open(path, encoding='utf-8').read() if os.path.exists(path) else None
        if want != got.stdout:
            failures.append('%s differs from `jxform schema --template %s` '
                            '(rewrite it with that command)' % (path, name))
        schema = json.loads(got.stdout)
        new = run([jxform, 'new', '--template', name, '--year', '2025'], env=env)
        if new.returncode != 0:
            failures.append('%s: new exited %d' % (name, new.returncode))
            continue
        check = run([jxform, 'check', '-'], input=new.stdout, env=env)
        if check.returncode != 0 or ': error: ' in check.stderr:
            failures.append('%s: the skeleton does not check clean:\n%s' %
                            (name, check.stderr))
        # Every key of the skeleton is in the schema.
        try:
            import yaml
        except ImportError:
            yaml = None
        if yaml:
            doc = yaml.safe_load(new.stdout)
            bad = []

            def walk(value, node, path):
                if isinstance(value, dict):
                    props = node.get('properties', {})
                    for k, v in value.items():
                        if k not in props:
                            bad.append(path + k)
                        else:
                            walk(v, props[k], path + k + '.')
                elif isinstance(value, list) and 'items' in node:
                    for v in value:
                        walk(v, node['items'], path + '[].')
            walk(doc, schema, '')
            if bad:
                failures.append('%s: skeleton keys not in the schema: %s' %
                                (name, ', '.join(bad)))
        # An unknown key at the top level lists exactly the schema's keys.
        probe = new.stdout + '\nzzqxjkw: 1\n'
        res = run([jxform, 'check', '-'], input=probe, env=env)
        m = re.search(r"unknown key 'zzqxjkw' at the top level \(expected one "
                      r"of: (.*)\)$", res.stderr, re.M)
        if not m:
            failures.append('%s: unknown top-level key not refused:\n%s' %
                            (name, res.stderr))
        else:
            listed = [re.sub(r' \(.*', '', k) for k in m.group(1).split(', ')]
            if sorted(listed) != sorted(schema['properties']):
                failures.append('%s: loader lists %s, schema has %s' %
                                (name, sorted(listed),
                                 sorted(schema['properties'])))
    default = os.path.join(src, 'schema', 'project.schema.json')
    if open(default, encoding='utf-8').read() != open(
            os.path.join(src, 'schema', 'yangquan-2025.schema.json'),
            encoding='utf-8').read():
        failures.append('schema/project.schema.json is not the default '
                        "template's (yangquan-2025) schema")
    # Modelines.
    files = sorted(glob.glob(os.path.join(src, 'samples', '*.yaml')) +
                   glob.glob(os.path.join(src, 'samples', 'forms', '*.yaml')) +
                   glob.glob(os.path.join(src, 'tests', 'golden', '*.yaml')))
    try:
        import jsonschema
        import yaml
    except ImportError:
        jsonschema = None
    for f in files:
        text = open(f, encoding='utf-8').read()
        m = re.search(r'yaml-language-server: \$schema=(\S+)', text)
        if not m:
            failures.append('%s: no yaml-language-server modeline' % f)
            continue
        target = os.path.normpath(os.path.join(os.path.dirname(f), m.group(1)))
        if not os.path.exists(target):
            failures.append('%s: modeline names %s, which does not exist' %
                            (f, target))
            continue
        if jsonschema:
            # YAML 1.2 as editors read it: 2025-01-10 is text, not a date
            # (PyYAML's BaseLoader keeps every scalar a string).
            doc = yaml.load(text, Loader=yaml.BaseLoader)
            try:
                jsonschema.validate(doc, json.load(open(target, encoding='utf-8')))
            except jsonschema.ValidationError as e:
                failures.append('%s: does not validate against %s: %s' %
                                (f, target, e.message))
    for f in failures:
        print('FAIL:', f)
    print('schema: %d templates, %d files with a modeline; %d failures' %
          (len(templates), len(files), len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
