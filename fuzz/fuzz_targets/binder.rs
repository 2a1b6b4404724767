//! The slash-command binder: every line of the input is read as a command
//! line and bound to the declaration of its name (when a flavor has one) and
//! to a declaration the first byte picks, so arbitrary words meet every shape
//! of arguments and flags.
#![no_main]

use std::sync::OnceLock;

use agentops_lsp::artifact::commands::parse_line;
use agentops_lsp::command::{bind, catalog};
use agentops_lsp::workspace::Workspace;
use libfuzzer_sys::fuzz_target;

fn workspace() -> &'static Workspace {
    static W: OnceLock<Workspace> = OnceLock::new();
    W.get_or_init(|| Workspace::new(&std::env::temp_dir().join("agentops-lsp-fuzz-binder")))
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let ws = workspace();
    let all = catalog::all(ws, None);
    let text = String::from_utf8_lossy(rest);
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if let Some(u) = parse_line(body, at, pick & 1 == 0) {
            if let Some(k) = catalog::lookup(ws, None, &u.name) {
                let b = bind(k.command, &u);
                let _ = b.has_flag("--dry-run");
                for a in &k.command.args {
                    let _ = b.arg(&u, &a.name);
                }
            }
            if !all.is_empty() {
                let k = all[usize::from(pick) % all.len()];
                let b = bind(k.command, &u);
                for a in &k.command.args {
                    let _ = b.arg(&u, &a.name);
                }
            }
        }
        at += line.len();
    }
});
