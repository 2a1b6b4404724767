//! One artifact from arbitrary bytes: decoding, frontmatter, block and inline
//! parse, extraction and every rule, for several kinds of both built-in
//! flavors (and a path no flavor claims), through the public library API.
#![no_main]

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use agentops_lsp::artifact::Parsers;
use agentops_lsp::rules::check_artifact;
use agentops_lsp::workspace::{Workspace, from_bytes};
use libfuzzer_sys::fuzz_target;

/// Where the same bytes are read as: each path is a different kind.
const PATHS: &[&str] = &[
    "agentops/product-dev/specs/2025-11-06-fuzz/spec.md",
    "agentops/product-dev/specs/2025-11-06-fuzz/tasks.md",
    "agentops/product-dev/specs/2025-11-06-fuzz/planning/requirements.md",
    "agentops/product-dev/product/roadmap.md",
    "agentops/infrastructure-ops/research/fuzz-research.md",
    "agentops/infrastructure-ops/plans/fuzz-plan.md",
    ".agentops/bundles/fuzz-plan.md",
    "agentops/notes/unclaimed.md",
];

struct Fixture {
    ws: Workspace,
    parsers: Parsers,
}

/// A root with both flavor folders (so both flavors are in use) and no files:
/// links resolve against it and find nothing, as in a fresh clone.
fn fixture() -> &'static Mutex<Fixture> {
    static F: OnceLock<Mutex<Fixture>> = OnceLock::new();
    F.get_or_init(|| {
        let root: PathBuf = std::env::temp_dir().join("agentops-lsp-fuzz-root");
        for dir in [
            "agentops/product-dev",
            "agentops/infrastructure-ops",
            ".agentops/bundles",
        ] {
            let _ = std::fs::create_dir_all(root.join(dir));
        }
        let mut ws = Workspace::new(&root);
        // Rules about other files run only on a complete index.
        ws.complete = true;
        Mutex::new(Fixture {
            ws,
            parsers: Parsers::default(),
        })
    })
}

fuzz_target!(|data: &[u8]| {
    let mut guard = fixture().lock().unwrap_or_else(|e| e.into_inner());
    let Fixture { ws, parsers } = &mut *guard;
    for rel in PATHS {
        let art = from_bytes(parsers, &ws.schemas, ws.artifacts_dir(), rel, data);
        ws.upsert(art);
        if let Some(art) = ws.artifacts.get(*rel) {
            let _ = check_artifact(ws, art);
        }
        ws.remove(rel);
    }
});
