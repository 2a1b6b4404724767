//! Bundle names: `<topic>-<type>[-vN]`, lowercase words and digits joined by
//! hyphens. A name becomes a file name, so nothing that could leave the bundle
//! folder (separators, `..`, a leading dot) is ever accepted.

/// The bundle types when no flavor declares them (DOMAIN.md's list).
pub const DEFAULT_TYPES: &[&str] = &[
    "research",
    "plan",
    "implementation",
    "implementation-progress",
    "implementation-complete",
];

/// A checked name and the parts it is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub topic: String,
    pub ty: String,
    pub version: Option<u32>,
}

pub const MAX_LEN: usize = 120;

/// Checks `name` against `types` (longest type first, so `x-implementation-progress`
/// is of type `implementation-progress`).
pub fn parse(name: &str, types: &[&str]) -> Result<Name, String> {
    if name.is_empty() {
        return Err("a bundle name cannot be empty".into());
    }
    if name.len() > MAX_LEN {
        return Err(format!("a bundle name has at most {MAX_LEN} characters"));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        let why = match bad {
            '/' | '\\' => "path separators are not allowed",
            '.' => "dots are not allowed (no extensions, no `..`)",
            c if c.is_ascii_uppercase() => "use lowercase",
            c if c.is_whitespace() => "use hyphens, not spaces",
            _ => "only lowercase letters, digits and hyphens are allowed",
        };
        return Err(format!("`{name}` is not a bundle name: {why}"));
    }
    if name.starts_with('-') || name.ends_with('-') || name.contains("--") {
        return Err(format!(
            "`{name}` is not a bundle name: hyphens only between words"
        ));
    }
    let (base, version) = match name.rsplit_once("-v") {
        Some((b, v)) if !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()) => {
            (b, v.parse::<u32>().ok())
        }
        _ => (name, None),
    };
    let mut sorted: Vec<&str> = types.to_vec();
    sorted.sort_by_key(|t| std::cmp::Reverse(t.len()));
    for ty in sorted {
        if let Some(topic) = base.strip_suffix(ty).and_then(|t| t.strip_suffix('-'))
            && !topic.is_empty()
        {
            return Ok(Name {
                topic: topic.to_string(),
                ty: ty.to_string(),
                version,
            });
        }
    }
    Err(format!(
        "`{name}` is not a bundle name: expected `<topic>-<type>[-vN]` with a type of {}",
        types
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let n = parse("redis-caching-plan-v2", DEFAULT_TYPES).unwrap();
        assert_eq!(
            (n.topic.as_str(), n.ty.as_str(), n.version),
            ("redis-caching", "plan", Some(2))
        );
        let n = parse("k8s-upgrade-implementation-progress", DEFAULT_TYPES).unwrap();
        assert_eq!(n.ty, "implementation-progress");
        for bad in [
            "",
            "../etc/passwd-plan",
            "a/b-plan",
            "a\\b-plan",
            ".hidden-plan",
            "x.md-plan",
            "Redis-plan",
            "redis plan",
            "plan",
            "-plan",
            "redis--plan",
            "redis-plan-",
            "redis-notes",
            "redis-plan\0",
            "redis-plän",
        ] {
            assert!(parse(bad, DEFAULT_TYPES).is_err(), "{bad:?} accepted");
        }
        assert!(parse(&"a-".repeat(100), DEFAULT_TYPES).is_err());
    }
}
