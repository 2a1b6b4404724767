//! block-missing, block-child-missing, block-keyword-missing,
//! block-duplicate, block-reference-unknown: the structure a kind's
//! `blocks` declare (a requirement has a scenario and says SHALL or MUST,
//! names it once, and names one that exists in another file).

use crate::artifact::Artifact;
use crate::artifact::blocks::BlockUse;
use crate::schema::{Block, BlockRef, BlockRule, Kind, regexes};
use crate::workspace::Workspace;

use super::{Related, Sink};

pub fn check(ws: &Workspace, art: &Artifact, kind: &Kind, sink: &mut Sink) {
    for def in kind.blocks.iter().filter(|d| d.min > 0) {
        let n = art.blocks.iter().filter(|b| b.block == def.id).count();
        if n < def.min {
            sink.push(
                "block-missing",
                art.anchor(),
                format!("expected at least {} {}, found {n}", def.min, label(def)),
            );
        }
    }
    let mut seen: Vec<&BlockUse> = Vec::new();
    for b in &art.blocks {
        let Some(def) = kind.blocks.iter().find(|d| d.id == b.block) else {
            continue;
        };
        if def.unique {
            if let Some(first) = seen.iter().find(|f| f.block == b.block && f.name == b.name) {
                let line = art
                    .lines
                    .position(first.range.start, crate::text::Encoding::Utf8)
                    .line
                    + 1;
                let msg = format!(
                    "{} `{}` appears twice in this file (first on line {line}{})",
                    label(def),
                    b.name,
                    first
                        .section
                        .as_ref()
                        .and_then(|s| kind.sections.iter().find(|k| &k.id == s))
                        .map_or(String::new(), |s| format!(", under `{}`", s.heading))
                );
                if let Some(d) = sink.push("block-duplicate", b.range, msg) {
                    d.related.push(Related {
                        path: art.path.clone(),
                        range: first.range,
                        message: "first here".into(),
                    });
                }
            }
            seen.push(b);
        }
        // A block its heading says was dropped (`— DESCOPED`, `~~…~~`) keeps
        // its number for cross-references; it has no scenarios or criteria
        // to check.
        if crate::artifact::blocks::dropped(art, b) {
            continue;
        }
        for rule in applying(def, b) {
            children(art, def, b, rule, sink);
            if !rule.keywords.is_empty() && b.keywords.is_empty() {
                sink.push(
                    "block-keyword-missing",
                    b.range,
                    format!(
                        "{} `{}` has no {} in its own text (before its first sub-heading, outside code)",
                        label(def),
                        b.name,
                        words(&rule.keywords)
                    ),
                );
            }
            if let Some(r) = &rule.exists
                && ws.complete
            {
                reference(ws, art, def, b, r, sink);
            }
        }
    }
}

/// The rules of `def` that apply where `b` is.
fn applying<'d>(def: &'d Block, b: &BlockUse) -> impl Iterator<Item = &'d BlockRule> {
    def.rules.iter().filter(move |r| {
        r.sections.is_empty() || b.section.as_ref().is_some_and(|s| r.sections.contains(s))
    })
}

fn children(art: &Artifact, def: &Block, b: &BlockUse, rule: &BlockRule, sink: &mut Sink) {
    for child in &rule.children {
        let Some(re) = regexes::get(&child.heading) else {
            continue;
        };
        let n = art
            .sections
            .iter()
            .filter(|s| {
                s.range.start > b.range.start
                    && s.range.start < b.end
                    && s.level == child.level
                    && re.is_match(s.text.trim())
            })
            .count();
        if n < child.min {
            let what = if child.description.is_empty() {
                format!("level-{} heading matching `{}`", child.level, child.heading)
            } else {
                child.description.clone()
            };
            let needs = match child.min {
                1 => format!("at least one {what}"),
                m => format!("at least {m} of {what}"),
            };
            sink.push(
                "block-child-missing",
                b.range,
                format!("{} `{}` needs {needs}", label(def), b.name),
            );
        }
    }
}

/// The block's name must be a block of the artifact `r` names.
fn reference(
    ws: &Workspace,
    art: &Artifact,
    def: &Block,
    b: &BlockUse,
    r: &BlockRef,
    sink: &mut Sink,
) {
    let wanted = r.block.as_deref().unwrap_or(&def.id);
    let ours = captures_of(art);
    let targets: Vec<&Artifact> = ws
        .artifacts
        .values()
        .filter(|a| a.class.flavor() == art.class.flavor() && a.class.kind() == Some(&r.kind))
        .filter(|a| {
            let theirs = captures_of(a);
            r.captures
                .iter()
                .all(|c| value(&ours, c).is_some() && value(&ours, c) == value(&theirs, c))
        })
        .collect();
    if targets.iter().any(|t| {
        t.blocks
            .iter()
            .any(|tb| tb.block == wanted && tb.name == b.name)
    }) {
        return;
    }
    let within = r
        .captures
        .iter()
        .filter_map(|c| Some(format!("{c} `{}`", value(&ours, c)?)))
        .collect::<Vec<_>>()
        .join(", ");
    let msg = match targets.first() {
        Some(t) => {
            let names = t
                .blocks
                .iter()
                .filter(|tb| tb.block == wanted)
                .map(|tb| tb.name.as_str());
            let hint = crate::text::nearest(&b.name, names)
                .filter(|(_, only)| *only)
                .map_or(String::new(), |(n, _)| format!("; did you mean `{n}`?"));
            format!("{} `{}` is not one of {}{hint}", label(def), b.name, t.path)
        }
        None => format!(
            "{} `{}` refers to a `{}` that does not exist ({within})",
            label(def),
            b.name,
            r.kind
        ),
    };
    sink.push("block-reference-unknown", b.range, msg);
}

fn captures_of(art: &Artifact) -> Vec<(String, String)> {
    match &art.class {
        crate::artifact::Class::Known { captures, .. } => captures.clone(),
        _ => Vec::new(),
    }
}

fn value<'a>(captures: &'a [(String, String)], name: &str) -> Option<&'a str> {
    captures
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn label(def: &Block) -> &str {
    if def.description.is_empty() {
        &def.id
    } else {
        &def.description
    }
}

/// `SHALL` or `MUST`; `A`, `B` or `C`.
fn words(list: &[String]) -> String {
    let quoted: Vec<String> = list.iter().map(|w| format!("`{w}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}
