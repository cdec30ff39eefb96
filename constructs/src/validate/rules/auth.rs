//! AUTH tokens and passwords (SEC001, SEC003, SEC006, SEC007): where they come
//! from, and whether ElastiCache accepts them; and the policies that read them
//! (SEC008: attached by name, as IAM requires); and the schedules that rotate
//! them (SEC009: rotation rules the Secrets Manager API takes; SEC010: a copy of a
//! rotating secret's value, in a secret, a function's environment, a task
//! definition or a parameter, which goes stale).
//!
//! An AUTH token (`AuthToken` of a replication group) has the AUTH token rules:
//! 16 to 128 printable characters, punctuation only from `!&#$^<>-`. An RBAC user's
//! password has rules of its own: 16 to 128 printable characters, none of `,` `"`
//! `/` `@` (source: <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html>,
//! "Passwords must be 16–128 printable characters", "The following nonalphanumeric
//! characters are not allowed: , \" / @").

use super::finding;
use crate::facts;
use crate::template::{
    self, sub_variables, Intrinsic, Lit, NoTrail, Reference, SecretRef, Template, Visit, DYNAMIC_SECRET,
};
use crate::validate::Finding;
use serde_json::{Map, Value as J};

const SECRET: &str = "AWS::SecretsManager::Secret";

/// Characters Secrets Manager may put in a generated password that ElastiCache
/// rejects in an AUTH token.
fn rejected_punctuation() -> impl Iterator<Item = char> {
    (b'!'..=b'~')
        .map(char::from)
        .filter(|c| c.is_ascii_punctuation() && !facts::AUTH_TOKEN_ALLOWED_PUNCTUATION.contains(*c))
}

/// A token-bearing value: where it is and what kind of secret it holds.
struct Token<'a> {
    owner: &'a str,
    path: String,
    value: &'a J,
    what: &'static str,
    /// An AUTH token (character rules apply), not a user password.
    auth_token: bool,
}

fn tokens<'a>(t: &Template<'a>) -> Vec<Token<'a>> {
    let mut v = Vec::new();
    for (id, p) in t.of_type("AWS::ElastiCache::ReplicationGroup") {
        if let Some(value) = p.get("AuthToken") {
            v.push(Token {
                owner: id,
                path: "Properties.AuthToken".into(),
                value,
                what: "AUTH token",
                auth_token: true,
            });
        }
    }
    for (id, p) in t.of_type("AWS::ElastiCache::User") {
        if let Some(J::Array(list)) = p.get("Passwords") {
            for (i, value) in list.iter().enumerate() {
                v.push(Token {
                    owner: id,
                    path: format!("Properties.Passwords.{i}"),
                    value,
                    what: "password",
                    auth_token: false,
                });
            }
        }
        if let Some(J::Array(list)) = p.get("AuthenticationMode").and_then(|a| a.get("Passwords")) {
            for (i, value) in list.iter().enumerate() {
                v.push(Token {
                    owner: id,
                    path: format!("Properties.AuthenticationMode.Passwords.{i}"),
                    value,
                    what: "password",
                    auth_token: false,
                });
            }
        }
    }
    v
}

pub(super) fn check(t: &Template, out: &mut Vec<Finding>) {
    let tokens = tokens(t);
    for tok in &tokens {
        if !tok.auth_token {
            ssm_secure(t, tok, tok.value, out);
        }
        source(t, tok, tok.value, out);
        if let Some(l) = t.resolve(tok.value) {
            literal(tok, l, out);
        }
    }
    for (id, p) in t.of_type(SECRET) {
        if tokens.iter().any(|tok| tok.auth_token && reads_secret(t, tok.value, id, p)) {
            generated(t, id, p, out);
        }
    }
    principal_names(t, out);
    rotation_rules(t, out);
    stale_copies(t, out);
}

/// Where a template copies a value for clients to read later (SEC010), with the
/// fix: "the secretsmanager dynamic reference can be used in all resource
/// properties", and "updating a secret in Secrets Manager doesn't automatically
/// update the secret in CloudFormation" (source:
/// <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html>,
/// "Considerations"), so the copy keeps the value of the day it was written. The secret's own users are not
/// copies: a rotation function sets the new password on the `AWS::ElastiCache::User`
/// (or database) it rotates for.
const COPIES: &[(&str, &str, &str)] = &[
    (SECRET, "SecretString", "store {s}'s ARN instead (Ref {s}) and have clients read the current value from it"),
    (
        "AWS::Lambda::Function",
        "Environment",
        "give the function {s}'s ARN instead (Ref {s}) and have it read the current value with GetSecretValue",
    ),
    (
        "AWS::ECS::TaskDefinition",
        "ContainerDefinitions",
        "move it to the container's Secrets with ValueFrom {s}'s ARN (Ref {s}), which ECS reads when a task starts",
    ),
    (
        "AWS::SSM::Parameter",
        "Value",
        "store {s}'s ARN instead (Ref {s}) and have clients read the current value from Secrets Manager",
    ),
];

/// SEC010: a copy ([`COPIES`]: a secret's `SecretString`, a function's
/// `Environment`, a task definition's `ContainerDefinitions`, a parameter's
/// `Value`) of the value of a secret a rotation schedule of the template rotates,
/// made through a dynamic reference. Rotation changes only the original, so the
/// copy keeps the old password, and a client reading it fails to authenticate
/// after the first rotation (the rotation function's guide: "clients retrieve the
/// secret from Secrets Manager" each time they connect).
fn stale_copies(t: &Template, out: &mut Vec<Finding>) {
    let rotated: Vec<(&str, &str)> = t
        .of_type("AWS::SecretsManager::RotationSchedule")
        .filter_map(|(schedule, p)| Some((t.target(p.get("SecretId")?)?, schedule)))
        .filter(|(secret, _)| t.type_of(secret) == Some(SECRET))
        .collect();
    if rotated.is_empty() {
        return;
    }
    let names: Vec<Option<String>> =
        rotated.iter().map(|(secret, _)| t.props(secret).and_then(|p| t.get(p, "Name")).map(|l| l.text())).collect();
    for r in t.resources() {
        let (Some(ty), Some(p)) = (r.ty, r.props) else { continue };
        let Some(&(_, key, fix)) = COPIES.iter().find(|(copy, ..)| *copy == ty) else { continue };
        let Some(v) = p.get(key) else { continue };
        let mut reported: Vec<&str> = Vec::new();
        for s in t.dynamic_secrets(v) {
            let hit = rotated.iter().zip(&names).find(|((secret, _), name)| match s {
                SecretRef::Id(x) => x == *secret,
                SecretRef::Literal(l) => name.as_deref().is_some_and(|n| {
                    l == n
                        || l.rsplit_once(":secret:")
                            .is_some_and(|(_, tail)| tail == n || tail.starts_with(&format!("{n}-")))
                }),
            });
            let Some(((source, schedule), _)) = hit else { continue };
            if *source == r.id || reported.contains(source) {
                continue;
            }
            reported.push(source);
            out.push(finding(
                "SEC010",
                r.id,
                format!("Properties.{key}"),
                format!("{key} copies the value of secret {source}, which {schedule} rotates: CloudFormation writes the copy once, so it keeps the old value after the first rotation and clients that read it fail to authenticate; {}", fix.replace("{s}", source)),
            ));
        }
    }
}

/// SEC009: a rotation schedule's `RotationRules` as the Secrets Manager API takes
/// them (botocore's model 2017-10-17, `RotationRulesType`): `AutomaticallyAfterDays`
/// 1 to 1000 ([`facts::data::ROTATION_DAYS`]) or a `rate()`/`cron()`
/// `ScheduleExpression`, not both, and a `Duration` in hours. The resource schema
/// types them only as integer and strings, and cfn-lint does not check them.
fn rotation_rules(t: &Template, out: &mut Vec<Finding>) {
    for (id, p) in t.of_type("AWS::SecretsManager::RotationSchedule") {
        let Some(J::Object(rules)) = p.get("RotationRules") else { continue };
        let days = t.get(rules, "AutomaticallyAfterDays");
        let expression = t.get(rules, "ScheduleExpression");
        if let Some(why) = days.as_ref().and_then(|l| l.int()).and_then(facts::rotation_days_problem) {
            out.push(finding(
                "SEC009",
                id,
                "Properties.RotationRules.AutomaticallyAfterDays",
                format!("{why}; rotate at least every 1000 days"),
            ));
        }
        if days.is_some() && expression.is_some() {
            out.push(finding("SEC009", id, "Properties.RotationRules", "RotationRules sets both AutomaticallyAfterDays and ScheduleExpression, which Secrets Manager refuses; keep one"));
        }
        if let Some(why) = expression.as_ref().and_then(|l| l.str()).and_then(facts::rotation_schedule_problem) {
            out.push(finding(
                "SEC009",
                id,
                "Properties.RotationRules.ScheduleExpression",
                format!("{why} (the Secrets Manager API)"),
            ));
        }
        if let Some(why) =
            t.get(rules, "Duration").as_ref().and_then(|l| l.str()).and_then(facts::rotation_duration_problem)
        {
            out.push(finding("SEC009", id, "Properties.RotationRules.Duration", why));
        }
    }
}

/// SEC008: a policy names the roles, users and groups it is attached to by
/// *name*, which IAM checks against `[\w+=,.@-]+` (botocore's IAM model:
/// `roleNameType`, `userNameType`, `groupNameType`; role names 1 to 64
/// characters, [`facts::data::IAM_ROLE_NAME`]); an ARN, or a name with its path,
/// fails at deploy time, after the stack's other resources are created. Neither
/// the resource schema nor cfn-lint checks it.
fn principal_names(t: &Template, out: &mut Vec<Finding>) {
    for ty in ["AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"] {
        for (id, p) in t.of_type(ty) {
            for kind in [facts::IamKind::Role, facts::IamKind::User, facts::IamKind::Group] {
                let key = kind.policy_key();
                let Some(J::Array(items)) = p.get(key) else { continue };
                for (i, item) in items.iter().enumerate() {
                    let Some(l) = t.resolve(item) else { continue };
                    let J::String(s) = l.v else { continue };
                    let what = if s.starts_with("arn:") {
                        "is an ARN"
                    } else if s.contains('/') {
                        "holds a path"
                    } else {
                        if let Some(why) = facts::iam_name_problem(kind, s) {
                            out.push(finding(
                                "SEC008",
                                id,
                                format!("Properties.{key}.{i}"),
                                format!("{key} entry {} {why} ({})", l.show(), facts::data::SOURCE),
                            ));
                        }
                        continue;
                    };
                    let kind = kind.name();
                    let name = s.rsplit('/').next().unwrap_or(s);
                    out.push(finding("SEC008", id, format!("Properties.{key}.{i}"), format!(
                        "{key} entry {} {what}, but IAM attaches policies by {kind} name; give the name, '{name}' (the part after the last /){}",
                        l.show(),
                        match key {
                            "Roles" => ", e.g. with Role::from_arn",
                            "Users" => ", e.g. with Principal::user_from_arn",
                            _ => ", e.g. with Principal::group_from_arn",
                        }
                    )));
                }
            }
        }
    }
}

/// SEC007: CloudFormation resolves `ssm-secure` references only in the properties
/// it lists, and `AWS::ElastiCache::User` passwords are not among them (source:
/// <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-ssm-secure-strings.html>,
/// "Resources that support dynamic parameter patterns for secure strings"; cfn-lint E1027).
fn ssm_secure(t: &Template, tok: &Token, v: &J, out: &mut Vec<Finding>) {
    let mut found = false;
    strings_and_targets(t, v, &mut |s, _| found |= s.is_some_and(|s| s.contains("{{resolve:ssm-secure:")));
    if found {
        out.push(finding("SEC007", tok.owner, &tok.path, format!("the {} is an ssm-secure dynamic reference, which CloudFormation does not resolve in AWS::ElastiCache::User; keep it in Secrets Manager and use {{{{resolve:secretsmanager:MySecret:SecretString:password}}}}", tok.what)));
    }
}

fn is_dynamic_reference(s: &str) -> bool {
    s.contains(DYNAMIC_SECRET) || s.contains("{{resolve:ssm-secure:")
}

/// SEC001: the token must come from a dynamic reference or a NoEcho parameter.
fn source(t: &Template, tok: &Token, v: &J, out: &mut Vec<Finding>) {
    let plain = |out: &mut Vec<Finding>| {
        out.push(finding("SEC001", tok.owner, &tok.path, format!("the {} is written in the template in plain text; read it from Secrets Manager with a dynamic reference such as {{{{resolve:secretsmanager:MySecret:SecretString:token}}}}, or from a NoEcho parameter", tok.what)));
    };
    let param = |name: &str, out: &mut Vec<Finding>| {
        let Some(p) = t.parameters.get(name) else { return };
        let no_echo = p.get("NoEcho").and_then(|v| t.resolve(v)).and_then(|l| l.bool()).unwrap_or(false);
        if !no_echo {
            out.push(finding("SEC001", tok.owner, &tok.path, format!("the {} comes from parameter {name}, which is not NoEcho, so CloudFormation shows it; set NoEcho: true on {name} or use a Secrets Manager dynamic reference", tok.what)));
        }
    };
    match Intrinsic::parse(v) {
        None => {
            if v.as_str().is_some_and(|s| !is_dynamic_reference(s)) {
                plain(out);
            }
        }
        Some(Intrinsic::Ref(name)) => param(name, out),
        Some(Intrinsic::Sub { text, variables }) => {
            if is_dynamic_reference(text) {
                return;
            }
            let mut vars = sub_variables(text).peekable();
            if vars.peek().is_none() {
                plain(out);
            }
            for var in vars {
                match variables.and_then(|e| e.get(var)) {
                    Some(inner) => source(t, tok, inner, out),
                    None => param(var, out),
                }
            }
        }
        Some(Intrinsic::Other("Fn::Join", J::Array(a))) => {
            let Some(J::Array(parts)) = a.get(1) else { return };
            if parts.iter().any(|p| p.as_str().is_some_and(is_dynamic_reference)) {
                return;
            }
            if parts.iter().all(J::is_string) {
                plain(out);
                return;
            }
            for part in parts.iter().filter(|p| !p.is_string()) {
                source(t, tok, part, out);
            }
        }
        Some(Intrinsic::If { branches, .. }) => {
            for branch in branches {
                if !matches!(Intrinsic::parse(branch), Some(Intrinsic::Ref("AWS::NoValue"))) {
                    source(t, tok, branch, out);
                }
            }
        }
        Some(_) => {}
    }
}

/// SEC006: a token known at synth time must have 16 to 128 characters, and an AUTH
/// token only the characters ElastiCache accepts in one.
fn literal(tok: &Token, l: Lit, out: &mut Vec<Finding>) {
    let Some(s) = l.str() else { return };
    if is_dynamic_reference(s) || s.contains("{{resolve:") {
        return;
    }
    let from = l.param.map(|p| format!(" (the default of parameter {p})")).unwrap_or_default();
    let n = s.chars().count() as u32;
    let (lo, hi) = facts::AUTH_TOKEN_LENGTH;
    if n < lo || n > hi {
        out.push(finding(
            "SEC006",
            tok.owner,
            &tok.path,
            format!("the {}{from} has {n} characters; use {lo} to {hi}", tok.what),
        ));
    }
    let mut bad: Vec<char> = s
        .chars()
        .filter(|c| {
            if tok.auth_token {
                !(c.is_ascii_graphic())
                    || facts::AUTH_TOKEN_FORBIDDEN.contains(*c)
                    || (c.is_ascii_punctuation() && !facts::AUTH_TOKEN_ALLOWED_PUNCTUATION.contains(*c))
            } else {
                !(c.is_ascii_graphic() || *c == ' ') || facts::USER_PASSWORD_FORBIDDEN.contains(*c)
            }
        })
        .collect();
    bad.sort_unstable();
    bad.dedup();
    if !bad.is_empty() && !tok.auth_token {
        let shown: Vec<String> = bad.iter().map(|c| format!("{c:?}")).collect();
        out.push(finding("SEC006", tok.owner, &tok.path, format!("the {}{from} contains characters ElastiCache rejects in a user password ({}); use printable characters other than {}", tok.what, shown.join(", "), facts::USER_PASSWORD_FORBIDDEN)));
    } else if !bad.is_empty() {
        let shown: Vec<String> = bad.iter().map(|c| format!("{c:?}")).collect();
        out.push(finding(
            "SEC006",
            tok.owner,
            &tok.path,
            format!(
                "the {}{from} contains characters ElastiCache rejects ({}); use letters, digits and {} only",
                tok.what,
                shown.join(", "),
                facts::AUTH_TOKEN_ALLOWED_PUNCTUATION
            ),
        ));
    }
}

/// Whether a token expression reads secret `id`: a Ref or GetAtt to it, `${id}` in
/// a Fn::Sub (unless the Sub's own map defines it), or a dynamic reference naming
/// its `Name`.
fn reads_secret(t: &Template, v: &J, id: &str, p: &Map<String, J>) -> bool {
    let name = t.get(p, "Name").map(|l| l.text());
    let mut found = false;
    strings_and_targets(t, v, &mut |s, target| {
        if target == Some(id) {
            found = true;
        }
        if let Some(s) = s {
            if let Some(n) = &name {
                if s.contains(&format!("secretsmanager:{n}:")) || s.contains(&format!("secretsmanager:{n}}}")) {
                    found = true;
                }
            }
        }
    });
    found
}

/// Calls `f(string, target)` for every string of `v` (a literal, or the text of a
/// `Fn::Sub`) and every resource of the template it refers to, through the one
/// template walk.
fn strings_and_targets<'a>(t: &Template<'a>, v: &'a J, f: &mut dyn FnMut(Option<&'a str>, Option<&'a str>)) {
    struct Strings<'t, 'a, 'f> {
        t: &'t Template<'a>,
        f: &'f mut dyn FnMut(Option<&'a str>, Option<&'a str>),
    }
    impl<'a, T> Visit<'a, T> for Strings<'_, 'a, '_> {
        fn function(&mut self, f: &Intrinsic<'a>, _: &T) -> bool {
            if let Intrinsic::Sub { text, .. } = *f {
                (self.f)(Some(text), None);
            }
            true
        }
        fn text(&mut self, s: &'a str, _: &T) -> bool {
            (self.f)(Some(s), None);
            false
        }
        fn reference(&mut self, r: Reference<'a>, _: Option<&'a str>, _: &T) -> bool {
            if let Some((id, _)) = self.t.resources.get_key_value(r.target()) {
                (self.f)(None, Some(id));
            }
            false
        }
    }
    let _ = template::walk(v, &mut NoTrail, &mut Strings { t, f });
}

/// SEC003: a generated secret that an AUTH token reads must fit ElastiCache.
fn generated(t: &Template, id: &str, p: &Map<String, J>, out: &mut Vec<Finding>) {
    let Some(g) = p.get("GenerateSecretString").and_then(J::as_object) else { return };
    let base = "Properties.GenerateSecretString";
    let (lo, hi) = facts::AUTH_TOKEN_LENGTH;
    match g.get("PasswordLength").map(|v| t.resolve(v)) {
        Some(Some(l)) => {
            if let Some(n) = l.int() {
                if n < lo as i64 || n > hi as i64 {
                    out.push(finding(
                        "SEC003",
                        id,
                        format!("{base}.PasswordLength"),
                        format!(
                            "PasswordLength {} makes an AUTH token ElastiCache rejects; use {lo} to {hi}, such as 64",
                            l.show()
                        ),
                    ));
                }
            }
        }
        Some(None) => {}
        None => {} // Secrets Manager's default, 32, fits
    }
    if g.get("IncludeSpace").and_then(|v| t.resolve(v)).and_then(|l| l.bool()) == Some(true) {
        out.push(finding(
            "SEC003",
            id,
            format!("{base}.IncludeSpace"),
            "IncludeSpace is true but ElastiCache rejects spaces in an AUTH token; set IncludeSpace to false",
        ));
    }
    let no_punctuation = match g.get("ExcludePunctuation") {
        None => false,
        Some(v) => match t.resolve(v).and_then(|l| l.bool()) {
            Some(b) => b,
            None => return,
        },
    };
    if no_punctuation {
        return;
    }
    let excluded = match g.get("ExcludeCharacters") {
        None => String::new(),
        Some(v) => match t.resolve(v) {
            Some(l) => l.text(),
            None => return,
        },
    };
    let missing: String = rejected_punctuation().filter(|c| !excluded.contains(*c)).collect();
    if !missing.is_empty() {
        out.push(finding("SEC003", id, base, format!("the generated AUTH token may contain characters ElastiCache rejects ({missing}); set ExcludePunctuation to true, or add them to ExcludeCharacters")));
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::pair;
    use serde_json::{json, Value as J};

    #[test]
    fn rotation_rules_are_what_secrets_manager_takes() {
        let schedule = |rules: J| {
            json!({"Resources": {"S": {"Type": "AWS::SecretsManager::RotationSchedule", "Properties": {
                "SecretId": "s", "RotationLambdaARN": "arn:aws:lambda:us-east-1:123456789012:function:f", "RotationRules": rules
            }}}})
        };
        pair(schedule(json!({"AutomaticallyAfterDays": 0})), schedule(json!({"AutomaticallyAfterDays": 1})),
            "S.Properties.RotationRules.AutomaticallyAfterDays: [SEC009] AutomaticallyAfterDays must be 1 to 1000 days (the Secrets Manager API), got 0; rotate at least every 1000 days");
        pair(schedule(json!({"AutomaticallyAfterDays": 1001})), schedule(json!({"AutomaticallyAfterDays": 1000})),
            "S.Properties.RotationRules.AutomaticallyAfterDays: [SEC009] AutomaticallyAfterDays must be 1 to 1000 days (the Secrets Manager API), got 1001; rotate at least every 1000 days");
        pair(schedule(json!({"AutomaticallyAfterDays": 30, "ScheduleExpression": "rate(30 days)"})), schedule(json!({"ScheduleExpression": "rate(30 days)"})),
            "S.Properties.RotationRules: [SEC009] RotationRules sets both AutomaticallyAfterDays and ScheduleExpression, which Secrets Manager refuses; keep one");
        pair(schedule(json!({"ScheduleExpression": "30 days"})), schedule(json!({"ScheduleExpression": "cron(0 4 ? * SUN *)", "Duration": "3h"})),
            "S.Properties.RotationRules.ScheduleExpression: [SEC009] ScheduleExpression '30 days' is neither rate(...) nor cron(...); use such as 'rate(30 days)' (the Secrets Manager API)");
        pair(schedule(json!({"ScheduleExpression": "rate(1 day);"})), schedule(json!({"ScheduleExpression": "rate(1 day)"})),
            "S.Properties.RotationRules.ScheduleExpression: [SEC009] ScheduleExpression 'rate(1 day);' contains ';'; it holds letters, digits, spaces and ()#?*-/, only (the Secrets Manager API)");
        pair(schedule(json!({"ScheduleExpression": "rate(4 hours)", "Duration": "3 hours"})), schedule(json!({"ScheduleExpression": "rate(4 hours)", "Duration": "12h"})),
            "S.Properties.RotationRules.Duration: [SEC009] Duration '3 hours' must be hours such as '3h' (2 to 3 characters, the Secrets Manager API)");
    }

    fn rg(token: J) -> J {
        json!({"Resources": {"Cache": {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": {
            "ReplicationGroupDescription": "d", "TransitEncryptionEnabled": true, "AtRestEncryptionEnabled": true, "AuthToken": token
        }}}})
    }

    fn with_param(mut t: J, param: J) -> J {
        t["Parameters"] = json!({"Token": param});
        t
    }

    #[test]
    fn fails_sec001_plain_token() {
        pair(rg(json!("correct-horse-battery-staple")), rg(json!("{{resolve:secretsmanager:redis:SecretString:token}}")),
            "Cache.Properties.AuthToken: [SEC001] the AUTH token is written in the template in plain text; read it from Secrets Manager with a dynamic reference such as {{resolve:secretsmanager:MySecret:SecretString:token}}, or from a NoEcho parameter");
        pair(with_param(rg(json!({"Ref": "Token"})), json!({"Type": "String"})), with_param(rg(json!({"Ref": "Token"})), json!({"Type": "String", "NoEcho": true})),
            "Cache.Properties.AuthToken: [SEC001] the AUTH token comes from parameter Token, which is not NoEcho, so CloudFormation shows it; set NoEcho: true on Token or use a Secrets Manager dynamic reference");
        pair(rg(json!({"Fn::Join": ["", ["abc", "defghijklmnopqrstu"]]})), rg(json!({"Fn::Join": ["", ["{{resolve:secretsmanager:", {"Ref": "AWS::StackName"}, ":SecretString:token}}"]]})),
            "Cache.Properties.AuthToken: [SEC001] the AUTH token is written in the template in plain text; read it from Secrets Manager with a dynamic reference such as {{resolve:secretsmanager:MySecret:SecretString:token}}, or from a NoEcho parameter");
    }

    #[test]
    fn fails_sec006_bad_literal_token() {
        pair(with_param(rg(json!({"Ref": "Token"})), json!({"Type": "String", "NoEcho": true, "Default": "short"})), with_param(rg(json!({"Ref": "Token"})), json!({"Type": "String", "NoEcho": true, "Default": "long-enough-token-1234"})),
            "Cache.Properties.AuthToken: [SEC006] the AUTH token (the default of parameter Token) has 5 characters; use 16 to 128");
        pair(with_param(rg(json!({"Ref": "Token"})), json!({"Type": "String", "NoEcho": true, "Default": "user@example/com 123"})), with_param(rg(json!({"Ref": "Token"})), json!({"Type": "String", "NoEcho": true, "Default": "user#example-com$123"})),
            "Cache.Properties.AuthToken: [SEC006] the AUTH token (the default of parameter Token) contains characters ElastiCache rejects (' ', '/', '@'); use letters, digits and !&#$^<>- only");
    }

    fn user(passwords: J) -> J {
        json!({"Parameters": {"Pw": {"Type": "String", "NoEcho": true, "Default": "a password with spaces & #!ok"}},
               "Resources": {"U": {"Type": "AWS::ElastiCache::User", "Properties": {
            "UserId": "app", "UserName": "app", "Engine": "valkey", "AccessString": "on ~* +@all",
            "AuthenticationMode": {"Type": "password", "Passwords": passwords}}}}})
    }

    #[test]
    fn user_passwords_have_their_own_rules() {
        // Spaces and punctuation an AUTH token may not hold are fine in a user password.
        let got = super::super::tests::run(&user(json!([{"Ref": "Pw"}])));
        assert!(!got.iter().any(|f| f.contains("SEC006") || f.contains("SEC003")), "{got:?}");
        let mut at = user(json!([{"Ref": "Pw"}]));
        at["Parameters"]["Pw"]["Default"] = json!("user@example.com/password");
        pair(at, user(json!([{"Ref": "Pw"}])),
            "U.Properties.AuthenticationMode.Passwords.0: [SEC006] the password (the default of parameter Pw) contains characters ElastiCache rejects in a user password ('/', '@'); use printable characters other than ,\"/@");
        let mut short = user(json!(["{{resolve:secretsmanager:x:SecretString:p}}", {"Ref": "Short"}]));
        short["Parameters"]["Short"] = json!({"Type": "String", "NoEcho": true, "Default": "short"});
        pair(short, user(json!([{"Ref": "Pw"}])),
            "U.Properties.AuthenticationMode.Passwords.1: [SEC006] the password (the default of parameter Short) has 5 characters; use 16 to 128");
    }

    #[test]
    fn fails_sec007_ssm_secure_user_password() {
        pair(user(json!(["{{resolve:ssm-secure:/app/redis:1}}"])), user(json!(["{{resolve:secretsmanager:app:SecretString:password}}"])),
            "U.Properties.AuthenticationMode.Passwords.0: [SEC007] the password is an ssm-secure dynamic reference, which CloudFormation does not resolve in AWS::ElastiCache::User; keep it in Secrets Manager and use {{resolve:secretsmanager:MySecret:SecretString:password}}");
    }

    fn secret(gen: J) -> J {
        let mut t = rg(json!({"Fn::Sub": "{{resolve:secretsmanager:${Secret}:SecretString:token}}"}));
        t["Resources"]["Secret"] =
            json!({"Type": "AWS::SecretsManager::Secret", "Properties": {"GenerateSecretString": gen}});
        t
    }

    #[test]
    fn fails_sec003_generated_secret() {
        let ok = json!({"SecretStringTemplate": "{}", "GenerateStringKey": "token", "PasswordLength": 64, "ExcludePunctuation": true});
        pair(secret(json!({"SecretStringTemplate": "{}", "GenerateStringKey": "token", "PasswordLength": 12, "ExcludePunctuation": true})), secret(ok.clone()),
            "Secret.Properties.GenerateSecretString.PasswordLength: [SEC003] PasswordLength 12 makes an AUTH token ElastiCache rejects; use 16 to 128, such as 64");
        pair(secret(json!({"SecretStringTemplate": "{}", "GenerateStringKey": "token", "ExcludeCharacters": "@/\""})), secret(json!({"SecretStringTemplate": "{}", "GenerateStringKey": "token", "ExcludeCharacters": "\"%'()*+,./:;=?@[\\]_`{|}~"})),
            "Secret.Properties.GenerateSecretString: [SEC003] the generated AUTH token may contain characters ElastiCache rejects (%'()*+,.:;=?[\\]_`{|}~); set ExcludePunctuation to true, or add them to ExcludeCharacters");
        pair(secret(json!({"IncludeSpace": true, "ExcludePunctuation": true})), secret(ok),
            "Secret.Properties.GenerateSecretString.IncludeSpace: [SEC003] IncludeSpace is true but ElastiCache rejects spaces in an AUTH token; set IncludeSpace to false");
    }

    fn copies(conn: J, scheduled: bool) -> J {
        let mut t = json!({"Resources": {
            "Pw": {"Type": "AWS::SecretsManager::Secret", "Properties": {"Name": "app-user", "GenerateSecretString": {"SecretStringTemplate": "{}", "GenerateStringKey": "password"}}},
            "Conn": {"Type": "AWS::SecretsManager::Secret", "Properties": {"SecretString": conn}},
        }});
        if scheduled {
            t["Resources"]["Sched"] = json!({"Type": "AWS::SecretsManager::RotationSchedule",
                "Properties": {"SecretId": {"Ref": "Pw"}, "RotationLambdaARN": "arn:aws:lambda:us-east-1:123456789012:function:r", "RotationRules": {"AutomaticallyAfterDays": 30}}});
        }
        t
    }

    #[test]
    fn warns_sec010_copy_of_a_rotating_secret() {
        let want = "Conn.Properties.SecretString: [SEC010] SecretString copies the value of secret Pw, which Sched rotates: CloudFormation writes the copy once, so it keeps the old value after the first rotation and clients that read it fail to authenticate; store Pw's ARN instead (Ref Pw) and have clients read the current value from it";
        let by_sub = json!({"Fn::Sub": "{\"host\":\"h\",\"password\":\"{{resolve:secretsmanager:${Pw}:SecretString:password::}}\"}"});
        // the ARN is what clients should keep: no finding
        let by_arn = json!({"Fn::Sub": ["{\"passwordSecretArn\":\"${A}\"}", {"A": {"Ref": "Pw"}}]});
        pair(copies(by_sub.clone(), true), copies(by_arn, true), want);
        // no rotation, no staleness
        pair(
            copies(by_sub, true),
            copies(json!({"Fn::Sub": "{{resolve:secretsmanager:${Pw}:SecretString:password}}"}), false),
            want,
        );
        let by_join = json!({"Fn::Join": ["", ["{\"password\":\"{{resolve:secretsmanager:", {"Ref": "Pw"}, ":SecretString:password}}\"}"]]});
        pair(copies(by_join, true), copies(json!("{}"), true), want);
        let by_own_var =
            json!({"Fn::Sub": ["{{resolve:secretsmanager:${S}:SecretString:password}}", {"S": {"Ref": "Pw"}}]});
        pair(copies(by_own_var, true), copies(json!("{}"), true), want);
        let by_name = json!("{\"password\":\"{{resolve:secretsmanager:app-user:SecretString:password}}\"}");
        let other_name = json!("{\"password\":\"{{resolve:secretsmanager:app-user-2:SecretString:password}}\"}");
        pair(copies(by_name, true), copies(other_name, true), want);
        let by_arn_literal = json!("{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:app-user-AbCdEf:SecretString:password}}");
        pair(copies(by_arn_literal, true), copies(json!("{}"), true), want);
        // reported once per copied secret, however many fields copy it
        let twice = json!({"Fn::Sub": "{{resolve:secretsmanager:${Pw}:SecretString:password}}:{{resolve:secretsmanager:${Pw}:SecretString:username}}"});
        let got = super::super::tests::run(&copies(twice, true));
        assert_eq!(got.iter().filter(|f| f.contains("[SEC010]")).count(), 1, "{got:#?}");
    }

    #[test]
    fn warns_sec010_for_every_kind_of_copy_and_not_for_the_rotated_user() {
        let by_sub = json!({"Fn::Sub": "{{resolve:secretsmanager:${Pw}:SecretString:password}}"});
        let mut t = copies(json!("{}"), true);
        let r = &mut t["Resources"];
        r["Fn"] = json!({"Type": "AWS::Lambda::Function", "Properties": {"Environment": {"Variables": {"REDIS_PASSWORD": by_sub}}}});
        r["Task"] = json!({"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [
            {"Name": "app", "Environment": [{"Name": "REDIS_PASSWORD", "Value": by_sub}]}]}});
        r["Param"] = json!({"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": by_sub}});
        // what the rotation function keeps in step, and references by ARN, are not copies
        r["User"] = json!({"Type": "AWS::ElastiCache::User", "Properties": {"Engine": "redis", "UserId": "app", "UserName": "app",
            "AccessString": "on ~* +@all", "AuthenticationMode": {"Type": "password", "Passwords": [by_sub]}}});
        r["Fresh"] = json!({"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [
            {"Name": "app", "Secrets": [{"Name": "REDIS_PASSWORD", "ValueFrom": {"Ref": "Pw"}}]}]}});
        let got: Vec<String> = super::super::tests::run(&t).into_iter().filter(|f| f.contains("[SEC010]")).collect();
        let tail = "CloudFormation writes the copy once, so it keeps the old value after the first rotation and clients that read it fail to authenticate";
        assert_eq!(got, vec![
            format!("Fn.Properties.Environment: [SEC010] Environment copies the value of secret Pw, which Sched rotates: {tail}; give the function Pw's ARN instead (Ref Pw) and have it read the current value with GetSecretValue"),
            format!("Task.Properties.ContainerDefinitions: [SEC010] ContainerDefinitions copies the value of secret Pw, which Sched rotates: {tail}; move it to the container's Secrets with ValueFrom Pw's ARN (Ref Pw), which ECS reads when a task starts"),
            format!("Param.Properties.Value: [SEC010] Value copies the value of secret Pw, which Sched rotates: {tail}; store Pw's ARN instead (Ref Pw) and have clients read the current value from Secrets Manager"),
        ]);
    }

    #[test]
    fn secrets_not_used_as_tokens_are_left_alone() {
        let mut t = rg(json!("{{resolve:secretsmanager:other:SecretString:token}}"));
        t["Resources"]["Secret"] = json!({"Type": "AWS::SecretsManager::Secret", "Properties": {"GenerateSecretString": {"PasswordLength": 8}}});
        assert!(!super::super::tests::run(&t).iter().any(|f| f.contains("SEC003")));
        // Linked by name.
        t["Resources"]["Secret"]["Properties"]["Name"] = json!("other");
        assert!(super::super::tests::run(&t).iter().any(|f| f.contains("SEC003")));
    }
}
