//! The requirement matrix: each requirement id, the tasks that cite it and
//! the code those tasks declare. `trace --requirements` prints it; hover on
//! a requirement shows its row; definition on a citation goes to the id.

use std::collections::HashSet;

use crate::artifact::Artifact;
use crate::artifact::blocks::RequirementId;
use crate::rules::trace::covers;
use crate::text::TextRange;
use crate::workspace::Workspace;

/// One requirement id and what meets it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub path: String,
    pub id: String,
    pub range: TextRange,
    pub tasks: Vec<TaskRef>,
}

/// A task citing a requirement, and the code paths it declares.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRef {
    pub path: String,
    pub range: TextRange,
    pub text: String,
    pub checked: bool,
    pub code: Vec<String>,
}

/// Every requirement of the workspace, by file and order of declaration.
pub fn matrix(ws: &Workspace) -> Vec<Row> {
    let mut sources: Vec<&Artifact> = ws
        .artifacts
        .values()
        .filter(|a| !a.requirement_ids.is_empty())
        .collect();
    sources.sort_by(|a, b| a.path.cmp(&b.path));
    sources.into_iter().flat_map(|a| rows_of(ws, a)).collect()
}

/// The rows of one requirements artifact.
pub fn rows_of(ws: &Workspace, art: &Artifact) -> Vec<Row> {
    let citing = citing(ws, art);
    art.requirement_ids
        .iter()
        .map(|r| row(art, r, &citing))
        .collect()
}

/// The artifacts of `art`'s work item that cite requirements, by path.
fn citing<'a>(ws: &'a Workspace, art: &'a Artifact) -> Vec<&'a Artifact> {
    let mut citing: Vec<&Artifact> = ws
        .work_item_peers(art)
        .filter(|a| !a.citations.is_empty())
        .collect();
    citing.sort_by(|a, b| a.path.cmp(&b.path));
    citing
}

fn row(art: &Artifact, r: &RequirementId, citing: &[&Artifact]) -> Row {
    Row {
        path: art.path.clone(),
        id: r.id.clone(),
        range: r.range,
        tasks: tasks_citing(citing, &r.id),
    }
}

fn tasks_citing(citing: &[&Artifact], id: &str) -> Vec<TaskRef> {
    let mut out: Vec<TaskRef> = Vec::new();
    for a in citing {
        // A set: a requirement cited by 100,000 tasks stays linear.
        let mut seen: HashSet<usize> = HashSet::new();
        for c in a.citations.iter().filter(|c| covers(&c.id, id)) {
            let Some(i) = c.task.filter(|i| seen.insert(*i)) else {
                continue;
            };
            let Some(t) = a.tasks.get(i) else { continue };
            // A task's code: what is declared from its line to the next task's.
            let end = a.tasks.get(i + 1).map_or(u32::MAX, |n| n.range.start);
            let code = a
                .code_paths
                .iter()
                .filter(|p| p.range.start >= t.range.start && p.range.start < end)
                .map(|p| p.path.clone())
                .collect();
            out.push(TaskRef {
                path: a.path.clone(),
                range: t.range,
                text: t.text.clone(),
                checked: t.checked,
                code,
            });
        }
    }
    out
}

/// The requirement a citation at `offset` of `art` names: its file and range.
pub fn cited_at(ws: &Workspace, art: &Artifact, offset: u32) -> Option<(String, TextRange)> {
    let c = art
        .citations
        .iter()
        .find(|c| c.range.contains(offset) || c.range.end == offset)?;
    ws.work_item_peers(art)
        .filter(|a| !a.requirement_ids.is_empty())
        .find_map(|a| {
            let r = a.requirement_ids.iter().find(|r| r.id == c.id)?;
            Some((a.path.clone(), r.range))
        })
}

/// The row of the requirement at `offset` of `art`, for hover.
pub fn row_at(ws: &Workspace, art: &Artifact, offset: u32) -> Option<Row> {
    let r = art
        .requirement_ids
        .iter()
        .find(|r| r.range.contains(offset))?;
    // Only this row: every row would cost requirements × citations.
    Some(row(art, r, &citing(ws, art)))
}

/// Markdown for a hover on a requirement: its tasks and their code.
pub fn hover_markdown(row: &Row) -> String {
    let mut s = format!("**Requirement `{}`**\n\n", row.id);
    if row.tasks.is_empty() {
        s.push_str("No task cites it.\n");
        return s;
    }
    for t in &row.tasks {
        let mark = if t.checked { "x" } else { " " };
        s.push_str(&format!("- [{mark}] {} — `{}`\n", t.text, t.path));
        for c in &t.code {
            s.push_str(&format!("  - `{c}`\n"));
        }
    }
    s
}
