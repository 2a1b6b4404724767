//! Completion of slash commands: names after `/`, flags, flag values, and
//! arguments (research for `/plan`, plans for `/implement`, saved bundles
//! for `/bundle-load`), from the flavors' declarations and the index.

use crate::artifact::commands::{parse_line, shellish};
use crate::artifact::{Artifact, CommandUse};
use crate::bundle;
use crate::command::catalog::{all, documentation, usage};
use crate::command::{Word, bind, lookup};
use crate::schema::{Command, CommandArg};
use crate::text::TextRange;
use crate::workspace::Workspace;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Command,
    Flag,
    Value,
    File,
    Bundle,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// What the item replaces (the word being typed) and what it inserts.
    pub replace: TextRange,
    pub insert: String,
}

/// The command being typed at `offset`, if the cursor is in one: the
/// line's start in a shell-ish fenced block, or an inline code span's.
fn command_at(art: &Artifact, text: &str, offset: usize) -> Option<(usize, String)> {
    let before = text.get(..offset)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.get(line_start..)?;
    let in_block = art.code_blocks.iter().any(|b| {
        shellish(&b.lang) && b.content.start as usize <= offset && offset <= b.content.end as usize
    });
    let (start, typed) = if in_block {
        let lead = line.len() - line.trim_start().len();
        (line_start + lead, line.trim_start())
    } else {
        // Inside an inline code span: an odd number of backticks before the cursor.
        if line.matches('`').count() % 2 == 0 {
            return None;
        }
        let tick = line.rfind('`')?;
        (line_start + tick + 1, line.get(tick + 1..)?)
    };
    typed.starts_with('/').then(|| (start, typed.to_string()))
}

pub fn complete(ws: &Workspace, art: &Artifact, text: &str, offset: usize) -> Vec<Item> {
    let Some((start, typed)) = command_at(art, text, offset) else {
        return Vec::new();
    };
    let own = art.class.flavor();
    // Still typing the name: every command.
    if !typed.contains(char::is_whitespace) {
        let replace = TextRange::from_usize(start, offset);
        return all(ws, own)
            .into_iter()
            .map(|k| Item {
                label: k.command.name.clone(),
                kind: ItemKind::Command,
                detail: Some(usage(k.command)),
                documentation: Some(documentation(&k)),
                replace,
                insert: k.command.name.clone(),
            })
            .collect();
    }
    let Some(u) = parse_line(&typed, start, true) else {
        return Vec::new();
    };
    let Some(known) = lookup(ws, own, &u.name) else {
        return Vec::new();
    };
    // The word under the cursor (empty after a space) and the words before it.
    let current_start = typed
        .rfind(char::is_whitespace)
        .map_or(start, |i| start + i + 1);
    let current = text.get(current_start..offset).unwrap_or("");
    let replace = TextRange::from_usize(current_start, offset);
    let done = CommandUse {
        args: u
            .args
            .iter()
            .filter(|(_, r)| (r.start as usize) < current_start)
            .cloned()
            .collect(),
        ..u.clone()
    };
    let bound = bind(known.command, &done);
    let c = known.command;
    // A flag waiting for its value.
    if let Some(Word::Flag(Some(flag))) = bound.words.last()
        && flag.value
    {
        return flag
            .values
            .iter()
            .map(|v| Item {
                label: v.clone(),
                kind: ItemKind::Value,
                detail: Some(format!("{} value", flag.name)),
                documentation: (!flag.description.is_empty()).then(|| flag.description.clone()),
                replace,
                insert: v.clone(),
            })
            .collect();
    }
    let flags = || flag_items(c, &bound, replace);
    if current.starts_with('-') {
        return flags();
    }
    let positional = bound
        .words
        .iter()
        .filter(|w| matches!(w, Word::Arg(_)))
        .count();
    let decl = c
        .args
        .get(positional)
        .or_else(|| c.args.last().filter(|a| a.rest));
    let mut items = match decl {
        Some(a) => argument_items(ws, art, a, replace),
        None => Vec::new(),
    };
    let required_missing = c.args.iter().skip(positional).any(|a| a.required);
    if !required_missing {
        items.extend(flags());
    }
    items
}

fn flag_items(c: &Command, bound: &crate::command::Bound, replace: TextRange) -> Vec<Item> {
    let given: Vec<&str> = bound
        .words
        .iter()
        .filter_map(|w| match w {
            Word::Flag(Some(f)) => Some(f.name.as_str()),
            _ => None,
        })
        .collect();
    c.flags
        .iter()
        .filter(|f| !given.contains(&f.name.as_str()))
        .filter(|f| !given.iter().any(|g| f.conflicts.iter().any(|x| x == g)))
        .map(|f| Item {
            label: f.name.clone(),
            kind: ItemKind::Flag,
            detail: Some(usage(c)),
            documentation: (!f.description.is_empty()).then(|| f.description.clone()),
            replace,
            insert: f.name.clone(),
        })
        .collect()
}

fn argument_items(ws: &Workspace, art: &Artifact, a: &CommandArg, replace: TextRange) -> Vec<Item> {
    match a.kind.as_str() {
        "artifact" => {
            let items = ws.items();
            ws.artifacts
                .values()
                .filter(|x| !bundle::index::is_bundle(x))
                .filter(|x| {
                    a.kinds.is_empty()
                        || x.class
                            .kind()
                            .is_some_and(|k| a.kinds.iter().any(|w| w == k))
                })
                .map(|x| {
                    let file = x.path.rsplit('/').next().unwrap_or(&x.path).to_string();
                    // The file name when it is unambiguous: that is how agents write it.
                    let unique = items
                        .named(&file)
                        .iter()
                        .filter(|p| {
                            ws.artifacts
                                .get(*p)
                                .is_some_and(|o| !bundle::index::is_bundle(o))
                        })
                        .count()
                        == 1;
                    let insert = if unique {
                        file.clone()
                    } else {
                        crate::workspace::resolve::relative_link(&art.path, &x.path)
                    };
                    let status = x
                        .status
                        .as_ref()
                        .map(|s| format!(", {}", s.value))
                        .unwrap_or_default();
                    Item {
                        label: insert.clone(),
                        kind: ItemKind::File,
                        detail: Some(format!("{}{status}", x.class.kind().unwrap_or("artifact"))),
                        documentation: Some(format!(
                            "{}\n\n`{}`",
                            x.title().map_or(file.as_str(), |t| t.text.as_str()),
                            x.path
                        )),
                        replace,
                        insert,
                    }
                })
                .collect()
        }
        "bundle" => bundle::all(ws)
            .into_iter()
            .map(|b| {
                let st = bundle::state::state(ws, b.art);
                Item {
                    label: b.name.clone(),
                    kind: ItemKind::Bundle,
                    detail: Some(format!("bundle, {}", st.label())),
                    documentation: Some(format!("`{}`", b.art.path)),
                    replace,
                    insert: b.name,
                }
            })
            .collect(),
        "new-bundle" => {
            let Some(item) = art.class.work_item() else {
                return Vec::new();
            };
            let topic: String = item
                .trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
                .to_ascii_lowercase();
            bundle::index::types(ws)
                .into_iter()
                .map(|t| format!("{topic}-{t}"))
                .filter(|n| bundle::index::check_name(ws, n).is_ok())
                .map(|n| Item {
                    label: n.clone(),
                    kind: ItemKind::Bundle,
                    detail: Some("new bundle name".into()),
                    documentation: Some(a.description.clone()),
                    replace,
                    insert: n,
                })
                .collect()
        }
        _ => Vec::new(),
    }
}
