//! The project's status: per flavor, each work item and where it stands.
//! One report for `agentops-lsp status`, `agentops/status` and `agentops.status`.

use serde::Serialize;

use crate::schema::{Layout, LayoutSource};
use crate::text::echo::escape_controls as esc;
use crate::workspace::Workspace;
use crate::workspace::phases::{self, ItemState};

#[derive(Debug, Serialize)]
pub struct Report {
    pub root: String,
    /// Where each flavor's artifacts were found, and what showed it.
    pub layouts: Vec<Layout>,
    pub flavors: Vec<FlavorStatus>,
    /// Bundles whose sources changed since the save: resuming from them
    /// would start from an outdated digest.
    #[serde(skip_serializing_if = "Vec::is_empty")]
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
    #[serde(rename = "routesAwaiting", skip_serializing_if = "Vec::is_empty")]
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
}

pub fn report(ws: &Workspace) -> Report {
    let items = ws.items();
    let mut awaiting = awaiting(ws);
    let mut flavors: Vec<FlavorStatus> = Vec::new();
    for flavor in &ws.schemas.flavors {
        let its: Vec<ItemStatus> = items
            .items
            .iter()
            .filter(|i| i.flavor == flavor.name())
            .filter_map(|i| {
                let state = phases::item_state(ws, i)?;
                Some(ItemStatus {
                    timeline: phases::timeline(&state),
                    state,
                    artifacts: i.artifacts.clone(),
                })
            })
            .collect();
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
        layouts: ws.schemas.layouts.clone(),
        flavors,
        stale_bundles: stale_bundles(ws),
    }
}

/// The report as text: one block per flavor, one line per work item. Keys,
/// folders and blockers come from the repository's names: control characters
/// in them are escaped, so a crafted folder name cannot forge a line.
pub fn human(r: &Report) -> String {
    let mut out = layouts(&r.layouts);
    for f in &r.flavors {
        out.push_str(&format!("{}\n", esc(&f.name)));
        let width = f
            .items
            .iter()
            .map(|i| esc(&i.state.key).chars().count())
            .max()
            .unwrap_or(0);
        for i in &f.items {
            let tail = match (&i.state.current, i.state.blockers.is_empty()) {
                (None, _) => "  — complete".to_string(),
                (Some(_), true) => String::new(),
                (Some(_), false) => format!("  — {}", esc(&i.state.blockers.join("; "))),
            };
            out.push_str(&format!(
                "  {:<width$}  {}{tail}\n",
                esc(&i.state.key),
                esc(&i.timeline)
            ));
        }
        if !f.routes_awaiting.is_empty() {
            out.push_str("  routes awaiting acknowledgement\n");
        }
        for r in &f.routes_awaiting {
            let why = r.changed.as_deref().unwrap_or("never acknowledged");
            out.push_str(&format!(
                "    {} ← {}: {}\n",
                esc(&r.target),
                esc(&r.source),
                esc(why)
            ));
        }
    }
    if !r.stale_bundles.is_empty() {
        out.push_str("stale bundles (re-save before resuming from them)\n");
        for b in &r.stale_bundles {
            out.push_str(&format!(
                "  {}  — changed since the save: {}\n",
                esc(&b.name),
                esc(&b.changed.join(", "))
            ));
        }
    }
    out
}

/// The layouts block: one line per flavor folder or detected root folders.
pub fn layouts(layouts: &[Layout]) -> String {
    if layouts.is_empty() {
        return String::new();
    }
    let rows: Vec<(String, String, String)> = layouts
        .iter()
        .map(|l| {
            let mut folders = l
                .folders
                .iter()
                .take(3)
                .map(|f| format!("{}/", esc(f)))
                .collect::<Vec<_>>()
                .join(", ");
            // Adopted folders can be many: the first few and a count.
            if l.folders.len() > 3 {
                folders.push_str(&format!(" and {} more", l.folders.len() - 3));
            }
            let why = match l.source {
                LayoutSource::Folder => "flavor folder".to_string(),
                LayoutSource::Detected => format!("found {}", esc(&l.evidence)),
                LayoutSource::Config => "enabled in agentops.toml".to_string(),
                LayoutSource::Adopted => format!("adopted: found {}", esc(&l.evidence)),
            };
            (esc(&l.flavor).into_owned(), folders, why)
        })
        .collect();
    let w1 = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let w2 = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
    let mut out = "layouts\n".to_string();
    for (flavor, folders, why) in rows {
        out.push_str(&format!("  {flavor:<w1$}  {folders:<w2$}  ({why})\n"));
    }
    out
}
