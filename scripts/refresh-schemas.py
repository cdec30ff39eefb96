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
    "AWS::KMS::Alias",
    "AWS::KMS::Key",
    "AWS::Logs::LogGroup",
    "AWS::SNS::Topic",
    "AWS::SNS::TopicPolicy",
    "AWS::SecretsManager::Secret",
]

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "constructs" / "schemas"


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
        schema = json.loads((base / "resources" / f"{file_hash}.json").read_text())
        name = type_name.replace("::", "_") + ".json"
        (OUT / name).write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n")
    version = getattr(cfnlint, "__version__", None)
    if version is None:
        from cfnlint.version import __version__ as version
    (OUT / "PROVENANCE.md").write_text(
        "# Provenance\n\n"
        "CloudFormation resource provider schemas, region us-east-1, copied from the\n"
        f"`cfn-lint` {version} package data (`cfnlint/data/schemas/resources/`), which is\n"
        "licensed MIT-0. Refresh with `python3 scripts/refresh-schemas.py`; the script also\n"
        "regenerates `constructs/src/cfn/generated.rs` from these files.\n\n"
        "Types:\n\n" + "".join(f"- `{t}`\n" for t in TYPES)
    )
    subprocess.run([sys.executable, str(ROOT / "scripts" / "gen-l1.py")], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
