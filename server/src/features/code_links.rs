//! Following the paths an artifact writes: declared code paths, routes,
//! explicit links to other artifacts (`research:`), and markdown links —
//! as document links, go-to-definition targets and hovers.

use crate::artifact::{Artifact, CodePath};
use crate::syntax::inline::{Link, LinkKind};
use crate::text::TextRange;
use crate::workspace::Workspace;
use crate::workspace::code_map::{self, Found, Relation};
use crate::workspace::fs::Entry;
use crate::workspace::resolve::target as link_target;
use crate::workspace::routes;

use super::trace;

/// Where a jump lands: a root-relative file and a place in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub path: String,
    pub at: Place,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Start,
    /// 0-based line (from `path:line`, which is 1-based).
    Line(u32),
    /// A range in the target artifact (a heading).
    Range(TextRange),
}

/// A path written in an artifact that the editor can follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathLink {
    pub range: TextRange,
    pub target: Target,
    pub tooltip: String,
}

/// Jumps at most this many files for a folder or a glob.
const MAX_TARGETS: usize = 50;

/// Every path of `art` that names something that exists: declared code
/// paths (`path:line` at its line), routes and explicit artifact links.
/// Markdown links are the editor's own business.
pub fn document_links(ws: &Workspace, art: &Artifact) -> Vec<PathLink> {
    let mut out = Vec::new();
    for cp in &art.code_paths {
        let Some(rel) = code_map::normalize(&cp.path) else {
            continue;
        };
        if code_map::is_glob(&rel) {
            continue;
        }
        let at = match (ws.fs.entry(&ws.root.join(&rel)), cp.line) {
            (Entry::Missing, _) => continue,
            (_, Some(l)) => Place::Line(l.saturating_sub(1)),
            _ => Place::Start,
        };
        out.push(PathLink {
            range: cp.range,
            target: Target { path: rel, at },
            tooltip: format!("Open `{}`", cp.path),
        });
    }
    for (range, target, what) in artifact_refs(ws, art) {
        if ws.fs.entry(&ws.root.join(&target)) != Entry::Missing {
            out.push(PathLink {
                range,
                target: Target {
                    path: target,
                    at: Place::Start,
                },
                tooltip: format!("Open the {what}"),
            });
        }
    }
    out.sort_by_key(|l| l.range.start);
    out
}

/// Frontmatter entries naming other artifacts: routes and the fields that
/// link an artifact to its prerequisite (`research:`), with what they are.
pub fn artifact_refs(ws: &Workspace, art: &Artifact) -> Vec<(TextRange, String, &'static str)> {
    let mut out: Vec<(TextRange, String, &'static str)> = routes::routes(ws, art)
        .into_iter()
        .filter_map(|r| Some((r.range, r.target?, "routed artifact")))
        .collect();
    let (Some(kind), Some(fm)) = (ws.kind_of(art), &art.frontmatter) else {
        return out;
    };
    for field in kind.prerequisites.iter().filter_map(|p| p.via.as_ref()) {
        let Some(f) = fm.get(field) else { continue };
        let Some((value, range)) = f.single_text() else {
            continue;
        };
        let target = link_target(ws, &art.path, value.trim())
            .or_else(|| crate::workspace::items::resolve(ws, &art.path, value.trim()));
        if let Some(t) = target {
            out.push((range, t, "linked artifact"));
        }
    }
    out
}

/// The declared code path at `offset`.
pub fn code_path_at(art: &Artifact, offset: u32) -> Option<&CodePath> {
    art.code_paths
        .iter()
        .find(|c| c.range.contains(offset) || c.range.end == offset)
}

fn link_at(art: &Artifact, offset: u32) -> Option<Link> {
    art.links
        .iter()
        .find(|l| l.range.contains(offset))
        .cloned()
        .or_else(|| {
            art.link_defs
                .iter()
                .find(|d| d.range.contains(offset))
                .map(|d| Link {
                    kind: LinkKind::Inline,
                    dest: d.dest.clone(),
                    label: None,
                    range: d.range,
                    dest_range: d.dest_range,
                })
        })
}

/// Where the path, route or link at `offset` leads.
pub fn definition(ws: &Workspace, art: &Artifact, offset: u32) -> Vec<Target> {
    // A citation of a requirement (`_Requirements: 1.2_`): the requirement.
    if let Some((path, range)) = super::requirements::cited_at(ws, art, offset) {
        return vec![Target {
            path,
            at: Place::Range(range),
        }];
    }
    if let Some(cp) = code_path_at(art, offset) {
        return code_targets(ws, cp);
    }
    if let Some((_, target, _)) = artifact_refs(ws, art)
        .into_iter()
        .find(|(r, _, _)| r.contains(offset) || r.end == offset)
    {
        return vec![Target {
            path: target,
            at: Place::Start,
        }];
    }
    let Some(link) = link_at(art, offset) else {
        return Vec::new();
    };
    let Some(path) = link_target(ws, &art.path, &link.dest) else {
        return Vec::new();
    };
    if ws.fs.entry(&ws.root.join(&path)) == Entry::Missing {
        return Vec::new();
    }
    let fragment = link
        .dest
        .split_once('#')
        .map(|(_, f)| crate::workspace::resolve::percent_decode(f).to_lowercase());
    let at = fragment
        .and_then(|f| {
            let target = if path == art.path {
                art
            } else {
                ws.artifacts.get(&path)?
            };
            target.sections.iter().find(|s| s.slug == f)
        })
        .map_or(Place::Start, |s| Place::Range(s.range));
    vec![Target { path, at }]
}

fn code_targets(ws: &Workspace, cp: &CodePath) -> Vec<Target> {
    let Some(rel) = code_map::normalize(&cp.path) else {
        return Vec::new();
    };
    let files: Vec<String> = match code_map::find(ws, cp) {
        Some(Found::File) => {
            let at = cp
                .line
                .map_or(Place::Start, |l| Place::Line(l.saturating_sub(1)));
            return vec![Target { path: rel, at }];
        }
        Some(Found::Folder) => ws.fs.glob_files(&format!("{rel}/**")).to_vec(),
        Some(Found::Glob(_)) => ws.fs.glob_files(&rel).to_vec(),
        _ => Vec::new(),
    };
    files
        .into_iter()
        .take(MAX_TARGETS)
        .map(|path| Target {
            path,
            at: Place::Start,
        })
        .collect()
}

/// Hover on a declared code path or a route: what it names, and who else claims it.
pub fn hover(
    ws: &Workspace,
    art: &Artifact,
    offset: u32,
    open: &super::route_diff::OpenTexts,
) -> Option<(String, TextRange)> {
    if let Some(cp) = code_path_at(art, offset) {
        return Some((code_path_doc(ws, art, cp), cp.range));
    }
    if let Some(r) = routes::routes(ws, art)
        .into_iter()
        .find(|r| r.range.contains(offset) || r.range.end == offset)
    {
        return Some((route_doc(ws, art, &r, open), r.range));
    }
    // An acknowledgement in `routed_from`: what its source changed since.
    let ack = routes::acks(ws, art)
        .into_iter()
        .find(|a| a.range.contains(offset) || a.range.end == offset)?;
    let doc = match ack.source.as_deref().and_then(|p| ws.artifacts.get(p)) {
        Some(src) => {
            let mut s = format!("**Acknowledged route** from {}", describe(ws, src));
            if let Some(d) = super::route_diff::route_diff(ws, src, art, open) {
                s.push_str(&format!("\n\n{}", super::route_diff::markdown(&d)));
            }
            s
        }
        None => format!(
            "**Acknowledged route** from `{}` — not an artifact of this workspace",
            ack.dest.trim()
        ),
    };
    Some((doc, ack.range))
}

fn plural(n: u64, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn code_path_doc(ws: &Workspace, art: &Artifact, cp: &CodePath) -> String {
    let what = match code_map::find(ws, cp) {
        None => "not a path in this workspace".to_string(),
        Some(Found::Missing) => "does not exist".to_string(),
        Some(Found::Outside) => crate::workspace::read::OUTSIDE.to_string(),
        Some(Found::Glob(0)) => "a glob matching no file".to_string(),
        Some(Found::Glob(n)) => format!(
            "a glob matching {}{}",
            plural(n as u64, "file"),
            if n == crate::workspace::fs::MAX_WALK {
                " or more"
            } else {
                ""
            }
        ),
        Some(Found::Folder) => {
            let rel = code_map::normalize(&cp.path).unwrap_or_default();
            let s = ws.fs.folder_stats(&ws.root.join(rel));
            format!(
                "folder: {}{}, {}",
                plural(s.files as u64, "file"),
                if s.truncated { " or more" } else { "" },
                plural(s.lines, "line")
            )
        }
        Some(Found::File) => {
            let rel = code_map::normalize(&cp.path).unwrap_or_default();
            match (ws.fs.line_count(&ws.root.join(rel)), cp.line) {
                (Some(n), Some(l)) if l >= 1 && l <= n => {
                    format!("file: {}, opens at line {l}", plural(u64::from(n), "line"))
                }
                (Some(n), Some(l)) => format!(
                    "file: {}; line {l} is not in it",
                    plural(u64::from(n), "line")
                ),
                (Some(n), None) => format!("file: {}", plural(u64::from(n), "line")),
                (None, _) => "file".to_string(),
            }
        }
    };
    let mut t = format!(
        "**`{}`** — {what}\n\nDeclared here as: {} ({})",
        cp.path,
        action_word(cp.action),
        Relation::of(cp.action).as_str()
    );
    let others: Vec<String> = code_map::normalize(&cp.path)
        .map(|rel| trace::specs_for_path(ws, &rel, code_map::names_folder(ws, cp)))
        .unwrap_or_default()
        .into_iter()
        .filter(|c| !(c.path == art.path && c.range == cp.range))
        .map(|c| format!("- {}", c.line()))
        .collect();
    if !others.is_empty() {
        t.push_str(&format!("\n\nAlso claimed by:\n{}", others.join("\n")));
    }
    t
}

fn action_word(a: crate::schema::CodePathAction) -> &'static str {
    use crate::schema::CodePathAction as A;
    match a {
        A::Produce => "produce",
        A::Edit => "edit",
        A::Create => "create",
        A::Delete => "delete",
        A::Reference => "reference",
    }
}

fn route_doc(
    ws: &Workspace,
    art: &Artifact,
    r: &routes::Route,
    open: &super::route_diff::OpenTexts,
) -> String {
    let dest = r.dest.trim();
    let Some(target) = &r.target else {
        return format!("**Route** to `{dest}` — outside this workspace");
    };
    let Some(t) = ws.artifacts.get(target) else {
        return if ws.fs.entry(&ws.root.join(target)) == Entry::Missing {
            format!("**Route** to `{target}` — does not exist yet")
        } else {
            format!("**Route** to `{target}` — not an artifact")
        };
    };
    let mut s = format!("**Route** to {}", describe(ws, t));
    if let Some(d) = super::route_diff::route_diff(ws, art, t, open) {
        s.push_str(&format!("\n\n{}", super::route_diff::markdown(&d)));
    }
    s
}

/// `` `path` `` — kind, flavor, work item, phase.
pub fn describe(ws: &Workspace, a: &Artifact) -> String {
    let kind = ws
        .kind_of(a)
        .map(|k| if k.name.is_empty() { &k.id } else { &k.name });
    let mut s = format!("`{}`", a.path);
    if let (Some(k), Some(f)) = (kind, a.class.flavor()) {
        s.push_str(&format!(" — {k} of {f}"));
    }
    if let Some(p) = trace::item_phase(ws, a) {
        s.push_str(&format!(", {p}"));
    }
    s
}

/// Route lines for a title hover: where this artifact routes, and who routes here.
pub fn routes_doc(ws: &Workspace, art: &Artifact) -> Option<String> {
    let out: Vec<String> = routes::routes(ws, art)
        .into_iter()
        .map(
            |r| match r.target.as_ref().and_then(|t| ws.artifacts.get(t)) {
                Some(t) => format!("- → {}", describe(ws, t)),
                None => format!("- → `{}` (does not exist)", r.dest.trim()),
            },
        )
        .collect();
    let inc: Vec<String> = routes::incoming(ws, &art.path)
        .into_iter()
        .map(|(a, _)| format!("- ← {}", describe(ws, a)))
        .collect();
    if out.is_empty() && inc.is_empty() {
        return None;
    }
    let mut s = String::new();
    if !out.is_empty() {
        s.push_str(&format!("Routes to:\n{}", out.join("\n")));
    }
    if !inc.is_empty() {
        if !s.is_empty() {
            s.push_str("\n\n");
        }
        s.push_str(&format!("Routed from:\n{}", inc.join("\n")));
    }
    Some(s)
}
