//! code-path-missing: a declared code path that names nothing on disk.
//!
//! How much it matters follows the work item's phase: before the item
//! reaches its last phase the code is not due, so a missing path is a hint
//! and paths listed to create are not reported at all; from then on it is a
//! warning, and paths listed to delete may be gone. A path on a task line
//! follows its task instead: due when checked, not yet when open; a path in
//! a section with checkboxes (a plan's `## Phase 2`) follows them: due once
//! one is checked. A plan whose progress is its checkboxes and has none
//! checked has not started: nothing it names is reported. One finding per
//! path: the other places naming it are its related locations.

use crate::artifact::Artifact;
use crate::schema::CodePathAction;
use crate::text::TextRange;
use crate::workspace::Workspace;
use crate::workspace::code_map::{self, Found};
use crate::workspace::phases::{PhaseStatus, item_state, unstarted};

use super::{Severity, Sink};

pub fn check(ws: &Workspace, art: &Artifact, sink: &mut Sink) {
    if art.code_paths.is_empty() {
        return;
    }
    if ws.kind_of(art).is_some_and(|k| unstarted(art, k)) {
        return;
    }
    let phase_due = implementation_reached(ws, art);
    // A bare file name (`duration_calculator.py` under Existing Code) names
    // a file wherever it is: the workspace's files, listed once if needed.
    let mut all_files: Option<std::sync::Arc<Vec<String>>> = None;
    for cp in &art.code_paths {
        // On a task line the task says it best: checked, the code must be
        // there; open, it is future work whatever the phase. Elsewhere the
        // checkboxes of the section it is in (a plan's phase) say it.
        let due = art
            .tasks
            .iter()
            .find(|t| t.range.contains(cp.range.start))
            .map(|t| t.checked)
            .or_else(|| section_started(art, cp.range))
            .unwrap_or(phase_due);
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
        if found == Found::Missing && is_file_name(&cp.path) {
            let files = all_files.get_or_insert_with(|| ws.fs.glob_files("**/*"));
            let suffix = format!("/{}", cp.path);
            if files.iter().any(|f| *f == cp.path || f.ends_with(&suffix)) {
                continue;
            }
        }
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
        let cause = code_map::normalize(&cp.path).unwrap_or_else(|| cp.path.clone());
        sink.push_once_at("code-path-missing", severity, &cause, cp.range, msg);
    }
}

/// `name.ext` alone: no folder, no glob.
fn is_file_name(path: &str) -> bool {
    !path.contains(['/', '\\', '*', '?', '[', '{'])
}

/// Whether the smallest section around `at` that holds checkboxes (below the
/// title) has one checked; None when no such section holds any.
fn section_started(art: &Artifact, at: TextRange) -> Option<bool> {
    art.sections
        .iter()
        .filter(|s| s.level >= 2 && s.extent().contains_range(at))
        .rev()
        .find_map(|s| {
            let mut tasks = art
                .tasks
                .iter()
                .filter(|t| s.extent().contains_range(t.range))
                .peekable();
            tasks.peek()?;
            Some(tasks.any(|t| t.checked))
        })
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
    // When no kind records the flavor's last phase (a plan is executed in
    // place, `thoughts/shared/plans`), the code is due once every phase the
    // item has is done, not as soon as the plan exists.
    let recorded = ws
        .flavor_of(art)
        .and_then(|f| f.def.phases.last())
        .is_none_or(|p| p.id == last.id);
    if !recorded {
        return state.current.is_none();
    }
    last.status != PhaseStatus::NotStarted || state.current.as_ref().is_none_or(|c| *c == last.id)
}
