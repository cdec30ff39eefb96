//! The construct-tree core: values and intrinsics, the tree, template elements,
//! resource entries and logical IDs. It imports no other module of the crate:
//! synthesis ([`crate::App::synth`]), the typed layer and the rules build on it.

pub(crate) mod diagnostics;
pub(crate) mod elements;
pub(crate) mod env;
pub(crate) mod files;
pub mod logical_id;
pub mod parallel;
pub(crate) mod resource;
mod secret;
pub(crate) mod stack;
pub(crate) mod value;

pub use diagnostics::{Diagnostic, Severity, SynthError};
pub use elements::{
    ConditionHandle, DependsOn, Output, OutputHandle, Parameter, ParameterHandle, ParameterType, RemovalPolicy,
    ResourceHandle, SNAPSHOT_TYPES,
};
pub use env::{Environment, UnknownEnvironment};
pub use logical_id::{is_valid_logical_id, make_unique_id, unique_resource_name};
pub use resource::{OverrideError, ResourceDef};
pub use secret::SecretValue;
pub use stack::{is_valid_stack_name, App, AsScope, Construct, Scope, Stack, StackRef};
pub use value::{FastHash, OrderedMap, Pseudo, Target, Value};
