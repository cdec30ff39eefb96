#!/usr/bin/env python3
"""Generate constructs/src/facts/data.rs, the ElastiCache facts a machine can read,
from AWS-derived data in two pinned PyPI packages:

- cfn-lint (MIT-0): `cfnlint/data/schemas/extensions/aws_elasticache_cachecluster/`
  `cachenodetype_enum.json` (node types per region, from the AWS pricing API) and
  `engine_version.json` (engine versions, from the ElastiCache API), with the date
  of its schema data (`cfnlint/data/schemas/version.json`);
- cfn-lint's `cfnlint/helpers.py` and `cfnlint/data/schemas/other/` (template,
  parameters, outputs): the CloudFormation parameter types and the limits on
  descriptions and parameter values, for the template integrity rules;
- cfn-lint's `cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json`: the Lambda
  runtimes and their deprecation dates, for the password rotation function's runtime;
- botocore (Apache-2.0): the ElastiCache service model `data/elasticache/2015-02-02/
  service-2.json`, for the API's enumerations and id patterns; the IAM model, for role
  names and paths; the Secrets Manager model, for rotation rules.

Usage:
  python3 scripts/gen-facts.py           # rewrite constructs/src/facts/data.rs
  python3 scripts/gen-facts.py --check   # exit 1 if the committed file differs

The versions are pinned below (and in .ci/run): the generated file names them, and
`--check` refuses other installed versions, so the committed table always says
which data it came from. To refresh: bump the pins, install, run, review the diff.
"""
import gzip
import json
import pathlib
import sys

CFN_LINT = "1.58.0"
BOTOCORE = "1.44.8"

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "constructs" / "src" / "facts" / "data.rs"

# botocore enumerations the rules use, by shape name: (Rust name, doc).
ENUMS = [
    ("ClusterMode", "CLUSTER_MODES", "`ClusterMode` of a replication group"),
    ("Durability", "DURABILITY", "`Durability` of a replication group"),
    ("NetworkType", "NETWORK_TYPES", "`NetworkType` of a cache"),
    ("IpDiscovery", "IP_DISCOVERY", "`IpDiscovery` of a cache"),
    ("TransitEncryptionMode", "TRANSIT_ENCRYPTION_MODES", "`TransitEncryptionMode`"),
    ("LogType", "LOG_TYPES", "`LogDeliveryConfigurations[].LogType`"),
    ("LogFormat", "LOG_FORMATS", "`LogDeliveryConfigurations[].LogFormat`"),
    ("DestinationType", "LOG_DESTINATION_TYPES", "`LogDeliveryConfigurations[].DestinationType`"),
    ("InputAuthenticationType", "USER_AUTHENTICATION_TYPES", "`AuthenticationMode.Type` of a user"),
]
PATTERNS = [
    ("AllowedNodeGroupId", "NODE_GROUP_ID", "`NodeGroupConfiguration[].NodeGroupId`"),
]
# botocore IAM shapes (service model 2010-05-08) the grants use: (shape, Rust name, doc).
IAM_PATTERNS = [
    ("roleNameType", "IAM_ROLE_NAME", "a role name"),
    ("userNameType", "IAM_USER_NAME", "a user name (AttachUserPolicy's UserName)"),
    ("groupNameType", "IAM_GROUP_NAME", "a group name (AttachGroupPolicy's GroupName)"),
    ("pathType", "IAM_PATH", "a role, user or group path"),
]

# botocore Secrets Manager shapes (service model 2017-10-17) of the rotation rules.
SECRETS_MANAGER_PATTERNS = [
    ("ScheduleExpressionType", "ROTATION_SCHEDULE_EXPRESSION", "`RotationRules.ScheduleExpression`"),
    ("DurationType", "ROTATION_DURATION", "`RotationRules.Duration`"),
]


def installed_versions():
    import botocore
    import cfnlint

    version = getattr(cfnlint, "__version__", None)
    if version is None:
        from cfnlint.version import __version__ as version
    return cfnlint, version, botocore, botocore.__version__


def service_shapes(botocore, service, version):
    """The shapes of botocore's model of `service` (gzipped or not, as botocore ships it)."""
    model = next((pathlib.Path(botocore.__file__).parent / "data" / service / version).glob("service-2.json*"))
    with (gzip.open if model.suffix == ".gz" else open)(model, "rt") as f:
        return json.load(f)["shapes"]


def write_patterns(w, api, shapes, rows):
    """One `(pattern, shortest, longest)` constant per (shape, Rust name, doc) row."""
    for shape, name, doc in rows:
        s = shapes[shape]
        w(f"/// The {api} API's constraint on {doc} (shape `{shape}`): pattern, shortest, longest.")
        w(f"pub const {name}: (&str, usize, usize) = ({json.dumps(s['pattern'])}, {s['min']}, {s['max']});")
        w("")


def rust_list(items, indent="    "):
    lines, line = [], indent
    for s in items:
        piece = json.dumps(s) + ", "
        if len(line) + len(piece) > 110:
            lines.append(line.rstrip())
            line = indent
        line += piece
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


def generate():
    cfnlint, cfn_version, botocore, boto_version = installed_versions()
    data = pathlib.Path(cfnlint.__file__).parent / "data" / "schemas"
    schema_date = json.loads((data / "version.json").read_text())["schema_date"]
    ext = data / "extensions" / "aws_elasticache_cachecluster"
    by_region = {
        region: v["enum"]
        for region, v in json.loads((ext / "cachenodetype_enum.json").read_text()).items()
        if isinstance(v, dict)
    }
    versions = json.loads((ext / "engine_version.json").read_text())

    engines = {}
    for clause in versions["allOf"]:
        const = clause.get("if", {}).get("properties", {}).get("Engine", {}).get("const")
        enum = clause.get("then", {}).get("properties", {}).get("EngineVersion", {}).get("enum")
        if const and enum:
            engines[const] = sorted(enum, key=lambda v: [int(x) if x.isdigit() else x for x in v.split(".")])

    regions = sorted(by_region)
    if len(regions) > 64:
        raise SystemExit("more than 64 regions: widen the region mask in gen-facts.py")
    types = {}
    for i, region in enumerate(regions):
        for t in by_region[region]:
            types[t] = types.get(t, 0) | (1 << i)

    shapes = service_shapes(botocore, "elasticache", "2015-02-02")
    iam_shapes = service_shapes(botocore, "iam", "2010-05-08")

    sm_shapes = service_shapes(botocore, "secretsmanager", "2017-10-17")
    lifecycle = json.loads(
        (pathlib.Path(cfnlint.__file__).parent / "data" / "AdditionalSpecs" / "LmbdRuntimeLifecycle.json").read_text()
    )
    # the Python runtime nothing succeeds: the newest one
    (python_runtime,) = [r for r, v in lifecycle.items() if r.startswith("python") and v.get("successor") is None]
    python_deprecated = lifecycle[python_runtime]["deprecated"]

    helpers = __import__("cfnlint.helpers", fromlist=["helpers"])
    parameter_types = sorted(helpers.VALID_PARAMETER_TYPES_SINGLE | helpers.VALID_PARAMETER_TYPES_LIST)
    other = data / "other"
    template_description = json.loads((other / "template" / "description.json").read_text())["maxLength"]
    param_props = json.loads((other / "parameters" / "configuration.json").read_text())["patternProperties"]
    (param_schema,) = param_props.values()
    param_description = param_schema["properties"]["Description"]["maxLength"]
    param_value = param_schema["properties"]["Default"]["maxLength"]
    output_props = json.loads((other / "outputs" / "configuration.json").read_text())["patternProperties"]
    (output_schema,) = output_props.values()
    output_description = output_schema["properties"]["Description"]["maxLength"]

    out = []
    w = out.append
    w("//! ElastiCache facts generated from AWS-derived data. Do not edit: run")
    w("//! `python3 scripts/gen-facts.py` (a test fails when this file differs from its output).")
    w("//!")
    w(f"//! - cfn-lint {cfn_version} (MIT-0), schema data of {schema_date}: node types per region")
    w("//!   (`cachenodetype_enum.json`, from the AWS pricing API) and engine versions")
    w("//!   (`engine_version.json`, from the ElastiCache API);")
    w(f"//! - botocore {boto_version} (Apache-2.0), ElastiCache service model 2015-02-02: enumerations")
    w("//!   and id patterns of the API; IAM service model 2010-05-08: role name and path constraints;")
    w("//!   Secrets Manager service model 2017-10-17: rotation rule constraints;")
    w("//! - cfn-lint's `LmbdRuntimeLifecycle.json`: the newest Lambda Python runtime.")
    w("")
    w("/// The sources of this file, for messages.")
    w(f'pub const SOURCE: &str = "cfn-lint {cfn_version} and botocore {boto_version}";')
    w("")
    w("/// The date of the node-type and engine-version data (cfn-lint's schema date).")
    w(f'pub const DATE: &str = "{schema_date[:10]}";')
    w("")
    for engine in ("redis", "valkey"):
        w(f"/// {engine} engine versions ElastiCache offers for node-based caches, oldest first.")
        w(f"pub const {engine.upper()}_VERSIONS: &[&str] = &[")
        w(rust_list(engines[engine]))
        w("];")
        w("")
    w("/// The regions of the node-type data, sorted; bit `i` of a mask in [`NODE_TYPES`] is `REGIONS[i]`.")
    w("pub const REGIONS: &[&str] = &[")
    w(rust_list(regions))
    w("];")
    w("")
    w("/// Every node type of the data, sorted, with the mask of the [`REGIONS`] that offer it.")
    w("pub const NODE_TYPES: &[(&str, u64)] = &[")
    for t in sorted(types):
        w(f'    ("{t}", {types[t]:#x}),')
    w("];")
    w("")
    w("/// Every CloudFormation parameter type, sorted (cfn-lint's `VALID_PARAMETER_TYPES_SINGLE`")
    w("/// and `VALID_PARAMETER_TYPES_LIST`, parameters.html).")
    w("pub const PARAMETER_TYPES: &[&str] = &[")
    w(rust_list(parameter_types))
    w("];")
    w("")
    w("/// The longest template `Description`, in bytes (cfn-lint `schemas/other/template/description.json`).")
    w(f"pub const TEMPLATE_DESCRIPTION_MAX: usize = {template_description};")
    w("/// The longest parameter `Description` (cfn-lint `schemas/other/parameters`).")
    w(f"pub const PARAMETER_DESCRIPTION_MAX: usize = {param_description};")
    w("/// The longest parameter `Default` or `AllowedValues` item (cfn-lint `schemas/other/parameters`).")
    w(f"pub const PARAMETER_VALUE_MAX: usize = {param_value};")
    w("/// The longest output `Description` (cfn-lint `schemas/other/outputs`).")
    w(f"pub const OUTPUT_DESCRIPTION_MAX: usize = {output_description};")
    w("")
    for shape, name, doc in ENUMS:
        w(f"/// The values the ElastiCache API takes for {doc} (shape `{shape}`).")
        w(f"pub const {name}: &[&str] = &[")
        w(rust_list(shapes[shape]["enum"]))
        w("];")
        w("")
    write_patterns(w, "ElastiCache", shapes, PATTERNS)
    write_patterns(w, "IAM", iam_shapes, IAM_PATTERNS)
    w("/// The newest Lambda Python runtime (the one no runtime succeeds in cfn-lint's")
    w(f"/// `LmbdRuntimeLifecycle.json`), deprecated on {python_deprecated}: the rotation function's default.")
    w(f'pub const LAMBDA_PYTHON_RUNTIME: &str = "{python_runtime}";')
    w("")
    days = sm_shapes["AutomaticallyRotateAfterDaysType"]
    w("/// The Secrets Manager API's range of `RotationRules.AutomaticallyAfterDays`")
    w("/// (shape `AutomaticallyRotateAfterDaysType`): shortest, longest.")
    w(f"pub const ROTATION_DAYS: (u64, u64) = ({days['min']}, {days['max']});")
    w("")
    write_patterns(w, "Secrets Manager", sm_shapes, SECRETS_MANAGER_PATTERNS)
    return "\n".join(out).rstrip() + "\n", cfn_version, boto_version


def main():
    check = "--check" in sys.argv[1:]
    text, cfn_version, boto_version = generate()
    if check:
        if (cfn_version, boto_version) != (CFN_LINT, BOTOCORE):
            print(
                f"gen-facts: installed cfn-lint {cfn_version} and botocore {boto_version}, "
                f"pinned {CFN_LINT} and {BOTOCORE}: install the pinned versions",
                file=sys.stderr,
            )
            return 1
        current = OUT.read_text() if OUT.exists() else ""
        if current != text:
            print(f"gen-facts: {OUT.relative_to(ROOT)} differs from what cfn-lint {CFN_LINT} and botocore "
                  f"{BOTOCORE} give; run python3 scripts/gen-facts.py and review the diff", file=sys.stderr)
            return 1
        print(f"gen-facts: {OUT.relative_to(ROOT)} matches cfn-lint {CFN_LINT} and botocore {BOTOCORE}")
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    tmp = OUT.with_suffix(".rs.tmp")
    tmp.write_text(text)
    tmp.replace(OUT)
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
