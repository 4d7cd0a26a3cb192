#!/usr/bin/env python3
"""Writes the trimmed botocore service models that gee embeds.

Reads the six botocore models gee emulates (kms, glue, iam, sts, s3, logs)
from the installed botocore package and writes
emulator/protocol/models/<service>.json: the same JSON without the prose
(documentation, examples, deprecation messages) and without the endpoint
rule hints gee never uses. Every operation and every shape is kept; within a
shape, every key that changes validation or (de)serialisation is kept
(type, members and their order, required, enum, min, max, pattern,
locationName, location, flattened, xmlNamespace, xmlAttribute,
timestampFormat, sensitive, default values, payload, streaming, error and
exception flags, ...).

The output keeps the botocore key order (member order is significant: it is
the order AWS serialises members in) and puts each operation and each shape
on its own line so that a botocore update gives a readable diff.

Usage: tools/trim_models.py [--out DIR]   (default: emulator/protocol/models)
"""

import argparse
import gzip
import json
import os
import sys

import botocore

SERVICES = {
    "kms": "2014-11-01",
    "glue": "2017-03-31",
    "iam": "2010-05-08",
    "sts": "2011-06-15",
    "s3": "2006-03-01",
    "logs": "2014-03-28",
}

# Keys that only carry prose or SDK-generation hints.
PROSE_KEYS = {
    "documentation",
    "documentationUrl",
    "examples",
    "deprecatedMessage",
    "deprecatedSince",
}
TOP_LEVEL_DROP = PROSE_KEYS | {"clientContextParams"}
OPERATION_DROP = PROSE_KEYS | {"staticContextParams", "operationContextParams"}
MEMBER_DROP = PROSE_KEYS | {"contextParam"}
SHAPE_DROP = PROSE_KEYS


def trim_member_ref(ref):
    """A member reference: {shape, locationName, location, ...}."""
    return {k: v for k, v in ref.items() if k not in MEMBER_DROP}


def trim_shape(shape):
    out = {}
    for key, value in shape.items():
        if key in SHAPE_DROP:
            continue
        if key == "members":
            # Keys of `members` are member names, never prose keys: keep all.
            out[key] = {name: trim_member_ref(ref) for name, ref in value.items()}
        elif key in ("member", "key", "value"):
            out[key] = trim_member_ref(value)
        else:
            out[key] = value
    return out


def trim_operation(op):
    out = {}
    for key, value in op.items():
        if key in OPERATION_DROP:
            continue
        if key in ("input", "output"):
            out[key] = trim_member_ref(value)
        elif key == "errors":
            out[key] = [trim_member_ref(e) for e in value]
        else:
            out[key] = value
    return out


def dump_compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def render(model):
    """JSON text with one operation / shape per line, keys in model order."""
    lines = ["{"]
    top_items = [(k, v) for k, v in model.items() if k not in TOP_LEVEL_DROP]
    for index, (key, value) in enumerate(top_items):
        last_top = index == len(top_items) - 1
        if key in ("operations", "shapes"):
            lines.append(f"{json.dumps(key)}:{{")
            entries = list(value.items())
            for i, (name, entry) in enumerate(entries):
                trimmed = trim_operation(entry) if key == "operations" else trim_shape(entry)
                comma = "," if i < len(entries) - 1 else ""
                lines.append(f"{json.dumps(name)}:{dump_compact(trimmed)}{comma}")
            lines.append("}" + ("" if last_top else ","))
        else:
            lines.append(f"{json.dumps(key)}:{dump_compact(value)}" + ("" if last_top else ","))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--out", default=os.path.join(root, "emulator", "protocol", "models"))
    args = parser.parse_args()

    data_dir = os.path.join(os.path.dirname(botocore.__file__), "data")
    os.makedirs(args.out, exist_ok=True)
    for service, version in SERVICES.items():
        path = os.path.join(data_dir, service, version, "service-2.json.gz")
        with gzip.open(path, "rt", encoding="utf-8") as f:
            model = json.load(f)
        text = render(model)
        # The output must be valid JSON with every operation and shape kept.
        reparsed = json.loads(text)
        assert list(reparsed["operations"]) == list(model["operations"]), service
        assert list(reparsed["shapes"]) == list(model["shapes"]), service
        out_path = os.path.join(args.out, f"{service}.json")
        with open(out_path, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"{service}: {len(model['operations'])} operations, {len(model['shapes'])} shapes "
              f"-> {out_path} ({len(text.encode('utf-8'))} bytes)")
    print(f"botocore {botocore.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
