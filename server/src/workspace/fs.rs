//! Memoized questions about files on disk, asked by link rules.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dashmap::DashMap;

use crate::syntax::{block, slug};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Entry {
    Missing,
    File,
    Dir,
    /// Symlinks resolved, the path leaves the root: never read, and never
    /// said to exist or not (only `FsProbe::probe` returns it).
    Outside,
}

impl Entry {
    pub fn exists(self) -> bool {
        matches!(self, Entry::File | Entry::Dir)
    }
}

pub struct FsProbe {
    root: PathBuf,
    /// The root with its symlinks resolved: what confinement compares with.
    real_root: PathBuf,
    memo: bool,
    entries: DashMap<PathBuf, Entry>,
    /// Heading slugs of markdown files that are not artifacts (READMEs, docs).
    slugs: DashMap<PathBuf, Arc<Vec<String>>>,
    /// Root-relative files a glob matches, by glob.
    globs: DashMap<String, Arc<Vec<String>>>,
    lines: DashMap<PathBuf, Option<u32>>,
}

/// Walks stop after this many files: a glob over a huge tree answers
/// "many", not an exact count.
pub const MAX_WALK: usize = 10_000;

/// Files larger than this are not parsed for anchors.
const MAX_ANCHOR_FILE: u64 = 4 << 20;

impl FsProbe {
    pub fn new(root: &Path, memo: bool) -> FsProbe {
        FsProbe {
            root: root.to_path_buf(),
            real_root: super::read::canonical_root(root),
            memo,
            entries: DashMap::new(),
            slugs: DashMap::new(),
            globs: DashMap::new(),
            lines: DashMap::new(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// What `path` is; a path outside the root is `Missing` here (see `probe`).
    pub fn entry(&self, path: &Path) -> Entry {
        match self.probe(path) {
            Entry::Outside => Entry::Missing,
            e => e,
        }
    }

    /// What `path` is, or `Outside` when, symlinks resolved, it leaves the root.
    pub fn probe(&self, path: &Path) -> Entry {
        if let Some(e) = self.entries.get(path) {
            return *e;
        }
        let e = match super::read::confine(&self.root, &self.real_root, path) {
            Err(super::read::ReadError::Outside) => Entry::Outside,
            Err(_) => Entry::Missing,
            Ok(real) => match std::fs::metadata(real) {
                Ok(m) if m.is_dir() => Entry::Dir,
                // FIFOs, sockets and devices are files to a link: they exist.
                Ok(_) => Entry::File,
                Err(_) => Entry::Missing,
            },
        };
        if self.memo {
            self.entries.insert(path.to_path_buf(), e);
        }
        e
    }

    /// Forget what is known about `path` (it changed on disk).
    pub fn invalidate(&self, path: &Path) {
        self.entries.remove(path);
        self.slugs.remove(path);
        self.lines.remove(path);
        // Any glob may cover the path; globs are few and cheap to redo.
        self.globs.clear();
    }

    /// Root-relative files matching `glob` (a root-relative pattern), sorted,
    /// at most `MAX_WALK` of them.
    pub fn glob_files(&self, glob: &str) -> Arc<Vec<String>> {
        if let Some(g) = self.globs.get(glob) {
            return g.clone();
        }
        let found = Arc::new(walk_glob(&self.root, glob));
        if self.memo {
            self.globs.insert(glob.to_string(), found.clone());
        }
        found
    }

    /// Lines in a text file (a last line without a newline counts).
    pub fn line_count(&self, path: &Path) -> Option<u32> {
        if let Some(n) = self.lines.get(path) {
            return *n;
        }
        let n = self.read(path).map(|b| count_lines(&b));
        if self.memo {
            self.lines.insert(path.to_path_buf(), n);
        }
        n
    }

    /// Files under a folder and their lines, walked as the scan walks.
    pub fn folder_stats(&self, dir: &Path) -> FolderStats {
        let mut stats = FolderStats::default();
        for e in walker(dir).build().filter_map(Result::ok) {
            if !e.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            if stats.files == MAX_WALK {
                stats.truncated = true;
                break;
            }
            stats.files += 1;
            stats.lines += u64::from(self.line_count(e.path()).unwrap_or(0));
        }
        stats
    }

    /// A file's bytes through the one capped, confined reader.
    fn read(&self, path: &Path) -> Option<Vec<u8>> {
        let real = super::read::confine(&self.root, &self.real_root, path).ok()?;
        super::read::read_confined(&self.real_root, &real, MAX_ANCHOR_FILE).ok()
    }

    pub fn heading_slugs(&self, path: &Path) -> Arc<Vec<String>> {
        if let Some(s) = self.slugs.get(path) {
            return s.clone();
        }
        let slugs = Arc::new(self.read(path).and_then(read_slugs).unwrap_or_default());
        if self.memo {
            self.slugs.insert(path.to_path_buf(), slugs.clone());
        }
        slugs
    }
}

/// A folder's entries as (name, is a folder), sorted; what the scan never
/// enters (`.git`, `node_modules`, `target`) left out.
pub fn list_dir(dir: &Path) -> Vec<(String, bool)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, bool)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let dir = e.file_type().ok()?.is_dir();
            let skipped = matches!(name.as_str(), ".git" | "node_modules" | "target");
            (!skipped).then_some((name, dir))
        })
        .take(MAX_WALK)
        .collect();
    out.sort();
    out
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct FolderStats {
    pub files: usize,
    pub lines: u64,
    /// The walk stopped at `MAX_WALK` files.
    pub truncated: bool,
}

/// A walk that skips what the scan skips: gitignored files, `.git`,
/// `node_modules`, `target`.
pub fn walker(dir: &Path) -> ignore::WalkBuilder {
    let mut b = ignore::WalkBuilder::new(dir);
    b.hidden(false)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .parents(true)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !matches!(name.as_ref(), ".git" | "node_modules" | "target")
        });
    b
}

fn walk_glob(root: &Path, glob: &str) -> Vec<String> {
    let Some(matcher) = crate::workspace::code_map::matcher(glob) else {
        return Vec::new();
    };
    let base = root.join(crate::workspace::code_map::glob_base(glob));
    // A walk starts through a symlinked folder: only one that stays inside.
    let real_root = super::read::canonical_root(root);
    if !base.is_dir() || super::read::confine(root, &real_root, &base).is_err() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for e in walker(&base).build().filter_map(Result::ok) {
        if !e.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        if let Some(rel) = super::scan::relative(root, e.path())
            && matcher.is_match(&rel)
        {
            out.push(rel);
            if out.len() == MAX_WALK {
                break;
            }
        }
    }
    out
}

fn count_lines(bytes: &[u8]) -> u32 {
    let newlines = bytes.iter().filter(|&&b| b == b'\n').count();
    let last_open = bytes.last().is_some_and(|&b| b != b'\n');
    crate::text::to_u32(newlines + usize::from(last_open))
}

fn read_slugs(bytes: Vec<u8>) -> Option<Vec<String>> {
    let text = String::from_utf8(bytes).ok()?;
    let skip = crate::syntax::frontmatter::parse(&text).map_or(0, |f| f.range.end);
    let mut parser = block::new_parser();
    let tree = block::parse(&mut parser, &text, None).ok()?;
    let b = block::extract(&text, &tree, skip);
    Some(slug::slugs(b.headings.iter().map(|h| h.text.as_str())))
}
