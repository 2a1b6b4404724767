//! Context bundles: a markdown digest an agent can read
//! (`.agentops/bundles/NAME.md`) and a zstd-compressed tar snapshot of the
//! sources beside it (`NAME.tar.zst`), so that a bundle can be verified,
//! compared with today's sources and restored without loss.
//! The format, byte for byte, is `docs/bundles.md`.

pub mod atomic;
pub mod condense;
pub mod digest;
pub mod index;
pub mod list;
pub mod load;
pub mod name;
pub mod recall;
pub mod save;
pub mod since;
pub mod snapshot;
pub mod sources;
pub mod state;
pub mod tokens;

pub use index::{Bundle, all, find, folder};
pub use sources::{Recorded, Source};

/// The snapshot's file name for bundle `name`.
pub fn snapshot_file(name: &str) -> String {
    format!("{name}.tar.zst")
}

/// Lowercase hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
