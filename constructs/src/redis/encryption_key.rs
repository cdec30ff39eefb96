//! `EncryptionKey`: a customer-managed KMS key with rotation, usable by the cache
//! (at rest), Secrets Manager, SNS, CloudWatch alarms and CloudWatch Logs.

use super::common::parent_path;
use crate::cfn::kms::{CfnAlias, CfnKey};
use crate::cfn::ResourceDef;
use crate::core::{AsScope, Construct, RemovalPolicy, ResourceHandle, Value};
use crate::map;

/// A symmetric KMS key with automatic rotation and a key policy that lets the
/// account's IAM policies use it, and lets CloudWatch (alarm notifications to an
/// encrypted topic) and CloudWatch Logs (encrypted log groups) use it.
#[derive(Debug, Clone)]
pub struct EncryptionKey {
    key: ResourceHandle,
}

/// Optional settings of an [`EncryptionKey`].
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct EncryptionKeyProps {
    /// Key description. Default: `Encryption key for the Redis cache`.
    pub description: Option<String>,
    /// An alias (`alias/...`). Default: no alias.
    pub alias: Option<String>,
    /// Days before a deleted key is destroyed, 7 to 30. Default: 30.
    pub pending_window_days: Option<u32>,
    /// What happens to the key when it leaves the stack.
    ///
    /// Default: the environment preset: retained in staging and prod (data
    /// encrypted with it stays readable), deleted in dev.
    pub removal_policy: Option<RemovalPolicy>,
}

impl EncryptionKeyProps {
    /// Sets the description; see [`EncryptionKeyProps::description`].
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// Sets the alias; see [`EncryptionKeyProps::alias`].
    pub fn alias(mut self, alias: impl Into<String>) -> Self {
        self.alias = Some(alias.into());
        self
    }

    /// Sets the pending window; see [`EncryptionKeyProps::pending_window_days`].
    pub fn pending_window_days(mut self, days: u32) -> Self {
        self.pending_window_days = Some(days);
        self
    }

    /// Sets the removal policy; see [`EncryptionKeyProps::removal_policy`].
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = Some(policy);
        self
    }
}

impl EncryptionKey {
    /// Creates the key (child `Resource`) and, if asked, its alias (child `Alias`).
    pub fn new(scope: &mut impl AsScope, id: &str, props: EncryptionKeyProps) -> Self {
        let mut scope = scope.as_scope();
        let mut me = scope.child(id);
        // the stack's environment (a stack of an app without one: dev's preset)
        let environment = me.stack().environment().unwrap_or_default();
        let pending = props.pending_window_days.unwrap_or(30);
        if !(7..=30).contains(&pending) {
            me.rule_error(
                "CON034",
                format!("pending_window_days must be between 7 and 30, got {pending}; pick a value in that range"),
            );
        }
        let root = Value::sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root");
        let policy = map! {
            "Version" => "2012-10-17",
            "Statement" => vec![
                map! {
                    "Sid" => "AccountAdministration",
                    "Effect" => "Allow",
                    "Principal" => map! { "AWS" => root },
                    "Action" => "kms:*",
                    "Resource" => "*",
                },
                map! {
                    "Sid" => "CloudWatchAlarmsToEncryptedTopics",
                    "Effect" => "Allow",
                    "Principal" => map! { "Service" => "cloudwatch.amazonaws.com" },
                    "Action" => Value::str_list(["kms:Decrypt", "kms:GenerateDataKey*"]),
                    "Resource" => "*",
                },
                map! {
                    "Sid" => "CloudWatchLogsEncryption",
                    "Effect" => "Allow",
                    "Principal" => map! { "Service" => Value::sub("logs.${AWS::Region}.amazonaws.com") },
                    "Action" => Value::str_list(["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]),
                    "Resource" => "*",
                    "Condition" => map! {
                        "ArnLike" => map! {
                            "kms:EncryptionContext:aws:logs:arn" => Value::sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*"),
                        },
                    },
                },
            ],
        };
        let key = me.add_resource(
            "Resource",
            ResourceDef::from(
                CfnKey::new()
                    .description(props.description.unwrap_or_else(|| "Encryption key for the Redis cache".into()))
                    .enable_key_rotation(true)
                    .key_policy(policy)
                    .pending_window_in_days(pending),
            )
            .removal_policy(props.removal_policy.unwrap_or(super::presets::key_policy(environment))),
        );
        if let Some(alias) = props.alias {
            if !alias.starts_with("alias/") || alias.starts_with("alias/aws/") {
                me.rule_error("CON034", format!("alias must start with 'alias/' and not 'alias/aws/', got '{alias}'"));
            }
            me.add_resource("Alias", CfnAlias::new(alias, key.reference()));
        }
        EncryptionKey { key }
    }

    /// `Ref` of the key: its key id.
    pub fn key_id(&self) -> Value {
        self.key.reference()
    }

    /// The key ARN.
    pub fn key_arn(&self) -> Value {
        self.key.get_att("Arn")
    }

    /// The key (child `Resource`), CDK's `defaultChild`; the alias is child `Alias`.
    pub fn default_child(&self) -> &ResourceHandle {
        &self.key
    }
}

impl Construct for EncryptionKey {
    fn stack_name(&self) -> &str {
        &self.key.target().stack
    }

    fn path(&self) -> &str {
        parent_path(&self.key.target().path)
    }
}
