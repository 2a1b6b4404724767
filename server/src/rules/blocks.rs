//! block-missing, block-child-missing, block-keyword-missing,
//! block-duplicate, block-reference-unknown: the structure a kind's
//! `blocks` declare (a requirement has a scenario and says SHALL or MUST,
//! names it once, and names one that exists in another file).

use std::collections::{HashMap, HashSet};

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
    // Lookups by hash and binary search: a file of 100,000 requirements
    // is checked in linear time (tests/amplification.rs).
    let mut seen: HashMap<(&str, &str), &BlockUse> = HashMap::new();
    let mut starts: Vec<(u32, u8, &str)> = art
        .sections
        .iter()
        .map(|s| (s.range.start, s.level, s.text.trim()))
        .collect();
    starts.sort_unstable_by_key(|s| s.0);
    let mut names: HashMap<*const BlockRef, Targets> = HashMap::new();
    for b in &art.blocks {
        let Some(def) = kind.blocks.iter().find(|d| d.id == b.block) else {
            continue;
        };
        if def.unique {
            if let Some(first) = seen.get(&(b.block.as_str(), b.name.as_str())) {
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
            } else {
                seen.insert((b.block.as_str(), b.name.as_str()), b);
            }
        }
        // A block its heading says was dropped (`— DESCOPED`, `~~…~~`) keeps
        // its number for cross-references; it has no scenarios or criteria
        // to check.
        if crate::artifact::blocks::dropped(art, b) {
            continue;
        }
        for rule in applying(def, b) {
            children(&starts, def, b, rule, sink);
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
                let targets = names
                    .entry(std::ptr::from_ref(r))
                    .or_insert_with(|| Targets::of(ws, art, def, r));
                reference(def, b, r, targets, sink);
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

/// `starts`: every heading's start, level and text, in document order.
fn children(
    starts: &[(u32, u8, &str)],
    def: &Block,
    b: &BlockUse,
    rule: &BlockRule,
    sink: &mut Sink,
) {
    let first = starts.partition_point(|s| s.0 <= b.range.start);
    let inside = starts
        .get(first..)
        .unwrap_or_default()
        .iter()
        .take_while(|s| s.0 < b.end);
    for child in &rule.children {
        let Some(re) = regexes::get(&child.heading) else {
            continue;
        };
        let n = inside
            .clone()
            .filter(|s| s.1 == child.level && re.is_match(s.2))
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

/// The artifacts an `exists` rule looks in, and the names of their blocks.
struct Targets<'w> {
    first: Option<&'w Artifact>,
    names: HashSet<&'w str>,
    within: String,
}

impl<'w> Targets<'w> {
    fn of(ws: &'w Workspace, art: &Artifact, def: &Block, r: &BlockRef) -> Targets<'w> {
        let wanted = r.block.as_deref().unwrap_or(&def.id);
        let ours = captures_of(art);
        let found: Vec<&Artifact> = ws
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
        let names = found
            .iter()
            .flat_map(|t| t.blocks.iter())
            .filter(|tb| tb.block == wanted)
            .map(|tb| tb.name.as_str())
            .collect();
        let within = r
            .captures
            .iter()
            .filter_map(|c| Some(format!("{c} `{}`", value(&ours, c)?)))
            .collect::<Vec<_>>()
            .join(", ");
        Targets {
            first: found.first().copied(),
            names,
            within,
        }
    }
}

/// The block's name must be a block of the artifact `r` names.
fn reference(def: &Block, b: &BlockUse, r: &BlockRef, targets: &Targets, sink: &mut Sink) {
    if targets.names.contains(b.name.as_str()) {
        return;
    }
    // Past the cap the finding is only counted: no message, no hint search.
    if sink.full("block-reference-unknown") {
        sink.push("block-reference-unknown", b.range, String::new());
        return;
    }
    let wanted = r.block.as_deref().unwrap_or(&def.id);
    let msg = match targets.first {
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
            "{} `{}` refers to a `{}` that does not exist ({})",
            label(def),
            b.name,
            r.kind,
            targets.within
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
