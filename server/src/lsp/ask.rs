//! Every request the server sends the client is awaited with a timeout, and
//! request handlers that wait on the client share a few slots: a client that
//! never answers (32 `workspace/applyEdit`s, a `workspace/configuration`)
//! must not hold every request slot of the server (tower-lsp-server's
//! `concurrency_level`, in which `$/cancelRequest` waits too) nor stop
//! indexing. See docs/reliability.md.

use std::future::Future;
use std::time::Duration;

use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::{ApplyWorkspaceEditResponse, MessageType, WorkspaceEdit};

use super::state::{State, read};

/// Request handlers waiting on the client at once; the next one gives up at
/// once, leaving the other request slots (32, see mod.rs) to everyone else.
pub const ACTION_WAITS: usize = 8;
/// Default wait for an answer to applyEdit / showDocument (`clientTimeoutMs`).
pub const ACTION_TIMEOUT_MS: u64 = 30_000;
/// Setup requests (configuration, registration, progress, diagnostic
/// refresh) wait at most this long (or `clientTimeoutMs` if shorter); then
/// the server goes on without the answer (default settings, no watcher).
pub const SETUP_TIMEOUT_MS: u64 = 5_000;

/// What the server is waiting for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Wait {
    /// Asked from a background task; only the timeout applies.
    Setup,
    /// Asked from a request handler: a shared slot, then the timeout.
    Action,
}

/// Why no answer came.
#[derive(Debug)]
pub enum GaveUp {
    /// [`ACTION_WAITS`] handlers are already waiting on the client.
    Busy,
    /// No answer within the timeout.
    Timeout(Duration),
    /// The client answered with an error.
    Failed(jsonrpc::Error),
}

impl GaveUp {
    pub fn reason(&self, what: &str) -> String {
        match self {
            GaveUp::Busy => format!(
                "not sent: {ACTION_WAITS} requests to the client are unanswered; try again later"
            ),
            GaveUp::Timeout(t) => {
                format!(
                    "the client did not answer {what} within {} ms",
                    t.as_millis()
                )
            }
            GaveUp::Failed(e) => format!("the client refused {what}: {}", e.message),
        }
    }
}

/// Awaits the client's answer to `what` (sent by `fut`) within the timeout;
/// a give-up is logged to the client before it is returned.
pub async fn ask<T>(
    state: &State,
    what: &str,
    wait: Wait,
    fut: impl Future<Output = jsonrpc::Result<T>>,
) -> Result<T, GaveUp> {
    let timeout = timeout_of(state, wait);
    let _slot = match wait {
        Wait::Setup => None,
        Wait::Action => match state.client_waits.try_acquire() {
            Ok(permit) => Some(permit),
            Err(_) => return Err(give_up(state, what, GaveUp::Busy).await),
        },
    };
    match tokio::time::timeout(timeout, fut).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(GaveUp::Failed(e)),
        Err(_) => Err(give_up(state, what, GaveUp::Timeout(timeout)).await),
    }
}

/// Sends `workspace/applyEdit` from a request handler: the client's answer,
/// `Ok(Err(reason))` when it did not answer in time or too many requests
/// wait on it already, `Err` when it refused the request outright.
pub async fn apply_edit(
    state: &State,
    edit: WorkspaceEdit,
) -> jsonrpc::Result<Result<ApplyWorkspaceEditResponse, String>> {
    let what = "workspace/applyEdit";
    match ask(state, what, Wait::Action, state.client.apply_edit(edit)).await {
        Ok(r) => Ok(Ok(r)),
        Err(GaveUp::Failed(e)) => Err(e),
        Err(why) => Ok(Err(why.reason(what))),
    }
}

fn timeout_of(state: &State, wait: Wait) -> Duration {
    let ms = read(&state.settings).client_timeout_ms;
    Duration::from_millis(match wait {
        Wait::Setup => ms.min(SETUP_TIMEOUT_MS),
        Wait::Action => ms,
    })
}

async fn give_up(state: &State, what: &str, why: GaveUp) -> GaveUp {
    state
        .client
        .log_message(
            MessageType::WARNING,
            format!("agentops-lsp: gave up on {what}: {}", why.reason(what)),
        )
        .await;
    why
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn state() -> Arc<State> {
        let (service, _socket) = super::super::service();
        service.inner().state.clone()
    }

    #[tokio::test(start_paused = true)]
    async fn a_silent_client_times_out_and_only_a_few_handlers_wait_on_it() {
        let st = state();
        super::super::state::write(&st.settings).client_timeout_ms = 1000;
        let never = || std::future::pending::<jsonrpc::Result<()>>();
        // Setup waits are capped at the shorter of the two timeouts.
        let r = ask(&st, "workspace/configuration", Wait::Setup, never()).await;
        assert!(matches!(r, Err(GaveUp::Timeout(t)) if t == Duration::from_millis(1000)));
        // ACTION_WAITS handlers wait; the next gives up at once.
        let mut waiting = Vec::new();
        for _ in 0..ACTION_WAITS {
            let st = st.clone();
            waiting.push(tokio::spawn(async move {
                ask(&st, "workspace/applyEdit", Wait::Action, never()).await
            }));
        }
        tokio::task::yield_now().await;
        let busy = ask(&st, "workspace/applyEdit", Wait::Action, never()).await;
        assert!(matches!(busy, Err(GaveUp::Busy)), "{busy:?}");
        for w in waiting {
            let r = w.await.unwrap();
            assert!(matches!(r, Err(GaveUp::Timeout(_))), "{r:?}");
        }
        // The slots are free again.
        let ok = ask(&st, "workspace/applyEdit", Wait::Action, async { Ok(7) }).await;
        assert_eq!(ok.unwrap(), 7);
    }
}
