//! One base for every path the command line prints: relative to the current
//! folder, so that `examples/x/agentops/a.md:3:1` opens from a terminal
//! whatever root was named.

use std::path::{Component, Path};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathBase {
    /// Prefix for root-relative paths: empty, or ending in `/`.
    prefix: String,
}

impl PathBase {
    /// Root-relative paths printed as they are (the root is the current folder).
    pub fn root() -> PathBase {
        PathBase::default()
    }

    /// The base for `root` as the user named it: a relative root is kept as
    /// written (`./` and `.` dropped), an absolute one is made relative to the
    /// current folder when it lies under it.
    pub fn of(root: &Path) -> PathBase {
        let rel = if root.is_absolute() {
            std::env::current_dir()
                .ok()
                .and_then(|cwd| root.strip_prefix(cwd).ok().map(Path::to_path_buf))
                .unwrap_or_else(|| root.to_path_buf())
        } else {
            root.to_path_buf()
        };
        let parts: Vec<String> = rel
            .components()
            .filter(|c| !matches!(c, Component::CurDir))
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let mut prefix = parts.join("/");
        if root.is_absolute() && rel.is_absolute() {
            // Outside the current folder: absolute (the first part is `/`).
            prefix = format!("/{}", parts.get(1..).unwrap_or(&[]).join("/"));
        }
        if !prefix.is_empty() && !prefix.ends_with('/') {
            prefix.push('/');
        }
        PathBase { prefix }
    }

    /// A root-relative path as printed.
    pub fn show(&self, rel: &str) -> String {
        format!("{}{rel}", self.prefix)
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases() {
        let show = |root: &str| PathBase::of(Path::new(root)).show("agentops/a.md");
        assert_eq!(show("."), "agentops/a.md");
        assert_eq!(show("./"), "agentops/a.md");
        assert_eq!(show("examples/x"), "examples/x/agentops/a.md");
        assert_eq!(show("./examples/x/"), "examples/x/agentops/a.md");
        assert_eq!(show("../y"), "../y/agentops/a.md");
        assert_eq!(show("/nonexistent/y"), "/nonexistent/y/agentops/a.md");
        let cwd = std::env::current_dir().unwrap_or_default();
        assert_eq!(
            PathBase::of(&cwd.join("sub")).show("a.md"),
            "sub/a.md",
            "an absolute root under the current folder"
        );
        assert_eq!(PathBase::of(&cwd).show("a.md"), "a.md");
    }
}
