//! Cross-flavor routes: route-missing (an entry names nothing),
//! route-stale (on the target: its source changed since the version it
//! acknowledged, or it never acknowledged one) and route-unacknowledged
//! (on the source: a target still to acknowledge its current version).
//! Versions are content hashes (`artifact/version.rs`), never dates.

use crate::artifact::Artifact;
use crate::workspace::Workspace;
use crate::workspace::fs::Entry;
use crate::workspace::routes::{Standing, incoming, routes, standing};

use super::{Related, Sink};

pub fn check(ws: &Workspace, art: &Artifact, sink: &mut Sink) {
    for r in routes(ws, art) {
        let Some(target) = &r.target else {
            continue; // a URL: someone else's artifact, nothing to check
        };
        if ws.fs.entry(&ws.root.join(target)) == Entry::Missing {
            sink.push(
                "route-missing",
                r.range,
                format!(
                    "`{}` does not exist: correct the path, or create it with the quick fix",
                    r.dest.trim()
                ),
            );
            continue;
        }
        // The other side's acknowledgement: judged once every file is read.
        if !ws.complete {
            continue;
        }
        let Some(t) = ws.artifacts.get(target) else {
            continue;
        };
        let why = match standing(ws, art, t) {
            Some(Standing::Never) => "has not acknowledged this artifact yet".to_string(),
            Some(Standing::Changed(_, change)) => match &art.version {
                Some(now) => format!(
                    "has not acknowledged this version yet; since the version it acknowledged: {}",
                    change.describe(now)
                ),
                None => continue,
            },
            Some(Standing::Acknowledged) | None => continue,
        };
        sink.push(
            "route-unacknowledged",
            r.range,
            format!("{} {why}", capitalized(&describe(t))),
        );
    }
    if ws.complete {
        stale(ws, art, sink);
    }
}

/// route-stale on a target, once per source that routes to it.
fn stale(ws: &Workspace, art: &Artifact, sink: &mut Sink) {
    let mut seen: Vec<&str> = Vec::new();
    for (src, _) in incoming(ws, &art.path) {
        if seen.contains(&src.path.as_str()) {
            continue;
        }
        seen.push(&src.path);
        let about = capitalized(&describe(src));
        match standing(ws, src, art) {
            Some(Standing::Never) => {
                if let Some(d) = sink.push(
                    "route-stale",
                    art.anchor(),
                    format!(
                        "{about} routes here and was never acknowledged: read it, then acknowledge it (quick fix)"
                    ),
                ) {
                    d.related.push(Related {
                        path: src.path.clone(),
                        range: src.anchor(),
                        message: "the artifact routing here".into(),
                    });
                }
            }
            Some(Standing::Changed(ack, change)) => {
                let Some(now) = &src.version else { continue };
                if let Some(d) = sink.push(
                    "route-stale",
                    ack.path_range,
                    format!(
                        "{about} changed since it was acknowledged: {}; read the change (hover), then acknowledge it",
                        change.describe(now)
                    ),
                ) {
                    for s in now
                        .sections
                        .iter()
                        .filter(|s| change.edited.contains(&s.key) || change.added.contains(&s.key))
                    {
                        let what = if change.added.contains(&s.key) {
                            "added"
                        } else {
                            "edited"
                        };
                        d.related.push(Related {
                            path: src.path.clone(),
                            range: s.range,
                            message: format!("{what} since acknowledged"),
                        });
                    }
                }
            }
            Some(Standing::Acknowledged) | None => {}
        }
    }
}

/// "the product-dev spec `2025-11-06-user-authentication`": by work item,
/// since many artifacts share a file name (`spec.md`).
pub fn describe(a: &Artifact) -> String {
    let about = [a.class.flavor(), a.class.kind()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let name = a
        .class
        .work_item()
        .filter(|w| !a.path.ends_with(&format!("/{w}.md")) && !a.path.contains(&format!("/{w}-")))
        .unwrap_or_else(|| a.path.rsplit('/').next().unwrap_or(&a.path));
    format!("the {about} `{name}`")
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
