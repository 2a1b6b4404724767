//! Code actions at the engine level: apply the file operations to a temporary
//! workspace, then check it: the diagnostic the action fixes must be gone.

use std::path::Path;

mod common;

use agentops_lsp::cli::output;
use agentops_lsp::features::actions::{self, FileOp};
use agentops_lsp::features::fixes;
use agentops_lsp::rules;
use agentops_lsp::workspace::{self, CacheMode, Workspace};

fn write(root: &Path, files: &[(&str, &str)]) {
    for (p, t) in files {
        let full = root.join(p);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, t).unwrap();
    }
}

fn check(root: &Path) -> String {
    let mut ws = Workspace::new(root);
    workspace::scan(&mut ws, &CacheMode::Off);
    output::human(
        &ws,
        &rules::check_workspace(&ws),
        &agentops_lsp::text::PathBase::root(),
    )
}

/// Runs the action titled `prefix` for `path` and applies it.
fn run(root: &Path, path: &str, prefix: &str) {
    let mut ws = Workspace::new(root);
    workspace::scan(&mut ws, &CacheMode::Off);
    let text = std::fs::read_to_string(root.join(path)).unwrap();
    let art = ws.artifacts.get(path).unwrap();
    let all = actions::actions(&ws, art, &text);
    let a = all
        .iter()
        .find(|a| a.title.starts_with(prefix))
        .unwrap_or_else(|| {
            panic!(
                "no `{prefix}` among {:?}",
                all.iter().map(|a| &a.title).collect::<Vec<_>>()
            )
        });
    apply(root, a);
}

/// Applies an action's file operations to the workspace at `root`.
fn apply(root: &Path, a: &actions::Action) {
    for op in &a.ops {
        match op {
            FileOp::Create { path, text } => {
                let p = root.join(path);
                assert!(!p.exists());
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, text).unwrap();
            }
            FileOp::Rename { from, to } => std::fs::rename(root.join(from), root.join(to)).unwrap(),
            FileOp::Edit { path, edits } => {
                let p = root.join(path);
                let mut t = std::fs::read_to_string(&p).unwrap();
                let mut e = edits.clone();
                e.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
                for (r, new) in e {
                    t.replace_range(r.start as usize..r.end as usize, &new);
                }
                std::fs::write(p, t).unwrap();
            }
        }
    }
}

const SPEC: &str = "# Specification: Search\n\n## Goal\n## User Stories\n## Specific Requirements\n## Visual Design\n## Existing Code to Leverage\n## Out of Scope\n";
const REQ: &str = "# Spec Requirements: Search\n\n## Initial Description\n## Requirements Discussion\n## Visual Assets\n## Requirements Summary\n";

#[test]
fn rename_a_misnamed_spec_folder_and_its_links() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("agentops/product-dev/specs/20251020-search/spec.md", SPEC),
            (
                "agentops/product-dev/specs/20251020-search/planning/requirements.md",
                REQ,
            ),
            (
                "agentops/product-dev/product/roadmap.md",
                "# Product Roadmap\n\n1. [ ] Search — see [spec](../specs/20251020-search/spec.md#goal) `M`\n",
            ),
        ],
    );
    assert!(check(dir.path()).contains("spec-folder-name"));
    run(
        dir.path(),
        "agentops/product-dev/specs/20251020-search/planning/requirements.md",
        "Rename folder to `2025-10-20-search`",
    );
    assert!(
        dir.path()
            .join("agentops/product-dev/specs/2025-10-20-search/spec.md")
            .is_file()
    );
    let roadmap =
        std::fs::read_to_string(dir.path().join("agentops/product-dev/product/roadmap.md"))
            .unwrap();
    assert!(
        roadmap.contains("(../specs/2025-10-20-search/spec.md#goal)"),
        "{roadmap}"
    );
    assert_eq!(check(dir.path()), "");
}

#[test]
fn add_frontmatter_with_inferred_values() {
    let dir = tempfile::tempdir().unwrap();
    let research = "# Research: Monitoring strategy\n\n## Problem Statement\n## Scope\n## Key Findings\n## Recommended Approach\n## Open Questions\n## References\n## Next Steps\n";
    let plan = "# Implementation Plan: Monitoring\n\n## Overview\n## Approach\n## Files to Modify\n## Test Strategy\n## Implementation Order\n## Rollback Plan\n## Risk Assessment\n## Approval\n- [ ] Approach validated\n";
    write(
        dir.path(),
        &[
            (
                "agentops/infrastructure-ops/research/monitoring-strategy-research.md",
                research,
            ),
            ("agentops/infrastructure-ops/plans/monitoring-plan.md", plan),
        ],
    );
    assert!(check(dir.path()).contains("work-item-unlinked"));
    run(
        dir.path(),
        "agentops/infrastructure-ops/plans/monitoring-plan.md",
        "Add frontmatter",
    );
    let text = std::fs::read_to_string(
        dir.path()
            .join("agentops/infrastructure-ops/plans/monitoring-plan.md"),
    )
    .unwrap();
    assert!(text.starts_with("---\nstatus: In Progress\n"), "{text}");
    assert!(
        text.contains("research: ../research/monitoring-strategy-research.md\n---\n"),
        "{text}"
    );
    assert!(!check(dir.path()).contains("work-item-unlinked"));
}

#[test]
fn mark_complete_only_when_nothing_is_left_open() {
    let dir = tempfile::tempdir().unwrap();
    let tasks_open = "---\nstatus: in progress\n---\n# Task Breakdown: Search\n\n## Overview\n## Task List\n- [ ] 1.0 Index\n## Execution Order\n";
    write(
        dir.path(),
        &[
            ("agentops/product-dev/specs/2025-10-20-search/spec.md", SPEC),
            (
                "agentops/product-dev/specs/2025-10-20-search/planning/requirements.md",
                REQ,
            ),
            (
                "agentops/product-dev/specs/2025-10-20-search/tasks.md",
                tasks_open,
            ),
        ],
    );
    let mut ws = Workspace::new(dir.path());
    workspace::scan(&mut ws, &CacheMode::Off);
    let path = "agentops/product-dev/specs/2025-10-20-search/tasks.md";
    let art = ws.artifacts.get(path).unwrap();
    assert!(
        !actions::actions(&ws, art, tasks_open)
            .iter()
            .any(|a| a.title.starts_with("Mark"))
    );
    // All checked: now the status can follow.
    std::fs::write(dir.path().join(path), tasks_open.replace("- [ ]", "- [x]")).unwrap();
    assert!(check(dir.path()).contains("phase-status-mismatch"));
    run(dir.path(), path, "Mark Tasks complete");
    assert!(
        std::fs::read_to_string(dir.path().join(path))
            .unwrap()
            .contains("status: complete")
    );
    assert_eq!(check(dir.path()), "");
}

#[test]
fn a_status_its_boxes_contradict_is_set_to_what_they_say() {
    let dir = tempfile::tempdir().unwrap();
    let tasks = "---\nstatus: complete\n---\n# Task Breakdown: Search\n\n## Overview\n\n## Task List\n\n- [x] 1.0 Index\n- [ ] 2.0 Query\n\n## Execution Order\n\n1. Index\n";
    write(
        dir.path(),
        &[
            ("agentops/product-dev/specs/2025-10-20-search/spec.md", SPEC),
            (
                "agentops/product-dev/specs/2025-10-20-search/planning/requirements.md",
                REQ,
            ),
            (
                "agentops/product-dev/specs/2025-10-20-search/tasks.md",
                tasks,
            ),
        ],
    );
    assert!(check(dir.path()).contains("phase-status-mismatch"));
    run(
        dir.path(),
        "agentops/product-dev/specs/2025-10-20-search/tasks.md",
        "Set status to `in progress` (1/2 checked)",
    );
    let text = std::fs::read_to_string(
        dir.path()
            .join("agentops/product-dev/specs/2025-10-20-search/tasks.md"),
    )
    .unwrap();
    assert!(
        text.starts_with("---\nstatus: in progress\n---\n"),
        "{text}"
    );
    assert!(!check(dir.path()).contains("phase-status-mismatch"));
}

/// Runs the quick fix titled `prefix` for the finding at byte `at` of `path`.
fn run_fix(root: &Path, path: &str, prefix: &str) {
    let mut ws = Workspace::new(root);
    workspace::scan(&mut ws, &CacheMode::Off);
    let text = std::fs::read_to_string(root.join(path)).unwrap();
    let art = ws.artifacts.get(path).unwrap();
    let all = fixes::fixes(&ws, art, &text);
    let f = all
        .iter()
        .find(|f| f.action.title.starts_with(prefix))
        .unwrap_or_else(|| {
            panic!(
                "no `{prefix}` among {:?}",
                all.iter().map(|f| &f.action.title).collect::<Vec<_>>()
            )
        });
    assert!(f.preferred, "{prefix}: not preferred");
    apply(root, &f.action);
}

fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/my-startup"),
        dir.path(),
    );
    dir
}

/// Each quick fix applied to the example removes its finding and adds none.
#[test]
fn quick_fixes_clear_the_examples_findings() {
    let dir = example();
    let root = dir.path();
    let before = check(root);
    let infra = "agentops/infrastructure-ops";
    let steps: [(&str, &str, &str); 4] = [
        (
            "plans/k8s-upgrade-plan.md",
            "Change link to `../research/k8s-upgrade-research.md`",
            "k8s-upgrade-reserch",
        ),
        (
            "plans/dr-plan.md",
            "Close the list: `tags: [dr, backup]`",
            "flow sequence",
        ),
        (
            "research/monitoring-strategy-research.md",
            "Move `Scope` before `Key Findings`",
            "section-order",
        ),
        (
            "research/disaster-recovery-research.md",
            "Unlink `rollback plan`",
            "rollback-plan",
        ),
    ];
    let mut expected = before.clone();
    for (path, title, gone) in steps {
        if title.starts_with("Unlink") {
            // Nothing near `#rollback-plan`: the fix is offered, not preferred.
            let mut ws = Workspace::new(root);
            workspace::scan(&mut ws, &CacheMode::Off);
            let p = format!("{infra}/{path}");
            let text = std::fs::read_to_string(root.join(&p)).unwrap();
            let all = fixes::fixes(&ws, ws.artifacts.get(&p).unwrap(), &text);
            let f = all
                .iter()
                .find(|f| f.action.title.starts_with(title))
                .unwrap();
            assert!(!f.preferred);
            apply(root, &f.action);
        } else {
            run_fix(root, &format!("{infra}/{path}"), title);
        }
        expected = expected
            .lines()
            .filter(|l| !l.contains(gone))
            .map(|l| format!("{l}\n"))
            .collect();
        let now = check(root);
        // A fix edits a bundled source: its bundle turning stale is true, and
        // not the fix's business.
        let findings = |s: &str| {
            s.lines()
                .filter(|l| l.contains(": ") && !l.contains("[bundle-"))
                .count()
        };
        assert_eq!(
            findings(&now),
            findings(&expected),
            "after `{title}`:\n{now}"
        );
    }
    let moved = std::fs::read_to_string(
        root.join(format!("{infra}/research/monitoring-strategy-research.md")),
    )
    .unwrap();
    let scope = moved.find("## Scope").unwrap();
    assert!(scope < moved.find("## Key Findings").unwrap());
    assert!(moved.find("## Problem Statement").unwrap() < scope);
    assert!(moved.contains("## References"), "{moved}");
}

#[test]
fn a_missing_title_is_inserted_from_the_work_item() {
    let dir = tempfile::tempdir().unwrap();
    let path = "agentops/product-dev/specs/2025-10-20-saved-search/spec.md";
    let body = SPEC.trim_start_matches("# Specification: Search\n\n");
    write(
        dir.path(),
        &[(path, &format!("---\nstatus: Draft\n---\n\n{body}"))],
    );
    assert!(check(dir.path()).contains("title-missing"));
    run_fix(
        dir.path(),
        path,
        "Insert title `# Specification: Saved Search`",
    );
    let text = std::fs::read_to_string(dir.path().join(path)).unwrap();
    assert!(
        text.starts_with("---\nstatus: Draft\n---\n\n# Specification: Saved Search\n\n## Goal\n"),
        "{text}"
    );
    assert!(!check(dir.path()).contains("title-missing"));
}

#[test]
fn a_misspelled_heading_anchor_is_corrected() {
    let dir = tempfile::tempdir().unwrap();
    let path = "agentops/product-dev/specs/2025-10-20-search/spec.md";
    let spec = SPEC.replace(
        "## Goal\n",
        "## Goal\n\nSee [the stories](#user-storys) — é ü.\n",
    );
    write(dir.path(), &[(path, &spec)]);
    assert!(check(dir.path()).contains("link-broken"));
    run_fix(dir.path(), path, "Change link to `#user-stories`");
    assert!(!check(dir.path()).contains("link-broken"));
}

/// How many of the example's findings a quick fix resolves (docs/rules.md says it).
#[test]
fn the_examples_findings_with_a_quick_fix() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/my-startup")
        .canonicalize()
        .unwrap();
    let mut ws = Workspace::new(&root);
    workspace::scan(&mut ws, &CacheMode::Off);
    let found = rules::check_workspace(&ws);
    let fixed: Vec<&str> = found
        .iter()
        .filter(|d| {
            let Some(art) = ws.artifacts.get(&d.path) else {
                return false;
            };
            let text = std::fs::read_to_string(root.join(&d.path)).unwrap();
            let touches =
                |r: agentops_lsp::text::TextRange| r.start <= d.range.end && d.range.start <= r.end;
            actions::actions(&ws, art, &text)
                .iter()
                .any(|a| a.fixes.contains(&d.code))
                || fixes::fixes(&ws, art, &text)
                    .iter()
                    .any(|f| f.action.fixes.contains(&d.code) && touches(f.at))
        })
        .map(|d| d.code)
        .collect();
    let all: Vec<(&str, &str)> = found.iter().map(|d| (d.code, d.path.as_str())).collect();
    assert_eq!(found.len(), 8, "{all:?}");
    assert_eq!(
        fixed,
        [
            "frontmatter-invalid",
            "link-broken",
            "frontmatter-invalid-value",
            "link-broken",
            "section-order",
            "phase-status-mismatch",
            "section-missing"
        ]
    );
}

#[test]
fn a_section_moved_to_the_end_and_an_ambiguous_list_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = "agentops/infrastructure-ops/research/cache-research.md";
    // No final newline: the moved section must still start on its own line.
    let text = "---\nstatus: complete\n---\n# Research: Cache\n\n## Next Steps\n- Plan it 😀\n\n## Problem Statement\np\n\n## Scope\ns\n\n## Key Findings\nk\n\n## Recommended Approach\nr\n\n## Open Questions\no\n\n## References\n- x";
    write(dir.path(), &[(path, text)]);
    assert!(check(dir.path()).contains("section-order"));
    run_fix(dir.path(), path, "Move `Next Steps` after `References`");
    let moved = std::fs::read_to_string(dir.path().join(path)).unwrap();
    assert!(
        moved.ends_with("## References\n- x\n\n## Next Steps\n- Plan it 😀\n"),
        "{moved}"
    );
    assert!(
        moved.contains("# Research: Cache\n\n## Problem Statement\n"),
        "{moved}"
    );
    assert!(!check(dir.path()).contains("section-order"));

    // Two lists open: which one the `]` belongs to is a guess, so no fix.
    let plan = "agentops/infrastructure-ops/plans/cache-plan.md";
    write(
        dir.path(),
        &[(
            plan,
            "---\nstatus: Draft\ntags: [a, b\nowners: [c\n---\n# Implementation Plan: Cache\n",
        )],
    );
    let mut ws = Workspace::new(dir.path());
    workspace::scan(&mut ws, &CacheMode::Off);
    let t = std::fs::read_to_string(dir.path().join(plan)).unwrap();
    let all = fixes::fixes(&ws, ws.artifacts.get(plan).unwrap(), &t);
    assert!(
        !all.iter()
            .any(|f| f.action.fixes.contains(&"frontmatter-invalid")),
        "{:?}",
        all.iter().map(|f| &f.action.title).collect::<Vec<_>>()
    );
}

const LOGIN_REQUIREMENTS: &str = "# Spec Requirements: Login\n\n## Initial Description\n## Requirements Discussion\n## Visual Assets\n## Requirements Summary\n";

fn login_spec(goal: &str) -> String {
    format!(
        "---\nstatus: draft\n---\n# Specification: Login 🔐\n\n## Goal\n{goal}\n\n## User Stories\n## Specific Requirements\n## Existing Code to Leverage\n## Out of Scope\n"
    )
}

const ALERTS: &str = "agentops/infrastructure-ops/research/login-alerts-research.md";
const LOGIN_SPEC: &str = "agentops/product-dev/specs/2025-11-06-login/spec.md";

fn alerts_research() -> String {
    "# Research: Login Alerts\n\n## Problem Statement\nLogins now depend on the [login spec — ünïcode](../../product-dev/specs/2025-11-06-login/spec.md).\n\n## Scope\n## Key Findings\n## Recommended Approach\n## Open Questions\n## References\n## Next Steps\n".to_string()
}

#[test]
fn route_from_a_linked_spec_then_acknowledge_each_change() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        &[
            (
                "agentops/product-dev/specs/2025-11-06-login/planning/requirements.md",
                LOGIN_REQUIREMENTS,
            ),
            (LOGIN_SPEC, &login_spec("Sessions last 30 days.")),
            (ALERTS, &alerts_research()),
        ],
    );
    // The research links the spec in prose: no route yet, nothing reported.
    assert!(!check(root).contains("route-"), "{}", check(root));
    run(
        root,
        ALERTS,
        "Route from the product-dev spec `2025-11-06-login`",
    );
    let spec = std::fs::read_to_string(root.join(LOGIN_SPEC)).unwrap();
    assert!(
        spec.starts_with("---\nstatus: draft\nroutes: [../../../infrastructure-ops/research/login-alerts-research.md]\n---\n"),
        "{spec}"
    );
    let research = std::fs::read_to_string(root.join(ALERTS)).unwrap();
    assert!(
        research.starts_with("---\nrouted_from:\n  - path: ../../product-dev/specs/2025-11-06-login/spec.md\n    hash: \""),
        "{research}"
    );
    assert!(
        research.contains("\n    sections:\n      specification-login-: \""),
        "{research}"
    );
    // Routed and acknowledged: clean.
    assert!(!check(root).contains("route-"), "{}", check(root));

    // Product edits the goal: ops is warned, product informed.
    let edited = spec.replace("Sessions last 30 days.", "Sessions last 14 days.");
    std::fs::write(root.join(LOGIN_SPEC), &edited).unwrap();
    let out = check(root);
    assert!(
        out.contains(&format!("{ALERTS}:3:5: warning[route-stale]: The product-dev spec `2025-11-06-login` changed since it was acknowledged: edited `Goal`")),
        "{out}"
    );
    assert!(out.contains("info[route-unacknowledged]"), "{out}");
    // Acknowledge rewrites the entry in place: one entry, the new hash.
    run_fix(
        root,
        ALERTS,
        "Acknowledge the product-dev spec `2025-11-06-login`",
    );
    let after = std::fs::read_to_string(root.join(ALERTS)).unwrap();
    assert_eq!(after.matches("- path:").count(), 1, "{after}");
    assert_eq!(after.lines().count(), research.lines().count(), "{after}");
    assert_ne!(after, research);
    assert!(!check(root).contains("route-"), "{}", check(root));

    // A frontmatter-only edit of the source (its status) is no news for ops.
    std::fs::write(
        root.join(LOGIN_SPEC),
        edited.replace("status: draft", "status: approved"),
    )
    .unwrap();
    assert!(!check(root).contains("route-"), "{}", check(root));
}

#[test]
fn acknowledge_creates_the_field_beside_other_entries() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let spec = login_spec("Sessions last 30 days.").replace(
        "status: draft\n",
        "status: draft\nroutes: [../../../infrastructure-ops/research/login-alerts-research.md, ../../../infrastructure-ops/research/login-audit-research.md]\n",
    );
    let audit = "agentops/infrastructure-ops/research/login-audit-research.md";
    write(
        root,
        &[
            (
                "agentops/product-dev/specs/2025-11-06-login/planning/requirements.md",
                LOGIN_REQUIREMENTS,
            ),
            (LOGIN_SPEC, &spec),
            (
                ALERTS,
                &format!("---\ndate: 2025-11-10\n---\n{}", alerts_research()),
            ),
            (
                audit,
                &alerts_research().replace("Login Alerts", "Login Audit"),
            ),
        ],
    );
    let out = check(root);
    assert!(
        out.contains(&format!("{ALERTS}:4:1: warning[route-stale]: The product-dev spec `2025-11-06-login` routes here and was never acknowledged")),
        "{out}"
    );
    run_fix(root, ALERTS, "Acknowledge the product-dev spec");
    run_fix(root, audit, "Acknowledge the product-dev spec");
    let alerts = std::fs::read_to_string(root.join(ALERTS)).unwrap();
    assert!(
        alerts.starts_with("---\ndate: 2025-11-10\nrouted_from:\n  - path: "),
        "{alerts}"
    );
    let audit_text = std::fs::read_to_string(root.join(audit)).unwrap();
    assert!(
        audit_text.starts_with("---\nrouted_from:\n  - path: "),
        "{audit_text}"
    );
    assert!(!check(root).contains("route-"), "{}", check(root));
}

/// Two specs route to one research: each "Acknowledge …" sits on its own
/// source's finding and records only that source; "Acknowledge all" records both.
#[test]
fn acknowledge_the_source_the_finding_is_about() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let signup = "agentops/product-dev/specs/2025-11-07-signup/spec.md";
    let routes =
        "status: draft\nroutes: [../../../infrastructure-ops/research/login-alerts-research.md]\n";
    let login = login_spec("Sessions last 30 days.").replace("status: draft\n", routes);
    let sign = login
        .replace("Login 🔐", "Sign-up")
        .replace("Sessions last 30 days.", "Sign up with email.");
    write(
        root,
        &[
            (
                "agentops/product-dev/specs/2025-11-06-login/planning/requirements.md",
                LOGIN_REQUIREMENTS,
            ),
            (
                "agentops/product-dev/specs/2025-11-07-signup/planning/requirements.md",
                &LOGIN_REQUIREMENTS.replace("Login", "Sign-up"),
            ),
            (LOGIN_SPEC, &login),
            (signup, &sign),
            (ALERTS, &alerts_research()),
        ],
    );
    run(root, ALERTS, "Acknowledge all 2 sources routing here");
    assert!(!check(root).contains("route-"), "{}", check(root));
    let acked = std::fs::read_to_string(root.join(ALERTS)).unwrap();
    assert_eq!(acked.matches("- path:").count(), 2, "{acked}");

    // Both specs change: two findings, one per entry.
    std::fs::write(root.join(LOGIN_SPEC), login.replace("30 days", "14 days")).unwrap();
    std::fs::write(root.join(signup), sign.replace("email", "a passkey")).unwrap();
    let mut ws = Workspace::new(root);
    workspace::scan(&mut ws, &CacheMode::Off);
    let art = ws.artifacts.get(ALERTS).unwrap();
    let all = fixes::fixes(&ws, art, &acked);
    let titles: Vec<&str> = all.iter().map(|f| f.action.title.as_str()).collect();
    let on_signup = all
        .iter()
        .find(|f| f.about.as_deref() == Some(signup))
        .unwrap_or_else(|| panic!("{titles:?}"));
    assert_eq!(
        on_signup.action.title,
        "Acknowledge the product-dev spec `2025-11-07-signup`"
    );
    // Offered on the sign-up entry, the second one.
    let second = acked.match_indices("- path:").nth(1).unwrap().0 + 2;
    assert_eq!(on_signup.at.start as usize, second, "{acked}");
    apply(root, &on_signup.action);
    let out = check(root);
    assert!(out.contains("`2025-11-06-login` changed since"), "{out}");
    assert!(!out.contains("`2025-11-07-signup` changed since"), "{out}");
    assert_eq!(out.matches("warning[route-stale]").count(), 1, "{out}");
    let after = std::fs::read_to_string(root.join(ALERTS)).unwrap();
    assert_eq!(after.matches("- path:").count(), 2, "{after}");
}

/// A slash-command argument that names a file by its bare name is one of
/// the places a rename rewrites: not news for the route's target. A quoted
/// topic is content, and is.
#[test]
fn a_renamed_bare_command_argument_leaves_the_route_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let spec = login_spec(
        "Sessions last 30 days: `/plan login-alerts-research`, then `/research \"session expiry\"`.",
    )
    .replace(
        "status: draft\n",
        "status: draft\nroutes: [../../../infrastructure-ops/research/login-alerts-research.md]\n",
    );
    write(
        root,
        &[
            (
                "agentops/product-dev/specs/2025-11-06-login/planning/requirements.md",
                LOGIN_REQUIREMENTS,
            ),
            (LOGIN_SPEC, &spec),
            (ALERTS, &alerts_research()),
        ],
    );
    run_fix(root, ALERTS, "Acknowledge the product-dev spec");
    assert!(!check(root).contains("route-"), "{}", check(root));
    let renamed = spec.replace("/plan login-alerts-research", "/plan login-alarms-research");
    std::fs::write(root.join(LOGIN_SPEC), &renamed).unwrap();
    assert!(!check(root).contains("route-stale"), "{}", check(root));
    let topic = renamed.replace("session expiry", "session length");
    std::fs::write(root.join(LOGIN_SPEC), topic).unwrap();
    assert!(check(root).contains("route-stale"), "{}", check(root));
}

/// Advance walks a Kiro spec from requirements to design to tasks: each file
/// made from its kind's template, and the workspace checks clean after each.
#[test]
fn advance_a_kiro_spec() {
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/kiro-app");
    let req = ".kiro/specs/password-reset/requirements.md";
    write(
        dir.path(),
        &[(req, &std::fs::read_to_string(example.join(req)).unwrap())],
    );
    assert_eq!(check(dir.path()), "");
    run(dir.path(), req, "Advance to Design");
    let design = dir.path().join(".kiro/specs/password-reset/design.md");
    let text = std::fs::read_to_string(&design).unwrap();
    assert!(text.starts_with("# Design Document\n"), "{text}");
    assert_eq!(check(dir.path()), "");
    // A design still holding its placeholders is not finished: written, it is.
    let written = ".kiro/specs/password-reset/design.md";
    std::fs::write(
        &design,
        std::fs::read_to_string(example.join(written)).unwrap(),
    )
    .unwrap();
    run(
        dir.path(),
        ".kiro/specs/password-reset/design.md",
        "Advance to Tasks",
    );
    let tasks =
        std::fs::read_to_string(dir.path().join(".kiro/specs/password-reset/tasks.md")).unwrap();
    assert!(tasks.contains("_Requirements: 1.1_"), "{tasks}");
    // The template's one citation leaves the other criteria uncovered: the matrix starts there.
    let found = check(dir.path());
    assert!(found.contains("requirement-uncovered"), "{found}");
    assert!(!found.contains("task-requirement-unknown"), "{found}");
}

/// Advance from an OpenSpec proposal offers the next phase's artifact.
#[test]
fn advance_an_openspec_change() {
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/openspec-app");
    let proposal = "openspec/changes/add-two-factor-auth/proposal.md";
    write(
        dir.path(),
        &[
            ("openspec/project.md", "# Project Context\n"),
            (
                proposal,
                &std::fs::read_to_string(example.join(proposal)).unwrap(),
            ),
        ],
    );
    assert_eq!(check(dir.path()), "");
    let mut ws = Workspace::new(dir.path());
    workspace::scan(&mut ws, &CacheMode::Off);
    let text = std::fs::read_to_string(dir.path().join(proposal)).unwrap();
    let all = actions::actions(&ws, ws.artifacts.get(proposal).unwrap(), &text);
    let titles: Vec<&str> = all.iter().map(|a| a.title.as_str()).collect();
    assert!(
        titles.contains(&"Advance to Spec deltas: create design.md"),
        "{titles:?}"
    );
    run(dir.path(), proposal, "Advance to Spec deltas");
    assert_eq!(check(dir.path()), "");
}
