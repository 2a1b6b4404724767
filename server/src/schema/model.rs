//! The flavor schema format: what a `grammars/flavors/*.toml` file may say.
//!
//! These types are the whole contract between data and code: a flavor is
//! only ever read through them, so adding a flavor never needs Rust.
//! Every field is documented in `docs/flavors.md`; the JSON Schema in
//! `grammars/flavor.schema.json` mirrors this file and must change with it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FlavorFile {
    pub flavor: FlavorMeta,
    #[serde(default)]
    pub phases: Vec<Phase>,
    /// Named path captures whose text has a required shape (e.g. spec folders).
    #[serde(default)]
    pub captures: Vec<CaptureRule>,
    #[serde(default)]
    pub kinds: Vec<Kind>,
    #[serde(default)]
    pub commands: Vec<Command>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FlavorMeta {
    /// Stable id, kebab-case (`product-dev`).
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Folder names under `agentops/` that belong to this flavor. Defaults to `[name]`.
    #[serde(default)]
    pub folders: Vec<String>,
    /// Folders relative to the workspace root that belong to this flavor
    /// wherever `agentops/` is not their parent (`.agentops/bundles`).
    #[serde(default)]
    pub roots: Vec<String>,
    /// Root-relative paths or globs (`.specify`, `specs/[0-9][0-9][0-9]-*`)
    /// any of which, when present, shows that a root uses this flavor's
    /// `roots`. When empty, a root folder that exists is evidence enough.
    #[serde(default)]
    pub detect: Vec<String>,
    /// Path patterns, relative to the flavor folder (as kinds' `paths`), of
    /// files that live among the artifacts but are none: a repository's own
    /// templates (`TEMPLATE.md`, `*-template.md`) and folder READMEs.
    #[serde(default)]
    pub not_artifacts: Vec<String>,
    /// Folders of another layout this flavor claims one by one, where the
    /// folder's own files show it (`agent-os/specs/<spec>/` written by
    /// Agent OS 1.x under Agent OS 2's folder).
    #[serde(default)]
    pub adopt: Vec<Adopt>,
}

/// One `[[flavor.adopt]]` entry: which folders, and what shows each is this flavor's.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Adopt {
    /// Root-relative path whose segments may be globs, as `detect`: the
    /// folders judged one by one (`agent-os/specs/*`).
    pub folders: String,
    /// Root-relative folder the paths inside are classified from, as if it
    /// were this flavor's folder (`agent-os`, so that `specs/{folder}/spec.md`
    /// matches); empty for the workspace root.
    #[serde(default)]
    pub base: String,
    /// Title patterns (`{name}` for free text); a Markdown file directly in
    /// the folder whose level-1 title matches one shows it. When empty, the
    /// folder's existence (with `requires`) is enough.
    #[serde(default)]
    pub titles: Vec<String>,
    /// Root-relative paths or globs, as `detect`, one of which must exist.
    #[serde(default)]
    pub requires: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The slash command that drives this phase (`/write-spec`).
    #[serde(default)]
    pub command: Option<String>,
    /// Phases that must be done before this one may start.
    #[serde(default)]
    pub requires: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CaptureRule {
    /// The capture name used in path patterns (`{folder}`).
    pub name: String,
    /// A regular expression the whole captured text must match.
    pub pattern: String,
    /// Human wording of the shape, used in messages (`YYYY-MM-DD-kebab-name`).
    #[serde(default)]
    pub description: String,
    /// At most this many `-`-separated words after the date prefix, when set.
    #[serde(default)]
    pub max_words: Option<usize>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Kind {
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// The phase an artifact of this kind belongs to.
    pub phase: String,
    /// Path patterns relative to the flavor folder: `{capture}` matches one
    /// path segment part, `*` any text within a segment, `**` any segments.
    pub paths: Vec<String>,
    /// Template of the work-item key built from captures (`{folder}`); a
    /// constant groups all matches into one item (`product`).
    #[serde(default)]
    pub work_item: Option<String>,
    #[serde(default)]
    pub title: TitleRule,
    #[serde(default)]
    pub frontmatter: FrontmatterRule,
    #[serde(default)]
    pub fields: Vec<Field>,
    #[serde(default)]
    pub sections: Vec<Section>,
    /// What to do with level-2 headings that match no declared section.
    #[serde(default)]
    pub extra_sections: ExtraSections,
    /// Whether declared sections must appear in the declared order.
    #[serde(default = "yes")]
    pub ordered: bool,
    #[serde(default)]
    pub status: Option<StatusRule>,
    #[serde(default)]
    pub prerequisites: Vec<Prerequisite>,
    #[serde(default)]
    pub code_paths: Vec<CodePathSource>,
    /// Frontmatter field listing the artifacts of other flavors that depend
    /// on this one (cross-flavor routes).
    #[serde(default)]
    pub routes: Option<String>,
    /// Frontmatter field where this artifact records the version of each
    /// artifact routing to it that it acknowledged (`routed_from`).
    #[serde(default)]
    pub routed_from: Option<String>,
    /// Section ids (or `title`) that a context bundle digest keeps.
    #[serde(default)]
    pub essential_sections: Vec<String>,
    /// Markdown used to create an artifact of this kind; `{{name}}`-style
    /// placeholders: title, name, date, topic, plus every path capture.
    #[serde(default)]
    pub template: Option<String>,
    /// A phase id: this kind's checkbox items (a roadmap's features) are
    /// pieces of work to start in that phase; a code action on an open item
    /// creates the phase's first artifact, titled from the item.
    #[serde(default)]
    pub starts: Option<String>,
    /// Where a new artifact made from the template receives what it starts
    /// from (the words of `/shape-spec <idea>`, a roadmap item, the previous
    /// phase's summary): the first whole-line `[placeholder]` of this section
    /// of the template, or of the whole template with `"body"`. None: the
    /// template is filled with names and dates only.
    #[serde(default)]
    pub seed: Option<String>,
    /// How much of the template a file must show before the template's
    /// checks apply at their own severity; below it they are notes.
    #[serde(default)]
    pub evidence: Option<Evidence>,
    /// Markers in the text that say something is still open
    /// (`[NEEDS CLARIFICATION: …]`), reported as `needs-clarification`.
    #[serde(default)]
    pub markers: Vec<Marker>,
    /// Headings whose structure the schema rules on: a requirement and its
    /// scenarios, its keywords, its name unique or found in another file.
    #[serde(default)]
    pub blocks: Vec<Block>,
    /// The requirement ids this kind declares, for traceability.
    #[serde(default)]
    pub requirements: Option<RequirementIds>,
    /// Where this kind's tasks cite requirement ids (`_Requirements: 1.2_`).
    #[serde(default)]
    pub cites: Option<Cites>,
}

/// A block: a heading matching `heading` (a regex) at `level`, with the
/// text and sub-headings down to the next heading of its level or higher.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    /// Stable id within the kind; referenced by `exists`, `requirements`.
    pub id: String,
    /// A regular expression the heading text must match (trimmed, `#`
    /// marks dropped); its `name` group, else the whole text, is the
    /// block's name (`^Requirement:\s*(?P<name>.+)$`).
    pub heading: String,
    #[serde(default = "three")]
    pub level: u8,
    /// Section ids the heading must be inside; anywhere when empty.
    #[serde(default)]
    pub sections: Vec<String>,
    /// At least this many such blocks in the file (`block-missing`).
    #[serde(default)]
    pub min: usize,
    /// A name appears once among the file's blocks of this id (`block-duplicate`).
    #[serde(default)]
    pub unique: bool,
    /// What each block must hold, by where it is.
    #[serde(default)]
    pub rules: Vec<BlockRule>,
    #[serde(default)]
    pub description: String,
}

fn three() -> u8 {
    3
}

/// One requirement on a block, for blocks inside `sections` (all when empty).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BlockRule {
    #[serde(default)]
    pub sections: Vec<String>,
    /// Sub-headings the block must have (`block-child-missing`).
    #[serde(default)]
    pub children: Vec<ChildRule>,
    /// Whole words (case-sensitive) one of which the block's own text,
    /// before its first sub-heading and outside code, must contain
    /// (`block-keyword-missing`).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The block's name must name a block of another artifact (`block-reference-unknown`).
    #[serde(default)]
    pub exists: Option<BlockRef>,
}

/// Required sub-headings of a block.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChildRule {
    /// A regular expression the sub-heading's text must match.
    pub heading: String,
    #[serde(default = "four")]
    pub level: u8,
    /// At least this many (default 1).
    #[serde(default = "one")]
    pub min: usize,
    /// How the child is written, for the message (`#### Scenario: …`).
    #[serde(default)]
    pub description: String,
}

fn four() -> u8 {
    4
}

fn one() -> usize {
    1
}

/// Where a block's name must be found: a block of artifacts of `kind` in
/// the same flavor whose `captures` have the same values as this file's.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BlockRef {
    pub kind: String,
    /// The block id there; the same id when unset.
    #[serde(default)]
    pub block: Option<String>,
    /// Path captures both files must share (`capability`).
    #[serde(default)]
    pub captures: Vec<String>,
}

/// Requirement ids of a kind: the names of a block (with `items`, also
/// `<name>.<n>` for each numbered item `n.` in it: Kiro's `1.2`), and/or
/// the first group of `pattern` wherever it matches outside code.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RequirementIds {
    #[serde(default)]
    pub block: Option<String>,
    #[serde(default)]
    pub items: bool,
    #[serde(default)]
    pub pattern: Option<String>,
    /// The severity of `requirement-uncovered` in this flavor: a warning
    /// where the tasks template makes every task cite its ids (Kiro), a
    /// note where coverage is meant to be read from what tasks say
    /// (spec-kit's `/speckit.analyze` infers it by keyword). A user's
    /// `[rules]` entry still wins.
    #[serde(default)]
    pub uncovered: Option<FindingLevel>,
}

/// A severity a flavor gives one of its findings by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingLevel {
    Error,
    Warning,
    Info,
    Hint,
}

/// Citations of requirement ids: the first group of `pattern`, split at
/// commas and spaces, wherever it matches outside code; each belongs to
/// the task above it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Cites {
    pub pattern: String,
    /// What a cited id looks like (a regular expression matched against a
    /// whole word of the list): other words are prose (`Requirement 2`,
    /// `Property 2`, a placeholder `X.Y`). Without it, every word is an id.
    /// Two ids joined by `-` or `–` are a range (`1.1–1.4`).
    #[serde(default)]
    pub id: Option<String>,
    /// Words that, first in a list, cite every requirement of the work item
    /// (Kiro's `_Requirements: All_`).
    #[serde(default)]
    pub all: Vec<String>,
}

/// What shows that a file follows its kind's template.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// At least this many declared sections (any level) are present.
    #[serde(default)]
    pub sections: usize,
    /// A title matching one of `title.patterns` is evidence on its own.
    #[serde(default)]
    pub title: bool,
    /// Besides `sections`: the template's sections are most of the file's
    /// headings at the template's top level, or most of the template's
    /// top-level sections are there. A design document of fifteen sections,
    /// three of which the template has too, follows its own outline.
    #[serde(default)]
    pub most: bool,
}

/// A marker of unfinished text: from `start` to the next `end` on the line.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Marker {
    /// Literal text opening the marker (`[NEEDS CLARIFICATION`).
    pub start: String,
    /// Literal text closing it (`]`).
    pub end: String,
    /// What the marker means, shown before its text.
    #[serde(default)]
    pub message: String,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TitleRule {
    /// Whether a level-1 heading must exist (default true).
    #[serde(default = "yes")]
    pub required: bool,
    /// Expected shapes of the title, `{name}` standing for free text.
    #[serde(default)]
    pub patterns: Vec<String>,
}

impl Default for TitleRule {
    fn default() -> Self {
        TitleRule {
            required: true,
            patterns: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FrontmatterRule {
    /// Frontmatter may be absent; validated when present.
    #[default]
    Optional,
    /// Frontmatter must be present.
    Required,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExtraSections {
    #[default]
    Allow,
    Report,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: FieldType,
    #[serde(default)]
    pub required: bool,
    /// Allowed values for `enum` (compared case-insensitively).
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub description: String,
    /// Other accepted key spellings (`last-updated` for `last_updated`).
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldType {
    String,
    Date,
    Datetime,
    Enum,
    List,
    Bool,
    Number,
    Path,
    /// Anything, including nested mappings.
    Any,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub heading: String,
    #[serde(default = "two")]
    pub level: u8,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub required: bool,
    /// Id of the enclosing section for sub-sections (level 3 and deeper).
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub description: String,
    /// Whether the template fixes this section's place: an optional section
    /// that templates put in varying places (spec-kit's Assumptions) says
    /// `false`, and `section-order` judges the others without it.
    #[serde(default = "yes")]
    pub ordered: bool,
    /// What a context bundle's digest does with the section: `whole` (kept,
    /// as if listed in `essential_sections`), `pointer` (one line naming
    /// the file and heading, even inside an essential section) or `drop`.
    /// Unset: whole inside an essential section, else a pointer.
    #[serde(default)]
    pub digest: Option<DigestRole>,
}

/// A section's place in a context bundle's digest (`digest = "pointer"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DigestRole {
    Whole,
    Pointer,
    Drop,
}

fn two() -> u8 {
    2
}

/// Where an artifact says how far along it is.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StatusRule {
    /// Frontmatter key holding the status.
    #[serde(default)]
    pub field: Option<String>,
    /// Bold label holding the status (`**Status:** ✅ Passed`, `Overall Status: …`).
    #[serde(default)]
    pub label: Vec<String>,
    /// Values (case-insensitive, emoji ignored) meaning the work is finished.
    #[serde(default)]
    pub done: Vec<String>,
    /// Values meaning the artifact is approved for the next phase.
    #[serde(default)]
    pub approved: Vec<String>,
    /// Values meaning work has started but is not finished.
    #[serde(default)]
    pub in_progress: Vec<String>,
    /// Section id whose checkboxes must all be checked for done/approved;
    /// when unset, every checkbox in the artifact counts.
    #[serde(default)]
    pub checklist: Option<String>,
    /// Report a finished status while checkboxes are still open.
    #[serde(default = "yes")]
    pub done_requires_checked: bool,
    /// Report all checkboxes checked while the status says not finished.
    #[serde(default)]
    pub checked_requires_done: bool,
    /// With no status and no checkbox, count the artifact finished (the
    /// default). `false` for kinds whose progress is their checkboxes (plans
    /// without a status field): with none checked they have not started.
    #[serde(default = "yes")]
    pub assume_done: bool,
    /// Its checkboxes are the work item's tasks, summed in `status`
    /// (`tasks N/M`). `false` for reports whose boxes repeat tasks kept
    /// elsewhere (a final verification's list of completed tasks).
    #[serde(default = "yes")]
    pub tasks: bool,
    /// Kinds of the same work item that must be finished when this status
    /// says done (a spec marked complete needs its tasks done), and whose
    /// being finished contradicts a status still in progress.
    #[serde(default)]
    pub done_requires: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Prerequisite {
    /// Kind id that must exist in the same work item.
    pub kind: String,
    /// When set, that artifact's status must be one of its `done`/`approved` values.
    #[serde(default)]
    pub state: Option<PrerequisiteState>,
    #[serde(default)]
    pub message: String,
    /// Frontmatter field of this artifact naming the prerequisite artifact
    /// (a path relative to this file, or to the root). Without it, the two
    /// are paired by work-item key, or by a unique near match of names.
    #[serde(default)]
    pub via: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrerequisiteState {
    Exists,
    Done,
    Approved,
}

/// A place in an artifact that declares code paths it produces or touches.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CodePathSource {
    pub from: CodePathFrom,
    /// Section id (for `section-code`).
    #[serde(default)]
    pub section: Option<String>,
    /// Frontmatter key (for `field`).
    #[serde(default)]
    pub field: Option<String>,
    /// Bold label (for `label`, e.g. `File`).
    #[serde(default)]
    pub label: Option<String>,
    /// What the artifact does to these paths.
    #[serde(default)]
    pub action: CodePathAction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodePathFrom {
    /// A frontmatter list of paths or globs.
    Field,
    /// Backticked paths inside a section (and its sub-sections).
    SectionCode,
    /// `**File:** path:line` bold-label lines.
    Label,
    /// Task lines ending in "… in path/to/file".
    TaskSuffix,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodePathAction {
    #[default]
    Produce,
    Edit,
    Create,
    Delete,
    Reference,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Command {
    /// With the slash: `/implement`.
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub phase: Option<String>,
    #[serde(default)]
    pub args: Vec<CommandArg>,
    #[serde(default)]
    pub flags: Vec<CommandFlag>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CommandArg {
    pub name: String,
    #[serde(default)]
    pub required: bool,
    /// `text`, `artifact`, `bundle` (a saved bundle) or `new-bundle` (a name
    /// for a bundle to save, checked against `<topic>-<type>[-vN]`).
    #[serde(default = "text")]
    pub kind: String,
    /// For `artifact` arguments: kind ids the file must be.
    #[serde(default)]
    pub kinds: Vec<String>,
    #[serde(default)]
    pub description: String,
    /// The last argument takes the rest of the line (`/research K8s upgrade
    /// strategy` without quotes is one topic).
    #[serde(default)]
    pub rest: bool,
}

fn text() -> String {
    "text".to_string()
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CommandFlag {
    /// With the dashes: `--dry-run`.
    pub name: String,
    /// Whether the flag takes a value (`--type plan`).
    #[serde(default)]
    pub value: bool,
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub description: String,
    /// Flags that cannot be given together with this one.
    #[serde(default)]
    pub conflicts: Vec<String>,
    /// The law "validate before execute": this flag needs an earlier line of
    /// the same command, on the same first argument, with this other flag
    /// (`--execute` requires `--dry-run`), in the same document.
    #[serde(default)]
    pub requires_earlier: Option<String>,
    /// The artifact argument must be done or approved (its kind's status).
    #[serde(default)]
    pub requires_approved: bool,
}
