//! frontmatter-invalid, frontmatter-missing-field, frontmatter-invalid-value,
//! frontmatter-unknown-field.

use crate::artifact::Artifact;
use crate::schema::{FrontmatterRule, Kind};
use crate::workspace::Workspace;

use super::{Sink, values};

pub fn check(ws: &Workspace, art: &Artifact, sink: &mut Sink) {
    let kind = ws.kind_of(art);
    let Some(fm) = &art.frontmatter else {
        if let Some(kind) = kind.filter(|k| k.frontmatter == FrontmatterRule::Required) {
            let required: Vec<&str> = kind
                .fields
                .iter()
                .filter(|f| f.required)
                .map(|f| f.name.as_str())
                .collect();
            sink.push(
                "frontmatter-missing-field",
                art.anchor(),
                format!(
                    "{} needs YAML frontmatter with: {}",
                    kind_name(kind),
                    required.join(", ")
                ),
            );
        }
        return;
    };
    if let Some(err) = &fm.error {
        sink.push("frontmatter-invalid", err.range, err.message.clone());
        return;
    }
    let Some(kind) = kind else { return };
    for field in kind.fields.iter().filter(|f| f.required) {
        let present = fm.fields.iter().any(|f| names(field).any(|n| n == f.key));
        if !present {
            sink.push(
                "frontmatter-missing-field",
                fm.open_range,
                format!(
                    "{} frontmatter needs `{}`{}",
                    kind_name(kind),
                    field.name,
                    described(&field.description)
                ),
            );
        }
    }
    for f in &fm.fields {
        match kind.fields.iter().find(|d| names(d).any(|n| n == f.key)) {
            Some(decl) => {
                if let Some(msg) = values::problem(decl, &f.value) {
                    sink.push("frontmatter-invalid-value", f.value_range, msg);
                } else if decl.required && f.value == crate::syntax::frontmatter::FmValue::Null {
                    sink.push(
                        "frontmatter-missing-field",
                        f.key_range,
                        format!("`{}` is required but empty", f.key),
                    );
                }
            }
            None if !kind.fields.is_empty() => {
                let hint = super::closest(&f.key, kind.fields.iter().map(|d| d.name.as_str()))
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default();
                sink.push(
                    "frontmatter-unknown-field",
                    f.key_range,
                    format!("`{}` is not a {} field{hint}", f.key, kind_name(kind)),
                );
            }
            None => {}
        }
    }
}

fn names(f: &crate::schema::Field) -> impl Iterator<Item = &str> {
    std::iter::once(f.name.as_str()).chain(f.aliases.iter().map(String::as_str))
}

pub fn kind_name(kind: &Kind) -> &str {
    if kind.name.is_empty() {
        &kind.id
    } else {
        &kind.name
    }
}

fn described(d: &str) -> String {
    if d.is_empty() {
        String::new()
    } else {
        format!(": {}", d.trim_end_matches('.'))
    }
}
