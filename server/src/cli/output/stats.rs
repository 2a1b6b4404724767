//! `check --stats`: a fidelity report anyone can run on any folder.

use std::collections::BTreeMap;

use crate::rules::{Diagnostic, Severity};
use crate::workspace::Workspace;

pub fn stats(ws: &Workspace, diags: &[Diagnostic]) -> String {
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for a in ws.artifacts.values() {
        let key = match (a.class.flavor(), a.class.kind()) {
            (Some(f), Some(k)) => format!("{f}/{k}"),
            (Some(f), None) => format!("{f}/(unknown)"),
            _ => "(unclaimed)".to_string(),
        };
        *kinds.entry(key).or_default() += 1;
    }
    let mut codes: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for d in diags {
        *codes.entry((d.severity.as_str(), d.code)).or_default() += 1;
    }
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let mut out = format!("\nfiles seen: {}\n", ws.artifacts.len());
    out.push_str("by kind:\n");
    for (k, n) in &kinds {
        out.push_str(&format!("  {n:>6}  {k}\n"));
    }
    out.push_str(&format!(
        "diagnostics: {} errors, {} warnings, {} infos, {} hints\n",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
        count(Severity::Hint)
    ));
    for ((sev, code), n) in &codes {
        out.push_str(&format!("  {n:>6}  {sev:<7} {code}\n"));
    }
    out
}
