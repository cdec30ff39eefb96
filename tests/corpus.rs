//! Public real-world templates with ElastiCache resources (`tests/fixtures/corpus/`,
//! each with its repository, commit and licence in `SOURCES.md`), checked by
//! `synth check`: every finding is classified below, by file and rule, as a true
//! finding with the AWS fact behind it. A new finding (a false alarm or a missed
//! one) changes a count and fails the test until it is classified.

use std::collections::BTreeMap;
use std::path::Path;

/// (file number, rule, findings, verdict). No row is a false alarm: each one found
/// while collecting the corpus was fixed in the rules instead (retired r3/m1/m3
/// types were "newer than the data", Redis 2.8/3.2 "not a known version").
const EXPECTED: &[(&str, &str, usize, &str)] = &[
    ("02", "SEC004", 1, "true: a customer managed KMS key without EnableKeyRotation"),
    ("03", "EC008", 1, "true: a node type CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1/m3 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("03", "EC010", 1, "true: an engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("03", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("04", "EC008", 1, "true: a node type CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1/m3 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("04", "EC010", 1, "true: an engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("04", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled (API default false for Redis OSS, CreateReplicationGroup)"),
    ("04", "SCHEMA", 10, "true: a value CloudFormation rejects for the property type (KICS samples whose JSON lost its intrinsics, !Ref X as the string X, also where a security group id belongs (cfn-lint E1150 agrees) and !If as a plain list; an SG egress rule with SourceSecurityGroupId)"),
    ("05", "SEC001", 2, "true: a CDK test template with the user passwords written in plain text"),
    ("05", "SEC004", 1, "true: a customer managed KMS key without EnableKeyRotation"),
    ("07", "EC010", 1, "true: an engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("07", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled (API default false for Redis OSS, CreateReplicationGroup)"),
    ("07", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("07", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("08", "SEC002", 1, "true: ingress from 0.0.0.0/0 to port 6379"),
    ("10", "EC008", 1, "true: a node type CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1/m3 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("10", "EC010", 1, "true: an engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("10", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled (API default false for Redis OSS, CreateReplicationGroup)"),
    ("10", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("10", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("11", "EC001", 1, "true: AuthToken without TransitEncryptionEnabled true (CloudFormation: AuthToken can be specified only on replication groups where TransitEncryptionEnabled is true)"),
    ("11", "EC008", 1, "true: a node type CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1/m3 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("11", "EC010", 1, "true: an engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("11", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("11", "SCHEMA", 8, "true: a value CloudFormation rejects for the property type (KICS samples whose JSON lost its intrinsics, !Ref X as the string X, also where a security group id belongs (cfn-lint E1150 agrees) and !If as a plain list; an SG egress rule with SourceSecurityGroupId)"),
    ("12", "EC008", 1, "true: a node type CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1/m3 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("12", "EC010", 1, "true: an engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("12", "SCHEMA", 9, "true: a value CloudFormation rejects for the property type (KICS samples whose JSON lost its intrinsics, !Ref X as the string X, also where a security group id belongs (cfn-lint E1150 agrees) and !If as a plain list; an SG egress rule with SourceSecurityGroupId)"),
    ("13", "EC008", 1, "true: a node type CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1/m3 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("17", "EC008", 1, "true: a node type CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1/m3 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("17", "EC010", 1, "true: an engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("17", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled (API default false for Redis OSS, CreateReplicationGroup)"),
    ("17", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("17", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("18", "EC008", 1, "true: a node type CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1/m3 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("18", "EC010", 1, "true: an engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("18", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled (API default false for Redis OSS, CreateReplicationGroup)"),
    ("18", "SCHEMA", 10, "true: a value CloudFormation rejects for the property type (KICS samples whose JSON lost its intrinsics, !Ref X as the string X, also where a security group id belongs (cfn-lint E1150 agrees) and !If as a plain list; an SG egress rule with SourceSecurityGroupId)"),
    ("19", "EC001", 1, "true: AuthToken without TransitEncryptionEnabled true (CloudFormation: AuthToken can be specified only on replication groups where TransitEncryptionEnabled is true)"),
    ("19", "EC008", 1, "true: a node type CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1/m3 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("19", "EC010", 1, "true: an engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("19", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("19", "SCHEMA", 8, "true: a value CloudFormation rejects for the property type (KICS samples whose JSON lost its intrinsics, !Ref X as the string X, also where a security group id belongs (cfn-lint E1150 agrees) and !If as a plain list; an SG egress rule with SourceSecurityGroupId)"),
    ("20", "EC010", 1, "true: an engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("20", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled (API default false for Redis OSS, CreateReplicationGroup)"),
    ("20", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("20", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("20", "TPL019", 1, "true: a parameter nothing uses, as published (cfn-lint W2001 agrees)"),
    ("21", "EC008", 1, "true: a node type CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1/m3 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("21", "EC010", 1, "true: an engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("21", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled (API default false for Redis OSS, CreateReplicationGroup)"),
    ("21", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("21", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("23", "EC008", 1, "true: a node type CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1/m3 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("23", "EC010", 1, "true: an engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("23", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled (API default false for Redis OSS, CreateReplicationGroup)"),
    ("23", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("23", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("23", "SCHEMA", 1, "true: a Lambda Code.ZipFile given as {\"Rain::Embed\": ...}, a directive of the rain CLI that CloudFormation does not know; the AWS::Lambda::Function schema wants a string"),
    ("25", "SCHEMA", 1, "true: a value CloudFormation rejects for the property type (KICS samples whose JSON lost its intrinsics, !Ref X as the string X and !If as a plain list; an SG egress rule with SourceSecurityGroupId)"),
    ("25", "SEC005", 2, "true: SNS topics without KmsMasterKeyId"),
    ("25", "TPL013", 1, "true: Outputs holds the key InstanceSecurityGroup twice, as published; JSON readers keep the second"),
    ("26", "EC003", 1, "true: with Failover true and the default InstanceCount 1, automatic failover on one node (CloudFormation: NumCacheClusters must be at least 2 if AutomaticFailoverEnabled is true)"),
    ("26", "EC010", 1, "true: an engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("26", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled (API default false for Redis OSS, CreateReplicationGroup)"),
    ("26", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("26", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("26", "EC024", 2, "true: ConfigurationEndPoint of a cluster-mode-disabled group, which has only PrimaryEndPoint and ReaderEndPoint (ReplicationGroup return values)"),
    ("26", "TPL019", 1, "true: a parameter nothing uses, as published (cfn-lint W2001 agrees)"),
];

/// The YAML corpus (`tests/fixtures/corpus-yaml/`), likewise: (file number, rule,
/// findings, verdict). Every file must be read (no JSON, YAML or IO finding).
const EXPECTED_YAML: &[(&str, &str, usize, &str)] = &[
    ("01", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("01", "SEC001", 1, "true: the AUTH token from a String parameter without NoEcho, when HasAuthToken is true, so CloudFormation shows it (found once the scenarios kept the condition and its negation apart)"),
    ("04", "EC010", 1, "true: an engine version not offered (Redis OSS 3.2 past end of life, 5.0.0 and 5.0.4 deprecated, an invented engine; engine-versions.html)"),
    ("04", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled, or set false (API default false for Redis OSS, CreateReplicationGroup)"),
    ("04", "SCHEMA", 1, "true: a security group id not of the sg- form AWS gives (sg- and 8 or 17 hexadecimal characters; cfn-lint E1150 agrees): a placeholder such as sg-foobar, sg-test or security-{your_sg_id}"),
    ("05", "EC010", 1, "true: an engine version not offered (Redis OSS 3.2 past end of life, 5.0.0 and 5.0.4 deprecated, an invented engine; engine-versions.html)"),
    ("05", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled, or set false (API default false for Redis OSS, CreateReplicationGroup)"),
    ("05", "SEC006", 2, "true: the NoEcho parameter's default AUTH token has 13 characters and an '@' (AuthToken: 16 to 128 printable characters, no @ / \" or space)"),
    ("05", "SCHEMA", 1, "true: a security group id not of the sg- form AWS gives (sg- and 8 or 17 hexadecimal characters; cfn-lint E1150 agrees): a placeholder such as sg-foobar, sg-test or security-{your_sg_id}"),
    ("06", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled, or set false (API default false for Redis OSS, CreateReplicationGroup)"),
    ("06", "TPL001", 11, "true: a KICS fragment of a cloudonaut.io template whose Parameters and Conditions were cut away, so each Ref names nothing"),
    ("06", "TPL004", 5, "true: the same fragment's Fn::If conditions are not defined"),
    ("06", "TPL012", 2, "true: the same fragment's Fn::Sub variables name parameters it does not have"),
    ("08", "EC008", 1, "true: a node type ElastiCache no longer offers (retired r3/m3/t1 generations; CacheNodes.SupportedTypes.html)"),
    ("08", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled, or set false (API default false for Redis OSS, CreateReplicationGroup)"),
    ("08", "SEC001", 1, "true: a checkov fixture with the AUTH token written in the template"),
    ("08", "SEC002", 1, "true: ingress from 0.0.0.0/0 (the CidrIp default) to port 6379"),
    ("09", "EC008", 1, "true: a node type ElastiCache no longer offers (retired r3/m3/t1 generations; CacheNodes.SupportedTypes.html)"),
    ("09", "SEC002", 1, "true: ingress from 0.0.0.0/0 (the CidrIp default) to port 6379"),
    ("10", "EC005", 2, "true: NumNodeGroups 2 (cluster mode) without automatic failover, when isCluster is false or always (ElastiCache requires failover in cluster mode; cfn-lint does not judge these)"),
    ("10", "EC006", 1, "true: NumNodeGroups 2 with a parameter group whose cluster-enabled is no"),
    ("10", "EC008", 6, "true: a node type ElastiCache no longer offers (retired r3/m3/t1 generations; CacheNodes.SupportedTypes.html)"),
    ("10", "EC010", 3, "true: an engine version not offered (Redis OSS 3.2 past end of life, 5.0.0 and 5.0.4 deprecated, an invented engine; engine-versions.html)"),
    ("10", "EC011", 1, "true: a redis3.2 parameter group on Redis OSS 4.0.10, which needs family redis4.0"),
    ("10", "EC018", 3, "true: Redis OSS without AtRestEncryptionEnabled, or set false (API default false for Redis OSS, CreateReplicationGroup)"),
    ("10", "EC019", 6, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("10", "EC020", 6, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("10", "EC030", 3, "true: Redis OSS 4.0.10 past the end of standard support on 2026-01-31 (extended-support.html)"),
    ("10", "SCHEMA", 3, "true: a security group id not of the sg- form AWS gives (sg- and 8 or 17 hexadecimal characters; cfn-lint E1150 agrees): a placeholder such as sg-foobar, sg-test or security-{your_sg_id}"),
    ("11", "EC008", 1, "true: a node type ElastiCache no longer offers (retired r3/m3/t1 generations; CacheNodes.SupportedTypes.html)"),
    ("11", "EC010", 1, "true: an engine version not offered (Redis OSS 3.2 past end of life, 5.0.0 and 5.0.4 deprecated, an invented engine; engine-versions.html)"),
    ("11", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("11", "EC021", 1, "true: Valkey without an explicit TransitEncryptionEnabled (the fixture's own expected E3704)"),
    ("11", "EC026", 1, "true: a warning that version 99.99 is newer than the data, as the fixture intends (its expected E3695)"),
    ("12", "EC005", 1, "true: cluster-enabled yes without automatic failover (the fixture's expected E3026)"),
    ("12", "EC018", 4, "true: Redis OSS without AtRestEncryptionEnabled, or set false (API default false for Redis OSS, CreateReplicationGroup)"),
    ("12", "EC019", 4, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("12", "EC020", 4, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("13", "EC005", 1, "true: default.redis5.0.cluster.on (cluster mode) without AutomaticFailoverEnabled"),
    ("13", "EC010", 1, "true: an engine version not offered (Redis OSS 3.2 past end of life, 5.0.0 and 5.0.4 deprecated, an invented engine; engine-versions.html)"),
    ("13", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled, or set false (API default false for Redis OSS, CreateReplicationGroup)"),
    ("13", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("13", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("14", "SCHEMA", 1, "true: a security group id not of the sg- form AWS gives (sg- and 8 or 17 hexadecimal characters; cfn-lint E1150 agrees): a placeholder such as sg-foobar, sg-test or security-{your_sg_id}"),
    ("15", "SCHEMA", 1, "true: a security group id not of the sg- form AWS gives (sg- and 8 or 17 hexadecimal characters; cfn-lint E1150 agrees): a placeholder such as sg-foobar, sg-test or security-{your_sg_id}"),
    ("16", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("16", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("19", "EC003", 1, "true: MultiAZEnabled true with NumCacheClusters from a one-subnet branch (a single node), when NumberOfSubnets is 1"),
    ("19", "EC004", 1, "true: MultiAZEnabled true without AutomaticFailoverEnabled (Multi-AZ requires failover)"),
    ("19", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("21", "TPL008", 1, "true: 75 KB minified, over the 51,200 bytes aws cloudformation deploy sends inline"),
    ("20", "TPL019", 1, "true: a parameter nothing uses, as published (cfn-lint W2001 agrees)"),
];

/// The findings of `synth check` on every template of `dir`, counted by (file
/// number, rule), and the JSON report.
fn findings_of(dir: &str, ext: &[&str]) -> (BTreeMap<(String, String), usize>, String, usize) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("corpus")
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| ext.iter().any(|x| p.ends_with(x)) && !p.ends_with("sources.json"))
        .collect();
    files.sort();
    let args = synth::check::CheckArgs {
        files: files.iter().map(std::path::PathBuf::from).collect(),
        strict: false,
        format: synth::check::Format::Json,
        region: None,
        list_rules: false,
        ignore_checks: Vec::new(),
        include_checks: Vec::new(),
        no_config_file: true,
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    synth::check::run(&args, &mut out, &mut err);
    let stdout = String::from_utf8(out).expect("UTF-8");
    let findings: Vec<serde_json::Value> = serde_json::from_str(&stdout).expect("json findings");
    let mut got: BTreeMap<(String, String), usize> = BTreeMap::new();
    for f in &findings {
        let file = f["file"].as_str().unwrap_or_default();
        let name = Path::new(file).file_name().and_then(|n| n.to_str()).unwrap_or_default();
        *got.entry((name[..2].to_string(), f["rule"].as_str().unwrap_or_default().to_string())).or_default() += 1;
    }
    (got, stdout, files.len())
}

fn expected(rows: &[(&str, &str, usize, &str)]) -> BTreeMap<(String, String), usize> {
    rows.iter()
        .map(|(f, r, n, why)| {
            assert!(why.starts_with("true: "), "{f} {r}: every row is a true finding with its reason");
            ((f.to_string(), r.to_string()), *n)
        })
        .collect()
}

#[test]
fn every_finding_on_the_public_corpus_is_classified() {
    let (got, stdout, n) = findings_of("tests/fixtures/corpus", &[".json"]);
    assert!(n >= 25, "the corpus has {n} templates");
    assert_eq!(got, expected(EXPECTED), "findings on the corpus changed:\n{stdout}");
}

#[test]
fn every_yaml_template_is_read_and_every_finding_classified() {
    let (got, stdout, n) = findings_of("tests/fixtures/corpus-yaml", &[".yaml", ".yml"]);
    assert!(n >= 20, "the YAML corpus has {n} templates");
    assert!(
        !got.keys().any(|(_, r)| matches!(r.as_str(), "JSON" | "YAML" | "IO")),
        "a template was not read:\n{stdout}"
    );
    assert_eq!(got, expected(EXPECTED_YAML), "findings on the YAML corpus changed:\n{stdout}");
}

/// Chosen findings of the YAML corpus point at the line and column of their value.
#[test]
fn yaml_findings_point_at_their_value() {
    let (_, stdout, _) = findings_of("tests/fixtures/corpus-yaml", &[".yaml", ".yml"]);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    let at = |file: &str, rule: &str, path: &str| -> (u64, u64) {
        let f = findings
            .iter()
            .find(|f| f["file"].as_str().unwrap().ends_with(file) && f["rule"] == rule && f["path"] == path)
            .unwrap_or_else(|| panic!("no {rule} at {path} in {file}"));
        (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap())
    };
    // `EngineVersion: '5.0.0'`: the value's own place
    assert_eq!(at("04-cfn-nag-auth-token-secrets-manager.yaml", "EC010", "Properties.EngineVersion"), (10, 22));
    // a property that is missing: the Properties key of its resource
    assert_eq!(at("04-cfn-nag-auth-token-secrets-manager.yaml", "EC018", "Properties.AtRestEncryptionEnabled"), (5, 5));
    // `AuthToken: !Ref ...`, a short-form tag: where the tag starts
    assert_eq!(at("05-cfn-nag-auth-token-noecho-default.yaml", "SEC006", "Properties.AuthToken"), (11, 18));
    // an item of a flow list inside a block list
    assert_eq!(
        at(
            "08-checkov-replication-group-literal-auth-token.yaml",
            "SEC002",
            "Properties.SecurityGroupIngress.0.CidrIp"
        ),
        (101, 19)
    );
    // a whole-template finding: the start of the file
    assert_eq!(at("21-bookstore-fullstack-redis-cache-cluster.yaml", "TPL008", ""), (1, 1));
}
