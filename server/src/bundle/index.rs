//! The bundles of a workspace: artifacts of the kind whose id is `bundle`.

use crate::artifact::Artifact;
use crate::workspace::Workspace;

use super::name::DEFAULT_TYPES;

pub use crate::workspace::items::{BUNDLE_KIND as KIND, bundle_name as name_of, is_bundle};
const DEFAULT_FOLDER: &str = ".agentops/bundles";

pub struct Bundle<'a> {
    pub name: String,
    pub art: &'a Artifact,
}

pub fn all(ws: &Workspace) -> Vec<Bundle<'_>> {
    let items = ws.items();
    let mut out: Vec<Bundle> = items
        .bundle_names()
        .flat_map(|name| {
            items
                .bundles_named(name)
                .iter()
                .filter_map(|p| ws.artifacts.get(p))
                .map(|art| Bundle {
                    name: name.to_string(),
                    art,
                })
        })
        .collect();
    out.sort_by(|a, b| a.art.path.cmp(&b.art.path));
    out
}

/// The bundle called `name`; when both `.agentops/bundles/` and
/// `.agents/bundles/` hold one, the save folder's wins.
pub fn find<'a>(ws: &'a Workspace, name: &str) -> Option<&'a Artifact> {
    let items = ws.items();
    let named = items.bundles_named(name);
    if named.is_empty() {
        return None;
    }
    let preferred = folder(ws);
    let mut found: Vec<&Artifact> = named.iter().filter_map(|p| ws.artifacts.get(p)).collect();
    found.sort_by_key(|a| !a.path.starts_with(&format!("{preferred}/")));
    found.first().copied()
}

/// Where new bundles go: the first folder the bundle flavor declares that
/// exists, else its first folder (`.agentops/bundles`).
pub fn folder(ws: &Workspace) -> String {
    let roots: Vec<&str> = ws
        .schemas
        .flavors
        .iter()
        .filter(|f| f.def.kinds.iter().any(|k| k.id == KIND))
        .flat_map(|f| f.def.flavor.roots.iter().map(String::as_str))
        .collect();
    roots
        .iter()
        .find(|r| ws.root.join(r).is_dir())
        .or(roots.first())
        .map_or(DEFAULT_FOLDER.to_string(), |r| {
            r.trim_end_matches('/').to_string()
        })
}

/// The bundle types the bundle kind's `type` field allows.
pub fn types(ws: &Workspace) -> Vec<String> {
    let declared: Option<Vec<String>> = ws.schemas.flavors.iter().find_map(|f| {
        let k = f.def.kinds.iter().find(|k| k.id == KIND)?;
        let field = k.fields.iter().find(|x| x.name == "type")?;
        (!field.values.is_empty()).then(|| field.values.clone())
    });
    declared.unwrap_or_else(|| DEFAULT_TYPES.iter().map(|s| s.to_string()).collect())
}

/// Checks a bundle name against the workspace's bundle types.
pub fn check_name(ws: &Workspace, name: &str) -> Result<super::name::Name, String> {
    let types = types(ws);
    let refs: Vec<&str> = types.iter().map(String::as_str).collect();
    super::name::parse(name, &refs)
}
