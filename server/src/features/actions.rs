//! Code actions as file operations: add a missing section, add frontmatter,
//! declare a link, mark a phase complete or approved, advance to the next
//! phase by creating its artifact from the flavor's template, rename a
//! misnamed spec folder. The LSP face turns these into a `WorkspaceEdit`.

use crate::artifact::sections::matched;
use crate::artifact::{Artifact, Class};
use crate::rules::status_in;
use crate::schema::{Field, FieldType, Kind, fill};
use crate::text::TextRange;
use crate::workspace::Workspace;
use crate::workspace::items::Pairing;
use crate::workspace::phases::{PhaseStatus, artifact_state, item_state};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOp {
    /// A new file; never replaces an existing one.
    Create {
        path: String,
        text: String,
    },
    Rename {
        from: String,
        to: String,
    },
    Edit {
        path: String,
        edits: Vec<(TextRange, String)>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    Refactor,
}

#[derive(Debug, Clone)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    pub ops: Vec<FileOp>,
    /// Diagnostic codes this action resolves.
    pub fixes: Vec<&'static str>,
}

/// Every action for the open artifact `art` whose current text is `text`.
pub fn actions(ws: &Workspace, art: &Artifact, text: &str) -> Vec<Action> {
    let Some(kind) = ws.kind_of(art) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    out.extend(missing_sections(art, kind));
    out.extend(declare_links(ws, art, kind, text));
    out.extend(add_frontmatter(ws, art, kind));
    out.extend(mark_done(ws, art, kind, text));
    out.extend(enum_typos(art, kind));
    out.extend(status_from_boxes(art, kind));
    out.extend(advance(ws, art));
    out.extend(rename_folder(ws, art, text));
    out.extend(super::routes::route_actions(ws, art, text));
    out.extend(super::acknowledge::actions(ws, art, text));
    out
}

fn edit(path: &str, range: TextRange, new: String) -> FileOp {
    FileOp::Edit {
        path: path.to_string(),
        edits: vec![(range, new)],
    }
}

fn missing_sections(art: &Artifact, kind: &Kind) -> Vec<Action> {
    let found = matched(art, kind);
    let mut out = Vec::new();
    for (si, sec) in kind.sections.iter().enumerate() {
        if !sec.required || found.iter().any(|&(s, _)| s == si) {
            continue;
        }
        let siblings: Vec<(usize, usize)> = found
            .iter()
            .copied()
            .filter(|&(s, _)| kind.sections.get(s).is_some_and(|x| x.parent == sec.parent))
            .collect();
        // Parent extent for sub-sections; the whole body for top-level ones.
        let scope_end = match &sec.parent {
            Some(pid) => {
                let Some(pi) = kind.sections.iter().position(|s| &s.id == pid) else {
                    continue;
                };
                match found
                    .iter()
                    .find(|&&(s, _)| s == pi)
                    .and_then(|&(_, n)| art.sections.get(n))
                {
                    Some(p) => p.end,
                    None => continue,
                }
            }
            None => art.lines.len(),
        };
        let hashes = "#".repeat(usize::from(sec.level));
        let next = siblings
            .iter()
            .filter(|&&(s, _)| s > si)
            .min_by_key(|&&(_, n)| n)
            .and_then(|&(_, n)| art.sections.get(n));
        let (at, new) = match next {
            Some(n) => (n.range.start, format!("{hashes} {}\n\n", sec.heading)),
            None => {
                let prev_end = siblings
                    .iter()
                    .filter(|&&(s, _)| s < si)
                    .filter_map(|&(_, n)| art.sections.get(n))
                    .map(|n| n.end)
                    .max();
                let at = prev_end.unwrap_or(scope_end).min(scope_end);
                (at, format!("\n{hashes} {}\n", sec.heading))
            }
        };
        out.push(Action {
            title: format!("Add missing section `{hashes} {}`", sec.heading),
            kind: ActionKind::QuickFix,
            ops: vec![edit(&art.path, TextRange::empty(at), new)],
            fixes: vec!["section-missing"],
        });
    }
    out
}

/// The pairing the server inferred, written into the frontmatter.
fn declare_links(ws: &Workspace, art: &Artifact, kind: &Kind, text: &str) -> Vec<Action> {
    let items = ws.items();
    let Some(pairings) = items.pairings.get(&art.path) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (_, p) in pairings {
        let (field, targets) = match p {
            Pairing::Inferred { target, field } => (field, vec![target.clone()]),
            Pairing::Ambiguous { candidates, field } => (field, candidates.clone()),
            _ => continue,
        };
        for target in targets {
            let value = crate::workspace::resolve::relative_link(&art.path, &target);
            let Some(op) = set_field(art, kind, text, field, &value) else {
                continue;
            };
            out.push(Action {
                title: format!("Declare `{field}: {value}`"),
                kind: ActionKind::QuickFix,
                ops: vec![op],
                fixes: vec!["work-item-unlinked", "phase-prerequisite-missing"],
            });
        }
    }
    out
}

/// Sets a frontmatter field: replaces its value, adds the line, or adds frontmatter.
pub fn set_field(
    art: &Artifact,
    _kind: &Kind,
    text: &str,
    key: &str,
    value: &str,
) -> Option<FileOp> {
    let edits = set_fields(art, text, &[(key, value.to_string())]).ok()?;
    Some(FileOp::Edit {
        path: art.path.clone(),
        edits,
    })
}

/// Frontmatter edits that set each `(key, value)`: existing values replaced,
/// the others added in one block before the closing fence (or as new frontmatter).
pub fn set_fields(
    art: &Artifact,
    text: &str,
    fields: &[(&str, String)],
) -> Result<Vec<(TextRange, String)>, String> {
    let Some(fm) = &art.frontmatter else {
        let body: String = fields.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
        return Ok(vec![(TextRange::empty(0), format!("---\n{body}---\n"))]);
    };
    if fm.error.is_some() {
        return Err("the frontmatter does not parse: fix it first".into());
    }
    let mut edits = Vec::new();
    let mut added = String::new();
    for (k, v) in fields {
        match fm.get(k) {
            Some(f) => edits.push((f.value_range, v.clone())),
            None => added.push_str(&format!("{k}: {v}\n")),
        }
    }
    if !added.is_empty() {
        let block = fm.range.slice(text);
        let body = block.trim_end_matches(['\n', '\r']);
        let close = body.rfind('\n').map_or(0, |i| i + 1);
        edits.push((
            TextRange::empty(fm.range.start + crate::text::to_u32(close)),
            added,
        ));
    }
    Ok(edits)
}

/// `text` with `edits` (byte ranges in `text`, not overlapping) applied, as a
/// client applies a `WorkspaceEdit`; `None` when a range is out of the text or
/// splits a character, or two overlap.
pub fn apply_edits(text: &str, edits: &[(TextRange, String)]) -> Option<String> {
    let mut sorted: Vec<&(TextRange, String)> = edits.iter().collect();
    sorted.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out =
        String::with_capacity(text.len() + edits.iter().map(|(_, s)| s.len()).sum::<usize>());
    let mut at = 0usize;
    for (r, new) in sorted {
        let (start, end) = (r.start as usize, r.end as usize);
        if start < at || end < start {
            return None;
        }
        out.push_str(text.get(at..start)?);
        text.get(start..end)?;
        out.push_str(new);
        at = end;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

fn add_frontmatter(ws: &Workspace, art: &Artifact, kind: &Kind) -> Vec<Action> {
    if art.frontmatter.is_some() || kind.fields.is_empty() {
        return Vec::new();
    }
    let mut lines = Vec::new();
    if let Some(rule) = &kind.status
        && let Some(field) = rule
            .field
            .as_ref()
            .and_then(|f| kind.fields.iter().find(|d| &d.name == f))
    {
        let (done, _) = artifact_state(art, kind);
        let want = if done {
            rule.done.first()
        } else {
            rule.in_progress.first().or(rule.done.first())
        };
        if let Some(v) = want {
            lines.push(format!("{}: {}", field.name, canonical(field, v)));
        }
    }
    if kind
        .fields
        .iter()
        .any(|f| f.name == "date" && matches!(f.ty, FieldType::Date | FieldType::Datetime))
    {
        lines.push(format!("date: {}", date_of(art).unwrap_or_else(today)));
    }
    let items = ws.items();
    for (_, p) in items.pairings.get(&art.path).into_iter().flatten() {
        if let Pairing::Inferred { target, field } = p {
            lines.push(format!(
                "{field}: {}",
                crate::workspace::resolve::relative_link(&art.path, target)
            ));
        }
    }
    if lines.is_empty() {
        return Vec::new();
    }
    vec![Action {
        title: "Add frontmatter".into(),
        kind: ActionKind::Refactor,
        ops: vec![edit(
            &art.path,
            TextRange::empty(0),
            format!("---\n{}\n---\n", lines.join("\n")),
        )],
        fixes: vec!["frontmatter-missing-field"],
    }]
}

/// "Set status to `in progress` (7/21 checked)": a finished status that open
/// boxes contradict (`done_requires_checked`) set back to what the boxes say.
fn status_from_boxes(art: &Artifact, kind: &Kind) -> Vec<Action> {
    let (Some(rule), Some(st)) = (&kind.status, &art.status) else {
        return Vec::new();
    };
    let finished = status_in(&rule.done, &st.value) || status_in(&rule.approved, &st.value);
    if !finished || !rule.done_requires_checked {
        return Vec::new();
    }
    let scope = rule
        .checklist
        .as_ref()
        .and_then(|id| crate::artifact::sections::find_section(art, kind, id))
        .map(|s| s.extent());
    let boxes: Vec<_> = art
        .tasks
        .iter()
        .filter(|t| scope.is_none_or(|r| r.contains_range(t.range)))
        .collect();
    let checked = boxes.iter().filter(|t| t.checked).count();
    if boxes.is_empty() || checked == boxes.len() {
        return Vec::new();
    }
    // The first value that means "started, not finished": in_progress, else the
    // field's first allowed value that is neither done nor approved (`Draft`).
    let unfinished = |v: &String| !status_in(&rule.done, v) && !status_in(&rule.approved, v);
    let field = rule
        .field
        .as_ref()
        .and_then(|f| kind.fields.iter().find(|d| &d.name == f));
    let Some(value) = rule
        .in_progress
        .iter()
        .find(|v| unfinished(v))
        .or_else(|| field.and_then(|f| f.values.iter().find(|v| unfinished(v))))
    else {
        return Vec::new();
    };
    let value = field.map_or(value.clone(), |f| canonical(f, value));
    vec![Action {
        title: format!(
            "Set status to `{value}` ({checked}/{} checked)",
            boxes.len()
        ),
        kind: ActionKind::QuickFix,
        ops: vec![edit(&art.path, st.range, value)],
        fixes: vec!["phase-status-mismatch"],
    }]
}

/// "Change to `Approved`" for an enum value that is a typo of exactly one allowed value.
fn enum_typos(art: &Artifact, kind: &Kind) -> Vec<Action> {
    let Some(fm) = art.frontmatter.as_ref().filter(|f| f.error.is_none()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for field in kind.fields.iter().filter(|f| f.ty == FieldType::Enum) {
        let Some(f) = std::iter::once(&field.name)
            .chain(&field.aliases)
            .find_map(|n| fm.get(n))
        else {
            continue;
        };
        let items = f.text_items();
        let [(value, range)] = items.as_slice() else {
            continue;
        };
        if field
            .values
            .iter()
            .any(|v| v.eq_ignore_ascii_case(value.trim()))
        {
            continue;
        }
        let Some(fixed) =
            crate::rules::closest(value.trim(), field.values.iter().map(String::as_str))
        else {
            continue;
        };
        out.push(Action {
            title: format!("Change `{}` to `{fixed}`", value.trim()),
            kind: ActionKind::QuickFix,
            ops: vec![edit(&art.path, *range, fixed.to_string())],
            fixes: vec!["frontmatter-invalid-value"],
        });
    }
    out
}

/// The enum's own spelling of a status value (`approved` → `Approved`).
fn canonical(field: &Field, value: &str) -> String {
    field
        .values
        .iter()
        .find(|v| v.eq_ignore_ascii_case(value))
        .cloned()
        .unwrap_or_else(|| value.to_string())
}

fn mark_done(ws: &Workspace, art: &Artifact, kind: &Kind, text: &str) -> Vec<Action> {
    let Some(rule) = &kind.status else {
        return Vec::new();
    };
    if artifact_state(art, kind).0
        && art
            .status
            .as_ref()
            .is_none_or(|s| status_in(&rule.done, &s.value) || status_in(&rule.approved, &s.value))
    {
        return Vec::new();
    }
    // Approval is a human act with its own command (`agentops.approve`,
    // features/approve.rs) that records who and when: never a quick fix, and
    // never a tick of the sign-off boxes.
    let approving =
        rule.checklist.is_some() && rule.approved.iter().any(|a| !rule.done.contains(a));
    if approving || !art.placeholders.is_empty() {
        return Vec::new();
    }
    let Some(value) = rule.done.first() else {
        return Vec::new();
    };
    // Completing is the tasks' job: never declare done over open checkboxes.
    if rule.done_requires_checked && art.tasks.iter().any(|t| !t.checked) {
        return Vec::new();
    }
    let field = rule
        .field
        .as_ref()
        .and_then(|f| kind.fields.iter().find(|d| &d.name == f));
    let value = field.map_or(value.clone(), |f| canonical(f, value));
    let mut edits: Vec<(TextRange, String)> = Vec::new();
    match (&art.status, &rule.field) {
        (Some(st), _) => edits.push((st.range, value.clone())),
        (None, Some(f)) => match set_field(art, kind, text, f, &value) {
            Some(FileOp::Edit { edits: e, .. }) => edits.extend(e),
            _ => return Vec::new(),
        },
        (None, None) => return Vec::new(),
    }
    let phase = ws
        .flavor_of(art)
        .and_then(|f| f.def.phases.iter().find(|p| p.id == kind.phase))
        .map_or(kind.phase.clone(), |p| {
            if p.title.is_empty() {
                p.id.clone()
            } else {
                p.title.clone()
            }
        });
    vec![Action {
        title: format!("Mark {phase} complete"),
        kind: ActionKind::QuickFix,
        ops: vec![FileOp::Edit {
            path: art.path.clone(),
            edits,
        }],
        fixes: vec!["phase-status-mismatch"],
    }]
}

/// "Advance to <phase>: create <artifact>" for the work item's current phase.
pub fn advance(ws: &Workspace, art: &Artifact) -> Vec<Action> {
    let Some(flavor) = ws.flavor_of(art) else {
        return Vec::new();
    };
    let items = ws.items();
    let Some(item) = items.of(&art.path) else {
        return Vec::new();
    };
    let Some(state) = item_state(ws, item) else {
        return Vec::new();
    };
    let Some(current) = state
        .phases
        .iter()
        .find(|p| Some(&p.id) == state.current.as_ref())
    else {
        return Vec::new();
    };
    if current.status != PhaseStatus::NotStarted {
        return Vec::new();
    }
    let captures = match &art.class {
        Class::Known { captures, .. } => captures.clone(),
        _ => Vec::new(),
    };
    let Some(base) = flavor_base(ws, art) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for kind in flavor
        .def
        .kinds
        .iter()
        .filter(|k| k.phase == current.id && k.template.is_some())
    {
        if let Some(a) = create_from_template(ws, art, kind, &base, &captures) {
            let title = if current.title.is_empty() {
                &current.id
            } else {
                &current.title
            };
            out.push(Action {
                title: format!(
                    "Advance to {title}: create {}",
                    a.0.rsplit('/').next().unwrap_or(&a.0)
                ),
                kind: ActionKind::Refactor,
                ops: vec![FileOp::Create {
                    path: a.0,
                    text: a.1,
                }],
                fixes: Vec::new(),
            });
        }
    }
    out
}

/// "Create <file>" for an artifact of kind `kind_id` in `art`'s work item, from
/// the kind's template (None when the kind has no template or the file exists).
pub fn create_kind(ws: &Workspace, art: &Artifact, kind_id: &str) -> Option<Action> {
    let flavor = ws.flavor_of(art)?;
    let kind = flavor.def.kinds.iter().find(|k| k.id == kind_id)?;
    let captures = match &art.class {
        Class::Known { captures, .. } => captures.clone(),
        _ => Vec::new(),
    };
    let base = flavor_base(ws, art)?;
    let (path, text) = create_from_template(ws, art, kind, &base, &captures)?;
    Some(Action {
        title: format!("Create {}", path.rsplit('/').next().unwrap_or(&path)),
        kind: ActionKind::Refactor,
        ops: vec![FileOp::Create { path, text }],
        fixes: Vec::new(),
    })
}

/// The new artifact's path and text, unless that file exists. It is seeded
/// from the earlier phase it starts from: the work item's artifact of a
/// prerequisite kind, else `from`.
pub fn create_from_template(
    ws: &Workspace,
    from: &Artifact,
    kind: &Kind,
    base: &str,
    captures: &[(String, String)],
) -> Option<(String, String)> {
    kind.template.as_ref()?;
    let rel = fill(kind.paths.iter().find(|p| !p.contains('*'))?, captures);
    if rel.contains('{') {
        return None;
    }
    let path = format!("{base}{rel}");
    if ws.artifacts.contains_key(&path) || ws.root.join(&path).exists() {
        return None;
    }
    let seed = kind.seed.as_ref().and_then(|_| {
        let source = seed_source(ws, from, kind)?;
        let text = crate::workspace::read::repo_text(&ws.root, &source.path).ok()?;
        Some(super::template::seed_from(ws, source, &text, &path))
    });
    let text = template_text(ws, from, kind, &path, captures, seed)?;
    Some((path, text))
}

/// What a new `kind` artifact starts from: the artifact of a prerequisite
/// kind in `from`'s work item, else `from` itself (not of `kind`).
fn seed_source<'w>(ws: &'w Workspace, from: &'w Artifact, kind: &Kind) -> Option<&'w Artifact> {
    let items = ws.items();
    let peers = items
        .of(&from.path)
        .map(|i| i.artifacts.clone())
        .unwrap_or_default();
    kind.prerequisites
        .iter()
        .find_map(|p| {
            peers
                .iter()
                .filter_map(|path| ws.artifacts.get(path))
                .find(|a| a.class.kind() == Some(p.kind.as_str()))
        })
        .or_else(|| (from.class.kind() != Some(kind.id.as_str())).then_some(from))
}

/// The text of a new `kind` artifact at `path`, made for the work of `from`.
pub fn template_text(
    ws: &Workspace,
    from: &Artifact,
    kind: &Kind,
    path: &str,
    captures: &[(String, String)],
    seed: Option<String>,
) -> Option<String> {
    let name = super::template::item_name(ws, from, captures);
    let mut text = super::template::fill(
        kind,
        &super::template::Fill {
            captures,
            name,
            seed,
        },
    )?;
    // Link back to where it came from, explicitly, when the kind links by field.
    for p in kind
        .prerequisites
        .iter()
        .filter(|p| Some(p.kind.as_str()) == from.class.kind())
    {
        if let Some(field) = &p.via {
            let value = crate::workspace::resolve::relative_link(path, &from.path);
            text = set_template_field(&text, field, &value);
        }
    }
    Some(text)
}

/// Replaces (or adds) `field:` in a template's frontmatter.
fn set_template_field(text: &str, field: &str, value: &str) -> String {
    let Some(body) = text.strip_prefix("---\n") else {
        return format!("---\n{field}: {value}\n---\n\n{text}");
    };
    let Some(end) = body.find("\n---") else {
        return text.to_string();
    };
    let (fm, rest) = body.split_at(end);
    let mut lines: Vec<String> = fm
        .lines()
        .filter(|l| !l.starts_with(&format!("{field}:")))
        .map(str::to_string)
        .collect();
    lines.push(format!("{field}: {value}"));
    format!("---\n{}{rest}", lines.join("\n"))
}

pub fn flavor_base(ws: &Workspace, art: &Artifact) -> Option<String> {
    ws.flavor_base(art)
}

/// `YYYY-MM-DD` of a capture that starts with a date.
fn date_of(art: &Artifact) -> Option<String> {
    let Class::Known { captures, .. } = &art.class else {
        return None;
    };
    captures
        .iter()
        .find_map(|(_, v)| crate::rules::dated_prefix(v).map(str::to_string))
}

pub use crate::time::today;

/// "Rename spec folder to YYYY-MM-DD-name" for a folder whose capture breaks its shape.
fn rename_folder(ws: &Workspace, art: &Artifact, text: &str) -> Vec<Action> {
    let Some(flavor) = ws.flavor_of(art) else {
        return Vec::new();
    };
    let Class::Known { captures, .. } = &art.class else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, value) in captures {
        if flavor
            .capture_problems(&[(name.clone(), value.clone())])
            .is_empty()
        {
            continue;
        }
        let fixed = fix_folder_name(value);
        if fixed == *value
            || !flavor
                .capture_problems(&[(name.clone(), fixed.clone())])
                .is_empty()
        {
            continue;
        }
        let Some(pos) = art.path.find(&format!("/{value}/")) else {
            continue;
        };
        let from = art
            .path
            .get(..pos + 1 + value.len())
            .unwrap_or("")
            .to_string();
        let to = format!("{}{fixed}", art.path.get(..pos + 1).unwrap_or(""));
        if ws.root.join(&to).exists() {
            continue;
        }
        let text_of = |p: &str| {
            if p == art.path {
                Some(text.to_string())
            } else {
                crate::workspace::read::repo_text(&ws.root, p).ok()
            }
        };
        let moves = [super::rename::Move {
            from: from.clone(),
            to: to.clone(),
        }];
        // Edits name the files where they are now: they go before the rename.
        let mut ops = super::rename::file_moves(ws, &moves, &text_of);
        ops.push(FileOp::Rename { from, to });
        out.push(Action {
            title: format!("Rename folder to `{fixed}`"),
            kind: ActionKind::QuickFix,
            ops,
            fixes: vec!["spec-folder-name"],
        });
    }
    out
}

/// `20251020-wger-mcp-mvp` → `2025-10-20-wger-mcp-mvp`; undated names get today;
/// at most five words, kebab-case.
pub fn fix_folder_name(value: &str) -> String {
    let lower: String = value
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let parts: Vec<&str> = lower.split('-').filter(|p| !p.is_empty()).collect();
    let (date, rest) = match parts.first() {
        Some(p) if p.len() == 8 && p.chars().all(|c| c.is_ascii_digit()) => (
            format!("{}-{}-{}", &p[..4], &p[4..6], &p[6..]),
            parts.get(1..).unwrap_or(&[]).to_vec(),
        ),
        Some(y) if y.len() == 4 && parts.len() >= 3 && y.chars().all(|c| c.is_ascii_digit()) => {
            let m = parts.get(1).copied().unwrap_or("01");
            let d = parts.get(2).copied().unwrap_or("01");
            (
                format!("{y}-{m:0>2}-{d:0>2}"),
                parts.get(3..).unwrap_or(&[]).to_vec(),
            )
        }
        _ => (today(), parts.clone()),
    };
    let words: Vec<&str> = rest.into_iter().take(5).collect();
    if words.is_empty() {
        date
    } else {
        format!("{date}-{}", words.join("-"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_order_and_refuse_bad_ranges() {
        let text = "status: draft\né x\n";
        let edits = vec![
            (TextRange::from_usize(17, 18), "y".to_string()),
            (TextRange::from_usize(8, 13), "Approved".to_string()),
        ];
        assert_eq!(
            apply_edits(text, &edits).as_deref(),
            Some("status: Approved\né y\n")
        );
        // Inside `é` (two bytes at 14..16), past the end, overlapping.
        assert_eq!(
            apply_edits(text, &[(TextRange::from_usize(15, 15), "z".into())]),
            None
        );
        assert_eq!(
            apply_edits(text, &[(TextRange::from_usize(40, 41), "z".into())]),
            None
        );
        assert_eq!(
            apply_edits(
                text,
                &[
                    (TextRange::from_usize(0, 5), "a".into()),
                    (TextRange::from_usize(3, 6), "b".into())
                ]
            ),
            None
        );
    }

    #[test]
    fn dates_and_names() {
        assert_eq!(
            fix_folder_name("20251020-wger-mcp-mvp"),
            "2025-10-20-wger-mcp-mvp"
        );
        assert_eq!(fix_folder_name("2025-11-6-Payments"), "2025-11-06-payments");
        assert!(fix_folder_name("user-auth").ends_with("-user-auth"));
        assert_eq!(
            set_template_field(
                "---\nstatus: Draft\nresearch: x\n---\n# T\n",
                "research",
                "../r.md"
            ),
            "---\nstatus: Draft\nresearch: ../r.md\n---\n# T\n"
        );
    }
}
