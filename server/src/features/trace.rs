//! The backward map: which artifacts produce or touch a code path, and in
//! which phase their work item is — for `agentops-lsp trace`,
//! `agentops/specsForPath`, references and workspace symbols.

use crate::artifact::Artifact;
use crate::text::TextRange;
use crate::workspace::Workspace;
use crate::workspace::code_map::{self, Relation};
use crate::workspace::phases::item_state;

/// One artifact's claim on a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecClaim {
    /// The artifact, root-relative.
    pub path: String,
    pub flavor: Option<String>,
    pub kind: Option<String>,
    pub work_item: Option<String>,
    /// The work item's current phase; its last phase once all are done.
    pub phase: Option<String>,
    /// Every phase of the work item is done.
    pub done: bool,
    pub relation: Relation,
    /// The path as the artifact writes it (`src/auth/**`, `x.yaml:12`).
    pub declared: String,
    /// The mention in the artifact.
    pub range: TextRange,
}

impl SpecClaim {
    /// `produces src/auth/** — agentops/…/spec.md (spec of product-dev, 2025-11-06-…, phase implementation)`
    pub fn line(&self) -> String {
        format!(
            "{} `{}` — `{}` ({})",
            self.relation.as_str(),
            self.declared,
            self.path,
            self.about()
        )
    }

    /// The claim as JSON (`trace --json`, `agentops/specsForPath`), with
    /// the range as the face places it.
    pub fn json(&self, range: serde_json::Value) -> serde_json::Value {
        serde_json::json!({
            "path": self.path,
            "flavor": self.flavor,
            "kind": self.kind,
            "workItem": self.work_item,
            "phase": self.phase,
            "done": self.done,
            "relation": self.relation,
            "declared": self.declared,
            "range": range,
        })
    }

    /// `spec of product-dev, `2025-11-06-…`, phase implementation`
    pub fn about(&self) -> String {
        let mut about: Vec<String> = Vec::new();
        if let (Some(k), Some(f)) = (&self.kind, &self.flavor) {
            about.push(format!("{k} of {f}"));
        }
        if let Some(w) = &self.work_item {
            about.push(format!("`{w}`"));
        }
        if let Some(p) = &self.phase {
            about.push(phase_words(p, self.done));
        }
        about.join(", ")
    }
}

fn phase_words(phase: &str, done: bool) -> String {
    if done {
        format!("done ({phase})")
    } else {
        format!("phase {phase}")
    }
}

/// The work item's phase as words: `phase spec` or `done (implementation)`.
pub fn item_phase(ws: &Workspace, art: &Artifact) -> Option<String> {
    let (p, done) = phase_of(ws, art)?;
    Some(phase_words(&p, done))
}

/// The work item's current phase (its last once all are done) and whether all are.
pub fn phase_of(ws: &Workspace, art: &Artifact) -> Option<(String, bool)> {
    let items = ws.items();
    let state = item_state(ws, items.of(&art.path)?)?;
    match state.current {
        Some(c) => Some((c, false)),
        None => Some((state.phases.last()?.id.clone(), true)),
    }
}

/// Every artifact mention covering `rel` (root-relative; `""` for the root).
pub fn specs_for_path(ws: &Workspace, rel: &str, is_dir: bool) -> Vec<SpecClaim> {
    code_map::claims(ws, rel, is_dir)
        .into_iter()
        .map(|c| {
            let a = c.artifact;
            let phase = phase_of(ws, a);
            SpecClaim {
                path: a.path.clone(),
                flavor: a.class.flavor().map(str::to_string),
                kind: a.class.kind().map(str::to_string),
                // The item it is grouped in (`dr-plan` joins `disaster-recovery`).
                work_item: ws
                    .items()
                    .of(&a.path)
                    .map(|i| i.key.clone())
                    .or_else(|| a.class.work_item().map(str::to_string)),
                done: phase.as_ref().is_some_and(|(_, d)| *d),
                phase: phase.map(|(p, _)| p),
                relation: c.relation(),
                declared: match c.path.line {
                    Some(l) => format!("{}:{l}", c.path.path),
                    None => c.path.path.clone(),
                },
                range: c.path.range,
            }
        })
        .collect()
}

/// References of the code path at `offset`: every mention covering it.
pub fn references(ws: &Workspace, art: &Artifact, offset: u32) -> Option<Vec<(String, TextRange)>> {
    let cp = super::code_links::code_path_at(art, offset)?;
    let rel = code_map::normalize(&cp.path)?;
    let claims = if code_map::is_glob(&rel) {
        // What the glob's folder holds, as far as the glob takes it.
        let glob = code_map::matcher(&rel)?;
        specs_for_path(ws, code_map::glob_base(&rel), true)
            .into_iter()
            .filter(|c| {
                let d = code_map::normalize(&c.declared).unwrap_or_default();
                let d = d
                    .rsplit_once(':')
                    .filter(|(_, l)| l.parse::<u32>().is_ok())
                    .map_or(d.as_str(), |(p, _)| p);
                code_map::is_glob(d)
                    || glob.is_match(d)
                    || ws.fs.entry(&ws.root.join(d)) == crate::workspace::fs::Entry::Dir
            })
            .collect()
    } else {
        specs_for_path(ws, &rel, code_map::names_folder(ws, cp))
    };
    Some(claims.into_iter().map(|c| (c.path, c.range)).collect())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    WorkItem,
    Artifact,
    CodePath,
}

/// A workspace symbol: a work item, an artifact or a declared code path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WsSymbol {
    pub name: String,
    /// Where it belongs: flavor, work item, the declaring artifact.
    pub container: String,
    pub kind: SymbolKind,
    pub path: String,
    pub range: TextRange,
}

/// Results beyond this are dropped: clients filter further as the user types.
const MAX_SYMBOLS: usize = 500;

/// Work items, artifacts and produced paths whose name, slug, topic or path
/// holds every word of `query` (case-insensitive; empty matches all).
pub fn workspace_symbols(ws: &Workspace, query: &str) -> Vec<WsSymbol> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let hit = |hay: &str| {
        let h = hay.to_lowercase();
        words.iter().all(|w| h.contains(w.as_str()))
    };
    let mut out = Vec::new();
    let items = ws.items();
    for item in &items.items {
        let Some(first) = item.artifacts.first().and_then(|p| ws.artifacts.get(p)) else {
            continue;
        };
        if hit(&item.key) {
            let phase = item_phase(ws, first).unwrap_or_default();
            out.push(WsSymbol {
                name: item.key.clone(),
                container: format!("{} work item, {phase}", item.flavor),
                kind: SymbolKind::WorkItem,
                path: first.path.clone(),
                range: first.anchor(),
            });
        }
    }
    for a in ws.artifacts.values() {
        let title = a.title().map(|t| t.text.clone());
        let mut hay = format!("{} {}", a.path, title.clone().unwrap_or_default());
        if let crate::artifact::Class::Known { captures, .. } = &a.class {
            for (_, v) in captures {
                hay.push(' ');
                hay.push_str(v);
            }
        }
        if let (Some(kind), Some(fm)) = (ws.kind_of(a), &a.frontmatter) {
            for f in kind
                .fields
                .iter()
                .filter(|f| f.ty == crate::schema::FieldType::String)
            {
                if let Some(v) = fm.get(&f.name).and_then(|x| x.value.as_text()) {
                    hay.push(' ');
                    hay.push_str(&v);
                }
            }
        }
        let container = [a.class.flavor(), a.class.work_item()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
        if hit(&hay) {
            out.push(WsSymbol {
                name: title.unwrap_or_else(|| a.path.rsplit('/').next().unwrap_or("").into()),
                container: container.clone(),
                kind: SymbolKind::Artifact,
                path: a.path.clone(),
                range: a.anchor(),
            });
        }
        if words.is_empty() {
            continue;
        }
        for cp in a.code_paths.iter().filter(|c| hit(&c.path)) {
            out.push(WsSymbol {
                name: cp.path.clone(),
                container: format!("{} in {}", Relation::of(cp.action).as_str(), a.path),
                kind: SymbolKind::CodePath,
                path: a.path.clone(),
                range: cp.range,
            });
        }
    }
    out.truncate(MAX_SYMBOLS);
    out
}
