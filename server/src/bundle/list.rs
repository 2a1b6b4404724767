//! Every bundle of a workspace with its metadata and state: `bundle list`,
//! `agentops.bundleList`.

use crate::workspace::Workspace;

use super::state::{State, state};

#[derive(serde::Serialize)]
pub struct Row {
    pub name: String,
    pub path: String,
    #[serde(rename = "type")]
    pub ty: Option<String>,
    pub created: Option<String>,
    pub tags: Vec<String>,
    pub accessed_count: Option<i64>,
    /// As measured at the save (none for a bundle written by hand).
    pub compression_ratio: Option<f64>,
    pub recall: Option<f64>,
    #[serde(flatten)]
    pub state: State,
    pub stale: bool,
}

/// Every bundle of the workspace with its metadata and state.
pub fn list(ws: &Workspace) -> Vec<Row> {
    use crate::syntax::frontmatter::FmValue;
    let mut rows: Vec<Row> = super::all(ws)
        .into_iter()
        .map(|b| {
            let fm = b.art.frontmatter.as_ref();
            let text = |k: &str| fm.and_then(|f| f.get(k)).and_then(|f| f.value.as_text());
            let tags = match fm.and_then(|f| f.get("tags")).map(|f| &f.value) {
                Some(FmValue::List(items)) => {
                    items.iter().filter_map(|i| i.value.as_text()).collect()
                }
                _ => Vec::new(),
            };
            let accessed_count = match fm.and_then(|f| f.get("accessed_count")).map(|f| &f.value) {
                Some(FmValue::Int(i)) => Some(*i),
                _ => None,
            };
            let number = |k: &str| match fm.and_then(|f| f.get(k)).map(|f| &f.value) {
                Some(FmValue::Int(i)) => Some(*i as f64),
                Some(FmValue::Float(x)) => Some(*x),
                Some(v) => v.as_text().and_then(|t| t.parse().ok()),
                None => None,
            };
            let st = state(ws, b.art);
            Row {
                stale: matches!(st, State::Stale(_)),
                name: b.name,
                path: b.art.path.clone(),
                ty: text("type"),
                created: text("created"),
                tags,
                accessed_count,
                compression_ratio: number("compression_ratio"),
                recall: number("recall"),
                state: st,
            }
        })
        .collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name).then(a.path.cmp(&b.path)));
    rows
}
