//! Finding and parsing every artifact of a root, on all cores.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;
use rayon::prelude::*;

use crate::artifact::{self, Artifact, Parsers, Problem};
use crate::schema::Schemas;

use super::cache::Stamp;
use super::{Workspace, classify, is_artifact_file};

/// How a file's artifact was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fresh {
    /// From the cache, the file's stamp unchanged: not even read.
    Stamp,
    /// From the cache, after reading and hashing the file.
    Hash,
    Parsed,
}

/// Larger files are reported, not parsed: no artifact is this big.
pub const MAX_FILE: u64 = 16 << 20;

#[derive(Debug, Default, Clone)]
pub struct ScanStats {
    pub files: usize,
    pub bytes: u64,
    pub parsed: usize,
    pub from_cache: usize,
    pub elapsed: Duration,
}

/// Paths of every artifact file under the flavor folders, root-relative,
/// sorted; and apart (lossily spelled) those whose name is not UTF-8:
/// those cannot be named in a diagnostic's path, so they are reported as such.
fn walk_artifacts(ws: &Workspace) -> (Vec<String>, Vec<String>) {
    let mut starts: Vec<PathBuf> = vec![ws.root.join(ws.artifacts_dir())];
    starts.extend(ws.schemas.root_folders().map(|r| ws.root.join(r)));
    // The walk follows no symlink below its starts, but a start itself may
    // be one: only starts that stay inside the root are walked.
    let real_root = super::read::canonical_root(&ws.root);
    starts.retain(|p| p.is_dir() && super::read::confine(&ws.root, &real_root, p).is_ok());
    let Some((first, rest)) = starts.split_first() else {
        return (Vec::new(), Vec::new());
    };
    let mut builder = WalkBuilder::new(first);
    for p in rest {
        builder.add(p);
    }
    let mut overrides = OverrideBuilder::new(&ws.root);
    for glob in &ws.config.workspace.ignore {
        // Bad globs are skipped; a config with one still checks the rest.
        let _ = overrides.add(&format!("!{glob}"));
    }
    let overrides = overrides.build().ok();
    if let Some(o) = &overrides {
        builder.overrides(o.clone());
    }
    builder
        .hidden(false)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .parents(true)
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !matches!(name.as_ref(), ".git" | "node_modules" | "target")
        });
    let mut out: Vec<String> = Vec::new();
    let mut not_utf8: Vec<String> = Vec::new();
    for e in builder.build().filter_map(Result::ok) {
        if !e.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Some(rel) = relative(&ws.root, e.path()) else {
            continue;
        };
        if !is_artifact_file(&rel) {
            continue;
        }
        if e.path().to_str().is_some() {
            out.push(rel);
        } else {
            not_utf8.push(rel);
        }
    }
    // `.gitignore` hides untracked files only: what git tracks is checked,
    // and what it ignores and does not track is not, even under a layout
    // folder the walk starts from (which the walker never judges itself).
    let configured_out = |p: &str| {
        overrides
            .as_ref()
            .is_some_and(|o| o.matched(p, false).is_ignore())
    };
    if let Some(untracked) = git_ignored(&ws.root, &starts, false) {
        // Files by hash, folders (git names them once, ending in `/`) by
        // prefix: few of those, while files may be many.
        let (dirs, files): (Vec<String>, std::collections::HashSet<String>) = {
            let (d, f): (Vec<String>, Vec<String>) =
                untracked.into_iter().partition(|u| u.ends_with('/'));
            (d, f.into_iter().collect())
        };
        out.retain(|p| !files.contains(p) && !dirs.iter().any(|d| p.starts_with(d.as_str())));
    }
    out.extend(
        git_ignored(&ws.root, &starts, true)
            .unwrap_or_default()
            .into_iter()
            .filter(|p| is_artifact_file(p) && !configured_out(p)),
    );
    out.sort();
    out.dedup();
    not_utf8.sort();
    not_utf8.dedup();
    (out, not_utf8)
}

/// At most this many paths are taken from one answer of git.
const MAX_GIT_PATHS: usize = 100_000;

/// What git ignores under `starts`, root-relative: the files it tracks
/// although a `.gitignore` matches them (`tracked`: teams commit `.agents/`
/// with it ignored), or the ignored files and folders (ending in `/`) it does
/// not track. None when git is not installed or the root is in no work tree.
/// Tracked paths that leave the root, pass through `.git`, `node_modules` or
/// `target`, or are not regular files (a symlink may point anywhere) are dropped.
fn git_ignored(root: &Path, starts: &[PathBuf], tracked: bool) -> Option<Vec<String>> {
    let specs: Vec<String> = starts
        .iter()
        .filter_map(|s| relative(root, s))
        .map(|s| if s.is_empty() { ".".to_string() } else { s })
        .collect();
    if specs.is_empty() {
        return None;
    }
    let which: &[&str] = if tracked {
        &["--cached"]
    } else {
        &["--others", "--directory"]
    };
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        // A repository's own config must not run anything: no fsmonitor hook.
        .args(["-c", "core.fsmonitor=false"])
        .args(["ls-files", "-z", "--ignored", "--exclude-standard"])
        .args(which)
        .arg("--")
        .args(&specs)
        // Reading the index must not take its lock or write to it.
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let paths = output
        .stdout
        .split(|b| *b == 0)
        .filter_map(|p| std::str::from_utf8(p).ok())
        .filter(|p| !p.is_empty())
        .take(MAX_GIT_PATHS);
    if !tracked {
        return Some(paths.map(str::to_string).collect());
    }
    Some(
        paths
            .filter(|p| {
                p.split('/')
                    .all(|c| !matches!(c, "" | "." | ".." | ".git" | "node_modules" | "target"))
            })
            .filter(|p| {
                std::fs::symlink_metadata(root.join(p)).is_ok_and(|m| m.file_type().is_file())
            })
            .map(str::to_string)
            .collect(),
    )
}

pub fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// Reads and parses every artifact into `ws`, reusing cached ones.
pub fn scan(ws: &mut Workspace, cache: &super::CacheMode) -> ScanStats {
    scan_reporting(ws, cache, &|_, _| {})
}

/// [`scan`], telling `progress` (files done, files in all) as each file is
/// read: the command line draws a progress line from it on a terminal. It is
/// called from the parsing threads, so it must be cheap (a store, no I/O).
pub fn scan_reporting(
    ws: &mut Workspace,
    cache: &super::CacheMode,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> ScanStats {
    let started = Instant::now();
    let (paths, not_utf8) = walk_artifacts(ws);
    let total = paths.len() + not_utf8.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let tick = || {
        progress(
            done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1,
            total,
        )
    };
    progress(0, total);
    let cached = cache.load(ws);
    let schemas = &ws.schemas;
    let dir = ws.config.workspace.artifacts.clone();
    let root = ws.root.clone();
    let real_root = super::read::canonical_root(&root);
    // A stamp this close to the cache write may hide a same-tick change.
    let trusted_before = cached.written_ns.saturating_sub(2_000_000_000);
    let results: Vec<(Artifact, u64, Fresh, Option<Stamp>)> = paths
        .par_iter()
        .map_init(Parsers::default, |parsers, rel| {
            tick();
            let full = root.join(rel);
            let stamp = Stamp::of(&full);
            let hit = cached.artifacts.remove(rel).map(|(_, v)| v);
            // Unchanged stamp: trusted without reading, and moved, not cloned.
            let hit = match hit {
                Some((a, Some(old)))
                    if Some(old) == stamp
                        && old.mtime_ns < trusted_before
                        && a.problem.is_none() =>
                {
                    return (a, old.size, Fresh::Stamp, stamp);
                }
                other => other,
            };
            // Capped one byte past the limit: a larger file is reported by size.
            // Opened beneath the root: a file swapped for a symlink out of
            // it since the walk is refused (`workspace::beneath`).
            let bytes = super::read::read_confined(&real_root, &real_root.join(rel), MAX_FILE + 1);
            let len = bytes.as_ref().map_or(0, |b| b.len() as u64);
            let hash = bytes.as_ref().map_or(0, |b| xxhash_rust::xxh3::xxh3_64(b));
            if let Some((a, _)) = hit.filter(|(a, _)| a.hash == hash && a.problem.is_none()) {
                return (a, len, Fresh::Hash, stamp);
            }
            let art = match bytes {
                Ok(b) => from_bytes(parsers, schemas, &dir, rel, &b),
                Err(super::read::ReadError::TooLarge { .. }) => {
                    let len = std::fs::metadata(&full).map_or(MAX_FILE + 1, |m| m.len());
                    unreadable(schemas, &dir, rel, too_large_message(len))
                }
                Err(e) => unreadable(schemas, &dir, rel, format!("cannot read the file: {e}")),
            };
            (art, len, Fresh::Parsed, stamp)
        })
        .chain(not_utf8.par_iter().map(|rel| {
            let message = "the file name is not valid UTF-8; rename it to have it checked";
            let art = unreadable(schemas, &dir, rel, message.into());
            (art, 0, Fresh::Parsed, None)
        }))
        .collect();
    // Entries left over are files that are gone: the cache must be rewritten.
    let leftover = cached.artifacts.len();
    drop(cached);
    let mut stamps = HashMap::with_capacity(results.len());
    let mut stats = ScanStats {
        files: results.len(),
        ..ScanStats::default()
    };
    let mut rewrite = leftover > 0;
    for (art, len, fresh, stamp) in results {
        let hit = fresh != Fresh::Parsed;
        rewrite |= fresh != Fresh::Stamp;
        stats.bytes += len;
        if let Some(st) = stamp {
            stamps.insert(art.path.clone(), st);
        }
        if hit {
            stats.from_cache += 1;
        } else {
            stats.parsed += 1;
        }
        ws.artifacts.insert(art.path.clone(), art);
    }
    ws.forget_indexes();
    ws.complete = true;
    // An unchanged index is not written again.
    if rewrite || stats.files == 0 {
        cache.store(ws, &stamps);
    }
    stats.elapsed = started.elapsed();
    stats
}

/// One file's bytes → its artifact; unreadable input becomes a problem, never a panic.
pub fn from_bytes(
    parsers: &mut Parsers,
    schemas: &Schemas,
    dir: &str,
    rel: &str,
    bytes: &[u8],
) -> Artifact {
    if let Some(art) = too_large(schemas, dir, rel, bytes.len()) {
        return art;
    }
    // Anywhere in the file, not only its first 8 KB: text with a NUL past
    // the start is no artifact either.
    if bytes.contains(&0) {
        return unreadable(
            schemas,
            dir,
            rel,
            "file looks binary (it contains NUL bytes); not checked".into(),
        );
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return unreadable(
                schemas,
                dir,
                rel,
                format!(
                    "file is not valid UTF-8 (first bad byte at offset {}); not checked",
                    e.valid_up_to()
                ),
            );
        }
    };
    from_text(parsers, schemas, dir, rel, text)
}

pub fn from_text(
    parsers: &mut Parsers,
    schemas: &Schemas,
    dir: &str,
    rel: &str,
    text: &str,
) -> Artifact {
    // Open documents come here without passing `from_bytes`: the same cap.
    if let Some(art) = too_large(schemas, dir, rel, text.len()) {
        return art;
    }
    let (class, kind) = classify(schemas, dir, rel).unwrap_or_default();
    artifact::build(parsers, rel, text, class, kind)
}

fn too_large_message(len: u64) -> String {
    format!(
        "file is {} MB; files over {} MB are not checked",
        len >> 20,
        MAX_FILE >> 20
    )
}

/// The artifact of a file or open document of `len` bytes when it is too
/// large to parse (over `MAX_FILE`): one finding instead of the parse.
pub fn too_large(schemas: &Schemas, dir: &str, rel: &str, len: usize) -> Option<Artifact> {
    (len as u64 > MAX_FILE).then(|| unreadable(schemas, dir, rel, too_large_message(len as u64)))
}

fn unreadable(schemas: &Schemas, dir: &str, rel: &str, message: String) -> Artifact {
    let (class, _) = classify(schemas, dir, rel).unwrap_or_default();
    Artifact {
        path: rel.to_string(),
        class,
        problem: Some(Problem { message }),
        ..Artifact::default()
    }
}
