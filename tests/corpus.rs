//! Public real-world templates with ElastiCache resources (`tests/fixtures/corpus/`,
//! each with its repository, commit and licence in `SOURCES.md`), checked by
//! `synth check`: every finding is classified below, by file and rule, as a true
//! finding with the AWS fact behind it. A new finding (a false alarm or a missed
//! one) changes a count and fails the test until it is classified.

use std::collections::BTreeMap;
use std::path::Path;

/// (file number, rule, findings, verdict). No row is a false alarm: each one found
/// while collecting the corpus was fixed in the rules instead (r3/m1 types were
/// "newer than the data", 2.8/3.2 "not a known version").
const EXPECTED: &[(&str, &str, usize, &str)] = &[
    ("02", "SEC004", 1, "true: a customer managed KMS key without EnableKeyRotation"),
    ("03", "EC008", 1, "true: the node type is a literal CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("03", "EC010", 1, "true: engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("03", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("04", "EC008", 1, "true: the node type is a literal CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("04", "EC010", 1, "true: engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("04", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled (API default false for Redis OSS, CreateReplicationGroup)"),
    ("04", "SCHEMA", 9, "true: the published JSON lost its intrinsics (KICS samples converted from YAML: !Ref X became the string X, !If a plain list), so CloudFormation rejects these values (AWS::ElastiCache::ReplicationGroup property types)"),
    ("05", "SEC001", 2, "true: a CDK test template with the user passwords written in plain text"),
    ("05", "SEC004", 1, "true: a customer managed KMS key without EnableKeyRotation"),
    ("07", "EC010", 1, "true: engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("07", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled (API default false for Redis OSS, CreateReplicationGroup)"),
    ("07", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("07", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("08", "SEC002", 1, "true: ingress from 0.0.0.0/0 to port 6379"),
    ("10", "EC008", 1, "true: the node type is a literal CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("10", "EC010", 1, "true: engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("10", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled (API default false for Redis OSS, CreateReplicationGroup)"),
    ("10", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("10", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("11", "EC001", 1, "true: AuthToken without TransitEncryptionEnabled true (CloudFormation: 'AuthToken can be specified only on replication groups where TransitEncryptionEnabled is true')"),
    ("11", "EC008", 1, "true: the node type is a literal CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("11", "EC010", 1, "true: engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("11", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("11", "SCHEMA", 7, "true: the published JSON lost its intrinsics (KICS samples converted from YAML: !Ref X became the string X, !If a plain list), so CloudFormation rejects these values (AWS::ElastiCache::ReplicationGroup property types)"),
    ("12", "EC008", 1, "true: the node type is a literal CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("12", "EC010", 1, "true: engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("12", "SCHEMA", 8, "true: the published JSON lost its intrinsics (KICS samples converted from YAML: !Ref X became the string X, !If a plain list), so CloudFormation rejects these values (AWS::ElastiCache::ReplicationGroup property types)"),
    ("13", "EC008", 1, "true: the node type is a literal CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("17", "EC008", 1, "true: the node type is a literal CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("17", "EC010", 1, "true: engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("17", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled (API default false for Redis OSS, CreateReplicationGroup)"),
    ("17", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("17", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("18", "EC008", 1, "true: the node type is a literal CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("18", "EC010", 1, "true: engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("18", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled (API default false for Redis OSS, CreateReplicationGroup)"),
    ("18", "SCHEMA", 9, "true: the published JSON lost its intrinsics (KICS samples converted from YAML: !Ref X became the string X, !If a plain list), so CloudFormation rejects these values (AWS::ElastiCache::ReplicationGroup property types)"),
    ("19", "EC001", 1, "true: AuthToken without TransitEncryptionEnabled true (CloudFormation: 'AuthToken can be specified only on replication groups where TransitEncryptionEnabled is true')"),
    ("19", "EC008", 1, "true: the node type is a literal CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("19", "EC010", 1, "true: engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("19", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("19", "SCHEMA", 7, "true: the published JSON lost its intrinsics (KICS samples converted from YAML: !Ref X became the string X, !If a plain list), so CloudFormation rejects these values (AWS::ElastiCache::ReplicationGroup property types)"),
    ("20", "EC010", 1, "true: engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("20", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled (API default false for Redis OSS, CreateReplicationGroup)"),
    ("20", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("20", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
    ("21", "EC008", 1, "true: the node type is a literal CloudFormation cannot deploy (a parameter name left as a string, or a retired r3/m1 generation absent from the API data; CacheNodes.SupportedTypes.html)"),
    ("21", "EC010", 1, "true: engine version not offered (a parameter name left as a string, or 2.8/3.2 past end of life per engine-versions.html)"),
    ("21", "EC018", 1, "true: Redis OSS without AtRestEncryptionEnabled (API default false for Redis OSS, CreateReplicationGroup)"),
    ("21", "EC019", 1, "true: TransitEncryptionEnabled off or absent (API default false; in-transit-encryption.html)"),
    ("21", "EC020", 1, "true: no AuthToken and no UserGroupIds (auth.html, Clusters.RBAC.html)"),
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
    assert!(files.len() >= 21, "the corpus has {} templates", files.len());
    let args = synth::check::CheckArgs {
        files: files.iter().map(std::path::PathBuf::from).collect(),
        strict: false,
        format: synth::check::Format::Json,
        region: None,
        list_rules: false,
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
