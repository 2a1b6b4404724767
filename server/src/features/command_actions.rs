//! Code actions on a line: run the bundle save or load a command names,
//! create the artifact the command asks for (the plan `/plan x-research.md`
//! would write, through the phase action), open a file an argument names;
//! on a stale bundle, re-save it; on a roadmap item, start its feature.

use serde_json::{Value, json};

use crate::artifact::{Artifact, Class};
use crate::bundle;
use crate::command::resolve::{Resolved, artifact as resolve_artifact};
use crate::command::{Word, bind, lookup};
use crate::text::TextRange;
use crate::workspace::Workspace;

use super::actions::{Action, create_from_template};

/// What an action does: a server command the client sends back, or edits.
pub enum Run {
    Command {
        title: String,
        command: &'static str,
        arguments: Value,
    },
    Edit(Action),
}

/// Actions for the command line(s) touching `range`, in the document at `uri`.
pub fn actions(ws: &Workspace, art: &Artifact, range: TextRange, uri: &str) -> Vec<Run> {
    let mut out = Vec::new();
    for u in art
        .commands
        .iter()
        .filter(|c| c.range.start <= range.end && range.start <= c.range.end)
    {
        let Some(k) = lookup(ws, art.class.flavor(), &u.name) else {
            continue;
        };
        let b = bind(k.command, u);
        // Words that name new work (`/research "topic"`): start it.
        if let Some(phase) = k.command.phase.as_deref()
            && k.command.args.iter().all(|a| a.kind == "text")
            && !u.args.is_empty()
            && let Some(a) = super::start::start_work(ws, art, k.flavor, phase, &words(u))
        {
            out.push(Run::Edit(a));
        }
        for (w, (word, _)) in b.words.iter().zip(&u.args) {
            let Word::Arg(Some(a)) = w else { continue };
            match a.kind.as_str() {
                "new-bundle" if bundle::index::check_name(ws, word).is_ok() => {
                    let exists = bundle::find(ws, word).is_some();
                    let ty = b
                        .words
                        .iter()
                        .zip(&u.args)
                        .find(|(w, _)| matches!(w, Word::FlagValue(f) if f.name == "--type"))
                        .map(|(_, (v, _))| v.clone());
                    let tags: Vec<String> = b
                        .words
                        .iter()
                        .zip(&u.args)
                        .filter(|(w, _)| matches!(w, Word::FlagValue(f) if f.name == "--tags"))
                        .flat_map(|(_, (v, _))| {
                            v.split(',')
                                .map(|t| t.trim().to_string())
                                .collect::<Vec<_>>()
                        })
                        .filter(|t| !t.is_empty())
                        .collect();
                    // A re-save keeps the sources the bundle records.
                    let title = if exists {
                        format!("Re-save bundle `{word}` from its recorded sources")
                    } else {
                        format!("Save bundle `{word}` from this work item")
                    };
                    out.push(Run::Command {
                        title,
                        command: "agentops.bundleSave",
                        arguments: json!({ "name": word, "uri": uri, "type": ty, "tags": tags, "overwrite": exists }),
                    });
                }
                "bundle" if bundle::find(ws, word).is_some() => {
                    out.push(Run::Command {
                        title: format!("Load bundle `{word}`"),
                        command: "agentops.bundleLoad",
                        arguments: json!({ "name": word }),
                    });
                }
                "artifact" => {
                    if let Resolved::Found(p) = resolve_artifact(ws, art, word, &a.kinds) {
                        out.push(Run::Command {
                            title: format!("Open {p}"),
                            command: "agentops.open",
                            arguments: json!({ "path": p }),
                        });
                        if let Some(action) = create_for(ws, &p, k.command.phase.as_deref()) {
                            out.push(Run::Edit(action));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out.extend(resave(ws, art, range));
    // An open roadmap item: start the feature it names.
    out.extend(
        super::start::item_actions(ws, art, range)
            .into_iter()
            .map(Run::Edit),
    );
    out
}

/// The words of a command line's arguments, joined (quotes dropped).
fn words(u: &crate::artifact::CommandUse) -> String {
    u.args
        .iter()
        .map(|(w, _)| w.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The artifact of the command's phase, made from the one the argument names
/// (`/plan x-research.md` → `plans/x-plan.md`), unless it exists.
fn create_for(ws: &Workspace, source: &str, phase: Option<&str>) -> Option<Action> {
    let phase = phase?;
    let from = ws.artifacts.get(source)?;
    let flavor = ws.flavor_of(from)?;
    // The argument is the input of the phase, not its output.
    if ws.kind_of(from).is_some_and(|k| k.phase == phase) {
        return None;
    }
    let captures = match &from.class {
        Class::Known { captures, .. } => captures.clone(),
        _ => Vec::new(),
    };
    let base = ws.flavor_base(from)?;
    let kind = flavor
        .def
        .kinds
        .iter()
        .find(|k| k.phase == phase && k.template.is_some())?;
    // The work item has one already (maybe under another name: `dr-plan.md`).
    let items = ws.items();
    if items.of(source).is_some_and(|item| {
        item.artifacts
            .iter()
            .any(|p| ws.artifacts.get(p).and_then(|a| a.class.kind()) == Some(kind.id.as_str()))
    }) {
        return None;
    }
    let (path, text) = create_from_template(ws, from, kind, &base, &captures)?;
    Some(Action {
        title: format!(
            "Create {} from {}",
            path.rsplit('/').next().unwrap_or(&path),
            source.rsplit('/').next().unwrap_or(source)
        ),
        kind: super::actions::ActionKind::Refactor,
        ops: vec![super::actions::FileOp::Create { path, text }],
        fixes: Vec::new(),
    })
}

/// "Re-save bundle" on a bundle whose sources changed.
fn resave(ws: &Workspace, art: &Artifact, range: TextRange) -> Option<Run> {
    if !bundle::index::is_bundle(art) {
        return None;
    }
    let rec = bundle::sources::recorded(art)?;
    let stale = bundle::state::stale(ws, &rec);
    if stale.is_empty()
        || !stale
            .iter()
            .any(|(s, _)| s.range.start <= range.end && range.start <= s.range.end)
            && !art
                .frontmatter
                .as_ref()
                .is_some_and(|f| f.open_range.start <= range.end && range.start <= f.open_range.end)
    {
        return None;
    }
    // Sources that are gone cannot be saved again: the rest are.
    let from: Vec<String> = rec
        .sources
        .iter()
        .filter(|s| ws.artifacts.contains_key(&s.path))
        .map(|s| s.path.clone())
        .collect();
    let name = bundle::index::name_of(art);
    let ty = art
        .frontmatter
        .as_ref()
        .and_then(|f| f.get("type"))
        .and_then(|f| f.value.as_text());
    let tags: Vec<String> = match art
        .frontmatter
        .as_ref()
        .and_then(|f| f.get("tags"))
        .map(|f| &f.value)
    {
        Some(crate::syntax::frontmatter::FmValue::List(items)) => {
            items.iter().filter_map(|i| i.value.as_text()).collect()
        }
        _ => Vec::new(),
    };
    Some(Run::Command {
        title: format!("Re-save bundle `{name}` from its {} sources", from.len()),
        command: "agentops.bundleSave",
        arguments: json!({ "name": name, "from": from, "type": ty, "tags": tags, "overwrite": true }),
    })
}
