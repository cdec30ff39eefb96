//! Network and encryption rules: ingress open to the world on a cache port
//! (SEC002), KMS keys without rotation (SEC004), unencrypted SNS topics (SEC005),
//! security group rules whose ports do not fit their protocol (NET001).

use super::finding;
use crate::facts;
use crate::template::Template;
use crate::validate::Finding;
use serde_json::{Map, Value as J};

const SG: &str = "AWS::EC2::SecurityGroup";

/// A cache: logical id, ports (`None`: unknown) and the security groups guarding it.
type Cache<'a> = (&'a str, Vec<Option<i64>>, Vec<&'a str>);

/// The caches of the template.
fn caches<'a>(t: &Template<'a>) -> Vec<Cache<'a>> {
    let mut v = Vec::new();
    for (ty, sg_key) in [
        ("AWS::ElastiCache::ReplicationGroup", "SecurityGroupIds"),
        ("AWS::ElastiCache::CacheCluster", "VpcSecurityGroupIds"),
        ("AWS::ElastiCache::ServerlessCache", "SecurityGroupIds"),
    ] {
        for (id, p) in t.of_type(ty) {
            let ports = if ty == "AWS::ElastiCache::ServerlessCache" {
                vec![Some(6379), Some(6380)]
            } else {
                match p.get("Port") {
                    None => vec![Some(i64::from(facts::DEFAULT_PORT))],
                    Some(v) => vec![t.resolve(v).and_then(|l| l.int())],
                }
            };
            let sgs = match p.get(sg_key) {
                Some(J::Array(a)) => {
                    a.iter().filter_map(|x| t.target(x)).filter(|r| t.type_of(r) == Some(SG)).collect()
                }
                _ => Vec::new(),
            };
            v.push((id, ports, sgs));
        }
    }
    v
}

pub(super) fn check(t: &Template, out: &mut Vec<Finding>) {
    let caches = caches(t);
    // The ports a rule on `sg` must not open: those of the caches it guards, or of
    // every cache when it guards none of them (6379 when there is no cache).
    let ports_of = |sg: Option<&str>| -> (Vec<Option<i64>>, Option<&str>) {
        if let Some(sg) = sg {
            if let Some((cache, ports, _)) = caches.iter().find(|(_, _, sgs)| sgs.contains(&sg)) {
                return (ports.clone(), Some(cache));
            }
        }
        let mut all: Vec<Option<i64>> = caches.iter().flat_map(|(_, p, _)| p.clone()).collect();
        if all.is_empty() {
            all.push(Some(i64::from(facts::DEFAULT_PORT)));
        }
        all.dedup();
        (all, None)
    };
    for (id, p) in t.of_type(SG) {
        for key in ["SecurityGroupIngress", "SecurityGroupEgress"] {
            if let Some(J::Array(rules)) = p.get(key) {
                for (i, r) in rules.iter().enumerate() {
                    if let Some(r) = r.as_object() {
                        ports_fit_protocol(t, id, &format!("Properties.{key}.{i}"), r, out);
                    }
                }
            }
        }
    }
    for ty in ["AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"] {
        for (id, p) in t.of_type(ty) {
            ports_fit_protocol(t, id, "Properties", p, out);
        }
    }
    for (id, p) in t.of_type(SG) {
        if let Some(J::Array(rules)) = p.get("SecurityGroupIngress") {
            for (i, r) in rules.iter().enumerate() {
                if let Some(r) = r.as_object() {
                    let (ports, cache) = ports_of(Some(id));
                    open_ingress(t, id, &format!("Properties.SecurityGroupIngress.{i}"), r, id, &ports, cache, out);
                }
            }
        }
    }
    for (id, p) in t.of_type("AWS::EC2::SecurityGroupIngress") {
        let sg = p.get("GroupId").and_then(|v| t.target(v)).filter(|r| t.type_of(r) == Some(SG));
        let (ports, cache) = ports_of(sg);
        open_ingress(t, id, "Properties", p, sg.unwrap_or("(GroupId)"), &ports, cache, out);
    }
    for (id, p) in t.of_type("AWS::KMS::Key") {
        kms_rotation(t, id, p, out);
    }
    for (id, p) in t.of_type("AWS::SNS::Topic") {
        if !p.contains_key("KmsMasterKeyId") {
            out.push(finding("SEC005", id, "Properties.KmsMasterKeyId", "the topic is not encrypted; set KmsMasterKeyId to a customer managed KMS key whose policy lets cloudwatch.amazonaws.com use it"));
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn open_ingress(
    t: &Template,
    id: &str,
    path: &str,
    r: &Map<String, J>,
    sg: &str,
    ports: &[Option<i64>],
    cache: Option<&str>,
    out: &mut Vec<Finding>,
) {
    let v4 = r.get("CidrIp").and_then(|v| t.resolve(v)).filter(|l| l.text().trim() == "0.0.0.0/0");
    let v6 = r.get("CidrIpv6").and_then(|v| t.resolve(v)).filter(|l| l.text().trim() == "::/0");
    let (key, cidr) = match (v4, v6) {
        (Some(l), _) => ("CidrIp", l),
        (None, Some(l)) => ("CidrIpv6", l),
        _ => return,
    };
    let Some(proto) = r.get("IpProtocol").and_then(|v| t.resolve(v)) else { return };
    let proto = proto.text().to_ascii_lowercase();
    let open: Vec<i64> = match proto.as_str() {
        "-1" | "all" => ports.iter().map(|p| p.unwrap_or(i64::from(facts::DEFAULT_PORT))).collect(),
        "tcp" | "6" => {
            let bound = |k: &str| r.get(k).and_then(|v| t.resolve(v)).and_then(|l| l.int());
            let (Some(from), Some(to)) = (bound("FromPort"), bound("ToPort")) else { return };
            let (from, to) = if from == -1 { (0, 65535) } else { (from, to) };
            ports.iter().flatten().copied().filter(|p| (from..=to).contains(p)).collect()
        }
        _ => return,
    };
    let Some(port) = open.first() else { return };
    let guards = cache.map(|c| format!(", which guards cache {c},")).unwrap_or_default();
    out.push(finding("SEC002", id, format!("{path}.{key}"), format!("ingress from {} to port {port} of security group {sg}{guards} opens the cache to the internet; allow only the application's security group (SourceSecurityGroupId) or a private CIDR", cidr.show())));
}

fn kms_rotation(t: &Template, id: &str, p: &Map<String, J>, out: &mut Vec<Finding>) {
    let symmetric = t.get(p, "KeySpec").is_none_or(|l| l.text() == "SYMMETRIC_DEFAULT");
    let encrypts = t.get(p, "KeyUsage").is_none_or(|l| l.text() == "ENCRYPT_DECRYPT");
    let imported = t.get(p, "Origin").is_some_and(|l| l.text() != "AWS_KMS");
    if !symmetric || !encrypts || imported {
        return;
    }
    match p.get("EnableKeyRotation").map(|v| t.resolve(v).and_then(|l| l.bool())) {
        None => out.push(finding(
            "SEC004",
            id,
            "Properties.EnableKeyRotation",
            "key rotation is not set; set EnableKeyRotation to true so KMS rotates the key material every year",
        )),
        Some(Some(false)) => out.push(finding(
            "SEC004",
            id,
            "Properties.EnableKeyRotation",
            "key rotation is off; set EnableKeyRotation to true so KMS rotates the key material every year",
        )),
        _ => {}
    }
}

/// NET001: a rule's ports as EC2 takes them (AuthorizeSecurityGroupIngress, the
/// `IpPermission` type): TCP and UDP (`tcp`, `udp`, `6`, `17`) need both
/// `FromPort` and `ToPort` within 0..65535, `FromPort` not above `ToPort`; `-1`
/// for one port means every port only when the other is `-1` too (cfn-lint
/// E3687 and E3688 check the same). Unknown values (parameters without a
/// default, intrinsics) are skipped.
fn ports_fit_protocol(t: &Template, id: &str, path: &str, r: &Map<String, J>, out: &mut Vec<Finding>) {
    let Some(protocol) = r.get("IpProtocol").and_then(|v| t.resolve(v)).map(|l| l.text()) else { return };
    let port = |k: &str| r.get(k).map(|v| t.resolve(v).and_then(|l| l.int()));
    let (from, to) = (port("FromPort"), port("ToPort"));
    let mut problem = None;
    if let (Some(Some(-1)), Some(Some(p))) | (Some(Some(p)), Some(Some(-1))) = (from, to) {
        if p != -1 {
            problem = Some(format!(
                "FromPort {} and ToPort {}: -1 (every port) needs both to be -1",
                from.flatten().unwrap_or(0),
                to.flatten().unwrap_or(0)
            ));
        }
    }
    if problem.is_none() && matches!(protocol.to_ascii_lowercase().as_str(), "tcp" | "udp" | "6" | "17") {
        problem = match (from, to) {
            (None, _) | (_, None) => Some(format!("IpProtocol {protocol} needs both FromPort and ToPort")),
            (Some(Some(f)), Some(Some(t))) if f == -1 && t == -1 => None,
            (Some(Some(f)), Some(Some(t))) if !(0..=65535).contains(&f) || !(0..=65535).contains(&t) => {
                Some(format!("ports {f} to {t} are not within 0..65535"))
            }
            (Some(Some(f)), Some(Some(t))) if f > t => Some(format!("FromPort {f} is above ToPort {t}")),
            _ => None,
        };
    }
    if let Some(p) = problem {
        out.push(finding(
            "NET001",
            id,
            path,
            format!("{p}; EC2 refuses the rule: give the port range the protocol needs"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::pair;
    use serde_json::{json, Value as J};

    fn cache_with(rule: J, inline: bool) -> J {
        let mut t = json!({"Resources": {
            "CacheSg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "cache", "VpcId": "vpc-0123abcd"}},
            "Cache": {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": {"ReplicationGroupDescription": "d", "SecurityGroupIds": [{"Fn::GetAtt": ["CacheSg", "GroupId"]}]}}
        }});
        if inline {
            t["Resources"]["CacheSg"]["Properties"]["SecurityGroupIngress"] = json!([rule]);
        } else {
            let mut r = rule;
            r["GroupId"] = json!({"Ref": "CacheSg"});
            t["Resources"]["Ingress"] = json!({"Type": "AWS::EC2::SecurityGroupIngress", "Properties": r});
        }
        t
    }

    #[test]
    fn fails_sec002_open_ingress() {
        let open = json!({"IpProtocol": "tcp", "FromPort": 6379, "ToPort": 6379, "CidrIp": "0.0.0.0/0"});
        let private = json!({"IpProtocol": "tcp", "FromPort": 6379, "ToPort": 6379, "CidrIp": "10.0.0.0/16"});
        pair(cache_with(open.clone(), true), cache_with(private.clone(), true),
            "CacheSg.Properties.SecurityGroupIngress.0.CidrIp: [SEC002] ingress from '0.0.0.0/0' to port 6379 of security group CacheSg, which guards cache Cache, opens the cache to the internet; allow only the application's security group (SourceSecurityGroupId) or a private CIDR");
        pair(cache_with(json!({"IpProtocol": "-1", "CidrIpv6": "::/0"}), false), cache_with(private, false),
            "Ingress.Properties.CidrIpv6: [SEC002] ingress from '::/0' to port 6379 of security group CacheSg, which guards cache Cache, opens the cache to the internet; allow only the application's security group (SourceSecurityGroupId) or a private CIDR");
        // An open rule on another port is not this rule's business.
        let https = json!({"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"});
        assert!(!super::super::tests::run(&cache_with(https, true)).iter().any(|f| f.contains("SEC002")));
    }

    #[test]
    fn fails_sec004_kms_rotation() {
        let key = |props: J| json!({"Resources": {"Key": {"Type": "AWS::KMS::Key", "Properties": props}}});
        pair(key(json!({"KeyPolicy": {}})), key(json!({"KeyPolicy": {}, "EnableKeyRotation": true})),
            "Key.Properties.EnableKeyRotation: [SEC004] key rotation is not set; set EnableKeyRotation to true so KMS rotates the key material every year");
        pair(key(json!({"KeyPolicy": {}, "EnableKeyRotation": "false"})), key(json!({"KeyPolicy": {}, "KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"})),
            "Key.Properties.EnableKeyRotation: [SEC004] key rotation is off; set EnableKeyRotation to true so KMS rotates the key material every year");
    }

    #[test]
    fn fails_sec005_unencrypted_topic() {
        let topic = |props: J| json!({"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": props}}});
        pair(topic(json!({})), topic(json!({"KmsMasterKeyId": {"Ref": "Key"}})),
            "Topic.Properties.KmsMasterKeyId: [SEC005] the topic is not encrypted; set KmsMasterKeyId to a customer managed KMS key whose policy lets cloudwatch.amazonaws.com use it");
    }
}
