//! Declarative specs: the same constructs, validation and templates from a JSON
//! file, for teams that do not write Rust.
//!
//! A spec names stacks, and in each its parameters, constructs and outputs.
//! Each construct has a `kind` and the construct's own props type under `props`
//! (the serde form of [`crate::ReplicationGroupProps`] and the others, so the spec
//! and the Rust API are one model), plus the ids of the constructs it uses:
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let spec = r#"{
//!   "stacks": { "Cache": {
//!     "parameters": {
//!       "VpcId": { "type": "AWS::EC2::VPC::Id" },
//!       "SubnetIds": { "type": "List<AWS::EC2::Subnet::Id>" }
//!     },
//!     "constructs": {
//!       "Access": { "kind": "vpc_access", "props": { "vpc_id": { "Ref": "VpcId" }, "subnet_ids": { "Ref": "SubnetIds" } } },
//!       "AuthToken": { "kind": "auth_secret" },
//!       "Redis": { "kind": "replication_group", "access": "Access", "auth": { "secret": "AuthToken" },
//!                  "props": { "replicas": 1 } }
//!     },
//!     "outputs": { "Host": { "value": { "construct": "Redis", "attribute": "primary_endpoint_address" } } }
//!   } },
//!   "environments": { "prod": { "stacks": { "Cache": { "constructs": { "Redis": { "props": { "replicas": 2 } } } } } } }
//! }"#;
//! let app = redis_cdk::spec::load(spec, "spec.json", redis_cdk::Environment::Prod)?;
//! let assembly = app.synth()?;
//! assert!(assembly.stacks[0].to_json().contains("\"NumCacheClusters\": 3"));
//! # Ok(())
//! # }
//! ```
//!
//! Loading checks the file against [`schema`] first and reports every mistake at
//! once, each as `FILE: /json/pointer: expected ..., found ...`; then the
//! constructs validate as they do for Rust programs, at synth.

mod build;
mod check;
mod model;

pub use build::{monthly_cost_label, DEFAULT_PRICING_REGION};
pub use model::*;

use crate::core::{App, Environment};
use serde_json::Value as J;
use std::sync::OnceLock;

/// The mistakes of a spec, each `FILE: /json/pointer: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", messages.join("\n"))]
pub struct SpecError {
    /// One line per mistake, in document order.
    pub messages: Vec<String>,
}

/// The JSON Schema (draft 2020-12) of a spec file, with the props' docs as
/// descriptions and their defaults: what `synth schema` prints.
pub fn schema() -> J {
    schema_ref().clone()
}

pub(crate) fn schema_ref() -> &'static J {
    static SCHEMA: OnceLock<J> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
        check::finish_schema(generator.into_root_schema_for::<Spec>().to_value())
    })
}

/// Builds the app of the spec `text` for `env`; `source` names the file in messages.
///
/// # Errors
///
/// A [`SpecError`] listing every mistake: JSON syntax, schema violations (with
/// the JSON pointer, what was expected and what was found, and a did-you-mean
/// for close names), and construct ids that are unknown or of the wrong kind.
/// Construct validation (ranges across props, AWS limits) runs later, at synth.
pub fn load(text: &str, source: &str, env: Environment) -> Result<App, SpecError> {
    let doc: J = serde_json::from_str(text).map_err(|e| SpecError {
        messages: vec![format!("{source}: line {}, column {}: {e}", e.line(), e.column())],
    })?;
    from_json(&doc, source, env)
}

/// Reads and builds the spec file at `path`; see [`load`].
///
/// # Errors
///
/// As [`load`], and when the file cannot be read.
pub fn load_file(path: &std::path::Path, env: Environment) -> Result<App, SpecError> {
    let source = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| SpecError { messages: vec![format!("{source}: cannot read the spec: {e}")] })?;
    load(&text, &source, env)
}

/// Builds the app of a parsed spec document for `env`; see [`load`].
///
/// # Errors
///
/// As [`load`].
pub fn from_json(doc: &J, source: &str, env: Environment) -> Result<App, SpecError> {
    let fail = |messages: Vec<String>| SpecError { messages };
    let errors = check::schema_errors(doc);
    if !errors.is_empty() {
        return Err(fail(errors.into_iter().map(|e| format!("{source}: {e}")).collect()));
    }
    let effective = effective(doc, env);
    let errors = check::schema_errors(&effective);
    if !errors.is_empty() {
        return Err(fail(errors.into_iter().map(|e| format!("{source} (with the {env} patch): {e}")).collect()));
    }
    let spec: Spec = serde_json::from_value(effective).map_err(|e| fail(vec![format!("{source}: {e}")]))?;
    build::build(&spec, source, env)
}

/// The spec as built for `env`: its `environments` patch applied, the
/// `environments` and `$schema` keys dropped.
pub fn effective(doc: &J, env: Environment) -> J {
    let mut out = doc.clone();
    let patch = doc.get("environments").and_then(|e| e.get(env.name())).cloned();
    if let Some(o) = out.as_object_mut() {
        o.shift_remove("environments");
        o.shift_remove("$schema");
    }
    if let Some(p) = patch {
        check::merge_patch(&mut out, &p);
    }
    out
}

/// A JSON pointer segment (RFC 6901): `~` and `/` escaped.
pub(crate) fn pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
