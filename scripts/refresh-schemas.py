#!/usr/bin/env python3
"""Copy the CloudFormation resource provider schemas the library emits from an
installed cfn-lint (MIT-0) into constructs/schemas/, then regenerate the L1 layer.

Usage: python3 scripts/refresh-schemas.py   (needs `pip install cfn-lint`)

The list of types is TYPES below: add a type there, run this script, commit the
schema and the regenerated constructs/src/cfn/generated.rs together.
"""
import importlib
import json
import os
import pathlib
import subprocess
import sys

TYPES = [
    "AWS::CloudWatch::Alarm",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::VPCEndpoint",
    "AWS::ElastiCache::CacheCluster",
    "AWS::ElastiCache::ParameterGroup",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::ElastiCache::ServerlessCache",
    "AWS::ElastiCache::SubnetGroup",
    "AWS::ElastiCache::User",
    "AWS::ElastiCache::UserGroup",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::Role",
    "AWS::KMS::Alias",
    "AWS::KMS::Key",
    "AWS::Lambda::Function",
    "AWS::Lambda::Permission",
    "AWS::Logs::LogGroup",
    "AWS::SNS::Topic",
    "AWS::SNS::TopicPolicy",
    "AWS::SQS::Queue",
    "AWS::SecretsManager::RotationSchedule",
    "AWS::SecretsManager::Secret",
]

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "constructs" / "schemas"


# Keywords that document a schema or drive the resource provider, and keywords of
# the provider-schema dialect that draft 7 does not know (annotations to the
# validator): they validate nothing, yet the validator would parse them and the
# meta-schema check walk them (cfn-lint 1.51 shipped its schemas without the
# documentation; 1.58 ships it, tripling the size). The schemas are written
# without whitespace for the same reason (pretty-print one to read it).
NOT_VALIDATING = {
    "description", "markdownDescription", "handlers", "sourceUrl", "documentationUrl", "propertyTransform",
    "examples", "$comment", "insertionOrder", "relationshipRef", "arrayType", "enumCaseInsensitive",
    "requiredXor", "dependentExcluded", "propertyPath",
}


def strip(node, parent=None):
    """The schema without NOT_VALIDATING keywords (a property named like one stays)."""
    if isinstance(node, dict):
        return {k: strip(v, k) for k, v in node.items() if parent in ("properties", "definitions") or k not in NOT_VALIDATING}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def main() -> int:
    import cfnlint

    base = pathlib.Path(cfnlint.__file__).parent / "data" / "schemas"
    try:
        providers = importlib.import_module("cfnlint.data.schemas.providers.us_east_1").types
    except ImportError:
        providers = json.loads((base / "providers" / "us-east-1.json").read_text())
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.json"):
        old.unlink()
    for type_name in TYPES:
        file_hash = providers[type_name]
        schema = strip(json.loads((base / "resources" / f"{file_hash}.json").read_text()))
        name = type_name.replace("::", "_") + ".json"
        (OUT / name).write_text(json.dumps(schema, sort_keys=True, separators=(",", ":")) + "\n")
    version = getattr(cfnlint, "__version__", None)
    if version is None:
        from cfnlint.version import __version__ as version
    (OUT / "PROVENANCE.md").write_text(
        "# Provenance\n\n"
        "CloudFormation resource provider schemas, region us-east-1, copied from the\n"
        f"`cfn-lint` {version} package data (`cfnlint/data/schemas/resources/`), which is\n"
        "licensed MIT-0, without the keywords that validate nothing (descriptions, handlers,\n"
        "source URLs, property transforms, dialect annotations) and without whitespace (see\n"
        "NOT_VALIDATING in the script). Refresh with `python3 scripts/refresh-schemas.py`; the script also\n"
        "regenerates `constructs/src/cfn/generated.rs` from these files.\n\n"
        "Types:\n\n" + "".join(f"- `{t}`\n" for t in TYPES)
    )
    subprocess.run([sys.executable, str(ROOT / "scripts" / "gen-l1.py")], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
