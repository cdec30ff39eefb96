#!/usr/bin/env python3
"""Prints, as one JSON object, how cfn-lint reads each template given: file -> the
template as cfn-lint's decoder (cfnlint.decode.decode, PyYAML with its
CloudFormation constructors) gives it, or {"cfn-lint-error": message}. YAML dates
(an unquoted 2012-10-17) are written as their text.

Used by tests/cfn_lint.rs to compare synth check's YAML reader with cfn-lint's.
Run it with a Python that has cfn-lint (the pinned one of .ci/run)."""
import datetime
import json
import sys

from cfnlint.decode import decode


def text(v):
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    raise TypeError(f"{type(v).__name__} is not JSON")


out = {}
for path in sys.argv[1:]:
    template, matches = decode(path)
    if matches:
        out[path] = {"cfn-lint-error": "; ".join(str(m) for m in matches)}
    else:
        out[path] = template
json.dump(out, sys.stdout, default=text)
