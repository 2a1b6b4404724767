//! Path patterns of artifact kinds: `specs/{folder}/spec.md`.

use regex::Regex;

#[derive(Debug, Clone)]
pub struct PathPattern {
    pub source: String,
    regex: Regex,
    pub captures: Vec<String>,
}

impl PathPattern {
    /// `{name}` captures text within one segment, `*` any text within a
    /// segment, `**` any number of whole segments.
    pub fn compile(source: &str) -> Result<PathPattern, String> {
        let mut re = String::from("^");
        let mut captures = Vec::new();
        let mut rest = source;
        while let Some(c) = rest.chars().next() {
            if let Some(after) = rest.strip_prefix("**/") {
                re.push_str("(?:[^/]+/)*");
                rest = after;
            } else if let Some(after) = rest.strip_prefix("**") {
                re.push_str(".*");
                rest = after;
            } else if c == '*' {
                re.push_str("[^/]*");
                rest = rest.get(1..).unwrap_or("");
            } else if c == '{' {
                let close = rest
                    .find('}')
                    .ok_or_else(|| format!("unclosed `{{` in path pattern `{source}`"))?;
                let name = rest.get(1..close).unwrap_or("");
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return Err(format!(
                        "capture `{{{name}}}` in `{source}`: names are letters, digits and `_`"
                    ));
                }
                if captures.iter().any(|c| c == name) {
                    return Err(format!("capture `{{{name}}}` appears twice in `{source}`"));
                }
                re.push_str(&format!("(?P<{name}>[^/]+?)"));
                captures.push(name.to_string());
                rest = rest.get(close + 1..).unwrap_or("");
            } else {
                re.push_str(&regex::escape(&c.to_string()));
                rest = rest.get(c.len_utf8()..).unwrap_or("");
            }
        }
        re.push('$');
        let regex = Regex::new(&re).map_err(|e| format!("path pattern `{source}`: {e}"))?;
        Ok(PathPattern {
            source: source.to_string(),
            regex,
            captures,
        })
    }

    /// The captures when `path` (relative to the flavor folder) matches.
    pub fn matches(&self, path: &str) -> Option<Vec<(String, String)>> {
        let caps = self.regex.captures(path)?;
        Some(
            self.captures
                .iter()
                .filter_map(|n| Some((n.clone(), caps.name(n)?.as_str().to_string())))
                .collect(),
        )
    }
}

/// Replaces `{name}` by its capture; unknown names stay as written.
pub fn fill(template: &str, captures: &[(String, String)]) -> String {
    let mut out = template.to_string();
    for (k, v) in captures {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_and_globs() {
        let p = PathPattern::compile("specs/{folder}/spec.md").unwrap();
        assert_eq!(
            p.matches("specs/2025-01-01-x/spec.md"),
            Some(vec![("folder".into(), "2025-01-01-x".into())])
        );
        assert_eq!(p.matches("specs/a/b/spec.md"), None);
        let r = PathPattern::compile("research/{topic}-research.md").unwrap();
        assert_eq!(
            r.matches("research/k8s-upgrade-research.md").unwrap()[0].1,
            "k8s-upgrade"
        );
        let g = PathPattern::compile("notes/**/*.md").unwrap();
        assert!(g.matches("notes/a.md").is_some());
        assert!(g.matches("notes/x/y/a.md").is_some());
        assert!(PathPattern::compile("a/{bad name}").is_err());
        assert_eq!(
            fill("item-{folder}", &p.matches("specs/d/spec.md").unwrap()),
            "item-d"
        );
    }
}
