//! A panic inside one handler must not take the server down: it is caught,
//! logged to the client and turned into an error response.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use tower_lsp_server::Client;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::MessageType;

pub async fn guard<T>(
    client: &Client,
    what: &str,
    fut: impl Future<Output = Result<T>>,
) -> Result<T> {
    match AssertUnwindSafe(fut).catch_unwind().await {
        Ok(r) => r,
        Err(panic) => {
            let msg = panic_message(&*panic);
            client
                .log_message(
                    MessageType::ERROR,
                    format!("agentops-lsp: {what} failed: {msg}"),
                )
                .await;
            Err(Error::internal_error())
        }
    }
}

/// For notifications: no response to turn the panic into, only the log.
pub async fn guard_notify(client: &Client, what: &str, fut: impl Future<Output = ()>) {
    let _ = guard(client, what, async {
        fut.await;
        Ok(())
    })
    .await;
}

pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}

/// Runs CPU work off the reader; a panic there becomes an error too.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        let msg = if e.is_panic() {
            panic_message(&*e.into_panic())
        } else {
            "cancelled".into()
        };
        Error {
            code: tower_lsp_server::jsonrpc::ErrorCode::InternalError,
            message: format!("agentops-lsp: {msg}").into(),
            data: None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_off_the_reader_becomes_an_error() {
        let r: Result<u32> = blocking(|| panic!("boom")).await;
        let e = r.unwrap_err();
        assert_eq!(e.code, tower_lsp_server::jsonrpc::ErrorCode::InternalError);
        assert!(e.message.contains("boom"), "{e:?}");
        assert_eq!(blocking(|| 7).await.unwrap(), 7);
    }
}
