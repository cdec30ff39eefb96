//! `CacheUser` and `CacheUserGroup`: RBAC users and the groups a cache trusts
//! (`Auth::UserGroups` on a replication group, `user_group_id` on a serverless cache).

use super::common::parent_path;
use super::user_password::{UserFacts, UserPassword};
use crate::cfn::elasticache::{CfnUser, CfnUserGroup};
use crate::core::logical_id::unique_resource_name;
use crate::core::{AsScope, Construct, ResourceHandle, Scope, SecretValue, Value};
use crate::facts::{self, Engine};
use crate::map;

/// How a [`CacheUser`] proves who it is (`AuthenticationMode`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum UserAuthentication {
    /// One password, or two while rotating (`Type: password`). Each is a
    /// [`SecretValue`], such as an [`super::AuthSecret`]'s token, so no password
    /// reaches the template. ElastiCache wants 16 to 128 printable characters.
    Passwords(Vec<SecretValue>),
    /// A password of the user's own (`Type: password`): generated into a Secrets
    /// Manager secret (child `Password`) in the JSON shape AWS's ElastiCache user
    /// rotation function reads (`username`, `user_arn`, `password`), and rotated on
    /// a schedule when [`super::UserPasswordProps::rotation`] is set. Read it back
    /// with [`CacheUser::password`]. Build it with [`UserAuthentication::secret_password`].
    SecretPassword(Box<super::UserPasswordProps>),
    /// IAM authentication (`Type: iam`): clients sign a token with their IAM
    /// credentials. ElastiCache requires `user_id` and `user_name` to be equal.
    Iam,
    /// No password (`Type: no-password-required`): anyone who can reach the port
    /// can log in as this user (a warning at synth). Valkey user groups refuse such users.
    NoPasswordRequired,
}

impl UserAuthentication {
    /// One password.
    pub fn password(secret: SecretValue) -> Self {
        UserAuthentication::Passwords(vec![secret])
    }

    /// A password of the user's own, in a generated secret; see
    /// [`UserAuthentication::SecretPassword`].
    pub fn secret_password(props: super::UserPasswordProps) -> Self {
        UserAuthentication::SecretPassword(Box::new(props))
    }

    /// Whether the user must present a password or an IAM token.
    pub fn authenticates(&self) -> bool {
        !matches!(self, UserAuthentication::NoPasswordRequired)
    }
}

/// Optional settings of a [`CacheUser`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CacheUserProps {
    /// The engine the user is for (`redis` or `valkey`).
    ///
    /// Default: Redis OSS. A user joins only groups of its own engine.
    pub engine: Engine,
    /// `UserId`: how user groups list the user. A lowercase letter, then lowercase
    /// letters, digits and hyphens; `default` is taken by ElastiCache's built-in user.
    ///
    /// Default: derived from the stack name and construct path, lowercase, at most
    /// 40 characters (such as `mystack-appuser-1a2b3c4d`); with IAM authentication, the `user_name`.
    pub user_id: Option<String>,
    /// `AccessString`: the Redis ACL rules of the user, such as
    /// `on ~app:* -@all +@read +@write`. Passwords and `reset` cannot appear in it.
    ///
    /// Default: `on ~* +@all`: enabled, every key, every command.
    pub access_string: String,
}

impl Default for CacheUserProps {
    fn default() -> Self {
        CacheUserProps { engine: Engine::Redis, user_id: None, access_string: facts::FULL_ACCESS_STRING.to_string() }
    }
}

impl CacheUserProps {
    /// Sets the engine; see [`CacheUserProps::engine`].
    pub fn engine(mut self, engine: Engine) -> Self {
        self.engine = engine;
        self
    }

    /// Sets the user id; see [`CacheUserProps::user_id`].
    pub fn user_id(mut self, id: impl Into<String>) -> Self {
        self.user_id = Some(id.into());
        self
    }

    /// Sets the access string; see [`CacheUserProps::access_string`].
    pub fn access_string(mut self, access: impl Into<String>) -> Self {
        self.access_string = access.into();
        self
    }
}

/// An RBAC user (`AWS::ElastiCache::User`, child `Resource`).
#[derive(Debug, Clone)]
pub struct CacheUser {
    user: ResourceHandle,
    user_id: String,
    user_name: String,
    engine: Engine,
    authenticates: bool,
    iam: bool,
    path: String,
    password: Option<super::UserPassword>,
}

impl CacheUser {
    /// Creates the user `user_name` (the name clients log in with) under `id`.
    ///
    /// Every invalid prop is reported at synth as `[path] message`, all at once.
    pub fn new(
        scope: &mut impl AsScope,
        id: &str,
        user_name: &str,
        authentication: UserAuthentication,
        props: CacheUserProps,
    ) -> Self {
        let mut scope = scope.as_scope();
        let mut me = scope.child(id);
        let user_id = match (&props.user_id, &authentication) {
            (Some(u), _) => u.clone(),
            (None, UserAuthentication::Iam) => user_name.to_string(),
            (None, _) => generated_id(&me),
        };
        validate_user(&mut me, user_name, &user_id, &authentication, &props);

        let facts = UserFacts { user_id: &user_id, user_name };
        let mut password = match &authentication {
            UserAuthentication::SecretPassword(p) => Some(UserPassword::create(&mut me, &facts, p)),
            _ => None,
        };
        let mode = match &authentication {
            UserAuthentication::Passwords(p) => map! {
                "Passwords" => Value::List(p.iter().map(|s| s.as_value().clone()).collect()),
                "Type" => "password",
            },
            UserAuthentication::SecretPassword(_) => map! {
                "Passwords" => Value::List(password.iter().map(|p| p.password().into_value()).collect()),
                "Type" => "password",
            },
            UserAuthentication::Iam => map! { "Type" => "iam" },
            UserAuthentication::NoPasswordRequired => map! { "Type" => "no-password-required" },
        };
        let user = me.add_resource(
            "Resource",
            CfnUser::new(user_id.clone(), user_name, props.engine.name())
                .access_string(props.access_string.clone())
                .authentication_mode(mode),
        );
        if let (UserAuthentication::SecretPassword(props), Some(p)) = (&authentication, &mut password) {
            if let Some(rotation) = &props.rotation {
                p.rotate(&mut me, &facts, &user, props.length, rotation);
            }
        }
        CacheUser {
            password,
            user,
            user_id,
            user_name: user_name.to_string(),
            engine: props.engine,
            authenticates: authentication.authenticates(),
            iam: matches!(authentication, UserAuthentication::Iam),
            path: me.path().to_string(),
        }
    }

    /// The user id (`Ref`), for a user group's `UserIds`.
    pub fn user_id(&self) -> Value {
        self.user.reference()
    }

    /// The user id as written in the template.
    pub fn user_id_literal(&self) -> &str {
        &self.user_id
    }

    /// The name clients log in with.
    pub fn user_name(&self) -> &str {
        &self.user_name
    }

    /// `Arn`.
    pub fn user_arn(&self) -> Value {
        self.user.get_att("Arn")
    }

    /// Grants `role` the right to connect as this IAM-authenticated user to the
    /// cache `cache_arn` ([`crate::ReplicationGroup::replication_group_arn`],
    /// [`crate::ServerlessCache::cache_arn`]): a managed policy (child `<id>` of
    /// `scope`) attached to the role, allowing `elasticache:Connect` on the cache
    /// and on the user, both of which IAM authentication requires (source:
    /// <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html>,
    /// "Setup"; ARN formats from
    /// <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/IAM.ResourceLevelPermissions.html>).
    ///
    /// A user that authenticates otherwise is reported at synth (CON037): IAM
    /// cannot sign in as a password user.
    pub fn grant_connect(
        &self,
        scope: &mut impl AsScope,
        id: &str,
        to: impl Into<super::Principal>,
        cache_arn: impl Into<Value>,
    ) -> ResourceHandle {
        let mut scope = scope.as_scope();
        let statement = map! {
            "Sid" => "ConnectWithIam",
            "Effect" => "Allow",
            "Action" => "elasticache:Connect",
            "Resource" => Value::List(vec![cache_arn.into(), self.user_arn()]),
        };
        let description = format!("Connect to the cache as {} with IAM", self.user_name);
        let policy = super::role::managed_policy(&mut scope, id, vec![statement], description, Some(&to.into()));
        if !self.iam {
            let user = self.full_path();
            scope.at_path(&policy.target().path).rule_error(
                "CON037",
                format!(
                    "grant_connect needs a user with IAM authentication, but {user} authenticates otherwise; create it with UserAuthentication::Iam, or grant the role its password secret with grant_read"
                ),
            );
        }
        policy
    }

    /// The engine.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The user's own password secret, with
    /// [`UserAuthentication::SecretPassword`]: to grant it to the application
    /// ([`UserPassword::grant_read`]) or put it in a connection secret.
    pub fn password(&self) -> Option<&UserPassword> {
        self.password.as_ref()
    }

    /// Whether the user must present a password or an IAM token.
    pub fn authenticates(&self) -> bool {
        self.authenticates
    }

    /// The user (child `Resource`), CDK's `defaultChild`.
    pub fn default_child(&self) -> &ResourceHandle {
        &self.user
    }
}

fn generated_id(me: &Scope<'_>) -> String {
    let stack = me.stack_name().to_string();
    let mut components = vec![stack.as_str()];
    components.extend(me.path().split('/'));
    unique_resource_name(&components, 40, "-").to_lowercase()
}

fn validate_user(
    me: &mut Scope<'_>,
    user_name: &str,
    user_id: &str,
    authentication: &UserAuthentication,
    props: &CacheUserProps,
) {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let mut warnings: Vec<(&'static str, String)> = Vec::new();
    if let Err(e) = facts::check_rbac_id(user_id) {
        errors.push(("CON016", format!("user_id '{user_id}' {e}; use an id such as 'app-reader'")));
    } else if user_id == facts::BUILT_IN_DEFAULT_USER_ID {
        errors.push(("CON016", format!(
            "user_id '{user_id}' is taken by the built-in user ElastiCache creates in every account; use another id such as 'app-default' and keep user_name 'default'"
        )));
    }
    if user_name.is_empty() || user_name.chars().any(char::is_whitespace) {
        errors.push((
            "CON016",
            format!("user_name '{user_name}' must be non-empty and contain no spaces; use a name such as 'app'"),
        ));
    }
    match authentication {
        UserAuthentication::Passwords(p) if p.is_empty() || p.len() > facts::MAX_USER_PASSWORDS => errors.push(("CON017", format!(
            "authentication Passwords must hold 1 or {} passwords, got {}; give one password, or two while rotating",
            facts::MAX_USER_PASSWORDS,
            p.len()
        ))),
        UserAuthentication::Passwords(p) if p.len() == 2 && p[0] == p[1] => {
            errors.push(("CON017", "authentication Passwords lists the same password twice; give two different secrets, or one".into()))
        }
        UserAuthentication::Passwords(p)
            if p.iter().any(|s| s.as_value().as_str().is_some_and(|v| v.starts_with("{{resolve:ssm-secure:"))) =>
        {
            errors.push(("SEC007", "authentication Passwords uses an ssm-secure reference, which CloudFormation does not resolve in AWS::ElastiCache::User (cfn-lint E1027); keep the password in Secrets Manager and use SecretValue::secrets_manager"
                    .into()))
        }
        UserAuthentication::Iam if user_id != user_name => errors.push(("CON018", format!(
            "IAM authentication needs user_id and user_name to be equal, got user_id '{user_id}' and user_name '{user_name}'; drop user_id or set it to the user name"
        ))),
        UserAuthentication::NoPasswordRequired => warnings.push(("CON019", format!(
            "user '{user_name}' needs no password: anyone who reaches the cache can log in as it; use passwords or IAM, or give it the access string 'off'"
        ))),
        _ => {}
    }
    check_access_string(&props.access_string, &mut errors, &mut warnings);
    for (rule, e) in errors {
        me.rule_error(rule, e);
    }
    for (rule, w) in warnings {
        me.rule_warn(rule, w);
    }
}

/// Checks what ElastiCache refuses in an access string, and warns when the user is left off.
fn check_access_string(
    access: &str,
    errors: &mut Vec<(&'static str, String)>,
    warnings: &mut Vec<(&'static str, String)>,
) {
    let tokens: Vec<&str> = access.split_whitespace().collect();
    if tokens.is_empty() {
        errors.push((
            "CON020",
            "access_string is empty; use 'on ~* +@all' for full access or a narrower rule set".into(),
        ));
        return;
    }
    for t in &tokens {
        let lower = t.to_ascii_lowercase();
        if lower == "reset" {
            errors.push(("CON020", format!(
                "access_string '{access}' contains 'reset', which ElastiCache refuses (it would drop the user's passwords); remove it"
            )));
        } else if lower == "nopass" || t.starts_with(['>', '<', '#', '!']) {
            errors.push(("CON020", format!(
                "access_string '{access}' contains the password rule '{t}'; passwords go in the authentication argument, not the access string"
            )));
        }
    }
    if !tokens.iter().any(|t| t.eq_ignore_ascii_case("on") || t.eq_ignore_ascii_case("off")) {
        warnings.push(("CON021", format!(
            "access_string '{access}' has neither 'on' nor 'off', so ElastiCache creates the user off and it cannot log in; start it with 'on'"
        )));
    }
}

/// Optional settings of a [`CacheUserGroup`].
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CacheUserGroupProps {
    /// `UserGroupId`: a lowercase letter, then lowercase letters, digits and hyphens.
    ///
    /// Default: derived from the stack name and construct path, lowercase, at most 40 characters.
    pub user_group_id: Option<String>,
}

impl CacheUserGroupProps {
    /// Sets the user group id; see [`CacheUserGroupProps::user_group_id`].
    pub fn user_group_id(mut self, id: impl Into<String>) -> Self {
        self.user_group_id = Some(id.into());
        self
    }
}

/// An RBAC user group (`AWS::ElastiCache::UserGroup`, child `Resource`): the set
/// of [`CacheUser`]s a cache accepts.
#[derive(Debug, Clone)]
pub struct CacheUserGroup {
    group: ResourceHandle,
    engine: Engine,
    user_group_id: String,
}

impl CacheUserGroup {
    /// Creates a group for `engine` holding `users`.
    ///
    /// A Redis OSS group must hold a user whose `user_name` is `default` (what a
    /// client gets before `AUTH`; give it the access string `off` to shut it). Every
    /// user must have the group's engine, and a Valkey group takes only users that
    /// authenticate (password or IAM). Every problem is reported at synth, naming the user.
    pub fn new(
        scope: &mut impl AsScope,
        id: &str,
        engine: Engine,
        users: &[&CacheUser],
        props: CacheUserGroupProps,
    ) -> Self {
        let mut scope = scope.as_scope();
        let mut me = scope.child(id);
        let user_group_id = props.user_group_id.clone().unwrap_or_else(|| generated_id(&me));
        validate_group(&mut me, engine, &user_group_id, users);
        let ids: Vec<Value> = users.iter().map(|u| u.user_id()).collect();
        let group = me.add_resource("Resource", CfnUserGroup::new(user_group_id.clone(), engine.name(), ids));
        CacheUserGroup { group, engine, user_group_id }
    }

    /// The user group id (`Ref`), for `Auth::UserGroups` or a serverless cache's `user_group_id`.
    pub fn user_group_id(&self) -> Value {
        self.group.reference()
    }

    /// The user group id as written in the template.
    pub fn user_group_id_literal(&self) -> &str {
        &self.user_group_id
    }

    /// `Arn`.
    pub fn user_group_arn(&self) -> Value {
        self.group.get_att("Arn")
    }

    /// The engine.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The user group (child `Resource`), CDK's `defaultChild`.
    pub fn default_child(&self) -> &ResourceHandle {
        &self.group
    }
}

fn validate_group(me: &mut Scope<'_>, engine: Engine, user_group_id: &str, users: &[&CacheUser]) {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    if let Err(e) = facts::check_rbac_id(user_group_id) {
        errors.push(("CON016", format!("user_group_id '{user_group_id}' {e}; use an id such as 'app-users'")));
    }
    if users.is_empty() {
        errors.push(("CON022", "users is empty; a user group needs at least one user".into()));
    }
    if engine == Engine::Redis && !users.is_empty() && !users.iter().any(|u| u.user_name() == "default") {
        errors.push(("CON023", "a redis user group must contain a user whose user_name is 'default'; add a CacheUser named 'default' (with a user_id such as 'app-default' and access string 'off' to shut it)"
                .into()));
    }
    for (i, u) in users.iter().enumerate() {
        let user_path = u.full_path();
        if users[..i].iter().any(|v| v.user_id_literal() == u.user_id_literal()) {
            errors.push((
                "CON022",
                format!("user {} is listed twice (user_id '{}'); list each user once", user_path, u.user_id_literal()),
            ));
            continue;
        }
        // A valkey group holds valkey users and redis users that authenticate; a
        // redis group only redis users (source: the RBAC guide,
        // <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html>).
        match engine {
            Engine::Valkey if !u.authenticates() => errors.push((
                "EC023",
                format!("user {} needs no password, which a valkey user group refuses; give it a password or IAM", user_path),
            )),
            Engine::Valkey => {}
            _ if u.engine() != engine => errors.push(("EC023", format!(
                "user {} has engine {}, but the group's engine is {engine}; a {engine} user group holds only {engine} users, give the user engine {engine}",
                user_path,
                u.engine()
            ))),
            _ => {}
        }
    }
    for (rule, e) in errors {
        me.rule_error(rule, e);
    }
}

impl Construct for CacheUser {
    fn stack_name(&self) -> &str {
        &self.user.target().stack
    }

    fn path(&self) -> &str {
        &self.path
    }
}

impl Construct for CacheUserGroup {
    fn stack_name(&self) -> &str {
        &self.group.target().stack
    }

    fn path(&self) -> &str {
        parent_path(&self.group.target().path)
    }
}
