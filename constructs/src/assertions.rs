//! Template assertions for tests, like CDK's `Template.fromStack(...)`: state
//! only the fragment a test is about.
//!
//! ```
//! use redis_cdk::assertions::Template;
//! use serde_json::json;
//!
//! let t = Template::new(json!({"Resources": {"A": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "x", "DisplayName": "y"}}}}));
//! t.has_resource_properties("AWS::SNS::Topic", &json!({"TopicName": "x"})).unwrap();
//! assert_eq!(t.resource_count("AWS::SNS::Topic"), 1);
//! ```

use serde_json::Value as J;

/// A synthesized template under test.
#[derive(Debug, Clone)]
pub struct Template {
    json: J,
    /// (logical id, construct path), when made from a stack artifact.
    paths: Vec<(String, String)>,
}

impl Template {
    /// Wraps a template.
    pub fn new(json: J) -> Self {
        Template { json, paths: Vec::new() }
    }

    /// The template of a synthesized stack, with the construct path of each element.
    pub fn from_artifact(artifact: &crate::StackArtifact) -> Self {
        let paths = artifact.logical_ids.iter().map(|(id, path)| (id.clone(), path.clone())).collect();
        Template { json: artifact.template.clone(), paths }
    }

    /// The logical id of the element at construct `path` (below the stack, such as
    /// `Cache/Resource`), as a template of [`Template::from_artifact`] knows it.
    ///
    /// # Errors
    ///
    /// When no element has that path, with the paths there are.
    pub fn logical_id_at(&self, path: &str) -> Result<&str, String> {
        match self.paths.iter().find(|(_, p)| p == path) {
            Some((id, _)) => Ok(id),
            None => {
                Err(format!("no element at {path}; have {:?}", self.paths.iter().map(|(_, p)| p).collect::<Vec<_>>()))
            }
        }
    }

    /// The resource at construct `path` (see [`Template::logical_id_at`]).
    ///
    /// # Errors
    ///
    /// When no resource has that path.
    pub fn resource_at(&self, path: &str) -> Result<&J, String> {
        let id = self.logical_id_at(path)?;
        self.json["Resources"].get(id).ok_or_else(|| format!("{path} ({id}) is not a resource"))
    }

    /// The resource at construct `path` has properties matching `partial` (as
    /// [`Template::has_resource_properties`] matches).
    ///
    /// # Errors
    ///
    /// When there is no such resource, or its properties do not match, with both.
    pub fn has_properties_at(&self, path: &str, partial: &J) -> Result<(), String> {
        let props = &self.resource_at(path)?["Properties"];
        if matches(props, partial) {
            Ok(())
        } else {
            Err(format!("{path}: {props:#}\ndoes not contain\n{partial:#}"))
        }
    }

    /// The whole template.
    pub fn json(&self) -> &J {
        &self.json
    }

    /// Every resource of `type_name`, as (logical id, resource).
    pub fn resources(&self, type_name: &str) -> Vec<(&str, &J)> {
        self.json["Resources"]
            .as_object()
            .map(|m| m.iter().filter(|(_, r)| r["Type"] == type_name).map(|(k, v)| (k.as_str(), v)).collect())
            .unwrap_or_default()
    }

    /// How many resources of `type_name` there are.
    pub fn resource_count(&self, type_name: &str) -> usize {
        self.resources(type_name).len()
    }

    /// The only resource of `type_name`'s properties.
    ///
    /// # Errors
    ///
    /// When there is not exactly one such resource.
    pub fn only_properties(&self, type_name: &str) -> Result<&J, String> {
        match self.resources(type_name).as_slice() {
            [(_, r)] => Ok(&r["Properties"]),
            other => Err(format!("expected one {type_name}, found {}", other.len())),
        }
    }

    /// Some resource of `type_name` has properties matching `partial` (objects may
    /// have more keys; arrays must match element by element).
    ///
    /// # Errors
    ///
    /// A message listing the candidates when none matches.
    pub fn has_resource_properties(&self, type_name: &str, partial: &J) -> Result<(), String> {
        let candidates = self.resources(type_name);
        if candidates.iter().any(|(_, r)| matches(&r["Properties"], partial)) {
            return Ok(());
        }
        Err(format!(
            "no {type_name} has properties like {partial}; candidates: {}",
            candidates.iter().map(|(id, r)| format!("{id}: {}", r["Properties"])).collect::<Vec<_>>().join("; ")
        ))
    }

    /// Some resource of `type_name` matches `partial` as a whole entry
    /// (`Type`, `Properties`, `DeletionPolicy`, ...).
    ///
    /// # Errors
    ///
    /// When none matches.
    pub fn has_resource(&self, type_name: &str, partial: &J) -> Result<(), String> {
        if self.resources(type_name).iter().any(|(_, r)| matches(r, partial)) {
            Ok(())
        } else {
            Err(format!("no {type_name} matches {partial}"))
        }
    }
}

/// Whether `actual` matches `pattern` like CDK's `Match.objectLike`, recursively.
pub fn matches(actual: &J, pattern: &J) -> bool {
    match (actual, pattern) {
        (J::Object(a), J::Object(p)) => p.iter().all(|(k, pv)| a.get(k).is_some_and(|av| matches(av, pv))),
        (J::Array(a), J::Array(p)) => a.len() == p.len() && a.iter().zip(p).all(|(av, pv)| matches(av, pv)),
        _ => actual == pattern,
    }
}
