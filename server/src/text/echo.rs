//! Input echoed back in messages and output lines. A repository chooses the
//! values, patterns and file names a finding quotes; quoting them whole lets
//! a 10 MB value make a 10 MB message, and a newline in a file name forge a
//! line of human output. So quotes are cut, and control characters escaped.

use std::borrow::Cow;

/// At most this many characters of one quoted input (a `` `span` ``).
pub const MAX_ECHO: usize = 200;
/// At most this many characters in one message, all quotes included.
pub const MAX_MESSAGE: usize = 2000;

/// `s`, cut to `MAX_ECHO` characters (`…` marks the cut).
pub fn shown(s: &str) -> Cow<'_, str> {
    cut(s, MAX_ECHO)
}

fn cut(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((at, _)) => Cow::Owned(format!("{}…", s.get(..at).unwrap_or(""))),
    }
}

/// `s` cut to `MAX_MESSAGE` characters in place (`…` marks the cut): for
/// messages made outside the rules (related locations, the LSP face).
pub fn cap_message(s: &mut String) {
    if let Cow::Owned(o) = cut(s, MAX_MESSAGE) {
        *s = o;
    }
}

/// A message with every `` `quoted` `` input cut to `MAX_ECHO` characters
/// and the whole to `MAX_MESSAGE`: the cap applies where findings are made,
/// so no rule can forget it.
pub fn bounded(message: String) -> String {
    if message.len() <= MAX_ECHO {
        return message;
    }
    let mut out = String::with_capacity(message.len().min(MAX_MESSAGE + 8));
    for (i, part) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Odd parts are inside backticks: the quoted input.
        if i % 2 == 1 {
            out.push_str(&shown(part));
        } else {
            out.push_str(part);
        }
    }
    match cut(&out, MAX_MESSAGE) {
        Cow::Borrowed(_) => out,
        Cow::Owned(o) => o,
    }
}

/// `s` with control characters (newline, tab, escape, …) written as `\n`,
/// `\t` or `\u{1b}`: one output line stays one line whatever a file is called.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_cut_and_controls_escaped() {
        let huge = "x".repeat(10_000);
        let m = bounded(format!("`{huge}` is not one of `a`, `b`"));
        assert!(
            m.starts_with(&format!("`{}…`", "x".repeat(MAX_ECHO))),
            "{m}"
        );
        assert!(m.ends_with("is not one of `a`, `b`"), "{m}");
        assert!(bounded("y".repeat(10_000)).chars().count() <= MAX_MESSAGE + 1);
        assert_eq!(bounded("short `a`".into()), "short `a`");
        // Multi-byte characters are cut on a boundary.
        assert_eq!(shown(&"é".repeat(300)).chars().count(), MAX_ECHO + 1);
        assert_eq!(escape_controls("a\nb:1:1: error"), "a\\nb:1:1: error");
        assert_eq!(escape_controls("a\u{1b}[31m"), "a\\u{1b}[31m");
        assert_eq!(escape_controls("plain é"), "plain é");
    }
}
