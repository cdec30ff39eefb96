//! Typed, validated constructs that synthesize AWS CloudFormation for
//! ElastiCache Redis and Valkey, in the style of the AWS CDK.
//!
//! A TLS-only Valkey replication group with a generated AUTH token, encrypted
//! with a rotating KMS key, and its alarms:
//!
//! ```
//! use redis_cdk::*;
//!
//! # fn main() -> Result<(), redis_cdk::SynthError> {
//! let env = Environment::Prod;
//! let mut app = App::for_environment(env);
//! let stack = app.add_stack("Sessions");
//! let access = RedisVpcAccess::new(stack, "Access", VpcAccessProps::new("vpc-0123abcd", vec!["subnet-0aaaaaaa", "subnet-0bbbbbbb"]));
//! let key = EncryptionKey::new(stack, "Key", EncryptionKeyProps::default());
//! let token = AuthSecret::new(stack, "Token", AuthSecretProps::default().kms_key(&key));
//! let props = ReplicationGroupProps::new().engine(Engine::Valkey, "8.2").kms_key(&key);
//! let cache = ReplicationGroup::new(stack, "Cache", &access, Auth::Token(token.token()), props);
//! RedisAlarms::new(stack, "Alarms", &cache, AlarmTopic::encrypted_with(&key), RedisAlarmsProps::default());
//! let assembly = app.synth()?; // every rule checked: an error means no template at all
//! assert!(assembly.stacks[0].to_json().contains("\"AWS::ElastiCache::ReplicationGroup\""));
//! # Ok(())
//! # }
//! ```
//!
//! # From the top
//!
//! The constructs, one file each under `redis/`:
//!
//! - [`RedisVpcAccess`]: the cache's security group, subnet group and the ingress
//!   rules of the clients allowed in.
//! - [`EncryptionKey`]: a customer-managed KMS key with rotation, for data at rest,
//!   secrets, topics and logs.
//! - [`AuthSecret`]: a generated AUTH token (or RBAC password) in Secrets Manager,
//!   reaching templates only as a dynamic reference.
//! - [`ReplicationGroup`]: a cluster-mode-disabled primary with replicas, sized and
//!   protected by the environment preset ([`presets`]).
//! - [`ShardedCluster`]: a cluster-mode replication group of 1 to 500 shards.
//! - [`SplitRedis`]: two replication groups (adapter and state) sharing one key and
//!   parameter group, with offset windows, or one.
//! - [`ServerlessCache`]: an ElastiCache Serverless cache with usage limits.
//! - [`CacheParameterGroup`]: engine settings, the family derived and the values checked.
//! - [`CacheUser`] and [`CacheUserGroup`]: RBAC users and the group a cache trusts; a
//!   user's own password ([`UserPassword`]) can rotate on a schedule ([`PasswordRotation`]).
//! - [`ConnectionSecret`]: every connection detail a client needs, as one JSON secret.
//! - [`RedisAlarms`]: CloudWatch alarms on every node (or the serverless cache) to a topic.
//! - [`Role`]: an IAM role, in the app or outside it, that the secrets' grants attach to;
//!   [`Principal`]: that, or an IAM user or group made outside the app.
//!
//! Underneath:
//!
//! - [`App`], [`Stack`] and [`Scope`] form the construct tree; every element gets a
//!   CDK-compatible logical ID from its path ([`core::logical_id`]); [`Construct`],
//!   [`Stack::child`], [`ResourceDef::add_property_override`],
//!   [`ResourceDef::add_deletion_override`] and
//!   [`ResourceDef::apply_removal_policy`] (or, typed, an L1 struct's
//!   `overrides()` and `apply_to`) are the escape hatches.
//! - [`Value`] is a typed CloudFormation value: literals, intrinsics, pseudo
//!   parameters; [`SecretValue`] is the only way a secret reaches a template (an
//!   AUTH token from [`AuthSecret::token`], never a literal string: see
//!   [`SecretValue`] for why `Auth::Token("...")` does not compile, and what to write).
//! - [`cfn`] is the L1 layer: one typed struct per resource type, generated from
//!   the shipped CloudFormation schemas, and [`ResourceDef`] for any other type.
//! - [`App::synth`] turns the tree into templates ([`Assembly`]), resolving
//!   cross-stack references and running [`validate::check_template`] on each.
//! - [`template`] is the read model every template reader shares (the rules, the
//!   integrity checks, diff, cost and diagram): resources by type, values known at
//!   synth time, the one parse of intrinsic functions and the one template walk.
//! - [`validate`] checks any CloudFormation JSON template; [`facts`] holds the
//!   ElastiCache facts the rules use, generated from AWS-derived data where there is
//!   some; [`insight`] explains templates (diff, cost, diagram); [`spec`] builds an
//!   app from a JSON spec; [`assertions`] tests templates.
//!
//! # Conventions
//!
//! - A prop has the AWS service's name for the thing (`snapshot_retention_limit`,
//!   `parameter_group_family`, `engine_version`), the same on every construct that
//!   has it; a spec says the same names.
//! - Required props are constructor arguments; every optional prop is a field of a
//!   `…Props` struct with a setter of the same name, and its documentation says its
//!   default.
//! - Setters never undo each other: what one derives from another (Multi-AZ and
//!   failover from the replicas, per environment) is worked out at synth from what
//!   was set.
//! - Every construct takes the environment of the stack it is added to
//!   ([`Stack::set_environment`], [`App::for_environment`]); no props carry a copy.
#![deny(missing_docs)]

pub mod assertions;
pub mod cfn;
pub mod core;
pub mod facts;
pub mod insight;
pub mod redis;
pub mod spec;
mod synthesis;
pub mod template;
pub mod validate;

// The tree, values and synthesis.
#[doc(inline)]
pub use crate::core::{
    is_valid_stack_name, App, AsScope, ConditionHandle, Construct, DependsOn, Diagnostic, Environment, OrderedMap,
    Output, OutputHandle, OverrideError, Parameter, ParameterHandle, ParameterType, Pseudo, RemovalPolicy, ResourceDef,
    ResourceHandle, Scope, SecretValue, Severity, Stack, StackRef, SynthError, Target, UnknownEnvironment, Value,
    SNAPSHOT_TYPES,
};
#[doc(inline)]
pub use crate::facts::Engine;
#[doc(inline)]
pub use crate::synthesis::{to_pretty_json, Assembly, StackArtifact, CLOUD_ASSEMBLY_VERSION};

// The constructs and their props.
#[doc(inline)]
pub use crate::redis::{
    presets, AtRestEncryption, Auth, AuthSecret, AuthSecretProps, CacheParameterGroup, CacheParameterGroupProps,
    CacheUser, CacheUserGroup, CacheUserGroupProps, CacheUserProps, ConnectionField, ConnectionSecret,
    ConnectionSecretProps, EncryptionKey, EncryptionKeyProps, LogType, NetworkType, PasswordRotation, Preset,
    Principal, RedisVpcAccess, ReplicationGroup, ReplicationGroupProps, Role, RoleError, RotationCode,
    RotationSchedule, ServerlessCache, ServerlessCacheProps, ShardedCluster, SplitRedis, SplitRedisProps,
    TransitEncryption, UserAuthentication, UserPassword, UserPasswordProps, VpcAccessProps, PASSWORD_KEY, TOKEN_KEY,
};

// Alarms.
#[doc(inline)]
pub use crate::redis::{
    AlarmMetric, AlarmOverride, AlarmSpec, AlarmTarget, AlarmTopic, Comparison, CustomAlarm, DefaultThreshold,
    MetricSource, MetricUnit, RedisAlarms, RedisAlarmsProps, Statistic, TreatMissingData, ELASTICACHE_NAMESPACE,
    NODE_ALARMS, SERVERLESS_ALARMS,
};
