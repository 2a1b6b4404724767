//! Work items: the artifacts that belong to one piece of work.
//!
//! Artifacts group by the work-item key their path yields. A kind whose
//! prerequisite declares `via` links to its prerequisite artifact through a
//! frontmatter field; without the field, a prerequisite with the same key
//! pairs by name, and otherwise a unique near match of names (a prefix, or
//! the initials: `dr` → `disaster-recovery`) pairs them, with a diagnostic
//! asking for the explicit link.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::artifact::Artifact;
use crate::syntax::frontmatter::FmValue;
use crate::text::TextRange;

use super::Workspace;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkItem {
    pub flavor: String,
    /// The key of the item's earliest-phase artifact.
    pub key: String,
    /// Root-relative paths, in the flavor's kind order.
    pub artifacts: Vec<String>,
}

/// How an artifact found (or failed to find) its prerequisite artifact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pairing {
    /// The `via` field names it.
    Declared { target: String },
    /// The `via` field names a file that is not such an artifact.
    Unresolved { value: String, range: TextRange },
    /// Same work-item key.
    SameKey { target: String },
    /// No field; one near match by name.
    Inferred { target: String, field: String },
    /// No field; several near matches.
    Ambiguous {
        candidates: Vec<String>,
        field: String,
    },
    /// No field and nothing that could be it.
    Missing { field: String },
}

#[derive(Debug, Default)]
pub struct Items {
    pub items: Vec<WorkItem>,
    by_path: HashMap<String, usize>,
    /// Per artifact path: its pairings, one per `via` prerequisite.
    pub pairings: HashMap<String, Vec<(String, Pairing)>>,
    /// Artifact paths by file name, for command arguments that name a file.
    by_file: HashMap<String, Vec<String>>,
    /// Bundle paths by bundle name.
    bundles: BTreeMap<String, Vec<String>>,
}

/// The kind id of context bundles: what bundle commands save, load and check.
pub const BUNDLE_KIND: &str = "bundle";

pub fn is_bundle(art: &Artifact) -> bool {
    art.class.kind() == Some(BUNDLE_KIND)
}

/// A bundle's name: its `{name}` capture, else its file stem.
pub fn bundle_name(art: &Artifact) -> String {
    if let crate::artifact::Class::Known { captures, .. } = &art.class
        && let Some((_, v)) = captures.iter().find(|(k, _)| k == "name")
    {
        return v.clone();
    }
    let file = art.path.rsplit('/').next().unwrap_or(&art.path);
    file.strip_suffix(".md").unwrap_or(file).to_string()
}

impl Items {
    pub fn of(&self, path: &str) -> Option<&WorkItem> {
        self.by_path.get(path).and_then(|&i| self.items.get(i))
    }

    /// Paths of the artifacts whose file name is `file`, in path order.
    pub fn named(&self, file: &str) -> &[String] {
        self.by_file.get(file).map_or(&[], Vec::as_slice)
    }

    /// Paths of the bundles called `name`, in path order.
    pub fn bundles_named(&self, name: &str) -> &[String] {
        self.bundles.get(name).map_or(&[], Vec::as_slice)
    }

    pub fn bundle_names(&self) -> impl Iterator<Item = &str> {
        self.bundles.keys().map(String::as_str)
    }

    pub fn compute(ws: &Workspace) -> Items {
        super::deps::visited(ws.artifacts.len());
        let names = Names::compute(ws);
        // Groups by (flavor, key); union-find over them.
        let mut group_of: HashMap<(&str, &str), usize> = HashMap::new();
        let mut members: Vec<Vec<&Artifact>> = Vec::new();
        for a in ws.artifacts.values() {
            let (Some(f), Some(k)) = (a.class.flavor(), a.class.work_item()) else {
                continue;
            };
            let g = *group_of.entry((f, k)).or_insert_with(|| {
                members.push(Vec::new());
                members.len() - 1
            });
            if let Some(m) = members.get_mut(g) {
                m.push(a);
            }
        }
        let mut parent: Vec<usize> = (0..members.len()).collect();
        let mut pairings: HashMap<String, Vec<(String, Pairing)>> = HashMap::new();
        for a in ws.artifacts.values() {
            let (Some(kind), Some(flavor)) = (ws.kind_of(a), a.class.flavor()) else {
                continue;
            };
            let Some(&own) = a.class.work_item().and_then(|k| group_of.get(&(flavor, k))) else {
                continue;
            };
            for p in &kind.prerequisites {
                let Some(field) = &p.via else { continue };
                let pairing = pair(ws, a, flavor, &p.kind, field, own, &members, &names);
                let target = match &pairing {
                    Pairing::Declared { target } | Pairing::Inferred { target, .. } => {
                        Some(target.clone())
                    }
                    _ => None,
                };
                if let Some(t) = target
                    && let Some(ta) = ws.artifacts.get(&t)
                    && let Some(&tg) = ta
                        .class
                        .work_item()
                        .and_then(|k| group_of.get(&(flavor, k)))
                {
                    union(&mut parent, own, tg);
                }
                pairings
                    .entry(a.path.clone())
                    .or_default()
                    .push((p.kind.clone(), pairing));
            }
        }
        let mut roots: BTreeMap<usize, Vec<&Artifact>> = BTreeMap::new();
        for (g, m) in members.iter().enumerate() {
            roots
                .entry(find(&mut parent, g))
                .or_default()
                .extend(m.iter().copied());
        }
        let mut items = Vec::new();
        let mut by_path = HashMap::new();
        for (_, mut arts) in roots {
            let order = |a: &Artifact| {
                ws.flavor_of(a)
                    .and_then(|f| {
                        f.def
                            .kinds
                            .iter()
                            .position(|k| Some(k.id.as_str()) == a.class.kind())
                    })
                    .unwrap_or(usize::MAX)
            };
            arts.sort_by(|x, y| (order(x), &x.path).cmp(&(order(y), &y.path)));
            let Some(first) = arts.first() else { continue };
            let item = WorkItem {
                flavor: first.class.flavor().unwrap_or("").to_string(),
                key: first.class.work_item().unwrap_or("").to_string(),
                artifacts: arts.iter().map(|a| a.path.clone()).collect(),
            };
            for p in &item.artifacts {
                by_path.insert(p.clone(), items.len());
            }
            items.push(item);
        }
        items.sort_by(|a, b| (&a.flavor, &a.key).cmp(&(&b.flavor, &b.key)));
        for (i, it) in items.iter().enumerate() {
            for p in &it.artifacts {
                by_path.insert(p.clone(), i);
            }
        }
        let mut by_file: HashMap<String, Vec<String>> = HashMap::new();
        let mut bundles: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for a in ws.artifacts.values() {
            let file = a.path.rsplit('/').next().unwrap_or(&a.path);
            by_file
                .entry(file.to_string())
                .or_default()
                .push(a.path.clone());
            if is_bundle(a) {
                bundles
                    .entry(bundle_name(a))
                    .or_default()
                    .push(a.path.clone());
            }
        }
        Items {
            items,
            by_path,
            pairings,
            by_file,
            bundles,
        }
    }
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while let Some(&p) = parent.get(x) {
        if p == x {
            break;
        }
        let grand = parent.get(p).copied().unwrap_or(p);
        if let Some(slot) = parent.get_mut(x) {
            *slot = grand;
        }
        x = p;
    }
    x
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb
        && let Some(slot) = parent.get_mut(ra.max(rb))
    {
        *slot = ra.min(rb);
    }
}

/// Work-item keys by (flavor, kind), for finding near names by lookup
/// rather than by comparing every pair of artifacts (quadratic at 10k).
#[derive(Default)]
struct Names<'a> {
    /// (flavor, kind) → key → paths.
    keys: HashMap<(&'a str, &'a str), BTreeMap<&'a str, Vec<&'a str>>>,
    /// (flavor, kind, initials of a key of several words) → paths.
    initials: HashMap<(&'a str, &'a str, String), Vec<&'a str>>,
}

impl<'a> Names<'a> {
    fn compute(ws: &'a Workspace) -> Names<'a> {
        let mut n = Names::default();
        for x in ws.artifacts.values() {
            let (Some(f), Some(k), Some(key)) =
                (x.class.flavor(), x.class.kind(), x.class.work_item())
            else {
                continue;
            };
            n.keys
                .entry((f, k))
                .or_default()
                .entry(key)
                .or_default()
                .push(&x.path);
            if words(key) > 1 {
                n.initials
                    .entry((f, k, initials(key)))
                    .or_default()
                    .push(&x.path);
            }
        }
        n
    }

    /// Paths of the artifacts of `flavor` and `kind` whose key is `near` `key`.
    fn near(&self, flavor: &str, kind: &str, key: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        if key.is_empty() {
            return out;
        }
        let mut add = |paths: &[&str]| out.extend(paths.iter().map(|p| p.to_string()));
        if let Some(keys) = self.keys.get(&(flavor, kind)) {
            // Longer keys that `key` is a prefix of: `key-…`.
            let start = format!("{key}-");
            for (_, paths) in keys
                .range::<str, _>((
                    std::ops::Bound::Included(start.as_str()),
                    std::ops::Bound::Unbounded,
                ))
                .take_while(|(k, _)| k.starts_with(&start))
            {
                add(paths);
            }
            // Shorter keys that are a prefix of `key`, up to a `-`.
            for (i, _) in key.match_indices('-') {
                if let Some(paths) = key
                    .get(..i)
                    .filter(|p| !p.is_empty())
                    .and_then(|p| keys.get(p))
                {
                    add(paths);
                }
            }
            // `key` spelled out: its initials are another key.
            let short = initials(key);
            if words(key) > 1
                && !short.is_empty()
                && short != key
                && let Some(paths) = keys.get(short.as_str())
            {
                add(paths);
            }
        }
        // `key` is the initials of a longer key.
        if let Some(paths) = self.initials.get(&(flavor, kind, key.to_string())) {
            add(paths);
        }
        out
    }
}

#[allow(clippy::too_many_arguments)]
fn pair(
    ws: &Workspace,
    a: &Artifact,
    flavor: &str,
    kind: &str,
    field: &str,
    own: usize,
    members: &[Vec<&Artifact>],
    names: &Names,
) -> Pairing {
    if let Some(f) = a.frontmatter.as_ref().and_then(|fm| fm.get(field))
        && let Some(value) = path_value(&f.value)
    {
        return match resolve(ws, &a.path, &value) {
            Some(t) if ws.artifacts.get(&t).and_then(|x| x.class.kind()) == Some(kind) => {
                Pairing::Declared { target: t }
            }
            _ => Pairing::Unresolved {
                value,
                range: f.value_range,
            },
        };
    }
    if let Some(same) = members
        .get(own)
        .and_then(|m| m.iter().find(|x| x.class.kind() == Some(kind)))
    {
        return Pairing::SameKey {
            target: same.path.clone(),
        };
    }
    let key = a.class.work_item().unwrap_or("");
    let mut candidates: Vec<String> = names.near(flavor, kind, key).into_iter().collect();
    match candidates.len() {
        0 => Pairing::Missing {
            field: field.to_string(),
        },
        1 => Pairing::Inferred {
            target: candidates.remove(0),
            field: field.to_string(),
        },
        _ => Pairing::Ambiguous {
            candidates,
            field: field.to_string(),
        },
    }
}

/// `monitoring` ~ `monitoring-strategy`, `dr` ~ `disaster-recovery`, and the reverse.
pub fn near(a: &str, b: &str) -> bool {
    if a.is_empty() || b.is_empty() || a == b {
        return false;
    }
    let prefix =
        |short: &str, long: &str| long.strip_prefix(short).is_some_and(|r| r.starts_with('-'));
    prefix(a, b)
        || prefix(b, a)
        || (words(b) > 1 && initials(b) == a)
        || (words(a) > 1 && initials(a) == b)
}

fn initials(s: &str) -> String {
    s.split(['-', '_'])
        .filter_map(|w| w.chars().next())
        .collect()
}

fn words(s: &str) -> usize {
    s.split(['-', '_']).count()
}

/// A path-like field value: a string, or a wikilink `[[x]]`.
fn path_value(v: &FmValue) -> Option<String> {
    let s = match v {
        FmValue::List(items) if items.len() > 1 => items.first().and_then(|i| i.value.as_text())?,
        v => v.single()?.trim().to_string(),
    };
    let s = s
        .trim_start_matches("[[")
        .trim_end_matches("]]")
        .to_string();
    (!s.is_empty()).then_some(s)
}

/// The artifact a field value names: relative to the file, else to the root.
pub fn resolve(ws: &Workspace, from: &str, value: &str) -> Option<String> {
    let with_md = |p: String| {
        if p.ends_with(".md") {
            p
        } else {
            format!("{p}.md")
        }
    };
    let candidates = [
        crate::workspace::resolve::target(ws, from, value),
        crate::workspace::resolve::target(ws, from, &with_md(value.to_string())),
        Some(value.trim_start_matches('/').to_string()),
        Some(with_md(value.trim_start_matches('/').to_string())),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| ws.artifacts.contains_key(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keyed lookup finds exactly what comparing every pair with `near` finds.
    #[test]
    fn near_lookup_matches_pairwise() {
        let keys = [
            "dr",
            "disaster-recovery",
            "disaster",
            "monitoring",
            "monitoring-strategy",
            "m-s",
            "ms",
            "a-b_c",
            "abc",
            "-",
            "x-",
            "",
            "k8s-upgrade",
            "k8s",
            "ku",
            "k-u",
        ];
        let mut n = Names::default();
        for k in keys {
            n.keys
                .entry(("f", "r"))
                .or_default()
                .entry(k)
                .or_default()
                .push(k);
            if words(k) > 1 {
                n.initials
                    .entry(("f", "r", initials(k)))
                    .or_default()
                    .push(k);
            }
        }
        for a in keys {
            let brute: BTreeSet<String> = keys
                .iter()
                .filter(|b| near(a, b))
                .map(|b| b.to_string())
                .collect();
            assert_eq!(n.near("f", "r", a), brute, "near {a:?}");
        }
    }

    #[test]
    fn near_names() {
        assert!(near("monitoring", "monitoring-strategy"));
        assert!(near("dr", "disaster-recovery"));
        assert!(near("disaster-recovery", "dr"));
        assert!(!near("k8s-upgrade", "k8s-upgrade"));
        assert!(!near("mon", "monitoring-strategy"));
        assert!(!near("d", "disaster"));
    }
}
