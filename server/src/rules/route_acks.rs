//! frontmatter-invalid-value on a malformed `routed_from` (the field a kind
//! names in `routed_from`): an entry that cannot be read acknowledges
//! nothing, so the route reads as never (or wrongly) acknowledged; say why
//! where the entry is, instead of a bare route-stale.

use crate::artifact::Artifact;
use crate::syntax::frontmatter::{FmField, FmValue};
use crate::text::TextRange;
use crate::workspace::Workspace;
use crate::workspace::routes::ack_field;

use super::Sink;

const CODE: &str = "frontmatter-invalid-value";
const SHAPE: &str = "`path`, `hash` and `sections`, as the Acknowledge quick fix writes them";

pub fn check(ws: &Workspace, art: &Artifact, sink: &mut Sink) {
    let Some(name) = ack_field(ws, art) else {
        return;
    };
    let Some(field) = art
        .frontmatter
        .as_ref()
        .filter(|fm| fm.error.is_none())
        .and_then(|fm| fm.get(name))
    else {
        return;
    };
    let items = match &field.value {
        FmValue::Null => return, // nothing acknowledged yet
        FmValue::List(items) => items,
        other => {
            sink.push(
                CODE,
                field.value_range,
                format!(
                    "`{name}` must be a list of acknowledgements, one per source ({SHAPE}); it is {}",
                    other.type_name()
                ),
            );
            return;
        }
    };
    for item in items {
        let FmValue::Map(fields) = &item.value else {
            sink.push(
                CODE,
                item.range,
                format!(
                    "an entry of `{name}` must be a mapping with {SHAPE}; it is {}",
                    item.value.type_name()
                ),
            );
            continue;
        };
        entry(name, fields, item.range, sink);
    }
}

fn entry(name: &str, fields: &[FmField], range: TextRange, sink: &mut Sink) {
    let get = |k: &str| fields.iter().find(|f| f.key == k);
    match get("path") {
        None => {
            sink.push(
                CODE,
                range,
                format!("this `{name}` entry has no `path`: it acknowledges no source"),
            );
        }
        Some(p) if p.value.as_text().is_none_or(|t| t.trim().is_empty()) => {
            sink.push(
                CODE,
                p.value_range,
                format!(
                    "`path` must name the source, relative to this file; it is {}",
                    describe(&p.value)
                ),
            );
        }
        Some(_) => {}
    }
    match get("hash") {
        None => {
            sink.push(
                CODE,
                range,
                format!(
                    "this `{name}` entry has no `hash`: no version is acknowledged, so the route reads as changed"
                ),
            );
        }
        Some(h) if !is_hex(h.value.as_text().as_deref(), 16) => {
            sink.push(
                CODE,
                h.value_range,
                format!(
                    "`hash` must be the 16 hex digits of the acknowledged version, quoted (`\"375a6b860a4db975\"`); it is {}",
                    describe(&h.value)
                ),
            );
        }
        Some(_) => {}
    }
    let Some(sections) = get("sections") else {
        return; // optional: without it a change cannot name its sections
    };
    match &sections.value {
        FmValue::Map(m) => {
            for s in m
                .iter()
                .filter(|s| !is_hex(s.value.as_text().as_deref(), 8))
            {
                sink.push(
                    CODE,
                    s.value_range,
                    format!(
                        "the hash of section `{}` must be 8 hex digits, quoted; it is {}",
                        s.key,
                        describe(&s.value)
                    ),
                );
            }
        }
        FmValue::Null => {}
        other => {
            sink.push(
                CODE,
                sections.value_range,
                format!(
                    "`sections` must map each section's key to its hash (`goal: \"7e6da735\"`); it is {}",
                    other.type_name()
                ),
            );
        }
    }
}

fn is_hex(text: Option<&str>, digits: usize) -> bool {
    text.is_some_and(|t| t.len() == digits && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// "`abc`", or the type of what is not a string.
fn describe(v: &FmValue) -> String {
    match v {
        FmValue::Str(s) => format!("`{s}`"),
        other => other.type_name().to_string(),
    }
}
