//! The L2 layer: high-level Redis and Valkey constructs, one per file.

mod alarms;
mod auth_secret;
mod common;
mod connection_secret;
mod encryption_key;
mod parameter_group;
pub mod presets;
mod replication_group;
mod role;
mod serverless;
mod sharded_cluster;
mod split_redis;
mod user_password;
mod users;
mod vpc_access;

pub use alarms::{
    AlarmMetric, AlarmOverride, AlarmSpec, AlarmTarget, AlarmTopic, Comparison, CustomAlarm, DefaultThreshold,
    MetricSource, MetricUnit, RedisAlarms, RedisAlarmsProps, Statistic, TreatMissingData, ELASTICACHE_NAMESPACE,
    NODE_ALARMS, SERVERLESS_ALARMS,
};
pub(crate) use auth_secret::{read_secret, HoldsSecret};
pub use auth_secret::{AuthSecret, AuthSecretProps, TOKEN_KEY};
pub use common::{AtRestEncryption, Auth, LogType, NetworkType, TransitEncryption};
pub use connection_secret::{ConnectionField, ConnectionSecret, ConnectionSecretProps};
pub use encryption_key::{EncryptionKey, EncryptionKeyProps};
pub use parameter_group::{CacheParameterGroup, CacheParameterGroupProps};
pub use presets::Preset;
pub use replication_group::{ReplicationGroup, ReplicationGroupProps};
pub use role::{Principal, Role, RoleError};
pub use serverless::{ServerlessCache, ServerlessCacheProps};
pub use sharded_cluster::ShardedCluster;
pub use split_redis::{SplitRedis, SplitRedisProps};
pub use user_password::{
    PasswordRotation, RotationCode, RotationSchedule, UserPassword, UserPasswordProps, PASSWORD_KEY,
};
pub use users::{CacheUser, CacheUserGroup, CacheUserGroupProps, CacheUserProps, UserAuthentication};
pub use vpc_access::{RedisVpcAccess, VpcAccessProps};
