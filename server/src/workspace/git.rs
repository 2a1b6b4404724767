//! What git says, for "what changed since the version a route target
//! acknowledged" (a file's history) and for who approves (`agentops.approve`,
//! `agentops-lsp approve`) when no name is given (`user.name`). The repository is untrusted input: its config
//! must run nothing (no fsmonitor hook, no signature program), nothing is
//! written (no optional locks), and every answer is bounded in bytes and time.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The most commits of one file looked through for an acknowledged version.
pub const MAX_REVS: usize = 50;
/// The largest answer read from git; a larger one is dropped.
const MAX_OUTPUT: u64 = 4 * 1024 * 1024;
/// How long one git command may take.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// The commits that changed `rel` (root-relative), newest first, at most `MAX_REVS`.
pub fn revisions(root: &Path, rel: &str) -> Vec<String> {
    let Some(out) = run(
        root,
        &[
            "log",
            "--no-show-signature",
            "--format=%H",
            &format!("-n{MAX_REVS}"),
            "--",
            &format!("./{rel}"),
        ],
    ) else {
        return Vec::new();
    };
    String::from_utf8_lossy(&out)
        .lines()
        .map(str::trim)
        .filter(|l| l.len() == 40 && l.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_string)
        .collect()
}

/// The most commits read for the dates of `status` (one `git log`).
pub const MAX_DATED_COMMITS: usize = 2000;

/// When each file under `root` was first and last committed (Unix seconds),
/// by root-relative path, from one `git log` over at most
/// `MAX_DATED_COMMITS` commits touching `under` (root-relative folders).
/// Empty without git, outside a repository or past the limits.
pub fn file_dates(root: &Path, under: &[String]) -> HashMap<String, (u64, u64)> {
    let mut args: Vec<String> = [
        "-c",
        "core.quotePath=false",
        "log",
        "--no-show-signature",
        "--no-renames",
        "--relative",
        "--name-only",
        "--format=@%ct",
    ]
    .map(String::from)
    .to_vec();
    args.push(format!("-n{MAX_DATED_COMMITS}"));
    args.push("--".into());
    args.extend(
        under
            .iter()
            .filter(|u| !u.starts_with('-'))
            .map(|u| format!("./{u}")),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut out: HashMap<String, (u64, u64)> = HashMap::new();
    let Some(text) = run(root, &args) else {
        return out;
    };
    let mut when = None;
    // Newest first: the first time seen is the last change, the last is the first commit.
    for line in String::from_utf8_lossy(&text).lines() {
        if let Some(t) = line.strip_prefix('@') {
            when = t.trim().parse::<u64>().ok();
        } else if let Some(t) = when
            && !line.is_empty()
        {
            out.entry(line.to_string())
                .and_modify(|e| e.0 = t)
                .or_insert((t, t));
        }
    }
    out
}

/// The text of `rel` at `rev` (a commit id or `HEAD`), without any filter or textconv.
pub fn show(root: &Path, rev: &str, rel: &str) -> Option<String> {
    let valid = rev == "HEAD" || rev.bytes().all(|b| b.is_ascii_hexdigit());
    if !valid || rel.starts_with('-') {
        return None;
    }
    let out = run(root, &["cat-file", "blob", &format!("{rev}:./{rel}")])?;
    String::from_utf8(out).ok()
}

/// Runs `git -C root <args>` with the repository's hooks and programs off;
/// None on failure, on an answer over `MAX_OUTPUT`, or after `TIMEOUT`.
fn run(root: &Path, args: &[&str]) -> Option<Vec<u8>> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "core.fsmonitor=false"])
        .args(["-c", "log.showSignature=false"])
        .args(args)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_EXTERNAL_DIFF")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let stdout = child.stdout.take()?;
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        stdout
            .take(MAX_OUTPUT + 1)
            .read_to_end(&mut buf)
            .map(|_| buf)
    });
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let buf = reader.join().ok()?.ok()?;
    if status.is_some_and(|s| s.success()) && (buf.len() as u64) <= MAX_OUTPUT {
        Some(buf)
    } else {
        None
    }
}

/// git's `user.name` for the repository at `root`, if set.
pub fn user_name(root: &Path) -> Option<String> {
    let out = run(root, &["config", "user.name"])?;
    // The repository's config says it: one line, and not a novel.
    let text = String::from_utf8(out).ok()?;
    let name: String = text.lines().next()?.trim().chars().take(200).collect();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_of_a_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        let git = |args: &[&str]| {
            Command::new("git")
                .arg("-C")
                .arg(root)
                .args([
                    "-c",
                    "user.name=t",
                    "-c",
                    "user.email=t@t",
                    "-c",
                    "commit.gpgsign=false",
                ])
                .args(args)
                .output()
                .is_ok_and(|o| o.status.success())
        };
        if !git(&["init", "-q"]) {
            return; // no git on this machine
        }
        std::fs::write(root.join("a.md"), "one\n").unwrap_or_else(|e| panic!("{e}"));
        assert!(git(&["add", "a.md"]) && git(&["commit", "-qm", "1"]));
        std::fs::write(root.join("a.md"), "twó\n").unwrap_or_else(|e| panic!("{e}"));
        assert!(git(&["commit", "-qam", "2"]));
        let revs = revisions(root, "a.md");
        assert_eq!(revs.len(), 2);
        let texts: Vec<Option<String>> = revs.iter().map(|r| show(root, r, "a.md")).collect();
        assert_eq!(texts, [Some("twó\n".into()), Some("one\n".into())]);
        assert_eq!(show(root, "HEAD", "a.md").as_deref(), Some("twó\n"));
        assert_eq!(show(root, "HEAD~1", "a.md"), None, "only ids and HEAD");
        assert!(revisions(root, "missing.md").is_empty());
        let dates = file_dates(root, &[]);
        let (first, last) = dates.get("a.md").copied().unwrap_or_default();
        assert!(first > 0 && first <= last, "{dates:?}");
        assert!(file_dates(root, &["nowhere".into()]).is_empty());
    }
}
