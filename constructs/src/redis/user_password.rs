//! `UserPassword`: a [`super::CacheUser`]'s own generated password in Secrets
//! Manager, optionally rotated on a schedule by AWS's ElastiCache user rotation
//! function ([`PasswordRotation`]).
//!
//! Sources, AWS documentation:
//! - the secret's JSON shape (`username`, `user_arn`, `password`) and the rotation
//!   function's settings (environment, timeout, permissions): "Automatically rotating
//!   passwords for users",
//!   <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/User-Secrets-Manager.html>;
//! - the function itself, `SecretsManagerElasticacheUserRotation`: Secrets Manager's
//!   rotation function templates,
//!   <https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_available-rotation-templates.html>,
//!   source in <https://github.com/aws-samples/aws-secrets-manager-rotation-lambdas>
//!   (`SecretsManagerElasticacheUserRotation/lambda_function.py`, MIT-0): its handler
//!   is `lambda_function.lambda_handler`, it reads `SECRETS_MANAGER_ENDPOINT`,
//!   `SECRET_ARN`, `USER_NAME`, and optionally `PASSWORD_LENGTH` and
//!   `EXCLUDE_CHARACTERS`, and it rotates only the secret named by `SECRET_ARN`.

use super::auth_secret::{read_secret, HoldsSecret};
use super::role::Principal;
use crate::cfn::iam::CfnRole;
use crate::cfn::lambda::{CfnFunction, CfnPermission};
use crate::cfn::logs::CfnLogGroup;
use crate::cfn::secretsmanager::{CfnRotationSchedule, CfnSecret};
use crate::cfn::sqs::CfnQueue;
use crate::cfn::ResourceDef;
use crate::core::{AsScope, RemovalPolicy, ResourceHandle, Scope, SecretValue, Value};
use crate::facts;
use crate::map;
use crate::redis::presets::{key_policy, Preset};

/// The JSON key of the password in a [`UserPassword`]'s secret string.
pub const PASSWORD_KEY: &str = "password";

/// Every ASCII punctuation character: excluded from generated passwords, so they
/// hold letters and digits only, which ElastiCache always accepts.
const PUNCTUATION: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/// Optional settings of a user's own password ([`super::UserAuthentication::SecretPassword`]).
#[derive(Debug, Clone, PartialEq)]
pub struct UserPasswordProps {
    /// Password length, 16 to 128 characters (ElastiCache's limits), letters and digits.
    ///
    /// Default: 64.
    pub length: u32,
    /// The KMS key that encrypts the secret, and with a rotation the function's
    /// environment, log group and dead-letter queue.
    ///
    /// Default: none given here; pass the stack's [`super::EncryptionKey`] with
    /// [`UserPasswordProps::kms_key`]. Without one, Secrets Manager uses its AWS-managed key.
    pub kms_key: Option<Value>,
    /// What happens to the secret when it leaves the stack.
    ///
    /// Default: the environment preset: retained in staging and prod, deleted in dev.
    pub removal_policy: Option<RemovalPolicy>,
    /// Rotates the password on a schedule.
    ///
    /// Default: none; the password stays until it is changed by hand.
    pub rotation: Option<PasswordRotation>,
}

impl Default for UserPasswordProps {
    fn default() -> Self {
        UserPasswordProps { length: 64, kms_key: None, removal_policy: None, rotation: None }
    }
}

impl UserPasswordProps {
    /// Sets the password length; see [`UserPasswordProps::length`].
    pub fn length(mut self, length: u32) -> Self {
        self.length = length;
        self
    }

    /// Encrypts with `key`; see [`UserPasswordProps::kms_key`].
    pub fn kms_key(mut self, key: &super::EncryptionKey) -> Self {
        self.kms_key = Some(key.key_arn());
        self
    }

    /// Sets the removal policy; see [`UserPasswordProps::removal_policy`].
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = Some(policy);
        self
    }

    /// Rotates the password; see [`UserPasswordProps::rotation`].
    pub fn rotation(mut self, rotation: PasswordRotation) -> Self {
        self.rotation = Some(rotation);
        self
    }
}

/// Where the rotation function's code is: a zip of AWS's
/// `SecretsManagerElasticacheUserRotation/lambda_function.py` (see the module
/// documentation) in an S3 bucket of the stack's region.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RotationCode {
    /// `Code.S3Bucket`, `Code.S3Key` and, when given, `Code.S3ObjectVersion`.
    S3 {
        /// The bucket (a literal or a parameter).
        bucket: Value,
        /// The object key of the zip.
        key: Value,
        /// The object version, for a versioned bucket.
        object_version: Option<Value>,
    },
}

impl RotationCode {
    /// The zip `key` in `bucket`.
    pub fn s3(bucket: impl Into<Value>, key: impl Into<Value>) -> Self {
        RotationCode::S3 { bucket: bucket.into(), key: key.into(), object_version: None }
    }

    /// Pins the object version of an S3 zip.
    pub fn object_version(self, version: impl Into<Value>) -> Self {
        match self {
            RotationCode::S3 { bucket, key, .. } => {
                RotationCode::S3 { bucket, key, object_version: Some(version.into()) }
            }
        }
    }
}

/// When Secrets Manager rotates (`RotationRules`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RotationSchedule {
    /// `AutomaticallyAfterDays`: 1 to 1000 days after the last rotation.
    AfterDays(u64),
    /// `ScheduleExpression` (`rate(10 days)`, `cron(0 4 ? * SUN *)`), with the
    /// window's `Duration` (`3h`) when given.
    Expression {
        /// The `rate()` or `cron()` expression, in UTC.
        expression: String,
        /// The rotation window in hours, such as `3h`.
        duration: Option<String>,
    },
}

/// Scheduled rotation of a [`UserPassword`]: AWS's ElastiCache user rotation
/// function (child `Rotation/Function`) with its own role, log group and
/// dead-letter queue, invoked by Secrets Manager on the schedule
/// (`Rotation/Schedule`). The function calls only the Secrets Manager and
/// ElastiCache APIs, never the cache.
#[derive(Debug, Clone, PartialEq)]
pub struct PasswordRotation {
    /// The function's code. Required: see [`RotationCode`].
    pub code: RotationCode,
    /// When to rotate.
    ///
    /// Default: every 30 days.
    pub schedule: RotationSchedule,
    /// The Lambda runtime.
    ///
    /// Default: the newest Python runtime of the generated data
    /// ([`facts::data::LAMBDA_PYTHON_RUNTIME`]).
    pub runtime: Option<String>,
    /// The function's timeout, 720 to 900 seconds: AWS asks for at least 12
    /// minutes, since the function waits for the user to become active again.
    ///
    /// Default: 900.
    pub timeout_seconds: u32,
    /// `ReservedConcurrentExecutions`: one rotation at a time. Lambda keeps 100 of
    /// an account's concurrency unreserved, so an account with a quota under 101
    /// must pass `None`.
    ///
    /// Default: 1.
    pub reserved_concurrency: Option<u32>,
    /// Runs the function in these subnets with these security groups (`VpcConfig`);
    /// they need a route to the Secrets Manager and ElastiCache APIs (a NAT gateway
    /// or interface endpoints).
    ///
    /// Default: outside any VPC, reaching the APIs directly.
    pub vpc: Option<(Value, Value)>,
    /// `RotateImmediatelyOnUpdate`.
    ///
    /// Default: CloudFormation's: rotate when the schedule is created or changed.
    pub rotate_immediately: Option<bool>,
    /// Days the function's log group keeps its events (a value CloudWatch Logs
    /// takes, such as 30 or 365).
    ///
    /// Default: the environment preset, as for a replication group's logs.
    pub log_retention_days: Option<u32>,
    /// What happens to the function's log group and dead-letter queue when they
    /// leave the stack.
    ///
    /// Default: the environment preset: retained in staging and prod, deleted in dev.
    pub log_removal_policy: Option<RemovalPolicy>,
}

impl PasswordRotation {
    /// Rotation every 30 days with AWS's function from `code`.
    pub fn new(code: RotationCode) -> Self {
        PasswordRotation {
            code,
            schedule: RotationSchedule::AfterDays(30),
            runtime: None,
            timeout_seconds: 900,
            reserved_concurrency: Some(1),
            vpc: None,
            rotate_immediately: None,
            log_retention_days: None,
            log_removal_policy: None,
        }
    }

    /// Rotates `days` after the last rotation; see [`PasswordRotation::schedule`].
    pub fn every_days(mut self, days: u64) -> Self {
        self.schedule = RotationSchedule::AfterDays(days);
        self
    }

    /// Rotates on a `rate()` or `cron()` expression; see [`PasswordRotation::schedule`].
    pub fn schedule_expression(mut self, expression: impl Into<String>, duration: Option<&str>) -> Self {
        self.schedule =
            RotationSchedule::Expression { expression: expression.into(), duration: duration.map(str::to_string) };
        self
    }

    /// Sets the runtime; see [`PasswordRotation::runtime`].
    pub fn runtime(mut self, runtime: impl Into<String>) -> Self {
        self.runtime = Some(runtime.into());
        self
    }

    /// Sets the timeout; see [`PasswordRotation::timeout_seconds`].
    pub fn timeout_seconds(mut self, seconds: u32) -> Self {
        self.timeout_seconds = seconds;
        self
    }

    /// Sets the reserved concurrency; see [`PasswordRotation::reserved_concurrency`].
    pub fn reserved_concurrency(mut self, n: Option<u32>) -> Self {
        self.reserved_concurrency = n;
        self
    }

    /// Runs the function in a VPC; see [`PasswordRotation::vpc`].
    pub fn vpc(mut self, subnet_ids: impl Into<Value>, security_group_ids: impl Into<Value>) -> Self {
        self.vpc = Some((subnet_ids.into(), security_group_ids.into()));
        self
    }

    /// Sets `RotateImmediatelyOnUpdate`; see [`PasswordRotation::rotate_immediately`].
    pub fn rotate_immediately(mut self, rotate: bool) -> Self {
        self.rotate_immediately = Some(rotate);
        self
    }

    /// Sets the log retention; see [`PasswordRotation::log_retention_days`].
    pub fn log_retention_days(mut self, days: u32) -> Self {
        self.log_retention_days = Some(days);
        self
    }

    /// Sets the log group's and queue's removal policy; see
    /// [`PasswordRotation::log_removal_policy`].
    pub fn log_removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.log_removal_policy = Some(policy);
        self
    }
}

/// A user's password secret (child `Password` of the user), made by
/// [`super::CacheUser::new`] for [`super::UserAuthentication::SecretPassword`].
#[derive(Debug, Clone)]
pub struct UserPassword {
    secret: ResourceHandle,
    kms_key: Option<Value>,
    rotation: Option<ResourceHandle>,
}

/// What [`UserPassword::create`] needs to know of its user.
pub(crate) struct UserFacts<'a> {
    pub user_id: &'a str,
    pub user_name: &'a str,
}

impl UserPassword {
    /// Creates the secret under `me` (the user's scope); the rotation, if any, is
    /// attached by [`UserPassword::rotate`] once the user exists.
    pub(crate) fn create(me: &mut Scope<'_>, user: &UserFacts<'_>, props: &UserPasswordProps) -> UserPassword {
        let environment = me.stack().environment().unwrap_or_default();
        if let Some(why) = facts::secret_length_problem("password", props.length) {
            me.rule_error("SEC003", why);
        }
        // The shape AWS's rotation function reads: the user's name and ARN, and the
        // generated password. The ARN is built from the literal user id, so the
        // secret does not depend on the user (whose password depends on the secret).
        let template = format!(
            "{{\"username\":{},\"user_arn\":\"{}\"}}",
            serde_json::Value::String(user.user_name.to_string()).to_string().replace("${", "${!"),
            user_arn_sub(user.user_id)
        );
        let mut secret = CfnSecret::new()
            .description(format!("Password of the ElastiCache user {} ({})", user.user_name, me.full_path()))
            .generate_secret_string(map! {
                "ExcludePunctuation" => true,
                "GenerateStringKey" => PASSWORD_KEY,
                "IncludeSpace" => false,
                "PasswordLength" => props.length,
                "SecretStringTemplate" => Value::sub(template),
            });
        if let Some(key) = &props.kms_key {
            secret = secret.kms_key_id(key.clone());
        }
        let policy = props.removal_policy.unwrap_or(key_policy(environment));
        let secret = me.add_resource("Password", ResourceDef::from(secret).removal_policy(policy));
        UserPassword { secret, kms_key: props.kms_key.clone(), rotation: None }
    }

    /// Attaches `rotation` (children `Rotation/*` of `me`) to the secret of the user `user_resource`.
    pub(crate) fn rotate(
        &mut self,
        me: &mut Scope<'_>,
        user: &UserFacts<'_>,
        user_resource: &ResourceHandle,
        length: u32,
        rotation: &PasswordRotation,
    ) {
        validate_rotation(me, rotation);
        let environment = me.stack().environment().unwrap_or_default();
        let preset = Preset::of(environment);
        let mut r = me.child("Rotation");
        let key = self.kms_key.clone();

        let retention = rotation.log_retention_days.unwrap_or(preset.log_retention_days);
        let log_policy = rotation.log_removal_policy.unwrap_or(preset.log_removal_policy);
        let mut logs = CfnLogGroup::new().retention_in_days(retention);
        let mut queue = CfnQueue::new().message_retention_period(1_209_600); // 14 days, SQS's longest
        if let Some(k) = &key {
            logs = logs.kms_key_id(k.clone());
            queue = queue.kms_master_key_id(k.clone());
        } else {
            queue = queue.sqs_managed_sse_enabled(true);
        }
        let logs = r.add_resource("Logs", ResourceDef::from(logs).removal_policy(log_policy));
        let queue = r.add_resource("DeadLetters", ResourceDef::from(queue).removal_policy(log_policy));

        let user_arn = Value::sub(user_arn_sub(user.user_id));
        let mut statements = vec![
            map! {
                "Effect" => "Allow",
                "Action" => Value::str_list(["elasticache:DescribeUsers", "elasticache:ModifyUser"]),
                "Resource" => user_arn,
            },
            map! {
                "Effect" => "Allow",
                "Action" => Value::str_list([
                    "secretsmanager:DescribeSecret",
                    "secretsmanager:GetSecretValue",
                    "secretsmanager:PutSecretValue",
                    "secretsmanager:UpdateSecretVersionStage",
                ]),
                "Resource" => self.secret.reference(),
            },
            map! { "Effect" => "Allow", "Action" => "secretsmanager:GetRandomPassword", "Resource" => "*" },
            map! {
                "Effect" => "Allow",
                "Action" => Value::str_list(["logs:CreateLogStream", "logs:PutLogEvents"]),
                "Resource" => logs.get_att("Arn"),
            },
            map! { "Effect" => "Allow", "Action" => "sqs:SendMessage", "Resource" => queue.get_att("Arn") },
        ];
        if let Some(k) = &key {
            statements.push(map! {
                "Effect" => "Allow",
                "Action" => Value::str_list(["kms:Decrypt", "kms:GenerateDataKey"]),
                "Resource" => k.clone(),
            });
        }
        let mut role = CfnRole::new(map! {
            "Version" => "2012-10-17",
            "Statement" => Value::List(vec![map! {
                "Effect" => "Allow",
                "Principal" => map! { "Service" => "lambda.amazonaws.com" },
                "Action" => "sts:AssumeRole",
            }]),
        })
        .description(format!("Rotates the password of the ElastiCache user {}", user.user_name))
        .policies(Value::List(vec![map! {
            "PolicyName" => "RotateUserPassword",
            "PolicyDocument" => map! { "Version" => "2012-10-17", "Statement" => Value::List(statements) },
        }]));
        if rotation.vpc.is_some() {
            // the network interfaces a function in a VPC needs (AWS managed policy)
            role = role.managed_policy_arns(Value::List(vec![Value::sub(
                "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
            )]));
        }
        let role = r.add_resource("Role", role);

        let code = match &rotation.code {
            RotationCode::S3 { bucket, key, object_version } => {
                let mut c = map! { "S3Bucket" => bucket.clone(), "S3Key" => key.clone() };
                if let (Some(v), Value::Map(m)) = (object_version, &mut c) {
                    m.insert("S3ObjectVersion".into(), v.clone());
                }
                c
            }
        };
        let runtime = rotation.runtime.clone().unwrap_or_else(|| facts::data::LAMBDA_PYTHON_RUNTIME.to_string());
        let mut function = CfnFunction::new(code, role.get_att("Arn"))
            .description(format!("Rotates the password of the ElastiCache user {}", user.user_name))
            .handler("lambda_function.lambda_handler")
            .runtime(runtime)
            .timeout(rotation.timeout_seconds)
            .environment(map! {
                "Variables" => map! {
                    "EXCLUDE_CHARACTERS" => PUNCTUATION,
                    "PASSWORD_LENGTH" => length.to_string(),
                    "SECRETS_MANAGER_ENDPOINT" => Value::sub("https://secretsmanager.${AWS::Region}.${AWS::URLSuffix}"),
                    "SECRET_ARN" => self.secret.reference(),
                    "USER_NAME" => user.user_name,
                },
            })
            .dead_letter_config(map! { "TargetArn" => queue.get_att("Arn") })
            .logging_config(map! { "LogGroup" => logs.reference() });
        if let Some(k) = &key {
            function = function.kms_key_arn(k.clone());
        }
        if let Some(n) = rotation.reserved_concurrency {
            function = function.reserved_concurrent_executions(n);
        }
        let mut function = ResourceDef::from(match &rotation.vpc {
            Some((subnets, groups)) => {
                function.vpc_config(map! { "SecurityGroupIds" => groups.clone(), "SubnetIds" => subnets.clone() })
            }
            None => function,
        });
        if rotation.vpc.is_none() {
            function = function.metadata(
                "checkov",
                serde_json::json!({"skip": [{"id": "CKV_AWS_117", "comment":
                    "The rotation function calls only the Secrets Manager and ElastiCache APIs, never the cache; PasswordRotation::vpc places it in subnets with a route to them"}]}),
            );
        }
        let function = r.add_resource("Function", function);
        let invoke = r.add_resource(
            "Invoke",
            CfnPermission::new(function.get_att("Arn"), "lambda:InvokeFunction", "secretsmanager.amazonaws.com")
                .source_account(Value::pseudo(crate::core::Pseudo::AccountId)),
        );
        let rules = match &rotation.schedule {
            RotationSchedule::AfterDays(days) => map! { "AutomaticallyAfterDays" => *days },
            RotationSchedule::Expression { expression, duration } => {
                let mut m = map! { "ScheduleExpression" => expression.as_str() };
                if let (Some(d), Value::Map(inner)) = (duration, &mut m) {
                    inner.insert("Duration".into(), Value::str(d.as_str()));
                }
                m
            }
        };
        let mut schedule = CfnRotationSchedule::new(self.secret.reference())
            .rotation_lambda_arn(function.get_att("Arn"))
            .rotation_rules(rules);
        if let Some(now) = rotation.rotate_immediately {
            schedule = schedule.rotate_immediately_on_update(now);
        }
        // Secrets Manager invokes the function at once: the permission and the user must exist.
        let schedule =
            r.add_resource("Schedule", ResourceDef::from(schedule).depends_on(&invoke).depends_on(user_resource));
        self.rotation = Some(schedule);
    }

    /// The password, as a dynamic reference: `{{resolve:secretsmanager:<arn>:SecretString:password::}}`.
    pub fn password(&self) -> SecretValue {
        SecretValue::secrets_manager(self.secret.reference(), Some(PASSWORD_KEY), None)
    }

    /// The secret ARN (`Ref` of the secret).
    pub fn secret_arn(&self) -> Value {
        self.secret.reference()
    }

    /// The secret (child `Password` of the user).
    pub fn default_child(&self) -> &ResourceHandle {
        &self.secret
    }

    /// The rotation schedule (child `Rotation/Schedule` of the user), when the password rotates.
    pub fn rotation_schedule(&self) -> Option<&ResourceHandle> {
        self.rotation.as_ref()
    }

    /// Grants `role` read access to the secret, as [`super::AuthSecret::grant_read`] does.
    pub fn grant_read(&self, scope: &mut impl AsScope, id: &str, to: impl Into<Principal>) -> ResourceHandle {
        read_secret(scope, id, self, Some(&to.into()))
    }

    /// The policy of [`UserPassword::grant_read`], attached to no role.
    pub fn read_policy(&self, scope: &mut impl AsScope, id: &str) -> ResourceHandle {
        read_secret(scope, id, self, None)
    }
}

/// The `Fn::Sub` text of a user's ARN (source: "Resource-level permissions",
/// <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/IAM.ResourceLevelPermissions.html>).
fn user_arn_sub(user_id: &str) -> String {
    format!("arn:${{AWS::Partition}}:elasticache:${{AWS::Region}}:${{AWS::AccountId}}:user:{user_id}")
}

/// CON038: what the rotation function cannot run with; SEC009: the schedule.
fn validate_rotation(me: &mut Scope<'_>, rotation: &PasswordRotation) {
    // SEC009 checks any template's schedule; a construct that fails has its own
    // findings dropped from the template checks, so it reports the schedule itself.
    let schedule = match &rotation.schedule {
        RotationSchedule::AfterDays(days) => facts::rotation_days_problem(i64::try_from(*days).unwrap_or(i64::MAX)),
        RotationSchedule::Expression { expression, duration } => facts::rotation_schedule_problem(expression)
            .or_else(|| duration.as_deref().and_then(facts::rotation_duration_problem)),
    };
    if let Some(why) = schedule {
        me.rule_error("SEC009", format!("password rotation: {why}"));
    }
    let mut errors = Vec::new();
    let min = facts::ROTATION_FUNCTION_MIN_TIMEOUT_SECONDS;
    if !(min..=900).contains(&rotation.timeout_seconds) {
        errors.push(format!(
            "timeout_seconds must be {min} to 900 (AWS asks at least 12 minutes for the ElastiCache user rotation function; Lambda allows 900), got {}; use 900",
            rotation.timeout_seconds
        ));
    }
    if rotation.reserved_concurrency == Some(0) {
        errors.push(
            "reserved_concurrency 0 stops the function from ever running; use 1, or None for no reservation".into(),
        );
    }
    for e in errors {
        me.rule_error("CON038", format!("password rotation: {e}"));
    }
}

impl HoldsSecret for UserPassword {
    fn secret(&self) -> &ResourceHandle {
        &self.secret
    }
    fn key(&self) -> Option<&Value> {
        self.kms_key.as_ref()
    }
}
