//! One base for every path the command line prints: relative to the current
//! folder, so that `examples/x/agentops/a.md:3:1` opens from a terminal
//! whatever root was named and wherever the command runs.

use std::path::{Component, Path};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathBase {
    /// Prefix for root-relative paths: empty, or ending in `/`.
    prefix: String,
    /// When the root is the current folder or above it: the folders from the
    /// root down to the current folder (`prefix` is then `../` per folder).
    /// A path below them is shown from the current folder without climbing.
    below: Vec<String>,
}

impl PathBase {
    /// Root-relative paths printed as they are (the root is the current folder).
    pub fn root() -> PathBase {
        PathBase::default()
    }

    /// The base for `root` (as the user named it, or as found above a path)
    /// seen from the current folder.
    pub fn of(root: &Path) -> PathBase {
        match std::env::current_dir() {
            Ok(cwd) => PathBase::from(root, &cwd),
            Err(_) => PathBase::written(root),
        }
    }

    /// The base for `root` seen from `cwd` (an absolute folder).
    pub fn from(root: &Path, cwd: &Path) -> PathBase {
        // The folders of an absolute path, `..` applied.
        let names = |p: &Path| {
            p.components().fold(Vec::<String>::new(), |mut v, c| {
                match c {
                    Component::Normal(n) => v.push(n.to_string_lossy().into_owned()),
                    Component::ParentDir => {
                        v.pop();
                    }
                    _ => {}
                }
                v
            })
        };
        let (root_parts, cwd_parts) = (names(&cwd.join(root)), names(cwd));
        let common = root_parts
            .iter()
            .zip(&cwd_parts)
            .take_while(|(a, b)| a == b)
            .count();
        // Nothing in common but `/` (another tree, or a path through a
        // symlink): the root as written is clearer than a climb to `/`.
        if common == 0 {
            return PathBase::written(root);
        }
        let ups = cwd_parts.len() - common;
        let downs = root_parts.get(common..).unwrap_or_default();
        let mut prefix = "../".repeat(ups);
        for d in downs {
            prefix.push_str(d);
            prefix.push('/');
        }
        let below = if downs.is_empty() {
            cwd_parts.get(common..).unwrap_or_default().to_vec()
        } else {
            Vec::new()
        };
        PathBase { prefix, below }
    }

    /// The root as written (`./` and `.` dropped).
    fn written(root: &Path) -> PathBase {
        let mut prefix = String::new();
        for c in root.components() {
            match c {
                Component::CurDir => {}
                Component::RootDir => prefix.push('/'),
                other => {
                    prefix.push_str(&other.as_os_str().to_string_lossy());
                    prefix.push('/');
                }
            }
        }
        PathBase {
            prefix,
            below: Vec::new(),
        }
    }

    /// A root-relative path as printed: `rel` from the current folder.
    pub fn show(&self, rel: &str) -> String {
        // Below the root: climb only as far as the path leaves the current folder.
        let parts: Vec<&str> = rel.split('/').collect();
        let shared = self
            .below
            .iter()
            .zip(&parts)
            .take_while(|(a, b)| a.as_str() == **b)
            .count()
            // The last part is the file itself: never dropped.
            .min(parts.len().saturating_sub(1));
        if shared == 0 {
            return format!("{}{rel}", self.prefix);
        }
        let rest = parts.get(shared..).unwrap_or_default().join("/");
        format!("{}{rest}", "../".repeat(self.below.len() - shared))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases() {
        let cwd = Path::new("/w/repo");
        let show = |root: &str| PathBase::from(Path::new(root), cwd).show("agentops/a.md");
        assert_eq!(show("."), "agentops/a.md");
        assert_eq!(show("./"), "agentops/a.md");
        assert_eq!(show("examples/x"), "examples/x/agentops/a.md");
        assert_eq!(show("./examples/x/"), "examples/x/agentops/a.md");
        assert_eq!(show("../y"), "../y/agentops/a.md");
        assert_eq!(show("/w/repo/sub"), "sub/agentops/a.md");
        assert_eq!(show("/w/repo"), "agentops/a.md");
        assert_eq!(show("/nonexistent/y"), "/nonexistent/y/agentops/a.md");
        assert_eq!(show(".."), "../agentops/a.md");
    }

    #[test]
    fn from_below_the_root() {
        let cwd = Path::new("/w/repo/agentops/infra");
        let base = PathBase::from(Path::new("/w/repo"), cwd);
        assert_eq!(base.show("agentops/infra/plans/p.md"), "plans/p.md");
        assert_eq!(base.show("agentops/product/s.md"), "../product/s.md");
        assert_eq!(base.show("src/ünï.rs"), "../../src/ünï.rs");
        assert_eq!(base.show("agentops/infra"), "../infra");
        let base = PathBase::from(Path::new("../.."), cwd);
        assert_eq!(base.show("agentops/infra/plans/p.md"), "plans/p.md");
    }
}
