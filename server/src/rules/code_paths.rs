//! code-path-missing: a declared code path that names nothing on disk.
//!
//! How much it matters follows the work item's phase: before the item
//! reaches its last phase the code is not due, so a missing path is a hint
//! and paths listed to create are not reported at all; from then on it is a
//! warning, and paths listed to delete may be gone. A path on a task line
//! follows its task instead: due when checked, not yet when open.

use crate::artifact::Artifact;
use crate::schema::CodePathAction;
use crate::workspace::Workspace;
use crate::workspace::code_map::{self, Found};
use crate::workspace::phases::{PhaseStatus, item_state};

use super::{Severity, Sink};

pub fn check(ws: &Workspace, art: &Artifact, sink: &mut Sink) {
    if art.code_paths.is_empty() {
        return;
    }
    let phase_due = implementation_reached(ws, art);
    for cp in &art.code_paths {
        // On a task line the task says it best: checked, the code must be
        // there; open, it is future work whatever the phase.
        let due = art
            .tasks
            .iter()
            .find(|t| t.range.contains(cp.range.start))
            .map_or(phase_due, |t| t.checked);
        let report = match cp.action {
            CodePathAction::Create => due,
            CodePathAction::Delete => !due,
            CodePathAction::Produce | CodePathAction::Edit | CodePathAction::Reference => true,
        };
        if !report {
            continue;
        }
        let Some(found) = code_map::find(ws, cp) else {
            continue;
        };
        let severity = if due {
            Severity::Warning
        } else {
            Severity::Hint
        };
        let msg = match found {
            Found::Missing => format!("`{}` does not exist", cp.path),
            Found::Outside => format!("`{}` {}", cp.path, crate::workspace::read::OUTSIDE),
            Found::Glob(0) => format!("`{}` matches no file", cp.path),
            Found::File => match (cp.line, code_map::normalize(&cp.path)) {
                (Some(line), Some(rel)) => match ws.fs.line_count(&ws.root.join(rel)) {
                    Some(n) if line > n || line == 0 => format!(
                        "`{}` has {n} line{}; line {line} is not in it",
                        cp.path,
                        if n == 1 { "" } else { "s" }
                    ),
                    _ => continue,
                },
                _ => continue,
            },
            _ => continue,
        };
        sink.push_at("code-path-missing", severity, cp.range, msg);
    }
}

/// Whether the artifact's work item has reached its last phase (or finished):
/// from then on its code is due.
pub fn implementation_reached(ws: &Workspace, art: &Artifact) -> bool {
    let items = ws.items();
    let Some(state) = items.of(&art.path).and_then(|i| item_state(ws, i)) else {
        return false;
    };
    let Some(last) = state.phases.last() else {
        return false;
    };
    last.status != PhaseStatus::NotStarted || state.current.as_ref().is_none_or(|c| *c == last.id)
}
