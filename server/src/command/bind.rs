//! Binding a written command line to its declaration: which word is which
//! argument or flag, and what is wrong with them.

use crate::artifact::CommandUse;
use crate::schema::{Command, CommandArg, CommandFlag};
use crate::text::TextRange;

/// What one written word is.
#[derive(Debug, Clone, Copy)]
pub enum Word<'c> {
    /// The positional argument it fills (None: one too many).
    Arg(Option<&'c CommandArg>),
    /// A flag (None: not one the command declares).
    Flag(Option<&'c CommandFlag>),
    /// The value of the flag before it.
    FlagValue(&'c CommandFlag),
}

#[derive(Debug)]
pub struct Bound<'c> {
    /// One per word of the command line, in order.
    pub words: Vec<Word<'c>>,
    pub problems: Vec<(TextRange, String)>,
}

impl<'c> Bound<'c> {
    /// The words (text, range) given for the declared argument named `name`,
    /// joined when it takes the rest of the line.
    pub fn arg(&self, u: &CommandUse, name: &str) -> Option<(String, TextRange)> {
        let mut found: Option<(String, TextRange)> = None;
        for (w, (text, range)) in self.words.iter().zip(&u.args) {
            if let Word::Arg(Some(a)) = w
                && a.name == name
            {
                found = Some(match found {
                    None => (text.clone(), *range),
                    Some((t, r)) => (format!("{t} {text}"), TextRange::new(r.start, range.end)),
                });
            }
        }
        found
    }

    pub fn has_flag(&self, name: &str) -> bool {
        self.words
            .iter()
            .any(|w| matches!(w, Word::Flag(Some(f)) if f.name == name))
    }
}

fn is_flag(word: &str) -> bool {
    word.len() > 1 && word.starts_with('-') && !word.starts_with("- ")
}

pub fn bind<'c>(cmd: &'c Command, u: &CommandUse) -> Bound<'c> {
    let mut words = Vec::with_capacity(u.args.len());
    let mut problems = Vec::new();
    let mut positional = 0usize;
    let mut seen_flags: Vec<&CommandFlag> = Vec::new();
    let mut pending_value: Option<&'c CommandFlag> = None;
    let mut extra: Option<TextRange> = None;
    for (word, range) in &u.args {
        if let Some(flag) = pending_value.take() {
            if is_flag(word) {
                problems.push((
                    seen_range(u, flag).unwrap_or(*range),
                    format!("`{}` needs a value{}", flag.name, one_of(&flag.values)),
                ));
            } else {
                if !flag.values.is_empty() && !flag.values.iter().any(|v| v == word) {
                    let hint = crate::text::closest(word, flag.values.iter().map(String::as_str))
                        .map(|c| format!(" (did you mean `{c}`?)"))
                        .unwrap_or_default();
                    problems.push((
                        *range,
                        format!(
                            "`{word}` is not a value of `{}`{}{hint}",
                            flag.name,
                            one_of(&flag.values)
                        ),
                    ));
                }
                words.push(Word::FlagValue(flag));
                continue;
            }
        }
        if is_flag(word) {
            let (name, inline_value) = match word.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (word.as_str(), None),
            };
            let Some(flag) = cmd.flags.iter().find(|f| f.name == name) else {
                let hint = crate::text::closest(name, cmd.flags.iter().map(|f| f.name.as_str()))
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                let known = if cmd.flags.is_empty() {
                    format!("`{}` takes no flags", cmd.name)
                } else {
                    format!(
                        "known: {}",
                        cmd.flags
                            .iter()
                            .map(|f| format!("`{}`", f.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                problems.push((*range, format!("unknown flag `{name}`{hint}; {known}")));
                words.push(Word::Flag(None));
                continue;
            };
            if seen_flags.iter().any(|f| f.name == flag.name) {
                problems.push((*range, format!("`{}` is given twice", flag.name)));
            } else if let Some(other) = seen_flags
                .iter()
                .find(|f| flag.conflicts.contains(&f.name) || f.conflicts.contains(&flag.name))
            {
                problems.push((
                    *range,
                    format!(
                        "`{}` cannot be used with `{}`: run them as two commands",
                        flag.name, other.name
                    ),
                ));
            }
            seen_flags.push(flag);
            match (flag.value, inline_value) {
                (true, None) => pending_value = Some(flag),
                (true, Some(v))
                    if !flag.values.is_empty() && !flag.values.iter().any(|x| x == v) =>
                {
                    problems.push((
                        *range,
                        format!(
                            "`{v}` is not a value of `{}`{}",
                            flag.name,
                            one_of(&flag.values)
                        ),
                    ));
                }
                (false, Some(_)) => {
                    problems.push((*range, format!("`{}` takes no value", flag.name)));
                }
                _ => {}
            }
            words.push(Word::Flag(Some(flag)));
            continue;
        }
        let decl = cmd.args.get(positional).or_else(|| {
            // A rest argument keeps taking words.
            cmd.args
                .last()
                .filter(|a| a.rest && positional >= cmd.args.len())
        });
        if decl.is_none() && extra.is_none() {
            extra = Some(*range);
        }
        if let Some(e) = extra.as_mut() {
            *e = TextRange::new(e.start, range.end);
        }
        positional += 1;
        words.push(Word::Arg(decl));
    }
    if let Some(flag) = pending_value {
        problems.push((
            seen_range(u, flag).unwrap_or(u.name_range),
            format!("`{}` needs a value{}", flag.name, one_of(&flag.values)),
        ));
    }
    if let Some(range) = extra {
        let takes = match cmd.args.len() {
            0 => "no arguments".to_string(),
            1 => format!(
                "one argument, <{}>",
                cmd.args.iter().map(|a| a.name.as_str()).collect::<String>()
            ),
            n => format!(
                "{n} arguments: {}",
                cmd.args
                    .iter()
                    .map(|a| format!("<{}>", a.name))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        };
        let quote = if cmd.args.last().is_some_and(|a| a.kind == "text") {
            "; quote text that has spaces"
        } else {
            ""
        };
        problems.push((
            range,
            format!("unexpected argument: `{}` takes {takes}{quote}", cmd.name),
        ));
    }
    for a in cmd.args.iter().skip(positional).filter(|a| a.required) {
        let what = if a.description.is_empty() {
            String::new()
        } else {
            format!(": {}", a.description)
        };
        problems.push((
            u.name_range,
            format!("`{}` needs <{}>{what}", cmd.name, a.name),
        ));
    }
    Bound { words, problems }
}

fn seen_range(u: &CommandUse, flag: &CommandFlag) -> Option<TextRange> {
    u.args
        .iter()
        .find(|(w, _)| w == &flag.name || w.split_once('=').is_some_and(|(n, _)| n == flag.name))
        .map(|(_, r)| *r)
}

fn one_of(values: &[String]) -> String {
    if values.is_empty() {
        String::new()
    } else {
        format!(
            "; one of: {}",
            values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}
