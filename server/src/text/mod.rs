//! Text and positions: byte ranges, line maps, encodings.

pub mod echo;
mod line_map;
mod path_base;
mod range;
mod similar;

pub use echo::shown;
pub use line_map::{Encoding, LineCol, LineMap, to_u32};
pub use path_base::PathBase;
pub use range::TextRange;
pub use similar::{closest, nearest};
