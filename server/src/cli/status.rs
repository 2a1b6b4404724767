//! `agentops-lsp status`.

use std::process::ExitCode;

use crate::features::status;
use crate::workspace::{self, CacheMode, Workspace};

use super::StatusArgs;

pub fn run(args: &StatusArgs) -> ExitCode {
    if !args.root.is_dir() {
        eprintln!("agentops-lsp: `{}` is not a folder", args.root.display());
        return ExitCode::from(2);
    }
    let mut ws = Workspace::new(&args.root);
    let cache = CacheMode::unless(args.no_cache);
    workspace::scan(&mut ws, &cache);
    let mut report = status::report(&ws);
    // As the user named it: the report of `status .` says `.`.
    report.root = args.root.display().to_string();
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
        print!("{}", status::human(&report));
    }
    ExitCode::SUCCESS
}
