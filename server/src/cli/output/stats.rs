//! `check --stats`: a fidelity report anyone can run on any folder.

use std::collections::BTreeMap;

use crate::artifact::sections::follows_template;
use crate::rules::{Diagnostic, Severity};
use crate::workspace::Workspace;

pub fn stats(ws: &Workspace, diags: &[Diagnostic]) -> String {
    // Per kind: (files, files not following the kind's template).
    let mut kinds: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut following, mut loose) = (0, 0);
    for a in ws.artifacts.values() {
        let key = match (a.class.flavor(), a.class.kind()) {
            (Some(f), Some(k)) => format!("{f}/{k}"),
            (Some(f), None) => format!("{f}/(unknown)"),
            _ => "(unclaimed)".to_string(),
        };
        let entry = kinds.entry(key).or_default();
        entry.0 += 1;
        match ws.kind_of(a) {
            Some(k) if follows_template(a, k) => following += 1,
            Some(_) => {
                loose += 1;
                entry.1 += 1;
            }
            None => {}
        }
    }
    // Most severe first: errors, warnings, infos, hints.
    let mut codes: BTreeMap<(Severity, &str), usize> = BTreeMap::new();
    for d in diags {
        *codes.entry((d.severity, d.code)).or_default() += 1;
    }
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let mut out = format!("\nfiles seen: {}\n", ws.artifacts.len());
    out.push_str(&format!(
        "  {following} following their kind's template, {loose} not (checked as notes only), {} of no kind\n",
        ws.artifacts.len() - following - loose
    ));
    out.push_str("by kind:\n");
    for (k, (n, l)) in &kinds {
        let tail = if *l > 0 {
            format!("  ({l} not following)")
        } else {
            String::new()
        };
        out.push_str(&format!("  {n:>6}  {k}{tail}\n"));
    }
    out.push_str(&format!(
        "diagnostics: {}, {}, {}, {}\n",
        super::plural(count(Severity::Error), "error"),
        super::plural(count(Severity::Warning), "warning"),
        super::plural(count(Severity::Info), "info"),
        super::plural(count(Severity::Hint), "hint")
    ));
    for ((sev, code), n) in &codes {
        out.push_str(&format!("  {n:>6}  {:<7} {code}\n", sev.as_str()));
    }
    out
}
