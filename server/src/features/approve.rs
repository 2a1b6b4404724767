//! Approval as an explicit human act (`agentops.approve`, `agentops-lsp
//! approve`): sets the artifact's status to its kind's approved value and
//! records who approved it and when (`approved_by`, `approved_at`).
//!
//! It never ticks a sign-off box: the checklist is the human's own record of
//! what was reviewed, so approval is refused while a box is open, when the
//! kind has a checklist and the artifact has no box in it (nothing would
//! record the review), and while the template's placeholders are still in
//! the text. A kind without a checklist (a product-dev spec) is approved
//! with who and when alone.

use crate::artifact::Artifact;
use crate::artifact::sections::find_section;
use crate::rules::status_in;
use crate::schema::{Kind, StatusRule};

use super::actions::{Action, ActionKind, FileOp, set_fields};

/// The approval edit of `art` (whose current text is `text`) by `who` at `when`
/// (RFC 3339), or why it cannot be approved.
pub fn approve(
    art: &Artifact,
    kind: &Kind,
    text: &str,
    who: &str,
    when: &str,
) -> Result<Action, String> {
    if who.trim().is_empty() {
        return Err(
            "who approves is unknown: set git `user.name` or the `agentops.approver` setting"
                .into(),
        );
    }
    let rule = ready(art, kind)?;
    if let Some(st) = &art.status
        && status_in(&rule.approved, &st.value)
        && art
            .frontmatter
            .as_ref()
            .is_some_and(|f| f.get("approved_by").is_some())
    {
        return Err(format!("already approved (status `{}`)", st.value));
    }
    // The approving word proper (`Approved`), not a later stage such as `complete`.
    let value = rule
        .approved
        .iter()
        .find(|a| a.eq_ignore_ascii_case("approved"))
        .or_else(|| rule.approved.iter().find(|a| !rule.done.contains(a)))
        .or_else(|| rule.approved.first())
        .cloned()
        .unwrap_or_default();
    let value = rule
        .field
        .as_ref()
        .and_then(|f| kind.fields.iter().find(|d| &d.name == f))
        .and_then(|f| f.values.iter().find(|v| v.eq_ignore_ascii_case(&value)))
        .cloned()
        .unwrap_or(value);
    let mut fields: Vec<(&str, String)> = vec![
        ("approved_by", yaml_scalar(who.trim())),
        ("approved_at", when.to_string()),
    ];
    let mut edits = Vec::new();
    match (&art.status, &rule.field) {
        (Some(st), _) => edits.push((st.range, value.clone())),
        (None, Some(f)) => fields.insert(0, (f.as_str(), value.clone())),
        (None, None) => return Err("the artifact has no status to set".into()),
    }
    edits.extend(set_fields(art, text, &fields)?);
    Ok(Action {
        title: format!("Approve as {}", who.trim()),
        kind: ActionKind::Refactor,
        ops: vec![FileOp::Edit {
            path: art.path.clone(),
            edits,
        }],
        fixes: Vec::new(),
    })
}

/// Whether a human could approve `art` now: its kind has an approval, no
/// template placeholder is left and every sign-off box is ticked. Returns the
/// kind's status rule.
pub fn ready<'k>(art: &Artifact, kind: &'k Kind) -> Result<&'k StatusRule, String> {
    let rule = kind
        .status
        .as_ref()
        .filter(|r| !r.approved.is_empty())
        .ok_or_else(|| {
            format!(
                "a `{}` has no approval step in its flavor (its status has no approved value): nothing to approve; set its status when it is done",
                kind.id
            )
        })?;
    if let Some(first) = art.placeholders.first() {
        let line = art
            .lines
            .position(first.start, crate::text::Encoding::Utf8)
            .line
            + 1;
        return Err(format!(
            "{} line(s) still hold the template's placeholders (first at line {line}): fill them in before approving",
            art.placeholders.len()
        ));
    }
    let Some(id) = &rule.checklist else {
        // No sign-off checklist in this kind: approving records who and when.
        return Ok(rule);
    };
    let heading = kind.sections.iter().find(|s| &s.id == id).map_or_else(
        || id.clone(),
        |s| format!("{} {}", "#".repeat(usize::from(s.level)), s.heading),
    );
    // The boxes are the reviewer's record of what was reviewed: approval
    // without any would record a sign-off nobody wrote down.
    let Some(sec) = find_section(art, kind, id) else {
        return Err(format!(
            "there is no `{heading}` checklist: add it with the boxes the reviewer ticks (as the template has them), tick them, then approve"
        ));
    };
    let scope = sec.extent();
    let boxes: Vec<_> = art
        .tasks
        .iter()
        .filter(|t| scope.contains_range(t.range))
        .collect();
    if boxes.is_empty() {
        return Err(format!(
            "`{}` has no boxes: add the sign-off boxes the reviewer ticks (`- [ ] Approach validated`, as the template has them), tick them, then approve",
            sec.text
        ));
    }
    let open = boxes.iter().filter(|t| !t.checked).count();
    if open > 0 {
        return Err(format!(
            "{open} of {} boxes under `{}` are open: the reviewer ticks them, then approves",
            boxes.len(),
            sec.text
        ));
    }
    Ok(rule)
}

/// A name as a YAML scalar: quoted when plain YAML would read it otherwise.
fn yaml_scalar(s: &str) -> String {
    let plain = s
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_' | '@' | '\''))
        && s.chars().next().is_some_and(char::is_alphanumeric);
    if plain {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_yaml() {
        assert_eq!(yaml_scalar("Ada Lovelace"), "Ada Lovelace");
        assert_eq!(yaml_scalar("a: b"), "\"a: b\"");
        assert_eq!(yaml_scalar("#x \"y\""), "\"#x \\\"y\\\"\"");
    }
}
