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
    ("04", "SCHEMA", 9, "true: a value CloudFormation rejects for the property type (KICS samples whose JSON lost its intrinsics, !Ref X as the string X and !If as a plain list; an SG egress rule with SourceSecurityGroupId)"),
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
    ("11", "SCHEMA", 7, "true: a value CloudFormation rejects for the property type (KICS samples whose JSON lost its intrinsics, !Ref X as the string X and !If as a plain list; an SG egress rule with SourceSecurityGroupId)"),
    ("12", "EC008", 1, "true: a node type CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1/m3 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("12", "EC010", 1, "true: an engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("12", "SCHEMA", 8, "true: a value CloudFormation rejects for the property type (KICS samples whose JSON lost its intrinsics, !Ref X as the string X and !If as a plain list; an SG egress rule with SourceSecurityGroupId)"),
    ("13", "EC008", 1, "true: a node type CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1/m3 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("17", "EC008", 1, "true: a node type CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1/m3 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("17", "EC010", 1, "true: an engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("17", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled (API default false for Redis OSS, CreateReplicationGroup)"),
    ("17", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("17", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("18", "EC008", 1, "true: a node type CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1/m3 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("18", "EC010", 1, "true: an engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("18", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled (API default false for Redis OSS, CreateReplicationGroup)"),
    ("18", "SCHEMA", 9, "true: a value CloudFormation rejects for the property type (KICS samples whose JSON lost its intrinsics, !Ref X as the string X and !If as a plain list; an SG egress rule with SourceSecurityGroupId)"),
    ("19", "EC001", 1, "true: AuthToken without TransitEncryptionEnabled true (CloudFormation: AuthToken can be specified only on replication groups where TransitEncryptionEnabled is true)"),
    ("19", "EC008", 1, "true: a node type CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1/m3 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("19", "EC010", 1, "true: an engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("19", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("19", "SCHEMA", 7, "true: a value CloudFormation rejects for the property type (KICS samples whose JSON lost its intrinsics, !Ref X as the string X and !If as a plain list; an SG egress rule with SourceSecurityGroupId)"),
    ("20", "EC010", 1, "true: an engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("20", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled (API default false for Redis OSS, CreateReplicationGroup)"),
    ("20", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("20", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
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
    ("25", "SCHEMA", 1, "true: a value CloudFormation rejects for the property type (KICS samples whose JSON lost its intrinsics, !Ref X as the string X and !If as a plain list; an SG egress rule with SourceSecurityGroupId)"),
    ("25", "SEC005", 2, "true: SNS topics without KmsMasterKeyId"),
    ("25", "TPL013", 1, "true: Outputs holds the key InstanceSecurityGroup twice, as published; JSON readers keep the second"),
    ("26", "EC003", 1, "true: with Failover true and the default InstanceCount 1, automatic failover on one node (CloudFormation: NumCacheClusters must be at least 2 if AutomaticFailoverEnabled is true)"),
    ("26", "EC010", 1, "true: an engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("26", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled (API default false for Redis OSS, CreateReplicationGroup)"),
    ("26", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("26", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("26", "EC024", 2, "true: ConfigurationEndPoint of a cluster-mode-disabled group, which has only PrimaryEndPoint and ReaderEndPoint (ReplicationGroup return values)"),
];

#[test]
fn every_finding_on_the_public_corpus_is_classified() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("corpus")
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".json") && !p.ends_with("sources.json"))
        .collect();
    files.sort();
    assert!(files.len() >= 25, "the corpus has {} templates", files.len());
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
    let want: BTreeMap<(String, String), usize> = EXPECTED
        .iter()
        .map(|(f, r, n, why)| {
            assert!(why.starts_with("true: "), "{f} {r}: every row is a true finding with its reason");
            ((f.to_string(), r.to_string()), *n)
        })
        .collect();
    assert_eq!(got, want, "findings on the corpus changed:\n{}", stdout);
}
