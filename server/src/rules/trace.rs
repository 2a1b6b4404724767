//! requirement-uncovered, task-requirement-unknown: requirement ids (Kiro
//! `1.2`, spec-kit `FR-001`) against the tasks that cite them, within a
//! work item.

use std::collections::HashSet;

use crate::artifact::Artifact;
use crate::schema::Kind;
use crate::workspace::Workspace;

use super::Sink;

pub fn check(ws: &Workspace, art: &Artifact, kind: &Kind, sink: &mut Sink) {
    if kind.cites.is_some() && !art.citations.is_empty() {
        unknown(ws, art, sink);
    }
    if kind.requirements.is_some() && !art.requirement_ids.is_empty() {
        uncovered(ws, art, sink);
    }
}

/// The requirement ids the work item of `art` declares, and whether any
/// artifact of it declares requirements at all.
pub fn declared<'a>(ws: &'a Workspace, art: &'a Artifact) -> (Vec<&'a Artifact>, HashSet<&'a str>) {
    let sources: Vec<&Artifact> = ws
        .work_item_peers(art)
        .filter(|a| ws.kind_of(a).is_some_and(|k| k.requirements.is_some()))
        .collect();
    let ids = sources
        .iter()
        .flat_map(|a| a.requirement_ids.iter().map(|r| r.id.as_str()))
        .collect();
    (sources, ids)
}

/// Whether a citation of `cited` covers requirement `id`: the same id, a
/// requirement around it (`1` covers `1.2`), or one inside it.
pub fn covers(cited: &str, id: &str) -> bool {
    cited == id
        || id.strip_prefix(cited).is_some_and(|r| r.starts_with('.'))
        || cited.strip_prefix(id).is_some_and(|r| r.starts_with('.'))
}

fn unknown(ws: &Workspace, art: &Artifact, sink: &mut Sink) {
    let (sources, ids) = declared(ws, art);
    // Without the requirements document nothing can be judged.
    let Some(first) = sources.first() else {
        return;
    };
    // Ids are numbers more often than words: a nearest one is no typo
    // fix (`3.1` is as near `1.1` as `3.2`), so the first known ones are
    // listed. Chosen once, not per citation.
    let mut known: Vec<&str> = ids.iter().copied().collect();
    known.sort_unstable();
    let shown = known.len().min(8);
    let more = if known.len() > shown { ", …" } else { "" };
    let declares = format!(
        "{}{more}",
        known.get(..shown).unwrap_or_default().join(", ")
    );
    let whose = if sources.len() == 1 {
        first.path.as_str()
    } else {
        "this work item"
    };
    for c in &art.citations {
        if ids.contains(c.id.as_str()) {
            continue;
        }
        let msg = format!(
            "`{}` is not a requirement of {whose} (it declares {declares})",
            c.id
        );
        sink.push_once("task-requirement-unknown", &c.id, c.range, msg);
    }
}

fn uncovered(ws: &Workspace, art: &Artifact, sink: &mut Sink) {
    let citing: Vec<&Artifact> = ws
        .work_item_peers(art)
        .filter(|a| ws.kind_of(a).is_some_and(|k| k.cites.is_some()))
        .collect();
    let cited: HashSet<&str> = citing
        .iter()
        .flat_map(|a| a.citations.iter().map(|c| c.id.as_str()))
        .collect();
    // Tasks that cite nothing do not keep traceability: no finding then.
    if cited.is_empty() {
        return;
    }
    // By hash, not by scans: 100,000 requirements and 100,000 citations
    // are checked in linear time. `1.2` has parts `1`; a cited `1.2.3`
    // covers its wholes `1.2` and `1`.
    let wholes = |id: &'_ str| -> Vec<usize> { id.match_indices('.').map(|(i, _)| i).collect() };
    let with_parts: HashSet<&str> = art
        .requirement_ids
        .iter()
        .flat_map(|r| wholes(&r.id).into_iter().filter_map(|i| r.id.get(..i)))
        .collect();
    let cited_wholes: HashSet<&str> = cited
        .iter()
        .flat_map(|c| wholes(c).into_iter().filter_map(|i| c.get(..i)))
        .collect();
    let tasks = citing
        .iter()
        .map(|a| a.path.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    for r in &art.requirement_ids {
        // A requirement with numbered criteria is covered through them.
        let id = r.id.as_str();
        let covered = cited.contains(id)
            || cited_wholes.contains(id)
            || wholes(id)
                .into_iter()
                .any(|i| id.get(..i).is_some_and(|w| cited.contains(w)));
        if with_parts.contains(id) || covered {
            continue;
        }
        sink.push(
            "requirement-uncovered",
            r.range,
            format!("requirement `{}` is cited by no task of {tasks}", r.id),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn citations_cover_parts_and_wholes() {
        assert!(covers("1.2", "1.2"));
        assert!(covers("1", "1.2"));
        assert!(covers("1.2", "1"));
        assert!(!covers("1.2", "1.20"));
        assert!(!covers("1", "11.2"));
        assert!(!covers("FR-001", "FR-0011"));
    }
}
