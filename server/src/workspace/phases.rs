//! Where a work item stands: each phase done, under way or not started, the
//! current phase, and what blocks it — all read from the flavor schema.

use serde::Serialize;

use crate::artifact::Artifact;
use crate::rules::status_in;
use crate::schema::{Flavor, Kind, PrerequisiteState};

use super::Workspace;
use super::items::WorkItem;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PhaseStatus {
    Done,
    InProgress,
    NotStarted,
    /// Optional and passed over: later phases have started.
    Skipped,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseState {
    pub id: String,
    pub title: String,
    pub status: PhaseStatus,
    /// `approved`, `12/20 tasks`, the status value…
    pub detail: Option<String>,
    pub artifacts: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemState {
    pub flavor: String,
    pub key: String,
    pub phases: Vec<PhaseState>,
    /// The first phase not done, if any.
    pub current: Option<String>,
    pub blockers: Vec<String>,
}

/// Whether one artifact has finished its phase, and a word on why.
///
/// Never finished while it still holds its template's placeholder lines, nor
/// while a finished status is contradicted by open checkboxes the kind
/// requires checked (`done_requires_checked`).
pub fn artifact_state(art: &Artifact, kind: &Kind) -> (bool, Option<String>) {
    if !art.placeholders.is_empty() {
        let n = art.placeholders.len();
        let s = if n == 1 { "" } else { "s" };
        return (
            false,
            Some(format!("template unfilled: {n} placeholder{s}")),
        );
    }
    if art.blank {
        return (false, Some("empty: headings only".into()));
    }
    let Some(rule) = &kind.status else {
        return (true, None);
    };
    let scope = rule
        .checklist
        .as_ref()
        .and_then(|id| crate::artifact::sections::find_section(art, kind, id))
        .map(|s| s.extent());
    let tasks: Vec<_> = art
        .tasks
        .iter()
        .filter(|t| scope.is_none_or(|r| r.contains_range(t.range)))
        .collect();
    let checked = tasks.iter().filter(|t| t.checked).count();
    let noun = if rule.checklist.is_some() {
        "checked"
    } else {
        "tasks"
    };
    if let Some(st) = &art.status {
        let done = status_in(&rule.done, &st.value) || status_in(&rule.approved, &st.value);
        // A status its own checkboxes contradict is not done (phase-status-mismatch).
        if done && rule.done_requires_checked && checked < tasks.len() {
            return (
                false,
                Some(format!("{}, {checked}/{} {noun}", st.value, tasks.len())),
            );
        }
        return (done, Some(st.value.clone()));
    }
    if !tasks.is_empty() {
        return (
            checked == tasks.len(),
            Some(format!("{checked}/{} {noun}", tasks.len())),
        );
    }
    // A kind with an approval checklist is not approved until it says so.
    if rule.checklist.is_some() {
        return (false, Some("not approved".into()));
    }
    // Progress that lives in checkboxes is never assumed.
    if !rule.assume_done {
        return (false, Some("not started".into()));
    }
    (true, None)
}

/// Whether the artifact says it has not started: its kind's progress is its
/// checkboxes (`assume_done = false`), no status says otherwise, and none is checked.
pub fn unstarted(art: &Artifact, kind: &Kind) -> bool {
    let Some(rule) = kind.status.as_ref().filter(|r| !r.assume_done) else {
        return false;
    };
    if let Some(st) = &art.status {
        let v = &st.value;
        if status_in(&rule.done, v)
            || status_in(&rule.approved, v)
            || status_in(&rule.in_progress, v)
        {
            return false;
        }
    }
    !art.tasks.iter().any(|t| t.checked)
}

/// Whether `art` meets `state` (for prerequisites).
pub fn meets(art: &Artifact, kind: &Kind, state: PrerequisiteState) -> bool {
    match state {
        PrerequisiteState::Exists => true,
        PrerequisiteState::Done | PrerequisiteState::Approved => artifact_state(art, kind).0,
    }
}

pub fn item_state(ws: &Workspace, item: &WorkItem) -> Option<ItemState> {
    let flavor = ws.schemas.flavor(&item.flavor)?;
    let arts: Vec<(&Artifact, &Kind)> = item
        .artifacts
        .iter()
        .filter_map(|p| {
            let a = ws.artifacts.get(p)?;
            Some((a, flavor.kind(a.class.kind()?)?))
        })
        .collect();
    let templates: Vec<Option<&String>> = arts.iter().map(|(_, k)| k.work_item.as_ref()).collect();
    let mut phases = Vec::new();
    for phase in &flavor.def.phases {
        let kinds: Vec<&Kind> = flavor
            .def
            .kinds
            .iter()
            .filter(|k| k.phase == phase.id)
            .collect();
        // Only phases whose kinds belong to this kind of item (specs, not product docs).
        if !kinds
            .iter()
            .any(|k| templates.contains(&k.work_item.as_ref()))
        {
            continue;
        }
        let here: Vec<&(&Artifact, &Kind)> =
            arts.iter().filter(|(_, k)| k.phase == phase.id).collect();
        let states: Vec<(bool, Option<String>)> =
            here.iter().map(|(a, k)| artifact_state(a, k)).collect();
        let status = if here.is_empty() {
            PhaseStatus::NotStarted
        } else if states.iter().all(|(d, _)| *d) {
            PhaseStatus::Done
        } else {
            PhaseStatus::InProgress
        };
        phases.push(PhaseState {
            id: phase.id.clone(),
            title: if phase.title.is_empty() {
                phase.id.clone()
            } else {
                phase.title.clone()
            },
            status,
            detail: states.iter().find_map(|(_, d)| d.clone()),
            artifacts: here.iter().map(|(a, _)| a.path.clone()).collect(),
        });
    }
    // Optional phases passed over (no artifact, later phases started) count as passed.
    let last_started = phases
        .iter()
        .rposition(|p| p.status != PhaseStatus::NotStarted);
    for (i, p) in phases.iter_mut().enumerate() {
        if p.status == PhaseStatus::NotStarted && last_started.is_some_and(|l| i < l) {
            p.status = PhaseStatus::Skipped;
        }
    }
    let current = phases
        .iter()
        .find(|p| matches!(p.status, PhaseStatus::InProgress | PhaseStatus::NotStarted))
        .map(|p| p.id.clone());
    let captures: Vec<(String, String)> = match arts.first().map(|(a, _)| &a.class) {
        Some(crate::artifact::Class::Known { captures, .. }) => captures.clone(),
        _ => Vec::new(),
    };
    // Paths to create are root-relative like every other path of the report.
    let base = arts
        .first()
        .and_then(|(a, _)| ws.flavor_base(a))
        .unwrap_or_default();
    let blockers = current
        .as_ref()
        .map(|c| blockers(flavor, &arts, c, &captures, &base))
        .unwrap_or_default();
    Some(ItemState {
        flavor: item.flavor.clone(),
        key: item.key.clone(),
        phases,
        current,
        blockers,
    })
}

/// What stands between the item and finishing phase `phase`.
fn blockers(
    flavor: &Flavor,
    arts: &[(&Artifact, &Kind)],
    phase: &str,
    captures: &[(String, String)],
    base: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    let kinds: Vec<&Kind> = flavor
        .def
        .kinds
        .iter()
        .filter(|k| k.phase == phase)
        .collect();
    let present: Vec<&(&Artifact, &Kind)> = arts.iter().filter(|(_, k)| k.phase == phase).collect();
    if present.is_empty()
        && let Some(k) = kinds.first()
    {
        let cmd = flavor
            .def
            .phases
            .iter()
            .find(|p| p.id == phase)
            .and_then(|p| p.command.clone());
        let via = cmd.map(|c| format!(" ({c})")).unwrap_or_default();
        let path = k.paths.first().map_or(k.id.clone(), |p| {
            format!("{base}{}", crate::schema::fill(p, captures))
        });
        out.push(format!("create {path}{via}"));
    }
    for (a, k) in &present {
        let (done, detail) = artifact_state(a, k);
        if !done {
            out.push(format!(
                "{} is {}",
                a.path,
                detail.unwrap_or_else(|| "not finished".into())
            ));
        }
    }
    for k in &kinds {
        for p in &k.prerequisites {
            let target = arts.iter().find(|(_, pk)| pk.id == p.kind);
            let ok = target.is_some_and(|(a, pk)| p.state.is_none_or(|s| meets(a, pk, s)));
            if !ok {
                let want = match p.state {
                    Some(PrerequisiteState::Approved) => format!("an approved {}", p.kind),
                    Some(PrerequisiteState::Done) => format!("a finished {}", p.kind),
                    _ => format!("a {}", p.kind),
                };
                out.push(format!("needs {want}"));
            }
        }
    }
    out.dedup();
    out
}

/// `✓ research · ✓ plan (approved) · → implement`
pub fn timeline(state: &ItemState) -> String {
    state
        .phases
        .iter()
        .map(|p| {
            let mark = match p.status {
                PhaseStatus::Done => "✓ ",
                _ if state.current.as_deref() == Some(p.id.as_str()) => "→ ",
                PhaseStatus::InProgress => "… ",
                PhaseStatus::NotStarted => "· ",
                PhaseStatus::Skipped => "– ",
            };
            let detail = p
                .detail
                .as_ref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            format!("{mark}{}{detail}", p.id)
        })
        .collect::<Vec<_>>()
        .join(" · ")
}
