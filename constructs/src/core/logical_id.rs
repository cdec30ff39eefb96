//! The AWS CDK logical-ID and physical-name algorithms, ported exactly.
//!
//! Logical IDs are a public contract: the same construct path always gives the
//! same ID, and these functions match CDK's `makeUniqueId` and
//! `Names.uniqueResourceName` byte for byte (see the test vectors below).

use md5::{Digest, Md5};

/// Path components hidden entirely from IDs (CDK's `HIDDEN_ID`).
pub const HIDDEN_ID: &str = "Default";
/// Path components hidden from the human part of IDs (CDK's `HIDDEN_FROM_HUMAN_ID`).
pub const HIDDEN_FROM_HUMAN_ID: &str = "Resource";
/// The longest logical ID CloudFormation accepts.
pub const MAX_LOGICAL_ID_LENGTH: usize = 255;
const MAX_HUMAN_LENGTH: usize = 240;
const HASH_LENGTH: usize = 8;

/// Computes the logical ID of an element from its path components below the stack.
///
/// # Errors
///
/// Returns an error when no component is left once `Default` components are removed.
pub fn make_unique_id(components: &[&str]) -> Result<String, String> {
    let components: Vec<&str> = components.iter().copied().filter(|c| *c != HIDDEN_ID).collect();
    if components.is_empty() {
        return Err("unable to calculate a unique id for an empty set of components".into());
    }
    if components.len() == 1 {
        let candidate = remove_non_alphanumeric(components[0]);
        if candidate.len() <= MAX_LOGICAL_ID_LENGTH {
            return Ok(candidate);
        }
    }
    // the human part is ASCII letters and digits only, so bytes count characters
    let mut id = String::with_capacity(64);
    for c in remove_dupes(&components).into_iter().filter(|c| *c != HIDDEN_FROM_HUMAN_ID) {
        id.extend(c.chars().filter(char::is_ascii_alphanumeric));
        if id.len() >= MAX_HUMAN_LENGTH {
            id.truncate(MAX_HUMAN_LENGTH);
            break;
        }
    }
    id.push_str(&path_hash(&components));
    Ok(id)
}

/// Computes a physical name like CDK's `Names.uniqueResourceName`.
///
/// `components` starts with the stack name. The result is at most `max_length`
/// characters; a long human part keeps its first and last halves.
pub fn unique_resource_name(components: &[&str], max_length: usize, separator: &str) -> String {
    let components: Vec<&str> = components.iter().copied().filter(|c| *c != HIDDEN_ID).collect();
    if components.is_empty() {
        return String::new();
    }
    if components.len() == 1 {
        let candidate = remove_non_alphanumeric(components[0]);
        if candidate.len() <= max_length {
            return candidate;
        }
    }
    let hash = path_hash(&components);
    let human: String = remove_dupes(&components)
        .into_iter()
        .filter(|c| *c != HIDDEN_FROM_HUMAN_ID)
        .map(remove_non_alphanumeric)
        .collect::<Vec<_>>()
        .join(separator);
    let max_human = max_length.saturating_sub(HASH_LENGTH + separator.len());
    let human = if human.chars().count() > max_human { split_in_middle(&human, max_human) } else { human };
    format!("{human}{separator}{hash}")
}

fn split_in_middle(s: &str, max: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    let half = max / 2;
    let head: String = chars[..half].iter().collect();
    let tail: String = chars[chars.len() - (max - half)..].iter().collect();
    head + &tail
}

fn path_hash(components: &[&str]) -> String {
    let digest = Md5::digest(components.join("/").as_bytes());
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    // the first HASH_LENGTH hex digits of the digest, upper-cased
    digest
        .iter()
        .take(HASH_LENGTH / 2)
        .flat_map(|b| [HEX[(b >> 4) as usize] as char, HEX[(b & 15) as usize] as char])
        .collect()
}

fn remove_dupes<'a>(components: &[&'a str]) -> Vec<&'a str> {
    let mut kept: Vec<&str> = Vec::with_capacity(components.len());
    for c in components {
        if let Some(prev) = kept.last() {
            if prev.ends_with(c) {
                continue;
            }
        }
        kept.push(c);
    }
    kept
}

fn remove_non_alphanumeric(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).collect()
}

/// Whether `id` is a valid CloudFormation logical ID (`^[A-Za-z0-9]{1,255}$`).
pub fn is_valid_logical_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_LOGICAL_ID_LENGTH && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(path: &str) -> String {
        let parts: Vec<&str> = path.split('/').collect();
        make_unique_id(&parts).unwrap()
    }

    #[test]
    fn matches_every_cdk_vector() {
        let vectors = [
            ("Cache/Resource", "Cache18F6EE16"),
            ("Cache/SecurityGroup/Resource", "CacheSecurityGroup79A9F160"),
            ("Cache/SecurityGroup", "CacheSecurityGroup24A10A71"),
            ("Cache/AuthToken/Resource", "CacheAuthToken04672416"),
            ("Level1/Default/Resource", "Level1ABBD39B3"),
            ("Level1/Level1Sub", "Level1Level1SubB1302914"),
            ("Vpc/PrivateSubnet1/Subnet", "VpcPrivateSubnet1Subnet536B997A"),
            ("Default/Redis/Default/Resource", "RedisFF642DF2"),
            ("CacheSub/Sub", "CacheSubB8A0547C"),
            ("a-b/x_y", "abxyC16F9E44"),
            ("Ünï/Resource", "n3673676E"),
            ("Key/Resource", "Key961B73FD"),
            ("UserGroup/Resource", "UserGroupC755C9ED"),
            ("EnvName", "EnvName"),
            ("CDKMetadata/Default", "CDKMetadata"),
            ("Overridden", "Overridden"),
        ];
        for (path, want) in vectors {
            assert_eq!(id(path), want, "path {path}");
        }
    }

    #[test]
    fn cross_stack_export_vector() {
        let got = make_unique_id(&["Exports", r#"Output{"Fn::GetAtt":["Cache18F6EE16","PrimaryEndPoint.Address"]}"#])
            .unwrap();
        assert_eq!(got, "ExportsOutputFnGetAttCache18F6EE16PrimaryEndPointAddressB79A7563");
    }

    #[test]
    fn empty_components_fail() {
        assert!(make_unique_id(&["Default"]).is_err());
        assert!(make_unique_id(&[]).is_err());
    }

    #[test]
    fn long_single_component_is_hashed() {
        let long = "A".repeat(300);
        let got = make_unique_id(&[&long]).unwrap();
        assert_eq!(got.len(), 248);
        assert!(is_valid_logical_id(&got));
    }

    #[test]
    fn physical_name_vectors() {
        assert_eq!(unique_resource_name(&["AlphaStack", "Cache"], 40, ""), "AlphaStackCache05A694A2");
        assert_eq!(
            unique_resource_name(&["AlphaStack", "UserGroup"], 40, "").to_lowercase(),
            "alphastackusergroup271c2ed1"
        );
    }

    #[test]
    fn logical_id_pattern() {
        assert!(is_valid_logical_id("Abc123"));
        assert!(!is_valid_logical_id(""));
        assert!(!is_valid_logical_id("a-b"));
        assert!(!is_valid_logical_id(&"a".repeat(256)));
    }
}
