#!/usr/bin/env python3
"""Write the single-fault fixtures of synth/tests/fixtures/check/bad/ for the rules added
with the generated facts, each from the good template redis7-replication-group.json
with one change. Run once; the files are committed. (The older fixtures were
written by hand the same way.)"""
import collections
import copy
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
BAD = ROOT / "synth" / "tests" / "fixtures" / "check" / "bad"
GOOD = json.loads((ROOT / "synth/tests/fixtures/check/good/redis7-replication-group.json").read_text(),
                  object_pairs_hook=collections.OrderedDict)


def write(name, t, describe):
    t = copy.deepcopy(t)
    t["Description"] = "Single fault: " + describe
    (BAD / name).write_text(json.dumps(t, indent=1) + "\n")


def variant(change):
    t = copy.deepcopy(GOOD)
    change(t)
    return t


cache = lambda t: t["Resources"]["Cache"]["Properties"]

write("EC026-node-type-newer-than-data.json",
      variant(lambda t: t["Parameters"]["NodeType"].update(Default="cache.r9g.large")),
      "a node type of a family the generated data does not list yet")


def many_nodes(t):
    p = cache(t)
    del p["NumCacheClusters"]
    p.update(NumNodeGroups=50, ReplicasPerNodeGroup=1)
    t["Resources"]["Params"]["Properties"]["Properties"] = {"cluster-enabled": "yes"}
    t["Outputs"]["Host"]["Value"] = {"Fn::GetAtt": ["Cache", "ConfigurationEndPoint.Address"]}
    t["Outputs"]["Port"]["Value"] = {"Fn::GetAtt": ["Cache", "ConfigurationEndPoint.Port"]}


write("EC027-over-default-node-quota.json", variant(many_nodes), "100 nodes, over the default quota of 90")


def valkey_group(t):
    p = cache(t)
    del p["AuthToken"]
    p["UserGroupIds"] = [{"Ref": "Users"}]
    t["Resources"]["AppUser"] = {"Type": "AWS::ElastiCache::User", "Properties": {
        "UserId": "app", "UserName": "app", "Engine": "valkey", "AccessString": "on ~* +@all",
        "AuthenticationMode": {"Type": "iam"}}}
    t["Resources"]["Users"] = {"Type": "AWS::ElastiCache::UserGroup", "Properties": {
        "UserGroupId": "app-users", "Engine": "valkey", "UserIds": [{"Ref": "AppUser"}]}}


write("EC028-redis-cache-valkey-user-group.json", variant(valkey_group), "a Redis OSS group with a Valkey user group")
write("EC029-parameter-not-modifiable.json",
      variant(lambda t: t["Resources"]["Params"]["Properties"].setdefault("Properties", {}).update(maxclients="20000")),
      "a parameter group that sets maxclients, which ElastiCache does not let you change")


def old_version(t):
    cache(t)["EngineVersion"] = "5.0.6"
    t["Resources"]["Params"]["Properties"]["CacheParameterGroupFamily"] = "redis5.0"


write("EC030-extended-support-version.json", variant(old_version), "Redis OSS 5.0.6, past the end of standard support")


def ssm_password(t):
    valkey_group(t)
    t["Resources"]["Users"]["Properties"]["Engine"] = "redis"
    t["Resources"]["AppUser"]["Properties"].update(Engine="redis", AuthenticationMode={
        "Type": "password", "Passwords": ["{{resolve:ssm-secure:/app/redis-password:1}}"]})
    t["Resources"]["DefaultUser"] = {"Type": "AWS::ElastiCache::User", "Properties": {
        "UserId": "app-default", "UserName": "default", "Engine": "redis", "AccessString": "off -@all",
        "AuthenticationMode": {"Type": "password", "Passwords": ["{{resolve:secretsmanager:app-default:SecretString:password}}"]}}}
    t["Resources"]["Users"]["Properties"]["UserIds"] = [{"Ref": "DefaultUser"}, {"Ref": "AppUser"}]


write("SEC007-ssm-secure-user-password.json", variant(ssm_password), "a user password from an ssm-secure reference")
write("TPL003-depends-on-missing.json",
      variant(lambda t: t["Resources"]["Cache"].update(DependsOn=["Nowhere"])), "DependsOn a resource that does not exist")
write("TPL004-undefined-condition.json",
      variant(lambda t: t["Resources"]["CpuAlarm"].update(Condition="IsProd")), "a resource under a condition that is not defined")
write("TPL006-bad-logical-id.json",
      variant(lambda t: t["Resources"].update({"Bad-Id": {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": {"Ref": "Key"}}}})),
      "a logical id with a hyphen")


def too_many(t):
    for i in range(500):
        t["Resources"][f"Topic{i}"] = {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": {"Ref": "Key"}}}


write("TPL007-too-many-resources.json", variant(too_many), "over 500 resources")


def big(t):
    t["Resources"]["CpuAlarm"]["Properties"]["AlarmDescription"] = "x" * 1000
    for i in range(300):
        t["Resources"][f"Topic{i}"] = {"Type": "AWS::SNS::Topic", "Properties": {
            "KmsMasterKeyId": {"Ref": "Key"}, "DisplayName": "y" * 90}}


write("TPL008-over-inline-size.json", variant(big), "over 51,200 bytes")
write("TPL009-resource-without-type.json",
      variant(lambda t: t["Resources"].update({"NoType": {"Properties": {}}})), "a resource without Type")
write("TPL010-snapshot-policy-unsupported.json",
      variant(lambda t: t["Resources"]["AlarmTopic"].update(DeletionPolicy="Snapshot")), "DeletionPolicy Snapshot on an SNS topic")
write("TPL012-undefined-sub-variable.json",
      variant(lambda t: t["Outputs"].update({"Url": {"Value": {"Fn::Sub": "rediss://${Nowhere}:6379"}}})), "a Fn::Sub variable that is not defined")

# TPL013: a duplicate logical id hides an unencrypted group (written as text: JSON libraries keep one key).
text = json.dumps(variant(lambda t: t.update(Description="Single fault: a duplicate logical id")), indent=1)
second = '  "Cache": {\n   "Type": "AWS::ElastiCache::ReplicationGroup",\n   "Properties": {\n    "ReplicationGroupDescription": "hidden",\n    "AtRestEncryptionEnabled": false\n   }\n  },\n'
text = text.replace('  "Cache": {', second + '  "Cache": {', 1)
(BAD / "TPL013-duplicate-logical-id.json").write_text(text + "\n")
(BAD / "JSON-not-json.json").write_text("Resources:\n  Cache:\n    Type: AWS::ElastiCache::ReplicationGroup\n")


def connections_alarm(t):
    t["Parameters"]["NodeType"]["Default"] = "cache.t4g.micro"
    alarm = copy.deepcopy(t["Resources"]["CpuAlarm"])
    alarm["Properties"].update(MetricName="CurrConnections", Statistic="Maximum", Threshold=50000)
    t["Resources"]["ConnectionsAlarm"] = alarm


write("ALM003-connections-over-maxclients.json", variant(connections_alarm),
      "a CurrConnections alarm at 50,000 on cache.t4g.micro, whose maxclients is 20,000")


def log(ty):
    return {"LogType": ty, "LogFormat": "json", "DestinationType": "cloudwatch-logs",
            "DestinationDetails": {"CloudWatchLogsDetails": {"LogGroup": "redis-logs"}}}


def engine_log_on_6_0(t):
    cache(t).update(EngineVersion="6.0", LogDeliveryConfigurations=[log("engine-log")])
    t["Resources"]["Params"]["Properties"]["CacheParameterGroupFamily"] = "redis6.x"


write("EC032-engine-log-before-6.2.json", variant(engine_log_on_6_0), "engine-log delivery on Redis OSS 6.0")
write("EC033-log-type-twice.json",
      variant(lambda t: cache(t).update(LogDeliveryConfigurations=[log("slow-log"), log("slow-log")])),
      "the slow log delivered twice")


# --- synth check inputs beyond JSON (YAML, suppressions, transforms, unreadable) ---

(BAD / "JSON-not-json.json").write_text('{\n "Resources": {\n  "Cache": {\n   "Type": "AWS::ElastiCache::ReplicationGroup",\n')
(BAD / "IO-not-utf8.json").write_bytes(b'{"Resources": {"Cache": {"Type": "\xff\xfe"}}}\n')

write("SUP001-suppression-without-reason.json",
      variant(lambda t: t["Resources"]["Cache"].update(Metadata={"synth-check": {"ignore": [{"id": "EC019"}]}})),
      "a suppression in resource Metadata without a reason")


def for_each(t):
    t["Transform"] = "AWS::LanguageExtensions"
    t["Parameters"]["TopicNames"] = {"Type": "CommaDelimitedList"}
    t["Resources"]["Fn::ForEach::Topics"] = ["Name", {"Ref": "TopicNames"}, {
        "Topic${Name}": {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": {"Ref": "Key"}}}}]


write("TPL014-for-each-over-a-parameter.json", variant(for_each),
      "a Fn::ForEach over a list parameter without a default (information: not evaluated)")

SHORT = {"Ref": "Ref", "Condition": "Condition"}


def yaml_scalar(v):
    return json.dumps(v)  # JSON strings, numbers and booleans are YAML flow scalars


def yaml_flow(v):
    """A value in YAML flow style, intrinsic functions in their short form."""
    if isinstance(v, dict) and len(v) == 1:
        (k, arg), = v.items()
        tag = SHORT.get(k) or (k[4:] if k.startswith("Fn::") else None)
        if tag:
            if k == "Fn::GetAtt" and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
                return "!GetAtt " + ".".join(arg)
            return f"!{tag} {yaml_flow(arg)}"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {yaml_flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(yaml_flow(x) for x in v) + "]"
    return yaml_scalar(v)


def yaml_block(v, indent=0):
    """A template in YAML block style: mappings of mappings as blocks, the rest flow."""
    pad = " " * indent
    lines = []
    for k, x in v.items():
        key = k if k.replace(":", "").replace("-", "").isalnum() and not k[0].isdigit() else json.dumps(k)
        is_intrinsic = len(x) == 1 and (next(iter(x)) in SHORT or next(iter(x)).startswith("Fn::")) if isinstance(x, dict) else False
        if isinstance(x, dict) and x and not is_intrinsic:
            lines.append(f"{pad}{key}:")
            lines.append(yaml_block(x, indent + 2))
        else:
            lines.append(f"{pad}{key}: {yaml_flow(x)}")
    return "\n".join(lines)


GOOD_DIR = ROOT / "synth" / "tests" / "fixtures" / "check" / "good"
(GOOD_DIR / "redis7-replication-group.yaml").write_text(
    "# The template of redis7-replication-group.json in YAML, intrinsics in their short forms\n"
    + yaml_block(GOOD) + "\n")
(BAD / "YAML-alias.yaml").write_text(
    "# Single fault: a YAML alias, which CloudFormation does not support\n"
    + yaml_block(GOOD).replace('      Engine: "redis"', '      Engine: &engine "redis"', 1)
    .replace('    Type: "AWS::ElastiCache::ReplicationGroup"', '    Type: "AWS::ElastiCache::ReplicationGroup"', 1)
    + "\nMetadata:\n  Engine: *engine\n")

# --- template integrity: parameter types, description limits, output values ---
write("TPL015-unknown-parameter-type.json",
      variant(lambda t: t["Parameters"]["NodeType"].update(Type="Strng")), "a parameter of a type CloudFormation does not have")


def long_description(t):
    t["Outputs"]["Host"]["Description"] = "x" * 1025


write("TPL016-output-description-too-long.json", variant(long_description),
      "an output description over 1,024 bytes")
write("TPL017-output-value-list-attribute.json",
      variant(lambda t: t["Outputs"].update({"Readers": {"Value": {"Fn::GetAtt": ["Cache", "ReadEndPoint.AddressesList"]}}})),
      "an output of ReadEndPoint.AddressesList, a list")
(BAD / "TPL018-null-value.yaml").write_text(
    "# Single fault: a key with nothing after it is null, which CloudFormation refuses\n"
    + yaml_block(GOOD).replace('      Description: "cache key"\n', '      Description:\n', 1) + "\n")


def tcp_any_port(t):
    t["Resources"]["CacheIngress"]["Properties"]["ToPort"] = -1


write("NET001-tcp-rule-to-port-minus-one.json", variant(tcp_any_port), "a TCP rule from 6379 to -1")
write("TPL019-unused-parameter.json",
      variant(lambda t: t["Parameters"].update({"Unused": {"Type": "String", "Default": "x"}})), "a parameter nothing uses")
write("TPL020-sub-without-variables.json",
      variant(lambda t: t["Resources"]["Cache"]["Properties"].update(ReplicationGroupDescription={"Fn::Sub": "Redis cache"})),
      "a Fn::Sub with nothing to substitute")


def conditional_alarm_topic(t):
    # the topic only with Alarms=true, the alarm that notifies it always
    t["Parameters"]["Alarms"] = {"Type": "String", "AllowedValues": ["true", "false"], "Default": "true"}
    t["Conditions"] = {"WithAlarms": {"Fn::Equals": [{"Ref": "Alarms"}, "true"]}}
    t["Resources"]["AlarmTopic"]["Condition"] = "WithAlarms"


write("TPL021-ref-to-a-conditional-resource.json", variant(conditional_alarm_topic),
      "an alarm that notifies a topic its condition leaves out")
write("TPL015-default-not-allowed.json",
      variant(lambda t: t["Parameters"]["NodeType"].update(AllowedValues=["cache.r7g.large", "cache.r7g.xlarge"],
                                                          Default="cache.t4g.micro")),
      "a parameter default its AllowedValues do not list")


def with_condition(expression, parameter=True):
    def change(t):
        if parameter:
            t["Parameters"]["Alarms"] = {"Type": "String", "AllowedValues": ["true", "false"], "Default": "true"}
        t["Conditions"] = {"WithAlarms": expression}
        t.setdefault("Outputs", {})["AlarmMode"] = {"Value": {"Fn::If": ["WithAlarms", "alarms", "none"]}}
    return change


write("TPL022-equals-of-three-values.json",
      variant(with_condition({"Fn::Equals": [{"Ref": "Alarms"}, "true", "yes"]})),
      "an Fn::Equals of three values")
write("TPL023-equals-of-two-literals.json",
      variant(with_condition({"Fn::Equals": [2, "true"]}, parameter=False)),
      "an Fn::Equals of two literals, always false")


def policy_attached_by_arn(t):
    # the least-privilege read policy of the AUTH token, attached to a role with a path by its ARN
    t["Resources"]["ReadAuthToken"] = {
        "Type": "AWS::IAM::ManagedPolicy",
        "Properties": {
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": {"Ref": "AuthSecret"}}]},
            "Roles": ["arn:aws:iam::123456789012:role/service/app"],
        },
    }


write("SEC008-policy-role-by-arn.json", variant(policy_attached_by_arn),
      "a managed policy attached to a role by its ARN instead of its name")


def rotation_by_days_and_expression(t):
    # a rotation schedule for the AUTH token's secret that sets both ways of scheduling
    t["Resources"]["AuthSecretRotation"] = {
        "Type": "AWS::SecretsManager::RotationSchedule",
        "Properties": {
            "SecretId": {"Ref": "AuthSecret"},
            "RotationLambdaARN": "arn:aws:lambda:us-east-1:123456789012:function:rotate-auth-token",
            "RotationRules": {"AutomaticallyAfterDays": 30, "ScheduleExpression": "rate(30 days)"},
        },
    }


write("SEC009-rotation-days-and-expression.json", variant(rotation_by_days_and_expression),
      "a secret rotation schedule with both AutomaticallyAfterDays and ScheduleExpression")
