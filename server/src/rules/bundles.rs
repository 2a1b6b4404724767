//! bundle-invalid and bundle-stale: a bundle that records its sources must
//! have a snapshot that matches the record, and sources that still do.

use std::path::Path;

use crate::artifact::Artifact;
use crate::bundle::snapshot;
use crate::bundle::sources::recorded;
use crate::workspace::Workspace;

use super::Sink;

pub fn check(ws: &Workspace, art: &Artifact, sink: &mut Sink) {
    // A bundle written by hand records nothing to verify.
    let Some(rec) = recorded(art) else {
        return;
    };
    for (range, message) in &rec.problems {
        sink.push("bundle-invalid", *range, message.clone());
    }
    if let Some((file, range)) = &rec.snapshot {
        let dir = Path::new(&art.path).parent().unwrap_or(Path::new(""));
        match &*snapshot::hashes(&ws.root.join(dir).join(file)) {
            Err(e) => {
                sink.push("bundle-invalid", *range, format!("snapshot `{file}`: {e}"));
            }
            Ok(entries) => {
                for s in &rec.sources {
                    match entries.iter().find(|(p, _)| *p == s.path) {
                        None => {
                            sink.push(
                                "bundle-invalid",
                                s.path_range,
                                format!("`{}` is not in the snapshot `{file}`", s.path),
                            );
                        }
                        Some((_, h)) if Some(*h) != s.sha256 => {
                            sink.push(
                                "bundle-invalid",
                                s.range,
                                format!("the snapshot's copy of `{}` does not match its recorded sha256", s.path),
                            );
                        }
                        Some(_) => {}
                    }
                }
            }
        }
    }
    for s in &rec.sources {
        let Some(sha) = s.sha256 else { continue };
        match ws.artifacts.get(&s.path) {
            Some(now) if now.sha256 != sha => {
                sink.push(
                    "bundle-stale",
                    s.path_range,
                    format!(
                        "`{}` changed since the bundle was saved; re-save the bundle",
                        s.path
                    ),
                );
            }
            Some(_) => {}
            None if !ws.root.join(&s.path).exists() => {
                sink.push(
                    "bundle-stale",
                    s.path_range,
                    format!(
                        "`{}` was deleted or moved since the bundle was saved",
                        s.path
                    ),
                );
            }
            None => {}
        }
    }
}
