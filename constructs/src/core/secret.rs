//! Secret values: the only way a secret reaches a template is a dynamic
//! reference resolved by CloudFormation at deploy time, or a `NoEcho` parameter.
//! There is deliberately no constructor from a literal string.

use super::value::Value;

/// A secret used by a resource property, such as a Redis AUTH token.
///
/// It renders as a dynamic reference (`{{resolve:secretsmanager:...}}`,
/// `{{resolve:ssm-secure:...}}`) or a `Ref` to a `NoEcho` parameter, so the
/// secret itself never appears in the template.
///
/// # Where a secret comes from
///
/// - a generated AUTH token: [`AuthSecret::token`](crate::AuthSecret::token), the usual way;
/// - a secret that exists already: [`SecretValue::secrets_manager`] or [`SecretValue::ssm_secure`];
/// - a value given at deploy time: [`SecretValue::from_parameter`] of a `NoEcho` parameter.
///
/// A literal token is refused at compile time, on purpose: it would be in the
/// template, in every copy of it, and in CloudFormation's console. There is no
/// `From<&str>`, so this does not compile (rustc: "the trait `From<&str>` is not
/// implemented for `SecretValue`", E0277):
///
/// ```compile_fail,E0277
/// use redis_cdk::{Auth, SecretValue};
/// let auth = Auth::Token(SecretValue::from("my-literal-token"));
/// ```
///
/// nor does passing the string itself (E0308, "expected `SecretValue`"):
///
/// ```compile_fail,E0308
/// use redis_cdk::Auth;
/// let auth = Auth::Token("my-literal-token");
/// ```
///
/// Keep the token in Secrets Manager instead, and pass its reference:
///
/// ```
/// use redis_cdk::{App, Auth, AuthSecret, AuthSecretProps, SecretValue};
/// let mut app = App::new();
/// let stack = app.add_stack("Demo");
/// let token = AuthSecret::new(stack, "AuthToken", AuthSecretProps::default());
/// let generated = Auth::Token(token.token());
/// let existing = Auth::Token(SecretValue::secrets_manager("prod/redis/auth", Some("token"), None));
/// # let _ = (generated, existing);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SecretValue(Value);

impl SecretValue {
    /// `{{resolve:secretsmanager:SECRET:SecretString:JSON_KEY:VERSION_STAGE:}}`.
    ///
    /// `secret` is a secret name or ARN, literal or a reference (such as a secret's
    /// `Ref`); `json_key` selects a key of a JSON secret string, `None` the whole string.
    pub fn secrets_manager(secret: impl Into<Value>, json_key: Option<&str>, version_stage: Option<&str>) -> Self {
        let tail = format!(":SecretString:{}:{}:}}}}", json_key.unwrap_or(""), version_stage.unwrap_or(""));
        let secret = secret.into();
        SecretValue(match secret {
            Value::String(s) => Value::String(format!("{{{{resolve:secretsmanager:{s}{tail}")),
            other => Value::concat([Value::str("{{resolve:secretsmanager:"), other, Value::String(tail)]),
        })
    }

    /// `{{resolve:ssm-secure:NAME}}` or `{{resolve:ssm-secure:NAME:VERSION}}`.
    pub fn ssm_secure(name: &str, version: Option<u32>) -> Self {
        SecretValue(Value::String(match version {
            Some(v) => format!("{{{{resolve:ssm-secure:{name}:{v}}}}}"),
            None => format!("{{{{resolve:ssm-secure:{name}}}}}"),
        }))
    }

    /// A `Ref` to a `NoEcho` parameter; `None` when the parameter is not `NoEcho`,
    /// since CloudFormation would then show its value in the console and API.
    pub fn from_parameter(parameter: &super::ParameterHandle) -> Option<Self> {
        parameter.no_echo().then(|| SecretValue(parameter.value()))
    }

    /// The dynamic reference or parameter reference, for composing into other
    /// values (such as a connection document in another secret). It never holds the
    /// secret itself.
    pub fn into_value(self) -> Value {
        self.0
    }

    /// The value, borrowed.
    pub fn as_value(&self) -> &Value {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::value::Target;

    #[test]
    fn renders_cdk_shapes() {
        assert_eq!(
            SecretValue::secrets_manager("my/secret", None, None).into_value(),
            Value::str("{{resolve:secretsmanager:my/secret:SecretString:::}}")
        );
        assert_eq!(
            SecretValue::secrets_manager("my/secret", Some("token"), None).into_value(),
            Value::str("{{resolve:secretsmanager:my/secret:SecretString:token::}}")
        );
        assert_eq!(
            SecretValue::secrets_manager("arn:x", Some("token"), Some("AWSCURRENT")).into_value(),
            Value::str("{{resolve:secretsmanager:arn:x:SecretString:token:AWSCURRENT:}}")
        );
        assert_eq!(
            SecretValue::ssm_secure("/p/name", Some(3)).into_value(),
            Value::str("{{resolve:ssm-secure:/p/name:3}}")
        );
        assert_eq!(SecretValue::ssm_secure("/p/name", None).into_value(), Value::str("{{resolve:ssm-secure:/p/name}}"));
        let t = Target { stack: "S".into(), path: "Cache/AuthToken/Resource".into() };
        assert_eq!(
            SecretValue::secrets_manager(Value::Ref(t.clone()), Some("token"), None).into_value(),
            Value::concat([
                Value::str("{{resolve:secretsmanager:"),
                Value::Ref(t),
                Value::str(":SecretString:token::}}")
            ])
        );
    }
}
