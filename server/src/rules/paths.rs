//! artifact-unknown and spec-folder-name: what the path says about the file.

use crate::artifact::{Artifact, Class};
use crate::workspace::Workspace;

use super::Sink;

pub fn check(ws: &Workspace, art: &Artifact, sink: &mut Sink) {
    match &art.class {
        Class::Unclaimed => {
            let dir = ws.artifacts_dir();
            let rest = art
                .path
                .strip_prefix(dir)
                .and_then(|r| r.strip_prefix('/'))
                .unwrap_or(&art.path);
            let mut known: Vec<&str> = ws.schemas.folder_names().collect();
            known.sort();
            let msg = match rest.split_once('/') {
                None => format!(
                    "`{}` is not inside a flavor folder (`{dir}/<flavor>/`; known: {})",
                    art.path,
                    known.join(", ")
                ),
                Some((folder, _))
                    if ws.root.join(dir).join(folder).join("flavor.toml").is_file() =>
                {
                    format!(
                        "`{dir}/{folder}/flavor.toml` did not load (see its diagnostics), so nothing in `{dir}/{folder}` can be checked"
                    )
                }
                Some((folder, _)) => format!(
                    "`{dir}/{folder}` is not a flavor folder (known: {}); map it in agentops.toml [flavors.folders] or add a flavor.toml there",
                    known.join(", ")
                ),
            };
            sink.push("artifact-unknown", art.anchor(), msg);
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
        Class::NotArtifact { .. } => {}
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
            format!("`{{{name}}}` in this path: {why}"),
        );
    }
}
