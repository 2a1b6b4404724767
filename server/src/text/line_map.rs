//! Byte offsets → line/column in any encoding, without keeping the text.
//!
//! Closed files keep only their `Artifact`, yet diagnostics on them must be
//! placed exactly in UTF-8, UTF-16 or character columns. A `LineMap` keeps
//! the line starts plus the (usually empty) list of non-ASCII characters,
//! which is all the conversion needs.

use serde::{Deserialize, Serialize};

/// How a client counts columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Encoding {
    Utf8,
    Utf16,
    /// Unicode scalar values: what humans and SARIF `unicodeCodePoints` count.
    Chars,
}

/// A zero-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineMap {
    /// Byte offset at which each line starts; `line_starts[0] == 0`.
    line_starts: Vec<u32>,
    /// Byte offset and UTF-8 length of every non-ASCII character, in order.
    wide: Vec<(u32, u8)>,
    /// Lines ending in `\r\n`: their text ends one byte earlier.
    crlf: Vec<u32>,
    len: u32,
}

impl Default for LineMap {
    fn default() -> Self {
        LineMap::new("")
    }
}

impl LineMap {
    pub fn new(text: &str) -> LineMap {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        let mut wide = Vec::new();
        let mut crlf = Vec::new();
        // Bytes, not chars: a UTF-8 lead byte (0b11xx_xxxx) gives the width.
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' {
                if i > 0 && bytes.get(i - 1) == Some(&b'\r') {
                    crlf.push(to_u32(line_starts.len() - 1));
                }
                line_starts.push(to_u32(i + 1));
            } else if b >= 0xC0 {
                let len = if b >= 0xF0 {
                    4
                } else if b >= 0xE0 {
                    3
                } else {
                    2
                };
                wide.push((to_u32(i), len));
            }
        }
        LineMap {
            line_starts,
            wide,
            crlf,
            len: to_u32(text.len()),
        }
    }

    pub fn len(&self) -> u32 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn line_count(&self) -> u32 {
        to_u32(self.line_starts.len())
    }

    /// The byte offset where `line` starts, clamped to the text.
    pub fn line_start(&self, line: u32) -> u32 {
        self.line_starts
            .get(line as usize)
            .copied()
            .unwrap_or(self.len)
    }

    /// The byte offset where `line`'s text ends (before its newline).
    pub fn line_end(&self, line: u32) -> u32 {
        match self.line_starts.get(line as usize + 1) {
            Some(&next) => {
                let cr = u32::from(self.crlf.binary_search(&line).is_ok());
                next.saturating_sub(1 + cr)
            }
            None => self.len,
        }
    }

    /// Position of a byte offset (clamped to the text) in the given encoding.
    pub fn position(&self, offset: u32, enc: Encoding) -> LineCol {
        let offset = offset.min(self.len);
        let line = self
            .line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let bytes = offset - start;
        let col = match enc {
            Encoding::Utf8 => bytes,
            Encoding::Utf16 => bytes - self.shrink(start, offset, |l| l - utf16_len(l)),
            Encoding::Chars => bytes - self.shrink(start, offset, |l| l - 1),
        };
        LineCol {
            line: to_u32(line),
            col,
        }
    }

    /// Byte offset of a position given in the encoding; columns past the end
    /// of the line clamp to the line end (LSP says so), lines past the end to
    /// the end of the text.
    pub fn offset(&self, pos: LineCol, enc: Encoding) -> u32 {
        let Some(&start) = self.line_starts.get(pos.line as usize) else {
            return self.len;
        };
        let end = self.line_end(pos.line);
        let first = self.wide.partition_point(|&(o, _)| o < start);
        let mut byte = start;
        let mut units = 0u32;
        let mut wide = self.wide.get(first..).unwrap_or(&[]).iter().peekable();
        while byte < end && units < pos.col {
            match wide.peek() {
                Some(&&(o, l)) if o == byte => {
                    let step = match enc {
                        Encoding::Utf8 => u32::from(l),
                        Encoding::Utf16 => utf16_len(u32::from(l)),
                        Encoding::Chars => 1,
                    };
                    if units + step > pos.col {
                        // Inside a character: LSP clients never mean that; stay before it.
                        break;
                    }
                    units += step;
                    byte += u32::from(l);
                    wide.next();
                }
                Some(&&(o, _)) => {
                    let run = (o - byte).min(pos.col - units).min(end - byte);
                    units += run;
                    byte += run;
                }
                None => {
                    let run = (pos.col - units).min(end - byte);
                    units += run;
                    byte += run;
                }
            }
        }
        byte
    }

    fn shrink(&self, start: u32, end: u32, f: impl Fn(u32) -> u32) -> u32 {
        let first = self.wide.partition_point(|&(o, _)| o < start);
        let last = self.wide.partition_point(|&(o, _)| o < end);
        self.wide
            .get(first..last)
            .unwrap_or(&[])
            .iter()
            .map(|&(_, l)| f(u32::from(l)))
            .sum()
    }
}

fn utf16_len(utf8_len: u32) -> u32 {
    if utf8_len == 4 { 2 } else { 1 }
}

/// Files larger than 4 GiB are refused before they get here, so offsets fit.
pub fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_positions() {
        let m = LineMap::new("ab\ncd\n");
        assert_eq!(m.position(4, Encoding::Utf16), LineCol { line: 1, col: 1 });
        assert_eq!(m.offset(LineCol { line: 1, col: 1 }, Encoding::Utf8), 4);
        assert_eq!(m.position(6, Encoding::Utf8), LineCol { line: 2, col: 0 });
    }

    #[test]
    fn emoji_and_cjk_columns() {
        let text = "a😀b漢c\nx";
        let m = LineMap::new(text);
        let c = text.find('c').unwrap_or(0) as u32;
        assert_eq!(m.position(c, Encoding::Utf8).col, 9);
        assert_eq!(m.position(c, Encoding::Utf16).col, 5);
        assert_eq!(m.position(c, Encoding::Chars).col, 4);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
            let p = m.position(c, enc);
            assert_eq!(m.offset(p, enc), c, "{enc:?}");
        }
    }

    #[test]
    fn offsets_clamp() {
        let m = LineMap::new("héllo\r\nw");
        assert_eq!(m.offset(LineCol { line: 0, col: 99 }, Encoding::Utf16), 6);
        assert_eq!(m.offset(LineCol { line: 9, col: 0 }, Encoding::Utf16), 9);
        // Column inside the surrogate pair of an emoji stays before it.
        let e = LineMap::new("😀x");
        assert_eq!(e.offset(LineCol { line: 0, col: 1 }, Encoding::Utf16), 0);
    }
}
