//! Renames at the engine level: the edits for a move (a spec folder, a code
//! folder, an artifact) or a heading rename are applied to a copy of
//! `examples/my-startup`, the move is made, and `check` must report exactly
//! what it reported before — while the move alone breaks links.

mod common;
use common::copy_dir;
use std::path::{Path, PathBuf};

use agentops_lsp::features::actions::FileOp;
use agentops_lsp::features::rename::{Move, file_moves, moved};
use agentops_lsp::features::{anchors, trace};
use agentops_lsp::rules::{self, Severity};
use agentops_lsp::workspace::{self, CacheMode, Workspace};

fn example() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("my-startup");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/my-startup"),
        &root,
    );
    (dir, root)
}

fn index(root: &Path) -> Workspace {
    let mut ws = Workspace::new(root);
    workspace::scan(&mut ws, &CacheMode::Off);
    ws
}

/// (path, code, severity, message), paths carried through `moves`.
fn findings(root: &Path, moves: &[Move]) -> Vec<(String, &'static str, Severity, String)> {
    let ws = index(root);
    // A rename edits the sources a saved bundle recorded: the bundle goes
    // stale (re-save it) by design, and that is judged in bundle_cli.rs.
    // What a rename must keep is everything else.
    let mut out: Vec<_> = rules::check_workspace(&ws)
        .into_iter()
        .filter(|d| !d.code.starts_with("bundle-"))
        .map(|d| {
            let path = moved(&d.path, moves).unwrap_or(d.path);
            (path, d.code, d.severity, d.message)
        })
        .collect();
    out.sort();
    out
}

/// Applies edits (byte ranges in the files as they are), as a client would.
fn apply(root: &Path, ops: &[FileOp]) {
    for op in ops {
        match op {
            FileOp::Edit { path, edits } => {
                let file = root.join(path);
                let mut text = std::fs::read_to_string(&file).unwrap();
                let mut edits = edits.clone();
                edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
                for (r, new) in edits {
                    text.replace_range(r.start as usize..r.end as usize, &new);
                }
                std::fs::write(&file, text).unwrap();
            }
            FileOp::Rename { from, to } => make_move(root, from, to),
            FileOp::Create { path, text } => {
                assert!(!root.join(path).exists());
                std::fs::write(root.join(path), text).unwrap();
            }
        }
    }
}

fn make_move(root: &Path, from: &str, to: &str) {
    let dest = root.join(to);
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    std::fs::rename(root.join(from), dest).unwrap();
}

fn moves() -> Vec<Move> {
    [
        (
            "agentops/product-dev/specs/2025-11-06-user-authentication",
            "agentops/product-dev/specs/2025-11-06-user-auth",
        ),
        ("src/auth", "src/core/identity"),
        (
            "agentops/infrastructure-ops/research/k8s-upgrade-research.md",
            "agentops/infrastructure-ops/research/kubernetes-upgrade-research.md",
        ),
    ]
    .into_iter()
    .map(|(from, to)| Move {
        from: from.into(),
        to: to.into(),
    })
    .collect()
}

#[test]
fn moving_a_spec_folder_a_code_folder_and_an_artifact_keeps_check_clean() {
    let (_dir, root) = example();
    let moves = moves();
    let before = findings(&root, &moves);

    let ws = index(&root);
    let text_of = |p: &str| std::fs::read_to_string(root.join(p)).ok();
    let ops = file_moves(&ws, &moves, &text_of);
    drop(ws);
    let edited: Vec<&str> = ops
        .iter()
        .filter_map(|op| match op {
            FileOp::Edit { path, .. } => Some(path.as_str()),
            _ => None,
        })
        .collect();
    for expected in [
        // a `[auth-spec]: …` reference definition
        "agentops/product-dev/product/roadmap.md",
        // an inline link with an anchor, and an Existing Code path
        "agentops/product-dev/specs/2025-11-07-payment-integration/spec.md",
        // task lines `… in src/auth/x.ts`, inside the moving folder
        "agentops/product-dev/specs/2025-11-06-user-authentication/tasks.md",
        // `research:` and a body link
        "agentops/infrastructure-ops/plans/k8s-upgrade-plan.md",
        // a bundle's digest link
        ".agentops/bundles/k8s-upgrade-research.md",
        // `/plan k8s-upgrade-research.md` in the research's own next steps
        "agentops/infrastructure-ops/research/k8s-upgrade-research.md",
    ] {
        assert!(
            edited.contains(&expected),
            "{expected} not edited: {edited:?}"
        );
    }

    // The moves alone break links and declared paths.
    let (_bare_dir, bare) = example();
    for m in &moves {
        make_move(&bare, &m.from, &m.to);
    }
    let broken = findings(&bare, &moves);
    assert!(
        broken.iter().any(|f| f.1 == "link-broken") && broken.len() > before.len(),
        "{broken:#?}"
    );

    apply(&root, &ops);
    for m in &moves {
        make_move(&root, &m.from, &m.to);
    }
    // The payment spec's links and paths were rewritten, which is not news
    // for the research that acknowledged it: its version leaves them out, so
    // nothing is stale and check says exactly what it said before.
    assert_eq!(findings(&root, &moves), before);

    // The backward map follows: the moved code is still claimed by its spec's tasks.
    let ws = index(&root);
    let claims = trace::specs_for_path(&ws, "src/core/identity/login.ts", false);
    assert_eq!(
        claims.first().map(|c| c.path.as_str()),
        Some("agentops/product-dev/specs/2025-11-06-user-auth/tasks.md")
    );
}

#[test]
fn renaming_a_heading_updates_every_anchor_link() {
    let (_dir, root) = example();
    let research = "agentops/infrastructure-ops/research/k8s-upgrade-research.md";
    let plan = "agentops/infrastructure-ops/plans/k8s-upgrade-plan.md";
    let before = findings(&root, &[]);
    let ws = index(&root);
    let art = ws.artifacts.get(research).unwrap();
    let text = std::fs::read_to_string(root.join(research)).unwrap();
    let offset = text.find("### Constraints Identified").unwrap() as u32 + 8;
    let index_of = anchors::heading_at(art, offset).unwrap();
    let links = anchors::links_to(&ws, art, index_of);
    // The plan, and the plan bundle's digest, which copies the plan's link.
    assert_eq!(
        links.iter().map(|l| l.path.as_str()).collect::<Vec<_>>(),
        [".agentops/bundles/k8s-upgrade-plan.md", plan]
    );
    assert_eq!(
        anchors::prepare(art, offset).map(|r| r.slice(&text).to_string()),
        Some("Constraints Identified".into())
    );
    let ops = anchors::rename(&ws, art, offset, "Constraints").unwrap();
    drop(ws);
    apply(&root, &ops);
    let plan_text = std::fs::read_to_string(root.join(plan)).unwrap();
    assert!(plan_text.contains("k8s-upgrade-research.md#constraints)"));
    assert!(
        std::fs::read_to_string(root.join(research))
            .unwrap()
            .contains("### Constraints\n")
    );
    assert_eq!(findings(&root, &[]), before);
}
