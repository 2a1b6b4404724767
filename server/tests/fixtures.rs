//! Rule fixtures: each `tests/fixtures/**/*.fixture` is a whole workspace as
//! text (`//- path` starts a file); its `.expected` twin holds the exact
//! `check` output. `UPDATE_EXPECT=1 cargo test --test fixtures` rewrites them.

use std::path::{Path, PathBuf};

use agentops_lsp::bundle;
use agentops_lsp::cli::output;
use agentops_lsp::rules::{self, RULES};
use agentops_lsp::workspace::{self, CacheMode, Workspace};

fn fixtures(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            fixtures(&p, out);
        } else if p.extension().is_some_and(|x| x == "fixture") {
            out.push(p);
        }
    }
}

/// Writes the fixture's files under `root`.
pub fn materialize(text: &str, root: &Path) {
    let mut current: Option<(PathBuf, String)> = None;
    let flush = |cur: Option<(PathBuf, String)>| {
        if let Some((path, body)) = cur {
            let full = root.join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, body).unwrap();
        }
    };
    for line in text.split_inclusive('\n') {
        if let Some(path) = line.strip_prefix("//- ") {
            flush(current.take());
            current = Some((PathBuf::from(path.trim()), String::new()));
        } else if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
        }
    }
    flush(current);
}

/// Runs a directive line `//- !save NAME PATH...` (saves a bundle of the
/// files written so far, so that later files can change its sources) or
/// `//- !delete PATH`.
fn directive(line: &str, root: &Path) {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        ["!save", name, from @ ..] => {
            let mut ws = Workspace::new(root);
            workspace::scan(&mut ws, &CacheMode::Off);
            let req = bundle::save::Request {
                name: name.to_string(),
                from: from.iter().map(|s| s.to_string()).collect(),
                ..Default::default()
            };
            bundle::save::save(&ws, &req, &|p| std::fs::read(root.join(p)))
                .unwrap_or_else(|e| panic!("!save {name}: {e}"));
        }
        ["!delete", path] => std::fs::remove_file(root.join(path)).unwrap(),
        other => panic!("unknown fixture directive {other:?}"),
    }
}

fn run(fixture: &Path) -> String {
    let text = std::fs::read_to_string(fixture).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut segment = String::new();
    for line in text.split_inclusive('\n') {
        if let Some(d) = line.strip_prefix("//- !") {
            materialize(&segment, dir.path());
            segment.clear();
            directive(&format!("!{d}"), dir.path());
        } else {
            segment.push_str(line);
        }
    }
    materialize(&segment, dir.path());
    let mut ws = Workspace::new(dir.path());
    workspace::scan(&mut ws, &CacheMode::Off);
    let diags = rules::check_workspace(&ws);
    output::human(&ws, &diags, &agentops_lsp::text::PathBase::root())
}

#[test]
fn rule_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut all = Vec::new();
    fixtures(&root, &mut all);
    all.sort();
    assert!(!all.is_empty(), "no fixtures under {}", root.display());
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for f in &all {
        let got = run(f);
        let expected_path = f.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != want {
            failures.push(format!(
                "{}\n--- expected\n{want}--- got\n{got}",
                f.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ (UPDATE_EXPECT=1 to bless):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every rule the engine implements is shown firing by at least one fixture.
#[test]
fn every_engine_rule_has_a_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut all = Vec::new();
    fixtures(&root, &mut all);
    let expected: String = all
        .iter()
        .filter_map(|f| std::fs::read_to_string(f.with_extension("expected")).ok())
        .collect();
    let engine = [
        "frontmatter-invalid",
        "frontmatter-missing-field",
        "frontmatter-invalid-value",
        "frontmatter-unknown-field",
        "section-missing",
        "section-order",
        "section-unexpected",
        "title-missing",
        "spec-folder-name",
        "artifact-unknown",
        "link-broken",
        "phase-status-mismatch",
        "flavor-invalid",
        "config-invalid",
        "command-unknown",
        "command-argument",
        "bundle-missing",
        "bundle-invalid",
        "bundle-stale",
        "law-validate-before-execute",
        "code-path-missing",
        "route-missing",
        "route-stale",
    ];
    for code in engine {
        assert!(RULES.iter().any(|r| r.code == code), "{code} not in RULES");
        assert!(
            expected.contains(&format!("[{code}]")),
            "no fixture shows `{code}`"
        );
    }
    // Binary and non-UTF-8 files cannot be written in a text fixture.
    let bad_input = std::fs::read_to_string(root.with_file_name("bad_input.rs")).unwrap();
    assert!(bad_input.contains("error[artifact-unreadable]"));
}

/// Every code has its `## code` section in docs/rules.md (SARIF `helpUri` anchors).
#[test]
fn every_rule_is_documented() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rules.md");
    let text = std::fs::read_to_string(&docs).unwrap();
    for r in RULES {
        assert!(
            text.lines().any(|l| l == format!("## {}", r.code)),
            "docs/rules.md has no `## {}`",
            r.code
        );
        let row = format!("| [`{0}`](#{0}) | {1} |", r.code, r.default.as_str());
        assert!(text.contains(&row), "docs/rules.md has no row `{row}`");
    }
}
