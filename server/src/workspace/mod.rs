//! The workspace: every artifact of one root, its flavors and config.

mod cache;
mod classify;
pub mod fs;
mod load;
mod scan;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub use cache::CacheMode;
pub use classify::{classify, is_artifact_file};
pub use fs::FsProbe;
pub use load::load_setup;
pub use scan::{ScanStats, from_bytes, from_text, relative as scan_relative, scan};

use crate::artifact::Artifact;
use crate::config::Config;
use crate::rules::Diagnostic;
use crate::schema::{Flavor, Kind, Schemas};
use crate::text::LineMap;

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
}

impl Workspace {
    /// A long-lived workspace (the language server) must not memoize the
    /// file system: files appear and vanish under it.
    pub fn live(root: &Path) -> Workspace {
        let mut ws = Workspace::new(root);
        ws.fs = FsProbe::new(root, false);
        ws
    }

    pub fn new(root: &Path) -> Workspace {
        let (config, schemas, setup_diagnostics, other_files) = load_setup(root);
        Workspace {
            root: root.to_path_buf(),
            config,
            schemas,
            artifacts: BTreeMap::new(),
            other_files,
            setup_diagnostics,
            fs: FsProbe::new(root, true),
        }
    }

    pub fn flavor_of(&self, art: &Artifact) -> Option<&Flavor> {
        self.schemas.flavor(art.class.flavor()?)
    }

    pub fn kind_of(&self, art: &Artifact) -> Option<&Kind> {
        self.flavor_of(art)?.kind(art.class.kind()?)
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
        self.artifacts.insert(art.path.clone(), art)
    }

    pub fn remove(&mut self, path: &str) -> Option<Artifact> {
        self.fs.invalidate(&self.root.join(path));
        self.artifacts.remove(path)
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
