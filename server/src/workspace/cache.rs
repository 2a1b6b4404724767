//! The persisted index: every artifact of a root, zstd-compressed, so an
//! unchanged file is never parsed twice. Lives outside the repository.
//!
//! Valid only for the same binary version and the same flavor definitions;
//! each entry is reused only when the file's content hash is unchanged.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use dashmap::DashMap;
use serde::{Deserialize, Serialize};

use crate::artifact::Artifact;

use super::Workspace;

/// Refuse to inflate a cache beyond this: it is ours, but the disk is not.
const MAX_CACHE: usize = 1 << 30;

#[derive(Debug, Clone)]
pub enum CacheMode {
    Off,
    Dir(PathBuf),
}

/// When a file was last seen: modification time (ns) and size. Unchanged
/// stamps let a warm run skip reading the file at all, as git's index does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub mtime_ns: u128,
    pub size: u64,
}

impl Stamp {
    pub fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
        let mtime_ns = m
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        Some(Stamp {
            mtime_ns,
            size: m.len(),
        })
    }
}

/// What a previous run left: artifacts with the stamp of the bytes they came
/// from, and when the cache was written (stamps that close to it may hide a
/// change made in the same clock tick, so they are re-read).
#[derive(Default)]
pub struct Loaded {
    /// Taken out (not cloned) as files are matched: the index is large.
    pub artifacts: DashMap<String, (Artifact, Option<Stamp>)>,
    pub written_ns: u128,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    version: String,
    fingerprint: u64,
    written_ns: u128,
    artifacts: Vec<(Artifact, Option<Stamp>)>,
}

/// The package version and this executable's size and modification time:
/// the stored artifacts' layout changes with the code, not only with releases.
fn build_id() -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let t = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}:{t}", m.len())
        })
        .unwrap_or_default();
    format!("{}+{exe}", env!("CARGO_PKG_VERSION"))
}

impl CacheMode {
    /// What a command's `--no-cache` asks for: off, else the default folder.
    pub fn unless(no_cache: bool) -> CacheMode {
        if no_cache {
            CacheMode::Off
        } else {
            CacheMode::default_dir()
        }
    }

    /// `$AGENTOPS_LSP_CACHE`, else `$XDG_CACHE_HOME/agentops-lsp`, else `~/.cache/agentops-lsp`.
    pub fn default_dir() -> CacheMode {
        let dir = std::env::var_os("AGENTOPS_LSP_CACHE")
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("agentops-lsp"))
            })
            .or_else(|| {
                std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/agentops-lsp"))
            });
        dir.map_or(CacheMode::Off, CacheMode::Dir)
    }

    fn file(&self, root: &Path) -> Option<PathBuf> {
        let CacheMode::Dir(dir) = self else {
            return None;
        };
        let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let key = xxhash_rust::xxh3::xxh3_64(canonical.to_string_lossy().as_bytes());
        Some(dir.join(format!("{key:016x}.index.zst")))
    }

    /// Cached artifacts by path; empty when absent, stale or unreadable.
    pub fn load(&self, ws: &Workspace) -> Loaded {
        let Some(file) = self.file(&ws.root) else {
            return Loaded::default();
        };
        // Our own file, but in a folder anyone may point elsewhere: read as any other.
        let Ok(compressed) = super::read::read_capped(&file, MAX_CACHE as u64) else {
            return Loaded::default();
        };
        let Ok(raw) = zstd::bulk::decompress(&compressed, MAX_CACHE) else {
            return Loaded::default();
        };
        match postcard::from_bytes::<Stored>(&raw) {
            Ok(s) if s.version == build_id() && s.fingerprint == ws.schemas.fingerprint => Loaded {
                artifacts: s
                    .artifacts
                    .into_iter()
                    .map(|(a, st)| (a.path.clone(), (a, st)))
                    .collect(),
                written_ns: s.written_ns,
            },
            _ => Loaded::default(),
        }
    }

    /// Writes the index atomically; a failure only costs the next run its speed.
    pub fn store(&self, ws: &Workspace, stamps: &HashMap<String, Stamp>) {
        let Some(file) = self.file(&ws.root) else {
            return;
        };
        let written_ns = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let stored = Stored {
            version: build_id(),
            fingerprint: ws.schemas.fingerprint,
            written_ns,
            artifacts: ws
                .artifacts
                .values()
                .filter(|a| a.problem.is_none())
                .map(|a| (a.clone(), stamps.get(&a.path).copied()))
                .collect(),
        };
        let result = (|| -> std::io::Result<()> {
            let raw = postcard::to_stdvec(&stored).map_err(std::io::Error::other)?;
            let compressed = zstd::bulk::compress(&raw, 3)?;
            let dir = file
                .parent()
                .ok_or_else(|| std::io::Error::other("no cache folder"))?;
            std::fs::create_dir_all(dir)?;
            let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
            tmp.write_all(&compressed)?;
            tmp.persist(&file).map_err(|e| e.error)?;
            Ok(())
        })();
        if let Err(e) = result {
            eprintln!(
                "agentops-lsp: index cache not written ({}): {e}",
                file.display()
            );
        }
    }
}
