//! Text and positions: byte ranges, line maps, encodings.

mod line_map;
mod range;

pub use line_map::{Encoding, LineCol, LineMap, to_u32};
pub use range::TextRange;
