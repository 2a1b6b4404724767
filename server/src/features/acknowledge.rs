//! "Acknowledge …": the target of a route records the version of its source
//! it has read (`routed_from`, `docs/links.md`), which clears `route-stale`
//! until the source changes again.

use crate::artifact::Artifact;
use crate::syntax::frontmatter::FmValue;
use crate::text::{TextRange, to_u32};
use crate::workspace::Workspace;
use crate::workspace::resolve::relative_link;
use crate::workspace::routes::{Standing, ack_field, ack_lines, acks, incoming, standing};

use super::actions::{Action, ActionKind, FileOp};

/// One "Acknowledge …" quick fix per source whose current version `art` has not acknowledged.
pub fn actions(ws: &Workspace, art: &Artifact, text: &str) -> Vec<Action> {
    let mut out: Vec<Action> = Vec::new();
    for path in awaiting(ws, art) {
        let Some(src) = ws.artifacts.get(&path) else {
            continue;
        };
        if let Some(op) = edit(ws, art, text, src) {
            out.push(Action {
                title: format!("Acknowledge {}", crate::rules::describe_routed(src)),
                kind: ActionKind::QuickFix,
                ops: vec![op],
                fixes: vec!["route-stale"],
            });
        }
    }
    out
}

/// The sources routing to `art` whose current version it has not acknowledged.
pub fn awaiting(ws: &Workspace, art: &Artifact) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (src, _) in incoming(ws, &art.path) {
        if !out.contains(&src.path)
            && matches!(
                standing(ws, src, art),
                Some(Standing::Never | Standing::Changed(..))
            )
        {
            out.push(src.path.clone());
        }
    }
    out
}

/// The edit of `target`'s frontmatter recording `source`'s current version:
/// its entry replaced, or a new entry added (the field created if need be).
pub fn edit(ws: &Workspace, target: &Artifact, text: &str, source: &Artifact) -> Option<FileOp> {
    let field = ack_field(ws, target)?;
    let version = source.version.as_ref()?;
    let lines = ack_lines(&relative_link(&target.path, &source.path), version);
    let edits = match &target.frontmatter {
        None => vec![(
            TextRange::empty(0),
            format!("---\n{field}:\n  - {}\n---\n", lines.join("\n    ")),
        )],
        Some(fm) if fm.error.is_some() => return None,
        Some(fm) => match fm.get(field) {
            None => {
                // Before the closing fence.
                let block = fm.range.slice(text);
                let body = block.trim_end_matches(['\n', '\r']);
                let close = body.rfind('\n').map_or(0, |i| i + 1);
                vec![(
                    TextRange::empty(fm.range.start + to_u32(close)),
                    format!("{field}:\n  - {}\n", lines.join("\n    ")),
                )]
            }
            Some(f) => {
                let existing = acks(ws, target)
                    .into_iter()
                    .find(|a| a.source.as_deref() == Some(source.path.as_str()));
                match (&f.value, existing) {
                    (_, Some(a)) => {
                        let indent = " ".repeat(column(text, a.range.start));
                        vec![(
                            to_line_end(text, a.range),
                            lines.join(&format!("\n{indent}")),
                        )]
                    }
                    (FmValue::List(items), None)
                        if !items.is_empty() && !is_flow(f.value_range, text) =>
                    {
                        let last = to_line_end(text, items.last()?.range);
                        let col = column(text, last.start);
                        let line_start = last.start as usize - col;
                        let prefix = text.get(line_start..last.start as usize)?;
                        let indent = " ".repeat(col);
                        vec![(
                            TextRange::empty(last.end),
                            format!("\n{prefix}{}", lines.join(&format!("\n{indent}"))),
                        )]
                    }
                    // Entries written inline: not rewritten, nothing may be lost.
                    (FmValue::List(items), None) if !items.is_empty() => return None,
                    // Empty or a scalar: the field rewritten as a block list.
                    _ => {
                        vec![(
                            TextRange::new(
                                f.key_range.start,
                                f.value_range.end.max(f.key_range.end),
                            ),
                            format!("{field}:\n  - {}", lines.join("\n    ")),
                        )]
                    }
                }
            }
        },
    };
    Some(FileOp::Edit {
        path: target.path.clone(),
        edits,
    })
}

/// An entry without the line break and indentation YAML spans carry up
/// to the next token.
fn to_line_end(text: &str, r: TextRange) -> TextRange {
    let kept = r.slice(text).trim_end().len();
    TextRange::new(r.start, r.start + to_u32(kept))
}

/// Bytes from the start of the line to `at` (the YAML is indented with spaces).
fn column(text: &str, at: u32) -> usize {
    let at = at as usize;
    text.get(..at)
        .map_or(0, |t| at - t.rfind('\n').map_or(0, |i| i + 1))
}

fn is_flow(range: TextRange, text: &str) -> bool {
    range.slice(text).trim_start().starts_with('[')
}
