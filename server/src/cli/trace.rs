//! `agentops-lsp trace PATH`: which artifacts produce or touch a code path.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::features::trace::{SpecClaim, specs_for_path};
use crate::workspace::{self, CacheMode, Workspace};

use super::TraceArgs;
use super::output::place;
use crate::text::PathBase;
use crate::text::echo::escape_controls as esc;

pub fn run(args: &TraceArgs) -> ExitCode {
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    if args.requirements {
        return super::requirements::run(args, &path);
    }
    let (root, rel) = match locate(&path, args.root()) {
        Ok(found) => found,
        Err(code) => return code,
    };
    let mut ws = Workspace::new(&root);
    let cache = CacheMode::unless(args.no_cache);
    super::progress::scan(&mut ws, &cache);
    let is_dir =
        rel.is_empty() || root.join(&rel).is_dir() || path.to_string_lossy().ends_with('/');
    let claims = specs_for_path(&ws, &rel, is_dir);
    let text = if args.json {
        json_report(&ws, &rel, &claims)
    } else {
        human(&ws, &claims, &PathBase::of(&root))
    };
    if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
        return ExitCode::from(2);
    }
    if claims.is_empty() {
        if !args.json {
            let shown = if rel.is_empty() { "." } else { rel.as_str() };
            eprintln!("agentops-lsp: no artifact declares `{}`", esc(shown));
        }
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// `path:line:col: produces `src/auth/**` — spec of product-dev, `2025-11-06-…`, phase spec`
/// (paths and declarations escaped: one claim, one line).
fn human(ws: &Workspace, claims: &[SpecClaim], base: &PathBase) -> String {
    let mut out = String::new();
    for c in claims {
        let (start, _) = place(ws, &c.path, c.range);
        out.push_str(&format!(
            "{}:{}:{}: {} `{}` — {}\n",
            esc(&base.show(&c.path)),
            start.line,
            start.col,
            c.relation.as_str(),
            esc(&c.declared),
            esc(&c.about())
        ));
    }
    out
}

fn json_report(ws: &Workspace, rel: &str, claims: &[SpecClaim]) -> String {
    let items: Vec<Value> = claims
        .iter()
        .map(|c| {
            let (start, end) = place(ws, &c.path, c.range);
            c.json(json!({
                "start": {"line": start.line, "column": start.col},
                "end": {"line": end.line, "column": end.col},
            }))
        })
        .collect();
    let doc = json!({ "path": rel, "artifacts": items });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// The workspace root (`root`, else the folder above PATH holding
/// `agentops/` or `agentops.toml`, else `.`) and PATH relative to it; a usage
/// failure (exit 2) is explained on stderr.
pub(super) fn locate(path: &Path, root: Option<&Path>) -> Result<(PathBuf, String), ExitCode> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let asked = crate::workspace::resolve::normalize(&cwd.join(path));
    let root = match root {
        Some(r) => r.to_path_buf(),
        None => discover(&asked).unwrap_or_else(|| PathBuf::from(".")),
    };
    if !root.is_dir() {
        eprintln!("agentops-lsp: `{}` is not a folder", root.display());
        return Err(ExitCode::from(2));
    }
    let Some(rel) = root_relative(&root, &cwd, path) else {
        eprintln!(
            "agentops-lsp: `{}` is outside the workspace `{}`",
            path.display(),
            root.display()
        );
        return Err(ExitCode::from(2));
    };
    Ok((root, rel))
}

/// The folder above `path` that holds `agentops/` or `agentops.toml`.
fn discover(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .find(|d| d.join(crate::config::FILE_NAME).is_file() || d.join("agentops").is_dir())
        .map(Path::to_path_buf)
}

/// PATH relative to the root: as given from the current folder when that
/// lands inside the root, else read as root-relative already.
fn root_relative(root: &Path, cwd: &Path, path: &Path) -> Option<String> {
    let root_abs = crate::workspace::resolve::normalize(&cwd.join(root));
    let root_abs = root_abs.canonicalize().unwrap_or(root_abs);
    let asked = crate::workspace::resolve::normalize(&cwd.join(path));
    let asked = asked.canonicalize().unwrap_or(asked);
    if let Some(r) = workspace::scan_relative(&root_abs, &asked) {
        return Some(r);
    }
    if path.is_absolute() {
        return None;
    }
    let inside = crate::workspace::resolve::normalize(&root_abs.join(path));
    workspace::scan_relative(&root_abs, &inside)
}
