//! Diagnostics: every problem synth finds, collected and reported together.

use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing, never a failure: `synth check` reports it (for example a
    /// part of a template it could not evaluate) and counts it apart.
    Info,
    /// Synth goes on; the CLI prints it to stderr.
    Warning,
    /// Synth fails and writes no template.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A problem found while building or synthesizing the tree, at a construct path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The full construct path, starting with the stack name.
    pub path: String,
    /// What is wrong, with the bad value and the fix.
    pub message: String,
    /// The stable id of the rule that found it, when a rule did.
    pub rule: Option<String>,
}

impl Diagnostic {
    /// An error at `path`.
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, path: path.into(), message: message.into(), rule: None }
    }

    /// The diagnostic, found by rule `rule` of the rule set.
    #[must_use]
    pub fn with_rule(mut self, rule: &str) -> Self {
        self.rule = Some(rule.to_string());
        self
    }

    /// A warning at `path`.
    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, path: path.into(), message: message.into(), rule: None }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] ", self.path)?;
        if let Some(rule) = &self.rule {
            write!(f, "[{rule}] ")?;
        }
        f.write_str(&self.message)
    }
}

/// Synth failed: every error found, in tree order, plus the warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthError {
    /// All diagnostics (errors and warnings).
    pub diagnostics: Vec<Diagnostic>,
}

impl SynthError {
    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error)
    }
}

impl fmt::Display for SynthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "validation failed with the following errors:")?;
        for d in self.errors() {
            writeln!(f, "  {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SynthError {}
