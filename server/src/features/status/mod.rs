//! The project's status: per flavor, each work item and where it stands.
//! One report for `agentops-lsp status`, `agentops/status` and `agentops.status`.

mod facts;
pub mod html;
mod human;

use serde::Serialize;

pub use facts::{Approval, Attention, Dates, ItemDates, Tasks};
pub use human::{Paths, human, layouts};

use crate::schema::Layout;
use crate::workspace::Workspace;
use crate::workspace::phases::{self, ItemState, PhaseStatus};

#[derive(Debug, Serialize)]
pub struct Report {
    pub root: String,
    /// The day "days in phase" counts to (`SOURCE_DATE_EPOCH` pins it).
    pub today: String,
    /// What the marks of `timeline` mean.
    pub legend: String,
    /// Where each flavor's artifacts were found, and what showed it.
    pub layouts: Vec<Layout>,
    pub flavors: Vec<FlavorStatus>,
    /// Bundles whose sources changed since the save: resuming from them
    /// would start from an outdated digest.
    pub stale_bundles: Vec<StaleBundle>,
}

#[derive(Debug, Serialize)]
pub struct StaleBundle {
    pub name: String,
    pub path: String,
    pub changed: Vec<String>,
}

/// The workspace's stale bundles, by name.
fn stale_bundles(ws: &Workspace) -> Vec<StaleBundle> {
    use crate::bundle::state::{State, state};
    crate::bundle::all(ws)
        .into_iter()
        .filter_map(|b| match state(ws, b.art) {
            State::Stale(changed) => Some(StaleBundle {
                name: b.name,
                path: b.art.path.clone(),
                changed,
            }),
            _ => None,
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct FlavorStatus {
    pub name: String,
    pub title: String,
    pub items: Vec<ItemStatus>,
    /// Routes into this flavor whose target has not acknowledged its
    /// source's current version (`docs/links.md#acknowledging-a-route`).
    #[serde(rename = "routesAwaiting")]
    pub routes_awaiting: Vec<AwaitingRoute>,
}

/// A route awaiting acknowledgement, listed under its target's flavor (where the work is).
#[derive(Debug, Serialize)]
pub struct AwaitingRoute {
    pub source: String,
    pub target: String,
    /// `never` (never acknowledged) or `changed`.
    pub state: &'static str,
    /// What changed since the acknowledged version: "edited `Goal`; added `Rollout`".
    pub changed: Option<String>,
}

fn awaiting(ws: &Workspace) -> Vec<(String, AwaitingRoute)> {
    use crate::workspace::routes::{Standing, pending};
    pending(ws)
        .into_iter()
        .filter_map(|(s, t, st)| {
            let (state, changed) = match st {
                Standing::Changed(_, c) => ("changed", s.version.as_ref().map(|v| c.describe(v))),
                _ => ("never", None),
            };
            Some((
                t.class.flavor()?.to_string(),
                AwaitingRoute {
                    source: s.path.clone(),
                    target: t.path.clone(),
                    state,
                    changed,
                },
            ))
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct ItemStatus {
    #[serde(flatten)]
    pub state: ItemState,
    pub artifacts: Vec<String>,
    pub timeline: String,
    /// What needs someone first; items are listed in this order.
    pub attention: Attention,
    #[serde(flatten)]
    pub dates: ItemDates,
    /// Who approved which of its artifacts (`approved_by`, `approved_at`).
    pub approvals: Vec<Approval>,
    /// Checkboxes of its task lists, approval checklists aside.
    pub tasks: Option<Tasks>,
    /// Names of stale bundles saved from (or being) its artifacts.
    pub stale_bundles: Vec<String>,
    /// Sources of routes into its artifacts awaiting acknowledgement.
    pub routes_awaiting: Vec<String>,
}

/// The marks of the timelines and the order of the items, in one line.
pub const LEGEND: &str = "✓ done  → current phase  … under way  · not started  – skipped  ! needs attention (stale bundle, route awaiting acknowledgement, blocked); most urgent first";

pub fn report(ws: &Workspace) -> Report {
    report_with(ws, &Dates::read(ws))
}

pub fn report_with(ws: &Workspace, dates: &Dates) -> Report {
    let items = ws.items();
    let today = crate::time::now_secs() / 86_400;
    let stale = stale_bundles(ws);
    let mut awaiting = awaiting(ws);
    let mut flavors: Vec<FlavorStatus> = Vec::new();
    for flavor in &ws.schemas.flavors {
        let mut its: Vec<ItemStatus> = items
            .items
            .iter()
            .filter(|i| i.flavor == flavor.name())
            .filter_map(|i| {
                let mut state = phases::item_state(ws, i)?;
                let own_stale = mark_stale(&mut state, &stale);
                let stale_bundles: Vec<String> = stale
                    .iter()
                    .filter(|b| {
                        own_stale.contains(&b.name)
                            || b.changed.iter().any(|c| i.artifacts.contains(c))
                    })
                    .map(|b| b.name.clone())
                    .collect();
                let routes_awaiting: Vec<String> = awaiting
                    .iter()
                    .filter(|(_, r)| i.artifacts.contains(&r.target))
                    .map(|(_, r)| r.source.clone())
                    .collect();
                Some(ItemStatus {
                    timeline: phases::timeline(&state),
                    attention: facts::attention(
                        &state,
                        !stale_bundles.is_empty(),
                        !routes_awaiting.is_empty(),
                    ),
                    dates: facts::item_dates(ws, dates, &state, today),
                    approvals: facts::approvals(ws, &i.artifacts),
                    tasks: facts::tasks(ws, &i.artifacts),
                    state,
                    artifacts: i.artifacts.clone(),
                    stale_bundles,
                    routes_awaiting,
                })
            })
            .collect();
        its.sort_by(|a, b| {
            (
                a.attention,
                std::cmp::Reverse(a.dates.days_in_phase),
                &a.state.key,
            )
                .cmp(&(
                    b.attention,
                    std::cmp::Reverse(b.dates.days_in_phase),
                    &b.state.key,
                ))
        });
        let (routes_awaiting, rest) = awaiting.into_iter().partition(|(f, _)| f == flavor.name());
        awaiting = rest;
        let routes_awaiting: Vec<AwaitingRoute> =
            routes_awaiting.into_iter().map(|(_, r)| r).collect();
        if its.is_empty() && routes_awaiting.is_empty() {
            continue;
        }
        flavors.push(FlavorStatus {
            name: flavor.name().to_string(),
            title: flavor.def.flavor.title.clone(),
            items: its,
            routes_awaiting,
        });
    }
    Report {
        root: ws.root.display().to_string(),
        today: crate::time::date(today),
        legend: LEGEND.to_string(),
        layouts: ws.schemas.layouts.clone(),
        flavors,
        stale_bundles: stale,
    }
}

/// A stale bundle's phase is not done: it is under way again until re-saved.
/// Returns the names of the item's own stale bundles.
fn mark_stale(state: &mut ItemState, stale: &[StaleBundle]) -> Vec<String> {
    let mut names = Vec::new();
    for p in &mut state.phases {
        for b in stale.iter().filter(|b| p.artifacts.contains(&b.path)) {
            p.status = PhaseStatus::InProgress;
            p.detail = Some(format!("stale: {} changed", b.changed.len()));
            names.push(b.name.clone());
            state.blockers.push(format!(
                "{} is stale: re-save it (agentops-lsp bundle save {} --overwrite)",
                b.path, b.name
            ));
        }
    }
    if !names.is_empty() {
        state.current = state
            .phases
            .iter()
            .find(|p| p.status != PhaseStatus::Done && p.status != PhaseStatus::Skipped)
            .map(|p| p.id.clone());
    }
    names
}
