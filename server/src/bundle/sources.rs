//! What a bundle's frontmatter records of its making: `sources` (path and
//! SHA-256 of each artifact the digest was made from) and `snapshot` (the
//! compressed copy of them beside it).

use crate::artifact::Artifact;
use crate::syntax::frontmatter::{FmField, FmValue};
use crate::text::TextRange;

#[derive(Debug, Clone)]
pub struct Source {
    /// Root-relative.
    pub path: String,
    pub sha256: Option<[u8; 32]>,
    pub tokens: Option<u64>,
    /// The list item.
    pub range: TextRange,
    pub path_range: TextRange,
}

#[derive(Debug, Clone, Default)]
pub struct Recorded {
    pub sources: Vec<Source>,
    /// The snapshot's file name, beside the digest.
    pub snapshot: Option<(String, TextRange)>,
    /// Malformed entries: each a `bundle-invalid`.
    pub problems: Vec<(TextRange, String)>,
}

impl Recorded {
    /// Whether `path` is one of the recorded sources.
    pub fn records(&self, path: &str) -> bool {
        self.sources.iter().any(|s| s.path == path)
    }
}

/// What the bundle records, or None for a bundle that records neither
/// sources nor a snapshot (written by hand or by an agent prompt: nothing to verify).
pub fn recorded(art: &Artifact) -> Option<Recorded> {
    let fm = art.frontmatter.as_ref()?;
    let sources = fm.get("sources");
    let snapshot = fm.get("snapshot");
    if sources.is_none() && snapshot.is_none() {
        return None;
    }
    let mut out = Recorded::default();
    if let Some(f) = snapshot {
        match f.value.as_text() {
            Some(s) if is_plain_file_name(&s) => out.snapshot = Some((s, f.value_range)),
            _ => out.problems.push((
                f.value_range,
                "`snapshot` must be a file name beside the bundle (no folders)".into(),
            )),
        }
    }
    match sources.map(|f| (&f.value, f.value_range)) {
        None => out.problems.push((
            fm.open_range,
            "the bundle has a `snapshot` but no `sources` to verify it against".into(),
        )),
        Some((FmValue::List(items), _)) => {
            for item in items {
                match source(&item.value, item.range) {
                    Ok(s) => out.sources.push(s),
                    Err(p) => out.problems.push(p),
                }
            }
        }
        Some((_, range)) => out.problems.push((
            range,
            "`sources` must be a list of `{path, sha256}` entries".into(),
        )),
    }
    Some(out)
}

fn source(value: &FmValue, range: TextRange) -> Result<Source, (TextRange, String)> {
    let fields: &[FmField] = match value {
        FmValue::Map(f) => f,
        FmValue::Str(_) => {
            return Err((
                range,
                "a source needs `path` and `sha256`, not only a path".into(),
            ));
        }
        _ => {
            return Err((
                range,
                "a source must be a mapping with `path` and `sha256`".into(),
            ));
        }
    };
    let get = |k: &str| fields.iter().find(|f| f.key == k);
    let path_field = get("path").ok_or((range, "a source has no `path`".to_string()))?;
    let path = path_field
        .value
        .as_text()
        .ok_or((path_field.value_range, "`path` must be text".to_string()))?;
    if !is_safe_relative(&path) {
        return Err((
            path_field.value_range,
            format!("`{path}` is not a path inside the workspace (relative, no `..`)"),
        ));
    }
    let sha_field = get("sha256").ok_or((range, format!("source `{path}` has no `sha256`")))?;
    let sha256 = sha_field
        .value
        .as_text()
        .and_then(|s| parse_hex(&s))
        .ok_or((
            sha_field.value_range,
            "`sha256` must be 64 hexadecimal digits".to_string(),
        ))?;
    let tokens = get("tokens").and_then(|f| match f.value {
        FmValue::Int(i) => u64::try_from(i).ok(),
        _ => None,
    });
    Ok(Source {
        path,
        sha256: Some(sha256),
        tokens,
        range,
        path_range: path_field.value_range,
    })
}

pub fn parse_hex(s: &str) -> Option<[u8; 32]> {
    let s = s.trim();
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(s.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

/// A root-relative path that stays inside the root.
pub fn is_safe_relative(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && !p.contains('\\')
        && !p.contains('\0')
        && !p.get(1..3).is_some_and(|s| s.starts_with(":"))
        && p.split('/')
            .all(|seg| !seg.is_empty() && seg != ".." && seg != ".")
}

fn is_plain_file_name(s: &str) -> bool {
    !s.is_empty() && !s.contains(['/', '\\', '\0']) && s != "." && s != ".." && !s.starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_paths() {
        assert!(is_safe_relative("agentops/x/plan.md"));
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "./a",
            "a\\b",
            "C:/x",
            "a\0",
        ] {
            assert!(!is_safe_relative(bad), "{bad:?}");
        }
        assert!(parse_hex(&"ab".repeat(32)).is_some());
        assert!(parse_hex(&"zz".repeat(32)).is_none());
        assert!(parse_hex("ab").is_none());
    }
}
