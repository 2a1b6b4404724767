//! One essential section of a source as the digest holds it: every item
//! (list item, paragraph, table row, open task) kept whole and never cut;
//! code blocks, completed tasks and the sub-sections the flavor marks
//! `digest = "pointer"` replaced by one line naming the file and heading;
//! command lines (`/plan x.md`) and `digest = "drop"` sub-sections left out.

use crate::artifact::Artifact;
use crate::text::TextRange;

/// A sub-section the digest does not copy: where it is and what becomes of it.
pub struct Skip {
    pub extent: TextRange,
    pub heading: String,
    /// A pointer line (true) or nothing.
    pub point: bool,
}

pub struct Input<'a> {
    pub art: &'a Artifact,
    pub text: &'a str,
    pub extent: TextRange,
    /// `#` marks added to headings inside the extent.
    pub shift: u8,
    pub relinks: &'a [(TextRange, String)],
    pub skips: &'a [Skip],
}

/// The condensed text, and the essential items it holds (each the source's
/// lines of one item, joined): what `recall` looks for in the digest.
pub struct Condensed {
    pub text: String,
    pub items: Vec<String>,
}

pub fn condense(inp: &Input, heading: &str) -> Condensed {
    let art = inp.art;
    let extent = inp.extent;
    let headings: Vec<(u32, &str)> = art
        .sections
        .iter()
        .filter(|s| extent.contains_range(s.range))
        .map(|s| (s.range.start, s.text.as_str()))
        .collect();
    let done: Vec<(u32, u32)> = art
        .tasks
        .iter()
        .filter(|t| t.checked && extent.contains_range(t.range))
        .map(|t| (t.range.start, t.indent))
        .collect();
    let mut w = Writer {
        path: &art.path,
        heading: heading.to_string(),
        out: String::new(),
        items: Vec::new(),
        item: None,
        done: 0,
    };
    let mut fence: Option<Fence> = None;
    let mut skip_deeper_than: Option<usize> = None;
    let mut skip_until: Option<u32> = None;
    let mut pos = extent.start as usize;
    let slice = inp
        .text
        .get(extent.start as usize..extent.end as usize)
        .unwrap_or("");
    for line in slice.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let line_range = TextRange::from_usize(start, pos);
        let trimmed = line.trim_start_matches([' ', '\t']);
        if let Some(f) = &mut fence {
            f.lines += 1;
            if trimmed.starts_with(f.marker)
                && trimmed
                    .trim_end()
                    .trim_matches(|c| c == '`' || c == '~')
                    .is_empty()
            {
                let f = fence.take();
                if let Some(f) = f {
                    w.code(&f);
                }
            } else if !line.trim().is_empty() && !is_command(line) {
                f.commands_only = false;
            }
            continue;
        }
        if let Some(end) = skip_until {
            if (start as u32) < end {
                continue;
            }
            skip_until = None;
        }
        if let Some(s) = inp.skips.iter().find(|s| s.extent.start as usize == start) {
            w.end_item();
            if s.point {
                let body = body_lines(inp.text, s.extent);
                w.pointer(&format!("{} ({})", s.heading, lines(body)), &s.heading);
            }
            skip_until = Some(s.extent.end);
            continue;
        }
        let lead = line.len() - trimmed.len();
        if let Some(indent) = skip_deeper_than {
            if !line.trim().is_empty() && lead > indent {
                continue;
            }
            skip_deeper_than = None;
        }
        if let Some(&(_, indent)) = done.iter().find(|(s, _)| line_range.contains(*s)) {
            w.end_item();
            w.done += 1;
            skip_deeper_than = Some(indent as usize);
            continue;
        }
        if let Some(marker) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) {
            w.end_item();
            fence = Some(Fence {
                marker,
                lang: trimmed
                    .trim_start_matches(['`', '~'])
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_string(),
                lines: 0,
                commands_only: true,
            });
            continue;
        }
        if is_command(line) {
            w.end_item();
            continue;
        }
        if let Some(&(_, text)) = headings.iter().find(|(h, _)| line_range.contains(*h))
            && line.starts_with('#')
        {
            w.end_item();
            w.flush_done();
            w.heading = text.to_string();
            if inp.shift > 0 {
                let hashes = line.len() - line.trim_start_matches('#').len();
                let add = usize::from(inp.shift).min(6usize.saturating_sub(hashes));
                w.out.push_str(&"#".repeat(add));
            }
            w.out.push_str(line);
            continue;
        }
        if line.trim().is_empty() {
            w.end_item();
            w.out.push_str(line);
            continue;
        }
        let starts_item = is_list_item(trimmed) || trimmed.starts_with('|');
        if starts_item {
            w.end_item();
        }
        let kept = relinked(line, start, inp.relinks);
        w.item.get_or_insert_with(String::new).push_str(&kept);
        w.out.push_str(&kept);
        if trimmed.starts_with('|') {
            w.end_item();
        }
    }
    if let Some(f) = fence.take() {
        w.code(&f);
    }
    w.end_item();
    w.flush_done();
    Condensed {
        text: w.out,
        items: w.items,
    }
}

struct Fence {
    marker: &'static str,
    lang: String,
    lines: usize,
    commands_only: bool,
}

struct Writer<'a> {
    path: &'a str,
    heading: String,
    out: String,
    items: Vec<String>,
    item: Option<String>,
    /// Completed tasks left out under the current heading.
    done: usize,
}

impl Writer<'_> {
    fn end_item(&mut self) {
        if let Some(i) = self.item.take() {
            let t = i.trim();
            // A table's delimiter row is no item.
            if !t.is_empty() && !t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
                self.items.push(t.to_string());
            }
        }
    }

    /// One line naming what is left out and where it is.
    fn pointer(&mut self, what: &str, heading: &str) {
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            if !self.out.ends_with('\n') {
                self.out.push('\n');
            }
            self.out.push('\n');
        }
        self.out.push_str(&format!(
            "_↪ {what}: `{}` § {heading}_\n\n",
            file_name(self.path)
        ));
    }

    fn code(&mut self, f: &Fence) {
        // A block of slash commands (`/plan x.md`) is a command, not content.
        if f.commands_only {
            return;
        }
        let body = f.lines.saturating_sub(1);
        let lang = if f.lang.is_empty() {
            String::new()
        } else {
            format!("{}, ", f.lang)
        };
        let heading = self.heading.clone();
        self.pointer(&format!("code block ({lang}{})", lines(body)), &heading);
    }

    fn flush_done(&mut self) {
        if self.done == 0 {
            return;
        }
        let n = self.done;
        self.done = 0;
        let tasks = if n == 1 { "task" } else { "tasks" };
        let heading = self.heading.clone();
        self.pointer(&format!("{n} completed {tasks}"), &heading);
    }
}

/// The file name of a root-relative path: the source's heading above gives
/// the whole path once; each pointer names the file, short.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Non-blank lines of a section's extent, its heading line left out.
pub fn body_lines(text: &str, extent: TextRange) -> usize {
    text.get(extent.start as usize..extent.end as usize)
        .map_or(0, |t| {
            t.lines().skip(1).filter(|l| !l.trim().is_empty()).count()
        })
}

/// `1 line`, `12 lines`.
pub fn lines(n: usize) -> String {
    if n == 1 {
        "1 line".into()
    } else {
        format!("{n} lines")
    }
}

/// A line that only runs an agent command: `/plan x.md`, `` `/bundle-save x` ``,
/// `1. /implement --dry-run`. Read by the agent that wrote the note, noise to
/// the one that resumes it.
pub fn is_command(line: &str) -> bool {
    let t = line.trim();
    let t = strip_list_marker(t).trim().trim_matches('`').trim();
    let Some(rest) = t.strip_prefix('/') else {
        return false;
    };
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':'))
        .collect();
    !word.is_empty()
        && word.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && rest
            .get(word.len()..)
            .and_then(|r| r.chars().next())
            .is_none_or(|c| c == ' ')
        && !t.contains('`')
}

fn strip_list_marker(t: &str) -> &str {
    if let Some(r) = t.strip_prefix(['-', '*', '+'])
        && (r.starts_with(' ') || r.is_empty())
    {
        return r;
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0
        && let Some(r) = t.get(digits..).and_then(|r| r.strip_prefix(['.', ')']))
        && (r.starts_with(' ') || r.is_empty())
    {
        return r;
    }
    t
}

pub fn is_list_item(trimmed: &str) -> bool {
    strip_list_marker(trimmed).len() != trimmed.len()
}

/// `line` (which starts at byte `start` of the source) with the link
/// destinations inside it replaced.
pub fn relinked(line: &str, start: usize, relinks: &[(TextRange, String)]) -> String {
    let end = start + line.len();
    let mut inside: Vec<&(TextRange, String)> = relinks
        .iter()
        .filter(|(r, _)| r.start as usize >= start && r.end as usize <= end)
        .collect();
    if inside.is_empty() {
        return line.to_string();
    }
    inside.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = line.to_string();
    for (r, new) in inside {
        let (s, e) = (r.start as usize - start, r.end as usize - start);
        if out.is_char_boundary(s) && out.is_char_boundary(e) && s <= e {
            out.replace_range(s..e, new);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands() {
        assert!(is_command("/plan redis-caching-research.md\n"));
        assert!(is_command("2. `/bundle-save k8s-upgrade-plan`"));
        assert!(is_command("- /implement"));
        assert!(!is_command("/etc/hosts is read at boot"));
        assert!(!is_command("Plan the work: `/plan x.md`"));
        assert!(!is_command("/ root"));
        assert!(!is_command("- a finding"));
    }

    #[test]
    fn list_items() {
        assert!(is_list_item("- a"));
        assert!(is_list_item("12. a"));
        assert!(is_list_item("1) a"));
        assert!(!is_list_item("-a"));
        assert!(!is_list_item("2025 was"));
    }
}
