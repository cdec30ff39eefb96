//! Change safety and insight over synthesized templates, as pure functions:
//!
//! - [`diff_templates`]: what a deploy would change, with every replacement
//!   flagged and data loss called out ([`TemplateDiff`]);
//! - [`assembly_cost`] / [`template_cost`]: the on-demand monthly estimate of the
//!   caches, per stack and resource ([`CostReport`]);
//! - [`diagram()`]: the stacks, their resources grouped by construct and the
//!   references between them, as Mermaid or Graphviz DOT ([`Diagram`]).
//!
//! The `synth diff`, `synth cost` and `synth diagram` subcommands are thin
//! wrappers over these.

pub mod cost;
pub mod diagram;
pub mod diff;

pub use cost::{assembly_cost, assembly_cost_in, template_cost, CostLine, CostReport, StackCost};
pub use diagram::{diagram, Diagram, DiagramEdge, DiagramNode, EdgeKind};
pub use diff::{
    diff_templates, ChangeKind, DataLoss, Effect, EntryDiff, PropertyDiff, ResourceDiff, Style, TemplateDiff,
};

/// The last part of a resource type, as diffs and diagrams show it:
/// `ReplicationGroup` for `AWS::ElastiCache::ReplicationGroup`.
fn short_type(t: &str) -> &str {
    t.rsplit("::").next().unwrap_or(t)
}
