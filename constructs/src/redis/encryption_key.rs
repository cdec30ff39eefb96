//! `EncryptionKey`: a customer-managed KMS key with rotation, usable by the cache
//! (at rest), Secrets Manager, SNS, CloudWatch alarms and CloudWatch Logs.

use crate::cfn::kms::{CfnAlias, CfnKey};
use crate::cfn::ResourceDef;
use crate::core::{AsScope, Environment, ResourceHandle, Value};
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
}

impl EncryptionKey {
    /// Creates the key (child `Resource`) and, if asked, its alias (child `Alias`).
    /// Its removal policy follows the environment preset (retained in staging and prod).
    pub fn new(scope: &mut impl AsScope, id: &str, environment: Environment, props: EncryptionKeyProps) -> Self {
        let mut scope = scope.as_scope();
        let mut me = scope.child(id);
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
            .removal_policy(super::presets::key_policy(environment)),
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

    /// The key resource.
    pub fn resource(&self) -> &ResourceHandle {
        &self.key
    }
}
