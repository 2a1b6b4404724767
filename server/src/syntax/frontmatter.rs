//! YAML frontmatter: find the fenced block, parse it with spans.
//!
//! saphyr reports markers in characters relative to the YAML text; every
//! range here is converted to bytes of the whole file so rules can point at
//! the exact key or value.

use saphyr::{MarkedYaml, Scalar, YamlData};
use serde::{Deserialize, Serialize};

use crate::text::{TextRange, to_u32};

/// Nesting deeper than this is kept as an opaque value: no rule looks that deep.
const MAX_DEPTH: usize = 16;
/// Alias expansion budget, far below saphyr's default: frontmatter is small.
const ALIAS_LIMIT: usize = 10_000;
/// saphyr loads block collections recursively, without a depth limit: a
/// crafted file overflows the stack. Nesting depth never exceeds a line's
/// indentation plus its leading `- `/`? ` markers, so bound that instead.
const MAX_NESTING: usize = 100;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Frontmatter {
    /// The whole block, fences included.
    pub range: TextRange,
    /// The opening fence line.
    pub open_range: TextRange,
    pub fields: Vec<FmField>,
    pub error: Option<FmError>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FmError {
    pub message: String,
    pub range: TextRange,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FmField {
    pub key: String,
    pub key_range: TextRange,
    pub value: FmValue,
    pub value_range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FmValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<FmItem>),
    Map(Vec<FmField>),
    /// Too deep, or a value YAML could not represent.
    Other,
}

impl PartialEq for FmField {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key && self.value == other.value
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FmItem {
    pub value: FmValue,
    pub range: TextRange,
}

impl FmValue {
    /// The scalar as text, as a human would read it back.
    pub fn as_text(&self) -> Option<String> {
        match self {
            FmValue::Str(s) => Some(s.clone()),
            FmValue::Int(i) => Some(i.to_string()),
            FmValue::Float(f) => Some(f.to_string()),
            FmValue::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A string, or the string of a list of one, nested at most twice
    /// (an unquoted `[[wikilink]]`); the wikilink's brackets are kept.
    pub fn single(&self) -> Option<String> {
        match self {
            FmValue::Str(s) => Some(s.clone()),
            FmValue::List(items) => match items.as_slice() {
                [one] => match &one.value {
                    FmValue::Str(s) => Some(s.clone()),
                    FmValue::List(inner) => match inner.as_slice() {
                        [
                            FmItem {
                                value: FmValue::Str(s),
                                ..
                            },
                        ] => Some(format!("[[{s}]]")),
                        _ => None,
                    },
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            FmValue::Null => "null",
            FmValue::Bool(_) => "a boolean",
            FmValue::Int(_) | FmValue::Float(_) => "a number",
            FmValue::Str(_) => "a string",
            FmValue::List(_) => "a list",
            FmValue::Map(_) => "a mapping",
            FmValue::Other => "a complex value",
        }
    }
}

impl Frontmatter {
    pub fn get(&self, key: &str) -> Option<&FmField> {
        self.fields.iter().find(|f| f.key == key)
    }
}

impl FmField {
    /// The one path a path field names, with its range: a string, or a list
    /// of one (`source: [a.md]`, `- a.md`), or an unquoted wikilink
    /// (`[[a]]`, which YAML reads as a list of a list of one).
    pub fn single_text(&self) -> Option<(String, TextRange)> {
        match &self.value {
            FmValue::Str(s) => Some((s.clone(), self.value_range)),
            FmValue::List(_) => self.value.single().map(|s| (s, self.value_range)),
            _ => None,
        }
    }

    /// A scalar, or each scalar of a list, as text with its range.
    pub fn text_items(&self) -> Vec<(String, TextRange)> {
        match &self.value {
            FmValue::Str(s) => vec![(s.clone(), self.value_range)],
            FmValue::List(items) => items
                .iter()
                .filter_map(|i| Some((i.value.as_text()?, i.range)))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Where the frontmatter block is, if the text starts with one.
struct Block {
    open: TextRange,
    yaml: TextRange,
    /// End of the closing fence line, or None when unterminated.
    close_end: Option<u32>,
}

fn find_block(text: &str) -> Option<Block> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = text.get(start..)?;
    let first_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if rest.get(..first_end)?.trim_end() != "---" {
        return None;
    }
    let yaml_start = start + first_end;
    let mut pos = yaml_start;
    while pos < text.len() {
        let line_end = text
            .get(pos..)?
            .find('\n')
            .map_or(text.len(), |i| pos + i + 1);
        let line = text.get(pos..line_end)?.trim_end();
        if line == "---" || line == "..." {
            return Some(Block {
                open: TextRange::from_usize(start, start + first_end),
                yaml: TextRange::from_usize(yaml_start, pos),
                close_end: Some(to_u32(line_end)),
            });
        }
        pos = line_end;
    }
    Some(Block {
        open: TextRange::from_usize(start, start + first_end),
        yaml: TextRange::from_usize(yaml_start, text.len()),
        close_end: None,
    })
}

/// Parses the frontmatter at the start of `text`, if there is one.
pub fn parse(text: &str) -> Option<Frontmatter> {
    let block = find_block(text)?;
    let open_line = TextRange::new(block.open.start, block.open.start + 3);
    let Some(close_end) = block.close_end else {
        return Some(Frontmatter {
            range: TextRange::new(block.open.start, to_u32(text.len())),
            open_range: open_line,
            fields: Vec::new(),
            error: Some(FmError {
                message: "frontmatter is not closed: add a `---` line after the last key".into(),
                range: open_line,
            }),
        });
    };
    let yaml = block.yaml.slice(text);
    let chars = CharOffsets::new(yaml, block.yaml.start);
    let mut fm = Frontmatter {
        range: TextRange::new(block.open.start, close_end),
        open_range: open_line,
        fields: Vec::new(),
        error: None,
    };
    if yaml.trim().is_empty() {
        return Some(fm);
    }
    if let Some((line_start, depth)) = too_deep(yaml) {
        let at = block.yaml.start + to_u32(line_start);
        fm.error = Some(FmError {
            message: format!(
                "frontmatter nests {depth} levels deep; at most {MAX_NESTING} are read"
            ),
            range: TextRange::new(at, line_end(text, at)),
        });
        return Some(fm);
    }
    match load(yaml) {
        Err(err) => {
            let mut at = chars.byte(err.marker().index());
            // Broken at the end (an unclosed list or quote): point at the last YAML line.
            if at >= block.yaml.end.saturating_sub(1) {
                at = last_line_start(text, block.yaml);
            }
            let end = line_end(text, at).max(at + 1).min(block.yaml.end.max(at));
            fm.error = Some(FmError {
                message: format!("YAML syntax error: {}", err.info()),
                range: TextRange::new(at, end),
            });
        }
        Ok(docs) => match docs.first().map(|d| &d.data) {
            Some(YamlData::Mapping(map)) => {
                fm.fields = map.iter().map(|(k, v)| field(k, v, &chars, 0)).collect();
            }
            Some(YamlData::Value(Scalar::Null)) | None => {}
            Some(_) => {
                fm.error = Some(FmError {
                    message: "frontmatter must be a mapping of `key: value` lines".into(),
                    range: block.yaml,
                });
            }
        },
    }
    Some(fm)
}

/// The first line whose possible nesting exceeds the limit, with that depth.
fn too_deep(yaml: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let mut rest = line.get(indent..).unwrap_or("");
        let mut depth = indent;
        while let Some(r) = rest.strip_prefix("- ").or_else(|| rest.strip_prefix("? ")) {
            depth += 2;
            rest = r.trim_start_matches(' ');
        }
        if depth > MAX_NESTING * 2 {
            return Some((start, depth / 2));
        }
    }
    None
}

fn load(yaml: &str) -> Result<Vec<MarkedYaml<'_>>, saphyr::ScanError> {
    let mut parser = saphyr_parser::Parser::new_from_str(yaml);
    let mut loader = saphyr::YamlLoader::<MarkedYaml>::default();
    loader.alias_limit(ALIAS_LIMIT);
    parser.load(&mut loader, false)?;
    if let Some(err) = loader.error() {
        return Err(err.clone());
    }
    Ok(loader.into_documents())
}

fn last_line_start(text: &str, yaml: TextRange) -> u32 {
    let body = yaml.slice(text).trim_end();
    let start = body.rfind('\n').map_or(0, |i| i + 1);
    let line = body.get(start..).unwrap_or("");
    yaml.start + to_u32(start + line.len() - line.trim_start().len())
}

fn line_end(text: &str, at: u32) -> u32 {
    let rest = text.get(at as usize..).unwrap_or("");
    at + to_u32(rest.find(['\n', '\r']).unwrap_or(rest.len()))
}

fn field(k: &MarkedYaml, v: &MarkedYaml, chars: &CharOffsets, depth: usize) -> FmField {
    let key = match &k.data {
        YamlData::Value(s) => scalar_text(s),
        _ => String::new(),
    };
    FmField {
        key,
        key_range: chars.range(k),
        value: value(v, chars, depth + 1),
        value_range: chars.range(v),
    }
}

fn value(v: &MarkedYaml, chars: &CharOffsets, depth: usize) -> FmValue {
    if depth > MAX_DEPTH {
        return FmValue::Other;
    }
    match &v.data {
        YamlData::Value(Scalar::Null) => FmValue::Null,
        YamlData::Value(Scalar::Boolean(b)) => FmValue::Bool(*b),
        YamlData::Value(Scalar::Integer(i)) => FmValue::Int(*i),
        YamlData::Value(Scalar::FloatingPoint(f)) => FmValue::Float(f.into_inner()),
        YamlData::Value(Scalar::String(s)) => FmValue::Str(s.to_string()),
        YamlData::Sequence(items) => FmValue::List(
            items
                .iter()
                .map(|i| FmItem {
                    value: value(i, chars, depth + 1),
                    range: chars.range(i),
                })
                .collect(),
        ),
        YamlData::Mapping(map) => FmValue::Map(
            map.iter()
                .map(|(k, v)| field(k, v, chars, depth + 1))
                .collect(),
        ),
        YamlData::Tagged(_, inner) => value(inner, chars, depth + 1),
        _ => FmValue::Other,
    }
}

fn scalar_text(s: &Scalar) -> String {
    match s {
        Scalar::Null => "null".into(),
        Scalar::Boolean(b) => b.to_string(),
        Scalar::Integer(i) => i.to_string(),
        Scalar::FloatingPoint(f) => f.to_string(),
        Scalar::String(s) => s.to_string(),
    }
}

/// saphyr counts characters; the rest of the program counts bytes.
struct CharOffsets {
    base: u32,
    /// Byte offset of each character, only when the YAML is not ASCII.
    table: Option<Vec<u32>>,
    len: u32,
}

impl CharOffsets {
    fn new(yaml: &str, base: u32) -> CharOffsets {
        let table =
            (!yaml.is_ascii()).then(|| yaml.char_indices().map(|(i, _)| to_u32(i)).collect());
        CharOffsets {
            base,
            table,
            len: to_u32(yaml.len()),
        }
    }

    fn byte(&self, char_index: usize) -> u32 {
        let local = match &self.table {
            None => to_u32(char_index).min(self.len),
            Some(t) => t.get(char_index).copied().unwrap_or(self.len),
        };
        self.base + local
    }

    fn range(&self, node: &MarkedYaml) -> TextRange {
        TextRange::new(
            self.byte(node.span.start.index()),
            self.byte(node.span.end.index()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, r: TextRange) -> &str {
        r.slice(text)
    }

    #[test]
    fn fields_have_exact_ranges() {
        let text = "---\ntitle: \"Héllo 😀\"\ntags: [a, b]\nstatus: Draft\n---\n# T\n";
        let fm = parse(text).unwrap();
        assert!(fm.error.is_none(), "{:?}", fm.error);
        let status = fm.get("status").unwrap();
        assert_eq!(at(text, status.key_range), "status");
        assert_eq!(at(text, status.value_range), "Draft");
        let tags = fm.get("tags").unwrap();
        let FmValue::List(items) = &tags.value else {
            panic!()
        };
        assert_eq!(at(text, items[1].range), "b");
        assert_eq!(
            fm.get("title").unwrap().value,
            FmValue::Str("Héllo 😀".into())
        );
        assert_eq!(at(text, fm.range), &text[..text.find("# T").unwrap()]);
    }

    #[test]
    fn syntax_error_is_placed_where_yaml_breaks() {
        let text = "---\nok: 1\ntags: [a, b\nnext: 2\n---\n";
        let fm = parse(text).unwrap();
        let err = fm.error.unwrap();
        assert!(err.range.start >= 11, "{err:?}");
    }

    #[test]
    fn unterminated_is_an_error_on_the_fence() {
        let fm = parse("---\na: 1\n# Title\n").unwrap();
        let err = fm.error.unwrap();
        assert_eq!(err.range, TextRange::new(0, 3));
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut y = String::from("---\na: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for i in 0..9 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            y.push_str(&format!("l{i}: &l{i} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        y.push_str("---\n");
        let fm = parse(&y).unwrap();
        assert!(fm.error.is_some());
    }

    #[test]
    fn deep_block_nesting_is_refused_not_overflowed() {
        let mut y = String::from("---\n");
        for i in 0..3000 {
            y.push_str(&" ".repeat(i));
            y.push_str(&format!("k{i}:\n"));
        }
        y.push_str("---\n# T\n");
        let err = parse(&y).unwrap().error.unwrap();
        assert!(err.message.contains("levels deep"), "{err:?}");
        let seq = format!("---\nx:\n{}a\n---\n", "- ".repeat(5000));
        assert!(parse(&seq).unwrap().error.is_some());
        // Ordinary nesting is fine.
        assert!(
            parse("---\na:\n  b:\n    - c: 1\n---\n")
                .unwrap()
                .error
                .is_none()
        );
    }

    #[test]
    fn no_frontmatter() {
        assert!(parse("# Title\n---\n").is_none());
        assert!(parse("").is_none());
    }

    #[test]
    fn crlf_and_bom() {
        let text = "\u{feff}---\r\nstatus: Draft\r\n---\r\n# T\r\n";
        let fm = parse(text).unwrap();
        assert!(fm.error.is_none());
        assert_eq!(at(text, fm.get("status").unwrap().value_range), "Draft");
    }
}
