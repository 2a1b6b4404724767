//! Text and positions: byte ranges, line maps, encodings.

mod line_map;
mod range;
mod similar;

pub use line_map::{Encoding, LineCol, LineMap, to_u32};
pub use range::TextRange;
pub use similar::closest;
