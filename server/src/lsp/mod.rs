//! The language server: a thin face over the workspace and rules.

mod actions;
pub(crate) mod analysis;
mod approve;
mod ask;
mod bundle_commands;
mod capabilities;
mod commands;
mod convert;
mod created;
mod document;
pub mod framing;
mod guard;
mod index;
mod link_completion;
mod navigation;
mod outgoing;
mod phase_commands;
mod publish;
mod rename;
mod route;
mod route_ack;
mod server;
mod state;
mod unopened;

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use tower_lsp_server::{LspService, Server};

pub use server::Backend;

/// Requests handled at once; tower-lsp's default of 4 can deadlock when
/// handlers wait on the client (configuration, progress) while it waits on us.
const CONCURRENCY: usize = 32;

/// Builds the service, for stdio and for in-process tests.
pub fn service() -> (LspService<Backend>, tower_lsp_server::ClientSocket) {
    LspService::build(Backend::new)
        .custom_method("agentops/status", Backend::status_request)
        .custom_method("agentops/specsForPath", Backend::specs_for_path)
        .finish()
}

/// Serves on stdin/stdout; exit code 0 after shutdown + exit, 1 on exit without shutdown.
pub fn run() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("agentops-lsp: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let clean = runtime.block_on(async {
        let (service, socket) = service();
        let state = service.inner().state.clone();
        // stdin → checked frames → server → whole frames → stdout (see framing.rs).
        let (to_server, server_in) = tokio::io::duplex(1 << 20);
        let (server_out, from_server) = tokio::io::duplex(1 << 20);
        let out = std::sync::Arc::new(tokio::sync::Mutex::new(tokio::io::stdout()));
        let reader = tokio::spawn(framing::pump_in(tokio::io::stdin(), to_server, out.clone()));
        let writer = tokio::spawn(framing::pump_out(from_server, out));
        Server::new(server_in, server_out, socket)
            .concurrency_level(CONCURRENCY)
            .serve(service)
            .await;
        // The server's last frames (the shutdown reply) are written before we go.
        let _ = writer.await;
        reader.abort();
        let state: Arc<state::State> = state;
        state.shutdown.load(Ordering::SeqCst)
    });
    // Background tasks (indexing, debounced checks) must not hold the exit.
    runtime.shutdown_background();
    if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
