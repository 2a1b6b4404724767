//! Quick fixes bound to one finding's place: a broken link pointed at the
//! nearest existing file or heading (or unlinked), a section moved to where
//! its template puts it, a missing title inserted, an unclosed flow list in
//! the frontmatter closed. Each is offered where its finding is (`at`), and
//! preferred only when it has one reading.

use crate::artifact::{Artifact, Class};
use crate::rules::sections::{Misplaced, misplaced};
use crate::schema::Kind;
use crate::syntax::inline::LinkKind;
use crate::text::{TextRange, nearest, to_u32};
use crate::workspace::Workspace;
use crate::workspace::fs::{Entry, list_dir};
use crate::workspace::resolve::{is_external, resolve};

use super::actions::{Action, ActionKind, FileOp};

/// A quick fix for the finding at `at`.
#[derive(Debug, Clone)]
pub struct Fix {
    pub action: Action,
    /// The finding's range: the fix is offered there, and resolves the
    /// findings of its codes that overlap it.
    pub at: TextRange,
    /// The one obvious fix (an editor may apply it without asking).
    pub preferred: bool,
    /// The artifact the finding is about, when several findings of one code
    /// can share a place (`route-stale` per source): the fix resolves only
    /// the findings whose related information names it.
    pub about: Option<String>,
}

/// Every quick fix of the open artifact `art` whose current text is `text`.
pub fn fixes(ws: &Workspace, art: &Artifact, text: &str) -> Vec<Fix> {
    let mut out = Vec::new();
    out.extend(link_fixes(ws, art, text));
    out.extend(unclosed_flow_list(art, text));
    out.extend(super::acknowledge::fixes(ws, art, text));
    if let Some(kind) = ws.kind_of(art) {
        out.extend(section_moves(art, kind, text));
        out.extend(insert_title(ws, art, kind, text));
    }
    out
}

fn fix(path: &str, title: String, code: &'static str, edits: Vec<(TextRange, String)>) -> Action {
    Action {
        title,
        kind: ActionKind::QuickFix,
        ops: vec![FileOp::Edit {
            path: path.to_string(),
            edits,
        }],
        fixes: vec![code],
    }
}

/// link-broken: a file name or `#anchor` that is a typo of one that exists
/// is corrected; any broken inline link can be unlinked (its text kept).
fn link_fixes(ws: &Workspace, art: &Artifact, text: &str) -> Vec<Fix> {
    let mut out = Vec::new();
    for link in art.links.iter().filter(|l| l.kind == LinkKind::Inline) {
        let Some(raw) = text.get(link.dest_range.start as usize..link.dest_range.end as usize)
        else {
            continue;
        };
        // Only a destination written plainly is rewritten: percent-escapes,
        // queries and `<…>` would need re-encoding to keep their meaning.
        if raw != link.dest || raw.contains(['%', '?', '\\']) || is_external(raw) {
            continue;
        }
        let Some(target) = retarget(ws, art, raw) else {
            continue;
        };
        if let Some((new, unique)) = target {
            out.push(Fix {
                action: fix(
                    &art.path,
                    format!("Change link to `{new}`"),
                    "link-broken",
                    vec![(link.dest_range, new)],
                ),
                at: link.range,
                preferred: unique,
                about: None,
            });
        }
        if let Some(label) = link_text(link.range, link.dest_range, text) {
            out.push(Fix {
                action: fix(
                    &art.path,
                    format!("Unlink `{label}` (keep its text)"),
                    "link-broken",
                    vec![(link.range, label.to_string())],
                ),
                at: link.range,
                preferred: false,
                about: None,
            });
        }
    }
    out
}

/// For a broken destination, `Some(Some((corrected, unique)))` when a file
/// name or heading within a typo's distance exists, `Some(None)` when broken
/// with nothing near, None when it is not broken (or not ours to judge).
#[allow(clippy::option_option)]
fn retarget(ws: &Workspace, art: &Artifact, raw: &str) -> Option<Option<(String, bool)>> {
    let (path, fragment) = match raw.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (raw, None),
    };
    if path.is_empty() {
        let fragment = fragment.filter(|f| !f.is_empty())?;
        return heading_fix(art.sections.iter().map(|s| s.slug.as_str()), fragment)
            .map(|f| f.map(|(slug, u)| (format!("#{slug}"), u)));
    }
    let target = resolve(&ws.root, &art.path, path)?;
    match ws.fs.probe(&target) {
        Entry::Missing => {
            let dir = target.parent()?;
            if ws.fs.probe(dir) != Entry::Dir {
                return Some(None);
            }
            let name = target.file_name()?.to_str()?;
            let files = list_dir(dir);
            let names = files.iter().filter(|(_, d)| !d).map(|(n, _)| n.as_str());
            let Some((found, unique)) = nearest(name, names) else {
                return Some(None);
            };
            let kept = path.len() - path.rsplit('/').next().map_or(0, str::len);
            let mut new = format!("{}{found}", path.get(..kept).unwrap_or(""));
            if let Some(f) = fragment {
                new.push('#');
                new.push_str(f);
            }
            Some(Some((new, unique)))
        }
        Entry::File => {
            let fragment = fragment.filter(|f| !f.is_empty())?;
            let rel = crate::workspace::scan_relative(&ws.root, &target);
            let slugs: Vec<String> = match rel.as_ref().and_then(|r| ws.artifacts.get(r)) {
                Some(a) => a.sections.iter().map(|s| s.slug.clone()).collect(),
                None if is_markdown(path) => ws.fs.heading_slugs(&target).to_vec(),
                None => return None,
            };
            heading_fix(slugs.iter().map(String::as_str), fragment)
                .map(|f| f.map(|(slug, u)| (format!("{path}#{slug}"), u)))
        }
        _ => None,
    }
}

/// None when `fragment` names a heading; else the nearest slug, if any.
#[allow(clippy::option_option)]
fn heading_fix<'a>(
    slugs: impl Iterator<Item = &'a str> + Clone,
    fragment: &str,
) -> Option<Option<(String, bool)>> {
    let lower = fragment.to_lowercase();
    if slugs.clone().any(|s| s == lower) {
        return None;
    }
    Some(nearest(fragment, slugs).map(|(s, u)| (s.to_string(), u)))
}

fn is_markdown(p: &str) -> bool {
    let l = p.to_ascii_lowercase();
    l.ends_with(".md") || l.ends_with(".markdown")
}

/// The text of an inline link `[text](dest)` (None for images and odd shapes).
fn link_text(range: TextRange, dest: TextRange, text: &str) -> Option<&str> {
    let head = text.get(range.start as usize..dest.start as usize)?;
    let inner = head.strip_prefix('[')?;
    let label = inner
        .strip_suffix("](<")
        .or_else(|| inner.strip_suffix("]("))?;
    (!label.is_empty()).then_some(label)
}

/// section-order: the whole section (its sub-sections with it) cut and put
/// before the sibling it should precede, or after the one it should follow.
fn section_moves(art: &Artifact, kind: &Kind, text: &str) -> Vec<Fix> {
    let mut out = Vec::new();
    for m in misplaced(art, kind) {
        if let Some(f) = section_move(art, kind, text, m) {
            out.push(f);
        }
    }
    out
}

fn section_move(art: &Artifact, kind: &Kind, text: &str, m: Misplaced) -> Option<Fix> {
    let node = art.sections.get(m.node)?;
    let name = &kind.sections.get(m.section)?.heading;
    let cut = node.extent();
    let (at, place) = match (m.before, m.after) {
        (Some((n, s)), _) => (
            art.sections.get(n)?.range.start,
            format!("before `{}`", kind.sections.get(s)?.heading),
        ),
        (None, Some((n, s))) => (
            art.sections.get(n)?.extent().end,
            format!("after `{}`", kind.sections.get(s)?.heading),
        ),
        (None, None) => return None,
    };
    // Never into itself (a sibling written as its sub-heading).
    if at > cut.start && at < cut.end {
        return None;
    }
    let body = cut.slice(text).trim_end_matches(['\n', '\r']);
    // Appended at the end: after one blank line, ending the file with one
    // newline; elsewhere: followed by the blank line that separated it.
    let moved = if at as usize >= text.len() {
        let lead = if text.ends_with("\n\n") {
            ""
        } else if text.ends_with('\n') {
            "\n"
        } else {
            "\n\n"
        };
        format!("{lead}{body}\n")
    } else {
        format!("{body}\n\n")
    };
    Some(Fix {
        action: fix(
            &art.path,
            format!("Move `{name}` {place}"),
            "section-order",
            vec![(cut, String::new()), (TextRange::empty(at), moved)],
        ),
        at: node.range,
        preferred: true,
        about: None,
    })
}

/// title-missing: `# <pattern>` with the work item's name, where the body starts.
fn insert_title(ws: &Workspace, art: &Artifact, kind: &Kind, text: &str) -> Option<Fix> {
    if !kind.title.required || art.title().is_some() {
        return None;
    }
    let captures = match &art.class {
        Class::Known { captures, .. } => captures.as_slice(),
        _ => &[],
    };
    let name = super::template::item_name(ws, art, captures);
    let title = match kind.title.patterns.first() {
        Some(p) if p.contains("{name}") && !name.is_empty() => p.replace("{name}", &name),
        Some(p) if !p.contains('{') => p.clone(),
        None if !name.is_empty() => name,
        _ => return None,
    };
    let at = art.anchor();
    let body_start = art.frontmatter.as_ref().map_or(0, |f| f.range.end);
    let (pos, new) = if at.is_empty() && (at.start as usize) >= text.len() {
        let sep = if text.is_empty() || text.ends_with('\n') {
            ""
        } else {
            "\n"
        };
        (to_u32(text.len()), format!("{sep}\n# {title}\n"))
    } else {
        (at.start.max(body_start), format!("# {title}\n\n"))
    };
    Some(Fix {
        action: fix(
            &art.path,
            format!("Insert title `# {title}`"),
            "title-missing",
            vec![(TextRange::empty(pos), new)],
        ),
        at,
        preferred: true,
        about: None,
    })
}

/// frontmatter-invalid from a flow list left open (`tags: [dr, backup`):
/// closed at the end of its line, offered only when exactly one line is open
/// and the closed frontmatter then parses.
fn unclosed_flow_list(art: &Artifact, text: &str) -> Option<Fix> {
    let fm = art.frontmatter.as_ref()?;
    let err = fm.error.as_ref()?;
    let block = fm.range.slice(text);
    let mut open = Vec::new();
    let mut offset = fm.range.start as usize;
    for line in block.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let value = body.split_once(": ").map(|(_, v)| v.trim());
        if let Some(v) = value
            && v.starts_with('[')
            && !v.contains([']', '{', '}', '"', '\'', '#'])
        {
            open.push(offset + body.trim_end().len());
        }
        offset += line.len();
    }
    let [end] = open.as_slice() else {
        return None;
    };
    let mut fixed = text.to_string();
    fixed.insert(*end, ']');
    let reparsed = crate::syntax::frontmatter::parse(&fixed)?;
    if reparsed.error.is_some() {
        return None;
    }
    let line_start = text.get(..*end)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(line_start..*end)?.trim();
    // Offered on the open line and where YAML reported the break.
    let at = TextRange::new(
        to_u32(line_start).min(err.range.start),
        to_u32(*end).max(err.range.end),
    );
    Some(Fix {
        action: fix(
            &art.path,
            format!("Close the list: `{line}]`"),
            "frontmatter-invalid",
            vec![(TextRange::empty(to_u32(*end)), "]".to_string())],
        ),
        at,
        preferred: true,
        about: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_text_of_inline_links() {
        let t = "see [the plan](plan.md) and ![img](x.png)";
        let r = TextRange::new(4, 23);
        assert_eq!(link_text(r, TextRange::new(15, 22), t), Some("the plan"));
        assert_eq!(
            link_text(TextRange::new(28, 41), TextRange::new(34, 39), t),
            None
        );
    }
}
