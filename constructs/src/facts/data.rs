//! ElastiCache facts generated from AWS-derived data. Do not edit: run
//! `python3 scripts/gen-facts.py` (a test fails when this file differs from its output).
//!
//! - cfn-lint 1.58.0 (MIT-0), schema data of 2026-10-20T22:11:15Z: node types per region
//!   (`cachenodetype_enum.json`, from the AWS pricing API) and engine versions
//!   (`engine_version.json`, from the ElastiCache API);
//! - botocore 1.44.8 (Apache-2.0), ElastiCache service model 2015-02-02: enumerations
//!   and id patterns of the API; IAM service model 2010-05-08: role name and path constraints;
//!   Secrets Manager service model 2017-10-17: rotation rule constraints;
//! - cfn-lint's `LmbdRuntimeLifecycle.json`: the newest Lambda Python runtime.

/// The sources of this file, for messages.
pub const SOURCE: &str = "cfn-lint 1.58.0 and botocore 1.44.8";

/// The date of the node-type and engine-version data (cfn-lint's schema date).
pub const DATE: &str = "2026-10-20";

/// redis engine versions ElastiCache offers for node-based caches, oldest first.
pub const REDIS_VERSIONS: &[&str] = &[
    "4.0.10", "5.0.6", "6.0", "6.2", "7.0", "7.1",
];

/// valkey engine versions ElastiCache offers for node-based caches, oldest first.
pub const VALKEY_VERSIONS: &[&str] = &[
    "7.2", "8.0", "8.1", "8.2", "9.0", "9.1",
];

/// The regions of the node-type data, sorted; bit `i` of a mask in [`NODE_TYPES`] is `REGIONS[i]`.
pub const REGIONS: &[&str] = &[
    "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
    "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "cn-north-1",
    "cn-northwest-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1",
    "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
    "us-east-1", "us-east-2", "us-gov-east-1", "us-gov-west-1", "us-west-1", "us-west-2",
];

/// Every node type of the data, sorted, with the mask of the [`REGIONS`] that offer it.
pub const NODE_TYPES: &[(&str, u64)] = &[
    ("cache.c7gn.12xlarge", 0x2301000000),
    ("cache.c7gn.16xlarge", 0x2301000000),
    ("cache.c7gn.2xlarge", 0x2301000000),
    ("cache.c7gn.4xlarge", 0x2301000000),
    ("cache.c7gn.8xlarge", 0x2301000000),
    ("cache.c7gn.large", 0x2301000000),
    ("cache.c7gn.xlarge", 0x2301000000),
    ("cache.c8gn.12xlarge", 0x3f83ffdfdb),
    ("cache.c8gn.16xlarge", 0x3f83ffdfdb),
    ("cache.c8gn.2xlarge", 0x3f83ffdfdb),
    ("cache.c8gn.4xlarge", 0x3f83ffdfdb),
    ("cache.c8gn.8xlarge", 0x3f83ffdfdb),
    ("cache.c8gn.large", 0x3f83ffdfdb),
    ("cache.c8gn.xlarge", 0x3f83ffdfdb),
    ("cache.m4.10xlarge", 0x33830e8358),
    ("cache.m4.2xlarge", 0x33830e8358),
    ("cache.m4.4xlarge", 0x33830e8358),
    ("cache.m4.large", 0x33830e8358),
    ("cache.m4.xlarge", 0x33830e8358),
    ("cache.m5.12xlarge", 0x3fbff98ffb),
    ("cache.m5.24xlarge", 0x3fbff98ffb),
    ("cache.m5.2xlarge", 0x3fbff98ffb),
    ("cache.m5.4xlarge", 0x3fbff98ffb),
    ("cache.m5.large", 0x3fbff98ffb),
    ("cache.m5.xlarge", 0x3fbff98ffb),
    ("cache.m6g.12xlarge", 0x3fffffffff),
    ("cache.m6g.16xlarge", 0x3fffffffff),
    ("cache.m6g.2xlarge", 0x3fffffffff),
    ("cache.m6g.4xlarge", 0x3fffffffff),
    ("cache.m6g.8xlarge", 0x3fffffffff),
    ("cache.m6g.large", 0x3fffffffff),
    ("cache.m6g.xlarge", 0x3fffffffff),
    ("cache.m7g.12xlarge", 0x3fffbeffff),
    ("cache.m7g.16xlarge", 0x3fffbeffff),
    ("cache.m7g.2xlarge", 0x3fffbeffff),
    ("cache.m7g.4xlarge", 0x3fffbeffff),
    ("cache.m7g.8xlarge", 0x3fffbeffff),
    ("cache.m7g.large", 0x3fffbeffff),
    ("cache.m7g.xlarge", 0x3fffbeffff),
    ("cache.m8g.12xlarge", 0x3f87ffdffb),
    ("cache.m8g.16xlarge", 0x3f87ffdffb),
    ("cache.m8g.2xlarge", 0x3f87ffdffb),
    ("cache.m8g.4xlarge", 0x3f87ffdffb),
    ("cache.m8g.8xlarge", 0x3f87ffdffb),
    ("cache.m8g.large", 0x3f87ffdffb),
    ("cache.m8g.xlarge", 0x3f87ffdffb),
    ("cache.r4.16xlarge", 0x3f870e8378),
    ("cache.r4.2xlarge", 0x3f870e8378),
    ("cache.r4.4xlarge", 0x3f870e8378),
    ("cache.r4.8xlarge", 0x3f870e8378),
    ("cache.r4.large", 0x3f870e8378),
    ("cache.r4.xlarge", 0x3f870e8378),
    ("cache.r5.12xlarge", 0x3fbfff8ffb),
    ("cache.r5.24xlarge", 0x3fbfff8ffb),
    ("cache.r5.2xlarge", 0x3fbfff8ffb),
    ("cache.r5.4xlarge", 0x3fbfff8ffb),
    ("cache.r5.large", 0x3fbfff8ffb),
    ("cache.r5.xlarge", 0x3fbfff8ffb),
    ("cache.r6g.12xlarge", 0x3fffffffff),
    ("cache.r6g.16xlarge", 0x3fffffffff),
    ("cache.r6g.2xlarge", 0x3fffffffff),
    ("cache.r6g.4xlarge", 0x3fffffffff),
    ("cache.r6g.8xlarge", 0x3fffffffff),
    ("cache.r6g.large", 0x3fffffffff),
    ("cache.r6g.xlarge", 0x3fffffffff),
    ("cache.r6gd.12xlarge", 0x3385288348),
    ("cache.r6gd.16xlarge", 0x3385288348),
    ("cache.r6gd.2xlarge", 0x3385288348),
    ("cache.r6gd.4xlarge", 0x3385288348),
    ("cache.r6gd.8xlarge", 0x3385288348),
    ("cache.r6gd.xlarge", 0x3385288348),
    ("cache.r7g.12xlarge", 0x3fffffffff),
    ("cache.r7g.16xlarge", 0x3fffffffff),
    ("cache.r7g.2xlarge", 0x3fffffffff),
    ("cache.r7g.4xlarge", 0x3fffffffff),
    ("cache.r7g.8xlarge", 0x3fffffffff),
    ("cache.r7g.large", 0x3fffffffff),
    ("cache.r7g.xlarge", 0x3fffffffff),
    ("cache.r8g.12xlarge", 0x3fc7fffffb),
    ("cache.r8g.16xlarge", 0x3fc7fffffb),
    ("cache.r8g.2xlarge", 0x3fc7fffffb),
    ("cache.r8g.4xlarge", 0x3fc7fffffb),
    ("cache.r8g.8xlarge", 0x3fc7fffffb),
    ("cache.r8g.large", 0x3fc7fffffb),
    ("cache.r8g.xlarge", 0x3fc7fffffb),
    ("cache.t2.medium", 0x3f870e8378),
    ("cache.t2.micro", 0x3f870e8378),
    ("cache.t2.small", 0x3f870e8378),
    ("cache.t3.medium", 0x3fffffdfff),
    ("cache.t3.micro", 0x3fffffdfff),
    ("cache.t3.small", 0x3fffffdfff),
    ("cache.t4g.medium", 0x3fcfffffff),
    ("cache.t4g.micro", 0x3fcfffffff),
    ("cache.t4g.small", 0x3fcfffffff),
];

/// Every CloudFormation parameter type, sorted (cfn-lint's `VALID_PARAMETER_TYPES_SINGLE`
/// and `VALID_PARAMETER_TYPES_LIST`, parameters.html).
pub const PARAMETER_TYPES: &[&str] = &[
    "AWS::EC2::AvailabilityZone::Name", "AWS::EC2::Image::Id", "AWS::EC2::Instance::Id",
    "AWS::EC2::KeyPair::KeyName", "AWS::EC2::SecurityGroup::GroupName", "AWS::EC2::SecurityGroup::Id",
    "AWS::EC2::Subnet::Id", "AWS::EC2::VPC::Id", "AWS::EC2::Volume::Id", "AWS::Route53::HostedZone::Id",
    "AWS::SSM::Parameter::Name", "AWS::SSM::Parameter::Value<AWS::EC2::AvailabilityZone::Name>",
    "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", "AWS::SSM::Parameter::Value<AWS::EC2::Instance::Id>",
    "AWS::SSM::Parameter::Value<AWS::EC2::KeyPair::KeyName>",
    "AWS::SSM::Parameter::Value<AWS::EC2::SecurityGroup::GroupName>",
    "AWS::SSM::Parameter::Value<AWS::EC2::SecurityGroup::Id>",
    "AWS::SSM::Parameter::Value<AWS::EC2::Subnet::Id>", "AWS::SSM::Parameter::Value<AWS::EC2::VPC::Id>",
    "AWS::SSM::Parameter::Value<AWS::EC2::Volume::Id>",
    "AWS::SSM::Parameter::Value<AWS::Route53::HostedZone::Id>",
    "AWS::SSM::Parameter::Value<AWS::SSM::Parameter::Name>",
    "AWS::SSM::Parameter::Value<CommaDelimitedList>",
    "AWS::SSM::Parameter::Value<List<AWS::EC2::AvailabilityZone::Name>>",
    "AWS::SSM::Parameter::Value<List<AWS::EC2::Image::Id>>",
    "AWS::SSM::Parameter::Value<List<AWS::EC2::Instance::Id>>",
    "AWS::SSM::Parameter::Value<List<AWS::EC2::SecurityGroup::GroupName>>",
    "AWS::SSM::Parameter::Value<List<AWS::EC2::SecurityGroup::Id>>",
    "AWS::SSM::Parameter::Value<List<AWS::EC2::Subnet::Id>>",
    "AWS::SSM::Parameter::Value<List<AWS::EC2::VPC::Id>>",
    "AWS::SSM::Parameter::Value<List<AWS::EC2::Volume::Id>>",
    "AWS::SSM::Parameter::Value<List<AWS::Route53::HostedZone::Id>>",
    "AWS::SSM::Parameter::Value<List<Number>>", "AWS::SSM::Parameter::Value<List<String>>",
    "AWS::SSM::Parameter::Value<Number>", "AWS::SSM::Parameter::Value<String>", "CommaDelimitedList",
    "List<AWS::EC2::AvailabilityZone::Name>", "List<AWS::EC2::Image::Id>", "List<AWS::EC2::Instance::Id>",
    "List<AWS::EC2::SecurityGroup::GroupName>", "List<AWS::EC2::SecurityGroup::Id>",
    "List<AWS::EC2::Subnet::Id>", "List<AWS::EC2::VPC::Id>", "List<AWS::EC2::Volume::Id>",
    "List<AWS::Route53::HostedZone::Id>", "List<Number>", "List<String>", "Number", "String",
];

/// The longest template `Description`, in bytes (cfn-lint `schemas/other/template/description.json`).
pub const TEMPLATE_DESCRIPTION_MAX: usize = 1024;
/// The longest parameter `Description` (cfn-lint `schemas/other/parameters`).
pub const PARAMETER_DESCRIPTION_MAX: usize = 4000;
/// The longest parameter `Default` or `AllowedValues` item (cfn-lint `schemas/other/parameters`).
pub const PARAMETER_VALUE_MAX: usize = 4096;
/// The longest output `Description` (cfn-lint `schemas/other/outputs`).
pub const OUTPUT_DESCRIPTION_MAX: usize = 1024;

/// The values the ElastiCache API takes for `ClusterMode` of a replication group (shape `ClusterMode`).
pub const CLUSTER_MODES: &[&str] = &[
    "enabled", "disabled", "compatible",
];

/// The values the ElastiCache API takes for `Durability` of a replication group (shape `Durability`).
pub const DURABILITY: &[&str] = &[
    "default", "async", "sync", "disabled",
];

/// The values the ElastiCache API takes for `NetworkType` of a cache (shape `NetworkType`).
pub const NETWORK_TYPES: &[&str] = &[
    "ipv4", "ipv6", "dual_stack",
];

/// The values the ElastiCache API takes for `IpDiscovery` of a cache (shape `IpDiscovery`).
pub const IP_DISCOVERY: &[&str] = &[
    "ipv4", "ipv6",
];

/// The values the ElastiCache API takes for `TransitEncryptionMode` (shape `TransitEncryptionMode`).
pub const TRANSIT_ENCRYPTION_MODES: &[&str] = &[
    "preferred", "required",
];

/// The values the ElastiCache API takes for `LogDeliveryConfigurations[].LogType` (shape `LogType`).
pub const LOG_TYPES: &[&str] = &[
    "slow-log", "engine-log",
];

/// The values the ElastiCache API takes for `LogDeliveryConfigurations[].LogFormat` (shape `LogFormat`).
pub const LOG_FORMATS: &[&str] = &[
    "text", "json",
];

/// The values the ElastiCache API takes for `LogDeliveryConfigurations[].DestinationType` (shape `DestinationType`).
pub const LOG_DESTINATION_TYPES: &[&str] = &[
    "cloudwatch-logs", "kinesis-firehose",
];

/// The values the ElastiCache API takes for `AuthenticationMode.Type` of a user (shape `InputAuthenticationType`).
pub const USER_AUTHENTICATION_TYPES: &[&str] = &[
    "password", "no-password-required", "iam",
];

/// The ElastiCache API's constraint on `NodeGroupConfiguration[].NodeGroupId` (shape `AllowedNodeGroupId`): pattern, shortest, longest.
pub const NODE_GROUP_ID: (&str, usize, usize) = ("\\d+", 1, 4);

/// The IAM API's constraint on a role name (shape `roleNameType`): pattern, shortest, longest.
pub const IAM_ROLE_NAME: (&str, usize, usize) = ("[\\w+=,.@-]+", 1, 64);

/// The IAM API's constraint on a user name (AttachUserPolicy's UserName) (shape `userNameType`): pattern, shortest, longest.
pub const IAM_USER_NAME: (&str, usize, usize) = ("[\\w+=,.@-]+", 1, 64);

/// The IAM API's constraint on a group name (AttachGroupPolicy's GroupName) (shape `groupNameType`): pattern, shortest, longest.
pub const IAM_GROUP_NAME: (&str, usize, usize) = ("[\\w+=,.@-]+", 1, 128);

/// The IAM API's constraint on a role, user or group path (shape `pathType`): pattern, shortest, longest.
pub const IAM_PATH: (&str, usize, usize) = ("(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)", 1, 512);

/// The newest Lambda Python runtime (the one no runtime succeeds in cfn-lint's
/// `LmbdRuntimeLifecycle.json`), deprecated on 2029-06-30: the rotation function's default.
pub const LAMBDA_PYTHON_RUNTIME: &str = "python3.14";

/// The Secrets Manager API's range of `RotationRules.AutomaticallyAfterDays`
/// (shape `AutomaticallyRotateAfterDaysType`): shortest, longest.
pub const ROTATION_DAYS: (u64, u64) = (1, 1000);

/// The Secrets Manager API's constraint on `RotationRules.ScheduleExpression` (shape `ScheduleExpressionType`): pattern, shortest, longest.
pub const ROTATION_SCHEDULE_EXPRESSION: (&str, usize, usize) = ("[0-9A-Za-z\\(\\)#\\?\\*\\-\\/, ]+", 1, 256);

/// The Secrets Manager API's constraint on `RotationRules.Duration` (shape `DurationType`): pattern, shortest, longest.
pub const ROTATION_DURATION: (&str, usize, usize) = ("[0-9]+h", 2, 3);
