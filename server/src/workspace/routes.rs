//! Cross-flavor routes: the artifacts named by an artifact's routes field
//! (its kind's `routes`), the artifacts routing to a given one, what a
//! target acknowledged of each (its kind's `routed_from`). Versions, not
//! dates, say whether a target kept up with its source.

use std::collections::HashMap;

use crate::artifact::Artifact;
use crate::artifact::version::{self, Change, Version};
use crate::syntax::frontmatter::{FmField, FmValue};
use crate::text::TextRange;

use super::Workspace;

/// One entry of a routes field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// As written: relative to the file, or to the root with a leading `/`.
    pub dest: String,
    /// The entry in the frontmatter.
    pub range: TextRange,
    /// The root-relative path it names, when it is a local path.
    pub target: Option<String>,
}

/// The routes field of `art`'s kind, if it has one.
pub fn field<'a>(ws: &'a Workspace, art: &Artifact) -> Option<&'a str> {
    ws.kind_of(art)?.routes.as_deref()
}

/// The routes `art` declares, in order.
pub fn routes(ws: &Workspace, art: &Artifact) -> Vec<Route> {
    let Some(f) = field(ws, art)
        .and_then(|name| art.frontmatter.as_ref()?.get(name))
        .filter(|_| {
            art.frontmatter
                .as_ref()
                .is_some_and(|fm| fm.error.is_none())
        })
    else {
        return Vec::new();
    };
    f.text_items()
        .into_iter()
        .filter(|(d, _)| !d.trim().is_empty())
        .map(|(dest, range)| Route {
            target: crate::workspace::resolve::target(ws, &art.path, dest.trim()),
            dest,
            range,
        })
        .collect()
}

/// Route target → the paths of the artifacts routing to it, in path order.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Incoming(HashMap<String, Vec<String>>);

impl Incoming {
    pub fn compute(ws: &Workspace) -> Incoming {
        super::deps::visited(ws.artifacts.len());
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for a in ws.artifacts.values() {
            for t in targets(ws, a) {
                let v = map.entry(t).or_default();
                if v.last() != Some(&a.path) {
                    v.push(a.path.clone());
                }
            }
        }
        Incoming(map)
    }

    /// Adds `path` under each of `targets` (see `targets`), in path order.
    pub(super) fn add(&mut self, path: &str, targets: &[String]) {
        for t in targets {
            let v = self.0.entry(t.clone()).or_default();
            if let Err(at) = v.binary_search_by(|p| p.as_str().cmp(path)) {
                v.insert(at, path.to_string());
            }
        }
    }

    /// Takes `path` out from under each of `targets`.
    pub(super) fn remove(&mut self, path: &str, targets: &[String]) {
        for t in targets {
            if let Some(v) = self.0.get_mut(t) {
                v.retain(|p| p != path);
                if v.is_empty() {
                    self.0.remove(t);
                }
            }
        }
    }
}

/// The files `art`'s routes resolve to: its entries in `Incoming`.
pub fn targets(ws: &Workspace, art: &Artifact) -> Vec<String> {
    routes(ws, art)
        .into_iter()
        .filter_map(|r| r.target)
        .collect()
}

/// Artifacts whose routes name `path`, with the entry that names it.
pub fn incoming<'a>(ws: &'a Workspace, path: &str) -> Vec<(&'a Artifact, Route)> {
    let index = ws.routes_in();
    let mut out = Vec::new();
    for src in index.0.get(path).into_iter().flatten() {
        let Some(a) = ws.artifacts.get(src) else {
            continue;
        };
        for r in routes(ws, a) {
            if r.target.as_deref() == Some(path) {
                out.push((a, r));
            }
        }
    }
    out
}

/// One entry of a target's `routed_from`: the version of a source it acknowledged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    /// `path:` as written.
    pub dest: String,
    /// The root-relative path it names.
    pub source: Option<String>,
    /// The whole entry (up to the next token: trailing line breaks included).
    pub range: TextRange,
    /// `path: …`, where findings about the entry go.
    pub path_range: TextRange,
    pub hash: String,
    /// `(section key, hash)` in the order written.
    pub sections: Vec<(String, String)>,
}

/// The routed_from field of `art`'s kind, if it has one.
pub fn ack_field<'a>(ws: &'a Workspace, art: &Artifact) -> Option<&'a str> {
    ws.kind_of(art)?.routed_from.as_deref()
}

/// What `art` acknowledged, entry by entry (malformed entries are left out).
pub fn acks(ws: &Workspace, art: &Artifact) -> Vec<Ack> {
    let Some(f) = ack_field(ws, art).and_then(|name| {
        art.frontmatter
            .as_ref()
            .filter(|fm| fm.error.is_none())?
            .get(name)
    }) else {
        return Vec::new();
    };
    let FmValue::List(items) = &f.value else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|i| {
            let FmValue::Map(fields) = &i.value else {
                return None;
            };
            let get = |k: &str| fields.iter().find(|f| f.key == k);
            let path = get("path")?;
            let dest = path.value.as_text()?;
            let hash = get("hash")
                .and_then(|f| f.value.as_text())
                .unwrap_or_default();
            let sections = get("sections").map(section_hashes).unwrap_or_default();
            Some(Ack {
                source: crate::workspace::resolve::target(ws, &art.path, dest.trim()),
                dest,
                range: i.range,
                path_range: TextRange::new(
                    path.key_range.start,
                    path.value_range.end.max(path.key_range.end),
                ),
                hash,
                sections,
            })
        })
        .collect()
}

fn section_hashes(f: &FmField) -> Vec<(String, String)> {
    match &f.value {
        FmValue::Map(m) => m
            .iter()
            .filter_map(|s| Some((s.key.clone(), s.value.as_text()?)))
            .collect(),
        _ => Vec::new(),
    }
}

/// Where a route stands: what the target acknowledged of the source's current version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// The target acknowledged the current version.
    Acknowledged,
    /// The target never acknowledged the source.
    Never,
    /// The source changed since the acknowledged version.
    Changed(Ack, Change),
}

/// The standing of the route `source` → `target`, when the target's kind
/// records acknowledgements and the source has a version.
pub fn standing(ws: &Workspace, source: &Artifact, target: &Artifact) -> Option<Standing> {
    ack_field(ws, target)?;
    let now = source.version.as_ref()?;
    let ack = acks(ws, target)
        .into_iter()
        .find(|a| a.source.as_deref() == Some(source.path.as_str()));
    Some(match ack {
        None => Standing::Never,
        Some(a) if a.hash == now.hash => Standing::Acknowledged,
        Some(a) => {
            let change = version::compare(&a.sections, now);
            Standing::Changed(a, change)
        }
    })
}

/// Routes awaiting acknowledgement: `(source, target, standing)` for every
/// route whose target records acknowledgements and has not acknowledged
/// its source's current version. In source path order.
pub fn pending(ws: &Workspace) -> Vec<(&Artifact, &Artifact, Standing)> {
    let mut out = Vec::new();
    for s in ws.artifacts.values().filter(|a| a.version.is_some()) {
        for r in routes(ws, s) {
            let Some(t) = r.target.as_deref().and_then(|t| ws.artifacts.get(t)) else {
                continue;
            };
            match standing(ws, s, t) {
                Some(Standing::Acknowledged) | None => {}
                Some(st) => out.push((s, t, st)),
            }
        }
    }
    out
}

/// The acknowledgement of `v` as YAML lines, without the list's `- ` and
/// indented relative to the entry: `path: …`, `hash: "…"`, `sections:`, then
/// one `  key: "hash"` line per section.
pub fn ack_lines(dest: &str, v: &Version) -> Vec<String> {
    let mut out = vec![
        format!("path: {}", yaml_str(dest)),
        format!("hash: \"{}\"", v.hash),
    ];
    if !v.sections.is_empty() {
        out.push("sections:".to_string());
        for s in &v.sections {
            out.push(format!("  {}: \"{}\"", yaml_str(&s.key), s.hash));
        }
    }
    out
}

/// A path or slug as a YAML plain scalar when that reads back as the same
/// string, else double-quoted.
fn yaml_str(s: &str) -> String {
    const WORDS: [&str; 9] = ["null", "~", "true", "false", "yes", "no", "on", "off", "y"];
    let plain = !s.is_empty()
        && !s.starts_with('-')
        && s.chars().all(|c| c.is_alphanumeric() || "-_./".contains(c))
        && s.parse::<f64>().is_err()
        && !WORDS.iter().any(|w| w.eq_ignore_ascii_case(s));
    if plain {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    use super::yaml_str;

    #[test]
    fn yaml_scalars() {
        assert_eq!(yaml_str("../a/b-c.md"), "../a/b-c.md");
        assert_eq!(yaml_str("título"), "título");
        assert_eq!(yaml_str("a: b"), "\"a: b\"");
        assert_eq!(yaml_str("-x"), "\"-x\"");
        assert_eq!(yaml_str("2024"), "\"2024\"");
        assert_eq!(yaml_str("null"), "\"null\"");
        assert_eq!(yaml_str("say \"hi\""), "\"say \\\"hi\\\"\"");
    }
}
