//! The ElastiCache rule set, written once and applied to a CloudFormation
//! template: by synth to every template it emits (each finding then names the
//! construct path that made the resource), and by `synth check` to any template.
//!
//! Rules look across resources: a replication group and its parameter group, an
//! ingress rule and the cache's security group, a secret and the AUTH token that
//! reads it, a `Ref` through a parameter's `Default`. Values unresolved at synth
//! time (intrinsic functions, parameters without a default) are skipped, not
//! guessed.
//!
//! The table below is [`RULES`], the documentation of every rule of the whole
//! check, the template integrity (`TPL`, [`super::integrity`]) and schema ids
//! included, and the checks the constructs make on their props before a template
//! exists: those of a template rule carry its id (`[Stack/Cache] [EC008] ...`), the
//! others a `CON` id (CON004 and CON005 became the template rules EC032 and EC033
//! before release); the construct tree's own checks have `APP` ids. `synth check
//! --list-rules` prints it. Ids are stable: a rule may be retired, never renumbered.
//!
//! | rule   | severity | what |
//! |--------|----------|------|
//! | EC001  | error    | `AuthToken` without `TransitEncryptionEnabled: true` |
//! | EC002  | warning  | `TransitEncryptionMode: preferred`, meant only for a migration to TLS |
//! | EC003  | error    | Multi-AZ or automatic failover with a single node (no replica) |
//! | EC004  | error    | `MultiAZEnabled` without `AutomaticFailoverEnabled` |
//! | EC005  | error    | cluster mode without `AutomaticFailoverEnabled` |
//! | EC006  | error    | cluster mode with a parameter group that does not set `cluster-enabled: yes` |
//! | EC007  | error    | shards outside 1..500, replicas outside 0..5, `NumCacheClusters` outside 1..6, over 500 nodes (250 below 5.0.6) |
//! | EC008  | error    | a node type ElastiCache does not offer |
//! | EC009  | error    | data tiering on a non-`r6gd` node type, or an `r6gd` type without it |
//! | EC010  | error    | an unknown engine, or an engine version unknown for the engine |
//! | EC011  | error    | a parameter group family unknown, or not matching the engine and version |
//! | EC012  | error    | a maintenance or snapshot window not in `ddd:hh24:mi-ddd:hh24:mi` / `hh24:mi-hh24:mi` form |
//! | EC013  | error    | a maintenance or snapshot window shorter than 60 minutes |
//! | EC014  | error    | the snapshot window overlaps the maintenance window |
//! | EC015  | error    | `SnapshotRetentionLimit` outside 0..35 |
//! | EC016  | error    | a `ReplicationGroupId` ElastiCache rejects |
//! | EC017  | error    | a cache port outside 1..65535 |
//! | EC018  | warning  | encryption at rest off |
//! | EC019  | warning  | encryption in transit off |
//! | EC020  | warning  | neither an AUTH token nor RBAC user groups |
//! | EC021  | error    | Valkey without an explicit `TransitEncryptionEnabled` |
//! | EC022  | error    | a serverless cache's `DailySnapshotTime` not `hh24:mi`, its retention over 35, or a major version the engine does not offer serverless |
//! | EC023  | error    | a user group with a user it cannot hold: another engine (a Valkey group may hold Redis OSS users that authenticate), or no password in a Valkey group |
//! | EC024  | error    | `ConfigurationEndPoint` of a cluster-mode-off group |
//! | EC025  | error    | `PrimaryEndPoint`, `ReadEndPoint` or `ReaderEndPoint` of a cluster-mode group |
//! | EC026  | warning  | a node type or engine version newer than the generated data (not listed yet) |
//! | EC027  | warning  | a cluster-mode group with more nodes than the default quota of 90 per cluster |
//! | EC028  | error    | a cache whose user group is of an engine it cannot use (Redis OSS with a Valkey group) |
//! | EC029  | error    | a parameter group value ElastiCache rejects, or a parameter the family does not let you change |
//! | EC030  | warning  | an engine version past the end of standard support (charged Extended Support) |
//! | EC031  | error    | a value the ElastiCache API does not take (enumerations and id patterns of botocore's model) |
//! | EC032  | error    | log delivery on a Redis OSS version without it (slow log from 6.0, engine log from 6.2) |
//! | EC033  | error    | a log type delivered twice |
//! | SEC001 | error    | an AUTH token or user password neither from a dynamic reference nor a `NoEcho` parameter |
//! | SEC002 | error    | ingress from `0.0.0.0/0` or `::/0` to a cache port, inline or standalone |
//! | SEC003 | error    | a generated secret used as AUTH token too short or long, or with characters ElastiCache rejects |
//! | SEC004 | warning  | a symmetric KMS key without rotation |
//! | SEC005 | warning  | an SNS topic without `KmsMasterKeyId` |
//! | SEC006 | error    | an AUTH token or password (literal or parameter default) of the wrong length, or an AUTH token with rejected characters |
//! | SEC007 | error    | an `ssm-secure` dynamic reference in a user password, which CloudFormation does not resolve there |
//! | SEC008 | error    | a policy's `Roles`, `Users` or `Groups` entry that is an ARN or holds a path, where IAM takes a name; a role, user or group name IAM refuses |
//! | SEC009 | error    | a secret rotation schedule's `RotationRules` the Secrets Manager API refuses (days out of 1..1000, both days and expression, a bad expression or duration) |
//! | SEC010 | warning  | a copy, by dynamic reference, of a secret the template rotates (in a secret's `SecretString`, a function's `Environment`, a task definition's containers, a parameter's `Value`): it goes stale at the first rotation |
//! | NET001 | error    | a security group rule whose ports do not fit its protocol (tcp/udp without both ports, -1 with another port, FromPort above ToPort) |
//! | OUT001 | error    | two exports whose names are the same expression (literal duplicates are TPL011) |
//! | ALM001 | warning  | a CloudWatch alarm without an action, or with actions disabled |
//! | ALM002 | error    | an alarm dimension `ReplicationGroupId`/`CacheClusterId` with capitals (ElastiCache stores ids lowercase) |
//! | ALM003 | warning  | a `CurrConnections` alarm whose threshold the watched node type's `maxclients` never reaches |
//! | APP001 | error    | a stack name CloudFormation rejects |
//! | APP002 | error    | two stacks of one name in an app |
//! | APP003 | error    | a logical id override for a path with no element |
//! | APP004 | error    | a construct id that is empty or taken by a sibling |
//! | APP005 | error    | a stack that depends on a stack not in the app |
//! | APP006 | error    | a reference synth cannot render (to no element, or between stacks that cannot export it) |
//! | APP007 | error    | two elements of a stack with one logical id |
//! | APP008 | error    | stacks that depend on each other in a cycle |
//! | APP009 | error    | a construct path no logical id can be made from |
//! | APP010 | error    | a construct method called with a scope of another stack |
//! | CON001 | warning  | a cluster-mode group with no replica per shard (CloudFormation updates can fail, aws-cdk#13389) |
//! | CON002 | error    | `TransitEncryption::PreferredDuringMigration` on Redis OSS before 7.0.5 |
//! | CON003 | error    | RBAC authentication with no user group |
//! | CON006 | warning  | `RemovalPolicy::Destroy` outside dev: deleting or replacing the cache loses its data |
//! | CON007 | error    | parameters set together with an existing parameter group |
//! | CON008 | error    | a serverless cache name ElastiCache rejects |
//! | CON009 | error    | serverless usage limits out of range (1 to 5,000 GB, 1,000 to 15,000,000 ECPU/s) |
//! | CON010 | warning  | a serverless daily snapshot time with no snapshot retention |
//! | CON011 | error    | encryption at rest turned off on a serverless cache, which is always encrypted |
//! | CON012 | error    | an empty final snapshot name |
//! | CON013 | warning  | a final snapshot name the removal policy never uses |
//! | CON014 | error    | a VPC access whose ports are not the serverless endpoints' (6379, reader 6380) |
//! | CON015 | warning  | a VPC access without the serverless reader port |
//! | CON016 | error    | an RBAC user id, user name or user group id ElastiCache rejects, or the built-in default |
//! | CON017 | error    | a user's passwords: none, more than two, or the same twice |
//! | CON018 | error    | an IAM user whose user id and user name differ |
//! | CON019 | warning  | a user that needs no password |
//! | CON020 | error    | an access string ElastiCache refuses (empty, reset, password rules) |
//! | CON021 | warning  | an access string with neither on nor off |
//! | CON022 | error    | a user group with no user, or a user twice |
//! | CON023 | error    | a redis user group without a user named default |
//! | CON024 | error    | an allowed CIDR that is not an IPv4 or IPv6 CIDR |
//! | CON025 | warning  | a parameter the library's table does not know |
//! | CON026 | error    | an alarm topic encrypted with alias/aws/sns, whose key policy keeps CloudWatch out |
//! | CON027 | error    | an alarm topic that is not an SNS topic ARN |
//! | CON028 | error    | more alarm actions than CloudWatch's 5 per state |
//! | CON029 | warning  | an alarm override for a metric that is not alarmed |
//! | CON030 | error    | a custom alarm's namespace, metric name or dimensions CloudWatch rejects |
//! | CON031 | error    | an alarm threshold out of range (not finite, a percentage outside 0..100, negative) |
//! | CON032 | error    | an alarm period or evaluation range CloudWatch rejects |
//! | CON033 | warning  | an alarm period shorter than ElastiCache's 60-second metrics |
//! | CON034 | error    | KMS key settings KMS rejects (pending window 7 to 30 days, alias/ names) |
//! | CON035 | warning  | split settings set while split is off |
//! | CON036 | error    | a connection secret without fields |
//! | CON037 | error    | an IAM connect grant for a user that does not authenticate with IAM |
//! | CON038 | error    | password rotation settings the rotation function cannot run with (timeout under 12 minutes, zero concurrency) |
//! | TPL001 | error    | `Ref` to something that is not a resource, parameter or pseudo parameter |
//! | TPL002 | error    | `Fn::GetAtt` of a missing resource, or an attribute the type does not have |
//! | TPL003 | error    | `DependsOn` a missing resource |
//! | TPL004 | error    | a condition that is not defined |
//! | TPL005 | error    | resources that depend on each other in a cycle |
//! | TPL006 | error    | a logical ID that is not `^[A-Za-z0-9]{1,255}$` |
//! | TPL007 | error    | over a CloudFormation limit (500 resources, 200 parameters, 200 outputs, 1 MB) |
//! | TPL008 | warning  | over 51,200 bytes: `aws cloudformation deploy` needs `--s3-bucket` |
//! | TPL009 | error    | not a template: not an object, no `Resources`, a resource without `Type` |
//! | TPL010 | error    | a `DeletionPolicy`/`UpdateReplacePolicy` the type does not support |
//! | TPL011 | error    | two outputs with the same export name |
//! | TPL012 | error    | a `Fn::Sub` variable that is not defined |
//! | TPL013 | error    | a duplicate key in a JSON or YAML template (the first is silently lost) |
//! | TPL014 | info     | a part of an `AWS::LanguageExtensions` template not evaluated (`Fn::ForEach` over a value known only at deploy) |
//! | TPL015 | error    | a parameter without a `Type`, of a type CloudFormation does not have (cfn-lint's list), or with a `Default` its type cannot hold |
//! | TPL016 | error    | a description (template 1,024 bytes, parameter 4,000, output 1,024) or parameter value (4,096) over its limit |
//! | TPL017 | error    | an output value that is not a string or a function that gives one |
//! | TPL018 | error    | a `null` value anywhere in the template (CloudFormation refuses them) |
//! | TPL019 | warning  | a parameter nothing uses (not judged when the template has a `Transform`) |
//! | TPL020 | warning  | a `Fn::Sub` with nothing to substitute |
//! | TPL021 | error    | a reference to a resource its `Condition` leaves out when the referrer exists |
//! | TPL022 | error    | a condition that is not a well-formed condition function |
//! | TPL023 | warning  | an `Fn::Equals` of two literals: always true or always false |
//! | SCHEMA | error    | a property the provider schema rejects (unknown, missing, wrong type, out of range) |
//! | JSON   | error    | a file that is not JSON (`synth check`) |
//! | YAML   | error    | YAML that CloudFormation does not read: a syntax error, an alias, a hash merge, an unknown tag (`synth check`) |
//! | SUP001 | warning  | a suppression in template `Metadata` (`synth-check: ignore`) without a known rule id or a reason (`synth check`) |
//! | IO     | error    | an input that cannot be read: missing, not UTF-8, over 1 MiB, not a template (`synth check`, exit code 3) |

mod alarms;
mod auth;
mod elasticache;
mod network;
mod outputs;

use super::Finding;
use crate::core::Severity;
use crate::template::Template;
use serde_json::Value as J;

/// One rule of the set: its stable id, severity and a one-line summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The stable id, such as `EC001`.
    pub id: &'static str,
    /// Whether a finding fails synth (error) or is reported only (warning).
    pub severity: Severity,
    /// What the rule finds.
    pub summary: &'static str,
}

const fn rule(id: &'static str, severity: Severity, summary: &'static str) -> Rule {
    Rule { id, severity, summary }
}

use Severity::{Error as E, Info as I, Warning as W};

/// Every rule of the set, in id order: the documentation of the rule set.
pub const RULES: &[Rule] = &[
    rule("EC001", E, "AuthToken without TransitEncryptionEnabled: true"),
    rule("EC002", W, "TransitEncryptionMode preferred, meant only for a migration to TLS"),
    rule("EC003", E, "Multi-AZ or automatic failover with a single node"),
    rule("EC004", E, "MultiAZEnabled without AutomaticFailoverEnabled"),
    rule("EC005", E, "cluster mode without AutomaticFailoverEnabled"),
    rule("EC006", E, "cluster mode with a parameter group without cluster-enabled yes"),
    rule("EC007", E, "shards outside 1..500, replicas outside 0..5, NumCacheClusters outside 1..6, over 500 nodes"),
    rule("EC008", E, "a node type ElastiCache does not offer"),
    rule("EC009", E, "data tiering on a non-r6gd node type, or an r6gd type without it"),
    rule("EC010", E, "an unknown engine, or an engine version unknown for the engine"),
    rule("EC011", E, "a parameter group family unknown or not matching the engine and version"),
    rule("EC012", E, "a maintenance or snapshot window in the wrong format"),
    rule("EC013", E, "a maintenance or snapshot window shorter than 60 minutes"),
    rule("EC014", E, "the snapshot window overlaps the maintenance window"),
    rule("EC015", E, "SnapshotRetentionLimit outside 0..35"),
    rule("EC016", E, "a ReplicationGroupId ElastiCache rejects"),
    rule("EC017", E, "a cache port outside 1..65535"),
    rule("EC018", W, "encryption at rest off"),
    rule("EC019", W, "encryption in transit off"),
    rule("EC020", W, "neither an AUTH token nor RBAC user groups"),
    rule("EC021", E, "Valkey without an explicit TransitEncryptionEnabled"),
    rule("EC022", E, "a serverless DailySnapshotTime not hh24:mi, retention over 35, or an unknown major version"),
    rule("EC023", E, "a user group with a user it cannot hold"),
    rule("EC024", E, "ConfigurationEndPoint of a cluster-mode-off group"),
    rule("EC025", E, "PrimaryEndPoint, ReadEndPoint or ReaderEndPoint of a cluster-mode group"),
    rule("EC026", W, "a node type or engine version newer than the generated data"),
    rule("EC027", W, "a cluster-mode group with more nodes than the default quota of 90"),
    rule("EC028", E, "a cache whose user group is of an engine it cannot use"),
    rule("EC029", E, "a parameter group value ElastiCache rejects, or a parameter it does not let you change"),
    rule("EC030", W, "an engine version past the end of standard support"),
    rule("EC031", E, "a value the ElastiCache API does not take"),
    rule("EC032", E, "log delivery on a Redis OSS version without it"),
    rule("EC033", E, "a log type delivered twice"),
    rule("SEC001", E, "an AUTH token or password neither from a dynamic reference nor a NoEcho parameter"),
    rule("SEC002", E, "ingress from 0.0.0.0/0 or ::/0 to a cache port"),
    rule("SEC003", E, "a generated AUTH token secret too short or long, or with rejected characters"),
    rule("SEC004", W, "a symmetric KMS key without rotation"),
    rule("SEC005", W, "an SNS topic without KmsMasterKeyId"),
    rule("SEC006", E, "an AUTH token or password of the wrong length, or an AUTH token with rejected characters"),
    rule("SEC007", E, "an ssm-secure dynamic reference in a user password"),
    rule("SEC008", E, "a policy attached to a role, user or group by ARN or path instead of name"),
    rule("SEC009", E, "secret rotation rules the Secrets Manager API refuses"),
    rule("SEC010", W, "a copy of a rotating secret's value (in a secret, a function's environment, a task definition or a parameter), stale after the first rotation"),
    rule("NET001", E, "a security group rule whose ports do not fit its protocol"),
    rule("OUT001", E, "two exports whose names are the same expression"),
    rule("ALM001", W, "a CloudWatch alarm without an action, or with actions disabled"),
    rule("ALM002", E, "an alarm dimension ReplicationGroupId or CacheClusterId with capitals"),
    rule("ALM003", W, "a CurrConnections alarm threshold above the node type's maxclients"),
    rule("APP001", E, "a stack name CloudFormation rejects"),
    rule("APP002", E, "two stacks of one name in an app"),
    rule("APP003", E, "a logical id override for a path with no element"),
    rule("APP004", E, "a construct id that is empty or taken by a sibling"),
    rule("APP005", E, "a stack that depends on a stack not in the app"),
    rule("APP006", E, "a reference synth cannot render (to no element, or between stacks that cannot export it)"),
    rule("APP007", E, "two elements of a stack with one logical id"),
    rule("APP008", E, "stacks that depend on each other in a cycle"),
    rule("APP009", E, "a construct path no logical id can be made from"),
    rule("APP010", E, "a construct method called with a scope of another stack"),
    rule(
        "CON001",
        W,
        "a cluster-mode group with no replica per shard (CloudFormation updates can fail, aws-cdk#13389)",
    ),
    rule("CON002", E, "TransitEncryption::PreferredDuringMigration on Redis OSS before 7.0.5"),
    rule("CON003", E, "RBAC authentication with no user group"),
    rule("CON006", W, "RemovalPolicy::Destroy outside dev: deleting or replacing the cache loses its data"),
    rule("CON007", E, "parameters set together with an existing parameter group"),
    rule("CON008", E, "a serverless cache name ElastiCache rejects"),
    rule("CON009", E, "serverless usage limits out of range (1 to 5,000 GB, 1,000 to 15,000,000 ECPU/s)"),
    rule("CON010", W, "a serverless daily snapshot time with no snapshot retention"),
    rule("CON011", E, "encryption at rest turned off on a serverless cache, which is always encrypted"),
    rule("CON012", E, "an empty final snapshot name"),
    rule("CON013", W, "a final snapshot name the removal policy never uses"),
    rule("CON014", E, "a VPC access whose ports are not the serverless endpoints' (6379, reader 6380)"),
    rule("CON015", W, "a VPC access without the serverless reader port"),
    rule("CON016", E, "an RBAC user id, user name or user group id ElastiCache rejects, or the built-in default"),
    rule("CON017", E, "a user's passwords: none, more than two, or the same twice"),
    rule("CON018", E, "an IAM user whose user id and user name differ"),
    rule("CON019", W, "a user that needs no password"),
    rule("CON020", E, "an access string ElastiCache refuses (empty, reset, password rules)"),
    rule("CON021", W, "an access string with neither on nor off"),
    rule("CON022", E, "a user group with no user, or a user twice"),
    rule("CON023", E, "a redis user group without a user named default"),
    rule("CON024", E, "an allowed CIDR that is not an IPv4 or IPv6 CIDR"),
    rule("CON025", W, "a parameter the library's table does not know"),
    rule("CON026", E, "an alarm topic encrypted with alias/aws/sns, whose key policy keeps CloudWatch out"),
    rule("CON027", E, "an alarm topic that is not an SNS topic ARN"),
    rule("CON028", E, "more alarm actions than CloudWatch's 5 per state"),
    rule("CON029", W, "an alarm override for a metric that is not alarmed"),
    rule("CON030", E, "a custom alarm's namespace, metric name or dimensions CloudWatch rejects"),
    rule("CON031", E, "an alarm threshold out of range (not finite, a percentage outside 0..100, negative)"),
    rule("CON032", E, "an alarm period or evaluation range CloudWatch rejects"),
    rule("CON033", W, "an alarm period shorter than ElastiCache's 60-second metrics"),
    rule("CON034", E, "KMS key settings KMS rejects (pending window 7 to 30 days, alias/ names)"),
    rule("CON035", W, "split settings set while split is off"),
    rule("CON036", E, "a connection secret without fields"),
    rule("CON037", E, "an IAM connect grant for a user that does not authenticate with IAM"),
    rule("CON038", E, "password rotation settings the rotation function cannot run with"),
    rule("TPL001", E, "Ref to something that is not a resource, parameter or pseudo parameter"),
    rule("TPL002", E, "Fn::GetAtt of a missing resource, or an attribute the type does not have"),
    rule("TPL003", E, "DependsOn a missing resource"),
    rule("TPL004", E, "a condition that is not defined"),
    rule("TPL005", E, "resources that depend on each other in a cycle"),
    rule("TPL006", E, "a logical ID that is not ^[A-Za-z0-9]{1,255}$"),
    rule("TPL007", E, "over a CloudFormation limit (500 resources, 200 parameters, 200 outputs, 1 MB)"),
    rule("TPL008", W, "over 51,200 bytes: aws cloudformation deploy needs --s3-bucket"),
    rule("TPL009", E, "not a template: not an object, no Resources, a resource without Type"),
    rule("TPL010", E, "a DeletionPolicy/UpdateReplacePolicy the type does not support"),
    rule("TPL011", E, "two outputs with the same export name"),
    rule("TPL012", E, "a Fn::Sub variable that is not defined"),
    rule("TPL013", E, "a duplicate key in a JSON or YAML template"),
    rule(
        "TPL014",
        I,
        "a part of a LanguageExtensions template not evaluated: Fn::ForEach over a value known only at deploy",
    ),
    rule(
        "TPL015",
        E,
        "a parameter without a Type, of a type CloudFormation does not have, or with a Default its type cannot hold",
    ),
    rule("TPL016", E, "a description or parameter value over its CloudFormation limit"),
    rule("TPL017", E, "an output value that is not a string or a function giving one"),
    rule("TPL018", E, "a null value anywhere in the template"),
    rule("TPL019", W, "a parameter nothing uses"),
    rule("TPL020", W, "a Fn::Sub with nothing to substitute"),
    rule("TPL021", E, "a reference to a resource its Condition leaves out when the referrer exists"),
    rule("TPL022", E, "a condition that is not a well-formed condition function"),
    rule("TPL023", W, "an Fn::Equals of two literals: always true or always false"),
    rule("SCHEMA", E, "a property the provider schema rejects"),
    rule("JSON", E, "a file that is not JSON"),
    rule("YAML", E, "YAML CloudFormation does not read: a syntax error, an alias, a merge key, an unknown tag"),
    rule("SUP001", W, "a suppression in template Metadata without a known rule id or a reason"),
    rule("IO", E, "an input that cannot be read: missing, not UTF-8, over 1 MiB, not a template"),
];

/// The rule with this id, if there is one.
pub fn rule_info(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Applies every rule to a template. Never panics, whatever the input.
pub fn check(template: &J) -> Vec<Finding> {
    check_in(template, None)
}

/// Applies every rule to a template deployed to `region` (node types must be
/// offered there); `None` checks for every region the data knows.
pub fn check_in(template: &J, region: Option<&str>) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(t) = Template::new(template, region) else { return out };
    elasticache::check(&t, &mut out);
    auth::check(&t, &mut out);
    network::check(&t, &mut out);
    alarms::check(&t, &mut out);
    outputs::check(&t, &mut out);
    out
}

/// A finding of `rule`, with the severity of the table.
fn finding(rule: &'static str, id: &str, path: impl Into<String>, message: impl Into<String>) -> Finding {
    let severity = rule_info(rule).map_or(Severity::Error, |r| r.severity);
    Finding { severity, rule, logical_id: Some(id.to_string()), path: path.into(), message: message.into() }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The findings of the rule set on `t`, as `synth check` prints them.
    pub fn run(t: &J) -> Vec<String> {
        check(t).iter().map(|f| f.to_string()).collect()
    }

    /// Asserts `bad` yields exactly `want` (among its findings) and `good` yields
    /// nothing of the same rule.
    pub fn pair(bad: J, good: J, want: &str) {
        let rule = want.split("[").nth(1).and_then(|s| s.split(']').next()).expect("want names a rule");
        let got = run(&bad);
        assert!(got.iter().any(|g| g == want), "bad template {bad:#}\nwant {want}\ngot {got:#?}");
        let got = run(&good);
        assert!(!got.iter().any(|g| g.contains(&format!("[{rule}]"))), "good template {good:#}\ngot {got:#?}");
    }

    #[test]
    fn the_table_is_sorted_and_unique() {
        let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        let mut sorted = ids.clone();
        sorted.sort_by_key(|id| (id.trim_end_matches(|c: char| c.is_ascii_digit()).to_string(), id.to_string()));
        sorted.dedup();
        assert_eq!(ids.len(), sorted.len());
        let doc = include_str!("mod.rs");
        // and every row of the doc table is a rule of the table
        for line in doc.lines().filter_map(|l| l.strip_prefix("//! | ")) {
            let id = line.split_whitespace().next().unwrap_or_default();
            if id != "rule" && !id.starts_with('-') {
                assert!(rule_info(id).is_some(), "{id} is in the doc table but not in RULES");
            }
        }
        for r in RULES {
            let sev = r.severity.to_string();
            assert!(doc.contains(&format!("| {:<6} | {sev:<8} |", r.id)), "{} is not in the doc table as {sev}", r.id);
        }
    }
}
