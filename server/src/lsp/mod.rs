//! The language server: a thin face over the workspace and rules.

mod actions;
mod analysis;
mod bundle_commands;
mod capabilities;
mod commands;
mod convert;
mod document;
mod guard;
mod index;
mod link_completion;
mod navigation;
mod phase_commands;
mod publish;
mod rename;
mod route;
mod server;
mod state;

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
        Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
            .concurrency_level(CONCURRENCY)
            .serve(service)
            .await;
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
