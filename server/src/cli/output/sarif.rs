//! SARIF 2.1.0, as GitHub code scanning reads it.

use serde_json::{Value, json};

use crate::rules::{Diagnostic, RULES, Severity};
use crate::workspace::Workspace;

const DOCS: &str = "https://github.com/agentops/agentops-lsp/blob/main/docs/rules.md";

pub fn sarif(ws: &Workspace, diags: &[Diagnostic]) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "shortDescription": {"text": r.summary},
                "helpUri": format!("{DOCS}#{}", r.code),
                "defaultConfiguration": {"level": level(r.default)},
            })
        })
        .collect();
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": RULES.iter().position(|r| r.code == d.code).unwrap_or(0),
                "level": level(d.severity),
                "message": {"text": d.message},
                "locations": [location(ws, &d.path, d.range)],
            });
            if !d.related.is_empty()
                && let Some(obj) = result.as_object_mut()
            {
                let related: Vec<Value> = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let mut loc = location(ws, &r.path, r.range);
                        if let Some(o) = loc.as_object_mut() {
                            o.insert("id".into(), json!(i));
                            o.insert("message".into(), json!({"text": r.message}));
                        }
                        loc
                    })
                    .collect();
                obj.insert("relatedLocations".into(), Value::Array(related));
            }
            result
        })
        .collect();
    let root = ws.root.canonicalize().unwrap_or_else(|_| ws.root.clone());
    let root_uri = format!("file://{}/", encode(&root.to_string_lossy()));
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "agentops-lsp",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/agentops/agentops-lsp",
                "rules": rules,
            }},
            "originalUriBaseIds": {"SRCROOT": {"uri": root_uri}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

fn location(ws: &Workspace, path: &str, r: crate::text::TextRange) -> Value {
    let (start, end) = super::place(ws, path, r);
    json!({"physicalLocation": {
        "artifactLocation": {"uri": encode(path), "uriBaseId": "SRCROOT"},
        "region": {
            "startLine": start.line,
            "startColumn": start.col,
            "endLine": end.line,
            "endColumn": end.col,
        },
    }})
}

/// Percent-encodes what a URI path may not hold as is.
pub fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
