//! Editor features computed from the index: pure functions returning
//! engine types (byte ranges); the LSP face converts them.

pub mod acknowledge;
pub mod actions;
pub mod anchors;
pub mod approve;
pub mod code_links;
pub mod command_actions;
pub mod command_hover;
pub mod complete_links;
pub mod completion;
pub mod fixes;
pub mod folding;
pub mod hover;
pub mod rename;
pub mod requirements;
pub mod route_diff;
pub mod routes;
pub mod start;
pub mod status;
pub mod symbols;
pub mod template;
pub mod trace;
