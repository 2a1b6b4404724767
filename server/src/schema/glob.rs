//! Root-relative paths whose segments may be globs: a flavor's `detect`
//! evidence (`specs/[0-9][0-9][0-9]-*/spec.md`). Matching is by segment, so
//! a detector reads one directory per segment, never walks a tree.

use globset::{GlobBuilder, GlobMatcher};

#[derive(Debug, Clone)]
pub enum Segment {
    Literal(String),
    Pattern(GlobMatcher),
}

#[derive(Debug, Clone)]
pub struct RootGlob {
    pub segments: Vec<Segment>,
}

impl RootGlob {
    pub fn new(text: &str) -> Result<RootGlob, String> {
        let trimmed = text.trim().trim_start_matches("./").trim_end_matches('/');
        if trimmed.is_empty() || trimmed.starts_with('/') {
            return Err("must be a non-empty path relative to the workspace root".into());
        }
        let mut segments = Vec::new();
        for seg in trimmed.split('/') {
            if seg.is_empty() || seg == ".." || seg == "**" {
                return Err(format!("`{seg}` is not allowed as a path segment"));
            }
            if seg.contains(['*', '?', '[', '{']) {
                let glob = GlobBuilder::new(seg)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| e.kind().to_string())?;
                segments.push(Segment::Pattern(glob.compile_matcher()));
            } else {
                segments.push(Segment::Literal(seg.to_string()));
            }
        }
        Ok(RootGlob { segments })
    }
}

impl Segment {
    pub fn matches(&self, name: &str) -> bool {
        match self {
            Segment::Literal(l) => l == name,
            Segment::Pattern(m) => m.is_match(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments() {
        let g = RootGlob::new("specs/[0-9][0-9][0-9]-*/spec.md").unwrap();
        assert_eq!(g.segments.len(), 3);
        assert!(g.segments[1].matches("001-login"));
        assert!(!g.segments[1].matches("login"));
        assert!(g.segments[2].matches("spec.md"));
        assert!(RootGlob::new("../x").is_err());
        assert!(RootGlob::new("/abs").is_err());
        assert!(RootGlob::new("a/**/b").is_err());
        assert!(RootGlob::new("a/[b").is_err());
    }
}
