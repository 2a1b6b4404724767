//! needs-clarification: markers of open questions the kind declares.

use crate::artifact::Artifact;
use crate::schema::Kind;

use super::Sink;

pub fn check(art: &Artifact, kind: &Kind, sink: &mut Sink) {
    for m in &art.markers {
        let what = kind
            .markers
            .get(m.marker)
            .map(|d| d.message.as_str())
            .filter(|s| !s.is_empty())
            .unwrap_or("still to be clarified");
        let msg = if m.text.is_empty() {
            what.to_string()
        } else {
            format!("{what}: {}", m.text)
        };
        sink.push("needs-clarification", m.range, msg);
    }
}
