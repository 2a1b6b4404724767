//! route-missing and route-stale: a route names nothing, or its source
//! changed after the artifact that follows it.

use crate::artifact::Artifact;
use crate::workspace::Workspace;
use crate::workspace::fs::Entry;
use crate::workspace::routes::{date, routes};

use super::{Related, Sink};

pub fn check(ws: &Workspace, art: &Artifact, sink: &mut Sink) {
    let list = routes(ws, art);
    if list.is_empty() {
        return;
    }
    let source_date = date(ws, art);
    for r in list {
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
        let Some(t) = ws.artifacts.get(target) else {
            continue;
        };
        if let (Some(s), Some(td)) = (&source_date, date(ws, t))
            && *s > td
            && let Some(d) = sink.push(
                "route-stale",
                r.range,
                format!(
                    "this artifact is dated {s}, after `{}` ({td}) that follows it: check that it still holds",
                    r.dest.trim()
                ),
            )
        {
            d.related.push(Related {
                path: t.path.clone(),
                range: t.anchor(),
                message: format!("dated {td}"),
            });
        }
    }
}
