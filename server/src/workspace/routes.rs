//! Cross-flavor routes: the artifacts named by an artifact's routes field
//! (its kind's `routes`), the artifacts routing to a given one, and the
//! dates that say whether a route target kept up with its source.

use crate::artifact::{Artifact, Class};
use crate::schema::FieldType;
use crate::text::TextRange;

use super::Workspace;

/// One entry of a routes field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// As written: relative to the file, or to the root with a leading `/`.
    pub dest: String,
    /// The entry in the frontmatter.
    pub range: TextRange,
    /// The root-relative path it names, when it is a local path.
    pub target: Option<String>,
}

/// The routes field of `art`'s kind, if it has one.
pub fn field<'a>(ws: &'a Workspace, art: &Artifact) -> Option<&'a str> {
    ws.kind_of(art)?.routes.as_deref()
}

/// The routes `art` declares, in order.
pub fn routes(ws: &Workspace, art: &Artifact) -> Vec<Route> {
    let Some(f) = field(ws, art)
        .and_then(|name| art.frontmatter.as_ref()?.get(name))
        .filter(|_| {
            art.frontmatter
                .as_ref()
                .is_some_and(|fm| fm.error.is_none())
        })
    else {
        return Vec::new();
    };
    f.text_items()
        .into_iter()
        .filter(|(d, _)| !d.trim().is_empty())
        .map(|(dest, range)| Route {
            target: crate::workspace::resolve::target(ws, &art.path, dest.trim()),
            dest,
            range,
        })
        .collect()
}

/// Artifacts whose routes name `path`, with the entry that names it.
pub fn incoming<'a>(ws: &'a Workspace, path: &str) -> Vec<(&'a Artifact, Route)> {
    let mut out = Vec::new();
    for a in ws.artifacts.values() {
        for r in routes(ws, a) {
            if r.target.as_deref() == Some(path) {
                out.push((a, r));
            }
        }
    }
    out
}

/// When the artifact was last written, `YYYY-MM-DD`: the latest of its
/// date and date-time frontmatter fields, else a `Date:` label, else a date
/// its path starts a folder with (`2025-11-06-user-authentication`).
pub fn date(ws: &Workspace, art: &Artifact) -> Option<String> {
    let kind = ws.kind_of(art);
    let from_fields = art.frontmatter.as_ref().and_then(|fm| {
        fm.fields
            .iter()
            .filter(|f| {
                kind.and_then(|k| {
                    k.fields
                        .iter()
                        .find(|d| d.name == f.key || d.aliases.contains(&f.key))
                })
                .is_some_and(|d| matches!(d.ty, FieldType::Date | FieldType::Datetime))
            })
            .filter_map(|f| day(&f.value.as_text()?))
            .max()
    });
    if from_fields.is_some() {
        return from_fields;
    }
    let label = art
        .labels
        .iter()
        .filter(|l| l.name.eq_ignore_ascii_case("date"))
        .find_map(|l| day(&l.value));
    if label.is_some() {
        return label;
    }
    match &art.class {
        Class::Known { captures, .. } => captures.iter().find_map(|(_, v)| day(v)),
        _ => None,
    }
}

/// The `YYYY-MM-DD` a value starts with.
fn day(s: &str) -> Option<String> {
    let d = s.trim().trim_matches('`').get(..10)?;
    let b = d.as_bytes();
    let shape = b.iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == b'-',
        _ => c.is_ascii_digit(),
    });
    shape.then(|| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::day;

    #[test]
    fn days() {
        assert_eq!(day("2025-11-07"), Some("2025-11-07".into()));
        assert_eq!(day("2025-11-07T10:00:00Z"), Some("2025-11-07".into()));
        assert_eq!(day("2025-11-06-user-auth"), Some("2025-11-06".into()));
        assert_eq!(day("Nov 7"), None);
        assert_eq!(day("2025/11/07"), None);
    }
}
