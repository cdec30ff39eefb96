//! Output rules: two exports whose names are the same expression (OUT001).
//! Two identical literal names are the integrity rule TPL011.

use super::finding;
use crate::template::Template;
use crate::validate::Finding;
use serde_json::Value as J;

pub(super) fn check(t: &Template, out: &mut Vec<Finding>) {
    let mut seen: Vec<(String, &str, bool)> = Vec::new();
    for (id, o) in t.outputs {
        let Some(name) = o.get("Export").and_then(|e| e.get("Name")) else { continue };
        // A Ref to a parameter with a default counts as that default.
        let (key, literal) = match t.resolve(name) {
            Some(l) => (l.text(), name.is_string()),
            None => (canonical(name), false),
        };
        match seen.iter().find(|(k, _, _)| *k == key) {
            Some((_, first, first_literal)) if !(literal && *first_literal) => {
                out.push(finding("OUT001", id, "Export.Name", format!("export name {} is also the export name of output {first}; export names must be unique in a region, so give one of them another name", show(name))));
            }
            Some(_) => {}
            None => seen.push((key, id, literal)),
        }
    }
}

fn canonical(v: &J) -> String {
    match v.get("Fn::Sub") {
        Some(J::String(s)) => s.clone(),
        _ => v.to_string(),
    }
}

fn show(v: &J) -> String {
    let s = match v {
        J::String(s) => format!("'{s}'"),
        other => other.to_string(),
    };
    if s.len() > 80 {
        format!("{}...", s.chars().take(77).collect::<String>())
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::pair;
    use serde_json::{json, Value as J};

    fn outputs(a: J, b: J) -> J {
        json!({"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": "alias/x"}}},
               "Outputs": {"A": {"Value": "1", "Export": {"Name": a}}, "B": {"Value": "2", "Export": {"Name": b}}}})
    }

    #[test]
    fn fails_out001_duplicate_export_expression() {
        pair(outputs(json!({"Fn::Sub": "${AWS::StackName}-Host"}), json!({"Fn::Sub": "${AWS::StackName}-Host"})),
             outputs(json!({"Fn::Sub": "${AWS::StackName}-Host"}), json!({"Fn::Sub": "${AWS::StackName}-Port"})),
            "B.Export.Name: [OUT001] export name {\"Fn::Sub\":\"${AWS::StackName}-Host\"} is also the export name of output A; export names must be unique in a region, so give one of them another name");
    }
}
