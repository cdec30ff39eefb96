//! The construct-tree core: values and intrinsics, the tree, template elements,
//! logical IDs and synthesis.

mod diagnostics;
mod elements;
mod env;
mod files;
pub mod logical_id;
mod secret;
mod stack;
mod synth;
mod value;

pub use diagnostics::{Diagnostic, Severity, SynthError};
pub use elements::{
    ConditionHandle, DependsOn, Output, OutputHandle, Parameter, ParameterHandle, ParameterType, RemovalPolicy,
    ResourceHandle, SNAPSHOT_TYPES,
};
pub use env::{Environment, UnknownEnvironment};
pub use logical_id::{is_valid_logical_id, make_unique_id, unique_resource_name};
pub use secret::SecretValue;
pub use stack::{is_valid_stack_name, App, AsScope, Construct, Scope, Stack, StackRef};
pub(crate) use synth::available_cores;
pub use synth::{to_pretty_json, Assembly, StackArtifact, CLOUD_ASSEMBLY_VERSION};
pub use value::{FastHash, OrderedMap, Pseudo, Target, Value};
