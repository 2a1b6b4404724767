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
}

pub struct FsProbe {
    root: PathBuf,
    memo: bool,
    entries: DashMap<PathBuf, Entry>,
    /// Heading slugs of markdown files that are not artifacts (READMEs, docs).
    slugs: DashMap<PathBuf, Arc<Vec<String>>>,
}

/// Files larger than this are not parsed for anchors.
const MAX_ANCHOR_FILE: u64 = 4 << 20;

impl FsProbe {
    pub fn new(root: &Path, memo: bool) -> FsProbe {
        FsProbe {
            root: root.to_path_buf(),
            memo,
            entries: DashMap::new(),
            slugs: DashMap::new(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn entry(&self, path: &Path) -> Entry {
        if let Some(e) = self.entries.get(path) {
            return *e;
        }
        let e = match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => Entry::Dir,
            Ok(_) => Entry::File,
            Err(_) => Entry::Missing,
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
    }

    pub fn heading_slugs(&self, path: &Path) -> Arc<Vec<String>> {
        if let Some(s) = self.slugs.get(path) {
            return s.clone();
        }
        let slugs = Arc::new(read_slugs(path).unwrap_or_default());
        if self.memo {
            self.slugs.insert(path.to_path_buf(), slugs.clone());
        }
        slugs
    }
}

fn read_slugs(path: &Path) -> Option<Vec<String>> {
    if std::fs::metadata(path).ok()?.len() > MAX_ANCHOR_FILE {
        return None;
    }
    let text = String::from_utf8(std::fs::read(path).ok()?).ok()?;
    let skip = crate::syntax::frontmatter::parse(&text).map_or(0, |f| f.range.end);
    let mut parser = block::new_parser();
    let tree = block::parse(&mut parser, &text, None).ok()?;
    let b = block::extract(&text, &tree, skip);
    Some(slug::slugs(b.headings.iter().map(|h| h.text.as_str())))
}
