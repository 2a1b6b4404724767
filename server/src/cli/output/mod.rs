//! Output formats of `check`. Columns are 1-based Unicode characters in every format.

mod human;
mod json;
mod sarif;
mod stats;

pub use human::human;
pub use json::json;
pub use sarif::sarif;
pub use stats::stats;

use crate::text::{Encoding, LineCol, TextRange};
use crate::workspace::Workspace;

/// 1-based (line, column) of both ends of a range in `path`.
pub fn place(ws: &Workspace, path: &str, range: TextRange) -> (LineCol, LineCol) {
    let one = |p: LineCol| LineCol {
        line: p.line + 1,
        col: p.col + 1,
    };
    match ws.line_map(path) {
        Some(m) => (
            one(m.position(range.start, Encoding::Chars)),
            one(m.position(range.end, Encoding::Chars)),
        ),
        None => (LineCol { line: 1, col: 1 }, LineCol { line: 1, col: 1 }),
    }
}

/// `1 error`, `2 errors`, `0 infos`: a count and its noun in English.
pub fn plural(n: usize, one: &str) -> String {
    format!("{n} {one}{}", if n == 1 { "" } else { "s" })
}
