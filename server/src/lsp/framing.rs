//! The stdio pump in front of tower-lsp-server. Its reader ends the session
//! at the first frame it cannot decode, so one malformed message (invalid
//! JSON, a batch, a truncated body) would end the server. Here each frame is
//! read whole and checked; a bad one is answered with the JSON-RPC error and
//! dropped, good ones go on unchanged. Both the server's frames and these
//! answers reach stdout whole, one at a time.

use std::sync::Arc;

use serde_json::{Value, json};
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
};
use tokio::sync::Mutex;

/// Larger frames are refused (and skipped) rather than buffered.
const MAX_FRAME: usize = 64 << 20;

pub type Out<W> = Arc<Mutex<W>>;

/// One frame from `input`: `Ok(None)` at the end of input.
async fn read_frame<R: AsyncBufRead + Unpin>(
    input: &mut R,
) -> std::io::Result<Option<Result<Vec<u8>, String>>> {
    let mut length: Option<usize> = None;
    let mut bad_header = None;
    let mut saw_any = false;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_any {
                break;
            }
            continue;
        }
        saw_any = true;
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_header = Some(format!("bad Content-Length `{}`", value.trim())),
                }
            }
        } else {
            bad_header = Some(format!("bad header line `{line}`"));
        }
    }
    let Some(n) = length else {
        return Ok(Some(Err(
            bad_header.unwrap_or_else(|| "no Content-Length header".into())
        )));
    };
    if n > MAX_FRAME {
        // Skip the body so the next frame is read from its start.
        let mut rest = input.take(n as u64);
        tokio::io::copy(&mut rest, &mut tokio::io::sink()).await?;
        return Ok(Some(Err(format!(
            "message of {n} bytes; at most {MAX_FRAME}"
        ))));
    }
    let mut body = vec![0u8; n];
    input.read_exact(&mut body).await?;
    Ok(Some(Ok(body)))
}

/// Why a body is not a JSON-RPC 2.0 message: (code, message, id to answer).
fn check(body: &[u8]) -> Result<(), (i64, String, Value)> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| (-32700, format!("Parse error: {e}"), Value::Null))?;
    let Some(obj) = v.as_object() else {
        let what = if v.is_array() {
            "batches are not supported"
        } else {
            "not an object"
        };
        return Err((-32600, format!("Invalid request: {what}"), Value::Null));
    };
    let id = obj.get("id").cloned().unwrap_or(Value::Null);
    if obj.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Err((-32600, "Invalid request: not JSON-RPC 2.0".into(), id));
    }
    if !(obj.get("method").is_some_and(Value::is_string)
        || obj.contains_key("result")
        || obj.contains_key("error"))
    {
        return Err((-32600, "Invalid request: no method".into(), id));
    }
    Ok(())
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
pub async fn pump_in<R, S, W>(input: R, mut to_server: S, out: Out<W>)
where
    R: AsyncRead + Unpin,
    S: AsyncWrite + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut input = BufReader::new(input);
    while let Ok(Some(frame)) = read_frame(&mut input).await {
        let problem = match frame {
            Ok(body) => match check(&body) {
                Ok(()) => {
                    let head = format!("Content-Length: {}\r\n\r\n", body.len());
                    if to_server.write_all(head.as_bytes()).await.is_err()
                        || to_server.write_all(&body).await.is_err()
                        || to_server.flush().await.is_err()
                    {
                        break;
                    }
                    continue;
                }
                Err(p) => p,
            },
            Err(why) => (-32700, format!("Parse error: {why}"), Value::Null),
        };
        let (code, message, id) = problem;
        let answer =
            json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } });
        if write_frame(&out, answer.to_string().as_bytes())
            .await
            .is_err()
        {
            break;
        }
    }
    let _ = to_server.shutdown().await;
}

/// Copies the server's frames to `out`, each whole.
pub async fn pump_out<R, W>(from_server: R, out: Out<W>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut from_server = BufReader::new(from_server);
    while let Ok(Some(Ok(body))) = read_frame(&mut from_server).await {
        if write_frame(&out, &body).await.is_err() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[tokio::test]
    async fn bad_frames_are_answered_good_ones_pass() {
        let good = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let input = [
            frame("{not json"),
            frame(r#"{"hello":"world"}"#),
            frame("[]"),
            frame(r#"{"jsonrpc": "2.0", "id": 5"#),
            frame(r#"{"jsonrpc":"2.0","id":7}"#),
            "Content-Length: x\r\n\r\n".to_string(),
            frame(good),
        ]
        .concat();
        let (to_server, mut server_side) = tokio::io::duplex(1 << 16);
        let out = Arc::new(Mutex::new(Vec::<u8>::new()));
        pump_in(input.as_bytes(), to_server, out.clone()).await;
        let mut forwarded = String::new();
        server_side.read_to_string(&mut forwarded).await.unwrap();
        assert_eq!(forwarded, frame(good));
        let answers = String::from_utf8(out.lock().await.clone()).unwrap();
        let codes: Vec<&str> = answers.matches("\"code\":-32").collect();
        assert_eq!(codes.len(), 6, "{answers}");
        assert!(answers.contains(r#""id":7"#));
        assert!(answers.contains("batches are not supported"));
    }
}
