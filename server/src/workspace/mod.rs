//! The workspace: every artifact of one root, its flavors and config.

pub mod beneath;
mod cache;
mod classify;
pub mod code_map;
pub mod deps;
mod detect;
pub mod fs;
pub mod git;
pub mod items;
mod load;
pub mod phases;
pub mod read;
pub mod resolve;
pub mod routes;
pub mod runs;
mod scan;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

pub use cache::CacheMode;
pub use classify::{classify, is_artifact_file};
pub use fs::FsProbe;
pub use load::load_setup;
pub use scan::{
    MAX_FILE, ScanStats, from_bytes, from_text, relative as scan_relative, scan, scan_reporting,
    too_large,
};

use crate::artifact::Artifact;
use crate::config::Config;
use crate::rules::Diagnostic;
use crate::schema::{Flavor, Kind, Schemas};
use crate::text::LineMap;
use items::Items;

pub struct Workspace {
    pub root: PathBuf,
    pub config: Config,
    pub schemas: Schemas,
    /// Root-relative path → artifact, sorted for stable output.
    pub artifacts: BTreeMap<String, Artifact>,
    /// Line maps of non-artifact files that carry diagnostics (config, flavors).
    pub other_files: HashMap<String, LineMap>,
    /// Problems found while loading config and flavors.
    pub setup_diagnostics: Vec<Diagnostic>,
    pub fs: FsProbe,
    /// Whether every artifact has been read: rules about other files wait for it.
    pub complete: bool,
    /// Work items, computed on first use; dropped when grouping facts change.
    items: Mutex<Option<Arc<Items>>>,
    /// The indexes below are built on first use and then kept current,
    /// artifact by artifact, by `upsert` and `remove` (see `deps`).
    /// Route target → the artifacts routing to it.
    routes_in: OnceLock<routes::Incoming>,
    /// Command lines by the file they name.
    runs: OnceLock<runs::Runs>,
    /// Artifacts by work item.
    peers: OnceLock<deps::Peers>,
    /// Reverse links, bundles by source, command lines by name.
    deps: OnceLock<deps::Deps>,
}

impl Workspace {
    /// A long-lived workspace (the language server) must not memoize the
    /// file system: files appear and vanish under it.
    pub fn live(root: &Path) -> Workspace {
        let mut ws = Workspace::new(root);
        ws.fs = FsProbe::new(&ws.root, false);
        ws
    }

    pub fn new(root: &Path) -> Workspace {
        // Links resolve by joining and normalizing paths: a root of `.` would
        // lose its prefix to normalization, so work from an absolute root;
        // normalized too, or a root of `..` would never be a prefix of the
        // normalized paths links resolve to (`check ..` found no research).
        let root = &std::path::absolute(root)
            .map(|r| resolve::normalize(&r))
            .unwrap_or_else(|_| root.to_path_buf());
        let (config, schemas, setup_diagnostics, other_files) = load_setup(root);
        Workspace {
            root: root.to_path_buf(),
            config,
            schemas,
            artifacts: BTreeMap::new(),
            other_files,
            setup_diagnostics,
            fs: FsProbe::new(root, true),
            items: Mutex::new(None),
            routes_in: OnceLock::new(),
            runs: OnceLock::new(),
            peers: OnceLock::new(),
            deps: OnceLock::new(),
            complete: false,
        }
    }

    pub fn flavor_of(&self, art: &Artifact) -> Option<&Flavor> {
        self.schemas.flavor(art.class.flavor()?)
    }

    pub fn kind_of(&self, art: &Artifact) -> Option<&Kind> {
        self.flavor_of(art)?.kind(art.class.kind()?)
    }

    /// `agentops/product-dev/` for an artifact of that folder; the root folder of root flavors.
    pub fn flavor_base(&self, art: &Artifact) -> Option<String> {
        if let Some((_, rest)) = self.schemas.for_root(&art.path) {
            return Some(art.path.strip_suffix(rest)?.to_string());
        }
        let dir = self.artifacts_dir();
        let folder = art
            .path
            .strip_prefix(dir)?
            .strip_prefix('/')?
            .split('/')
            .next()?;
        Some(format!("{dir}/{folder}/"))
    }

    /// Artifacts of the same flavor and work item, `art` included.
    /// In path order; `art` itself only if indexed.
    pub fn work_item_peers<'a>(
        &'a self,
        art: &'a Artifact,
    ) -> impl Iterator<Item = &'a Artifact> + 'a {
        self.peers
            .get_or_init(|| deps::Peers::compute(self))
            .of(art)
            .filter_map(|p| self.artifacts.get(p))
    }

    pub fn line_map(&self, path: &str) -> Option<&LineMap> {
        self.artifacts
            .get(path)
            .map(|a| &a.lines)
            .or_else(|| self.other_files.get(path))
    }

    /// Puts a (re)built artifact in the index; returns the one it replaces.
    pub fn upsert(&mut self, art: Artifact) -> Option<Artifact> {
        self.fs.invalidate(&self.root.join(&art.path));
        let same = self
            .artifacts
            .get(&art.path)
            .is_some_and(|old| self.grouping(old) == self.grouping(&art));
        if !same {
            self.forget_items();
        }
        let old = self.artifacts.remove(&art.path);
        self.reindex(old.as_ref(), Some(&art));
        self.artifacts.insert(art.path.clone(), art);
        old
    }

    pub fn remove(&mut self, path: &str) -> Option<Artifact> {
        self.fs.invalidate(&self.root.join(path));
        self.forget_items();
        let old = self.artifacts.remove(path);
        self.reindex(old.as_ref(), None);
        old
    }

    /// Brings the built indexes from `old` to `new` (either None: the
    /// artifact comes or goes): the old one's entries out, the new one's in.
    /// Costs the two artifacts, not the workspace.
    fn reindex(&mut self, old: Option<&Artifact>, new: Option<&Artifact>) {
        let keys = |a: Option<&Artifact>| a.map(|a| deps::Keys::of(self, a));
        let targets = |a: Option<&Artifact>| a.map(|a| routes::targets(self, a));
        let (old_keys, new_keys) = match self.deps.get() {
            Some(_) => (keys(old), keys(new)),
            None => (None, None),
        };
        let (old_targets, new_targets) = match self.routes_in.get() {
            Some(_) => (targets(old), targets(new)),
            None => (None, None),
        };
        if let Some(p) = self.peers.get_mut() {
            old.into_iter().for_each(|a| p.remove(a));
            new.into_iter().for_each(|a| p.add(a));
        }
        if let Some(r) = self.runs.get_mut() {
            old.into_iter().for_each(|a| r.remove(a));
            new.into_iter().for_each(|a| r.add(a));
        }
        if let Some(d) = self.deps.get_mut() {
            if let (Some(a), Some(k)) = (old, &old_keys) {
                d.remove(&a.path, k);
            }
            if let (Some(a), Some(k)) = (new, &new_keys) {
                d.add(&a.path, k);
            }
        }
        if let Some(i) = self.routes_in.get_mut() {
            if let (Some(a), Some(t)) = (old, &old_targets) {
                i.remove(&a.path, t);
            }
            if let (Some(a), Some(t)) = (new, &new_targets) {
                i.add(&a.path, t);
            }
        }
    }

    /// Drops every index: the artifacts were replaced wholesale (a scan).
    pub fn forget_indexes(&mut self) {
        self.forget_items();
        self.routes_in.take();
        self.runs.take();
        self.peers.take();
        self.deps.take();
    }

    /// The work items, computed once per change of what groups them.
    pub fn items(&self) -> Arc<Items> {
        let mut cached = self.items.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = cached.as_ref() {
            return i.clone();
        }
        let fresh = Arc::new(Items::compute(self));
        *cached = Some(fresh.clone());
        fresh
    }

    pub fn forget_items(&self) {
        *self.items.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Who routes to whom.
    pub fn routes_in(&self) -> &routes::Incoming {
        self.routes_in
            .get_or_init(|| routes::Incoming::compute(self))
    }

    /// Command lines by the file their first argument names.
    pub fn runs(&self) -> &runs::Runs {
        self.runs.get_or_init(|| runs::Runs::compute(self))
    }

    /// Reverse links, bundles by source, command lines by name.
    pub fn deps(&self) -> &deps::Deps {
        self.deps.get_or_init(|| deps::Deps::compute(self))
    }

    /// What decides an artifact's work item: its class and its link fields.
    fn grouping(&self, a: &Artifact) -> (crate::artifact::Class, Vec<String>) {
        let fields: Vec<String> = self
            .kind_of(a)
            .map(|k| {
                k.prerequisites
                    .iter()
                    .filter_map(|p| p.via.as_ref())
                    .map(|f| {
                        let v = a
                            .frontmatter
                            .as_ref()
                            .and_then(|fm| fm.get(f))
                            .map(|x| format!("{:?}", x.value));
                        v.unwrap_or_default()
                    })
                    .collect()
            })
            .unwrap_or_default();
        (a.class.clone(), fields)
    }

    /// The root-relative path of a file under this root.
    pub fn relative(&self, path: &Path) -> Option<String> {
        scan::relative(&self.root, path)
    }

    /// Whether a root-relative path is one the index holds when it exists.
    pub fn wants(&self, rel: &str) -> bool {
        is_artifact_file(rel) && classify(&self.schemas, self.artifacts_dir(), rel).is_some()
    }

    pub fn artifacts_dir(&self) -> &str {
        &self.config.workspace.artifacts
    }
}
