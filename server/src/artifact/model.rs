//! `Artifact`: the compact, owned summary of one file — all that the
//! workspace keeps for a closed file. No tree and no full text.

use serde::{Deserialize, Serialize};

use crate::schema::CodePathAction;
use crate::syntax::block::{CodeBlock, Label, LinkDef, Task};
use crate::syntax::frontmatter::Frontmatter;
use crate::syntax::inline::{CodeSpan, Link};
use crate::text::{LineMap, TextRange};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Artifact {
    /// Root-relative, `/`-separated.
    pub path: String,
    pub class: Class,
    pub lines: LineMap,
    /// xxh3 of the bytes: the cache key and the "did it change" test.
    pub hash: u64,
    /// SHA-256 of the bytes: what context bundles record of their sources.
    pub sha256: [u8; 32],
    pub frontmatter: Option<Frontmatter>,
    pub sections: Vec<SectionNode>,
    pub links: Vec<Link>,
    pub link_defs: Vec<LinkDef>,
    pub tasks: Vec<Task>,
    pub labels: Vec<Label>,
    pub code_blocks: Vec<CodeBlock>,
    /// Code spans that look like paths (for code-path extraction and hover).
    pub path_spans: Vec<CodeSpan>,
    pub commands: Vec<CommandUse>,
    pub code_paths: Vec<CodePath>,
    pub status: Option<Status>,
    /// Markers of unfinished text the kind declares (`[NEEDS CLARIFICATION: …]`).
    pub markers: Vec<MarkerUse>,
    /// Lines still holding the kind's template placeholders, word for word.
    pub placeholders: Vec<TextRange>,
    /// Nothing written beyond the frontmatter and headings: an empty file or
    /// a bare outline, which never finishes a phase.
    #[serde(default)]
    pub blank: bool,
    /// Why the file could not be read or parsed in full, if it could not.
    pub problem: Option<Problem>,
    /// Inline content (links, code spans) the parse budget left unread.
    pub inline_skipped: Option<crate::syntax::inline::Skipped>,
    /// What a route from this artifact acknowledges: for kinds with a routes field.
    pub version: Option<super::version::Version>,
    /// Headings matching the kind's `blocks`.
    pub blocks: Vec<super::blocks::BlockUse>,
    /// Requirement ids the kind's `requirements` finds here.
    pub requirement_ids: Vec<super::blocks::RequirementId>,
    /// Requirement ids cited under the kind's `cites`.
    pub citations: Vec<super::blocks::Citation>,
}

/// What the path says the file is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Class {
    /// In a flavor folder, matching one of its kinds.
    Known {
        flavor: String,
        kind: String,
        work_item: Option<String>,
        captures: Vec<(String, String)>,
    },
    /// In a flavor folder, matching none of its kinds.
    Unknown { flavor: String },
    /// In `agentops/` but in a folder no flavor claims.
    #[default]
    Unclaimed,
    /// In a flavor folder, but no artifact: a template (by its path, the
    /// flavor's `not_artifacts`, or made of placeholders) or a folder README.
    /// Never checked, never part of a work item.
    NotArtifact { flavor: String },
}

impl Class {
    pub fn flavor(&self) -> Option<&str> {
        match self {
            Class::Known { flavor, .. }
            | Class::Unknown { flavor }
            | Class::NotArtifact { flavor } => Some(flavor),
            Class::Unclaimed => None,
        }
    }

    pub fn kind(&self) -> Option<&str> {
        match self {
            Class::Known { kind, .. } => Some(kind),
            _ => None,
        }
    }

    pub fn work_item(&self) -> Option<&str> {
        match self {
            Class::Known { work_item, .. } => work_item.as_deref(),
            _ => None,
        }
    }
}

/// A heading and the extent of the section it opens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionNode {
    pub level: u8,
    pub text: String,
    pub slug: String,
    /// The heading line(s).
    pub range: TextRange,
    pub text_range: TextRange,
    /// Where the section ends: the next heading of the same or a higher level, or the end.
    pub end: u32,
}

impl SectionNode {
    pub fn extent(&self) -> TextRange {
        TextRange::new(self.range.start, self.end)
    }
}

/// A slash command written in the artifact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommandUse {
    /// `/implement`
    pub name: String,
    pub name_range: TextRange,
    /// Words after the name, shell-split, each with its range.
    pub args: Vec<(String, TextRange)>,
    /// The whole command line.
    pub range: TextRange,
    pub in_code_block: bool,
}

/// A code path the artifact declares it produces or touches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodePath {
    pub path: String,
    pub line: Option<u32>,
    pub range: TextRange,
    pub action: CodePathAction,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    /// As written (`✅ Passed`).
    pub value: String,
    pub range: TextRange,
    /// `frontmatter` or the label's name.
    pub source: String,
}

/// One marker of unfinished text found in the artifact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarkerUse {
    /// Index into the kind's `markers`.
    pub marker: usize,
    /// The text between the marker's start and end, trimmed.
    pub text: String,
    pub range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub message: String,
}

impl Artifact {
    pub fn title(&self) -> Option<&SectionNode> {
        self.sections.iter().find(|s| s.level == 1)
    }

    /// Where a whole-file diagnostic goes: the title, else the first
    /// non-blank line after the frontmatter, else the start of the body.
    pub fn anchor(&self) -> TextRange {
        if let Some(t) = self.title() {
            return t.range;
        }
        let body_start = self.frontmatter.as_ref().map_or(0, |f| f.range.end);
        let first = self
            .lines
            .position(body_start, crate::text::Encoding::Utf8)
            .line;
        for line in first..self.lines.line_count() {
            let (start, end) = (
                self.lines.line_start(line).max(body_start),
                self.lines.line_end(line),
            );
            if end > start {
                return TextRange::new(start, end);
            }
        }
        TextRange::empty(body_start)
    }
}
