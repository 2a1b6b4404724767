//! What `status` adds to a work item's phases: dates, approvals, task
//! counts, and how urgently it needs someone (`Attention`).

use std::collections::HashMap;

use serde::Serialize;

use crate::artifact::Artifact;
use crate::time;
use crate::workspace::Workspace;
use crate::workspace::phases::{ItemState, PhaseStatus};

/// Frontmatter fields that say when an artifact was begun, in order of trust.
const STARTED: &[&str] = &["created", "created_at", "started", "date"];
/// Frontmatter fields that say when an artifact last changed.
const CHANGED: &[&str] = &[
    "last_updated",
    "last-updated",
    "updated",
    "updated_at",
    "approved_at",
    "date",
    "created",
];

/// What needs someone first; the order `status` lists items in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attention {
    /// A bundle of the item is stale: resuming from it starts from old text.
    Stale,
    /// A route into the item awaits acknowledgement.
    Awaiting,
    /// A prerequisite of the current phase is not met.
    Blocked,
    /// The current phase is under way.
    InProgress,
    /// The current phase can start.
    Ready,
    Done,
}

impl Attention {
    pub fn word(self) -> &'static str {
        match self {
            Attention::Stale => "stale bundle",
            Attention::Awaiting => "awaiting acknowledgement",
            Attention::Blocked => "blocked",
            Attention::InProgress => "in progress",
            Attention::Ready => "ready to start",
            Attention::Done => "done",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Approval {
    pub artifact: String,
    pub by: String,
    pub at: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Tasks {
    pub done: usize,
    pub total: usize,
}

/// First and last day (since the epoch) of each artifact, from its
/// frontmatter and, where git has it, its committed history.
pub struct Dates {
    git: HashMap<String, (u64, u64)>,
}

impl Dates {
    /// One bounded `git log` over the layouts' folders (nothing without git).
    pub fn read(ws: &Workspace) -> Dates {
        let folders: Vec<String> = ws
            .schemas
            .layouts
            .iter()
            .flat_map(|l| l.folders.iter().cloned())
            .chain(std::iter::once(ws.artifacts_dir().to_string()))
            .collect();
        Dates {
            git: crate::workspace::git::file_dates(&ws.root, &folders),
        }
    }

    #[cfg(test)]
    pub fn none() -> Dates {
        Dates {
            git: HashMap::new(),
        }
    }

    /// (first, last) day of one artifact.
    pub fn of(&self, art: &Artifact) -> (Option<u64>, Option<u64>) {
        let field = |names: &[&str]| {
            let fm = art.frontmatter.as_ref()?;
            names
                .iter()
                .filter_map(|n| fm.get(n)?.value.single())
                .find_map(|v| time::days_of(v.trim()))
        };
        let git = self
            .git
            .get(&art.path)
            .map(|(f, l)| (f / 86_400, l / 86_400));
        let first = [field(STARTED), git.map(|g| g.0)]
            .into_iter()
            .flatten()
            .min();
        let last = [field(CHANGED), git.map(|g| g.1), first]
            .into_iter()
            .flatten()
            .max();
        (first, last)
    }
}

/// Dates of an item: started, last change, and since when it is in its current phase.
#[derive(Debug, Default, Clone, Serialize)]
pub struct ItemDates {
    pub started: Option<String>,
    pub last_change: Option<String>,
    pub phase_since: Option<String>,
    pub days_in_phase: Option<u64>,
}

pub fn item_dates(ws: &Workspace, dates: &Dates, state: &ItemState, today: u64) -> ItemDates {
    let of = |p: &String| ws.artifacts.get(p).map(|a| dates.of(a));
    let all: Vec<(Option<u64>, Option<u64>)> = state
        .phases
        .iter()
        .flat_map(|p| p.artifacts.iter().filter_map(of))
        .collect();
    // A dated folder (`2025-11-07-payments`) says when the work began.
    let started = all
        .iter()
        .filter_map(|d| d.0)
        .chain(time::days_of(&state.key))
        .min();
    let last = all.iter().filter_map(|d| d.1).max();
    let since = state.current.as_ref().and_then(|c| {
        let idx = state.phases.iter().position(|p| &p.id == c)?;
        let here = state.phases.get(idx)?;
        if here.status == PhaseStatus::NotStarted {
            // Waiting since the phases before it last changed.
            state
                .phases
                .get(..idx)?
                .iter()
                .flat_map(|p| p.artifacts.iter().filter_map(of))
                .filter_map(|d| d.1)
                .max()
                .or(started)
        } else {
            here.artifacts
                .iter()
                .filter_map(of)
                .filter_map(|d| d.0)
                .min()
        }
    });
    ItemDates {
        started: started.map(time::date),
        last_change: last.map(time::date),
        phase_since: since.map(time::date),
        days_in_phase: since.map(|s| today.saturating_sub(s)),
    }
}

pub fn approvals(ws: &Workspace, artifacts: &[String]) -> Vec<Approval> {
    artifacts
        .iter()
        .filter_map(|p| {
            let fm = ws.artifacts.get(p)?.frontmatter.as_ref()?;
            let by = fm.get("approved_by")?.value.single()?.trim().to_string();
            let at = fm
                .get("approved_at")
                .and_then(|f| f.value.single())
                .map(|s| s.trim().to_string());
            (!by.is_empty()).then(|| Approval {
                artifact: p.clone(),
                by,
                at,
            })
        })
        .collect()
}

/// Checkboxes of the item's artifacts whose progress is their boxes (not
/// approval checklists); None when there are none.
pub fn tasks(ws: &Workspace, artifacts: &[String]) -> Option<Tasks> {
    let (mut done, mut total) = (0, 0);
    for p in artifacts {
        let Some(a) = ws.artifacts.get(p) else {
            continue;
        };
        let Some(rule) = ws.kind_of(a).and_then(|k| k.status.as_ref()) else {
            continue;
        };
        // A sign-off checklist is no task list, nor is a report that
        // repeats the tasks of another file.
        if rule.checklist.is_some() || !rule.tasks {
            continue;
        }
        total += a.tasks.len();
        done += a.tasks.iter().filter(|t| t.checked).count();
    }
    (total > 0).then_some(Tasks { done, total })
}

pub fn attention(state: &ItemState, stale: bool, awaiting: bool) -> Attention {
    let current = state
        .current
        .as_ref()
        .and_then(|c| state.phases.iter().find(|p| &p.id == c));
    match current {
        _ if stale => Attention::Stale,
        _ if awaiting => Attention::Awaiting,
        None => Attention::Done,
        Some(_) if state.blockers.iter().any(|b| b.starts_with("needs ")) => Attention::Blocked,
        Some(p) if p.status == PhaseStatus::NotStarted => Attention::Ready,
        Some(_) => Attention::InProgress,
    }
}
