//! `agentops-lsp bundle save|load|list`: the operations the editor commands
//! `agentops.bundleSave` / `agentops.bundleLoad` / `agentops.bundleList` run.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::json;

use crate::bundle::list::list;
use crate::bundle::{self, load, save};
use crate::text::PathBase;
use crate::text::echo::escape_controls as esc;
use crate::workspace::{self, CacheMode, Workspace};

use super::{BundleArgs, BundleCommand};

pub fn run(args: &BundleArgs) -> ExitCode {
    // A positional root, as for `check`; `--root` still read for older scripts.
    let (at, flag) = match &args.command {
        BundleCommand::Save { at, root, .. }
        | BundleCommand::Load { at, root, .. }
        | BundleCommand::List { at, root, .. } => (at, root),
    };
    let root = at
        .as_ref()
        .or(flag.as_ref())
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let root = &root;
    if !root.is_dir() {
        eprintln!("agentops-lsp: `{}` is not a folder", root.display());
        return ExitCode::from(2);
    }
    let mut ws = Workspace::new(root);
    super::progress::scan(&mut ws, &CacheMode::default_dir());
    // Paths in the words printed are on the current folder, as `check`'s.
    let base = PathBase::of(root);
    let show = |p: &str| esc(&base.show(p)).into_owned();
    let read = |p: &str| Ok(workspace::read::repo_file(&ws.root, p)?);
    match &args.command {
        BundleCommand::Save {
            name,
            from,
            r#type,
            tags,
            overwrite,
            json,
            ..
        } => {
            if from.is_empty() && !*overwrite {
                return fail(
                    "name the sources with --from (a re-save with --overwrite keeps the recorded ones)",
                    2,
                );
            }
            let from = match sources(&ws, from) {
                Ok(f) => f,
                Err(e) => return fail(&e, 2),
            };
            let req = save::Request {
                name: name.clone(),
                from,
                ty: r#type.clone(),
                tags: tags
                    .iter()
                    .flat_map(|t| t.split(','))
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect(),
                overwrite: *overwrite,
            };
            let saving = super::progress::Progress::start("saving");
            let saved = save::save(&ws, &req, &read);
            saving.finish();
            match saved {
                Ok(s) if *json => print_json(&json!(s)),
                Ok(s) => {
                    let replaced = if s.replaced {
                        format!(" (the previous one is kept as {}.prev)", show(&s.path))
                    } else {
                        String::new()
                    };
                    println!(
                        "saved {}: {} sources, {} → {} tokens ({:.1}:1, o200k_base), recall {:.0}% of {} essential items{replaced}\n  {}\n  {}",
                        esc(&s.name),
                        s.sources,
                        s.original_tokens,
                        s.compressed_tokens,
                        s.compression_ratio,
                        s.recall * 100.0,
                        s.essential_items,
                        show(&s.path),
                        show(&s.snapshot)
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e, 1),
            }
        }
        BundleCommand::Load {
            name,
            extract,
            count,
            json,
            ..
        } => {
            if let Some(dest) = extract {
                return match load::extract(&ws, name, dest) {
                    Ok(written) => {
                        for w in written {
                            println!("{}", esc(&w.display().to_string()));
                        }
                        ExitCode::SUCCESS
                    }
                    Err(e) => fail(&e, 1),
                };
            }
            match load::load(&ws, name, &read, *count) {
                Ok(l) if *json => print_json(&json!(l)),
                Ok(l) => {
                    eprintln!("{}", describe(&l, &base));
                    match workspace::read::repo_text(&ws.root, &l.path) {
                        Ok(digest) => {
                            // A stale digest starts with what changed since the save.
                            print!("{}{digest}", l.since.as_deref().unwrap_or(""));
                            ExitCode::SUCCESS
                        }
                        Err(e) => fail(&format!("cannot read `{}`: {e}", l.path), 2),
                    }
                }
                Err(e) => fail(&e, 1),
            }
        }
        BundleCommand::List { json, .. } => {
            let rows = list(&ws);
            if *json {
                return print_json(&json!(rows));
            }
            if rows.is_empty() {
                eprintln!("no bundles in {}", show(&bundle::folder(&ws)));
            }
            for r in rows {
                let ratio = r
                    .compression_ratio
                    .map_or("-".to_string(), |x| format!("{x:.1}:1"));
                let recall = r
                    .recall
                    .map_or("-".to_string(), |x| format!("{:.0}%", x * 100.0));
                println!(
                    "{:<40} {:<24} {:<22} {:>7} {:>6}  {}",
                    esc(&r.name),
                    esc(r.ty.as_deref().unwrap_or("-")),
                    esc(r.created.as_deref().unwrap_or("-")),
                    ratio,
                    recall,
                    r.state.label()
                );
            }
            ExitCode::SUCCESS
        }
    }
}

/// The load report in words: what was verified and what changed (names and
/// paths escaped: each on its own line).
pub fn describe(l: &load::Loaded, base: &PathBase) -> String {
    let mut s = format!("bundle {}: {}", esc(&l.name), esc(&base.show(&l.path)));
    if l.verified {
        s.push_str(&format!(
            "\n  verified: {} sources match the snapshot",
            l.sources
        ));
    } else {
        s.push_str("\n  not verified: the bundle records no sources");
    }
    if l.changed.is_empty() && l.verified {
        s.push_str("\n  no source changed since the save");
    }
    for c in &l.changed {
        let how = match c.how {
            load::How::Changed => "changed since the save",
            load::How::Deleted => "deleted since the save",
        };
        s.push_str(&format!("\n  {how}: {}", esc(&base.show(&c.path))));
    }
    s.push_str(&format!("\n  loaded {} times", l.accessed_count));
    if l.since.is_some() {
        s.push_str("\n  the digest below starts with what changed since the save");
    }
    s
}

/// `--from` arguments as root-relative artifact paths; a folder stands for
/// every artifact under it.
fn sources(ws: &Workspace, from: &[PathBuf]) -> Result<Vec<String>, String> {
    let root = ws.root.canonicalize().map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for f in from {
        let full = if f.is_absolute() || f.exists() {
            f.clone()
        } else {
            ws.root.join(f)
        };
        let full = full
            .canonicalize()
            .map_err(|e| format!("`{}`: {e}", f.display()))?;
        let rel = relative(&root, &full).ok_or_else(|| {
            format!(
                "`{}` is outside the workspace `{}`",
                f.display(),
                root.display()
            )
        })?;
        if full.is_dir() {
            let prefix = if rel.is_empty() {
                String::new()
            } else {
                format!("{rel}/")
            };
            let under: Vec<String> = ws
                .artifacts
                .values()
                .filter(|a| a.path.starts_with(&prefix) && !bundle::index::is_bundle(a))
                .map(|a| a.path.clone())
                .collect();
            if under.is_empty() {
                return Err(format!("no artifacts under `{}`", f.display()));
            }
            out.extend(under);
        } else {
            out.push(rel);
        }
    }
    Ok(out)
}

fn relative(root: &Path, full: &Path) -> Option<String> {
    let rel = full.strip_prefix(root).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

fn print_json(v: &serde_json::Value) -> ExitCode {
    match serde_json::to_string_pretty(v) {
        Ok(s) => {
            println!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string(), 2),
    }
}

/// An error on stderr; it may quote repository paths, so controls are escaped.
fn fail(message: &str, code: u8) -> ExitCode {
    eprintln!("agentops-lsp: {}", esc(message));
    ExitCode::from(code)
}
