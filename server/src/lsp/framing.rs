//! The stdio pump in front of tower-lsp-server. Its reader ends the session
//! at the first frame it cannot decode (tokio's `FramedRead` stops after a
//! decoder error), so one malformed message would end the server. Here every
//! frame is cut out by [`Deframer`] and checked against what the library can
//! decode; a bad one is answered with the JSON-RPC error and dropped, good
//! ones go on unchanged. Both the server's frames and these answers reach
//! stdout whole, one at a time.
//!
//! The input side never loses its footing for good: a header block is bounded
//! ([`MAX_HEADER`]), a length over [`MAX_FRAME`] is answered at once, and after
//! any framing error (or a body that ends before its declared length) the
//! reader resynchronises on the next `Content-Length:` header.
//!
//! The output side never stops: a frame from the server over the cap is not
//! sent; a response is replaced by an error response to the same id, anything
//! else by a `window/logMessage` saying what was dropped.

use std::sync::Arc;

use serde_json::{Value, json};
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
};
use tokio::sync::Mutex;
use tower_lsp_server::jsonrpc::{Request, Response};

/// Larger frames are refused, in either direction.
pub const MAX_FRAME: usize = 64 << 20;
/// One header block (every line up to the blank line) is at most this long.
pub const MAX_HEADER: usize = 8 << 10;
/// Where a frame starts; matched ASCII case-insensitively, like the header name.
const MARKER: &[u8] = b"content-length:";
/// Header values echoed in an error are cut to this many characters.
const ECHO: usize = 64;

const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const INTERNAL_ERROR: i64 = -32603;

pub type Out<W> = Arc<Mutex<W>>;

/// What the deframer found in the input.
#[derive(Debug, PartialEq)]
pub enum Event {
    /// A whole body, as declared by its `Content-Length`.
    Frame(Vec<u8>),
    /// A framing error to answer: code, message, id (null when unusable).
    Bad(i64, String, Value),
}

#[derive(Debug)]
enum Mode {
    /// Reading a header block.
    Header,
    /// Reading a body of `len` bytes; `scan` watches for a body that ends early.
    Body { len: usize, scan: Scan },
    /// Lost: discarding input up to the next `Content-Length:`.
    Skip,
}

/// Where the body's top-level object or array closes, found byte by byte (in
/// linear time) while the body is still arriving. A valid body has nothing but
/// whitespace after it; anything else means the declared length was too large
/// and the next frame has begun.
#[derive(Debug, Default)]
struct Scan {
    pos: usize,
    depth: usize,
    in_str: bool,
    esc: bool,
    started: bool,
    /// The top-level value is not a container: no early end can be seen.
    blind: bool,
    /// One past the closing bracket of the top-level value.
    end: Option<usize>,
}

impl Scan {
    /// Scans `bytes[self.pos..]`; returns where the next frame begins if a
    /// non-whitespace byte follows the closed top-level value.
    fn feed(&mut self, bytes: &[u8]) -> Option<usize> {
        while self.pos < bytes.len() && !self.blind {
            let b = bytes[self.pos];
            self.pos += 1;
            if let Some(end) = self.end {
                if !b.is_ascii_whitespace() {
                    return Some(end);
                }
                continue;
            }
            if self.in_str {
                match (self.esc, b) {
                    (true, _) => self.esc = false,
                    (false, b'\\') => self.esc = true,
                    (false, b'"') => self.in_str = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' if self.started => self.in_str = true,
                b'{' | b'[' => {
                    self.started = true;
                    self.depth += 1;
                }
                b'}' | b']' if self.started => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        self.end = Some(self.pos);
                    }
                }
                _ if !self.started && !b.is_ascii_whitespace() => self.blind = true,
                _ => {}
            }
        }
        None
    }
}

/// Cuts frames out of a byte stream. Feed input with [`Deframer::push`], then
/// take events with [`Deframer::next`] until it returns `None`.
pub struct Deframer {
    buf: Vec<u8>,
    mode: Mode,
    max_frame: usize,
    /// Header bytes already searched for the blank line, so that a header
    /// fed byte by byte costs linear time.
    header_seen: usize,
}

impl Default for Deframer {
    fn default() -> Self {
        Deframer::new(MAX_FRAME)
    }
}

impl Deframer {
    pub fn new(max_frame: usize) -> Deframer {
        Deframer {
            buf: Vec::new(),
            mode: Mode::Header,
            max_frame,
            header_seen: 0,
        }
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next event the buffered input holds, or `None` until more arrives.
    pub fn next_event(&mut self) -> Option<Event> {
        loop {
            match &mut self.mode {
                Mode::Skip => {
                    match find_marker(&self.buf) {
                        Some(p) => {
                            self.buf.drain(..p);
                            self.mode = Mode::Header;
                        }
                        None => {
                            // Keep a tail that may be the start of a split marker.
                            let keep = self.buf.len().min(MARKER.len() - 1);
                            self.buf.drain(..self.buf.len() - keep);
                            return None;
                        }
                    }
                }
                Mode::Header => return self.header(),
                Mode::Body { len, scan } => {
                    let len = *len;
                    let limit = self.buf.len().min(len);
                    if let Some(end) = scan.feed(&self.buf[..limit]) {
                        let id = serde_json::from_slice::<Value>(&self.buf[..end])
                            .map(|v| usable_id(&v))
                            .unwrap_or(Value::Null);
                        self.buf.drain(..end);
                        self.mode = Mode::Skip;
                        return Some(Event::Bad(
                            PARSE_ERROR,
                            format!(
                                "Parse error: Content-Length {len} but the message ends after {end} bytes"
                            ),
                            id,
                        ));
                    }
                    if self.buf.len() < len {
                        return None;
                    }
                    let body: Vec<u8> = self.buf.drain(..len).collect();
                    self.mode = Mode::Header;
                    return Some(Event::Frame(body));
                }
            }
        }
    }

    fn header(&mut self) -> Option<Event> {
        // Blank lines between frames are tolerated.
        let start = self.buf.iter().position(|b| *b != b'\r' && *b != b'\n');
        match start {
            Some(s) => {
                if s > 0 {
                    self.buf.drain(..s);
                    self.header_seen = 0;
                }
            }
            None => {
                self.buf.clear();
                self.header_seen = 0;
                return None;
            }
        }
        let window = &self.buf[..self.buf.len().min(MAX_HEADER)];
        // The blank line's first `\n` may be up to 2 bytes before the end seen.
        let from = self.header_seen.saturating_sub(2);
        let found = blank_line(window, from);
        self.header_seen = window.len();
        let Some((head_len, total)) = found else {
            if self.buf.len() >= MAX_HEADER {
                return Some(self.lost(
                    1,
                    format!("Parse error: header over {MAX_HEADER} bytes without a blank line"),
                ));
            }
            return None;
        };
        let mut length = None;
        let mut problem = None;
        // Where to resume after an error: past the last Content-Length line read.
        let mut resume = 1;
        let mut at = 0;
        for line in self.buf[..head_len].split(|b| *b == b'\n') {
            let line_at = at;
            at += line.len() + 1;
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let Some(colon) = line.iter().position(|b| *b == b':') else {
                continue;
            };
            if !line[..colon]
                .trim_ascii()
                .eq_ignore_ascii_case(b"content-length")
            {
                continue;
            }
            let lead = line.iter().take_while(|b| b.is_ascii_whitespace()).count();
            resume = line_at + lead + 1;
            let value = line[colon + 1..].trim_ascii();
            match std::str::from_utf8(value) {
                Ok(v) => match v.parse::<usize>() {
                    Ok(n) => {
                        length = Some(n);
                        problem = None;
                    }
                    Err(_) => {
                        problem = Some(format!("bad Content-Length `{}`", echo(v)));
                    }
                },
                Err(_) => problem = Some("a Content-Length that is not UTF-8".into()),
            }
        }
        if let Some(p) = problem {
            return Some(self.lost(resume, format!("Parse error: {p}")));
        }
        let Some(n) = length else {
            return Some(self.lost(resume, "Parse error: no Content-Length header".into()));
        };
        if n > self.max_frame {
            return Some(self.lost(
                resume,
                format!(
                    "Parse error: message of {n} bytes; at most {}",
                    self.max_frame
                ),
            ));
        }
        self.buf.drain(..total);
        self.header_seen = 0;
        self.mode = Mode::Body {
            len: n,
            scan: Scan::default(),
        };
        self.next_event()
    }

    /// A framing error: drop `skip` bytes, then look for the next header.
    fn lost(&mut self, skip: usize, message: String) -> Event {
        self.buf.drain(..skip.min(self.buf.len()));
        self.header_seen = 0;
        self.mode = Mode::Skip;
        Event::Bad(PARSE_ERROR, message, Value::Null)
    }
}

/// The end of the header block: (length of its lines, length with the blank line).
fn blank_line(buf: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut i = from.min(buf.len());
    while let Some(nl) = buf[i..].iter().position(|b| *b == b'\n') {
        let at = i + nl;
        match buf.get(at + 1..) {
            Some([b'\n', ..]) => return Some((at, at + 2)),
            Some([b'\r', b'\n', ..]) => return Some((at, at + 3)),
            _ => {}
        }
        i = at + 1;
    }
    None
}

fn find_marker(buf: &[u8]) -> Option<usize> {
    buf.windows(MARKER.len())
        .position(|w| w.eq_ignore_ascii_case(MARKER))
}

fn echo(s: &str) -> String {
    if s.chars().count() <= ECHO {
        return s.to_string();
    }
    let cut: String = s.chars().take(ECHO).collect();
    format!("{cut}…")
}

/// An id the client can match: a string or an integer within i64.
fn usable_id(v: &Value) -> Value {
    match v.get("id") {
        Some(Value::String(s)) => Value::String(s.clone()),
        Some(Value::Number(n)) if n.is_i64() => Value::Number(n.clone()),
        _ => Value::Null,
    }
}

/// Why a body is not a message tower-lsp-server can take: (code, message, id).
fn check(body: &[u8]) -> Result<(), (i64, String, Value)> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| (PARSE_ERROR, format!("Parse error: {e}"), Value::Null))?;
    let Some(obj) = v.as_object() else {
        let what = if v.is_array() {
            "batches are not supported"
        } else {
            "not an object"
        };
        return Err((
            INVALID_REQUEST,
            format!("Invalid request: {what}"),
            Value::Null,
        ));
    };
    let id = usable_id(&v);
    if obj.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Err((
            INVALID_REQUEST,
            "Invalid request: not JSON-RPC 2.0".into(),
            id,
        ));
    }
    if !(obj.get("method").is_some_and(Value::is_string)
        || obj.contains_key("result")
        || obj.contains_key("error"))
    {
        return Err((INVALID_REQUEST, "Invalid request: no method".into(), id));
    }
    // The library's own decoding, so that nothing it would choke on (an id
    // that is an object, a float, a bool, beyond i64) reaches it.
    let decodes = if obj.contains_key("method") {
        serde_json::from_value::<Request>(v.clone()).is_ok()
    } else {
        serde_json::from_value::<Response>(v.clone()).is_ok()
    };
    if !decodes {
        let why = match obj.get("id") {
            Some(Value::String(_) | Value::Null) | None => "malformed message",
            Some(Value::Number(n)) if n.is_i64() => "malformed message",
            Some(_) => "the id must be a string or an integer within i64",
        };
        return Err((INVALID_REQUEST, format!("Invalid request: {why}"), id));
    }
    Ok(())
}

fn error_frame(code: i64, message: &str, id: Value) -> Vec<u8> {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
        .to_string()
        .into_bytes()
}

pub async fn write_frame<W: AsyncWrite + Unpin>(out: &Out<W>, body: &[u8]) -> std::io::Result<()> {
    let mut w = out.lock().await;
    w.write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes())
        .await?;
    w.write_all(body).await?;
    w.flush().await
}

/// Copies checked frames from `input` to `to_server`, answering bad ones on
/// `out`; returns at the end of input (which ends the session as before).
pub async fn pump_in<R, S, W>(mut input: R, mut to_server: S, out: Out<W>)
where
    R: AsyncRead + Unpin,
    S: AsyncWrite + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut deframer = Deframer::default();
    let mut chunk = vec![0u8; 64 << 10];
    'read: loop {
        let n = match input.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        deframer.push(&chunk[..n]);
        while let Some(event) = deframer.next_event() {
            let problem = match event {
                Event::Frame(body) => match check(&body) {
                    Ok(()) => {
                        let head = format!("Content-Length: {}\r\n\r\n", body.len());
                        if to_server.write_all(head.as_bytes()).await.is_err()
                            || to_server.write_all(&body).await.is_err()
                            || to_server.flush().await.is_err()
                        {
                            break 'read;
                        }
                        continue;
                    }
                    Err(p) => p,
                },
                Event::Bad(code, message, id) => (code, message, id),
            };
            let (code, message, id) = problem;
            if write_frame(&out, &error_frame(code, &message, id))
                .await
                .is_err()
            {
                break 'read;
            }
        }
    }
    let _ = to_server.shutdown().await;
}

/// Feeds arbitrary bytes through the real input framing and checks, with
/// every output discarded: the entry point of the `framing` fuzz target.
pub fn fuzz_frames(data: &[u8]) {
    const CAP: usize = 1 << 16;
    let mut deframer = Deframer::new(CAP);
    // The first byte picks a chunk size, so frames also arrive split.
    let step = usize::from(data.first().copied().unwrap_or(0)).max(1);
    for piece in data.chunks(step) {
        deframer.push(piece);
        while let Some(event) = deframer.next_event() {
            if let Event::Frame(body) = event {
                let _ = check(&body);
            }
        }
        // Memory stays bounded whatever comes in.
        assert!(deframer.buf.len() <= CAP.max(MAX_HEADER) + step);
    }
    let _ = oversized_notice(data.len(), data, data);
}

/// Copies the server's frames to `out`, each whole; never stops before the
/// server's output ends or stdout fails.
pub async fn pump_out<R, W>(from_server: R, out: Out<W>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    pump_out_capped(from_server, out, MAX_FRAME).await;
}

async fn pump_out_capped<R, W>(from_server: R, out: Out<W>, cap: usize)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut from_server = BufReader::new(from_server);
    while let Ok(Some(n)) = server_header(&mut from_server).await {
        let sent = if n <= cap {
            let mut body = vec![0u8; n];
            if from_server.read_exact(&mut body).await.is_err() {
                break;
            }
            write_frame(&out, &body).await
        } else {
            let Ok((head, tail)) = skim(&mut from_server, n).await else {
                break;
            };
            let notice = oversized_notice(n, &head, &tail);
            eprintln!("agentops-lsp: {}", notice.1);
            write_frame(&out, &notice.0).await
        };
        if sent.is_err() {
            break;
        }
    }
}

/// The length of the server's next frame (the library writes well-formed
/// headers); `None` at the end of its output.
async fn server_header<R: AsyncBufRead + Unpin>(input: &mut R) -> std::io::Result<Option<usize>> {
    let mut length = None;
    loop {
        let mut line = Vec::new();
        if (&mut *input)
            .take(MAX_HEADER as u64)
            .read_until(b'\n', &mut line)
            .await?
            == 0
        {
            return Ok(None);
        }
        let line = line.trim_ascii();
        if line.is_empty() {
            if length.is_some() {
                return Ok(length);
            }
            continue;
        }
        if let Some(v) = line
            .strip_prefix(b"Content-Length:")
            .and_then(|v| std::str::from_utf8(v).ok())
        {
            length = v.trim().parse::<usize>().ok();
        }
    }
}

/// Reads and drops an `n`-byte body, keeping its first and last bytes (the
/// method leads a request, the id ends a response as the library writes them).
async fn skim<R: AsyncRead + Unpin>(
    input: &mut R,
    n: usize,
) -> std::io::Result<(Vec<u8>, Vec<u8>)> {
    const KEEP: usize = 512;
    let mut head = Vec::new();
    let mut tail: Vec<u8> = Vec::new();
    let mut left = n;
    let mut chunk = vec![0u8; 64 << 10];
    while left > 0 {
        let want = left.min(chunk.len());
        input.read_exact(&mut chunk[..want]).await?;
        let got = &chunk[..want];
        if head.len() < KEEP {
            let take = (KEEP - head.len()).min(got.len());
            head.extend_from_slice(&got[..take]);
        }
        tail.extend_from_slice(got);
        if tail.len() > KEEP {
            tail.drain(..tail.len() - KEEP);
        }
        left -= want;
    }
    Ok((head, tail))
}

/// What goes out instead of an oversized frame: for a response, an error
/// response to its id; otherwise a log message naming the method.
/// Returns (frame body, line for stderr).
fn oversized_notice(n: usize, head: &[u8], tail: &[u8]) -> (Vec<u8>, String) {
    let method = quoted_after(head, b"\"method\":\"");
    let id = tail_id(tail);
    match (method, id) {
        (None, Some(id)) => {
            let message =
                format!("agentops-lsp: the response was {n} bytes, over the {MAX_FRAME}-byte cap");
            (error_frame(INTERNAL_ERROR, &message, id), message)
        }
        (method, _) => {
            let method = method.unwrap_or_else(|| "unknown".into());
            let message = format!(
                "agentops-lsp: a `{}` message of {n} bytes was not sent: over the {MAX_FRAME}-byte cap",
                echo(&method)
            );
            let body = json!({
                "jsonrpc": "2.0",
                "method": "window/logMessage",
                "params": { "type": 1, "message": message },
            });
            (body.to_string().into_bytes(), message)
        }
    }
}

fn quoted_after(bytes: &[u8], key: &[u8]) -> Option<String> {
    let at = bytes.windows(key.len()).position(|w| w == key)? + key.len();
    let len = bytes[at..].iter().position(|b| *b == b'"')?;
    std::str::from_utf8(&bytes[at..at + len])
        .ok()
        .map(str::to_string)
}

/// The id at the end of a response as the library writes it: `…,"id":7}`.
fn tail_id(tail: &[u8]) -> Option<Value> {
    let key = b"\"id\":";
    let at = tail.windows(key.len()).rposition(|w| w == key)? + key.len();
    let rest = tail[at..].trim_ascii_end().strip_suffix(b"}")?;
    let id: Value = serde_json::from_slice(rest).ok()?;
    (id.is_string() || id.is_i64()).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    /// Every event of `input`, fed in pieces of `step` bytes.
    fn events(input: &[u8], step: usize) -> Vec<Event> {
        let mut d = Deframer::new(1 << 10);
        let mut out = Vec::new();
        for piece in input.chunks(step) {
            d.push(piece);
            while let Some(e) = d.next_event() {
                out.push(e);
            }
        }
        out
    }

    fn frames(events: &[Event]) -> Vec<String> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::Frame(b) => Some(String::from_utf8_lossy(b).into_owned()),
                Event::Bad(..) => None,
            })
            .collect()
    }

    fn errors(events: &[Event]) -> Vec<String> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::Bad(_, m, _) => Some(m.clone()),
                Event::Frame(_) => None,
            })
            .collect()
    }

    const GOOD: &str = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;

    #[tokio::test]
    async fn bad_frames_are_answered_good_ones_pass() {
        let input = [
            frame("{not json"),
            frame(r#"{"hello":"world"}"#),
            frame("[]"),
            frame(r#"{"jsonrpc": "2.0", "id": 5"#),
            frame(r#"{"jsonrpc":"2.0","id":7}"#),
            "Content-Length: x\r\n\r\n".to_string(),
            frame(GOOD),
        ]
        .concat();
        let (to_server, mut server_side) = tokio::io::duplex(1 << 16);
        let out = Arc::new(Mutex::new(Vec::<u8>::new()));
        pump_in(input.as_bytes(), to_server, out.clone()).await;
        let mut forwarded = String::new();
        server_side.read_to_string(&mut forwarded).await.unwrap();
        assert_eq!(forwarded, frame(GOOD));
        let answers = String::from_utf8(out.lock().await.clone()).unwrap();
        let codes: Vec<&str> = answers.matches("\"code\":-32").collect();
        assert_eq!(codes.len(), 6, "{answers}");
        assert!(answers.contains(r#""id":7"#));
        assert!(answers.contains("batches are not supported"));
    }

    /// A client that sends a header and part of a body, then nothing: the
    /// half frame stays in the input pump (tower-lsp-server never sees it),
    /// whole frames before it reach the server, the output side is free for
    /// the server's messages meanwhile, and the end of input ends the session.
    #[tokio::test]
    async fn a_client_silent_mid_frame_blocks_only_its_own_input() {
        let (mut client, input) = tokio::io::duplex(1 << 16);
        let (to_server, mut server_side) = tokio::io::duplex(1 << 16);
        let out = Arc::new(Mutex::new(Vec::<u8>::new()));
        let pump = tokio::spawn(pump_in(input, to_server, out.clone()));
        let half = "Content-Length: 100\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":2,";
        client
            .write_all(format!("{}{half}", frame(GOOD)).as_bytes())
            .await
            .unwrap();
        // The whole frame is forwarded although the next one never ends.
        let mut got = vec![0u8; frame(GOOD).len()];
        server_side.read_exact(&mut got).await.unwrap();
        assert_eq!(String::from_utf8(got).unwrap(), frame(GOOD));
        // The server can still write: the pump holds no lock while it waits.
        write_frame(&out, br#"{"jsonrpc":"2.0","method":"x"}"#)
            .await
            .unwrap();
        assert!(!pump.is_finished());
        // The client goes away: the pump ends and the server reads the end.
        drop(client);
        pump.await.unwrap();
        let mut rest = Vec::new();
        server_side.read_to_end(&mut rest).await.unwrap();
        assert!(rest.is_empty(), "half a frame reached the server");
    }

    #[test]
    fn odd_ids_are_invalid_requests_with_a_null_id() {
        for id in [
            r#"{"a":1}"#,
            "1.5",
            "true",
            "[1]",
            "9223372036854775808",
            "-9223372036854775809",
        ] {
            for body in [
                format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"shutdown"}}"#),
                format!(r#"{{"jsonrpc":"2.0","id":{id},"result":null}}"#),
            ] {
                let (code, message, answer_id) = check(body.as_bytes()).unwrap_err();
                assert_eq!(code, INVALID_REQUEST, "{body}");
                assert_eq!(answer_id, Value::Null, "{body}");
                assert!(message.contains("i64"), "{message}");
            }
        }
        for ok in [
            r#"{"jsonrpc":"2.0","id":-9223372036854775808,"method":"shutdown"}"#,
            r#"{"jsonrpc":"2.0","id":"x","result":null}"#,
            r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        ] {
            assert_eq!(check(ok.as_bytes()), Ok(()), "{ok}");
        }
    }

    #[test]
    fn a_non_utf8_header_byte_is_answered_then_reading_goes_on() {
        let mut input = b"Content-Length: 4\xff2\r\n\r\n{}".to_vec();
        input.extend_from_slice(frame(GOOD).as_bytes());
        for step in [1, 3, input.len()] {
            let ev = events(&input, step);
            assert_eq!(frames(&ev), [GOOD], "step {step}");
            assert_eq!(errors(&ev).len(), 1, "{ev:?}");
        }
        // Elsewhere in the header it is ignored.
        let mut other = b"X-Junk: \xfe\r\n".to_vec();
        other.extend_from_slice(frame(GOOD).as_bytes());
        assert_eq!(frames(&events(&other, 5)), [GOOD]);
    }

    #[test]
    fn a_length_over_the_cap_is_answered_at_once_and_the_next_frame_read() {
        // No body follows yet: the answer must not wait for 10^12 bytes.
        let ev = events(b"Content-Length: 1000000000000\r\n\r\n{\"jsonrpc\"", 7);
        assert_eq!(errors(&ev).len(), 1, "{ev:?}");
        assert!(errors(&ev)[0].contains("at most 1024"), "{ev:?}");
        let input = format!(
            "Content-Length: 5000\r\n\r\n{}{}",
            "x".repeat(3000),
            frame(GOOD)
        );
        let ev = events(input.as_bytes(), 100);
        assert_eq!(frames(&ev), [GOOD]);
        assert_eq!(errors(&ev).len(), 1);
    }

    #[test]
    fn a_header_is_bounded() {
        let mut input = b"Content-Length: 2\r\nX: ".to_vec();
        input.extend(std::iter::repeat_n(b'a', 3 * MAX_HEADER));
        let ev = events(&input, 4096);
        assert_eq!(errors(&ev).len(), 1, "{ev:?}");
        assert!(errors(&ev)[0].contains("header over"));
        // Garbage without a header is dropped as it comes, not kept.
        let mut d = Deframer::default();
        for _ in 0..100 {
            d.push(&[b'z'; 4096]);
            while d.next_event().is_some() {}
        }
        assert!(d.buf.len() <= MAX_HEADER, "{}", d.buf.len());
        d.push(frame(GOOD).as_bytes());
        let mut got = Vec::new();
        while let Some(e) = d.next_event() {
            got.push(e);
        }
        assert_eq!(frames(&got), [GOOD]);
    }

    #[test]
    fn a_length_larger_than_the_body_resynchronises_on_the_next_header() {
        let short = r#"{"jsonrpc":"2.0","id":3,"method":"textDocument/hover"}"#;
        let input = format!(
            "Content-Length: {}\r\n\r\n{short}{}",
            short.len() + 40,
            frame(GOOD)
        );
        for step in [1, 2, 16, input.len()] {
            let ev = events(input.as_bytes(), step);
            assert_eq!(frames(&ev), [GOOD], "step {step}: {ev:?}");
            let bad: Vec<&Event> = ev.iter().filter(|e| matches!(e, Event::Bad(..))).collect();
            assert_eq!(bad.len(), 1);
            // The short message's own id is answered, so its sender is not left waiting.
            assert!(
                matches!(bad[0], Event::Bad(_, _, id) if id == &json!(3)),
                "{bad:?}"
            );
        }
        // Early: the answer comes before the declared length has arrived.
        let early = format!("Content-Length: 999\r\n\r\n{short}Content-Length: 2\r\n\r\n");
        assert_eq!(errors(&events(early.as_bytes(), 1)).len(), 1);
        // A body whose strings hold the marker is not cut.
        let tricky =
            r#"{"jsonrpc":"2.0","method":"x","params":{"t":"}Content-Length: 3\r\n\r\n{}"}}"#;
        assert_eq!(frames(&events(frame(tricky).as_bytes(), 3)), [tricky]);
    }

    #[test]
    fn a_long_header_fed_byte_by_byte_is_read() {
        let mut input = format!("X-Pad: {}\r\n", "p".repeat(7000)).into_bytes();
        input.extend_from_slice(frame(GOOD).as_bytes());
        let mut d = Deframer::default();
        let mut got = Vec::new();
        for b in &input {
            d.push(std::slice::from_ref(b));
            while let Some(e) = d.next_event() {
                got.push(e);
            }
            // Each byte is searched once, not the whole header again.
            assert!(d.header_seen <= d.buf.len());
        }
        assert_eq!(frames(&got), [GOOD]);
        assert!(errors(&got).is_empty());
    }

    #[test]
    fn frames_split_anywhere_come_out_whole() {
        let input = format!("\r\n{}{}", frame(GOOD), frame(GOOD));
        for step in 1..20 {
            assert_eq!(frames(&events(input.as_bytes(), step)), [GOOD, GOOD]);
        }
        let lf_only = format!("content-length: {}\n\n{GOOD}", GOOD.len());
        assert_eq!(frames(&events(lf_only.as_bytes(), 4)), [GOOD]);
    }

    #[tokio::test]
    async fn an_oversized_server_frame_is_replaced_and_the_pump_goes_on() {
        let big_response = format!(
            r#"{{"jsonrpc":"2.0","result":"{}","id":42}}"#,
            "a".repeat(5000)
        );
        let big_note = format!(
            r#"{{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{{"x":"{}"}}}}"#,
            "b".repeat(5000)
        );
        let small = r#"{"jsonrpc":"2.0","result":null,"id":43}"#;
        let input = [frame(&big_response), frame(&big_note), frame(small)].concat();
        let out = Arc::new(Mutex::new(Vec::<u8>::new()));
        pump_out_capped(input.as_bytes(), out.clone(), 1024).await;
        let sent = String::from_utf8(out.lock().await.clone()).unwrap();
        let bodies: Vec<Value> = events(sent.as_bytes(), sent.len())
            .into_iter()
            .filter_map(|e| match e {
                Event::Frame(b) => serde_json::from_slice(&b).ok(),
                Event::Bad(..) => None,
            })
            .collect();
        assert_eq!(bodies.len(), 3, "{sent}");
        assert_eq!(bodies[0]["id"], 42);
        assert_eq!(bodies[0]["error"]["code"], INTERNAL_ERROR);
        assert_eq!(bodies[1]["method"], "window/logMessage");
        let note = bodies[1]["params"]["message"].as_str().unwrap();
        assert!(note.contains("textDocument/publishDiagnostics"), "{note}");
        assert_eq!(bodies[2]["id"], 43);
    }

    #[test]
    fn fuzz_entry_survives_garbage() {
        fuzz_frames(b"");
        fuzz_frames(b"\x03Content-Length: 2\r\n\r\n{}Content-Length: 99999999999999999999\r\n\r\n");
        fuzz_frames(b"\x01\"id\":}");
    }
}
