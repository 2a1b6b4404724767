//! The built binary on `examples/my-startup`: exact output in every format,
//! exit codes, and the explanation for a root that is not an agentops project.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_agentops-lsp"))
}

/// The binary with today pinned and the project's own git history out of
/// sight, so that dates in `status` do not move with every commit.
fn pinned() -> Command {
    let mut c = bin();
    c.env("SOURCE_DATE_EPOCH", "1763164800") // 2025-11-15
        .env(
            "GIT_CEILING_DIRECTORIES",
            repo().join("examples").canonicalize().unwrap(),
        );
    c
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn expected(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cli")
        .join(name)
}

/// Compares with the file, or rewrites it under UPDATE_EXPECT=1.
fn check_against(name: &str, got: &str) {
    let path = expected(name);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        got,
        want,
        "output differs from {} (UPDATE_EXPECT=1 to bless)",
        path.display()
    );
}

fn check_example(format: &str) -> (String, String, i32) {
    let out = bin()
        .current_dir(repo())
        .args([
            "check",
            "examples/my-startup",
            "--no-cache",
            "--format",
            format,
        ])
        .output()
        .unwrap();
    outcome(out)
}

/// stdout, stderr and the exit code of a finished run.
fn outcome(out: std::process::Output) -> (String, String, i32) {
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn human_output_is_exact() {
    let (stdout, stderr, code) = check_example("human");
    check_against("my-startup.human", &stdout);
    assert_eq!(code, 1, "planted errors must fail the run");
    assert!(
        stderr.starts_with("4 errors, 3 warnings, 1 info, 0 hints in "),
        "{stderr}"
    );
}

/// "Did you mean" is pre-filtered by length (issue 17): the example's
/// suggestions stay exactly what the full distance over every candidate gave.
#[test]
fn example_suggestions_are_unchanged() {
    let (stdout, _, _) = check_example("human");
    let hints: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split_once("(did you mean ").map(|(_, h)| h))
        .collect();
    assert_eq!(hints, ["`Approved`?)"], "{stdout}");
}

#[test]
fn json_output_is_exact() {
    let (stdout, _, code) = check_example("json");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["summary"]["errors"], 4);
    check_against("my-startup.json", &stdout);
    assert_eq!(code, 1);
}

#[test]
fn sarif_output_is_exact() {
    let (stdout, _, code) = check_example("sarif");
    let root = repo().join("examples/my-startup").canonicalize().unwrap();
    let stable = stdout.replace(&root.to_string_lossy().to_string(), "$ROOT");
    let v: serde_json::Value = serde_json::from_str(&stable).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(v["runs"][0]["results"].as_array().unwrap().len(), 8);
    check_against("my-startup.sarif", &stable);
    assert_eq!(code, 1);
}

#[test]
fn warm_cache_gives_the_same_output() {
    let cache = tempfile::tempdir().unwrap();
    let run = || {
        let out = bin()
            .current_dir(repo())
            .args(["check", "examples/my-startup", "--cache-dir"])
            .arg(cache.path())
            .output()
            .unwrap();
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (cold, cold_err) = run();
    let (warm, warm_err) = run();
    assert_eq!(cold, warm);
    assert!(cold_err.contains("0 from cache"), "{cold_err}");
    assert!(warm_err.contains("(0 parsed,"), "{warm_err}");
}

#[test]
fn clean_workspace_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let research = dir.path().join("agentops/infrastructure-ops/research");
    std::fs::create_dir_all(&research).unwrap();
    std::fs::write(
        research.join("x-research.md"),
        "# Research: X\n\n## Problem Statement\n## Scope\n## Key Findings\n## Recommended Approach\n## Open Questions\n## References\n## Next Steps\n",
    )
    .unwrap();
    let out = bin()
        .arg("check")
        .arg(dir.path())
        .arg("--no-cache")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn not_an_agentops_root_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin().arg("check").arg(dir.path()).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("no `agentops/` folder"), "{stderr}");
}

#[test]
fn usage_and_io_failures_exit_two() {
    let out = bin().args(["check", "/nonexistent/root"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin().args(["check", "--format", "yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn cache_sees_an_edit_between_runs() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let research = dir.path().join("agentops/infrastructure-ops/research");
    std::fs::create_dir_all(&research).unwrap();
    let file = research.join("x-research.md");
    let body = "## Problem Statement\n## Scope\n## Key Findings\n## Recommended Approach\n## Open Questions\n## References\n## Next Steps\n";
    std::fs::write(
        &file,
        format!("---\nstatus: complete\n---\n# Research: X\n{body}"),
    )
    .unwrap();
    let run = || {
        let out = bin()
            .arg("check")
            .arg(dir.path())
            .arg("--cache-dir")
            .arg(cache.path())
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(run(), "");
    // Same size, new content, written right after the cache: must be re-read.
    std::fs::write(
        &file,
        format!("---\nstatus: compleet\n---\n# Research: X\n{body}"),
    )
    .unwrap();
    assert!(run().contains("frontmatter-invalid-value"));
    assert!(run().contains("frontmatter-invalid-value"));
}

#[test]
fn status_of_the_example_is_exact() {
    let out = pinned()
        .current_dir(repo())
        .args(["status", "examples/my-startup", "--no-cache"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    check_against("my-startup.status", &String::from_utf8(out.stdout).unwrap());
    let out = pinned()
        .current_dir(repo())
        .args(["status", "examples/my-startup", "--no-cache", "--json"])
        .output()
        .unwrap();
    let root = repo().join("examples/my-startup");
    let text = String::from_utf8(out.stdout)
        .unwrap()
        .replace(&root.display().to_string(), "$ROOT");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let infra = v["flavors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "infrastructure-ops")
        .unwrap();
    let mon = infra["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "monitoring-strategy")
        .unwrap();
    // The seed's mismatched names pair through the plan's `research:` field.
    assert!(
        mon["artifacts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "agentops/infrastructure-ops/plans/monitoring-plan.md")
    );
    check_against("my-startup.status.json", &text);
}

/// `trace` from the repository (PATH under the example, its root found from
/// PATH) and from inside the example (`--root`, PATH root-relative).
#[test]
fn trace_of_the_example_is_exact() {
    let out = bin()
        .current_dir(repo())
        .args(["trace", "examples/my-startup/src/payments", "--no-cache"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    check_against("my-startup.trace", &String::from_utf8(out.stdout).unwrap());
    let out = bin()
        .current_dir(repo())
        .args([
            "trace",
            "infrastructure/kubernetes",
            "--root",
            "examples/my-startup",
            "--json",
            "--no-cache",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["path"], "infrastructure/kubernetes");
    check_against("my-startup.trace.json", &stdout);
}

#[test]
fn trace_of_an_unclaimed_path_exits_one() {
    let out = bin()
        .current_dir(repo().join("examples/my-startup"))
        .args(["trace", "test/app.ts", "--no-cache"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr, "agentops-lsp: no artifact declares `test/app.ts`\n");
    let out = bin()
        .args(["trace", "/elsewhere/x.ts", "--root"])
        .arg(repo().join("examples/my-startup"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Writes `(path, text)` files under a fresh temporary root.
fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    dir
}

const SPEC_KIT_SPEC: &str = "# Feature Specification: Alerts\n\n**Status**: Draft\n\n## User Scenarios & Testing *(mandatory)*\n\n## Requirements *(mandatory)*\n\n- **FR-001**: alert [NEEDS CLARIFICATION: when?]\n";

#[test]
fn status_shows_the_layouts_detected_without_configuration() {
    let dir = workspace(&[
        (
            ".specify/memory/constitution.md",
            "# Tide Constitution\n\n## Core Principles\n\n## Governance\n",
        ),
        ("specs/001-alerts/spec.md", SPEC_KIT_SPEC),
        (
            "thoughts/shared/research/2025-01-08-alerts.md",
            "# Research: Alerts\n\n## Research Question\n## Summary\n## Detailed Findings\n",
        ),
        (
            "agent-os/product/roadmap.md",
            "# Product Roadmap\n\n1. [ ] Alerts `S`\n",
        ),
        ("docs/specs/notes.md", "# Not a layout\n"),
    ]);
    let out = bin()
        .args(["status", "--no-cache"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let layouts: Vec<&str> = text
        .lines()
        .skip_while(|l| *l != "layouts")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert_eq!(
        layouts,
        [
            "  product-dev  agent-os/                 (found agent-os)",
            "  spec-kit     specs/, .specify/memory/  (found .specify)",
            "  rpi          thoughts/shared/          (found thoughts/shared)",
        ],
        "{text}"
    );
    assert!(text.contains("001-alerts"), "{text}");
    let out = bin()
        .args(["status", "--no-cache", "--json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let spec_kit = v["layouts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["flavor"] == "spec-kit")
        .unwrap();
    assert_eq!(spec_kit["source"], "detected");
    assert_eq!(spec_kit["evidence"], ".specify");
    assert_eq!(
        spec_kit["folders"],
        serde_json::json!(["specs", ".specify/memory"])
    );
}

#[test]
fn detection_is_overridden_in_agentops_toml() {
    let files = [
        ("specs/alerts/spec.md", SPEC_KIT_SPEC),
        ("thoughts/shared/plans/x.md", "# X Implementation Plan\n"),
    ];
    let dir = workspace(&files);
    let run = |dir: &Path| {
        let out = bin()
            .args(["check", "--no-cache"])
            .arg(dir)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    // specs/ without .specify/ or specs/NNN-name/ is not spec-kit's.
    let before = run(dir.path());
    assert!(!before.contains("specs/alerts"), "{before}");
    assert!(before.contains("thoughts/shared/plans/x.md"), "{before}");
    std::fs::write(
        dir.path().join("agentops.toml"),
        "[flavors]\nenable = [\"spec-kit\"]\ndisable = [\"rpi\"]\n",
    )
    .unwrap();
    let after = run(dir.path());
    assert!(
        after.contains("specs/alerts/spec.md:9:21: info[needs-clarification]"),
        "{after}"
    );
    assert!(!after.contains("thoughts/"), "{after}");
    let out = bin()
        .args(["status", "--no-cache"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("spec-kit  specs/  (enabled in agentops.toml)"),
        "{text}"
    );
}

#[test]
fn stats_report_files_kinds_template_evidence_and_severities() {
    let dir = workspace(&[
        (
            ".specify/memory/constitution.md",
            "# Tide Constitution\n\n## Core Principles\n\n## Governance\n",
        ),
        ("specs/001-alerts/spec.md", SPEC_KIT_SPEC),
        (
            "specs/001-alerts/plan.md",
            "# Plan notes\n\nNot the plan template.\n",
        ),
        ("specs/001-alerts/scratch.md", "scratch\n"),
        (
            "specs/002-export/spec.md",
            "# Feature Specification: Export\n\nSee [the plan](plan.md).\n",
        ),
    ]);
    let out = bin()
        .args(["check", "--no-cache", "--stats"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let stats = text
        .split_once("\nfiles seen:")
        .map(|(_, s)| s)
        .unwrap_or("");
    assert_eq!(
        stats,
        " 5
  3 following their kind's template, 1 not (checked as notes only), 1 of no kind
by kind:
       1  spec-kit/(unknown)
       1  spec-kit/constitution
       1  spec-kit/plan  (1 not following)
       2  spec-kit/spec
diagnostics: 1 error, 2 warnings, 3 infos, 0 hints
       1  error   link-broken
       2  warning section-missing
       1  info    artifact-unknown
       1  info    needs-clarification
       1  info    template-mismatch
",
        "{text}"
    );
}

const PLAN: &str = "---\nstatus: Draft\nresearch: ../research/cache-research.md\n---\n\n# Implementation Plan: Cache — é\n\n## Overview\nAdd a cache.\n\n## Approach\nRedis.\n\n## Files to Modify\n- `src/cache.rs`\n\n## Test Strategy\nUnit tests.\n\n## Implementation Order\n### Phase 1: Cache\n- Add it.\n\n## Rollback Plan\nRevert.\n\n## Risk Assessment\n- None.\n\n## Approval\n- [x] Approach validated\n- [x] Changes reviewed\n- [x] Risks acceptable\n- [ ] Ready to implement\n";
const RESEARCH: &str = "# Research: Cache\n\n## Problem Statement\nSlow.\n";

fn approve(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let out = bin()
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1763136300")
        .arg("approve")
        .args(args)
        .arg("--no-cache")
        .output()
        .unwrap();
    outcome(out)
}

#[test]
fn approve_records_who_and_when_and_refuses_open_boxes() {
    let plan = "agentops/infrastructure-ops/plans/cache-plan.md";
    let dir = workspace(&[
        (plan, PLAN),
        (
            "agentops/infrastructure-ops/research/cache-research.md",
            RESEARCH,
        ),
    ]);
    // One box open: refused (exit 1), the file untouched.
    let (_, err, code) = approve(dir.path(), &[plan, "--by", "Ada Lovelace"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("1 of 4 boxes under `Approval` are open"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join(plan)).unwrap(),
        PLAN
    );

    // The reviewer ticks the last box; approving records the name and time,
    // from a folder below the root (the root is found above the path).
    let ticked = PLAN.replace("- [ ] Ready", "- [x] Ready");
    std::fs::write(dir.path().join(plan), &ticked).unwrap();
    let sub = dir.path().join("agentops/infrastructure-ops");
    let (out, err, code) = approve(&sub, &["plans/cache-plan.md", "--by", "Ada: \"L\""]);
    assert_eq!(code, 0, "{err}");
    // The path as it opens from where the command ran.
    assert_eq!(
        out,
        "plans/cache-plan.md: approved by Ada: \"L\" at 2025-11-14T16:05:00Z\n"
    );
    let got = std::fs::read_to_string(dir.path().join(plan)).unwrap();
    assert!(
        got.starts_with(
            "---\nstatus: Approved\nresearch: ../research/cache-research.md\napproved_by: \"Ada: \\\"L\\\"\"\napproved_at: 2025-11-14T16:05:00Z\n---\n"
        ),
        "{got}"
    );
    assert!(got.ends_with(
        &ticked["---\nstatus: Draft\nresearch: ../research/cache-research.md\n---\n".len()..]
    ));

    // A second time: already approved (exit 1), nothing written.
    let (_, err, code) = approve(dir.path(), &[plan, "--by", "Ada"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("already approved"), "{err}");
}

#[test]
fn approve_refuses_placeholders_and_what_is_no_artifact() {
    let plan = "agentops/infrastructure-ops/plans/cache-plan.md";
    let unfilled = PLAN
        .replace(
            "Add a cache.",
            "[What changes and why, in a few sentences.]",
        )
        .replace("- [ ] Ready", "- [x] Ready");
    let dir = workspace(&[(plan, &unfilled), ("notes.md", "# Notes\n")]);
    let (_, err, code) = approve(dir.path(), &[plan, "--by", "Ada"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("placeholders (first at line 9)"), "{err}");
    let (_, err, code) = approve(dir.path(), &["notes.md", "--by", "Ada"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not an artifact"), "{err}");
    let (_, err, code) = approve(dir.path(), &["missing.md", "--by", "Ada"]);
    assert_eq!(code, 2, "{err}");
    let (_, err, code) = approve(dir.path(), &["../outside.md", "--by", "Ada"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("outside"), "{err}");
}

/// Approval without boxes: a plan whose `## Approval` has none (or is
/// missing) is refused with what to add; a spec, whose kind has no
/// checklist, is approved with who and when; a research has nothing to approve.
#[test]
fn approve_without_sign_off_boxes() {
    let plan = "agentops/infrastructure-ops/plans/cache-plan.md";
    let spec = "agentops/product-dev/specs/2025-11-06-login/spec.md";
    let research = "agentops/infrastructure-ops/research/cache-research.md";
    let no_boxes = PLAN
        .split("## Approval")
        .next()
        .map(|head| format!("{head}## Approval\nReviewed in the meeting.\n"))
        .unwrap();
    let spec_text = "---\nstatus: draft\n---\n# Specification: Login — ü\n\n## Goal\nSign in.\n\n## User Stories\n- As a user, I sign in.\n\n## Specific Requirements\n- Sessions.\n\n## Existing Code to Leverage\nNone.\n\n## Out of Scope\n- SSO.\n";
    let dir = workspace(&[
        (plan, &no_boxes),
        (research, RESEARCH),
        (spec, spec_text),
        (
            "agentops/product-dev/specs/2025-11-06-login/planning/requirements.md",
            "# Spec Requirements: Login\n\n## Initial Description\nSign in.\n",
        ),
    ]);
    let (_, err, code) = approve(dir.path(), &[plan, "--by", "Ada"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("`Approval` has no boxes: add the sign-off boxes"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join(plan)).unwrap(),
        no_boxes
    );
    let no_section = PLAN.split("## Approval").next().unwrap().to_string();
    std::fs::write(dir.path().join(plan), &no_section).unwrap();
    let (_, err, code) = approve(dir.path(), &[plan, "--by", "Ada"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("there is no `## Approval` checklist: add it"),
        "{err}"
    );

    let (out, err, code) = approve(dir.path(), &[spec, "--by", "Ada"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!("{spec}: approved by Ada at 2025-11-14T16:05:00Z\n")
    );
    let got = std::fs::read_to_string(dir.path().join(spec)).unwrap();
    assert!(
        got.starts_with(
            "---\nstatus: approved\napproved_by: Ada\napproved_at: 2025-11-14T16:05:00Z\n---\n"
        ),
        "{got}"
    );

    let (_, err, code) = approve(dir.path(), &[research, "--by", "Ada"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("has no approval step in its flavor"), "{err}");
}

/// `status`, `check` and `trace --requirements` on the Kiro and OpenSpec examples.
#[test]
fn kiro_and_openspec_examples() {
    for (example, name) in [
        ("examples/kiro-app", "kiro-app"),
        ("examples/openspec-app", "openspec-app"),
    ] {
        let run = |args: &[&str]| {
            let mut all = args.to_vec();
            all.push(example);
            all.push("--no-cache");
            outcome(pinned().current_dir(repo()).args(&all).output().unwrap())
        };
        let (out, err, code) = run(&["check"]);
        assert_eq!(code, 0, "{example}: {out}{err}");
        assert!(out.is_empty(), "{example}: {out}");
        assert!(
            err.contains("0 errors, 0 warnings, 0 infos, 0 hints"),
            "{err}"
        );
        let (out, _, code) = run(&["status"]);
        assert_eq!(code, 0);
        check_against(&format!("{name}.status"), &out);
        let (out, _, code) = run(&["trace", "--requirements"]);
        assert_eq!(code, 0);
        check_against(&format!("{name}.requirements"), &out);
        let (out, _, code) = run(&["trace", "--requirements", "--json"]);
        assert_eq!(code, 0);
        check_against(&format!("{name}.requirements.json"), &out);
    }
}

/// A workspace with no requirement ids: exit 1, and a reason on stderr.
#[test]
fn trace_requirements_without_ids() {
    let (out, err, code) = outcome(
        bin()
            .current_dir(repo())
            .args([
                "trace",
                "--requirements",
                "examples/my-startup",
                "--no-cache",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!((out.as_str(), code), ("", 1));
    assert!(err.contains("no requirement ids"), "{err}");
}

/// An empty mission finishes nothing; dates come from the frontmatter, the
/// dated folder and git; the approver is shown; paths are on one base.
#[test]
fn status_of_an_unfilled_project_and_its_dates() {
    let dir = tempfile::tempdir().unwrap();
    let product = dir.path().join("p/agentops/product-dev/product");
    std::fs::create_dir_all(&product).unwrap();
    std::fs::write(
        product.join("mission.md"),
        "# Product Mission\n\n## Pitch\n\n## Users\n",
    )
    .unwrap();
    let out = pinned()
        .current_dir(dir.path())
        .args(["status", "p", "--no-cache"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("✓ product-planning"), "{text}");
    assert!(text.contains("(empty: headings only)"), "{text}");
    assert!(
        text.contains("file: p/agentops/product-dev/product/mission.md"),
        "{text}"
    );
    let spec = dir
        .path()
        .join("p/agentops/product-dev/specs/2025-11-01-search/planning");
    std::fs::create_dir_all(&spec).unwrap();
    std::fs::write(
        spec.join("requirements.md"),
        "---\ndate: 2025-11-03\napproved_by: Ada Ł\napproved_at: 2025-11-05T10:00:00Z\n---\n# Requirements\n\nSearch by name.\n",
    )
    .unwrap();
    let out = pinned()
        .current_dir(dir.path().join("p"))
        .args(["status", "--no-cache", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let item = v["flavors"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "2025-11-01-search")
        .unwrap()
        .clone();
    assert_eq!(item["started"], "2025-11-01", "the dated folder: {item}");
    assert_eq!(item["last_change"], "2025-11-05", "approved_at: {item}");
    assert_eq!(item["approvals"][0]["by"], "Ada Ł");
    assert_eq!(v["today"], "2025-11-15");
}

/// Every command takes the workspace root as a positional argument after
/// its own, as `check ROOT` does; the older `--root` is still read.
#[test]
fn every_command_takes_the_root_positionally() {
    let run = |args: &[&str]| outcome(pinned().current_dir(repo()).args(args).output().unwrap());
    let root = "examples/my-startup";
    let (_, err, code) = run(&["check", root, "--no-cache"]);
    assert_eq!(code, 1, "{err}");
    let (out, err, code) = run(&["status", root, "--no-cache"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("product-dev"), "{out}");
    let (positional, err, code) = run(&["trace", "src/payments", root, "--no-cache"]);
    assert_eq!(code, 0, "{err}");
    let (flag, _, _) = run(&["trace", "src/payments", "--root", root, "--no-cache"]);
    assert_eq!(positional, flag, "`--root ROOT` is read as ROOT");
    let (_, err, code) = run(&["trace", "src/payments", root, "--root", root]);
    assert_eq!(code, 2, "ROOT twice is a usage error: {err}");
    let (out, err, code) = run(&["trace", "--requirements", "examples/kiro-app", "--no-cache"]);
    assert_eq!(code, 0, "{err}");
    let (file, err, code) = run(&[
        "trace",
        "--requirements",
        ".kiro/specs/password-reset/requirements.md",
        "examples/kiro-app",
        "--no-cache",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!file.is_empty() && out.contains(&file), "{file}\n{out}");
    let (out, err, code) = run(&["bundle", "list", root]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("k8s-upgrade-plan"), "{out}");
    // approve writes: a copy, named from the folder above it.
    let plan = "agentops/infrastructure-ops/plans/cache-plan.md";
    let dir = workspace(&[
        (
            &format!("ws/{plan}"),
            PLAN.replace("- [ ] ", "- [x] ").as_str(),
        ),
        (
            "ws/agentops/infrastructure-ops/research/cache-research.md",
            RESEARCH,
        ),
    ]);
    let (out, err, code) = approve(dir.path(), &[plan, "ws", "--by", "Ada"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(&format!("ws/{plan}: approved by Ada at ")),
        "the path from the current folder: {out}"
    );
}

/// Paths in the human output of `check`, `trace` and `trace --requirements`
/// open from the current folder, whatever it is.
#[test]
fn paths_are_relative_to_the_current_folder() {
    let run = |cwd: &str, args: &[&str]| {
        outcome(
            bin()
                .current_dir(repo().join(cwd))
                .args(args)
                .output()
                .unwrap(),
        )
    };
    let (from_repo, _, _) = run(".", &["check", "examples/my-startup", "--no-cache"]);
    let (from_examples, _, _) = run("examples", &["check", "my-startup", "--no-cache"]);
    let (from_inside, _, _) = run(
        "examples/my-startup/agentops",
        &["check", "..", "--no-cache"],
    );
    let lines = |s: &str| s.lines().map(str::to_string).collect::<Vec<_>>();
    assert!(!from_repo.is_empty());
    for (a, b, c) in zip3(
        &lines(&from_repo),
        &lines(&from_examples),
        &lines(&from_inside),
    ) {
        let rel = a
            .strip_prefix("examples/my-startup/")
            .unwrap_or_else(|| panic!("{a}"));
        assert_eq!(b, &format!("my-startup/{rel}"));
        // From below the root, a path climbs only as far as it must.
        let inside = rel
            .strip_prefix("agentops/")
            .map_or(format!("../{rel}"), str::to_string);
        assert_eq!(c, &inside);
        // Each names a file that opens from where the command ran.
        let file = rel.split(':').next().unwrap();
        assert!(
            repo().join("examples/my-startup").join(file).is_file(),
            "{a}"
        );
    }
    let (out, _, code) = run(
        "examples/my-startup/src",
        &["trace", "payments", "--no-cache"],
    );
    assert_eq!(code, 0);
    assert!(out.lines().all(|l| l.starts_with("../agentops/")), "{out}");
    let (out, _, code) = run(
        "examples",
        &["trace", "--requirements", "kiro-app", "--no-cache"],
    );
    assert_eq!(code, 0);
    assert!(out.starts_with("kiro-app/.kiro/specs/"), "{out}");
}

fn zip3<'a>(
    a: &'a [String],
    b: &'a [String],
    c: &'a [String],
) -> impl Iterator<Item = (&'a String, &'a String, &'a String)> {
    assert_eq!((a.len(), a.len()), (b.len(), c.len()));
    a.iter().zip(b).zip(c).map(|((a, b), c)| (a, b, c))
}

/// The progress line is for a person at a terminal: piped, stderr holds the
/// summary alone, even on a cold run over many files.
#[test]
fn no_progress_line_when_piped() {
    let mut files: Vec<(String, String)> = (0..400)
        .map(|i| {
            (
                format!("agentops/infrastructure-ops/research/r{i}-research.md"),
                format!("# Research: R{i}\n\n## Problem Statement\nWhy {i}.\n"),
            )
        })
        .collect();
    files.push(("agentops.toml".into(), String::new()));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = workspace(&refs);
    for args in [
        &["check", ".", "--no-cache"][..],
        &["status", ".", "--no-cache"],
        &["trace", "src", ".", "--no-cache"],
    ] {
        let (_, err, _) = outcome(bin().current_dir(dir.path()).args(args).output().unwrap());
        assert!(
            !err.contains('\r') && !err.contains("reading"),
            "{args:?}: {err:?}"
        );
        assert!(!err.contains('\u{1b}'), "{args:?}: {err:?}");
    }
}
