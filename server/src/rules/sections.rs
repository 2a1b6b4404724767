//! title-missing, section-missing, section-order, section-unexpected.

use crate::artifact::Artifact;
use crate::artifact::sections::{heading_matches, matched};
use crate::schema::{ExtraSections, Kind};

use super::Sink;
use super::frontmatter::kind_name;

pub fn check(art: &Artifact, kind: &Kind, sink: &mut Sink) {
    if kind.title.required && art.title().is_none() {
        let hint = kind
            .title
            .patterns
            .first()
            .map(|p| format!(": `# {p}`"))
            .unwrap_or_default();
        sink.push(
            "title-missing",
            art.anchor(),
            format!("{} must start with a level-1 title{hint}", kind_name(kind)),
        );
    }
    let found = matched(art, kind);
    missing(art, kind, &found, sink);
    if kind.ordered {
        order(art, kind, sink);
    }
    if kind.extra_sections == ExtraSections::Report {
        unexpected(art, kind, &found, sink);
    }
}

/// The one note for a file that does not follow its kind's template, in
/// place of its title and section findings.
pub fn mismatch(art: &Artifact, kind: &Kind, sink: &mut Sink) {
    let Some(e) = &kind.evidence else { return };
    let mut wanted = Vec::new();
    if e.title
        && let Some(p) = kind.title.patterns.first()
    {
        wanted.push(format!("a title like `# {p}`"));
    }
    if e.sections > 0 {
        let names: Vec<&str> = kind
            .sections
            .iter()
            .filter(|s| s.parent.is_none())
            .map(|s| s.heading.as_str())
            .collect();
        let most = if e.most {
            ", and more than half of them or of the file's own sections"
        } else {
            ""
        };
        wanted.push(format!(
            "{} of its sections ({}){most}",
            if e.sections == 1 {
                "one".to_string()
            } else {
                format!("{}", e.sections)
            },
            names.join(", ")
        ));
    }
    sink.push(
        "template-mismatch",
        art.anchor(),
        format!(
            "does not follow the {} template, so it is not checked against it (expected {})",
            kind_name(kind),
            wanted.join(" or ")
        ),
    );
}

fn missing(art: &Artifact, kind: &Kind, found: &[(usize, usize)], sink: &mut Sink) {
    for (si, sec) in kind.sections.iter().enumerate() {
        if !sec.required || found.iter().any(|&(s, _)| s == si) {
            continue;
        }
        // A sub-section is only missing when its parent is there.
        let parent_node = match &sec.parent {
            Some(p) => {
                let Some(pi) = kind.sections.iter().position(|s| &s.id == p) else {
                    continue;
                };
                match found
                    .iter()
                    .find(|&&(s, _)| s == pi)
                    .and_then(|&(_, n)| art.sections.get(n))
                {
                    Some(node) => Some(node),
                    None => continue,
                }
            }
            None => None,
        };
        let hashes = "#".repeat(sec.level as usize);
        // The first few aliases: translations make the full list long.
        const SHOWN: usize = 3;
        let aliases = if sec.aliases.is_empty() {
            String::new()
        } else {
            let mut list = sec
                .aliases
                .iter()
                .take(SHOWN)
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ");
            if sec.aliases.len() > SHOWN {
                list.push_str(&format!(" and {} more", sec.aliases.len() - SHOWN));
            }
            format!(" (or {list})")
        };
        let (range, place) = match parent_node {
            Some(p) => (p.range, format!(" under `{}`", p.text)),
            None => (art.anchor(), String::new()),
        };
        sink.push(
            "section-missing",
            range,
            format!(
                "{} requires section `{hashes} {}`{aliases}{place}",
                kind_name(kind),
                sec.heading
            ),
        );
    }
}

/// Matched sections sharing one parent, in document order.
type Siblings<'k> = (Option<&'k str>, Vec<(usize, usize)>);

/// A section out of its declared order, and where it belongs: before the
/// kept sibling `before` (earlier in the document) or else after the kept
/// sibling `after` (later in it). Indices into `art.sections` and
/// `kind.sections`; shared by the rule and its quick fix (`features/fixes.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Misplaced {
    pub node: usize,
    pub section: usize,
    /// (node, section) of the sibling it should come before.
    pub before: Option<(usize, usize)>,
    /// (node, section) of the sibling it should come after.
    pub after: Option<(usize, usize)>,
}

/// The fewest headings that, moved, would restore the declared order
/// (those outside a longest increasing run), each among its siblings.
pub fn misplaced(art: &Artifact, kind: &Kind) -> Vec<Misplaced> {
    let found = matched(art, kind);
    let mut groups: Vec<Siblings> = Vec::new();
    let mut seen: Vec<usize> = Vec::new();
    for &(si, ni) in &found {
        // A section repeated later (a check re-run after design) is not out
        // of order: only its first occurrence has a place in the order.
        if seen.contains(&si) {
            continue;
        }
        seen.push(si);
        // A section whose place the template does not fix has no place in the order.
        if kind.sections.get(si).is_some_and(|s| !s.ordered) {
            continue;
        }
        let parent = kind.sections.get(si).and_then(|s| s.parent.as_deref());
        match groups.iter_mut().find(|(p, _)| *p == parent) {
            Some((_, v)) => v.push((si, ni)),
            None => groups.push((parent, vec![(si, ni)])),
        }
    }
    let mut out = Vec::new();
    for (_, group) in groups {
        let keys: Vec<usize> = group.iter().map(|&(s, _)| s).collect();
        let keep = longest_increasing(&keys);
        let kept: Vec<(usize, usize)> =
            keep.iter().filter_map(|&k| group.get(k).copied()).collect();
        for (i, &(si, ni)) in group.iter().enumerate() {
            if keep.contains(&i) {
                continue;
            }
            // Too late: a kept section before it in the document belongs after it.
            let before = kept
                .iter()
                .find(|&&(s, n)| n < ni && s > si)
                .map(|&(s, n)| (n, s));
            // Too early: a kept section after it in the document belongs before it.
            let after = kept
                .iter()
                .rev()
                .find(|&&(s, n)| n > ni && s < si)
                .map(|&(s, n)| (n, s));
            out.push(Misplaced {
                node: ni,
                section: si,
                before,
                after,
            });
        }
    }
    out
}

fn order(art: &Artifact, kind: &Kind, sink: &mut Sink) {
    let heading = |si: usize| kind.sections.get(si).map(|s| s.heading.as_str());
    for m in misplaced(art, kind) {
        let (Some(node), Some(name)) = (art.sections.get(m.node), heading(m.section)) else {
            continue;
        };
        let msg = match (
            m.before.and_then(|(_, s)| heading(s)),
            m.after.and_then(|(_, s)| heading(s)),
        ) {
            (Some(b), _) => format!("`{name}` should come before `{b}`"),
            (None, Some(a)) => format!("`{name}` should come after `{a}`"),
            (None, None) => format!("`{name}` is out of order"),
        };
        sink.push("section-order", node.range, msg);
    }
}

/// Indices of one longest strictly increasing subsequence (patience sorting).
fn longest_increasing(keys: &[usize]) -> Vec<usize> {
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; keys.len()];
    for (i, &k) in keys.iter().enumerate() {
        let pos = tails.partition_point(|&t| keys.get(t).is_some_and(|&v| v < k));
        if pos > 0 {
            prev[i] = tails.get(pos - 1).copied();
        }
        if pos == tails.len() {
            tails.push(i);
        } else if let Some(slot) = tails.get_mut(pos) {
            *slot = i;
        }
    }
    let mut out = Vec::new();
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        out.push(i);
        cur = prev.get(i).copied().flatten();
    }
    out.reverse();
    out
}

fn unexpected(art: &Artifact, kind: &Kind, found: &[(usize, usize)], sink: &mut Sink) {
    let top_level = kind
        .sections
        .iter()
        .filter(|s| s.parent.is_none())
        .map(|s| s.level)
        .min()
        .unwrap_or(2);
    for (ni, node) in art.sections.iter().enumerate() {
        if node.level != top_level || found.iter().any(|&(_, n)| n == ni) {
            continue;
        }
        let near = kind
            .sections
            .iter()
            .filter(|s| s.level == top_level)
            .find(|s| heading_matches(s, &node.text));
        if near.is_some() {
            continue;
        }
        let allowed: Vec<&str> = kind
            .sections
            .iter()
            .filter(|s| s.level == top_level)
            .map(|s| s.heading.as_str())
            .collect();
        sink.push(
            "section-unexpected",
            node.range,
            format!(
                "`{}` is not a {} section; its sections are: {}",
                node.text,
                kind_name(kind),
                allowed.join(", ")
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::longest_increasing;

    #[test]
    fn lis() {
        assert_eq!(longest_increasing(&[3, 0, 1, 2]), vec![1, 2, 3]);
        assert_eq!(longest_increasing(&[0, 2, 1, 3]).len(), 3);
        assert!(longest_increasing(&[]).is_empty());
    }
}
