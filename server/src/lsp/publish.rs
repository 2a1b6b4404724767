//! Getting diagnostics to the client: debounced re-checks after edits, and
//! publishing only what changed (or asking a pulling client to refresh).

use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::ls_types::{MessageType, Uri};

use super::analysis::{self, Analyzed};
use super::ask::{Wait, ask};
use super::guard::blocking;
use super::state::{Root, State, lock, read};

/// Re-checks `uri` after the debounce, unless another edit came first.
pub fn schedule(state: Arc<State>, uri: Uri, version: i32, delay_ms: u64) {
    tokio::spawn(async move {
        if delay_ms > 0 {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
        }
        if state.docs.get(&uri).is_none_or(|d| d.version != version) {
            return;
        }
        let (st, u) = (state.clone(), uri.clone());
        match blocking(move || analysis::analyze_version(&st, &u, Some(version))).await {
            Ok(Some(done)) => after_change(&state, done).await,
            Ok(None) => {}
            Err(e) => {
                state
                    .client
                    .log_message(
                        MessageType::ERROR,
                        format!("checking {} failed: {}", uri.as_str(), e.message),
                    )
                    .await;
            }
        }
    });
}

/// Publishes the changed file first, then the files depending on it.
pub async fn after_change(state: &Arc<State>, done: Analyzed) {
    let (root, rel) = (done.root.clone(), done.rel.clone());
    publish(state, &root, vec![rel]).await;
    let Ok((done, moved)) = blocking(move || {
        let moved = done.moves_phase();
        (done, moved)
    })
    .await
    else {
        return;
    };
    // Lenses show phases: asked again when one moved, not on every keystroke.
    if moved {
        refresh_lenses(state).await;
    }
    let Ok(dependents) = blocking(move || done.dependents()).await else {
        return;
    };
    if !dependents.is_empty() {
        publish(state, &root, dependents).await;
    }
}

/// Asks the client to re-request code lenses (phase timelines), when it can.
pub async fn refresh_lenses(state: &Arc<State>) {
    if state.caps().lens_refresh && !state.is_shut_down() {
        let refresh = state.client.code_lens_refresh();
        let _ = ask(state, "workspace/codeLens/refresh", Wait::Setup, refresh).await;
    }
}

/// Sends the diagnostics of `rels` whose content changed since last sent.
/// Results for a document that was edited meanwhile are dropped.
pub async fn publish(state: &Arc<State>, root: &Arc<Root>, rels: Vec<String>) {
    if state.is_shut_down() {
        return;
    }
    let caps = state.caps();
    if caps.pull {
        if caps.pull_refresh {
            let _ = ask(
                state,
                "workspace/diagnostic/refresh",
                Wait::Setup,
                state.client.workspace_diagnostic_refresh(),
            )
            .await;
        }
        return;
    }
    // An open document is published only from an index at its current
    // version; otherwise a fresher analysis is pending and will publish.
    let items: Vec<(String, Option<Uri>, Option<i32>)> = rels
        .into_iter()
        .filter_map(|rel| {
            let uri = root.uri_of(&rel);
            let doc = uri
                .as_ref()
                .and_then(|u| state.docs.get(u).map(|d| (d.version, d.analyzed)));
            match doc {
                Some((v, analyzed)) if analyzed != Some(v) => None,
                Some((v, _)) => Some((rel, uri, Some(v))),
                None => Some((rel, uri, None)),
            }
        })
        .collect();
    let (st, r) = (state.clone(), root.clone());
    let wanted: Vec<String> = items.iter().map(|(rel, _, _)| rel.clone()).collect();
    let Ok(computed) = blocking(move || {
        wanted
            .iter()
            .map(|rel| analysis::diagnostics(&st, &r, rel))
            .collect::<Vec<_>>()
    })
    .await
    else {
        return;
    };
    for ((rel, uri, version), (diags, hash)) in items.into_iter().zip(computed) {
        let Some(uri) = uri else { continue };
        let now = state.docs.get(&uri).map(|d| d.version);
        if now != version {
            continue;
        }
        {
            let mut published = lock(&root.published);
            let before = published.get(&rel).copied();
            // A closed file with nothing sent before and nothing to say stays
            // quiet; an open document always gets a definitive answer.
            if before == Some(hash) || (before.is_none() && diags.is_empty() && version.is_none()) {
                continue;
            }
            published.insert(rel, hash);
        }
        state.client.publish_diagnostics(uri, diags, version).await;
    }
}

/// Publishes every file of every root (after indexing or a config reload).
pub async fn publish_all(state: &Arc<State>, root: &Arc<Root>) {
    let files = analysis::all_files(root);
    publish(state, root, files).await;
}

/// Roots as they are now (the list may change while we work).
pub fn roots(state: &State) -> Vec<Arc<Root>> {
    read(&state.roots).clone()
}
