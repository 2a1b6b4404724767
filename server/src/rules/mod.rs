//! Rules: pure functions from the workspace to diagnostics.
//!
//! One file per rule family. Each rule reports with its stable code at the
//! default severity from `RULES`; `agentops.toml` may change or silence it.

mod blocks;
mod bundles;
mod code_paths;
mod commands;
mod frontmatter;
pub mod links;
mod markers;
mod paths;
mod phases;
mod route_acks;
mod routes;
pub mod sections;
mod status;
pub mod trace;

pub use crate::text::closest;
pub use crate::workspace::resolve::relative_link;
pub use routes::describe as describe_routed;
pub use status::{normalize_status, status_in};
pub use values::{dated_prefix, is_date};
mod values;

use rayon::prelude::*;
use serde::Serialize;

use crate::artifact::Artifact;
use crate::artifact::sections::follows_template;
use crate::text::TextRange;
use crate::workspace::Workspace;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Root-relative path of the file the range is in.
    pub path: String,
    pub code: &'static str,
    pub severity: Severity,
    pub range: TextRange,
    pub message: String,
    pub related: Vec<Related>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub path: String,
    pub range: TextRange,
    pub message: String,
}

pub struct Rule {
    pub code: &'static str,
    pub default: Severity,
    pub summary: &'static str,
}

/// Every code the checker can report, documented in `docs/rules.md`.
pub const RULES: &[Rule] = &[
    Rule {
        code: "frontmatter-invalid",
        default: Severity::Error,
        summary: "The YAML frontmatter does not parse.",
    },
    Rule {
        code: "frontmatter-missing-field",
        default: Severity::Warning,
        summary: "A field the kind requires is absent.",
    },
    Rule {
        code: "frontmatter-invalid-value",
        default: Severity::Error,
        summary: "A field's value has the wrong type or is not one of its allowed values.",
    },
    Rule {
        code: "frontmatter-unknown-field",
        default: Severity::Info,
        summary: "A field the kind does not declare.",
    },
    Rule {
        code: "section-missing",
        default: Severity::Warning,
        summary: "A section the kind requires is absent.",
    },
    Rule {
        code: "section-order",
        default: Severity::Warning,
        summary: "A section appears out of the kind's order.",
    },
    Rule {
        code: "section-unexpected",
        default: Severity::Info,
        summary: "A section the kind does not allow.",
    },
    Rule {
        code: "title-missing",
        default: Severity::Warning,
        summary: "The artifact has no level-1 title.",
    },
    Rule {
        code: "spec-folder-name",
        default: Severity::Warning,
        summary: "A work-item folder's name breaks its declared shape.",
    },
    Rule {
        code: "artifact-unknown",
        default: Severity::Warning,
        summary: "A file in a flavor folder matches none of its kinds.",
    },
    Rule {
        code: "artifact-unreadable",
        default: Severity::Error,
        summary: "A file could not be read or parsed (binary, not UTF-8, too large).",
    },
    Rule {
        code: "artifact-partial",
        default: Severity::Warning,
        summary: "Part of a file was too large or too slow to read for links and code spans.",
    },
    Rule {
        code: "phase-prerequisite-missing",
        default: Severity::Warning,
        summary: "An artifact exists before the artifact its phase needs.",
    },
    Rule {
        code: "work-item-unlinked",
        default: Severity::Info,
        summary: "An artifact is paired with its prerequisite by name only, or could be paired with several.",
    },
    Rule {
        code: "phase-status-mismatch",
        default: Severity::Warning,
        summary: "A status contradicts the artifact's checkboxes.",
    },
    Rule {
        code: "link-broken",
        default: Severity::Error,
        summary: "A relative link, anchor or reference does not resolve, or leads outside the workspace root.",
    },
    Rule {
        code: "code-path-missing",
        default: Severity::Hint,
        summary: "A declared code path does not exist.",
    },
    Rule {
        code: "command-unknown",
        default: Severity::Warning,
        summary: "A slash command no flavor knows.",
    },
    Rule {
        code: "command-argument",
        default: Severity::Error,
        summary: "A slash command's arguments are wrong.",
    },
    Rule {
        code: "bundle-missing",
        default: Severity::Error,
        summary: "A bundle that is loaded does not exist.",
    },
    Rule {
        code: "bundle-invalid",
        default: Severity::Error,
        summary: "A bundle is malformed or its snapshot is corrupt.",
    },
    Rule {
        code: "bundle-stale",
        default: Severity::Warning,
        summary: "A bundle's sources changed since it was saved.",
    },
    Rule {
        code: "bundle-source-changed",
        default: Severity::Hint,
        summary: "An artifact changed since a bundle captured it.",
    },
    Rule {
        code: "route-missing",
        default: Severity::Warning,
        summary: "A cross-flavor route names an artifact that does not exist.",
    },
    Rule {
        code: "law-validate-before-execute",
        default: Severity::Error,
        summary: "`/implement --execute` without a dry run or an approved plan.",
    },
    Rule {
        code: "flavor-invalid",
        default: Severity::Error,
        summary: "A user flavor file is malformed.",
    },
    Rule {
        code: "config-invalid",
        default: Severity::Error,
        summary: "`agentops.toml` is malformed.",
    },
    Rule {
        code: "route-stale",
        default: Severity::Warning,
        summary: "An artifact routing here changed since the version this one acknowledged, or was never acknowledged.",
    },
    Rule {
        code: "route-unacknowledged",
        default: Severity::Info,
        summary: "A route target has not acknowledged this artifact's current version yet.",
    },
    Rule {
        code: "template-mismatch",
        default: Severity::Info,
        summary: "A file where a kind is expected shows too little of its template to be checked against it.",
    },
    Rule {
        code: "needs-clarification",
        default: Severity::Info,
        summary: "A marker of an open question left in the text (`[NEEDS CLARIFICATION: …]`).",
    },
    Rule {
        code: "placeholder-unfilled",
        default: Severity::Warning,
        summary: "A finished status over lines still holding the template's placeholder text.",
    },
    Rule {
        code: "block-missing",
        default: Severity::Warning,
        summary: "Fewer blocks of a kind's `blocks` than its `min` (a spec without a requirement).",
    },
    Rule {
        code: "block-child-missing",
        default: Severity::Error,
        summary: "A block without the sub-headings its rules require (a requirement without a scenario).",
    },
    Rule {
        code: "block-keyword-missing",
        default: Severity::Warning,
        summary: "A block whose own text has none of its rules' keywords (SHALL or MUST).",
    },
    Rule {
        code: "block-duplicate",
        default: Severity::Error,
        summary: "A block name that appears twice in a file where names are unique.",
    },
    Rule {
        code: "block-reference-unknown",
        default: Severity::Error,
        summary: "A block naming one that does not exist in the file it refers to (MODIFIED of an unknown requirement).",
    },
    Rule {
        code: "requirement-uncovered",
        default: Severity::Warning,
        summary: "A requirement id that no task of its work item cites, where tasks cite requirements.",
    },
    Rule {
        code: "task-requirement-unknown",
        default: Severity::Warning,
        summary: "A task cites a requirement id its work item does not declare.",
    },
];

/// Codes that judge a file against its kind's schema: for a file that does
/// not follow the template (`template-mismatch`) they are notes at most.
const TEMPLATE_CODES: &[&str] = &[
    "title-missing",
    "section-missing",
    "section-order",
    "section-unexpected",
    "frontmatter-missing-field",
    "frontmatter-invalid-value",
    "frontmatter-unknown-field",
    "phase-prerequisite-missing",
    "work-item-unlinked",
    "phase-status-mismatch",
    "spec-folder-name",
    "block-missing",
    "block-child-missing",
    "block-keyword-missing",
];

/// Codes that default to notes in a layout adopted from another tool (a
/// flavor's `roots`): that tool keeps its own order and extra files.
const ADOPTED_NOTES: &[&str] = &[
    "artifact-unknown",
    "phase-prerequisite-missing",
    "spec-folder-name",
];

pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// The nearest known rule code, for "did you mean".
pub fn closest_code(code: &str) -> Option<&'static str> {
    closest(code, RULES.iter().map(|r| r.code))
}

/// Collects one artifact's findings; severities and `off` are applied on push.
pub struct Sink<'a> {
    ws: &'a Workspace,
    path: &'a str,
    pub out: Vec<Diagnostic>,
    /// The file does not follow its template: schema findings are notes.
    loose: bool,
    /// The file is in an adopted layout (a flavor's root folder).
    adopted: bool,
    /// (code, cause) → index in `out` of the finding that reports it.
    causes: std::collections::HashMap<(&'static str, String), usize>,
    /// Findings of each code kept, and those left out past `MAX_PER_CODE`.
    counts: std::collections::HashMap<&'static str, (usize, usize)>,
    /// Index in `out` → related places left out past `MAX_RELATED_KEPT`.
    hidden: std::collections::HashMap<usize, usize>,
}

/// The most findings of one code in one file: a generated file with 100,000
/// requirements nobody cites says so in 200 findings and a count, not in
/// 100,000 (each one a message built, sorted, serialized and sent).
pub const MAX_PER_CODE: usize = 200;
/// The most related places kept on one finding (one id cited 100,000 times);
/// the others are counted in its message.
pub const MAX_RELATED_KEPT: usize = 100;

impl<'a> Sink<'a> {
    pub fn new(ws: &'a Workspace, path: &'a str) -> Sink<'a> {
        Sink {
            ws,
            path,
            out: Vec::new(),
            loose: false,
            adopted: ws.schemas.in_root(path),
            causes: std::collections::HashMap::new(),
            counts: std::collections::HashMap::new(),
            hidden: std::collections::HashMap::new(),
        }
    }

    /// Whether findings of `code` are no longer kept in this file: a rule
    /// may skip the work of building their messages.
    pub fn full(&self, code: &str) -> bool {
        self.counts
            .get(code)
            .is_some_and(|&(kept, _)| kept >= MAX_PER_CODE)
    }

    pub fn push(
        &mut self,
        code: &'static str,
        range: TextRange,
        message: impl Into<String>,
    ) -> Option<&mut Diagnostic> {
        let mut default = rule(code).map_or(Severity::Warning, |r| r.default);
        if self.adopted && ADOPTED_NOTES.contains(&code) {
            default = default.max(Severity::Info);
        }
        self.push_at(code, default, range, message)
    }

    /// One finding per cause: the first place reports it, later places that
    /// have the same cause (the same missing file named by twenty task lines)
    /// become its related locations.
    pub fn push_once(
        &mut self,
        code: &'static str,
        cause: &str,
        range: TextRange,
        message: impl Into<String>,
    ) {
        if self.relate(code, cause, range) {
            return;
        }
        let at = self.out.len();
        if self.push(code, range, message).is_some() {
            self.causes.insert((code, cause.to_string()), at);
        }
    }

    /// `push_once` with a severity chosen by the rule; the severity is part
    /// of the cause (a due file and a file not yet due are two findings).
    pub fn push_once_at(
        &mut self,
        code: &'static str,
        default: Severity,
        cause: &str,
        range: TextRange,
        message: impl Into<String>,
    ) {
        let cause = format!("{cause}\0{}", default.as_str());
        if self.relate(code, &cause, range) {
            return;
        }
        let at = self.out.len();
        if self.push_at(code, default, range, message).is_some() {
            self.causes.insert((code, cause), at);
        }
    }

    /// The last kept finding of a code that overflowed says how many more
    /// there are.
    fn name_dropped(&mut self) {
        for (code, &(_, dropped)) in &self.counts {
            if dropped == 0 {
                continue;
            }
            if let Some(d) = self.out.iter_mut().rev().find(|d| d.code == *code) {
                d.message = format!(
                    "{} ({dropped} more `{code}` findings in this file are not shown)",
                    d.message
                );
            }
        }
    }

    /// A finding that stands for several places says where the others are,
    /// for outputs that show no related locations (the human format).
    fn name_related_lines(&mut self, lines: &crate::text::LineMap) {
        const SHOWN: usize = 5;
        for &i in self.causes.values() {
            let Some(d) = self.out.get_mut(i) else {
                continue;
            };
            if d.related.is_empty() {
                continue;
            }
            let at: Vec<String> = d
                .related
                .iter()
                .take(SHOWN)
                .map(|r| {
                    (lines
                        .position(r.range.start, crate::text::Encoding::Utf8)
                        .line
                        + 1)
                    .to_string()
                })
                .collect();
            let more =
                d.related.len().saturating_sub(SHOWN) + self.hidden.get(&i).copied().unwrap_or(0);
            let tail = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            let s = if d.related.len() + self.hidden.get(&i).copied().unwrap_or(0) == 1 {
                ""
            } else {
                "s"
            };
            d.message = format!("{} (also on line{s} {}{tail})", d.message, at.join(", "));
        }
    }

    /// Adds `range` to the finding already reported for this cause, if any.
    fn relate(&mut self, code: &'static str, cause: &str, range: TextRange) -> bool {
        let Some(&i) = self.causes.get(&(code, cause.to_string())) else {
            return false;
        };
        let Some(d) = self.out.get_mut(i) else {
            return false;
        };
        if d.related.len() >= MAX_RELATED_KEPT {
            *self.hidden.entry(i).or_default() += 1;
            return true;
        }
        d.related.push(Related {
            path: self.path.to_string(),
            range,
            message: "named here too".into(),
        });
        true
    }

    /// Pushes with a severity chosen by the rule (e.g. by phase) before config applies.
    pub fn push_at(
        &mut self,
        code: &'static str,
        default: Severity,
        range: TextRange,
        message: impl Into<String>,
    ) -> Option<&mut Diagnostic> {
        let mut configured = match self.ws.config.rules.get(code) {
            Some(level) => level.severity()?,
            None => default,
        };
        if self.loose && TEMPLATE_CODES.contains(&code) {
            configured = configured.max(Severity::Info);
        }
        let count = self.counts.entry(code).or_default();
        if count.0 >= MAX_PER_CODE {
            count.1 += 1;
            return None;
        }
        count.0 += 1;
        self.out.push(Diagnostic {
            path: self.path.to_string(),
            code,
            severity: configured,
            range,
            message: crate::text::echo::bounded(message.into()),
            related: Vec::new(),
        });
        self.out.last_mut()
    }
}

fn partial_message(s: &crate::syntax::inline::Skipped) -> String {
    use crate::syntax::inline::{MAX_NODE, SkipReason};
    let others = match s.nodes.saturating_sub(1) {
        0 => String::new(),
        1 => " and 1 more block".to_string(),
        n => format!(" and {n} more blocks"),
    };
    let why = match s.reason {
        SkipReason::TooLong => format!("it holds over {} KB of inline text", MAX_NODE >> 10),
        SkipReason::OutOfTime => format!(
            "the file's parse budget of {} units of work ran out",
            crate::syntax::block::PARSE_WORK
        ),
    };
    format!(
        "links and code spans of this block{others} were not read ({why}); they are not checked"
    )
}

/// Every diagnostic for one artifact.
pub fn check_artifact(ws: &Workspace, art: &Artifact) -> Vec<Diagnostic> {
    let mut sink = Sink::new(ws, &art.path);
    // A template or a README among the artifacts: not checked as one.
    if matches!(art.class, crate::artifact::Class::NotArtifact { .. }) {
        return sink.out;
    }
    if let Some(p) = &art.problem {
        sink.push("artifact-unreadable", art.anchor(), p.message.clone());
        // Its markdown was not (fully) parsed: only the frontmatter can be judged.
        frontmatter::check(ws, art, &mut sink);
        return sink.out;
    }
    if let Some(s) = &art.inline_skipped {
        sink.push("artifact-partial", s.first, partial_message(s));
    }
    let kind = ws.kind_of(art);
    sink.loose = kind.is_some_and(|k| !follows_template(art, k));
    paths::check(ws, art, &mut sink);
    frontmatter::check(ws, art, &mut sink);
    if let Some(kind) = kind {
        if sink.loose {
            sections::mismatch(art, kind, &mut sink);
        } else {
            sections::check(art, kind, &mut sink);
        }
        status::check(art, kind, &mut sink);
        status::placeholders(art, kind, &mut sink);
        markers::check(art, kind, &mut sink);
        blocks::check(ws, art, kind, &mut sink);
        // Judging a work item needs all of it: not before the index is complete.
        if ws.complete {
            phases::check(ws, art, kind, &mut sink);
            code_paths::check(ws, art, &mut sink);
            trace::check(ws, art, kind, &mut sink);
        }
    }
    // A saved digest's links are copies of its sources' links, rewritten to
    // resolve from the bundle folder: a broken one is reported on its source.
    let generated =
        crate::bundle::index::is_bundle(art) && crate::bundle::sources::recorded(art).is_some();
    if !generated {
        links::check(ws, art, &mut sink);
    }
    // Arguments name other files and bundles: judged once all are indexed.
    if ws.complete {
        commands::check(ws, art, &mut sink);
        if crate::bundle::index::is_bundle(art) {
            bundles::check(ws, art, &mut sink);
        } else {
            bundles::source_changed(ws, art, &mut sink);
        }
    }
    routes::check(ws, art, &mut sink);
    route_acks::check(ws, art, &mut sink);
    sink.name_related_lines(&art.lines);
    sink.name_dropped();
    sink.out
        .sort_by_key(|d| (d.range.start, d.range.end, d.code));
    sink.out
}

/// Every diagnostic of the workspace, sorted by path and position.
pub fn check_workspace(ws: &Workspace) -> Vec<Diagnostic> {
    let mut all: Vec<Diagnostic> = ws
        .setup_diagnostics
        .iter()
        .filter_map(|d| {
            let sev = ws.config.severity(d.code, d.severity)?;
            Some(Diagnostic {
                severity: sev,
                ..d.clone()
            })
        })
        .collect();
    let per_file: Vec<Vec<Diagnostic>> = ws
        .artifacts
        .par_iter()
        .map(|(_, a)| check_artifact(ws, a))
        .collect();
    all.extend(per_file.into_iter().flatten());
    all.sort_by(|a, b| (&a.path, a.range.start, a.code).cmp(&(&b.path, b.range.start, b.code)));
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.code), "{} twice", r.code);
            assert!(r.code.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
        }
        assert_eq!(closest_code("section-mising"), Some("section-missing"));
        assert_eq!(closest_code("zzz"), None);
        assert_eq!(closest("Status", ["status", "tags"]), Some("status"));
        assert_eq!(closest("nope", ["scope"]), None);
    }
}
