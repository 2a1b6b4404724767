//! Where a link or a path written in an artifact leads: resolving relative
//! destinations against the root, percent-decoding, telling external links
//! apart, and writing a relative link from one file to another. Used by the
//! rules, the features and the bundle and command engines alike.

use std::path::{Component, Path, PathBuf};

use super::Workspace;

pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    // A scheme: letters, then ':' before any '/' (`https:`, `mailto:`, `vscode:`).
    match dest.find(':') {
        Some(i) => {
            let scheme = dest.get(..i).unwrap_or("");
            scheme.len() > 1
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// The file a link points to; `/x` is relative to the root, as on GitHub.
pub fn resolve(root: &Path, from: &str, dest: &str) -> Option<PathBuf> {
    let base: PathBuf = if let Some(abs) = dest.strip_prefix('/') {
        return Some(normalize(&root.join(abs)));
    } else {
        let dir = Path::new(from).parent().unwrap_or(Path::new(""));
        root.join(dir)
    };
    Some(normalize(&base.join(dest)))
}

/// `a/./b/../c` → `a/c`, without touching the file system.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// The root-relative file a link in `from` points to, if it is a local link.
pub fn target(ws: &Workspace, from: &str, dest: &str) -> Option<String> {
    let dest = dest.trim();
    if dest.is_empty() || is_external(dest) {
        return None;
    }
    let path = dest.split('#').next()?.split('?').next()?;
    if path.is_empty() {
        return Some(from.to_string());
    }
    let full = resolve(&ws.root, from, &percent_decode(path))?;
    ws.relative(&full)
}

/// `target` relative to the folder of `from`.
pub fn relative_link(from: &str, target: &str) -> String {
    let from_dir: Vec<&str> = from
        .split('/')
        .collect::<Vec<_>>()
        .split_last()
        .map(|(_, d)| d.to_vec())
        .unwrap_or_default();
    let to: Vec<&str> = target.split('/').collect();
    let common = from_dir.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(to.iter().skip(common));
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn externals_and_decoding() {
        assert!(is_external("https://x.y"));
        assert!(is_external("mailto:a@b.c"));
        assert!(!is_external("../a.md"));
        assert!(!is_external("C:x"));
        assert_eq!(percent_decode("my%20file.md"), "my file.md");
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn resolution() {
        let r = resolve(Path::new("/w"), "agentops/x/plans/p.md", "../research/r.md").unwrap();
        assert_eq!(r, PathBuf::from("/w/agentops/x/research/r.md"));
        let r = resolve(Path::new("/w"), "a/b.md", "/src/x.ts").unwrap();
        assert_eq!(r, PathBuf::from("/w/src/x.ts"));
    }

    #[test]
    fn relative_links() {
        assert_eq!(
            relative_link("a/plans/p.md", "a/research/r.md"),
            "../research/r.md"
        );
        assert_eq!(relative_link("a/p.md", "a/r.md"), "r.md");
    }
}
