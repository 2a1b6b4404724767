//! Declared code paths against the files they name: what a declaration
//! covers (a file, a folder or a glob), whether it exists, and which
//! artifacts claim a given path — the backward map behind `trace`,
//! `agentops/specsForPath` and references.

use globset::{GlobBuilder, GlobMatcher};
use serde::Serialize;

use crate::artifact::{Artifact, CodePath};
use crate::schema::CodePathAction;

use super::Workspace;
use super::fs::Entry;

/// How an artifact relates to a path it declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// The artifact brings the code into being (`produces`, files to create, tasks).
    Produces,
    /// The artifact edits, deletes or builds on existing code.
    Touches,
}

impl Relation {
    pub fn of(action: CodePathAction) -> Relation {
        match action {
            CodePathAction::Produce | CodePathAction::Create => Relation::Produces,
            CodePathAction::Edit | CodePathAction::Delete | CodePathAction::Reference => {
                Relation::Touches
            }
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Produces => "produces",
            Relation::Touches => "touches",
        }
    }
}

const GLOB_CHARS: [char; 4] = ['*', '?', '[', '{'];

pub fn is_glob(p: &str) -> bool {
    p.contains(GLOB_CHARS)
}

/// The literal folder a glob starts from: `src/auth` of `src/auth/**/*.ts`.
pub fn glob_base(glob: &str) -> &str {
    let end = glob.find(GLOB_CHARS).unwrap_or(glob.len());
    let literal = glob.get(..end).unwrap_or("");
    literal
        .rfind('/')
        .map_or("", |i| literal.get(..i).unwrap_or(""))
}

/// A glob matcher where `*` stays within one path segment and `**` crosses them.
pub fn matcher(glob: &str) -> Option<GlobMatcher> {
    GlobBuilder::new(glob)
        .literal_separator(true)
        .build()
        .ok()
        .map(|g| g.compile_matcher())
}

/// A declared path as a root-relative path without `./` or a trailing `/`,
/// or None when it is not one: absolute (`/etc/nginx.conf`, a server's
/// file, not the repository's), home-relative, or climbing out of the root.
pub fn normalize(declared: &str) -> Option<String> {
    if declared.starts_with(['/', '~']) || declared.contains('\\') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for seg in declared.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// `child` is `parent` or below it; everything is below the root (`""`).
pub fn inside(child: &str, parent: &str) -> bool {
    parent.is_empty()
        || child == parent
        || child
            .strip_prefix(parent)
            .is_some_and(|r| r.starts_with('/'))
}

/// Whether the declaration `d` (normalized; `d_dir` when it names a folder)
/// covers the path `q` (`q_dir` when that is a folder).
pub fn covers(d: &str, d_dir: bool, q: &str, q_dir: bool) -> bool {
    if is_glob(d) {
        if matcher(d).is_some_and(|m| m.is_match(q)) {
            return true;
        }
        let base = glob_base(d);
        // A folder holds what a glob below it matches, and `**` reaches into it.
        return q_dir && (inside(base, q) || (inside(q, base) && d.contains("**")));
    }
    if d_dir || q_dir {
        (d_dir && inside(q, d)) || (q_dir && inside(d, q))
    } else {
        d == q
    }
}

/// What a declared path names on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    File,
    Folder,
    /// A glob and how many files it matches (0: none).
    Glob(usize),
    Missing,
    /// Symlinks resolved, the path leaves the root: not followed.
    Outside,
}

impl Found {
    pub fn exists(self) -> bool {
        !matches!(self, Found::Missing | Found::Glob(0) | Found::Outside)
    }
}

/// What `cp` names on disk; None when it is not a path in the root.
pub fn find(ws: &Workspace, cp: &CodePath) -> Option<Found> {
    let rel = normalize(&cp.path)?;
    if is_glob(&rel) {
        return Some(Found::Glob(ws.fs.glob_files(&rel).len()));
    }
    Some(match ws.fs.probe(&ws.root.join(&rel)) {
        Entry::File => Found::File,
        Entry::Dir => Found::Folder,
        Entry::Missing => Found::Missing,
        Entry::Outside => Found::Outside,
    })
}

/// Whether a declaration names a folder: written with a trailing `/`, or one on disk.
pub fn names_folder(ws: &Workspace, cp: &CodePath) -> bool {
    cp.path.ends_with('/')
        || normalize(&cp.path).is_some_and(|r| ws.fs.entry(&ws.root.join(r)) == Entry::Dir)
}

/// One artifact's mention of a path.
#[derive(Debug, Clone, Copy)]
pub struct Claim<'a> {
    pub artifact: &'a Artifact,
    pub path: &'a CodePath,
}

impl Claim<'_> {
    pub fn relation(&self) -> Relation {
        Relation::of(self.path.action)
    }
}

/// Every artifact mention covering `query` (root-relative, `""` for the
/// root), in path order, then position.
pub fn claims<'a>(ws: &'a Workspace, query: &str, query_dir: bool) -> Vec<Claim<'a>> {
    let q = normalize(query).unwrap_or_default();
    let mut out = Vec::new();
    for a in ws.artifacts.values() {
        for cp in &a.code_paths {
            let Some(d) = normalize(&cp.path) else {
                continue;
            };
            if covers(&d, names_folder(ws, cp), &q, query_dir) {
                out.push(Claim {
                    artifact: a,
                    path: cp,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(glob_base("src/auth/**/*.ts"), "src/auth");
        assert_eq!(glob_base("*.md"), "");
        assert_eq!(normalize("./src/auth/"), Some("src/auth".into()));
        assert_eq!(normalize("src/../lib/x.ts"), Some("lib/x.ts".into()));
        assert_eq!(normalize("../outside.ts"), None);
        assert_eq!(normalize("/etc/nginx/nginx.conf"), None);
        assert!(inside("src/auth/x.ts", "src/auth"));
        assert!(!inside("src/authz/x.ts", "src/auth"));
        assert!(inside("anything", ""));
    }

    #[test]
    fn coverage() {
        // files
        assert!(covers("src/a.ts", false, "src/a.ts", false));
        assert!(!covers("src/a.ts", false, "src/b.ts", false));
        assert!(covers("src/a.ts", false, "src", true));
        // folders
        assert!(covers("src/auth", true, "src/auth/login.ts", false));
        assert!(covers("src/auth", true, "src", true));
        assert!(covers("src/auth", true, "src/auth/deep", true));
        assert!(!covers("src/auth", true, "src/authz/x.ts", false));
        // globs
        assert!(covers("src/auth/**", false, "src/auth/x/y.ts", false));
        assert!(!covers("src/*.ts", false, "src/auth/x.ts", false));
        assert!(covers("src/*.ts", false, "src/x.ts", false));
        assert!(covers("src/auth/**", false, "src", true));
        assert!(covers("src/**/*.ts", false, "src/auth", true));
        assert!(!covers("src/*.ts", false, "src/auth", true));
    }
}
