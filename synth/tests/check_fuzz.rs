//! Robustness of the checker: mutated fixture templates and random JSON go
//! through `check_template` (integrity, schemas, rules) for a bounded time. It
//! must never panic or hang, whatever the input. Deterministic: a fixed-seed
//! xorshift generator, no new dependencies.

use redis_cdk::validate::check_template;
use serde_json::{json, Map, Value as J};
use std::path::Path;
use std::time::{Duration, Instant};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const STRINGS: &[&str] = &[
    "",
    "redis",
    "valkey",
    "memcached",
    "7.1",
    "8.0",
    "6.x",
    "cache.r6gd.xlarge",
    "cache.t4g.nano",
    "yes",
    "no",
    "true",
    "False",
    "0.0.0.0/0",
    "::/0",
    "tcp",
    "-1",
    "6379",
    "sun:05:00-sun:06:00",
    "03:00-04:00",
    "25:99-00:00",
    "sun:05:00-",
    "-",
    ":",
    "preferred",
    "required",
    "enabled",
    "{{resolve:secretsmanager:x:SecretString:t}}",
    "{{resolve:",
    "${",
    "${Cache.PrimaryEndPoint.Address}",
    "${!x}",
    "${AWS::StackName}",
    "Cache",
    "Params",
    "default.redis7.cluster.on",
    "default.",
    "redis7",
    "valkey8",
    "AWS::NoValue",
    "Ref",
    "Fn::GetAtt",
    "é🦀\u{0}",
    "Properties",
    "Type",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::EC2::SecurityGroupIngress",
];

const KEYS: &[&str] = &[
    "Ref",
    "Fn::GetAtt",
    "Fn::Sub",
    "Fn::If",
    "Fn::Join",
    "Condition",
    "Type",
    "Properties",
    "Default",
    "NoEcho",
    "Engine",
    "EngineVersion",
    "NumNodeGroups",
    "ReplicasPerNodeGroup",
    "NumCacheClusters",
    "Port",
    "AuthToken",
    "CacheParameterGroupName",
    "SecurityGroupIds",
    "SecurityGroupIngress",
    "GroupId",
    "CidrIp",
    "FromPort",
    "ToPort",
    "IpProtocol",
    "DependsOn",
    "Export",
    "Name",
    "Value",
    "Dimensions",
    "UserIds",
    "GenerateSecretString",
];

fn random_value(rng: &mut Rng, depth: u32) -> J {
    match rng.below(if depth > 4 { 6 } else { 10 }) {
        0 => J::Null,
        1 => J::Bool(rng.below(2) == 0),
        2 => json!(rng.next() as i64 % 100_000 - 50_000),
        3 => json!(*rng.pick(&[0.5, -1.0, 1e300, 7.0, 65536.0, -0.0])),
        4 | 5 => J::String(rng.pick(STRINGS).to_string()),
        6 | 7 => {
            let mut m = Map::new();
            for _ in 0..rng.below(4) {
                m.insert(rng.pick(KEYS).to_string(), random_value(rng, depth + 1));
            }
            J::Object(m)
        }
        _ => J::Array((0..rng.below(4)).map(|_| random_value(rng, depth + 1)).collect()),
    }
}

/// Visits a random node of `v` and changes it.
fn mutate(rng: &mut Rng, v: &mut J, depth: u32) {
    let descend = depth < 12 && rng.below(4) != 0;
    match v {
        J::Object(m) if descend && !m.is_empty() => {
            let k = m.keys().nth(rng.below(m.len())).cloned().unwrap();
            match rng.below(10) {
                0 => {
                    m.remove(&k);
                }
                1 => {
                    let inner = m.remove(&k).unwrap();
                    m.insert(rng.pick(KEYS).to_string(), inner);
                }
                _ => mutate(rng, m.get_mut(&k).unwrap(), depth + 1),
            }
        }
        J::Array(a) if descend && !a.is_empty() => {
            let i = rng.below(a.len());
            if rng.below(8) == 0 {
                a.remove(i);
            } else {
                mutate(rng, &mut a[i], depth + 1);
            }
        }
        _ => {
            *v = match rng.below(5) {
                0 => json!({ *rng.pick(&["Ref", "Fn::GetAtt", "Fn::Sub", "Fn::If", "Condition"]): v.take() }),
                1 => json!([v.take(), random_value(rng, depth)]),
                _ => random_value(rng, depth),
            };
        }
    }
}

fn fixture_templates() -> Vec<J> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check");
    let mut out = Vec::new();
    for kind in ["good", "bad"] {
        for e in std::fs::read_dir(root.join(kind)).expect("fixtures") {
            let p = e.unwrap().path();
            // JSON-* and IO-* are meant not to parse or read; they have no tree to mutate
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if p.extension().is_some_and(|x| x == "json") && !name.starts_with("JSON-") && !name.starts_with("IO-") {
                out.push(serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap());
            }
        }
    }
    out
}

#[test]
fn random_and_mutated_templates_never_panic() {
    let seeds = fixture_templates();
    assert!(seeds.len() > 40);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let budget = Duration::from_secs(3);
    let start = Instant::now();
    let mut runs = 0u32;
    while runs < 20_000 && start.elapsed() < budget {
        let mut t = if rng.below(5) == 0 {
            json!({"Resources": {"A": random_value(&mut rng, 0), "Cache": random_value(&mut rng, 0)}, "Parameters": random_value(&mut rng, 1)})
        } else {
            seeds[rng.below(seeds.len())].clone()
        };
        for _ in 0..=rng.below(6) {
            mutate(&mut rng, &mut t, 0);
        }
        let _ = check_template(&t);
        runs += 1;
    }
    // Scalars and odd top-level shapes too.
    for t in [J::Null, json!(1), json!("x"), json!([]), json!({"Resources": []}), json!({"Resources": {"A": []}})] {
        assert!(!check_template(&t).is_empty());
    }
    assert!(runs > 100, "only {runs} templates checked in {budget:?}");
    eprintln!("checked {runs} mutated templates in {:?}", start.elapsed());
}

#[test]
fn deep_nesting_does_not_overflow() {
    let mut v = json!("x");
    for _ in 0..120 {
        v = json!({"Fn::Join": ["", [v]]});
    }
    let t = json!({"Resources": {"Cache": {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": {"ReplicationGroupDescription": v, "AuthToken": v}}}});
    let _ = check_template(&t);
}
