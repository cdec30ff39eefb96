//! Deploys the prod templates (the default app and every example) to a local moto
//! server with the real `aws cloudformation deploy`, then checks what moto really
//! created against what each template declares, and deletes the stacks.
//!
//! The expectations come from the templates: every security group with its VPC,
//! description, tags and inline ingress rules; every `AWS::EC2::SecurityGroupIngress`
//! as a rule on its group (protocol, ports, source group or CIDR); every KMS key with
//! its rotation and tags; SNS topics; IAM managed policies (statements, actions);
//! log groups (retention). moto lists the types it does not model (ElastiCache,
//! Secrets Manager, alarms...) as blank resources: those are counted, not checked.
//!
//! The parameters are filled from fixtures the harness creates (a VPC, two subnets in
//! two AZs with their route tables, an application security group): [`KNOWN_PARAMETERS`]. A required parameter
//! not in that table fails the test. A missing `moto_server`, `aws` or Python with
//! boto3 fails too, unless `REDIS_CDK_SKIP_EXTERNAL=1`.

mod common;

use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

/// A fixture the harness creates in moto before deploying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fixture {
    /// The VPC id.
    Vpc,
    /// Two subnet ids in two AZs, comma-separated.
    Subnets,
    /// The id of the application's security group (the client of the cache).
    ClientSecurityGroup,
    /// The route tables of the two subnets, comma-separated.
    RouteTables,
    /// The name of the application's IAM role, which has a path (`/service/`).
    AppRoleName,
    /// The S3 bucket of the fixtures, which holds the rotation function's zip.
    Bucket,
    /// The object key of the rotation function's zip.
    RotationCodeKey,
}

/// Parameter name → the fixture that fills it. Add a row when a template declares a
/// new required parameter.
const KNOWN_PARAMETERS: &[(&str, Fixture)] = &[
    ("VpcId", Fixture::Vpc),
    ("SubnetIds", Fixture::Subnets),
    ("PrivateSubnetIds", Fixture::Subnets),
    ("CacheSubnetIds", Fixture::Subnets),
    ("AppSecurityGroupId", Fixture::ClientSecurityGroup),
    ("ApplicationSecurityGroupId", Fixture::ClientSecurityGroup),
    ("ClientSecurityGroupId", Fixture::ClientSecurityGroup),
    ("LambdaSecurityGroupId", Fixture::ClientSecurityGroup),
    ("WorkerSecurityGroupId", Fixture::ClientSecurityGroup),
    ("K8sNodeSecurityGroupId", Fixture::ClientSecurityGroup),
    ("RouteTableIds", Fixture::RouteTables),
    ("AppRoleName", Fixture::AppRoleName),
    ("RotationCodeBucket", Fixture::Bucket),
    ("RotationCodeKey", Fixture::RotationCodeKey),
];

/// Resource types moto really creates through CloudFormation and this harness checks.
const CHECKED_TYPES: &[&str] = &[
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::KMS::Key",
    "AWS::KMS::Alias",
    "AWS::SNS::Topic",
    "AWS::IAM::ManagedPolicy",
    "AWS::Logs::LogGroup",
    "AWS::Lambda::Function",
    "AWS::IAM::Role",
    "AWS::SQS::Queue",
];

/// The fixtures' ids, from `moto_probe.py setup`.
#[derive(Debug, Clone)]
struct Fixtures {
    vpc: String,
    subnets: Vec<String>,
    app_sg: String,
    route_tables: Vec<String>,
    bucket: String,
    app_role: String,
    rotation_code_key: String,
}

impl Fixtures {
    fn value(&self, f: Fixture) -> String {
        match f {
            Fixture::Vpc => self.vpc.clone(),
            Fixture::Subnets => self.subnets.join(","),
            Fixture::ClientSecurityGroup => self.app_sg.clone(),
            Fixture::RouteTables => self.route_tables.join(","),
            Fixture::AppRoleName => self.app_role.clone(),
            Fixture::Bucket => self.bucket.clone(),
            Fixture::RotationCodeKey => self.rotation_code_key.clone(),
        }
    }
}

/// The values for a template's parameters: known ones from the fixtures, the others
/// left to their `Default`.
///
/// # Errors
///
/// A required parameter (no `Default`) the harness does not know.
fn parameter_values(template: &Value, fixtures: &Fixtures) -> Result<BTreeMap<String, String>, String> {
    let mut values = BTreeMap::new();
    let mut unknown = Vec::new();
    for (name, p) in template["Parameters"].as_object().into_iter().flatten() {
        match KNOWN_PARAMETERS.iter().find(|(n, _)| n == name) {
            Some((_, f)) => {
                values.insert(name.clone(), fixtures.value(*f));
            }
            None if p.get("Default").is_some() => {}
            None => unknown.push(format!("{name} ({})", p["Type"].as_str().unwrap_or("?"))),
        }
    }
    if unknown.is_empty() {
        Ok(values)
    } else {
        Err(format!(
            "required parameter(s) the moto harness does not know: {}; add them to KNOWN_PARAMETERS in \
             tests/deploy_moto.rs",
            unknown.join(", ")
        ))
    }
}

/// Everything needed to talk to the server: tools, environment, fixtures.
struct Harness {
    server: common::moto::MotoServer,
    aws: PathBuf,
    python: PathBuf,
    dir: PathBuf,
}

impl Harness {
    fn env(&self, cmd: &mut Command) {
        self.server.env(cmd, &self.dir);
    }

    fn aws(&self, args: &[&str]) -> Result<String, String> {
        let mut cmd = Command::new(&self.aws);
        cmd.arg("--endpoint-url").arg(&self.server.endpoint).args(args);
        self.env(&mut cmd);
        common::moto::run(cmd, &format!("aws {}", args.join(" ")))
    }

    fn probe(&self, args: &[&str]) -> Value {
        self.server.probe(&self.python, &self.dir, args)
    }
}

/// What moto holds for one deployed stack, and how to resolve template values in it.
struct Deployed<'a> {
    name: &'a str,
    params: &'a BTreeMap<String, String>,
    /// logical id → (type, physical id, state)
    resources: BTreeMap<String, (String, String, Value)>,
    exports: &'a Value,
    security_groups: &'a Value,
}

impl Deployed<'_> {
    /// The concrete value of a template value, when the harness can tell it.
    fn resolve(&self, v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Object(o) if o.len() == 1 => {
                if let Some(name) = o.get("Ref").and_then(Value::as_str) {
                    return self.params.get(name).cloned().or_else(|| self.resources.get(name).map(|r| r.1.clone()));
                }
                if let Some([res, attr]) = o.get("Fn::GetAtt").and_then(Value::as_array).map(Vec::as_slice) {
                    let (ty, physical, _) = self.resources.get(res.as_str()?)?;
                    return (ty == "AWS::EC2::SecurityGroup" && attr == "GroupId").then(|| physical.clone());
                }
                if let Some(name) = o.get("Fn::ImportValue") {
                    return self.exports[self.resolve(name)?.as_str()].as_str().map(str::to_string);
                }
                None
            }
            _ => None,
        }
    }
}

fn as_list(v: &Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a.clone(),
        Value::Null => vec![],
        other => vec![other.clone()],
    }
}

/// Does the group hold the ingress rule `rule` (a template rule: inline or the
/// properties of an `AWS::EC2::SecurityGroupIngress`)?
fn check_ingress(d: &Deployed<'_>, group: &Value, rule: &Value, what: &str, problems: &mut Vec<String>) {
    let proto = d.resolve(&rule["IpProtocol"]).unwrap_or_default();
    let from = d.resolve(&rule["FromPort"]);
    let to = d.resolve(&rule["ToPort"]);
    let source_sg = rule.get("SourceSecurityGroupId").map(|s| d.resolve(s));
    let cidr = rule.get("CidrIp").map(|s| d.resolve(s));
    let found = group["IpPermissions"].as_array().into_iter().flatten().any(|p| {
        let same_proto = p["IpProtocol"].as_str() == Some(proto.as_str())
            || (proto == "-1" && p["IpProtocol"] == "-1")
            || (proto == "6" && p["IpProtocol"] == "tcp");
        let same_ports = proto == "-1"
            || (from.as_deref() == p["FromPort"].as_i64().map(|n| n.to_string()).as_deref()
                && to.as_deref() == p["ToPort"].as_i64().map(|n| n.to_string()).as_deref());
        let same_source = match (&source_sg, &cidr) {
            (Some(Some(sg)), _) => {
                p["UserIdGroupPairs"].as_array().into_iter().flatten().any(|g| g["GroupId"] == sg.as_str())
            }
            (Some(None), _) => !p["UserIdGroupPairs"].as_array().is_none_or(Vec::is_empty),
            (None, Some(Some(c))) => p["IpRanges"].as_array().into_iter().flatten().any(|r| r["CidrIp"] == c.as_str()),
            _ => true,
        };
        same_proto && same_ports && same_source
    });
    if !found {
        problems.push(format!(
            "{what}: no ingress {proto} {from:?}-{to:?} from {:?} on {}; moto has {}",
            source_sg.flatten().or(cidr.flatten()),
            group["GroupId"],
            group["IpPermissions"]
        ));
    }
}

/// Records a problem when the template's value (if the harness can resolve it)
/// differs from moto's.
fn expect_eq(problems: &mut Vec<String>, what: &str, field: &str, expected: Option<String>, actual: &Value) {
    if let Some(e) = expected {
        let a = match actual {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if a != e {
            problems.push(format!("{what}: {field} is {a:?}, the template says {e:?}"));
        }
    }
}

/// Checks every resource the template declares against what moto holds.
/// The value of template condition `name` with the deployed parameter values
/// (`params`, else each parameter's `Default`): `Fn::Equals`, `Fn::Not`, `Fn::And`,
/// `Fn::Or` and `Condition` over `Ref`s and literals; `None` for anything else.
fn condition_holds(template: &Value, name: &str, params: &BTreeMap<String, String>) -> Option<bool> {
    fn value(template: &Value, v: &Value, params: &BTreeMap<String, String>) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => {
                let p = o.get("Ref")?.as_str()?;
                params.get(p).cloned().or_else(|| template["Parameters"][p]["Default"].as_str().map(str::to_string))
            }
            _ => None,
        }
    }
    fn eval(template: &Value, e: &Value, params: &BTreeMap<String, String>) -> Option<bool> {
        let (f, args) = e.as_object()?.iter().next()?;
        let list = args.as_array();
        match f.as_str() {
            "Fn::Equals" => {
                let l = list?;
                Some(value(template, &l[0], params)? == value(template, &l[1], params)?)
            }
            "Fn::Not" => eval(template, &list?[0], params).map(|b| !b),
            "Fn::And" => list?
                .iter()
                .map(|x| eval(template, x, params))
                .collect::<Option<Vec<_>>>()
                .map(|v| v.iter().all(|b| *b)),
            "Fn::Or" => list?
                .iter()
                .map(|x| eval(template, x, params))
                .collect::<Option<Vec<_>>>()
                .map(|v| v.iter().any(|b| *b)),
            "Condition" => condition_holds(template, args.as_str()?, params),
            _ => None,
        }
    }
    eval(template, &template["Conditions"][name], params)
}

fn check_stack(template: &Value, d: &Deployed<'_>, listed: usize, notes: &mut BTreeSet<String>) -> Vec<String> {
    let mut problems = Vec::new();
    let all = template["Resources"].as_object().expect("Resources");
    // the resources that exist with these parameters: a false Condition leaves one out
    let mut resources = serde_json::Map::new();
    for (id, r) in all {
        match r["Condition"].as_str().map(|c| condition_holds(template, c, d.params)) {
            None | Some(Some(true)) => {
                resources.insert(id.clone(), r.clone());
            }
            Some(Some(false)) => {
                if d.resources.contains_key(id) {
                    problems.push(format!("{}/{id}: created though its condition is false", d.name));
                }
            }
            Some(None) => problems.push(format!("{}/{id}: the harness cannot evaluate its condition", d.name)),
        }
    }
    // moto 5.2 lists a resource its condition left out as a blank entry, as it
    // lists the types it does not model: every declared resource has a line
    if listed != all.len() {
        problems.push(format!("moto lists {listed} resources, the template declares {}", all.len()));
    }
    for (id, r) in &resources {
        let ty = r["Type"].as_str().unwrap_or_default();
        let props = &r["Properties"];
        let what = format!("{}/{id} ({ty})", d.name);
        if !CHECKED_TYPES.contains(&ty) {
            notes.insert(ty.to_string());
            continue;
        }
        let Some((moto_ty, physical, state)) = d.resources.get(id) else {
            problems.push(format!("{what}: not created"));
            continue;
        };
        if moto_ty != ty {
            problems.push(format!("{what}: moto created a {moto_ty}"));
        }
        if state.get("error").is_some() {
            problems.push(format!("{what}: {physical} cannot be read back: {}", state["error"]));
            continue;
        }
        match ty {
            "AWS::EC2::SecurityGroup" => {
                expect_eq(&mut problems, &what, "VpcId", d.resolve(&props["VpcId"]), &state["VpcId"]);
                expect_eq(
                    &mut problems,
                    &what,
                    "Description",
                    d.resolve(&props["GroupDescription"]),
                    &state["Description"],
                );
                for tag in as_list(&props["Tags"]) {
                    if !state["Tags"].as_array().into_iter().flatten().any(|t| t == &tag) {
                        problems.push(format!("{what}: tag {tag} missing; moto has {}", state["Tags"]));
                    }
                }
                for rule in as_list(&props["SecurityGroupIngress"]) {
                    check_ingress(d, state, &rule, &what, &mut problems);
                }
                if props.get("SecurityGroupEgress").is_some() {
                    notes.insert("inline SecurityGroupEgress (moto ignores it)".into());
                }
            }
            "AWS::EC2::SecurityGroupIngress" => {
                let group_id = props.get("GroupId").and_then(|g| d.resolve(g));
                match group_id.as_ref().map(|g| &d.security_groups[g.as_str()]) {
                    Some(group) if group.is_object() => check_ingress(d, group, props, &what, &mut problems),
                    _ => problems.push(format!("{what}: the group {group_id:?} does not exist in moto")),
                }
            }
            "AWS::KMS::Key" => {
                let rotation = props["EnableKeyRotation"].as_bool().unwrap_or(false);
                if state["rotation"] != json!(rotation) {
                    problems
                        .push(format!("{what}: key rotation is {}, the template says {rotation}", state["rotation"]));
                }
                for tag in as_list(&props["Tags"]) {
                    let moto_tag = json!({ "TagKey": tag["Key"], "TagValue": tag["Value"] });
                    if !state["tags"].as_array().into_iter().flatten().any(|t| t == &moto_tag) {
                        problems.push(format!("{what}: tag {tag} missing; moto has {}", state["tags"]));
                    }
                }
                if state["metadata"].get("error").is_some() {
                    notes.insert("KMS DescribeKey (moto 5.2 fails on a CloudFormation KeyPolicy)".into());
                } else {
                    expect_eq(
                        &mut problems,
                        &what,
                        "Description",
                        d.resolve(&props["Description"]),
                        &state["metadata"]["Description"],
                    );
                    expect_eq(&mut problems, &what, "KeyState", Some("Enabled".into()), &state["metadata"]["KeyState"]);
                }
            }
            "AWS::SNS::Topic" => {
                if let Some(name) = d.resolve(&props["TopicName"]) {
                    if !physical.ends_with(&format!(":{name}")) {
                        problems.push(format!("{what}: topic {physical} is not named {name}"));
                    }
                }
                if props.get("KmsMasterKeyId").is_some()
                    && state["attributes"]["KmsMasterKeyId"].as_str().is_none_or(str::is_empty)
                {
                    problems.push(format!("{what}: not encrypted in moto: {}", state["attributes"]));
                }
            }
            "AWS::IAM::ManagedPolicy" => {
                expect_eq(
                    &mut problems,
                    &what,
                    "Description",
                    d.resolve(&props["Description"]),
                    &state["policy"]["Description"],
                );
                let want = as_list(&props["PolicyDocument"]["Statement"]);
                let have = as_list(&state["document"]["Statement"]);
                if want.len() != have.len() {
                    problems.push(format!("{what}: {} statements, the template has {}", have.len(), want.len()));
                }
                for (w, h) in want.iter().zip(&have) {
                    for field in ["Sid", "Effect"] {
                        expect_eq(&mut problems, &what, field, d.resolve(&w[field]), &h[field]);
                    }
                    if as_list(&w["Action"]) != as_list(&h["Action"]) {
                        problems.push(format!("{what}: actions {} differ from {}", h["Action"], w["Action"]));
                    }
                }
                // the roles it is attached to, by name: IAM refuses an ARN or a path
                let want: Vec<Option<String>> = as_list(&props["Roles"]).iter().map(|r| d.resolve(r)).collect();
                let have: Vec<Option<String>> =
                    as_list(&state["roles"]).iter().map(|r| r["RoleName"].as_str().map(str::to_string)).collect();
                if want != have {
                    problems.push(format!("{what}: attached to roles {have:?}, the template names {want:?}"));
                }
            }
            "AWS::Logs::LogGroup" => {
                expect_eq(
                    &mut problems,
                    &what,
                    "RetentionInDays",
                    d.resolve(&props["RetentionInDays"]),
                    &state["retentionInDays"],
                );
                if let Some(name) = d.resolve(&props["LogGroupName"]) {
                    expect_eq(&mut problems, &what, "LogGroupName", Some(name), &state["logGroupName"]);
                }
            }
            "AWS::KMS::Alias" => {
                expect_eq(&mut problems, &what, "AliasName", d.resolve(&props["AliasName"]), &state["AliasName"])
            }
            "AWS::Lambda::Function" => check_function(d, props, state, &what, &mut problems, notes),
            "AWS::IAM::Role" => {
                // every inline policy, statement for statement, with the resources resolved
                for p in as_list(&props["Policies"]) {
                    let name = d.resolve(&p["PolicyName"]).unwrap_or_default();
                    let have = as_list(&state["inline"][&name]["Statement"]);
                    let want = as_list(&p["PolicyDocument"]["Statement"]);
                    if have.len() != want.len() {
                        problems.push(format!(
                            "{what}: policy {name} has {} statements in moto, the template {}",
                            have.len(),
                            want.len()
                        ));
                    }
                    for (w, h) in want.iter().zip(&have) {
                        if as_list(&w["Action"]) != as_list(&h["Action"]) {
                            problems.push(format!("{what}: actions {} differ from {}", h["Action"], w["Action"]));
                        }
                        let resource = as_list(&w["Resource"]).iter().map(|r| d.resolve(r)).collect::<Vec<_>>();
                        let moto: Vec<Option<String>> =
                            as_list(&h["Resource"]).iter().map(|r| r.as_str().map(str::to_string)).collect();
                        if resource.iter().all(Option::is_some) && resource != moto {
                            problems.push(format!("{what}: resources {moto:?}, the template gives {resource:?}"));
                        }
                    }
                }
                let trusted = &state["role"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"];
                let want = &props["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"];
                if trusted != want {
                    problems.push(format!("{what}: trusts {trusted}, the template {want}"));
                }
            }
            "AWS::SQS::Queue" => {
                expect_eq(
                    &mut problems,
                    &what,
                    "MessageRetentionPeriod",
                    d.resolve(&props["MessageRetentionPeriod"]),
                    &state["MessageRetentionPeriod"],
                );
                if props.get("KmsMasterKeyId").is_some() && state["KmsMasterKeyId"].as_str().is_none_or(str::is_empty) {
                    problems.push(format!("{what}: not encrypted in moto: {state}"));
                }
            }
            _ => unreachable!("{ty} is in CHECKED_TYPES"),
        }
    }
    problems
}

/// A Lambda function as moto holds it: runtime, handler, timeout, role, environment,
/// dead-letter queue and reserved concurrency as the template says.
fn check_function(
    d: &Deployed<'_>,
    props: &Value,
    state: &Value,
    what: &str,
    problems: &mut Vec<String>,
    notes: &mut BTreeSet<String>,
) {
    for (prop, field) in [("Runtime", "Runtime"), ("Handler", "Handler"), ("Timeout", "Timeout")] {
        expect_eq(problems, what, field, d.resolve(&props[prop]), &state[field]);
    }
    let role = d.resolve(&props["Role"]);
    if role.is_some() {
        expect_eq(problems, what, "Role", role, &state["Role"]);
    }
    for (name, v) in props["Environment"]["Variables"].as_object().into_iter().flatten() {
        let want = d.resolve(v);
        if want.is_some() {
            expect_eq(problems, what, &format!("Environment.{name}"), want, &state["Environment"]["Variables"][name]);
        } else if v.get("Ref").and_then(Value::as_str).is_some_and(|r| !d.resources.contains_key(r)) {
            // a Ref to a type moto does not model (the Secrets Manager secret) leaves it out
            notes.insert(format!("Lambda environment variables from a resource moto does not model ({name})"));
        } else if state["Environment"]["Variables"].get(name).is_none() {
            problems.push(format!("{what}: environment variable {name} is missing in moto"));
        }
    }
    if let Some(dlq) = props["DeadLetterConfig"].get("TargetArn").and_then(|v| d.resolve(v)) {
        expect_eq(problems, what, "DeadLetterConfig.TargetArn", Some(dlq), &state["DeadLetterConfig"]["TargetArn"]);
    }
}

/// Stack names in an order that deploys dependencies first.
fn deploy_order(manifest: &Value) -> Vec<String> {
    let artifacts = manifest["artifacts"].as_object().expect("artifacts");
    let mut order: Vec<String> = Vec::new();
    while order.len() < artifacts.len() {
        let before = order.len();
        for (name, a) in artifacts {
            let deps = as_list(&a["dependencies"]);
            if !order.contains(name) && deps.iter().all(|d| order.iter().any(|o| d == o)) {
                order.push(name.clone());
            }
        }
        assert!(order.len() > before, "the manifest's dependencies have a cycle: {manifest}");
    }
    order
}

fn stack_name(app: &str, stack: &str) -> String {
    let raw = format!("t-{app}-{stack}");
    raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect()
}

/// Deploys one app's stacks, checks them, deletes them. Returns the problems found.
fn deploy_app(h: &Harness, fixtures: &Fixtures, out: &common::AppOutput, notes: &mut BTreeSet<String>) -> Vec<String> {
    let label = out.label();
    let mut problems = Vec::new();
    let mut deployed: Vec<(String, String, Value, BTreeMap<String, String>)> = Vec::new();
    for stack in deploy_order(&out.manifest) {
        let file = out.dir.join(format!("{stack}.template.json"));
        let template = common::read_json(&file);
        let params = match parameter_values(&template, fixtures) {
            Ok(p) => p,
            Err(e) => {
                problems.push(format!("{label} {stack}: {e}"));
                break;
            }
        };
        let name = stack_name(&out.app, &stack);
        let copy = h.dir.join(format!("{name}.json"));
        std::fs::write(&copy, serde_json::to_string_pretty(&common::moto::moto_workarounds(&template)).unwrap())
            .unwrap();
        let copy_str = copy.to_str().unwrap();
        let text = template.to_string();
        // moto registers exports only on the create-stack path, and its change sets
        // (`deploy`) do not see them: stacks that export or import go through
        // create-stack; every other stack through the real `deploy`.
        let result = if text.contains("\"Export\"") || text.contains("\"Fn::ImportValue\"") {
            let parameters: Vec<Value> =
                params.iter().map(|(k, v)| json!({ "ParameterKey": k, "ParameterValue": v })).collect();
            let parameters = Value::Array(parameters).to_string();
            h.aws(&[
                "cloudformation",
                "create-stack",
                "--stack-name",
                &name,
                "--template-body",
                &format!("file://{copy_str}"),
                "--capabilities",
                "CAPABILITY_IAM",
                "CAPABILITY_NAMED_IAM",
                "--parameters",
                &parameters,
            ])
            .and_then(|_| h.aws(&["cloudformation", "wait", "stack-create-complete", "--stack-name", &name]))
        } else {
            let overrides: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let mut args = vec![
                "cloudformation",
                "deploy",
                "--template-file",
                copy_str,
                "--stack-name",
                &name,
                "--capabilities",
                "CAPABILITY_IAM",
                "CAPABILITY_NAMED_IAM",
            ];
            // Over 51,200 bytes `deploy` uploads the template to S3: moto's, through
            // AWS_ENDPOINT_URL_S3, never the real one.
            if text.len() > 51_200 {
                args.extend(["--s3-bucket", &fixtures.bucket]);
            }
            if !overrides.is_empty() {
                args.push("--parameter-overrides");
                args.extend(overrides.iter().map(String::as_str));
            }
            h.aws(&args)
        };
        if let Err(e) = result {
            problems.push(format!("{label} {stack}: deploy failed: {e}"));
            break;
        }
        deployed.push((stack, name, template, params));
    }

    if !deployed.is_empty() {
        let names: Vec<&str> = deployed.iter().map(|d| d.1.as_str()).collect();
        let mut args = vec!["inspect"];
        args.extend(&names);
        let state = h.probe(&args);
        for (stack, name, template, params) in &deployed {
            let s = &state["stacks"][name.as_str()];
            if !matches!(s["status"].as_str(), Some("CREATE_COMPLETE" | "UPDATE_COMPLETE")) {
                problems.push(format!("{label} {stack}: stack status {}", s["status"]));
            }
            let listed = as_list(&s["resources"]);
            let resources = listed
                .iter()
                .filter(|r| r["logical"].as_str().is_some_and(|l| !l.is_empty()))
                .map(|r| {
                    let physical = r["physical"].as_str().unwrap_or_default().to_string();
                    (
                        r["logical"].as_str().unwrap().to_string(),
                        (r["type"].as_str().unwrap().to_string(), physical, r["state"].clone()),
                    )
                })
                .collect();
            let d = Deployed {
                name: stack,
                params,
                resources,
                exports: &state["exports"],
                security_groups: &state["security_groups"],
            };
            for p in check_stack(template, &d, listed.len(), notes) {
                problems.push(format!("{label} {p}"));
            }
        }
        // Delete in reverse order, then check the stacks' security groups are gone.
        let created_sgs: Vec<String> = state["stacks"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values().cloned())
            .flat_map(|s| as_list(&s["resources"]))
            .filter(|r| r["type"] == "AWS::EC2::SecurityGroup")
            .filter_map(|r| r["physical"].as_str().map(str::to_string))
            .collect();
        for (stack, name, _, _) in deployed.iter().rev() {
            if let Err(e) = h.aws(&["cloudformation", "delete-stack", "--stack-name", name]) {
                problems.push(format!("{label} {stack}: delete failed: {e}"));
            }
        }
        let after = h.probe(&args);
        for (stack, name, _, _) in &deployed {
            let status = after["stacks"][name.as_str()]["status"].as_str().unwrap_or_default().to_string();
            if !matches!(status.as_str(), "DELETE_COMPLETE" | "NOT_FOUND") {
                problems.push(format!("{label} {stack}: after delete-stack the status is {status}"));
            }
        }
        for sg in created_sgs {
            if after["security_groups"].get(&sg).is_some() {
                problems.push(format!("{label}: security group {sg} outlived its stack"));
            }
        }
    }
    problems
}

#[test]
fn prod_templates_deploy_to_moto() {
    let Some(moto_server) = common::external_tool("moto_server", "pip install 'moto[server]'") else { return };
    let Some(aws) = common::external_tool("aws", "pip install awscli") else { return };
    let Some(python) = common::moto::python_with_boto3() else { return };
    let set = common::synthesize(&["prod"]);
    let dir = common::temp_dir("moto");
    let server = common::moto::MotoServer::start(&moto_server, &dir);
    let h = Harness { server, aws, python, dir };
    let f = h.probe(&["setup", "redis-cdk-templates"]);
    let fixtures = Fixtures {
        vpc: f["vpc"].as_str().expect("vpc").to_string(),
        subnets: as_list(&f["subnets"]).iter().map(|s| s.as_str().unwrap().to_string()).collect(),
        app_sg: f["app_sg"].as_str().expect("app_sg").to_string(),
        route_tables: as_list(&f["route_tables"]).iter().map(|s| s.as_str().unwrap().to_string()).collect(),
        bucket: f["bucket"].as_str().expect("bucket").to_string(),
        app_role: f["app_role"].as_str().expect("app_role").to_string(),
        rotation_code_key: f["rotation_code_key"].as_str().expect("rotation_code_key").to_string(),
    };
    let mut problems = Vec::new();
    let mut notes = BTreeSet::new();
    for out in &set.outputs {
        let start = Instant::now();
        let p = deploy_app(&h, &fixtures, out, &mut notes);
        eprintln!(
            "{}: deployed, checked and deleted in {:.1}s, {} problem(s)",
            out.label(),
            start.elapsed().as_secs_f64(),
            p.len()
        );
        problems.extend(p);
    }
    eprintln!("not checked (moto does not model them): {}", notes.into_iter().collect::<Vec<_>>().join(", "));
    let apps: Vec<String> = set.outputs.iter().map(|o| o.app.clone()).collect();
    assert!(apps.contains(&common::DEFAULT_APP.to_string()), "the default app was deployed");
    assert!(problems.is_empty(), "{} problem(s) on moto:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn unknown_required_parameter_is_refused() {
    let fixtures = Fixtures {
        vpc: "vpc-1".into(),
        subnets: vec!["s-1".into(), "s-2".into()],
        app_sg: "sg-1".into(),
        route_tables: vec![],
        bucket: "b".into(),
        app_role: "app".into(),
        rotation_code_key: "k.zip".into(),
    };
    let template = json!({ "Parameters": {
        "VpcId": { "Type": "AWS::EC2::VPC::Id" },
        "SubnetIds": { "Type": "List<AWS::EC2::Subnet::Id>" },
        "NodeType": { "Type": "String", "Default": "cache.t3.micro" },
        "AlarmEmail": { "Type": "String" }
    }});
    let err = parameter_values(&template, &fixtures).unwrap_err();
    assert!(err.contains("AlarmEmail (String)") && !err.contains("NodeType"), "{err}");
    let ok =
        parameter_values(&json!({ "Parameters": { "SubnetIds": {}, "AppSecurityGroupId": {} } }), &fixtures).unwrap();
    assert_eq!(ok["SubnetIds"], "s-1,s-2");
    assert_eq!(ok["AppSecurityGroupId"], "sg-1");
}

#[test]
fn moto_workarounds_keep_the_template_otherwise() {
    let t = json!({ "Resources": {
        "K": { "Type": "AWS::KMS::Key", "Properties": { "Tags": [{ "Key": "a", "Value": "b" }] } },
        "T": { "Type": "AWS::SNS::Topic", "Properties": { "Tags": [{ "Key": "a", "Value": "b" }] } }
    }});
    let w = common::moto::moto_workarounds(&t);
    assert_eq!(w["Resources"]["K"]["Properties"]["Tags"], json!([{ "TagKey": "a", "TagValue": "b" }]));
    assert_eq!(w["Resources"]["T"], t["Resources"]["T"]);
    assert_eq!(
        deploy_order(&json!({ "artifacts": {
            "B": { "dependencies": ["A"] }, "A": { "dependencies": [] }
        }})),
        ["A", "B"]
    );
}
