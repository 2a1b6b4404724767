//! Starting work from a command line that names it in words: the code action
//! creates the first artifact of the command's phase, from the flavor's data.

use std::path::Path;

use agentops_lsp::features::actions::FileOp;
use agentops_lsp::features::command_actions::{self, Run};
use agentops_lsp::text::TextRange;
use agentops_lsp::workspace::{self, CacheMode, Workspace};

fn write(root: &Path, files: &[(&str, &str)]) {
    for (p, t) in files {
        let full = root.join(p);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, t).unwrap();
    }
}

/// The created (path, text) of the action on the line holding `needle` in `path`.
fn start(root: &Path, path: &str, needle: &str) -> Option<(String, String, String)> {
    let mut ws = Workspace::new(root);
    workspace::scan(&mut ws, &CacheMode::Off);
    let text = std::fs::read_to_string(root.join(path)).unwrap();
    let at = text.find(needle).unwrap() as u32 + 2;
    let art = ws.artifacts.get(path).unwrap();
    command_actions::actions(&ws, art, TextRange::new(at, at), "file:///x")
        .into_iter()
        .find_map(|r| match r {
            Run::Edit(a) if a.title.starts_with("Start ") => match &a.ops[..] {
                [FileOp::Create { path, text }] => {
                    Some((a.title.clone(), path.clone(), text.clone()))
                }
                _ => None,
            },
            _ => None,
        })
}

const NOTES: &str = "# Research: Notes\n\n## Problem Statement\nx\n## Scope\nx\n## Key Findings\nx\n## Recommended Approach\nx\n## Open Questions\nx\n## References\nx\n## Next Steps\n\n```bash\n/research \"Kubernetes upgrade strategy\"\n```\n";

#[test]
fn research_from_a_topic() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[(
            "agentops/infrastructure-ops/research/notes-research.md",
            NOTES,
        )],
    );
    let (title, path, text) = start(
        dir.path(),
        "agentops/infrastructure-ops/research/notes-research.md",
        "/research \"Kube",
    )
    .expect("a start action");
    assert_eq!(
        path,
        "agentops/infrastructure-ops/research/kubernetes-upgrade-strategy-research.md"
    );
    assert!(title.starts_with("Start Research: create "), "{title}");
    assert!(
        text.contains("# Research: Kubernetes upgrade strategy\n"),
        "{text}"
    );
    // The topic is carried into the first placeholder paragraph.
    assert!(
        text.contains("## Problem Statement\nKubernetes upgrade strategy\n"),
        "{text}"
    );
}

#[test]
fn a_dated_spec_folder_from_an_idea() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[(
            "agentops/product-dev/product/roadmap.md",
            "# Product Roadmap\n\n1. [ ] Invites — `/shape-spec team invites by email`\n",
        )],
    );
    let (_, path, text) = start(
        dir.path(),
        "agentops/product-dev/product/roadmap.md",
        "/shape-spec",
    )
    .expect("a start action");
    let today = agentops_lsp::time::today();
    assert_eq!(
        path,
        format!(
            "agentops/product-dev/specs/{today}-team-invites-by-email/planning/requirements.md"
        )
    );
    assert!(text.contains("team invites by email"), "{text}");
    // Never over an existing file.
    write(dir.path(), &[(path.as_str(), "x")]);
    assert!(
        start(
            dir.path(),
            "agentops/product-dev/product/roadmap.md",
            "/shape-spec"
        )
        .is_none()
    );
}
