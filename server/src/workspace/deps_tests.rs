//! The indexes kept current edit by edit equal the ones built from scratch,
//! and an edit's cost does not grow with the workspace: counted, not timed.

use std::path::Path;

use super::*;
use crate::artifact::Parsers;
use crate::workspace::{Workspace, from_text};

const DIR: &str = "agentops/infrastructure-ops";

/// Research notes link to topic 0's plan and run a command on it when
/// `linked`; the others link elsewhere, so topic 0's dependents are the same
/// few notes at every workspace size.
fn research(linked: bool) -> String {
    let to = if linked { "t0-plan.md" } else { "other.md" };
    format!(
        "# Research: Topic\n\n## Summary\nSee the [plan](../plans/{to}#approach).\n\n\
         ```\n/implement {to} --execute\n```\n"
    )
}

fn plan(status: &str, heading: &str) -> String {
    format!(
        "---\nstatus: {status}\n---\n\n\
         # Implementation Plan: Topic é\n\n## Overview\nText.\n\n## {heading}\nSteps.\n"
    )
}

/// A workspace of `n` research notes and `n` plans (one work item per
/// topic). Parsed once per template and copied under each path: parsing
/// 20,000 files in a debug build would take minutes.
fn workspace(dir: &Path, n: usize) -> Workspace {
    let mut ws = Workspace::live(dir);
    let mut parsers = Parsers::default();
    let mut parse =
        |rel: &str, text: &str| from_text(&mut parsers, &ws.schemas, ws.artifacts_dir(), rel, text);
    let linked = parse(&format!("{DIR}/research/t0-research.md"), &research(true));
    let unlinked = parse(&format!("{DIR}/research/t0-research.md"), &research(false));
    let draft = parse(
        &format!("{DIR}/plans/t0-plan.md"),
        &plan("Draft", "Approach"),
    );
    let mut arts = Vec::new();
    for i in 0..n {
        let note = if i < 3 { &linked } else { &unlinked };
        for (template, rel) in [
            (note, format!("{DIR}/research/t{i}-research.md")),
            (&draft, format!("{DIR}/plans/t{i}-plan.md")),
        ] {
            let mut a = template.clone();
            a.class = crate::workspace::classify(&ws.schemas, ws.artifacts_dir(), &rel)
                .map(|(c, _)| c)
                .unwrap_or_default();
            a.path = rel;
            arts.push(a);
        }
    }
    for a in arts {
        ws.artifacts.insert(a.path.clone(), a);
    }
    ws.complete = true;
    ws.forget_indexes();
    ws
}

fn edit(ws: &mut Workspace, rel: &str, text: &str) -> (Vec<String>, usize) {
    let mut parsers = Parsers::default();
    let art = from_text(&mut parsers, &ws.schemas, ws.artifacts_dir(), rel, text);
    let before = visits();
    let old = ws.upsert(art);
    let deps = crate::lsp::analysis::dependents(ws, rel, old.as_ref(), ws.artifacts.get(rel));
    for p in std::iter::once(rel).chain(deps.iter().map(String::as_str)) {
        if let Some(a) = ws.artifacts.get(p) {
            crate::rules::check_artifact(ws, a);
        }
    }
    (deps, visits() - before)
}

/// Every index as kept equals the index built again from the artifacts.
fn assert_current(ws: &Workspace) {
    assert!(Deps::compute(ws).same_as(ws.deps()));
    assert!(Peers::compute(ws) == *ws.peers.get_or_init(|| Peers::compute(ws)));
    assert!(crate::workspace::runs::Runs::compute(ws) == *ws.runs());
    assert!(crate::workspace::routes::Incoming::compute(ws) == *ws.routes_in());
}

/// The edits of one plan at workspace size `n`: what each one made
/// dependent, and how many artifacts whole-workspace builds visited.
/// `verify`: also compare every index with one built again after each edit
/// (a pass over the workspace each: done at the smaller size only).
fn edits_at(n: usize, verify: bool) -> Vec<(Vec<String>, usize)> {
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = workspace(tmp.path(), n);
    // Every index built once, as a server's first check of all files does.
    ws.items();
    ws.deps();
    ws.runs();
    ws.routes_in();
    if let Some(a) = ws.artifacts.values().next() {
        ws.work_item_peers(a).count();
    }
    let assert_current = |ws: &Workspace| verify.then(|| assert_current(ws));
    assert_current(&ws);
    let rel = format!("{DIR}/plans/t0-plan.md");
    let note = format!("{DIR}/research/t0-research.md");
    let mut out = Vec::new();
    // Prose typed, a heading renamed (who links to it), the status moved
    // (who runs a command on it), then back.
    for (status, heading) in [
        ("Draft", "Approach é"),
        ("Draft", "Approach"),
        ("Approved", "Approach"),
        ("Draft", "Approach"),
    ] {
        out.push(edit(&mut ws, &rel, &plan(status, heading)));
        assert_current(&ws);
    }
    // A research note losing and regaining its link and command.
    out.push(edit(&mut ws, &note, &research(false)));
    assert_current(&ws);
    out.push(edit(&mut ws, &note, &research(true)));
    assert_current(&ws);
    out
}

#[test]
fn an_edit_costs_the_same_at_1k_and_10k() {
    let small = edits_at(1_000, true);
    let large = edits_at(10_000, false);
    // The same dependents at both sizes, and no edit made a whole-workspace build.
    assert_eq!(small, large);
    for (deps, visits) in &small {
        assert_eq!(*visits, 0, "an edit rebuilt an index: {deps:?}");
    }
    // The renamed heading reaches the notes linking to it; the status, the
    // notes running a command on the plan.
    let notes: Vec<String> = (0..3)
        .map(|i| format!("{DIR}/research/t{i}-research.md"))
        .collect();
    assert_eq!(small[0].0, notes);
    assert_eq!(small[2].0, notes);
}
