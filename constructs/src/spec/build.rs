//! Builds an [`App`] from a checked spec: the same constructors, in spec order,
//! with the same props a Rust program would pass.

use super::model::*;
use super::{pointer, SpecError};
use crate::cfn::ResourceDef;
use crate::core::{App, DependsOn, Environment, Output, ResourceHandle, Stack, Value};
use crate::redis::{read_secret, HoldsSecret};
use crate::redis::{
    AlarmTarget, AlarmTopic, Auth, AuthSecret, CacheUser, CacheUserGroup, ConnectionField, ConnectionSecret,
    ConnectionSecretProps, EncryptionKey, Principal, RedisAlarms, RedisVpcAccess, ReplicationGroup,
    ReplicationGroupProps, Role, ServerlessCache, ServerlessCacheProps, ShardedCluster, SplitRedis, SplitRedisProps,
    UserAuthentication,
};
use indexmap::IndexMap;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value as J;

/// The region prices are quoted for when neither the output nor the stack names one.
pub const DEFAULT_PRICING_REGION: &str = "us-east-1";

/// The estimated monthly cost as the examples and `{"cost": ...}` outputs write it:
/// `~$12.34/month (on-demand, us-east-1)`.
pub fn monthly_cost_label(cost_usd: f64, region: &str) -> String {
    format!("~${cost_usd:.2}/month (on-demand, {region})")
}

/// A construct built from the spec.
enum Built {
    Key(EncryptionKey),
    Access(RedisVpcAccess),
    Secret(AuthSecret),
    Group(ReplicationGroup),
    Sharded(ShardedCluster),
    Split(SplitRedis),
    Serverless(ServerlessCache),
    User(CacheUser),
    UserGroup(CacheUserGroup),
    Alarms(RedisAlarms),
    CustomAlarm(Option<ResourceHandle>),
    Connection(ConnectionSecret),
    Policy(ResourceHandle),
    Raw(ResourceHandle),
}

impl Built {
    fn kind(&self) -> &'static str {
        match self {
            Built::Key(_) => "encryption_key",
            Built::Access(_) => "vpc_access",
            Built::Secret(_) => "auth_secret",
            Built::Group(_) => "replication_group",
            Built::Sharded(_) => "sharded_cluster",
            Built::Split(_) => "split_redis",
            Built::Serverless(_) => "serverless_cache",
            Built::User(_) => "cache_user",
            Built::UserGroup(_) => "cache_user_group",
            Built::Alarms(_) => "alarms",
            Built::CustomAlarm(_) => "custom_alarm",
            Built::Connection(_) => "connection_secret",
            Built::Policy(_) => "grant_read",
            Built::Raw(_) => "raw_resource",
        }
    }

    /// The attribute names of the construct and their values (`None`: not available).
    fn attributes(&self) -> Vec<(&'static str, Option<Value>)> {
        match self {
            Built::Key(k) => vec![("key_id", Some(k.key_id())), ("key_arn", Some(k.key_arn()))],
            Built::Access(a) => vec![
                ("security_group_id", Some(a.security_group_id())),
                ("subnet_group_name", Some(a.subnet_group_name())),
                ("subnet_ids", Some(a.subnet_ids())),
                ("vpc_id", Some(a.vpc_id())),
            ],
            Built::Secret(s) => vec![("secret_arn", Some(s.secret_arn())), ("token", Some(s.token().into_value()))],
            Built::Group(g) => group_attributes(g),
            Built::Sharded(c) => {
                let mut v = vec![
                    ("configuration_endpoint_address", Some(c.configuration_endpoint_address())),
                    ("configuration_endpoint_port", Some(c.configuration_endpoint_port())),
                ];
                v.extend(group_attributes(c.group()).into_iter().filter(|(n, _)| !n.starts_with("reader_")));
                v
            }
            Built::Split(s) => vec![
                ("adapter_endpoint_address", Some(s.adapter_endpoint_address())),
                ("adapter_endpoint_port", Some(s.adapter_endpoint_port())),
                ("state_endpoint_address", Some(s.state_endpoint_address())),
                ("state_endpoint_port", Some(s.state_endpoint_port())),
            ],
            Built::Serverless(c) => vec![
                ("endpoint_address", Some(c.endpoint_address())),
                ("endpoint_port", Some(c.endpoint_port())),
                ("reader_endpoint_address", Some(c.reader_endpoint_address())),
                ("reader_endpoint_port", Some(c.reader_endpoint_port())),
                ("cache_name", Some(c.cache_name())),
                ("cache_arn", Some(c.cache_arn())),
                ("connection_string", Some(c.connection_string())),
            ],
            Built::User(u) => vec![("user_id", Some(u.user_id())), ("user_arn", Some(u.user_arn()))],
            Built::UserGroup(g) => {
                vec![("user_group_id", Some(g.user_group_id())), ("user_group_arn", Some(g.user_group_arn()))]
            }
            Built::Alarms(a) => vec![("topic_arn", a.topic_arn())],
            Built::CustomAlarm(h) => vec![("alarm_name", h.as_ref().map(ResourceHandle::reference))],
            Built::Connection(c) => vec![("secret_arn", Some(c.secret_arn()))],
            Built::Policy(p) => vec![("policy_arn", Some(p.reference()))],
            Built::Raw(r) => vec![("ref", Some(r.reference()))],
        }
    }

    fn cost(&self, region: Option<&str>) -> Option<f64> {
        match self {
            Built::Group(g) => Some(g.estimated_monthly_cost_usd(region)),
            Built::Sharded(c) => Some(c.group().estimated_monthly_cost_usd(region)),
            Built::Split(s) => Some(s.estimated_monthly_cost_usd(region)),
            Built::Serverless(c) => Some(c.estimated_monthly_cost_usd(region)),
            _ => None,
        }
    }
}

fn group_attributes(g: &ReplicationGroup) -> Vec<(&'static str, Option<Value>)> {
    vec![
        ("primary_endpoint_address", Some(g.primary_endpoint_address())),
        ("primary_endpoint_port", Some(g.primary_endpoint_port())),
        ("reader_endpoint_address", Some(g.reader_endpoint_address())),
        ("reader_endpoint_port", Some(g.reader_endpoint_port())),
        ("replication_group_id", Some(g.replication_group_id())),
        ("connection_string", Some(g.connection_string())),
        ("security_group_id", Some(g.security_group_id())),
    ]
}

/// Builds the app of `spec` (already checked against the schema) for `env`.
pub(crate) fn build(spec: &Spec, source: &str, env: Environment) -> Result<App, SpecError> {
    let mut app = App::for_environment(env);
    let mut errors = Vec::new();
    for (name, stack_spec) in &spec.stacks {
        let base = format!("/stacks/{}", pointer(name));
        let stack = app.add_stack(name);
        let mut b = StackBuilder {
            env,
            source,
            base: &base,
            built: IndexMap::new(),
            skipped: Vec::new(),
            failed: Vec::new(),
            errors: &mut errors,
            region: stack_spec.region.clone(),
            parameters: IndexMap::new(),
            conditions: IndexMap::new(),
        };
        b.stack(stack, stack_spec);
    }
    if errors.is_empty() {
        Ok(app)
    } else {
        Err(SpecError { messages: errors })
    }
}

struct StackBuilder<'a> {
    env: Environment,
    source: &'a str,
    base: &'a str,
    built: IndexMap<String, Built>,
    skipped: Vec<String>,
    /// Constructs whose own mistakes are reported: references to them stay quiet.
    failed: Vec<String>,
    errors: &'a mut Vec<String>,
    region: Option<String>,
    parameters: IndexMap<String, crate::ParameterHandle>,
    conditions: IndexMap<String, crate::ConditionHandle>,
}

/// A spec mistake found while building: reported with its pointer.
struct Miss;

type R<T> = Result<T, Miss>;

impl StackBuilder<'_> {
    fn stack(&mut self, stack: &mut Stack, spec: &StackSpec) {
        if let Some(d) = &spec.description {
            stack.set_description(d.clone());
        }
        if let Some(r) = &spec.region {
            stack.set_region(r.clone());
        }
        for (k, v) in &spec.tags {
            stack.add_tag(k.clone(), v.as_str());
        }
        for (k, v) in &spec.metadata {
            stack.add_metadata(k.clone(), v.clone());
        }
        for (id, p) in &spec.parameters {
            let handle = stack.root().add_parameter(id, p.clone());
            self.parameters.insert(id.clone(), handle);
        }
        for (id, c) in &spec.conditions {
            let at = format!("{}/conditions/{}", self.base, pointer(id));
            if let Ok(expression) = self.expr(&c.0, &at) {
                let handle = stack.root().add_condition(id, expression);
                self.conditions.insert(id.clone(), handle);
            }
        }
        for (id, c) in &spec.constructs {
            if c.only_in().is_some_and(|envs| !envs.contains(&self.env)) {
                self.skipped.push(id.clone());
                continue;
            }
            let at = format!("{}/constructs/{}", self.base, pointer(id));
            let condition = match c.condition() {
                Some(name) => match self.condition(name, &format!("{at}/condition")) {
                    Ok(handle) => Some(handle),
                    Err(Miss) => {
                        self.failed.push(id.clone());
                        continue;
                    }
                },
                None => None,
            };
            match self.construct(stack, id, c, &at) {
                Ok(built) => {
                    if let Some(handle) = condition {
                        stack.root().at_path(id).set_condition(&handle);
                    }
                    self.built.insert(id.clone(), built);
                }
                Err(Miss) => self.failed.push(id.clone()),
            }
        }
        for (id, o) in &spec.outputs {
            if o.only_in.as_ref().is_some_and(|envs| !envs.contains(&self.env)) {
                continue;
            }
            let at = format!("{}/outputs/{}", self.base, pointer(id));
            let condition = o.condition.as_ref().map(|c| self.condition(c, &format!("{at}/condition")));
            let Ok(value) = self.expr(&o.value.0, &format!("{at}/value")) else { continue };
            let mut output = Output::new(value);
            if let Some(d) = &o.description {
                output = output.description(d.clone());
            }
            if let Some(e) = &o.export_name {
                let Ok(name) = self.expr(&e.0, &format!("{at}/export_name")) else { continue };
                output = output.export_name(name);
            }
            match condition {
                Some(Ok(handle)) => output = output.condition(&handle),
                Some(Err(Miss)) => continue,
                None => {}
            }
            stack.root().add_output(id, output);
        }
    }

    /// The value of the NoEcho parameter `p`, as a secret connection field.
    fn parameter_secret(&mut self, p: &str, at: &str) -> R<ConnectionField> {
        let Some(handle) = self.parameters.get(p) else {
            return Err(self.error(at, format!("expected a parameter of the stack, found '{p}'")));
        };
        match crate::SecretValue::from_parameter(handle) {
            Some(v) => Ok(ConnectionField::String(v.into_value())),
            None => Err(self.error(
                at,
                format!("parameter '{p}' is not NoEcho: a secret from a parameter needs \"no_echo\": true"),
            )),
        }
    }

    /// The condition `name` of the stack's `conditions`.
    fn condition(&mut self, name: &str, at: &str) -> R<crate::ConditionHandle> {
        if let Some(h) = self.conditions.get(name) {
            return Ok(h.clone());
        }
        let hint = super::check::did_you_mean(name, self.conditions.keys().map(String::as_str))
            .map(|s| format!("; did you mean '{s}'?"))
            .unwrap_or_default();
        Err(self.error(at, format!("expected a condition of the stack's `conditions`, found '{name}'{hint}")))
    }

    fn error(&mut self, at: &str, message: impl std::fmt::Display) -> Miss {
        self.errors.push(format!("{}: {at}: {message}", self.source));
        Miss
    }

    /// The construct `id` named at `at`, which must be of one of `kinds`.
    fn get(&mut self, id: &str, at: &str, kinds: &[&str]) -> R<&Built> {
        let expected = if kinds.is_empty() { "construct".to_string() } else { kinds.join(" or ") };
        if self.failed.iter().any(|f| f == id) {
            return Err(Miss);
        }
        if !self.built.contains_key(id) {
            let msg = if self.skipped.iter().any(|s| s == id) {
                format!(
                    "construct '{id}' is not built in {} (see its only_in); expected {}",
                    self.env,
                    article(&expected)
                )
            } else {
                let hint = super::check::did_you_mean(id, self.built.keys().map(String::as_str))
                    .map(|s| format!("; did you mean '{s}'?"))
                    .unwrap_or_default();
                format!("expected the id of {} defined above, found '{id}'{hint}", article(&expected))
            };
            return Err(self.error(at, msg));
        }
        let kind = self.built[id].kind();
        if !kinds.is_empty() && !kinds.contains(&kind) {
            return Err(
                self.error(at, format!("expected {}, found '{id}', which is {}", article(&expected), article(kind)))
            );
        }
        Ok(&self.built[id])
    }

    /// Deserializes `given` props over `defaults` (a deep merge: objects field by
    /// field, anything else replaced), so a spec states only what differs.
    fn props<T: Serialize + DeserializeOwned>(&mut self, defaults: Option<T>, given: &J, at: &str) -> R<T> {
        let merged = match defaults {
            Some(d) => match serde_json::to_value(d) {
                Ok(mut base) => {
                    if !given.is_null() {
                        deep_merge(&mut base, given);
                    }
                    base
                }
                Err(e) => return Err(self.error(at, e)),
            },
            None => given.clone(),
        };
        serde_json::from_value(merged).map_err(|e| self.error(&format!("{at}/props"), e))
    }

    fn rg_props(&mut self, given: &J, at: &str, kms: &Option<String>, kms_at: &str) -> R<ReplicationGroupProps> {
        let mut props = self.props(Some(ReplicationGroupProps::new()), given, at)?;
        if let Some(k) = kms {
            let Built::Key(key) = self.get(k, kms_at, &["encryption_key"])? else { unreachable!() };
            props = props.kms_key(key);
        }
        Ok(props)
    }

    fn auth(&mut self, auth: &AuthSpec, at: &str) -> R<Auth> {
        Ok(match auth {
            AuthSpec::Secret(id) => {
                let Built::Secret(s) = self.get(id, &format!("{at}/secret"), &["auth_secret"])? else { unreachable!() };
                Auth::Token(s.token())
            }
            AuthSpec::UserGroups(ids) => {
                let mut groups = Vec::new();
                for (i, id) in ids.iter().enumerate() {
                    let Built::UserGroup(g) = self.get(id, &format!("{at}/user_groups/{i}"), &["cache_user_group"])?
                    else {
                        unreachable!()
                    };
                    groups.push(g.user_group_id());
                }
                Auth::UserGroups(groups)
            }
            AuthSpec::None => Auth::None,
        })
    }

    fn access(&mut self, id: &str, at: &str) -> R<RedisVpcAccess> {
        let Built::Access(a) = self.get(id, at, &["vpc_access"])? else { unreachable!() };
        Ok(a.clone())
    }

    fn key(&mut self, id: &str, at: &str) -> R<EncryptionKey> {
        let Built::Key(k) = self.get(id, at, &["encryption_key"])? else { unreachable!() };
        Ok(k.clone())
    }

    fn secret(&mut self, id: &str, at: &str) -> R<AuthSecret> {
        let Built::Secret(s) = self.get(id, at, &["auth_secret"])? else { unreachable!() };
        Ok(s.clone())
    }

    fn construct(&mut self, stack: &mut Stack, id: &str, spec: &ConstructSpec, at: &str) -> R<Built> {
        Ok(match spec {
            ConstructSpec::EncryptionKey(s) => {
                let props = self.props(Some(Default::default()), &s.props, at)?;
                Built::Key(EncryptionKey::new(stack, id, props))
            }
            ConstructSpec::VpcAccess(s) => {
                let props = self.props(None, &s.props, at)?;
                Built::Access(RedisVpcAccess::new(stack, id, props))
            }
            ConstructSpec::AuthSecret(s) => {
                let mut props: crate::AuthSecretProps = self.props(Some(Default::default()), &s.props, at)?;
                if let Some(k) = &s.kms_key {
                    props = props.kms_key(&self.key(k, &format!("{at}/kms_key"))?);
                }
                Built::Secret(AuthSecret::new(stack, id, props))
            }
            ConstructSpec::ReplicationGroup(s) => {
                let access = self.access(&s.access, &format!("{at}/access"));
                let auth = self.auth(&s.auth, &format!("{at}/auth"));
                let props = self.rg_props(&s.props, at, &s.kms_key, &format!("{at}/kms_key"));
                Built::Group(ReplicationGroup::new(stack, id, &access?, auth?, props?))
            }
            ConstructSpec::ShardedCluster(s) => {
                let access = self.access(&s.access, &format!("{at}/access"));
                let auth = self.auth(&s.auth, &format!("{at}/auth"));
                let props = self.rg_props(&s.props, at, &s.kms_key, &format!("{at}/kms_key"));
                Built::Sharded(ShardedCluster::new(stack, id, &access?, auth?, s.shards, props?))
            }
            ConstructSpec::SplitRedis(s) => {
                let access = self.access(&s.access, &format!("{at}/access"));
                let auth = self.auth(&s.auth, &format!("{at}/auth"));
                let mut props: SplitRedisProps = self.props(Some(SplitRedisProps::new()), &s.props, at)?;
                if let Some(k) = &s.kms_key {
                    let key = self.key(k, &format!("{at}/kms_key"))?;
                    props.base = props.base.kms_key(&key);
                }
                Built::Split(SplitRedis::new(stack, id, &access?, auth?, props))
            }
            ConstructSpec::ServerlessCache(s) => {
                let access = self.access(&s.access, &format!("{at}/access"));
                let mut props: ServerlessCacheProps = self.props(Some(ServerlessCacheProps::new()), &s.props, at)?;
                if let Some(k) = &s.kms_key {
                    props = props.kms_key(&self.key(k, &format!("{at}/kms_key"))?);
                }
                if let Some(g) = &s.user_group {
                    let Built::UserGroup(group) = self.get(g, &format!("{at}/user_group"), &["cache_user_group"])?
                    else {
                        unreachable!()
                    };
                    props = props.user_group(group);
                }
                Built::Serverless(ServerlessCache::new(stack, id, &access?, props))
            }
            ConstructSpec::CacheUser(s) => {
                let props = self.props(Some(Default::default()), &s.props, at)?;
                let auth = match &s.authentication {
                    UserAuthSpec::Passwords(ids) => {
                        let mut secrets = Vec::new();
                        for (i, p) in ids.iter().enumerate() {
                            secrets.push(self.secret(p, &format!("{at}/authentication/passwords/{i}"))?.token());
                        }
                        UserAuthentication::Passwords(secrets)
                    }
                    UserAuthSpec::SecretPassword(p) => {
                        let mut props = crate::UserPasswordProps::default();
                        if let Some(n) = p.length {
                            props = props.length(n);
                        }
                        if let Some(k) = &p.kms_key {
                            props =
                                props.kms_key(&self.key(k, &format!("{at}/authentication/secret_password/kms_key"))?);
                        }
                        if let Some(r) = &p.rotation {
                            let rat = format!("{at}/authentication/secret_password/rotation");
                            if r.every_days.is_some() && r.schedule_expression.is_some() {
                                return Err(self.error(&rat, "every_days and schedule_expression both set; give one"));
                            }
                            if r.duration.is_some() && r.schedule_expression.is_none() {
                                return Err(self.error(
                                    &rat,
                                    "duration is the window of a schedule_expression; give one, or drop duration",
                                ));
                            }
                            let mut rotation = crate::PasswordRotation::new(crate::RotationCode::s3(
                                r.code_bucket.clone(),
                                r.code_key.clone(),
                            ));
                            if let Some(d) = r.every_days {
                                rotation = rotation.every_days(d);
                            }
                            if let Some(e) = &r.schedule_expression {
                                rotation = rotation.schedule_expression(e.clone(), r.duration.as_deref());
                            }
                            if let Some(t) = r.timeout_seconds {
                                rotation = rotation.timeout_seconds(t);
                            }
                            if let Some(d) = r.log_retention_days {
                                rotation = rotation.log_retention_days(d);
                            }
                            if let Some(p) = r.log_removal_policy {
                                rotation = rotation.log_removal_policy(p);
                            }
                            props = props.rotation(rotation);
                        }
                        UserAuthentication::secret_password(props)
                    }
                    UserAuthSpec::Iam => UserAuthentication::Iam,
                    UserAuthSpec::NoPasswordRequired => UserAuthentication::NoPasswordRequired,
                };
                Built::User(CacheUser::new(stack, id, &s.user_name, auth, props))
            }
            ConstructSpec::CacheUserGroup(s) => {
                let props = self.props(Some(Default::default()), &s.props, at)?;
                let mut users = Vec::new();
                for (i, u) in s.users.iter().enumerate() {
                    let Built::User(user) = self.get(u, &format!("{at}/users/{i}"), &["cache_user"])? else {
                        unreachable!()
                    };
                    users.push(user.clone());
                }
                let refs: Vec<&CacheUser> = users.iter().collect();
                let engine = s.engine.unwrap_or(crate::Engine::Redis);
                Built::UserGroup(CacheUserGroup::new(stack, id, engine, &refs, props))
            }
            ConstructSpec::Alarms(s) => {
                let props = self.props(Some(Default::default()), &s.props, at);
                let topic = match &s.topic {
                    AlarmTopicSpec::EncryptedWith(k) => {
                        AlarmTopic::encrypted_with(&self.key(k, &format!("{at}/topic/encrypted_with"))?)
                    }
                    AlarmTopicSpec::Existing(e) => {
                        AlarmTopic::Existing(self.expr(&e.0, &format!("{at}/topic/existing"))?)
                    }
                    AlarmTopicSpec::None => AlarmTopic::None,
                };
                let props = props?;
                let target = self.get(
                    &s.cache,
                    &format!("{at}/cache"),
                    &["replication_group", "sharded_cluster", "serverless_cache"],
                )?;
                let target: AlarmTarget<'_> = match target {
                    Built::Group(g) => g.into(),
                    Built::Sharded(c) => c.into(),
                    Built::Serverless(c) => c.into(),
                    _ => unreachable!(),
                };
                Built::Alarms(RedisAlarms::new(stack, id, target, topic, props))
            }
            ConstructSpec::CustomAlarm(s) => {
                let alarm = self.props(None, &s.props, at)?;
                self.get(&s.alarms, &format!("{at}/alarms"), &["alarms"])?;
                let Some(Built::Alarms(alarms)) = self.built.get_mut(&s.alarms) else { unreachable!() };
                Built::CustomAlarm(alarms.add_custom_alarm(stack, id, alarm))
            }
            ConstructSpec::ConnectionSecret(s) => {
                let given: ConnectionSecretProps = self.props(Some(Default::default()), &s.props, at)?;
                if s.for_replication_group.is_some() && s.for_serverless_cache.is_some() {
                    return Err(self.error(
                        &format!("{at}/for_serverless_cache"),
                        "give for_replication_group or for_serverless_cache, not both",
                    ));
                }
                let mut props = match (&s.for_replication_group, &s.for_serverless_cache) {
                    (None, Some(f)) => {
                        let password =
                            self.secret(&f.password, &format!("{at}/for_serverless_cache/password"))?.token();
                        let Built::Serverless(cache) =
                            self.get(&f.cache, &format!("{at}/for_serverless_cache/cache"), &["serverless_cache"])?
                        else {
                            unreachable!()
                        };
                        ConnectionSecretProps::for_serverless_cache(cache, &f.user_name, password)
                    }
                    (Some(f), _) => {
                        let token = self.secret(&f.token, &format!("{at}/for_replication_group/token"))?.token();
                        let group = match self.get(
                            &f.cache,
                            &format!("{at}/for_replication_group/cache"),
                            &["replication_group", "sharded_cluster"],
                        )? {
                            Built::Group(g) => g,
                            Built::Sharded(c) => c.group(),
                            _ => unreachable!(),
                        };
                        ConnectionSecretProps::for_replication_group(group, token)
                    }
                    (None, None) => ConnectionSecretProps::new(),
                };
                props.fields.extend(given.fields);
                // every field is checked, so all their mistakes are reported at once
                let mut missed = false;
                for (name, field) in &s.fields {
                    let fat = format!("{at}/fields/{}", pointer(name));
                    let f = match field {
                        FieldSpec::String(e) => self.expr(&e.0, &format!("{fat}/string")).map(ConnectionField::String),
                        FieldSpec::Number(e) => self.expr(&e.0, &format!("{fat}/number")).map(ConnectionField::Raw),
                        FieldSpec::Boolean(b) => Ok(ConnectionField::Raw(Value::Bool(*b))),
                        FieldSpec::Secret(id) => self
                            .secret(id, &format!("{fat}/secret"))
                            .map(|s| ConnectionField::String(s.token().into_value())),
                        FieldSpec::Parameter(p) => self.parameter_secret(p, &format!("{fat}/parameter")),
                    };
                    match f {
                        Ok(f) => {
                            props.fields.insert(name.clone(), f);
                        }
                        Err(Miss) => missed = true,
                    }
                }
                if missed {
                    return Err(Miss);
                }
                props.description = given.description.or(props.description);
                props.kms_key = given.kms_key.or(props.kms_key);
                if let Some(k) = &s.kms_key {
                    props = props.kms_key(&self.key(k, &format!("{at}/kms_key"))?);
                }
                Built::Connection(ConnectionSecret::new(stack, id, props))
            }
            ConstructSpec::GrantRead(s) => {
                let given: Vec<&str> = [
                    ("role_arn", s.role_arn.is_some()),
                    ("role_name", s.role_name.is_some()),
                    ("user_arn", s.user_arn.is_some()),
                    ("user_name", s.user_name.is_some()),
                    ("group_arn", s.group_arn.is_some()),
                    ("group_name", s.group_name.is_some()),
                ]
                .into_iter()
                .filter_map(|(k, set)| set.then_some(k))
                .collect();
                if given.len() > 1 {
                    return Err(self.error(
                        &format!("{at}/{}", given[1]),
                        format!("give one principal, not {}", given.join(" and ")),
                    ));
                }
                let to: Option<Principal> = match given.first().copied() {
                    None => None,
                    Some(key) => {
                        let at_key = format!("{at}/{key}");
                        fn arn(a: &Option<String>) -> &str {
                            a.as_deref().expect("given")
                        }
                        let principal = match key {
                            "role_arn" => Role::from_arn(arn(&s.role_arn)).map(Principal::from),
                            "user_arn" => Principal::user_from_arn(arn(&s.user_arn)),
                            "group_arn" => Principal::group_from_arn(arn(&s.group_arn)),
                            _ => {
                                let name = match key {
                                    "role_name" => &s.role_name,
                                    "user_name" => &s.user_name,
                                    _ => &s.group_name,
                                };
                                let name = self.expr(&name.as_ref().expect("given").0, &at_key)?;
                                Ok(match key {
                                    "role_name" => Role::from_name(name).into(),
                                    "user_name" => Principal::user(name),
                                    _ => Principal::group(name),
                                })
                            }
                        };
                        Some(principal.map_err(|e| self.error(&at_key, e))?)
                    }
                };
                let kinds = ["auth_secret", "connection_secret", "cache_user"];
                let password = match self.get(&s.secret, &format!("{at}/secret"), &kinds)? {
                    Built::User(user) => Some(user.password().cloned()),
                    _ => None,
                };
                let secret: &dyn HoldsSecret = match (&self.built[&s.secret], &password) {
                    (_, Some(None)) => {
                        return Err(self.error(
                            &format!("{at}/secret"),
                            format!(
                                "cache_user '{}' has no secret of its own: only a user whose authentication is a secret_password has one; grant the secret its passwords come from instead",
                                s.secret
                            ),
                        ))
                    }
                    (_, Some(Some(p))) => p,
                    (Built::Secret(secret), None) => secret,
                    (Built::Connection(c), None) => c,
                    _ => unreachable!("get checked the kind"),
                };
                Built::Policy(read_secret(stack, id, secret, to.as_ref()))
            }
            ConstructSpec::RawResource(s) => {
                let mut def = ResourceDef::raw(s.resource_type.clone());
                let mut failed = false;
                for (name, v) in &s.properties {
                    match self.expr(&v.0, &format!("{at}/properties/{}", pointer(name))) {
                        Ok(value) => def = def.property(name, value),
                        Err(_) => failed = true,
                    }
                }
                for d in &s.depends_on {
                    def = def.depends_on(match self.built.get(d) {
                        Some(Built::Raw(h)) => DependsOn::from(h),
                        _ => DependsOn::LogicalId(d.clone()),
                    });
                }
                if failed {
                    return Err(Miss);
                }
                Built::Raw(stack.root().add_resource(id, def))
            }
        })
    }

    /// Evaluates an expression (see [`Expr`]).
    fn expr(&mut self, j: &J, at: &str) -> R<Value> {
        match j {
            J::Array(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    out.push(self.expr(item, &format!("{at}/{i}"))?);
                }
                Ok(Value::List(out))
            }
            J::Object(o) if o.contains_key("construct") => {
                let (Some(J::String(id)), Some(J::String(attr)), 2) = (o.get("construct"), o.get("attribute"), o.len())
                else {
                    return Err(self.error(at, "expected {\"construct\": \"<id>\", \"attribute\": \"<name>\"}"));
                };
                self.get(id, &format!("{at}/construct"), &[])?;
                self.attribute(id, attr, at)
            }
            J::Object(o) if o.contains_key("concat") => match (o.get("concat"), o.len()) {
                (Some(J::Array(parts)), 1) => {
                    let mut out = Vec::new();
                    for (i, p) in parts.iter().enumerate() {
                        out.push(self.expr(p, &format!("{at}/concat/{i}"))?);
                    }
                    Ok(Value::concat(out))
                }
                _ => Err(self.error(at, "expected {\"concat\": [<value>, ...]}")),
            },
            J::Object(o) if o.contains_key("cost") => {
                let region = match o.get("region") {
                    None => self.region.clone().unwrap_or_else(|| DEFAULT_PRICING_REGION.to_string()),
                    Some(J::String(r)) => r.clone(),
                    Some(_) => {
                        return Err(self.error(&format!("{at}/region"), "expected a region name such as us-east-1"))
                    }
                };
                let (Some(J::String(id)), true) = (o.get("cost"), o.keys().all(|k| k == "cost" || k == "region"))
                else {
                    return Err(self.error(at, "expected {\"cost\": \"<id>\", \"region\": \"<region>\"}"));
                };
                let kinds = ["replication_group", "sharded_cluster", "split_redis", "serverless_cache"];
                let cost = self.get(id, &format!("{at}/cost"), &kinds)?.cost(Some(&region)).unwrap_or(0.0);
                Ok(Value::String(monthly_cost_label(cost, &region)))
            }
            J::Object(_) if crate::template::Intrinsic::parse(j).is_some() => Ok(Value::from(j.clone())),
            J::Object(o) => {
                let mut out = crate::OrderedMap::default();
                for (k, v) in o {
                    out.insert(k.clone(), self.expr(v, &format!("{at}/{}", pointer(k)))?);
                }
                Ok(Value::Map(out))
            }
            other => Ok(Value::from(other.clone())),
        }
    }

    fn attribute(&mut self, id: &str, attr: &str, at: &str) -> R<Value> {
        let Some(built) = self.built.get(id) else {
            return Err(Miss);
        };
        let attributes = built.attributes();
        let kind = built.kind();
        if let Built::Raw(h) = built {
            if attr != "ref" {
                return Ok(h.get_att(attr));
            }
        }
        match attributes.iter().find(|(n, _)| *n == attr) {
            Some((_, Some(v))) => Ok(v.clone()),
            Some((_, None)) => Err(self
                .error(&format!("{at}/attribute"), format!("'{id}' has no {attr} (the {kind} was built without one)"))),
            None => {
                let names: Vec<&str> = attributes.iter().map(|(n, _)| *n).collect();
                let hint = super::check::did_you_mean(attr, names.iter().copied())
                    .map(|s| format!("; did you mean '{s}'?"))
                    .unwrap_or_default();
                Err(self.error(
                    &format!("{at}/attribute"),
                    format!("expected an attribute of a {kind} ({}), found '{attr}'{hint}", names.join(", ")),
                ))
            }
        }
    }
}

/// `a replication_group`, `an alarms`.
fn article(noun: &str) -> String {
    let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

/// Merges `patch` into `base`: objects field by field, anything else replaces.
fn deep_merge(base: &mut J, patch: &J) {
    match (base, patch) {
        (J::Object(b), J::Object(p)) => {
            for (k, v) in p {
                match b.get_mut(k) {
                    Some(slot) => deep_merge(slot, v),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (slot, p) => *slot = p.clone(),
    }
}
