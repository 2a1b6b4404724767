//! GitHub-style heading anchors, as github-slugger computes them.

use std::collections::HashMap;

/// The slug of one heading's text, before de-duplication.
pub fn slug(heading: &str) -> String {
    let rendered = strip_markup(heading);
    let mut out = String::with_capacity(rendered.len());
    for ch in rendered.chars() {
        if ch == ' ' {
            out.push('-');
        } else if ch == '-' || ch == '_' || ch.is_alphanumeric() {
            out.extend(ch.to_lowercase());
        }
    }
    out
}

/// Slugs for a document's headings in order, with `-1`, `-2` for repeats.
pub fn slugs<'a>(headings: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    headings
        .into_iter()
        .map(|h| {
            let base = slug(h);
            let n = seen.entry(base.clone()).or_insert(0);
            let s = if *n == 0 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            *n += 1;
            s
        })
        .collect()
}

/// What the heading renders as: emphasis, code and link syntax removed.
fn strip_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '`' | '~' => {}
            '<' => {
                // An HTML tag renders as nothing.
                let rest: String = chars.clone().take_while(|&c| c != '>').collect();
                if rest
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '/')
                    && chars.clone().any(|c| c == '>')
                {
                    for c in chars.by_ref() {
                        if c == '>' {
                            break;
                        }
                    }
                } else {
                    out.push(c);
                }
            }
            ']' if chars.peek() == Some(&'(') => {
                // `[text](url)`: keep the text, drop the destination.
                let mut depth = 0;
                for c in chars.by_ref() {
                    match c {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            '[' | ']' => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_examples() {
        assert_eq!(slug("Rollback Plan"), "rollback-plan");
        assert_eq!(slug("Phase 1: Setup & Config"), "phase-1-setup--config");
        assert_eq!(slug("What's `new`?"), "whats-new");
        assert_eq!(slug("🚀 Launch"), "-launch");
        assert_eq!(slug("Über Café 漢字"), "über-café-漢字");
        assert_eq!(slug("See [docs](http://x.y) **now**"), "see-docs-now");
        assert_eq!(slug("snake_case-name"), "snake_case-name");
    }

    #[test]
    fn repeats_are_numbered() {
        assert_eq!(slugs(["A", "A", "a"]), vec!["a", "a-1", "a-2"]);
    }
}
