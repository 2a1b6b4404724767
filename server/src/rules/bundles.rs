//! bundle-invalid and bundle-stale: a bundle that records its sources must
//! have a snapshot that matches the record, and sources that still do.

use crate::artifact::Artifact;
use crate::bundle::load::How;
use crate::bundle::sources::recorded;
use crate::bundle::state::{invalid, stale};
use crate::workspace::Workspace;

use super::Sink;

pub fn check(ws: &Workspace, art: &Artifact, sink: &mut Sink) {
    // A bundle written by hand records nothing to verify.
    let Some(rec) = recorded(art) else {
        return;
    };
    for (range, message) in invalid(ws, art, &rec) {
        sink.push("bundle-invalid", range, message);
    }
    for (s, how) in stale(ws, &rec) {
        let message = match how {
            How::Changed => format!(
                "`{}` changed since the bundle was saved; re-save the bundle",
                s.path
            ),
            How::Deleted => format!(
                "`{}` was deleted or moved since the bundle was saved",
                s.path
            ),
        };
        sink.push("bundle-stale", s.path_range, message);
    }
}

/// bundle-source-changed: on the artifact itself, where the user edits it,
/// each bundle that captured an earlier version of it.
pub fn source_changed(ws: &Workspace, art: &Artifact, sink: &mut Sink) {
    let bundles = crate::bundle::all(ws);
    if bundles.is_empty() {
        return;
    }
    let range = art.anchor();
    for b in bundles {
        let Some(rec) = recorded(b.art) else {
            continue;
        };
        if rec
            .sources
            .iter()
            .any(|s| s.path == art.path && s.sha256.is_some_and(|h| h != art.sha256))
        {
            sink.push(
                "bundle-source-changed",
                range,
                format!(
                    "changed since bundle `{}` captured it; re-save the bundle (`agentops-lsp bundle save {} --overwrite`) or it resumes from the old text",
                    b.name, b.name
                ),
            );
        }
    }
}
