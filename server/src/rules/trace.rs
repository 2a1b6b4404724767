//! requirement-uncovered, task-requirement-unknown: requirement ids (Kiro
//! `1.2`, spec-kit `FR-001`) against the tasks that cite them, within a
//! work item.

use std::collections::{HashMap, HashSet};

use crate::artifact::Artifact;
use crate::artifact::blocks::RequirementId;
use crate::artifact::citations::ALL;
use crate::schema::{FindingLevel, Kind};
use crate::text::TextRange;
use crate::workspace::Workspace;

use super::{Related, Severity, Sink};

pub fn check(ws: &Workspace, art: &Artifact, kind: &Kind, sink: &mut Sink) {
    if kind.cites.is_some() && !art.citations.is_empty() {
        unknown(ws, art, sink);
    }
    if let Some(rule) = &kind.requirements
        && !art.requirement_ids.is_empty()
    {
        let level = match rule.uncovered {
            Some(FindingLevel::Error) => Severity::Error,
            Some(FindingLevel::Warning) | None => Severity::Warning,
            Some(FindingLevel::Info) => Severity::Info,
            Some(FindingLevel::Hint) => Severity::Hint,
        };
        uncovered(ws, art, level, sink);
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
    cited == ALL
        || cited == id
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
        if c.id == ALL || ids.contains(c.id.as_str()) {
            continue;
        }
        let msg = format!(
            "`{}` is not a requirement of {whose} (it declares {declares})",
            c.id
        );
        sink.push_once("task-requirement-unknown", &c.id, c.range, msg);
    }
}

fn uncovered(ws: &Workspace, art: &Artifact, level: Severity, sink: &mut Sink) {
    let citing: Vec<&Artifact> = ws
        .work_item_peers(art)
        .filter(|a| ws.kind_of(a).is_some_and(|k| k.cites.is_some()))
        .collect();
    let cited: HashSet<&str> = citing
        .iter()
        .flat_map(|a| a.citations.iter().map(|c| c.id.as_str()))
        .collect();
    // Tasks that cite nothing do not keep traceability: no finding then;
    // a task citing all of them covers every one.
    if cited.is_empty() || cited.contains(ALL) {
        return;
    }
    let tasks = citing
        .iter()
        .map(|a| a.path.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    // By hash, not by scans: 100,000 requirements and 100,000 citations are
    // checked in linear time. `covers` in sets: a cited `1.2.3` covers its
    // wholes `1.2` and `1`; a cited `1` covers its parts.
    let cited_wholes: HashSet<&str> = cited.iter().flat_map(|c| wholes(c)).collect();
    let mut parts: HashMap<&str, Vec<&RequirementId>> = HashMap::new();
    for r in &art.requirement_ids {
        for w in wholes(&r.id) {
            parts.entry(w).or_default().push(r);
        }
    }
    let dropped = dropped_extents(art);
    let is_uncovered = |r: &RequirementId| {
        let id = r.id.as_str();
        let covered = cited.contains(id)
            || cited_wholes.contains(id)
            || wholes(id).any(|w| cited.contains(w));
        // A requirement its heading says was descoped needs no task.
        !covered && !within(&dropped, r.range.start)
    };
    // One finding per cause: a requirement none of whose criteria any task
    // cites is one finding on the requirement, its criteria related; a
    // requirement some of whose criteria are cited has one per criterion left.
    let mut whole: HashSet<&str> = HashSet::new();
    for r in &art.requirement_ids {
        let Some(parts) = parts.get(r.id.as_str()) else {
            continue;
        };
        if !is_uncovered(r) || !parts.iter().all(|p| is_uncovered(p)) {
            continue;
        }
        whole.insert(r.id.as_str());
        let msg = format!(
            "requirement `{}` is cited by no task of {tasks}: none of its {} criteria",
            r.id,
            parts.len()
        );
        if let Some(d) = sink.push_at("requirement-uncovered", level, r.range, msg) {
            d.related.extend(parts.iter().map(|p| Related {
                path: art.path.clone(),
                range: p.range,
                message: format!("criterion `{}`", p.id),
            }));
        }
    }
    for r in &art.requirement_ids {
        // A requirement with numbered criteria is covered through them.
        if parts.contains_key(r.id.as_str())
            || !is_uncovered(r)
            || wholes(&r.id).any(|w| whole.contains(w))
        {
            continue;
        }
        sink.push_at(
            "requirement-uncovered",
            level,
            r.range,
            format!("requirement `{}` is cited by no task of {tasks}", r.id),
        );
    }
}

/// The wholes of a dotted id, outermost first: `1.2.3` → `1`, `1.2`.
fn wholes(id: &str) -> impl Iterator<Item = &str> {
    id.match_indices('.').filter_map(|(i, _)| id.get(..i))
}

/// The extents of the blocks whose heading says they were dropped, merged
/// into disjoint ranges in order, for a binary search per requirement.
fn dropped_extents(art: &Artifact) -> Vec<TextRange> {
    let mut spans: Vec<TextRange> = art
        .blocks
        .iter()
        .filter(|b| crate::artifact::blocks::dropped(art, b))
        .map(|b| b.extent())
        .collect();
    spans.sort_unstable_by_key(|r| r.start);
    let mut merged: Vec<TextRange> = Vec::with_capacity(spans.len());
    for r in spans {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// Whether `at` lies in one of the disjoint, ordered `spans`.
fn within(spans: &[TextRange], at: u32) -> bool {
    let i = spans.partition_point(|r| r.start <= at);
    i.checked_sub(1)
        .and_then(|i| spans.get(i))
        .is_some_and(|r| r.contains(at))
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
        assert!(covers(super::ALL, "3.4"));
    }
}
