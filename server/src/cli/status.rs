//! `agentops-lsp status`.

use std::process::ExitCode;

use crate::features::status;
use crate::text::PathBase;
use crate::workspace::{CacheMode, Workspace};

use super::StatusArgs;

pub fn run(args: &StatusArgs) -> ExitCode {
    if !args.root.is_dir() {
        eprintln!("agentops-lsp: `{}` is not a folder", args.root.display());
        return ExitCode::from(2);
    }
    let mut ws = Workspace::new(&args.root);
    let cache = CacheMode::unless(args.no_cache);
    super::progress::scan(&mut ws, &cache);
    let mut report = status::report(&ws);
    // As the user named it: the report of `status .` says `.`.
    report.root = args.root.display().to_string();
    let base = PathBase::of(&args.root);
    if let Some(file) = &args.html {
        let abs = args
            .root
            .canonicalize()
            .unwrap_or_else(|_| args.root.clone());
        let page = status::html::page(&report, &status::html::file_base(&abs));
        if let Err(e) = write_new(file, &page) {
            eprintln!("agentops-lsp: cannot write `{}`: {e}", file.display());
            return ExitCode::from(2);
        }
        eprintln!("agentops-lsp: wrote {}", file.display());
        return ExitCode::SUCCESS;
    }
    if args.json {
        match serde_json::to_string_pretty(&report) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("agentops-lsp: {e}");
                return ExitCode::from(2);
            }
        }
    } else if report.flavors.is_empty() {
        print!("{}", status::layouts(&report.layouts));
        eprintln!("agentops-lsp: no work items in `{}`", args.root.display());
    } else {
        print!("{}", status::human(&report, &base));
    }
    ExitCode::SUCCESS
}

/// Writes the page through a temporary file in the same folder, so that a
/// reader never sees half a page and a failed run leaves the old one.
fn write_new(file: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.persist(file).map(|_| ()).map_err(|e| e.error)
}
