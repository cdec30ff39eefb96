//! Typed, validated constructs that synthesize AWS CloudFormation for
//! ElastiCache Redis and Valkey, in the style of the AWS CDK.
//!
//! ```
//! use redis_cdk::{App, Output, Parameter, ParameterType, cfn::sns::CfnTopic};
//!
//! # fn main() -> Result<(), redis_cdk::SynthError> {
//! let mut app = App::new();
//! let stack = app.add_stack("Demo");
//! let key = stack.root().add_parameter("KeyArn", Parameter::new(ParameterType::String));
//! let topic = stack.root().add_resource("Alerts", CfnTopic::new().kms_master_key_id(key.value()));
//! stack.root().add_output("TopicArn", Output::new(topic.reference()));
//! let assembly = app.synth()?;
//! assert!(assembly.stacks[0].to_json().contains("\"AWS::SNS::Topic\""));
//! # Ok(())
//! # }
//! ```
//!
//! # From the top
//!
//! - [`App`], [`Stack`] and [`Scope`] form the construct tree; every element gets a
//!   CDK-compatible logical ID from its path ([`make_unique_id`]).
//! - [`Value`] is a typed CloudFormation value: literals, intrinsics, pseudo
//!   parameters; [`SecretValue`] is the only way a secret reaches a template (an
//!   AUTH token from [`AuthSecret::token`], never a literal string: see
//!   [`SecretValue`] for why `Auth::Token("...")` does not compile, and what to write).
//! - [`cfn`] is the L1 layer: one typed struct per resource type, generated from
//!   the shipped CloudFormation schemas, and [`cfn::ResourceDef`] for any other type.
//! - [`App::synth`] turns the tree into templates ([`Assembly`]), resolving
//!   cross-stack references and running [`validate::check_template`] on each.
//! - [`validate`] checks any CloudFormation JSON template.
#![deny(missing_docs)]

pub mod assertions;
pub mod cfn;
pub mod core;
pub mod facts;
pub mod insight;
pub mod redis;
pub mod spec;
pub mod validate;

pub use crate::core::*;
pub use crate::facts::Engine;
pub use crate::redis::*;
