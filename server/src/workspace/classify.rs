//! Path → flavor, kind and work item.

use crate::artifact::Class;
use crate::schema::{Flavor, Kind, Schemas, fill};

/// What a root-relative path is, and the kind schema to check it with.
pub fn classify<'s>(
    schemas: &'s Schemas,
    artifacts_dir: &str,
    path: &str,
) -> Option<(Class, Option<&'s Kind>)> {
    if let Some((flavor, rest)) = schemas.for_root(path) {
        return Some(in_flavor(flavor, rest));
    }
    let rest = path.strip_prefix(artifacts_dir)?.strip_prefix('/')?;
    let (folder, inner) = rest.split_once('/')?;
    match schemas.for_folder(folder) {
        Some(flavor) => Some(in_flavor(flavor, inner)),
        None => Some((Class::Unclaimed, None)),
    }
}

fn in_flavor<'s>(flavor: &'s Flavor, rel: &str) -> (Class, Option<&'s Kind>) {
    if flavor.not_artifact(rel) {
        let flavor = flavor.name().to_string();
        return (Class::NotArtifact { flavor }, None);
    }
    match flavor.classify(rel) {
        Some(m) => {
            let work_item = m.kind.work_item.as_ref().map(|t| fill(t, &m.captures));
            (
                Class::Known {
                    flavor: flavor.name().to_string(),
                    kind: m.kind.id.clone(),
                    work_item,
                    captures: m.captures,
                },
                Some(m.kind),
            )
        }
        None => (
            Class::Unknown {
                flavor: flavor.name().to_string(),
            },
            None,
        ),
    }
}

/// Whether a file name is something the scan reads as an artifact.
pub fn is_artifact_file(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}
