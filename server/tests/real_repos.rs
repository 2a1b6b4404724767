//! What real repositories showed (docs/fidelity.md): one finding per cause,
//! with the other places as related locations in the machine formats, and
//! files that git tracks checked even where `.gitignore` matches them.

mod common;
use common::git;

use std::path::Path;

use agentops_lsp::cli::output;
use agentops_lsp::rules;
use agentops_lsp::workspace::{self, CacheMode, Workspace};
use serde_json::Value;

fn write(root: &Path, files: &[(&str, &str)]) {
    for (p, t) in files {
        let full = root.join(p);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, t).unwrap();
    }
}

fn workspace(root: &Path) -> Workspace {
    let mut ws = Workspace::new(root);
    workspace::scan(&mut ws, &CacheMode::Off);
    ws
}

const TASKS: &str = "# Tasks: Alerts\n\n## Phase 1: Setup\n\n\
- [x] T001 Add the alert model in src/alerts/model.py\n\
- [x] T002 Validate alert times in src/alerts/model.py\n\
- [x] T003 Serialize alerts in src/alerts/model.py\n\n\
## Dependencies & Execution Order\n";

#[test]
fn one_missing_file_named_three_times_is_one_finding_with_two_related_locations() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (".specify/memory/constitution.md", "# Constitution\n"),
            ("specs/001-alerts/tasks.md", TASKS),
        ],
    );
    let ws = workspace(dir.path());
    let diags = rules::check_workspace(&ws);
    let missing: Vec<_> = diags
        .iter()
        .filter(|d| d.code == "code-path-missing")
        .collect();
    assert_eq!(missing.len(), 1, "{missing:#?}");

    let json: Value = serde_json::from_str(&output::json(&ws, &diags)).unwrap();
    let d = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "code-path-missing")
        .unwrap();
    let lines: Vec<u64> = d["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(d["range"]["start"]["line"], 5);
    assert_eq!(lines, vec![6, 7]);

    let sarif: Value = serde_json::from_str(&output::sarif(&ws, &diags)).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "code-path-missing")
        .unwrap();
    let related = result["relatedLocations"].as_array().unwrap();
    assert_eq!(related.len(), 2);
    assert_eq!(
        related[1]["physicalLocation"]["region"]["startLine"], 7,
        "{related:#?}"
    );
}

const PLAN: &str =
    "# Plan: Tokens\n\n## Context\n\n## Baseline Audit\n\n[research](../research/missing.md)\n";

#[test]
fn tracked_files_are_checked_even_when_gitignore_matches_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        &[
            (".gitignore", ".agents/\nthoughts/shared/plans/\n"),
            (".agents/plans/2025-11-04-tokens.md", PLAN),
            (".agents/plans/2025-11-05-untracked.md", PLAN),
            (
                "thoughts/shared/plans/2025-11-06-cache.md",
                "# Cache Implementation Plan\n",
            ),
        ],
    );
    if !git(root, &["init", "-q"]) {
        eprintln!("git is not installed: skipped");
        return;
    }
    // Teams commit `.agents/` with it ignored: `git add -f`.
    assert!(git(
        root,
        &[
            "add",
            "-f",
            ".agents/plans/2025-11-04-tokens.md",
            "thoughts/shared/plans/2025-11-06-cache.md"
        ]
    ));
    let ws = workspace(root);
    let paths: Vec<&String> = ws.artifacts.keys().collect();
    assert!(
        ws.artifacts
            .contains_key(".agents/plans/2025-11-04-tokens.md"),
        "{paths:?}"
    );
    assert!(
        ws.artifacts
            .contains_key("thoughts/shared/plans/2025-11-06-cache.md"),
        "{paths:?}"
    );
    // An ignored file git does not track stays hidden.
    assert!(
        !ws.artifacts
            .contains_key(".agents/plans/2025-11-05-untracked.md"),
        "{paths:?}"
    );
    let diags = rules::check_workspace(&ws);
    assert!(
        diags
            .iter()
            .any(|d| d.code == "link-broken" && d.path == ".agents/plans/2025-11-04-tokens.md"),
        "{diags:#?}"
    );
}

/// `git ls-files` runs the repository's `core.fsmonitor` hook: a cloned or
/// unpacked repository must not get a command run by being checked.
#[test]
fn a_repository_s_fsmonitor_hook_is_never_run() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, &[(".agents/plans/2025-11-04-tokens.md", PLAN)]);
    if !git(root, &["init", "-q"]) {
        eprintln!("git is not installed: skipped");
        return;
    }
    let marker = root.join("hook-ran");
    let hook = format!("touch '{}'; echo", marker.display());
    assert!(git(root, &["config", "core.fsmonitor", &hook]));
    assert!(git(
        root,
        &["add", "-f", ".agents/plans/2025-11-04-tokens.md"]
    ));
    // `git add` itself may run the hook: only what the check does counts.
    let _ = std::fs::remove_file(&marker);
    let ws = workspace(root);
    assert!(
        ws.artifacts
            .contains_key(".agents/plans/2025-11-04-tokens.md")
    );
    assert!(!marker.exists(), "the repository's fsmonitor hook was run");
}
