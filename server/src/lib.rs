//! agentops-lsp: checks the markdown artifacts of agentops workflows.
//!
//! The pipeline, each layer depending only on those before it:
//! `text → syntax → schema → artifact → workspace → rules → cli`.
//! See `docs/architecture.md`.

// Input must never panic the server: outside tests, no unwrap or expect at all.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod artifact;
pub mod bundle;
pub mod cli;
pub mod command;
pub mod config;
pub mod features;
pub mod lsp;
pub mod rules;
pub mod schema;
pub mod syntax;
pub mod text;
pub mod time;
pub mod workspace;
