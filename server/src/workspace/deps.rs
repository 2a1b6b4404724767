//! Who depends on whom: reverse indexes the language server asks after an
//! edit ("which files must be checked again?") and rules ask per artifact
//! ("who shares my work item?"). Each is built once, on first use, by one
//! pass over the workspace, then kept current by `Workspace::upsert` and
//! `Workspace::remove`, which take out what the replaced artifact put in and
//! add what the new one brings: an edit costs what the edited file holds,
//! never a pass over the workspace.
//!
//! Invariant of every index here: it equals what `compute` would build from
//! the artifacts as they stand (a test checks this after edits).

use std::collections::{BTreeSet, HashMap};

use crate::artifact::Artifact;

use super::Workspace;

thread_local! {
    /// Artifacts visited by whole-workspace index builds on this thread:
    /// what a test reads to tell an edit that costs its file from one that
    /// costs the workspace (a count does not depend on how busy the
    /// machine is). Per thread, so tests running beside it do not count.
    static VISITED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts `n` artifacts visited by a build over the whole workspace.
pub fn visited(n: usize) {
    VISITED.with(|v| v.set(v.get().saturating_add(n)));
}

/// Artifacts visited by whole-workspace builds on this thread so far.
pub fn visits() -> usize {
    VISITED.with(std::cell::Cell::get)
}

/// A set of paths under a key, kept in path order; a key is dropped with
/// its last path so the map does not grow with edits.
fn insert<K: std::hash::Hash + Eq>(map: &mut HashMap<K, BTreeSet<String>>, key: K, path: &str) {
    map.entry(key).or_default().insert(path.to_string());
}

fn take_out<K: std::hash::Hash + Eq>(map: &mut HashMap<K, BTreeSet<String>>, key: &K, path: &str) {
    if let Some(set) = map.get_mut(key) {
        set.remove(path);
        if set.is_empty() {
            map.remove(key);
        }
    }
}

/// Artifacts by (flavor, work-item key): an artifact's work-item peers.
#[derive(Debug, Default)]
pub struct Peers(HashMap<(String, String), BTreeSet<String>>);

impl Peers {
    pub fn compute(ws: &Workspace) -> Peers {
        visited(ws.artifacts.len());
        let mut p = Peers::default();
        for a in ws.artifacts.values() {
            p.add(a);
        }
        p
    }

    fn key(a: &Artifact) -> Option<(String, String)> {
        Some((
            a.class.flavor()?.to_string(),
            a.class.work_item()?.to_string(),
        ))
    }

    pub(super) fn add(&mut self, a: &Artifact) {
        if let Some(k) = Self::key(a) {
            insert(&mut self.0, k, &a.path);
        }
    }

    pub(super) fn remove(&mut self, a: &Artifact) {
        if let Some(k) = Self::key(a) {
            take_out(&mut self.0, &k, &a.path);
        }
    }

    /// Paths of the artifacts of `a`'s flavor and work item, in path order
    /// (`a` included when indexed); none when `a` has no work item.
    pub fn of(&self, a: &Artifact) -> impl Iterator<Item = &String> {
        Self::key(a)
            .and_then(|k| self.0.get(&k))
            .into_iter()
            .flatten()
    }
}

/// What one artifact contributes to `Deps`: computed from the artifact alone
/// (and the root, to resolve links), so the same artifact always yields the
/// same keys and can be taken out exactly as it was put in.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Keys {
    /// Root-relative files its links and link definitions point to.
    links: BTreeSet<String>,
    /// For a bundle: the paths it records as sources.
    sources: BTreeSet<String>,
    /// Names its command lines give: `f:<file name>` for an argument naming
    /// a file (`plans/x-plan.md`, or `x-plan` for `x-plan.md`), `b:<word>`
    /// for an argument that may be a bundle name.
    names: BTreeSet<String>,
}

impl Keys {
    pub fn of(ws: &Workspace, a: &Artifact) -> Keys {
        let links = a
            .links
            .iter()
            .map(|l| &l.dest)
            .chain(a.link_defs.iter().map(|d| &d.dest))
            .filter_map(|d| super::resolve::target(ws, &a.path, d))
            .collect();
        let sources = if crate::bundle::index::is_bundle(a) {
            crate::bundle::sources::recorded(a)
                .map(|r| r.sources.into_iter().map(|s| s.path).collect())
                .unwrap_or_default()
        } else {
            BTreeSet::new()
        };
        let mut names = BTreeSet::new();
        for c in &a.commands {
            for (w, _) in &c.args {
                let last = w.rsplit('/').next().unwrap_or(w);
                names.insert(format!("f:{last}"));
                if !w.ends_with(".md") {
                    names.insert(format!("f:{w}.md"));
                }
                names.insert(format!("b:{w}"));
            }
        }
        Keys {
            links,
            sources,
            names,
        }
    }
}

/// Reverse links, bundles by source and command lines by the names they
/// give: who must be checked again when a file's headings, bytes or status
/// change.
#[derive(Debug, Default)]
pub struct Deps {
    /// Link target → the artifacts linking to it.
    links_to: HashMap<String, BTreeSet<String>>,
    /// Source path → the bundles recording it.
    bundled_in: HashMap<String, BTreeSet<String>>,
    /// Name (see `Keys::names`) → the artifacts whose command lines give it.
    named_by: HashMap<String, BTreeSet<String>>,
}

impl Deps {
    pub fn compute(ws: &Workspace) -> Deps {
        visited(ws.artifacts.len());
        let mut d = Deps::default();
        for a in ws.artifacts.values() {
            d.add(&a.path, &Keys::of(ws, a));
        }
        d
    }

    pub(super) fn add(&mut self, path: &str, k: &Keys) {
        for t in &k.links {
            insert(&mut self.links_to, t.clone(), path);
        }
        for s in &k.sources {
            insert(&mut self.bundled_in, s.clone(), path);
        }
        for n in &k.names {
            insert(&mut self.named_by, n.clone(), path);
        }
    }

    pub(super) fn remove(&mut self, path: &str, k: &Keys) {
        for t in &k.links {
            take_out(&mut self.links_to, t, path);
        }
        for s in &k.sources {
            take_out(&mut self.bundled_in, s, path);
        }
        for n in &k.names {
            take_out(&mut self.named_by, n, path);
        }
    }

    /// Artifacts with a link or link definition resolving to `path`.
    pub fn linking_to(&self, path: &str) -> impl Iterator<Item = &String> {
        self.links_to.get(path).into_iter().flatten()
    }

    /// Bundles recording `path` as a source.
    pub fn bundles_of(&self, path: &str) -> impl Iterator<Item = &String> {
        self.bundled_in.get(path).into_iter().flatten()
    }

    /// Artifacts with a command argument naming the file `file` (a file
    /// name, no folder).
    pub fn naming_file(&self, file: &str) -> impl Iterator<Item = &String> {
        self.named_by
            .get(&format!("f:{file}"))
            .into_iter()
            .flatten()
    }

    /// Artifacts with a command argument that is exactly `name`.
    pub fn naming_bundle(&self, name: &str) -> impl Iterator<Item = &String> {
        self.named_by
            .get(&format!("b:{name}"))
            .into_iter()
            .flatten()
    }

    /// Whether two indexes hold the same entries (tests: incremental = rebuilt).
    pub fn same_as(&self, other: &Deps) -> bool {
        self.links_to == other.links_to
            && self.bundled_in == other.bundled_in
            && self.named_by == other.named_by
    }
}

impl PartialEq for Peers {
    fn eq(&self, other: &Peers) -> bool {
        self.0 == other.0
    }
}

#[cfg(test)]
#[path = "deps_tests.rs"]
mod tests;
