//! phase-status-mismatch inside one artifact: a status that its own
//! checkboxes contradict.

use crate::artifact::Artifact;
use crate::artifact::sections::find_section;
use crate::schema::{Kind, StatusRule};

use super::Sink;

/// Lowercase words of a status value, emoji and punctuation dropped: "✅ Passed" → "passed".
pub fn normalize_status(value: &str) -> String {
    value
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
        .filter(|w| !w.is_empty())
        .map(|w| w.replace('_', " ").to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn status_in(values: &[String], status: &str) -> bool {
    let s = normalize_status(status);
    values.iter().any(|v| normalize_status(v) == s)
}

pub fn check(art: &Artifact, kind: &Kind, sink: &mut Sink) {
    let (Some(rule), Some(status)) = (&kind.status, &art.status) else {
        return;
    };
    let (scope, label) = match &rule.checklist {
        Some(id) => match find_section(art, kind, id) {
            Some(sec) => (Some(sec.extent()), format!("items in `{}`", sec.text)),
            None => return,
        },
        None => (None, "tasks".to_string()),
    };
    let tasks: Vec<_> = art
        .tasks
        .iter()
        .filter(|t| scope.is_none_or(|r| r.contains_range(t.range)))
        .collect();
    let open: Vec<_> = tasks.iter().filter(|t| !t.checked).collect();
    let finished = status_in(&rule.done, &status.value) || status_in(&rule.approved, &status.value);
    if finished && rule.done_requires_checked && !open.is_empty() {
        let verb = if open.len() == 1 { "is" } else { "are" };
        let msg = format!(
            "status is `{}` but {} of {} {label} {verb} still open",
            status.value,
            open.len(),
            tasks.len()
        );
        if let Some(d) = sink.push("phase-status-mismatch", status.range, msg)
            && let Some(first) = open.first()
        {
            d.related.push(super::Related {
                path: art.path.clone(),
                range: first.range,
                message: "first open item".into(),
            });
        }
    } else if rule.checked_requires_done
        && !tasks.is_empty()
        && open.is_empty()
        && !status_in(&rule.done, &status.value)
    {
        sink.push(
            "phase-status-mismatch",
            status.range,
            format!(
                "all {} {label} are checked but status is `{}`; mark it {}",
                tasks.len(),
                status.value,
                done_word(rule)
            ),
        );
    }
}

/// placeholder-unfilled: a finished status over the template's placeholder lines.
pub fn placeholders(art: &Artifact, kind: &Kind, sink: &mut Sink) {
    let (Some(rule), Some(status), Some(first)) =
        (&kind.status, &art.status, art.placeholders.first())
    else {
        return;
    };
    if !(status_in(&rule.done, &status.value) || status_in(&rule.approved, &status.value)) {
        return;
    }
    let n = art.placeholders.len();
    let (lines, verb) = if n == 1 {
        ("line", "is")
    } else {
        ("lines", "are")
    };
    let msg = format!(
        "status is `{}` but {n} {lines} of the template {verb} still placeholders; fill them in first",
        status.value
    );
    if let Some(d) = sink.push("placeholder-unfilled", status.range, msg) {
        d.related.push(super::Related {
            path: art.path.clone(),
            range: *first,
            message: "first placeholder".into(),
        });
    }
}

fn done_word(rule: &StatusRule) -> String {
    rule.done
        .first()
        .map_or("done".to_string(), |d| format!("`{d}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_normalize() {
        assert_eq!(normalize_status("✅ Passed"), "passed");
        assert_eq!(
            normalize_status("⚠️ Passed with Issues"),
            "passed with issues"
        );
        assert_eq!(normalize_status("In Progress"), "in progress");
        assert!(status_in(&["in progress".into()], "in_progress"));
    }
}
