//! The ids in one citation list (`_Requirements: 1.1–1.4, 2.3 (done)_`):
//! ids, ranges of ids, a word that cites them all, and prose around them.
//! Real Kiro task lists write all of these; the flavor says what an id is.

use regex::Regex;

use crate::schema::Cites;

/// The id a citation of every requirement of the work item carries
/// (`_Requirements: All_`).
pub const ALL: &str = "*";

/// A range cites at most this many ids (`1.1-1.999` is a typo, not work).
const MAX_RANGE: u32 = 100;

/// Each id `list` cites, with its byte span in `list`.
pub fn ids(list: &str, rule: &Cites, id: Option<&Regex>) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut first = true;
    for (start, word) in words(list) {
        let end = start + word.len();
        if first && rule.all.iter().any(|a| a.eq_ignore_ascii_case(word)) {
            out.push((ALL.to_string(), start, end));
            return out;
        }
        first = false;
        if word.eq_ignore_ascii_case("and") {
            continue;
        }
        if let Some(ids) = range(word, id) {
            out.extend(ids.into_iter().map(|i| (i, start, end)));
        } else if id.is_none_or(|re| re.is_match(word)) {
            out.push((word.to_string(), start, end));
        }
    }
    out
}

/// The words of `list` outside parentheses (a remark: `3.4 (done)`), each
/// trimmed of punctuation, with its offset.
fn words(list: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = None;
    for (i, c) in list.char_indices() {
        let sep = matches!(c, ',' | ';' | '/' | '(' | ')') || c.is_whitespace();
        if sep {
            if let Some(s) = start.take()
                && depth == 0
            {
                push_word(list, s, i, &mut out);
            }
        } else if start.is_none() {
            start = Some(i);
        }
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if let Some(s) = start
        && depth == 0
    {
        push_word(list, s, list.len(), &mut out);
    }
    out
}

/// `list[s..e]` trimmed of punctuation, with its offset, if anything is left.
fn push_word<'a>(list: &'a str, s: usize, e: usize, out: &mut Vec<(usize, &'a str)>) {
    let Some(w) = list.get(s..e) else {
        return;
    };
    let t = w.trim_matches(|c: char| !c.is_alphanumeric());
    if !t.is_empty() {
        out.push((s + w.find(t).unwrap_or(0), t));
    }
}

/// `1.1-1.4`, `1.1–1.4`, `FR-001-FR-003`, `2-4`: both ends ids of the same
/// stem whose last number counts up; the ids between, zero-padded as the
/// first is. `None` when the word is no range.
fn range(word: &str, id: Option<&Regex>) -> Option<Vec<String>> {
    let is_id = |w: &str| !w.is_empty() && id.is_none_or(|re| re.is_match(w));
    let (from, to) = word
        .char_indices()
        .filter(|&(_, c)| c == '-' || c == '–' || c == '—')
        .find_map(|(i, c)| {
            let (a, b) = (word.get(..i)?, word.get(i + c.len_utf8()..)?);
            (is_id(a) && is_id(b)).then_some((a, b))
        })?;
    let (stem_a, n_a) = split_number(from)?;
    let (stem_b, n_b) = split_number(to)?;
    let (a, b): (u32, u32) = (n_a.parse().ok()?, n_b.parse().ok()?);
    if stem_a != stem_b || b < a || b - a > MAX_RANGE {
        return None;
    }
    let width = n_a.len();
    Some((a..=b).map(|n| format!("{stem_a}{n:0width$}")).collect())
}

/// `1.12` → (`1.`, `12`); `FR-003` → (`FR-`, `003`).
fn split_number(id: &str) -> Option<(&str, &str)> {
    let digits = id.len() - id.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    (digits > 0).then(|| id.split_at(id.len() - digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kiro() -> (Cites, Regex) {
        let rule = Cites {
            pattern: String::new(),
            id: None,
            all: vec!["all".into()],
        };
        (rule, Regex::new(r"^\d+(?:\.\d+)*$").unwrap())
    }

    fn cited(list: &str) -> Vec<String> {
        let (rule, re) = kiro();
        ids(list, &rule, Some(&re))
            .into_iter()
            .map(|(i, _, _)| i)
            .collect()
    }

    #[test]
    fn lists_ranges_and_remarks() {
        assert_eq!(cited("1.1, 2.3"), ["1.1", "2.3"]);
        assert_eq!(cited("1.1–1.3, 4"), ["1.1", "1.2", "1.3", "4"]);
        assert_eq!(cited("2-4"), ["2", "3", "4"]);
        assert_eq!(cited("3.4 (done), 3.5 (done)"), ["3.4", "3.5"]);
        assert_eq!(cited("23 (ACs 1–5, 8–11)"), ["23"]);
        assert_eq!(cited("15.1/15.3"), ["15.1", "15.3"]);
        assert_eq!(cited("Requirement 2, 3"), ["2", "3"]);
        assert_eq!(cited("4.2, Property 2"), ["4.2", "2"]);
        assert_eq!(cited("X.Y"), Vec::<String>::new());
        assert_eq!(cited("All requirements 1-8"), [ALL]);
        assert_eq!(cited("all"), [ALL]);
        assert_eq!(cited("1.9-1.2"), Vec::<String>::new());
        assert_eq!(cited("1.1-1.9999"), Vec::<String>::new());
    }

    #[test]
    fn spans_point_at_the_words() {
        let (rule, re) = kiro();
        let list = "1.1, 2.1–2.2 (x)";
        let got = ids(list, &rule, Some(&re));
        assert_eq!(&list[got[0].1..got[0].2], "1.1");
        assert_eq!(&list[got[1].1..got[1].2], "2.1–2.2");
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn zero_padded_ranges_keep_their_width() {
        let rule = Cites {
            pattern: String::new(),
            id: None,
            all: Vec::new(),
        };
        let re = Regex::new(r"^FR-\d{3}$").unwrap();
        let got: Vec<String> = ids("FR-001-FR-003 and FR-010", &rule, Some(&re))
            .into_iter()
            .map(|(i, _, _)| i)
            .collect();
        assert_eq!(got, ["FR-001", "FR-002", "FR-003", "FR-010"]);
    }
}
