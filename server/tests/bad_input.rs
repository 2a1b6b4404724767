//! Nasty input through the whole pipeline (`Workspace::new`, `scan`,
//! `check_workspace`): each file gets a clear diagnostic or none, never a
//! panic or a stack overflow. Positions are checked in the human output:
//! 1-based lines, columns in Unicode characters.

use agentops_lsp::cli::output;
use agentops_lsp::rules;
use agentops_lsp::workspace::{self, CacheMode, Workspace};

const DIR: &str = "agentops/infrastructure-ops/research";

/// Every required research section: a file with these and a title is clean.
const SECTIONS: &str = "## Problem Statement\n## Scope\n## Key Findings\n\
    ## Recommended Approach\n## Open Questions\n## References\n## Next Steps\n";

/// The human output of one checked workspace, by file.
struct Out(String);

impl Out {
    /// `line:col: severity[code]: message` of every diagnostic on `name`.
    fn of(&self, name: &str) -> Vec<&str> {
        let prefix = format!("{DIR}/{name}-research.md:");
        self.0
            .lines()
            .filter_map(|l| l.strip_prefix(&prefix))
            .collect()
    }
}

/// Writes `research/<name>-research.md` for each `(name, bytes)` and checks the workspace.
fn check(files: &[(&str, Vec<u8>)]) -> Out {
    let dir = tempfile::tempdir().unwrap();
    let research = dir.path().join(DIR);
    std::fs::create_dir_all(&research).unwrap();
    for (name, bytes) in files {
        std::fs::write(research.join(format!("{name}-research.md")), bytes).unwrap();
    }
    let mut ws = Workspace::new(dir.path());
    workspace::scan(&mut ws, &CacheMode::Off);
    Out(output::human(
        &ws,
        &rules::check_workspace(&ws),
        &agentops_lsp::text::PathBase::root(),
    ))
}

/// A clean research artifact with `body` on line 3.
fn research(title: &str, body: &str) -> Vec<u8> {
    format!("# Research: {title}\n\n{body}\n{SECTIONS}").into_bytes()
}

/// `head`, then every required section.
fn with_sections(head: &str) -> Vec<u8> {
    format!("{head}\n{SECTIONS}").into_bytes()
}

/// Nine `lol`s, each level nine aliases of the one before: 9^9 nodes expanded.
fn billion_laughs() -> String {
    let mut y = String::from("---\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (prev, c) in ('a'..='h').zip('b'..='i') {
        let aliases = vec![format!("*{prev}"); 9].join(", ");
        y.push_str(&format!("{c}: &{c} [{aliases}]\n"));
    }
    y + "---\n"
}

#[test]
fn unreadable_empty_and_broken_frontmatter() {
    let mut latin1 = b"# Research: Caf\xE9\n\n".to_vec(); // `é` in latin-1
    latin1.extend_from_slice(SECTIONS.as_bytes());
    let mut binary = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    binary.extend_from_slice(&[0u8; 64]);
    let out = check(&[
        ("latin1", latin1),
        ("binary", binary),
        ("empty", Vec::new()),
        (
            "open",
            with_sections("---\nstatus: draft\n\n# Research: Open fence\n"),
        ),
        (
            "laughs",
            with_sections(&format!("{}# Research: Laughs\n", billion_laughs())),
        ),
    ]);
    assert_eq!(
        out.of("latin1"),
        [
            "1:1: error[artifact-unreadable]: file is not valid UTF-8 (first bad byte at offset 15); not checked"
        ]
    );
    assert_eq!(
        out.of("binary"),
        ["1:1: error[artifact-unreadable]: file looks binary (it contains NUL bytes); not checked"]
    );
    let empty = out.of("empty");
    assert_eq!(empty.len(), 8, "{empty:?}");
    assert!(
        empty[..7]
            .iter()
            .all(|l| l.starts_with("1:1: warning[section-missing]"))
    );
    assert_eq!(
        empty[7],
        "1:1: warning[title-missing]: Research must start with a level-1 title: `# Research: {name}`"
    );
    // The markdown after an unclosed fence is still read: its title counts.
    assert_eq!(
        out.of("open"),
        [
            "1:1: error[frontmatter-invalid]: frontmatter is not closed: add a `---` line after the last key"
        ]
    );
    // Refused at the first alias of `e` (9^5 nodes), past the 10,000-node budget.
    assert_eq!(
        out.of("laughs"),
        [
            "6:8: error[frontmatter-invalid]: YAML syntax error: alias expansion exceeded the maximum node budget (possible billion-laughs attack)"
        ]
    );
}

#[test]
fn deep_nesting_does_not_overflow() {
    const DEPTH: usize = 1000;
    let quotes = research(
        "Quotes",
        &format!("{} deep [x](missing.md)", ">".repeat(DEPTH)),
    );
    let mut list = String::new();
    for i in 0..=DEPTH {
        let item = if i == DEPTH {
            "[link](missing.md)".to_string()
        } else {
            format!("level {i}")
        };
        list.push_str(&format!("{}- {item}\n", "  ".repeat(i)));
    }
    let flow = format!(
        "---\ntags: {}{}\n---\n# Research: Flow\n",
        "[".repeat(DEPTH),
        "]".repeat(DEPTH)
    );
    let out = check(&[
        ("quotes", quotes),
        ("lists", research("Lists", &list)),
        ("flow", with_sections(&flow)),
    ]);
    assert_eq!(
        out.of("quotes"),
        ["3:1007: error[link-broken]: `missing.md` does not exist"]
    );
    // Item 1001 on line 1003, its link after 2,000 spaces and `- `.
    assert_eq!(
        out.of("lists"),
        ["1003:2003: error[link-broken]: `missing.md` does not exist"]
    );
    // saphyr counts flow levels in a u8: the 256th `[` (column 6 + 256) is refused.
    assert_eq!(
        out.of("flow"),
        ["2:262: error[frontmatter-invalid]: YAML syntax error: recursion limit exceeded"]
    );
}

/// saphyr-parser loads block collections recursively with no depth limit;
/// the engine refuses frontmatter nested past 100 levels before saphyr sees it.
#[test]
fn deep_yaml_block_mapping_does_not_overflow() {
    let keys: String = (1..1000)
        .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
        .collect();
    let block = format!("---\nmeta:\n{keys}---\n# Research: Block\n");
    let out = check(&[
        ("block", with_sections(&block)),
        ("other", research("Other", "")),
    ]);
    let block = out.of("block");
    assert_eq!(block.len(), 1, "{block:?}");
    assert!(
        block[0].contains("error[frontmatter-invalid]: frontmatter nests"),
        "{block:?}"
    );
}

/// A 10,000-character title and heading: columns past them are exact, and an
/// anchor to the long heading resolves.
#[test]
fn very_long_heading_and_title() {
    let long = "a".repeat(10_000);
    let out = check(&[
        (
            "title",
            research(&format!("{} [x](missing.md)", "t".repeat(10_000)), ""),
        ),
        (
            "heading",
            research(
                "Long",
                &format!("## {long}\n\n[ok](#{long}) [bad](#zz-top)\n"),
            ),
        ),
    ]);
    // `# Research: ` is 12 characters, then 10,000 and a space.
    assert_eq!(
        out.of("title"),
        ["1:10014: error[link-broken]: `missing.md` does not exist"]
    );
    // `[ok](#` + 10,000 + `) ` is 10,008 characters.
    assert_eq!(
        out.of("heading"),
        ["5:10009: error[link-broken]: no heading `#zz-top` in this file"]
    );
}

#[test]
fn crlf_positions() {
    let crlf = |s: String| s.replace('\n', "\r\n").into_bytes();
    let out = check(&[
        (
            "crlf",
            crlf(format!(
                "---\nstatus: complte\n---\n# Research: CRLF\n\nSee [the plan](../plans/nope-plan.md).\n\n{SECTIONS}"
            )),
        ),
        (
            "order",
            crlf(format!(
                "# Research: Order\n\n## Next Steps\n{}",
                SECTIONS.replace("## Next Steps\n", "")
            )),
        ),
    ]);
    assert_eq!(
        out.of("crlf"),
        [
            "2:9: error[frontmatter-invalid-value]: `complte` is not a valid status; expected one of: draft, in progress, complete, superseded (did you mean `complete`?)",
            "6:5: error[link-broken]: `../plans/nope-plan.md` does not exist",
        ]
    );
    assert_eq!(
        out.of("order"),
        ["3:1: warning[section-order]: `Next Steps` should come after `References`"]
    );
}

#[test]
fn emoji_and_cjk_columns_count_characters() {
    // 😀 is 1 character (4 bytes, 2 UTF-16 units); 👨‍👩‍👧 is 5 (3 people, 2 joiners);
    // 日本語のテキスト is 8.
    let line = "😀👨‍👩‍👧 日本語のテキスト [x](missing.md) and 🎉[y](gone.md)";
    let out = check(&[
        ("emoji", research("絵文字 😀", line)),
        (
            "cjk",
            with_sections("---\nresearcher: 山田太郎\nstatus: 完了\n---\n# Research: 日本語\n"),
        ),
        ("heading", research("Heading", "## 🚀 範囲 [z](nope.md)")),
    ]);
    assert_eq!(
        out.of("emoji"),
        [
            "3:17: error[link-broken]: `missing.md` does not exist",
            "3:38: error[link-broken]: `gone.md` does not exist",
        ]
    );
    assert_eq!(
        out.of("cjk"),
        [
            "3:9: error[frontmatter-invalid-value]: `完了` is not a valid status; expected one of: draft, in progress, complete, superseded"
        ]
    );
    assert_eq!(
        out.of("heading"),
        ["3:9: error[link-broken]: `nope.md` does not exist"]
    );
}

/// 10 MB in release builds (`cargo test --release --test bad_input`), under
/// the 16 MB cap, so it is parsed in full (the parse budget counts work, and
/// a fenced block spends little of it). Debug builds run tree-sitter-md's C
/// code unoptimised (~1 MB/s, slower on a busy machine), so they check 2 MB
/// instead, to keep the test short. The bulk is one fenced block, the
/// cheapest markdown to parse, and one piece of the block parse (no cut
/// inside a fence). No wall-time bound: the machine may be loaded; the
/// parse budget counts work.
#[test]
fn ten_megabyte_artifact() {
    let size: usize = if cfg!(debug_assertions) {
        2 << 20
    } else {
        10 << 20
    };
    let line = "cache_size_mb = 2048  # plain configuration text, sixty-four bytes\n";
    let mut body = String::from("Notes before the dump.\n\n```text\n");
    while body.len() < size {
        body.push_str(line);
    }
    body.push_str("```\n\nLast line: [x](missing.md)\n");
    let last = body.lines().count() + 2;
    let out = check(&[("big", with_sections(&format!("# Research: Big\n\n{body}")))]);
    assert_eq!(
        out.of("big"),
        [format!(
            "{last}:12: error[link-broken]: `missing.md` does not exist"
        )]
    );
}
