//! Caps on what one publication carries, so that no file's diagnostics can
//! grow a message past what the output pump sends (see framing.rs): a file
//! of 200,000 headings has 200,000 findings, tens of MB as JSON.

use tower_lsp_server::ls_types::{Diagnostic, DiagnosticSeverity, Position, Range};

use crate::text::echo;

/// Findings sent for one file, the last of them the summary of the rest.
pub const MAX_FINDINGS: usize = 1000;
/// Related locations of one finding.
pub const MAX_RELATED: usize = 20;

/// `diags` within the caps: messages cut with an ellipsis, and past
/// [`MAX_FINDINGS`] the most severe kept (in their order) and one final
/// finding saying how many were left out.
pub fn cap(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    for d in &mut diags {
        // The engine's own cap (text/echo.rs), again for what did not come
        // through the rules.
        echo::cap_message(&mut d.message);
        if let Some(related) = &mut d.related_information {
            related.truncate(MAX_RELATED);
            for r in related {
                echo::cap_message(&mut r.message);
            }
        }
    }
    if diags.len() <= MAX_FINDINGS {
        return diags;
    }
    let keep = MAX_FINDINGS - 1;
    // Most severe first; among equals, the file's order.
    let mut order: Vec<usize> = (0..diags.len()).collect();
    order.sort_by_key(|&i| rank(diags[i].severity));
    let mut kept = vec![false; diags.len()];
    for &i in &order[..keep] {
        kept[i] = true;
    }
    let worst_left = order[keep..]
        .iter()
        .map(|&i| diags[i].severity)
        .min_by_key(|s| rank(*s))
        .flatten();
    let left = diags.len() - keep;
    let mut out: Vec<Diagnostic> = diags
        .into_iter()
        .zip(kept)
        .filter_map(|(d, k)| k.then_some(d))
        .collect();
    out.push(Diagnostic {
        range: Range::new(Position::new(0, 0), Position::new(0, 0)),
        severity: worst_left.or(Some(DiagnosticSeverity::INFORMATION)),
        source: Some("agentops".into()),
        message: format!(
            "{left} more findings in this file are not shown (at most {MAX_FINDINGS} per file \
             in the editor; `agentops-lsp check` lists them all)"
        ),
        ..Default::default()
    });
    out
}

fn rank(s: Option<DiagnosticSeverity>) -> u8 {
    match s {
        Some(DiagnosticSeverity::ERROR) => 0,
        Some(DiagnosticSeverity::WARNING) => 1,
        Some(DiagnosticSeverity::INFORMATION) => 2,
        Some(DiagnosticSeverity::HINT) => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::echo::MAX_MESSAGE;

    fn diag(line: u32, severity: DiagnosticSeverity, message: &str) -> Diagnostic {
        Diagnostic {
            range: Range::new(Position::new(line, 0), Position::new(line, 1)),
            severity: Some(severity),
            message: message.into(),
            ..Default::default()
        }
    }

    #[test]
    fn past_the_cap_the_most_severe_stay_and_one_finding_counts_the_rest() {
        let mut all: Vec<Diagnostic> = (0..5000)
            .map(|i| diag(i, DiagnosticSeverity::HINT, "h"))
            .collect();
        all[4000] = diag(4000, DiagnosticSeverity::ERROR, "the error");
        all[10] = diag(10, DiagnosticSeverity::WARNING, "a warning");
        let out = cap(all);
        assert_eq!(out.len(), MAX_FINDINGS);
        assert_eq!(out[0].message, "h");
        assert!(out.iter().any(|d| d.message == "the error"));
        assert!(out.iter().any(|d| d.message == "a warning"));
        // Kept in the file's order.
        let lines: Vec<u32> = out[..MAX_FINDINGS - 1]
            .iter()
            .map(|d| d.range.start.line)
            .collect();
        assert!(lines.windows(2).all(|w| w[0] < w[1]));
        let last = out.last().unwrap();
        assert!(
            last.message.starts_with("4001 more findings"),
            "{}",
            last.message
        );
        assert_eq!(last.severity, Some(DiagnosticSeverity::HINT));
    }

    #[test]
    fn long_messages_end_in_an_ellipsis_and_few_findings_pass_unchanged() {
        let long = "é".repeat(10 * MAX_MESSAGE);
        let out = cap(vec![diag(0, DiagnosticSeverity::ERROR, &long)]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].message.chars().count(), MAX_MESSAGE + 1);
        assert!(out[0].message.ends_with('…'));
        let few = vec![diag(0, DiagnosticSeverity::HINT, "a"); 3];
        assert_eq!(cap(few.clone()), few);
    }
}
