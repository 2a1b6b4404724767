//! The version of an artifact's content that a cross-flavor route
//! acknowledges: a hash of its body (the text after the frontmatter) and one
//! hash per top-level section, so that a changed source can say which
//! sections were added, removed or edited (`docs/links.md`).
//!
//! The frontmatter is left out on purpose: a status moving to `approved` or a
//! new entry in `routes:` is not news for the team that follows the artifact.
//! So are the places a rename rewrites (link destinations, declared code
//! paths, path arguments of slash commands: `masks`): moving a spec folder or
//! `src/auth` changes where things are, not what the artifact says, and must
//! not send every route target back to re-read it.

use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::text::{TextRange, to_u32};

use super::model::SectionNode;

/// Key of the text before the first heading, when there is any.
pub const PREAMBLE: &str = "preamble";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    /// 16 hex digits of the SHA-256 of the normalized body.
    pub hash: String,
    /// The body cut at headings of level 1 and 2, in order.
    pub sections: Vec<SectionVersion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionVersion {
    /// The heading's GitHub slug (unique in the file), or `preamble`.
    pub key: String,
    /// The heading as written, for messages.
    pub title: String,
    /// 8 hex digits of the SHA-256 of the normalized section, heading included.
    pub hash: String,
    /// The heading (or the start of the preamble).
    pub range: TextRange,
}

/// How two versions differ, by section key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub edited: Vec<String>,
}

impl Change {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.edited.is_empty()
    }

    /// "edited `Sessions`; added `Rollout`; removed `implementation-notes`".
    pub fn describe(&self, now: &Version) -> String {
        let title = |k: &String| {
            now.sections
                .iter()
                .find(|s| &s.key == k)
                .map_or_else(|| k.clone(), |s| s.title.clone())
        };
        let list = |keys: &[String], f: &dyn Fn(&String) -> String| {
            keys.iter()
                .map(|k| format!("`{}`", f(k)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut parts = Vec::new();
        if !self.edited.is_empty() {
            parts.push(format!("edited {}", list(&self.edited, &title)));
        }
        if !self.added.is_empty() {
            parts.push(format!("added {}", list(&self.added, &title)));
        }
        if !self.removed.is_empty() {
            parts.push(format!("removed {}", list(&self.removed, &|k| k.clone())));
        }
        if parts.is_empty() {
            "its text changed outside its sections".to_string()
        } else {
            parts.join("; ")
        }
    }
}

/// The version of `text`, whose body starts at `body_start`, cut at the
/// artifact's own headings; the bytes of `masks` do not count.
pub fn of(text: &str, body_start: u32, headings: &[SectionNode], masks: &[TextRange]) -> Version {
    let masks = merged(masks);
    let end = to_u32(text.len());
    let cuts: Vec<&SectionNode> = headings
        .iter()
        .filter(|s| s.level <= 2 && s.range.start >= body_start)
        .collect();
    let mut sections = Vec::new();
    let first = cuts.first().map_or(end, |s| s.range.start);
    let pre = TextRange::new(body_start.min(first), first);
    let pre_text = unmasked(text, pre, &masks);
    if !normalize(&pre_text).is_empty() {
        sections.push(SectionVersion {
            key: PREAMBLE.to_string(),
            title: "text before the first heading".to_string(),
            hash: short(&pre_text, 8),
            range: TextRange::empty(body_start),
        });
    }
    for (i, s) in cuts.iter().enumerate() {
        let stop = cuts.get(i + 1).map_or(end, |n| n.range.start);
        sections.push(SectionVersion {
            key: s.slug.clone(),
            title: s.text.clone(),
            hash: short(
                &unmasked(text, TextRange::new(s.range.start, stop), &masks),
                8,
            ),
            range: s.range,
        });
    }
    Version {
        hash: short(
            &unmasked(text, TextRange::new(body_start.min(end), end), &masks),
            16,
        ),
        sections,
    }
}

/// What of `text` a version leaves out: the places a rename rewrites —
/// destinations of inline links, images and reference definitions, declared
/// code paths, and slash-command arguments that can name a file.
pub fn masks(art: &super::Artifact, text: &str) -> Vec<TextRange> {
    use crate::syntax::inline::LinkKind;
    let links = art
        .links
        .iter()
        .filter(|l| matches!(l.kind, LinkKind::Inline | LinkKind::Image))
        .map(|l| l.dest_range);
    let defs = art.link_defs.iter().map(|d| d.dest_range);
    let code = art.code_paths.iter().map(|c| c.range);
    let args = art
        .commands
        .iter()
        .flat_map(|c| &c.args)
        .filter(|(w, r)| names_a_file(w, r.slice(text)))
        .map(|(_, r)| *r);
    links.chain(defs).chain(code).chain(args).collect()
}

/// Whether a slash-command argument can name a file, which a rename
/// rewrites: a path (`a/b`), a file name (`x.md`), or a bare name written
/// as one unquoted word of file-name characters with a letter in it
/// (`/plan k8s-upgrade-research`, resolved as `k8s-upgrade-research.md`,
/// becomes `/plan cluster-upgrade-research`). This is decided without the
/// workspace, before the command is bound, so it also holds for the name a
/// rename writes. A quoted topic (`/research "session expiry"`) or a number
/// (`/implement 3`) is content and counts.
fn names_a_file(word: &str, raw: &str) -> bool {
    if word.contains('/') || word.ends_with(".md") {
        return true;
    }
    raw == word
        && word.chars().any(char::is_alphabetic)
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Sorted, overlaps joined.
fn merged(masks: &[TextRange]) -> Vec<TextRange> {
    let mut v: Vec<TextRange> = masks.iter().copied().filter(|r| !r.is_empty()).collect();
    v.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<TextRange> = Vec::with_capacity(v.len());
    for r in v {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// `range` of `text` without the bytes of `masks` (sorted, disjoint).
fn unmasked(text: &str, range: TextRange, masks: &[TextRange]) -> String {
    let mut out = String::new();
    let mut at = range.start;
    for m in masks
        .iter()
        .filter(|m| m.end > range.start && m.start < range.end)
    {
        if m.start > at {
            out.push_str(TextRange::new(at, m.start).slice(text));
        }
        at = at.max(m.end);
    }
    if at < range.end {
        out.push_str(TextRange::new(at, range.end).slice(text));
    }
    out
}

/// The body of a whole file: what follows its frontmatter.
pub fn body_of(text: &str) -> &str {
    // As extraction cuts it: an unterminated block swallows no markdown.
    let start = crate::syntax::frontmatter::parse(text)
        .filter(|f| f.error.is_none() || (f.range.end as usize) < text.len())
        .map_or(0, |f| f.range.end as usize);
    text.get(start..).unwrap_or(text)
}

/// How `now` differs from what was acknowledged (`(key, hash)` pairs).
pub fn compare(acknowledged: &[(String, String)], now: &Version) -> Change {
    let mut c = Change::default();
    for s in &now.sections {
        match acknowledged.iter().find(|(k, _)| *k == s.key) {
            None => c.added.push(s.key.clone()),
            Some((_, h)) if *h != s.hash => c.edited.push(s.key.clone()),
            Some(_) => {}
        }
    }
    for (k, _) in acknowledged {
        if !now.sections.iter().any(|s| &s.key == k) {
            c.removed.push(k.clone());
        }
    }
    c
}

/// Line endings, trailing spaces and blank lines at either end do not count.
fn normalize(s: &str) -> String {
    let lines: Vec<&str> = s.lines().map(str::trim_end).collect();
    let first = lines.iter().position(|l| !l.is_empty());
    let last = lines.iter().rposition(|l| !l.is_empty());
    match (first, last) {
        (Some(a), Some(b)) => lines.get(a..=b).unwrap_or(&[]).join("\n"),
        _ => String::new(),
    }
}

fn short(s: &str, digits: usize) -> String {
    let d = sha2::Sha256::digest(normalize(s).as_bytes());
    let hex: String = d.iter().map(|b| format!("{b:02x}")).collect();
    hex.chars().take(digits).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(level: u8, text: &str, slug: &str, src: &str) -> SectionNode {
        let start = to_u32(
            src.find(&format!("{} {text}", "#".repeat(level.into())))
                .unwrap_or(0),
        );
        SectionNode {
            level,
            text: text.into(),
            slug: slug.into(),
            range: TextRange::new(start, start + 3),
            text_range: TextRange::new(start, start + 3),
            end: 0,
        }
    }

    fn version(src: &str) -> Version {
        let hs = [
            heading(1, "Título", "título", src),
            heading(2, "Goal", "goal", src),
            heading(3, "Detail", "detail", src),
            heading(2, "Scope", "scope", src),
        ];
        let hs: Vec<SectionNode> = hs.into_iter().filter(|h| src.contains(&h.text)).collect();
        let start = to_u32(src.len() - body_of(src).len());
        of(src, start, &hs, &[])
    }

    #[test]
    fn sections_added_removed_edited() {
        let a = "---\nx: 1\n---\n# Título\n\n## Goal\nA\n### Detail\nB\n## Scope\nC\n";
        let v = version(a);
        let keys: Vec<&str> = v.sections.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["título", "goal", "scope"]);
        // Frontmatter, CRLF and trailing spaces change nothing.
        let same = "---\nx: 2\n---\r\n# Título  \r\n\r\n## Goal\r\nA\r\n### Detail\r\nB\r\n## Scope\r\nC\r\n\r\n";
        assert_eq!(version(same), version(a).clone_with_ranges(&version(same)));
        assert_eq!(version(same).hash, v.hash);
        // A sub-section's edit is its section's edit.
        let edited = a.replace("B\n", "B2\n").replace("## Scope\nC\n", "");
        let now = version(&edited);
        let acked: Vec<(String, String)> = v
            .sections
            .iter()
            .map(|s| (s.key.clone(), s.hash.clone()))
            .collect();
        let c = compare(&acked, &now);
        assert_eq!(c.edited, ["goal"]);
        assert_eq!(c.removed, ["scope"]);
        assert!(c.added.is_empty());
        assert_eq!(c.describe(&now), "edited `Goal`; removed `scope`");
        assert!(compare(&acked, &v).is_empty());
    }

    #[test]
    fn preamble_counts() {
        let v = version("intro\n## Goal\nA\n");
        assert_eq!(v.sections.first().map(|s| s.key.as_str()), Some(PREAMBLE));
        assert_eq!(v.hash.len(), 16);
        assert!(v.sections.iter().all(|s| s.hash.len() == 8));
    }

    #[test]
    fn masked_places_do_not_count() {
        let at = |src: &str, needle: &str| {
            let start = to_u32(src.find(needle).unwrap_or(0));
            TextRange::new(start, start + to_u32(needle.len()))
        };
        let hs = |src: &str| [heading(2, "Goal", "goal", src)];
        let a = "## Goal\nSee [the flow](../login/spec.md#flow) in `src/auth/a.ts`.\n";
        let b =
            "## Goal\nSee [the flow](../../identity/login/spec.md#flow) in `src/identity/a.ts`.\n";
        let va = of(
            a,
            0,
            &hs(a),
            &[at(a, "../login/spec.md#flow"), at(a, "src/auth/a.ts")],
        );
        let vb = of(
            b,
            0,
            &hs(b),
            &[
                at(b, "src/identity/a.ts"),
                at(b, "../../identity/login/spec.md#flow"),
            ],
        );
        assert_eq!(va.hash, vb.hash);
        assert_eq!(
            va.sections.first().map(|s| &s.hash),
            vb.sections.first().map(|s| &s.hash)
        );
        // Unmasked, the destination counts; so does the link's text.
        assert_ne!(of(a, 0, &hs(a), &[]).hash, va.hash);
        let c = a.replace("the flow", "the new flow");
        assert_ne!(
            of(&c, 0, &hs(&c), &[at(&c, "../login/spec.md#flow")]).hash,
            va.hash
        );
        // Overlapping and out-of-order masks, multi-byte text around them.
        let d = "## Goal\nÉté [ü](x/ÿ.md) 😀\n";
        let m = at(d, "x/ÿ.md");
        let e = "## Goal\nÉté [ü]() 😀\n";
        assert_eq!(
            of(d, 0, &hs(d), &[m, TextRange::new(m.start + 1, m.end), m]).hash,
            of(e, 0, &hs(e), &[]).hash
        );
    }

    impl Version {
        /// `self` with the heading ranges of `other` (equal texts, shifted bytes).
        fn clone_with_ranges(&self, other: &Version) -> Version {
            let mut v = self.clone();
            for (a, b) in v.sections.iter_mut().zip(&other.sections) {
                a.range = b.range;
            }
            v
        }
    }
}
