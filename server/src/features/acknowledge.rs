//! "Acknowledge …": the target of a route records the version of its source
//! it has read (`routed_from`, `docs/links.md`), which clears `route-stale`
//! until the source changes again. One quick fix per source, bound to that
//! source's finding (several sources can be stale at once), and
//! "Acknowledge all" when more than one is.

use crate::artifact::Artifact;
use crate::syntax::frontmatter::FmValue;
use crate::text::{TextRange, to_u32};
use crate::workspace::Workspace;
use crate::workspace::resolve::relative_link;
use crate::workspace::routes::{Standing, ack_field, ack_lines, acks, incoming, standing};

use super::actions::{Action, ActionKind, FileOp};
use super::fixes::Fix;

/// "Acknowledge all N sources" when more than one source awaits acknowledgement.
pub fn actions(ws: &Workspace, art: &Artifact, text: &str) -> Vec<Action> {
    let waiting: Vec<&Artifact> = awaiting(ws, art)
        .iter()
        .filter_map(|p| ws.artifacts.get(p))
        .collect();
    if waiting.len() < 2 {
        return Vec::new();
    }
    edit_many(ws, art, text, &waiting)
        .map(|op| Action {
            title: format!("Acknowledge all {} sources routing here", waiting.len()),
            kind: ActionKind::QuickFix,
            ops: vec![op],
            fixes: vec!["route-stale"],
        })
        .into_iter()
        .collect()
}

/// One "Acknowledge …" quick fix per source whose current version `art` has
/// not acknowledged, offered where that source's `route-stale` is: its
/// `routed_from` entry when it changed, the artifact's anchor when never acknowledged.
pub fn fixes(ws: &Workspace, art: &Artifact, text: &str) -> Vec<Fix> {
    let mut out = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (src, _) in incoming(ws, &art.path) {
        if seen.contains(&src.path.as_str()) {
            continue;
        }
        seen.push(&src.path);
        let at = match standing(ws, src, art) {
            Some(Standing::Never) => art.anchor(),
            Some(Standing::Changed(ack, _)) => ack.path_range,
            Some(Standing::Acknowledged) | None => continue,
        };
        if let Some(op) = edit(ws, art, text, src) {
            out.push(Fix {
                action: Action {
                    title: format!("Acknowledge {}", crate::rules::describe_routed(src)),
                    kind: ActionKind::QuickFix,
                    ops: vec![op],
                    fixes: vec!["route-stale"],
                },
                at,
                preferred: true,
                about: Some(src.path.clone()),
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
    edit_many(ws, target, text, &[source])
}

/// One edit of `target`'s frontmatter recording the current version of
/// every source in `sources`: entries already there replaced in place, the
/// others added together after them (the field created if need be).
pub fn edit_many(
    ws: &Workspace,
    target: &Artifact,
    text: &str,
    sources: &[&Artifact],
) -> Option<FileOp> {
    let field = ack_field(ws, target)?;
    let existing = acks(ws, target);
    let mut edits: Vec<(TextRange, String)> = Vec::new();
    let mut new: Vec<Vec<String>> = Vec::new();
    for source in sources {
        let version = source.version.as_ref()?;
        let lines = ack_lines(&relative_link(&target.path, &source.path), version);
        match existing
            .iter()
            .find(|a| a.source.as_deref() == Some(source.path.as_str()))
        {
            Some(a) => {
                let indent = " ".repeat(column(text, a.range.start));
                edits.push((
                    to_line_end(text, a.range),
                    lines.join(&format!("\n{indent}")),
                ));
            }
            None => new.push(lines),
        }
    }
    let block = |lines: &[Vec<String>]| {
        lines
            .iter()
            .map(|l| format!("  - {}\n", l.join("\n    ")))
            .collect::<String>()
    };
    if !new.is_empty() {
        let (at, insert) = match &target.frontmatter {
            None => (
                TextRange::empty(0),
                format!("---\n{field}:\n{}---\n", block(&new)),
            ),
            Some(fm) if fm.error.is_some() => return None,
            Some(fm) => match fm.get(field) {
                None => {
                    // Before the closing fence.
                    let body = fm.range.slice(text).trim_end_matches(['\n', '\r']);
                    let close = body.rfind('\n').map_or(0, |i| i + 1);
                    (
                        TextRange::empty(fm.range.start + to_u32(close)),
                        format!("{field}:\n{}", block(&new)),
                    )
                }
                Some(f) => match &f.value {
                    FmValue::List(items) if !items.is_empty() && !is_flow(f.value_range, text) => {
                        let last = to_line_end(text, items.last()?.range);
                        let col = column(text, last.start);
                        let line_start = last.start as usize - col;
                        let prefix = text.get(line_start..last.start as usize)?;
                        let indent = " ".repeat(col);
                        let added: String = new
                            .iter()
                            .map(|l| format!("\n{prefix}{}", l.join(&format!("\n{indent}"))))
                            .collect();
                        (TextRange::empty(last.end), added)
                    }
                    // Entries written inline: not rewritten, nothing may be lost.
                    FmValue::List(items) if !items.is_empty() => return None,
                    // Empty or a scalar: the field rewritten as a block list.
                    _ => {
                        let b = block(&new);
                        (
                            TextRange::new(
                                f.key_range.start,
                                f.value_range.end.max(f.key_range.end),
                            ),
                            format!("{field}:\n{}", b.trim_end_matches('\n')),
                        )
                    }
                },
            },
        };
        // An insertion right after a replaced entry joins that replacement:
        // two edits touching at one point have no defined order.
        match edits
            .iter_mut()
            .find(|(r, _)| r.end == at.start && at.is_empty())
        {
            Some((_, t)) => t.push_str(&insert),
            None => edits.push((at, insert)),
        }
    }
    if edits.is_empty() {
        return None;
    }
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
