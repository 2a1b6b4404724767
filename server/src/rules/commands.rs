//! command-unknown, command-argument, bundle-missing and the law
//! law-validate-before-execute, each on the exact word at fault.

use crate::artifact::{Artifact, CommandUse};
use crate::bundle;
use crate::command::catalog::{all, best, usage};
use crate::command::resolve::{Resolved, artifact as resolve_artifact};
use crate::command::{Bound, Known, Word, bind};
use crate::schema::CommandArg;
use crate::text::TextRange;
use crate::workspace::Workspace;
use crate::workspace::phases::artifact_state;

use super::{Sink, closest};

pub fn check(ws: &Workspace, art: &Artifact, sink: &mut Sink) {
    let own = art.class.flavor();
    for (i, u) in art.commands.iter().enumerate() {
        let Some(known) = best(ws, art, u) else {
            unknown(ws, own, u, sink);
            continue;
        };
        // "before `/implement`" in prose names the command; it does not run it.
        if !u.in_code_block && u.args.is_empty() {
            continue;
        }
        let b = bind(known.command, u);
        for (range, message) in &b.problems {
            sink.push("command-argument", *range, message.clone());
        }
        for (w, (word, range)) in b.words.iter().zip(&u.args) {
            if let Word::Arg(Some(decl)) = w {
                argument(ws, art, &known, decl, word, *range, sink);
            }
        }
        law(ws, art, &known, &b, i, sink);
    }
}

/// A project command of Claude Code: `.claude/commands/<name>.md`, with
/// `/ns:name` in `.claude/commands/ns/name.md`.
fn project_command(ws: &Workspace, name: &str) -> bool {
    let rel: Vec<&str> = name.trim_start_matches('/').split(':').collect();
    if rel
        .iter()
        .any(|s| s.is_empty() || *s == ".." || s.contains(['/', '\\']))
    {
        return false;
    }
    let path = ws
        .root
        .join(".claude/commands")
        .join(format!("{}.md", rel.join("/")));
    ws.fs.entry(&path) == crate::workspace::fs::Entry::File
}

fn unknown(ws: &Workspace, own: Option<&str>, u: &CommandUse, sink: &mut Sink) {
    if project_command(ws, &u.name) {
        return;
    }
    let known = all(ws, own);
    let hint = closest(&u.name, known.iter().map(|k| k.command.name.as_str()));
    // In prose, `/health` is more likely a route than a command: only a
    // near miss of a real command is worth a word there.
    if !u.in_code_block && hint.is_none() {
        return;
    }
    let message = match hint {
        Some(h) => format!("unknown command `{}` (did you mean `{h}`?)", u.name),
        None => {
            // The document's own flavor's commands, else the first few known.
            let mine: Vec<&str> = known
                .iter()
                .filter(|k| Some(k.flavor.name()) == own)
                .map(|k| k.command.name.as_str())
                .collect();
            let (list, whose) = if mine.is_empty() {
                (
                    known
                        .iter()
                        .map(|k| k.command.name.as_str())
                        .take(8)
                        .collect(),
                    "the flavors here know".to_string(),
                )
            } else {
                (mine, format!("`{}` knows", own.unwrap_or_default()))
            };
            format!(
                "unknown command `{}`; {whose} {}",
                u.name,
                list.iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    };
    // A near miss is a typo; anything else may be a command of the user's own
    // setup (`~/.claude/commands/`) that this workspace cannot see: a note.
    let severity = if hint.is_some() {
        super::Severity::Warning
    } else {
        super::Severity::Info
    };
    sink.push_at("command-unknown", severity, u.name_range, message);
}

fn argument(
    ws: &Workspace,
    art: &Artifact,
    known: &Known,
    decl: &CommandArg,
    word: &str,
    range: TextRange,
    sink: &mut Sink,
) {
    let cmd = &known.command.name;
    match decl.kind.as_str() {
        "artifact" => match resolve_artifact(ws, art, word, &decl.kinds) {
            Resolved::Found(_) => {}
            Resolved::WrongKind { path, kind } => {
                let is = kind.map_or("not an artifact of a known kind".to_string(), |k| {
                    format!("a `{k}`")
                });
                sink.push(
                    "command-argument",
                    range,
                    format!("`{cmd}` takes {}; `{path}` is {is}", wanted(known, decl)),
                );
            }
            Resolved::NotFound => {
                sink.push(
                    "command-argument",
                    range,
                    format!(
                        "`{word}` does not resolve to a file (looked beside this file, in the flavor folder, at the root and by name); `{cmd}` takes {}",
                        wanted(known, decl)
                    ),
                );
            }
        },
        "bundle" => {
            if bundle::find(ws, word).is_some() {
                return;
            }
            let items = ws.items();
            let near = closest(word, items.bundle_names());
            match bundle::index::check_name(ws, word) {
                Err(e) if near.is_none() => {
                    sink.push("command-argument", range, e);
                }
                _ => {
                    let message = bundle::load::missing_near(ws, word, near);
                    sink.push("bundle-missing", range, message);
                }
            }
        }
        "new-bundle" => {
            if let Err(e) = bundle::index::check_name(ws, word) {
                sink.push("command-argument", range, e);
            }
        }
        _ => {}
    }
}

/// "a `research` artifact" / "a `spec` or `tasks` artifact".
fn wanted(known: &Known, decl: &CommandArg) -> String {
    let names: Vec<String> = decl
        .kinds
        .iter()
        .map(|k| {
            known
                .flavor
                .kind(k)
                .filter(|x| !x.name.is_empty())
                .map_or(format!("`{k}`"), |x| x.name.to_lowercase())
        })
        .collect();
    let listed = match names.as_slice() {
        [] => "artifact".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    };
    let article = if listed.starts_with(['a', 'e', 'i', 'o', 'u', '`']) && !listed.starts_with("`u")
    {
        "an"
    } else {
        "a"
    };
    format!("{article} {listed}")
}

/// Validate before execute: a gated flag needs an earlier dry run of the same
/// target in this document, and an approved target.
fn law(ws: &Workspace, art: &Artifact, known: &Known, b: &Bound, index: usize, sink: &mut Sink) {
    let Some(u) = art.commands.get(index) else {
        return;
    };
    let target = first_artifact(ws, art, known, b, u);
    for (w, (word, range)) in b.words.iter().zip(&u.args) {
        let Word::Flag(Some(flag)) = w else { continue };
        if let Some(earlier) = &flag.requires_earlier {
            let before = art.commands.get(..index).unwrap_or(&[]);
            let validated = before.iter().any(|p| {
                p.name == u.name && {
                    let pb = bind(known.command, p);
                    pb.has_flag(earlier) && first_artifact(ws, art, known, &pb, p) == target
                }
            });
            if !validated {
                let what = target
                    .as_ref()
                    .map_or("it".to_string(), |(w, _)| format!("`{w}`"));
                sink.push(
                    "law-validate-before-execute",
                    *range,
                    format!(
                        "`{} {word}` with no `{earlier}` of {what} before it in this file: validate before execute ({})",
                        u.name,
                        usage(known.command)
                    ),
                );
            }
        }
        if flag.requires_approved
            && let Some((w, Some(path))) = &target
            && let Some(t) = ws.artifacts.get(path)
            && let Some(kind) = ws.kind_of(t)
        {
            let (done, why) = artifact_state(t, kind);
            if !done {
                let state = why.map(|s| format!(" ({s})")).unwrap_or_default();
                sink.push(
                    "law-validate-before-execute",
                    *range,
                    format!("`{} {w} {word}`: `{path}` is not approved{state}; approve it before executing", u.name),
                );
            }
        }
    }
}

/// The first artifact argument: the word, and the path it resolves to.
fn first_artifact(
    ws: &Workspace,
    art: &Artifact,
    known: &Known,
    b: &Bound,
    u: &CommandUse,
) -> Option<(String, Option<String>)> {
    // The artifact argument; else the first argument (an issue id, a name).
    let decl = known
        .command
        .args
        .iter()
        .find(|a| a.kind == "artifact")
        .or(known.command.args.first())?;
    let (word, _) = b.arg(u, &decl.name)?;
    let path = match resolve_artifact(ws, art, &word, &decl.kinds) {
        Resolved::Found(p) if decl.kind == "artifact" => Some(p),
        _ => None,
    };
    Some((word, path))
}
