//! phase-prerequisite-missing, work-item-unlinked, and phase-status-mismatch
//! across the artifacts of one work item.

use crate::artifact::Artifact;
use crate::schema::{Kind, PrerequisiteState};
use crate::workspace::Workspace;
use crate::workspace::items::Pairing;
use crate::workspace::phases::{artifact_state, meets};

use super::frontmatter::kind_name;
use super::{Related, Severity, Sink, status_in};
use crate::workspace::resolve::relative_link;

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
    gate(ws, art, kind, sink);
}

/// Implementation under way while the artifact that gates it is not approved:
/// the gated phase's command naming this file (run with `--execute`, or
/// written anywhere but in the file itself), or code it declares it will
/// create or produce already present.
fn gate(ws: &Workspace, art: &Artifact, kind: &Kind, sink: &mut Sink) {
    let Some(flavor) = ws.flavor_of(art) else {
        return;
    };
    let gated: Vec<&Kind> = flavor
        .def
        .kinds
        .iter()
        .filter(|k| {
            k.prerequisites
                .iter()
                .any(|p| p.kind == kind.id && p.state == Some(PrerequisiteState::Approved))
        })
        .collect();
    if gated.is_empty() || artifact_state(art, kind).0 {
        return;
    }
    let commands: Vec<&str> = gated
        .iter()
        .filter_map(|k| {
            flavor
                .def
                .phases
                .iter()
                .find(|p| p.id == k.phase)?
                .command
                .as_deref()
        })
        .collect();
    let file = art.path.rsplit('/').next().unwrap_or(&art.path);
    let mut evidence: Vec<String> = Vec::new();
    // Only lines whose first argument names this file, looked up in the
    // workspace's index (in path order, as a walk of every artifact would be).
    let runs = ws.runs();
    for (path, i) in runs.naming(file) {
        let Some(other) = ws.artifacts.get(path) else {
            continue;
        };
        let Some(c) = other.commands.get(*i) else {
            continue;
        };
        if !commands.contains(&c.name.as_str()) {
            continue;
        }
        let executes = c.args.iter().any(|(a, _)| a == "--execute");
        if executes || other.path != art.path {
            let line = other
                .lines
                .position(c.range.start, crate::text::Encoding::Utf8)
                .line
                + 1;
            evidence.push(format!(
                "`{} {}` in {}:{line}",
                c.name,
                c.args
                    .iter()
                    .map(|(a, _)| a.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                other.path
            ));
        }
    }
    for cp in art.code_paths.iter().filter(|c| {
        matches!(
            c.action,
            crate::schema::CodePathAction::Create | crate::schema::CodePathAction::Produce
        )
    }) {
        if !cp.path.contains('*') && ws.root.join(&cp.path).exists() {
            evidence.push(format!("`{}` exists", cp.path));
        }
    }
    if evidence.is_empty() {
        return;
    }
    let at = art.status.as_ref().map_or(art.anchor(), |s| s.range);
    let more = if evidence.len() > 1 {
        format!(" (and {} more)", evidence.len() - 1)
    } else {
        String::new()
    };
    sink.push(
        "phase-prerequisite-missing",
        at,
        format!(
            "implementation has started ({}{more}) but this {} is not approved",
            evidence.first().map_or("", String::as_str),
            kind_name(kind).to_lowercase()
        ),
    );
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
