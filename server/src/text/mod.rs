//! Text and positions: byte ranges, line maps, encodings.

pub mod echo;
mod line_map;
mod range;
mod similar;

pub use echo::shown;
pub use line_map::{Encoding, LineCol, LineMap, to_u32};
pub use range::TextRange;
pub use similar::{closest, nearest};
