//! `agentops-lsp approve PATH [--by NAME]`: a human approves an artifact from
//! the shell, exactly as `agentops.approve` does in an editor (one engine
//! function, `features::approve::approve`): status, `approved_by`,
//! `approved_at`; refused over open sign-off boxes or template placeholders.

use std::process::ExitCode;

use crate::features::{actions, approve};
use crate::workspace::{self, CacheMode, Workspace, read};

use super::ApproveArgs;
use super::trace::locate;

/// Exit codes: 0 approved, 1 refused (the reason on stderr), 2 usage or I/O.
pub fn run(args: &ApproveArgs) -> ExitCode {
    let (root, rel) = match locate(&args.path, args.root()) {
        Ok(found) => found,
        Err(code) => return code,
    };
    let text = match read::repo_text(&root, &rel) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("agentops-lsp: cannot read {rel}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut ws = Workspace::new(&root);
    let cache = CacheMode::unless(args.no_cache);
    super::progress::scan(&mut ws, &cache);
    let Some((art, kind)) = ws
        .artifacts
        .get(&rel)
        .and_then(|a| ws.kind_of(a).map(|k| (a, k)))
    else {
        eprintln!("agentops-lsp: {rel} is not an artifact of a known kind");
        return ExitCode::from(2);
    };
    // The index read the file before we did: approve only the text it judged.
    if art.hash != xxhash_rust::xxh3::xxh3_64(text.as_bytes()) {
        eprintln!("agentops-lsp: {rel} changed while it was read; run the command again");
        return ExitCode::from(2);
    }
    let who = args
        .by
        .clone()
        .or_else(|| workspace::git::user_name(&root))
        .unwrap_or_default();
    let when = crate::time::now_rfc3339();
    let action = match approve::approve(art, kind, &text, &who, &when) {
        Ok(a) => a,
        Err(reason) => {
            eprintln!("agentops-lsp: {rel} not approved: {reason}");
            return ExitCode::from(1);
        }
    };
    let edits: Vec<_> = action
        .ops
        .iter()
        .filter_map(|op| match op {
            actions::FileOp::Edit { path, edits } if *path == rel => Some(edits.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    let Some(new) = actions::apply_edits(&text, &edits) else {
        eprintln!("agentops-lsp: {rel}: the approval edit could not be placed");
        return ExitCode::from(2);
    };
    // Written where the read was allowed: the file's real path inside the root.
    let target =
        read::confine(&root, &read::canonical_root(&root), &root.join(&rel)).and_then(|p| {
            crate::bundle::atomic::replace_in(&root, &p, new.as_bytes()).map_err(Into::into)
        });
    if let Err(e) = target {
        eprintln!("agentops-lsp: cannot write {rel}: {e}");
        return ExitCode::from(2);
    }
    let shown = crate::text::PathBase::of(&root).show(&rel);
    println!("{shown}: approved by {} at {when}", who.trim());
    ExitCode::SUCCESS
}
