//! `workspace/executeCommand` and the custom requests: what code actions and
//! editor UIs call.

use std::sync::Arc;

use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::Uri;

use crate::features::status;

use super::guard::blocking;
use super::publish;
use super::state::{State, read};

pub const COMMANDS: &[&str] = &[
    "agentops.status",
    "agentops.advancePhase",
    "agentops.createArtifact",
    "agentops.bundleSave",
    "agentops.bundleLoad",
    "agentops.bundleList",
    "agentops.open",
    "agentops.route",
    "agentops.routeDiff",
    "agentops.acknowledge",
    "agentops.approve",
    "agentops.new",
];

/// Brings every open document's artifact up to date (reports reflect what
/// the editor shows, not what was last checked).
pub async fn refresh_open(state: &Arc<State>) {
    let open: Vec<Uri> = state.docs.iter().map(|d| d.key().clone()).collect();
    for u in open {
        let st = state.clone();
        if let Ok(Some(done)) = blocking(move || super::analysis::analyze(&st, &u)).await {
            let st = state.clone();
            tokio::spawn(async move { publish::after_change(&st, done).await });
        }
    }
}

/// The status report of every root (or of the root holding `uri`).
pub async fn status(state: &Arc<State>, uri: Option<Uri>) -> Result<Value> {
    refresh_open(state).await;
    let only = uri.and_then(|u| u.to_file_path().map(|p| p.into_owned()));
    let mut roots = Vec::new();
    for root in publish::roots(state) {
        if only.as_ref().is_some_and(|p| !p.starts_with(&root.path)) {
            continue;
        }
        let r = root.clone();
        let report = blocking(move || {
            let ws = read(&r.ws);
            serde_json::to_value(status::report(&ws)).unwrap_or(Value::Null)
        })
        .await?;
        roots.push(report);
    }
    Ok(json!({ "roots": roots }))
}

pub async fn execute(state: &Arc<State>, command: &str, args: &[Value]) -> Result<Option<Value>> {
    match command {
        "agentops.status" => {
            let uri = args
                .first()
                .and_then(|a| a.get("uri").or(Some(a)))
                .and_then(|u| u.as_str())
                .and_then(|u| u.parse().ok());
            Ok(Some(status(state, uri).await?))
        }
        "agentops.advancePhase" => Ok(Some(
            super::phase_commands::advance_phase(state, args).await?,
        )),
        "agentops.createArtifact" => Ok(Some(
            super::phase_commands::create_artifact(state, args).await?,
        )),
        "agentops.bundleSave" => Ok(Some(super::bundle_commands::save(state, args).await?)),
        "agentops.bundleLoad" => Ok(Some(super::bundle_commands::load(state, args).await?)),
        "agentops.bundleList" => Ok(Some(super::bundle_commands::list(state, args).await?)),
        "agentops.open" => Ok(Some(super::bundle_commands::open(state, args).await?)),
        "agentops.route" => super::route::execute(state, args).await,
        "agentops.routeDiff" => super::route_ack::diff(state, args).await,
        "agentops.acknowledge" => super::route_ack::acknowledge(state, args).await,
        "agentops.approve" => Ok(Some(super::approve::approve(state, args).await?)),
        "agentops.new" => Ok(Some(
            super::phase_commands::new_artifact(state, args).await?,
        )),
        other => Err(Error::invalid_params(format!(
            "unknown command `{other}`; known: {}",
            COMMANDS.join(", ")
        ))),
    }
}

#[cfg(test)]
mod docs_tests {
    /// Every command the server advertises has its row in docs/commands.md.
    #[test]
    fn every_command_is_documented() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/commands.md");
        let docs = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let missing: Vec<&str> = super::COMMANDS
            .iter()
            .copied()
            .filter(|c| !docs.contains(&format!("| `{c}` |")))
            .collect();
        assert!(missing.is_empty(), "not in docs/commands.md: {missing:?}");
    }
}
