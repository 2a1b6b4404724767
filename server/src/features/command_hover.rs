//! Hover on a slash command: its documentation on the name, the flag's on a
//! flag, and on an argument what it names (an artifact with its status, or
//! a bundle with its metadata and whether it is stale).

use crate::artifact::{Artifact, CommandUse};
use crate::bundle;
use crate::command::catalog::documentation;
use crate::command::resolve::{Resolved, artifact as resolve_artifact};
use crate::command::{Word, bind, lookup};
use crate::syntax::frontmatter::FmValue;
use crate::text::TextRange;
use crate::workspace::Workspace;

/// The command line at `offset`, if any.
pub fn at(art: &Artifact, offset: u32) -> Option<&CommandUse> {
    art.commands
        .iter()
        .find(|c| c.range.contains(offset) || c.range.end == offset)
}

pub fn hover(ws: &Workspace, art: &Artifact, offset: u32) -> Option<(String, TextRange)> {
    let u = at(art, offset)?;
    let known = lookup(ws, art.class.flavor(), &u.name);
    if u.name_range.contains(offset) || u.name_range.end == offset {
        let text = match &known {
            Some(k) => documentation(k),
            None => format!("`{}` is not a command any flavor here declares.", u.name),
        };
        return Some((text, u.name_range));
    }
    let k = known?;
    let b = bind(k.command, u);
    let (i, (word, range)) = u
        .args
        .iter()
        .enumerate()
        .find(|(_, (_, r))| r.contains(offset) || r.end == offset)?;
    let text = match b.words.get(i)? {
        Word::Flag(Some(f)) | Word::FlagValue(f) => format!("`{}` {}", f.name, f.description),
        Word::Flag(None) => format!("`{word}` is not a flag of `{}`.", u.name),
        Word::Arg(None) => format!("`{}` takes no more arguments.", u.name),
        Word::Arg(Some(a)) => match a.kind.as_str() {
            "artifact" => match resolve_artifact(ws, art, word, &a.kinds) {
                Resolved::Found(p) => ws
                    .artifacts
                    .get(&p)
                    .map_or(p.clone(), |t| artifact_doc(ws, t)),
                Resolved::WrongKind { path, .. } => {
                    format!("`{path}` is not what `{}` takes: {}", u.name, a.description)
                }
                Resolved::NotFound => {
                    format!("`{word}` does not resolve to a file. {}", a.description)
                }
            },
            "bundle" => match bundle::find(ws, word) {
                Some(b) => bundle_doc(ws, b),
                None => bundle::load::missing(ws, word),
            },
            _ => format!("**{}** {}", a.name, a.description),
        },
    };
    Some((text, *range))
}

fn artifact_doc(ws: &Workspace, t: &Artifact) -> String {
    let title = t.title().map_or(t.path.as_str(), |s| s.text.as_str());
    let kind = ws.kind_of(t).map_or("artifact".to_string(), |k| {
        if k.name.is_empty() {
            k.id.clone()
        } else {
            k.name.clone()
        }
    });
    let status = t
        .status
        .as_ref()
        .map(|s| format!(" · status **{}**", s.value))
        .unwrap_or_default();
    format!("**{title}**\n\n{kind}{status} · `{}`", t.path)
}

/// A bundle's metadata and state, for hover.
pub fn bundle_doc(ws: &Workspace, b: &Artifact) -> String {
    let fm = b.frontmatter.as_ref();
    let get = |k: &str| fm.and_then(|f| f.get(k)).and_then(|f| f.value.as_text());
    let mut s = format!(
        "**Bundle `{}`** · `{}`\n",
        bundle::index::name_of(b),
        b.path
    );
    for (label, key) in [
        ("type", "type"),
        ("phase", "phase"),
        ("created", "created"),
        ("tokens", "original_tokens"),
        ("digest tokens", "compressed_tokens"),
        ("ratio", "compression_ratio"),
        ("loaded", "accessed_count"),
        ("last loaded", "last_accessed"),
    ] {
        if let Some(v) = get(key) {
            s.push_str(&format!("\n- {label}: {v}"));
        }
    }
    if let Some(FmValue::List(tags)) = fm.and_then(|f| f.get("tags")).map(|f| &f.value) {
        let t: Vec<String> = tags.iter().filter_map(|i| i.value.as_text()).collect();
        if !t.is_empty() {
            s.push_str(&format!("\n- tags: {}", t.join(", ")));
        }
    }
    let state = bundle::state::state(ws, b);
    s.push_str(&format!("\n\n**{}**", state.label()));
    if let bundle::state::State::Stale(paths) = &state {
        for p in paths {
            s.push_str(&format!("\n- `{p}` changed since the save"));
        }
    }
    s
}
