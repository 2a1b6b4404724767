//! artifact-unknown and spec-folder-name: what the path says about the file.

use crate::artifact::{Artifact, Class};
use crate::workspace::Workspace;

use super::Sink;

pub fn check(ws: &Workspace, art: &Artifact, sink: &mut Sink) {
    match &art.class {
        Class::Unclaimed => {
            let folder = art.path.split('/').nth(1).unwrap_or("");
            let known: Vec<&str> = ws.schemas.folder_names().collect();
            let mut known = known;
            known.sort();
            sink.push(
                "artifact-unknown",
                art.anchor(),
                format!(
                    "`{}/{folder}` is not a flavor folder (known: {}); map it in agentops.toml [flavors.folders] or add a flavor.toml there",
                    ws.artifacts_dir(),
                    known.join(", ")
                ),
            );
        }
        Class::Unknown { flavor } => {
            let expected: Vec<String> = ws
                .schemas
                .flavor(flavor)
                .map(|f| {
                    f.def
                        .kinds
                        .iter()
                        .flat_map(|k| k.paths.iter().cloned())
                        .collect()
                })
                .unwrap_or_default();
            sink.push(
                "artifact-unknown",
                art.anchor(),
                format!(
                    "this file matches no artifact kind of `{flavor}`; its kinds live at: {}",
                    expected.join(", ")
                ),
            );
        }
        Class::Known { captures, .. } => folder_name(ws, art, captures, sink),
    }
}

/// Reported once per work item, on its earliest artifact in kind order.
fn folder_name(ws: &Workspace, art: &Artifact, captures: &[(String, String)], sink: &mut Sink) {
    let Some(flavor) = ws.flavor_of(art) else {
        return;
    };
    let problems = flavor.capture_problems(captures);
    if problems.is_empty() {
        return;
    }
    let order = |a: &Artifact| {
        a.class
            .kind()
            .and_then(|k| flavor.def.kinds.iter().position(|x| x.id == k))
            .unwrap_or(usize::MAX)
    };
    let first = ws
        .work_item_peers(art)
        .min_by(|a, b| (order(a), &a.path).cmp(&(order(b), &b.path)));
    if first.is_some_and(|f| f.path != art.path) {
        return;
    }
    for (name, why) in problems {
        sink.push(
            "spec-folder-name",
            art.anchor(),
            format!("folder name {why} (the `{{{name}}}` of `{}`)", art.path),
        );
    }
}
