//! Slash commands as the flavors declare them: which exist, how a written
//! command line binds to its declaration, and what its arguments name.
//! Finding command lines in a file is extraction (`artifact/commands.rs`);
//! judging them is `rules/commands.rs`; completion and hover read this too.

pub mod bind;
pub mod catalog;
pub mod resolve;

pub use bind::{Bound, Word, bind};
pub use catalog::{Known, lookup};
