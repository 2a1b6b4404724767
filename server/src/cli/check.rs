//! `agentops-lsp check`.

use std::io::Write;
use std::process::ExitCode;

use crate::rules::{self, Severity};
use crate::workspace::{CacheMode, Workspace};

use super::output;
use super::{CheckArgs, Format};

pub fn run(args: &CheckArgs) -> ExitCode {
    let root = &args.root;
    if !root.is_dir() {
        eprintln!("agentops-lsp: `{}` is not a folder", root.display());
        return ExitCode::from(2);
    }
    let mut ws = Workspace::new(root);
    let has_artifacts = root.join(ws.artifacts_dir()).is_dir()
        || ws
            .schemas
            .layouts
            .iter()
            .any(|l| l.folders.iter().any(|f| root.join(f).is_dir()));
    if !has_artifacts {
        let known: Vec<String> = ws
            .schemas
            .flavors
            .iter()
            .flat_map(|f| f.def.flavor.roots.iter().map(|r| format!("{r}/")))
            .collect();
        eprintln!(
            "agentops-lsp: no `{}/` folder in `{}` and no known layout ({}): nothing to check",
            ws.artifacts_dir(),
            root.display(),
            known.join(", ")
        );
        if ws.setup_diagnostics.is_empty() {
            return ExitCode::SUCCESS;
        }
    }
    let cache = match (&args.no_cache, &args.cache_dir) {
        (true, _) => CacheMode::Off,
        (false, Some(dir)) => CacheMode::Dir(dir.clone()),
        (false, None) => CacheMode::default_dir(),
    };
    for (code, level) in &args.rules {
        ws.config.rules.insert(code.clone(), *level);
    }
    let stats = super::progress::scan(&mut ws, &cache);
    let diags = rules::check_workspace(&ws);
    let text = match args.format {
        Format::Human => output::human(&ws, &diags, &crate::text::PathBase::of(root)),
        Format::Json => output::json(&ws, &diags),
        Format::Sarif => output::sarif(&ws, &diags),
    };
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(text.as_bytes()).is_err() {
        return ExitCode::from(2);
    }
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    if args.stats {
        let _ = stdout.write_all(output::stats(&ws, &diags).as_bytes());
    }
    if args.format == Format::Human {
        let n = output::plural;
        eprintln!(
            "{}, {}, {}, {} in {} ({} parsed, {} from cache, {} ms)",
            n(count(Severity::Error), "error"),
            n(count(Severity::Warning), "warning"),
            n(count(Severity::Info), "info"),
            n(count(Severity::Hint), "hint"),
            n(stats.files, "file"),
            stats.parsed,
            stats.from_cache,
            stats.elapsed.as_millis()
        );
    }
    if count(Severity::Error) > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
