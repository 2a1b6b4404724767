//! Starting a work item: from a command line that names it in words
//! (`/research "Kubernetes upgrade strategy"`, `/shape-spec magic-link sign-in`),
//! from an open item of a kind that `starts` work (a roadmap's
//! `1. [ ] Magic link sign-in — …`), or from an editor's "New spec" with a
//! title. The phase (flavor data) says which kind to create; its path
//! pattern, filled with the name as a slug (dated when the capture's shape
//! asks for a date), says where; its template, with the name as the title and
//! the words as its `seed`, says what.

use crate::artifact::Artifact;
use crate::schema::{Flavor, Kind, fill};
use crate::syntax::block::Task;
use crate::text::TextRange;
use crate::workspace::Workspace;

use super::actions::{Action, ActionKind, FileOp, fix_folder_name};

/// "Start `<file>`" for a free-text command of `flavor` whose phase is `phase`.
pub fn start_work(
    ws: &Workspace,
    art: &Artifact,
    flavor: &Flavor,
    phase: &str,
    words: &str,
) -> Option<Action> {
    let idea = words.trim().trim_matches(['"', '\'']).trim();
    // Only in the document's own flavor: its folder is where the work goes.
    if art.class.flavor() != Some(flavor.def.flavor.name.as_str()) {
        return None;
    }
    start(ws, &ws.flavor_base(art)?, flavor, phase, idea, idea)
}

/// The first artifact of `phase` for work called `name`, under the flavor
/// folder `base`, seeded with `seed`; None when the name makes no path or
/// the file exists.
pub fn start(
    ws: &Workspace,
    base: &str,
    flavor: &Flavor,
    phase: &str,
    name: &str,
    seed: &str,
) -> Option<Action> {
    let (kind, path, captures) = target(ws, base, flavor, phase, name)?;
    let text = super::template::fill(
        kind,
        &super::template::Fill {
            captures: &captures,
            name: name.to_string(),
            seed: Some(seed.to_string()),
        },
    )?;
    let text = without_dangling_links(ws, kind, &path, &text);
    Some(Action {
        title: format!("Start {}: create {path}", kind_title(kind)),
        kind: ActionKind::Refactor,
        ops: vec![FileOp::Create { path, text }],
        fixes: Vec::new(),
    })
}

/// `text` without the frontmatter lines of the fields that link a
/// prerequisite of another work item (a plan's `research:`) when the file the
/// template names is not there: work started alone has no research yet, and
/// a link to nothing would be the new file's first finding.
fn without_dangling_links(ws: &Workspace, kind: &Kind, path: &str, text: &str) -> String {
    let fields: Vec<&str> = kind
        .prerequisites
        .iter()
        .filter_map(|p| p.via.as_deref())
        .collect();
    let Some(rest) = text.strip_prefix("---\n") else {
        return text.to_string();
    };
    let Some(end) = rest.find("\n---") else {
        return text.to_string();
    };
    let (fm, body) = rest.split_at(end);
    let kept: Vec<&str> = fm
        .lines()
        .filter(|line| {
            let Some((key, value)) = line.split_once(':') else {
                return true;
            };
            let value = value.trim();
            !(fields.contains(&key.trim())
                && !value.is_empty()
                && beside(path, value)
                    .is_none_or(|t| !ws.artifacts.contains_key(&t) && !ws.root.join(&t).exists()))
        })
        .collect();
    format!("---\n{}{body}", kept.join("\n"))
}

/// `rel` (a template's relative link) from the folder of the root-relative
/// `from`, resolved by its words alone: the new file does not exist yet.
fn beside(from: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The kind `phase` creates, the path of the new artifact and its captures.
#[allow(clippy::type_complexity)]
fn target<'f>(
    ws: &Workspace,
    base: &str,
    flavor: &'f Flavor,
    phase: &str,
    name: &str,
) -> Option<(&'f Kind, String, Vec<(String, String)>)> {
    let slug = slug(name)?;
    let kind = flavor
        .def
        .kinds
        .iter()
        .find(|k| k.phase == phase && k.template.is_some())?;
    let pattern = kind.paths.iter().find(|p| !p.contains('*'))?;
    let captures: Vec<(String, String)> = names(pattern)
        .into_iter()
        .map(|name| {
            let plain = vec![(name.clone(), slug.clone())];
            let value = if flavor.capture_problems(&plain).is_empty() {
                slug.clone()
            } else {
                fix_folder_name(&slug)
            };
            (name, value)
        })
        .collect();
    if !flavor.capture_problems(&captures).is_empty() {
        return None;
    }
    let path = format!("{base}{}", fill(pattern, &captures));
    if ws.artifacts.contains_key(&path) || ws.root.join(&path).exists() {
        return None;
    }
    Some((kind, path, captures))
}

/// "Start *kind*: create *path*" for each open item of `art` (a kind that
/// `starts` work) touching `range` whose work has not started.
pub fn item_actions(ws: &Workspace, art: &Artifact, range: TextRange) -> Vec<Action> {
    open_items(ws, art)
        .filter(|t| t.range.start <= range.end && range.start <= t.range.end)
        .filter_map(|t| start_item(ws, art, t))
        .collect()
}

/// The open item of `art` (a kind that `starts` work) at `range`, as written.
pub fn item_at(art: &Artifact, range: TextRange) -> Option<String> {
    let task = art
        .tasks
        .iter()
        .filter(|t| !t.checked)
        .find(|t| t.range.start <= range.end && range.start <= t.range.end)?;
    Some(item_words(&task.text).map_or_else(|| task.text.trim().to_string(), |(name, _)| name))
}

/// The first open item of `art` whose work has not started, started: what
/// Advance does on a roadmap.
pub fn next_item(ws: &Workspace, art: &Artifact) -> Option<Action> {
    open_items(ws, art).find_map(|t| start_item(ws, art, t))
}

fn open_items<'a>(ws: &Workspace, art: &'a Artifact) -> impl Iterator<Item = &'a Task> {
    let starts = ws.kind_of(art).and_then(|k| k.starts.clone());
    // An item that says how to start it (`/shape-spec team invites`) is started by that
    // command's action, with its words.
    art.tasks.iter().filter(move |t| {
        starts.is_some()
            && !t.checked
            && !art.commands.iter().any(|c| t.range.contains_range(c.range))
    })
}

fn start_item(ws: &Workspace, art: &Artifact, task: &Task) -> Option<Action> {
    let phase = ws.kind_of(art)?.starts.clone()?;
    let flavor = ws.flavor_of(art)?;
    let (name, seed) = item_words(&task.text)?;
    // Started already, on another day: a work item named after it exists.
    let s = slug(&name)?;
    let items = ws.items();
    if items
        .items
        .iter()
        .any(|i| i.key == s || i.key.ends_with(&format!("-{s}")))
    {
        return None;
    }
    start(ws, &ws.flavor_base(art)?, flavor, &phase, &name, &seed)
}

/// `**Magic link sign-in** — Passwordless login by email `M`` →
/// (`Magic link sign-in`, `Magic link sign-in — Passwordless login by email`):
/// the name before the first dash or colon, the effort estimate dropped.
fn item_words(text: &str) -> Option<(String, String)> {
    let mut t = text.trim().replace("**", "");
    // A trailing effort estimate in code: `XS`, `M`, `XL`.
    if let Some(open) = t.trim_end().strip_suffix('`').and_then(|r| r.rfind('`')) {
        let est = t.get(open + 1..t.trim_end().len() - 1).unwrap_or("");
        if !est.is_empty() && est.len() <= 3 && est.chars().all(|c| c.is_ascii_uppercase()) {
            t = t.get(..open).unwrap_or("").trim_end().to_string();
        }
    }
    let seed = t.trim().to_string();
    let name = [" — ", " – ", " - ", ": "]
        .iter()
        .filter_map(|sep| seed.find(sep))
        .min()
        .and_then(|at| seed.get(..at))
        .unwrap_or(&seed)
        .trim()
        .to_string();
    (!name.is_empty() && name.chars().any(char::is_alphanumeric)).then_some((name, seed))
}

/// "New spec" / "New research" / "New plan" titled `title` (`agentops.new`):
/// `what` is a kind id or phase id of the flavor (`flavor`, else the flavor
/// of `from`, else the first flavor in use that has it). A kind whose
/// prerequisite shares its work item by name (no `via` field: product-dev's
/// spec needs the requirements of its own folder) starts there, so "New
/// spec" creates the spec folder; a prerequisite linked by a field (a plan's
/// `research:`) is other work, and the kind is created alone.
pub fn new_work(
    ws: &Workspace,
    from: Option<&Artifact>,
    flavor: Option<&str>,
    what: &str,
    title: &str,
) -> Result<Action, String> {
    let name = title.trim().trim_matches(['"', '\'']).trim();
    if slug(name).is_none() {
        return Err("a title with at least one letter or digit is needed".into());
    }
    let has = |f: &Flavor| {
        f.def
            .kinds
            .iter()
            .any(|k| (k.id == what || k.phase == what) && k.template.is_some())
    };
    let flavor = match flavor.or_else(|| from.and_then(|a| a.class.flavor())) {
        Some(n) => ws
            .schemas
            .flavor(n)
            .filter(|f| has(f))
            .ok_or_else(|| format!("flavor `{n}` has no `{what}` with a template"))?,
        None => ws
            .artifacts
            .values()
            .filter_map(|a| ws.flavor_of(a))
            .find(|f| has(f))
            .ok_or_else(|| format!("no flavor in use has a `{what}` with a template"))?,
    };
    let mut kind = flavor
        .def
        .kinds
        .iter()
        .find(|k| (k.id == what || k.phase == what) && k.template.is_some())
        .ok_or_else(|| format!("no `{what}` in {}", flavor.name()))?;
    // Walk back to where the work item starts (bounded: a kind chain is finite).
    for _ in 0..flavor.def.kinds.len() {
        let Some(first) = kind
            .prerequisites
            .iter()
            .filter(|p| p.via.is_none())
            .find_map(|p| {
                flavor.def.kinds.iter().find(|k| {
                    k.id == p.kind && k.template.is_some() && k.work_item == kind.work_item
                })
            })
        else {
            break;
        };
        kind = first;
    }
    let base = base_of(ws, from, flavor).ok_or("no folder for the flavor")?;
    let phase = kind.phase.clone();
    start(ws, &base, flavor, &phase, name, name).ok_or_else(|| {
        format!("`{name}` would make a path that exists or breaks the flavor's names")
    })
}

/// Where `flavor`'s artifacts go: beside `from` when it is of that flavor,
/// else where its other artifacts are, else its first folder under the
/// artifacts folder.
fn base_of(ws: &Workspace, from: Option<&Artifact>, flavor: &Flavor) -> Option<String> {
    let name = flavor.name();
    from.filter(|a| a.class.flavor() == Some(name))
        .or_else(|| {
            ws.artifacts
                .values()
                .find(|a| a.class.flavor() == Some(name))
        })
        .and_then(|a| ws.flavor_base(a))
        .or_else(|| {
            let folder = flavor.def.flavor.folders.first()?;
            Some(format!("{}/{folder}/", ws.artifacts_dir()))
        })
}

fn kind_title(kind: &Kind) -> String {
    if kind.name.is_empty() {
        kind.id.clone()
    } else {
        kind.name.clone()
    }
}

/// `{folder}` names in a path pattern.
fn names(pattern: &str) -> Vec<String> {
    pattern
        .split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
        .collect()
}

/// `Kubernetes upgrade strategy!` → `kubernetes-upgrade-strategy` (at most five words).
pub fn slug(s: &str) -> Option<String> {
    let lower: String = s
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let words: Vec<&str> = lower.split_whitespace().take(5).collect();
    (!words.is_empty()).then(|| words.join("-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slug("\"Kubernetes upgrade strategy!\"").as_deref(),
            Some("kubernetes-upgrade-strategy")
        );
        assert_eq!(slug("  "), None);
    }

    #[test]
    fn roadmap_items_name_their_work() {
        assert_eq!(
            item_words("**Magic link sign-in** — Passwordless login by email `M`"),
            Some((
                "Magic link sign-in".into(),
                "Magic link sign-in — Passwordless login by email".into()
            ))
        );
        assert_eq!(
            item_words("Café sync: offline first `XL`"),
            Some(("Café sync".into(), "Café sync: offline first".into()))
        );
        assert_eq!(item_words("`M`"), None);
        assert_eq!(item_words("  "), None);
    }
}
