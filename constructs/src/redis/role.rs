//! `Role`: the IAM role a grant attaches its policy to, in the app or outside it;
//! `Principal`: that role, or an IAM user or group made outside the app.

use crate::cfn::iam::CfnManagedPolicy;
use crate::core::{AsScope, ResourceHandle, Value};
use crate::facts::{self, IamKind};
use crate::map;

/// An IAM role that grants are given to, such as the application's task or
/// instance role: `grant_read(scope, id, &role)` on [`super::AuthSecret`],
/// [`super::ConnectionSecret`] and a user's [`super::UserPassword`] (and
/// [`super::CacheUser::grant_connect`] for IAM authentication) writes a managed
/// policy whose `Roles` names it.
///
/// A role made elsewhere is imported by ARN or name; one made in the app by its
/// resource. IAM attaches policies by role *name*, which is the last part of the
/// ARN: `arn:aws:iam::123456789012:role/service/app` is the role `app` at path
/// `/service/`.
///
/// ```
/// use redis_cdk::Role;
///
/// let role = Role::from_arn("arn:aws:iam::123456789012:role/service/app").unwrap();
/// assert_eq!(role.name(), &redis_cdk::Value::str("app"));
///
/// let err = Role::from_arn("arn:aws:iam::123456789012:user/app").unwrap_err();
/// assert!(err.to_string().contains("is not a role ARN"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    name: Value,
    arn: Option<Value>,
}

/// Why a [`Role`] could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RoleError {
    /// The string is not `arn:<partition>:iam::<account>:role/[<path>/]<name>`.
    #[error("'{arn}' is not a role ARN: {why}; use arn:<partition>:iam::<12-digit account>:role/[<path>/]<name>, such as arn:aws:iam::123456789012:role/service/app")]
    NotARoleArn {
        /// The ARN as given.
        arn: String,
        /// What is wrong with it.
        why: String,
    },
    /// The role name is one IAM refuses.
    #[error("role name '{name}' {why} (IAM API constraint, {src})", src = facts::data::SOURCE)]
    InvalidName {
        /// The name as given (or as read from the ARN).
        name: String,
        /// What is wrong with it.
        why: String,
    },
    /// The role path of an ARN is one IAM refuses.
    #[error("role path '{path}' of '{arn}' {why}")]
    InvalidPath {
        /// The ARN as given.
        arn: String,
        /// The path read from it.
        path: String,
        /// What is wrong with it.
        why: String,
    },
    /// The string is not `arn:<partition>:iam::<account>:user/[<path>/]<name>` (or
    /// `group/`), for [`Principal::user_from_arn`] and [`Principal::group_from_arn`].
    #[error("'{arn}' is not a {kind} ARN: {why}; use arn:<partition>:iam::<12-digit account>:{kind}/[<path>/]<name>, such as arn:aws:iam::123456789012:{kind}/team/name")]
    NotAnIamArn {
        /// The ARN as given.
        arn: String,
        /// `user` or `group`.
        kind: &'static str,
        /// What is wrong with it.
        why: String,
    },
    /// The user or group name is one IAM refuses.
    #[error("{kind} name '{name}' {why} (IAM API constraint, {src})", src = facts::data::SOURCE)]
    InvalidPrincipalName {
        /// `user` or `group`.
        kind: &'static str,
        /// The name as read from the ARN.
        name: String,
        /// What is wrong with it.
        why: String,
    },
    /// The resource given to [`Role::from_resource`] is not an `AWS::IAM::Role`.
    #[error("{path} is of type {type_name}, not AWS::IAM::Role; pass the role's resource, or import the role with Role::from_arn")]
    NotARole {
        /// The resource's construct path.
        path: String,
        /// Its type.
        type_name: String,
    },
}

impl Role {
    /// A role made outside the app, by its ARN, such as
    /// `arn:aws:iam::123456789012:role/service/app`; the path may be empty.
    ///
    /// The ARN must be a literal: IAM's `Roles` take names, and a template cannot
    /// take the last part of an ARN it only knows at deploy time. For a role given
    /// as a parameter, make the parameter the role *name* and use [`Role::from_name`].
    ///
    /// # Errors
    ///
    /// [`RoleError`] when the ARN is not a role ARN, or its name or path is one IAM refuses.
    pub fn from_arn(arn: &str) -> Result<Role, RoleError> {
        let name = parse_arn(arn, IamKind::Role)?;
        Ok(Role { name: Value::str(name), arn: Some(Value::str(arn)) })
    }

    /// A role made outside the app, by its name (without the path): a literal,
    /// or a value known at deploy time such as a parameter's. A literal that IAM
    /// would refuse (an ARN, a name with its path, a character outside
    /// `[\w+=,.@-]`) is reported at synth by rule SEC008, at the grant.
    pub fn from_name(name: impl Into<Value>) -> Role {
        Role { name: name.into(), arn: None }
    }

    /// A role made in the app: the `AWS::IAM::Role` resource behind `role`, whose
    /// `Ref` is its name and `Arn` attribute its ARN.
    ///
    /// # Errors
    ///
    /// [`RoleError::NotARole`] when the resource is of another type.
    pub fn from_resource(role: &ResourceHandle) -> Result<Role, RoleError> {
        if role.type_name() != "AWS::IAM::Role" {
            return Err(RoleError::NotARole { path: role.target().path.clone(), type_name: role.type_name().into() });
        }
        Ok(Role { name: role.reference(), arn: Some(role.get_att("Arn")) })
    }

    /// The role name, as a policy's `Roles` lists it.
    pub fn name(&self) -> &Value {
        &self.name
    }

    /// The role ARN, when it is known (not for a role imported by name).
    pub fn arn(&self) -> Option<&Value> {
        self.arn.as_ref()
    }
}

/// Who a grant's managed policy is attached to: an IAM [`Role`] (`Roles`), or an
/// IAM user (`Users`) or group (`Groups`) made outside the app. Every grant takes
/// one, and a `&Role` is one.
///
/// ```
/// use redis_cdk::{facts::IamKind, Principal, Value};
///
/// let user = Principal::user_from_arn("arn:aws:iam::123456789012:user/ops/alice").unwrap();
/// assert_eq!((user.kind(), user.name()), (IamKind::User, &Value::str("alice")));
/// let group = Principal::group("on-call");
/// assert_eq!(group.kind(), IamKind::Group);
/// let err = Principal::user_from_arn("arn:aws:iam::123456789012:role/app").unwrap_err();
/// assert!(err.to_string().contains("is not a user ARN: it names a 'role', not a user"), "{err}");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    kind: IamKind,
    name: Value,
}

impl Principal {
    /// An IAM user made outside the app, by its ARN
    /// (`arn:aws:iam::123456789012:user/ops/alice` is the user `alice`); as with
    /// [`Role::from_arn`], the ARN must be a literal.
    ///
    /// # Errors
    ///
    /// [`RoleError`] when the ARN is not a user ARN, or its name or path is one IAM refuses.
    pub fn user_from_arn(arn: &str) -> Result<Principal, RoleError> {
        Ok(Principal { kind: IamKind::User, name: Value::str(parse_arn(arn, IamKind::User)?) })
    }

    /// An IAM user by its name (without the path): a literal, checked at synth by
    /// rule SEC008, or a value known at deploy time.
    pub fn user(name: impl Into<Value>) -> Principal {
        Principal { kind: IamKind::User, name: name.into() }
    }

    /// An IAM group made outside the app, by its ARN.
    ///
    /// # Errors
    ///
    /// [`RoleError`] when the ARN is not a group ARN, or its name or path is one IAM refuses.
    pub fn group_from_arn(arn: &str) -> Result<Principal, RoleError> {
        Ok(Principal { kind: IamKind::Group, name: Value::str(parse_arn(arn, IamKind::Group)?) })
    }

    /// An IAM group by its name (without the path).
    pub fn group(name: impl Into<Value>) -> Principal {
        Principal { kind: IamKind::Group, name: name.into() }
    }

    /// A role, a user or a group.
    pub fn kind(&self) -> IamKind {
        self.kind
    }

    /// The name, as the policy lists it.
    pub fn name(&self) -> &Value {
        &self.name
    }
}

impl From<&Role> for Principal {
    fn from(role: &Role) -> Self {
        Principal { kind: IamKind::Role, name: role.name.clone() }
    }
}

impl From<Role> for Principal {
    fn from(role: Role) -> Self {
        Principal { kind: IamKind::Role, name: role.name }
    }
}

impl From<&Principal> for Principal {
    fn from(p: &Principal) -> Self {
        p.clone()
    }
}

/// The name of the IAM principal of `kind` an ARN names, its path and name checked.
fn parse_arn(arn: &str, kind: IamKind) -> Result<&str, RoleError> {
    let bad = |why: &str| match kind {
        IamKind::Role => RoleError::NotARoleArn { arn: arn.to_string(), why: why.to_string() },
        other => RoleError::NotAnIamArn { arn: arn.to_string(), kind: other.name(), why: why.to_string() },
    };
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, region, account, resource] = parts[..] else {
        return Err(bad("it has fewer than six ':'-separated parts"));
    };
    if prefix != "arn" {
        return Err(bad("it does not start with arn:"));
    }
    if partition != "aws" && !partition.strip_prefix("aws-").is_some_and(|p| p.split('-').all(is_lower_word)) {
        return Err(bad(&format!("'{partition}' is not an AWS partition such as aws, aws-cn or aws-us-gov")));
    }
    if service != "iam" {
        return Err(bad(&format!("its service is '{service}', not iam")));
    }
    if !region.is_empty() {
        return Err(bad(&format!("IAM ARNs have no region, this one has '{region}'")));
    }
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(&format!("the account '{account}' is not 12 digits")));
    }
    let what = kind.name();
    let Some(rest) = resource.strip_prefix(what).and_then(|r| r.strip_prefix('/')) else {
        let named = resource.split('/').next().unwrap_or(resource);
        return Err(bad(&format!("it names a '{named}', not a {what}")));
    };
    let (path, name) = match rest.rfind('/') {
        Some(i) => (format!("/{}/", &rest[..i]), &rest[i + 1..]),
        None => ("/".to_string(), rest),
    };
    if let Some(why) = facts::iam_path_problem(&path) {
        return Err(RoleError::InvalidPath { arn: arn.to_string(), path, why });
    }
    if let Some(why) = facts::iam_name_problem(kind, name) {
        return Err(match kind {
            IamKind::Role => RoleError::InvalidName { name: name.to_string(), why },
            other => RoleError::InvalidPrincipalName { kind: other.name(), name: name.to_string(), why },
        });
    }
    Ok(name)
}

/// A managed policy (child `id` of `scope`) of `statements`, attached to `to`
/// when there is one: what every grant writes.
pub(crate) fn managed_policy(
    scope: &mut impl AsScope,
    id: &str,
    statements: Vec<Value>,
    description: String,
    to: Option<&Principal>,
) -> ResourceHandle {
    let mut policy =
        CfnManagedPolicy::new(map! { "Version" => "2012-10-17", "Statement" => statements }).description(description);
    if let Some(p) = to {
        let names = Value::List(vec![p.name().clone()]);
        policy = match p.kind() {
            IamKind::Role => policy.roles(names),
            IamKind::User => policy.users(names),
            IamKind::Group => policy.groups(names),
        };
    }
    scope.as_scope().add_resource(id, policy)
}

fn is_lower_word(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_of_a_role_with_a_path_is_its_last_part() {
        let role = Role::from_arn("arn:aws:iam::123456789012:role/service/team/app-role").unwrap();
        assert_eq!(role.name(), &Value::str("app-role"));
        assert_eq!(role.arn(), Some(&Value::str("arn:aws:iam::123456789012:role/service/team/app-role")));
        let plain = Role::from_arn("arn:aws-us-gov:iam::123456789012:role/app").unwrap();
        assert_eq!(plain.name(), &Value::str("app"));
        let linked = Role::from_arn(
            "arn:aws:iam::123456789012:role/aws-service-role/elasticache.amazonaws.com/AWSServiceRoleForElastiCache",
        )
        .unwrap();
        assert_eq!(linked.name(), &Value::str("AWSServiceRoleForElastiCache"));
    }

    #[test]
    fn fails_on_what_is_not_a_role_arn() {
        for (arn, why) in [
            ("app", "fewer than six"),
            ("arn:aws:iam::123456789012:user/app", "names a 'user', not a role"),
            ("arn:aws:iam::12345:role/app", "account '12345' is not 12 digits"),
            ("arn:aws:iam:us-east-1:123456789012:role/app", "no region"),
            ("arn:aws:sts::123456789012:assumed-role/app/session", "service is 'sts'"),
            ("arn:azure:iam::123456789012:role/app", "not an AWS partition"),
        ] {
            let err = Role::from_arn(arn).unwrap_err();
            assert!(matches!(err, RoleError::NotARoleArn { .. }), "{arn}: {err}");
            assert!(err.to_string().contains(why), "{arn}: {err}");
        }
        let err = Role::from_arn("arn:aws:iam::123456789012:role/team/app role").unwrap_err();
        assert!(err.to_string().starts_with("role name 'app role' contains ' '"), "{err}");
        let err = Role::from_arn("arn:aws:iam::123456789012:role/").unwrap_err();
        assert!(err.to_string().contains("is 0 characters long"), "{err}");
        let err = Role::from_arn("arn:aws:iam::123456789012:role//app").unwrap_err();
        assert!(matches!(err, RoleError::InvalidPath { .. }), "{err}");
        let long = format!("arn:aws:iam::123456789012:role/{}", "r".repeat(65));
        assert!(Role::from_arn(&long)
            .unwrap_err()
            .to_string()
            .contains("is 65 characters long; IAM role names are 1 to 64"));
    }

    #[test]
    fn a_role_of_the_app_is_named_by_its_ref() {
        let t = crate::core::Target { stack: "S".into(), path: "AppRole".into() };
        let role = Role::from_resource(&ResourceHandle::new(t.clone(), "AWS::IAM::Role".into())).unwrap();
        assert_eq!(role.name(), &Value::Ref(t.clone()));
        assert_eq!(role.arn(), Some(&Value::GetAtt(t.clone(), "Arn".into())));
        let err = Role::from_resource(&ResourceHandle::new(t, "AWS::IAM::User".into())).unwrap_err();
        assert_eq!(err.to_string(), "AppRole is of type AWS::IAM::User, not AWS::IAM::Role; pass the role's resource, or import the role with Role::from_arn");
    }
}
