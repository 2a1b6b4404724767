//! Moves that keep links true: when files or folders move (an artifact, a
//! spec folder, a code folder), the edits that rewrite every relative link,
//! explicit artifact link (`research:`), route, declared code path
//! (`produces`, `**File:**`, …) and bundle source that names them.
//!
//! The edits are for the files as they are before the move (LSP applies
//! `workspace/willRenameFiles` edits first, then renames).

use crate::artifact::Artifact;
use crate::syntax::frontmatter::{FmField, FmValue};
use crate::syntax::inline::LinkKind;
use crate::text::TextRange;
use crate::workspace::Workspace;
use crate::workspace::code_map::{self, inside};
use crate::workspace::resolve::relative_link;
use crate::workspace::resolve::target as link_target;

use super::actions::FileOp;

/// A file or folder moving, root-relative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub from: String,
    pub to: String,
}

/// Where `path` is after the moves, if one of them carries it.
pub fn moved(path: &str, moves: &[Move]) -> Option<String> {
    moves.iter().find_map(|m| {
        if path == m.from {
            Some(m.to.clone())
        } else if m.from.is_empty() {
            None
        } else {
            let rest = path.strip_prefix(&m.from)?.strip_prefix('/')?;
            Some(format!("{}/{rest}", m.to))
        }
    })
}

/// The text of a root-relative file, as the editor has it (open documents
/// may differ from the disk).
pub type TextOf<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Edits, one `FileOp::Edit` per file, that keep every reference true across `moves`.
pub fn file_moves(ws: &Workspace, moves: &[Move], text_of: TextOf) -> Vec<FileOp> {
    let mut out = Vec::new();
    for a in ws.artifacts.values() {
        let new_home = moved(&a.path, moves).unwrap_or_else(|| a.path.clone());
        let mut edits = link_edits(ws, a, &new_home, moves);
        let mut text: Option<Option<String>> = None;
        let mut text = || text.get_or_insert_with(|| text_of(&a.path)).clone();
        edits.extend(code_path_edits(a, moves, &mut text));
        edits.extend(field_edits(ws, a, &new_home, moves, &mut text));
        edits.extend(command_edits(ws, a, &new_home, moves));
        if !edits.is_empty() {
            edits.sort_by_key(|(r, _)| r.start);
            edits.dedup_by_key(|(r, _)| *r);
            out.push(FileOp::Edit {
                path: a.path.clone(),
                edits,
            });
        }
    }
    out
}

/// Slash-command arguments that name a moving artifact: `/plan x-research.md`
/// follows its research. A bare file name stays a file name (it resolves by
/// name); a path is rewritten relative to the file's new home.
fn command_edits(
    ws: &Workspace,
    a: &Artifact,
    new_home: &str,
    moves: &[Move],
) -> Vec<(TextRange, String)> {
    use crate::command::resolve::{Resolved, artifact as resolve_artifact};
    use crate::command::{Word, bind, catalog};
    let mut out = Vec::new();
    for u in &a.commands {
        let Some(k) = catalog::best(ws, a, u) else {
            continue;
        };
        let b = bind(k.command, u);
        for (w, (word, range)) in b.words.iter().zip(&u.args) {
            let Word::Arg(Some(decl)) = w else { continue };
            if decl.kind != "artifact" {
                continue;
            }
            let Resolved::Found(target) = resolve_artifact(ws, a, word, &decl.kinds) else {
                continue;
            };
            let Some(new_target) = moved(&target, moves) else {
                continue;
            };
            let new_word = if word.contains('/') {
                crate::workspace::resolve::relative_link(new_home, &new_target)
            } else {
                let file = new_target.rsplit('/').next().unwrap_or(&new_target);
                if word.ends_with(".md") {
                    file.to_string()
                } else {
                    file.trim_end_matches(".md").to_string()
                }
            };
            if new_word != *word {
                out.push((*range, new_word));
            }
        }
    }
    out
}

/// Markdown links and reference definitions whose target or home moves.
fn link_edits(
    ws: &Workspace,
    a: &Artifact,
    new_home: &str,
    moves: &[Move],
) -> Vec<(TextRange, String)> {
    let defs = a.link_defs.iter().map(|d| (d.dest.as_str(), d.dest_range));
    let inline = a
        .links
        .iter()
        .filter(|l| matches!(l.kind, LinkKind::Inline | LinkKind::Image))
        .map(|l| (l.dest.as_str(), l.dest_range));
    let mut out = Vec::new();
    for (dest, range) in inline.chain(defs) {
        let path_part = dest.split(['#', '?']).next().unwrap_or("");
        if path_part.is_empty() {
            continue; // `#anchor`: stays with its file
        }
        let Some(target) = link_target(ws, &a.path, dest) else {
            continue;
        };
        let new_target = moved(&target, moves).unwrap_or_else(|| target.clone());
        if new_home == a.path && new_target == target {
            continue;
        }
        let suffix = dest.get(path_part.len()..).unwrap_or("");
        let mut new_path = if path_part.starts_with('/') {
            format!("/{new_target}")
        } else {
            relative_link(new_home, &new_target)
        };
        if path_part.ends_with('/') && !new_path.ends_with('/') {
            new_path.push('/');
        }
        if new_path == path_part {
            continue;
        }
        let bracketed = range.len() as usize == dest.len() + 2;
        let text = if bracketed {
            format!("<{new_path}{suffix}>")
        } else {
            format!("{new_path}{suffix}")
        };
        out.push((range, text));
    }
    out
}

/// Declared code paths under a moved file or folder, prefix rewritten.
fn code_path_edits(
    a: &Artifact,
    moves: &[Move],
    text: &mut dyn FnMut() -> Option<String>,
) -> Vec<(TextRange, String)> {
    let mut out = Vec::new();
    for cp in &a.code_paths {
        let written = cp.path.trim_end_matches('/');
        let Some(m) = moves.iter().find(|m| {
            let lit = if code_map::is_glob(written) {
                code_map::glob_base(written)
            } else {
                written
            };
            !m.from.is_empty() && inside(lit, &m.from)
        }) else {
            continue;
        };
        let Some(rest) = written.strip_prefix(&m.from) else {
            continue;
        };
        let Some(t) = text() else { continue };
        let Some(at) = cp.range.slice(&t).find(written) else {
            continue;
        };
        let start = cp.range.start + crate::text::to_u32(at);
        out.push((
            TextRange::new(start, start + crate::text::to_u32(written.len())),
            format!("{}{rest}", m.to),
        ));
    }
    out
}

/// Frontmatter paths: the fields linking to a prerequisite (`research:`),
/// routes, and `path:` entries of nested lists (a bundle's `sources`).
fn field_edits(
    ws: &Workspace,
    a: &Artifact,
    new_home: &str,
    moves: &[Move],
    text: &mut dyn FnMut() -> Option<String>,
) -> Vec<(TextRange, String)> {
    let Some(fm) = a.frontmatter.as_ref().filter(|f| f.error.is_none()) else {
        return Vec::new();
    };
    let mut values: Vec<(String, TextRange)> = Vec::new();
    if let Some(kind) = ws.kind_of(a) {
        let named = kind
            .prerequisites
            .iter()
            .filter_map(|p| p.via.as_deref())
            .chain(kind.routes.as_deref());
        for field in named {
            if let Some(f) = fm.get(field) {
                values.extend(f.text_items());
            }
        }
    }
    for f in &fm.fields {
        nested_paths(f, &mut values);
    }
    let mut out = Vec::new();
    for (value, range) in values {
        let v = value.trim();
        // Relative to the file when that names something, else to the root.
        let relative = link_target(ws, &a.path, v)
            .filter(|t| ws.fs.entry(&ws.root.join(t)) != crate::workspace::fs::Entry::Missing);
        let (target, from_root) = match relative {
            Some(t) if !v.starts_with('/') => (t, false),
            _ => (v.trim_start_matches('/').to_string(), true),
        };
        let new_target = moved(&target, moves);
        let new_value = match (new_target, from_root) {
            (Some(t), true) if v.starts_with('/') => format!("/{t}"),
            (Some(t), true) => t,
            (Some(t), false) => relative_link(new_home, &t),
            (None, false) if new_home != a.path => relative_link(new_home, &target),
            (None, _) => continue,
        };
        if new_value == v {
            continue;
        }
        let Some(t) = text() else { continue };
        let Some(at) = range.slice(&t).find(v) else {
            continue;
        };
        let start = range.start + crate::text::to_u32(at);
        out.push((
            TextRange::new(start, start + crate::text::to_u32(v.len())),
            new_value,
        ));
    }
    out
}

/// `path:` values inside lists of mappings, at any depth.
fn nested_paths(f: &FmField, out: &mut Vec<(String, TextRange)>) {
    let FmValue::List(items) = &f.value else {
        return;
    };
    for item in items {
        let FmValue::Map(fields) = &item.value else {
            continue;
        };
        for g in fields {
            if g.key == "path"
                && let FmValue::Str(s) = &g.value
            {
                out.push((s.clone(), g.value_range));
            }
            nested_paths(g, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carried_by_a_move() {
        let m = [Move {
            from: "src/auth".into(),
            to: "src/identity".into(),
        }];
        assert_eq!(
            moved("src/auth/login.ts", &m),
            Some("src/identity/login.ts".into())
        );
        assert_eq!(moved("src/auth", &m), Some("src/identity".into()));
        assert_eq!(moved("src/authz/x.ts", &m), None);
    }
}
