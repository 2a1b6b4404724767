//! Opening a cross-flavor route: "Route to infrastructure-ops: open
//! research" creates the first artifact of a new work item in another
//! flavor from that flavor's template, with a link back to the source and
//! the source's summary, and adds it to the source's routes field. A route
//! entry naming a file that does not exist gets "create it" the same way.

use crate::artifact::sections::find_section;
use crate::artifact::{Artifact, Class};
use crate::schema::{Flavor, Kind, fill};
use crate::syntax::frontmatter::FmValue;
use crate::text::{TextRange, to_u32};
use crate::workspace::Workspace;
use crate::workspace::fs::Entry;
use crate::workspace::routes;

use super::actions::{Action, ActionKind, FileOp, set_field, template_text, today};

/// The summary quoted into a routed artifact stops after this many characters.
const MAX_SUMMARY: usize = 400;

/// "Route to <flavor>: open <phase>" for each other flavor that can start a
/// work item, and "Route from …" for artifacts of other flavors this one links.
pub fn route_actions(ws: &Workspace, art: &Artifact, text: &str) -> Vec<Action> {
    let Some(own) = art.class.flavor() else {
        return Vec::new();
    };
    let mut out = route_from(ws, art, text);
    if routes::field(ws, art).is_none() {
        return out;
    }
    out.extend(
        ws.schemas
            .flavors
            .iter()
            .filter(|f| f.name() != own)
            .filter_map(|f| route(ws, art, text, f.name()).ok())
            .map(|(a, _)| a),
    );
    out.extend(create_missing(ws, art, text));
    out
}

/// "Route from the product-dev spec `x`": `art` links an artifact of another
/// flavor that does not route to it. The action adds `art` to that
/// artifact's routes and acknowledges its current version here.
fn route_from(ws: &Workspace, art: &Artifact, text: &str) -> Vec<Action> {
    let own = art.class.flavor();
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for l in &art.links {
        let Some(t) = crate::workspace::resolve::target(ws, &art.path, &l.dest) else {
            continue;
        };
        let Some((key, src)) = ws.artifacts.get_key_value(&t) else {
            continue;
        };
        if seen.contains(&key.as_str())
            || src.class.flavor().is_none()
            || src.class.flavor() == own
            || routes::routes(ws, src)
                .iter()
                .any(|r| r.target.as_deref() == Some(art.path.as_str()))
        {
            continue;
        }
        seen.push(key);
        let (Some(kind), Some(field)) = (ws.kind_of(src), routes::field(ws, src)) else {
            continue;
        };
        // The source's edit is computed on its text on disk: only when that
        // is the text the index holds (not an unsaved editor buffer).
        let Ok(src_text) = crate::workspace::read::repo_text(&ws.root, &src.path) else {
            continue;
        };
        if xxhash_rust::xxh3::xxh3_64(src_text.as_bytes()) != src.hash {
            continue;
        }
        let entry = crate::workspace::resolve::relative_link(&src.path, &art.path);
        let Some(add) = add_route(src, kind, &src_text, field, &entry) else {
            continue;
        };
        let mut ops = vec![add];
        ops.extend(super::acknowledge::edit(ws, art, text, src));
        out.push(Action {
            title: format!("Route from {}", crate::rules::describe_routed(src)),
            kind: ActionKind::Refactor,
            ops,
            fixes: Vec::new(),
        });
    }
    out
}

/// The action opening a route from `art` to a new work item of `flavor`,
/// and the path it creates.
pub fn route(
    ws: &Workspace,
    art: &Artifact,
    text: &str,
    flavor: &str,
) -> Result<(Action, String), String> {
    let kind = ws
        .kind_of(art)
        .ok_or_else(|| format!("`{}` is not an artifact of a known kind", art.path))?;
    let field = kind
        .routes
        .as_deref()
        .ok_or_else(|| format!("{} declares no routes field", kind.id))?;
    let target_flavor = ws
        .schemas
        .flavor(flavor)
        .filter(|f| Some(f.name()) != art.class.flavor())
        .ok_or_else(|| format!("`{flavor}` is not another flavor of this workspace"))?;
    let (opener, phase) = opener(target_flavor)
        .ok_or_else(|| format!("`{flavor}` has no kind that starts a work item from a template"))?;
    let base = base_folder(ws, target_flavor)
        .ok_or_else(|| format!("`{flavor}` lives outside `{}/`", ws.artifacts_dir()))?;
    let pattern = opener
        .paths
        .iter()
        .find(|p| !p.contains('*'))
        .ok_or_else(|| format!("`{}` has no plain path pattern", opener.id))?;
    let captures = captures_for(target_flavor, pattern, art);
    let rel = fill(pattern, &captures);
    if rel.contains('{') {
        return Err(format!(
            "cannot name a `{}` after `{}`",
            opener.id, art.path
        ));
    }
    let path = format!("{base}{rel}");
    if ws.fs.entry(&ws.root.join(&path)) != Entry::Missing || ws.artifacts.contains_key(&path) {
        return Err(format!("`{path}` exists already"));
    }
    let created = routed_text(ws, art, text, opener, &path, &captures)
        .ok_or_else(|| format!("`{}` has no template", opener.id))?;
    let entry = crate::workspace::resolve::relative_link(&art.path, &path);
    let mut ops = vec![FileOp::Create {
        path: path.clone(),
        text: created,
    }];
    ops.extend(add_route(art, kind, text, field, &entry));
    Ok((
        Action {
            title: format!("Route to {flavor}: open {}", phase.to_lowercase()),
            kind: ActionKind::Refactor,
            ops,
            fixes: Vec::new(),
        },
        path,
    ))
}

/// The first kind, in phase order, that starts a per-item work item from a
/// template (research, a spec folder's raw idea), and its phase's title.
fn opener(flavor: &Flavor) -> Option<(&Kind, String)> {
    if !flavor.def.flavor.roots.is_empty() {
        return None; // bundles and the like: not where work starts
    }
    flavor.def.phases.iter().find_map(|phase| {
        let kind = flavor.def.kinds.iter().find(|k| {
            k.phase == phase.id
                && k.template.is_some()
                && k.work_item.as_deref().is_some_and(|w| w.contains('{'))
                && k.paths.iter().any(|p| !p.contains('*'))
        })?;
        let title = if phase.title.is_empty() {
            phase.id.clone()
        } else {
            phase.title.clone()
        };
        Some((kind, title))
    })
}

/// `agentops/<folder>/` of a flavor: a folder on disk mapped to it, else its first name.
fn base_folder(ws: &Workspace, flavor: &Flavor) -> Option<String> {
    if !flavor.def.flavor.roots.is_empty() {
        return None;
    }
    let dir = ws.artifacts_dir();
    let mut names: Vec<&str> = ws
        .schemas
        .folder_names()
        .filter(|n| {
            ws.schemas
                .for_folder(n)
                .is_some_and(|f| f.name() == flavor.name())
        })
        .collect();
    names.sort();
    let folder = names
        .iter()
        .find(|n| ws.root.join(dir).join(n).is_dir())
        .or(names.first())?;
    Some(format!("{dir}/{folder}/"))
}

/// A value for every capture of `pattern`, from the source's work item: its
/// name without a leading date, or today's date and the name when the
/// capture's rule wants a dated name.
fn captures_for(flavor: &Flavor, pattern: &str, from: &Artifact) -> Vec<(String, String)> {
    let key = from
        .class
        .work_item()
        .map(str::to_string)
        .unwrap_or_else(|| stem(&from.path));
    let name = undated(&key);
    let mut out = Vec::new();
    for cap in capture_names(pattern) {
        let candidates = [name.clone(), format!("{}-{name}", today())];
        let value = candidates
            .iter()
            .find(|v| {
                flavor
                    .capture_problems(&[(cap.clone(), (*v).clone())])
                    .is_empty()
            })
            .unwrap_or(&name)
            .clone();
        out.push((cap, value));
    }
    out
}

fn capture_names(pattern: &str) -> Vec<String> {
    pattern
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(n, _)| n.to_string()))
        .collect()
}

fn stem(path: &str) -> String {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.rsplit_once('.').map_or(file, |(s, _)| s).to_string()
}

/// `2025-11-07-payment-integration` → `payment-integration`.
fn undated(key: &str) -> String {
    let parts: Vec<&str> = key.split('-').collect();
    let dated = parts.len() > 3
        && parts
            .iter()
            .take(3)
            .all(|p| p.chars().all(|c| c.is_ascii_digit()))
        && parts.first().is_some_and(|y| y.len() == 4);
    if dated {
        parts.get(3..).unwrap_or(&[]).join("-")
    } else {
        key.to_string()
    }
}

/// The template of `kind` for `path`, with a back-link to `from` and its
/// summary quoted under the title.
fn routed_text(
    ws: &Workspace,
    from: &Artifact,
    from_text: &str,
    kind: &Kind,
    path: &str,
    captures: &[(String, String)],
) -> Option<String> {
    let body = template_text(ws, from, kind, path, captures, None)?;
    let title = from
        .title()
        .map_or_else(|| stem(&from.path), |t| t.text.clone());
    let link = crate::workspace::resolve::relative_link(path, &from.path);
    let about = [from.class.flavor(), from.class.kind()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let body = with_ack(body, from, kind, path);
    let mut quote = format!("> Routed from [{title}]({link}) ({about}).");
    if let Some(s) = summary(ws, from, from_text) {
        quote.push_str(&format!("\n>\n> {s}"));
    }
    // Under the title line; at the top when the template has none.
    let insert_at = body
        .lines()
        .scan(0usize, |pos, l| {
            let start = *pos;
            *pos += l.len() + 1;
            Some((start, l))
        })
        .find(|(_, l)| l.starts_with("# "))
        .map(|(start, l)| start + l.len() + 1);
    Some(match insert_at {
        Some(at) if at <= body.len() => {
            let (head, tail) = body.split_at(at);
            format!("{head}\n{quote}\n{tail}")
        }
        _ => format!("{quote}\n\n{body}"),
    })
}

/// The template's text with `from`'s current version acknowledged in the
/// kind's `routed_from` field: the route starts out read.
fn with_ack(body: String, from: &Artifact, kind: &Kind, path: &str) -> String {
    let (Some(field), Some(v)) = (kind.routed_from.as_deref(), from.version.as_ref()) else {
        return body;
    };
    let lines = routes::ack_lines(
        &crate::workspace::resolve::relative_link(path, &from.path),
        v,
    );
    let block = format!("{field}:\n  - {}\n", lines.join("\n    "));
    let close = body
        .strip_prefix("---\n")
        .and_then(|rest| rest.find("\n---\n").map(|i| 4 + i + 1));
    match close {
        Some(at) if at <= body.len() => {
            let (head, tail) = body.split_at(at);
            format!("{head}{block}{tail}")
        }
        _ => format!("---\n{block}---\n{body}"),
    }
}

/// The source in a few sentences: the first paragraph of its first essential
/// section that has one (the spec's Goal, the research's findings), else of
/// its first section that has one, else of the text under its title.
/// Template placeholders are no summary.
pub(super) fn summary(ws: &Workspace, art: &Artifact, text: &str) -> Option<String> {
    let kind = ws.kind_of(art)?;
    let essential = kind
        .essential_sections
        .iter()
        .filter(|id| id.as_str() != "title")
        .filter_map(|id| find_section(art, kind, id));
    let others = art.sections.iter().filter(|s| s.level > 1);
    let title = art.title().into_iter();
    let mut s = essential.chain(others).chain(title).find_map(|section| {
        first_paragraph(TextRange::new(section.range.end, section.end).slice(text))
    })?;
    if s.chars().count() > MAX_SUMMARY {
        s = s.chars().take(MAX_SUMMARY).collect::<String>() + "…";
    }
    Some(s)
}

/// The first paragraph of a section's body, up to its first sub-heading, as
/// one line; its links (relative to the source) as their text only.
fn first_paragraph(body: &str) -> Option<String> {
    let para: Vec<&str> = body
        .trim()
        .lines()
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::trim)
        .collect();
    let s = strip_links(&para.join(" "));
    let t = s.trim();
    let placeholder = t.starts_with('[') && t.ends_with(']');
    (!t.is_empty() && !placeholder).then(|| t.to_string())
}

/// `see [the plan](../plans/x.md)` → `see the plan`.
fn strip_links(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let after = rest.get(open + 1..).unwrap_or("");
        let link = after.find("](").and_then(|close| {
            let tail = after.get(close + 2..)?;
            let end = tail.find(')')?;
            Some((after.get(..close)?, close + 2 + end + 1))
        });
        match link {
            Some((text, len)) if !text.contains('[') => {
                out.push_str(rest.get(..open).unwrap_or(""));
                out.push_str(text);
                rest = after.get(len..).unwrap_or("");
            }
            _ => {
                out.push_str(rest.get(..=open).unwrap_or(""));
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Appends `entry` to the routes field, keeping the list's style.
fn add_route(art: &Artifact, kind: &Kind, text: &str, field: &str, entry: &str) -> Option<FileOp> {
    let f = art.frontmatter.as_ref().and_then(|fm| fm.get(field));
    let edit = |range: TextRange, new: String| FileOp::Edit {
        path: art.path.clone(),
        edits: vec![(range, new)],
    };
    match f.map(|f| (&f.value, f.value_range)) {
        Some((FmValue::List(items), range)) if !items.is_empty() => {
            let raw = range.slice(text);
            if raw.trim_end().ends_with(']') {
                let close = range.start + to_u32(raw.trim_end().len()) - 1;
                Some(edit(TextRange::empty(close), format!(", {entry}")))
            } else {
                let last = items.last()?.range;
                let line_start = text
                    .get(..last.start as usize)?
                    .rfind('\n')
                    .map_or(0, |i| i + 1);
                let indent = text.get(line_start..last.start as usize)?;
                Some(edit(
                    TextRange::empty(last.end),
                    format!("\n{indent}{entry}"),
                ))
            }
        }
        Some((FmValue::Str(s), range)) => Some(edit(range, format!("[{s}, {entry}]"))),
        _ => set_field(art, kind, text, field, &format!("[{entry}]")),
    }
}

/// "Create `x.md` from the <flavor> template" for route entries naming nothing.
fn create_missing(ws: &Workspace, art: &Artifact, text: &str) -> Vec<Action> {
    let mut out = Vec::new();
    for r in routes::routes(ws, art) {
        let Some(target) = r.target else { continue };
        if ws.fs.entry(&ws.root.join(&target)) != Entry::Missing {
            continue;
        }
        let Some((
            Class::Known {
                flavor, captures, ..
            },
            Some(kind),
        )) = crate::workspace::classify(&ws.schemas, ws.artifacts_dir(), &target)
        else {
            continue;
        };
        let Some(created) = routed_text(ws, art, text, kind, &target, &captures) else {
            continue;
        };
        let file = target.rsplit('/').next().unwrap_or(&target).to_string();
        out.push(Action {
            title: format!("Create `{file}` from the {flavor} template"),
            kind: ActionKind::QuickFix,
            ops: vec![FileOp::Create {
                path: target,
                text: created,
            }],
            fixes: vec!["route-missing"],
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            undated("2025-11-07-payment-integration"),
            "payment-integration"
        );
        assert_eq!(undated("k8s-upgrade"), "k8s-upgrade");
        assert_eq!(
            capture_names("specs/{folder}/planning/{x}.md"),
            ["folder", "x"]
        );
        assert_eq!(stem("a/b/monitoring-plan.md"), "monitoring-plan");
        assert_eq!(
            strip_links("as in the [requirements](planning/r.md), [x] and [😀 y](z)."),
            "as in the requirements, [x] and 😀 y."
        );
    }
}
