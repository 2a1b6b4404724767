//! Starting work at the engine level, on examples/my-startup: a roadmap item,
//! `agentops.new`'s "New spec / research / plan", and templates filled with
//! the work item's name, true counts and the earlier phase's seed.

use std::path::{Path, PathBuf};

use agentops_lsp::features::actions::{self, Action, FileOp};
use agentops_lsp::features::start;
use agentops_lsp::text::TextRange;
use agentops_lsp::workspace::{self, CacheMode, Workspace};

const ROADMAP: &str = "agentops/product-dev/product/roadmap.md";
const NOTIFY_SPEC: &str = "agentops/product-dev/specs/2025-11-08-notification-system/spec.md";

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/my-startup")
}

fn scanned(root: &Path) -> Workspace {
    let mut ws = Workspace::new(root);
    workspace::scan(&mut ws, &CacheMode::Off);
    ws
}

fn created(a: &Action) -> (&str, &str) {
    match a.ops.as_slice() {
        [FileOp::Create { path, text }] => (path, text),
        other => panic!("not one create: {other:?}"),
    }
}

/// The byte range of the roadmap line starting with `prefix`.
fn line(text: &str, prefix: &str) -> TextRange {
    let at = text.find(&format!("\n{prefix}")).unwrap() + 1;
    TextRange::from_usize(at + 3, at + 3)
}

#[test]
fn a_roadmap_item_starts_its_spec_folder() {
    let root = example();
    let ws = scanned(&root);
    let text = std::fs::read_to_string(root.join(ROADMAP)).unwrap();
    let art = ws.artifacts.get(ROADMAP).unwrap();
    // Payment integration has its folder (2025-11-07-payment-integration).
    assert!(start::item_actions(&ws, art, line(&text, "2. [ ] Payment")).is_empty());
    // Checked items are done work.
    assert!(start::item_actions(&ws, art, line(&text, "1. [x] User")).is_empty());
    let [a] = start::item_actions(&ws, art, line(&text, "4. [ ] Class"))
        .try_into()
        .unwrap();
    let (path, new) = created(&a);
    let today = actions::today();
    assert_eq!(
        path,
        format!("agentops/product-dev/specs/{today}-class-scheduling/planning/requirements.md")
    );
    assert_eq!(a.title, format!("Start Spec requirements: create {path}"));
    assert!(new.starts_with("# Spec Requirements: Class scheduling\n\n## Initial Description\nClass scheduling — Recurring classes with capacity, bookings against a membership's entitlement and a waitlist.\n"), "{new}");
    // Advance on the roadmap: the first open item not started.
    let next = start::next_item(&ws, art).unwrap();
    assert_eq!(created(&next).0, path);
}

#[test]
fn new_spec_research_and_plan() {
    let ws = scanned(&example());
    let spec = ws.artifacts.get(NOTIFY_SPEC).unwrap();
    let today = actions::today();
    // New spec: the folder starts with its requirements (spec needs them by name).
    let a = start::new_work(&ws, Some(spec), None, "spec", "Team invites").unwrap();
    let (path, text) = created(&a);
    assert_eq!(
        path,
        format!("agentops/product-dev/specs/{today}-team-invites/planning/requirements.md")
    );
    assert!(
        text.contains("## Initial Description\nTeam invites\n"),
        "{text}"
    );
    // New research with no document: the first flavor in use that has one.
    let a = start::new_work(
        &ws,
        None,
        Some("infrastructure-ops"),
        "research",
        "Cache warming",
    )
    .unwrap();
    let (path, text) = created(&a);
    assert_eq!(
        path,
        "agentops/infrastructure-ops/research/cache-warming-research.md"
    );
    assert!(text.contains("# Research: Cache warming\n"), "{text}");
    assert!(
        text.contains("## Problem Statement\nCache warming\n"),
        "{text}"
    );
    // New plan: alone, for its research is linked by a field (other work).
    let a = start::new_work(&ws, None, Some("infrastructure-ops"), "plan", "Edge cache").unwrap();
    assert_eq!(
        created(&a).0,
        "agentops/infrastructure-ops/plans/edge-cache-plan.md"
    );
    // No research of that name: no `research:` naming a file that is not there.
    let plan = created(&a).1;
    assert!(plan.starts_with("---\nstatus: Draft\ndate: "), "{plan}");
    assert!(!plan.contains("research:"), "{plan}");
    // With its research there, the plan links it.
    let a = start::new_work(
        &ws,
        None,
        Some("infrastructure-ops"),
        "plan",
        "Disaster recovery",
    )
    .unwrap();
    assert!(
        created(&a)
            .1
            .contains("\nresearch: ../research/disaster-recovery-research.md\n"),
        "{}",
        created(&a).1
    );
    // Refusals say why.
    let e = start::new_work(&ws, Some(spec), None, "nonsense", "X").unwrap_err();
    assert!(e.contains("nonsense"), "{e}");
    let e = start::new_work(&ws, Some(spec), None, "spec", " !! ").unwrap_err();
    assert!(e.contains("title"), "{e}");
    // A name that exists already: refused, never overwritten.
    let e = start::new_work(
        &ws,
        None,
        Some("infrastructure-ops"),
        "research",
        "k8s upgrade",
    )
    .unwrap_err();
    assert!(e.contains("exists"), "{e}");
}

#[test]
fn tasks_are_titled_by_the_work_item_and_counted() {
    let ws = scanned(&example());
    let spec = ws.artifacts.get(NOTIFY_SPEC).unwrap();
    let a = actions::create_kind(&ws, spec, "tasks").unwrap();
    let (_, text) = created(&a);
    assert!(
        text.starts_with("# Task Breakdown: Notification System\n"),
        "{text}"
    );
    let boxes = text
        .lines()
        .filter(|l| l.trim_start().starts_with("- [ ]"))
        .count();
    assert_eq!(boxes, 4);
    assert!(text.contains("Total Tasks: 4\n"), "{text}");
}

#[test]
fn the_spec_is_seeded_from_the_requirements_and_declares_produces() {
    let dir = tempfile::tempdir().unwrap();
    let req = "agentops/product-dev/specs/2025-12-01-café-sync/planning/requirements.md";
    let req = req.replace("café", "cafe");
    let full = dir.path().join(&req);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(
        &full,
        "---\nstatus: complete\n---\n# Spec Requirements: Café sync\n\n## Initial Description\nOffline-first sync of the café's bookings.\n\n## Requirements Discussion\nx\n\n## Visual Assets\nNone.\n\n## Requirements Summary\n\n### Functional Requirements\n- Sync\n",
    )
    .unwrap();
    let ws = scanned(dir.path());
    let art = ws.artifacts.get(&req).unwrap();
    let a = actions::advance(&ws, art);
    let a = a
        .iter()
        .find(|a| a.title.starts_with("Advance to Spec writing"))
        .unwrap();
    let (path, text) = created(a);
    assert_eq!(
        path,
        "agentops/product-dev/specs/2025-12-01-cafe-sync/spec.md"
    );
    assert!(
        text.contains("\nproduces: []\n---\n\n# Specification: Café sync\n"),
        "{text}"
    );
    assert!(
        text.contains("## Goal\nOffline-first sync of the café's bookings.\n\nFrom [Spec Requirements: Café sync](planning/requirements.md).\n"),
        "{text}"
    );
}
