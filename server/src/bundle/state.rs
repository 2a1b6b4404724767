//! Whether a bundle still holds: its snapshot against its record, its
//! sources against today's artifacts. The rules report these findings with
//! ranges; `bundle list`, hover and completion summarise them.

use std::path::Path;

use crate::artifact::Artifact;
use crate::text::TextRange;
use crate::workspace::Workspace;

use super::load::How;
use super::snapshot;
use super::sources::{Recorded, Source, recorded};

/// Where the record or the snapshot is wrong: each a `bundle-invalid`.
pub fn invalid(ws: &Workspace, art: &Artifact, rec: &Recorded) -> Vec<(TextRange, String)> {
    let mut out = rec.problems.clone();
    let Some((file, range)) = &rec.snapshot else {
        return out;
    };
    let dir = Path::new(&art.path).parent().unwrap_or(Path::new(""));
    match &*snapshot::hashes(&ws.root, &ws.root.join(dir).join(file)) {
        Err(e) => out.push((*range, format!("snapshot `{file}`: {e}"))),
        Ok(entries) => {
            if let Some((extra, _)) = entries.iter().find(|(p, _)| !rec.records(p)) {
                out.push((*range, unrecorded(file, extra)));
            }
            for s in &rec.sources {
                match entries.iter().find(|(p, _)| *p == s.path) {
                    None => out.push((
                        s.path_range,
                        format!("`{}` is not in the snapshot `{file}`", s.path),
                    )),
                    Some((_, h)) if Some(*h) != s.sha256 => out.push((
                        s.range,
                        format!(
                            "the snapshot's copy of `{}` does not match its recorded sha256",
                            s.path
                        ),
                    )),
                    Some(_) => {}
                }
            }
        }
    }
    out
}

/// The finding on a snapshot entry the digest does not record: it could be
/// anything (`.git/hooks/post-checkout`), so the bundle is not trusted.
pub fn unrecorded(snapshot: &str, path: &str) -> String {
    format!("the snapshot `{snapshot}` holds `{path}`, which the bundle does not record")
}

/// Sources that differ from the indexed artifacts, or are gone.
pub fn stale<'r>(ws: &Workspace, rec: &'r Recorded) -> Vec<(&'r Source, How)> {
    rec.sources
        .iter()
        .filter_map(|s| {
            let sha = s.sha256?;
            match ws.artifacts.get(&s.path) {
                Some(now) if now.sha256 != sha => Some((s, How::Changed)),
                Some(_) => None,
                // Through the probe: a recorded path that a symlink takes out
                // of the root is not asked about.
                None if !ws.fs.entry(&ws.root.join(&s.path)).exists() => Some((s, How::Deleted)),
                None => None,
            }
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase", tag = "state", content = "detail")]
pub enum State {
    /// Verified and up to date.
    Fresh,
    /// Verified; these sources changed since the save.
    Stale(Vec<String>),
    Invalid(String),
    /// Records no sources: written by hand, nothing to verify.
    Unrecorded,
}

impl State {
    pub fn label(&self) -> String {
        match self {
            State::Fresh => "fresh".into(),
            State::Stale(p) => format!("stale ({} changed)", p.len()),
            State::Invalid(e) => format!("invalid: {e}"),
            State::Unrecorded => "not verifiable (no sources recorded)".into(),
        }
    }
}

pub fn state(ws: &Workspace, art: &Artifact) -> State {
    let Some(rec) = recorded(art) else {
        return State::Unrecorded;
    };
    if let Some((_, e)) = invalid(ws, art, &rec).into_iter().next() {
        return State::Invalid(e);
    }
    let changed: Vec<String> = stale(ws, &rec)
        .into_iter()
        .map(|(s, _)| s.path.clone())
        .collect();
    if changed.is_empty() {
        State::Fresh
    } else {
        State::Stale(changed)
    }
}
