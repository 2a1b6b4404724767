//! An open document: its rope, version and block tree, kept in step with
//! every edit so tree-sitter reparses only what changed.

use std::collections::VecDeque;

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, TextDocumentContentChangeEvent};
use tree_sitter::{InputEdit, Point, Tree};

use crate::syntax::units::UnitCache;
use crate::text::Encoding;
use crate::workspace::MAX_FILE;

/// The most text an open document keeps. Beyond `MAX_FILE` it is reported,
/// not parsed, but still followed through edits (deleting half of it makes
/// it checkable again); beyond this its text is dropped, so edits that keep
/// inserting cannot grow the server without bound.
pub const MAX_KEPT: usize = 4 * MAX_FILE as usize;

pub struct Document {
    pub version: i32,
    pub rope: Rope,
    /// The block tree of an earlier version, edited to match the current text.
    pub tree: Option<Tree>,
    /// The version whose artifact is in the index, if any.
    pub analyzed: Option<i32>,
    /// Results of unchanged blocks, by content: valid whatever the version.
    pub units: Option<UnitCache>,
    /// The length of a text over `MAX_KEPT`, which was dropped: edits
    /// by range cannot be followed until the client sends the whole text.
    dropped: Option<usize>,
    /// Opened by a `didChange` that came before any `didOpen` (Helix, for a
    /// file a workspace edit created): the `didOpen` that follows may carry
    /// an older version, which must not replace it. Any other re-open wins.
    pub opened_by_change: bool,
    /// Bumped by every applied change, so an analysis of the text as it
    /// was before a re-ordering (same version, other text) is not stored.
    pub revision: u64,
    /// The last changes applied, each with the text before it: a change that
    /// arrives after a later version (Helix 25.01 sends `didChange`s of quick
    /// typing out of order under load) is put back in its place from these.
    history: VecDeque<(i32, Rope, Vec<TextDocumentContentChangeEvent>)>,
}

/// How many applied changes are kept for re-ordering a late one.
const HISTORY: usize = 64;

impl Document {
    pub fn new(text: &str, version: i32) -> Document {
        let mut doc = Document {
            version,
            rope: Rope::new(),
            tree: None,
            analyzed: None,
            units: Some(UnitCache::default()),
            dropped: None,
            opened_by_change: false,
            revision: 0,
            history: VecDeque::new(),
        };
        doc.replace(text);
        doc
    }

    /// The whole text is `text` (kept only up to `MAX_KEPT`).
    fn replace(&mut self, text: &str) {
        self.tree = None;
        if text.len() > MAX_KEPT {
            self.drop_text(text.len());
        } else {
            self.rope = Rope::from_str(text);
            self.dropped = None;
        }
    }

    fn drop_text(&mut self, len: usize) {
        self.rope = Rope::new();
        self.tree = None;
        self.units = Some(UnitCache::default());
        self.dropped = Some(len);
    }

    /// The length in bytes of a text too large to parse (over `MAX_FILE`):
    /// such a document gets one finding, and its text (if kept) is never parsed.
    pub fn too_large(&self) -> Option<usize> {
        self.dropped
            .or_else(|| Some(self.rope.len_bytes()).filter(|&n| n as u64 > MAX_FILE))
    }

    /// The text, unless it was too large to keep.
    pub fn kept_text(&self) -> Option<String> {
        self.dropped.is_none().then(|| self.text())
    }

    /// Applies a batch at `version`. A batch older than changes already
    /// applied goes back in its place: the text before the first later one
    /// is restored and the later ones are applied again after it, in order
    /// of version. (The protocol promises order; Helix does not keep it.)
    pub fn apply(
        &mut self,
        changes: &[TextDocumentContentChangeEvent],
        version: i32,
        enc: Encoding,
    ) {
        self.revision += 1;
        let late = (version < self.version && self.dropped.is_none())
            .then(|| self.history.iter().position(|(v, _, _)| *v > version))
            .flatten();
        let Some(i) = late else {
            self.apply_in_order(changes, version, enc);
            return;
        };
        let mut later: Vec<_> = self.history.drain(i..).collect();
        let newest = self.version;
        if let Some((_, before, _)) = later.first() {
            self.rope = before.clone();
        }
        // The tree was edited along the wrong order: parse afresh.
        self.tree = None;
        self.analyzed = None;
        self.apply_in_order(changes, version, enc);
        later.sort_by_key(|(v, _, _)| *v);
        for (v, _, c) in later {
            self.apply_in_order(&c, v, enc);
        }
        self.version = newest.max(version);
    }

    /// Applies a batch in order; each range is in the text left by the previous change.
    fn apply_in_order(
        &mut self,
        changes: &[TextDocumentContentChangeEvent],
        version: i32,
        enc: Encoding,
    ) {
        if self.dropped.is_none() {
            self.history
                .push_back((version, self.rope.clone(), changes.to_vec()));
            if self.history.len() > HISTORY {
                self.history.pop_front();
            }
        }
        for change in changes {
            match change.range {
                None => self.replace(&change.text),
                // Ranges into a text that was dropped: nothing to apply them to.
                Some(_) if self.dropped.is_some() => {}
                Some(range) => {
                    let start = byte_of(&self.rope, range.start, enc);
                    let end = byte_of(&self.rope, range.end, enc).max(start);
                    let start_point = point_of(&self.rope, start);
                    let old_end_point = point_of(&self.rope, end);
                    let (cs, ce) = (self.rope.byte_to_char(start), self.rope.byte_to_char(end));
                    self.rope.remove(cs..ce);
                    self.rope.insert(cs, &change.text);
                    let new_end = start + change.text.len();
                    if let Some(tree) = self.tree.as_mut() {
                        tree.edit(&InputEdit {
                            start_byte: start,
                            old_end_byte: end,
                            new_end_byte: new_end,
                            start_position: start_point,
                            old_end_position: old_end_point,
                            new_end_position: point_of(&self.rope, new_end),
                        });
                    }
                    if self.rope.len_bytes() > MAX_KEPT {
                        self.drop_text(self.rope.len_bytes());
                    }
                }
            }
        }
        self.version = version;
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }
}

/// Byte offset of an LSP position: lines past the end clamp to the end,
/// columns past the line's end to the end of its text (before the newline).
pub fn byte_of(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_start = rope.line_to_byte(line);
    let line_slice = rope.line(line);
    let mut text_len = line_slice.len_bytes();
    // Exclude the line break (\n, \r\n) from the addressable columns.
    let mut chars = line_slice.chars_at(line_slice.len_chars());
    for _ in 0..2 {
        match chars.prev() {
            Some('\n') | Some('\r') => text_len -= 1,
            _ => break,
        }
    }
    let col = pos.character as usize;
    let local = match enc {
        Encoding::Utf8 => {
            let mut b = col.min(text_len);
            while b > 0
                && !line_slice
                    .try_byte_to_char(b)
                    .is_ok_and(|c| line_slice.char_to_byte(c) == b)
            {
                b -= 1;
            }
            b
        }
        Encoding::Utf16 => {
            let text_chars = line_slice.byte_to_char(text_len);
            let max_cu = line_slice.char_to_utf16_cu(text_chars);
            let cu = col.min(max_cu);
            // A column inside a surrogate pair stays before the character.
            let c = line_slice.utf16_cu_to_char(cu);
            line_slice.char_to_byte(c)
        }
        Encoding::Chars => {
            let text_chars = line_slice.byte_to_char(text_len);
            line_slice.char_to_byte(col.min(text_chars))
        }
    };
    line_start + local
}

fn point_of(rope: &Rope, byte: usize) -> Point {
    let line = rope.byte_to_line(byte);
    Point {
        row: line,
        column: byte - rope.line_to_byte(line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::Range;

    fn change(l1: u32, c1: u32, l2: u32, c2: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn edits_at_emoji_and_cjk_edges() {
        let mut d = Document::new("a😀b\r\n漢字\n", 1);
        // UTF-16: 😀 is two units; column 3 is just after it.
        d.apply(&[change(0, 3, 0, 4, "B")], 2, Encoding::Utf16);
        assert_eq!(d.text(), "a😀B\r\n漢字\n");
        // UTF-8: 漢 is three bytes.
        d.apply(&[change(1, 3, 1, 6, "X")], 3, Encoding::Utf8);
        assert_eq!(d.text(), "a😀B\r\n漢X\n");
        // A batch: the second range is in the text left by the first.
        d.apply(
            &[change(0, 0, 0, 1, ""), change(0, 0, 0, 0, "Z")],
            4,
            Encoding::Utf16,
        );
        assert_eq!(d.text(), "Z😀B\r\n漢X\n");
    }

    #[test]
    fn text_over_the_cap_is_dropped_not_kept() {
        let mut d = Document::new("small", 1);
        assert_eq!(d.too_large(), None);
        // Growing it past MAX_FILE: kept (edits can still shrink it), but too large.
        let big = "x".repeat(MAX_FILE as usize);
        d.apply(&[change(0, 5, 0, 5, &big)], 2, Encoding::Utf16);
        assert_eq!(d.too_large(), Some(MAX_FILE as usize + 5));
        assert!(d.kept_text().is_some());
        // Past MAX_KEPT: the text goes; ranged edits are ignored, not misapplied.
        let more = "y".repeat(MAX_KEPT);
        d.apply(&[change(0, 0, 0, 0, &more)], 3, Encoding::Utf16);
        assert_eq!(d.too_large(), Some(MAX_KEPT + MAX_FILE as usize + 5));
        assert_eq!(d.rope.len_bytes(), 0);
        assert_eq!(d.kept_text(), None);
        d.apply(&[change(0, 0, 0, 0, "z")], 4, Encoding::Utf16);
        assert_eq!(d.rope.len_bytes(), 0);
        // The whole text again: followed as before.
        let full = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "back".into(),
        };
        d.apply(&[full, change(0, 4, 0, 4, "!")], 5, Encoding::Utf16);
        assert_eq!((d.text().as_str(), d.too_large()), ("back!", None));
        // Opened over MAX_KEPT: never kept.
        let huge = Document::new(&"w".repeat(MAX_KEPT + 1), 1);
        assert_eq!(huge.too_large(), Some(MAX_KEPT + 1));
        assert_eq!(huge.rope.len_bytes(), 0);
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let mut d = Document::new("ab\r\ncd", 1);
        d.apply(&[change(0, 99, 0, 99, "!")], 2, Encoding::Utf16);
        assert_eq!(d.text(), "ab!\r\ncd");
        d.apply(&[change(9, 0, 9, 0, "?")], 3, Encoding::Utf16);
        assert_eq!(d.text(), "ab!\r\ncd?");
        // Inside a surrogate pair: before the emoji.
        let mut e = Document::new("😀", 1);
        e.apply(&[change(0, 1, 0, 1, "x")], 2, Encoding::Utf16);
        assert_eq!(e.text(), "x😀");
    }

    #[test]
    fn a_late_change_goes_back_in_its_place() {
        // Helix under load: versions 4 and 5 arrive before 3.
        let mut d = Document::new("a\n", 1);
        d.apply(&[change(0, 1, 0, 1, "\n")], 2, Encoding::Utf8);
        d.apply(&[change(2, 0, 2, 0, "段")], 4, Encoding::Utf8);
        d.apply(&[change(2, 3, 2, 3, "x")], 5, Encoding::Utf8);
        d.apply(&[change(1, 0, 1, 0, "\n")], 3, Encoding::Utf8);
        assert_eq!((d.text().as_str(), d.version), ("a\n\n段x\n", 5));
        // In order, the same text.
        let mut e = Document::new("a\n", 1);
        for (v, c) in [
            (2, change(0, 1, 0, 1, "\n")),
            (3, change(1, 0, 1, 0, "\n")),
            (4, change(2, 0, 2, 0, "段")),
            (5, change(2, 3, 2, 3, "x")),
        ] {
            e.apply(&[c], v, Encoding::Utf8);
        }
        assert_eq!(e.text(), d.text());
    }
}
