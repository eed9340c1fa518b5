#!/usr/bin/env python3
"""Writes standalone Kubernetes JSON schemas for kubeconform, offline.

PyPI's kubernetes-validate ships Kubernetes' JSON schemas per version, each resource's file
referring to a shared `/api/_definitions.json`. kubeconform wants one self-contained file per
kind, so this copies each schema the rendered manifests need, with the definitions it
reaches inlined under `$defs` (`schema_dir/<kind>-<group>-<version>.json`, kubeconform's naming).

usage: standalone-schemas.py SOURCE_VERSION_DIR TARGET_DIR MANIFEST.yaml [MANIFEST.yaml ...]
"""
import json
import re
import sys
from pathlib import Path

REF = '/api/_definitions.json#/$defs/'
LOCAL = '#/$defs/'


def kinds_in(manifests):
    """(kind, apiVersion) of each document, read without a YAML library: Helm's output is plain."""
    found = set()
    for manifest in manifests:
        for doc in Path(manifest).read_text().split('\n---'):
            kind = re.search(r'^kind:\s*(\S+)', doc, re.M)
            api = re.search(r'^apiVersion:\s*(\S+)', doc, re.M)
            if kind and api:
                found.add((kind.group(1), api.group(1)))
    return found


def file_name(kind, api_version):
    group, _, version = api_version.rpartition('/')
    suffix = f'-{group.split(".")[0]}-{version}' if group else f'-{version}'
    return f'{kind.lower()}{suffix}.json'


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == '$ref' and isinstance(value, str) and value.startswith((REF, LOCAL)):
                yield value.split('/$defs/', 1)[1]
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def main():
    source, target, manifests = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    definitions = json.loads((source / '_definitions.json').read_text())['$defs']
    target.mkdir(parents=True, exist_ok=True)
    for kind, api_version in sorted(kinds_in(manifests)):
        name = file_name(kind, api_version)
        path = source / name
        if not path.exists():
            continue  # a custom resource: kubeconform reports it, or it is skipped by kind
        schema = json.loads(path.read_text())
        needed, queue = {}, list(refs(schema))
        while queue:
            ref = queue.pop()
            if ref in needed:
                continue
            needed[ref] = definitions[ref]
            queue.extend(refs(definitions[ref]))
        schema.pop('$id', None)  # kubeconform compiles each file by its path
        schema['$defs'] = needed
        text = json.dumps(schema).replace(REF, LOCAL)
        (target / name).write_text(text)


if __name__ == '__main__':
    main()
