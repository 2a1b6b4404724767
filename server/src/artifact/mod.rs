//! The artifact model: what one file is and says, as owned data.

pub mod blocks;
pub mod citations;
mod code_scope;
pub mod commands;
mod extract;
mod markers;
mod model;
mod placeholders;
pub mod sections;
mod template;
pub mod version;

pub use extract::{Parsers, abandoned, build, build_from_tree, looks_like_path, sha256};
pub use model::*;
