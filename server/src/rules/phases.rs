//! phase-prerequisite-missing, work-item-unlinked, and phase-status-mismatch
//! across the artifacts of one work item.

use crate::artifact::Artifact;
use crate::schema::{Kind, PrerequisiteState};
use crate::workspace::Workspace;
use crate::workspace::items::Pairing;
use crate::workspace::phases::{artifact_state, meets};

use super::frontmatter::kind_name;
use super::{Related, Severity, Sink, status_in};

pub fn check(ws: &Workspace, art: &Artifact, kind: &Kind, sink: &mut Sink) {
    let items = ws.items();
    let Some(item) = items.of(&art.path) else {
        return;
    };
    let peers: Vec<(&Artifact, &Kind)> = item
        .artifacts
        .iter()
        .filter(|p| **p != art.path)
        .filter_map(|p| {
            let a = ws.artifacts.get(p)?;
            Some((a, ws.kind_of(a)?))
        })
        .collect();
    let frontmatter_ok = art.frontmatter.as_ref().is_none_or(|f| f.error.is_none());
    let pairings = items.pairings.get(&art.path);
    for p in &kind.prerequisites {
        let pairing = pairings
            .and_then(|ps| ps.iter().find(|(k, _)| *k == p.kind))
            .map(|(_, x)| x);
        match pairing {
            Some(Pairing::Unresolved { value, range }) => {
                sink.push(
                    "phase-prerequisite-missing",
                    *range,
                    format!(
                        "`{}:` names `{value}`, which is not an artifact of kind `{}`",
                        p.via.as_deref().unwrap_or(""),
                        p.kind
                    ),
                );
                continue;
            }
            Some(Pairing::Inferred { target, field }) if frontmatter_ok => {
                let rel = relative_link(&art.path, target);
                if let Some(d) = sink.push(
                    "work-item-unlinked",
                    art.anchor(),
                    format!("paired with `{target}` by name only; declare it in the frontmatter: `{field}: {rel}`"),
                ) {
                    d.related.push(Related { path: target.clone(), range: crate::text::TextRange::new(0, 0), message: "the inferred prerequisite".into() });
                }
            }
            Some(Pairing::Ambiguous { candidates, field }) if frontmatter_ok => {
                sink.push_at(
                    "work-item-unlinked",
                    Severity::Warning,
                    art.anchor(),
                    format!(
                        "could belong to any of {}; declare which with `{field}:`",
                        candidates
                            .iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            _ => {}
        }
        let target = peers.iter().find(|(_, k)| k.id == p.kind);
        match target {
            None => {
                let msg = if p.message.is_empty() {
                    format!(
                        "{} needs an artifact of kind `{}` first",
                        kind_name(kind),
                        p.kind
                    )
                } else {
                    p.message.clone()
                };
                sink.push("phase-prerequisite-missing", art.anchor(), msg);
            }
            Some((t, tk)) => {
                let Some(state) = p.state.filter(|s| *s != PrerequisiteState::Exists) else {
                    continue;
                };
                if !meets(t, tk, state) {
                    let (_, detail) = artifact_state(t, tk);
                    let word = if state == PrerequisiteState::Approved {
                        "approved"
                    } else {
                        "finished"
                    };
                    let msg = format!(
                        "`{}` is {}, not {word}{}",
                        t.path,
                        detail
                            .map(|d| format!("`{d}`"))
                            .unwrap_or_else(|| "unfinished".into()),
                        if p.message.is_empty() {
                            String::new()
                        } else {
                            format!(": {}", p.message)
                        }
                    );
                    let at = art.status.as_ref().map_or(art.anchor(), |s| s.range);
                    if let Some(d) = sink.push("phase-prerequisite-missing", at, msg) {
                        let range = t.status.as_ref().map_or(t.anchor(), |s| s.range);
                        d.related.push(Related {
                            path: t.path.clone(),
                            range,
                            message: format!("its {word} state is decided here"),
                        });
                    }
                }
            }
        }
    }
    done_requires(art, kind, &peers, sink);
}

/// A finished status whose required kinds are not finished, or the reverse.
fn done_requires(art: &Artifact, kind: &Kind, peers: &[(&Artifact, &Kind)], sink: &mut Sink) {
    let (Some(rule), Some(status)) = (&kind.status, &art.status) else {
        return;
    };
    if rule.done_requires.is_empty() {
        return;
    }
    let required: Vec<&(&Artifact, &Kind)> = peers
        .iter()
        .filter(|(_, k)| rule.done_requires.contains(&k.id))
        .collect();
    if required.is_empty() {
        return;
    }
    let unfinished: Vec<(&Artifact, Option<String>)> = required
        .iter()
        .filter_map(|(a, k)| {
            let (done, detail) = artifact_state(a, k);
            (!done).then_some((*a, detail))
        })
        .collect();
    if status_in(&rule.done, &status.value) {
        if let Some((a, detail)) = unfinished.first() {
            let msg = format!(
                "status is `{}` but `{}` is not finished{}",
                status.value,
                a.path,
                detail
                    .as_ref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default()
            );
            if let Some(d) = sink.push("phase-status-mismatch", status.range, msg) {
                d.related.push(Related {
                    path: a.path.clone(),
                    range: a.anchor(),
                    message: "not finished".into(),
                });
            }
        }
    } else if status_in(&rule.in_progress, &status.value) && unfinished.is_empty() {
        let names: Vec<&str> = required.iter().map(|(a, _)| a.path.as_str()).collect();
        sink.push(
            "phase-status-mismatch",
            status.range,
            format!(
                "`{}` {} finished but status is still `{}`",
                names.join("`, `"),
                if names.len() == 1 { "is" } else { "are" },
                status.value
            ),
        );
    }
}

/// `target` relative to the folder of `from`.
pub fn relative_link(from: &str, target: &str) -> String {
    let from_dir: Vec<&str> = from
        .split('/')
        .collect::<Vec<_>>()
        .split_last()
        .map(|(_, d)| d.to_vec())
        .unwrap_or_default();
    let to: Vec<&str> = target.split('/').collect();
    let common = from_dir.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(to.iter().skip(common));
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::relative_link;

    #[test]
    fn relative_links() {
        assert_eq!(
            relative_link("a/plans/p.md", "a/research/r.md"),
            "../research/r.md"
        );
        assert_eq!(relative_link("a/p.md", "a/r.md"), "r.md");
    }
}
