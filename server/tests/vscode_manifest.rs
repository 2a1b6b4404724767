//! The VS Code extension starts on every layout the server detects: each flavor's
//! `roots` (grammars/flavors/*.toml) is covered by one of the extension's
//! `workspaceContains:` activation events (editors/vscode/package.json).

use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the server crate is in the repository")
}

/// The folder part of an activation glob: `specs/[0-9]…/*.md` → `specs`.
fn base(glob: &str) -> &str {
    let end = glob.find(['*', '[', '?', '{']).unwrap_or(glob.len());
    glob[..end].trim_end_matches('/')
}

#[test]
fn every_flavor_root_activates_the_extension() {
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("editors/vscode/package.json")).unwrap(),
    )
    .unwrap();
    let bases: Vec<&str> = manifest["activationEvents"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e.as_str()?.strip_prefix("workspaceContains:"))
        .map(base)
        .collect();
    let mut roots = vec!["agentops".to_string()];
    for entry in std::fs::read_dir(repo().join("grammars/flavors")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let def: toml::Value = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let flavor = def.get("flavor").unwrap_or(&def);
        for root in flavor
            .get("roots")
            .and_then(|r| r.as_array())
            .into_iter()
            .flatten()
        {
            roots.push(root.as_str().unwrap().to_string());
        }
    }
    assert!(roots.len() > 5, "flavor roots read: {roots:?}");
    let uncovered: Vec<&String> = roots
        .iter()
        .filter(|r| {
            !bases
                .iter()
                .any(|b| r.as_str() == *b || r.starts_with(&format!("{b}/")))
        })
        .collect();
    assert!(
        uncovered.is_empty(),
        "flavor roots with no workspaceContains activation event: {uncovered:?} (events: {bases:?})"
    );
}
