//! Bringing the index up to date with an open document, and computing the
//! diagnostics of any indexed file. Blocking functions: call them off the reader.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::Arc;

use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::artifact::{self, Artifact, Parsers};
use crate::rules;
use crate::syntax::block;
use crate::workspace::{Workspace, classify};

use super::convert;
use super::state::{Root, State, read, write};

/// Documents up to this size keep their block tree between edits, so an
/// edit re-parses only what it touched (at most ~25 MB of tree for the
/// densest text); larger ones are parsed in pieces (`syntax::split`).
pub const INCREMENTAL_MAX: usize = 256 * 1024;

thread_local! {
    static PARSERS: RefCell<Parsers> = RefCell::new(Parsers::default());
}

pub fn with_parsers<T>(f: impl FnOnce(&mut Parsers) -> T) -> T {
    PARSERS.with(|p| f(&mut p.borrow_mut()))
}

/// What an analysis changed: the document itself and the files whose
/// diagnostics may follow from it.
pub struct Analyzed {
    pub root: Arc<Root>,
    pub rel: String,
    /// The artifact this one replaced: who depends on the change is worked out
    /// from it after the document's own diagnostics are out.
    old: Option<Artifact>,
}

impl Analyzed {
    /// Files whose diagnostics may change with this one (see `dependents`).
    pub fn dependents(&self) -> Vec<String> {
        let ws = read(&self.root.ws);
        dependents(
            &ws,
            &self.rel,
            self.old.as_ref(),
            ws.artifacts.get(&self.rel),
        )
    }
}

impl Analyzed {
    /// Whether the change moved a phase: the artifact appeared, or its own
    /// state (status, checkboxes, placeholders; what the lens and timeline
    /// show of it) changed. Typing prose moves none.
    pub fn moves_phase(&self) -> bool {
        let ws = read(&self.root.ws);
        let state = |a: &Artifact| {
            let kind = ws.kind_of(a)?;
            Some(crate::workspace::phases::artifact_state(a, kind))
        };
        match (self.old.as_ref(), ws.artifacts.get(&self.rel)) {
            (Some(old), Some(new)) => {
                old.class.kind() != new.class.kind() || state(old) != state(new)
            }
            (None, Some(new)) => new.class.kind().is_some(),
            (Some(old), None) => old.class.kind().is_some(),
            (None, None) => false,
        }
    }
}

/// The root and root-relative path of a document, discovering a root when
/// the client opened no folder.
pub fn locate(state: &State, uri: &Uri) -> Option<(Arc<Root>, String)> {
    let path = uri.to_file_path()?.into_owned();
    if let Some(found) = state.root_of(&path) {
        return Some(found);
    }
    let root = state.discover_root(&path)?;
    let rel = crate::workspace::scan_relative(&root.path, &path)?;
    Some((root, rel))
}

/// Rebuilds the open document's artifact from its current text, reparsing
/// incrementally; None when it is not an artifact, already fresh, or when
/// the document moved on meanwhile (the next run will do it).
pub fn analyze(state: &State, uri: &Uri) -> Option<Analyzed> {
    analyze_version(state, uri, None)
}

/// `analyze`, only if the document is still at `expected`: a debounced check
/// scheduled for one version must not analyze a newer one early (that one
/// has its own, later, check).
pub fn analyze_version(state: &State, uri: &Uri, expected: Option<i32>) -> Option<Analyzed> {
    let (root, rel) = locate(state, uri)?;
    let (text, old_tree, version, mut units, revision) = {
        let mut doc = state.docs.get_mut(uri)?;
        if doc.analyzed == Some(doc.version) || expected.is_some_and(|v| v != doc.version) {
            return None;
        }
        // Too large to parse (as on disk): one finding, and no copy of the text.
        if let Some(len) = doc.too_large() {
            let art = {
                let ws = read(&root.ws);
                classify(&ws.schemas, ws.artifacts_dir(), &rel)?;
                crate::workspace::too_large(&ws.schemas, ws.artifacts_dir(), &rel, len)?
            };
            doc.tree = None;
            let done = store(root, rel, art);
            doc.analyzed = Some(doc.version);
            return Some(done);
        }
        // Two analyses of one document at once: the second goes without the cache.
        let units = doc.units.take().unwrap_or_default();
        (
            doc.text(),
            doc.tree.clone(),
            doc.version,
            units,
            doc.revision,
        )
    };
    let (art, tree) = {
        let ws = read(&root.ws);
        let (class, kind) = classify(&ws.schemas, ws.artifacts_dir(), &rel)?;
        // A large document is parsed a piece at a time and keeps no tree:
        // its tree would cost up to 100 times its text for as long as it
        // stays open, and re-parsing it whole after an edit is within the
        // budget anyway.
        if text.len() > INCREMENTAL_MAX {
            let art = with_parsers(|p| artifact::build(p, &rel, &text, class, kind));
            (art, None)
        } else {
            let mut budget = block::Budget::default();
            with_parsers(|p| {
                match block::parse_within(&mut p.block, &text, old_tree.as_ref(), &mut budget) {
                    Ok(tree) => {
                        let art = artifact::build_from_tree(
                            p,
                            &rel,
                            &text,
                            &tree,
                            class,
                            kind,
                            Some(&mut units),
                            budget,
                        );
                        (art, Some(tree))
                    }
                    // The budget is spent: parsing again from scratch would double it.
                    Err(e) => (artifact::abandoned(&rel, &text, class, &e), None),
                }
            })
        }
    };
    // Check the version and store while holding the document: an edit can
    // then not slip in between, and an older analysis finishing late can
    // never overwrite a newer artifact. (Nothing takes a document while
    // holding the index lock, so this order cannot deadlock.)
    let mut doc = state.docs.get_mut(uri)?;
    doc.units = Some(units);
    // A late change re-ordered keeps the version but not the text.
    if doc.version != version || doc.revision != revision {
        return None;
    }
    doc.tree = tree;
    let done = store(root, rel, art);
    doc.analyzed = Some(version);
    drop(doc);
    Some(done)
}

/// Puts an artifact in its root's index and works out who depends on it.
pub fn store(root: Arc<Root>, rel: String, art: Artifact) -> Analyzed {
    let old = write(&root.ws).upsert(art);
    Analyzed { root, rel, old }
}

/// Removes a file from its root's index (deleted on disk).
pub fn forget(root: Arc<Root>, rel: String) -> Analyzed {
    let old = write(&root.ws).remove(&rel);
    Analyzed { root, rel, old }
}

/// Files whose diagnostics can change when `rel` goes from `old` to `new`:
/// its work-item peers, and, when its headings changed or it came or went,
/// every artifact linking to it. Every lookup is by key in an index the
/// workspace keeps current (`workspace::deps`): the cost is the edited file
/// and its dependents, whatever the size of the workspace.
pub(crate) fn dependents(
    ws: &Workspace,
    rel: &str,
    old: Option<&Artifact>,
    new: Option<&Artifact>,
) -> Vec<String> {
    let mut out = BTreeSet::new();
    for a in [old, new].into_iter().flatten() {
        out.extend(ws.work_item_peers(a).map(|p| p.path.clone()));
    }
    fn slugs(a: Option<&Artifact>) -> Option<Vec<&str>> {
        a.map(|a| a.sections.iter().map(|s| s.slug.as_str()).collect())
    }
    if slugs(old) != slugs(new) {
        out.extend(ws.deps().linking_to(rel).cloned());
    }
    out.extend(command_dependents(ws, rel, old, new));
    out.extend(route_dependents(ws, rel, old, new));
    out.remove(rel);
    out.into_iter().collect()
}

/// The other ends of `rel`'s routes, when what they judge changed: its
/// targets (route-stale) when its version or routes changed, the artifacts
/// routing to it (route-unacknowledged) when its acknowledgements changed.
fn route_dependents(
    ws: &Workspace,
    rel: &str,
    old: Option<&Artifact>,
    new: Option<&Artifact>,
) -> Vec<String> {
    use crate::workspace::routes;
    let same_version = old.and_then(|a| a.version.as_ref()) == new.and_then(|a| a.version.as_ref());
    let same_fields = old.and_then(|a| a.frontmatter.as_ref()).map(|f| &f.fields)
        == new.and_then(|a| a.frontmatter.as_ref()).map(|f| &f.fields);
    if same_version && same_fields {
        return Vec::new();
    }
    let mut out: Vec<String> = [old, new]
        .into_iter()
        .flatten()
        .flat_map(|a| routes::targets(ws, a))
        .collect();
    out.extend(
        routes::incoming(ws, rel)
            .into_iter()
            .map(|(a, _)| a.path.clone()),
    );
    out
}

/// Bundles that record `rel` as a source (its bytes changed: stale or not),
/// and files whose command lines name it (it came, went, or changed status:
/// `/implement x-plan.md --execute`, `/bundle-load x-plan`).
fn command_dependents(
    ws: &Workspace,
    rel: &str,
    old: Option<&Artifact>,
    new: Option<&Artifact>,
) -> Vec<String> {
    let mut out = Vec::new();
    if old.map(|a| a.sha256) != new.map(|a| a.sha256) {
        out.extend(ws.deps().bundles_of(rel).cloned());
        // A bundle saved again: its sources' `bundle-source-changed` hints change.
        for b in [old, new]
            .into_iter()
            .flatten()
            .filter(|a| crate::bundle::index::is_bundle(a))
        {
            if let Some(r) = crate::bundle::sources::recorded(b) {
                out.extend(r.sources.into_iter().map(|s| s.path));
            }
        }
    }
    let came_or_went = old.is_some() != new.is_some();
    let same_status = old.and_then(|a| a.status.as_ref()).map(|s| &s.value)
        == new.and_then(|a| a.status.as_ref()).map(|s| &s.value);
    if !came_or_went && same_status {
        return out;
    }
    let file = rel.rsplit('/').next().unwrap_or(rel);
    let deps = ws.deps();
    out.extend(deps.naming_file(file).cloned());
    if let Some(name) = [old, new]
        .into_iter()
        .flatten()
        .find(|a| crate::bundle::index::is_bundle(a))
        .map(crate::bundle::index::name_of)
    {
        out.extend(deps.naming_bundle(&name).cloned());
    }
    out
}

/// The diagnostics of one file of `root` (artifact, config or flavor file),
/// converted, with a hash to tell whether they changed.
pub fn diagnostics(state: &State, root: &Root, rel: &str) -> (Vec<lsp::Diagnostic>, u64) {
    let enc = state.enc();
    let ws = read(&root.ws);
    let related_lines = |p: &str| Some((root.uri_of(p)?, ws.line_map(p)?.clone()));
    let out: Vec<lsp::Diagnostic> = match ws.artifacts.get(rel) {
        Some(art) => rules::check_artifact(&ws, art)
            .iter()
            .map(|d| convert::diagnostic(d, &art.lines, enc, related_lines))
            .collect(),
        None => match ws.other_files.get(rel) {
            Some(lines) => ws
                .setup_diagnostics
                .iter()
                .filter(|d| d.path == rel)
                .filter_map(|d| {
                    let sev = ws.config.severity(d.code, d.severity)?;
                    let d = rules::Diagnostic {
                        severity: sev,
                        ..d.clone()
                    };
                    Some(convert::diagnostic(&d, lines, enc, related_lines))
                })
                .collect(),
            None => Vec::new(),
        },
    };
    let out = super::outgoing::cap(out);
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for d in &out {
        h.update(format!("{:?}{:?}{:?}{}", d.range, d.code, d.severity, d.message).as_bytes());
        if let Some(r) = &d.related_information {
            h.update(format!("{r:?}").as_bytes());
        }
    }
    (out, h.digest())
}

/// Every file of a root that has or may have diagnostics.
pub fn all_files(root: &Root) -> Vec<String> {
    let ws = read(&root.ws);
    let mut out: Vec<String> = ws.artifacts.keys().cloned().collect();
    out.extend(ws.other_files.keys().cloned());
    out.extend(super::state::lock(&root.published).keys().cloned());
    out.sort();
    out.dedup();
    out
}
