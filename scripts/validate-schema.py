#!/usr/bin/env python3
"""Validates YAML files against a JSON Schema, reading YAML as the YAML language server does
(YAML 1.2 core: true/false only are booleans, dates stay text).

usage: validate-schema.py SCHEMA FILE...   prints one JSON line per file: {"file", "valid", "errors"}
Needs PyYAML and jsonschema (pip install pyyaml jsonschema); exits 3 when they are missing.
"""
import json
import re
import sys

try:
    import jsonschema
    import yaml
except ImportError as error:
    print(f"validate-schema.py: {error}; install with `python3 -m pip install pyyaml jsonschema`", file=sys.stderr)
    sys.exit(3)


class CoreLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core booleans and no timestamps."""


CoreLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
CoreLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as handle:
            document = yaml.load(handle, Loader=CoreLoader)
        errors = [f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}" for error in validator.iter_errors(document)]
        print(json.dumps({"file": path, "valid": not errors, "errors": errors}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
