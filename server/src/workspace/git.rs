//! What git says about the person at the keyboard: who approves
//! (`agentops.approve`, `agentops-lsp approve`) when no name is given.

use std::path::Path;

/// git's `user.name` for the repository at `root`, if set.
pub fn user_name(root: &Path) -> Option<String> {
    let out = std::process::Command::new("git")
        .args(["config", "user.name"])
        .current_dir(root)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    // The repository's config says it: one line, and not a novel.
    let text = String::from_utf8(out.stdout).ok()?;
    let name: String = text.lines().next()?.trim().chars().take(200).collect();
    (out.status.success() && !name.is_empty()).then_some(name)
}
