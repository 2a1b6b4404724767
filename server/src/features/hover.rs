//! Hover: what the flavor schema expects at a frontmatter key or a heading;
//! declared code paths and routes are described by `code_links`.

use crate::artifact::Artifact;
use crate::artifact::sections::{heading_matches, matched};
use crate::schema::{Field, FieldType, Kind};
use crate::workspace::Workspace;

/// Markdown for the hover at `offset`, and the range it is about.
pub fn hover(
    ws: &Workspace,
    art: &Artifact,
    offset: u32,
    open: &super::route_diff::OpenTexts,
) -> Option<(String, crate::text::TextRange)> {
    if let Some(h) = super::command_hover::hover(ws, art, offset) {
        return Some(h);
    }
    if let Some(h) = super::code_links::hover(ws, art, offset, open) {
        return Some(h);
    }
    if let Some(row) = super::requirements::row_at(ws, art, offset) {
        return Some((super::requirements::hover_markdown(&row), row.range));
    }
    let kind = ws.kind_of(art)?;
    if let Some(fm) = &art.frontmatter
        && fm.range.contains(offset)
    {
        let f = fm
            .fields
            .iter()
            .find(|f| f.key_range.contains(offset) || f.value_range.contains(offset))?;
        let decl = kind
            .fields
            .iter()
            .find(|d| d.name == f.key || d.aliases.contains(&f.key));
        let mut text = match decl {
            Some(d) => field_doc(kind, d),
            None => format!(
                "`{}` is not a field of {} ({}).",
                f.key,
                kind_title(kind),
                known_fields(kind)
            ),
        };
        if kind.status.as_ref().and_then(|s| s.field.as_ref()) == Some(&f.key)
            && let Some(t) = timeline(ws, art)
        {
            text.push_str(&format!("\n\n{t}"));
        }
        return Some((text, f.key_range));
    }
    // A status written as a bold label (`**Status:** ✅ Passed`).
    if let Some(st) = art
        .status
        .as_ref()
        .filter(|s| s.range.contains(offset) || s.range.end == offset)
        && let Some(t) = timeline(ws, art)
    {
        return Some((
            format!("**{}** — status of {}\n\n{t}", st.source, kind_title(kind)),
            st.range,
        ));
    }
    let node = art
        .sections
        .iter()
        .find(|s| s.range.contains(offset) || s.range.end == offset)?;
    if node.level == 1 {
        return Some((title_doc(ws, art, kind), node.range));
    }
    let found = matched(art, kind);
    let ni = art.sections.iter().position(|s| std::ptr::eq(s, node))?;
    let sec = found
        .iter()
        .find(|&&(_, n)| n == ni)
        .and_then(|&(s, _)| kind.sections.get(s))
        .or_else(|| {
            kind.sections
                .iter()
                .find(|s| heading_matches(s, &node.text))
        });
    let text = match sec {
        Some(s) => {
            let mut t = format!("**{}** — section of {}", s.heading, kind_title(kind));
            t.push_str(if s.required {
                " (required)"
            } else {
                " (optional)"
            });
            if !s.aliases.is_empty() {
                t.push_str(&format!(
                    "\n\nAlso written: {}",
                    s.aliases
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if !s.description.is_empty() {
                t.push_str(&format!("\n\n{}", s.description));
            }
            let order: Vec<&str> = kind
                .sections
                .iter()
                .filter(|x| x.parent == s.parent && x.level == s.level)
                .map(|x| x.heading.as_str())
                .collect();
            t.push_str(&format!("\n\nOrder: {}", order.join(" → ")));
            t
        }
        None => format!(
            "`{}` is not a declared section of {}.",
            node.text,
            kind_title(kind)
        ),
    };
    Some((text, node.range))
}

fn kind_title(kind: &Kind) -> String {
    if kind.name.is_empty() {
        format!("`{}`", kind.id)
    } else {
        format!("{} (`{}`)", kind.name, kind.id)
    }
}

fn known_fields(kind: &Kind) -> String {
    if kind.fields.is_empty() {
        return "it declares no fields".into();
    }
    format!(
        "known: {}",
        kind.fields
            .iter()
            .map(|f| format!("`{}`", f.name))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn field_doc(kind: &Kind, d: &Field) -> String {
    let ty = match d.ty {
        FieldType::Enum => format!(
            "one of {}",
            d.values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        FieldType::Date => "a date (`YYYY-MM-DD`)".into(),
        FieldType::Datetime => "a date-time (`2025-11-07T10:30:00Z`)".into(),
        FieldType::List => "a list".into(),
        FieldType::Bool => "`true` or `false`".into(),
        FieldType::Number => "a number".into(),
        FieldType::Path => "a path".into(),
        FieldType::String => "text".into(),
        FieldType::Any => "any value".into(),
    };
    let mut t = format!(
        "**{}** — {}, {}",
        d.name,
        ty,
        if d.required { "required" } else { "optional" }
    );
    t.push_str(&format!(" in {}", kind_title(kind)));
    if !d.description.is_empty() {
        t.push_str(&format!("\n\n{}", d.description));
    }
    t
}

fn title_doc(ws: &Workspace, art: &Artifact, kind: &Kind) -> String {
    let flavor = ws.flavor_of(art);
    let mut t = format!("**{}**", kind_title(kind));
    if let Some(f) = flavor {
        let phase = f.def.phases.iter().find(|p| p.id == kind.phase);
        let title = phase.map_or(kind.phase.as_str(), |p| {
            if p.title.is_empty() {
                p.id.as_str()
            } else {
                p.title.as_str()
            }
        });
        t.push_str(&format!(" · flavor `{}` · phase {title}", f.name()));
    }
    if let Some(line) = timeline(ws, art) {
        t.push_str(&format!("\n\n{line}"));
    }
    if let Some(routes) = super::code_links::routes_doc(ws, art) {
        t.push_str(&format!("\n\n{routes}"));
    }
    if !kind.title.patterns.is_empty() {
        t.push_str(&format!(
            "\n\nTitle: `# {}`",
            kind.title.patterns.join("` or `# ")
        ));
    }
    let required: Vec<&str> = kind
        .sections
        .iter()
        .filter(|s| s.required && s.parent.is_none())
        .map(|s| s.heading.as_str())
        .collect();
    if !required.is_empty() {
        t.push_str(&format!("\n\nRequired sections: {}", required.join(", ")));
    }
    t
}

/// The work item's timeline and what blocks it, as hover text.
pub fn timeline(ws: &Workspace, art: &Artifact) -> Option<String> {
    let items = ws.items();
    let item = items.of(&art.path)?;
    let state = crate::workspace::phases::item_state(ws, item)?;
    let mut t = format!(
        "Work item `{}`: {}",
        item.key,
        crate::workspace::phases::timeline(&state)
    );
    match (&state.current, state.blockers.is_empty()) {
        (None, _) => t.push_str("\n\nAll phases done."),
        (Some(c), true) => t.push_str(&format!("\n\nNext: {c}.")),
        (Some(c), false) => t.push_str(&format!("\n\nNext: {c} — {}.", state.blockers.join("; "))),
    }
    Some(t)
}

/// The one-line timeline shown as a code lens over the title.
pub fn lens(ws: &Workspace, art: &Artifact) -> Option<(String, crate::text::TextRange)> {
    let title = art.title()?;
    let items = ws.items();
    let item = items.of(&art.path)?;
    let state = crate::workspace::phases::item_state(ws, item)?;
    Some((crate::workspace::phases::timeline(&state), title.range))
}
