//! Markers of unfinished text declared by a kind (`[NEEDS CLARIFICATION: …]`),
//! found in prose only: not in code, comments or frontmatter, where they are
//! examples rather than open questions.

use crate::schema::Kind;
use crate::text::{TextRange, to_u32};

use super::model::MarkerUse;

/// Longest marker text kept; a marker whose end is further away is not one.
const MAX_MARKER: usize = 1000;

/// Every marker of `kind` in `text` after `body_start`, outside `skip`.
pub fn find(text: &str, kind: &Kind, body_start: usize, skip: &[TextRange]) -> Vec<MarkerUse> {
    let mut out = Vec::new();
    if kind.markers.is_empty() {
        return out;
    }
    let comments = html_comments(text);
    let skipped = |at: usize| {
        let at = to_u32(at);
        skip.iter()
            .chain(&comments)
            .any(|r| r.start <= at && at < r.end)
    };
    for (mi, m) in kind.markers.iter().enumerate() {
        if m.start.is_empty() || m.end.is_empty() {
            continue;
        }
        let mut from = body_start;
        while let Some(i) = text.get(from..).and_then(|t| t.find(&m.start)) {
            let start = from + i;
            let open_end = start + m.start.len();
            from = open_end;
            if skipped(start) {
                continue;
            }
            let line_end = text
                .get(open_end..)
                .and_then(|t| t.find('\n'))
                .map_or(text.len(), |n| open_end + n);
            let Some(close) = text
                .get(open_end..line_end)
                .and_then(|t| t.find(&m.end))
                .map(|n| open_end + n)
            else {
                continue;
            };
            if close - start > MAX_MARKER {
                continue;
            }
            let inner = text.get(open_end..close).unwrap_or("");
            let inner = inner.trim_start_matches([':', '：']).trim();
            let end = close + m.end.len();
            // "No [NEEDS CLARIFICATION] markers remain" (spec-kit's own
            // checklist item) names the marker; it asks nothing.
            if inner.is_empty() && names_the_marker(text.get(end..line_end).unwrap_or("")) {
                from = end;
                continue;
            }
            out.push(MarkerUse {
                marker: mi,
                text: inner.to_string(),
                range: TextRange::from_usize(start, end),
            });
            from = end;
        }
    }
    out.sort_by_key(|m| m.range.start);
    out
}

/// Whether the words after an empty marker talk about markers (also as
/// translated checklists write it: 標記, 标记, マーカー, 마커).
fn names_the_marker(after: &str) -> bool {
    after.split_whitespace().next().is_some_and(|w| {
        w.to_ascii_lowercase().starts_with("marker")
            || ["標記", "标记", "マーカー", "마커"]
                .iter()
                .any(|t| w.starts_with(t))
    })
}

/// `<!-- … -->` spans (an unterminated one runs to the end).
fn html_comments(text: &str) -> Vec<TextRange> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|t| t.find("<!--")) {
        let start = from + i;
        let end = text
            .get(start + 4..)
            .and_then(|t| t.find("-->"))
            .map_or(text.len(), |n| start + 4 + n + 3);
        out.push(TextRange::from_usize(start, end));
        from = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Marker;

    fn kind() -> Kind {
        let mut k: Kind =
            toml::from_str("id = \"k\"\nphase = \"p\"\npaths = [\"x.md\"]\n").unwrap();
        k.markers.push(Marker {
            start: "[NEEDS CLARIFICATION".into(),
            end: "]".into(),
            message: String::new(),
        });
        k
    }

    #[test]
    fn markers_in_prose_only() {
        let text = "- FR-1: via [NEEDS CLARIFICATION: auth — SSO?] ok\n`[NEEDS CLARIFICATION: code]`\n<!-- [NEEDS CLARIFICATION: comment] -->\n[NEEDS CLARIFICATION: no close\n";
        let code = text.find('`').unwrap();
        let skip = [TextRange::from_usize(code, code + 30)];
        let found = find(text, &kind(), 0, &skip);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].text, "auth — SSO?");
        let start = text.find("[NEEDS").unwrap();
        assert_eq!(
            found[0].range,
            TextRange::from_usize(start, text.find("] ok").unwrap() + 1)
        );
    }
}
