//! `agentops-lsp trace --requirements [PATH]`: the requirement matrix,
//! requirement id → tasks citing it → the code paths those tasks declare.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::features::requirements::{Row, matrix};
use crate::text::PathBase;
use crate::text::echo::escape_controls as esc;
use crate::workspace::{CacheMode, Workspace};

use super::TraceArgs;
use super::output::place;

pub fn run(args: &TraceArgs, path: &Path) -> ExitCode {
    // A folder given alone is the workspace; a file is looked up in its workspace.
    let (root, only) = if args.root().is_none() && path.is_dir() {
        (path.to_path_buf(), None)
    } else {
        match super::trace::locate(path, args.root()) {
            Ok((root, rel)) => (root, Some(rel).filter(|r| !r.is_empty())),
            Err(code) => return code,
        }
    };
    let mut ws = Workspace::new(&root);
    super::progress::scan(&mut ws, &CacheMode::unless(args.no_cache));
    let rows: Vec<Row> = matrix(&ws)
        .into_iter()
        .filter(|r| {
            only.as_ref()
                .is_none_or(|o| r.path == *o || r.path.starts_with(&format!("{o}/")))
        })
        .collect();
    let text = if args.json {
        json_report(&ws, &rows)
    } else {
        human(&ws, &rows, &PathBase::of(&root))
    };
    if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
        return ExitCode::from(2);
    }
    if rows.is_empty() {
        if !args.json {
            eprintln!(
                "agentops-lsp: no requirement ids in `{}`",
                esc(&PathBuf::from(&root).display().to_string())
            );
        }
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// ```text
/// .kiro/specs/x/requirements.md:16:1: 1.1 — 1 task
///   .kiro/specs/x/tasks.md:3:3: [x] 1. Add the model in src/m.ts
///     src/m.ts
/// ```
fn human(ws: &Workspace, rows: &[Row], base: &PathBase) -> String {
    let mut out = String::new();
    for r in rows {
        let (start, _) = place(ws, &r.path, r.range);
        let count = match r.tasks.len() {
            0 => "no task".to_string(),
            1 => "1 task".to_string(),
            n => format!("{n} tasks"),
        };
        out.push_str(&format!(
            "{}:{}:{}: {} — {count}\n",
            esc(&base.show(&r.path)),
            start.line,
            start.col,
            esc(&r.id)
        ));
        for t in &r.tasks {
            let (at, _) = place(ws, &t.path, t.range);
            let mark = if t.checked { "x" } else { " " };
            out.push_str(&format!(
                "  {}:{}:{}: [{mark}] {}\n",
                esc(&base.show(&t.path)),
                at.line,
                at.col,
                esc(&t.text)
            ));
            for c in &t.code {
                out.push_str(&format!("    {}\n", esc(&base.show(c))));
            }
        }
    }
    out
}

fn json_report(ws: &Workspace, rows: &[Row]) -> String {
    let items: Vec<Value> = rows
        .iter()
        .map(|r| {
            let (start, end) = place(ws, &r.path, r.range);
            let tasks: Vec<Value> = r
                .tasks
                .iter()
                .map(|t| {
                    let (at, _) = place(ws, &t.path, t.range);
                    json!({
                        "path": t.path,
                        "line": at.line,
                        "column": at.col,
                        "text": t.text,
                        "checked": t.checked,
                        "code": t.code,
                    })
                })
                .collect();
            json!({
                "path": r.path,
                "id": r.id,
                "start": {"line": start.line, "column": start.col},
                "end": {"line": end.line, "column": end.col},
                "tasks": tasks,
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&json!({ "requirements": items })).unwrap_or_default();
    s.push('\n');
    s
}
