use serde_json::{Value, json};

use crate::rules::{Diagnostic, Severity};
use crate::workspace::Workspace;

pub fn json(ws: &Workspace, diags: &[Diagnostic]) -> String {
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let items: Vec<Value> = diags
        .iter()
        .map(|d| {
            json!({
                "path": d.path,
                "code": d.code,
                "severity": d.severity.as_str(),
                "message": d.message,
                "range": range(ws, &d.path, d.range),
                "related": d.related.iter().map(|r| json!({
                    "path": r.path,
                    "message": r.message,
                    "range": range(ws, &r.path, r.range),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = json!({
        "version": 1,
        "summary": {
            "files": ws.artifacts.len(),
            "errors": count(Severity::Error),
            "warnings": count(Severity::Warning),
            "infos": count(Severity::Info),
            "hints": count(Severity::Hint),
        },
        "diagnostics": items,
    });
    // Serializing a Value built here cannot fail.
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn range(ws: &Workspace, path: &str, r: crate::text::TextRange) -> Value {
    let (start, end) = super::place(ws, path, r);
    json!({
        "start": {"line": start.line, "column": start.col},
        "end": {"line": end.line, "column": end.col},
        "bytes": [r.start, r.end],
    })
}
