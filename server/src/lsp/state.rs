//! What the server knows: roots (each a workspace), open documents, the
//! negotiated encoding and the client's abilities.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use dashmap::DashMap;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::Uri;

use crate::text::Encoding;
use crate::workspace::{CacheMode, Workspace};

use super::document::Document;

#[derive(Debug, Clone)]
pub struct Settings {
    /// Wait this long after an edit before re-checking (0: at once).
    pub debounce_ms: u64,
    /// How long to wait for the client's answer to a request (see ask.rs).
    pub client_timeout_ms: u64,
    /// Who `agentops.approve` records (`agentops.approver`); else git's `user.name`.
    pub approver: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            debounce_ms: 50,
            client_timeout_ms: super::ask::ACTION_TIMEOUT_MS,
            approver: None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ClientCaps {
    /// The client pulls diagnostics (`textDocument/diagnostic`); we don't push.
    pub pull: bool,
    pub pull_refresh: bool,
    pub watch_dynamic: bool,
    pub configuration: bool,
    pub progress: bool,
    /// The client can be asked to show a document (`window/showDocument`).
    pub show_document: bool,
    /// The client applies `documentChanges` with create and rename operations.
    pub resource_ops: bool,
    /// The client shows `tooltip` on document links.
    pub link_tooltips: bool,
    /// The client re-asks for code lenses on `workspace/codeLens/refresh`.
    pub lens_refresh: bool,
}

/// One workspace folder and its index.
pub struct Root {
    pub path: PathBuf,
    pub ws: RwLock<Workspace>,
    /// Hash of the diagnostics last published per root-relative path.
    pub published: Mutex<HashMap<String, u64>>,
    pub indexed: AtomicBool,
    /// Set by whoever starts indexing this root, so it is indexed once.
    pub indexing: AtomicBool,
}

impl Root {
    pub fn new(path: &Path) -> Root {
        Root {
            path: path.to_path_buf(),
            ws: RwLock::new(Workspace::live(path)),
            published: Mutex::new(HashMap::new()),
            indexed: AtomicBool::new(false),
            indexing: AtomicBool::new(false),
        }
    }

    pub fn uri_of(&self, rel: &str) -> Option<Uri> {
        Uri::from_file_path(self.path.join(rel))
    }
}

pub struct State {
    pub client: Client,
    pub roots: RwLock<Vec<Arc<Root>>>,
    pub docs: DashMap<Uri, Document>,
    pub encoding: RwLock<Encoding>,
    pub settings: RwLock<Settings>,
    pub caps: RwLock<ClientCaps>,
    pub shutdown: AtomicBool,
    pub cache: CacheMode,
    /// Result ids of the last pull report per document.
    pub pulled: DashMap<Uri, String>,
    /// Request handlers that may wait on the client at once (see ask.rs).
    pub client_waits: tokio::sync::Semaphore,
}

/// Lock poisoning only follows a panic in another handler, which is already
/// reported; the data behind the lock is still whole, so keep serving it.
pub fn read<T>(l: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(|e| e.into_inner())
}

pub fn write<T>(l: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(|e| e.into_inner())
}

pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl State {
    pub fn new(client: Client) -> State {
        State {
            client,
            roots: RwLock::new(Vec::new()),
            docs: DashMap::new(),
            encoding: RwLock::new(Encoding::Utf16),
            settings: RwLock::new(Settings::default()),
            caps: RwLock::new(ClientCaps::default()),
            shutdown: AtomicBool::new(false),
            cache: CacheMode::default_dir(),
            pulled: DashMap::new(),
            client_waits: tokio::sync::Semaphore::new(super::ask::ACTION_WAITS),
        }
    }

    pub fn enc(&self) -> Encoding {
        *read(&self.encoding)
    }

    pub fn caps(&self) -> ClientCaps {
        read(&self.caps).clone()
    }

    pub fn is_shut_down(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }

    /// The text of every open document under `root`, by root-relative path.
    /// Collect it *before* taking an index lock: analysis holds a document
    /// while it takes the index lock, so reading documents under that lock
    /// can deadlock.
    pub fn open_texts(&self, root: &Root) -> HashMap<String, String> {
        self.docs
            .iter()
            .filter_map(|d| {
                let path = d.key().to_file_path()?.into_owned();
                let rel = crate::workspace::scan_relative(&root.path, &path)?;
                // A text too large to keep is not the editor's truth any more.
                Some((rel, d.kept_text()?))
            })
            .collect()
    }

    /// The root holding `path` (the deepest one), and the path relative to it.
    pub fn root_of(&self, path: &Path) -> Option<(Arc<Root>, String)> {
        let roots = read(&self.roots);
        roots
            .iter()
            .filter(|r| path.starts_with(&r.path))
            .max_by_key(|r| r.path.components().count())
            .and_then(|r| Some((r.clone(), crate::workspace::scan_relative(&r.path, path)?)))
    }

    /// With no workspace folder, a file's root is the folder above its `agentops/`
    /// (or the nearest one holding `agentops.toml`); found once, then kept.
    pub fn discover_root(&self, path: &Path) -> Option<Arc<Root>> {
        let found = path.ancestors().skip(1).find(|dir| {
            dir.join(crate::config::FILE_NAME).is_file()
                || dir.join("agentops").is_dir() && path.starts_with(dir.join("agentops"))
                || dir.join(".agentops").is_dir() && path.starts_with(dir.join(".agentops"))
        })?;
        // Check and insert under one lock: files opened at once share one root.
        let mut roots = write(&self.roots);
        if let Some(r) = roots.iter().find(|r| r.path == found) {
            return Some(r.clone());
        }
        let root = Arc::new(Root::new(found));
        roots.push(root.clone());
        Some(root)
    }
}
