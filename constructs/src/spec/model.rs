//! The shape of a spec file. Construct settings are the constructs' own props
//! types (under `props`); what a spec adds is only what Rust code says with
//! variables: which construct another one uses, by id.

use crate::core::{Environment, Parameter, Value};
use crate::redis::{
    AuthSecretProps, CacheUserGroupProps, CacheUserProps, ConnectionSecretProps, CustomAlarm, EncryptionKeyProps,
    RedisAlarmsProps, ReplicationGroupProps, ServerlessCacheProps, SplitRedisProps, VpcAccessProps,
};
use crate::Engine;
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value as J};

/// A redis-cdk spec: CloudFormation stacks of ElastiCache Redis and Valkey
/// constructs, built with `synth --config FILE [--env ENV]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "redis-cdk spec")]
pub struct Spec {
    /// The JSON Schema of this file, for editors: the output of `synth schema`,
    /// such as `./redis-spec.schema.json`. Ignored by the build.
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    /// The stacks, by name, in the order they are built.
    pub stacks: IndexMap<String, StackSpec>,
    /// Changes per environment: each a JSON merge patch (RFC 7386) over the rest
    /// of the file, applied when building for that `--env`.
    ///
    /// Default: none; every environment builds the file as written (constructs
    /// still take their environment presets).
    #[serde(default)]
    pub environments: EnvironmentPatches,
}

/// A merge patch per environment.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentPatches {
    /// Applied with `--env dev`.
    #[serde(default)]
    pub dev: Option<Map<String, J>>,
    /// Applied with `--env staging`.
    #[serde(default)]
    pub staging: Option<Map<String, J>>,
    /// Applied with `--env prod`.
    #[serde(default)]
    pub prod: Option<Map<String, J>>,
}

/// One CloudFormation stack.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StackSpec {
    /// The template `Description`. Default: none.
    #[serde(default)]
    pub description: Option<String>,
    /// The region the stack is meant for (manifest and cost estimates; the
    /// template stays region-agnostic). Default: none.
    #[serde(default)]
    pub region: Option<String>,
    /// Tags for every taggable resource of the stack, in order. Default: none.
    #[serde(default)]
    pub tags: IndexMap<String, String>,
    /// Template-level `Metadata` entries. Default: none.
    #[serde(default)]
    pub metadata: IndexMap<String, J>,
    /// Template parameters, by logical id; refer to one with `{"Ref": "<id>"}`. Default: none.
    #[serde(default)]
    pub parameters: IndexMap<String, Parameter>,
    /// Template conditions, by logical id: a condition expression
    /// (`{"Fn::Equals": [{"Ref": "UseUpstash"}, "true"]}`); a construct's or an
    /// output's `condition` names one. Default: none.
    #[serde(default)]
    pub conditions: IndexMap<String, Expr>,
    /// The constructs, by id, built in this order; a construct may use those above it.
    #[serde(default)]
    pub constructs: IndexMap<String, ConstructSpec>,
    /// Template outputs, by logical id. Default: none.
    #[serde(default)]
    pub outputs: IndexMap<String, OutputSpec>,
}

/// A template output.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutputSpec {
    /// The value (see [`Expr`]).
    pub value: Expr,
    /// `Description`. Default: none.
    #[serde(default)]
    pub description: Option<String>,
    /// `Export.Name`, for other stacks' `Fn::ImportValue`. Default: not exported.
    #[serde(default)]
    pub export_name: Option<Expr>,
    /// Build the output only in these environments. Default: every environment.
    #[serde(default)]
    pub only_in: Option<Vec<Environment>>,
    /// The output exists only when this condition (of `conditions`) holds. Default: always.
    #[serde(default)]
    pub condition: Option<String>,
}

/// A value in a spec: any JSON literal or CloudFormation intrinsic
/// (`{"Ref": "VpcId"}`, `{"Fn::Sub": "..."}`), or one of
/// `{"construct": "<id>", "attribute": "<name>"}` (an attribute of a construct,
/// such as `primary_endpoint_address`), `{"concat": [<value>, ...]}` (string
/// concatenation) and `{"cost": "<id>", "region": "<region>"}` (the estimated
/// monthly cost of a cache, `~$12.34/month (on-demand, <region>)`; region
/// default: the stack's, else us-east-1). Lists and objects may nest these.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Expr(pub J);

/// A construct, by its `kind`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConstructSpec {
    /// A customer-managed KMS key with rotation ([`crate::EncryptionKey`]).
    EncryptionKey(EncryptionKeySpec),
    /// Security group, subnet group and ingress of a cache ([`crate::RedisVpcAccess`]).
    VpcAccess(VpcAccessSpec),
    /// A generated AUTH token in Secrets Manager ([`crate::AuthSecret`]).
    AuthSecret(AuthSecretSpec),
    /// A primary with replicas, cluster mode off ([`crate::ReplicationGroup`]).
    ReplicationGroup(ReplicationGroupSpec),
    /// A cluster-mode replication group ([`crate::ShardedCluster`]).
    ShardedCluster(ShardedClusterSpec),
    /// Adapter and state clusters, or one ([`crate::SplitRedis`]).
    SplitRedis(SplitRedisSpec),
    /// An ElastiCache Serverless cache ([`crate::ServerlessCache`]).
    ServerlessCache(ServerlessCacheSpec),
    /// An RBAC user ([`crate::CacheUser`]).
    CacheUser(CacheUserSpec),
    /// An RBAC user group ([`crate::CacheUserGroup`]).
    CacheUserGroup(CacheUserGroupSpec),
    /// CloudWatch alarms of a cache ([`crate::RedisAlarms`]).
    Alarms(AlarmsSpec),
    /// An alarm on any metric, added to an `alarms` construct ([`crate::CustomAlarm`]).
    CustomAlarm(CustomAlarmSpec),
    /// Connection details as one JSON secret ([`crate::ConnectionSecret`]).
    ConnectionSecret(ConnectionSecretSpec),
    /// A managed policy that reads an `auth_secret` or a `connection_secret`.
    GrantRead(GrantReadSpec),
    /// Any CloudFormation resource, written as is (escape hatch).
    RawResource(RawResourceSpec),
}

macro_rules! construct_spec {
    ($(#[$doc:meta])* $name:ident { $($body:tt)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Deserialize, JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// Build the construct only in these environments. Default: every environment.
            #[serde(default)]
            pub only_in: Option<Vec<Environment>>,
            /// Every resource of the construct exists only when this condition (of
            /// `conditions`) holds. Default: always.
            #[serde(default)]
            pub condition: Option<String>,
            $($body)*
        }
    };
}

construct_spec!(
    /// An `encryption_key`.
    EncryptionKeySpec {
        /// Settings. Default: all defaults.
        #[serde(default)]
        #[schemars(with = "EncryptionKeyProps")]
        pub props: J,
    }
);

construct_spec!(
    /// A `vpc_access`.
    VpcAccessSpec {
        /// Settings: `vpc_id` and `subnet_ids` are required.
        #[schemars(with = "VpcAccessProps")]
        pub props: J,
    }
);

construct_spec!(
    /// An `auth_secret`.
    AuthSecretSpec {
        /// The `encryption_key` that encrypts the secret. Default: the AWS-managed key.
        #[serde(default)]
        pub kms_key: Option<String>,
        /// Settings. Default: all defaults.
        #[serde(default)]
        #[schemars(with = "AuthSecretProps")]
        pub props: J,
    }
);

/// How clients of a replication group authenticate.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum AuthSpec {
    /// The token of this `auth_secret` (TLS required).
    Secret(String),
    /// RBAC with these `cache_user_group`s.
    UserGroups(Vec<String>),
    /// No authentication (a warning at synth).
    None,
}

construct_spec!(
    /// A `replication_group`.
    ReplicationGroupSpec {
        /// The `vpc_access` the group lives in.
        pub access: String,
        /// How clients authenticate.
        pub auth: AuthSpec,
        /// The `encryption_key` for encryption at rest. Default: `props.at_rest_encryption`.
        #[serde(default)]
        pub kms_key: Option<String>,
        /// Settings over the environment preset. `multi_az` and `automatic_failover`
        /// left out are derived from the final `replicas`, as in Rust.
        #[serde(default)]
        #[schemars(with = "ReplicationGroupProps")]
        pub props: J,
    }
);

construct_spec!(
    /// A `sharded_cluster`.
    ShardedClusterSpec {
        /// The `vpc_access` the cluster lives in.
        pub access: String,
        /// How clients authenticate.
        pub auth: AuthSpec,
        /// Number of shards (node groups), 1 to 500 (`facts::MAX_SHARDS`).
        #[schemars(range(min = 1, max = 500))]
        pub shards: u32,
        /// The `encryption_key` for encryption at rest. Default: `props.at_rest_encryption`.
        #[serde(default)]
        pub kms_key: Option<String>,
        /// Settings over the environment preset (`replicas` is per shard).
        #[serde(default)]
        #[schemars(with = "ReplicationGroupProps")]
        pub props: J,
    }
);

construct_spec!(
    /// A `split_redis`.
    SplitRedisSpec {
        /// The `vpc_access` the clusters live in.
        pub access: String,
        /// How clients authenticate.
        pub auth: AuthSpec,
        /// The `encryption_key` for encryption at rest. Default: `props.base.at_rest_encryption`.
        #[serde(default)]
        pub kms_key: Option<String>,
        /// Settings over the environment preset.
        #[serde(default)]
        #[schemars(with = "SplitRedisProps")]
        pub props: J,
    }
);

construct_spec!(
    /// A `serverless_cache`.
    ServerlessCacheSpec {
        /// The `vpc_access` the cache lives in.
        pub access: String,
        /// The `encryption_key` for encryption at rest. Default: `props.at_rest_encryption`.
        #[serde(default)]
        pub kms_key: Option<String>,
        /// The `cache_user_group` that authenticates clients. Default: `props.user_group_id`.
        #[serde(default)]
        pub user_group: Option<String>,
        /// Settings over the environment preset.
        #[serde(default)]
        #[schemars(with = "ServerlessCacheProps")]
        pub props: J,
    }
);

/// How a `cache_user` authenticates.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum UserAuthSpec {
    /// The tokens of these `auth_secret`s as passwords (one, or two while rotating).
    Passwords(Vec<String>),
    /// A generated password of the user's own, optionally rotated
    /// ([`crate::UserAuthentication::SecretPassword`]).
    SecretPassword(Box<SecretPasswordSpec>),
    /// IAM authentication.
    Iam,
    /// No password (a warning at synth).
    NoPasswordRequired,
}

/// A user's own password ([`crate::UserPasswordProps`]).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretPasswordSpec {
    /// The `encryption_key` that encrypts the secret (and the rotation's function,
    /// logs and queue). Default: the AWS-managed key.
    #[serde(default)]
    pub kms_key: Option<String>,
    /// Password length, 16 to 128. Default: 64.
    #[serde(default)]
    pub length: Option<u32>,
    /// Rotation on a schedule. Default: none.
    #[serde(default)]
    pub rotation: Option<RotationSpec>,
}

/// Rotation of a user's password by AWS's function ([`crate::PasswordRotation`]).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RotationSpec {
    /// The S3 bucket of the function's zip: a string or `{"Ref": "Parameter"}`.
    pub code_bucket: Value,
    /// The object key of the zip.
    pub code_key: Value,
    /// Days between rotations, 1 to 1000. Default: 30 (unless `schedule_expression`).
    #[serde(default)]
    pub every_days: Option<u64>,
    /// A `rate()` or `cron()` expression instead of `every_days`.
    #[serde(default)]
    pub schedule_expression: Option<String>,
    /// The rotation window with `schedule_expression`, such as `3h`.
    #[serde(default)]
    pub duration: Option<String>,
    /// The function's timeout, 720 to 900 seconds. Default: 900.
    #[serde(default)]
    pub timeout_seconds: Option<u32>,
    /// Days the function's log group keeps its events. Default: the environment preset.
    #[serde(default)]
    pub log_retention_days: Option<u32>,
    /// The removal policy of the function's log group and dead-letter queue.
    /// Default: the environment preset.
    #[serde(default)]
    pub log_removal_policy: Option<crate::RemovalPolicy>,
}

construct_spec!(
    /// A `cache_user`.
    CacheUserSpec {
        /// The name clients log in with.
        pub user_name: String,
        /// How the user authenticates.
        pub authentication: UserAuthSpec,
        /// Settings. Default: all defaults.
        #[serde(default)]
        #[schemars(with = "CacheUserProps")]
        pub props: J,
    }
);

construct_spec!(
    /// A `cache_user_group`.
    CacheUserGroupSpec {
        /// The engine of the group and its users. Default: redis.
        #[serde(default)]
        pub engine: Option<Engine>,
        /// The `cache_user`s in the group.
        pub users: Vec<String>,
        /// Settings. Default: all defaults.
        #[serde(default)]
        #[schemars(with = "CacheUserGroupProps")]
        pub props: J,
    }
);

/// Where alarms notify.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum AlarmTopicSpec {
    /// A new SNS topic encrypted with this `encryption_key`.
    EncryptedWith(String),
    /// An existing topic: its ARN.
    Existing(Expr),
    /// No topic; then `props.additional_actions` must name a target.
    None,
}

construct_spec!(
    /// An `alarms`.
    AlarmsSpec {
        /// The `replication_group`, `sharded_cluster` or `serverless_cache` to watch.
        pub cache: String,
        /// Where the alarms notify.
        pub topic: AlarmTopicSpec,
        /// Settings. Default: every default alarm.
        #[serde(default)]
        #[schemars(with = "RedisAlarmsProps")]
        pub props: J,
    }
);

construct_spec!(
    /// A `custom_alarm`.
    CustomAlarmSpec {
        /// The `alarms` construct the alarm joins (its topic, its actions).
        pub alarms: String,
        /// The alarm: `namespace`, `metric_name`, `comparison` and `threshold` are required.
        #[schemars(with = "CustomAlarm")]
        pub props: J,
    }
);

/// One field of a connection document.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum FieldSpec {
    /// A JSON string: a value such as an endpoint address.
    String(Expr),
    /// A JSON number: a value such as an endpoint port.
    Number(Expr),
    /// A JSON boolean.
    Boolean(bool),
    /// The token of this `auth_secret` (only its dynamic reference is in the template).
    Secret(String),
    /// The value of this NoEcho template parameter (`no_echo: true`), such as a
    /// token issued outside AWS.
    Parameter(String),
}

/// The usual connection document of a replication group or sharded cluster.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ForReplicationGroup {
    /// The `replication_group` or `sharded_cluster`.
    pub cache: String,
    /// The `auth_secret` whose token is the `auth_token` field.
    pub token: String,
}

/// The usual connection document of a serverless cache, for one RBAC user.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ForServerlessCache {
    /// The `serverless_cache`.
    pub cache: String,
    /// The user name (the `username` field).
    pub user_name: String,
    /// The `auth_secret` whose token is the user's password (the `password` field).
    pub password: String,
}

construct_spec!(
    /// A `connection_secret`.
    ConnectionSecretSpec {
        /// Start from the usual fields of a replication group (`primary_endpoint`,
        /// `reader_endpoint`, `port`, `auth_token`, `ssl_enabled`, `connection_uri`).
        /// Default: no fields.
        #[serde(default)]
        pub for_replication_group: Option<ForReplicationGroup>,
        /// Start from the usual fields of a serverless cache (`primary_endpoint`,
        /// `reader_endpoint`, `port`, `reader_port`, `username`, `password`,
        /// `ssl_enabled`, `connection_uri`). Not with `for_replication_group`.
        /// Default: no fields.
        #[serde(default)]
        pub for_serverless_cache: Option<ForServerlessCache>,
        /// More fields, in document order (a field of the same name replaces it).
        #[serde(default)]
        pub fields: IndexMap<String, FieldSpec>,
        /// The `encryption_key` that encrypts the secret. Default: the AWS-managed key.
        #[serde(default)]
        pub kms_key: Option<String>,
        /// Settings. Default: all defaults.
        #[serde(default)]
        #[schemars(with = "ConnectionSecretProps")]
        pub props: J,
    }
);

construct_spec!(
    /// A `grant_read`.
    GrantReadSpec {
        /// The `auth_secret` or `connection_secret` to read, or a `cache_user` whose
        /// `authentication` is a `secret_password` (its own secret, rotating or not).
        pub secret: String,
        /// The ARN of the IAM role to attach the policy to, such as
        /// `arn:aws:iam::123456789012:role/service/app` (the policy's `Roles` gets
        /// the name, `app`). Give at most one of `role_arn`, `role_name`,
        /// `user_arn`, `user_name`, `group_arn` and `group_name`.
        ///
        /// Default: the policy is attached to no role; a role attaches it by its ARN.
        #[serde(default)]
        pub role_arn: Option<String>,
        /// The name of the IAM role to attach the policy to: a literal or an
        /// expression such as `{"ref": "AppRoleName"}`.
        ///
        /// Default: the policy is attached to no role.
        #[serde(default)]
        pub role_name: Option<Expr>,
        /// The ARN of an IAM user to attach the policy to (`Users` gets its name).
        /// Default: none.
        #[serde(default)]
        pub user_arn: Option<String>,
        /// The name of an IAM user to attach the policy to. Default: none.
        #[serde(default)]
        pub user_name: Option<Expr>,
        /// The ARN of an IAM group to attach the policy to (`Groups` gets its name).
        /// Default: none.
        #[serde(default)]
        pub group_arn: Option<String>,
        /// The name of an IAM group to attach the policy to. Default: none.
        #[serde(default)]
        pub group_name: Option<Expr>,
    }
);

construct_spec!(
    /// A `raw_resource`: its logical id is the construct id.
    RawResourceSpec {
        /// The CloudFormation type, such as `AWS::EC2::VPCEndpoint`.
        #[serde(rename = "type")]
        pub resource_type: String,
        /// `Properties`, each a value (expressions allowed). Default: none.
        #[serde(default)]
        pub properties: IndexMap<String, Expr>,
        /// `DependsOn`: constructs (`raw_resource`) or logical ids. Default: none.
        #[serde(default)]
        pub depends_on: Vec<String>,
    }
);

impl ConstructSpec {
    /// The `kind` as written in a spec.
    pub fn kind(&self) -> &'static str {
        match self {
            ConstructSpec::EncryptionKey(_) => "encryption_key",
            ConstructSpec::VpcAccess(_) => "vpc_access",
            ConstructSpec::AuthSecret(_) => "auth_secret",
            ConstructSpec::ReplicationGroup(_) => "replication_group",
            ConstructSpec::ShardedCluster(_) => "sharded_cluster",
            ConstructSpec::SplitRedis(_) => "split_redis",
            ConstructSpec::ServerlessCache(_) => "serverless_cache",
            ConstructSpec::CacheUser(_) => "cache_user",
            ConstructSpec::CacheUserGroup(_) => "cache_user_group",
            ConstructSpec::Alarms(_) => "alarms",
            ConstructSpec::CustomAlarm(_) => "custom_alarm",
            ConstructSpec::ConnectionSecret(_) => "connection_secret",
            ConstructSpec::GrantRead(_) => "grant_read",
            ConstructSpec::RawResource(_) => "raw_resource",
        }
    }

    /// The condition of the construct's resources, if any.
    pub fn condition(&self) -> Option<&str> {
        match self {
            ConstructSpec::EncryptionKey(s) => s.condition.as_deref(),
            ConstructSpec::VpcAccess(s) => s.condition.as_deref(),
            ConstructSpec::AuthSecret(s) => s.condition.as_deref(),
            ConstructSpec::ReplicationGroup(s) => s.condition.as_deref(),
            ConstructSpec::ShardedCluster(s) => s.condition.as_deref(),
            ConstructSpec::SplitRedis(s) => s.condition.as_deref(),
            ConstructSpec::ServerlessCache(s) => s.condition.as_deref(),
            ConstructSpec::CacheUser(s) => s.condition.as_deref(),
            ConstructSpec::CacheUserGroup(s) => s.condition.as_deref(),
            ConstructSpec::Alarms(s) => s.condition.as_deref(),
            ConstructSpec::CustomAlarm(s) => s.condition.as_deref(),
            ConstructSpec::ConnectionSecret(s) => s.condition.as_deref(),
            ConstructSpec::GrantRead(s) => s.condition.as_deref(),
            ConstructSpec::RawResource(s) => s.condition.as_deref(),
        }
    }

    /// The environments the construct is built in (`None`: all).
    pub fn only_in(&self) -> Option<&[Environment]> {
        match self {
            ConstructSpec::EncryptionKey(s) => s.only_in.as_deref(),
            ConstructSpec::VpcAccess(s) => s.only_in.as_deref(),
            ConstructSpec::AuthSecret(s) => s.only_in.as_deref(),
            ConstructSpec::ReplicationGroup(s) => s.only_in.as_deref(),
            ConstructSpec::ShardedCluster(s) => s.only_in.as_deref(),
            ConstructSpec::SplitRedis(s) => s.only_in.as_deref(),
            ConstructSpec::ServerlessCache(s) => s.only_in.as_deref(),
            ConstructSpec::CacheUser(s) => s.only_in.as_deref(),
            ConstructSpec::CacheUserGroup(s) => s.only_in.as_deref(),
            ConstructSpec::Alarms(s) => s.only_in.as_deref(),
            ConstructSpec::CustomAlarm(s) => s.only_in.as_deref(),
            ConstructSpec::ConnectionSecret(s) => s.only_in.as_deref(),
            ConstructSpec::GrantRead(s) => s.only_in.as_deref(),
            ConstructSpec::RawResource(s) => s.only_in.as_deref(),
        }
    }
}
