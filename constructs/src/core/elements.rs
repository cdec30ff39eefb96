//! Template elements other than resources' bodies: parameters, conditions,
//! outputs, resource attributes, and the handles constructs return.

use super::resource::ResourceDef;
use super::value::{Target, Value};

#[derive(Debug, Clone)]
pub(crate) enum Element {
    Resource(ResourceDef),
    Parameter(Parameter),
    Condition(Value),
    Output(Output),
}

/// `DeletionPolicy` and `UpdateReplacePolicy` together, as CDK's `RemovalPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
#[serde(rename_all = "snake_case")]
pub enum RemovalPolicy {
    /// `Delete` / `Delete`: the resource and its data go away.
    Destroy,
    /// `Retain` / `Retain`: the resource is kept, outside the stack.
    Retain,
    /// `RetainExceptOnCreate` / `Retain`.
    RetainOnUpdateOrDelete,
    /// `Snapshot` / `Snapshot`: a final snapshot is taken first (only some types).
    Snapshot,
}

/// The types that accept `DeletionPolicy: Snapshot`.
pub const SNAPSHOT_TYPES: &[&str] = &[
    "AWS::DocDB::DBCluster",
    "AWS::EC2::Volume",
    "AWS::ElastiCache::CacheCluster",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::Neptune::DBCluster",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::Redshift::Cluster",
];

impl RemovalPolicy {
    /// The `DeletionPolicy` value.
    pub fn deletion_policy(self) -> &'static str {
        match self {
            RemovalPolicy::Destroy => "Delete",
            RemovalPolicy::Retain => "Retain",
            RemovalPolicy::RetainOnUpdateOrDelete => "RetainExceptOnCreate",
            RemovalPolicy::Snapshot => "Snapshot",
        }
    }

    /// The `UpdateReplacePolicy` value.
    pub fn update_replace_policy(self) -> &'static str {
        match self {
            RemovalPolicy::Destroy => "Delete",
            RemovalPolicy::Retain | RemovalPolicy::RetainOnUpdateOrDelete => "Retain",
            RemovalPolicy::Snapshot => "Snapshot",
        }
    }
}

/// The target of a `DependsOn`: a resource of the tree or a raw logical ID.
#[derive(Debug, Clone, PartialEq)]
pub enum DependsOn {
    /// A resource of the same stack.
    Resource(Target),
    /// A raw logical ID (checked at synth to exist).
    LogicalId(String),
}

impl From<&ResourceHandle> for DependsOn {
    fn from(h: &ResourceHandle) -> Self {
        DependsOn::Resource(h.target.clone())
    }
}

/// The type of a template parameter.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub enum ParameterType {
    /// `String`
    #[serde(rename = "String")]
    String,
    /// `Number`
    #[serde(rename = "Number")]
    Number,
    /// `List<Number>`
    #[serde(rename = "List<Number>")]
    NumberList,
    /// `CommaDelimitedList`
    #[serde(rename = "CommaDelimitedList")]
    CommaDelimitedList,
    /// `AWS::EC2::VPC::Id`
    #[serde(rename = "AWS::EC2::VPC::Id")]
    VpcId,
    /// `AWS::EC2::Subnet::Id`
    #[serde(rename = "AWS::EC2::Subnet::Id")]
    SubnetId,
    /// `List<AWS::EC2::Subnet::Id>`
    #[serde(rename = "List<AWS::EC2::Subnet::Id>")]
    SubnetIdList,
    /// `AWS::EC2::SecurityGroup::Id`
    #[serde(rename = "AWS::EC2::SecurityGroup::Id")]
    SecurityGroupId,
    /// `List<AWS::EC2::SecurityGroup::Id>`
    #[serde(rename = "List<AWS::EC2::SecurityGroup::Id>")]
    SecurityGroupIdList,
    /// `AWS::SSM::Parameter::Value<String>`
    #[serde(rename = "AWS::SSM::Parameter::Value<String>")]
    SsmString,
    /// Any other type name, written as is.
    #[serde(untagged)]
    Other(String),
}

impl ParameterType {
    /// The name CloudFormation uses.
    pub fn name(&self) -> &str {
        match self {
            ParameterType::String => "String",
            ParameterType::Number => "Number",
            ParameterType::NumberList => "List<Number>",
            ParameterType::CommaDelimitedList => "CommaDelimitedList",
            ParameterType::VpcId => "AWS::EC2::VPC::Id",
            ParameterType::SubnetId => "AWS::EC2::Subnet::Id",
            ParameterType::SubnetIdList => "List<AWS::EC2::Subnet::Id>",
            ParameterType::SecurityGroupId => "AWS::EC2::SecurityGroup::Id",
            ParameterType::SecurityGroupIdList => "List<AWS::EC2::SecurityGroup::Id>",
            ParameterType::SsmString => "AWS::SSM::Parameter::Value<String>",
            ParameterType::Other(s) => s,
        }
    }

    /// Whether a `Ref` to such a parameter is a list.
    pub fn is_list(&self) -> bool {
        self.name().starts_with("List<") || *self == ParameterType::CommaDelimitedList
    }
}

/// A template parameter. It is also the `parameters` entry of a JSON spec, hence
/// the serde names and field docs.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// `Type`, such as `AWS::EC2::VPC::Id` or `List<AWS::EC2::Subnet::Id>`.
    #[serde(rename = "type")]
    pub(crate) parameter_type: ParameterType,
    /// `Description`. Default: none.
    #[serde(default)]
    pub(crate) description: Option<String>,
    /// `Default`. Default: none, so a value is required at deploy time.
    #[serde(default)]
    pub(crate) default: Option<serde_json::Value>,
    /// `AllowedValues`. Default: any value.
    #[serde(default)]
    pub(crate) allowed_values: Vec<String>,
    /// `AllowedPattern`. Default: any value.
    #[serde(default)]
    pub(crate) allowed_pattern: Option<String>,
    /// `ConstraintDescription`. Default: none.
    #[serde(default)]
    pub(crate) constraint_description: Option<String>,
    /// `MinLength`. Default: no bound.
    #[serde(default)]
    pub(crate) min_length: Option<u32>,
    /// `MaxLength`. Default: no bound.
    #[serde(default)]
    pub(crate) max_length: Option<u32>,
    /// `MinValue`. Default: no bound.
    #[serde(default)]
    pub(crate) min_value: Option<f64>,
    /// `MaxValue`. Default: no bound.
    #[serde(default)]
    pub(crate) max_value: Option<f64>,
    /// `NoEcho`. Default: false.
    #[serde(default)]
    pub(crate) no_echo: bool,
}

impl Parameter {
    /// A parameter of `parameter_type` with no default (the deployer must give a value).
    pub fn new(parameter_type: ParameterType) -> Self {
        Parameter {
            parameter_type,
            default: None,
            allowed_pattern: None,
            allowed_values: Vec::new(),
            constraint_description: None,
            description: None,
            max_length: None,
            max_value: None,
            min_length: None,
            min_value: None,
            no_echo: false,
        }
    }

    /// `Default`. Default: none, so a value is required at deploy time.
    pub fn default_value(mut self, v: impl Into<serde_json::Value>) -> Self {
        self.default = Some(v.into());
        self
    }

    /// `AllowedPattern`. Default: any value.
    pub fn allowed_pattern(mut self, p: impl Into<String>) -> Self {
        self.allowed_pattern = Some(p.into());
        self
    }

    /// `AllowedValues`. Default: any value.
    pub fn allowed_values<S: Into<String>>(mut self, v: impl IntoIterator<Item = S>) -> Self {
        self.allowed_values = v.into_iter().map(Into::into).collect();
        self
    }

    /// `ConstraintDescription`. Default: none.
    pub fn constraint_description(mut self, d: impl Into<String>) -> Self {
        self.constraint_description = Some(d.into());
        self
    }

    /// `Description`. Default: none.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// `MinLength` and `MaxLength`. Default: no bounds.
    pub fn length(mut self, min: u32, max: u32) -> Self {
        self.min_length = Some(min);
        self.max_length = Some(max);
        self
    }

    /// `MinValue` and `MaxValue`. Default: no bounds.
    pub fn range(mut self, min: f64, max: f64) -> Self {
        self.min_value = Some(min);
        self.max_value = Some(max);
        self
    }

    /// `NoEcho: true`: the value is masked in the console and API. Default: echoed.
    pub fn no_echo(mut self) -> Self {
        self.no_echo = true;
        self
    }
}

/// A template output.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub(crate) value: Value,
    pub(crate) description: Option<String>,
    pub(crate) export_name: Option<Value>,
    pub(crate) condition: Option<Target>,
}

impl Output {
    /// An output of `value`.
    pub fn new(value: impl Into<Value>) -> Self {
        Output { value: value.into(), description: None, export_name: None, condition: None }
    }

    /// `Description`. Default: none.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// `Export.Name`, for `Fn::ImportValue` from other stacks. Default: not exported.
    /// Export names must be unique in the account and region; synth checks them across the app.
    pub fn export_name(mut self, name: impl Into<Value>) -> Self {
        self.export_name = Some(name.into());
        self
    }

    /// `Condition`: the output exists only when the condition holds. Default: always.
    pub fn condition(mut self, c: &ConditionHandle) -> Self {
        self.condition = Some(c.target.clone());
        self
    }
}

/// A resource of the tree: its `Ref` and attributes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResourceHandle {
    target: Target,
    type_name: String,
}

impl ResourceHandle {
    pub(crate) fn new(target: Target, type_name: String) -> Self {
        ResourceHandle { target, type_name }
    }

    /// `{"Ref": LogicalId}` of the resource.
    pub fn reference(&self) -> Value {
        Value::Ref(self.target.clone())
    }

    /// `{"Fn::GetAtt": [LogicalId, attribute]}`; synth checks the attribute exists.
    pub fn get_att(&self, attribute: &str) -> Value {
        Value::GetAtt(self.target.clone(), attribute.to_string())
    }

    /// The element the handle points to.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The CloudFormation type of the resource.
    pub fn type_name(&self) -> &str {
        &self.type_name
    }
}

/// A parameter of the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterHandle {
    target: Target,
    no_echo: bool,
    parameter_type: ParameterType,
    default: Option<serde_json::Value>,
}

impl ParameterHandle {
    pub(crate) fn new(
        target: Target,
        no_echo: bool,
        parameter_type: ParameterType,
        default: Option<serde_json::Value>,
    ) -> Self {
        ParameterHandle { target, no_echo, parameter_type, default }
    }

    /// `{"Ref": ParameterName}`.
    pub fn value(&self) -> Value {
        Value::Ref(self.target.clone())
    }

    /// Whether the parameter is `NoEcho`.
    pub fn no_echo(&self) -> bool {
        self.no_echo
    }

    /// The parameter type.
    pub fn parameter_type(&self) -> &ParameterType {
        &self.parameter_type
    }

    /// The default value, if any.
    pub fn default_value(&self) -> Option<&serde_json::Value> {
        self.default.as_ref()
    }

    /// The element the handle points to.
    pub fn target(&self) -> &Target {
        &self.target
    }
}

/// A condition of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionHandle {
    target: Target,
}

impl ConditionHandle {
    pub(crate) fn new(target: Target) -> Self {
        ConditionHandle { target }
    }

    /// `{"Fn::If": [Condition, if_true, if_false]}`.
    pub fn if_then(&self, if_true: impl Into<Value>, if_false: impl Into<Value>) -> Value {
        Value::If(self.target.clone(), Box::new(if_true.into()), Box::new(if_false.into()))
    }

    /// `{"Condition": Name}`, for use inside `Fn::And`, `Fn::Or` and `Fn::Not`.
    pub fn value(&self) -> Value {
        Value::Condition(self.target.clone())
    }

    /// The element the handle points to.
    pub fn target(&self) -> &Target {
        &self.target
    }
}

/// An output of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputHandle {
    target: Target,
}

impl OutputHandle {
    pub(crate) fn new(target: Target) -> Self {
        OutputHandle { target }
    }

    /// The element the handle points to.
    pub fn target(&self) -> &Target {
        &self.target
    }
}
