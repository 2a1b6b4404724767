//! Slash commands written in an artifact: lines starting with `/name` in
//! shell-ish fenced blocks, and inline code spans that start with one.

use crate::syntax::block::CodeBlock;
use crate::syntax::inline::CodeSpan;
use crate::text::{TextRange, to_u32};

use super::model::CommandUse;

const SHELLISH: &[&str] = &[
    "",
    "bash",
    "sh",
    "shell",
    "zsh",
    "console",
    "text",
    "txt",
    "plaintext",
    "claude",
];

/// Whether commands are looked for in a fenced block with this info string.
pub fn shellish(lang: &str) -> bool {
    SHELLISH.contains(&lang)
}

pub fn find(text: &str, blocks: &[CodeBlock], spans: &[CodeSpan]) -> Vec<CommandUse> {
    let mut out = Vec::new();
    for b in blocks.iter().filter(|b| shellish(&b.lang)) {
        let content = b.content.slice(text);
        if lists_paths(content) {
            continue;
        }
        let mut pos = b.content.start as usize;
        for line in content.split_inclusive('\n') {
            let start = pos;
            pos += line.len();
            let body = line.trim_end_matches(['\n', '\r']);
            let lead = body.len() - body.trim_start().len();
            if let Some(c) = parse_line(body.trim_start(), start + lead, true) {
                out.push(c);
            }
        }
    }
    for s in spans {
        if let Some(c) = parse_line(&s.text, s.range.start as usize, false) {
            out.push(c);
        }
    }
    out.sort_by_key(|c| c.range.start);
    out
}

const HTTP_METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// Whether a block lists URL routes or file paths rather than commands: a
/// line that starts with a path of two segments or more (`/api/v1/users`,
/// `/src/`) or is `/` alone, a request line (`GET /login`), or a drawn tree
/// (`├──`). Its one-segment lines (`/login`, `/dashboard`) are routes too.
fn lists_paths(content: &str) -> bool {
    content.lines().any(|line| {
        let line = line.trim();
        let first = line.split_whitespace().next().unwrap_or("");
        let second = line.split_whitespace().nth(1).unwrap_or("");
        (first.starts_with('/')
            && (first == "/" || first.get(1..).is_some_and(|r| r.contains('/'))))
            || (HTTP_METHODS.contains(&first) && second.starts_with('/'))
            || line.contains(['├', '└', '│'])
    })
}

/// `/name arg "quoted arg" --flag`, with a trailing `# comment` dropped.
pub fn parse_line(line: &str, at: usize, in_code_block: bool) -> Option<CommandUse> {
    let rest = line.strip_prefix('/')?;
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')))
        .unwrap_or(rest.len());
    let name = rest.get(..name_len)?;
    let after = rest.get(name_len..).unwrap_or("");
    if name.is_empty()
        || !name.starts_with(|c: char| c.is_ascii_alphabetic())
        || name.ends_with(['.', ':'])
        || !(after.is_empty() || after.starts_with(char::is_whitespace))
    {
        return None;
    }
    let mut args = Vec::new();
    let mut i = 1 + name_len;
    let bytes = line.as_bytes();
    let mut end = line.len();
    while i < line.len() {
        let Some(&b) = bytes.get(i) else { break };
        // The same whitespace that ends a word (`char::is_whitespace`, which
        // has \x0B and U+3000 too): skipping less once looped forever on
        // empty words (found by fuzzing).
        if let Some(c) = line.get(i..).and_then(|r| r.chars().next())
            && c.is_whitespace()
        {
            i += c.len_utf8();
            continue;
        }
        if b == b'#' {
            end = line.get(..i).unwrap_or(line).trim_end().len();
            break;
        }
        let (word_start, word_end, next) = if b == b'"' || b == b'\'' {
            let close = line
                .get(i + 1..)
                .and_then(|r| r.find(b as char))
                .map(|c| i + 1 + c);
            match close {
                Some(c) => (i + 1, c, c + 1),
                None => (i + 1, line.len(), line.len()),
            }
        } else {
            let e = line
                .get(i..)
                .and_then(|r| r.find(char::is_whitespace))
                .map_or(line.len(), |e| i + e);
            (i, e, e)
        };
        let word = line.get(word_start..word_end).unwrap_or("");
        args.push((
            word.to_string(),
            TextRange::from_usize(at + word_start, at + word_end),
        ));
        i = next;
    }
    let end = end.min(line.trim_end().len());
    Some(CommandUse {
        name: format!("/{name}"),
        name_range: TextRange::from_usize(at, at + 1 + name_len),
        args,
        range: TextRange::new(to_u32(at), to_u32(at + end)),
        in_code_block,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines() {
        let c = parse_line("/implement plan.md --dry-run   # first", 10, true).unwrap();
        assert_eq!(c.name, "/implement");
        let words: Vec<_> = c.args.iter().map(|a| a.0.as_str()).collect();
        assert_eq!(words, vec!["plan.md", "--dry-run"]);
        assert_eq!(c.args[0].1, TextRange::new(21, 28));
        let q = parse_line("/research \"K8s upgrade\"", 0, false).unwrap();
        assert_eq!(q.args[0].0, "K8s upgrade");
        assert!(parse_line("/src/auth/", 0, false).is_none());
        assert!(parse_line("/ not", 0, false).is_none());
        let k = parse_line("/speckit.plan add caching", 0, true).unwrap();
        assert_eq!(k.name, "/speckit.plan");
    }

    #[test]
    fn route_and_path_listings_hold_no_commands() {
        for block in [
            "/login          Login page\n/api/v1/users   Users\n",
            "/\n/login\n/dashboard\n",
            "GET /login\n/logout\n",
            "project/\n├── /src\n└── /tests\n",
            "/usr/local/bin/tool --version\n/opt\n",
        ] {
            assert!(lists_paths(block), "{block}");
        }
        for block in [
            "/implement plan.md --dry-run\n/bundle-save cache-plan\n",
            "/research \"K8s upgrade\"\n# then\n/plan k8s-research.md\n",
        ] {
            assert!(!lists_paths(block), "{block}");
        }
    }

    /// A vertical tab or an ideographic space between words: once an endless
    /// loop of empty words (2 GB in a second, found by `fuzz/` binder).
    #[test]
    fn unicode_whitespace_separates_words() {
        let c = parse_line("/implement --execute\x0b\x0bx.md\u{3000}--dry-run", 0, true).unwrap();
        let words: Vec<_> = c.args.iter().map(|a| a.0.as_str()).collect();
        assert_eq!(words, vec!["--execute", "x.md", "--dry-run"]);
        assert_eq!(c.args[1].1, TextRange::new(22, 26));
    }
}
