//! The status report as text: a legend, then per flavor the items that need
//! someone first, each with its timeline, dates, counts and what to do next.
//! Keys, folders and blockers come from the repository's names: control
//! characters in them are escaped, so a crafted folder name cannot forge a line.

use crate::schema::{Layout, LayoutSource};
use crate::text::PathBase;
use crate::text::echo::escape_controls as esc;

use super::{Attention, ItemStatus, Report};

pub use crate::text::PathBase as Paths;

pub fn human(r: &Report, base: &PathBase) -> String {
    let mut out = format!("status of {} on {}\n", esc(&r.root), r.today);
    out.push_str(&format!("legend: {}\n", r.legend));
    out.push_str(&layouts(&r.layouts));
    for f in &r.flavors {
        out.push_str(&format!("\n{} — {}\n", esc(&f.name), esc(&f.title)));
        for i in &f.items {
            item(&mut out, i, base);
        }
        if !f.routes_awaiting.is_empty() {
            out.push_str("  routes awaiting acknowledgement\n");
        }
        for r in &f.routes_awaiting {
            let why = r.changed.as_deref().unwrap_or("never acknowledged");
            out.push_str(&format!(
                "    {} ← {}: {}\n",
                esc(&base.show(&r.target)),
                esc(&base.show(&r.source)),
                esc(why)
            ));
        }
    }
    if !r.stale_bundles.is_empty() {
        out.push_str("\nstale bundles (re-save before resuming from them)\n");
        for b in &r.stale_bundles {
            let changed: Vec<String> = b.changed.iter().map(|c| base.show(c)).collect();
            out.push_str(&format!(
                "  {}  — changed since the save: {}\n",
                esc(&b.name),
                esc(&changed.join(", "))
            ));
        }
    }
    out
}

fn item(out: &mut String, i: &ItemStatus, base: &PathBase) {
    let urgent = matches!(
        i.attention,
        Attention::Stale | Attention::Awaiting | Attention::Blocked
    );
    let mark = if urgent { "!" } else { " " };
    let what = match &i.state.current {
        Some(c) => format!("{}: {}", i.attention.word(), esc(c)),
        None => "done".to_string(),
    };
    out.push_str(&format!("{mark} {}  {what}\n", esc(&i.state.key)));
    out.push_str(&format!("      {}\n", esc(&i.timeline)));
    let mut facts = Vec::new();
    if let Some(d) = &i.dates.started {
        facts.push(format!("started {d}"));
    }
    if let Some(d) = &i.dates.last_change {
        facts.push(format!("last change {d}"));
    }
    if let (Some(n), Some(c)) = (i.dates.days_in_phase, &i.state.current) {
        let s = if n == 1 { "" } else { "s" };
        facts.push(format!("{n} day{s} in {}", esc(c)));
    }
    if let Some(t) = i.tasks {
        facts.push(format!("tasks {}/{}", t.done, t.total));
    }
    for a in &i.approvals {
        let kind = a.artifact.rsplit('/').next().unwrap_or(&a.artifact);
        facts.push(format!("approved by {} ({})", esc(&a.by), esc(kind)));
    }
    if !facts.is_empty() {
        out.push_str(&format!("      {}\n", facts.join(" · ")));
    }
    let label = match i.attention {
        Attention::Ready => "next",
        Attention::InProgress => "to finish",
        _ => "blocked by",
    };
    for b in &i.state.blockers {
        out.push_str(&format!(
            "      {label}: {}\n",
            esc(&rebase(b, &i.artifacts, base))
        ));
    }
    for s in &i.routes_awaiting {
        out.push_str(&format!(
            "      route awaiting acknowledgement from {}\n",
            esc(&base.show(s))
        ));
    }
    // The file to open: the current phase's, else the latest.
    let file = i
        .state
        .current
        .as_ref()
        .and_then(|c| i.state.phases.iter().find(|p| &p.id == c))
        .and_then(|p| p.artifacts.first())
        .or(i.artifacts.last());
    if let Some(f) = file {
        out.push_str(&format!("      file: {}\n", esc(&base.show(f))));
    }
}

/// A blocker with its root-relative path (`create P`, `P is …`) on the base.
fn rebase(blocker: &str, artifacts: &[String], base: &PathBase) -> String {
    if let Some(rest) = blocker.strip_prefix("create ") {
        return format!("create {}", base.show(rest));
    }
    match artifacts.iter().find(|a| blocker.starts_with(a.as_str())) {
        Some(a) => base.show(&format!("{a}{}", blocker.get(a.len()..).unwrap_or(""))),
        None => blocker.to_string(),
    }
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
