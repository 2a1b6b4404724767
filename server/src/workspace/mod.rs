//! The workspace: every artifact of one root, its flavors and config.

pub mod beneath;
mod cache;
mod classify;
pub mod code_map;
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
use std::sync::{Arc, Mutex};

pub use cache::CacheMode;
pub use classify::{classify, is_artifact_file};
pub use fs::FsProbe;
pub use load::load_setup;
pub use scan::{
    MAX_FILE, ScanStats, from_bytes, from_text, relative as scan_relative, scan, too_large,
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
    /// Route target → the artifacts routing to it; dropped when a frontmatter changes.
    routes_in: Mutex<Option<Arc<routes::Incoming>>>,
    /// Command lines by the file they name; dropped when any command line changes.
    runs: Mutex<Option<Arc<runs::Runs>>>,
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
        // lose its prefix to normalization, so work from an absolute root.
        let root = &std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
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
            routes_in: Mutex::new(None),
            runs: Mutex::new(None),
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
    pub fn work_item_peers<'a>(
        &'a self,
        art: &'a Artifact,
    ) -> impl Iterator<Item = &'a Artifact> + 'a {
        let flavor = art.class.flavor();
        let item = art.class.work_item();
        self.artifacts.values().filter(move |a| {
            item.is_some() && a.class.flavor() == flavor && a.class.work_item() == item
        })
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
        let same_routes = self.artifacts.get(&art.path).is_some_and(|old| {
            old.class == art.class
                && old.frontmatter.as_ref().map(|f| &f.fields)
                    == art.frontmatter.as_ref().map(|f| &f.fields)
        });
        if !same_routes {
            self.forget_routes();
        }
        // `runs` keeps each line's first argument by position: only those
        // matter (typing that moves a command line keeps the index valid).
        let firsts = |a: &Artifact| -> Vec<Option<String>> {
            a.commands
                .iter()
                .map(|c| c.args.first().map(|(w, _)| w.clone()))
                .collect()
        };
        if self
            .artifacts
            .get(&art.path)
            .is_none_or(|old| firsts(old) != firsts(&art))
        {
            self.forget_runs();
        }
        self.artifacts.insert(art.path.clone(), art)
    }

    pub fn remove(&mut self, path: &str) -> Option<Artifact> {
        self.fs.invalidate(&self.root.join(path));
        self.forget_items();
        self.artifacts.remove(path)
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
        self.forget_routes();
        self.forget_runs();
    }

    /// Who routes to whom, computed once per change of a frontmatter.
    pub fn routes_in(&self) -> Arc<routes::Incoming> {
        let mut cached = self.routes_in.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = cached.as_ref() {
            return i.clone();
        }
        let fresh = Arc::new(routes::Incoming::compute(self));
        *cached = Some(fresh.clone());
        fresh
    }

    /// Command lines by the file their first argument names, computed once
    /// per change of any command line.
    pub fn runs(&self) -> Arc<runs::Runs> {
        let mut cached = self.runs.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = cached.as_ref() {
            return r.clone();
        }
        let fresh = Arc::new(runs::Runs::compute(self));
        *cached = Some(fresh.clone());
        fresh
    }

    fn forget_runs(&self) {
        *self.runs.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn forget_routes(&self) {
        *self.routes_in.lock().unwrap_or_else(|e| e.into_inner()) = None;
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
