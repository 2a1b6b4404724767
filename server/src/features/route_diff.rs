//! What changed in a route's source since the version its target
//! acknowledged: the acknowledged text is found in git (the newest commit of
//! the source whose body has the acknowledged hash) or in a context bundle's
//! snapshot, and diffed against the source's text now. Shown by hover and
//! `agentops.routeDiff`, so the other team reads the change, not the whole spec.

use serde::Serialize;

use crate::artifact::Artifact;
use crate::artifact::version::body_of;
use crate::artifact::{Parsers, build};
use crate::workspace::Workspace;
use crate::workspace::routes::{Standing, standing};

/// The diff shown stops after this many lines …
const MAX_LINES: usize = 200;
/// … or this many characters.
const MAX_CHARS: usize = 20_000;

#[derive(Debug, Clone, Serialize)]
pub struct RouteDiff {
    pub source: String,
    pub target: String,
    /// `acknowledged`, `never` or `changed`.
    pub state: &'static str,
    /// The sections changed since the acknowledged version.
    pub changed: Option<String>,
    /// Where the acknowledged text came from: `commit <id>`, `bundle <name>`,
    /// or `HEAD` when only the last commit was found (not the acknowledged version).
    pub since: Option<String>,
    /// Unified diff of the source's body, acknowledged → now, cut at 200 lines.
    pub diff: Option<String>,
}

/// Open documents' texts by root-relative path: what the editor shows,
/// which may be ahead of the disk.
pub type OpenTexts = std::collections::HashMap<String, String>;

/// The change of `source` as `target` sees it; None when the target's kind
/// records no acknowledgements. The source's text now is its open
/// document's when it is open (the index holds that version), else the disk's.
pub fn route_diff(
    ws: &Workspace,
    source: &Artifact,
    target: &Artifact,
    open: &OpenTexts,
) -> Option<RouteDiff> {
    let st = standing(ws, source, target)?;
    let mut out = RouteDiff {
        source: source.path.clone(),
        target: target.path.clone(),
        state: "acknowledged",
        changed: None,
        since: None,
        diff: None,
    };
    let ack = match st {
        Standing::Acknowledged => return Some(out),
        Standing::Never => {
            out.state = "never";
            return Some(out);
        }
        Standing::Changed(ack, change) => {
            out.state = "changed";
            out.changed = source.version.as_ref().map(|v| change.describe(v));
            ack
        }
    };
    let Some(now) = open
        .get(&source.path)
        .cloned()
        .or_else(|| crate::workspace::read::repo_text(&ws.root, &source.path).ok())
    else {
        return Some(out);
    };
    let hash = |text: &str| hash_of(ws, source, text);
    let found = from_git(ws, &source.path, &ack.hash, &hash)
        .or_else(|| from_bundles(ws, &source.path, &ack.hash, &hash))
        .or_else(|| {
            let head = crate::workspace::git::show(&ws.root, "HEAD", &source.path)?;
            (hash(&head) != hash(&now)).then(|| ("HEAD".into(), head))
        });
    if let Some((since, old)) = found {
        out.diff = Some(unified(body_of(&old), body_of(&now)));
        out.since = Some(since);
    }
    Some(out)
}

/// The newest commit of `rel` whose body has `hash`. One git process per
/// commit, so the whole search shares one command's time limit: a hover
/// never waits on fifty of them.
fn from_git(
    ws: &Workspace,
    rel: &str,
    hash: &str,
    hash_of: &dyn Fn(&str) -> Option<String>,
) -> Option<(String, String)> {
    use crate::workspace::git;
    let stop = std::time::Instant::now() + git::TIMEOUT;
    git::revisions(&ws.root, rel)
        .into_iter()
        .take_while(|_| std::time::Instant::now() < stop)
        .find_map(|rev| {
            let text = crate::workspace::git::show(&ws.root, &rev, rel)?;
            (hash_of(&text).as_deref() == Some(hash))
                .then(|| (format!("commit {}", rev.get(..12).unwrap_or(&rev)), text))
        })
}

/// A bundle snapshot holding `rel` with a body of `hash`.
fn from_bundles(
    ws: &Workspace,
    rel: &str,
    hash: &str,
    hash_of: &dyn Fn(&str) -> Option<String>,
) -> Option<(String, String)> {
    use crate::bundle::{self, snapshot};
    bundle::all(ws).into_iter().find_map(|b| {
        let rec = bundle::sources::recorded(b.art)?;
        if !rec.records(rel) {
            return None;
        }
        let (file, _) = rec.snapshot?;
        let dir = b.art.path.rsplit_once('/').map_or("", |(d, _)| d);
        let path = ws.root.join(dir).join(file);
        let entries = snapshot::read(&ws.root, &path, snapshot::LIMITS).ok()?;
        let e = entries.into_iter().find(|e| e.path == rel)?;
        let text = String::from_utf8(e.bytes).ok()?;
        (hash_of(&text).as_deref() == Some(hash)).then(|| (format!("bundle {}", b.name), text))
    })
}

/// The version hash of `text` read as `source`'s file: what it would
/// acknowledge, so link destinations and code paths count as they do there.
fn hash_of(ws: &Workspace, source: &Artifact, text: &str) -> Option<String> {
    let art = build(
        &mut Parsers::default(),
        &source.path,
        text,
        source.class.clone(),
        ws.kind_of(source),
    );
    art.version.map(|v| v.hash)
}

/// `old` → `new` as a unified diff with two lines of context, bounded.
fn unified(old: &str, new: &str) -> String {
    // Both sides may be megabytes apart in every line: the diff gives up
    // (and shows a coarser one) after a second rather than hold the hover.
    let diff = similar::TextDiff::configure()
        .timeout(std::time::Duration::from_secs(1))
        .diff_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header("acknowledged", "now")
        .to_string();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        if i >= MAX_LINES || out.len() + line.len() > MAX_CHARS {
            out.push_str("… (cut)\n");
            break;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The diff as hover markdown.
pub fn markdown(d: &RouteDiff) -> String {
    match d.state {
        "acknowledged" => "Acknowledged: the target has read the current version.".to_string(),
        "never" => "Never acknowledged: the target has not recorded reading any version.".into(),
        _ => {
            let mut s = format!(
                "**Changed since acknowledged**: {}",
                d.changed.as_deref().unwrap_or("")
            );
            match (&d.since, &d.diff) {
                (Some(since), Some(diff)) => {
                    let fence = fence_for(diff);
                    let note = if since == "HEAD" {
                        " (the acknowledged version is in no commit or bundle: this is the change since the last commit)"
                    } else {
                        ""
                    };
                    s.push_str(&format!(
                        "\n\nSince {since}{note}:\n\n{fence}diff\n{diff}{fence}"
                    ));
                }
                _ => s.push_str(
                    "\n\nThe acknowledged text is in no commit or bundle snapshot: read the sections named.",
                ),
            }
            s
        }
    }
}

/// A backtick fence longer than any run of backticks in `text`, so that no
/// line of the diff can close it (a tilde run cannot close a backtick fence).
fn fence_for(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

#[cfg(test)]
mod tests {
    use super::{fence_for, unified};

    #[test]
    fn fence_outlasts_the_diff() {
        assert_eq!(fence_for("-a\n+b\n"), "```");
        assert_eq!(fence_for("+```rust\n~~~~\n"), "````");
        assert_eq!(fence_for("- `x` ``````\n"), "```````");
    }

    #[test]
    fn bounded_diff() {
        let d = unified("a\nb\nc\n", "a\nB\nc\n");
        assert!(d.contains("-b\n+B\n"), "{d}");
        let old: String = (0..1000).map(|i| format!("{i}\n")).collect();
        let d = unified(&old, "");
        assert_eq!(d.lines().count(), super::MAX_LINES + 1);
        assert!(d.ends_with("… (cut)\n"));
    }
}
